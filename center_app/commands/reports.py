"""``center-app report …``: the usage report (利用状況報告) and the income reports as XLSX, CSV or PDF.

    center-app report monthly --month 2026-10 [--facility CODE] --format xlsx|csv|pdf --output FILE --as LOGIN
    center-app report fiscal-year --year 2026 [--facility CODE] --format xlsx|csv|pdf --output FILE --as LOGIN
    center-app report daily-income --date 2026-06-02 [--facility CODE] --output FILE.pdf|.xlsx|.csv --as LOGIN
    center-app report income --month 2026-06 | --year 2026 [--facility CODE] --output FILE.pdf|.xlsx|.csv --as LOGIN
    center-app report recount --as LOGIN

The usage report names the most active groups (and, for coordinators and administrators, counts the
consultations); the income reports name clerks and payers. Every report signs in with ``--as LOGIN``
(the password from ``CENTER_APP_PASSWORD`` or the terminal), takes what the role may see, and is
audited; without ``--as`` it is refused (exit 3, audited).

The usage report counts 実績 (used before today) apart from 予定 (planned) and takes income only
from the money ledger. ``daily-income`` is the 収入日報 of a day (every receipt, void and refund,
totals by method and clerk, the net cash); ``income`` the 収入月報 / 調定表 of a month or fiscal
year (調定額, 減免額, 収入済額, 未収額, 還付額 by room; money by month and method).

``recount`` (administrators) drops the figures the usage report keeps for past months, so the
next reports count them from the bookings and the ledger again: needed only after those were
written outside the app (every write through the app, the imports included, is seen).

``--year`` is the year of the fiscal year's April (2026 = 令和8年度, April 2026 to March 2027).
``--format`` may be left out when the file name ends in .xlsx, .csv or .pdf. A CSV holds every
table in one file, one after another (a title row, a header row, the rows, an empty row), in
UTF-8 with BOM; ``--encoding cp932`` writes Shift_JIS instead and refuses, writing nothing, when
a name has a character Shift_JIS cannot hold (every such character is listed).

Exit status: 0 written (the file is named on stdout); 1 an unknown facility code (the known
codes are listed), a CSV that cannot be encoded, a file that cannot be written, or a wrong
sign-in; 2 bad usage (a malformed month or year: the accepted form is named); 3 permission
denied (no ``--as``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from center_app.commands.common import add_as_option, date_argument, run_action, signed_in_context
from center_app.db.database import Database
from center_app.domain.errors import ValidationError
from center_app.export import FORMATS
from center_app.i18n import _

ENCODINGS = {"utf-8": "utf-8-sig", "utf-8-sig": "utf-8-sig", "cp932": "cp932", "shift_jis": "cp932", "sjis": "cp932"}


def _month(text: str):
    from center_app.domain.statistics_values import parse_month

    try:
        return parse_month(text, "--month")
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _fiscal_year(text: str):
    from center_app.domain.statistics_values import parse_fiscal_year

    try:
        return parse_fiscal_year(text, "--year")
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--facility", metavar="CODE", help="施設コード（main, hatta …）。省略するとすべての施設")
    parser.add_argument("--format", choices=FORMATS, help="xlsx, csv または pdf（省略時は --output の拡張子）")
    parser.add_argument("--output", type=Path, required=True, metavar="FILE", help="書き出すファイル")
    parser.add_argument("--encoding", choices=sorted(ENCODINGS), default="utf-8",
                        help="CSV の文字コード: utf-8（BOM 付き、既定）または cp932（Shift_JIS）")
    add_as_option(parser)
    parser.set_defaults(handler=report_handler)


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``report`` command family."""
    report = sub.add_parser("report", help="利用状況報告（月報・年度報告）を XLSX / CSV / PDF で書き出す")
    kinds = report.add_subparsers(dest="report_kind", metavar="KIND")
    monthly = kinds.add_parser("monthly", help="月報: --month YYYY-MM")
    monthly.add_argument("--month", type=_month, required=True, metavar="YYYY-MM", help="対象の年月（例 2026-10）")
    _common(monthly)
    yearly = kinds.add_parser("fiscal-year", help="年度報告: --year YYYY（2026 = 令和8年度）")
    yearly.add_argument("--year", type=_fiscal_year, required=True, metavar="YYYY", help="年度の4月の西暦年（2026 = 令和8年度）")
    _common(yearly)
    daily = kinds.add_parser("daily-income", help="収入日報: --date YYYY-MM-DD")
    daily.add_argument("--date", type=date_argument, required=True, metavar="YYYY-MM-DD", help="対象の日（例 2026-06-02）")
    _common(daily)
    daily.set_defaults(handler=daily_income_handler)
    income = kinds.add_parser("income", help="収入月報・調定表: --month YYYY-MM または --year YYYY")
    period = income.add_mutually_exclusive_group(required=True)
    period.add_argument("--month", type=_month, metavar="YYYY-MM", help="対象の年月")
    period.add_argument("--year", type=_fiscal_year, metavar="YYYY", help="年度の4月の西暦年")
    _common(income)
    income.set_defaults(handler=income_handler)
    recount = kinds.add_parser("recount", help="過去の月の集計の保存分を捨て、次の集計で予約と収納から数え直す（管理者）")
    add_as_option(recount)
    recount.set_defaults(handler=recount_handler)


