"""共催・後援 with real widgets, in the 「共催・後援」 tab of 補助金・協働: a coordinator receives a
registered group's application for a stored event (after the form refused a past date and kept
what was typed), approves it with conditions and the 減免 of the event's booking, is told what
changed, saves the letter (its text checked) and the event's flyer prints 後援; a refusal needs
its reason; a stale edit keeps what was typed; a withdrawal stays in the register."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from center_app.db.events import Event
from center_app.db.models import Room
from center_app.domain.documents import FlyerOptions
from center_app.domain.programs import EndorsementStatus
from center_app.services import bookings, documents, endorsements, events, groups
from center_app.services.context import ServiceContext
from center_app.services.group_values import GroupInput
from center_app.ui.main_window import MainWindow
from center_app.ui.runner import ImmediateRunner
from center_app.ui.state import AppState

sys.path.insert(0, str(Path(__file__).parents[1] / "print"))
from pdf_checks import compact, pdf_text  # noqa: E402

CENTER = "南アルプス市市民活動センター"


@pytest.fixture
def env(qtbot, clock, admin_ctx, coordinator_ctx):
    clock(dt.datetime(2026, 6, 2, 10, 0))
    with admin_ctx.db.read() as session:
        room_id = session.scalar(select(Room.id).where(Room.code == "M1"))
    event = events.save_event(admin_ctx, None, events.EventInput(
        title="子育てひろばフェスタ", event_date=dt.date(2026, 6, 9), start_time="13:00", end_time="15:00", room_id=room_id,
        organiser="子育てネット"))
    group = groups.register_group(admin_ctx, GroupInput(name="子育てネット南アルプス", name_kana="コソダテネットミナミアルプス",
                                                        legal_form="voluntary", activity_fields=(2,), representative_name="山田 花子"))
    window = MainWindow(AppState(coordinator_ctx, ImmediateRunner()))
    qtbot.addWidget(window)
    window.show()
    assert window.show_section("grants")
    section = window.screen("grants")
    section.setCurrentIndex(1)
    return {"admin": admin_ctx, "event": event, "group": group, "section": section, "screen": section.widget(1)}



def test_enter_in_the_applicant_box_picks_the_group_and_does_not_save_the_application(env):
    """Enter in the applicant box (as a scanner sends the 登録番号 of the certificate's QR code)
    pressed 保存: the application was received at once, without its group."""
    from PySide6.QtTest import QTest

    screen = env["screen"]
    _click(screen.receive_button)
    form = screen.form
    form.event.setCurrentIndex(form.event.findData(env["event"].id))  # everything else a save needs
    form.applicant.insert(env["group"].registration_no)
    QTest.keyClick(form.applicant, Qt.Key.Key_Return)
    assert form.isVisible() and endorsements.list_endorsements(env["admin"]) == []  # not saved
    assert form.applicant.text() == "子育てネット南アルプス" and form.group_id == env["group"].id
    _click(form.buttons.button(form.buttons.StandardButton.Save))
    assert not form.isVisible() and endorsements.list_endorsements(env["admin"])[0].group_id == env["group"].id

def _booking(env):
    with env["admin"].db.read() as session:
        booking_id = session.scalar(select(Event.booking_id).where(Event.id == env["event"].id))
    return bookings.get_booking(env["admin"], booking_id)


def _click(widget) -> None:
    from PySide6.QtTest import QTest

    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def _click_item(items, row: int) -> None:
    from PySide6.QtTest import QTest

    QTest.mouseClick(items.viewport(), Qt.MouseButton.LeftButton, pos=items.visualItemRect(items.item(row)).center())


def _select(screen, endorsement_id: int) -> None:
    row = next(r for r in range(screen.table.rowCount()) if screen.table.item(r, 0).text() == str(endorsement_id))
    screen.table.selectRow(row)


def test_receive_approve_with_conditions_letter_and_flyer(env, tmp_path, monkeypatch):
    screen = env["screen"]
    assert env["section"].tabText(1) == "共催・後援" and screen.table.rowCount() == 0
    _click(screen.receive_button)
    form = screen.form
    assert form.isVisible()
    form.applicant.insert("子育てネット")  # as the input method commits it
    form.finder.search_now()
    assert form.finder.results.isVisible() and form.finder.results.count() == 1
    _click_item(form.finder.results, 0)
    assert form.applicant.text() == "子育てネット南アルプス" and form.group_id == env["group"].id
    assert env["group"].registration_no in form.finder.chosen.text()  # the group named with its 登録番号
    form.title.setText("春のつどい")  # an event typed, on a day already past
    form.date.setText("2026/6/1")
    form.request.setPlainText("チラシへの後援名義の掲載")
    _click(form.buttons.button(form.buttons.StandardButton.Save))
    assert form.isVisible() and "開催済み" in form.errors["event_date"].text()
    assert form.request.toPlainText() == "チラシへの後援名義の掲載" and form.title.text() == "春のつどい"  # kept as typed
    assert endorsements.list_endorsements(env["admin"]) == []  # nothing written

    form.event.setCurrentIndex(form.event.findData(env["event"].id))  # the stored event instead
    assert form.title.text() == "子育てひろばフェスタ" and not form.title.isEnabled()
    _click(form.buttons.button(form.buttons.StandardButton.Save))
    assert not form.isVisible()
    assert screen.table.rowCount() == 1 and screen.table.item(0, 7).text() == "申請中"
    assert screen.table.item(0, 3).text() == "子育てネット南アルプス" and screen.table.item(0, 2).text() == "後援"
    stored = endorsements.list_endorsements(env["admin"])[0]
    assert (stored.group_id, stored.event_id, stored.request) == (env["group"].id, env["event"].id, "チラシへの後援名義の掲載")
    assert not screen.letter_button.isEnabled()

    _select(screen, stored.id)
    assert screen.approve_button.isEnabled()
    _click(screen.approve_button)
    dialog = screen.decision
    dialog.text.setPlainText("名義はチラシの下部に表示すること。")
    dialog.exemption.setCurrentIndex(dialog.exemption.findData("city_endorsed"))
    _click(dialog.buttons.button(dialog.buttons.StandardButton.Ok))
    assert not dialog.isVisible()
    assert screen.table.item(0, 7).text() == "承認" and screen.table.item(0, 9).text() == "名義はチラシの下部に表示すること。"
    assert f"「後援：{CENTER}」" in screen.note.text() and "「市の後援」" in screen.note.text()
    assert _booking(env).exemption_code == "city_endorsed"

    saved = tmp_path / "letter.pdf"
    monkeypatch.setattr("center_app.ui.pdf_output.ask_pdf_path", lambda _parent, _name: saved)
    assert screen.letter_button.isEnabled()
    _click(screen.letter_button)
    letter = compact(pdf_text(saved.read_bytes()))
    assert "後援名義使用承認通知書" in letter and "子育てネット南アルプス様" in letter and "名義はチラシの下部に表示すること。" in letter
    assert "会場" in letter and "子育てひろばフェスタ" in letter
    Path("/tmp/endorsement-screen-letter.pdf").write_bytes(saved.read_bytes())
    flyer = compact(pdf_text(documents.flyer_pdf(env["admin"], env["event"].id, FlyerOptions())))
    assert f"後援：{CENTER}" in flyer


def test_a_refusal_needs_its_reason(env, tmp_path, monkeypatch):
    screen = env["screen"]
    applied = endorsements.apply_endorsement(env["admin"], "cohost", "ある団体", event_title="物品販売会", event_date=dt.date(2026, 7, 1),
                                             event_place="市民ホール")
    screen.reload()
    _select(screen, applied.id)
    _click(screen.refuse_button)
    dialog = screen.decision
    _click(dialog.buttons.button(dialog.buttons.StandardButton.Ok))  # no reason
    assert dialog.isVisible() and "理由" in dialog.text_error.text()
    assert endorsements.get_endorsement(env["admin"], applied.id).status is EndorsementStatus.APPLIED
    dialog.text.setPlainText("営利を目的とする行事のため。")
    _click(dialog.buttons.button(dialog.buttons.StandardButton.Ok))
    assert not dialog.isVisible() and screen.table.item(0, 7).text() == "不承認"
    assert "不承認" in screen.note.text()
    saved = tmp_path / "refusal.pdf"
    monkeypatch.setattr("center_app.ui.pdf_output.ask_pdf_path", lambda _parent, _name: saved)
    _click(screen.letter_button)
    letter = compact(pdf_text(saved.read_bytes()))
    assert "共催名義使用不承認通知書" in letter and "理由営利を目的とする行事のため。" in letter and "会場市民ホール" in letter
    Path("/tmp/endorsement-screen-refusal.pdf").write_bytes(saved.read_bytes())


def test_a_stale_edit_keeps_what_was_typed_and_reopens(env):
    screen = env["screen"]
    applied = endorsements.apply_endorsement(env["admin"], "support", "ある団体", event_title="環境フォーラム",
                                             event_date=dt.date(2026, 8, 1))
    screen.reload()
    _select(screen, applied.id)
    _click(screen.edit_button)
    form = screen.form
    other_pc = ServiceContext(env["admin"].db, dataclasses.replace(env["admin"].user, display_name="窓口 B"))
    endorsements.update_endorsement(other_pc, applied.id, endorsements.EndorsementInput(
        "support", "ある団体", event_title="環境フォーラム", event_date=dt.date(2026, 8, 2)), expected_version=applied.version)
    form.place.setText("市民ホール")
    _click(form.buttons.button(form.buttons.StandardButton.Save))
    assert form.isVisible() and form.stale.isVisible() and "ほかの端末で変更されました" in form.stale.label.text()
    assert "窓口 B" in form.stale.label.text() and form.place.text() == "市民ホール"
    assert endorsements.get_endorsement(env["admin"], applied.id).event_place == ""
    _click(form.stale.reopen_button)
    assert not form.stale.isVisible() and form.date.date().day() == 2 and form.place.text() == ""
    form.place.setText("市民ホール")
    _click(form.buttons.button(form.buttons.StandardButton.Save))
    assert not form.isVisible() and endorsements.get_endorsement(env["admin"], applied.id).event_place == "市民ホール"


def test_a_withdrawal_stays_in_the_register(env, monkeypatch):
    screen = env["screen"]
    applied = endorsements.apply_endorsement(env["admin"], "support", "ある団体", event_id=env["event"].id)
    screen.reload()
    _select(screen, applied.id)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    _click(screen.withdraw_button)
    assert screen.table.item(0, 7).text() == "取下げ" and not screen.approve_button.isEnabled()
    screen.status.setCurrentIndex(screen.status.findData("applied"))
    assert screen.table.rowCount() == 0
    screen.status.setCurrentIndex(screen.status.findData("withdrawn"))
    assert screen.table.rowCount() == 1


def test_a_stale_decision_changes_nothing(env):
    screen = env["screen"]
    applied = endorsements.apply_endorsement(env["admin"], "support", "子育てネット", event_id=env["event"].id)
    screen.reload()
    _select(screen, applied.id)
    _click(screen.approve_button)
    dialog = screen.decision
    endorsements.update_endorsement(env["admin"], applied.id, endorsements.EndorsementInput(
        "support", "子育てネット", event_id=env["event"].id, request="後援名義"), expected_version=applied.version)
    dialog.text.setPlainText("名義はチラシの下部に表示すること。")
    dialog.exemption.setCurrentIndex(dialog.exemption.findData("city_endorsed"))
    _click(dialog.buttons.button(dialog.buttons.StandardButton.Ok))
    assert dialog.isVisible() and dialog.stale.isVisible() and "ほかの端末で変更されました" in dialog.stale.label.text()
    assert dialog.text.toPlainText() == "名義はチラシの下部に表示すること。"
    assert _booking(env).exemption_code == "" and endorsements.get_endorsement(env["admin"], applied.id).status is EndorsementStatus.APPLIED
    _click(dialog.stale.reopen_button)
    _click(dialog.buttons.button(dialog.buttons.StandardButton.Ok))
    assert not dialog.isVisible() and _booking(env).exemption_code == "city_endorsed"


def test_withdrawing_an_approved_support_asks_and_says_what_became_of_the_bookings_fee(env, monkeypatch):
    screen = env["screen"]
    full_fee = _booking(env).fee
    applied = endorsements.apply_endorsement(env["admin"], "support", "子育てネット", event_id=env["event"].id)
    endorsements.decide_endorsement(env["admin"], applied.id, True, exemption_code="city_endorsed")
    screen.reload()
    _select(screen, applied.id)
    assert screen.withdraw_button.isEnabled() and not screen.edit_button.isEnabled()
    questions = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: questions.append(a[2]) or QMessageBox.StandardButton.No)
    _click(screen.withdraw_button)  # いいえ: nothing changes
    assert "後援：" + CENTER in questions[0] and "減免" in questions[0]
    assert endorsements.get_endorsement(env["admin"], applied.id).status is EndorsementStatus.APPROVED
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    _click(screen.withdraw_button)
    booking = _booking(env)
    assert booking.exemption_code == "" and booking.fee == full_fee
    assert screen.table.item(0, 7).text() == "取下げ" and not screen.withdraw_button.isEnabled()
    assert f"予約{booking.id}" in screen.note.text() and f"{full_fee:,}円" in screen.note.text()
    flyer = compact(pdf_text(documents.flyer_pdf(env["admin"], env["event"].id, FlyerOptions())))
    assert "後援" not in flyer


def _mnemonic(text: str) -> str:
    """The Alt+letter of a text with Qt's '&' mark (「承認…(&A)」 → 'a'), '' without one."""
    at = text.replace("&&", "").find("&")
    return text.replace("&&", "")[at + 1].lower() if at >= 0 else ""


def test_every_button_and_filter_of_the_tab_has_its_own_alt_letter(env, qtbot):
    """The defect: the tab's buttons had no mnemonics, unlike the other screens."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QAbstractButton, QLabel

    screen, window = env["screen"], env["screen"].window()
    buttons = [b for b in screen.findChildren(QAbstractButton) if b.isVisibleTo(screen) and b.text()]
    labels = [label for label in screen.findChildren(QLabel) if label.buddy() is not None]
    assert {label.buddy() for label in labels} == {screen.year, screen.status}
    menus = [_mnemonic(action.text()) for action in window.menuBar().actions()]
    letters = [_mnemonic(w.text()) for w in (*buttons, *labels)]
    assert "" not in letters, [w.text() for w in (*buttons, *labels) if not _mnemonic(w.text())]
    assert len(set(letters)) == len(letters) and not set(letters) & set(menus)
    applied = endorsements.apply_endorsement(env["admin"], "support", "ある団体", event_id=env["event"].id)
    screen.reload()
    _select(screen, applied.id)
    window.activateWindow()
    qtbot.waitActive(window)
    QTest.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)
    assert screen.year.hasFocus()
    assert screen.approve_button.isEnabled(), screen.approve_button.text()
    QTest.keyClick(window, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # 承認…(&A)
    qtbot.waitUntil(lambda: screen.decision is not None and screen.decision.isVisible())  # a mnemonic clicks after its animation
    screen.decision.close()
