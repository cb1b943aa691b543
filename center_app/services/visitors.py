"""来館者数: the visitor tally of ホーム (one key per purpose) and the clerk's corrections.

Every key press adds a row (:class:`~center_app.db.visitors.VisitorCount`, count 1 or the number
given); a correction is a row of its own with the change (±) and the reason, audited (entity
``visitor_count``), so the day's figure per purpose is the sum and nothing counted is ever
overwritten. The purposes come from 設定 (:data:`~center_app.domain.center_settings.VISITOR_PURPOSES`,
default 打合せ, 印刷, 相談, 情報収集, その他 — 関市 reports its monthly 来場数 by purpose; research
notes §2.7). Counting is for today only; a correction may name an earlier day (not a future one)
and never takes a total below 0.
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select

from center_app.db.models import Facility
from center_app.db.visitors import VisitorCount
from center_app.domain import clock
from center_app.domain.center_settings import VISITOR_PURPOSES, visitor_purposes
from center_app.domain.errors import ValidationError
from center_app.domain.wareki import format_day
from center_app.i18n import _
from center_app.services import audit, center_settings
from center_app.services.context import ServiceContext

#: The most visitors one entry may count (a group of visitors at once).
MAX_COUNT = 999


@dataclass(frozen=True)
class DayTally:
    """The visitors of one facility and day: ``counts`` per purpose in the order of 設定 (a
    purpose counted earlier and since removed from 設定 comes last), and ``total``."""

    facility_id: int
    day: dt.date
    counts: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        """Every visitor of the day."""
        return sum(count for _purpose, count in self.counts)

    def count(self, purpose: str) -> int:
        """The visitors of ``purpose`` (0 when none)."""
        return dict(self.counts).get(purpose, 0)


def purposes(ctx: ServiceContext) -> tuple[str, ...]:
    """The purposes of the tally, in the order of 設定 (keys 1–9 on ホーム)."""
    return visitor_purposes(center_settings.get(ctx, VISITOR_PURPOSES))


def _purpose(session, name: str) -> str:
    wanted = unicodedata.normalize("NFKC", name or "").strip()
    known = visitor_purposes(center_settings.get(session, VISITOR_PURPOSES))
    for purpose in known:
        if unicodedata.normalize("NFKC", purpose) == wanted:
            return purpose
    raise ValidationError(_("「{purpose}」 is not a visitor purpose; choose one of {choices} (設定 → ロッカー・来館者・抽選).").format(
        purpose=(name or "").strip(), choices="、".join(known)), field_name="purpose")


def _count(value: int | str | None, *, signed: bool = False) -> int:
    text = unicodedata.normalize("NFKC", str(1 if value is None else value)).strip()
    try:
        number = int(text)
    except ValueError:
        raise ValidationError(_("Enter the number of visitors as a whole number."), field_name="count") from None
    if (number == 0 if signed else number < 1) or abs(number) > MAX_COUNT:
        if signed:
            raise ValidationError(_("A correction changes the count by 1 to {max} (− to take visitors off).").format(max=MAX_COUNT), field_name="count")
        raise ValidationError(_("Count 1 to {max} visitors at once.").format(max=MAX_COUNT), field_name="count")
    return number


def _facility(session, facility_id: int | None) -> Facility:
    facility = session.get(Facility, facility_id) if facility_id is not None else None
    if facility is None:
        facility = session.scalars(select(Facility).order_by(Facility.sort_order, Facility.id)).first()
    if facility is None:
        raise ValidationError(_("There is no facility; set one up in 設定 first."), field_name="facility")
    return facility


def _tally(session, facility_id: int, day: dt.date) -> DayTally:
    rows = session.execute(
        select(VisitorCount.purpose, func.sum(VisitorCount.count))
        .where(VisitorCount.facility_id == facility_id, VisitorCount.day == day)
        .group_by(VisitorCount.purpose)
    ).all()
    summed = {purpose: int(total or 0) for purpose, total in rows}
    order = list(visitor_purposes(center_settings.get(session, VISITOR_PURPOSES)))
    order += sorted(p for p in summed if p not in order)
    return DayTally(facility_id, day, tuple((p, summed.get(p, 0)) for p in order))


def add_visitors(ctx: ServiceContext, facility_id: int | None, purpose: str, count: int | str | None = 1) -> DayTally:
    """Count ``count`` visitors (default 1, at most :data:`MAX_COUNT`) of ``purpose`` today at
    ``facility_id`` (None: the main facility). Returns the day's tally.

    Raises ValidationError (an unknown purpose, naming those of 設定; a count that is not 1 …
    999); nothing is written then."""
    user = ctx.require_signed_in()
    number = _count(count)
    with ctx.db.write() as session:
        facility = _facility(session, facility_id)
        name = _purpose(session, purpose)
        today = clock.today()
        session.add(VisitorCount(facility_id=facility.id, day=today, purpose=name, count=number, recorded_at=clock.now(),
                                 recorded_by=user.display_name))
        session.flush()
        return _tally(session, facility.id, today)


def correct_visitors(ctx: ServiceContext, facility_id: int | None, day: dt.date, purpose: str, change: int | str, reason: str) -> DayTally:
    """A clerk's correction (訂正) of the tally of ``day`` (today or earlier): ``change`` visitors
    (negative to take off) of ``purpose``, with the ``reason`` (required), audited with the total
    before and after. Refused (ValidationError, nothing written): no reason, a future day, a change
    of 0 or beyond ±999, a total that would fall below 0."""
    user = ctx.require_signed_in()
    number = _count(change, signed=True)
    why = (reason or "").strip()
    if not why:
        raise ValidationError(_("Say why the count is corrected."), field_name="reason")
    if day > clock.today():
        raise ValidationError(_("Visitors of a future day ({date}) cannot be corrected.").format(date=format_day(day)), field_name="day")
    with ctx.db.write() as session:
        facility = _facility(session, facility_id)
        name = _purpose(session, purpose)
        before = _tally(session, facility.id, day).count(name)
        if before + number < 0:
            raise ValidationError(_("{purpose} on {date} counts {count} visitors; a correction cannot take it below 0.").format(
                purpose=name, date=format_day(day), count=before), field_name="count")
        row = VisitorCount(facility_id=facility.id, day=day, purpose=name, count=number, reason=why[:500], recorded_at=clock.now(),
                           recorded_by=user.display_name)
        session.add(row)
        session.flush()
        audit.record(session, user, "visitor_count", row.id, "correct", {"day": day, "purpose": name, "count": before},
                     {"day": day, "purpose": name, "count": before + number}, note=why[:500])
        return _tally(session, facility.id, day)


def day_tally(ctx: ServiceContext, facility_id: int | None, day: dt.date | None = None) -> DayTally:
    """The visitors of ``day`` (default today) at ``facility_id`` (None: the main facility) by purpose."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        facility = _facility(session, facility_id)
        return _tally(session, facility.id, day or clock.today())


