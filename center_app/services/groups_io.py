"""Import and export of the group registry (CSV / XLSX), for the CLI and 団体 → 取り込み.

Import is all-or-nothing: every row is normalised and validated first (duplicates inside the
file and against the registry included); if any problem is found a :class:`ValidationError`
lists them ALL, each a :class:`FieldProblem` with ``row`` = the row number as a spreadsheet shows
it (the header is row 1) and ``field`` = the column header; nothing is written. Otherwise one
write transaction creates and updates the groups. A row whose 登録番号 is in the registry updates
that group (only the columns present in the file); a row without 登録番号 gets the next number.
File format: :mod:`center_app.services.group_files`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from center_app.db.groups import Group, GroupActivityField
from center_app.domain import clock
from center_app.domain.cp932 import round_trip_changes
from center_app.domain.errors import FieldProblem, ValidationError
from center_app.domain.fiscal import fiscal_year_of, registration_valid_until
from center_app.domain.normalize import kana_search_key
from center_app.domain.registration_no import normalize_registration_no
from center_app.i18n import _
from center_app.services import audit, bulk, printable
from center_app.services.bulk import Steps
from center_app.services.context import ServiceContext
from center_app.services.editing import lock_rows
from center_app.services.group_files import (
    COLUMNS,
    CONSENT_JA,
    LEGAL_FORM_JA,
    STATUS_JA,
    Column,
    format_consent,
    header_key,
    map_headers,
    parse_consent,
    read_table,
    split_list,
    write_table,
)
from center_app.services.group_numbers import NumberAllocator, parse_serial
from center_app.services.group_values import REGISTERED, GroupInput, clean_group_input, effective_status, name_key
from center_app.services.groups import _fields, _snapshot, apply_clean
from center_app.services.postal import addresses_for_postal_codes


@dataclass(frozen=True)
class ImportPreview:
    """A checked file: its header, rows (cell text) with their spreadsheet row numbers, every
    problem (row, column header, message), and how many groups it would create and update."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    row_numbers: tuple[int, ...]
    problems: tuple[FieldProblem, ...]
    created: int
    updated: int
    #: Rows whose empty 住所 is filled from their 郵便番号 (spreadsheet row numbers).
    addresses_filled: tuple[int, ...] = ()
    #: rows imported as written but with characters no bundled font can print (row, column, character)
    warnings: tuple[FieldProblem, ...] = ()


@dataclass(frozen=True)
class ImportResult:
    """Groups created, updated and found unchanged by an import (``dry_run``: rows that would
    create or update a group; nothing written), and the rows whose empty 住所 was filled from
    their 郵便番号 (spreadsheet row numbers)."""

    created: int
    updated: int
    unchanged: int = 0
    dry_run: bool = False
    addresses_filled: tuple[int, ...] = ()
    #: rows imported as written but with characters no bundled font can print (row, column, character)
    warnings: tuple[FieldProblem, ...] = ()


@dataclass
class _Row:
    number: int  # spreadsheet row number
    values: dict[str, Any]  # attribute -> cell
    clean: dict[str, Any] = field(default_factory=dict)
    registration_no: str = ""
    existing_id: int | None = None
    address_filled: bool = False


def _map_headers(headers: list[str]) -> tuple[dict[int, Column], list[FieldProblem]]:
    by_header = {c.header: c for c in COLUMNS}
    names, problems = map_headers(headers, list(by_header), [c.header for c in COLUMNS if c.required])
    return {i: by_header[n] for i, n in names.items() if not by_header[n].export_only}, problems


def _cell_text(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value if value is not None else "").strip()


#: Text stored as typed that a cp932 round trip can change (compared with the group a row updates).
_AS_TYPED = ("name", "representative_name", "contact_name", "address", "purpose", "activities", "notes")
#: Where a 「?」 in a cp932 file is taken for a character the file lost.
_NAMES = ("name", "representative_name", "contact_name", "address")


