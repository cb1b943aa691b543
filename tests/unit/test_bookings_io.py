"""Import of a booking ledger (CSV / XLSX): all or nothing, every problem with row and column,
history accepted, horizon only for future dates; ``center-app bookings import`` and ``print slip``."""

from __future__ import annotations

import datetime as dt
import sys

import pytest
from bookings_support import TODAY, clear_bookings, context, make_input, room_ids, seeded_database
from conftest import command_line_admin
from sqlalchemy import select

from center_app.app import main
from center_app.db.bookings import Booking
from center_app.db.groups import Group
from center_app.db.models import Room
from center_app.domain.booking_values import BookingStatus
from center_app.domain.errors import Cancelled, ValidationError
from center_app.services import bookings, bookings_io, groups, groups_io
from center_app.services.group_values import GroupInput

pytestmark = pytest.mark.postgres

HEADER = "施設,部屋,利用日,区分,開始,終了,登録番号,申込者名,電話番号,申込者区分,目的,人数,減免,状態,利用人数\r\n"
CENTER = "南アルプス市市民活動センター"


@pytest.fixture
def env(tmp_path, clock):
    clock(TODAY)
    db = seeded_database(tmp_path)
    admin = context(db)
    group = groups.register_group(admin, GroupInput(
        name="白根おはなしの会", name_kana="シラネオハナシノカイ", legal_form="voluntary", activity_fields=(2,), representative_name="山田 花子",
    ))
    yield {"db": db, "admin": admin, "group": group, "rooms": room_ids(db), "tmp": tmp_path}
    db.dispose()


def write(env, text: str, name="ledger.csv", encoding="utf-8-sig"):
    path = env["tmp"] / name
    path.write_bytes((HEADER + text).encode(encoding))
    return path


def stored(env):
    with env["db"].read() as session:
        return list(session.scalars(select(Booking).order_by(Booking.start_at, Booking.id)))


GOOD = (
    f"{CENTER},M1,2026/6/9,午後,,,R08-0001,,,,定例会,12,登録団体の公益活動,,\r\n"
    f"main,会議室1,令和8年6月9日,,17:00,19:00,,櫛形 太郎,055-282-3333,市外,相談会,4,,,\r\n"
    f"{CENTER},M2,2025/5/13,午前,,,,甲西 花子,,,,6,,,5\r\n"  # history: past date, attendance → 利用済
    f"{CENTER},M1,2026/6/9,午後,,,,若草 次郎,055-282-4444,,,3,,取消,\r\n"  # cancelled: blocks nothing
)


def test_ledger_rows_become_bookings_with_the_right_status(env):
    result = bookings_io.import_bookings(env["admin"], write(env, GOOD))
    assert result.created == 4
    rows = stored(env)
    past, first, cancelled, evening = rows
    assert (past.status, past.attendance, past.applicant_name, past.applicant_phone) == (BookingStatus.USED, 5, "甲西 花子", "")
    assert (first.status, first.group_id, first.fee_yen, first.waived_yen, first.slot_names) == (BookingStatus.CONFIRMED, env["group"].id, 0, 400, ["午後"])
    assert cancelled.status == BookingStatus.CANCELLED and cancelled.cancel_reason
    assert (evening.start_at.time(), evening.applicant_class_code, evening.fee_yen) == (dt.time(17), "non_resident", 750)  # 17–18 outside the slots: 100 円 an hour, + 夜間 400, × 1.5
    assert all(r.slip_no for r in rows)


def test_dry_run_writes_nothing(env):
    assert bookings_io.import_bookings(env["admin"], write(env, GOOD), dry_run=True).created == 4
    assert stored(env) == []


