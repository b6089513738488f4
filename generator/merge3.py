"""Three-way merge of text, line by line: keep a hand edit while the generated text under it changes.

``merge3(base, ours, theirs)``: ``base`` is the text both sides started from (the
pristine output an edit was made on), ``ours`` the edited text, ``theirs`` the
new output. Where only one side changed a stretch of base, that side wins; where
both changed it alike, once; where they changed it differently, the result holds
git-style conflict markers around both versions, so nothing either side wrote is
lost. Changes on adjacent lines conflict, as in git.

Lines are matched by ``linediff`` (unique lines as anchors, difflib between
them). Pure.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.linediff import matching_blocks

OURS_MARKER = "<<<<<<<"
SEPARATOR = "======="
THEIRS_MARKER = ">>>>>>>"


@dataclass(frozen=True)
class Merged:
    text: str
    conflicts: int  # how many conflict blocks ``text`` holds


def split_lines(text: str) -> list[str]:
    """Lines with their ``\\n`` kept; only ``\\n`` ends a line (a form feed or ``\\r`` inside one stays in it)."""
    if not text:
        return []
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _sync_regions(base: list[str], ours: list[str], theirs: list[str]) -> list[tuple[int, int, int, int, int, int]]:
    """Stretches of base that both sides kept unchanged: (base start, end, ours start, end, theirs start, end)."""
    to_ours = matching_blocks(base, ours)
    to_theirs = matching_blocks(base, theirs)
    regions = []
    i = j = 0
    while i < len(to_ours) and j < len(to_theirs):
        base_o, at_o, size_o = to_ours[i]
        base_t, at_t, size_t = to_theirs[j]
        start, end = max(base_o, base_t), min(base_o + size_o, base_t + size_t)
        if start < end:
            length = end - start
            ours_start = at_o + start - base_o
            theirs_start = at_t + start - base_t
            regions.append((start, end, ours_start, ours_start + length, theirs_start, theirs_start + length))
        if base_o + size_o < base_t + size_t:
            i += 1
        else:
            j += 1
    regions.append((len(base), len(base), len(ours), len(ours), len(theirs), len(theirs)))
    return regions


def _ended(lines: list[str]) -> list[str]:
    """A conflict side whose last line has no newline gets one, so the next marker starts its own line."""
    return [*lines[:-1], lines[-1] + "\n"] if lines and not lines[-1].endswith("\n") else lines


def _conflict(ours: list[str], theirs: list[str], labels: tuple[str, str]) -> list[str]:
    # Lines both sides share at either end are not in conflict: keep them once, outside the markers.
    head = 0
    while head < min(len(ours), len(theirs)) and ours[head] == theirs[head]:
        head += 1
    tail = 0
    while tail < min(len(ours), len(theirs)) - head and ours[-1 - tail] == theirs[-1 - tail]:
        tail += 1
    middle_ours = ours[head : len(ours) - tail]
    middle_theirs = theirs[head : len(theirs) - tail]
    ending = ours[len(ours) - tail :]
    return [
        *ours[:head],
        f"{OURS_MARKER} {labels[0]}\n",
        *_ended(middle_ours),
        f"{SEPARATOR}\n",
        *_ended(middle_theirs),
        f"{THEIRS_MARKER} {labels[1]}\n",
        *ending,
    ]


def merge3(base: str, ours: str, theirs: str, labels: tuple[str, str] = ("yours", "generated")) -> Merged:
    """Merge ``ours`` and ``theirs``, two descendants of ``base``; conflicts are marked, never resolved."""
    if ours == theirs or theirs == base:
        return Merged(ours, 0)
    if ours == base:
        return Merged(theirs, 0)
    base_lines, ours_lines, theirs_lines = split_lines(base), split_lines(ours), split_lines(theirs)
    result: list[str] = []
    conflicts = 0
    at_base = at_ours = at_theirs = 0
    for start, end, ours_start, ours_end, theirs_start, theirs_end in _sync_regions(
        base_lines, ours_lines, theirs_lines
    ):
        was = base_lines[at_base:start]
        mine = ours_lines[at_ours:ours_start]
        new = theirs_lines[at_theirs:theirs_start]
        if mine == new or was == new:
            result.extend(mine)
        elif was == mine:
            result.extend(new)
        else:
            result.extend(_conflict(mine, new, labels))
            conflicts += 1
        result.extend(base_lines[start:end])
        at_base, at_ours, at_theirs = end, ours_end, theirs_end
    return Merged("".join(result), conflicts)


def has_conflict_markers(text: str) -> bool:
    """Whether ``text`` still holds a conflict block that ``merge3`` wrote (its three marker lines, in order)."""
    state = 0
    for line in split_lines(text):
        if state == 0 and line.startswith(OURS_MARKER + " "):
            state = 1
        elif state == 1 and line.rstrip("\r\n") == SEPARATOR:
            state = 2
        elif state == 2 and line.startswith(THEIRS_MARKER + " "):
            return True
    return False
