"""Group registry services: numbers, search, validation, life cycle, audit."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from center_app.db.models import AuditEntry, CenterSetting
from center_app.domain.errors import PermissionDenied, RuleError, StaleEditError, ValidationError
from center_app.services import groups
from center_app.services.context import ServiceContext
from center_app.services.group_values import EXPIRED, PAUSED, REGISTERED, WITHDRAWN, GroupInput

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _clock(clock):
    clock(TODAY)


def make(name="白根おはなしの会", kana="シラネオハナシノカイ", **extra) -> GroupInput:
    values = dict(
        name=name, name_kana=kana, legal_form="voluntary", activity_fields=(2, 13),
        representative_name="山田 花子", representative_kana="ヤマダ ハナコ", phone="055-282-0101",
    )
    values.update(extra)
    return GroupInput(**values)


def test_registration_assigns_consecutive_numbers_of_the_fiscal_year(admin_ctx):
    first = groups.register_group(admin_ctx, make())
    second = groups.register_group(admin_ctx, make("櫛形手話サークル", "クシガタシュワサークル", phone=""))
    assert (first.registration_no, second.registration_no) == ("R08-0001", "R08-0002")
    assert first.valid_until == dt.date(2027, 3, 31)
    assert first.registered_on == TODAY
    assert first.status == REGISTERED
    assert first.activity_fields == (2, 13)  # main field first


def test_registration_uses_the_configured_pattern_and_registration_date(admin_ctx):
    with admin_ctx.db.write() as session:
        session.get(CenterSetting, "registration_no_pattern").value = "第{fiscal_year}-{serial:03d}号"
    detail = groups.register_group(admin_ctx, make(registered_on="令和8年3月10日"))
    assert detail.registration_no == "第2025-001号"  # 2026-03-10 belongs to fiscal year 2025
    assert detail.valid_until == dt.date(2026, 3, 31)
    assert detail.status == EXPIRED  # already past, shown as 期限切れ


def test_counter_staff_may_register_and_signed_out_may_not(counter_ctx, db):
    assert groups.register_group(counter_ctx, make()).registration_no == "R08-0001"
    with pytest.raises(PermissionDenied):
        groups.search_groups(ServiceContext(db, None), "")


def test_every_bad_field_is_reported_at_once_and_nothing_is_written(admin_ctx):
    bad = make(name="", kana="Yamada", legal_form="", activity_fields=(), phone="055-1", email="x@", postal_code="12",
               website="not a url", member_count="多数", founded_on="2026-02-30", representative_name="")
    with pytest.raises(ValidationError) as caught:
        groups.register_group(admin_ctx, bad)
    fields = {p.field for p in caught.value.problems}
    assert fields == {"name", "name_kana", "legal_form", "activity_fields", "phone", "email", "postal_code",
                      "website", "member_count", "founded_on", "representative_name"}
    assert caught.value.for_field("name") == ["団体名を入力してください。"]
    assert caught.value.for_field("postal_code") == ["郵便番号は400-0306のように7桁で入力してください。"]
    assert groups.search_groups(admin_ctx).total == 0


def test_values_are_normalised(admin_ctx):
    detail = groups.register_group(
        admin_ctx,
        make(kana="しらね おはなしのかい", phone="０５５（２８２）０１０１", postal_code="〒４００－０２１１",
             email="Info@EXAMPLE.jp", member_count="１２人", founded_on="平成24年4月1日", activity_fields=("社会教育", "子どもの健全育成を図る活動")),
    )
    assert detail.name_kana == "シラネ　オハナシノカイ"
    assert detail.phone == "055-282-0101"
    assert detail.postal_code == "400-0211"
    assert detail.email == "Info@example.jp"
    assert detail.member_count == 12
    assert detail.founded_on == dt.date(2012, 4, 1)
    assert detail.activity_fields == (2, 13)


@pytest.fixture
def registry(admin_ctx):
    ids = {}
    for name, kana, phone, rep, fields, form in [
        ("白根おはなしの会", "シラネオハナシノカイ", "055-282-0101", "山田 花子", (2, 13), "voluntary"),
        ("櫛形子ども食堂ネットワーク", "クシガタコドモショクドウネットワーク", "0552820102", "佐藤 一郎", (13, 1), "npo"),
        ("芦安山岳ガイドの会", "アシヤスサンガクガイドノカイ", "090-1234-5678", "鈴木 健", (4, 7), "voluntary"),
        ("若草フードバンク", "ワカクサフードバンク", "", "松本 愛", (1,), "general_association"),
    ]:
        ids[name] = groups.register_group(admin_ctx, make(name, kana, phone=phone, representative_name=rep, activity_fields=fields, legal_form=form)).id
    return ids


def names(page):
    return [item.name for item in page.items]


def test_search_sorted_by_reading_and_matching_every_kind_of_key(admin_ctx, registry):
    assert names(groups.search_groups(admin_ctx)) == ["芦安山岳ガイドの会", "櫛形子ども食堂ネットワーク", "白根おはなしの会", "若草フードバンク"]
    assert names(groups.search_groups(admin_ctx, "くしがた")) == ["櫛形子ども食堂ネットワーク"]  # hiragana → katakana reading
    assert names(groups.search_groups(admin_ctx, "ｸｼｶﾞﾀ")) == ["櫛形子ども食堂ネットワーク"]  # half-width kana
    assert names(groups.search_groups(admin_ctx, "055-282-0102")) == ["櫛形子ども食堂ネットワーク"]  # stored without hyphens typed
    assert names(groups.search_groups(admin_ctx, "０９０１２３４")) == ["芦安山岳ガイドの会"]  # full-width partial
    assert names(groups.search_groups(admin_ctx, "ｒ０８－０００４")) == ["若草フードバンク"]  # number, full-width lower
    assert names(groups.search_groups(admin_ctx, "佐藤")) == ["櫛形子ども食堂ネットワーク"]  # representative
    assert names(groups.search_groups(admin_ctx, "子ども ネットワーク")) == ["櫛形子ども食堂ネットワーク"]  # every word
    assert names(groups.search_groups(admin_ctx, "100%")) == []  # LIKE wildcards are literal


def test_filters_and_paging(admin_ctx, registry):
    assert names(groups.search_groups(admin_ctx, field_code=13)) == ["櫛形子ども食堂ネットワーク", "白根おはなしの会"]
    assert names(groups.search_groups(admin_ctx, legal_form="npo")) == ["櫛形子ども食堂ネットワーク"]
    page = groups.search_groups(admin_ctx, offset=1, limit=2)
    assert page.total == 4 and names(page) == ["櫛形子ども食堂ネットワーク", "白根おはなしの会"]
    assert page.items[0].main_field == "子どもの健全育成"


def test_expiry_is_computed_from_valid_until(admin_ctx, registry, clock):
    assert groups.search_groups(admin_ctx, status=EXPIRED).total == 0
    clock(dt.date(2027, 4, 1))
    assert groups.search_groups(admin_ctx, status=EXPIRED).total == 4
    assert groups.search_groups(admin_ctx, status=REGISTERED).total == 0
    assert groups.get_group(admin_ctx, registry["若草フードバンク"]).status == EXPIRED
    result = groups.renew_groups(admin_ctx, [registry["若草フードバンク"]], 2027)
    assert result.renewed == 1
    detail = groups.get_group(admin_ctx, registry["若草フードバンク"])
    assert (detail.status, detail.valid_until, detail.renewed_on) == (REGISTERED, dt.date(2028, 3, 31), dt.date(2027, 4, 1))


def test_bulk_renewal_reports_progress_skips_withdrawn_and_cancel_rolls_back(admin_ctx, registry):
    ids = list(registry.values())
    groups.withdraw_group(admin_ctx, ids[0])
    seen = []
    result = groups.renew_groups(admin_ctx, ids, 2027, progress=lambda done, total: seen.append((done, total)))
    assert result.renewed == 3 and [gid for gid, _reason in result.skipped] == [ids[0]]
    assert seen[-1] == (4, 4)
    with pytest.raises(groups.Cancelled):
        groups.renew_groups(admin_ctx, ids[1:], 2028, progress=lambda done, total: done < 2)
    assert groups.get_group(admin_ctx, ids[1]).valid_until == dt.date(2028, 3, 31)  # unchanged by the cancelled run
    with pytest.raises(ValidationError):
        groups.renew_groups(admin_ctx, ids, 2024)


def test_withdrawal_refused_while_future_bookings_exist(admin_ctx, registry, monkeypatch):
    group_id = registry["白根おはなしの会"]
    monkeypatch.setattr(groups, "future_bookings", lambda session, gid, day: ["2026-07-01 午後 会議室A"] if gid == group_id else [])
    with pytest.raises(RuleError) as caught:
        groups.withdraw_group(admin_ctx, group_id)
    assert "2026-07-01 午後 会議室A" in str(caught.value) and caught.value.rule == "future_bookings"
    assert groups.get_group(admin_ctx, group_id).status == REGISTERED
    monkeypatch.setattr(groups, "future_bookings", lambda session, gid, day: [])
    assert groups.withdraw_group(admin_ctx, group_id, "解散").status == WITHDRAWN
    assert groups.get_group(admin_ctx, group_id).registration_no == "R08-0001"  # history kept
    with pytest.raises(RuleError):
        groups.withdraw_group(admin_ctx, group_id)


def test_pause_resume_and_application_approval(admin_ctx, registry):
    group_id = registry["若草フードバンク"]
    assert groups.pause_group(admin_ctx, group_id).status == PAUSED
    with pytest.raises(RuleError):
        groups.pause_group(admin_ctx, group_id)
    assert groups.resume_group(admin_ctx, group_id).status == REGISTERED
    applied = groups.register_group(admin_ctx, make("八田ふるさと農業塾", "ハッタフルサトノウギョウジュク", phone=""), applied=True)
    assert applied.registration_no is None and applied.status == "applied"
    approved = groups.approve_application(admin_ctx, applied.id)
    assert approved.registration_no == "R08-0005" and approved.valid_until == dt.date(2027, 3, 31)


def test_update_is_audited_and_refuses_stale_forms(admin_ctx, registry):
    group_id = registry["白根おはなしの会"]
    detail = groups.get_group(admin_ctx, group_id)
    changed = dataclasses.replace(GroupInput.from_detail(detail), member_count="30")
    saved = groups.update_group(admin_ctx, group_id, changed, expected_version=detail.version)
    assert saved.member_count == 30
    with admin_ctx.db.read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "group", AuditEntry.action == "update")).one()
    assert (entry.before, entry.after) == ({"member_count": None}, {"member_count": 30})
    assert entry.staff_name == "管理 花子"
    with pytest.raises(StaleEditError) as stale:
        groups.update_group(admin_ctx, group_id, changed, expected_version=detail.version)
    assert str(stale.value).startswith("ほかの端末で変更されました。開き直してください。") and "管理 花子" in str(stale.value)


def test_similar_groups_found_by_name_reading_or_phone(admin_ctx, registry):
    similar = groups.find_similar(admin_ctx, name="白根 おはなしの会", kana="", phone="")
    assert [s.group.name for s in similar] == ["白根おはなしの会"] and similar[0].reasons == ("name",)
    by_phone = groups.find_similar(admin_ctx, phone="055(282)0102")
    assert [s.group.name for s in by_phone] == ["櫛形子ども食堂ネットワーク"] and by_phone[0].reasons == ("phone",)
    assert groups.find_similar(admin_ctx, kana="くしがたこどもしょくどうねっとわーく", exclude_id=registry["櫛形子ども食堂ネットワーク"]) == []
