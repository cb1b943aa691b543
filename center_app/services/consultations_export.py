"""Export of the consultation log (CSV with BOM or XLSX), optionally redacted with stable
pseudonyms (an HMAC of each name with a per-database secret). The columns
(:data:`center_app.services.consultations_values.COLUMNS`) are the import's
(:mod:`center_app.services.consultations_io`), so an export can be imported again.

Redaction of the free text (相談内容, 対応内容, 紹介先), in this order:

1. e-mail addresses → 「[メール]」, phone numbers (10–11 digits from 0, or +81, any hyphens,
   brackets and full-width digits) → 「[電話]」, postal codes (〒 and 7 digits, or 3-4 digits with a
   hyphen) → 「[郵便番号]」;
2. the names the database knows → their pseudonyms: every exported client's name and reading
   (katakana and hiragana) and their space-separated parts; every registered group's name,
   reading and the name without its legal form (NPO法人, 一般社団法人, …), with their parts;
   the groups' representatives and contact persons; the staff (name and login name). Parts of
   one character are left (they would replace ordinary words).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from center_app.db.consultations import Consultation
from center_app.db.groups import ActivityField, Group
from center_app.db.models import StaffUser
from center_app.domain.center_settings import PSEUDONYM_SECRET
from center_app.domain.errors import ValidationError
from center_app.domain.normalize import normalize_text
from center_app.i18n import _
from center_app.services import audit, center_settings
from center_app.services.consultations_queries import (
    ENTITY,
    _filter_conditions,
    allow,
    visible_condition,
)
from center_app.services.consultations_values import (
    CLIENT_TYPE_JA,
    COLUMNS,
    HEADERS,
    METHOD_JA,
    STATUS_JA,
    ConsultationFilter,
)
from center_app.services.context import CurrentUser, ServiceContext
from center_app.services.group_files import write_table
from center_app.services.group_values import name_key

SECRET_KEY = PSEUDONYM_SECRET.key


def _secret(session: Session, user: CurrentUser) -> bytes:
    """The database's pseudonym key, made on the first redacted export (or when the stored one
    is not valid; audited without the key)."""
    value = center_settings.get(session, PSEUDONYM_SECRET)
    if not value:
        value = center_settings.set(session, user, PSEUDONYM_SECRET, secrets.token_hex(32))
    return value.encode()


def pseudonym(secret: bytes, kind: str, name: str) -> str:
    """A stable pseudonym of ``name``: ``{prefix}-`` and 8 hex digits of HMAC-SHA256(secret,
    kind + normalised name). ``kind`` is client, group or staff."""
    prefix = {"client": "相談者", "group": "団体", "staff": "職員"}[kind]
    digest = hmac.new(secret, f"{kind}\x00{name_key(name)}".encode(), hashlib.sha256).hexdigest()
    return f"{prefix}-{digest[:8].upper()}"


_DIGITS = "0-9０-９"
_DASHES = "\\-‐‑‒–—―−－ー"
#: e-mail addresses, also typed in full width (ｙａｍａｄａ＠ｅｘａｍｐｌｅ．ｊｐ).
_EMAIL = re.compile(r"[\w.+\-＋．－]+[@＠][\w\-－]+(?:[.．][\w\-－]+)+")
#: A run that may be a phone number: 9 to 13 digits with hyphens, spaces, dots or brackets
#: between them, maybe after +81 or an opening bracket; :func:`_phone_digits` decides.
_PHONE_RUN = re.compile(
    rf"(?<![{_DIGITS}])(?:(?:\+|＋)(?:81|８１)\s?|[(（])?[{_DIGITS}](?:\s?[{_DASHES}(（)）.．]?\s?[{_DIGITS}]){{8,12}}(?![{_DIGITS}])"
)
#: 〒 and 7 digits (hyphen optional), or 3 digits, a hyphen, 4 digits standing alone.
_POSTAL = re.compile(
    rf"〒\s*[{_DIGITS}]{{3}}[{_DASHES}]?[{_DIGITS}]{{4}}(?![{_DIGITS}])"
    rf"|(?<![{_DIGITS}{_DASHES}])[{_DIGITS}]{{3}}[{_DASHES}][{_DIGITS}]{{4}}(?![{_DIGITS}{_DASHES}])"
)
#: Legal forms written before or after a group's name (the name without them is searched too).
_LEGAL_FORMS = re.compile(
    r"^(?:特定非営利活動法人|NPO法人|ＮＰＯ法人|一般社団法人|一般財団法人|公益社団法人|公益財団法人|社会福祉法人|認定NPO法人|任意団体|\(特非\)|（特非）|\(一社\)|（一社）)\s*"
    r"|\s*(?:特定非営利活動法人|NPO法人|一般社団法人|一般財団法人)$"
)


def _phone_digits(text: str) -> int:
    digits = [c for c in normalize_text(text) if c.isdigit()]
    if normalize_text(text).lstrip("(（").startswith("+81"):
        return len(digits) - 2 + 1  # +81 55 … = 0 55 …
    return len(digits) if digits and digits[0] == "0" else 0


def redact_contacts(text: str) -> str:
    """``text`` with e-mail addresses, phone numbers and postal codes replaced by
    「[メール]」「[電話]」「[郵便番号]」 (see the module docstring)."""
    text = _EMAIL.sub("[メール]", text)
    text = _PHONE_RUN.sub(lambda m: "[電話]" if 10 <= _phone_digits(m.group(0)) <= 11 else m.group(0), text)
    return _POSTAL.sub("[郵便番号]", text)


def _variants(text: str) -> set[str]:
    """A name as it may be written: as stored, without and with other spaces, its parts, and a
    reading in katakana and hiragana."""
    text = normalize_text(text)
    if not text:
        return set()
    found = {text, text.replace(" ", ""), text.replace(" ", "\u3000"), *text.split(" ")}
    core = _LEGAL_FORMS.sub("", text).strip()
    if core and core != text:
        found |= {core, core.replace(" ", ""), *core.split(" ")}
    kana = [v for v in found if v and all("\u30a0" <= c <= "\u30ff" or c in " \u3000" for c in v)]
    for variant in kana:  # a reading stored in katakana is often typed in hiragana
        found.add("".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in variant))
    return {v for v in found if len(v.strip()) >= 2 and not _LEGAL_FORMS.fullmatch(v.strip())}


def _fold(text: str) -> str:
    """One character (or a half-width kana with its sound mark) as compared: NFKC (half-width
    kana and full-width letters fold) and lower case, when that stays one character."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return folded if len(folded) == 1 else text


