"""ロッカー・レターケース on the command line.

    center-app lockers list [--facility CODE] [--term YYYY] --as LOGIN
    center-app lockers apply --group REG_NO --kind KIND [--term YYYY] [--facility CODE] --as LOGIN
    center-app lockers draw --kind KIND --term YYYY --seed N [--dry-run] [--facility CODE] --as LOGIN
    center-app lockers allocate --unit CODE --group REG_NO [--term YYYY] [--facility CODE] --as LOGIN
    center-app lockers pay --unit CODE [--term YYYY] [--method cash|transfer|invoice|cashless] [--facility CODE] --as LOGIN
    center-app lockers key issue|return --unit CODE --person NAME [--facility CODE] --as LOGIN
    center-app lockers mail receive --unit CODE --sender TEXT [--note TEXT] [--facility CODE] --as LOGIN
    center-app lockers mail hand-over --mail N --person NAME --as LOGIN

KIND is ``locker_large``, ``locker_small`` or ``letter_case``; a term is named by the year it
starts in (default: today's). ``list`` prints every unit with its group, fee, receipt, key and
mail waiting; ``draw`` prints the applications in priority order with the unit each won (the same
applications and seed give the same result); ``pay`` prints the receipt number of the term's fee.
Exit status: 0 done; 1 refused (a unit allocated already, a key not out, …; the Japanese reason
on stderr, nothing written); 2 bad usage; 3 no permission.
"""

from __future__ import annotations

import argparse

from center_app.commands.common import add_as_option, signed_in_context
from center_app.commands.lottery import _seed
from center_app.db.database import Database
from center_app.i18n import _

