"""The main window as the UI tests open it on a small screen."""

from __future__ import annotations


def home_at_1366_by_768(qtbot, ctx):
    """The main window of ``ctx``'s user on the immediate runner, 1366×768 (a common counter PC's
    screen), showing ホーム and exposed; built when called, so what the test stored before is on it."""
    from center_app.ui.main_window import MainWindow
    from center_app.ui.runner import ImmediateRunner
    from center_app.ui.state import AppState

    window = MainWindow(AppState(ctx, ImmediateRunner()))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.show_section("home")
    qtbot.waitExposed(window)
    return window
