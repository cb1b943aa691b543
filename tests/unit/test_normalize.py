"""Normalisers: tables of typical counter input, and hypothesis properties (idempotent; any text
gives a value or ValidationError, never another exception)."""

from __future__ import annotations

import datetime as dt
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from center_app.domain.errors import ValidationError
from center_app.domain.normalize import (
    kana_search_key,
    normalize_kana,
    normalize_phone,
    normalize_postal_code,
    normalize_text,
    normalize_url,
    parse_date,
    phone_search_key,
    validate_email,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  南アルプス　市民活動  センター ", "南アルプス 市民活動 センター"),
        ("ＡＢＣ１２３", "ABC123"),
        ("ﾎﾞﾗﾝﾃｨｱ", "ボランティア"),
        ("㈱みなみ", "(株)みなみ"),
        ("9時〜12時", "9時〜12時"),
        ("9時～12時", "9時～12時"),
        ("お知らせ…", "お知らせ…"),
        ("①会議室", "①会議室"),
        ("a\tb\nc", "a b c"),
        ("ゼロ\u200b幅", "ゼロ幅"),
        ("\x00制御\x07", "制御"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ヤマダ　タロウ", "ヤマダ　タロウ"),
        ("やまだ たろう", "ヤマダ　タロウ"),
        ("ﾔﾏﾀﾞ  ﾀﾛｳ", "ヤマダ　タロウ"),
        ("ボランティア", "ボランティア"),
        ("ぼらんてぃあ", "ボランティア"),
        ("ｾﾝﾀｰ", "センター"),
        ("センタ-", "センター"),
        ("ゔぃーなす", "ヴィーナス"),
        ("エヌ・ピー・オー", "エヌ・ピー・オー"),
        ("  ", ""),
        (None, ""),
    ],
)
def test_normalize_kana(raw, expected):
    assert normalize_kana(raw) == expected


@pytest.mark.parametrize("raw", ["山田太郎", "NPO", "ヤマダ1", "ヤマダ（タロウ）", "ヤマ一ダ"])
def test_normalize_kana_rejects(raw):
    with pytest.raises(ValidationError) as caught:
        normalize_kana(raw, field="representative_kana")
    assert caught.value.for_field("representative_kana")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("やまだ たろう", "ヤマダタロウ"),
        ("ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダタロウ"),
        ("ヤマダ　タロウ", "ヤマダタロウ"),
        ("エヌ・ピー・オー", "エヌピーオー"),
        ("NPO法人", "npo法人"),
        ("山田", "山田"),
        (None, ""),
    ],
)
def test_kana_search_key(raw, expected):
    assert kana_search_key(raw) == expected


def test_hiragana_search_finds_katakana():
    assert kana_search_key("みなみ") in kana_search_key(normalize_kana("ミナミアルプス　ボランティア"))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("055-282-1234", "055-282-1234"),
        ("０５５－２８２－１２３４", "055-282-1234"),
        ("055ー282ー1234", "055-282-1234"),
        ("055ｰ282ｰ1234", "055-282-1234"),
        ("055‐282―1234", "055-282-1234"),
        ("055−282–1234", "055-282-1234"),
        ("(055)282-1234", "055-282-1234"),
        ("（055）282-1234", "055-282-1234"),
        ("055 282 1234", "055-282-1234"),
        ("0552821234", "055-282-1234"),
        ("0551221234", "0551-22-1234"),  # 韮崎・北杜 0551
        ("0551-22-1234", "0551-22-1234"),
        ("0312345678", "03-1234-5678"),
        ("0612345678", "06-1234-5678"),
        ("03-1234-5678", "03-1234-5678"),
        ("0267-12-3456", "0267-12-3456"),  # user's grouping kept
        ("0267123456", "0267-12-3456"),  # 小諸: digits only, area code of the numbering plan
        ("0466123456", "0466-12-3456"),  # 藤沢
        ("0267-123-456", "0267-12-3456"),  # a grouping that is not the number's is corrected
        ("055.282.1111", "055-282-1111"),
        ("055-282-1111 内線 123", "055-282-1111 内線123"),
        ("055-282-1111（内線123）", "055-282-1111 内線123"),
        ("0552821111 ext.45", "055-282-1111 内線45"),
        ("09012345678", "090-1234-5678"),
        ("090-12-345678", "090-1234-5678"),  # mobile always 3-4-4
        ("080 1234 5678", "080-1234-5678"),
        ("07012345678", "070-1234-5678"),
        ("05012345678", "050-1234-5678"),
        ("0120123456", "0120-123-456"),
        ("0120-12-3456", "0120-123-456"),
        ("0570123456", "0570-123-456"),
        ("08001234567", "0800-123-4567"),
        ("+81-90-1234-5678", "090-1234-5678"),
        ("+81 55 282 1234", "055-282-1234"),
        ("", ""),
        ("   ", ""),
        (None, ""),
    ],
)
def test_normalize_phone(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "55-282-1234",  # no leading 0
        "055-282-123",  # 9 digits
        "055-282-12345",  # 11 digits on a landline
        "090-1234-567",  # 10 digits on a mobile
        "0120-123-4567",
        "TEL 055-282-1234",
        "05512345678",  # 11 digits on a 055 landline
        "055-282-1234 内線123456",  # extension too long to keep
        "0101234567",  # 010 is not a Japanese number
        "---",
        "0",
    ],
)
def test_normalize_phone_rejects(raw):
    with pytest.raises(ValidationError) as caught:
        normalize_phone(raw, field="contact_phone")
    assert caught.value.for_field("contact_phone")


