"""印刷 screen layout: the documents on the left (登録証, 修了証・感謝状, チラシ, イベント, 公開), the form
of the chosen one in the middle, the live preview with Print and Save on the right.

Wiring lives in :mod:`.controller`. Keyboard: the document list and every field are reachable
with Tab; Ctrl+P prints, Ctrl+S saves the PDF (also Alt+P / Alt+S on the buttons).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from center_app.i18n import N_, _
from center_app.ui.pdf_output import PdfPreview
from center_app.ui.screens.printing.award_form import AwardForm
from center_app.ui.screens.printing.certificate_form import CertificateForm
from center_app.ui.screens.printing.controller import PrintingController
from center_app.ui.screens.printing.events_panel import EventsPanel
from center_app.ui.screens.printing.flyer_form import FlyerForm
from center_app.ui.screens.printing.mail_panel import MailPanel
from center_app.ui.screens.printing.publish_panel import PublishPanel
from center_app.ui.state import AppState

#: The documents, in list order: key and title.
DOCUMENTS = (
    ("certificate", N_("Registration certificates")),
    ("award", N_("Certificates of completion and appreciation")),
    ("flyer", N_("Event flyers")),
    ("events", N_("Events")),
    ("mail", N_("Mailings")),
    ("publish", N_("Public site")),
)


class PrintingScreen(QWidget):
    """Registration certificates, 修了証 / 感謝状, flyers and the event list."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        layout = QHBoxLayout(self)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        layout.addWidget(splitter)

        self.documents = QListWidget()
        self.documents.setObjectName("documents")
        for key, title in DOCUMENTS:
            item = QListWidgetItem(_(title))
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.documents.addItem(item)
        self.documents.setWordWrap(True)
        self.documents.setSpacing(3)
        self.documents.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.documents.setMinimumWidth(130)
        self.documents.setMaximumWidth(220)
        splitter.addWidget(self.documents)

        self.forms = {
            "certificate": CertificateForm(state),
            "award": AwardForm(state),
            "flyer": FlyerForm(state),
        }
        self.events = EventsPanel(state)
        self.mail = MailPanel(state)
        self.publish = PublishPanel(state)
        self.stack = QStackedWidget()
        panels = {"events": self.events, "mail": self.mail, "publish": self.publish}
        for key, _title in DOCUMENTS:
            if key in panels:
                self.stack.addWidget(panels[key])
                continue
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            scroll.setWidget(self.forms[key])
            self.stack.addWidget(scroll)
        self.stack.setMinimumWidth(380)
        splitter.addWidget(self.stack)

        self.preview_pane = QWidget()
        right = QVBoxLayout(self.preview_pane)
        right.setContentsMargins(0, 0, 0, 0)
        self.preview = PdfPreview()
        right.addWidget(self.preview, 1)
        row = QHBoxLayout()
        self.status = QLabel()
        self.status.setObjectName("print_status")
        self.status.setWordWrap(True)
        row.addWidget(self.status, 1)
        self.print_button = QPushButton(_("&Print…"))
        self.print_button.setObjectName("print")
        self.save_button = QPushButton(_("&Save PDF…"))
        self.save_button.setObjectName("save_pdf")
        row.addWidget(self.print_button)
        row.addWidget(self.save_button)
        right.addLayout(row)
        splitter.addWidget(self.preview_pane)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 2)
        splitter.setStretchFactor(2, 3)
        splitter.setSizes([150, 440, 520])

        self.controller = PrintingController(self)
        QShortcut(QKeySequence.StandardKey.Print, self, self.controller.print_document)
        QShortcut(QKeySequence.StandardKey.Save, self, self.controller.save_document)
        self.documents.setCurrentRow(0)

    def activate(self) -> None:
        """Called each time the screen is shown: reload the issuer and events, refresh the preview."""
        self.controller.activate()
