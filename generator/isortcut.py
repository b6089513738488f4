"""Where isort has work to do in a module: the stretches around its imports, so that the rest never goes through it.

isort reads a module line by line and only ever changes runs of import lines
(with the comments and blank lines among them, and the one line after a
top-level run, which decides the blank lines after it); it copies every other
line as it is. Most of its time goes into following quotes through every line
of a module, which for a generated module is nearly all of it. ``regions``
returns the stretches that isort has to see, so that

    isort(source) == the regions sorted one by one, the text between them as it is

holds byte for byte. A region starts at the module's beginning or at an import
line where isort is in its resting state (outside any string, no run of
imports or comments pending: the line before is no comment) and ends after the
first line that is neither blank, a comment nor an import once all its imports
are done (isort has then written everything out and rests again). Between
regions there is no import line outside a string, so isort would copy that
text. Anything that steers isort otherwise (``isort:`` directives, a bare
``yield`` or a backslash at a line's end, which make it read lines without
looking at them, carriage returns, no final newline) makes the whole module one
region.

Most regions of a client module are one indented import of one name (the
imports of its cached properties). What isort makes of that is fixed: the
line as it is when it fits in 88 columns, else the name alone on a line in
parentheses; ``sort_in_regions`` writes that itself. Tests prove all of this
against isort on every golden and corpus module and on generated modules
(tests/gen/test_isortcut.py).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

#: How isort recognises an import line (``IMPORT_START_IDENTIFIERS`` of isort.core, after ``str.strip``).
_IMPORT_LINE = re.compile(r"^[^\S\n]*(?:from |from\.import|import |import\*|cimport |cimport\*|from\.cimport)", re.M)
#: The same after a line break: a search for a pattern that starts with a character skips to it, one from ``^`` tries
#: every position.
_IMPORT_AFTER_BREAK = re.compile(r"\n[^\S\n]*(?:from |from\.import|import |import\*|cimport |cimport\*|from\.cimport)")
#: What isort follows quotes through: comments (it stops at ``#``) and strings (it skips a backslash's next
#: character; prefixes do not matter to it).
_STRING = re.compile(r"""\#[^\n]*|('''|\"\"\"|'|")(?:\\.|(?!\1)[^\\])*\1""", re.S)
_TRIPLE = re.compile(r"'''|\"\"\"")
#: Lines on which isort reads on without looking (see ``isort.core.process``).
_YIELD_ALONE = re.compile(r"^[^\S\n]*yield[^\S\n]*$", re.M)
_BACKSLASH_AT_END = re.compile(r"\\[^\S\n]*(?:\n|$)")


def strings_across_lines(source: str, until: int | None = None) -> tuple[list[int], list[int]]:
    """Where each string that goes on to another line starts and ends, in order, up to ``until``.

    For a module without line continuations, where only a triple-quoted string can go on: only the lines
    that hold three quotes are read (from their start, or from the end of the string before).
    """
    opened: list[int] = []
    closed: list[int] = []
    last = len(source) if until is None else until
    at = 0
    while (hit := _TRIPLE.search(source, at)) is not None and hit.start() <= last:
        line = source.rfind("\n", 0, hit.start()) + 1
        for match in _STRING.finditer(source, max(line, at)):
            if match.end() > hit.start():  # the string (or comment) the three quotes open or are part of
                if match.group(1) and "\n" in match.group():
                    opened.append(match.start())
                    closed.append(match.end())
                at = match.end()
                break
        else:
            break
    return opened, closed


def _whole(source: str) -> bool:
    return (
        "isort" in source
        or "\r" in source
        or not source.endswith("\n")
        or ("yield" in source and _YIELD_ALONE.search(source) is not None)
        or ("\\" in source and _BACKSLASH_AT_END.search(source) is not None)
    )


def import_lines(source: str) -> list[int]:
    """Where each line that ``_IMPORT_LINE`` matches starts, in order."""
    starts = [match.start() + 1 for match in _IMPORT_AFTER_BREAK.finditer(source)]
    return [0, *starts] if _IMPORT_LINE.match(source) else starts


#: A line that starts with something at column 0 other than a comment, after a line break (for ``split_blocks``).
_COLUMN_0 = re.compile(r"\n[^ \t\n#]")


def class_lines(source: str) -> list[int]:
    """Where each line that starts with ``class `` starts, in order."""
    found = [0] if source.startswith("class ") else []
    at = source.find("\nclass ")
    while at >= 0:
        found.append(at + 1)
        at = source.find("\nclass ", at + 1)
    return found


