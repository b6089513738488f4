"""Black on what the templates cannot lay out: the result is black's, byte for byte, and black sees less.

The oracle is black itself: every block is formatted both ways. Whole-module
equality on every golden and three corpus packages is in test_format.py (the
pipeline formats through ``lean_black_block``); the committed packages being
black-stable is in tests/output/test_black_stable.py.
"""

from __future__ import annotations

from unittest.mock import patch

import pytest
from goldens import _at_root, case_config
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator import keptlines, keptread, laidout
from generator.errors import ClientgenError
from generator.format import black_block, lean_black_block, sort_imports, split_blocks
from generator.keptlines import format_keeping_lines
from generator.keptread import candidates, shape
from generator.models import generate_models
from generator.pipeline import analyse
from generator.render import PREFORMATTED, render_package
from generator.view.package import build_view

# Lines black changes although they are short, and layouts only black knows: each must come out as black makes it.
TRICKY = [
    "x = 'single quotes'\n",
    "x = f(a, b,)\n",
    "class A():\n    x: int\n",
    "x = (1)\n",
    "y = x [1]\n",
    "del (a), b\n",
    "return (x)\n",
    "x = 0XFF + 1E5\n",
    "print(a) ;\n",
    "x = a if b else(c)\n",
    "x = f(a)  # a comment\n",
    "if x:\n  y = 1\n  z = f(a,)\n",
    "class A:\n    '''Single-quoted docstring.'''\n",
    'class A:\n    """  Padded docstring.  """\n',
    'class A:\n    """Ends with a quote" """\n',
    'class A:\n    """Trailing spaces   \n    on lines   \n    """\n',
    'class A:\n    """Indented\n          too far.\n    """\n',
    'def f():\n    """First.\n\n    ' + "x" * 84 + '"""\n',
    'x = 1\n"""A string that is not a docstring."""\n',
    "def f(\n    a: int,\n    b: int = 1\n) -> None:\n    return None\n",
    "def f(\n    a: int,\n    b: int = 1,\n) -> None:\n    return None\n",
    "def f(a: int, " + "".join(f"b{n}: int | None = None, " for n in range(4)) + "c: int = 1) -> None:\n    return 1\n",
    "x = g(\n    a,\n    b\n)\n",
    "x = g(\n    " + "a" * 90 + ",\n)\n",
    "from a import (b, c)\nfrom d import (\n    e,\n)\n",
    "from a import b\nx = 1\n",
    "@decorator\ndef f(): ...\n\n\n\n\nx = 1\n",
    "class A:\n\n    x: int = 1\n\n\n\n    def f(self) -> None:\n        return self.x\n",
    "x: Annotated[int | None, Field(alias='x')] = None\n",
    "x = lambda: (yield)\n",
    "x = a**b + c ** d.e\n",
    "x = [1, 2,]\n",
    "x = {'a': 1}\n",
    "async def f():\n    await (g(x))\n    return await g(\n        a,\n    )\n",
]


@pytest.mark.parametrize("source", TRICKY)
def test_tricky_sources_come_out_as_black_makes_them(source: str) -> None:
    assert lean_black_block(source) == black_block(source)


def test_shapes_keep_what_black_reads() -> None:
    assert shape('    name: Annotated[int, Field(alias="name")] = None\n') == '    x: x[x, x(x="")] = None\n'
    assert shape("x = 'single'\n") == "x = ''\n"  # black turns it into double quotes: the verdict is "changed"
    assert shape('x = "it\'s"\n') == 'x = "it\'s"\n'  # a body black reads stays
    assert shape("__all__ = [f'{a}']\n") == "__all__ = [f'{a}']\n"


def test_only_whole_statements_are_candidates() -> None:
    source = (
        "x = f(\n    a,\n)\n"  # a statement on three lines: one candidate
        "y = 1  # a comment\n"  # a comment: black may move it
        '"""A string\nover lines."""\n'  # a string statement black leaves as it is
        "if x:\n    z = 2\n"  # a header: never, its body: yes
    )
    found = [(c.first, c.last, c.placeholder.split("_clientgen")[0]) for c in candidates(source)]
    assert found == [(0, 2, ""), (4, 5, '"""'), (7, 7, "")]


