"""Idle lock: the app covers itself after a quiet period, asks for the password, and what was typed
in the consultation form is still there afterwards (the widgets are never rebuilt)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from center_app.ui import idle_lock
from center_app.ui.main_window import MainWindow
from center_app.ui.runner import ImmediateRunner
from center_app.ui.state import AppState


def _window(qtbot, ctx) -> MainWindow:
    window = MainWindow(AppState(ctx, ImmediateRunner()))
    qtbot.addWidget(window)
    window.show()
    return window


def _start_typing(window: MainWindow):
    window.show_section("consultations")
    screen = window.screen("consultations")
    screen.new_consultation()
    screen.form.client_name.insert("佐藤 花子")  # keyClicks takes ASCII only
    screen.form.content.insertPlainText("書きかけの相談内容")
    return screen


def test_locks_when_idle_and_unlocks_with_the_password_keeping_the_input(qtbot, coordinator_ctx):
    window = _window(qtbot, coordinator_ctx)
    screen = _start_typing(window)
    form = screen.form
    lock = idle_lock.IdleLock(QApplication.instance(), window.state, window, timeout_ms=60)
    try:
        qtbot.waitUntil(lambda: lock.locked, timeout=3000)
        curtain = lock.curtains[window]
        assert curtain.isVisible() and curtain.geometry() == window.rect()
        assert lock.dialog.isVisible() and lock.dialog.login_name.text() == "coordinator"

        qtbot.keyClicks(form.client_name, "xyz")  # input to the covered window is swallowed
        assert form.client_name.text() == "佐藤 花子"
        lock.dialog.reject()  # Esc does not dismiss the lock
        assert lock.locked and lock.dialog.isVisible()

        qtbot.keyClick(lock.dialog.password, Qt.Key.Key_Return)  # nothing typed: asked for, no attempt made
        assert lock.locked and "パスワードを入力" in lock.dialog.message.text() and lock.dialog.ok_button.isEnabled()
        qtbot.keyClicks(lock.dialog.password, "wrong-password")
        qtbot.keyClick(lock.dialog.password, Qt.Key.Key_Return)
        assert lock.locked and "正しくありません" in lock.dialog.message.text()

        qtbot.keyClicks(lock.dialog.password, "staff-password-1")
        lock.dialog.submit()
        assert not lock.locked and lock.dialog is None and lock.curtains == {}
        assert window.screen("consultations") is screen and screen.form is form  # nothing was rebuilt
        assert screen.pages.currentWidget() is form
        assert form.client_name.text() == "佐藤 花子" and form.content.toPlainText() == "書きかけの相談内容"
        assert window.state.ctx.user.login_name == "coordinator"
        assert lock.timer.isActive()  # watching again
    finally:
        lock.uninstall()


def test_input_restarts_the_idle_period(qtbot, coordinator_ctx):
    window = _window(qtbot, coordinator_ctx)
    lock = idle_lock.IdleLock(QApplication.instance(), window.state, window, timeout_ms=2000)
    try:
        qtbot.waitUntil(lambda: lock.timer.remainingTime() < 1900, timeout=3000)
        qtbot.keyClick(window.nav, Qt.Key.Key_Down)
        assert lock.timer.remainingTime() > 1900 and not lock.locked
    finally:
        lock.uninstall()


def test_another_staff_member_may_unlock_and_the_screens_switch_to_them(qtbot, coordinator_ctx, admin_ctx):
    window = _window(qtbot, coordinator_ctx)
    _start_typing(window)
    lock = idle_lock.IdleLock(QApplication.instance(), window.state, window, timeout_ms=60_000)
    try:
        lock.lock()
        lock.dialog.login_name.setText("admin")
        lock.dialog.password.setText("admin-password-1")
        lock.dialog.submit()
        assert not lock.locked and window.state.ctx.user.login_name == "admin"
        assert "settings" in window.sections()  # the window follows the new user
    finally:
        lock.uninstall()


def test_install_reads_the_setting_and_zero_turns_the_lock_off(qtbot, admin_ctx):
    from center_app.ui import settings

    window = _window(qtbot, admin_ctx)
    assert settings.get(settings.IDLE_LOCK_MINUTES) == 10
    first = idle_lock.install(QApplication.instance(), window.state, window)
    assert first.timer.interval() == 10 * 60_000
    settings.set(settings.IDLE_LOCK_MINUTES, 0)
    assert idle_lock.install(QApplication.instance(), window.state, window, previous=first) is None
    assert not first.timer.isActive()
