"""Layout of the booking dialog (widgets only; behaviour in :mod:`.dialog`).

The fee, the refusals (conflict naming the other booking, closed day, rule) and each field's
error (named with the field, the field framed in red) are shown in one message area of fixed
height above the buttons, so no field moves as messages come and go. Alt+letter reaches each
field.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from center_app.domain.booking_values import BookingStatus, CalendarFrame, field_label, status_label
from center_app.domain.documents import BOOKING_LANGUAGES, language_label
from center_app.i18n import _
from center_app.ui.date_entry import DateEdit, TimeEdit
from center_app.ui.screens.bookings.applicant import ApplicantPicker
from center_app.ui.state import AppState
from center_app.ui.widgets import ERROR_STYLE, MessageArea, NumberSpinBox, StaleBar, error_label

#: Form fields with an error label (names of BookingInput).
FIELDS = (
    "room_id", "day", "slot_names", "start_time", "end_time", "expected_people", "purpose", "exemption_code", "status",
    "language", "closed_override_reason", "note",
)

#: Text lines of the message area (fee, refusals, field errors); more scroll.
MESSAGE_LINES = 5


def _row(form: QFormLayout, text: str, buddy: QWidget, field) -> None:
    """A form row whose label's Alt+letter focuses ``buddy``."""
    label = QLabel(text)
    label.setBuddy(buddy)
    form.addRow(label, field)


