"""Reading and writing the center-wide settings (table ``center_settings``) — the only code that
touches that table. What each setting is (type, default, checks, screen) is declared once in
:mod:`center_app.domain.center_settings`; a key not declared there is refused here
(:class:`UnknownSetting`), for reading and for writing.

- :func:`get` / :func:`get_many`: typed values inside a service's transaction (or, given a
  :class:`ServiceContext`, in a read transaction of their own).
- :func:`set` / :func:`set_many`: check, write and audit inside a service's write transaction
  (the caller has checked the role).
- :func:`seed`: the first values of a new database (no audit).
- :func:`values_for` / :func:`save`: what a settings screen shows and saves (administrators).

Writing locks the settings' rows first (``FOR UPDATE`` in key order; SQLite's write transaction
holds the database); a screen's save made from older versions of its settings is refused with
StaleEditError (:mod:`center_app.services.editing`). A setting never stored has version 0.

A stored value that fails its checks (written by hand or by an older version) never crashes a
service: a :data:`~center_app.domain.center_settings.FALL_BACK` setting gives its default and a
warning goes to the log; a :data:`~center_app.domain.center_settings.REFUSE` setting (a wrong
registration number would be printed for good, a wrong retention period would delete records)
raises :class:`ValidationError` naming the setting and the screen that corrects it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from center_app.db.models import CenterSetting
from center_app.domain import wareki
from center_app.domain.center_settings import (
    DATE_STYLE, FALL_BACK, LOTTERY_ENTRY_FIRST_DAY, LOTTERY_ENTRY_LAST_DAY, SETTINGS, Screen, SettingSpec, by_key,
)
from center_app.domain.errors import FieldProblem, ValidationError
from center_app.domain.roles import Role
from center_app.i18n import _
from center_app.services import audit
from center_app.services.context import CurrentUser, ServiceContext
from center_app.services.editing import stale_edit

log = logging.getLogger(__name__)

ENTITY = "center_setting"
_HIDDEN = "********"


class UnknownSetting(LookupError):
    """A key (or a :class:`SettingSpec`) that is not declared in
    :data:`center_app.domain.center_settings.SETTINGS`: a programming error, never a clerk's."""


def spec_for(setting: SettingSpec | str) -> SettingSpec:
    """The declared spec of ``setting`` (a spec or its key). Raises :class:`UnknownSetting` for a
    key that is not declared, or for a spec that is not the declared one of its key."""
    key = setting.key if isinstance(setting, SettingSpec) else setting
    spec = by_key(key) if isinstance(key, str) else None
    if spec is None or (isinstance(setting, SettingSpec) and setting is not spec):
        raise UnknownSetting(f"center setting {key!r} is not declared in center_app.domain.center_settings")
    return spec


@functools.cache
def _raw_statement(for_update: bool):
    """Built once and bound at each call (settings are read by most services and every report)."""
    query = select(CenterSetting.key, CenterSetting.value).where(CenterSetting.key.in_(bindparam("keys", expanding=True)))
    return query.order_by(CenterSetting.key).with_for_update() if for_update else query


def _raw(session: Session, specs: list[SettingSpec], *, for_update: bool = False) -> dict[str, Any]:
    """key → stored JSON value of the rows that exist (locked FOR UPDATE on PostgreSQL if asked)."""
    return dict(session.execute(_raw_statement(for_update), {"keys": [s.key for s in specs]}).all())


def _refusal(spec: SettingSpec, error: ValidationError) -> ValidationError:
    where = _(spec.screen.label) if spec.screen else _("Settings")
    message = _("The stored setting “{setting}” cannot be used: {problem} Correct it in {screen}.").format(
        setting=_(spec.label), problem=str(error), screen=where,
    )
    return ValidationError(message, field_name=spec.key)


def _typed(spec: SettingSpec, raw: Any) -> Any:
    """The typed value of a stored ``raw``: the default for an invalid value of a fall-back
    setting (logged), :class:`ValidationError` for one of a refusing setting."""
    try:
        return spec.stored(raw)
    except ValidationError as error:
        if spec.invalid == FALL_BACK:
            shown = _HIDDEN if spec.secret else repr(raw)
            default = _HIDDEN if spec.secret else repr(spec.default)
            log.warning("center setting %s holds an invalid value %s (%s); using the default %s", spec.key, shown, error, default)
            return spec.default
        raise _refusal(spec, error) from None


