"""審査: the pure rules of a round's third-party review — criteria, score sheets, aggregation,
ranking and allocation down the ranking (no database, no Qt; tested on their own).

Source: the city's guideline on 協働のまちづくり (協働事業の公募・提案: third-party review, public
results) and the practice the product follows — 八戸's panel scores each proposal on 5 criteria ×
10 points, drops each proposal's highest and lowest total and averages the rest, and excludes a
reviewer from any proposal with a conflict of interest; 鴻巣 caps 市民活動支援補助金 at ¥150,000 a
project. Which aggregation applies, and the criteria, are center settings (設定 → 補助金・協働).

Shapes and units:

- a criterion has a name, a maximum of whole points and a whole weight; a sheet's total is
  Σ points × weight;
- an application's score is the mean of the counted sheets' totals (:class:`Aggregation`),
  exact (:class:`fractions.Fraction`), shown rounded to 2 decimals;
- amounts are whole yen.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

from center_app.domain.errors import FieldProblem, ValidationError
from center_app.i18n import N_, _

__all__ = [
    "Aggregation", "Allocation", "Contribution", "Criterion", "RankedApplication", "Sheet", "allocate",
    "check_sheet", "format_criteria", "parse_criteria", "rank", "shown",
]

#: The default criteria (八戸's five criteria × 10 points, weight 1): name:max:weight per line.
DEFAULT_CRITERIA = "公益性:10:1\n必要性:10:1\n実現性:10:1\n協働の効果:10:1\n発展性:10:1"


class Aggregation(StrEnum):
    """How a proposal's sheets make its score: ``mean`` of all counted sheets, or ``trimmed``:
    the mean after dropping the one highest and the one lowest total (八戸's rule; with fewer than
    three sheets nothing is dropped)."""

    MEAN = "mean"
    TRIMMED = "trimmed"

    @property
    def label(self) -> str:
        """The rule's name in the current language."""
        return _(AGGREGATION_LABELS[self])


AGGREGATION_LABELS = {
    Aggregation.MEAN: N_("Mean of all reviewers"),
    Aggregation.TRIMMED: N_("Mean after dropping the highest and the lowest"),
}


@dataclass(frozen=True)
class Criterion:
    """One review criterion: ``name`` (as printed), ``max_points`` (whole points, ≥ 1) and
    ``weight`` (whole, ≥ 1)."""

    name: str
    max_points: int
    weight: int = 1


def parse_criteria(text: str) -> tuple[Criterion, ...]:
    """The criteria of the setting's text: one ``name:max:weight`` per line (weight may be left
    out: 1). Full-width digits and colons are read. Raises :class:`ValidationError` naming the
    line when a line is malformed, a name repeats, or there is no criterion."""
    criteria: list[Criterion] = []
    problems: list[FieldProblem] = []
    for number, raw in enumerate(str(text).splitlines(), start=1):
        line = unicodedata.normalize("NFKC", raw).strip()
        if not line:
            continue
        parts = [part.strip() for part in line.split(":")]
        ok = len(parts) in (2, 3) and parts[0] and all(p.isdigit() for p in parts[1:])
        if ok:
            name, max_points, weight = parts[0], int(parts[1]), int(parts[2]) if len(parts) == 3 else 1
            ok = 1 <= max_points <= 1000 and 1 <= weight <= 100
        if not ok:
            problems.append(FieldProblem("review_criteria", _(
                "Criteria, line {line}: write name:maximum points:weight (e.g. 公益性:10:1).").format(line=number)))
            continue
        if any(c.name == name for c in criteria):
            problems.append(FieldProblem("review_criteria", _("Criteria, line {line}: {name} is listed twice.").format(
                line=number, name=name)))
            continue
        criteria.append(Criterion(name, max_points, weight))
    if not criteria and not problems:
        problems.append(FieldProblem("review_criteria", _("Criteria: enter at least one criterion.")))
    if problems:
        raise ValidationError(problems)
    return tuple(criteria)


def check_criteria(text: str) -> None:
    """The setting's check: raises :class:`ValidationError` when :func:`parse_criteria` would."""
    parse_criteria(text)


def format_criteria(criteria: Iterable[Criterion]) -> str:
    """The setting's text of ``criteria`` (the inverse of :func:`parse_criteria`)."""
    return "\n".join(f"{c.name}:{c.max_points}:{c.weight}" for c in criteria)


