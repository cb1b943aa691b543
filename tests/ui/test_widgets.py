"""Shared widgets of the forms: a field's error goes as soon as the field is edited."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QWidget

from center_app.ui.widgets import NumberSpinBox, clear_on_edit, error_label, set_error


def test_every_kind_of_field_clears_its_error_when_edited(qtbot):
    line, text, combo, tick, number, items = QLineEdit(), QPlainTextEdit(), QComboBox(), QCheckBox(), NumberSpinBox(), QListWidget()
    combo.addItems(["", "NPO法人"])
    item = QListWidgetItem("まちづくり")
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Unchecked)
    items.addItem(item)
    box = QWidget()  # a field made of several widgets
    inner = QLineEdit()
    QHBoxLayout(box).addWidget(inner)
    qtbot.addWidget(box)
    edits = [(line, lambda: qtbot.keyClicks(line, "a")), (text, lambda: text.insertPlainText("あ")), (combo, lambda: combo.setCurrentIndex(1)),
             (tick, tick.toggle), (number, lambda: number.setValue(3)), (items, lambda: item.setCheckState(Qt.CheckState.Checked)),
             (box, lambda: inner.setText("x"))]
    for field, edit in edits:
        label, other = error_label(), error_label()
        clear_on_edit(label, field)
        set_error(label, "入力してください。")
        set_error(other, "別の欄")
        edit()
        assert not label.text() and label.isHidden(), type(field).__name__
        assert other.text() == "別の欄"  # only the edited field's message goes
