"""What a group is made of, as the services see it: codes and labels, the frozen data objects
(:class:`GroupSummary`, :class:`GroupDetail`, :class:`GroupInput`) and the validation of typed or
imported values (:func:`clean_group_input`). No database access here.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from center_app.domain.activity_fields import FIELD_ALIASES
from center_app.domain.errors import FieldProblem, ValidationError
from center_app.domain.normalize import (
    as_date,
    clean_lines,
    clean_text,
    normalize_kana,
    normalize_phone,
    normalize_postal_code,
    normalize_text,
    normalize_url,
    validate_email,
)
from center_app.domain.search_keys import GROUP_KEY_SOURCES, group_keys
from center_app.i18n import N_, _

# --- codes and labels ------------------------------------------------------------------------

APPLIED, REGISTERED, EXPIRED, PAUSED, WITHDRAWN = "applied", "registered", "expired", "paused", "withdrawn"
#: Status codes in display order; ``expired`` is computed (registered and past ``valid_until``).
STATUSES = (APPLIED, REGISTERED, EXPIRED, PAUSED, WITHDRAWN)
_STATUS_LABELS = {
    APPLIED: N_("Application pending"),
    REGISTERED: N_("Registered"),
    EXPIRED: N_("Registration expired"),
    PAUSED: N_("Paused"),
    WITHDRAWN: N_("Withdrawn"),
}

#: 団体の種類 codes in display order.
LEGAL_FORMS = ("voluntary", "npo", "general_association", "neighborhood", "other")
_LEGAL_FORM_LABELS = {
    "voluntary": N_("Voluntary group"),
    "npo": N_("NPO corporation"),
    "general_association": N_("General incorporated association"),
    "neighborhood": N_("Neighborhood association"),
    "other": N_("Other legal form"),
}

#: Fields a group may agree to publish (公開の同意), in display order.
CONSENT_FIELDS = (
    "name", "contact", "representative", "founded_on", "member_count",
    "membership_fee", "website", "activity_fields", "purpose", "activities",
)
_CONSENT_LABELS = {
    "name": N_("Group name"),
    "contact": N_("Contact details"),
    "representative": N_("Representative"),
    "founded_on": N_("Founded on"),
    "member_count": N_("Members"),
    "membership_fee": N_("Membership fee"),
    "website": N_("Website"),
    "activity_fields": N_("Activity fields"),
    "purpose": N_("Purpose"),
    "activities": N_("Activities"),
}

#: Labels of the form's fields (also used in messages naming a field).
FIELD_LABELS = {
    "registration_no": N_("Registration number"),
    "name": N_("Group name"),
    "name_kana": N_("Reading (katakana)"),
    "legal_form": N_("Legal form"),
    "activity_fields": N_("Activity fields"),
    "purpose": N_("Purpose"),
    "activities": N_("Activities"),
    "representative_name": N_("Representative"),
    "representative_kana": N_("Representative reading"),
    "contact_name": N_("Contact person"),
    "contact_kana": N_("Contact person reading"),
    "postal_code": N_("Postal code"),
    "address": N_("Address"),
    "phone": N_("Phone"),
    "mobile": N_("Mobile phone"),
    "fax": N_("Fax"),
    "email": N_("E-mail"),
    "website": N_("Website"),
    "member_count": N_("Members"),
    "membership_fee": N_("Membership fee"),
    "founded_on": N_("Founded on"),
    "registered_on": N_("Registered on"),
    "valid_until": N_("Valid until"),
    "status": N_("Status"),
    "public_consent": N_("Consent to publish"),
    "notes": N_("Notes"),
}


def status_label(code: str) -> str:
    """The status in the current language (申請中, 登録, 期限切れ, 休止, 廃止)."""
    return _(_STATUS_LABELS.get(code, code))


def legal_form_label(code: str) -> str:
    """The legal form in the current language (任意団体, NPO法人, …)."""
    return _(_LEGAL_FORM_LABELS.get(code, code))


def consent_label(key: str) -> str:
    """The name of a public field in the current language (団体名, 連絡先, …)."""
    return _(_CONSENT_LABELS.get(key, key))


def field_label(name: str) -> str:
    """The label of a form field in the current language."""
    return _(FIELD_LABELS.get(name, name))


def effective_status(status: str, valid_until: dt.date | None, today: dt.date) -> str:
    """The status shown to users: ``expired`` for a registered group past ``valid_until``."""
    if status == REGISTERED and valid_until is not None and valid_until < today:
        return EXPIRED
    return status


# --- data objects ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityFieldInfo:
    """One of the 20 activity fields: ``code`` 1–20, legal ``name``, ``short_name`` for lists."""

    code: int
    name: str
    short_name: str


@dataclass(frozen=True)
class GroupSummary:
    """One row of the group list. ``status`` is effective (may be ``expired``)."""

    id: int
    registration_no: str | None
    name: str
    name_kana: str
    legal_form: str
    status: str
    main_field: str  # short name of the main activity field, "" if none
    representative_name: str
    phone: str
    valid_until: dt.date | None


@dataclass(frozen=True)
class GroupPage:
    """A page of search results: ``items`` from ``offset``, ``total`` matches in all. ``exact``
    False: the count was left out (search as you type) and more rows match than this page
    reaches; ``total`` is then only a lower bound (:func:`~center_app.services.groups.count_groups`
    gives the count)."""

    items: tuple[GroupSummary, ...]
    total: int
    offset: int
    exact: bool = True


@dataclass(frozen=True)
class GroupDetail:
    """Everything about one group, for the form. ``status`` is effective, ``stored_status`` as
    stored; ``activity_fields`` are codes, the first is the main field."""

    id: int
    registration_no: str | None
    name: str
    name_kana: str
    legal_form: str
    activity_fields: tuple[int, ...]
    purpose: str
    activities: str
    representative_name: str
    representative_kana: str
    contact_name: str
    contact_kana: str
    postal_code: str
    address: str
    phone: str
    mobile: str
    fax: str
    email: str
    website: str
    member_count: int | None
    membership_fee: str
    founded_on: dt.date | None
    registered_on: dt.date | None
    renewed_on: dt.date | None
    valid_until: dt.date | None
    status: str
    stored_status: str
    status_changed_on: dt.date | None
    public_consent: tuple[str, ...]
    notes: str
    certificate_reissue_count: int
    created_at: dt.datetime
    updated_at: dt.datetime
    #: The stored version this detail was read at: the form's changes are saved only onto it.
    version: int = 1


@dataclass(frozen=True)
class GroupInput:
    """What was typed in the form or read from an import row, before validation.

    Text fields are raw strings; dates may be strings (any format of ``normalize.parse_date``) or dates (1900–2200);
    ``activity_fields`` holds codes (int) or names (full or short, str), first = main;
    ``public_consent`` holds keys of :data:`CONSENT_FIELDS`.
    """

    name: str = ""
    name_kana: str = ""
    legal_form: str = ""
    activity_fields: tuple[int | str, ...] = ()
    purpose: str = ""
    activities: str = ""
    representative_name: str = ""
    representative_kana: str = ""
    contact_name: str = ""
    contact_kana: str = ""
    postal_code: str = ""
    address: str = ""
    phone: str = ""
    mobile: str = ""
    fax: str = ""
    email: str = ""
    website: str = ""
    member_count: str | int | None = ""
    membership_fee: str = ""
    founded_on: str | dt.date | None = ""
    registered_on: str | dt.date | None = ""
    public_consent: tuple[str, ...] = field(default_factory=tuple)
    notes: str = ""

    @classmethod
    def from_detail(cls, d: GroupDetail) -> GroupInput:
        """The input that would save ``d`` unchanged (to edit a stored group)."""
        return cls(**{name: getattr(d, name) for name in cls.__dataclass_fields__})


# --- validation ------------------------------------------------------------------------------

_MAX_LENGTHS = {
    "name": 200, "name_kana": 200, "representative_name": 100, "representative_kana": 100,
    "contact_name": 100, "contact_kana": 100, "address": 300, "membership_fee": 100,
    "website": 300, "purpose": 4000, "activities": 4000, "notes": 4000,
}
_REQUIRED = ("name", "name_kana", "legal_form", "representative_name")


def _multiline(text: str) -> str:
    """Free text of several lines, stored as typed (:func:`clean_lines`)."""
    return clean_lines(text)


def field_key(text: str) -> str:
    """Key comparing activity field names: NFKC, no spaces (``保健･医療･福祉`` = ``保健・医療・福祉``)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


