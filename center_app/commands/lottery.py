"""抽選 (the opening-day lottery for rooms) on the command line.

    center-app lottery enter --group REG_NO --room CODE --date YYYY-MM-DD --slot NAME --people N --as LOGIN
    center-app lottery withdraw ENTRY --as LOGIN
    center-app lottery entries --facility CODE --month YYYY-MM --as LOGIN
    center-app lottery draw --facility CODE --month YYYY-MM --seed N [--dry-run] --as LOGIN
    center-app lottery verify --facility CODE --month YYYY-MM --as LOGIN
    center-app lottery result --facility CODE --month YYYY-MM --output F.pdf --as LOGIN

``draw`` prints the winners, one a line in priority order — rank, entry number, registration
number, group, room, day, slot and (unless ``--dry-run``) the 仮予約's slip number and the day it
must be confirmed by — then the losers with the reason and free alternatives. The same entries and
seed always print the same winners (the draw: ``random.Random(seed)`` over the entries in
canonical order, :mod:`center_app.domain.lottery`). ``--dry-run`` draws without booking or
recording anything (for a month already drawn it prints the recorded result). ``verify`` runs the
recorded draw again and says whether it gives the same winners. ``result`` writes the printed
result list with the seed. Exit status: 0 done (``verify``: the same winners); 1 refused (outside
the entry window, over the cap, drawn already, …; the Japanese reason on stderr, nothing written;
``verify``: different winners); 2 bad usage; 3 no permission. ``withdraw`` takes back an entry
not drawn yet (audited); an entry drawn or withdrawn already is refused.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from center_app.commands.common import add_as_option, date_argument, signed_in_context, write_output
from center_app.db.database import Database
from center_app.i18n import _


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("The seed is a whole number from 0 to 9223372036854775807.")) from None
    if not 0 <= value <= 2**63 - 1:
        raise argparse.ArgumentTypeError(_("The seed is a whole number from 0 to 9223372036854775807."))
    return value


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``lottery`` family."""
    family = sub.add_parser("lottery", help="会議室の抽選（申込・抽選・結果）")
    actions = family.add_subparsers(dest="lottery_command", metavar="ACTION", required=True)

    enter = actions.add_parser("enter", help="抽選に申し込む")
    enter.add_argument("--group", required=True, metavar="REG_NO", help="登録番号")
    enter.add_argument("--room", required=True, metavar="CODE", help="部屋コード (M1)")
    enter.add_argument("--date", required=True, type=date_argument, metavar="YYYY-MM-DD")
    enter.add_argument("--slot", required=True, metavar="NAME", help="利用区分 (午前, 午後, 夜間)")
    enter.add_argument("--people", required=True, metavar="N", help="利用人数の予定")
    add_as_option(enter)
    enter.set_defaults(handler=enter_handler)

    withdraw = actions.add_parser("withdraw", help="抽選の申込を取り下げる（抽選前のみ）")
    withdraw.add_argument("entry", type=int, metavar="ENTRY", help="申込番号")
    add_as_option(withdraw)
    withdraw.set_defaults(handler=withdraw_handler)

    for name, help_text, handler in (("entries", "申込の一覧", entries_handler), ("verify", "記録した抽選を再実行して確かめる", verify_handler)):
        parser = actions.add_parser(name, help=help_text)
        parser.add_argument("--facility", required=True, metavar="CODE")
        parser.add_argument("--month", required=True, metavar="YYYY-MM")
        add_as_option(parser)
        parser.set_defaults(handler=handler)

    draw = actions.add_parser("draw", help="抽選し、当選を仮予約にする")
    draw.add_argument("--facility", required=True, metavar="CODE")
    draw.add_argument("--month", required=True, metavar="YYYY-MM")
    draw.add_argument("--seed", required=True, type=_seed, metavar="N", help="乱数の種（記録され、同じ種で同じ結果）")
    draw.add_argument("--dry-run", action="store_true", help="予約も記録もせずに結果だけ表示する")
    add_as_option(draw)
    draw.set_defaults(handler=draw_handler)

    result = actions.add_parser("result", help="抽選結果一覧を PDF に書き出す")
    result.add_argument("--facility", required=True, metavar="CODE")
    result.add_argument("--month", required=True, metavar="YYYY-MM")
    result.add_argument("--output", required=True, type=Path, metavar="F.pdf")
    add_as_option(result)
    result.set_defaults(handler=result_handler)


