"""印刷 → 郵送: mailings to groups. The filter (status, 有効期限 from today and before a day, 活動分野, facility
used), the groups it chooses with those without an address marked 「印刷しません」, then what to
print (a letter from a template of 設定 → 郵送文書, address labels on an A4 12 / 24 sheet from a
start position, 長形3号 envelopes) and to whom (団体名 御中 / 代表者 様). 「PDF を保存…」 writes the
PDF and records the mailing for each group printed (the group's 郵送の記録).

The services are :mod:`center_app.services.mailings` and the mail builders of
:mod:`center_app.services.documents`; every call goes through the runner.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSpinBox,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from center_app.domain import clock
from center_app.domain.fiscal import fiscal_year_of, fiscal_year_range
from center_app.domain.mailings import LABEL_SHEETS, Addressee, MailFilter, MailKind, Recipient
from center_app.i18n import N_, _
from center_app.services import documents, mailings
from center_app.services.group_values import status_label
from center_app.ui.date_entry import DateEdit
from center_app.ui.pdf_output import ask_pdf_path
from center_app.ui.state import AppState
from center_app.ui.widgets import error_label, set_error, show_error

#: What the panel prints: key, title.
OUTPUTS = (
    ("letter", N_("Letters (A4)")),
    ("a4-12", N_("Address labels, A4 12 a sheet")),
    ("a4-24", N_("Address labels, A4 24 a sheet")),
    ("envelope", N_("Envelopes 長形3号")),
)

STATUSES = ("registered", "expired", "paused", "applied", "withdrawn")

SKIPPED_COLOR = QColor("#b00020")


class MailPanel(QWidget):
    """The mailing panel: filter, the chosen groups, what to print, 「PDF を保存…」."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.chosen: list[Recipient] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        filters = QFormLayout()
        self.status = QComboBox()
        self.status.setObjectName("mail_status")
        self.status.addItem(_("Every group not withdrawn"), "")
        for code in STATUSES:
            self.status.addItem(status_label(code), code)
        filters.addRow(_("Status"), self.status)
        expiry = QHBoxLayout()
        # as the command's expires-before: registrations valid today that expire before the day
        # (by default the end of this fiscal year: the renewal season)
        self.use_expiry = QCheckBox(_("Valid today, expires before"))
        self.use_expiry.setObjectName("mail_use_expiry")
        self.expiry = DateEdit(fiscal_year_range(fiscal_year_of(clock.today()))[1] + dt.timedelta(days=1))
        self.expiry.setObjectName("mail_expiry")
        expiry.addWidget(self.use_expiry)
        expiry.addWidget(self.expiry, 1)
        filters.addRow(_("Registration"), expiry)
        self.field = QComboBox()
        self.field.setObjectName("mail_field")
        filters.addRow(_("Activity field"), self.field)
        self.facility = QComboBox()
        self.facility.setObjectName("mail_facility")
        filters.addRow(_("Facility used"), self.facility)
        self.choose_button = QPushButton(_("&Choose groups"))
        self.choose_button.setObjectName("mail_choose")
        filters.addRow("", self.choose_button)
        layout.addLayout(filters)

        self.table = QTableWidget(0, 4)
        self.table.setObjectName("mail_groups")
        self.table.setHorizontalHeaderLabels([_("Group"), _("Registration no."), _("Address"), _("Note")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.summary = QLabel()
        self.summary.setObjectName("mail_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)

        options = QFormLayout()
        self.output = QComboBox()
        self.output.setObjectName("mail_output")
        for key, title in OUTPUTS:
            self.output.addItem(_(title), key)
        options.addRow(_("Print"), self.output)
        self.template = QComboBox()
        self.template.setObjectName("mail_template")
        options.addRow(_("Template"), self.template)
        self.start = QSpinBox()
        self.start.setObjectName("mail_start")
        self.start.setRange(1, 12)
        options.addRow(_("First free label"), self.start)
        self.addressee = QComboBox()
        self.addressee.setObjectName("mail_addressee")
        self.addressee.addItem(_("The group (御中)"), Addressee.GROUP.value)
        self.addressee.addItem(_("The representative (様)"), Addressee.REPRESENTATIVE.value)
        options.addRow(_("Addressed to"), self.addressee)
        layout.addLayout(options)

        self.error = error_label()
        self.error.setObjectName("mail_error")
        layout.addWidget(self.error)
        row = QHBoxLayout()
        self.result = QLabel()
        self.result.setObjectName("mail_result")
        self.result.setWordWrap(True)
        row.addWidget(self.result, 1)
        self.save_button = QPushButton(_("Save &PDF and record…"))
        self.save_button.setObjectName("mail_save")
        row.addWidget(self.save_button)
        layout.addLayout(row)

        self.choose_button.clicked.connect(self.choose)
        self.save_button.clicked.connect(self.save)
        self.output.currentIndexChanged.connect(self._output_changed)
        self._output_changed()

    # --- loading ---------------------------------------------------------------------------------------

    def reload(self) -> None:
        """Load the templates and the filter's choices (fields, facilities)."""
        ctx = self.state.ctx

        def load():
            return mailings.templates(ctx), mailings.filter_choices(ctx)

        self.state.runner.submit(load, on_done=self._loaded, on_error=lambda e: show_error(self, e))

    def _loaded(self, result) -> None:
        templates, choices = result
        current = self.template.currentText()
        self.template.clear()
        for template in templates:
            self.template.addItem(template.name, template.name)
        if current:
            self.template.setCurrentIndex(max(self.template.findText(current), 0))
        for combo, items, everything in ((self.field, choices.fields, _("Every field")), (self.facility, choices.facilities, _("Any facility"))):
            chosen = combo.currentData()
            combo.clear()
            combo.addItem(everything, None)
            for code, name in items:
                combo.addItem(name, code)
            combo.setCurrentIndex(max(combo.findData(chosen), 0))

    def _output_changed(self) -> None:
        key = self.output.currentData()
        self.template.setEnabled(key == "letter")
        sheet = LABEL_SHEETS.get(key)
        self.start.setEnabled(sheet is not None)
        if sheet is not None:
            self.start.setMaximum(sheet.count)

    # --- choosing ----------------------------------------------------------------------------------------

    def mail_filter(self) -> MailFilter:
        """The filter as set on the screen."""
        status = self.status.currentData()
        return MailFilter(
            statuses=(status,) if status else (),
            expires_before=self.expiry.date().toPython() if self.use_expiry.isChecked() else None,
            field_code=self.field.currentData(),
            facility_code=self.facility.currentData(),
        )

    def choose(self) -> None:
        """List the groups the filter chooses (those without an address marked)."""
        set_error(self.error, "")
        self.state.runner.submit(mailings.choose, self.state.ctx, self.mail_filter(), on_done=self._chosen,
                                 on_error=lambda e: self._refused(e))

    def _chosen(self, found: list[Recipient]) -> None:
        self.chosen = found
        self.table.setRowCount(len(found))
        for r, recipient in enumerate(found):
            note = _("Not printed: {reason}").format(reason=recipient.skip_reason) if recipient.skip_reason else status_label(recipient.status)
            address = f"〒{recipient.postal_code} {recipient.address}".strip() if recipient.address else ""
            for c, value in enumerate((recipient.group_name, recipient.registration_no, address.replace("\n", " "), note)):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, recipient.group_id)
                if recipient.skip_reason:
                    item.setForeground(QBrush(SKIPPED_COLOR))
                self.table.setItem(r, c, item)
        skipped = sum(1 for r in found if r.skip_reason)
        self.summary.setText(_("{count} groups chosen; {skipped} cannot be printed (in red) and will be left out.").format(count=len(found), skipped=skipped)
                             if skipped else _("{count} groups chosen.").format(count=len(found)))

    # --- printing ------------------------------------------------------------------------------------------

    def save(self) -> None:
        """Build the PDF of the chosen groups, ask where to save it, write it, record the mailing."""
        set_error(self.error, "")
        key = self.output.currentData()
        ctx, ids = self.state.ctx, [r.group_id for r in self.chosen]
        template, addressee, start = self.template.currentData() or "", self.addressee.currentData(), self.start.value()

        def build():
            if key == "letter":
                return documents.mail_letters_pdf(ctx, template, ids, addressee)
            if key == "envelope":
                return documents.mail_envelopes_pdf(ctx, ids, addressee)
            return documents.mail_labels_pdf(ctx, ids, key, start, addressee)

        self.state.runner.submit(build, on_done=self._built, on_error=self._refused)

    def _built(self, document) -> None:
        name = {MailKind.LETTER: document.template_name or _("Letters"), MailKind.LABELS: _("Address labels"),
                MailKind.ENVELOPE: _("Envelopes")}[document.kind]
        path = ask_pdf_path(self, f"{name}_{clock.today():%Y%m%d}.pdf")
        if path is None:
            return
        try:
            path.write_bytes(document.pdf)
        except OSError as exc:
            set_error(self.error, _("The file {path} cannot be written ({reason}).").format(path=path, reason=exc.strerror or exc))
            return
        sent = [r.group_id for r in document.sent]
        skipped = len(document.skipped)
        text = _("Saved {count} groups to {path} and recorded the mailing.").format(count=len(sent), path=path.name)
        if skipped:
            text += " " + _("{count} groups that cannot be printed were left out.").format(count=skipped)
        self.state.runner.submit(mailings.record_mailing, self.state.ctx, document.kind, document.template_name, sent,
                                 on_done=lambda _count: self.result.setText(text), on_error=lambda e: show_error(self, e))

    def _refused(self, error: BaseException) -> None:
        from center_app.domain.errors import ValidationError

        if isinstance(error, ValidationError):
            set_error(self.error, "\n".join(p.message for p in error.problems))
        else:
            show_error(self, error)