#: :data:`FIELD_ALIASES` by :func:`field_key` (a later alias of the same key wins, as in a dict).
_ALIAS_KEYS: dict[str, int] = {field_key(alias): code for alias, code in FIELD_ALIASES.items()}


def resolve_activity_field(value: int | str, fields: list[ActivityFieldInfo]) -> int | None:
    """The code of an activity field given by code, number text, full or short name, or a common
    short name of :data:`center_app.domain.activity_fields.FIELD_ALIASES` (福祉 → 1, the field
    保健・医療・福祉); None if unknown."""
    if isinstance(value, int):
        return value if any(f.code == value for f in fields) else None
    key = field_key(value)
    if key.isdigit():
        return resolve_activity_field(int(key), fields)
    code = _field_names(tuple(fields)).get(key)
    if code is not None:
        return code
    if key in _ALIAS_KEYS:
        return resolve_activity_field(_ALIAS_KEYS[key], fields)
    return None


@lru_cache(maxsize=8)
def _field_names(fields: tuple[ActivityFieldInfo, ...]) -> dict[str, int]:
    """:func:`field_key` of each field's name and short name → its code (the first field that has
    it), built once per list of fields instead of once per value looked up."""
    names: dict[str, int] = {}
    for f in fields:
        for key in (field_key(f.name), field_key(f.short_name)):
            names.setdefault(key, f.code)
    return names


