"""Table model of the group list: pages of :class:`GroupSummary` fetched lazily through the runner.

The order is the service's (五十音順 of the reading, or the column whose header was clicked,
sorted in the database by :meth:`GroupTableModel.sort`); row ``n`` is always ``rows[n]`` and
actions take the group id from :meth:`GroupTableModel.group_id`.
A new query replaces the rows when its first page arrives; late pages of an older query are
dropped (the generation counter), so fast typing never mixes results.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from center_app.i18n import N_, _
from center_app.domain.wareki import format_day
from center_app.services.group_values import EXPIRED, PAUSED, WITHDRAWN, GroupPage, GroupSummary, legal_form_label, status_label
from center_app.ui.runner import Runner

#: Rows fetched per page (the table shows about 25; more are fetched on scrolling).
PAGE_SIZE = 50
#: Columns: (attribute of GroupSummary, English header id).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("registration_no", N_("Registration number")),
    ("name", N_("Group name")),
    ("name_kana", N_("Reading (katakana)")),
    ("status", N_("Status")),
    ("legal_form", N_("Legal form")),
    ("main_field", N_("Main activity field")),
    ("representative_name", N_("Representative")),
    ("phone", N_("Phone")),
    ("valid_until", N_("Valid until")),
)
_STATUS_COLORS = {EXPIRED: QColor("#b00020"), PAUSED: QColor("#8a6d00"), WITHDRAWN: QColor("#777777")}
_DISPLAY, _FOREGROUND, _USER = int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.ForegroundRole), int(Qt.ItemDataRole.UserRole)
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

Fetch = Callable[[int, int], GroupPage]


class GroupTableModel(QAbstractTableModel):
    """Read-only list of groups; ``UserRole`` of any cell is the group id.

    ``set_query(fetch)`` starts a new search: ``fetch(offset, limit)`` runs on the runner and
    returns a :class:`GroupPage`. ``loaded`` is emitted after each page, ``failed(error)`` when
    a fetch fails.
    """

    loaded = Signal()
    failed = Signal(object)
    sort_changed = Signal()

    def __init__(self, runner: Runner, parent=None):
        super().__init__(parent)
        self.runner = runner
        self.rows: list[GroupSummary] = []
        #: Per row: the text of each column and the text colour (None: the palette's), made once
        #: when the rows arrive, so painting reads them instead of asking ``data()``.
        self.cells: list[tuple[tuple[str, ...], QColor | None, QColor | None]] = []
        self.total = 0
        #: False while ``total`` is only a lower bound (the count was left out while typing).
        self.exact = True
        self._fetch: Fetch | None = None
        self._generation = 0
        self._loading = False
        self._requested_offset = 0
        self.order, self.descending = "name_kana", False  # the clicked header, for the controller's query

    # --- loading ---------------------------------------------------------------------------------

    def set_query(self, fetch: Fetch) -> None:
        """Search again with ``fetch``; the current rows stay until the first page arrives."""
        self._fetch = fetch
        self._generation += 1
        self._request(0)

    def reload(self) -> None:
        """Run the current query again (after a change), from the first page."""
        if self._fetch is not None:
            self.set_query(self._fetch)

    def _request(self, offset: int) -> None:
        self._loading, self._requested_offset = True, offset
        generation = self._generation
        self.runner.submit(
            self._fetch, offset, PAGE_SIZE,
            on_done=lambda page: self._page_loaded(generation, page),
            on_error=lambda error: self._page_failed(generation, error),
        )

    def _page_loaded(self, generation: int, page: GroupPage) -> None:
        if generation != self._generation:
            return
        self._loading = False
        if page.offset == 0:
            self.beginResetModel()
            self.rows = list(page.items)
            self.cells = [_cells(g) for g in page.items]
            self.total, self.exact = page.total, page.exact
            self.endResetModel()
        elif page.items and page.offset == len(self.rows):
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(page.items) - 1)
            self.rows.extend(page.items)
            self.cells.extend(_cells(g) for g in page.items)
            if page.exact or not self.exact:  # a count that arrived meanwhile stays
                self.total, self.exact = page.total, page.exact
            self.endInsertRows()
        self.loaded.emit()

    @property
    def searching(self) -> bool:
        """Whether the first page of the current query has not arrived yet."""
        return self._loading and self._requested_offset == 0

    @property
    def generation(self) -> int:
        """Which query the rows belong to (a new search adds one)."""
        return self._generation

    def set_total(self, generation: int, total: int) -> None:
        """The count of query ``generation``, counted afterwards (dropped for an older query)."""
        if generation == self._generation:
            self.total, self.exact = max(total, len(self.rows)), True
            self.loaded.emit()

    def _page_failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            self._loading = False
            self.failed.emit(error)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """A clicked header: search again sorted by that column (in the database, so every page
        follows it)."""
        if not 0 <= column < len(COLUMNS):
            return
        self.order, self.descending = COLUMNS[column][0], order == Qt.SortOrder.DescendingOrder
        if self._fetch is not None:
            self.sort_changed.emit()

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._loading and self._fetch is not None and len(self.rows) < self.total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._request(len(self.rows))

    # --- lookup ----------------------------------------------------------------------------------

    def group_id(self, row: int) -> int | None:
        """The id of the group shown at ``row`` (None out of range)."""
        return self.rows[row].id if 0 <= row < len(self.rows) else None

    def summary(self, row: int) -> GroupSummary | None:
        """The group shown at ``row`` (None out of range)."""
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def row_of(self, group_id: int) -> int | None:
        """The row showing group ``group_id``, if loaded."""
        return next((i for i, g in enumerate(self.rows) if g.id == group_id), None)

    # --- Qt model --------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY) -> Any:
        # Called for ~7 roles of every visible cell on each repaint: the role is checked first
        # (as a plain int), so the roles this model does not use cost almost nothing.
        if role != _DISPLAY and role != _FOREGROUND and role != _USER:
            return None
        row, column = index.row(), index.column()
        if not 0 <= row < len(self.rows) or not 0 <= column < len(COLUMNS):
            return None  # also an invalid index (-1, -1)
        texts, status_color, row_color = self.cells[row]
        if role == _DISPLAY:
            return texts[column]
        if role == _USER:
            return self.rows[row].id
        return status_color if column == STATUS_COLUMN else row_color

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return _(COLUMNS[section][1])
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags


#: The column of the status (coloured by status).
STATUS_COLUMN = next(i for i, (attribute, _label) in enumerate(COLUMNS) if attribute == "status")


def _cells(group: GroupSummary) -> tuple[tuple[str, ...], QColor | None, QColor | None]:
    """The texts of a row, the colour of its status cell and of its other cells."""
    row_color = _STATUS_COLORS[WITHDRAWN] if group.status == WITHDRAWN else None
    return tuple(display(group, attribute) for attribute, _label in COLUMNS), _STATUS_COLORS.get(group.status), row_color


def display(group: GroupSummary, attribute: str) -> str:
    """The text of one cell."""
    value = getattr(group, attribute)
    if attribute == "status":
        return status_label(value)
    if attribute == "legal_form":
        return legal_form_label(value)
    if isinstance(value, dt.date):
        return format_day(value, weekday=False)
    return "" if value is None else str(value)
