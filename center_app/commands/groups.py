"""``center-app groups import FILE [--dry-run]`` and
``center-app groups export FILE --as LOGIN`` / ``center-app groups export FILE --public``
(``--order kana|number``), ``center-app groups search TEXT [--limit N] --as LOGIN``.

The full export holds every group's names, addresses, phones and e-mail addresses: it signs in
with ``--as LOGIN`` (the password from ``CENTER_APP_PASSWORD`` or the terminal) and is audited;
without ``--as`` it is refused (exit 3, audited). ``--public`` (only what the groups agreed to
publish) needs no sign-in.

Exit status: 0 done; 1 the file has problems (every one printed to stderr as ``行 N: 列名:
message``, nothing written) or cannot be read / written, or a wrong sign-in; 2 bad usage;
3 permission denied (no ``--as`` for the full export or the search).
The summary goes to stdout; ``search`` prints one line per group found, 登録番号 (``-`` while
申請中), a tab and the name, in the order the 団体 screen lists them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from center_app.commands.common import add_as_option, command_context, import_progress, print_import_refusal, print_interrupted, signed_in_context
from center_app.db.database import Database
from center_app.domain.errors import ValidationError
from center_app.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``groups`` command family."""
    groups = sub.add_parser("groups", help="登録団体の取り込み・書き出し")
    actions = groups.add_subparsers(dest="groups_command", metavar="ACTION")

    importer = actions.add_parser("import", help="CSV (UTF-8 / UTF-8 BOM / Shift_JIS) または XLSX から団体を取り込む")
    importer.add_argument("file", type=Path, metavar="FILE")
    importer.add_argument("--dry-run", action="store_true", help="確認だけして書き込まない")
    importer.set_defaults(handler=import_handler, creates_database=True)

    exporter = actions.add_parser("export", help="団体を CSV (UTF-8 BOM) または XLSX に書き出す（拡張子で判別）")
    exporter.add_argument("file", type=Path, metavar="FILE")
    exporter.add_argument("--public", action="store_true", help="公開に同意した項目だけ、登録中の団体だけを書き出す（--as 不要）")
    exporter.add_argument("--order", choices=("kana", "number"), default="kana",
                          help="並び順: kana = フリガナの五十音順 (JIS X 4061, 既定), number = 登録番号順")
    add_as_option(exporter)
    exporter.set_defaults(handler=export_handler)

    searcher = actions.add_parser("search", help="団体を検索し、登録番号と団体名を画面と同じ順に出力する")
    searcher.add_argument("text", metavar="TEXT", help="団体名・フリガナ・登録番号・電話番号・代表者・住所（空白区切りで AND）")
    searcher.add_argument("--limit", type=_positive, default=200, metavar="N", help="出力する最大件数（既定 200）")
    add_as_option(searcher)
    searcher.set_defaults(handler=search_handler)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(_("Enter a whole number of 1 or more."))
    return value


def import_handler(args: argparse.Namespace, db: Database) -> int:
    """Run an import; print every problem (exit 1) or the summary (exit 0)."""
    from center_app.services import groups_io

    try:
        result = groups_io.import_groups(command_context(db), args.file, dry_run=args.dry_run, progress=import_progress())
    except ValidationError as exc:
        print_import_refusal(exc)
        return 1
    except KeyboardInterrupt:
        return print_interrupted()
    for warning in result.warnings:  # imported as written; documents with these characters are refused
        print(_("Warning: {problem}").format(problem=groups_io.format_problem(warning)), file=sys.stderr)
    if result.dry_run:
        print(_("Checked, nothing written: {created} new groups and {updated} existing groups in the file.").format(created=result.created, updated=result.updated))
    else:
        print(_("Imported: {created} new, {updated} updated and {unchanged} unchanged groups.").format(
            created=result.created, updated=result.updated, unchanged=result.unchanged
        ))
    if result.addresses_filled:
        print(groups_io.filled_addresses_note(result.addresses_filled))
    return 0


def export_handler(args: argparse.Namespace, db: Database) -> int:
    """Run an export; print the number of groups written (exit 0) or the problem (exit 1)."""
    from center_app.services import groups_io

    if args.public and not args.as_login:
        ctx = command_context(db)
    else:
        ctx = signed_in_context(db, args, "groups export", "group")
    count = groups_io.export_groups(ctx, args.file, public=args.public, order=args.order)
    print(_("Exported {count} groups to {path}.").format(count=count, path=args.file))
    return 0


def search_handler(args: argparse.Namespace, db: Database) -> int:
    """Print the groups the 団体 screen finds for TEXT, one ``登録番号<TAB>団体名`` line each, in
    the screen's order (exact matches, then those found without voicing marks, each in 五十音順);
    nothing found prints nothing on stdout and says so on stderr (exit 0)."""
    from center_app.services import groups

    ctx = signed_in_context(db, args, "groups search", "group")
    page = groups.search_groups(ctx, args.text, limit=args.limit, count=False)
    for item in page.items:
        print(f"{item.registration_no or '-'}\t{item.name}")
    if not page.items:  # said on stderr: a script reading stdout still gets nothing
        print(_("No group matches 「{text}」.").format(text=args.text), file=sys.stderr)
    return 0
