"""Mailings to groups (郵送): the filter that chooses the groups, the recipient and its address
block in the Japanese order, the letter templates' merge fields, the label sheets and the
envelope as data.

Pure values and rules, standard library only; drawn by :mod:`center_app.print.mailings`, chosen
and recorded by :mod:`center_app.services.mailings`.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from center_app.domain.documents import Issuer
from center_app.domain.errors import FieldProblem, ValidationError
from center_app.i18n import N_, _

# --- who is chosen ------------------------------------------------------------------------------

#: The statuses a filter may name (the effective status: ``expired`` is a registered group past
#: its 有効期限).
MAIL_STATUSES = ("applied", "registered", "expired", "paused", "withdrawn")


@dataclass(frozen=True)
class MailFilter:
    """Which groups a mailing goes to. Every condition given must hold (AND); several
    ``statuses`` are alternatives (OR). No status given = every group not withdrawn.

    ``expires_before``: registrations still valid today that expire before this day — 有効期限
    (``valid_until``) from today on and before it, as the renewal letter (登録更新のお知らせ) says
    「…で有効期限を迎えます」; groups without one, or already expired (those: status ``expired``),
    are left out; ``field_code``: the group works in this 活動分野 (1–20); ``facility_code``: the group has
    a booking (not cancelled) in a room of this facility."""

    statuses: tuple[str, ...] = ()
    expires_before: date | None = None
    field_code: int | None = None
    facility_code: str | None = None


class Addressee(StrEnum):
    """To whom the envelope is addressed: the group itself (団体名 御中) or its representative
    (団体名, then 代表 氏名 様) — the honorific follows the recipient's type."""

    GROUP = "group"
    REPRESENTATIVE = "representative"


@dataclass(frozen=True)
class Recipient:
    """One chosen group, as a mailing prints it. ``skip_reason`` is set (and the group is listed,
    not printed) when its address cannot carry mail — no address, or no postal code — or when its
    name, representative or address holds a character no bundled font can print."""

    group_id: int
    registration_no: str
    group_name: str
    representative_name: str
    postal_code: str
    address: str
    valid_until: date | None
    status: str
    skip_reason: str = ""

    @property
    def printable(self) -> bool:
        """True when the group's address can be printed (no ``skip_reason``)."""
        return not self.skip_reason


def skip_reason(postal_code: str, address: str) -> str:
    """Why a group's address cannot carry mail ("" when it can): the address or the 〒 missing."""
    if not address.strip():
        return _("no address")
    if not postal_code.strip():
        return _("no postal code")
    return ""


@dataclass(frozen=True)
class AddressBlock:
    """What an envelope, a label and a letter's head print, in the Japanese order: the 〒 line,
    the address (one or two lines as typed: a line break in the address starts the second),
    then the name lines, the last one ending with 御中 or 様."""

    postal_line: str
    address_lines: tuple[str, ...]
    name_lines: tuple[str, ...]


def address_block(recipient: Recipient, addressee: Addressee) -> AddressBlock:
    """The address block of ``recipient``: 〒 and address, then 「団体名 御中」, or 「団体名」 and
    「代表 氏名 様」 (a group without a representative's name is addressed 御中)."""
    postal = recipient.postal_code.strip()
    lines = tuple(line.strip() for line in recipient.address.replace("\r", "").split("\n") if line.strip())
    person = recipient.representative_name.strip()
    if addressee == Addressee.REPRESENTATIVE and person:
        names = (recipient.group_name, f"代表　{person}　様")
    else:
        names = (f"{recipient.group_name}　御中",)
    return AddressBlock(f"〒{postal}", lines, names)


# --- letter templates ---------------------------------------------------------------------------

#: The merge fields a template may use, and what fills them.
MERGE_FIELDS = {
    "団体名": N_("the group's name"),
    "代表者名": N_("the representative's name"),
    "登録番号": N_("the registration number"),
    "有効期限": N_("the registration's expiry date (和暦)"),
    "センター名": N_("the center's name (設定)"),
    "センター長": N_("the head's title and name (設定)"),
    "日付": N_("the date of the letter (和暦)"),
}


def template_problems(name: str, title: str, body: str) -> list[FieldProblem]:
    """Every problem of a template as typed (empty = it can be saved): a name and a body are
    required; ``{…}`` in the title and body must name a merge field of :data:`MERGE_FIELDS`
    (the unknown ones are named); a brace left open or closed alone is refused (``{{`` and ``}}``
    print one brace), and so is a merge field in full-width braces (｛団体名｝, as the input
    method types them: it would print as typed)."""
    problems: list[FieldProblem] = []
    if not name.strip():
        problems.append(FieldProblem("name", _("Enter the template's name.")))
    if not body.strip():
        problems.append(FieldProblem("body", _("Enter the text of the letter.")))
    for key, text in (("title", title), ("body", body)):
        try:
            names = [field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
                     for _literal, field, spec, conversion in string.Formatter().parse(text) if field is not None]
        except ValueError:
            problems.append(FieldProblem(key, _("A brace is not closed: write a merge field as {団体名}, and a brace itself twice ({{ or }}).")))
            continue
        wide = [n for n in dict.fromkeys(re.findall(r"｛([^｛｝]*)｝", text)) if n.strip() in MERGE_FIELDS]
        if wide:  # typed with the input method's full-width braces: would print as they are
            problems.append(FieldProblem(key, _("Write merge fields with half-width braces: {fields}.").format(
                fields="、".join("{" + n.strip() + "}" for n in wide))))
        unknown = [n for n in dict.fromkeys(names) if n not in MERGE_FIELDS]
        if unknown:
            problems.append(FieldProblem(key, _("Unknown merge field: {fields}. Known fields: {known}.").format(
                fields="、".join("{" + n + "}" for n in unknown), known="、".join("{" + n + "}" for n in MERGE_FIELDS))))
    return problems


