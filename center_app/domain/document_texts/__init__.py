"""The fixed wording of the documents handed to applicants, one module per document language.

Each module (``ja``, ``en``, ``pt_BR``, ``es``, ``zh_Hans``, ``tl``, ``th``, ``vi``) holds the whole
wording of that language — the booking slip (``SLIP``), the use permit and the receipt
(``PERMIT``), the payment methods (``METHODS``), the default applicant classes
(``APPLICANT_CLASSES``) and a flyer's second-language block (``FLYER``) — so a translator reviews
one file per language and every string lives in one place. Every module has the keys of ``ja``
(``en`` for ``FLYER``) with the same ``{placeholders}``; ``tests/unit/test_document_texts.py``
checks it. Who checked each translation, and how: docs/translations.md.

Names the center configures (rooms, slots, exemptions, applicant classes) are not here: they are
configuration, named per language in 設定 (see :mod:`center_app.domain.document_names`).
"""

from __future__ import annotations

import importlib
from types import ModuleType

#: The module name of each language code (the codes of ``DocumentLanguage``).
_MODULES = {"ja": "ja", "en": "en", "pt_BR": "pt_BR", "es": "es", "zh_Hans": "zh_Hans", "tl": "tl", "th": "th", "vi": "vi"}


def texts(language: str) -> ModuleType:
    """The wording module of ``language`` (a ``DocumentLanguage`` code other than ``ja_easy``).
    Raises ValueError for a language without documents."""
    try:
        return importlib.import_module(f"{__name__}.{_MODULES[language]}")
    except KeyError:
        raise ValueError(f"unknown document language {language!r}") from None


def babel_locale(language: str) -> str:
    """The Babel locale whose data dates and amounts of ``language`` are written with
    ("es" → "es_PE", "tl" → "fil_PH")."""
    return texts(language).BABEL_LOCALE


#: Languages of the public site (`center-app publish`), in the order its language links show them:
#: Japanese, やさしい日本語, then the other document languages.
SITE_LANGUAGES = ("ja", "ja_easy", "en", "pt_BR", "es", "zh_Hans", "tl", "th", "vi")


def site_texts(language: str) -> dict[str, str]:
    """The public site's wording (``SITE``) of ``language``, one of :data:`SITE_LANGUAGES`
    (やさしい日本語 marks kanji with their reading as ``{漢字|かんじ}``). Raises ValueError for a
    language the site is not written in."""
    if language not in SITE_LANGUAGES:
        raise ValueError(f"unknown site language {language!r}")
    return importlib.import_module(f"{__name__}.{language}").SITE
