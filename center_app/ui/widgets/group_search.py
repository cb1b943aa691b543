"""The group search of the forms that name a registered group (the booking dialog's applicant,
the 補助金・協働 application, the 共催・後援 application): a text box, the groups found, and the
group picked, shown with its 登録番号.

The search runs as the clerk types, after a pause (:data:`SEARCH_DELAY_MS`), on the first page
of :func:`services.groups.search_groups` (:data:`RESULTS` groups, no total count): name, reading,
phone or 登録番号, typed or scanned from the certificate's QR code (which types the number and
Enter). Keyboard: ↓ moves into the results; Enter in the box picks the group of the typed or
scanned number, else the first hit; Enter or a double-click on a result picks it; Enter never
reaches the dialog (it used to save the form at once). Escape clears the search; in an empty box
it goes on to the dialog. An answer arriving after the box changed is dropped.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from center_app.domain.registration_no import looks_like_registration_no, normalize_registration_no
from center_app.i18n import _
from center_app.services import groups
from center_app.services.group_values import REGISTERED, GroupPage, GroupSummary, status_label
from center_app.ui.state import AppState

SEARCH_DELAY_MS = 150
RESULTS = 20
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def _search(ctx, text: str, status: str | None = None) -> tuple[str, GroupPage]:
    """(``text``, the first :data:`RESULTS` groups found for it, of ``status`` when given): the
    answer names its question, so an answer arriving after the search box changed can be told
    apart."""
    return text, groups.search_groups(ctx, text, status=status, limit=RESULTS, count=False)


class GroupSearch(QWidget):
    """Find and pick one registered group; ``group`` is the picked ``GroupSummary`` (None: none).

    ``picked`` is emitted with the group (or None) whenever the pick changes; ``failed`` with the
    error of a search that failed (an exception). ``name_field`` True: the box is also the
    applicant's name as typed — picking writes the group's name into it, typing over that name drops the group, and
    the results show only while there are some (the 共催・後援 form). ``results_height``: the
    list's height in pixels. ``status``: only groups of that status code are found (the 登録証
    form: 登録 in force); ``empty_text``: the line the list shows when a search finds nothing.
    """

    picked = Signal(object)
    failed = Signal(object)

    def __init__(self, state: AppState, parent: QWidget | None = None, *, name_field: bool = False,
                 placeholder: str | None = None, results_height: int = 100, status: str | None = None,
                 empty_text: str | None = None):
        super().__init__(parent)
        self.state, self.name_field, self.status, self.empty_text = state, name_field, status, empty_text
        self.group: GroupSummary | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.search = QLineEdit()
        self.search.setObjectName("group_search")
        self.search.setClearButtonEnabled(not name_field)
        self.search.setPlaceholderText(placeholder or _("Name, reading, phone or registration number (or scan the QR code)"))
        layout.addWidget(self.search)
        self.results = QListWidget()
        self.results.setObjectName("group_results")
        self.results.setMaximumHeight(results_height)
        self.results.setVisible(not name_field)
        layout.addWidget(self.results)
        self.chosen = QLabel("" if name_field else _("No group chosen."))
        self.chosen.setObjectName("group_chosen")
        self.chosen.setWordWrap(True)
        layout.addWidget(self.chosen)
        layout.addStretch(1)  # room the form gives beyond the list goes below the group picked
        self.setFocusProxy(self.search)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.search_now)
        self.search.textEdited.connect(self._typed)
        self.search.installEventFilter(self)
        self.results.installEventFilter(self)
        self.results.itemActivated.connect(self._pick_item)
        self.results.itemClicked.connect(self._pick_item)

    # --- keys -------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() != QEvent.Type.KeyPress or watched not in (self.search, self.results):
            return super().eventFilter(watched, event)
        key = event.key()
        if watched is self.search and key == Qt.Key.Key_Down and self.results.count():
            self.results.setFocus()
            self.results.setCurrentRow(0)
            return True
        if key in _ENTER:  # picks only: the list, and the box, passed Enter on to the dialog, which saved the form
            if watched is self.search:
                self.pick_typed()
            elif self.results.currentItem() is not None:
                self._pick_item(self.results.currentItem())
            return True
        if key == Qt.Key.Key_Escape and (self.search.text() or self.results.count()):
            self.clear_search()
            return True
        return super().eventFilter(watched, event)

    # --- searching --------------------------------------------------------------------------------

    def _typed(self, text: str) -> None:
        if self.name_field and self.group is not None and text != self.group.name:
            self.choose(None)  # a name typed over the group's: no longer that group
        self.timer.start()

    def search_now(self) -> None:
        """Run the search for the typed text now (an empty box, or a picked group's name in the
        name field: no results)."""
        self.timer.stop()
        text = self.search.text().strip()
        if not text or (self.name_field and self.group is not None):
            self._show_results(None)
            return
        self.state.runner.submit(_search, self.state.ctx, text, self.status, on_done=self._found, on_error=self.failed.emit)

    def _found(self, found: tuple[str, GroupPage]) -> None:
        text, page = found
        if text == self.search.text().strip():  # else the clerk typed on or emptied the box meanwhile
            self._show_results(page)

    def _show_results(self, page: GroupPage | None) -> None:
        self.results.clear()
        for summary in page.items if page else ():
            item = QListWidgetItem(f"{summary.registration_no or '—'}  {summary.name}（{summary.name_kana}）  {status_label(summary.status)}")
            item.setData(Qt.ItemDataRole.UserRole, summary)
            if summary.status != REGISTERED:
                item.setForeground(Qt.GlobalColor.darkGray)
            self.results.addItem(item)
        if page is not None and not page.items and self.empty_text:
            self.results.addItem(self.empty_text)
            self.results.item(0).setFlags(Qt.ItemFlag.NoItemFlags)
        if self.name_field:
            self.results.setVisible(self.results.count() > 0)

    def pick_typed(self) -> None:
        """Enter in the box: the group of the typed or scanned number, else the first hit of a
        name, reading or phone. A registration number (a letter, then digits: 「R08-0012」) of no
        group found picks nothing rather than another group, and a search that finds nothing
        drops the group picked before; either is said under the box."""
        text = self.search.text().strip()
        number = normalize_registration_no(text)
        self.timer.stop()
        if not text or (self.name_field and self.group is not None):
            return

        def picked(found: tuple[str, GroupPage]) -> None:
            if found[0] != self.search.text().strip():
                return  # the clerk typed on or scanned again meanwhile: that search picks
            items = list(found[1].items)
            self._show_results(found[1])
            exact = [s for s in items if number and s.registration_no == number]
            if exact or (items and not looks_like_registration_no(number)):
                self.choose((exact or items)[0])
                return
            if self.group is not None:
                self.choose(None)
            if self.name_field and not looks_like_registration_no(number):
                return  # a name of no registered group: the applicant as typed
            if looks_like_registration_no(number) and self.status == REGISTERED:
                message = _("No group registered and in force has the registration number {number}.").format(number=number)
            elif looks_like_registration_no(number):
                message = _("No group has the registration number {number}.").format(number=number)
            else:
                message = self.empty_text or _("No group matches 「{text}」.").format(text=text)
            self.chosen.setText(message)

        self.state.runner.submit(_search, self.state.ctx, text, self.status, on_done=picked, on_error=self.failed.emit)

    def clear_search(self) -> None:
        """Escape: empty the box and the results (in the name field, the name and its group too)."""
        self.timer.stop()
        self.search.clear()
        self._show_results(None)
        if self.name_field and self.group is not None:
            self.choose(None)
        self.search.setFocus()

    # --- the group picked -------------------------------------------------------------------------

    def _pick_item(self, item: QListWidgetItem) -> None:
        summary = item.data(Qt.ItemDataRole.UserRole)
        if summary is not None:  # not the line saying nothing was found
            self.choose(summary)

    def choose(self, summary: GroupSummary | None) -> None:
        """Make ``summary`` the group picked (None: no group), shown with its 登録番号 (in the
        name field, whose box then holds the group's name: 「登録団体 R08-0012」)."""
        self.group = summary
        if summary is None:
            self.chosen.setText("" if self.name_field else _("No group chosen."))
        elif self.name_field:
            self.search.setText(summary.name)
            self._show_results(None)
            number = summary.registration_no
            self.chosen.setText(_("Registered group {number}").format(number=number) if number else _("Registered group"))
        else:
            self.chosen.setText(_("{name} ({number}, {status})").format(
                name=summary.name, number=summary.registration_no or "—", status=status_label(summary.status)))
        self.picked.emit(summary)

    def show_group(self, summary: GroupSummary) -> None:
        """Show the group of a stored record, whose status was not read (the form of an edit);
        its 登録番号 beside the name when the record gave it."""
        self.choose(summary)
        if not self.name_field:
            number = summary.registration_no
            self.chosen.setText(_("{name} ({number})").format(name=summary.name, number=number) if number else summary.name)

    @property
    def group_id(self) -> int | None:
        """The id of the group picked, or None."""
        return self.group.id if self.group else None
