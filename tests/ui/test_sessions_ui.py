"""The app follows the account in the database: switching user, an ended session and the idle lock
never leave the previous person's personal data readable behind a sign-in dialog; a session
ended by an administrator goes back to sign-in saying why; unlocking takes the role stored now."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QLineEdit, QListView, QPlainTextEdit, QWidget

from center_app.domain.roles import Role
from center_app.services import auth, consultations, consultations_queries, staff
from center_app.services.consultations_values import ConsultationInput
from center_app.ui import application, idle_lock
from center_app.ui.login import LoginDialog
from center_app.ui.main_window import MainWindow
from center_app.ui.runner import ImmediateRunner
from center_app.ui.state import AppState

CLIENT = "佐藤 花子"


def visible_texts() -> str:
    """Every text a person could read on the screen now (labels, fields, table cells)."""
    found = []
    for widget in QApplication.allWidgets():
        if not isinstance(widget, QWidget) or not widget.isVisible():
            continue
        if isinstance(widget, QLineEdit | QLabel):
            found.append(widget.text())
        elif isinstance(widget, QPlainTextEdit):
            found.append(widget.toPlainText())
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            columns = 1 if isinstance(widget, QListView) else model.columnCount(QModelIndex())
            found += [str(model.index(r, c).data() or "") for r in range(model.rowCount(QModelIndex())) for c in range(columns)]
    return "\n".join(found)


def _record(ctx) -> int:
    topic = consultations_queries.list_topics(ctx)[0].id
    return consultations.create_consultation(ctx, ConsultationInput(
        consulted_on=dt.date(2026, 6, 1), method="visit", client_type="individual", client_name=CLIENT, topic_ids=(topic,),
        content="団体の設立について", staff_user_id=ctx.user.id,
    )).id


def _session(qtbot, ctx, monkeypatch) -> application.Session:
    monkeypatch.setattr(idle_lock.settings, "get", lambda key: 0 if key == idle_lock.settings.IDLE_LOCK_MINUTES else key.default)
    session = application.Session(QApplication.instance(), ctx.db, ImmediateRunner())
    session.state = AppState(ctx, session.runner)
    window = session.open_window("consultations")
    qtbot.addWidget(window)
    return session


def _open_consultation(session, record_id: int) -> None:
    screen = session.window.screen("consultations")
    screen.open_consultation(record_id)
    assert screen.form.client_name.text() == CLIENT and CLIENT in visible_texts()


def test_switching_user_clears_the_open_consultation_before_the_dialog_appears(qtbot, coordinator_ctx, monkeypatch):
    """Old code: the previous user's consultation stayed readable behind the sign-in dialog."""
    record_id = _record(coordinator_ctx)
    session = _session(qtbot, coordinator_ctx, monkeypatch)
    _open_consultation(session, record_id)
    seen = []
    monkeypatch.setattr(application.LoginDialog, "exec", lambda dialog: seen.append(visible_texts()) or LoginDialog.DialogCode.Rejected)
    session.switch_user()
    assert len(seen) == 1 and CLIENT not in seen[0] and "団体の設立" not in seen[0]
    # cancelled: the same person goes on, their screen loaded anew (the list, the record in it)
    assert session.window.current_section() == "consultations"
    assert session.window.screen("consultations").form.client_name.text() == ""


def test_the_status_bar_names_nobody_while_switching_and_then_the_new_user(qtbot, coordinator_ctx, counter_ctx, monkeypatch):
    """The defect: while the sign-in dialog of 「ユーザーの切り替え」 was open, the status bar still
    named the previous person as the user."""
    session = _session(qtbot, coordinator_ctx, monkeypatch)
    status = session.window.user_label
    previous = coordinator_ctx.user.display_name
    assert previous in status.text()
    seen = []

    def sign_in_as_counter(dialog):
        seen.append(status.text())
        dialog.user = auth.sign_in(counter_ctx.db, "counter", "staff-password-1")
        return LoginDialog.DialogCode.Accepted

    monkeypatch.setattr(application.LoginDialog, "exec", sign_in_as_counter)
    session.switch_user()
    assert previous not in seen[0] and "サインインしていません" in seen[0]
    assert counter_ctx.user.display_name in status.text() and previous not in status.text()
    monkeypatch.setattr(application.LoginDialog, "exec", lambda dialog: seen.append(status.text()) or LoginDialog.DialogCode.Rejected)
    session.switch_user()  # cancelled: the same person goes on, and the status bar names them again
    assert "サインインしていません" in seen[1] and counter_ctx.user.display_name in status.text()


