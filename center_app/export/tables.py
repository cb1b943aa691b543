"""The tables and charts of a usage report (利用状況報告), shared by the 集計 screen and the XLSX,
CSV and PDF writers, so every one of them shows the same figures under the same headings.

Cells are typed: ``int`` (counts and yen), ``float`` (a rate: 0.452 = 45.2 %), ``str`` (text),
``None`` (no value, e.g. the occupancy of a room with nothing available). The writers format
them; the screen shows them the same way (:func:`format_cell`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from center_app.domain.service_figures import ServiceFigures
from center_app.domain.statistics_values import FISCAL_YEAR, BookingFigures, ProgramFigures, Summary
from center_app.domain.wareki import format_wareki
from center_app.i18n import N_, _

Cell = int | float | str | None

TEXT, NUMBER, YEN, RATE = "text", "number", "yen", "rate"


@dataclass(frozen=True)
class Column:
    """A column: its heading (translated) and kind (text, number, yen or rate)."""

    header: str
    kind: str = NUMBER


@dataclass(frozen=True)
class Table:
    """One table of the report: ``key`` (stable, for tests and file parts), ``title``
    (translated; also the XLSX sheet name), columns, rows and an optional total row."""

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total: tuple[Cell, ...] | None = None
    heatmap: bool = False  # the rate cells are coloured by value (rooms × months)

    @property
    def all_rows(self) -> tuple[tuple[Cell, ...], ...]:
        """The rows and the total row (if any)."""
        return self.rows + ((self.total,) if self.total is not None else ())


@dataclass(frozen=True)
class Chart:
    """A chart drawn from a table: categories from the columns ``category`` (joined by a space:
    facility and room), one series per column of ``values`` (bars), and optionally ``line`` (a
    line on a second axis). A chart of a ``heatmap`` table is drawn as a coloured grid."""

    key: str
    title: str
    table: str
    category: tuple[int, ...]
    values: tuple[int, ...]
    line: int | None = None
    horizontal: bool = False


@dataclass(frozen=True)
class Report:
    """Title, what it covers, the tables, the charts and notes under them."""

    title: str
    period_label: str
    facility_label: str
    generated_label: str
    tables: tuple[Table, ...]
    charts: tuple[Chart, ...]
    notes: tuple[str, ...] = field(default=())

    def chart_data(self, chart: Chart) -> tuple[list[str], list[tuple[str, list[Cell]]], tuple[str, list[Cell]] | None]:
        """Categories, bar series (name, values) and the line series (or None) of ``chart``;
        the total row is left out."""
        table = self.table(chart.table)
        categories = [" ".join(str(row[c] or "") for c in chart.category).strip() for row in table.rows]
        series = [(table.columns[v].header, [row[v] for row in table.rows]) for v in chart.values]
        line = None
        if chart.line is not None:
            line = (table.columns[chart.line].header, [row[chart.line] for row in table.rows])
        return categories, series, line

    def table(self, key: str) -> Table:
        """The table with ``key`` (KeyError if the report has none)."""
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)

    @property
    def heading_lines(self) -> tuple[str, ...]:
        """The lines under the title: facility and date of issue."""
        return (
            _("Facility: {facility}").format(facility=self.facility_label),
            _("Prepared on {date}").format(date=self.generated_label),
        )


def shared_ranks(keys: list) -> list[int]:
    """Ranks of rows already in order, ties sharing a rank (competition ranking, as the city's
    reports write it): keys (30, 9), (28, 7), (28, 7), (20, 5) → 1, 2, 2, 4."""
    ranks: list[int] = []
    for index, key in enumerate(keys):
        ranks.append(ranks[-1] if index and key == keys[index - 1] else index + 1)
    return ranks


def format_cell(value: Cell) -> str:
    """A cell as the screen and the CSV show it: 1,234 / 45.2% / text / empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value * 100:.1f}%"
    return str(value)


# --- building ----------------------------------------------------------------------------------

_FIGURE_HEADERS = {
    "bookings": (N_("Number of bookings"), NUMBER),
    "slots_used": (N_("Slots used"), NUMBER),
    "available_slots": (N_("Available slots"), NUMBER),
    "occupancy": (N_("Occupancy rate"), RATE),
    "attendance": (N_("Attendance"), NUMBER),
    "fees_yen": (N_("Fees assessed, used (yen)"), YEN),
    "waived_yen": (N_("Fees waived (yen)"), YEN),
    "income_yen": (N_("Income received (yen)"), YEN),
    "cancellations": (N_("Cancellations"), NUMBER),
    "no_shows": (N_("No-shows"), NUMBER),
    "planned_bookings": (N_("Planned bookings"), NUMBER),
    "planned_slots": (N_("Planned slots"), NUMBER),
}
_ALL = tuple(_FIGURE_HEADERS)
_WITHOUT_AVAILABLE = tuple(k for k in _ALL if k not in ("available_slots", "occupancy"))


