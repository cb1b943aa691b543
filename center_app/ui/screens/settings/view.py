"""設定 screen: one tab per configuration table, then staff accounts and the audit log."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QPushButton, QTableView, QTabWidget, QVBoxLayout, QWidget

from center_app.i18n import _
from center_app.services import config
from center_app.domain.center_settings import SETTINGS_PAYMENTS, SETTINGS_SERVICES
from center_app.domain.center_settings import SETTINGS_PRINT_ROOM
from center_app.domain.center_settings import SETTINGS_PROGRAMS
from center_app.services.config_spec import TABLES, TableSpec
from center_app.ui.screens.settings.backups import BackupsTab
from center_app.ui.screens.settings.center import CenterSettingsTab
from center_app.ui.screens.settings.dialogs import RowDialog
from center_app.ui.screens.settings.mail_templates import MailTemplatesTab
from center_app.ui.screens.settings.model import ConfigTableModel
from center_app.ui.screens.settings.staff import AuditTab, StaffTab
from center_app.ui.state import AppState


def _load(ctx, key: str, refs: list[str]):
    rows = config.list_rows(ctx, key)
    choices = {ref: {c.id: c.label for c in config.reference_choices(ctx, ref)} for ref in refs}
    return rows, choices


class ConfigTab(QWidget):
    """A table of one configuration table with 追加 / 編集 (Enter or double-click)."""

    def __init__(self, state: AppState, spec: TableSpec, parent: QWidget | None = None):
        super().__init__(parent)
        self.state, self.spec = state, spec
        self.refs = sorted({c.ref for c in spec.columns if c.ref})
        layout = QVBoxLayout(self)
        self.model = ConfigTableModel(spec, self)
        self.table = QTableView()
        self.table.setObjectName(f"table_{spec.key}")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, self.edit_selected, context=Qt.ShortcutContext.WidgetShortcut)
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(_("Add…"))
        self.add_button.setObjectName("add")
        self.add_button.clicked.connect(self.add_row)
        self.edit_button = QPushButton(_("Edit…"))
        self.edit_button.setObjectName("edit")
        self.edit_button.clicked.connect(self.edit_selected)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def reload(self) -> None:
        """Load the rows (and the names of referenced facilities, rooms, slots) in the background."""
        self.state.runner.submit(_load, self.state.ctx, self.spec.key, self.refs, on_done=self._loaded)

    def _loaded(self, result) -> None:
        rows, choices = result
        self.model.set_rows(rows, choices)

    def add_row(self) -> None:
        """Open the dialog for a new row."""
        dialog = RowDialog(self.state, self.spec, None, self.model.choices, self)
        if dialog.exec() == RowDialog.DialogCode.Accepted:
            self.reload()

    def edit_selected(self) -> None:
        """Open the dialog for the selected row."""
        index = self.table.currentIndex()
        row = self.model.row_at(index.row()) if index.isValid() else None
        if row is None:
            return
        dialog = RowDialog(self.state, self.spec, row, self.model.choices, self)
        if dialog.exec() == RowDialog.DialogCode.Accepted:
            self.reload()


class SettingsScreen(QWidget):
    """Tabs: center-wide settings, fees and payments (deadlines, rounding, receipt texts), facilities,
    rooms, slots, fees, exemptions, applicant classes, cancellation reasons, closed days, staff,
    audit log, backups."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("settings_tabs")
        layout.addWidget(self.tabs)
        self.center_tab = CenterSettingsTab(state)
        self.tabs.addTab(self.center_tab, _("Center"))
        self.payments_tab = CenterSettingsTab(state, SETTINGS_PAYMENTS)
        self.tabs.addTab(self.payments_tab, _("Fees and payments"))
        self.services_tab = CenterSettingsTab(state, SETTINGS_SERVICES)
        self.tabs.addTab(self.services_tab, _("Lockers, visitors and lottery"))
        self.print_room_tab = CenterSettingsTab(state, SETTINGS_PRINT_ROOM)
        self.tabs.addTab(self.print_room_tab, _("Printing room"))
        self.programs_tab = CenterSettingsTab(state, SETTINGS_PROGRAMS)
        self.tabs.addTab(self.programs_tab, _("Subsidies and collaboration"))
        self.mail_templates_tab = MailTemplatesTab(state)
        self.tabs.addTab(self.mail_templates_tab, _("Mailing letters"))
        self.config_tabs = {key: ConfigTab(state, spec) for key, spec in TABLES.items()}
        for key, tab in self.config_tabs.items():
            self.tabs.addTab(tab, _(TABLES[key].title))
        self.staff_tab = StaffTab(state)
        self.tabs.addTab(self.staff_tab, _("Staff"))
        self.audit_tab = AuditTab(state)
        self.tabs.addTab(self.audit_tab, _("Audit log"))
        self.backups_tab = BackupsTab(state)
        self.tabs.addTab(self.backups_tab, _("Backups"))
        self.tabs.currentChanged.connect(lambda _i: self.activate())

    def has_unsaved_changes(self) -> bool:
        """Whether a settings tab holds typing not saved (a language or user switch asks first)."""
        return any(tab.has_unsaved_changes() for tab in (self.center_tab, self.payments_tab, self.services_tab,
                                                         self.print_room_tab, self.programs_tab))

    def activate(self) -> None:
        """Reload the tab shown."""
        tab = self.tabs.currentWidget()
        reload = getattr(tab, "reload", None)
        if callable(reload):
            reload()
