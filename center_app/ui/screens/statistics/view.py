"""集計 screen layout: period and facility pickers, the report's tables, the charts and the
export buttons. Wiring and logic live in :mod:`.controller` (TagStudio's split).

Keyboard: every control is reachable with Tab; Alt+P period kind, Alt+M month, Alt+Y fiscal
year, Alt+F facility, F5 recalculates; in the table list ↑/↓ choose a table; Ctrl+Tab switches
between the tables and the charts.
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from center_app.i18n import _
from center_app.ui.date_entry import DateEdit
from center_app.ui.screens.statistics.charts import HeatMap, HorizontalBars, MonthlyChart
from center_app.ui.screens.statistics.controller import StatisticsController
from center_app.ui.screens.statistics.model import ReportTableModel
from center_app.ui.state import AppState
from center_app.ui.widgets import error_label


class StatisticsScreen(QWidget):
    """Monthly and fiscal-year usage summaries (利用状況) with charts and exports."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        layout = QVBoxLayout(self)

        pickers = QHBoxLayout()
        self.kind = QComboBox()
        self.kind.setObjectName("period_kind")
        kind_label = QLabel(_("&Period"))
        kind_label.setBuddy(self.kind)
        self.month = DateEdit(month_only=True)
        self.month.setObjectName("period_month")
        month_label = QLabel(_("&Month"))
        month_label.setBuddy(self.month)
        self.fiscal_year = QComboBox()
        self.fiscal_year.setObjectName("period_fiscal_year")
        year_label = QLabel(_("Fiscal &year"))
        year_label.setBuddy(self.fiscal_year)
        self.facility = QComboBox()
        self.facility.setObjectName("facility")
        self.facility.setMinimumWidth(220)
        facility_label = QLabel(_("&Facility"))
        facility_label.setBuddy(self.facility)
        self.period_label = QLabel()
        self.period_label.setObjectName("period_label")
        self.period_label.setStyleSheet("font-weight: bold;")
        self.refresh_button = QPushButton(_("Recalculate"))
        self.refresh_button.setObjectName("refresh")
        self.progress = QProgressBar()
        self.progress.setObjectName("progress")
        self.progress.setRange(0, 0)  # busy indicator
        self.progress.setMaximumWidth(140)
        self.progress.setTextVisible(False)
        self.progress.setVisible(False)
        self.month_widgets = (month_label, self.month)
        self.year_widgets = (year_label, self.fiscal_year)
        for widget in (kind_label, self.kind, month_label, self.month, year_label, self.fiscal_year, facility_label, self.facility):
            pickers.addWidget(widget)
        pickers.addSpacing(12)
        pickers.addWidget(self.period_label)
        pickers.addStretch(1)
        pickers.addWidget(self.progress)
        pickers.addWidget(self.refresh_button)
        layout.addLayout(pickers)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        tables_page = QSplitter()
        self.table_list = QListWidget()
        self.table_list.setObjectName("table_list")
        self.table_list.setMaximumWidth(230)
        self.model = ReportTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("report_table")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(False)
        tables_page.addWidget(self.table_list)
        tables_page.addWidget(self.table)
        tables_page.setStretchFactor(1, 1)
        self.tabs.addTab(tables_page, _("Tables"))

        charts = QWidget()
        charts_layout = QVBoxLayout(charts)
        top = QHBoxLayout()
        self.monthly_chart = MonthlyChart(_("Bookings and attendance by month"), _("Number of bookings"), _("Attendance"))
        self.monthly_chart.setObjectName("monthly_chart")
        self.topic_chart = HorizontalBars(_("Consultations by topic"))
        self.topic_chart.setObjectName("topic_chart")
        top.addWidget(self.monthly_chart, 3)
        top.addWidget(self.topic_chart, 2)
        charts_layout.addLayout(top, 2)
        self.heat_map = HeatMap(_("Occupancy by room and month"))
        self.heat_map.setObjectName("heat_map")
        charts_layout.addWidget(self.heat_map, 3)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(charts)
        self.tabs.addTab(scroll, _("Charts"))
        layout.addWidget(self.tabs, 1)

        self.notes = QLabel()
        self.notes.setObjectName("notes")
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #555555;")
        layout.addWidget(self.notes)

        actions = QHBoxLayout()
        self.status = QLabel()
        self.status.setObjectName("export_status")
        self.error = error_label()
        self.error.setObjectName("export_error")
        actions.addWidget(self.status, 1)
        self.export_buttons: dict[str, QPushButton] = {}
        for fmt, text in (("xlsx", _("Export Excel…")), ("csv", _("Export CSV…")), ("pdf", _("Export PDF…"))):
            button = QPushButton(text)
            button.setObjectName(f"export_{fmt}")
            self.export_buttons[fmt] = button
            actions.addWidget(button)
        layout.addLayout(actions)
        layout.addWidget(self.error)

        QShortcut(QKeySequence("F5"), self, activated=lambda: self.controller.refresh())
        self.controller = StatisticsController(self)

    def set_period_kind(self, fiscal: bool) -> None:
        """Show the month picker or the fiscal-year picker."""
        for widget in self.month_widgets:
            widget.setVisible(not fiscal)
        for widget in self.year_widgets:
            widget.setVisible(fiscal)

    def activate(self) -> None:
        """Called when the screen is shown: load facilities (once) and the summary."""
        self.controller.activate()
