"""The booking dialog's live feedback: after a short pause every change asks the service for a
quote (fee, field problems, refusals), shown at once in the message area; a refused save is shown
there too, named with its field, and the focus goes to the field at fault. Mixed into
:class:`~center_app.ui.screens.bookings.dialog.BookingDialog`."""

from __future__ import annotations

from PySide6.QtCore import Qt

from center_app.domain.booking_values import OPEN, BookingQuote, field_label
from center_app.domain.errors import CenterError, ConflictError, FieldProblem, StaleEditError, ValidationError
from center_app.i18n import _
from center_app.services import bookings
from center_app.ui.widgets import set_error, show_error

#: The pause after a change before the quote is asked, in milliseconds.
QUOTE_DELAY_MS = 250


def fee_text(quote: BookingQuote) -> str:
    """"使用料 1,600円 − 減免 800円 = 800円" (or the fee alone without exemption)."""
    fee = quote.fee
    if fee is None:
        return ""
    if fee.waived:
        return _("Fee {gross} yen − exemption {waived} yen = {fee} yen").format(gross=f"{fee.gross:,}", waived=f"{fee.waived:,}", fee=f"{fee.fee:,}")
    return _("Fee {fee} yen").format(fee=f"{fee.fee:,}")


class BookingFeedback:
    """The fee, the refusals and the field errors of the booking dialog."""

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
        self.group_note.setText("")
        self.feedback.setText(_("No fee or clash check until the date can be read."))
        set_error(self.errors["day"], self.date.shown_problem())

    def _show_quote(self, quote: BookingQuote) -> None:
        if self.date.shown_problem():  # the date became unreadable while the quote was asked
            self._show_unreadable_date()
            return
        self.last_quote = quote
        self.fee_label.setText(fee_text(quote))
        self.group_note.setText("\n".join(quote.notes))  # neutral: a fact, not a refusal
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
        widgets = self.field_widgets()
        widgets["slot_names"] = next(iter(self.slot_boxes.values()), None)
        if self.by_slot.isChecked():
            widgets["start_time"] = widgets["end_time"] = widgets["slot_names"]
        for name in names:
            widget = widgets.get(name)
            if widget is not None and widget.isVisibleTo(self) and widget.isEnabled():
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                return
        if self.save_button.isVisibleTo(self) and self.save_button.isEnabled():
            self.save_button.setFocus(Qt.FocusReason.OtherFocusReason)
