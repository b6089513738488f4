"""isort run only on the stretches around imports gives, byte for byte, what isort gives for the whole module.

The oracle is isort itself (``isort_code``, the pinned isort with the pipeline's configuration): on every golden
module, on corpus modules, and on modules hypothesis makes from the pieces that steer isort (imports at the top,
indented and on several lines, comments, docstrings that say ``from x import y``, blank lines, long names).
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from goldens import _at_root, case_config, case_names
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.paths import corpus_file

from generator.config import client_config
from generator.errors import ClientgenError
from generator.format import isort_code, sort_imports
from generator.isortcut import _STRING, regions, sort_in_regions, strings_across_lines
from generator.models import generate_models
from generator.pipeline import analyse
from generator.render import PREFORMATTED, render_package
from generator.view.package import build_view

CORPUS_DOCUMENTS = (("murf.json.gz", False), ("smallestai.json.gz", True), ("openrouter.json.gz", False))


def unformatted(config: object) -> dict[str, str]:
    analysis = analyse(config)  # type: ignore[arg-type]
    view = build_view(analysis.api, analysis.schemas, analysis.operation_names, config)  # type: ignore[arg-type]
    return render_package(view, generate_models(analysis.models))


def assert_same_as_isort(sources: dict[str, str]) -> int:
    """Every module sorted in regions is isort's result for the whole of it; returns how many regions isort was
    spared (the module is more than one region, or a region was written without isort)."""
    spared = 0
    for path, source in sorted(sources.items()):
        if path in PREFORMATTED:
            continue
        assert sort_imports(source, path) == isort_code(source, path), path
        spared += len(regions(source)) - 1
    return spared


@pytest.mark.slow
@pytest.mark.parametrize("name", list(case_names()))
def test_golden_modules_sort_the_same_in_regions(name: str) -> None:
    with _at_root():
        try:
            sources = unformatted(case_config(name))
        except ClientgenError:
            pytest.skip(f"{name} is an error case")
        assert_same_as_isort(sources)


@pytest.mark.corpus
@pytest.mark.parametrize("name,lenient", CORPUS_DOCUMENTS)
def test_corpus_modules_sort_the_same_in_regions(name: str, lenient: bool, tmp_path: Path) -> None:
    spec = tmp_path / name.removesuffix(".gz")
    spec.write_bytes(gzip.decompress(corpus_file(name).read_bytes()))
    config = client_config(
        name="x", spec=spec, package="x", output=tmp_path / "out", validation="lenient" if lenient else "strict"
    )
    assert assert_same_as_isort(unformatted(config)) > 10


@pytest.mark.parametrize("indent", [4, 8, 12])
@pytest.mark.parametrize("width", range(84, 93))
def test_one_indented_import_is_written_as_isort_writes_it(indent: int, width: int) -> None:
    """Around 88 columns: the line as it is, or the name alone in parentheses."""
    pad = " " * indent
    name = "N" * (width - indent - len("from .module import "))
    source = f"import os\n\n\ndef f():\n    if x:\n{pad}from .module import {name}\n\n{pad}return {name}\n"
    if indent == 4:
        source = f"import os\n\n\ndef f():\n{pad}from .module import {name}\n\n{pad}return {name}\n"
    elif indent == 12:
        source = source.replace(f"    if x:\n{pad}", f"    if x:\n        if y:\n{pad}")
    assert len(regions(source)) == 2
    assert sort_imports(source, "m.py") == isort_code(source)


def test_what_steers_isort_keeps_the_module_one_region() -> None:
    for source in (
        "import os\n\n\ndef f():\n    # isort: skip\n    from . import b\n    return b\n",
        "import os\n\n\ndef f():\n    yield\n    from .a import b\n    return b\n",
        "import os\n\n\ndef f():\n    x = 1 + \\\n        2\n    from .a import b\n    return b\n",
        "import os\r\n\r\n\r\ndef f():\r\n    from .a import b\r\n    return b\r\n",
        "import os\n\n\ndef f():\n    from .a import b\n    return b",
    ):
        assert regions(source) == [(0, len(source))]


def test_an_import_in_a_string_is_text() -> None:
    source = (
        'import os\n\n\ndef f():\n    """Say\n    from .a import b\n    in a docstring."""\n    return 1\n\n\n'
        "def g():\n    from .z import y\n    from .a import b\n\n    return b\n"
    )
    starts = [start for start, _ in regions(source)]
    assert source.index("    from .z") in starts and source.index("    from .a import b\n    in") not in starts
    assert sort_imports(source, "m.py") == isort_code(source)


def test_a_comment_before_an_import_stays_in_its_region() -> None:
    source = "import os\n\n\ndef f():\n    x = 1\n    # about b\n    from .a import b\n\n    return b\n"
    assert [start for start, _ in regions(source)] == [0]
    assert sort_imports(source, "m.py") == isort_code(source)


_NAMES = st.sampled_from(["a", "b", "Zeta", "alpha", "os", "sys", "typing", "Any", "_private", "LongName" * 6])
_MODULES = st.sampled_from(["os", "typing", "collections.abc", ".models", "..types", "._runtime", "pydantic", "a.b"])


@st.composite
def _import(draw: st.DrawFn, indent: str) -> str:
    names = draw(st.lists(_NAMES, min_size=1, max_size=4))
    module = draw(_MODULES)
    if draw(st.booleans()) and not module.startswith("."):
        return f"{indent}import {module}\n"
    if draw(st.booleans()) and len(names) > 1:
        inner = "".join(f"{indent}    {name},\n" for name in names)
        return f"{indent}from {module} import (\n{inner}{indent})\n"
    alias = " as alias" if draw(st.booleans()) and len(names) == 1 else ""
    return f"{indent}from {module} import {', '.join(names)}{alias}\n"


@st.composite
def _piece(draw: st.DrawFn) -> str:
    indent = draw(st.sampled_from(["", "    ", "        "]))
    kinds = ["import", "imports", "comment", "blank", "code", "docstring", "string", "block", "property"]
    kind = draw(st.sampled_from(kinds))
    if kind == "property":  # a client's cached property: one import of one name, of any width
        name = "N" * draw(st.integers(min_value=1, max_value=80))
        module = draw(st.sampled_from([".resources.x", "..m", "typing", "a.b"]))
        after = draw(st.sampled_from(["\n", "", "\n\n", "    \n"]))
        return f"    def p(self):\n        from {module} import {name}\n{after}        return {name}(self)\n"
    if kind == "import":
        return str(draw(_import(indent)))
    if kind == "imports":
        return "".join(draw(st.lists(_import(indent), min_size=2, max_size=4)))
    if kind == "comment":
        return f"{indent}# a comment\n"
    if kind == "blank":
        return draw(st.sampled_from(["\n", "\n\n", "    \n"]))
    if kind == "code":
        return draw(st.sampled_from([f"{indent}x = 1\n", f"{indent}return value\n", "class A:\n", "def f():\n"]))
    if kind == "docstring":
        return f'{indent}"""Text\nfrom a import b\n{indent}import c\n"""\n'
    if kind == "string":
        return f"{indent}s = 'from a import b # not a comment'\n"
    header = draw(st.sampled_from(["if TYPE_CHECKING:\n", "try:\n", "def f(self):\n", "    def g(self):\n"]))
    body = "".join(draw(st.lists(_import(" " * (len(header) - len(header.lstrip())) + "    "), max_size=3)))
    return header + body + draw(st.sampled_from(["", "\n", "    return 1\n", "else:\n    pass\n"]))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_piece(), min_size=1, max_size=14))
def test_generated_modules_sort_the_same_in_regions(pieces: list[str]) -> None:
    source = "".join(pieces)
    try:
        expected = isort_code(source)
    except ClientgenError:
        return  # isort refuses the module as a whole (an import left open): nothing to compare
    assert sort_in_regions(source, isort_code) == expected


def _every_string_across_lines(source: str) -> tuple[list[int], list[int]]:
    """The same found by reading every string and comment of the module from its start."""
    opened, closed = [], []
    for match in _STRING.finditer(source):
        if match.group(1) and "\n" in match.group():
            opened.append(match.start())
            closed.append(match.end())
    return opened, closed


@pytest.mark.parametrize(
    "source",
    [
        'x = 1  # a comment with """ in it\ny = """two\nlines"""\n',
        's = \'"""\'\nt = \'\'\'one\n\'\'\' + """two\n"""\n',
        'def f():\n    """One line."""\n    return """a\nb""", """c"""\n',
        "a = 'it''s'\nb = \"\"\"x\n# not a comment\n'''\"\"\"\nc = '''\n'''\n",
    ],
)
def test_strings_across_lines_are_those_a_full_reading_finds(source: str) -> None:
    assert strings_across_lines(source) == _every_string_across_lines(source)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(['"""', "'''", '"', "'", "#", "\n", "x", " ", "\\\\"]), max_size=40))
def test_strings_across_lines_on_generated_text(pieces: list[str]) -> None:
    source = "".join(pieces)
    try:
        compile(source, "<text>", "exec")
    except (SyntaxError, ValueError):
        return  # only valid modules are read (generated code is valid)
    assert strings_across_lines(source) == _every_string_across_lines(source)
