"""修了証: the course name and the certificate number (第2026-0001号) printed through the
service, numbered per fiscal year and kept for a reprint of the same person and course."""

from __future__ import annotations

import datetime as dt

import pytest
from pdf_checks import compact, page_texts
from sqlalchemy import select

from center_app.db.models import AuditEntry
from center_app.domain.documents import APPRECIATION, COMPLETION, AwardBatch, Recipient
from center_app.domain.errors import ValidationError
from center_app.services import documents

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _clock(clock):
    clock(dt.date(2027, 3, 20))


def batch(names, course="市民活動入門講座", issued=dt.date(2027, 3, 20), kind=COMPLETION):
    return AwardBatch(kind, tuple(Recipient(*n) if isinstance(n, tuple) else Recipient(n) for n in names), "全課程を修了されました",
                      issued, course_name=course)


def numbers(pdf):
    """The certificate number of each page, as printed (digits and the hyphen)."""
    found = []
    for text in page_texts(pdf):
        page = compact(text)
        start = page.index("第")
        found.append(page[start:page.index("号", start) + 1])
    return found


def test_numbers_run_per_fiscal_year_and_a_reprint_keeps_its_number(counter_ctx):
    first = documents.award_certificates_pdf(counter_ctx, batch(["髙﨑 花子", ("山田 一郎", "ボランティアの会")]))
    assert numbers(first) == ["第2026-0001号", "第2026-0002号"]
    assert "市民活動入門講座" in compact(page_texts(first)[0])
    # A reprint, with a new participant, in the next fiscal year: the old numbers stay.
    again = documents.award_certificates_pdf(counter_ctx, batch([("山田 一郎", "ボランティアの会"), "佐藤 次郎", "髙﨑 花子"], issued=dt.date(2027, 4, 2)))
    assert numbers(again) == ["第2026-0002号", "第2027-0001号", "第2026-0001号"]
    # The same person in another course gets a number of their own.
    other = documents.award_certificates_pdf(counter_ctx, batch(["髙﨑 花子"], course="パソコン講座", issued=dt.date(2027, 4, 2)))
    assert numbers(other) == ["第2027-0002号"]
    with counter_ctx.db.read() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.entity == "award_number")).all()
    assert len(entries) == 4


def test_a_preview_shows_the_numbers_without_giving_them(counter_ctx):
    people = [f"受講者{i}" for i in range(5)]
    preview = documents.award_certificates_pdf(counter_ctx, batch(people), first=3)
    assert numbers(preview) == ["第2026-0001号", "第2026-0002号", "第2026-0003号"]
    documents.award_certificates_pdf(counter_ctx, batch(people[:1]), first=3)
    final = documents.award_certificates_pdf(counter_ctx, batch(people[1:2]))
    assert numbers(final) == ["第2026-0001号"]  # the previews gave nothing away


def test_a_completion_certificate_needs_its_course(counter_ctx):
    with pytest.raises(ValidationError) as caught:
        documents.award_certificates_pdf(counter_ctx, AwardBatch(COMPLETION, (), "", dt.date(2027, 3, 20), course_name="  "))
    assert {p.field for p in caught.value.problems} == {"course_name", "names", "body"}
    assert "講座" in caught.value.problems[0].message
    # 感謝状 have neither a course nor numbers.
    pdf = documents.award_certificates_pdf(counter_ctx, batch(["髙﨑 花子"], course="", kind=APPRECIATION))
    assert "第" not in compact(page_texts(pdf)[0])
