"""One function run in a child process forked from this one, its result read back through a pipe.

The child starts at once and shares everything this process has built (its
modules, the configuration) without an import or a copy, where a process pool
would start a worker, send it the call and import what it needs. It sends back
the pickled result or exception and exits without running this process's exit
handlers. Only on Linux, where a process pool forks as well (macOS's system
libraries are not safe to use in a forked child), and while this process runs
a single thread: a thread that held a lock when the process forked would never
release it in the child.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any, Generic, NoReturn, TypeVar

T = TypeVar("T")


class WorkerFailed(Exception):
    """The child sent back neither a result nor an exception: it died, or what it made could not be pickled."""


def can_fork() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1


class Forked(Generic[T]):
    """``fn(*args)``, computed in a child process while this one goes on."""

    def __init__(self, fn: Callable[..., T], *args: Any) -> None:
        read, write = os.pipe()
        try:
            pid = os.fork()
        except BaseException:
            os.close(read)
            os.close(write)
            raise
        if pid == 0:
            _child(fn, args, read, write)
        os.close(write)
        self._pid: int | None = pid
        self._read = read

    def result(self) -> T:
        """What ``fn`` returned, or its exception raised here; WorkerFailed when the child sent neither."""
        if self._pid is None:
            raise WorkerFailed("the result was read already, or the child was stopped")
        try:
            with os.fdopen(self._read, "rb") as pipe:
                data = pipe.read()
        finally:
            self._reap()
        try:
            returned, value = pickle.loads(data)
        except Exception:  # noqa: BLE001 - nothing (the child died) or not what a child sends
            raise WorkerFailed("the child process sent no result") from None
        if returned:
            return value  # type: ignore[no-any-return]
        raise value

    def stop(self) -> None:
        """End the child without reading its result (this process gives up on it)."""
        if self._pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self._pid, signal.SIGKILL)
        os.close(self._read)
        self._reap()

    def _reap(self) -> None:
        pid, self._pid = self._pid, None
        if pid is not None:
            os.waitpid(pid, 0)


def _child(fn: Callable[..., Any], args: tuple[Any, ...], read: int, write: int) -> NoReturn:
    status = 1
    try:
        os.close(read)
        try:
            outcome: tuple[bool, Any] = (True, fn(*args))
        except Exception as error:  # noqa: BLE001 - raised again in the parent, as if there
            outcome = (False, error)
        try:
            data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - the parent reads nothing, and computes it itself
            data = b""
        with os.fdopen(write, "wb") as pipe:
            pipe.write(data)
        status = 0
    finally:
        os._exit(status)  # never this process's exit handlers, buffers or finalizers: they are the parent's
