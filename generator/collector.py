"""The cyclic garbage collector during a long run: fewer full collections, the caller's settings back after;
and none over what is still alive when the process exits."""

from __future__ import annotations

import atexit
import contextlib
import gc
from collections.abc import Iterator

#: Objects allocated before the cyclic garbage collector runs. A generation keeps the whole document and its analysis
#: alive, so each full collection walks all of it, and Python's default (700) runs thousands of them: 4–5 s of a
#: 1,600-operation document's 20 s, growing faster than the document (cloudflare: 0.8 s of the main process's 5 s).
#: Memory at the peak stays the same.
THRESHOLDS = (200_000, 30, 30)


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the collector's thresholds for the block; restore the caller's after (tests run many in one process)."""
    before = gc.get_threshold()
    gc.set_threshold(*THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


_EXIT_REGISTERED = False


def no_collection_at_exit() -> None:
    """At exit, leave what is still alive to the operating system instead of the collector's last passes.

    The interpreter collects cycles while it tears itself down; with a command's modules and caches alive that
    costs 20–40 ms (a generation's teardown 54 → 14 ms, a ``diff``'s 32 → 10 ms). Freezing moves every live object out of the collector's sight: memory
    goes back to the system with the process, files were closed by the commands that wrote them. Registered once,
    run when the process ends (a test session calling ``main`` many times pays nothing until then).
    """
    global _EXIT_REGISTERED
    if not _EXIT_REGISTERED:
        atexit.register(gc.freeze)
        _EXIT_REGISTERED = True
