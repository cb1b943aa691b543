"""``center-app mail …``: mailings to groups chosen by a filter, as one PDF.

    center-app mail letters --template NAME [--filter KEY=VALUE …] [--to group|representative] --output F.pdf --as LOGIN
    center-app mail labels --layout a4-12|a4-24 [--start N] [--filter KEY=VALUE …] [--to …] --output F.pdf --as LOGIN
    center-app mail envelopes [--filter KEY=VALUE …] [--to …] --output F.pdf --as LOGIN

``--filter`` (repeatable; every one must hold, several ``status`` are alternatives):
``status=registered|expired|paused|applied|withdrawn`` (default: every group not withdrawn),
``expires-before=DATE`` (registrations valid today that expire before the day: 有効期限 from
today on and before it, as the renewal letter says; expired ones: ``status=expired``), ``field=NAME`` (活動分野: its number, name or
short name, e.g. まちづくり), ``facility=CODE`` (the group has a booking in a room of the
facility). ``--to group`` addresses 「団体名 御中」 (default), ``--to representative`` 「団体名 /
代表 氏名 様」. ``--start N``: the first free label of a used sheet (1 = top left).

Each prints on stdout how many groups were printed, and names on stderr every chosen group that
was skipped because it has no address (or 〒) or a character no font has. The mailing is recorded for each group printed
(the group's 郵送の記録, audited) once the file is written.
Exit status: 0 written; 1 refused (no group chosen, none that can be printed, an unknown template,
field or facility, a character no font has, the file cannot be written: the reasons on stderr,
nothing written or recorded); 2 bad usage (an unknown filter key, a bad date); 3 no ``--as`` or
the account may not.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from center_app.commands.common import add_as_option, date_argument, print_problems, signed_in_context, write_output
from center_app.db.database import Database
from center_app.domain.errors import ValidationError
from center_app.domain.mailings import LABEL_SHEETS, MAIL_STATUSES, Addressee, MailFilter
from center_app.i18n import _, ngettext

FILTER_KEYS = ("status", "expires-before", "field", "facility")


def filter_argument(text: str) -> tuple[str, object]:
    """An ``argparse`` type for ``--filter KEY=VALUE``: (key, value), the date of
    ``expires-before`` parsed; an unknown key, a status not in the list or a bad date is bad
    usage (exit 2) with the Japanese reason."""
    key, sep, value = text.partition("=")
    key, value = key.strip(), value.strip()
    if not sep or key not in FILTER_KEYS or not value:
        raise argparse.ArgumentTypeError(_("Write a filter as KEY=VALUE with KEY one of {keys}.").format(keys=", ".join(FILTER_KEYS)))
    if key == "status" and value not in MAIL_STATUSES:
        raise argparse.ArgumentTypeError(_("Unknown status {status}: use {known}.").format(status=value, known=", ".join(MAIL_STATUSES)))
    if key == "expires-before":
        return key, date_argument(value)
    return key, value


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``mail`` family."""
    family = sub.add_parser("mail", help="団体への郵送（通知文・宛名ラベル・長形3号封筒）")
    actions = family.add_subparsers(dest="mail_command", metavar="ACTION")

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        parser = actions.add_parser(name, help=help_text)
        add_as_option(parser)
        parser.add_argument("--filter", dest="filters", type=filter_argument, action="append", default=[], metavar="KEY=VALUE",
                            help="status=… / expires-before=DATE（今日以降その日より前に有効期限を迎える団体） / field=活動分野 / facility=CODE（複数可）")
        parser.add_argument("--to", dest="addressee", choices=[a.value for a in Addressee], default=Addressee.GROUP.value,
                            help="group 団体名 御中 / representative 代表者 様")
        parser.add_argument("--output", type=Path, required=True, metavar="F.pdf")
        parser.set_defaults(handler=mail_handler, mail_kind=name)
        return parser

    p = action("letters", "テンプレートの通知文を PDF に書き出す")
    p.add_argument("--template", required=True, metavar="NAME", help="設定 → 郵送文書 のテンプレート名")
    p = action("labels", "宛名ラベル（A4 12面・24面）を PDF に書き出す")
    p.add_argument("--layout", required=True, choices=list(LABEL_SHEETS))
    p.add_argument("--start", type=int, default=1, metavar="N", help="使いかけのシートの最初の空きラベル（1 = 左上）")
    action("envelopes", "長形3号封筒の宛名を PDF に書き出す")


def mail_filter(ctx, filters: list[tuple[str, object]]) -> MailFilter:
    """The :class:`MailFilter` of the ``--filter`` options (the last of each key wins, statuses
    add up); a 活動分野 named by its name is looked up (ValidationError when there is none)."""
    from center_app.services import mailings

    values: dict[str, object] = {}
    statuses: list[str] = []
    for key, value in filters:
        if key == "status":
            statuses.append(str(value))
        else:
            values[key] = value
    field = mailings.field_code(ctx, str(values["field"])) if "field" in values else None
    return MailFilter(tuple(statuses), values.get("expires-before"), field, values.get("facility"))  # type: ignore[arg-type]


def mail_handler(args: argparse.Namespace, db: Database) -> int:
    """Choose the groups, write the PDF, name the skipped groups, record the mailing."""
    from center_app.domain.mailings import MailKind
    from center_app.services import documents, mailings

    ctx = signed_in_context(db, args, f"mail {args.mail_kind}", "group")
    try:
        chosen = mailings.choose(ctx, mail_filter(ctx, args.filters))
        ids = [r.group_id for r in chosen]
        if args.mail_kind == "letters":
            document = documents.mail_letters_pdf(ctx, args.template, ids, args.addressee)
        elif args.mail_kind == "labels":
            document = documents.mail_labels_pdf(ctx, ids, args.layout, args.start, args.addressee)
        else:
            document = documents.mail_envelopes_pdf(ctx, ids, args.addressee)
    except ValidationError as exc:
        print_problems(exc)
        return 1
    for recipient in document.skipped:
        print(_("Skipped {name} ({number}): {reason}").format(name=recipient.group_name, number=recipient.registration_no or "—",
                                                           reason=recipient.skip_reason), file=sys.stderr)
    if not write_output(args.output, document.pdf):
        return 1
    mailings.record_mailing(ctx, MailKind(document.kind), document.template_name, [r.group_id for r in document.sent])
    count = len(document.sent)
    print(ngettext("Wrote {count} group to {path}.", "Wrote {count} groups to {path}.", count).format(count=count, path=args.output))
    if document.skipped:
        skipped = len(document.skipped)
        print(ngettext("{count} group that cannot be printed was skipped (named above).",
                       "{count} groups that cannot be printed were skipped (named above).", skipped).format(count=skipped))
    return 0