def check_template(name: str, title: str, body: str) -> None:
    """Raise :class:`ValidationError` with every problem of :func:`template_problems`."""
    problems = template_problems(name, title, body)
    if problems:
        raise ValidationError(problems)


def merge(text: str, values: dict[str, str]) -> str:
    """``text`` with its merge fields filled from ``values`` (a checked template: every field
    it names is in :data:`MERGE_FIELDS`; one without a value prints empty)."""
    return text.format_map({name: values.get(name, "") for name in MERGE_FIELDS})


@dataclass(frozen=True)
class MailTemplateView:
    """A letter template of 設定 → 郵送文書: ``name`` (how the clerk and ``--template`` choose it),
    ``title`` (the letter's heading) and ``body`` (paragraphs separated by blank lines), both with
    merge fields; ``version`` for the edit check."""

    id: int
    name: str
    title: str
    body: str
    version: int


@dataclass(frozen=True)
class MailLetter:
    """One letter, merged: the address block, the date, the heading and the paragraphs."""

    block: AddressBlock
    issued_on: date
    issuer: Issuer
    title: str
    body: str
    group_name: str


# --- the printed forms ---------------------------------------------------------------------------


class MailKind(StrEnum):
    """What a mailing printed (the sent-mail record's ``kind``)."""

    LETTER = "letter"
    LABELS = "labels"
    ENVELOPE = "envelope"

    @property
    def label(self) -> str:
        """The kind in the current language (通知文, 宛名ラベル, 封筒)."""
        return _(_KIND_LABELS[self.value])


_KIND_LABELS = {"letter": N_("Notice letter"), "labels": N_("Address labels"), "envelope": N_("Envelope")}


@dataclass(frozen=True)
class LabelSheet:
    """An A4 sheet of address labels, in millimetres from the sheet's top-left corner: ``columns``
    × ``rows`` labels of ``width`` × ``height``, the first one's corner at (``left``, ``top``), the
    next one ``pitch_x`` to the right and ``pitch_y`` down. ``source`` says where the figures
    come from."""

    key: str
    name: str
    columns: int
    rows: int
    width: float
    height: float
    top: float
    left: float
    pitch_x: float
    pitch_y: float
    source: str
    page_width: float = 210.0
    page_height: float = 297.0

    @property
    def count(self) -> int:
        """How many labels a sheet has."""
        return self.columns * self.rows

    def rectangle(self, position: int) -> tuple[float, float, float, float]:
        """The label at ``position`` (1 = top left, along the row first): (left, top, right,
        bottom) in mm from the sheet's top-left corner."""
        row, column = divmod(position - 1, self.columns)
        x = self.left + column * self.pitch_x
        y = self.top + row * self.pitch_y
        return (x, y, x + self.width, y + self.height)


#: The common A4 sheets. Figures as the maker publishes them on its product pages (エーワン
#: 28181: 12面 四辺余白付, 86.4 × 42.3 mm, margins 上下 21.6 / 左右 18.6 mm, no gaps; エーワン 28187:
#: 24面 四辺余白付, 66.0 × 33.9 mm, margins 上下 12.9 / 左右 6.0 mm, no gaps). Each adds up to A4
#: exactly (tests/print/test_mail_labels.py); other makers' sheets of the same layout fit.
LABEL_SHEETS = {
    "a4-12": LabelSheet("a4-12", "A4 12面（エーワン 28181 型）", 2, 6, 86.4, 42.3, 21.6, 18.6, 86.4, 42.3,
                        "エーワン 28181 製品仕様: ラベル 86.4×42.3 mm、上下余白 21.6 mm、左右余白 18.6 mm"),
    "a4-24": LabelSheet("a4-24", "A4 24面（エーワン 28187 型）", 3, 8, 66.0, 33.9, 12.9, 6.0, 66.0, 33.9,
                        "エーワン 28187 製品仕様: ラベル 66.0×33.9 mm、上下余白 12.9 mm、左右余白 6.0 mm"),
}

#: 長形3号 (JIS S 5502): 120 × 235 mm, the envelope of an A4 sheet folded in three (定形郵便).
ENVELOPE_CHO3 = (120.0, 235.0)


def check_start(sheet: LabelSheet, start: int) -> None:
    """Refuse a start position outside the sheet (1 … its number of labels)."""
    if not 1 <= start <= sheet.count:
        raise ValidationError([FieldProblem("start", _("The first label must be between 1 and {count}.").format(count=sheet.count))])


@dataclass(frozen=True)
class MailDocument:
    """A mailing's PDF and who it was for: ``sent`` the groups printed, ``skipped`` those listed
    and left out (each with its ``skip_reason``)."""

    pdf: bytes
    kind: MailKind
    template_name: str
    sent: tuple[Recipient, ...]
    skipped: tuple[Recipient, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class MailingRecord:
    """One sent-mail record of a group: what was sent (``kind``, ``template_name`` for a letter),
    on which day, by whom."""

    id: int
    group_id: int
    kind: MailKind
    template_name: str
    sent_on: date
    sent_by: str

