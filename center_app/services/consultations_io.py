"""Import of the consultation log (CSV / XLSX), for the CLI and the 相談 screen; the export is
:mod:`center_app.services.consultations_export`, with the same columns
(:data:`center_app.services.consultations_values.COLUMNS`).

Columns (headers in Japanese whatever the UI language, matched in any order; full-width letters
and spaces ignored). An import needs the columns 相談日, 開始時刻, 所要時間(分), 相談方法, 相談者区分,
登録番号 or 相談者名 (at least one of the two), 相談分野, 相談内容, 対応内容 and 対応者; the others are
optional. In each row 相談日, 相談方法, 相談者区分, 相談分野, 相談内容, 対応者, and 登録番号 or 相談者名 must
have a value.

=============  =====================================================================================
相談番号        export only (the record's number); ignored by import
相談日          2026/4/1, 2026-04-01, 令和8年4月1日, R8.4.1 …
開始時刻        14:30 (blank allowed)
所要時間(分)    whole minutes, 1–1440 (blank allowed)
相談方法        来所, 電話, メール, FAX, 手紙, オンライン, 出張・外出先 (出張 / 外出先 accepted)
相談者区分      市民活動団体, 個人, 企業, 行政, 支援団体, その他
登録番号        a registration number of the group registry (the consultation is linked to it)
団体名          export only; ignored by import (the group comes from 登録番号)
相談者名        the person or unregistered organisation
相談者フリガナ  katakana or hiragana
連絡先          free text
相談分野        names of the 相談分野 list separated by ; or 、 (設立;法人化)
活動分野        NPO activity fields by number or name, separated by ; or 、
相談内容        free text (line breaks kept)
対応内容        free text
紹介先          free text
対応者          a coordinator's or administrator's login name or name as in 設定 → 職員
フォローアップ  要 / 不要 (blank: 不要)
フォロー期日    a date; needed when フォローアップ is 要
フォロー済      済 / 未 (blank: 未)
状態            対応中 / 完了 (blank: 完了 unless a follow-up is still to do)
完了日          date completed (blank: the consultation date); the retention period counts from it
担当者限定      はい / いいえ (○ / 1 / true accepted; blank: いいえ)
=============  =====================================================================================

Import is all-or-nothing, like the group import: every row is checked first, a
:class:`ValidationError` lists every problem (``row`` = spreadsheet row, header = row 1;
``field`` = the column header) and nothing is written; otherwise one transaction creates the
records (each audited ``create``, plus one ``import`` entry). A row identical to a recorded
consultation the importing user may see (same date, time, staff member and content) is a
problem, so importing the same file twice cannot double the log. A row identical to a record
hidden from them (担当者限定 of another coordinator) is imported as a new record, exactly like a
row matching nothing — the import never hints that the other exists — and the audit log, which
only administrators read, flags the new record as a possible duplicate (``possible_duplicate``,
naming the other record's number).

Export writes the visible records (a coordinator never gets another's confidential records)
in the same columns, so an export can be imported into another database. ``redacted``
replaces the names of people and groups by stable pseudonyms (``相談者-1A2B3C4D``, ``団体-…``,
``職員-…``: an HMAC-SHA256 of the normalised name with a secret kept in the database, so the same
name gets the same pseudonym in every export of this database and none elsewhere), replaces those
names where they appear in the free text too, and leaves 登録番号, フリガナ and 連絡先 empty.
Free text may still mention people the database does not know; one-character name parts are not
replaced.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from center_app.db.consultations import Consultation, ConsultationActivityField, ConsultationTopic, ConsultationTopicLink
from center_app.db.groups import ActivityField, Group
from center_app.db.models import StaffUser
from center_app.domain import clock
from center_app.domain.errors import FieldProblem, ValidationError
from center_app.domain.normalize import as_date
from center_app.domain.registration_no import normalize_registration_no
from center_app.i18n import _
from center_app.services import audit, bulk
from center_app.services.bulk import Steps
from center_app.services.consultations import apply_clean, audit_changes, snapshot
from center_app.services.consultations_queries import ENTITY, allow, visible_condition
from center_app.services.consultations_values import (
    CLIENT_TYPE_JA,
    COLUMNS,
    DONE,
    HEADERS,
    METHOD_JA,
    OPEN,
    ROLES,
    STATUS_JA,
    Column,
    ConsultationInput,
    clean_consultation_input,
)
from center_app.services.context import CurrentUser, ServiceContext
from center_app.services.group_files import header_key, map_headers, read_table, split_list
from center_app.services.group_values import ActivityFieldInfo, name_key, resolve_activity_field

_BY_ATTRIBUTE = {c.attribute: c for c in COLUMNS}

_METHOD_ALIASES = {header_key(v): k for k, v in METHOD_JA.items()} | {
    header_key(a): "outreach" for a in ("出張", "外出先", "出張(外出先)", "出張・外出先", "訪問")
} | {header_key(a): "email" for a in ("Eメール", "電子メール", "mail")} | {header_key(a): "online" for a in ("Web", "ウェブ", "Zoom")}
_CLIENT_ALIASES = {header_key(v): k for k, v in CLIENT_TYPE_JA.items()} | {
    header_key("団体"): "civic_group", header_key("NPO"): "civic_group", header_key("市民"): "individual",
}
_YES = {header_key(v) for v in ("はい", "要", "済", "○", "〇", "◯", "有", "あり", "YES", "Y", "TRUE", "1")}
_NO = {header_key(v) for v in ("", "いいえ", "不要", "未", "×", "無", "なし", "NO", "N", "FALSE", "0", "-")}


@dataclass(frozen=True)
class ImportResult:
    """Records created by an import (``dry_run``: that would be created; nothing written)."""

    created: int
    dry_run: bool = False


# --- import ------------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _flag(value: Any) -> bool | None:
    key = header_key(_text(value))
    if key in _YES:
        return True
    if key in _NO:
        return False
    return None


def _map_headers(headers: list[str]) -> tuple[dict[int, Column], list[FieldProblem]]:
    by_header = {c.header: c for c in COLUMNS}
    names, problems = map_headers(headers, HEADERS, [c.header for c in COLUMNS if c.required],
                                  aliases={"所要時間": _BY_ATTRIBUTE["duration_minutes"].header})
    if names and "登録番号" not in names.values() and "相談者名" not in names.values():
        problems.append(FieldProblem("相談者名", _("The file needs a column 登録番号 or 相談者名 (or both)."), 1))
    return {i: by_header[n] for i, n in names.items() if not by_header[n].export_only}, problems


@dataclass
class _Lookups:
    groups: dict[str, int]
    topics: dict[str, int]
    topic_names: list[str]
    fields: list[ActivityFieldInfo]
    staff: dict[str, int | None]  # None: two staff members share this name
    recorded: set[tuple]  # (date, time, staff, content) of the records the importing user may see
    hidden: dict[tuple, int]  # the same key of records hidden from them → the record's id


def _staff_key(text: str) -> str:
    return name_key(text)


def _lookups(session: Session, dates: Iterable[dt.date], user: CurrentUser) -> _Lookups:
    groups = {no: gid for gid, no in session.execute(select(Group.id, Group.registration_no).where(Group.registration_no.is_not(None)))}
    topics_rows = list(session.execute(select(ConsultationTopic.id, ConsultationTopic.name).order_by(ConsultationTopic.sort_order)))
    topics = {header_key(name): tid for tid, name in topics_rows}
    fields = [ActivityFieldInfo(f.code, f.name, f.short_name) for f in session.scalars(select(ActivityField).order_by(ActivityField.code))]
    staff: dict[str, int | None] = {}
    for user in session.scalars(select(StaffUser).where(StaffUser.role.in_([r.value for r in ROLES]))):
        staff[_staff_key(user.login_name)] = user.id
        key = _staff_key(user.display_name)
        staff[key] = None if key in staff and staff[key] != user.id else user.id
    dates = sorted(set(dates))
    recorded: set[tuple] = set()
    hidden: dict[tuple, int] = {}
    if dates:
        rows = session.execute(
            select(Consultation.consulted_on, Consultation.start_time, Consultation.staff_user_id, Consultation.content,
                   Consultation.id, visible_condition(user).label("visible"))
            .where(Consultation.consulted_on >= dates[0], Consultation.consulted_on <= dates[-1])
        )
        for day, start, staff_id, content, record_id, visible in rows:
            if visible:
                recorded.add((day, start, staff_id, content))
            else:
                hidden.setdefault((day, start, staff_id, content), record_id)
    return _Lookups(groups, topics, [n for _i, n in topics_rows], fields, staff, recorded, hidden)


def _row_input(values: dict[str, Any], look: _Lookups, report) -> tuple[ConsultationInput, dt.date | None]:
    method = _METHOD_ALIASES.get(header_key(_text(values.get("method"))), "")
    if _text(values.get("method")) and not method:
        report("method", _("Write one of: {names}").format(names="、".join(METHOD_JA.values())))
    client_type = _CLIENT_ALIASES.get(header_key(_text(values.get("client_type"))), "")
    if _text(values.get("client_type")) and not client_type:
        report("client_type", _("Write one of: {names}").format(names="、".join(CLIENT_TYPE_JA.values())))

    group_id = None
    number = normalize_registration_no(_text(values.get("registration_no")))
    if number:
        group_id = look.groups.get(number)
        if group_id is None:
            report("registration_no", _("No group has the registration number {number}.").format(number=number))
    topic_ids = []
    for name in split_list(_text(values.get("topics"))):
        tid = look.topics.get(header_key(name))
        if tid is None:
            report("topics", _("Unknown topic {name}. The topics are: {names}").format(name=name, names="、".join(look.topic_names)))
        else:
            topic_ids.append(tid)
    field_codes = []
    for item in split_list(_text(values.get("activity_fields"))):
        code = resolve_activity_field(item, look.fields)
        if code is None:
            report("activity_fields", _("Unknown activity field {name}.").format(name=item))
        else:
            field_codes.append(code)
    staff_id = None
    staff_text = _text(values.get("staff"))
    if staff_text:
        key = _staff_key(staff_text)
        if key not in look.staff:
            report("staff", _("No coordinator or administrator is called {name}. Use a login name or a name from 設定 → 職員.").format(name=staff_text))
        elif look.staff[key] is None:
            report("staff", _("Two staff members are called {name}. Use the login name.").format(name=staff_text))
        else:
            staff_id = look.staff[key]
    flags = {}
    for name in ("follow_up_needed", "follow_up_done", "confidential"):
        flag = _flag(values.get(name))
        if flag is None:
            report(name, _("Write はい or いいえ (要 / 不要, 済 / 未)."))
        flags[name] = bool(flag)
    status_text = header_key(_text(values.get("status")))
    status = {header_key(v): k for k, v in STATUS_JA.items()}.get(status_text)
    if status_text and status is None:
        report("status", _("Write 対応中 or 完了."))
    if not status:
        status = OPEN if flags["follow_up_needed"] and not flags["follow_up_done"] else DONE
    completed_on = None
    completed_text = values.get("completed_on")
    try:
        completed_on = as_date(completed_text if isinstance(completed_text, dt.date) else _text(completed_text), field="completed_on")
    except ValidationError as exc:
        for p in exc.problems:
            report("completed_on", p.message)
    date_value = values.get("consulted_on")
    data = ConsultationInput(
        consulted_on=date_value if isinstance(date_value, dt.date) else _text(date_value),
        start_time=_text(values.get("start_time")), duration_minutes=_text(values.get("duration_minutes")),
        method=method, client_type=client_type, group_id=group_id,
        client_name=_text(values.get("client_name")), client_kana=_text(values.get("client_kana")),
        client_contact=_text(values.get("client_contact")), topic_ids=tuple(topic_ids), activity_fields=tuple(field_codes),
        content=_text(values.get("content")), response=_text(values.get("response")), referral=_text(values.get("referral")),
        staff_user_id=staff_id, follow_up_needed=flags["follow_up_needed"], follow_up_due=_text(values.get("follow_up_due")),
        follow_up_done=flags["follow_up_done"], status=status, confidential=flags["confidential"],
    )
    return data, completed_on


_FIELD_TO_ATTRIBUTE = {"topic_ids": "topics", "staff_user_id": "staff", "group_id": "registration_no"}


def _plan(session: Session, headers: list[str], rows: list[list[Any]], day: dt.date, user: CurrentUser, steps: Steps | None = None
          ) -> tuple[list[tuple[dict[str, Any], int | None]], list[FieldProblem]]:
    """The clean values of every row with the id of a hidden record it repeats (or None), and
    every problem. ``steps`` advances by one a row."""
    mapping, problems = _map_headers(headers)
    if problems:
        return [], problems
    present = {c.attribute for c in mapping.values()}
    dates = []
    for cells in rows:
        for index, column in mapping.items():
            if column.attribute == "consulted_on":
                value = cells[index]
                try:
                    parsed = as_date(value if isinstance(value, dt.date) else _text(value))
                except ValidationError:
                    parsed = None
                if parsed:
                    dates.append(parsed)
    look = _lookups(session, dates, user)
    topic_ids, field_codes = set(look.topics.values()), {f.code for f in look.fields}
    staff_ids, group_ids = {i for i in look.staff.values() if i is not None}, set(look.groups.values())
    planned: list[tuple[dict[str, Any], int | None]] = []
    seen_in_file: dict[tuple, int] = {}
    for number, cells in enumerate(rows, start=2):
        if steps is not None:
            steps.advance()
        if all(_text(c) == "" for c in cells):
            continue
        values = {column.attribute: cells[i] for i, column in mapping.items()}
        row_problems: list[FieldProblem] = []

        def report(attribute: str, message: str, _n=number, _p=row_problems) -> None:
            column = _BY_ATTRIBUTE.get(_FIELD_TO_ATTRIBUTE.get(attribute, attribute))
            _p.append(FieldProblem(column.header if column else attribute, message, _n))

        data, completed_on = _row_input(values, look, report)
        try:
            clean = clean_consultation_input(
                data, today=day, topic_ids=topic_ids, field_codes=field_codes, staff_ids=staff_ids,
                group_exists=data.group_id is None or data.group_id in group_ids,
            )
        except ValidationError as exc:
            for p in exc.problems:
                attribute = p.field
                if attribute == "client_name" and "client_name" not in present:
                    attribute = "registration_no"
                report(attribute, p.message)
            clean = None
        if clean is not None:
            if clean["status"] == DONE:
                clean["completed_on"] = completed_on or clean["consulted_on"]
            key = (clean["consulted_on"], clean["start_time"], clean["staff_user_id"], clean["content"])
            if key in look.recorded:
                report("content", _("This consultation is already recorded (same date, time, staff member and content)."))
            elif key in seen_in_file:
                report("content", _("The same consultation as row {row}.").format(row=seen_in_file[key]))
            seen_in_file.setdefault(key, number)
            planned.append((clean, look.hidden.get(key)))
        problems += row_problems
    if not planned and not problems:
        problems.append(FieldProblem("file", _("The file has no data rows."), 1))
    return planned, problems


def _write(session: Session, user, planned: list[tuple[dict[str, Any], int | None]], day: dt.date, source: str, steps: Steps) -> None:
    """Create the records with one executemany per chunk: the consultations (the values
    :func:`apply_clean` gives a record), their topics and activity fields, an audit entry each,
    and for a row repeating a record hidden from the importer a ``possible_duplicate`` entry
    (for the administrators' eyes only)."""
    table = Consultation.__table__
    made = []
    for clean, _hidden_twin in planned:
        record = bulk.record(created_by_id=user.id, completed_on=None)
        apply_clean(record, clean, day)
        made.append(record)
    ids = bulk.insert_rows(session, table, [bulk.row_values(r, table) for r in made], steps, ids=True)
    topics, fields = [], []
    for record, record_id in zip(made, ids, strict=True):
        topics += [{"consultation_id": record_id, "topic_id": link.topic_id, "position": link.position} for link in record.topic_links]
        fields += [{"consultation_id": record_id, "field_code": link.field_code, "position": link.position} for link in record.field_links]
    bulk.insert_rows(session, ConsultationTopicLink.__table__, topics)
    bulk.insert_rows(session, ConsultationActivityField.__table__, fields)
    audit.record_many(session, user, ENTITY, "create", ((record_id, *audit_changes(None, snapshot(record))) for record, record_id in zip(made, ids, strict=True)),
                      note=f"import {source}", steps=steps)
    for (_clean, hidden_twin), record_id in zip(planned, ids, strict=True):
        if hidden_twin is not None:
            audit.record(session, user, ENTITY, record_id, "possible_duplicate",
                         note=f"same date, time, staff member and content as consultation {hidden_twin}")


def import_consultations(ctx: ServiceContext, path: Path, *, dry_run: bool = False, progress: bulk.Progress | None = None) -> ImportResult:
    """Import a coordinator's existing log (.csv in UTF-8 / UTF-8 with BOM / cp932, or .xlsx)
    in one transaction. Raises ValidationError listing every problem (nothing written);
    PermissionDenied (audited) for counter staff. ``progress(done, total)`` is called about once
    a percent while the rows are checked and written; when it returns False the import stops
    with :class:`~center_app.domain.errors.Cancelled` and nothing is written."""
    user = allow(ctx, "import")
    headers, rows = read_table(Path(path))
    day = clock.today()
    steps = Steps(progress, len(rows) * (1 if dry_run else 3))
    with ctx.db.write() as session:
        planned, problems = _plan(session, headers, rows, day, user, steps)
        if problems:
            raise ValidationError(problems)
        if dry_run:
            return ImportResult(len(planned), dry_run=True)
        _write(session, user, planned, day, Path(path).name, steps)
        audit.record(session, user, ENTITY, "", "import", note=f"{Path(path).name} rows={len(planned)}")
    return ImportResult(len(planned))

