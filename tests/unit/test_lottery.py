"""The opening-day lottery for rooms: the entry window and cap of 設定, a seeded draw that anyone can
run again from its record, winners booked as 仮予約, losers with free alternatives, the printed
result list and `center-app lottery draw`."""

from __future__ import annotations

import datetime as dt
import random
import subprocess

import pytest
from sqlalchemy import func, select

from center_app.app import main
from center_app.db.bookings import Booking
from center_app.db.lottery import LotteryDraw, LotteryEntry
from center_app.domain import lottery as rule
from center_app.domain.booking_values import BookingStatus
from center_app.domain.errors import RuleCode, RuleError, ValidationError
from center_app.services import documents, lottery

from bookings_support import room_ids
from conftest import command_line_admin
from services_support import DRAW_DAY, ENTRY_DAY, new_group

pytestmark = pytest.mark.postgres

AUG_4, AUG_5 = dt.date(2026, 8, 4), dt.date(2026, 8, 5)  # a Tuesday and a Wednesday


def _tickets(n: int, groups: int, prizes: int) -> list[rule.Ticket]:
    return [rule.Ticket(i, f"G{i % groups}", f"P{i % prizes}", (f"P{i % prizes}", f"G{i % groups}", f"{i:09d}")) for i in range(1, n + 1)]


def test_the_draw_is_the_same_for_the_same_tickets_and_seed_whatever_their_order():
    tickets = _tickets(40, 7, 9)
    first = rule.draw(tickets, 12345, 2)
    shuffled = list(tickets)
    random.Random(1).shuffle(shuffled)
    assert rule.draw(shuffled, 12345, 2) == first
    assert [o.ticket.number for o in rule.draw(tickets, 12346, 2)] != [o.ticket.number for o in first]


def test_the_draw_follows_its_documented_rule():
    tickets = _tickets(30, 4, 6)
    order = sorted(tickets, key=lambda t: (t.key, t.number))
    random.Random(99).shuffle(order)
    assert [o.ticket for o in rule.draw(tickets, 99, 2)] == order


def test_no_group_wins_more_than_the_cap_and_each_prize_once():
    outcomes = rule.draw(_tickets(60, 3, 20), 7, 2, taken={"P0"})
    wins: dict[str, int] = {}
    prizes = [o.ticket.prize for o in outcomes if o.won]
    for o in outcomes:
        wins[o.ticket.group] = wins.get(o.ticket.group, 0) + o.won
    assert max(wins.values()) <= 2 and len(prizes) == len(set(prizes)) and "P0" not in prizes
    assert {o.reason for o in outcomes if not o.won} <= {rule.LOST_CAP, rule.LOST_TAKEN, rule.LOST_BOOKED}


@pytest.fixture
def entries(db, counter_ctx, clock):
    """Four groups, seven entries for August in the main center (two groups want M1 on Aug 4 morning)."""
    clock(ENTRY_DAY)
    rooms = room_ids(db)
    groups = [new_group(counter_ctx, n) for n in range(1, 5)]
    wishes = [(0, "M1", AUG_4, "午前"), (1, "M1", AUG_4, "午前"), (2, "M1", AUG_4, "午前"), (0, "M2", AUG_4, "午前"),
              (1, "M1", AUG_5, "午後"), (3, "M1", AUG_5, "午後"), (3, "HALL", AUG_5, "夜間")]
    made = [lottery.enter_lottery(counter_ctx, groups[g], rooms[room], day, slot, 8) for g, room, day, slot in wishes]
    return groups, rooms, made


def _count(db, model) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_entries_outside_the_window_or_over_the_cap_are_refused(db, counter_ctx, clock, entries):
    groups, rooms, made = entries
    assert {e.month for e in made} == {"2026-08"}
    with pytest.raises(RuleError) as over:
        lottery.enter_lottery(counter_ctx, groups[0], rooms["M3"], AUG_5, "夜間", 5)  # the third entry of group 1
    assert over.value.rule == RuleCode.LOTTERY_CAP and "2" in str(over.value)
    with pytest.raises(ValidationError):
        lottery.enter_lottery(counter_ctx, groups[2], rooms["M2"], dt.date(2026, 9, 1), "午前", 5)  # not the lottery month
    clock(DRAW_DAY)
    with pytest.raises(RuleError) as late:
        lottery.enter_lottery(counter_ctx, groups[2], rooms["M2"], AUG_5, "午前", 5)
    assert late.value.rule == RuleCode.LOTTERY_WINDOW
    assert _count(db, LotteryEntry) == 7


