"""相談 screen: the filtered list of consultations and the form, on two pages of one screen.

Keyboard: Ctrl+F free text, Enter in a filter searches, ↓/Enter in the table opens the record,
Ctrl+N a new consultation, Ctrl+S saves the form, Esc goes back to the list. The form lives in
the screen (not a dialog), so nothing typed is lost when the app locks itself while idle.
Opening a record, every list and every export is written to the audit log by the services.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from center_app.domain import clock
from center_app.domain.errors import ValidationError
from center_app.domain.fiscal import fiscal_year_of, fiscal_year_range
from center_app.domain.normalize import parse_date
from center_app.domain.roles import Role
from center_app.i18n import N_, _
from center_app.services import consultations_export, consultations_queries, groups
from center_app.services.consultations_values import (
    CLIENT_TYPES,
    METHODS,
    STATUSES,
    ConsultationDetail,
    ConsultationFilter,
    ConsultationPage,
    client_type_label,
    may_use_consultations,
    method_label,
    status_label,
)
from center_app.ui.screens.consultations.form import ConsultationForm
from center_app.ui.screens.consultations.model import ConsultationTableModel
from center_app.ui.screens.consultations.widgets import GroupPicker
from center_app.ui.state import AppState
from center_app.ui.widgets import ask_discard, error_label, set_error, show_error

PERIODS = (
    ("all", N_("All dates")), ("month", N_("This month")), ("fiscal_year", N_("This fiscal year")),
    ("last_fiscal_year", N_("Last fiscal year")), ("custom", N_("Dates below")),
)
_COLUMN_WIDTHS = (90, 55, 90, 105, 0, 170, 110, 70, 95, 50)
_INFO_STYLE = "color: #1b5e20;"


def period_range(key: str, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """Dates of a period preset (None, None for all dates and for custom)."""
    if key == "month":
        return today.replace(day=1), today
    if key == "fiscal_year":
        return fiscal_year_range(fiscal_year_of(today))
    if key == "last_fiscal_year":
        return fiscal_year_range(fiscal_year_of(today) - 1)
    return None, None


class ConsultationsScreen(QWidget):
    """The consultation log of the coordinators and admins."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self._choices_loaded = False
        self._ready = False  # no list reads before the screen is first shown
        self.last_export: Path | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages)
        self.list_page = QWidget()
        self.pages.addWidget(self.list_page)
        self.form = ConsultationForm(state)
        self.pages.addWidget(self.form)
        self.form.back.connect(self.go_back)
        self.form.saved.connect(lambda _detail: self.reload())
        self._build_list_page()
        self._shortcuts()

    # --- building --------------------------------------------------------------------------------

    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.currentIndexChanged.connect(lambda _i: self.reload())
        return combo

    def _build_list_page(self) -> None:
        layout = QVBoxLayout(self.list_page)
        self.notice = QLabel(_("The consultation log is for coordinators and administrators."))
        self.notice.setObjectName("role_notice")
        self.notice.setVisible(False)
        layout.addWidget(self.notice)
        grid = QGridLayout()
        self.period = QComboBox()
        self.period.setObjectName("period_filter")
        for key, title in PERIODS:
            self.period.addItem(_(title), key)
        self.period.currentIndexChanged.connect(self._period_changed)
        self.date_from, self.date_to = QLineEdit(), QLineEdit()
        for name, edit in (("date_from", self.date_from), ("date_to", self.date_to)):
            edit.setObjectName(name)
            edit.setPlaceholderText("2026/4/1")
            edit.setMaximumWidth(110)
            edit.returnPressed.connect(self._custom_dates)
        self.staff_filter = self._combo("staff_filter")
        self.method_filter = self._combo("method_filter")
        self.method_filter.addItem(_("All"), None)
        for code in METHODS:
            self.method_filter.addItem(method_label(code), code)
        self.client_type_filter = self._combo("client_type_filter")
        self.client_type_filter.addItem(_("All"), None)
        for code in CLIENT_TYPES:
            self.client_type_filter.addItem(client_type_label(code), code)
        self.topic_filter = self._combo("topic_filter")
        self.status_filter = self._combo("status_filter")
        self.status_filter.addItem(_("All"), None)
        for code in STATUSES:
            self.status_filter.addItem(status_label(code), code)
        self.group_filter = GroupPicker(self.state)
        self.group_filter.setObjectName("group_filter")
        self.group_filter.changed.connect(self.reload)
        self.text = QLineEdit()
        self.text.setObjectName("text_filter")
        self.text.setClearButtonEnabled(True)
        self.text.setPlaceholderText(_("Words in names, reading, content, response or referral"))
        self.text.returnPressed.connect(self.reload)
        self.follow_up_only = QCheckBox(_("Open follow-ups only"))
        self.follow_up_only.setObjectName("follow_up_filter")
        self.follow_up_only.toggled.connect(lambda _on: self.reload())

        period_box = QHBoxLayout()
        period_box.addWidget(self.period)
        period_box.addWidget(self.date_from)
        period_box.addWidget(QLabel("〜"))
        period_box.addWidget(self.date_to)
        period_box.addStretch(1)
        text_label = QLabel(_("&Text"))
        text_label.setBuddy(self.text)
        rows = (
            ((_("Period"), period_box), (_("Staff member"), self.staff_filter), (_("Method"), self.method_filter), (_("Status"), self.status_filter)),
            ((_("Group"), self.group_filter), (_("Topic"), self.topic_filter), (_("Client type"), self.client_type_filter), (None, self.follow_up_only)),
        )
        for r, row in enumerate(rows):
            for c, (label, widget) in enumerate(row):
                if label is not None:
                    grid.addWidget(QLabel(label), r, c * 2)
                if isinstance(widget, QHBoxLayout):
                    grid.addLayout(widget, r, c * 2 + 1)
                else:
                    grid.addWidget(widget, r, c * 2 + 1)
        grid.addWidget(text_label, 2, 0)
        grid.addWidget(self.text, 2, 1, 1, 7)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 1)
        grid.setColumnStretch(5, 1)
        layout.addLayout(grid)
        self.filter_error = error_label()
        layout.addWidget(self.filter_error)

        self.model = ConsultationTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("consultation_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column, width in enumerate(_COLUMN_WIDTHS):
            if width:
                self.table.setColumnWidth(column, width)
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)  # newest first
        self.table.setSortingEnabled(True)  # a header click sorts in the database (model.sort), filters kept
        self.model.sort_changed.connect(self.reload)
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.table.installEventFilter(self)
        self.empty = QLabel(_("No consultations match. Change the filters or record a new consultation (Ctrl+N)."))
        self.empty.setObjectName("empty_notice")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setVisible(False)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)

        actions = QHBoxLayout()
        self.count_label = QLabel()
        self.count_label.setObjectName("consultation_count")
        actions.addWidget(self.count_label)
        actions.addStretch(1)
        self.buttons: dict[str, QPushButton] = {}
        for key, text in (("open", _("Open the record")), ("new", _("New consultation")), ("export", _("Export…")),
                          ("topics", _("Topics…")), ("retention", _("Retention…"))):
            button = QPushButton(text)
            button.setObjectName(f"action_{key}")
            self.buttons[key] = button
            if key == "export":
                self.redacted = QCheckBox(_("with pseudonyms"))
                self.redacted.setObjectName("redacted")
                self.redacted.setToolTip(_("Names of people and groups are replaced by stable pseudonyms."))
                actions.addWidget(self.redacted)
            actions.addWidget(button)
        self.buttons["open"].clicked.connect(lambda: self.open_row(self.table.currentIndex().row()))
        self.buttons["new"].clicked.connect(self.new_consultation)
        self.buttons["export"].clicked.connect(self.export_file)
        self.buttons["topics"].clicked.connect(self.edit_topics)
        self.buttons["retention"].clicked.connect(self.manage_retention)
        layout.addLayout(actions)
        self.info = QLabel()
        self.info.setObjectName("info")
        self.info.setStyleSheet(_INFO_STYLE)
        layout.addWidget(self.info)

    def _shortcuts(self) -> None:
        QShortcut(QKeySequence("Ctrl+N"), self, self.new_consultation)
        QShortcut(QKeySequence.StandardKey.Find, self, lambda: (self.text.setFocus(), self.text.selectAll()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if watched is self.table and event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_row(self.table.currentIndex().row())
            return True
        return super().eventFilter(watched, event)

    # --- behaviour -------------------------------------------------------------------------------

    def allowed(self) -> bool:
        """Whether the signed-in role may use the log (the services refuse the others anyway)."""
        user = self.state.ctx.user
        return user is not None and may_use_consultations(user.role)

    def activate(self) -> None:
        """Shown: load the choices once, then the list."""
        allowed = self.allowed()
        self.notice.setVisible(not allowed)
        self.table.setEnabled(allowed)
        for button in self.buttons.values():
            button.setEnabled(allowed)
        is_admin = self.state.ctx.user is not None and self.state.ctx.user.role == Role.ADMIN
        self.buttons["topics"].setVisible(is_admin)
        self.buttons["retention"].setVisible(is_admin)
        if not allowed:
            return
        self._ready = True
        if not self._choices_loaded:
            self.load_choices()
        if self.pages.currentWidget() is self.list_page:
            self.reload()

    def load_choices(self) -> None:
        """Topics, activity fields and staff for the filters and the form."""
        ctx = self.state.ctx

        def fetch():
            return (consultations_queries.list_topics(ctx, include_inactive=True), groups.activity_fields(ctx), consultations_queries.staff_choices(ctx))

        self.state.runner.submit(fetch, on_done=self._choices, on_error=lambda e: show_error(self, e))

    def _choices(self, loaded) -> None:
        topics, fields, staff = loaded
        self._choices_loaded = True
        self.form.set_choices(topics, fields, staff)
        for combo, items in ((self.topic_filter, [(t.id, t.name) for t in topics]), (self.staff_filter, [(s.id, s.display_name) for s in staff])):
            combo.blockSignals(True)
            current = combo.currentData()
            combo.clear()
            combo.addItem(_("All"), None)
            for value, label in items:
                combo.addItem(label, value)
            combo.setCurrentIndex(max(combo.findData(current), 0))
            combo.blockSignals(False)

    def _period_changed(self, _index: int) -> None:
        start, end = period_range(self.period.currentData(), clock.today())
        if self.period.currentData() != "custom":
            self.date_from.setText(start.strftime("%Y/%m/%d") if start else "")
            self.date_to.setText(end.strftime("%Y/%m/%d") if end else "")
        self.reload()

    def _custom_dates(self) -> None:
        self.period.blockSignals(True)
        self.period.setCurrentIndex(self.period.findData("custom"))
        self.period.blockSignals(False)
        self.reload()

    def filters(self) -> ConsultationFilter:
        """The filters as set; raises ValidationError for an unreadable date."""
        start = parse_date(self.date_from.text(), field="date_from")
        end = parse_date(self.date_to.text(), field="date_to")
        return ConsultationFilter(
            start=start, end=end, staff_user_id=self.staff_filter.currentData(), method=self.method_filter.currentData(),
            client_type=self.client_type_filter.currentData(), topic_id=self.topic_filter.currentData(),
            status=self.status_filter.currentData(), group_id=self.group_filter.group_id(), text=self.text.text(),
            follow_up_open=self.follow_up_only.isChecked(),
        )

    def reload(self) -> None:
        """Search again with the filters (in the background)."""
        if not self._ready or not self.allowed():
            return
        set_error(self.filter_error, "")
        try:
            filters = self.filters()
        except ValidationError as exc:
            set_error(self.filter_error, str(exc))
            return
        self.state.runner.submit(consultations_queries.search_consultations, self.state.ctx, filters, order=self.model.order,
                                 descending=self.model.descending, on_done=self._loaded,
                                 on_error=lambda e: show_error(self, e))

    def _loaded(self, page: ConsultationPage) -> None:
        self.model.set_rows(page.items, page.total)
        shown, total = len(page.items), page.total
        self.count_label.setText(
            _("{count} consultations").format(count=total) if shown == total
            else _("{shown} of {count} consultations shown; narrow the filters to see the others.").format(shown=shown, count=total)
        )
        self.empty.setVisible(total == 0)
        if shown and not self.table.currentIndex().isValid():
            self.table.selectRow(0)

    def open_row(self, row: int) -> None:
        """Open the consultation at ``row`` in the form (the read is audited)."""
        consultation_id = self.model.consultation_id(row)
        if consultation_id is not None:
            self.open_consultation(consultation_id)

    def open_consultation(self, consultation_id: int) -> None:
        """Load one consultation into the form."""
        self.state.runner.submit(consultations_queries.get_consultation, self.state.ctx, consultation_id, on_done=self._opened,
                                 on_error=lambda e: show_error(self, e))

    def _opened(self, detail: ConsultationDetail) -> None:
        self.form.show_detail(detail)
        self.pages.setCurrentWidget(self.form)

    def new_consultation(self) -> None:
        """An empty form."""
        if not self.allowed():
            return
        if self.pages.currentWidget() is self.form and self.form.is_modified() and not self._discard_ok():
            return
        self.form.new_record()
        self.pages.setCurrentWidget(self.form)

    def _discard_ok(self) -> bool:
        return ask_discard(self)

    def has_unsaved_changes(self) -> bool:
        """Whether the form is shown with something typed and not saved."""
        return self.pages.currentWidget() is self.form and self.form.is_modified()

    def go_back(self, force: bool = False) -> None:
        """Back to the list (asks first when the form has unsaved changes, unless ``force``)."""
        if not force and self.form.is_modified() and not self._discard_ok():
            return
        self.pages.setCurrentWidget(self.list_page)
        self.reload()
        self.table.setFocus()

    # --- export and admin ------------------------------------------------------------------------

    def export_file(self) -> None:
        """Ask for a file name, then export the listed consultations."""
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export consultations"), f"consultations-{clock.today():%Y%m%d}.xlsx", _("Excel (*.xlsx);;CSV UTF-8 (*.csv)"),
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Export the consultations matching the filters to ``path`` (.csv or .xlsx)."""
        try:
            filters = self.filters()
        except ValidationError as exc:
            set_error(self.filter_error, str(exc))
            return
        self.state.runner.submit(
            consultations_export.export_consultations, self.state.ctx, path, redacted=self.redacted.isChecked(), filters=filters,
            on_done=lambda count: self._exported(path, count), on_error=lambda e: show_error(self, e),
        )

    def _exported(self, path: Path, count: int) -> None:
        self.last_export = path
        self.info.setText(_("Exported {count} consultations to {path}.").format(count=count, path=path))

    def edit_topics(self) -> None:
        """The topic list (admins)."""
        from center_app.ui.screens.consultations.admin import TopicsDialog

        TopicsDialog(self.state, self).exec()
        self.load_choices()

    def manage_retention(self) -> None:
        """The retention period and deletion (admins)."""
        from center_app.ui.screens.consultations.admin import RetentionDialog

        RetentionDialog(self.state, self).exec()
        self.reload()
