"""Wiring of the 印刷 screen: switching documents, the live preview (rebuilt a moment after the
last change, on the background runner, stale results dropped), printing at the printer's
resolution and saving the PDF, with a progress dialog (cancellable) for long batches."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QProgressDialog

from center_app.domain.documents import Cancelled
from center_app.domain.errors import CenterError, ValidationError
from center_app.i18n import _
from center_app.ui.pdf_output import ask_pdf_path, paint_pdf, preview_images
from center_app.ui.screens.printing.form_base import DocumentForm
from center_app.ui.widgets import show_error

if TYPE_CHECKING:
    from center_app.ui.screens.printing.view import PrintingScreen

#: Milliseconds after the last change before the preview is rebuilt.
PREVIEW_DELAY_MS = 350
#: Above this many pages a progress dialog is shown while the document is drawn.
PROGRESS_ABOVE = 20


class _Progress(QObject):
    """Carries progress from the worker thread to the GUI thread (queued signal)."""

    advanced = Signal(int, int)


class PrintingController(QObject):
    """Logic of :class:`PrintingScreen`."""

    def __init__(self, view: PrintingScreen):
        super().__init__(view)
        self.view, self.state = view, view.state
        self.generation = 0
        self.pdf: bytes | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PREVIEW_DELAY_MS)
        self.timer.timeout.connect(self.refresh_preview)
        for form in view.forms.values():
            form.changed.connect(self._form_changed)
        view.documents.currentRowChanged.connect(self.show_document)
        view.print_button.clicked.connect(self.print_document)
        view.save_button.clicked.connect(self.save_document)
        view.events.changed.connect(self._events_changed)
        view.events.flyer_requested.connect(self.open_flyer)

    # --- documents -------------------------------------------------------------------------------

    @property
    def key(self) -> str:
        item = self.view.documents.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else "certificate"

    @property
    def form(self) -> DocumentForm | None:
        return self.view.forms.get(self.key)

    def activate(self) -> None:
        for form in self.view.forms.values():
            form.reload()
        self.view.events.reload()
        self.view.mail.reload()
        self.view.publish.reload()
        self.refresh_preview()

    def show_document(self, row: int) -> None:
        self.view.stack.setCurrentIndex(max(row, 0))
        self.view.preview_pane.setVisible(self.key not in ("events", "mail", "publish"))
        self.refresh_preview()

    def open_flyer(self, event_id: int) -> None:
        """From the event list: the flyer of that event."""
        flyer = self.view.forms["flyer"]
        self.view.documents.setCurrentRow(2)
        flyer.select_event(event_id)

    def _events_changed(self) -> None:
        for key in ("award", "flyer"):
            self.view.forms[key].reload()

    def _form_changed(self) -> None:
        if self.sender() is self.form:
            self.timer.start()

    # --- preview ---------------------------------------------------------------------------------

    def _set_ready(self, ready: bool, status: str = "") -> None:
        self.view.print_button.setEnabled(ready)
        self.view.save_button.setEnabled(ready)
        self.view.status.setText(status)

    def refresh_preview(self) -> None:
        """Rebuild the preview of the current form now."""
        self.timer.stop()
        form = self.form
        self.generation += 1
        if form is None:
            return
        generation = self.generation
        form.clear_problems()
        try:
            job = form.preview_job()
        except ValidationError as error:
            self._preview_failed(generation, form, error)
            return

        def build():
            pdf, note = job()
            images, total = preview_images(pdf)
            return pdf, images, total, note

        self.view.status.setText(_("Drawing the preview…"))
        self.state.runner.submit(build, on_done=lambda result: self._preview_ready(generation, result), on_error=lambda error: self._preview_failed(generation, form, error))

    def _preview_ready(self, generation: int, result) -> None:
        if generation != self.generation:
            return  # a newer change is on its way
        pdf, images, total, note = result
        self.pdf = pdf
        self.view.preview.show_pages(images, total, note)
        self._set_ready(True)

    def _preview_failed(self, generation: int, form: DocumentForm, error: BaseException) -> None:
        if generation != self.generation:
            return
        self.pdf = None
        self._set_ready(False)
        if isinstance(error, ValidationError):
            rest = form.show_problems(error)
            self.view.preview.show_message(rest or _("Correct the marked fields to see the preview."))
        elif isinstance(error, CenterError):  # a rule of the document (a group paused since it was chosen, …): its own words
            self.view.preview.show_message(str(error))
        else:
            self.view.preview.show_message(_("The preview could not be drawn: {detail}").format(detail=f"{type(error).__name__}: {error}"))

    # --- output ----------------------------------------------------------------------------------

    def _produce(self, then) -> None:
        """Draw the whole document (progress dialog for long batches), then ``then(pdf)``."""
        form = self.form
        if form is None:
            return
        count = form.item_count()
        dialog = None
        stop = threading.Event()
        progress = None
        if count > PROGRESS_ABOVE:
            dialog = QProgressDialog(_("Drawing {count} pages…").format(count=count), _("Cancel"), 0, count, self.view)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(300)
            bridge = _Progress(self)
            bridge.advanced.connect(lambda done, _total: dialog.setValue(done))
            dialog.canceled.connect(stop.set)

            def report(done: int, total: int) -> bool:
                bridge.advanced.emit(done, total)
                return not stop.is_set()
            progress = report
        try:
            job = form.final_job(progress)
        except ValidationError as error:
            self._output_failed(form, error, dialog)
            return

        def done(pdf: bytes) -> None:
            if dialog is not None:
                dialog.reset()
            then(pdf)
            form.output_done()

        self.state.runner.submit(job, on_done=done, on_error=lambda error: self._output_failed(form, error, dialog))

    def _output_failed(self, form: DocumentForm, error: BaseException, dialog: QProgressDialog | None) -> None:
        if dialog is not None:
            dialog.reset()
        if isinstance(error, Cancelled):
            self.view.status.setText(_("Cancelled. Nothing was printed or saved."))
            return
        if isinstance(error, ValidationError):
            rest = form.show_problems(error)
            self.view.status.setText(_("Nothing was printed or saved."))
            if rest:
                show_error(self.view, ValidationError(rest))
            return
        show_error(self.view, error)

    def print_document(self) -> None:
        """Qt's print dialog, then the whole document drawn at the printer's resolution."""
        if self.form is None or not self.view.print_button.isEnabled():
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.form.title)
        dialog = QPrintDialog(printer, self.view)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """Draw the document on an already chosen ``printer``."""
        def paint(pdf: bytes) -> None:
            pages = paint_pdf(printer, pdf)
            self.view.status.setText(_("Sent {pages} pages to the printer.").format(pages=pages))
        self._produce(paint)

    def save_document(self) -> None:
        """Ask for a file name, then save the whole document as PDF."""
        if self.form is None or not self.view.save_button.isEnabled():
            return
        path = ask_pdf_path(self.view, self.form.file_name())
        if path is not None:
            self.save_to(path)

    def save_to(self, path: Path) -> None:
        """Save the whole document to ``path``."""
        def write(pdf: bytes) -> None:
            try:
                path.write_bytes(pdf)
            except OSError as exc:
                show_error(self.view, ValidationError(_("Cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc)))
                return
            self.view.status.setText(_("Saved {path}.").format(path=path))
        self._produce(write)
