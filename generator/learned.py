"""What a worker process has learned about black, handed to the other workers: learn each fact once.

A process learns, while it formats, which shapes of statements and elements
black leaves as they are (``generator/keptlines.py``) and how black lays out
the statements and elements it must lay out (``generator/laidout.py``). Each
fact costs runs of black the first time and nothing after; every worker of a
pool would learn the same common ones (a resource module and its typed, raw and
streaming siblings share their shapes). ``since`` takes what this process
learned after a ``mark`` and ``absorb`` adds what another process learned; both
are plain lists of pairs, cheap to pickle.

The facts are black's answers about a text, the same in every process: what a
process knows changes how many runs of black a module costs, never its bytes.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

from generator import keptlines, laidout

#: The tables learned, in a fixed order (each maps a text or a key of texts to black's answer).
_TABLES: tuple[dict[Any, Any], ...] = (
    keptlines._VERDICTS,
    keptlines._ELEMENT_VERDICTS,
    laidout.LAYOUTS,
    laidout.ELEMENT_LAYOUTS,
)

#: Where each table stood at a mark: its length.
Mark = tuple[int, ...]
#: What was learned: per table, its new (key, answer) pairs.
Learned = tuple[list[tuple[Any, Any]], ...]

NOTHING: Learned = tuple([] for _ in _TABLES)


def mark() -> Mark:
    return tuple(len(table) for table in _TABLES)


def since(at: Mark) -> Learned:
    """The pairs learned after ``at`` (tables only grow, in order; one that was forgotten since gives them all),
    read from the tables' ends: a batch's worth, however much the process knows."""
    found: list[list[tuple[Any, Any]]] = []
    for table, length in zip(_TABLES, at, strict=True):
        if len(table) < length:
            found.append(list(table.items()))
            continue
        items = list(islice(reversed(table.items()), len(table) - length))
        items.reverse()
        found.append(items)
    return tuple(found)


def absorb(learned: Learned) -> None:
    for table, pairs in zip(_TABLES, learned, strict=True):
        table.update(pairs)


def size(learned: Learned) -> int:
    return sum(len(pairs) for pairs in learned)


def joined(parts: list[Learned]) -> Learned:
    return tuple([pair for part in parts for pair in part[index]] for index in range(len(_TABLES)))
