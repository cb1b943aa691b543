"""Export of the consultation log (CSV with BOM or XLSX), optionally redacted with stable
pseudonyms (an HMAC of each name with a per-database secret). The columns
(:data:`center_app.services.consultations_values.COLUMNS`) are the import's
(:mod:`center_app.services.consultations_io`), so an export can be imported again.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
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
from center_app.services.consultations import (
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


class _Redactor:
    """Replaces known names (and their parts of two or more characters) in free text."""

    def __init__(self, secret: bytes):
        self.secret = secret
        self.replacements: dict[str, str] = {}
        self._pattern: re.Pattern[str] | None = None

    def name(self, kind: str, name: str, *extra_names: str) -> str:
        if not normalize_text(name):
            return ""
        alias = pseudonym(self.secret, kind, name)
        for text in (name, *extra_names):
            text = normalize_text(text)
            if not text:
                continue
            for variant in {text, text.replace(" ", ""), text.replace(" ", "\u3000"), *text.split(" ")}:
                if len(variant) >= 2 and variant not in self.replacements:
                    self.replacements[variant] = alias
                    self._pattern = None
        return alias

    def text(self, text: str) -> str:
        if not text or not self.replacements:
            return text
        if self._pattern is None:
            self._pattern = re.compile("|".join(re.escape(k) for k in sorted(self.replacements, key=len, reverse=True)), re.IGNORECASE)
            self._lookup = {k.casefold(): v for k, v in self.replacements.items()}
        return self._pattern.sub(lambda m: self._lookup.get(m.group(0).casefold(), m.group(0)), text)


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
        for group in groups.values():
            redactor.name("group", group.name, group.name_kana, group.representative_name, group.contact_name)
        for record in records:
            redactor.name("client", record.client_name, record.client_kana)
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
