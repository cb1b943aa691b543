"""What the commands share: printing the problems of a refused import or form, one per line."""

from __future__ import annotations

import sys

from center_app.db.database import Database
from center_app.domain.errors import ValidationError
from center_app.i18n import ngettext


def command_context(db: Database):
    """The ServiceContext of a headless command: the database and the command-line user (an
    administrator named after the operating-system account, so the audit log says who ran it)."""
    from center_app.services.context import ServiceContext, command_line_user

    return ServiceContext(db, command_line_user())


def print_problems(error: ValidationError) -> None:
    """Each problem on one line of stderr: ``行 N: 列名: message`` for a file's rows, the message
    alone for internal field keys (see :func:`center_app.services.groups_io.format_problem`)."""
    from center_app.services.groups_io import format_problem

    for problem in error.problems:
        print(format_problem(problem), file=sys.stderr)


def print_import_refusal(error: ValidationError) -> None:
    """The problems of a refused import, then how many there were (nothing was written)."""
    print_problems(error)
    if any(p.row is not None for p in error.problems):
        count = len(error.problems)
        print(ngettext("Nothing was imported: {count} problem.", "Nothing was imported: {count} problems.", count).format(count=count), file=sys.stderr)


class TerminalProgress:
    """The progress of an import on the terminal: one line on stderr per 10 %, when stderr is a
    terminal (a script that reads stderr gets only the problems; stdout keeps only the summary).
    Ctrl+C stops the import; its transaction is rolled back."""

    def __init__(self, label: str):
        self.label = label
        self.shown = 0
        self.terminal = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> bool:
        tenth = 10 * done // max(total, 1)
        if self.terminal and tenth > self.shown:
            self.shown = tenth
            print(self.label.format(percent=10 * tenth), file=sys.stderr, flush=True)
        return True


def import_progress() -> TerminalProgress:
    """Progress lines of an import: 取り込み中… 10 %, 20 %, …"""
    from center_app.i18n import _

    return TerminalProgress(_("Importing… {percent} %"))


def print_interrupted() -> int:
    """Say that Ctrl+C stopped the import and nothing was written; the exit status (130)."""
    from center_app.i18n import _

    print(_("Stopped: nothing was imported."), file=sys.stderr)
    return 130
