"""イベント: list, read, save and delete the center's events; the event as a flyer prints it.

Every staff member may manage events (they are public information); every change is audited
(entity ``event``). An event needs a title to be saved; the date may wait, but an event without
a date (or title) cannot be printed, and the flyer says so. Every change locks the event's row
first; the form's save is refused with StaleEditError when the event changed since the form was
opened (``expected_version``, :mod:`center_app.services.editing`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from center_app.db.bookings import Booking
from center_app.db.events import Event
from center_app.db.models import ApplicantClass, Facility, Room
from center_app.domain import clock
from center_app.domain.booking_values import OPEN, BookingInput, BookingStatus
from center_app.domain.center_settings import CENTER_NAME
from center_app.domain.documents import FLYER_TEMPLATES, FlyerEvent, FlyerOptions, flyer_option_problems
from center_app.domain.errors import FieldProblem, MissingGlyphError, ValidationError
from center_app.domain.normalize import as_date, clean_lines, clean_text, normalize_url
from center_app.i18n import _
from center_app.print.fonts import GOTHIC, missing_characters
from center_app.services import audit, center_settings
from center_app.services.bookings import apply_checked, insert_booking
from center_app.services.bookings import snapshot as booking_snapshot
from center_app.services.bookings_checks import CheckOptions, check_booking, lock_rooms
from center_app.services.bookings_guard import database_refusals, flush_booking
from center_app.services.context import ServiceContext
from center_app.services.editing import lock_for_edit

_TIME = re.compile(r"^(\d{1,2})(?::|時|)(\d{2})?分?$")
_TEXT_LIMITS = {
    "title": 200, "catch_copy": 200, "place_text": 200, "organiser": 200, "co_hosts": 400, "fee_note": 100,
    "how_to_apply": 2000, "contact": 1000, "description": 4000, "image_path": 500,
}
_MULTILINE = ("how_to_apply", "contact", "description")


@dataclass(frozen=True)
class EventInput:
    """What the event form sends: text as typed (dates, times and numbers may be text)."""

    title: str
    event_date: dt.date | str | None = None
    start_time: dt.time | str | None = None
    end_time: dt.time | str | None = None
    room_id: int | None = None
    place_text: str = ""
    catch_copy: str = ""
    organiser: str = ""
    co_hosts: str = ""
    fee_yen: int | str | None = None
    fee_note: str = ""
    capacity: int | str | None = None
    how_to_apply: str = ""
    contact: str = ""
    description: str = ""
    image_path: str = ""
    url: str = ""


@dataclass(frozen=True)
class EventSummary:
    """A row of the event list."""

    id: int
    title: str
    event_date: dt.date | None
    start_time: dt.time | None
    end_time: dt.time | None
    place: str


@dataclass(frozen=True)
class EventDetail:
    """An event with every field; ``place`` is the room (with its facility) or the free text."""

    id: int
    title: str
    event_date: dt.date | None
    start_time: dt.time | None
    end_time: dt.time | None
    room_id: int | None
    place_text: str
    place: str
    catch_copy: str
    organiser: str
    co_hosts: str
    fee_yen: int | None
    fee_note: str
    capacity: int | None
    how_to_apply: str
    contact: str
    description: str
    image_path: str
    url: str
    flyer_options: FlyerOptions = field(default_factory=FlyerOptions)
    updated_at: dt.datetime | None = None
    version: int = 1


# --- reading ---------------------------------------------------------------------------------------


def _place(session: Session, event: Event) -> str:
    if event.room_id is not None:
        row = session.execute(select(Room.name, Facility.name).join(Facility).where(Room.id == event.room_id)).first()
        if row is not None:
            room = f"{row[1]} {row[0]}"
            return f"{room}（{event.place_text}）" if event.place_text else room
    return event.place_text


def _options(raw: Any) -> FlyerOptions:
    raw = raw if isinstance(raw, dict) else {}
    known = {f.name for f in fields(FlyerOptions)}
    values = {k: v for k, v in raw.items() if k in known}
    if values.get("template") not in FLYER_TEMPLATES:
        values.pop("template", None)
    return FlyerOptions(**values)


def _detail(session: Session, event: Event) -> EventDetail:
    return EventDetail(
        id=event.id, title=event.title, event_date=event.event_date, start_time=event.start_time, end_time=event.end_time,
        room_id=event.room_id, place_text=event.place_text, place=_place(session, event), catch_copy=event.catch_copy,
        organiser=event.organiser, co_hosts=event.co_hosts, fee_yen=event.fee_yen, fee_note=event.fee_note,
        capacity=event.capacity, how_to_apply=event.how_to_apply, contact=event.contact, description=event.description,
        image_path=event.image_path, url=event.url, flyer_options=_options(event.flyer_options), updated_at=event.updated_at,
        version=event.version,
    )


def list_events(ctx: ServiceContext, *, from_date: dt.date | None = None) -> list[EventSummary]:
    """Events, undated ones first (being planned), then the newest date first; with
    ``from_date`` only those on or after it (and the undated)."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        query = select(Event).order_by(Event.event_date.is_not(None), Event.event_date.desc(), Event.start_time.desc(), Event.id.desc())
        if from_date is not None:
            query = query.where((Event.event_date.is_(None)) | (Event.event_date >= from_date))
        return [
            EventSummary(e.id, e.title, e.event_date, e.start_time, e.end_time, _place(session, e))
            for e in session.scalars(query)
        ]


