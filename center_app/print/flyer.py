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
from center_app.print.ruby import RUBY_SCALE, Segment, draw_ruby_line, easy_date_segments, ruby_segments, wrap_segments
from center_app.print.fonts import chain_for, register_fonts


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
            ("translated_text", options.translated_text), ("third_title", options.third_title), ("third_text", options.third_text),
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
    scale, grow, pad = _fill_page(event, options, image, gothic)
    canvas, buffer = new_canvas(A4, gothic, event.title)
    canvas.beginForm("flyer")
    _Flyer(canvas, event, options, image, gothic, scale, grow, pad).draw()
    canvas.endForm()
    for index in range(max(copies, 1)):
        canvas.doForm("flyer")
        canvas.showPage()
        report_progress(progress, index + 1, copies)
    canvas.save()
    return buffer.getvalue()


class _DescriptionTooLong(ValidationError):
    """The description does not fit in the space the template leaves."""


def _trial(event: FlyerEvent, options: FlyerOptions, image, font: str, scale: float, grow: float) -> _Flyer | None:
    """The flyer laid out on a scratch canvas, or None when its description does not fit."""
    scratch, _buffer = new_canvas(A4, font, "")
    flyer = _Flyer(scratch, event, options, image, font, scale, grow)
    try:
        flyer.draw()
    except _DescriptionTooLong:
        return None
    return flyer


#: How much larger than the template's sizes a flyer with little text is drawn (title, date,
#: table, QR code, picture and description grow together).
GROW_STEPS = (2.0, 1.8, 1.65, 1.5, 1.4, 1.3, 1.2, 1.1, 1.0)


def _fill_page(event: FlyerEvent, options: FlyerOptions, image, font: str) -> tuple[float, float, float]:
    """(picture scale, growth, padding) that fill the page, found by laying the flyer out on
    scratch canvases: the largest picture (1, 0.8, 0.65, 0.5 of the template's) that leaves the
    description room; then the largest growth (:data:`GROW_STEPS`) at which everything still fits
    without the description's type getting smaller than at the template's sizes; what is still
    left over is shared as space between the blocks (points)."""
    scale = 1.0
    if image is not None:
        for scale in (1.0, 0.8, 0.65, 0.5):
            if _trial(event, options, image, font, scale, 1.0) is not None:
                break
    base = _trial(event, options, image, font, scale, 1.0)
    if base is None:
        return scale, 1.0, 0.0
    for grow in GROW_STEPS:
        flyer = base if grow == 1.0 else _trial(event, options, image, font, scale, grow)
        if flyer is not None and flyer.slack >= 0 and flyer.text_size >= base.text_size:
            return scale, grow, max(flyer.slack, 0.0) / 5
    return scale, 1.0, max(base.slack, 0.0) / 5


