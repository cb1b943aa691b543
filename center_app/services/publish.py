"""The public site (`center-app publish`, 印刷 → 公開): a static site of the facilities'
availability, the upcoming events with their flyers and the directory of consenting groups,
in Japanese, やさしい日本語 and the document languages, with calendar files (iCalendar).

What is read here is only what may be published:

- availability per room × day × 区分 from the same rules as the 予約 calendar: a 区分 is booked
  when a booking that blocks the room (仮予約, 確定, 利用済, 無断キャンセル) overlaps it, closed
  when the facility's 休館日 rules close the day (:func:`center_app.domain.closed_days.day_status`);
  a booking held for a public event shows the event's title, any other booking only 予約済 —
  never its applicant or purpose;
- events with a title and a date from today on, with the flyer of the 印刷 screen
  (:func:`center_app.services.documents.flyer_pdf` with the event's stored options);
- groups in status 登録 (not expired) that agreed to publish their name, with only the fields
  they agreed to publish (``Group.public_consent``), in 五十音 order (``name_sort``) — the same
  rule as the public list export (:func:`center_app.services.groups_io.export_groups`).

The site is written into a new folder beside the output folder and swapped in when complete, so
a half-written site is never left; a folder that holds files this command did not write (its
manifest, :data:`MANIFEST`) or that cannot be written is refused before anything is written.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select

from center_app.db.bookings import Booking
from center_app.db.events import Event
from center_app.db.groups import ActivityField, Group
from center_app.db.models import Facility, Room, TimeSlot
from center_app.domain import clock
from center_app.domain.booking_values import BLOCKING
from center_app.domain import document_names
from center_app.domain.center_settings import CENTER_NAME, DOCUMENT_NAMES, PUBLISH_FOLDER, PUBLISH_LANGUAGES, PUBLISH_MONTHS
from center_app.domain.closed_days import day_status
from center_app.domain.document_texts import SITE_LANGUAGES
from center_app.domain.errors import Cancelled, CenterError, ValidationError
from center_app.domain.site_values import (
    BusyTime,
    CellState,
    SiteCell,
    SiteData,
    SiteDay,
    SiteEvent,
    SiteFacility,
    SiteGroup,
    SiteMonth,
    SiteRoom,
    SiteSlot,
)
from center_app.export.ical import events_calendar, room_calendar
from center_app.export.site import render_site
from center_app.i18n import _
from center_app.services import audit, center_settings, documents, endorsements
from center_app.services.context import ServiceContext
from center_app.services.events import get_event
from center_app.services.facilities import closed_day_rules
from center_app.services.group_values import REGISTERED, effective_status

#: The manifest the site keeps at its root: the files one publication wrote (relative paths),
#: so the next publication knows which files of the folder are its own.
MANIFEST = ".center-desk-site.json"
#: Months published when none are given (from the current month), and the most a run may take.
DEFAULT_MONTHS = 3
MAX_MONTHS = 12

#: ``progress(done, total)``; returning False stops the run (nothing is written).
Progress = Callable[[int, int], bool]


@dataclass(frozen=True)
class PublishResult:
    """What a publication wrote: the folder, the number of files and pages, the counts shown,
    and the events whose flyer could not be printed (title and reason), which are published
    without one."""

    folder: Path
    files: int
    pages: int
    facilities: int
    events: int
    groups: int
    flyers_skipped: tuple[tuple[str, str], ...] = ()


# --- input ---------------------------------------------------------------------------------------


def parse_languages(text: str | Sequence[str]) -> tuple[str, ...]:
    """The site's languages from ``ja,en,…`` (or a sequence of codes): known codes of
    :data:`SITE_LANGUAGES` in their order, each once, Japanese first whether named or not
    (the directory is in Japanese). Raises ValidationError naming the unknown codes."""
    codes = [c.strip() for c in (text.split(",") if isinstance(text, str) else text) if c.strip()]
    unknown = [c for c in codes if c not in SITE_LANGUAGES]
    if unknown:
        raise ValidationError(_("Unknown language {codes}: choose from {known}.").format(
            codes="、".join(unknown), known=", ".join(SITE_LANGUAGES)), field_name="languages")
    chosen = {"ja", *codes}
    return tuple(c for c in SITE_LANGUAGES if c in chosen)


def check_months(months: int) -> int:
    """``months`` if it is 1 … :data:`MAX_MONTHS`; else ValidationError."""
    if not 1 <= months <= MAX_MONTHS:
        raise ValidationError(_("Publish 1 to {most} months.").format(most=MAX_MONTHS), field_name="months")
    return months


def _manifest_files(folder: Path) -> set[str]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return {str(name) for name in data.get("files", ())}
    except (OSError, ValueError, AttributeError, TypeError):
        return set()


def _relative_files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir())


def check_output_folder(folder: Path) -> None:
    """Refuse, before anything is written, an output folder the site cannot replace: a file, a
    folder whose parent is missing or cannot be written (the site is written beside it, then
    swapped in), a folder that cannot be written, or one that holds files an earlier
    publication did not write (not in its manifest; the first five are named). Raises
    ValidationError."""
    folder = Path(folder)
    parent = folder.absolute().parent
    if folder.exists() and not folder.is_dir():
        raise ValidationError(_("{path} is a file, not a folder: choose a folder for the site.").format(path=folder), field_name="output")
    if not parent.is_dir():
        raise ValidationError(_("The folder {path} does not exist.").format(path=parent), field_name="output")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ValidationError(_("The folder {path} cannot be written: the site is written beside the output folder, then put in its place.").format(
            path=parent), field_name="output")
    if not folder.exists():
        return
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ValidationError(_("The folder {path} cannot be written.").format(path=folder), field_name="output")
    try:
        present = _relative_files(folder)
    except OSError as exc:
        raise ValidationError(_("The folder {path} cannot be read ({reason}).").format(path=folder, reason=exc.strerror or exc), field_name="output") from None
    own = _manifest_files(folder) | {MANIFEST}
    foreign = [name for name in present if name not in own]
    if foreign:
        shown = "、".join(foreign[:5]) + (" …" if len(foreign) > 5 else "")
        raise ValidationError(_("The folder {path} holds {count} files the site did not write ({names}): choose an empty folder or the site's own.").format(
            path=folder, count=len(foreign), names=shown), field_name="output")


# --- reading --------------------------------------------------------------------------------------


def _month_starts(today: dt.date, months: int) -> list[dt.date]:
    first = today.replace(day=1)
    starts = []
    for _i in range(months):
        starts.append(first)
        first = (first + dt.timedelta(days=32)).replace(day=1)
    return starts


def _overlaps(start: dt.datetime, end: dt.datetime, day: dt.date, slot: SiteSlot) -> bool:
    return start < dt.datetime.combine(day, slot.end) and dt.datetime.combine(day, slot.start) < end


def _facilities(session, today: dt.date, months: int) -> tuple[list[SiteFacility], list[BusyTime], list[tuple[int, str]], dt.date]:
    starts = _month_starts(today, months)
    last_day = dt.date(starts[-1].year, starts[-1].month, calendar.monthrange(starts[-1].year, starts[-1].month)[1])
    begin, finish = dt.datetime.combine(today, dt.time(0)), dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(0))
    event_of_booking = {
        booking_id: (event_id, title)
        for booking_id, event_id, title in session.execute(
            select(Event.booking_id, Event.id, Event.title).where(Event.booking_id.is_not(None), Event.event_date.is_not(None)))
    }
    facilities, busy, room_names = [], [], []
    for facility in session.scalars(select(Facility).where(Facility.active.is_(True)).order_by(Facility.sort_order, Facility.id)):
        slots = tuple(
            SiteSlot(s.name, s.start_time, s.end_time)
            for s in session.scalars(select(TimeSlot).where(TimeSlot.facility_id == facility.id, TimeSlot.active.is_(True))
                                     .order_by(TimeSlot.sort_order, TimeSlot.id))
            if not s.is_all_day
        )
        rooms = session.scalars(select(Room).where(Room.facility_id == facility.id, Room.active.is_(True)).order_by(Room.sort_order, Room.id)).all()
        rules = closed_day_rules(session, facility.id)
        bookings: dict[int, list[tuple[dt.datetime, dt.datetime, int]]] = {}
        for room_id, start, end, booking_id in session.execute(
            select(Booking.room_id, Booking.start_at, Booking.end_at, Booking.id)
            .where(Booking.room_id.in_([r.id for r in rooms]), Booking.start_at >= begin, Booking.start_at < finish, Booking.status.in_(BLOCKING))
            .order_by(Booking.start_at, Booking.id)
        ):
            bookings.setdefault(room_id, []).append((start, end, booking_id))
            busy.append(BusyTime(room_id, start, end))
        statuses = {}
        day = today
        while day <= last_day:
            statuses[day] = day_status(day, rules)
            day += dt.timedelta(days=1)
        month_values = []
        for first in starts:
            days_in = calendar.monthrange(first.year, first.month)[1]
            days = [first + dt.timedelta(days=i) for i in range(days_in) if first + dt.timedelta(days=i) >= today]
            site_rooms = []
            for room in rooms:
                room_days = []
                for day in days:
                    status = statuses[day]
                    held = [b for b in bookings.get(room.id, ()) if b[0].date() == day]
                    cells = []
                    for slot in slots:
                        hit = [b for b in held if _overlaps(b[0], b[1], day, slot)]
                        event = next((event_of_booking[b[2]] for b in hit if b[2] in event_of_booking), None)
                        if event is not None:
                            cells.append(SiteCell(CellState.BOOKED, event_title=event[1], event_id=event[0]))
                        elif hit:
                            cells.append(SiteCell(CellState.BOOKED))
                        elif not status.is_open:
                            cells.append(SiteCell(CellState.CLOSED))
                        else:
                            cells.append(SiteCell(CellState.FREE))
                    room_days.append(SiteDay(day, tuple(cells), "" if status.is_open else (status.reason or "")))
                site_rooms.append(SiteRoom(room.id, room.name, tuple(room_days), room.code))
            month_values.append(SiteMonth(first, tuple(site_rooms)))
        facilities.append(SiteFacility(facility.id, facility.name, slots, tuple(month_values)))
        room_names += [(room.id, f"{facility.name} {room.name}") for room in rooms]
    return facilities, busy, room_names, last_day


def _event_ids(session, today: dt.date) -> list[int]:
    query = (select(Event.id).where(Event.event_date.is_not(None), Event.event_date >= today, Event.title != "")
             .order_by(Event.event_date, Event.start_time, Event.id))
    return list(session.scalars(query))


def _site_event(ctx: ServiceContext, detail) -> SiteEvent:
    co_hosts, supporters = endorsements.event_credits(ctx, detail.id, detail.co_hosts)  # as the flyer prints them
    return SiteEvent(
        id=detail.id, title=detail.title, event_date=detail.event_date, start_time=detail.start_time, end_time=detail.end_time,
        place=detail.place, catch_copy=detail.catch_copy, organiser=detail.organiser, fee_yen=detail.fee_yen, fee_note=detail.fee_note,
        capacity=detail.capacity, how_to_apply=detail.how_to_apply, contact=detail.contact, description=detail.description, url=detail.url,
        co_hosts=co_hosts, supporters=supporters,
    )


def _groups(session, today: dt.date) -> tuple[list[SiteGroup], list[tuple[int, str]]]:
    groups, used = [], set()
    for group in session.scalars(select(Group).order_by(Group.name_sort, Group.id)):
        consent = set(group.public_consent or ())
        if effective_status(group.status, group.valid_until, today) != REGISTERED or "name" not in consent:
            continue
        fields = tuple(link.field_code for link in group.activity_links) if "activity_fields" in consent else ()
        used.update(fields)
        contact: tuple[str, ...] = ()
        if "contact" in consent:
            postal = f"〒{group.postal_code}" if group.postal_code else ""
            contact = tuple(line for line in (
                group.contact_name, " ".join(p for p in (postal, group.address) if p), group.phone and f"TEL {group.phone}",
                group.mobile and f"TEL {group.mobile}", group.fax and f"FAX {group.fax}", group.email) if line)
        groups.append(SiteGroup(
            id=group.id, name=group.name, name_kana=group.name_kana, fields=fields,
            representative=group.representative_name if "representative" in consent else "",
            contact=contact,
            website=group.website if "website" in consent else "",
            founded_on=group.founded_on if "founded_on" in consent else None,
            member_count=group.member_count if "member_count" in consent else None,
            membership_fee=group.membership_fee if "membership_fee" in consent else "",
            purpose=group.purpose if "purpose" in consent else "",
            activities=group.activities if "activities" in consent else "",
        ))
    names = [(f.code, f.short_name) for f in session.scalars(select(ActivityField).order_by(ActivityField.code)) if f.code in used]
    return groups, names


def site_data(ctx: ServiceContext, *, months: int = DEFAULT_MONTHS) -> SiteData:
    """Everything the site shows: the grids from today to the end of the ``months``-th month
    (the current month first) and the directory, read in one transaction, then the upcoming
    events through the event service (their place written as the flyer writes it).
    Raises ValidationError for ``months`` outside 1 … :data:`MAX_MONTHS`, PermissionDenied
    when nobody is signed in."""
    ctx.require_signed_in()
    check_months(months)
    now = clock.now()
    today = now.date()
    with ctx.db.read() as session:
        facilities, busy, rooms, last_day = _facilities(session, today, months)
        event_ids = _event_ids(session, today)
        groups, fields = _groups(session, today)
        center = center_settings.get(session, CENTER_NAME) or ""
        names = _names(session)
    events = [_site_event(ctx, get_event(ctx, event_id)) for event_id in event_ids]  # the place as the flyer writes it
    return SiteData(center_name=center, generated_at=now, first_day=today, last_day=last_day, facilities=tuple(facilities),
                    events=tuple(events), groups=tuple(groups), fields=tuple(fields), rooms=tuple(rooms), busy=tuple(busy), names=names)


def _names(session) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """The names of 設定 → センター 「外国語の書類での名前」, as :attr:`SiteData.names` (a setting
    that no longer reads — it is checked when saved — names nothing)."""
    try:
        table = document_names.parse(center_settings.get(session, DOCUMENT_NAMES) or "")
    except ValidationError:
        return ()
    return tuple((name, tuple(sorted(by_language.items()))) for name, by_language in sorted(table.items()))


# --- writing --------------------------------------------------------------------------------------


def _flyers(ctx: ServiceContext, data: SiteData) -> tuple[SiteData, dict[str, bytes], list[tuple[str, str]]]:
    files: dict[str, bytes] = {}
    skipped: list[tuple[str, str]] = []
    published = []
    for event in data.events:
        name = f"flyers/event-{event.id}.pdf"
        try:
            options = get_event(ctx, event.id).flyer_options
            files[name] = documents.flyer_pdf(ctx, event.id, options, skip_unreadable_images=True)
            published.append(replace(event, flyer=name))
        except CenterError as exc:
            skipped.append((event.title, str(exc)))
            published.append(event)
    return replace(data, events=tuple(published)), files, skipped


def _swap_in(built: Path, folder: Path) -> None:
    """Put the complete site ``built`` in the place of ``folder`` (kept until the new one is in)."""
    if not folder.exists():
        os.rename(built, folder)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old-", dir=folder.absolute().parent))
    os.rmdir(old)
    os.rename(folder, old)
    try:
        os.rename(built, folder)
    except OSError:
        os.rename(old, folder)
        raise
    shutil.rmtree(old, ignore_errors=True)


def publish_site(ctx: ServiceContext, output: Path | str, *, months: int = DEFAULT_MONTHS, languages: Sequence[str] | str = SITE_LANGUAGES,
                 progress: Progress | None = None) -> PublishResult:
    """Write the public site into the folder ``output`` (created if missing): for each of
    ``languages`` (:func:`parse_languages`; Japanese always) the pages, plus ``flyers/`` and
    ``calendar/`` (one .ics per room with its booked times, one of the events) and the manifest.

    The folder is checked first (:func:`check_output_folder`); the site is written into a new
    folder beside it and put in its place when complete, so a refusal, a failure or a stop
    (``progress`` returning False: Cancelled) leaves the folder as it was. Audited (entity ``public_site``).
    Raises ValidationError (bad months, languages or folder; a folder that cannot be written),
    PermissionDenied when nobody is signed in."""
    user = ctx.require_signed_in()
    folder = Path(output)
    codes = parse_languages(languages)
    check_months(months)
    check_output_folder(folder)
    report = progress or (lambda _done, _total: True)
    data = site_data(ctx, months=months)
    steps = len(data.events) + len(codes) + 2
    if report(0, steps) is False:
        raise Cancelled(_("Publishing was stopped: nothing was written."))
    data, files, skipped = _flyers(ctx, data)
    if report(len(data.events), steps) is False:
        raise Cancelled(_("Publishing was stopped: nothing was written."))
    for room_id, name in data.rooms:
        files[f"calendar/room-{room_id}.ics"] = room_calendar(name, [b for b in data.busy if b.room_id == room_id], data.generated_at)
    files["calendar/events.ics"] = events_calendar(data.center_name, data.events, data.generated_at)
    pages = languages_done = 0
    for name, content in render_site(data, codes):
        files[name] = content
        pages += name.endswith(".html")
        if name.endswith("/index.html"):  # each language starts with its index page
            languages_done += 1
            if report(len(data.events) + languages_done, steps) is False:
                raise Cancelled(_("Publishing was stopped: nothing was written."))
    manifest = {"generator": "Center Desk", "generated_at": data.generated_at.isoformat(), "files": sorted(files)}
    files[MANIFEST] = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
    parent = folder.absolute().parent
    try:
        built = Path(tempfile.mkdtemp(prefix=f".{folder.name}.new-", dir=parent))
    except OSError as exc:
        raise ValidationError(_("The folder {path} cannot be written ({reason}).").format(path=parent, reason=exc.strerror or exc)) from None
    try:
        for name, content in files.items():
            target = built / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        mode = folder.stat().st_mode & 0o7777 if folder.exists() else 0o755
        os.chmod(built, mode)
        if report(steps - 1, steps) is False:
            raise Cancelled(_("Publishing was stopped: nothing was written."))
        _swap_in(built, folder)
    except OSError as exc:
        shutil.rmtree(built, ignore_errors=True)
        raise ValidationError(_("The site could not be written into {path} ({reason}); the folder is as it was.").format(
            path=folder, reason=exc.strerror or exc)) from None
    except BaseException:
        shutil.rmtree(built, ignore_errors=True)
        raise
    report(steps, steps)
    with ctx.db.write() as session:
        audit.record(session, user, "public_site", "", "export", note=f"{folder} {','.join(codes)} {months}")
    return PublishResult(folder=folder, files=len(files), pages=pages, facilities=len(data.facilities), events=len(data.events),
                         groups=len(data.groups), flyers_skipped=tuple(skipped))


# --- from the app (印刷 → 公開) ----------------------------------------------------------------------


@dataclass(frozen=True)
class PublishSettings:
    """Where and how 印刷 → 公開 publishes (設定 → センター): the folder ("" when not chosen yet),
    the languages (codes, Japanese first) and the months of availability."""

    folder: str
    languages: tuple[str, ...]
    months: int


def publish_settings(ctx: ServiceContext) -> PublishSettings:
    """The stored settings of the public site (:data:`PUBLISH_FOLDER`, :data:`PUBLISH_LANGUAGES`,
    :data:`PUBLISH_MONTHS`). Raises PermissionDenied when nobody is signed in."""
    ctx.require_signed_in()
    values = center_settings.get_many(ctx, (PUBLISH_FOLDER, PUBLISH_LANGUAGES, PUBLISH_MONTHS))
    return PublishSettings(values[PUBLISH_FOLDER.key], parse_languages(values[PUBLISH_LANGUAGES.key]), values[PUBLISH_MONTHS.key])


def publish_from_settings(ctx: ServiceContext, *, progress: Progress | None = None) -> PublishResult:
    """Publish as 設定 → センター says (:func:`publish_settings`, then :func:`publish_site`).
    Raises ValidationError when no folder is set, and every refusal of :func:`publish_site`."""
    chosen = publish_settings(ctx)
    if not chosen.folder.strip():
        raise ValidationError(_("Choose the folder of the public site in Settings → Center first."), field_name="output")
    return publish_site(ctx, Path(chosen.folder), months=chosen.months, languages=chosen.languages, progress=progress)
