"""The public names a customisation adds, changes or removes in a Python module.

A name is public when it does not start with an underscore: module-level
functions, classes and assignments, and the methods and attributes of public
classes (``Products.first``). Two versions of a module are compared through
their syntax trees, so reformatting or a new comment changes nothing; a class
counts as changed only for its own header (bases, decorators), its members
being names of their own. Pure; a module that does not parse (conflict markers)
has no names to report.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(frozen=True)
class NameChanges:
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    signatures: tuple[tuple[str, str], ...] = ()  # (added name, how it reads: ``Pets.first(self) -> Pet``)

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


def _targets(statement: ast.stmt) -> list[str]:
    if isinstance(statement, ast.Assign):
        return [target.id for target in statement.targets if isinstance(target, ast.Name)]
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return [statement.target.id]
    return []


def _shape(node: ast.AST) -> str:
    if isinstance(node, ast.ClassDef):
        return "class " + " ".join(ast.dump(part) for part in [*node.bases, *node.keywords, *node.decorator_list])
    return ast.dump(node)


def signature(node: ast.AST, name: str) -> str:
    """How a definition reads in a listing: ``name(args) -> returns``, ``class Name(Base)``, ``name: T``."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        returns = f" -> {ast.unparse(node.returns)}" if node.returns is not None else ""
        prefix = "async " if isinstance(node, ast.AsyncFunctionDef) else ""
        return f"{prefix}{name}({ast.unparse(node.args)}){returns}"
    if isinstance(node, ast.ClassDef):
        bases = ", ".join(ast.unparse(base) for base in [*node.bases, *node.keywords])
        return f"class {name}({bases})" if bases else f"class {name}"
    if isinstance(node, ast.AnnAssign):
        return f"{name}: {ast.unparse(node.annotation)}"
    return name


def public_names(source: str) -> dict[str, ast.AST] | None:
    """Every public name of a module, dotted inside classes, with its node; None when it does not parse."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    names: dict[str, ast.AST] = {}

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for statement in body:
            if isinstance(statement, _DEFINITIONS):
                if statement.name.startswith("_"):
                    continue
                names[prefix + statement.name] = statement
                if isinstance(statement, ast.ClassDef):
                    visit(statement.body, f"{prefix}{statement.name}.")
            else:
                for target in _targets(statement):
                    if not target.startswith("_"):
                        names[prefix + target] = statement

    visit(tree.body, "")
    return names


def compare(before: str, after: str) -> NameChanges | None:
    """What ``after`` adds, changes and removes among ``before``'s public names; None if either does not parse."""
    old, new = public_names(before), public_names(after)
    if old is None or new is None:
        return None
    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    changed = sorted(name for name in set(old) & set(new) if _shape(old[name]) != _shape(new[name]))
    return NameChanges(
        tuple(added),
        tuple(changed),
        tuple(removed),
        tuple((name, signature(new[name], name)) for name in added),
    )
