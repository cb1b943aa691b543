"""The wording of documents per language (center_app/domain/document_texts): every language has
every text of the Japanese original with the same placeholders, names itself, and writes dates
and yen with its own Babel locale."""

from __future__ import annotations

import datetime as dt
import string

import pytest

from center_app.domain import document_texts
from center_app.domain.documents import FLYER_SECOND_LANGUAGES, SLIP_LANGUAGES, applicant_class_name, language_label
from center_app.domain.money import PaymentMethod
from center_app.print.booking_slip import date_line
from center_app.print.permit import day_text, yen

FOREIGN = [str(code) for code in SLIP_LANGUAGES if code != "ja"]


def placeholders(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_the_documents_speak_the_eight_languages_of_the_city():
    assert [str(c) for c in SLIP_LANGUAGES] == ["ja", "en", "pt_BR", "es", "zh_Hans", "tl", "th", "vi"]
    assert [language_label(c) for c in SLIP_LANGUAGES] == [
        "日本語", "English", "Português (Brasil)", "Español", "中文（简体）", "Filipino (Tagalog)", "ไทย", "Tiếng Việt"]
    assert set(FLYER_SECOND_LANGUAGES) == set(SLIP_LANGUAGES) - {"ja"}


@pytest.mark.parametrize("language", FOREIGN)
@pytest.mark.parametrize("table", ["SLIP", "PERMIT"])
def test_every_text_of_the_japanese_document_is_translated_with_its_placeholders(language, table):
    original = getattr(document_texts.texts("ja"), table)
    translated = getattr(document_texts.texts(language), table)
    assert set(translated) >= set(original) - {"yen"}
    for key, text in original.items():
        if key in translated:
            assert placeholders(translated[key]) == placeholders(text), (language, table, key)
            assert translated[key].strip(), (language, key)
            assert translated[key] != text or not any("\u3040" <= c <= "\u30ff" for c in text), (language, key)  # not left in Japanese


@pytest.mark.parametrize("language", FOREIGN)
def test_methods_classes_and_flyer_labels_exist_in_every_language(language):
    module = document_texts.texts(language)
    assert set(module.METHODS) == {m.value for m in PaymentMethod}
    assert set(module.APPLICANT_CLASSES) == {"registered", "resident", "non_resident"}
    english = document_texts.texts("en").FLYER
    assert set(module.FLYER) == set(english)
    assert all(placeholders(module.FLYER[k]) == placeholders(english[k]) for k in english)


@pytest.mark.parametrize(("language", "long_date", "short_date", "amount"), [
    ("en", "Tuesday, December 8, 2026", "Tue, Dec 8, 2026", "¥1,600"),
    ("pt_BR", "terça-feira, 8 de dezembro de 2026", "ter., 8 de dez. de 2026", "JP¥\xa01.600"),
    ("es", "martes, 8 de diciembre de 2026", "mar, 8 dic. 2026", "1,600"),
    ("zh_Hans", "2026年12月8日星期二", "2026年12月8日周二", "JP¥1,600"),
    ("tl", "Martes, Disyembre 8, 2026", "Mar, Dis 8, 2026", "¥1,600"),
    ("th", "วันอังคารที่ 8 ธันวาคม ค.ศ. 2026", "อังคาร 8 ธ.ค. 2026", "¥1,600"),
    ("vi", "Thứ Ba, 8 tháng 12, 2026", "Thứ 3, 8 thg 12, 2026", "1.600\xa0¥"),
])
def test_dates_and_yen_are_written_with_the_languages_own_locale_data(language, long_date, short_date, amount):
    day = dt.date(2026, 12, 8)
    assert date_line(day, language) == f"{long_date} (令和8年12月8日（火）)"
    assert day_text(day, language) == f"{short_date} (令和8年12月8日（火）)"
    assert amount in yen(1600, language)


def test_default_classes_are_named_in_the_documents_language_and_configured_names_win():
    assert applicant_class_name("resident", "市内在住者", "vi") == "Cư dân thành phố"
    assert applicant_class_name("resident", "市内在住者", "ja") == "市内在住者"
    assert applicant_class_name("youth", "青少年団体", "th") == "青少年団体"  # a class configured later: its Japanese name
    assert applicant_class_name("youth", "青少年団体", "th", {"th": "กลุ่มเยาวชน"}) == "กลุ่มเยาวชน"
    assert applicant_class_name("resident", "市内在住者", "en", {"en": "  "}) == "Resident of the city"


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError):
        document_texts.texts("fr")
