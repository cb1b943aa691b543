"""Vietnamese documents in one typeface: IPAex lacks ư, ơ, ạ, ế …, so the Vietnamese chains draw
Latin text with Noto Sans / Noto Serif (whole Vietnamese alphabet) and Japanese with IPAex. A vi
permit is checked on the PDF itself: every word is drawn from one font (pypdf's text visitor gives
the font of each shown string), the Noto fonts are embedded (pdffonts) and pdftotext returns the
text exactly."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from center_app.db.models import Room
from center_app.domain import document_texts
from center_app.domain.booking_values import BookingInput
from center_app.print.fonts import GOTHIC, MINCHO, chain_for, font_of, is_latin
from center_app.services import bookings, certificates, groups
from center_app.services.documents import permit_pdf
from center_app.services.group_values import GroupInput

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def test_a_vietnamese_word_is_drawn_in_one_font_and_japanese_stays_ipaex():
    for font, latin in ((GOTHIC, "NotoSans"), (MINCHO, "NotoSerif")):
        chain = chain_for(font, "vi")
        assert font_of("Việt Nam", chain) == [(latin, "Việt Nam")]
        assert font_of("Phòng họp 多目的ホール", chain) == [(latin, "Phòng họp "), (font + "-Face", "多目的ホール")]
        assert font_of("髙橋、一郎", chain) == [(font + "-Face", "髙橋、一郎")]
    assert font_of("Việt", GOTHIC)[0] != ("NotoSans", "Việt")  # the Japanese chains are unchanged


def glyph_fonts(pdf: bytes) -> list[tuple[str, str]]:
    """(character, base font name without subset prefix) of every character shown in ``pdf``."""
    shown: list[tuple[str, str]] = []

    def visit(text, cm, tm, font, size):
        if font is not None and text:
            name = str(font["/BaseFont"]).split("+")[-1]
            shown.extend((char, name) for char in text)
        elif text:
            shown.extend((char, "") for char in text)

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return shown


def words_and_fonts(shown: list[tuple[str, str]]) -> list[tuple[str, set[str]]]:
    """Each word drawn (characters between spaces and line ends) with the fonts its characters are
    drawn with, in order."""
    words: list[tuple[str, set[str]]] = []
    word, fonts = "", set()
    for char, font in [*shown, (" ", "")]:
        if char.isspace():
            if word:
                words.append((word, fonts))
            word, fonts = "", set()
        else:
            word += char
            fonts.add(font)
    return words


@pytest.fixture
def vi_permit(db, admin_ctx, clock):
    clock(dt.datetime(2026, 6, 2, 10, 0))
    with db.read() as session:
        rooms = {r.code: r.id for r in session.scalars(select(Room))}
    group = groups.register_group(admin_ctx, GroupInput(
        name="Hội người Việt Nam tại 南アルプス", name_kana="ベトナムジンノカイ", legal_form="voluntary", activity_fields=(3,),
        representative_name="Nguyễn Thị Hương", phone="055-282-2222", postal_code="400-0395", address="山梨県南アルプス市小笠原1281",
    ))
    certificates.save_issuer(admin_ctx, "南アルプス市市民活動センター", "センター長", "山田 太郎")
    booked = bookings.create_booking(admin_ctx, BookingInput(
        room_id=rooms["HALL"], day=dt.date(2026, 6, 9), slot_names=("午後",), group_id=group.id, expected_people=40,
        purpose="Học tiếng Nhật", language="vi"))
    return permit_pdf(admin_ctx, [booked.id]).pdf


@needs_poppler
def test_every_word_of_a_vietnamese_permit_comes_from_one_font_and_extracts_exactly(vi_permit, tmp_path):
    words = words_and_fonts(glyph_fonts(vi_permit))
    latin = [(word, fonts) for word, fonts in words if all(is_latin(ord(c)) for c in word)]
    vietnamese = {word for word, _ in latin if any(0x1E00 <= ord(c) <= 0x1EFF or c in "ĐđƠơƯư" for c in word)}
    assert {"Nguyễn", "Hương", "Việt", "Giấy", "Dụng"} <= vietnamese
    for word, fonts in latin:  # every word of Latin letters in one font, a Noto one
        assert len(fonts) == 1 and fonts <= {"NotoSans-Regular", "NotoSerif-Regular"}, (word, fonts)
    japanese = [(word, fonts) for word, fonts in words if not any(is_latin(ord(c)) for c in word)]
    assert ("南アルプス市市民活動センター", {"IPAexMincho"}) in japanese and ("多目的ホール", {"IPAexGothic"}) in japanese
    for word, fonts in japanese:  # kana, kanji and full-width punctuation stay IPAex
        assert fonts <= {"IPAexGothic", "IPAexMincho"}, (word, fonts)

    path = tmp_path / "permit-vi.pdf"
    path.write_bytes(vi_permit)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "NotoSans" in fonts and "WenQuanYi" not in fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:] if line.strip())  # every font embedded
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    for phrase in ("Hội người Việt Nam tại 南アルプス", "Nguyễn Thị Hương", "Học tiếng Nhật", document_texts.texts("vi").PERMIT["permit"]):
        assert phrase in flat, phrase


def test_a_vietnamese_sentence_wraps_between_words_only():
    from center_app.print.base import text_width, wrap_text

    font = chain_for(MINCHO, "vi")
    sentence = "Vui lòng mang theo phiếu này khi đến sử dụng phòng họp của trung tâm"
    for width in (60, 80, 120):
        lines = wrap_text(sentence, font, 10, width)
        assert " ".join(line.strip() for line in lines).split() == sentence.split()  # no word cut in two
        assert all(text_width(line.rstrip(), font, 10) <= width for line in lines)
