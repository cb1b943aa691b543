"""The charts of the 集計 screen, drawn with pyqtgraph (QtCharts is deprecated since Qt 6.10 and
not in PySide6-Essentials): bookings (bars) and attendance (line, right axis) per month of the
fiscal year, the occupancy heat map of rooms × months, and consultations by topic.

Each chart takes plain lists (labels and numbers) from the controller; nothing here reads the
database. ``values()`` of each chart returns what it shows, for tests.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QLabel, QStackedLayout, QWidget

from center_app.ui.screens.statistics.model import heat_colour

pg.setConfigOptions(antialias=True, background="w", foreground="#333333")

BAR = QColor("#5B9BD5")
LINE = QColor("#ED7D31")


def _label_axis(axis: pg.AxisItem, labels: list[tuple[float, str]], vertical: bool) -> None:
    """Category labels on ``axis``: every label shown (pyqtgraph thins dense labels by default),
    and a left axis wide enough for the longest one."""
    axis.setTicks([labels])
    axis.setStyle(textFillLimits=[(0, 1.0)], hideOverlappingLabels=False, maxTickLevel=0)
    if vertical:
        metrics = QFontMetrics(axis.style.get("tickFont") or QFont())
        axis.setWidth(max([metrics.horizontalAdvance(text) for _pos, text in labels] or [20]) + 14)


def _plot(title: str) -> pg.PlotWidget:
    widget = pg.PlotWidget()
    widget.setTitle(title, color="#222222", size="11pt")
    widget.setMenuEnabled(False)
    widget.setMouseEnabled(x=False, y=False)
    widget.hideButtons()
    widget.setMinimumHeight(220)
    return widget


class _WithMessage(QWidget):
    """A chart, or a message in its place (no data, not permitted)."""

    def __init__(self, chart: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.chart = chart
        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #555555; border: 1px solid #DDDDDD; background: white;")
        self.stack = QStackedLayout(self)
        self.stack.addWidget(chart)
        self.stack.addWidget(self.message)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    def show_chart(self) -> None:
        self.stack.setCurrentWidget(self.chart)


class MonthlyChart(_WithMessage):
    """Bookings per month (bars, left axis) and attendance (line with dots, right axis)."""

    def __init__(self, title: str, bars_name: str, line_name: str, parent: QWidget | None = None):
        self.plot = _plot(title)
        super().__init__(self.plot, parent)
        item = self.plot.getPlotItem()
        item.showAxis("right")
        item.getAxis("left").setLabel(f"■ {bars_name}", color=BAR.name())
        item.getAxis("right").setLabel(f"● {line_name}", color=LINE.name())
        item.showGrid(y=True, alpha=0.2)
        self.line_view = pg.ViewBox()
        item.scene().addItem(self.line_view)
        item.getAxis("right").linkToView(self.line_view)
        self.line_view.setXLink(item)
        item.vb.sigResized.connect(self._sync_views)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.6, brush=BAR, pen=pg.mkPen(None), name=bars_name)
        item.addItem(self.bars)
        self.line = pg.PlotDataItem([], [], pen=pg.mkPen(LINE, width=2), symbol="o", symbolSize=6, symbolBrush=LINE, name=line_name)
        self.line_view.addItem(self.line)
        self._values: tuple[list[str], list[int], list[int]] = ([], [], [])

    def _sync_views(self) -> None:
        self.line_view.setGeometry(self.plot.getPlotItem().vb.sceneBoundingRect())
        self.line_view.linkedViewChanged(self.plot.getPlotItem().vb, self.line_view.XAxis)

    def set_data(self, labels: list[str], bars: list[int], line: list[int]) -> None:
        self._values = (list(labels), list(bars), list(line))
        x = np.arange(len(labels))
        self.bars.setOpts(x=x, height=np.array(bars, dtype=float), width=0.6)
        self.line.setData(x, np.array(line, dtype=float))
        item = self.plot.getPlotItem()
        _label_axis(item.getAxis("bottom"), list(enumerate(labels)), vertical=False)
        item.setXRange(-0.6, max(len(labels) - 0.4, 0.6), padding=0)
        item.setYRange(0, max(bars + [1]) * 1.15, padding=0)
        self.line_view.setYRange(0, max(line + [1]) * 1.15, padding=0)
        self._sync_views()
        self.show_chart()

    def values(self) -> tuple[list[str], list[int], list[int]]:
        return self._values


class HeatMap(_WithMessage):
    """Occupancy of rooms (rows) × months (columns), coloured like the exports, with the rate
    written in each cell."""

    def __init__(self, title: str, parent: QWidget | None = None):
        self.plot = _plot(title)
        super().__init__(self.plot, parent)
        item = self.plot.getPlotItem()
        item.invertY(True)
        item.getAxis("left").setStyle(tickTextOffset=4)
        self.image = pg.ImageItem()
        item.addItem(self.image)
        self.texts: list[pg.TextItem] = []
        self._values: tuple[list[str], list[str], list[list[float | None]]] = ([], [], [])

    def set_data(self, rows: list[str], columns: list[str], rates: list[list[float | None]]) -> None:
        self._values = (list(rows), list(columns), [list(r) for r in rates])
        item = self.plot.getPlotItem()
        for text in self.texts:
            item.removeItem(text)
        self.texts = []
        if not rows or not columns:
            self.image.clear()
            return
        rgba = np.zeros((len(columns), len(rows), 4), dtype=np.ubyte)
        font = QFont()
        font.setPointSize(7)
        for r, row in enumerate(rates):
            for c, rate in enumerate(row):
                colour = heat_colour(rate)
                rgba[c, r] = (colour.red(), colour.green(), colour.blue(), 255)
                text = pg.TextItem("—" if rate is None else f"{rate * 100:.0f}%", color="#333333", anchor=(0.5, 0.5))
                text.setFont(font)
                text.setPos(c + 0.5, r + 0.5)
                item.addItem(text)
                self.texts.append(text)
        self.image.setImage(rgba, levels=None, autoLevels=False)
        self.image.setRect(0, 0, len(columns), len(rows))
        _label_axis(item.getAxis("bottom"), [(c + 0.5, name) for c, name in enumerate(columns)], vertical=False)
        _label_axis(item.getAxis("left"), [(r + 0.5, name) for r, name in enumerate(rows)], vertical=True)
        item.setXRange(0, len(columns), padding=0)
        item.setYRange(0, len(rows), padding=0)
        self.plot.setMinimumHeight(max(220, 22 * len(rows) + 60))
        self.show_chart()

    def values(self) -> tuple[list[str], list[str], list[list[float | None]]]:
        return self._values


class HorizontalBars(_WithMessage):
    """Counts by label as horizontal bars, the first label on top, each bar labelled."""

    def __init__(self, title: str, parent: QWidget | None = None):
        self.plot = _plot(title)
        super().__init__(self.plot, parent)
        item = self.plot.getPlotItem()
        item.invertY(True)
        item.showGrid(x=True, alpha=0.2)
        self.bars = pg.BarGraphItem(x0=[], y=[], height=0.6, width=[], brush=BAR, pen=pg.mkPen(None))
        item.addItem(self.bars)
        self.texts: list[pg.TextItem] = []
        self._values: tuple[list[str], list[int]] = ([], [])

    def set_data(self, labels: list[str], counts: list[int]) -> None:
        self._values = (list(labels), list(counts))
        item = self.plot.getPlotItem()
        for text in self.texts:
            item.removeItem(text)
        self.texts = []
        y = np.arange(len(labels))
        self.bars.setOpts(x0=np.zeros(len(labels)), y=y, height=0.6, width=np.array(counts, dtype=float))
        _label_axis(item.getAxis("left"), list(enumerate(labels)), vertical=True)
        top = max(counts + [1])
        for i, count in enumerate(counts):
            text = pg.TextItem(f"{count:,}", color="#333333", anchor=(0, 0.5))
            text.setPos(count + top * 0.01, i)
            item.addItem(text)
            self.texts.append(text)
        item.setXRange(0, top * 1.15, padding=0)
        item.setYRange(-0.6, max(len(labels) - 0.4, 0.6), padding=0)
        self.show_chart()

    def values(self) -> tuple[list[str], list[int]]:
        return self._values
