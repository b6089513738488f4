"""The cyclic garbage collector during a long run: fewer full collections, the caller's settings back after."""

from __future__ import annotations

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