def column_0_lines(source: str) -> list[int]:
    """Where each line that starts with something at column 0 other than a comment starts, in order."""
    found = [match.start() + 1 for match in _COLUMN_0.finditer(source)]
    return [0, *found] if source[:1] and source[0] not in " \t\n#" else found


def regions(source: str) -> list[tuple[int, int]]:
    """The stretches ``(start, end)`` of ``source`` isort has to see, in order, not overlapping."""
    if _whole(source):
        return [(0, len(source))]
    starts = import_lines(source)
    # Strings that hold a line break, as isort follows them: an import line inside one is text, not an import.
    opened, closed = strings_across_lines(source, starts[-1]) if starts else ([], [])

    def in_string(offset: int) -> bool:
        index = bisect.bisect_right(opened, offset) - 1
        return index >= 0 and opened[index] < offset < closed[index]

    imports = {start for start in starts if not in_string(start)}
    continued: dict[int, int] = {}  # import statement → how many lines isort reads on after its first
    read_on = [0]  # the sum of ``continued``

    def line_end(offset: int) -> int:
        end = source.find("\n", offset)
        return len(source) if end < 0 else end + 1

    def statement_end(offset: int) -> int:
        """The end of the import statement starting at ``offset``, read on as isort reads it."""
        first, lines = offset, 0
        end = line_end(offset)
        code = source[offset:end].strip().split("#")[0]
        if "(" in code:
            while ")" not in code and end < len(source):
                offset, end = end, line_end(end)
                code = source[offset:end].strip().split("#")[0]
                lines += 1
        if first not in continued:
            continued[first] = lines
            read_on[0] += lines
        return end

    def run_end(offset: int) -> int:
        """The end of the first line from ``offset`` on that ends a run: not blank, no comment, no import."""
        while offset < len(source):
            if offset in imports:
                offset = statement_end(offset)
                continue
            end = line_end(offset)
            stripped = source[offset:end].strip()
            if stripped and not stripped.startswith("#"):
                return end
            offset = end
        return len(source)

    def comment(offset: int) -> bool:
        return offset < len(source) and source[offset : line_end(offset)].strip().startswith("#")

    found: list[tuple[int, int]] = []
    lines_before = [0, 0]  # an offset, and how many lines start before it
    start, end = 0, run_end(0)
    for line in sorted(imports):
        if line < end:
            continue
        # isort numbers the lines it reads one by one; the lines of a statement after its first have no number.
        lines_before[1] += source.count("\n", lines_before[0], line)
        lines_before[0] = line
        number = lines_before[1] - read_on[0]
        second = statement_end(line)
        if (
            comment(source.rfind("\n", 0, line - 1) + 1)  # isort holds a comment before an import with it
            or comment(second)  # near a start, isort takes a comment for the module's own leading comment
            or comment(line_end(second))
            or number < 3
        ):
            end = run_end(line)
            continue
        found.append((start, end))
        start, end = line, run_end(line)
    found.append((start, end))
    return found


def sort_in_regions(source: str, sort: Callable[[str], str]) -> str:
    """``sort(source)`` for isort's ``sort``, with ``sort`` seeing only ``regions(source)``."""
    parts = []
    done = 0
    for start, end in regions(source):
        parts.append(source[done:start])
        region = source[start:end]
        if _IMPORT_LINE.search(region) is None:  # the module's opening lines, with no import: isort copies them
            parts.append(region)
        else:
            parts.append(_one_import(region) or sort(region))
        done = end
    parts.append(source[done:])
    return "".join(parts)


_LINE_LENGTH = 88
#: One indented import of one name from a module, the blank lines after it, and the line that ends the run.
_ONE_IMPORT = re.compile(
    r"(?P<indent> +)from (?P<module>\.*[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*) import "
    r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)\n(?P<rest>(?: *\n)*[^\n]*\n)"
)


def _one_import(region: str) -> str | None:
    """What isort makes of a region that is one indented import of one name; None for any other region."""
    match = _ONE_IMPORT.fullmatch(region)
    if match is None or match["name"].startswith("__") or match["module"].startswith("__"):
        return None
    last = match["rest"].rsplit("\n", 2)[-2].strip()
    if not last or last.startswith("#") or _IMPORT_LINE.match(last):  # no line that ends the run
        return None
    indent, module, name = match["indent"], match["module"], match["name"]
    line = f"{indent}from {module} import {name}\n"
    if len(line) - 1 > _LINE_LENGTH:
        line = f"{indent}from {module} import (\n{indent}    {name},\n{indent})\n"
    return line + match["rest"]
