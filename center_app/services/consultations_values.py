"""What a consultation is made of, as the services see it: codes and labels, the frozen data
objects and the validation of typed or imported values (:func:`clean_consultation_input`).
No database access here.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from center_app.domain.errors import FieldProblem, ValidationError
from center_app.domain.normalize import as_date, clean_lines, clean_text, kana_search_key, normalize_kana, normalize_text
from center_app.domain.search_keys import search_key as folded_key
from center_app.domain.roles import Role
from center_app.i18n import N_, _

# --- codes and labels ------------------------------------------------------------------------

#: 相談方法 codes in display order, with their Japanese names (files are Japanese whatever the UI).
METHODS = ("visit", "phone", "email", "fax", "letter", "online", "outreach")
METHOD_JA = {
    "visit": "来所", "phone": "電話", "email": "メール", "fax": "FAX", "letter": "手紙",
    "online": "オンライン", "outreach": "出張・外出先",
}
_METHOD_LABELS = {
    "visit": N_("Visit"), "phone": N_("Phone call"), "email": N_("E-mail message"), "fax": N_("Fax"),
    "letter": N_("Letter"), "online": N_("Online"), "outreach": N_("Outreach (off-site)"),
}

#: 相談者の属性 codes in display order.
CLIENT_TYPES = ("civic_group", "individual", "company", "government", "support_org", "other")
CLIENT_TYPE_JA = {
    "civic_group": "市民活動団体", "individual": "個人", "company": "企業", "government": "行政",
    "support_org": "支援団体", "other": "その他",
}
_CLIENT_TYPE_LABELS = {
    "civic_group": N_("Civic group"), "individual": N_("Individual"), "company": N_("Company"),
    "government": N_("Government"), "support_org": N_("Support organization"), "other": N_("Other client"),
}

OPEN, DONE = "open", "done"
STATUSES = (OPEN, DONE)
STATUS_JA = {OPEN: "対応中", DONE: "完了"}
_STATUS_LABELS = {OPEN: N_("In progress"), DONE: N_("Completed")}

#: Roles that may read and write consultations (docs/architecture.md §4: coordinators and admins).
ROLES = (Role.COORDINATOR, Role.ADMIN)


def method_label(code: str) -> str:
    """相談方法 in the current language."""
    return _(_METHOD_LABELS.get(code, code))


def client_type_label(code: str) -> str:
    """相談者の属性 in the current language."""
    return _(_CLIENT_TYPE_LABELS.get(code, code))


def status_label(code: str) -> str:
    """対応中 / 完了 in the current language."""
    return _(_STATUS_LABELS.get(code, code))


def may_use_consultations(role: Role | None) -> bool:
    """Whether ``role`` may see consultations at all (the UI hides what it may not use; the
    services refuse anyway)."""
    return role in ROLES


#: Labels of the form's fields (also used in messages naming a field).
FIELD_LABELS = {
    "consulted_on": N_("Consultation date"),
    "start_time": N_("Start time"),
    "duration_minutes": N_("Duration (minutes)"),
    "method": N_("Method"),
    "client_type": N_("Client type"),
    "group_id": N_("Registered group"),
    "client_name": N_("Client name"),
    "client_kana": N_("Client reading"),
    "client_contact": N_("Client contact"),
    "topic_ids": N_("Topics"),
    "activity_fields": N_("NPO activity fields"),
    "content": N_("Consultation content"),
    "response": N_("Response"),
    "referral": N_("Referred to"),
    "staff_user_id": N_("Staff member"),
    "follow_up_needed": N_("Follow-up needed"),
    "follow_up_due": N_("Follow-up due"),
    "follow_up_done": N_("Follow-up done"),
    "status": N_("Status"),
    "confidential": N_("Restricted to the staff member"),
}


def field_label(name: str) -> str:
    """The label of a form field in the current language."""
    return _(FIELD_LABELS.get(name, name))


# --- data objects ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TopicInfo:
    """One 相談分野 of the editable list."""

    id: int
    name: str
    sort_order: int
    active: bool
    version: int = 1


@dataclass(frozen=True)
class StaffChoice:
    """A staff member who may answer consultations (coordinators and admins)."""

    id: int
    display_name: str
    active: bool


@dataclass(frozen=True)
class ConsultationInput:
    """The form (or an import row) as typed. Text values are cleaned by
    :func:`clean_consultation_input`; dates and times may be given as text or as objects."""

    consulted_on: dt.date | str | None = None
    start_time: dt.time | str | None = None
    duration_minutes: int | str | None = None
    method: str = ""
    client_type: str = ""
    group_id: int | None = None
    client_name: str = ""
    client_kana: str = ""
    client_contact: str = ""
    topic_ids: tuple[int, ...] = ()
    activity_fields: tuple[int, ...] = ()
    content: str = ""
    response: str = ""
    referral: str = ""
    staff_user_id: int | None = None
    follow_up_needed: bool = False
    follow_up_due: dt.date | str | None = None
    follow_up_done: bool = False
    status: str = OPEN
    confidential: bool = False


@dataclass(frozen=True)
class ConsultationSummary:
    """One row of the consultation list (no content: the list never shows what was said)."""

    id: int
    consulted_on: dt.date
    start_time: dt.time | None
    duration_minutes: int | None
    method: str
    client_type: str
    client_label: str
    group_id: int | None
    registration_no: str
    topics: tuple[str, ...]
    staff_user_id: int
    staff_name: str
    status: str
    follow_up_needed: bool
    follow_up_due: dt.date | None
    follow_up_done: bool
    confidential: bool


@dataclass(frozen=True)
class ConsultationDetail:
    """Every field of one consultation, as the form shows it."""

    id: int
    consulted_on: dt.date
    start_time: dt.time | None
    duration_minutes: int | None
    method: str
    client_type: str
    group_id: int | None
    group_name: str
    registration_no: str
    client_name: str
    client_kana: str
    client_contact: str
    topic_ids: tuple[int, ...]
    topic_names: tuple[str, ...]
    activity_fields: tuple[int, ...]
    content: str
    response: str
    referral: str
    staff_user_id: int
    staff_name: str
    follow_up_needed: bool
    follow_up_due: dt.date | None
    follow_up_done: bool
    status: str
    completed_on: dt.date | None
    confidential: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    #: The stored version this detail was read at: the form's changes are saved only onto it.
    version: int = 1

    def as_input(self) -> ConsultationInput:
        """The values of this record as a form input (to save it again with changes)."""
        return ConsultationInput(**{name: getattr(self, name) for name in ConsultationInput.__dataclass_fields__})


@dataclass(frozen=True)
class ConsultationFilter:
    """Filters of the list; None / "" means any. ``start``–``end`` are inclusive dates;
    ``text`` is words that must all match names, reading, contact, content, response, referral
    or the group's name."""

    start: dt.date | None = None
    end: dt.date | None = None
    staff_user_id: int | None = None
    method: str | None = None
    client_type: str | None = None
    topic_id: int | None = None
    status: str | None = None
    group_id: int | None = None
    text: str = ""
    follow_up_open: bool = False


