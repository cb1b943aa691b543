"""Layering (DESIGN.md §3): nothing below ui loads Qt; nothing but app.py imports ui."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "center_app"


@pytest.mark.parametrize("module", ["center_app.services", "center_app.db", "center_app.domain", "center_app.print", "center_app.export", "center_app.i18n", "center_app.cli"])
def test_layer_imports_without_qt(module):
    names = [module] + [
        f"{module}.{p.stem}" for p in (PACKAGE / module.split(".")[1]).glob("*.py") if p.stem != "__init__"
    ] if (PACKAGE / module.split(".")[1]).is_dir() else [module]
    code = "import sys\n" + "".join(f"import {n}\n" for n in names) + "print(sorted(m for m in sys.modules if m.startswith('PySide6')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", f"{module} loaded Qt: {out.stdout}"


def test_only_app_imports_ui():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE.parent).as_posix()
        if relative.startswith("center_app/ui/") or relative == "center_app/app.py":
            continue
        text = path.read_text(encoding="utf-8")
        if "center_app.ui" in text or "from center_app import ui" in text:
            offenders.append(relative)
    assert offenders == []


def test_screens_do_not_import_each_other():
    screens = PACKAGE / "ui" / "screens"
    packages = {p.name for p in screens.iterdir() if p.is_dir() and not p.name.startswith("__")}
    offenders = []
    for name in packages:
        for path in (screens / name).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            offenders += [f"{path.name} → {other}" for other in packages - {name} if f"center_app.ui.screens.{other}" in text]
    assert offenders == []
