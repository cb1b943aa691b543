"""備品貸出: the equipment catalogue of each facility, loans and returns, damage and loss, the
overdue list (docs/equipment.md). The catalogue, the loans and the counts as read are in
:mod:`center_app.services.equipment_queries`.

Rules (defaults from published practice, configurable per item in 設定 → 備品):

- an item has ``quantity`` units; at no moment are more units out than that: a loan holds its
  units over ``[start, due)``, and a loan still out after its due time holds them until it is
  returned;
- a loan lasts at most the item's ``max_days`` (さいたま, 柏: 7 days);
- only the applicant classes the item names may borrow it (さいたま: registered groups only),
  and each class applies at most its window of days ahead (妙高: community groups 120 days,
  others 60);
- the fee (:func:`center_app.domain.equipment.loan_fee`) becomes a charge paid through the money
  ledger (:mod:`center_app.services.counter_charges`); damage or loss is paid by the borrower
  (妙高), and a loss takes the units out of the catalogue.

Concurrency (docs/architecture.md §5, "Edits"): lending locks the item's row before counting the
units out, so two PCs lending the last unit take turns and the second is told none is left;
returning locks the loan and compares the version the form was opened with.

Who: counter staff and administrators lend, return and record damage; administrators edit the
catalogue (設定 → 備品, through :mod:`center_app.services.config`). Errors (nothing written): ValidationError (an unknown item or loan, bad numbers or
dates), RuleError (none left, too long, a class that may not borrow, beyond the window, a loan
not out), StaleEditError, PermissionDenied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from center_app.db.bookings import Booking
from center_app.db.equipment import EquipmentDamage, EquipmentItem, EquipmentLoan
from center_app.db.groups import Group
from center_app.db.models import ApplicantClass, Facility, Room
from center_app.domain import clock
from center_app.domain.equipment import ChargeKind, DamageKind, LoanStatus, LoanView, loan_fee, parse_classes
from center_app.domain.errors import RuleCode, RuleError, ValidationError
from center_app.domain.fiscal import fiscal_year_of
from center_app.domain.money import CASH_ROLES, parse_yen
from center_app.domain.normalize import clean_text
from center_app.domain.wareki import format_day, format_moment
from center_app.i18n import _
from center_app.services import audit, counter_charges, ledger
from center_app.services.context import ServiceContext
from center_app.services.editing import lock_for_edit
from center_app.services.equipment_queries import _windows, find_item, find_loan, loan_view, units_out

ENTITY_ITEM, ENTITY_LOAN = "equipment_item", "equipment_loan"
LOAN_COUNTER = "loan"


def _when(value: dt.datetime) -> str:
    return format_moment(value)


# --- loans ------------------------------------------------------------------------------------------


def _borrower(session: Session, group_id: int | None, borrower_name: str, applicant_class: str | None) -> tuple[Group | None, str, str]:
    if group_id is not None:
        group = session.get(Group, group_id)
        if group is None:
            raise ValidationError(_("There is no group {group}.").format(group=group_id), field_name="group")
        if group.status != "registered":
            raise RuleError(_("{group} is not a registered group now; equipment is lent to registered groups.").format(group=group.name),
                            RuleCode.REGISTRATION, group.status)
        return group, group.name, applicant_class or "registered"
    name = clean_text(borrower_name or "")
    if not name:
        raise ValidationError(_("Choose the group or enter the borrower's name."), field_name="borrower")
    return None, name[:200], applicant_class or "resident"


def lend(ctx: ServiceContext, item: int | str, *, start: dt.datetime, due: dt.datetime, quantity: int = 1, group_id: int | None = None,
         borrower_name: str = "", applicant_class: str | None = None, booking_id: int | None = None, purpose: str = "",
         facility_id: int | None = None) -> LoanView:
    """Lend ``quantity`` units of ``item`` (id or code; ``facility_id`` narrows a code) for
    ``[start, due)`` to ``group_id`` (a registered group, class ``registered``) or to a named
    borrower (class ``applicant_class``, default ``resident``), optionally with the booking
    ``booking_id``. The fee is the item's (:func:`~center_app.domain.equipment.loan_fee`) and is
    charged at once (paid at the counter with 「収納」).

    Refused, writing nothing: due not after start, start in the past (before today), a quantity
    below 1 (ValidationError); more units than are free at some moment, a loan longer than the
    item's longest, a class that may not borrow the item, a start beyond the class's window, an
    inactive item, a group not registered (RuleError). Returns the loan with its number
    (``E2026-000001``)."""
    user = ctx.require(*CASH_ROLES)
    if quantity < 1:
        raise ValidationError(_("Lend at least one unit."), field_name="quantity")
    if due <= start:
        raise ValidationError(_("The return time must be after the start of the loan."), field_name="due")
    today = clock.today()
    if start.date() < today:
        raise ValidationError(_("A loan cannot start on a past day ({date}).").format(date=format_day(start.date())),
                              field_name="start")
    purpose = clean_text(purpose or "")[:500]
    with ctx.db.write() as session:
        found = find_item(session, item, facility_id)
        locked = lock_for_edit(session, EquipmentItem, found.id, entity=ENTITY_ITEM, missing=_("The item no longer exists."))
        if not locked.active:
            raise RuleError(_("{item} is not lent any more.").format(item=locked.name), RuleCode.STATUS, "inactive")
        group, name, klass = _borrower(session, group_id, borrower_name, applicant_class)
        if session.scalar(select(ApplicantClass.id).where(ApplicantClass.code == klass)) is None:
            raise ValidationError(_("Unknown applicant class {code}.").format(code=klass), field_name="applicant_class")
        classes = parse_classes(locked.classes)
        if classes and klass not in classes:
            names = "、".join(session.scalars(select(ApplicantClass.name).where(ApplicantClass.code.in_(classes))))
            raise RuleError(_("{item} is lent only to {classes}.").format(item=locked.name, classes=names), RuleCode.STATUS, klass)
        window = _windows(locked).get(klass)
        if window is not None and (start.date() - today).days > int(window):
            last = today + dt.timedelta(days=int(window))
            raise RuleError(_("{item} can be applied for at most {days} days ahead (until {date}).").format(
                item=locked.name, days=window, date=format_day(last)), RuleCode.HORIZON, last)
        days = (due.date() - start.date()).days + (1 if due.time() > dt.time(0) else 0)
        if days > locked.max_days:
            raise RuleError(_("{item} is lent for at most {days} days.").format(item=locked.name, days=locked.max_days),
                            RuleCode.HORIZON, locked.max_days)
        booking = None
        if booking_id is not None:
            booking = session.get(Booking, booking_id)
            if booking is None:
                raise ValidationError(_("No booking has the number {number}.").format(number=booking_id), field_name="booking")
            room = session.get(Room, booking.room_id)
            if room.facility_id != locked.facility_id:
                raise ValidationError(_("{item} belongs to another facility than the booked room.").format(item=locked.name), field_name="booking")
        out = units_out(session, locked.id, start, due)
        free = locked.quantity - out
        if quantity > free:
            if free <= 0:
                message = _("{item} is all out between {start} and {due} ({count} units, all lent).").format(
                    item=locked.name, start=_when(start), due=_when(due), count=locked.quantity)
            else:
                message = _("Only {free} of {count} units of {item} are free between {start} and {due}.").format(
                    free=free, count=locked.quantity, item=locked.name, start=_when(start), due=_when(due))
            raise RuleError(message, RuleCode.CAPACITY, free)
        fee = loan_fee(start, due, unit_minutes=locked.unit_minutes, fee_per_unit=locked.fee_per_unit_yen,
                       fee_per_day=locked.fee_per_day_yen, quantity=quantity)
        fiscal_year = fiscal_year_of(start.date() if start.date() > today else today)
        serial = ledger.next_serial(session, LOAN_COUNTER, fiscal_year)
        loan = EquipmentLoan(
            loan_no=f"E{fiscal_year}-{serial:06d}", item_id=locked.id, facility_id=locked.facility_id, quantity=quantity,
            group_id=group.id if group else None, borrower_name=name, applicant_class=klass, booking_id=booking.id if booking else None,
            start_at=start, due_at=due, status=LoanStatus.LENT.value, fee_yen=fee, purpose=purpose, created_at=clock.now(),
            created_by=user.display_name,
        )
        session.add(loan)
        session.flush()
        charge = counter_charges.add_charge(
            session, user, facility_id=locked.facility_id, group_id=loan.group_id, payer_name=name, kind=ChargeKind.LOAN.value,
            description=f"{locked.name} ×{quantity} {loan.loan_no}", amount=fee, day=today)
        loan.charge_id = charge.id if charge else None
        session.flush()
        audit.record(session, user, ENTITY_LOAN, loan.loan_no, "create", None, {
            "item": locked.name, "quantity": quantity, "borrower": name, "start_at": start, "due_at": due, "fee_yen": fee,
            "booking_id": loan.booking_id,
        })
        return loan_view(loan, locked.name)


def return_loan(ctx: ServiceContext, loan: int | str, *, returned_at: dt.datetime | None = None,
                expected_version: int | None = None) -> LoanView:
    """Record the return of ``loan`` (number or id) at ``returned_at`` (default now). Refused:
    a loan that is not out — already returned or cancelled (RuleError naming when), a return
    before the loan started or in the future (ValidationError), another PC's change since the
    form was opened (StaleEditError)."""
    user = ctx.require(*CASH_ROLES)
    now = clock.now()
    when = returned_at or now
    with ctx.db.write() as session:
        found = find_loan(session, loan)
        row = lock_for_edit(session, EquipmentLoan, found.id, entity=ENTITY_LOAN, missing=_("The loan no longer exists."),
                            expected_version=expected_version)
        if row.status != LoanStatus.LENT.value:
            if row.status == LoanStatus.RETURNED.value and row.returned_at is not None:
                message = _("Loan {number} is not out: it was returned on {when}.").format(number=row.loan_no, when=_when(row.returned_at))
            else:
                message = _("Loan {number} is not out ({status}).").format(number=row.loan_no, status=LoanView.status_label.fget(loan_view(row, "")))
            raise RuleError(message, RuleCode.STATUS, row.status)
        if when > now:
            raise ValidationError(_("A return cannot be recorded in the future."), field_name="returned_at")
        if when < row.start_at:
            raise ValidationError(_("The return ({when}) is before the loan started ({start}).").format(when=_when(when), start=_when(row.start_at)),
                                  field_name="returned_at")
        row.status, row.returned_at, row.returned_by = LoanStatus.RETURNED.value, when, user.display_name
        session.flush()
        item = session.get(EquipmentItem, row.item_id)
        audit.record(session, user, ENTITY_LOAN, row.loan_no, "return", {"status": LoanStatus.LENT.value},
                     {"status": LoanStatus.RETURNED.value, "returned_at": when})
        return loan_view(row, item.name)


def record_damage(ctx: ServiceContext, loan: int | str, kind: str, description: str, amount: str | int, *, units: int = 1) -> LoanView:
    """Record 破損 (``damage``) or 紛失 (``loss``) of ``units`` units of a loan's item, with what
    the borrower pays (``amount`` whole yen, 0 for nothing) as a charge. A loss takes the units
    out of the catalogue's quantity. Refused: an unknown kind, an empty description, an amount
    that is not whole yen or negative, more units than were lent (ValidationError)."""
    user = ctx.require(*CASH_ROLES)
    try:
        damage_kind = DamageKind((kind or "").strip())
    except ValueError:
        raise ValidationError(_("Choose damage or loss."), field_name="kind") from None
    text = clean_text(description or "")
    if not text:
        raise ValidationError(_("Describe the damage or loss."), field_name="description")
    try:
        yen = parse_yen(amount, field="amount")
    except ValueError as exc:
        raise ValidationError(str(exc), field_name="amount") from None
    if yen < 0:
        raise ValidationError(_("The amount cannot be negative."), field_name="amount")
    with ctx.db.write() as session:
        found = find_loan(session, loan)
        row = lock_for_edit(session, EquipmentLoan, found.id, entity=ENTITY_LOAN, missing=_("The loan no longer exists."))
        if units < 1 or units > row.quantity:
            raise ValidationError(_("Enter from 1 to {count} units.").format(count=row.quantity), field_name="units")
        item = lock_for_edit(session, EquipmentItem, row.item_id, entity=ENTITY_ITEM, missing=_("The item no longer exists."))
        label = _("Damage") if damage_kind == DamageKind.DAMAGE else _("Loss")
        charge = counter_charges.add_charge(session, user, facility_id=row.facility_id, group_id=row.group_id, payer_name=row.borrower_name,
                                            kind=ChargeKind.DAMAGE.value, description=f"{label}: {item.name} ×{units} {row.loan_no}",
                                            amount=yen, day=clock.today())
        session.add(EquipmentDamage(loan_id=row.id, kind=damage_kind.value, units=units, description=text[:1000], amount_yen=yen,
                                    charge_id=charge.id if charge else None, recorded_at=clock.now(), recorded_by=user.display_name))
        if damage_kind == DamageKind.LOSS:
            before = item.quantity
            item.quantity = max(item.quantity - units, 0)
            audit.record(session, user, ENTITY_ITEM, item.id, "update", {"quantity": before}, {"quantity": item.quantity}, note=row.loan_no)
        session.flush()
        audit.record(session, user, ENTITY_LOAN, row.loan_no, damage_kind.value, None,
                     {"units": units, "amount_yen": yen, "description": text})
        return loan_view(row, item.name)


def seed_items(session: Session, facility: Facility, specs: Sequence[Mapping[str, Any]]) -> None:
    """The default catalogue of a new database's facility (``resources/seed/default_center.json``)."""
    for order, spec in enumerate(specs, start=1):
        session.add(EquipmentItem(
            facility_id=facility.id, code=spec["code"], name=spec["name"], quantity=int(spec.get("quantity", 1)),
            unit_minutes=int(spec.get("unit_minutes", 180)), fee_per_unit_yen=int(spec.get("fee_per_unit_yen", 0)),
            fee_per_day_yen=int(spec.get("fee_per_day_yen", 0)), max_days=int(spec.get("max_days", 7)),
            classes=" ".join(spec.get("classes", [])), window_days=" ".join(f"{k}={v}" for k, v in spec.get("window_days", {}).items()),
            sort_order=order,
        ))
