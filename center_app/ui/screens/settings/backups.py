"""設定 → バックアップ: the list of backups, 今すぐバックアップ, and restore with confirmation."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QTableWidgetItem, QVBoxLayout, QWidget

from center_app.db.backup import BackupInfo
from center_app.i18n import N_, _
from center_app.services import backups
from center_app.ui.state import AppState
from center_app.ui.widgets import read_only_table, show_error

_KIND_LABELS = {
    "daily": N_("Daily"),
    "before-migration": N_("Before an update"),
    "before-restore": N_("Before a restore"),
    "manual": N_("Manual"),
}


class BackupsTab(QWidget):
    """Backups of the SQLite database. After a restore ``state.database_replaced`` is emitted."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.items: list[BackupInfo] = []
        layout = QVBoxLayout(self)
        self.note = QLabel(_("A backup is taken automatically at the first start of each day and before every update."))
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.table = read_only_table([_("Taken at"), _("Kind"), _("Size (KB)"), _("File")], "backups_table")
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.backup_button = QPushButton(_("Back up now"))
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button = QPushButton(_("Restore the selected backup…"))
        self.restore_button.clicked.connect(self.restore_selected)
        row.addWidget(self.backup_button)
        row.addWidget(self.restore_button)
        row.addStretch(1)
        layout.addLayout(row)

    def reload(self) -> None:
        """Load the list in the background."""
        self.state.runner.submit(backups.list_backups, self.state.ctx, on_done=self._loaded, on_error=self._failed)

    def _failed(self, error: BaseException) -> None:
        self.note.setText(str(error))
        self.backup_button.setEnabled(False)
        self.restore_button.setEnabled(False)

    def _loaded(self, items: list[BackupInfo]) -> None:
        self.items = items
        self.table.setRowCount(len(items))
        for r, b in enumerate(items):
            for c, text in enumerate([f"{b.taken_at:%Y-%m-%d %H:%M:%S}", _(_KIND_LABELS.get(b.kind, b.kind)), f"{b.size // 1024:,}", str(b.path)]):
                self.table.setItem(r, c, QTableWidgetItem(text))

    def backup_now(self) -> None:
        """Take a manual backup."""
        self.state.runner.submit(backups.backup_now, self.state.ctx, on_done=lambda _p: self.reload(), on_error=lambda e: show_error(self, e))

    def restore_selected(self) -> None:
        """Ask, then restore the selected backup; the app signs out and reopens the database."""
        row = self.table.currentRow()
        if not 0 <= row < len(self.items):
            return
        item = self.items[row]
        answer = QMessageBox.question(
            self, _("Restore"),
            _("Replace the current database with the backup of {when}? The current database is kept as a backup first. "
              "Everyone must close Center Desk on the other PCs, and you will have to sign in again.").format(when=f"{item.taken_at:%Y-%m-%d %H:%M}"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.state.runner.submit(backups.restore_backup, self.state.ctx, item.path, on_done=lambda _k: self.state.database_replaced.emit(), on_error=lambda e: show_error(self, e))