def test_the_draw_books_winners_as_provisional_and_anyone_can_run_it_again(db, counter_ctx, clock, entries):
    groups, rooms, made = entries
    with pytest.raises(ValidationError):
        lottery.draw_lottery(counter_ctx, "main", "2026-08", 2026)  # entries are still open
    clock(DRAW_DAY)
    preview = lottery.draw_lottery(counter_ctx, "main", "2026-08", 2026, dry_run=True)
    assert _count(db, Booking) == 0 and _count(db, LotteryDraw) == 0  # a dry run writes nothing
    result = lottery.draw_lottery(counter_ctx, "main", "2026-08", 2026)
    assert [(l.entry_no, l.won) for l in result.lines] == [(l.entry_no, l.won) for l in preview.lines]
    assert len(result.winners) == 4  # M1 Aug 4 am, M2 Aug 4 am, M1 Aug 5 pm, HALL Aug 5 evening
    assert len({(w.room_name, w.day, w.slot_name) for w in result.winners}) == 4
    with db.read() as session:
        booked = session.scalars(select(Booking)).all()
        assert {b.status for b in booked} == {BookingStatus.PROVISIONAL}
        assert len(booked) == 4
        record = session.scalars(select(LotteryDraw)).one()
    for loser in result.losers:
        assert loser.reason == "ほかの申込が当選しました" and loser.alternatives
        assert f"{loser.room_name} {loser.slot_name}" not in loser.alternatives
    for winner in result.winners:
        assert winner.slip_no.startswith("B") and winner.confirm_by == DRAW_DAY + dt.timedelta(days=8)

    # the record alone (seed, tickets in canonical order, slots taken, cap) gives the same winners
    replay = rule.draw([rule.ticket_from_record(t) for t in record.tickets], record.seed, record.cap, taken=frozenset(record.taken))
    assert [o.ticket.number for o in replay if o.won] == [w.entry_no for w in result.winners]
    assert lottery.verify_draw(counter_ctx, "main", "2026-08") is True
    with pytest.raises(ValidationError, match="2026"):
        lottery.draw_lottery(counter_ctx, "main", "2026-08", 7)  # drawn once
    assert _count(db, Booking) == 4


def test_a_slot_booked_before_the_draw_goes_to_nobody(db, counter_ctx, clock, entries):
    from bookings_support import make_input
    from center_app.services import bookings

    groups, rooms, made = entries
    bookings.create_booking(counter_ctx, make_input(rooms["M1"], AUG_5, None, None, slot_names=("午後",), group_id=new_group(counter_ctx, 9),
                                                         applicant_name="", applicant_class=""))
    clock(DRAW_DAY)
    result = lottery.draw_lottery(counter_ctx, "main", "2026-08", 5)
    lost = [l for l in result.lines if l.room_name == "会議室1" and l.day == AUG_5]
    assert len(lost) == 2 and not any(l.won for l in lost) and {l.reason for l in lost} == {"抽選の前に予約済みです"}


def _won_by(result, room: str, day: dt.date, slot: str) -> str:
    """The group that won ``room`` on ``day`` in ``slot`` ("" when nobody did)."""
    return next((l.group_name for l in result.winners if (l.room_name, l.day, l.slot_name) == (room, day, slot)), "")