def recount_handler(args: argparse.Namespace, db: Database) -> int:
    """Drop the kept figures of past months (administrators); print how many there were."""
    from center_app.services import statistics_months

    return run_action(db, args, "report recount", "usage_summary", statistics_months.forget_kept,
                      lambda count: print(_("The kept figures of {count} past months were dropped; the next reports count them "
                                            "from the bookings and the ledger again.").format(count=count)))


def _format(args: argparse.Namespace) -> str | None:
    output: Path = args.output
    fmt = args.format or output.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        print(_("Give --format xlsx, csv or pdf, or an output file name ending in .xlsx, .csv or .pdf."), file=sys.stderr)
        return None
    return fmt


def daily_income_handler(args: argparse.Namespace, db: Database) -> int:
    """Write the 収入日報 of ``--date``."""
    from center_app.export import write_report
    from center_app.export.income import build_daily_report
    from center_app.services import income, statistics

    fmt = _format(args)
    if fmt is None:
        return 2
    ctx = signed_in_context(db, args, "report daily-income", "report")
    facility = statistics.find_facility(ctx, args.facility) if args.facility else None
    report = build_daily_report(income.daily_income(ctx, args.date, facility.id if facility else None))
    write_report(report, args.output, fmt, ENCODINGS[args.encoding])
    print(_("Wrote {title} ({facility}) to {path}.").format(title=report.title, facility=report.facility_label, path=args.output))
    return 0


def income_handler(args: argparse.Namespace, db: Database) -> int:
    """Write the 収入月報 / 調定表 of ``--month`` or ``--year``."""
    from center_app.export import write_report
    from center_app.export.income import build_income_report
    from center_app.services import income, statistics

    fmt = _format(args)
    if fmt is None:
        return 2
    ctx = signed_in_context(db, args, "report income", "report")
    facility = statistics.find_facility(ctx, args.facility) if args.facility else None
    report = build_income_report(income.income_summary(ctx, args.month or args.year, facility.id if facility else None))
    write_report(report, args.output, fmt, ENCODINGS[args.encoding])
    print(_("Wrote {title} ({facility}) to {path}.").format(title=report.title, facility=report.facility_label, path=args.output))
    return 0


def report_handler(args: argparse.Namespace, db: Database) -> int:
    """Summarise, build the report and write it in the chosen format."""
    from center_app.export import write_report
    from center_app.export.tables import build_report
    from center_app.services import audit, statistics

    output: Path = args.output
    fmt = args.format or output.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        print(_("Give --format xlsx, csv or pdf, or an output file name ending in .xlsx, .csv or .pdf."), file=sys.stderr)
        return 2
    period = args.month if getattr(args, "month", None) is not None else args.year
    ctx = signed_in_context(db, args, "report", "report")
    facility = statistics.find_facility(ctx, args.facility) if args.facility else None
    summary = statistics.summarize(ctx, period, facility.id if facility else None)
    report = build_report(summary)
    write_report(report, output, fmt, ENCODINGS[args.encoding])
    audit.log(ctx, "report", report.title, "report", note=f"{output.name} ({report.facility_label})")
    print(_("Wrote {title} ({facility}) to {path}.").format(title=report.title, facility=report.facility_label, path=output))
    return 0

