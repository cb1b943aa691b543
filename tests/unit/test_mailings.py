"""Mailings to groups through the services and the command line: the filter (status, 有効期限,
活動分野, facility used), a group without an address listed and skipped, an empty selection
refused, templates checked when saved, and the sent-mail record per group (audited) — on both
engines."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from center_app.app import main
from center_app.db.groups import Group
from center_app.db.mailings import Mailing
from center_app.db.models import AuditEntry
from center_app.domain.errors import StaleEditError, ValidationError
from center_app.domain.mailings import MailFilter, MailKind
from center_app.services import documents, groups, mailings
from center_app.services.group_values import GroupInput

sys.path.insert(0, str(Path(__file__).parents[1] / "print"))
from pdf_checks import compact, page_count, page_texts  # noqa: E402

pytestmark = pytest.mark.postgres

TODAY = dt.date(2026, 6, 2)


def _group(ctx, name: str, kana: str, *, address: str = "山梨県南アルプス市小笠原376番地", postal: str = "400-0395", fields=(3,)) -> int:
    return groups.register_group(ctx, GroupInput(name=name, name_kana=kana, legal_form="voluntary", activity_fields=fields,
                                                 representative_name="山田 太郎", postal_code=postal, address=address, phone="055-282-1111")).id


@pytest.fixture
def town(admin_ctx, clock):
    """Four groups: two of まちづくり (3), one of them without an address; one 子ども (13) that
    expired; one paused."""
    clock(dt.datetime(2026, 6, 2, 10, 0))
    ids = {
        "aoba": _group(admin_ctx, "あおばまちづくりの会", "アオバマチヅクリノカイ"),
        "nowhere": _group(admin_ctx, "いずみの会", "イズミノカイ", address="", postal=""),
        "kodomo": _group(admin_ctx, "𠮷田子ども食堂", "ヨシダコドモショクドウ", fields=(13,)),
        "rest": _group(admin_ctx, "うみの会", "ウミノカイ", fields=(13,)),
    }
    with admin_ctx.db.write() as session:
        session.get(Group, ids["kodomo"]).valid_until = dt.date(2026, 3, 31)
        session.get(Group, ids["rest"]).status = "paused"
    return ids


def _names(found) -> list[str]:
    return [r.group_name for r in found]


def test_the_filter_chooses_by_status_expiry_and_field(admin_ctx, town):
    assert _names(mailings.choose(admin_ctx, MailFilter())) == ["あおばまちづくりの会", "いずみの会", "うみの会", "𠮷田子ども食堂"]
    assert _names(mailings.choose(admin_ctx, MailFilter(statuses=("expired",)))) == ["𠮷田子ども食堂"]
    assert _names(mailings.choose(admin_ctx, MailFilter(statuses=("registered", "paused")))) == ["あおばまちづくりの会", "いずみの会", "うみの会"]
    assert _names(mailings.choose(admin_ctx, MailFilter(expires_before=dt.date(2026, 4, 1)))) == []  # expired already: not "expiring"
    assert _names(mailings.choose(admin_ctx, MailFilter(expires_before=dt.date(2027, 4, 1)))) == ["あおばまちづくりの会", "いずみの会", "うみの会"]
    field = mailings.field_code(admin_ctx, "まちづくり")
    assert field == 3
    chosen = mailings.choose(admin_ctx, MailFilter(field_code=field))
    assert [(r.group_name, r.skip_reason) for r in chosen] == [("あおばまちづくりの会", ""), ("いずみの会", "住所がありません")]
    with pytest.raises(ValidationError, match="ZZZ"):
        mailings.choose(admin_ctx, MailFilter(facility_code="ZZZ"))


def test_the_facility_filter_takes_groups_with_a_booking_there(admin_ctx, town):
    from center_app.services import bookings

    sys.path.insert(0, str(Path(__file__).parent))
    from bookings_support import make_input, room_ids

    rooms = room_ids(admin_ctx.db)
    room = next(iter(rooms.values()))
    with admin_ctx.db.read() as session:
        from center_app.db.models import Facility, Room

        facility = session.scalar(select(Facility.code).join(Room, Room.facility_id == Facility.id).where(Room.id == room))
    bookings.create_booking(admin_ctx, make_input(room, dt.date(2026, 6, 9), group_id=town["aoba"], applicant_class="registered"))
    assert _names(mailings.choose(admin_ctx, MailFilter(facility_code=facility))) == ["あおばまちづくりの会"]


def test_a_group_without_an_address_is_listed_and_skipped_not_printed_blank(admin_ctx, town):
    ids = [r.group_id for r in mailings.choose(admin_ctx, MailFilter(field_code=3))]
    document = documents.mail_letters_pdf(admin_ctx, "登録更新のお知らせ", ids)
    assert [r.group_name for r in document.sent] == ["あおばまちづくりの会"]
    assert [(r.group_name, r.skip_reason) for r in document.skipped] == [("いずみの会", "住所がありません")]
    assert page_count(document.pdf) == 1
    text = compact(page_texts(document.pdf)[0])
    assert "いずみの会" not in text and "あおばまちづくりの会御中" in text
    assert "令和9年3月31日で有効期限を迎えます" in text and "南アルプス市市民活動センター" in text


@pytest.mark.parametrize("build", [
    lambda ctx, ids: documents.mail_letters_pdf(ctx, "お知らせ", ids),
    lambda ctx, ids: documents.mail_labels_pdf(ctx, ids, "a4-24"),
    lambda ctx, ids: documents.mail_envelopes_pdf(ctx, ids),
])
def test_an_empty_selection_or_one_without_any_address_is_refused(admin_ctx, town, build):
    with pytest.raises(ValidationError, match="団体が選ばれていません"):
        build(admin_ctx, [])
    with pytest.raises(ValidationError, match="印刷できる団体がありません"):
        build(admin_ctx, [town["nowhere"]])


def test_templates_are_seeded_and_an_unknown_merge_field_is_refused_when_saved(admin_ctx, counter_ctx):
    assert [t.name for t in mailings.templates(counter_ctx)] == ["お知らせ", "登録更新のお知らせ"]
    with pytest.raises(ValidationError) as refused:
        mailings.save_template(counter_ctx, None, "総会のご案内", "{団体名}へ", "{代表者} 様、総会は{日時}です。")
    assert "{代表者}" in str(refused.value) and "{日時}" in str(refused.value)
    assert [t.name for t in mailings.templates(counter_ctx)] == ["お知らせ", "登録更新のお知らせ"]
    made = mailings.save_template(counter_ctx, None, "総会のご案内", "総会のご案内", "{代表者名} 様\n\n総会を開きます。")
    with pytest.raises(ValidationError, match="登録更新のお知らせ"):
        mailings.save_template(counter_ctx, made.id, "登録更新のお知らせ", "x", "y")
    changed = mailings.save_template(counter_ctx, made.id, "総会のご案内", "総会のご案内（第2報）", "本文", expected_version=made.version)
    with pytest.raises(StaleEditError):
        mailings.save_template(counter_ctx, made.id, "総会のご案内", "古い画面から", "本文", expected_version=made.version)
    assert mailings.template_named(counter_ctx, "総会のご案内").title == changed.title == "総会のご案内（第2報）"


def test_a_merge_field_in_full_width_braces_is_refused_when_saved(counter_ctx):
    """A second walk-through: 「｛代表者名｝」 (the input method's braces) was saved and printed as typed."""
    with pytest.raises(ValidationError) as refused:
        mailings.save_template(counter_ctx, None, "総会のご案内", "総会のご案内", "{団体名}様 ｛代表者名｝")
    assert "{代表者名}" in str(refused.value)
    assert [t.name for t in mailings.templates(counter_ctx)] == ["お知らせ", "登録更新のお知らせ"]
    assert mailings.save_template(counter_ctx, None, "記号", "記号", "｛注｝は全角の括弧のままです。").name == "記号"  # not a field


def test_the_sent_mail_record_says_what_when_and_who_and_is_audited(admin_ctx, counter_ctx, town, clock):
    clock(dt.datetime(2026, 12, 1, 9, 0))
    assert mailings.record_mailing(counter_ctx, MailKind.LETTER, "登録更新のお知らせ", [town["aoba"], town["kodomo"]]) == 2
    clock(dt.datetime(2026, 12, 2, 9, 0))
    mailings.record_mailing(counter_ctx, MailKind.LABELS, "", [town["aoba"]])
    history = mailings.group_mailings(admin_ctx, town["aoba"])
    assert [(m.kind, m.template_name, m.sent_on, m.sent_by) for m in history] == [
        (MailKind.LABELS, "", dt.date(2026, 12, 2), "counter 太郎"),
        (MailKind.LETTER, "登録更新のお知らせ", dt.date(2026, 12, 1), "counter 太郎"),
    ]
    with admin_ctx.db.read() as session:
        audited = session.scalars(select(AuditEntry).where(AuditEntry.action == "mail").order_by(AuditEntry.id)).all()
        assert [(a.entity, a.entity_id, a.staff_name) for a in audited] == [
            ("group", str(town["aoba"]), "counter 太郎"), ("group", str(town["kodomo"]), "counter 太郎"), ("group", str(town["aoba"]), "counter 太郎")]


def test_a_group_whose_name_cannot_be_printed_is_skipped_and_named_the_others_are_printed(db, admin_ctx, town, tmp_path, capsys, monkeypatch):
    emoji = _group(admin_ctx, "えがおの会😀", "エガオノカイ")
    found = {r.group_id: r.skip_reason for r in mailings.choose(admin_ctx, MailFilter(field_code=3))}
    assert "U+1F600" in found[emoji] and "行" not in found[emoji]
    document = documents.mail_labels_pdf(admin_ctx, list(found), "a4-12")
    assert [r.group_name for r in document.sent] == ["あおばまちづくりの会"]
    assert [r.group_name for r in document.skipped] == ["いずみの会", "えがおの会😀"]

    output = tmp_path / "labels.pdf"
    status, out, err = run(capsys, monkeypatch, db.url, "mail", "labels", "--layout", "a4-12", "--filter", "field=まちづくり",
                           "--output", str(output), "--as", "admin")
    assert status == 0, err
    assert "えがおの会😀" in err and "U+1F600" in err and "行" not in err
    assert "あおばまちづくりの会" in compact(page_texts(output.read_bytes())[0])
    assert "2 団体" in out


def run(capsys, monkeypatch, url, *argv):
    monkeypatch.setenv("CENTER_APP_PASSWORD", "admin-password-1")
    try:
        status = main(["--database-url", url, *argv])
    except SystemExit as exit_:
        status = exit_.code
    out, err = capsys.readouterr()
    return status, out, err


def test_mail_from_the_command_line(db, admin_ctx, town, tmp_path, capsys, monkeypatch):
    output = tmp_path / "letters.pdf"
    status, out, err = run(capsys, monkeypatch, db.url, "mail", "letters", "--template", "登録更新のお知らせ", "--filter", "field=まちづくり",
                           "--filter", "status=registered", "--to", "representative", "--output", str(output), "--as", "admin")
    assert status == 0, err
    assert "いずみの会" in err and "住所がありません" in err
    assert "1" in out and str(output) in out
    text = compact(page_texts(output.read_bytes())[0])
    assert "あおばまちづくりの会代表山田太郎様" in text
    with db.read() as session:
        assert session.scalars(select(Mailing.group_id)).all() == [town["aoba"]]

    labels = tmp_path / "labels.pdf"
    status, out, err = run(capsys, monkeypatch, db.url, "mail", "labels", "--layout", "a4-12", "--start", "3", "--filter",
                           "status=expired", "--output", str(labels), "--as", "admin")
    assert status == 0, err
    assert "𠮷田子ども食堂" in compact(page_texts(labels.read_bytes())[0])

    status, out, err = run(capsys, monkeypatch, db.url, "mail", "envelopes", "--filter", "status=withdrawn", "--output", str(tmp_path / "e.pdf"), "--as", "admin")
    assert status == 1 and "団体が選ばれていません" in err and not (tmp_path / "e.pdf").exists()
    status, out, err = run(capsys, monkeypatch, db.url, "mail", "labels", "--layout", "a4-12", "--filter", "colour=red", "--output", str(tmp_path / "x.pdf"), "--as", "admin")
    assert status == 2
    status, out, err = run(capsys, monkeypatch, db.url, "mail", "labels", "--layout", "a4-12", "--start", "13", "--output", str(tmp_path / "x.pdf"), "--as", "admin")
    assert status == 1 and "1" in err and not (tmp_path / "x.pdf").exists()
    status, out, err = run(capsys, monkeypatch, db.url, "mail", "envelopes", "--output", str(tmp_path / "x.pdf"))
    assert status == 3
    with db.read() as session:
        assert len(session.scalars(select(Mailing.group_id)).all()) == 2


def test_the_renewal_letter_goes_only_to_registrations_that_expire_from_today_until_the_day(db, admin_ctx, town, tmp_path, capsys,
                                                                                            monkeypatch, clock):
    """The defect: ``expires-before`` also took the groups whose registration had already expired,
    and the seeded 登録更新のお知らせ told them their registration 「…で有効期限を迎えます」 — a
    day already past."""
    clock(dt.datetime(2027, 2, 1, 10, 0))  # the renewal season: the groups of 令和8年度 are valid until 2027-03-31
    output = tmp_path / "renewal.pdf"
    status, out, err = run(capsys, monkeypatch, db.url, "mail", "letters", "--template", "登録更新のお知らせ",
                           "--filter", "expires-before=2027-04-01", "--output", str(output), "--as", "admin")  # no status: every group
    assert status == 0, err
    text = compact("".join(page_texts(output.read_bytes())))
    assert "あおばまちづくりの会" in text and "令和9年3月31日で有効期限を迎えます" in text
    assert "𠮷田子ども食堂" not in text and "令和8年3月31日" not in text  # expired on 2026-03-31: no "will expire" letter
    assert _names(mailings.choose(admin_ctx, MailFilter(statuses=("expired",)))) == ["𠮷田子ども食堂"]  # reached by its status
