"""共催・後援 register: applications for the city's or the center's name on an event, the
decision with its conditions, the letter, and what an approval changes elsewhere — the event's
flyer shows 共催 / 後援 with the name (:func:`flyer_names`, used by
:func:`center_app.services.documents.flyer_pdf`), and the event's booking gets the 減免 reason
given with the approval (through :func:`center_app.services.bookings.update_booking`, so the
fee is recomputed and the booking's own checks apply).

An application is received for an event still to come (its date is required); while applied for
(申請中) it may be edited (onto the version the form was opened with) or withdrawn (取下げ); a
refusal needs its reason, printed on the 不承認通知. An approved one may still be withdrawn (the
applicant gives it up, or the event changes): the flyer and the public site stop printing the
name at once, and the 減免 the approval gave a booking still to come is removed (its fee
recomputed), while a booking already used keeps the fee it was used at (:func:`withdraw_endorsement`
says which). A decision itself is never changed: an approved application is not refused later.

Counter staff may receive, edit and withdraw an application; coordinators and administrators decide (the same
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
from center_app.domain.wareki import format_day
from center_app.i18n import _
from center_app.services import audit
from center_app.services import center_settings as settings
from center_app.services.context import ServiceContext
from center_app.services.editing import lock_for_edit
from center_app.services.programs_base import DECIDERS, RECEIVERS


@dataclass(frozen=True)
class EndorsementView:
    """One entry of the register. ``reason``: a refusal's; ``booking_id``: the booking of the
    stored event (None: no event, or the event books no room) — an approval with an
    ``exemption_code`` gave it that 減免 reason."""

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
    group_id: int | None = None
    event_place: str = ""
    request: str = ""
    reason: str = ""
    booking_id: int | None = None
    #: What a withdrawal did to the event's booking (its 減免 removed, or kept and why); empty otherwise.
    booking_note: str = ""


@dataclass(frozen=True)
class EndorsementInput:
    """The fields of an application as the form holds them: ``kind`` 共催 (cohost) or 後援
    (support); the applicant — a registered group (``group_id``; its name when
    ``applicant_name`` is empty) or a name typed; the event — a stored one (``event_id``: its
    title and date when not typed) or its title, date and place typed; ``name_lent`` (empty: the
    center's name of 設定); ``request``: what is asked for."""

    kind: EndorsementKind | str
    applicant_name: str = ""
    group_id: int | None = None
    event_id: int | None = None
    event_title: str = ""
    event_date: dt.date | None = None
    event_place: str = ""
    name_lent: str = ""
    request: str = ""


def _view(row: Endorsement, booking_id: int | None = None) -> EndorsementView:
    return EndorsementView(row.id, EndorsementKind(row.kind), row.event_id, row.applicant_name, row.event_title, row.event_date,
                           row.name_lent, row.received_on, EndorsementStatus(row.status), row.decided_on, row.conditions,
                           row.exemption_code, row.version, row.group_id, row.event_place, row.request, row.refusal_reason,
                           booking_id)


def _snapshot(row: Endorsement) -> dict:
    return {"kind": row.kind, "event_id": row.event_id, "group_id": row.group_id, "applicant_name": row.applicant_name,
            "event_title": row.event_title, "event_date": row.event_date, "event_place": row.event_place, "request": row.request,
            "name_lent": row.name_lent, "status": row.status, "conditions": row.conditions, "exemption_code": row.exemption_code,
            "refusal_reason": row.refusal_reason}


def _booking_of(session: Session, event_id: int | None) -> int | None:
    return session.scalar(select(Event.booking_id).where(Event.id == event_id)) if event_id is not None else None


def _clean(session: Session, data: EndorsementInput, stored_date: dt.date | None = None) -> dict:
    """The columns of ``data``, checked. An event date before today is refused (an application
    is for an event still to come), except the date an edited application already has
    (``stored_date``). Raises :class:`ValidationError` with every problem at once."""
    from center_app.db.groups import Group

    problems = []
    try:
        kind = EndorsementKind(data.kind)
    except ValueError:
        kind = None
        problems.append(FieldProblem("kind", _("Choose co-hosting (共催) or support (後援).")))
    event = session.get(Event, data.event_id) if data.event_id is not None else None
    if data.event_id is not None and event is None:
        problems.append(FieldProblem("event_id", _("This event no longer exists. Reload the list.")))
    group = session.get(Group, data.group_id) if data.group_id is not None else None
    if data.group_id is not None and group is None:
        problems.append(FieldProblem("applicant_name", _("This group no longer exists. Reload the list.")))
    applicant = clean_text(data.applicant_name) or (group.name if group else "")
    title = clean_text(data.event_title) or (event.title if event else "")
    day = data.event_date or (event.event_date if event else None)
    if not applicant:
        problems.append(FieldProblem("applicant_name", _("Enter who applies.")))
    if not title:
        problems.append(FieldProblem("event_title", _("Enter the event's title.")))
    if day is None:
        problems.append(FieldProblem("event_date", _("Enter the event's date.")))
    elif day < clock.today() and day != stored_date:
        problems.append(FieldProblem("event_date", _(
            "The event on {date} has already taken place: an application is for an event still to come.").format(
                date=format_day(day))))
    if problems:
        raise ValidationError(problems)
    return {"kind": kind.value, "event_id": data.event_id, "group_id": data.group_id, "applicant_name": applicant,
            "event_title": title, "event_date": day, "event_place": clean_text(data.event_place),
            "name_lent": clean_text(data.name_lent) or settings.get(session, spec.CENTER_NAME), "request": clean_text(data.request)}


def _still_applied(row: Endorsement) -> None:
    """Refuse a change of an application that is no longer 申請中 (decided or withdrawn)."""
    if row.status == EndorsementStatus.WITHDRAWN.value:
        raise ValidationError(_("This application was withdrawn."))
    if row.status != EndorsementStatus.APPLIED.value:
        raise ValidationError(_("This application has been decided already."))


def apply_endorsement(ctx: ServiceContext, kind: EndorsementKind | str, applicant_name: str = "", *, event_id: int | None = None,
                      event_title: str = "", event_date: dt.date | None = None, name_lent: str = "",
                      group_id: int | None = None, event_place: str = "", request: str = "") -> EndorsementView:
    """Receive an application for 共催 or 後援, received today (:class:`EndorsementInput` says
    what each field is). Raises :class:`ValidationError` (nothing written) for an empty
    applicant, title or date, an event date before today, an unknown event or group."""
    return receive_endorsement(ctx, EndorsementInput(kind, applicant_name, group_id, event_id, event_title, event_date, event_place,
                                                     name_lent, request))


def receive_endorsement(ctx: ServiceContext, data: EndorsementInput) -> EndorsementView:
    """Receive the application of the form's ``data`` (see :func:`apply_endorsement`)."""
    user = ctx.require(*RECEIVERS)
    with ctx.db.write() as session:
        row = Endorsement(**_clean(session, data), received_on=clock.today(), status=EndorsementStatus.APPLIED.value)
        session.add(row)
        session.flush()
        audit.record(session, user, "endorsement", row.id, "create", None, _snapshot(row))
        return _view(row, _booking_of(session, row.event_id))


def update_endorsement(ctx: ServiceContext, endorsement_id: int, data: EndorsementInput, *,
                       expected_version: int | None = None) -> EndorsementView:
    """Save the form's ``data`` onto an application still applied for (申請中), onto the version
    the form was opened with. Raises :class:`ValidationError` (the checks of
    :func:`apply_endorsement`; decided or withdrawn already), :class:`StaleEditError`."""
    user = ctx.require(*RECEIVERS)
    with ctx.db.write() as session:
        row = lock_for_edit(session, Endorsement, endorsement_id, entity="endorsement",
                            missing=_("This application no longer exists. Reload the list."), expected_version=expected_version)
        _still_applied(row)
        before = _snapshot(row)
        for name, value in _clean(session, data, stored_date=row.event_date).items():
            setattr(row, name, value)
        session.flush()
        old, new = audit.changes(before, _snapshot(row))
        if new:
            audit.record(session, user, "endorsement", row.id, "update", old, new)
        return _view(row, _booking_of(session, row.event_id))


def _withdrawable(row: Endorsement) -> None:
    """Refuse the withdrawal of an application neither applied for nor approved."""
    if row.status == EndorsementStatus.WITHDRAWN.value:
        raise ValidationError(_("This application was withdrawn."))
    if row.status not in (EndorsementStatus.APPLIED.value, EndorsementStatus.APPROVED.value):
        raise ValidationError(_("This application was not approved: there is nothing to withdraw."))


def _release_exemption(ctx: ServiceContext, booking_id: int, code: str) -> str:
    """Take the 減免 ``code`` an approval gave off the booking ``booking_id`` when the booking is
    still to come (provisional or confirmed, from today on): its fee is recomputed by
    :func:`center_app.services.bookings.update_booking` (whose refusal refuses the withdrawal).
    Returns the sentence that tells the clerk what the booking's fee is now, and why."""
    from center_app.domain.booking_values import OPEN, BookingStatus, status_label
    from center_app.services import bookings

    booking = bookings.get_booking(ctx, booking_id)
    day = format_day(booking.start.date())
    if booking.exemption_code != code:
        return _("Booking {id} ({date}) no longer has the fee exemption of the approval; its fee stays {fee} yen.").format(
            id=booking_id, date=day, fee=f"{booking.fee:,}")
    if BookingStatus(booking.status) not in OPEN:
        return _("Booking {id} ({date}) is {status}: it keeps the fee exemption 「{exemption}」 and its fee of {fee} yen.").format(
            id=booking_id, date=day, status=status_label(booking.status), exemption=booking.exemption_name,
            fee=f"{booking.fee:,}")
    if booking.start.date() < clock.today():
        return _("Booking {id} ({date}) is past: it keeps the fee exemption 「{exemption}」 and its fee of {fee} yen.").format(
            id=booking_id, date=day, exemption=booking.exemption_name, fee=f"{booking.fee:,}")
    changed = bookings.update_booking(ctx, booking_id, dataclasses.replace(booking.to_input(), exemption_code=""),
                                      expected_version=booking.version)
    return _("The fee exemption 「{exemption}」 was removed from booking {id} ({date}): its fee is now {fee} yen (was {before} yen).").format(
        exemption=booking.exemption_name, id=booking_id, date=day, fee=f"{changed.fee:,}", before=f"{booking.fee:,}")


def withdraw_endorsement(ctx: ServiceContext, endorsement_id: int, *, expected_version: int | None = None) -> EndorsementView:
    """取下げ: the applicant withdraws an application applied for or approved; it stays in the
    register as withdrawn. Once approved, the name stops at once on the event's flyer and public
    page (both print approved ones only), and the 減免 the approval gave the event's booking is
    removed when the booking is still to come — a city office charges the normal fee once the
    ground for the reduction is gone, but does not reopen a fee already used; the view's
    ``booking_note`` says which booking keeps or lost which fee. The version is checked before
    the booking is touched. Raises :class:`ValidationError` (withdrawn already, refused, the
    booking's own refusal — then nothing is withdrawn), :class:`StaleEditError`."""
    user = ctx.require(*RECEIVERS)
    missing = _("This application no longer exists. Reload the list.")
    with ctx.db.write() as session:  # the checks on the locked row, before the booking changes
        row = lock_for_edit(session, Endorsement, endorsement_id, entity="endorsement", missing=missing,
                            expected_version=expected_version)
        _withdrawable(row)
        approved, code = row.status == EndorsementStatus.APPROVED.value, row.exemption_code
        booking_id = _booking_of(session, row.event_id)
    note = _release_exemption(ctx, booking_id, code) if approved and code and booking_id is not None else ""
    with ctx.db.write() as session:
        row = lock_for_edit(session, Endorsement, endorsement_id, entity="endorsement", missing=missing,
                            expected_version=expected_version)
        _withdrawable(row)
        before = row.status
        row.status = EndorsementStatus.WITHDRAWN.value
        session.flush()
        audit.record(session, user, "endorsement", row.id, "withdraw", {"status": before}, {"status": row.status},
                     note=note)
        return dataclasses.replace(_view(row, booking_id), booking_note=note)


def get_endorsement(ctx: ServiceContext, endorsement_id: int) -> EndorsementView:
    """One application as it is now (the form's 「開き直す」). Raises :class:`ValidationError`."""
    ctx.require(*RECEIVERS)
    with ctx.db.read() as session:
        row = session.get(Endorsement, endorsement_id)
        if row is None:
            raise ValidationError(_("This application no longer exists. Reload the list."))
        return _view(row, _booking_of(session, row.event_id))


def decide_endorsement(ctx: ServiceContext, endorsement_id: int, approve: bool, *, conditions: str = "", exemption_code: str = "",
                       expected_version: int | None = None, reason: str = "") -> EndorsementView:
    """Approve (承認, with ``conditions``) or refuse (不承認, with its ``reason``, required) an
    application still applied for. An approval with ``exemption_code`` (a 減免 reason of 設定)
    gives the event's booking that reason first — refused as the booking service refuses it (a
    cancelled booking, a stale booking), and then nothing is decided. The version is checked
    before the booking is touched, so a stale decision changes nothing. Raises
    :class:`ValidationError`, :class:`StaleEditError`."""
    from center_app.services import bookings

    user = ctx.require(*DECIDERS)
    code = clean_text(exemption_code) if approve else ""
    why = clean_text(reason)
    if not approve and not why:
        raise ValidationError(_("Enter the reason for not approving: it is printed on the letter."), "reason")
    missing = _("This application no longer exists. Reload the list.")
    with ctx.db.write() as session:  # nothing is written here: the checks on the locked row, before the booking changes
        row = lock_for_edit(session, Endorsement, endorsement_id, entity="endorsement", missing=missing,
                            expected_version=expected_version)
        _still_applied(row)
        booking_id = _booking_of(session, row.event_id)
        if code and session.scalar(select(FeeExemption.id).where(FeeExemption.code == code, FeeExemption.active)) is None:
            raise ValidationError(_("There is no fee exemption {code}.").format(code=code), "exemption_code")
    if code and booking_id is not None:
        booking = bookings.get_booking(ctx, booking_id)
        if booking.exemption_code != code:
            bookings.update_booking(ctx, booking_id, dataclasses.replace(booking.to_input(), exemption_code=code),
                                    expected_version=booking.version)
    with ctx.db.write() as session:
        row = lock_for_edit(session, Endorsement, endorsement_id, entity="endorsement", missing=missing,
                            expected_version=expected_version)
        _still_applied(row)
        before = _snapshot(row)
        row.status = (EndorsementStatus.APPROVED if approve else EndorsementStatus.REFUSED).value
        row.decided_on = clock.today()
        row.conditions = clean_text(conditions) if approve else ""
        row.exemption_code = code
        row.refusal_reason = "" if approve else why
        session.flush()
        old, new = audit.changes(before, _snapshot(row))
        audit.record(session, user, "endorsement", row.id, "decide", old, new)
        return _view(row, booking_id)


def list_endorsements(ctx: ServiceContext, fiscal_year: int | None = None,
                      status: EndorsementStatus | str | None = None) -> list[EndorsementView]:
    """The register, newest first: those received in ``fiscal_year`` (April–March; None: all)
    with ``status`` (None: any)."""
    ctx.require(*RECEIVERS)
    query = select(Endorsement, Event.booking_id).outerjoin(Event, Event.id == Endorsement.event_id)
    if fiscal_year is not None:
        first, last = fiscal_year_range(fiscal_year)
        query = query.where(Endorsement.received_on >= first, Endorsement.received_on <= last)
    if status is not None:
        query = query.where(Endorsement.status == EndorsementStatus(status).value)
    with ctx.db.read() as session:
        return [_view(r, booking_id) for r, booking_id in session.execute(
            query.order_by(Endorsement.received_on.desc(), Endorsement.id.desc()))]


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


def event_credits(ctx: ServiceContext, event_id: int, own_co_hosts: str = "") -> tuple[str, str]:
    """What an event's flyer and its public page print as 共催 and 後援: ``(co_hosts,
    supporters)``, each names joined with 「、」 — the event's own co-hosts (as typed) with the
    approved 共催, then the approved 後援 (empty strings when there are none)."""
    lent = event_flyer_names(ctx, event_id)
    cohosts = [n for n in (own_co_hosts, *lent.get(EndorsementKind.COHOST, ())) if n]
    return "、".join(dict.fromkeys(cohosts)), "、".join(lent.get(EndorsementKind.SUPPORT, ()))


def endorsement_letter(ctx: ServiceContext, endorsement_id: int, issuer: Issuer) -> EndorsementLetter:
    """The letter of a decided application (承認 with its conditions, or 不承認)."""
    ctx.require(*DECIDERS)
    with ctx.db.read() as session:
        row = session.get(Endorsement, endorsement_id)
        if row is None:
            raise ValidationError(_("This application no longer exists. Reload the list."))
        if row.status == EndorsementStatus.WITHDRAWN.value:
            raise ValidationError(_("This application was withdrawn."))
        if row.status == EndorsementStatus.APPLIED.value:
            raise ValidationError(_("Decide the application first."))
        return EndorsementLetter(f"{fiscal_year_label(fiscal_year_of(row.decided_on))} 協第{row.id}号", clock.today(),
                                 row.status == EndorsementStatus.APPROVED.value, EndorsementKind(row.kind), row.applicant_name,
                                 row.event_title, row.event_date, row.name_lent, row.received_on, row.conditions, issuer,
                                 row.event_place, row.refusal_reason)


def approved_counts(ctx: ServiceContext, fiscal_year: int) -> dict[EndorsementKind, int]:
    """How many 共催 and 後援 were approved in ``fiscal_year`` (by the date decided)."""
    ctx.require(*DECIDERS)
    first, last = fiscal_year_range(fiscal_year)
    with ctx.db.read() as session:
        kinds = session.scalars(select(Endorsement.kind).where(
            Endorsement.status == EndorsementStatus.APPROVED.value, Endorsement.decided_on >= first, Endorsement.decided_on <= last)).all()
    return {kind: sum(1 for k in kinds if k == kind.value) for kind in EndorsementKind}
