"""Main window: navigation on the left, the screen in the middle, a toolbar with the facility
and the date, a status bar with user, role, facility and database (docs/architecture.md §3).

Before any sign-in dialog appears over it — switching user, a session ended by an administrator —
:meth:`MainWindow.clear_screens` removes every screen (and what it shows: an open consultation, a
group's form) and hides the app's other windows, so nothing of the previous person can be read
behind the dialog."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from center_app import __version__
from center_app.domain import clock
from center_app.domain.roles import SECTIONS_BY_ROLE, Section
from center_app.i18n import _
from center_app.services import facilities
from center_app.ui.date_entry import DateEdit
from center_app.ui.login import LoginDialog
from center_app.ui.screens import create_screen
from center_app.ui.state import AppState
from center_app.ui.widgets import MenuShortcuts, ask_discard, fit_to_screen, show_error


#: With ``load_after_paint``, the data is read after this many ms when no paint is reported (no screen).
PAINT_FALLBACK_MS = 1000


class MainWindow(QMainWindow):
    """The shell. ``show_section(key)`` switches screens; screens are built on first use."""

    switch_user_requested = Signal()
    language_requested = Signal(str)
    #: The session ended (SessionEnded: account disabled or changed); the screens are cleared already.
    signed_out = Signal(object)
    #: The window has painted for the first time (emitted once, just after that paint).
    first_painted = Signal()

    def __init__(self, state: AppState, parent: QWidget | None = None, *, load_after_paint: bool = False):
        """``load_after_paint``: the facilities, and the data of the first screen shown, are read
        from the window's first paint on (the start: the window appears sooner, its data a moment
        later without the clerk doing anything); else at once."""
        super().__init__(parent)
        self.state = state
        self.setWindowTitle(_("Center Desk"))
        fit_to_screen(self, 1280, 800)
        self._screens: dict[str, QWidget] = {}
        self._facility_ids: list[int] = []

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(150)
        self.nav.setWordWrap(True)  # a long name (ロッカー・レターケース, "Equipment and printing room") takes two lines
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setStyleSheet("QListWidget { font-size: 15px; } QListWidget::item { padding: 10px 12px; }")
        self.stack = QStackedWidget()
        self._blank = QWidget()
        self._blank.setObjectName("no_screen")
        self.stack.addWidget(self._blank)
        self._cleared_section = ""
        self._painted = False
        self._after_paint: list = []  # what waits for the first paint (load_after_paint)
        self._ending = False  # a sign-out is under way: later refusals of queued work add nothing
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_toolbar()
        self._build_menu()
        self.menu_shortcuts = MenuShortcuts(self)  # they work from every text box too
        self._build_status_bar()
        self._fill_navigation()
        self.nav.currentRowChanged.connect(self._on_nav_row)
        state.runner.unhandled_error.connect(self._show_unhandled)  # bound: dropped with the window
        state.runner.session_ended.connect(self._session_ended)
        state.user_changed.connect(self._on_user_changed)
        state.date_changed.connect(self._follow_date)
        if load_after_paint:
            self._after_paint.append(self._load_facilities)
            QTimer.singleShot(PAINT_FALLBACK_MS, self, self._run_after_paint)  # in case no paint is reported (no screen)
        else:
            self._load_facilities()

    def paintEvent(self, event) -> None:  # noqa: N802, D102 - Qt override: tells when the window is on the screen
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self._run_after_paint)
            QTimer.singleShot(0, self.first_painted.emit)

    def _run_after_paint(self) -> None:
        waiting, self._after_paint = self._after_paint, []
        for call in waiting:
            call()

    # -- building -------------------------------------------------------------------------
    def _build_toolbar(self) -> None:
        bar = QToolBar(_("Facility and date"))
        bar.setObjectName("main_toolbar")
        bar.setMovable(False)
        self.addToolBar(bar)
        bar.addWidget(QLabel(_("Facility") + " "))
        self.facility_box = QComboBox()
        self.facility_box.setObjectName("facility_box")
        self.facility_box.setMinimumWidth(260)
        self.facility_box.currentIndexChanged.connect(self._on_facility_index)
        bar.addWidget(self.facility_box)
        bar.addSeparator()
        bar.addWidget(QLabel(_("Date") + " "))
        self.date_edit = DateEdit(QDate(self.state.date.year, self.state.date.month, self.state.date.day))
        self.date_edit.setObjectName("date_edit")
        self.date_edit.dateChanged.connect(lambda d: self.state.set_date(dt.date(d.year(), d.month(), d.day())))
        bar.addWidget(self.date_edit)
        today = QAction(_("Today"), self)
        today.setShortcut(QKeySequence("Ctrl+T"))
        today.triggered.connect(self.go_today)
        bar.addAction(today)

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu(_("&File"))
        switch = QAction(_("Switch user…"), self)
        switch.setShortcut(QKeySequence("Ctrl+Shift+L"))
        switch.triggered.connect(self.request_switch_user)
        file_menu.addAction(switch)
        file_menu.addSeparator()
        quit_action = QAction(_("Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu(_("&View"))
        self.view_menu = view_menu
        self._section_actions: dict[str, QAction] = {}
        for index, section in enumerate(Section):
            action = QAction(section.title, self)
            action.setShortcut(QKeySequence(f"Ctrl+{(index + 1) % 10}"))  # Ctrl+1 … Ctrl+9, then Ctrl+0 (設定)
            action.triggered.connect(lambda _checked=False, k=section.value: self.show_section(k))
            view_menu.addAction(action)
            self.addAction(action)
            self._section_actions[section.value] = action
        view_menu.addSeparator()
        language_menu = view_menu.addMenu(_("Language"))
        for code, label in (("ja", "日本語"), ("en", "English")):
            action = QAction(label, self)
            action.triggered.connect(lambda _checked=False, c=code: self.request_language(c))
            language_menu.addAction(action)
        help_menu = self.menuBar().addMenu(_("&Help"))
        about = QAction(_("About Center Desk"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _build_status_bar(self) -> None:
        self.user_label = QLabel()
        self.user_label.setObjectName("status_user")
        self.facility_label = QLabel()
        self.facility_label.setObjectName("status_facility")
        self.database_label = QLabel()
        self.database_label.setObjectName("status_database")
        self.busy_label = QLabel()
        self.check_label = QLabel()
        self.check_label.setObjectName("status_checks")
        bar = self.statusBar()
        for label in (self.user_label, self.facility_label, self.database_label):
            bar.addPermanentWidget(label)
        bar.addWidget(self.busy_label)
        bar.addWidget(self.check_label)
        self.state.runner.busy_changed.connect(self._show_busy)
        self._update_status()

    def _fill_navigation(self) -> None:
        self.nav.blockSignals(True)
        self.nav.clear()
        allowed = SECTIONS_BY_ROLE[self.state.ctx.user.role] if self.state.ctx.user else ()
        self._keys = [section.value for section in allowed]
        for section in allowed:
            item = QListWidgetItem(section.title.replace("・", "・\u200b"))  # a long name wraps after 「・」, not mid-word
            item.setData(Qt.ItemDataRole.UserRole, section.value)
            self.nav.addItem(item)
        self.nav.blockSignals(False)
        for key, action in self._section_actions.items():  # 表示 lists only what the role may open
            action.setVisible(key in self._keys)
            action.setEnabled(key in self._keys)

    # -- behaviour ------------------------------------------------------------------------
    def sections(self) -> list[str]:
        """Navigation keys the signed-in role may use, in order."""
        return list(self._keys)

    def current_section(self) -> str:
        """The key of the screen shown."""
        row = self.nav.currentRow()
        return self._keys[row] if 0 <= row < len(self._keys) else ""

    def show_section(self, key: str) -> bool:
        """Show screen ``key``; False (and nothing changes) when the role may not use it."""
        if key not in self._keys:
            return False
        self.nav.setCurrentRow(self._keys.index(key))
        return True

    def request_switch_user(self) -> None:
        """File → Switch user: first asks whether to discard what a form holds unsaved (いいえ:
        nothing happens, the form keeps it)."""
        if self.may_discard_unsaved():
            self.switch_user_requested.emit()

    def request_language(self, language: str) -> None:
        """View → Language (the window is built anew in ``language``): first asks whether to
        discard what a form holds unsaved (いいえ: nothing happens, the form keeps it)."""
        if self.may_discard_unsaved():
            self.language_requested.emit(language)

    def unsaved_forms(self) -> list[QWidget]:
        """The screens and open windows of the app holding input not saved (those with a
        ``has_unsaved_changes()`` that says so)."""
        windows = [w for w in QApplication.topLevelWidgets() if w is not self and w.isVisible()]
        return [w for w in (*self._screens.values(), *windows)
                if callable(getattr(w, "has_unsaved_changes", None)) and w.has_unsaved_changes()]

    def may_discard_unsaved(self) -> bool:
        """True when nothing unsaved would be lost, or the clerk answered はい to 「保存していない
        変更があります。破棄しますか？」 (いいえ by default), as closing such a form asks."""
        return not self.unsaved_forms() or ask_discard(self)

    def screen(self, key: str) -> QWidget | None:
        """The screen widget of ``key`` if it has been built."""
        return self._screens.get(key)

    def _on_nav_row(self, row: int) -> None:
        if not 0 <= row < len(self._keys):
            return
        key = self._keys[row]
        widget = self._screens.get(key)
        if widget is None:
            widget = create_screen(key, self.state)
            widget.setObjectName(f"screen_{key}")
            self._screens[key] = widget
            self.stack.addWidget(widget)
        self.stack.setCurrentWidget(widget)
        activate = getattr(widget, "activate", None)
        if callable(activate):
            if self._after_paint:  # the first screen of load_after_paint: its data once the window is up
                self._after_paint.append(lambda: activate() if self.stack.currentWidget() is widget else None)
            else:
                activate()

    def _follow_date(self, day: dt.date) -> None:
        """Keep the toolbar's date box on the state's date when a screen pages (no loop: an
        unchanged date emits nothing)."""
        self.date_edit.setDate(QDate(day.year, day.month, day.day))

    def go_today(self) -> None:
        """Set the toolbar date to today."""
        today = clock.today()
        self.date_edit.setDate(QDate(today.year, today.month, today.day))

    def _load_facilities(self) -> None:
        self.state.runner.submit(facilities.list_facilities, self.state.ctx, on_done=self._set_facilities)

    def _set_facilities(self, items: list[facilities.FacilityView]) -> None:
        self.facility_box.blockSignals(True)
        self.facility_box.clear()
        self._facility_ids = [f.id for f in items]
        for f in items:
            self.facility_box.addItem(f.name, f.id)
        self.facility_box.blockSignals(False)
        if items:
            self.facility_box.setCurrentIndex(0)
            self._on_facility_index(0)

    def _on_facility_index(self, index: int) -> None:
        if 0 <= index < len(self._facility_ids):
            self.state.set_facility(self._facility_ids[index])
        self._update_status()

    def _show_busy(self, busy: bool) -> None:
        self.busy_label.setText(_("Working…") if busy else "")

    def _show_unhandled(self, error: BaseException) -> None:
        show_error(self, error)

    def show_check_note(self, text: str) -> None:
        """The note of the database checks after the start ("Checking the database…"); "" hides it."""
        self.check_label.setText(text)

    def _update_status(self) -> None:
        user = self.state.ctx.user
        if user:
            self.user_label.setText(_("User: {name} ({role})").format(name=user.display_name, role=user.role.label))
        else:
            self._show_nobody()
        self.facility_label.setText(_("Facility: {name}").format(name=self.facility_box.currentText()) if hasattr(self, "facility_box") else "")
        self.database_label.setText(_("Database: {location}").format(location=self.state.ctx.db.location))

    def clear_screens(self) -> None:
        """Remove every screen and hide the app's other windows (dialogs, previews), so nothing
        the signed-in person had open can be read behind a sign-in dialog, and the status bar names
        nobody. The screens are built again, empty, by :meth:`restore_screens` or for the next user."""
        self._cleared_section = self.current_section() or self._cleared_section
        for window in QApplication.topLevelWidgets():
            if window is not self and window.isWindow() and window.isVisible() and not isinstance(window, LoginDialog):
                window.hide()
        for widget in self._screens.values():
            self.stack.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self._screens.clear()
        self._show_nobody()  # from here until someone signs in (or the same person goes on)
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(-1)
        self.nav.blockSignals(False)
        self.stack.setCurrentWidget(self._blank)

    def _show_nobody(self) -> None:
        self.user_label.setText(_("User: (nobody signed in)"))

    def restore_screens(self) -> None:
        """After :meth:`clear_screens`, when the same person goes on: their screen, loaded anew,
        and their name in the status bar again."""
        self._update_status()
        if not self.show_section(self._cleared_section or "home"):
            self.show_section("home")

    def _session_ended(self, error: BaseException) -> None:
        if self._ending:
            return
        self._ending = True
        self.clear_screens()
        self.signed_out.emit(error)

    def _on_user_changed(self) -> None:
        self._ending = False
        current = self.current_section() or self._cleared_section
        self.clear_screens()
        self._fill_navigation()
        self._update_status()
        if not self.show_section(current):
            self.show_section("home")

    def _about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(self, _("About Center Desk"), _("Center Desk {version}\nCounter application of the citizen activity center.").format(version=__version__))
