"""The records the model templates lay out: one per definition, one per module.

Every decision is taken before a record exists: which types a field
annotation names (rendered by the type model), its default, whether a
definition is written lazily as a string, which names a module imports. A
template under ``templates/models/`` only lays a record out; each record keeps
the definition it was made from (``model``) for a template that needs more of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from generator.modeldefs import EnumModel, ModelDef, ObjectModel


@dataclass(frozen=True)
class FieldLine:
    """One field of a class: ``name: annotation = default``, then its docstring."""

    name: str  # the pydantic attribute or the TypedDict key; in a functional TypedDict, the key as a literal
    annotation: str  # rendered; in a functional TypedDict, quoted
    default: str | None = None  # Python source; None: no default
    docstring: str = ""  # docstring-safe text; "": none


@dataclass(frozen=True)
class EnumBlock:
    """A pydantic enum class."""

    model: EnumModel
    base: str  # ``OpenEnum`` or ``OpenIntEnum``
    docstring: str
    members: tuple[tuple[str, str], ...]  # (member name, value as Python source)


@dataclass(frozen=True)
class ClassBlock:
    """A pydantic model class."""

    model: ObjectModel
    docstring: str
    protected_namespaces: bool  # a field starts with ``model_``: pydantic's protected namespaces are off
    python_regex: bool  # a pattern needs Python's ``re`` (a backreference, a lookaround)
    fields: tuple[FieldLine, ...]


@dataclass(frozen=True)
class TypedDictBlock:
    """A TypedDict, as a class, or in the functional form when a key cannot be a class attribute."""

    model: ObjectModel
    docstring: str
    functional: bool
    fields: tuple[FieldLine, ...]


@dataclass(frozen=True)
class AliasBlock:
    """A named type: an alias, a tagged union, or (in the TypedDicts) an enum's literals."""

    model: ModelDef
    value: str  # the rendered type, quoted when it is evaluated later
    docstring: str


Block = EnumBlock | ClassBlock | TypedDictBlock | AliasBlock


@dataclass(frozen=True)
class ModuleRecord:
    """One module of models or TypedDicts (or one part of it)."""

    imports: tuple[str, ...]  # import lines, in order
    blocks: tuple[str, ...]  # each definition, laid out by its kind's template
    footer: tuple[str, ...] = ()  # the other parts' names (imported last)
    not_required_shim: bool = False  # TypedDicts: ``NotRequired`` from typing (3.11+) or typing_extensions


@dataclass(frozen=True)
class CompletedAlias:
    """A TypedDict alias written as a string in its part, bound to the type it names once every part is loaded."""

    name: str
    value: str  # the rendered type, unquoted
    holders: tuple[str, ...]  # the part modules that bind the name: its own, and those that import it
    targets: tuple[str, ...]  # where it is bound, in each of them: ``_types_2.ASTNode``


@dataclass(frozen=True)
class EntryRecord:
    """The public module of split models: every name re-exported from its part, then the definitions completed."""

    parts: tuple[tuple[str, tuple[str, ...]], ...]  # (part module, its names)
    completed: tuple[CompletedAlias, ...] = ()  # TypedDict aliases that are strings in their parts, in order
    completed_imports: tuple[str, ...] = ()  # what their values name besides the models (``from typing import Any``)
    completed_modules: tuple[str, ...] = ()  # the parts that hold them


@dataclass(frozen=True)
class LazyEntryRecord:
    """``models.py`` or ``types.py`` of the lazy layout: every name, and the module of ``package`` that defines it."""

    package: str  # ``_models`` or ``_types``
    names: tuple[str, ...]  # sorted
    homes: Mapping[str, str]  # name → module in ``package``
    needs: tuple[tuple[str, tuple[str, ...]], ...]  # (module, the modules it imports), for each that imports any

    def imports(self) -> list[tuple[str, list[str]]]:
        """(module, its names) in the modules' order, for the imports type checkers read."""
        by_module: dict[str, list[str]] = {}
        for name in self.names:
            by_module.setdefault(self.homes[name], []).append(name)
        return sorted(by_module.items())
