"""Helpers of the UI tests on the real threaded runner (fixtures ``threaded_runner`` and
``threaded_state`` in ``tests/conftest.py``)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from center_app.ui.runner import Runner


def delivered(qtbot, runner: Runner, timeout: int = 10_000):
    """``with delivered(qtbot, runner): action()`` — after the block, wait until the runner has
    run the work the action submitted and delivered every result on the GUI thread (the runner
    goes busy when the action submits; it reports idle while handing over the last result, and
    the wait ends after that hand-over). The action must submit something, or the wait times out."""
    return qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda busy: not busy, timeout=timeout)


@contextmanager
def slow_database(runner: Runner, timeout: float = 10) -> Iterator[None]:
    """The runner's worker is held by a slow job (as on a busy database server) until the block
    ends: work submitted inside the block queues behind it and its results arrive only after the
    clerk's next steps in the block."""
    started, release = threading.Event(), threading.Event()

    def slow() -> None:
        started.set()
        release.wait(timeout)

    runner.submit(slow)
    assert started.wait(timeout), "the worker did not start"
    try:
        yield
    finally:
        release.set()


def erased_before_the_answer(qtbot, runner: Runner, finder, text: str) -> None:
    """The clerk types ``text`` into a group search (``finder``: its ``search`` box and
    ``search_now``, as in the forms and the consultations filter), the search starts on a slow
    database, and the clerk empties the box before it answered; returns once the runner has
    delivered the answers of both searches."""
    with delivered(qtbot, runner), slow_database(runner):
        finder.search.setText(text)
        finder.search_now()
        finder.search.clear()
        finder.search_now()
