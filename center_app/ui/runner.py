"""The one background runner for database work from the UI (the habit of Anki's taskman).

``runner.submit(fn, *args, on_done=..., on_error=...)`` runs ``fn(*args)`` on a worker thread
and calls ``on_done(result)`` or ``on_error(exception)`` on the GUI thread. Work is serialised
(one worker), so two clicks never race each other on one PC. Tests use :class:`ImmediateRunner`,
which runs everything at once on the calling thread.

A result whose callback is a method of, or a closure over, a Qt object deleted meanwhile (a
window closed, the screens rebuilt for another user or language while the work ran) is dropped:
it has nowhere to go.

A job refused because the signed-in account was disabled or changed (:class:`SessionEnded`) never
reaches its caller: ``session_ended`` is emitted instead, and the main window signs the person
out (clears its screens, then the sign-in dialog says why).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from center_app.domain.errors import SessionEnded

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class _Signals(QObject):
    finished = Signal(object, object, object, object)  # result, error, on_done, on_error


class _Job(QRunnable):
    def __init__(self, fn: Callable[..., Any], args: tuple, kwargs: dict, on_done: Done | None, on_error: Failed | None, signals: _Signals):
        super().__init__()
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.on_done, self.on_error, self.signals = on_done, on_error, signals

    def run(self) -> None:
        try:
            result = self.fn(*self.args, **self.kwargs)
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI thread
            log.debug("background job failed: %s", "".join(traceback.format_exception(exc)))
            self.signals.finished.emit(None, exc, self.on_done, self.on_error)
            return
        self.signals.finished.emit(result, None, self.on_done, self.on_error)


class Runner(QObject):
    """Serialised background execution with results delivered on the GUI thread."""

    busy_changed = Signal(bool)
    #: Emitted for a failure whose caller gave no ``on_error`` (the main window shows it).
    unhandled_error = Signal(object)
    #: Emitted instead of any callback when a job found the session ended (the SessionEnded error).
    session_ended = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _Signals()
        self._signals.finished.connect(self._finish)
        self._pending = 0

    def submit(self, fn: Callable[..., Any], *args: Any, on_done: Done | None = None, on_error: Failed | None = None, **kwargs: Any) -> None:
        """Run ``fn(*args, **kwargs)`` in the background; report on the GUI thread."""
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        self._pool.start(_Job(fn, args, kwargs, on_done, on_error, self._signals))

    @Slot(object, object, object, object)
    def _finish(self, result: Any, error: BaseException | None, on_done: Done | None, on_error: Failed | None) -> None:
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)
        self._deliver(result, error, on_done, on_error)

    def _deliver(self, result: Any, error: BaseException | None, on_done: Done | None, on_error: Failed | None) -> None:
        if isinstance(error, SessionEnded):
            self.session_ended.emit(error)
            return
        callback = on_error if error is not None else on_done
        if callback is not None and not _alive(callback):
            log.debug("result dropped: %r belongs to a deleted object", callback)
            return
        if error is not None:
            if on_error is not None:
                on_error(error)
            else:
                self.unhandled_error.emit(error)
        elif on_done is not None:
            on_done(result)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until queued work is done (shutdown and tests)."""
        return self._pool.waitForDone(msecs)


def _alive(callback: Callable[..., Any]) -> bool:
    """False when ``callback`` belongs to a Qt object that has been deleted: a method of it, a
    ``functools.partial`` of such a method, or a lambda or inner function using it (``self``)."""
    return all(shiboken6.isValid(owner) for owner in _owners(callback))


def _owners(callback: Any, depth: int = 0) -> Iterator[QObject]:
    if depth > 2:
        return
    owner = getattr(callback, "__self__", None)
    if isinstance(owner, QObject):
        yield owner
    inner = getattr(callback, "func", None)  # functools.partial
    if inner is not None:
        yield from _owners(inner, depth + 1)
    for cell in getattr(callback, "__closure__", None) or ():
        try:
            value = cell.cell_contents
        except ValueError:  # a cell not filled yet
            continue
        if isinstance(value, QObject):
            yield value
        elif callable(value):
            yield from _owners(value, depth + 1)


class ImmediateRunner(Runner):
    """Runs each job at once on the calling thread (tests, screenshots)."""

    def submit(self, fn: Callable[..., Any], *args: Any, on_done: Done | None = None, on_error: Failed | None = None, **kwargs: Any) -> None:
        try:
            result = fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001
            self._deliver(None, exc, on_done, on_error)
            return
        self._deliver(result, None, on_done, on_error)
