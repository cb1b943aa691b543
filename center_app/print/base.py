"""Shared building blocks of the printed documents.

- page sizes and a canvas factory whose initial font is an embedded IPAex font (so no
  non-embedded Helvetica ever lands in a PDF);
- text measuring, wrapping with simple 禁則 (no 、。」 at a line start, ぶら下げ of 、。),
  shrink-to-fit for one line and for a paragraph;
- 縦書き (vertical) drawing with the Unicode vertical presentation forms;
- 和暦 helpers for documents (kanji numerals for vertical text);
- QR codes: segno's matrix drawn as one path of horizontal runs (fast: no widget, one fill);
- crop marks, images (read once, cached, an unreadable file named in the error);
- the glyph check for every field a document prints (:class:`MissingGlyphError` names the
  character), and progress / cancel for batches.

Nothing here imports Qt or the database: documents take plain frozen data objects.
"""

from __future__ import annotations

import functools
import io
import re
import threading
from collections.abc import Iterable
from datetime import date, time
from pathlib import Path

import segno
from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from center_app.domain.documents import Cancelled, Progress
from center_app.domain.errors import FieldProblem, MissingGlyphError, ValidationError
from center_app.domain.wareki import WEEKDAY_CHARS, era_year, format_wareki
from center_app.i18n import _
from center_app.print.fonts import missing_characters, register_fonts

A4 = (210 * mm, 297 * mm)
A4_LANDSCAPE = (297 * mm, 210 * mm)
CARD = (91 * mm, 55 * mm)

def report_progress(progress: Progress | None, done: int, total: int) -> None:
    """Call ``progress`` and raise :class:`Cancelled` when it returns False."""
    if progress is not None and progress(done, total) is False:
        raise Cancelled()


def new_canvas(pagesize: tuple[float, float], font: str, title: str, *, compress: bool = True) -> tuple[Canvas, io.BytesIO]:
    """A canvas writing to memory whose initial font is ``font`` (embedded), with document info.

    Streams are Flate-compressed binary, without reportlab's extra ASCII85 layer (``useA85``,
    a process-wide setting): ASCII85 only makes files 25 % larger and, in pure Python, took a
    quarter of the time of a 500-page batch."""
    rl_config.useA85 = 0
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=pagesize, initialFontName=font, initialFontSize=10, pageCompression=1 if compress else 0, lang="ja-JP")
    canvas.setTitle(title)
    canvas.setAuthor("Center Desk")
    canvas.setCreator("Center Desk")
    return canvas, buffer


# --- glyph checks -----------------------------------------------------------------------------


def glyph_problems(font: str, fields: Iterable[tuple[str, str]], *, row: int | None = None, context: str = "") -> tuple[list[FieldProblem], list[str]]:
    """The problems (one per field) and the distinct characters ``font`` cannot draw among the
    ``(field, text)`` pairs; ``row`` and ``context`` (a name) point at a line of a batch."""
    problems: list[FieldProblem] = []
    characters: list[str] = []
    for field, text in fields:
        missing = missing_characters(text or "", font)
        if not missing:
            continue
        for problem in MissingGlyphError(missing, font, field).problems:
            message = _("{name}: {problem}").format(name=context, problem=problem.message) if context else problem.message
            problems.append(FieldProblem(problem.field, message, row))
        characters += [c for c in missing if c not in characters]
    return problems, characters


def glyph_error(font: str, problems: list[FieldProblem], characters: list[str]) -> MissingGlyphError:
    """One :class:`MissingGlyphError` carrying every problem found."""
    error = MissingGlyphError(characters, font, problems[0].field)
    error.problems = list(problems)
    error.message = "\n".join(p.message for p in problems)
    error.args = (error.message,)
    return error


def check_fields(font: str, fields: Iterable[tuple[str, str]], *, row: int | None = None, context: str = "") -> None:
    """Raise one :class:`MissingGlyphError` listing every character of every ``(field, text)`` that
    ``font`` cannot draw (each field's problem separately, with ``row`` for a batch line)."""
    problems, characters = glyph_problems(font, fields, row=row, context=context)
    if problems:
        raise glyph_error(font, problems, characters)


class GlyphCheck:
    """Collects the glyph problems of a whole batch, to report them all at once."""

    def __init__(self, font: str):
        self.font = font
        self.problems: list[FieldProblem] = []
        self.characters: list[str] = []

    def check(self, fields: Iterable[tuple[str, str]], *, row: int | None = None, context: str = "") -> None:
        problems, characters = glyph_problems(self.font, fields, row=row, context=context)
        self.problems += problems
        self.characters += [c for c in characters if c not in self.characters]

    def raise_if_any(self) -> None:
        if self.problems:
            raise glyph_error(self.font, self.problems, self.characters)


