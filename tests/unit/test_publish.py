"""The public site (`center-app publish`): what a citizen sees — 空き / 予約済 / 休館 from the
booking and closed-day rules, public events by name, consenting groups only with their consented
fields, calendar files with busy times only — and how the output folder is guarded: a folder
with foreign files or one that cannot be written is refused before anything is written, and a
failed run leaves the previous site as it was."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import icalendar
import pytest

from center_app.domain.errors import ValidationError
from center_app.services import bookings, groups, publish
from center_app.services.events import EventInput, save_event
from center_app.services.group_values import GroupInput
from tests.unit.bookings_support import make_input, room_ids

TODAY = dt.date(2026, 6, 2)  # a Tuesday
MONDAY = dt.date(2026, 6, 8)  # the weekly closed day
DAY = dt.date(2026, 6, 9)


def _group(ctx, name: str, kana: str, consent: tuple[str, ...], **extra) -> int:
    values = dict(name=name, name_kana=kana, legal_form="voluntary", activity_fields=(2,), representative_name="代表 一郎",
                  phone="055-282-1111", public_consent=consent)
    values.update(extra)
    return groups.register_group(ctx, GroupInput(**values)).id


@pytest.fixture
def center(admin_ctx, clock):
    """Two groups that agreed to be listed (one with its contact), one that did not, a private
    booking of an individual, a booking of a group and an event held in a room."""
    clock(dt.datetime(2026, 6, 2, 9, 0))
    rooms = room_ids(admin_ctx.db)
    listed = _group(admin_ctx, "みどりの会", "ミドリノカイ", ("name", "activity_fields", "purpose"), purpose="川辺の清掃")
    _group(admin_ctx, "あおぞら合唱団", "アオゾラガッショウダン", ("name", "contact"), activity_fields=(5,), email="sora@example.jp",
           address="南アルプス市小笠原1", postal_code="400-0306")
    _group(admin_ctx, "ひみつの研究会", "ヒミツノケンキュウカイ", ())
    bookings.create_booking(admin_ctx, make_input(rooms["M1"], DAY, "09:00", "12:00", applicant_name="個人 申込者",
                                                  purpose="家族の相談ごと"))
    bookings.create_booking(admin_ctx, make_input(rooms["M1"], DAY, "13:00", "15:00", applicant_name="", group_id=listed,
                                                  applicant_class="registered", purpose="役員会の打合せ"))
    event = save_event(admin_ctx, None, EventInput(title="親子で学ぶ防災教室", event_date=DAY, start_time="18:30", end_time="20:30",
                                                   room_id=rooms["M2"], organiser="センター", fee_yen="0", capacity="15"))
    return {"rooms": rooms, "event": event.id}


def _site_text(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix != ".pdf")


def _row(html: str, day: str) -> list[str]:
    """The cells (text) of the first grid row whose header is ``day`` (e.g. 6月9日(火))."""
    row = re.search(rf'<th scope="row">{re.escape(day)}</th>(.*?)</tr>', html, re.S)
    assert row, day
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]


def test_the_grid_shows_free_booked_closed_and_a_public_event_by_its_name(admin_ctx, center, tmp_path):
    result = publish.publish_site(admin_ctx, tmp_path / "site", months=2, languages="ja,en")
    month = (tmp_path / "site" / "ja" / "facility-1-2026-06.html").read_text(encoding="utf-8")
    first_room, second_room = month.split('<section aria-labelledby="room-')[1:3]
    assert _row(first_room, "6月9日(火)") == ["予約済", "予約済", "空き"]
    assert _row(second_room, "6月9日(火)") == ["空き", "空き", "親子で学ぶ防災教室"]
    assert _row(first_room, "6月8日(月)") == ["休館", "休館", "休館"]
    assert "6月1日(月)" not in month  # the days before today are not published
    assert f'href="event-{center["event"]}.html"' in second_room
    english = (tmp_path / "site" / "en" / "facility-1-2026-06.html").read_text(encoding="utf-8")
    assert _row(english.split('<section aria-labelledby="room-')[1], "Tue, Jun 9") == ["Booked", "Booked", "Free"]
    assert '<html lang="en">' in english and '<th scope="col">Date</th>' in english
    assert (tmp_path / "site" / "ja" / "facility-1-2026-07.html").exists() and not (tmp_path / "site" / "ja" / "facility-1-2026-08.html").exists()
    assert result.events == 1 and result.groups == 2
    text = _site_text(tmp_path / "site")
    for private in ("個人 申込者", "家族の相談ごと", "役員会の打合せ", "ひみつの研究会", "ヒミツノケンキュウカイ", "代表 一郎"):
        assert private not in text


def test_the_directory_lists_consenting_groups_in_kana_order_with_their_consented_fields_only(admin_ctx, center, tmp_path):
    publish.publish_site(admin_ctx, tmp_path / "site", months=1, languages="ja")
    page = (tmp_path / "site" / "ja" / "groups.html").read_text(encoding="utf-8")
    assert page.index("あおぞら合唱団") < page.index("みどりの会")
    assert "川辺の清掃" in page  # consented: purpose
    assert "sora@example.jp" in page and "〒400-0306 南アルプス市小笠原1" in page  # consented: contact
    assert "055-282-1111" not in page.split("みどりの会")[1]  # みどりの会 did not consent to its contact
    filtered = (tmp_path / "site" / "ja" / "groups-field-2.html").read_text(encoding="utf-8")
    assert "みどりの会" in filtered and "あおぞら合唱団" not in filtered  # 分野 filter: a plain page, no script
    assert "<script" not in _site_text(tmp_path / "site")


def test_expired_or_paused_groups_are_not_listed(admin_ctx, center, tmp_path, clock):
    clock(dt.datetime(2027, 4, 2, 9, 0))  # every registration of 令和8年度 has expired
    publish.publish_site(admin_ctx, tmp_path / "site", months=1, languages="ja")
    assert "みどりの会" not in (tmp_path / "site" / "ja" / "groups.html").read_text(encoding="utf-8")


def test_calendar_files_hold_busy_times_without_names_and_the_events(admin_ctx, center, tmp_path):
    publish.publish_site(admin_ctx, tmp_path / "site", months=1, languages="ja")
    room = icalendar.Calendar.from_ical((tmp_path / "site" / "calendar" / f"room-{center['rooms']['M1']}.ics").read_bytes())
    busy = [(e.decoded("dtstart"), e.decoded("dtend"), str(e["summary"])) for e in room.walk("VEVENT")]
    assert [(s.strftime("%m-%d %H:%M"), e.strftime("%H:%M")) for s, e, _ in busy] == [("06-09 09:00", "12:00"), ("06-09 13:00", "15:00")]
    assert {summary for *_, summary in busy} == {"予約済 / Booked"}
    assert busy[0][0].utcoffset() == dt.timedelta(hours=9)
    raw = (tmp_path / "site" / "calendar" / f"room-{center['rooms']['M1']}.ics").read_text(encoding="utf-8")
    assert "個人" not in raw and "みどり" not in raw and "打合せ" not in raw
    events = icalendar.Calendar.from_ical((tmp_path / "site" / "calendar" / "events.ics").read_bytes())
    assert [str(e["summary"]) for e in events.walk("VEVENT")] == ["親子で学ぶ防災教室"]


def test_events_get_a_page_and_their_flyer(admin_ctx, center, tmp_path):
    publish.publish_site(admin_ctx, tmp_path / "site", months=1, languages="ja,ja_easy")
    page = (tmp_path / "site" / "ja" / f"event-{center['event']}.html").read_text(encoding="utf-8")
    assert "親子で学ぶ防災教室" in page and "無料" in page and "15人" in page
    flyer = tmp_path / "site" / "flyers" / f"event-{center['event']}.pdf"
    assert f'href="../flyers/{flyer.name}"' in page and flyer.read_bytes().startswith(b"%PDF")
    easy = (tmp_path / "site" / "ja_easy" / "events.html").read_text(encoding="utf-8")
    assert "<ruby>" in easy and '<html lang="ja">' in easy


def test_an_event_page_names_its_approved_co_hosts_and_supporters_as_the_flyer_does(admin_ctx, center, tmp_path):
    """A second walk-through: the flyer printed 共催 and 後援, the event's page only 主催."""
    from center_app.services import endorsements

    for kind, name in (("cohost", "南アルプス市教育委員会"), ("support", "南アルプス市市民活動センター")):
        applied = endorsements.apply_endorsement(admin_ctx, kind, "センター", event_id=center["event"], name_lent=name)
        endorsements.decide_endorsement(admin_ctx, applied.id, True)
    publish.publish_site(admin_ctx, tmp_path / "site", months=1, languages="ja,en")
    page = (tmp_path / "site" / "ja" / f"event-{center['event']}.html").read_text(encoding="utf-8")
    assert "<dt>共催</dt>" in page and "南アルプス市教育委員会" in page
    assert "<dt>後援</dt>" in page and "南アルプス市市民活動センター" in page
    english = (tmp_path / "site" / "en" / f"event-{center['event']}.html").read_text(encoding="utf-8")
    assert "Co-hosted by" in english and "Supported by" in english