def get(target: Session | ServiceContext, setting: SettingSpec | str, *, for_update: bool = False) -> Any:
    """The typed value of ``setting`` (its default when the row is missing).

    ``target`` is the service's session, or a :class:`ServiceContext` of a signed-in user (a
    read transaction of its own; a secret setting is refused that way with UnknownSetting). ``for_update``
    locks the setting's row until the end of the transaction (PostgreSQL ``FOR UPDATE``; on
    SQLite the write transaction already holds the database), so two PCs that read and act on
    the value take turns. Raises :class:`UnknownSetting`, and :class:`ValidationError` for an
    invalid stored value of a refusing setting (see the module docstring)."""
    spec = spec_for(setting)
    return get_many(target, [spec], for_update=for_update)[spec.key]


def get_many(target: Session | ServiceContext, settings: Iterable[SettingSpec | str], *, for_update: bool = False) -> dict[str, Any]:
    """key → typed value of each of ``settings``, in one query (see :func:`get`)."""
    specs = [spec_for(s) for s in settings]
    if isinstance(target, ServiceContext):
        target.require_signed_in()
        if any(s.secret for s in specs):
            raise UnknownSetting("secret center settings are read inside a service only")
        with target.db.read() as session:
            return get_many(session, specs)
    raw = _raw(target, specs, for_update=for_update)
    return {s.key: _typed(s, raw.get(s.key)) for s in specs}


def set(session: Session, user: CurrentUser | None, setting: SettingSpec | str, value: Any, *, audit_id: str | None = None) -> Any:  # noqa: A001 - the accessor's verb
    """Check ``value`` and write it; returns the typed value. See :func:`set_many`."""
    spec = spec_for(setting)
    return set_many(session, user, {spec: value}, audit_id=audit_id)[spec.key]


def set_many(session: Session, user: CurrentUser | None, values: Mapping[SettingSpec | str, Any], *, audit_id: str | None = None,
             expected_versions: Mapping[str, int] | None = None) -> dict[str, Any]:
    """Check every value (typed or as typed in a form), then write them all in the caller's write
    transaction and record one audit entry (``center_setting``, ``audit_id`` or the key of a
    single setting; before/after of the settings that changed, secret ones hidden). The caller
    has checked the role. Returns key → typed value. Raises :class:`UnknownSetting`, or
    :class:`ValidationError` listing every value that is not allowed (nothing is written); an
    invalid value already stored does not stop a new one from being written. ``expected_versions``
    (key → :attr:`SettingValue.version` the screen showed) refuses, with StaleEditError, to
    overwrite a setting saved meanwhile."""
    specs = {spec_for(s).key: spec_for(s) for s in values}
    parsed: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    for setting, value in values.items():
        spec = spec_for(setting)
        try:
            parsed[spec.key] = spec.parse(value)
        except ValidationError as error:
            problems += error.problems
    if problems:
        raise ValidationError(problems)
    _check_lottery_days(session, parsed)
    rows = {
        row.key: row for row in session.scalars(
            select(CenterSetting).where(CenterSetting.key.in_(list(parsed))).order_by(CenterSetting.key).with_for_update()
            .execution_options(populate_existing=True)
        )
    }
    for key, expected in (expected_versions or {}).items():
        stored = rows[key].version if key in rows else 0
        if key in parsed and stored != expected:
            raise stale_edit(session, ENTITY, audit_id or key, stored)
    before: dict[str, Any] = {}
    for key, value in parsed.items():
        row = rows.get(key)
        if row is None:
            before[key] = specs[key].default
            session.add(CenterSetting(key=key, value=value))
        else:
            try:
                before[key] = specs[key].stored(row.value)
            except ValidationError:
                before[key] = row.value
            row.value = value
    old, new = audit.changes(before, parsed)
    if new:
        for key in new:
            if specs[key].secret:
                old[key] = new[key] = _HIDDEN
        entity_id = audit_id or (next(iter(parsed)) if len(parsed) == 1 else "settings")
        audit.record(session, user, ENTITY, entity_id, "update", old, new)
    session.flush()
    return parsed


