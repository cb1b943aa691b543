"""The numbers of 修了証 (certificates of completion): 第2026-0001号.

A recipient (name and affiliation, as printed) gets one number per course, the first time a
修了証 of that course is printed for them; every reprint shows the same number
(``db/events.AwardNumber``). Numbers run per fiscal year of the date of issue, from the counter
row ``document_counters`` kind ``award`` (locked in the write transaction, as receipt numbers).

- :func:`preview_numbers`: the numbers a print would show, without writing (new ones are the
  next free serials, which another PC may take first).
- :func:`assign_numbers`: the numbers of the final print, stored and audited.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from center_app.db.events import AwardNumber
from center_app.db.money import DocumentCounter
from center_app.domain.documents import COMPLETION, AwardBatch, award_number_text
from center_app.domain.errors import FieldProblem, ValidationError
from center_app.domain.fiscal import fiscal_year_of
from center_app.i18n import _
from center_app.services import audit, ledger
from center_app.services.context import ServiceContext
from center_app.services.editing import lock_name

#: The counter kind of 修了証 numbers in ``document_counters``.
COUNTER_KIND = "award"
#: Longest course name, recipient name and affiliation that are numbered (characters).
MAX_TEXT = 200


def check_course(batch: AwardBatch) -> AwardBatch:
    """``batch`` with its course name trimmed. A 修了証 needs the course name (ValidationError,
    field ``course_name``); names, affiliations and the course longer than :data:`MAX_TEXT`
    characters are refused (field ``course_name`` or the batch's names field)."""
    batch = replace(batch, course_name=batch.course_name.strip())
    if batch.kind != COMPLETION:
        return batch
    problems = []
    if not batch.course_name:
        problems.append(FieldProblem("course_name", _("Enter the name of the course the certificate of completion is for.")))
    elif len(batch.course_name) > MAX_TEXT:
        problems.append(FieldProblem("course_name", _("The course name is too long (at most {n} characters).").format(n=MAX_TEXT)))
    for row, person in enumerate(batch.recipients, start=1):
        if len(person.name) > MAX_TEXT or len(person.affiliation) > MAX_TEXT:
            problems.append(FieldProblem(batch.recipients_field, _("Line {line}: the name or affiliation is too long (at most {n} characters).").format(line=row, n=MAX_TEXT), row=row))
    if problems:
        raise ValidationError(problems)
    return batch


def _stored(session: Session, batch: AwardBatch) -> dict[tuple[str, str], str]:
    keys = list({(p.name, p.affiliation) for p in batch.recipients})
    found: dict[tuple[str, str], str] = {}
    for start in range(0, len(keys), 400):
        chunk = keys[start:start + 400]
        rows = session.execute(
            select(AwardNumber.recipient_name, AwardNumber.affiliation, AwardNumber.fiscal_year, AwardNumber.serial)
            .where(AwardNumber.course_name == batch.course_name, tuple_(AwardNumber.recipient_name, AwardNumber.affiliation).in_(chunk))
        )
        for name, affiliation, year, serial in rows:
            found[(name, affiliation)] = award_number_text(year, serial)
    return found


def _numbered(batch: AwardBatch, numbers: dict[tuple[str, str], str]) -> AwardBatch:
    people = tuple(replace(p, certificate_no=numbers[(p.name, p.affiliation)]) for p in batch.recipients)
    return replace(batch, recipients=people)


def preview_numbers(ctx: ServiceContext, batch: AwardBatch) -> AwardBatch:
    """``batch`` with the number each recipient would get (read only); a 感謝状 is returned as is."""
    ctx.require_signed_in()
    batch = check_course(batch)
    if batch.kind != COMPLETION:
        return batch
    year = fiscal_year_of(batch.issued_on)
    with ctx.db.read() as session:
        numbers = _stored(session, batch)
        last = session.scalar(select(DocumentCounter.last_serial).where(DocumentCounter.kind == COUNTER_KIND, DocumentCounter.fiscal_year == year, DocumentCounter.unit == "")) or 0
    for person in batch.recipients:
        key = (person.name, person.affiliation)
        if key not in numbers:
            last += 1
            numbers[key] = award_number_text(year, last)
    return _numbered(batch, numbers)


def assign_numbers(ctx: ServiceContext, batch: AwardBatch) -> AwardBatch:
    """``batch`` with each recipient's stored number, giving the next serial of the fiscal year of
    ``batch.issued_on`` to each recipient without one for this course (stored and audited in one
    transaction). A 感謝状 is returned as is. Raises ValidationError (see :func:`check_course`)."""
    user = ctx.require_signed_in()
    batch = check_course(batch)
    if batch.kind != COMPLETION:
        return batch
    year = fiscal_year_of(batch.issued_on)
    with ctx.db.write() as session:
        lock_name(session, f"award_numbers:{batch.course_name}")
        numbers = _stored(session, batch)
        created = []
        for person in batch.recipients:
            key = (person.name, person.affiliation)
            if key in numbers:
                continue
            serial = ledger.next_serial(session, COUNTER_KIND, year)
            row = AwardNumber(course_name=batch.course_name, recipient_name=person.name, affiliation=person.affiliation,
                              fiscal_year=year, serial=serial, issued_on=batch.issued_on)
            session.add(row)
            numbers[key] = award_number_text(year, serial)
            created.append(row)
        session.flush()
        if created:
            audit.record_many(session, user, "award_number", "create",
                              [(row.id, None, {"number": numbers[(row.recipient_name, row.affiliation)], "course_name": row.course_name, "name": row.recipient_name})
                               for row in created])
    return _numbered(batch, numbers)

