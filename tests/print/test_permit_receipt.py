"""使用許可書 and 領収書 built from stored bookings and the ledger (text extracted with pypdf): the
permit's number, applicant, dates, fee, deadline or 免除 and the conditions of 設定; one permit
for several bookings; the receipt only for a payment, with 金○○円, 但し書き, tax line, 公印省略,
再発行 on a reprint (also after a crash before the first print) and 取消 for a voided one; the
使用許可書兼領収書 when the fee is paid as the permit is issued."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from center_app.db.models import Room
from center_app.domain.booking_values import BookingInput, BookingStatus
from center_app.domain.center_settings import SETTINGS_PAYMENTS
from center_app.domain.errors import RuleError, ValidationError
from center_app.services import bookings, center_settings, certificates, groups, ledger
from center_app.services.documents import permit_pdf, receipt_pdf
from center_app.services.group_values import GroupInput

DAY = dt.date(2026, 6, 9)


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


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


def book(env, day=DAY, slot="午後", room="HALL", **extra):
    values = dict(room_id=env["rooms"][room], day=day, slot_names=(slot,), group_id=env["group"].id, expected_people=40, purpose="講演会")
    values.update(extra)
    return bookings.create_booking(env["ctx"], BookingInput(**values))


def test_a_permit_names_the_applicant_the_dates_the_fee_and_its_deadline(env):
    booked = book(env)
    first = permit_pdf(env["ctx"], [booked.id])
    text = text_of(first.pdf)
    assert (first.number, first.reissue) == ("P2026-000001", False)
    for expected in ("施設使用許可書", "許可番号: P2026-000001", "髙﨑まちづくりの会 様", "代表者: 髙橋 一郎", "〒400-0395 山梨県南アルプス市小笠原1281",
                     "令和8年6月9日（火）", "13:00–17:00（午後）", "多目的ホール", "40人", "講演会", "1,600円",
                     "未納 1,600円　納付期限 令和8年6月6日（土）", "使用条件", "使用時間には準備と片付けの時間を含みます",
                     "センター長　山田 太郎", "公印省略", "次のとおり施設の使用を許可します。"):
        assert expected in text, expected
    assert "領収" not in text and "火気" not in text
    again = permit_pdf(env["ctx"], [booked.id])
    assert (again.number, again.reissue) == ("P2026-000001", True) and "再発行" in text_of(again.pdf)


def test_a_fully_exempt_booking_gets_a_permit_saying_so_and_never_a_receipt(env):
    booked = book(env, exemption_code="public_interest")
    text = text_of(permit_pdf(env["ctx"], [booked.id]).pdf)
    assert "減免により使用料は免除" in text and "登録団体の公益活動（100%）" in text and "未納" not in text
    with pytest.raises(ValidationError):
        ledger.record_payment(env["ctx"], [booked.id], "cash")
    with pytest.raises(ValidationError, match="R2026-000001"):
        receipt_pdf(env["ctx"], "R2026-000001")


def test_several_bookings_of_one_applicant_share_one_permit_listing_every_date(env):
    dates = [DAY, DAY + dt.timedelta(days=7), DAY + dt.timedelta(days=14)]
    made = [book(env, day=d) for d in dates]
    text = text_of(permit_pdf(env["ctx"], [b.id for b in made]).pdf)
    for expected in ("令和8年6月9日（火）", "令和8年6月16日（火）", "令和8年6月23日（火）", "4,800円"):
        assert expected in text, expected
    with pytest.raises(RuleError, match="P2026-000001"):  # one of them alone: it is on that permit already
        permit_pdf(env["ctx"], [made[0].id])
    other = bookings.create_booking(env["ctx"], BookingInput(
        room_id=env["rooms"]["M1"], day=DAY, slot_names=("午前",), applicant_name="櫛形 太郎", applicant_phone="055-282-3333",
        applicant_class="resident", expected_people=3))
    with pytest.raises(ValidationError, match="櫛形 太郎"):
        permit_pdf(env["ctx"], [other.id, book(env, slot="夜間").id])
    provisional = book(env, slot="午前", status=BookingStatus.PROVISIONAL)
    with pytest.raises(RuleError, match="仮予約"):
        permit_pdf(env["ctx"], [provisional.id])


def test_a_receipt_for_a_payment_with_its_amount_proviso_tax_line_and_reprints(env):
    center_settings.save(env["ctx"], SETTINGS_PAYMENTS, {"receipt_tax_line": "非課税"})
    booked = book(env)
    paid = ledger.record_payment(env["ctx"], [booked.id], "cash", tendered="2000")
    original = receipt_pdf(env["ctx"], paid.receipt_no, original=True)
    text = text_of(original.pdf)
    assert not original.reissue
    for expected in ("領収書", "領収番号: R2026-000001", "領収日: 令和8年6月2日（火）", "髙﨑まちづくりの会 様", "金1,600円", "（非課税）",
                     "但し 施設使用料として", "B2026-", "多目的ホール", "上記の金額を正に領収しました。", "納付方法: 現金",
                     "センター長　山田 太郎", "公印省略", "取扱者: 管理 花子"):
        assert expected in text, expected
    assert "再発行" not in text
    again = receipt_pdf(env["ctx"], "r2026-1", original=True)  # the original was printed: a reprint
    assert again.reissue and "再発行" in text_of(again.pdf)
    ledger.void_payment(env["ctx"], paid.receipt_no, "金額の入力誤り")
    assert "取消" in text_of(receipt_pdf(env["ctx"], paid.receipt_no).pdf)


def test_after_a_crash_before_the_first_print_the_receipt_comes_from_the_ledger_marked_reissued(env):
    paid = ledger.record_payment(env["ctx"], [book(env).id], "transfer")
    # … the PC stops here: nothing was printed. Later, from the ledger:
    later = receipt_pdf(env["ctx"], paid.receipt_no)
    assert later.reissue and "再発行" in text_of(later.pdf) and "金1,600円" in text_of(later.pdf)


def test_paid_when_the_permit_is_issued_it_is_one_permit_and_receipt(env):
    booked = book(env)
    paid = ledger.record_payment(env["ctx"], [booked.id], "cash")
    both = receipt_pdf(env["ctx"], paid.receipt_no, original=True, with_permit=True)
    text = text_of(both.pdf)
    for expected in ("施設使用許可書兼領収書", "許可番号: P2026-000001", "領収番号: R2026-000001", "金1,600円",
                     "上記のとおり施設の使用を許可し、使用料を領収しました。", "使用条件", "納付済"):
        assert expected in text, expected
    assert "未納" not in text
    # the permit exists now: printed again it is the permit's reprint; the receipt alone is a 領収書
    assert permit_pdf(env["ctx"], [booked.id]).reissue
    assert "施設使用許可書兼領収書" not in text_of(receipt_pdf(env["ctx"], paid.receipt_no, with_permit=True).pdf)


@pytest.mark.parametrize(("language", "expected"), [
    ("en", ("Room Use Permit", "Permit no.: P2026-000001", "Issued: Tue, Jun 2, 2026 (令和8年6月2日（火）)", "Tue, Jun 9, 2026", "¥1,600",
            "Unpaid ¥1,600, due by Sat, Jun 6, 2026 (令和8年6月6日（土）)", "Official seal omitted")),
    ("pt_BR", ("Autorização de Uso de Sala", "Nº da autorização: P2026-000001", "ter., 9 de jun. de 2026", "1.600", "Selo oficial dispensado")),
])
def test_the_permit_in_the_slip_languages(env, language, expected):
    text = text_of(permit_pdf(env["ctx"], [book(env).id], language).pdf)
    for item in expected:
        assert item in text, item
    with pytest.raises(ValidationError):
        permit_pdf(env["ctx"], [book(env, slot="夜間").id], "fr")
