"""What the print tests check in a PDF: its text (pypdf), that every font is embedded, and that a
page rendered to pixels (pypdfium2) is not blank."""

from __future__ import annotations

import io

from pypdf import PdfReader

from center_app.print.render import render_page, to_pil


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page_texts(pdf))


def compact(text: str) -> str:
    """Text without any whitespace (vertical text comes out one character a line)."""
    return "".join(text.split())


def _fonts(resources, seen: set[int]):
    """Every font of a resources dictionary, including those of form XObjects inside it."""
    if resources is None:
        return
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        yield font.get_object()
    for xobject in (resources.get("/XObject") or {}).values():
        ref = getattr(xobject, "idnum", None)
        xobject = xobject.get_object()
        if ref in seen or xobject.get("/Subtype") != "/Form":
            continue
        seen.add(ref)
        yield from _fonts(xobject.get("/Resources"), seen)


def fonts(pdf: bytes) -> list[tuple[str, bool]]:
    """(base font name, embedded?) of every font used on any page, pages and forms alike."""
    found = {}
    seen: set[int] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in _fonts(page.get("/Resources"), seen):
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and font.get("/DescendantFonts"):
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font.get("/BaseFont"))] = embedded
    return sorted(found.items())


def assert_fonts_embedded(pdf: bytes) -> None:
    used = fonts(pdf)
    assert used, "no fonts found"
    assert all(embedded for _name, embedded in used), used
    assert all("IPAex" in name for name, _embedded in used), used


def ink(pdf: bytes, index: int = 0, dpi: int = 40) -> float:
    """Share of the pixels of page ``index`` that are not white."""
    histogram = to_pil(render_page(pdf, index, dpi)).convert("L").histogram()
    return sum(histogram[:245]) / sum(histogram)


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def text_lines(pdf: bytes, index: int = 0, tolerance: float = 3.0) -> list[list[str]]:
    """The text of page ``index`` as it is laid out: one list per printed line, top to bottom,
    holding the line's pieces of text left to right (whitespace runs folded to one space).

    Pieces whose baselines lie within ``tolerance`` points of each other share a line, so a
    table row comes out as ``[label, value]`` whatever order the PDF draws them in; a row whose
    label is paired with another row's value cannot pass a check on these lines."""
    pieces: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, _font, _size):
        text = " ".join(text.split())
        if text:
            x, y = tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            pieces.append((y, x, text))

    PdfReader(io.BytesIO(pdf)).pages[index].extract_text(visitor_text=visit)
    lines: list[tuple[float, list[tuple[float, str]]]] = []
    for y, x, text in sorted(pieces, key=lambda p: (-p[0], p[1])):
        if lines and lines[-1][0] - y <= tolerance:
            lines[-1][1].append((x, text))
        else:
            lines.append((y, [(x, text)]))
    return [[text for _x, text in sorted(line)] for _y, line in lines]


def lines_from(lines: list[list[str]], first_label: str, count: int) -> list[list[str]]:
    """``count`` lines starting at the line whose first piece is ``first_label`` (the rows of a
    table from its first label on); AssertionError naming the label when no line starts so."""
    starts = [i for i, line in enumerate(lines) if line and line[0] == first_label]
    assert starts, f"no line starts with {first_label!r}: {lines}"
    return lines[starts[0]:starts[0] + count]


def word_boxes(pdf: bytes, index: int = 0) -> tuple[tuple[float, float], list[tuple[float, float, float, float, str]]]:
    """((page width, page height), the words of page ``index`` as (x0, top, x1, bottom, text)) in
    points from the top left corner, as poppler's ``pdftotext -bbox`` places them."""
    import re
    import subprocess

    html = subprocess.run(["pdftotext", "-bbox", "-f", str(index + 1), "-l", str(index + 1), "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode("utf-8")
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', html)
    words = [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in
             re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)]
    return (float(page.group(1)), float(page.group(2))), words
