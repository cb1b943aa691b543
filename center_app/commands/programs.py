"""補助金・協働事業提案 on the command line: a round from its opening to its results.

    center-app grants add-program NAME [--kind subsidy|proposal] --as LOGIN
    center-app grants open-round --program ID --name TEXT --opens DATE --closes DATE --budget YEN [--cap YEN] [--pass-mark N] --as LOGIN
    center-app grants apply --round ID --group REG_NO --project TEXT --amount YEN [--field CODE] [--date DATE] [--document NAME …] --as LOGIN
    center-app grants add-reviewer --round ID NAME [--affiliation TEXT] [--conflict APPLICATION_ID …] --as LOGIN
    center-app grants declare-conflict REVIEWER_ID --application ID [--reason TEXT] --as LOGIN
    center-app grants withdraw-conflict REVIEWER_ID --application ID --as LOGIN
    center-app grants remove-reviewer REVIEWER_ID --as LOGIN
    center-app grants start-review --round ID --as LOGIN
    center-app grants score-template --round ID --output F.xlsx --as LOGIN
    center-app grants import-scores --round ID FILE.xlsx [--replace] --as LOGIN
    center-app grants rank --round ID --as LOGIN
    center-app grants allocate --round ID --as LOGIN
    center-app grants reopen --round ID --reason TEXT --as LOGIN
    center-app grants results --round ID --output F.xlsx|F.pdf [--public] --as LOGIN
    center-app grants letters --round ID --output F.pdf [--application ID …] --as LOGIN
    center-app grants move --application ID --to grant_decided|reported|settled [--spent YEN] --as LOGIN
    center-app grants report-check --application ID --output F.pdf --as LOGIN
    center-app grants figures --year YEAR [--output F.xlsx] --as LOGIN
    center-app grants endorse --kind cohost|support --applicant TEXT (--event ID | --title TEXT [--date DATE]) [--name TEXT] --as LOGIN
    center-app grants endorse-decide ID --approve|--refuse [--conditions TEXT] [--exemption CODE] --as LOGIN
    center-app grants endorse-letter ID --output F.pdf --as LOGIN

Each prints one line of what it did (the new id). ``import-scores`` is all or nothing: every bad
row is named on stderr and nothing is written; sheets already entered are replaced only with
``--replace``. An allocated round is final (its letters may have gone out): no new application,
reviewer, score, ranking or allocation until an administrator runs ``reopen`` with the reason;
a conflict of interest declared by mistake is withdrawn only before the scoring starts, and a
reviewer named by mistake leaves the panel only before ``start-review``;
the letters of the next allocation are numbered 第N号の2. ``apply`` warns when the request is
above the round's cap (the allocation grants at most the cap). ``results`` writes the ranking with each score's
contribution (XLSX), or the public results list (PDF, and XLSX with ``--public``: no reviewer
names). ``letters`` writes the 交付決定通知書 and 不採択通知 of an allocated round; ``move`` takes
an application along its status flow (``--spent``: the actual spending of the 実績報告);
``report-check`` writes the 実績報告 check with the amount to return; ``figures`` the fiscal
year's applications, adoptions, granted and paid yen by program and 活動分野, and the 共催 and
後援 approved. ``endorse`` receives an application for the center's (or ``--name``) name on an
event; ``endorse-decide`` approves it (an event's booking gets ``--exemption`` as its 減免
reason; its flyer shows the name) or refuses it; ``endorse-letter`` writes the letter. Exit status: 0 done; 1 refused (the reasons on stderr, nothing written); 2 bad usage;
3 the role may not (counter staff may only ``apply``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from center_app.commands.common import (add_as_option, date_argument, print_problems, run_action, signed_in_context,
                                        write_output, written_report)
from center_app.db.database import Database
from center_app.domain.errors import ValidationError
from center_app.domain.programs import ProgramKind
from center_app.i18n import _, ngettext


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``grants`` family."""
    family = sub.add_parser("grants", help="補助金・協働事業提案（募集・審査・配分・結果）")
    actions = family.add_subparsers(dest="grants_command", metavar="ACTION")

    def action(name: str, help_text: str, handler) -> argparse.ArgumentParser:
        parser = actions.add_parser(name, help=help_text)
        add_as_option(parser)
        parser.set_defaults(handler=handler)
        return parser

    p = action("add-program", "事業（補助金・協働事業提案）を作る", add_program_handler)
    p.add_argument("name", metavar="NAME")
    p.add_argument("--kind", choices=[k.value for k in ProgramKind], default=ProgramKind.SUBSIDY.value,
                   help="subsidy 補助金 / proposal 協働事業提案")

    p = action("open-round", "募集回を作る（審査項目と集計方法は設定から写す）", open_round_handler)
    p.add_argument("--program", type=int, required=True, metavar="ID")
    p.add_argument("--name", required=True, metavar="TEXT")
    p.add_argument("--opens", type=date_argument, required=True, metavar="DATE", help="受付開始日")
    p.add_argument("--closes", type=date_argument, required=True, metavar="DATE", help="受付終了日（この日まで）")
    p.add_argument("--budget", required=True, metavar="YEN", help="予算額（円）")
    p.add_argument("--cap", metavar="YEN", help="1事業あたりの上限額（省略時は設定の値、0 = 上限なし）")
    p.add_argument("--pass-mark", type=int, default=0, metavar="N", help="採択の最低点（0 = なし）")

    p = action("apply", "申請を受け付ける", apply_handler)
    p.add_argument("--round", dest="round_id", type=int, required=True, metavar="ID")
    p.add_argument("--group", required=True, metavar="REG_NO", help="団体の登録番号")
    p.add_argument("--project", required=True, metavar="TEXT", help="事業名")
    p.add_argument("--amount", required=True, metavar="YEN", help="申請額（円）")
    p.add_argument("--field", type=int, metavar="CODE", help="活動分野の番号（1–20）")
    p.add_argument("--date", type=date_argument, metavar="DATE", help="受付日（省略時は今日）")
    p.add_argument("--document", action="append", default=[], metavar="NAME", help="受け取った書類（申請書、事業計画書、収支予算書…、複数可）")

    p = action("add-reviewer", "審査委員を加える（利益相反のある申請を指定できる）", add_reviewer_handler)
    p.add_argument("--round", dest="round_id", type=int, required=True, metavar="ID")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--affiliation", default="", metavar="TEXT")
    p.add_argument("--conflict", type=int, action="append", default=[], metavar="APPLICATION_ID", help="利益相反のある申請番号")

    p = action("declare-conflict", "審査委員の利益相反を記録する（その申請の審査から外す）", declare_conflict_handler)
    p.add_argument("reviewer_id", type=int, metavar="REVIEWER_ID", help="審査委員の番号（add-reviewer が表示）")
    p.add_argument("--application", dest="application_id", type=int, required=True, metavar="ID", help="申請番号")
    p.add_argument("--reason", default="", metavar="TEXT", help="理由")

    p = action("withdraw-conflict", "誤って記録した利益相反を取り下げる（採点が始まる前のみ）", withdraw_conflict_handler)
    p.add_argument("reviewer_id", type=int, metavar="REVIEWER_ID", help="審査委員の番号（add-reviewer が表示）")
    p.add_argument("--application", dest="application_id", type=int, required=True, metavar="ID", help="申請番号")

    p = action("remove-reviewer", "誤って加えた審査委員を外す（審査が始まる前のみ、利益相反の記録も）", remove_reviewer_handler)
    p.add_argument("reviewer_id", type=int, metavar="REVIEWER_ID", help="審査委員の番号（add-reviewer が表示）")

    p = action("start-review", "受付中の申請を審査に回す", start_review_handler)
    p.add_argument("--round", dest="round_id", type=int, required=True, metavar="ID")

    p = action("score-template", "審査委員が記入する採点表（XLSX）を書き出す", template_handler)
    p.add_argument("--round", dest="round_id", type=int, required=True, metavar="ID")
    p.add_argument("--output", type=Path, required=True, metavar="F.xlsx")

    p = action("import-scores", "採点表（XLSX）を取り込む（1行でも誤りがあれば何も書き込まない）", import_scores_handler)
    p.add_argument("--round", dest="round_id", type=int, required=True, metavar="ID")
    p.add_argument("file", type=Path, metavar="FILE.xlsx")
    p.add_argument("--replace", action="store_true", help="取り込み済みの採点を置き換える")

    p = action("rank", "採点から順位を付ける", rank_handler)
    p.add_argument("--round", dest="round_id", type=int, required=True, metavar="ID")

    p = action("allocate", "順位に従って予算を配分する（採択・不採択）", allocate_handler)
    p.add_argument("--round", dest="round_id", type=int, required=True, metavar="ID")

    p = action("reopen", "配分済みの募集回を審査に戻す（管理者のみ、理由を記録）", reopen_handler)
    p.add_argument("--round", dest="round_id", type=int, required=True, metavar="ID")
    p.add_argument("--reason", required=True, metavar="TEXT", help="審査に戻す理由（操作履歴に残る）")

    p = action("results", "審査結果を XLSX または PDF（公表用）に書き出す", results_handler)
    p.add_argument("--round", dest="round_id", type=int, required=True, metavar="ID")
    p.add_argument("--output", type=Path, required=True, metavar="F.xlsx|F.pdf")
    p.add_argument("--public", action="store_true", help="公表用（審査委員名なし）の XLSX")

    p = action("letters", "交付決定通知書・不採択通知を PDF に書き出す", letters_handler)
    p.add_argument("--round", dest="round_id", type=int, required=True, metavar="ID")
    p.add_argument("--output", type=Path, required=True, metavar="F.pdf")
    p.add_argument("--application", type=int, action="append", metavar="ID", help="この申請の通知だけ（複数可）")

    p = action("move", "申請の状態を進める（交付決定・実績報告・確定）", move_handler)
    p.add_argument("--application", type=int, required=True, metavar="ID")
    p.add_argument("--to", required=True, choices=["in_review", "grant_decided", "reported", "settled"])
    p.add_argument("--spent", metavar="YEN", help="実績額（実績報告のとき）")

    p = action("figures", "年度の補助金の件数・交付額・支払額（事業・活動分野別）", figures_handler)
    p.add_argument("--year", type=int, required=True, metavar="YEAR", help="年度（2026 = 令和8年度）")
    p.add_argument("--output", type=Path, metavar="F.xlsx", help="XLSX（または CSV）に書き出す")

    p = action("endorse", "共催・後援の申請を受け付ける", endorse_handler)
    p.add_argument("--kind", required=True, choices=["cohost", "support"], help="cohost 共催 / support 後援")
    p.add_argument("--applicant", required=True, metavar="TEXT", help="申請者（団体名）")
    p.add_argument("--event", type=int, metavar="ID", help="イベント番号（チラシに名義が載る）")
    p.add_argument("--title", default="", metavar="TEXT", help="行事名（--event がないとき）")
    p.add_argument("--date", type=date_argument, metavar="DATE", help="開催日")
    p.add_argument("--name", default="", metavar="TEXT", help="使用する名義（省略時はセンター名）")
    p.add_argument("--place", default="", metavar="TEXT", help="会場")
    p.add_argument("--request", default="", metavar="TEXT", help="依頼の内容（チラシへの名義掲載など）")

    p = action("endorse-decide", "共催・後援を承認・不承認にする", endorse_decide_handler)
    p.add_argument("endorsement", type=int, metavar="ID")
    decision = p.add_mutually_exclusive_group(required=True)
    decision.add_argument("--approve", action="store_true")
    decision.add_argument("--refuse", action="store_true")
    p.add_argument("--conditions", default="", metavar="TEXT", help="承認の条件")
    p.add_argument("--exemption", default="", metavar="CODE", help="イベントの予約に付ける減免理由のコード")
    p.add_argument("--reason", default="", metavar="TEXT", help="不承認の理由（--refuse のとき必須。通知書に載る）")

    p = action("endorse-letter", "共催・後援の承認（不承認）通知書を PDF に書き出す", endorse_letter_handler)
    p.add_argument("endorsement", type=int, metavar="ID")
    p.add_argument("--output", type=Path, required=True, metavar="F.pdf")

    p = action("report-check", "実績報告の確認（返還額）を PDF に書き出す", report_check_handler)
    p.add_argument("--application", type=int, required=True, metavar="ID")
    p.add_argument("--output", type=Path, required=True, metavar="F.pdf")


