"""How the generated code sees each place of a spec, for ``clientgen diff``.

One ``Shape`` per side, over the value definitions (``values``: each model's
and each operation's places as the schema stage typed them) and the model
definitions; no schema is read here. Named
(component) models the package defines as classes (an ``ObjectModel`` or an
``EnumModel``) stay references: a field of type ``Pet`` is a ``Pet``.
Everything the user never sees as a class of its own is seen through: hoisted
inline models (named after where they sit) and aliases (a named union or
primitive). ``allOf`` is not merged here: the schema stage merged it once and
recorded on each merged object which model declares each inherited field, its
parents and the fields it requires itself (``flatten`` reads them). The set of
Python-visible kinds of a schema (``string``, ``binary``, ``ref:Pet``) and
whether it admits null are what type changes are judged on.

Kinds come from the type model (each ``Value``'s type), the tree
``api.txt``, the signatures and the models are written from: unions as the
type model flattens them, a ``Literal`` (an enum or a constant, one value or
several, alone or in a union) as its values' JSON types, whose values are then
compared as an enum's (``literal_values``), so a constant and a
one-value enum, or an enum and a union of constants, are the same type here as
in the generated code. Messages describe a type as ``typemodel.render`` writes
it: a binary string is ``bytes`` in the models, so a string that becomes binary
is a type change here too; formats compare through ``validated_format``, itself
the type model's.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.modeldefs import AliasModel, EnumModel, ModelDef, ObjectModel, TaggedUnion
from generator.typemodel import (
    ANY,
    NONE,
    DictOf,
    ListOf,
    Literal,
    Model,
    Primitive,
    Type,
    render,
    union,
)
from generator.typemodel import members as type_members
from generator.values import ModelValues, Value


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


@dataclass(frozen=True)
class Flat:
    """An object's fields with ``allOf`` merged: value, required set, declaring model."""

    properties: dict[str, Value] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    owners: dict[str, str] = field(default_factory=dict)  # field → model that declares it ("" for inline)
    parents: frozenset[str] = frozenset()  # component models it inherits from, transitively
    own_required: frozenset[str] = frozenset()  # required by the model itself, not by a parent


class Shape:
    """One side's places, read as the generated code reads them."""

    def __init__(self, values: ModelValues, components: frozenset[str], definitions: Iterable[ModelDef]) -> None:
        self.values = values
        self.components = components  # names of component models (the rest were hoisted)
        self.definitions = {model.name: model for model in definitions}  # what the package defines for each model
        # Named unions the models tell apart by a tag, with a fallback.
        self.tagged = frozenset(name for name, model in self.definitions.items() if isinstance(model, TaggedUnion))

    @staticmethod
    def ref(value: Value) -> str | None:
        """The model a place names (the type model's ``Model``: a ``$ref``, or an ``allOf`` of that one reference)."""
        return value.type.name if isinstance(value.type, Model) else None

    def model(self, name: str) -> Value:
        """A model's own value (its normalised schema's, as the schema stage typed it)."""
        return self.values[name]

    def is_component(self, name: str) -> bool:
        return name in self.components and name in self.definitions

    def is_inline(self, name: str) -> bool:
        return name in self.definitions and name not in self.components

    def is_class(self, name: str) -> bool:
        """A component the package defines as a class (a model or an enum, by its model definition), not an alias."""
        return self.is_component(name) and isinstance(self.definitions.get(name), (ObjectModel, EnumModel))

    def names_model(self, value: Value) -> bool:
        """A reference to a class the user knows by name."""
        name = self.ref(value)
        return name is not None and self.is_class(name)

    def see(self, value: Value, expand_classes: bool = False) -> Value:
        """The place with inline models and aliases seen through (``allOf`` was merged once, in the schema stage)."""
        seen: set[str] = set()
        while True:
            name = self.ref(value)
            if name is None or name in seen or name not in self.definitions:
                break
            if self.is_class(name) and not expand_classes:
                return value
            seen.add(name)
            value = self.model(name)
        return value

    def definition_type(self, name: str) -> Type:
        """The type a model the package does not define as a class stands for, from its model definition: an
        alias's type, a tagged union's variants, a hoisted enum's values, a hoisted object's dict."""
        model = self.definitions.get(name)
        if isinstance(model, AliasModel):
            return model.type
        if isinstance(model, TaggedUnion):
            return union(*(Model(variant) for variant in dict.fromkeys(variant for _, variant in model.variants)))
        if isinstance(model, EnumModel):
            return union(*(Literal((value,)) for _, value in model.members))
        if isinstance(model, ObjectModel):
            return DictOf(model.extra or ANY)
        return ANY

    def _seen_through(self, member: Type) -> str | None:
        """The model a type member names when the generated code has no class for it (an alias, a hoisted model)."""
        if isinstance(member, Model) and member.name in self.definitions and not self.is_class(member.name):
            return member.name
        return None

    def kinds(self, value: Value, label: Callable[[str], str]) -> tuple[frozenset[str], bool]:
        """The kinds of value a place admits (``ref:Model`` for classes) and whether null is one."""
        return self.type_kinds(value.type, label)

    def type_kinds(self, value: Type, label: Callable[[str], str], depth: int = 0) -> tuple[frozenset[str], bool]:
        """The kinds of value a type admits (``ref:Model`` for classes) and whether null is one.

        Judged as the type model types it: the type ``api.txt``, the signatures and the models show. A
        ``Literal`` is judged as its values' JSON types here; the values themselves are compared apart
        (``literal_values``). Models without a class of their own are seen through their definitions.
        """
        if depth > 50:
            return frozenset({"any"}), False
        found: set[str] = set()
        nullable = False
        for member in type_members(value):
            if member == NONE:
                nullable = True
            elif isinstance(member, Model):
                name = self._seen_through(member)
                if name is None:
                    found.add("ref:" + label(member.name))
                    continue
                member_kinds, member_nullable = self.type_kinds(self.definition_type(name), label, depth + 1)
                found |= member_kinds
                nullable = nullable or member_nullable
            elif isinstance(member, Literal):
                found.update(json_type(value) for value in member.values)
            else:
                found.add(_leaf_kind(member))
        return frozenset(found), nullable

    def literal_values(self, value: Value) -> list[Any] | None:
        """The values of the ``Literal`` the generated code has for a place: an enum's, a constant's or a union's
        of them, aliases and hoisted models seen through; None when it has none (a class is compared as a class)."""
        return self._literal_values(value.type) or None

    def _literal_values(self, value: Type, depth: int = 0) -> list[Any]:
        values: list[Any] = []
        for member in type_members(value):
            name = self._seen_through(member)
            if isinstance(member, Literal):
                values.extend(member.values)
            elif name is not None and depth < 50:
                values.extend(self._literal_values(self.definition_type(name), depth + 1))
        return values

    def is_literal(self, value: Value) -> bool:
        """A place the generated code types as a ``Literal`` alone (nullable or not), aliases seen through."""
        return self._is_literal(value.type)

    def _is_literal(self, value: Type, depth: int = 0) -> bool:
        literal = False
        for member in type_members(value):
            name = self._seen_through(member)
            if name is not None:
                if depth >= 50 or not self._is_literal(self.definition_type(name), depth + 1):
                    return False
                literal = True
            elif isinstance(member, Literal):
                literal = True
            elif member != NONE:
                return False
        return literal

    @staticmethod
    def describe(value: Value) -> str:
        """The type as the generated code shows it, for messages: ``str``, ``Pet``, ``int | None``."""
        return render(value.type)


