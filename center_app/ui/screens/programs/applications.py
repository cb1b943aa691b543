"""The 申請 tab of 補助金・協働: the chosen round's applications (number, group, project,
requested yen, documents received, date received, status, granted yen, the 実績報告's spending
and the amount to return), with 「受付…」, 「編集…」 (while 受付), the status moves the flow
allows (受付 → 審査 → 採択 / 不採択 → 交付決定 → 実績報告 → 確定; only the allowed next
statuses are offered), 「実績報告…」 (the actual spending, and the amount to return shown as
it is typed) and 「実績報告の確認…」 (the PDF: granted, spent, to return). Every change names the version the row was shown with: a change made meanwhile on
another PC is refused and the list reloaded.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTableWidgetItem, QVBoxLayout, QWidget

from center_app.domain.programs import NEXT_STATUSES, ApplicationStatus, amount_to_return
from center_app.domain.wareki import format_day
from center_app.i18n import N_, _
from center_app.services import documents, groups, programs, programs_queries
from center_app.ui.pdf_output import save_pdf
from center_app.ui.screens.programs.application_dialog import ApplicationDialog
from center_app.ui.screens.programs.form import FormDialog
from center_app.ui.state import AppState
from center_app.ui.widgets import read_only_table, show_error

COLUMNS = (N_("No."), N_("Group"), N_("Project"), N_("Requested (yen)"), N_("Documents"), N_("Received on"), N_("Status"),
           N_("Granted (yen)"), N_("Actual spending (yen)"), N_("To return (yen)"))


def _yen(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def returned(view: programs_queries.ApplicationView) -> int | None:
    """The amount the group returns after its 実績報告 (yen; None before the report)."""
    if view.actual_spend_yen is None:
        return None
    return amount_to_return(view.granted_yen or 0, view.actual_spend_yen)


class ReportDialog(FormDialog):
    """実績報告: the actual spending of a decided grant; the amount to return is shown as it is
    typed."""

    def __init__(self, state: AppState, view: programs_queries.ApplicationView, on_saved: Callable, parent: QWidget | None = None):
        super().__init__(state, _("Results report"), on_saved, parent)
        self.view = view
        self.form.addRow(_("Project"), QLabel(f"{view.group_name}　{view.project_title}"))
        self.form.addRow(_("Granted (yen)"), QLabel(_yen(view.granted_yen)))
        self.spent = self.add_row(_("&Actual spending (yen)"), QLineEdit())
        self.spent.setObjectName("report_spent")
        self.to_return = QLabel()
        self.to_return.setObjectName("report_to_return")
        self.form.addRow(_("To return (yen)"), self.to_return)
        self.spent.textChanged.connect(self._show_return)
        self.resize(420, self.sizeHint().height())

    def _show_return(self, text: str) -> None:
        digits = text.replace(",", "").strip()
        self.to_return.setText(f"{amount_to_return(self.view.granted_yen or 0, int(digits)):,}" if digits.isdigit() else "")

    def submit(self) -> None:
        """Record the report (実績報告) onto the version shown."""
        self.run(programs.move_application, self.state.ctx, self.view.id, ApplicationStatus.REPORTED, actual_spend_yen=self.spent.text(),
                 expected_version=self.view.version)


class ApplicationsTab(QWidget):
    """申請: ``round_view()`` gives the chosen round; ``changed()`` is called after each change
    (the other tabs reload)."""

    def __init__(self, state: AppState, round_view: Callable[[], programs_queries.RoundView | None], changed: Callable[[], None],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.state, self.round_view, self.changed = state, round_view, changed
        self.applications: list[programs_queries.ApplicationView] = []
        self.fields: list | None = None
        layout = QVBoxLayout(self)
        self.table = read_only_table([_(c) for c in COLUMNS], "applications_table")
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.edit())
        layout.addWidget(self.table, 1)
        self.message = QLabel()
        self.message.setObjectName("applications_message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.receive_button = QPushButton(_("&Receive an application…"))
        self.receive_button.setObjectName("receive_application")
        self.receive_button.clicked.connect(self.receive)
        self.edit_button = QPushButton(_("&Edit…"))
        self.edit_button.setObjectName("edit_application")
        self.edit_button.clicked.connect(self.edit)
        self.next_status = QComboBox()
        self.next_status.setObjectName("next_status")
        self.move_button = QPushButton(_("&Change the status"))
        self.move_button.setObjectName("move_application")
        self.move_button.clicked.connect(self.move)
        self.report_button = QPushButton(_("Results re&port…"))
        self.report_button.setObjectName("report_application")
        self.report_button.clicked.connect(self.report)
        self.check_button = QPushButton(_("Report chec&k…"))
        self.check_button.setObjectName("report_check")
        self.check_button.clicked.connect(self.save_report_check)
        for widget in (self.receive_button, self.edit_button, QLabel(_("Next status")), self.next_status, self.move_button,
                       self.report_button, self.check_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self._selection_changed()

    def load(self) -> None:
        """Reload the chosen round's applications."""
        current = self.round_view()
        if current is None:
            self._show([])
            return
        self.state.runner.submit(programs_queries.list_applications, self.state.ctx, current.id, on_done=self._show,
                                 on_error=lambda error: show_error(self, error))

    def _show(self, applications: list[programs_queries.ApplicationView]) -> None:
        selected = self.selected()
        self.applications = applications
        self.table.setRowCount(len(applications))
        for row, view in enumerate(applications):
            received = sum(1 for _name, ok in view.documents if ok)
            cells = (str(view.id), view.group_name, view.project_title, _yen(view.requested_yen),
                     f"{received}/{len(view.documents)}", format_day(view.received_on), view.status.label, _yen(view.granted_yen),
                     _yen(view.actual_spend_yen), _yen(returned(view)))
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        again = next((row for row, view in enumerate(applications) if selected and view.id == selected.id), None)
        if again is not None:
            self.table.selectRow(again)
        self._selection_changed()

    def selected(self) -> programs_queries.ApplicationView | None:
        """The application of the selected row (None: none)."""
        rows = self.table.selectionModel().selectedRows()
        return self.applications[rows[0].row()] if rows and rows[0].row() < len(self.applications) else None

    def select(self, application_id: int) -> None:
        """Select the row of ``application_id``."""
        row = next((r for r, view in enumerate(self.applications) if view.id == application_id), None)
        if row is not None:
            self.table.selectRow(row)

    def _selection_changed(self) -> None:
        view = self.selected()
        self.next_status.clear()
        for status in NEXT_STATUSES[view.status] if view else ():
            if status is not ApplicationStatus.REPORTED:
                self.next_status.addItem(status.label, status.value)
        self.edit_button.setEnabled(view is not None and view.status is ApplicationStatus.RECEIVED)
        self.move_button.setEnabled(self.next_status.count() > 0)
        self.next_status.setEnabled(self.next_status.count() > 0)
        self.report_button.setEnabled(view is not None and view.status is ApplicationStatus.GRANT_DECIDED)
        self.check_button.setEnabled(view is not None and view.actual_spend_yen is not None)
        self.receive_button.setEnabled(self.round_view() is not None)

    def _with_fields(self, then: Callable[[], None]) -> None:
        if self.fields is not None:
            then()
            return

        def loaded(fields) -> None:
            self.fields = fields
            then()

        self.state.runner.submit(groups.activity_fields, self.state.ctx, on_done=loaded, on_error=lambda error: show_error(self, error))

    def _saved(self, view: programs_queries.ApplicationView) -> None:
        self.message.setText(_("Saved: application {id} of {group}.").format(id=view.id, group=view.group_name))
        self.changed()
        self.select(view.id)

    def receive(self) -> None:
        """Open the application form for a new application to the chosen round."""
        current = self.round_view()
        if current is not None:
            self._with_fields(lambda: self.open_dialog(ApplicationDialog(self.state, current, self.fields, self._saved, self)))

    def edit(self) -> None:
        """Open the selected application's form (while 受付)."""
        view, current = self.selected(), self.round_view()
        if view is not None and current is not None and view.status is ApplicationStatus.RECEIVED:
            self._with_fields(lambda: self.open_dialog(ApplicationDialog(self.state, current, self.fields, self._saved, self, view)))

    def open_dialog(self, dialog: FormDialog) -> None:
        """Show a form of the tab (tests replace it to drive the dialog)."""
        dialog.open()

    def move(self) -> None:
        """Move the selected application to the chosen next status, from the version shown."""
        view, target = self.selected(), self.next_status.currentData()
        if view is None or target is None:
            return
        self.state.runner.submit(programs.move_application, self.state.ctx, view.id, target, expected_version=view.version,
                                 on_done=self._saved, on_error=self._refused)

    def _refused(self, error: BaseException) -> None:
        show_error(self, error)
        self.changed()

    def report(self) -> None:
        """Open the 実績報告 form of the selected (交付決定) application."""
        view = self.selected()
        if view is not None and view.status is ApplicationStatus.GRANT_DECIDED:
            self.open_dialog(ReportDialog(self.state, view, self._saved, self))

    def save_report_check(self) -> None:
        """Save the 実績報告の確認 (PDF) of the selected, reported application."""
        view = self.selected()
        if view is not None and view.actual_spend_yen is not None:
            self.state.runner.submit(documents.grant_report_check_pdf, self.state.ctx, view.id,
                                     on_done=lambda pdf: save_pdf(self, pdf, f"report-check-{view.id}.pdf"),
                                     on_error=lambda error: show_error(self, error))
