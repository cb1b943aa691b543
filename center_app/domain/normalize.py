"""Normalisation of what clerks type or import: text, kana, phone numbers, postal codes, e-mail,
dates and web addresses.

Every ``normalize_*`` / ``validate_*`` / ``parse_*`` function takes any ``str`` (or None) and either
returns the normalised value or raises :class:`ValidationError` naming ``field`` and saying what is
expected; an empty or blank input gives "" (None for dates), so whether a field is required is
decided by the caller. The ``*_search_key`` functions never raise. Normalising twice gives the same
value as normalising once (tested with hypothesis).

Names, addresses and free text are stored exactly as typed (:func:`clean_text`: trimmed, invisible
and control characters dropped); width folding belongs only to identifiers and search keys.
Width folding is Unicode NFKC (full-width digits and Latin letters → ASCII, half-width kana →
full-width kana, ㈱ → (株)) plus jaconv for hiragana → katakana; phone dashes have their own
mapping because NFKC makes ｰ into ー. Phone numbers are checked and written by ``phonenumbers``
(Google's libphonenumber metadata).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import jaconv

from center_app.domain.errors import ValidationError
from center_app.domain.wareki import (
    check_weekday,
    invalid_date,
    parse_wareki,
    prepare_date_text,
    split_weekday,
)
from center_app.i18n import _

if TYPE_CHECKING:  # imported when a phone number is first checked, not when the app starts
    import phonenumbers

__all__ = [
    "clean_lines",
    "clean_text",
    "kana_search_key",
    "normalize_kana",
    "normalize_phone",
    "normalize_postal_code",
    "normalize_text",
    "normalize_url",
    "EARLIEST_DATE",
    "LATEST_DATE",
    "as_date",
    "check_date_range",
    "parse_date",
    "parse_date_entry",
    "parse_month_entry",
    "parse_time_entry",
    "phone_search_key",
    "validate_email",
]

#: Characters NFKC would turn into something odd in Japanese text, kept as typed:
#: ～ (→ ~), … (→ ...), ‥ (→ ..), ゛゜ (→ space + combining mark), circled numbers ① … ㊿ (→ 1 …).
_KEEP_AS_IS = frozenset(
    "～…‥゛゜"
    + "".join(chr(c) for c in range(0x2460, 0x2474))  # ①..⑳
    + "".join(chr(c) for c in range(0x3251, 0x3260))  # ㉑..㉟
    + "".join(chr(c) for c in range(0x32B1, 0x32C0))  # ㊱..㊿
)
#: Invisible characters dropped before anything else (zero-width space, word joiner, BOM).
_INVISIBLE = frozenset("\u200b\u2060\ufeff")
#: Hyphen-like characters clerks and imports use for a dash (after NFKC; ｰ and － included anyway).
_HYPHENS = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63\uff0d\u30fc\uff70")
#: What :func:`clean_text` and :func:`normalize_text` drop, as one character class (matched in C,
#: not tested a character at a time): ``_INVISIBLE`` and the control characters (category Cc) that
#: are not whitespace, and lone surrogates (Cs). A test checks it against that rule on every code point.
_DROPPED = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\u200b\u2060\ud800-\udfff\ufeff]")
#: ``_KEEP_AS_IS`` as a pattern that splits a text around them (the separators kept).
_KEEP_SPLIT = re.compile("([" + re.escape("".join(sorted(_KEEP_AS_IS))) + "])")
#: :func:`_fold_kana`'s hyphen-likes → ー and ･/· → ・, as one table for ``str.translate``, and a
#: pattern finding them: ``str.translate`` looks up every character, so a text without any is
#: passed by (most readings). The same for hiragana, the only characters ``jaconv.hira2kata``
#: changes (a test checks it on every code point).
_KANA_MARKS = str.maketrans({**dict.fromkeys(_HYPHENS, "ー"), "\u00b7": "・"})
_KANA_MARKS_FOUND = re.compile("[" + re.escape("".join(sorted({*_HYPHENS, "\u00b7"}))) + "]")
_HIRAGANA = re.compile("[\u3041-\u309f]")


def _nfkc_keeping(text: str) -> str:
    """NFKC of ``text`` except the characters of ``_KEEP_AS_IS`` (each run between them is
    normalised on its own)."""
    parts = _KEEP_SPLIT.split(text)
    if len(parts) == 1:
        return unicodedata.normalize("NFKC", text)
    return "".join(part if index % 2 else unicodedata.normalize("NFKC", part) for index, part in enumerate(parts))


def clean_text(s: str | None) -> str:
    """Free text (names, addresses, titles, notes) as it is stored: exactly as typed, trimmed.

    Surrounding whitespace (including the full-width space) is stripped; control characters other
    than whitespace, lone surrogates and zero-width characters are dropped; nothing else changes —
    no width folding (「所轄庁（山梨県）」, 「応援します！」 and 「ＡＢＣ」 stay as typed). None → "".
    Never raises. Searches compare :func:`normalize_text` / :func:`kana_search_key` of both sides.
    """
    if not s:
        return ""
    return _DROPPED.sub("", str(s)).strip()


def clean_lines(s: str | None) -> str:
    """Free text of several lines as it is stored: exactly as typed, line breaks made "\n", each
    line's trailing whitespace and blank lines at both ends dropped (a line's leading 字下げ is
    kept), characters dropped as by :func:`clean_text`. None → "". Never raises."""
    if not s:
        return ""
    lines = str(s).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept = [_DROPPED.sub("", line).rstrip() for line in lines]
    return "\n".join(kept).strip("\n")


def normalize_text(s: str | None) -> str:
    """One line of text normalised for identifiers and search keys (never for storing free text:
    see :func:`clean_text`).

    NFKC (full-width ＡＢＣ１２３ → ABC123, half-width ｶﾅ → カナ, ㈱ → (株)) except for the
    characters NFKC spoils in Japanese text (～ … ‥ ゛ ゜ ①–㊿, kept as typed; 〜 is untouched by
    NFKC); control characters, lone surrogates and zero-width characters removed; surrounding
    whitespace stripped and each internal run of whitespace (including the full-width space and
    line breaks) made one half-width space. None → "". Never raises.
    """
    if not s:
        return ""
    return " ".join(_nfkc_keeping(_DROPPED.sub("", str(s))).split())


# --- kana ----------------------------------------------------------------------------------


def _fold_kana(s: str | None) -> str:
    """normalize_text, then hiragana → katakana, hyphen-likes → ー and ･/· → ・."""
    text = normalize_text(s)
    if _HIRAGANA.search(text):
        text = jaconv.hira2kata(text)
    return text.translate(_KANA_MARKS) if _KANA_MARKS_FOUND.search(text) else text


def _is_kana(ch: str) -> bool:
    """True for a full-width katakana letter (ァ … ヺ), ー, ・, ヽ or ヾ."""
    return "\u30a1" <= ch <= "\u30fe"


def normalize_kana(s: str | None, *, field: str = "name_kana") -> str:
    """A reading (フリガナ) in full-width katakana, the sort key of 五十音順.

    Accepts katakana, hiragana and half-width kana (ﾔﾏﾀﾞ → ヤマダ); any hyphen-like character
    becomes ー; spaces are kept as ONE FULL-WIDTH SPACE between words ("やまだ たろう" →
    "ヤマダ　タロウ"); ー ・ ヽ ヾ are allowed. "" for blank input. Raises ValidationError naming
    ``field`` (default ``name_kana``) listing the characters that are not kana.
    """
    text = _fold_kana(s)
    bad = list(dict.fromkeys(ch for ch in text if ch != " " and not _is_kana(ch)))  # in order typed
    if bad:
        raise ValidationError(
            _("Enter the reading in katakana ({chars} cannot be used).").format(chars="".join(bad[:10])),
            field_name=field,
        )
    return text.replace(" ", "\u3000")


def kana_search_key(s: str | None) -> str:
    """Key for searching readings: the folding of :func:`normalize_kana` (hiragana → katakana,
    half-width → full-width) without spaces or ・, and Latin letters case-folded. Never raises.

    Compare keys with keys: ``kana_search_key(query) in kana_search_key(stored)``; so "やまだたろう",
    "ﾔﾏﾀﾞ ﾀﾛｳ" and "ヤマダ　タロウ" all give "ヤマダタロウ".
    """
    try:
        text = _fold_kana(s)
    except Exception:  # defensive: a search box must never fail
        text = str(s or "")
    # Removing spaces may bring a combining mark next to a letter ("U ̄" from "U¯"): repeat
    # case folding, removal and NFKC until stable, so that the key of a key is the key.
    for _round in range(4):
        folded = unicodedata.normalize("NFKC", text.casefold().replace(" ", "").replace("・", ""))
        if folded == text:
            break
        text = folded
    return text


# --- phone numbers -------------------------------------------------------------------------

#: Prefixes of numbers with a fixed length and no area code (総務省 電気通信番号計画), for the
#: message naming the length a number needs: prefix → digits.
_NON_GEOGRAPHIC: dict[str, int] = {
    "0120": 10, "0570": 10, "0990": 10, "0800": 11,
    "020": 11, "050": 11, "070": 11, "080": 11, "090": 11,
}
#: An extension typed after the number: 内線 123, 内123, ext. 123, x123, #123, in brackets or not.
_EXTENSION = re.compile(r"^(.*?)[\s,、]*[(（]?\s*(?:内線|内|ext\.?|x|#)\s*[:：]?\s*(\d+)\s*[)）]?$", re.IGNORECASE)
#: A character a phone number may not have (digits 0–9, hyphen-likes, whitespace, parentheses and
#: dots separate its groups), and a run of separators.
_NOT_IN_PHONE = re.compile("[^0-9\\s()." + re.escape("".join(sorted(_HYPHENS))) + "]")
_PHONE_SEPARATOR = re.compile("[^0-9]+")
#: The longest extension accepted: the stored number ("090-1234-5678 内線1234") fits 20 characters.
_EXTENSION_DIGITS = 4


def _phone_groups(s: str, field: str) -> tuple[list[str], str]:
    """(the runs of digits in ``s``, the extension's digits or ""); separators: hyphen-likes,
    dots, spaces, parentheses; +81 → 0."""
    text = unicodedata.normalize("NFKC", s).strip()
    extension = ""
    found = _EXTENSION.match(text)
    if found is not None:
        text, extension = found.group(1).strip(), found.group(2)
    if text.startswith("+81"):
        text = "0" + text[3:].lstrip(" -()")
    if _NOT_IN_PHONE.search(text):
        raise ValidationError(_("Enter a phone number such as 055-123-4567."), field_name=field)
    return [g for g in _PHONE_SEPARATOR.split(text) if g], extension


def normalize_phone(s: str | None, *, field: str = "phone") -> str:
    """A Japanese phone number in the national format of Google's libphonenumber metadata
    (the ``phonenumbers`` package, kept up to date with 総務省's numbering plan): "055-282-1234",
    "0267-12-3456", "0466-12-3456", "090-1234-5678", "0120-123-456"; an extension follows as
    "055-282-1111 内線123". "" for blank input.

    Accepts full-width digits, any hyphen-like character, dots ("055.282.1111"), spaces,
    parentheses, +81 and an extension written 内線 / 内 / ext. / x / # (at most 4 digits). A
    mobile number typed 3-4-4 keeps that grouping where the same digits are also a valid 0800
    number (080-0000-0112 and 0800-000-0112). Raises ValidationError naming ``field`` for
    letters or other characters, a number not starting with 0, a wrong number of digits, or a
    number the numbering plan does not have (010…, an area code that does not exist); a mobile,
    IP or free-dial number of the right length is accepted even in a block the metadata does not
    list yet.

    Stored normalised, not as typed: a phone number is an identifier, not a name — the same
    number typed with other separators is the same number, and one written form lets the clerk
    read it and the duplicate check compare it; :func:`phone_search_key` keeps its digits.
    """
    if s is None or not s.strip():
        return ""
    import phonenumbers

    groups, extension = _phone_groups(s, field)
    digits = "".join(groups)
    typed = s.strip()
    if not digits:
        raise ValidationError(_("Enter a phone number such as 055-123-4567."), field_name=field)
    if not digits.startswith("0") or len(digits) < 3:
        raise ValidationError(
            _("Enter the phone number with its area code, starting with 0, such as 055-123-4567."),
            field_name=field,
        )
    if len(extension) > _EXTENSION_DIGITS:
        raise ValidationError(
            _("An extension has at most {count} digits: write it as 055-282-1111 内線123.").format(count=_EXTENSION_DIGITS),
            field_name=field,
        )
    number = _national_number(digits)
    valid = number is not None and phonenumbers.is_valid_number(number)
    if not valid:
        try:
            number = phonenumbers.parse(digits, "JP")
            valid = phonenumbers.is_valid_number(number) and phonenumbers.format_number(
                number, phonenumbers.PhoneNumberFormat.E164) == "+81" + digits[1:]
        except phonenumbers.NumberParseException:
            number, valid = None, False
    prefix = next((p for p in _NON_GEOGRAPHIC if digits.startswith(p)), None)
    if not valid and prefix is not None and len(digits) == _NON_GEOGRAPHIC[prefix] and number is not None:
        # a mobile / IP / free-dial number of the right length in a block the metadata does not
        # list yet (blocks are opened every year): accepted, written as the plan groups them
        valid = phonenumbers.is_possible_number(number)
    if not valid:
        if prefix is not None and len(digits) != _NON_GEOGRAPHIC[prefix]:
            raise ValidationError(
                _("{number} has {count} digits; a number starting with {prefix} has {expected} digits.").format(
                    number=typed, count=len(digits), prefix=prefix, expected=_NON_GEOGRAPHIC[prefix]
                ),
                field_name=field,
            )
        if digits[2] != "0" and len(digits) != 10:
            raise ValidationError(
                _("{number} has {count} digits; a landline number has 10 digits, such as 055-123-4567.").format(
                    number=typed, count=len(digits)
                ),
                field_name=field,
            )
        raise ValidationError(
            _("{number} does not look like a Japanese phone number.").format(number=typed),
            field_name=field,
        )
    if digits[:3] in ("060", "070", "080", "090") and len(digits) == 11 and tuple(map(len, groups)) == (3, 4, 4):
        formatted = "-".join(groups)  # 080-0000-0112 typed as a mobile stays one
    else:
        formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return f"{formatted} 内線{extension}" if extension else formatted


def _national_number(digits: str) -> phonenumbers.PhoneNumber | None:
    """The number ``phonenumbers.parse(digits, "JP")`` gives, made directly (parse is half of a
    phone check's time), for the digits of a number in the national format: 0, then not 0, and
    not the international prefix 010; None for other digits. When the number made is valid,
    parse gives the same (the national prefix 0 is stripped because what follows is a valid,
    hence viable and possible, national number; a test compares them); an invalid one is
    parsed as typed."""
    import phonenumbers

    if len(digits) < 3 or digits[0] != "0" or digits[1] == "0" or digits.startswith("010"):
        return None
    return phonenumbers.PhoneNumber(country_code=81, national_number=int(digits[1:]))


def phone_search_key(s: str | None) -> str:
    """Digits only, for searching phone numbers ("055-282-1234" → "0552821234"; +81 → 0); an
    extension (内線 …) is left out. Never raises."""
    text = unicodedata.normalize("NFKC", str(s or "")).strip()
    found = _EXTENSION.match(text)
    if found is not None:
        text = found.group(1)
    if text.startswith("+81"):
        text = "0" + text[3:]
    return "".join(ch for ch in text if "0" <= ch <= "9")


# --- postal codes, e-mail, web addresses ----------------------------------------------------

_POSTAL = re.compile(r"^(\d{3})-?(\d{4})$", re.ASCII)


def normalize_postal_code(s: str | None, *, field: str = "postal_code") -> str:
    """A postal code "NNN-NNNN"; "" for blank input.

    Accepts 〒, full-width digits, spaces and any hyphen-like character or none ("〒４０００３０６").
    Raises ValidationError naming ``field`` for anything but 7 digits.
    """
    text = normalize_text(s)
    if not text:
        return ""
    text = text.lstrip("〒").replace(" ", "")
    text = "".join("-" if ch in _HYPHENS else ch for ch in text)
    found = _POSTAL.match(text)
    if found is None:
        raise ValidationError(_("Enter a 7-digit postal code such as 400-0306."), field_name=field)
    return f"{found.group(1)}-{found.group(2)}"


_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}$",
    re.ASCII,
)


def validate_email(s: str | None, *, field: str = "email") -> str:
    """An e-mail address, NFKC-folded and stripped, its domain lowercased; "" for blank input.

    Pragmatic check: one @, an ASCII local part (consecutive dots allowed, as in old Japanese
    mobile addresses), an ASCII domain with a dot and a letter TLD, no spaces, at most 254
    characters. Raises ValidationError naming ``field`` otherwise.
    """
    text = normalize_text(s)
    if not text:
        return ""
    if len(text) > 254 or not _EMAIL.match(text):
        raise ValidationError(_("Enter an e-mail address such as info@example.jp."), field_name=field)
    local, domain = text.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def normalize_url(s: str | None, *, field: str = "url") -> str:
    """A web address: "https://" is added when no scheme was typed ("example.jp" →
    "https://example.jp"), the scheme is lowercased; "" for blank input.

    Lenient check: scheme http or https, a host name containing a dot, no spaces, quotes or angle
    brackets. Raises ValidationError naming ``field`` otherwise.
    """
    text = normalize_text(s)
    if not text:
        return ""
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        if parts.username is not None:
            host = ""  # user@host: not a web page address (e.g. mailto:a@b.jp)
    except ValueError:
        host, parts = "", None
    if (
        parts is None
        or parts.scheme.lower() not in ("http", "https")
        or "." not in host.strip(".")
        or any(ch.isspace() or ch in '<>"' for ch in text)
    ):
        raise ValidationError(_("Enter a web address starting with http:// or https://."), field_name=field)
    return parts.scheme.lower() + text[len(parts.scheme) :]


# --- dates ---------------------------------------------------------------------------------

_WESTERN = (
    re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$", re.ASCII),
    re.compile(r"^(\d{4})(年)(\d{1,2})月(\d{1,2})日$", re.ASCII),
    re.compile(r"^(\d{4})()(\d{2})(\d{2})$", re.ASCII),
)
_ERA_START = re.compile(r"^(明治|大正|昭和|平成|令和|[MTSHRmtshr])(元|\d)")


#: The dates the app accepts anywhere a date comes in — typed, imported, a spreadsheet's date cell,
#: a date picker: later arithmetic (the day after, the month's end, holidays) never overflows,
#: and a typing slip such as 9999/12/31 or 0206/4/1 is refused with a message instead.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2200, 12, 31)


def check_date_range(value: date, *, field: str = "date") -> date:
    """``value`` if it lies within :data:`EARLIEST_DATE` … :data:`LATEST_DATE`; otherwise
    ValidationError naming ``field``."""
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            _("{date} is outside the dates this app handles: enter a date from 1900/1/1 to 2200/12/31.").format(
                date=f"{value.year:04d}/{value.month}/{value.day}"),
            field_name=field,
        )
    return value


def as_date(value: date | datetime | str | None, *, field: str = "date") -> date | None:
    """A date from what a form or an import gives: a date (a spreadsheet's date cell, a date
    picker), a datetime (its day), text (:func:`parse_date`) or None / blank (None). Every date
    is checked with :func:`check_date_range`; ValidationError naming ``field`` otherwise."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return check_date_range(value, field=field)
    return parse_date(str(value), field=field)


def parse_date(s: str | None, *, field: str = "date") -> date | None:
    """A date typed or imported in any usual form; None for blank input.

    Accepts 2026-04-01, 2026/4/1, 2026.4.1, 20260401, 2026年4月1日, and 和暦 as
    :func:`~center_app.domain.wareki.parse_wareki` (令和8年4月1日, 令和元年5月1日, R8.4.1, H31.4.30);
    full-width digits, spaces and a trailing day of the week ("(水)", which must match). Raises
    ValidationError naming ``field`` for other text, for dates that do not exist (2026-02-30) and
    for dates outside 1900/1/1 … 2200/12/31 (:func:`check_date_range`).
    """
    if s is None or not s.strip():
        return None
    original = s.strip()
    prepared, weekday = split_weekday(prepare_date_text(s))
    for pattern in _WESTERN:
        found = pattern.match(prepared)
        if found:
            try:
                result = date(int(found.group(1)), int(found.group(3)), int(found.group(4)))
            except ValueError:
                raise invalid_date(original, field) from None
            return check_date_range(check_weekday(result, weekday, original, field), field=field)
    if _ERA_START.match(prepared):
        return check_date_range(parse_wareki(s, field=field), field=field)
    raise ValidationError(_("Enter a date such as 2026/4/1 or 令和8年4月1日."), field_name=field)


_MONTH_DAY = (
    re.compile(r"^(\d{1,2})[-/.](\d{1,2})$", re.ASCII),
    re.compile(r"^(\d{1,2})月(\d{1,2})日$", re.ASCII),
    re.compile(r"^(\d{2})(\d{2})$", re.ASCII),
)


def parse_date_entry(s: str | None, *, today: date, field: str = "date") -> date | None:
    """A date typed into a date field; None for blank input.

    Everything :func:`parse_date` reads (2027/01/11, 20270111, 2027年1月11日, 令和9年1月11日,
    R9.1.11, full-width digits, a trailing day of the week that must match), and a date without
    its year (1/11, 1-11, 1月11日, 0111), which is the nearest such day on or after ``today``:
    typed on 2026-12-29, 「1/11」 is 2027-01-11 and 「12/30」 is 2026-12-30 (2/29 is the next
    leap day). Raises ValidationError naming ``field`` for other text and for dates that do not
    exist.
    """
    if s is None or not s.strip():
        return None
    original = s.strip()
    prepared, weekday = split_weekday(prepare_date_text(s))
    for pattern in _MONTH_DAY:
        found = pattern.match(prepared)
        if found is None:
            continue
        month, day = int(found.group(1)), int(found.group(2))
        for year in range(today.year, today.year + 9):
            try:
                candidate = date(year, month, day)
            except ValueError:
                if not (month == 2 and day == 29):
                    raise invalid_date(original, field) from None
                continue
            if candidate >= today:
                return check_weekday(candidate, weekday, original, field)
        raise invalid_date(original, field)
    return parse_date(s, field=field)


_TIME_ENTRY = re.compile(r"^(\d{1,2})(?:[:：.]|時)(\d{1,2})分?$|^(\d{1,2})時?$|^(\d{1,2})(\d{2})$", re.ASCII)


def parse_time_entry(s: str | None, *, field: str = "time") -> time | None:
    """A time of day typed into a time field; None for blank input.

    Accepts 13:30, 13.30, 1330, 930, 13時30分, 13時, 13 and full-width digits (１３：３０);
    24:00 is read as 23:59 (the end of a day). Raises ValidationError naming ``field`` for other
    text or hours and minutes out of range.
    """
    if s is None or not s.strip():
        return None
    text = "".join(ch for ch in unicodedata.normalize("NFKC", s) if not ch.isspace())
    found = _TIME_ENTRY.match(text)
    if found is not None:
        if found.group(1) is not None:
            hour, minute = int(found.group(1)), int(found.group(2))
        elif found.group(3) is not None:
            hour, minute = int(found.group(3)), 0
        else:
            hour, minute = int(found.group(4)), int(found.group(5))
        if (hour, minute) == (24, 0):
            return time(23, 59)
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise ValidationError(_("Enter a time such as 13:30."), field_name=field)


_MONTH_WESTERN = re.compile(r"^(\d{4})(?:[-/.]|年)(\d{1,2})月?$", re.ASCII)
_MONTH_ERA = re.compile(r"^(明治|大正|昭和|平成|令和|[MTSHRmtshr])(元|\d{1,3})(?:[-/.]|年)(\d{1,2})月?$")


def parse_month_entry(s: str | None, *, field: str = "month") -> date | None:
    """A month typed into a month field, as the first day of that month; None for blank input.

    Accepts 2027/1, 2027-01, 2027.1, 2027年1月, R9.1, 令和9年1月 and full-width digits. Raises
    ValidationError naming ``field`` for other text.
    """
    if s is None or not s.strip():
        return None
    text = prepare_date_text(s)
    western = _MONTH_WESTERN.match(text)
    if western is not None and 1 <= int(western.group(2)) <= 12:
        return date(int(western.group(1)), int(western.group(2)), 1)
    era = _MONTH_ERA.match(text)
    if era is not None:
        name, year, month = era.group(1), era.group(2), era.group(3)
        written = f"{name}{year}年{month}月1日" if len(name) == 2 else f"{name}{year}.{month}.1"
        return parse_wareki(written, field=field)
    raise ValidationError(_("Enter a month such as 2027/1 or 令和9年1月."), field_name=field)
