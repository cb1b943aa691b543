"""Values of the printed documents, shared by services, print and the UI.

Everything a document shows comes in as one of these frozen values; the renderers in
:mod:`center_app.print` draw them and read nothing else. The declarations here are the only
ones: document languages, the issuer, the registration certificate, the award batch, the flyer's
event and options, the use permit and the receipt, and the progress callback of a long batch.
See docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum

from center_app.domain import document_texts
from center_app.domain.errors import FieldProblem
from center_app.i18n import N_, _

# --- languages --------------------------------------------------------------------------------------


class DocumentLanguage(StrEnum):
    """Languages of printed documents (the codes stored in ``bookings.language`` and taken by the
    CLI's ``--lang``). ``ja_easy`` is やさしい日本語 (plain Japanese with ルビ: the flyer and the
    booking slip)."""

    JA = "ja"
    EASY_JA = "ja_easy"
    EN = "en"
    PT_BR = "pt_BR"
    ES = "es"
    ZH_HANS = "zh_Hans"
    TL = "tl"
    TH = "th"
    VI = "vi"


#: Languages of the booking slip (the applicant's preferred language, ``bookings.language``), in
#: the order pickers show them: Japanese, then the languages of the city's foreign residents.
SLIP_LANGUAGES = (DocumentLanguage.JA, DocumentLanguage.EN, DocumentLanguage.PT_BR, DocumentLanguage.ES, DocumentLanguage.ZH_HANS,
                  DocumentLanguage.TL, DocumentLanguage.TH, DocumentLanguage.VI)
#: Each language's name written in that language (shown in pickers as it is); the wording modules
#: of :mod:`center_app.domain.document_texts` hold the names of the slip's languages.
LANGUAGE_NAMES = {DocumentLanguage.EASY_JA: "やさしい日本語", **{code: document_texts.texts(code).NAME for code in SLIP_LANGUAGES}}
#: Languages a booking may be in and its slip printed in: those of the slip, and やさしい日本語 after
#: Japanese (the permit and the receipt of such a booking are in Japanese).
BOOKING_LANGUAGES = (DocumentLanguage.JA, DocumentLanguage.EASY_JA, *SLIP_LANGUAGES[1:])
#: Languages of the use permit (使用許可書) and the receipt (領収書): those of the slip, since they
#: go to the same applicant.
PERMIT_LANGUAGES = SLIP_LANGUAGES
RECEIPT_LANGUAGES = SLIP_LANGUAGES
#: Languages a flyer may add in blocks under the Japanese text (one or two of them).
FLYER_SECOND_LANGUAGES = SLIP_LANGUAGES[1:]


def language_label(code: str) -> str:
    """The name of a document language in that language ("Português (Brasil)"); unknown codes as given."""
    try:
        return LANGUAGE_NAMES[DocumentLanguage(code)]
    except ValueError:
        return code


def slip_language_code(text: str) -> str | None:
    """The slip language written as ``text`` — its code in any case with "-" or "_" ("pt-BR",
    "ZH_HANS"), or its own name ("Tiếng Việt", "中文（简体）") — as its code; None when it is none
    of :data:`BOOKING_LANGUAGES`. Used where people type a language (the 言語 column of an import)."""
    key = text.strip().replace("-", "_").casefold()
    for code in BOOKING_LANGUAGES:
        if key in (code.casefold(), LANGUAGE_NAMES[code].casefold()):
            return str(code)
    return None


def applicant_class_name(code: str, configured_name: str, language: str, names: dict[str, str] | None = None) -> str:
    """The applicant class as a document in ``language`` prints it: the class's name for that
    language set in 設定 (``names``: language → name), else the translation of a class of the
    default configuration (:mod:`center_app.domain.document_texts`), else the name configured in
    設定 (Japanese)."""
    if names and names.get(language, "").strip():
        return names[language].strip()
    if language not in SLIP_LANGUAGES:
        return configured_name
    return document_texts.texts(language).APPLICANT_CLASSES.get(code, configured_name)


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
    """One person (or group) receiving the certificate; ``affiliation`` printed above the name;
    ``certificate_no`` the 修了証's number as printed (:func:`award_number_text`), "" for none."""

    name: str
    affiliation: str = ""
    certificate_no: str = ""


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
    #: The course completed (講座名), printed on a 修了証 and the key of its numbers.
    course_name: str = ""

    @property
    def heading(self) -> str:
        """The printed title: the clerk's own, else 修了証 or 感謝状."""
        return self.title.strip() or AWARD_TITLES[self.kind]


def award_number_text(fiscal_year: int, serial: int) -> str:
    """The printed number of a 修了証: 第2026-0001号 (the fiscal year it was first issued, Western
    calendar, and its serial in that year)."""
    return f"第{fiscal_year}-{serial:04d}号"


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
    #: 後援: the names lending their support (an approved 後援, services/endorsements.py).
    supporters: str = ""


