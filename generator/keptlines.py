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
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable
from dataclasses import dataclass

#: Part of the formatter's identity in the cache: a change to what stands aside changes it.
KEPT_LINES_VERSION = 1
#: The placeholder standing for a kept line; a module holding it is formatted by black as a whole.
_KEPT = "_clientgen_kept_line_"
_LINE_LENGTH = 88
_SCAN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
    | (?P<string>[A-Za-z]{0,2}(?P<quote>'''|\"\"\"|'|")(?:\\.|(?!(?P=quote))[^\\])*(?P=quote))
    | (?P<open>[(\[{])
    | (?P<close>[)\]}])
    | (?P<newline>\n)
    """,
    re.VERBOSE | re.DOTALL,
)
#: Statements that may stand aside: a plain name first (an expression, an assignment, an annotation), or one of
#: these keywords (kept in the placeholder, so that black sees the same kind of statement there).
_KEYWORDS = frozenset({"return", "raise", "await", "del", "assert"})
_RESERVED = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist)
_FIRST_WORD = re.compile(r"( *)([A-Za-z_][A-Za-z0-9_]*)")
_SHAPE = re.compile(
    r"""
    (?P<string>(?P<prefix>[A-Za-z]{0,2})(?P<quote>'''|\"\"\"|'|")(?P<body>(?:\\.|(?!(?P=quote))[^\\])*)(?P=quote))
    | (?P<number>\.?[0-9][0-9A-Za-z_.]*(?:(?<=[eE])[-+][0-9_]+[0-9A-Za-z_.]*)*)
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    """,
    re.VERBOSE | re.DOTALL,
)

_OTHER_BREAKS = frozenset("\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


@dataclass(frozen=True)
class Candidate:
    """A statement that may stand aside: its first and last line, indentation, placeholder and shape."""

    first: int
    last: int
    indent: str
    placeholder: str
    shape: str = ""  # empty for a string statement (judged here, not by black)


#: Shape of a line → whether black leaves it as it is (this process's answers so far).
_VERDICTS: dict[str, bool] = {}


def _shape_token(match: re.Match[str]) -> str:
    if match.lastgroup == "name":
        text = match.group()
        return text if text in _RESERVED or text.startswith("__") else "x"
    if match.lastgroup == "string":
        body, quote = match.group("body"), match.group("quote")
        plain = match.group("prefix") == "" and not any(char in body for char in "\\'\"")
        return f"{quote}{quote}" if plain and len(quote) == 1 else match.group()
    return match.group()


def shape(statement: str) -> str:
    """A one-line statement (without its indentation) with its plain names and plain string bodies reduced."""
    return _SHAPE.sub(_shape_token, statement)


def _string_kept(value: str, depth: int) -> bool:
    """Whether black leaves a ``\"\"\"`` string statement as it is, wherever it stands: as a docstring (the
    steps of black's ``visit_STRING`` for a plain triple-quoted string) or as a plain expression (untouched)."""
    from black.strings import fix_multiline_docstring

    body = value[3:-3]
    if not body or "\\" in value or "\t" in value or any(char in value for char in _OTHER_BREAKS):
        return False
    indent = " " * 4 * depth
    text = fix_multiline_docstring(body, indent) if "\n" in body else body.strip()
    if not text:
        text = " "
    else:
        if text[0] == '"':
            text = " " + text
        if text[-1] == '"':
            text += " "
    lines = text.splitlines()
    last = len(lines[-1]) if not text.endswith("\n") else 0
    if len(lines) > 1 and last + 3 > _LINE_LENGTH and len(indent) + 3 <= _LINE_LENGTH and value[-4] != "\n":
        return False  # black moves the closing quotes to a line of their own
    return f'"""{text}"""' == value


