"""The imports of every module of ``center_app``, read from the source (module level and inside
functions alike; imports under ``if TYPE_CHECKING:`` are left out, since they never run)."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "center_app"


@dataclass(frozen=True)
class Imported:
    """One imported name: ``module`` is the module it comes from (``center_app.print.fonts``),
    ``name`` the name taken from it ("" for ``import module``), ``line`` where."""

    module: str
    name: str
    line: int


def module_name(path: Path) -> str:
    """``center_app/services/bookings.py`` → ``center_app.services.bookings``."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    """Every module of the package (migrations excluded: Alembic loads them by path)."""
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "migrations" not in p.parts}


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", getattr(node.test, "attr", "")) == "TYPE_CHECKING":
            for child in node.body:
                skipped.update(id(n) for n in ast.walk(child))
    return skipped


@cache
def imports_of(module: str) -> tuple[Imported, ...]:
    """What ``module`` imports, resolved to absolute module names (third-party ones included)."""
    path = modules()[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    skipped = _type_checking_nodes(tree)
    found: list[Imported] = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found += [Imported(alias.name, "", node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([node.module] if node.module else []))
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                if submodule in modules():  # ``from package import submodule``
                    found.append(Imported(submodule, "", node.lineno))
                else:
                    found.append(Imported(base, alias.name, node.lineno))
    return tuple(found)


def internal_edges() -> dict[str, set[str]]:
    """module → the modules of the package it imports."""
    known = modules()
    return {m: {i.module for i in imports_of(m) if i.module in known and i.module != m} for m in known}


def cycles() -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    edges = internal_edges()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def layer_of(module: str) -> str:
    """``center_app.services.bookings`` → ``services``; top-level modules are their own layer."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]
