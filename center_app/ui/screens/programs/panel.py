"""The 審査委員 tab of 補助金・協働: the chosen round's panel and its declared conflicts of
interest.

- 審査委員を追加: name and affiliation; a repeated name is refused under the form;
- 審査委員から外す: the selected reviewer, named by mistake, leaves the panel with their
  conflicts — only before the review starts (a question first, いいえ by default);
- 利益相反を申告: a reviewer × an application with the reason (「団体の役員」); the reviewer is
  then left out of that application's review and their cell of it in the score grid is
  disabled. A reviewer who has scored it already is refused (empty that row of their grid
  first);
- 申告を取り消す: the selected conflict, declared by mistake — only before the scoring starts
  (a question first, いいえ by default).

A refused form keeps what was typed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton, QTableWidgetItem, QVBoxLayout, QWidget,
)

from center_app.i18n import _
from center_app.services import programs_panel, programs_queries
from center_app.ui.state import AppState
from center_app.ui.widgets import error_label, read_only_table, set_error, show_error, show_refusal


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: bold;")
    return label


def _right(button: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(button)
    return row


def _selected_row(table) -> int | None:
    model = table.selectionModel()
    rows = model.selectedRows() if model else []
    return rows[0].row() if rows else None


class PanelTab(QWidget):
    """審査委員: ``round_view()`` gives the chosen round; ``changed()`` is called after a change."""

    def __init__(self, state: AppState, round_view: Callable[[], programs_queries.RoundView | None], changed: Callable[[], None],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.state, self.round_view, self.changed = state, round_view, changed
        self.reviewers: list[programs_panel.ReviewerView] = []
        self.conflicts: list[programs_panel.ConflictView] = []
        layout = QVBoxLayout(self)
        layout.addWidget(_heading(_("Reviewers")))
        self.reviewer_table = read_only_table([_("Reviewer"), _("Affiliation"), _("Conflicts of interest")], "reviewers_table")
        layout.addWidget(self.reviewer_table, 1)
        self.remove_button = QPushButton(_("Remove from the panel…"))
        self.remove_button.setObjectName("remove_reviewer")
        self.remove_button.clicked.connect(self.remove_reviewer)
        layout.addLayout(_right(self.remove_button))
        add = QGridLayout()
        self.reviewer_name = QLineEdit()
        self.reviewer_name.setObjectName("reviewer_name")
        self.reviewer_affiliation = QLineEdit()
        self.reviewer_affiliation.setObjectName("reviewer_affiliation")
        self.add_button = QPushButton(_("&Add the reviewer"))
        self.add_button.setObjectName("add_reviewer")
        self.add_button.clicked.connect(self.add_reviewer)
        self.reviewer_name.returnPressed.connect(self.add_reviewer)
        for column, (text, widget) in enumerate(((_("Reviewer's &name"), self.reviewer_name),
                                                 (_("Affi&liation"), self.reviewer_affiliation))):
            label = QLabel(text)
            label.setBuddy(widget)
            add.addWidget(label, 0, 2 * column)
            add.addWidget(widget, 0, 2 * column + 1)
        add.addWidget(self.add_button, 0, 4)
        layout.addLayout(add)
        self.reviewer_error = error_label()
        self.reviewer_error.setObjectName("reviewer_error")
        layout.addWidget(self.reviewer_error)

        layout.addWidget(_heading(_("Declared conflicts of interest")))
        self.conflict_table = read_only_table([_("Reviewer"), _("No."), _("Project"), _("Reason")], "conflicts_table")
        layout.addWidget(self.conflict_table, 1)
        self.withdraw_button = QPushButton(_("Withdraw the declaration…"))
        self.withdraw_button.setObjectName("withdraw_conflict")
        self.withdraw_button.clicked.connect(self.withdraw_conflict)
        layout.addLayout(_right(self.withdraw_button))
        declare = QGridLayout()
        self.conflict_reviewer = QComboBox()
        self.conflict_reviewer.setObjectName("conflict_reviewer")
        self.conflict_application = QComboBox()
        self.conflict_application.setObjectName("conflict_application")
        self.conflict_reason = QLineEdit()
        self.conflict_reason.setObjectName("conflict_reason")
        self.conflict_reason.setPlaceholderText(_("e.g. an officer of the applying group"))
        self.declare_button = QPushButton(_("&Declare the conflict"))
        self.declare_button.setObjectName("declare_conflict")
        self.declare_button.clicked.connect(self.declare)
        for place, (text, widget) in enumerate(((_("Re&viewer"), self.conflict_reviewer),
                                                (_("A&pplication"), self.conflict_application),
                                                (_("&Reason"), self.conflict_reason))):
            label = QLabel(text)
            label.setBuddy(widget)
            row, column = divmod(place, 2)
            declare.addWidget(label, row, 2 * column)
            declare.addWidget(widget, row, 2 * column + 1)
        declare.setColumnStretch(1, 1)
        declare.setColumnStretch(3, 2)
        declare.addWidget(self.declare_button, 1, 3)
        layout.addLayout(declare)
        self.conflict_error = error_label()
        self.conflict_error.setObjectName("conflict_error")
        layout.addWidget(self.conflict_error)

    def load(self) -> None:
        """Reload the chosen round's panel, conflicts and applications."""
        current = self.round_view()
        if current is None:
            self._show(([], [], []))
            return
        ctx, round_id = self.state.ctx, current.id
        self.state.runner.submit(lambda: (programs_panel.list_reviewers(ctx, round_id), programs_panel.list_conflicts(ctx, round_id),
                                          programs_queries.list_applications(ctx, round_id)),
                                 on_done=self._show, on_error=lambda error: show_error(self, error))

    def _show(self, loaded) -> None:
        self.reviewers, self.conflicts, applications = loaded
        self.reviewer_table.setRowCount(len(self.reviewers))
        for row, reviewer in enumerate(self.reviewers):
            cells = (reviewer.name, reviewer.affiliation, "、".join(str(a) for a in reviewer.conflicts))
            for column, text in enumerate(cells):
                self.reviewer_table.setItem(row, column, QTableWidgetItem(text))
        self.conflict_table.setRowCount(len(self.conflicts))
        for row, conflict in enumerate(self.conflicts):
            for column, text in enumerate((conflict.reviewer_name, str(conflict.application_id), conflict.project_title, conflict.reason)):
                self.conflict_table.setItem(row, column, QTableWidgetItem(text))
        for combo, items in ((self.conflict_reviewer, [(r.name, r.id) for r in self.reviewers]),
                             (self.conflict_application, [(f"{a.id}　{a.group_name}　{a.project_title}", a.id) for a in applications])):
            kept = combo.currentData()
            combo.clear()
            for text, key in items:
                combo.addItem(text, key)
            combo.setCurrentIndex(max(combo.findData(kept), 0) if combo.count() else -1)

    def add_reviewer(self) -> None:
        """Add the typed reviewer to the round's panel."""
        current = self.round_view()
        if current is None:
            return
        set_error(self.reviewer_error, "")
        self.state.runner.submit(programs_panel.add_reviewer, self.state.ctx, current.id, self.reviewer_name.text(),
                                 self.reviewer_affiliation.text(), on_done=self._reviewer_added,
                                 on_error=lambda error: show_refusal(self, self.reviewer_error, error))

    def _reviewer_added(self, _reviewer: programs_panel.ReviewerView) -> None:
        self.reviewer_name.clear()
        self.reviewer_affiliation.clear()
        self.reviewer_name.setFocus()
        self.changed()

    def declare(self) -> None:
        """Declare the chosen reviewer's conflict with the chosen application, with the reason."""
        set_error(self.conflict_error, "")
        reviewer, application = self.conflict_reviewer.currentData(), self.conflict_application.currentData()
        if reviewer is None or application is None:
            set_error(self.conflict_error, _("Choose a reviewer and an application of the same round."))
            return
        self.state.runner.submit(programs_panel.declare_conflict, self.state.ctx, reviewer, application, self.conflict_reason.text(),
                                 on_done=self._declared, on_error=lambda error: show_refusal(self, self.conflict_error, error))

    def _declared(self, _new: bool) -> None:
        self.conflict_reason.clear()
        self.changed()

    def ask(self, title: str, text: str) -> bool:
        """A yes/no question, いいえ by default (tests replace it)."""
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def remove_reviewer(self) -> None:
        """Take the selected reviewer off the panel (with their conflicts), after a question."""
        row = _selected_row(self.reviewer_table)
        set_error(self.reviewer_error, "")
        if row is None or row >= len(self.reviewers):
            set_error(self.reviewer_error, _("Choose the reviewer in the list."))
            return
        reviewer = self.reviewers[row]
        if self.ask(_("Remove from the panel"), _("Remove {name} from the panel, with their declared conflicts of interest?").format(
                name=reviewer.name)):
            self.state.runner.submit(programs_panel.remove_reviewer, self.state.ctx, reviewer.id, expected_version=reviewer.version,
                                     on_done=lambda _r: self.changed(),
                                     on_error=lambda error: show_refusal(self, self.reviewer_error, error))

    def withdraw_conflict(self) -> None:
        """Withdraw the selected declared conflict of interest, after a question."""
        row = _selected_row(self.conflict_table)
        set_error(self.conflict_error, "")
        if row is None or row >= len(self.conflicts):
            set_error(self.conflict_error, _("Choose the declared conflict in the list."))
            return
        conflict = self.conflicts[row]
        version = next((r.version for r in self.reviewers if r.id == conflict.reviewer_id), None)
        if self.ask(_("Withdraw the declaration"), _(
                "Withdraw the conflict of interest of {reviewer} with application {id}? {reviewer} will then score it.").format(
                reviewer=conflict.reviewer_name, id=conflict.application_id)):
            self.state.runner.submit(programs_panel.withdraw_conflict, self.state.ctx, conflict.reviewer_id, conflict.application_id,
                                     expected_version=version, on_done=lambda _r: self.changed(),
                                     on_error=lambda error: show_refusal(self, self.conflict_error, error))
