"""Wiring of the 集計 screen: pickers → summary (on the runner, with a busy indicator) → tables,
charts and exports.

A summary runs off the GUI thread through ``state.runner``; answers to an older request (the
clerk changed the month meanwhile) are dropped (generation counter). The report shown is the
one exported, so the file always holds the figures on the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QObject
from PySide6.QtWidgets import QFileDialog

from center_app.domain import clock
from center_app.domain.fiscal import fiscal_year_label, fiscal_year_of
from center_app.domain.statistics_values import FISCAL_YEAR, MONTH, FacilityChoice, Period, Summary, last_month
from center_app.export import write_report
from center_app.export.tables import Report, build_report
from center_app.i18n import _
from center_app.services import statistics
from center_app.services.context import ServiceContext
from center_app.services.statistics import BookingSection
from center_app.ui.widgets import set_error

if TYPE_CHECKING:
    from center_app.ui.screens.statistics.view import StatisticsScreen

#: Fiscal years offered before the current one.
YEARS_BACK = 10
UTF8, CP932 = "utf-8-sig", "cp932"


@dataclass(frozen=True)
class Loaded:
    """What one background job returns: the summary, its report, and the fiscal-year trend
    behind the monthly chart and the heat map."""

    summary: Summary
    report: Report
    trend: BookingSection


def load(ctx: ServiceContext, period: Period, facility_id: int | None) -> Loaded:
    """Summarise ``period`` (runs on the runner's thread)."""
    summary = statistics.summarize(ctx, period, facility_id)
    if period.kind == FISCAL_YEAR:
        trend = BookingSection(summary.facility, summary.rooms, summary.facilities, summary.months)
    else:
        trend = statistics.fiscal_year_trend(ctx, period.fiscal_year, facility_id)
    return Loaded(summary, build_report(summary), trend)


class StatisticsController(QObject):
    """Logic of :class:`StatisticsScreen`."""

    def __init__(self, view: StatisticsScreen):
        super().__init__(view)
        self.view, self.state = view, view.state
        self.loaded: Loaded | None = None
        self._generation = 0
        self._facilities_loaded = False
        self._activated = False
        default = last_month(self.state.date)
        v = view
        v.kind.addItem(_("Month"), MONTH)
        v.kind.addItem(_("Fiscal year (April–March)"), FISCAL_YEAR)
        v.month.setDate(QDate(default.year, default.month or 1, 1))
        current = fiscal_year_of(self.state.date)
        for year in range(current + 1, current - YEARS_BACK - 1, -1):
            v.fiscal_year.addItem(_("{label} ({year})").format(label=fiscal_year_label(year), year=year), year)
        v.fiscal_year.setCurrentIndex(v.fiscal_year.findData(default.fiscal_year))
        v.facility.addItem(_("All facilities"), None)
        v.set_period_kind(False)
        v.kind.currentIndexChanged.connect(self._kind_changed)
        v.month.dateChanged.connect(lambda _d: self.refresh())
        v.fiscal_year.currentIndexChanged.connect(lambda _i: self.refresh())
        v.facility.currentIndexChanged.connect(lambda _i: self.refresh())
        v.refresh_button.clicked.connect(self.refresh)
        v.table_list.currentRowChanged.connect(self._show_table)
        for fmt, button in v.export_buttons.items():
            button.clicked.connect(lambda _checked=False, f=fmt: self.export(f))
        self._set_busy(False)

    # --- loading ---------------------------------------------------------------------------------

    def activate(self) -> None:
        """First showing: load the facilities, then the default summary (last month)."""
        if not self._facilities_loaded:
            self._facilities_loaded = True
            self.state.runner.submit(statistics.facility_choices, self.state.ctx, on_done=self._set_facilities, on_error=self._failed)
        if not self._activated:
            self._activated = True
            self.refresh()

    def _set_facilities(self, choices: list[FacilityChoice]) -> None:
        box = self.view.facility
        box.blockSignals(True)
        for choice in choices:
            box.addItem(choice.name, choice.id)
        box.blockSignals(False)

    def _kind_changed(self, _index: int) -> None:
        self.view.set_period_kind(self.view.kind.currentData() == FISCAL_YEAR)
        self.refresh()

    def period(self) -> Period:
        """The period the pickers show."""
        if self.view.kind.currentData() == FISCAL_YEAR:
            return Period.of_fiscal_year(int(self.view.fiscal_year.currentData()))
        date = self.view.month.date()
        return Period.of_month(date.year(), date.month())

    def facility_id(self) -> int | None:
        return self.view.facility.currentData()

    def refresh(self) -> None:
        """Summarise the chosen period and facility in the background."""
        if not self._activated:
            return
        self._generation += 1
        generation = self._generation
        period = self.period()
        self.view.period_label.setText(period.shown)
        self._set_busy(True)
        self.state.runner.submit(
            load, self.state.ctx, period, self.facility_id(),
            on_done=lambda result: self._loaded(generation, result),
            on_error=lambda error: self._failed(error, generation),
        )

    def _set_busy(self, busy: bool) -> None:
        self.view.progress.setVisible(busy)
        for button in self.view.export_buttons.values():
            button.setEnabled(not busy and self.loaded is not None)

    def _failed(self, error: BaseException, generation: int | None = None) -> None:
        if generation is not None and generation != self._generation:
            return
        self._set_busy(False)
        set_error(self.view.error, str(error))

    def _loaded(self, generation: int, result: Loaded) -> None:
        if generation != self._generation:
            return  # an older request; a newer one is on its way
        self.loaded = result
        self._set_busy(False)
        set_error(self.view.error, "")
        v = self.view
        previous = self._current_table_key()
        v.table_list.blockSignals(True)
        v.table_list.clear()
        for table in result.report.tables:
            v.table_list.addItem(table.title)
        v.table_list.blockSignals(False)
        keys = [t.key for t in result.report.tables]
        v.table_list.setCurrentRow(keys.index(previous) if previous in keys else 0)
        self._show_table(v.table_list.currentRow())
        v.notes.setText("\n".join(result.report.notes))
        v.period_label.setText(f"{result.summary.period.shown}　{result.report.facility_label}")
        self._draw_charts(result)

    def _current_table_key(self) -> str | None:
        table = self.view.model.table
        return table.key if table else None

    def _show_table(self, row: int) -> None:
        if self.loaded is None or not 0 <= row < len(self.loaded.report.tables):
            self.view.model.set_table(None)
            return
        self.view.model.set_table(self.loaded.report.tables[row])

    def _draw_charts(self, result: Loaded) -> None:
        v = self.view
        trend = result.trend
        month_names = [_("Month {month}").format(month=m.month) for m in trend.months]
        v.monthly_chart.set_data(month_names, [m.figures.bookings for m in trend.months], [m.figures.attendance for m in trend.months])
        one_facility = result.summary.facility is not None
        rows = [r.room_name if one_facility else f"{r.facility_name} {r.room_name}" for r in trend.rooms]
        v.heat_map.set_data(rows, month_names, [[f.occupancy for f in r.by_month] for r in trend.rooms])
        consultations = result.summary.consultations
        if consultations is None:
            v.topic_chart.show_message(_("Consultation counts are shown to coordinators and administrators only."))
        else:
            v.topic_chart.set_data([c.label for c in consultations.by_topic], [c.count for c in consultations.by_topic])

    # --- export ------------------------------------------------------------------------------------

    def ask_path(self, fmt: str) -> tuple[Path, str] | None:
        """The save dialog: the file and (for CSV) the encoding chosen by the file type."""
        assert self.loaded is not None
        period = self.loaded.summary.period
        name = f"利用状況_{period.key}.{fmt}"
        filters = {
            "xlsx": _("Excel workbook (*.xlsx)"),
            "csv": ";;".join((_("CSV, UTF-8 with BOM (*.csv)"), _("CSV, Shift_JIS / cp932 (*.csv)"))),
            "pdf": _("PDF (*.pdf)"),
        }[fmt]
        path, chosen = QFileDialog.getSaveFileName(self.view, _("Export the usage report"), str(Path.home() / name), filters)
        if not path:
            return None
        target = Path(path)
        if target.suffix.lower() != f".{fmt}":
            target = target.with_name(target.name + f".{fmt}")
        encoding = CP932 if fmt == "csv" and "cp932" in chosen else UTF8
        return target, encoding

    def export(self, fmt: str) -> None:
        """Ask where, then write the report shown."""
        if self.loaded is None:
            return
        answer = self.ask_path(fmt)
        if answer is not None:
            self.export_to(fmt, *answer)

    def export_to(self, fmt: str, path: Path, encoding: str = UTF8) -> None:
        """Write the report shown to ``path`` in the background; the result is shown under the
        buttons (the file name, or why nothing was written)."""
        if self.loaded is None:
            return
        set_error(self.view.error, "")
        self.view.status.setText(_("Writing {path}…").format(path=path.name))
        self._set_busy(True)
        self.state.runner.submit(
            write_report, self.loaded.report, path, fmt, encoding,
            on_done=lambda _result: self._exported(path),
            on_error=self._export_failed,
        )

    def _exported(self, path: Path) -> None:
        self._set_busy(False)
        self.view.status.setText(_("Exported to {path} ({when}).").format(path=path, when=clock.now().strftime("%H:%M")))

    def _export_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.view.status.setText("")
        set_error(self.view.error, str(error))
