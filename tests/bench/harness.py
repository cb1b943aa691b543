"""Helpers of the benchmarks: rows of the one table, timing, machine description (see conftest.py)."""

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
    """One line of the table. ``ours`` / ``baseline`` are medians in ``unit``; ``met`` None: not measured."""

    metric: str
    runs: int | None
    ours: float | None
    baseline: float | None
    baseline_name: str
    unit: str
    target: str
    met: bool | None
    note: str = ""


#: Table order: docs/architecture.md §8.
ORDER = ("startup", "week", "search", "summary", "conflict", "certificates", "memory")
_rows: dict[str, Row] = {}
_notes: list[tuple[str, str]] = []
_started = time.time()
_load_before = os.getloadavg()


def record(key: str, row: Row) -> Row:
    """Put ``row`` in the table (and print it at once, so an interrupted run still shows it)."""
    _rows[key] = row
    print(f"\n[bench] {row.metric}: {_fmt(row.ours, row.unit)} vs {row.baseline_name} {_fmt(row.baseline, row.unit)}"
          f" → {'met' if row.met else 'MISSED' if row.met is False else 'n/a'} ({row.target})")
    return row


def check(row: Row) -> None:
    """Fail the test (one line, no traceback) when the row misses its target."""
    if row.met is False:
        import pytest

        pytest.fail(f"{row.metric}: {_fmt(row.ours, row.unit)} misses the target {row.target}"
                    f" (baseline {_fmt(row.baseline, row.unit)})", pytrace=False)


def note(key: str, text: str) -> None:
    """A line printed under the table (extra figures), with the notes of the metric ``key``."""
    _notes.append((key, text))
    print(f"[bench] {text}")


def median(values: list[float]) -> float:
    return statistics.median(values)


class Times(list):
    """Wall-clock seconds per call; ``cpu``: this thread's CPU seconds per call (less sensitive
    to load from other processes than wall time, though not to cache and memory contention)."""

    def __init__(self):
        super().__init__()
        self.cpu: list[float] = []


def interleaved(runs: int, *fns: Callable[[], object]) -> list[Times]:
    """Time each of ``fns`` ``runs`` times, one after another in turn; seconds per call."""
    times = [Times() for _ in fns]
    for _ in range(runs):
        for target, fn in zip(times, fns, strict=True):
            cpu, began = time.thread_time(), time.perf_counter()
            fn()
            target.append(time.perf_counter() - began)
            target.cpu.append(time.thread_time() - cpu)
    return times


def cpu_note(key: str, label: str, ours: Times, baseline: Times) -> None:
    """A note with the CPU-time medians of ``ours`` and ``baseline`` in ms."""
    a, b = median(ours.cpu) * 1000, median(baseline.cpu) * 1000
    note(key, f"{label}: CPU time median ours {a:.3g} ms, baseline {b:.3g} ms ({a / b:.1f}×)" if b else f"{label}: CPU time median ours {a:.3g} ms")


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "ms":
        return f"{value:.3f} ms" if value < 1 else f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "MB":
        return f"{value:.0f} MB"
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
    """The Markdown table of the recorded rows."""
    lines = [
        "| metric | runs | ours (median) | baseline (median) | ratio | target | met |",
        "|---|---:|---:|---|---:|---|---|",
    ]
    for key in ORDER:
        row = _rows.get(key)
        if row is None:
            continue
        ratio = f"{row.ours / row.baseline:.2f}×" if row.ours is not None and row.baseline else "—"
        base = f"{_fmt(row.baseline, row.unit)} ({row.baseline_name})"
        met = "yes" if row.met else "**no**" if row.met is False else row.note or "—"
        lines.append(f"| {row.metric} | {row.runs or '—'} | {_fmt(row.ours, row.unit)} | {base} | {ratio} | {row.target} | {met} |")
    return lines


def terminal_summary(terminalreporter) -> None:
    """Print the table at the end of the run and keep a copy in the cache folder."""
    if not _rows:
        return
    load_after = os.getloadavg()
    lines = [
        (f"Center Desk benchmarks, {dt.datetime.now():%Y-%m-%d %H:%M}, data set {dataset.PROFILE} seed {dataset.SEED}"
         f" ({dataset.cache_path().name}), {time.time() - _started:.0f} s"),
        *machine(),
        f"Load average (1 min) {_load_before[0]:.1f} at the start, {load_after[0]:.1f} at the end (the machine may be shared).",
        "",
        *table(),
        "",
        *(f"- {text}" for _key, text in sorted(_notes, key=lambda n: ORDER.index(n[0]) if n[0] in ORDER else len(ORDER))),
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
