"""Formatting in top-level blocks is byte for byte what black makes of the whole module."""

from __future__ import annotations

import ast
import gzip
from pathlib import Path

import pytest
from goldens import _at_root, case_config, case_names
from support.paths import ROOT, corpus_file, suite_cache

import generator.format as format_module
from generator.cache import Cache
from generator.config import client_config
from generator.errors import ClientgenError
from generator.format import (
    Formatter,
    _pack,
    _unpack,
    black_block,
    format_source,
    format_sources,
    join_blocks,
    sort_imports,
    split_blocks,
)
from generator.models import generate_models
from generator.pipeline import analyse
from generator.render import PREFORMATTED, render_package
from generator.view.package import build_view

# Corpus documents whose whole modules black formats in seconds: (file, lenient).
CORPUS_DOCUMENTS = (("murf.json.gz", False), ("smallestai.json.gz", True), ("petstore-expanded-3.0.yaml.gz", False))


def unformatted(config: object) -> dict[str, str]:
    analysis = analyse(config)  # type: ignore[arg-type]
    view = build_view(analysis.api, analysis.schemas, analysis.operation_names, config)  # type: ignore[arg-type]
    return render_package(view, generate_models(analysis.models))


def assert_blocks_match_whole(sources: dict[str, str]) -> int:
    """Every module formatted in blocks (as the pipeline formats it, through the suite's cache) equals black's
    result for the whole file; returns how many cuts were made. The runtime's modules are passed through
    unformatted (test_generated.py checks that black leaves them as they are)."""
    cuts = 0
    for path, source in sorted(sources.items()):
        if path in PREFORMATTED:
            continue
        whole = format_source(source, path)
        cuts += len(split_blocks(sort_imports(source, path))) - 1
        assert format_sources({path: source}, cache=suite_cache())[path] == whole, path
    return cuts


@pytest.mark.slow
@pytest.mark.parametrize("name", list(case_names()))
def test_golden_modules_format_the_same_in_blocks(name: str) -> None:
    with _at_root():
        try:
            sources = unformatted(case_config(name))
        except ClientgenError:
            pytest.skip(f"{name} is an error case")
        assert_blocks_match_whole(sources)


def test_blocks_are_actually_cut(tmp_path: Path) -> None:
    config = client_config(
        name="bctrl",
        spec=ROOT / "spec" / "bctrl.yaml",
        package="bctrl",
        output=tmp_path,
        renames=ROOT / "spec" / "bctrl.renames.yaml",
    )
    sources = unformatted(config)
    assert assert_blocks_match_whole({"models.py": sources["models.py"], "types.py": sources["types.py"]}) > 20


@pytest.mark.corpus
@pytest.mark.parametrize("name,lenient", CORPUS_DOCUMENTS)
def test_corpus_modules_format_the_same_in_blocks(name: str, lenient: bool, tmp_path: Path) -> None:
    spec = tmp_path / name.removesuffix(".gz")
    spec.write_bytes(gzip.decompress(corpus_file(name).read_bytes()))
    config = client_config(
        name="x", spec=spec, package="x", output=tmp_path / "out", validation="lenient" if lenient else "strict"
    )
    assert assert_blocks_match_whole(unformatted(config)) > 0 or "petstore" in name


def test_a_cut_is_never_made_where_black_would_not_put_two_blank_lines() -> None:
    source = (
        "class A:\n    x: int\n\n\nclass B:\n    y: int\n"  # a cut
        "class C:\n    z: int\n"  # no blank line: no cut
        "\n# a comment\nclass D:\n    pass\n"  # a comment between: no cut
        "\n@decorator\nclass E:\n    pass\n"  # a decorated class: no cut
        "\n\nX = 1\n\n\nclass F:\n    pass\n"  # after an assignment: no cut
    )
    blocks = split_blocks(source)
    assert len(blocks) == 2 and blocks[1].startswith("class B:")
    assert join_blocks(black_block(block) for block in blocks) == black_block(source)
    imports = "from typing import Any\nimport os\n\nclass G:\n    x: Any\n"  # after an import: a cut
    blocks = split_blocks(imports)
    assert len(blocks) == 2 and blocks[1].startswith("class G:")
    assert join_blocks(black_block(block) for block in blocks) == black_block(imports)
    assert split_blocks("class A:\n    pass\n\n# fmt: off\nclass B:\n    pass\n") == [
        "class A:\n    pass\n\n# fmt: off\nclass B:\n    pass\n"
    ]