class _Flyer:
    """One flyer being laid out: bottom blocks first (footer, languages, details), then the top
    blocks, then the description in the space between."""

    def __init__(self, canvas: Canvas, event: FlyerEvent, options: FlyerOptions, image, font: str, image_scale: float = 1.0, grow: float = 1.0, pad: float = 0.0):
        self.c, self.e, self.o, self.image, self.font = canvas, event, options, image, font
        self.scale = image_scale
        #: Sizes × ``grow`` (see :func:`_fill_page`); ``pad``: extra space after each top block.
        self.grow, self.pad = grow, pad
        #: Measured while drawing: the description's type size and the height left unused.
        self.text_size, self.slack = 0.0, 0.0
        self.date_width = 0.0  # set by date_block
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

    def date_lines(self) -> list[tuple[str | list[Segment], float]]:
        """(text, size) lines of the date block: 和暦 with weekday, the time, and the Western or
        やさしい日本語 date where asked for (the latter as segments with ルビ, :mod:`.ruby`)."""
        day = self.e.event_date
        assert day is not None
        lines = [(wareki(day, weekday=True), 24.0)]
        times = time_range(self.e.start_time, self.e.end_time)
        if times:
            lines.append((times, 20.0))
        if self.o.easy_japanese:
            lines.append((easy_date_segments(day), 13.0))
            easy = L.easy_time(self.e.start_time, self.e.end_time)
            if easy:
                lines.append((easy, 13.0))
        elif self.o.second_language:
            lines.append((f"（{western_date(day)}）", 12.0))
        return self._grown(lines)

    def _grown(self, lines: list) -> list:
        """``lines`` (text, size) at the flyer's growth; lines too wide for the date block's
        width (``date_width``) shrink together, so the date stays the largest line."""
        lines = [(text, size * self.grow) for text, size in lines]
        if self.date_width:
            shrink = min([1.0] + [self.date_width / text_width(t, self.font, s) for t, s in lines if isinstance(t, str) and t])
            lines = [(t, max(s * shrink, min(s, 8.0))) for t, s in lines]
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
        """The blocks in other languages above ``bottom`` (the first one on top); returns the y above them."""
        for language, title, text in reversed(self.o.language_blocks):
            bottom = self.one_language_block(bottom, language, title, text)
        return bottom

    def one_language_block(self, bottom: float, language: str, title: str, text: str) -> float:
        """One block in ``language`` above ``bottom``: heading, title, date, place, fee, capacity
        and the translated text (or a line saying the details are in Japanese); returns the y above it."""
        font = chain_for(self.font, language)  # Chinese glyph shapes in a zh_Hans block
        e = self.e
        size = 9.5
        text_lines: list[tuple[str, float]] = []
        title = title.strip()
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
        body = text.strip() or L.label(language, "details")
        width = _CW - 8 * mm
        lines: list[tuple[str, float]] = []
        for line_text, s in text_lines:
            lines += [(line, s) for line in wrap_text(line_text, font, s, width)]
        for fact in facts:
            lines += [(line, size) for line in wrap_text(fact, font, size, width)]
        body_size = size
        body_lines = wrap_text(body, font, body_size, width)
        while len(body_lines) > 6 and body_size > 7.5:
            body_size -= 0.5
            body_lines = wrap_text(body, font, body_size, width)
        lines += [(line, body_size) for line in body_lines[:8]]
        heading = L.label(language, "heading")
        height = 7 * mm + sum(s * 1.35 for _t, s in lines) + 3 * mm
        top = bottom + height
        c = self.c
        c.setStrokeColorRGB(*self.theme.accent)
        c.setLineWidth(1)
        c.roundRect(_M, bottom, _CW, height, 2 * mm, stroke=1, fill=0)
        c.setFillColorRGB(*self.theme.accent)
        c.setFont(font, 10)
        c.drawString(_M + 4 * mm, top - 5.5 * mm, heading)
        c.setFillColorRGB(0, 0, 0)
        y = top - 7 * mm - 1.5 * mm
        for line, s in lines:
            c.setFont(font, s)
            c.drawString(_M + 4 * mm, y - s * 0.88, line)
            y -= s * 1.35
        return top + 4 * mm

    def easy_block(self, y_top: float, *, draw: bool) -> float:
        """The free text in やさしい日本語, its kanji with ルビ (:mod:`.ruby`); returns its height."""
        text = self.o.easy_text.strip()
        if not text:
            return 0.0
        size = 14.0
        segments = ruby_segments(text)
        lines = wrap_segments(segments, self.font, size, _CW - 8 * mm)
        while len(lines) > 4 and size > 10:
            size -= 0.5
            lines = wrap_segments(segments, self.font, size, _CW - 8 * mm)
        lines = lines[:7]
        leading = size * (1 + RUBY_SCALE) * 1.2
        height = len(lines) * leading + 6 * mm
        if draw:
            c = self.c
            c.setFillColorRGB(0.97, 0.95, 0.80) if self.theme.label_fill else c.setFillColorRGB(1, 1, 1)
            c.setStrokeColorRGB(*self.theme.accent)
            c.roundRect(_M, y_top - height, _CW, height, 2 * mm, stroke=1, fill=1)
            c.setFillColorRGB(0, 0, 0)
            baseline = y_top - 3 * mm - size * RUBY_SCALE - size * 0.88
            for line in lines:
                draw_ruby_line(c, line, self.font, size, _M + 4 * mm, baseline)
                baseline -= leading
        return height + 4 * mm

    def details(self, bottom: float) -> float:
        """The table of details with the QR code on its right; returns the y above it."""
        rows = self.rows()
        qr = min(28 * mm * self.grow, 42 * mm) if self.e.url else 0.0
        table_w = _CW - (qr + 4 * mm if qr else 0)
        size = min(12.0 * self.grow, 17.0)
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
        """The description in the space between ``y_top`` and ``bottom``, as large as fits (up to
        15 pt × growth, 26 pt at most); records the size and the height left unused (negative: the top blocks
        overran the bottom ones). Raises _DescriptionTooLong."""
        text = self.e.description.strip()
        height = y_top - bottom
        if not text:
            self.text_size, self.slack = 99.0, height
            return
        largest = min(15 * self.grow, 26.0)
        width -= (largest - 15) * 0.5  # a grown 。 hanging past the line stays off the page's edge
        fitted = fit_paragraph(text, self.font, width, height, largest, MIN_TEXT, leading=1.6) if height > MIN_TEXT else None
        if fitted is None:
            lines = wrap_text(text, self.font, MIN_TEXT, width)
            fits = max(int((height - MIN_TEXT) / (MIN_TEXT * 1.6)) + 1, 0) if height > MIN_TEXT else 0
            shown = "".join(lines[:fits])
            excess = max(len(text.replace("\n", "")) - len(shown), 1)
            raise _DescriptionTooLong(
                [FieldProblem("description", _("The description is too long for this flyer: shorten it by about {count} characters, or choose another template.").format(count=excess))]
            )
        size, lines = fitted
        self.text_size, self.slack = size, height - ((len(lines) - 1) * size * 1.6 + size)
        draw_lines(self.c, lines, self.font, size, x, y_top - self.pad, leading=1.6)  # as much space below it

    def title_lines(self, width: float, size: float, min_size: float) -> tuple[float, list[str]]:
        """The title on one line, or on two, broken at a space when it has one; ``size`` is the
        template's, × growth: a grown title keeps the lines it has at the template's size."""
        fitted = balanced_lines(self.e.title, self.font, size, width, min_size, leading=1.2)
        if fitted is None:
            raise ValidationError([FieldProblem("title", _("The title is too long for a flyer: shorten it."))])
        if self.grow > 1:
            base = balanced_lines(self.e.title, self.font, size / self.grow, width, min_size, leading=1.2)
            if base is not None and len(base[1]) < len(fitted[1]):
                one = fit_line(self.e.title, self.font, size, width, base[0])
                if one is not None:
                    return one, [self.e.title]
        return fitted

    def date_block(self, x: float, y_top: float, width: float) -> float:
        """The date and time (large, in the accent colour), then the smaller lines; returns the y below."""
        self.date_width = width
        c = self.c
        y = y_top
        for index, (line, size) in enumerate(self.date_lines()):
            if not isinstance(line, str):  # a line with ルビ: room for the readings above it
                c.setFillColorRGB(0, 0, 0)
                y -= size * RUBY_SCALE
                draw_ruby_line(c, line, self.font, size, x, y - size * 0.88)
                y -= size * 1.3
                continue
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
        size, lines = self.title_lines(_CW, 34 * self.grow, 16)
        catch = self.e.catch_copy.strip()
        catch_size = 14 * min(self.grow, 1.4)
        band_h = 14 * mm + (len(lines) - 1) * size * 1.2 + size + (catch_size * 1.8 if catch else 0) + self.pad
        c.setFillColorRGB(*t.band)
        c.rect(0, _H - band_h, _W, band_h, stroke=0, fill=1)
        c.setFillColorRGB(1, 1, 1)
        y = _H - 8 * mm - self.pad / 2
        if catch:
            s = fit_line(catch, self.font, catch_size, _CW, 8) or 8
            c.setFont(self.font, s)
            c.drawCentredString(_W / 2, y - s * 0.88, catch)
            y -= catch_size * 1.8
        draw_lines(c, lines, self.font, size, _M, y, leading=1.2, align="center", width=_CW)
        c.setFillColorRGB(0, 0, 0)
        y = _H - band_h - 7 * mm - self.pad
        if self.image is not None:
            img_w, img_h = self._picture(78 * mm, 58 * mm, 0.62)
            draw_image_fit(c, self.image, _W - _M - img_w, y - img_h, img_w, img_h)
            date_w = _CW - img_w - 5 * mm
            after_date = self.date_block(_M, y, date_w) - self.pad
            text_bottom = min(after_date, y - img_h - 4 * mm)
            easy_h = self.easy_block(text_bottom, draw=False)
            self.easy_block(text_bottom, draw=True)
            self.description(text_bottom - easy_h, bottom)
        else:
            y = self.date_block(_M, y, _CW) - self.pad
            easy_h = self.easy_block(y, draw=True)
            self.description(y - easy_h, bottom)

    def _picture(self, width: float, height: float, most: float) -> tuple[float, float]:
        """The picture's box beside the date: the template's ``width`` × ``height`` × scale, at
        most ``most`` of the content width."""
        factor = min(self.scale, most * _CW / width)  # beside the date, which keeps its room
        return width * factor, height * factor

    def _top_photo(self, bottom: float) -> None:
        c, t = self.c, self.theme
        y = _H - _M
        if self.image is not None:
            img_h = min(95 * mm * self.scale * self.grow, 130 * mm)
            x0, y0, w, h = draw_image_fit(c, self.image, _M, y - img_h, _CW, img_h)
            y = y0 - 5 * mm - self.pad
        else:
            c.setFillColorRGB(*t.accent)
            c.rect(0, _H - 18 * mm, _W, 18 * mm, stroke=0, fill=1)
            y = _H - 24 * mm
        catch = self.e.catch_copy.strip()
        if catch:
            s = fit_line(catch, self.font, 15 * min(self.grow, 1.4), _CW, 8) or 8
            c.setFillColorRGB(*t.accent)
            c.setFont(self.font, s)
            c.drawCentredString(_W / 2, y - s * 0.88, catch)
            y -= s * 1.5
        size, lines = self.title_lines(_CW, 36 * self.grow, 16)
        c.setFillColorRGB(0.1, 0.1, 0.1)
        y = draw_lines(c, lines, self.font, size, _M, y, leading=1.2, align="center", width=_CW) - 5 * mm
        c.setStrokeColorRGB(*t.accent)
        c.setLineWidth(2)
        c.line(_M + 30 * mm, y + 2 * mm, _W - _M - 30 * mm, y + 2 * mm)
        y -= 3 * mm + self.pad
        y = self.date_block(_M, y, _CW) - self.pad
        easy_h = self.easy_block(y, draw=True)
        self.description(y - easy_h, bottom)

    def _top_simple(self, bottom: float) -> None:
        c = self.c
        y = _H - _M - 2 * mm
        catch = self.e.catch_copy.strip()
        if catch:
            s = fit_line(catch, self.font, 13 * min(self.grow, 1.4), _CW, 8) or 8
            c.setFont(self.font, s)
            c.drawCentredString(_W / 2, y - s * 0.88, catch)
            y -= s * 1.6
        size, lines = self.title_lines(_CW, 32 * self.grow, 16)
        y = draw_lines(c, lines, self.font, size, _M, y, leading=1.2, align="center", width=_CW) - 3 * mm
        c.setLineWidth(1.5)
        c.line(_M, y, _W - _M, y)
        c.setLineWidth(0.5)
        c.line(_M, y - 1.2 * mm, _W - _M, y - 1.2 * mm)
        y -= 7 * mm + self.pad
        width = _CW
        if self.image is not None:
            img_w, img_h = self._picture(62 * mm, 48 * mm, 0.55)
            draw_image_fit(c, self.image, _W - _M - img_w, y - img_h, img_w, img_h)
            width = _CW - img_w - 5 * mm
        after = self.date_block(_M, y, width)
        if self.image is not None:
            after = min(after, y - img_h - 4 * mm)
        after -= self.pad
        easy_h = self.easy_block(after, draw=True)
        self.description(after - easy_h, bottom)