#: The kind of each leaf of the type model: JSON's names, and ``binary`` for bytes (a ``str`` no more).
_PRIMITIVE_KINDS = {
    "str": "string",
    "int": "integer",
    "float": "number",
    "bool": "boolean",
    "bytes": "binary",
    "object": "object",
}


def _leaf_kind(value: Type) -> str:
    if isinstance(value, Primitive):
        return _PRIMITIVE_KINDS[value.kind]
    if isinstance(value, ListOf):
        return "array"
    if isinstance(value, DictOf):
        return "object"
    return "any"  # Any; a Literal is not reached here: ``kinds`` reads its values' types


def flatten(value: Value, shape: Shape, owner: str = "") -> Flat:
    """An object's fields as the schema stage merged them (``allOf`` parts, inherited fields, declaring models).

    The schema stage merged every ``allOf`` of objects once and recorded which
    model declares each inherited field, which models it inherits from and
    which fields it requires itself; nothing is merged again here.
    """
    fields = value.fields
    declared_by = dict(fields.owners)
    properties = dict(fields.values)
    parents = frozenset(name for name in fields.parents if shape.is_component(name))
    own_required = fields.required if fields.own_required is None else fields.own_required
    owners = {prop: declared_by.get(prop, owner) for prop in properties}
    return Flat(properties, fields.required, owners, parents, own_required)


def similarity(old: ModelDef, new: ModelDef, old_shape: Shape, new_shape: Shape) -> float:
    """How alike two models are, 0 to 1, by their model definitions: shared fields and their types as the
    models declare them (objects), values (enums and literals) or kinds of member (unions, aliases)."""
    if isinstance(old, ObjectModel) or isinstance(new, ObjectModel):
        return _jaccard(_field_keys(old), _field_keys(new))
    old_values, new_values = _values(old, old_shape), _values(new, new_shape)
    if old_values is not None and new_values is not None:
        return _jaccard(old_values, new_values)
    old_kinds, _ = old_shape.type_kinds(old_shape.definition_type(old.name), lambda name: name)
    new_kinds, _ = new_shape.type_kinds(new_shape.definition_type(new.name), lambda name: name)
    return _jaccard(set(old_kinds), set(new_kinds))


def _field_keys(model: ModelDef) -> set[str]:
    """``name`` and ``name:type`` of each field of an object model (none for other kinds of model)."""
    if not isinstance(model, ObjectModel):
        return set()
    return {f"{field.wire_name}:{render(field.type)}" for field in model.fields} | {
        field.wire_name for field in model.fields
    }


def _values(model: ModelDef, shape: Shape) -> set[str] | None:
    """An enum's values, or those of the ``Literal`` an alias is, as JSON; None for anything else."""
    if isinstance(model, EnumModel):
        return {json.dumps(value) for _, value in model.members}
    if isinstance(model, AliasModel) and shape._is_literal(model.type):
        return {json.dumps(value) for value in shape._literal_values(model.type)}
    return None


def _jaccard(left: set[str], right: set[str]) -> float:
    if not left and not right:
        return 1.0
    return len(left & right) / len(left | right)


def component_names(names: Mapping[str, str]) -> frozenset[str]:
    """Model names given to component schemas (``ModelNames.by_key``'s values)."""
    return frozenset(names.values())
