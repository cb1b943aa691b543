"""Painting of the group table: one Python call per repaint, text laid out once.

Qt's default delegate asks the model for about seven roles of every visible cell and lays every
Japanese string out again on each repaint (each keystroke of the search repaints the table). This
delegate takes the row's texts and colours the model made when the rows arrived
(:attr:`GroupTableModel.cells`) and draws each text from a cache of :class:`QStaticText` per
(text, width), elided to the column like the default delegate does: selection and alternate
row backgrounds from the palette, text in the status colour where the model gives one.

:class:`GroupTable` paints the visible cells in one Python call (:meth:`GroupCellDelegate.paint_view`)
instead of Qt's loop calling the model (``index``, ``rowCount``, ``columnCount``, ``flags``) and the
delegate once per cell, which cost more than the drawing itself: the same cells, the style's row
panel under each cell, the same text and the grid on top, as ``QTableView::paintEvent`` draws them
(a test compares the pixels of both ways). A set-up it does not cover (hidden or moved sections,
right-to-left; the group table has no spans) is painted by Qt's loop.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QLineF, QPointF, QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen, QRegion, QStaticText, QTransform
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTableView

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
_ENABLED, _MOUSE_OVER, _HAS_FOCUS = (QStyle.StateFlag.State_Enabled.value, QStyle.StateFlag.State_MouseOver.value,
                                     QStyle.StateFlag.State_HasFocus.value)
_ROW_PANEL, _GRID_COLOR = QStyle.PrimitiveElement.PE_PanelItemViewRow, QStyle.StyleHint.SH_Table_GridLineColor
_EDGE_LINES = QStyle.StyleHint.SH_Table_AlwaysDrawLeftTopGridLines
_HOVER_EVENTS = (QEvent.Type.HoverEnter, QEvent.Type.HoverMove, QEvent.Type.HoverLeave)


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

    # --- the whole view in one call ------------------------------------------------------------

    def paint_view(self, view: QTableView, region: QRegion, hover: tuple[int, int] | None = None) -> None:
        """Paint the cells of ``view`` in ``region`` (viewport coordinates) as ``QTableView``'s
        paint event does with this delegate: per cell the style's ``PE_PanelItemViewRow`` with the
        cell's state (selected, alternate, the ``hover`` cell (row, column), the current cell
        when the view has the focus), then :meth:`paint`'s background and text; the grid lines
        last. For a view without spans, hidden or moved sections, drawn left to right."""
        header, rows_header = view.horizontalHeader(), view.verticalHeader()
        column_count, row_count = header.count(), rows_header.count()
        if column_count == 0 or row_count == 0:
            return
        option = QStyleOptionViewItem()
        view.initViewItemOption(option)
        palette = option.palette
        palette.setCurrentColorGroup(QPalette.ColorGroup.Normal)  # as drawCell sets it for an enabled item
        option.palette = palette
        base_state = option.state.value
        style = view.style()
        grid = view.showGrid()
        grid_size = 1 if grid else 0
        grid_pen = QPen(QColor.fromRgba(style.styleHint(_GRID_COLOR, option, view) & 0xFFFFFFFF), 1, view.gridStyle())
        edge_lines = bool(style.styleHint(_EDGE_LINES, option, view))
        painter = QPainter(view.viewport())
        alternate_rows = view.alternatingRowColors()
        x_end = header.length() - header.offset() - 1
        y_end = rows_header.length() - rows_header.offset() - 1
        columns = [(view.columnViewportPosition(c), view.columnWidth(c) - grid_size) for c in range(column_count)]
        text_widths = [width - 2 * MARGIN for _x, width in columns]
        selection_model = view.selectionModel()
        current = view.currentIndex()
        focus = (view.hasFocus() or view.viewport().hasFocus()) and current.isValid()
        focused = (current.row(), current.column()) if focus else None
        states: dict[int, QStyle.StateFlag] = {}
        features = {False: option.features & ~QStyleOptionViewItem.ViewItemFeature.Alternate,
                    True: option.features | QStyleOptionViewItem.ViewItemFeature.Alternate}
        highlight, highlighted_text, alternate_base, text_color = self._palette(option, bool(base_state & _ACTIVE))
        cells, texts_cache = self.model.cells, self._texts
        several = region.rectCount() > 1
        drawn: set[tuple[int, int]] = set()  # with several rectangles, a cell is painted once
        for dirty in region:
            dirty.setBottom(min(dirty.bottom(), y_end))
            dirty.setRight(min(dirty.right(), x_end))
            if not dirty.isValid():
                continue
            left, right = header.visualIndexAt(dirty.left()), header.visualIndexAt(dirty.right())
            left, right = max(left, 0), right if right != -1 else column_count - 1
            bottom = rows_header.visualIndexAt(dirty.bottom())
            bottom = bottom if bottom != -1 else row_count - 1
            top = rows_header.visualIndexAt(dirty.top())
            if top == -1 or top > bottom:
                continue
            # cells in a state of their own (selected, under the mouse, current): the style's row
            # panel is drawn under them; under the others it draws at most the alternate row's
            # background, which the delegate fills over the whole cell anyway
            chosen = _selected_cells(selection_model, top, bottom)
            marked = chosen | {cell for cell in (hover, focused) if cell is not None}
            marked_rows = {row for row, _column in marked}
            alternate = bool(top & 1) and alternate_rows
            pen = None
            for row in range(top, bottom + 1):
                y = view.rowViewportPosition(row)
                height = view.rowHeight(row) - grid_size
                texts, status_color, row_color = cells[row] if row < len(cells) else _NO_CELLS
                plain_row = row not in marked_rows
                if not plain_row:
                    option.features = features[alternate]
                for column in range(left, right + 1):
                    if several:
                        if (row, column) in drawn:
                            continue
                        drawn.add((row, column))
                    x, width = columns[column]
                    selected = False
                    if not plain_row and (row, column) in marked:
                        selected = (row, column) in chosen
                        state = base_state | (_SELECTED if selected else 0)
                        state |= (_MOUSE_OVER if (row, column) == hover else 0) | (_HAS_FOCUS if (row, column) == focused else 0)
                        flag = states.get(state)
                        if flag is None:
                            flag = states[state] = QStyle.StateFlag(state)
                        option.rect, option.state = QRect(x, y, width, height), flag
                        style.drawPrimitive(_ROW_PANEL, option, painter, view)
                    if selected:
                        painter.fillRect(x, y, width, height, highlight)
                        color = highlighted_text
                    else:
                        if alternate:
                            painter.fillRect(x, y, width, height, alternate_base)
                        color = (status_color if column == STATUS_COLUMN else row_color) or text_color
                    text = texts[column] if column < len(texts) else ""
                    if text:
                        found = texts_cache.get((text, text_widths[column])) or self._static(text, text_widths[column], option)
                        if color is not pen:
                            painter.setPen(color)
                            pen = color
                        painter.drawStaticText(QPointF(x + MARGIN, y + (height - found[1]) / 2), found[0])
                alternate = not alternate and alternate_rows
            if grid:
                painter.setPen(grid_pen)
                for row in range(top, bottom + 1):
                    line_y = view.rowViewportPosition(row) + view.rowHeight(row) - grid_size
                    painter.drawLine(QLineF(dirty.left(), line_y, dirty.right(), line_y).translated(0.5, 0.5))
                for column in range(left, right + 1):
                    line_x = columns[column][0] + columns[column][1]
                    painter.drawLine(QLineF(line_x, dirty.top(), line_x, dirty.bottom()).translated(0.5, 0.5))
                if edge_lines and header.isHidden() and view.rowViewportPosition(top) == dirty.top():
                    painter.drawLine(dirty.left(), dirty.top(), dirty.right(), dirty.top())
                if edge_lines and rows_header.isHidden() and columns[left][0] == dirty.left():
                    painter.drawLine(dirty.left(), dirty.top(), dirty.left(), dirty.bottom())
        painter.end()


_NO_CELLS: tuple[tuple[str, ...], None, None] = ((), None, None)


def _selected_cells(selection_model, top: int, bottom: int) -> set[tuple[int, int]]:
    """(row, column) of the selected cells in rows ``top``–``bottom``."""
    found: set[tuple[int, int]] = set()
    if selection_model is None:
        return found
    selection = selection_model.selection()
    for i in range(len(selection)):
        part = selection[i]
        for row in range(max(part.top(), top), min(part.bottom(), bottom) + 1):
            found.update((row, column) for column in range(part.left(), part.right() + 1))
    return found


class GroupTable(QTableView):
    """The group list: a ``QTableView`` whose cells :meth:`GroupCellDelegate.paint_view` paints in
    one call (see the module docstring); any other set-up is painted by ``QTableView``."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._hover: tuple[int, int] | None = None

    def _paints_itself(self) -> GroupCellDelegate | None:
        delegate = self.itemDelegate()
        if not isinstance(delegate, GroupCellDelegate) or delegate.model is not self.model() or self.isRightToLeft():
            return None
        header, rows_header = self.horizontalHeader(), self.verticalHeader()
        if header.sectionsMoved() or rows_header.sectionsMoved() or header.sectionsHidden() or rows_header.sectionsHidden():
            return None
        return delegate

    def viewportEvent(self, event) -> bool:  # noqa: N802 - Qt override
        """Keeps the cell under the mouse (for the style's hover look), then Qt's handling."""
        if event.type() in _HOVER_EVENTS:
            index = self.indexAt(event.position().toPoint()) if event.type() != QEvent.Type.HoverLeave else None
            self._hover = (index.row(), index.column()) if index is not None and index.isValid() else None
        return super().viewportEvent(event)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        delegate = self._paints_itself()
        if delegate is None:
            super().paintEvent(event)
        else:
            delegate.paint_view(self, event.region(), self._hover)
