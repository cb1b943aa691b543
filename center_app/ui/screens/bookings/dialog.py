"""The booking dialog: new booking, change, cancel with reason, restore, attendance, slip.

Its parts: the layout in :mod:`.dialog_view`, the fields and their state in :mod:`.dialog_model`,
the live fee and refusals in :mod:`.dialog_feedback`, what the buttons do in
:mod:`.dialog_controller`; this module puts them together and wires the widgets.

Live feedback: every change asks the service for a quote (fee, field problems, refusals) after a
short pause; the fee and the refusal (naming the other booking or the rule) are shown at once. A
date that cannot be read is said so in their place (no quote of the previous date is shown).
Saving runs the same checks inside the write transaction; a refusal is shown in the message area
above the buttons, named with its field (the field framed in red), and the dialog keeps
everything typed. Messages never move the fields (a message area of fixed height). A change saved meanwhile on another PC
refuses the save (naming who and when); 「開き直す」 loads the booking as it is now.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QWidget

from center_app.domain.booking_values import BookingChoices, BookingQuote, BookingView, CalendarFrame
from center_app.i18n import _
from center_app.services import bookings, events
from center_app.ui.screens.bookings import dialog_view
from center_app.ui.screens.bookings.dialog_controller import BookingActions
from center_app.ui.screens.bookings.dialog_feedback import QUOTE_DELAY_MS, BookingFeedback, fee_text
from center_app.ui.screens.bookings.dialog_model import BookingFields, edit_label, money_text
from center_app.ui.screens.bookings.model import NewBooking
from center_app.ui.state import AppState
from center_app.ui.widgets import ReasonDialog, ask_discard, clear_on_edit, fit_to_screen

__all__ = ["QUOTE_DELAY_MS", "BookingDialog", "edit_label", "fee_text", "money_text"]


class BookingDialog(BookingActions, BookingFeedback, BookingFields, QDialog):
    """One booking: ``booking`` None makes a new one (from ``proposal`` if given)."""

    saved = Signal(object)  # the BookingView after any change
    reopened = Signal(object)  # the BookingView as another PC left it (「開き直す」): no change of this clerk's

    def __init__(self, state: AppState, frame: CalendarFrame, choices: BookingChoices, *, proposal: NewBooking | None = None,
                 booking: BookingView | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.state, self.frame, self.choices, self.booking = state, frame, choices, booking
        self.last_quote: BookingQuote | None = None
        self.reason_box: ReasonDialog | None = None  # the open cancellation box
        self.series_change: QDialog | None = None  # the open change of the rest of the series
        self.refund_box: QDialog | None = None  # the open refund box (its reason)
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
            self.applicant.finder.search.setFocus()  # a new booking starts with whom it is for

    def _connect(self) -> None:
        """Every change asks for a quote after a pause; each field clears its error when edited; the buttons run their actions."""
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
        for name, widget in self.field_widgets().items():
            if name != "day" and name in self.errors:  # the date says itself whether it can be read (problemChanged)
                clear_on_edit(self.errors[name], widget)
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

    def reject(self) -> None:
        """Esc / 閉じる / closing the window: ask first when something typed would be lost."""
        if self.has_unsaved_changes() and not ask_discard(self):
            return
        super().reject()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API: Enter saves only from a finished field
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.applicant.finder.search.hasFocus():
            return  # Enter in the group search picks a group, it does not save
        super().keyPressEvent(event)
