"""The permit, the receipt (with the permit: 使用許可書兼領収書) and the booking slip in each of the
eight document languages, built by the services from a stored booking and payment: poppler's
pdftotext returns the translated heading, the date in the language's own words with the 和暦
beside it, the amount, the applicant class and the payment method in that language, and the
Japanese names as typed; the fonts are embedded. Set CENTER_APP_KEEP_PDFS to a folder to keep the
PDFs (to look at them rendered with pdftoppm)."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from center_app.db.models import Room
from center_app.domain.booking_values import BookingInput
from center_app.services import bookings, certificates, groups, ledger
from center_app.services.documents import booking_slip_pdf, permit_pdf, receipt_pdf
from center_app.services.group_values import GroupInput

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")

#: language → (permit heading, combined heading, slip heading, date of use 2026-06-09, amount, class, method)
EXPECTED = {
    "ja": ("施設使用許可書", "施設使用許可書兼領収書", "施設予約票", "令和8年6月9日（火）", "1,600円", "登録団体", "現金"),
    "en": ("Room Use Permit", "Room Use Permit and Receipt", "Room Booking Slip", "Tue, Jun 9, 2026", "¥1,600", "Registered group", "Cash"),
    "pt_BR": ("Autorização de Uso de Sala", "Autorização de Uso de Sala e Recibo", "Comprovante de Reserva", "ter., 9 de jun. de 2026",
              "1.600", "Grupo registrado", "Dinheiro"),
    "es": ("Autorización de Uso de Instalaciones", "Autorización de Uso de Instalaciones y Recibo", "Comprobante de Reserva de Sala",
           "mar, 9 jun. 2026", "1,600", "Grupo registrado", "Efectivo"),
    "zh_Hans": ("设施使用许可证", "设施使用许可证兼收据", "设施预约单", "2026年6月9日周二", "1,600", "登记团体", "现金"),
    "tl": ("Permiso sa Paggamit ng Pasilidad", "Permiso sa Paggamit ng Pasilidad at Resibo", "Slip ng Reserbasyon ng Silid",
           "Mar, Hun 9, 2026", "¥1,600", "Rehistradong grupo", "Cash"),
    "th": ("ใบอนุญาตให้ใช้สถานที่", "ใบอนุญาตให้ใช้สถานที่และใบเสร็จรับเงิน", "ใบจองห้อง", "อังคาร 9 มิ.ย. 2026", "1,600",
           "กลุ่มที่ลงทะเบียนแล้ว", "เงินสด"),
    "vi": ("Giấy Phép Sử Dụng Cơ Sở", "Giấy Phép Sử Dụng Cơ Sở kiêm Biên Lai", "Phiếu Đặt Phòng", "Thứ 3, 9 thg 6, 2026", "1.600",
           "Nhóm đã đăng ký", "Tiền mặt"),
}


def pdftotext(data: bytes) -> str:
    """The text poppler extracts (what a search, a copy or a screen reader gets), spaces folded."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return " ".join(out.replace("\u00a0", " ").split())


def keep(name: str, data: bytes) -> None:
    folder = os.environ.get("CENTER_APP_KEEP_PDFS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / name).write_bytes(data)


def embedded_fonts(data: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font).get("/FontDescriptor")
            if descriptor is not None and any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                fonts.add(str(font["/BaseFont"]))
    return fonts


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
    return {"ctx": admin_ctx, "rooms": rooms, "group": group}


@pytest.mark.parametrize("language", list(EXPECTED))
def test_permit_receipt_and_slip_in_the_applicants_language(env, language):
    permit_heading, both_heading, slip_heading, day, amount, klass, method = EXPECTED[language]
    booked = bookings.create_booking(env["ctx"], BookingInput(
        room_id=env["rooms"]["HALL"], day=dt.date(2026, 6, 9), slot_names=("午後",), group_id=env["group"].id, expected_people=40,
        purpose="講演会", language=language))
    slip = booking_slip_pdf(env["ctx"], booked.id)  # the booking's own language
    permit = permit_pdf(env["ctx"], [booked.id])
    paid = ledger.record_payment(env["ctx"], [bookings.create_booking(env["ctx"], BookingInput(
        room_id=env["rooms"]["HALL"], day=dt.date(2026, 6, 9), slot_names=("夜間",), group_id=env["group"].id, expected_people=40,
        purpose="講演会", language=language)).id], "cash")
    both = receipt_pdf(env["ctx"], paid.receipt_no, original=True, with_permit=True)
    assert slip.language == permit.language == both.language == language
    for name, document in (("slip", slip.pdf), ("permit", permit.pdf), ("receipt", both.pdf)):
        keep(f"{name}-{language}.pdf", document)
        assert embedded_fonts(document), name
    slip_text, permit_text, both_text = pdftotext(slip.pdf), pdftotext(permit.pdf), pdftotext(both.pdf)
    assert slip_heading in slip_text and klass in slip_text and "髙﨑まちづくりの会" in slip_text
    assert permit_heading in permit_text and day in permit_text and "令和8年6月2日（火）" in permit_text and amount in permit_text
    assert klass in permit_text and "髙橋 一郎" in permit_text and "多目的ホール" in permit_text
    assert both_heading in both_text and method in both_text


def test_rooms_slots_exemptions_and_classes_print_under_the_names_set_in_settings(env):
    from center_app.domain.center_settings import SETTINGS_CENTER
    from center_app.services import center_settings

    center_settings.save(env["ctx"], SETTINGS_CENTER, {"document_names": (
        "多目的ホール = en: Multipurpose hall; Tiếng Việt: Hội trường đa năng\n"
        "午後 = en: Afternoon; vi: Buổi chiều\n"
        "南アルプス市市民活動センター = en: Minami-Alps Civic Activity Center\n"
        "登録団体 = vi: Đoàn thể đã đăng ký của thành phố\n")})
    booked = bookings.create_booking(env["ctx"], BookingInput(
        room_id=env["rooms"]["HALL"], day=dt.date(2026, 6, 9), slot_names=("午後",), group_id=env["group"].id, expected_people=40,
        purpose="講演会", language="vi"))
    vietnamese = pdftotext(permit_pdf(env["ctx"], [booked.id]).pdf)
    assert "Hội trường đa năng" in vietnamese and "Buổi chiều" in vietnamese and "Đoàn thể đã đăng ký của thành phố" in vietnamese
    assert "多目的ホール" not in vietnamese and "南アルプス市市民活動センター" in vietnamese  # no Vietnamese name set: as configured
    english = pdftotext(booking_slip_pdf(env["ctx"], booked.id, "en").pdf)
    assert "Multipurpose hall" in english and "Afternoon" in english and "Minami-Alps Civic Activity Center" in english
    assert "Registered group" in english  # the built-in name of a default class
    japanese = pdftotext(booking_slip_pdf(env["ctx"], booked.id, "ja").pdf)
    assert "多目的ホール" in japanese and "Multipurpose" not in japanese


def test_a_wrong_line_of_the_names_is_refused_and_names_the_line(env):
    from center_app.domain.center_settings import SETTINGS_CENTER
    from center_app.domain.errors import ValidationError
    from center_app.services import center_settings

    with pytest.raises(ValidationError) as info:
        center_settings.save(env["ctx"], SETTINGS_CENTER, {"document_names": "多目的ホール = fr: Salle\n午後 en: Afternoon\n会議室1 = en: \n"})
    message = str(info.value)
    assert "1" in message and "fr" in message and "2" in message and "3" in message
    assert center_settings.get(env["ctx"], "document_names") == ""
