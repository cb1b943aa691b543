"""Mailings as printed: the label sheets' geometry against A4, every label's text inside its own
label (poppler's ``pdftotext -bbox``) from the start position on, the address block in the
Japanese order with 御中 / 様, letters with their merge fields, 長形3号 envelopes."""

from __future__ import annotations

import datetime as dt

import pytest

from center_app.domain.documents import Issuer
from center_app.domain.errors import ValidationError
from center_app.domain.mailings import (
    ENVELOPE_CHO3,
    LABEL_SHEETS,
    Addressee,
    MailLetter,
    Recipient,
    address_block,
    merge,
    template_problems,
)
from center_app.print.mailings import LABEL_PADDING, render_envelopes, render_labels, render_mail_letters
from pdf_checks import compact, fonts, page_count, page_texts, word_boxes

MM = 72 / 25.4


def assert_fonts_embedded(pdf: bytes) -> None:
    """Every font embedded: IPAex, and IPAmj明朝 for 𠮷 and 﨑."""
    used = fonts(pdf)
    assert used and all(embedded for _name, embedded in used), used
    assert {name.split("+")[1] for name, _embedded in used} <= {"IPAexMincho", "IPAexGothic", "IPAmjMincho"}


def _recipient(number: int, *, name: str = "", address: str = "", postal: str = "400-0395", person: str = "山田 太郎") -> Recipient:
    return Recipient(number, f"R08-{number:04d}", name or f"𠮷野まちづくりの会{number}", person, postal,
                     address or f"山梨県南アルプス市小笠原{number}番地 髙﨑ビル{number}階 市民活動センター内", dt.date(2027, 3, 31), "registered")


@pytest.mark.parametrize("key", sorted(LABEL_SHEETS))
def test_each_sheet_adds_up_to_a4_with_equal_margins(key):
    sheet = LABEL_SHEETS[key]
    across = sheet.left * 2 + sheet.pitch_x * (sheet.columns - 1) + sheet.width
    down = sheet.top * 2 + sheet.pitch_y * (sheet.rows - 1) + sheet.height
    assert across == pytest.approx(210.0) and down == pytest.approx(297.0)
    assert sheet.count == {"a4-12": 12, "a4-24": 24}[key]
    assert sheet.source