def _saved_as_cp932(path: Path) -> bool:
    """True for a CSV file read as Shift_JIS (cp932): not UTF-8 (read_table's own order)."""
    if Path(path).suffix.lower() not in (".csv", ".txt"):
        return False
    data = Path(path).read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _round_trip_problems(session: Session, row: _Row, raw: GroupInput, cp932: bool) -> list[tuple[str, str]]:
    """(attribute, message) for each name or text of ``row`` that a Shift_JIS (cp932) round trip
    changed: compared with the group it updates (〜 → ～, 𠮷 → ?), and in a cp932 file a 「?」 in
    a name, which stands for a character the file could not hold. Never applied silently."""
    found: list[tuple[str, str]] = []
    group = None
    if row.existing_id is not None:  # the stored texts only: the row is locked and read again when written
        group = session.execute(select(*(getattr(Group, n) for n in _AS_TYPED)).where(Group.id == row.existing_id)).one()
    for name in _AS_TYPED:
        if name not in row.values:
            continue
        typed = str(getattr(raw, name) or "").strip()
        stored = str(getattr(group, name) or "") if group is not None else ""
        changes = round_trip_changes(stored, typed) if group is not None else []
        if changes:
            shown = "、".join(f"「{a}」→「{b}」" for a, b in changes)
            found.append((name, _("Changed by a Shift_JIS (cp932) round trip: {changes}. The registry keeps 「{stored}」: write it as "
                                  "stored, or save the file as CSV UTF-8.").format(changes=shown, stored=stored)))
        elif cp932 and name in _NAMES and "?" in typed and typed != stored:
            found.append((name, _("「?」 may be a character the file lost when it was saved as Shift_JIS (cp932). Write the character "
                                  "itself and save the file as CSV UTF-8.")))
    return found


def _plan(session: Session, headers: list[str], rows: list[list[Any]], day: dt.date, steps: Steps | None = None, *,
          cp932: bool = False) -> tuple[list[_Row], list[FieldProblem], list[FieldProblem]]:
    """Validate everything; returns the rows to write, every problem found, and the warnings
    (characters no bundled font can print; the row is imported as written). ``steps`` advances
    a step a row; ``cp932``: the file was read as Shift_JIS."""
    mapping, problems = _map_headers(headers)
    warnings: list[FieldProblem] = []
    if problems:
        return [], problems, warnings
    by_attr = {c.attribute: c for c in mapping.values()}
    #: the text fields of GroupInput the file has (a missing one is "", GroupInput's default)
    typed = [name for name in GroupInput.__dataclass_fields__ if name in by_attr and name not in ("activity_fields", "public_consent")]
    known = _fields(session)
    existing = {no: gid for gid, no in session.execute(select(Group.id, Group.registration_no).where(Group.registration_no.is_not(None)))}
    by_name = {(n, k): no for n, k, no in session.execute(select(Group.name_search, Group.kana_search, Group.registration_no))}
    planned: list[_Row] = []
    first_number: dict[str, int] = {}
    first_name: dict[tuple[str, str], int] = {}
    for offset, cells in enumerate(rows, start=2):
        if steps is not None:
            steps.advance()
        if all(_cell_text(c) == "" for c in cells):
            continue
        row = _Row(offset, {column.attribute: cells[i] for i, column in mapping.items()})
        row_problems: list[FieldProblem] = []

        def report(attribute: str, message: str) -> None:
            row_problems.append(FieldProblem(by_attr[attribute].header if attribute in by_attr else attribute, message, row.number))

        row.registration_no = normalize_registration_no(_cell_text(row.values.get("registration_no")))
        row.existing_id = existing.get(row.registration_no)
        consent = parse_consent(_cell_text(row.values.get("public_consent", "")))
        if consent is None:
            report("public_consent", _("Write 可, 否, or the public fields separated by ; ({names}).").format(names="、".join(CONSENT_JA.values())))
            consent = ()
        raw = GroupInput(**{
            name: (value if isinstance(value := row.values[name], dt.date) else _cell_text(value)) for name in typed
        }, activity_fields=tuple(split_list(_cell_text(row.values.get("activity_fields")))), public_consent=consent)
        try:
            row.clean = clean_group_input(raw, known, today=day)
        except ValidationError as exc:
            for p in exc.problems:
                report(p.field, p.message)
        for attribute, message in _round_trip_problems(session, row, raw, cp932):
            report(attribute, message)
        warnings += [FieldProblem(by_attr[p.field].header if p.field in by_attr else p.field, p.message, row.number)
                     for p in printable.group_print_warnings(raw, row=row.number) if p.field in by_attr]
        if row.registration_no:
            if row.registration_no in first_number:
                report("registration_no", _("The same registration number as row {row}.").format(row=first_number[row.registration_no]))
            first_number.setdefault(row.registration_no, row.number)
        key = (name_key(raw.name), kana_search_key(raw.name_kana))
        if key[0]:
            if key in first_name:
                report("name", _("The same group name and reading as row {row}.").format(row=first_name[key]))
            first_name.setdefault(key, row.number)
            if row.existing_id is None and key in by_name:
                report("name", _("Already registered as {number}. Write that registration number in the row to update it.").format(number=by_name[key] or _("(application)")))
        problems += row_problems
        planned.append(row)
    if not planned and not problems:
        problems.append(FieldProblem("file", _("The file has no data rows."), 1))
    if not problems:
        _fill_addresses(planned, "address" in by_attr)
    return planned, problems, warnings


