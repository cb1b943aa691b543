"""``center-app print …``: printed documents as PDF files.

    center-app print certificate --group REGNO --output FILE [--size a4|card] [--reissue] --as LOGIN
    center-app print certificates --all-active --output FILE [--size a4|card] [--skip-unprintable] --as LOGIN

Every printed document names people (groups, representatives, applicants): every ``print``
command signs in with ``--as LOGIN`` (the password from ``CENTER_APP_PASSWORD`` or the terminal;
:func:`center_app.commands.common.signed_in_context`) and is audited; without ``--as`` it is
refused (exit 3, audited). A document added with :func:`add_print_command` does the same.

Exit status: 0 written (summary on stdout); 1 nothing written (the group is unknown, not in
force, a character cannot be printed, the seal image is unreadable, the file cannot be written,
a wrong sign-in; one line each on stderr); 2 bad usage; 3 permission denied (no ``--as``).
``print certificates --all-active`` with a group whose name no bundled font can print writes
nothing and names every such group (exit 1); with ``--skip-unprintable`` it writes the others,
names each group left out and still exits 1.

Other modules add their own document to the family with :func:`add_print_command`, e.g. the
booking slip::

    from center_app.commands.printing import add_print_command

    def _configure(parser):
        parser.add_argument("--booking", type=int, required=True)
        parser.add_argument("--output", type=Path, required=True)
        parser.set_defaults(handler=slip_handler)

    add_print_command("slip", "予約票を PDF に出力する", _configure)

It may be called before or after :func:`register` (``cli.add_subcommands``) runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from center_app.db.database import Database
from center_app.domain.errors import ValidationError
from center_app.commands.common import add_as_option, print_problems, signed_in_context
from center_app.i18n import _, ngettext

Configure = Callable[[argparse.ArgumentParser], None]

_pending: dict[str, tuple[str, Configure]] = {}
_actions: argparse._SubParsersAction | None = None


def add_print_command(name: str, help_text: str, configure: Configure) -> None:
    """Add ``center-app print NAME``; ``configure(parser)`` adds its arguments and
    ``set_defaults(handler=fn(args, db) -> int)``; ``--as LOGIN`` is added here, and the handler
    gets its context from :func:`center_app.commands.common.signed_in_context`. Safe to call
    before or after :func:`register`; a name already in the family is left as it is."""
    if _actions is None:
        _pending[name] = (help_text, configure)
    elif name not in _actions.choices:
        _document(name, help_text, configure)


def print_actions() -> argparse._SubParsersAction | None:
    """The subparsers of the ``print`` family once :func:`register` ran (None before)."""
    return _actions


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``print`` command family (and every document added with :func:`add_print_command`)."""
    global _actions
    printing = sub.add_parser("print", help="証書・チラシなどを PDF に出力する")
    _actions = printing.add_subparsers(dest="print_command", metavar="DOCUMENT")

    one = _actions.add_parser("certificate", help="1団体の登録証を PDF に出力する")
    one.add_argument("--group", required=True, metavar="REGNO", help="登録番号 (例: R08-0012)")
    one.add_argument("--output", required=True, type=Path, metavar="FILE", help="書き出す PDF ファイル")
    one.add_argument("--size", choices=("a4", "card"), default="a4", help="a4 (1枚1団体) または card (91×55mm、A4に10枚、トンボ付き)")
    one.add_argument("--reissue", action="store_true", help="再交付として印刷する (再交付回数を1増やす)")
    one.add_argument("--skip-unreadable-images", action="store_true", help="公印の画像が読めないときは画像なしで出力する")
    one.add_argument("--english", action="store_true", help="表題の下に英語の行 (Certificate of Registration …) を入れる")
    add_as_option(one)
    one.set_defaults(handler=certificate_handler)

    every = _actions.add_parser("certificates", help="複数団体の登録証を1つの PDF に出力する")
    every.add_argument("--all-active", action="store_true", required=True, help="登録中 (有効期限内) のすべての団体")
    every.add_argument("--output", required=True, type=Path, metavar="FILE", help="書き出す PDF ファイル")
    every.add_argument("--size", choices=("a4", "card"), default="a4", help="a4 または card")
    every.add_argument("--skip-unreadable-images", action="store_true", help="公印の画像が読めないときは画像なしで出力する")
    every.add_argument("--english", action="store_true", help="表題の下に英語の行 (Certificate of Registration …) を入れる")
    every.add_argument("--skip-unprintable", action="store_true",
                       help="フォントにない文字を含む団体を除いて出力する (除いた団体を表示し、終了コード 1)")
    add_as_option(every)
    every.set_defaults(handler=certificates_handler)

    for name, (help_text, configure) in _pending.items():
        if name not in _actions.choices:
            _document(name, help_text, configure)
    _pending.clear()


