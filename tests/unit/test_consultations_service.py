"""Consultation log services: the permission matrix, confidential records, audit of reads and
denials, validation, follow-ups, and the sign-in lockout that protects them."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from center_app.db.models import AuditEntry
from center_app.domain.errors import AuthenticationFailed, PermissionDenied, StaleEditError, ValidationError
from center_app.domain.roles import Role
from center_app.services import auth, consultations, consultations_export, consultations_io, consultations_queries, consultations_retention, staff
from center_app.services.consultations_values import DONE, ConsultationFilter, ConsultationInput
from center_app.services.context import ServiceContext
from center_app.services.group_values import GroupInput
from center_app.services.groups import register_group

pytestmark = pytest.mark.postgres

TODAY = dt.date(2026, 12, 5)


@pytest.fixture(autouse=True)
def _clock(clock):
    clock(dt.datetime.combine(TODAY, dt.time(10, 0)))


def _group(ctx):
    return register_group(ctx, GroupInput(
        name="ひまわり子ども食堂", name_kana="ヒマワリコドモショクドウ", legal_form="voluntary", activity_fields=(2,),
        representative_name="佐藤 一郎",
    ))


def _topics(ctx) -> dict[str, int]:
    return {t.name: t.id for t in consultations_queries.list_topics(ctx)}


def _input(ctx, **extra) -> ConsultationInput:
    values = dict(
        consulted_on=TODAY - dt.timedelta(days=3), start_time="14:00", duration_minutes="45", method="visit",
        client_type="individual", client_name="山田 太郎", client_kana="やまだ たろう", client_contact="090-1111-2222",
        topic_ids=(_topics(ctx)["設立"],), content="NPO法人の設立について相談。", response="手引きを渡した。",
        staff_user_id=ctx.user.id,
    )
    values.update(extra)
    return ConsultationInput(**values)


def _second_coordinator(admin_ctx) -> ServiceContext:
    staff.create_staff(admin_ctx, "coord2", "鈴木 次郎", Role.COORDINATOR, "staff-password-2", "staff-password-2")
    return ServiceContext(admin_ctx.db, auth.sign_in(admin_ctx.db, "coord2", "staff-password-2"))


def _audit(db, action: str | None = None) -> list[AuditEntry]:
    with db.read() as session:
        query = select(AuditEntry).where(AuditEntry.entity == "consultation").order_by(AuditEntry.id)
        if action:
            query = query.where(AuditEntry.action == action)
        return list(session.scalars(query))


# --- permission matrix -------------------------------------------------------------------------------

ACTIONS = {
    "list": lambda ctx, w: consultations_queries.search_consultations(ctx),
    "search": lambda ctx, w: consultations_queries.search_consultations(ctx, ConsultationFilter(text="山田")),
    "read": lambda ctx, w: consultations_queries.get_consultation(ctx, w["record"].id),
    "create": lambda ctx, w: consultations.create_consultation(ctx, _input(w["coordinator"], staff_user_id=w["coordinator"].user.id)),
    "update": lambda ctx, w: consultations.update_consultation(ctx, w["record"].id, w["record"].as_input()),
    "count_by_client": lambda ctx, w: consultations_queries.count_by_client(ctx),
    "count_for_group": lambda ctx, w: consultations_queries.count_for_group(ctx, w["group"].id),
    "follow_ups": lambda ctx, w: consultations_queries.follow_ups_due(ctx),
    "group_history": lambda ctx, w: consultations_queries.group_history(ctx, w["group"].id),
    "export": lambda ctx, w: consultations_export.export_consultations(ctx, w["tmp"] / "out.csv"),
    "edit_topics": lambda ctx, w: consultations.save_topic(ctx, None, f"新分野{ctx.user.login_name}", 500),
    "retention_list": lambda ctx, w: consultations_retention.expired_consultations(ctx),
    "retention_delete": lambda ctx, w: consultations_retention.purge_expired(ctx),
    "retention_settings": lambda ctx, w: consultations_retention.set_retention_years(ctx, 7),
}
COORDINATOR_MAY = {"list", "search", "read", "create", "update", "count_by_client", "count_for_group", "follow_ups", "group_history", "export"}
ALLOWED = {"counter": set(), "coordinator": COORDINATOR_MAY, "admin": set(ACTIONS)}


@pytest.fixture
def world(admin_ctx, coordinator_ctx, counter_ctx, tmp_path):
    group = _group(admin_ctx)
    record = consultations.create_consultation(coordinator_ctx, _input(coordinator_ctx, group_id=group.id))
    return {"admin": admin_ctx, "coordinator": coordinator_ctx, "counter": counter_ctx, "group": group, "record": record, "tmp": tmp_path}


@pytest.mark.parametrize("role", ["counter", "coordinator", "admin"])
def test_permission_matrix(world, role):
    ctx = world[role]
    for action, call in ACTIONS.items():
        denials_before = len(_audit(ctx.db, "denied"))
        if action in ALLOWED[role]:
            call(ctx, world)
            assert len(_audit(ctx.db, "denied")) == denials_before, f"{role} {action}"
        else:
            with pytest.raises(PermissionDenied) as refused:
                call(ctx, world)
            assert refused.value.exit_status == 3
            assert refused.value.required_role in ("coordinator", "admin")
            assert "山田" not in str(refused.value) and "設立" not in str(refused.value)  # names the role, not the content
            denial = _audit(ctx.db, "denied")[-1]
            assert (denial.staff_user_id, denial.action) == (ctx.user.id, "denied"), f"{role} {action}"
            assert len(_audit(ctx.db, "denied")) == denials_before + 1


def test_counter_staff_import_is_refused_and_audited(world, tmp_path):
    path = tmp_path / "in.csv"
    consultations_export.export_consultations(world["coordinator"], path)
    with pytest.raises(PermissionDenied):
        consultations_io.import_consultations(world["counter"], path)
    assert _audit(world["admin"].db, "denied")[-1].note == "import"


def test_signed_out_context_is_refused_and_audited(db):
    with pytest.raises(PermissionDenied):
        consultations_queries.search_consultations(ServiceContext(db, None))
    assert _audit(db, "denied")[-1].staff_user_id is None


# --- confidential records ------------------------------------------------------------------------------


def test_confidential_records_are_invisible_to_other_coordinators_everywhere(world, tmp_path):
    admin, owner = world["admin"], world["coordinator"]
    other = _second_coordinator(admin)
    group = world["group"]
    secret = consultations.create_consultation(owner, _input(
        owner, group_id=group.id, client_name="秘密 花子", content="DVの相談。極秘。", confidential=True,
        follow_up_needed=True, follow_up_due=TODAY,
    ))

    def ids(ctx, **filters):
        return {c.id for c in consultations_queries.search_consultations(ctx, ConsultationFilter(**filters)).items}

    assert secret.id in ids(owner) and secret.id in ids(admin)
    assert secret.id not in ids(other) and world["record"].id in ids(other)
    assert ids(other, text="秘密") == set() and ids(owner, text="ひみつ") == set() and ids(owner, text="秘密") == {secret.id}
    assert ids(other, text="極秘") == set()
    assert consultations_queries.search_consultations(other).total == 1
    assert [c.id for c in consultations_queries.follow_ups_due(other)] == []
    assert [c.id for c in consultations_queries.follow_ups_due(owner)] == [secret.id]
    assert secret.id not in [c.id for c in consultations_queries.group_history(other, group.id)]
    assert consultations_queries.count_for_group(other, group.id) == 1 and consultations_queries.count_for_group(admin, group.id) == 2
    assert all("秘密" not in c.label for c in consultations_queries.count_by_client(other))

    with pytest.raises(PermissionDenied) as refused:
        consultations_queries.get_consultation(other, secret.id)
    assert "秘密" not in str(refused.value) and "DV" not in str(refused.value)
    denial = _audit(admin.db, "denied")[-1]
    assert (denial.entity_id, denial.note, denial.staff_user_id) == (str(secret.id), "read", other.user.id)
    with pytest.raises(PermissionDenied):
        consultations.update_consultation(other, secret.id, secret.as_input())
    assert consultations_queries.get_consultation(admin, secret.id).content == "DVの相談。極秘。"

    for suffix in (".csv", ".xlsx"):
        theirs, mine = tmp_path / f"other{suffix}", tmp_path / f"owner{suffix}"
        assert consultations_export.export_consultations(other, theirs) == 1
        assert consultations_export.export_consultations(owner, mine) == 2
    text = (tmp_path / "other.csv").read_text(encoding="utf-8-sig")
    assert "秘密" not in text and "極秘" not in text and "山田 太郎" in text
    assert "極秘" in (tmp_path / "owner.csv").read_text(encoding="utf-8-sig")
    import zipfile

    with zipfile.ZipFile(tmp_path / "other.xlsx") as book:
        xml = "".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml"))
    assert "極秘" not in xml and "山田 太郎" in xml


# --- audit -------------------------------------------------------------------------------------------------


def test_reads_lists_and_exports_are_audited_without_personal_data(world, tmp_path):
    coordinator, record = world["coordinator"], world["record"]
    consultations_queries.get_consultation(coordinator, record.id)
    consultations_queries.search_consultations(coordinator, ConsultationFilter(text="山田", method="visit"))
    consultations_export.export_consultations(coordinator, tmp_path / "x.xlsx")
    reads = _audit(coordinator.db, "read")
    assert reads[-1].entity_id == str(record.id) and reads[-1].staff_user_id == coordinator.user.id
    listed = _audit(coordinator.db, "list")[-1]
    assert "method=visit" in listed.note and "rows=1" in listed.note and "山田" not in listed.note
    exported = _audit(coordinator.db, "export")[-1]
    assert "x.xlsx" in exported.note and "rows=1" in exported.note
    created = _audit(coordinator.db, "create")[-1]
    assert created.after["method"] == "visit" and created.after["content"] == "(changed)"
    everything = " ".join(f"{e.before} {e.after} {e.note}" for e in _audit(coordinator.db))
    assert "山田" not in everything and "設立について" not in everything and "090" not in everything


def test_update_audits_which_fields_changed(world):
    coordinator, record = world["coordinator"], world["record"]
    changed = dataclasses.replace(record.as_input(), method="phone", response="電話で補足した。")
    saved = consultations.update_consultation(coordinator, record.id, changed, expected_version=record.version)
    entry = _audit(coordinator.db, "update")[-1]
    assert entry.before == {"method": "visit", "response": "(changed)"}
    assert entry.after == {"method": "phone", "response": "(changed)"}
    with pytest.raises(StaleEditError):
        consultations.update_consultation(coordinator, record.id, changed, expected_version=record.version)
    assert saved.method == "phone"


# --- the form's rules --------------------------------------------------------------------------------------


def test_every_missing_field_is_named_at_once_and_nothing_is_written(coordinator_ctx):
    empty = ConsultationInput(consulted_on="", method="", client_type="", staff_user_id=None, follow_up_needed=True)
    with pytest.raises(ValidationError) as error:
        consultations.create_consultation(coordinator_ctx, empty)
    fields = {p.field for p in error.value.problems}
    assert fields == {"consulted_on", "method", "client_type", "client_name", "topic_ids", "content", "staff_user_id", "follow_up_due"}
    assert consultations_queries.search_consultations(coordinator_ctx).total == 0


def test_bad_values_are_explained(coordinator_ctx, counter_ctx):
    bad = _input(coordinator_ctx, consulted_on=TODAY + dt.timedelta(days=1), start_time="25:00", duration_minutes="0",
                 client_kana="Yamada", staff_user_id=counter_ctx.user.id)
    with pytest.raises(ValidationError) as error:
        consultations.create_consultation(coordinator_ctx, bad)
    assert {p.field for p in error.value.problems} == {"consulted_on", "start_time", "duration_minutes", "client_kana", "staff_user_id"}
    assert "未来" in " ".join(error.value.for_field("consulted_on"))


def test_completion_needs_the_follow_up_done_and_sets_the_completion_date(coordinator_ctx):
    pending = _input(coordinator_ctx, follow_up_needed=True, follow_up_due=TODAY, status=DONE)
    with pytest.raises(ValidationError) as error:
        consultations.create_consultation(coordinator_ctx, pending)
    assert error.value.for_field("status")
    done = consultations.create_consultation(coordinator_ctx, dataclasses.replace(pending, follow_up_done=True))
    assert done.status == DONE and done.completed_on == TODAY
    reopened = consultations.update_consultation(coordinator_ctx, done.id, dataclasses.replace(done.as_input(), status="open"))
    assert reopened.completed_on is None


def test_follow_ups_due_lists_open_ones_overdue_first(coordinator_ctx, admin_ctx):
    later = consultations.create_consultation(coordinator_ctx, _input(coordinator_ctx, follow_up_needed=True, follow_up_due=TODAY + dt.timedelta(days=3)))
    overdue = consultations.create_consultation(coordinator_ctx, _input(coordinator_ctx, follow_up_needed=True, follow_up_due=TODAY - dt.timedelta(days=2)))
    consultations.create_consultation(coordinator_ctx, _input(coordinator_ctx, follow_up_needed=True, follow_up_due=TODAY + dt.timedelta(days=30)))
    consultations.create_consultation(coordinator_ctx, _input(coordinator_ctx, follow_up_needed=True, follow_up_due=TODAY, follow_up_done=True))
    assert [c.id for c in consultations_queries.follow_ups_due(coordinator_ctx)] == [overdue.id, later.id]
    assert consultations_queries.follow_ups_due(admin_ctx, mine_only=True) == []


def test_filters_combine(world):
    coordinator, group = world["coordinator"], world["group"]
    topics = _topics(coordinator)
    phone = consultations.create_consultation(coordinator, _input(coordinator, method="phone", client_name="田中 三郎",
                                                                  topic_ids=(topics["会計・税務"],), consulted_on=TODAY - dt.timedelta(days=40)))

    def ids(**filters):
        return [c.id for c in consultations_queries.search_consultations(coordinator, ConsultationFilter(**filters)).items]

    assert ids(method="phone") == [phone.id]
    assert ids(topic_id=topics["会計・税務"]) == [phone.id]
    assert ids(group_id=group.id) == [world["record"].id]
    assert ids(start=TODAY - dt.timedelta(days=10), end=TODAY) == [world["record"].id]
    assert ids(text="ﾀﾅｶ") == [] and ids(text="田中") == [phone.id]
    assert ids(text="ひまわり") == [world["record"].id]  # the group's name
    assert ids(staff_user_id=coordinator.user.id, status="open") == [world["record"].id, phone.id]
    variant = consultations.create_consultation(coordinator, _input(coordinator, client_name="髙橋 キャンプ", client_kana="タカハシ キャンプ"))
    assert ids(text="高橋") == [variant.id] and ids(text="きやんぷ") == [variant.id]  # 異体字, small kana


def test_topics_are_an_editable_list(admin_ctx):
    added = consultations.save_topic(admin_ctx, None, " IT活用　", 105)
    assert added.name == "IT活用"  # a name is kept as typed, only trimmed
    assert [t.name for t in consultations_queries.list_topics(admin_ctx)][-2:] == ["その他", "IT活用"]
    consultations.save_topic(admin_ctx, added.id, "IT活用", 105, active=False)
    assert "IT活用" not in [t.name for t in consultations_queries.list_topics(admin_ctx)]
    assert "IT活用" in [t.name for t in consultations_queries.list_topics(admin_ctx, include_inactive=True)]
    with pytest.raises(ValidationError):
        consultations.save_topic(admin_ctx, None, "設立", 1)


# --- sign-in lockout ------------------------------------------------------------------------------------


def test_lockout_after_five_failures_and_unlock_after_fifteen_minutes(coordinator_ctx, clock):
    db = coordinator_ctx.db
    start = dt.datetime(2026, 6, 1, 10, 0, 0)
    clock(start)
    for _attempt in range(5):
        with pytest.raises(AuthenticationFailed):
            auth.sign_in(db, "coordinator", "wrong-password")
    clock(start + dt.timedelta(minutes=14, seconds=59))
    with pytest.raises(AuthenticationFailed, match="ロック"):
        auth.sign_in(db, "coordinator", "staff-password-1")
    clock(start + dt.timedelta(minutes=15, seconds=1))
    assert auth.sign_in(db, "coordinator", "staff-password-1").login_name == "coordinator"
    with db.read() as session:
        actions = [a for (a,) in session.execute(select(AuditEntry.action).where(AuditEntry.entity == "staff_user"))]
    assert actions.count("locked") == 1 and actions.count("sign_in_failed") >= 6
