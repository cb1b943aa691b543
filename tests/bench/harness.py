"""Helpers of the benchmarks: rows of the one table, timing, machine description (see conftest.py).

Every figure is taken twice: the CPU time of the measured code (``time.process_time``, every
thread of the process; for a start-up, the child process's own CPU time up to the moment
measured) and the wall-clock time. Targets are checked on the CPU time, which moves much less
than the wall time when other processes share the machine; the wall time is shown beside it.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sqlite3
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import dataset


@dataclass
class Row:
    """One line of the table: medians in ``unit`` of the CPU time (``ours``, ``baseline``) and of
    the wall time (``ours_wall``, ``baseline_wall``). ``met`` None: no target (reported only)."""

    metric: str
    runs: int | None
    ours: float | None
    ours_wall: float | None
    baseline: float | None
    baseline_wall: float | None
    baseline_name: str
    unit: str
    target: str
    met: bool | None
    note: str = ""


#: Table order: docs/architecture.md §8, then the rows of the start path and the imports.
ORDER = ("start_dialog", "sign_in", "week", "search", "summary", "fiscal_year", "fiscal_year_one_stale", "fiscal_year_all_stale", "statistics_screen", "conflict",
         "certificates", "bookings_import", "bookings_import_growth", "groups_import", "memory")
_rows: dict[tuple[str, str], Row] = {}
_notes: list[tuple[str, str, str]] = []
_started = time.time()
_load_before = os.getloadavg()


def record(key: str, profile: str, row: Row) -> Row:
    """Put ``row`` of data set ``profile`` in the table (and print it at once, so an interrupted
    run still shows it)."""
    _rows[(key, profile)] = row
    print(f"\n[bench] {row.metric} [{profile}]: CPU {fmt(row.ours, row.unit)} (wall {fmt(row.ours_wall, row.unit)})"
          f" vs {row.baseline_name} CPU {fmt(row.baseline, row.unit)} → {'met' if row.met else 'MISSED' if row.met is False else 'reported'}"
          f" ({row.target})")
    return row


def check(row: Row) -> None:
    """Fail the test (one line, no traceback) when the row misses its target."""
    if row.met is False:
        import pytest

        pytest.fail(f"{row.metric}: CPU {fmt(row.ours, row.unit)} misses the target {row.target}"
                    f" (baseline CPU {fmt(row.baseline, row.unit)}; wall {fmt(row.ours_wall, row.unit)})", pytrace=False)


def note(key: str, profile: str, text: str) -> None:
    """A line printed under the table (extra figures), with the notes of the metric ``key``."""
    _notes.append((key, profile, text))
    print(f"[bench] [{profile}] {text}")


def median(values: list[float]) -> float:
    return statistics.median(values)


class Times(list):
    """Wall-clock seconds per call; ``cpu``: the process's CPU seconds per call."""

    def __init__(self):
        super().__init__()
        self.cpu: list[float] = []

    def medians(self, scale: float = 1.0) -> tuple[float, float]:
        """(CPU median, wall median) × ``scale``."""
        return median(self.cpu) * scale, median(self) * scale


def interleaved(runs: int, *fns: Callable[[], object]) -> list[Times]:
    """Time each of ``fns`` ``runs`` times, one after another in turn; seconds per call."""
    times = [Times() for _ in fns]
    for _ in range(runs):
        for target, fn in zip(times, fns, strict=True):
            cpu, began = time.process_time(), time.perf_counter()
            fn()
            target.append(time.perf_counter() - began)
            target.cpu.append(time.process_time() - cpu)
    return times


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "ms":
        return f"{value:.3f} ms" if value < 1 else f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "×":
        return f"{value:.2f}×"
    return f"{value:g} {unit}"


def machine() -> list[str]:
    """nproc, CPU model, RAM, and the versions that matter."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    try:
        import PySide6
        from PySide6 import QtCore

        qt = f"PySide6 {PySide6.__version__} (Qt {QtCore.qVersion()})"
    except ImportError:  # pragma: no cover
        qt = "PySide6 missing"
    import reportlab
    import sqlalchemy

    return [
        f"Machine: {os.cpu_count()} CPUs ({cpu}), {ram} RAM, {platform.system()} {platform.release()}",
        f"Python {platform.python_version()}, {qt}, SQLite {sqlite3.sqlite_version}, SQLAlchemy {sqlalchemy.__version__}, reportlab {reportlab.Version}",
    ]


def table() -> list[str]:
    """The Markdown table of the recorded rows (small, then large, under each metric)."""
    lines = [
        "| metric | data set | runs | ours CPU | ours wall | baseline | baseline CPU | baseline wall | ratio (CPU) | target (CPU) | met |",
        "|---|---|---:|---:|---:|---|---:|---:|---:|---|---|",
    ]
    for key in ORDER:
        for profile in dataset.PROFILES:
            row = _rows.get((key, profile))
            if row is None:
                continue
            ratio = f"{row.ours / row.baseline:.2f}×" if row.ours is not None and row.baseline else "—"
            met = "yes" if row.met else "**no**" if row.met is False else row.note or "—"
            lines.append(
                f"| {row.metric} | {profile} | {row.runs or '—'} | {fmt(row.ours, row.unit)} | {fmt(row.ours_wall, row.unit)} | {row.baseline_name or '—'} | "
                f"{fmt(row.baseline, row.unit)} | {fmt(row.baseline_wall, row.unit)} | {ratio} | {row.target} | {met} |"
            )
    return lines


def _note_order(item: tuple[str, str, str]) -> tuple[int, int]:
    key, profile, _text = item
    return (ORDER.index(key) if key in ORDER else len(ORDER), dataset.PROFILES.index(profile) if profile in dataset.PROFILES else 9)


def terminal_summary(terminalreporter) -> None:
    """Print the table at the end of the run and keep a copy in the cache folder."""
    if not _rows:
        return
    load_after = os.getloadavg()
    sets = ", ".join(dataset.cache_path(p).name for p in dataset.PROFILES)
    lines = [
        f"Center Desk benchmarks, {dt.datetime.now():%Y-%m-%d %H:%M}, data sets seed {dataset.SEED} ({sets}), {time.time() - _started:.0f} s",
        *machine(),
        f"Load average (1 min) {_load_before[0]:.1f} at the start, {load_after[0]:.1f} at the end (the machine may be shared).",
        "",
        *table(),
        "",
        *(f"- [{profile}] {text}" for _key, profile, text in sorted(_notes, key=_note_order)),
    ]
    terminalreporter.write_sep("=", "Center Desk benchmarks (docs/architecture.md §8)")
    for line in lines:
        terminalreporter.write_line(line)
    try:
        out = dataset.cache_dir() / "last-run.md"
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        terminalreporter.write_line(f"(also written to {out})")
    except OSError:
        pass
