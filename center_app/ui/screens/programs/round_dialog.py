"""The program and round forms of 補助金・協働.

- 制度を追加: a program's name and kind (補助金 / 協働事業提案) and a description;
- 募集回を開く / 募集回を編集: the program, the round's name, the application window (inclusive
  dates), the budget and the cap per project (yen, typed as 600,000 or ６０００００; the cap
  starts at 設定's), with the eligibility and the criteria of 設定 → 補助金・協働 shown for
  reference. An edit saves onto the version it was opened with and is refused once an
  application of the round is past 受付 (:func:`center_app.services.programs.update_round`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from center_app.domain.errors import ValidationError
from center_app.domain.programs import ProgramKind
from center_app.domain.review import parse_criteria
from center_app.i18n import _
from center_app.services import programs, programs_queries
from center_app.ui.date_entry import DateEdit
from center_app.ui.screens.programs.form import FormDialog
from center_app.ui.state import AppState


def _day(edit: DateEdit) -> dt.date:
    value = edit.date()
    return dt.date(value.year(), value.month(), value.day())


def rules_text(rules: programs_queries.ProgramRules) -> str:
    """The eligibility of 設定 in one line: 「登録団体のみ・活動1年以上」."""
    parts = [_("Registered groups only") if rules.registered_only else _("Any group")]
    if rules.min_years:
        parts.append(_("active {years} years or more").format(years=rules.min_years))
    return "・".join(parts)


class ProgramDialog(FormDialog):
    """制度を追加: a new program."""

    def __init__(self, state: AppState, on_saved: Callable, parent: QWidget | None = None):
        super().__init__(state, _("New program"), on_saved, parent)
        self.name = self.add_row(_("Program &name"), QLineEdit())
        self.name.setObjectName("program_name")
        self.kind = self.add_row(_("&Kind"), QComboBox())
        self.kind.setObjectName("program_kind")
        for kind in ProgramKind:
            self.kind.addItem(kind.label, kind.value)
        self.description = self.add_row(_("&Description"), QLineEdit())
        self.description.setObjectName("program_description")
        self.resize(480, self.sizeHint().height())

    def submit(self) -> None:
        """Create the program."""
        self.run(programs.create_program, self.state.ctx, self.name.text(), self.kind.currentData(), self.description.text())


class RoundDialog(FormDialog):
    """募集回を開く (``current`` None) or 募集回を編集 (``current``: the round as shown)."""

    def __init__(self, state: AppState, program_list: list[programs_queries.ProgramView], rules: programs_queries.ProgramRules,
                 on_saved: Callable, parent: QWidget | None = None, current: programs_queries.RoundView | None = None):
        super().__init__(state, _("Edit the round") if current else _("Open a round"), on_saved, parent)
        self.current = current
        self.program = self.add_row(_("&Program"), QComboBox())
        self.program.setObjectName("round_program")
        for program in program_list:
            self.program.addItem(f"{program.name}（{program.kind.label}）", program.id)
        self.name = self.add_row(_("Round &name"), QLineEdit())
        self.name.setObjectName("round_name")
        self.opens = self.add_row(_("Applications &from"), DateEdit())
        self.opens.setObjectName("round_opens")
        self.closes = self.add_row(_("Applications &until"), DateEdit())
        self.closes.setObjectName("round_closes")
        self.budget = self.add_row(_("&Budget (yen)"), QLineEdit())
        self.budget.setObjectName("round_budget")
        self.cap = self.add_row(_("&Cap per project (yen)"), QLineEdit(f"{rules.cap_yen:,}"))
        self.cap.setObjectName("round_cap")
        self.cap.setPlaceholderText(_("0 = no cap"))
        eligibility = QLabel(rules_text(rules))
        eligibility.setObjectName("round_eligibility")
        self.form.addRow(_("Who may apply (設定)"), eligibility)
        criteria = current.criteria_text if current else rules.criteria_text
        aggregation = current.aggregation if current else rules.aggregation
        shown = QLabel(_("{criteria}; {rule}").format(
            criteria="、".join(f"{c.name} {c.max_points}" for c in parse_criteria(criteria)), rule=aggregation.label))
        shown.setObjectName("round_criteria")
        shown.setWordWrap(True)
        self.form.addRow(_("Criteria (設定)"), shown)
        if current is not None:
            self.fill(current)
        self.resize(520, self.sizeHint().height())

    def fill(self, view: programs_queries.RoundView) -> None:
        """Show ``view`` in the form (the edit's start, and 「開き直す」)."""
        self.current = view
        self.program.setCurrentIndex(max(self.program.findData(view.program_id), 0))
        self.program.setEnabled(False)
        self.name.setText(view.name)
        self.opens.setDate(view.opens_on)
        self.closes.setDate(view.closes_on)
        self.budget.setText(f"{view.budget_yen:,}")
        self.cap.setText(f"{view.cap_yen:,}")

    def submit(self) -> None:
        """Open the round, or save the edit onto the version it was opened with."""
        problems = [text for text in (self.opens.problem(), self.closes.problem()) if text]
        if self.current is None and self.program.currentData() is None:
            problems.append(_("Add a program first (制度を追加)."))
        if problems:
            self.refused(ValidationError("\n".join(problems)))
            return
        values = (self.name.text(), _day(self.opens), _day(self.closes), self.budget.text(), self.cap.text())
        if self.current is None:
            self.run(programs.open_round, self.state.ctx, self.program.currentData(), *values)
        else:
            self.run(programs.update_round, self.state.ctx, self.current.id, *values, expected_version=self.current.version)

    def reopen(self) -> None:
        """Load the round as it is now."""
        self.state.runner.submit(programs_queries.get_round, self.state.ctx, self.current.id, on_done=self._reopened, on_error=self.refused)

    def _reopened(self, view: programs_queries.RoundView) -> None:
        self.stale.setVisible(False)
        self.fill(view)
