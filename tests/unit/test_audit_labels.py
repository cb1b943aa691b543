"""操作履歴 names every entity and action the app records, in Japanese — never an internal code."""

from __future__ import annotations

import ast

import pytest

from center_app.i18n import set_language
from center_app.services import audit
from tests.unit.import_graph import modules


def _recorded() -> tuple[set[str], set[str]]:
    """The literal entity and action codes of every ``audit.record(session, user, ENTITY, ID, ACTION, …)``."""
    entities, actions = set(), set()
    for path in modules().values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "record" and getattr(node.func.value, "id", "") == "audit":
                args = node.args
                if len(args) > 2 and isinstance(args[2], ast.Constant):
                    entities.add(args[2].value)
                if len(args) > 4 and isinstance(args[4], ast.Constant):
                    actions.add(args[4].value)
    return entities, actions


def test_the_source_records_the_usual_actions():
    entities, actions = _recorded()
    assert {"booking", "group", "staff_user"} <= entities and {"create", "update", "cancel", "renew", "backup"} <= actions


@pytest.mark.parametrize("kind", ["entity", "action"])
def test_every_recorded_code_has_a_japanese_name(kind):
    entities, actions = _recorded()
    set_language("ja")
    label = audit.entity_label if kind == "entity" else audit.action_label
    codes = entities if kind == "entity" else actions
    unnamed = sorted(code for code in codes if label(code) == code or label(code).isascii())
    assert unnamed == []
