"""Sign-in dialog, main window and navigation by role, driven with real widgets."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from center_app.services.context import ServiceContext
from center_app.ui.login import LoginDialog
from center_app.ui.main_window import MainWindow
from center_app.ui.runner import ImmediateRunner
from center_app.ui.state import AppState


def test_an_empty_field_is_asked_for_beside_it_and_gets_the_focus(qtbot, admin_ctx):
    dialog = LoginDialog(admin_ctx.db, ImmediateRunner(), first_run=False)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.password, "admin-password-1")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)  # the login name left empty
    assert "ログイン名を入力" in dialog.errors["login_name"].text() and dialog.focusWidget() is dialog.login_name
    assert dialog.password.text() == "admin-password-1" and dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.login_name, "admin")
    dialog.password.clear()
    qtbot.keyClick(dialog.login_name, Qt.Key.Key_Return)
    assert "パスワードを入力" in dialog.errors["password"].text() and dialog.focusWidget() is dialog.password
    assert dialog.user is None


def test_wrong_password_keeps_the_dialog_open_and_says_so(qtbot, admin_ctx):
    dialog = LoginDialog(admin_ctx.db, ImmediateRunner(), first_run=False)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.login_name, "admin")
    qtbot.keyClicks(dialog.password, "wrong-password")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() != LoginDialog.DialogCode.Accepted and dialog.user is None
    assert "正しくありません" in dialog.message.text()
    assert dialog.login_name.text() == "admin" and dialog.password.text() == ""
    qtbot.keyClicks(dialog.password, "admin-password-1")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() == LoginDialog.DialogCode.Accepted and dialog.user.login_name == "admin"


def test_first_run_creates_the_administrator_and_keeps_input_on_error(qtbot, db):
    dialog = LoginDialog(db, ImmediateRunner(), first_run=True)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.login_name, "kanri")
    dialog.display_name.insert("管理 花子")  # keyClicks takes ASCII only
    qtbot.keyClicks(dialog.password, "short")
    qtbot.keyClicks(dialog.password_again, "short")
    dialog.submit()
    assert dialog.user is None
    assert "10文字以上" in dialog.errors["password"].text()
    assert dialog.display_name.text() == "管理 花子"
    dialog.password.setText("long-enough-pw")
    dialog.password_again.setText("long-enough-pw")
    dialog.submit()
    assert dialog.user is not None and dialog.user.role.value == "admin"


def _window(qtbot, ctx: ServiceContext) -> MainWindow:
    window = MainWindow(AppState(ctx, ImmediateRunner()))
    qtbot.addWidget(window)
    window.show()
    return window


def test_navigation_follows_the_role(qtbot, admin_ctx, counter_ctx):
    admin_window = _window(qtbot, admin_ctx)
    assert admin_window.sections() == ["home", "bookings", "groups", "consultations", "printing", "lockers", "equipment", "statistics", "grants", "settings"]
    counter_window = _window(qtbot, counter_ctx)
    assert "settings" not in counter_window.sections() and "consultations" not in counter_window.sections()
    assert "equipment" in counter_window.sections()
    assert "grants" not in counter_window.sections()
    assert counter_window.show_section("settings") is False
    assert "窓口職員" in counter_window.user_label.text()


def test_status_bar_names_user_facility_and_database(qtbot, admin_ctx):
    window = _window(qtbot, admin_ctx)
    assert window.facility_box.count() == 7
    assert "南アルプス市市民活動センター" in window.facility_label.text()
    assert admin_ctx.db.location in window.database_label.text()


def test_home_shows_closed_days_with_reasons(qtbot, admin_ctx):
    import datetime as dt

    window = _window(qtbot, admin_ctx)
    window.state.set_date(dt.date(2026, 12, 27))
    window.show_section("home")
    table = window.screen("home").table
    notes = {table.item(r, 0).text(): (table.item(r, 1).text(), table.item(r, 2).text()) for r in range(table.rowCount())}
    assert notes["令和8年12月29日（火）"] == ("休館", "年末年始")
    assert notes["令和8年12月27日（日）"] == ("開館", "")


def test_sections_not_built_yet_say_so(qtbot, admin_ctx, monkeypatch):
    from center_app.ui import screens

    monkeypatch.delitem(screens.SCREENS, "statistics", raising=False)
    window = _window(qtbot, admin_ctx)
    window.show_section("statistics")
    label = window.screen("statistics").findChild(QLabel, "not_yet")
    assert "まだ使えません" in label.text()


def test_keyboard_moves_through_sections(qtbot, admin_ctx):
    window = _window(qtbot, admin_ctx)
    window.show_section("home")
    qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    assert window.current_section() == "bookings"
    qtbot.keyClick(window.nav, Qt.Key.Key_End)
    assert window.current_section() == "settings"
    shortcuts = {a.shortcut().toString() for a in window.actions()}
    assert {"Ctrl+1", "Ctrl+7"} <= shortcuts


def test_screenshot_command_writes_a_png(tmp_path):
    target = tmp_path / "home.png"
    result = subprocess.run(
        [sys.executable, "-m", "center_app", "--screenshot", str(target), "--view", "home"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image

    with Image.open(target) as image:  # the counter's 1366×768 screen, maximized above the taskbar
        assert image.size == (1366, 728)


def test_toolbar_date_follows_paging_in_a_screen(qtbot, admin_ctx):
    import datetime as dt

    window = _window(qtbot, admin_ctx)
    window.state.set_date(dt.date(2027, 1, 5))
    assert window.date_edit.date().toString("yyyy-MM-dd") == "2027-01-05"


def test_threaded_sign_in_waits_for_the_check_and_keeps_the_login_name(qtbot, admin_ctx, threaded_runner):
    dialog = LoginDialog(admin_ctx.db, threaded_runner, first_run=False)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.login_name, "admin")
    qtbot.keyClicks(dialog.password, "wrong-password")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert not dialog.ok_button.isEnabled()  # checking the password (argon2) in the background: no second press
    qtbot.waitUntil(lambda: "正しくありません" in dialog.message.text(), timeout=10_000)
    assert dialog.isVisible() and dialog.user is None and dialog.ok_button.isEnabled()
    assert dialog.login_name.text() == "admin" and dialog.password.text() == "" and dialog.focusWidget() is dialog.password
    qtbot.keyClicks(dialog.password, "admin-password-1")
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.user is not None and dialog.user.login_name == "admin" and dialog.user.role.value == "admin"


def test_threaded_switching_user_while_a_screen_loads_rebuilds_the_screens(qtbot, admin_ctx, counter_ctx, threaded_runner):
    import shiboken6

    from runner_support import delivered, slow_database

    from center_app.services.group_values import GroupInput
    from center_app.services.groups import register_group

    register_group(admin_ctx, GroupInput(name="櫛形手話サークル", name_kana="クシガタシュワサークル", legal_form="voluntary",
                                         activity_fields=(2,), representative_name="山田 花子"))
    window = MainWindow(AppState(admin_ctx, threaded_runner))
    qtbot.addWidget(window)
    window.show()
    with delivered(qtbot, threaded_runner):
        window.show_section("groups")
    old = window.stack.currentWidget()
    with delivered(qtbot, threaded_runner), slow_database(threaded_runner):
        old.activate()  # the group list is being read again …
        window.state.set_context(counter_ctx)  # … when another clerk signs in: the screens are rebuilt
        qtbot.waitUntil(lambda: not shiboken6.isValid(old), timeout=5_000)
    # the old list's answer arrived for a screen that is gone (and is dropped); the new screen shows the list
    new = window.stack.currentWidget()
    assert new is not old and window.current_section() == "groups"
    qtbot.waitUntil(lambda: new.model.rowCount() == 1, timeout=10_000)
    assert "counter 太郎" in window.user_label.text()


def test_twenty_user_and_language_switches_leave_one_live_screen_set_and_no_traceback(qtbot, admin_ctx, counter_ctx, monkeypatch):
    import datetime as dt

    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    from center_app.ui.application import Session
    from center_app.ui.screens.bookings import controller
    from center_app.ui.screens.bookings.view import BookingsScreen
    from center_app.ui.screens.home import HomeScreen

    runner = ImmediateRunner()
    session = Session(QApplication.instance(), admin_ctx.db, runner)
    session.state = AppState(admin_ctx, runner)
    session.open_window("bookings")
    monkeypatch.setattr(session, "change_language", lambda language: session.open_window(session.window.current_section()))
    for turn in range(20):
        session.state.set_context(counter_ctx if turn % 2 == 0 else admin_ctx)
        session.window.show_section("home")
        session.window.show_section("bookings")
        if turn % 5 == 4:
            session.window.language_requested.emit("ja")  # rebuilds the window, as 表示 → Language does
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    queries = []
    real = controller.fetch_range
    monkeypatch.setattr(controller, "fetch_range", lambda *a, **k: queries.append(a) or real(*a, **k))
    session.state.set_date(dt.date(2026, 12, 24))
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    live = [w for w in QApplication.allWidgets() if isinstance(w, (BookingsScreen, HomeScreen))]
    assert [type(w).__name__ for w in live] == ["BookingsScreen"]  # the new window opened on 予約 only
    assert len(queries) == 1  # the one live calendar; the dead ones ask nothing
    session.window.close()


def test_the_view_menu_lists_only_the_screens_the_role_may_open(qtbot, admin_ctx, counter_ctx):
    window = _window(qtbot, counter_ctx)
    shown = [a.text() for a in window.view_menu.actions() if a.isVisible() and not a.isSeparator() and a.menu() is None]
    assert shown == [window.nav.item(row).text().replace("\u200b", "") for row in range(window.nav.count())]
    assert "設定" not in shown and "相談" not in shown
    window.state.set_context(admin_ctx)
    assert "設定" in [a.text() for a in window.view_menu.actions() if a.isVisible()]


def test_every_screen_of_the_english_ui_fits_1280_pixels_without_cut_off_buttons(qtbot, admin_ctx):
    from PySide6.QtWidgets import QPushButton

    from PySide6.QtWidgets import QApplication

    from center_app import i18n
    from center_app.ui.application import install_language, prepare

    app = QApplication.instance()
    font = app.font()
    prepare(app)  # the app's own font (IPAex), as a clerk sees it
    install_language(app, "en")
    try:
        window = _window(qtbot, admin_ctx)
        window.resize(1280, 768)
        for key in window.sections():
            window.show_section(key)
            qtbot.wait(10)
            assert window.minimumSizeHint().width() <= 1280, key
            assert window.width() <= 1280, key
            screen = window.screen(key)
            for button in screen.findChildren(QPushButton):
                if button.isVisible() and button.text():
                    assert button.width() >= button.sizeHint().width() - 2, (key, button.text())
    finally:
        install_language(app, "ja")
        app.setFont(font)
        i18n.set_language("ja")


def test_qts_own_file_dialog_speaks_japanese_in_the_japanese_ui(qtbot):
    from PySide6.QtWidgets import QApplication, QFileDialog

    from center_app.ui.application import install_language

    install_language(QApplication.instance(), "ja")
    dialog = QFileDialog()
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert "場所(&L):" in texts and "ファイルの種類(&T):" in texts and "ファイル名(&N):" in texts
    assert not any(text.isascii() and text for text in texts)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_section_name_is_shown_whole_in_the_navigation(qtbot, admin_ctx, language):
    """The defect: 「ロッカー・レターケ…」 and "Equipment and pri…" were cut, with a scroll bar under
    the list; a long name now wraps (in Japanese after 「・」)."""
    from center_app import i18n

    i18n.set_language(language)
    try:
        window = _window(qtbot, admin_ctx)
        window.show()
        nav = window.nav
        assert nav.horizontalScrollBar().maximum() == 0  # nothing wider than the list: no name cut off
        lockers = next(nav.item(r).text() for r in range(nav.count()) if nav.item(r).data(Qt.ItemDataRole.UserRole) == "lockers")
        assert lockers.replace("\u200b", "") == ("ロッカー・レターケース" if language == "ja" else "Lockers and letter cases")
    finally:
        i18n.set_language("ja")


def test_switching_the_language_or_the_user_asks_before_discarding_an_unsaved_form(qtbot, admin_ctx, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    window = MainWindow(AppState(admin_ctx, ImmediateRunner()))
    qtbot.addWidget(window)
    window.show()
    requested = []
    window.language_requested.connect(lambda code: requested.append(code))
    window.switch_user_requested.connect(lambda: requested.append("switch"))
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append((a[2], a[4])) or QMessageBox.StandardButton.No)
    from PySide6.QtGui import QAction

    english = next(a for a in window.findChildren(QAction) if a.text() == "English")  # 表示 → 言語 → English
    switch = next(a for a in window.findChildren(QAction) if a.shortcut().toString() == "Ctrl+Shift+L")  # ファイル → ユーザーの切り替え
    window.show_section("consultations")
    screen = window.screen("consultations")
    screen.new_consultation()
    english.trigger()  # nothing typed yet: no question
    assert requested == ["en"] and not asked
    requested.clear()
    screen.form.content.insertPlainText("補助金の申請書の書き方")
    english.trigger()
    switch.trigger()
    assert asked == [("保存していない変更があります。破棄しますか？", QMessageBox.StandardButton.No)] * 2  # いいえ by default
    assert requested == [] and screen.form.content.toPlainText() == "補助金の申請書の書き方"  # いいえ: nothing happens
    assert window.stack.currentWidget() is screen and screen.pages.currentWidget() is screen.form
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    english.trigger()
    switch.trigger()
    assert requested == ["en", "switch"]  # はい: the switch goes ahead


def test_switching_the_language_asks_before_discarding_typing_in_the_center_settings(qtbot, admin_ctx, monkeypatch):
    """A second walk-through: a refused 設定 → センター form was thrown away by 表示 → English."""
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMessageBox

    window = MainWindow(AppState(admin_ctx, ImmediateRunner()))
    qtbot.addWidget(window)
    window.show()
    requested = []
    window.language_requested.connect(lambda code: requested.append(code))
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No)
    english = next(a for a in window.findChildren(QAction) if a.text() == "English")
    window.show_section("settings")
    tab = window.screen("settings").center_tab
    english.trigger()  # nothing typed: no question
    assert requested == ["en"] and not asked
    requested.clear()
    name = next(e for e in tab.editors.values() if hasattr(e, "insert"))
    name.insert("（追記）")
    english.trigger()
    assert asked and requested == [] and "（追記）" in name.text()


def test_the_menu_shortcuts_work_from_every_text_box(qtbot, admin_ctx):
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QPlainTextEdit

    class ClaimingBox(QPlainTextEdit):
        """A text box that claims every key combination for itself (as an input method's editor may)."""

        def event(self, event):
            if event.type() == QEvent.Type.ShortcutOverride:
                event.accept()
                return True
            return super().event(event)

    window = MainWindow(AppState(admin_ctx, ImmediateRunner()))
    qtbot.addWidget(window)
    window.show()
    window.show_section("printing")
    printing = window.screen("printing")
    printing.documents.setCurrentRow(1)  # 修了証・感謝状
    award = printing.forms["award"]
    claiming = ClaimingBox()
    award.form.addRow("", claiming)
    window.activateWindow()
    qtbot.wait(20)
    window.windowHandle().requestActivate()
    qtbot.waitUntil(window.isActiveWindow)
    switched = []
    window.switch_user_requested.connect(lambda: switched.append(True))
    for box in (award.names, award.course, award.issued_on, claiming):
        box.setFocus()
        qtbot.waitUntil(box.hasFocus)
        switched.clear()
        qtbot.keyClick(box, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        assert switched == [True], box.objectName() or type(box).__name__  # ファイル → ユーザーの切り替え
    qtbot.keyClicks(claiming, "abc")  # the box still edits with its own keys
    qtbot.keyClick(claiming, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(claiming, Qt.Key.Key_Backspace)
    assert claiming.toPlainText() == ""
    qtbot.keyClick(claiming, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # 表示 → 予約 too
    assert window.current_section() == "bookings"


def test_at_the_start_home_and_its_panels_fill_in_once_the_window_has_painted(qtbot, admin_ctx):
    """The start builds the window with ``load_after_paint``: it paints before anything is read,
    then the facilities, ホーム's panels and its opening days fill in without the clerk doing anything."""
    window = MainWindow(AppState(admin_ctx, ImmediateRunner()), load_after_paint=True)
    qtbot.addWidget(window)
    window.show_section("home")
    home = window.screen("home")
    visitors = home.findChild(QLabel, "visitor_heading")
    assert window.facility_box.count() == 0 and home.table.rowCount() == 0 and visitors.text() == ""
    window.show()
    qtbot.waitUntil(lambda: window.facility_box.count() == 7 and home.table.rowCount() == 14, timeout=5000)
    assert visitors.text() == "今日の来館者: 0 人"
    assert "南アルプス市市民活動センター" in window.facility_label.text()


def test_every_section_has_its_own_shortcut_and_settings_is_ctrl_0(qtbot, admin_ctx):
    """A second walk-through: 設定, the tenth section, had none (Ctrl+10 is no key)."""
    from PySide6.QtGui import QAction

    window = MainWindow(AppState(admin_ctx, ImmediateRunner()))
    qtbot.addWidget(window)
    keys = [a.shortcut().toString() for a in window.view_menu.actions() if not a.isSeparator() and a.shortcut().toString()]
    assert keys[:10] == [f"Ctrl+{n}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 0)]
    settings = next(a for a in window.view_menu.actions() if a.shortcut().toString() == "Ctrl+0")
    settings.trigger()
    assert window.current_section() == "settings"
    assert isinstance(settings, QAction)

