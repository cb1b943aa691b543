"""The visitor tally: one row per count by purpose of 設定, audited corrections, daily totals, and
`center-app visitors add`."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from center_app.app import main
from center_app.db.models import AuditEntry
from center_app.db.visitors import VisitorCount
from center_app.domain.errors import ValidationError
from center_app.services import visitors

from conftest import command_line_admin

pytestmark = pytest.mark.postgres

DAY = dt.date(2026, 6, 5)


def _rows(db) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(VisitorCount))


def test_counts_by_purpose_of_the_settings(db, counter_ctx, clock):
    clock(DAY)
    assert visitors.purposes(counter_ctx) == ("打合せ", "印刷", "相談", "情報収集", "その他")
    visitors.add_visitors(counter_ctx, None, "相談")
    visitors.add_visitors(counter_ctx, None, "相談")
    tally = visitors.add_visitors(counter_ctx, None, "印刷", "３")  # full-width digits are read
    assert tally.count("相談") == 2 and tally.count("印刷") == 3 and tally.total == 5
    clock(DAY + dt.timedelta(days=1))
    visitors.add_visitors(counter_ctx, None, "その他")
    totals = visitors.daily_totals(counter_ctx, None, DAY, DAY + dt.timedelta(days=1))
    assert totals == {DAY: {"相談": 2, "印刷": 3}, DAY + dt.timedelta(days=1): {"その他": 1}}


@pytest.mark.parametrize("purpose, count, message", [
    ("散歩", 1, "散歩"),  # not a purpose of 設定: named, with the choices
    ("相談", 0, "1"),
    ("相談", "abc", "整数"),
    ("相談", 1000, "999"),
])
def test_bad_input_is_refused_and_nothing_is_written(db, counter_ctx, clock, purpose, count, message):
    clock(DAY)
    with pytest.raises(ValidationError) as refused:
        visitors.add_visitors(counter_ctx, None, purpose, count)
    assert message in str(refused.value)
    assert _rows(db) == 0


def test_a_correction_is_audited_and_never_goes_below_zero(db, counter_ctx, clock):
    clock(DAY)
    visitors.add_visitors(counter_ctx, None, "打合せ", 2)
    tally = visitors.correct_visitors(counter_ctx, None, DAY, "打合せ", "-1", "二重に押した")
    assert tally.count("打合せ") == 1
    with db.read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "visitor_count")).one()
    assert entry.before["count"] == 2 and entry.after["count"] == 1 and entry.note == "二重に押した"
    with pytest.raises(ValidationError, match="0"):
        visitors.correct_visitors(counter_ctx, None, DAY, "打合せ", -2, "誤り")
    with pytest.raises(ValidationError):
        visitors.correct_visitors(counter_ctx, None, DAY, "打合せ", -1, "  ")  # a reason is required
    with pytest.raises(ValidationError):
        visitors.correct_visitors(counter_ctx, None, DAY + dt.timedelta(days=1), "打合せ", 1, "未来")
    assert visitors.day_tally(counter_ctx, None, DAY).count("打合せ") == 1


def test_command_adds_visitors_and_refuses_an_unknown_purpose(db, monkeypatch, capsys, clock):
    clock(DAY)
    signed_in = command_line_admin(db, monkeypatch)
    url = ["--database-url", db.url]
    assert main([*url, "visitors", "add", "--purpose", "相談", "--count", "2", *signed_in]) == 0
    assert "相談: 今日 2 人" in capsys.readouterr().out
    assert main([*url, "visitors", "add", "--purpose", "散歩", *signed_in]) == 1
    assert "散歩" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main([*url, "visitors", "add", *signed_in])
    assert usage.value.code == 2
    assert _rows(db) == 1
