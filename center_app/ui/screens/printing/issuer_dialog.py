"""発行者の設定: the center's name, the head's title and name, and the seal image printed on
certificates (設定 keys; administrators only). Problems are shown beside the fields; a
rejected save keeps what was typed."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from center_app.domain.documents import Issuer
from center_app.domain.errors import ValidationError
from center_app.i18n import _
from center_app.services import certificates
from center_app.ui.state import AppState
from center_app.ui.widgets import clear_on_edit, error_label, field_messages, set_error, show_error

FIELDS = ("center_name", "head_title", "head_name", "seal_image_path")


class IssuerDialog(QDialog):
    """Edit the issuer; ``saved`` holds the result after a successful save."""

    def __init__(self, state: AppState, issuer: Issuer | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.saved: Issuer | None = None
        self.setWindowTitle(_("Issuer and seal"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.editors: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        labels = {
            "center_name": _("Center's name"), "head_title": _("Head's title"),
            "head_name": _("Head's name (optional)"), "seal_image_path": _("Seal image (PNG, optional)"),
        }
        for name in FIELDS:
            editor = QLineEdit(getattr(issuer, name, "") if issuer else "")
            editor.setObjectName(name)
            self.editors[name] = editor
            self.errors[name] = error_label()
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            if name == "seal_image_path":
                row = QHBoxLayout()
                row.addWidget(editor, 1)
                browse = QPushButton(_("Choose…"))
                browse.clicked.connect(self.choose_seal)
                row.addWidget(browse)
                column.addLayout(row)
            else:
                column.addWidget(editor)
            column.addWidget(self.errors[name])
            clear_on_edit(self.errors[name], editor)
            form.addRow(labels[name], box)
        hint = QLabel(_("A seal image with a transparent background looks best; it is printed over the end of the head's title."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("save")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def choose_seal(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Seal image"), self.editors["seal_image_path"].text(), _("Images (*.png *.jpg *.jpeg)"))
        if path:
            self.editors["seal_image_path"].setText(path)

    def submit(self) -> None:
        values = {name: editor.text() for name, editor in self.editors.items()}
        self.state.runner.submit(certificates.save_issuer, self.state.ctx, **values, on_done=self._saved, on_error=self._failed)

    def _saved(self, issuer: Issuer) -> None:
        self.saved = issuer
        self.accept()

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, ValidationError):
            show_error(self, error)
            return
        per_field, rest = field_messages(error, list(FIELDS))
        for name, label in self.errors.items():
            set_error(label, per_field.get(name, ""))
        if rest:
            show_error(self, ValidationError(rest))
