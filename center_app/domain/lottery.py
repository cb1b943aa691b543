"""抽選: the reproducible draw of the opening-day lottery for rooms and of the yearly 公募 of
lockers and letter cases. Pure functions over plain values: the services record what goes in
(the seed and the tickets, in canonical order) so anyone can run :func:`draw` again and get the
same winners.

The rule, the same for every draw (docs/architecture.md §4, "Lottery"):

1. The tickets are put in **canonical order**: sorted by :attr:`Ticket.key` — for rooms the day,
   the slot's start, the room's code, the group's registration number and the entry number; for
   lockers the kind, the group's registration number and the application number. The order does
   not depend on how the database returns rows.
2. ``random.Random(seed).shuffle`` of that list gives the **priority order** (Python's Mersenne
   Twister: the same seed and list give the same order on every PC and Python 3 version).
3. Walking the priority order, a ticket **wins** when what it asks for is still free (its
   ``prize``: a room, day and slot — or one unit of a locker kind, ``capacity`` of them), its
   group has won fewer than ``cap`` tickets and the ticket can take the prize (the booking checks
   of the counter: a group over its monthly cap, a day closed since the entry); otherwise it
   **loses**, with the reason. A ticket that cannot take its prize leaves it to the next ticket
   for that prize in the priority order; when none can take it, every one of them loses with its
   own reason. Those refusals are recorded with the draw, so running it again gives the same
   outcomes.

Sources of the practice: 高崎市 (duplicates on the first day of the booking window are drawn),
横浜 山内地区センター (entries on days 1–10 two months ahead, 2 per facility, results on the 20th),
仙台市 (system draw on the 1st three months ahead, winners confirm in 8 days), 小田原 UMECO and
 札幌 (lockers by 公募 and 抽選 each year).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from center_app.i18n import N_

#: Why a ticket lost (message ids).
LOST_TAKEN = N_("another entry won this slot")
LOST_BOOKED = N_("already booked before the draw")
LOST_CAP = N_("the group reached its limit of wins")
LOST_FULL = N_("no unit of this kind was left")
LOST_REFUSED = N_("cannot be booked: {reason}")

MAX_SEED = 2**63 - 1


@dataclass(frozen=True)
class Ticket:
    """One entry in a draw: ``number`` (the entry or application number), ``group`` (the group's
    key, e.g. its registration number), ``prize`` (what it asks for: ``"M1 2026-08-04 午前"`` or a
    locker kind) and ``key`` (its place in the canonical order, a tuple of strings)."""

    number: int
    group: str
    prize: str
    key: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    """What one ticket got: ``rank`` in the priority order (1 = drawn first), ``won``, and for a
    loser the reason (a message id of this module) and, for :data:`LOST_REFUSED`, ``detail``:
    why the ticket could not take its prize (the booking check's message, as recorded)."""

    ticket: Ticket
    rank: int
    won: bool
    reason: str = ""
    detail: str = ""


def canonical(tickets: Sequence[Ticket]) -> list[Ticket]:
    """The tickets in canonical order (by :attr:`Ticket.key`, then number)."""
    return sorted(tickets, key=lambda t: (t.key, t.number))


def check_seed(seed: int) -> int:
    """The seed as given when it is a whole number from 0 to 2**63 − 1; ValueError otherwise."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise ValueError("seed")
    return seed


def draw(tickets: Sequence[Ticket], seed: int, cap: int, *, capacity: Mapping[str, int] | None = None,
         taken: frozenset[str] | set[str] = frozenset(), refusal: Callable[[Ticket], str | None] | None = None) -> list[Outcome]:
    """Draw ``tickets`` with ``seed``: the outcomes in priority order (see the module's rule).

    ``cap`` is the most tickets one group may win (0 = no limit). ``capacity`` gives how many
    tickets each prize can take (default 1: a room slot); ``taken`` names prizes already gone
    before the draw (a slot booked at the counter). ``refusal`` is asked, in priority order,
    about each ticket that would win: a text (why it cannot take its prize) makes it lose with
    :data:`LOST_REFUSED` and that ``detail``, leaving the prize and the group's count to the
    tickets after it; None lets it win. The same arguments (and the same answers of
    ``refusal``) always give the same outcomes."""
    order = canonical(tickets)
    random.Random(check_seed(seed)).shuffle(order)
    left = {prize: (capacity or {}).get(prize, 1) for prize in {t.prize for t in order}}
    wins: dict[str, int] = {}
    outcomes: list[Outcome] = []
    for rank, ticket in enumerate(order, start=1):
        if ticket.prize in taken:
            outcomes.append(Outcome(ticket, rank, False, LOST_BOOKED))
        elif left[ticket.prize] <= 0:
            outcomes.append(Outcome(ticket, rank, False, LOST_FULL if capacity else LOST_TAKEN))
        elif cap and wins.get(ticket.group, 0) >= cap:
            outcomes.append(Outcome(ticket, rank, False, LOST_CAP))
        elif refusal is not None and (why := refusal(ticket)):
            outcomes.append(Outcome(ticket, rank, False, LOST_REFUSED, why))
        else:
            left[ticket.prize] -= 1
            wins[ticket.group] = wins.get(ticket.group, 0) + 1
            outcomes.append(Outcome(ticket, rank, True))
    return outcomes


def ticket_record(ticket: Ticket) -> dict:
    """A ticket as stored with the draw (JSON): enough to draw again."""
    return {"number": ticket.number, "group": ticket.group, "prize": ticket.prize, "key": list(ticket.key)}


def ticket_from_record(item: Mapping) -> Ticket:
    """The ticket of a stored record (:func:`ticket_record`)."""
    return Ticket(int(item["number"]), str(item["group"]), str(item["prize"]), tuple(str(k) for k in item["key"]))


# --- the result of a room lottery, as listed and printed ----------------------------------------


@dataclass(frozen=True)
class ResultLine:
    """One entry of a room lottery's result: its number and rank, the group, what it asked for
    (room, day, slot), whether it won; a winner's 仮予約 (``slip_no``) and the day it must be
    confirmed by; a loser's reason (already translated) and free alternatives (``"会議室2 午前"``)."""

    entry_no: int
    rank: int
    group_name: str
    registration_no: str
    room_name: str
    day: dt.date
    slot_name: str
    won: bool
    slip_no: str = ""
    confirm_by: dt.date | None = None
    reason: str = ""
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class LotteryResult:
    """A room lottery of one facility and month: the seed, how many entries, the lines in
    priority order, whether it was recorded (False for a dry run), when and by whom it was drawn,
    and whether running it again from the record gives the same winners (``verified``)."""

    facility_name: str
    facility_code: str
    month: str
    seed: int
    cap: int
    lines: tuple[ResultLine, ...]
    recorded: bool
    drawn_at: dt.datetime | None = None
    drawn_by: str = ""

    @property
    def winners(self) -> tuple[ResultLine, ...]:
        """The winning lines, in priority order."""
        return tuple(line for line in self.lines if line.won)

    @property
    def losers(self) -> tuple[ResultLine, ...]:
        """The losing lines, in priority order."""
        return tuple(line for line in self.lines if not line.won)
