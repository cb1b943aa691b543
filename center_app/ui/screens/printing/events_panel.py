"""印刷 → イベント: the list of events (undated ones first, then newest first) with New, Edit,
Delete and "Make a flyer". Enter or a double click edits; Delete asks first."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from center_app.domain.wareki import format_day
from center_app.i18n import _
from center_app.print.base import time_range
from center_app.services import config, events
from center_app.ui.screens.printing.event_dialog import EventDialog
from center_app.ui.state import AppState
from center_app.ui.widgets import show_error


class EventsPanel(QWidget):
    """The event list. ``changed`` after a save or delete; ``flyer_requested(event id)``."""

    changed = Signal()
    flyer_requested = Signal(int)

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.rows: list[events.EventSummary] = []
        self.rooms: list[config.Choice] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("event_table")
        self.table.setHorizontalHeaderLabels([_("Date"), _("Time"), _("Title"), _("Place")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.empty = QLabel(_("No events yet. Add one with New event."))
        self.empty.setObjectName("no_events")
        layout.addWidget(self.empty)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text in (("new", _("New event…")), ("edit", _("Edit…")), ("delete", _("Delete…")), ("flyer", _("Make a flyer"))):
            button = QPushButton(text)
            button.setObjectName(f"event_{key}")
            self.buttons[key] = button
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.buttons["new"].clicked.connect(self.new_event)
        self.buttons["edit"].clicked.connect(self.edit_selected)
        self.buttons["delete"].clicked.connect(self.delete_selected)
        self.buttons["flyer"].clicked.connect(self._flyer)
        self.table.itemActivated.connect(lambda _item: self.edit_selected())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self._update_buttons()

    # --- loading --------------------------------------------------------------------------------

    def reload(self) -> None:
        self.state.runner.submit(events.list_events, self.state.ctx, on_done=self._loaded, on_error=lambda e: show_error(self, e))

    def _loaded(self, rows: list[events.EventSummary]) -> None:
        selected = self.selected_id()
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            values = (format_day(row.event_date) if row.event_date else _("(no date yet)"), time_range(row.start_time, row.end_time), row.title, row.place)
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, row.id)
                self.table.setItem(r, c, item)
            if row.id == selected:
                self.table.selectRow(r)
        self.empty.setVisible(not rows)
        self._update_buttons()

    def selected_id(self) -> int | None:
        items = self.table.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def _update_buttons(self) -> None:
        chosen = self.selected_id() is not None
        for key in ("edit", "delete", "flyer"):
            self.buttons[key].setEnabled(chosen)

    # --- actions ---------------------------------------------------------------------------------

    def _with_rooms(self, then) -> None:
        if self.rooms is not None:
            then()
            return

        def loaded(rooms) -> None:
            self.rooms = rooms
            then()
        self.state.runner.submit(config.reference_choices, self.state.ctx, "room", on_done=loaded, on_error=lambda e: show_error(self, e))

    def dialog(self, detail: events.EventDetail | None = None) -> EventDialog:
        return EventDialog(self.state, self.rooms or [], detail, self)

    def new_event(self) -> None:
        self._with_rooms(lambda: self._run(self.dialog()))

    def edit_selected(self) -> None:
        event_id = self.selected_id()
        if event_id is None:
            return
        self.state.runner.submit(
            events.get_event, self.state.ctx, event_id,
            on_done=lambda detail: self._with_rooms(lambda: self._run(self.dialog(detail))),
            on_error=lambda e: show_error(self, e),
        )

    def _run(self, dialog: EventDialog) -> None:
        if dialog.exec() and dialog.saved is not None:
            self.after_save(dialog.saved)

    def after_save(self, detail: events.EventDetail) -> None:
        self.reload()
        self.changed.emit()

    def delete_selected(self) -> None:
        event_id = self.selected_id()
        row = next((r for r in self.rows if r.id == event_id), None)
        if row is None:
            return
        answer = QMessageBox.question(self, _("Delete event"), _("Delete the event {title}?").format(title=row.title),
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.delete(event_id)

    def delete(self, event_id: int) -> None:
        def done(_result) -> None:
            self.reload()
            self.changed.emit()
        self.state.runner.submit(events.delete_event, self.state.ctx, event_id, on_done=done, on_error=lambda e: show_error(self, e))

    def _flyer(self) -> None:
        event_id = self.selected_id()
        if event_id is not None:
            self.flyer_requested.emit(event_id)
