"""What every document form of the 印刷 screen has: a ``changed`` signal (the preview follows),
messages beside its fields, the offer to print without an unreadable picture, and two jobs
the controller runs on the background runner:

- ``preview_job()`` → ``() -> (pdf, note)``: quick (a few pages of a batch), writes nothing;
- ``final_job(progress)`` → ``() -> pdf``: the whole document, recording what printing means
  (a reissue, the flyer's options) — run only once the user chose a printer or a file.

A form that cannot build a job yet (no group chosen) raises ValidationError naming the field.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from center_app.domain.errors import ValidationError
from center_app.i18n import _
from center_app.print.base import ImageUnreadable
from center_app.ui.state import AppState
from center_app.ui.widgets import clear_on_edit, error_label, field_messages, set_error

PreviewJob = Callable[[], tuple[bytes, str]]
FinalJob = Callable[[], bytes]


class DocumentForm(QWidget):
    """Base of the certificate, award and flyer forms."""

    changed = Signal()
    #: Title of the document (print dialog, default file name).
    title = ""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.errors: dict[str, QLabel] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(self.form)
        self.skip_images = QCheckBox()
        self.skip_images.setObjectName("skip_images")
        self.skip_images.setVisible(False)
        self.skip_images.toggled.connect(lambda _on: self.changed.emit())
        outer.addWidget(self.skip_images)
        outer.addStretch(1)

    # --- fields and messages ---------------------------------------------------------------------

    def add_row(self, name: str, label: str, widget: QWidget) -> QWidget:
        """A labelled field with its error label under it."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        self.errors[name] = error_label()
        self.errors[name].setObjectName(f"error_{name}")
        column.addWidget(self.errors[name])
        clear_on_edit(self.errors[name], widget)
        title = QLabel(label)
        title.setBuddy(widget)
        self.form.addRow(title, box)
        return widget

    def clear_problems(self) -> None:
        for label in self.errors.values():
            set_error(label, "")

    def show_problems(self, error: ValidationError) -> str:
        """Messages beside the fields they name; returns the rest (for the preview area)."""
        per_field, rest = field_messages(error, list(self.errors))
        for name, label in self.errors.items():
            set_error(label, per_field.get(name, ""))
        if isinstance(error, ImageUnreadable):
            self.offer_skip_images(error)
        return rest

    def offer_skip_images(self, error: ImageUnreadable) -> None:
        """Show "print without the picture" — the document leaves an unreadable image out only
        when the clerk ticks it."""
        self.skip_images.setText(_("Print without the unreadable image ({file})").format(file=error.path))
        self.skip_images.setVisible(True)

    @property
    def skip_unreadable_images(self) -> bool:
        return self.skip_images.isVisible() and self.skip_images.isChecked()

    def reset_image_offer(self) -> None:
        self.skip_images.blockSignals(True)
        self.skip_images.setChecked(False)
        self.skip_images.setVisible(False)
        self.skip_images.blockSignals(False)

    # --- jobs ------------------------------------------------------------------------------------------
    # Each document form defines ``preview_job() -> PreviewJob`` (the first pages, for the live
    # preview) and ``final_job(progress) -> FinalJob`` (the whole document); both are callables
    # the controller runs on the background runner. Qt's metaclass rules out abc here.

    def item_count(self) -> int:
        """How many items the final document has (a progress dialog is shown above a few)."""
        return 1

    def file_name(self) -> str:
        return f"{self.title}.pdf"

    def reload(self) -> None:
        """Reload lists that come from the database (events)."""

    def output_done(self) -> None:
        """Called after the final document was printed or saved."""