def _columns(keys: Sequence[str]) -> tuple[Column, ...]:
    return tuple(Column(_(_FIGURE_HEADERS[k][0]), _FIGURE_HEADERS[k][1]) for k in keys)


def _values(figures: BookingFigures, keys: Sequence[str]) -> tuple[Cell, ...]:
    return tuple(getattr(figures, k) for k in keys)


def _count_table(key: str, title: str, item_header: str, counts, total: int | None = None) -> Table:
    rows = tuple((c.label, c.count) for c in counts)
    return Table(
        key, title, (Column(item_header, TEXT), Column(_("Number of consultations"))), rows,
        (_("Total"), total if total is not None else sum(c.count for c in counts)),
    )


def build_report(summary: Summary) -> Report:
    """The tables and charts of ``summary`` in the current language."""
    period = summary.period
    fiscal = period.kind == FISCAL_YEAR
    tables: list[Table] = []
    charts: list[Chart] = []
    total = summary.total
    consultations = summary.consultations
    registrations = summary.registrations

    overview = [
        (_("Number of bookings"), total.bookings), (_("Slots used"), total.slots_used), (_("Available slots"), total.available_slots),
        (_("Occupancy rate"), total.occupancy), (_("Attendance"), total.attendance), (_("Fees assessed, used (yen)"), total.fees_yen),
        (_("Fees waived (yen)"), total.waived_yen), (_("Income received (yen)"), total.income_yen),
        (_("Cancellations"), total.cancellations), (_("No-shows"), total.no_shows),
        (_("Planned bookings"), total.planned_bookings), (_("Planned slots"), total.planned_slots),
        (_("New registrations"), registrations.new), (_("Renewals"), registrations.renewed),
        (_("Withdrawals"), registrations.withdrawn), (_("Registered groups at the end of the period"), registrations.active_at_end),
    ]
    if summary.services is not None:
        overview += [(_("Visitors"), summary.services.visitors), (_("Lockers and letter cases allocated"), sum(o.allocated for o in summary.services.lockers))]
    if consultations is not None:
        overview += [(_("Number of consultations"), consultations.total), (_("Consultation time (minutes)"), consultations.minutes)]
    if summary.programs is not None:
        overview += [(_("Grants decided (yen)"), sum(g.granted_yen for g in summary.programs.grants)),
                     (_("Grants paid (yen)"), sum(g.paid_yen for g in summary.programs.grants)),
                     (_("Co-hosting approved"), summary.programs.cohosting_approved),
                     (_("Support approved"), summary.programs.support_approved)]
    tables.append(Table("overview", _("Overview"), (Column(_("Item"), TEXT), Column(_("Value"))), tuple(overview)))

    room_keys = _ALL
    tables.append(Table(
        "rooms", _("By room"), (Column(_("Facility"), TEXT), Column(_("Room"), TEXT), *_columns(room_keys)),
        tuple((r.facility_name, r.room_name, *_values(r.figures, room_keys)) for r in summary.rooms),
        (_("Total"), "", *_values(total, room_keys)),
    ))
    charts.append(Chart("room_occupancy", _("Occupancy rate by room"), "rooms", (0, 1), (5,), horizontal=True))

    facility_keys = ("slots_used", "available_slots", "occupancy", "bookings", "attendance", "fees_yen", "waived_yen", "income_yen", "planned_bookings")
    tables.append(Table(
        "facilities", _("By facility"),
        (Column(_("Facility"), TEXT), Column(_("Days")), Column(_("Open days")), Column(_("Closed days")), Column(_("Rooms")),
         *_columns(facility_keys)),
        tuple((f.name, f.days, f.open_days, f.closed_days, f.rooms, *_values(f.figures, facility_keys)) for f in summary.facilities),
        (_("Total"), "", "", "", sum(f.rooms for f in summary.facilities), *_values(total, facility_keys)),
    ))

    if fiscal:
        month_columns = [Column(_("Month"), TEXT), *_columns(room_keys)]
        rows = []
        for i, m in enumerate(summary.months):
            row: list[Cell] = [m.label, *_values(m.figures, room_keys)]
            if consultations is not None:
                row.append(consultations.by_month[i])
            rows.append(tuple(row))
        total_row: list[Cell] = [_("Total"), *_values(total, room_keys)]
        if consultations is not None:
            month_columns.append(Column(_("Number of consultations")))
            total_row.append(consultations.total)
        tables.append(Table("months", _("By month"), tuple(month_columns), tuple(rows), tuple(total_row)))
        charts.append(Chart("months", _("Bookings and attendance by month"), "months", (0,), (1,), line=5))
        tables.append(Table(
            "occupancy_map", _("Occupancy by room and month"),
            (Column(_("Facility"), TEXT), Column(_("Room"), TEXT), *(Column(_("Month {month}").format(month=mo), RATE) for _y, mo in period.months), Column(_("Fiscal year total"), RATE)),
            tuple((r.facility_name, r.room_name, *(f.occupancy for f in r.by_month), r.figures.occupancy) for r in summary.rooms),
            (_("Total"), "", *(m.figures.occupancy for m in summary.months), total.occupancy),
            heatmap=True,
        ))
        charts.append(Chart("occupancy_map", _("Occupancy by room and month"), "occupancy_map", (0, 1), tuple(range(2, 2 + len(period.months)))))

    # income is kept per room from the ledger (a payment may pay bookings of several classes), never per
    # applicant class: the class table leaves it out rather than show 0 under a total that is not
    class_keys = tuple(k for k in _WITHOUT_AVAILABLE if k != "income_yen")
    tables.append(Table(
        "classes", _("By applicant class"), (Column(_("Applicant class"), TEXT), *_columns(class_keys)),
        tuple((c.name, *_values(c.figures, class_keys)) for c in summary.classes),
        (_("Total"), *_values(total, class_keys)),
    ))
    tables.append(Table(
        "exemptions", _("Fee exemptions"),
        (Column(_("Exemption reason"), TEXT), Column(_("Rate (%)")), Column(_("Number of bookings")), Column(_("Fees before exemption (yen)"), YEN),
         Column(_("Fees waived (yen)"), YEN)),
        tuple((e.name, e.rate_percent, e.bookings, e.gross_fee_yen, e.waived_yen) for e in summary.exemptions),
        (_("Total"), "", sum(e.bookings for e in summary.exemptions), sum(e.gross_fee_yen for e in summary.exemptions),
         sum(e.waived_yen for e in summary.exemptions)),
    ))
    tables.append(Table(
        "groups", _("Most active groups"),
        (Column(_("Rank")), Column(_("Registration number"), TEXT), Column(_("Group name"), TEXT), Column(_("Number of bookings")),
         Column(_("Slots used")), Column(_("Attendance"))),
        tuple((rank, g.registration_no, g.name, g.bookings, g.slots_used, g.attendance)
              for rank, g in zip(shared_ranks([(g.slots_used, g.bookings) for g in summary.top_groups]), summary.top_groups)),
    ))
    tables.append(Table(
        "registrations", _("Group registrations"),
        (Column(_("Month"), TEXT), Column(_("New registrations")), Column(_("Renewals")), Column(_("Withdrawals")),
         Column(_("Registered groups at month end"))),
        tuple((m.label, m.new, m.renewed, m.withdrawn, m.active_at_end) for m in registrations.months),
        (_("Total"), registrations.new, registrations.renewed, registrations.withdrawn, registrations.active_at_end) if fiscal else None,
    ))
    tables.append(Table(
        "loans", _("Equipment loans by item"),
        (Column(_("Item"), TEXT), Column(_("Loans")), Column(_("Units lent")), Column(_("Fees (yen)"), YEN)),
        tuple((f.item, f.loans, f.units, f.fees_yen) for f in summary.loans),
        (_("Total"), sum(f.loans for f in summary.loans), sum(f.units for f in summary.loans), sum(f.fees_yen for f in summary.loans)),
    ))
    tables.append(Table(
        "printing", _("Printing room by group and machine"),
        (Column(_("Group name"), TEXT), Column(_("Machine"), TEXT), Column(_("Jobs")), Column(_("Masters")), Column(_("Sheets")),
         Column(_("Fees (yen)"), YEN)),
        tuple((f.group, f.machine, f.jobs, f.masters, f.sheets, f.fees_yen) for f in summary.printing),
        (_("Total"), "", sum(f.jobs for f in summary.printing), sum(f.masters for f in summary.printing),
         sum(f.sheets for f in summary.printing), sum(f.fees_yen for f in summary.printing)),
    ))
    if consultations is not None:
        tables += [
            _count_table("consult_methods", _("Consultations by method"), _("Method"), consultations.by_method, consultations.total),
            _count_table("consult_clients", _("Consultations by client type"), _("Client type"), consultations.by_client_type, consultations.total),
            _count_table("consult_topics", _("Consultations by topic"), _("Topic"), consultations.by_topic),
            _count_table("consult_fields", _("Consultations by NPO activity field"), _("NPO activity field"), consultations.by_field),
            _count_table("consult_staff", _("Consultations by staff member"), _("Staff member"), consultations.by_staff, consultations.total),
        ]
        charts.append(Chart("consult_topics", _("Consultations by topic"), "consult_topics", (0,), (1,), horizontal=True))

    if summary.services is not None:
        tables += service_tables(summary.services, fiscal)
    if summary.programs is not None:
        tables += program_tables(summary.programs)

    notes = [
        _("Occupancy rate = slots used ÷ available slots (open days × time slots of the facility; 全日 counts as 3 slots). "
          "Cancelled bookings are counted only as cancellations; no-shows held the room and are counted as bookings."),
        _("Used (実績): bookings before the day this report was made; planned (予定) bookings are counted apart and never as use "
          "or income. Fees assessed are the amounts to pay after exemptions of used bookings; income received is money recorded "
          "in the ledger in the period (payments less refunds), never a booking's fee. Consultations and registrations cover the "
          "whole center. Consultations with several topics or fields are counted once under each."),
        *summary.notes,
    ]
    return Report(
        title=_("{period} usage report").format(period=period.label),
        period_label=_("{first} to {last}").format(first=format_wareki(period.first), last=format_wareki(period.last)),
        facility_label=summary.facility_label,
        generated_label=format_wareki(summary.generated_on),
        tables=tuple(tables),
        charts=tuple(charts),
        notes=tuple(notes),
    )


