"""``center-app publish --output DIR [--months N] [--lang ja,en,…] --as LOGIN``: the public site
(availability, events with their flyers, the directory of consenting groups, calendar files).

Exit status: 0 written, 1 refused (a folder that cannot be written or holds files the site did
not write, unknown languages, months outside 1–12; nothing is written), 2 usage, 3 without
``--as`` (sign-in). See :mod:`center_app.services.publish`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from center_app.commands.common import add_as_option, signed_in_context
from center_app.db.database import Database
from center_app.domain.errors import ValidationError
from center_app.i18n import _


def _folder(text: str) -> Path:
    """``--output``: a folder name; an empty one (which would mean the current folder) is a usage error."""
    if not text.strip():
        raise argparse.ArgumentTypeError(_("name the folder to write the site into"))
    return Path(text)


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``publish``."""
    from center_app.services.publish import DEFAULT_MONTHS

    parser = sub.add_parser("publish", help="公開用サイト（空き状況・イベント・団体紹介）をフォルダーに書き出す")
    parser.add_argument("--output", type=_folder, required=True, metavar="DIR",
                        help="書き出すフォルダー（空のフォルダー、または前回書き出したサイトのフォルダー）")
    parser.add_argument("--months", type=int, default=DEFAULT_MONTHS, metavar="N", help=f"載せる月数（今月から、1〜12、既定 {DEFAULT_MONTHS}）")
    parser.add_argument("--lang", default="", metavar="ja,en,…",
                        help="言語（ja, ja_easy, en, pt_BR, es, zh_Hans, tl, th, vi をコンマ区切り。既定はすべて。日本語は常に含む）")
    add_as_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, db: Database) -> int:
    """Write the site and print what was written (the events without a flyer on stderr)."""
    from center_app.domain.document_texts import SITE_LANGUAGES
    from center_app.services import publish

    ctx = signed_in_context(db, args, "publish", "public_site")
    try:
        result = publish.publish_site(ctx, args.output, months=args.months, languages=args.lang or SITE_LANGUAGES)
    except ValidationError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    for title, reason in result.flyers_skipped:
        print(_("{title}: published without its flyer ({reason}).").format(title=title, reason=reason), file=sys.stderr)
    print(_("Published {pages} pages ({files} files) to {path}: {facilities} facilities, {events} events, {groups} groups.").format(
        pages=result.pages, files=result.files, path=result.folder, facilities=result.facilities, events=result.events, groups=result.groups))
    return 0
