"""Start-up: options, database, migrations, sign-in, main window. The only importer of ``ui``.

``center-app`` starts the desktop app; ``center-app SUBCOMMAND`` runs a headless command
(see :mod:`center_app.cli`); ``center-app --screenshot PATH --view NAME`` renders one screen
of the main window offscreen on a throwaway database and exits.
"""

from __future__ import annotations

import argparse
import os
import sys

from center_app import __version__
from center_app.domain.roles import Section

#: What ``--screenshot`` can render: every section of the main window, and the sign-in dialog.
VIEWS = (*(section.value for section in Section), "login")


def resolve_database_url(option: str | None) -> str:
    """``--database-url``, else ``CENTER_APP_DATABASE_URL``, else the per-PC setting, else the default file."""
    if option:
        return option
    env = os.environ.get("CENTER_APP_DATABASE_URL")
    if env:
        return env
    from center_app.ui import settings

    stored = settings.get(settings.DATABASE_URL)
    if stored:
        return stored
    from center_app.db.location import sqlite_url  # not db.database: the desktop app starts before SQLAlchemy loads
    from center_app.paths import default_database_path

    return sqlite_url(default_database_path())


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The whole command line: GUI options and (``commands``) the headless subcommands."""
    from center_app.i18n import _

    parser = argparse.ArgumentParser(prog="center-app", description=_("Center Desk — the counter application of the citizen activity center"))
    parser.add_argument("--version", action="version", version=f"Center Desk {__version__}", help=_("show the version and exit"))
    parser.add_argument("--database-url", help=_("SQLAlchemy URL (default: the SQLite file in the user data folder)"))
    parser.add_argument("--lang", choices=("ja", "en"), help=_("language of the UI and messages"))
    parser.add_argument("--screenshot", metavar="PATH", help=_("render one screen to a PNG on a throwaway database and exit"))
    parser.add_argument("--view", choices=VIEWS, default="home", help=_("screen for --screenshot"))
    if commands:
        from center_app import cli

        cli.add_subcommands(parser)
    return parser


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    """The options of ``argv``. The subcommands' parser (which imports every command module and
    through them the storage layer) is built only when a command, or ``--help``, is given: the
    desktop app starts without it."""
    if not {"-h", "--help"} & set(argv) and _command_index(argv) >= len(argv):
        return build_parser(commands=False).parse_args(argv)
    return build_parser().parse_args(argv)


#: The options before the command that take a value (``--lang`` of a command is a document's language).
_VALUED_OPTIONS = ("--database-url", "--lang", "--screenshot", "--view")


def _command_index(argv: list[str]) -> int:
    """Where the command starts in ``argv`` (``len(argv)`` when there is none): the app's own
    options come before it; an option after it (a document's ``--lang th``) is the command's."""
    index = 0
    while index < len(argv) and argv[index].startswith("-"):
        index += 2 if argv[index] in _VALUED_OPTIONS else 1
    return index


def _language_option(argv: list[str]) -> str | None:
    """The value of the app's ``--lang`` (``--lang en`` or ``--lang=en``, before the command),
    read before argparse builds its parser."""
    index = 0
    while index < len(argv) and argv[index].startswith("-"):
        arg = argv[index]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
        if arg == "--lang":
            return argv[index + 1] if index + 1 < len(argv) else None
        index += 2 if arg in _VALUED_OPTIONS else 1
    return None


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``center-app`` and ``python -m center_app``. Returns the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--version"]:  # answered before the commands (SQLAlchemy, Alembic, …) are imported
        print(f"Center Desk {__version__}")
        return 0
    from center_app import cli, i18n

    early = _language_option(argv)
    if early:
        i18n.set_language(early)  # before the parser is built: argparse's help and errors are in it
    cli.translate_argparse()
    args = parse_arguments(argv)
    if args.lang:
        i18n.set_language(args.lang)
    if getattr(args, "command", None):
        return cli.run(args, resolve_database_url)
    if not args.lang:
        from center_app.ui import settings

        i18n.set_language(settings.get(settings.LANGUAGE))
    if args.screenshot:
        from center_app.ui import screenshot

        return screenshot.screenshot(args.screenshot, args.view)
    from center_app.ui import application

    return application.run(resolve_database_url(args.database_url))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
