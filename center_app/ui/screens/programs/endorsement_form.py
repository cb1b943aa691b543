"""The dialogs of the 共催・後援 register: the application form (receive a new one, or edit one
still applied for) and the decision (承認 with conditions and the 減免 of the event's booking, or
不承認 with its reason).

The applicant is a registered group found as typed with the forms' one group search
(``ui.widgets.group_search``: name, reading, phone or 登録番号; picking one fills its name; Enter
picks, never saves) or a name typed; the event is one of the stored events still to come
(its title, date and place are taken) or typed. Problems appear beside the fields and nothing
is written; a refused form keeps what was typed; a save refused because the application changed
on another PC says who and when, and 「開き直す」 loads it as it is now.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from center_app.domain.booking_values import Choice
from center_app.domain.errors import StaleEditError, ValidationError
from center_app.domain.programs import EndorsementKind
from center_app.domain.wareki import format_day
from center_app.i18n import _
from center_app.services import endorsements
from center_app.services.events import EventSummary
from center_app.services.group_values import REGISTERED, GroupSummary
from center_app.ui.date_entry import DateEdit
from center_app.ui.state import AppState
from center_app.ui.widgets import StaleBar, error_label, field_messages, field_with_error, set_error, show_error
from center_app.ui.widgets.group_search import GroupSearch

FIELDS = ("kind", "applicant_name", "event_id", "event_title", "event_date", "event_place", "name_lent", "request")



class EndorsementForm(QDialog):
    """Receive an application (``view`` None) or edit one still applied for; ``saved`` holds the
    stored result once the save went through."""

    def __init__(self, state: AppState, upcoming: list[EventSummary], view: endorsements.EndorsementView | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.state, self.view = state, view
        self.saved: endorsements.EndorsementView | None = None
        self.setWindowTitle(_("Application {id}").format(id=view.id) if view else _("Receive an application for co-hosting or support"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.errors = {name: error_label() for name in FIELDS}
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for kind in (EndorsementKind.SUPPORT, EndorsementKind.COHOST):
            self.kind.addItem(kind.label, kind.value)
        form.addRow(_("Kind"), field_with_error(self.kind, self.errors["kind"], spacing=2))
        self.finder = GroupSearch(state, name_field=True, results_height=72,
                                  placeholder=_("Group name, reading, phone or registration number"))
        self.applicant = self.finder.search  # the applicant's name as typed, or the picked group's
        self.applicant.setObjectName("applicant_name")
        self.finder.failed.connect(lambda error: set_error(self.errors["applicant_name"], str(error)))
        applicant_box = field_with_error(self.finder, self.errors["applicant_name"], spacing=2)
        form.addRow(_("Applying group or person"), applicant_box)
        self.event = QComboBox()
        self.event.setObjectName("event_id")
        self.event.addItem(_("(not a stored event: type it below)"), None)
        self._events = {e.id: e for e in upcoming}
        for e in upcoming:
            self.event.addItem(f"{format_day(e.event_date) if e.event_date else '—'}　{e.title}", e.id)
        self.event.currentIndexChanged.connect(self._event_chosen)
        form.addRow(_("Event"), field_with_error(self.event, self.errors["event_id"], spacing=2))
        self.title = QLineEdit()
        self.title.setObjectName("event_title")
        form.addRow(_("Event title"), field_with_error(self.title, self.errors["event_title"], spacing=2))
        self.date = DateEdit()
        self.date.setObjectName("event_date")
        form.addRow(_("Event date"), field_with_error(self.date, self.errors["event_date"], spacing=2))
        self.place = QLineEdit()
        self.place.setObjectName("event_place")
        form.addRow(_("Place"), field_with_error(self.place, self.errors["event_place"], spacing=2))
        self.name_lent = QLineEdit()
        self.name_lent.setObjectName("name_lent")
        self.name_lent.setPlaceholderText(_("(the center's name)"))
        form.addRow(_("Name applied for"), field_with_error(self.name_lent, self.errors["name_lent"], spacing=2))
        self.request = QPlainTextEdit()
        self.request.setObjectName("request")
        self.request.setTabChangesFocus(True)
        self.request.setMaximumHeight(70)
        self.request.setPlaceholderText(_("e.g. the name on the flyer and the poster"))
        form.addRow(_("What is asked"), field_with_error(self.request, self.errors["request"], spacing=2))
        self.message = error_label()
        layout.addWidget(self.message)
        self.stale = StaleBar(self.reopen)
        layout.addWidget(self.stale)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("save")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        if view is not None:
            self._fill(view)

    @property
    def group_id(self) -> int | None:
        """The id of the registered group applying (None: a name typed)."""
        return self.finder.group_id

    # --- the event: a stored one or typed -------------------------------------------------------

    def _event_chosen(self, _index: int) -> None:
        event = self._events.get(self.event.currentData())
        for editor in (self.title, self.date, self.place):
            editor.setEnabled(event is None)
        if event is not None and event.event_date is None:
            self.date.setEnabled(True)  # an event still being planned: its date as applied for
        if event is not None:
            self.title.setText(event.title)
            if event.event_date is not None:
                self.date.setDate(event.event_date)
            self.place.setText(event.place)

    def _fill(self, v: endorsements.EndorsementView) -> None:
        self.kind.setCurrentIndex(max(self.kind.findData(v.kind.value), 0))
        if v.group_id is not None:
            self.finder.show_group(GroupSummary(v.group_id, None, v.applicant_name, "", "", REGISTERED, "", "", "", None))
        else:
            self.finder.choose(None)
            self.applicant.setText(v.applicant_name)
        if v.event_id is not None and v.event_id not in self._events:
            self.event.addItem(v.event_title, v.event_id)  # a stored event no longer listed as upcoming
            self._events[v.event_id] = EventSummary(v.event_id, v.event_title, v.event_date, None, None, v.event_place)
        self.event.setCurrentIndex(max(self.event.findData(v.event_id), 0))
        self.title.setText(v.event_title)
        if v.event_date is not None:
            self.date.setDate(v.event_date)
        self.place.setText(v.event_place)
        self.name_lent.setText(v.name_lent)
        self.request.setPlainText(v.request)

    def values(self) -> endorsements.EndorsementInput:
        """What the form holds."""
        qdate = self.date.date()
        day = dt.date(qdate.year(), qdate.month(), qdate.day()) if qdate.isValid() else None
        return endorsements.EndorsementInput(
            kind=self.kind.currentData(), applicant_name=self.applicant.text(), group_id=self.group_id,
            event_id=self.event.currentData(), event_title=self.title.text(), event_date=day, event_place=self.place.text(),
            name_lent=self.name_lent.text(), request=self.request.toPlainText())

    def submit(self) -> None:
        """Save in the background (an edit onto the version the form was opened with)."""
        problem = self.date.problem()
        if problem:
            self._show_problems({"event_date": problem}, "")
            return
        if self.view is None:
            self.state.runner.submit(endorsements.receive_endorsement, self.state.ctx, self.values(),
                                     on_done=self._saved, on_error=self._failed)
        else:
            self.state.runner.submit(endorsements.update_endorsement, self.state.ctx, self.view.id, self.values(),
                                     expected_version=self.view.version, on_done=self._saved, on_error=self._failed)

    def reopen(self) -> None:
        """Load the application as it is stored now (after a save refused as changed elsewhere)."""
        if self.view is not None:
            self.state.runner.submit(endorsements.get_endorsement, self.state.ctx, self.view.id,
                                     on_done=self._reopened, on_error=self._failed)

    def _reopened(self, view: endorsements.EndorsementView) -> None:
        self.view = view
        self.stale.setVisible(False)
        self._show_problems({}, "")
        self._fill(view)

    def _saved(self, view: endorsements.EndorsementView) -> None:
        self.saved = view
        self.accept()

    def _show_problems(self, per_field: dict[str, str], rest: str) -> None:
        for name, label in self.errors.items():
            set_error(label, per_field.get(name, ""))
        set_error(self.message, rest)
        first = next((name for name in FIELDS if per_field.get(name)), None)
        editors = {"kind": self.kind, "applicant_name": self.applicant, "event_id": self.event, "event_title": self.title,
                   "event_date": self.date, "event_place": self.place, "name_lent": self.name_lent, "request": self.request}
        if first is not None:
            editors[first].setFocus()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, StaleEditError):
            self.stale.show_error(error)
        elif isinstance(error, ValidationError):
            self._show_problems(*field_messages(error, list(FIELDS)))
        else:
            show_error(self, error)


class DecisionDialog(QDialog):
    """Approve (``approve``: the conditions, and the 減免 reason the event's booking gets) or
    refuse (the reason, required) one application; ``decided`` holds the result."""

    def __init__(self, state: AppState, view: endorsements.EndorsementView, approve: bool, exemptions: list[Choice],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.state, self.view, self.approve = state, view, approve
        self.decided: endorsements.EndorsementView | None = None
        kind = view.kind.label
        self.setWindowTitle(_("Approve {kind}: {title}").format(kind=kind, title=view.event_title) if approve
                            else _("Do not approve {kind}: {title}").format(kind=kind, title=view.event_title))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        form.addRow(_("Applying group or person"), QLabel(view.applicant_name))
        form.addRow(_("Name applied for"), QLabel(f"{kind}　{view.name_lent}"))
        self.text = QPlainTextEdit()
        self.text.setObjectName("conditions" if approve else "reason")
        self.text.setTabChangesFocus(True)
        self.text.setMaximumHeight(90)
        self.text_error = error_label()
        self.exemption = QComboBox()
        self.exemption.setObjectName("exemption_code")
        self.exemption_error = error_label()
        if approve:
            self.text.setPlaceholderText(_("(empty: the usual conditions are printed)"))
            form.addRow(_("Conditions"), field_with_error(self.text, self.text_error, spacing=2))
            self.exemption.addItem(_("None"), "")
            for choice in exemptions:
                self.exemption.addItem(_("{name} ({rate}%)").format(name=choice.name, rate=choice.value), choice.code)
            has_booking = view.booking_id is not None
            self.exemption.setEnabled(has_booking)
            note = QLabel(_("The event's booking gets this fee exemption.") if has_booking
                          else _("The event books no room: no fee exemption to set."))
            note.setWordWrap(True)
            box = field_with_error(self.exemption, self.exemption_error, spacing=2)
            box.layout().addWidget(note)
            form.addRow(_("Fee exemption"), box)
        else:
            form.addRow(_("Reason"), field_with_error(self.text, self.text_error, spacing=2))
        self.message = error_label()
        layout.addWidget(self.message)
        self.stale = StaleBar(self.reopen)
        layout.addWidget(self.stale)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("decide")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def submit(self) -> None:
        """Decide in the background, onto the version the dialog was opened with."""
        text = self.text.toPlainText()
        extra = {"conditions": text, "exemption_code": self.exemption.currentData() or ""} if self.approve else {"reason": text}
        self.state.runner.submit(endorsements.decide_endorsement, self.state.ctx, self.view.id, self.approve,
                                 expected_version=self.view.version, **extra, on_done=self._decided, on_error=self._failed)

    def reopen(self) -> None:
        """Take the application as it is stored now; what was typed stays."""
        self.state.runner.submit(endorsements.get_endorsement, self.state.ctx, self.view.id,
                                 on_done=self._reopened, on_error=self._failed)

    def _reopened(self, view: endorsements.EndorsementView) -> None:
        self.view = view
        self.stale.setVisible(False)
        set_error(self.message, "")

    def _decided(self, view: endorsements.EndorsementView) -> None:
        self.decided = view
        self.accept()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, StaleEditError):
            self.stale.show_error(error)
            return
        if not isinstance(error, ValidationError):
            show_error(self, error)
            return
        per_field, rest = field_messages(error, ["conditions", "reason", "exemption_code"])
        set_error(self.text_error, per_field.get("reason", per_field.get("conditions", "")))
        set_error(self.exemption_error, per_field.get("exemption_code", ""))
        set_error(self.message, rest)
        self.text.setFocus()
