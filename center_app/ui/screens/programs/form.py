"""The dialog frame every 補助金・協働 form shares: fields in a form layout, the refusal under
them (each problem on a line), the stale-edit bar with 「開き直す」, and OK / キャンセル.

OK hands the typed values to :meth:`FormDialog.submit`, which runs the service on the
background runner; the dialog stays open until the service answers. A refusal is shown in the
dialog and everything typed stays; success closes it and calls ``on_saved(result)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from center_app.domain.errors import StaleEditError
from center_app.ui.state import AppState
from center_app.ui.widgets import StaleBar, clear_on_edit, error_label, fit_error_labels, set_error, show_refusal


class FormDialog(QDialog):
    """A small form: subclasses add rows to ``form`` and implement :meth:`submit` (call
    :meth:`run` with the service and its arguments) and, for an edit, :meth:`reopen`."""

    def __init__(self, state: AppState, title: str, on_saved: Callable[[Any], None], parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.on_saved = on_saved
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.stale = StaleBar(self.reopen)
        layout.addWidget(self.stale)
        self.error = error_label()
        self.error.setObjectName("form_error")
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.setObjectName("form_buttons")
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def add_row(self, label: str, widget: QWidget) -> QWidget:
        """A labelled field; the label's mnemonic (「&」) moves the focus to ``widget``."""
        title = QLabel(label)
        title.setBuddy(widget)
        self.form.addRow(title, widget)
        clear_on_edit(self.error, widget)  # a refusal goes as the clerk corrects the form
        return widget

    def confirm(self) -> None:
        """OK: clear the last refusal and submit the typed values."""
        set_error(self.error, "")
        self.stale.setVisible(False)
        self.submit()

    def submit(self) -> None:  # pragma: no cover - overridden
        """Hand the typed values to the service (through :meth:`run`)."""
        raise NotImplementedError

    def reopen(self) -> None:
        """「開き直す」 after a stale save: load the record as it is now (edits only)."""

    def run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Run ``fn(*args, **kwargs)`` on the runner; close on success, show a refusal otherwise."""
        self.buttons.setEnabled(False)
        self.state.runner.submit(fn, *args, on_done=self._saved, on_error=self.refused, **kwargs)

    def _saved(self, result: Any) -> None:
        self.buttons.setEnabled(True)
        self.accept()
        self.on_saved(result)

    def refused(self, error: BaseException) -> None:
        """Show why the save was refused (a stale edit: the bar with 「開き直す」); what was typed
        stays."""
        self.buttons.setEnabled(True)
        if isinstance(error, StaleEditError):
            self.stale.show_error(error)
        else:
            show_refusal(self, self.error, error)
        fit_error_labels(self, [self.error])
