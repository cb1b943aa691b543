"""ロッカー・レターケース, what is read: the kinds of unit, the terms (12 months from the 1st of
``locker_term_start_month``, named by the year they start in), the units with who has each in a
term, the mail waiting, and the occupancy the reports count. The commands (公募 and the draw,
allocations, the fee, keys, mail) are in :mod:`center_app.services.lockers`, which also gives
these names; the rules are in its docstring.
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select

from center_app.db.groups import Group
from center_app.db.lockers import LockerAllocation, LockerMail, LockerUnit
from center_app.db.models import Facility
from center_app.db.money import Payment
from center_app.domain import clock
from center_app.domain.center_settings import LOCKER_TERM_START_MONTH
from center_app.domain.errors import ValidationError
from center_app.i18n import N_, _
from center_app.services import center_settings, ledger_queries
from center_app.services.context import ServiceContext

LOCKERS = "lockers"
#: Kinds of unit, with their names (message ids).
KINDS = {
    "locker_large": N_("Locker (large)"),
    "locker_small": N_("Locker (small)"),
    "letter_case": N_("Letter case"),
}
CENTER, ISSUED, RETURNED = "center", "issued", "returned"
KEY_STATES = {CENTER: N_("at the center"), ISSUED: N_("issued"), RETURNED: N_("returned")}


def kind_label(kind: str) -> str:
    """The name of a kind of unit in the current language."""
    return _(KINDS[kind]) if kind in KINDS else kind


def term_of(day: dt.date, start_month: int) -> int:
    """The term ``day`` falls in (named by the year it starts in)."""
    return day.year if day.month >= start_month else day.year - 1


def term_dates(term: int, start_month: int) -> tuple[dt.date, dt.date]:
    """First and last day (inclusive) of ``term``."""
    first = dt.date(term, start_month, 1)
    following = dt.date(term + 1, start_month, 1)
    return first, following - dt.timedelta(days=1)


def months_left(first: dt.date, last: dt.date, day: dt.date) -> int:
    """Whole months of the term ``first`` … ``last`` from the month of ``day`` on (12 from its first day)."""
    start = max(first, day)
    return (last.year - start.year) * 12 + last.month - start.month + 1


@dataclass(frozen=True)
class UnitView:
    """A unit and, for the term shown, who has it: ``allocation_id``, group, the fee of the term,
    its receipt number (empty: unpaid), where the key is, and mail waiting to be handed over."""

    id: int
    facility_id: int
    code: str
    kind: str
    kind_label: str
    size: str
    monthly_fee_yen: int
    version: int
    term: int
    allocation_id: int | None = None
    group_id: int | None = None
    group_name: str = ""
    registration_no: str = ""
    fee_yen: int = 0
    receipt_no: str = ""
    key_state: str = ""
    mail_waiting: int = 0

    @property
    def key_label(self) -> str:
        """Where the key is, in the current language."""
        return _(KEY_STATES[self.key_state]) if self.key_state in KEY_STATES else ""


@dataclass(frozen=True)
class MailView:
    """A mail item received for a unit's group, and its hand-over (``handed_at`` None: waiting)."""

    id: int
    unit_code: str
    group_name: str
    received_on: dt.date
    sender: str
    note: str
    handed_at: dt.datetime | None
    handed_to: str


@dataclass(frozen=True)
class DrawLine:
    """One application of a locker draw: rank, application number, group, won and the unit given."""

    rank: int
    application_id: int
    registration_no: str
    group_name: str
    won: bool
    unit_code: str
    reason: str


def _start_month(session) -> int:
    return center_settings.get(session, LOCKER_TERM_START_MONTH)


