"""使用料の収納 on the command line, and the permit and receipt PDFs.

    center-app payments record BOOKING_NO [BOOKING_NO…] --method cash|transfer|invoice|cashless [--amount YEN] [--date YYYY-MM-DD] --as LOGIN [--output F.pdf]
    center-app payments refund RECEIPT_NO --reason TEXT [--amount YEN] --as LOGIN
    center-app payments void RECEIPT_NO --reason TEXT --as LOGIN
    center-app print permit --booking BOOKING_NO [--booking BOOKING_NO…] --output F.pdf [--lang ja|en|pt_BR] --as LOGIN
    center-app print receipt --receipt RECEIPT_NO --output F.pdf [--lang ja|en|pt_BR] --as LOGIN

``record`` prints the receipt number; the amount defaults to everything still due for the
bookings (one applicant, one facility); ``--date`` is the day the money came in (a transfer);
``--output`` writes the receipt (the original) at once. ``refund`` pays back what the rules give
(the 還付率 of the cancellation reason, or an overpayment) unless ``--amount`` says otherwise (an
administrator's decision). ``void`` is the 訂正 of a receipt entered by mistake (it keeps its
number). A receipt printed with ``print receipt`` after its payment is a 再発行.

The acting user's password comes from ``CENTER_APP_PASSWORD`` or the terminal. Exit status:
0 done; 1 refused (the reasons, naming the booking or receipt, on stderr; nothing written);
2 bad usage (a malformed date); 3 the role may not handle money (coordinators).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from center_app.commands.common import add_as_option, date_argument, print_problems, signed_in_context, write_output
from center_app.db.database import Database
from center_app.domain.documents import PERMIT_LANGUAGES
from center_app.domain.errors import ValidationError
from center_app.domain.money import PaymentMethod
from center_app.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``payments`` family and ``print permit`` / ``print receipt``."""
    family = sub.add_parser("payments", help="使用料の収納・還付・訂正")
    actions = family.add_subparsers(dest="payments_command", metavar="ACTION")

    record = actions.add_parser("record", help="使用料の収納を記録し、領収番号を表示する")
    record.add_argument("bookings", nargs="+", metavar="BOOKING_NO", help="予約番号 (B2026-007394) または予約ID（同じ申込者の予約を複数指定可）")
    record.add_argument("--method", required=True, choices=[m.value for m in PaymentMethod], help="cash 現金 / transfer 口座振込 / invoice 納付書 / cashless キャッシュレス")
    record.add_argument("--amount", metavar="YEN", help="金額（円、省略時は未納額の全額）")
    record.add_argument("--date", type=date_argument, metavar="YYYY-MM-DD", help="入金日（省略時は今日）")
    record.add_argument("--output", type=Path, metavar="F.pdf", help="領収書を PDF に書き出す")
    add_as_option(record)
    record.set_defaults(handler=record_handler)

    refund = actions.add_parser("refund", help="領収番号の使用料を還付する")
    refund.add_argument("receipt", metavar="RECEIPT_NO")
    refund.add_argument("--reason", required=True, metavar="TEXT", help="還付の理由")
    refund.add_argument("--amount", metavar="YEN", help="金額（省略時は取消理由の還付率による額。超える額は管理者のみ）")
    add_as_option(refund)
    refund.set_defaults(handler=refund_handler)

    void = actions.add_parser("void", help="領収番号の収納（または還付番号 K… の還付・充当）を訂正（取消）する")
    void.add_argument("receipt", metavar="RECEIPT_NO")
    void.add_argument("--reason", required=True, metavar="TEXT", help="訂正の理由")
    add_as_option(void)
    void.set_defaults(handler=void_handler)

    from center_app.commands.printing import add_print_command

    add_print_command("permit", "使用許可書を PDF に書き出す", _configure_permit)
    add_print_command("receipt", "領収書を PDF に書き出す（再発行）", _configure_receipt)


