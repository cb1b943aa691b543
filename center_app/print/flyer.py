"""チラシ: an A4 portrait flyer for an event, in IPAex Gothic, from one of three templates.

The flyer shows the title, catch copy, date and time in 和暦 with the weekday, place, fee,
capacity, how to apply, contact, description, an optional picture and a QR code of a URL.
Options: やさしい日本語 labels and dates (with the Western date) and a free text in plain
Japanese, and a second-language block (English or Brazilian Portuguese) with a translated title
and text. The description shrinks to fit the space left; when even the smallest size does not
fit, the flyer is refused with a message saying how much to cut.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas

from center_app.domain.documents import FlyerEvent, FlyerOptions, Progress, flyer_option_problems
from center_app.domain.errors import FieldProblem, ValidationError
from center_app.i18n import _
from center_app.print import labels as L
from center_app.print.base import (
    A4,
    GlyphCheck,
    balanced_lines,
    draw_image_fit,
    draw_lines,
    draw_qr,
    fit_line,
    fit_paragraph,
    mm,
    new_canvas,
    optional_image,
    report_progress,
    text_width,
    time_range,
    wareki,
    western_date,
    wrap_text,
)
from center_app.print.fonts import register_fonts


@dataclass(frozen=True)
class _Theme:
    band: tuple[float, float, float] | None
    accent: tuple[float, float, float]
    label_fill: tuple[float, float, float] | None
    title_on_band: bool


THEMES = {
    "standard": _Theme(band=(0.05, 0.42, 0.50), accent=(0.05, 0.42, 0.50), label_fill=(0.88, 0.95, 0.95), title_on_band=True),
    "photo": _Theme(band=None, accent=(0.80, 0.30, 0.12), label_fill=(0.99, 0.92, 0.86), title_on_band=False),
    "simple": _Theme(band=None, accent=(0, 0, 0), label_fill=None, title_on_band=False),
}

_W, _H = A4
_M = 12 * mm
_CW = _W - 2 * _M
MIN_TEXT = 8.5


def validate(event: FlyerEvent, options: FlyerOptions, font: str) -> None:
    """Title and date are required; the template and language must exist; every character must
    be printable. Raises ValidationError / MissingGlyphError naming the fields."""
    problems = []
    if not event.title.strip():
        problems.append(FieldProblem("title", _("The event has no title: a flyer needs one.")))
    if event.event_date is None:
        problems.append(FieldProblem("event_date", _("The event has no date: a flyer needs one.")))
    problems += flyer_option_problems(options)
    if problems:
        raise ValidationError(problems)
    check = GlyphCheck(font)
    check.check(
        [
            ("title", event.title), ("catch_copy", event.catch_copy), ("place", event.place),
            ("organiser", event.organiser), ("co_hosts", event.co_hosts), ("supporters", event.supporters), ("fee_note", event.fee_note),
            ("how_to_apply", event.how_to_apply), ("contact", event.contact), ("description", event.description),
            ("easy_text", options.easy_text), ("translated_title", options.translated_title),
            ("translated_text", options.translated_text),
        ]
    )
    check.raise_if_any()


def render_flyer(event: FlyerEvent, options: FlyerOptions = FlyerOptions(), *, copies: int = 1, progress: Progress | None = None, skip_unreadable_images: bool = False) -> bytes:
    """The flyer as a one-page PDF (``copies`` identical pages). Raises ValidationError for a
    missing title or date or a description too long for the template, MissingGlyphError,
    ImageUnreadable for the picture (unless ``skip_unreadable_images``)."""
    gothic, _mincho = register_fonts()
    validate(event, options, gothic)
    image = optional_image(event.image_path, "image_path", skip_unreadable_images)
    scale = _image_scale(event, options, image, gothic)
    canvas, buffer = new_canvas(A4, gothic, event.title)
    canvas.beginForm("flyer")
    _Flyer(canvas, event, options, image, gothic, scale).draw()
    canvas.endForm()
    for index in range(max(copies, 1)):
        canvas.doForm("flyer")
        canvas.showPage()
        report_progress(progress, index + 1, copies)
    canvas.save()
    return buffer.getvalue()


class _DescriptionTooLong(ValidationError):
    """The description does not fit in the space the template leaves."""


def _image_scale(event: FlyerEvent, options: FlyerOptions, image, font: str) -> float:
    """The largest picture size (1, 0.8, 0.65, 0.5 of the template's) that leaves the
    description room, found by laying the flyer out on a scratch canvas."""
    if image is None:
        return 1.0
    scales = (1.0, 0.8, 0.65, 0.5)
    for scale in scales:
        scratch, _buffer = new_canvas(A4, font, "")
        try:
            _Flyer(scratch, event, options, image, font, scale).draw()
        except _DescriptionTooLong:
            continue
        return scale
    return scales[-1]


class _Flyer:
    """One flyer being laid out: bottom blocks first (footer, languages, details), then the top
    blocks, then the description in the space between."""

    def __init__(self, canvas: Canvas, event: FlyerEvent, options: FlyerOptions, image, font: str, image_scale: float = 1.0):
        self.c, self.e, self.o, self.image, self.font = canvas, event, options, image, font
        self.scale = image_scale
        self.theme = THEMES[options.template]
        self.lang = L.EASY_JAPANESE if options.easy_japanese else L.JAPANESE

    # --- content ---------------------------------------------------------------------------

    def label(self, key: str, **values: object) -> str:
        return L.label(self.lang, key, **values)

    def fee_text(self, language: str | None = None) -> str:
        language = language or self.lang
        if self.e.fee_yen is None:
            return self.e.fee_note
        amount = L.label(language, "free") if self.e.fee_yen == 0 else L.label(language, "yen", amount=f"{self.e.fee_yen:,}")
        return f"{amount}（{self.e.fee_note}）" if self.e.fee_note and language in (L.JAPANESE, L.EASY_JAPANESE) else (f"{amount} ({self.e.fee_note})" if self.e.fee_note else amount)

    def date_lines(self) -> list[tuple[str, float]]:
        """(text, size) lines of the date block: 和暦 with weekday, the time, and the Western or
        やさしい日本語 date where asked for."""
        day = self.e.event_date
        assert day is not None
        lines = [(wareki(day, weekday=True), 24.0)]
        times = time_range(self.e.start_time, self.e.end_time)
        if times:
            lines.append((times, 20.0))
        if self.o.easy_japanese:
            lines.append((L.easy_date(day), 13.0))
            easy = L.easy_time(self.e.start_time, self.e.end_time)
            if easy:
                lines.append((easy, 13.0))
        elif self.o.second_language:
            lines.append((f"（{western_date(day)}）", 12.0))
        return lines

    def rows(self) -> list[tuple[str, str]]:
        e = self.e
        rows = [(self.label("where"), e.place)]
        fee = self.fee_text()
        rows.append((self.label("fee"), fee))
        if e.capacity:
            rows.append((self.label("capacity"), self.label("people", count=e.capacity)))
        rows += [(self.label("apply"), e.how_to_apply), (self.label("contact"), e.contact)]
        return [(k, v) for k, v in rows if v.strip()]

    # --- drawing helpers -----------------------------------------------------------------------

    def table(self, rows: list[tuple[str, str]], x: float, y_top: float, width: float, *, draw: bool, size: float = 11.0) -> float:
        """The label / value table; returns its height (drawn only when ``draw``)."""
        label_w = max([text_width(k, self.font, size) for k, _v in rows] + [0]) + 5 * mm
        value_w = width - label_w - 3 * mm - size * 0.6  # room for a hanging 。
        y = y_top
        for key, value in rows:
            lines = wrap_text(value, self.font, size, value_w)
            height = max(len(lines), 1) * size * 1.4 + 2.2 * mm
            if draw:
                c = self.c
                if self.theme.label_fill:
                    c.setFillColorRGB(*self.theme.label_fill)
                    c.rect(x, y - height, label_w, height, stroke=0, fill=1)
                c.setFillColorRGB(*self.theme.accent)
                c.setFont(self.font, size)
                c.drawString(x + 2 * mm, y - 1.1 * mm - size * 0.9, key)
                c.setFillColorRGB(0, 0, 0)
                draw_lines(c, lines, self.font, size, x + label_w + 3 * mm, y - 1.1 * mm, leading=1.4)
                c.setStrokeColorRGB(0.6, 0.6, 0.6)
                c.setLineWidth(0.4)
                c.line(x, y - height, x + width, y - height)
            y -= height
        return y_top - y

    def footer(self) -> float:
        """主催 / 共催 / 後援 on the bottom line; returns the y above it."""
        parts = []
        if self.e.organiser:
            parts.append(f"{self.label('organiser')}：{self.e.organiser}")
        if self.e.co_hosts:
            parts.append(f"{self.label('co_hosts')}：{self.e.co_hosts}")
        if self.e.supporters:
            parts.append(f"{self.label('supporters')}：{self.e.supporters}")
        if not parts:
            return _M
        text = "　".join(parts)
        fitted = fit_paragraph(text, self.font, _CW, 12 * mm, 10, 7, leading=1.35)
        size, lines = fitted if fitted else (7, wrap_text(text, self.font, 7, _CW)[:3])
        height = (len(lines) - 1) * size * 1.35 + size
        c = self.c
        if self.theme.band and self.theme.title_on_band:
            c.setFillColorRGB(*self.theme.band)
            c.rect(0, 0, _W, _M + height + 3 * mm, stroke=0, fill=1)
            c.setFillColorRGB(1, 1, 1)
        else:
            c.setStrokeColorRGB(*self.theme.accent)
            c.setLineWidth(0.8)
            c.line(_M, _M + height + 2 * mm, _W - _M, _M + height + 2 * mm)
            c.setFillColorRGB(0, 0, 0)
        draw_lines(c, lines, self.font, size, _M, _M + height, leading=1.35, align="center", width=_CW)
        c.setFillColorRGB(0, 0, 0)
        return _M + height + 5 * mm

    def language_block(self, bottom: float) -> float:
        """The second-language block above ``bottom``; returns the y above it."""
        language = self.o.second_language
        if not language:
            return bottom
        e = self.e
        size = 9.5
        text_lines: list[tuple[str, float]] = []
        title = self.o.translated_title.strip()
        if title:
            text_lines.append((title, 12.5))
        assert e.event_date is not None
        when = f"{L.foreign_date(e.event_date, language)} {L.foreign_time(e.start_time, e.end_time)}".strip()
        facts = [f"{L.label(language, 'when')}: {when}"]
        if e.place:
            facts.append(f"{L.label(language, 'where')}: {e.place}")
        fee = self.fee_text(language)
        if fee:
            facts.append(f"{L.label(language, 'fee')}: {fee}")
        if e.capacity:
            facts.append(f"{L.label(language, 'capacity')}: {L.label(language, 'people', count=e.capacity)}")
        body = self.o.translated_text.strip() or L.label(language, "details")
        width = _CW - 8 * mm
        lines: list[tuple[str, float]] = []
        for text, s in text_lines:
            lines += [(line, s) for line in wrap_text(text, self.font, s, width)]
        for fact in facts:
            lines += [(line, size) for line in wrap_text(fact, self.font, size, width)]
        body_size = size
        body_lines = wrap_text(body, self.font, body_size, width)
        while len(body_lines) > 6 and body_size > 7.5:
            body_size -= 0.5
            body_lines = wrap_text(body, self.font, body_size, width)
        lines += [(line, body_size) for line in body_lines[:8]]
        heading = L.label(language, "heading")
        height = 7 * mm + sum(s * 1.35 for _t, s in lines) + 3 * mm
        top = bottom + height
        c = self.c
        c.setStrokeColorRGB(*self.theme.accent)
        c.setLineWidth(1)
        c.roundRect(_M, bottom, _CW, height, 2 * mm, stroke=1, fill=0)
        c.setFillColorRGB(*self.theme.accent)
        c.setFont(self.font, 10)
        c.drawString(_M + 4 * mm, top - 5.5 * mm, heading)
        c.setFillColorRGB(0, 0, 0)
        y = top - 7 * mm - 1.5 * mm
        for line, s in lines:
            c.setFont(self.font, s)
            c.drawString(_M + 4 * mm, y - s * 0.88, line)
            y -= s * 1.35
        return top + 4 * mm

    def easy_block(self, y_top: float, *, draw: bool) -> float:
        """The free text in やさしい日本語; returns its height."""
        text = self.o.easy_text.strip()
        if not text:
            return 0.0
        size = 14.0
        lines = wrap_text(text, self.font, size, _CW - 8 * mm)
        while len(lines) > 4 and size > 10:
            size -= 0.5
            lines = wrap_text(text, self.font, size, _CW - 8 * mm)
        lines = lines[:7]
        height = len(lines) * size * 1.45 + 6 * mm
        if draw:
            c = self.c
            c.setFillColorRGB(0.97, 0.95, 0.80) if self.theme.label_fill else c.setFillColorRGB(1, 1, 1)
            c.setStrokeColorRGB(*self.theme.accent)
            c.roundRect(_M, y_top - height, _CW, height, 2 * mm, stroke=1, fill=1)
            c.setFillColorRGB(0, 0, 0)
            draw_lines(c, lines, self.font, size, _M + 4 * mm, y_top - 3 * mm, leading=1.45)
        return height + 4 * mm

    def details(self, bottom: float) -> float:
        """The table of details with the QR code on its right; returns the y above it."""
        rows = self.rows()
        qr = 28 * mm if self.e.url else 0.0
        table_w = _CW - (qr + 4 * mm if qr else 0)
        size = 12.0
        height = self.table(rows, _M, 0, table_w, draw=False, size=size)
        while height > 80 * mm and size > 8:
            size -= 0.5
            height = self.table(rows, _M, 0, table_w, draw=False, size=size)
        block = max(height, qr + 5 * mm if qr else 0)
        top = bottom + block
        self.table(rows, _M, top, table_w, draw=True, size=size)
        if qr:
            draw_qr(self.c, self.e.url, _W - _M - qr, top - qr, qr, quiet_zone=2)
            self.c.setFont(self.font, 8)
            self.c.setFillColorRGB(0, 0, 0)
            self.c.drawCentredString(_W - _M - qr / 2, top - qr - 3.5 * mm, self.label("scan"))
        return top + 5 * mm

    def description(self, y_top: float, bottom: float, x: float = _M, width: float = _CW) -> None:
        text = self.e.description.strip()
        if not text:
            return
        height = y_top - bottom
        fitted = fit_paragraph(text, self.font, width, height, 15, MIN_TEXT, leading=1.6) if height > MIN_TEXT else None
        if fitted is None:
            lines = wrap_text(text, self.font, MIN_TEXT, width)
            fits = max(int((height - MIN_TEXT) / (MIN_TEXT * 1.6)) + 1, 0) if height > MIN_TEXT else 0
            shown = "".join(lines[:fits])
            excess = max(len(text.replace("\n", "")) - len(shown), 1)
            raise _DescriptionTooLong(
                [FieldProblem("description", _("The description is too long for this flyer: shorten it by about {count} characters, or choose another template.").format(count=excess))]
            )
        size, lines = fitted
        draw_lines(self.c, lines, self.font, size, x, y_top, leading=1.6)

    def title_lines(self, width: float, size: float, min_size: float) -> tuple[float, list[str]]:
        """The title on one line, or on two, broken at a space when it has one."""
        fitted = balanced_lines(self.e.title, self.font, size, width, min_size, leading=1.2)
        if fitted is None:
            raise ValidationError([FieldProblem("title", _("The title is too long for a flyer: shorten it."))])
        return fitted

    def date_block(self, x: float, y_top: float, width: float) -> float:
        """The date and time (large, in the accent colour), then the smaller lines; returns the y below."""
        c = self.c
        y = y_top
        for index, (line, size) in enumerate(self.date_lines()):
            s = fit_line(line, self.font, size, width, 8) or 8
            c.setFillColorRGB(*self.theme.accent) if s >= 16 or index < 2 and size >= 20 else c.setFillColorRGB(0, 0, 0)
            c.setFont(self.font, s)
            c.drawString(x, y - s * 0.88, line)
            y -= s * 1.3
        c.setFillColorRGB(0, 0, 0)
        return y - 2 * mm

    # --- templates -----------------------------------------------------------------------------

    def draw(self) -> None:
        bottom = self.footer()
        bottom = self.language_block(bottom)
        bottom = self.details(bottom)
        getattr(self, f"_top_{self.o.template}")(bottom)

    def _top_standard(self, bottom: float) -> None:
        c, t = self.c, self.theme
        size, lines = self.title_lines(_CW, 34, 16)
        catch = self.e.catch_copy.strip()
        band_h = 14 * mm + (len(lines) - 1) * size * 1.2 + size + (9 * mm if catch else 0)
        c.setFillColorRGB(*t.band)
        c.rect(0, _H - band_h, _W, band_h, stroke=0, fill=1)
        c.setFillColorRGB(1, 1, 1)
        y = _H - 8 * mm
        if catch:
            s = fit_line(catch, self.font, 14, _CW, 8) or 8
            c.setFont(self.font, s)
            c.drawCentredString(_W / 2, y - s * 0.88, catch)
            y -= 9 * mm
        draw_lines(c, lines, self.font, size, _M, y, leading=1.2, align="center", width=_CW)
        c.setFillColorRGB(0, 0, 0)
        y = _H - band_h - 7 * mm
        if self.image is not None:
            img_w, img_h = 78 * mm * self.scale, 58 * mm * self.scale
            draw_image_fit(c, self.image, _W - _M - img_w, y - img_h, img_w, img_h)
            date_w = _CW - img_w - 5 * mm
            after_date = self.date_block(_M, y, date_w)
            text_bottom = min(after_date, y - img_h - 4 * mm)
            easy_h = self.easy_block(text_bottom, draw=False)
            self.easy_block(text_bottom, draw=True)
            self.description(text_bottom - easy_h, bottom)
        else:
            y = self.date_block(_M, y, _CW)
            easy_h = self.easy_block(y, draw=True)
            self.description(y - easy_h, bottom)

    def _top_photo(self, bottom: float) -> None:
        c, t = self.c, self.theme
        y = _H - _M
        if self.image is not None:
            img_h = 95 * mm * self.scale
            x0, y0, w, h = draw_image_fit(c, self.image, _M, y - img_h, _CW, img_h)
            y = y0 - 5 * mm
        else:
            c.setFillColorRGB(*t.accent)
            c.rect(0, _H - 18 * mm, _W, 18 * mm, stroke=0, fill=1)
            y = _H - 24 * mm
        catch = self.e.catch_copy.strip()
        if catch:
            s = fit_line(catch, self.font, 15, _CW, 8) or 8
            c.setFillColorRGB(*t.accent)
            c.setFont(self.font, s)
            c.drawCentredString(_W / 2, y - s * 0.88, catch)
            y -= s * 1.5
        size, lines = self.title_lines(_CW, 36, 16)
        c.setFillColorRGB(0.1, 0.1, 0.1)
        y = draw_lines(c, lines, self.font, size, _M, y, leading=1.2, align="center", width=_CW) - 5 * mm
        c.setStrokeColorRGB(*t.accent)
        c.setLineWidth(2)
        c.line(_M + 30 * mm, y + 2 * mm, _W - _M - 30 * mm, y + 2 * mm)
        y -= 3 * mm
        y = self.date_block(_M, y, _CW)
        easy_h = self.easy_block(y, draw=True)
        self.description(y - easy_h, bottom)

    def _top_simple(self, bottom: float) -> None:
        c = self.c
        y = _H - _M - 2 * mm
        catch = self.e.catch_copy.strip()
        if catch:
            s = fit_line(catch, self.font, 13, _CW, 8) or 8
            c.setFont(self.font, s)
            c.drawCentredString(_W / 2, y - s * 0.88, catch)
            y -= s * 1.6
        size, lines = self.title_lines(_CW, 32, 16)
        y = draw_lines(c, lines, self.font, size, _M, y, leading=1.2, align="center", width=_CW) - 3 * mm
        c.setLineWidth(1.5)
        c.line(_M, y, _W - _M, y)
        c.setLineWidth(0.5)
        c.line(_M, y - 1.2 * mm, _W - _M, y - 1.2 * mm)
        y -= 7 * mm
        width = _CW
        if self.image is not None:
            img_w, img_h = 62 * mm * self.scale, 48 * mm * self.scale
            draw_image_fit(c, self.image, _W - _M - img_w, y - img_h, img_w, img_h)
            width = _CW - img_w - 5 * mm
        after = self.date_block(_M, y, width)
        if self.image is not None:
            after = min(after, y - img_h - 4 * mm)
        easy_h = self.easy_block(after, draw=True)
        self.description(after - easy_h, bottom)
