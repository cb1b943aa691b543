"""The event form (new or edit): title, catch copy, date and times, place (a room or free
text), organiser, co-hosts, fee, capacity, how to apply, contact, description, picture and web
address. Problems appear beside the fields (the tab with the first one is shown); a rejected
save keeps everything typed; a save refused because the event changed on another PC says who and
when, and 「開き直す」 loads it as it is now."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from center_app.domain.errors import CenterError, StaleEditError, ValidationError
from center_app.i18n import _
from center_app.services import config, events
from center_app.ui.state import AppState
from center_app.ui.widgets import StaleBar, clear_on_edit, error_label, field_messages, set_error, show_error

_MULTILINE = ("how_to_apply", "contact", "description")


def _labels() -> dict[str, str]:
    return {
        "title": _("Title"), "catch_copy": _("Catch copy"), "event_date": _("Date"), "start_time": _("Starts"),
        "end_time": _("Ends"), "room_id": _("Room"), "place_text": _("Place (free text)"), "organiser": _("Organiser"),
        "co_hosts": _("Co-hosts"), "fee_yen": _("Fee (yen, 0 = free)"), "fee_note": _("Fee note"), "capacity": _("Capacity"),
        "how_to_apply": _("How to apply"), "contact": _("Contact"), "description": _("Description"),
        "image_path": _("Picture"), "url": _("Web address (QR code)"),
    }


def _tabs() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return (
        (_("Event"), ("title", "catch_copy", "event_date", "start_time", "end_time", "room_id", "place_text", "organiser", "co_hosts")),
        (_("Application"), ("fee_yen", "fee_note", "capacity", "how_to_apply", "contact")),
        (_("Description"), ("description", "image_path", "url")),
    )


class EventDialog(QDialog):
    """Create (``detail`` None) or edit an event; ``saved`` holds the result."""

    def __init__(self, state: AppState, rooms: list[config.Choice], detail: events.EventDetail | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.state, self.detail = state, detail
        self.saved: events.EventDetail | None = None
        self.setWindowTitle(_("Event: {title}").format(title=detail.title) if detail else _("New event"))
        self.setMinimumSize(600, 520)
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.tab_of: dict[str, int] = {}
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        labels = _labels()
        for index, (title, names) in enumerate(_tabs()):
            page = QWidget()
            form = QFormLayout(page)
            for name in names:
                form.addRow(labels[name], self._field(name, rooms))
                self.tab_of[name] = index
            self.tabs.addTab(page, title)
        self.message = error_label()
        layout.addWidget(self.message)
        self.stale = StaleBar(self.reopen)
        layout.addWidget(self.stale)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("save")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if detail is not None:
            self._fill(detail)

    def _field(self, name: str, rooms: list[config.Choice]) -> QWidget:
        if name in _MULTILINE:
            editor: QWidget = QPlainTextEdit()
            editor.setTabChangesFocus(True)
            editor.setMaximumHeight(160 if name == "description" else 80)
        elif name == "room_id":
            editor = QComboBox()
            editor.addItem(_("(outside the center: write the place below)"), None)
            for room in rooms:
                editor.addItem(room.label, room.id)
        else:
            editor = QLineEdit()
        editor.setObjectName(name)
        self.editors[name] = editor
        hints = {"event_date": "2026/12/13, 令和8年12月13日", "start_time": "13:30", "end_time": "16:00", "fee_yen": "500", "capacity": "30", "url": "https://"}
        if name in hints and isinstance(editor, QLineEdit):
            editor.setPlaceholderText(hints[name])
        self.errors[name] = error_label()
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        if name == "image_path":
            row = QHBoxLayout()
            row.addWidget(editor, 1)
            browse = QPushButton(_("Choose…"))
            browse.setObjectName("choose_image")
            browse.clicked.connect(self.choose_image)
            row.addWidget(browse)
            column.addLayout(row)
        else:
            column.addWidget(editor)
        column.addWidget(self.errors[name])
        clear_on_edit(self.errors[name], editor)
        return box

    def _fill(self, d: events.EventDetail) -> None:
        def text(value) -> str:
            if value is None:
                return ""
            if hasattr(value, "strftime"):
                return value.strftime("%Y/%m/%d") if hasattr(value, "year") else value.strftime("%H:%M")
            return str(value)

        for name, editor in self.editors.items():
            value = getattr(d, name)
            if isinstance(editor, QComboBox):
                editor.setCurrentIndex(max(editor.findData(value), 0))
            elif isinstance(editor, QPlainTextEdit):
                editor.setPlainText(text(value))
            else:
                editor.setText(text(value))

    def values(self) -> events.EventInput:
        raw = {}
        for name, editor in self.editors.items():
            if isinstance(editor, QComboBox):
                raw[name] = editor.currentData()
            elif isinstance(editor, QPlainTextEdit):
                raw[name] = editor.toPlainText()
            else:
                raw[name] = editor.text()
        return events.EventInput(**raw)

    def choose_image(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Picture"), self.editors["image_path"].text(), _("Images (*.png *.jpg *.jpeg)"))
        if path:
            self.editors["image_path"].setText(path)

    def submit(self) -> None:
        """Save in the background (onto the version the form was opened with)."""
        expected = self.detail.version if self.detail else None
        self.state.runner.submit(
            events.save_event, self.state.ctx, self.detail.id if self.detail else None, self.values(), expected_version=expected,
            on_done=self._saved, on_error=self._failed,
        )

    def reopen(self) -> None:
        """Load the event as it is stored now (after a save refused as changed elsewhere)."""
        if self.detail is not None:
            self.state.runner.submit(events.get_event, self.state.ctx, self.detail.id, on_done=self._reopened, on_error=self._failed)

    def _reopened(self, detail: events.EventDetail) -> None:
        self.detail = detail
        self.stale.setVisible(False)
        set_error(self.message, "")
        self._fill(detail)

    def _saved(self, detail: events.EventDetail) -> None:
        self.saved = detail
        self.accept()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, StaleEditError):
            self.stale.show_error(error)
            return
        if isinstance(error, CenterError) and not isinstance(error, ValidationError):
            # the room's booking was refused (conflict naming the other booking, closed day, …):
            # said beside the room, the form stays as typed
            for label in self.errors.values():
                set_error(label, "")
            set_error(self.errors["room_id"], str(error))
            set_error(self.message, "")
            self.tabs.setCurrentIndex(self.tab_of["room_id"])
            return
        if not isinstance(error, ValidationError):
            show_error(self, error)
            return
        per_field, rest = field_messages(error, list(self.editors))
        for name, label in self.errors.items():
            set_error(label, per_field.get(name, ""))
        set_error(self.message, rest)
        first = next((p.field for p in error.problems if p.field in self.tab_of), None)
        if first is not None:
            self.tabs.setCurrentIndex(self.tab_of[first])
            self.editors[first].setFocus()