def service_tables(services: ServiceFigures, fiscal: bool) -> list[Table]:
    """Tables of lockers (occupancy by kind on the period's last day), visitors (by purpose; by
    day for a month, by month for a fiscal year) and the lottery (entries and winners by month)."""
    purposes = services.purposes
    tables = [Table(
        "lockers", _("Lockers and letter cases"),
        (Column(_("Kind"), TEXT), Column(_("Allocated")), Column(_("Units")), Column(_("Occupancy rate"), RATE)),
        tuple((o.kind, o.allocated, o.units, o.rate) for o in services.lockers),
        (_("Total"), sum(o.allocated for o in services.lockers), sum(o.units for o in services.lockers),
         (sum(o.allocated for o in services.lockers) / sum(o.units for o in services.lockers)) if sum(o.units for o in services.lockers) else None),
    ), Table(
        "visitors_purpose", _("Visitors by purpose"), (Column(_("Purpose of visit"), TEXT), Column(_("Visitors"))),
        tuple((p, services.visitors_of(p)) for p in purposes), (_("Total"), services.visitors),
    )]
    if fiscal:
        by_month: dict[tuple[int, int], list[int]] = {}
        for day in services.visitor_days:
            counts = by_month.setdefault((day.day.year, day.day.month), [0] * len(purposes))
            for i, count in enumerate(day.counts):
                counts[i] += count
        rows = tuple((_("{year}/{month}").format(year=y, month=m), *counts, sum(counts)) for (y, m), counts in sorted(by_month.items()))
        key, title, first = "visitors_months", _("Visitors by month and purpose"), _("Month")
    else:
        rows = tuple((format_wareki(d.day, weekday=True), *d.counts, d.total) for d in services.visitor_days)
        key, title, first = "visitors_days", _("Visitors by day and purpose"), _("Date")
    tables.append(Table(key, title, (Column(first, TEXT), *(Column(p) for p in purposes), Column(_("Total"))), rows,
                        (_("Total"), *(services.visitors_of(p) for p in purposes), services.visitors)))
    tables.append(Table(
        "lottery", _("Room lottery"), (Column(_("Lottery month"), TEXT), Column(_("Lottery entries")), Column(_("Lottery winners"))),
        tuple((m.month, m.entries, m.winners) for m in services.lottery),
        (_("Total"), sum(m.entries for m in services.lottery), sum(m.winners for m in services.lottery)),
    ))
    return tables



def program_tables(figures: ProgramFigures) -> list[Table]:
    """The figures of the city's 協働推進 report: grants by program and 活動分野 (applications,
    adopted, yen granted and paid) and the 共催 / 後援 approved in the fiscal year."""
    grants = figures.grants
    return [Table(
        "grants", _("Grants by program and field"),
        (Column(_("Program"), TEXT), Column(_("NPO activity field"), TEXT), Column(_("Applications received")), Column(_("Applications adopted")),
         Column(_("Amount granted (yen)"), YEN), Column(_("Paid (yen)"), YEN)),
        tuple((g.program, g.field or _("(no field given)"), g.applications, g.adopted, g.granted_yen, g.paid_yen) for g in grants),
        (_("Total"), "", sum(g.applications for g in grants), sum(g.adopted for g in grants), sum(g.granted_yen for g in grants),
         sum(g.paid_yen for g in grants)),
    ), Table(
        "endorsements", _("Co-hosting and support approved"), (Column(_("Kind"), TEXT), Column(_("Number approved"))),
        ((_("Co-hosting (共催)"), figures.cohosting_approved), (_("Support (後援)"), figures.support_approved)),
        (_("Total"), figures.cohosting_approved + figures.support_approved),
    )]
