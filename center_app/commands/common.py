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
