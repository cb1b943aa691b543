"""使用料の収納 from the command line as a script runs it: a day at the counter — book, permit,
pay (receipt), another booking paid, cancelled and refunded, a transfer, a payment entered by
mistake and voided — and the 収入日報 of that day read back from its XLSX adds up to the cash
drawer. Every bad input of the contract: exit 1 with the booking or receipt named and nothing
written, 2 for bad usage, 3 for a role that may not handle money."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from sqlalchemy import func, select

from center_app.app import main
from center_app.db.models import Room
from center_app.db.money import LedgerVoid, Payment, Refund
from center_app.domain.booking_values import BookingInput
from center_app.domain.money import MoneyState
from center_app.domain.roles import Role
from center_app.services import auth, bookings, ledger, ledger_close
from center_app.services.context import ServiceContext
from center_app.services.staff import create_staff

pytestmark = pytest.mark.postgres

NOW = dt.datetime(2026, 6, 2, 10, 0)
DAY = dt.date(2026, 6, 9)


def run(capsys, monkeypatch, db_url, *argv, password="clerk-password-1"):
    monkeypatch.setenv("CENTER_APP_PASSWORD", password)
    try:
        status = main(["--database-url", db_url, *argv])
    except SystemExit as exit_:  # argparse: wrong usage
        status = exit_.code
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def env(db, clock):
    clock(NOW)
    admin = auth.create_first_admin(db, "boss", "センター 長子", "boss-password-1", "boss-password-1")
    admin_ctx = ServiceContext(db, admin)
    create_staff(admin_ctx, "clerk", "窓口 花子", Role.COUNTER, "clerk-password-1", "clerk-password-1")
    create_staff(admin_ctx, "coord", "相談 三郎", Role.COORDINATOR, "coord-password-1", "coord-password-1")
    with db.read() as session:
        rooms = {r.code: r.id for r in session.scalars(select(Room))}

    def book(room="M1", slot="午後", name="白根 花子", **extra):
        return bookings.create_booking(admin_ctx, BookingInput(
            room_id=rooms[room], day=DAY, slot_names=(slot,), applicant_name=name, applicant_phone="055-282-1111",
            applicant_class="resident", expected_people=5, purpose="打合せ", **extra))

    return {"db": db, "url": db.url, "admin": admin_ctx, "book": book}


def counts(db):
    with db.read() as session:
        return tuple(session.scalar(select(func.count()).select_from(t)) for t in (Payment, Refund, LedgerVoid))


def test_a_day_at_the_counter_adds_up_to_the_cash_drawer(env, capsys, monkeypatch, tmp_path, clock):
    url, book = env["url"], env["book"]
    drawer = 0  # the cash drawer: what was counted in and out by hand
    minutes = iter(range(5, 600, 5))

    def tick():  # the day goes on
        clock(NOW + dt.timedelta(minutes=next(minutes)))

    first = book()
    status, out, err = run(capsys, monkeypatch, url, "print", "permit", "--booking", first.slip_no, "--output", str(tmp_path / "permit.pdf"), "--as", "clerk")
    assert status == 0 and "P2026-000001" in out, err

    status, out, err = run(capsys, monkeypatch, url, "payments", "record", first.slip_no, "--method", "cash", "--as", "clerk",
                           "--output", str(tmp_path / "receipt.pdf"))
    assert status == 0, err
    assert "R2026-000001" in out and "400 円" in out
    assert (tmp_path / "receipt.pdf").read_bytes().startswith(b"%PDF")
    drawer += 400  # 1,000 円 handed over, 600 円 change
    tick()

    second = book(room="M2", name="櫛形 次郎")
    assert run(capsys, monkeypatch, url, "payments", "record", str(second.id), "--method", "cash", "--as", "clerk")[0] == 0
    drawer += 400
    tick()
    bookings.cancel_booking(env["admin"], second.id, "", reason_code="center")  # the center closes the room that day
    status, out, err = run(capsys, monkeypatch, url, "payments", "refund", "R2026-000002", "--reason", "空調工事のため", "--as", "clerk")
    assert status == 0 and "K2026-000001" in out and "400 円" in out, err
    drawer -= 400
    tick()

    clock(NOW - dt.timedelta(days=3))  # booked three days ago, paid by transfer the day before today
    transfer = book(room="M3", name="甲西 三郎")
    tick()
    status, out, _err = run(capsys, monkeypatch, url, "payments", "record", transfer.slip_no, "--method", "transfer", "--date", "1950-06-01",
                            "--as", "clerk")
    assert status == 1 and "予約より前" in _err  # a receipt dated before the booking existed would rewrite an old year
    status, out, _err = run(capsys, monkeypatch, url, "payments", "record", transfer.slip_no, "--method", "transfer", "--date", "2026-06-01",
                            "--as", "clerk")
    assert status == 0 and "R2026-000003" in out  # no cash moves

    wrong = book(slot="夜間")
    assert run(capsys, monkeypatch, url, "payments", "record", wrong.slip_no, "--method", "cash", "--amount", "400", "--as", "clerk")[0] == 0
    drawer += 400
    tick()
    status, out, err = run(capsys, monkeypatch, url, "payments", "void", "r2026-4", "--reason", "別の申込者の分を入力", "--as", "clerk")
    assert status == 0 and "R2026-000004" in out, err
    drawer -= 400

    status, out, err = run(capsys, monkeypatch, url, "report", "daily-income", "--date", "２０２６-０６-０２", "--output", str(tmp_path / "day.xlsx"), "--as", "clerk")
    assert status == 0, err
    book_ = openpyxl.load_workbook(tmp_path / "day.xlsx")
    cash = book_["現金"]
    rows = {r[0].value: r[1].value for r in cash.iter_rows(min_row=5) if r[0].value}
    assert rows == {"現金の収納": 1200, "現金の収納取消": -400, "現金の還付": -400, "本日の現金増減": drawer}
    entries = book_["明細"]
    header = [c.value for c in entries[4]]
    amount, method, kind = header.index("金額（円）"), header.index("納付方法"), header.index("区分")
    lines = [[c.value for c in row] for row in entries.iter_rows(min_row=5) if row[1].value]
    assert sum(r[amount] for r in lines if r[method] == "現金") == drawer == 400
    assert [r[kind] for r in lines] == ["収納", "収納", "還付", "収納", "収納取消"]  # the transfer came in on 6/1
    methods = {r[0].value: r[5].value for r in book_["納付方法別"].iter_rows(min_row=5) if r[0].value}
    assert methods["現金"] == 400 and "口座振込" not in methods

    status, out, err = run(capsys, monkeypatch, url, "report", "daily-income", "--date", "2026-06-01", "--output", str(tmp_path / "d1.csv"), "--as", "clerk")
    assert status == 0 and "口座振込" in (tmp_path / "d1.csv").read_text(encoding="utf-8-sig")
    for suffix in ("pdf", "csv", "xlsx"):
        status, _out, err = run(capsys, monkeypatch, url, "report", "income", "--month", "2026-06", "--output", str(tmp_path / f"month.{suffix}"), "--as", "clerk")
        assert status == 0, err
    monthly = openpyxl.load_workbook(tmp_path / "month.xlsx")["調定表（部屋別）"]
    total = [c.value for c in list(monthly.iter_rows(min_row=5))[-1]]
    # 調定: 会議室1 400 + 400 (the voided one is owed again), 会議室3 600; the refunded booking is cancelled
    assert total[:8] == ["合計", None, 3, 1400, 0, 1000, 400, 400]
    states = {k: v.state for k, v in ledger.booking_money(env["admin"], [first.id, second.id, wrong.id]).items()}
    assert states == {first.id: MoneyState.PAID, second.id: MoneyState.REFUNDED, wrong.id: MoneyState.UNPAID}
    status, out, _err = run(capsys, monkeypatch, url, "print", "receipt", "--receipt", "R2026-000001", "--output", str(tmp_path / "again.pdf"), "--as", "clerk")
    assert status == 0 and "再発行" in out


def test_bad_input_is_refused_naming_the_booking_or_receipt_and_writes_nothing(env, capsys, monkeypatch):
    url, book = env["url"], env["book"]
    paid = book()
    assert run(capsys, monkeypatch, url, "payments", "record", paid.slip_no, "--method", "cash", "--as", "clerk")[0] == 0
    cancelled = book(room="M2")
    bookings.cancel_booking(env["admin"], cancelled.id, "日程変更")
    exempt = book(room="M3", exemption_code="public_interest")
    open_ = book(room="WA")
    before = counts(env["db"])
    refused = [
        (("payments", "record", cancelled.slip_no, "--method", "cash"), cancelled.slip_no),
        (("payments", "record", paid.slip_no, "--method", "cash"), paid.slip_no),
        (("payments", "record", exempt.slip_no, "--method", "cash"), exempt.slip_no),
        (("payments", "record", open_.slip_no, "--method", "cash", "--amount", "-100"), "0 円より"),
        (("payments", "record", open_.slip_no, "--method", "cash", "--amount", "99.5"), "円単位"),
        (("payments", "record", open_.slip_no, "--method", "cash", "--amount", "401"), "400 円"),
        (("payments", "record", "B2026-999999", "--method", "cash"), "B2026-999999"),
        (("payments", "refund", "R2026-000001", "--reason", "多すぎ", "--amount", "500"), "R2026-000001"),
        (("payments", "refund", "R2026-000001", "--reason", "返金希望", "--amount", "400"), "訂正"),  # not cancelled: void it
        (("payments", "refund", "R2026-000009", "--reason", "ない番号"), "R2026-000009"),
    ]
    for argv, named in refused:
        status, out, err = run(capsys, monkeypatch, url, *argv, "--as", "clerk")
        assert status == 1 and named in err, (argv, status, err)
        assert "Traceback" not in err
    assert counts(env["db"]) == before

    assert run(capsys, monkeypatch, url, "payments", "void", "R2026-000001", "--reason", "誤り", "--as", "clerk")[0] == 0
    status, _out, err = run(capsys, monkeypatch, url, "payments", "void", "R2026-000001", "--reason", "もう一度", "--as", "clerk")
    assert status == 1 and "R2026-000001" in err
    status, _out, err = run(capsys, monkeypatch, url, "payments", "refund", "R2026-000001", "--reason", "還付", "--amount", "100", "--as", "boss",
                            password="boss-password-1")
    assert status == 1 and "R2026-000001" in err  # a voided receipt refunds nothing

    with env["db"].read() as session:
        facility_id = session.scalar(select(Room.facility_id).where(Room.id == open_.room_id))
    ledger_close.close_day(env["admin"], facility_id)
    after_close = counts(env["db"])
    status, _out, err = run(capsys, monkeypatch, url, "payments", "record", open_.slip_no, "--method", "cash", "--as", "clerk")
    assert status == 1 and "締め" in err
    assert counts(env["db"]) == after_close

    status, _out, err = run(capsys, monkeypatch, url, "payments", "record", open_.slip_no, "--method", "cash", "--date", "2026-02-30", "--as", "clerk")
    assert status == 2 and "2026-02-30" in err  # no such day
    status, _out, err = run(capsys, monkeypatch, url, "payments", "record", open_.slip_no, "--method", "cash", "--date", "9999-12-31", "--as", "clerk")
    assert status == 2 and "2200" in err  # outside the dates the app handles
    status, _out, err = run(capsys, monkeypatch, url, "payments", "record", open_.slip_no, "--method", "coins", "--as", "clerk")
    assert status == 2
    status, _out, err = run(capsys, monkeypatch, url, "payments", "record", open_.slip_no, "--method", "cash", "--as", "coord",
                            password="coord-password-1")
    assert status == 3
    status, _out, err = run(capsys, monkeypatch, url, "payments", "record", open_.slip_no, "--method", "cash")
    assert status == 3  # --as is missing: refused like every command that acts as a staff member
    assert counts(env["db"]) == after_close


def test_bookings_expire_lists_then_cancels(env, capsys, monkeypatch, clock):
    late = env["book"]()
    clock(dt.datetime(2026, 6, 7, 9, 0))  # deadline 6/6 has passed
    status, out, err = run(capsys, monkeypatch, env["url"], "bookings", "expire", "--as", "clerk", "--dry-run")
    assert status == 0 and late.slip_no in out and "取消対象" in out and "1 件が取消の対象です（何も変更していません）" in out, err
    assert "取り消しました" not in out  # a dry run cancels nothing and says so
    assert bookings.get_booking(env["admin"], late.id).status == "confirmed"
    status, out, _err = run(capsys, monkeypatch, env["url"], "bookings", "expire", "--as", "clerk")
    assert status == 0 and "1 件を取り消しました" in out
    assert bookings.get_booking(env["admin"], late.id).status == "cancelled"


def test_a_refund_entered_by_mistake_is_voided_so_its_receipt_can_be_voided(env, capsys, monkeypatch):
    url = env["url"]
    made = env["book"]()
    assert run(capsys, monkeypatch, url, "payments", "record", made.slip_no, "--method", "cash", "--as", "clerk")[0] == 0
    bookings.cancel_booking(env["admin"], made.id, "", reason_code="center")
    status, out, err = run(capsys, monkeypatch, url, "payments", "refund", "R2026-000001", "--reason", "空調工事", "--as", "clerk")
    assert status == 0 and "K2026-000001" in out, err
    status, _out, err = run(capsys, monkeypatch, url, "payments", "void", "R2026-000001", "--reason", "誤入力", "--as", "clerk")
    assert status == 1 and "還付" in err  # the refund first
    status, out, err = run(capsys, monkeypatch, url, "payments", "void", "ｋ２０２６－１", "--reason", "還付の誤り", "--as", "clerk")
    assert status == 0 and "K2026-000001" in out, err
    status, out, err = run(capsys, monkeypatch, url, "payments", "void", "R2026-000001", "--reason", "誤入力", "--as", "clerk")
    assert status == 0 and "R2026-000001" in out, err


def test_refusals_say_what_is_wrong_and_what_to_do(env, capsys, monkeypatch, tmp_path):
    """The defects: a permit for two applicants' bookings was refused in words about 収納, and a
    void on a closed day advised recording it "as a correction" — which is what the clerk was doing."""
    url = env["url"]
    mine, theirs = env["book"](), env["book"](slot="夜間", name="櫛形 次郎")
    status, _out, err = run(capsys, monkeypatch, url, "print", "permit", "--booking", mine.slip_no, "--booking", theirs.slip_no,
                            "--output", str(tmp_path / "permit.pdf"), "--as", "clerk")
    assert status == 1 and "申込者が異なります" in err and "収納" not in err and "申込者ごと" in err
    assert mine.slip_no in err and theirs.slip_no in err and not (tmp_path / "permit.pdf").exists()

    assert run(capsys, monkeypatch, url, "payments", "record", mine.slip_no, "--method", "cash", "--as", "clerk")[0] == 0
    with env["db"].read() as session:
        facility_id = session.scalar(select(Room.facility_id).where(Room.id == mine.room_id))
    ledger_close.close_day(env["admin"], facility_id)
    status, _out, err = run(capsys, monkeypatch, url, "payments", "void", "R2026-000001", "--reason", "誤り", "--as", "clerk")
    assert status == 1 and "本日" in err and "次に窓口を開ける日" in err and "訂正として" not in err
    status, _out, err = run(capsys, monkeypatch, url, "payments", "record", theirs.slip_no, "--method", "transfer", "--date", "2026-06-02",
                            "--as", "clerk")
    assert status == 1 and "本日" in err

