"""Black on what the templates cannot lay out: the result is black's, byte for byte, and black sees less.

The oracle is black itself: every block is formatted both ways. Whole-module
equality on every golden and three corpus packages is in test_format.py (the
pipeline formats through ``lean_black_block``); the committed packages being
black-stable is in tests/output/test_black_stable.py.
"""

from __future__ import annotations

import pytest
from goldens import _at_root, case_config

from generator import keptlines
from generator.format import black_block, lean_black_block, sort_imports, split_blocks
from generator.keptlines import candidates, format_keeping_lines, shape
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


def test_black_runs_on_less(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keptlines, "_VERDICTS", {})  # verdicts from other tests would spare black the shapes
    monkeypatch.setattr(keptlines, "_ELEMENT_VERDICTS", {})
    monkeypatch.setattr(keptlines, "_OUTPUTS", {})
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