# --- dates -------------------------------------------------------------------------------------


def wareki(day: date, *, weekday: bool = False) -> str:
    """令和8年11月29日 (with （日） when ``weekday``)."""
    return format_wareki(day, weekday=weekday)


def western_date(day: date) -> str:
    """2026年11月29日 — the Western date written beside 和暦 for foreign readers."""
    return f"{day.year}年{day.month}月{day.day}日"


def time_range(start: time | None, end: time | None) -> str:
    """"13:00～15:00", "13:00～" or ""."""
    if start is None:
        return ""
    text = f"{start.hour}:{start.minute:02d}～"
    return text + (f"{end.hour}:{end.minute:02d}" if end is not None else "")


_KANJI_DIGITS = "〇一二三四五六七八九"


def kanji_number(n: int) -> str:
    """1–99 in kanji numerals as written in dates: 8 → 八, 11 → 十一, 29 → 二十九, 30 → 三十."""
    if n < 10:
        return _KANJI_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _KANJI_DIGITS[tens]) + "十" + (_KANJI_DIGITS[ones] if ones else "")


def kanji_date(day: date) -> str:
    """和暦 in kanji numerals for vertical text: 令和八年十一月二十九日 (元年 for year 1)."""
    name, year = era_year(day)
    year_text = "元" if year == 1 else kanji_number(year) if year < 100 else str(year)
    return f"{name}{year_text}年{kanji_number(day.month)}月{kanji_number(day.day)}日"


def weekday_char(day: date) -> str:
    """日 for a Sunday."""
    return WEEKDAY_CHARS[day.weekday()]


# --- measuring and wrapping ------------------------------------------------------------------


_metrics_cache: dict[str, tuple[dict[int, float], float]] = {}


def _metrics(font: str) -> tuple[dict[int, float], float]:
    """Per-character advance widths (1/1000 em) of a registered TrueType font, looked up once."""
    found = _metrics_cache.get(font)
    if found is None:
        face = pdfmetrics.getFont(font).face
        found = _metrics_cache[font] = (face.charWidths, face.defaultWidth)
    return found


def units(text: str, font: str) -> float:
    """Width of ``text`` in 1/1000 em (a character of a fallback font with that font's width)."""
    widths, default = _metrics(font)
    try:
        return sum([widths[ord(c)] for c in text])  # a chain font's widths look a missing character up
    except KeyError:
        get = widths.get
        return sum([get(ord(c), default) for c in text])


def text_width(text: str, font: str, size: float, char_space: float = 0.0) -> float:
    """Width of ``text`` in points (``char_space`` added after every character but the last)."""
    return units(text, font) * size / 1000 + char_space * max(len(text) - 1, 0)


#: Characters that must not begin a line (行頭禁則) and that must not end one (行末禁則).
NO_LINE_START = set("、。，．,.:;!?！？）)」』】〕〉》］｝・ー…‥〜～ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々ゝゞヽヾ%％")
NO_LINE_END = set("（(「『【〔〈《［｛")
#: Punctuation allowed to hang past the right edge (ぶら下げ) instead of moving a character.
HANGING = set("、。，．,.")
_LATIN_WORD = re.compile(r"[A-Za-z0-9\u00C0-\u024F\u0300-\u036F\u1E00-\u1EFF@#&'’\-_/:.?=+%]+ *| +|.", re.DOTALL)


def _tokens(paragraph: str) -> list[str]:
    """Latin words (with their trailing spaces) stay whole; every other character is a token."""
    return _LATIN_WORD.findall(paragraph)


def _split_long(token: str, font: str, limit: float) -> list[str]:
    """A single word wider than the line (``limit`` in 1/1000 em), cut between characters."""
    widths, default = _metrics(font)
    pieces, piece, used = [], "", 0.0
    for char in token:
        w = widths.get(ord(char), default)
        if piece and used + w > limit:
            pieces.append(piece)
            piece, used = char, w
        else:
            piece, used = piece + char, used + w
    return pieces + ([piece] if piece else [])