@dataclass(frozen=True)
class ConsultationPage:
    """One page of the list and the number of visible records matching the filters."""

    items: tuple[ConsultationSummary, ...]
    total: int
    offset: int = 0


@dataclass(frozen=True)
class ClientCount:
    """How many consultations a client (a group, or an unregistered client's name) had."""

    group_id: int | None
    label: str
    count: int


# --- validation ------------------------------------------------------------------------------

_MAX_LENGTHS = {"client_name": 200, "client_kana": 200, "client_contact": 300, "referral": 300, "content": 8000, "response": 8000}
_TIME = re.compile(r"^(\d{1,2})(?::|時)(\d{2})(?:分)?$|^(\d{1,2})(\d{2})$")
_MAX_DURATION = 24 * 60


def multiline(text: str | None) -> str:
    """Free text of several lines, stored as typed (:func:`clean_lines`)."""
    return clean_lines(text)


def parse_time(value: dt.time | str | None, *, field_name: str = "start_time") -> dt.time | None:
    """A time of day typed as 14:30, 1430, 14時30分 (full-width digits too); None for blank."""
    if value is None or isinstance(value, dt.time):
        return value
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None
    found = _TIME.match(text)
    if found:
        hour, minute = (int(found.group(1)), int(found.group(2))) if found.group(1) else (int(found.group(3)), int(found.group(4)))
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    raise ValidationError(_("Enter a time such as 14:30."), field_name=field_name)