def _fill_addresses(planned: list[_Row], address_column: bool) -> None:
    """住所 from 郵便番号 (Japan Post data, offline) for the rows that give a postal code and no
    address: new groups, and groups updated from a file with a 住所 column (an update without one
    keeps the stored address). Unknown codes stay without an address."""
    wanting = [row for row in planned if row.clean.get("postal_code") and not row.clean.get("address")
               and (row.existing_id is None or address_column)]
    if not wanting:
        return
    found = addresses_for_postal_codes(row.clean["postal_code"] for row in wanting)
    for row in wanting:
        address = found.get(row.clean["postal_code"])
        if address:
            row.clean["address"] = address
            row.address_filled = True


def _write(session: Session, ctx: ServiceContext, planned: list[_Row], present: set[str], day: dt.date, source: str,
           steps: Steps | None = None) -> tuple[int, int, int]:
    """Update the groups already registered one by one (each audited with what changed), then
    create the new ones with one executemany per chunk (groups, their activity fields, an audit
    entry each), numbered like a registration: rows with their own new numbers first, so
    automatic numbers never take them."""
    user = ctx.user
    lock_rows(session, Group, [row.existing_id for row in planned])  # the groups updated, before reading them
    updated = unchanged = 0
    names = [n for n in GroupInput.__dataclass_fields__ if n in present]
    for row in planned:
        if row.existing_id is None:
            continue
        group = session.get(Group, row.existing_id)
        before = _snapshot(group)
        apply_clean(group, row.clean, [n for n in names if n != "registered_on" or row.clean[n]])
        session.flush()
        old, new = audit.changes(before, _snapshot(group))
        if new:
            audit.record(session, user, "group", group.id, "update", old, new, note=f"import {source}")
            updated += 1
        else:
            unchanged += 1
        if steps is not None:
            steps.advance(2)
    new_rows = sorted((r for r in planned if r.existing_id is None), key=lambda r: not r.registration_no)
    if not new_rows:
        return 0, updated, unchanged
    numbers = NumberAllocator(session)
    fields_but_links = [name for name in GroupInput.__dataclass_fields__ if name != "activity_fields"]
    made = []
    for row in new_rows:
        registered_on = row.clean["registered_on"] or day
        group = bulk.record(registration_no=None, registration_fiscal_year=None, registration_serial=None, status=REGISTERED,
                            status_changed_on=day, renewed_on=None, certificate_reissue_count=0)
        if row.registration_no:
            year = fiscal_year_of(registered_on)
            group.registration_no = row.registration_no
            serial = parse_serial(row.registration_no, year, numbers.pattern)
            if numbers.take(row.registration_no, year, serial):
                group.registration_fiscal_year, group.registration_serial = year, serial
        else:
            group.registration_no, group.registration_fiscal_year, group.registration_serial = numbers.next(registered_on)
        apply_clean(group, row.clean, fields_but_links)  # also the search columns, number included
        # the links as apply_clean makes them, as plain records: they are inserted in bulk below
        group.activity_links = [bulk.record(field_code=code, position=i) for i, code in enumerate(row.clean["activity_fields"])]
        group.registered_on = registered_on
        group.valid_until = registration_valid_until(registered_on)
        made.append(group)
    table = Group.__table__
    bulk.insert_rows(session, table, [bulk.row_values(g, table) for g in made], steps)
    ids = _ids_by_number(session, [g.registration_no for g in made])
    links = [
        {"group_id": group_id, "field_code": link.field_code, "position": link.position}
        for group, group_id in zip(made, ids, strict=True) for link in group.activity_links
    ]
    bulk.insert_rows(session, GroupActivityField.__table__, links)
    audit.record_many(session, user, "group", "create", ((group_id, None, _snapshot(group)) for group, group_id in zip(made, ids, strict=True)),
                      note=f"import {source}", steps=steps)
    return len(made), updated, unchanged


