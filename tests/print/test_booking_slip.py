"""The booking slip PDF: text extracted with pypdf in Japanese, English and Brazilian Portuguese."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest
from pypdf import PdfReader

from center_app.domain.booking_values import BookingStatus, BookingView, SlipHeader
from center_app.domain.errors import MissingGlyphError
from center_app.print.booking_slip import date_line, render_booking_slip

HEADER = SlipHeader("南アルプス市市民活動センター", "センター長", "山梨県南アルプス市小笠原1281", "055-282-1111")
VIEW = BookingView(
    id=12, slip_no="B2026-000012", facility_id=1, facility_name="南アルプス市市民活動センター", room_id=4, room_name="多目的ホール",
    room_capacity=80, start=dt.datetime(2026, 6, 9, 13), end=dt.datetime(2026, 6, 9, 17), slot_names=("午後",), slot_units=1,
    status=BookingStatus.CONFIRMED, group_id=3, registration_no="R08-0003", applicant_name="髙﨑まちづくりの会", applicant_kana="タカサキマチヅクリノカイ",
    applicant_phone="055-282-2222", applicant_class="registered", applicant_class_name="登録団体", language="ja",
    purpose="講演会「髙﨑先生と歩く」", expected_people=60, attendance=None, checked_in_at=None, base_fee=1600, gross_fee=1600,
    fee=800, exemption_code="city_endorsed", exemption_name="市の後援", exemption_rate=50, waived=800, closed_override_reason="",
    cancel_reason="", note="", series_id=None, created_at=dt.datetime(2026, 6, 2, 10), created_by="窓口 花子",
    updated_at=dt.datetime(2026, 6, 2, 10), updated_by="窓口 花子",
)


def slip(view: BookingView, language: str = "ja") -> bytes:
    return render_booking_slip(view, HEADER, language=language, issued_on=dt.date(2026, 6, 2), clerk="窓口 花子")


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


def test_japanese_slip_has_wareki_date_fee_exemption_and_names():
    data = render_booking_slip(VIEW, HEADER, language="ja", issued_on=dt.date(2026, 6, 2), clerk="窓口 花子")
    text = text_of(data)
    for expected in ("施設使用許可書兼領収書", "B2026-000012", "髙﨑まちづくりの会", "R08-0003", "多目的ホール",
                     "令和8年6月9日（火）", "2026年6月9日", "13:00–17:00", "60人", "講演会「髙﨑先生と歩く」",
                     "1,600円", "市の後援（50%）", "800円", "領収しました", "センター長", "令和8年6月2日"):
        assert expected in text, expected
    fonts = {str(f.get_object()["/BaseFont"]) for page in PdfReader(io.BytesIO(data)).pages for f in page["/Resources"]["/Font"].values()}
    assert fonts and all("IPAex" in f for f in fonts)  # embedded Japanese fonts only, no Helvetica


def test_english_and_portuguese_slips_keep_the_japanese_date_beside():
    english = text_of(slip(VIEW, "en"))
    assert "Room Use Permit and Receipt" in english and "Tuesday, June 9, 2026" in english and "令和8年6月9日（火）" in english
    assert "¥1,600" in english and "Amount waived" in english
    portuguese = text_of(slip(VIEW, "pt_BR"))
    assert "terça-feira, 9 de junho de 2026" in portuguese and "令和8年6月9日（火）" in portuguese
    assert "Valor dispensado" in portuguese and "1.600" in portuguese and "髙﨑まちづくりの会" in portuguese


def test_provisional_and_cancelled_slips_say_so():
    provisional = text_of(slip(dataclasses.replace(VIEW, status=BookingStatus.PROVISIONAL)))
    assert "仮予約" in provisional and "領収しました" not in provisional
    cancelled = text_of(slip(dataclasses.replace(VIEW, status=BookingStatus.CANCELLED, cancel_reason="雨天中止")))
    assert "取り消されました（雨天中止）" in cancelled


def test_a_name_the_font_cannot_draw_is_reported_not_boxed():
    with pytest.raises(MissingGlyphError) as info:
        slip(dataclasses.replace(VIEW, applicant_name="Nguyễn Thị Hương"))
    assert "ễ" in str(info.value) and info.value.problems[0].field == "applicant_name"


def test_date_line_per_language():
    day = dt.date(2019, 5, 1)
    assert date_line(day, "ja") == "令和元年5月1日（水）（2019年5月1日）"
    assert date_line(day, "en") == "Wednesday, May 1, 2019 (令和元年5月1日（水）)"
