"""The data sets of the benchmarks (docs/architecture.md §8), built by ``center-app demo``'s generator.

Two profiles, so the table shows how each figure grows with the data:

- ``small``: ``center_app.services.demo.generate(db, "small", seed=SEED)`` — 300 groups, a year of
  bookings (about 7,000), 600 consultations: a new center;
- ``large``: ``generate(db, "large", seed=SEED)`` — 5,000 groups, ten years, 200,000 bookings,
  50,000 consultations: a busy center after ten years;

both on the default configuration (7 facilities, 19 rooms), plus one administrator whose password
is :data:`ADMIN_PASSWORD` (the start-up benchmark signs in with it). Generating the large set takes
30–90 s on 2 cores, so each file is kept in a cache folder and reused while its key is unchanged:
the profile, the seed, the schema head (Alembic), a version of this module, and the month of
"today" (the data set ends 60–90 days after the first day of the current month, so the app's
today always has bookings around it).

Cache folder: ``$CENTER_APP_BENCH_DIR``, else ``~/.cache/center-desk-bench``. Each benchmark
module works on its own copy (the original stays untouched).

``python tests/bench/dataset.py [small|large]`` builds (or finds) the cached file and prints its path.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import time
from pathlib import Path

VERSION = 2
SEED = int(os.environ.get("CENTER_APP_BENCH_SEED", "1"))
PROFILES = ("small", "large")
ADMIN_LOGIN = "bench-admin"
#: The bench administrator's password (a data set of the benchmarks only, never a center's).
ADMIN_PASSWORD = "bench-admin-password"


def today() -> dt.date:
    """The "today" the data set is generated around: the first day of the current month."""
    return dt.date.today().replace(day=1)


def cache_dir() -> Path:
    """Where generated data sets are kept."""
    folder = os.environ.get("CENTER_APP_BENCH_DIR")
    return Path(folder) if folder else Path.home() / ".cache" / "center-desk-bench"


def cache_path(profile: str) -> Path:
    """The cached file of ``profile`` for the current key (seed, schema head, version, month)."""
    from center_app.db.revisions import head_revision

    return cache_dir() / f"{profile}-seed{SEED}-head{head_revision()}-v{VERSION}-{today():%Y%m}.sqlite3"


def build(path: Path, profile: str) -> float:
    """Generate the data set into the new file ``path``; returns the seconds it took."""
    from center_app.db.database import sqlite_url
    from center_app.services import auth
    from center_app.services.demo import generate
    from center_app.services.startup import open_center_database

    started = time.perf_counter()
    db = open_center_database(sqlite_url(path))
    try:
        auth.create_first_admin(db, ADMIN_LOGIN, "ベンチ 管理者", ADMIN_PASSWORD, ADMIN_PASSWORD)
        generate(db, profile, seed=SEED, today=today())
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.dispose()
    return time.perf_counter() - started


def cached(profile: str) -> Path:
    """The path of the cached data set of ``profile``, generated first when missing."""
    target = cache_path(profile)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    for old in target.parent.glob(f"{profile}-seed{SEED}-*.sqlite3"):  # an older key: the schema or month changed
        old.unlink(missing_ok=True)
    partial = target.with_name(target.stem + f".partial-{os.getpid()}.sqlite3")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    print(f"\n[bench] generating the {profile} data set (seed {SEED}) into {target} …", file=sys.stderr, flush=True)
    seconds = build(partial, profile)
    print(f"[bench] generated in {seconds:.0f} s", file=sys.stderr, flush=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    partial.rename(target)
    return target


def copy_to(folder: Path, profile: str, name: str = "center.sqlite3") -> Path:
    """A private copy of the cached data set of ``profile`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copyfile(cached(profile), target)
    return target


if __name__ == "__main__":  # pragma: no cover
    for name in sys.argv[1:] or PROFILES:
        print(cached(name))