def test_an_account_changed_by_an_administrator_is_signed_out_at_its_next_action(qtbot, coordinator_ctx, admin_ctx, monkeypatch):
    record_id = _record(coordinator_ctx)
    session = _session(qtbot, coordinator_ctx, monkeypatch)
    _open_consultation(session, record_id)
    account = next(u for u in staff.list_staff(admin_ctx) if u.login_name == "coordinator")
    staff.update_staff(admin_ctx, account.id, display_name=account.display_name, role=Role.COUNTER, active=True, expected_version=account.version)

    shown = {}

    def sign_in_again(dialog):
        shown["notice"], shown["login"], shown["texts"] = dialog.notice.text(), dialog.login_name.text(), visible_texts()
        dialog.user = auth.sign_in(admin_ctx.db, "coordinator", "staff-password-1")
        return LoginDialog.DialogCode.Accepted
    monkeypatch.setattr(application.LoginDialog, "exec", sign_in_again)
    session.window.screen("consultations").reload()  # the next action
    assert "管理者" in shown["notice"] and "サインイン" in shown["notice"] and shown["login"] == "coordinator"
    assert CLIENT not in shown["texts"]
    assert session.state.ctx.user.role == Role.COUNTER
    assert "consultations" not in session.window.sections() and session.window.screen("consultations") is None


def test_a_disabled_account_that_does_not_sign_in_again_closes_the_app(qtbot, counter_ctx, admin_ctx, monkeypatch):
    session = _session(qtbot, counter_ctx, monkeypatch)
    staff.update_staff(admin_ctx, counter_ctx.user.id, display_name="counter 太郎", role=Role.COUNTER, active=False)
    quits = []
    monkeypatch.setattr(session.app, "quit", lambda: quits.append(True))
    monkeypatch.setattr(application.LoginDialog, "exec", lambda dialog: LoginDialog.DialogCode.Rejected)
    session.window.show_section("groups")  # the next action: the groups screen loads its list
    session.state.runner.submit(counter_ctx.require_signed_in)  # and more work refused after it
    assert quits == [True] and not session.window.isVisible()


def test_unlocking_after_a_role_change_takes_the_role_stored_now(qtbot, coordinator_ctx, admin_ctx):
    """Old code: unlocking after the idle lock kept the old role."""
    state = AppState(coordinator_ctx, ImmediateRunner())
    window = MainWindow(state)
    qtbot.addWidget(window)
    window.show()
    window.show_section("consultations")
    lock = idle_lock.IdleLock(QApplication.instance(), state, window, timeout_ms=60_000)
    try:
        lock.lock()
        account = next(u for u in staff.list_staff(admin_ctx) if u.login_name == "coordinator")
        staff.update_staff(admin_ctx, account.id, display_name=account.display_name, role=Role.COUNTER, active=True, expected_version=account.version)
        lock.dialog.password.setText("staff-password-1")
        lock.dialog.submit()
        assert not lock.locked
        assert state.ctx.user.role == Role.COUNTER and "consultations" not in window.sections()
        assert window.screen("consultations") is None
    finally:
        lock.uninstall()


def test_while_locked_the_screens_are_hidden_and_new_windows_are_covered(qtbot, coordinator_ctx):
    record_id = _record(coordinator_ctx)
    state = AppState(coordinator_ctx, ImmediateRunner())
    window = MainWindow(state)
    qtbot.addWidget(window)
    window.show()
    window.show_section("consultations")
    window.screen("consultations").open_consultation(record_id)
    lock = idle_lock.IdleLock(QApplication.instance(), state, window, timeout_ms=60_000)
    try:
        lock.lock()
        assert not window.centralWidget().isVisible() and CLIENT not in visible_texts()
        late = QLabel(CLIENT)  # a window shown while locked (a result arriving meanwhile)
        qtbot.addWidget(late)
        late.show()
        assert late in lock.curtains and lock.curtains[late].isVisible()
        lock.dialog.password.setText("staff-password-1")
        lock.dialog.submit()
        assert window.centralWidget().isVisible()
        assert window.screen("consultations").form.client_name.text() == CLIENT  # the same person: nothing lost
    finally:
        lock.uninstall()