_KINDS = ("locker_large", "locker_small", "letter_case")


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``lockers`` family."""
    family = sub.add_parser("lockers", help="ロッカー・レターケース（公募・抽選・割当・使用料・鍵・郵便物）")
    actions = family.add_subparsers(dest="lockers_command", metavar="ACTION", required=True)

    def action(name: str, help_text: str, handler, *, unit: bool = False, term: bool = False) -> argparse.ArgumentParser:
        parser = actions.add_parser(name, help=help_text)
        if unit:
            parser.add_argument("--unit", required=True, metavar="CODE", help="ロッカー・レターケースの番号")
        if term:
            parser.add_argument("--term", type=int, metavar="YYYY", help="期（始まる年。省略時は今日の期）")
        parser.add_argument("--facility", metavar="CODE", help="施設コード（省略時は本館）")
        add_as_option(parser)
        parser.set_defaults(handler=handler)
        return parser

    action("list", "一覧（割当・使用料・鍵・郵便物）", list_handler, term=True)
    apply = action("apply", "公募に申し込む", apply_handler, term=True)
    apply.add_argument("--group", required=True, metavar="REG_NO")
    apply.add_argument("--kind", required=True, choices=_KINDS)
    draw = action("draw", "公募の抽選をして割り当てる", draw_handler)
    draw.add_argument("--kind", required=True, choices=_KINDS)
    draw.add_argument("--term", required=True, type=int, metavar="YYYY")
    draw.add_argument("--seed", required=True, type=_seed, metavar="N")
    draw.add_argument("--dry-run", action="store_true")
    allocate = action("allocate", "空いているものを団体に割り当てる", allocate_handler, unit=True, term=True)
    allocate.add_argument("--group", required=True, metavar="REG_NO")
    pay = action("pay", "期の使用料（前納）を収納する", pay_handler, unit=True, term=True)
    pay.add_argument("--method", default="cash", choices=["cash", "transfer", "invoice", "cashless"])
    key = action("key", "鍵の貸出・返却を記録する", key_handler, unit=True)
    key.add_argument("key_action", choices=["issue", "return"])
    key.add_argument("--person", required=True, metavar="NAME")

    mail = actions.add_parser("mail", help="郵便物の受付・引渡し")
    mail_actions = mail.add_subparsers(dest="mail_command", metavar="ACTION", required=True)
    receive = mail_actions.add_parser("receive", help="郵便物を受け付ける")
    receive.add_argument("--unit", required=True, metavar="CODE")
    receive.add_argument("--sender", required=True, metavar="TEXT")
    receive.add_argument("--note", default="", metavar="TEXT")
    receive.add_argument("--facility", metavar="CODE")
    add_as_option(receive)
    receive.set_defaults(handler=mail_receive_handler)
    hand = mail_actions.add_parser("hand-over", help="郵便物を引き渡す")
    hand.add_argument("--mail", required=True, type=int, metavar="N")
    hand.add_argument("--person", required=True, metavar="NAME")
    add_as_option(hand)
    hand.set_defaults(handler=mail_hand_handler)


def _group_id(ctx, number: str) -> int:
    from center_app.domain.errors import ValidationError
    from center_app.services import groups

    group = groups.find_group_by_number(ctx, number)
    if group is None:
        raise ValidationError(_("No group has the registration number {number}.").format(number=number.strip()), field_name="group")
    return group.id


def list_handler(args: argparse.Namespace, db: Database) -> int:
    """Print every unit of the facility with its holder in the term."""
    from center_app.services import lockers

    ctx = signed_in_context(db, args, "lockers list", "locker_unit")
    for u in lockers.list_units(ctx, args.facility, args.term):
        print("\t".join([u.code, u.kind_label, u.size, f"{u.monthly_fee_yen:,}", u.registration_no, u.group_name,
                         f"{u.fee_yen:,}" if u.allocation_id else "", u.receipt_no, u.key_label, str(u.mail_waiting) if u.mail_waiting else ""]))
    return 0


def apply_handler(args: argparse.Namespace, db: Database) -> int:
    """Apply in the 公募; print the application number."""
    from center_app.services import lockers

    ctx = signed_in_context(db, args, "lockers apply", "locker_unit")
    term = args.term if args.term is not None else lockers.current_term(ctx)
    number = lockers.apply_for_unit(ctx, _group_id(ctx, args.group), args.kind, term, args.facility)
    print(_("Application {id}: {kind}, term {term}.").format(id=number, kind=lockers.kind_label(args.kind), term=term))
    return 0


def draw_handler(args: argparse.Namespace, db: Database) -> int:
    """Draw the 公募; print each application with its outcome."""
    from center_app.services import lockers

    ctx = signed_in_context(db, args, "lockers draw", "locker_unit")
    lines = lockers.draw_units(ctx, args.kind, args.term, args.seed, args.facility, dry_run=args.dry_run)
    head = _("Lottery {kind}, term {term}, seed {seed}: {count} applications, {won} allocated.").format(
        kind=lockers.kind_label(args.kind), term=args.term, seed=args.seed, count=len(lines), won=sum(line.won for line in lines))
    print(head + (" " + _("(dry run: nothing booked or recorded)") if args.dry_run else ""))
    for line in lines:
        print("\t".join([str(line.rank), str(line.application_id), line.registration_no, line.group_name,
                         line.unit_code if line.won else _("lost: {reason}").format(reason=line.reason)]))
    return 0


def allocate_handler(args: argparse.Namespace, db: Database) -> int:
    """Allocate a free unit; print it with its fee."""
    from center_app.services import lockers

    ctx = signed_in_context(db, args, "lockers allocate", "locker_unit")
    view = lockers.allocate_unit(ctx, lockers.unit_id_for(ctx, args.unit, args.facility), _group_id(ctx, args.group), args.term)
    print(_("{unit} is allocated to {group} for the term {term}: {fee} yen in advance.").format(
        unit=view.code, group=view.group_name, term=view.term, fee=f"{view.fee_yen:,}"))
    return 0


def pay_handler(args: argparse.Namespace, db: Database) -> int:
    """Record the fee of the term; print the receipt number."""
    from center_app.services import lockers

    ctx = signed_in_context(db, args, "lockers pay", "locker_unit")
    allocation = lockers.allocation_for(ctx, lockers.unit_id_for(ctx, args.unit, args.facility), args.term)
    print(_("Receipt {number} for {unit}.").format(number=lockers.pay_allocation(ctx, allocation, args.method), unit=args.unit.strip()))
    return 0


def key_handler(args: argparse.Namespace, db: Database) -> int:
    """Record a key issued or returned."""
    from center_app.services import lockers

    ctx = signed_in_context(db, args, "lockers key", "locker_unit")
    allocation = lockers.allocation_for(ctx, lockers.unit_id_for(ctx, args.unit, args.facility))
    view = lockers.record_key(ctx, allocation, args.key_action, args.person)
    print(_("Key of {unit}: {state} ({person}).").format(unit=view.code, state=view.key_label, person=args.person.strip()))
    return 0


def mail_receive_handler(args: argparse.Namespace, db: Database) -> int:
    """Log mail received; print its number."""
    from center_app.services import lockers

    ctx = signed_in_context(db, args, "lockers mail receive", "locker_unit")
    allocation = lockers.allocation_for(ctx, lockers.unit_id_for(ctx, args.unit, args.facility))
    mail = lockers.receive_mail(ctx, allocation, args.sender, args.note)
    print(_("Mail {id} for {group} ({unit}) is logged.").format(id=mail.id, group=mail.group_name, unit=mail.unit_code))
    return 0


def mail_hand_handler(args: argparse.Namespace, db: Database) -> int:
    """Record mail handed over."""
    from center_app.services import lockers

    ctx = signed_in_context(db, args, "lockers mail hand", "locker_unit")
    mail = lockers.hand_over_mail(ctx, args.mail, args.person)
    print(_("Mail {id} is handed to {person}.").format(id=mail.id, person=mail.handed_to))
    return 0
