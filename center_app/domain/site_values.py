"""What the public site (`center-app publish`) is made of: frozen values read by
``services/publish.py`` and drawn by ``export/site.py`` and ``export/ical.py``.

They hold only what may be published: a room's 区分 is free, booked or closed (with the name of
the public event held there, never the applicant or the purpose of a private booking); a group
carries only the fields it agreed to publish (``Group.public_consent``). Times are local wall
time of Asia/Tokyo, naive, intervals half-open ``[start, end)``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class CellState(StrEnum):
    """A room's 区分 on one day: 空き, 予約済, 休館."""

    FREE = "free"
    BOOKED = "booked"
    CLOSED = "closed"


@dataclass(frozen=True)
class SiteSlot:
    """A 利用区分 of a facility (午前 9:00–12:00, …), a column of the month grid."""

    name: str
    start: dt.time
    end: dt.time


@dataclass(frozen=True)
class SiteCell:
    """One 区分 of one room on one day. ``event_title`` / ``event_id``: the public event held
    there (its booking), else empty / None."""

    state: CellState
    event_title: str = ""
    event_id: int | None = None


@dataclass(frozen=True)
class SiteDay:
    """A day of a room: one cell per slot of the facility, in the slots' order. ``closed``: the
    reason the facility is closed (定休日, 年末年始, a holiday's name), "" when open."""

    day: dt.date
    cells: tuple[SiteCell, ...]
    closed: str = ""


@dataclass(frozen=True)
class SiteRoom:
    """A room with its days of one month (from the first published day on); ``code``: the room's
    code (設定), shown beside its Japanese name on a page in a language that has no name for it."""

    id: int
    name: str
    days: tuple[SiteDay, ...]
    code: str = ""


@dataclass(frozen=True)
class SiteMonth:
    """A month of a facility's grid: ``first`` is its 1st."""

    first: dt.date
    rooms: tuple[SiteRoom, ...]


@dataclass(frozen=True)
class SiteFacility:
    """A facility with its slots and the published months."""

    id: int
    name: str
    slots: tuple[SiteSlot, ...]
    months: tuple[SiteMonth, ...]


@dataclass(frozen=True)
class BusyTime:
    """A booked interval of a room (a calendar entry with no name)."""

    room_id: int
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class SiteEvent:
    """A public event (イベント・講座) as its flyer announces it. ``fee_yen`` 0 is free, None
    unsaid; ``flyer``: the file name of its flyer PDF ("" when the flyer cannot be printed)."""

    id: int
    title: str
    event_date: dt.date
    start_time: dt.time | None
    end_time: dt.time | None
    place: str
    catch_copy: str = ""
    organiser: str = ""
    fee_yen: int | None = None
    fee_note: str = ""
    capacity: int | None = None
    how_to_apply: str = ""
    contact: str = ""
    description: str = ""
    url: str = ""
    #: 共催 and 後援 as the flyer prints them (the event's own with the approved ones).
    co_hosts: str = ""
    supporters: str = ""
    flyer: str = ""


@dataclass(frozen=True)
class SiteGroup:
    """A group of the public directory: only the fields it agreed to publish are filled ("" or
    None otherwise). ``fields``: codes of its 活動分野 in its own order; ``contact``: postal code,
    address, phones and e-mail as lines."""

    id: int
    name: str
    name_kana: str
    fields: tuple[int, ...] = ()
    representative: str = ""
    contact: tuple[str, ...] = ()
    website: str = ""
    founded_on: dt.date | None = None
    member_count: int | None = None
    membership_fee: str = ""
    purpose: str = ""
    activities: str = ""


@dataclass(frozen=True)
class SiteData:
    """Everything one publication writes. ``fields``: (code, name) of the 活動分野 the listed
    groups have, in code order; ``rooms``: (room id, "facility room") for the calendar files."""

    center_name: str
    generated_at: dt.datetime
    first_day: dt.date
    last_day: dt.date
    facilities: tuple[SiteFacility, ...]
    events: tuple[SiteEvent, ...]
    groups: tuple[SiteGroup, ...]
    fields: tuple[tuple[int, str], ...]
    rooms: tuple[tuple[int, str], ...]
    busy: tuple[BusyTime, ...]
    #: names of rooms and facilities in other languages, from 設定 → センター 「外国語の書類での
    #: 名前」 (``document_names``): (the Japanese name, ((language code, name), …)), …
    names: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
