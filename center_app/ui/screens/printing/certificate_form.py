"""登録証 form: one group (found by name, reading or a scanned QR code) or every registered
group in force; A4 or card; reissue; date of issue; the issuer and seal (administrators)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from center_app.domain import clock
from center_app.domain.documents import Issuer, Progress
from center_app.domain.errors import ValidationError
from center_app.domain.roles import Role
from center_app.i18n import _
from center_app.services import certificates
from center_app.services.group_values import REGISTERED, GroupSummary
from center_app.ui.date_entry import DateEdit
from center_app.ui.screens.printing.form_base import DocumentForm, FinalJob, PreviewJob
from center_app.ui.screens.printing.issuer_dialog import IssuerDialog
from center_app.ui.state import AppState
from center_app.ui.widgets import NumberSpinBox, show_error
from center_app.ui.widgets.group_search import GroupSearch

#: Certificates in the preview of "every group": one card sheet, or two A4 pages.
PREVIEW_COUNT = {"a4": 2, "card": 10}


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class CertificateForm(DocumentForm):
    """Choose the group(s), size, reissue and date of issue of 登録証."""

    title = "登録証"

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(state, parent)
        self.group_id: int | None = None
        self.group_number = ""
        self.active_count = 0
        self.issuer: Issuer | None = None

        scope = QWidget()
        row = QVBoxLayout(scope)
        row.setContentsMargins(0, 0, 0, 0)
        self.one = QRadioButton(_("One group"))
        self.one.setObjectName("scope_one")
        self.every = QRadioButton(_("Every registered group in force"))
        self.every.setObjectName("scope_all")
        self.one.setChecked(True)
        self._scope = QButtonGroup(self)
        for button in (self.one, self.every):
            self._scope.addButton(button)
            row.addWidget(button)
        self.add_row("scope", _("Certificates for"), scope)

        self.group_search = GroupSearch(
            state, placeholder=_("Name, reading or registration number (scan the QR code)"), results_height=130,
            status=REGISTERED, empty_text=_("No registered group in force matches."))
        self.group_search.setObjectName("certificate_group")
        self.search, self.results = self.group_search.search, self.group_search.results
        self.add_row("group", _("Group"), self.group_search)

        sizes = QWidget()
        row = QVBoxLayout(sizes)
        row.setContentsMargins(0, 0, 0, 0)
        self.a4 = QRadioButton(_("A4, one per page"))
        self.a4.setObjectName("size_a4")
        self.card = QRadioButton(_("Card 91 × 55 mm, ten per A4 sheet"))
        self.card.setObjectName("size_card")
        self.a4.setChecked(True)
        self._sizes = QButtonGroup(self)
        for button in (self.a4, self.card):
            self._sizes.addButton(button)
            row.addWidget(button)
        self.first_position = NumberSpinBox()
        self.first_position.setObjectName("first_position")
        self.first_position.setRange(1, 10)
        self.first_position.setToolTip(_("Card position on the first sheet (1–10, left to right, top to bottom), for a sheet already partly used."))
        self.first_position.setEnabled(False)
        row.addWidget(self.first_position)
        self.add_row("size", _("Size"), sizes)

        self.reissue = QCheckBox(_("Print as a reissue"))
        self.reissue.setObjectName("reissue")
        self.reissue.setToolTip(_("The group's reissue count goes up by one when the certificate is printed or saved."))
        self.add_row("reissue", _("Reissue"), self.reissue)
        self.english = QCheckBox(_("Add an English line under the title"))
        self.english.setObjectName("english")
        self.add_row("english", _("English"), self.english)
        self.issued_on = DateEdit(qdate(clock.today()), weekday=False)
        self.issued_on.setObjectName("issued_on")
        self.add_row("issued_on", _("Date of issue"), self.issued_on)

        issuer_row = QWidget()
        row = QHBoxLayout(issuer_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.issuer_label = QLabel()
        self.issuer_label.setObjectName("issuer_summary")
        self.issuer_label.setWordWrap(True)
        self.issuer_button = QPushButton(_("Issuer and seal…"))
        self.issuer_button.setObjectName("edit_issuer")
        row.addWidget(self.issuer_label, 1)
        row.addWidget(self.issuer_button)
        self.add_row("seal_image_path", _("Issuer"), issuer_row)

        self.group_search.picked.connect(self._chosen)
        self.group_search.failed.connect(lambda error: show_error(self, error))
        for button in (self.one, self.every, self.a4, self.card):
            button.toggled.connect(self._option_toggled)
        self.reissue.toggled.connect(lambda _on: self.changed.emit())
        self.english.toggled.connect(lambda _on: self.changed.emit())
        self.first_position.valueChanged.connect(lambda _v: self.changed.emit())
        self.card.toggled.connect(self.first_position.setEnabled)
        self.issued_on.dateChanged.connect(lambda _d: self.changed.emit())
        self.issuer_button.clicked.connect(self.edit_issuer)
        self._update_enabled()

    # --- loading -----------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the issuer from 設定 (the seal and names printed on every certificate)."""
        self.state.runner.submit(certificates.issuer, self.state.ctx, on_done=self._issuer_loaded, on_error=lambda e: show_error(self, e))

    def _issuer_loaded(self, issuer: Issuer) -> None:
        self.issuer = issuer
        parts = [issuer.center_name or _("(no center name set)"), issuer.head_line]
        parts.append(_("seal: {file}").format(file=issuer.seal_image_path) if issuer.seal_image_path else _("no seal image"))
        self.issuer_label.setText(" / ".join(p for p in parts if p))
        user = self.state.ctx.user
        self.issuer_button.setEnabled(user is not None and user.role == Role.ADMIN)
        if user is None or user.role != Role.ADMIN:
            self.issuer_button.setToolTip(_("Only an administrator can change the issuer and seal."))

    def edit_issuer(self) -> None:
        dialog = IssuerDialog(self.state, self.issuer, self)
        if dialog.exec() and dialog.saved is not None:
            self._issuer_loaded(dialog.saved)
            self.reset_image_offer()
            self.changed.emit()

    # --- choosing the group ------------------------------------------------------------------------

    def _chosen(self, summary: GroupSummary | None) -> None:
        self.group_id = summary.id if summary is not None else None
        self.group_number = (summary.registration_no or "") if summary is not None else ""
        self.changed.emit()

    def _option_toggled(self, on: bool) -> None:
        if on:
            self._update_enabled()
            self.changed.emit()

    def _update_enabled(self) -> None:
        single = self.one.isChecked()
        for widget in (self.group_search, self.reissue):
            widget.setEnabled(single)

    # --- jobs ----------------------------------------------------------------------------------------

    @property
    def size(self) -> str:
        return "card" if self.card.isChecked() else "a4"

    def _single_id(self) -> int:
        if self.group_id is None:
            raise ValidationError(_("Find and choose the group first."), field_name="group")
        return self.group_id

    def preview_job(self) -> PreviewJob:
        ctx, size, day, skip = self.state.ctx, self.size, pydate(self.issued_on.date()), self.skip_unreadable_images
        position, english = self.first_position.value(), self.english.isChecked()
        if self.every.isChecked():
            def every() -> tuple[bytes, str]:
                found, refused = certificates.split_printable(ctx, certificates.active_certificates(ctx, issued_on=day))
                if not found:
                    raise ValidationError("\n".join(refused) or _("No registered group is in force."), field_name="scope")
                self.active_count = len(found)
                shown = found[:PREVIEW_COUNT[size]]
                note = _("Preview of {shown} of {total} certificates.").format(shown=len(shown), total=len(found)) if len(found) > len(shown) else ""
                if refused:  # printed without them; the clerk sees which and why before printing
                    note = "\n".join([note, _("Left out, the font cannot print them:")] + refused[:5] + (["…"] if len(refused) > 5 else []))
                return certificates.certificates_pdf(ctx, shown, size=size, skip_unreadable_images=skip, first_position=position, english=english), note.strip()
            return every
        group_id, reissue = self._single_id(), self.reissue.isChecked()

        def one() -> tuple[bytes, str]:
            cert = certificates.certificate_for_group(ctx, group_id, issued_on=day, reissue=reissue)
            note = _("Reissue number {count} (counted when printed or saved).").format(count=cert.reissue_count) if reissue else ""
            return certificates.certificates_pdf(ctx, [cert], size=size, skip_unreadable_images=skip, first_position=position, english=english), note
        return one

    def final_job(self, progress: Progress | None) -> FinalJob:
        ctx, size, day, skip = self.state.ctx, self.size, pydate(self.issued_on.date()), self.skip_unreadable_images
        position, english = self.first_position.value(), self.english.isChecked()
        if self.every.isChecked():
            def every() -> bytes:
                found, refused = certificates.split_printable(ctx, certificates.active_certificates(ctx, issued_on=day))
                if not found:
                    raise ValidationError("\n".join(refused) or _("No registered group is in force."), field_name="scope")
                return certificates.certificates_pdf(ctx, found, size=size, progress=progress, skip_unreadable_images=skip, first_position=position, english=english)
            return every
        group_id, reissue = self._single_id(), self.reissue.isChecked()

        def one() -> bytes:
            if reissue:
                cert = certificates.certificate_for_group(ctx, group_id, issued_on=day, reissue=True)
                certificates.certificates_pdf(ctx, [cert], size=size, skip_unreadable_images=skip, first_position=position, english=english)  # refuse before counting
                cert = certificates.record_reissue(ctx, group_id, issued_on=day)
            else:
                cert = certificates.certificate_for_group(ctx, group_id, issued_on=day)
            return certificates.certificates_pdf(ctx, [cert], size=size, skip_unreadable_images=skip, first_position=position, english=english)
        return one

    def item_count(self) -> int:
        return self.active_count if self.every.isChecked() else 1

    def file_name(self) -> str:
        if self.every.isChecked():
            return f"登録証_{pydate(self.issued_on.date()).isoformat()}.pdf"
        return f"登録証_{self.group_number or 'group'}.pdf"

    def output_done(self) -> None:
        if self.one.isChecked() and self.reissue.isChecked():
            self.reissue.setChecked(False)  # the next print is not another reissue unless asked