def _units(text: str) -> list[tuple[str, int]]:
    """``text`` as compared, one (folded character, index after it in ``text``) per character;
    a half-width kana and its ﾞ or ﾟ are one character, as the reading they spell."""
    units, i, n = [], 0, len(text)
    while i < n:
        j = i + 2 if i + 1 < n and text[i + 1] in "ﾞﾟ" else i + 1
        units.append((_fold(text[i:j]), j))
        i = j
    return units


class _Redactor:
    """Replaces contact details and known names (and their parts of two or more characters) in
    free text; names by their pseudonyms. The names are kept in a trie and the text is read once,
    the longest known name at each place winning: thousands of names cost a few steps a
    character, not one try each."""

    _END = ""

    def __init__(self, secret: bytes):
        self.secret = secret
        self.trie: dict[str, dict] = {}

    def name(self, kind: str, name: str, *extra_names: str) -> str:
        """The pseudonym of ``name``; it and ``extra_names`` (readings, other spellings of the
        same person or group) are replaced by it in free text from now on (the first name
        registered keeps a spelling shared by two)."""
        if not normalize_text(name):
            return ""
        alias = pseudonym(self.secret, kind, name)
        for text in (name, *extra_names):
            for variant in _variants(text):
                node = self.trie
                for ch, _end in _units(variant):
                    node = node.setdefault(ch, {})
                node.setdefault(self._END, alias)  # type: ignore[arg-type]
        return alias

    def text(self, text: str) -> str:
        """``text`` with contact details and every known name replaced."""
        if not text:
            return text
        text = redact_contacts(text)
        if not self.trie:
            return text
        units = _units(text)
        out: list[str] = []
        i, n, start = 0, len(units), 0
        while i < n:
            node, j, found = self.trie, i, None
            while j < n:
                node = node.get(units[j][0])
                if node is None:
                    break
                j += 1
                if self._END in node:
                    found = (j, node[self._END])
            if found is None:
                out.append(text[start:units[i][1]])
                start, i = units[i][1], i + 1
            else:
                out.append(found[1])
                i = found[0]
                start = units[i - 1][1]
        return "".join(out)


