"""Unified diffs that clientgen writes and reads back: a customisation's patch, made and reversed.

``make_patch(old, new)`` writes the usual ``---``/``+++``/``@@`` text (three lines
of context, ``\\ No newline at end of file`` where a last line has none), which
``git apply`` and ``patch`` read too. ``reverse(patch, text)`` takes a patch's
changes out of ``text`` again: each hunk's new lines are looked for at their
recorded place, then ever further from it, and must match exactly (no fuzz). A
caller checks the result against a recorded hash, so a patch that does not fit
is never taken for one that does. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.linediff import grouped_opcodes, opcodes
from generator.merge3 import split_lines

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
NO_NEWLINE = "\\ No newline at end of file\n"


@dataclass(frozen=True)
class Hunk:
    old_start: int  # 1-based, as written in the header
    new_start: int
    old: tuple[str, ...]  # the lines this hunk replaces (context included), with their newlines
    new: tuple[str, ...]  # the lines it puts there


def _body(prefix: str, line: str) -> list[str]:
    return [prefix + line] if line.endswith("\n") else [prefix + line + "\n", NO_NEWLINE]


def _range(start: int, length: int) -> str:
    # As diff writes it: an empty range names the line before it; a length of one is left out.
    if length == 0:
        return f"{start},0"
    return f"{start + 1}" if length == 1 else f"{start + 1},{length}"


def make_patch(old: str, new: str, old_name: str, new_name: str, context: int = 3) -> str:
    """The unified diff from ``old`` to ``new``; empty when they are equal."""
    if old == new:
        return ""
    a, b = split_lines(old), split_lines(new)
    out = [f"--- {old_name}\n", f"+++ {new_name}\n"]
    for group in grouped_opcodes(opcodes(a, b), context):
        first, last = group[0], group[-1]
        out.append(f"@@ -{_range(first[1], last[2] - first[1])} +{_range(first[3], last[4] - first[3])} @@\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                for line in a[i1:i2]:
                    out.extend(_body(" ", line))
                continue
            for line in a[i1:i2]:
                out.extend(_body("-", line))
            for line in b[j1:j2]:
                out.extend(_body("+", line))
    return "".join(out)


class PatchError(ValueError):
    """A patch that is not a unified diff clientgen can read."""


def parse(patch: str) -> list[Hunk]:
    lines = split_lines(patch)
    hunks: list[Hunk] = []
    index = 0
    while index < len(lines) and not lines[index].startswith("@@"):
        index += 1
    while index < len(lines):
        header = _HUNK.match(lines[index])
        if header is None:
            raise PatchError(f"line {index + 1}: expected a hunk header (@@ -a,b +c,d @@)")
        old_start, new_start = int(header.group(1)), int(header.group(3))
        old_count = int(header.group(2)) if header.group(2) is not None else 1
        new_count = int(header.group(4)) if header.group(4) is not None else 1
        index += 1
        old: list[str] = []
        new: list[str] = []
        last: list[list[str]] = []
        while index < len(lines) and (len(old) < old_count or len(new) < new_count or lines[index] == NO_NEWLINE):
            line = lines[index]
            index += 1
            if line == NO_NEWLINE:
                for side in last:
                    side[-1] = side[-1].removesuffix("\n")
                continue
            kind, text = line[:1], line[1:]
            if kind == "\n" or line == "\n":
                kind, text = " ", "\n"  # an editor stripped the blank context line's space
            if kind == " ":
                old.append(text)
                new.append(text)
                last = [old, new]
            elif kind == "-":
                old.append(text)
                last = [old]
            elif kind == "+":
                new.append(text)
                last = [new]
            else:
                raise PatchError(f"line {index}: unexpected {line[:20]!r} in a hunk")
        if len(old) != old_count or len(new) != new_count:
            raise PatchError(f"line {index}: the hunk is shorter than its header says")
        hunks.append(Hunk(old_start, new_start, tuple(old), tuple(new)))
    if not hunks and patch.strip():
        raise PatchError("no hunk (@@ -a,b +c,d @@) in the patch")
    return hunks


def changed_lines(patch: str) -> tuple[int, int]:
    """(lines added, lines removed) by a patch."""
    hunks = False
    added = removed = 0
    for line in split_lines(patch):
        if line.startswith("@@"):
            hunks = True
        elif hunks and line.startswith("+"):
            added += 1
        elif hunks and line.startswith("-"):
            removed += 1
    return added, removed


def _find(lines: list[str], wanted: tuple[str, ...], around: int, start: int) -> int | None:
    """Where ``wanted`` occurs in ``lines`` at or after ``start``, nearest ``around`` first."""
    size = len(wanted)
    limit = len(lines) - size
    if limit < start:
        return None
    around = min(max(around, start), limit)
    for distance in range(max(around - start, limit - around) + 1):
        for at in (around - distance, around + distance):
            if start <= at <= limit and tuple(lines[at : at + size]) == wanted:
                return at
    return None


def _apply(hunks: list[Hunk], text: str, reverse: bool, skip_misfits: bool = False) -> str | None:
    lines = split_lines(text)
    result: list[str] = []
    done = 0  # lines of ``lines`` consumed
    shift = 0  # how far the hunks found so far sit from their recorded places
    for hunk in hunks:
        find, put = (hunk.new, hunk.old) if reverse else (hunk.old, hunk.new)
        recorded = (hunk.new_start if reverse else hunk.old_start) - (1 if find else 0)
        at = _find(lines, find, recorded + shift, done) if find else max(recorded + shift, done)
        if at is None or at > len(lines):
            if skip_misfits:
                continue
            return None
        shift = at - recorded
        result.extend(lines[done:at])
        result.extend(put)
        done = at + len(find)
    result.extend(lines[done:])
    return "".join(result)


def apply(patch: str, text: str) -> str | None:
    """``text`` with the patch's changes made; None when a hunk does not fit."""
    return _apply(parse(patch), text, reverse=False)


def reverse(patch: str, text: str) -> str | None:
    """``text`` with the patch's changes taken out; None when a hunk does not fit."""
    return _apply(parse(patch), text, reverse=True)


def reverse_where_it_fits(patch: str, text: str) -> str:
    """``text`` with the changes of every hunk that still fits taken out; the others (edited since) stay."""
    result = _apply(parse(patch), text, reverse=True, skip_misfits=True)
    assert result is not None
    return result
