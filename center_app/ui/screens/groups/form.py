"""The group form (新規登録 / 開く): every field, messages beside each field, a rejected save keeps
everything typed; postal code → address (offline); a warning when a similar group exists. A save
refused because another PC changed the group meanwhile says who and when, and 「開き直す」 loads
the group as it is now."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from center_app.domain.errors import StaleEditError, ValidationError
from center_app.domain.normalize import kana_search_key
from center_app.domain.wareki import format_day
from center_app.i18n import N_, _
from center_app.services import groups, mailings, postal, printable, readings
from center_app.services.group_values import (
    CONSENT_FIELDS,
    LEGAL_FORMS,
    ActivityFieldInfo,
    GroupDetail,
    GroupInput,
    consent_label,
    field_label,
    legal_form_label,
    status_label,
)
from center_app.ui.consultation_history import history_button
from center_app.ui.state import AppState
from center_app.ui.widgets import MessageArea, StaleBar, ask_discard, clear_on_edit, error_label, frame_field, set_error, show_error

WARNING_STYLE = "background: #fff4cc; color: #5c4400; padding: 4px;"
_DATE_HINT = "2026/4/1, 令和8年4月1日"
#: Tabs of the form and the fields on each (in tab order).
TABS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("basic", ("name", "name_kana", "legal_form", "activity_fields")),
    ("contact", ("representative_name", "representative_kana", "contact_name", "contact_kana", "postal_code",
                 "address", "phone", "mobile", "fax", "email", "website")),
    ("activity", ("purpose", "activities", "member_count", "membership_fee", "founded_on", "registered_on")),
    ("public", ("public_consent", "notes")),
)
_TAB_TITLES = {
    "basic": N_("Basic"), "contact": N_("Representative and contact"),
    "activity": N_("Activities"), "public": N_("Publication and notes"),
}
_MULTILINE = ("purpose", "activities", "notes")
#: Text lines of the message area (warnings, refusal, field errors); more scroll.
MESSAGE_LINES = 6


class CheckRows(QStyledItemDelegate):
    """Rows of a check list a little taller than their check box: rows only as high as the text
    cut the first box with the list's top edge and set each box on the next row's."""

    def sizeHint(self, option, index):  # noqa: N802 - Qt name
        size = super().sizeHint(option, index)
        widget = option.widget
        style = widget.style() if widget is not None else None
        box = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorHeight, None, widget) if style is not None else 16
        size.setHeight(max(size.height(), box + 6))
        return size


class GroupFormDialog(QDialog):
    """Register a new group (``detail`` None) or edit ``detail``. ``saved`` holds the result."""

    def __init__(self, state: AppState, fields: list[ActivityFieldInfo], detail: GroupDetail | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.state, self.fields, self.detail = state, fields, detail
        self.saved: GroupDetail | None = None
        self.setWindowTitle(_("Group: {name}").format(name=detail.name) if detail else _("Register a new group"))
        self.setMinimumSize(640, 560)
        self.editors: dict[str, QWidget] = {}
        self.suggested_reading = ""  # the last reading suggested for the name
        self.errors: dict[str, QLabel] = {}
        self.tab_of: dict[str, int] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(self._header())
        # the warnings, the refusal and every field's error: one area of fixed height under the
        # tabs, so no field moves when a message appears or goes
        self.messages = MessageArea(MESSAGE_LINES, on_field=self._field_shown)
        self.similar = self.messages.add(QLabel())
        self.similar.setObjectName("similar_warning")
        self.similar.setStyleSheet(WARNING_STYLE)
        self.similar.setVisible(False)
        self.unprintable = self.messages.add(QLabel())
        self.unprintable.setObjectName("unprintable_warning")
        self.unprintable.setStyleSheet(WARNING_STYLE)
        self.unprintable.setVisible(False)
        self.message = self.messages.add(error_label())
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        for key, names in TABS:
            self.tabs.addTab(self._tab(names, self.tabs.count()), _(_TAB_TITLES[key]))
        if detail is not None:
            self.tabs.addTab(self._mailings_tab(detail.id), _("Mailing record"))
        layout.addWidget(self.messages)
        self.stale = StaleBar(self.reopen)
        layout.addWidget(self.stale)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("save")
        self.save_button.setShortcut("Ctrl+S")  # as in the other forms
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if detail is not None:
            self._fill(GroupInput.from_detail(detail))
        for name in ("name", "name_kana", "phone"):
            self.editors[name].editingFinished.connect(self.check_similar)
        self.editors["postal_code"].editingFinished.connect(lambda: self.lookup_address(only_if_empty=True))
        self.editors["name"].editingFinished.connect(self.suggest_reading)
        for name in printable.GROUP_PRINTED_FIELDS:
            self.editors[name].textChanged.connect(self.check_printable)
        if detail is not None:
            self.check_printable()
        self._initial = self._typed()
        # typing starts in the name; Tab order follows the screen: the header (申請として受け付ける)
        # first, then the fields, then 保存 / キャンセル (Shift+Tab from the name reaches the header)
        self.editors["name"].setFocus()

    def _typed(self) -> tuple[GroupInput, bool]:
        return self.values(), self.applied.isChecked()

    def has_unsaved_changes(self) -> bool:
        """Whether something typed would be lost by closing the form."""
        return self.saved is None and self._typed() != self._initial

    def reject(self) -> None:
        """Esc / Cancel / closing the window: ask first when something typed would be lost."""
        if self.has_unsaved_changes() and not ask_discard(self):
            return
        super().reject()

    # --- building --------------------------------------------------------------------------------

    def _header(self) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        d = self.detail
        number = d.registration_no if d and d.registration_no else _("assigned when registered")
        parts = [f"{field_label('registration_no')}: {number}"]
        if d is not None:
            parts.append(f"{field_label('status')}: {status_label(d.status)}")
            parts.append(f"{field_label('valid_until')}: {format_day(d.valid_until, weekday=False) if d.valid_until else '—'}")
            parts.append(_("Certificates reissued: {count}").format(count=d.certificate_reissue_count))
        info = QLabel("　".join(parts))
        info.setObjectName("group_header")
        row.addWidget(info, 1)
        history = history_button(self.state, d.id if d else None, self, d.name if d else "")
        if history is not None:  # coordinators and admins only, saved groups only
            row.addWidget(history)
        self.applied = QCheckBox(_("Accept as an application (no number yet)"))
        self.applied.setObjectName("applied")
        self.applied.setVisible(d is None)
        row.addWidget(self.applied)
        return box

    def _mailings_tab(self, group_id: int) -> QWidget:
        """郵送の記録: what was mailed to the group (印刷 → 郵送, ``center-app mail``), newest first."""
        box = QListWidget()
        box.setObjectName("group_mailings")

        def show(records) -> None:
            box.clear()
            for m in records:
                what = _("{kind} 「{template}」").format(kind=m.kind.label, template=m.template_name) if m.template_name else m.kind.label
                box.addItem(_("{day}: {what} (sent by {who})").format(day=format_day(m.sent_on, weekday=False), what=what, who=m.sent_by))
            if not records:
                box.addItem(_("Nothing has been mailed to this group yet."))

        self.state.runner.submit(mailings.group_mailings, self.state.ctx, group_id, on_done=show, on_error=lambda e: show_error(self, e))
        return box

    def _tab(self, names: tuple[str, ...], index: int) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        for name in names:
            editor = self._editor(name)
            editor.setObjectName(name)
            self.editors.setdefault(name, editor)
            self.errors[name] = error_label()
            self.errors[name].setObjectName(f"error_{name}")
            self.tab_of[name] = index
            required = name in ("name", "name_kana", "legal_form", "activity_fields", "representative_name")
            form.addRow(field_label(name) + (" *" if required else ""), self._with_extras(name, editor))
            self.messages.add_field(name, field_label(name), self.errors[name])
            clear_on_edit(self.errors[name], editor)
        return page

    def _field_shown(self, name: str, shown: bool) -> None:
        """A field's error appeared or went: frame the field, mark the tabs that still hold one."""
        frame_field(self.editors.get(name), shown)
        self._mark_tabs({self.tab_of[n] for n, label in self.errors.items() if label.text() and n in self.tab_of})
        if not any(label.text() for label in self.errors.values()) and self.message.text() == _("Please correct the fields marked in red."):
            set_error(self.message, "")  # nothing marked in red is left

    def _editor(self, name: str) -> QWidget:
        if name == "legal_form":
            combo = QComboBox()
            combo.addItem("", "")
            for code in LEGAL_FORMS:
                combo.addItem(legal_form_label(code), code)
            return combo
        if name == "activity_fields":
            return self._fields_editor()
        if name == "public_consent":
            box = QWidget()
            grid = QGridLayout(box)
            self.consent_boxes = {}
            for i, key in enumerate(CONSENT_FIELDS):
                check = QCheckBox(consent_label(key))
                check.setObjectName(f"consent_{key}")
                self.consent_boxes[key] = check
                grid.addWidget(check, i // 2, i % 2)
            return box
        if name in _MULTILINE:
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(80)
            return edit
        edit = QLineEdit()
        if name in ("founded_on", "registered_on"):
            edit.setPlaceholderText(_DATE_HINT)
        elif name in ("phone", "mobile", "fax"):
            edit.setPlaceholderText("055-123-4567")
        elif name == "postal_code":
            edit.setPlaceholderText("400-0306")
        elif name in ("name_kana", "representative_kana", "contact_kana"):
            edit.setPlaceholderText(_("Katakana or hiragana"))
        if name == "registered_on" and self.detail is not None:
            edit.setReadOnly(True)  # changes only through renewal
        return edit

    def _fields_editor(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.main_field = QComboBox()
        self.main_field.setObjectName("main_field")
        self.main_field.addItem("", None)
        for f in self.fields:
            self.main_field.addItem(f"{f.code}. {f.short_name}", f.code)
        self.main_field.setToolTip(_("Main activity field"))
        column.addWidget(QLabel(_("Main activity field")))
        column.addWidget(self.main_field)
        column.addWidget(QLabel(_("Other fields")))
        self.other_fields = QListWidget()
        self.other_fields.setObjectName("other_fields")
        self.other_fields.setItemDelegate(CheckRows(self.other_fields))
        self.other_fields.setMinimumHeight(150)
        self.other_fields.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        for f in self.fields:
            item = QListWidgetItem(f"{f.code}. {f.short_name}")
            item.setData(Qt.ItemDataRole.UserRole, f.code)
            item.setToolTip(f.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.other_fields.addItem(item)
        column.addWidget(self.other_fields)
        return box

    def _with_extras(self, name: str, editor: QWidget) -> QWidget:
        if name == "name_kana":
            box = QWidget()
            row = QHBoxLayout(box)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(editor, 1)
            self.reading_button = QPushButton()
            self.reading_button.setObjectName("suggested_reading")
            self.reading_button.setToolTip(_("Use the suggested reading (check it: readings of names vary)"))
            self.reading_button.clicked.connect(self._use_suggested_reading)
            self.reading_button.hide()
            row.addWidget(self.reading_button)
            return box
        if name != "postal_code":
            return editor
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(editor)
        self.lookup_button = QPushButton(_("Fill address"))
        self.lookup_button.setObjectName("lookup_address")
        self.lookup_button.clicked.connect(lambda: self.lookup_address(only_if_empty=False))
        row.addWidget(self.lookup_button)
        row.addStretch(1)
        return box

    # --- values ----------------------------------------------------------------------------------

    def _fill(self, data: GroupInput) -> None:
        for name, editor in self.editors.items():
            value = getattr(data, name, None)
            if isinstance(editor, QLineEdit):
                editor.setText("" if value is None else str(value))
            elif isinstance(editor, QPlainTextEdit):
                editor.setPlainText(value or "")
            elif name == "legal_form":
                editor.setCurrentIndex(max(editor.findData(value), 0))
        codes = list(data.activity_fields)
        self.main_field.setCurrentIndex(max(self.main_field.findData(codes[0]), 0) if codes else 0)
        for i in range(self.other_fields.count()):
            item = self.other_fields.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in codes[1:]
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        for key, box in self.consent_boxes.items():
            box.setChecked(key in data.public_consent)

    def values(self) -> GroupInput:
        """What is typed now, as a :class:`GroupInput` (not yet validated)."""
        raw: dict[str, object] = {}
        for name, editor in self.editors.items():
            if isinstance(editor, QLineEdit):
                raw[name] = editor.text()
            elif isinstance(editor, QPlainTextEdit):
                raw[name] = editor.toPlainText()
        raw["legal_form"] = self.editors["legal_form"].currentData() or ""
        main = self.main_field.currentData()
        others = [
            self.other_fields.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.other_fields.count())
            if self.other_fields.item(i).checkState() == Qt.CheckState.Checked
        ]
        raw["activity_fields"] = tuple(([main] if main else []) + [c for c in others if c != main])
        raw["public_consent"] = tuple(k for k, box in self.consent_boxes.items() if box.isChecked())
        if self.detail is not None:
            raw["registered_on"] = self.detail.registered_on
        return GroupInput(**raw)

    # --- actions ---------------------------------------------------------------------------------

    def suggest_reading(self) -> None:
        """Ask for a reading of the typed name (dictionary, offline, on the runner): it fills an
        empty reading, or is offered on a button beside a typed one; never overwrites."""
        name = self.editors["name"].text()
        if not name.strip():
            self.reading_button.hide()
            return
        self.state.runner.submit(readings.suggest_reading, name, on_done=self._reading_suggested, on_error=lambda _e: None)

    def _reading_suggested(self, kana: str) -> None:
        self.suggested_reading = kana
        editor = self.editors["name_kana"]
        typed = editor.text().strip()
        if kana and not typed:
            editor.setText(kana)
            self.reading_button.hide()
            return
        if not kana or kana_search_key(kana) == kana_search_key(typed):
            self.reading_button.hide()
            return
        self.reading_button.setText(_("Suggestion: {reading}").format(reading=kana))
        self.reading_button.show()

    def _use_suggested_reading(self) -> None:
        self.editors["name_kana"].setText(self.suggested_reading)
        self.reading_button.hide()

    def lookup_address(self, *, only_if_empty: bool) -> None:
        """Fill 住所 from the postal code (offline data); ``only_if_empty`` keeps a typed address."""
        code = self.editors["postal_code"].text()
        address = self.editors["address"]
        if not code.strip() or (only_if_empty and address.text().strip()):
            return
        set_error(self.errors["postal_code"], "")
        self.state.runner.submit(postal.address_for_postal_code, code, on_done=self._address_found, on_error=self._address_failed)

    def _address_found(self, found: str | None) -> None:
        if found is None:
            set_error(self.errors["postal_code"], _("This postal code is not in the postal data. Type the address."))
            return
        address = self.editors["address"]
        rest = address.text().strip()
        address.setText(found + (rest[len(found):] if rest.startswith(found) else ""))
        address.setFocus()
        address.setCursorPosition(len(address.text()))

    def _address_failed(self, error: BaseException) -> None:
        if isinstance(error, ValidationError):
            set_error(self.errors["postal_code"], str(error))
        else:
            show_error(self, error)

    def check_similar(self) -> None:
        """Warn (without blocking) when the name, reading or phone matches another group."""
        name, kana, phone = (self.editors[n].text() for n in ("name", "name_kana", "phone"))
        exclude = self.detail.id if self.detail else None
        self.state.runner.submit(groups.find_similar, self.state.ctx, name, kana, phone, exclude, on_done=self._similar_found, on_error=lambda _e: None)

    def check_printable(self) -> None:
        """Warn (without blocking: the name is saved as typed) as soon as a printed field holds a
        character no bundled font has; documents with it will be refused with the same message."""
        fields = [(name, self.editors[name].text()) for name in printable.GROUP_PRINTED_FIELDS]
        self.state.runner.submit(printable.unprintable_problems, fields, on_done=self._printable_checked, on_error=lambda _e: None)

    def _printable_checked(self, problems) -> None:
        if not problems:
            self.unprintable.setVisible(False)
            return
        lines = [_("{field}: {message}").format(field=field_label(p.field), message=p.message) for p in problems]
        self.unprintable.setText(_("Saved as typed, but documents cannot print it:") + "\n" + "\n".join(lines))
        self.unprintable.setVisible(True)

    def _similar_found(self, found) -> None:
        if not found:
            self.similar.setVisible(False)
            return
        lines = [
            _("{number} {name} ({fields} match)").format(
                number=s.group.registration_no or status_label(s.group.status), name=s.group.name,
                fields="・".join(field_label(r) for r in s.reasons),
            )
            for s in found
        ]
        self.similar.setText(_("A similar group is already in the registry:") + "\n" + "\n".join(lines))
        self.similar.setVisible(True)

    def submit(self) -> None:
        """Save through the runner; on a problem keep every value and point at the fields."""
        for label in self.errors.values():
            set_error(label, "")
        set_error(self.message, "")
        self._mark_tabs(set())
        self.save_button.setEnabled(False)
        if self.detail is None:
            self.state.runner.submit(groups.register_group, self.state.ctx, self.values(), applied=self.applied.isChecked(),
                                     on_done=self._saved, on_error=self._failed)
        else:
            self.state.runner.submit(groups.update_group, self.state.ctx, self.detail.id, self.values(),
                                     expected_version=self.detail.version, on_done=self._saved, on_error=self._failed)

    def _mark_tabs(self, bad: set[int]) -> None:
        """Red titles (and a mark for colour-blind users) on the tabs holding a problem."""
        for index, (key, _names) in enumerate(TABS):
            title = _(_TAB_TITLES[key])
            self.tabs.setTabText(index, f"⚠ {title}" if index in bad else title)
            self.tabs.tabBar().setTabTextColor(index, QColor("#b00020") if index in bad else QColor())

    def _saved(self, detail: GroupDetail) -> None:
        self.saved = detail
        self.accept()

    def reopen(self) -> None:
        """Load the group as it is stored now (after a save refused as changed elsewhere)."""
        if self.detail is not None:
            self.state.runner.submit(groups.get_group, self.state.ctx, self.detail.id, on_done=self._reopened, on_error=self._failed)

    def _reopened(self, detail: GroupDetail) -> None:
        self.detail = detail
        self.stale.setVisible(False)
        set_error(self.message, "")
        self._fill(GroupInput.from_detail(detail))
        self._initial = self._typed()

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, StaleEditError):
            self.stale.show_error(error)
            return
        if not isinstance(error, ValidationError):
            show_error(self, error)
            return
        rest = []
        for problem in error.problems:
            label = self.errors.get(problem.field)
            if label is None:
                rest.append(problem.message)
            else:
                set_error(label, "\n".join(filter(None, [label.text(), problem.message])))
        set_error(self.message, "\n".join(rest) or _("Please correct the fields marked in red."))
        order = [name for _key, names in TABS for name in names]
        marked = sorted({p.field for p in error.problems if p.field in self.tab_of}, key=order.index)
        self._mark_tabs({self.tab_of[name] for name in marked})
        if marked:
            first = marked[0]
            self.tabs.setCurrentIndex(self.tab_of[first])
            editor = self.main_field if first == "activity_fields" else self.editors[first]
            editor.setFocus()