def _document(name: str, help_text: str, configure: Configure) -> None:
    """One ``print NAME`` command: its own arguments, and ``--as LOGIN`` like every document (its
    handler signs in with :func:`center_app.commands.common.signed_in_context`)."""
    assert _actions is not None
    parser = _actions.add_parser(name, help=help_text)
    add_as_option(parser)
    configure(parser)


def write_pdf(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (through a temporary file, so a failure leaves no half PDF);
    ValidationError naming the file when it cannot be written."""
    temporary = path.with_name(path.name + ".part")
    try:
        temporary.write_bytes(data)
        temporary.replace(path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise ValidationError(_("Cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc), field_name="output") from None


def certificate_handler(args: argparse.Namespace, db: Database) -> int:
    """One group's certificate."""
    from center_app.services import audit, certificates

    ctx = signed_in_context(db, args, "print certificate", "group")
    try:
        group_id = certificates.group_id_for_number(ctx, args.group)
        # The file is written before a reissue is counted, so a failure does not count.
        preview = certificates.certificate_for_group(ctx, group_id, reissue=args.reissue)
        options = {"size": args.size, "skip_unreadable_images": args.skip_unreadable_images, "english": args.english}
        write_pdf(args.output, certificates.certificates_pdf(ctx, [preview], **options))
        if args.reissue:
            final = certificates.record_reissue(ctx, group_id)
            if final != preview:  # another reissue happened meanwhile: print the count recorded
                write_pdf(args.output, certificates.certificates_pdf(ctx, [final], **options))
    except ValidationError as exc:
        print_problems(exc)
        return 1
    audit.log(ctx, "group", group_id, "print", note=f"certificate {args.output.name}")
    print(_("Wrote the certificate of {number} to {path}.").format(number=preview.registration_no, path=args.output))
    return 0


def certificates_handler(args: argparse.Namespace, db: Database) -> int:
    """Every registered group in force."""
    from center_app.services import audit, certificates

    ctx = signed_in_context(db, args, "print certificates", "group")
    try:
        found = certificates.active_certificates(ctx)
        if not found:
            print(_("No registered group is in force: nothing was written."), file=sys.stderr)
            return 1
        printable, refused = certificates.split_printable(ctx, found)
        if refused and not args.skip_unprintable:  # nothing half-written: the whole run is refused
            for message in refused:
                print(message, file=sys.stderr)
            print(ngettext("{count} group cannot be printed: nothing was written. Correct its name, or print the others with --skip-unprintable.",
                           "{count} groups cannot be printed: nothing was written. Correct their names, or print the others with --skip-unprintable.",
                           len(refused)).format(count=len(refused)), file=sys.stderr)
            return 1
        if printable:
            pdf = certificates.certificates_pdf(ctx, printable, size=args.size, skip_unreadable_images=args.skip_unreadable_images, english=args.english)
            write_pdf(args.output, pdf)
    except ValidationError as exc:
        print_problems(exc)
        return 1
    for message in refused:
        print(message, file=sys.stderr)
    count = len(printable)
    if count:
        audit.log(ctx, "group", "", "print", note=f"certificates {count} {args.output.name}")
    if count:
        print(ngettext("Wrote {count} certificate to {path}.", "Wrote {count} certificates to {path}.", count).format(count=count, path=args.output))
    if refused:  # --skip-unprintable: the file holds the others; the left-out groups are listed above
        print(ngettext("{count} group was left out (see above): the file holds {printed} of {total} certificates.",
                       "{count} groups were left out (see above): the file holds {printed} of {total} certificates.",
                       len(refused)).format(count=len(refused), printed=count, total=len(found)), file=sys.stderr)
        return 1
    return 0
