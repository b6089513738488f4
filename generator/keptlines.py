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
(``_exploded``): black splits it at that bracket whatever the elements hold
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

import keyword
import re
from collections.abc import Callable
from typing import Any, NamedTuple

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


#: Shape of a line → whether black leaves it as it is (this process's answers so far).
_VERDICTS: dict[str, bool] = {}
#: (frame, element shape) → whether black leaves that element line as it is in a statement of that frame exploded
#: one element a line (this process's answers so far).
_ELEMENT_VERDICTS: dict[tuple[tuple[str, str], str], bool] = {}
_OPENERS = {"(": ")", "[": "]", "{": "}"}
#: An element shape black keeps in any frame that it keeps: the frame's own verdict is this element's.
_ANY = "x,\n"
#: Placeholders of which a run of consecutive ones stands for as well as one: plain statements, imports, and
#: elements of one bracket. Black decides the blank lines before a line from its kind and the previous line's,
#: and lays out each of these lines by itself (an element line once its bracket is exploded, with two elements
#: at least either way: a bracket holding placeholders holds an element black lays out).
_MERGEABLE = re.compile(rf" *(?:import )?{_KEPT},?\n")


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
    return _candidates(source, source.splitlines(keepends=True))


def _candidates(source: str, lines: list[str]) -> list[Candidate]:
    count = len(lines)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    unusable = bytearray(count + 1)
    ends_open = bytearray(count + 1)  # the line ends inside brackets
    ends_at = [0] * (count + 1)  # how deep in brackets the line ends
    strings: list[Candidate] = []
    plain = _plain(source)
    if not plain:  # rows are counted at "\n" only, lines at any line break: the whole source is read at once
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
        if not plain or (first != last and first and ends_at[first - 1]):
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


def _continued(source: str) -> bool:
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


def format_keeping_lines(source: str, black: Callable[[str], str]) -> str:
    """``black(source)``, with the statements black would leave as they are kept out of its way."""
    if _KEPT in source or "fmt:" in source or "\f" in source or _continued(source):
        return black(source)
    black = remembering(black)
    lines = source.splitlines(keepends=True)
    found = _candidates(source, lines)
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
    kept: list[tuple[int, int, str, str]] = []
    stand_ins = (
        stand_in for c, elements in zip(found, kept_ones, strict=True) for stand_in in _stand_ins(c, elements, lines)
    )
    for first, last, placeholder, layout in stand_ins:
        text = layout if layout is not None else "".join(lines[first : last + 1])
        if kept and kept[-1][1] + 1 == first and kept[-1][2] == placeholder and _MERGEABLE.match(placeholder):
            kept[-1] = (kept[-1][0], last, placeholder, kept[-1][3] + text)  # black sees one line for several
        else:
            kept.append((first, last, placeholder, text))
    if not kept:
        return black(source)
    reduced: list[str] = []
    originals: list[tuple[str, str]] = []  # (placeholder line, the lines it stands for)
    row = 0
    for first, last, placeholder, text in kept:
        reduced.extend(lines[row:first])
        if not placeholder.endswith(",\n"):
            # Black keeps at most two blank lines before a statement at depth 0, one deeper: more are dropped here
            # (a module black leaves as it is is formatted once). These lines are in no string or bracket: a
            # statement starts after them.
            allowed = 2 if placeholder[0] != " " else 1
            while len(reduced) > allowed and reduced[-1] == "\n" and reduced[-allowed - 1 :] == ["\n"] * (allowed + 1):
                reduced.pop()
        reduced.append(placeholder)
        originals.append((placeholder, text))
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
    if not _plain(output):
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


def _plain(text: str) -> bool:
    """Whether ``text`` breaks lines at "\n" only."""
    return not any(char in text for char in "\r\x0b\x0c\x1c\x1d\x1e") and (
        text.isascii() or _OTHER_BREAK.search(text) is None
    )


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
