"""団体登録, what is read: the search as the 団体 screen and the forms' group search type it
(folded as :mod:`center_app.domain.search_keys` says, exact matches before voicing-blind ones,
in 五十音順), one group, a group by its 登録番号, and the groups like a name being registered.
The commands (register, edit, renew, pause, withdraw) are in :mod:`center_app.services.groups`,
which also gives these names.

期限切れ is computed, not stored: a ``registered`` group whose ``valid_until`` lies before today
is shown and filtered as ``expired`` (see :func:`group_values.effective_status`).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from sqlalchemy import Boolean, and_, exists, func, not_, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from center_app.db.groups import ActivityField, Group, GroupActivityField
from center_app.domain import clock
from center_app.domain.errors import ValidationError
from center_app.domain.normalize import kana_search_key, phone_search_key
from center_app.domain.registration_no import normalize_registration_no
from center_app.domain.search_keys import loose_key, search_key
from center_app.i18n import _
from center_app.services.context import ServiceContext
from center_app.services.group_values import EXPIRED, REGISTERED, ActivityFieldInfo, GroupDetail, GroupPage, GroupSummary, effective_status, name_key

# --- reading ---------------------------------------------------------------------------------------


def activity_fields(ctx: ServiceContext) -> list[ActivityFieldInfo]:
    """The 20 activity fields in code order."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        return _fields(session)


def _fields(session: Session) -> list[ActivityFieldInfo]:
    return [ActivityFieldInfo(f.code, f.name, f.short_name) for f in session.scalars(select(ActivityField).order_by(ActivityField.code))]


class _Contains(FunctionElement):
    """``_Contains(haystack, needle)``: the text contains ``needle`` literally (no wildcards to
    escape): ``instr`` on SQLite (twice as fast as LIKE over 10,000 rows, measured),
    ``strpos`` on PostgreSQL."""

    type = Boolean()
    inherit_cache = True
    name = "contains_text"


@compiles(_Contains)
def _contains_default(element, compiler, **kw):
    return f"(instr({compiler.process(element.clauses, **kw)}) > 0)"


@compiles(_Contains, "postgresql")
def _contains_postgresql(element, compiler, **kw):
    return f"(strpos({compiler.process(element.clauses, **kw)}) > 0)"


_PHONE_LIKE = re.compile(r"^[0-9０-９\-‐‑–—―－ー()（）+＋ ]+$")


#: Characters a voicing-blind match can differ on: kana (ガ/カ). A search word without them
#: (digits, kanji, Latin letters, a registration number) finds the same rows either way.
_MARKED = re.compile(r"[\u3041-\u3096\u30a1-\u30fa]")  # kana letters, not ー or ・


def _term_conditions(term: str):
    """(matches, exact, loose_differs) for one search word: ``matches`` are the rows whose
    ``search_text`` or ``search_loose`` (the parts voicing changes) contains the word's
    :func:`loose_key` (so かいど finds ガイド) or, when the
    word looks like a phone number, whose phone digits contain its digits (055-282 finds
    0552820101 and 055-282-0101); ``exact`` are those whose ``search_text`` contains its
    :func:`search_key` (or the digits), ranked first; ``loose_differs`` is False when the two
    find the same rows. Both sides are folded alike (hiragana finds katakana, ｒ０８ finds R08,
    髙 finds 高, 1589番地の1 finds 1589-1: ``domain.search_keys``)."""
    key = search_key(term)
    loose = loose_key(key)
    digits = phone_search_key(term)
    by_digits = _Contains(Group.search_text, digits) if _PHONE_LIKE.match(term) and len(digits) >= 2 and digits != key else None
    if not key and by_digits is None:
        return None, None, False
    by_loose = or_(_Contains(Group.search_text, loose), _Contains(Group.search_loose, loose)) if loose else None
    matches = [c for c in (by_loose, by_digits) if c is not None]
    exact = [c for c in (_Contains(Group.search_text, key) if key else None, by_digits) if c is not None]
    return or_(*matches), or_(*exact), bool(_MARKED.search(key))


def _status_condition(status: str, day: dt.date):
    if status == EXPIRED:
        return and_(Group.status == REGISTERED, Group.valid_until < day)
    if status == REGISTERED:
        return and_(Group.status == REGISTERED, or_(Group.valid_until.is_(None), Group.valid_until >= day))
    return Group.status == status


def _search_conditions(text: str, status: str | None, field_code: int | None, legal_form: str | None, day: dt.date,
                       *, words: bool = True) -> list:
    """The WHERE of a search: each word's voicing-blind match (``words``) and the filters."""
    conditions = [c for c in (_term_conditions(t)[0] for t in (text or "").split()) if c is not None] if words else []
    if status:
        conditions.append(_status_condition(status, day))
    if legal_form:
        conditions.append(Group.legal_form == legal_form)
    if field_code:
        conditions.append(
            exists().where(GroupActivityField.group_id == Group.id, GroupActivityField.field_code == field_code)
        )
    return conditions


