"""Import and export of a booking ledger (予約台帳): CSV (UTF-8, UTF-8 with BOM, cp932) or XLSX.

All or nothing, like the group import: every row is read and checked inside one write
transaction — against the rules, the stored bookings and the rows above it — and if any problem
is found a ValidationError lists them ALL (``row`` = spreadsheet row, header = row 1; ``field`` =
the column header); nothing is written. The file is read by
:func:`center_app.services.group_files.read_table` (same encodings, XLSX first sheet).

Columns (matched by header in any order, full-width letters and spaces ignored):

==============  ========  ==================================================================
header          required  value
==============  ========  ==================================================================
施設            yes       facility name or code (南アルプス市市民活動センター, main)
部屋            yes       room name or code of that facility (会議室1, M1)
利用日          yes       2026/6/9, 2026-06-09, 令和8年6月9日, R8.6.9 or a date cell
区分                      slot names (午前, 午後・夜間, 全日) — or 開始 and 終了
開始 / 終了               times 13:00, 1330, 13時30分 (when no 区分)
登録番号                  a registered group's number — or 申込者名
申込者名                  an unregistered applicant's name (with 電話番号 when known)
フリガナ                  reading of the applicant's name
電話番号                  phone of the applicant
申込者区分                applicant class name or code (default 一般（市内） for 申込者名)
目的                      purpose
人数            yes       expected people
減免                      exemption name or code
状態                      仮予約, 確定, 利用済, 取消, 無断キャンセル (blank: 確定, or 利用済 when past)
利用人数                  actual attendance (past bookings)
言語                      the slip language: ja, en, pt_BR, es, zh_Hans, tl, th or vi (also
                          written pt-BR or by its own name, e.g. Tiếng Việt; default ja)
備考                      note
予約番号                  written by the export; ignored by import (each booking gets a new number)
==============  ========  ==================================================================

Rules: a row that overlaps another row or a stored booking (cancelled ones block nothing), falls
on a closed day, lies outside opening hours or exceeds the room's capacity is reported with the
reason. Past dates are accepted (a ledger carries history); the booking horizon and the group's
current registration apply only to dates after today; the monthly cap is not applied (the ledger
is the center's own record).

Export (:func:`export_bookings`) writes these columns, 予約番号 last, so an exported ledger
imports into another database with the same configuration and groups: the same bookings and,
with the same fee table, the same fees. A booking an administrator made on a closed day is
refused again by the import (the ledger has no column for the reason).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from center_app.db.bookings import Booking
from center_app.db.groups import Group
from center_app.db.models import ApplicantClass, Facility, FeeExemption, Room
from center_app.domain import clock
from center_app.domain.booking_values import BookingInput, BookingStatus
from center_app.domain.documents import slip_language_code
from center_app.domain.errors import ConflictError, FieldProblem, ValidationError
from center_app.domain.normalize import as_date, clean_text
from center_app.domain.registration_no import normalize_registration_no
from center_app.i18n import _
from center_app.services import audit, bulk
from center_app.services.bookings import apply_checked, assign_slip_no, snapshot
from center_app.services.bookings_checks import BatchLookups, CheckOptions, Pending, PendingIndex, RoomFacts, check_booking, lock_groups, lock_rooms
from center_app.services.bookings_guard import database_refusals, overlap_refused
from center_app.services.bulk import Steps
from center_app.services.context import CurrentUser, ServiceContext
from center_app.services.group_files import header_key, map_headers, read_table, write_table

#: Column headers, and the BookingInput field each reports problems of.
COLUMNS: dict[str, str] = {
    "施設": "facility", "部屋": "room_id", "利用日": "day", "区分": "slot_names", "開始": "start_time", "終了": "end_time",
    "登録番号": "group_id", "申込者名": "applicant_name", "フリガナ": "applicant_kana", "電話番号": "applicant_phone",
    "申込者区分": "applicant_class", "目的": "purpose", "人数": "expected_people", "減免": "exemption_code", "状態": "status",
    "利用人数": "attendance", "言語": "language", "備考": "note", "予約番号": "slip_no",
}
REQUIRED = ("施設", "部屋", "利用日", "人数")
_HEADER_OF = {attribute: header for header, attribute in COLUMNS.items()}
_HEADER_OF.update({"closed_override_reason": "利用日"})
STATUS_BY_LABEL = {"仮予約": BookingStatus.PROVISIONAL, "確定": BookingStatus.CONFIRMED, "利用済": BookingStatus.USED, "取消": BookingStatus.CANCELLED, "無断キャンセル": BookingStatus.NO_SHOW}
_SPLIT = re.compile(r"[・;；、,，+＋/／\s]+")
_TIME = re.compile(r"^(\d{1,2})(?::|時)?(\d{2})?(?::\d{2})?分?$")
DEFAULT_CLASS = "resident"


@dataclass(frozen=True)
class BookingImportResult:
    """Bookings created by an import (``dry_run``: that would be created; nothing written)."""

    created: int
    dry_run: bool = False


@dataclass
class _Row:
    number: int
    data: BookingInput
    status: str
    attendance: int | None
    checked: Any = None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return unicodedata.normalize("NFKC", str(value)).strip()


def parse_time(value: Any) -> dt.time | None:
    """13:00, 13:00:00, 1330, 13時, 13時30分 (full-width digits too) → time; None when blank.
    Raises ValueError for other text."""
    if isinstance(value, dt.time):
        return value
    text = _text(value).replace(" ", "")
    if not text:
        return None
    if text.isdigit() and len(text) in (3, 4):
        text = f"{text[:-2]}:{text[-2:]}"
    found = _TIME.match(text)
    if not found:
        raise ValueError(text)
    return dt.time(int(found.group(1)), int(found.group(2) or 0))


def _once(known: dict[str, Any], kind: str, text: str, make: Callable[[str], Any]) -> Any:
    """``make(text)``, worked out once per import for each ``kind`` and text (a ledger repeats its
    facilities, rooms, days and groups on many rows); an exception is raised again each time."""
    memo = known["memo"]
    key = (kind, text)
    try:
        return memo[key]
    except KeyError:
        value = memo[key] = make(text)
        return value


def _lookup(session: Session) -> dict[str, Any]:
    facilities = session.scalars(select(Facility)).all()
    rooms: dict[int, dict[str, Room]] = {}
    for room in session.scalars(select(Room).where(Room.active.is_(True))):
        index = rooms.setdefault(room.facility_id, {})
        index.setdefault(header_key(room.code), room)
        index.setdefault(header_key(room.name), room)
    return {
        "facilities": {key: f for f in facilities for key in (header_key(f.code), header_key(f.name))},
        "rooms": rooms,
        "classes": {key: c.code for c in session.scalars(select(ApplicantClass)) for key in (header_key(c.code), header_key(c.name))},
        "exemptions": {key: e.code for e in session.scalars(select(FeeExemption)) for key in (header_key(e.code), header_key(e.name))},
        "groups": {no: gid for gid, no in session.execute(select(Group.id, Group.registration_no).where(Group.registration_no.is_not(None)))},
        "memo": {},
    }


def _as_day(text: str) -> dt.date | None:
    return as_date(text, field="利用日")


def _read_row(number: int, cells: dict[str, Any], known: dict[str, Any], today: dt.date) -> tuple[_Row | None, list[FieldProblem]]:
    problems: list[FieldProblem] = []

    def report(header: str, message: str) -> None:
        problems.append(FieldProblem(header, message, number))

    facility = known["facilities"].get(_once(known, "key", _text(cells.get("施設")), header_key))
    if facility is None:
        report("施設", _("Unknown facility: {name}.").format(name=_text(cells.get("施設"))) if _text(cells.get("施設")) else _("Enter the facility."))
    room = None
    room_text = _text(cells.get("部屋"))
    if facility is not None:
        room = known["rooms"].get(facility.id, {}).get(_once(known, "key", room_text, header_key))
        if room is None:
            report("部屋", _("{facility} has no room {room}.").format(facility=facility.name, room=room_text) if room_text else _("Enter the room."))
    day = None
    raw_day = cells.get("利用日")
    try:
        if isinstance(raw_day, dt.date):
            day = as_date(raw_day, field="利用日")
        else:
            day = _once(known, "day", _text(raw_day), _as_day)
    except ValidationError as exc:
        report("利用日", exc.problems[0].message)
    else:
        if day is None:
            report("利用日", _("Enter the date of use."))
    slots = tuple(s for s in _SPLIT.split(_text(cells.get("区分"))) if s)
    start = end = None
    if not slots:
        for header in ("開始", "終了"):
            try:
                value = parse_time(cells.get(header))
            except ValueError:
                report(header, _("Write the time as 13:00."))
                continue
            if header == "開始":
                start = value
            else:
                end = value
    number_text = _once(known, "number", _text(cells.get("登録番号")), normalize_registration_no)
    group_id = None
    if number_text:
        group_id = known["groups"].get(number_text)
        if group_id is None:
            report("登録番号", _("No group has the registration number {number}.").format(number=number_text))
    elif not _text(cells.get("申込者名")):
        report("申込者名", _("Enter a registration number or the applicant's name."))
    class_text = _text(cells.get("申込者区分"))
    klass = known["classes"].get(_once(known, "key", class_text, header_key)) if class_text else ("" if number_text else DEFAULT_CLASS)
    if class_text and klass is None:
        report("申込者区分", _("Unknown applicant class: {code}.").format(code=class_text))
    exemption_text = _text(cells.get("減免"))
    exemption = known["exemptions"].get(header_key(exemption_text)) if exemption_text else ""
    if exemption is None:
        report("減免", _("Unknown fee exemption: {code}.").format(code=exemption_text))
    status_text = _text(cells.get("状態"))
    status = STATUS_BY_LABEL.get(status_text) if status_text else None
    if status_text and status is None:
        report("状態", _("Write one of: {names}.").format(names="、".join(STATUS_BY_LABEL)))
    language_text = _text(cells.get("言語"))
    language = slip_language_code(language_text) if language_text else "ja"
    if language is None:
        report("言語", _("Unknown language: {code}.").format(code=language_text))
    attendance = None
    attendance_text = _text(cells.get("利用人数")).removesuffix("人")
    if attendance_text:
        if attendance_text.isdigit():
            attendance = int(attendance_text)
        else:
            report("利用人数", _("Enter the number of people who came (0 or more)."))
    if day is not None:
        past = day < today
        if status is None:
            status = BookingStatus.USED if past else BookingStatus.CONFIRMED
        elif attendance is not None and past and status in (BookingStatus.CONFIRMED, BookingStatus.PROVISIONAL):
            status = BookingStatus.USED
        if not past and (status in (BookingStatus.USED, BookingStatus.NO_SHOW) or attendance is not None):
            report("利用人数" if attendance is not None else "状態", _("A booking of today or later cannot be used or missed yet."))
    if problems:
        return None, problems
    data = BookingInput(
        room_id=room.id if room else None, day=day, slot_names=slots, start_time=start, end_time=end, group_id=group_id,
        applicant_name=clean_text(str(cells.get("申込者名") or "")), applicant_kana=_text(cells.get("フリガナ")),
        applicant_phone=_text(cells.get("電話番号")), applicant_class=klass or "", language=language, purpose=clean_text(str(cells.get("目的") or "")),
        expected_people=_text(cells.get("人数")), exemption_code=exemption or "", status=BookingStatus.CONFIRMED, note=clean_text(str(cells.get("備考") or "")),
    )
    return _Row(number, data, status or BookingStatus.CONFIRMED, attendance), []


def _plan(session: Session, ctx: ServiceContext, headers: list[str], rows: list[list[Any]], today: dt.date,
          steps: Callable[[int], Steps] | None = None) -> tuple[list[_Row], list[FieldProblem]]:
    """Read and check every row; returns the rows to write and every problem found. Each row is
    checked against the stored bookings (read once for the rooms and days of the file) and the
    rows above it (an index per room and day), so the check grows as n log n with the rows.
    ``steps(total)`` gives the progress of the checking (one step a row)."""
    mapping, problems = map_headers(headers, list(COLUMNS), REQUIRED)
    if not mapping and problems:
        return [], problems  # no header row, or nothing known in it: the one message says which columns
    present = set(mapping.values())
    if "区分" not in present and not {"開始", "終了"} <= present:
        problems.append(FieldProblem("区分", _("Add the column 区分, or the columns 開始 and 終了."), 1))
    if "登録番号" not in present and "申込者名" not in present:
        problems.append(FieldProblem("申込者名", _("Add the column 登録番号 or 申込者名."), 1))
    if problems:
        return [], problems
    lock_rooms(session, session.scalars(select(Room.id).where(Room.active.is_(True))).all())  # before reading them
    known = _lookup(session)
    number_column = next((i for i, name in mapping.items() if name == "登録番号"), None)
    if number_column is not None:  # the groups the rows book for: their status and cap are read below
        lock_groups(session, [known["groups"].get(_once(known, "number", _text(cells[number_column]), normalize_registration_no)) for cells in rows])
    read: list[_Row] = []
    for number, cells in enumerate(rows, start=2):
        if all(_text(c) == "" for c in cells):
            continue
        row, row_problems = _read_row(number, {mapping[i]: cells[i] for i in mapping}, known, today)
        problems += row_problems
        if row is not None:
            read.append(row)
    progress = steps(len(read)) if steps is not None else None
    batch = BatchLookups(session, {(r.data.room_id, r.data.day) for r in read})
    cache: dict[int, RoomFacts] = {}
    planned: list[_Row] = []
    pending = PendingIndex()
    row_label = _("row {row} of the file")
    options_of = {future: CheckOptions(past=False, horizon=future, cap=False, registration=future, require_phone=False, pending=pending)
                  for future in (False, True)}  # a row after today: the horizon and the group's registration apply
    for row in read:
        options = options_of[row.data.day > today]
        checked = check_booking(session, ctx.user, row.data, options, cache=cache, batch=batch)
        refusals = [r for r in checked.refusals if not (row.status == BookingStatus.CANCELLED and isinstance(r.error, ConflictError))]
        for problem in checked.problems:
            problems.append(FieldProblem(_HEADER_OF.get(problem.field, problem.field), problem.message, row.number))
        for refusal in refusals:
            problems.append(FieldProblem(_HEADER_OF.get(refusal.field, refusal.field), refusal.message, row.number))
        if progress is not None:
            progress.advance()
        if checked.problems or refusals:
            continue
        row.checked = checked
        planned.append(row)
        if row.status != BookingStatus.CANCELLED:
            pending.add(Pending(checked.facts.room.id, checked.start, checked.end, checked.group.id if checked.group else None,
                                checked.units, row_label.format(row=row.number)))
    if not planned and not problems:
        problems.append(FieldProblem("file", _("The file has no data rows."), 1))
    problems.sort(key=lambda p: p.row or 0)  # row by row, as the file reads (a bad cell before the rules of its row)
    return planned, problems


def _write(session: Session, user: CurrentUser, planned: list[_Row], source: str, steps: Steps, today: dt.date) -> None:
    """Store the checked rows with one executemany per chunk: the bookings (each with the fee
    snapshot, status, attendance and cancellation :func:`insert_booking` would give it; a booking
    before ``today`` is 移行前 — paid, or not, before the money ledger), their slip numbers, and an
    audit entry each.

    A slip number holds the booking's id, which one executemany does not hand back in order on
    SQLite: the rows are written with a marker in their (unique) slip number, read back by it
    with one query, then numbered."""
    stamp = clock.now()
    table = Booking.__table__
    marker = f"~{secrets.token_hex(3)}-"
    made = []
    for index, row in enumerate(planned):
        booking = bulk.record(created_at=stamp, created_by=user.display_name if user else "", status=row.status, series_id=None,
                              slip_no=f"{marker}{index}", checked_in_at=None, cancel_reason="", cancel_reason_code="", cancelled_at=None,
                              ledger_legacy=row.checked.start.date() < today)
        apply_checked(booking, row.checked, row.data, user)
        booking.attendance = row.attendance
        if row.status == BookingStatus.CANCELLED:
            booking.cancel_reason, booking.cancelled_at = _("Imported as cancelled"), stamp
        made.append(booking)
    try:
        bulk.insert_rows(session, table, [bulk.row_values(b, table) for b in made], steps)
    except (IntegrityError, OperationalError) as exc:
        if not overlap_refused(exc):
            raise
        raise ConflictError(_("A booking of the file overlaps one saved from another PC meanwhile. Nothing was imported; import the file again.")) from exc
    ids = dict(session.execute(select(Booking.slip_no, Booking.id).where(Booking.slip_no >= marker, Booking.slip_no < marker + "~")).all())
    for booking in made:
        booking.id = ids[booking.slip_no]
        assign_slip_no(booking)
    bulk.update_by_id(session, table, ((b.id, {"slip_no": b.slip_no}) for b in made))
    audit.record_many(session, user, "booking", "create", ((b.id, None, snapshot(b)) for b in made), note=f"import {source}", steps=steps)


@bulk.collector_paused()  # the file is read, checked and written with tens of thousands of objects alive
def import_bookings(ctx: ServiceContext, path: Path, *, dry_run: bool = False, progress: bulk.Progress | None = None) -> BookingImportResult:
    """Import the ledger ``path`` in one transaction (all rows or none). Raises ValidationError
    listing every problem; ``dry_run`` checks and counts without writing.

    ``progress(done, total)`` is called about once a percent while the rows are checked and
    written (a step a row for the check, for the bookings and for their audit entries); when it
    returns False the import stops with :class:`~center_app.domain.errors.Cancelled` and nothing
    is written."""
    user = ctx.require_signed_in()
    headers, rows = read_table(Path(path))
    today = clock.today()
    steps: Steps | None = None

    def count(total: int) -> Steps:
        nonlocal steps
        steps = Steps(progress, total * (1 if dry_run else 3))
        return steps

    with database_refusals(ctx), ctx.db.write() as session:
        planned, problems = _plan(session, ctx, headers, rows, today, count)
        if problems:
            raise ValidationError(problems)
        if dry_run:
            return BookingImportResult(len(planned), dry_run=True)
        source = Path(path).name
        _write(session, user, planned, source, steps or Steps(progress, 3 * len(planned)), today)
        audit.record(session, user, "booking", "", "import", note=f"{source} {len(planned)}")
    return BookingImportResult(len(planned))


def _time_text(value: dt.time) -> str:
    return f"{value:%H:%M}"


def export_bookings(ctx: ServiceContext, path: Path, *, first: dt.date | None = None, last: dt.date | None = None,
                    facility_id: int | None = None) -> int:
    """Write the bookings from ``first`` to ``last`` (dates of use, both included; None: open) of
    one facility (None: all) to ``path`` — .csv (UTF-8 with BOM) or .xlsx by extension — in the
    columns :func:`import_bookings` reads, 予約番号 last; cancelled ones too (状態 取消). In order
    of the day, time and room. Returns the number written; the export is audited."""
    user = ctx.require_signed_in()
    query = (
        select(Booking, Room, Facility)
        .join(Room, Room.id == Booking.room_id)
        .join(Facility, Facility.id == Room.facility_id)
        .order_by(Booking.start_at, Facility.sort_order, Room.sort_order, Booking.id)
    )
    if first is not None:
        query = query.where(Booking.start_at >= dt.datetime.combine(first, dt.time(0)))
    if last is not None:
        query = query.where(Booking.start_at < dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0)))
    if facility_id is not None:
        query = query.where(Room.facility_id == facility_id)
    labels = {status: label for label, status in STATUS_BY_LABEL.items()}
    rows: list[list[Any]] = []
    with ctx.db.read() as session:
        numbers = dict(session.execute(select(Group.id, Group.registration_no)).all())
        classes = {c.code: c.name for c in session.scalars(select(ApplicantClass))}
        rooms = session.scalars(select(Room)).all()
        named = {(r.facility_id, header_key(r.name)) for r in rooms}
        shared_names = {key for key in named if sum(1 for r in rooms if (r.facility_id, header_key(r.name)) == key) > 1}
        for booking, room, facility in session.execute(query):
            by_slot = bool(booking.slot_names)
            group = booking.group_id is not None
            rows.append([
                facility.name,
                room.code if (room.facility_id, header_key(room.name)) in shared_names else room.name,
                booking.start_at.date(),
                "・".join(booking.slot_names) if by_slot else "",
                "" if by_slot else _time_text(booking.start_at.time()),
                "" if by_slot else _time_text(booking.end_at.time()),
                numbers.get(booking.group_id) or "" if group else "",
                booking.applicant_name,
                "" if group else booking.applicant_kana,
                "" if group else booking.applicant_phone,
                "" if group else classes.get(booking.applicant_class_code, booking.applicant_class_code),
                booking.purpose,
                booking.expected_people,
                booking.exemption_name or booking.exemption_code,
                labels.get(booking.status, booking.status),
                booking.attendance,
                booking.language,
                booking.note,
                booking.slip_no or "",
            ])
    write_table(Path(path), rows, headers=list(COLUMNS), sheet_name="予約台帳", wide_columns=(11, 17))
    with ctx.db.write() as session:
        audit.record(session, user, "booking", "", "export", note=f"{Path(path).name} {len(rows)}")
    return len(rows)
