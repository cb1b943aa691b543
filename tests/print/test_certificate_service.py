"""The 登録証 service, the issuer in 設定, the events service and ``center-app print …``."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from pdf_checks import compact, page_count, pdf_text
from PIL import Image
from sqlalchemy import select

from center_app.app import main
from center_app.db.groups import Group
from center_app.db.models import AuditEntry
from center_app.domain.documents import FlyerOptions
from center_app.domain.errors import PermissionDenied, RuleError, StaleEditError, ValidationError
from center_app.print.flyer import render_flyer
from center_app.services import certificates, events, groups
from center_app.services.group_values import GroupInput

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _clock(clock):
    clock(TODAY)


def register(ctx, name, kana, **extra):
    values = dict(name=name, name_kana=kana, legal_form="voluntary", activity_fields=(2, 13), representative_name="髙﨑 花子", representative_kana="タカサキ ハナコ")
    values.update(extra)
    return groups.register_group(ctx, GroupInput(**values))


@pytest.fixture
def registry(admin_ctx):
    """Five groups: two in force, one paused, one expired, one withdrawn."""
    made = {key: register(admin_ctx, name, kana) for key, name, kana in (
        ("a", "髙﨑まちづくりの会①", "タカサキマチヅクリノカイ"), ("b", "白根おはなしの会", "シラネオハナシノカイ"),
        ("paused", "櫛形手話サークル", "クシガタシュワサークル"), ("expired", "八田太鼓保存会", "ハッタタイコホゾンカイ"),
        ("withdrawn", "甲西歩こう会", "コウサイアルコウカイ"),
    )}
    groups.pause_group(admin_ctx, made["paused"].id, "活動休止")
    groups.withdraw_group(admin_ctx, made["withdrawn"].id, "解散")
    with admin_ctx.db.write() as session:
        session.get(Group, made["expired"].id).valid_until = dt.date(2026, 3, 31)
    return made


def test_certificate_data_of_a_group(counter_ctx, registry):
    cert = certificates.certificate_for_group(counter_ctx, registry["a"].id, issued_on=dt.date(2026, 6, 2))
    assert (cert.group_name, cert.registration_no, cert.representative_name) == ("髙﨑まちづくりの会①", "R08-0001", "髙﨑 花子")
    assert cert.activity_fields == ("社会教育の推進を図る活動", "子どもの健全育成を図る活動")
    assert cert.activity_fields_short[0] and cert.valid_until == dt.date(2027, 3, 31) and cert.reissue_count == 0
    pdf = certificates.certificates_pdf(counter_ctx, [cert])
    text = compact(pdf_text(pdf))
    assert "髙﨑まちづくりの会①" in text and "令和9年3月31日まで" in text and "令和8年6月2日" in text
    assert "南アルプス市市民活動センター" in text  # center_name seeded in 設定


def test_reissue_counts_up_is_audited_and_printed(admin_ctx, registry):
    group_id = registry["a"].id
    preview = certificates.certificate_for_group(admin_ctx, group_id, reissue=True)
    assert preview.reissue_count == 1
    assert certificates.certificate_for_group(admin_ctx, group_id).reissue_count == 0  # the preview wrote nothing
    pdf = certificates.group_certificate_pdf(admin_ctx, group_id, reissue=True)
    assert "再交付（1回目）" in pdf_text(pdf)
    assert "再交付（2回目）" in pdf_text(certificates.group_certificate_pdf(admin_ctx, group_id, reissue=True, size="card"))
    assert groups.get_group(admin_ctx, group_id).certificate_reissue_count == 2
    with admin_ctx.db.read() as session:
        entries = list(session.scalars(select(AuditEntry).where(AuditEntry.action == "reissue_certificate")))
    assert [e.after["certificate_reissue_count"] for e in entries] == [1, 2]
    assert "再交付" not in pdf_text(certificates.group_certificate_pdf(admin_ctx, registry["b"].id))


def test_a_refused_print_is_not_counted_as_a_reissue(admin_ctx, registry, tmp_path):
    broken = tmp_path / "seal.png"
    broken.write_text("x")
    with admin_ctx.db.write() as session:
        from center_app.db.models import CenterSetting

        session.add(CenterSetting(key="seal_image_path", value=str(broken)))
    with pytest.raises(ValidationError):
        certificates.group_certificate_pdf(admin_ctx, registry["a"].id, reissue=True)
    assert groups.get_group(admin_ctx, registry["a"].id).certificate_reissue_count == 0


@pytest.mark.parametrize("key,word", [("expired", "期限切れ"), ("withdrawn", "廃止")])
def test_no_certificate_for_expired_or_withdrawn_groups(admin_ctx, registry, key, word):
    with pytest.raises(RuleError) as caught:
        certificates.certificate_for_group(admin_ctx, registry[key].id)
    assert word in str(caught.value)
    with pytest.raises(RuleError):
        certificates.record_reissue(admin_ctx, registry[key].id)


def test_active_certificates_are_the_groups_in_force(admin_ctx, registry):
    found = certificates.active_certificates(admin_ctx)
    assert [c.registration_no for c in found] == [registry["a"].registration_no, registry["b"].registration_no]
    pdf = certificates.certificates_pdf(admin_ctx, found, size="card")
    assert page_count(pdf) == 1 and "白根おはなしの会" in pdf_text(pdf)


def test_group_found_by_scanned_number(admin_ctx, registry):
    assert certificates.group_id_for_number(admin_ctx, "ｒ０８－０００２") == registry["b"].id
    with pytest.raises(ValidationError) as caught:
        certificates.group_id_for_number(admin_ctx, "R08-0999")
    assert "R08-0999" in str(caught.value)


def test_issuer_is_saved_by_admins_only_and_checked(admin_ctx, counter_ctx, tmp_path):
    seal = tmp_path / "seal.png"
    Image.new("RGBA", (40, 40), (200, 0, 0, 255)).save(seal)
    saved = certificates.save_issuer(admin_ctx, "南アルプス市市民活動センター", "センター長", "山田 太郎", str(seal))
    assert certificates.issuer(counter_ctx) == saved and saved.head_line == "センター長　山田 太郎"
    with pytest.raises(PermissionDenied):
        certificates.save_issuer(counter_ctx, "x", "y")
    with pytest.raises(ValidationError) as caught:
        certificates.save_issuer(admin_ctx, "", "センター長", "Nguyສn", str(tmp_path / "missing.png"))
    assert {p.field for p in caught.value.problems} == {"center_name", "head_name", "seal_image_path"}
    assert certificates.issuer(admin_ctx) == saved  # nothing written


# --- events ----------------------------------------------------------------------------------------


def test_event_is_validated_saved_listed_and_printed(counter_ctx):
    with pytest.raises(ValidationError) as caught:
        events.save_event(counter_ctx, None, events.EventInput(title="", event_date="2026-02-30", start_time="25:00", end_time="12:00", fee_yen="たくさん", capacity="0", url="not a url", contact="Nguyສn"))
    assert {p.field for p in caught.value.problems} == {"title", "event_date", "start_time", "fee_yen", "capacity", "url", "contact"}
    saved = events.save_event(counter_ctx, None, events.EventInput(
        title="市民活動入門講座", event_date="令和8年12月13日", start_time="１３：３０", end_time="16時", room_id=3,  # 会議室3 holds 30
        fee_yen="500円", capacity="30人", url="example.jp/e/1", description="入門講座です。",
    ))
    assert (saved.event_date, saved.start_time, saved.end_time) == (dt.date(2026, 12, 13), dt.time(13, 30), dt.time(16, 0))
    assert (saved.fee_yen, saved.capacity, saved.url) == (500, 30, "https://example.jp/e/1")
    assert saved.place.startswith("南アルプス市市民活動センター ")
    undated = events.save_event(counter_ctx, None, events.EventInput(title="交流会（日程調整中）"))
    assert [e.id for e in events.list_events(counter_ctx)] == [undated.id, saved.id]  # undated first
    text = compact(pdf_text(render_flyer(events.flyer_event(saved))))
    assert "令和8年12月13日（日）" in text and compact(saved.place) in text and "500円" in text
    with pytest.raises(ValidationError) as caught:
        render_flyer(events.flyer_event(undated))
    assert [p.field for p in caught.value.problems] == ["event_date"]


def test_event_changes_are_audited_and_flyer_options_remembered(admin_ctx):
    saved = events.save_event(admin_ctx, None, events.EventInput(title="講座", event_date="2026/12/13"))
    events.save_event(admin_ctx, saved.id, events.EventInput(title="講座（改）", event_date="2026/12/13"), expected_version=saved.version)
    events.save_flyer_options(admin_ctx, saved.id, FlyerOptions("photo", second_language="pt_BR", translated_title="Curso"))
    again = events.get_event(admin_ctx, saved.id)
    assert again.title == "講座（改）"  # free text is kept as typed (only trimmed)
    assert again.flyer_options == FlyerOptions("photo", second_language="pt_BR", translated_title="Curso")
    with pytest.raises(StaleEditError):
        events.save_event(admin_ctx, saved.id, events.EventInput(title="古い画面から"), expected_version=saved.version)
    events.delete_event(admin_ctx, saved.id)
    assert events.list_events(admin_ctx) == []
    with admin_ctx.db.read() as session:
        actions = [e.action for e in session.scalars(select(AuditEntry).where(AuditEntry.entity == "event").order_by(AuditEntry.id))]
    assert actions == ["create", "update", "update", "delete"]


# --- command line ----------------------------------------------------------------------------------


def run(capsys, db_url, *argv):
    os.environ["CENTER_APP_PASSWORD"] = "admin-password-1"
    try:
        status = main(["--lang", "ja", "--database-url", db_url, *argv, *(("--as", "admin") if argv[:1] == ("print",) and "--as" not in argv else ())])
    finally:
        del os.environ["CENTER_APP_PASSWORD"]
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_prints_one_certificate_and_every_active_one(capsys, db_url, registry, tmp_path, monkeypatch):
    one = tmp_path / "one.pdf"
    status, out, err = run(capsys, db_url, "print", "certificate", "--group", "r08-0001", "--output", str(one), "--size", "card")
    assert (status, err) == (0, "") and "R08-0001" in out
    assert "髙﨑まちづくりの会①" in pdf_text(one.read_bytes())
    every = tmp_path / "all.pdf"
    status, out, err = run(capsys, db_url, "print", "certificates", "--all-active", "--output", str(every))
    assert status == 0 and "2件" in out and page_count(every.read_bytes()) == 2


def test_cli_reissue_counts_only_when_the_file_is_written(capsys, db_url, registry, tmp_path):
    status, _out, err = run(capsys, db_url, "print", "certificate", "--group", "R08-0001", "--output", str(tmp_path / "no" / "x.pdf"), "--reissue")
    assert status == 1 and "x.pdf" in err
    target = tmp_path / "re.pdf"
    assert run(capsys, db_url, "print", "certificate", "--group", "R08-0001", "--output", str(target), "--reissue")[0] == 0
    assert "再交付（1回目）" in pdf_text(target.read_bytes())


def test_cli_errors_are_one_line_each_and_exit_1(capsys, db_url, registry, tmp_path, admin_ctx):
    status, _out, err = run(capsys, db_url, "print", "certificate", "--group", "R08-0999", "--output", str(tmp_path / "x.pdf"))
    assert status == 1 and "R08-0999" in err and "Traceback" not in err
    status, _out, err = run(capsys, db_url, "print", "certificate", "--group", registry["expired"].registration_no, "--output", str(tmp_path / "x.pdf"))
    assert status == 1 and "期限切れ" in err
    register(admin_ctx, "\U00020BB7野の会", "ヨシノノカイ")  # 𠮷: printed with IPAmj明朝
    lao = [register(admin_ctx, "Nguyສn の会", "グエンノカイ").registration_no,  # Lao ສ: in no bundled font
           register(admin_ctx, "ສົມ サークル", "ソムサークル").registration_no]
    status, _out, err = run(capsys, db_url, "print", "certificates", "--all-active", "--output", str(tmp_path / "all.pdf"))
    # nothing half-written: the run is refused, every unprintable group named with the character
    assert status == 1 and not (tmp_path / "all.pdf").exists()
    assert all(f"{number}・団体名：「ສ」(U+0EAA)" in err for number in lao) and "何も書き出していません" in err
    status, _out, err = run(capsys, db_url, "print", "certificates", "--all-active", "--output", str(tmp_path / "all.pdf"), "--skip-unprintable")
    # asked to: the others are printed, each left-out group named, and the exit status says so
    assert status == 1 and all(f"{number}・団体名：" in err for number in lao) and (tmp_path / "all.pdf").exists()
    printed = pdf_text((tmp_path / "all.pdf").read_bytes())
    assert "Nguy" not in printed and "\U00020BB7野の会" in printed
    assert "2 団体を除きました" in err
    with pytest.raises(SystemExit) as usage:  # --group is required
        run(capsys, db_url, "print", "certificate", "--output", "x.pdf")
    assert usage.value.code == 2


def test_print_family_accepts_more_documents(monkeypatch):
    import argparse

    from center_app.commands import printing

    monkeypatch.setattr(printing, "_actions", None)  # a fresh process: nothing registered yet
    monkeypatch.setattr(printing, "_pending", {})

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    printing.add_print_command("early", "added before register", lambda p: p.set_defaults(handler="early"))
    printing.register(sub)
    printing.add_print_command("late", "added after register", lambda p: p.set_defaults(handler="late"))
    assert parser.parse_args(["print", "early"]).handler == "early"
    assert parser.parse_args(["print", "late"]).handler == "late"
    assert "certificate" in printing.print_actions().choices


def test_batch_leaves_out_a_group_the_font_cannot_print_and_names_it(admin_ctx):
    from center_app.services import certificates
    from center_app.services.group_values import GroupInput
    from center_app.services.groups import register_group

    for name, kana in (("白根おはなしの会", "シラネオハナシノカイ"), ("ब田の会", "ヨシダノカイ")):
        register_group(admin_ctx, GroupInput(name=name, name_kana=kana, legal_form="任意団体", activity_fields=(2,), representative_name="山田 花子"))
    printable, refused = certificates.split_printable(admin_ctx, certificates.active_certificates(admin_ctx))
    assert [c.group_name for c in printable] == ["白根おはなしの会"]
    assert len(refused) == 1 and "ब" in refused[0]


def test_a_paused_group_gets_no_certificate(admin_ctx):
    import pytest

    from center_app.domain.errors import RuleError
    from center_app.services import certificates, groups
    from center_app.services.group_values import GroupInput

    detail = groups.register_group(admin_ctx, GroupInput(name="櫛形史談会", name_kana="クシガタシダンカイ", legal_form="任意団体", activity_fields=(2,), representative_name="山田 花子"))
    groups.pause_group(admin_ctx, detail.id, reason="休会")
    with pytest.raises(RuleError, match="休止|paused"):
        certificates.certificate_for_group(admin_ctx, detail.id)


def test_cli_prints_the_english_line_when_asked(capsys, db_url, registry, tmp_path):
    target = tmp_path / "en.pdf"
    assert run(capsys, db_url, "print", "certificate", "--group", "R08-0001", "--output", str(target), "--english")[0] == 0
    assert "Certificate of Registration as a Citizen Activity Group" in pdf_text(target.read_bytes())
    every = tmp_path / "all.pdf"
    assert run(capsys, db_url, "print", "certificates", "--all-active", "--output", str(every), "--english", "--size", "card")[0] == 0
    assert "Certificate of Registration" in pdf_text(every.read_bytes())
