"""Applicant picker of the booking dialog: a registered group found as on the 団体 screen (name,
reading, phone or registration number — typed, or scanned from the certificate's QR code, which
types the number and Enter), or an unregistered applicant (name, reading, phone, class).

Keyboard: type in the search box, ↓ moves into the results, Enter picks; Enter in the search box
picks the group whose registration number was typed or scanned, else the first result.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from center_app.domain.booking_values import REGISTERED_CLASS, BookingChoices
from center_app.domain.registration_no import normalize_registration_no
from center_app.i18n import _
from center_app.services import groups
from center_app.services.group_values import REGISTERED, GroupPage, GroupSummary, status_label
from center_app.ui.state import AppState
from center_app.ui.widgets import error_label

SEARCH_DELAY_MS = 150
RESULTS = 20


def _search(ctx, text: str) -> tuple[str, GroupPage]:
    """(``text``, the first :data:`RESULTS` groups found for it): the answer names its question,
    so an answer arriving after the search box changed can be told apart."""
    return text, groups.search_groups(ctx, text, limit=RESULTS)


class ApplicantPicker(QWidget):
    """Emits ``changed`` whenever the applicant (group or typed values) changes."""

    changed = Signal()

    def __init__(self, state: AppState, parent: QWidget | None = None, *, inline_errors: bool = True):
        """``inline_errors`` False: the error labels (``errors``) are placed by the caller."""
        super().__init__(parent)
        self.state = state
        self.group: GroupSummary | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        kinds = QHBoxLayout()
        self.group_radio = QRadioButton(_("Registered &group"))
        self.other_radio = QRadioButton(_("&Other applicant"))
        self.group_radio.setChecked(True)
        self._kind = QButtonGroup(self)
        for button in (self.group_radio, self.other_radio):
            self._kind.addButton(button)
            kinds.addWidget(button)
        kinds.addStretch(1)
        layout.addLayout(kinds)

        self.pages = QStackedWidget()
        layout.addWidget(self.pages)
        group_page = QWidget()
        group_layout = QVBoxLayout(group_page)
        group_layout.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setObjectName("applicant_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(_("Name, reading, phone or registration number (or scan the QR code)"))
        group_layout.addWidget(self.search)
        self.results = QListWidget()
        self.results.setObjectName("applicant_results")
        self.results.setMaximumHeight(110)
        group_layout.addWidget(self.results)
        self.chosen = QLabel(_("No group chosen."))
        self.chosen.setObjectName("applicant_chosen")
        self.chosen.setWordWrap(True)
        group_layout.addWidget(self.chosen)
        self.pages.addWidget(group_page)

        other_page = QWidget()
        form = QFormLayout(other_page)
        form.setContentsMargins(0, 0, 0, 0)
        self.name = QLineEdit()
        self.name.setObjectName("applicant_name")
        self.kana = QLineEdit()
        self.kana.setObjectName("applicant_kana")
        self.phone = QLineEdit()
        self.phone.setObjectName("applicant_phone")
        self.klass = QComboBox()
        self.klass.setObjectName("applicant_class")
        self.errors = {name: error_label() for name in ("applicant_name", "applicant_kana", "applicant_phone", "applicant_class")}
        for label, widget, key in ((_("Name"), self.name, "applicant_name"), (_("Reading"), self.kana, "applicant_kana"),
                                   (_("Phone"), self.phone, "applicant_phone"), (_("Applicant class"), self.klass, "applicant_class")):
            box = QVBoxLayout()
            box.setSpacing(1)
            box.addWidget(widget)
            if inline_errors:
                box.addWidget(self.errors[key])
            form.addRow(label, box)
        self.pages.addWidget(other_page)
        self.group_error = error_label()
        if inline_errors:
            layout.addWidget(self.group_error)
        self.errors["group_id"] = self.group_error

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.search_now)
        self.search.textEdited.connect(lambda _t: self.timer.start())
        self.search.returnPressed.connect(self.pick_typed)
        self.search.installEventFilter(self)
        self.results.installEventFilter(self)
        self.results.itemActivated.connect(self._pick_item)
        self.results.itemClicked.connect(self._pick_item)
        self._kind.buttonToggled.connect(lambda *_a: self._kind_changed())
        for widget in (self.name, self.kana, self.phone):
            widget.textChanged.connect(lambda _t: self.changed.emit())
        self.klass.currentIndexChanged.connect(lambda _i: self.changed.emit())

    # --- configuration --------------------------------------------------------------------------

    def set_choices(self, choices: BookingChoices) -> None:
        """Fill the applicant classes (all but the registered-group class)."""
        current = self.klass.currentData()
        self.klass.blockSignals(True)
        self.klass.clear()
        for choice in choices.classes:
            if choice.code != REGISTERED_CLASS:
                self.klass.addItem(choice.name, choice.code)
        index = self.klass.findData(current)
        self.klass.setCurrentIndex(max(index, 0))
        self.klass.blockSignals(False)

    def _kind_changed(self) -> None:
        self.pages.setCurrentIndex(0 if self.group_radio.isChecked() else 1)
        self.changed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self.search and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Down and self.results.count():
            self.results.setFocus()
            self.results.setCurrentRow(0)
            return True
        if (watched is self.results and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            # the list activates the row and then passes Enter on, which pressed the dialog's 保存:
            # Enter on a result only picks it
            if self.results.currentItem() is not None:
                self._pick_item(self.results.currentItem())
            return True
        return super().eventFilter(watched, event)

    # --- searching --------------------------------------------------------------------------------

    def search_now(self) -> None:
        """Run the group search for the typed text now."""
        text = self.search.text().strip()
        if not text:
            self.results.clear()
            return
        self.state.runner.submit(_search, self.state.ctx, text, on_done=self._found, on_error=lambda error: self.group_error.setText(str(error)))

    def _found(self, found: tuple[str, GroupPage]) -> None:
        text, page = found
        if text == self.search.text().strip():  # else the clerk typed on or emptied the box meanwhile
            self._show_results(page)

    def _show_results(self, page) -> None:
        self.results.clear()
        for summary in page.items:
            item = QListWidgetItem(f"{summary.registration_no or '—'}  {summary.name}（{summary.name_kana}）  {status_label(summary.status)}")
            item.setData(Qt.ItemDataRole.UserRole, summary)
            if summary.status != REGISTERED:
                item.setForeground(Qt.GlobalColor.darkGray)
            self.results.addItem(item)

    def pick_typed(self) -> None:
        """Enter in the search box: the group with the typed or scanned number, else the first hit."""
        text = self.search.text().strip()
        number = normalize_registration_no(text)
        self.timer.stop()

        def picked(page) -> None:
            self._show_results(page)
            exact = [s for s in page.items if number and s.registration_no == number]
            if exact or page.items:
                self.choose((exact or list(page.items))[0])

        if text:
            self.state.runner.submit(groups.search_groups, self.state.ctx, text, limit=RESULTS, on_done=picked)

    def _pick_item(self, item: QListWidgetItem) -> None:
        self.choose(item.data(Qt.ItemDataRole.UserRole))

    def choose(self, summary: GroupSummary | None) -> None:
        """Make ``summary`` the applicant (None: no group)."""
        self.group = summary
        self.group_radio.setChecked(True)
        if summary is None:
            self.chosen.setText(_("No group chosen."))
        else:
            self.chosen.setText(_("{name} ({number}, {status})").format(
                name=summary.name, number=summary.registration_no or "—", status=status_label(summary.status)))
        self.changed.emit()

    # --- values -----------------------------------------------------------------------------------

    def is_group(self) -> bool:
        return self.group_radio.isChecked()

    def values(self) -> dict:
        """The applicant part of a BookingInput."""
        if self.is_group():  # no group chosen yet: the service asks to choose one (field applicant_name)
            return {"group_id": self.group.id} if self.group else {"group_id": None, "applicant_name": ""}
        return {
            "group_id": None, "applicant_name": self.name.text(), "applicant_kana": self.kana.text(),
            "applicant_phone": self.phone.text(), "applicant_class": self.klass.currentData() or "",
        }

    def load(self, view) -> None:
        """Show the applicant of an existing booking."""
        if view.group_id is not None:
            self.choose(GroupSummary(view.group_id, view.registration_no or None, view.applicant_name, view.applicant_kana, "",
                                     REGISTERED, "", "", view.applicant_phone, None))
            self.chosen.setText(_("{name} ({number})").format(name=view.applicant_name, number=view.registration_no or "—"))
        else:
            self.other_radio.setChecked(True)
            self.name.setText(view.applicant_name)
            self.kana.setText(view.applicant_kana)
            self.phone.setText(view.applicant_phone)
            index = self.klass.findData(view.applicant_class)
            if index >= 0:
                self.klass.setCurrentIndex(index)
