"""``center-app consultations import|export|retention --as LOGIN …`` (coordinators and admins).

- ``import FILE --as LOGIN [--dry-run]``: a coordinator's existing log (.csv or .xlsx; columns in
  :mod:`center_app.services.consultations_io`), all or nothing: every problem is printed to
  stderr as ``行 N: 列名: message`` and nothing is written (exit 1).
- ``export --as LOGIN --output FILE [--redacted]``: .csv (UTF-8 with BOM) or .xlsx by extension;
  ``--redacted`` replaces names of people and groups by stable pseudonyms.
- ``retention --as LOGIN [--years N] [--delete]`` (admins): lists the completed records past the
  retention period; ``--years`` changes the period first; ``--delete`` deletes the listed records
  (anonymous counts are kept).

The acting user's password comes from ``CENTER_APP_PASSWORD`` or the terminal. Exit status:
0 done; 1 refused (file problems, wrong sign-in); 2 bad usage; 3 the role may not do it (one
line naming the role needed; the attempt is in the audit log).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from center_app.commands.common import add_as_option, signed_in_context, import_progress, print_import_refusal, print_interrupted
from center_app.db.database import Database
from center_app.domain.errors import ValidationError
from center_app.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``consultations`` command family."""
    family = sub.add_parser("consultations", help="相談記録の取り込み・書き出し・保存期間")
    actions = family.add_subparsers(dest="consultations_command", metavar="ACTION")

    importer = actions.add_parser("import", help="相談記録を CSV (UTF-8 / UTF-8 BOM / Shift_JIS) または XLSX から取り込む")
    importer.add_argument("file", type=Path, metavar="FILE")
    importer.add_argument("--dry-run", action="store_true", help="確認だけして書き込まない")
    add_as_option(importer)
    importer.set_defaults(handler=import_handler, creates_database=True)

    exporter = actions.add_parser("export", help="相談記録を CSV (UTF-8 BOM) または XLSX に書き出す（拡張子で判別）")
    exporter.add_argument("--output", type=Path, required=True, metavar="FILE")
    exporter.add_argument("--redacted", action="store_true", help="人名・団体名を仮名（相談者-XXXXXXXX など）に置き換える")
    add_as_option(exporter)
    exporter.set_defaults(handler=export_handler)

    keeper = actions.add_parser("retention", help="保存期間を過ぎた完了済みの相談記録を一覧・削除する（管理者）")
    keeper.add_argument("--years", type=int, help="保存期間（年）を変更する")
    keeper.add_argument("--delete", action="store_true", help="一覧の記録を削除する（匿名の件数は残る）")
    add_as_option(keeper)
    keeper.set_defaults(handler=retention_handler)


def import_handler(args: argparse.Namespace, db: Database) -> int:
    """Run an import; print every problem (exit 1) or the summary (exit 0)."""
    from center_app.services import consultations_io
    ctx = signed_in_context(db, args, "consultations import", "consultation")
    try:
        result = consultations_io.import_consultations(ctx, args.file, dry_run=args.dry_run, progress=import_progress())
    except ValidationError as exc:
        print_import_refusal(exc)
        return 1
    except KeyboardInterrupt:
        return print_interrupted()
    if result.dry_run:
        print(_("Checked, nothing written: {count} consultations in the file.").format(count=result.created))
    else:
        print(_("Imported {count} consultations.").format(count=result.created))
    return 0


def export_handler(args: argparse.Namespace, db: Database) -> int:
    """Write the file; print how many records it has."""
    from center_app.services import consultations_export

    ctx = signed_in_context(db, args, "consultations export", "consultation")
    count = consultations_export.export_consultations(ctx, args.output, redacted=args.redacted)
    print(_("Exported {count} consultations to {path}.").format(count=count, path=args.output))
    return 0


def retention_handler(args: argparse.Namespace, db: Database) -> int:
    """List (and with --delete, delete) the records past the retention period."""
    from center_app.services import consultations_retention as retention
    from center_app.services.consultations_values import method_label

    ctx = signed_in_context(db, args, "consultations retention", "consultation")
    if args.years is not None:
        retention.set_retention_years(ctx, args.years)
    years = retention.retention_years(ctx)
    listed = retention.expired_consultations(ctx)
    for item in listed:
        print(f"{item.id}\t{item.consulted_on.isoformat()}\t{item.completed_on.isoformat()}\t{method_label(item.method)}\t{item.staff_name}")
    print(_("{count} completed consultations are older than the retention period of {years} years.").format(count=len(listed), years=years))
    if args.delete and listed:
        result = retention.purge_expired(ctx, [item.id for item in listed])
        print(_("Deleted {count} consultations; their anonymous counts are kept for statistics.").format(count=result.deleted))
    return 0
