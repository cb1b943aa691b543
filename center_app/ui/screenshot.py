"""``center-app --screenshot PATH --view NAME``: one screen rendered to a PNG on a throwaway
database (the small demo data set), for the README and for looking at a screen without a
display."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from center_app.i18n import _
from center_app.ui.application import prepare, qt_application
from center_app.ui.login import LoginDialog
from center_app.ui.runner import ImmediateRunner

if TYPE_CHECKING:
    from center_app.db.database import Database
    from center_app.services.context import ServiceContext


def throwaway_session(folder: Path) -> tuple[Database, ServiceContext]:
    """A database in ``folder`` with the default configuration and the small demo data set, and
    a temporary administrator signed in (screenshots).

    The password is random and never shown: nothing can sign in to this database later.
    """
    import secrets

    from center_app.db.database import sqlite_url
    from center_app.services import auth
    from center_app.services.context import ServiceContext
    from center_app.services.demo import generate
    from center_app.services.startup import open_center_database

    os.environ["CENTER_APP_DATA_DIR"] = str(folder)
    db = open_center_database(sqlite_url(folder / "screenshot.sqlite3"))
    password = secrets.token_urlsafe(16)
    user = auth.create_first_admin(db, "screenshot", _("Administrator"), password, password)
    generate(db, "small", seed=1)
    return db, ServiceContext(db, user)


#: The size (pixels) ``--screenshot`` renders the main window at: the counter's 1366×768 screen,
#: the window maximized above a 40-pixel taskbar.
SCREENSHOT_SIZE = (1366, 728)


def screenshot(path: str, view: str) -> int:
    """Render screen ``view`` (or the sign-in dialog for 'login', at its own size) to the PNG
    ``path``, the main window at :data:`SCREENSHOT_SIZE`; exit status."""
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="center-desk-screenshot-") as folder:
        os.environ["CENTER_APP_SETTINGS_DIR"] = folder
        app = qt_application()
        missing = prepare(app)
        if missing:
            print("\n".join(missing), file=sys.stderr)
            return 1
        db, ctx = throwaway_session(Path(folder))
        from center_app.ui.main_window import MainWindow
        from center_app.ui.state import AppState

        runner = ImmediateRunner()
        if view == "login":
            widget = LoginDialog(db, runner, first_run=False, login_name="")
            widget.show()
        else:
            widget = MainWindow(AppState(ctx, runner))
            widget.resize(*SCREENSHOT_SIZE)
            widget.show()
            if not widget.show_section(view):
                print(f"unknown view: {view}", file=sys.stderr)
                return 2
        app.processEvents()
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        ok = widget.grab().save(str(target), "PNG")
        widget.close()
        db.dispose()
        if not ok:
            print(f"could not write {target}", file=sys.stderr)
            return 1
        return 0
