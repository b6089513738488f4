"""Value definitions: what the schema stage knows of each place a value sits, as typed records.

A place is a model, a model's field, a parameter, a body, a return value, or a
list's items, a dict's values or a union's member written in place inside one.
Its ``Value`` holds its type (the type model's, ``schema_type``), what the
schema asks of it beyond the type (``Constraints``: bounds, pattern, format,
one record for model fields, parameters and body arguments alike), its
declared enum values, and the places written inside it. References stay
``Model`` leaves: a model's own ``Value`` is built once per model
(``ModelValues``). The normalised schema's keys are read here and in the rest
of the schema stage only; ``clientgen diff`` and the pydantic models read these
records.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from generator.markers import OWN_REQUIRED, OWNERS, PARENTS
from generator.typemodel import ANY, Type, schema_type

#: The numeric keywords a schema may bound a value by, in the order findings list them.
BOUND_KEYWORDS = (
    "maxLength",
    "maxItems",
    "maximum",
    "exclusiveMaximum",
    "maxProperties",
    "minLength",
    "minItems",
    "minimum",
    "exclusiveMinimum",
    "minProperties",
    "multipleOf",
)
#: pydantic's ``Field`` argument for each constraint it checks, by the kind of value it applies to.
_FIELD_ARGUMENTS = (
    ("minLength", "min_length", "str"),
    ("maxLength", "max_length", "str"),
    ("pattern", "pattern", "str"),
    ("minimum", "ge", "number"),
    ("maximum", "le", "number"),
    ("exclusiveMinimum", "gt", "number"),
    ("exclusiveMaximum", "lt", "number"),
    ("multipleOf", "multiple_of", "number"),
    ("minItems", "min_length", "list"),
    ("maxItems", "max_length", "list"),
)


@dataclass(frozen=True)
class Constraints:
    """What a schema asks of a value beyond its type, as declared, whatever the type: numeric bounds (a
    number, integer or float as written; ``.inf`` included), the pattern and the format. Which of them a
    pydantic field checks is ``field_arguments``'s to say."""

    bounds: tuple[tuple[str, int | float], ...] = ()  # (JSON Schema keyword, value), in ``BOUND_KEYWORDS`` order
    pattern: str | None = None
    format: str | None = None  # "" when the schema gives one that is not text
    kinds: frozenset[str] = frozenset()  # the JSON types the schema declares (``type``)

    def bound(self, keyword: str) -> int | float | None:
        return dict(self.bounds).get(keyword)


NO_CONSTRAINTS = Constraints()


@dataclass(frozen=True)
class Fields:
    """An object's properties as the schema stage merged them (``allOf`` parts included): each property's
    value, the required names, which model declares each inherited field, the models inherited from and the
    fields the object requires itself (when it inherits)."""

    values: tuple[tuple[str, Value], ...]
    required: frozenset[str] = frozenset()
    owners: tuple[tuple[str, str], ...] = ()  # inherited field → the model that declares it
    parents: tuple[str, ...] = ()
    own_required: frozenset[str] | None = None  # None: nothing is inherited, every required name is its own


@dataclass(frozen=True)
class Value:
    """One place: its type, constraints and declared enum, and the places written in place inside it.

    ``schema`` is False for something that is no schema object at all (``items: false``): nothing inside it is
    compared. ``free_form``: any value, or an object without declared fields (a dict holding any model's data).
    """

    type: Type = ANY
    constraints: Constraints = NO_CONSTRAINTS
    enum: tuple[Any, ...] | None = None  # the declared enum's values, null included (None: no enum)
    items: Value | None = None  # ``items``, when given
    extra: Value | None = None  # ``additionalProperties``, when a schema
    any_of: tuple[Value, ...] | None = None
    one_of: tuple[Value, ...] | None = None
    fields: Fields = Fields(())  # ``properties`` (none when not given), ``required`` and what ``allOf`` merged
    has_properties: bool = False  # ``properties`` is given, even empty: the place is compared field by field
    free_form: bool = True
    deprecated: bool = False
    schema: bool = True
    constant: bool = False  # ``const`` is given
    structured: bool = False  # written as a structure: properties, additionalProperties, items or a composition

    def unions(self) -> Iterator[tuple[tuple[Value, ...] | None, str]]:
        yield self.any_of, "anyOf"
        yield self.one_of, "oneOf"


NO_FIELDS = Fields(())
_FIELD_KEYS = frozenset({"properties", "required", OWNERS, PARENTS, OWN_REQUIRED})
_CONSTRAINT_KEYS = frozenset({*BOUND_KEYWORDS, "pattern", "format", "type"})
EMPTY = Value()  # ``{}``: any value
NO_SCHEMA = Value(schema=False)  # no schema object at all