def _yes_no(flag: bool, yes: str, no: str) -> str:
    return yes if flag else no


def _export_rows(session: Session, records: list[Consultation], redactor: _Redactor | None) -> list[list[Any]]:
    groups = {g.id: g for g in session.scalars(select(Group).where(Group.id.in_({r.group_id for r in records if r.group_id})))}
    staff = {u.id: u for u in session.scalars(select(StaffUser))}
    fields = {f.code: f.short_name for f in session.scalars(select(ActivityField))}
    rows: list[list[Any]] = []
    if redactor is not None:
        for user in staff.values():
            redactor.name("staff", user.display_name, user.login_name)
        for record in records:
            redactor.name("client", record.client_name, record.client_kana)
        # every group of the registry: free text names groups the record is not linked to too
        for name, kana, representative, representative_kana, contact, contact_kana in session.execute(
            select(Group.name, Group.name_kana, Group.representative_name, Group.representative_kana, Group.contact_name, Group.contact_kana)
        ):
            redactor.name("group", name, kana)
            redactor.name("client", representative, representative_kana)
            redactor.name("client", contact, contact_kana)
    for r in records:
        group = groups.get(r.group_id) if r.group_id else None
        person = staff.get(r.staff_user_id)
        values: dict[str, Any] = {
            "id": r.id, "consulted_on": r.consulted_on, "start_time": r.start_time.strftime("%H:%M") if r.start_time else "",
            "duration_minutes": r.duration_minutes, "method": METHOD_JA.get(r.method, r.method),
            "client_type": CLIENT_TYPE_JA.get(r.client_type, r.client_type),
            "registration_no": (group.registration_no or "") if group else "", "group_name": group.name if group else "",
            "client_name": r.client_name, "client_kana": r.client_kana, "client_contact": r.client_contact,
            "topics": ";".join(link.topic.name for link in r.topic_links),
            "activity_fields": ";".join(fields.get(link.field_code, str(link.field_code)) for link in r.field_links),
            "content": r.content, "response": r.response, "referral": r.referral,
            "staff": person.display_name if person else "",
            "follow_up_needed": _yes_no(r.follow_up_needed, "要", "不要"), "follow_up_due": r.follow_up_due,
            "follow_up_done": _yes_no(r.follow_up_done, "済", "未") if r.follow_up_needed else "",
            "status": STATUS_JA.get(r.status, r.status), "completed_on": r.completed_on,
            "confidential": _yes_no(r.confidential, "はい", "いいえ"),
        }
        if redactor is not None:
            values["group_name"] = redactor.name("group", group.name) if group else ""
            values["client_name"] = redactor.name("client", r.client_name)
            values["staff"] = redactor.name("staff", person.display_name) if person else ""
            values["registration_no"] = values["client_kana"] = values["client_contact"] = ""
            for name in ("content", "response", "referral"):
                values[name] = redactor.text(values[name])
        rows.append([values[c.attribute] for c in COLUMNS])
    return rows


def export_consultations(ctx: ServiceContext, path: Path, *, redacted: bool = False, filters: ConsultationFilter | None = None) -> int:
    """Write the visible consultations (optionally only those matching ``filters``), oldest
    first, to ``path``: .csv (UTF-8 with BOM) or .xlsx by extension. ``redacted`` replaces names
    by pseudonyms (see the module docstring). Returns the number of records; audited ``export``.
    PermissionDenied (audited) for counter staff."""
    user = allow(ctx, "export")
    path = Path(path)
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise ValidationError(_("Use a file name ending in .csv or .xlsx."), field_name="file")
    conditions = [visible_condition(user), *_filter_conditions(filters or ConsultationFilter())]
    with ctx.db.write() as session:
        records = list(session.scalars(
            select(Consultation).outerjoin(Group, Group.id == Consultation.group_id).where(*conditions)
            .order_by(Consultation.consulted_on, Consultation.start_time, Consultation.id)
        ))
        redactor = _Redactor(_secret(session, user)) if redacted else None
        rows = _export_rows(session, records, redactor)
        write_table(path, rows, headers=HEADERS, sheet_name="相談記録",
                    wide_columns=[i for i, c in enumerate(COLUMNS) if c.attribute in ("content", "response")])
        audit.record(session, user, ENTITY, "", "export", note=f"{path.name} rows={len(rows)}{' redacted' if redacted else ''}")
    return len(rows)