@pytest.mark.parametrize("key,start", [("a4-12", 1), ("a4-12", 5), ("a4-24", 1), ("a4-24", 20)])
def test_every_label_text_falls_inside_its_own_label(key, start):
    sheet = LABEL_SHEETS[key]
    people = [_recipient(n) for n in range(1, sheet.count + 3)]
    blocks = [address_block(r, Addressee.REPRESENTATIVE if n % 2 else Addressee.GROUP) for n, r in enumerate(people)]
    pdf = render_labels(sheet, blocks, start)
    assert_fonts_embedded(pdf)
    first_sheet = sheet.count - start + 1
    assert page_count(pdf) == (1 if len(blocks) <= first_sheet else 1 + -(-(len(blocks) - first_sheet) // sheet.count))
    (width, height), words = word_boxes(pdf, 0)
    assert (width / MM, height / MM) == pytest.approx((210, 297), abs=0.1)
    used: dict[int, list[str]] = {}
    for x0, top, x1, bottom, text in words:
        inside = [p for p in range(1, sheet.count + 1) if _contains(sheet.rectangle(p), x0, top, x1, bottom)]
        assert inside, f"{text!r} at ({x0 / MM:.1f}, {top / MM:.1f})–({x1 / MM:.1f}, {bottom / MM:.1f}) mm is outside every label"
        used.setdefault(inside[0], []).append(text)
    assert min(used) == start, "the labels before the start position stay blank"
    assert sorted(used) == list(range(start, sheet.count + 1))
    for position, texts in used.items():
        text = "".join(texts)
        recipient = people[position - start]
        assert text.startswith("〒400-0395") and compact(recipient.group_name) in compact(text)
        assert text.endswith("様") if (position - start) % 2 else text.endswith("御中")


def _contains(rect, x0, top, x1, bottom) -> bool:
    left, upper, right, lower = (v * MM for v in rect)
    pad = LABEL_PADDING * MM - 0.5  # the text keeps the padding, less rounding
    return left + pad <= x0 and x1 <= right - pad + 1.0 and upper + pad - 1.0 <= top and bottom <= lower - pad + 1.0


def test_a_start_outside_the_sheet_is_refused():
    with pytest.raises(ValidationError, match="1"):
        render_labels(LABEL_SHEETS["a4-12"], [address_block(_recipient(1), Addressee.GROUP)], 13)


def test_address_block_in_japanese_order_with_the_honorific_of_the_recipient():
    recipient = _recipient(7, address="山梨県甲府市丸の内1-18-1\n甲府市役所前ビル3階")
    group = address_block(recipient, Addressee.GROUP)
    assert group.postal_line == "〒400-0395"
    assert group.address_lines == ("山梨県甲府市丸の内1-18-1", "甲府市役所前ビル3階")
    assert group.name_lines == ("𠮷野まちづくりの会7　御中",)
    person = address_block(recipient, Addressee.REPRESENTATIVE)
    assert person.name_lines == ("𠮷野まちづくりの会7", "代表　山田 太郎　様")
    nobody = address_block(_recipient(8, person=""), Addressee.REPRESENTATIVE)
    assert nobody.name_lines[-1].endswith("御中")


def test_unknown_merge_fields_are_named_when_a_template_is_checked():
    problems = template_problems("更新", "{団体名}様へ", "有効期限は{有効期限}、担当は{担当者}と{ 住所}です。")
    assert [p.field for p in problems] == ["body"]
    assert "{担当者}" in problems[0].message and "{ 住所}" in problems[0].message
    assert [p.field for p in template_problems("", "", "{団体名")] == ["name", "body"]
    assert "{団体名!r}" in template_problems("更新", "", "{団体名!r}")[0].message
    assert merge("{団体名}　{{様}}", {"団体名": "髙橋の会"}) == "髙橋の会　{様}"


def test_letters_print_the_block_the_heading_and_the_merged_text():
    issuer = Issuer("南アルプス市市民活動センター", "センター長", "髙橋 一郎")
    letters = [MailLetter(address_block(_recipient(n), Addressee.REPRESENTATIVE), dt.date(2027, 1, 15), issuer,
                          "登録更新のお知らせ", f"𠮷野まちづくりの会{n}の有効期限は令和9年3月31日です。\n\nよろしくお願いします。", f"𠮷野まちづくりの会{n}")
               for n in (1, 2)]
    pdf = render_mail_letters(letters)
    assert_fonts_embedded(pdf)
    texts = [compact(t) for t in page_texts(pdf)]
    assert len(texts) == 2
    first = texts[0]
    order = ["令和9年1月15日", "〒400-0395", "山梨県南アルプス市小笠原1番地", "𠮷野まちづくりの会1", "代表山田太郎様",
             "南アルプス市市民活動センター", "センター長髙橋一郎", "登録更新のお知らせ", "𠮷野まちづくりの会1の有効期限は令和9年3月31日です。"]
    positions = [first.index(compact(part)) for part in order]
    assert positions == sorted(positions)


def test_envelopes_are_long_3_with_the_sender():
    pdf = render_envelopes([address_block(_recipient(1), Addressee.GROUP)], ["南アルプス市市民活動センター"])
    (width, height), words = word_boxes(pdf, 0)
    assert (width / MM, height / MM) == pytest.approx(ENVELOPE_CHO3, abs=0.1)
    text = compact(page_texts(pdf)[0])
    assert text.startswith("〒400-0395山梨県南アルプス市小笠原1番地") and "𠮷野まちづくりの会1御中" in text
    assert text.endswith("南アルプス市市民活動センター")
    assert all(0 <= x0 and x1 <= width and 0 <= top and bottom <= height for x0, top, x1, bottom, _t in words)


@pytest.mark.parametrize("key", sorted(LABEL_SHEETS))
def test_the_rendered_sheet_has_ink_only_inside_the_labels(key, tmp_path):
    """Rendered to PNG (poppler, 72 dpi): every dark pixel lies inside a label, at least the
    padding from its edges less a pixel; the sheet is A4."""
    import subprocess

    from PIL import Image

    sheet = LABEL_SHEETS[key]
    blocks = [address_block(_recipient(n), Addressee.REPRESENTATIVE) for n in range(1, sheet.count + 1)]
    (tmp_path / "labels.pdf").write_bytes(render_labels(sheet, blocks))
    subprocess.run(["pdftoppm", "-r", "72", "-gray", "-png", "-singlefile", str(tmp_path / "labels.pdf"), str(tmp_path / "labels")], check=True)
    image = Image.open(tmp_path / "labels.png").convert("L")
    assert (image.width / MM, image.height / MM) == pytest.approx((210, 297), abs=0.5)
    pixels = image.load()
    inked: set[int] = set()
    slack = 25.4 / 72 + 0.2  # one pixel, in mm
    for y in range(image.height):
        for x in range(image.width):
            if pixels[x, y] < 128:
                mx, my = x / MM, y / MM
                found = [p for p in range(1, sheet.count + 1)
                         if sheet.rectangle(p)[0] + LABEL_PADDING - slack <= mx <= sheet.rectangle(p)[2] - LABEL_PADDING + slack
                         and sheet.rectangle(p)[1] + LABEL_PADDING - slack <= my <= sheet.rectangle(p)[3] - LABEL_PADDING + slack]
                assert found, f"ink at ({mx:.1f}, {my:.1f}) mm is outside every label's printable area"
                inked.add(found[0])
    assert inked == set(range(1, sheet.count + 1))
