"""補助金・協働: choose a round (「制度を追加…」, 「募集回を開く…」, 「募集回を編集…」 beside the
choice), then one tab per step:

- 審査・結果: the round's applications by rank with score, ties, requested and granted yen and
  status; the selected one's score explained (each reviewer's total, dropped or counted, what
  it adds; the reviewers excluded for a conflict of interest). Buttons: 審査を開始 (received
  applications go to 審査), 採点表を取り込む (the XLSX the reviewers filled in, all or nothing;
  when sheets are entered already, 「既存の採点を置き換えますか」 first, いいえ by default),
  順位付け, 配分, 通知を保存 (交付決定通知書 and 不採択通知), 結果一覧を保存 (the public list, no
  reviewer names);
- 申請 (:mod:`.applications`): receive, edit, move along the status flow, 実績報告;
- 審査委員 (:mod:`.panel`): the panel and the declared conflicts of interest;
- 採点 (:mod:`.scores`): a reviewer's score sheets typed in as one grid.

Every action runs on the background runner through :mod:`center_app.services.programs`,
:mod:`center_app.services.review` and :mod:`center_app.services.documents`; a refusal is shown
in place (a form keeps what was typed) or in one dialog, and nothing is written.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from center_app.domain.errors import ValidationError
from center_app.i18n import N_, _
from center_app.services import documents, programs, programs_queries, review
from center_app.ui.pdf_output import save_pdf
from center_app.ui.screens.programs.applications import ApplicationsTab
from center_app.ui.screens.programs.panel import PanelTab
from center_app.ui.screens.programs.round_dialog import ProgramDialog, RoundDialog
from center_app.ui.screens.programs.scores import ScoresTab
from center_app.ui.state import AppState
from center_app.ui.widgets import read_only_table, show_error

COLUMNS = (N_("Rank"), N_("Score"), N_("Tied with"), N_("No."), N_("Group"), N_("Project"), N_("Requested (yen)"), N_("Granted (yen)"),
           N_("Status"))


class GrantsScreen(QWidget):
    """The 補助金・協働 section (administrators and coordinators)."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.rounds: list[programs_queries.RoundView] = []
        self.results: review.RoundResults | None = None
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        round_label = QLabel(_("R&ound"))
        top.addWidget(round_label)
        self.round_combo = QComboBox()
        self.round_combo.setObjectName("grants_round")
        round_label.setBuddy(self.round_combo)
        self.round_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        top.addWidget(self.round_combo, 1)
        self.program_button = QPushButton(_("New program…"))
        self.program_button.setObjectName("new_program")
        self.program_button.clicked.connect(self.new_program)
        self.open_round_button = QPushButton(_("Open a round…"))
        self.open_round_button.setObjectName("open_round")
        self.open_round_button.clicked.connect(lambda: self.round_form(edit=False))
        self.edit_round_button = QPushButton(_("Edit the round…"))
        self.edit_round_button.setObjectName("edit_round")
        self.edit_round_button.clicked.connect(lambda: self.round_form(edit=True))
        for button in (self.program_button, self.open_round_button, self.edit_round_button):
            top.addWidget(button)
        outer.addLayout(top)
        #: One tab per step; another part of the section may add its own tab here.
        self.tabs = QTabWidget()
        self.tabs.setObjectName("grants_tabs")
        outer.addWidget(self.tabs, 1)
        results = QWidget()
        layout = QVBoxLayout(results)
        self.summary = QLabel("")
        self.summary.setObjectName("grants_summary")
        layout.addWidget(self.summary)
        self.table = read_only_table([_(c) for c in COLUMNS], "grants_table")
        self.table.itemSelectionChanged.connect(self._show_detail)
        layout.addWidget(self.table, 1)
        self.detail = QLabel("")
        self.detail.setObjectName("grants_detail")
        self.detail.setWordWrap(True)
        layout.addWidget(self.detail)
        buttons = QHBoxLayout()
        self.review_button = QPushButton(_("Start the review"))
        self.review_button.clicked.connect(self.start_review)
        self.import_button = QPushButton(_("Import score sheets…"))
        self.import_button.clicked.connect(self.import_scores)
        self.rank_button = QPushButton(_("Rank the applications"))
        self.rank_button.clicked.connect(lambda: self._act(review.rank_round))
        self.allocate_button = QPushButton(_("Allocate the budget"))
        self.allocate_button.clicked.connect(lambda: self._act(review.allocate_round))
        self.letters_button = QPushButton(_("Save the letters…"))
        self.letters_button.clicked.connect(lambda: self._save(documents.grant_letters_pdf, _("letters")))
        self.public_button = QPushButton(_("Save the public results…"))
        self.public_button.clicked.connect(lambda: self._save(documents.grant_results_pdf, _("results")))
        for button in (self.review_button, self.import_button, self.rank_button, self.allocate_button, self.letters_button, self.public_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.applications = ApplicationsTab(state, self.round_view, self.refresh)
        self.panel = PanelTab(state, self.round_view, self.refresh)
        self.scores = ScoresTab(state, self.round_view, self.refresh)
        self.tabs.addTab(results, _("Review and results"))
        self.tabs.addTab(self.applications, _("Applications"))
        self.tabs.addTab(self.panel, _("Reviewers"))
        self.tabs.addTab(self.scores, _("Score sheets"))

    def activate(self) -> None:
        """Reload the rounds when the screen is shown."""
        self.load_rounds()

    def load_rounds(self, select: int | None = None) -> None:
        """Reload the rounds into the choice (``select``: the round to choose)."""
        def loaded(rounds: list[programs_queries.RoundView]) -> None:
            self._rounds_loaded(rounds, select)

        self.state.runner.submit(programs_queries.list_rounds, self.state.ctx, on_done=loaded, on_error=self._failed)

    def round_view(self) -> programs_queries.RoundView | None:
        """The chosen round as last loaded (None: there is none)."""
        return next((r for r in self.rounds if r.id == self.round_id()), None)

    def refresh(self) -> None:
        """Reload every tab for the chosen round."""
        self.edit_round_button.setEnabled(self.round_view() is not None)
        self.load_results()
        self.reload_tabs()

    def reload_tabs(self) -> None:
        """Reload the step tabs (after a review action changed the round)."""
        for tab in (self.applications, self.panel, self.scores):
            tab.load()

    def new_program(self) -> None:
        """Open the program form."""
        self.open_dialog(ProgramDialog(self.state, self._program_created, self))

    def _program_created(self, program: programs_queries.ProgramView) -> None:
        self.summary.setText(_("Program {name} created: open its first round.").format(name=program.name))

    def round_form(self, *, edit: bool) -> None:
        """Open the round form: a new round, or the chosen one to edit."""
        current = self.round_view() if edit else None
        if edit and current is None:
            return
        ctx = self.state.ctx

        def opened(loaded) -> None:
            program_list, rules = loaded
            if not program_list:
                show_error(self, ValidationError(_("Add a program first (制度を追加).")))
                return
            dialog = RoundDialog(self.state, program_list, rules, lambda view: self.load_rounds(view.id), self, current)
            self.open_dialog(dialog)

        self.state.runner.submit(lambda: (programs_queries.list_programs(ctx), programs_queries.program_rules(ctx)), on_done=opened,
                                 on_error=self._failed)

    def open_dialog(self, dialog) -> None:
        """Show a form of the screen (tests replace it to drive the dialog)."""
        dialog.open()

    def _failed(self, error: BaseException) -> None:
        show_error(self, error)

    def _rounds_loaded(self, rounds: list[programs_queries.RoundView], select: int | None = None) -> None:
        current = select or self.round_id()
        self.rounds = rounds
        self.round_combo.blockSignals(True)
        self.round_combo.clear()
        for r in rounds:
            self.round_combo.addItem(f"{r.program_name}　{r.name}", r.id)
        index = next((i for i, r in enumerate(rounds) if r.id == current), 0)
        self.round_combo.setCurrentIndex(index if rounds else -1)
        self.round_combo.blockSignals(False)
        self.refresh()

    def round_id(self) -> int | None:
        """The chosen round's id (None: there is none)."""
        return self.round_combo.currentData()

    def load_results(self) -> None:
        """Load the chosen round's applications and results."""
        round_id = self.round_id()
        if round_id is None:
            self._show(None)
            return
        self.state.runner.submit(review.round_results, self.state.ctx, round_id, on_done=self._show, on_error=self._failed)

    def _show(self, results: review.RoundResults | None) -> None:
        self.results = results
        rows = results.rows if results else ()
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells = [str(row.rank or ""), row.score_text, "、".join(str(i) for i in row.tied_with), str(row.application_id),
                     row.group_name, row.project_title, f"{row.requested_yen:,}",
                     "" if row.granted_yen is None else f"{row.granted_yen:,}", row.status.label]
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        if results:
            self.summary.setText(_("{rule}; budget {budget} yen, cap {cap} yen, granted {granted} yen").format(
                rule=results.aggregation.label, budget=f"{results.budget_yen:,}", cap=f"{results.cap_yen:,}",
                granted=f"{results.granted_total_yen:,}"))
        else:
            self.summary.setText(_("No round yet: add a program and open a round."))
        self.detail.setText("")

    def _show_detail(self) -> None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or self.results is None:
            self.detail.setText("")
            return
        row = self.results.rows[rows[0].row()]
        text = review.contribution_text(row)
        self.detail.setText(_("Application {id}: {explained}").format(id=row.application_id, explained=text) if text else "")

    def _act(self, action) -> None:
        round_id = self.round_id()
        if round_id is not None:
            self.state.runner.submit(action, self.state.ctx, round_id, on_done=self._acted, on_error=self._failed)

    def _acted(self, results: review.RoundResults) -> None:
        self._show(results)
        self.reload_tabs()

    def start_review(self) -> None:
        """Move the round's received applications to 審査, then reload."""
        round_id = self.round_id()
        if round_id is not None:
            self.state.runner.submit(programs.start_review, self.state.ctx, round_id, on_done=lambda _count: self.refresh(),
                                     on_error=self._failed)

    def ask_score_file(self) -> Path | None:
        """The score file the clerk chooses (None: cancelled)."""
        path, _filter = QFileDialog.getOpenFileName(self, _("Import score sheets"), "", _("Spreadsheets (*.xlsx *.csv)"))
        return Path(path) if path else None

    def ask_replace(self, entered: int) -> bool:
        """Whether the file's sheets replace those entered already (the question, いいえ by
        default: a sheet entered already is then refused, named by its row)."""
        answer = QMessageBox.question(
            self, _("Import score sheets"),
            _("Replace the score sheets entered already?\n\n{count} sheets of this round have been entered. Yes: a sheet of "
              "the file replaces the one of the same application and reviewer. No: such a sheet is refused and nothing is "
              "imported.").format(count=entered),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def import_scores(self) -> None:
        """Import the chosen score file into the round (all or nothing), then reload. When the
        round has sheets entered already, ask first whether the file replaces them."""
        round_id = self.round_id()
        path = self.ask_score_file() if round_id is not None else None
        if path is None:
            return
        self.state.runner.submit(review.entered_sheet_count, self.state.ctx, round_id,
                                 on_done=lambda entered: self._import(round_id, path, entered), on_error=self._failed)

    def _import(self, round_id: int, path: Path, entered: int) -> None:
        replace = entered > 0 and self.ask_replace(entered)
        self.state.runner.submit(review.import_scores, self.state.ctx, round_id, path, replace=replace,
                                 on_done=lambda _count: self.refresh(), on_error=self._failed)

    def _save(self, build, name: str) -> None:
        round_id = self.round_id()
        if round_id is None:
            return
        self.state.runner.submit(build, self.state.ctx, round_id, on_done=lambda pdf: save_pdf(self, pdf, f"{name}-{round_id}.pdf"),
                                 on_error=self._failed)
