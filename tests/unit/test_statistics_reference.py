"""The usage summary of a generated demo data set against a reference computed figure by figure.

Every figure of the monthly and fiscal-year summaries (rooms × months, facilities, months,
applicant classes, 減免 reasons, the most active groups, registrations, consultations) is
worked out here with its own plain query — one COUNT or SUM with the figure's condition, no
grouping tricks — and compared with what :func:`statistics.summarize` returns. The summary made
in the middle of a month, so 実績 and 予定 are both present, with the ledger's payments, refunds
and voids, and the anonymous counts kept for deleted consultations.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from center_app.db.bookings import Booking
from center_app.db.consultations import (
    Consultation,
    ConsultationActivityField,
    ConsultationCount,
    ConsultationTopic,
    ConsultationTopicLink,
)
from center_app.db.groups import ActivityField, Group
from center_app.db.models import ApplicantClass, Facility, FeeExemption, Room, StaffUser, TimeSlot
from center_app.db.money import LedgerVoid, Payment, PaymentAllocation, Refund
from center_app.domain.closed_days import day_status
from center_app.domain.statistics_values import BookingFigures, Count, Period
from center_app.services import statistics
from center_app.services.consultations_values import CLIENT_TYPES, METHODS
from center_app.services.demo import Profile, generate
from center_app.services.facilities import closed_day_rules

pytestmark = pytest.mark.postgres

TODAY = dt.date(2026, 11, 18)
DEMO = Profile(groups=80, history_days=420, future_days=75, slot_share=0.3, split_share=0.3, bookings=None, consultations=300)
# anonymous counts of deleted consultations (dimension, value, count, minutes), October 2026
KEPT = [("total", "", 5, 150), ("method", "phone", 3, 0), ("method", "visit", 2, 0), ("client_type", "individual", 5, 0),
        ("topic", "会場・施設の利用", 2, 0), ("topic", "廃止されたテーマ", 1, 0), ("activity_field", "1", 2, 0)]


@pytest.fixture
def demo_ctx(admin_ctx, coordinator_ctx, clock):
    generate(admin_ctx.db, DEMO, seed=5, today=TODAY)
    with admin_ctx.db.write() as session:
        session.add_all(ConsultationCount(year=2026, month=10, dimension=d, value=v, count=n, minutes=m) for d, v, n, m in KEPT)
    clock(TODAY)
    return admin_ctx


def _value(session, expression, *conditions) -> int:
    return int(session.scalar(select(func.coalesce(expression, 0)).where(*conditions)) or 0)


def _booking_figures(session, conditions, start, end, today, available: int) -> BookingFigures:
    """One room's (or class's) figures over [start, end), each figure its own query."""
    base = [Booking.start_at >= start, Booking.start_at < end, *conditions]
    used = [*base, Booking.status != "cancelled", Booking.start_at < today]
    planned = [*base, Booking.status != "cancelled", Booking.start_at >= today]
    return BookingFigures(
        bookings=_value(session, func.count(Booking.id), *used),
        slots_used=_value(session, func.sum(Booking.slot_units), *used),
        available_slots=available,
        attendance=_value(session, func.sum(Booking.attendance), *used),
        fees_yen=_value(session, func.sum(Booking.fee_yen), *used),
        waived_yen=_value(session, func.sum(Booking.waived_yen), *used),
        cancellations=_value(session, func.count(Booking.id), *base, Booking.status == "cancelled"),
        no_shows=_value(session, func.count(Booking.id), *base, Booking.status == "no_show"),
        planned_bookings=_value(session, func.count(Booking.id), *planned),
        planned_slots=_value(session, func.sum(Booking.slot_units), *planned),
    )


def _income(session, room_id: int, first: dt.date, last: dt.date) -> int:
    """Payments (not voided) received from ``first`` to ``last`` for the room's bookings, less
    refunds (not voided) paid then."""
    received = _value(
        session, func.sum(PaymentAllocation.amount_yen),
        PaymentAllocation.payment_id == Payment.id, PaymentAllocation.booking_id == Booking.id, Booking.room_id == room_id,
        Payment.received_on >= first, Payment.received_on <= last,
        Payment.id.not_in(select(LedgerVoid.entry_id).where(LedgerVoid.entry_kind == "payment")),
    )
    refunded = _value(
        session, func.sum(Refund.amount_yen),
        Refund.booking_id == Booking.id, Booking.room_id == room_id, Refund.kind == "refund",
        Refund.refunded_on >= first, Refund.refunded_on <= last,
        Refund.id.not_in(select(LedgerVoid.entry_id).where(LedgerVoid.entry_kind == "refund")),
    )
    return received - refunded


def _open_days(session, facility_id: int, first: dt.date, last: dt.date) -> int:
    rules = closed_day_rules(session, facility_id)
    return sum(day_status(first + dt.timedelta(days=i), rules).is_open for i in range((last - first).days + 1))


def _reference_rooms(session, period: Period, facility_id: int | None, today: dt.datetime):
    """(room id, facility id, by month) of every room of the facilities, in display order."""
    facilities = session.execute(select(Facility.id).where(*([Facility.id == facility_id] if facility_id else []))
                                 .order_by(Facility.sort_order, Facility.id)).scalars().all()
    rooms = []
    for fid in facilities:
        slots = _value(session, func.count(TimeSlot.id), TimeSlot.facility_id == fid, TimeSlot.active.is_(True), TimeSlot.is_all_day.is_(False))
        for room_id in session.scalars(select(Room.id).where(Room.facility_id == fid).order_by(Room.sort_order, Room.id)):
            by_month = []
            for (year, month), last in zip(period.months, period.month_last_days(), strict=True):
                first = dt.date(year, month, 1)
                start, end = dt.datetime.combine(first, dt.time(0)), dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0))
                figures = _booking_figures(session, [Booking.room_id == room_id], start, end, today,
                                           _open_days(session, fid, first, last) * slots)
                by_month.append(BookingFigures(**{**figures.__dict__, "income_yen": _income(session, room_id, first, last)}))
            rooms.append((room_id, fid, tuple(by_month)))
    return facilities, rooms


def _check_bookings(session, summary, period: Period, facility_id: int | None, today: dt.datetime) -> None:
    facilities, rooms = _reference_rooms(session, period, facility_id, today)
    assert [(r.room_id, r.by_month) for r in summary.rooms] == [(room_id, by_month) for room_id, _fid, by_month in rooms]
    assert [r.figures for r in summary.rooms] == [BookingFigures.total(by_month) for _r, _f, by_month in rooms]
    assert [f.facility_id for f in summary.facilities] == facilities
    for facility in summary.facilities:
        own = [by_month for _r, fid, by_month in rooms if fid == facility.facility_id]
        assert facility.rooms == len(own)
        assert facility.figures == BookingFigures.total(f for by_month in own for f in by_month)
        assert facility.open_days == _open_days(session, facility.facility_id, period.first, period.last)
        assert facility.days == (period.last - period.first).days + 1
    assert [(m.year, m.month) for m in summary.months] == list(period.months)
    assert [m.figures for m in summary.months] == [BookingFigures.total(by_month[i] for _r, _f, by_month in rooms)
                                                   for i in range(len(period.months))]

    room_ids = [room_id for room_id, _f, _m in rooms]
    start, end = period.month_bounds()[0], period.month_bounds()[-1]
    in_rooms = [Booking.room_id.in_(room_ids)]
    classes = session.execute(select(ApplicantClass.code, ApplicantClass.name).order_by(ApplicantClass.sort_order, ApplicantClass.id)).all()
    assert [(c.code, c.name, c.figures) for c in summary.classes] == [
        (code, name, _booking_figures(session, [*in_rooms, Booking.applicant_class_code == code], start, end, today, 0)) for code, name in classes
    ]
    used = [*in_rooms, Booking.start_at >= start, Booking.start_at < end, Booking.status != "cancelled", Booking.start_at < today]
    exemptions = session.execute(select(FeeExemption.code, FeeExemption.name, FeeExemption.rate_percent).order_by(FeeExemption.sort_order, FeeExemption.id)).all()
    assert [(e.code, e.name, e.rate_percent, e.bookings, e.gross_fee_yen, e.waived_yen) for e in summary.exemptions] == [
        (code, name, rate, _value(session, func.count(Booking.id), *used, Booking.exemption_code == code),
         _value(session, func.sum(Booking.gross_fee_yen), *used, Booking.exemption_code == code),
         _value(session, func.sum(Booking.waived_yen), *used, Booking.exemption_code == code))
        for code, name, rate in exemptions
    ]
    groups = []
    for group_id in set(session.scalars(select(Booking.group_id).where(*used, Booking.group_id.is_not(None)))):
        group = session.get(Group, group_id)
        figures = [_value(session, func.count(Booking.id), *used, Booking.group_id == group_id),
                   _value(session, func.sum(Booking.slot_units), *used, Booking.group_id == group_id),
                   _value(session, func.sum(Booking.attendance), *used, Booking.group_id == group_id)]
        groups.append((-figures[1], -figures[0], group.name_kana, group_id, (group_id, group.registration_no or "", group.name, *figures)))
    expected_top = [entry[-1] for entry in sorted(groups)[: statistics.TOP_GROUPS]]
    assert [(g.group_id, g.registration_no, g.name, g.bookings, g.slots_used, g.attendance) for g in summary.top_groups] == expected_top
    if period.first < today.date():
        assert summary.top_groups and any(e.bookings for e in summary.exemptions)


def _check_registrations(session, summary, period: Period) -> None:
    expected = []
    for (year, month), last in zip(period.months, period.month_last_days(), strict=True):
        first = dt.date(year, month, 1)
        expected.append((
            year, month,
            _value(session, func.count(Group.id), Group.status != "applied", Group.registered_on >= first, Group.registered_on <= last),
            _value(session, func.count(Group.id), Group.renewed_on >= first, Group.renewed_on <= last),
            _value(session, func.count(Group.id), Group.status == "withdrawn", Group.status_changed_on >= first, Group.status_changed_on <= last),
            _value(session, func.count(Group.id), Group.registered_on <= last, Group.valid_until >= last,
                   (Group.status == "registered") | (Group.status.in_(("paused", "withdrawn")) & (Group.status_changed_on > last))),
        ))
    assert [(m.year, m.month, m.new, m.renewed, m.withdrawn, m.active_at_end) for m in summary.registrations.months] == expected
    assert sum(m.active_at_end for m in summary.registrations.months) > 0


def _check_consultations(session, summary, period: Period) -> None:
    figures = summary.consultations
    first, last = period.first, period.last
    in_period = [Consultation.consulted_on >= first, Consultation.consulted_on <= last]
    ym = ConsultationCount.year * 100 + ConsultationCount.month
    kept_in = [ym >= period.months[0][0] * 100 + period.months[0][1], ym <= period.months[-1][0] * 100 + period.months[-1][1]]

    def kept(dimension, value=None):
        return _value(session, func.sum(ConsultationCount.count), *kept_in, ConsultationCount.dimension == dimension,
                      *([ConsultationCount.value == value] if value is not None else []))

    by_month = []
    for (year, month), month_last in zip(period.months, period.month_last_days(), strict=True):
        by_month.append(_value(session, func.count(Consultation.id), Consultation.consulted_on >= dt.date(year, month, 1),
                               Consultation.consulted_on <= month_last)
                        + _value(session, func.sum(ConsultationCount.count), ConsultationCount.year == year,
                                 ConsultationCount.month == month, ConsultationCount.dimension == "total"))
    assert figures.by_month == tuple(by_month)
    assert figures.total == sum(by_month)
    assert figures.total or period.first > TODAY
    assert figures.deleted == kept("total")
    assert figures.minutes == (_value(session, func.sum(Consultation.duration_minutes), *in_period)
                               + _value(session, func.sum(ConsultationCount.minutes), *kept_in, ConsultationCount.dimension == "total"))
    assert [(c.key, c.count) for c in figures.by_method] == [
        (code, _value(session, func.count(Consultation.id), *in_period, Consultation.method == code) + kept("method", code)) for code in METHODS
    ]
    assert [(c.key, c.count) for c in figures.by_client_type] == [
        (code, _value(session, func.count(Consultation.id), *in_period, Consultation.client_type == code) + kept("client_type", code))
        for code in CLIENT_TYPES
    ]
    topics = []
    for topic_id, name in session.execute(select(ConsultationTopic.id, ConsultationTopic.name).order_by(ConsultationTopic.sort_order, ConsultationTopic.id)):
        topics.append((name, _value(session, func.count(ConsultationTopicLink.consultation_id), ConsultationTopicLink.topic_id == topic_id,
                                    ConsultationTopicLink.consultation_id == Consultation.id, *in_period) + kept("topic", name)))
    configured = {name for name, _n in topics}
    topics += sorted((value, n) for dimension, value, n, _m in KEPT
                     if dimension == "topic" and value not in configured and period.first <= dt.date(2026, 10, 1) <= period.last)
    assert [(c.key, c.count) for c in figures.by_topic] == topics
    fields = [
        (str(code), short, _value(session, func.count(ConsultationActivityField.consultation_id), ConsultationActivityField.field_code == code,
                                  ConsultationActivityField.consultation_id == Consultation.id, *in_period) + kept("activity_field", str(code)))
        for code, short in session.execute(select(ActivityField.code, ActivityField.short_name).order_by(ActivityField.code))
    ]
    assert [(c.key, c.label, c.count) for c in figures.by_field] == fields
    staff = [
        Count(str(staff_id), name, _value(session, func.count(Consultation.id), *in_period, Consultation.staff_user_id == staff_id))
        for staff_id, name in session.execute(select(StaffUser.id, StaffUser.display_name))
    ]
    staff = sorted((c for c in staff if c.count), key=lambda c: (-c.count, c.label))
    assert list(figures.by_staff) == staff + ([Count("", figures.by_staff[-1].label, figures.deleted)] if figures.deleted else [])


@pytest.mark.parametrize("period, facility_code", [
    (Period.of_month(2026, 10), None),  # all 実績, with the kept counts of deleted consultations
    (Period.of_month(2026, 11), None),  # today in the middle: 実績 and 予定
    (Period.of_month(2026, 12), None),  # all 予定
    (Period.of_month(2026, 11), "main"),
    (Period.of_fiscal_year(2026), None),
    (Period.of_fiscal_year(2026), "shirane"),
])
def test_every_figure_of_the_summary_matches_its_own_query(demo_ctx, period, facility_code):
    facility_id = statistics.find_facility(demo_ctx, facility_code).id if facility_code else None
    summary = statistics.summarize(demo_ctx, period, facility_id)
    today = dt.datetime.combine(TODAY, dt.time(0))
    with demo_ctx.db.read() as session:
        _check_bookings(session, summary, period, facility_id, today)
        _check_registrations(session, summary, period)
        _check_consultations(session, summary, period)
    assert any(r.figures.income_yen for r in summary.rooms) or period.first > TODAY
    if period.first <= TODAY <= period.last:
        assert summary.total.bookings and summary.total.planned_bookings


def test_fiscal_year_trend_is_the_summary_booking_section(demo_ctx):
    summary = statistics.summarize(demo_ctx, Period.of_fiscal_year(2026))
    trend = statistics.fiscal_year_trend(demo_ctx, 2026)
    assert (trend.rooms, trend.facilities, trend.months) == (summary.rooms, summary.facilities, summary.months)
