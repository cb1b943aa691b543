"""The start-up check of the shipped files names each missing or damaged file (installation.missing_shipped_files).

Each test builds a complete copy of what the app ships in a temporary folder (fonts linked, a small
compiled catalog, the real migrations copied), points center_app.paths at it, then breaks one file.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from center_app import app, i18n, installation, paths

REAL_FONTS = paths.fonts_dir()
REAL_MIGRATIONS = paths.migrations_dir()


@pytest.fixture
def shipped(tmp_path, monkeypatch):
    """A complete shipped tree in ``tmp_path/root`` that center_app.paths looks at."""
    root = tmp_path / "root"
    fonts = root / "resources" / "fonts"
    fonts.mkdir(parents=True)
    for name in paths.REQUIRED_FONT_FILES:
        (fonts / name).symlink_to(REAL_FONTS / name)
    seed = root / "resources" / "seed"
    seed.mkdir()
    (seed / "default_center.json").write_text('{"facilities": []}', encoding="utf-8")
    mo = root / "translations" / "ja" / "LC_MESSAGES" / "center_app.mo"
    mo.parent.mkdir(parents=True)
    catalog = Catalog(locale="ja")
    catalog.add("Center Desk", "センターデスク")
    with mo.open("wb") as handle:
        write_mo(handle, catalog)
    migrations = root / "center_app" / "db" / "migrations"
    shutil.copytree(REAL_MIGRATIONS, migrations, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(paths, "install_root", lambda: root)
    monkeypatch.setattr(paths, "migrations_dir", lambda: migrations)
    monkeypatch.setattr(i18n, "_catalogs", {})
    return root


def _named(path: Path) -> list[str]:
    return [line for line in installation.missing_shipped_files() if str(path) in line]


def test_a_complete_installation_has_no_problem(shipped):
    assert installation.missing_shipped_files() == []


def test_the_source_tree_is_complete():
    assert installation.missing_shipped_files() == []


@pytest.mark.parametrize(
    "relative",
    [
        "translations/ja/LC_MESSAGES/center_app.mo",
        "resources/fonts/ipaexg.ttf",
        "resources/fonts/ipaexm.ttf",
        "resources/seed/default_center.json",
        "center_app/db/migrations",
        "center_app/db/migrations/env.py",
    ],
)
def test_a_missing_file_is_named(shipped, relative):
    target = shipped / relative
    if target.is_dir():
        shutil.rmtree(target)
    else:
        target.unlink()
    lines = installation.missing_shipped_files()
    assert len(lines) == 1, lines
    assert str(target) in lines[0]


def test_a_missing_migration_in_the_middle_of_the_chain_is_named(shipped):
    versions = sorted((shipped / "center_app/db/migrations/versions").glob("*.py"))
    if len(versions) < 2:
        pytest.skip("needs two migrations")
    versions[0].unlink()
    lines = installation.missing_shipped_files()
    assert len(lines) == 1
    assert str(versions[1]) in lines[0]
    revision = versions[0].name.split("_")[0]
    assert revision in lines[0]


def test_a_font_cut_short_is_named(shipped):
    font = shipped / "resources/fonts/ipaexg.ttf"
    data = (REAL_FONTS / "ipaexg.ttf").read_bytes()[:65536]
    font.unlink()
    font.write_bytes(data)
    assert _named(font) and "ipaexm.ttf" not in "".join(installation.missing_shipped_files())


def test_a_file_that_is_not_a_font_is_named(shipped):
    font = shipped / "resources/fonts/ipaexm.ttf"
    font.unlink()
    font.write_text("<html>404</html>", encoding="utf-8")
    assert _named(font)


def test_a_damaged_catalog_is_named_and_the_app_falls_back_to_english(shipped):
    mo = shipped / "translations/ja/LC_MESSAGES/center_app.mo"
    mo.write_bytes(mo.read_bytes()[:20])
    assert _named(mo)
    assert i18n.translate("Center Desk", "ja") == "Center Desk"  # no traceback from gettext


def test_a_migration_with_a_syntax_error_is_named_with_its_line(shipped):
    env = shipped / "center_app/db/migrations/env.py"
    env.write_text("from alembic import context\ndef broken(:\n", encoding="utf-8")
    (line,) = _named(env)
    assert "2" in line.replace(str(env), "")


def test_the_first_window_checks_fonts_and_catalogs_and_the_opening_checks_migrations_and_seed(shipped):
    """The desktop app checks the first part before its sign-in dialog paints and the second on the
    runner, before it opens the database (compiling every migration is the costly part)."""
    env = shipped / "center_app/db/migrations/env.py"
    env.write_text("def broken(:\n", encoding="utf-8")
    seed = shipped / "resources/seed/default_center.json"
    seed.unlink()
    font = shipped / "resources/fonts/ipamjm.ttf"
    font.unlink()
    window = installation.missing_shipped_files(storage=False)
    storage = installation.missing_shipped_files(window=False)
    assert len(window) == 1 and str(font) in window[0]
    assert len(storage) == 2 and str(env) in storage[0] and str(seed) in storage[1]
    assert installation.missing_shipped_files() == window + storage


def test_the_bundle_manifest_names_a_file_of_the_wrong_size_or_missing(shipped):
    extra = shipped / "resources" / "seed" / "extra.csv"
    extra.write_text("a,b\n", encoding="utf-8")
    icon = shipped / "resources" / "icons" / "app.png"
    (shipped / paths.MANIFEST_NAME).write_text(
        json.dumps({"resources/seed/extra.csv": 100, "resources/icons/app.png": 10}), encoding="utf-8"
    )
    lines = installation.missing_shipped_files()
    assert len(lines) == 2
    assert any(str(extra) in line and "100" in line.replace(str(extra), "") for line in lines)
    assert any(str(icon) in line for line in lines)


def test_a_headless_command_refuses_to_run_and_names_the_missing_file(shipped, tmp_path, capsys):
    shutil.rmtree(shipped / "center_app/db/migrations")
    status = app.main(["--database-url", f"sqlite:///{tmp_path / 'db.sqlite3'}", "backup"])
    assert status == 1
    assert str(shipped / "center_app/db/migrations") in capsys.readouterr().err
    assert not (tmp_path / "db.sqlite3").exists()


def test_the_windows_installer_keeps_the_data_folder_the_app_uses():
    """installer/center-desk.iss must name the folder platformdirs gives on Windows
    (%LOCALAPPDATA%\\<author>\\<app>) and never uninstall it; the program folder is per user."""
    iss = (Path(__file__).resolve().parents[2] / "installer" / "center-desk.iss").read_text(encoding="utf-8-sig")
    data_dir = f"{{localappdata}}\\{paths.APP_AUTHOR}\\{paths.APP_NAME}"
    assert f'Name: "{data_dir}"; Flags: uninsneveruninstall' in iss
    assert "PrivilegesRequired=lowest" in iss
    assert "DefaultDirName={userpf}\\" in iss
    deleted = [line for line in iss.splitlines() if line.startswith("Type: ")]
    assert deleted and all("{app}" in line and "localappdata" not in line for line in deleted)
