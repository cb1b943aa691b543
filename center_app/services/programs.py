"""補助金・協働事業提案: programs, rounds, applications and their status flow, the review panel
and declared conflicts of interest. The scores, the ranking and the allocation are in
:mod:`center_app.services.review`.

Who may do what (decided here, docs/architecture.md §1): administrators and coordinators run the
programs — open rounds, name the panel, record conflicts, move applications; counter staff may
receive an application at the counter (and read the lists). Every change is audited.

Amounts are whole yen; dates are local dates (``clock.today()``).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from center_app.db.groups import Group
from center_app.db.programs import GrantApplication, GrantConflict, GrantProgram, GrantReviewer, GrantRound, GrantScore
from center_app.domain import center_settings as spec
from center_app.domain import clock
from center_app.domain.errors import FieldProblem, ValidationError
from center_app.domain.fiscal import fiscal_year_of
from center_app.domain.normalize import clean_text
from center_app.domain.programs import NEXT_STATUSES, ApplicationStatus, ProgramKind, eligibility_problems
from center_app.domain.review import Aggregation, parse_criteria
from center_app.domain.roles import Role
from center_app.domain.wareki import format_day
from center_app.i18n import _
from center_app.services import audit
from center_app.services import center_settings as settings
from center_app.services.context import ServiceContext
from center_app.services.editing import lock, lock_for_edit

#: Roles that run the programs (rounds, panel, conflicts, scores, decisions).
DECIDERS = (Role.ADMIN, Role.COORDINATOR)
#: Roles that may receive an application.
RECEIVERS = (Role.ADMIN, Role.COORDINATOR, Role.COUNTER)
#: The largest amount accepted anywhere in a program (yen).
MAX_YEN = 99_999_999


@dataclass(frozen=True)
class ProgramView:
    """A program: id, name, kind (:class:`ProgramKind`), version."""

    id: int
    name: str
    kind: ProgramKind
    version: int


@dataclass(frozen=True)
class RoundView:
    """A round: window (inclusive dates), budget and cap (yen; cap 0 = none), pass mark, the
    criteria and rule it was opened with, and ``stage`` (open / ranked / allocated)."""

    id: int
    program_id: int
    program_name: str
    name: str
    fiscal_year: int
    opens_on: dt.date
    closes_on: dt.date
    budget_yen: int
    cap_yen: int
    pass_mark: int
    criteria_text: str
    aggregation: Aggregation
    stage: str
    version: int


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


@dataclass(frozen=True)
class ApplicationView:
    """A stored application with its group's name, status and what the review wrote."""

    id: int
    round_id: int
    group_id: int
    group_name: str
    project_title: str
    field_code: int | None
    budget_lines: tuple[tuple[str, int], ...]
    requested_yen: int
    documents: tuple[tuple[str, bool], ...]
    received_on: dt.date
    status: ApplicationStatus
    score_text: str
    rank: int | None
    granted_yen: int | None
    actual_spend_yen: int | None
    version: int


@dataclass(frozen=True)
class ReviewerView:
    """A member of the panel and the applications they declared a conflict with."""

    id: int
    round_id: int
    name: str
    affiliation: str
    conflicts: tuple[int, ...]
    version: int = 1


def _yen(raw: int | str | None, field_name: str, label: str, *, minimum: int = 0) -> int:
    if isinstance(raw, bool):
        raw = None
    if isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip().replace(",", "").removeprefix("¥").removesuffix("円")
        raw = int(text) if text.isdigit() else None
    if not isinstance(raw, int) or raw < minimum or raw > MAX_YEN:
        raise ValidationError(_("{field}: enter a whole number of yen from {low} to {high}.").format(
            field=label, low=f"{minimum:,}", high=f"{MAX_YEN:,}"), field_name)
    return raw


def _program(row: GrantProgram) -> ProgramView:
    return ProgramView(row.id, row.name, ProgramKind(row.kind), row.version)


def _round(session: Session, row: GrantRound) -> RoundView:
    program = session.get(GrantProgram, row.program_id)
    return RoundView(row.id, row.program_id, program.name, row.name, row.fiscal_year, row.opens_on, row.closes_on,
                     row.budget_yen, row.cap_yen, row.pass_mark, row.criteria_text, Aggregation(row.aggregation), row.stage,
                     row.version)


