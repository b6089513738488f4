"""Black's layout, once per run, of what it must lay out apart: statements and elements no shape vouches for.

``generator/keptlines.py`` hands over what black must lay out itself: a
statement at its depth, or an element of an exploded statement in a frame of
its kind. Black lays out each statement by itself (and an element line by
itself once its bracket is exploded), so all of a block's go to black in one
run, each in ``if`` blocks as deep as it stands and a line of its own after
it, and each one's layout is cut out of the output and remembered for the
run. Black's output for any text it has seen in this process is remembered
too (``remembering``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

#: The placeholder standing for a kept line (``generator/keptlines.py``).
KEPT = "_clientgen_kept_line_"
_STRINGS = re.compile(r"""[A-Za-z]{0,2}('''|\"\"\"|'|")(?:\\.|(?!\1)[^\\])*\1""", re.DOTALL)


#: A statement (its lines as they stand) → black's layout of it, for the statements no shape can vouch for (this
#: process's answers so far; None: black could not lay it out apart).
LAYOUTS: dict[str, str | None] = {}
#: (frame, indentation, element's lines) → black's layout of that element in a statement of that frame exploded one
#: element a line, for the elements no shape vouches for (this process's answers so far; None: not laid out apart).
ELEMENT_LAYOUTS: dict[tuple[tuple[str, str], str, str], str | None] = {}
#: Separates the statements laid out in one run of black.
_CUT = "_clientgen_cut_"


def runs(stand_ins: list[tuple[int, str]]) -> list[tuple[int, int, str]]:
    """Element placeholders on consecutive lines as one (first, last, placeholder): see ``_MERGEABLE``."""
    runs: list[tuple[int, int, str]] = []
    for offset, placeholder in stand_ins:
        if runs and runs[-1][1] + 1 == offset and runs[-1][2] == placeholder:
            runs[-1] = (runs[-1][0], offset, placeholder)
        else:
            runs.append((offset, offset, placeholder))
    return runs


def apart(items: list[tuple[list[str], int, bool]], black: Callable[[str], str]) -> list[list[str] | None]:
    """Black's output for each item, (its lines, its depth, whether it is a header): all in one run of black, each
    in ``if`` blocks as deep as it stands, a line of its own after it (a header with a body of one line, left out of
    what is returned); blank lines left out. None for every item when black cannot format them apart."""
    text: list[str] = []
    order: list[int | None] = []  # the item after each cut; None: the scaffolding before the next depth's items
    depth = -1
    for number in sorted(range(len(items)), key=lambda number: items[number][1]):
        lines, level, header = items[number]
        if level != depth:
            if order:
                order.append(None)
            depth = level
            text += [f"{'    ' * outer}if x:\n" for outer in range(depth)] + [f"{'    ' * depth}{_CUT}\n"]
        text += lines
        if header:
            text.append(f"{'    ' * (depth + 1)}x\n")
        text.append(f"{'    ' * depth}{_CUT}\n")
        order.append(number)
    order.append(None)
    try:
        output = black("".join(text)).splitlines(keepends=True)
    except Exception:  # something black cannot parse apart: the rest is laid out without it
        if len(items) == 1:
            return [None]
        middle = len(items) // 2
        return apart(items[:middle], black) + apart(items[middle:], black)
    segments: list[list[str]] = [[]]
    for line in output:
        if line.strip() == _CUT:
            segments.append([])
        elif line.strip():
            segments[-1].append(line)
    if len(segments) != len(order) + 1:
        return [None] * len(items)
    results: list[list[str] | None] = [None] * len(items)
    for index, segment in zip(order, segments[1:], strict=True):
        if index is None:
            continue
        lines, level, header = items[index]
        if header:
            if not segment or segment[-1] != f"{'    ' * (level + 1)}x\n":
                continue
            segment.pop()
        if segment and all(line.startswith("    " * level) for line in segment):
            results[index] = segment
    return results


def statement_item(source: str, stand_ins: list[tuple[int, str]]) -> list[str]:
    lines = source.splitlines(keepends=True)
    text: list[str] = []
    row = 0
    for first, last, placeholder in runs(stand_ins):
        text += lines[row:first]
        text.append(placeholder)
        row = last + 1
    return text + lines[row:]


def statement_layout(source: str, stand_ins: list[tuple[int, str]], output: list[str] | None) -> str | None:
    """The statement's layout from black's output for it with its elements standing aside put back."""
    if output is None:
        return None
    grouped = runs(stand_ins)
    originals = iter("".join(source.splitlines(keepends=True)[first : last + 1]) for first, last, _ in grouped)
    placeholders = iter(placeholder for _, _, placeholder in grouped)
    result = []
    for line in output:
        if KEPT in line:
            if line != next(placeholders, None):
                return None
            line = next(originals)
        result.append(line)
    return "".join(result) if next(placeholders, None) is None else None


def context(frame: tuple[str, str]) -> tuple[str, str]:
    """The frame an element is laid out in: a definition's parameters and a call's arguments in a frame of their
    own kind (``def x(`` and ``x(``), which they share with every definition and call; any other element in its
    own statement's frame. Black lays out an element line from its own tokens, its depth and the kinds of the
    nodes it sits in, which these keep."""
    head = frame[0]
    if re.fullmatch(r"(async )?def x\(\n", head):
        return "def x(\n", "):\n    x\n"
    if head[-2] == "(" and not head.startswith(("def ", "async def ", "class ", "from ")):
        return "x(\n", ")\n"
    return frame


def _dict_item(element: str) -> bool:
    """Whether an element of a ``{`` display is a dictionary's (``**`` or a colon outside brackets and strings)."""
    text = element.lstrip()
    if text.startswith("**"):
        return True
    depth = 0
    for char in _STRINGS.sub(" ", text):
        depth += (char in "([{") - (char in ")]}")
        if char == ":" and depth == 0:
            return True
    return False


def element_item(context: tuple[str, str], indent: str, element: str) -> list[str]:
    """An element in its context after a placeholder element, and before one unless it is a definition's ``**``
    parameter (which comes last): two elements at least either way."""
    head, tail = context
    unpacked = "**" if head.endswith("{\n") and _dict_item(element) else ""
    placeholder = f"{indent}    {unpacked}{KEPT},\n"
    after = [] if head.startswith("def") and element.lstrip().startswith("**") else [placeholder]
    framed = [f"{indent}{head}", placeholder, *element.splitlines(keepends=True), *after]
    return framed + [f"{indent}{line}" for line in tail.splitlines(keepends=True)]


def element_layout(item: list[str], element: str, output: list[str] | None) -> str | None:
    """The element's layout from black's output for its item: what came out between what went in before and after
    it, which must come out as it went in."""
    after = item[2 + element.count("\n") :]
    if output is None or output[:2] != item[:2] or len(output) <= 2 + len(after) or output[-len(after) :] != after:
        return None
    return "".join(output[2 : len(output) - len(after)])


#: Text → black's output, for every text black ran on here (this process's so far): blocks of different names often
#: come down to the same text once their statements stand aside.
OUTPUTS: dict[str, str] = {}
#: What the remembered texts and layouts may hold, in characters, before they are forgotten (a long-lived process).
_REMEMBERED = 64_000_000
_held = [0]


def remembering(black: Callable[[str], str]) -> Callable[[str], str]:
    def run(text: str) -> str:
        output = OUTPUTS.get(text)
        if output is None:
            output = black(text)
            _held[0] += 2 * len(text)
            if _held[0] > _REMEMBERED:
                OUTPUTS.clear()
                LAYOUTS.clear()
                ELEMENT_LAYOUTS.clear()
                _held[0] = 0
            OUTPUTS[text] = output
        return output

    return run
