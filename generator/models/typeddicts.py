"""The TypedDicts (``types.py``): one record per definition, laid out by ``templates/models/typed/``.

They describe the JSON as it travels, for the typed-dict clients, which never
import pydantic: enums are literals, tagged unions plain unions, and a field
keeps its JSON name. Aliases are evaluated at import, so one that names
something defined later (or itself) is written as a string. In a module split
into parts, that is every alias naming another part's definitions: once every
part is loaded, ``types.py`` binds each to the type it names
(:func:`completed_aliases`), since a string names nothing from another module
and ``typing.get_type_hints`` would fail on any annotation that uses it.
"""

from __future__ import annotations

import keyword
from collections.abc import Mapping, Sequence

from generator.modeldefs import AliasModel, EnumModel, ModelDef, ObjectModel, TaggedUnion
from generator.models.module import SHADOWABLE, Homes, Kind, ModuleWriter, Parts
from generator.models.order import references
from generator.models.records import AliasBlock, CompletedAlias, FieldLine, ModuleRecord, TypedDictBlock
from generator.text import string_literal
from generator.typemodel import Import, Literal, Model, NotRequired, Type, literal_source, union, walk


class TypedDictModule(ModuleWriter):
    """``types.py``, or one part of it."""

    flavour = "json"

    def __init__(
        self,
        ordered: Sequence[ModelDef],
        recursive: frozenset[str],
        parts: Parts | Homes | None = None,
        docstrings: dict[str, str] | None = None,
        enums: Mapping[str, EnumModel] | None = None,
    ) -> None:
        super().__init__(ordered, recursive, parts, docstrings, enums)
        self.lazy: set[str] = set()  # of a part: aliases written as strings

    def record(self) -> ModuleRecord:
        blocks: list[str] = []
        defined: set[str] = set(self.imported)
        for definition in self.ordered:
            if isinstance(definition, ObjectModel):
                blocks.append(self.lay_out("object", self._typed_dict(definition)))
            else:
                kind, value = self._aliased(definition)
                blocks.append(self.lay_out(kind, self._alias(definition, value, defined)))
            if definition.name not in self.lazy:
                defined.add(definition.name)
        not_required = Import("typing", "NotRequired") in self.found
        self.found.discard(Import("typing", "NotRequired"))  # imported by the module template's shim
        if any(isinstance(d, ObjectModel) for d in self.ordered):
            self.found.add(Import("typing", "TypedDict"))
        if any(not isinstance(d, ObjectModel) for d in self.ordered):
            self.found.add(Import("typing", "TypeAlias"))
        first, last = self.foreign()
        imports = (*(["import sys"] if not_required else []), *self.import_lines(), *first)
        return ModuleRecord(imports, tuple(blocks), tuple(last), not_required_shim=not_required)

    @staticmethod
    def _aliased(definition: ModelDef) -> tuple[Kind, Type]:
        """What a definition other than an object is in the TypedDicts: its kind, and the type it names."""
        if isinstance(definition, EnumModel):
            return "enum", union(*(Literal((item,)) for _, item in definition.members))
        if isinstance(definition, TaggedUnion):
            return "union", union(*(Model(model) for model in dict.fromkeys(model for _, model in definition.variants)))
        assert isinstance(definition, AliasModel)
        return "alias", definition.type

    def _alias(self, definition: ModelDef, value: Type, defined: set[str]) -> AliasBlock:
        text = self.type(value)
        named = {node.name for node in walk(value) if isinstance(node, Model)}
        later = named - defined - {definition.name}
        if (
            definition.name in named
            or any(
                not isinstance(self.ordered[self.position[used]], ObjectModel)
                for used in later
                if used in self.position
            )
            or (self.parts is not None and bool(later))
        ):
            text = string_literal(text)  # evaluated at import otherwise: a cycle of aliases needs the quotes
            if self.parts is not None:
                self.lazy.add(definition.name)  # a string: no later alias of the part may use it in an expression
        return AliasBlock(definition, text, self.docstring(definition.description))

    def _typed_dict(self, model: ObjectModel) -> TypedDictBlock:
        wire_names = [field.wire_name for field in model.fields]
        used = {node.name for field in model.fields for node in walk(field.type) if isinstance(node, Model)}
        # A key that is a keyword, not an identifier, or the name of a model it uses needs the functional form.
        functional = any(not name.isidentifier() or keyword.iskeyword(name) or name in used for name in wire_names)
        shadowed = frozenset(wire_names) & SHADOWABLE
        fields: list[FieldLine] = []
        for field in model.fields:
            value: Type = field.type if field.required else NotRequired(field.type)
            if functional:
                # The functional form evaluates its values at once: quoted, they may name later classes.
                fields.append(FieldLine(literal_source(field.wire_name), string_literal(self.type(value))))
            else:
                fields.append(
                    FieldLine(field.wire_name, self.type(value, shadowed), None, self.docstring(field.description))
                )
        return TypedDictBlock(model, self.docstring(model.description), functional, tuple(fields))


def completed_aliases(
    parts: Sequence[Sequence[ModelDef]], lazy: set[str], recursive: frozenset[str], prefix: str = "_types"
) -> tuple[tuple[CompletedAlias, ...], tuple[str, ...]]:
    """The aliases written as strings in the parts, as ``types.py`` binds them once every part is loaded; the
    imports their values need.

    In definition order, which puts an alias after the aliases it uses. A
    recursive alias stays a string (it names itself), and so does an alias that
    uses one: ``X | "..."`` cannot be evaluated.
    """
    ordered = [definition for part in parts for definition in part]
    home = {definition.name: index for index, part in enumerate(parts) for definition in part}
    holders: dict[str, set[int]] = {}
    for index, part in enumerate(parts):
        for definition in part:
            for name in references(definition):
                holders.setdefault(name, set()).add(index)
    writer = TypedDictModule(ordered, recursive)
    kept: set[str] = set(recursive)
    completed: list[CompletedAlias] = []
    for definition in ordered:
        if definition.name not in lazy or isinstance(definition, ObjectModel):
            continue
        if definition.name in kept or references(definition) & kept:
            kept.add(definition.name)
            continue
        _, value = writer._aliased(definition)
        modules = tuple(
            f"{prefix}_{index + 1}" for index in sorted({home[definition.name], *holders.get(definition.name, ())})
        )
        targets = tuple(f"{module}.{definition.name}" for module in modules)
        completed.append(CompletedAlias(definition.name, writer.type(value), modules, targets))
    return tuple(completed), tuple(writer.import_lines())
