"""Pure rules of room booking: intervals, slots, opening hours, fees, horizon (docs/architecture.md §4).

Everything here is standard library only and works on plain values, so the services can apply the
same rules to a form, a series and an import row, and the tests can check them exhaustively.

- Intervals are half-open ``[start, end)`` local wall times: 13:00–15:00 and 15:00–17:00 do not
  overlap; a booking lies within one day of the facility's opening hours.
- Named slots (利用区分) of a facility: 午前 9:00–12:00, 午後 13:00–17:00, 夜間 18:00–22:00 and
  全日 spanning them. Several consecutive slots may be booked together (午前+午後 = 9:00–17:00).
- A booking "uses" the regular slots its interval overlaps (全日 = 3); the monthly cap per group
  counts these units, so booking 10:00–14:00 by the hour counts 2 (午前 and 午後).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from center_app.domain.errors import FieldProblem, ValidationError
from center_app.i18n import _

#: A booking never spans more than one day, so the conflict check reads one day of the index.
MAX_BOOKING_LENGTH = dt.timedelta(days=1)


def overlaps(a_start: dt.datetime, a_end: dt.datetime, b_start: dt.datetime, b_end: dt.datetime) -> bool:
    """True if the half-open intervals ``[a_start, a_end)`` and ``[b_start, b_end)`` share a moment.

    Touching intervals (one ends when the other starts) do not overlap; an interval inside or
    enclosing another does; an empty interval overlaps nothing.
    """
    return a_start < b_end and b_start < a_end and a_start < a_end and b_start < b_end


def first_overlap(intervals: Sequence[tuple[dt.datetime, dt.datetime]]) -> tuple[int, int] | None:
    """Indexes (i, j) of the first two intervals of ``intervals`` that overlap each other, or None
    (sorted sweep: O(n log n))."""
    order = sorted(range(len(intervals)), key=lambda i: intervals[i])
    for previous, current in zip(order, order[1:]):
        if overlaps(*intervals[previous], *intervals[current]):
            return previous, current
    return None


@dataclass(frozen=True)
class Slot:
    """A named period of a facility (利用区分). ``is_all_day``: 全日, spanning the regular slots."""

    name: str
    start: dt.time
    end: dt.time
    is_all_day: bool = False


def slots_interval(names: Sequence[str], slots: Sequence[Slot], *, field: str = "slots") -> tuple[dt.time, dt.time]:
    """The times covered by booking the slots ``names`` of a facility whose slots are ``slots``
    (in display order): from the first slot's start to the last slot's end.

    Raises ValidationError (``field``) for an unknown name, 全日 combined with another slot, or
    regular slots that are not consecutive (午前 + 夜間: book them as two bookings).
    """
    by_name = {s.name: s for s in slots}
    unknown = [n for n in names if n not in by_name]
    if not names:
        raise ValidationError(_("Choose a time slot or enter the start and end times."), field_name=field)
    if unknown:
        raise ValidationError(
            _("Unknown time slot: {names}. The slots are: {known}").format(names="、".join(unknown), known="、".join(by_name)),
            field_name=field,
        )
    chosen = [by_name[n] for n in dict.fromkeys(names)]
    if any(s.is_all_day for s in chosen):
        if len(chosen) > 1:
            raise ValidationError(_("The all-day slot cannot be combined with other slots."), field_name=field)
        return chosen[0].start, chosen[0].end
    regular = [s for s in slots if not s.is_all_day]
    positions = sorted(regular.index(s) for s in chosen)
    if positions != list(range(positions[0], positions[0] + len(positions))):
        raise ValidationError(_("Slots booked together must follow each other. Make two bookings instead."), field_name=field)
    return regular[positions[0]].start, regular[positions[-1]].end


def ordered_slot_names(names: Iterable[str], slots: Sequence[Slot]) -> tuple[str, ...]:
    """``names`` in the facility's slot order, without duplicates."""
    wanted = set(names)
    return tuple(s.name for s in slots if s.name in wanted)


def slot_units(start: dt.time, end: dt.time, slots: Sequence[Slot]) -> int:
    """How many regular slots ``[start, end)`` overlaps (at least 1): the unit of the monthly cap
    and of occupancy. 午前 = 1, 全日 = 3, 10:00–14:00 = 2."""
    day = dt.date(2000, 1, 1)
    a, b = dt.datetime.combine(day, start), dt.datetime.combine(day, end)
    count = sum(
        1 for s in slots if not s.is_all_day and overlaps(a, b, dt.datetime.combine(day, s.start), dt.datetime.combine(day, s.end))
    )
    return max(count, 1)


