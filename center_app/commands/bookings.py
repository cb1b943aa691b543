"""``center-app bookings import FILE [--dry-run]``, ``center-app bookings export FILE [--from D]
[--to D] [--facility CODE]`` (the same ledger columns, plus 予約番号), ``center-app bookings
expire --as LOGIN [--dry-run]`` and the booking slip ``center-app print slip --booking NUMBER
--output FILE [--lang ja|ja_easy|en|…] --as LOGIN`` (NUMBER: the slip number as printed,
B2026-007394, or the booking id). The slip names the applicant: the command signs in with
``--as`` (the password from ``CENTER_APP_PASSWORD`` or the terminal), names that staff member as
the clerk, and is audited; without ``--as`` it is refused (exit 3, audited).

``expire`` lists every 仮予約 past its limit and every booking unpaid past its payment deadline
(設定 → 使用料と収納), one line each, and cancels — audited — those the rules cancel, unless
``--dry-run``.

Exit status: 0 done; 1 the file has problems (every one printed to stderr as ``行 N: 列名:
message``, nothing written), the booking does not exist, or a name cannot be printed; 2 bad
usage; 3 permission denied. Summaries go to stdout.

The slip command belongs to the ``print`` family of :mod:`center_app.commands.printing`;
:func:`register` adds it there with ``add_print_command`` (before or after the family exists).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from center_app.commands.common import add_as_option, command_context, date_argument, import_progress, print_import_refusal, print_interrupted, signed_in_context, write_output
from center_app.db.database import Database
from center_app.domain.documents import BOOKING_LANGUAGES
from center_app.domain.errors import ValidationError
from center_app.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``bookings`` command family and ``print slip``."""
    family = sub.add_parser("bookings", help="予約台帳の取り込み・書き出し")
    actions = family.add_subparsers(dest="bookings_command", metavar="ACTION")
    importer = actions.add_parser("import", help="予約台帳 (CSV: UTF-8 / UTF-8 BOM / Shift_JIS、または XLSX) を取り込む")
    importer.add_argument("file", type=Path, metavar="FILE")
    importer.add_argument("--dry-run", action="store_true", help="確認だけして書き込まない")
    importer.set_defaults(handler=import_handler, creates_database=True)
    expire = actions.add_parser("expire", help="期限切れの仮予約と納付期限を過ぎた未納の予約を一覧し、設定どおり取り消す")
    expire.add_argument("--dry-run", action="store_true", help="一覧だけ表示して取り消さない")
    add_as_option(expire)
    expire.set_defaults(handler=expire_handler)
    exporter = actions.add_parser("export", help="予約台帳を取り込みと同じ列（と予約番号）で CSV (UTF-8 BOM) または XLSX に書き出す")
    exporter.add_argument("file", type=Path, metavar="FILE")
    exporter.add_argument("--from", dest="first", type=date_argument, metavar="D", help="この利用日から（例 2026-04-01）")
    exporter.add_argument("--to", dest="last", type=date_argument, metavar="D", help="この利用日まで")
    exporter.add_argument("--facility", metavar="CODE", help="施設コード（main, hatta …）。省略するとすべての施設")
    exporter.set_defaults(handler=export_handler)
    from center_app.commands.printing import add_print_command

    add_print_command("slip", "予約票を PDF に書き出す", configure_slip)


def configure_slip(slip: argparse.ArgumentParser) -> None:
    """Arguments of ``print slip``."""
    slip.add_argument("--booking", required=True, metavar="NUMBER", help="予約番号 (B2026-007394) または予約ID")
    slip.add_argument("--output", type=Path, required=True, metavar="FILE", help="書き出す PDF ファイル")
    slip.add_argument("--lang", dest="slip_language", choices=[str(code) for code in BOOKING_LANGUAGES], default=None, help="予約票の言語（省略時は申込者の希望言語）")
    slip.set_defaults(handler=slip_handler)


def import_handler(args: argparse.Namespace, db: Database) -> int:
    """Run a ledger import; print every problem (exit 1) or the summary (exit 0)."""
    from center_app.services import bookings_io
    try:
        result = bookings_io.import_bookings(command_context(db), args.file, dry_run=args.dry_run, progress=import_progress())
    except ValidationError as exc:
        print_import_refusal(exc)
        return 1
    except KeyboardInterrupt:
        return print_interrupted()
    if result.dry_run:
        print(_("Checked, nothing written: {count} bookings in the file can be imported.").format(count=result.created))
    else:
        print(_("Imported {count} bookings.").format(count=result.created))
    return 0


def export_handler(args: argparse.Namespace, db: Database) -> int:
    """Write the ledger; print how many bookings it has (exit 0), or the problem (exit 1)."""
    from center_app.services import bookings_io, statistics

    ctx = command_context(db)
    facility = statistics.find_facility(ctx, args.facility) if args.facility else None
    count = bookings_io.export_bookings(ctx, args.file, first=args.first, last=args.last, facility_id=facility.id if facility else None)
    print(_("Exported {count} bookings to {path}.").format(count=count, path=args.file))
    return 0


def slip_handler(args: argparse.Namespace, db: Database) -> int:
    """Write the booking slip PDF (exit 0) or say why not (exit 1)."""
    from center_app.services import audit, bookings, documents

    ctx = signed_in_context(db, args, "print slip", "booking")
    booking_id = bookings.booking_id_for(ctx, args.booking)
    slip = documents.booking_slip_pdf(ctx, booking_id, args.slip_language)
    if not write_output(args.output, slip.pdf):
        return 1
    audit.log(ctx, "booking", booking_id, "print", note=f"slip {slip.slip_no} {args.output.name}")
    print(_("Wrote the slip {slip} to {path}.").format(slip=slip.slip_no, path=args.output))
    return 0


def expire_handler(args: argparse.Namespace, db: Database) -> int:
    """List (and cancel, as 設定 says) bookings past a deadline; exit 0."""
    from center_app.domain.money import due_label
    from center_app.services import dues

    result = dues.expire_bookings(signed_in_context(db, args, "bookings expire", "booking"), dry_run=args.dry_run)
    for item in result.items:
        done = item.booking_id in result.cancelled
        action = _("cancelled") if done else (_("to cancel") if item.action == "cancel" and result.dry_run else _("listed only"))
        print(f"{item.slip_no}\t{item.start:%Y-%m-%d %H:%M}\t{item.room_name}\t{item.applicant_name}\t{due_label(item.kind)}"
              f"\t{item.limit:%Y-%m-%d}\t{item.outstanding}\t{action}")
    if result.dry_run:
        to_cancel = sum(1 for item in result.items if item.action == "cancel")
        print(_("{count} bookings past a deadline; {cancel} would be cancelled (nothing was changed).").format(count=len(result.items), cancel=to_cancel))
    else:
        print(_("{count} bookings past a deadline; {cancelled} cancelled.").format(count=len(result.items), cancelled=len(result.cancelled)))
    return 0