def clean_group_input(raw: GroupInput, fields: list[ActivityFieldInfo], *, today: dt.date) -> dict[str, Any]:
    """Validate and normalise every value of ``raw``.

    Returns a dict of model attribute → clean value (``activity_fields`` as a list of codes,
    ``public_consent`` as a sorted list of keys). Raises one :class:`ValidationError` listing a
    :class:`FieldProblem` for EVERY bad field (field = attribute name, message in the current
    language saying what is expected).
    """
    problems: list[FieldProblem] = []
    clean: dict[str, Any] = {}

    def check(name: str, fn, *args) -> None:
        try:
            clean[name] = fn(*args)
        except ValidationError as exc:
            problems.extend(FieldProblem(name, p.message) for p in exc.problems)

    for name in ("name", "representative_name", "contact_name", "address", "membership_fee"):
        clean[name] = clean_text(getattr(raw, name))
    for name in ("purpose", "activities", "notes"):
        clean[name] = _multiline(getattr(raw, name))
    for name in ("name_kana", "representative_kana", "contact_kana"):
        check(name, normalize_kana, getattr(raw, name), )
    for name in ("phone", "mobile", "fax"):
        check(name, normalize_phone, getattr(raw, name))
    check("postal_code", normalize_postal_code, raw.postal_code)
    check("email", validate_email, raw.email)
    check("website", normalize_url, raw.website)
    for name in ("founded_on", "registered_on"):
        check(name, lambda value, field=name: as_date(value, field=field), getattr(raw, name))
        if clean.get(name) and clean[name] > today:
            problems.append(FieldProblem(name, _("The date cannot be in the future.")))
    clean["legal_form"] = _clean_legal_form(raw.legal_form)
    if raw.legal_form and clean["legal_form"] is None:
        problems.append(FieldProblem("legal_form", _("Choose one of the listed legal forms.")))
    check("member_count", _clean_member_count, raw.member_count)
    codes, bad = [], []
    for value in raw.activity_fields:
        code = resolve_activity_field(value, fields)
        if code is None:
            bad.append(str(value))
        elif code not in codes:
            codes.append(code)
    clean["activity_fields"] = codes
    if bad:
        problems.append(FieldProblem("activity_fields", _("Unknown activity field: {names}. Use the names of the 20 fields of the NPO Act.").format(names="、".join(bad))))
    elif not codes:
        problems.append(FieldProblem("activity_fields", _("Choose at least one activity field.")))
    unknown = [key for key in raw.public_consent if key not in CONSENT_FIELDS]
    if unknown:
        raise ValueError(f"unknown consent keys {unknown}")  # a programming error, not user input
    clean["public_consent"] = [key for key in CONSENT_FIELDS if key in raw.public_consent]
    for name in _REQUIRED:
        if not clean.get(name) and not any(p.field == name for p in problems):
            problems.append(FieldProblem(name, _("Enter the {field}.").format(field=field_label(name))))
    for name, limit in _MAX_LENGTHS.items():
        if len(clean.get(name) or "") > limit:
            problems.append(FieldProblem(name, _("At most {n} characters.").format(n=limit)))
    if problems:
        raise ValidationError(problems)
    return clean


_LEGAL_FORM_ALIASES = {
    "任意団体": "voluntary", "npo法人": "npo", "特定非営利活動法人": "npo", "npo": "npo",
    "一般社団法人": "general_association", "一般社団": "general_association",
    "自治会・町内会": "neighborhood", "自治会": "neighborhood", "町内会": "neighborhood",
    "その他": "other",
}


def _clean_legal_form(text: str) -> str | None:
    """A legal form code from a code, its Japanese name or label in the current language."""
    key = field_key(text or "").casefold()
    if not key:
        return ""
    if key in LEGAL_FORMS:
        return key
    if key in _LEGAL_FORM_ALIASES:
        return _LEGAL_FORM_ALIASES[key]
    for code in LEGAL_FORMS:
        if key == field_key(legal_form_label(code)).casefold():
            return code
    return None


def _clean_member_count(value: str | int | None) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError(_("Enter the number of members as a whole number, such as 12."))
    if isinstance(value, int | float):
        number = value
    else:
        text = normalize_text(str(value)).replace(",", "").removesuffix("人").removesuffix("名").strip()
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            raise ValidationError(_("Enter the number of members as a whole number, such as 12.")) from None
    if number != int(number):
        raise ValidationError(_("Enter the number of members as a whole number, such as 12."))
    if number < 0:
        raise ValidationError(_("The number of members cannot be negative: enter 0 or more."))
    if number > 1_000_000:
        raise ValidationError(_("Enter at most 1,000,000 members."))
    return int(number)


# --- search keys -------------------------------------------------------------------------------


def name_key(text: str | None) -> str:
    """Key of names for searching: :func:`normalize_text`, case-folded, without spaces."""
    return "".join(normalize_text(text).casefold().split())


def search_columns(values: dict[str, Any]) -> dict[str, str]:
    """The derived search and sort columns of a group from its values (clean input or model
    attributes): see :func:`center_app.domain.search_keys.group_keys`."""
    return group_keys(values)


def refresh_search(group: Any) -> None:
    """Recompute the search and sort columns of ``group`` (a ``db.groups.Group``) after any
    change of its fields or number."""
    current = {name: getattr(group, name) for name in GROUP_KEY_SOURCES}
    for column, value in search_columns(current).items():
        setattr(group, column, value)