def test_a_winner_who_cannot_be_booked_passes_the_slot_to_the_next_entry(db, counter_ctx, clock, entries):
    from bookings_support import make_input
    from center_app.domain.center_settings import MONTHLY_SLOT_CAP
    from center_app.services import bookings, center_settings

    groups, rooms, made = entries
    clock(DRAW_DAY)
    # a seed with which group 2 (entries 2 and 5) would win 会議室1 on Aug 5 afternoon
    seed = next(s for s in range(200) if _won_by(lottery.draw_lottery(counter_ctx, "main", "2026-08", s, dry_run=True), "会議室1", AUG_5, "午後")
                == made[4].group_name)
    # after its entries, group 2 booked two slots of August at the counter: the cap of 2 is reached
    with db.write() as session:
        center_settings.set(session, None, MONTHLY_SLOT_CAP, 2)
    bookings.create_booking(counter_ctx, make_input(rooms["M3"], dt.date(2026, 8, 6), None, None, slot_names=("午前", "午後"),
                                                    group_id=groups[1], applicant_name="", applicant_class=""))
    preview = lottery.draw_lottery(counter_ctx, "main", "2026-08", seed, dry_run=True)
    result = lottery.draw_lottery(counter_ctx, "main", "2026-08", seed)  # not refused as a whole

    assert [(l.entry_no, l.won, l.reason) for l in result.lines] == [(l.entry_no, l.won, l.reason) for l in preview.lines]
    refused = [l for l in result.lines if l.group_name == made[1].group_name]
    assert len(refused) == 2 and not any(l.won for l in refused)
    assert all(l.reason == "ほかの申込が当選しました" or (l.reason.startswith("予約できません") and made[1].group_name in l.reason)
               for l in refused)  # the cap's message names the group
    drawn_first = next(l for l in refused if l.day == AUG_5)
    assert drawn_first.reason.startswith("予約できません") and "2" in drawn_first.reason, drawn_first.reason
    # the slot group 2 drew passed to the next entry for it; every slot asked for is booked
    assert _won_by(result, "会議室1", AUG_5, "午後") == made[5].group_name
    assert len(result.winners) == 4
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Booking).where(Booking.status == BookingStatus.PROVISIONAL)) == 4
        record = session.scalars(select(LotteryDraw)).one()
        statuses = {e.id: e.status for e in session.scalars(select(LotteryEntry))}
    assert {statuses[l.entry_no] for l in refused} == {"lost"}
    assert {t["number"] for t in record.tickets if "refused" in t} <= {l.entry_no for l in refused}
    assert lottery.verify_draw(counter_ctx, "main", "2026-08") is True
    assert [(l.entry_no, l.won, l.reason) for l in lottery.recorded_draw(counter_ctx, "main", "2026-08").lines] == \
        [(l.entry_no, l.won, l.reason) for l in result.lines]


def test_a_slot_nobody_can_take_any_more_is_lost_by_every_entry_with_the_reason(db, counter_ctx, clock, entries):
    from center_app.db.models import ClosedDayRule

    groups, rooms, made = entries
    main_center = _facility_row(db, "main")
    with db.write() as session:  # Aug 5 was closed for an inspection after the entries were made
        session.add(ClosedDayRule(facility_id=main_center.id, kind="date", on_date=AUG_5, closes=True, name="設備点検"))
    clock(DRAW_DAY)
    result = lottery.draw_lottery(counter_ctx, "main", "2026-08", 11)
    on_the_5th = [l for l in result.lines if l.day == AUG_5]
    assert len(on_the_5th) == 3 and not any(l.won for l in on_the_5th)
    assert all(l.reason.startswith("予約できません") and "設備点検" in l.reason and not l.alternatives for l in on_the_5th)
    assert {(l.room_name, l.slot_name) for l in result.winners} == {("会議室1", "午前"), ("会議室2", "午前")}
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Booking)) == 2
    assert lottery.verify_draw(counter_ctx, "main", "2026-08") is True


def test_the_result_list_prints_the_seed_and_every_entry(db, counter_ctx, clock, entries, tmp_path):
    clock(DRAW_DAY)
    result = lottery.draw_lottery(counter_ctx, "main", "2026-08", 424242)
    pdf = tmp_path / "result.pdf"
    pdf.write_bytes(documents.lottery_result_pdf(counter_ctx, "main", "2026-08"))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "424242" in text and "会議室抽選結果一覧" in text
    for line in result.lines:
        assert line.group_name in text
    for winner in result.winners:
        assert winner.slip_no in text


