"""The shape of generator/ as a whole: no import cycles, no module over 600 lines, shared definitions written once.

Imports are read from the source (ast), wherever they are: at module level
or inside a function (a lazy import still ties two modules together). Only
``if TYPE_CHECKING:`` blocks are left out: they never run, and exist for
annotations alone.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from pathlib import Path

from support.paths import ROOT

GENERATOR = ROOT / "generator"
MAX_LINES = 600
#: Modules over the limit that another branch is rewriting, with why. Each entry must still be over the limit:
#: when the rewrite lands, this test says to remove the entry.
OVER_THE_LIMIT_FOR_NOW: dict[str, str] = {}


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported(tree: ast.AST, package: str) -> set[str]:
    """Every dotted name a module imports (``from a import b`` gives ``a`` and ``a.b``), TYPE_CHECKING aside."""
    found: set[str] = set()
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            pending.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        pending.extend(ast.iter_child_nodes(node))
    return found


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module → the modules of the same package it imports."""
    modules = {_module_name(path, root): path for path in sorted(root.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for imported in _imported(ast.parse(path.read_text(encoding="utf-8")), package):
            while imported and imported not in modules:
                imported = imported.rpartition(".")[0]  # ``from generator.x import name`` names module x
            if imported and imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, list[str]]] = [(start, sorted(graph[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, pending = work[-1]
            if pending:
                child = pending.pop()
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, sorted(graph.get(child, ()))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_sees_lazy_relative_and_indirect_imports(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkg.sub import b\n")
    (package / "sub" / "b.py").write_text("from . import c\n")
    (package / "sub" / "c.py").write_text("def f():\n    from ..a import thing\n")  # lazy, relative
    (package / "d.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import x\n")
    (package / "e.py").write_text("import pkg.d\n")
    assert cycles(import_graph(package)) == [["pkg.a", "pkg.sub.b", "pkg.sub.c"]]


def test_generator_has_no_import_cycles() -> None:
    assert cycles(import_graph(GENERATOR)) == []


def test_no_generator_module_is_over_600_lines() -> None:
    sizes = {
        path.relative_to(ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in sorted(GENERATOR.rglob("*.py"))
    }
    too_long = {path: lines for path, lines in sizes.items() if lines > MAX_LINES}
    assert sorted(too_long) == sorted(OVER_THE_LIMIT_FOR_NOW), (
        f"over {MAX_LINES} lines: {too_long}; allowed for now: {sorted(OVER_THE_LIMIT_FOR_NOW)} "
        "(split the module, or drop an entry whose module is back under the limit)"
    )


def _sources() -> dict[str, str]:
    return {path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8") for path in GENERATOR.rglob("*.py")}


def test_shared_definitions_are_written_once() -> None:
    """``SCHEMA_PREFIX`` (pointer), the control-character classes (text) and PascalCase spelling (autoname.join)."""
    prefix = [path for path, text in _sources().items() if re.search(r"^SCHEMA_PREFIX\b.*=", text, re.MULTILINE)]
    assert prefix == ["generator/pointer.py"]
    control = [path for path, text in _sources().items() if "\\x00-" in text or "\\x1f" in text]
    assert control == ["generator/text.py"]
    spelling = [path for path, text in _sources().items() if re.search(r"\[:1\]\.upper\(\) \+ \w+\[1:\]", text)]
    assert spelling == ["generator/naming/autoname.py"]