def _load(session: Session, event_id: int) -> Event:
    event = session.get(Event, event_id)
    if event is None:
        raise ValidationError(_("This event no longer exists. Reload the list."))
    return event


def _lock(session: Session, event_id: int, expected_version: int | None = None) -> Event:
    return lock_for_edit(session, Event, event_id, entity="event", missing=_("This event no longer exists. Reload the list."),
                         expected_version=expected_version)


def get_event(ctx: ServiceContext, event_id: int) -> EventDetail:
    """One event with every field."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        return _detail(session, _load(session, event_id))


def flyer_event(detail: EventDetail) -> FlyerEvent:
    """The event as the flyer prints it."""
    return FlyerEvent(
        title=detail.title, event_date=detail.event_date, start_time=detail.start_time, end_time=detail.end_time,
        place=detail.place, catch_copy=detail.catch_copy, organiser=detail.organiser, co_hosts=detail.co_hosts,
        fee_yen=detail.fee_yen, fee_note=detail.fee_note, capacity=detail.capacity, how_to_apply=detail.how_to_apply,
        contact=detail.contact, description=detail.description, image_path=detail.image_path, url=detail.url,
    )


# --- validation ------------------------------------------------------------------------------------


def parse_time(value: dt.time | str | None, field_name: str) -> dt.time | None:
    """13:30, 1330, 13時30分, 9時, full-width digits; None for blank."""
    if value is None or isinstance(value, dt.time):
        return value
    text = unicodedata.normalize("NFKC", value).replace(" ", "")
    if not text:
        return None
    found = _TIME.match(text)
    if found is None and text.isdigit() and len(text) in (3, 4):
        found = _TIME.match(f"{text[:-2]}:{text[-2:]}")
    if found:
        hour, minute = int(found.group(1)), int(found.group(2) or 0)
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    raise ValidationError(_("Enter a time such as 13:30."), field_name=field_name)


def _whole_number(value: int | str | None, field_name: str, minimum: int) -> int | None:
    if value is None or isinstance(value, int):
        number = value
    else:
        text = unicodedata.normalize("NFKC", value).strip().replace(",", "").removesuffix("円").removesuffix("人").removesuffix("名").strip()
        if not text:
            return None
        if text in ("無料", "0円"):
            return 0
        if not text.removeprefix("-").isdigit():
            raise ValidationError(_("Enter a whole number."), field_name=field_name)
        number = int(text)  # a negative one is refused below, saying what the least is
    if number is not None and number < minimum:
        raise ValidationError(_("Enter {low} or more.").format(low=minimum), field_name=field_name)
    return number


def clean_event(session: Session, raw: EventInput) -> dict[str, Any]:
    """The stored values of ``raw``; ValidationError listing every bad field at once."""
    problems: list[FieldProblem] = []
    values: dict[str, Any] = {}
    for name, limit in _TEXT_LIMITS.items():
        text = getattr(raw, name) or ""
        if name in _MULTILINE:
            text = clean_lines(text)
        elif name == "image_path":
            text = text.strip()
        else:
            text = clean_text(text)
        if len(text) > limit:
            problems.append(FieldProblem(name, _("At most {n} characters.").format(n=limit)))
        if name != "image_path":
            missing = missing_characters(text, GOTHIC)
            if missing:
                problems += MissingGlyphError(missing, GOTHIC, name).problems
        values[name] = text
    if not values["title"]:
        problems.append(FieldProblem("title", _("Enter the event's title.")))
    for name, parser in (("event_date", lambda v: as_date(v, field="event_date")),
                         ("start_time", lambda v: parse_time(v, "start_time")), ("end_time", lambda v: parse_time(v, "end_time")),
                         ("fee_yen", lambda v: _whole_number(v, "fee_yen", 0)), ("capacity", lambda v: _whole_number(v, "capacity", 1)),
                         ("url", lambda v: normalize_url(v, field="url"))):
        try:
            values[name] = parser(getattr(raw, name))
        except ValidationError as exc:
            problems += exc.problems
    if values.get("start_time") and values.get("end_time") and values["end_time"] <= values["start_time"]:
        problems.append(FieldProblem("end_time", _("The event must end after it starts.")))
    if values.get("end_time") and not values.get("start_time") and "start_time" not in {p.field for p in problems}:
        problems.append(FieldProblem("start_time", _("Enter the starting time too.")))
    values["room_id"] = raw.room_id
    if raw.room_id is not None and session.get(Room, raw.room_id) is None:
        problems.append(FieldProblem("room_id", _("This room no longer exists. Choose another.")))
    if problems:
        raise ValidationError(problems)
    return values


# --- writing ---------------------------------------------------------------------------------------


def _snapshot(event: Event) -> dict[str, Any]:
    return {name: getattr(event, name) for name in (*_TEXT_LIMITS, "event_date", "start_time", "end_time", "room_id", "fee_yen", "capacity", "url")}


def save_event(ctx: ServiceContext, event_id: int | None, data: EventInput, *, expected_version: int | None = None) -> EventDetail:
    """Create (``event_id`` None) or update an event. Raises ValidationError for every bad
    field; StaleEditError, naming who changed it, when the event changed since the form was
    opened (``expected_version``)."""
    user = ctx.require_signed_in()
    with database_refusals(ctx), ctx.db.write() as session:
        event = _lock(session, event_id, expected_version) if event_id is not None else Event(flyer_options={})
        values = clean_event(session, data)
        if event_id is None:
            before: dict[str, Any] = {}
        else:
            before = _snapshot(event)
        for name, value in values.items():
            setattr(event, name, value)
        if event_id is None:
            session.add(event)
        session.flush()
        _book_room(session, user, event)
        old, new = audit.changes(before, _snapshot(event))
        audit.record(session, user, "event", event.id, "create" if event_id is None else "update", old or None, new)
        return _detail(session, event)


#: Applicant class of the bookings that hold the rooms of the center's own events.
EVENT_CLASS = "resident"


def _book_room(session: Session, user, event: Event) -> None:
    """An event held in a room books it through the booking rules (conflict, closed day,
    opening hours, capacity; not the horizon, monthly cap or registration, which are rules for
    applicants), linked by ``event.booking_id``: the first save books, a later save moves the
    booking with the event, and an event that no longer has a room, date and times cancels it.
    A refusal raises the booking's own error (ConflictError naming the other booking, …) and
    nothing of the event is written."""
    linked = session.get(Booking, event.booking_id) if event.booking_id else None
    if linked is not None and linked.status not in OPEN:
        linked = None
    if event.room_id is None or event.event_date is None or event.start_time is None or event.end_time is None:
        _release_room(session, user, event, _("The event no longer uses the room."))
        return
    klass = session.scalar(select(ApplicantClass.code).where(ApplicantClass.code == EVENT_CLASS))
    data = BookingInput(
        room_id=event.room_id, day=event.event_date, start_time=event.start_time, end_time=event.end_time,
        applicant_name=center_settings.get(session, CENTER_NAME) or event.organiser or event.title,
        applicant_class=EVENT_CLASS if klass is not None else "", purpose=event.title,
        expected_people=event.capacity or 1, status=BookingStatus.CONFIRMED,  # the booking needs a count: 定員 or 1
        note=_("Event: {title}").format(title=event.title),
    )
    lock_rooms(session, [event.room_id, linked.room_id if linked is not None else None])
    options = CheckOptions(horizon=False, cap=False, registration=False, require_phone=False,
                           exclude_id=linked.id if linked is not None else None)
    checked = check_booking(session, user, data, options)
    checked.raise_first()
    if linked is None:
        event.booking_id = insert_booking(session, checked, data, user).id
        return
    before = booking_snapshot(linked)
    apply_checked(linked, checked, data, user)
    flush_booking(session, linked)
    old, new = audit.changes(before, booking_snapshot(linked))
    if new:
        audit.record(session, user, "booking", linked.id, "update", old, new)


def _release_room(session: Session, user, event: Event, reason: str) -> None:
    """Cancel the open booking that held the event's room (audited), if any."""
    linked = session.get(Booking, event.booking_id) if event.booking_id else None
    if linked is None or linked.status not in OPEN:
        return
    before = booking_snapshot(linked)
    linked.status, linked.cancel_reason, linked.cancelled_at = BookingStatus.CANCELLED, reason, clock.now()
    session.flush()
    old, new = audit.changes(before, booking_snapshot(linked))
    audit.record(session, user, "booking", linked.id, "cancel", old, new)


