"""How the generated code sees a normalised schema, for ``clientgen diff``.

One ``Shape`` per side. Named (component) models that are classes (objects
and enums) stay references: a field of type ``Pet`` is a ``Pet``. Everything
the user never sees as a class of its own is seen through: hoisted inline
models (named after where they sit), aliases (a named union or primitive) and
``allOf`` (merged, inherited fields included, each field knowing the model
that declares it). The set of Python-visible kinds of a schema
(``string``, ``binary``, ``ref:Pet``, ``const:"a"``) and whether it admits null are what
type changes are judged on.

A leaf's kinds come from the type model (``typemodel.schema_type``), the tree
``api.txt``, the signatures and the models are written from, and messages
describe a type as ``typemodel.render`` writes it: a binary string is
``bytes`` in the models, so a string that becomes binary is a type change
here too. Named models, unions, enums and constants stay schema-level: the
type model says ``Pet`` where the diff must know whether ``Pet`` is a class
(compared by matched name) or an alias or hoisted model (seen through), and
one ``Literal`` where the diff tells an enum value added from a constant
changed; formats compare through ``validated_format``, itself the type model's.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.modeldefs import tagged_unions
from generator.pointer import ref_name
from generator.schemas import OWN_REQUIRED, OWNERS, PARENTS, SchemaSet
from generator.typemodel import NONE, DictOf, ListOf, Primitive, Type, render, schema_type
from generator.typemodel import members as type_members

_UNIONS = ("anyOf", "oneOf")


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
    """An object's fields with ``allOf`` merged: schema, required set, declaring model."""

    properties: dict[str, Any] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    owners: dict[str, str] = field(default_factory=dict)  # field → model that declares it ("" for inline)
    parents: frozenset[str] = frozenset()  # component models it inherits from, transitively
    own_required: frozenset[str] = frozenset()  # required by the model itself, not by a parent


class Shape:
    """One side's schema set, read as the generated code reads it."""

    def __init__(self, schemas: SchemaSet, components: frozenset[str]) -> None:
        self.schemas = schemas
        self.models = schemas.models
        self.components = components  # names of component models (the rest were hoisted)
        self.tagged = frozenset(tagged_unions(schemas))  # named unions the models tell apart by a tag, with a fallback

    def ref(self, schema: Any) -> str | None:
        """The model a schema names: ``$ref``, or an ``allOf`` of that one reference (the type model's ``Model``)."""
        if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            return ref_name(schema["$ref"])
        members = schema.get("allOf") if isinstance(schema, dict) else None
        if isinstance(members, list) and len(members) == 1 and not schema.get("properties"):
            return self.ref(members[0])
        return None

    def is_component(self, name: str) -> bool:
        return name in self.components and name in self.models

    def is_inline(self, name: str) -> bool:
        return name in self.models and name not in self.components

    def is_class(self, name: str) -> bool:
        """A component the user knows as a class (object or enum), not an alias."""
        return self.is_component(name) and is_class_schema(self.models[name])

    def names_model(self, schema: Any) -> bool:
        """A reference to a class the user knows by name."""
        name = self.ref(schema)
        return name is not None and self.is_class(name)

    def see(self, schema: Any, expand_classes: bool = False) -> Any:
        """The schema with inline models and aliases seen through, ``allOf`` merged."""
        seen: set[str] = set()
        while True:
            name = self.ref(schema)
            if name is None or name in seen or name not in self.models:
                break
            if self.is_class(name) and not expand_classes:
                return schema
            seen.add(name)
            schema = self.models[name]
        if isinstance(schema, dict) and isinstance(schema.get("allOf"), list):
            return self.merged(schema)
        return schema

    def merged(self, schema: dict[str, Any]) -> dict[str, Any]:
        """An ``allOf`` as one schema: keywords combined, fields merged."""
        result: dict[str, Any] = {key: value for key, value in schema.items() if key != "allOf"}
        for member in schema.get("allOf") or []:
            part = self.see(member, expand_classes=True)
            if isinstance(part, dict):
                for key, value in part.items():
                    if key not in ("properties", "required"):
                        result.setdefault(key, value)
        flat = flatten(schema, self)
        if flat.properties:
            result["properties"] = flat.properties
            result["required"] = sorted(flat.required)
            result.setdefault("type", "object")
        return result

    def kinds(self, schema: Any, label: Callable[[str], str], depth: int = 0) -> tuple[frozenset[str], bool]:
        """The kinds of value a schema admits (``ref:Model`` for classes) and whether null is one."""
        if depth > 50:
            return frozenset({"any"}), False
        name = self.ref(schema)
        if name is not None:
            if name not in self.models:
                return frozenset({"ref:" + label(name)}), False
            if self.is_class(name):
                return frozenset({"ref:" + label(name)}), False
            return self.kinds(self.models[name], label, depth + 1)
        if not isinstance(schema, dict) or not schema:
            return frozenset({"any"}), False
        if "const" in schema:
            value = schema["const"]
            return (
                (frozenset({"const:" + json.dumps(value, sort_keys=True)}), False)
                if value is not None
                else (frozenset(), True)
            )
        for key in _UNIONS:
            members = schema.get(key)
            if isinstance(members, list):
                if not members:
                    return frozenset({"any"}), False  # an empty union constrains nothing (lenient input)
                kinds: set[str] = set()
                nullable = False
                for member in members:
                    member_kinds, member_nullable = self.kinds(member, label, depth + 1)
                    kinds |= member_kinds
                    nullable = nullable or member_nullable
                return frozenset(kinds), nullable
        if isinstance(schema.get("allOf"), list):
            members = schema["allOf"]
            if len(members) == 1 and not schema.get("properties"):
                return self.kinds(members[0], label, depth + 1)
            return frozenset({"object"}), False
        if isinstance(schema.get("enum"), list):
            # An enum is judged as its values' JSON types here; the values themselves are compared apart.
            values = schema["enum"]
            declared = schema.get("type")
            types = (
                [declared]
                if isinstance(declared, str)
                else [str(item) for item in declared]
                if isinstance(declared, list)
                else []
            )
            types = types or sorted({json_type(value) for value in values})
            return frozenset(kind for kind in types if kind != "null"), "null" in types or None in values
        # Anything else is judged as the type model types it: the type api.txt and the signatures show.
        found: set[str] = set()
        nullable = False
        for member in type_members(schema_type(schema)):
            if member == NONE:
                nullable = True
            else:
                found.add(_leaf_kind(member))
        return frozenset(found), nullable

    def describe(self, schema: Any) -> str:
        """The type as the generated code shows it, for messages: ``str``, ``Pet``, ``int | None``."""
        return render(schema_type(schema))


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
    return "any"  # Any; a Literal is not reached here: enums and constants are judged before