def test_a_valid_number_made_from_its_digits_is_the_number_libphonenumber_parses():
    """The phone check makes a national number directly instead of parsing it; for every valid
    one it is what ``phonenumbers.parse(digits, "JP")`` gives (digits of every length and
    prefix, drawn at random: about 5,000 valid ones), so the stored form is the same."""
    import random

    import phonenumbers

    from center_app.domain.normalize import _national_number

    rng = random.Random(18)
    prefixes = ["55", "552", "3", "6", "90", "80", "70", "50", "20", "120", "570", "800", "990", "11", "466", "267", "1", "5", "4", "9"]
    valid = 0
    for _ in range(30_000):
        length = rng.choice((3, 8, 9, 10, 10, 11, 11, 12, 17, 18))
        digits = ("0" + rng.choice(prefixes) + "".join(rng.choice("0123456789") for _ in range(length)))[:length]
        if rng.random() < 0.3:
            digits = "0" + "".join(rng.choice("0123456789") for _ in range(length - 1))
        number = _national_number(digits)
        if number is None or not phonenumbers.is_valid_number(number):
            continue
        valid += 1
        parsed = phonenumbers.parse(digits, "JP")
        assert parsed == number and phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == "+81" + digits[1:], digits
    assert valid > 3_000
    assert _national_number("0101234567") is None and _national_number("0012345678") is None and _national_number("05") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("055-282-1234", "0552821234"), ("０９０ー１２３４ー５６７８", "09012345678"), ("+81 90", "090"), ("abc", ""), (None, "")],
)
def test_phone_search_key(raw, expected):
    assert phone_search_key(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("400-0306", "400-0306"),
        ("4000306", "400-0306"),
        ("〒400-0306", "400-0306"),
        ("〒 ４００－０３０６", "400-0306"),
        ("400ー0306", "400-0306"),
        ("400‐0306", "400-0306"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_postal_code(raw, expected):
    assert normalize_postal_code(raw) == expected


@pytest.mark.parametrize("raw", ["400-030", "40-00306", "400-03061", "abc-defg", "400--0306"])
def test_normalize_postal_code_rejects(raw):
    with pytest.raises(ValidationError) as caught:
        normalize_postal_code(raw)
    assert caught.value.for_field("postal_code")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("info@example.jp", "info@example.jp"),
        (" Info@Example.JP ", "Info@example.jp"),
        ("ｉｎｆｏ＠ｅｘａｍｐｌｅ．ｊｐ", "info@example.jp"),
        ("taro..yamada.@docomo.ne.jp", "taro..yamada.@docomo.ne.jp"),
        ("a+b@sub.example.co.jp", "a+b@sub.example.co.jp"),
        ("", ""),
        (None, ""),
    ],
)
def test_validate_email(raw, expected):
    assert validate_email(raw) == expected


