"""チラシ: each template with and without the language options; refusals for missing title or
date, for a description that cannot fit, for unprintable characters and unreadable pictures."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from pdf_checks import assert_fonts_embedded, compact, ink, page_count, pdf_text, word_boxes
from PIL import Image, ImageDraw

from center_app.domain.documents import FLYER_TEMPLATES, FlyerEvent, FlyerOptions
from center_app.domain.errors import MissingGlyphError, ValidationError
from center_app.print.base import ImageUnreadable
from center_app.print.flyer import render_flyer


@pytest.fixture(scope="module")
def picture(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("img") / "photo.jpg"
    image = Image.new("RGB", (400, 280), (120, 170, 210))
    ImageDraw.Draw(image).polygon([(0, 280), (150, 120), (300, 280)], fill=(60, 120, 70))
    image.save(path)
    return str(path)


@pytest.fixture(scope="module")
def event(picture) -> FlyerEvent:
    return FlyerEvent(
        title="はじめての市民活動入門講座 ～髙﨑さんと学ぶ団体運営①～", event_date=dt.date(2026, 12, 13),
        start_time=dt.time(13, 30), end_time=dt.time(16, 0), place="南アルプス市市民活動センター 会議室A",
        catch_copy="仲間とつくる、まちの未来", organiser="南アルプス市市民活動センター", co_hosts="NPO法人まちづくりネット",
        fee_yen=500, fee_note="資料代", capacity=30, how_to_apply="12月10日（木）までに電話・メール・窓口で。先着順。",
        contact="TEL 055-282-0000", description="市民活動をはじめたい方のための入門講座です。\n交流会もあります。",
        image_path=picture, url="https://example.jp/events/2026-12-13",
    )


@pytest.mark.parametrize("template", list(FLYER_TEMPLATES))
@pytest.mark.parametrize("option", ["plain", "easy", "en", "pt_BR"])
def test_every_template_prints_the_event_with_its_options(event, template, option):
    options = {
        "plain": FlyerOptions(template),
        "easy": FlyerOptions(template, easy_japanese=True, easy_text="だれでも 参加できます。"),
        "en": FlyerOptions(template, second_language="en", translated_title="Introduction to Civic Activities"),
        "pt_BR": FlyerOptions(template, second_language="pt_BR", translated_title="Curso de atividades cívicas", translated_text="Inscrições até 10 de dezembro."),
    }[option]
    pdf = render_flyer(event, options)
    text = compact(pdf_text(pdf))
    for expected in ("はじめての市民活動入門講座～髙﨑さんと学ぶ団体運営①～", "令和8年12月13日（日）", "13:30～16:00",
                     "南アルプス市市民活動センター会議室A", "仲間とつくる、まちの未来", "NPO法人まちづくりネット", "市民活動をはじめたい方"):
        assert expected in text, expected
    if option == "plain":
        assert "参加費" in text and "500円（資料代）" in text and "定員" in text and "30人" in text
    if option == "easy":
        # the date as kanji with ルビ (each reading follows its base in the extracted text)
        assert "2026年ねん12月がつ13日にち（日曜日にちようび）" in text and "ごご1じ30ぷん～ごご4じ" in text
        assert "おかね" in text and "500えん" in text and "だれでも参加さんかできます。" in text
    if option == "en":
        assert "Sunday,December13,2026" in text and "IntroductiontoCivicActivities" in text and "（2026年12月13日）" in text
    if option == "pt_BR":
        assert "domingo,13dedezembrode2026" in text and "Cursodeatividadescívicas" in text and "Inscriçõesaté10dedezembro." in text
    assert page_count(pdf) == 1
    assert_fonts_embedded(pdf)
    assert ink(pdf) > 0.02


def test_a_flyer_without_title_or_date_says_so(event):
    with pytest.raises(ValidationError) as caught:
        render_flyer(dataclasses.replace(event, title=" ", event_date=None))
    assert {p.field for p in caught.value.problems} == {"title", "event_date"}
    assert "日付" in str(caught.value)


def test_a_description_too_long_is_refused_with_how_much_to_cut(event):
    with pytest.raises(ValidationError) as caught:
        render_flyer(dataclasses.replace(event, description="長い説明文です。" * 400))
    assert caught.value.problems[0].field == "description"
    assert "文字" in str(caught.value)


def test_long_description_shrinks_the_picture_before_giving_up(event):
    pdf = render_flyer(dataclasses.replace(event, description="地域の活動を紹介します。" * 55), FlyerOptions("photo", second_language="en"))
    assert "地域の活動を紹介します。" in pdf_text(pdf)


def test_unprintable_characters_are_named(event):
    with pytest.raises(MissingGlyphError) as caught:
        render_flyer(dataclasses.replace(event, contact="担当 Nguyສn"), FlyerOptions(second_language="en", translated_title="ब day"))
    assert caught.value.characters == ["ສ", "ब"]
    assert {p.field for p in caught.value.problems} == {"contact", "translated_title"}


def test_an_unreadable_picture_is_named_and_left_out_only_on_request(event, tmp_path):
    broken = tmp_path / "poster.jpg"
    broken.write_bytes(b"\xff\xd8 broken")
    bad = dataclasses.replace(event, image_path=str(broken))
    with pytest.raises(ImageUnreadable) as caught:
        render_flyer(bad)
    assert "poster.jpg" in str(caught.value) and caught.value.problems[0].field == "image_path"
    assert "入門講座" in pdf_text(render_flyer(bad, skip_unreadable_images=True))


def test_free_event_without_extras(event):
    pdf = render_flyer(dataclasses.replace(event, fee_yen=0, fee_note="", capacity=None, url="", image_path="", co_hosts="", catch_copy=""), FlyerOptions("simple"))
    text = compact(pdf_text(pdf))
    assert "無料" in text and "定員" not in text and "詳しくはこちら" not in text


def test_every_template_offered_has_a_theme_and_one_check_guards_saving_and_printing(tmp_path):
    from center_app.domain.documents import flyer_option_problems
    from center_app.print.flyer import THEMES

    assert set(THEMES) == set(FLYER_TEMPLATES)
    wrong = FlyerOptions(template="poster", second_language="fr")
    assert [p.field for p in flyer_option_problems(wrong)] == ["template", "second_language"]
    with pytest.raises(ValidationError) as drawn:
        render_flyer(FlyerEvent(title="講座", event_date=dt.date(2026, 6, 9)), wrong)
    assert [p.message for p in drawn.value.problems] == [p.message for p in flyer_option_problems(wrong)]


def test_two_language_blocks_print_one_under_the_other_and_the_same_language_twice_is_refused(event):
    options = FlyerOptions(second_language="es", translated_title="Curso de actividades cívicas", third_language="th",
                           third_title="หลักสูตรกิจกรรมพลเมือง")
    text = compact(pdf_text(render_flyer(event, options)))
    assert "Español" in text and "Cursodeactividadescívicas" in text and "domingo,13dediciembrede2026" in text
    assert "ภาษาไทย" in text and "หลักสูตรกิจกรรมพลเมือง" in text and "วันอาทิตย์ที่13ธันวาคม" in text
    with pytest.raises(ValidationError) as caught:
        render_flyer(event, FlyerOptions(second_language="es", third_language="es"))
    assert caught.value.problems[0].field == "third_language"


LONG_DESCRIPTION = (
    "市民活動をはじめたい方、団体の運営に悩んでいる方のための入門講座です。団体の立ち上げから会計・税務、広報、助成金の申請まで、"
    "実際に活動している団体の代表者をお招きして、具体的な事例を交えてお話しいただきます。\n講座の後半では参加者どうしの交流会を行います。"
    "日頃の活動の悩みを共有し、新しい仲間と出会う機会にしてください。初めての方も、すでに活動している方も歓迎します。\n"
    "当日は筆記用具をお持ちください。駐車場には限りがありますので、できるだけ公共交通機関をご利用ください。"
) * 2


@pytest.mark.parametrize("template", list(FLYER_TEMPLATES))
@pytest.mark.parametrize("text", ["short", "long"])
def test_the_flyer_fills_its_page_inside_the_margins(event, template, text):
    """A short announcement is set large and spread over the page instead of leaving its middle
    empty; a long one still fits; nothing runs into the edge a printer cannot print."""
    if text == "short":
        chosen = FlyerEvent(title="はじめての市民活動入門講座", event_date=dt.date(2026, 12, 13), start_time=dt.time(13, 30), end_time=dt.time(16, 0),
                            place="南アルプス市市民活動センター 会議室A", organiser="南アルプス市市民活動センター", fee_yen=0,
                            contact="TEL 055-282-0000", description="どなたでも参加できます。")
    else:
        chosen = dataclasses.replace(event, image_path="", description=LONG_DESCRIPTION)
    (width, height), words = word_boxes(render_flyer(chosen, FlyerOptions(template)))
    edge = 8 * 72 / 25.4
    for x0, top, x1, bottom, word in words:
        ink_end = x1 - (bottom - top) * 0.5 if word[-1] in "、。" else x1  # a hanging 、。 inks the left half of its box
        assert edge < x0 and ink_end < width - edge and edge <= top and bottom < height - edge, word
    rows = sorted((top, bottom) for _x0, top, _x1, bottom, _w in words)
    assert rows[-1][1] - rows[0][0] >= 0.85 * height  # from the title to the footer
    widest_gap, end = 0.0, rows[0][1]
    for top, bottom in rows:
        widest_gap, end = max(widest_gap, top - end), max(end, bottom)
    assert widest_gap <= 0.25 * height  # no empty band across the middle of the page
    if text == "short":
        title = max(b - t for _x0, t, _x1, b, w in words if "はじめて" in w)
        assert title >= 40  # set larger than the template's 32–36 pt
