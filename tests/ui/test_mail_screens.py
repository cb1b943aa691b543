"""印刷 → 郵送 and 設定 → 郵送文書 driven with real widgets: the filter lists the groups with the
ones without an address marked, an empty selection is refused on the screen, the PDF is saved
and the mailing recorded (shown on the group's page), a template with an unknown merge field is
refused with what was typed kept."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from center_app.services import groups, mailings
from center_app.services.group_values import GroupInput
from center_app.ui.screens import SCREENS
from center_app.ui.screens.groups.form import GroupFormDialog
from center_app.ui.screens.printing import mail_panel as mail_panel_module
from center_app.ui.screens.printing.view import DOCUMENTS
from center_app.ui.screens.settings.mail_templates import MailTemplatesTab

SHOTS = Path("/tmp")


def text_of(data: bytes) -> str:
    return "".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


@pytest.fixture
def screen(qtbot, app_state, clock):
    clock(dt.datetime(2026, 12, 1, 10, 0))
    for name, kana, address, fields in (("あおばまちづくりの会", "アオバマチヅクリノカイ", "山梨県南アルプス市小笠原376番地", (3,)),
                                        ("いずみの会", "イズミノカイ", "", (3,)),
                                        ("髙﨑子ども食堂", "タカサキコドモショクドウ", "山梨県甲府市丸の内1-18-1", (13,))):
        groups.register_group(app_state.ctx, GroupInput(name=name, name_kana=kana, legal_form="voluntary", activity_fields=fields,
                                                        representative_name="山田 花子", postal_code="400-0395" if address else "",
                                                        address=address, phone="055-282-1111"))
    widget = SCREENS["printing"](app_state)
    qtbot.addWidget(widget)
    widget.resize(1300, 850)
    widget.show()
    widget.activate()
    widget.documents.setCurrentRow([key for key, _title in DOCUMENTS].index("mail"))
    return widget


def test_the_filter_lists_the_groups_and_marks_those_without_an_address(screen, qtbot):
    panel = screen.mail
    assert panel.isVisible() and not screen.preview_pane.isVisible()
    panel.field.setCurrentIndex(panel.field.findData(3))
    qtbot.mouseClick(panel.choose_button, Qt.MouseButton.LeftButton)
    rows = [[panel.table.item(r, c).text() for c in range(4)] for r in range(panel.table.rowCount())]
    assert [row[0] for row in rows] == ["あおばまちづくりの会", "いずみの会"]
    assert rows[1][3] == "印刷しません: 住所がありません" and rows[0][2] == "〒400-0395 山梨県南アルプス市小笠原376番地"
    assert "1 団体（赤字）は印刷できないため除きます" in panel.summary.text()
    panel.grab().save(str(SHOTS / "mail_panel.png"))


def test_an_empty_selection_is_refused_on_the_screen(screen, qtbot, monkeypatch):
    panel = screen.mail
    asked = []
    monkeypatch.setattr(mail_panel_module, "ask_pdf_path", lambda *a: asked.append(a))
    panel.status.setCurrentIndex(panel.status.findData("withdrawn"))
    qtbot.mouseClick(panel.choose_button, Qt.MouseButton.LeftButton)
    assert panel.table.rowCount() == 0
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert "団体が選ばれていません" in panel.error.text() and not panel.error.isHidden()
    assert asked == []


def test_letters_are_saved_and_the_mailing_is_recorded_on_the_groups_page(screen, qtbot, monkeypatch, tmp_path, app_state):
    panel = screen.mail
    target = tmp_path / "renewal.pdf"
    monkeypatch.setattr(mail_panel_module, "ask_pdf_path", lambda *a: target)
    qtbot.mouseClick(panel.choose_button, Qt.MouseButton.LeftButton)
    assert panel.table.rowCount() == 3
    panel.template.setCurrentIndex(panel.template.findText("登録更新のお知らせ"))
    panel.addressee.setCurrentIndex(1)
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    text = text_of(target.read_bytes())
    assert "あおばまちづくりの会代表山田花子様" in text and "髙﨑子ども食堂" in text and "いずみの会" not in text
    assert "2 団体分を renewal.pdf に保存し" in panel.result.text() and "印刷できない 1 団体" in panel.result.text()
    group_id = mailings.choose(app_state.ctx, mailings.MailFilter(field_code=13))[0].group_id
    form = GroupFormDialog(app_state, groups.activity_fields(app_state.ctx), groups.get_group(app_state.ctx, group_id))
    qtbot.addWidget(form)
    history = form.tabs.widget(form.tabs.count() - 1)
    assert form.tabs.tabText(form.tabs.count() - 1) == "郵送の記録"
    assert [history.item(i).text() for i in range(history.count())] == ["令和8年12月1日: 通知文 「登録更新のお知らせ」（送付: 管理 花子）"]

    labels = tmp_path / "labels.pdf"
    monkeypatch.setattr(mail_panel_module, "ask_pdf_path", lambda *a: labels)
    panel.output.setCurrentIndex(panel.output.findData("a4-24"))
    assert not panel.template.isEnabled() and panel.start.maximum() == 24
    panel.start.setValue(4)
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert "髙﨑子ども食堂" in text_of(labels.read_bytes())


def test_a_template_with_an_unknown_merge_field_is_refused_and_the_text_kept(qtbot, app_state):
    tab = MailTemplatesTab(app_state)
    qtbot.addWidget(tab)
    tab.resize(900, 600)
    tab.show()
    tab.reload()
    assert [tab.list.item(i).text() for i in range(tab.list.count())] == ["お知らせ", "登録更新のお知らせ"]
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    tab.name.setText("総会のご案内")
    tab.title.setText("総会のご案内")
    tab.body.setPlainText("{代表者} 様\n\n総会は{日時}に開きます。")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "{代表者}" in tab.error.text() and "{日時}" in tab.error.text()
    assert tab.body.toPlainText() == "{代表者} 様\n\n総会は{日時}に開きます。" and tab.name.text() == "総会のご案内"
    assert [t.name for t in mailings.templates(app_state.ctx)] == ["お知らせ", "登録更新のお知らせ"]
    tab.body.setPlainText("{代表者名} 様\n\n総会を開きます。")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert tab.error.isHidden() and tab.saved_note.text() == "総会のご案内を保存しました。"
    assert tab.list.currentItem().text() == "総会のご案内"
    tab.grab().save(str(SHOTS / "mail_templates.png"))


def test_the_screens_expiry_filter_takes_registrations_expiring_from_today_as_the_command_does(screen, qtbot, app_state):
    """The renewal season on the screen: 有効期限 from today until the day chosen (by default the
    end of the fiscal year), never a registration already expired."""
    from center_app.db.groups import Group
    from center_app.domain.mailings import MailFilter
    from center_app.services import mailings

    with app_state.ctx.db.write() as session:
        expired = session.query(Group).filter(Group.name == "髙﨑子ども食堂").one()
        expired.valid_until = dt.date(2026, 3, 31)
    panel = screen.mail
    assert panel.expiry.date().toPython() == dt.date(2027, 4, 1)  # the day after this fiscal year ends
    panel.use_expiry.setChecked(True)
    qtbot.mouseClick(panel.choose_button, Qt.MouseButton.LeftButton)
    shown = [panel.table.item(r, 0).text() for r in range(panel.table.rowCount())]
    assert shown == ["あおばまちづくりの会", "いずみの会"]
    assert shown == [r.group_name for r in mailings.choose(app_state.ctx, MailFilter(expires_before=dt.date(2027, 4, 1)))]