def daily_totals(ctx: ServiceContext, facility_ids: Sequence[int] | None, first: dt.date, last: dt.date) -> dict[dt.date, dict[str, int]]:
    """Visitors per day and purpose from ``first`` to ``last`` (inclusive) at ``facility_ids``
    (None: every facility); days without visitors are left out."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        return totals_by_day(session, facility_ids, first, last)


@functools.cache
def _totals_by_day_statement(filtered: bool):
    """Built once per shape and bound at each call (a report runs it every time it is made)."""
    query = (select(VisitorCount.day, VisitorCount.purpose, func.sum(VisitorCount.count))
             .where(VisitorCount.day >= bindparam("first"), VisitorCount.day <= bindparam("last")).group_by(VisitorCount.day, VisitorCount.purpose))
    return query.where(VisitorCount.facility_id.in_(bindparam("facility_ids", expanding=True))) if filtered else query


def totals_by_day(session, facility_ids: Sequence[int] | None, first: dt.date, last: dt.date) -> dict[dt.date, dict[str, int]]:
    """:func:`daily_totals` in the caller's session (the reports)."""
    params: dict = {"first": first, "last": last}
    if facility_ids is not None:
        params["facility_ids"] = list(facility_ids)
    result: dict[dt.date, dict[str, int]] = {}
    # Core on the session's connection: no ORM result set-up for three plain columns (every report runs it)
    for day, purpose, total in session.connection().execute(_totals_by_day_statement(facility_ids is not None), params):
        if total:
            result.setdefault(day, {})[purpose] = int(total)
    return dict(sorted(result.items()))