def _check_lottery_days(session: Session, parsed: Mapping[str, Any]) -> None:
    """Refuse a last day of lottery entries before the first day (the one not being saved is read
    as stored). ValidationError on ``lottery_entry_last_day``."""
    keys = (LOTTERY_ENTRY_FIRST_DAY.key, LOTTERY_ENTRY_LAST_DAY.key)
    if not any(k in parsed for k in keys):
        return
    missing = [spec_for(k) for k in keys if k not in parsed]
    stored = get_many(session, missing) if missing else {}
    first = parsed.get(keys[0], stored.get(keys[0]))
    last = parsed.get(keys[1], stored.get(keys[1]))
    if last < first:
        raise ValidationError([FieldProblem(keys[1], _("The last day of lottery entries ({last}) is before the first day ({first}).").format(
            last=last, first=first))])


def seed(session: Session, values: Mapping[SettingSpec | str, Any]) -> None:
    """Write the first ``values`` of a new database (from the default configuration; checked
    like typed values, ValidationError otherwise). No audit: this is the database's first
    configuration, not a change. Settings left out read as their defaults."""
    for setting, value in values.items():
        spec = spec_for(setting)
        session.add(CenterSetting(key=spec.key, value=spec.parse(value)))


@dataclass(frozen=True)
class SettingValue:
    """One setting as a settings screen shows it: the spec, the typed value, and when the stored
    value is not allowed the stored value as ``value`` and the message as ``problem``."""

    spec: SettingSpec
    value: Any
    problem: str = ""
    version: int = 0


def on_screen(screen: Screen) -> tuple[SettingSpec, ...]:
    """The settings edited on ``screen``, in declaration order."""
    return tuple(s for s in SETTINGS if s.screen == screen)


def values_for(ctx: ServiceContext, screen: Screen) -> list[SettingValue]:
    """The settings edited on ``screen`` with their values (administrators). An invalid stored
    value is returned as it is, with the message saying what is wrong, so it can be corrected."""
    ctx.require(Role.ADMIN)
    specs = on_screen(screen)
    result = []
    with ctx.db.read() as session:
        raw = _raw(session, list(specs))
        versions = dict(session.execute(select(CenterSetting.key, CenterSetting.version).where(CenterSetting.key.in_([s.key for s in specs]))).all())
    for spec in specs:
        version = versions.get(spec.key, 0)
        try:
            result.append(SettingValue(spec, spec.stored(raw.get(spec.key)), version=version))
        except ValidationError as error:
            result.append(SettingValue(spec, raw.get(spec.key), str(error), version))
    return result


def save(ctx: ServiceContext, screen: Screen, values: Mapping[str, Any], *, expected_versions: Mapping[str, int] | None = None) -> dict[str, Any]:
    """Save what was typed on ``screen`` (administrators; key → text or value, keys of settings
    of that screen only). Every problem is reported at once and nothing is written then;
    the change is audited. Returns key → typed value. Raises :class:`UnknownSetting` for a key
    that is not declared or not edited on ``screen``; StaleEditError when ``expected_versions``
    (key → the version :func:`values_for` gave) shows a setting saved meanwhile."""
    user = ctx.require(Role.ADMIN)
    allowed = on_screen(screen)
    specs = {}
    for key in values:
        spec = spec_for(key)
        if spec not in allowed:
            raise UnknownSetting(f"center setting {key!r} is not edited on {screen.code}")
        specs[spec] = values[key]
    with ctx.db.write() as session:
        saved = set_many(session, user, specs, audit_id=screen.code if len(specs) > 1 else None, expected_versions=expected_versions)
    if DATE_STYLE.key in saved:  # written: every date shown from now on follows it
        wareki.set_date_style(saved[DATE_STYLE.key])
    return saved


def apply_date_style(target: Session | ServiceContext) -> str:
    """Show every date of this process in the center's date style (設定 → センター, stored
    ``date_style``); returns it. Called when a database is opened."""
    style = get(target, DATE_STYLE)
    wareki.set_date_style(style)
    return style