def wrap_text(text: str, font: str, size: float, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` (explicit newlines kept).

    Japanese breaks between any two characters except before 、。」ー and small kana or after
    「（; 、。 may hang past the edge; Latin words are kept whole unless longer than a line.
    Widths are summed as the line grows, so a long paragraph costs one pass.
    """
    limit = width * 1000 / size if size else 0.0
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line, used = "", 0.0
        for token in _tokens(paragraph):
            stripped = token.rstrip()
            if not line or used + units(stripped, font) <= limit:
                if not line and len(stripped) > 1 and units(stripped, font) > limit:
                    *done, line = _split_long(stripped, font, limit)
                    lines += done
                    used = units(line, font)
                else:
                    line, used = line + token, used + units(token, font)
                continue
            if token in HANGING:
                line, used = line + token, used + units(token, font)
                continue
            carry = ""
            if token[0] in NO_LINE_START and len(line) >= 2 and line[-1] != " ":
                carry, line = line[-1], line[:-1]
            elif line[-1] in NO_LINE_END and len(line) >= 2:
                carry, line = line[-1], line[:-1]
            lines.append(line.rstrip())
            token = carry + token.lstrip()
            if len(token.rstrip()) > 1 and units(token.rstrip(), font) > limit:
                *done, token = _split_long(token.rstrip(), font, limit)
                lines += done
            line, used = token, units(token, font)
        lines.append(line.rstrip())
    while lines and not lines[-1]:
        lines.pop()
    return lines


def fit_line(text: str, font: str, size: float, width: float, min_size: float, char_space: float = 0.0) -> float | None:
    """The largest size ≤ ``size`` at which ``text`` fits on one line of ``width``; None below ``min_size``."""
    natural = text_width(text, font, size, char_space)
    if natural <= width:
        return size
    fitted = size * width / natural
    return fitted if fitted >= min_size else None


def fit_paragraph(text: str, font: str, width: float, height: float, size: float, min_size: float, leading: float = 1.5, max_lines: int | None = None) -> tuple[float, list[str]] | None:
    """The largest size (steps of 0.5 pt) at which the wrapped ``text`` fits the box; None if even
    ``min_size`` does not fit. Returns (size, lines)."""
    current = size
    while current >= min_size - 1e-6:
        lines = wrap_text(text, font, current, width)
        if (max_lines is None or len(lines) <= max_lines) and (len(lines) - 1) * current * leading + current <= height:
            return current, lines
        current -= 0.5
    return None


def balanced_lines(text: str, font: str, size: float, width: float, min_size: float, *, max_lines: int = 2, leading: float = 1.25) -> tuple[float, list[str]] | None:
    """A name or title in the largest size that fits ``width``: on one line, or on up to
    ``max_lines`` lines. A break at a space ("NPO法人 髙﨑まちづくりネットワーク", "講座 ～副題～")
    is preferred to a break inside a word, and one line to two, unless the other is clearly
    larger. None when even ``min_size`` does not fit."""
    text = text.strip()
    options: list[tuple[float, float, list[str]]] = []  # (score, size, lines)
    one = fit_line(text, font, size, width, min_size)
    if one is not None:
        options.append((one * 1.15, one, [text]))
    if max_lines >= 2:
        for index, char in enumerate(text):
            if char in " \u3000" and 0 < index < len(text) - 1:
                first, second = text[:index].strip(), text[index + 1:].strip()
                widest = max(text_width(first, font, size), text_width(second, font, size))
                fitted = min(size, size * width / widest) if widest else size
                if fitted >= min_size:
                    options.append((fitted * 1.05, fitted, [first, second]))
        wrapped = fit_paragraph(text, font, width, size * leading * (max_lines - 1) + size, size, min_size, leading=leading, max_lines=max_lines)
        if wrapped is not None:
            options.append((wrapped[0], wrapped[0], wrapped[1]))
    if not options:
        return None
    _score, best_size, lines = max(options, key=lambda option: option[0])
    return best_size, lines


def draw_lines(canvas: Canvas, lines: list[str], font: str, size: float, x: float, y_top: float, *, leading: float = 1.5, align: str = "left", width: float = 0.0) -> float:
    """Draw ``lines`` from ``y_top`` (top of the first line) down; returns the y below the last line.
    ``align``: left (at ``x``), center or right (within ``x`` … ``x + width``)."""
    canvas.setFont(font, size)
    y = y_top - size * 0.88
    for line in lines:
        if align == "center":
            canvas.drawCentredString(x + width / 2, y, line)
        elif align == "right":
            canvas.drawRightString(x + width, y, line)
        else:
            canvas.drawString(x, y, line)
        y -= size * leading
    return y + size * leading - size * 0.12


# --- QR codes ----------------------------------------------------------------------------------


#: QR mask pattern. Any of the eight is valid and read by every scanner (the pattern is stated
#: in the code's format information); segno's search for the "best" one is 80 % of its time,
#: so batches use a fixed one.
QR_MASK = 0


def qr_matrix(data: str, error: str = "m"):
    """segno's module matrix of ``data`` (rows of 0/1), full-size QR (not micro), fixed mask."""
    return segno.make(data, error=error, micro=False, boost_error=False, mask=QR_MASK).matrix


@functools.lru_cache(maxsize=4096)
def _qr_path(data: str, error: str) -> tuple[int, str]:
    """segno's matrix as PDF path operators in module units (one ``re`` per horizontal run of
    dark modules, rows counted downwards), filled at once; cached per text."""
    matrix = qr_matrix(data, error)
    ops = []
    for row_index, row in enumerate(matrix):
        start = None
        for col, dark in enumerate((*row, 0)):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                ops.append(f"{start} {row_index} {col - start} 1 re")
                start = None
    return len(matrix), "\n".join(ops) + "\nf"


def draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float, *, error: str = "m", quiet_zone: int = 4) -> None:
    """A QR code of ``data`` with its lower-left corner at (x, y), ``size`` wide including a quiet
    zone of ``quiet_zone`` modules (4 is the standard's minimum; less is fine on a white card).

    The path is written in module units under one transformation, so a batch of 500 codes costs
    one cached string each instead of thousands of formatted rectangles."""
    count, path = _qr_path(data, error)
    module = size / (count + 2 * quiet_zone)
    canvas.saveState()
    canvas.transform(module, 0, 0, -module, x + quiet_zone * module, y + size - quiet_zone * module)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.addLiteral(path)
    canvas.restoreState()


# --- crop marks ---------------------------------------------------------------------------------


def crop_marks(canvas: Canvas, xs: list[float], ys: list[float], *, length: float = 6 * mm, gap: float = 2 * mm) -> None:
    """Crop marks (トンボ) for a grid cut along the vertical lines ``xs`` and horizontal lines ``ys``,
    drawn in the margins outside the grid only, so no mark touches a card."""
    left, right, bottom, top = min(xs), max(xs), min(ys), max(ys)
    canvas.saveState()
    canvas.setLineWidth(0.25)
    canvas.setStrokeColorRGB(0, 0, 0)
    for x in xs:
        canvas.line(x, top + gap, x, top + gap + length)
        canvas.line(x, bottom - gap, x, bottom - gap - length)
    for y in ys:
        canvas.line(left - gap, y, left - gap - length, y)
        canvas.line(right + gap, y, right + gap + length, y)
    canvas.restoreState()


# --- images -----------------------------------------------------------------------------------


class ImageUnreadable(ValidationError):
    """An image file (seal, event picture) cannot be read; ``path`` names it. The document may be
    printed without it only when the user agrees (``skip_unreadable_images``)."""

    def __init__(self, path: str, field_name: str):
        self.path = path
        super().__init__(
            [FieldProblem(field_name, _("The image {file} cannot be read. Choose another file, or print without the image.").format(file=Path(path).name or path))]
        )


_image_lock = threading.Lock()
_images: dict[tuple[str, int, int], ImageReader] = {}


def load_image(path: str, field_name: str) -> ImageReader:
    """The image at ``path`` decoded once and cached (per file version); :class:`ImageUnreadable`
    naming the file when it is missing or not an image Pillow can decode."""
    from PIL import Image, UnidentifiedImageError

    try:
        stat = Path(path).stat()
    except OSError:
        raise ImageUnreadable(path, field_name) from None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    with _image_lock:
        found = _images.get(key)
        if found is not None:
            return found
    try:
        with Image.open(path) as image:
            image.load()
            if image.mode not in ("RGB", "RGBA", "L", "LA"):
                image = image.convert("RGBA" if "transparency" in image.info or image.mode in ("P", "PA") else "RGB")
            else:
                image = image.copy()
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        raise ImageUnreadable(path, field_name) from None
    reader = ImageReader(image)
    with _image_lock:
        _images[key] = reader
    return reader


def optional_image(path: str, field_name: str, skip_unreadable: bool) -> ImageReader | None:
    """:func:`load_image` for an optional picture: None when ``path`` is empty, or when it cannot
    be read and the user agreed to print without it (``skip_unreadable``)."""
    if not path:
        return None
    try:
        return load_image(path, field_name)
    except ImageUnreadable:
        if skip_unreadable:
            return None
        raise


def draw_image_fit(canvas: Canvas, image: ImageReader, x: float, y: float, width: float, height: float, *, anchor: str = "c") -> tuple[float, float, float, float]:
    """Draw ``image`` inside the box keeping its proportions; returns the box actually used."""
    iw, ih = image.getSize()
    scale = min(width / iw, height / ih)
    w, h = iw * scale, ih * scale
    dx = (width - w) / 2 if anchor in ("c", "n", "s") else (width - w if anchor in ("e", "ne", "se") else 0.0)
    dy = (height - h) / 2
    canvas.drawImage(image, x + dx, y + dy, w, h, mask="auto")
    return x + dx, y + dy, w, h