def _application(session: Session, row: GrantApplication) -> ApplicationView:
    group = session.get(Group, row.group_id)
    return ApplicationView(
        row.id, row.round_id, row.group_id, group.name if group else "", row.project_title, row.field_code,
        tuple((line["item"], line["amount_yen"]) for line in row.budget_lines or []), row.requested_yen,
        tuple(sorted((row.documents or {}).items())), row.received_on, ApplicationStatus(row.status), row.score_text,
        row.rank, row.granted_yen, row.actual_spend_yen, row.version)


def _snapshot(row: GrantApplication) -> dict:
    return {"round_id": row.round_id, "group_id": row.group_id, "project_title": row.project_title, "field_code": row.field_code,
            "budget_lines": row.budget_lines, "requested_yen": row.requested_yen, "documents": row.documents,
            "status": row.status, "granted_yen": row.granted_yen, "actual_spend_yen": row.actual_spend_yen}


def find_round(session: Session, round_id: int, *, for_update: bool = False) -> GrantRound:
    """The round ``round_id`` (locked for the write when ``for_update``, as every path that
    changes a round takes it first). Raises :class:`ValidationError` when there is none."""
    row = lock(session, GrantRound, round_id) if for_update else session.get(GrantRound, round_id)
    if row is None:
        raise ValidationError(_("There is no round {id}.").format(id=round_id))
    return row


def check_not_allocated(round_row: GrantRound) -> None:
    """Refuse (:class:`ValidationError`) any change to the applications, the panel, the scores,
    the ranking or the allocation of an allocated round: its letters may have gone out, and a
    letter's number never changes its decision. Only :func:`reopen_round` goes back."""
    if round_row.stage == "allocated":
        raise ValidationError(_(
            "The budget of {round} has been allocated and its letters may have been sent: its applications, panel, scores "
            "and decisions can no longer change. An administrator can reopen the round, with the reason, to redo them.").format(
            round=round_row.name))


def _review_started(session: Session, round_id: int) -> bool:
    """Whether an application of the round has left 受付 or a score sheet of it exists."""
    moved = session.scalar(select(GrantApplication.id).where(
        GrantApplication.round_id == round_id, GrantApplication.status != ApplicationStatus.RECEIVED.value).limit(1))
    scored = session.scalar(select(GrantScore.id).join(GrantApplication).where(GrantApplication.round_id == round_id).limit(1))
    return moved is not None or scored is not None


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


def list_programs(ctx: ServiceContext) -> list[ProgramView]:
    """Every program, by name."""
    ctx.require(*RECEIVERS)
    with ctx.db.read() as session:
        return [_program(row) for row in session.scalars(select(GrantProgram).order_by(GrantProgram.name))]


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
        values["budget_yen"] = _yen(budget_yen, "budget_yen", _("Budget"), minimum=1)
    except ValidationError as error:
        problems.extend(error.problems)
    try:
        values["cap_yen"] = (settings.get(session, spec.GRANT_CAP_YEN) if cap_yen is None
                             else _yen(cap_yen, "cap_yen", _("Cap per project")))
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


@dataclass(frozen=True)
class ProgramRules:
    """The rules of 設定 → 補助金・協働 a round form shows: the default cap (yen, 0 = none), the
    eligibility (registered groups only; whole years active) and the criteria and rule a new
    round copies."""

    cap_yen: int
    registered_only: bool
    min_years: int
    criteria_text: str
    aggregation: Aggregation


def program_rules(ctx: ServiceContext) -> ProgramRules:
    """The current rules of 設定 → 補助金・協働 (:class:`ProgramRules`)."""
    ctx.require(*RECEIVERS)
    with ctx.db.read() as session:
        values = settings.get_many(session, list(spec.PROGRAM_RULES))
    return ProgramRules(values[spec.GRANT_CAP_YEN.key], values[spec.GRANT_REGISTERED_ONLY.key], values[spec.GRANT_MIN_YEARS.key],
                        values[spec.REVIEW_CRITERIA.key], Aggregation(values[spec.REVIEW_AGGREGATION.key]))


def get_round(ctx: ServiceContext, round_id: int) -> RoundView:
    """One round. Raises :class:`ValidationError` when it does not exist."""
    ctx.require(*RECEIVERS)
    with ctx.db.read() as session:
        row = find_round(session, round_id)
        return _round(session, row)


def list_rounds(ctx: ServiceContext, program_id: int | None = None) -> list[RoundView]:
    """The rounds (of one program), newest first."""
    ctx.require(*RECEIVERS)
    with ctx.db.read() as session:
        query = select(GrantRound).order_by(GrantRound.opens_on.desc(), GrantRound.id.desc())
        if program_id is not None:
            query = query.where(GrantRound.program_id == program_id)
        return [_round(session, row) for row in session.scalars(query)]