def enter_handler(args: argparse.Namespace, db: Database) -> int:
    """Enter a group; print the entry number."""
    from center_app.domain.errors import ValidationError
    from center_app.domain.wareki import format_wareki
    from center_app.services import groups, lottery

    ctx = signed_in_context(db, args, "lottery enter", "lottery_entry")
    group = groups.find_group_by_number(ctx, args.group)
    if group is None:
        raise ValidationError(_("No group has the registration number {number}.").format(number=args.group.strip()), field_name="group")
    entry = lottery.enter_lottery(ctx, group.id, lottery.room_id_for(ctx, args.room), args.date, args.slot, args.people)
    print(_("Entry {id}: {group}, {room} {date} {slot} (lottery of {month}).").format(
        id=entry.id, group=entry.group_name, room=entry.room_name, date=format_wareki(entry.day, weekday=True), slot=entry.slot_name, month=entry.month))
    return 0


def withdraw_handler(args: argparse.Namespace, db: Database) -> int:
    """Withdraw an entry not drawn yet; print what was withdrawn."""
    from center_app.domain.wareki import format_wareki
    from center_app.services import lottery

    ctx = signed_in_context(db, args, "lottery withdraw", "lottery_entry")
    entry = lottery.withdraw_entry(ctx, args.entry)
    print(_("Withdrew entry {id}: {group}, {room} {date} {slot} (lottery of {month}).").format(
        id=entry.id, group=entry.group_name, room=entry.room_name, date=format_wareki(entry.day, weekday=True), slot=entry.slot_name, month=entry.month))
    return 0


def entries_handler(args: argparse.Namespace, db: Database) -> int:
    """List the entries of a facility and month."""
    from center_app.services import lottery

    ctx = signed_in_context(db, args, "lottery entries", "lottery_entry")
    for e in lottery.list_entries(ctx, args.facility, args.month):
        print("\t".join([str(e.id), e.registration_no, e.group_name, e.room_name, e.day.isoformat(), e.slot_name, e.status, e.slip_no]))
    return 0


def print_result(result) -> None:
    """The winners, then the losers, one a line (stable: no clock in it)."""
    from center_app.domain.wareki import format_wareki

    head = _("Lottery {facility} {month}, seed {seed}: {entries} entries, {winners} winners.").format(
        facility=result.facility_code, month=result.month, seed=result.seed, entries=len(result.lines), winners=len(result.winners))
    print(head if result.recorded else head + " " + _("(dry run: nothing booked or recorded)"))
    for line in result.winners:
        cells = [str(line.rank), str(line.entry_no), line.registration_no, line.group_name, line.room_name, line.day.isoformat(), line.slot_name]
        if result.recorded and line.slip_no:
            cells += [line.slip_no, _("confirm by {date}").format(date=format_wareki(line.confirm_by))]
        print("\t".join(cells))
    for line in result.losers:
        alternatives = "、".join(line.alternatives) or _("none")
        print("\t".join([str(line.rank), str(line.entry_no), line.registration_no, line.group_name, line.room_name, line.day.isoformat(),
                         line.slot_name, _("lost: {reason}").format(reason=line.reason), _("free: {alternatives}").format(alternatives=alternatives)]),
              file=sys.stdout)


def draw_handler(args: argparse.Namespace, db: Database) -> int:
    """Draw (or dry-run) the lottery; print the winners and losers."""
    from center_app.services import lottery

    ctx = signed_in_context(db, args, "lottery draw", "lottery_entry")
    print_result(lottery.draw_lottery(ctx, args.facility, args.month, args.seed, dry_run=args.dry_run))
    return 0


def verify_handler(args: argparse.Namespace, db: Database) -> int:
    """Run the recorded draw again; exit 0 when it gives the same winners."""
    from center_app.services import lottery

    ctx = signed_in_context(db, args, "lottery verify", "lottery_entry")
    if lottery.verify_draw(ctx, args.facility, args.month):
        print(_("The recorded draw gives the same winners when run again."))
        return 0
    print(_("The recorded draw gives different winners when run again."), file=sys.stderr)
    return 1


def result_handler(args: argparse.Namespace, db: Database) -> int:
    """Write the result list of a drawn month."""
    from center_app.services import documents

    ctx = signed_in_context(db, args, "lottery result", "lottery_entry")
    document = documents.lottery_result_pdf(ctx, args.facility, args.month)
    if not write_output(args.output, document):
        return 1
    print(_("Wrote the lottery result to {path}.").format(path=args.output))
    return 0
