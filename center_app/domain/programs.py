"""補助金・協働事業提案: the vocabulary of the center's funding programs — program kinds, the
status flow of an application, and the eligibility rule (pure; no database).

Source: the city's guideline on 協働のまちづくり (補助金 and 協働事業の公募・提案 as forms of
collaboration). Amounts are whole yen; dates are local (Asia/Tokyo) dates.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from center_app.i18n import N_, _

__all__ = ["ApplicationStatus", "NEXT_STATUSES", "ProgramKind", "eligibility_problems", "years_active"]


class ProgramKind(StrEnum):
    """補助金 (the city funds a project citizens run) or 協働事業提案 (a proposal run with the city)."""

    SUBSIDY = "subsidy"
    PROPOSAL = "proposal"

    @property
    def label(self) -> str:
        """The kind's name in the current language."""
        return _(_KIND_LABELS[self])


_KIND_LABELS = {ProgramKind.SUBSIDY: N_("Subsidy"), ProgramKind.PROPOSAL: N_("Collaboration proposal")}


class ApplicationStatus(StrEnum):
    """受付 → 審査 → 採択 / 不採択 → 交付決定 → 実績報告 → 確定."""

    RECEIVED = "received"
    IN_REVIEW = "in_review"
    ADOPTED = "adopted"
    REJECTED = "rejected"
    GRANT_DECIDED = "grant_decided"
    REPORTED = "reported"
    SETTLED = "settled"

    @property
    def label(self) -> str:
        """The status's name in the current language."""
        return _(_STATUS_LABELS[self])


_STATUS_LABELS = {
    ApplicationStatus.RECEIVED: N_("Received"),
    ApplicationStatus.IN_REVIEW: N_("In review"),
    ApplicationStatus.ADOPTED: N_("Adopted"),
    ApplicationStatus.REJECTED: N_("Not adopted"),
    ApplicationStatus.GRANT_DECIDED: N_("Grant decided"),
    ApplicationStatus.REPORTED: N_("Results reported"),
    ApplicationStatus.SETTLED: N_("Settled"),
}

#: The statuses an application may move to from each status (a rejection is final).
NEXT_STATUSES: dict[ApplicationStatus, tuple[ApplicationStatus, ...]] = {
    ApplicationStatus.RECEIVED: (ApplicationStatus.IN_REVIEW,),
    ApplicationStatus.IN_REVIEW: (ApplicationStatus.ADOPTED, ApplicationStatus.REJECTED),
    ApplicationStatus.ADOPTED: (ApplicationStatus.GRANT_DECIDED,),
    ApplicationStatus.REJECTED: (),
    ApplicationStatus.GRANT_DECIDED: (ApplicationStatus.REPORTED,),
    ApplicationStatus.REPORTED: (ApplicationStatus.SETTLED,),
    ApplicationStatus.SETTLED: (),
}


def years_active(since: dt.date | None, on: dt.date) -> int:
    """Whole years from ``since`` (founded or registered) to ``on``; 0 when unknown."""
    if since is None or since > on:
        return 0
    years = on.year - since.year
    if (on.month, on.day) < (since.month, since.day):
        years -= 1
    return years


def eligibility_problems(*, registered: bool, since: dt.date | None, on: dt.date, registered_only: bool,
                         min_years: int) -> list[str]:
    """Why a group may not apply on ``on`` (empty: it may): it must be a registered group when
    ``registered_only`` (設定), and active at least ``min_years`` whole years since ``since``."""
    problems: list[str] = []
    if registered_only and not registered:
        problems.append(_("Only registered groups may apply."))
    if min_years and years_active(since, on) < min_years:
        problems.append(_("The group must have been active for at least {years} years.").format(years=min_years))
    return problems
