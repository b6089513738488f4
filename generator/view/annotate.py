"""Annotations of one module: types of the type model rendered for one family, and the imports they need."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator import typemodel
from generator.text import string_literal
from generator.typemodel import Flavour, Import, Type

#: Builtins a generated name (a method, a field) can hide from the annotations that follow it.
BUILTIN_TYPES = frozenset({"bool", "bytes", "dict", "float", "int", "list", "object", "str"})


def requirement_literal(requirement: tuple[tuple[str, ...], ...]) -> str:
    """``(("a", "b"), ("c",))`` as Python source, safe for any scheme key."""

    def pack(items: list[str]) -> str:
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"

    return pack([pack([string_literal(key) for key in alternative]) for alternative in requirement])


def literal(value: object) -> str:
    """A Python literal for a JSON scalar, safe for any content."""
    if isinstance(value, str):
        return string_literal(value)
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    return repr(str(value))


@dataclass
class Imports:
    """Names a module needs; collected while annotating, rendered sorted."""

    models: set[str] = field(default_factory=set)
    typing: set[str] = field(default_factory=set)
    runtime: set[str] = field(default_factory=set)
    other: set[Import] = field(default_factory=set)  # stdlib types and qualified modules

    def add(self, found: set[Import]) -> None:
        for item in found:
            if item.origin == "models":
                self.models.add(item.name)
            elif item.origin == "typing":
                self.typing.add(item.name)
            elif item.origin == "runtime":
                self.runtime.add(item.name)
            elif item.qualified or item.origin != "builtins":
                self.other.add(item)

    def lines(self) -> tuple[str, ...]:
        """``import`` lines for standard-library types, plain or qualified (``import datetime as _datetime``)."""
        result: set[str] = set()
        for item in self.other:
            if item.origin == "types":
                # The typed-dict family's module, whose TypedDicts a pydantic client's arguments also take.
                result.add(f"from .. import {item.name} as _{item.name}")
            elif item.qualified:
                result.add(
                    "import builtins" if item.origin == "builtins" else f"import {item.origin} as _{item.origin}"
                )
            else:
                result.add(f"from {item.origin} import {item.name}")
        return tuple(sorted(result))


class Annotator:
    """Renders types in one flavour (a family's) in one scope, collecting the scope's imports."""

    def __init__(self, flavour: Flavour, imports: Imports, shadowed: frozenset[str] = frozenset()) -> None:
        self.flavour = flavour
        self.imports = imports
        self.shadowed = shadowed
        # A scope annotates the same types again and again (a resource's methods share their parameters'
        # types): each is rendered once, and its imports added again on every use. Not a type holding a
        # Literal: Literal((1,)) == Literal((True,)), but they are not the same text.
        self._rendered: dict[Type, tuple[str, set[Import]]] = {}

    def __call__(self, value: Type) -> str:
        known = self._rendered.get(value)
        if known is None:
            found: set[Import] = set()
            known = (typemodel.render(value, self.flavour, self.shadowed, found), found)
            if _LITERAL not in found:
                self._rendered[value] = known
        self.imports.add(known[1])
        return known[0]


_LITERAL = Import("typing", "Literal")
