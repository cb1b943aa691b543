"""PDF pages to pixels with pypdfium2 (PDFium), for the preview and for printing on a QPrinter.

The PySide6 wheels have no QtPdf, so the UI shows and prints images of the pages rendered here.
PDFium is not thread-safe: every call holds one lock, so the preview (background runner) and
printing (GUI thread) never render at the same time.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pypdfium2 as pdfium

_lock = threading.Lock()


@dataclass(frozen=True)
class PageImage:
    """A rendered page: 32-bit pixels (B, G, R, unused byte) ``stride`` bytes a row.
    ``width_pt`` / ``height_pt`` give the page size in points (1/72 inch)."""

    width: int
    height: int
    stride: int
    data: bytes
    width_pt: float
    height_pt: float


def page_count(pdf: bytes) -> int:
    """The number of pages of ``pdf``."""
    with _lock:
        document = pdfium.PdfDocument(pdf)
        try:
            return len(document)
        finally:
            document.close()


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """(width, height) in points of every page."""
    with _lock:
        document = pdfium.PdfDocument(pdf)
        try:
            return [document[i].get_size() for i in range(len(document))]
        finally:
            document.close()


def render_pages(pdf: bytes, dpi: float, pages: list[int] | None = None) -> list[PageImage]:
    """Render ``pages`` (0-based; all when None) of ``pdf`` at ``dpi`` on white."""
    with _lock:
        document = pdfium.PdfDocument(pdf)
        try:
            indexes = range(len(document)) if pages is None else pages
            return [_render(document, index, dpi) for index in indexes]
        finally:
            document.close()


def render_page(pdf: bytes, index: int, dpi: float) -> PageImage:
    """Render one page (0-based) of ``pdf`` at ``dpi``."""
    return render_pages(pdf, dpi, [index])[0]


def _render(document: pdfium.PdfDocument, index: int, dpi: float) -> PageImage:
    page = document[index]
    try:
        width_pt, height_pt = page.get_size()
        bitmap = page.render(scale=dpi / 72, fill_color=(255, 255, 255, 255), prefer_bgrx=True, optimize_mode="print" if dpi >= 200 else None)
        try:
            data = bytes(bitmap.buffer)
            return PageImage(bitmap.width, bitmap.height, bitmap.stride, data, width_pt, height_pt)
        finally:
            bitmap.close()
    finally:
        page.close()


def to_pil(image: PageImage):
    """The page as a Pillow RGB image (tests, thumbnails)."""
    from PIL import Image

    return Image.frombuffer("RGBX", (image.width, image.height), image.data, "raw", "BGRX", image.stride, 1).convert("RGB")
