"""What the command line prints besides its results, at the verbosity ``-q`` / ``-v`` chose.

Results (a report, a suggested map) go to stdout whatever the verbosity.
``info`` is for what a person running the command wants to see (what was
generated, what is up to date): silenced by ``-q``. ``detail`` is for progress
and timings: shown only with ``-v``. ``warn`` always goes to stderr.
"""

from __future__ import annotations

import sys

QUIET = -1
NORMAL = 0
VERBOSE = 1

_level = NORMAL


def set_verbosity(level: int) -> None:
    global _level
    _level = level


def verbosity() -> int:
    return _level


def info(message: str) -> None:
    """A line of normal output (stdout), not shown under ``-q``."""
    if _level > QUIET:
        print(message, flush=True)


def detail(message: str) -> None:
    """A line of progress or diagnostics (stderr), shown only under ``-v``."""
    if _level >= VERBOSE:
        print(message, file=sys.stderr, flush=True)


def warn(message: str) -> None:
    """A warning (stderr), shown at every verbosity."""
    print(f"warning: {message}", file=sys.stderr, flush=True)
