"""What every part of 補助金・協働事業提案 shares: who may do what (:data:`DECIDERS`,
:data:`RECEIVERS`), the amounts accepted (:data:`MAX_YEN`, :func:`parse_yen`), finding and
locking a round (:func:`find_round`) and the two states that freeze it — the review started
(:func:`review_started`) and the allocation made (:func:`check_not_allocated`).
"""

from __future__ import annotations

import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from center_app.db.programs import GrantApplication, GrantRound, GrantScore
from center_app.domain.errors import ValidationError
from center_app.domain.programs import ApplicationStatus
from center_app.domain.roles import Role
from center_app.i18n import _
from center_app.services.editing import lock

#: Roles that run the programs (rounds, panel, conflicts, scores, decisions).
DECIDERS = (Role.ADMIN, Role.COORDINATOR)
#: Roles that may receive an application.
RECEIVERS = (Role.ADMIN, Role.COORDINATOR, Role.COUNTER)
#: The largest amount accepted anywhere in a program (yen).
MAX_YEN = 99_999_999


def parse_yen(raw: int | str | None, field_name: str, label: str, *, minimum: int = 0) -> int:
    """A whole amount of yen from a form (``12,000``, ``¥12,000``, ``12000円``, full-width digits)
    between ``minimum`` and :data:`MAX_YEN`. Raises :class:`ValidationError` on ``field_name``,
    named by ``label``."""
    if isinstance(raw, bool):
        raw = None
    if isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip().replace(",", "").removeprefix("¥").removesuffix("円")
        raw = int(text) if text.isdigit() else None
    if not isinstance(raw, int) or raw < minimum or raw > MAX_YEN:
        raise ValidationError(_("{field}: enter a whole number of yen from {low} to {high}.").format(
            field=label, low=f"{minimum:,}", high=f"{MAX_YEN:,}"), field_name)
    return raw


def find_round(session: Session, round_id: int, *, for_update: bool = False) -> GrantRound:
    """The round ``round_id`` (locked for the write when ``for_update``, as every path that
    changes a round takes it first). Raises :class:`ValidationError` when there is none."""
    row = lock(session, GrantRound, round_id) if for_update else session.get(GrantRound, round_id)
    if row is None:
        raise ValidationError(_("There is no round {id}.").format(id=round_id))
    return row


def check_not_allocated(round_row: GrantRound) -> None:
    """Refuse (:class:`ValidationError`) any change to the applications, the panel, the scores,
    the ranking or the allocation of an allocated round: its letters may have gone out, and a
    letter's number never changes its decision. Only :func:`reopen_round` goes back."""
    if round_row.stage == "allocated":
        raise ValidationError(_(
            "The budget of {round} has been allocated and its letters may have been sent: its applications, panel, scores "
            "and decisions can no longer change. An administrator can reopen the round, with the reason, to redo them.").format(
            round=round_row.name))


def review_started(session: Session, round_id: int) -> bool:
    """Whether an application of the round has left 受付 or a score sheet of it exists."""
    moved = session.scalar(select(GrantApplication.id).where(
        GrantApplication.round_id == round_id, GrantApplication.status != ApplicationStatus.RECEIVED.value).limit(1))
    scored = session.scalar(select(GrantScore.id).join(GrantApplication).where(GrantApplication.round_id == round_id).limit(1))
    return moved is not None or scored is not None