def parse_minutes(value: int | str | None, *, field_name: str = "duration_minutes") -> int | None:
    """A duration in whole minutes (1 … 1440); None for blank."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValidationError(_("Enter the duration in minutes, e.g. 30."), field_name=field_name)
    if isinstance(value, int):
        number = value
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip().removesuffix("分").strip()
        if not text:
            return None
        if not text.isdigit():
            raise ValidationError(_("Enter the duration in minutes, e.g. 30."), field_name=field_name)
        number = int(text)
    if not 1 <= number <= _MAX_DURATION:
        raise ValidationError(_("A duration is between 1 and {maximum} minutes.").format(maximum=_MAX_DURATION), field_name=field_name)
    return number


def clean_consultation_input(raw: ConsultationInput, *, today: dt.date, topic_ids: set[int], field_codes: set[int],
                             staff_ids: set[int], group_exists: bool) -> dict[str, Any]:
    """Validate and normalise every value of ``raw``.

    ``topic_ids`` / ``field_codes`` / ``staff_ids`` are the ids that may be chosen; ``group_exists``
    tells whether ``raw.group_id`` (if any) is a group of the registry. Returns attribute → clean
    value; raises one :class:`ValidationError` with a :class:`FieldProblem` for EVERY bad field.
    """
    problems: list[FieldProblem] = []
    clean: dict[str, Any] = {}

    def check(name: str, fn, *args, **kwargs) -> None:
        try:
            clean[name] = fn(*args, **kwargs)
        except ValidationError as exc:
            problems.extend(FieldProblem(name, p.message) for p in exc.problems)

    def problem(name: str, message: str) -> None:
        problems.append(FieldProblem(name, message))

    check("consulted_on", as_date, raw.consulted_on, field="consulted_on")
    if clean.get("consulted_on") is None and not any(p.field == "consulted_on" for p in problems):
        problem("consulted_on", _("Enter the date of the consultation."))
    elif clean.get("consulted_on") and clean["consulted_on"] > today:
        problem("consulted_on", _("The date of a consultation cannot be in the future."))
    check("start_time", parse_time, raw.start_time)
    check("duration_minutes", parse_minutes, raw.duration_minutes)

    clean["method"] = raw.method
    if raw.method not in METHODS:
        problem("method", _("Choose how the consultation took place."))
    clean["client_type"] = raw.client_type
    if raw.client_type not in CLIENT_TYPES:
        problem("client_type", _("Choose the type of client."))

    clean["group_id"] = raw.group_id
    if raw.group_id is not None and not group_exists:
        problem("group_id", _("This group no longer exists. Choose it again."))
    clean["client_name"] = clean_text(raw.client_name)
    clean["client_contact"] = clean_text(raw.client_contact)
    check("client_kana", normalize_kana, raw.client_kana, field="client_kana")
    if raw.group_id is None and not clean["client_name"]:
        problem("client_name", _("Choose a registered group or enter the client's name."))

    topics = tuple(dict.fromkeys(raw.topic_ids))
    clean["topic_ids"] = topics
    if not topics:
        problem("topic_ids", _("Choose at least one topic."))
    elif not set(topics) <= topic_ids:
        problem("topic_ids", _("A chosen topic is no longer in the list. Choose again."))
    fields_ = tuple(dict.fromkeys(raw.activity_fields))
    clean["activity_fields"] = fields_
    if not set(fields_) <= field_codes:
        problem("activity_fields", _("Unknown activity field."))

    clean["content"] = multiline(raw.content)
    clean["response"] = multiline(raw.response)
    clean["referral"] = clean_text(raw.referral)
    if not clean["content"]:
        problem("content", _("Enter what the consultation was about."))
    for name, limit in _MAX_LENGTHS.items():
        if len(clean.get(name) or "") > limit:
            problem(name, _("At most {n} characters.").format(n=limit))

    clean["staff_user_id"] = raw.staff_user_id
    if raw.staff_user_id is None:
        problem("staff_user_id", _("Choose the staff member who answered."))
    elif raw.staff_user_id not in staff_ids:
        problem("staff_user_id", _("This staff member cannot answer consultations (a coordinator or an administrator is needed)."))

    clean["follow_up_needed"] = bool(raw.follow_up_needed)
    clean["follow_up_done"] = bool(raw.follow_up_done) and bool(raw.follow_up_needed)
    if not clean["follow_up_needed"]:
        pass  # the date is ignored (and not checked) when no follow-up is needed
    else:
        check("follow_up_due", as_date, raw.follow_up_due, field="follow_up_due")
    if not clean["follow_up_needed"]:
        clean["follow_up_due"] = None
    elif clean.get("follow_up_due") is None and not any(p.field == "follow_up_due" for p in problems):
        problem("follow_up_due", _("Enter the date by which to follow up."))

    clean["status"] = raw.status
    if raw.status not in STATUSES:
        problem("status", _("Choose 対応中 or 完了."))
    elif raw.status == DONE and clean["follow_up_needed"] and not clean["follow_up_done"]:
        problem("status", _("A consultation with a follow-up still to do cannot be completed. Mark the follow-up done first."))
    clean["confidential"] = bool(raw.confidential)
    if problems:
        raise ValidationError(problems)
    return clean


def search_text(clean: dict[str, Any]) -> str:
    """The derived free-text search column of a consultation."""
    parts = [
        normalize_text(clean.get(name)).casefold()
        for name in ("client_name", "client_contact", "referral")
    ]
    parts.append(kana_search_key(clean.get("client_kana")))
    parts += ["\n".join(normalize_text(line) for line in multiline(clean.get(name)).split("\n")).casefold() for name in ("content", "response")]
    parts.append(client_keys(clean.get("client_name"), clean.get("client_kana")))
    return "\n".join(p for p in parts if p)


def client_keys(name: str | None, kana: str | None) -> str:
    """The client's name and reading folded by :func:`center_app.domain.search_keys.search_key`
    (髙橋 as 高橋, キャンプ as キヤンプ, ー as its vowel), the last line of :func:`search_text`."""
    return " ".join(part for part in (folded_key(name), folded_key(kana)) if part)


def search_key(text: str) -> str:
    """A search word as compared with :func:`search_text` (NFKC, case-folded)."""
    return normalize_text(text).casefold()


@dataclass(frozen=True)
class RetentionCandidate:
    """A completed consultation past the retention period (listed to the admin before deleting)."""

    id: int
    consulted_on: dt.date
    completed_on: dt.date
    method: str
    client_type: str
    client_label: str
    staff_name: str
    topics: tuple[str, ...] = field(default_factory=tuple)


# --- file columns (import and export) ---------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column: its header, the attribute it fills, whether an import needs it."""

    header: str
    attribute: str
    required: bool = False
    export_only: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("相談番号", "id", export_only=True),
    Column("相談日", "consulted_on", True),
    Column("開始時刻", "start_time", True),
    Column("所要時間(分)", "duration_minutes", True),
    Column("相談方法", "method", True),
    Column("相談者区分", "client_type", True),
    Column("登録番号", "registration_no"),
    Column("団体名", "group_name", export_only=True),
    Column("相談者名", "client_name"),
    Column("相談者フリガナ", "client_kana"),
    Column("連絡先", "client_contact"),
    Column("相談分野", "topics", True),
    Column("活動分野", "activity_fields"),
    Column("相談内容", "content", True),
    Column("対応内容", "response", True),
    Column("紹介先", "referral"),
    Column("対応者", "staff", True),
    Column("フォローアップ", "follow_up_needed"),
    Column("フォロー期日", "follow_up_due"),
    Column("フォロー済", "follow_up_done"),
    Column("状態", "status"),
    Column("完了日", "completed_on"),
    Column("担当者限定", "confidential"),
)
#: The headers of a consultation file, in column order.
HEADERS = tuple(c.header for c in COLUMNS)
