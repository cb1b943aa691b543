"""The application form of 補助金・協働 (受付 and its edit while 受付).

The group is found with the forms' one group search (``ui.widgets.group_search``: name,
reading, phone or registration number, typed or scanned; Enter picks, never saves) — then the
project, its 活動分野, the budget lines (item, yen; 「行を追加」 /
「行を削除」), the requested amount (yen), the documents received (a checklist) and the date
received. The service's refusals — outside the window, an ineligible group, a second
application, the fields — are shown under the field they concern; a request over the round's
cap is only noted (the allocation grants at most the cap). An edit saves onto the version it
was opened with; the group cannot change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from center_app.domain.errors import StaleEditError, ValidationError
from center_app.domain.programs import APPLICATION_DOCUMENTS
from center_app.i18n import _
from center_app.services import programs, programs_queries
from center_app.services.group_values import REGISTERED, GroupSummary
from center_app.ui.date_entry import DateEdit
from center_app.ui.screens.programs.form import FormDialog
from center_app.ui.state import AppState
from center_app.ui.widgets import error_label, field_messages, field_with_error, fit_error_labels, set_error, show_refusal
from center_app.ui.widgets.group_search import GroupSearch

FIELDS = ("group_id", "received_on", "project_title", "budget_lines", "requested_yen")



class ApplicationDialog(FormDialog):
    """受付 (``current`` None) of an application to round ``round_view``, or the edit of
    ``current``."""

    def __init__(self, state: AppState, round_view: programs_queries.RoundView, fields: list, on_saved: Callable,
                 parent: QWidget | None = None, current: programs_queries.ApplicationView | None = None):
        super().__init__(state, _("Edit the application") if current else _("Receive an application"), on_saved, parent)
        self.round_view, self.current = round_view, current
        self.errors = {name: error_label() for name in FIELDS}
        for name, label in self.errors.items():
            label.setObjectName(f"error_{name}")
        self.finder = GroupSearch(state)
        self.finder.search.setObjectName("application_search")
        self.finder.picked.connect(lambda _group: set_error(self.errors["group_id"], ""))
        self.finder.failed.connect(lambda error: show_refusal(self, self.errors["group_id"], error))
        self.add_row(_("&Group"), field_with_error(self.finder, self.errors["group_id"])).setFocusProxy(self.finder)
        self.received = DateEdit(state.date)
        self.received.setObjectName("application_received")
        self.add_row(_("&Received on"), field_with_error(self.received, self.errors["received_on"])).setFocusProxy(self.received)
        self.project = QLineEdit()
        self.project.setObjectName("application_project")
        self.add_row(_("&Project"), field_with_error(self.project, self.errors["project_title"])).setFocusProxy(self.project)
        self.field = self.add_row(_("Activity &field"), QComboBox())
        self.field.setObjectName("application_field")
        self.field.addItem(_("(not given)"), None)
        for info in fields:
            self.field.addItem(f"{info.code}. {info.name}", info.code)
        lines_box = QWidget()
        lines = QVBoxLayout(lines_box)
        lines.setContentsMargins(0, 0, 0, 0)
        self.lines = QTableWidget(0, 2)
        self.lines.setObjectName("application_lines")
        self.lines.setHorizontalHeaderLabels([_("Item"), _("Amount (yen)")])
        self.lines.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.lines.verticalHeader().setVisible(False)
        self.lines.setTabKeyNavigation(False)
        self.lines.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.lines.setMaximumHeight(130)
        lines.addWidget(self.lines)
        buttons = QHBoxLayout()
        self.add_line_button = QPushButton(_("Add a &line"))
        self.add_line_button.setObjectName("add_line")
        self.add_line_button.clicked.connect(lambda: self.add_line())
        self.remove_line_button = QPushButton(_("Remove the line"))
        self.remove_line_button.clicked.connect(self.remove_line)
        self.lines_total = QLabel()
        self.lines_total.setObjectName("application_lines_total")
        buttons.addWidget(self.add_line_button)
        buttons.addWidget(self.remove_line_button)
        buttons.addStretch(1)
        buttons.addWidget(self.lines_total)
        lines.addLayout(buttons)
        self.add_row(_("Budget &lines"), field_with_error(lines_box, self.errors["budget_lines"])).setFocusProxy(self.lines)
        self.requested = QLineEdit()
        self.requested.setObjectName("application_requested")
        self.cap_note = QLabel()
        self.cap_note.setObjectName("application_cap_note")
        self.cap_note.setWordWrap(True)
        requested_box = field_with_error(self.requested, self.errors["requested_yen"])
        requested_box.layout().addWidget(self.cap_note)
        self.add_row(_("Re&quested (yen)"), requested_box).setFocusProxy(self.requested)
        documents = QWidget()
        grid = QGridLayout(documents)
        grid.setContentsMargins(0, 0, 0, 0)
        names = list(APPLICATION_DOCUMENTS) + [n for n, _r in (current.documents if current else ()) if n not in APPLICATION_DOCUMENTS]
        self.documents: dict[str, QCheckBox] = {}
        for index, name in enumerate(names):
            box = QCheckBox(name)
            box.setObjectName(f"document_{index}")
            self.documents[name] = box
            grid.addWidget(box, index // 3, index % 3)
        self.add_row(_("Documents received"), documents)
        self.requested.textChanged.connect(lambda _t: self._note_cap())
        self.lines.itemChanged.connect(lambda _i: self._show_total())
        if current is not None:
            self.fill(current)
        else:
            self.add_line()
        self.resize(640, self.sizeHint().height())

    @property
    def group_id(self) -> int | None:
        """The id of the applying group (None: none picked yet)."""
        return self.finder.group_id

    # --- the budget lines ------------------------------------------------------------------------

    def add_line(self, item: str = "", amount: str = "") -> None:
        """A new budget line (the cursor goes to its item when added by the clerk)."""
        row = self.lines.rowCount()
        self.lines.insertRow(row)
        self.lines.setItem(row, 0, QTableWidgetItem(item))
        self.lines.setItem(row, 1, QTableWidgetItem(amount))
        self.lines.setCurrentCell(row, 0)

    def remove_line(self) -> None:
        """Remove the current budget line."""
        if self.lines.currentRow() >= 0:
            self.lines.removeRow(self.lines.currentRow())
            self._show_total()

    def budget_lines(self) -> list[tuple[str, str]]:
        """The typed lines (item, yen as typed), wholly empty rows left out."""
        rows = []
        for row in range(self.lines.rowCount()):
            cells = [(self.lines.item(row, c).text() if self.lines.item(row, c) else "").strip() for c in (0, 1)]
            if any(cells):
                rows.append((cells[0], cells[1]))
        return rows

    def _show_total(self) -> None:
        try:
            total = sum(int(amount.replace(",", "")) for _item, amount in self.budget_lines())
        except ValueError:
            self.lines_total.setText("")
            return
        self.lines_total.setText(_("Total {total} yen").format(total=f"{total:,}"))

    def _note_cap(self) -> None:
        text = self.requested.text().replace(",", "").strip()
        cap = self.round_view.cap_yen
        over = text.isdigit() and cap and int(text) > cap
        self.cap_note.setText(_("Over the cap of {cap} yen: at most the cap can be granted.").format(cap=f"{cap:,}") if over else "")

    # --- saving ----------------------------------------------------------------------------------

    def fill(self, view: programs_queries.ApplicationView) -> None:
        """Show ``view`` in the form (the edit, and 「開き直す」)."""
        self.current = view
        self.finder.show_group(GroupSummary(view.group_id, None, view.group_name, "", "", REGISTERED, "", "", "", None))
        self.finder.setEnabled(False)
        self.received.setEnabled(False)
        self.received.setDate(view.received_on)
        self.project.setText(view.project_title)
        self.field.setCurrentIndex(max(self.field.findData(view.field_code), 0))
        self.lines.setRowCount(0)
        for item, amount in view.budget_lines:
            self.add_line(item, f"{amount:,}")
        self.requested.setText(f"{view.requested_yen:,}")
        stored = dict(view.documents)
        for name, box in self.documents.items():
            box.setChecked(stored.get(name, False))
        self._show_total()

    def form_input(self) -> programs.ApplicationInput:
        """What the form says, for the service."""
        return programs.ApplicationInput(
            self.group_id or 0, self.project.text(), self.requested.text(), self.field.currentData(), self.budget_lines(),
            {name: box.isChecked() for name, box in self.documents.items()})

    def submit(self) -> None:
        """Receive the application, or save the edit onto the version it was opened with."""
        for label in self.errors.values():
            set_error(label, "")
        problem = self.received.problem()
        if problem:
            self.refused(ValidationError(problem, "received_on"))
            return
        if self.current is None:
            value = self.received.date()
            self.run(programs.receive_application, self.state.ctx, self.round_view.id, self.form_input(),
                     received_on=dt.date(value.year(), value.month(), value.day()))
        else:
            self.run(programs.update_application, self.state.ctx, self.current.id, self.form_input(),
                     expected_version=self.current.version)

    def refused(self, error: BaseException) -> None:
        """Each problem under its field; the rest (and a stale edit) as the frame shows them."""
        if isinstance(error, ValidationError) and not isinstance(error, StaleEditError):
            self.buttons.setEnabled(True)
            per_field, rest = field_messages(error, list(FIELDS))
            for name, label in self.errors.items():
                set_error(label, per_field.get(name, ""))
            set_error(self.error, rest)
            fit_error_labels(self, [*self.errors.values(), self.error])
            return
        super().refused(error)

    def reopen(self) -> None:
        """Load the application as it is now."""
        round_id, app_id = self.round_view.id, self.current.id
        self.state.runner.submit(lambda: next(a for a in programs_queries.list_applications(self.state.ctx, round_id) if a.id == app_id),
                                 on_done=self._reopened, on_error=self.refused)

    def _reopened(self, view: programs_queries.ApplicationView) -> None:
        self.stale.setVisible(False)
        self.fill(view)
