"""登録証 and 修了証 / 感謝状 as PDFs: names and 和暦 dates in the text, fonts embedded, pages not
blank, missing glyphs named, a 500-certificate batch within the target time."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import time

import pytest
from pdf_checks import assert_fonts_embedded, compact, ink, page_count, page_texts, pdf_text, word_boxes
from PIL import Image
from pypdf import PdfReader

from center_app.domain.documents import APPRECIATION, COMPLETION, AwardBatch, Cancelled, Issuer, Recipient, RegistrationCertificate
from center_app.domain.errors import MissingGlyphError, ValidationError
from center_app.print.awards import default_body, parse_recipients, render_awards
from center_app.print.base import ImageUnreadable
from center_app.print.registration import render_registration_certificates

ISSUED = dt.date(2026, 11, 29)
CERT = RegistrationCertificate(
    group_name="NPO法人 髙﨑まちづくり①ネットワーク", registration_no="R08-0012", representative_name="髙﨑 花子",
    activity_fields=("保健、医療又は福祉の増進を図る活動", "まちづくりの推進を図る活動"),
    activity_fields_short=("保健・医療・福祉", "まちづくり"), valid_until=dt.date(2027, 3, 31), issued_on=ISSUED,
    group_kana="タカサキマチヅクリネットワーク",
)
LONG = dataclasses.replace(
    CERT, group_name="特定非営利活動法人南アルプス市国際交流と多文化共生を推進する市民の会・おしゃべりサロン実行委員会",
    registration_no="R08-0013", representative_name="Silva Oliveira Maria Aparecida",
    activity_fields=tuple(f"活動分野その{i}を図る活動" for i in range(12)), activity_fields_short=tuple(f"分野{i}" for i in range(12)),
)


@pytest.fixture(scope="module")
def seal(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("seal") / "seal.png"
    image = Image.new("RGBA", (120, 120), (0, 0, 0, 0))
    for x in range(10, 110):
        for y in (10, 11, 108, 109):
            image.putpixel((x, y), (200, 30, 30, 255))
            image.putpixel((y, x), (200, 30, 30, 255))
    image.save(path)
    return str(path)


@pytest.fixture(scope="module")
def issuer(seal) -> Issuer:
    return Issuer("南アルプス市市民活動センター", "センター長", "山田 太郎", seal)


@pytest.mark.parametrize("size", ["a4", "card"])
def test_registration_certificate_shows_group_number_dates_and_issuer(issuer, size):
    pdf = render_registration_certificates([CERT, dataclasses.replace(CERT, reissue_count=2)], issuer, size=size)
    text = compact(pdf_text(pdf))
    for expected in ("市民活動団体登録証", "NPO法人髙﨑まちづくり①ネットワーク", "R08-0012", "髙﨑花子", "令和9年3月31日まで",
                     "令和8年11月29日", "南アルプス市市民活動センター", "センター長", "再交付（2回目）"):
        assert expected in text, expected
    assert ("保健、医療又は福祉の増進を図る活動" if size == "a4" else "保健・医療・福祉・まちづくり") in text
    assert text.count("再交付") == 1  # only the reissued one says so
    assert page_count(pdf) == (2 if size == "a4" else 1)
    assert_fonts_embedded(pdf)
    assert ink(pdf) > 0.01


def test_cards_are_ten_to_a_sheet(issuer):
    pdf = render_registration_certificates([dataclasses.replace(CERT, registration_no=f"R08-{i:04d}") for i in range(1, 12)], issuer, size="card")
    pages = page_texts(pdf)
    assert len(pages) == 2
    assert sum(pages[0].count(f"R08-{i:04d}") > 0 for i in range(1, 11)) == 10
    assert "R08-0011" in pages[1] and "R08-0001" not in pages[1]


def test_long_names_and_many_fields_stay_inside(issuer):
    for size in ("a4", "card"):
        pdf = render_registration_certificates([LONG], issuer, size=size)
        text = compact(pdf_text(pdf))
        assert compact(LONG.group_name) in text and "SilvaOliveiraMariaAparecida" in text
        assert ink(pdf) > 0.005


def test_a_character_the_font_lacks_is_named_with_the_group(issuer):
    bad = [CERT, dataclasses.replace(CERT, registration_no="R08-0020", group_name="Nguyສn の会", representative_name="ब田 一郎")]
    with pytest.raises(MissingGlyphError) as caught:
        render_registration_certificates(bad, issuer)
    assert caught.value.characters == ["ສ", "ब"]
    assert {p.field for p in caught.value.problems} == {"name", "representative_name"}
    assert all(p.row == 2 and "R08-0020" in p.message for p in caught.value.problems)


def test_an_unreadable_seal_stops_the_print_unless_the_user_agrees(issuer, tmp_path):
    broken = tmp_path / "inkan.png"
    broken.write_text("nope")
    unreadable = dataclasses.replace(issuer, seal_image_path=str(broken))
    with pytest.raises(ImageUnreadable) as caught:
        render_registration_certificates([CERT], unreadable)
    assert "inkan.png" in str(caught.value)
    assert "R08-0012" in pdf_text(render_registration_certificates([CERT], unreadable, skip_unreadable_images=True))


@pytest.mark.parametrize("size", ["a4", "card"])
def test_500_certificates_in_one_batch(issuer, size):
    """Five hundred in one PDF, with progress (how fast: the 500 certificates row of ``make bench``)."""
    batch = [dataclasses.replace(CERT if i % 2 else LONG, registration_no=f"R08-{i:04d}", group_name=f"{CERT.group_name}{i}") for i in range(500)]
    seen = []
    started = time.perf_counter()
    pdf = render_registration_certificates(batch, issuer, size=size, progress=lambda done, total: seen.append(done))
    elapsed = time.perf_counter() - started
    print(f"\n500 registration certificates ({size}): {elapsed:.2f} s, {len(pdf) / 1e6:.2f} MB")
    reader = PdfReader(io.BytesIO(pdf))
    assert seen[-1] == 500 and len(reader.pages) == (500 if size == "a4" else 50)
    assert "R08-0499" in reader.pages[-1].extract_text()


def test_a_batch_can_be_cancelled(issuer):
    with pytest.raises(Cancelled):
        render_registration_certificates([CERT] * 30, issuer, progress=lambda done, total: done < 10)


# --- 修了証 / 感謝状 ---------------------------------------------------------------------------------

NAMES = "髙﨑 花子\n山田　一郎\tボランティアの会①\n\nSilva Oliveira Maria Aparecida, Associação Brasileira\n特定非営利活動法人南アルプス市国際交流と多文化共生を推進する市民の会"


def test_pasted_names_with_affiliations():
    people = parse_recipients(NAMES)
    assert people == [
        Recipient("髙﨑 花子"), Recipient("山田 一郎", "ボランティアの会①"),
        Recipient("Silva Oliveira Maria Aparecida", "Associação Brasileira"),
        Recipient("特定非営利活動法人南アルプス市国際交流と多文化共生を推進する市民の会"),
    ]


@pytest.mark.parametrize("kind,vertical", [(COMPLETION, False), (APPRECIATION, False), (COMPLETION, True), (APPRECIATION, True)])
def test_awards_have_a_page_per_name_with_names_and_dates(issuer, kind, vertical):
    people = tuple(parse_recipients(NAMES))
    body = default_body(kind, "市民活動入門講座（全3回）", dt.date(2026, 11, 14), vertical=vertical)
    pdf = render_awards(AwardBatch(kind, people, body, ISSUED, "殿", vertical), issuer)
    pages = [compact(t) for t in page_texts(pdf)]
    assert len(pages) == len(people)
    for page, person in zip(pages, people):
        assert compact(person.name) in page
        assert compact(person.affiliation) in page
        assert ("修了証" if kind == COMPLETION else "感謝状") in page or ("修了" in page and kind == COMPLETION)
        assert ("令和八年十一月二十九日" if vertical else "令和8年11月29日") in page
        assert "殿" in page and "南アルプス市市民活動センター" in page
    if kind == COMPLETION:
        assert ("令和八年十一月十四日" if vertical else "令和8年11月14日") in pages[0]
    assert_fonts_embedded(pdf)
    for index in range(len(people)):
        assert ink(pdf, index) > 0.005


def test_award_needs_names_and_wording_and_printable_names(issuer):
    with pytest.raises(ValidationError) as caught:
        render_awards(AwardBatch(COMPLETION, (), "", ISSUED), issuer)
    assert {p.field for p in caught.value.problems} == {"names", "body"}
    people = (Recipient("髙﨑 花子"), Recipient("Nguyສn Thມ Hoa"))
    with pytest.raises(MissingGlyphError) as caught:
        render_awards(AwardBatch(APPRECIATION, people, "感謝します", ISSUED, vertical=True), issuer)
    assert caught.value.characters == ["ສ", "ມ"] and caught.value.problems[0].row == 2
    assert "2行目" in caught.value.problems[0].message


COURSE = "市民活動入門講座（全3回）"
LONG_BODY = ("あなたは令和八年十月から十一月にかけて開催された「市民活動入門講座（全3回）」において団体の設立と運営、会計と税務、"
             "広報と情報発信、助成金の申請について熱心に学ばれその全課程を優秀な成績で修了されましたのでここにこれを証します")


@pytest.mark.parametrize("body", ["あなたは講座の全課程を修了されましたのでここにこれを証します", LONG_BODY], ids=["short", "long"])
@pytest.mark.parametrize("name", ["髙﨑 花子", "特定非営利活動法人南アルプス市国際交流と多文化共生を推進する市民の会"], ids=["person", "group"])
def test_vertical_award_uses_the_whole_page_inside_the_frame(issuer, body, name):
    people = (Recipient(name, "ボランティアの会", "第2026-0001号"),)
    pdf = render_awards(AwardBatch(COMPLETION, people, body, ISSUED, "殿", True, course_name=COURSE), issuer)
    (width, height), words = word_boxes(pdf)
    inner = 13 * 72 / 25.4  # the inner line of the frame
    for x0, top, x1, bottom, text in words:
        assert inner < x0 and x1 < width - inner and inner < top and bottom < height - inner, text
    left, right = min(w[0] for w in words), max(w[2] for w in words)
    assert right - left >= 0.75 * width  # the columns spread over the page, not bunched at its right
    top, bottom = min(w[1] for w in words), max(w[3] for w in words)
    assert bottom - top >= 0.7 * height
    biggest = max(w[3] - w[1] for w in words if w[4] in "修了証")
    assert biggest >= 48  # the title is set large enough to be read across a room
    page = compact(page_texts(pdf)[0])
    assert "講座名" in page and "市民活動入門講座" in page


@pytest.mark.parametrize("vertical", [False, True], ids=["horizontal", "vertical"])
def test_completion_certificate_prints_the_course_and_each_number(issuer, vertical):
    people = (Recipient("髙﨑 花子", certificate_no="第2026-0001号"), Recipient("山田 一郎", certificate_no="第2026-0002号"))
    pdf = render_awards(AwardBatch(COMPLETION, people, "全課程を修了されました", ISSUED, "殿", vertical, course_name="パソコン講座"), issuer)
    pages = [compact(t) for t in page_texts(pdf)]
    assert "パソコン講座" in pages[0] and "講座名" in pages[0]
    for page, number in zip(pages, ("0001", "0002")):
        digits = "".join(c for c in page if c.isdigit())
        assert "2026" + number in digits and "第" in page and "号" in page


def test_500_awards_in_one_batch(issuer):
    people = tuple(Recipient(f"髙﨑 花子{i}") for i in range(500))
    started = time.perf_counter()
    pdf = render_awards(AwardBatch(APPRECIATION, people, default_body(APPRECIATION, "清掃ボランティア", None, vertical=True), ISSUED, "様", True), issuer)
    elapsed = time.perf_counter() - started
    print(f"\n500 vertical 感謝状: {elapsed:.2f} s")
    assert page_count(pdf) == 500


@pytest.mark.parametrize("size", ["a4", "card"])
def test_a_certificate_is_japanese_with_an_english_line_only_when_asked(issuer, size):
    plain = compact(pdf_text(render_registration_certificates([CERT], issuer, size=size)))
    assert "Certificate" not in plain
    english = compact(pdf_text(render_registration_certificates([CERT], issuer, size=size, english=True)))
    expected = "CertificateofRegistrationasaCitizenActivityGroup" if size == "a4" else "CertificateofRegistration"
    assert "市民活動団体登録証" in english and expected in english