def _ids_by_number(session: Session, numbers: list[str]) -> list[int]:
    """The ids of the groups with the registration numbers ``numbers`` (unique, one each), in that
    order: the new groups of an import, read back after one INSERT without RETURNING (a third of
    the insert's time for 5,000 groups)."""
    found: dict[str, int] = {}
    for start in range(0, len(numbers), bulk.CHUNK):
        chunk = numbers[start : start + bulk.CHUNK]
        rows = session.execute(select(Group.registration_no, Group.id).where(Group.registration_no.in_(chunk)))
        found.update((number, group_id) for number, group_id in rows)
    return [found[number] for number in numbers]


def preview_import(ctx: ServiceContext, path: Path) -> ImportPreview:
    """Read and check ``path`` without writing: the table and every problem, for 取り込み."""
    ctx.require_signed_in()
    headers, rows = read_table(path)
    with bulk.collector_paused(), ctx.db.read() as session:
        planned, problems, warnings = _plan(session, headers, rows, clock.today(), cp932=_saved_as_cp932(path))
    numbers = {r.number for r in planned} | {p.row for p in problems if p.row and p.row > 1}
    shown = [(i, cells) for i, cells in enumerate(rows, start=2) if i in numbers]
    return ImportPreview(
        addresses_filled=tuple(r.number for r in planned if r.address_filled),
        headers=tuple(headers),
        rows=tuple(tuple(_cell_text(c) for c in cells) for _i, cells in shown),
        row_numbers=tuple(i for i, _cells in shown),
        problems=tuple(problems),
        created=sum(1 for r in planned if r.existing_id is None),
        updated=sum(1 for r in planned if r.existing_id is not None),
        warnings=tuple(warnings),
    )


def import_groups(ctx: ServiceContext, path: Path, *, dry_run: bool = False, progress: bulk.Progress | None = None) -> ImportResult:
    """Import ``path`` (.csv in UTF-8 / UTF-8 with BOM / cp932, or .xlsx) in one transaction.

    Raises ValidationError listing every problem (nothing written), a name changed by a
    Shift_JIS (cp932) round trip included (〜 → ～, 𠮷 → ?: row, column, what changed). A name
    with a character no bundled font can print is imported as written and listed in
    ``warnings``. ``dry_run`` checks and counts without writing. Counter staff, coordinators and admins may import.
    A row with a 郵便番号 and no 住所 gets the address of its postal code (``addresses_filled``
    names those rows; an update from a file without a 住所 column keeps the stored address).
    ``progress(done, total)`` is called about once a percent while the rows are checked and
    written; when it returns False the import stops with
    :class:`~center_app.domain.errors.Cancelled` and nothing is written.
    """
    ctx.require_signed_in()
    headers, rows = read_table(path)
    day = clock.today()
    steps = Steps(progress, len(rows) * (1 if dry_run else 3))
    with bulk.collector_paused(), ctx.db.write() as session:
        planned, problems, warnings = _plan(session, headers, rows, day, steps, cp932=_saved_as_cp932(path))
        if problems:
            raise ValidationError(problems)
        filled = tuple(r.number for r in planned if r.address_filled)
        if dry_run:
            return ImportResult(sum(1 for r in planned if r.existing_id is None), sum(1 for r in planned if r.existing_id is not None), dry_run=True,
                                addresses_filled=filled, warnings=tuple(warnings))
        present = {c.attribute for c in COLUMNS if header_key(c.header) in {header_key(h) for h in headers}}
        created, updated, unchanged = _write(session, ctx, planned, present, day, Path(path).name, steps)
    return ImportResult(created, updated, unchanged, addresses_filled=filled, warnings=tuple(warnings))


