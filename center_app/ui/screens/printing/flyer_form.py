"""チラシ form: the event, one of three templates, やさしい日本語 (labels, dates and a free text in
plain Japanese), and a second-language block (English or Brazilian Portuguese) with a
translated title and text. The choices are remembered with the event when the flyer is
printed or saved."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLineEdit, QPlainTextEdit, QWidget

from center_app.domain.documents import FLYER_SECOND_LANGUAGES, FLYER_TEMPLATES, FlyerOptions, Progress, language_label
from center_app.domain.errors import ValidationError
from center_app.domain.wareki import format_day
from center_app.i18n import _
from center_app.services import documents, events
from center_app.ui.screens.printing.form_base import DocumentForm, FinalJob, PreviewJob
from center_app.ui.state import AppState
from center_app.ui.widgets import show_error


class FlyerForm(DocumentForm):
    """A flyer of one event."""

    title = "チラシ"

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(state, parent)
        self.detail: events.EventDetail | None = None
        self.event = QComboBox()
        self.event.setObjectName("flyer_event")
        self.add_row("event", _("Event"), self.event)
        self.template = QComboBox()
        self.template.setObjectName("template")
        for code, name in FLYER_TEMPLATES.items():
            self.template.addItem(_(name), code)
        self.add_row("template", _("Template"), self.template)
        # a narrow form (1366×768): the fields go under their labels rather than past the edge of the scroll area
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.event.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.event.setMinimumContentsLength(16)
        self.easy = QCheckBox(_("Labels and dates in plain Japanese"))
        self.easy.setObjectName("easy_japanese")
        self.add_row("easy_japanese", _("Plain Japanese"), self.easy)
        self.easy_text = QPlainTextEdit()
        self.easy_text.setObjectName("easy_text")
        self.easy_text.setPlaceholderText(_("Optional: a few short sentences in やさしい日本語"))
        self.easy_text.setMaximumHeight(70)
        self.easy_text.setTabChangesFocus(True)
        self.add_row("easy_text", _("Plain Japanese text"), self.easy_text)
        self.language = QComboBox()
        self.language.setObjectName("second_language")
        self.language.addItem(_("(none)"), "")
        for code in FLYER_SECOND_LANGUAGES:
            name = language_label(code)
            self.language.addItem(name, code)
        self.add_row("second_language", _("Second language"), self.language)
        self.translated_title = QLineEdit()
        self.translated_title.setObjectName("translated_title")
        self.add_row("translated_title", _("Translated title"), self.translated_title)
        self.translated_text = QPlainTextEdit()
        self.translated_text.setObjectName("translated_text")
        self.translated_text.setMaximumHeight(80)
        self.translated_text.setTabChangesFocus(True)
        self.add_row("translated_text", _("Translated text"), self.translated_text)
        self.third_language = QComboBox()
        self.third_language.setObjectName("third_language")
        self.third_language.addItem(_("(none)"), "")
        for code in FLYER_SECOND_LANGUAGES:
            self.third_language.addItem(language_label(code), code)
        self.add_row("third_language", _("Third language"), self.third_language)
        self.third_title = QLineEdit()
        self.third_title.setObjectName("third_title")
        self.add_row("third_title", _("Translated title (third language)"), self.third_title)
        self.third_text = QPlainTextEdit()
        self.third_text.setObjectName("third_text")
        self.third_text.setMaximumHeight(80)
        self.third_text.setTabChangesFocus(True)
        self.add_row("third_text", _("Translated text (third language)"), self.third_text)

        self.event.currentIndexChanged.connect(lambda _i: self.load_event())
        self.template.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.easy.toggled.connect(self._easy_toggled)
        self.easy_text.textChanged.connect(self.changed.emit)
        self.language.currentIndexChanged.connect(lambda _i: self._language_changed())
        self.translated_title.textChanged.connect(lambda _t: self.changed.emit())
        self.translated_text.textChanged.connect(self.changed.emit)
        self.third_language.currentIndexChanged.connect(lambda _i: self._language_changed())
        self.third_title.textChanged.connect(lambda _t: self.changed.emit())
        self.third_text.textChanged.connect(self.changed.emit)
        self._easy_toggled(False)
        self._language_changed(emit=False)

    # --- events ------------------------------------------------------------------------------------------

    def reload(self) -> None:
        self.state.runner.submit(events.list_events, self.state.ctx, on_done=self._fill_events, on_error=lambda e: show_error(self, e))

    def _fill_events(self, rows) -> None:
        current = self.event.currentData()
        self.event.blockSignals(True)
        self.event.clear()
        self.event.addItem(_("(choose an event)"), None)
        for row in rows:
            when = format_day(row.event_date) if row.event_date else _("no date")
            self.event.addItem(f"{row.title}（{when}）", row.id)
        self.event.setCurrentIndex(max(self.event.findData(current), 0))
        self.event.blockSignals(False)
        self.load_event()

    def select_event(self, event_id: int) -> None:
        """Choose ``event_id`` (from the event list's "Flyer" button)."""
        index = self.event.findData(event_id)
        if index >= 0:
            self.event.setCurrentIndex(index)

    def load_event(self) -> None:
        event_id = self.event.currentData()
        self.reset_image_offer()
        if event_id is None:
            self.detail = None
            self.changed.emit()
            return
        self.state.runner.submit(events.get_event, self.state.ctx, event_id, on_done=self._event_loaded, on_error=lambda e: show_error(self, e))

    def _event_loaded(self, detail: events.EventDetail) -> None:
        self.detail = detail
        options = detail.flyer_options
        widgets = (self.template, self.easy, self.easy_text, self.language, self.translated_title, self.translated_text,
                   self.third_language, self.third_title, self.third_text)
        for widget in widgets:
            widget.blockSignals(True)
        self.template.setCurrentIndex(max(self.template.findData(options.template), 0))
        self.easy.setChecked(options.easy_japanese)
        self.easy_text.setPlainText(options.easy_text)
        self.language.setCurrentIndex(max(self.language.findData(options.second_language), 0))
        self.translated_title.setText(options.translated_title)
        self.translated_text.setPlainText(options.translated_text)
        self.third_language.setCurrentIndex(max(self.third_language.findData(options.third_language), 0))
        self.third_title.setText(options.third_title)
        self.third_text.setPlainText(options.third_text)
        for widget in widgets:
            widget.blockSignals(False)
        self._easy_toggled(options.easy_japanese, emit=False)
        self._language_changed(emit=False)
        self.changed.emit()

    def _easy_toggled(self, on: bool, emit: bool = True) -> None:
        self.easy_text.setEnabled(on)
        if emit:
            self.changed.emit()

    def _language_changed(self, emit: bool = True) -> None:
        on = bool(self.language.currentData())
        self.translated_title.setEnabled(on)
        self.translated_text.setEnabled(on)
        self.third_language.setEnabled(on)  # a third language only after a second one
        third = on and bool(self.third_language.currentData())
        self.third_title.setEnabled(third)
        self.third_text.setEnabled(third)
        if emit:
            self.changed.emit()

    # --- jobs ------------------------------------------------------------------------------------------

    def options(self) -> FlyerOptions:
        easy = self.easy.isChecked()
        language = self.language.currentData() or ""
        third = (self.third_language.currentData() or "") if language else ""
        return FlyerOptions(
            template=self.template.currentData(), easy_japanese=easy, easy_text=self.easy_text.toPlainText().strip() if easy else "",
            second_language=language, translated_title=self.translated_title.text().strip() if language else "",
            translated_text=self.translated_text.toPlainText().strip() if language else "",
            third_language=third, third_title=self.third_title.text().strip() if third else "",
            third_text=self.third_text.toPlainText().strip() if third else "",
        )

    def _detail(self) -> events.EventDetail:
        if self.detail is None:
            raise ValidationError(_("Choose the event of the flyer (add it under Events first)."), field_name="event")
        return self.detail

    def preview_job(self) -> PreviewJob:
        ctx, event_id, options, skip = self.state.ctx, self._detail().id, self.options(), self.skip_unreadable_images
        return lambda: (documents.flyer_pdf(ctx, event_id, options, skip_unreadable_images=skip), "")

    def final_job(self, progress: Progress | None) -> FinalJob:
        ctx, event_id, options, skip = self.state.ctx, self._detail().id, self.options(), self.skip_unreadable_images
        return lambda: documents.flyer_pdf(ctx, event_id, options, remember_options=True, skip_unreadable_images=skip)

    def file_name(self) -> str:
        return f"チラシ_{self.detail.title}.pdf" if self.detail else "チラシ.pdf"