def test_every_problem_reported_with_row_and_column_and_nothing_written(env):
    bookings.create_booking(env["admin"], make_input(env["rooms"]["M3"], dt.date(2026, 6, 10), "10:00", "12:00", applicant_name="芦安 三郎"))
    text = (
        f"{CENTER},M1,2026/6/9,,13:00,15:00,,山田 一,,,,5,,,\r\n"            # row 2: fine on its own
        f"{CENTER},M1,2026/6/9,,14:59,16:00,,山田 二,,,,5,,,\r\n"           # row 3: overlaps row 2
        f"{CENTER},M3,2026/6/10,午前,,,,山田 三,,,,5,,,\r\n"                 # row 4: overlaps a stored booking
        f"{CENTER},M2,2026/6/8,午前,,,,山田 四,,,,5,,,\r\n"                  # row 5: Monday, closed
        f"{CENTER},M2,2026/6/11,,21:00,23:00,,山田 五,,,,5,,,\r\n"           # row 6: outside opening hours
        f"{CENTER},M2,2026/6/12,午前,,,,山田 六,,,,25,,,\r\n"                # row 7: capacity 18
        f"{CENTER},X9,2026/6/12,午前,,,,山田 七,,,,5,,,\r\n"                 # row 8: unknown room
        f"{CENTER},M2,2026/12/1,午前,,,,山田 八,,,,5,,,\r\n"                 # row 9: beyond the horizon
        f"{CENTER},M2,2026/6/13,午前,,,R99-9999,,,,,5,,,\r\n"               # row 10: unknown number
    )
    with pytest.raises(ValidationError) as info:
        bookings_io.import_bookings(env["admin"], write(env, text))
    found = {(p.row, p.field) for p in info.value.problems}
    assert found == {(3, "開始"), (4, "区分"), (5, "利用日"), (6, "終了"), (7, "人数"), (8, "部屋"), (9, "利用日"), (10, "登録番号")}
    messages = {p.row: p.message for p in info.value.problems}
    assert "2" in messages[3]  # names the other row
    assert "芦安 三郎" in messages[4]  # names the stored booking
    assert "休館日" in messages[5]
    assert len(stored(env)) == 1