@dataclass(frozen=True)
class FlyerOptions:
    """Template and language options of a flyer (stored with the event, ``events.flyer_options``).
    ``second_language`` is one of :data:`FLYER_SECOND_LANGUAGES` or "" for none, with its
    ``translated_title`` and ``translated_text``; ``third_language`` (with ``third_title`` and
    ``third_text``) a second block in another of them, printed under the first."""

    template: str = "standard"
    easy_japanese: bool = False
    easy_text: str = ""
    second_language: str = ""
    translated_title: str = ""
    translated_text: str = ""
    third_language: str = ""
    third_title: str = ""
    third_text: str = ""

    @property
    def language_blocks(self) -> tuple[tuple[str, str, str], ...]:
        """(language, title, text) of each block under the Japanese text, in print order."""
        blocks = ((self.second_language, self.translated_title, self.translated_text), (self.third_language, self.third_title, self.third_text))
        return tuple(block for block in blocks if block[0])


def flyer_option_problems(options: FlyerOptions) -> list[FieldProblem]:
    """What is wrong with ``options`` (an unknown template or second language), one problem per
    field; empty when they can be printed. The one check of the options, used when they are
    saved with an event and when a flyer is drawn."""
    problems = []
    if options.template not in FLYER_TEMPLATES:
        problems.append(FieldProblem("template", _("Choose one of the flyer templates.")))
    for name in ("second_language", "third_language"):
        if getattr(options, name) and getattr(options, name) not in FLYER_SECOND_LANGUAGES:
            problems.append(FieldProblem(name, _("Choose one of the listed languages.")))
    if options.third_language and options.third_language == options.second_language:
        problems.append(FieldProblem("third_language", _("Choose two different languages.")))
    return problems


# --- 使用許可書 / 領収書 ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PermitLine:
    """One booking on a permit: its number, room, date and times (local), people, purpose, and its
    fee in yen (gross before 減免, the amount waived and the fee to pay) with the 減免 reason."""

    slip_no: str
    facility_name: str
    room_name: str
    start: datetime
    end: datetime
    slot_names: tuple[str, ...]
    people: int
    purpose: str
    gross: int
    waived: int
    fee: int
    exemption_name: str = ""
    exemption_rate: int = 0


@dataclass(frozen=True)
class PermitDocument:
    """A 使用許可書 (use permit) of one or more bookings of one applicant.

    ``address`` / ``representative``: the group's address and 代表者 (an unregistered applicant:
    the phone number in ``address``). ``paid``: what the ledger holds for these bookings;
    ``deadline``: the payment deadline (None when nothing is due). ``conditions``: the conditions
    of use of 設定 (every room, then each room's own), printed as configured. ``reissue``: a
    reprint (再発行)."""

    permit_no: str
    issued_on: date
    applicant_name: str
    registration_no: str
    address: str
    representative: str
    applicant_class_name: str
    lines: tuple[PermitLine, ...]
    paid: int
    deadline: date | None
    conditions: tuple[str, ...]
    issuer: Issuer
    facility_address: str = ""
    facility_phone: str = ""
    clerk: str = ""
    reissue: bool = False

    @property
    def total_fee(self) -> int:
        """使用料 to pay, every booking."""
        return sum(line.fee for line in self.lines)

    @property
    def total_gross(self) -> int:
        """使用料 before 減免."""
        return sum(line.gross for line in self.lines)

    @property
    def total_waived(self) -> int:
        """減免額."""
        return sum(line.waived for line in self.lines)

    @property
    def exempt(self) -> bool:
        """Fully exempt (免除): nothing to pay, ever a receipt."""
        return self.total_fee == 0

    @property
    def outstanding(self) -> int:
        """Still to pay (never negative)."""
        return max(self.total_fee - self.paid, 0)


@dataclass(frozen=True)
class ReceiptLine:
    """A booking a receipt pays: number, room, date of use and the amount in yen."""

    slip_no: str
    room_name: str
    start: datetime
    end: datetime
    amount: int


@dataclass(frozen=True)
class ReceiptDocument:
    """A 領収書 for one recorded payment (never without one). ``proviso``: 但し書き and
    ``tax_line`` from 設定; ``voided``: the payment was voided (printed 取消済);
    ``permit``: when set, the document is a 使用許可書兼領収書 (paid when the permit is issued)."""

    receipt_no: str
    received_on: date
    payer_name: str
    amount: int
    method: str
    method_label: str
    lines: tuple[ReceiptLine, ...]
    proviso: str
    tax_line: str
    issuer: Issuer
    clerk: str
    facility_address: str = ""
    facility_phone: str = ""
    reissue: bool = False
    voided: bool = False
    permit: PermitDocument | None = None
