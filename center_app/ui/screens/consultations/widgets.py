"""Small editors of the 相談 screen: a group picker and a list of check boxes."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QListWidget, QListWidgetItem, QWidget

from center_app.i18n import _
from center_app.services import groups
from center_app.services.group_values import GroupPage
from center_app.ui.state import AppState

SEARCH_DELAY_MS = 250


def _search(ctx, text: str) -> tuple[str, GroupPage]:
    """(``text``, the groups found for it): the answer names its question."""
    return text, groups.search_groups(ctx, text, limit=30)


class GroupPicker(QWidget):
    """Type a name, reading or registration number; choose the group from the matches.

    ``group_id()`` is the chosen group (None: no group). ``changed`` is emitted when it changes.
    """

    changed = Signal()

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setObjectName("group_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(_("Name, reading or registration number"))
        self.choice = QComboBox()
        self.choice.setObjectName("group_choice")
        self.choice.setMinimumContentsLength(18)
        self.choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        row.addWidget(self.search, 2)
        row.addWidget(self.choice, 3)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search_now)
        self.search.textEdited.connect(lambda _text: self._timer.start())
        self.search.returnPressed.connect(self.search_now)
        self.choice.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self._set_items([])

    def _set_items(self, items: list[tuple[int, str]], keep: int | None = None) -> None:
        self.choice.blockSignals(True)
        previous = self.group_id()
        self.choice.clear()
        self.choice.addItem(_("(no registered group)"), None)
        for group_id, label in items:
            self.choice.addItem(label, group_id)
        wanted = keep if keep is not None else (items[0][0] if len(items) == 1 else None)
        index = self.choice.findData(wanted) if wanted is not None else 0
        self.choice.setCurrentIndex(max(index, 0))
        self.choice.blockSignals(False)
        if self.group_id() != previous:
            self.changed.emit()

    def search_now(self) -> None:
        """Look the typed text up now (also after a short pause in typing)."""
        self._timer.stop()
        text = self.search.text().strip()
        if not text:
            self._set_items([])
            return
        self.state.runner.submit(_search, self.state.ctx, text, on_done=self._found, on_error=lambda _e: None)

    def _found(self, found: tuple[str, GroupPage]) -> None:
        text, page = found
        if text != self.search.text().strip():
            return  # the clerk typed on, emptied the box or chose a group meanwhile
        self._set_items([(g.id, f"{g.registration_no or '—'} {g.name}") for g in page.items])

    def group_id(self) -> int | None:
        """The chosen group's id, or None."""
        return self.choice.currentData() if self.choice.count() else None

    def set_group(self, group_id: int | None, registration_no: str = "", name: str = "") -> None:
        """Show ``group_id`` as chosen (or no group)."""
        self._timer.stop()
        if group_id is None:
            self.search.clear()
            self._set_items([])
        else:
            self.search.setText(registration_no or name)
            self._set_items([(group_id, f"{registration_no or '—'} {name}")], keep=group_id)


class CheckList(QListWidget):
    """A list of check boxes (topics, activity fields); ``checked()`` returns the chosen ids in
    the list's order. Space toggles the current item."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setUniformItemSizes(True)

    def set_choices(self, choices: list[tuple[int, str]]) -> None:
        """Replace the items, keeping what was checked."""
        kept = set(self.checked())
        self.clear()
        for value, label in choices:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if value in kept else Qt.CheckState.Unchecked)
            self.addItem(item)

    def checked(self) -> list[int]:
        """Values of the checked items, in list order."""
        return [self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())
                if self.item(i).checkState() == Qt.CheckState.Checked]

    def set_checked(self, values) -> None:
        """Check exactly ``values``."""
        wanted = set(values)
        for i in range(self.count()):
            item = self.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in wanted else Qt.CheckState.Unchecked)