def _clean_application(session: Session, data: ApplicationInput) -> dict:
    problems: list[FieldProblem] = []
    title = clean_text(data.project_title)
    if not title or len(title) > 200:
        problems.append(FieldProblem("project_title", _("Project: enter 1 to 200 characters.")))
    requested = None
    try:
        requested = _yen(data.requested_yen, "requested_yen", _("Requested amount"), minimum=1)
    except ValidationError as error:
        problems.extend(error.problems)
    lines = []
    for number, (item, amount) in enumerate(data.budget_lines, start=1):
        item = clean_text(item)
        try:
            value = _yen(amount, "budget_lines", _("Budget line {n}").format(n=number))
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
        if _review_started(session, round_id):
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


def list_applications(ctx: ServiceContext, round_id: int) -> list[ApplicationView]:
    """The applications of a round: by rank once ranked, else in the order received."""
    ctx.require(*RECEIVERS)
    with ctx.db.read() as session:
        rows = session.scalars(select(GrantApplication).where(GrantApplication.round_id == round_id)
                               .order_by(GrantApplication.rank.is_(None), GrantApplication.rank, GrantApplication.id))
        return [_application(session, row) for row in rows]


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
            row.actual_spend_yen = _yen(actual_spend_yen, "actual_spend_yen", _("Actual spending"))
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


def add_reviewer(ctx: ServiceContext, round_id: int, name: str, affiliation: str = "",
                 conflicts: Sequence[int] = ()) -> ReviewerView:
    """A new member of the round's panel, with the applications (ids) they declare a conflict of
    interest with, in one transaction. Raises :class:`ValidationError`, nothing written, for an
    empty or repeated name, a conflict with an application not in the round, once the review
    has started (an application left 受付 or a score sheet exists: every application would lack
    the new reviewer's sheet) or the round is allocated."""
    user = ctx.require(*DECIDERS)
    name = clean_text(name)
    if not name or len(name) > 100:
        raise ValidationError(_("Reviewer's name: enter 1 to 100 characters."), "name")
    with ctx.db.write() as session:
        round_row = find_round(session, round_id, for_update=True)
        check_not_allocated(round_row)
        if _review_started(session, round_id):
            raise ValidationError(_(
                "The review of {round} has started: a new reviewer can no longer join the panel (the applications would lack "
                "their score sheets).").format(round=round_row.name), "round_id")
        if session.scalar(select(GrantReviewer.id).where(GrantReviewer.round_id == round_id, GrantReviewer.name == name)):
            raise ValidationError(_("{name} is on this panel already.").format(name=name), "name")
        in_round = set(session.scalars(select(GrantApplication.id).where(GrantApplication.round_id == round_id)))
        strangers = [app_id for app_id in dict.fromkeys(conflicts) if app_id not in in_round]
        if strangers:
            raise ValidationError([FieldProblem("conflicts", _("Application {id} is not in {round}: no conflict can be declared with it.")
                                                .format(id=app_id, round=round_row.name)) for app_id in strangers])
        row = GrantReviewer(round_id=round_id, name=name, affiliation=clean_text(affiliation))
        session.add(row)
        session.flush()
        audit.record(session, user, "grant_reviewer", row.id, "create", None, {"round_id": round_id, "name": name})
        for app_id in dict.fromkeys(conflicts):
            session.add(GrantConflict(reviewer_id=row.id, application_id=app_id, reason=""))
            audit.record(session, user, "grant_conflict", f"{row.id}:{app_id}", "create", None,
                         {"reviewer": name, "application_id": app_id, "reason": ""})
        return ReviewerView(row.id, round_id, name, row.affiliation, tuple(sorted(dict.fromkeys(conflicts))), row.version)


def list_reviewers(ctx: ServiceContext, round_id: int) -> list[ReviewerView]:
    """The panel of a round, in the order added, with their declared conflicts."""
    ctx.require(*DECIDERS)
    with ctx.db.read() as session:
        return _reviewers(session, round_id)


def _reviewers(session: Session, round_id: int) -> list[ReviewerView]:
    rows = session.scalars(select(GrantReviewer).where(GrantReviewer.round_id == round_id).order_by(GrantReviewer.id)).all()
    conflicts: dict[int, list[int]] = {}
    for reviewer_id, application_id in session.execute(select(GrantConflict.reviewer_id, GrantConflict.application_id)
                                                       .join(GrantReviewer).where(GrantReviewer.round_id == round_id)):
        conflicts.setdefault(reviewer_id, []).append(application_id)
    return [ReviewerView(r.id, r.round_id, r.name, r.affiliation, tuple(sorted(conflicts.get(r.id, ()))), r.version) for r in rows]


