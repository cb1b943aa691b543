"""The public site's pages, drawn from :class:`center_app.domain.site_values.SiteData` with the
Jinja2 templates of ``export/site_templates/`` (HTML escaped automatically; no JavaScript).

Layout (every link relative, so the folder works on any web server or a shared folder):
``index.html`` (the language choice), ``style.css``, and per language ``<code>/index.html``,
``<code>/facility-<id>-<yyyy-mm>.html`` (a month grid: one table per room, days × 区分),
``<code>/events.html``, ``<code>/event-<id>.html``, ``<code>/groups.html`` and
``<code>/groups-field-<code>.html`` (the directory filtered by 活動分野). The wording is the
``SITE`` table of each language in ``domain/document_texts``; やさしい日本語's ``{漢字|かんじ}``
becomes ``<ruby>``. Dates (days, month headings) are written with Babel's data of the language.
A room or facility is named in the page's language when 設定 → センター 「外国語の書類での名前」
names it so (:attr:`SiteData.names`); otherwise by its Japanese name (``lang="ja"``), a room with
its code beside it: 「会議室2 (M2)」.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from babel.dates import format_skeleton
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from center_app.domain import document_texts
from center_app.domain.site_values import CellState, SiteData, SiteEvent, SiteFacility, SiteGroup

TEMPLATES = Path(__file__).with_name("site_templates")
#: The ``lang`` attribute of each site language (BCP 47).
HTML_LANG = {"ja": "ja", "ja_easy": "ja", "en": "en", "pt_BR": "pt-BR", "es": "es", "zh_Hans": "zh-Hans", "tl": "tl", "th": "th", "vi": "vi"}
_RUBY = re.compile(r"\{([^{}|]+)\|([^{}]+)\}")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _locale(language: str) -> str:
    return "ja_JP" if language in ("ja", "ja_easy") else document_texts.babel_locale(language)


class _Words:
    """The ``SITE`` wording of one language for the templates: ``words("key", name=value)`` is
    HTML (ruby drawn, values escaped); ``words.plain("key", …)`` the text without ruby (titles)."""

    def __init__(self, language: str):
        self.table = document_texts.site_texts(language)

    def _fill(self, text: str, values: dict) -> str:
        return _PLACEHOLDER.sub(lambda m: str(escape(values[m.group(1)])) if m.group(1) in values else m.group(0), text)

    def __call__(self, key: str, **values) -> Markup:
        text = str(escape(self.table[key]))
        text = _RUBY.sub(lambda m: f"<ruby>{m.group(1)}<rp>(</rp><rt>{m.group(2)}</rt><rp>)</rp></ruby>", text)
        return Markup(self._fill(text, values))

    def plain(self, key: str, **values) -> str:
        text = _RUBY.sub(lambda m: m.group(1), self.table[key])
        return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, trim_blocks=True, lstrip_blocks=True,
                      undefined=StrictUndefined, keep_trailing_newline=True)
    env.filters["lines"] = lambda text: Markup("<br>".join(str(escape(line)) for line in str(text).splitlines()))
    return env


def month_file(facility: SiteFacility, first: dt.date) -> str:
    """The file name of a facility's month page: ``facility-3-2026-12.html``."""
    return f"facility-{facility.id}-{first:%Y-%m}.html"


def field_file(code: int) -> str:
    """The file name of the directory filtered by one 活動分野: ``groups-field-4.html``."""
    return f"groups-field-{code}.html"


def event_file(event: SiteEvent) -> str:
    """The file name of an event's page: ``event-12.html``."""
    return f"event-{event.id}.html"


def render_site(data: SiteData, languages: Sequence[str]) -> Iterator[tuple[str, bytes]]:
    """Every page and the style sheet of ``data`` in ``languages`` (site language codes), as
    (relative path, UTF-8 bytes), the language choice first, then language by language."""
    env = _environment()
    yield "style.css", (TEMPLATES / "style.css").read_bytes()
    names = {code: ("やさしい日本語" if code == "ja_easy" else document_texts.texts(code).NAME) for code in languages}
    choices = [(code, names[code], HTML_LANG[code]) for code in languages]
    yield "index.html", env.get_template("choose.html").render(
        choices=choices, center=data.center_name, words={c: _Words(c) for c in languages}).encode("utf-8")
    for code in languages:
        yield from _language_pages(env, data, code, choices)


def _language_pages(env: Environment, data: SiteData, code: str, choices) -> Iterator[tuple[str, bytes]]:
    words, locale = _Words(code), _locale(code)

    def day(value: dt.date) -> str:
        return format_skeleton("MMMEd", value, locale=locale)

    def long_day(value: dt.date) -> str:
        return format_skeleton("yMMMEd", value, locale=locale)

    def month(value: dt.date) -> str:
        return format_skeleton("yMMMM", value, locale=locale)

    def hours(start: dt.time | None, end: dt.time | None) -> str:
        if start is None:
            return ""
        return f"{start:%H:%M}–{end:%H:%M}" if end else f"{start:%H:%M}–"

    translated = {name: dict(pairs) for name, pairs in data.names}

    def place_text(name: str, room_code: str = "") -> str:
        """A room's or facility's name as text in this language (titles, sentences)."""
        if code in ("ja", "ja_easy"):
            return name
        own = translated.get(name, {}).get(code)
        if own:
            return own
        return f"{name} ({room_code})" if room_code else name

    def place(name: str, room_code: str = "") -> Markup:
        """The same as HTML: a Japanese name marked ``lang="ja"``, the room's code beside it."""
        own = translated.get(name, {}).get(code) if code not in ("ja", "ja_easy") else None
        if own:
            return Markup(escape(own))
        japanese = Markup('<span lang="ja">{}</span>').format(name)
        return japanese + Markup(" ({})").format(room_code) if room_code and code not in ("ja", "ja_easy") else japanese

    field_names = dict(data.fields)
    common = {
        "place": place, "place_text": place_text,
        "t": words, "lang": HTML_LANG[code], "code": code, "choices": choices, "data": data, "center": data.center_name,
        "day": day, "long_day": long_day, "month": month, "hours": hours, "month_file": month_file, "field_file": field_file,
        "event_file": event_file, "CellState": CellState, "field_names": field_names,
        "updated": f"{format_skeleton('yMMMd', data.generated_at, locale=locale)} {data.generated_at:%H:%M}",
    }

    def page(template: str, name: str, **values) -> tuple[str, bytes]:
        html = env.get_template(template).render(page=name, **common, **values)
        return f"{code}/{name}", html.encode("utf-8")

    yield page("index.html", "index.html")
    for facility in data.facilities:
        for item in facility.months:
            yield page("month.html", month_file(facility, item.first), facility=facility, current=item)
    yield page("events.html", "events.html")
    for event in data.events:
        yield page("event.html", event_file(event), event=event)
    yield page("groups.html", "groups.html", groups=data.groups, field=None)
    for field_code, _name in data.fields:
        chosen: list[SiteGroup] = [g for g in data.groups if field_code in g.fields]
        yield page("groups.html", field_file(field_code), groups=chosen, field=field_code)
