"""The 採点 tab of 補助金・協働: a reviewer's score sheets typed in the app as one grid —
applications × the round's criteria (maximum points in the headers), the total of each row as
it is typed; the cells of an application the reviewer declared a conflict of interest with are
disabled with the reason.

「採点を保存」 saves the reviewer's whole grid with the rules of the XLSX import
(:func:`center_app.services.review.enter_reviewer_sheets`): a score over the criterion's
maximum or a missing score is refused naming the application and the criterion, and nothing
is written; the grid keeps what was typed. A row left wholly empty has no sheet. Keyboard:
type in a cell to score it, Tab / Enter move on, Ctrl+S saves.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QComboBox, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton, QTableView, QVBoxLayout, QWidget,
)

from center_app.i18n import _
from center_app.services import programs_panel, programs_queries, review
from center_app.ui.screens.programs.model import ScoreGridModel
from center_app.ui.state import AppState
from center_app.ui.widgets import error_label, set_error, show_error, show_refusal


class ScoresTab(QWidget):
    """採点: ``round_view()`` gives the chosen round; ``changed()`` is called after a save."""

    def __init__(self, state: AppState, round_view: Callable[[], programs_queries.RoundView | None], changed: Callable[[], None],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.state, self.round_view, self.changed = state, round_view, changed
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        label = QLabel(_("Re&viewer"))
        self.reviewer = QComboBox()
        self.reviewer.setObjectName("score_reviewer")
        label.setBuddy(self.reviewer)
        self.reviewer.currentIndexChanged.connect(lambda _i: self._reviewer_chosen())
        top.addWidget(label)
        top.addWidget(self.reviewer, 1)
        self.status = QLabel()
        self.status.setObjectName("score_status")
        top.addWidget(self.status, 2)
        layout.addLayout(top)
        self.model = ScoreGridModel(self)
        self.grid = QTableView()
        self.grid.setObjectName("score_grid")
        self.grid.setModel(self.model)
        self.grid.verticalHeader().setVisible(False)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed | QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.grid.horizontalHeader().setStretchLastSection(True)
        self.grid.setWordWrap(False)
        self.grid.setTextElideMode(Qt.TextElideMode.ElideRight)
        layout.addWidget(self.grid, 1)
        self.error = error_label()
        self.error.setObjectName("score_error")
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(_("&Save the scores"))
        self.save_button.setObjectName("save_scores")
        self.save_button.setToolTip(_("Ctrl+S"))
        self.save_button.clicked.connect(self.save)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self.saved = QLabel()
        self.saved.setObjectName("score_saved")
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.saved, 1)
        layout.addLayout(buttons)

    def load(self) -> None:
        """Reload the chosen round's panel (the reviewer stays chosen), then the grid."""
        current = self.round_view()
        if current is None:
            self._reviewers([])
            return
        self.state.runner.submit(programs_panel.list_reviewers, self.state.ctx, current.id, on_done=self._reviewers,
                                 on_error=lambda error: show_error(self, error))

    def _reviewers(self, reviewers: list[programs_panel.ReviewerView]) -> None:
        kept = self.reviewer.currentData()
        self.reviewer.blockSignals(True)
        self.reviewer.clear()
        for reviewer in reviewers:
            self.reviewer.addItem(reviewer.name, reviewer.id)
        self.reviewer.setCurrentIndex(max(self.reviewer.findData(kept), 0) if reviewers else -1)
        self.reviewer.blockSignals(False)
        self.load_grid()

    def _reviewer_chosen(self) -> None:
        shown = self.model.grid.reviewer_id if self.model.grid else None
        if self.model.modified and shown != self.reviewer.currentData() and not self.discard_ok():
            self.reviewer.blockSignals(True)  # back to the reviewer whose typed scores stay
            self.reviewer.setCurrentIndex(self.reviewer.findData(shown))
            self.reviewer.blockSignals(False)
            return
        set_error(self.error, "")
        self.saved.setText("")
        self.load_grid()

    def discard_ok(self) -> bool:
        """Ask before the scores typed for one reviewer are left unsaved (いいえ by default)."""
        answer = QMessageBox.question(self, _("Unsaved changes"), _("Discard the changes you typed?"),
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def load_grid(self) -> None:
        """Load the chosen reviewer's grid (what is stored now)."""
        current, reviewer = self.round_view(), self.reviewer.currentData()
        if current is None or reviewer is None:
            self._grid(None)
            return
        self.state.runner.submit(review.score_grid, self.state.ctx, current.id, reviewer, on_done=self._grid,
                                 on_error=lambda error: show_error(self, error))

    def _grid(self, grid: review.ScoreGrid | None) -> None:
        self.model.set_grid(grid)
        header = self.grid.horizontalHeader()
        if self.model.columnCount() > 1:
            header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)  # the project: elided, widened by hand
            header.resizeSection(1, 180)
        if grid is None:
            self.status.setText(_("Name the reviewers on the 審査委員 tab first.") if self.round_view() else "")
        elif grid.locked:
            self.status.setText(_("Grants of this round have been decided already; its scores can no longer change."))
        else:
            conflicted = sum(1 for row in grid.rows if row.conflicted)
            self.status.setText(_("{count} applications; conflicts of interest: {conflicts}").format(
                count=len(grid.rows), conflicts=conflicted))
        self.save_button.setEnabled(grid is not None and not grid.locked)
        first = next((r for r, row in enumerate(grid.rows) if not row.conflicted), None) if grid else None
        if first is not None:
            self.grid.setCurrentIndex(self.model.index(first, 2))

    def save(self) -> None:
        """Save the reviewer's grid (all or nothing); a refusal names each bad cell, the grid
        keeps what was typed."""
        current, grid = self.round_view(), self.model.grid
        if current is None or grid is None or grid.locked:
            return
        editor = QApplication.focusWidget()
        if editor is not None and editor is not self.grid and self.grid.isAncestorOf(editor):
            self.grid.commitData(editor)  # a cell still being typed in (Ctrl+S) counts
        set_error(self.error, "")
        self.saved.setText("")
        shown = {row.application_id: dict(row.points) for row in grid.rows}  # as loaded: another PC's change is refused
        self.state.runner.submit(review.enter_reviewer_sheets, self.state.ctx, current.id, grid.reviewer_id, self.model.sheets(),
                                 expected=shown, on_done=self._saved, on_error=lambda error: show_refusal(self, self.error, error))

    def _saved(self, count: int) -> None:
        self.saved.setText(_("Saved: {count} score sheets of {reviewer}.").format(count=count, reviewer=self.reviewer.currentText()))
        self.changed()
