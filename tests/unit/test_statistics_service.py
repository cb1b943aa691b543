"""The usage summary against figures worked out by hand (tests/unit/statistics_support.py)."""

from __future__ import annotations

import datetime as dt

import pytest
import statistics_support as data

from center_app.domain.errors import PermissionDenied, ValidationError
from center_app.domain.statistics_values import BookingFigures, Period, last_month, parse_fiscal_year, parse_month
from center_app.services import statistics
from center_app.services.context import ServiceContext

pytestmark = pytest.mark.postgres

OCTOBER = Period.of_month(2026, 10)


@pytest.fixture
def ctx(admin_ctx, coordinator_ctx, clock):
    data.build(admin_ctx)
    clock(data.AFTER)  # the reports are made after the data set's last day: everything is 実績
    return admin_ctx


def rooms_by_code(summary):
    return {r.room_code: r for r in summary.rooms}


def test_october_per_room_figures_for_all_facilities(ctx):
    summary = statistics.summarize(ctx, OCTOBER)
    rooms = rooms_by_code(summary)
    assert len(summary.rooms) == 19
    # M1: b1 (午前, 公益 100%), b2 (closed Monday with an override), b3 (全日 on the holiday Monday)
    assert rooms["M1"].figures == BookingFigures(
        bookings=3, slots_used=5, available_slots=81, attendance=38, fees_yen=950, waived_yen=850, cancellations=0, no_shows=0
    )
    assert rooms["M1"].figures.occupancy == pytest.approx(5 / 81)
    # M2: b4 cancelled (not counted), b5 no-show (counted: it held the room)
    assert rooms["M2"].figures == BookingFigures(1, 1, 81, 0, 300, 0, 1, 1)
    assert rooms["HALL"].figures == BookingFigures(1, 1, 81, 50, 0, 1600, 0, 0)
    assert rooms["HA1"].figures == BookingFigures(1, 1, 81, 5, 220, 230, 0, 0)
    assert rooms["WA"].figures == BookingFigures(available_slots=81)
    assert rooms["WA"].figures.occupancy == 0
    assert summary.total == BookingFigures(6, 8, 1539, 93, 1470, 2680, 1, 1)
    main = next(f for f in summary.facilities if f.code == "main")
    assert (main.days, main.open_days, main.closed_days, main.rooms) == (31, 27, 4, 7)
    assert main.figures == BookingFigures(5, 7, 567, 88, 1250, 2450, 1, 1)
    assert [m.figures for m in summary.months] == [summary.total]


def test_open_days_follow_the_closed_day_rules(ctx):
    def main_open_days(period):
        return next(f for f in statistics.summarize(ctx, period).facilities if f.code == "main").open_days

    # October 2026: closed Mondays 5, 19, 26; Monday 12 is スポーツの日 (open), Tuesday 13 closed instead
    assert main_open_days(OCTOBER) == 27
    # December 2026: Mondays 7, 14, 21, 28 and the year-end range 29–31 → 24
    assert main_open_days(Period.of_month(2026, 12)) == 24
    # January 2027: 1–3 year-end range, Mondays 4, 18, 25; Monday 11 is 成人の日 → Tuesday 12 closed → 24
    assert main_open_days(Period.of_month(2027, 1)) == 24
    year = statistics.summarize(ctx, Period.of_fiscal_year(2026))
    main = next(f for f in year.facilities if f.code == "main")
    assert main.open_days == sum(main_open_days(Period.of_month(y, m)) for y, m in Period.of_fiscal_year(2026).months)
    assert next(r for r in year.rooms if r.room_code == "M1").figures.available_slots == main.open_days * 3


def test_a_cancellation_on_a_closed_monday_counts_only_as_a_cancellation(ctx):
    december = statistics.summarize(ctx, Period.of_month(2026, 12))
    assert rooms_by_code(december)["M1"].figures == BookingFigures(available_slots=24 * 3, cancellations=1)


