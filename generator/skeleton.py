"""Black's work shared between blocks that differ only in names and plain text.

Two blocks whose every identifier and every plain string body has the same
width, token for token, are laid out the same by black: its decisions depend
on kinds of tokens and on widths, never on what a name spells or what plain
text says. ``skeleton`` replaces each such identifier and each such string
body by ``x``s of the same width (keywords, dunder names, comments, numbers,
prefixed or non-ASCII strings, strings with quotes or backslashes stay as they
are); black formats the skeleton once, and ``dress`` puts each block's own
names and text back into black's output, in place (widths are unchanged).
When black's output does not hold the skeleton's tokens in the same order,
``dress`` returns None and the block goes through black itself.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from functools import cache

_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
    | (?P<string>(?P<prefix>[A-Za-z]{0,2})(?P<quote>'''|\"\"\"|'|")(?P<body>(?:\\.|(?!(?P=quote))[^\\])*)(?P=quote))
    | (?P<number>\.?[0-9][0-9A-Za-z_.]*(?:(?<=[eE])[-+][0-9_]+[0-9A-Za-z_.]*)*)
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    """,
    re.VERBOSE | re.DOTALL,
)
_KEPT_NAMES = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist)
_NOT_SPACE = re.compile(r"\S")
_SPACE = re.compile(r"\s")
#: A string body in a skeleton: runs of x, each with the whitespace after it.
_RUNS = re.compile(r"(x*)(\s*)")


@dataclass(frozen=True)
class Skeleton:
    text: str  # the block with its names and plain text replaced
    originals: tuple[str, ...]  # what each replaced token held, in order (a name, or a string body's characters)
    kinds: tuple[bool, ...]  # for each replaced token: a string body (True) or a name (False)


@cache
def _replaceable_name(text: str) -> bool:
    return text.isascii() and text not in _KEPT_NAMES and not text.startswith("__")


def _replaceable_string(match: re.Match[str]) -> bool:
    # black looks inside a plain string only for quotes and backslashes (to choose its quotes, to end a
    # docstring): a body without them, or with single quotes inside double ones, is laid out as any other.
    body = match.group("body")
    kept = '\\"' if match.group("quote").startswith('"') else "\\'\""
    return match.group("prefix") == "" and body.isascii() and not any(char in body for char in kept)


def skeleton(source: str) -> Skeleton | None:
    """The block with every replaceable name and plain string body turned into ``x``s of the same width.

    None for a block whose tokens this cannot follow through black: line continuations, and ``u`` prefixes
    (black drops them, which would make a kept string look like a replaced one).
    """
    if "\\\n" in source:
        return None
    pieces: list[str] = []
    originals: list[str] = []
    kinds: list[bool] = []
    end = 0
    for match in _TOKEN.finditer(source):  # a comment is neither a name nor a string: passed over
        kind = match.lastgroup
        if kind == "name":
            text = match.group()
            if _replaceable_name(text):
                start = match.start()
                pieces.append(source[end:start])
                pieces.append("x" * len(text))
                originals.append(text)
                kinds.append(False)
                end = start + len(text)
        elif kind == "string" and match.group("prefix"):
            if "u" in match.group("prefix").lower():
                return None
        elif kind == "string" and _replaceable_string(match):
            body = match.group("body")
            pieces.append(source[end : match.start("body")])
            pieces.append(_NOT_SPACE.sub("x", body))
            originals.append(_SPACE.sub("", body))
            kinds.append(True)
            end = match.end("body")
    pieces.append(source[end:])
    return Skeleton("".join(pieces), tuple(originals), tuple(kinds))


@dataclass(frozen=True)
class Layout:
    """Black's output for a skeleton, cut where each replaced token goes back: the same for every block that has
    that skeleton. A name's slot is None; a string body's slot is its runs of ``x``s, each with the whitespace
    black put after it."""

    pieces: tuple[str, ...]
    slots: tuple[tuple[tuple[int, str], ...] | None, ...]


def layout(formatted: str, shape: Skeleton) -> Layout | None:
    """Where ``shape``'s tokens are in black's output for ``shape.text``; None if black did not keep them in order."""
    pieces: list[str] = []
    slots: list[tuple[tuple[int, str], ...] | None] = []
    end = 0
    for match in _TOKEN.finditer(formatted):
        if len(slots) == len(shape.originals):
            break
        index = len(slots)
        if match.lastgroup == "name":
            text = match.group()
            if not _replaceable_name(text):
                continue
            if shape.kinds[index] or len(text) != len(shape.originals[index]) or text.strip("x"):
                return None
            pieces.append(formatted[end : match.start()])
            slots.append(None)
            end = match.end()
        elif match.lastgroup == "string" and _replaceable_string(match):
            body = match.group("body")
            if not shape.kinds[index] or _SPACE.sub("", body) != "x" * len(shape.originals[index]):
                return None
            pieces.append(formatted[end : match.start("body")])
            slots.append(tuple((len(run), space) for run, space in _RUNS.findall(body)))
            end = match.end("body")
    if len(slots) != len(shape.originals):
        return None
    pieces.append(formatted[end:])
    return Layout(tuple(pieces), tuple(slots))


def fill(cut: Layout, shape: Skeleton) -> str:
    """The block ``shape`` was made from, as black lays it out: ``cut`` with ``shape``'s own names and text."""
    parts = [cut.pieces[0]]
    for slot, original, piece in zip(cut.slots, shape.originals, cut.pieces[1:], strict=True):
        if slot is None:
            parts.append(original)
        else:
            start = 0
            for length, space in slot:
                parts.append(original[start : start + length])
                parts.append(space)
                start += length
        parts.append(piece)
    return "".join(parts)


def dress(formatted: str, shape: Skeleton) -> str | None:
    """Black's output for ``shape.text`` with the block's own names and text put back; None if it cannot be."""
    cut = layout(formatted, shape)
    return None if cut is None else fill(cut, shape)
