"""Preview of the booking slip: the PDF page rendered with pypdfium2, printed through Qt's print
dialog (the page drawn on a QPrinter at the printer's resolution) or saved as a PDF file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from center_app.domain.documents import BOOKING_LANGUAGES, language_label
from center_app.i18n import _
from center_app.services import documents
from center_app.services.documents import SlipDocument
from center_app.ui.state import AppState
from center_app.ui.widgets import fit_to_screen, show_error

PREVIEW_SCALE = 1.3


def page_image(data: bytes, scale: float) -> QImage:
    """The first page of a PDF as an image (``scale`` 1 = 72 dpi)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        picture = document[0].render(scale=scale).to_pil().convert("RGB")
    finally:
        document.close()
    raw = picture.tobytes("raw", "RGB")
    return QImage(raw, picture.width, picture.height, picture.width * 3, QImage.Format.Format_RGB888).copy()


class SlipPreview(QDialog):
    """Shows one slip; the language can be switched before printing."""

    def __init__(self, state: AppState, booking_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.state, self.booking_id = state, booking_id
        self.data = b""
        self.slip_no = ""
        self.setWindowTitle(_("Booking slip"))
        fit_to_screen(self, 860, 900)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Language")))
        self.language = QComboBox()
        self.language.setObjectName("slip_language")
        for code in BOOKING_LANGUAGES:
            self.language.addItem(language_label(code), code)
        top.addWidget(self.language)
        top.addStretch(1)
        layout.addLayout(top)
        self.page = QLabel()
        self.page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll = QScrollArea()
        scroll.setWidget(self.page)
        scroll.setWidgetResizable(True)
        layout.addWidget(scroll, 1)
        buttons = QHBoxLayout()
        self.print_button = QPushButton(_("&Print…"))
        self.save_button = QPushButton(_("&Save as PDF…"))
        close = QPushButton(_("Close"))
        buttons.addStretch(1)
        for button in (self.print_button, self.save_button, close):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.print_button.clicked.connect(self.print_slip)
        self.save_button.clicked.connect(self.save_pdf)
        close.clicked.connect(self.accept)
        self.language.currentIndexChanged.connect(lambda _i: self.load(self.language.currentData()))

    def load(self, language: str | None = None) -> None:
        """Render the slip (in the applicant's language when ``language`` is None)."""
        self.state.runner.submit(documents.booking_slip_pdf, self.state.ctx, self.booking_id, language, on_done=self._show, on_error=self._failed)

    def _failed(self, error: BaseException) -> None:
        show_error(self, error)

    def _show(self, slip: SlipDocument) -> None:
        self.data, self.slip_no, language = slip.pdf, slip.slip_no, slip.language
        self.language.blockSignals(True)
        self.language.setCurrentIndex(max(self.language.findData(language), 0))
        self.language.blockSignals(False)
        self.page.setPixmap(QPixmap.fromImage(page_image(self.data, PREVIEW_SCALE)))

    def save_pdf(self) -> None:
        """Save the slip as a PDF file chosen by the clerk."""
        path, _filter = QFileDialog.getSaveFileName(self, _("Save booking slip"), f"{self.slip_no}.pdf", "PDF (*.pdf)")
        if path:
            try:
                Path(path).write_bytes(self.data)
            except OSError as exc:
                show_error(self, exc)

    def print_slip(self) -> None:
        """Qt's print dialog, then the page drawn at the printer's resolution."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or not self.data:
            return
        image = page_image(self.data, printer.resolution() / 72)
        painter = QPainter(printer)
        try:
            target = painter.viewport()
            size = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(target.x(), target.y(), size.width(), size.height())
            painter.setWindow(image.rect())
            painter.drawImage(0, 0, image)
        finally:
            painter.end()


def open_slip_preview(state: AppState, booking_id: int, parent: QWidget | None = None) -> SlipPreview:
    """Open the preview of a booking's slip (non-modal)."""
    preview = SlipPreview(state, booking_id, parent)
    preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    preview.load()
    preview.show()
    return preview
