"""Group import / export: all-or-nothing, every problem reported, round trips, encodings, CLI."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest

from conftest import command_line_admin

from center_app.app import main
from center_app.domain.errors import ValidationError
from center_app.services import groups, groups_io
from center_app.services.group_values import GroupInput

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "groups_sample.csv"
TODAY = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _clock(clock):
    clock(TODAY)


def sample_rows() -> tuple[list[str], list[list[str]]]:
    with SAMPLE.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def write_csv(path: Path, header, rows, encoding="utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def all_details(ctx):
    page = groups.search_groups(ctx, limit=1000)
    return {d.registration_no: d for d in (groups.get_group(ctx, item.id) for item in page.items)}


def comparable(detail):
    skip = {"id", "created_at", "updated_at", "status_changed_on", "version"}
    return {k: v for k, v in dataclasses.asdict(detail).items() if k not in skip}


def test_sample_import_creates_then_reimport_updates_never_duplicates(admin_ctx, tmp_path):
    result = groups_io.import_groups(admin_ctx, SAMPLE)
    assert (result.created, result.updated) == (15, 0)
    details = all_details(admin_ctx)
    assert sorted(details) == [f"R08-{n:04d}" for n in range(1, 16)]
    ohanashi = details["R08-0001"]
    assert ohanashi.name == "白根おはなしの会" and ohanashi.activity_fields == (2, 13)
    assert ohanashi.valid_until == dt.date(2027, 3, 31) and ohanashi.public_consent[0] == "name"
    assert details["R08-0008"].public_consent == ()  # 否

    again = groups_io.import_groups(admin_ctx, SAMPLE)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 15)
    header, rows = sample_rows()
    rows[0][header.index("会員数")] = "13"
    changed = groups_io.import_groups(admin_ctx, write_csv(tmp_path / "changed.csv", header, rows))
    assert (changed.created, changed.updated) == (0, 1)
    assert groups.search_groups(admin_ctx).total == 15
    assert all_details(admin_ctx)["R08-0001"].member_count == 13


def test_new_groups_without_number_continue_the_serial(admin_ctx, tmp_path):
    groups_io.import_groups(admin_ctx, SAMPLE)
    header, rows = sample_rows()
    new = list(rows[0])
    new[0], new[1], new[2] = "", "南アルプス将棋クラブ", "ミナミアルプスショウギクラブ"
    result = groups_io.import_groups(admin_ctx, write_csv(tmp_path / "new.csv", header, [new]))
    assert result.created == 1
    assert "R08-0016" in all_details(admin_ctx)


def test_numbers_written_in_the_file_are_kept_and_new_ones_never_take_them(admin_ctx, tmp_path):
    header, rows = sample_rows()
    numbered, unnumbered = list(rows[0]), list(rows[1])
    numbered[0], unnumbered[0] = "R08-0002", ""
    result = groups_io.import_groups(admin_ctx, write_csv(tmp_path / "mixed.csv", header, [unnumbered, numbered]))
    assert result.created == 2
    details = all_details(admin_ctx)
    assert details["R08-0002"].name == numbered[1] and details["R08-0003"].name == unnumbered[1]
    assert details["R08-0002"].activity_fields == (2, 13)
    from center_app.services import audit

    created = audit.recent_entries(admin_ctx, entity="group", action="create")
    assert len(created) == 2 and all(e.note == "import mixed.csv" and e.after["activity_fields"] for e in created)


def test_progress_is_reported_and_a_cancel_writes_nothing(admin_ctx):
    from center_app.domain.errors import Cancelled

    reports = []
    with pytest.raises(Cancelled):
        groups_io.import_groups(admin_ctx, SAMPLE, progress=lambda done, total: reports.append(done) or done < total // 2)
    assert groups.search_groups(admin_ctx).total == 0 and reports == sorted(reports)
    reports.clear()
    assert groups_io.import_groups(admin_ctx, SAMPLE, progress=lambda done, total: reports.append((done, total))).created == 15
    assert reports[-1][0] == reports[-1][1]


def test_a_bad_file_writes_nothing_and_lists_every_problem(admin_ctx, tmp_path):
    header, rows = sample_rows()
    rows[2][header.index("電話番号")] = "055-1234"
    rows[4][header.index("フリガナ")] = "Wakakusa"
    rows[4][header.index("設立年月日")] = "2010-13-10"
    rows[6][0] = rows[5][0]  # the same 登録番号 twice
    with pytest.raises(ValidationError) as caught:
        groups_io.import_groups(admin_ctx, write_csv(tmp_path / "bad.csv", header, rows))
    lines = [groups_io.format_problem(p) for p in caught.value.problems]
    assert lines[0].startswith("行 4: 電話番号: ")
    assert [(p.row, p.field) for p in caught.value.problems] == [
        (4, "電話番号"), (6, "フリガナ"), (6, "設立年月日"), (8, "登録番号"),
    ]
    assert "7" in caught.value.problems[-1].message  # points at the first row with that number
    assert groups.search_groups(admin_ctx).total == 0


def test_headers_in_any_order_unknown_and_missing_reported(admin_ctx, tmp_path):
    header, rows = sample_rows()
    order = list(reversed(range(len(header))))
    shuffled = write_csv(tmp_path / "shuffled.csv", [header[i] for i in order], [[r[i] for i in order] for r in rows])
    assert groups_io.import_groups(admin_ctx, shuffled, dry_run=True).created == 15
    broken = write_csv(tmp_path / "broken.csv", ["団体名", "読み仮名", "団体種別", "活動分野", "代表者名"], [["a", "ア", "任意団体", "観光", "x"]])
    with pytest.raises(ValidationError) as caught:
        groups_io.import_groups(admin_ctx, broken)
    assert {(p.row, p.field) for p in caught.value.problems} == {(1, "読み仮名"), (1, "フリガナ")}


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp932"])
def test_csv_encodings_detected(admin_ctx, tmp_path, encoding):
    header, rows = sample_rows()
    path = write_csv(tmp_path / "enc.csv", header, rows, encoding=encoding)
    assert groups_io.import_groups(admin_ctx, path).created == 15
    assert all_details(admin_ctx)["R08-0003"].name == "芦安山岳ガイドの会"


def test_undecodable_file_is_a_clear_error(admin_ctx, tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("団体名".encode("utf-16"))
    with pytest.raises(ValidationError, match="UTF-8"):
        groups_io.import_groups(admin_ctx, path)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_round_trips(admin_ctx, db_url, tmp_path, suffix):
    groups_io.import_groups(admin_ctx, SAMPLE)
    first = all_details(admin_ctx)
    some = first["R08-0002"]
    groups.update_group(admin_ctx, some.id, dataclasses.replace(
        GroupInput.from_detail(some), mobile="090-1111-2222", website="https://kodomo.example.jp",
        purpose="子どもの居場所づくり\n食事の提供", public_consent=("name", "contact"), notes="=HYPERLINK(\"http://x\")",
    ))
    before = {k: comparable(v) for k, v in all_details(admin_ctx).items()}
    out = tmp_path / f"all{suffix}"
    assert groups_io.export_groups(admin_ctx, out) == 15

    fresh_url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    assert main(["--database-url", fresh_url, "groups", "import", str(out)]) == 0
    from center_app.db.database import open_database
    from center_app.services.context import ServiceContext, command_line_user

    fresh = open_database(fresh_url)
    try:
        after = {k: comparable(v) for k, v in all_details(ServiceContext(fresh, command_line_user())).items()}
    finally:
        fresh.dispose()
    assert after == before


def test_formulas_neutralised_in_csv_numbers_and_phones_untouched(admin_ctx, tmp_path):
    groups_io.import_groups(admin_ctx, SAMPLE)
    some = all_details(admin_ctx)["R08-0001"]
    groups.update_group(admin_ctx, some.id, dataclasses.replace(GroupInput.from_detail(some), notes="=1+2", membership_fee="-5", address="@home"))
    groups_io.export_groups(admin_ctx, tmp_path / "out.csv")
    with (tmp_path / "out.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    row = next(r for r in rows if r["登録番号"] == "R08-0001")
    assert (row["備考"], row["住所"], row["会費"]) == ("'=1+2", "'@home", "-5")
    assert (row["電話番号"], row["会員数"], row["登録日"]) == ("0550-00-0101", "12", "2026-04-01")
    assert (tmp_path / "out.csv").read_bytes().startswith(b"\xef\xbb\xbf")

    groups_io.export_groups(admin_ctx, tmp_path / "out.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx").worksheets[0]
    header = [c.value for c in sheet[1]]
    cells = {header[i]: c for i, c in enumerate(next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "R08-0001"))}
    assert cells["備考"].value == "=1+2" and cells["備考"].data_type == "s"  # a string cell, never a formula
    assert cells["会員数"].value == 12 and cells["会員数"].data_type == "n"
    assert cells["電話番号"].value == "0550-00-0101"


def test_public_export_only_consented_fields_of_registered_groups(admin_ctx, tmp_path):
    groups_io.import_groups(admin_ctx, SAMPLE)
    details = all_details(admin_ctx)
    groups.pause_group(admin_ctx, details["R08-0003"].id)
    groups.update_group(admin_ctx, details["R08-0002"].id, dataclasses.replace(
        GroupInput.from_detail(details["R08-0002"]), public_consent=("name", "activity_fields")))
    groups_io.export_groups(admin_ctx, tmp_path / "public.csv", public=True)
    with (tmp_path / "public.csv").open(encoding="utf-8-sig") as handle:
        rows = {r["登録番号"]: r for r in csv.DictReader(handle)}
    assert "R08-0008" not in rows and "R08-0014" not in rows  # 公開可否 否
    assert "R08-0003" not in rows  # paused
    assert len(rows) == 12
    partial = rows["R08-0002"]
    assert partial["団体名"] == "櫛形子ども食堂ネットワーク" and partial["活動分野"] == "子どもの健全育成;保健・医療・福祉"
    assert partial["電話番号"] == partial["代表者名"] == partial["会員数"] == ""
    assert rows["R08-0001"]["電話番号"] == "0550-00-0101" and rows["R08-0001"]["備考"] == ""


def test_cli_exit_status_and_messages(db_url, tmp_path, capsys, monkeypatch):
    bad = tmp_path / "bad.csv"
    header, rows = sample_rows()
    rows[1][header.index("メールアドレス")] = "kodomo@"
    write_csv(bad, header, rows)
    assert main(["--database-url", db_url, "groups", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "行 3: メールアドレス: " in err
    assert main(["--database-url", db_url, "groups", "import", str(SAMPLE), "--dry-run"]) == 0
    signed_in = command_line_admin(db_url, monkeypatch)
    assert main(["--database-url", db_url, "groups", "export", str(tmp_path / "x.csv"), *signed_in]) == 0
    assert "0" in capsys.readouterr().out  # nothing was written by the dry run
    assert main(["--database-url", db_url, "groups", "import", str(SAMPLE)]) == 0
    assert "15" in capsys.readouterr().out
    assert main(["--database-url", db_url, "groups", "export", str(tmp_path / "x.txt"), *signed_in]) == 1
    assert main(["--database-url", db_url, "groups", "import", str(tmp_path / "missing.csv")]) == 1
    shutil.copy(SAMPLE, tmp_path / "s.xlsx")  # not a workbook
    assert main(["--database-url", db_url, "groups", "import", str(tmp_path / "s.xlsx")]) == 1
    assert main(["--database-url", db_url, "groups"]) == 2


@pytest.mark.parametrize(("command", "expected"), [
    ("groups", ("団体名", "フリガナ", "団体種別", "活動分野", "代表者名", "メールアドレス")),
    ("bookings", ("施設", "部屋", "利用日", "人数", "区分", "申込者名")),
])
def test_a_file_without_a_header_row_gets_one_message_naming_the_columns(db_url, tmp_path, capsys, command, expected):
    """The defect: a CSV whose first row is data got eleven lines, six of them repeating the
    column list, and never said that the header row was missing."""
    header, rows = sample_rows()
    if command == "bookings":
        rows = [["main", "M1", "2026/6/9", "午前", "", "", "", "白根 花子", "", "", "", "", "5"]]
    headless = write_csv(tmp_path / "headless.csv", rows[0], rows[1:])
    assert main(["--database-url", db_url, command, "import", str(headless)]) == 1
    problems = [line for line in capsys.readouterr().err.splitlines() if line.startswith("行")]
    assert len(problems) == 1 and problems[0].startswith("行 1: ") and "見出し行" in problems[0]
    assert all(name in problems[0] for name in expected)


def test_a_negative_number_of_members_is_refused_as_negative():
    """The defect: 会員数 -5 was refused as "not a whole number"."""
    from center_app.domain.errors import ValidationError
    from center_app.services.group_values import _clean_member_count

    with pytest.raises(ValidationError, match="0 以上"):
        _clean_member_count("-5")
    with pytest.raises(ValidationError, match="整数"):
        _clean_member_count("12.5")
    assert _clean_member_count("１２人") == 12


def test_a_negative_number_on_an_event_is_refused_as_negative():
    from center_app.domain.errors import ValidationError
    from center_app.services.events import _whole_number

    with pytest.raises(ValidationError, match="0以上"):
        _whole_number("-5", "capacity", 0)


def test_an_empty_address_is_filled_from_the_postal_code_and_the_report_says_so(admin_ctx, tmp_path, db, capsys):
    header, rows = sample_rows()
    address = header.index("住所")
    rows[1][address] = ""  # 400-0306: 山梨県南アルプス市小笠原 (row 3 of the file)
    rows[2][address] = ""
    rows[2][header.index("郵便番号")] = ""  # no postal code: stays without an address (row 4)
    path = write_csv(tmp_path / "no-address.csv", header, rows)
    checked = groups_io.import_groups(admin_ctx, path, dry_run=True)
    assert checked.addresses_filled == (3,)
    assert groups_io.preview_import(admin_ctx, path).addresses_filled == (3,)
    capsys.readouterr()
    assert main(["--database-url", db.url, "groups", "import", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "住所が空欄だった1行（3行目）は、郵便番号から住所を補いました。確認してください。"
    details = all_details(admin_ctx)
    assert details[rows[1][0]].address == "山梨県南アルプス市小笠原"
    assert details[rows[2][0]].address == ""
    # search finds it by the 番地 however written, once an address has one
    assert [i.name for i in groups.search_groups(admin_ctx, "上今諏訪１０００－１").items] == [rows[0][1]]
    assert [i.name for i in groups.search_groups(admin_ctx, "上今諏訪1000番地の1").items] == [rows[0][1]]


def test_export_order_kana_is_jis_x_4061_and_number_is_by_registration_number(admin_ctx, tmp_path, db, monkeypatch):
    from center_app.domain.search_keys import kana_sort_key

    groups_io.import_groups(admin_ctx, SAMPLE)
    signed_in = command_line_admin(db, monkeypatch)
    for order in ("kana", "number"):
        out = tmp_path / f"{order}.csv"
        assert main(["--database-url", db.url, "groups", "export", str(out), "--order", order, *signed_in]) == 0
        with out.open(encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
        key = (lambda r: kana_sort_key(r["フリガナ"])) if order == "kana" else (lambda r: r["登録番号"])
        assert [r["登録番号"] for r in rows] == [r["登録番号"] for r in sorted(rows, key=key)]
        assert len(rows) == 15


def test_names_are_imported_exactly_as_written(admin_ctx, tmp_path):
    """Compatibility kanji, a variation sequence and both tildes stay as typed (nothing folds them)."""
    header, rows = sample_rows()
    written = {"団体名": "\uFA19社 \uFA1Bの会 〜秋〜", "代表者名": "\uFA10本 葛\U000E0102子", "住所": "山梨県南アルプス市小笠原１５８８～１", "備考": "〜と～"}
    for column, value in written.items():
        rows[0][header.index(column)] = value
    groups_io.import_groups(admin_ctx, write_csv(tmp_path / "as_written.csv", header, rows[:1]))
    detail = all_details(admin_ctx)["R08-0001"]
    assert (detail.name, detail.representative_name, detail.address, detail.notes) == tuple(written.values())


def test_a_cp932_round_trip_that_changed_names_is_reported_row_by_row_and_not_applied(admin_ctx, tmp_path):
    header, rows = sample_rows()
    rows[0][header.index("団体名")] = "白根おはなしの会 〜秋〜"
    rows[1][header.index("代表者名")] = "\U00020BB7野 次郎"
    groups_io.import_groups(admin_ctx, write_csv(tmp_path / "first.csv", header, rows[:2]))
    # exported, opened and saved by Excel as Shift_JIS: 〜 comes back as ～, 𠮷 as ?
    rows[0][header.index("団体名")] = "白根おはなしの会 ～秋～"
    rows[1][header.index("代表者名")] = "?野 次郎"
    rows[2][header.index("代表者名")] = "?田 三郎"  # a new group: 「?」 in a name of a cp932 file
    edited = write_csv(tmp_path / "excel.csv", header, rows[:3], encoding="cp932")
    with pytest.raises(ValidationError) as caught:
        groups_io.import_groups(admin_ctx, edited)
    shown = [groups_io.format_problem(p) for p in caught.value.problems]
    assert len(shown) == 3, shown
    assert shown[0].startswith("行 2: 団体名: ") and "「〜」→「～」" in shown[0] and "白根おはなしの会 〜秋〜" in shown[0]
    assert shown[1].startswith("行 3: 代表者名: ") and "「𠮷」→「?」" in shown[1]
    assert shown[2].startswith("行 4: 代表者名: ") and "「?」" in shown[2] and "UTF-8" in shown[2]
    details = all_details(admin_ctx)
    assert details["R08-0001"].name == "白根おはなしの会 〜秋〜" and details["R08-0002"].representative_name == "\U00020BB7野 次郎"
    assert "R08-0003" not in details  # nothing written


def test_cli_import_warns_of_names_no_font_can_print_and_imports_them(db_url, tmp_path, capsys):
    header, rows = sample_rows()
    rows[1][header.index("代表者名")] = "ສົມໃຈ 山田"  # Lao: in no bundled font
    rows[2][header.index("団体名")] = "\U00020BB7野の会"  # 𠮷: printed with IPAmj明朝, no warning
    assert main(["--database-url", db_url, "groups", "import", str(write_csv(tmp_path / "lao.csv", header, rows))]) == 0
    captured = capsys.readouterr()
    assert "15" in captured.out
    warnings = [line for line in captured.err.splitlines() if line.strip()]
    assert len(warnings) == 1 and warnings[0].startswith("注意: 行 3: 代表者名: ") and "「ສ」(U+0EAA)" in warnings[0], warnings


def test_the_common_short_names_of_the_fields_are_imported_as_their_field(db_url, tmp_path, capsys, monkeypatch):
    """「福祉」 is accepted as 保健・医療・福祉 (as 「保健・医療・福祉」 is); the field stored is the
    canonical one of the NPO Act's 別表."""
    header, rows = sample_rows()
    rows = rows[:2]
    rows[0][header.index("活動分野")] = "福祉;ＩＴ"
    rows[1][header.index("活動分野")] = "中間支援;環境"
    path = write_csv(tmp_path / "short.csv", header, rows)
    assert main(["--database-url", db_url, "groups", "import", str(path)]) == 0, capsys.readouterr().err
    signed_in = command_line_admin(db_url, monkeypatch)
    out = tmp_path / "out.csv"
    assert main(["--database-url", db_url, "groups", "export", str(out), *signed_in]) == 0
    with out.open(encoding="utf-8-sig", newline="") as handle:
        exported = {r["登録番号"]: r["活動分野"] for r in csv.DictReader(handle)}
    assert exported == {"R08-0001": "保健・医療・福祉;情報化社会", "R08-0002": "連絡・助言・援助;環境保全"}


