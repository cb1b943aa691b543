"""Wiring of the 団体 screen: search-as-you-type, filters, and the actions on the selected groups.

Every action takes the group ids from the model rows selected in the view (never a cached row
number), so it acts on the group the clerk sees, whatever the search or filter. All database
work goes through ``state.runner``.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QProgressDialog

from center_app.domain import clock
from center_app.domain.registration_no import looks_like_registration_no, normalize_registration_no
from center_app.i18n import _
from center_app.print.base import ImageUnreadable
from center_app.services import certificates, groups, groups_io
from center_app.services.group_values import (
    APPLIED,
    EXPIRED,
    LEGAL_FORMS,
    PAUSED,
    REGISTERED,
    STATUSES,
    WITHDRAWN,
    GroupDetail,
    legal_form_label,
    status_label,
)
from center_app.ui import pdf_output
from center_app.ui.screens.groups.form import GroupFormDialog
from center_app.ui.screens.groups.import_dialog import ImportDialog
from center_app.ui.widgets import show_error

if TYPE_CHECKING:
    from center_app.ui.screens.groups.view import GroupsScreen

#: Milliseconds of quiet typing before the search runs.
SEARCH_DELAY_MS = 150
#: Milliseconds after a search as you type before the matches are counted (a count reads every
#: match; while the clerk types only the first page is read).
COUNT_DELAY_MS = 700


class _Progress(QObject):
    """Carries progress from the worker thread to the GUI thread (queued signal)."""

    advanced = Signal(int, int)


class GroupsController(QObject):
    """Logic of :class:`GroupsScreen`; ``view`` is the screen whose widgets it drives."""

    def __init__(self, view: GroupsScreen):
        super().__init__(view)
        self.view, self.state, self.model = view, view.state, view.model
        self.fields = []
        self._filters_loaded = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(lambda: self.search_now(typing=True))
        self.count_timer = QTimer(self)
        self.count_timer.setSingleShot(True)
        self.count_timer.setInterval(COUNT_DELAY_MS)
        self.count_timer.timeout.connect(self._count)
        self._query: tuple = ()
        view.search.textChanged.connect(lambda _text: (self.timer.start(), self.count_timer.stop()))
        for combo in (view.status_filter, view.field_filter, view.legal_form_filter):
            combo.currentIndexChanged.connect(lambda _i: self.search_now())
        self.model.loaded.connect(self._update_count)
        self.model.sort_changed.connect(self.search_now)
        self.model.failed.connect(lambda error: show_error(self.view, error))
        self.model.modelReset.connect(self._update_buttons)
        view.table.doubleClicked.connect(lambda _index: self.open_selected())
        view.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        b = view.buttons
        b["open"].clicked.connect(self.open_selected)
        b["new"].clicked.connect(self.new_group)
        b["renew"].clicked.connect(self.renew_selected)
        b["pause"].clicked.connect(self.pause_selected)
        b["resume"].clicked.connect(self.resume_selected)
        b["approve"].clicked.connect(self.approve_selected)
        b["withdraw"].clicked.connect(self.withdraw_selected)
        b["import"].clicked.connect(self.import_file)
        b["export"].clicked.connect(self.export_file)
        b["certificate"].clicked.connect(self.print_certificate)
        self._fill_static_filters()
        self._update_buttons()

    # --- search ----------------------------------------------------------------------------------

    def _fill_static_filters(self) -> None:
        v = self.view
        v.status_filter.addItem(_("All"), None)
        for code in STATUSES:
            v.status_filter.addItem(status_label(code), code)
        v.legal_form_filter.addItem(_("All"), None)
        for code in LEGAL_FORMS:
            v.legal_form_filter.addItem(legal_form_label(code), code)
        v.field_filter.addItem(_("All"), None)

    def activate(self) -> None:
        """Load the activity fields once, then search with the current text and filters."""
        if not self._filters_loaded:
            self.state.runner.submit(groups.activity_fields, self.state.ctx, on_done=self._fields_loaded, on_error=lambda e: show_error(self.view, e))
        self.search_now()

    def _fields_loaded(self, fields) -> None:
        self.fields = fields
        self._filters_loaded = True
        combo = self.view.field_filter
        combo.blockSignals(True)
        for f in fields:
            combo.addItem(f"{f.code}. {f.short_name}", f.code)
        combo.blockSignals(False)

    def search_now(self, *, typing: bool = False) -> None:
        """Run the search for the text and filters shown now. ``typing`` (the pause in typing
        runs it): read the first page only, and count the matches once the typing has stopped."""
        self.timer.stop()
        self.count_timer.stop()
        v = self.view
        text, status = v.search.text(), v.status_filter.currentData()
        field_code, legal_form = v.field_filter.currentData(), v.legal_form_filter.currentData()
        ctx, order, descending = self.state.ctx, self.model.order, self.model.descending
        self._query = (text, status, field_code, legal_form)
        self.model.set_query(lambda offset, limit: groups.search_groups(
            ctx, text, status=status, field_code=field_code, legal_form=legal_form, offset=offset, limit=limit,
            count=not typing, order=order, descending=descending))

    def _update_count(self) -> None:
        shown = self.model.rowCount()
        if self.model.exact:
            self.view.count_label.setText(_("{shown} of {total} groups").format(shown=shown, total=self.model.total))
        else:
            self.view.count_label.setText(_("{shown} of more than {shown} groups").format(shown=shown))
            if not self.count_timer.isActive():
                self.count_timer.start()
        self._update_buttons()

    def _count(self) -> None:
        """Count the matches of the search shown, now that the typing has stopped."""
        if self.model.exact:
            return
        generation = self.model.generation
        text, status, field_code, legal_form = self._query
        self.state.runner.submit(
            groups.count_groups, self.state.ctx, text, status=status, field_code=field_code, legal_form=legal_form,
            on_done=lambda total: self.model.set_total(generation, total), on_error=lambda e: show_error(self.view, e),
        )

    def focus_table(self) -> None:
        """Move from the search box into the list (↓)."""
        table = self.view.table
        table.setFocus()
        if not self.selected_ids() and self.model.rowCount():
            table.selectRow(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Enter in the table opens the selected group; ↓ in the search box moves into the table."""
        if event.type() == QEvent.Type.KeyPress and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            if watched is self.view.table and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_selected()
                return True
            if watched is self.view.search and event.key() == Qt.Key.Key_Down:
                self.focus_table()
                return True
        return super().eventFilter(watched, event)

    # --- selection -------------------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        """Ids of the groups in the selected rows, top to bottom."""
        rows = sorted({index.row() for index in self.view.table.selectionModel().selectedRows()})
        return [gid for gid in (self.model.group_id(r) for r in rows) if gid is not None]

    def _update_buttons(self) -> None:
        ids = self.selected_ids()
        row = self.model.row_of(ids[0]) if len(ids) == 1 else None
        status = self.model.summary(row).status if row is not None else None
        b = self.view.buttons
        b["open"].setEnabled(status is not None)
        b["pause"].setEnabled(status in (REGISTERED, EXPIRED))
        b["resume"].setEnabled(status == PAUSED)
        b["approve"].setEnabled(status == APPLIED)
        b["withdraw"].setEnabled(status is not None and status != WITHDRAWN)
        b["renew"].setEnabled(bool(ids))
        b["certificate"].setEnabled(status == REGISTERED)

    def _select(self, group_id: int) -> None:
        row = self.model.row_of(group_id)
        if row is not None:
            self.view.table.selectRow(row)

    def _refresh(self, keep: int | None = None) -> None:
        if keep is not None:
            self.model.loaded.connect(lambda: self._select(keep), Qt.ConnectionType.SingleShotConnection)
        self.model.reload()

    # --- actions ---------------------------------------------------------------------------------

    def open_first_or_selected(self) -> None:
        """Enter in the search box (a QR scanner types the number and Enter): open the group of
        the typed registration number, else the selected group, else the first one found — of
        the search for the text in the box, waited for when it has not answered yet (the list on
        screen may still be the previous search's). A registration number of no group opens
        nothing and says so."""
        text = self.view.search.text()
        if self.timer.isActive() or not self._query or self._query[0] != text:
            self.search_now()
        elif not self.model.searching:
            self._open_found(self.model.generation, text)
            return
        generation = self.model.generation
        self.model.loaded.connect(lambda: self._open_found(generation, text), Qt.ConnectionType.SingleShotConnection)

    def _open_found(self, generation: int, text: str) -> None:
        if generation != self.model.generation or text != self.view.search.text():
            return  # searched again meanwhile: that search's Enter decides
        number = normalize_registration_no(text.strip())
        row = next((i for i, g in enumerate(self.model.rows) if number and g.registration_no == number), None)
        if row is None and looks_like_registration_no(number):
            self.view.table.clearSelection()
            self.view.count_label.setText(_("No group has the registration number {number}.").format(number=number))
            return
        if row is not None:
            self.view.table.selectRow(row)
        elif not self.selected_ids() and self.model.rowCount():
            self.view.table.selectRow(0)
        self.open_selected()

    def open_selected(self) -> None:
        """Open the form of the selected group (Enter, double-click, 開く)."""
        ids = self.selected_ids()
        if len(ids) == 1:
            self.state.runner.submit(groups.get_group, self.state.ctx, ids[0], on_done=self._show_form, on_error=lambda e: show_error(self.view, e))

    def new_group(self) -> None:
        """Open an empty form (新規登録)."""
        self._show_form(None)

    def _show_form(self, detail: GroupDetail | None) -> None:
        dialog = GroupFormDialog(self.state, self.fields, detail, self.view)
        if dialog.exec() == GroupFormDialog.DialogCode.Accepted and dialog.saved is not None:
            self._refresh(keep=dialog.saved.id)

    def renew_selected(self) -> None:
        """Renew the selected groups for a fiscal year chosen by the clerk, with a progress dialog."""
        ids = self.selected_ids()
        if not ids:
            return
        year = groups.default_renewal_fiscal_year(clock.today())
        from center_app.domain.fiscal import fiscal_year_label

        choices = [fiscal_year_label(y) for y in (year - 1, year, year + 1)]
        label, ok = QInputDialog.getItem(self.view, _("Renew"), _("Renew {count} groups for the fiscal year:").format(count=len(ids)), choices, 1, False)
        if ok:
            self.renew(ids, year - 1 + choices.index(label))

    def renew(self, ids: list[int], fiscal_year: int) -> None:
        """Renew ``ids`` for ``fiscal_year``; a progress dialog lets the clerk cancel (nothing kept)."""
        dialog = QProgressDialog(_("Renewing groups…"), _("Cancel"), 0, len(ids), self.view)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        progress, stop = _Progress(self), threading.Event()
        progress.advanced.connect(lambda done, _total: dialog.setValue(done))
        dialog.canceled.connect(stop.set)

        def report(done: int, total: int) -> bool:
            progress.advanced.emit(done, total)
            return not stop.is_set()

        def finished(result) -> None:
            dialog.reset()
            text = _("{count} groups renewed.").format(count=result.renewed)
            if result.skipped:
                text += "\n" + "\n".join(reason for _gid, reason in result.skipped)
            QMessageBox.information(self.view, _("Renew"), text)
            self._refresh()

        def failed(error: BaseException) -> None:
            dialog.reset()
            if isinstance(error, groups.Cancelled):
                QMessageBox.information(self.view, _("Renew"), _("Renewal cancelled. No group was changed."))
            else:
                show_error(self.view, error)

        self.state.runner.submit(groups.renew_groups, self.state.ctx, ids, fiscal_year, report, on_done=finished, on_error=failed)

    def _status_action(self, fn, question: str | None, ask_reason: bool) -> None:
        ids = self.selected_ids()
        if len(ids) != 1:
            return
        summary = self.model.summary(self.model.row_of(ids[0]))
        reason = ""
        if ask_reason:
            reason, ok = QInputDialog.getText(self.view, _("Group"), (question or "").format(name=summary.name))
            if not ok:
                return
        self.state.runner.submit(fn, self.state.ctx, ids[0], *((reason,) if ask_reason else ()),
                                 on_done=lambda d: self._refresh(keep=d.id), on_error=lambda e: show_error(self.view, e))

    def pause_selected(self) -> None:
        """Pause the selected group (休止), asking for a reason."""
        self._status_action(groups.pause_group, _("Pause {name}? Reason (optional):"), True)

    def resume_selected(self) -> None:
        """Resume the selected paused group."""
        self._status_action(groups.resume_group, None, False)

    def approve_selected(self) -> None:
        """Register the selected application (申請中 → 登録); the number is assigned now."""
        self._status_action(groups.approve_application, None, False)

    def withdraw_selected(self) -> None:
        """Withdraw the selected group (廃止), asking for a reason; refused while it has future bookings."""
        self._status_action(groups.withdraw_group, _("Withdraw {name}? Its history is kept. Reason (optional):"), True)

    def print_certificate(self) -> None:
        """登録証を印刷: ask 発行 or 再発行, then Qt's print dialog, then the certificate (A4).

        The reissue count rises only when the printer was chosen; cards and batches are printed
        from the 印刷 screen."""
        ids = self.selected_ids()
        if len(ids) != 1:
            return
        box = QMessageBox(QMessageBox.Icon.Question, _("Print certificate"), _("Print the registration certificate of the selected group."), parent=self.view)
        first = box.addButton(_("Issue"), QMessageBox.ButtonRole.AcceptRole)
        again = box.addButton(_("Reissue (count +1)"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() not in (first, again):
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self.view).exec() != QPrintDialog.DialogCode.Accepted:
            return
        self._print_certificate(printer, ids[0], box.clickedButton() is again, skip_images=False)

    def _print_certificate(self, printer: QPrinter, group_id: int, reissue: bool, *, skip_images: bool) -> None:
        def done(pdf: bytes) -> None:
            pdf_output.paint_pdf(printer, pdf)
            self._refresh(keep=group_id)

        def failed(error: BaseException) -> None:
            if isinstance(error, ImageUnreadable) and not skip_images:
                answer = QMessageBox.question(self.view, _("Print certificate"), _("{problem}\nPrint without the image?").format(problem=error))
                if answer == QMessageBox.StandardButton.Yes:
                    self._print_certificate(printer, group_id, reissue, skip_images=True)
                return
            show_error(self.view, error)

        self.state.runner.submit(
            certificates.group_certificate_pdf, self.state.ctx, group_id, size="a4", reissue=reissue,
            skip_unreadable_images=skip_images, on_done=done, on_error=failed,
        )

    def import_file(self) -> None:
        """Open 取り込み; refresh the list after an import."""
        dialog = ImportDialog(self.state, self.view)
        dialog.exec()
        if dialog.result is not None:
            self._refresh()

    def export_file(self) -> None:
        """Export every group, or only public fields, to a CSV or XLSX file."""
        choices = [_("All fields (for the office)"), _("Public list (consented fields of registered groups)")]
        choice, ok = QInputDialog.getItem(self.view, _("Export"), _("What to export:"), choices, 0, False)
        if not ok:
            return
        name, _filter = QFileDialog.getSaveFileName(self.view, _("Export"), "groups.xlsx", _("Group lists (*.csv *.xlsx)"))
        if name:
            self.state.runner.submit(
                groups_io.export_groups, self.state.ctx, Path(name), public=choices.index(choice) == 1,
                on_done=lambda count: QMessageBox.information(self.view, _("Export"), _("Exported {count} groups to {path}.").format(count=count, path=name)),
                on_error=lambda e: show_error(self.view, e),
            )
