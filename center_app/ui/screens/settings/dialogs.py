"""The add / edit dialog of one configuration row, built from its :class:`TableSpec`.

A rejected save keeps everything typed and shows each message beside its field; a save refused
because another PC changed the row meanwhile says who and when, and 「開き直す」 loads the row as it
is now.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from center_app.domain.errors import StaleEditError, ValidationError
from center_app.i18n import _
from center_app.services import config
from center_app.services.config import ConfigRow
from center_app.services.config_spec import CLOSED_DAY_KINDS, WEEKDAY_NAMES, ColumnSpec, TableSpec
from center_app.ui.screens.settings.model import display_value
from center_app.ui.state import AppState
from center_app.ui.widgets import StaleBar, clear_on_edit, error_label, field_messages, fit_error_labels, set_error, show_error


class RowDialog(QDialog):
    """Edit ``row`` (or a new row when None) of table ``spec``; saves through the runner."""

    def __init__(self, state: AppState, spec: TableSpec, row: ConfigRow | None, choices: dict[str, dict[int, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.state, self.spec, self.row, self.choices = state, spec, row, choices
        self.saved: ConfigRow | None = None
        self.setWindowTitle(_("{table}: edit").format(table=_(spec.title)) if row else _("{table}: add").format(table=_(spec.title)))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        for column in spec.columns:
            editor = self._editor(column, row.values.get(column.name) if row else self._default(column))
            editor.setObjectName(column.name)
            self.editors[column.name] = editor
            self.errors[column.name] = error_label()
            label = _(column.label) + ("" if not column.required or column.kind == "bool" else " *")
            form.addRow(label, editor)
            form.addRow("", self.errors[column.name])
            clear_on_edit(self.errors[column.name], editor)
        self.message = error_label()
        layout.addWidget(self.message)
        self.stale = StaleBar(self.reopen)
        layout.addWidget(self.stale)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _default(column: ColumnSpec) -> Any:
        if column.name in ("active", "closes"):
            return True
        if column.name == "sort_order":
            return 0
        return None

    def _editor(self, column: ColumnSpec, value: Any) -> QWidget:
        if column.kind == "bool":
            box = QCheckBox()
            box.setChecked(bool(value))
            return box
        if column.kind in ("ref", "weekday", "choice"):
            combo = QComboBox()
            if not column.required:
                combo.addItem("", None)
            if column.kind == "ref":
                items = list(self.choices.get(column.ref or "", {}).items())
            elif column.kind == "weekday":
                items = [(i, _(name)) for i, name in enumerate(WEEKDAY_NAMES)]
            else:
                items = [(c, _(CLOSED_DAY_KINDS.get(c, c))) for c in column.choices]
            for key, label in items:
                combo.addItem(label, key)
            index = combo.findData(value)
            combo.setCurrentIndex(max(index, 0))
            return combo
        if column.kind == "lines":
            lines = QPlainTextEdit(value or "")
            lines.setTabChangesFocus(True)
            lines.setFixedHeight(90)
            return lines
        edit = QLineEdit(display_value(column, value, self.choices).replace(",", "") if value is not None else "")
        if column.kind == "time":
            edit.setPlaceholderText("09:00")
        elif column.kind == "month_day":
            edit.setPlaceholderText("12-29")
        elif column.kind == "date":
            edit.setPlaceholderText("2026-12-29")
        return edit

    def values(self) -> dict[str, Any]:
        """What is typed, column name → raw value (text, bool or the selected id)."""
        raw: dict[str, Any] = {}
        for name, editor in self.editors.items():
            if isinstance(editor, QCheckBox):
                raw[name] = editor.isChecked()
            elif isinstance(editor, QComboBox):
                raw[name] = editor.currentData()
            elif isinstance(editor, QPlainTextEdit):
                raw[name] = editor.toPlainText()
            else:
                raw[name] = editor.text()
        return raw

    def submit(self) -> None:
        """Save in the background; on a problem keep the input and point at the fields."""
        for label in self.errors.values():
            set_error(label, "")
        set_error(self.message, "")
        self.save_button.setEnabled(False)
        self.state.runner.submit(
            config.save_row, self.state.ctx, self.spec.key, self.row.id if self.row else None, self.values(),
            expected_version=self.row.version if self.row else None, on_done=self._saved, on_error=self._failed,
        )

    def reopen(self) -> None:
        """Load the row as it is stored now (after a save refused as changed elsewhere)."""
        if self.row is not None:
            self.state.runner.submit(config.list_rows, self.state.ctx, self.spec.key, on_done=self._reopened, on_error=self._failed)

    def _reopened(self, rows: list[ConfigRow]) -> None:
        fresh = next((r for r in rows if r.id == self.row.id), None) if self.row else None
        if fresh is None:
            set_error(self.message, _("This row no longer exists. Reload the list."))
            return
        self.row = fresh
        self.stale.setVisible(False)
        set_error(self.message, "")
        for column in self.spec.columns:
            editor = self.editors[column.name]
            value = fresh.values.get(column.name)
            if isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            elif isinstance(editor, QComboBox):
                editor.setCurrentIndex(max(editor.findData(value), 0))
            else:
                editor.setText(display_value(column, value, self.choices).replace(",", "") if value is not None else "")

    def _saved(self, row: ConfigRow) -> None:
        self.saved = row
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, StaleEditError):
            self.stale.show_error(error)
        elif isinstance(error, ValidationError):
            per_field, rest = field_messages(error, list(self.errors))
            for name, text in per_field.items():
                set_error(self.errors[name], text)
            set_error(self.message, rest)
            fit_error_labels(self, [*self.errors.values(), self.message])
        else:
            show_error(self, error)