def _refused(error: ValidationError) -> int:
    print_problems(error)
    return 1


def add_program_handler(args: argparse.Namespace, db: Database) -> int:
    """Create the program; print its id."""
    from center_app.services import programs

    return run_action(db, args, "grants add-program", "grant_round", lambda ctx: programs.create_program(ctx, args.name, args.kind),
                      lambda program: print(_("Program {id}: {name}").format(id=program.id, name=program.name)))


def open_round_handler(args: argparse.Namespace, db: Database) -> int:
    """Open the round; print its id, budget and cap."""
    from center_app.services import programs

    return run_action(db, args, "grants open-round", "grant_round",
                      lambda ctx: programs.open_round(ctx, args.program, args.name, args.opens, args.closes, args.budget, args.cap, args.pass_mark),
                      lambda view: print(_("Round {id}: {name}, budget {budget} yen, cap {cap} yen").format(
                          id=view.id, name=view.name, budget=f"{view.budget_yen:,}", cap=f"{view.cap_yen:,}")))


def apply_handler(args: argparse.Namespace, db: Database) -> int:
    """Receive the application of the group with the registration number; print its id."""
    from center_app.services import groups, programs, programs_queries

    def receive(ctx):
        group = groups.find_group_by_number(ctx, args.group)
        if group is None:
            raise ValidationError(_("There is no group with the registration number {number}.").format(number=args.group), "group")
        view = programs.receive_application(ctx, args.round_id, programs.ApplicationInput(
            group.id, args.project, args.amount, field_code=args.field, documents={name: True for name in args.document}),
            received_on=args.date)
        return view, programs_queries.get_round(ctx, args.round_id)

    def report(received) -> None:
        view, round_view = received
        print(_("Application {id}: {group}, {project}, {amount} yen").format(
            id=view.id, group=view.group_name, project=view.project_title, amount=f"{view.requested_yen:,}"))
        if round_view.cap_yen and view.requested_yen > round_view.cap_yen:
            print(_("Note: the request of {amount} yen is above the cap of {cap} yen per project; the allocation grants at most {cap} yen.")
                  .format(amount=f"{view.requested_yen:,}", cap=f"{round_view.cap_yen:,}"), file=sys.stderr)

    return run_action(db, args, "grants apply", "grant_round", receive, report)


