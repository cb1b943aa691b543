"""来館者数 on the command line.

    center-app visitors add --purpose NAME [--count N] [--facility CODE] --as LOGIN
    center-app visitors correct --purpose NAME --change ±N --reason TEXT [--date YYYY-MM-DD] [--facility CODE] --as LOGIN
    center-app visitors show [--date YYYY-MM-DD] [--facility CODE] --as LOGIN

``add`` counts visitors of today (the purposes of 設定: 打合せ, 印刷, 相談, 情報収集, その他 by
default) and prints the day's total of the purpose; ``correct`` is the clerk's audited 訂正;
``show`` prints the day's tally by purpose. Exit status: 0 done; 1 refused (an unknown purpose, a
count that is not 1–999, a correction below 0; the reason in Japanese on stderr, nothing
written); 2 bad usage; 3 no permission.
"""

from __future__ import annotations

import argparse

from center_app.commands.common import add_as_option, date_argument, signed_in_context
from center_app.db.database import Database
from center_app.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``visitors`` family."""
    family = sub.add_parser("visitors", help="来館者数（目的別）")
    actions = family.add_subparsers(dest="visitors_command", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="今日の来館者を数える")
    add.add_argument("--purpose", required=True, metavar="NAME", help="目的（設定の名前: 打合せ, 印刷, 相談, 情報収集, その他）")
    add.add_argument("--count", default="1", metavar="N", help="人数（省略時は 1）")
    add.add_argument("--facility", metavar="CODE", help="施設コード（省略時は本館）")
    add_as_option(add)
    add.set_defaults(handler=add_handler)

    correct = actions.add_parser("correct", help="来館者数を訂正する（理由を記録）")
    correct.add_argument("--purpose", required=True, metavar="NAME")
    correct.add_argument("--change", required=True, metavar="±N", help="増減（-1 で 1 人減らす）")
    correct.add_argument("--reason", required=True, metavar="TEXT")
    correct.add_argument("--date", type=date_argument, metavar="YYYY-MM-DD", help="日付（省略時は今日）")
    correct.add_argument("--facility", metavar="CODE")
    add_as_option(correct)
    correct.set_defaults(handler=correct_handler)

    show = actions.add_parser("show", help="日ごとの来館者数を目的別に表示する")
    show.add_argument("--date", type=date_argument, metavar="YYYY-MM-DD")
    show.add_argument("--facility", metavar="CODE")
    add_as_option(show)
    show.set_defaults(handler=show_handler)


def facility_id_for(ctx, code: str | None) -> int | None:
    """The id of the facility with ``code`` (None: the main facility). ValidationError naming it."""
    if not code:
        return None
    from center_app.domain.errors import ValidationError
    from center_app.services.facilities import list_facilities

    for facility in list_facilities(ctx, include_inactive=True):
        if facility.code.lower() == code.strip().lower():
            return facility.id
    raise ValidationError(_("There is no facility with the code {code}.").format(code=code.strip()), field_name="facility")


def _print_tally(tally) -> None:
    from center_app.domain.wareki import format_wareki

    print(_("Visitors on {date}: {total}").format(date=format_wareki(tally.day, weekday=True), total=tally.total))
    for purpose, count in tally.counts:
        print(f"  {purpose}\t{count}")


def add_handler(args: argparse.Namespace, db: Database) -> int:
    """Count visitors; print the purpose's total of the day."""
    from center_app.services import visitors

    ctx = signed_in_context(db, args, "visitors add", "visitor_count")
    tally = visitors.add_visitors(ctx, facility_id_for(ctx, args.facility), args.purpose, args.count)
    purpose = _match(tally, args.purpose)
    print(_("{purpose}: {count} visitors today ({total} in all).").format(purpose=purpose, count=tally.count(purpose), total=tally.total))
    return 0


def _match(tally, name: str) -> str:
    import unicodedata

    wanted = unicodedata.normalize("NFKC", name).strip()
    return next((p for p, _c in tally.counts if unicodedata.normalize("NFKC", p) == wanted), wanted)


def correct_handler(args: argparse.Namespace, db: Database) -> int:
    """Correct the count of a day; print the day's tally."""
    from center_app.domain import clock
    from center_app.services import visitors

    ctx = signed_in_context(db, args, "visitors correct", "visitor_count")
    tally = visitors.correct_visitors(ctx, facility_id_for(ctx, args.facility), args.date or clock.today(), args.purpose, args.change, args.reason)
    _print_tally(tally)
    return 0


def show_handler(args: argparse.Namespace, db: Database) -> int:
    """Print the day's tally by purpose."""
    from center_app.services import visitors

    ctx = signed_in_context(db, args, "visitors show", "visitor_count")
    _print_tally(visitors.day_tally(ctx, facility_id_for(ctx, args.facility), args.date))
    return 0
