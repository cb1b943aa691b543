"""Administrator dialogs of the 相談 screen: the editable topic list and the retention period."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QMessageBox, QPushButton, QSpinBox, QTableWidgetItem, QVBoxLayout, QWidget,
)

from center_app.domain.errors import StaleEditError, ValidationError
from center_app.i18n import _
from center_app.services import consultations, consultations_queries, consultations_retention as retention
from center_app.services.consultations_values import RetentionCandidate, TopicInfo, method_label
from center_app.ui.state import AppState
from center_app.ui.widgets import error_label, read_only_table, set_error, show_error


class TopicsDialog(QDialog):
    """相談分野: add, rename, reorder, switch off. Topics in use are never deleted."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.topics: list[TopicInfo] = []
        self.setWindowTitle(_("Consultation topics"))
        self.resize(520, 460)
        layout = QVBoxLayout(self)
        self.table = read_only_table([_("Order"), _("Topic"), _("In use")], "topic_table")
        self.table.currentCellChanged.connect(lambda row, *_a: self._pick(row))
        layout.addWidget(self.table, 1)
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setObjectName("topic_name")
        self.order = QSpinBox()
        self.order.setRange(0, 9999)
        self.active = QCheckBox(_("In use"))
        self.active.setChecked(True)
        form.addRow(_("Topic"), self.name)
        form.addRow(_("Order"), self.order)
        form.addRow("", self.active)
        layout.addLayout(form)
        self.message = error_label()
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.add_button = QPushButton(_("Add as new topic"))
        self.add_button.clicked.connect(lambda: self.save(new=True))
        self.save_button = QPushButton(_("Save changes"))
        self.save_button.clicked.connect(lambda: self.save(new=False))
        close = QPushButton(_("Close"))
        close.clicked.connect(self.accept)
        for button in (self.add_button, self.save_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.reload()

    def reload(self) -> None:
        """Load every topic (also those switched off)."""
        self.state.runner.submit(consultations_queries.list_topics, self.state.ctx, include_inactive=True, on_done=self._loaded,
                                 on_error=lambda e: show_error(self, e))

    def _loaded(self, topics: list[TopicInfo]) -> None:
        self.topics = topics
        self.table.setRowCount(len(topics))
        for r, t in enumerate(topics):
            for c, text in enumerate((str(t.sort_order), t.name, _("Yes") if t.active else _("No"))):
                self.table.setItem(r, c, QTableWidgetItem(text))

    def _pick(self, row: int) -> None:
        if 0 <= row < len(self.topics):
            topic = self.topics[row]
            self.name.setText(topic.name)
            self.order.setValue(topic.sort_order)
            self.active.setChecked(topic.active)

    def save(self, *, new: bool) -> None:
        """Add a topic or save the selected one; the typed values stay when refused."""
        set_error(self.message, "")
        row = self.table.currentRow()
        topic = None if new or not 0 <= row < len(self.topics) else self.topics[row]
        if not new and topic is None:
            set_error(self.message, _("Select a topic in the list first."))
            return
        # a refusal (also "changed on another PC": the list reloads, the typed values stay) is shown here
        self.state.runner.submit(
            consultations.save_topic, self.state.ctx, topic.id if topic else None, self.name.text(), self.order.value(), self.active.isChecked(),
            expected_version=topic.version if topic else None,
            on_done=lambda _t: self.reload(), on_error=self._failed,
        )

    def _failed(self, error: BaseException) -> None:
        set_error(self.message, str(error))
        if isinstance(error, StaleEditError):
            self.state.runner.submit(consultations_queries.list_topics, self.state.ctx, include_inactive=True, on_done=self._relisted,
                                     on_error=lambda e: show_error(self, e))

    def _relisted(self, topics: list[TopicInfo]) -> None:
        """The list as stored now (new versions), keeping the selection and what was typed."""
        row = self.table.currentRow()
        self.table.blockSignals(True)
        self._loaded(topics)
        if 0 <= row < len(topics):
            self.table.setCurrentCell(row, 0)
        self.table.blockSignals(False)


class RetentionDialog(QDialog):
    """保存期間: the period in years, the completed records past it, and deleting them."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.candidates: list[RetentionCandidate] = []
        self.deleted = 0
        self.setWindowTitle(_("Retention of consultation records"))
        self.resize(760, 500)
        layout = QVBoxLayout(self)
        intro = QLabel(_(
            "Completed consultations are kept for the number of years below after they were completed. "
            "Records past that period can be deleted here; anonymous counts by month, method, client type "
            "and topic are kept for the statistics, and the deletion is recorded in the audit log."
        ))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Retention period (years)")))
        self.years = QSpinBox()
        self.years.setObjectName("retention_years")
        self.years.setRange(1, retention.MAX_RETENTION_YEARS)
        row.addWidget(self.years)
        apply = QPushButton(_("Change"))
        apply.clicked.connect(self.save_years)
        row.addWidget(apply)
        row.addStretch(1)
        layout.addLayout(row)
        self.table = read_only_table([_("No."), _("Date"), _("Completed"), _("Method"), _("Client"), _("Topics"), _("Staff member")], "retention_table")
        layout.addWidget(self.table, 1)
        self.summary = QLabel()
        self.summary.setObjectName("retention_summary")
        layout.addWidget(self.summary)
        self.message = error_label()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.delete_button = QPushButton(_("Delete these records…"))
        self.delete_button.setObjectName("delete_expired")
        self.delete_button.clicked.connect(self.confirm_delete)
        buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        """Load the period and the records past it."""
        self.state.runner.submit(retention.retention_years, self.state.ctx, on_done=self.years.setValue, on_error=lambda e: set_error(self.message, str(e)))
        self.state.runner.submit(retention.expired_consultations, self.state.ctx, on_done=self._loaded, on_error=lambda e: set_error(self.message, str(e)))

    def _loaded(self, items: list[RetentionCandidate]) -> None:
        self.candidates = items
        self.table.setRowCount(len(items))
        for r, c in enumerate(items):
            cells = [str(c.id), c.consulted_on.strftime("%Y/%m/%d"), c.completed_on.strftime("%Y/%m/%d"), method_label(c.method),
                     c.client_label, "、".join(c.topics), c.staff_name]
            for col, text in enumerate(cells):
                self.table.setItem(r, col, QTableWidgetItem(text))
        self.summary.setText(_("{count} records are past the retention period.").format(count=len(items)))
        self.delete_button.setEnabled(bool(items))

    def save_years(self) -> None:
        """Store the period and list again."""
        set_error(self.message, "")
        self.state.runner.submit(retention.set_retention_years, self.state.ctx, self.years.value(),
                                 on_done=lambda _y: self.reload(), on_error=self._failed)

    def _failed(self, error: BaseException) -> None:
        text = "\n".join(p.message for p in error.problems) if isinstance(error, ValidationError) else str(error)
        set_error(self.message, text)

    def confirm_delete(self) -> None:
        """Ask, then delete the listed records."""
        if not self.candidates:
            return
        answer = QMessageBox.question(
            self, _("Delete records"),
            _("Delete {count} consultation records for good? This cannot be undone.").format(count=len(self.candidates)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_listed()

    def delete_listed(self) -> None:
        """Delete the records shown (no question asked: tests and after confirming)."""
        ids = [c.id for c in self.candidates]
        self.state.runner.submit(retention.purge_expired, self.state.ctx, ids, on_done=self._purged, on_error=self._failed)

    def _purged(self, result: retention.PurgeResult) -> None:
        self.deleted += result.deleted
        self.reload()
        set_error(self.message, _("Deleted {count} consultations; their anonymous counts are kept for statistics.").format(count=result.deleted))