def test_applicant_classes_and_each_exemption(ctx):
    summary = statistics.summarize(ctx, OCTOBER)
    classes = {c.code: c for c in summary.classes}
    assert [c.code for c in summary.classes] == ["registered", "resident", "non_resident"]
    assert classes["registered"].name == "登録団体"
    assert classes["registered"].figures == BookingFigures(5, 7, 0, 88, 1250, 2450, 0, 1)
    assert classes["resident"].figures == BookingFigures(cancellations=1)
    assert classes["non_resident"].figures == BookingFigures(1, 1, 0, 5, 220, 230, 0, 0)
    exemptions = {(e.code, e.rate_percent): (e.bookings, e.gross_fee_yen, e.waived_yen) for e in summary.exemptions}
    assert exemptions == {
        ("public_interest", 100): (1, 300, 300),
        ("city_cohosted", 100): (1, 1600, 1600),
        ("city_endorsed", 50): (1, 1100, 550),
        ("elderly_disabled", 50): (1, 450, 230),
    }
    assert sum(e.waived_yen for e in summary.exemptions) == summary.total.waived_yen


def test_most_active_groups_by_slots(ctx):
    summary = statistics.summarize(ctx, OCTOBER)
    assert [(g.name, g.bookings, g.slots_used, g.attendance) for g in summary.top_groups] == [
        ("ばら=の会", 2, 4, 20), ("あおぞら会", 2, 2, 18), ("@ちどり会", 1, 1, 50),
    ]
    assert statistics.summarize(ctx, OCTOBER, top_groups=1).top_groups[0].registration_no == "R08-0002"


def test_one_facility_against_all(ctx):
    hatta = statistics.summarize(ctx, OCTOBER, data.facility_id(ctx, "hatta"))
    assert hatta.facility.code == "hatta"
    assert [r.room_code for r in hatta.rooms] == ["HA1", "HA2"]
    assert hatta.total == BookingFigures(1, 1, 162, 5, 220, 230, 0, 0)
    assert [f.code for f in hatta.facilities] == ["hatta"]
    assert {c.code: c.figures.bookings for c in hatta.classes} == {"registered": 0, "resident": 0, "non_resident": 1}
    assert [e.bookings for e in hatta.exemptions] == [0, 0, 0, 1]
    assert hatta.top_groups == ()
    main = statistics.summarize(ctx, OCTOBER, data.facility_id(ctx, "main"))
    everything = statistics.summarize(ctx, OCTOBER)
    assert main.total + hatta.total + BookingFigures(available_slots=162 * 5) == everything.total
    # consultations and registrations are center-wide
    assert main.consultations == everything.consultations
    assert main.registrations == everything.registrations


def test_month_boundaries(ctx):
    september = rooms_by_code(statistics.summarize(ctx, Period.of_month(2026, 9)))["M1"].figures
    november = rooms_by_code(statistics.summarize(ctx, Period.of_month(2026, 11)))["M1"].figures
    assert (september.bookings, september.attendance) == (1, 7)  # b9, 09-30 18:00
    assert (november.bookings, november.attendance) == (1, 6)  # b8, 11-01 09:00


def test_fiscal_year_runs_april_to_march(ctx):
    year = statistics.summarize(ctx, parse_fiscal_year("2026"))
    assert [m.month for m in year.months] == [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3]
    by_month = {(m.year, m.month): m.figures for m in year.months}
    assert by_month[(2026, 4)].bookings == 1  # b12 on 2026-04-01; b13 (2026-03-31) is FY2025
    assert by_month[(2027, 3)].bookings == 1  # b10 on 2027-03-31; b11 (2027-04-01) is FY2027
    assert by_month[(2026, 10)] == statistics.summarize(ctx, OCTOBER).months[0].figures
    assert (year.total.bookings, year.total.cancellations, year.total.no_shows, year.total.attendance) == (10, 2, 1, 109)
    m1 = rooms_by_code(year)["M1"]
    assert len(m1.by_month) == 12 and sum(f.bookings for f in m1.by_month) == m1.figures.bookings == 7
    previous = statistics.summarize(ctx, Period.of_fiscal_year(2025))
    assert previous.total.bookings == 1 and previous.months[-1].figures.attendance == 4  # b13
    assert statistics.summarize(ctx, Period.of_fiscal_year(2027)).total.bookings == 1  # b11


def test_registrations(ctx):
    october = statistics.summarize(ctx, OCTOBER).registrations
    assert (october.new, october.renewed, october.withdrawn, october.active_at_end) == (1, 1, 1, 5)
    november = statistics.summarize(ctx, Period.of_month(2026, 11)).registrations
    assert (november.new, november.renewed, november.withdrawn, november.active_at_end) == (0, 0, 1, 3)
    year = statistics.summarize(ctx, Period.of_fiscal_year(2026)).registrations
    assert (year.new, year.renewed, year.withdrawn, year.active_at_end) == (1, 1, 2, 3)
    assert [m.active_at_end for m in year.months][6:8] == [5, 3]


