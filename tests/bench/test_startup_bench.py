"""The start of the app and its peak memory, each in fresh processes (:mod:`start_app`), offscreen,
on each data set:

- start → sign-in dialog painted: ``center-app`` from spawning the process to the first paint of
  the sign-in dialog, vs a bare PySide6 main window with one QTableView (100 × 8 cells) to its
  first paint: ≤ 1.3 × the bare window's CPU time, at every data size;
- sign-in → main window painted: from Enter in the password field (the database open, the
  bench administrator's name and password typed) to the first paint of the main window on the
  予約 screen (the last screen of this PC): ≤ 300 ms of CPU time — the password check
  (argon2id, the app's parameters), the sign-in's write and building the window included;
- peak RSS (VmHWM) with the data set open on the 予約 screen (day view, then week view, data
  loaded and painted) vs the bare window: ≤ 300 MB.

CPU time is the child's own (process time, every thread) up to the moment measured; the wall
time is measured by this process from spawning the child (start) or by the child (sign-in).
The children run as an installed app does: with compiled bytecode (kept under the bench cache
folder, since this environment may set PYTHONDONTWRITEBYTECODE), after one warm-up run that
also waits for the day's database backup (the first start of a day copies the database in the
background after the main window is up; its time is printed as a note). "Cold" is the process,
not the OS file cache.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import dataset
from harness import Row, Times, check, median, note, record

SCRIPT = str(Path(__file__).with_name("start_app.py"))
RUNS = 7
MEMORY_RUNS = 3


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update({
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),  # this checkout's code, whatever venv runs it
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPYCACHEPREFIX": str(dataset.cache_dir() / "pycache"),
        "CENTER_APP_DATA_DIR": str(tmp / "data"),
        "CENTER_APP_SETTINGS_DIR": str(tmp / "settings"),
    })
    env.pop("CENTER_APP_DATABASE_URL", None)
    settings = tmp / "settings"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "center_desk.ini").write_text("[ui]\nlast_view=bookings\n", encoding="utf-8")  # the clerk's last screen
    return env


def _start(args: list[str], env: dict[str, str]) -> dict[str, float]:
    """Run one child; returns its figures: ``wall`` (spawn → READY), ``cpu`` (its CPU time at
    READY), ``signed_in_cpu`` / ``signed_in_wall``, ``peak_kb`` when asked for."""
    began = time.perf_counter()
    child = subprocess.Popen([sys.executable, SCRIPT, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    found: dict[str, float] = {}
    assert child.stdout is not None
    for line in child.stdout:
        words = line.split()
        if words[:1] == ["READY"] and "wall" not in found:
            found["wall"], found["cpu"] = time.perf_counter() - began, float(words[1])
        elif words[:1] == ["SIGNED_IN"]:
            found["signed_in_cpu"], found["signed_in_wall"] = float(words[1]), float(words[2])
        elif words[:1] == ["VMHWM"]:
            found["peak_kb"] = int(words[1])
    found["total"] = time.perf_counter() - began
    child.wait(timeout=180)
    assert child.returncode == 0 and "wall" in found, child.stderr.read() if child.stderr else ""
    return found


def test_start_to_sign_in_and_main_window(bench_file, tmp_path, profile):
    env = _env(tmp_path)
    bare, ours = ["bare"], ["app", str(bench_file), "--sign-in"]
    _start(bare, env)
    first = _start([*ours, "--backup"], env)  # compiles bytecode, takes the day's backup
    note("start_dialog", profile, f"first start of the day (warm-up, not counted; compiles bytecode, signs in, waits for the day's backup): "
         f"{first['total']:.2f} s")
    dialog, bare_times, signed_in = Times(), Times(), Times()
    for _ in range(RUNS):
        run = _start(ours, env)
        dialog.append(run["wall"])
        dialog.cpu.append(run["cpu"])
        signed_in.append(run["signed_in_wall"])
        signed_in.cpu.append(run["signed_in_cpu"])
        base = _start(bare, env)
        bare_times.append(base["wall"])
        bare_times.cpu.append(base["cpu"])
    (cpu, wall), (bare_cpu, bare_wall) = dialog.medians(), bare_times.medians()
    note("start_dialog", profile, f"start → sign-in dialog: ours CPU min {min(dialog.cpu):.2f} s / max {max(dialog.cpu):.2f} s, "
         f"wall min {min(dialog):.2f} s / max {max(dialog):.2f} s; bare CPU min {min(bare_times.cpu):.2f} s, wall min {min(bare_times):.2f} s")
    row = record("start_dialog", profile, Row("start → sign-in dialog painted", RUNS, cpu, wall, bare_cpu, bare_wall,
                                              "bare PySide6 window + QTableView", "s", "≤ 1.3 × baseline", cpu <= 1.3 * bare_cpu))
    (sign_cpu, sign_wall) = signed_in.medians(1000)
    note("sign_in", profile, f"sign-in → main window: CPU min {min(signed_in.cpu) * 1000:.0f} ms / max {max(signed_in.cpu) * 1000:.0f} ms, "
         f"wall max {max(signed_in) * 1000:.0f} ms")
    signed = record("sign_in", profile, Row("sign-in → main window painted (予約)", RUNS, sign_cpu, sign_wall, None, None, "", "ms",
                                            "≤ 300 ms", sign_cpu <= 300))
    check(row)
    check(signed)


def test_peak_memory_on_the_booking_screen(bench_file, tmp_path, profile):
    env = _env(tmp_path)
    ours_kb, bare_kb = [], []
    for _ in range(MEMORY_RUNS):
        ours_kb.append(_start(["app", str(bench_file), "--settle"], env)["peak_kb"])
        bare_kb.append(_start(["bare", "--settle"], env)["peak_kb"])
    ours_mb, bare_mb = median(ours_kb) / 1024, median(bare_kb) / 1024
    row = record("memory", profile, Row("peak RSS, data set open on the booking screen (in the CPU columns)", MEMORY_RUNS, ours_mb, None,
                                        bare_mb, None, "bare PySide6 window + QTableView", "MB", "≤ 300 MB", ours_mb <= 300))
    check(row)
