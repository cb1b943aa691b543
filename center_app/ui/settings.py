"""Per-PC preferences over QSettings, typed with defaults (the habit of Picard's config.py).

It lives in ``ui`` because it is Qt's; only QtCore is used, so ``app.py`` can read the
database URL for a headless command without a display. Center-wide settings (shared by every PC)
are in the database instead (設定).
``CENTER_APP_SETTINGS_DIR`` keeps them in a folder of its own (tests, screenshots).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QSettings

T = TypeVar("T")

ORGANIZATION = "CenterDesk"
APPLICATION = "CenterDesk"


@dataclass(frozen=True)
class Option(Generic[T]):
    """One preference: its key, type and default."""

    key: str
    default: T
    type: type


LANGUAGE = Option("ui/language", "ja", str)
LAST_VIEW = Option("ui/last_view", "home", str)
FACILITY_CODE = Option("ui/facility_code", "", str)
DATABASE_URL = Option("database/url", "", str)
PRINTER_NAME = Option("print/printer", "", str)
IDLE_LOCK_MINUTES = Option("security/idle_lock_minutes", 10, int)


def _store() -> QSettings:
    folder = os.environ.get("CENTER_APP_SETTINGS_DIR")
    if folder:
        return QSettings(os.path.join(folder, "center_desk.ini"), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)


def get(option: Option[T]) -> T:
    """The stored value of ``option``, or its default when missing or of the wrong type."""
    raw = _store().value(option.key, option.default)
    try:
        if option.type is bool and isinstance(raw, str):
            return raw.lower() in ("true", "1", "yes")  # type: ignore[return-value]
        return option.type(raw)
    except (TypeError, ValueError):
        return option.default


def set(option: Option[T], value: T) -> None:  # noqa: A001 - mirrors QSettings
    """Store ``value`` for ``option``."""
    store = _store()
    store.setValue(option.key, value)
    store.sync()
