"""印刷室: the job log (利用簿) of the printing room, its prices, quotas and billing (docs/equipment.md).

Each job records one registered group's use of one machine on one day: masters (製版), sheets,
colour, paper brought or sold. Prices, the machines, the yearly quotas and the billing period are
center settings (設定 → 印刷室; defaults: 長久手 ¥30 a master and ¥1 a sheet, 泉区 ¥10 a colour
sheet, 国分寺 150 masters and 250 copies per group and fiscal year).

Quotas count per group and fiscal year (April–March): masters on every machine, and copies —
the sheets of jobs without masters (a copier's or a printer's). A job that would pass a quota is
refused; a job that brings the group to the warning share of a quota (80 %) is saved with a
warning the screen and the command show.

Billing (:data:`~center_app.domain.center_settings.PRINT_BILLING`): at each visit, the job's fee
is charged at once; monthly or half-yearly, jobs wait unbilled until :func:`bill_period` charges
one amount per group for the period, paid through the money ledger like every charge
(:mod:`center_app.services.counter_charges`).

Concurrency: logging a job locks the group's row before counting its year, so two PCs logging
the last masters of a quota take turns. Who: counter staff and administrators.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from center_app.db.equipment import PrintJob
from center_app.db.groups import Group
from center_app.db.models import Facility
from center_app.domain import center_settings as cs
from center_app.domain import clock
from center_app.domain.equipment import Billing, ChargeKind, PaperSource, PrintJobView, PrintPrices, QuotaUse, billing_period, print_job_fee
from center_app.domain.errors import RuleCode, RuleError, ValidationError
from center_app.domain.fiscal import fiscal_year_label, fiscal_year_of, fiscal_year_range
from center_app.domain.money import CASH_ROLES
from center_app.domain.normalize import clean_text
from center_app.domain.wareki import format_wareki
from center_app.i18n import _
from center_app.services import audit, counter_charges
from center_app.services import center_settings as settings
from center_app.services.context import ServiceContext
from center_app.services.editing import lock_rows

ENTITY = "print_job"
MAX_COUNT = 100_000


def machines(target) -> list[str]:
    """The machines of the printing room, as 設定 → 印刷室 lists them."""
    text = settings.get(target, cs.PRINT_MACHINES)
    return [line.strip() for line in str(text).splitlines() if line.strip()]


def prices(target) -> PrintPrices:
    """The printing room's prices (yen) from 設定."""
    values = settings.get_many(target, (cs.PRINT_PRICE_MASTER, cs.PRINT_PRICE_SHEET, cs.PRINT_PRICE_COLOUR, cs.PRINT_PRICE_PAPER))
    return PrintPrices(values[cs.PRINT_PRICE_MASTER.key], values[cs.PRINT_PRICE_SHEET.key], values[cs.PRINT_PRICE_COLOUR.key],
                       values[cs.PRINT_PRICE_PAPER.key])


def _use(session: Session, group_id: int, fiscal_year: int) -> tuple[int, int]:
    """A group's masters (every machine) and copies (sheets of jobs without masters) of ``fiscal_year``."""
    first, last = fiscal_year_range(fiscal_year)
    in_year = (PrintJob.group_id == group_id, PrintJob.used_on >= first, PrintJob.used_on <= last)
    masters = session.scalar(select(func.coalesce(func.sum(PrintJob.masters), 0)).where(*in_year))
    copies = session.scalar(select(func.coalesce(func.sum(PrintJob.sheets), 0)).where(*in_year, PrintJob.masters == 0))
    return int(masters or 0), int(copies or 0)


def quota_use(ctx: ServiceContext, group_id: int, day: dt.date | None = None) -> QuotaUse:
    """A group's masters and copies of the fiscal year of ``day`` (default today) against the quotas."""
    ctx.require(*CASH_ROLES)
    fiscal_year = fiscal_year_of(day or clock.today())
    with ctx.db.read() as session:
        masters, copies = _use(session, group_id, fiscal_year)
        quotas = settings.get_many(session, (cs.PRINT_QUOTA_MASTERS, cs.PRINT_QUOTA_COPIES))
        return QuotaUse(fiscal_year, masters, copies, quotas[cs.PRINT_QUOTA_MASTERS.key], quotas[cs.PRINT_QUOTA_COPIES.key])


def _count(value, field: str, label: str) -> int:
    if isinstance(value, bool):
        raise ValidationError(_("{field}: enter a whole number.").format(field=label), field_name=field)
    if isinstance(value, int):
        number = value
    else:
        import unicodedata

        text = unicodedata.normalize("NFKC", str(value or "0")).strip().replace(",", "")
        if not text.isdigit():
            raise ValidationError(_("{field}: enter a whole number.").format(field=label), field_name=field)
        number = int(text)
    if number < 0 or number > MAX_COUNT:
        raise ValidationError(_("{field}: enter a number from {low} to {high}.").format(field=label, low=0, high=MAX_COUNT), field_name=field)
    return number


