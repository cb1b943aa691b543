"""備品貸出, what is read: the catalogue of each facility, the units free over a time, loans
(open, overdue, of a group or a booking), the reports' loan counts and what a loan's permit slip
prints. The commands (lend, return, damage and loss, the default catalogue) are in
:mod:`center_app.services.equipment`; the rules are in its docstring (docs/equipment.md).
"""

from __future__ import annotations

import datetime as dt
import functools

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session

from center_app.db.bookings import Booking
from center_app.db.equipment import EquipmentItem, EquipmentLoan
from center_app.db.groups import Group
from center_app.db.models import Facility
from center_app.domain import clock
from center_app.domain.equipment import EquipmentItemView, LoanPermitDocument, LoanStatus, LoanView, parse_classes, parse_windows
from center_app.domain.errors import ValidationError
from center_app.domain.money import CASH_ROLES
from center_app.i18n import _
from center_app.services.context import ServiceContext


def item_view(item: EquipmentItem) -> EquipmentItemView:
    """The frozen view of a catalogue row."""
    windows = tuple(sorted(_windows(item).items()))
    return EquipmentItemView(item.id, item.facility_id, item.code, item.name, item.quantity, item.unit_minutes, item.fee_per_unit_yen,
                             item.fee_per_day_yen, item.max_days, parse_classes(item.classes), windows, item.active, item.version)


def _windows(item: EquipmentItem) -> dict[str, int]:
    """The item's windows; a stored text that does not read (written by hand) is refused with the screen that corrects it."""
    try:
        return parse_windows(item.window_days)
    except ValueError as exc:
        raise ValidationError(_("{item}: {problem} Correct it in 設定 → 備品.").format(item=item.name, problem=exc), field_name="item") from None


def loan_view(loan: EquipmentLoan, item_name: str) -> LoanView:
    """The frozen view of a loan."""
    return LoanView(loan.id, loan.loan_no, loan.item_id, item_name, loan.facility_id, loan.quantity, loan.group_id, loan.borrower_name,
                    loan.applicant_class, loan.start_at, loan.due_at, loan.returned_at, loan.status, loan.fee_yen, loan.booking_id,
                    loan.purpose, loan.version)


# --- catalogue --------------------------------------------------------------------------------------


def items(ctx: ServiceContext, facility_id: int | None = None, *, active_only: bool = True) -> list[EquipmentItemView]:
    """The catalogue (of one facility, or every facility), in the order of 設定 (any signed-in user)."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        query = select(EquipmentItem).order_by(EquipmentItem.facility_id, EquipmentItem.sort_order, EquipmentItem.id)
        if facility_id is not None:
            query = query.where(EquipmentItem.facility_id == facility_id)
        if active_only:
            query = query.where(EquipmentItem.active.is_(True))
        return [item_view(i) for i in session.scalars(query)]


def find_item(session: Session, ref: int | str, facility_id: int | None = None) -> EquipmentItem:
    """The item of id ``ref`` or of code ``ref`` (in ``facility_id`` when given); ValidationError naming it."""
    item = None
    if isinstance(ref, int) or (isinstance(ref, str) and ref.strip().isdigit()):
        item = session.get(EquipmentItem, int(ref))
    if item is None and isinstance(ref, str):
        query = select(EquipmentItem).where(EquipmentItem.code == ref.strip())
        if facility_id is not None:
            query = query.where(EquipmentItem.facility_id == facility_id)
        item = session.scalars(query.order_by(EquipmentItem.id)).first()
    if item is None:
        raise ValidationError(_("There is no equipment item {item}.").format(item=ref), field_name="item")
    return item


# --- availability -----------------------------------------------------------------------------------


def units_out(session: Session, item_id: int, start: dt.datetime, due: dt.datetime, *, now: dt.datetime | None = None,
              exclude_loan: int | None = None) -> int:
    """The most units of ``item_id`` out at any moment of ``[start, due)``: loans not cancelled
    or returned that overlap it; a loan still out past its due time holds its units until it is
    returned (it may not come back)."""
    now = now or clock.now()
    query = select(EquipmentLoan).where(
        EquipmentLoan.item_id == item_id, EquipmentLoan.status == LoanStatus.LENT.value, EquipmentLoan.start_at < due,
        or_(EquipmentLoan.due_at > start, EquipmentLoan.due_at < now),
    )
    loans = [loan for loan in session.scalars(query) if loan.id != exclude_loan]

    def end(loan: EquipmentLoan) -> dt.datetime:
        return dt.datetime.max if loan.due_at < now else loan.due_at

    points = sorted({start, *(max(loan.start_at, start) for loan in loans)})
    return max((sum(loan.quantity for loan in loans if loan.start_at <= moment < end(loan)) for moment in points), default=0)


def available(ctx: ServiceContext, item_id: int, start: dt.datetime, due: dt.datetime) -> int:
    """How many units of the item are free over all of ``[start, due)``."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        item = find_item(session, item_id)
        return max(item.quantity - units_out(session, item.id, start, due), 0)


def find_loan(session: Session, ref: int | str) -> EquipmentLoan:
    """The loan of number ``ref`` (``E2026-000001``, as typed) or id; ValidationError naming it."""
    text = str(ref).strip()
    loan = None
    if text.isdigit():
        loan = session.get(EquipmentLoan, int(text))
    if loan is None:
        loan = session.scalar(select(EquipmentLoan).where(EquipmentLoan.loan_no == normalize_loan_no(text)))
    if loan is None:
        raise ValidationError(_("There is no loan number {number}.").format(number=text), field_name="loan")
    return loan


