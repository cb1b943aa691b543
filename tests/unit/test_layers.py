"""Layering (docs/architecture.md, "Layers"): each layer imports only the layers below it.

``ui`` → ``services`` → ``db`` / ``domain``; ``print`` and ``export`` → ``domain``, ``i18n``;
services call print and export only to render (functions, never their value types); only
``app.py`` imports ``ui``; only ``ui`` imports Qt (the per-PC settings over QSettings included);
screen packages don't import each other. Read from the source, lazy imports included."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys

from tests.unit.import_graph import PACKAGE, imports_of, layer_of, modules

#: The layers of the package each layer may import (besides itself). ``commands`` and ``cli``
#: are the headless front end, beside ``ui``; ``app`` starts either.
ALLOWED = {
    "domain": {"domain", "i18n"},
    "i18n": {"i18n", "paths"},
    "paths": {"paths"},
    "installation": {"installation", "paths", "i18n"},
    "db": {"db", "domain", "i18n", "paths"},
    "print": {"print", "domain", "i18n", "paths"},
    "export": {"export", "print", "domain", "i18n"},
    "services": {"services", "db", "domain", "print", "export", "i18n", "paths"},
    "commands": {"commands", "services", "db", "domain", "export", "i18n", "paths", "installation"},
    "cli": {"cli", "commands", "services", "db", "domain", "installation", "paths", "i18n"},
    "ui": {"ui", "services", "db", "domain", "print", "export", "i18n", "paths", "installation"},
    "app": {"app", "ui", "cli", "db", "domain", "i18n", "paths"},
}


def _offences(rule) -> list[str]:
    found = []
    for module in modules():
        for imported in imports_of(module):
            if rule(module, imported):
                found.append(f"{module}:{imported.line} imports {imported.module}{'.' + imported.name if imported.name else ''}")
    return found


def test_every_layer_is_known():
    assert {layer_of(m) for m in modules() if m != "center_app"} - {"__main__", "__init__"} <= set(ALLOWED)


def test_each_layer_imports_only_the_layers_below_it():
    def wrong(module: str, imported) -> bool:
        if not imported.module.startswith("center_app.") or module in ("center_app", "center_app.__main__"):
            return False
        return layer_of(imported.module) not in ALLOWED[layer_of(module)]
    assert _offences(wrong) == []


def test_print_and_export_never_import_services():
    def wrong(module: str, imported) -> bool:
        return layer_of(module) in ("print", "export") and layer_of(imported.module) == "services"
    assert _offences(wrong) == []


def test_services_take_only_renderers_from_print_never_its_types():
    """Value types of documents live in domain; services import print's functions only."""
    problems = []
    for module in modules():
        if layer_of(module) != "services":
            continue
        for imported in imports_of(module):
            if imported.module.startswith("center_app.print") and imported.name:
                value = getattr(importlib.import_module(imported.module), imported.name)
                if inspect.isclass(value):
                    problems.append(f"{module}:{imported.line} imports the class {imported.module}.{imported.name}")
    assert problems == []


def test_only_ui_imports_qt():
    def wrong(module: str, imported) -> bool:
        return imported.module.split(".")[0] == "PySide6" and layer_of(module) != "ui"
    assert _offences(wrong) == []


def test_domain_uses_the_standard_library_only():
    def wrong(module: str, imported) -> bool:
        top = imported.module.split(".")[0]
        return layer_of(module) == "domain" and top != "center_app" and top not in sys.stdlib_module_names and top not in ("jpholiday", "jaconv", "phonenumbers")
    assert _offences(wrong) == []


def test_nothing_outside_ui_loads_qt_when_imported():
    """The same, at run time: importing every module outside ui loads no PySide6."""
    names = [m for m in modules() if layer_of(m) not in ("ui", "app", "__main__") and m != "center_app.__main__"]
    code = "import sys\n" + "".join(f"import {n}\n" for n in names) + "print(sorted(m for m in sys.modules if m.startswith('PySide6')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_screens_do_not_import_each_other():
    screens = PACKAGE / "ui" / "screens"
    packages = {p.name for p in screens.iterdir() if p.is_dir() and not p.name.startswith("__")}
    def wrong(module: str, imported) -> bool:
        parts, other = module.split("."), imported.module.split(".")
        return (len(parts) > 3 and parts[1:3] == ["ui", "screens"] and parts[3] in packages
                and len(other) > 3 and other[1:3] == ["ui", "screens"] and other[3] in packages and other[3] != parts[3])
    assert _offences(wrong) == []