def candidates(source: str) -> list[Candidate]:
    """Statements that could stand aside, in order.

    A candidate is either a whole statement (or a ``def`` line) of lines of at
    most 88 columns (ASCII, so columns are characters), with no comment, no
    semicolon, no backslash and no string going on to another line, that starts
    with a plain name, one of ``_KEYWORDS`` or ``def``; or a ``\"\"\"`` string alone
    on its lines (a docstring) that black would leave as it is.
    """
    lines = source.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    unusable = bytearray(len(lines) + 1)
    ends_open = bytearray(len(lines) + 1)  # the line ends inside brackets
    strings: list[Candidate] = []
    depth = 0
    row = 0
    for match in _SCAN.finditer(source):
        kind = match.lastgroup
        if kind == "newline":
            ends_open[row] = depth > 0
            row += 1
        elif kind == "open":
            depth += 1
        elif kind == "close":
            depth -= 1
        elif kind == "comment":
            unusable[row] = 1
        else:
            value = match.group()
            newlines = value.count("\n")
            indent = source[starts[row] : match.start()]
            if (
                depth == 0
                and value.startswith('"""')
                and not indent.strip(" ")
                and len(indent) % 4 == 0
                and source[match.end() : match.end() + 1] == "\n"
                and (newlines or match.end() - starts[row] <= _LINE_LENGTH)
                and _string_kept(value, len(indent) // 4)
            ):
                strings.append(Candidate(row, row + newlines, indent, f'"""{_KEPT}"""'))
            if newlines:
                for index in range(row, row + newlines + 1):
                    unusable[index] = 1
                    ends_open[index] = 1
                row += newlines
    found: list[Candidate] = []
    index = 0
    while index < len(lines):
        first = index
        while ends_open[index] and index + 1 < len(lines):
            index += 1
        last = index
        index += 1
        if first and ends_open[first - 1]:
            continue  # inside a string or brackets: no statement starts here
        statement = lines[first : last + 1]
        if any(unusable[row] for row in range(first, last + 1)) or not all(
            line.endswith("\n") and len(line) <= _LINE_LENGTH + 1 and line.isascii() for line in statement
        ):
            continue
        text = "".join(statement)
        word = _FIRST_WORD.match(text)
        if word is None or ";" in text or "\\" in text or "\t" in text:
            continue
        indent, name = word.groups()
        if any(not line.startswith(indent) for line in statement):
            continue
        header = text.rstrip().endswith(":")
        if name in ("from", "import"):
            if header or "__future__" in text:  # future imports change how black reads the module
                continue
            placeholder = f"import {_KEPT}"
        elif name == "class":
            if not header or text.rstrip().endswith("..."):
                continue
            placeholder = f"class {_KEPT}:"
        elif name in ("def", "async"):
            if not header or not re.match(r" *(async )?def ", text) or text.rstrip().endswith("..."):
                continue
            placeholder = f"{'async ' if name == 'async' else ''}def {_KEPT}():"
        elif header:
            continue
        elif name in _KEYWORDS:
            if text[word.end() : word.end() + 1] != " ":
                continue
            placeholder = f"{name} {_KEPT}"
        elif name in _RESERVED:
            continue
        else:
            placeholder = _KEPT
        dedented = "".join(line[len(indent) :] for line in statement)
        found.append(Candidate(first, last, indent, placeholder, shape(dedented) + ("    x\n" if header else "")))
    return sorted(found + strings, key=lambda candidate: candidate.first)


def _settle(shapes: list[str], black: Callable[[str], str]) -> None:
    """Ask black about shapes not yet judged: all at once, halving a group whose answer is not all "unchanged".

    ``def`` shapes (which end with a body) are asked apart, two blank lines between them, as black puts them.
    """
    functions = [text for text in shapes if text.endswith(":\n    x\n")]
    others = [text for text in shapes if not text.endswith(":\n    x\n")]
    pending = [(group, separator) for group, separator in ((functions, "\n\n"), (others, "")) if group]
    while pending:
        group, separator = pending.pop()
        text = separator.join(group)
        try:
            same = black(text) == text
        except Exception:  # a shape black cannot parse on its own: never kept
            same = False
        if same:
            _VERDICTS.update(dict.fromkeys(group, True))
        elif len(group) == 1:
            _VERDICTS[group[0]] = False
        else:
            middle = len(group) // 2
            pending += [(group[:middle], separator), (group[middle:], separator)]


def format_keeping_lines(source: str, black: Callable[[str], str]) -> str:
    """``black(source)``, with the statements black would leave as they are kept out of its way."""
    if _KEPT in source or "fmt:" in source or "\\\n" in source or "\f" in source:
        return black(source)
    found = candidates(source)
    _settle(sorted({c.shape for c in found if c.shape and c.shape not in _VERDICTS}), black)
    kept = [c for c in found if not c.shape or _VERDICTS[c.shape]]
    if not kept:
        return black(source)
    lines = source.splitlines(keepends=True)
    reduced: list[str] = []
    originals: list[tuple[str, str]] = []  # (placeholder line, the lines it stands for)
    row = 0
    for candidate in kept:
        reduced.extend(lines[row : candidate.first])
        placeholder = f"{candidate.indent}{candidate.placeholder}\n"
        reduced.append(placeholder)
        originals.append((placeholder, "".join(lines[candidate.first : candidate.last + 1])))
        row = candidate.last + 1
    reduced.extend(lines[row:])
    pending = iter(originals)
    result = []
    for line in black("".join(reduced)).splitlines(keepends=True):
        if _KEPT in line:
            placeholder, original = next(pending, ("", ""))
            if line != placeholder:
                return black(source)  # black moved a placeholder: never expected, but then black decides it all
            line = original
        result.append(line)
    if next(pending, None) is not None:
        return black(source)
    return "".join(result)
