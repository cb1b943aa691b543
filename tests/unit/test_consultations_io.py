"""Consultation import (all-or-nothing) and export (CSV with BOM, XLSX, redacted)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from center_app.domain import clock
from center_app.domain.errors import ValidationError
from center_app.services import consultations, consultations_export, consultations_io, consultations_queries
from center_app.services.consultations_values import ConsultationInput
from center_app.services.group_values import GroupInput
from center_app.services.groups import register_group

pytestmark = pytest.mark.postgres

DAY = clock.today() - dt.timedelta(days=10)
HEADER = "相談日,開始時刻,所要時間(分),相談方法,相談者区分,登録番号,相談者名,相談者フリガナ,相談分野,活動分野,相談内容,対応内容,対応者,フォローアップ,フォロー期日,状態,担当者限定"


def _write(path: Path, *rows: str, header: str = HEADER, encoding: str = "utf-8-sig") -> Path:
    path.write_text("\r\n".join([header, *rows]) + "\r\n", encoding=encoding)
    return path


@pytest.fixture
def group(admin_ctx):
    return register_group(admin_ctx, GroupInput(
        name="ひまわり子ども食堂", name_kana="ヒマワリコドモショクドウ", legal_form="voluntary", activity_fields=(2,),
        representative_name="佐藤 一郎", contact_name="高橋 五郎",
    ))


def _good_rows(group) -> list[str]:
    return [
        f"{DAY:%Y/%m/%d},10:00,30,来所,市民活動団体,{group.registration_no},,,運営;広報,子どもの健全育成,会員が減っている,チラシの作り方を説明,coordinator,不要,,完了,",
        f"令和{DAY.year - 2018}年{DAY.month}月{DAY.day}日,１４：３０,60分,電話,個人,,山田 太郎,やまだ たろう,設立、法人化,,NPO法人を作りたい,手引きを送付,coordinator 太郎,要,{DAY + dt.timedelta(days=20):%Y-%m-%d},対応中,はい",
    ]


def test_import_creates_every_row_and_audits_it(coordinator_ctx, group, tmp_path):
    path = _write(tmp_path / "log.csv", *_good_rows(group))
    assert consultations_io.import_consultations(coordinator_ctx, path, dry_run=True).created == 2
    assert consultations_queries.search_consultations(coordinator_ctx).total == 0
    result = consultations_io.import_consultations(coordinator_ctx, path)
    assert result.created == 2
    items = consultations_queries.search_consultations(coordinator_ctx).items
    by_method = {c.method: c for c in items}
    assert by_method["visit"].group_id == group.id and by_method["visit"].topics == ("運営", "広報")
    assert by_method["visit"].status == "done"
    phone = consultations_queries.get_consultation(coordinator_ctx, by_method["phone"].id)
    assert (phone.start_time, phone.duration_minutes, phone.client_kana) == (dt.time(14, 30), 60, "ヤマダ\u3000タロウ")
    assert phone.confidential and phone.follow_up_needed and phone.status == "open"
    done = consultations_queries.get_consultation(coordinator_ctx, by_method["visit"].id)
    assert done.completed_on == DAY  # an old log keeps its date, so retention counts from it
    assert done.activity_fields == (13,)


def test_a_cancelled_import_writes_nothing(coordinator_ctx, group, tmp_path):
    from center_app.domain.errors import Cancelled

    path = _write(tmp_path / "log.csv", *_good_rows(group))
    with pytest.raises(Cancelled):
        consultations_io.import_consultations(coordinator_ctx, path, progress=lambda done, total: done < total - 1)
    assert consultations_queries.search_consultations(coordinator_ctx).total == 0


def test_import_reports_every_problem_and_writes_nothing(coordinator_ctx, group, tmp_path):
    rows = _good_rows(group) + [
        "2026/02/30,9:00,30,来所,個人,,田中,,設立,,相談,,coordinator,,,,",
        f"{DAY:%Y/%m/%d},,,伝書鳩,宇宙人,R99-9999,,,占い,,,,nobody,たぶん,,終わり,",
    ]
    path = _write(tmp_path / "bad.csv", *rows)
    with pytest.raises(ValidationError) as error:
        consultations_io.import_consultations(coordinator_ctx, path)
    problems = {(p.row, p.field) for p in error.value.problems}
    assert (4, "相談日") in problems
    assert {(5, "相談方法"), (5, "相談者区分"), (5, "登録番号"), (5, "相談分野"), (5, "相談内容"), (5, "対応者"), (5, "フォローアップ"), (5, "状態")} <= problems
    assert not any(row in (2, 3) for row, _f in problems)
    assert consultations_queries.search_consultations(coordinator_ctx).total == 0


def test_import_checks_the_header_and_refuses_a_second_run(coordinator_ctx, group, tmp_path):
    missing = _write(tmp_path / "h.csv", "2026/4/1,来所", header="相談日,相談方法,色")
    with pytest.raises(ValidationError) as error:
        consultations_io.import_consultations(coordinator_ctx, missing)
    fields = {p.field for p in error.value.problems}
    assert {"色", "対応者", "相談内容", "相談者名"} <= fields
    path = _write(tmp_path / "log.csv", *_good_rows(group), encoding="cp932")
    consultations_io.import_consultations(coordinator_ctx, path)
    with pytest.raises(ValidationError, match="already|すでに"):
        consultations_io.import_consultations(coordinator_ctx, path)
    assert consultations_queries.search_consultations(coordinator_ctx).total == 2


def test_export_is_csv_with_bom_and_round_trips(coordinator_ctx, group, tmp_path, db_url):
    consultations_io.import_consultations(coordinator_ctx, _write(tmp_path / "log.csv", *_good_rows(group)))
    out = tmp_path / "out.csv"
    assert consultations_export.export_consultations(coordinator_ctx, out) == 2
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("相談番号,相談日,開始時刻,所要時間(分),相談方法")
    assert "ひまわり子ども食堂" in text and "NPO法人を作りたい" in text
    # the export is an import file: all rows are already recorded here
    with pytest.raises(ValidationError) as error:
        consultations_io.import_consultations(coordinator_ctx, out)
    assert {p.row for p in error.value.problems} == {2, 3}


def test_xlsx_export_has_typed_cells(coordinator_ctx, group, tmp_path):
    consultations_io.import_consultations(coordinator_ctx, _write(tmp_path / "log.csv", *_good_rows(group)))
    out = tmp_path / "out.xlsx"
    consultations_export.export_consultations(coordinator_ctx, out)
    sheet = openpyxl.load_workbook(out).worksheets[0]
    assert sheet.title == "相談記録"
    header = [c.value for c in sheet[1]]
    row = {h: c.value for h, c in zip(header, sheet[2])}
    assert isinstance(row["相談日"], dt.datetime) and row["相談日"].date() == DAY
    assert row["所要時間(分)"] in (30, 60)


def test_redacted_export_leaves_no_name_and_pseudonyms_are_stable(coordinator_ctx, admin_ctx, group, tmp_path):
    topics = {t.name: t.id for t in consultations_queries.list_topics(coordinator_ctx)}
    for client, content in (("山田 太郎", "山田さんがひまわり子ども食堂の佐藤 一郎さんと来所。高橋さんも同席。"), ("山田 太郎", "山田太郎さんから再度電話")):
        consultations.create_consultation(coordinator_ctx, ConsultationInput(
            consulted_on=DAY, method="visit", client_type="individual", group_id=group.id, client_name=client,
            client_kana="ヤマダ タロウ", client_contact="yamada@example.jp 090-1234-5678", topic_ids=(topics["運営"],),
            content=content, response="coordinator 太郎が対応し、ヒマワリコドモショクドウにも連絡。", staff_user_id=coordinator_ctx.user.id,
        ))
    names = ["山田", "太郎", "ヤマダ", "ひまわり子ども食堂", "ヒマワリコドモショクドウ", "佐藤", "一郎", "高橋", "coordinator",
             "yamada@example.jp", "090-1234-5678", group.registration_no]
    csv_path, xlsx_path, again = tmp_path / "r.csv", tmp_path / "r.xlsx", tmp_path / "r2.csv"
    consultations_export.export_consultations(coordinator_ctx, csv_path, redacted=True)
    consultations_export.export_consultations(coordinator_ctx, xlsx_path, redacted=True)
    consultations_export.export_consultations(admin_ctx, again, redacted=True)
    text = csv_path.read_text(encoding="utf-8-sig")
    with zipfile.ZipFile(xlsx_path) as book:
        xml = "".join(book.read(n).decode("utf-8") for n in book.namelist())
    for name in names:
        assert name not in text, name
        assert name not in xml, name
    assert "相談者-" in text and "団体-" in text and "職員-" in text and "来所" in text
    rows = text.splitlines()[1:]
    first_client = rows[0].split(",")[8]
    assert first_client.startswith("相談者-") and all(r.split(",")[8] == first_client for r in rows)
    assert again.read_text(encoding="utf-8-sig") == text  # same database, same pseudonyms


def test_pseudonyms_differ_between_databases():
    assert consultations_export.pseudonym(b"a" * 64, "client", "山田 太郎") == consultations_export.pseudonym(b"a" * 64, "client", "山田　太郎")
    assert consultations_export.pseudonym(b"a" * 64, "client", "山田 太郎") != consultations_export.pseudonym(b"b" * 64, "client", "山田 太郎")