def test_a_folder_with_files_the_site_did_not_write_is_refused_and_left_as_it_was(admin_ctx, center, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    folder = tmp_path / "www"
    folder.mkdir()
    (folder / "report.docx").write_bytes(b"the city's own file")
    with pytest.raises(ValidationError, match="report.docx"):
        publish.publish_site(admin_ctx, folder, months=1, languages="ja")
    assert [p.name for p in folder.iterdir()] == ["report.docx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["www"]  # no temporary folder left beside it


def test_a_folder_that_cannot_be_written_is_refused_before_anything_is_written(admin_ctx, center, tmp_path, monkeypatch):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    folder = tmp_path / "www"
    folder.mkdir()
    folder.chmod(0o555)
    if os.geteuid() == 0:  # root writes anywhere: let the check see what another account would
        real = os.access
        monkeypatch.setattr(publish.os, "access", lambda path, mode: False if Path(path) == folder else real(path, mode))
    try:
        with pytest.raises(ValidationError, match="書き込めません"):
            publish.publish_site(admin_ctx, folder, months=1, languages="ja")
        assert list(folder.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["www"]
    finally:
        folder.chmod(0o755)
    with pytest.raises(ValidationError, match="ファイルです"):
        (tmp_path / "plain").write_text("x")
        publish.publish_site(admin_ctx, tmp_path / "plain", months=1, languages="ja")


def test_publishing_again_replaces_its_own_site_and_a_failure_leaves_the_old_one(admin_ctx, center, tmp_path, monkeypatch):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    folder = tmp_path / "site"
    publish.publish_site(admin_ctx, folder, months=2, languages="ja,en")
    manifest = json.loads((folder / publish.MANIFEST).read_text(encoding="utf-8"))
    assert "ja/index.html" in manifest["files"] and "calendar/events.ics" in manifest["files"]
    publish.publish_site(admin_ctx, folder, months=1, languages="ja")  # its own files: replaced
    assert not (folder / "en").exists() and not (folder / "ja" / "facility-1-2026-07.html").exists()
    before = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    def broken(data, languages):
        yield "style.css", b"body {}"
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(publish, "render_site", broken)
    with pytest.raises(OSError):
        publish.publish_site(admin_ctx, folder, months=1, languages="ja")
    assert {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    monkeypatch.undo()

    def full_disk(built, target):  # the new site is complete on disk, then the swap fails
        assert (built / "ja" / "index.html").exists()
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(publish, "_swap_in", full_disk)
    with pytest.raises(ValidationError, match="元のまま"):
        publish.publish_site(admin_ctx, folder, months=1, languages="ja")
    assert {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_languages_and_months_are_checked(admin_ctx, center, tmp_path):
    assert publish.parse_languages("en, vi") == ("ja", "en", "vi")
    with pytest.raises(ValidationError, match="xx"):
        publish.parse_languages("en,xx")
    with pytest.raises(ValidationError):
        publish.publish_site(admin_ctx, tmp_path / "site", months=13)
    assert not (tmp_path / "site").exists()


def test_the_command_writes_the_site_and_refuses_with_its_exit_statuses(db, admin_ctx, center, tmp_path, monkeypatch, capsys):
    from center_app.app import main

    url = str(db.engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("CENTER_APP_PASSWORD", "admin-password-1")
    folder = tmp_path / "site"
    assert main(["--database-url", url, "publish", "--output", str(folder), "--months", "1", "--lang", "ja,en", "--as", "admin"]) == 0
    assert "書き出しました" in capsys.readouterr().out and (folder / "en" / "groups.html").exists()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    assert main(["--database-url", url, "publish", "--output", str(tmp_path / "other"), "--as", "admin"]) == 1
    assert "notes.txt" in capsys.readouterr().err
    assert main(["--database-url", url, "publish", "--output", str(folder), "--lang", "ja,xx", "--as", "admin"]) == 1
    assert main(["--database-url", url, "publish", "--output", str(folder)]) == 3
    with pytest.raises(SystemExit) as usage:
        main(["--database-url", url, "publish", "--as", "admin"])
    assert usage.value.code == 2
    with pytest.raises(SystemExit) as empty:  # "" meant the current folder: a usage error, nothing read or written
        main(["--database-url", url, "publish", "--output", "", "--as", "admin"])
    assert empty.value.code == 2 and "--output" in capsys.readouterr().err


def test_a_stopped_run_writes_nothing(admin_ctx, center, tmp_path):
    from center_app.domain.errors import Cancelled

    calls = []

    def stop_midway(done, total):
        calls.append((done, total))
        return len(calls) < 3

    with pytest.raises(Cancelled):
        publish.publish_site(admin_ctx, tmp_path / "site", months=1, languages="ja,en", progress=stop_midway)
    assert not (tmp_path / "site").exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".site")]
    assert calls[0] == (0, calls[0][1]) and all(total == calls[0][1] for _done, total in calls)


def test_foreign_pages_name_rooms_in_their_language_or_add_the_room_code_and_date_months_in_it(admin_ctx, center, tmp_path):
    """The defect: the English, Thai, … pages named every room only in Japanese. A room named in
    設定 → センター's 「外国語の書類での名前」 is named so; the others keep their Japanese name with
    the room's code beside it. Month headings are in the page's language (Babel)."""
    from center_app.domain.center_settings import SETTINGS_CENTER
    from center_app.services import center_settings

    center_settings.save(admin_ctx, SETTINGS_CENTER, {"document_names": "会議室1 = en: Meeting room 1; th: ห้องประชุม 1\n"
                                                                        "南アルプス市市民活動センター = en: Minami-Alps Civic Activity Center"})
    publish.publish_site(admin_ctx, tmp_path / "site", months=1, languages="ja,en,th")
    english = (tmp_path / "site" / "en" / "facility-1-2026-06.html").read_text(encoding="utf-8")
    headings = re.findall(r'<h2 id="room-\d+" tabindex="-1">(.*?)</h2>', english)
    assert headings[:2] == ["Meeting room 1", '<span lang="ja">会議室2</span> (M2)']
    assert "<h1>Minami-Alps Civic Activity Center: availability in June 2026</h1>" in english
    assert '<a href="#room-' in english and ">Meeting room 1</a>" in english
    thai = (tmp_path / "site" / "th" / "facility-1-2026-06.html").read_text(encoding="utf-8")
    assert re.findall(r'<h2 id="room-\d+" tabindex="-1">(.*?)</h2>', thai)[:2] == ["ห้องประชุม 1", '<span lang="ja">会議室2</span> (M2)']
    assert "มิถุนายน 2026" in thai
    japanese = (tmp_path / "site" / "ja" / "facility-1-2026-06.html").read_text(encoding="utf-8")
    assert re.findall(r'<h2 id="room-\d+" tabindex="-1">(.*?)</h2>', japanese)[:2] == ['<span lang="ja">会議室1</span>', '<span lang="ja">会議室2</span>']
    assert "2026年6月" in japanese
    index = (tmp_path / "site" / "en" / "index.html").read_text(encoding="utf-8")
    assert "Minami-Alps Civic Activity Center" in index and "(M2)" in index  # the calendar links name the rooms alike
