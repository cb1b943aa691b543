"""The booking dialog's actions (the controller side): save, cancel (one booking or the rest of
its series, with the configured 取消理由), restore, attendance, payment, refund, permit, equipment,
slip, repeat, and the event whose room the booking holds. Each runs on the background runner; a
refusal keeps everything typed. Mixed into
:class:`~center_app.ui.screens.bookings.dialog.BookingDialog`."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QMessageBox

from center_app.domain.booking_values import BookingStatus, BookingView
from center_app.domain.errors import FieldProblem, ValidationError
from center_app.domain.money import CASH_ROLES
from center_app.domain.wareki import format_day
from center_app.i18n import _
from center_app.services import bookings, bookings_series, events, ledger_refunds
from center_app.ui.widgets import ReasonDialog, show_error


def _reason_choices(reasons) -> list[tuple[str, str, str]]:
    """The configured 取消理由 as the reason box offers them: (code, 「名前（還付 50%）」, name)."""
    return [(r.code, _("{name} (refund {rate}%)").format(name=r.name, rate=r.refund_percent), r.name) for r in reasons]


class BookingActions:
    """What the buttons of the booking dialog do."""

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
        if (isinstance(view, BookingView) and view.status == BookingStatus.CANCELLED and view.money is not None
                and view.money.refundable > 0 and self.state.ctx.user is not None and self.state.ctx.user.role in CASH_ROLES):
            # money is held: the dialog stays open on the cancelled booking (還付…, 予約を元に戻す) and offers the refund
            self._changed(view)
            self.ask_refund()
            return
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
        self.booking = view
        self._load(view)
        self.reopened.emit(view)  # changed on another PC: the screen says so, never as this clerk's save or cancellation
        self._update_state()
        self.refresh_quote()

    def _changed(self, view: BookingView) -> None:
        """An action that keeps the dialog open (attendance, check-in, restore)."""
        self.booking = view
        self._load(view)
        self.saved.emit(view)
        self._update_state()
        self.refresh_quote()

    def _act(self, action, *args) -> None:
        if self.booking is not None:
            self.state.runner.submit(action, self.state.ctx, self.booking.id, *args, expected_version=self.booking.version,
                                     on_done=self._changed, on_error=self._show_failure)  # refused if another PC changed it

    def ask_cancel(self) -> None:
        """Ask for the 取消理由 (設定 → 取消理由, whose 還付率 decides a refund) and the reason, then
        cancel; the box stays open, with what was typed, until the booking is cancelled."""
        if self.booking is None:
            return
        self.state.runner.submit(ledger_refunds.cancellation_reasons, self.state.ctx, on_done=self._ask_cancel_with, on_error=self._show_failure)

    def _ask_cancel_with(self, reasons) -> ReasonDialog | None:
        if self.booking is None:
            return None
        choices = _reason_choices(reasons)
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
                                     expected_version=self.booking.version, on_done=self._saved, on_error=self._show_failure)
            return
        self.state.runner.submit(bookings.cancel_booking, self.state.ctx, self.booking.id, reason, reason_code,
                                 expected_version=self.booking.version,  # refused if another PC saved it since
                                 on_done=lambda view: (box.accept(), self._saved(view)), on_error=box.refused)

    def ask_cancel_series(self) -> None:
        """Ask for the 取消理由 (with its 還付率, as for one booking) and the reason, then cancel this
        booking and every later one of its series with it; the box stays open until they are."""
        if self.booking is None or self.booking.series_id is None:
            return
        self.state.runner.submit(ledger_refunds.cancellation_reasons, self.state.ctx, on_done=self._ask_cancel_series_with,
                                 on_error=self._show_failure)

    def _ask_cancel_series_with(self, reasons) -> ReasonDialog | None:
        if self.booking is None or self.booking.series_id is None:
            return None
        series_id, day = self.booking.series_id, self.booking.day
        box = ReasonDialog(self, _("Cancel the rest of the series"), _(
            "Reason for cancelling this booking and every later date of its series (from {date}):").format(date=format_day(day)),
            _("Enter the reason for the cancellation."),
            lambda reason: self.state.runner.submit(
                bookings_series.cancel_series, self.state.ctx, series_id, reason, from_day=day, reason_code=box.choice_code(),
                on_done=lambda views: (box.accept(), self._series_cancelled(views)), on_error=box.refused),
            choices=_reason_choices(reasons), other=_("Other (type the reason)"))
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
        """還付 of this booking by the rules: the refund box names the amount and the 還付率 of
        the 取消理由 and asks the reason (filled with the cancellation's reason)."""
        if self.booking is None:
            return
        booking = self.booking

        def ask(rule) -> None:
            from center_app.ui.screens.bookings.payment import open_refund_box

            self.refund_box = open_refund_box(self, booking.slip_no, rule, booking.cancel_reason, self.refund)
        self.state.runner.submit(ledger_refunds.booking_refund_rule, self.state.ctx, booking.id, on_done=ask, on_error=self._show_failure)

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
