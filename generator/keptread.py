"""What may stand aside in a block (``generator/keptlines.py``): its statements, read as candidates, with their shapes.

A block is read line by line, and each line's text is read once for the
life of the process (``_scan_line``): the lines of generated code repeat
thousands of times across a package's blocks. Where a string goes on to
another line, the block is read on from that line's start as a whole
(``_scan``), as a block with line breaks other than ``\n`` is read from its
start. Each statement's text is judged once too (``_template``): whether it
may stand aside, its placeholder, and its shape or, exploded one element a
line, its frame and its elements' shapes, their lines counted from the
statement's first. Tests prove that reading line by line finds what reading
at once finds (tests/gen/test_keptlines.py).
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable
from typing import Any, NamedTuple

from generator import prelaid
from generator.laidout import KEPT

_KEPT = KEPT
_LINE_LENGTH = 88
#: Comments, strings (from their opening quote: a prefix holds no bracket, quote nor line break), brackets and line
#: breaks. The lookahead lets the regex engine skip to the next character that can start one.
_SCAN = re.compile(
    r"""
    (?=[\#'"()\[\]{}\n])
    (?:
      (?P<comment>\#[^\n]*)
    | (?P<string>
        '''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''
      | \"\"\"[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*\"\"\"
      | '[^'\\]*(?:\\.[^'\\]*)*'
      | "[^"\\]*(?:\\.[^"\\]*)*"
      )
    | (?P<open>[(\[{])
    | (?P<close>[)\]}])
    | (?P<newline>\n)
    )
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
_OTHER_BREAK = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


class Element(NamedTuple):
    """An element of a statement exploded one element a line: its (first) line, counted from its statement's first
    line, and its shape, empty when it is not judged here (on several lines, or on a line black must lay out).
    Counted from the statement's line, the elements of a statement are the same wherever it stands."""

    row: int
    shape: str
    last: int = -1  # its last line (its first when it has one)

    def lines(self, lines: list[str], first: int) -> str:
        """Its lines, in a block's ``lines`` where its statement starts at line ``first``."""
        return "".join(lines[first + self.row : first + max(self.row, self.last) + 1])


class Candidate(NamedTuple):
    """A statement that may stand aside: its first and last line, indentation, placeholder and shape."""

    first: int
    last: int
    indent: str
    placeholder: str
    shape: str = ""  # empty for a string statement (judged here, not by black)
    #: For a statement exploded one element a line (``_exploded``): its frame, the shapes of its opening line and
    #: of its closing line (a header's body included), and each element line's shape; judged element by element.
    frame: tuple[str, str] | None = None
    elements: tuple[Element, ...] = ()
    #: A statement with a line black must lay out: never kept, but laid out by black once per run (``_layouts``).
    laid_out: bool = False


_OPENERS = {"(": ")", "[": "]", "{": "}"}


def _shape_token(match: re.Match[str]) -> str:
    if match.lastgroup == "name":
        text = match.group()
        return text if text in _RESERVED or text.startswith("__") else "x"
    if match.lastgroup == "string":
        body, quote = match.group("body"), match.group("quote")
        simple = match.group("prefix") == "" and not any(char in body for char in "\\'\"")
        return f"{quote}{quote}" if simple and len(quote) == 1 else match.group()
    return match.group()


def shape(statement: str) -> str:
    """A one-line statement (without its indentation) with its plain names and plain string bodies reduced."""
    found = _SHAPES.get(statement)
    if found is None:
        found = _SHAPE.sub(_shape_token, statement)
        _remember(_SHAPES, statement, found)
    return found


#: What a text alone decides, remembered for the life of the process: the same lines and docstrings come back
#: thousands of times in a package's blocks. Each is forgotten whole when it holds ``_MEMO_MAX`` entries.
_SHAPES: dict[str, str] = {}
_ELEMENT_SHAPES: dict[str, str] = {}  # an element line as it stands → its shape, or "" when not judged by shape
_STRINGS_KEPT: dict[tuple[str, int], bool] = {}
_MEMO_MAX = 200_000
_fix_multiline_docstring: list[Callable[[str, str], str]] = []  # black's, imported on first use


def _remember(memo: dict[Any, Any], text: Any, value: Any) -> None:
    if len(memo) >= _MEMO_MAX:
        memo.clear()
    memo[text] = value


def _string_kept(value: str, depth: int) -> bool:
    """Whether black leaves a ``\"\"\"`` string statement as it is, wherever it stands: as a docstring (the
    steps of black's ``visit_STRING`` for a plain triple-quoted string) or as a plain expression (untouched)."""
    found = _STRINGS_KEPT.get((value, depth))
    if found is None:
        found = _judge_string(value, depth)
        _remember(_STRINGS_KEPT, (value, depth), found)
    return found


def _judge_string(value: str, depth: int) -> bool:
    if not _fix_multiline_docstring:
        from black.strings import fix_multiline_docstring

        _fix_multiline_docstring.append(fix_multiline_docstring)
    body = value[3:-3]
    if not body or "\\" in value or "\t" in value or any(char in value for char in _OTHER_BREAKS):
        return False
    indent = " " * 4 * depth
    text = _fix_multiline_docstring[0](body, indent) if "\n" in body else body.strip()
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


def _fits(line: str) -> bool:
    return len(line) <= _LINE_LENGTH + 1 and line.isascii()


def candidates(source: str) -> list[Candidate]:
    """Statements that could stand aside, in order.

    A candidate is either a whole statement (or a ``def`` line) of lines of at
    most 88 columns (ASCII, so columns are characters), with no comment, no
    semicolon, no backslash and no string going on to another line, that starts
    with a plain name, one of ``_KEYWORDS`` or ``def``; or a ``\"\"\"`` string alone
    on its lines (a docstring) that black would leave as it is.
    """
    return read_candidates(source, source.splitlines(keepends=True))


def read_candidates(source: str, lines: list[str]) -> list[Candidate]:
    """``candidates(source)``, for ``source`` split in ``lines`` (with their line breaks)."""
    count = len(lines)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    unusable = bytearray(count + 1)
    ends_open = bytearray(count + 1)  # the line ends inside brackets
    ends_at = [0] * (count + 1)  # how deep in brackets the line ends
    strings: list[Candidate] = []
    newlines_only = plain(source)
    if not newlines_only:  # rows are counted at "\n" only, lines at any line break: the whole source is read at once
        _scan(source, 0, 0, 0, starts, unusable, ends_open, ends_at, strings, one_line=False)
    else:
        # Line by line, each line's text read once for the whole process: the lines of generated code repeat.
        depth = 0
        row = 0
        while row < count:
            line = lines[row]
            scanned = _LINES.get(line, _UNREAD)
            if scanned is _UNREAD:
                scanned = _scan_line(line)
                _remember(_LINES, line, scanned)
            if scanned is None:  # a string goes on to another line: read on from here, as far as the line's end
                row, depth, more = _scan(source, starts[row], depth, row, starts, unusable, ends_open, ends_at, strings)
                if not more:
                    break
                continue
            delta, comment, docstring = scanned
            if comment:
                unusable[row] = 1
            if docstring is not None and depth == 0 and _string_kept(docstring[1], len(docstring[0]) // 4):
                strings.append(Candidate(row, row, docstring[0], f'"""{_KEPT}"""'))
            depth += delta
            if line.endswith("\n"):
                ends_open[row] = depth > 0
                ends_at[row] = depth
            row += 1
    found: list[Candidate] = []
    index = 0
    while index < count:
        first = index
        while ends_open[index] and index + 1 < count:
            index += 1
        last = index
        index += 1
        if first and ends_open[first - 1]:
            continue  # inside a string or brackets: no statement starts here
        if unusable.find(1, first, last + 1) >= 0:
            continue
        if not newlines_only or (first != last and first and ends_at[first - 1]):
            # Rows are counted at "\n" only, or brackets closed that no line opened: judged apart, not remembered.
            template = _template(lines[first : last + 1], ends_at[first : last + 1])
        else:
            text = lines[first] if first == last else "".join(lines[first : last + 1])
            template = _TEMPLATES.get(text, _UNJUDGED)
            if template is _UNJUDGED:
                template = _template(lines[first : last + 1], ends_at[first : last + 1])
                _remember(_TEMPLATES, text, template)
        if template is not None:
            found.append(Candidate(first, last, *template))
    if not strings:
        return found
    return sorted(found + strings, key=lambda candidate: candidate.first)


#: A line as it stands → what reading it says (``_scan_line``), this process's so far.
_LINES: dict[str, tuple[int, bool, tuple[str, str] | None] | None] = {}
_UNREAD = (0, False, None)
#: ``_SCAN``, and a quote that opens no string the line closes.
_LINE_SCAN = re.compile(
    _SCAN.pattern.replace("| (?P<newline>\\n)", "| (?P<newline>\\n)\n    | (?P<stray>['\"])"), _SCAN.flags
)


def _scan_line(line: str) -> tuple[int, bool, tuple[str, str] | None] | None:
    """What ``_scan`` reads in one line from its start, outside any string and bracket: how much deeper in
    brackets it ends, whether it holds a comment, and (indentation, string) for a ``\"\"\"`` string alone on it (a
    docstring, if it stands outside brackets); None when a string may go on past the line's end."""
    delta = 0
    comment = False
    docstring = None
    for match in _LINE_SCAN.finditer(line):
        kind = match.lastgroup
        if kind == "open":
            delta += 1
        elif kind == "close":
            delta -= 1
        elif kind == "comment":
            comment = True
        elif kind == "string":
            value = match.group()
            end = match.end()
            if "\n" in value or (len(value) == 2 and line[end : end + 1] == value[0]):
                return None  # three quotes the line does not close
            if value.startswith('"""') and line[end : end + 1] == "\n" and end <= _LINE_LENGTH:
                indent = line[: match.start()]
                if not indent.strip(" ") and len(indent) % 4 == 0:
                    docstring = (indent, value)
        elif kind == "stray":
            return None
    return delta, comment, docstring


def _scan(
    source: str,
    start: int,
    depth: int,
    row: int,
    starts: list[int],
    unusable: bytearray,
    ends_open: bytearray,
    ends_at: list[int],
    strings: list[Candidate],
    one_line: bool = True,
) -> tuple[int, int, bool]:
    """Read ``source`` from ``start`` (line ``row``'s start, ``depth`` deep in brackets), marking each line's
    comments, multi-line strings and depth at its end and finding docstrings, to the end of the first line that
    ends outside strings if ``one_line``, else to the end: (the next line, its depth, whether any is left)."""
    for match in _SCAN.finditer(source, start):
        kind = match.lastgroup
        if kind == "newline":
            ends_open[row] = depth > 0
            ends_at[row] = depth
            row += 1
            if one_line:
                return row, depth, True
        elif kind == "open":
            depth += 1
        elif kind == "close":
            depth -= 1
        elif kind == "comment":
            unusable[row] = 1
        else:
            value = match.group()
            newlines = value.count("\n")
            if depth == 0 and value.startswith('"""'):
                indent = source[starts[row] : match.start()]
                if (
                    not indent.strip(" ")
                    and len(indent) % 4 == 0
                    and source[match.end() : match.end() + 1] == "\n"
                    and (newlines or match.end() - starts[row] <= _LINE_LENGTH)
                    and _string_kept(value, len(indent) // 4)
                ):
                    strings.append(Candidate(row, row + newlines, indent, f'"""{_KEPT}"""'))
            if newlines:
                unusable[row : row + newlines + 1] = b"\1" * (newlines + 1)
                ends_open[row : row + newlines + 1] = b"\1" * (newlines + 1)
                row += newlines
    return row, depth, False


#: A candidate but for its lines: (indent, placeholder, shape, frame, elements, laid out).
_Template = tuple[str, str, str, tuple[str, str] | None, tuple[Element, ...], bool]
#: What ``_template`` makes of a statement's text (this process's so far): the same statements come back in many
#: blocks. None: no candidate.
_TEMPLATES: dict[str, _Template | None] = {}
_UNJUDGED: _Template = ("", "", "", None, (), False)


def _template(statement: list[str], ends_at: list[int]) -> _Template | None:
    """A candidate for a statement (its lines as they stand, how deep in brackets each ends) but for its lines;
    None when it is none."""
    text = "".join(statement)
    if text.count("\n") != len(statement):  # a line ends with no "\n" (each holds at most one, at its end)
        return None
    word = _FIRST_WORD.match(text)
    if word is None or ";" in text or "\\" in text or "\t" in text:
        return None
    indent, name = word.groups()
    if indent and text.count("\n" + indent) != len(statement) - 1:  # a line after the first is less indented
        return None
    stripped = text.rstrip()
    header = stripped.endswith(":")
    if name in ("from", "import"):
        if header or "__future__" in text:  # future imports change how black reads the module
            return None
        placeholder = f"import {_KEPT}"
    elif name == "class":
        if not header or stripped.endswith("..."):
            return None
        placeholder = f"class {_KEPT}:"
    elif name in ("def", "async"):
        if not header or not _DEF.match(text) or stripped.endswith("..."):
            return None
        placeholder = f"{'async ' if name == 'async' else ''}def {_KEPT}():"
    elif header:
        return None
    elif name in _KEYWORDS:
        if text[word.end() : word.end() + 1] != " ":
            return None
        placeholder = f"{name} {_KEPT}"
    elif name in _RESERVED:
        return None
    else:
        placeholder = _KEPT
    if (len(statement) > 1 or not _fits(statement[0])) and prelaid.vouches(text):
        return indent, placeholder, "", None, (), False  # laid out as black lays it out: kept whole, unasked
    body = "    x\n" if header else ""
    exploded = (
        _exploded(statement, ends_at, len(indent))
        if len(statement) >= 4 and _fits(statement[0]) and _fits(statement[-1])
        else None
    )
    if exploded is not None:
        head, elements, tail = exploded
        return indent, placeholder, "", (head, tail + body), elements, False
    if all(_fits(line) for line in statement):
        return indent, placeholder, shape("".join(line[len(indent) :] for line in statement)) + body, None, (), False
    return indent, placeholder, "", None, (), True


_DEF = re.compile(r" *(async )?def ")


def _balanced(text: str) -> bool:
    """Whether the brackets of one line (strings aside) close in order and none closes what the line did not open."""
    depth = 0
    for match in _SCAN.finditer(text):
        if match.lastgroup == "open":
            depth += 1
        elif match.lastgroup == "close":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _element_shape(line: str) -> str:
    """The shape of an element alone on its line (as it stands, four columns deeper than its statement), or "" when
    black must lay it out: longer than 88 columns, or holding brackets it does not close itself."""
    found = _ELEMENT_SHAPES.get(line)
    if found is None:
        found = shape(line.lstrip(" ")) if _fits(line) and _balanced(line) else ""
        _remember(_ELEMENT_SHAPES, line, found)
    return found


def _exploded(lines: list[str], ends_at: list[int], indent: int) -> tuple[str, tuple[Element, ...], str] | None:
    """A statement split one element a line, as (opening line's shape, its elements, closing line's shape).

    The statement (its lines as they stand, ``indent`` columns in; its elements'
    lines are counted from its first) must be: an opening line ending in the bracket
    that holds the elements, a call's, a definition's, a subscript's or a
    display's (a parenthesised expression's ``(`` is not one: whether black keeps
    those parentheses depends on every element); at least two elements, each
    starting four columns in on a line of its own and ending with a comma at the
    end of a line; and a closing line starting with the closing bracket. Black
    then splits the statement at that bracket whatever the elements hold (the
    magic trailing comma makes it, and only the opening and closing lines'
    tokens decide how), gives each element a line of its own and changes an
    element only from what that element holds: so an element on one line (of at
    most 88 columns, holding only brackets it closes itself) stays as it is if
    it does in a statement of the same frame, whatever the other elements are.
    Elements on several lines or on a longer line are returned with no shape:
    black lays them out.
    """
    if len(lines) < 4 or ends_at[0] != 1 or ends_at[-1] != 0:
        return None
    head, tail = lines[0][indent:], lines[-1][indent:]
    opener = head[-2:-1]
    if opener not in _OPENERS or not tail.startswith(_OPENERS[opener]):
        return None
    if opener == "(" and not (head[-3:-2].isalnum() or head[-3:-2] in ("_", ")", "]") or head.startswith("from ")):
        return None  # a parenthesised expression, not a call, a definition or an import
    elements = []
    start = 1
    inner = indent + 4
    for row in range(1, len(lines) - 1):
        depth = ends_at[row]
        if depth > 1:
            continue
        if depth != 1 or not lines[row].endswith(",\n"):
            return None
        line = lines[start]
        if line[indent:inner] != "    " or line[inner : inner + 1] in (" ", "\n"):
            return None
        elements.append(Element(start, _element_shape(line) if start == row else "", row))
        start = row + 1
    if start != len(lines) - 1 or len(elements) < 2:
        return None
    return shape(head), tuple(elements), shape(tail)


def continued(source: str) -> bool:
    """Whether a line of the source goes on with a backslash (one in a string before a line break is no matter)."""
    if "\\\n" not in source:
        return False
    strings = [match.span() for match in _SCAN.finditer(source) if match.lastgroup == "string"]
    at = source.find("\\\n")
    while at >= 0:
        if not any(start < at < end for start, end in strings):
            return True
        at = source.find("\\\n", at + 1)
    return False


def plain(text: str) -> bool:
    """Whether ``text`` breaks lines at "\n" only."""
    return not any(char in text for char in "\r\x0b\x0c\x1c\x1d\x1e") and (
        text.isascii() or _OTHER_BREAK.search(text) is None
    )
