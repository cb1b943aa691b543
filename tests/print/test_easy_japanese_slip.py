"""The booking slip in やさしい日本語 (``ja_easy``): a booking may be in it like the other slip
languages (the booking's language, the command's ``--lang ja_easy``); the slip says the same in
short sentences with every kanji given its ルビ, and writes the date as 「6月 9日（火曜日）」 read
がつ, ここのか, かようび — the day readings of the guideline (ついたち, はつか …), not 〜にち. The
permit of such a booking stays Japanese. Text is checked with pdftotext; set
CENTER_APP_KEEP_PDFS to keep the PDF."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from center_app.app import main
from center_app.db.models import Room
from center_app.domain.booking_values import BookingInput
from center_app.domain.document_texts import ja, ja_easy
from center_app.print.booking_slip import easy_slip_rows
from center_app.print.ruby import markup_segments
from center_app.services import bookings, certificates, groups
from center_app.services.documents import booking_slip_pdf, permit_pdf
from center_app.services.group_values import GroupInput

from conftest import command_line_admin

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")


def pdftotext(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return " ".join(out.split())


@pytest.fixture
def env(db, admin_ctx, clock):
    clock(dt.datetime(2026, 6, 2, 10, 0))
    with db.read() as session:
        rooms = {r.code: r.id for r in session.scalars(select(Room))}
    group = groups.register_group(admin_ctx, GroupInput(
        name="髙﨑まちづくりの会", name_kana="タカサキマチヅクリノカイ", legal_form="voluntary", activity_fields=(3,),
        representative_name="髙橋 一郎", phone="055-282-2222", postal_code="400-0395", address="山梨県南アルプス市小笠原1281",
    ))
    certificates.save_issuer(admin_ctx, "南アルプス市市民活動センター", "センター長", "山田 太郎")
    return {"ctx": admin_ctx, "rooms": rooms, "group": group, "db": db}


def _book(env, day: dt.date, language: str = "ja_easy"):
    return bookings.create_booking(env["ctx"], BookingInput(
        room_id=env["rooms"]["HALL"], day=day, slot_names=("午後",), group_id=env["group"].id, expected_people=40,
        purpose="日本語の勉強会", language=language))


def test_a_booking_in_easy_japanese_prints_its_slip_with_ruby_and_the_permit_in_japanese(env):
    booked = _book(env, dt.date(2026, 6, 9))
    slip = booking_slip_pdf(env["ctx"], booked.id)  # the booking's own language
    assert slip.language == "ja_easy"
    folder = os.environ.get("CENTER_APP_KEEP_PDFS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / "slip-ja_easy.pdf").write_bytes(slip.pdf)
    text = pdftotext(slip.pdf)
    assert "部屋 の 予約" in text or "部屋の 予約" in text.replace(" の", "の")
    for reading in ("へや", "よやく", "ここのか", "かようび", "がつ", "たもくてき", "べんきょう", "ごご", "にん"):
        assert reading in text, reading
    assert "火曜日" in text and "髙﨑まちづくりの会" in text and "1,600" in text
    assert "施設予約票" not in text and "使用料" not in text  # not the Japanese slip's office words
    assert "施設使用許可書" in pdftotext(permit_pdf(env["ctx"], [booked.id]).pdf)  # the permit has no やさしい日本語


@pytest.mark.parametrize(("day", "reading"), [
    (dt.date(2026, 7, 1), "ついたち"), (dt.date(2026, 6, 20), "はつか"), (dt.date(2026, 6, 24), "にじゅうよっか"),
    (dt.date(2026, 6, 14), "じゅうよっか"), (dt.date(2026, 6, 12), "にち"),
])
def test_the_date_of_use_is_read_with_the_guidelines_day_readings(env, day, reading):
    view, _header = bookings.slip_data(env["ctx"], _book(env, day).id)
    date_row = dict((''.join(b for b, _ in label), value) for label, value in easy_slip_rows(view))["使う 日"]
    assert (f"{day.day}日", reading) in date_row or (reading == "にち" and ("日", "にち") in date_row)
    weekday = "月火水木金土日"[day.weekday()] + "曜日"
    assert any(base == weekday for base, _ in date_row)


def test_every_kanji_of_the_fixed_wording_has_its_reading():
    assert set(ja_easy.SLIP) >= set(ja.SLIP) - {"subtitle"}
    for key, template in ja_easy.SLIP.items():
        values = {name: "X" for name in ("count", "amount", "receipts", "date", "reason", "name", "rate")}
        for base, reading in markup_segments(template, **values):
            if not reading:
                assert not any("\u4e00" <= c <= "\u9fff" for c in base), (key, base)


def test_the_command_prints_the_slip_in_easy_japanese(env, tmp_path, monkeypatch):
    booked = _book(env, dt.date(2026, 6, 9), language="en")
    out = tmp_path / "slip.pdf"
    signed_in = command_line_admin(env["db"], monkeypatch)
    assert main(["--database-url", env["db"].url, "print", "slip", "--booking", booked.slip_no, "--lang", "ja_easy", "--output", str(out),
                 *signed_in]) == 0
    text = pdftotext(out.read_bytes())
    assert "ここのか" in text and "かようび" in text and "Room Booking Slip" not in text
