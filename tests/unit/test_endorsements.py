"""共催・後援: an application for the center's name on an event, its approval with conditions —
the event's flyer then shows 後援 with the name and the event's booking gets the 減免 reason —
the letters, a refusal, and the refusals of bad input (nothing written)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from pathlib import Path

import pytest
from bookings_support import context, room_ids, seeded_database

from center_app.domain.documents import FlyerOptions
from center_app.domain.errors import PermissionDenied, ValidationError
from center_app.domain.programs import EndorsementKind, EndorsementStatus
from center_app.domain.roles import Role
from center_app.services import bookings, documents, endorsements, events

sys.path.insert(0, str(Path(__file__).parents[1] / "print"))
from pdf_checks import compact, pdf_text  # noqa: E402

pytestmark = pytest.mark.postgres


@pytest.fixture
def env(tmp_path, clock):
    clock(dt.datetime(2026, 6, 2, 10, 0))
    db = seeded_database(tmp_path)
    admin = context(db, Role.ADMIN, "管理 太郎")
    event = events.save_event(admin, None, events.EventInput(
        title="子育てひろばフェスタ", event_date=dt.date(2026, 6, 9), start_time="13:00", end_time="15:00",
        room_id=room_ids(db)["M1"], organiser="子育てネット"))
    yield {"db": db, "admin": admin, "counter": context(db, Role.COUNTER), "event": event}
    db.dispose()


def _booking(env):
    from sqlalchemy import select

    from center_app.db.events import Event

    with env["db"].read() as session:
        booking_id = session.scalar(select(Event.booking_id).where(Event.id == env["event"].id))
    return bookings.get_booking(env["admin"], booking_id)


def test_an_approved_support_shows_on_the_flyer_and_sets_the_bookings_exemption(env):
    assert _booking(env).exemption_code == ""
    applied = endorsements.apply_endorsement(env["counter"], EndorsementKind.SUPPORT, "子育てネット", event_id=env["event"].id)
    assert applied.event_title == "子育てひろばフェスタ" and applied.name_lent == "南アルプス市市民活動センター"
    flyer = compact(pdf_text(documents.flyer_pdf(env["admin"], env["event"].id, FlyerOptions())))
    assert "後援" not in flyer  # not before the approval
    with pytest.raises(PermissionDenied):
        endorsements.decide_endorsement(env["counter"], applied.id, True)
    decided = endorsements.decide_endorsement(env["admin"], applied.id, True, conditions="名義はチラシの下部に表示すること。",
                                              exemption_code="city_endorsed", expected_version=applied.version)
    assert decided.status is EndorsementStatus.APPROVED
    assert _booking(env).exemption_code == "city_endorsed"
    flyer = compact(pdf_text(documents.flyer_pdf(env["admin"], env["event"].id, FlyerOptions())))
    assert "主催：子育てネット" in flyer and "後援：南アルプス市市民活動センター" in flyer
    letter = compact(pdf_text(documents.endorsement_letter_pdf(env["admin"], applied.id)))
    assert "後援名義使用承認通知書" in letter and "子育てひろばフェスタ" in letter and "名義はチラシの下部に表示すること。" in letter
    assert endorsements.approved_counts(env["admin"], 2026) == {EndorsementKind.COHOST: 0, EndorsementKind.SUPPORT: 1}
    Path("/tmp/endorsement-letter.pdf").write_bytes(documents.endorsement_letter_pdf(env["admin"], applied.id))
    Path("/tmp/endorsement-flyer.pdf").write_bytes(documents.flyer_pdf(env["admin"], env["event"].id, FlyerOptions()))


def test_a_cohost_joins_the_events_own_cohosts(env):
    applied = endorsements.apply_endorsement(env["admin"], "cohost", "子育てネット", event_id=env["event"].id, name_lent="南アルプス市")
    endorsements.decide_endorsement(env["admin"], applied.id, True)
    flyer = compact(pdf_text(documents.flyer_pdf(env["admin"], env["event"].id, FlyerOptions())))
    assert "共催：南アルプス市" in flyer


def test_a_refusal_writes_its_letter_and_changes_nothing_else(env):
    applied = endorsements.apply_endorsement(env["admin"], "support", "ある団体", event_title="物品販売会", event_date=dt.date(2026, 7, 1))
    endorsements.decide_endorsement(env["admin"], applied.id, False, conditions="（無視される）", exemption_code="city_endorsed",
                                    reason="営利を目的とする行事のため。")
    letter = compact(pdf_text(documents.endorsement_letter_pdf(env["admin"], applied.id)))
    assert "後援名義使用不承認通知書" in letter and "（無視される）" not in letter and "理由営利を目的とする行事のため。" in letter
    with pytest.raises(ValidationError, match="決定済み"):
        endorsements.decide_endorsement(env["admin"], applied.id, True)


def test_bad_input_is_refused_and_nothing_is_written(env):
    with pytest.raises(ValidationError) as raised:
        endorsements.apply_endorsement(env["admin"], "support", " ", event_title="")
    assert [p.field for p in raised.value.problems] == ["applicant_name", "event_title", "event_date"]
    applied = endorsements.apply_endorsement(env["admin"], "support", "子育てネット", event_id=env["event"].id)
    with pytest.raises(ValidationError, match="no_such"):
        endorsements.decide_endorsement(env["admin"], applied.id, True, exemption_code="no_such")
    assert endorsements.list_endorsements(env["admin"])[0].status is EndorsementStatus.APPLIED
    assert _booking(env).exemption_code == ""
    with pytest.raises(ValidationError, match="先に"):
        documents.endorsement_letter_pdf(env["admin"], applied.id)


def test_an_application_for_a_past_event_is_refused_and_nothing_is_written(env):
    with pytest.raises(ValidationError) as raised:
        endorsements.apply_endorsement(env["counter"], "support", "子育てネット", event_title="春のつどい", event_date=dt.date(2026, 6, 1))
    assert [p.field for p in raised.value.problems] == ["event_date"]
    assert "令和8年6月1日" in str(raised.value) and "開催済み" in str(raised.value)
    assert endorsements.list_endorsements(env["admin"]) == []
    assert endorsements.apply_endorsement(env["counter"], "support", "子育てネット", event_title="春のつどい",
                                          event_date=dt.date(2026, 6, 2)).event_date == dt.date(2026, 6, 2)  # today is still to come


def test_a_refusal_needs_its_reason_and_writes_nothing_without_one(env):
    applied = endorsements.apply_endorsement(env["counter"], "support", "子育てネット", event_id=env["event"].id)
    with pytest.raises(ValidationError, match="理由") as raised:
        endorsements.decide_endorsement(env["admin"], applied.id, False, reason="  ", expected_version=applied.version)
    assert raised.value.problems[0].field == "reason"
    assert endorsements.get_endorsement(env["admin"], applied.id) == applied


def test_an_edit_saves_onto_the_version_it_was_opened_with(env):
    from center_app.domain.errors import StaleEditError

    applied = endorsements.apply_endorsement(env["counter"], "support", "子育てネット", event_title="子育て講演会",
                                             event_date=dt.date(2026, 7, 4), event_place="ホール", request="チラシへの名義掲載")
    data = endorsements.EndorsementInput("cohost", "子育てネット", None, None, "子育て講演会", dt.date(2026, 7, 5), "ホール", "",
                                         "チラシへの名義掲載")
    edited = endorsements.update_endorsement(env["counter"], applied.id, data, expected_version=applied.version)
    assert (edited.kind, edited.event_date, edited.version) == (EndorsementKind.COHOST, dt.date(2026, 7, 5), applied.version + 1)
    with pytest.raises(StaleEditError, match="ほかの端末で変更されました"):  # the form opened before the first save
        endorsements.update_endorsement(env["admin"], applied.id, dataclasses.replace(data, event_place="会議室"),
                                        expected_version=applied.version)
    with pytest.raises(StaleEditError):  # a decision onto an old version changes nothing, the booking neither
        endorsements.decide_endorsement(env["admin"], applied.id, True, expected_version=applied.version)
    assert endorsements.get_endorsement(env["admin"], applied.id) == edited


def test_a_stale_approval_leaves_the_booking_as_it_was(env):
    from center_app.domain.errors import StaleEditError

    applied = endorsements.apply_endorsement(env["counter"], "support", "子育てネット", event_id=env["event"].id)
    endorsements.update_endorsement(env["counter"], applied.id, endorsements.EndorsementInput(
        "support", "子育てネット", event_id=env["event"].id, request="後援名義"), expected_version=applied.version)
    with pytest.raises(StaleEditError):
        endorsements.decide_endorsement(env["admin"], applied.id, True, exemption_code="city_endorsed", expected_version=applied.version)
    assert _booking(env).exemption_code == ""


def test_a_withdrawn_application_stays_in_the_register_and_cannot_be_decided(env):
    applied = endorsements.apply_endorsement(env["counter"], "cohost", "子育てネット", event_id=env["event"].id)
    withdrawn = endorsements.withdraw_endorsement(env["counter"], applied.id)
    assert withdrawn.status is EndorsementStatus.WITHDRAWN and withdrawn.status.label == "取下げ"
    with pytest.raises(ValidationError, match="取り下げ"):
        endorsements.decide_endorsement(env["admin"], applied.id, True)
    with pytest.raises(ValidationError, match="取り下げ"):
        documents.endorsement_letter_pdf(env["admin"], applied.id)
    assert [v.id for v in endorsements.list_endorsements(env["admin"], 2026, EndorsementStatus.WITHDRAWN)] == [applied.id]
    assert endorsements.list_endorsements(env["admin"], 2026, EndorsementStatus.APPLIED) == []
    assert endorsements.list_endorsements(env["admin"], 2025) == []


def _approved_support(env, **decision):
    applied = endorsements.apply_endorsement(env["counter"], EndorsementKind.SUPPORT, "子育てネット", event_id=env["event"].id)
    return endorsements.decide_endorsement(env["admin"], applied.id, True, exemption_code="city_endorsed", **decision)


def test_withdrawing_an_approved_support_stops_the_credit_and_the_exemption_of_the_coming_booking(env):
    full_fee = _booking(env).fee
    approved = _approved_support(env)
    assert _booking(env).fee < full_fee and endorsements.event_credits(env["admin"], env["event"].id)[1]
    withdrawn = endorsements.withdraw_endorsement(env["counter"], approved.id, expected_version=approved.version)
    assert withdrawn.status is EndorsementStatus.WITHDRAWN
    booking = _booking(env)
    assert booking.exemption_code == "" and booking.fee == full_fee
    assert f"{full_fee:,}円" in withdrawn.booking_note and f"予約{booking.id}" in withdrawn.booking_note
    flyer = compact(pdf_text(documents.flyer_pdf(env["admin"], env["event"].id, FlyerOptions())))
    assert "後援" not in flyer and "主催：子育てネット" in flyer
    assert endorsements.event_credits(env["admin"], env["event"].id) == ("", "")  # the public site's event page
    assert endorsements.approved_counts(env["admin"], 2026)[EndorsementKind.SUPPORT] == 0
    with pytest.raises(ValidationError, match="取り下げ"):
        endorsements.withdraw_endorsement(env["counter"], approved.id)
    with pytest.raises(ValidationError, match="取り下げ"):  # no 承認通知書 of a withdrawn approval
        documents.endorsement_letter_pdf(env["admin"], approved.id)


def test_a_used_booking_keeps_the_fee_it_was_used_at_and_the_clerk_is_told(env, clock):
    approved = _approved_support(env)
    reduced = _booking(env).fee
    clock(dt.datetime(2026, 6, 10, 9, 0))  # the day after the event: the booking was used
    withdrawn = endorsements.withdraw_endorsement(env["counter"], approved.id)
    booking = _booking(env)
    assert booking.exemption_code == "city_endorsed" and booking.fee == reduced
    assert f"{reduced:,}円" in withdrawn.booking_note and booking.exemption_name in withdrawn.booking_note
    assert endorsements.event_credits(env["admin"], env["event"].id) == ("", "")


def test_an_approval_is_not_refused_afterwards(env):
    approved = _approved_support(env)
    with pytest.raises(ValidationError, match="決定"):
        endorsements.decide_endorsement(env["admin"], approved.id, False, reason="後から不承認")
    assert endorsements.get_endorsement(env["admin"], approved.id).status is EndorsementStatus.APPROVED
    assert _booking(env).exemption_code == "city_endorsed"


def test_a_stale_withdrawal_leaves_the_booking_as_it_was(env):
    from center_app.domain.errors import StaleEditError

    approved = _approved_support(env)
    with pytest.raises(StaleEditError):
        endorsements.withdraw_endorsement(env["counter"], approved.id, expected_version=approved.version - 1)
    assert _booking(env).exemption_code == "city_endorsed"
    assert endorsements.get_endorsement(env["admin"], approved.id).status is EndorsementStatus.APPROVED


def test_a_booking_paid_at_the_reduced_fee_shows_the_difference_due_after_the_withdrawal(env):
    from center_app.domain.money import MoneyState
    from center_app.services import ledger

    approved = _approved_support(env)
    booking = _booking(env)
    ledger.record_payment(env["admin"], [booking.id], "cash")
    assert ledger.booking_money(env["admin"], [booking.id])[booking.id].state is MoneyState.PAID
    endorsements.withdraw_endorsement(env["counter"], approved.id)
    money = ledger.booking_money(env["admin"], [booking.id])[booking.id]
    assert money.state is MoneyState.PARTLY_PAID and money.received == booking.fee and money.fee > booking.fee