def normalize_loan_no(text: str) -> str:
    """A loan number as typed (``e2026-12``, full width) in its stored form ``E2026-000012``."""
    import unicodedata

    folded = unicodedata.normalize("NFKC", text or "").strip().upper()
    if folded.startswith("E") and "-" in folded:
        year, _sep, serial = folded[1:].partition("-")
        if year.isdigit() and serial.isdigit():
            return f"E{year}-{int(serial):06d}"
    return folded



# --- lists and counts ------------------------------------------------------------------------------


def loans(ctx: ServiceContext, *, facility_id: int | None = None, open_only: bool = True, group_id: int | None = None,
          booking_id: int | None = None, limit: int = 500) -> list[LoanView]:
    """Loans, newest start first: only those out unless ``open_only`` is False (any signed-in user)."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        query = select(EquipmentLoan, EquipmentItem.name).join(EquipmentItem, EquipmentItem.id == EquipmentLoan.item_id)
        if facility_id is not None:
            query = query.where(EquipmentLoan.facility_id == facility_id)
        if open_only:
            query = query.where(EquipmentLoan.status == LoanStatus.LENT.value)
        if group_id is not None:
            query = query.where(EquipmentLoan.group_id == group_id)
        if booking_id is not None:
            query = query.where(EquipmentLoan.booking_id == booking_id)
        rows = session.execute(query.order_by(EquipmentLoan.start_at.desc(), EquipmentLoan.id.desc()).limit(limit)).all()
        return [loan_view(loan, name) for loan, name in rows]


def overdue_loans(ctx: ServiceContext, facility_id: int | None = None) -> list[LoanView]:
    """Loans still out after their due time (the list on ホーム), the longest overdue first."""
    ctx.require_signed_in()
    now = clock.now()
    with ctx.db.read() as session:
        query = (select(EquipmentLoan, EquipmentItem.name).join(EquipmentItem, EquipmentItem.id == EquipmentLoan.item_id)
                 .where(EquipmentLoan.status == LoanStatus.LENT.value, EquipmentLoan.due_at < now).order_by(EquipmentLoan.due_at))
        if facility_id is not None:
            query = query.where(EquipmentLoan.facility_id == facility_id)
        return [loan_view(loan, name) for loan, name in session.execute(query)]


@functools.cache
def _loan_counts_statement(filtered: bool):
    """Built once per shape and bound at each call (a report runs it every time it is made)."""
    query = (select(EquipmentItem.name, EquipmentItem.facility_id, EquipmentItem.sort_order, EquipmentLoan.quantity, EquipmentLoan.fee_yen)
             .join(EquipmentItem, EquipmentItem.id == EquipmentLoan.item_id)
             .where(EquipmentLoan.status != LoanStatus.CANCELLED.value, EquipmentLoan.start_at >= bindparam("since"),
                    EquipmentLoan.start_at < bindparam("until")))
    return query.where(EquipmentLoan.facility_id == bindparam("facility_id")) if filtered else query


def loan_counts(session: Session, first: dt.date, last: dt.date, facility_id: int | None = None) -> list[tuple[str, int, int, int]]:
    """Loans that started in ``first`` … ``last`` (inclusive), not cancelled, by item: (item name,
    loans, units, fees in yen), in catalogue order — the reports' 備品貸出 table."""
    params: dict = {"since": dt.datetime.combine(first, dt.time(0)), "until": dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0)),
                    "facility_id": facility_id}
    totals: dict[tuple, list[int]] = {}
    for name, fac, order, quantity, fee in session.connection().execute(_loan_counts_statement(facility_id is not None), params):
        row = totals.setdefault((fac, order, name), [0, 0, 0])
        row[0] += 1
        row[1] += quantity
        row[2] += fee
    return [(name, *values) for (_fac, _order, name), values in sorted(totals.items())]


def main_facility_id(ctx: ServiceContext) -> int:
    """The id of the main center (the facility commands use when none is named)."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        found = session.scalar(select(Facility.id).order_by(Facility.is_main.desc(), Facility.sort_order, Facility.id).limit(1))
    if found is None:
        raise ValidationError(_("Unknown facility."), field_name="facility")
    return found


def permit_document(ctx: ServiceContext, loan: int | str, *, issuer_center: str, issuer_head: str) -> LoanPermitDocument:
    """What the permit slip of ``loan`` (number or id) prints, dated today and naming the
    signed-in user as the clerk. ValidationError for an unknown loan."""
    user = ctx.require(*CASH_ROLES)
    with ctx.db.read() as session:
        row = find_loan(session, loan)
        item = session.get(EquipmentItem, row.item_id)
        group = session.get(Group, row.group_id) if row.group_id else None
        booking = session.get(Booking, row.booking_id) if row.booking_id else None
        return LoanPermitDocument(
            row.loan_no, item.name, row.quantity, row.borrower_name, group.registration_no or "" if group else "", row.start_at, row.due_at,
            row.fee_yen, row.purpose, (booking.slip_no or str(booking.id)) if booking else "", issuer_center, issuer_head, clock.today(),
            user.display_name)
