"""Schema comparison for ``clientgen diff``: what changed between two normalised schemas.

Works on the schema set's normalised schemas, where every named or hoisted
schema is a model reference. References are compared through the model
matching (old name → new name), so a renamed model is the same type; a model's
own content is compared once, at the model, not at every use. The result is a
list of direction-free ``Change``s; ``diff`` turns them into rule findings.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.pointer import ref_name

# Abstract kinds of change; "area" says where (property, parameter, body).
TYPE_CHANGED = "type-changed"
TYPE_WIDENED = "type-generalized"
TYPE_NARROWED = "type-specialized"
BECAME_NULLABLE = "became-nullable"
BECAME_NOT_NULLABLE = "became-not-nullable"
ENUM_VALUE_ADDED = "enum-value-added"
CLOSED_ENUM_VALUE_ADDED = "closed-enum-value-added"
ENUM_VALUE_REMOVED = "enum-value-removed"
BECAME_ENUM = "became-enum"
PROPERTY_ADDED_REQUIRED = "property-added-required"
PROPERTY_ADDED_OPTIONAL = "property-added-optional"
PROPERTY_REMOVED_REQUIRED = "property-removed-required"
PROPERTY_REMOVED_OPTIONAL = "property-removed-optional"
PROPERTY_REMOVED_DEPRECATED = "property-removed-deprecated"
PROPERTY_BECAME_REQUIRED = "property-became-required"
PROPERTY_BECAME_OPTIONAL = "property-became-optional"


@dataclass(frozen=True)
class Change:
    kind: str
    area: str  # "property", "parameter" or "body"
    location: str  # readable: Model.field, resource.method(argument)
    message: str


def describe(schema: Any) -> str:
    """A short readable type for messages: ``string``, ``Pet``, ``integer | null``."""
    kinds, nullable = type_kinds(schema, lambda name: name)
    parts = sorted(kind.removeprefix("ref:").removeprefix("const:") for kind in kinds)
    return " | ".join(parts + (["null"] if nullable else [])) or "null"


def type_kinds(schema: Any, ref: Callable[[str], str]) -> tuple[frozenset[str], bool]:
    """The set of types a schema admits (``ref:Model`` for models) and whether null is one."""
    if not isinstance(schema, dict) or not schema:
        return frozenset({"any"}), False
    if isinstance(schema.get("$ref"), str):
        return frozenset({"ref:" + ref(ref_name(schema["$ref"]))}), False
    if "const" in schema:
        value = schema["const"]
        return (frozenset({"const:" + json.dumps(value, sort_keys=True)}), False) if value is not None else (frozenset(), True)
    for key in ("anyOf", "oneOf"):
        if isinstance(schema.get(key), list):
            kinds: set[str] = set()
            nullable = False
            for member in schema[key]:
                member_kinds, member_nullable = type_kinds(member, ref)
                kinds |= member_kinds
                nullable = nullable or member_nullable
            return frozenset(kinds), nullable
    if isinstance(schema.get("allOf"), list):
        if len(schema["allOf"]) == 1:
            return type_kinds(schema["allOf"][0], ref)
        return frozenset({"object"}), False
    declared = schema.get("type")
    if isinstance(declared, str):
        types = [declared]
    elif isinstance(declared, list):
        types = [str(item) for item in declared]
    elif isinstance(schema.get("enum"), list):
        types = sorted({_json_type(value) for value in schema["enum"]})
    elif "properties" in schema or "additionalProperties" in schema:
        types = ["object"]
    else:
        return frozenset({"any"}), False
    if isinstance(schema.get("enum"), list) and None in schema["enum"]:
        types.append("null")
    return frozenset(kind for kind in types if kind != "null"), "null" in types


def _json_type(value: Any) -> str:
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


def _covers(kinds: frozenset[str], kind: str) -> bool:
    """Does a value of ``kind`` fit a schema admitting ``kinds``?"""
    if kind in kinds or "any" in kinds:
        return True
    if kind == "integer" and "number" in kinds:
        return True
    if kind.startswith("const:"):
        return _json_type(json.loads(kind[len("const:") :])) in kinds or ("number" in kinds and kind[6:].lstrip("-").isdigit())
    return False


def _enum_values(schema: Any) -> list[Any] | None:
    if isinstance(schema, dict) and isinstance(schema.get("enum"), list):
        return [value for value in schema["enum"] if value is not None]
    return None


def _literal(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


class SchemaComparer:
    """Compares old and new schemas; ``matching`` maps old model names to new ones."""

    def __init__(self, matching: Mapping[str, str]) -> None:
        self.matching = matching
        self.changes: list[Change] = []

    def _old_ref(self, name: str) -> str:
        return self.matching.get(name, "(removed) " + name)

    def _add(self, kind: str, area: str, location: str, message: str) -> None:
        self.changes.append(Change(kind, area, location, message))

    def compare(self, old: Any, new: Any, area: str, location: str) -> None:
        old_kinds, old_null = type_kinds(old, self._old_ref)
        new_kinds, new_null = type_kinds(new, lambda name: name)
        if old_null != new_null:
            if new_null:
                self._add(BECAME_NULLABLE, area, location, "may now be null")
            else:
                self._add(BECAME_NOT_NULLABLE, area, location, "may no longer be null")
        old_text, new_text = describe(old), describe(new)
        old_covered = all(_covers(new_kinds, kind) for kind in old_kinds)
        new_covered = all(_covers(old_kinds, kind) for kind in new_kinds)
        if old_kinds != new_kinds and not (old_covered and new_covered):
            if old_covered:
                self._add(TYPE_WIDENED, area, location, f"type widened from {old_text} to {new_text}")
            elif new_covered:
                self._add(TYPE_NARROWED, area, location, f"type narrowed from {old_text} to {new_text}")
            else:
                self._add(TYPE_CHANGED, area, location, f"type changed from {old_text} to {new_text}")
            return
        self._enums(old, new, area, location)
        if not isinstance(old, dict) or not isinstance(new, dict):
            return
        if isinstance(old.get("items"), dict) and isinstance(new.get("items"), dict):
            self.compare(old["items"], new["items"], area, location + "[]")
        old_extra, new_extra = old.get("additionalProperties"), new.get("additionalProperties")
        if isinstance(old_extra, dict) and isinstance(new_extra, dict):
            self.compare(old_extra, new_extra, area, location + "[str]")
        for key in ("anyOf", "oneOf"):
            if isinstance(old.get(key), list) and isinstance(new.get(key), list) and len(old[key]) == len(new[key]):
                for index, (old_member, new_member) in enumerate(zip(old[key], new[key])):
                    if not (isinstance(old_member, dict) and "$ref" in old_member):
                        self.compare(old_member, new_member, area, f"{location}<{index + 1}>")
        if isinstance(old.get("properties"), dict) or isinstance(new.get("properties"), dict):
            self.properties(old, new, area, location, ".")

    def _enums(self, old: Any, new: Any, area: str, location: str) -> None:
        old_values, new_values = _enum_values(old), _enum_values(new)
        if new_values is None:
            return
        if old_values is None:
            self._add(BECAME_ENUM, area, location, "restricted to " + " | ".join(map(_literal, new_values)))
            return
        old_keys = {_literal(value) for value in old_values}
        new_keys = {_literal(value) for value in new_values}
        # Enums of two or more values generate OpenEnums, which keep unknown values;
        # a single value is a Literal, which rejects any other.
        closed = len(old_values) <= 1
        for value in new_values:
            if _literal(value) not in old_keys:
                kind = CLOSED_ENUM_VALUE_ADDED if closed else ENUM_VALUE_ADDED
                self._add(kind, area, location, f"new enum value {_literal(value)}")
        for value in old_values:
            if _literal(value) not in new_keys:
                self._add(ENUM_VALUE_REMOVED, area, location, f"enum value {_literal(value)} removed")

    def properties(self, old: Mapping[str, Any], new: Mapping[str, Any], area: str, location: str, separator: str) -> None:
        """Fields of an object (``Model.field``) or flattened body arguments (``method(field)``)."""
        old_props = old.get("properties") if isinstance(old.get("properties"), dict) else {}
        new_props = new.get("properties") if isinstance(new.get("properties"), dict) else {}
        assert isinstance(old_props, dict) and isinstance(new_props, dict)
        old_required = set(old.get("required") or [])
        new_required = set(new.get("required") or [])

        def where(prop: str) -> str:
            return f"{location}({prop})" if separator == "(" else f"{location}.{prop}"

        for prop in sorted(set(old_props) | set(new_props)):
            if prop not in old_props:
                required = prop in new_required
                kind = PROPERTY_ADDED_REQUIRED if required else PROPERTY_ADDED_OPTIONAL
                self._add(kind, "property", where(prop), f"new {'required' if required else 'optional'} field {prop}: {describe(new_props[prop])}")
            elif prop not in new_props:
                deprecated = isinstance(old_props[prop], dict) and bool(old_props[prop].get("deprecated"))
                if deprecated:
                    kind = PROPERTY_REMOVED_DEPRECATED
                else:
                    kind = PROPERTY_REMOVED_REQUIRED if prop in old_required else PROPERTY_REMOVED_OPTIONAL
                self._add(kind, "property", where(prop), f"field {prop} removed" + (" (it was deprecated)" if deprecated else ""))
            else:
                if prop in new_required and prop not in old_required:
                    self._add(PROPERTY_BECAME_REQUIRED, "property", where(prop), f"field {prop} became required")
                elif prop in old_required and prop not in new_required:
                    self._add(PROPERTY_BECAME_OPTIONAL, "property", where(prop), f"field {prop} became optional")
                self.compare(old_props[prop], new_props[prop], "property", where(prop))