def constraints_of(schema: Mapping[str, Any]) -> Constraints:
    if _CONSTRAINT_KEYS.isdisjoint(schema):
        return NO_CONSTRAINTS
    bounds = tuple(
        (keyword, value)
        for keyword in BOUND_KEYWORDS
        if isinstance(value := schema.get(keyword), (int, float)) and not isinstance(value, bool)
    )
    pattern = schema.get("pattern")
    form = schema.get("format", None) if "format" in schema else None
    kinds = schema.get("type")
    return Constraints(
        bounds,
        pattern if isinstance(pattern, str) else None,
        (form if isinstance(form, str) else "") if "format" in schema else None,
        frozenset(kind for kind in (kinds if isinstance(kinds, list) else [kinds]) if isinstance(kind, str)),
    )


def value_of(schema: Any) -> Value:
    """The ``Value`` of a normalised schema (references are ``Model`` leaves, not followed)."""
    if not isinstance(schema, dict):
        return NO_SCHEMA  # ``schema_type`` of it is ``Any``
    if len(schema) == 1 and "$ref" in schema:
        return Value(schema_type(schema), free_form=False)  # the most common place: a model's name
    items = schema.get("items", None)
    extra = schema.get("additionalProperties")
    enum = schema.get("enum")
    return Value(
        type=schema_type(schema),
        constraints=constraints_of(schema) if schema else NO_CONSTRAINTS,
        enum=tuple(enum) if isinstance(enum, list) else None,
        items=value_of(items) if "items" in schema else None,
        extra=value_of(extra) if isinstance(extra, dict) else None,
        any_of=_members(schema.get("anyOf")),
        one_of=_members(schema.get("oneOf")),
        fields=_fields(schema),
        has_properties=isinstance(schema.get("properties"), dict),
        free_form=not schema
        or (schema.get("type") == "object" and not schema.get("properties") and not schema.get("allOf")),
        deprecated=bool(schema.get("deprecated")),
        constant="const" in schema,
        structured=not _STRUCTURE.isdisjoint(schema),
    )


_STRUCTURE = frozenset({"properties", "additionalProperties", "items", "oneOf", "anyOf", "allOf"})


def _members(members: Any) -> tuple[Value, ...] | None:
    return tuple(value_of(member) for member in members) if isinstance(members, list) else None


def _fields(schema: Mapping[str, Any]) -> Fields:
    if _FIELD_KEYS.isdisjoint(schema):
        return NO_FIELDS
    owners = schema.get(OWNERS)
    parents = schema.get(PARENTS)
    properties = schema.get("properties")
    own_required = None
    if isinstance(parents, list):
        own_required = frozenset(item for item in schema.get(OWN_REQUIRED) or [] if isinstance(item, str))
    return Fields(
        values=tuple((name, value_of(sub)) for name, sub in properties.items()) if isinstance(properties, dict) else (),
        required=frozenset(item for item in schema.get("required") or [] if isinstance(item, str)),
        owners=tuple((name, str(model)) for name, model in owners.items()) if isinstance(owners, dict) else (),
        parents=tuple(name for name in parents if isinstance(name, str)) if isinstance(parents, list) else (),
        own_required=own_required,
    )


class ModelValues(Mapping[str, Value]):
    """Each model's ``Value``, by model name, built from its normalised schema on first use (a run that compares
    no models, as generation, pays nothing for them)."""

    def __init__(self, schemas: Mapping[str, Any]) -> None:
        self._schemas = schemas
        self._built: dict[str, Value] = {}

    def __getitem__(self, name: str) -> Value:
        found = self._built.get(name)
        if found is None:
            found = self._built[name] = value_of(self._schemas[name])
        return found

    def __reduce__(self) -> tuple[type[ModelValues], tuple[Mapping[str, Any]]]:
        # Sent to another process without what was built here: rebuilt there on first use, if ever.
        return ModelValues, (self._schemas,)

    def __iter__(self) -> Iterator[str]:
        return iter(self._schemas)

    def __len__(self) -> int:
        return len(self._schemas)


def field_arguments(constraints: Constraints) -> tuple[tuple[str, Any], ...]:
    """pydantic's ``Field`` arguments for the constraints it can check on a model field: string bounds and
    pattern on a string without a format (a ``datetime`` has no length), numeric bounds on numbers, item
    counts on lists. A pattern Python cannot compile and an infinite bound check nothing and are left out."""
    kinds = constraints.kinds
    applies = {
        "str": "string" in kinds and constraints.format is None,
        "number": bool(kinds & {"integer", "number"}),
        "list": "array" in kinds,
    }
    result: list[tuple[str, Any]] = []
    for keyword, argument, kind in _FIELD_ARGUMENTS:
        value: Any = constraints.pattern if keyword == "pattern" else constraints.bound(keyword)
        if not applies[kind] or value is None:
            continue
        if keyword == "pattern" and not _compiles(value):
            continue  # a pattern Python cannot read (ECMA's \p{L}) is documentation, not a check
        if kind != "str" and not math.isfinite(value):
            continue  # an infinite bound (YAML's .inf) bounds nothing
        if kind == "str" and keyword != "pattern" and not isinstance(value, int):
            continue
        result.append((argument, value))
    return tuple(result)


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return False
    return True