def test_command_prints_the_same_winners_for_the_same_seed(db, clock, entries, monkeypatch, capsys):
    clock(DRAW_DAY)
    signed_in = command_line_admin(db, monkeypatch)
    url = ["--database-url", db.url]
    command = [*url, "lottery", "draw", "--facility", "main", "--month", "2026-08", "--seed", "31"]
    assert main([*command, "--dry-run", *signed_in]) == 0
    first = capsys.readouterr().out
    assert main([*command, "--dry-run", *signed_in]) == 0
    assert capsys.readouterr().out == first
    assert main([*command, *signed_in]) == 0
    drawn = capsys.readouterr().out
    winners = [line.split("\t")[1] for line in drawn.splitlines()[1:] if "落選" not in line]
    assert winners == [line.split("\t")[1] for line in first.splitlines()[1:] if "落選" not in line]
    assert main([*command, *signed_in]) == 1  # drawn once
    assert "抽選" in capsys.readouterr().err
    assert main([*url, "lottery", "verify", "--facility", "main", "--month", "2026-08", *signed_in]) == 0
    with pytest.raises(SystemExit) as usage:
        main([*url, "lottery", "draw", "--facility", "main", "--month", "2026-08", "--seed", "x", *signed_in])
    assert usage.value.code == 2


def _facility_row(db, code: str):
    from center_app.db.models import Facility

    with db.read() as session:
        return session.scalars(select(Facility).where(Facility.code == code)).one()


def test_each_facility_takes_entries_in_its_own_window(db, admin_ctx, counter_ctx, clock):
    from center_app.services import config

    clock(ENTRY_DAY)
    rooms, group = room_ids(db), new_group(counter_ctx, 1)
    shirane = _facility_row(db, "shirane")
    # 白根: entries from the 12th to the 20th for the month three ahead, one entry per group; 本館 keeps the center-wide window
    config.save_row(admin_ctx, "facility", shirane.id, {"lottery_months_ahead": "3", "lottery_entry_first_day": "12",
                                                        "lottery_entry_last_day": "20", "lottery_entries_per_group": "1"})
    assert lottery.current_window(counter_ctx, "main").month == "2026-08"
    here = lottery.current_window(counter_ctx, "shirane")
    assert (here.month, here.first_entry_day, here.last_entry_day, here.per_group, here.is_open) == (
        "2026-09", dt.date(2026, 6, 12), dt.date(2026, 6, 20), 1, False)
    lottery.enter_lottery(counter_ctx, group, rooms["M1"], AUG_4, "午前", 5)
    with pytest.raises(RuleError) as closed:
        lottery.enter_lottery(counter_ctx, group, rooms["SH1"], dt.date(2026, 9, 1), "午前", 5)
    assert closed.value.rule == RuleCode.LOTTERY_WINDOW

    clock(dt.date(2026, 6, 15))  # 本館 closed on the 10th; 白根 is open
    with pytest.raises(RuleError):
        lottery.enter_lottery(counter_ctx, group, rooms["M1"], AUG_5, "午前", 5)
    lottery.enter_lottery(counter_ctx, group, rooms["SH1"], dt.date(2026, 9, 1), "午前", 5)
    with pytest.raises(RuleError) as cap:
        lottery.enter_lottery(counter_ctx, group, rooms["SH2"], dt.date(2026, 9, 1), "午前", 5)
    assert cap.value.rule == RuleCode.LOTTERY_CAP
    assert lottery.draw_lottery(counter_ctx, "main", "2026-08", 1, dry_run=True).lines  # 本館's window closed: it draws
    with pytest.raises(ValidationError, match="20"):
        lottery.draw_lottery(counter_ctx, "shirane", "2026-09", 1)  # 白根's entries are open until the 20th
    clock(dt.date(2026, 6, 21))
    result = lottery.draw_lottery(counter_ctx, "shirane", "2026-09", 1)
    assert result.cap == 1 and [line.won for line in result.lines] == [True]


