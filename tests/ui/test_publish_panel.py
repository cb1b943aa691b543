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


def _listed(panel) -> list[str]:
    return [panel.languages.item(i).text() for i in range(panel.languages.count())]


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
    assert panel.folder.text() == str(tmp_path / "site") and _listed(panel) == ["日本語", "English"]
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


def test_each_language_of_the_list_is_drawn_in_a_bundled_font_that_has_its_letters(screen, app_state, tmp_path):
    """The defect: Thai (and Vietnamese accents) fell back to whatever font Qt found and looked
    odd; each language is now shown in the bundled font the public site's CSS names for it."""
    from PySide6.QtGui import QFontDatabase, QRawFont

    from center_app.ui.fonts import register_fonts

    register_fonts()
    center_settings.save(app_state.ctx, SETTINGS_CENTER, {"publish_folder": str(tmp_path / "site"),
                                                          "publish_languages": "ja,en,vi,zh_Hans,th", "publish_months": "1"})
    screen.activate()
    _open_publish(screen)
    panel = screen.publish
    assert _listed(panel) == ["日本語", "English", "中文（简体）", "ไทย", "Tiếng Việt"]
    systems = QFontDatabase.WritingSystem
    scripts = {"日本語": systems.Japanese, "English": systems.Latin, "中文（简体）": systems.SimplifiedChinese, "ไทย": systems.Thai,
               "Tiếng Việt": systems.Vietnamese}
    families = {}
    for i in range(panel.languages.count()):
        item = panel.languages.item(i)
        raw = QRawFont.fromFont(item.font(), scripts[item.text()])  # the font Qt draws that script with
        families[item.text()] = raw.familyName()
        missing = [ch for ch in item.text() if not ch.isspace() and not raw.supportsCharacter(ord(ch))]
        assert not missing, (item.text(), raw.familyName(), missing)
    assert families["ไทย"] == "Noto Sans Thai" and families["Tiếng Việt"] == "Noto Sans"
