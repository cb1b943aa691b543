"""補助金・協働事業提案: the vocabulary of the center's funding programs — program kinds, the
status flow of an application, and the eligibility rule (pure; no database).

Source: the city's guideline on 協働のまちづくり (補助金 and 協働事業の公募・提案 as forms of
collaboration). Amounts are whole yen; dates are local (Asia/Tokyo) dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from center_app.domain.documents import Issuer
from center_app.domain.wareki import format_day
from center_app.i18n import N_, _

__all__ = [
    "APPLICATION_DOCUMENTS", "DECISION", "REJECTION", "ApplicationStatus", "EndorsementKind", "EndorsementLetter", "EndorsementStatus", "GrantLetter", "NEXT_STATUSES", "ProgramKind", "PublicResultRow", "PublicResults",
    "ReportCheck", "amount_to_return", "eligibility_problems", "years_active",
]


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


#: The documents an application comes with, as the checklist of the application form names them
#: (stored by name with whether each was received; the CLI's ``--document`` may name others).
APPLICATION_DOCUMENTS = ("申請書", "事業計画書", "収支予算書", "団体の規約・会則", "役員名簿")


def years_active(since: dt.date | None, on: dt.date) -> int:
    """Whole years from ``since`` (founded or registered) to ``on``; 0 when unknown."""
    if since is None or since > on:
        return 0
    years = on.year - since.year
    if (on.month, on.day) < (since.month, since.day):
        years -= 1
    return years


def eligibility_problems(*, registered: bool, since: dt.date | None, on: dt.date, registered_only: bool,
                         min_years: int, valid_until: dt.date | None = None) -> list[str]:
    """Why a group may not apply on ``on`` (empty: it may): it must be a registered group when
    ``registered_only`` (設定) whose registration is still valid on ``on`` (``valid_until``: the
    last day of its registration, None: no end), and active at least ``min_years`` whole years
    since ``since``."""
    problems: list[str] = []
    if registered_only and not registered:
        problems.append(_("Only registered groups may apply."))
    elif registered_only and valid_until is not None and valid_until < on:
        problems.append(_("Its registration expired on {date}: renew the registration before applying.").format(
            date=format_day(valid_until)))
    if min_years and years_active(since, on) < min_years:
        problems.append(_("The group must have been active for at least {years} years.").format(years=min_years))
    return problems


# --- documents ------------------------------------------------------------------------------------

#: The letters of a round: 交付決定通知書 to an adopted application, 不採択通知 to one not adopted.
DECISION, REJECTION = "decision", "rejection"


@dataclass(frozen=True)
class GrantLetter:
    """What one letter to an applicant shows (``kind``: :data:`DECISION` or :data:`REJECTION`):
    the letter number, the date issued, the group and its representative, the program, round
    and project, the date received, the requested and granted yen, the score and rank (out of
    ``ranked``), and the issuer (設定)."""

    kind: str
    number: str
    issued_on: dt.date
    group_name: str
    representative_name: str
    program_name: str
    round_name: str
    fiscal_year: int
    project_title: str
    received_on: dt.date
    requested_yen: int
    granted_yen: int
    score_text: str
    rank: int | None
    ranked: int
    issuer: Issuer


@dataclass(frozen=True)
class PublicResultRow:
    """One line of the public results list: no reviewer names, only the total score;
    ``tied``: another application has the same score (and rank)."""

    rank: int | None
    project_title: str
    group_name: str
    granted_yen: int
    score_text: str
    adopted: bool
    tied: bool = False


@dataclass(frozen=True)
class PublicResults:
    """The public results list of a round (審査結果の公表)."""

    program_name: str
    round_name: str
    fiscal_year: int
    issued_on: dt.date
    aggregation_label: str
    budget_yen: int
    granted_total_yen: int
    rows: tuple[PublicResultRow, ...]
    issuer: Issuer


@dataclass(frozen=True)
class ReportCheck:
    """The 実績報告 check of one grant: granted and actually spent yen, and what the group
    returns (:func:`amount_to_return`)."""

    group_name: str
    program_name: str
    round_name: str
    project_title: str
    granted_yen: int
    actual_spend_yen: int
    returned_yen: int
    issued_on: dt.date
    issuer: Issuer


def amount_to_return(granted_yen: int, actual_spend_yen: int) -> int:
    """What a group pays back after its 実績報告: the part of the grant it did not spend
    (granted − actual spending, never below 0), in yen. Spending more than granted is the
    group's own money: nothing more is paid."""
    return max(0, granted_yen - actual_spend_yen)


# --- 共催・後援 -------------------------------------------------------------------------------------


class EndorsementKind(StrEnum):
    """共催 (the city or the center co-hosts the event) or 後援 (it lends its name)."""

    COHOST = "cohost"
    SUPPORT = "support"

    @property
    def label(self) -> str:
        """共催 / 後援 as printed (Japanese on every document)."""
        return "共催" if self is EndorsementKind.COHOST else "後援"


class EndorsementStatus(StrEnum):
    """申請 → 承認 / 不承認; 取下げ (withdrawn by the applicant before the decision)."""

    APPLIED = "applied"
    APPROVED = "approved"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        """The status's name in the current language."""
        return _(_ENDORSEMENT_LABELS[self])


_ENDORSEMENT_LABELS = {
    EndorsementStatus.APPLIED: N_("Applied"),
    EndorsementStatus.APPROVED: N_("Approved"),
    EndorsementStatus.REFUSED: N_("Not approved"),
    EndorsementStatus.WITHDRAWN: N_("Withdrawn application"),
}


@dataclass(frozen=True)
class EndorsementLetter:
    """The 共催・後援承認通知書 (or 不承認通知) of one decision: ``conditions`` of an approval,
    ``reason`` of a refusal; ``event_place`` as applied for ("" when not given)."""

    number: str
    issued_on: dt.date
    approved: bool
    kind: EndorsementKind
    applicant_name: str
    event_title: str
    event_date: dt.date | None
    name_lent: str
    received_on: dt.date
    conditions: str
    issuer: Issuer
    event_place: str = ""
    reason: str = ""