def check_times(start: dt.time | None, end: dt.time | None, opening: dt.time, closing: dt.time) -> list[FieldProblem]:
    """Problems of free times: both given, start before end, whole minutes, within opening hours."""
    problems: list[FieldProblem] = []
    if start is None:
        problems.append(FieldProblem("start_time", _("Enter the start time.")))
    if end is None:
        problems.append(FieldProblem("end_time", _("Enter the end time.")))
    if problems:
        return problems
    assert start is not None and end is not None
    if start.second or start.microsecond or end.second or end.microsecond:
        problems.append(FieldProblem("start_time", _("Times are whole minutes.")))
    if end <= start:
        problems.append(FieldProblem("end_time", _("The end time must be after the start time.")))
    elif start < opening or end > closing:
        problems.append(
            FieldProblem(
                "start_time" if start < opening else "end_time",
                _("Outside opening hours ({opening}–{closing}).").format(opening=f"{opening:%H:%M}", closing=f"{closing:%H:%M}"),
            )
        )
    return problems


def started_hours(start: dt.time, end: dt.time) -> int:
    """Hours billed for ``[start, end)``: a started hour counts whole (10:00–11:30 = 2)."""
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return max(0, -(-minutes // 60))


def base_fee(
    *,
    slot_names: Sequence[str],
    start: dt.time,
    end: dt.time,
    slots: Sequence[Slot],
    slot_fees: Mapping[str, int],
    hourly_fee: int | None,
    outside_rate: int | None = None,
) -> int:
    """The room's fee before the applicant class and 減免, integer yen.

    - booked by slot: the sum of the fee table's amounts of the booked slots (全日 has its own
      amount, by default the sum of the three);
    - booked by free times in a room with an hourly fee: started hours × the hourly fee;
    - booked by free times in a room with slot fees only: the amounts of every regular slot the
      times overlap (the usual 区分 rule: using part of a slot costs the slot), plus the time
      outside every slot (12:00–13:00) in started hours × ``outside_rate`` (設定 "Time outside
      the slots": by the hour at :func:`outside_slot_rate`, or refused by the caller — never
      0 円 silently: ``outside_rate`` None with such time raises ValueError).
    A slot without an amount in the fee table costs 0 (free rooms).
    """
    if slot_names:
        return sum(int(slot_fees.get(name, 0)) for name in slot_names)
    if hourly_fee is not None:
        return started_hours(start, end) * int(hourly_fee)
    day = dt.date(2000, 1, 1)
    a, b = dt.datetime.combine(day, start), dt.datetime.combine(day, end)
    in_slots = sum(
        int(slot_fees.get(s.name, 0))
        for s in slots
        if not s.is_all_day and overlaps(a, b, dt.datetime.combine(day, s.start), dt.datetime.combine(day, s.end))
    )
    outside = uncovered_minutes(start, end, slots)
    if not outside:
        return in_slots
    if outside_rate is None:
        raise ValueError("time outside every slot needs an hourly rate")
    return in_slots + -(-outside // 60) * int(outside_rate)


def uncovered_ranges(start: dt.time, end: dt.time, slots: Sequence[Slot]) -> list[tuple[dt.time, dt.time]]:
    """The parts of ``[start, end)`` that no regular slot covers (the gaps between 区分 such as
    12:00–13:00, or time before the first or after the last slot), in order."""
    minute = lambda t: t.hour * 60 + t.minute  # noqa: E731
    covered = sorted((minute(s.start), minute(s.end)) for s in slots if not s.is_all_day)
    gaps: list[tuple[int, int]] = []
    cursor, stop = minute(start), minute(end)
    for a, b in covered:
        if b <= cursor:
            continue
        if a >= stop:
            break
        if a > cursor:
            gaps.append((cursor, a))
        cursor = max(cursor, b)
        if cursor >= stop:
            break
    if cursor < stop:
        gaps.append((cursor, stop))
    as_time = lambda m: dt.time(23, 59) if m >= 24 * 60 else dt.time(m // 60, m % 60)  # noqa: E731
    return [(as_time(a), as_time(b)) for a, b in gaps]


def outside_slot_rate(slots: Sequence[Slot], slot_fees: Mapping[str, int]) -> int:
    """The hourly rate of time outside every 区分 in a room that has slot fees only: the highest
    fee per hour among its regular slots, rounded up to the yen (会議室1: 午前 300 円 / 3 h and
    午後 400 円 / 4 h → 100 円). 0 for a room whose slots cost nothing."""
    rates = []
    for s in slots:
        minutes = (s.end.hour * 60 + s.end.minute) - (s.start.hour * 60 + s.start.minute)
        if not s.is_all_day and minutes > 0 and s.name in slot_fees:
            rates.append(-(-int(slot_fees[s.name]) * 60 // minutes))
    return max(rates, default=0)


def uncovered_minutes(start: dt.time, end: dt.time, slots: Sequence[Slot]) -> int:
    """Minutes of ``[start, end)`` outside every regular slot."""
    return sum((b.hour * 60 + b.minute) - (a.hour * 60 + a.minute) for a, b in uncovered_ranges(start, end, slots))


def floor_to_10(yen: int) -> int:
    """Round a non-negative amount down to a multiple of 10 yen (10円未満切捨て)."""
    return (yen // 10) * 10


@dataclass(frozen=True)
class Fee:
    """A fee in integer yen. ``base``: room × slot or started hours; ``gross``: × the class
    multiplier (before 減免); ``waived``: 減免額; ``fee``: to pay. ``gross - waived == fee``."""

    base: int
    gross: int
    waived: int
    fee: int
    multiplier_percent: int = 100
    exemption_rate_percent: int = 0


#: Rounding of the class multiplier (設定): round the gross fee down to 10 yen, or to the yen.
MULTIPLIER_FLOOR_10, MULTIPLIER_FLOOR_1 = "floor_10", "floor_1"
#: Rounding of 減免 (設定): round the fee to pay down to 10 yen (the waived amount is the rest),
#: or round the 減免額 down to 10 yen (the fee to pay is the rest), as the city's 条例 says.
FLOOR_FEE, FLOOR_WAIVED = "floor_fee", "floor_waived"


def compute_fee(base_yen: int, multiplier_percent: int = 100, exemption_rate_percent: int = 0, *,
                multiplier_rounding: str = MULTIPLIER_FLOOR_10, exemption_rounding: str = FLOOR_FEE) -> Fee:
    """使用料 = room × slot (or started hours) × applicant-class multiplier, minus 減免, rounded
    down to 10 yen; integer yen throughout (no floating point).

    Source: docs/architecture.md §4 "Fees" and ``default_center.json`` (``fee_multiplier`` per applicant
    class, ``exemptions`` with ``rate_percent``, ``"rounding": "round down to a multiple of 10 yen
    after exemption"``); the started-hour and 10-yen rules follow 茅野市's hourly model cited in
    ``shared/data/reference/README.md``.

    Steps: ``gross = floor_to_10(base × multiplier% / 100)`` (the class multiplier's fraction,
    e.g. 市外 × 1.5 of ¥250 = ¥375 → ¥370, is rounding, not 減免); the amount to pay is
    ``fee = floor_to_10(gross × (100 − rate%) / 100)`` computed exactly; the amount waived shown
    on the slip is ``gross − fee``, so the slip's lines add up and any rounding favours the
    applicant. 100 % exemption (免除) gives fee 0.

    Both roundings are settings (設定 → 使用料と収納): ``multiplier_rounding`` :data:`MULTIPLIER_FLOOR_1`
    keeps the multiplied fee to the yen (¥375); ``exemption_rounding`` :data:`FLOOR_WAIVED` rounds
    the 減免額 down to 10 yen instead and the fee to pay is the rest (50 % of ¥370: 減免 ¥180, fee
    ¥190, where :data:`FLOOR_FEE` gives fee ¥180, 減免 ¥190).
    """
    if base_yen < 0 or multiplier_percent < 0 or not 0 <= exemption_rate_percent <= 100:
        raise ValueError("fee inputs out of range")
    multiplied = (base_yen * multiplier_percent) // 100
    gross = multiplied if multiplier_rounding == MULTIPLIER_FLOOR_1 else floor_to_10(multiplied)
    if exemption_rounding == FLOOR_WAIVED:
        waived = gross if exemption_rate_percent == 100 else floor_to_10((gross * exemption_rate_percent) // 100)
        fee = gross - waived
    else:
        fee = floor_to_10((gross * (100 - exemption_rate_percent)) // 100)
    return Fee(base_yen, gross, gross - fee, fee, multiplier_percent, exemption_rate_percent)


def add_months(d: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's last day (1/31 + 1 → 2/28)."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))


def horizon_end(today: dt.date, months: int) -> dt.date:
    """The last day that may be booked today by a class with a horizon of ``months``, counted
    from the 1st of the month: applications for a month open on the 1st of the month ``months``
    before it (高崎市's rule). With 3 months, any day of June allows bookings up to September 30;
    on July 1 October opens. Source: docs/architecture.md §4 "Booking horizon"."""
    last_month_first = add_months(today.replace(day=1), months)
    return last_month_first.replace(day=calendar.monthrange(last_month_first.year, last_month_first.month)[1])


def month_range(d: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of ``d``'s month."""
    return d.replace(day=1), d.replace(day=calendar.monthrange(d.year, d.month)[1])
