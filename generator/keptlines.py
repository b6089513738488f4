"""Black on what the templates cannot lay out: statements black would leave as they are stand aside while it runs.

Most of what the templates write is already as black writes it: a short field
or alias on one line, a signature or a call split one argument a line, an
import, a docstring. Black lays out each statement by itself (from its tokens,
their widths and its depth; never from what the statements around it say),
and decides blank lines from the kinds of the lines around (a ``def``, a
``class``, an import, a docstring, a plain statement). So
``format_keeping_lines`` replaces each statement black would leave as it is by
a placeholder of the same kind and indentation (``_KEPT``, ``return _KEPT``,
``def _KEPT():``, ``\"\"\"_KEPT\"\"\"``...), runs black on what is left, blank
lines and every statement it must lay out included, and puts the statements
back. The result is byte for byte black's (tests/gen/test_keptlines.py and
test_format.py compare with black on every golden and corpus package).

Whether black leaves a statement as it is, is asked of its shape, once per
shape, for the life of the process: every plain name becomes ``x`` and every
plain one-line string body empty. Only statements whose every line fits in 88
columns are asked about: black then splits nothing that is not split already
(or a trailing comma asks for), and the rules it applies, quotes, spaces,
parentheses, trailing commas, numbers, read kinds of tokens, not what a name or
plain text spells. A docstring is judged here, by black's own steps for one.

A statement exploded one element a line (a signature, a call, a display, an
import, each element on a line of its own ending with a comma) has a shape
unique to its element count, so it is judged element by element instead
(``_exploded`` in ``generator/keptread.py``): black splits it at that bracket whatever the elements hold
(the magic trailing comma) and lays out each element line by itself, so it
stays as it is when its frame (opening and closing line) does and each element
line does in that frame. Element shapes repeat thousands of times; only new
ones are asked of black, several in one statement.

What black must lay out itself, it lays out once per run (``_lay_out``): an
element no shape vouches for, in a frame of its kind (a definition's
parameters, a call's arguments...), and any other statement, at its depth;
all of a block's in one run of black, in ``if`` blocks as deep as they stand.
The reduced module then holds a placeholder for them too, and black's output
for a text it has seen in this process is remembered (``OUTPUTS``): blocks of
different names often come down to the same text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from generator.keptread import Candidate, Element, continued, plain, read_candidates
from generator.laidout import (
    ELEMENT_LAYOUTS,
    KEPT,
    LAYOUTS,
    apart,
    context,
    element_item,
    element_layout,
    remembering,
    statement_item,
    statement_layout,
)

#: Part of the formatter's identity in the cache: a change to what stands aside changes it.
KEPT_LINES_VERSION = 2
#: The placeholder standing for a kept line; a module holding it is formatted by black as a whole.
_KEPT = KEPT
_LINE_LENGTH = 88
#: Shape of a line → whether black leaves it as it is (this process's answers so far).
_VERDICTS: dict[str, bool] = {}
#: (frame, element shape) → whether black leaves that element line as it is in a statement of that frame exploded
#: one element a line (this process's answers so far).
_ELEMENT_VERDICTS: dict[tuple[tuple[str, str], str], bool] = {}
#: An element shape black keeps in any frame that it keeps: the frame's own verdict is this element's.
_ANY = "x,\n"
#: Placeholders of which a run of consecutive ones stands for as well as one: plain statements, imports, and
#: elements of one bracket. Black decides the blank lines before a line from its kind and the previous line's,
#: and lays out each of these lines by itself (an element line once its bracket is exploded, with two elements
#: at least either way: a bracket holding placeholders holds an element black lays out).
_MERGEABLE = re.compile(rf" *(?:import )?{_KEPT},?\n")


#: What black is asked about: a shape (frame None), or a frame with element shapes to judge in it.
_Probe = tuple[tuple[str, str] | None, tuple[str, ...]]


def _probe_text(probe: _Probe) -> str:
    frame, items = probe
    if frame is None:
        return items[0]
    head, tail = frame
    if len(items) == 1:  # two elements at least, or black may join the brackets (a one-tuple, a one-item subscript)
        special = items[0].startswith(("*", "/")) and head.startswith(("def ", "async def "))
        items = ("x,\n", *items) if special else items * 2  # `*,` twice does not parse; `x, *,` does
    return head + "".join(f"    {item}" for item in items) + tail


def _record(probe: _Probe, kept: bool) -> None:
    frame, items = probe
    if frame is None:
        _VERDICTS[items[0]] = kept
    else:
        _ELEMENT_VERDICTS.update({(frame, item): kept for item in items})


def _split(probe: _Probe) -> list[_Probe]:
    frame, items = probe
    middle = len(items) // 2
    return [(frame, items[:middle]), (frame, items[middle:])]


def _probes(whole: set[str], elements: dict[tuple[str, str], set[str]]) -> list[_Probe]:
    """What to ask black: each shape, and per frame its new element shapes in one statement (in a definition,
    each ``*``, ``**`` or ``/`` element in a statement of its own: the grammar allows one of each, in order)."""
    probes: list[_Probe] = [(None, (text,)) for text in sorted(whole)]
    for frame, items in sorted(elements.items()):
        ordered = sorted(items)
        if frame[0].startswith(("def ", "async def ")):
            special = [item for item in ordered if item.startswith(("*", "/"))]
            plain = tuple(item for item in ordered if not item.startswith(("*", "/")))
            probes += [(frame, (item,)) for item in special]
            if plain:
                probes.append((frame, plain))
        else:
            probes.append((frame, tuple(ordered)))
    return probes


def _settle(probes: list[_Probe], black: Callable[[str], str]) -> None:
    """Ask black about probes not yet judged: all at once, halving a group whose answer is not all "unchanged".

    ``def`` and ``class`` probes (which end with a body) are asked apart, two blank lines between them, as black
    puts them; imports apart (black puts a blank line after them).
    """
    texts = {probe: _probe_text(probe) for probe in probes}
    functions = [probe for probe in probes if texts[probe].endswith(":\n    x\n")]
    imports = [probe for probe in probes if probe not in functions and texts[probe].startswith(("import ", "from "))]
    others = [probe for probe in probes if probe not in functions and probe not in imports]
    pending = [(group, sep) for group, sep in ((functions, "\n\n"), (imports, ""), (others, "")) if group]
    while pending:
        group, separator = pending.pop()
        text = separator.join(texts.setdefault(probe, _probe_text(probe)) for probe in group)
        try:
            same = black(text) == text
        except Exception:  # a probe black cannot parse on its own: never kept
            same = False
        if same:
            for probe in group:
                _record(probe, True)
        elif len(group) > 1:
            middle = len(group) // 2
            pending += [(group[:middle], separator), (group[middle:], separator)]
        elif len(group[0][1]) > 1:
            pending += [([part], separator) for part in _split(group[0])]
        else:
            _record(group[0], False)


def _lay_out(
    found: list[Candidate], kept_ones: list[list[Element]], lines: list[str], black: Callable[[str], str]
) -> None:
    """Black's layout, once per run, of what black must lay out: the elements of an exploded statement no shape
    vouches for (within ``(`` and ``[``), and the other statements no shape vouches for (with their elements that
    stand aside kept out), all in one run of black."""
    items: list[tuple[list[str], int, bool]] = []
    elements: dict[tuple[tuple[str, str], str, str], list[str]] = {}
    statements: dict[str, list[tuple[int, str]]] = {}
    owners: list[tuple[tuple[str, str], str, str] | str] = []  # each item's element key or statement
    for c, kept_elements in zip(found, kept_ones, strict=True):
        if len(c.indent) % 4:
            continue
        kept = set(kept_elements)  # a set: statements of thousands of elements are common
        if c.frame is not None and _ELEMENT_VERDICTS[(c.frame, _ANY)]:
            keys = [(context(c.frame), c.indent, e.lines(lines, c.first)) for e in c.elements if e not in kept]
            if not any(key in ELEMENT_LAYOUTS and ELEMENT_LAYOUTS[key] is None for key in keys):
                for key in keys:
                    if key not in ELEMENT_LAYOUTS and key not in elements:
                        elements[key] = element_item(*key)
                        items.append((elements[key], len(c.indent) // 4, False))
                        owners.append(key)
                continue
        if c.laid_out or (c.frame is None and c.shape and not _VERDICTS[c.shape]) or len(kept) < len(c.elements):
            text = "".join(lines[c.first : c.last + 1])
            if text not in LAYOUTS and text not in statements:
                standing = _standing_elements(c, kept_elements)
                statements[text] = stand_ins = [(e.row, _element_placeholder(c)) for e in standing]
                items.append((statement_item(text, stand_ins), len(c.indent) // 4, c.placeholder.endswith(":")))
                owners.append(text)
    if not items:
        return
    for owner, output in zip(owners, apart(items, black), strict=True):
        if isinstance(owner, str):
            LAYOUTS[owner] = statement_layout(owner, statements[owner], output)
        else:
            ELEMENT_LAYOUTS[owner] = element_layout(elements[owner], owner[2], output)


def _stand_ins(
    candidate: Candidate, elements: list[Element], lines: list[str]
) -> list[tuple[int, int, str, str | None]]:
    """What of a candidate stands aside: (first line, last line, placeholder, black's layout of those lines or None
    when it leaves them as they are) for the whole statement (as it is, or laid out: as a whole, or element by
    element), or else for each element judged kept (``elements``; within ``(`` and ``[``: a placeholder name is an
    element there).
    """
    whole = (candidate.first, candidate.last, f"{candidate.indent}{candidate.placeholder}\n", None)
    if candidate.frame is None and not candidate.laid_out and (not candidate.shape or _VERDICTS[candidate.shape]):
        return [whole]
    if elements and len(elements) == len(candidate.elements):
        return [whole]
    layout = _assembled(candidate, lines, elements) or LAYOUTS.get("".join(lines[candidate.first : candidate.last + 1]))
    if layout is not None:
        return [(candidate.first, candidate.last, whole[2], layout)]
    first, placeholder = candidate.first, _element_placeholder(candidate)
    return [(first + e.row, first + e.row, placeholder, None) for e in _standing_elements(candidate, elements)]


def _assembled(candidate: Candidate, lines: list[str], kept: list[Element]) -> str | None:
    """An exploded statement laid out element by element: its frame as it is, each element as it is or as black
    lays it out in that frame; None when an element's layout is not known."""
    if candidate.frame is None or not _ELEMENT_VERDICTS[(candidate.frame, _ANY)]:
        return None
    parts = [lines[candidate.first]]
    kept_ones = set(kept)
    for e in candidate.elements:
        text = e.lines(lines, candidate.first)
        layout = text if e in kept_ones else ELEMENT_LAYOUTS.get((context(candidate.frame), candidate.indent, text))
        if layout is None:
            return None
        parts.append(layout)
    parts.append(lines[candidate.last])
    return "".join(parts)


def _kept_elements(candidate: Candidate) -> list[Element]:
    """The elements of a candidate black leaves as they are."""
    if candidate.frame is None:
        return []
    return [e for e in candidate.elements if e.shape and _ELEMENT_VERDICTS[(candidate.frame, e.shape)]]


def _standing_elements(candidate: Candidate, kept: list[Element]) -> list[Element]:
    """The elements of a candidate black leaves as they are (``kept``), where placeholder names may stand for them
    while black lays out the rest (within ``(`` and ``[``: a name is an element there, not in a dictionary)."""
    return kept if candidate.frame is not None and candidate.frame[0][-2] in "([" else []


def _element_placeholder(candidate: Candidate) -> str:
    return f"{candidate.indent}    {_KEPT},\n"


def format_keeping_lines(source: str, black: Callable[[str], str]) -> str:
    """``black(source)``, with the statements black would leave as they are kept out of its way."""
    if _KEPT in source or "fmt:" in source or "\f" in source or continued(source):
        return black(source)
    black = remembering(black)
    lines = source.splitlines(keepends=True)
    found = read_candidates(source, lines)
    whole = {c.shape for c in found if c.frame is None and c.shape and c.shape not in _VERDICTS}
    elements: dict[tuple[str, str], set[str]] = {}
    for c in found:
        if c.frame is not None:
            new = {e.shape for e in c.elements if e.shape and (c.frame, e.shape) not in _ELEMENT_VERDICTS}
            if (c.frame, _ANY) not in _ELEMENT_VERDICTS:
                new.add(_ANY)  # whether black leaves the frame as it is (asked with any element)
            if new:
                elements.setdefault(c.frame, set()).update(new)
    _settle(_probes(whole, elements), black)
    kept_ones = [_kept_elements(c) for c in found]
    _lay_out(found, kept_ones, lines, black)
    # What stands aside, in order: (first line, last line, placeholder line, the texts it stands for).
    kept: list[tuple[int, int, str, list[str]]] = []
    last_row, last_placeholder = -2, ""
    for c, kept_elements in zip(found, kept_ones, strict=True):
        stand_ins: list[tuple[int, int, str, str | None]]
        if c.frame is None and not c.laid_out and (not c.shape or _VERDICTS[c.shape]):
            stand_ins = [(c.first, c.last, f"{c.indent}{c.placeholder}\n", None)]  # the whole statement as it is
        else:
            stand_ins = _stand_ins(c, kept_elements, lines)
        for first, last, placeholder, layout in stand_ins:
            text = layout if layout is not None else lines[first] if first == last else "".join(lines[first : last + 1])
            if last_row + 1 == first and last_placeholder == placeholder and _mergeable(placeholder):
                kept[-1][3].append(text)  # black sees one line for several
                kept[-1] = (kept[-1][0], last, placeholder, kept[-1][3])
            else:
                kept.append((first, last, placeholder, [text]))
            last_row, last_placeholder = last, placeholder
    if not kept:
        return black(source)
    reduced: list[str] = []
    originals: list[tuple[str, str]] = []  # (placeholder line, the lines it stands for)
    row = 0
    for first, last, placeholder, texts in kept:
        reduced.extend(lines[row:first])
        if not placeholder.endswith(",\n"):
            # Black keeps at most two blank lines before a statement at depth 0, one deeper: more are dropped here
            # (a module black leaves as it is is formatted once). These lines are in no string or bracket: a
            # statement starts after them.
            allowed = 2 if placeholder[0] != " " else 1
            while len(reduced) > allowed and reduced[-1] == "\n" and reduced[-allowed - 1 :] == ["\n"] * (allowed + 1):
                reduced.pop()
        reduced.append(placeholder)
        originals.append((placeholder, texts[0] if len(texts) == 1 else "".join(texts)))
        row = last + 1
    reduced.extend(lines[row:])
    # Black drops blank lines at the start and the end of a module: without them, a module it leaves as it is
    # is formatted once, not twice (black runs again on what it changed).
    start, end = 0, len(reduced)
    while start < end and reduced[start] == "\n":
        start += 1
    while end > start and reduced[end - 1] == "\n":
        end -= 1
    output = black("".join(reduced[start:end]))
    if not plain(output):
        return _put_back(output, originals, source, black)
    # Lines end at "\n" only: each placeholder is found where it stands, the text between copied as it is.
    parts = []
    at = 0
    for placeholder, original in originals:
        hit = output.find(_KEPT, at)
        if hit < 0:
            return black(source)
        line = output.rfind("\n", 0, hit) + 1
        if not output.startswith(placeholder, line):
            return black(source)  # black moved a placeholder: never expected, but then black decides it all
        parts.append(output[at:line])
        parts.append(original)
        at = line + len(placeholder)
    if _KEPT in output[at:]:
        return black(source)
    parts.append(output[at:])
    return "".join(parts)


#: Placeholder line → whether a run of it stands for as well as one (``_MERGEABLE``).
_MERGEABLE_LINES: dict[str, bool] = {}


def _mergeable(placeholder: str) -> bool:
    found = _MERGEABLE_LINES.get(placeholder)
    if found is None:
        found = _MERGEABLE_LINES[placeholder] = _MERGEABLE.match(placeholder) is not None
    return found


def _put_back(output: str, originals: list[tuple[str, str]], source: str, black: Callable[[str], str]) -> str:
    """Black's output for the reduced module with each placeholder's lines put back, line by line."""
    pending = iter(originals)
    result = []
    for line in output.splitlines(keepends=True):
        if _KEPT in line:
            placeholder, original = next(pending, ("", ""))
            if line != placeholder:
                return black(source)  # black moved a placeholder: never expected, but then black decides it all
            line = original
        result.append(line)
    if next(pending, None) is not None:
        return black(source)
    return "".join(result)