def _cuts_by_ast(source: str) -> list[int]:
    """Where the module's syntax tree says cuts go: before each undecorated top-level class that follows a class
    or an import across blank lines only (the reading split_blocks makes line by line)."""
    body = ast.parse(source).body
    lines = source.split("\n")
    cuts = []
    for previous, current in zip(body, body[1:], strict=False):
        after = isinstance(previous, (ast.ClassDef, ast.Import, ast.ImportFrom))
        if not after or not isinstance(current, ast.ClassDef) or current.decorator_list:
            continue
        gap = lines[(previous.end_lineno or 0) : current.lineno - 1]
        if gap and all(not line.strip() for line in gap):
            cuts.append(current.lineno - 1)
    return cuts


def _cuts(blocks: list[str]) -> list[int]:
    lines = 0
    cuts = []
    for block in blocks[:-1]:
        lines += block.count("\n")
        cuts.append(lines)
    return cuts


TRICKY = (
    'import os\n\n\nclass A:\n    """Doc\nclass B: at column 0 in a string\n"""\n\n\nclass C:\n    x = 1\n',
    "from x import (\n    a,\n    b,\n)\n\n\nclass A:\n    pass\n\n\nclass B: pass\n\n\nclass C:\n    pass\n",
    'class A:\n    """Ends at column 0\n"""\n\n\nclass B:\n    pass\n\n\nX = """\nclass C:\n"""\n\n\nclass D:\n    y = 1\n',
    "if TYPE_CHECKING:\n    from x import y\n\n\nclass A:\n    pass\n\n\n@dataclass\nclass B:\n    pass\n\n\nclass C:\n"
    "    pass\n",
    'class A:\n    x = 1\n"""a string statement\n    on two lines"""\n\n\nclass B:\n    pass\n\n\nclass C:\n'
    '    s = "class "\n# a comment at column 0\n\nclass D:\n    pass\n',
)
#: Where reading line by line cannot tell and makes no cut (fewer cuts are never wrong): a class header on several
#: lines, a line at column 0 inside brackets.
UNSURE = (
    "class A(\n    Base,\n):\n    pass\n\n\nclass B:\n    pass\n",
    "from x import y  # comment\n\nclass A:\n    def f(self):\n        return (\n1)\n\n\nclass B:\n    pass\n",
)


@pytest.mark.parametrize("source", TRICKY)
def test_cuts_read_line_by_line_are_those_the_syntax_tree_gives(source: str) -> None:
    assert _cuts(split_blocks(source)) == _cuts_by_ast(source)
    assert "".join(split_blocks(source)) == source


@pytest.mark.parametrize("source", UNSURE)
def test_where_lines_cannot_tell_no_cut_is_made(source: str) -> None:
    assert set(_cuts(split_blocks(source))) < set(_cuts_by_ast(source))
    assert "".join(split_blocks(source)) == source


@pytest.mark.slow
@pytest.mark.parametrize("name", list(case_names()))
def test_golden_modules_are_cut_where_the_syntax_tree_says(name: str) -> None:
    with _at_root():
        try:
            sources = unformatted(case_config(name))
        except ClientgenError:
            pytest.skip(f"{name} is an error case")
    for path, source in sorted(sources.items()):
        if path not in PREFORMATTED:
            sorted_source = sort_imports(source, path)
            assert _cuts(split_blocks(sorted_source)) == _cuts_by_ast(sorted_source), path


def test_after_an_edit_only_the_changed_block_goes_to_black(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    black_batch = format_module._black_batch

    def counting(batch: list[tuple[str, str]]) -> list[str]:
        seen.extend(source for source, _ in batch)
        return black_batch(batch)

    monkeypatch.setattr(format_module, "_black_batch", counting)
    # Classes of different shapes (each its own skeleton): every block goes to black as it is.
    blocks = [
        f"class Item{number}:\n" + "".join(f"    field{index}: int = {index}\n" for index in range(number))
        for number in range(1, 6)
    ]
    source = "import os\n\n\n" + "\n\n".join(blocks)
    cache = Cache(tmp_path / "cache")
    first = Formatter(cache, scope="package")
    first.submit({"items.py": source})
    assert first.results()["items.py"] == format_source(source, "items.py")
    assert len(seen) == 6
    seen.clear()
    edited = source.replace("class Item3:\n    field0: int = 0", "class Item3:\n    field0: int = 7")
    again = Formatter(cache, scope="package")
    again.submit({"items.py": edited})
    assert again.results()["items.py"] == format_source(edited, "items.py")
    assert len(seen) == 1 and seen[0].startswith("class Item3:\n    field0: int = 7")


def test_a_module_s_blocks_read_back_as_written_and_anything_else_as_nothing() -> None:
    blocks = [("k1", "class A:\n    pass\n"), ("k2", "é \udcff\n"), ("k3", "")]
    assert _unpack(_pack(blocks)) == dict(blocks)
    assert _unpack(None) == {}
    assert _unpack(b"k1 99\nshort") == {}
    assert _unpack(b"no size here\n") == {}
