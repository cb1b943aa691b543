"""The income reports as :class:`~center_app.export.tables.Report` tables, written by the same
XLSX, CSV and PDF writers as the usage report (:func:`center_app.export.write_report`):

- :func:`build_daily_report`: the 収入日報 of a day — every entry (receipts, voids, refunds,
  充当), the totals by method and by clerk, and the cash of the day (what the drawer gained);
- :func:`build_income_report`: the 収入月報 / 調定表 of a month or fiscal year — 調定額, 減免額,
  収入済額, 未収額, 還付額 and 移行前 by room, and the money entered by month and method.

Definitions are in :mod:`center_app.domain.income_values`; amounts are integer yen, signed on
the daily report (money out is negative).
"""

from __future__ import annotations

from center_app.domain.income_values import (
    APPLIED_LINE,
    RECEIPT_LINE,
    REFUND_LINE,
    REFUND_VOID_LINE,
    VOID_LINE,
    DailyIncome,
    IncomeSummary,
)
from center_app.domain.money import PaymentMethod, method_label
from center_app.domain.statistics_values import month_label
from center_app.domain.wareki import format_wareki
from center_app.export.tables import NUMBER, TEXT, YEN, Column, Report, Table
from center_app.i18n import N_, _

_KINDS = {
    RECEIPT_LINE: N_("Receipt"),
    VOID_LINE: N_("Receipt voided"),
    REFUND_LINE: N_("Refund"),
    REFUND_VOID_LINE: N_("Refund voided"),
    APPLIED_LINE: N_("Applied to another booking"),
}


def kind_label(kind: str) -> str:
    """収納, 収納取消, 還付, 還付取消, 充当 in the current language."""
    return _(_KINDS.get(kind, kind))


def build_daily_report(daily: DailyIncome) -> Report:
    """The 収入日報 of ``daily`` in the current language. The "cash" table's last row is the net
    cash of the day: what the cash drawer must hold more than in the morning."""
    lines = []
    for line in daily.lines:
        amount = line.amount if line.counts else None
        note = line.note if line.counts else _("{amount} yen moved, no cash: {note}").format(amount=f"{-line.amount:,}", note=line.note)
        lines.append((f"{line.at:%H:%M}", kind_label(line.kind), line.number, line.facility_name, line.payer, line.bookings,
                      method_label(line.method) if line.counts else "", amount, line.clerk, note))
    entries = Table(
        "entries", _("Entries"),
        (Column(_("Time"), TEXT), Column(_("Entry"), TEXT), Column(_("Number"), TEXT), Column(_("Facility"), TEXT), Column(_("Payer"), TEXT),
         Column(_("Bookings"), TEXT), Column(_("Payment method"), TEXT), Column(_("Amount (yen)"), YEN), Column(_("Clerk"), TEXT), Column(_("Note"), TEXT)),
        tuple(lines), (_("Total"), "", "", "", "", "", "", daily.net_total, "", ""),
    )
    methods = []
    for method in PaymentMethod:
        mine = [line for line in daily.counted if line.method == method.value]
        if not mine:
            continue
        receipts = sum(line.amount for line in mine if line.kind == RECEIPT_LINE)
        voids = -sum(line.amount for line in mine if line.kind == VOID_LINE)
        refunds = -sum(line.amount for line in mine if line.kind in (REFUND_LINE, REFUND_VOID_LINE))
        methods.append((method_label(method), len(mine), receipts, voids, refunds, receipts - voids - refunds))
    by_method = Table(
        "methods", _("By method"),
        (Column(_("Payment method"), TEXT), Column(_("Number of entries")), Column(_("Received (yen)"), YEN), Column(_("Voided (yen)"), YEN),
         Column(_("Refunded (yen)"), YEN), Column(_("Net (yen)"), YEN)),
        tuple(methods),
        (_("Total"), sum(m[1] for m in methods), sum(m[2] for m in methods), sum(m[3] for m in methods), sum(m[4] for m in methods),
         sum(m[5] for m in methods)),
    )
    by_clerk = Table(
        "clerks", _("By clerk"), (Column(_("Clerk"), TEXT), Column(_("Number of entries")), Column(_("Net (yen)"), YEN)),
        tuple(daily.by_clerk), (_("Total"), len(daily.counted), daily.net_total),
    )
    cash_lines = [line for line in daily.counted if line.method == PaymentMethod.CASH.value]
    cash = Table(
        "cash", _("Cash"), (Column(_("Item"), TEXT), Column(_("Amount (yen)"), YEN)),
        (
            (_("Cash received"), sum(line.amount for line in cash_lines if line.kind == RECEIPT_LINE)),
            (_("Cash receipts voided"), sum(line.amount for line in cash_lines if line.kind == VOID_LINE)),
            (_("Cash refunded"), sum(line.amount for line in cash_lines if line.kind in (REFUND_LINE, REFUND_VOID_LINE))),
        ),
        (_("Net cash of the day"), daily.net_cash),
    )
    notes = [
        _("Receipts are listed on the day the money came in; voids and refunds on the day they were entered, with a minus sign. "
          "Amounts applied to another booking (充当) move no money and are not in the totals."),
        _("Net cash of the day: what the cash drawer must hold more than when the day began."),
    ]
    if daily.closed:
        notes.append(_("This day is closed (by {name}).").format(name=daily.closed_by))
    return Report(
        title=_("Daily income report {date}").format(date=format_wareki(daily.day, weekday=True)),
        period_label=format_wareki(daily.day, weekday=True),
        facility_label=daily.facility.name if daily.facility else _("All facilities"),
        generated_label=format_wareki(daily.generated_on),
        tables=(cash, by_method, entries, by_clerk),
        charts=(),
        notes=tuple(notes),
    )


