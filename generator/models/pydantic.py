"""The pydantic v2 models (``models.py``): one record per definition, laid out by ``templates/models/pydantic/``.

Objects derive from the runtime's ``BaseModel`` (pydantic's, with ``to_dict()``
and ``to_json()``). Forward compatible: enums derive from the runtime's ``OpenEnum`` or
``OpenIntEnum`` (an unknown value parses), and a tagged union gets a callable
discriminator with a fallback member, so a variant the client does not know
yet is kept as a dict instead of failing the whole response.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from generator.modeldefs import (
    MISSING,
    AliasModel,
    EnumModel,
    Field,
    ModelDef,
    ObjectModel,
    TaggedUnion,
    needs_python_regex,
)
from generator.models.module import SHADOWABLE, Homes, ModuleWriter, Parts
from generator.models.records import AliasBlock, ClassBlock, EnumBlock, FieldLine, ModuleRecord
from generator.text import string_literal
from generator.typemodel import (
    ANY,
    NONE,
    Annotated,
    DictOf,
    Literal,
    Model,
    Primitive,
    Type,
    literal_source,
    members,
    render,
    union,
    walk,
)
from generator.values import field_arguments


class PydanticModule(ModuleWriter):
    """``models.py``, or one part of it."""

    flavour = "python"

    def __init__(
        self,
        ordered: Sequence[ModelDef],
        recursive: frozenset[str],
        parts: Parts | Homes | None = None,
        docstrings: dict[str, str] | None = None,
        enums: Mapping[str, EnumModel] | None = None,
    ) -> None:
        super().__init__(ordered, recursive, parts, docstrings, enums)

    def record(self) -> ModuleRecord:
        blocks: list[str] = []
        runtime: set[str] = set()
        pydantic_names: set[str] = set()
        base_model = False
        defined: set[str] = set(self.imported)
        for definition in self.ordered:
            if isinstance(definition, EnumModel):
                block = self._enum(definition)
                runtime.add(block.base)
                blocks.append(self.lay_out("enum", block))
            elif isinstance(definition, ObjectModel):
                pydantic_names.add("ConfigDict")
                base_model = True
                # A class naming a later one (or another part's) needs no model_rebuild(): the models build
                # their schemas on first use (defer_build in the runtime's BaseModel), when every name is there.
                blocks.append(self.lay_out("object", self._class(definition, pydantic_names)))
            elif isinstance(definition, TaggedUnion):
                runtime.update({"UNKNOWN_VARIANT", "UnknownVariantDict", "variant_tag"})
                pydantic_names.update({"Discriminator", "Tag as _Tag"})  # a model may well be called Tag
                blocks.append(self.lay_out("union", self._alias(definition, self._tagged(definition), defined)))
            else:
                blocks.append(self.lay_out("alias", self._alias(definition, definition.type, defined)))
            defined.add(definition.name)
        first, last = self.foreign()
        imports = [*self.import_lines(), *first]
        if pydantic_names:
            imports.append(f"from pydantic import {', '.join(sorted(pydantic_names))}")
        if base_model:  # pydantic's BaseModel with to_dict() and to_json()
            imports.append(f"from {self.up}_runtime.base_model import BaseModel")
        if any(isinstance(d, (AliasModel, TaggedUnion)) for d in self.ordered):
            imports.append("from typing_extensions import TypeAliasType")
        if runtime:
            imports.append(f"from {self.up}_runtime import {', '.join(sorted(runtime))}")
        return ModuleRecord(tuple(imports), tuple(blocks), tuple(last))

    def _enum(self, enum: EnumModel) -> EnumBlock:
        return EnumBlock(
            model=enum,
            base="OpenEnum" if enum.base == "str" else "OpenIntEnum",
            docstring=self.docstring(enum.description),
            members=tuple((name, literal_source(value)) for name, value in enum.members),
        )

    def _class(self, model: ObjectModel, pydantic_names: set[str]) -> ClassBlock:
        shadowed = frozenset(field.attribute for field in model.fields) & SHADOWABLE
        fields: list[FieldLine] = []
        for field in model.fields:
            value = (
                field.type
                if field.required or field.default is not MISSING and field.default is not None
                else union(field.type, NONE)
            )
            arguments: list[str] = []
            if field.attribute != field.wire_name:
                arguments.append(f"alias={literal_source(field.wire_name)}")
            arguments.extend(
                f"{name}={literal_source(constraint)}" for name, constraint in field_arguments(field.constraints)
            )
            default, in_field = self._default(field)
            if in_field:
                arguments.insert(0, f"default={default}, validate_default=True")
                default = None
            if arguments:
                pydantic_names.add("Field")
                if in_field:
                    default = f"Field({', '.join(arguments)})"
                else:
                    value = Annotated(value, (f"Field({', '.join(arguments)})",))
            fields.append(
                FieldLine(field.attribute, self.type(value, shadowed), default, self.docstring(field.description))
            )
        return ClassBlock(
            model=model,
            docstring=self.docstring(model.description),
            # Fields named ``model_...`` shadow nothing of pydantic's (see modeldefs._attribute).
            protected_namespaces=any(field.attribute.startswith("model_") for field in model.fields),
            python_regex=needs_python_regex(model),
            fields=tuple(fields),
        )

    def _default(self, field: Field) -> tuple[str | None, bool]:
        """The default's source (``None``: required) and whether it must go through ``Field(default=...)``."""
        if field.required:
            return None, False
        if field.default is MISSING or field.default is None:
            return "None", False
        default = field.default
        for member in members(field.type):
            if isinstance(member, Model) and member.name in self.enums:
                for name, item in self.enums[member.name].members:
                    if item == default and type(item) is type(default):
                        return f"{member.name}.{name}", False
            if isinstance(member, Literal) and any(
                item == default and type(item) is type(default) for item in member.values
            ):
                return literal_source(default), False
            if isinstance(member, Primitive) and _scalar_fits(member, default) and render(member) == member.kind:
                return literal_source(default), False
        # A default the annotation does not admit as written (a UUID as text, a list): pydantic validates it.
        return literal_source(default), True

    def _tagged(self, union_model: TaggedUnion) -> Type:
        """The tagged union's type: each variant tagged, a fallback for tags the client does not know yet."""
        tags = ", ".join(literal_source(tag) for tag, _ in union_model.variants) + (
            "," if len(union_model.variants) == 1 else ""
        )
        attribute = self._attribute_of(union_model.variants[0][1], union_model.wire_name)
        variants = [Annotated(Model(model), (f"_Tag({literal_source(tag)})",)) for tag, model in union_model.variants]
        fallback = Annotated(DictOf(ANY), ("UnknownVariantDict()", "_Tag(UNKNOWN_VARIANT)"))
        discriminator = f"Discriminator(variant_tag({literal_source(union_model.wire_name)}, {literal_source(attribute)}, ({tags})))"
        return Annotated(union(*variants, fallback), (discriminator,))

    def _attribute_of(self, model: str, wire_name: str) -> str:
        for definition in self.ordered:
            if isinstance(definition, ObjectModel) and definition.name == model:
                for field in definition.fields:
                    if field.wire_name == wire_name:
                        return field.attribute
        return wire_name

    def _alias(self, definition: AliasModel | TaggedUnion, value: Type, defined: set[str]) -> AliasBlock:
        text = self.type(value)
        named = {node.name for node in walk(value) if isinstance(node, Model)}
        if definition.name in named or (self.parts is not None and not named <= defined):
            # It names itself, or a name a part imports at its end: evaluated later, by pydantic and type checkers.
            text = string_literal(text)
        return AliasBlock(definition, text, self.docstring(definition.description))


def _scalar_fits(member: Primitive, value: object) -> bool:
    if member.kind == "bool":
        return isinstance(value, bool)
    if member.kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if member.kind == "float":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if member.kind == "str":
        return isinstance(value, str)
    return False