def declare_conflict(ctx: ServiceContext, reviewer_id: int, application_id: int, reason: str = "") -> None:
    """Record a reviewer's conflict of interest with an application: the reviewer is left out of
    its review. Refused when they have scored it already (delete that sheet first) or the two
    are of different rounds, or the round is allocated. Sets the round back to open (a ranking
    must be redone)."""
    user = ctx.require(*DECIDERS)
    with ctx.db.write() as session:
        reviewer = session.get(GrantReviewer, reviewer_id)
        application = session.get(GrantApplication, application_id)
        if reviewer is None or application is None or reviewer.round_id != application.round_id:
            raise ValidationError(_("Choose a reviewer and an application of the same round."))
        round_row = lock(session, GrantRound, application.round_id)
        check_not_allocated(round_row)
        scored = session.scalar(select(func.count()).select_from(GrantScore).where(
            GrantScore.reviewer_id == reviewer_id, GrantScore.application_id == application_id))
        if scored:
            raise ValidationError(_("{reviewer} has scored this application already; delete that score sheet first.").format(
                reviewer=reviewer.name))
        exists = session.scalar(select(GrantConflict.id).where(GrantConflict.reviewer_id == reviewer_id,
                                                               GrantConflict.application_id == application_id))
        if exists is None:
            session.add(GrantConflict(reviewer_id=reviewer_id, application_id=application_id, reason=clean_text(reason)))
            round_row.stage = "open"
            audit.record(session, user, "grant_conflict", f"{reviewer_id}:{application_id}", "create", None,
                         {"reviewer": reviewer.name, "application_id": application_id, "reason": clean_text(reason)})


def _locked_reviewer(session: Session, reviewer_id: int, expected_version: int | None) -> tuple[GrantRound, GrantReviewer]:
    """The reviewer's round (locked first, as every path of a round) and the reviewer, locked
    onto ``expected_version``; refused when the round is allocated."""
    missing = _("This reviewer is no longer on the panel. Reload the list.")
    round_id = session.scalar(select(GrantReviewer.round_id).where(GrantReviewer.id == reviewer_id))
    if round_id is None:
        raise ValidationError(missing)
    round_row = find_round(session, round_id, for_update=True)
    reviewer = lock_for_edit(session, GrantReviewer, reviewer_id, entity="grant_reviewer", missing=missing,
                             expected_version=expected_version)
    check_not_allocated(round_row)
    return round_row, reviewer


def remove_reviewer(ctx: ServiceContext, reviewer_id: int, *, expected_version: int | None = None) -> None:
    """Take a reviewer named by mistake off the panel, with their declared conflicts. Only before
    the review starts (no application left 受付, no score sheet: the panel the applications are
    scored by is then fixed) and never on an allocated round. ``expected_version`` (the
    :class:`ReviewerView`'s): a stale view is refused. Audited. Raises
    :class:`ValidationError`, :class:`StaleEditError`, nothing written."""
    user = ctx.require(*DECIDERS)
    with ctx.db.write() as session:
        round_row, reviewer = _locked_reviewer(session, reviewer_id, expected_version)
        if _review_started(session, round_row.id):
            raise ValidationError(_("The review of {round} has started: {name} can no longer leave the panel.").format(
                round=round_row.name, name=reviewer.name))
        conflicts = list(session.scalars(select(GrantConflict).where(GrantConflict.reviewer_id == reviewer_id)))
        for conflict in conflicts:
            audit.record(session, user, "grant_conflict", f"{reviewer_id}:{conflict.application_id}", "delete",
                         {"reviewer": reviewer.name, "application_id": conflict.application_id, "reason": conflict.reason}, None)
            session.delete(conflict)
        audit.record(session, user, "grant_reviewer", reviewer_id, "delete",
                     {"round_id": round_row.id, "name": reviewer.name, "affiliation": reviewer.affiliation}, None)
        session.delete(reviewer)