def current_term(ctx: ServiceContext) -> int:
    """The term of today."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        return term_of(clock.today(), _start_month(session))


def _facility(session, facility: int | str | None) -> Facility:
    if facility is None:
        row = session.scalars(select(Facility).order_by(Facility.sort_order, Facility.id)).first()
    elif isinstance(facility, int):
        row = session.get(Facility, facility)
    else:
        row = session.scalars(select(Facility).where(func.lower(Facility.code) == facility.strip().lower())).first()
    if row is None:
        raise ValidationError(_("There is no facility with the code {code}.").format(code=facility), field_name="facility")
    return row


def _unit_views(session, units: list[LockerUnit], term: int) -> list[UnitView]:
    ids = [u.id for u in units]
    allocations = {a.unit_id: a for a in session.scalars(select(LockerAllocation).where(LockerAllocation.unit_id.in_(ids), LockerAllocation.term == term))}
    groups = {g.id: g for g in session.scalars(select(Group).where(Group.id.in_({a.group_id for a in allocations.values()})))}
    receipts = {p.id: p.receipt_no for p in session.scalars(select(Payment).where(Payment.id.in_({a.payment_id for a in allocations.values() if a.payment_id})))
                if ledger_queries.is_voided(session, "payment", p.id) is None}  # a voided receipt (訂正) leaves the fee unpaid
    waiting = dict(session.execute(select(LockerMail.allocation_id, func.count()).where(
        LockerMail.allocation_id.in_([a.id for a in allocations.values()]), LockerMail.handed_at.is_(None)).group_by(LockerMail.allocation_id)).all())
    views = []
    for u in units:
        a = allocations.get(u.id)
        base = dict(id=u.id, facility_id=u.facility_id, code=u.code, kind=u.kind, kind_label=kind_label(u.kind), size=u.size,
                    monthly_fee_yen=u.monthly_fee_yen, version=u.version, term=term)
        if a is not None:
            g = groups[a.group_id]
            base.update(allocation_id=a.id, group_id=g.id, group_name=g.name, registration_no=g.registration_no or "", fee_yen=a.fee_yen,
                        receipt_no=receipts.get(a.payment_id, "") if a.payment_id else "", key_state=a.key_state, mail_waiting=int(waiting.get(a.id, 0)))
        views.append(UnitView(**base))
    return views


def list_units(ctx: ServiceContext, facility: int | str | None = None, term: int | None = None) -> list[UnitView]:
    """The active units of ``facility`` (None: the main one) in display order, with who has each in
    ``term`` (default: the term of today)."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        row = _facility(session, facility)
        term = term if term is not None else term_of(clock.today(), _start_month(session))
        units = session.scalars(select(LockerUnit).where(LockerUnit.facility_id == row.id, LockerUnit.active.is_(True))
                                .order_by(LockerUnit.sort_order, LockerUnit.code)).all()
        return _unit_views(session, list(units), term)


def unit_id_for(ctx: ServiceContext, code: str, facility: int | str | None = None) -> int:
    """The id of the unit ``code`` (L-01) of ``facility`` (None: the main one). ValidationError naming it."""
    ctx.require_signed_in()
    wanted = unicodedata.normalize("NFKC", code or "").strip().upper()
    with ctx.db.read() as session:
        row = _facility(session, facility)
        found = session.scalar(select(LockerUnit.id).where(LockerUnit.facility_id == row.id, func.upper(LockerUnit.code) == wanted))
    if found is None:
        raise ValidationError(_("There is no locker or letter case {code}.").format(code=(code or "").strip()), field_name="unit")
    return found


def _registered(session, group_id: int) -> Group:
    group = session.get(Group, group_id)
    if group is None or group.status != "registered" or not group.registration_no:
        raise ValidationError(_("Lockers and letter cases are for registered groups; this group is not registered now."), field_name="group")
    return group


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValidationError(_("Choose the kind: {choices}.").format(choices="、".join(f"{k} ({kind_label(k)})" for k in KINDS)), field_name="kind")
    return kind


def _mail_view(session, mail: LockerMail) -> MailView:
    allocation = session.get(LockerAllocation, mail.allocation_id)
    unit = session.get(LockerUnit, allocation.unit_id)
    group = session.get(Group, allocation.group_id)
    return MailView(mail.id, unit.code, group.name, mail.received_on, mail.sender, mail.note, mail.handed_at, mail.handed_to)


def mail_waiting(ctx: ServiceContext, facility: int | str | None = None) -> list[MailView]:
    """Mail not handed over yet at ``facility`` (None: the main one), oldest first."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        row = _facility(session, facility)
        mails = session.scalars(select(LockerMail).join(LockerAllocation, LockerAllocation.id == LockerMail.allocation_id)
                                .join(LockerUnit, LockerUnit.id == LockerAllocation.unit_id)
                                .where(LockerUnit.facility_id == row.id, LockerMail.handed_at.is_(None)).order_by(LockerMail.id)).all()
        return [_mail_view(session, m) for m in mails]


@functools.cache
def _occupancy_statement(filtered: bool):
    """Built once per shape and bound at each call (a report runs it every time it is made)."""
    query = select(LockerUnit.kind, func.count(LockerUnit.id), func.count(LockerAllocation.id)).outerjoin(
        LockerAllocation, (LockerAllocation.unit_id == LockerUnit.id) & (LockerAllocation.term == bindparam("term"))).where(LockerUnit.active.is_(True))
    if filtered:
        query = query.where(LockerUnit.facility_id.in_(bindparam("facility_ids", expanding=True)))
    return query.group_by(LockerUnit.kind)


def occupancy(session, day: dt.date, facility_ids=None, start_month: int | None = None) -> dict[str, tuple[int, int]]:
    """(allocated, units) per kind on ``day`` (the term it falls in), for the reports;
    ``start_month``: the setting of the terms' first month when the caller has read it."""
    params: dict = {"term": term_of(day, start_month or _start_month(session))}
    if facility_ids is not None:
        params["facility_ids"] = list(facility_ids)
    rows = session.execute(_occupancy_statement(facility_ids is not None), params).all()
    order = list(KINDS)
    return {kind: (int(taken), int(total)) for kind, total, taken in sorted(rows, key=lambda r: order.index(r[0]) if r[0] in order else 99)}
