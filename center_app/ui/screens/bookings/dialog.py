"""The booking dialog: new booking, change, cancel with reason, restore, attendance, slip.

Live feedback: every change asks the service for a quote (fee, field problems, refusals) after a
short pause; the fee and the refusal (naming the other booking or the rule) are shown at once. A
date that cannot be read is said so in their place (no quote of the previous date is shown).
Saving runs the same checks inside the write transaction; a refusal is shown in the message area
above the buttons, named with its field (the field framed in red), and the dialog keeps
everything typed. Messages never move the fields (a message area of fixed height). A change saved meanwhile on another PC
refuses the save (naming who and when); 「開き直す」 loads the booking as it is now.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, QTime, QTimer, Signal
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox, QWidget

from center_app.domain import clock
from center_app.domain.booking_values import OPEN, BookingChoices, BookingInput, BookingQuote, BookingStatus, BookingView, CalendarFrame, field_label, status_label
from center_app.domain.closed_days import holiday_name
from center_app.domain.errors import CenterError, ConflictError, FieldProblem, StaleEditError, ValidationError
from center_app.domain.money import CASH_ROLES
from center_app.domain.wareki import format_day
from center_app.i18n import _
from center_app.services import bookings, bookings_series, events, facilities, ledger_refunds
from center_app.ui.screens.bookings import dialog_view
from center_app.ui.screens.bookings.model import NewBooking
from center_app.ui.state import AppState
from center_app.ui.widgets import ReasonDialog, fit_to_screen, set_error, show_error

QUOTE_DELAY_MS = 250
#: How a field with an error is framed (date and time fields frame themselves).
_ERROR_FRAME = "QLineEdit { border: 2px solid #b00020; }"


def _day(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def fee_text(quote: BookingQuote) -> str:
    """"使用料 1,600円 − 減免 800円 = 800円" (or the fee alone without exemption)."""
    fee = quote.fee
    if fee is None:
        return ""
    if fee.waived:
        return _("Fee {gross} yen − exemption {waived} yen = {fee} yen").format(gross=f"{fee.gross:,}", waived=f"{fee.waived:,}", fee=f"{fee.fee:,}")
    return _("Fee {fee} yen").format(fee=f"{fee.fee:,}")


class BookingDialog(QDialog):
    """One booking: ``booking`` None makes a new one (from ``proposal`` if given)."""

    saved = Signal(object)  # the BookingView after any change

    def __init__(self, state: AppState, frame: CalendarFrame, choices: BookingChoices, *, proposal: NewBooking | None = None,
                 booking: BookingView | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.state, self.frame, self.choices, self.booking = state, frame, choices, booking
        self.last_quote: BookingQuote | None = None
        self.reason_box: ReasonDialog | None = None  # the open cancellation box
        self.series_change: QDialog | None = None  # the open change of the rest of the series
        self.held_event: events.EventSummary | None = None  # the event whose room this booking holds
        dialog_view.build(self, state, frame)
        self.applicant.set_choices(choices)
        self.exemption.addItem(_("None"), "")
        for choice in choices.exemptions:
            self.exemption.addItem(_("{name} ({rate}%)").format(name=choice.name, rate=choice.value), choice.code)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(QUOTE_DELAY_MS)
        self.timer.timeout.connect(self.refresh_quote)
        self._connect()
        if booking is not None:
            self._load(booking)
            self._load_event(booking)
        else:
            self._propose(proposal)
        self._show_holiday()
        self._update_state()
        self.refresh_quote()
        self._initial = self.current_input()  # what "nothing typed" looks like, for reject()
        hint = self.sizeHint()
        fit_to_screen(self, hint.width(), hint.height())  # every field at its full height, within the screen
        if booking is None:
            self.applicant.search.setFocus()  # a new booking starts with whom it is for

    # --- wiring -------------------------------------------------------------------------------------

    def _connect(self) -> None:
        later = lambda *_a: self.timer.start()  # noqa: E731
        self.applicant.changed.connect(later)
        self.room.currentIndexChanged.connect(later)
        self.date.dateChanged.connect(later)
        self.date.dateChanged.connect(lambda _d: self._show_holiday())
        self.date.problemChanged.connect(self._date_problem_changed)
        self.date.calendarWidget().closed_days_wanted = self._load_closed_days
        self.mode_group.buttonToggled.connect(lambda *_a: (self._update_mode(), self.timer.start()))
        for box in self.slot_boxes.values():
            box.toggled.connect(later)
            box.toggled.connect(self._slot_toggled)
        for widget in (self.start, self.end):
            widget.timeChanged.connect(later)
        self.people.valueChanged.connect(later)
        for widget in (self.purpose, self.override, self.note):
            widget.textChanged.connect(later)
        for combo in (self.exemption, self.status, self.language):
            combo.currentIndexChanged.connect(later)
        self.save_button.clicked.connect(self.submit)
        self.close_button.clicked.connect(self.reject)
        self.cancel_button.clicked.connect(self.ask_cancel)
        self.cancel_series_button.clicked.connect(self.ask_cancel_series)
        self.change_series_button.clicked.connect(self.ask_change_series)
        self.restore_button.clicked.connect(self.restore)
        self.slip_button.clicked.connect(self.show_slip)
        self.pay_button.clicked.connect(self.receive_payment)
        self.refund_button.clicked.connect(self.ask_refund)
        self.permit_button.clicked.connect(self.show_permit)
        self.equipment_button.clicked.connect(self.lend_equipment)
        self.repeat_button.clicked.connect(self.repeat)
        self.check_in_button.clicked.connect(lambda: self._act(bookings.check_in))
        self.attendance_button.clicked.connect(lambda: self._act(bookings.record_attendance, self.attendance.value()))
        self.no_show_button.clicked.connect(lambda: self._act(bookings.mark_no_show))

    def _propose(self, proposal: NewBooking | None) -> None:
        day = proposal.day if proposal else self.state.date
        self.date.setDate(QDate(day.year, day.month, day.day))
        if proposal is not None:
            self.room.setCurrentIndex(max(self.room.findData(proposal.room_id), 0))
        if proposal is not None and proposal.slot_names:
            self.by_slot.setChecked(True)
            for name in proposal.slot_names:
                self.slot_boxes[name].setChecked(True)
        elif proposal is not None or not self.slot_boxes:
            self.by_time.setChecked(True)
        else:
            self.by_slot.setChecked(True)
        if proposal is not None:
            self.start.setTime(QTime(proposal.start.hour, proposal.start.minute))
            self.end.setTime(QTime(proposal.end.hour, proposal.end.minute))
        else:
            opening = QTime(self.frame.opening.hour, self.frame.opening.minute)
            self.start.setTime(opening)
            self.end.setTime(opening)
        self.heading.setText(_("New booking"))

    def _load_event(self, view: BookingView) -> None:
        """Say when the booking holds the room of an event (asked in the background)."""
        def found(event: events.EventSummary | None) -> None:
            self.held_event = event
            self.event_note.setText(_("The room of the event 「{title}」.").format(title=event.title) if event else "")
            self.event_note.setVisible(event is not None)
        self.state.runner.submit(events.event_of_booking, self.state.ctx, view.id, on_done=found, on_error=lambda _e: None)

    def _offer_event_change(self, view: BookingView, cancelled: bool) -> None:
        """After the counter moved or cancelled an event's booking: offer to do the same to the event."""
        event, before = self.held_event, self.booking
        if event is None or before is None:
            return
        if not cancelled and (view.room_id, view.start, view.end) == (before.room_id, before.start, before.end):
            return
        question = (_("Take the room off the event 「{title}」 too (its flyer will no longer name it)?") if cancelled
                    else _("Move the event 「{title}」 to the booking's new room, date and time too?")).format(title=event.title)
        if QMessageBox.question(self, self.windowTitle(), question, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                QMessageBox.StandardButton.Yes) != QMessageBox.StandardButton.Yes:
            return
        action = events.release_event_room if cancelled else events.follow_booking
        self.state.runner.submit(action, self.state.ctx, event.id, on_error=lambda error: show_error(self.parentWidget(), error))

    def _load(self, view: BookingView) -> None:
        self.applicant.load(view)
        self.room.setCurrentIndex(max(self.room.findData(view.room_id), 0))
        self.date.setDate(QDate(view.day.year, view.day.month, view.day.day))
        (self.by_slot if view.slot_names else self.by_time).setChecked(True)
        for name, box in self.slot_boxes.items():
            box.setChecked(name in view.slot_names)
        self.start.setTime(QTime(view.start.hour, view.start.minute))
        self.end.setTime(QTime(view.end.hour, view.end.minute))
        self.people.setValue(view.expected_people)
        self.purpose.setText(view.purpose)
        self.exemption.setCurrentIndex(max(self.exemption.findData(view.exemption_code), 0))
        self.status.setCurrentIndex(max(self.status.findData(view.status), 0))
        self.language.setCurrentIndex(max(self.language.findData(view.language), 0))
        self.override.setText(view.closed_override_reason)
        self.note.setText(view.note)
        if view.attendance is not None:
            self.attendance.setValue(view.attendance)
        else:
            self.attendance.setValue(view.expected_people)
        self.heading.setText(_("Booking {slip} — {status}").format(slip=view.slip_no, status=status_label(view.status)))

    def _update_mode(self) -> None:
        # the slots stay clickable in 時間で: ticking one switches to 区分で (a click must never do nothing)
        self.times_widget.setEnabled(self.by_time.isChecked())
        self._show_slot_times()

    def _slot_toggled(self, checked: bool) -> None:
        if checked and not self.by_slot.isChecked():
            self.by_slot.setChecked(True)
        self._show_slot_times()

    def _show_slot_times(self) -> None:
        """In 区分で the (greyed) times show the span of the ticked slots."""
        if not self.by_slot.isChecked():
            return
        chosen = [slot for slot in self.frame.slots if slot.name in self.slot_boxes and self.slot_boxes[slot.name].isChecked()]
        if chosen:
            first, last = min(s.start for s in chosen), max(s.end for s in chosen)
            self.start.setTime(QTime(first.hour, first.minute))
            self.end.setTime(QTime(last.hour, last.minute))

    def _update_state(self) -> None:
        view = self.booking
        editable = view is None or view.status in OPEN
        for widget in (self.applicant, self.room, self.date, self.by_slot, self.by_time, self.slots_widget, self.times_widget,
                       self.people, self.purpose, self.exemption, self.status, self.language, self.override, self.note):
            widget.setEnabled(editable)
        if editable:
            self._update_mode()
        self.save_button.setVisible(editable)
        self.save_button.setText(_("Save") if view is None else _("Save changes"))
        self.cancel_button.setVisible(view is not None and view.status in OPEN)
        self.cancel_series_button.setVisible(view is not None and view.status in OPEN and view.series_id is not None)
        self.change_series_button.setVisible(self.cancel_series_button.isVisibleTo(self))
        self.restore_button.setVisible(view is not None and view.status == BookingStatus.CANCELLED)
        self.slip_button.setVisible(view is not None)
        self.repeat_button.setVisible(view is None)
        money = view.money if view is not None else None
        handles_money = self.state.ctx.user is not None and self.state.ctx.user.role in CASH_ROLES
        self.money_label.setText(money_text(view) if view is not None else "")
        self.pay_button.setVisible(handles_money and money is not None and view.status != BookingStatus.CANCELLED and money.outstanding > 0)
        self.permit_button.setVisible(view is not None and view.status in (BookingStatus.CONFIRMED, BookingStatus.USED))
        self.refund_button.setVisible(handles_money and money is not None and money.refundable > 0)
        self.equipment_button.setVisible(handles_money and view is not None and view.status in OPEN)
        on_day = view is not None and view.day <= clock.today() and view.status != BookingStatus.CANCELLED
        self.attendance_box.setVisible(on_day)
        if on_day:
            self.check_in_button.setEnabled(view.status in OPEN and view.checked_in_at is None)
            self.no_show_button.setEnabled(view.status in OPEN)
        # shown to every role all along (so no field moves when a closed day is chosen, and the buttons sit
        # in the same place for every role), usable only on a closed day (the rule says who may use it)
        needed = bool(self.last_quote and self.last_quote.closed_reason) or bool(self.override.text())
        self.override.setVisible(True)
        self.override_label.setVisible(True)
        self.override.setEnabled(editable and needed)

    def _show_holiday(self) -> None:
        """Name the national holiday of the chosen date beside it (「祝日：成人の日」)."""
        name = holiday_name(_day(self.date.date()))
        self.day_note.setText(_("Holiday: {name}").format(name=name) if name else "")

    def _load_closed_days(self, first: dt.date, last: dt.date) -> None:
        """Mark the facility's closed days on the calendar page shown (asked in the background)."""
        calendar = self.date.calendarWidget()
        self.state.runner.submit(
            facilities.day_statuses, self.state.ctx, self.frame.facility_id, first, (last - first).days + 1,
            on_done=lambda found: calendar.set_closed_days({day: status.reason for day, status in found if not status.is_open}),
            on_error=lambda _error: None,  # the calendar still works without the marks
        )

    # --- input --------------------------------------------------------------------------------------

    def current_input(self) -> BookingInput:
        """The form as a BookingInput (what is typed, unchecked)."""
        qdate = self.date.date()
        by_slot = self.by_slot.isChecked()
        start, end = self.start.time(), self.end.time()
        return BookingInput(
            room_id=self.room.currentData(), day=dt.date(qdate.year(), qdate.month(), qdate.day()),
            slot_names=tuple(name for name, box in self.slot_boxes.items() if box.isChecked()) if by_slot else (),
            start_time=None if by_slot else dt.time(start.hour(), start.minute()),
            end_time=None if by_slot else dt.time(end.hour(), end.minute()),
            language=self.language.currentData(), purpose=self.purpose.text(),
            expected_people=self.people.value() or None, exemption_code=self.exemption.currentData() or "",
            status=self.status.currentData(), closed_override_reason=self.override.text(), note=self.note.text(),
            **self.applicant.values(),
        )

    # --- feedback -----------------------------------------------------------------------------------

    def refresh_quote(self) -> None:
        """Ask for the fee and the refusals of what is typed (runs in the background)."""
        self.timer.stop()
        if self.booking is not None and self.booking.status not in OPEN:
            self.fee_label.setText(_("Fee {fee} yen").format(fee=f"{self.booking.fee:,}"))
            return
        if self.date.shown_problem():
            self._show_unreadable_date()
            return
        self.state.runner.submit(bookings.quote_booking, self.state.ctx, self.current_input(),
                                 self.booking.id if self.booking else None, on_done=self._show_quote, on_error=self._show_failure)

    def _date_problem_changed(self, problem: str) -> None:
        if problem:
            self.timer.stop()
            self._show_unreadable_date()
        else:
            set_error(self.errors["day"], "")
            self.timer.start()  # a readable date again (maybe the one before): quote it

    def _show_unreadable_date(self) -> None:
        """The date as typed cannot be read: say so instead of a fee or clash of another date."""
        self.last_quote = None
        self.fee_label.setText("")
        self.feedback.setText(_("No fee or clash check until the date can be read."))
        set_error(self.errors["day"], self.date.shown_problem())

    def frame_field(self, name: str, shown: bool) -> None:
        """Frame the text field ``name`` in red while its error is shown (lists and the date and
        time fields, which frame themselves, keep their look; the message names them)."""
        widget = {
            "expected_people": self.people.lineEdit(), "purpose": self.purpose, "closed_override_reason": self.override, "note": self.note,
            "group_id": self.applicant.search, "applicant_name": self.applicant.name, "applicant_kana": self.applicant.kana,
            "applicant_phone": self.applicant.phone,
        }.get(name)
        if widget is not None:
            widget.setStyleSheet(_ERROR_FRAME if shown else "")

    def _show_quote(self, quote: BookingQuote) -> None:
        if self.date.shown_problem():  # the date became unreadable while the quote was asked
            self._show_unreadable_date()
            return
        self.last_quote = quote
        self.fee_label.setText(fee_text(quote))
        still = {self._error_field(p.field) for p in quote.problems}
        live = self._live_messages(quote)
        for name, label in self.errors.items():
            if name in live:
                set_error(label, live[name])
            elif name not in still:  # fixed since the last save: the message goes
                set_error(label, "")
        beside = {text for message in live.values() for text in message.split("\n")}
        warnings = [_("Warning: {problem}").format(problem=w.message) for w in quote.warnings]  # saved as typed
        self.feedback.setText("\n".join([r.message for r in quote.refusals if r.message not in beside] + warnings))  # each said once
        self._update_state()

    def _live_messages(self, quote: BookingQuote) -> dict[str, str]:
        """Messages shown named with their field while typing: times or slots that cannot be booked
        (e.g. outside opening hours) and refusals pointing at a field (capacity, closed day); a
        clash with another booking is not one field's."""
        by_slot = self.by_slot.isChecked()
        shown = {"slot_names"} if by_slot and any(box.isChecked() for box in self.slot_boxes.values()) else set()
        if not by_slot:
            shown = {"start_time", "end_time"}
        messages: dict[str, list[str]] = {}
        for problem in quote.problems:
            if problem.field in shown:
                messages.setdefault(problem.field, []).append(problem.message)
        for refusal in quote.refusals:
            if isinstance(refusal.error, ConflictError):
                continue  # a clash is of the whole booking (room, date, time): said once, across the area
            name = self._error_field(refusal.field)
            if name in self.errors and (name not in ("start_time", "end_time", "slot_names") or name in shown):
                messages.setdefault(name, []).append(refusal.message)
        return {name: "\n".join(dict.fromkeys(texts)) for name, texts in messages.items()}

    def _show_failure(self, error: BaseException) -> None:
        """Show a refusal of saving; nothing typed is lost."""
        self.save_button.setEnabled(True)
        if isinstance(error, ValidationError):
            for label in self.errors.values():
                set_error(label, "")
            rest = []
            slot_mode = self.by_slot.isChecked()
            for problem in error.problems:
                name = self._error_field(problem.field)
                if slot_mode and name in ("start_time", "end_time"):
                    # nothing chosen in 区分 mode: ask for a slot beside the slots, not for times
                    problem = FieldProblem("slot_names", _("Choose a time slot."))
                    name = "slot_names"
                    if problem.message in self.errors[name].text():
                        continue
                label = self.errors.get(name)
                if label is not None:
                    set_error(label, "\n".join(filter(None, [label.text() if label.isVisible() else "", problem.message])))
                else:
                    rest.append(_("{field}: {message}").format(field=field_label(name), message=problem.message) if name else problem.message)
            self.feedback.setText("\n".join(rest))  # each field's message is shown named with its field
            self._focus_at_fault([self._error_field(problem.field) for problem in error.problems])
        elif isinstance(error, StaleEditError):
            self.feedback.setText("")
            self.stale.show_error(error)
        elif isinstance(error, CenterError):
            self.feedback.setText(str(error))
            self.refresh_quote()  # every refusal at once (the save stopped at the first)
            self._focus_at_fault([])
        else:
            show_error(self, error)

    def _focus_at_fault(self, names: list[str]) -> None:
        """After a refused save: the focus on the first field at fault, else on 保存 — never on
        閉じる, where the next Enter would close the dialog and lose what was typed."""
        a = self.applicant
        widgets = {"group_id": a.search, "applicant_name": a.name, "applicant_kana": a.kana, "applicant_phone": a.phone,
                   "applicant_class": a.klass, "room_id": self.room, "day": self.date, "start_time": self.start, "end_time": self.end,
                   "slot_names": next(iter(self.slot_boxes.values()), None), "expected_people": self.people, "purpose": self.purpose,
                   "exemption_code": self.exemption, "status": self.status, "language": self.language,
                   "closed_override_reason": self.override, "note": self.note}
        if self.by_slot.isChecked():
            widgets["start_time"] = widgets["end_time"] = widgets["slot_names"]
        for name in names:
            widget = widgets.get(name)
            if widget is not None and widget.isVisibleTo(self) and widget.isEnabled():
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                return
        if self.save_button.isVisibleTo(self) and self.save_button.isEnabled():
            self.save_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _error_field(self, name: str) -> str:
        """The label showing a problem of ``name`` (the group's when a group is being chosen)."""
        return "group_id" if name == "applicant_name" and self.applicant.is_group() else name

    # --- actions ------------------------------------------------------------------------------------

    def submit(self) -> None:
        """Save the new booking or the changes."""
        unreadable = [FieldProblem(name, problem) for name, field in (("day", self.date), ("start_time", self.start), ("end_time", self.end))
                      if (name == "day" or not self.by_slot.isChecked()) and (problem := field.problem())]
        if unreadable:  # a date or time that cannot be read is never saved as the field's old value
            self._show_failure(ValidationError(unreadable))
            if self.date.shown_problem():
                self._show_unreadable_date()
            return
        data = self.current_input()
        self.save_button.setEnabled(False)  # one save at a time: a second click cannot book twice
        if self.booking is None:
            self.state.runner.submit(bookings.create_booking, self.state.ctx, data, on_done=self._saved, on_error=self._show_failure)
        else:
            self.state.runner.submit(bookings.update_booking, self.state.ctx, self.booking.id, data, expected_version=self.booking.version,
                                     on_done=self._saved, on_error=self._show_failure)

    def _saved(self, view: BookingView) -> None:
        if self.held_event is not None and isinstance(view, BookingView):
            self._offer_event_change(view, cancelled=view.status == BookingStatus.CANCELLED)
        self.booking = view
        self.saved.emit(view)
        self.accept()

    def _series_cancelled(self, views: list[BookingView]) -> None:
        """The rest of the series is cancelled: the status bar names every booking cancelled."""
        self.booking = next((v for v in views if self.booking is not None and v.id == self.booking.id), self.booking)
        self.saved.emit(list(views))
        self.accept()

    def reopen(self) -> None:
        """Load the booking as it is stored now (after a save refused as changed elsewhere)."""
        if self.booking is not None:
            self.state.runner.submit(bookings.get_booking, self.state.ctx, self.booking.id, on_done=self._reopened, on_error=self._show_failure)

    def _reopened(self, view: BookingView) -> None:
        self.stale.setVisible(False)
        self.feedback.setText("")
        self._changed(view)

    def _changed(self, view: BookingView) -> None:
        """An action that keeps the dialog open (attendance, check-in, restore)."""
        self.booking = view
        self._load(view)
        self.saved.emit(view)
        self._update_state()
        self.refresh_quote()

    def _act(self, action, *args) -> None:
        if self.booking is not None:
            self.state.runner.submit(action, self.state.ctx, self.booking.id, *args, on_done=self._changed, on_error=self._show_failure)

    def ask_cancel(self) -> None:
        """Ask for the 取消理由 (設定 → 取消理由, whose 還付率 decides a refund) and the reason, then
        cancel; the box stays open, with what was typed, until the booking is cancelled."""
        if self.booking is None:
            return
        self.state.runner.submit(ledger_refunds.cancellation_reasons, self.state.ctx, on_done=self._ask_cancel_with, on_error=self._show_failure)

    def _ask_cancel_with(self, reasons) -> ReasonDialog | None:
        if self.booking is None:
            return None
        choices = [(r.code, _("{name} (refund {rate}%)").format(name=r.name, rate=r.refund_percent), r.name) for r in reasons]
        box = ReasonDialog(self, _("Cancel booking"), _("Reason for cancelling {slip} ({date}):").format(
            slip=self.booking.slip_no, date=format_day(self.booking.day)),
            _("Enter the reason for the cancellation."),
            lambda reason: self.cancel_with_reason(reason, box.choice_code(), box=box), choices=choices,
            other=_("Other (type the reason)"))
        self.reason_box = box
        box.open()
        return box

    def cancel_with_reason(self, reason: str, reason_code: str = "", box: ReasonDialog | None = None) -> None:
        """Cancel the booking with ``reason`` and the configured 取消理由 ``reason_code`` (refused
        without either; the refusal is shown in ``box`` when given, which then stays open)."""
        if self.booking is None:
            return
        if box is None:
            self.state.runner.submit(bookings.cancel_booking, self.state.ctx, self.booking.id, reason, reason_code,
                                     on_done=self._saved, on_error=self._show_failure)
            return
        self.state.runner.submit(bookings.cancel_booking, self.state.ctx, self.booking.id, reason, reason_code,
                                 on_done=lambda view: (box.accept(), self._saved(view)), on_error=box.refused)
    def ask_cancel_series(self) -> ReasonDialog | None:
        """Ask for one reason, then cancel this booking and every later one of its series."""
        if self.booking is None or self.booking.series_id is None:
            return None
        box = ReasonDialog(self, _("Cancel the rest of the series"), _(
            "Reason for cancelling this booking and every later date of its series (from {date}):").format(
            date=format_day(self.booking.day)), _("Enter the reason for the cancellation."),
            lambda reason: self.state.runner.submit(
                bookings_series.cancel_series, self.state.ctx, self.booking.series_id, reason, from_day=self.booking.day,
                on_done=lambda views: (box.accept(), self._series_cancelled(views)),
                on_error=box.refused))
        self.reason_box = box
        box.open()
        return box

    def ask_change_series(self) -> QDialog | None:
        """Change or move this booking and every later date of its series in one action, with one
        reason (each date checked again; refused dates listed, or left as they were if the clerk
        says so)."""
        if self.booking is None or self.booking.series_id is None:
            return None
        from center_app.ui.screens.bookings.series_change import SeriesChangeDialog

        dialog = SeriesChangeDialog(self.state, self.frame, self.booking, self)
        dialog.saved.connect(lambda result: (self.saved.emit(result), self.accept()))  # the SeriesChangeResult: every date
        self.series_change = dialog
        dialog.open()
        return dialog

    def restore(self) -> None:
        """Restore a cancelled booking if its room and time are still free."""
        self._act(bookings.uncancel_booking)

    def show_slip(self) -> None:
        """Preview the booking slip (print or save it from there)."""
        if self.booking is None:
            return
        from center_app.ui.screens.bookings.slip_preview import open_slip_preview

        open_slip_preview(self.state, self.booking.id, self)

    def receive_payment(self) -> QDialog | None:
        """収納: the payment dialog for this booking; the dialog shows the new money state after."""
        if self.booking is None:
            return None
        from center_app.ui.screens.bookings.payment import PaymentDialog

        dialog = PaymentDialog(self.state, [self.booking.id], self)
        dialog.paid.connect(lambda _payment: self.state.runner.submit(bookings.get_booking, self.state.ctx, self.booking.id, on_done=self._changed))
        dialog.open()
        return dialog

    def ask_refund(self) -> None:
        """還付 of this booking by the rules (asks the reason)."""
        if self.booking is None:
            return
        reason, ok = QInputDialog.getText(self, _("Refund"), _("Reason for the refund of {slip}:").format(slip=self.booking.slip_no),
                                          text=self.booking.cancel_reason)
        if ok:
            self.refund(reason)

    def refund(self, reason: str) -> None:
        """Refund what the rules give for this booking, with ``reason``."""
        if self.booking is not None:
            self.state.runner.submit(ledger_refunds.refund_booking, self.state.ctx, self.booking.id, reason,
                                     on_done=lambda _r: self.state.runner.submit(bookings.get_booking, self.state.ctx, self.booking.id, on_done=self._changed),
                                     on_error=self._show_failure)

    def show_permit(self) -> None:
        """Print the 使用許可書 of this booking (numbered on the first print)."""
        if self.booking is not None:
            from center_app.ui.screens.bookings.payment import open_permit

            open_permit(self.state, [self.booking.id], self)

    def lend_equipment(self) -> QDialog | None:
        """備品 lent with this booking, for its time (a small dialog of its own)."""
        if self.booking is None:
            return None
        from center_app.ui.loan_dialog import LoanDialog

        dialog = LoanDialog(self.state, self.booking, self)
        dialog.open()
        return dialog

    def repeat(self) -> None:
        """Book the typed booking on more dates (繰り返し予約)."""
        from center_app.ui.screens.bookings.series import SeriesDialog

        dialog = SeriesDialog(self.state, self.current_input(), self)
        dialog.saved.connect(lambda result: (self.saved.emit(result), self.accept()))  # the SeriesResult: every booking
        dialog.open()

    def reject(self) -> None:
        """Esc / 閉じる / closing the window: ask first when something typed would be lost."""
        editable = self.booking is None or self.booking.status in OPEN
        if editable and self.result() != QDialog.DialogCode.Accepted and self.current_input() != self._initial:
            answer = QMessageBox.question(
                self, self.windowTitle(), _("Discard the changes you typed?"),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API: Enter saves only from a finished field
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.applicant.search.hasFocus():
            return  # Enter in the group search picks a group, it does not save
        super().keyPressEvent(event)


def money_text(view: BookingView) -> str:
    """"使用料の納付: 未納（1,600円）" — what the ledger says of the booking's fee."""
    money = view.money
    if money is None:
        return ""
    if money.outstanding > 0 and view.status != BookingStatus.CANCELLED:
        return _("Payment: {state} ({amount} yen due)").format(state=money.label, amount=f"{money.outstanding:,}")
    return _("Payment: {state}").format(state=money.label)


def edit_label(view: BookingView) -> str:
    """Short description for status bars: "B2026-000012 会議室1 令和8年6月9日（火） 13:00–15:00 名前 (確定)"
    (the date in the one date style, with its year: a booking next year says so)."""
    return (f"{view.slip_no} {view.room_name} {format_day(view.day)} {view.start:%H:%M}–{view.end:%H:%M} {view.applicant_name} "
            f"({status_label(view.status)})")

