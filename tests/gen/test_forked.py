"""A function in a forked child: its result or its exception comes back; a child that sends nothing is a
WorkerFailed; a stopped child is ended and reaped."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from generator.errors import ClientgenError, Location
from generator.forked import Forked, WorkerFailed

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork on this platform")


def _square_and_pid(value: int) -> tuple[int, int]:
    return value * value, os.getpid()


def _user_error(path: str) -> None:
    raise ClientgenError("broken reference '#/x'", Location(path, 3, "/x"))


def _dies() -> None:
    os._exit(7)


def _unpicklable() -> object:
    return lambda: None


def _sleeps(marker: str) -> None:
    Path(marker).write_text("started")
    time.sleep(60)


def test_the_result_comes_back_from_another_process() -> None:
    square, pid = Forked(_square_and_pid, 12).result()
    assert square == 144 and pid != os.getpid()


def test_an_exception_is_raised_here_as_it_was_there() -> None:
    with pytest.raises(ClientgenError) as raised:
        Forked(_user_error, "spec.yaml").result()
    assert str(raised.value) == str(ClientgenError("broken reference '#/x'", Location("spec.yaml", 3, "/x")))


@pytest.mark.parametrize("function", [_dies, _unpicklable], ids=["dies", "unpicklable"])
def test_a_child_that_sends_nothing_is_a_worker_failure(function: object) -> None:
    child: Forked[object] = Forked(function)  # type: ignore[arg-type]
    with pytest.raises(WorkerFailed):
        child.result()
    with pytest.raises(WorkerFailed):
        child.result()  # read once


def test_a_stopped_child_is_ended_and_reaped(tmp_path: Path) -> None:
    marker = tmp_path / "started"
    child: Forked[None] = Forked(_sleeps, str(marker))
    deadline = time.monotonic() + 30
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    pid = child._pid
    assert pid is not None
    child.stop()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no zombie left
    child.stop()  # twice is harmless
