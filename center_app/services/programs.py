"""補助金・協働事業提案: programs, rounds, applications and their status flow, and reopening an
allocated round. The programs, rounds and applications as read are in
:mod:`center_app.services.programs_queries`; the review panel and its declared conflicts of
interest are in :mod:`center_app.services.programs_panel`, the fiscal-year figures in
:mod:`center_app.services.programs_figures` and what they share in
:mod:`center_app.services.programs_base`; the scores, the ranking and the
allocation are in :mod:`center_app.services.review`.

Who may do what (decided here, docs/architecture.md §1): administrators and coordinators run the
programs — open rounds, name the panel, record conflicts, move applications; counter staff may
receive an application at the counter (and read the lists). Every change is audited.

Amounts are whole yen; dates are local dates (``clock.today()``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from center_app.db.groups import Group
from center_app.db.programs import GrantApplication, GrantProgram, GrantReviewer, GrantRound
from center_app.domain import center_settings as spec
from center_app.domain import clock
from center_app.domain.errors import FieldProblem, ValidationError
from center_app.domain.fiscal import fiscal_year_of
from center_app.domain.normalize import clean_text
from center_app.domain.programs import NEXT_STATUSES, ApplicationStatus, ProgramKind, eligibility_problems
from center_app.domain.review import parse_criteria
from center_app.domain.roles import Role
from center_app.domain.wareki import format_day
from center_app.i18n import _
from center_app.services import audit
from center_app.services import center_settings as settings
from center_app.services.context import ServiceContext
from center_app.services.editing import lock, lock_for_edit
from center_app.services.programs_base import DECIDERS, RECEIVERS, check_not_allocated, find_round, parse_yen, review_started
from center_app.services.programs_queries import ApplicationView, ProgramView, RoundView, _application, _program, _round



@dataclass(frozen=True)
class ApplicationInput:
    """The application form: the group, the project, its 活動分野 code (optional), budget lines
    (item, yen), the requested amount (yen) and the documents received (name → received)."""

    group_id: int
    project_title: str
    requested_yen: int | str
    field_code: int | None = None
    budget_lines: Sequence[tuple[str, int | str]] = ()
    documents: Mapping[str, bool] = field(default_factory=dict)


def _snapshot(row: GrantApplication) -> dict:
    return {"round_id": row.round_id, "group_id": row.group_id, "project_title": row.project_title, "field_code": row.field_code,
            "budget_lines": row.budget_lines, "requested_yen": row.requested_yen, "documents": row.documents,
            "status": row.status, "granted_yen": row.granted_yen, "actual_spend_yen": row.actual_spend_yen}


def create_program(ctx: ServiceContext, name: str, kind: ProgramKind | str, description: str = "") -> ProgramView:
    """A new program (補助金 / 協働事業提案). Raises :class:`ValidationError` for an empty or
    repeated name."""
    user = ctx.require(*DECIDERS)
    name = clean_text(name)
    if not name or len(name) > 200:
        raise ValidationError(_("Program name: enter 1 to 200 characters."), "name")
    kind = ProgramKind(kind)
    with ctx.db.write() as session:
        if session.scalar(select(GrantProgram.id).where(GrantProgram.name == name)) is not None:
            raise ValidationError(_("A program named {name} exists already.").format(name=name), "name")
        row = GrantProgram(name=name, kind=kind.value, description=clean_text(description))
        session.add(row)
        session.flush()
        audit.record(session, user, "grant_program", row.id, "create", None, {"name": name, "kind": kind.value})
        return _program(row)


def _round_values(session: Session, name: str, opens_on: dt.date, closes_on: dt.date, budget_yen: int | str,
                  cap_yen: int | str | None) -> dict:
    """The checked fields of the round form (None cap: 設定's cap). Raises :class:`ValidationError`
    with every problem."""
    name = clean_text(name)
    problems: list[FieldProblem] = []
    if not name or len(name) > 200:
        problems.append(FieldProblem("name", _("Round name: enter 1 to 200 characters.")))
    if closes_on < opens_on:
        problems.append(FieldProblem("closes_on", _("The application window closes before it opens.")))
    values: dict = {"name": name, "opens_on": opens_on, "closes_on": closes_on}
    try:
        values["budget_yen"] = parse_yen(budget_yen, "budget_yen", _("Budget"), minimum=1)
    except ValidationError as error:
        problems.extend(error.problems)
    try:
        values["cap_yen"] = (settings.get(session, spec.GRANT_CAP_YEN) if cap_yen is None
                             else parse_yen(cap_yen, "cap_yen", _("Cap per project")))
    except ValidationError as error:
        problems.extend(error.problems)
    if not problems and values["cap_yen"] and values["cap_yen"] > values["budget_yen"]:
        problems.append(FieldProblem("cap_yen", _("The cap per project ({cap} yen) is more than the budget ({budget} yen).").format(
            cap=f"{values['cap_yen']:,}", budget=f"{values['budget_yen']:,}")))
    if problems:
        raise ValidationError(problems)
    return values


def open_round(ctx: ServiceContext, program_id: int, name: str, opens_on: dt.date, closes_on: dt.date, budget_yen: int | str,
               cap_yen: int | str | None = None, pass_mark: int = 0) -> RoundView:
    """A new round of ``program_id``: the window ``opens_on`` … ``closes_on`` (inclusive), the
    budget, the cap per project (None: 設定's cap) and the pass mark. The criteria and the
    aggregation rule are copied from 設定 → 補助金・協働 now. Raises :class:`ValidationError`."""
    user = ctx.require(*DECIDERS)
    with ctx.db.write() as session:
        values = _round_values(session, name, opens_on, closes_on, budget_yen, cap_yen)
        name, budget, cap = values["name"], values["budget_yen"], values["cap_yen"]
        rules = settings.get_many(session, [spec.REVIEW_CRITERIA, spec.REVIEW_AGGREGATION])
        highest = sum(c.max_points * c.weight for c in parse_criteria(rules[spec.REVIEW_CRITERIA.key]))
        if not 0 <= int(pass_mark) <= highest:
            raise ValidationError(_("Pass mark: enter a whole number from 0 to {max}, the highest score the criteria give.").format(
                max=highest), "pass_mark")
        program = lock(session, GrantProgram, program_id)
        if program is None:
            raise ValidationError(_("There is no program {id}.").format(id=program_id), "program_id")
        if session.scalar(select(GrantRound.id).where(GrantRound.program_id == program_id, GrantRound.name == name)):
            raise ValidationError(_("{program} has a round named {name} already.").format(program=program.name, name=name), "name")
        row = GrantRound(program_id=program_id, name=name, fiscal_year=fiscal_year_of(opens_on), opens_on=opens_on,
                         closes_on=closes_on, budget_yen=budget, cap_yen=cap, pass_mark=max(0, int(pass_mark)),
                         criteria_text=rules[spec.REVIEW_CRITERIA.key], aggregation=rules[spec.REVIEW_AGGREGATION.key])
        session.add(row)
        session.flush()
        audit.record(session, user, "grant_round", row.id, "create", None, {
            "program_id": program_id, "name": name, "opens_on": opens_on, "closes_on": closes_on, "budget_yen": budget,
            "cap_yen": cap, "criteria": row.criteria_text, "aggregation": row.aggregation})
        return _round(session, row)


def update_round(ctx: ServiceContext, round_id: int, name: str, opens_on: dt.date, closes_on: dt.date, budget_yen: int | str,
                 cap_yen: int | str, *, expected_version: int | None) -> RoundView:
    """Save a changed round form — name, window, budget and cap (yen) — with the edit pattern
    (lock, compare ``expected_version``, check). Only while none of its applications is past 受付
    (once the review started, the rules of the round are fixed). The criteria and the
    aggregation rule stay as copied at opening. Raises :class:`ValidationError`,
    :class:`StaleEditError`."""
    user = ctx.require(*DECIDERS)
    with ctx.db.write() as session:
        row = lock_for_edit(session, GrantRound, round_id, entity="grant_round",
                            missing=_("This round no longer exists. Reload the list."), expected_version=expected_version)
        values = _round_values(session, name, opens_on, closes_on, budget_yen, cap_yen)
        if session.scalar(select(GrantApplication.id).where(GrantApplication.round_id == round_id,
                                                            GrantApplication.status != ApplicationStatus.RECEIVED.value)):
            raise ValidationError(_("The round can be changed only while none of its applications is past received."))
        if session.scalar(select(GrantRound.id).where(GrantRound.program_id == row.program_id, GrantRound.name == values["name"],
                                                      GrantRound.id != round_id)):
            raise ValidationError(_("This program has a round named {name} already.").format(name=values["name"]), "name")
        before = {key: getattr(row, key) for key in values}
        for key, value in values.items():
            setattr(row, key, value)
        row.fiscal_year = fiscal_year_of(row.opens_on)
        session.flush()
        old, new = audit.changes(before, values)
        if new:
            audit.record(session, user, "grant_round", row.id, "update", old, new)
        return _round(session, row)


def _clean_application(session: Session, data: ApplicationInput) -> dict:
    problems: list[FieldProblem] = []
    title = clean_text(data.project_title)
    if not title or len(title) > 200:
        problems.append(FieldProblem("project_title", _("Project: enter 1 to 200 characters.")))
    requested = None
    try:
        requested = parse_yen(data.requested_yen, "requested_yen", _("Requested amount"), minimum=1)
    except ValidationError as error:
        problems.extend(error.problems)
    lines = []
    for number, (item, amount) in enumerate(data.budget_lines, start=1):
        item = clean_text(item)
        try:
            value = parse_yen(amount, "budget_lines", _("Budget line {n}").format(n=number))
        except ValidationError as error:
            problems.extend(error.problems)
            continue
        if not item:
            problems.append(FieldProblem("budget_lines", _("Budget line {n}: enter what it is for.").format(n=number)))
            continue
        lines.append({"item": item, "amount_yen": value})
    if lines and requested is not None and requested > sum(line["amount_yen"] for line in lines):
        problems.append(FieldProblem("requested_yen", _(
            "The requested amount ({requested} yen) is more than the budget lines add up to ({total} yen).").format(
            requested=f"{requested:,}", total=f"{sum(line['amount_yen'] for line in lines):,}")))
    if session.get(Group, data.group_id) is None:
        problems.append(FieldProblem("group_id", _("Choose the applying group.")))
    if problems:
        raise ValidationError(problems)
    documents = {clean_text(name): bool(received) for name, received in data.documents.items() if clean_text(name)}
    return {"group_id": data.group_id, "project_title": title, "field_code": data.field_code, "budget_lines": lines,
            "requested_yen": requested, "documents": documents}


def receive_application(ctx: ServiceContext, round_id: int, data: ApplicationInput, *, received_on: dt.date | None = None) -> ApplicationView:
    """Receive an application (受付) on ``received_on`` (today by default). Refused with
    :class:`ValidationError` — nothing written — outside the round's window, for a group that
    fails the eligibility of 設定 (registered, years active), for a second application of the
    group in the round, for a day after today, once the review has started (an application left
    its 受付 or a score sheet exists) or the round is allocated, and for bad fields."""
    user = ctx.require(*RECEIVERS)
    day = received_on or clock.today()
    with ctx.db.write() as session:
        round_row = find_round(session, round_id, for_update=True)
        values = _clean_application(session, data)
        if not round_row.opens_on <= day <= round_row.closes_on:
            raise ValidationError(_("Applications to {round} are received from {start} to {end}; {day} is outside the window.").format(
                round=round_row.name, start=format_day(round_row.opens_on), end=format_day(round_row.closes_on), day=format_day(day)),
                "received_on")
        if day > clock.today():
            raise ValidationError(_("An application cannot be received on a future day ({date}).").format(date=format_day(day)),
                                  "received_on")
        check_not_allocated(round_row)
        if review_started(session, round_id):
            raise ValidationError(_(
                "The review of {round} has started: a new application can no longer be received (the score sheets and the "
                "ranking would leave it out).").format(round=round_row.name), "round_id")
        group = session.get(Group, data.group_id)
        rules = settings.get_many(session, [spec.GRANT_REGISTERED_ONLY, spec.GRANT_MIN_YEARS])
        refusals = eligibility_problems(registered=group.status == "registered", since=group.founded_on or group.registered_on, on=day,
                                        registered_only=rules[spec.GRANT_REGISTERED_ONLY.key],
                                        min_years=rules[spec.GRANT_MIN_YEARS.key], valid_until=group.valid_until)
        if refusals:
            raise ValidationError([FieldProblem("group_id", f"{group.name}: {text}") for text in refusals])
        if session.scalar(select(GrantApplication.id).where(GrantApplication.round_id == round_id,
                                                            GrantApplication.group_id == data.group_id)):
            raise ValidationError(_("{group} has applied to this round already.").format(group=group.name), "group_id")
        row = GrantApplication(round_id=round_id, received_on=day, status=ApplicationStatus.RECEIVED.value, **values)
        session.add(row)
        session.flush()
        audit.record(session, user, "grant_application", row.id, "create", None, _snapshot(row))
        return _application(session, row)


def update_application(ctx: ServiceContext, application_id: int, data: ApplicationInput, *, expected_version: int | None) -> ApplicationView:
    """Save a changed application form (the edit pattern: lock, compare ``expected_version``,
    check). Only while it is 受付; the group cannot change. Raises :class:`ValidationError`,
    :class:`StaleEditError`."""
    user = ctx.require(*RECEIVERS)
    with ctx.db.write() as session:
        row = lock_for_edit(session, GrantApplication, application_id, entity="grant_application",
                            missing=_("This application no longer exists. Reload the list."), expected_version=expected_version)
        if row.status != ApplicationStatus.RECEIVED.value:
            raise ValidationError(_("An application can be changed only while it is received, not in review or later."))
        if data.group_id != row.group_id:
            raise ValidationError(_("The applying group cannot be changed; receive a new application instead."), "group_id")
        values = _clean_application(session, data)
        before = _snapshot(row)
        for key, value in values.items():
            setattr(row, key, value)
        session.flush()
        old, new = audit.changes(before, _snapshot(row))
        if new:
            audit.record(session, user, "grant_application", row.id, "update", old, new)
        return _application(session, row)


def move_application(ctx: ServiceContext, application_id: int, status: ApplicationStatus | str, *,
                     actual_spend_yen: int | str | None = None, expected_version: int | None = None) -> ApplicationView:
    """Move an application along 受付 → 審査 → 採択 / 不採択 → 交付決定 → 実績報告 → 確定.

    A step not in :data:`NEXT_STATUSES` is refused; 採択 needs a granted amount (the allocation);
    実績報告 needs ``actual_spend_yen``. 採択 and 不採択 are normally written by the allocation
    (:func:`center_app.services.review.allocate_round`). ``expected_version`` (the screen's): a
    stale view is refused. Raises :class:`ValidationError`, :class:`StaleEditError`."""
    user = ctx.require(*DECIDERS)
    target = ApplicationStatus(status)
    with ctx.db.write() as session:
        row = lock_for_edit(session, GrantApplication, application_id, entity="grant_application",
                            missing=_("This application no longer exists. Reload the list."), expected_version=expected_version)
        current = ApplicationStatus(row.status)
        if target not in NEXT_STATUSES[current]:
            raise ValidationError(_("An application that is {current} cannot become {target}.").format(
                current=current.label, target=target.label), "status")
        before = _snapshot(row)
        if target is ApplicationStatus.ADOPTED and not row.granted_yen:
            raise ValidationError(_("Allocate the round first: this application has no granted amount."), "status")
        if target is ApplicationStatus.GRANT_DECIDED:
            row.decided_on = clock.today()
        if target is ApplicationStatus.REPORTED:
            if actual_spend_yen is None:
                raise ValidationError(_("Enter the actual spending of the results report."), "actual_spend_yen")
            row.actual_spend_yen = parse_yen(actual_spend_yen, "actual_spend_yen", _("Actual spending"))
            row.reported_on = clock.today()
        row.status = target.value
        session.flush()
        old, new = audit.changes(before, _snapshot(row))
        audit.record(session, user, "grant_application", row.id, "status", old, new)
        return _application(session, row)


def start_review(ctx: ServiceContext, round_id: int) -> int:
    """Move every received application of the round to 審査 (the window need not have
    closed); returns how many moved. Refused (:class:`ValidationError`) while the round has no
    reviewers. Audited per application."""
    user = ctx.require(*DECIDERS)
    with ctx.db.write() as session:
        round_row = find_round(session, round_id, for_update=True)
        if session.scalar(select(GrantReviewer.id).where(GrantReviewer.round_id == round_id).limit(1)) is None:
            raise ValidationError(_("{round} has no reviewers yet: name the panel before the review starts.").format(
                round=round_row.name), "round_id")
        rows = list(session.scalars(select(GrantApplication).where(
            GrantApplication.round_id == round_id, GrantApplication.status == ApplicationStatus.RECEIVED.value).with_for_update()))
        for row in rows:
            row.status = ApplicationStatus.IN_REVIEW.value
            audit.record(session, user, "grant_application", row.id, "status", {"status": "received"}, {"status": "in_review"})
        return len(rows)

def reopen_round(ctx: ServiceContext, round_id: int, reason: str) -> RoundView:
    """Reopen an allocated round (administrators only) so that its scores, ranking and allocation
    can be redone: every 採択 / 不採択 goes back to 審査 without a granted amount and the round to
    open; the reason is audited with the decisions it undoes. The letters of the next
    allocation are numbered with the count of reopenings (第12号の2), so a number already sent
    keeps its decision. Raises :class:`ValidationError` — nothing written — without a reason,
    for a round that is not allocated, and once a grant of it is decided (交付決定 or later)."""
    user = ctx.require(Role.ADMIN)
    reason = clean_text(reason)
    if not reason or len(reason) > 200:
        raise ValidationError(_("Reason for reopening: enter 1 to 200 characters."), "reason")
    with ctx.db.write() as session:
        round_row = find_round(session, round_id, for_update=True)
        if round_row.stage != "allocated":
            raise ValidationError(_("{round} is not allocated: there is nothing to reopen.").format(round=round_row.name))
        rows = list(session.scalars(select(GrantApplication).where(GrantApplication.round_id == round_id)
                                    .order_by(GrantApplication.id).with_for_update()))
        decided = [row.id for row in rows if row.status not in (ApplicationStatus.ADOPTED.value, ApplicationStatus.REJECTED.value,
                                                                ApplicationStatus.IN_REVIEW.value, ApplicationStatus.RECEIVED.value)]
        if decided:
            raise ValidationError(_("Grants of {round} have been decided already (application {ids}); the round cannot be reopened.")
                                  .format(round=round_row.name, ids="、".join(map(str, decided))))
        undone = []
        for row in rows:
            if row.status in (ApplicationStatus.ADOPTED.value, ApplicationStatus.REJECTED.value):
                undone.append([row.id, row.status, row.granted_yen])
                row.status, row.granted_yen = ApplicationStatus.IN_REVIEW.value, None
        round_row.stage = "open"
        round_row.reopen_count = (round_row.reopen_count or 0) + 1
        audit.record(session, user, "grant_round", round_id, "reopen", {"stage": "allocated", "decisions": undone},
                     {"stage": "open", "reopen_count": round_row.reopen_count}, note=reason)
        session.flush()
        return _round(session, round_row)