def event_of_booking(ctx: ServiceContext, booking_id: int) -> EventSummary | None:
    """The event whose room ``booking_id`` holds, None for an ordinary booking."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        event = session.scalar(select(Event).where(Event.booking_id == booking_id))
        if event is None:
            return None
        return EventSummary(event.id, event.title, event.event_date, event.start_time, event.end_time, _place(session, event))


def follow_booking(ctx: ServiceContext, event_id: int) -> EventDetail:
    """The event takes the room, date and times of its booking again (after the booking was
    moved at the counter), audited as a change of the event."""
    user = ctx.require_signed_in()
    with ctx.db.write() as session:
        event = _load(session, event_id)
        booking = session.get(Booking, event.booking_id) if event.booking_id else None
        if booking is None:
            raise ValidationError(_("This event no longer has a booking."), field_name="room_id")
        before = _snapshot(event)
        event.room_id, event.event_date = booking.room_id, booking.start_at.date()
        event.start_time, event.end_time = booking.start_at.time(), booking.end_at.time()
        old, new = audit.changes(before, _snapshot(event))
        if new:
            audit.record(session, user, "event", event.id, "update", old, new)
        return _detail(session, event)


def release_event_room(ctx: ServiceContext, event_id: int) -> EventDetail:
    """The event no longer uses its room (its booking was cancelled at the counter): the room
    is taken off the event, so the flyer no longer advertises it; audited."""
    user = ctx.require_signed_in()
    with ctx.db.write() as session:
        event = _load(session, event_id)
        before = _snapshot(event)
        event.room_id, event.booking_id = None, None
        old, new = audit.changes(before, _snapshot(event))
        if new:
            audit.record(session, user, "event", event.id, "update", old, new)
        return _detail(session, event)


def save_flyer_options(ctx: ServiceContext, event_id: int, options: FlyerOptions) -> None:
    """Remember the flyer choices of an event (template, languages, translated texts)."""
    user = ctx.require_signed_in()
    problems = flyer_option_problems(options)
    if problems:
        raise ValidationError(problems)
    with ctx.db.write() as session:
        event = _lock(session, event_id)
        value = {f.name: getattr(options, f.name) for f in fields(FlyerOptions)}
        if (event.flyer_options or {}) != value:
            audit.record(session, user, "event", event.id, "update", {"flyer_options": event.flyer_options}, {"flyer_options": value})
            event.flyer_options = value


def delete_event(ctx: ServiceContext, event_id: int) -> None:
    """Delete an event (audited with what it was)."""
    user = ctx.require_signed_in()
    with ctx.db.write() as session:
        event = _lock(session, event_id)
        audit.record(session, user, "event", event.id, "delete", _snapshot(event), None)
        _release_room(session, user, event, _("The event was deleted."))
        session.delete(event)
