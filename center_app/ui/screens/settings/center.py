"""設定 → センター and 設定 → 使用料と収納: the center-wide settings declared for a screen (monthly cap
per group, registration number pattern; payment deadline, rounding, receipt texts, …), one row
each, built from their declaration: a check box for a yes/no, a list for a setting with choices,
a text box for several lines, a line otherwise. A rejected save
keeps what was typed and shows each message beside its setting; a stored value that is not
valid is shown as it is with the message saying what is wrong. A save refused because another
PC saved these settings meanwhile says who and when; 「開き直す」 loads the stored values."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from center_app.domain.center_settings import SETTINGS_CENTER, Screen, SettingSpec
from center_app.domain.errors import StaleEditError, ValidationError
from center_app.i18n import _
from center_app.services import center_settings
from center_app.services.center_settings import SettingValue
from center_app.ui.state import AppState
from center_app.ui.widgets import StaleBar, clear_on_edit, error_label, field_messages, set_error, show_error


Editor = QLineEdit | QCheckBox | QComboBox | QPlainTextEdit


def _editor(spec: SettingSpec) -> Editor:
    if spec.kind is bool:
        return QCheckBox()
    if spec.choices:
        combo = QComboBox()
        for code, label in spec.choices:
            combo.addItem(_(label), code)
        return combo
    if spec.multiline:
        text = QPlainTextEdit()
        text.setTabChangesFocus(True)
        text.setFixedHeight(80)
        return text
    return QLineEdit()


class CenterSettingsTab(QWidget):
    """Edit the settings of one screen (default :data:`~center_app.domain.center_settings.SETTINGS_CENTER`)."""

    def __init__(self, state: AppState, screen: Screen = SETTINGS_CENTER, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.screen = screen
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.editors: dict[str, Editor] = {}
        self.stored: dict[str, Any] | None = None  # the values as loaded or last saved
        self.errors: dict[str, QLabel] = {}
        for spec in center_settings.on_screen(screen):
            editor = _editor(spec)
            editor.setObjectName(spec.key)
            self.editors[spec.key] = editor
            self.errors[spec.key] = error_label()
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(editor)
            if spec.hint:
                hint = QLabel(_(spec.hint))
                hint.setWordWrap(True)
                column.addWidget(hint)
            column.addWidget(self.errors[spec.key])
            clear_on_edit(self.errors[spec.key], editor)
            form.addRow(_(spec.label) + (" *" if spec.required else ""), box)
        self.versions: dict[str, int] = {}
        self.message = error_label()
        layout.addWidget(self.message)
        self.stale = StaleBar(self.reload)
        layout.addWidget(self.stale)
        row = QHBoxLayout()
        self.save_button = QPushButton(_("Save"))
        self.save_button.setObjectName("save_center_settings" if screen == SETTINGS_CENTER else f"save_{screen.code.replace('.', '_')}")
        self.save_button.clicked.connect(self.submit)
        row.addWidget(self.save_button)
        self.status = QLabel()
        self.status.setObjectName("center_settings_status")
        row.addWidget(self.status)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)

    def reload(self) -> None:
        """Load the stored values in the background."""
        self.state.runner.submit(center_settings.values_for, self.state.ctx, self.screen, on_done=self._loaded, on_error=lambda e: set_error(self.message, str(e)))

    def _loaded(self, items: list[SettingValue]) -> None:
        set_error(self.message, "")
        self.stale.setVisible(False)
        self.versions = {item.spec.key: item.version for item in items}
        for item in items:
            self._show(self.editors[item.spec.key], item.value)
            set_error(self.errors[item.spec.key], item.problem)
        self.stored = self.values()

    def has_unsaved_changes(self) -> bool:
        """Whether something typed differs from what was loaded or last saved."""
        return self.stored is not None and self.values() != self.stored

    @staticmethod
    def _show(editor: Editor, value: Any) -> None:
        if isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, QComboBox):
            index = editor.findData(value)
            if index < 0:  # a stored value that is not a choice: shown as it is, to be corrected
                editor.addItem(str(value), value)
                index = editor.count() - 1
            editor.setCurrentIndex(index)
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText("" if value is None else str(value))
        else:
            editor.setText("" if value is None else str(value))

    def values(self) -> dict[str, Any]:
        """What is typed: key → text (bool for a check box, the code of a list's choice)."""
        result: dict[str, Any] = {}
        for key, e in self.editors.items():
            if isinstance(e, QCheckBox):
                result[key] = e.isChecked()
            elif isinstance(e, QComboBox):
                result[key] = e.currentData()
            elif isinstance(e, QPlainTextEdit):
                result[key] = e.toPlainText()
            else:
                result[key] = e.text()
        return result

    def submit(self) -> None:
        """Save in the background; on a problem keep the input and point at the settings."""
        for label in self.errors.values():
            set_error(label, "")
        set_error(self.message, "")
        self.status.clear()
        self.state.runner.submit(center_settings.save, self.state.ctx, self.screen, self.values(), expected_versions=self.versions or None,
                                 on_done=self._saved, on_error=self._failed)

    def _saved(self, values: dict[str, Any]) -> None:
        for key, value in values.items():
            self._show(self.editors[key], value)
        self.stored = self.values()
        self.status.setText(_("Saved."))
        self.state.runner.submit(center_settings.values_for, self.state.ctx, self.screen, on_done=self._versions_read, on_error=lambda _e: None)

    def _versions_read(self, items: list[SettingValue]) -> None:
        self.versions = {item.spec.key: item.version for item in items}

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, StaleEditError):
            self.stale.show_error(error)
            return
        if not isinstance(error, ValidationError):
            show_error(self, error)
            return
        per_field, rest = field_messages(error, list(self.errors))
        for key, text in per_field.items():
            set_error(self.errors[key], text)
        set_error(self.message, rest)
