"""Start-up check of the shipped files.

A damaged or missing file of the installation is named at start-up (by the GUI, --screenshot and
the CLI) instead of failing later with a traceback. The checks are cheap (no font is loaded):
fonts: present, and their table directory fits in the file (catches a cut-short copy);
catalogs: present for the UI languages, and every compiled catalog parses (the one the UI has
loaded already is not parsed again);
migrations: the folder, env.py, and a version chain whose files compile and whose every
down_revision is present; the seed file parses.

They come in two parts: what the first window needs (fonts and catalogs, ``storage=False``),
and what opening a database needs (migrations, the seed file, the bundle's list below,
``window=False``). The desktop app checks the first before its sign-in dialog and the second
on the background runner, before it opens the database, while the clerk types: compiling every
migration costs about 15 ms of CPU, and more with each migration added. In a PyInstaller build the spec also writes
``shipped-files.json`` (every data file of the bundle and its size: resources/, translations/,
the migrations, and the libraries' data such as Qt's translations or the postal database), so
any of them that is missing or of the wrong size is named as well.
"""

from __future__ import annotations

from pathlib import Path

from center_app import paths
from center_app.i18n import DOMAIN, UI_LANGUAGES, _, catalog

_FONT_TAGS = {b"\x00\x01\x00\x00", b"true", b"OTTO", b"ttcf"}


def _font_problem(path: Path) -> str | None:
    """None if the font file's table directory is intact, else a short reason key."""
    import struct

    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(12)
        if len(head) < 12 or head[:4] not in _FONT_TAGS:
            return "not-font"
        if head[:4] == b"ttcf":
            return None
        (count,) = struct.unpack(">H", head[4:6])
        directory = handle.read(16 * count)
    if count == 0 or len(directory) < 16 * count:
        return "short"
    for i in range(count):
        _tag, _checksum, offset, length = struct.unpack(">4sIII", directory[16 * i : 16 * i + 16])
        if offset + length > size:
            return "short"
    return None


def _catalog_problem(path: Path) -> bool:
    import gettext

    if path.name == f"{DOMAIN}.mo" and path.parent.name == "LC_MESSAGES":
        # the catalog of a language as i18n loads it (once a process): a damaged file leaves English ids
        return not isinstance(catalog(path.parent.parent.name), gettext.GNUTranslations)
    try:
        with path.open("rb") as handle:
            gettext.GNUTranslations(handle)
    except Exception:  # noqa: BLE001 - any failure to parse means the catalog is damaged
        return True
    return False


def _migration_problems(folder: Path) -> list[tuple[Path, str, dict]]:
    """(path, problem key, details) for the Alembic folder: presence, syntax, unbroken chain."""
    import ast

    if not folder.is_dir():
        return [(folder, "missing", {})]
    problems: list[tuple[Path, str, dict]] = []
    env = folder / "env.py"
    if not env.is_file():
        problems.append((env, "missing", {}))
    versions = folder / "versions"
    files = sorted(versions.glob("*.py")) if versions.is_dir() else []
    if not files:
        return problems + [(versions, "missing", {})]
    revisions: dict[str, Path] = {}
    needs: list[tuple[Path, str]] = []
    for path in ([env] if env.is_file() else []) + files:
        try:
            tree = ast.parse(path.read_bytes(), str(path))
        except (SyntaxError, ValueError, OSError) as exc:
            problems.append((path, "syntax", {"line": getattr(exc, "lineno", None) or 0}))
            continue
        if path == env:
            continue
        for node in tree.body:
            target = node.target if isinstance(node, ast.AnnAssign) else (node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else None)
            if not isinstance(target, ast.Name) or node.value is None:
                continue
            try:
                value = ast.literal_eval(node.value)
            except ValueError:
                continue
            if target.id == "revision" and isinstance(value, str):
                revisions[value] = path
            elif target.id == "down_revision" and value:
                needs += [(path, rev) for rev in ((value,) if isinstance(value, str) else value)]
    for path, revision in needs:
        if revision not in revisions:
            problems.append((path, "chain", {"revision": revision}))
    return problems


def shipped_file_problems(*, window: bool = True, storage: bool = True) -> list[tuple[Path, str, dict]]:
    """Every problem with the shipped files as (path, key, details); key is one of
    'missing', 'short', 'not-font', 'not-catalog', 'syntax', 'chain', 'size', 'not-data'.
    ``window``: the files of the first window (fonts, catalogs); ``storage``: those of opening a
    database (migrations, the seed file) and the bundle's list of its files."""
    problems: list[tuple[Path, str, dict]] = []
    if window:
        problems += _window_file_problems()
    if storage:
        problems += _storage_file_problems(problems)
    return problems


def _window_file_problems() -> list[tuple[Path, str, dict]]:
    """The fonts and the compiled catalogs."""
    problems: list[tuple[Path, str, dict]] = []
    for name in paths.REQUIRED_FONT_FILES:
        path = paths.fonts_dir() / name
        if not path.is_file():
            problems.append((path, "missing", {}))
        else:
            reason = _font_problem(path)
            if reason:
                problems.append((path, reason, {}))
    for language in UI_LANGUAGES:
        if language == "en":
            continue  # English is the message ids themselves
        path = paths.translations_dir() / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
        if not path.is_file():
            problems.append((path, "missing", {}))
    if paths.translations_dir().is_dir():
        for path in sorted(paths.translations_dir().rglob("*.mo")):
            if _catalog_problem(path):
                problems.append((path, "not-catalog", {}))
    return problems


def _storage_file_problems(found: list[tuple[Path, str, dict]]) -> list[tuple[Path, str, dict]]:
    """The migrations, the seed file, then the bundle's list (a file already in ``found`` or in
    these problems is named once)."""
    import json

    problems = _migration_problems(paths.migrations_dir())
    seed = paths.seed_dir() / "default_center.json"
    if not seed.is_file():
        problems.append((seed, "missing", {}))
    else:
        try:
            json.loads(seed.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            problems.append((seed, "not-data", {}))
    manifest = paths.manifest_path()
    if manifest.is_file():
        named = {path for path, _key, _details in found + problems}
        for relative, size in json.loads(manifest.read_text(encoding="utf-8")).items():
            path = paths.install_root() / relative
            if path in named or any(parent in named for parent in path.parents):
                continue
            if not path.is_file():
                problems.append((path, "missing", {}))
            elif path.stat().st_size != size:
                problems.append((path, "size", {"size": path.stat().st_size, "expected": size}))
    return problems


def missing_shipped_files(*, window: bool = True, storage: bool = True) -> list[str]:
    """One line per missing or damaged shipped file, naming it (empty when all is well); the
    parts as in :func:`shipped_file_problems`."""
    texts = {
        "missing": _("{path}: missing"),
        "short": _("{path}: damaged (the file is cut short)"),
        "not-font": _("{path}: damaged (not a font file)"),
        "not-catalog": _("{path}: damaged (not a compiled message catalog)"),
        "syntax": _("{path}: damaged (unreadable at line {line})"),
        "chain": _("{path}: the migration {revision} it builds on is missing"),
        "size": _("{path}: damaged ({size} bytes instead of {expected})"),
        "not-data": _("{path}: damaged (unreadable data)"),
    }
    return [texts[key].format(path=path, **details) for path, key, details in shipped_file_problems(window=window, storage=storage)]
