"""The fonts' fallback chain: each run of text drawn with the first bundled font that has it (IPAex,
IPAmj明朝 for 𠮷 and variation sequences, WenQuanYi for Chinese, Noto Sans Thai), text extracted
with poppler's ``pdftotext`` exactly as typed (characters above U+FFFF and selectors included),
every font embedded (``pdffonts``), and what no font has refused by name and code point."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from sqlalchemy import select

from center_app.db.models import Room
from center_app.domain.booking_values import BookingInput
from center_app.domain.errors import MissingGlyphError
from center_app.print.base import new_canvas
from center_app.print.fonts import GOTHIC, MINCHO, chain_for, check_text, font_of, missing_characters, text_units
from center_app.services import bookings, certificates, groups, ledger
from center_app.services.documents import permit_pdf, receipt_pdf
from center_app.services.group_values import GroupInput

#: 𠮷 (U+20BB7, IPAmj only), 髙 and 﨑 (IPAex), 神 (U+FA19, a compatibility kanji kept as typed).
NAME = "\U00020BB7野 髙\uFA11 \uFA19社奉賛会"
KUZU_VARIANT = "葛\U000E0102"  # 葛 + VS19: a Moji-Jōhō variant IPAmj has
KUZU_NOWHERE = "葛\U000E01EF"  # 葛 + VS256: no bundled font has this sequence

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def pdftotext(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdffonts(pdf: bytes, tmp_path) -> list[tuple[str, str]]:
    """(font name, emb column) of every font poppler finds."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    return [(line.split()[0], line.split()[-5]) for line in lines if line.strip()]


def test_each_run_is_drawn_by_the_first_font_that_has_it():
    assert font_of("𠮷野 欢请 สวัสดี", GOTHIC) == [
        ("IPAmjMincho", "𠮷"), ("IPAexGothic-Face", "野 "), ("WenQuanYiMicroHei", "欢请"), ("IPAexGothic-Face", " "),
        ("NotoSansThai", "สวัสดี"),
    ]
    assert font_of(KUZU_VARIANT, MINCHO) == [("IPAmjMincho", KUZU_VARIANT)]  # the sequence, not the base alone
    assert font_of("欢迎 髙橋", chain_for(GOTHIC, "zh_Hans"))[0][0] == "WenQuanYiMicroHei"
    assert chain_for(MINCHO, "pt_BR") == MINCHO


def test_a_variation_sequence_is_drawn_with_its_variant_glyph():
    from center_app.print.fonts import _member

    ipamj = _member("ipamj")
    code = ipamj.variant_code(0x845B, 0xE0102)  # 葛 + VS19: the ヒ form of the Moji-Jōhō set
    assert ipamj.face.charToGlyph[code] != ipamj.face.charToGlyph[0x845B]
    assert ipamj.sequences[code] == KUZU_VARIANT and ipamj.variant_code(0x845B, 0xE0102) == code


def test_a_variation_selector_belongs_to_its_kanji():
    assert text_units("葛\U000E0102城") == ["葛\U000E0102", "城"]
    assert missing_characters(NAME + KUZU_VARIANT + "Nguyễn") == []


def test_what_no_bundled_font_has_is_refused_by_name_and_code_point():
    with pytest.raises(MissingGlyphError) as caught:
        check_text(f"{KUZU_NOWHERE}城 ສົມ 😀", MINCHO, "name")
    assert caught.value.characters == [KUZU_NOWHERE, "ສ", "ົ", "ມ", "😀"]
    message = str(caught.value)
    assert "「葛 + 異体字セレクタ U+E01EF」(U+845B)" in message and "「😀」(U+1F600)" in message
    assert caught.value.problems[0].field == "name"


@needs_poppler
def test_a_drawn_line_extracts_exactly_as_typed_and_embeds_its_fonts(tmp_path):
    canvas, buffer = new_canvas((400, 200), MINCHO, "t")
    canvas.setFont(MINCHO, 14)
    canvas.drawString(20, 150, NAME)
    canvas.drawString(20, 120, KUZU_VARIANT + " 欢迎 สวัสดี")
    canvas.save()
    text = pdftotext(buffer.getvalue(), tmp_path)
    assert NAME in text and KUZU_VARIANT in text and "สวัสดี" in text
    assert "\u20bb" not in text  # reportlab alone extracts 𠮷 as 「₻」
    names = pdffonts(buffer.getvalue(), tmp_path)
    assert {name.split("+")[1] for name, _emb in names} == {"IPAexMincho", "IPAmjMincho", "WenQuanYiMicroHei-0", "NotoSansThai-Regular"}
    assert all(emb == "yes" for _name, emb in names)


@pytest.fixture
def env(db, admin_ctx, clock):
    clock(dt.datetime(2026, 6, 2, 10, 0))
    with db.read() as session:
        rooms = {r.code: r.id for r in session.scalars(select(Room))}
    group = groups.register_group(admin_ctx, GroupInput(
        name=NAME, name_kana="ヨシノタカサキジンジャホウサンカイ", legal_form="voluntary", activity_fields=(3,),
        representative_name="𠮷田 福太郎", phone="055-282-2222", postal_code="400-0395", address="山梨県南アルプス市小笠原1281",
    ))
    certificates.save_issuer(admin_ctx, "南アルプス市市民活動センター", "センター長", "山田 太郎")
    return {"ctx": admin_ctx, "rooms": rooms, "group": group}


@needs_poppler
def test_a_certificate_a_permit_and_a_receipt_print_the_name_exactly(env, tmp_path):
    ctx, group = env["ctx"], env["group"]
    assert group.name == NAME and "\ufa19" in group.name  # stored as typed: 神 U+FA19 is not folded to 神
    booked = bookings.create_booking(ctx, BookingInput(room_id=env["rooms"]["HALL"], day=dt.date(2026, 6, 9), slot_names=("午後",),
                                                       group_id=group.id, expected_people=40, purpose="例大祭の準備"))
    paid = ledger.record_payment(ctx, [booked.id], "cash")
    documents = {
        "certificate": certificates.group_certificate_pdf(ctx, group.id),
        "card": certificates.group_certificate_pdf(ctx, group.id, size="card"),
        "permit": permit_pdf(ctx, [booked.id]).pdf,
        "receipt": receipt_pdf(ctx, paid.receipt_no, original=True).pdf,
    }
    for kind, pdf in documents.items():
        text = pdftotext(pdf, tmp_path)
        assert NAME in text, (kind, text)
        assert "𠮷田 福太郎" in text or kind in ("receipt", "card"), (kind, text)
        used = pdffonts(pdf, tmp_path)
        assert any(name.endswith("+IPAmjMincho") for name, _emb in used), (kind, used)
        assert all(emb == "yes" for _name, emb in used), (kind, used)
