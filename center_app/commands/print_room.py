"""The 印刷室's job log on the command line.

    center-app printing log --group REG_NO --machine NAME [--masters N] [--sheets N] [--colour] [--paper brought|sold] [--date YYYY-MM-DD] [--facility CODE] --as LOGIN
    center-app printing list [--group REG_NO] [--from YYYY-MM-DD] [--to YYYY-MM-DD] --as LOGIN
    center-app printing bill [--facility CODE] --as LOGIN

``log`` prints the job's fee (and a warning line on stderr when the group nears a yearly quota);
``bill`` charges the unbilled jobs of the finished billing periods (設定 → 印刷室: monthly or
every half year). Exit status: 0 done; 1 refused (a quota passed, an unknown machine, a group not
registered — the Japanese reason on stderr; nothing written); 2 bad usage; 3 the role.
"""

from __future__ import annotations

import argparse
import sys

from center_app.commands.common import add_as_option, date_argument, print_problems, signed_in_context
from center_app.db.database import Database
from center_app.domain.errors import ValidationError
from center_app.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``printing`` family."""
    family = sub.add_parser("printing", help="印刷室の利用簿")
    actions = family.add_subparsers(dest="printing_command", metavar="ACTION")

    log = actions.add_parser("log", help="印刷機・コピーの利用を記録する（料金を表示）")
    log.add_argument("--group", required=True, metavar="REG_NO", help="登録団体の登録番号")
    log.add_argument("--machine", required=True, metavar="NAME", help="機械（設定 → 印刷室の名前: 輪転機 など）")
    log.add_argument("--masters", default="0", metavar="N", help="製版数")
    log.add_argument("--sheets", default="0", metavar="N", help="枚数")
    log.add_argument("--colour", action="store_true", help="カラー")
    log.add_argument("--paper", choices=["brought", "sold"], default="brought", help="brought 持参 / sold センターの用紙")
    log.add_argument("--date", type=date_argument, metavar="YYYY-MM-DD", help="利用日（省略時は今日）")
    log.add_argument("--facility", metavar="CODE", help="施設コード（省略時は本館）")
    add_as_option(log)
    log.set_defaults(handler=log_handler)

    listing = actions.add_parser("list", help="利用簿を表示する")
    listing.add_argument("--group", metavar="REG_NO")
    listing.add_argument("--from", dest="first", type=date_argument, metavar="YYYY-MM-DD")
    listing.add_argument("--to", dest="last", type=date_argument, metavar="YYYY-MM-DD")
    add_as_option(listing)
    listing.set_defaults(handler=list_handler)

    bill = actions.add_parser("bill", help="締めた請求期間の印刷料金を調定する")
    bill.add_argument("--facility", metavar="CODE")
    add_as_option(bill)
    bill.set_defaults(handler=bill_handler)


def _facility_id(ctx, code: str | None) -> int:
    from center_app.services import equipment_queries, statistics

    return statistics.find_facility(ctx, code).id if code else equipment_queries.main_facility_id(ctx)


def log_handler(args: argparse.Namespace, db: Database) -> int:
    """Log the job; print its fee, warnings on stderr."""
    from center_app.services import certificates, printing_room

    ctx = signed_in_context(db, args, "printing log", "print_job")
    try:
        group = certificates.group_id_for_number(ctx, args.group)
        job = printing_room.log_job(ctx, facility_id=_facility_id(ctx, args.facility), group_id=group, machine=args.machine,
                                    masters=args.masters, sheets=args.sheets, colour=args.colour, paper=args.paper, used_on=args.date)
    except ValidationError as exc:
        print_problems(exc)
        return 1
    for warning in job.warnings:
        print(warning, file=sys.stderr)
    print(_("Printing job {id} of {group}: {masters} masters, {sheets} sheets on {machine}; fee {fee} yen.").format(
        id=job.id, group=job.group_name, masters=job.masters, sheets=job.sheets, machine=job.machine, fee=f"{job.fee:,}"))
    return 0


def list_handler(args: argparse.Namespace, db: Database) -> int:
    """Print the job log, newest first, one job a line."""
    from center_app.services import certificates, printing_room

    ctx = signed_in_context(db, args, "printing list", "print_job")
    try:
        group = certificates.group_id_for_number(ctx, args.group) if args.group else None
    except ValidationError as exc:
        print_problems(exc)
        return 1
    for job in printing_room.jobs(ctx, group_id=group, first=args.first, last=args.last):
        colour = "colour" if job.colour else "mono"
        print(f"{job.used_on:%Y-%m-%d}\t{job.group_name}\t{job.machine}\t{colour}\t{job.masters}\t{job.sheets}\t{job.paper}\t{job.fee}")
    return 0


def bill_handler(args: argparse.Namespace, db: Database) -> int:
    """Charge the finished periods; print how many charges were made."""
    from center_app.services import printing_room

    ctx = signed_in_context(db, args, "printing bill", "print_job")
    created = printing_room.bill_period(ctx, _facility_id(ctx, args.facility))
    print(_("{count} printing charges made.").format(count=len(created)))
    return 0
