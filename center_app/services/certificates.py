"""登録証 and the issuer of every document (center-wide settings, see
:data:`center_app.domain.center_settings.ISSUER`).

- :func:`issuer` / :func:`save_issuer`: the center's name, the head's title and name and the
  seal image printed on certificates (keys ``center_name``, ``head_title``, ``head_name``,
  ``seal_image_path``; saving is for administrators and audited).
- :func:`certificate_for_group` (read only, also for a live preview of a reissue) and
  :func:`record_reissue` (adds one to ``Group.certificate_reissue_count``, audited).
- :func:`group_certificate_pdf`: the one call for "print this group's certificate".
- :func:`active_certificates` + :func:`certificates_pdf`: every registered group at once.

Any signed-in staff member may print certificates (the counter registers groups).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from center_app.db.groups import ActivityField, Group, GroupActivityField
from center_app.domain import clock
from center_app.domain.center_settings import ISSUER
from center_app.domain.documents import CERTIFICATE_SIZES, Issuer, Progress, RegistrationCertificate
from center_app.domain.errors import FieldProblem, MissingGlyphError, RuleCode, RuleError, ValidationError
from center_app.domain.registration_no import normalize_registration_no
from center_app.domain.roles import Role
from center_app.domain.wareki import format_day
from center_app.i18n import _
from center_app.print.base import load_image
from center_app.print.fonts import MINCHO, check_text
from center_app.print.registration import check_certificates, render_registration_certificates
from center_app.services import audit, center_settings
from center_app.services.context import ServiceContext
from center_app.services.editing import lock_for_edit
from center_app.services.group_values import APPLIED, EXPIRED, PAUSED, REGISTERED, WITHDRAWN, effective_status
from center_app.services.groups_queries import _load

# --- issuer (設定) ---------------------------------------------------------------------------------


def _issuer(session: Session) -> Issuer:
    return Issuer(**center_settings.get_many(session, ISSUER))


def issuer(ctx: ServiceContext) -> Issuer:
    """Who issues the documents, from 設定."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        return _issuer(session)


def save_issuer(ctx: ServiceContext, center_name: str, head_title: str, head_name: str = "", seal_image_path: str = "") -> Issuer:
    """Save the issuer (administrators). Every problem is reported at once: the center's name is
    required, texts must be printable in the certificate font, the seal must be a readable image."""
    user = ctx.require(Role.ADMIN)
    values = {
        "center_name": " ".join(center_name.split()),
        "head_title": " ".join(head_title.split()),
        "head_name": " ".join(head_name.split()),
        "seal_image_path": seal_image_path.strip(),
    }
    problems: list[FieldProblem] = []
    for spec in ISSUER:
        try:
            spec.parse(values[spec.key])
        except ValidationError as exc:
            problems += exc.problems
    for key in ("center_name", "head_title", "head_name"):
        try:
            check_text(values[key], "IPAexMincho", key)
        except ValidationError as exc:
            problems += exc.problems
    if values["seal_image_path"]:
        try:
            load_image(values["seal_image_path"], "seal_image_path")
        except ValidationError as exc:
            problems += exc.problems
    if problems:
        raise ValidationError(problems)
    with ctx.db.write() as session:
        return Issuer(**center_settings.set_many(session, user, {spec: values[spec.key] for spec in ISSUER}, audit_id="issuer"))


# --- certificates ----------------------------------------------------------------------------------


def _field_names(session: Session) -> dict[int, tuple[str, str]]:
    return {code: (name, short) for code, name, short in session.execute(select(ActivityField.code, ActivityField.name, ActivityField.short_name))}