@dataclass(frozen=True)
class Sheet:
    """One reviewer's scores of one application: ``points`` maps a criterion name to whole
    points. ``reviewer`` and ``application`` are the caller's keys (ids)."""

    application: int
    reviewer: int
    points: Mapping[str, int]

    def total(self, criteria: Sequence[Criterion]) -> int:
        """Σ points × weight over ``criteria``."""
        return sum(self.points[c.name] * c.weight for c in criteria)


def check_sheet(criteria: Sequence[Criterion], points: Mapping[str, object], *, where: str, row: int | None = None) -> dict[str, int]:
    """The whole points of one sheet, checked against ``criteria``: every criterion present, a
    whole number from 0 to its maximum, no unknown criterion. ``where`` names the sheet in the
    messages (「申請 3・審査員 鈴木」, a spreadsheet row). Raises :class:`ValidationError` with every
    problem."""
    problems: list[FieldProblem] = []
    result: dict[str, int] = {}
    known = {c.name for c in criteria}
    for name in points:
        if name not in known:
            problems.append(FieldProblem(name, _("{where}: {criterion} is not a criterion of this round.").format(
                where=where, criterion=name), row))
    for c in criteria:
        raw = points.get(c.name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            problems.append(FieldProblem(c.name, _("{where}: the score for {criterion} is missing.").format(
                where=where, criterion=c.name), row))
            continue
        value = _whole(raw)
        if value is None or value < 0:
            problems.append(FieldProblem(c.name, _("{where}: the score for {criterion} must be a whole number from 0 to {max}.").format(
                where=where, criterion=c.name, max=c.max_points), row))
        elif value > c.max_points:
            problems.append(FieldProblem(c.name, _(
                "{where}: {points} points for {criterion} is above its maximum of {max}.").format(
                where=where, points=value, criterion=c.name, max=c.max_points), row))
        else:
            result[c.name] = value
    if problems:
        raise ValidationError(problems)
    return result


def _whole(raw: object) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else None
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    if text.isdigit():
        return int(text)
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def shown(value: Fraction) -> Decimal:
    """A score as shown and printed: rounded half up to 2 decimals."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Contribution:
    """One reviewer's part in an application's score: the sheet's ``total``, whether it was
    ``dropped`` (``"highest"`` / ``"lowest"``, empty when counted) and what it adds to the score
    (``share`` = total ÷ counted sheets, 0 when dropped)."""

    reviewer: int
    total: int
    dropped: str
    share: Fraction


@dataclass(frozen=True)
class RankedApplication:
    """An application's place: ``score`` (exact), ``rank`` (1 = best; tied applications share a
    rank — 1, 2, 2, 4), ``tied_with`` (the other applications of the same score) and the
    ``contributions`` that make the score."""

    application: int
    score: Fraction
    rank: int
    tied_with: tuple[int, ...]
    contributions: tuple[Contribution, ...]


def _contributions(totals: list[tuple[int, int]], rule: Aggregation) -> tuple[Fraction, tuple[Contribution, ...]]:
    dropped: dict[int, str] = {}
    if rule is Aggregation.TRIMMED and len(totals) >= 3:
        # the highest and lowest totals; among equal totals the first reviewer (by key) is dropped
        lowest = min(totals, key=lambda item: (item[1], item[0]))
        rest = [item for item in totals if item is not lowest]
        dropped[lowest[0]] = "lowest"
        dropped[max(rest, key=lambda item: (item[1], -item[0]))[0]] = "highest"
    counted = [total for reviewer, total in totals if reviewer not in dropped]
    score = Fraction(sum(counted), len(counted))
    parts = tuple(
        Contribution(reviewer, total, dropped.get(reviewer, ""),
                     Fraction(0) if reviewer in dropped else Fraction(total, len(counted)))
        for reviewer, total in sorted(totals)
    )
    return score, parts


def rank(criteria: Sequence[Criterion], applications: Sequence[int], reviewers: Sequence[int],
         conflicts: Iterable[tuple[int, int]], sheets: Iterable[Sheet], rule: Aggregation,
         names: Mapping[tuple[str, int], str] | None = None) -> tuple[RankedApplication, ...]:
    """The ranking of ``applications`` (best first; equal scores in application order, sharing a
    rank) from the ``sheets`` of ``reviewers``, leaving out each ``(reviewer, application)`` of
    ``conflicts``.

    Raises :class:`ValidationError` naming each application and reviewer when a non-conflicted
    reviewer's sheet is missing, a conflicted reviewer's sheet is present, or an application has
    no reviewer left. ``names`` (``("application", id)`` / ``("reviewer", id)`` → text) only
    words the messages."""
    names = names or {}

    def name(kind: str, key: int) -> str:
        return names.get((kind, key), f"{key}")

    excluded = set(conflicts)
    by_key = {(s.application, s.reviewer): s for s in sheets}
    problems: list[FieldProblem] = []
    scored: list[tuple[int, Fraction, tuple[Contribution, ...]]] = []
    for app in applications:
        totals: list[tuple[int, int]] = []
        for reviewer in reviewers:
            sheet = by_key.get((app, reviewer))
            if (reviewer, app) in excluded:
                if sheet is not None:
                    problems.append(FieldProblem("score", _(
                        "{application}: {reviewer} declared a conflict of interest and may not score it.").format(
                        application=name("application", app), reviewer=name("reviewer", reviewer))))
                continue
            if sheet is None:
                problems.append(FieldProblem("score", _("{application}: the score sheet of {reviewer} is missing.").format(
                    application=name("application", app), reviewer=name("reviewer", reviewer))))
                continue
            totals.append((reviewer, sheet.total(criteria)))
        if not totals:
            if not any(p.message.startswith(name("application", app)) for p in problems):
                problems.append(FieldProblem("score", _("{application}: no reviewer may score it.").format(
                    application=name("application", app))))
            continue
        score, parts = _contributions(totals, rule)
        scored.append((app, score, parts))
    if problems:
        raise ValidationError(problems)
    order = {app: index for index, app in enumerate(applications)}
    scored.sort(key=lambda item: (-item[1], order[item[0]]))
    result: list[RankedApplication] = []
    for app, score, parts in scored:
        place = next(i for i, other in enumerate(scored) if other[1] == score) + 1
        tied = tuple(other[0] for other in scored if other[1] == score and other[0] != app)
        result.append(RankedApplication(app, score, place, tied, parts))
    return tuple(result)


@dataclass(frozen=True)
class Allocation:
    """What allocation decides for one application: ``granted`` yen (0 = not funded), and why
    (``reason``: ``"funded"``, ``"capped"`` — funded at the cap, below the request —,
    ``"budget"`` — the rest of the budget does not cover it —, ``"below_pass"`` — the score is
    under the pass mark)."""

    application: int
    rank: int
    requested: int
    granted: int
    reason: str


def allocate(ranking: Sequence[RankedApplication], requested: Mapping[int, int], budget: int, cap: int,
             pass_mark: Fraction | int = 0, names: Mapping[int, str] | None = None) -> tuple[Allocation, ...]:
    """Go down ``ranking`` granting each application its request, at most ``cap`` yen (0: no
    cap), while the ``budget`` (yen) lasts; the first application the rest of the budget cannot
    cover stops the funding (no lower one jumps the queue). Applications scoring under
    ``pass_mark`` are not funded.

    Tied applications are funded together or not at all: when the rest of the budget covers
    only some of a group of tied applications, :class:`ValidationError` names them, so the
    panel breaks the tie (its decision recorded) before anything is granted."""
    names = names or {}
    remaining = budget
    stopped = False
    result: list[Allocation] = []
    index = 0
    while index < len(ranking):
        group = [r for r in ranking[index:] if r.score == ranking[index].score]
        asks = {r.application: min(requested[r.application], cap) if cap else requested[r.application] for r in group}
        passing = ranking[index].score >= pass_mark
        if passing and not stopped and len(group) > 1 and remaining < sum(asks.values()):
            fits_one = any(ask <= remaining for ask in asks.values())
            if fits_one:
                listed = "、".join(names.get(r.application, str(r.application)) for r in group)
                raise ValidationError(_(
                    "Rank {rank}: {applications} have the same score and the rest of the budget ({rest} yen) does not "
                    "cover all of them. Break the tie first.").format(rank=ranking[index].rank, applications=listed,
                                                                     rest=f"{remaining:,}"), "allocation")
        for r in group:
            ask = asks[r.application]
            if not passing:
                result.append(Allocation(r.application, r.rank, requested[r.application], 0, "below_pass"))
            elif stopped or ask > remaining:
                stopped = True
                result.append(Allocation(r.application, r.rank, requested[r.application], 0, "budget"))
            else:
                remaining -= ask
                reason = "capped" if ask < requested[r.application] else "funded"
                result.append(Allocation(r.application, r.rank, requested[r.application], ask, reason))
        index += len(group)
    return tuple(result)