def add_reviewer_handler(args: argparse.Namespace, db: Database) -> int:
    """Add the reviewer and their conflicts; print the reviewer's id."""
    from center_app.services import programs_panel

    return run_action(db, args, "grants add-reviewer", "grant_round",
                      lambda ctx: programs_panel.add_reviewer(ctx, args.round_id, args.name, args.affiliation, conflicts=args.conflict),
                      lambda reviewer: print(_("Reviewer {id}: {name}").format(id=reviewer.id, name=reviewer.name)))


def declare_conflict_handler(args: argparse.Namespace, db: Database) -> int:
    """Record the reviewer's conflict of interest with the application; print what was recorded."""
    from center_app.services import programs_panel

    return run_action(db, args, "grants declare-conflict", "grant_conflict",
                      lambda ctx: programs_panel.declare_conflict(ctx, args.reviewer_id, args.application_id, args.reason),
                      lambda new: print((_("Reviewer {id}: conflict of interest with application {application} recorded.") if new else
                                         _("Reviewer {id}: a conflict of interest with application {application} was declared already; "
                                           "nothing changed.")).format(id=args.reviewer_id, application=args.application_id)))


def withdraw_conflict_handler(args: argparse.Namespace, db: Database) -> int:
    """Withdraw the reviewer's declared conflict with the application; print what was withdrawn."""
    from center_app.services import programs_panel

    return run_action(db, args, "grants withdraw-conflict", "grant_conflict",
                      lambda ctx: programs_panel.withdraw_conflict(ctx, args.reviewer_id, args.application_id),
                      lambda _none: print(_("Reviewer {id}: conflict of interest with application {application} withdrawn.").format(
                          id=args.reviewer_id, application=args.application_id)))


