"""Stage 6, models: pydantic v2 models (``models.py``) and TypedDicts (``types.py``) from the model definitions.

Both modules are written from the same definitions and type model, so a field
has the same type in both (formats aside: TypedDicts hold raw JSON). Each
definition becomes a typed record (``records``) that one small template per
kind of model lays out (``templates/models/pydantic/`` and ``typed/``: object,
enum, union, alias): ``pydantic`` and ``typeddicts`` decide, the templates
write. ``order`` puts the definitions in an order where every cycle imports;
a class may name one defined after it: the models build their pydantic
schemas on first use (``defer_build`` in the runtime's ``BaseModel``), when
every name of the module is there, so importing a large ``models`` module
costs class creation only.

A schema set too large for one module (pyright gives up on a module past a
fixed size) is written in parts, ``_models_1.py``... and ``_types_1.py``...,
that ``models.py`` and ``types.py`` re-export: enums in parts of their own,
and each part importing the other parts' names after its own definitions, so
that any cycle between parts imports. ``types.py`` then binds the aliases a
part had to write as strings to the types they name (``typeddicts``).

From ``LAZY_FROM`` definitions on, both are written in the lazy layout
(``lazy``): one module per model, or per group of models that refer to each
other, under ``_models/`` and ``_types/``, which ``models.py`` and ``types.py``
import on first use of a name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.modeldefs import EnumModel, ModelDef
from generator.models.lazy import LAZY_FROM, PACK, describe, groups, homes, imported_modules
from generator.models.module import Homes, Parts, render_entry, render_lazy_entry, render_module
from generator.models.order import ordered as in_order
from generator.models.order import split
from generator.models.pydantic import PydanticModule
from generator.models.records import CompletedAlias, EntryRecord, LazyEntryRecord
from generator.models.typeddicts import TypedDictModule, completed_aliases

__all__ = ["LAZY_FROM", "PACK", "PART_BUDGET", "ModelModule", "ModelSources", "generate_models", "split"]


@dataclass(frozen=True)
class ModelModule:
    """A module of models besides ``models.py`` and ``types.py``: a part, or a group's module of the lazy layout."""

    path: str  # relative to the package: ``_models_2.py``, ``_models/pet.py``
    description: str  # the first words of its docstring: ``Part 2 of the pydantic models``
    body: str


@dataclass(frozen=True)
class ModelSources:
    pydantic: str  # models.py
    typed_dicts: str  # types.py
    #: The parts, when the models are too many for one module (see ``split``), or the lazy layout's modules.
    parts: tuple[ModelModule, ...] = ()


#: The most statements (weighed by ``order.weight``) one model module holds. pyright stops analysing a module whose
#: code-flow graph passes a fixed size (about 30,000 nodes: two per field with a default, one per bare field),
#: and then types every name in it as unknown; a larger schema set is written in several modules.
PART_BUDGET = 12_000


def generate_models(
    definitions: Sequence[ModelDef], budget: int | None = None, lazy_from: int | None = None
) -> ModelSources:
    if not definitions:
        return ModelSources("", "")
    if len(definitions) >= (LAZY_FROM if lazy_from is None else lazy_from):
        return _lazy(definitions)
    ordered, recursive = in_order(definitions)
    parts = split(ordered, PART_BUDGET if budget is None else budget)
    docstrings: dict[str, str] = {}
    if len(parts) == 1:
        return ModelSources(
            render_module(PydanticModule(ordered, recursive, None, docstrings).record()),
            render_module(TypedDictModule(ordered, recursive, None, docstrings).record()),
        )
    home = {definition.name: index for index, part in enumerate(parts) for definition in part}
    enum_parts = frozenset(index for index, part in enumerate(parts) if all(isinstance(d, EnumModel) for d in part))
    lazy: set[str] = set()
    sources: list[ModelModule] = []
    for index, part in enumerate(parts):
        pydantic = PydanticModule(part, recursive, Parts(index, home, enum_parts, "_models"), docstrings)
        sources.append(
            ModelModule(
                f"_models_{index + 1}.py", f"Part {index + 1} of the pydantic models", render_module(pydantic.record())
            )
        )
        typed = TypedDictModule(part, recursive, Parts(index, home, enum_parts, "_types"), docstrings)
        sources.append(
            ModelModule(f"_types_{index + 1}.py", f"Part {index + 1} of the typeddicts", render_module(typed.record()))
        )
        lazy |= typed.lazy
    completed, imports = completed_aliases(parts, lazy, recursive)
    return ModelSources(_entry(parts, "_models"), _entry(parts, "_types", completed, imports), tuple(sources))


def _entry(
    parts: Sequence[Sequence[ModelDef]],
    prefix: str,
    completed: tuple[CompletedAlias, ...] = (),
    imports: tuple[str, ...] = (),
) -> str:
    names = tuple((f"{prefix}_{index + 1}", tuple(d.name for d in part)) for index, part in enumerate(parts))
    modules = tuple(sorted({module for alias in completed for module in alias.holders}))
    return render_entry(EntryRecord(names, completed, imports if completed else (), modules))


def _lazy(definitions: Sequence[ModelDef]) -> ModelSources:
    """The lazy layout: a module per group of definitions that refer to each other, and entries that import them."""
    ordered, _ = in_order(definitions)
    found = groups(ordered, PACK)
    where = Homes(homes(found))
    enums = {d.name: d for d in ordered if isinstance(d, EnumModel)}
    docstrings: dict[str, str] = {}
    modules: list[ModelModule] = []
    for package, flavour, what, entry in (
        ("_models", PydanticModule, "Pydantic model", "the pydantic models"),
        ("_types", TypedDictModule, "TypedDict", "the TypedDicts"),
    ):
        public = package.lstrip("_")
        modules.append(
            ModelModule(f"{package}/__init__.py", f"The modules ``{public}.py`` imports on first use: {entry}", "")
        )
        for group in found:
            in_group, recursive = in_order(group.definitions)
            body = render_module(flavour(in_group, recursive, where, docstrings, enums).record())
            modules.append(ModelModule(f"{package}/{group.module}.py", describe(group, what), body))
    names = tuple(sorted(d.name for d in ordered))
    needs = imported_modules(found, where.module)
    return ModelSources(
        render_lazy_entry(LazyEntryRecord("_models", names, where.module, needs)),
        render_lazy_entry(LazyEntryRecord("_types", names, where.module, needs)),
        tuple(modules),
    )