def _job_view(job: PrintJob, group_name: str, warnings: Sequence[str] = ()) -> PrintJobView:
    return PrintJobView(job.id, job.facility_id, job.group_id, group_name, job.used_on, job.machine, job.masters, job.sheets, job.colour,
                        job.paper, job.fee_yen, job.charge_id is not None, tuple(warnings))


def log_job(ctx: ServiceContext, *, facility_id: int, group_id: int, machine: str, masters: int | str = 0, sheets: int | str = 0,
            colour: bool = False, paper: str = PaperSource.BROUGHT.value, used_on: dt.date | None = None, note: str = "") -> PrintJobView:
    """Write one job in the 利用簿 of the printing room (default today) and, when billing is at
    each visit, its charge. Returns the job with its fee and any quota warnings.

    Refused, writing nothing: an unknown group or facility, a machine not in 設定, numbers that
    are not whole or out of range, a job of no sheets and no masters, an unknown paper, a future
    day (ValidationError); a group not registered, a quota of the fiscal year passed — the
    message names the quota, what was used and what is left (RuleError)."""
    user = ctx.require(*CASH_ROLES)
    day = used_on or clock.today()
    if day > clock.today():
        raise ValidationError(_("A job cannot be logged for a future day."), field_name="used_on")
    n_masters = _count(masters, "masters", _("Masters"))
    n_sheets = _count(sheets, "sheets", _("Sheets"))
    if n_masters == 0 and n_sheets == 0:
        raise ValidationError(_("Enter the masters or the sheets printed."), field_name="sheets")
    if paper not in {p.value for p in PaperSource}:
        raise ValidationError(_("Choose paper brought or paper sold."), field_name="paper")
    text = clean_text(note or "")[:500]
    with ctx.db.write() as session:
        if session.get(Facility, facility_id) is None:
            raise ValidationError(_("Unknown facility."), field_name="facility")
        lock_rows(session, Group, [group_id])
        group = session.get(Group, group_id)
        if group is None:
            raise ValidationError(_("There is no group {group}.").format(group=group_id), field_name="group")
        if group.status != "registered":
            raise RuleError(_("{group} is not a registered group now; the printing room is for registered groups.").format(group=group.name),
                            RuleCode.REGISTRATION, group.status)
        names = machines(session)
        chosen = clean_text(machine or "")
        if chosen not in names:
            raise ValidationError(_("Choose a machine: {machines}.").format(machines="、".join(names)), field_name="machine")
        values = settings.get_many(session, (cs.PRINT_QUOTA_MASTERS, cs.PRINT_QUOTA_COPIES, cs.PRINT_QUOTA_WARNING, cs.PRINT_BILLING))
        fiscal_year = fiscal_year_of(day)
        used_masters, used_copies = _use(session, group.id, fiscal_year)
        copies = n_sheets if n_masters == 0 else 0
        year = fiscal_year_label(fiscal_year)
        checks = ((_("masters"), used_masters, n_masters, values[cs.PRINT_QUOTA_MASTERS.key]),
                  (_("copies"), used_copies, copies, values[cs.PRINT_QUOTA_COPIES.key]))
        problems, warnings = [], []
        for label, used, adding, quota in checks:
            if quota <= 0 or adding == 0:
                continue
            if used + adding > quota:
                problems.append(_("{group} would pass its {what} quota of {year}: {quota} a year, {used} used, {left} left, {adding} asked.").format(
                    group=group.name, what=label, year=year, quota=quota, used=used, left=max(quota - used, 0), adding=adding))
            elif (used + adding) * 100 >= quota * values[cs.PRINT_QUOTA_WARNING.key]:
                warnings.append(_("{group} has used {total} of its {quota} {what} of {year}; {left} left.").format(
                    group=group.name, total=used + adding, quota=quota, what=label, year=year, left=quota - used - adding))
        if problems:
            raise RuleError(" ".join(problems), RuleCode.QUOTA, problems)
        fee = print_job_fee(prices(session), masters=n_masters, sheets=n_sheets, colour=colour, paper=paper)
        job = PrintJob(facility_id=facility_id, group_id=group.id, used_on=day, machine=chosen, masters=n_masters, sheets=n_sheets,
                       colour=bool(colour), paper=paper, fee_yen=fee, note=text, created_at=clock.now(), created_by=user.display_name)
        session.add(job)
        session.flush()
        if values[cs.PRINT_BILLING.key] == Billing.VISIT:
            charge = counter_charges.add_charge(session, user, facility_id=facility_id, group_id=group.id, payer_name=group.name,
                                                kind=ChargeKind.PRINTING.value, description=_describe_job(job), amount=fee, day=clock.today())
            job.charge_id = charge.id if charge else None
            session.flush()
        audit.record(session, user, ENTITY, job.id, "create", None, {
            "group": group.name, "machine": chosen, "masters": n_masters, "sheets": n_sheets, "colour": bool(colour), "paper": paper,
            "fee_yen": fee, "used_on": day,
        })
        return _job_view(job, group.name, warnings)


