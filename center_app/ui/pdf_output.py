"""Showing, printing and saving the PDFs of :mod:`center_app.print` (any screen may use this).

The PySide6 wheels have no QtPdf: pages are rendered with pypdfium2
(:mod:`center_app.print.render`) — small for the preview, at the printer's resolution for
printing — and drawn on a QPrinter page by page.

- :class:`PdfPreview`: a scrolling column of page images with a note ("3 of 50 pages shown").
- :func:`print_pdf`: Qt's print dialog, then every page drawn at the printer's resolution.
- :func:`save_pdf`: a save dialog, then the file written.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from center_app.i18n import _
from center_app.print.render import PageImage, page_count, render_page, render_pages

#: Preview resolution (dots per inch) and the most pages the preview renders.
PREVIEW_DPI = 96
PREVIEW_PAGES = 6
#: Printing resolution is the printer's, capped here (a 600 dpi A4 page is 35 MB of pixels).
MAX_PRINT_DPI = 600


def to_qimage(page: PageImage) -> QImage:
    """A QImage over the rendered pixels (B, G, R, x → Format_RGB32), copied so it owns them."""
    return QImage(page.data, page.width, page.height, page.stride, QImage.Format.Format_RGB32).copy()


def preview_images(pdf: bytes, *, dpi: float = PREVIEW_DPI, limit: int = PREVIEW_PAGES) -> tuple[list[PageImage], int]:
    """The first ``limit`` pages rendered for the preview and the number of pages (any thread)."""
    total = page_count(pdf)
    return render_pages(pdf, dpi, list(range(min(total, limit)))), total


class PdfPreview(QScrollArea):
    """Pages of a PDF as images, one under the other, scaled to the width; or a message."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("pdf_preview")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._inner = QWidget()
        self._inner.setStyleSheet("background: #7f8790;")
        self._layout = QVBoxLayout(self._inner)
        self._layout.setSpacing(12)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.note = QLabel()
        self.note.setObjectName("preview_note")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: white; background: transparent;")
        self.setWidget(self._inner)
        self.images: list[QImage] = []
        self.total_pages = 0
        self._labels: list[QLabel] = []

    def show_pages(self, images: list[PageImage], total: int, note: str = "") -> None:
        """Show rendered pages; ``total`` is the document's page count (for the note)."""
        self.images = [to_qimage(image) for image in images]
        self.total_pages = total
        notes = [note] if note else []
        if total > len(images):
            notes.append(_("Showing {shown} of {total} pages.").format(shown=len(images), total=total))
        self._rebuild(" ".join(notes))

    def show_message(self, text: str) -> None:
        """No pages: a message instead (what is missing, what went wrong)."""
        self.images, self.total_pages = [], 0
        self._rebuild(text)

    def _rebuild(self, note: str) -> None:
        for label in self._labels:
            label.deleteLater()
        self._labels = []
        self._layout.removeWidget(self.note)
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self._layout.addWidget(self.note)
        for image in self.images:
            label = QLabel()
            label.setObjectName("preview_page")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setStyleSheet("background: white;")
            self._labels.append(label)
            self._layout.addWidget(label)
        self._scale()

    def _scale(self) -> None:
        width = max(self.viewport().width() - 40, 120)
        for label, image in zip(self._labels, self.images):
            pixmap = QPixmap.fromImage(image)
            if pixmap.width() > width:
                pixmap = pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            label.setPixmap(pixmap)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._scale()


def _page_layout(width_pt: float, height_pt: float) -> QPageLayout:
    """The paper of a PDF page (A4 portrait or landscape), without margins."""
    landscape = width_pt > height_pt
    short, long = sorted((width_pt, height_pt))
    size = QPageSize(QSizeF(short, long), QPageSize.Unit.Point, matchPolicy=QPageSize.SizeMatchPolicy.FuzzyMatch)
    orientation = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    return QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0))


def paint_pdf(printer: QPrinter, pdf: bytes) -> int:
    """Draw every page of ``pdf`` on ``printer`` at its resolution (capped at
    :data:`MAX_PRINT_DPI`), each page filling the paper; returns the number of pages printed."""
    total = page_count(pdf)
    if not total:
        return 0
    printer.setFullPage(True)
    first = render_page(pdf, 0, 10)
    printer.setPageLayout(_page_layout(first.width_pt, first.height_pt))
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(_("The printer could not be started."))
    try:
        for index in range(total):
            if index:
                printer.newPage()
            page = render_page(pdf, index, dpi)
            target = printer.pageLayout().fullRectPixels(printer.resolution())
            painter.drawImage(QRectF(target), to_qimage(page))
    finally:
        painter.end()
    return total


def print_pdf(parent: QWidget | None, pdf: bytes, title: str) -> bool:
    """Qt's print dialog, then the pages at the printer's resolution; False when cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_("Print {document}").format(document=title))
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    paint_pdf(printer, pdf)
    return True


def ask_pdf_path(parent: QWidget | None, suggested_name: str) -> Path | None:
    """The file the user chooses to save a PDF to (``.pdf`` added when missing); None if cancelled."""
    path, _filter = QFileDialog.getSaveFileName(parent, _("Save as PDF"), suggested_name, _("PDF files (*.pdf)"))
    if not path:
        return None
    target = Path(path)
    return target if target.suffix.lower() == ".pdf" else target.with_suffix(".pdf")


def save_pdf(parent: QWidget | None, pdf: bytes, suggested_name: str) -> Path | None:
    """Ask where, then write ``pdf``; returns the path, None when cancelled. OSError propagates."""
    target = ask_pdf_path(parent, suggested_name)
    if target is None:
        return None
    target.write_bytes(pdf)
    return target