def build_income_report(summary: IncomeSummary) -> Report:
    """The 収入月報 / 調定表 of ``summary`` in the current language."""
    total = summary.total
    assessment = Table(
        "assessment", _("Assessment by room"),
        (Column(_("Facility"), TEXT), Column(_("Room"), TEXT), Column(_("Number of bookings")), Column(_("Assessed (yen)"), YEN),
         Column(_("Waived (yen)"), YEN), Column(_("Received (yen)"), YEN), Column(_("Outstanding (yen)"), YEN),
         Column(_("Refunded (yen)"), YEN), Column(_("Before the ledger (yen)"), YEN)),
        tuple((r.facility_name, r.room_name, r.bookings, r.assessed, r.waived, r.received, r.outstanding, r.refunded, r.legacy)
              for r in summary.rooms),
        (_("Total"), "", total.bookings, total.assessed, total.waived, total.received, total.outstanding, total.refunded, total.legacy),
    )
    methods = list(PaymentMethod)
    month_rows = []
    for m in summary.months:
        by_method = dict(m.by_method)
        month_rows.append((month_label(m.year, m.month), m.receipts, m.voids, m.refunds, m.net, *(by_method.get(x.value, 0) for x in methods)))
    money = Table(
        "months", _("Money by month"),
        (Column(_("Month"), TEXT), Column(_("Received (yen)"), YEN), Column(_("Voided (yen)"), YEN), Column(_("Refunded (yen)"), YEN),
         Column(_("Net (yen)"), YEN), *(Column(method_label(x), YEN) for x in methods)),
        tuple(month_rows),
        (_("Total"), *(sum(row[i] for row in month_rows) for i in range(1, 5 + len(methods)))),
    )
    overview = Table(
        "overview", _("Overview"), (Column(_("Item"), TEXT), Column(_("Value"), NUMBER)),
        (
            (_("Assessed (yen)"), total.assessed), (_("Waived (yen)"), total.waived), (_("Received (yen)"), total.received),
            (_("Outstanding (yen)"), total.outstanding), (_("Refunded (yen)"), total.refunded), (_("Before the ledger (yen)"), total.legacy),
            (_("Money entered in the period (yen)"), sum(m.net for m in summary.months)),
        ),
    )
    period = summary.period
    return Report(
        title=_("{period} income report").format(period=period.label),
        period_label=_("{first} to {last}").format(first=format_wareki(period.first), last=format_wareki(period.last)),
        facility_label=summary.facility.name if summary.facility else _("All facilities"),
        generated_label=format_wareki(summary.generated_on),
        tables=(overview, assessment, money),
        charts=(),
        notes=summary.notes,
    )