@pytest.mark.parametrize(
    "raw", ["info", "info@", "@example.jp", "info@example", "a@b@example.jp", "in fo@example.jp", "情報@example.jp"]
)
def test_validate_email_rejects(raw):
    with pytest.raises(ValidationError) as caught:
        validate_email(raw, field="contact_email")
    assert caught.value.for_field("contact_email")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-04-01", date(2026, 4, 1)),
        ("2026/4/1", date(2026, 4, 1)),
        ("2026.4.1", date(2026, 4, 1)),
        ("20260401", date(2026, 4, 1)),
        ("2026年4月1日", date(2026, 4, 1)),
        ("２０２６年４月１日", date(2026, 4, 1)),
        ("2026/4/1(水)", date(2026, 4, 1)),
        ("令和8年4月1日", date(2026, 4, 1)),
        ("R8.4.1", date(2026, 4, 1)),
        ("H31.4.30", date(2019, 4, 30)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("", None),
        ("  ", None),
        (None, None),
    ],
)
def test_parse_date(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    "raw", ["2026-02-30", "2026-13-01", "2026/4-1", "26/4/1", "2026/4/1(月)", "平成32年1月1日", "明日", "R8.2.30"]
)
def test_parse_date_rejects(raw):
    with pytest.raises(ValidationError) as caught:
        parse_date(raw, field="used_on")
    assert caught.value.for_field("used_on")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://example.jp/", "https://example.jp/"),
        ("HTTP://Example.jp/a?b=c", "http://Example.jp/a?b=c"),
        ("example.jp", "https://example.jp"),
        ("www.city.minami-alps.yamanashi.jp", "https://www.city.minami-alps.yamanashi.jp"),
        ("ｈｔｔｐｓ：／／ｅｘａｍｐｌｅ．ｊｐ", "https://example.jp"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_url(raw, expected):
    assert normalize_url(raw) == expected


@pytest.mark.parametrize("raw", ["ftp://example.jp", "https://localhost", "https://exa mple.jp", "mailto:a@b.jp", "http://[::1"])
def test_normalize_url_rejects(raw):
    with pytest.raises(ValidationError) as caught:
        normalize_url(raw)
    assert caught.value.for_field("url")


# --- properties ----------------------------------------------------------------------------

#: Text likely to hit the interesting cases: digits, kana of both widths, hyphens, spaces, ASCII.
COUNTER_TEXT = st.text(
    alphabet=st.sampled_from(
        list("0123456789０１２３４５６７８９-ー－ｰ‐() （）〒@.+/年月日元令和平成RH")
        + list("あいうがぱアイウガパｱｲｳｶﾞﾊﾟ・ 　\u3099〜～…①")
        + list("abcAZ:\t\n")
    ),
    max_size=20,
)
ANY_TEXT = st.one_of(st.text(max_size=30), COUNTER_TEXT)

VALIDATORS = [normalize_kana, normalize_phone, normalize_postal_code, validate_email, normalize_url]


@pytest.mark.parametrize("function", VALIDATORS, ids=lambda f: f.__name__)
@given(text=ANY_TEXT)
def test_validators_are_idempotent_and_raise_only_validation_error(function, text):
    try:
        once = function(text)
    except ValidationError as error:
        assert error.problems and error.message
        return
    assert function(once) == once


@pytest.mark.parametrize("function", [normalize_text, kana_search_key, phone_search_key], ids=lambda f: f.__name__)
@given(text=ANY_TEXT)
def test_lenient_functions_never_raise_and_are_idempotent(function, text):
    once = function(text)
    assert isinstance(once, str)
    assert function(once) == once


@given(text=ANY_TEXT)
def test_parse_date_gives_a_date_none_or_validation_error(text):
    try:
        result = parse_date(text)
    except ValidationError:
        return
    assert result is None or isinstance(result, date)
    if result is not None:
        assert parse_date(result.isoformat()) == result


@given(text=ANY_TEXT)
def test_normalised_kana_is_its_own_search_key_without_spaces(text):
    try:
        kana = normalize_kana(text)
    except ValidationError:
        return
    assert kana_search_key(kana) == kana.replace("\u3000", "").replace("・", "")


@given(st.from_regex(r"0[1-9]{2}[0-9]{7}", fullmatch=True))
def test_landline_digits_survive(digits):
    try:
        formatted = normalize_phone(digits)
    except ValidationError as refused:  # a number the numbering plan does not have
        assert refused.for_field("phone")
        return
    assert phone_search_key(formatted) == digits
    assert formatted.count("-") == 2
    assert normalize_phone(formatted) == formatted


def test_a_wrong_length_is_named_in_the_message():
    with pytest.raises(ValidationError) as caught:
        normalize_phone("05512345678")
    assert "11" in str(caught.value) and "10" in str(caught.value)


def test_the_search_key_of_a_number_with_an_extension_is_the_number():
    assert phone_search_key("055-282-1111 内線123") == "0552821111"


def test_typed_mobile_grouping_is_kept_where_free_dial_digits_are_the_same():
    assert normalize_phone("080-0000-0112") == "080-0000-0112"
    assert normalize_phone("0800-000-0112") == "0800-000-0112"
    assert normalize_phone("08000000112") == "0800-000-0112"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1/11", dt.date(2027, 1, 11)), ("12/29", dt.date(2026, 12, 29)), ("12/28", dt.date(2027, 12, 28)),
     ("2/29", dt.date(2028, 2, 29)), ("１月１１日", dt.date(2027, 1, 11)), ("R9.1.11", dt.date(2027, 1, 11)),
     ("2026/1/11", dt.date(2026, 1, 11)), ("", None)],
)
def test_parse_date_entry_reads_a_date_without_its_year_as_the_nearest_future_one(raw, expected):
    from center_app.domain.normalize import parse_date_entry

    assert parse_date_entry(raw, today=dt.date(2026, 12, 29)) == expected


