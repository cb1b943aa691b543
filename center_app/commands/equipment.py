"""備品貸出 and the charges of the counter's services on the command line.

    center-app equipment items [--facility CODE]
    center-app equipment lend ITEM (--group REG_NO | --borrower NAME [--class CODE]) --from "YYYY-MM-DD HH:MM" --due "YYYY-MM-DD HH:MM" [--quantity N] [--booking BOOKING_NO] [--purpose TEXT] [--facility CODE] --as LOGIN
    center-app equipment return LOAN_NO [--at "YYYY-MM-DD HH:MM"] --as LOGIN
    center-app equipment damage LOAN_NO --kind damage|loss --description TEXT --amount YEN [--units N] --as LOGIN
    center-app equipment overdue [--facility CODE] --as LOGIN
    center-app equipment permit LOAN_NO --output F.pdf --as LOGIN
    center-app charges list [--group REG_NO] --as LOGIN
    center-app charges pay CHARGE_ID [CHARGE_ID…] --method cash|transfer|invoice|cashless [--amount YEN] --as LOGIN

``ITEM`` is the item's code in 設定 → 備品 (``projector``) of the facility (default: the main
center). ``lend`` prints the loan number, the fee and the charge to pay; ``charges pay`` prints
the receipt number. Exit status: 0 done; 1 refused by a rule (the Japanese reason on stderr —
the item is all out, the loan was not lent or is back, the class may not borrow it; nothing
written); 2 bad usage; 3 the role may not do it.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from center_app.commands.common import add_as_option, date_argument, run_action, signed_in_context, written_report
from center_app.db.database import Database
from center_app.domain.money import PaymentMethod
from center_app.i18n import _


def datetime_argument(text: str) -> dt.datetime:
    """An ``argparse`` type for ``"2026-06-02 13:00"`` (a date as :func:`date_argument` reads it, a space, HH:MM)."""
    day_text, _sep, time_text = (text or "").strip().replace("T", " ").partition(" ")
    day = date_argument(day_text)
    try:
        hour, minute = (int(part) for part in time_text.strip().split(":"))
        return dt.datetime.combine(day, dt.time(hour, minute))
    except ValueError:
        raise argparse.ArgumentTypeError(_("Enter a date and time such as 2026-06-02 13:00.")) from None


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``equipment`` and ``charges`` families."""
    family = sub.add_parser("equipment", help="備品の貸出・返却・破損紛失")
    actions = family.add_subparsers(dest="equipment_command", metavar="ACTION")

    items = actions.add_parser("items", help="備品の一覧（数量・料金）")
    items.add_argument("--facility", metavar="CODE", help="施設コード（省略時は本館）")
    items.set_defaults(handler=items_handler)

    lend = actions.add_parser("lend", help="備品を貸し出す（貸出番号・使用料を表示）")
    lend.add_argument("item", metavar="ITEM", help="備品コード (projector など)")
    who = lend.add_mutually_exclusive_group(required=True)
    who.add_argument("--group", metavar="REG_NO", help="登録団体の登録番号")
    who.add_argument("--borrower", metavar="NAME", help="団体以外の借り主の氏名")
    lend.add_argument("--class", dest="applicant_class", metavar="CODE", help="申請者区分コード（団体以外。省略時は resident）")
    lend.add_argument("--from", dest="start", required=True, type=datetime_argument, metavar="'YYYY-MM-DD HH:MM'", help="貸出開始")
    lend.add_argument("--due", required=True, type=datetime_argument, metavar="'YYYY-MM-DD HH:MM'", help="返却予定")
    lend.add_argument("--quantity", type=int, default=1, metavar="N", help="数量（省略時は 1）")
    lend.add_argument("--booking", metavar="BOOKING_NO", help="あわせて使う部屋の予約番号")
    lend.add_argument("--purpose", default="", metavar="TEXT", help="使用目的")
    lend.add_argument("--facility", metavar="CODE", help="施設コード（省略時は本館）")
    add_as_option(lend)
    lend.set_defaults(handler=lend_handler)

    back = actions.add_parser("return", help="備品の返却を記録する")
    back.add_argument("loan", metavar="LOAN_NO", help="貸出番号 (E2026-000001)")
    back.add_argument("--at", type=datetime_argument, metavar="'YYYY-MM-DD HH:MM'", help="返却日時（省略時は今）")
    add_as_option(back)
    back.set_defaults(handler=return_handler)

    damage = actions.add_parser("damage", help="破損・紛失を記録し、弁償額を調定する")
    damage.add_argument("loan", metavar="LOAN_NO")
    damage.add_argument("--kind", required=True, choices=["damage", "loss"], help="damage 破損 / loss 紛失（台帳の数量から除く）")
    damage.add_argument("--description", required=True, metavar="TEXT")
    damage.add_argument("--amount", required=True, metavar="YEN", help="弁償額（円、なしは 0）")
    damage.add_argument("--units", type=int, default=1, metavar="N")
    add_as_option(damage)
    damage.set_defaults(handler=damage_handler)

    overdue = actions.add_parser("overdue", help="返却予定を過ぎた貸出の一覧")
    overdue.add_argument("--facility", metavar="CODE")
    add_as_option(overdue)
    overdue.set_defaults(handler=overdue_handler)

    permit = actions.add_parser("permit", help="備品貸出許可書を PDF に書き出す")
    permit.add_argument("loan", metavar="LOAN_NO")
    permit.add_argument("--output", type=Path, required=True, metavar="F.pdf")
    add_as_option(permit)
    permit.set_defaults(handler=permit_handler)

    charges = sub.add_parser("charges", help="備品・印刷・弁償の未納と収納")
    charge_actions = charges.add_subparsers(dest="charges_command", metavar="ACTION")
    listing = charge_actions.add_parser("list", help="未納の調定（番号・金額）")
    listing.add_argument("--group", metavar="REG_NO")
    add_as_option(listing)
    listing.set_defaults(handler=charges_handler)
    pay = charge_actions.add_parser("pay", help="調定の収納を記録し、領収番号を表示する")
    pay.add_argument("charges", nargs="+", type=int, metavar="CHARGE_ID")
    pay.add_argument("--method", required=True, choices=[m.value for m in PaymentMethod])
    pay.add_argument("--amount", metavar="YEN", help="金額（省略時は未納額の全額）")
    add_as_option(pay)
    pay.set_defaults(handler=pay_handler)