def build(dialog: QDialog, state: AppState, frame: CalendarFrame) -> None:
    """Create the widgets of the booking dialog as attributes of ``dialog``."""
    dialog.setMinimumWidth(900)
    layout = QVBoxLayout(dialog)
    dialog.heading = QLabel()
    font = QFont(dialog.font())
    font.setPointSizeF(font.pointSizeF() + 2)
    font.setBold(True)
    dialog.heading.setFont(font)
    layout.addWidget(dialog.heading)

    applicant_box = QGroupBox(_("Applicant"))
    applicant_layout = QVBoxLayout(applicant_box)
    dialog.applicant = ApplicantPicker(state, inline_errors=False)
    applicant_layout.addWidget(dialog.applicant)
    columns = QHBoxLayout()  # side by side: the dialog fits the height of a 1366×768 screen
    columns.addWidget(applicant_box, 2)
    layout.addLayout(columns)

    use_box = QGroupBox(_("Use"))
    form = QFormLayout(use_box)
    dialog.errors = dict(dialog.applicant.errors)  # the applicant's first, as on the form
    dialog.errors.update({name: error_label() for name in FIELDS})

    dialog.room = QComboBox()
    dialog.room.setObjectName("room")
    for room in frame.rooms:
        dialog.room.addItem(_("{room} (up to {count})").format(room=room.name, count=room.capacity), room.id)
    _row(form, _("&Room"), dialog.room, dialog.room)

    dialog.date = DateEdit()
    dialog.date.setObjectName("date")
    date_row = QHBoxLayout()
    date_row.addWidget(dialog.date)
    dialog.day_note = QLabel()  # the national holiday of the date, e.g. 「祝日：成人の日」
    dialog.day_note.setObjectName("day_note")
    dialog.day_note.setStyleSheet("color: #c62828;")
    date_row.addWidget(dialog.day_note)
    date_row.addStretch(1)
    date_row.setContentsMargins(0, 0, 0, 0)
    _row(form, _("&Date"), dialog.date, date_row)

    modes = QHBoxLayout()
    dialog.by_slot = QRadioButton(_("By &slot"))
    dialog.by_time = QRadioButton(_("By &time"))
    dialog.mode_group = QButtonGroup(dialog)
    for button in (dialog.by_slot, dialog.by_time):
        dialog.mode_group.addButton(button)
        modes.addWidget(button)
    modes.addStretch(1)
    form.addRow(_("Booked"), modes)

    slots_row = QHBoxLayout()
    dialog.slot_boxes = {}
    for slot in frame.slots:
        box = QCheckBox(slot.name)
        box.setToolTip(f"{slot.start:%H:%M}–{slot.end:%H:%M}")
        box.setObjectName(f"slot_{slot.name}")
        dialog.slot_boxes[slot.name] = box
        slots_row.addWidget(box)
    slots_row.addStretch(1)
    dialog.slots_widget = QWidget()
    dialog.slots_widget.setLayout(slots_row)
    slots_row.setContentsMargins(0, 0, 0, 0)
    form.addRow(_("Time slot"), dialog.slots_widget)

    times = QHBoxLayout()
    dialog.start = TimeEdit()
    dialog.start.setObjectName("start_time")
    dialog.end = TimeEdit()
    dialog.end.setObjectName("end_time")
    for edit in (dialog.start, dialog.end):
        # any time can be typed; one outside the opening hours is kept and shown as an error beside it
        edit.setToolTip(_("Opening hours: {opening}–{closing}").format(opening=f"{frame.opening:%H:%M}", closing=f"{frame.closing:%H:%M}"))
    times.addWidget(dialog.start)
    times.addWidget(QLabel("–"))
    times.addWidget(dialog.end)
    times.addStretch(1)
    dialog.times_widget = QWidget()
    dialog.times_widget.setLayout(times)
    times.setContentsMargins(0, 0, 0, 0)
    form.addRow(_("Times"), dialog.times_widget)

    dialog.people = NumberSpinBox()
    dialog.people.setObjectName("people")
    dialog.people.setRange(0, 9999)
    dialog.people.setSpecialValueText("—")
    dialog.people.setSuffix(_(" people"))
    _row(form, _("&People"), dialog.people, dialog.people)

    dialog.purpose = QLineEdit()
    dialog.purpose.setObjectName("purpose")
    _row(form, _("P&urpose"), dialog.purpose, dialog.purpose)

    dialog.exemption = QComboBox()
    dialog.exemption.setObjectName("exemption")
    _row(form, _("Fee e&xemption"), dialog.exemption, dialog.exemption)

    dialog.status = QComboBox()
    dialog.status.setObjectName("status")
    for code in (BookingStatus.CONFIRMED, BookingStatus.PROVISIONAL):
        dialog.status.addItem(status_label(code), code)
    dialog.language = QComboBox()
    dialog.language.setObjectName("language")
    for code in BOOKING_LANGUAGES:
        dialog.language.addItem(language_label(code), code)
    status_row = QHBoxLayout()
    status_row.addWidget(dialog.status)
    status_row.addWidget(QLabel(_("Slip language")))
    status_row.addWidget(dialog.language)
    status_row.addStretch(1)
    form.addRow(_("Status"), status_row)

    dialog.override = QLineEdit()
    dialog.override.setObjectName("closed_override_reason")
    dialog.override.setPlaceholderText(_("Only administrators: why the room is used on a closed day"))
    dialog.override_label = QLabel(_("Closed-day reason"))
    form.addRow(dialog.override_label, dialog.override)

    dialog.note = QLineEdit()
    dialog.note.setObjectName("note")
    _row(form, _("&Note"), dialog.note, dialog.note)
    columns.addWidget(use_box, 3)

    dialog.attendance_box = QGroupBox(_("On the day"))
    attendance = QHBoxLayout(dialog.attendance_box)
    dialog.check_in_button = QPushButton(_("Check in"))
    dialog.attendance = NumberSpinBox()
    dialog.attendance.setObjectName("attendance")
    dialog.attendance.setRange(0, 9999)
    dialog.attendance.setSuffix(_(" people"))
    dialog.attendance_button = QPushButton(_("Record attendance"))
    dialog.no_show_button = QPushButton(_("No-show"))
    for widget in (dialog.check_in_button, QLabel(_("Attendance")), dialog.attendance, dialog.attendance_button, dialog.no_show_button):
        attendance.addWidget(widget)
    attendance.addStretch(1)
    layout.addWidget(dialog.attendance_box)

    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    layout.addWidget(line)
    money = QHBoxLayout()
    dialog.money_label = QLabel()
    dialog.money_label.setObjectName("money_label")
    dialog.pay_button = QPushButton(_("Receive &payment…"))
    dialog.pay_button.setObjectName("pay")
    dialog.permit_button = QPushButton(_("Use per&mit…"))
    dialog.permit_button.setObjectName("permit")
    dialog.refund_button = QPushButton(_("Refund…"))
    dialog.refund_button.setObjectName("refund")
    money.addWidget(dialog.money_label, 1)
    money.addWidget(dialog.pay_button)
    money.addWidget(dialog.refund_button)
    money.addWidget(dialog.permit_button)
    dialog.equipment_button = QPushButton(_("Equipment…"))  # 備品 lent with this booking
    dialog.equipment_button.setObjectName("booking_equipment")
    money.addWidget(dialog.equipment_button)
    layout.addLayout(money)
    # the fee, the event note, the refusals and every field's error: one area of fixed height
    dialog.messages = MessageArea(MESSAGE_LINES, on_field=dialog.frame_field)
    dialog.fee_label = dialog.messages.add(QLabel())
    dialog.fee_label.setObjectName("fee_label")
    dialog.event_note = dialog.messages.add(QLabel())  # 「イベント『…』の会場予約です。」 for a booking made by an event
    dialog.event_note.setObjectName("event_note")
    dialog.event_note.setVisible(False)
    dialog.group_note = dialog.messages.add(QLabel())  # 「この団体は休止中です。…」 for a kept booking of such a group: no refusal
    dialog.group_note.setObjectName("group_note")
    dialog.feedback = dialog.messages.add(QLabel())
    dialog.feedback.setObjectName("feedback")
    dialog.feedback.setStyleSheet(ERROR_STYLE)
    for name, label in dialog.errors.items():
        dialog.messages.add_field(name, field_label(name), label)
    layout.addWidget(dialog.messages)
    dialog.stale = StaleBar(dialog.reopen)
    layout.addWidget(dialog.stale)

    buttons = QHBoxLayout()
    dialog.cancel_button = QPushButton(_("Cancel booking…"))
    dialog.cancel_series_button = QPushButton(_("Cancel the rest of the series…"))
    dialog.change_series_button = QPushButton(_("Change the rest of the series…"))
    dialog.change_series_button.setObjectName("change_series")
    dialog.restore_button = QPushButton(_("Restore booking"))
    dialog.slip_button = QPushButton(_("Booking slip…"))
    dialog.repeat_button = QPushButton(_("Repeat…"))
    dialog.save_button = QPushButton(_("Save"))
    dialog.save_button.setObjectName("save")
    dialog.save_button.setDefault(True)
    dialog.close_button = QPushButton(_("Close"))
    for button in (dialog.cancel_button, dialog.cancel_series_button, dialog.change_series_button, dialog.restore_button, dialog.slip_button, dialog.repeat_button):
        buttons.addWidget(button)
    buttons.addStretch(1)
    buttons.addWidget(dialog.save_button)
    buttons.addWidget(dialog.close_button)
    layout.addLayout(buttons)
