"""Privacy on every path: the consultation import is no oracle for records hidden from the
importing coordinator; the redacted export removes contact details and every known name from
free text; consultation counts are for coordinators and administrators only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from center_app.domain.errors import PermissionDenied, ValidationError
from center_app.domain.roles import Role
from center_app.services import audit, auth, consultations, consultations_export, consultations_io, consultations_queries, consultations_retention, staff
from center_app.services.consultations_values import ConsultationInput
from center_app.services.context import ServiceContext
from center_app.services.group_values import GroupInput
from center_app.services.groups import register_group

pytestmark = pytest.mark.postgres

DAY = dt.date(2026, 5, 20)
HEADER = "相談日,開始時刻,所要時間(分),相談方法,相談者区分,相談者名,相談分野,相談内容,対応内容,対応者,担当者限定"


@pytest.fixture(autouse=True)
def _clock(clock):
    clock(dt.datetime(2026, 6, 2, 10, 0))


def _coordinator_b(admin_ctx) -> ServiceContext:
    staff.create_staff(admin_ctx, "coord-b", "鈴木 次郎", Role.COORDINATOR, "staff-password-2", "staff-password-2")
    return ServiceContext(admin_ctx.db, auth.sign_in(admin_ctx.db, "coord-b", "staff-password-2"))


def _topic(ctx) -> int:
    return {t.name: t.id for t in consultations_queries.list_topics(ctx)}["設立"]


def _file(path: Path, *rows: str) -> Path:
    path.write_text("\r\n".join([HEADER, *rows]) + "\r\n", encoding="utf-8-sig")
    return path


def test_an_import_row_matching_a_hidden_record_is_imported_as_new_and_flagged_for_administrators(coordinator_ctx, admin_ctx, tmp_path):
    """Old code: coordinator B's dry run answered 「この相談はすでに記録されています」 for a guessed
    row of coordinator A's confidential record."""
    consultations.create_consultation(coordinator_ctx, ConsultationInput(
        consulted_on=DAY, start_time="14:00", method="visit", client_type="individual", client_name="秘密 花子",
        topic_ids=(_topic(coordinator_ctx),), content="DVの相談", staff_user_id=coordinator_ctx.user.id, confidential=True,
    ))
    coordinator_b = _coordinator_b(admin_ctx)
    guess = _file(tmp_path / "guess.csv", f"{DAY:%Y/%m/%d},14:00,,来所,個人,誰か,設立,DVの相談,,coordinator,はい")
    assert consultations_io.import_consultations(coordinator_b, guess, dry_run=True).created == 1
    assert consultations_io.import_consultations(coordinator_b, guess).created == 1

    flagged = audit.recent_entries(admin_ctx, action="possible_duplicate")
    assert len(flagged) == 1 and "consultation" in flagged[0].note and flagged[0].staff_name == "鈴木 次郎"
    assert audit.action_label("possible_duplicate") == "重複の可能性"
    with pytest.raises(PermissionDenied):
        audit.recent_entries(coordinator_b)

    # a record the importing coordinator may see is still a duplicate: importing twice does not double the log
    own = _file(tmp_path / "own.csv", f"{DAY:%Y/%m/%d},15:00,,来所,個人,山田 太郎,設立,会の作り方,,coord-b,いいえ")
    consultations_io.import_consultations(coordinator_b, own)
    with pytest.raises(ValidationError, match="すでに記録"):
        consultations_io.import_consultations(coordinator_b, own, dry_run=True)


def test_the_redacted_export_removes_every_kind_of_personal_detail_from_free_text(coordinator_ctx, admin_ctx, tmp_path):
    """Old code kept phone numbers, e-mail addresses, kana readings and parts of group names."""
    linked = register_group(admin_ctx, GroupInput(
        name="NPO法人 こどもの森", name_kana="コドモノモリ", legal_form="npo", activity_fields=(2,), representative_name="森 一郎",
    ))
    register_group(admin_ctx, GroupInput(
        name="白根 おはなしの会", name_kana="シラネオハナシノカイ", legal_form="voluntary", activity_fields=(2,),
        representative_name="語部 花子", representative_kana="カタリベ ハナコ",
    ))
    planted = {
        "phone": "055-282-1111", "mobile in full width": "０９０－１２３４－５６７８", "phone in brackets": "(055)282-0102",
        "e-mail": "yamada.taro@example.jp", "e-mail in full width": "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ",
        "postal code": "〒400-0306", "postal code without 〒": "400-0222",
        "client's name": "山田 太郎", "client's name without the space": "山田太郎", "family name": "山田", "given name": "太郎",
        "reading": "ヤマダ タロウ", "reading in hiragana": "やまだ", "reading in half-width kana": "ﾀﾛｳ",
        "linked group": "NPO法人 こどもの森", "group without its legal form": "こどもの森", "group's reading in hiragana": "こどものもり",
        "another group": "白根おはなしの会", "part of another group's name": "おはなしの会", "another group's reading": "しらねおはなしのかい",
        "its representative": "語部", "representative's reading": "かたりべ",
    }
    content = "。".join(f"{kind}: {value}" for kind, value in planted.items())
    consultations.create_consultation(coordinator_ctx, ConsultationInput(
        consulted_on=DAY, method="phone", client_type="individual", group_id=linked.id, client_name="山田 太郎", client_kana="やまだ たろう",
        client_contact="055-282-1111", topic_ids=(_topic(coordinator_ctx),), content=content, response=content, referral="山田さんへ 055-282-1111",
        staff_user_id=coordinator_ctx.user.id,
    ))
    target = tmp_path / "redacted.csv"
    consultations_export.export_consultations(coordinator_ctx, target, redacted=True)
    text = target.read_text(encoding="utf-8-sig")
    left = {kind: value for kind, value in planted.items() if value in text}
    assert left == {}
    for marker in ("[電話]", "[メール]", "[郵便番号]", "相談者-", "団体-"):
        assert marker in text
    assert "NPO法人" not in text.replace("NPO法人 こどもの森", "")  # not a name: the words around it stay
    assert "phone in brackets" in text and "postal code" in text  # the text around the details stays readable


def test_consultation_counts_are_for_coordinators_and_administrators(coordinator_ctx, counter_ctx, admin_ctx):
    """Old code gave counter staff counts that include confidential records."""
    consultations.create_consultation(coordinator_ctx, ConsultationInput(
        consulted_on=DAY, method="visit", client_type="individual", client_name="秘密 花子", topic_ids=(_topic(coordinator_ctx),),
        content="秘密の相談", staff_user_id=coordinator_ctx.user.id, confidential=True,
    ))
    with pytest.raises(PermissionDenied):
        consultations_retention.consultation_stats(counter_ctx, DAY, DAY)
    denied = audit.recent_entries(admin_ctx, action="denied")
    assert any(e.note == "statistics" and e.staff_name == "counter 太郎" for e in denied)
    assert consultations_retention.consultation_stats(coordinator_ctx, DAY, DAY).total == 1
    assert consultations_retention.consultation_stats(admin_ctx, DAY, DAY).total == 1