def withdraw_conflict(ctx: ServiceContext, reviewer_id: int, application_id: int, *, expected_version: int | None = None) -> None:
    """Withdraw a conflict of interest declared by mistake: the reviewer then scores that
    application too. Only before the scoring starts (no score sheet of the round: the review
    counted the reviewer out of it) and never on an allocated round. ``expected_version`` (the
    reviewer's, as listed): a stale view is refused; the reviewer's version goes up, since their
    conflicts changed. Audited. Raises :class:`ValidationError`, :class:`StaleEditError`,
    nothing written."""
    user = ctx.require(*DECIDERS)
    with ctx.db.write() as session:
        round_row, reviewer = _locked_reviewer(session, reviewer_id, expected_version)
        conflict = session.scalar(select(GrantConflict).where(GrantConflict.reviewer_id == reviewer_id,
                                                              GrantConflict.application_id == application_id))
        if conflict is None:
            raise ValidationError(_("{reviewer} has no declared conflict with application {id}. Reload the list.").format(
                reviewer=reviewer.name, id=application_id))
        if session.scalar(select(GrantScore.id).join(GrantApplication).where(GrantApplication.round_id == round_row.id).limit(1)):
            raise ValidationError(_("The scoring of {round} has started: a declared conflict of interest can no longer be "
                                    "withdrawn.").format(round=round_row.name))
        audit.record(session, user, "grant_conflict", f"{reviewer_id}:{application_id}", "delete",
                     {"reviewer": reviewer.name, "application_id": application_id, "reason": conflict.reason}, None)
        session.delete(conflict)
        reviewer.version += 1
        round_row.stage = "open"


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


@dataclass(frozen=True)
class ConflictView:
    """A declared conflict of interest: the reviewer, the application (number, project) and the
    reason given."""

    reviewer_id: int
    reviewer_name: str
    application_id: int
    project_title: str
    reason: str


def list_conflicts(ctx: ServiceContext, round_id: int) -> list[ConflictView]:
    """The declared conflicts of interest of a round, by reviewer (order added), then
    application number."""
    ctx.require(*DECIDERS)
    with ctx.db.read() as session:
        rows = session.execute(
            select(GrantReviewer.id, GrantReviewer.name, GrantApplication.id, GrantApplication.project_title, GrantConflict.reason)
            .join(GrantReviewer, GrantReviewer.id == GrantConflict.reviewer_id)
            .join(GrantApplication, GrantApplication.id == GrantConflict.application_id)
            .where(GrantReviewer.round_id == round_id).order_by(GrantReviewer.id, GrantApplication.id)).all()
    return [ConflictView(*row) for row in rows]


@dataclass(frozen=True)
class GrantFigures:
    """One line of the fiscal-year figures: a program and a 活動分野 (empty: none given), the
    applications received, how many were adopted, the yen granted (交付決定 or later) and paid —
    the grant of each decided application, less what a settled one returned (実績報告 spending
    under the grant)."""

    program_name: str
    field_name: str
    applications: int
    adopted: int
    granted_yen: int
    paid_yen: int


def fiscal_year_figures(ctx: ServiceContext, fiscal_year: int) -> list[GrantFigures]:
    """The figures of the city's 協働推進 report for ``fiscal_year`` (April–March, the rounds of
    that year), by program and 活動分野, programs by name; a last line totals them (program
    ``合計``)."""
    from center_app.db.groups import ActivityField
    from center_app.domain.programs import amount_to_return

    ctx.require(*DECIDERS)
    decided = {ApplicationStatus.GRANT_DECIDED.value, ApplicationStatus.REPORTED.value, ApplicationStatus.SETTLED.value}
    adopted = decided | {ApplicationStatus.ADOPTED.value}
    with ctx.db.read() as session:
        fields = dict(session.execute(select(ActivityField.code, ActivityField.name)).all())
        rows = session.execute(
            select(GrantProgram.name, GrantApplication.field_code, GrantApplication.status, GrantApplication.granted_yen,
                   GrantApplication.actual_spend_yen)
            .join(GrantRound, GrantRound.id == GrantApplication.round_id).join(GrantProgram, GrantProgram.id == GrantRound.program_id)
            .where(GrantRound.fiscal_year == fiscal_year)).all()
    totals: dict[tuple[str, str], list[int]] = {}
    for program, field_code, status, granted, spent in rows:
        line = totals.setdefault((program, fields.get(field_code, "") if field_code else ""), [0, 0, 0, 0])
        line[0] += 1
        line[1] += status in adopted
        if status in decided:
            line[2] += granted or 0
            returned = amount_to_return(granted or 0, spent) if status == ApplicationStatus.SETTLED.value and spent is not None else 0
            line[3] += (granted or 0) - returned
    result = [GrantFigures(program, field, *values) for (program, field), values in sorted(totals.items())]
    if result:
        result.append(GrantFigures("合計", "", *(sum(getattr(r, name) for r in result)
                                                for name in ("applications", "adopted", "granted_yen", "paid_yen"))))
    return result
