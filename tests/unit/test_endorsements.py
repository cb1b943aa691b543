"""共催・後援: an application for the center's name on an event, its approval with conditions —
the event's flyer then shows 後援 with the name and the event's booking gets the 減免 reason —
the letters, a refusal, and the refusals of bad input (nothing written)."""

from __future__ import annotations

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
    endorsements.decide_endorsement(env["admin"], applied.id, False, conditions="（無視される）", exemption_code="city_endorsed")
    letter = compact(pdf_text(documents.endorsement_letter_pdf(env["admin"], applied.id)))
    assert "後援名義使用不承認通知書" in letter and "（無視される）" not in letter
    with pytest.raises(ValidationError, match="決定済み"):
        endorsements.decide_endorsement(env["admin"], applied.id, True)


def test_bad_input_is_refused_and_nothing_is_written(env):
    with pytest.raises(ValidationError) as raised:
        endorsements.apply_endorsement(env["admin"], "support", " ", event_title="")
    assert len(raised.value.problems) == 2
    applied = endorsements.apply_endorsement(env["admin"], "support", "子育てネット", event_id=env["event"].id)
    with pytest.raises(ValidationError, match="no_such"):
        endorsements.decide_endorsement(env["admin"], applied.id, True, exemption_code="no_such")
    assert endorsements.list_endorsements(env["admin"])[0].status is EndorsementStatus.APPLIED
    assert _booking(env).exemption_code == ""
    with pytest.raises(ValidationError, match="先に"):
        documents.endorsement_letter_pdf(env["admin"], applied.id)