def test_a_last_entry_day_before_the_first_is_refused(db, admin_ctx):
    from center_app.domain.center_settings import SETTINGS_SERVICES
    from center_app.services import center_settings, config

    shirane = _facility_row(db, "shirane")
    with pytest.raises(ValidationError) as own:
        config.save_row(admin_ctx, "facility", shirane.id, {"lottery_entry_first_day": "15", "lottery_entry_last_day": "5"})
    assert "前" in str(own.value) and own.value.problems[0].field == "lottery_entry_last_day"
    with pytest.raises(ValidationError):  # 15 against the center-wide last day, 10
        config.save_row(admin_ctx, "facility", shirane.id, {"lottery_entry_first_day": "15"})
    with pytest.raises(ValidationError) as center:
        center_settings.save(admin_ctx, SETTINGS_SERVICES, {"lottery_entry_first_day": "12"})  # after the stored last day, 10
    assert center.value.problems[0].field == "lottery_entry_last_day"
    assert _facility_row(db, "shirane").lottery_entry_first_day is None
    assert center_settings.get_many(admin_ctx, ["lottery_entry_first_day"]) == {"lottery_entry_first_day": 1}
    center_settings.save(admin_ctx, SETTINGS_SERVICES, {"lottery_entry_first_day": "5", "lottery_entry_last_day": "5"})


def test_command_withdraws_an_entry_until_the_draw(db, clock, entries, monkeypatch, capsys):
    from center_app.db.models import AuditEntry

    groups, rooms, made = entries
    signed_in = command_line_admin(db, monkeypatch)
    url = ["--database-url", db.url]
    assert main([*url, "lottery", "withdraw", str(made[0].id), *signed_in]) == 0
    assert str(made[0].id) in capsys.readouterr().out
    assert main([*url, "lottery", "withdraw", str(made[0].id), *signed_in]) == 1  # withdrawn already
    assert capsys.readouterr().err
    assert main([*url, "lottery", "withdraw", "99999", *signed_in]) == 1
    assert "99999" in capsys.readouterr().err
    clock(DRAW_DAY)
    assert main([*url, "lottery", "draw", "--facility", "main", "--month", "2026-08", "--seed", "3", *signed_in]) == 0
    assert f"\t{made[0].id}\t" not in capsys.readouterr().out  # the withdrawn entry is not drawn
    assert main([*url, "lottery", "withdraw", str(made[1].id), *signed_in]) == 1  # drawn
    assert capsys.readouterr().err
    with db.read() as session:
        statuses = {e.id: e.status for e in session.scalars(select(LotteryEntry))}
        withdrawals = session.scalars(select(AuditEntry).where(AuditEntry.entity == "lottery_entry", AuditEntry.action == "withdraw")).all()
    assert statuses[made[0].id] == "withdrawn" and statuses[made[1].id] in ("won", "lost")
    assert [w.entity_id for w in withdrawals] == [str(made[0].id)]


@pytest.mark.parametrize("style", ["wareki", "western"])
def test_the_result_list_writes_every_date_in_the_centers_one_style(db, counter_ctx, clock, entries, tmp_path, style):
    import dataclasses

    from center_app.domain import wareki
    from center_app.print.lottery import render_lottery_result

    clock(DRAW_DAY)
    result = dataclasses.replace(lottery.draw_lottery(counter_ctx, "main", "2026-08", 424242), drawn_by="")  # drawn by no one signed in
    wareki.set_date_style(style)
    try:
        pdf = tmp_path / "result.pdf"
        pdf.write_bytes(render_lottery_result(result, center_name="市民活動センター", issued_on=DRAW_DAY))
    finally:
        wareki.set_date_style(wareki.WAREKI_STYLE)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "（）" not in text and "R8" not in text
    if style == "wareki":
        assert "令和8年8月利用分" in text and "令和8年8月4日（火）" in text and "令和8年6月11日" in text and "2026年" not in text
    else:
        assert "2026年8月利用分" in text and "2026年8月4日（火）" in text and "2026年6月11日" in text and "令和" not in text