def filled_addresses_note(rows: tuple[int, ...]) -> str:
    """The sentence an import report adds for the rows whose 住所 came from their 郵便番号
    ("" when none): the first 20 row numbers, then how many more."""
    if not rows:
        return ""
    shown = ", ".join(str(n) for n in rows[:20]) + (" …" if len(rows) > 20 else "")
    return _("The address was empty and was filled from the postal code in {count} rows (rows {rows}): check them.").format(
        count=len(rows), rows=shown)


def format_problem(problem: FieldProblem) -> str:
    """``行 N: 列名: message`` (in the current language) for one import problem. Internal field
    keys (``file``, ``password``: ASCII identifiers, never a column header of our files) are left
    out, so a clerk sees only the file's own column names."""
    column = problem.field if problem.field and not problem.field.isascii() else ""
    if problem.row is None:
        return _("{column}: {message}").format(column=column, message=problem.message) if column else problem.message
    if not column:
        return _("Row {row}: {message}").format(row=problem.row, message=problem.message)
    return _("Row {row}: {column}: {message}").format(row=problem.row, column=column, message=problem.message)


def _export_row(group: Group, fields: dict[int, str], public: bool, day: dt.date) -> list[Any]:
    consent = set(group.public_consent or ())
    values: list[Any] = []
    for column in COLUMNS:
        attribute = column.attribute
        if attribute == "legal_form":
            value: Any = LEGAL_FORM_JA.get(group.legal_form, group.legal_form)
        elif attribute == "activity_fields":
            value = ";".join(fields[link.field_code] for link in group.activity_links)
        elif attribute == "public_consent":
            value = format_consent(list(group.public_consent or ()))
        elif attribute == "status":
            value = STATUS_JA[effective_status(group.status, group.valid_until, day)]
        else:
            value = getattr(group, attribute)
        if public and column.consent is not None and column.consent not in consent:
            value = None
        values.append(value)
    return values


def export_groups(ctx: ServiceContext, path: Path, *, public: bool = False, order: str = "kana") -> int:
    """Write every group to ``path`` in ``order``: ``kana`` 五十音順 of the reading (JIS X 4061,
    ``name_sort``), ``number`` by 登録番号 (申請中 last): .csv (UTF-8 with BOM) or .xlsx by extension,
    the import's header, so export → import round-trips. ``public``: only groups in status 登録
    (not expired) that agreed to publish their name, and only the columns they agreed to
    publish (備考 never). Returns the number of groups written; the export is audited."""
    user = ctx.require_signed_in()
    day = clock.today()
    with ctx.db.read() as session:
        fields = {f.code: f.short_name for f in _fields(session)}
        if order == "number":
            query = select(Group).order_by(Group.registration_no.is_(None), Group.registration_no, Group.name_sort, Group.id)
        else:
            query = select(Group).order_by(Group.name_sort, Group.id)
        rows = []
        for group in session.scalars(query):
            if public and (effective_status(group.status, group.valid_until, day) != REGISTERED or "name" not in (group.public_consent or ())):
                continue
            rows.append(_export_row(group, fields, public, day))
    write_table(Path(path), rows)
    with ctx.db.write() as session:
        audit.record(session, user, "group", "", "export", note=f"{Path(path).name} {'public ' if public else ''}{len(rows)}")
    return len(rows)
