"""Translations (gettext catalogs compiled by Babel) and locale formatting.

Message ids in the code are English with named placeholders::

    _("{room} is booked by {group}").format(room=..., group=...)

The Japanese catalog is complete; Japanese is the default language of the UI and of documents.
Catalogs live in ``translations/<lang>/LC_MESSAGES/center_app.mo`` (compiled by
``make translations``). A missing catalog falls back to the English ids, never fails.
"""

from __future__ import annotations

import gettext as _gettext
import threading

from center_app import paths

DOMAIN = "center_app"
DEFAULT_LANGUAGE = "ja"
#: UI languages. Documents for applicants may use more catalogs as they grow (docs/architecture.md §6).
UI_LANGUAGES = ("ja", "en")

_lock = threading.Lock()
_current = DEFAULT_LANGUAGE
_catalogs: dict[str, _gettext.NullTranslations] = {}


def catalog(language: str) -> _gettext.NullTranslations:
    """The compiled catalog of ``language`` ('ja', 'en', …); English ids when there is none."""
    with _lock:
        found = _catalogs.get(language)
        if found is None:
            try:
                found = _gettext.translation(
                    DOMAIN, localedir=str(paths.translations_dir()), languages=[language], fallback=True
                )
            except Exception:  # noqa: BLE001 - a damaged .mo: English ids; the start-up check names the file
                found = _gettext.NullTranslations()
            _catalogs[language] = found
        return found


def set_language(language: str) -> None:
    """Select the language of the UI and of messages ('ja' or 'en')."""
    global _current
    _current = language if language in UI_LANGUAGES else DEFAULT_LANGUAGE


def current_language() -> str:
    """The language selected by :func:`set_language` ('ja' by default)."""
    return _current


def _(message: str) -> str:
    """Translate ``message`` (an English id) into the current language."""
    return catalog(_current).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Plural-aware translation of an English id pair."""
    return catalog(_current).ngettext(singular, plural, n)


def translate(message: str, language: str) -> str:
    """Translate ``message`` into ``language`` regardless of the UI language (documents)."""
    return catalog(language).gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now (translated where shown)."""
    return message