def test_parse_time_entry_reads_the_usual_forms():
    from center_app.domain.normalize import parse_time_entry

    assert [parse_time_entry(t) for t in ("13:30", "１３３０", "9時", "9時5分", "24:00")] == [
        dt.time(13, 30), dt.time(13, 30), dt.time(9), dt.time(9, 5), dt.time(23, 59)]
    with pytest.raises(ValidationError):
        parse_time_entry("25:00")


def test_the_dropped_characters_are_exactly_the_invisible_and_non_space_controls():
    """clean_text and normalize_text drop by one character class: on every code point it is the
    rule they state (zero-width characters, controls that are not whitespace, lone surrogates)."""
    import unicodedata

    from center_app.domain import normalize

    for code in range(0x110000):
        ch = chr(code)
        dropped = ch in "\u200b\u2060\ufeff" or (not ch.isspace() and unicodedata.category(ch) in ("Cc", "Cs"))
        assert (normalize._DROPPED.fullmatch(ch) is not None) == dropped, hex(code)


def test_only_hiragana_is_changed_by_hira2kata_so_other_text_may_skip_it():
    """_fold_kana calls jaconv.hira2kata only for a text with hiragana (U+3041–U+309F): no other
    code point is changed by it."""
    import jaconv

    assert [hex(c) for c in range(0x110000) if not 0x3041 <= c <= 0x309F and jaconv.hira2kata(chr(c)) != chr(c)] == []
    assert jaconv.hira2kata("ぁゔゝゞ") == "ァヴヽヾ"


@pytest.mark.parametrize(("typed", "stored"), [
    ("０５５（２８２）１２３４", "055-282-1234"),
    ("055.282.1234", "055-282-1234"),
    ("055\u3000282\u3000\u3000 1234", "055-282-1234"),
    ("+81 55 282 1234", "055-282-1234"),
    ("055ｰ282ｰ1234 内線12", "055-282-1234 内線12"),
])
def test_phone_separators_of_any_kind_and_number(typed, stored):
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize("typed", ["055-282-123４a", "055_282_1234", "055/282/1234", "٠٥٥-282-1234"])
def test_a_phone_number_with_another_character_is_refused(typed):
    with pytest.raises(ValidationError):
        normalize_phone(typed)


def test_free_text_of_several_lines_drops_controls_and_invisible_characters_per_line():
    from center_app.domain.normalize import clean_lines

    assert clean_lines("  字下げ\u200b\x07 \r\n\r\n二行目\ufeff\t \n\n") == "  字下げ\n\n二行目"
