"""Where the app finds what it ships (resources, catalogs, migrations) and where it keeps data.

Shipped files are looked up relative to the package in a source checkout, and relative to the
bundle root in a PyInstaller build (``sys._MEIPASS``), so both behave the same.
Per-user data (the default SQLite file, backups) lives in the platformdirs data directory.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "CenterDesk"
APP_AUTHOR = "CenterDesk"


def install_root() -> Path:
    """The folder holding resources/ and translations/: the source tree, or the bundle's folder."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    return Path(__file__).resolve().parent.parent


def package_dir() -> Path:
    """The ``center_app`` package directory."""
    return Path(__file__).resolve().parent


def resources_dir() -> Path:
    """``resources/``: fonts, icons, seed data."""
    return install_root() / "resources"


def translations_dir() -> Path:
    """``translations/``: Babel catalogs, ``<lang>/LC_MESSAGES/center_app.mo``."""
    return install_root() / "translations"


def fonts_dir() -> Path:
    """``resources/fonts/``: the bundled TrueType fonts (Japanese, 戸籍 characters, Chinese, Thai) with their licences."""
    return resources_dir() / "fonts"


def seed_dir() -> Path:
    """``resources/seed/``: the default configuration loaded into an empty database."""
    return resources_dir() / "seed"


def migrations_dir() -> Path:
    """The Alembic environment inside the package."""
    return package_dir() / "db" / "migrations"


def user_data_dir() -> Path:
    """Per-user data directory (created on demand); ``CENTER_APP_DATA_DIR`` overrides it."""
    override = os.environ.get("CENTER_APP_DATA_DIR")
    if override:
        path = Path(override)
    else:
        import platformdirs  # here: 6 ms of CPU the start skips when the database is named (--database-url, the setting)

        path = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    """The embedded SQLite file used when no other database is selected."""
    return user_data_dir() / "center_desk.sqlite3"


def backups_dir() -> Path:
    """Where automatic and manual backups of the SQLite file are kept."""
    path = user_data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


#: The fonts the UI and the documents use (center_app/ui/fonts.py, center_app/print/fonts.py).
REQUIRED_FONT_FILES = ("ipaexg.ttf", "ipaexm.ttf", "ipamjm.ttf", "wqy-microhei.ttc", "NotoSansThai-Regular.ttf",
                       "NotoSans-Regular.ttf", "NotoSerif-Regular.ttf")
#: Checked at start-up by :mod:`center_app.installation`.
#: Written into the bundle root by installer/center-desk.spec: {relative path: size in bytes}.
MANIFEST_NAME = "shipped-files.json"


def manifest_path() -> Path:
    """The list of shipped files of a bundle (absent in a source tree)."""
    return install_root() / MANIFEST_NAME
