"""First start: after the administrator is created, the demo data offer (center_app/ui/first_run.py).

The generator itself is tested with the demo service; here it is replaced by a recording fake so
the dialog's wiring is checked quickly.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from center_app.domain.errors import RuleError
from center_app.services import demo
from center_app.ui import first_run
from center_app.ui.runner import ImmediateRunner

SUMMARY = demo.DemoSummary(groups=300, bookings=7000, consultations=600, staff=7,
                           first_day=dt.date(2025, 11, 29), last_day=dt.date(2027, 1, 28))


@pytest.fixture
def calls(monkeypatch):
    made: list[tuple] = []

    def fake_generate(db, profile="small", seed=1, today=None, progress=None):
        made.append((db, profile, seed))
        if progress:
            progress("groups", 50)
        return SUMMARY

    monkeypatch.setattr(first_run.demo, "generate", fake_generate)
    return made


def test_enter_starts_with_an_empty_database(qtbot, db, calls):
    dialog = first_run.DemoOfferDialog(db, ImmediateRunner())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.demo_button.setFocus()  # even from the other button, Enter is the safe choice
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.result() == first_run.DemoOfferDialog.DialogCode.Rejected
    assert dialog.summary is None and calls == []


def test_add_demo_data_generates_the_small_set_and_closes(qtbot, db, calls):
    dialog = first_run.DemoOfferDialog(db, ImmediateRunner())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    assert calls == [(db, "small", 1)]
    assert dialog.result() == first_run.DemoOfferDialog.DialogCode.Accepted and dialog.summary == SUMMARY
    text = first_run.summary_text(SUMMARY)
    assert "300" in text and "7000" in text and "demo-" in text


def test_a_refusal_is_shown_and_both_choices_stay_open(qtbot, db, monkeypatch):
    def refuse(*args, **kwargs):
        raise RuleError("このデータベースにはすでに団体があります。", rule="demo_on_empty")

    monkeypatch.setattr(first_run.demo, "generate", refuse)
    dialog = first_run.DemoOfferDialog(db, ImmediateRunner())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.summary is None
    assert "すでに団体" in dialog.message.text()
    assert dialog.demo_button.isEnabled() and dialog.empty_button.isEnabled()
    assert not dialog.progress.isVisible()