def _configure_permit(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--booking", required=True, action="append", metavar="BOOKING_NO", help="予約番号（同じ申込者の予約を複数指定すると1枚の許可書）")
    parser.add_argument("--output", type=Path, required=True, metavar="F.pdf")
    parser.add_argument("--lang", dest="document_language", choices=[str(c) for c in PERMIT_LANGUAGES], default=None, help="言語（省略時は申込者の希望言語）")
    parser.set_defaults(handler=permit_handler)


def _configure_receipt(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--receipt", required=True, metavar="RECEIPT_NO", help="領収番号 (R2026-000123)")
    parser.add_argument("--output", type=Path, required=True, metavar="F.pdf")
    parser.add_argument("--lang", dest="document_language", choices=[str(c) for c in PERMIT_LANGUAGES], default=None, help="言語（省略時は申込者の希望言語）")
    parser.set_defaults(handler=receipt_handler)



def record_handler(args: argparse.Namespace, db: Database) -> int:
    """Record the payment; print its receipt number (and write the receipt with ``--output``)."""
    from center_app.services import bookings, documents, ledger

    ctx = signed_in_context(db, args, "payments record", "payment")
    try:
        ids = [bookings.booking_id_for(ctx, number) for number in args.bookings]
        paid = ledger.record_payment(ctx, ids, args.method, args.amount, received_on=args.date)
    except ValidationError as exc:
        print_problems(exc)
        return 1
    print(_("Receipt {number}: {amount} yen ({method}) for {bookings}.").format(
        number=paid.receipt_no, amount=f"{paid.amount:,}", method=paid.method_label, bookings=" ".join(b.slip_no for b in paid.bookings)))
    if args.output is not None:
        receipt = documents.receipt_pdf(ctx, paid.receipt_no, original=True)
        if not write_output(args.output, receipt.pdf):
            return 1
        print(_("Wrote the receipt {number} to {path}.").format(number=receipt.number, path=args.output))
    return 0


def refund_handler(args: argparse.Namespace, db: Database) -> int:
    """Refund by the rules (or ``--amount``); print each refund number and amount."""
    from center_app.services import ledger_refunds

    ctx = signed_in_context(db, args, "payments refund", "payment")
    try:
        refunds = ledger_refunds.refund_payment(ctx, args.receipt, args.reason, args.amount)
    except ValidationError as exc:
        print_problems(exc)
        return 1
    for refund in refunds:
        print(_("Refund {number}: {amount} yen of receipt {receipt} (booking {slip}).").format(
            number=refund.refund_no, amount=f"{refund.amount:,}", receipt=refund.receipt_no, slip=refund.slip_no))
    return 0


def void_handler(args: argparse.Namespace, db: Database) -> int:
    """Void the receipt (R…), or the refund or 充当 (K…) entered by mistake; print one line."""
    from center_app.domain.money import REFUND, number_kind
    from center_app.services import ledger, ledger_refunds

    ctx = signed_in_context(db, args, "payments void", "payment")
    number = args.receipt
    try:
        if number_kind(number) == REFUND:  # a refund or 充当 (K…) entered by mistake
            refund = ledger_refunds.void_refund(ctx, number, args.reason)
            print(_("Refund {number} ({amount} yen) is voided: {reason}").format(number=refund.refund_no, amount=f"{refund.amount:,}", reason=args.reason.strip()))
            return 0
        voided = ledger.void_payment(ctx, number, args.reason)
    except ValidationError as exc:
        print_problems(exc)
        return 1
    print(_("Receipt {number} ({amount} yen) is voided: {reason}").format(number=voided.receipt_no, amount=f"{voided.amount:,}", reason=voided.void_reason))
    return 0


def permit_handler(args: argparse.Namespace, db: Database) -> int:
    """Write the permit of the bookings."""
    from center_app.services import bookings, documents

    ctx = signed_in_context(db, args, "print permit", "booking")
    ids = [bookings.booking_id_for(ctx, number) for number in args.booking]
    permit = documents.permit_pdf(ctx, ids, args.document_language)
    if not write_output(args.output, permit.pdf):
        return 1
    message = _("Wrote the permit {number} (reissued) to {path}.") if permit.reissue else _("Wrote the permit {number} to {path}.")
    print(message.format(number=permit.number, path=args.output))
    return 0


def receipt_handler(args: argparse.Namespace, db: Database) -> int:
    """Write the receipt (a 再発行) from the ledger."""
    from center_app.services import documents

    ctx = signed_in_context(db, args, "print receipt", "payment")
    receipt = documents.receipt_pdf(ctx, args.receipt, args.document_language)
    if not write_output(args.output, receipt.pdf):
        return 1
    print(_("Wrote the receipt {number} (reissued) to {path}.").format(number=receipt.number, path=args.output))
    return 0
