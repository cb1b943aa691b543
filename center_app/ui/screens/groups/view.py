"""団体 screen layout: search box, filters, the group table and the action buttons.

Wiring and logic live in :mod:`.controller`; this file only builds widgets (TagStudio's split).
Keyboard: Ctrl+F search, ↓ from the search box into the table, Enter opens, Ctrl+N new,
Ctrl+R renew, Ctrl+I import; every button is reachable with Tab.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget,
)

from center_app.i18n import _
from center_app.ui.screens.groups.controller import GroupsController
from center_app.ui.screens.groups.delegate import GroupCellDelegate, GroupTable
from center_app.ui.screens.groups.model import GroupTableModel
from center_app.ui.state import AppState


class GroupsScreen(QWidget):
    """The group registry: find, open, register, renew, pause, withdraw and import groups."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        layout = QVBoxLayout(self)

        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("group_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(_("Name, reading, registration number, phone or representative"))
        search_label = QLabel(_("&Search"))
        search_label.setBuddy(self.search)
        filters.addWidget(search_label)
        filters.addWidget(self.search, 3)
        self.status_filter = self._combo("status_filter")
        self.field_filter = self._combo("field_filter")
        self.legal_form_filter = self._combo("legal_form_filter")
        for label, combo in ((_("Status"), self.status_filter), (_("Activity field"), self.field_filter), (_("Legal form"), self.legal_form_filter)):
            filters.addWidget(QLabel(label))
            filters.addWidget(combo, 1)
        layout.addLayout(filters)

        self.model = GroupTableModel(state.runner, self)
        self.table = GroupTable()
        self.table.setObjectName("group_table")
        self.table.setModel(self.model)
        self.table.setItemDelegate(GroupCellDelegate(self.model, self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)  # a header click sorts in the database (model.sort)
        self.table.horizontalHeader().setSortIndicator(2, Qt.SortOrder.AscendingOrder)  # 五十音順
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((90, 0, 0, 70, 100, 130, 100, 115, 95)):
            if width:
                self.table.setColumnWidth(column, width)
            else:  # name and reading share the rest of the width
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)

        actions = QHBoxLayout()
        self.count_label = QLabel()
        self.count_label.setObjectName("group_count")
        actions.addWidget(self.count_label)
        actions.addStretch(1)
        self.buttons: dict[str, QPushButton] = {}
        for key, text in (
            ("open", _("Open the group")), ("new", _("New registration…")), ("renew", _("Renew…")), ("pause", _("Pause…")),
            ("resume", _("Resume")), ("approve", _("Approve application")), ("withdraw", _("Withdraw…")), ("certificate", _("Print certificate")),
            ("import", _("Import…")), ("export", _("Export…")),
        ):
            button = QPushButton(text)
            button.setObjectName(f"action_{key}")
            self.buttons[key] = button
        # two rows, so the English labels fit a 1280-pixel screen: the count and the file actions
        # above, the actions on the selected group below
        for key in ("certificate", "import", "export"):
            actions.addWidget(self.buttons[key])
        self.buttons["certificate"].setToolTip(_("A4 certificate of the selected group; cards and batches are printed from the Printing screen."))
        layout.addLayout(actions)
        group_actions = QHBoxLayout()
        group_actions.addStretch(1)
        for key in ("open", "new", "renew", "pause", "resume", "approve", "withdraw"):
            group_actions.addWidget(self.buttons[key])
        layout.addLayout(group_actions)

        self.controller = GroupsController(self)
        self._shortcuts()
        self.setTabOrder(self.search, self.status_filter)
        self.setTabOrder(self.status_filter, self.field_filter)
        self.setTabOrder(self.field_filter, self.legal_form_filter)
        self.setTabOrder(self.legal_form_filter, self.table)

    @staticmethod
    def _combo(name: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        return combo

    def _shortcuts(self) -> None:
        c = self.controller
        QShortcut(QKeySequence.StandardKey.Find, self, lambda: (self.search.setFocus(), self.search.selectAll()))
        QShortcut(QKeySequence("Ctrl+N"), self, c.new_group)
        QShortcut(QKeySequence("Ctrl+R"), self, c.renew_selected)
        QShortcut(QKeySequence("Ctrl+I"), self, c.import_file)
        self.search.returnPressed.connect(c.open_first_or_selected)
        self.search.installEventFilter(c)  # ↓ moves into the table
        self.table.installEventFilter(c)  # Enter opens the selected group

    def activate(self) -> None:
        """Called each time the screen is shown: load the filters once, refresh the list."""
        self.controller.activate()
