"""First start of a new installation: after the administrator is created, offer the demo data set.

The path a new center takes (installer/README.md, docs/installing.md): an empty database gets
the default configuration, the administrator-creation dialog, then this offer — a demo data set
to try the app out (``center_app.services.demo.generate``, profile "small", seed 1), or an empty
database for real use (the default button) — then the main window.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMessageBox, QProgressBar, QVBoxLayout, QWidget

from center_app.db.database import Database
from center_app.domain.errors import CenterError
from center_app.i18n import _
from center_app.services import demo
from center_app.ui.runner import Runner
from center_app.ui.widgets import error_label, set_error

DEMO_PROFILE = "small"
DEMO_SEED = 1


class _Progress(QObject):
    """Carries the generator's progress from the worker thread to the dialog (queued signal)."""

    changed = Signal(int)


class DemoOfferDialog(QDialog):
    """Offers the demo data set; after ``exec()``, :attr:`summary` is the generated data or None."""

    def __init__(self, db: Database, runner: Runner, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.runner = db, runner
        self.summary: demo.DemoSummary | None = None
        self.busy = False
        self.setWindowTitle(_("Center Desk — demo data"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "The administrator account is ready. Do you want to add a demo data set to try Center Desk "
                "out (about 300 sample groups, a year of bookings and consultations)?\n\n"
                "Start with an empty database if this is the database the center will use: "
                "demo records would stay in it."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        keep_room = self.progress.sizePolicy()
        keep_room.setRetainSizeWhenHidden(True)  # the dialog doesn't squeeze the text when it appears
        self.progress.setSizePolicy(keep_room)
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        self.message = error_label()
        self.message.setObjectName("message")
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox()
        self.demo_button = self.buttons.addButton(_("Add demo data"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.demo_button.setObjectName("add_demo")
        self.empty_button = self.buttons.addButton(_("Start with an empty database"), QDialogButtonBox.ButtonRole.RejectRole)
        self.empty_button.setObjectName("start_empty")
        # Enter means the safe choice, even with the focus on the other button (Space clicks that one).
        self.demo_button.setAutoDefault(False)
        self.empty_button.setDefault(True)
        self.demo_button.clicked.connect(self.add_demo)
        self.empty_button.clicked.connect(self.reject)
        layout.addWidget(self.buttons)
        self._progress = _Progress(self)
        self._progress.changed.connect(self.progress.setValue, Qt.ConnectionType.QueuedConnection)

    def add_demo(self) -> None:
        """Generate the demo data in the background; accept when done, show the problem otherwise."""
        set_error(self.message, "")
        self.busy = True
        self.demo_button.setEnabled(False)
        self.empty_button.setEnabled(False)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.runner.submit(
            demo.generate, self.db, DEMO_PROFILE, DEMO_SEED,
            progress=lambda _step, percent: self._progress.changed.emit(percent),
            on_done=self._done, on_error=self._failed,
        )

    def _done(self, summary: demo.DemoSummary) -> None:
        self.busy = False
        self.summary = summary
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self.progress.setVisible(False)
        self.demo_button.setEnabled(True)
        self.empty_button.setEnabled(True)
        if isinstance(error, CenterError):
            set_error(self.message, str(error))
        else:
            set_error(self.message, _("The demo data could not be added: {detail}").format(detail=error))
        self.adjustSize()

    def showEvent(self, event) -> None:  # noqa: N802, D102 - the focus starts on the safe choice
        super().showEvent(event)
        self.empty_button.setFocus()

    def reject(self) -> None:  # noqa: D102 - Esc and the close button wait while generating
        if not self.busy:
            super().reject()


def offer_demo_data(db: Database, runner: Runner, parent: QWidget | None = None) -> demo.DemoSummary | None:
    """Ask, generate when wanted, and say what was added. Returns the summary or None."""
    dialog = DemoOfferDialog(db, runner, parent)
    dialog.exec()
    summary = dialog.summary
    if summary is not None:
        QMessageBox.information(parent, _("Center Desk — demo data"), summary_text(summary))
    return summary


def summary_text(summary: demo.DemoSummary) -> str:
    """What the demo data set contains, and how to sign in as its staff."""
    return _(
        "Demo data added: {groups} groups, {bookings} bookings and {consultations} consultations "
        "from {first} to {last}, and {staff} staff accounts (login names demo-…) with random passwords: "
        "give one a password in Settings → Staff → Reset password… to sign in as that person."
    ).format(
        groups=summary.groups, bookings=summary.bookings, consultations=summary.consultations,
        first=summary.first_day.isoformat(), last=summary.last_day.isoformat(), staff=summary.staff,
    )
