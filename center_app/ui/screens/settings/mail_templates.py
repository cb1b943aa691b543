"""設定 → 郵送文書: the letter templates of mailings (印刷 → 郵送, ``center-app mail letters``).

The list of templates on the left; the chosen one's name, heading and text on the right, with
the merge fields it may use. 「保存」 checks the template (an unknown merge field is named) and
keeps what was typed when it is refused; 「新しいテンプレート」 starts an empty one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

from center_app.domain.mailings import MERGE_FIELDS, MailTemplateView
from center_app.i18n import _
from center_app.services import mailings
from center_app.ui.state import AppState
from center_app.ui.widgets import error_label, set_error, show_error


class MailTemplatesTab(QWidget):
    """The letter templates: list, form, 新しいテンプレート, 保存."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.templates: list[MailTemplateView] = []
        self.current: MailTemplateView | None = None
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        self.list = QListWidget()
        self.list.setObjectName("mail_templates")
        self.list.setMaximumWidth(240)
        left.addWidget(self.list, 1)
        self.new_button = QPushButton(_("&New template"))
        self.new_button.setObjectName("mail_template_new")
        left.addWidget(self.new_button)
        layout.addLayout(left)

        right = QVBoxLayout()
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setObjectName("mail_template_name")
        form.addRow(_("Name") + " *", self.name)
        self.title = QLineEdit()
        self.title.setObjectName("mail_template_title")
        form.addRow(_("Heading"), self.title)
        self.body = QPlainTextEdit()
        self.body.setObjectName("mail_template_body")
        self.body.setTabChangesFocus(True)
        form.addRow(_("Text") + " *", self.body)
        right.addLayout(form, 1)
        fields = "　".join(f"{{{name}}} {_(meaning)}" for name, meaning in MERGE_FIELDS.items())
        help_text = QLabel(_("Merge fields: {fields}. A blank line starts a new paragraph.").format(fields=fields))
        help_text.setWordWrap(True)
        help_text.setObjectName("mail_template_help")
        right.addWidget(help_text)
        self.error = error_label()
        self.error.setObjectName("mail_template_error")
        right.addWidget(self.error)
        row = QHBoxLayout()
        self.saved_note = QLabel()
        self.saved_note.setObjectName("mail_template_saved")
        row.addWidget(self.saved_note, 1)
        self.save_button = QPushButton(_("&Save"))
        self.save_button.setObjectName("mail_template_save")
        row.addWidget(self.save_button)
        right.addLayout(row)
        layout.addLayout(right, 1)

        self.list.currentRowChanged.connect(self._show)
        self.new_button.clicked.connect(self.new_template)
        self.save_button.clicked.connect(self.save)

    def reload(self, select: str | None = None, note: str = "") -> None:
        """Load the templates; keep (or move to ``select``) the chosen one; then show ``note``."""
        chosen = select or (self.current.name if self.current else None)
        self.state.runner.submit(mailings.templates, self.state.ctx, on_done=lambda rows: self._loaded(rows, chosen, note),
                                 on_error=lambda e: show_error(self, e))

    def _loaded(self, rows: list[MailTemplateView], chosen: str | None, note: str = "") -> None:
        self.templates = rows
        self.list.blockSignals(True)
        self.list.clear()
        for row in rows:
            item = QListWidgetItem(row.name)
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        names = [row.name for row in rows]
        self.list.setCurrentRow(names.index(chosen) if chosen in names else (0 if rows else -1))
        if rows:
            self._show(self.list.currentRow())
        self.saved_note.setText(note)

    def _show(self, index: int) -> None:
        if not 0 <= index < len(self.templates):
            return
        self.current = self.templates[index]
        self.name.setText(self.current.name)
        self.title.setText(self.current.title)
        self.body.setPlainText(self.current.body)
        set_error(self.error, "")
        self.saved_note.setText("")

    def new_template(self) -> None:
        """Start an empty template (saved as new)."""
        self.current = None
        self.list.clearSelection()
        for editor in (self.name, self.title):
            editor.clear()
        self.body.clear()
        set_error(self.error, "")
        self.saved_note.setText("")
        self.name.setFocus()

    def save(self) -> None:
        """Save what is typed; a refusal is shown under the form and the text stays."""
        current = self.current
        set_error(self.error, "")
        self.state.runner.submit(
            mailings.save_template, self.state.ctx, current.id if current else None, self.name.text(), self.title.text(),
            self.body.toPlainText(), expected_version=current.version if current else None,
            on_done=self._saved, on_error=self._refused)

    def _saved(self, view: MailTemplateView) -> None:
        self.current = view
        self.reload(select=view.name, note=_("Saved {name}.").format(name=view.name))

    def _refused(self, error: BaseException) -> None:
        from center_app.domain.errors import CenterError, ValidationError

        if isinstance(error, ValidationError):
            set_error(self.error, "\n".join(p.message for p in error.problems))
        elif isinstance(error, CenterError):
            set_error(self.error, str(error))
        else:
            show_error(self, error)
