"""共催・後援: the register of applications for the city's or the center's name on an event, by
fiscal year of receipt and status. Buttons: 申請を受け付ける (the form), 編集 (while applied for),
取り下げる (applied for or approved: an approved one's credit stops and the screen says what became
of the 減免 of the event's booking), 承認 (with conditions and the 減免 of the event's booking) and 不承認 (with
its reason), 通知書を保存 (the 名義使用承認通知書 or 不承認通知 as PDF). Each button and filter has
its own Alt+letter (none taken by the menus: F, V, H).

After an approval the screen says what it changed elsewhere: the event's flyer prints 共催 / 後援
with the name (only a stored event has a flyer) and the event's booking got the 減免 reason.
Every action runs on the background runner through :mod:`center_app.services.endorsements`; a
refusal is shown and nothing is written.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QMessageBox, QPushButton, QTableWidgetItem, QVBoxLayout, QWidget,
)

from center_app.domain import clock
from center_app.domain.booking_values import Choice
from center_app.domain.fiscal import fiscal_year_label, fiscal_year_of
from center_app.domain.programs import EndorsementKind, EndorsementStatus
from center_app.domain.wareki import format_day
from center_app.i18n import N_, _
from center_app.services import bookings_calendar, documents, endorsements, events
from center_app.ui.pdf_output import save_pdf
from center_app.ui.screens.programs.endorsement_form import DecisionDialog, EndorsementForm
from center_app.ui.state import AppState
from center_app.ui.widgets import read_only_table, show_error

COLUMNS = (N_("No."), N_("Received on"), N_("Kind"), N_("Applying group or person"), N_("Event"), N_("Event date"), N_("Name applied for"),
           N_("Status"), N_("Decided on"), N_("Conditions or reason"))
#: Fiscal years offered before the current one.
YEARS_BACK = 5


def _day(day) -> str:
    return format_day(day, weekday=False) if day else ""


def approval_note(view: endorsements.EndorsementView, exemptions: dict[str, str]) -> str:
    """What an approval changed elsewhere, as the screen says it after the decision."""
    lines = [_("Approved: application {id}.").format(id=view.id)]
    if view.event_id is not None:
        lines.append(_("The event's flyer now prints 「{kind}：{name}」.").format(kind=view.kind.label, name=view.name_lent))
    else:
        lines.append(_("The event is not a stored event: no flyer prints the name."))
    if view.exemption_code and view.booking_id is not None:
        lines.append(_("The event's booking now has the fee exemption 「{exemption}」.").format(
            exemption=exemptions.get(view.exemption_code, view.exemption_code)))
    return "\n".join(lines)


class EndorsementsScreen(QWidget):
    """The 共催・後援 tab of the 補助金・協働 section."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.rows: list[endorsements.EndorsementView] = []
        self.exemptions: list[Choice] = []
        self.form: EndorsementForm | None = None
        self.decision: DecisionDialog | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        year_label = QLabel(_("Fiscal &year received"))
        top.addWidget(year_label)
        self.year = QComboBox()
        self.year.setObjectName("endorsement_year")
        year_label.setBuddy(self.year)
        current = fiscal_year_of(clock.today())
        for year in range(current + 1, current - YEARS_BACK - 1, -1):
            self.year.addItem(_("{label} ({year})").format(label=fiscal_year_label(year), year=year), year)
        self.year.addItem(_("All years"), None)
        self.year.setCurrentIndex(self.year.findData(current))
        top.addWidget(self.year)
        status_label = QLabel(_("&Status"))
        top.addWidget(status_label)
        self.status = QComboBox()
        self.status.setObjectName("endorsement_status")
        status_label.setBuddy(self.status)
        self.status.addItem(_("All"), None)
        for status in EndorsementStatus:
            self.status.addItem(status.label, status.value)
        top.addWidget(self.status)
        self.summary = QLabel("")
        self.summary.setObjectName("endorsement_summary")
        top.addWidget(self.summary, 1)
        layout.addLayout(top)
        self.year.currentIndexChanged.connect(lambda _i: self.reload())
        self.status.currentIndexChanged.connect(lambda _i: self.reload())
        self.table = read_only_table([_(c) for c in COLUMNS], "endorsement_table")
        self.table.itemSelectionChanged.connect(self._selected)
        self.table.doubleClicked.connect(lambda _index: self.edit())
        layout.addWidget(self.table, 1)
        self.detail = QLabel("")
        self.detail.setObjectName("endorsement_detail")
        self.detail.setWordWrap(True)
        layout.addWidget(self.detail)
        self.note = QLabel("")
        self.note.setObjectName("endorsement_note")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        buttons = QHBoxLayout()
        self.receive_button = QPushButton(_("&Receive an application…"))
        self.receive_button.clicked.connect(self.receive)
        self.edit_button = QPushButton(_("&Edit…"))
        self.edit_button.clicked.connect(self.edit)
        self.withdraw_button = QPushButton(_("&Withdraw"))
        self.withdraw_button.clicked.connect(self.withdraw)
        self.approve_button = QPushButton(_("&Approve…"))
        self.approve_button.clicked.connect(lambda: self.decide(True))
        self.refuse_button = QPushButton(_("Do &not approve…"))
        self.refuse_button.clicked.connect(lambda: self.decide(False))
        self.letter_button = QPushButton(_("Save the &letter…"))
        self.letter_button.clicked.connect(self.save_letter)
        for button in (self.receive_button, self.edit_button, self.withdraw_button, self.approve_button, self.refuse_button,
                       self.letter_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self._selected()

    def activate(self) -> None:
        """Reload the register (and the 減免 reasons) when the tab is shown."""
        self.state.runner.submit(bookings_calendar.booking_choices, self.state.ctx,
                                 on_done=lambda choices: setattr(self, "exemptions", list(choices.exemptions)), on_error=self._failed)
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        """Load the register for the chosen year and status; select ``select_id`` if listed."""
        self.state.runner.submit(endorsements.list_endorsements, self.state.ctx, self.year.currentData(), self.status.currentData(),
                                 on_done=lambda rows: self._show(rows, select_id), on_error=self._failed)

    def _failed(self, error: BaseException) -> None:
        show_error(self, error)

    def _show(self, rows: list[endorsements.EndorsementView], select_id: int | None = None) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, v in enumerate(rows):
            cells = [str(v.id), _day(v.received_on), v.kind.label, v.applicant_name, v.event_title, _day(v.event_date),
                     v.name_lent, v.status.label, _day(v.decided_on), v.conditions or v.reason]
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        counts = {kind: sum(1 for v in rows if v.kind is kind and v.status is EndorsementStatus.APPROVED) for kind in EndorsementKind}
        self.summary.setText(_("{count} applications; approved: co-hosting {cohost}, support {support}").format(
            count=len(rows), cohost=counts[EndorsementKind.COHOST], support=counts[EndorsementKind.SUPPORT]))
        index = next((i for i, v in enumerate(rows) if v.id == select_id), None)
        if index is not None:
            self.table.selectRow(index)
        else:
            self.table.clearSelection()
        self._selected()

    def selected(self) -> endorsements.EndorsementView | None:
        """The application of the selected row (None: none selected)."""
        model = self.table.selectionModel()
        chosen = model.selectedRows() if model else []
        return self.rows[chosen[0].row()] if chosen and chosen[0].row() < len(self.rows) else None

    def _selected(self) -> None:
        view = self.selected()
        applied = view is not None and view.status is EndorsementStatus.APPLIED
        decided = view is not None and view.status in (EndorsementStatus.APPROVED, EndorsementStatus.REFUSED)
        for button in (self.edit_button, self.approve_button, self.refuse_button):
            button.setEnabled(applied)
        self.withdraw_button.setEnabled(applied or (view is not None and view.status is EndorsementStatus.APPROVED))
        self.letter_button.setEnabled(decided)
        if view is None:
            self.detail.setText("")
            return
        parts = [_("Place: {place}").format(place=view.event_place)] if view.event_place else []
        if view.request:
            parts.append(_("Asked: {request}").format(request=view.request))
        if view.event_id is None:
            parts.append(_("Not a stored event (no flyer)."))
        self.detail.setText("　".join(parts))

    # --- actions ------------------------------------------------------------------------------

    def receive(self) -> None:
        """Open the form for a new application."""
        self._open_form(None)

    def edit(self) -> None:
        """Open the form of the selected application (while applied for)."""
        view = self.selected()
        if view is not None and view.status is EndorsementStatus.APPLIED:
            self._open_form(view)

    def _open_form(self, view: endorsements.EndorsementView | None) -> None:
        self.state.runner.submit(events.list_events, self.state.ctx, from_date=clock.today(),
                                 on_done=lambda upcoming: self._show_form(upcoming, view), on_error=self._failed)

    def _show_form(self, upcoming, view) -> None:
        self.form = EndorsementForm(self.state, upcoming, view, self)
        self.form.finished.connect(lambda _result: self._form_closed())
        self.form.open()

    def _form_closed(self) -> None:
        saved = self.form.saved if self.form else None
        if saved is not None:
            self.note.setText(_("Saved: application {id}.").format(id=saved.id))
            self.reload(saved.id)

    def decide(self, approve: bool) -> None:
        """Open the decision of the selected application (承認 or 不承認)."""
        view = self.selected()
        if view is None or view.status is not EndorsementStatus.APPLIED:
            return
        self.decision = DecisionDialog(self.state, view, approve, self.exemptions, self)
        self.decision.finished.connect(lambda _result: self._decided())
        self.decision.open()

    def _decided(self) -> None:
        view = self.decision.decided if self.decision else None
        if view is None:
            return
        if view.status is EndorsementStatus.APPROVED:
            self.note.setText(approval_note(view, {c.code: c.name for c in self.exemptions}))
        else:
            self.note.setText(_("Not approved: application {id}. Save the letter to send the reason.").format(id=view.id))
        self.reload(view.id)

    def withdraw(self) -> None:
        """取下げ of the selected application (applied for or approved), after a question (default
        いいえ); an approved one's question says that its credit and 減免 stop."""
        view = self.selected()
        if view is None or view.status not in (EndorsementStatus.APPLIED, EndorsementStatus.APPROVED):
            return
        question = _("Withdraw application {id} ({title})? It stays in the register.").format(id=view.id, title=view.event_title)
        if view.status is EndorsementStatus.APPROVED:
            question = _("Withdraw approved application {id} ({title})? The flyer and the public site stop printing "
                         "「{kind}：{name}」, and a booking of the event still to come loses the fee exemption of the approval. "
                         "It stays in the register.").format(id=view.id, title=view.event_title, kind=view.kind.label,
                                                             name=view.name_lent)
        answer = QMessageBox.question(self, _("Withdraw"), question, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.state.runner.submit(endorsements.withdraw_endorsement, self.state.ctx, view.id, expected_version=view.version,
                                     on_done=lambda done: self._withdrawn(done), on_error=self._failed)

    def _withdrawn(self, view: endorsements.EndorsementView) -> None:
        lines = [_("Withdrawn: application {id}.").format(id=view.id)]
        if view.booking_note:
            lines.append(view.booking_note)
        self.note.setText("\n".join(lines))
        self.reload(view.id)

    def save_letter(self) -> None:
        """Save the letter of the selected decided application as PDF."""
        view = self.selected()
        if view is None:
            return
        self.state.runner.submit(documents.endorsement_letter_pdf, self.state.ctx, view.id,
                                 on_done=lambda pdf: self._letter(pdf, view.id), on_error=self._failed)

    def _letter(self, pdf: bytes, endorsement_id: int) -> None:
        saved = save_pdf(self, pdf, f"endorsement-{endorsement_id}.pdf")
        if saved is not None:
            self.note.setText(_("Saved the letter to {path}.").format(path=saved))
