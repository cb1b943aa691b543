"""修了証 / 感謝状 form: the kind, the event (fills in the usual wording and the course name), the
course (修了証 only: printed, and the key of the certificate numbers), the names typed or pasted
one per line (a second spreadsheet column becomes the affiliation), the honorific, the wording,
the date of issue, and the vertical 縦書き layout."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from center_app.domain import clock
from center_app.domain.documents import APPRECIATION, COMPLETION, HONORIFICS, AwardBatch, Progress
from center_app.domain.wareki import format_day
from center_app.i18n import _
from center_app.print.awards import default_body, parse_recipients
from center_app.services import documents, events
from center_app.ui.date_entry import DateEdit
from center_app.ui.screens.printing.certificate_form import pydate, qdate
from center_app.ui.screens.printing.form_base import DocumentForm, FinalJob, PreviewJob
from center_app.ui.state import AppState
from center_app.ui.widgets import show_error

#: Names in the preview (the whole batch is drawn when printing or saving).
PREVIEW_NAMES = 3


class AwardForm(DocumentForm):
    """A batch of 修了証 or 感謝状, one page per name."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(state, parent)
        self.body_edited = False
        self.event_rows = []

        kinds = QWidget()
        row = QVBoxLayout(kinds)
        row.setContentsMargins(0, 0, 0, 0)
        self.completion = QRadioButton("修了証")
        self.completion.setObjectName("kind_completion")
        self.appreciation = QRadioButton("感謝状")
        self.appreciation.setObjectName("kind_appreciation")
        self.completion.setChecked(True)
        self._kinds = QButtonGroup(self)
        for button in (self.completion, self.appreciation):
            self._kinds.addButton(button)
            row.addWidget(button)
        self.vertical = QCheckBox(_("Vertical writing (縦書き, A4 landscape)"))
        self.vertical.setObjectName("vertical")
        row.addWidget(self.vertical)
        self.add_row("kind", _("Document"), kinds)

        self.event = QComboBox()
        self.event.setObjectName("award_event")
        self.add_row("event", _("Event"), self.event)
        self.course = QLineEdit()
        self.course.setObjectName("course_name")
        self.course.setPlaceholderText(_("The course completed (printed with the certificate number)"))
        self.course_edited = False
        self.add_row("course_name", _("Course"), self.course)
        self.names = QPlainTextEdit()
        self.names.setObjectName("names")
        self.names.setPlaceholderText(_("One name per line; paste two spreadsheet columns for name and affiliation."))
        self.names.setMinimumHeight(110)
        self.names.setTabChangesFocus(True)
        self.add_row("names", _("Names"), self.names)
        self.count = QLabel()
        self.count.setObjectName("name_count")
        self.form.addRow("", self.count)
        self.honorific = QComboBox()
        self.honorific.setObjectName("honorific")
        for value in HONORIFICS:
            self.honorific.addItem(value or _("(none)"), value)
        self.add_row("honorific", _("Honorific"), self.honorific)
        self.heading = QLineEdit()
        self.heading.setObjectName("heading")
        self.heading.setPlaceholderText(_("(the kind above)"))
        self.add_row("title", _("Title"), self.heading)

        body_box = QWidget()
        column = QVBoxLayout(body_box)
        column.setContentsMargins(0, 0, 0, 0)
        self.body = QPlainTextEdit()
        self.body.setObjectName("body")
        self.body.setMaximumHeight(90)
        self.body.setTabChangesFocus(True)
        self.standard = QPushButton(_("Usual wording"))
        self.standard.setObjectName("usual_wording")
        column.addWidget(self.body, 1)
        column.addWidget(self.standard, 0, Qt.AlignmentFlag.AlignRight)
        self.add_row("body", _("Wording"), body_box)
        self.issued_on = DateEdit(qdate(clock.today()), weekday=False)
        self.issued_on.setObjectName("award_issued_on")
        self.add_row("issued_on", _("Date of issue"), self.issued_on)

        self.event.currentIndexChanged.connect(lambda _i: self._event_changed())
        self.course.textEdited.connect(self._course_typed)
        for button in (self.completion, self.appreciation):
            button.toggled.connect(self._kind_toggled)
        self.vertical.toggled.connect(lambda _on: self._wording_inputs_changed())
        self.names.textChanged.connect(self._names_changed)
        self.honorific.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.heading.textChanged.connect(lambda _t: self.changed.emit())
        self.body.textChanged.connect(self._body_typed)
        self.standard.clicked.connect(self.use_usual_wording)
        self.issued_on.dateChanged.connect(lambda _d: self.changed.emit())
        self._fill_events([])
        self._names_changed()

    @property
    def title(self) -> str:  # type: ignore[override]
        return self.heading.text().strip() or ("感謝状" if self.appreciation.isChecked() else "修了証")

    @property
    def kind(self) -> str:
        return APPRECIATION if self.appreciation.isChecked() else COMPLETION

    # --- events and wording --------------------------------------------------------------------------

    def reload(self) -> None:
        self.state.runner.submit(events.list_events, self.state.ctx, on_done=self._fill_events, on_error=lambda e: show_error(self, e))

    def _fill_events(self, rows) -> None:
        current = self.event.currentData()
        self.event_rows = rows
        self.event.blockSignals(True)
        self.event.clear()
        self.event.addItem(_("(no event)"), None)
        for row in rows:
            when = format_day(row.event_date) if row.event_date else _("no date")
            self.event.addItem(f"{row.title}（{when}）", row.id)
        index = self.event.findData(current)
        self.event.setCurrentIndex(max(index, 0))
        self.event.blockSignals(False)
        if not self.course_edited:
            chosen = self._selected_event()
            self.course.setText(chosen.title if chosen else "")
        if not self.body_edited:
            self.use_usual_wording()

    def _event_changed(self) -> None:
        if not self.course_edited:
            chosen = self._selected_event()
            self.course.setText(chosen.title if chosen else "")
        self._wording_inputs_changed()

    def _course_typed(self, text: str) -> None:
        chosen = self._selected_event()
        self.course_edited = text.strip() != (chosen.title if chosen else "")
        self.changed.emit()

    def _selected_event(self):
        event_id = self.event.currentData()
        return next((row for row in self.event_rows if row.id == event_id), None)

    def usual_wording(self) -> str:
        chosen = self._selected_event()
        return default_body(self.kind, chosen.title if chosen else "", chosen.event_date if chosen else None, vertical=self.vertical.isChecked())

    def use_usual_wording(self) -> None:
        self.body.blockSignals(True)
        self.body.setPlainText(self.usual_wording())
        self.body.blockSignals(False)
        self.body_edited = False
        self.changed.emit()

    def _wording_inputs_changed(self) -> None:
        if not self.body_edited:
            self.use_usual_wording()
        else:
            self.changed.emit()

    def _kind_toggled(self, on: bool) -> None:
        if on:
            self.course.setEnabled(self.completion.isChecked())  # 感謝状 have no course
            self.vertical.blockSignals(True)
            self.vertical.setChecked(self.appreciation.isChecked())  # 感謝状 is usually written vertically
            self.vertical.blockSignals(False)
            self._wording_inputs_changed()

    def _body_typed(self) -> None:
        self.body_edited = self.body.toPlainText() != self.usual_wording()
        self.changed.emit()

    def _names_changed(self) -> None:
        count = len(parse_recipients(self.names.toPlainText()))
        self.count.setText(_("{count} names").format(count=count))
        self.changed.emit()

    # --- jobs ------------------------------------------------------------------------------------------

    def batch(self, limit: int | None = None) -> AwardBatch:
        recipients = parse_recipients(self.names.toPlainText())
        return AwardBatch(
            kind=self.kind, recipients=tuple(recipients[:limit] if limit else recipients), body=self.body.toPlainText().strip(),
            issued_on=pydate(self.issued_on.date()), honorific=self.honorific.currentData(), vertical=self.vertical.isChecked(),
            title=self.heading.text().strip(), course_name=self.course.text().strip() if self.kind == COMPLETION else "",
        )

    def preview_job(self) -> PreviewJob:
        ctx, skip, full = self.state.ctx, self.skip_unreadable_images, self.batch()
        total = len(full.recipients)
        note = _("Preview of the first {shown} of {total} names.").format(shown=PREVIEW_NAMES, total=total) if total > PREVIEW_NAMES else ""
        return lambda: (documents.award_certificates_pdf(ctx, full, first=PREVIEW_NAMES, skip_unreadable_images=skip), note)

    def final_job(self, progress: Progress | None) -> FinalJob:
        ctx, skip, batch = self.state.ctx, self.skip_unreadable_images, self.batch()
        return lambda: documents.award_certificates_pdf(ctx, batch, progress=progress, skip_unreadable_images=skip)

    def item_count(self) -> int:
        return len(parse_recipients(self.names.toPlainText()))

    def file_name(self) -> str:
        chosen = self._selected_event()
        return f"{self.title}_{chosen.title}.pdf" if chosen else f"{self.title}.pdf"
