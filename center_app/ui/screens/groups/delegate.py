"""Painting of the group table: one Python call per cell, text laid out once.

Qt's default delegate asks the model for about seven roles of every visible cell and lays every
Japanese string out again on each repaint (each keystroke of the search repaints the table). This
delegate takes the row's texts and colours the model made when the rows arrived
(:attr:`GroupTableModel.cells`) and draws each text from a cache of :class:`QStaticText` per
(text, width), elided to the column like the default delegate does: selection and alternate
row backgrounds from the palette, text in the status colour where the model gives one.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPalette, QStaticText, QTransform
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from center_app.ui.screens.groups.model import STATUS_COLUMN, GroupTableModel

#: Pixels left and right of the text in a cell.
MARGIN = 4
#: Laid-out texts kept (a screenful is about 250; the cache restarts when it grows past this).
CACHE_SIZE = 5000

# Flags as plain ints: combining Python enum flags costs more than the drawing.
_SELECTED = QStyle.StateFlag.State_Selected.value
_ACTIVE = QStyle.StateFlag.State_Active.value
_ALTERNATE = QStyleOptionViewItem.ViewItemFeature.Alternate.value
_GROUPS = {True: QPalette.ColorGroup.Active, False: QPalette.ColorGroup.Inactive}
_HIGHLIGHT, _HIGHLIGHTED_TEXT = QPalette.ColorRole.Highlight, QPalette.ColorRole.HighlightedText
_ALTERNATE_BASE, _TEXT = QPalette.ColorRole.AlternateBase, QPalette.ColorRole.Text


class GroupCellDelegate(QStyledItemDelegate):
    """Draws the cells of :class:`GroupTableModel` from its row cache (see the module docstring)."""

    def __init__(self, model: GroupTableModel, parent=None):
        super().__init__(parent)
        self.model = model
        self._texts: dict[tuple[str, int], tuple[QStaticText, float]] = {}
        self._identity = QTransform()
        self._palette_key: int | None = None
        self._colors: dict[bool, tuple] = {}

    def _static(self, text: str, width: int, option: QStyleOptionViewItem) -> tuple[QStaticText, float]:
        """The text elided to ``width``, laid out, and its height."""
        if len(self._texts) >= CACHE_SIZE:
            self._texts.clear()
        static = QStaticText(option.fontMetrics.elidedText(text, Qt.TextElideMode.ElideRight, width))
        static.setTextFormat(Qt.TextFormat.PlainText)
        static.prepare(self._identity, option.font)
        found = self._texts[(text, width)] = (static, static.size().height())
        return found

    def _palette(self, option: QStyleOptionViewItem, active: bool) -> tuple:
        """(highlight, highlighted text, alternate base, text) of the palette, read once per palette."""
        palette = option.palette
        if palette.cacheKey() != self._palette_key:
            self._palette_key, self._colors = palette.cacheKey(), {}
        colors = self._colors.get(active)
        if colors is None:
            group = _GROUPS[active]
            colors = self._colors[active] = (palette.brush(group, _HIGHLIGHT), palette.color(group, _HIGHLIGHTED_TEXT),
                                             palette.brush(group, _ALTERNATE_BASE), palette.color(group, _TEXT))
        return colors

    def paint(self, painter, option: QStyleOptionViewItem, index) -> None:  # noqa: D102 - Qt override
        row, column = index.row(), index.column()
        cells = self.model.cells
        if not 0 <= row < len(cells):
            return
        texts, status_color, row_color = cells[row]
        rect, state = option.rect, option.state.value
        highlight, highlighted_text, alternate, text_color = self._palette(option, bool(state & _ACTIVE))
        if state & _SELECTED:
            painter.fillRect(rect, highlight)
            color = highlighted_text
        else:
            if option.features.value & _ALTERNATE:
                painter.fillRect(rect, alternate)
            color = (status_color if column == STATUS_COLUMN else row_color) or text_color
        text = texts[column]
        if not text:
            return
        x, y, width, height = rect.getRect()
        static, text_height = self._texts.get((text, width - 2 * MARGIN)) or self._static(text, width - 2 * MARGIN, option)
        painter.setPen(color)
        painter.drawStaticText(QPointF(x + MARGIN, y + (height - text_height) / 2), static)
