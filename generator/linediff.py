"""Which lines two versions of a file share: the matching that ``merge3`` and ``patches`` are built on.

Generated code repeats lines (``)``, ``extra_headers=extra_headers,``) thousands of
times, which makes difflib alone slow on a large module. So, as in patience diff:
common leading and trailing lines are matched first; then lines that occur once
on each side anchor the match (their longest increasing run); only the stretches
between anchors, which are small, go to difflib (no junk heuristics). Pure.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from difflib import SequenceMatcher

Block = tuple[int, int, int]  # (start in a, start in b, length)
Opcode = tuple[str, int, int, int, int]  # as difflib's: tag, a range, b range

_SMALL = 400  # a stretch this short on either side goes straight to difflib
_DEPTH = 40  # anchors within anchors no deeper than this (each level's stretches are smaller)


def _difflib(a: Sequence[str], alo: int, ahi: int, b: Sequence[str], blo: int, bhi: int, out: list[Block]) -> None:
    matcher = SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
    out.extend((alo + i, blo + j, size) for i, j, size in matcher.get_matching_blocks() if size)


def _anchors(a: Sequence[str], alo: int, ahi: int, b: Sequence[str], blo: int, bhi: int) -> list[tuple[int, int]]:
    """Lines found exactly once on each side, in the longest run whose order both sides agree on."""
    count_a: dict[str, int] = {}
    where_a: dict[str, int] = {}
    for index in range(alo, ahi):
        count_a[a[index]] = count_a.get(a[index], 0) + 1
        where_a[a[index]] = index
    count_b: dict[str, int] = {}
    where_b: dict[str, int] = {}
    for index in range(blo, bhi):
        count_b[b[index]] = count_b.get(b[index], 0) + 1
        where_b[b[index]] = index
    pairs = sorted(
        (where_a[line], where_b[line]) for line, count in count_a.items() if count == 1 and count_b.get(line) == 1
    )
    # Longest increasing subsequence of the b positions (patience sorting), with back links.
    tails: list[int] = []
    tail_pairs: list[int] = []
    previous: list[int] = [-1] * len(pairs)
    for index, (_, position) in enumerate(pairs):
        slot = bisect_left(tails, position)
        if slot == len(tails):
            tails.append(position)
            tail_pairs.append(index)
        else:
            tails[slot] = position
            tail_pairs[slot] = index
        previous[index] = tail_pairs[slot - 1] if slot else -1
    chain: list[tuple[int, int]] = []
    at = tail_pairs[-1] if tail_pairs else -1
    while at >= 0:
        chain.append(pairs[at])
        at = previous[at]
    return chain[::-1]


def _match(
    a: Sequence[str], alo: int, ahi: int, b: Sequence[str], blo: int, bhi: int, out: list[Block], depth: int = 0
) -> None:
    start_a, start_b = alo, blo
    while alo < ahi and blo < bhi and a[alo] == b[blo]:
        alo, blo = alo + 1, blo + 1
    if alo > start_a:
        out.append((start_a, start_b, alo - start_a))
    end_a = ahi
    while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
        ahi, bhi = ahi - 1, bhi - 1
    if ahi < end_a:
        out.append((ahi, bhi, end_a - ahi))
    if alo == ahi or blo == bhi:
        return
    anchors = [] if min(ahi - alo, bhi - blo) <= _SMALL or depth > _DEPTH else _anchors(a, alo, ahi, b, blo, bhi)
    if not anchors:
        _difflib(a, alo, ahi, b, blo, bhi, out)
        return
    for i, j in anchors:
        _match(a, alo, i, b, blo, j, out, depth + 1)
        out.append((i, j, 1))
        alo, blo = i + 1, j + 1
    _match(a, alo, ahi, b, blo, bhi, out, depth + 1)


def matching_blocks(a: Sequence[str], b: Sequence[str]) -> list[Block]:
    """Ascending, non-overlapping runs of equal lines (as difflib's, without its final empty block)."""
    found: list[Block] = []
    _match(a, 0, len(a), b, 0, len(b), found)
    found.sort()
    merged: list[Block] = []
    for i, j, size in found:
        if merged and merged[-1][0] + merged[-1][2] == i and merged[-1][1] + merged[-1][2] == j:
            merged[-1] = (merged[-1][0], merged[-1][1], merged[-1][2] + size)
        else:
            merged.append((i, j, size))
    return merged


def opcodes(a: Sequence[str], b: Sequence[str]) -> list[Opcode]:
    """How to turn ``a`` into ``b``, as difflib's ``get_opcodes`` says it."""
    codes: list[Opcode] = []
    i = j = 0
    for start_a, start_b, size in [*matching_blocks(a, b), (len(a), len(b), 0)]:
        if i < start_a and j < start_b:
            codes.append(("replace", i, start_a, j, start_b))
        elif i < start_a:
            codes.append(("delete", i, start_a, j, start_b))
        elif j < start_b:
            codes.append(("insert", i, start_a, j, start_b))
        if size:
            codes.append(("equal", start_a, start_a + size, start_b, start_b + size))
        i, j = start_a + size, start_b + size
    return codes


def grouped_opcodes(codes: list[Opcode], context: int) -> list[list[Opcode]]:
    """The changes in hunks with ``context`` lines around them, as difflib's ``get_grouped_opcodes``."""
    if not codes:
        codes = [("equal", 0, 1, 0, 1)]
    codes = list(codes)
    if codes[0][0] == "equal":
        tag, i1, i2, j1, j2 = codes[0]
        codes[0] = (tag, max(i1, i2 - context), i2, max(j1, j2 - context), j2)
    if codes[-1][0] == "equal":
        tag, i1, i2, j1, j2 = codes[-1]
        codes[-1] = (tag, i1, min(i2, i1 + context), j1, min(j2, j1 + context))
    groups: list[list[Opcode]] = []
    group: list[Opcode] = []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal" and i2 - i1 > 2 * context:
            group.append((tag, i1, min(i2, i1 + context), j1, min(j2, j1 + context)))
            groups.append(group)
            group = []
            i1, j1 = max(i1, i2 - context), max(j1, j2 - context)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        groups.append(group)
    return groups