def test_missing_columns_are_named(env):
    path = env["tmp"] / "bad.csv"
    path.write_text("施設,部屋,利用日\r\nmain,M1,2026/6/9\r\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        bookings_io.import_bookings(env["admin"], path)
    assert {p.field for p in info.value.problems} == {"人数", "区分", "申込者名"}


def test_cp932_csv_and_xlsx(env):
    row = f"{CENTER},和室,2026/6/16,夜間,,,,髙﨑 次郎,055-282-5555,,茶道,8,,,\r\n"
    bookings_io.import_bookings(env["admin"], write(env, row, "sjis.csv", "cp932"))  # 髙 and 﨑 are in cp932 (IBM extensions)
    import xlsxwriter

    path = env["tmp"] / "ledger.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for col, header in enumerate(HEADER.strip().split(",")):
        sheet.write_string(0, col, header)
    values = [CENTER, "和室", dt.datetime(2026, 6, 17), "", "10:00", "11:30", "", "髙﨑 三郎", "055-282-6666", "", "", 3, "", "", ""]
    for col, value in enumerate(values):
        if isinstance(value, dt.datetime):
            sheet.write_datetime(1, col, value, book.add_format({"num_format": "yyyy/mm/dd"}))
        elif isinstance(value, int):
            sheet.write_number(1, col, value)
        elif value:
            sheet.write_string(1, col, value)
    book.close()
    assert bookings_io.import_bookings(env["admin"], path).created == 1
    assert [(r.applicant_name, r.start_at) for r in stored(env)] == [("髙﨑 次郎", dt.datetime(2026, 6, 16, 18)), ("髙﨑 三郎", dt.datetime(2026, 6, 17, 10))]


def test_parse_time_forms():
    assert [bookings_io.parse_time(v) for v in ("13:00", "1330", "13時", "13時30分", "１３：３０", "13:00:00", "", dt.time(9))] == [
        dt.time(13), dt.time(13, 30), dt.time(13), dt.time(13, 30), dt.time(13, 30), dt.time(13), None, dt.time(9)]
    with pytest.raises(ValueError):
        bookings_io.parse_time("午後")


# --- the command line -------------------------------------------------------------------------


def cli(capsys, env, *argv):
    status = main(["--lang", "en", "--database-url", env["db"].url, *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_import_dry_run_then_import_then_problems(env, capsys):
    path = write(env, GOOD)
    status, out, _err = cli(capsys, env, "bookings", "import", str(path), "--dry-run")
    assert (status, "4" in out) == (0, True)
    assert stored(env) == []
    status, out, _err = cli(capsys, env, "bookings", "import", str(path))
    assert status == 0 and "4" in out
    status, _out, err = cli(capsys, env, "bookings", "import", str(path))  # again: every row now conflicts
    assert status == 1
    assert "Row 2: 区分:" in err and "Nothing was imported" in err
    assert len(stored(env)) == 4


def test_cli_print_slip(env, capsys, tmp_path, monkeypatch):
    view = bookings.create_booking(env["admin"], make_input(env["rooms"]["M1"], dt.date(2026, 6, 9), language="en"))
    target = tmp_path / "slip.pdf"
    signed_in = command_line_admin(env["db"], monkeypatch)
    status, out, _err = cli(capsys, env, "print", "slip", "--booking", str(view.id), "--output", str(target), *signed_in)
    assert status == 0 and view.slip_no in out
    from pypdf import PdfReader

    text = PdfReader(target).pages[0].extract_text()
    assert "Tuesday, June 9, 2026" in text and "令和8年6月9日（火）" in text  # the applicant's language by default
    status, _out, err = cli(capsys, env, "print", "slip", "--booking", "9999", "--output", str(target), *signed_in)
    assert status == 1 and "9999" in err
    by_number = tmp_path / "by-number.pdf"  # the slip number staff see works as well as the id
    status, _out, _err = cli(capsys, env, "print", "slip", "--booking", view.slip_no.lower(), "--output", str(by_number), *signed_in)
    assert status == 0 and PdfReader(by_number).pages[0].extract_text() == text
    with pytest.raises(SystemExit) as usage:
        main(["--database-url", env["db"].url, "print", "slip", "--booking", str(view.id), "--output", str(target), "--lang", "fr", *signed_in])
    assert usage.value.code == 2


# --- progress, cancelling, the index of the rows above, export ----------------------------------


def test_an_overlap_with_several_rows_above_names_the_first_of_them_in_the_file(env):
    text = (
        f"{CENTER},M1,2026/6/9,,13:00,15:00,,山田 一,,,,5,,,\r\n"    # row 2
        f"{CENTER},M1,2026/6/9,,15:00,17:00,,山田 二,,,,5,,,\r\n"    # row 3: touches row 2, no overlap (half-open)
        f"{CENTER},M1,2026/6/10,,13:00,15:00,,山田 三,,,,5,,,\r\n"   # row 4: another day
        f"{CENTER},M2,2026/6/9,,14:00,16:00,,山田 四,,,,5,,,\r\n"    # row 5: another room
        f"{CENTER},M1,2026/6/9,,14:00,16:00,,山田 五,,,,5,,,\r\n"    # row 6: overlaps rows 3 and 2
        f"{CENTER},M1,2026/6/9,,16:30,17:00,,山田 六,,,,5,,取消,\r\n"  # row 7: cancelled, blocks nothing
        f"{CENTER},M1,2026/6/9,,16:30,18:00,,山田 七,,,,5,,,\r\n"    # row 8: overlaps row 3 only
    )
    with pytest.raises(ValidationError) as info:
        bookings_io.import_bookings(env["admin"], write(env, text))
    messages = {p.row: p.message for p in info.value.problems}
    assert sorted(messages) == [6, 8]
    assert "2" in messages[6] and "3" not in messages[6]
    assert "3" in messages[8]


def test_progress_is_reported_and_a_cancel_writes_nothing(env):
    reports: list[tuple[int, int]] = []
    bookings_io.import_bookings(env["admin"], write(env, GOOD), progress=lambda done, total: reports.append((done, total)))
    totals = {total for _done, total in reports}
    assert len(totals) == 1 and reports[-1][0] == reports[-1][1] and [d for d, _t in reports] == sorted(d for d, _t in reports)
    clear_bookings(env["db"])
    with pytest.raises(Cancelled):
        bookings_io.import_bookings(env["admin"], write(env, GOOD), progress=lambda done, total: done < total // 2)
    assert stored(env) == []


def test_a_value_repeated_on_many_rows_is_checked_on_each_of_them(env):
    """An import works out each phone number, day, slot name and group of the file once: every
    row with the same bad value is still reported, and the good ones are stored on every row."""
    good = (
        f"{CENTER},M1,2026/6/9,午前,,,,櫛形 太郎,055-282-3333,,,4,,,\r\n"
        f"{CENTER},M1,2026/6/10,午前,,,,櫛形 太郎,055-282-3333,,,4,,,\r\n"
        f"{CENTER},M2,2026/6/9,午後,,,R08-0001,,,,,4,,,\r\n"
        f"{CENTER},M2,2026/6/10,午後,,,R08-0001,,,,,4,,,\r\n"
    )
    bad = (
        f"{CENTER},M2,2026/6/11,午前,,,,甲西 花子,12345,,,4,,,\r\n"    # rows 6 and 7: the same bad phone number
        f"{CENTER},M2,2026/6/12,午前,,,,甲西 花子,12345,,,4,,,\r\n"
        f"{CENTER},M3,2026/6/11,朝,,,,甲西 花子,,,,4,,,\r\n"          # rows 8 and 9: the same unknown slot
        f"{CENTER},M3,2026/6/12,朝,,,,甲西 花子,,,,4,,,\r\n"
        f"{CENTER},M3,2026/6/31,午前,,,,甲西 花子,,,,4,,,\r\n"        # rows 10 and 11: the same impossible date
        f"{CENTER},M3,2026/6/31,午後,,,,甲西 花子,,,,4,,,\r\n"
        f"{CENTER},M3,2026/6/8,午前,,,,甲西 花子,,,,4,,,\r\n"         # rows 12 and 13: the same closed day
        f"{CENTER},M3,2026/6/8,午後,,,,甲西 花子,,,,4,,,\r\n"
    )
    with pytest.raises(ValidationError) as info:
        bookings_io.import_bookings(env["admin"], write(env, good + bad))
    assert sorted((p.row, p.field) for p in info.value.problems) == [
        (6, "電話番号"), (7, "電話番号"), (8, "区分"), (9, "区分"), (10, "利用日"), (11, "利用日"), (12, "利用日"), (13, "利用日"),
    ]
    assert stored(env) == []
    assert bookings_io.import_bookings(env["admin"], write(env, good)).created == 4
    rows = stored(env)
    assert [(r.applicant_name, r.applicant_phone, r.group_id, r.fee_yen) for r in rows] == [
        ("櫛形 太郎", "055-282-3333", None, 300), ("白根おはなしの会", env["group"].phone or env["group"].mobile or "", env["group"].id, 400),
        ("櫛形 太郎", "055-282-3333", None, 300), ("白根おはなしの会", env["group"].phone or env["group"].mobile or "", env["group"].id, 400),
    ]


def test_the_garbage_collector_is_paused_during_an_import_and_runs_again_after_it_however_it_ends(env):
    import gc

    seen: list[bool] = []
    assert gc.isenabled()
    bookings_io.import_bookings(env["admin"], write(env, GOOD), progress=lambda done, total: seen.append(gc.isenabled()))
    assert seen and not any(seen) and gc.isenabled()
    with pytest.raises(ValidationError):  # the same rows again: every one overlaps
        bookings_io.import_bookings(env["admin"], write(env, GOOD))
    assert gc.isenabled()
    clear_bookings(env["db"])
    with pytest.raises(Cancelled):
        bookings_io.import_bookings(env["admin"], write(env, GOOD), progress=lambda done, total: done < total // 2)
    assert gc.isenabled()
    gc.disable()  # a program that runs without the collector keeps it off
    try:
        bookings_io.import_bookings(env["admin"], write(env, GOOD))
        assert not gc.isenabled()
    finally:
        gc.enable()


def _described(db) -> list[tuple]:
    with db.read() as session:
        rows = session.execute(
            select(Booking, Room.code, Group.registration_no).join(Room, Room.id == Booking.room_id)
            .outerjoin(Group, Group.id == Booking.group_id).order_by(Booking.start_at, Room.code)
        ).all()
    return [
        (code, b.start_at, b.end_at, tuple(b.slot_names), b.status, number, b.applicant_name, b.applicant_phone, b.applicant_class_code,
         b.expected_people, b.attendance, b.exemption_code, b.fee_yen, b.waived_yen, b.language, b.purpose, b.note)
        for b, code, number in rows
    ]


def test_an_exported_ledger_imports_into_a_fresh_database_as_the_same_bookings(env, tmp_path):
    bookings_io.import_bookings(env["admin"], write(env, GOOD))
    bookings.create_booking(env["admin"], make_input(env["rooms"]["HALL"], dt.date(2026, 6, 11), "10:00", "12:30", note="音響あり"))
    bookings.create_booking(env["admin"], make_input(env["rooms"]["M3"], dt.date(2026, 6, 12), None, None, slot_names=("午前", "午後"),
                                                     group_id=env["group"].id, exemption_code="city_endorsed", language="en"))
    ledger, groups_file = tmp_path / "ledger.xlsx", tmp_path / "groups.csv"
    assert bookings_io.export_bookings(env["admin"], ledger) == 6
    groups_io.export_groups(env["admin"], groups_file)
    (tmp_path / "other").mkdir()
    other = seeded_database(tmp_path / "other")
    try:
        target = context(other)
        groups_io.import_groups(target, groups_file)
        assert bookings_io.import_bookings(target, ledger).created == 6
        assert _described(other) == _described(env["db"])
        total = lambda db: sum(r[12] for r in _described(db) if r[4] != BookingStatus.CANCELLED)  # noqa: E731
        assert total(other) == total(env["db"]) > 0
    finally:
        other.dispose()


def test_cli_export_chooses_days_and_facility_and_shows_the_import_progress_on_a_terminal(env, capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    status, _out, err = cli(capsys, env, "bookings", "import", str(write(env, GOOD)))
    assert status == 0 and "Importing… 100 %" in err and err.count("Importing…") <= 10
    out_file = tmp_path / "day.csv"
    status, out, _err = cli(capsys, env, "bookings", "export", str(out_file), "--from", "2026-06-09", "--to", "2026/6/9", "--facility", "main")
    assert status == 0 and "3" in out  # the day's three rows of the ledger, the cancelled one too
    lines = out_file.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].split(",")[-1] == "予約番号" and len(lines) == 4
    assert all("2026-06-09" in line and line.split(",")[-1].startswith("B") for line in lines[1:])
    status, _out, err = cli(capsys, env, "bookings", "export", str(out_file), "--facility", "nowhere")
    assert status == 1 and "main" in err


def test_the_language_column_takes_every_slip_language_by_code_or_by_its_own_name(env):
    rows = "".join(f"{CENTER},M{i % 3 + 1},2026/6/{9 + i},午前,,,,申込者 {i},,,,3,,,,{lang}\r\n"
                   for i, lang in enumerate(["zh_Hans", "pt-BR", "Tiếng Việt", "ไทย", "TL", "es"]))
    path = env["tmp"] / "languages.csv"
    path.write_bytes((HEADER.replace("\r\n", ",言語\r\n") + rows).encode("utf-8-sig"))
    assert bookings_io.import_bookings(env["admin"], path).created == 6
    assert [b.language for b in stored(env)] == ["zh_Hans", "pt_BR", "vi", "th", "tl", "es"]
    path.write_bytes((HEADER.replace("\r\n", ",言語\r\n") + f"{CENTER},M1,2026/6/20,午前,,,,申込者,,,,3,,,,français\r\n").encode("utf-8-sig"))
    with pytest.raises(ValidationError) as info:
        bookings_io.import_bookings(env["admin"], path)
    assert [(p.row, p.field) for p in info.value.problems] == [(2, "言語")] and "français" in info.value.problems[0].message