def remove_reviewer_handler(args: argparse.Namespace, db: Database) -> int:
    """Take the reviewer (and their declared conflicts) off the panel; print who left."""
    from center_app.services import programs_panel

    return run_action(db, args, "grants remove-reviewer", "grant_reviewer",
                      lambda ctx: programs_panel.remove_reviewer(ctx, args.reviewer_id),
                      lambda _none: print(_("Reviewer {id} left the panel.").format(id=args.reviewer_id)))


def start_review_handler(args: argparse.Namespace, db: Database) -> int:
    """Move the received applications to 審査; print how many."""
    from center_app.services import programs

    return run_action(db, args, "grants start-review", "grant_round", lambda ctx: programs.start_review(ctx, args.round_id),
                      lambda count: print(_("{count} applications are in review.").format(count=count)))


def template_handler(args: argparse.Namespace, db: Database) -> int:
    """Write the score sheet the reviewers fill in."""
    from center_app.services import review

    return run_action(db, args, "grants template", "grant_round", lambda ctx: review.write_score_template(ctx, args.round_id, args.output),
                      lambda count: print(_("Wrote {count} score rows to {path}.").format(count=count, path=args.output)))


def import_scores_handler(args: argparse.Namespace, db: Database) -> int:
    """Import the score sheets, all or nothing; print how many."""
    from center_app.services import review

    def refused(error: ValidationError) -> None:
        for problem in error.problems:  # each message names its row already (「2行目: …」)
            print(problem.message, file=sys.stderr)
        if any(p.row is not None for p in error.problems):
            count = len(error.problems)
            print(ngettext("Nothing was imported: {count} problem.", "Nothing was imported: {count} problems.", count).format(
                count=count), file=sys.stderr)

    return run_action(db, args, "grants import-scores", "grant_round",
                      lambda ctx: review.import_scores(ctx, args.round_id, args.file, replace=args.replace),
                      lambda count: print(_("Imported {count} score sheets.").format(count=count)), refusal=refused)


