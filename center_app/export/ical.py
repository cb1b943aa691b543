"""The public site's calendar files (RFC 5545, written with the ``icalendar`` package): one per
room with its booked times only — no applicant, no purpose, every entry titled 予約済 / Booked —
and one of the public events. Times are local wall time of Asia/Tokyo, written with their zone
(a VTIMEZONE is included)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import icalendar

from center_app.domain.site_values import BusyTime, SiteEvent

TOKYO = ZoneInfo("Asia/Tokyo")
_PRODID = "-//Center Desk//Public site//JA"


def _calendar(name: str) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", _PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Tokyo")
    return cal


def _local(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=TOKYO)


def room_calendar(room_name: str, busy: Iterable[BusyTime], generated_at: dt.datetime) -> bytes:
    """The .ics of one room (``room_name``: "facility room"): one busy VEVENT per booked
    interval, titled 「予約済 / Booked」, with nothing else about the booking."""
    cal = _calendar(f"{room_name} 予約済 / Booked")
    for item in busy:
        entry = icalendar.Event()
        entry.add("uid", f"room-{item.room_id}-{item.start:%Y%m%dT%H%M}-{item.end:%H%M}@center-desk")
        entry.add("dtstamp", _local(generated_at))
        entry.add("dtstart", _local(item.start))
        entry.add("dtend", _local(item.end))
        entry.add("summary", "予約済 / Booked")
        entry.add("transp", "OPAQUE")
        entry.add("class", "PUBLIC")
        cal.add_component(entry)
    cal.add_missing_timezones()
    return cal.to_ical()


def events_calendar(center_name: str, events: Iterable[SiteEvent], generated_at: dt.datetime) -> bytes:
    """The .ics of the public events: title, place, catch copy and the web address the event
    gives; an event without a start time is an all-day entry, one without an end lasts 2 hours."""
    cal = _calendar(f"{center_name} イベント / Events".strip())
    for event in events:
        entry = icalendar.Event()
        entry.add("uid", f"event-{event.id}@center-desk")
        entry.add("dtstamp", _local(generated_at))
        if event.start_time is None:
            entry.add("dtstart", event.event_date)
            entry.add("dtend", event.event_date + dt.timedelta(days=1))
        else:
            start = dt.datetime.combine(event.event_date, event.start_time)
            end = dt.datetime.combine(event.event_date, event.end_time) if event.end_time and event.end_time > event.start_time else start + dt.timedelta(hours=2)
            entry.add("dtstart", _local(start))
            entry.add("dtend", _local(end))
        entry.add("summary", event.title)
        if event.place:
            entry.add("location", event.place)
        if event.catch_copy or event.description:
            entry.add("description", "\n".join(t for t in (event.catch_copy, event.description) if t))
        if event.url:
            entry.add("url", event.url)
        cal.add_component(entry)
    cal.add_missing_timezones()
    return cal.to_ical()
