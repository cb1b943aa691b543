"""What the 使用許可書 and the 領収書 show, read from the bookings, the ledger and 設定 (the
builders are :func:`center_app.services.documents.permit_pdf` and
:func:`~center_app.services.documents.receipt_pdf`).

- A permit is numbered (``P2026-000001``) when first printed and covers a fixed set of bookings
  of one applicant (a series, or several dates); printing the same set again is a 再発行. A
  booking is on one permit only. Cancelled and provisional bookings get no permit (a 仮予約 has
  its booking slip until it is confirmed).
- A receipt is printed only for a recorded payment. The first print asked as the original (the
  counter prints it right after recording the payment) is the original; every other print is a
  再発行 — also after a crash between "payment written" and "receipt printed": nothing is lost,
  the receipt comes from the ledger.
Each print is recorded (permits: ``print_count``; receipts: ``receipt_prints``) and audited.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from center_app.db.bookings import Booking
from center_app.db.equipment import CounterCharge, CounterChargePayment
from center_app.db.groups import Group
from center_app.db.models import ApplicantClass, Facility, Room
from center_app.db.money import Payment, PaymentAllocation, Permit, PermitBooking, ReceiptPrint
from center_app.domain import clock, document_texts
from center_app.domain.booking_values import BookingStatus, status_label
from center_app.domain.center_settings import CONDITIONS_OF_USE, PAYMENT_DEADLINE_DAYS, RECEIPT_PROVISO, RECEIPT_TAX_LINE
from center_app.domain.document_names import NameTable
from center_app.domain.documents import Issuer, PermitDocument, PermitLine, ReceiptDocument, ReceiptLine, applicant_class_name
from center_app.domain.errors import RuleCode, RuleError, ValidationError
from center_app.domain.fiscal import fiscal_year_of
from center_app.domain.money import PERMIT, format_number, method_label, payment_deadline
from center_app.i18n import _
from center_app.services import audit, center_settings
from center_app.services import ledger_queries as q
from center_app.services.context import CurrentUser
from center_app.services.ledger import load_payment, lock_bookings, same_applicant, next_serial, slip_label


def _conditions(session: Session, rooms: Sequence[Room]) -> tuple[str, ...]:
    """設定's conditions for every room, then each room's own (named when there are several)."""
    lines = [line.strip() for line in center_settings.get(session, CONDITIONS_OF_USE).splitlines() if line.strip()]
    several = len({r.id for r in rooms}) > 1
    seen = set()
    for room in rooms:
        if room.id in seen:
            continue
        seen.add(room.id)
        for line in (room.conditions or "").splitlines():
            if line.strip():
                lines.append(f"{room.name}: {line.strip()}" if several else line.strip())
    return tuple(lines)


def _applicant(session: Session, booking: Booking, language: str, names: NameTable | None = None) -> tuple[str, str, str, str]:
    """(registration number, address, representative, class name in ``language``; ``names``: 設定's
    names in the documents' languages)."""
    klass = session.scalar(select(ApplicantClass).where(ApplicantClass.code == booking.applicant_class_code))
    configured = klass.name if klass else booking.applicant_class_code
    class_name = applicant_class_name(booking.applicant_class_code, configured, language, (names or {}).get(configured))
    group = session.get(Group, booking.group_id) if booking.group_id else None
    if group is None:
        return "", "", "", class_name
    address = " ".join(p for p in (f"〒{group.postal_code}" if group.postal_code else "", group.address) if p)
    return group.registration_no or "", address, group.representative_name, class_name


def _permit_for(session: Session, user: CurrentUser, bookings: list[Booking]) -> tuple[Permit, bool]:
    """The permit of exactly these bookings: the existing one (a reprint) or a new number."""
    ids = {b.id for b in bookings}
    links = dict(session.execute(select(PermitBooking.booking_id, PermitBooking.permit_id).where(PermitBooking.booking_id.in_(ids))).all())
    permit_ids = set(links.values())
    if not permit_ids:
        today = clock.today()
        fiscal_year = fiscal_year_of(today)
        serial = next_serial(session, PERMIT, fiscal_year, "")
        permit = Permit(permit_no=format_number(PERMIT, fiscal_year, serial), issued_on=today, issued_by=user.display_name, print_count=0)
        session.add(permit)
        session.flush()
        for booking_id in sorted(ids):
            session.add(PermitBooking(permit_id=permit.id, booking_id=booking_id))
        session.flush()
        return permit, False
    permit = session.get(Permit, min(permit_ids))
    covered = set(session.scalars(select(PermitBooking.booking_id).where(PermitBooking.permit_id == permit.id)))
    if len(permit_ids) > 1 or covered != ids:
        other = next(b for b in bookings if b.id in links)
        raise RuleError(
            _("Booking {slip} is on permit {permit}, which covers other bookings; print that permit again for the same bookings.").format(
                slip=slip_label(other), permit=permit.permit_no),
            RuleCode.STATUS, permit.permit_no,
        )
    return permit, permit.print_count > 0


def permit_document(session: Session, user: CurrentUser, booking_ids: Sequence[int], language: str, issuer: Issuer, *,
                    paid_now: dict[int, int] | None = None, names: NameTable | None = None) -> PermitDocument:
    """The permit of ``booking_ids`` inside the caller's write transaction: numbers it (or finds
    it for a reprint), counts the print and audits it. Refuses (ValidationError / RuleError naming
    the booking) unknown, cancelled or provisional bookings, bookings of several applicants, and a
    set of bookings that differs from the permit some of them are already on."""
    if not booking_ids:
        raise ValidationError(_("Choose the bookings the permit is for."), field_name="booking")
    locked = lock_bookings(session, booking_ids)
    bookings = sorted(locked.values(), key=lambda b: (b.start_at, b.id))
    for b in bookings:
        if b.status in (BookingStatus.CANCELLED, BookingStatus.PROVISIONAL):
            raise RuleError(
                _("Booking {slip} is {status}: a permit is issued for confirmed bookings only.").format(slip=slip_label(b), status=status_label(b.status)),
                RuleCode.STATUS, b.status,
            )
    same_applicant(bookings, "permit")
    permit, reissue = _permit_for(session, user, bookings)
    permit.print_count += 1
    audit.record(session, user, "permit", permit.permit_no, "reprint" if reissue else "create", None,
                 {"bookings": [slip_label(b) for b in bookings], "print_count": permit.print_count})
    rooms = {r.id: r for r in session.scalars(select(Room).where(Room.id.in_({b.room_id for b in bookings})))}
    facilities = {f.id: f for f in session.scalars(select(Facility).where(Facility.id.in_({r.facility_id for r in rooms.values()})))}
    money = q.money_of(session, bookings)
    days_before = center_settings.get(session, PAYMENT_DEADLINE_DAYS)
    unpaid_days = [b.start_at.date() for b in bookings if money[b.id].outstanding > 0 and not (paid_now or {}).get(b.id)]
    first = bookings[0]
    registration_no, address, representative, class_name = _applicant(session, first, language, names)
    facility = facilities[rooms[first.room_id].facility_id]
    lines = tuple(
        PermitLine(
            slip_no=b.slip_no or "", facility_name=facilities[rooms[b.room_id].facility_id].name, room_name=rooms[b.room_id].name,
            start=b.start_at, end=b.end_at, slot_names=tuple(b.slot_names or ()), people=b.expected_people, purpose=b.purpose,
            gross=b.gross_fee_yen, waived=b.waived_yen, fee=b.fee_yen, exemption_name=b.exemption_name, exemption_rate=b.exemption_rate_percent,
        )
        for b in bookings
    )
    return PermitDocument(
        permit_no=permit.permit_no, issued_on=permit.issued_on, applicant_name=first.applicant_name, registration_no=registration_no,
        address=address, representative=representative, applicant_class_name=class_name, lines=lines,
        paid=sum(min(money[b.id].net, b.fee_yen) for b in bookings if money[b.id].net > 0),
        deadline=payment_deadline(min(unpaid_days), days_before) if unpaid_days else None,
        conditions=_conditions(session, [rooms[b.room_id] for b in bookings]), issuer=issuer,
        facility_address=facility.address, facility_phone=facility.phone, clerk=user.display_name, reissue=reissue,
    )


def receipt_document(session: Session, user: CurrentUser, receipt_no: str, language: str, issuer: Issuer, *, original: bool,
                     with_permit: bool, names: NameTable | None = None) -> ReceiptDocument:
    """The receipt of ``receipt_no`` inside the caller's write transaction; the print is recorded
    (an original only when ``original`` and never printed before; otherwise 再発行). With
    ``with_permit`` and no permit yet for its bookings, it is a 使用許可書兼領収書 (the permit is
    numbered with it). ValidationError for an unknown receipt number."""
    payment: Payment = load_payment(session, receipt_no)
    printed = session.scalar(select(func.count()).select_from(ReceiptPrint).where(ReceiptPrint.payment_id == payment.id)) or 0
    reissue = printed > 0 or not original
    session.add(ReceiptPrint(payment_id=payment.id, printed_at=clock.now(), printed_by=user.display_name, reissue=reissue))
    audit.record(session, user, "payment", payment.receipt_no, "reprint" if reissue else "print")
    rows = session.execute(
        select(PaymentAllocation.booking_id, PaymentAllocation.amount_yen, Booking.slip_no, Booking.start_at, Booking.end_at, Room.name)
        .join(Booking, Booking.id == PaymentAllocation.booking_id).join(Room, Room.id == Booking.room_id)
        .where(PaymentAllocation.payment_id == payment.id).order_by(Booking.start_at, Booking.id)
    ).all()
    voided = q.is_voided(session, "payment", payment.id) is not None
    permit = None
    if with_permit and not voided:
        ids = [r.booking_id for r in rows]
        has_permit = session.scalar(select(PermitBooking.permit_id).where(PermitBooking.booking_id.in_(ids)).limit(1))
        statuses = set(session.scalars(select(Booking.status).where(Booking.id.in_(ids))))
        if has_permit is None and not statuses & {BookingStatus.CANCELLED, BookingStatus.PROVISIONAL}:
            permit = permit_document(session, user, ids, language, issuer, paid_now={r.booking_id: r.amount_yen for r in rows}, names=names)
            permit = _without_this_payment(permit, payment.amount_yen)
    settings = center_settings.get_many(session, (RECEIPT_PROVISO, RECEIPT_TAX_LINE))
    proviso = (_charges_proviso(session, payment.id) if not rows else "") or settings[RECEIPT_PROVISO.key]
    facility = session.get(Facility, payment.facility_id)
    return ReceiptDocument(
        receipt_no=payment.receipt_no, received_on=payment.received_on, payer_name=payment.payer_name, amount=payment.amount_yen,
        method=payment.method, method_label=method_label(payment.method) if language == "ja" else _method_in(payment.method, language),
        lines=tuple(ReceiptLine(r.slip_no or "", r.name, r.start_at, r.end_at, r.amount_yen) for r in rows),
        proviso=proviso, tax_line=settings[RECEIPT_TAX_LINE.key], issuer=issuer, clerk=payment.recorded_by,
        facility_address=facility.address if facility else "", facility_phone=facility.phone if facility else "",
        reissue=reissue, voided=voided, permit=permit,
    )


#: 但し書き of a receipt that pays charges of the counter's other services, by charge kind.
_CHARGE_PROVISOS = {"loan": "備品使用料", "damage": "備品の弁償金", "printing": "印刷機使用料"}


def _charges_proviso(session: Session, payment_id: int) -> str:
    """「備品使用料として」, 「印刷機使用料として」… for a payment of equipment, damage or printing charges
    (none: an empty text, and the receipt says what 設定 says)."""
    kinds = session.scalars(select(CounterCharge.kind).join(CounterChargePayment, CounterChargePayment.charge_id == CounterCharge.id)
                            .where(CounterChargePayment.payment_id == payment_id).distinct()).all()
    names = [_CHARGE_PROVISOS.get(kind, kind) for kind in sorted(kinds)]
    return f"{'・'.join(names)}として" if names else ""


def _without_this_payment(permit: PermitDocument, amount: int) -> PermitDocument:
    """The combined document shows this payment in its receipt part: the permit's "paid" is
    what was paid before it."""
    return dataclasses.replace(permit, paid=max(permit.paid - amount, 0))


def _method_in(code: str, language: str) -> str:
    """A payment method in a receipt's language other than Japanese (document_texts' METHODS)."""
    return document_texts.texts(language).METHODS.get(code, code)


def printed_receipts(session: Session, payment_id: int) -> int:
    """How often a receipt was printed."""
    return int(session.scalar(select(func.count()).select_from(ReceiptPrint).where(ReceiptPrint.payment_id == payment_id)) or 0)


def allocated_bookings(session: Session, payment_id: int) -> list[int]:
    """Ids of the bookings a payment pays, in date order."""
    return list(session.scalars(
        select(PaymentAllocation.booking_id).join(Booking, Booking.id == PaymentAllocation.booking_id)
        .where(PaymentAllocation.payment_id == payment_id).order_by(Booking.start_at, Booking.id)
    ))


def booking_language(session: Session, booking_id: int) -> str:
    """The applicant's language of documents (``bookings.language``)."""
    return session.scalar(select(Booking.language).where(Booking.id == booking_id)) or "ja"