def test_consultations_include_the_counts_kept_after_deletion(ctx):
    figures = statistics.summarize(ctx, OCTOBER).consultations
    assert (figures.total, figures.deleted, figures.minutes, figures.by_month) == (4, 2, 105, (4,))
    assert {c.key: c.count for c in figures.by_method if c.count} == {"visit": 2, "phone": 1, "fax": 1}
    assert [c.key for c in figures.by_method] == ["visit", "phone", "email", "fax", "letter", "online", "outreach"]
    assert {c.key: c.count for c in figures.by_client_type if c.count} == {"civic_group": 1, "individual": 1, "other": 2}
    assert {c.label: c.count for c in figures.by_topic if c.count} == {"設立": 3, "運営": 1, "会計・税務": 1}
    assert len(figures.by_topic) == 10
    assert {c.key: c.count for c in figures.by_field if c.count} == {"1": 1, "3": 2}
    assert len(figures.by_field) == 20
    staff = {c.label: c.count for c in figures.by_staff}
    assert staff == {"coordinator 太郎": 1, "管理 花子": 1, "（保存期間経過により削除された記録）": 2}
    year = statistics.summarize(ctx, Period.of_fiscal_year(2026)).consultations
    assert year.total == 6 and sum(year.by_month) == 6 and year.by_month[5:8] == (1, 4, 1)


def test_consultation_counts_need_a_coordinator_or_admin(ctx, counter_ctx, coordinator_ctx):
    counter_view = statistics.summarize(counter_ctx, OCTOBER)
    assert counter_view.consultations is None
    assert counter_view.notes == ("相談件数は、コーディネーターと管理者だけに表示されます。",)
    assert counter_view.total == statistics.summarize(ctx, OCTOBER).total
    assert statistics.summarize(coordinator_ctx, OCTOBER).consultations.total == 4
    with pytest.raises(PermissionDenied):
        statistics.summarize(ServiceContext(ctx.db, None), OCTOBER)


def test_a_period_without_data_gives_zeros(admin_ctx):
    summary = statistics.summarize(admin_ctx, Period.of_month(2031, 2))
    assert summary.total == BookingFigures(available_slots=summary.total.available_slots)
    assert summary.total.available_slots > 0
    assert summary.consultations.total == 0 and summary.registrations.active_at_end == 0
    assert summary.top_groups == ()


def test_fiscal_year_trend_of_a_month(ctx):
    trend = statistics.fiscal_year_trend(ctx, OCTOBER.fiscal_year)
    assert len(trend.months) == 12
    assert trend.months[6].figures == statistics.summarize(ctx, OCTOBER).total


def test_unknown_facility_code_lists_the_known_ones(admin_ctx):
    assert statistics.find_facility(admin_ctx, "HATTA").code == "hatta"
    with pytest.raises(ValidationError) as caught:
        statistics.find_facility(admin_ctx, "nowhere")
    assert "nowhere" in str(caught.value) and "main, hatta, shirane" in str(caught.value)


@pytest.mark.parametrize("text", ["2026-13", "2026", "10/2026", "", "令和8年10月"])
def test_malformed_month_is_refused_with_the_accepted_form(text):
    with pytest.raises(ValidationError) as caught:
        parse_month(text)
    assert "YYYY-MM" in str(caught.value)


def test_periods_and_their_labels():
    assert parse_month("２０２６／１０") == OCTOBER
    assert OCTOBER.label == "令和8年10月分"
    assert (OCTOBER.first, OCTOBER.last) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    year = parse_fiscal_year("2026")
    assert year.label == "令和8年度" and (year.first, year.last) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))
    assert Period.of_month(2019, 4).label == "平成31年4月分"
    assert Period.of_month(2019, 5).label == "令和元年5月分"
    assert Period.of_fiscal_year(2019).label == "令和元年度"
    assert last_month(dt.date(2026, 1, 15)) == Period.of_month(2025, 12)
    with pytest.raises(ValidationError) as caught:
        parse_fiscal_year("R8")
    assert "2026" in str(caught.value)
