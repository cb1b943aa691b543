"""共催・後援 register: applications for the city's or the center's name on an event, the
decision with its conditions, the letter, and what an approval changes elsewhere — the event's
flyer shows 共催 / 後援 with the name (:func:`flyer_names`, used by
:func:`center_app.services.documents.flyer_pdf`), and the event's booking gets the 減免 reason
given with the approval (through :func:`center_app.services.bookings.update_booking`, so the
fee is recomputed and the booking's own checks apply).

Counter staff may receive an application; coordinators and administrators decide (the same
roles as the grants, :mod:`center_app.services.programs`). Every change is audited.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from center_app.db.events import Event
from center_app.db.models import FeeExemption
from center_app.db.programs import Endorsement
from center_app.domain import center_settings as spec
from center_app.domain import clock
from center_app.domain.documents import Issuer
from center_app.domain.errors import FieldProblem, ValidationError
from center_app.domain.fiscal import fiscal_year_label, fiscal_year_of, fiscal_year_range
from center_app.domain.normalize import clean_text
from center_app.domain.programs import EndorsementKind, EndorsementLetter, EndorsementStatus
from center_app.i18n import _
from center_app.services import audit
from center_app.services import center_settings as settings
from center_app.services.context import ServiceContext
from center_app.services.editing import lock_for_edit
from center_app.services.programs import DECIDERS, RECEIVERS


@dataclass(frozen=True)
class EndorsementView:
    """One entry of the register."""

    id: int
    kind: EndorsementKind
    event_id: int | None
    applicant_name: str
    event_title: str
    event_date: dt.date | None
    name_lent: str
    received_on: dt.date
    status: EndorsementStatus
    decided_on: dt.date | None
    conditions: str
    exemption_code: str
    version: int


def _view(row: Endorsement) -> EndorsementView:
    return EndorsementView(row.id, EndorsementKind(row.kind), row.event_id, row.applicant_name, row.event_title, row.event_date,
                           row.name_lent, row.received_on, EndorsementStatus(row.status), row.decided_on, row.conditions,
                           row.exemption_code, row.version)


def _snapshot(row: Endorsement) -> dict:
    return {"kind": row.kind, "event_id": row.event_id, "applicant_name": row.applicant_name, "event_title": row.event_title,
            "event_date": row.event_date, "name_lent": row.name_lent, "status": row.status, "conditions": row.conditions,
            "exemption_code": row.exemption_code}


def apply_endorsement(ctx: ServiceContext, kind: EndorsementKind | str, applicant_name: str, *, event_id: int | None = None,
                      event_title: str = "", event_date: dt.date | None = None, name_lent: str = "",
                      group_id: int | None = None) -> EndorsementView:
    """Receive an application for 共催 or 後援. ``event_id``: a stored event (its title and date
    are taken when not given); ``name_lent``: the name applied for (the center's name from
    設定 by default). Raises :class:`ValidationError` (nothing written) for an empty applicant or
    title, or an unknown event."""
    user = ctx.require(*RECEIVERS)
    kind = EndorsementKind(kind)
    with ctx.db.write() as session:
        event = session.get(Event, event_id) if event_id is not None else None
        problems = []
        if event_id is not None and event is None:
            problems.append(FieldProblem("event_id", _("This event no longer exists. Reload the list.")))
        applicant = clean_text(applicant_name)
        title = clean_text(event_title) or (event.title if event else "")
        if not applicant:
            problems.append(FieldProblem("applicant_name", _("Enter who applies.")))
        if not title:
            problems.append(FieldProblem("event_title", _("Enter the event's title.")))
        if problems:
            raise ValidationError(problems)
        row = Endorsement(kind=kind.value, event_id=event_id, group_id=group_id, applicant_name=applicant, event_title=title,
                          event_date=event_date or (event.event_date if event else None),
                          name_lent=clean_text(name_lent) or settings.get(session, spec.CENTER_NAME), received_on=clock.today(),
                          status=EndorsementStatus.APPLIED.value)
        session.add(row)
        session.flush()
        audit.record(session, user, "endorsement", row.id, "create", None, _snapshot(row))
        return _view(row)


def decide_endorsement(ctx: ServiceContext, endorsement_id: int, approve: bool, *, conditions: str = "", exemption_code: str = "",
                       expected_version: int | None = None) -> EndorsementView:
    """Approve (承認, with ``conditions``) or refuse (不承認) an application still applied for.
    An approval with ``exemption_code`` (a 減免 reason of 設定) gives the event's booking that
    reason first — refused as the booking service refuses it (a cancelled booking, a stale
    booking), and then nothing is decided. Raises :class:`ValidationError`,
    :class:`StaleEditError`."""
    from center_app.services import bookings

    user = ctx.require(*DECIDERS)
    code = clean_text(exemption_code)
    with ctx.db.read() as session:
        row = session.get(Endorsement, endorsement_id)
        if row is None:
            raise ValidationError(_("This application no longer exists. Reload the list."))
        if row.status != EndorsementStatus.APPLIED.value:
            raise ValidationError(_("This application has been decided already."))
        booking_id = session.scalar(select(Event.booking_id).where(Event.id == row.event_id)) if row.event_id else None
        if code and session.scalar(select(FeeExemption.id).where(FeeExemption.code == code, FeeExemption.active)) is None:
            raise ValidationError(_("There is no fee exemption {code}.").format(code=code), "exemption_code")
    if approve and code and booking_id is not None:
        booking = bookings.get_booking(ctx, booking_id)
        if booking.exemption_code != code:
            bookings.update_booking(ctx, booking_id, dataclasses.replace(booking.to_input(), exemption_code=code),
                                    expected_version=booking.version)
    with ctx.db.write() as session:
        row = lock_for_edit(session, Endorsement, endorsement_id, entity="endorsement",
                            missing=_("This application no longer exists. Reload the list."), expected_version=expected_version)
        if row.status != EndorsementStatus.APPLIED.value:
            raise ValidationError(_("This application has been decided already."))
        before = _snapshot(row)
        row.status = (EndorsementStatus.APPROVED if approve else EndorsementStatus.REFUSED).value
        row.decided_on = clock.today()
        row.conditions = clean_text(conditions) if approve else ""
        row.exemption_code = code if approve else ""
        session.flush()
        old, new = audit.changes(before, _snapshot(row))
        audit.record(session, user, "endorsement", row.id, "decide", old, new)
        return _view(row)


def list_endorsements(ctx: ServiceContext) -> list[EndorsementView]:
    """The register, newest first."""
    ctx.require(*RECEIVERS)
    with ctx.db.read() as session:
        return [_view(r) for r in session.scalars(select(Endorsement).order_by(Endorsement.received_on.desc(), Endorsement.id.desc()))]


def flyer_names(session: Session, event_id: int) -> dict[EndorsementKind, tuple[str, ...]]:
    """The names an event's flyer prints as 共催 and as 後援: those of its approved
    applications, in the order approved."""
    names: dict[EndorsementKind, tuple[str, ...]] = {}
    for kind, name in session.execute(select(Endorsement.kind, Endorsement.name_lent).where(
            Endorsement.event_id == event_id, Endorsement.status == EndorsementStatus.APPROVED.value)
            .order_by(Endorsement.decided_on, Endorsement.id)):
        names[EndorsementKind(kind)] = (*names.get(EndorsementKind(kind), ()), name)
    return names


def event_flyer_names(ctx: ServiceContext, event_id: int) -> dict[EndorsementKind, tuple[str, ...]]:
    """:func:`flyer_names` in a read transaction of its own."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        return flyer_names(session, event_id)


