"""The migrations this version of the app knows: the Alembic configuration inside the package,
its head revision (read from the migration files' text without importing Alembic where it can,
for a fast start) and every known revision id (a file of a newer schema is refused)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from center_app import paths

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported only where it is used: importing it takes 0.2–0.3 s, and opening a
# database that is already at the head needs only the head's id, read from the migration files
# by :func:`_written_head` (measured by tests/bench, cold start).


def alembic_config() -> Config:
    """An Alembic configuration pointing at the migrations inside the package."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(paths.migrations_dir()))
    return config


def head_revision() -> str:
    """The newest migration this version of the app knows."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


@functools.cache
def schema_head() -> str:
    """The head revision: from the migration files' text where it can, else from Alembic."""
    return _written_head() or head_revision()


def known_revisions() -> set[str]:
    """Every migration revision id this version of the app knows."""
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


@functools.cache
def _written_head() -> str | None:
    """The head revision read from the text of the migration files, without importing Alembic.

    None — the caller then asks Alembic — unless every file in ``versions/`` assigns a literal
    ``revision`` and ``down_revision`` at module level and they form exactly one head."""
    import ast

    versions = paths.migrations_dir() / "versions"
    files = sorted(versions.glob("*.py")) if versions.is_dir() else []
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in files:
        try:
            tree = ast.parse(path.read_bytes(), str(path))
        except (SyntaxError, ValueError, OSError):
            return None
        found = {}
        for node in tree.body:
            target = node.target if isinstance(node, ast.AnnAssign) else (node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else None)
            if isinstance(target, ast.Name) and target.id in ("revision", "down_revision") and node.value is not None:
                try:
                    found[target.id] = ast.literal_eval(node.value)
                except ValueError:
                    return None
        revision, down = found.get("revision"), found.get("down_revision", ...)
        if not isinstance(revision, str) or down is ...:
            return None
        revisions.add(revision)
        parents.update((down,) if isinstance(down, str) else tuple(down or ()))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None
