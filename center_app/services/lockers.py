"""ロッカー・レターケース: units with size and fee, the yearly 公募 (applications and a recorded,
reproducible draw), allocations for a term, the fee paid in advance through the money ledger,
key custody and the mail-received log with its hand-over.

Rules (defaults in 設定 → ロッカー・来館者・抽選; research notes §2.5):

- A term lasts 12 months from the 1st of ``locker_term_start_month`` (default 4: the fiscal
  year, as さいたま; 仙台 9, 小田原 7) and is named by the year it starts in.
- A unit is allocated at most once per term: the unit's row is locked first (the edit pattern,
  :mod:`center_app.services.editing`) and the database's unique key (unit, term) is the last guard
  when two PCs allocate at once — the second is refused naming the group that has it.
- A group holds at most ``locker_units_per_group`` units of one kind per term.
- The fee is the unit's monthly fee × the months of the term left from the allocation's first
  month, paid in advance in one receipt (小田原: 12 months paid in advance; さいたま: lockers ¥620
  and ¥310 a month) — a :class:`~center_app.db.money.Payment` with its receipt number from the
  ledger's counter, in the 収入日報 of its day; letter cases are free (仙台: 168 free boxes).
- The center keeps the keys (三重): issuing and returning a key is recorded with the person.
- Mail received for a group's unit is logged, then handed over to a named person.

Every change is audited (entities ``locker_allocation``, ``locker_application``, ``locker_mail``).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from center_app.db.groups import Group
from center_app.db.lockers import LockerAllocation, LockerApplication, LockerKeyEvent, LockerMail, LockerUnit
from center_app.db.lottery import LotteryDraw
from center_app.db.models import Facility
from center_app.db.money import Payment
from center_app.domain import clock
from center_app.domain.center_settings import LOCKER_UNITS_PER_GROUP
from center_app.domain.errors import RuleCode, RuleError, ValidationError
from center_app.domain.lottery import Ticket, check_seed, draw, ticket_record
from center_app.domain.money import CASH_ROLES, RECEIPT, format_number, receipt_fiscal_year
from center_app.domain.wareki import format_day
from center_app.i18n import _
from center_app.services import audit, center_settings, ledger, ledger_queries
from center_app.services.context import ServiceContext
from center_app.services.editing import lock, lock_for_edit, lock_name, lock_rows
from center_app.services.lockers_queries import (  # noqa: F401 - the public names stay importable from here
    CENTER,
    DrawLine,
    ISSUED,
    KEY_STATES,
    KINDS,
    LOCKERS,
    MailView,
    RETURNED,
    UnitView,
    _facility,
    _kind,
    _mail_view,
    _registered,
    _start_month,
    _unit_views,
    current_term,
    kind_label,
    list_units,
    mail_waiting,
    months_left,
    occupancy,
    term_dates,
    term_of,
    unit_id_for,
)


# --- 公募: applications and the draw ----------------------------------------------------------------


def apply_for_unit(ctx: ServiceContext, group_id: int, kind: str, term: int, facility: int | str | None = None) -> int:
    """A group's application in the 公募 for a unit of ``kind`` in ``term``; returns its number.
    Refused: a group that is not registered, a second application for the same kind and term, a
    term already drawn."""
    user = ctx.require(*CASH_ROLES)
    _kind(kind)
    with ctx.db.write() as session:
        lock_rows(session, Group, [group_id])
        group = _registered(session, group_id)
        row = _facility(session, facility)
        if _locker_draw(session, row, kind, term) is not None:
            raise ValidationError(_("The lottery of {kind} for the term {term} has been drawn; allocate a free unit instead.").format(
                kind=kind_label(kind), term=term), field_name="kind")
        if session.scalar(select(LockerApplication.id).where(LockerApplication.group_id == group.id, LockerApplication.kind == kind,
                                                            LockerApplication.term == term, LockerApplication.facility_id == row.id,
                                                            LockerApplication.status != "withdrawn")) is not None:
            raise ValidationError(_("{group} has already applied for a {kind} in the term {term}.").format(group=group.name, kind=kind_label(kind), term=term),
                                  field_name="kind")
        application = LockerApplication(facility_id=row.id, term=term, kind=kind, group_id=group.id, applied_at=clock.now(), applied_by=user.display_name)
        session.add(application)
        session.flush()
        audit.record(session, user, "locker_application", application.id, "create", None, {"group": group.registration_no, "kind": kind, "term": term})
        return application.id


def _locker_draw(session, facility: Facility, kind: str, term: int) -> LotteryDraw | None:
    return session.scalars(select(LotteryDraw).where(LotteryDraw.kind == LOCKERS, LotteryDraw.scope == f"{facility.code}:{kind}",
                                                     LotteryDraw.period == str(term))).first()


def draw_units(ctx: ServiceContext, kind: str, term: int, seed: int, facility: int | str | None = None, *, dry_run: bool = False) -> list[DrawLine]:
    """抽選 of the 公募 for ``kind`` in ``term``: the applications in canonical order (registration
    number, application number) shuffled by ``random.Random(seed)``
    (:mod:`center_app.domain.lottery`); in that order each wins the next free unit of the kind
    (by code) while any is left and its group holds fewer than the limit. Unless ``dry_run`` the
    winners are allocated (fee of the whole term, unpaid until :func:`pay_allocation`), every
    application marked won or lost and the draw recorded (seed, tickets, outcomes) and audited.
    Refused: a term drawn already, no applications."""
    user = ctx.require(*CASH_ROLES)
    _kind(kind)
    try:
        check_seed(seed)
    except ValueError:
        raise ValidationError(_("The seed is a whole number from 0 to 9223372036854775807."), field_name="seed") from None
    with ctx.db.write() as session:
        row = _facility(session, facility)
        lock_name(session, f"lockers:{row.code}:{kind}:{term}")
        if _locker_draw(session, row, kind, term) is not None:
            raise ValidationError(_("The lottery of {kind} for the term {term} has been drawn already.").format(kind=kind_label(kind), term=term), field_name="kind")
        applications = session.scalars(select(LockerApplication).where(
            LockerApplication.facility_id == row.id, LockerApplication.kind == kind, LockerApplication.term == term,
            LockerApplication.status == "applied").order_by(LockerApplication.id)).all()
        if not applications:
            raise ValidationError(_("There are no applications for {kind} in the term {term}.").format(kind=kind_label(kind), term=term), field_name="kind")
        units = session.scalars(select(LockerUnit).where(LockerUnit.facility_id == row.id, LockerUnit.kind == kind, LockerUnit.active.is_(True))
                                .order_by(LockerUnit.sort_order, LockerUnit.code).with_for_update()).all()
        held = {a.unit_id: a.group_id for a in session.scalars(select(LockerAllocation).where(
            LockerAllocation.term == term, LockerAllocation.unit_id.in_([u.id for u in units])))}
        free = [u for u in units if u.id not in held]
        groups = {g.id: g for g in session.scalars(select(Group).where(Group.id.in_({a.group_id for a in applications})))}
        tickets = [Ticket(a.id, groups[a.group_id].registration_no or f"G{a.group_id}", kind,
                          (kind, groups[a.group_id].registration_no or f"G{a.group_id}", f"{a.id:09d}")) for a in applications]
        cap = center_settings.get(session, LOCKER_UNITS_PER_GROUP)
        outcomes = draw(tickets, seed, cap, capacity={kind: len(free)})
        by_id = {a.id: a for a in applications}
        lines, next_free = [], iter(free)
        for o in outcomes:
            application = by_id[o.ticket.number]
            group = groups[application.group_id]
            unit = next(next_free) if o.won else None
            lines.append(DrawLine(o.rank, application.id, group.registration_no or "", group.name, o.won, unit.code if unit else "",
                                  "" if o.won else _(o.reason)))
            if dry_run:
                continue
            application.status = "won" if o.won else "lost"
            if unit is not None:
                _insert_allocation(session, user, unit, group, term, application.id)
        if not dry_run:
            record = LotteryDraw(kind=LOCKERS, scope=f"{row.code}:{kind}", period=str(term), seed=seed, cap=cap, tickets=[ticket_record(t) for t in tickets],
                                 taken=[], outcomes=[{"number": o.ticket.number, "rank": o.rank, "won": o.won, "reason": o.reason} for o in outcomes],
                                 drawn_at=clock.now(), drawn_by=user.display_name)
            session.add(record)
            session.flush()
            audit.record(session, user, "lottery", record.id, "draw", None, {"kind": kind, "term": term, "seed": seed, "applications": len(tickets),
                                                                             "units": len(free)})
        return lines


# --- allocations -------------------------------------------------------------------------------------


def _insert_allocation(session, user, unit: LockerUnit, group: Group, term: int, application_id: int | None) -> LockerAllocation:
    start_month = _start_month(session)
    first, last = term_dates(term, start_month)
    holder = session.scalars(select(LockerAllocation).where(LockerAllocation.unit_id == unit.id, LockerAllocation.term == term)).first()
    if holder is not None:
        other = session.get(Group, holder.group_id)
        raise RuleError(_("{unit} is allocated to {group} for the term {term} already.").format(unit=unit.code, group=other.name, term=term),
                        RuleCode.LOCKER_TAKEN, other.name)
    limit = center_settings.get(session, LOCKER_UNITS_PER_GROUP)
    held = session.scalar(select(func.count()).select_from(LockerAllocation).join(LockerUnit, LockerUnit.id == LockerAllocation.unit_id).where(
        LockerAllocation.group_id == group.id, LockerAllocation.term == term, LockerUnit.kind == unit.kind)) or 0
    if held >= limit:
        raise RuleError(_("{group} holds {count} of the kind {kind} in the term {term}; a group may hold {limit}.").format(
            group=group.name, count=held, kind=kind_label(unit.kind), term=term, limit=limit), RuleCode.LOCKER_TAKEN, limit)
    today = clock.today()
    starts = max(first, today.replace(day=1)) if today <= last else first
    fee = unit.monthly_fee_yen * months_left(first, last, starts)
    allocation = LockerAllocation(unit_id=unit.id, term=term, group_id=group.id, starts_on=starts, ends_on=last, fee_yen=fee,
                                  application_id=application_id, created_at=clock.now(), created_by=user.display_name)
    session.add(allocation)
    try:
        session.flush()
    except IntegrityError:  # another PC allocated the unit between our check and the write
        raise RuleError(_("{unit} was allocated for the term {term} on another PC just now.").format(unit=unit.code, term=term),
                        RuleCode.LOCKER_TAKEN, None) from None
    audit.record(session, user, "locker_allocation", allocation.id, "create", None,
                 {"unit": unit.code, "group": group.registration_no, "term": term, "fee_yen": fee, "from": starts, "to": last})
    return allocation


def allocate_unit(ctx: ServiceContext, unit_id: int, group_id: int, term: int | None = None, *, expected_version: int | None = None) -> UnitView:
    """Give ``unit_id`` to ``group_id`` for ``term`` (default: the term of today), first come.
    The unit's row is locked first; ``expected_version`` is the unit's version the screen showed.
    Refused (nothing written): a unit given to another group for the term (RuleError naming it,
    also when another PC did it at the same moment), a group over the limit of its kind, a group
    that is not registered."""
    user = ctx.require(*CASH_ROLES)
    with ctx.db.write() as session:
        unit = lock_for_edit(session, LockerUnit, unit_id, entity="locker_unit", missing=_("This locker no longer exists."),
                             expected_version=expected_version)
        lock_rows(session, Group, [group_id])
        group = _registered(session, group_id)
        term = term if term is not None else term_of(clock.today(), _start_month(session))
        _insert_allocation(session, user, unit, group, term, None)
        return _unit_views(session, [unit], term)[0]


def _allocation(session, allocation_id: int) -> LockerAllocation:
    row = lock(session, LockerAllocation, allocation_id)
    if row is None:
        raise ValidationError(_("This allocation no longer exists."), field_name="unit")
    return row


def allocation_for(ctx: ServiceContext, unit_id: int, term: int | None = None) -> int:
    """The allocation of ``unit_id`` in ``term`` (default: today's). ValidationError when the unit is free."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        term = term if term is not None else term_of(clock.today(), _start_month(session))
        found = session.scalar(select(LockerAllocation.id).where(LockerAllocation.unit_id == unit_id, LockerAllocation.term == term))
        if found is None:
            unit = session.get(LockerUnit, unit_id)
            raise ValidationError(_("{unit} is not allocated in the term {term}.").format(unit=unit.code if unit else unit_id, term=term), field_name="unit")
        return found


def pay_allocation(ctx: ServiceContext, allocation_id: int, method: str = "cash") -> str:
    """Record the fee of an allocation (the whole term, in advance) in the money ledger: a
    payment with the next receipt number of the fiscal year, in today's 収入日報. Returns the
    receipt number. A receipt entered by mistake is voided like any other (`payments void`, 訂正)
    and the fee is then unpaid again. Refused: paid already, a free unit (0 円), the day's cash
    closed."""
    user = ctx.require(*CASH_ROLES)
    kind = ledger._method(method)
    today = clock.today()
    with ctx.db.write() as session:
        allocation = _allocation(session, allocation_id)
        unit = session.get(LockerUnit, allocation.unit_id)
        group = session.get(Group, allocation.group_id)
        if allocation.payment_id is not None and ledger_queries.is_voided(session, "payment", allocation.payment_id) is None:
            paid = session.get(Payment, allocation.payment_id)
            raise ValidationError(_("The fee of {unit} for the term {term} is paid (receipt {receipt}).").format(
                unit=unit.code, term=allocation.term, receipt=paid.receipt_no), field_name="unit")
        if allocation.fee_yen <= 0:
            raise ValidationError(_("{unit} is free of charge; there is nothing to pay and no receipt.").format(unit=unit.code), field_name="unit")
        facility = session.get(Facility, unit.facility_id)
        ledger._check_open_day(session, facility.id, today)
        fiscal_year, cash = receipt_fiscal_year(today), ledger.cash_unit(facility)
        serial = ledger.next_serial(session, RECEIPT, fiscal_year, cash)
        payment = Payment(receipt_no=format_number(RECEIPT, fiscal_year, serial, cash), fiscal_year=fiscal_year, unit=cash, serial=serial,
                          facility_id=facility.id, group_id=group.id, payer_name=group.name, amount_yen=allocation.fee_yen, method=kind.value,
                          received_on=today, recorded_at=clock.now(), recorded_by_id=user.id, recorded_by=user.display_name,
                          note=_("{kind} {unit}, term {first} – {last}").format(kind=kind_label(unit.kind), unit=unit.code,
                                                                                 first=allocation.starts_on.isoformat(), last=allocation.ends_on.isoformat()))
        session.add(payment)
        session.flush()
        allocation.payment_id = payment.id
        session.flush()
        audit.record(session, user, "payment", payment.receipt_no, "create", None, {
            "amount_yen": allocation.fee_yen, "method": kind.value, "received_on": today, "locker": unit.code, "term": allocation.term})
        return payment.receipt_no


def record_key(ctx: ServiceContext, allocation_id: int, action: str, person: str) -> UnitView:
    """鍵: ``issue`` the key of an allocation to ``person`` (it was at the center or returned) or
    record it ``return``-ed; audited. Refused: a key already out, a key not out, no person named."""
    user = ctx.require(*CASH_ROLES)
    who = (person or "").strip()
    if not who:
        raise ValidationError(_("Name the person who takes or brings back the key."), field_name="person")
    with ctx.db.write() as session:
        allocation = _allocation(session, allocation_id)
        unit = session.get(LockerUnit, allocation.unit_id)
        if action == "issue":
            if allocation.key_state == ISSUED:
                raise ValidationError(_("The key of {unit} is out already; record its return first.").format(unit=unit.code), field_name="key")
            new = ISSUED
        elif action == "return":
            if allocation.key_state != ISSUED:
                raise ValidationError(_("The key of {unit} is not out; there is nothing to return.").format(unit=unit.code), field_name="key")
            new = RETURNED
        else:
            raise ValidationError(_("Choose issue or return."), field_name="key")
        before = allocation.key_state
        allocation.key_state = new
        session.add(LockerKeyEvent(allocation_id=allocation.id, action=new, person=who[:100], at=clock.now(), recorded_by=user.display_name))
        session.flush()
        audit.record(session, user, "locker_allocation", allocation.id, f"key_{action}", {"key": before}, {"key": new, "person": who[:100]})
        return _unit_views(session, [unit], allocation.term)[0]


def receive_mail(ctx: ServiceContext, allocation_id: int, sender: str, note: str = "") -> MailView:
    """Log mail received today for the group of an allocation (``sender`` as written on it)."""
    user = ctx.require(*CASH_ROLES)
    with ctx.db.write() as session:
        allocation = _allocation(session, allocation_id)
        mail = LockerMail(allocation_id=allocation.id, received_on=clock.today(), sender=(sender or "").strip()[:200], note=(note or "").strip()[:500],
                          received_by=user.display_name)
        session.add(mail)
        session.flush()
        audit.record(session, user, "locker_mail", mail.id, "create", None, {"sender": mail.sender, "unit_allocation": allocation.id})
        return _mail_view(session, mail)


def hand_over_mail(ctx: ServiceContext, mail_id: int, person: str) -> MailView:
    """Record that mail ``mail_id`` was handed to ``person``. Refused: handed over already, no person."""
    user = ctx.require(*CASH_ROLES)
    who = (person or "").strip()
    if not who:
        raise ValidationError(_("Name the person the mail is handed to."), field_name="person")
    with ctx.db.write() as session:
        mail = lock_for_edit(session, LockerMail, mail_id, entity="locker_mail", missing=_("There is no mail number {id}.").format(id=mail_id))
        if mail.handed_at is not None:
            raise ValidationError(_("Mail {id} was handed to {person} on {date}.").format(id=mail.id, person=mail.handed_to,
                                                                                          date=format_day(mail.handed_at.date(), weekday=False)), field_name="mail")
        mail.handed_at, mail.handed_to, mail.handed_by = clock.now(), who[:100], user.display_name
        session.flush()
        audit.record(session, user, "locker_mail", mail.id, "hand_over", None, {"to": mail.handed_to})
        return _mail_view(session, mail)