def search_groups(
    ctx: ServiceContext,
    text: str = "",
    *,
    status: str | None = None,
    field_code: int | None = None,
    legal_form: str | None = None,
    offset: int = 0,
    limit: int = 200,
    count: bool = True,
    order: str = "name_kana",
    descending: bool = False,
) -> GroupPage:
    """Groups matching ``text`` and the filters, in 五十音順 of the reading (JIS X 4061), one page.

    ``text``: words separated by spaces, each must match the name, the reading (typed in
    hiragana, katakana or half-width kana), the registration number, a phone number (any
    hyphenation), the representative / contact person or the address, folded as
    ``domain.search_keys`` says (異体字, small kana, ー, 〜/～, 番地); groups found only without
    voicing marks (かいど for ガイド) come after the others. ``status`` is a code of
    ``group_values.STATUSES`` (``expired`` computed from ``valid_until``); ``field_code`` 1–20
    matches any of a group's fields. ``order`` (one of :data:`SORT_COLUMNS`, else the reading)
    and ``descending`` sort the whole result in the database, then the reading and id.
    Returns ``limit`` rows from ``offset`` and the total count; ``count`` False leaves out the count when more rows match than the page reaches (search as
    you type: the page is then marked not ``exact``).
    """
    ctx.require_signed_in()
    day = clock.today()
    terms = [found for found in (_term_conditions(t) for t in (text or "").split()) if found[1] is not None]  # each word once
    filters = _search_conditions(text, status, field_code, legal_form, day, words=False)
    conditions = [matches for matches, _exact, _differs in terms] + filters
    main_field, columns = _list_columns()
    need = limit if count else limit + 1  # one more row tells whether there are more
    exact_words, loose_differs = [exact for _m, exact, _d in terms], any(differs for _m, _e, differs in terms)
    with ctx.db.read() as session:

        def page(where: list, skip: int, size: int) -> list:
            query = select(*columns).where(*where).order_by(*_order(order, descending, main_field))
            return session.execute(query.offset(skip).limit(size)).all()

        if not exact_words or order not in ("name_kana", "") or descending:
            rows = page(conditions, offset, need)
        elif not loose_differs:
            rows = page([*exact_words, *filters], offset, need)  # the same rows: one scan
        else:
            # exact matches first, then those found only without voicing marks, each streamed
            # in 五十音順 from the list index (no sort of every match: docs/performance.md)
            rows = page([*exact_words, *filters], offset, need)
            if len(rows) < need:
                if rows or offset == 0:
                    exact_total = offset + len(rows)
                else:
                    exact_total = session.scalar(select(func.count(Group.id)).where(*exact_words, *filters)) or 0
                rows += page([*conditions, not_(and_(*exact_words))], max(0, offset - exact_total), need - len(rows))
        more = len(rows) > limit
        rows = rows[:limit]
        exact = True
        if (rows or offset == 0) and len(rows) < limit:
            total = offset + len(rows)  # the last page: no second scan to count
        elif not count:
            total, exact = offset + len(rows) + more, not more
        else:
            total = session.scalar(select(func.count(Group.id)).where(*conditions)) or 0
    items = tuple(
        GroupSummary(
            id=r.id, registration_no=r.registration_no, name=r.name, name_kana=r.name_kana,
            legal_form=r.legal_form, status=effective_status(r.status, r.valid_until, day),
            main_field=r.main_field or "", representative_name=r.representative_name,
            phone=r.phone, valid_until=r.valid_until,
        )
        for r in rows
    )
    return GroupPage(items=items, total=total, offset=offset, exact=exact)


@functools.cache
def _list_columns() -> tuple:
    """(the main activity field as a correlated subquery, the columns of a :class:`GroupSummary`),
    built once: they are the same for every search (the main field is read with the page's rows,
    one query a keystroke instead of two)."""
    main_field = (
        select(ActivityField.short_name)
        .join(GroupActivityField, GroupActivityField.field_code == ActivityField.code)
        .where(GroupActivityField.group_id == Group.id, GroupActivityField.position == 0)
        .limit(1)
        .correlate(Group)
        .scalar_subquery()
    )
    columns = (
        Group.id, Group.registration_no, Group.name, Group.name_kana, Group.legal_form, Group.status,
        Group.representative_name, Group.phone, Group.valid_until, main_field.label("main_field"),
    )
    return main_field, columns