def _forget(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process's verdicts and layouts set aside for one test."""
    for name in ("_VERDICTS", "_ELEMENT_VERDICTS"):
        monkeypatch.setattr(keptlines, name, {})
    for remembered in (laidout.LAYOUTS, laidout.ELEMENT_LAYOUTS, laidout.OUTPUTS):
        remembered.clear()


def test_black_runs_on_less(monkeypatch: pytest.MonkeyPatch) -> None:
    _forget(monkeypatch)  # verdicts from other tests would spare black the shapes
    source = "class A(Base):\n" + "".join(f"    field_{n}: int | None = None\n" for n in range(50))
    seen: list[str] = []

    def black(text: str) -> str:
        seen.append(text)
        return black_block(text)

    assert format_keeping_lines(source, black) == black_block(source)
    # Black saw the fields once, as one shape, never the fields themselves.
    assert "x: x | None = None\n" in seen and not any("field_" in text for text in seen)


def test_every_block_of_a_golden_package_formats_as_black_does() -> None:
    with _at_root():
        config = case_config("corner_cases")
        analysis = analyse(config)
        view = build_view(analysis.api, analysis.schemas, analysis.operation_names, config)
        sources = render_package(view, generate_models(analysis.models))
    kept = 0
    for path, source in sorted(sources.items()):
        if path in PREFORMATTED:
            continue
        for block in split_blocks(sort_imports(source, path)):
            assert lean_black_block(block) == black_block(block), path
            kept += len(candidates(block))
    assert kept > 100


# Statements exploded one element a line, judged element by element, and statements black lays out once per run.
EXPLODED = [
    "x = (\n    a,\n    b,\n)\n",  # a tuple: black's parentheses depend on every element, never judged by element
    "return (\n    a,\n    *b,\n)\n",
    "del (\n    a,\n    b,\n)\n",
    "x = y[\n    a,\n    b,\n]\n",
    "x = y[\n    a,\n]\n",  # one element: black may join it
    "x = f(\n    a,\n)\n",
    "x = f(\n    g(a,),\n    b,\n)\n",  # an element with a magic trailing comma of its own
    "x = f(\n    g(a, b),\n    c ** d,\n    e**2,\n)\n",
    "x = f(\n    a,b,\n    c,\n)\n",  # two elements on one line
    "x = f(\n        a,\n    b,\n)\n",  # an element indented too far
    "x = f(\n    a,\n    b\n)\n",  # no trailing comma
    "x = {\n    a: 1,\n    b: c,\n}\n",
    "x = {\n    a,\n    b,\n}\n",
    "x = {\n    'a': 1,\n    **b,\n}\n",
    "x = f(\n    a,\n    " + "b" * 90 + ",\n    c,\n)\n",  # a long element among judged ones
    "x = f(\n    a,\n    b=[" + ", ".join(["c"] * 30) + "],\n    d,\n)\n",
    "x = f(\n    a,\n    b=g(\n        c,\n    ),\n    d,\n)\n",  # an element over several lines
    "x = f(\n    a=1,\n    b = 2,\n    c,\n)[0]\n",
    "x = f(\n    a,\n    b,\n).g(\n    c,\n    d,\n)\n",
    "def f(\n    self,\n    *,\n    a: int = 1,\n    **b: int,\n) -> None:\n    pass\n",
    "def f(\n    a,\n    /,\n    b,\n    *c,\n    d: 'int',\n) -> dict[\n    str,\n    int,\n]:\n    pass\n",
    "async def f(\n    a: int,\n    b: int = 1,\n):\n    await g(\n        a,\n        b,\n    )\n",
    "class A(\n    B,\n    metaclass=C,\n):\n    x: int\n",
    "from a import (\n    b,\n    c,\n)\nx = g(\n    a,\n    b,\n)\n",
    "if x:\n    y = " + "f(" * 3 + "a, " * 40 + "b" + ")" * 3 + "\n    z = 1\n",
    "def f(" + ", ".join(f"argument_{n}: int" for n in range(8)) + ") -> None:\n    return None\n",
    "class " + "A" * 80 + "(Base1, Base2):\n    x = 1\n",
    "x = await " + "g" * 80 + "(a, b)\n",
    "assert " + "a" * 50 + ", " + "'" + "b" * 50 + "'\n",
    "import a\nx = " + "y" * 90 + "\n",
    "@decorator\ndef f(\n    a,\n    b,\n): ...\n",
    "if x:\n  y = 'a'\n  z = " + "f(a) + " * 20 + "b\n",  # two columns an indent
    "\n\n\nx = 1\n\n\n\ny = 'a'\n\n\n",
    "x = {\n    'a': 1,\n    \"" + "b" * 90 + '": 2,\n    **c,\n}\n',  # a dictionary with a long element
    "x = {\n    a,\n    " + "b" * 90 + ",\n}\n",  # a set with one
    "x = {\n    a: lambda: 1,\n    'b': g(" + "a, " * 40 + "b),\n}\n",
    "x = {\n    lambda: 1,\n    " + "g(" + "a, " * 40 + "b),\n}\n",
    "from a import (\n    b as b,\n    " + "c" * 50 + " as " + "c" * 50 + ",\n)\n",
    # A subscript in a definition's return annotation: its elements are no parameters (a slice is spaced otherwise).
    "def f(a, b) -> dict[\n    a:b,\n    c:d,\n    " + "e" * 90 + ",\n]:\n    pass\n",
    "x = y[\n    a:b,\n    " + "e" * 90 + ",\n]\n",
    "def f():\n    from a import (\n        b,\n        c as " + "d" * 90 + ",\n    )\n",
    "class A:\n\n\n\n    x = 1\n    \n    y = 2\n\n\n\n\n",
]


@pytest.mark.parametrize("source", EXPLODED)
def test_exploded_and_long_statements_come_out_as_black_makes_them(source: str) -> None:
    assert lean_black_block(source) == black_block(source)
    # Again at a greater depth, and twice in one module (the second time from this process's verdicts and layouts).
    nested = "class A:\n" + "".join(f"    {line}" if line.strip() else line for line in source.splitlines(True))
    assert lean_black_block(nested) == black_block(nested)
    twice = source + "\n\n" + source
    assert lean_black_block(twice) == black_block(twice)


def _seen_by_black(source: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    _forget(monkeypatch)
    seen: list[str] = []

    def black(text: str) -> str:
        seen.append(text)
        return black_block(text)

    assert format_keeping_lines(source, black) == black_block(source)
    return seen


def test_signatures_of_every_length_are_judged_element_by_element(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each signature below has a shape of its own (its parameter count): black sees each kind of element line once."""
    source = "class A:\n" + "\n".join(
        f"    def method_{n}(\n        self,\n"
        + "".join(f"        parameter_{k}: int | None = None,\n" for k in range(n))
        + "    ) -> None:\n        return None\n"
        for n in range(2, 40)
    )
    seen = _seen_by_black(source, monkeypatch)
    element = "    x: x | None = None,\n"
    assert sum(text.count(element) for text in seen) <= 2
    assert sum(len(text) for text in seen) < len(source) // 4


def test_a_statement_black_lays_out_is_laid_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    long = "    value = compute(" + ", ".join(f"argument_{n}" for n in range(12)) + ")\n"
    source = "\n\n".join(f"class A{n}:\n{long}" for n in range(20)) + "\n"
    seen = _seen_by_black(source, monkeypatch)
    assert sum(text.count("argument_0") for text in seen) == 1


_NAMES = st.sampled_from(["a", "value", "self", "x" * 30, "parameter_with_a_long_name", "y" * 60])
_VALUES = st.one_of(
    _NAMES,
    st.sampled_from(["None", "1", "0XFF", "1E5", "'single'", '"double"', "a ** b", "-a", "a**-b", "[1, 2,]", "()"]),
    st.sampled_from(["g(a, b)", "g(a,)", "g(\n        a,\n    )", "x[1:2]", "x[a + 1 : b]", "lambda: 0", "(a)"]),
    st.builds(lambda n: "g(" + ", ".join(["argument"] * n) + ")", st.integers(1, 12)),
)
_ANNOTATIONS = st.sampled_from(["int", "int | None", "dict[str, int]", "'A'", "Annotated[int, Field(alias='a')]"])


@st.composite
def _exploded_statements(draw: st.DrawFn) -> str:
    kinds = ["def", "call", "assign", "return", "list", "subscript", "dict", "class", "await", "annotation", "set"]
    kind = draw(st.sampled_from(kinds))
    count = draw(st.integers(1, 6))
    if kind == "def":
        names = [draw(_NAMES) + str(n) for n in range(count)]
        elements = [
            name
            + draw(st.sampled_from(["", ": {a}", ": {a} = {v}", "={v}", " = {v}"])).format(
                a=draw(_ANNOTATIONS), v=draw(_VALUES)
            )
            for name in names
        ]
        elements[1:1] = draw(st.sampled_from([[], ["*"], ["/"], ["*args"]]))
        elements += draw(st.sampled_from([[], ["**kwargs"], ["**kwargs: int"]]))
        head, tail = "def f(", ") -> " + draw(_ANNOTATIONS) + ":\n    pass"
    elif kind == "dict":
        elements = [f"{draw(st.sampled_from(['a', 'b', '1']))}: {draw(_VALUES)}" for _ in range(count)]
        head, tail = "x = {", "}"
    else:
        elements = [
            draw(st.one_of(_VALUES, st.builds(lambda n, v: f"{n}={v}", _NAMES, _VALUES), st.just("*a")))
            for _ in range(count)
        ]
        head, tail = {
            "call": ("f(", ")"),
            "assign": ("x: int = f.g(", ")"),
            "return": ("return f(", ")"),
            "list": ("x = [", "]"),
            "subscript": ("x = y[", "]"),
            "class": ("class A(", "):\n    pass"),
            "await": ("await f(", ")"),
            "annotation": ("def f(a) -> dict[", "]:\n    pass"),
            "set": ("x = {", "}"),
        }[kind]
        if kind in ("subscript", "annotation"):
            elements += draw(st.lists(st.sampled_from(["a:b", "a + 1 : b", "::2", "a:", "x" * 70 + ":b"]), max_size=2))
        if kind in ("list", "subscript", "annotation", "set"):
            elements = [element for element in elements if "=" not in element or "==" in element] or ["a"]
    comma = draw(st.sampled_from([",", ",", ""]))
    return (
        head + "\n" + "".join(f"    {element},\n" for element in elements[:-1]) + f"    {elements[-1]}{comma}\n{tail}\n"
    )


@st.composite
def _modules(draw: st.DrawFn) -> str:
    statements = draw(st.lists(_exploded_statements(), min_size=1, max_size=4))
    depth = draw(st.integers(0, 2))
    lines = "".join(statements).splitlines(keepends=True)
    body = "".join(("    " * depth + line) if line.strip() else line for line in lines)
    return "async def outer():\n" * min(depth, 1) + "    class A:\n" * max(depth - 1, 0) + body


@pytest.mark.slow
@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(source=_modules())
def test_any_exploded_statement_comes_out_as_black_makes_it(source: str) -> None:
    try:
        expected = black_block(source)
    except ClientgenError:
        assume(False)  # not Python: nothing to compare
        raise
    assert lean_black_block(source) == expected


def test_a_dictionary_with_a_long_item_is_laid_out_item_by_item(monkeypatch: pytest.MonkeyPatch) -> None:
    items = "".join(f'    "Name{n}": "module_{n}",\n' for n in range(50))
    source = "HOMES = {\n" + items + '    "' + "Long" * 20 + '": "module",\n' + items + "}\n"
    seen = _seen_by_black(source, monkeypatch)
    assert not any("Name1" in text for text in seen) and sum(text.count("Long" * 20) for text in seen) == 1


# Reading a source line by line, each line's text read once in the process and each statement's text judged once, is
# a shortcut: reading the whole source at once (what a source with line breaks other than "\n" gets) is the oracle.
_READ_PIECES = st.sampled_from(
    [
        "x = f(\n",
        "    a,\n",
        "    b(c),\n",
        "    'd',\n",
        ")\n",
        "]\n",
        "def f(\n",
        ") -> None:\n",
        "    pass\n",
        '"""',
        "'''",
        '"',
        "'",
        "#c",
        "\\",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        "    ",
        "\n",
        "\n",
        "y = 1\n",
        'x = """a\n',
        'b"""\n',
        "rb'x'",
        'f"{a}"',
        '""""',
        "class A:\n",
        '    """Doc."""\n',
        "    '''doc'''\n",
        "return [\n",
        "from a import (\n",
        "    b,\n",
        "é",
        "x" * 90,
        "\\\n",
    ]
)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(pieces=st.lists(_READ_PIECES, max_size=30))
def test_reading_line_by_line_finds_what_reading_at_once_finds(pieces: list[str]) -> None:
    source = "".join(pieces)
    by_line = candidates(source)
    remembered = candidates(source)  # from what the first reading remembered
    with patch.object(keptread, "plain", lambda text: False):
        at_once = candidates(source)
    assert by_line == remembered == at_once