def _facility_id(ctx, code: str | None) -> int:
    from center_app.services import statistics

    if code:
        return statistics.find_facility(ctx, code).id
    from center_app.services import equipment_queries

    return equipment_queries.main_facility_id(ctx)


def items_handler(args: argparse.Namespace, db: Database) -> int:
    """Print the catalogue: code, name, quantity, fees."""
    from center_app.commands.common import command_context
    from center_app.services import equipment_queries

    ctx = command_context(db)
    for item in equipment_queries.items(ctx, _facility_id(ctx, args.facility)):
        print(f"{item.code}\t{item.name}\t{item.quantity}\t{item.fee_per_unit}/{item.unit_minutes}min\t{item.fee_per_day}/day\t{item.max_days}d")
    return 0


def lend_handler(args: argparse.Namespace, db: Database) -> int:
    """Lend; print the loan number, the fee and the charge to pay."""
    from center_app.services import bookings, certificates, equipment

    def lend(ctx):
        facility = _facility_id(ctx, args.facility)
        group = certificates.group_id_for_number(ctx, args.group) if args.group else None
        booking = bookings.booking_id_for(ctx, args.booking) if args.booking else None
        return equipment.lend(ctx, args.item, start=args.start, due=args.due, quantity=args.quantity, group_id=group,
                              borrower_name=args.borrower or "", applicant_class=args.applicant_class, booking_id=booking,
                              purpose=args.purpose, facility_id=facility)

    return run_action(db, args, "equipment lend", "equipment_loan", lend, lambda loan: print(
        _("Loan {number}: {item} ×{quantity} to {borrower}, due {due}; fee {fee} yen.").format(
            number=loan.loan_no, item=loan.item_name, quantity=loan.quantity, borrower=loan.borrower, due=f"{loan.due_at:%Y-%m-%d %H:%M}",
            fee=f"{loan.fee:,}")))


def return_handler(args: argparse.Namespace, db: Database) -> int:
    """Record the return; print one line."""
    from center_app.services import equipment

    return run_action(db, args, "equipment return", "equipment_loan",
                      lambda ctx: equipment.return_loan(ctx, args.loan, returned_at=args.at),
                      lambda loan: print(_("Loan {number} ({item}) is returned.").format(number=loan.loan_no, item=loan.item_name)))


def damage_handler(args: argparse.Namespace, db: Database) -> int:
    """Record damage or loss; print one line."""
    from center_app.services import equipment

    return run_action(db, args, "equipment damage", "equipment_loan",
                      lambda ctx: equipment.record_damage(ctx, args.loan, args.kind, args.description, args.amount, units=args.units),
                      lambda loan: print(_("Recorded for loan {number} ({item}).").format(number=loan.loan_no, item=loan.item_name)))


def overdue_handler(args: argparse.Namespace, db: Database) -> int:
    """Print the loans past their due time, one a line."""
    from center_app.services import equipment_queries

    ctx = signed_in_context(db, args, "equipment overdue", "equipment_loan")
    facility = _facility_id(ctx, args.facility) if args.facility else None
    for loan in equipment_queries.overdue_loans(ctx, facility):
        print(f"{loan.loan_no}\t{loan.item_name}\t×{loan.quantity}\t{loan.borrower}\t{loan.due_at:%Y-%m-%d %H:%M}")
    return 0


def permit_handler(args: argparse.Namespace, db: Database) -> int:
    """Write the loan's permit slip."""
    from center_app.services import documents

    return run_action(db, args, "equipment permit", "equipment_loan", lambda ctx: documents.loan_permit_pdf(ctx, args.loan),
                      written_report(args.output, _("Wrote the loan permit {number} to {path}.").format(number=args.loan, path=args.output)))


def charges_handler(args: argparse.Namespace, db: Database) -> int:
    """Print the charges with money due: id, day, payer, what, yen due."""
    from center_app.services import certificates, counter_charges

    def due(ctx):
        group = certificates.group_id_for_number(ctx, args.group) if args.group else None
        return counter_charges.charges(ctx, group_id=group)

    def report(charges) -> None:
        for charge in charges:
            print(f"{charge.id}\t{charge.charged_on:%Y-%m-%d}\t{charge.payer_name}\t{charge.description}\t{charge.outstanding}")

    return run_action(db, args, "charges list", "equipment_loan", due, report)


def pay_handler(args: argparse.Namespace, db: Database) -> int:
    """Record the payment of charges; print the receipt number."""
    from center_app.services import counter_charges

    return run_action(db, args, "charges pay", "equipment_loan",
                      lambda ctx: counter_charges.pay_charges(ctx, args.charges, args.method, args.amount),
                      lambda paid: print(_("Receipt {number}: {amount} yen ({method}).").format(
                          number=paid.receipt_no, amount=f"{paid.amount:,}", method=paid.method_label)))
