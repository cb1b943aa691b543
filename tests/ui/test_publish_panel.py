"""印刷 → 公開: the button publishes into the folder of 設定 → センター with a progress dialog;
a folder that is not chosen or holds other files is refused in the panel and in one dialog,
and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from center_app.domain.center_settings import SETTINGS_CENTER
from center_app.services import center_settings, groups
from center_app.services.group_values import GroupInput
from center_app.ui.screens import SCREENS


@pytest.fixture
def screen(qtbot, app_state, clock):
    clock(dt.datetime(2026, 6, 2, 9, 0))
    groups.register_group(app_state.ctx, GroupInput(name="みどりの会", name_kana="ミドリノカイ", legal_form="voluntary", activity_fields=(2,),
                                                    representative_name="山田 花子", public_consent=("name", "activity_fields")))
    widget = SCREENS["printing"](app_state)
    qtbot.addWidget(widget)
    widget.resize(1300, 850)
    widget.show()
    widget.activate()
    return widget


def _open_publish(screen) -> None:
    row = next(i for i in range(screen.documents.count()) if screen.documents.item(i).data(Qt.ItemDataRole.UserRole) == "publish")
    screen.documents.setCurrentRow(row)


def test_the_button_publishes_into_the_folder_of_the_settings(screen, app_state, qtbot, tmp_path):
    center_settings.save(app_state.ctx, SETTINGS_CENTER, {"publish_folder": str(tmp_path / "site"), "publish_languages": "ja,en",
                                                          "publish_months": "1"})
    screen.activate()
    _open_publish(screen)
    panel = screen.publish
    assert panel.isVisible() and not screen.preview_pane.isVisible()
    assert panel.folder.text() == str(tmp_path / "site") and panel.languages.text() == "日本語、English"
    qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    assert "書き出しました" in panel.status.text() and panel.button.isEnabled()
    assert "みどりの会" in (tmp_path / "site" / "ja" / "groups.html").read_text(encoding="utf-8")
    assert (tmp_path / "site" / "en" / "index.html").exists() and not (tmp_path / "site" / "vi").exists()


def test_a_refused_folder_is_shown_and_nothing_is_written(screen, app_state, qtbot, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("center_app.ui.screens.printing.publish_panel.show_error", lambda parent, error: shown.append(str(error)))
    _open_publish(screen)
    qtbot.mouseClick(screen.publish.button, Qt.MouseButton.LeftButton)  # no folder chosen yet
    assert "設定" in screen.publish.status.text() and len(shown) == 1
    folder = tmp_path / "www"
    folder.mkdir()
    (folder / "index.php").write_text("<?php ?>")
    center_settings.save(app_state.ctx, SETTINGS_CENTER, {"publish_folder": str(folder)})
    screen.activate()
    qtbot.mouseClick(screen.publish.button, Qt.MouseButton.LeftButton)
    assert "index.php" in screen.publish.status.text() and "index.php" in shown[-1]
    assert [p.name for p in folder.iterdir()] == ["index.php"]