def endorsement_letter(ctx: ServiceContext, endorsement_id: int, issuer: Issuer) -> EndorsementLetter:
    """The letter of a decided application (承認 with its conditions, or 不承認)."""
    ctx.require(*DECIDERS)
    with ctx.db.read() as session:
        row = session.get(Endorsement, endorsement_id)
        if row is None:
            raise ValidationError(_("This application no longer exists. Reload the list."))
        if row.status == EndorsementStatus.APPLIED.value:
            raise ValidationError(_("Decide the application first."))
        return EndorsementLetter(f"{fiscal_year_label(fiscal_year_of(row.decided_on))} 協第{row.id}号", clock.today(),
                                 row.status == EndorsementStatus.APPROVED.value, EndorsementKind(row.kind), row.applicant_name,
                                 row.event_title, row.event_date, row.name_lent, row.received_on, row.conditions, issuer)


def approved_counts(ctx: ServiceContext, fiscal_year: int) -> dict[EndorsementKind, int]:
    """How many 共催 and 後援 were approved in ``fiscal_year`` (by the date decided)."""
    ctx.require(*DECIDERS)
    first, last = fiscal_year_range(fiscal_year)
    with ctx.db.read() as session:
        kinds = session.scalars(select(Endorsement.kind).where(
            Endorsement.status == EndorsementStatus.APPROVED.value, Endorsement.decided_on >= first, Endorsement.decided_on <= last)).all()
    return {kind: sum(1 for k in kinds if k == kind.value) for kind in EndorsementKind}