def test_each_new_group_gets_its_own_fields_audit_entry_and_search_keys(admin_ctx, tmp_path):
    """New groups are written in bulk and read back by number: each keeps its own activity fields
    (in the file's order), its own audit entry, and the search keys a registration gives it; a
    number written in the file is kept and the automatic ones follow the highest serial."""
    from center_app.services import audit

    header, rows = sample_rows()
    column = {name: header.index(name) for name in header}
    first, second, third = list(rows[0]), list(rows[1]), list(rows[2])
    first[column["登録番号"]], first[column["活動分野"]] = "", "まちづくり;環境"
    second[column["登録番号"]], second[column["活動分野"]] = "R08-0007", "子どもの健全育成"
    third[column["登録番号"]], third[column["活動分野"]] = "", "福祉"
    third[column["団体名"]], third[column["フリガナ"]] = "髙橋ボランティアの会", "タカハシボランティアノカイ"
    third[column["住所"]] = "山梨県南アルプス市小笠原１５８９番地の１"
    result = groups_io.import_groups(admin_ctx, write_csv(tmp_path / "three.csv", header, [first, second, third]))
    assert result.created == 3
    details = all_details(admin_ctx)
    assert {number: d.name for number, d in details.items()} == {"R08-0008": first[column["団体名"]], "R08-0007": second[column["団体名"]],
                                                                  "R08-0009": "髙橋ボランティアの会"}
    assert [details[n].activity_fields for n in ("R08-0008", "R08-0007", "R08-0009")] == [(3, 7), (13,), (1,)]
    created = {e.entity_id: e.after for e in audit.recent_entries(admin_ctx, entity="group", action="create")}
    assert {number: created[str(d.id)]["name"] for number, d in details.items()} == {n: d.name for n, d in details.items()}
    assert [created[str(details[n].id)]["activity_fields"] for n in ("R08-0008", "R08-0007", "R08-0009")] == [[3, 7], [13], [1]]
    assert [g.registration_no for g in groups.search_groups(admin_ctx, "高橋").items] == ["R08-0009"]
    assert [g.registration_no for g in groups.search_groups(admin_ctx, "1589-1").items] == ["R08-0009"]
    assert [g.registration_no for g in groups.search_groups(admin_ctx, "たかはし").items] == ["R08-0009"]
