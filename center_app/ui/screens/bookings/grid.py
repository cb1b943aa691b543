"""The rooms × time grid of the day and week views, painted in one widget.

Mouse: drag over free cells of one room and day to propose a booking; click a booking to open it.
Keyboard: arrows move the cursor, Shift+arrows mark free cells, Enter opens the booking under the
cursor or proposes the marked cells (or the free cell under the cursor), Ctrl+N proposes the marked
cells only (nothing marked: a blank booking), T goes to today, Page Up / Page Down page through the days or weeks, Escape clears the marking.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from center_app.domain.booking_values import BookingCell, BookingStatus, status_label
from center_app.i18n import _
from center_app.ui.screens.bookings.model import DAY, Grid, Selection, weekday_short

#: Fill and border colour of a booking by status.
STATUS_COLOURS = {
    BookingStatus.PROVISIONAL: ("#fff1b8", "#b38600"),
    BookingStatus.CONFIRMED: ("#cfe0fc", "#2f5fa8"),
    BookingStatus.USED: ("#d3ecd9", "#2d6a4f"),
    BookingStatus.NO_SHOW: ("#f6d2d5", "#a4161a"),
}
CLOSED_FILL = QColor("#f1dede")
HOLIDAY_TEXT = QColor("#b3261e")
WEEKEND_FILL = QColor("#f7f7fb")
SELECTION_FILL = QColor(60, 120, 220, 70)
GRID_LINE = QColor("#d5d8e0")
HOUR_LINE = QColor("#aab0be")
DAY_LINE = QColor("#5b6275")

ROW_HEIGHT = 36
LABEL_WIDTH = 140
HEADER_TOP = 26
HEADER_BOTTOM = 20


_style_cache: dict[str, tuple[QBrush, QPen]] = {}
_line_cache: dict[tuple[str, int, int, str], list[str]] = {}


def _styles() -> dict[str, tuple[QBrush, QPen]]:
    """Brush and pen of each status (built once)."""
    if not _style_cache:
        for status, (fill, border) in {**STATUS_COLOURS, "": ("#e0e0e0", "#606060")}.items():
            pen = QPen(QColor(border), 1.4)
            if status == BookingStatus.PROVISIONAL:
                pen.setStyle(Qt.PenStyle.DashLine)
            _style_cache[status] = (QBrush(QColor(fill)), pen)
    return _style_cache


def _lines(metrics: QFontMetrics, text: str, width: int, count: int) -> list[str]:
    """``text`` broken between characters into at most ``count`` lines of ``width`` pixels, the
    last one elided; cached, since the same names come back week after week."""
    key = (text, width, count, str(metrics.height()))
    found = _line_cache.get(key)
    if found is not None:
        return found
    lines: list[str] = []
    rest = text
    while rest and len(lines) < count - 1 and metrics.horizontalAdvance(rest) > width:
        cut = 1
        while cut < len(rest) and metrics.horizontalAdvance(rest[:cut + 1]) <= width:
            cut += 1
        lines.append(rest[:cut])
        rest = rest[cut:]
    if rest:
        lines.append(metrics.elidedText(rest, Qt.TextElideMode.ElideRight, max(width, 0)))
    if len(_line_cache) > 5000:
        _line_cache.clear()
    _line_cache[key] = lines
    return lines


def booking_tooltip(booking: BookingCell) -> str:
    """Tooltip text of a booking cell."""
    times = f"{booking.start:%m/%d %H:%M}–{booking.end:%H:%M}"
    lines = [booking.applicant_name, times, status_label(booking.status), _("{count} people").format(count=booking.expected_people)]
    if booking.purpose:
        lines.insert(1, booking.purpose)
    if booking.attendance is not None:
        lines.append(_("Attendance: {count}").format(count=booking.attendance))
    lines.append(booking.slip_no)
    return "\n".join(lines)


def cell_tooltip(bookings: list[BookingCell]) -> str:
    """Tooltip of a cell: every booking in it, with a count when there are several."""
    if len(bookings) == 1:
        return booking_tooltip(bookings[0])
    parts = [_("{count} bookings").format(count=len(bookings))]
    parts += [booking_tooltip(booking) for booking in sorted(bookings, key=lambda b: b.start)]
    return "\n\n".join(parts)


class BookingGrid(QWidget):
    """Paints a :class:`Grid`; emits what the clerk asks for."""

    new_requested = Signal(object)  # NewBooking
    open_requested = Signal(int)  # booking id
    today_requested = Signal()
    page_requested = Signal(int)  # -1 / +1
    cursor_moved = Signal(object)  # the BookingCell under the cursor, or None

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("booking_grid")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.grid: Grid | None = None
        self.mode = DAY
        self.cursor = (0, 0)
        self.selection: Selection | None = None
        self._pressed_booking: int | None = None
        self._dragging = False
        self._anchor: int | None = None  # column where a marking started
        self.last_click: tuple[QPoint, QElapsedTimer] | None = None  # (global place, since) of the click that asked last

    # --- data ---------------------------------------------------------------------------------

    def set_grid(self, grid: Grid, mode: str) -> None:
        """Show ``grid``; keep the cursor inside it and clear the marking."""
        self.grid, self.mode = grid, mode
        rows, columns = max(len(grid.rooms), 1), max(len(grid.columns), 1)
        self.cursor = (min(self.cursor[0], rows - 1), min(self.cursor[1], columns - 1))
        self.selection = None
        self.setMinimumHeight(self.sizeHint().height())
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        rows = len(self.grid.rooms) if self.grid else 0
        return QSize(LABEL_WIDTH + 30 * 26, HEADER_TOP + HEADER_BOTTOM + rows * ROW_HEIGHT + 1)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(LABEL_WIDTH + 200, self.sizeHint().height())

    # --- geometry -----------------------------------------------------------------------------

    def _column_width(self) -> float:
        count = len(self.grid.columns) if self.grid else 1
        return max((self.width() - LABEL_WIDTH - 1) / max(count, 1), 8.0)

    def cell_rect(self, row: int, column: int, last: int | None = None) -> QRect:
        """The rectangle of a cell (or of columns ``column`` … ``last`` of one row)."""
        width = self._column_width()
        x = LABEL_WIDTH + column * width
        right = LABEL_WIDTH + ((last if last is not None else column) + 1) * width
        y = HEADER_TOP + HEADER_BOTTOM + row * ROW_HEIGHT
        return QRect(round(x), y, round(right) - round(x), ROW_HEIGHT)

    def booking_rect(self, booking: BookingCell, row: int, first: int, last: int) -> QRect:
        """The box of a booking: its cells, or its lane of them when bookings share a cell."""
        rect = self.cell_rect(row, first, last)
        lane, count = self.grid.lane_of(booking.id) if self.grid else (0, 1)
        if count <= 1:
            return rect
        top = rect.y() + 2 + (ROW_HEIGHT - 4) * lane // count
        bottom = rect.y() + 2 + (ROW_HEIGHT - 4) * (lane + 1) // count
        return QRect(rect.x(), top - 3, rect.width(), bottom - top + 6)

    def booking_at_point(self, point: QPoint) -> BookingCell | None:
        """The booking under ``point`` (the right lane when bookings share a cell)."""
        cell = self.cell_at(point)
        if cell is None or self.grid is None:
            return None
        found = self.grid.bookings_at(*cell)
        for booking in found:
            lane, count = self.grid.lane_of(booking.id)
            if count <= 1:
                return booking
            rect = self.cell_rect(*cell)
            if (point.y() - rect.y()) * count // ROW_HEIGHT == lane:
                return booking
        return found[0] if found else None

    def cell_at(self, point: QPoint) -> tuple[int, int] | None:
        """(row, column) under ``point``, None outside the cells."""
        if self.grid is None or point.x() < LABEL_WIDTH or point.y() < HEADER_TOP + HEADER_BOTTOM:
            return None
        column = int((point.x() - LABEL_WIDTH) / self._column_width())
        row = (point.y() - HEADER_TOP - HEADER_BOTTOM) // ROW_HEIGHT
        if 0 <= row < len(self.grid.rooms) and 0 <= column < len(self.grid.columns):
            return row, column
        return None

    # --- painting -------------------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        grid = self.grid
        if grid is None or not grid.columns:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, _("No rooms to show."))
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        self._paint_backgrounds(painter, grid)
        self._paint_headers(painter, grid)
        self._paint_lines(painter, grid)
        self._paint_bookings(painter, grid)
        self._paint_selection(painter)

    def _paint_backgrounds(self, painter: QPainter, grid: Grid) -> None:
        bottom = HEADER_TOP + HEADER_BOTTOM + len(grid.rooms) * ROW_HEIGHT
        for index, column in enumerate(grid.columns):
            top_rect = self.cell_rect(0, index)
            area = QRect(top_rect.x(), HEADER_TOP + HEADER_BOTTOM, top_rect.width(), bottom - HEADER_TOP - HEADER_BOTTOM)
            if grid.is_closed(index):
                painter.fillRect(area, CLOSED_FILL)
            elif column.day.weekday() >= 5 or (grid.statuses.get(column.day) and grid.statuses[column.day].holiday_name):
                painter.fillRect(area, WEEKEND_FILL)
        small = QFont(self.font())
        for row, room in enumerate(grid.rooms):
            rect = QRect(6, HEADER_TOP + HEADER_BOTTOM + row * ROW_HEIGHT, LABEL_WIDTH - 10, ROW_HEIGHT)
            painter.setPen(QColor("#1f2430"))
            painter.setFont(small)
            painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, f"{room.name}\n" + _("up to {count}").format(count=room.capacity))

    def _paint_headers(self, painter: QPainter, grid: Grid) -> None:
        bold = QFont(self.font())
        bold.setBold(True)
        small = QFont(self.font())
        small.setPointSizeF(max(self.font().pointSizeF() - 1.5, 7))
        days: list[tuple[int, int]] = []
        for index, column in enumerate(grid.columns):
            if days and grid.columns[days[-1][0]].day == column.day:
                days[-1] = (days[-1][0], index)
            else:
                days.append((index, index))
        for first, last in days:
            day = grid.columns[first].day
            rect = self.cell_rect(0, first, last)
            header = QRect(rect.x(), 0, rect.width(), HEADER_TOP)
            status = grid.statuses.get(day)
            text = _("{month}/{day} ({weekday})").format(month=day.month, day=day.day, weekday=weekday_short(day)) if self.mode != DAY else ""
            note = ""
            if status is not None and not status.is_open:
                note = status.reason or _("Closed")
            elif status is not None and status.holiday_name:
                note = status.holiday_name
            painter.setPen(HOLIDAY_TEXT if (status and (status.holiday_name or not status.is_open)) or day.weekday() == 6 else QColor("#1f2430"))
            area = header.adjusted(4, 0, -4, 0)
            if text:
                painter.setFont(bold)
                painter.drawText(area, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
                area.setLeft(area.left() + painter.fontMetrics().horizontalAdvance(text) + 4)
            if note:
                painter.setFont(small)
                elided = painter.fontMetrics().elidedText(note, Qt.TextElideMode.ElideRight, max(area.width(), 0))
                painter.drawText(area, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, elided)
        painter.setFont(small)
        painter.setPen(QColor("#3a4050"))
        for index, column in enumerate(grid.columns):
            rect = self.cell_rect(0, index)
            label = column.slot or (f"{column.start.hour}" if column.start.minute == 0 else "")
            if label:
                painter.drawText(QRect(rect.x() + 2, HEADER_TOP, max(rect.width() * 2, 30), HEADER_BOTTOM), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, label)

    def _paint_lines(self, painter: QPainter, grid: Grid) -> None:
        bottom = HEADER_TOP + HEADER_BOTTOM + len(grid.rooms) * ROW_HEIGHT
        for index, column in enumerate(grid.columns):
            x = self.cell_rect(0, index).x()
            new_day = index == 0 or grid.columns[index - 1].day != column.day
            painter.setPen(QPen(DAY_LINE if new_day and self.mode != DAY else HOUR_LINE if column.start.minute == 0 else GRID_LINE, 1))
            painter.drawLine(x, HEADER_TOP if new_day else HEADER_TOP + HEADER_BOTTOM // 2, x, bottom)
        right = self.cell_rect(0, len(grid.columns) - 1).right()
        painter.setPen(QPen(GRID_LINE, 1))
        for row in range(len(grid.rooms) + 1):
            y = HEADER_TOP + HEADER_BOTTOM + row * ROW_HEIGHT
            painter.drawLine(0, y, right, y)

    def _paint_bookings(self, painter: QPainter, grid: Grid) -> None:
        small = QFont(self.font())
        small.setPointSizeF(max(self.font().pointSizeF() - 1, 7))
        painter.setFont(small)
        metrics = painter.fontMetrics()
        ascent, line_height = metrics.ascent(), metrics.height()
        styles = _styles()
        text_pen = QPen(QColor("#1b1f29"))
        boxes: dict[str, list[QRect]] = {}
        for booking, row, first, last in grid.spans:
            boxes.setdefault(booking.status, []).append(self.booking_rect(booking, row, first, last).adjusted(2, 3, -2, -3))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for status, rects in boxes.items():  # one pen and brush per status
            brush, pen = styles.get(status, styles[""])
            painter.setPen(pen)
            painter.setBrush(brush)
            for rect in rects:
                painter.drawRoundedRect(rect, 4, 4)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(text_pen)
        for booking, row, first, last in grid.spans:
            rect = self.booking_rect(booking, row, first, last).adjusted(5, 3, -3, -3)
            text = booking.applicant_name
            if booking.checked_in and booking.status not in (BookingStatus.USED, BookingStatus.NO_SHOW):
                text = "✓ " + text
            lines = _lines(metrics, text, rect.width(), max(rect.height() // line_height, 1))
            y = rect.y() + (rect.height() - len(lines) * line_height) // 2 + ascent
            for line in lines:
                painter.drawText(rect.x(), y, line)
                y += line_height

    def _paint_selection(self, painter: QPainter) -> None:
        if self.selection is not None:
            rect = self.cell_rect(self.selection.row, self.selection.first, self.selection.last)
            painter.fillRect(rect, SELECTION_FILL)
        if self.hasFocus() and self.grid and self.grid.rooms:
            painter.setPen(QPen(QColor("#1a56db"), 2))
            painter.drawRect(self.cell_rect(*self.cursor).adjusted(1, 1, -1, -1))

    # --- mouse ----------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if event.button() != Qt.MouseButton.LeftButton or self.grid is None:
            return super().mousePressEvent(event)
        self.setFocus()
        cell = self.cell_at(event.position().toPoint())
        if cell is None:
            return None
        self.cursor = cell
        booking = self.booking_at_point(event.position().toPoint())
        self._pressed_booking = booking.id if booking else None
        self._dragging = booking is None
        self.selection = Selection(cell[0], cell[1], cell[1]) if booking is None else None
        self._anchor = cell[1] if booking is None else None
        self.cursor_moved.emit(booking)
        self.update()
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if not self._dragging or self.selection is None or self.grid is None or self._anchor is None:
            return
        cell = self.cell_at(event.position().toPoint())
        if cell is None:
            return
        self.selection = self.grid.extend(Selection(self.selection.row, self._anchor, self._anchor), cell[1])
        if self.selection.first <= cell[1] <= self.selection.last:
            self.cursor = (self.selection.row, cell[1])
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if event.button() != Qt.MouseButton.LeftButton or self.grid is None:
            return
        since = QElapsedTimer()
        since.start()
        self.last_click = (event.globalPosition().toPoint(), since)
        if self._pressed_booking is not None:
            booking = self.booking_at_point(event.position().toPoint())
            if booking is not None and booking.id == self._pressed_booking:
                self.open_requested.emit(booking.id)
        elif self._dragging and self.selection is not None:
            self._emit_proposal(self.selection)
        self._pressed_booking, self._dragging, self._anchor = None, False, None

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        """The first click already opened or proposed: the second one of a double-click does nothing."""
        event.accept()

    def event(self, event: QEvent) -> bool:  # tooltips of bookings
        if event.type() == QEvent.Type.ToolTip and self.grid is not None:
            cell = self.cell_at(event.pos())
            found = self.grid.bookings_at(*cell) if cell else []
            if found:
                QToolTip.showText(event.globalPos(), cell_tooltip(found), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    # --- keyboard -------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        grid = self.grid
        key, modifiers = event.key(), event.modifiers()
        if grid is None or not grid.rooms or not grid.columns:
            return super().keyPressEvent(event)
        moves = {Qt.Key.Key_Left: (0, -1), Qt.Key.Key_Right: (0, 1), Qt.Key.Key_Up: (-1, 0), Qt.Key.Key_Down: (1, 0)}
        if key in moves:
            d_row, d_col = moves[key]
            row = min(max(self.cursor[0] + d_row, 0), len(grid.rooms) - 1)
            column = min(max(self.cursor[1] + d_col, 0), len(grid.columns) - 1)
            if modifiers & Qt.KeyboardModifier.ShiftModifier and d_col and grid.is_free(*self.cursor):
                if self.selection is None or self.selection.row != self.cursor[0] or self._anchor is None:
                    self.selection, self._anchor = Selection(self.cursor[0], self.cursor[1], self.cursor[1]), self.cursor[1]
                extended = grid.extend(Selection(self.cursor[0], self._anchor, self._anchor), column)
                if extended.first <= column <= extended.last:
                    self.selection, self.cursor = extended, (row, column)
            else:
                self.cursor, self.selection, self._anchor = (row, column), None, None
            self.cursor_moved.emit(grid.booking_at(*self.cursor))
            self.update()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            booking = grid.booking_at(*self.cursor)
            if booking is not None:
                self.open_requested.emit(booking.id)
            else:
                self.propose(cursor_cell=True)
        elif key == Qt.Key.Key_N and modifiers & Qt.KeyboardModifier.ControlModifier:
            if not self.propose():
                self.new_requested.emit(None)
        elif key == Qt.Key.Key_T and not modifiers & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            self.today_requested.emit()
        elif key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            self.page_requested.emit(-1 if key == Qt.Key.Key_PageUp else 1)
        elif key == Qt.Key.Key_Escape:
            self.selection = None
            self.update()
        else:
            super().keyPressEvent(event)

    def propose(self, cursor_cell: bool = False) -> bool:
        """Ask for a new booking of the marked cells; with ``cursor_cell`` (Enter) of the free cell under the
        cursor when nothing is marked. False when there is nothing to propose (the caller opens a blank booking)."""
        grid = self.grid
        if grid is None or not grid.rooms or not grid.columns:
            return False
        selection = self.selection
        if selection is None:
            if not cursor_cell or not grid.is_free(*self.cursor):
                return False
            selection = Selection(self.cursor[0], self.cursor[1], self.cursor[1])
        self._emit_proposal(selection)
        return True

    def _emit_proposal(self, selection: Selection) -> None:
        """Propose ``selection`` once: the marking is used up, so a later 新規予約 never reuses it."""
        proposal = self.grid.proposal(selection)
        self.selection, self._anchor = None, None
        self.update()
        self.new_requested.emit(proposal)

    def select_booking(self, booking_id: int) -> bool:
        """Put the cursor on a booking shown in the grid."""
        if self.grid is None:
            return False
        found = self.grid.position_of(booking_id)
        if found is None:
            return False
        self.cursor, self.selection = found, None
        self.update()
        return True
