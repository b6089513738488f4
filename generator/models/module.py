"""What the pydantic and TypedDict modules share: the parts of a split module, the imports, the templates.

A ``ModuleWriter`` holds one module being written: its definitions in order,
the imports the types it renders collect, and, for a part of a split module or
a group's module of the lazy layout (``lazy``), where every other name lives. Each definition becomes a record that the
template of its kind lays out (``templates/models/<flavour>/<kind>.py.jinja``,
which defines one macro, ``lay_out(block)``, fetched once and called per
definition); the module template puts imports, definitions and footer together.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

from generator.modeldefs import EnumModel, ModelDef
from generator.models.order import references
from generator.models.records import Block, EntryRecord, LazyEntryRecord, ModuleRecord
from generator.templating import template
from generator.typemodel import Flavour, Import, Type, render
from generator.view.annotate import BUILTIN_TYPES
from generator.view.docstrings import docstring_text

#: Names a field can hide from the annotations of its class.
SHADOWABLE = BUILTIN_TYPES | {"UUID", "datetime", "date", "time"}

Kind = Literal["object", "enum", "union", "alias"]
#: The template folder of each flavour.
_FOLDERS: Mapping[Flavour, str] = {"python": "pydantic", "json": "typed"}


@dataclass(frozen=True)
class Parts:
    """Where the definitions of a split module live: this part's index, each name's part, the enum-only parts."""

    index: int
    home: Mapping[str, int]
    enum_parts: frozenset[int]
    prefix: str  # "_models" or "_types"


@dataclass(frozen=True)
class Homes:
    """Where the definitions of the lazy layout live: each name's module in the package of groups (``lazy``)."""

    module: Mapping[str, str]


@cache
def _kind_template(flavour: Flavour, kind: Kind) -> Callable[[Block], str]:
    """The ``lay_out`` macro of a kind's template: a call costs a tenth of rendering a template anew."""
    lay_out: Callable[[Block], str] = template(f"models/{_FOLDERS[flavour]}/{kind}.py.jinja").module.lay_out  # type: ignore[attr-defined]
    return lay_out


class ModuleWriter:
    """One module being written: its definitions in order, the imports they collect."""

    flavour: Flavour

    def __init__(
        self,
        ordered: Sequence[ModelDef],
        recursive: frozenset[str],
        parts: Parts | Homes | None = None,
        docstrings: dict[str, str] | None = None,
        enums: Mapping[str, EnumModel] | None = None,
    ) -> None:
        self.ordered = ordered
        self.recursive = recursive
        self.parts = parts if isinstance(parts, Parts) else None
        self.homes = parts if isinstance(parts, Homes) else None
        # A group's module imports the runtime from one package up.
        self.up = ".." if self.homes is not None else "."
        # Description → docstring text, shared by the modules of one run: both flavours show the same prose.
        self.docstrings = {} if docstrings is None else docstrings
        self.found: set[Import] = set()
        # A group of the lazy layout names enums of other modules in its defaults: every enum of the set.
        self.enums = enums if enums is not None else {d.name: d for d in ordered if isinstance(d, EnumModel)}
        self.position = {d.name: index for index, d in enumerate(ordered)}
        # The lazy layout's groups import what they name at their top: those names are there from the start.
        self.imported = frozenset(
            name for d in ordered for name in references(d) if name not in self.position and self.homes is not None
        )

    def type(self, value: Type, shadowed: frozenset[str] = frozenset()) -> str:
        return render(value, self.flavour, shadowed, self.found)

    def docstring(self, description: str) -> str:
        """A description as docstring text; "" when there is nothing to say."""
        if not description:
            return ""
        text = self.docstrings.get(description)
        if text is None:
            text = self.docstrings[description] = docstring_text(description)
        return text

    def lay_out(self, kind: Kind, block: Block) -> str:
        """One definition, as the template of its kind and this module's flavour writes it."""
        return _kind_template(self.flavour, kind)(block)

    def foreign(self) -> tuple[list[str], list[str]]:
        """A part's imports from the other parts: those it needs while it runs (enums), and the rest (at its end).

        Importing the rest last, after every definition, makes the parts' import
        cycles harmless: a part being imported has always defined its names.
        """
        if self.homes is not None:
            modules: dict[str, set[str]] = {}
            for name in self.imported:
                modules.setdefault(self.homes.module[name], set()).add(name)
            return [
                f"from .{module} import {', '.join(sorted(names))}" for module, names in sorted(modules.items())
            ], []
        if self.parts is None:
            return [], []
        used: dict[int, set[str]] = {}
        for definition in self.ordered:
            for name in references(definition):
                home = self.parts.home.get(name)
                if home is not None and home != self.parts.index:
                    used.setdefault(home, set()).add(name)
        first: list[str] = []
        last: list[str] = []
        for home, names in sorted(used.items()):
            line = f"from .{self.parts.prefix}_{home + 1} import {', '.join(sorted(names))}"
            (first if home in self.parts.enum_parts else last).append(line)
        return first, last

    def import_lines(self) -> list[str]:
        """Standard-library and typing imports of the types rendered so far (models and the runtime aside)."""
        by_module: dict[str, set[str]] = {}
        plain: set[str] = set()
        for item in self.found:
            if item.origin in ("models", "runtime"):
                continue
            if item.qualified:
                plain.add("import builtins" if item.origin == "builtins" else f"import {item.origin} as _{item.origin}")
            elif item.origin != "builtins":
                by_module.setdefault(item.origin, set()).add(item.name)
        lines = sorted(plain)
        lines.extend(f"from {module} import {', '.join(sorted(names))}" for module, names in sorted(by_module.items()))
        return lines


def render_module(record: ModuleRecord) -> str:
    return template("models/module.py.jinja").render(module=record)


def render_entry(record: EntryRecord) -> str:
    return template("models/entry.py.jinja").render(entry=record)


def render_lazy_entry(record: LazyEntryRecord) -> str:
    return template("models/lazy_entry.py.jinja").render(entry=record)
