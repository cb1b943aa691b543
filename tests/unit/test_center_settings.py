"""Center-wide settings: one declaration, one accessor. Typed reads and defaults, refusals with the
clerk's message, unknown keys refused, values left by older versions or by hand, the audit, and
the 設定 → センター save."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from center_app.db.models import AuditEntry, CenterSetting
from center_app.domain.center_settings import (
    DATE_STYLE,
    CENTER_NAME, DOCUMENT_NAMES, HEAD_TITLE, MONTHLY_SLOT_CAP, PSEUDONYM_SECRET, REGISTRATION_NO_PATTERN, RETENTION_YEARS, SETTINGS,
    SETTINGS_CENTER, SettingSpec, PUBLISH_FOLDER, PUBLISH_LANGUAGES, PUBLISH_MONTHS,
)
from center_app.domain.errors import PermissionDenied, ValidationError
from center_app.services import bookings_checks, center_settings, certificates, consultations_retention, groups
from center_app.services.center_settings import UnknownSetting
from center_app.services.group_values import GroupInput

pytestmark = pytest.mark.postgres

PACKAGE = Path(__file__).resolve().parents[2] / "center_app"


def _store_raw(db, key: str, value) -> None:
    """Write a value as an older version or a hand edit would have, past every check."""
    with db.write() as session:
        session.merge(CenterSetting(key=key, value=value))


def _audit(db) -> list[AuditEntry]:
    with db.read() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.entity == "center_setting").order_by(AuditEntry.id)))


# --- the declaration ------------------------------------------------------------------------------


def test_every_setting_is_declared_once_with_a_default_that_passes_its_own_checks():
    assert len({s.key for s in SETTINGS}) == len(SETTINGS)
    for spec in SETTINGS:
        assert isinstance(spec.default, spec.kind)
        if not spec.secret:
            assert spec.stored(spec.default) == spec.default


def test_typed_values_from_what_was_typed_or_stored():
    assert MONTHLY_SLOT_CAP.parse("１２") == 12  # full-width digits from a Japanese IME
    assert MONTHLY_SLOT_CAP.stored("8") == 8  # stored as text by an older version
    assert MONTHLY_SLOT_CAP.stored(8) == 8
    assert REGISTRATION_NO_PATTERN.parse("  第{fiscal_year}-{serial:03d}号 ") == "第{fiscal_year}-{serial:03d}号"
    assert REGISTRATION_NO_PATTERN.stored("") == REGISTRATION_NO_PATTERN.default  # empty = not set
    assert REGISTRATION_NO_PATTERN.stored(None) == REGISTRATION_NO_PATTERN.default
    flag = SettingSpec("example_flag", "Example", bool, False, None)
    assert (flag.parse("true"), flag.parse(False), flag.stored("0")) == (True, False, False)


@pytest.mark.parametrize(("spec", "raw", "words"), [
    (MONTHLY_SLOT_CAP, "abc", ["団体ごとの月間予約枠数", "整数"]),
    (MONTHLY_SLOT_CAP, True, ["整数"]),
    (MONTHLY_SLOT_CAP, -1, ["0から9999まで"]),
    (RETENTION_YEARS, "0", ["保存期間（年）", "1から100まで"]),
    (REGISTRATION_NO_PATTERN, "{foo}-{serial}", ["登録番号の書式"]),
    (REGISTRATION_NO_PATTERN, "", ["登録番号の形式", "入力してください"]),
    (CENTER_NAME, "館" * 101, ["センター名", "100文字以内"]),
    (HEAD_TITLE, 5, ["センター長の職名", "文字"]),
])
def test_values_that_are_not_allowed_are_refused_in_japanese_naming_the_setting(spec, raw, words):
    with pytest.raises(ValidationError) as caught:
        spec.parse(raw)
    assert caught.value.for_field(spec.key)
    for word in words:
        assert word in str(caught.value)


def test_an_int_setting_must_declare_its_range_and_kinds_are_limited():
    with pytest.raises(TypeError):
        SettingSpec("x", "X", int, 1, None)
    with pytest.raises(TypeError):
        SettingSpec("x", "X", float, 1.0, None, minimum=0)


# --- the accessor ---------------------------------------------------------------------------------


def test_typed_reads_and_defaults_of_rows_that_were_never_written(db, admin_ctx):
    with db.read() as session:
        assert center_settings.get(session, MONTHLY_SLOT_CAP) == 8  # seeded from default_center.json
        assert center_settings.get(session, "monthly_slot_cap_per_group") == 8
        assert center_settings.get(session, RETENTION_YEARS) == 5  # no row: the default
        assert center_settings.get_many(session, (HEAD_TITLE, "head_name")) == {"head_title": "センター長", "head_name": ""}
    assert center_settings.get(admin_ctx, CENTER_NAME) == "南アルプス市市民活動センター"


def test_unknown_keys_are_refused_for_reading_and_writing(db, admin_ctx):
    look_alike = dataclasses.replace(MONTHLY_SLOT_CAP, maximum=10**6)
    with db.write() as session:
        for setting in ("no_such_setting", "Monthly_slot_cap_per_group", look_alike):
            with pytest.raises(UnknownSetting):
                center_settings.get(session, setting)
            with pytest.raises(UnknownSetting):
                center_settings.set(session, admin_ctx.user, setting, 3)
        with pytest.raises(UnknownSetting):
            center_settings.get_many(session, (MONTHLY_SLOT_CAP, "no_such_setting"))
    with pytest.raises(UnknownSetting):  # a setting of another screen is not saved from 設定 → センター
        center_settings.save(admin_ctx, SETTINGS_CENTER, {"center_name": "x"})
    with pytest.raises(UnknownSetting):  # the pseudonym key never leaves the services
        center_settings.get(admin_ctx, PSEUDONYM_SECRET)
    with db.read() as session:
        assert session.get(CenterSetting, "no_such_setting") is None


def test_set_checks_every_value_writes_typed_and_audits_only_changes(db, admin_ctx):
    with db.write() as session:
        with pytest.raises(ValidationError) as caught:
            center_settings.set_many(session, admin_ctx.user, {MONTHLY_SLOT_CAP: "たくさん", REGISTRATION_NO_PATTERN: "{era_letter}"})
        assert {p.field for p in caught.value.problems} == {MONTHLY_SLOT_CAP.key, REGISTRATION_NO_PATTERN.key}
    assert _audit(db) == []
    with db.write() as session:
        assert center_settings.set(session, admin_ctx.user, MONTHLY_SLOT_CAP, "１０") == 10
        center_settings.set(session, admin_ctx.user, MONTHLY_SLOT_CAP, 10)  # unchanged: no second entry
    with db.read() as session:
        assert session.get(CenterSetting, MONTHLY_SLOT_CAP.key).value == 10  # stored as a number
    [entry] = _audit(db)
    assert (entry.entity_id, entry.action, entry.before, entry.after) == (MONTHLY_SLOT_CAP.key, "update", {MONTHLY_SLOT_CAP.key: 8}, {MONTHLY_SLOT_CAP.key: 10})
    assert entry.staff_name == admin_ctx.user.display_name


def test_settings_screen_saves_through_the_checks_for_administrators_only(db, admin_ctx, counter_ctx):
    with pytest.raises(PermissionDenied):
        center_settings.values_for(counter_ctx, SETTINGS_CENTER)
    with pytest.raises(PermissionDenied):
        center_settings.save(counter_ctx, SETTINGS_CENTER, {MONTHLY_SLOT_CAP.key: "3"})
    with pytest.raises(ValidationError) as caught:
        center_settings.save(admin_ctx, SETTINGS_CENTER, {MONTHLY_SLOT_CAP.key: "3", REGISTRATION_NO_PATTERN.key: "{fiscal_year}"})
    assert caught.value.for_field(REGISTRATION_NO_PATTERN.key) and not caught.value.for_field(MONTHLY_SLOT_CAP.key)
    assert center_settings.get(admin_ctx, MONTHLY_SLOT_CAP) == 8  # nothing written
    saved = center_settings.save(admin_ctx, SETTINGS_CENTER, {MONTHLY_SLOT_CAP.key: "3", REGISTRATION_NO_PATTERN.key: "第{fiscal_year}-{serial:03d}号"})
    assert saved == {MONTHLY_SLOT_CAP.key: 3, REGISTRATION_NO_PATTERN.key: "第{fiscal_year}-{serial:03d}号"}
    assert [(v.spec, v.value, v.problem) for v in center_settings.values_for(admin_ctx, SETTINGS_CENTER)] == [
        (MONTHLY_SLOT_CAP, 3, ""), (REGISTRATION_NO_PATTERN, "第{fiscal_year}-{serial:03d}号", ""), (DATE_STYLE, "wareki", ""), (DOCUMENT_NAMES, "", ""),
        (PUBLISH_FOLDER, "", ""), (PUBLISH_LANGUAGES, "ja,ja_easy,en,pt_BR,es,zh_Hans,tl,th,vi", ""), (PUBLISH_MONTHS, 3, ""),
    ]
    [entry] = _audit(db)
    assert entry.entity_id == "settings.center" and set(entry.after) == {MONTHLY_SLOT_CAP.key, REGISTRATION_NO_PATTERN.key}


# --- values left by an older version or a hand edit ---------------------------------------------


def test_an_unusable_cap_falls_back_to_the_default_and_says_so_in_the_log(db, admin_ctx, caplog):
    _store_raw(db, MONTHLY_SLOT_CAP.key, "abc")
    with caplog.at_level(logging.WARNING, logger="center_app.services.center_settings"), db.read() as session:
        assert bookings_checks.monthly_cap(session) == 8  # the booking check keeps working
    assert "monthly_slot_cap_per_group" in caplog.text and "'abc'" in caplog.text and "default 8" in caplog.text
    [shown] = [v for v in center_settings.values_for(admin_ctx, SETTINGS_CENTER) if v.spec is MONTHLY_SLOT_CAP]
    assert shown.value == "abc" and "整数" in shown.problem  # the screen shows what is wrong
    with db.write() as session:  # and a correct value replaces it
        assert center_settings.set(session, admin_ctx.user, MONTHLY_SLOT_CAP, "6") == 6
    assert _audit(db)[-1].before == {MONTHLY_SLOT_CAP.key: "abc"}


def test_an_unusable_registration_pattern_refuses_registration_naming_the_screen(db, admin_ctx):
    _store_raw(db, REGISTRATION_NO_PATTERN.key, "{fiscal_yr}-{serial}")
    data = GroupInput(name="白根おはなしの会", name_kana="シラネオハナシノカイ", legal_form="voluntary", activity_fields=(2,),
                      representative_name="山田 花子", phone="055-282-0101")
    with pytest.raises(ValidationError) as caught:
        groups.register_group(admin_ctx, data)
    message = str(caught.value)
    assert "登録番号の形式" in message and "設定 → センター" in message
    assert groups.search_groups(admin_ctx, "").total == 0  # nothing written
    center_settings.save(admin_ctx, SETTINGS_CENTER, {REGISTRATION_NO_PATTERN.key: "{fiscal_year}-{serial}"})
    assert groups.register_group(admin_ctx, data).registration_no.endswith("-1")


def test_an_unusable_retention_period_lists_and_deletes_nothing(db, admin_ctx):
    _store_raw(db, RETENTION_YEARS.key, "five")
    with pytest.raises(ValidationError) as caught:
        consultations_retention.expired_consultations(admin_ctx, day=dt.date(2026, 6, 1))
    assert "保存期間" in str(caught.value) and "相談 → 保存期間" in str(caught.value)
    with pytest.raises(ValidationError):
        consultations_retention.purge_expired(admin_ctx, day=dt.date(2026, 6, 1))
    assert consultations_retention.set_retention_years(admin_ctx, 7) == 7  # the screen can still correct it
    assert consultations_retention.retention_years(admin_ctx) == 7


def test_the_issuer_reads_back_as_it_was_saved(db, admin_ctx):
    saved = certificates.save_issuer(admin_ctx, "  南アルプス市　市民活動センター ", "", "山田 太郎")
    assert saved.center_name == "南アルプス市 市民活動センター" and saved.head_title == ""
    assert certificates.issuer(admin_ctx) == saved  # an emptied title stays empty, as saved
    entry = _audit(db)[-1]
    assert entry.entity_id == "issuer" and entry.after == {"center_name": "南アルプス市 市民活動センター", "head_title": "", "head_name": "山田 太郎"}
    with pytest.raises(ValidationError) as caught:
        certificates.save_issuer(admin_ctx, "", "館" * 61)
    assert caught.value.for_field("center_name") == ["センター名: 入力してください。"]
    assert caught.value.for_field("head_title") == ["センター長の職名: 60文字以内で入力してください。"]


def test_the_pseudonym_key_never_reaches_the_audit_log(db, admin_ctx):
    with db.write() as session:
        center_settings.set(session, admin_ctx.user, PSEUDONYM_SECRET, "a" * 64)
    with db.read() as session:
        assert center_settings.get(session, PSEUDONYM_SECRET) == "a" * 64
    [entry] = _audit(db)
    assert "a" * 64 not in f"{entry.before} {entry.after} {entry.note}"


# --- one door to the table ----------------------------------------------------------------------


def test_only_the_accessor_touches_the_center_settings_table():
    allowed = {"center_app/services/center_settings.py", "center_app/db/models.py"}
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE.parent).as_posix()
        if relative in allowed or "/migrations/" in relative:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\bCenterSetting\b|['\"]center_settings['\"]", text):
            offenders.append(relative)
    assert offenders == []

