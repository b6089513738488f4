"""Progress of a generation on stderr: which stage it is in, and how far.

On a terminal, a run that lasts longer than about a second shows a rich
progress bar per stage (files formatted out of how many), cleared when it is
done. Without a terminal (CI), at most one line per finished stage is printed,
and only under ``-v``, with its time; ``-v`` on a terminal prints the same
lines. ``-q`` silences everything. rich is imported only when a bar is shown.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

# A run shorter than this never draws a bar.
_DELAY = 1.0


class Progress:
    """Reports stages of one run; ``Progress.silent()`` reports nothing."""

    def __init__(self, stream: TextIO | None = None, *, bar: bool = False, timings: bool = False) -> None:
        self.stream = stream or sys.stderr
        self.bar = bar
        self.timings = timings
        self.prefix = ""
        self._lock = threading.Lock()
        self._display: Any = None
        self._task: Any = None
        self._stage = ""
        self._total: int | None = None
        self._done = 0
        self._timer: threading.Timer | None = None

    @classmethod
    def silent(cls) -> Progress:
        return cls(bar=False, timings=False)

    @classmethod
    def for_terminal(cls, verbosity: int, stream: TextIO | None = None) -> Progress:
        """Bars on a terminal unless ``-q``; timing lines under ``-v``."""
        stream = stream or sys.stderr
        quiet = verbosity < 0
        is_terminal = bool(getattr(stream, "isatty", lambda: False)())
        return cls(stream, bar=is_terminal and not quiet, timings=verbosity > 0)

    @contextmanager
    def stage(self, name: str, total: int | None = None) -> Iterator[None]:
        """One stage of the run, with ``total`` steps when it has them (see ``advance``)."""
        started = time.perf_counter()
        with self._lock:
            self._stage, self._total, self._done = name, total, 0
            if self._display is not None:
                self._display.update(self._task, description=self._label(), total=total, completed=0)
        try:
            yield
        finally:
            if self.timings:
                self._line(f"{self._label()}: {time.perf_counter() - started:.2f} s")

    def set_total(self, total: int) -> None:
        with self._lock:
            self._total = total
            if self._display is not None:
                self._display.update(self._task, total=total)

    def advance(self, steps: int = 1) -> None:
        with self._lock:
            self._done += steps
            if self._display is not None:
                self._display.update(self._task, completed=self._done)

    def _label(self) -> str:
        return f"{self.prefix}{self._stage}" if self.prefix else self._stage

    def _line(self, text: str) -> None:
        with self._lock:
            if self._display is not None:
                self._display.console.print(text, markup=False, highlight=False)
            else:
                print(text, file=self.stream, flush=True)

    def __enter__(self) -> Progress:
        if self.bar:
            self._timer = threading.Timer(_DELAY, self._show)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            if self._display is not None:
                self._display.stop()
                self._display = None

    def _show(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bars, SpinnerColumn, TextColumn, TimeElapsedColumn

        with self._lock:
            display = Bars(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(file=self.stream),
                transient=True,
            )
            self._task = display.add_task(self._label(), total=self._total, completed=self._done)
            display.start()
            self._display = display
