"""予約 → 抽選: the opening-day lottery of the toolbar's facility — today's entry window, entries by
group (registration number, room, day, slot, people), the month's entries, and the draw with a
seed (試行 = dry run, 抽選 = book the winners as 仮予約), withdrawing the entry chosen in the list
until the draw, its result (winners with their 仮予約 and
the day to confirm by, losers with the reason and the free alternatives) and the printed result
list. A refused entry keeps what was typed and shows the reason below the form."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QTableWidgetItem, QVBoxLayout, QWidget,
)

from center_app.domain import clock
from center_app.domain.errors import CenterError, ValidationError
from center_app.domain.lottery import LotteryResult
from center_app.domain.wareki import format_day
from center_app.i18n import N_, _
from center_app.services import documents, groups, lottery
from center_app.ui.date_entry import DateEdit
from center_app.ui.pdf_output import save_pdf
from center_app.ui.state import AppState
from center_app.ui.widgets import error_label, fit_to_screen, read_only_table, set_error, show_error

STATUS_LABELS = {"entered": N_("Entered"), "won": N_("Won"), "lost": N_("Lost"), "withdrawn": N_("Withdrawn entry")}


def _message(error: BaseException) -> str | None:
    if isinstance(error, ValidationError):
        return "\n".join(p.message for p in error.problems)
    if isinstance(error, CenterError):
        return str(error)
    return None


class LotteryDialog(QDialog):
    """Entries and the draw of the lottery of the toolbar's facility."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.result: LotteryResult | None = None
        self.setWindowTitle(_("Lottery"))
        layout = QVBoxLayout(self)
        self.window_label = QLabel()
        self.window_label.setObjectName("lottery_window")
        self.window_label.setWordWrap(True)
        layout.addWidget(self.window_label)

        form = QFormLayout()
        self.group = QLineEdit()
        self.group.setObjectName("lottery_group")
        self.group.setPlaceholderText("R08-0012")
        self.room = QComboBox()
        self.room.setObjectName("lottery_room")
        self.day = DateEdit(clock.today())
        self.day.setObjectName("lottery_day")
        self.slot = QComboBox()
        self.slot.setObjectName("lottery_slot")
        self.people = QSpinBox()
        self.people.setObjectName("lottery_people")
        self.people.setRange(1, 999)
        self.people.setValue(10)
        form.addRow(_("Registration no."), self.group)
        form.addRow(_("Room"), self.room)
        form.addRow(_("Date"), self.day)
        form.addRow(_("Time slot"), self.slot)
        form.addRow(_("People"), self.people)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.enter_button = QPushButton(_("Enter"))
        self.enter_button.setObjectName("lottery_enter")
        self.enter_button.clicked.connect(self.enter)
        row.addWidget(self.enter_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.entry_error = error_label()
        self.entry_error.setObjectName("lottery_entry_error")
        layout.addWidget(self.entry_error)

        self.entries = read_only_table([_("No."), _("Registration no."), _("Group"), _("Room"), _("Date"), _("Time slot"), _("Status")], "lottery_entries")
        layout.addWidget(self.entries, 1)
        withdraw_row = QHBoxLayout()
        self.withdraw_button = QPushButton(_("Withdraw the chosen entry"))
        self.withdraw_button.setObjectName("lottery_withdraw")
        self.withdraw_button.clicked.connect(self.withdraw)
        withdraw_row.addWidget(self.withdraw_button)
        withdraw_row.addStretch(1)
        layout.addLayout(withdraw_row)

        draw = QHBoxLayout()
        draw.addWidget(QLabel(_("Month")))
        self.month = QLineEdit()
        self.month.setObjectName("lottery_month")
        self.month.setMaximumWidth(90)
        self.month.editingFinished.connect(self.load_entries)
        draw.addWidget(self.month)
        draw.addWidget(QLabel(_("Seed")))
        self.seed = QLineEdit()
        self.seed.setObjectName("lottery_seed")
        draw.addWidget(self.seed)
        self.dry_button = QPushButton(_("Try (dry run)"))
        self.dry_button.setObjectName("lottery_dry_run")
        self.dry_button.clicked.connect(lambda: self.draw(dry_run=True))
        self.draw_button = QPushButton(_("Draw and book the winners"))
        self.draw_button.setObjectName("lottery_draw")
        self.draw_button.clicked.connect(lambda: self.draw(dry_run=False))
        self.pdf_button = QPushButton(_("Result list (PDF)…"))
        self.pdf_button.setObjectName("lottery_pdf")
        self.pdf_button.clicked.connect(self.save_result)
        for button in (self.dry_button, self.draw_button, self.pdf_button):
            draw.addWidget(button)
        layout.addLayout(draw)
        self.draw_error = error_label()
        self.draw_error.setObjectName("lottery_draw_error")
        layout.addWidget(self.draw_error)
        self.summary = QLabel()
        self.summary.setObjectName("lottery_summary")
        layout.addWidget(self.summary)
        self.results = read_only_table([_("Rank"), _("No."), _("Group"), _("Room"), _("Date"), _("Time slot"), _("Result")], "lottery_results")
        layout.addWidget(self.results, 1)
        fit_to_screen(self, 900, 720)
        self.state.runner.submit(lottery.entry_choices, self.state.ctx, self.state.facility_id, on_done=self._choices,
                                 on_error=lambda e: set_error(self.entry_error, str(e)))

    def _choices(self, choices: lottery.EntryChoices) -> None:
        self.room.clear()
        for room_id, name in choices.rooms:
            self.room.addItem(name, room_id)
        self.slot.clear()
        self.slot.addItems(list(choices.slots))
        window = choices.window
        year, month = lottery.parse_month(window.month)
        self.day.setDate(dt.date(year, month, 1))
        self.month.setText(window.month)
        state = _("drawn") if window.drawn else _("open") if window.is_open else _("closed")
        self.window_label.setText(_("Lottery for {month}: entries from {first} to {last} ({state}); up to {cap} entries and wins per group.").format(
            month=window.month, first=format_day(window.first_entry_day, weekday=False), last=format_day(window.last_entry_day, weekday=False), state=state, cap=window.per_group))
        self.load_entries()

    def load_entries(self) -> None:
        """List the entries of the month typed."""
        month = self.month.text().strip()
        facility = self.state.facility_id
        self.state.runner.submit(lottery.list_entries, self.state.ctx, facility if facility is not None else "main", month,
                                 on_done=self._entries, on_error=lambda e: set_error(self.draw_error, _message(e) or str(e)))

    def _entries(self, entries) -> None:
        self.entries.setRowCount(len(entries))
        for row, e in enumerate(entries):
            cells = [str(e.id), e.registration_no, e.group_name, e.room_name, format_day(e.day), e.slot_name,
                     _(STATUS_LABELS.get(e.status, e.status)) + (f" {e.slip_no}" if e.slip_no else "")]
            for column, text in enumerate(cells):
                self.entries.setItem(row, column, QTableWidgetItem(text))

    def enter(self) -> None:
        """Enter the group typed; the form keeps its values when refused."""
        ctx = self.state.ctx
        number, room_id, day, slot, people = self.group.text(), self.room.currentData(), self.day.date().toPython(), self.slot.currentText(), self.people.value()

        def submit():
            group = groups.find_group_by_number(ctx, number)
            if group is None:
                raise ValidationError(_("No group has the registration number {number}.").format(number=number.strip()), field_name="group")
            return lottery.enter_lottery(ctx, group.id, room_id, day, slot, people)

        self.enter_button.setEnabled(False)
        self.state.runner.submit(submit, on_done=self._entered, on_error=self._entry_refused)

    def _entered(self, entry) -> None:
        self.enter_button.setEnabled(True)
        set_error(self.entry_error, "")
        self.summary.setText(_("Entry {id}: {group}, {room} {date} {slot} (lottery of {month}).").format(
            id=entry.id, group=entry.group_name, room=entry.room_name, date=format_day(entry.day), slot=entry.slot_name, month=entry.month))
        self.load_entries()

    def _entry_refused(self, error: BaseException) -> None:
        self.enter_button.setEnabled(True)
        message = _message(error)
        if message is None:
            show_error(self, error)
        else:
            set_error(self.entry_error, message)

    def withdraw(self) -> None:
        """Withdraw the entry chosen in the list (refused once drawn; the reason shows below the form)."""
        row = self.entries.currentRow()
        item = self.entries.item(row, 0) if row >= 0 else None
        if item is None:
            set_error(self.entry_error, _("Choose the entry to withdraw in the list."))
            return
        self.withdraw_button.setEnabled(False)
        self.state.runner.submit(lottery.withdraw_entry, self.state.ctx, int(item.text()), on_done=self._withdrawn, on_error=self._withdraw_refused)

    def _withdrawn(self, entry) -> None:
        self.withdraw_button.setEnabled(True)
        set_error(self.entry_error, "")
        self.summary.setText(_("Withdrew entry {id}: {group}, {room} {date} {slot} (lottery of {month}).").format(
            id=entry.id, group=entry.group_name, room=entry.room_name, date=format_day(entry.day), slot=entry.slot_name, month=entry.month))
        self.load_entries()

    def _withdraw_refused(self, error: BaseException) -> None:
        self.withdraw_button.setEnabled(True)
        self._entry_refused(error)

    def draw(self, *, dry_run: bool) -> None:
        """Draw the month typed with the seed typed (a dry run writes nothing)."""
        try:
            seed = int(self.seed.text().strip())
        except ValueError:
            set_error(self.draw_error, _("The seed is a whole number from 0 to 9223372036854775807."))
            return
        facility = self.state.facility_id if self.state.facility_id is not None else "main"
        self.state.runner.submit(lottery.draw_lottery, self.state.ctx, facility, self.month.text().strip(), seed, dry_run=dry_run,
                                 on_done=self._drawn, on_error=lambda e: set_error(self.draw_error, _message(e) or str(e)))

    def _drawn(self, result: LotteryResult) -> None:
        self.result = result
        set_error(self.draw_error, "")
        text = _("Lottery {facility} {month}, seed {seed}: {entries} entries, {winners} winners.").format(
            facility=result.facility_code, month=result.month, seed=result.seed, entries=len(result.lines), winners=len(result.winners))
        self.summary.setText(text if result.recorded else text + " " + _("(dry run: nothing booked or recorded)"))
        self.results.setRowCount(len(result.lines))
        for row, line in enumerate(result.lines):
            if line.won:
                outcome = _("Won") + (f" {line.slip_no} " + _("confirm by {date}").format(date=format_day(line.confirm_by, weekday=False)) if line.slip_no else "")
            else:
                outcome = _("lost: {reason}").format(reason=line.reason) + " / " + _("free: {alternatives}").format(
                    alternatives="、".join(line.alternatives) or _("none"))
            for column, text in enumerate([str(line.rank), str(line.entry_no), line.group_name, line.room_name,
                                           format_day(line.day), line.slot_name, outcome]):
                self.results.setItem(row, column, QTableWidgetItem(text))
        if result.recorded:
            self.load_entries()

    def save_result(self) -> None:
        """Save the printed result list of the month (recorded draws only)."""
        facility = self.state.facility_id if self.state.facility_id is not None else "main"
        month = self.month.text().strip()
        self.state.runner.submit(documents.lottery_result_pdf, self.state.ctx, facility, month,
                                 on_done=lambda pdf: save_pdf(self, pdf, f"lottery-{month}.pdf"),
                                 on_error=lambda e: set_error(self.draw_error, _message(e) or str(e)))
