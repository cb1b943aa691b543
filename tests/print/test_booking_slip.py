"""The booking slip PDF: text extracted with pypdf in Japanese, English and Brazilian Portuguese;
each row of the fee table read as laid out on the page (label beside its own amount); the title
of a provisional and of a confirmed slip; what it says of the fee comes from the ledger (never
「領収しました」 when nothing was paid); the conditions of use come from 設定 (no hard-coded rule);
the slip of a stored booking through ``center-app print slip``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest
from pypdf import PdfReader

from center_app.domain.booking_rules import compute_fee
from center_app.domain.booking_values import BookingStatus, BookingView, SlipHeader
from center_app.domain.errors import MissingGlyphError
from center_app.domain.money import booking_money
from center_app.print.booking_slip import date_line, render_booking_slip

from conftest import command_line_admin
from pdf_checks import lines_from, text_lines

HEADER = SlipHeader("南アルプス市市民活動センター", "センター長", "山梨県南アルプス市小笠原1281", "055-282-1111")
VIEW = BookingView(
    id=12, slip_no="B2026-000012", facility_id=1, facility_name="南アルプス市市民活動センター", room_id=4, room_name="多目的ホール",
    room_capacity=80, start=dt.datetime(2026, 6, 9, 13), end=dt.datetime(2026, 6, 9, 17), slot_names=("午後",), slot_units=1,
    status=BookingStatus.CONFIRMED, group_id=3, registration_no="R08-0003", applicant_name="髙﨑まちづくりの会", applicant_kana="タカサキマチヅクリノカイ",
    applicant_phone="055-282-2222", applicant_class="registered", applicant_class_name="登録団体", language="ja",
    purpose="講演会「髙﨑先生と歩く」", expected_people=60, attendance=None, checked_in_at=None, base_fee=1600, gross_fee=1600,
    fee=800, exemption_code="city_endorsed", exemption_name="市の後援", exemption_rate=50, waived=800, closed_override_reason="",
    cancel_reason="", note="", series_id=None, created_at=dt.datetime(2026, 6, 2, 10), created_by="窓口 花子",
    updated_at=dt.datetime(2026, 6, 2, 10), updated_by="窓口 花子", money=booking_money(12, fee=800, cancelled=False, legacy=False),
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
    for expected in ("施設予約票", "B2026-000012", "髙﨑まちづくりの会", "R08-0003", "多目的ホール",
                     "令和8年6月9日（火）", "2026年6月9日", "13:00–17:00", "60人", "講演会「髙﨑先生と歩く」",
                     "1,600円", "市の後援（50%）", "800円", "上記のとおり予約を受け付けました", "センター長", "令和8年6月2日"):
        assert expected in text, expected
    fonts = {str(f.get_object()["/BaseFont"]) for page in PdfReader(io.BytesIO(data)).pages for f in page["/Resources"]["/Font"].values()}
    assert fonts and all("IPAex" in f for f in fonts)  # embedded Japanese fonts only, no Helvetica


def test_english_and_portuguese_slips_keep_the_japanese_date_beside():
    english = text_of(slip(VIEW, "en"))
    assert "Room Booking Slip" in english and "Tuesday, June 9, 2026" in english and "令和8年6月9日（火）" in english
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
        slip(dataclasses.replace(VIEW, applicant_name="Nguyສn Thມ Hương"))
    assert "ສ" in str(info.value) and info.value.problems[0].field == "applicant_name"


def test_date_line_per_language():
    day = dt.date(2019, 5, 1)
    assert date_line(day, "ja") == "令和元年5月1日（水）（2019年5月1日）"
    assert date_line(day, "en") == "Wednesday, May 1, 2019 (令和元年5月1日（水）)"


# --- the fee table: each label beside its own amount ----------------------------------------------

#: 会議室1 午前 (300 yen) for an applicant from outside the city (× 1.5 → 450 yen) with 市の後援
#: (50 % 減免): to pay 225 → 220 yen (rounded down to 10 yen), waived 230 yen. 使用料, 減免額 and
#: お支払額 are three different amounts, so a label printed beside another row's amount shows.
FEE = compute_fee(300, 150, 50)
WAIVED = dataclasses.replace(
    VIEW, room_name="会議室1", start=dt.datetime(2026, 6, 9, 9), end=dt.datetime(2026, 6, 9, 12), slot_names=("午前",), group_id=None,
    registration_no="", applicant_name="櫛形 太郎", applicant_class="non_resident", applicant_class_name="市外", base_fee=FEE.base,
    gross_fee=FEE.gross, waived=FEE.waived, fee=FEE.fee,
)
FEE_TABLES = {
    "ja": [["使用料", "450円"], ["減免", "市の後援（50%）"], ["減免額", "230円"], ["お支払額", "220円"]],
    "en": [["Room fee", "¥450"], ["Fee reduction", "市の後援 (50%)"], ["Amount waived", "¥230"], ["Amount to pay", "¥220"]],
    "pt_BR": [["Taxa de uso", "JP¥ 450"], ["Redução da taxa", "市の後援 (50%)"], ["Valor dispensado", "JP¥ 230"], ["Valor a pagar", "JP¥ 220"]],
}


def test_the_fixture_has_three_different_amounts():
    assert (FEE.gross, FEE.waived, FEE.fee) == (450, 230, 220)


@pytest.mark.parametrize("language", sorted(FEE_TABLES))
def test_fee_table_rows_pair_each_label_with_its_own_amount(language):
    lines = text_lines(slip(WAIVED, language))
    first = FEE_TABLES[language][0][0]
    assert lines_from(lines, first, 4) == FEE_TABLES[language]


def test_full_exemption_shows_the_whole_fee_waived_and_nothing_to_pay():
    fee = compute_fee(1600, 100, 100)
    view = dataclasses.replace(VIEW, exemption_code="public_interest", exemption_name="登録団体の公益活動", exemption_rate=100,
                               gross_fee=fee.gross, waived=fee.waived, fee=fee.fee)
    lines = text_lines(slip(view))
    assert lines_from(lines, "使用料", 4) == [["使用料", "1,600円"], ["減免", "登録団体の公益活動（100%）"], ["減免額", "1,600円"], ["お支払額", "0円"]]


def test_without_exemption_the_reduction_reads_none_and_nothing_is_waived():
    fee = compute_fee(300, 150, 0)
    view = dataclasses.replace(WAIVED, exemption_code="", exemption_name="", exemption_rate=0, gross_fee=fee.gross, waived=fee.waived, fee=fee.fee)
    lines = text_lines(slip(view))
    assert lines_from(lines, "使用料", 4) == [["使用料", "450円"], ["減免", "なし"], ["減免額", "0円"], ["お支払額", "450円"]]


# --- the title: 仮予約 and 確定 ---------------------------------------------------------------------


@pytest.mark.parametrize(("language", "title", "other"), [
    ("ja", "施設予約票（仮予約）", "施設使用許可書"),
    ("en", "Room Booking Slip (provisional)", "Room Use Permit"),
], ids=["ja", "en"])
def test_provisional_slip_is_titled_as_a_booking_slip_not_as_a_permit(language, title, other):
    data = slip(dataclasses.replace(WAIVED, status=BookingStatus.PROVISIONAL), language)
    assert text_lines(data)[0] == [title]
    assert other not in text_of(data)
    assert PdfReader(io.BytesIO(data)).metadata.title == f"{title} B2026-000012"


@pytest.mark.parametrize(("language", "title"), [("ja", "施設予約票"), ("en", "Room Booking Slip")], ids=["ja", "en"])
def test_confirmed_slip_is_titled_as_a_booking_slip_never_as_a_receipt(language, title):
    data = slip(WAIVED, language)
    assert text_lines(data)[0] == [title]
    assert "仮予約" not in text_of(data) and "provisional" not in text_of(data)
    assert PdfReader(io.BytesIO(data)).metadata.title == f"{title} B2026-000012"


def test_cli_slip_of_a_stored_provisional_booking_with_exemption(db, admin_ctx, tmp_path, clock, capsys, monkeypatch):
    from sqlalchemy import select

    from center_app.app import main
    from center_app.db.models import Room
    from center_app.services import bookings
    from center_app.domain.booking_values import BookingInput

    clock(dt.date(2026, 6, 2))
    with db.read() as session:
        room_id = session.scalar(select(Room.id).where(Room.code == "M1"))
    view = bookings.create_booking(admin_ctx, BookingInput(
        room_id=room_id, day=dt.date(2026, 6, 9), slot_names=("午前",), applicant_name="櫛形 太郎", applicant_phone="055-282-3333",
        applicant_class="non_resident", expected_people=5, exemption_code="city_endorsed", status=BookingStatus.PROVISIONAL,
    ))
    target = tmp_path / "slip.pdf"
    assert main(["--database-url", db.url, "print", "slip", "--booking", view.slip_no, "--output", str(target), *command_line_admin(db, monkeypatch)]) == 0
    capsys.readouterr()
    lines = text_lines(target.read_bytes())
    assert lines[0] == ["施設予約票（仮予約）"]
    assert lines_from(lines, "区分", 1) == [["区分", "市外"]]
    assert lines_from(lines, "使用料", 4) == FEE_TABLES["ja"]
    confirmed = bookings.update_booking(admin_ctx, view.id, dataclasses.replace(view.to_input(), status=BookingStatus.CONFIRMED))
    assert main(["--database-url", db.url, "print", "slip", "--booking", str(confirmed.id), "--output", str(target), "--as", "admin"]) == 0
    lines = text_lines(target.read_bytes())
    assert lines[0] == ["施設予約票"]
    assert lines_from(lines, "使用料", 4) == FEE_TABLES["ja"]
    assert lines_from(lines, "納付", 1) == [["納付", "未納 220円（納付期限 令和8年6月6日（土））"]]


# --- what the slip says of the fee: only what the ledger says ------------------------------------------


def test_an_unpaid_confirmed_slip_never_says_the_fee_was_received():
    """The defect: every 確定 slip said 「使用料を領収しました」 though no payment was recorded."""
    header = dataclasses.replace(HEADER, payment_deadline=dt.date(2026, 6, 6))
    text = text_of(render_booking_slip(VIEW, header, language="ja", issued_on=dt.date(2026, 6, 2), clerk="窓口 花子"))
    assert "領収しました" not in text and "使用許可書兼領収書" not in text
    assert "未納 800円（納付期限 令和8年6月6日（土））" in text and "納付期限までに窓口でお支払いください" in text
    english = text_of(render_booking_slip(VIEW, header, language="en", issued_on=dt.date(2026, 6, 2), clerk="窓口 花子"))
    assert "has been received" not in english and "Unpaid ¥800 (due by 2026-06-06" in english


def test_a_paid_slip_names_its_receipt_and_an_exempt_one_says_exempt():
    paid = dataclasses.replace(VIEW, money=booking_money(12, fee=800, cancelled=False, legacy=False, received=800))
    text = text_of(render_booking_slip(paid, dataclasses.replace(HEADER, receipt_numbers=("R2026-000007",)), language="ja",
                                       issued_on=dt.date(2026, 6, 2), clerk="窓口 花子"))
    assert "納付済（領収番号 R2026-000007）" in text and "使用料は納付済みです" in text
    fee = compute_fee(1600, 100, 100)
    exempt = dataclasses.replace(VIEW, exemption_name="登録団体の公益活動", exemption_rate=100, gross_fee=fee.gross, waived=fee.waived, fee=0,
                                 money=booking_money(12, fee=0, cancelled=False, legacy=False))
    text = text_of(slip(exempt))
    assert "減免により使用料は免除" in text and "領収" not in text
    legacy = text_of(slip(dataclasses.replace(VIEW, money=booking_money(12, fee=800, cancelled=False, legacy=True))))
    assert "記録なし" in legacy and "領収" not in legacy and "未納" not in legacy


def test_the_slip_prints_the_conditions_of_use_of_settings_and_no_hard_coded_rule(db, admin_ctx, clock):
    """The defect: 「火気の使用…はできません」 was printed on every slip, the 調理室's too."""
    from sqlalchemy import select

    from center_app.db.models import Room
    from center_app.domain.booking_values import BookingInput
    from center_app.services import bookings, config
    from center_app.services.documents import booking_slip_pdf

    clock(dt.date(2026, 6, 2))
    with db.read() as session:
        cook = session.scalar(select(Room).where(Room.code == "COOK"))
    made = bookings.create_booking(admin_ctx, BookingInput(
        room_id=cook.id, day=dt.date(2026, 6, 9), slot_names=("午前",), applicant_name="櫛形 太郎", applicant_phone="055-282-3333",
        applicant_class="resident", expected_people=8, purpose="料理教室",
    ))
    text = text_of(booking_slip_pdf(admin_ctx, made.id).pdf)
    assert "火気" not in text
    assert "使用時間には準備と片付けの時間を含みます" in text  # 設定: conditions of every room
    config.save_row(admin_ctx, "room", cook.id, {"conditions": "火気は調理台のコンロのみ使用できます。"})
    text = text_of(booking_slip_pdf(admin_ctx, made.id).pdf)
    assert "火気は調理台のコンロのみ使用できます。" in text
