"""Applicant picker of the booking dialog: a registered group found as on the 団体 screen (name,
reading, phone or registration number — typed, or scanned from the certificate's QR code, which
types the number and Enter), or an unregistered applicant (name, reading, phone, class).

The group is found with the forms' one group search (``ui.widgets.group_search.GroupSearch``:
its keys, its typing pause, its first page).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from center_app.domain.booking_values import REGISTERED_CLASS, BookingChoices
from center_app.i18n import _
from center_app.services.group_values import REGISTERED, GroupSummary
from center_app.ui.state import AppState
from center_app.ui.widgets import error_label
from center_app.ui.widgets.group_search import GroupSearch


class ApplicantPicker(QWidget):
    """Emits ``changed`` whenever the applicant (group or typed values) changes."""

    changed = Signal()

    def __init__(self, state: AppState, parent: QWidget | None = None, *, inline_errors: bool = True):
        """``inline_errors`` False: the error labels (``errors``) are placed by the caller."""
        super().__init__(parent)
        self.state = state
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
        self.finder = GroupSearch(state, results_height=110)
        self.finder.search.setObjectName("applicant_search")
        self.pages.addWidget(self.finder)

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

        self.finder.picked.connect(self._picked)
        self.finder.failed.connect(lambda error: self.group_error.setText(str(error)))
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

    @property
    def group(self) -> GroupSummary | None:
        """The registered group picked, or None."""
        return self.finder.group

    def choose(self, summary: GroupSummary | None) -> None:
        """Make ``summary`` the applicant (None: no group)."""
        self.finder.choose(summary)

    def _picked(self, _summary: GroupSummary | None) -> None:
        self.group_radio.setChecked(True)
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
            self.finder.show_group(GroupSummary(view.group_id, view.registration_no or None, view.applicant_name, view.applicant_kana,
                                                "", REGISTERED, "", "", view.applicant_phone, None))
        else:
            self.other_radio.setChecked(True)
            self.name.setText(view.applicant_name)
            self.kana.setText(view.applicant_kana)
            self.phone.setText(view.applicant_phone)
            index = self.klass.findData(view.applicant_class)
            if index >= 0:
                self.klass.setCurrentIndex(index)
