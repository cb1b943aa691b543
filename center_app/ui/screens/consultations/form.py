"""The consultation form (新規 / 開く): every field, the message beside each field, and a refused
save keeps everything typed. Ctrl+S saves, Esc goes back to the list."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from center_app.domain import clock
from center_app.domain.errors import StaleEditError, ValidationError
from center_app.i18n import _
from center_app.services import consultations, consultations_queries
from center_app.services.consultations_values import (
    CLIENT_TYPES,
    DONE,
    METHODS,
    OPEN,
    ConsultationDetail,
    ConsultationInput,
    StaffChoice,
    TopicInfo,
    client_type_label,
    field_label,
    method_label,
    status_label,
)
from center_app.services.group_values import ActivityFieldInfo
from center_app.ui.date_entry import TimeEdit
from center_app.ui.screens.consultations.widgets import CheckList, GroupPicker
from center_app.ui.state import AppState
from center_app.ui.widgets import MessageArea, StaleBar, clear_on_edit, error_label, frame_field, set_error

REQUIRED = ("consulted_on", "method", "client_type", "topic_ids", "content", "staff_user_id")
FIELDS = (
    "consulted_on", "start_time", "duration_minutes", "method", "client_type", "group_id", "client_name", "client_kana",
    "client_contact", "staff_user_id", "follow_up_due", "status", "confidential", "topic_ids", "activity_fields",
    "content", "response", "referral",
)
SAVED_STYLE = "color: #1b5e20;"
#: Text lines of the message area (the result of saving, field errors); more scroll.
MESSAGE_LINES = 5
#: 所要時間 of a new consultation, in minutes (shown in the field, not a placeholder).
DEFAULT_DURATION = 30


class ConsultationForm(QWidget):
    """Edits one consultation. ``saved(detail)`` after a successful save; ``back`` asks to
    return to the list. ``detail`` is the record shown (None for a new one)."""

    saved = Signal(object)
    back = Signal()

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.detail: ConsultationDetail | None = None
        self.topics: list[TopicInfo] = []
        self.staff: list[StaffChoice] = []
        self.errors: dict[str, QLabel] = {name: error_label() for name in FIELDS}
        for name, label in self.errors.items():
            label.setObjectName(f"error_{name}")
        self._loaded: ConsultationInput | None = None

        outer = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setObjectName("form_title")
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        outer.addWidget(self.title)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        columns = QHBoxLayout(body)
        columns.addLayout(self._left(), 1)
        columns.addLayout(self._right(), 1)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        # the result of saving and every field's error: one area of fixed height, so no field moves
        self.messages = MessageArea(MESSAGE_LINES, on_field=self._field_shown)
        self.message = self.messages.add(error_label())
        self.message.setObjectName("form_message")
        for name, label in self.errors.items():
            self.messages.add_field(name, field_label(name), label)
        outer.addWidget(self.messages)
        self.stale = StaleBar(self.reopen)
        outer.addWidget(self.stale)
        buttons = QHBoxLayout()
        self.back_button = QPushButton(_("Back to the list"))
        self.back_button.setObjectName("back")
        self.back_button.setShortcut("Esc")
        self.back_button.clicked.connect(self.back.emit)
        self.save_button = QPushButton(_("Save"))
        self.save_button.setObjectName("save")
        self.save_button.setShortcut("Ctrl+S")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.submit)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        outer.addLayout(buttons)

    # --- building --------------------------------------------------------------------------------

    def _row(self, form: QFormLayout, name: str, editor: QWidget, label: str | None = None) -> None:
        editor.setObjectName(editor.objectName() or name)
        text = label if label is not None else field_label(name) + (" *" if name in REQUIRED else "")
        form.addRow(text, editor)
        clear_on_edit(self.errors[name], editor)

    def _left(self) -> QFormLayout:
        form = QFormLayout()
        self.consulted_on = QLineEdit()
        self.consulted_on.setPlaceholderText("2026/4/1, 令和8年4月1日")
        self._row(form, "consulted_on", self.consulted_on)
        when = QWidget()
        when_row = QHBoxLayout(when)
        when_row.setContentsMargins(0, 0, 0, 0)
        self.start_time = TimeEdit()
        self.start_time.setObjectName("start_time")
        self.duration = QLineEdit()
        self.duration.setObjectName("duration_minutes")
        when_row.addWidget(self.start_time)
        when_row.addWidget(QLabel(field_label("duration_minutes")))
        when_row.addWidget(self.duration)
        form.addRow(field_label("start_time"), when)
        clear_on_edit(self.errors["start_time"], self.start_time)
        clear_on_edit(self.errors["duration_minutes"], self.duration)
        self.method = QComboBox()
        self.method.addItem("", "")
        for code in METHODS:
            self.method.addItem(method_label(code), code)
        self._row(form, "method", self.method)
        self.client_type = QComboBox()
        self.client_type.addItem("", "")
        for code in CLIENT_TYPES:
            self.client_type.addItem(client_type_label(code), code)
        self._row(form, "client_type", self.client_type)
        self.group = GroupPicker(self.state)
        self._row(form, "group_id", self.group)
        self.client_name = QLineEdit()
        self._row(form, "client_name", self.client_name)
        self.client_kana = QLineEdit()
        self._row(form, "client_kana", self.client_kana)
        self.client_contact = QLineEdit()
        self._row(form, "client_contact", self.client_contact)
        self.staff_box = QComboBox()
        self._row(form, "staff_user_id", self.staff_box)
        follow = QWidget()
        follow.setObjectName("follow_up_box")
        follow_row = QHBoxLayout(follow)
        follow_row.setContentsMargins(0, 0, 0, 0)
        self.follow_up_needed = QCheckBox(_("Needed"))
        self.follow_up_needed.setObjectName("follow_up_needed")
        self.follow_up_due = QLineEdit()
        self.follow_up_due.setObjectName("follow_up_due")
        self.follow_up_due.setPlaceholderText(_("due date"))
        self.follow_up_done = QCheckBox(_("Done"))
        self.follow_up_done.setObjectName("follow_up_done")
        for widget in (self.follow_up_needed, self.follow_up_due, self.follow_up_done):
            follow_row.addWidget(widget)
        self.follow_up_needed.toggled.connect(self._follow_up_toggled)
        self._row(form, "follow_up_due", follow, _("Follow-up"))
        self.status = QComboBox()
        for code in (OPEN, DONE):
            self.status.addItem(status_label(code), code)
        self._row(form, "status", self.status)
        self.confidential = QCheckBox(_("Only the staff member who answered and administrators may see this record"))
        self.confidential.setObjectName("confidential")
        self._row(form, "confidential", self.confidential, field_label("confidential"))
        return form

    def _right(self) -> QVBoxLayout:
        column = QVBoxLayout()
        grid = QGridLayout()
        self.topic_list = CheckList()
        self.topic_list.setObjectName("topic_ids")
        self.topic_list.setFixedHeight(160)
        self.field_list = CheckList()
        self.field_list.setObjectName("activity_fields")
        self.field_list.setFixedHeight(160)
        grid.addWidget(QLabel(field_label("topic_ids") + " *"), 0, 0)
        grid.addWidget(QLabel(field_label("activity_fields")), 0, 1)
        grid.addWidget(self.topic_list, 1, 0)
        grid.addWidget(self.field_list, 1, 1)
        clear_on_edit(self.errors["topic_ids"], self.topic_list)
        clear_on_edit(self.errors["activity_fields"], self.field_list)
        column.addLayout(grid)
        self.content = self._text_edit("content", 110)
        self.response = self._text_edit("response", 90)
        for name, editor in (("content", self.content), ("response", self.response)):
            column.addWidget(QLabel(field_label(name) + (" *" if name in REQUIRED else "")))
            column.addWidget(editor)
            clear_on_edit(self.errors[name], editor)
        self.referral = QLineEdit()
        self.referral.setObjectName("referral")
        column.addWidget(QLabel(field_label("referral")))
        column.addWidget(self.referral)
        clear_on_edit(self.errors["referral"], self.referral)
        column.addStretch(1)
        return column

    @staticmethod
    def _text_edit(name: str, height: int) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setObjectName(name)
        edit.setTabChangesFocus(True)
        edit.setMinimumHeight(height)
        return edit

    def _field_shown(self, name: str, shown: bool) -> None:
        """Frame the text box of field ``name`` in red while its error is shown."""
        frame_field({
            "consulted_on": self.consulted_on, "duration_minutes": self.duration, "client_name": self.client_name,
            "client_kana": self.client_kana, "client_contact": self.client_contact, "follow_up_due": self.follow_up_due,
            "content": self.content, "response": self.response, "referral": self.referral,
        }.get(name), shown)
        if not any(label.text() for label in self.errors.values()) and self.message.text() == _("Check the fields marked in red."):
            set_error(self.message, "")  # nothing marked in red is left

    def _follow_up_toggled(self, on: bool) -> None:
        self.follow_up_due.setEnabled(on)
        self.follow_up_done.setEnabled(on)

    # --- filling ---------------------------------------------------------------------------------

    def set_choices(self, topics: list[TopicInfo], fields: list[ActivityFieldInfo], staff: list[StaffChoice]) -> None:
        """The lists to choose from (all topics; inactive ones are shown only where used)."""
        self.topics, self.staff = topics, staff
        self._fill_topics(())
        self.field_list.set_choices([(f.code, f.short_name) for f in fields])
        current = self.staff_box.currentData()
        self.staff_box.clear()
        self.staff_box.addItem("", None)
        for person in staff:
            label = person.display_name if person.active else _("{name} (not in use)").format(name=person.display_name)
            self.staff_box.addItem(label, person.id)
        self._select(self.staff_box, current)

    def _fill_topics(self, used: tuple[int, ...]) -> None:
        self.topic_list.set_choices([(t.id, t.name) for t in self.topics if t.active or t.id in used])

    @staticmethod
    def _select(combo: QComboBox, value) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(index if index >= 0 else 0)

    def new_record(self) -> None:
        """An empty form for a new consultation: today, answered by the signed-in staff member."""
        self.detail = None
        user = self.state.ctx.user
        now = clock.now()  # a new record starts now and lasts the usual 30 minutes, both shown and saved
        self._fill(ConsultationInput(consulted_on=clock.today(), start_time=dt.time(now.hour, now.minute - now.minute % 5),
                                     duration_minutes=DEFAULT_DURATION, staff_user_id=user.id if user else None))
        self.title.setText(_("New consultation"))
        self.consulted_on.setFocus()

    def show_detail(self, detail: ConsultationDetail) -> None:
        """Show a stored consultation for editing."""
        self.detail = detail
        self._fill(detail.as_input(), detail)
        self.title.setText(_("Consultation No. {number}").format(number=detail.id))

    def _fill(self, data: ConsultationInput, detail: ConsultationDetail | None = None) -> None:
        self.clear_errors()
        self.consulted_on.setText(data.consulted_on.strftime("%Y/%m/%d") if isinstance(data.consulted_on, dt.date) else str(data.consulted_on or ""))
        self.start_time.setText(data.start_time.strftime("%H:%M") if isinstance(data.start_time, dt.time) else str(data.start_time or ""))
        self.duration.setText("" if data.duration_minutes in (None, "") else str(data.duration_minutes))
        self._select(self.method, data.method)
        self._select(self.client_type, data.client_type)
        if detail is not None and detail.group_id:
            self.group.set_group(detail.group_id, detail.registration_no, detail.group_name)
        else:
            self.group.set_group(None)
        self.client_name.setText(data.client_name)
        self.client_kana.setText(data.client_kana)
        self.client_contact.setText(data.client_contact)
        self._select(self.staff_box, data.staff_user_id)
        self.follow_up_needed.setChecked(bool(data.follow_up_needed))
        due = data.follow_up_due
        self.follow_up_due.setText(due.strftime("%Y/%m/%d") if isinstance(due, dt.date) else str(due or ""))
        self.follow_up_done.setChecked(bool(data.follow_up_done))
        self._follow_up_toggled(bool(data.follow_up_needed))
        self._select(self.status, data.status)
        self.confidential.setChecked(bool(data.confidential))
        self._fill_topics(tuple(data.topic_ids))
        self.topic_list.set_checked(data.topic_ids)
        self.field_list.set_checked(data.activity_fields)
        self.content.setPlainText(data.content)
        self.response.setPlainText(data.response)
        self.referral.setText(data.referral)
        self._loaded = self.values()

    def values(self) -> ConsultationInput:
        """What the form holds now."""
        return ConsultationInput(
            consulted_on=self.consulted_on.text(), start_time=self.start_time.text(), duration_minutes=self.duration.text(),
            method=self.method.currentData() or "", client_type=self.client_type.currentData() or "",
            group_id=self.group.group_id(), client_name=self.client_name.text(), client_kana=self.client_kana.text(),
            client_contact=self.client_contact.text(), topic_ids=tuple(self.topic_list.checked()),
            activity_fields=tuple(self.field_list.checked()), content=self.content.toPlainText(),
            response=self.response.toPlainText(), referral=self.referral.text(), staff_user_id=self.staff_box.currentData(),
            follow_up_needed=self.follow_up_needed.isChecked(), follow_up_due=self.follow_up_due.text(),
            follow_up_done=self.follow_up_done.isChecked(), status=self.status.currentData() or OPEN,
            confidential=self.confidential.isChecked(),
        )

    def is_modified(self) -> bool:
        """Whether anything was typed since the form was filled."""
        return self._loaded is not None and self.values() != self._loaded

    # --- saving ----------------------------------------------------------------------------------

    def clear_errors(self) -> None:
        """Hide every message."""
        for label in self.errors.values():
            set_error(label, "")
        set_error(self.message, "")
        self.message.setStyleSheet("color: #b00020;")
        self.stale.setVisible(False)

    def submit(self) -> None:
        """Save in the background; problems are shown beside the fields, the input is kept."""
        self.clear_errors()
        self.save_button.setEnabled(False)
        data = self.values()
        if self.detail is None:
            self.state.runner.submit(consultations.create_consultation, self.state.ctx, data, on_done=self._saved, on_error=self._failed)
        else:
            self.state.runner.submit(
                consultations.update_consultation, self.state.ctx, self.detail.id, data,
                expected_version=self.detail.version, on_done=self._saved, on_error=self._failed,
            )

    def _saved(self, detail: ConsultationDetail) -> None:
        self.save_button.setEnabled(True)
        self.show_detail(detail)
        self.message.setStyleSheet(SAVED_STYLE)
        set_error(self.message, _("Saved."))
        self.saved.emit(detail)

    def reopen(self) -> None:
        """Load the record as it is stored now (after a save refused as changed elsewhere)."""
        if self.detail is not None:
            self.state.runner.submit(consultations_queries.get_consultation, self.state.ctx, self.detail.id, on_done=self._reopened, on_error=self._failed)

    def _reopened(self, detail: ConsultationDetail) -> None:
        self.stale.setVisible(False)
        self.show_detail(detail)

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, StaleEditError):
            self.stale.show_error(error)
            return
        if isinstance(error, ValidationError):
            rest = []
            for problem in error.problems:
                label = self.errors.get(problem.field)
                if label is None:
                    rest.append(problem.message)
                    continue
                set_error(label, "\n".join(filter(None, [label.text(), problem.message])))
            set_error(self.message, "\n".join(rest) or _("Check the fields marked in red."))
        else:
            set_error(self.message, str(error) if hasattr(error, "message") else _("An unexpected error occurred. Nothing was saved.\n\n{detail}").format(detail=error))
