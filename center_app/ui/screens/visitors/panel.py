"""ホーム panel of the visitor tally (来館者数): one button per purpose of 設定 with its key (1–9,
while ホーム is shown and no text field has the focus), today's count on each and the day's
total; 「訂正…」 corrects a count with a reason (audited). Counts go through
:mod:`center_app.services.visitors` on the background runner."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QScrollArea, QSizePolicy, QSpinBox, QVBoxLayout, QWidget,
)

from center_app.domain import clock
from center_app.i18n import _
from center_app.services import visitors
from center_app.services.visitors import DayTally
from center_app.ui.state import AppState
from center_app.ui.widgets import error_label, set_error, show_refusal


class VisitorPanel(QWidget):
    """The tally of today at the toolbar's facility."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.tally: DayTally | None = None
        self.buttons: dict[str, QPushButton] = {}
        self.shortcuts: list[QShortcut] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel()
        self.heading.setObjectName("visitor_heading")
        self.heading.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.heading)
        self.row = QHBoxLayout()
        layout.addLayout(self.row)
        self.correct_button = QPushButton(_("Correct…"))
        self.correct_button.setObjectName("visitor_correct")
        self.correct_button.clicked.connect(self.open_correction)
        self.message = error_label()
        layout.addWidget(self.message)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.purposes: tuple[str, ...] = ()

    def activate(self) -> None:
        """Reload the purposes of 設定 and today's counts."""
        self.state.runner.submit(self._load, self.state.ctx, self.state.facility_id, on_done=self._loaded,
                                 on_error=lambda e: set_error(self.message, str(e)))

    @staticmethod
    def _load(ctx, facility_id):
        return visitors.purposes(ctx), visitors.day_tally(ctx, facility_id)

    def _loaded(self, loaded) -> None:
        purposes, tally = loaded
        if purposes != self.purposes:
            self._build(purposes)
        self._show(tally)

    def _build(self, purposes: tuple[str, ...]) -> None:
        self.purposes = purposes
        for button in self.buttons.values():
            button.deleteLater()
        for shortcut in self.shortcuts:
            shortcut.setEnabled(False)
            shortcut.deleteLater()
        self.buttons, self.shortcuts = {}, []
        self.row.removeWidget(self.correct_button)
        for index, purpose in enumerate(purposes[:9], start=1):
            button = QPushButton()
            button.setObjectName(f"visitor_{index}")
            button.setMinimumHeight(36)
            button.setToolTip(_("Count one visitor ({key})").format(key=index))
            button.clicked.connect(lambda _checked=False, p=purpose: self.count(p))
            self.row.addWidget(button)
            self.buttons[purpose] = button
            shortcut = QShortcut(QKeySequence(str(index)), self, context=Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda p=purpose: self.count_by_key(p))
            self.shortcuts.append(shortcut)
        self.row.addWidget(self.correct_button)

    def _show(self, tally: DayTally) -> None:
        self.tally = tally
        set_error(self.message, "")
        self.heading.setText(_("Visitors today: {total}").format(total=tally.total))
        for index, (purpose, button) in enumerate(self.buttons.items(), start=1):
            button.setText(_("{key} {purpose}: {count}").format(key=index, purpose=purpose, count=tally.count(purpose)))

    def count_by_key(self, purpose: str) -> None:
        """The key of ``purpose`` pressed: count, and scroll ホーム back to the tally when it was
        scrolled out of sight, so the clerk sees the count go up."""
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None:
            parent.ensureWidgetVisible(self.buttons.get(purpose, self), 0, 0)
        self.count(purpose)

    def count(self, purpose: str) -> None:
        """Count one visitor of ``purpose`` (a button or its key)."""
        self.state.runner.submit(visitors.add_visitors, self.state.ctx, self.state.facility_id, purpose, 1, on_done=self._show,
                                 on_error=lambda e: set_error(self.message, str(e)))

    def open_correction(self) -> None:
        """The correction dialog."""
        dialog = CorrectionDialog(self.state, self.purposes, self._show, self)
        dialog.open()
        return dialog


class CorrectionDialog(QDialog):
    """訂正: a purpose, a change (± visitors) and the reason; a refusal keeps what was typed."""

    def __init__(self, state: AppState, purposes: tuple[str, ...], done, parent: QWidget | None = None):
        super().__init__(parent)
        self.state, self.done_callback = state, done
        self.setWindowTitle(_("Correct the visitor count"))
        form = QFormLayout(self)
        self.purpose = QComboBox()
        self.purpose.setObjectName("correct_purpose")
        self.purpose.addItems(list(purposes))
        form.addRow(_("Purpose"), self.purpose)
        self.change = QSpinBox()
        self.change.setObjectName("correct_change")
        self.change.setRange(-999, 999)
        self.change.setValue(-1)
        form.addRow(_("Change (− takes visitors off)"), self.change)
        self.reason = QLineEdit()
        self.reason.setObjectName("correct_reason")
        form.addRow(_("Reason"), self.reason)
        self.error = error_label()
        form.addRow(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def submit(self) -> None:
        """Save the correction of today's count."""
        self.buttons.setEnabled(False)
        self.state.runner.submit(visitors.correct_visitors, self.state.ctx, self.state.facility_id, clock.today(), self.purpose.currentText(),
                                 self.change.value(), self.reason.text(), on_done=self._saved, on_error=self._refused)

    def _saved(self, tally: DayTally) -> None:
        self.done_callback(tally)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        show_refusal(self, self.error, error)