def _describe_job(job: PrintJob) -> str:
    colour = _("colour") if job.colour else _("mono")
    return _("Printing {day} {machine} ({colour}): {masters} masters, {sheets} sheets").format(
        day=f"{job.used_on:%Y-%m-%d}", machine=job.machine, colour=colour, masters=job.masters, sheets=job.sheets)


def jobs(ctx: ServiceContext, *, facility_id: int | None = None, group_id: int | None = None, first: dt.date | None = None,
         last: dt.date | None = None, limit: int = 500) -> list[PrintJobView]:
    """The 利用簿, newest first, filtered by facility, group and days (counter staff and administrators)."""
    ctx.require(*CASH_ROLES)
    with ctx.db.read() as session:
        query = select(PrintJob, Group.name).join(Group, Group.id == PrintJob.group_id)
        if facility_id is not None:
            query = query.where(PrintJob.facility_id == facility_id)
        if group_id is not None:
            query = query.where(PrintJob.group_id == group_id)
        if first is not None:
            query = query.where(PrintJob.used_on >= first)
        if last is not None:
            query = query.where(PrintJob.used_on <= last)
        rows = session.execute(query.order_by(PrintJob.used_on.desc(), PrintJob.id.desc()).limit(limit)).all()
        return [_job_view(job, name) for job, name in rows]


def bill_period(ctx: ServiceContext, facility_id: int, day: dt.date | None = None) -> list[int]:
    """Charge the unbilled jobs of the billing period that ended before ``day`` (default today)
    and of every earlier period: one charge per group and period, paid through the ledger.
    Returns the new charges' ids (none when nothing is unbilled). At each-visit billing this
    charges only jobs logged before the setting changed."""
    user = ctx.require(*CASH_ROLES)
    today = day or clock.today()
    with ctx.db.write() as session:
        billing = settings.get(session, cs.PRINT_BILLING)
        current_first, _current_last = billing_period(today, billing)
        rows = session.execute(
            select(PrintJob, Group.name).join(Group, Group.id == PrintJob.group_id)
            .where(PrintJob.facility_id == facility_id, PrintJob.charge_id.is_(None), PrintJob.fee_yen > 0,
                   PrintJob.used_on < (current_first if billing != Billing.VISIT else today + dt.timedelta(days=1)))
            .order_by(PrintJob.group_id, PrintJob.used_on, PrintJob.id).with_for_update(of=PrintJob)
        ).all()
        batches: dict[tuple[int, dt.date, dt.date], list[tuple[PrintJob, str]]] = defaultdict(list)
        for job, name in rows:
            first, last = billing_period(job.used_on, billing)
            batches[(job.group_id, first, last)].append((job, name))
        created = []
        for (group_id, first, last), batch in sorted(batches.items()):
            total = sum(job.fee_yen for job, _name in batch)
            period = f"{format_wareki(first)}〜{format_wareki(last)}"
            charge = counter_charges.add_charge(
                session, user, facility_id=facility_id, group_id=group_id, payer_name=batch[0][1], kind=ChargeKind.PRINTING.value,
                description=_("Printing {period}: {count} jobs").format(period=period, count=len(batch)), amount=total, day=today)
            for job, _name in batch:
                job.charge_id = charge.id
            created.append(charge.id)
        session.flush()
        return created


@functools.cache
def _printing_counts_statement(filtered: bool):
    """Built once per shape and bound at each call (a report runs it every time it is made)."""
    query = (select(Group.name, PrintJob.machine, func.count(PrintJob.id), func.sum(PrintJob.masters), func.sum(PrintJob.sheets),
                    func.sum(PrintJob.fee_yen))
             .join(Group, Group.id == PrintJob.group_id)
             .where(PrintJob.used_on >= bindparam("first"), PrintJob.used_on <= bindparam("last"))
             .group_by(Group.name, PrintJob.machine).order_by(Group.name, PrintJob.machine))
    return query.where(PrintJob.facility_id == bindparam("facility_id")) if filtered else query


def printing_counts(session: Session, first: dt.date, last: dt.date, facility_id: int | None = None) -> list[tuple[str, str, int, int, int, int]]:
    """Printing of ``first`` … ``last`` (inclusive) by group and machine: (group, machine, jobs,
    masters, sheets, fees in yen), by group name then machine — the reports' 印刷室 table."""
    rows = session.connection().execute(_printing_counts_statement(facility_id is not None), {"first": first, "last": last, "facility_id": facility_id})
    return [(name, machine, int(n), int(m or 0), int(s or 0), int(f or 0)) for name, machine, n, m, s, f in rows]