def is_class_schema(schema: Any) -> bool:
    """Objects with fields (or built by ``allOf``) and enums of two or more values become classes."""
    if not isinstance(schema, dict):
        return False
    if isinstance(schema.get("properties"), dict) and schema["properties"]:
        return True
    if isinstance(schema.get("allOf"), list) and len(schema["allOf"]) > 1:
        return True
    enum = schema.get("enum")
    return (
        isinstance(enum, list)
        and len([value for value in enum if value is not None]) > 1
        and not any(key in schema for key in _UNIONS)
    )


def flatten(schema: Mapping[str, Any], shape: Shape, owner: str = "", seen: frozenset[str] = frozenset()) -> Flat:
    """Fields of an object with its ``allOf`` members merged in order (later members override)."""
    properties: dict[str, Any] = {}
    owners: dict[str, str] = {}
    required: set[str] = set()
    parents: set[str] = set()
    own_required: set[str] = set()
    for member in schema.get("allOf") or []:
        name = shape.ref(member)
        if name is not None:
            if name in seen or name not in shape.models:
                continue
            target = shape.models[name]
            if shape.is_component(name):
                parents.add(name)
            part = (
                flatten(target, shape, name if shape.is_component(name) else owner, seen | {name})
                if isinstance(target, dict)
                else Flat()
            )
        elif isinstance(member, dict):
            part = flatten(member, shape, owner, seen)
        else:
            continue
        properties.update(part.properties)
        owners.update(part.owners)
        required |= part.required
        parents |= part.parents
        if name is None or not shape.is_component(name):
            own_required |= part.own_required
    own = schema.get("properties")
    merged_owners = schema.get(OWNERS)
    declared_by: Mapping[str, str] = merged_owners if isinstance(merged_owners, dict) else {}
    declared = {item for item in schema.get("required") or [] if isinstance(item, str)}
    own_declared = declared
    if isinstance(schema.get(PARENTS), list):  # an allOf merged in the schema stage
        parents |= {name for name in schema[PARENTS] if isinstance(name, str) and shape.is_component(name)}
        own_declared = {item for item in schema.get(OWN_REQUIRED) or [] if isinstance(item, str)}
    if isinstance(own, dict):
        for prop, sub in own.items():
            properties[prop] = sub
            owners[prop] = declared_by.get(prop, owner)
    return Flat(
        properties, frozenset(required | declared), owners, frozenset(parents), frozenset(own_required | own_declared)
    )


def similarity(old: Any, new: Any, old_shape: Shape, new_shape: Shape) -> float:
    """How alike two models are, 0 to 1: shared fields (objects), values (enums) or members (unions)."""
    if not isinstance(old, dict) or not isinstance(new, dict):
        return 0.0
    old_flat, new_flat = flatten(old, old_shape), flatten(new, new_shape)
    if old_flat.properties or new_flat.properties:
        return _jaccard(
            {f"{prop}:{old_shape.describe(sub)}" for prop, sub in old_flat.properties.items()}
            | set(old_flat.properties),
            {f"{prop}:{new_shape.describe(sub)}" for prop, sub in new_flat.properties.items()}
            | set(new_flat.properties),
        )
    if isinstance(old.get("enum"), list) and isinstance(new.get("enum"), list):
        return _jaccard({json.dumps(value) for value in old["enum"]}, {json.dumps(value) for value in new["enum"]})
    old_kinds, _ = old_shape.kinds(old, lambda name: name)
    new_kinds, _ = new_shape.kinds(new, lambda name: name)
    return _jaccard(set(old_kinds), set(new_kinds))


def _jaccard(left: set[str], right: set[str]) -> float:
    if not left and not right:
        return 1.0
    return len(left & right) / len(left | right)


def component_names(names: Mapping[str, str]) -> frozenset[str]:
    """Model names given to component schemas (``ModelNames.by_key``'s values)."""
    return frozenset(names.values())
