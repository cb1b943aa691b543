"""Labels printed on documents, per document language.

Documents are Japanese; a flyer may add blocks in the applicants' languages (their wording is in
:mod:`center_app.domain.document_texts`), or use
やさしい日本語 (plain Japanese for residents still learning it: short words, hiragana, the
Western calendar beside 和暦). These are fixed printed labels, not UI messages, so they live
here rather than in the UI catalog; each language is a whole set, never pieced together.
"""

from __future__ import annotations

from datetime import date, time

from babel.dates import format_date

from center_app.domain import document_texts
from center_app.domain.documents import FLYER_SECOND_LANGUAGES, DocumentLanguage
from center_app.print.ruby import easy_date_text

JAPANESE, EASY_JAPANESE, ENGLISH, PORTUGUESE = DocumentLanguage.JA, DocumentLanguage.EASY_JA, DocumentLanguage.EN, DocumentLanguage.PT_BR

LABELS: dict[str, dict[str, str]] = {
    JAPANESE: {
        "when": "日時", "where": "会場", "fee": "参加費", "capacity": "定員", "apply": "申込方法",
        "contact": "問合せ", "organiser": "主催", "co_hosts": "共催", "supporters": "後援", "free": "無料",
        "yen": "{amount}円", "people": "{count}人", "scan": "詳しくはこちら",
    },
    EASY_JAPANESE: {
        "when": "いつ", "where": "どこ", "fee": "おかね", "capacity": "なんにん", "apply": "もうしこみ",
        "contact": "しつもん", "organiser": "する ところ", "co_hosts": "いっしょに する ところ", "supporters": "おうえん する ところ",
        "free": "むりょう（おかねは いりません）", "yen": "{amount}えん", "people": "{count}にん まで",
        "scan": "くわしくは ここ",
    },
    **{str(code): document_texts.texts(code).FLYER for code in FLYER_SECOND_LANGUAGES},
}



def label(language: str, key: str, **values: object) -> str:
    """The printed label ``key`` in ``language`` with its placeholders filled."""
    return LABELS[language][key].format(**values)


def easy_date(day: date) -> str:
    """やさしい日本語の日付 in kana, with the day's own reading: "2026ねん 12がつ ようか（かようび）",
    "2026ねん 11がつ 29にち（にちようび）" (:func:`center_app.print.ruby.easy_date_text`; documents draw
    the same date as kanji with ルビ, :func:`~center_app.print.ruby.easy_date_segments`)."""
    return easy_date_text(day)


def easy_time(start: time | None, end: time | None) -> str:
    """"ごご 1じ ～ ごご 3じ30ぷん" (12-hour, hiragana)."""

    def one(t: time) -> str:
        half = "ごぜん" if t.hour < 12 else "ごご"
        hour = t.hour % 12 if t.hour % 12 else 12
        # 分 is read ふん after 2, 5, 7, 9 and ぷん after 1, 3, 4, 6, 8, 0 (じゅっぷん, さんじゅっぷん).
        minute = f"{t.minute}{'ふん' if t.minute % 10 in (2, 5, 7, 9) else 'ぷん'}" if t.minute else ""
        return f"{half} {hour}じ{minute}"

    if start is None:
        return ""
    return one(start) + (f" ～ {one(end)}" if end is not None else " から")


def foreign_date(day: date, language: str) -> str:
    """The date written out in ``language`` (Babel's locale data): "Sunday, November 29, 2026" /
    "domingo, 29 de novembro de 2026" / "2026年11月29日星期日"."""
    return format_date(day, format="full", locale=document_texts.babel_locale(language))


def foreign_time(start: time | None, end: time | None) -> str:
    """"13:00–15:00" (24-hour, understood in both languages)."""
    if start is None:
        return ""
    text = f"{start.hour}:{start.minute:02d}"
    return text + (f"–{end.hour}:{end.minute:02d}" if end is not None else "")
