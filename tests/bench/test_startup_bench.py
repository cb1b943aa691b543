"""Cold start and peak memory, each in fresh processes (:mod:`start_app`), offscreen.

- cold start to an interactive main window (signed in, 予約 screen, large data set) vs a bare
  PySide6 main window with one QTableView: ≤ 1.5 × the bare window;
- peak RSS (VmHWM) with the large data set open on the 予約 screen (day view, then week view,
  data loaded and painted) vs the bare window: ≤ 300 MB.

Time is measured by this process from spawning the child to its ``READY`` line, so it includes
the interpreter, every import, the database checks and the first paint. The children run as an
installed app does: with compiled bytecode (kept under the bench cache folder, since this
environment may set PYTHONDONTWRITEBYTECODE), after one warm-up run each that also takes the
day's database backup (the first start of a day copies the database; that one is not counted,
its time is printed as a note). "Cold" is the process, not the OS file cache.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import dataset
from harness import Row, check, median, note, record

SCRIPT = str(Path(__file__).with_name("start_app.py"))
RUNS = 7
MEMORY_RUNS = 3


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update({
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPYCACHEPREFIX": str(dataset.cache_dir() / "pycache"),
        "CENTER_APP_DATA_DIR": str(tmp / "data"),
        "CENTER_APP_SETTINGS_DIR": str(tmp / "settings"),
    })
    env.pop("CENTER_APP_DATABASE_URL", None)
    return env


def _start(args: list[str], env: dict[str, str], settle: bool = False, phases: dict[str, list[float]] | None = None) -> tuple[float, int]:
    """Seconds from spawning to READY, and the child's VmHWM in kB (0 without ``settle``).
    ``phases`` collects, per phase of the child, the seconds from spawning to its end."""
    began = time.perf_counter()
    child = subprocess.Popen([sys.executable, SCRIPT, *args, *(["--settle"] if settle else [])],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    ready, peak = None, 0
    assert child.stdout is not None
    for line in child.stdout:
        if line.startswith("READY") and ready is None:
            ready = time.perf_counter() - began
        elif line.startswith("VMHWM"):
            peak = int(line.split()[1])
        elif line.startswith("PHASE") and phases is not None:
            name, at = line[6:].rstrip().rsplit(" ", 1)
            phases.setdefault(name, []).append(float(at))
    child.wait(timeout=120)
    assert child.returncode == 0 and ready is not None, child.stderr.read() if child.stderr else ""
    return ready, peak


def test_cold_start_to_an_interactive_main_window(bench_file, tmp_path):
    env = _env(tmp_path)
    bare, ours = ["bare"], ["app", str(bench_file)]
    _start(bare, env)
    first, _peak = _start(ours, env)  # compiles bytecode, takes the day's backup
    note("startup", f"first start of the day (warm-up, not counted; compiles bytecode and backs the database up): {first:.2f} s")
    ours_times, bare_times, phases = [], [], {}
    for _ in range(RUNS):
        ours_times.append(_start(ours, env, phases=phases)[0])
        bare_times.append(_start(bare, env)[0])
    ours_s, bare_s = median(ours_times), median(bare_times)
    row = record("startup", Row("cold start to an interactive main window", RUNS, ours_s, bare_s, "bare PySide6 window + QTableView",
                                "s", "≤ 1.5 × baseline", ours_s <= 1.5 * bare_s))
    note("startup", f"cold start: ours min {min(ours_times):.2f} s / max {max(ours_times):.2f} s; bare min {min(bare_times):.2f} s / max {max(bare_times):.2f} s")
    # where the time goes: interpreter start-up = READY minus the script's own span
    ends = {name: median(at) for name, at in phases.items()}
    last, parts = 0.0, []
    for name, end in ends.items():
        parts.append(f"{name} {end - last:.2f}")
        last = end
    note("startup", f"cold start, ours by phase (medians, s): interpreter and site {ours_s - last:.2f}; " + "; ".join(parts))
    from center_app.db.backup import quick_check

    began = time.perf_counter()
    assert quick_check(bench_file) == []
    note("startup", f"PRAGMA quick_check of the {bench_file.stat().st_size / 1e6:.0f} MB data set (part of opening the database): {time.perf_counter() - began:.2f} s")
    check(row)


def test_peak_memory_on_the_booking_screen(bench_file, tmp_path):
    env = _env(tmp_path)
    ours_kb, bare_kb = [], []
    for _ in range(MEMORY_RUNS):
        ours_kb.append(_start(["app", str(bench_file)], env, settle=True)[1])
        bare_kb.append(_start(["bare"], env, settle=True)[1])
    ours_mb, bare_mb = median(ours_kb) / 1024, median(bare_kb) / 1024
    row = record("memory", Row("peak RSS, large data set open on the booking screen", MEMORY_RUNS, ours_mb, bare_mb,
                               "bare PySide6 window + QTableView", "MB", "≤ 300 MB", ours_mb <= 300))
    check(row)
