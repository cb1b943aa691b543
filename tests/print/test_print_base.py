"""Building blocks of the documents: line breaking, fitting, 縦書き cells, 和暦 in kanji, the QR
code drawn from segno's matrix, images and the glyph check."""

from __future__ import annotations

import datetime as dt

import pytest

from center_app.domain.errors import MissingGlyphError
from center_app.print.base import (
    A4,
    GlyphCheck,
    ImageUnreadable,
    check_fields,
    draw_qr,
    fit_line,
    fit_paragraph,
    kanji_date,
    load_image,
    mm,
    new_canvas,
    optional_image,
    qr_matrix,
    text_width,
    wrap_text,
)
from center_app.print.fonts import GOTHIC, MINCHO, register_fonts
from center_app.print.render import render_page, to_pil
from center_app.print.vertical import vertical_cells, wrap_vertical

register_fonts()


def test_wrapping_keeps_lines_within_the_width_and_punctuation_off_line_starts():
    text = "市民活動をはじめたい方、団体の運営に悩んでいる方のための入門講座です。会計の基本、助成金の探し方、広報のコツをお話しします。"
    width = 60 * mm
    for size in (9, 10.5, 12, 14):
        lines = wrap_text(text, GOTHIC, size, width)
        assert "".join(lines) == text
        for line in lines:
            assert line[0] not in "、。」）ー"
            # only a hanging 、or 。 may reach past the edge
            assert text_width(line.rstrip("、。"), GOTHIC, size) <= width + 0.01


def test_wrapping_keeps_latin_words_whole_and_explicit_line_breaks():
    lines = wrap_text("Contato: center@example.jp telefone 055-282-0000\n二行目", GOTHIC, 10, 40 * mm)
    assert lines[-1] == "二行目"
    words = " ".join(lines[:-1]).split()
    assert words == ["Contato:", "center@example.jp", "telefone", "055-282-0000"]


def test_a_word_longer_than_the_line_is_cut_between_characters():
    url = "https://example.jp/" + "a" * 80
    lines = wrap_text(url, GOTHIC, 10, 30 * mm)
    assert "".join(lines) == url and len(lines) > 1
    assert all(text_width(line, GOTHIC, 10) <= 30 * mm for line in lines)


def test_fit_line_shrinks_then_gives_up_below_the_minimum():
    name = "特定非営利活動法人南アルプス市国際交流と多文化共生を推進する市民の会"
    assert fit_line("短い名前", MINCHO, 20, 100 * mm, 10) == 20
    shrunk = fit_line(name, MINCHO, 20, 100 * mm, 8)
    assert shrunk is not None and shrunk < 20 and text_width(name, MINCHO, shrunk) <= 100 * mm + 0.01
    assert fit_line(name, MINCHO, 20, 20 * mm, 8) is None
    size, lines = fit_paragraph(name, MINCHO, 60 * mm, 20 * mm, 20, 8, leading=1.3)
    assert len(lines) >= 2 and "".join(lines) == name


def test_kanji_dates_for_vertical_text():
    assert kanji_date(dt.date(2026, 11, 29)) == "令和八年十一月二十九日"
    assert kanji_date(dt.date(2019, 5, 1)) == "令和元年五月一日"
    assert kanji_date(dt.date(2027, 3, 10)) == "令和九年三月十日"


def test_vertical_cells_put_two_digits_and_latin_words_in_one_cell():
    assert vertical_cells("全3回") == ["全", "3", "回"]
    assert vertical_cells("11月29日") == ["11", "月", "29", "日"]
    assert vertical_cells("2026年") == ["2", "0", "2", "6", "年"]
    assert vertical_cells("Silva Oliveira 様") == ["Silva Oliveira", " ", "様"]
    lines = wrap_vertical("あなたは多大なご尽力をいただきました。ここに感謝します", 8, MINCHO)
    assert "".join(lines) == "あなたは多大なご尽力をいただきました。ここに感謝します"
    assert all(not line.startswith(("、", "。")) for line in lines)


def test_qr_code_drawn_as_rectangles_matches_segnos_matrix():
    data = "R08-0012"
    canvas, buffer = new_canvas(A4, GOTHIC, "qr")
    size = 60 * mm
    draw_qr(canvas, data, 20 * mm, A4[1] - 20 * mm - size, size, quiet_zone=4)
    canvas.showPage()
    canvas.save()
    dpi = 150
    image = to_pil(render_page(buffer.getvalue(), 0, dpi)).convert("L")
    matrix = qr_matrix(data)
    modules = len(matrix) + 8
    pixel = size / 72 * dpi / modules
    left, top = 20 * mm / 72 * dpi, 20 * mm / 72 * dpi
    for row, cells in enumerate(matrix):
        for col, dark in enumerate(cells):
            x = int(left + (col + 4 + 0.5) * pixel)
            y = int(top + (row + 4 + 0.5) * pixel)
            assert (image.getpixel((x, y)) < 128) == bool(dark), (row, col)


def test_glyph_check_names_every_missing_character_with_its_field():
    with pytest.raises(MissingGlyphError) as caught:
        check_fields(MINCHO, [("name", "Nguyສn Văn An"), ("representative_name", "ब田 花子"), ("ok", "髙﨑①")])
    assert caught.value.characters == ["ສ", "ब"]  # ă is in IPAex; Lao ສ and Devanagari ब in no bundled font
    assert {p.field for p in caught.value.problems} == {"name", "representative_name"}
    assert "U+0EAA" in str(caught.value) and "U+092C" in str(caught.value)
    check = GlyphCheck(MINCHO)
    check.check([("names", "髙﨑 花子")], row=1)
    check.check([("names", "Trần Thມ Ễ")], row=2, context="2行目")
    with pytest.raises(MissingGlyphError) as caught:
        check.raise_if_any()
    assert [p.row for p in caught.value.problems] == [2]


def test_unreadable_image_is_named_and_may_be_skipped(tmp_path):
    broken = tmp_path / "seal.png"
    broken.write_bytes(b"not an image")
    with pytest.raises(ImageUnreadable) as caught:
        load_image(str(broken), "seal_image_path")
    assert "seal.png" in str(caught.value) and caught.value.problems[0].field == "seal_image_path"
    with pytest.raises(ImageUnreadable):
        optional_image(str(tmp_path / "missing.png"), "image_path", False)
    assert optional_image(str(broken), "image_path", True) is None
    assert optional_image("", "image_path", False) is None


@pytest.mark.parametrize("number", ["R08-0012", "第2026-001号", "ｒ08-0099"])
def test_printed_qr_code_scans_back_to_the_registration_number(number):
    zxingcpp = pytest.importorskip("zxingcpp")
    canvas, buffer = new_canvas(A4, GOTHIC, "qr")
    draw_qr(canvas, number, 20 * mm, A4[1] - 45 * mm, 25 * mm, quiet_zone=2)  # as on the A4 certificate
    draw_qr(canvas, number, 120 * mm, A4[1] - 37 * mm, 17 * mm, quiet_zone=1)  # as on the card
    canvas.showPage()
    canvas.save()
    image = to_pil(render_page(buffer.getvalue(), 0, 200))
    for box in ((0, 0, 800, 400), (800, 0, 1654, 400)):  # each code on its own, with white around it
        found = zxingcpp.read_barcodes(image.crop(box))
        assert [r.text for r in found] == [number]
