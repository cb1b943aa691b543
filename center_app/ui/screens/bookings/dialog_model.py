"""The booking dialog's form (the model side): what is typed ↔ :class:`BookingInput`, the
booking loaded or proposed, which fields and buttons can be used, and short texts of a booking.
Mixed into :class:`~center_app.ui.screens.bookings.dialog.BookingDialog`; the widgets are built
by :mod:`.dialog_view`."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import QDialog, QWidget

from center_app.domain import clock
from center_app.domain.booking_values import OPEN, BookingInput, BookingStatus, BookingView, status_label
from center_app.domain.closed_days import holiday_name
from center_app.domain.money import CASH_ROLES
from center_app.domain.wareki import format_day
from center_app.i18n import _
from center_app.services import facilities
from center_app.ui.screens.bookings.model import NewBooking
from center_app.ui.widgets import frame_field as frame_text_box

def _day(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


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


class BookingFields:
    """The fields of the booking dialog: filling them, reading them, their state."""

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

    def has_unsaved_changes(self) -> bool:
        """Whether something typed would be lost by closing the dialog."""
        editable = self.booking is None or self.booking.status in OPEN
        return editable and self.result() != QDialog.DialogCode.Accepted and self.current_input() != self._initial

    def field_widgets(self) -> dict[str, QWidget]:
        """The widget of each field with an error label (names of BookingInput)."""
        a = self.applicant
        return {"group_id": a.finder.search, "applicant_name": a.name, "applicant_kana": a.kana, "applicant_phone": a.phone,
                "applicant_class": a.klass, "room_id": self.room, "day": self.date, "start_time": self.start, "end_time": self.end,
                "slot_names": self.slots_widget, "expected_people": self.people, "purpose": self.purpose,
                "exemption_code": self.exemption, "status": self.status, "language": self.language,
                "closed_override_reason": self.override, "note": self.note}

    def _error_field(self, name: str) -> str:
        """The label showing a problem of ``name`` (the group's when a group is being chosen)."""
        return "group_id" if name == "applicant_name" and self.applicant.is_group() else name

    def frame_field(self, name: str, shown: bool) -> None:
        """Frame the text field ``name`` in red while its error is shown (lists and the date and
        time fields, which frame themselves, keep their look; the message names them)."""
        widget = {
            "expected_people": self.people.lineEdit(), "purpose": self.purpose, "closed_override_reason": self.override, "note": self.note,
            "group_id": self.applicant.finder.search, "applicant_name": self.applicant.name, "applicant_kana": self.applicant.kana,
            "applicant_phone": self.applicant.phone,
        }.get(name)
        frame_text_box(widget, shown)
