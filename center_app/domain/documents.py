"""Values of the printed documents, shared by services, print and the UI.

Everything a document shows comes in as one of these frozen values; the renderers in
:mod:`center_app.print` draw them and read nothing else. The declarations here are the only
ones: document languages, the issuer, the registration certificate, the award batch, the flyer's
event and options, and the progress callback of a long batch. See docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time
from enum import StrEnum

from center_app.domain.errors import FieldProblem
from center_app.i18n import N_, _

# --- languages --------------------------------------------------------------------------------------


class DocumentLanguage(StrEnum):
    """Languages of printed documents. ``ja_easy`` is やさしい日本語 (plain Japanese)."""

    JA = "ja"
    EASY_JA = "ja_easy"
    EN = "en"
    PT_BR = "pt_BR"


#: Each language's name written in that language (shown in pickers as it is).
LANGUAGE_NAMES = {
    DocumentLanguage.JA: "日本語",
    DocumentLanguage.EASY_JA: "やさしい日本語",
    DocumentLanguage.EN: "English",
    DocumentLanguage.PT_BR: "Português (Brasil)",
}
#: Languages of the booking slip (the applicant's preferred language, ``bookings.language``).
SLIP_LANGUAGES = (DocumentLanguage.JA, DocumentLanguage.EN, DocumentLanguage.PT_BR)
#: Second-language blocks a flyer may carry under the Japanese text.
FLYER_SECOND_LANGUAGES = (DocumentLanguage.EN, DocumentLanguage.PT_BR)

#: Applicant classes of the default configuration (resources/default_center.json) named in the
#: other slip languages; a class configured later prints under its Japanese name.
APPLICANT_CLASS_NAMES = {
    DocumentLanguage.EN: {"registered": "Registered group", "resident": "Resident of the city", "non_resident": "From outside the city"},
    DocumentLanguage.PT_BR: {"registered": "Grupo registrado", "resident": "Morador da cidade", "non_resident": "De fora da cidade"},
}


def language_label(code: str) -> str:
    """The name of a document language in that language ("Português (Brasil)"); unknown codes as given."""
    try:
        return LANGUAGE_NAMES[DocumentLanguage(code)]
    except ValueError:
        return code


def applicant_class_name(code: str, configured_name: str, language: str) -> str:
    """The applicant class as a document in ``language`` prints it: the translation of a class of
    the default configuration, else the name configured in 設定 (Japanese)."""
    return APPLICANT_CLASS_NAMES.get(language, {}).get(code, configured_name)


# --- batches ------------------------------------------------------------------------------------------

#: ``progress(done, total)``; returning False cancels the batch (the renderer raises ``Cancelled``).
Progress = Callable[[int, int], bool | None]


class Cancelled(Exception):
    """The user cancelled a batch while it was being drawn; nothing was written."""


# --- issuer -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issuer:
    """Who issues a document (設定): the center's name, the head's title and name, the seal image."""

    center_name: str
    head_title: str
    head_name: str = ""
    seal_image_path: str = ""

    @property
    def head_line(self) -> str:
        """"センター長　山田 太郎" (the title alone when no name is set)."""
        return f"{self.head_title.strip()}　{self.head_name.strip()}".strip("　 ")


# --- 登録証 ---------------------------------------------------------------------------------------------

#: Sizes of the registration certificate: A4 portrait, or business cards (10 a sheet).
CERTIFICATE_SIZES = ("a4", "card")


@dataclass(frozen=True)
class RegistrationCertificate:
    """What one 登録証 shows. ``activity_fields``: full names, main field first;
    ``activity_fields_short``: the short names used on the card. ``reissue_count`` 0 = first issue."""

    group_name: str
    registration_no: str
    representative_name: str
    activity_fields: tuple[str, ...]
    activity_fields_short: tuple[str, ...]
    valid_until: date | None
    issued_on: date
    group_kana: str = ""
    reissue_count: int = 0


# --- 修了証 / 感謝状 -------------------------------------------------------------------------------------

COMPLETION, APPRECIATION = "completion", "appreciation"
AWARD_TITLES = {COMPLETION: "修了証", APPRECIATION: "感謝状"}
HONORIFICS = ("殿", "様", "")


@dataclass(frozen=True)
class Recipient:
    """One person (or group) receiving the certificate; ``affiliation`` printed above the name."""

    name: str
    affiliation: str = ""


@dataclass(frozen=True)
class AwardBatch:
    """A batch of 修了証 or 感謝状: the same body, date and issuer for every recipient."""

    kind: str
    recipients: tuple[Recipient, ...]
    body: str
    issued_on: date
    honorific: str = "殿"
    vertical: bool = False
    title: str = ""
    recipients_field: str = field(default="names", compare=False)

    @property
    def heading(self) -> str:
        """The printed title: the clerk's own, else 修了証 or 感謝状."""
        return self.title.strip() or AWARD_TITLES[self.kind]


# --- チラシ ---------------------------------------------------------------------------------------------

#: Flyer template codes and their names (English ids, translated where shown).
FLYER_TEMPLATES = {
    "standard": N_("Standard (colour band)"),
    "photo": N_("Large picture"),
    "simple": N_("Simple (black and white)"),
}


@dataclass(frozen=True)
class FlyerEvent:
    """The event as printed. ``fee_yen`` 0 prints 無料, None prints nothing; ``place`` is the
    room with its facility or the free text."""

    title: str
    event_date: date | None
    start_time: time | None = None
    end_time: time | None = None
    place: str = ""
    catch_copy: str = ""
    organiser: str = ""
    co_hosts: str = ""
    fee_yen: int | None = None
    fee_note: str = ""
    capacity: int | None = None
    how_to_apply: str = ""
    contact: str = ""
    description: str = ""
    image_path: str = ""
    url: str = ""


@dataclass(frozen=True)
class FlyerOptions:
    """Template and language options of a flyer (stored with the event, ``events.flyer_options``).
    ``second_language`` is one of :data:`FLYER_SECOND_LANGUAGES` or "" for none."""

    template: str = "standard"
    easy_japanese: bool = False
    easy_text: str = ""
    second_language: str = ""
    translated_title: str = ""
    translated_text: str = ""


def flyer_option_problems(options: FlyerOptions) -> list[FieldProblem]:
    """What is wrong with ``options`` (an unknown template or second language), one problem per
    field; empty when they can be printed. The one check of the options, used when they are
    saved with an event and when a flyer is drawn."""
    problems = []
    if options.template not in FLYER_TEMPLATES:
        problems.append(FieldProblem("template", _("Choose one of the flyer templates.")))
    if options.second_language and options.second_language not in FLYER_SECOND_LANGUAGES:
        problems.append(FieldProblem("second_language", _("Choose English or Portuguese for the second language.")))
    return problems