def _print_results(results) -> None:
    for row in results.rows:
        tie = _(" (tied with {ids})").format(ids=", ".join(str(i) for i in row.tied_with)) if row.tied_with else ""
        granted = "" if row.granted_yen is None else f"  {row.granted_yen:,}"
        print(f"{row.rank or '-'}\t{row.score_text}\t{row.application_id}\t{row.group_name}\t{row.project_title}{tie}{granted}")


def rank_handler(args: argparse.Namespace, db: Database) -> int:
    """Rank the round; print the ranking (rank, score, application, group, project, ties)."""
    from center_app.services import review

    return run_action(db, args, "grants rank", "grant_round", lambda ctx: review.rank_round(ctx, args.round_id), _print_results)


def allocate_handler(args: argparse.Namespace, db: Database) -> int:
    """Allocate the budget; print the ranking with the amounts and the total."""
    from center_app.services import review

    def report(results) -> None:
        _print_results(results)
        print(_("Granted {total} yen of the budget of {budget} yen.").format(
            total=f"{results.granted_total_yen:,}", budget=f"{results.budget_yen:,}"))

    return run_action(db, args, "grants allocate", "grant_round", lambda ctx: review.allocate_round(ctx, args.round_id), report)


def reopen_handler(args: argparse.Namespace, db: Database) -> int:
    """Reopen the allocated round (administrators); print it."""
    from center_app.services import programs

    return run_action(db, args, "grants reopen", "grant_round", lambda ctx: programs.reopen_round(ctx, args.round_id, args.reason),
                      lambda view: print(_("Round {id}: {name} is back in review; rank and allocate it again.").format(
                          id=view.id, name=view.name)))


def letters_handler(args: argparse.Namespace, db: Database) -> int:
    """Write the letters of the allocated round."""
    from center_app.services import documents

    return run_action(db, args, "grants letters", "grant_round", lambda ctx: documents.grant_letters_pdf(ctx, args.round_id, args.application),
                      written_report(args.output, _("Wrote the letters to {path}.").format(path=args.output)))


def move_handler(args: argparse.Namespace, db: Database) -> int:
    """Move the application to the status; print it."""
    from center_app.services import programs

    return run_action(db, args, "grants move", "grant_round",
                      lambda ctx: programs.move_application(ctx, args.application, args.to, actual_spend_yen=args.spent),
                      lambda view: print(_("Application {id}: {status}").format(id=view.id, status=view.status.label)))