def _links(session: Session, group_ids: list[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {gid: [] for gid in group_ids}
    for start in range(0, len(group_ids), 500):
        chunk = group_ids[start:start + 500]
        rows = session.execute(
            select(GroupActivityField.group_id, GroupActivityField.field_code)
            .where(GroupActivityField.group_id.in_(chunk))
            .order_by(GroupActivityField.group_id, GroupActivityField.position)
        )
        for group_id, code in rows:
            found[group_id].append(code)
    return found


def _certificate(group: Group, codes: Iterable[int], names: dict[int, tuple[str, str]], issued_on: dt.date, reissue_count: int) -> RegistrationCertificate:
    fields = [names[c] for c in codes if c in names]
    return RegistrationCertificate(
        group_name=group.name,
        group_kana=group.name_kana,
        registration_no=group.registration_no or "",
        representative_name=group.representative_name,
        activity_fields=tuple(f[0] for f in fields),
        activity_fields_short=tuple(f[1] for f in fields),
        valid_until=group.valid_until,
        issued_on=issued_on,
        reissue_count=reissue_count,
    )


def _check_printable(group: Group, day: dt.date) -> None:
    """A certificate exists only for a group with a number whose registration is in force."""
    status = effective_status(group.status, group.valid_until, day)
    if not group.registration_no or status == APPLIED:
        raise RuleError(_("{name} has no registration number yet: approve the application first.").format(name=group.name), RuleCode.CERTIFICATE_STATUS, status)
    if status == WITHDRAWN:
        raise RuleError(_("{name} has withdrawn: no certificate can be issued.").format(name=group.name), RuleCode.CERTIFICATE_STATUS, status)
    if status == PAUSED:
        raise RuleError(_("{name} is paused: resume the group before printing a certificate.").format(name=group.name), RuleCode.CERTIFICATE_STATUS, status)
    if status == EXPIRED:
        raise RuleError(_("The registration of {name} expired on {date}: renew it before printing a certificate.").format(name=group.name, date=format_day(group.valid_until, weekday=False)), RuleCode.CERTIFICATE_STATUS, status)


def group_id_for_number(ctx: ServiceContext, registration_no: str) -> int:
    """The id of the group with a typed or scanned registration number; ValidationError (field
    ``group``) naming the number when there is none."""
    ctx.require_signed_in()
    number = normalize_registration_no(registration_no)
    with ctx.db.read() as session:
        found = session.scalar(select(Group.id).where(Group.registration_no == number)) if number else None
    if found is None:
        raise ValidationError(_("No group has the registration number {number}.").format(number=registration_no.strip()), field_name="group")
    return found


def certificate_for_group(ctx: ServiceContext, group_id: int, *, issued_on: dt.date | None = None, reissue: bool = False) -> RegistrationCertificate:
    """What the group's certificate shows, without writing anything. With ``reissue`` the count
    shown is the next one (for the preview; :func:`record_reissue` makes it so)."""
    ctx.require_signed_in()
    day = clock.today()
    with ctx.db.read() as session:
        group = _load(session, group_id)
        _check_printable(group, day)
        codes = _links(session, [group.id])[group.id]
        count = (group.certificate_reissue_count or 0) + (1 if reissue else 0)
        return _certificate(group, codes, _field_names(session), issued_on or day, count)


def record_reissue(ctx: ServiceContext, group_id: int, *, issued_on: dt.date | None = None) -> RegistrationCertificate:
    """A reissue (再交付): add one to the group's count, audited; returns the certificate to print."""
    user = ctx.require_signed_in()
    day = clock.today()
    with ctx.db.write() as session:
        group = lock_for_edit(session, Group, group_id, entity="group", missing=_("This group no longer exists. Reload the list."))
        _check_printable(group, day)
        before = group.certificate_reissue_count or 0
        group.certificate_reissue_count = before + 1
        audit.record(session, user, "group", group.id, "reissue_certificate", {"certificate_reissue_count": before}, {"certificate_reissue_count": before + 1})
        codes = _links(session, [group.id])[group.id]
        return _certificate(group, codes, _field_names(session), issued_on or day, before + 1)


def active_certificates(ctx: ServiceContext, *, issued_on: dt.date | None = None) -> list[RegistrationCertificate]:
    """The certificates of every registered group whose registration is in force (not paused,
    expired, withdrawn or pending), in order of registration number."""
    ctx.require_signed_in()
    day = clock.today()
    with ctx.db.read() as session:
        found = list(
            session.scalars(
                select(Group)
                .where(Group.status == REGISTERED, Group.registration_no.is_not(None), or_(Group.valid_until.is_(None), Group.valid_until >= day))
                .order_by(Group.registration_no)
            )
        )
        links = _links(session, [g.id for g in found])
        names = _field_names(session)
        return [_certificate(g, links[g.id], names, issued_on or day, g.certificate_reissue_count or 0) for g in found]


def split_printable(ctx: ServiceContext, certificates: list[RegistrationCertificate]) -> tuple[list[RegistrationCertificate], list[str]]:
    """(the certificates the bundled font can print, one message per certificate it cannot).

    A batch (every active group) prints the others and names the left-out groups, instead of one
    foreign character stopping all of them; the issuer's own text is checked as usual."""
    the_issuer = issuer(ctx)
    printable, refused = [], []
    for certificate in certificates:
        try:
            check_certificates([certificate], the_issuer, MINCHO)
        except MissingGlyphError as exc:
            refused.append(str(exc))
        else:
            printable.append(certificate)
    return printable, refused


def certificates_pdf(ctx: ServiceContext, certificates: list[RegistrationCertificate], *, size: str = "a4", progress: Progress | None = None,
                     skip_unreadable_images: bool = False, first_position: int = 1, english: bool = False) -> bytes:
    """The PDF of ``certificates`` with the issuer from 設定 (see
    :func:`center_app.print.registration.render_registration_certificates` for the errors);
    cards start at ``first_position`` 1–10 of the first sheet (ValidationError otherwise);
    ``english`` adds the English line under the Japanese title."""
    if size not in CERTIFICATE_SIZES:
        raise ValidationError(_("Choose A4 or card size."), field_name="size")
    if size == "card" and not 1 <= first_position <= 10:
        raise ValidationError(_("Choose a card position from 1 to 10."), field_name="first_position")
    return render_registration_certificates(certificates, issuer(ctx), size=size, progress=progress, skip_unreadable_images=skip_unreadable_images,
                                            first_position=first_position if size == "card" else 1, english=english)


def group_certificate_pdf(ctx: ServiceContext, group_id: int, *, size: str = "a4", reissue: bool = False, issued_on: dt.date | None = None, skip_unreadable_images: bool = False) -> bytes:
    """The PDF of one group's certificate; with ``reissue`` the count is raised first (audited).

    The glyphs and the seal are checked before the count changes, so a refused print does not
    count as a reissue."""
    preview = certificate_for_group(ctx, group_id, issued_on=issued_on, reissue=reissue)
    pdf = certificates_pdf(ctx, [preview], size=size, skip_unreadable_images=skip_unreadable_images)
    if not reissue:
        return pdf
    final = record_reissue(ctx, group_id, issued_on=issued_on)
    if final == preview:
        return pdf
    return certificates_pdf(ctx, [final], size=size, skip_unreadable_images=skip_unreadable_images)

