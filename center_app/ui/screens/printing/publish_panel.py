"""印刷 → 公開: the public site (availability, events with their flyers, the directory of
consenting groups) written into the folder of 設定 → センター, in its languages, on the
background runner with a progress dialog (Cancel leaves the folder as it was). A refusal (no
folder chosen, a folder with other files, one that cannot be written) is shown in the panel and
in one dialog; nothing is written then."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView, QFormLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QProgressDialog, QPushButton, QVBoxLayout, QWidget,
)

from center_app.domain.documents import language_label
from center_app.domain.errors import Cancelled, ValidationError
from center_app.i18n import _
from center_app.services import publish
from center_app.ui.fonts import font_for_language
from center_app.ui.state import AppState
from center_app.ui.widgets import show_error


class _Progress(QObject):
    """Carries progress from the worker thread to the GUI thread (queued signal)."""

    advanced = Signal(int, int)


class PublishPanel(QWidget):
    """The settings the site is published with, 「公開する」 and the outcome of the last run."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.settings: publish.PublishSettings | None = None
        self.dialog: QProgressDialog | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(_("Writes the public site: each room's free and booked times, the upcoming events with their flyers and the "
                         "groups that agreed to be listed. Put the folder on the city's web server or a shared folder."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.folder = QLabel()
        self.folder.setObjectName("publish_folder")
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.languages = QListWidget()  # each language by its own name, in a font that draws it
        self.languages.setObjectName("publish_languages")
        self.languages.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.languages.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.languages.setFlow(QListWidget.Flow.LeftToRight)
        self.languages.setWrapping(True)
        self.languages.setResizeMode(QListWidget.ResizeMode.Adjust)  # wrap at the width it is shown with
        self.languages.setSpacing(4)
        self.languages.setFixedHeight(2 * self.fontMetrics().lineSpacing() + 24)
        self.months = QLabel()
        form.addRow(_("Output folder"), self.folder)
        form.addRow(_("Languages"), self.languages)
        form.addRow(_("Months"), self.months)
        layout.addLayout(form)
        where = QLabel(_("Change them in Settings → Center."))
        where.setWordWrap(True)
        layout.addWidget(where)
        row = QHBoxLayout()
        self.button = QPushButton(_("&Publish"))
        self.button.setObjectName("publish_site")
        self.button.clicked.connect(self.publish)
        row.addWidget(self.button)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = QLabel()
        self.status.setObjectName("publish_status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def reload(self) -> None:
        """Load the stored settings in the background."""
        self.state.runner.submit(publish.publish_settings, self.state.ctx, on_done=self._loaded, on_error=lambda e: self.status.setText(str(e)))

    def _loaded(self, settings: publish.PublishSettings) -> None:
        self.settings = settings
        self.folder.setText(settings.folder or _("(not chosen)"))
        self.languages.clear()
        items = []
        for code in settings.languages:
            item = QListWidgetItem(language_label(code))
            item.setFont(font_for_language(code, self.languages.font()))
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            items.append(item)
        height = max((QFontMetrics(item.font()).height() for item in items), default=0) + 4  # one line height for every font
        for item in items:
            item.setSizeHint(QSize(QFontMetrics(item.font()).horizontalAdvance(item.text()) + 12, height))
            self.languages.addItem(item)
        self.months.setText(str(settings.months))

    def publish(self) -> None:
        """Publish in the background with a progress dialog."""
        self.status.clear()
        self.button.setEnabled(False)
        stop = threading.Event()
        dialog = QProgressDialog(_("Writing the public site…"), _("Cancel"), 0, 100, self)
        dialog.setObjectName("publish_progress")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.canceled.connect(stop.set)
        bridge = _Progress(self)
        bridge.advanced.connect(lambda done, total: dialog.setValue(100 * done // max(total, 1)))
        self.dialog = dialog

        def report(done: int, total: int) -> bool:
            bridge.advanced.emit(done, total)
            return not stop.is_set()

        self.state.runner.submit(publish.publish_from_settings, self.state.ctx, progress=report, on_done=self._published, on_error=self._failed)

    def _finish(self) -> None:
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog = None
        self.button.setEnabled(True)

    def _published(self, result: publish.PublishResult) -> None:
        self._finish()
        lines = [_("Published {pages} pages ({files} files) to {path}: {facilities} facilities, {events} events, {groups} groups.").format(
            pages=result.pages, files=result.files, path=result.folder, facilities=result.facilities, events=result.events, groups=result.groups)]
        lines += [_("{title}: published without its flyer ({reason}).").format(title=title, reason=reason) for title, reason in result.flyers_skipped]
        self.status.setText("\n".join(lines))

    def _failed(self, error: BaseException) -> None:
        self._finish()
        if isinstance(error, Cancelled):
            self.status.setText(str(error))
            return
        if isinstance(error, ValidationError):
            self.status.setText(str(error))
        show_error(self, error)