def report_check_handler(args: argparse.Namespace, db: Database) -> int:
    """Write the 実績報告 check of the application."""
    from center_app.services import documents

    return run_action(db, args, "grants report-check", "grant_round", lambda ctx: documents.grant_report_check_pdf(ctx, args.application),
                      written_report(args.output, _("Wrote the results report check to {path}.").format(path=args.output)))


def results_handler(args: argparse.Namespace, db: Database) -> int:
    """Write the results: XLSX (with each score's contribution, or ``--public``) or the public PDF."""
    from center_app.services import documents, review

    ctx = signed_in_context(db, args, "grants results", "grant_round")
    suffix = args.output.suffix.lower()
    try:
        if suffix == ".pdf":
            if not write_output(args.output, documents.grant_results_pdf(ctx, args.round_id)):
                return 1
        elif suffix == ".xlsx":
            review.write_results(ctx, args.round_id, args.output, public=args.public)
        else:
            print(_("Use a .xlsx or .pdf file."), file=sys.stderr)
            return 2
    except ValidationError as exc:
        return _refused(exc)
    print(_("Wrote the results to {path}.").format(path=args.output))
    return 0


def figures_handler(args: argparse.Namespace, db: Database) -> int:
    """Print (or write) the fiscal year's figures by program and 活動分野."""
    from center_app.services import programs_figures
    from center_app.services.group_files import write_table

    ctx = signed_in_context(db, args, "grants figures", "grant_round")
    figures = programs_figures.fiscal_year_figures(ctx, args.year)
    rows = [[f.program_name, f.field_name, f.applications, f.adopted, f.granted_yen, f.paid_yen] for f in figures]
    headers = ["事業", "活動分野", "申請件数", "採択件数", "交付決定額", "支払額"]
    if args.output is not None:
        try:
            write_table(args.output, rows, headers=headers, sheet_name="補助金")
        except ValidationError as exc:
            return _refused(exc)
        print(_("Wrote the results to {path}.").format(path=args.output))
        return 0
    print("\t".join(headers))
    for row in rows:
        print("\t".join(f"{v:,}" if isinstance(v, int) else v for v in row))
    from center_app.services import endorsements

    counts = endorsements.approved_counts(ctx, args.year)
    print(_("Co-hosting approved: {cohost}; support approved: {support}").format(
        cohost=counts[endorsements.EndorsementKind.COHOST], support=counts[endorsements.EndorsementKind.SUPPORT]))
    return 0


def endorse_handler(args: argparse.Namespace, db: Database) -> int:
    """Receive the application; print its id."""
    from center_app.services import endorsements

    return run_action(db, args, "grants endorse", "grant_round",
                      lambda ctx: endorsements.apply_endorsement(ctx, args.kind, args.applicant, event_id=args.event, event_title=args.title,
                                                                 event_date=args.date, name_lent=args.name, event_place=args.place,
                                                                 request=args.request),
                      lambda view: print(_("Endorsement {id}: {kind} {name}, {title}").format(
                          id=view.id, kind=view.kind.label, name=view.name_lent, title=view.event_title)))


def endorse_decide_handler(args: argparse.Namespace, db: Database) -> int:
    """Approve or refuse; print the decision."""
    from center_app.services import endorsements

    return run_action(db, args, "grants endorse-decide", "grant_round",
                      lambda ctx: endorsements.decide_endorsement(ctx, args.endorsement, args.approve, conditions=args.conditions,
                                                                  exemption_code=args.exemption, reason=args.reason),
                      lambda view: print(_("Endorsement {id}: {status}").format(id=view.id, status=view.status.label)))


def endorse_letter_handler(args: argparse.Namespace, db: Database) -> int:
    """Write the letter of the decision."""
    from center_app.services import documents

    return run_action(db, args, "grants endorse-letter", "grant_round", lambda ctx: documents.endorsement_letter_pdf(ctx, args.endorsement),
                      written_report(args.output, _("Wrote the letters to {path}.").format(path=args.output)))