def count_groups(ctx: ServiceContext, text: str = "", *, status: str | None = None, field_code: int | None = None,
                 legal_form: str | None = None) -> int:
    """How many groups :func:`search_groups` finds for ``text`` and the filters."""
    ctx.require_signed_in()
    conditions = _search_conditions(text, status, field_code, legal_form, clock.today())
    with ctx.db.read() as session:
        return session.scalar(select(func.count(Group.id)).where(*conditions)) or 0


#: Columns the group list may be sorted by (a clicked header), attribute → column.
SORT_COLUMNS = ("registration_no", "name", "name_kana", "status", "legal_form", "main_field", "representative_name", "phone", "valid_until")


def _order(order: str, descending: bool, main_field) -> list:
    """ORDER BY of :func:`search_groups`: the chosen column, then the reading in 五十音順
    (``name_sort``, JIS X 4061) and id."""
    if order == "main_field":
        column = main_field
    elif order in SORT_COLUMNS and order != "name_kana":
        column = getattr(Group, order)
    else:
        column = Group.name_sort
    first = column.desc() if descending else column.asc()
    return [first, Group.name_sort, Group.id]


def _main_fields(session: Session, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(
        select(GroupActivityField.group_id, ActivityField.short_name)
        .join(ActivityField, ActivityField.code == GroupActivityField.field_code)
        .where(GroupActivityField.group_id.in_(ids), GroupActivityField.position == 0)
    )
    return {group_id: short for group_id, short in rows}


def _detail(group: Group, day: dt.date) -> GroupDetail:
    values = {name: getattr(group, name) for name in GroupDetail.__dataclass_fields__ if hasattr(Group, name)}
    values["activity_fields"] = tuple(link.field_code for link in group.activity_links)
    values["public_consent"] = tuple(group.public_consent or ())
    values["stored_status"] = group.status
    values["status"] = effective_status(group.status, group.valid_until, day)
    return GroupDetail(**values)


def _load(session: Session, group_id: int) -> Group:
    group = session.get(Group, group_id)
    if group is None:
        raise ValidationError(_("This group no longer exists. Reload the list."))
    return group


def get_group(ctx: ServiceContext, group_id: int) -> GroupDetail:
    """One group with every field. Raises ValidationError if it no longer exists."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        return _detail(_load(session, group_id), clock.today())


def find_group_by_number(ctx: ServiceContext, registration_no: str) -> GroupDetail | None:
    """The group with a typed or scanned registration number (full-width, lowercase accepted)."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        group = session.scalar(select(Group).where(Group.registration_no == normalize_registration_no(registration_no)))
        return _detail(group, clock.today()) if group else None


@dataclass(frozen=True)
class SimilarGroup:
    """An existing group resembling the one being entered; ``reasons`` are field names
    (``name``, ``name_kana``, ``phone``) that match."""

    group: GroupSummary
    reasons: tuple[str, ...]


def find_similar(ctx: ServiceContext, name: str = "", kana: str = "", phone: str = "", exclude_id: int | None = None) -> list[SimilarGroup]:
    """Existing groups with the same name, the same reading or a shared phone number (after
    normalisation), for the duplicate warning of the form. At most 10, withdrawn ones included."""
    ctx.require_signed_in()
    keys = {"name": name_key(name), "name_kana": kana_search_key(kana), "phone": phone_search_key(phone)}
    conditions = []
    if keys["name"]:
        conditions.append(Group.name_search == keys["name"])
    if keys["name_kana"]:
        conditions.append(Group.kana_search == keys["name_kana"])
    if len(keys["phone"]) >= 10:
        conditions.append(_Contains(Group.search_text, keys["phone"]))
    if not conditions:
        return []
    day = clock.today()
    with ctx.db.read() as session:
        query = select(Group).where(or_(*conditions)).order_by(Group.name_sort, Group.id).limit(10)
        if exclude_id is not None:
            query = query.where(Group.id != exclude_id)
        groups = list(session.scalars(query))
        mains = _main_fields(session, [g.id for g in groups])
    found = []
    for g in groups:
        reasons = tuple(
            r for r, hit in (
                ("name", keys["name"] and g.name_search == keys["name"]),
                ("name_kana", keys["name_kana"] and g.kana_search == keys["name_kana"]),
                ("phone", len(keys["phone"]) >= 10 and keys["phone"] in (phone_search_key(g.phone), phone_search_key(g.mobile), phone_search_key(g.fax))),
            ) if hit
        )
        summary = GroupSummary(g.id, g.registration_no, g.name, g.name_kana, g.legal_form,
                               effective_status(g.status, g.valid_until, day), mains.get(g.id, ""),
                               g.representative_name, g.phone, g.valid_until)
        found.append(SimilarGroup(summary, reasons))
    return found
