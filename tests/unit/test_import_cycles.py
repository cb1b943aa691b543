"""No import cycles among the modules of ``center_app`` (docs/architecture.md, "Layers").

A cycle hidden behind a function-level import, or a registry filled at import time, makes a
module work only when something else was imported first. Two checks: the import graph read from
the source has no cycle, and every module imports on its own, with no other module of the
package loaded before it (tests/unit/import_alone.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.import_graph import cycles, imports_of, internal_edges, modules


def test_the_import_graph_has_no_cycle():
    found = cycles()
    edges = internal_edges()
    described = [" ↔ ".join(c) + ": " + "; ".join(f"{m} → {sorted(set(c) & edges[m])}" for m in c) for c in found]
    assert found == [], "\n".join(described)


def test_the_graph_reader_sees_imports_inside_functions():
    """The reader must see lazy imports too, or a hidden cycle would pass the test above."""
    lazy = {i.module for i in imports_of("center_app.app")}
    assert "center_app.ui.application" in lazy and "center_app.cli" in lazy


def _third_party() -> list[str]:
    names = {i.module for m in modules() for i in imports_of(m)}
    return sorted(n for n in names if not n.startswith("center_app") and n not in sys.stdlib_module_names and n.split(".")[0] not in sys.stdlib_module_names)


def _run(names: list[str]) -> subprocess.CompletedProcess:
    script = Path(__file__).with_name("import_alone.py")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, str(script), *_third_party(), "--", *names], capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks a child per module")
def test_every_module_imports_on_its_own():
    names = [m for m in modules() if not m.endswith("__main__")]  # __main__ starts the app
    assert len(names) > 100
    done = _run(names)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks a child per module")
def test_a_module_that_needs_another_imported_first_is_caught(tmp_path, monkeypatch):
    """The check itself can fail: a package whose modules import each other at load time."""
    package = tmp_path / "cyclic_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from cyclic_pkg.b import B\nA = 1\n")
    (package / "b.py").write_text("from cyclic_pkg.a import A\nB = 2\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    done = _run(["cyclic_pkg.a"])
    assert done.returncode == 1 and "cyclic_pkg.a" in done.stdout and "ImportError" in done.stdout
