"""Model definitions: every model of the schema set as typed records, built once for every output.

An object model lists all its fields (``allOf`` parts are merged in the schema
stage, and the models it inherits from are named) with their JSON name, Python attribute, type, whether required, default,
constraints and description; an enum lists its members; a tagged union its
variants; anything else is an alias of a type. ``models.py``, ``types.py``,
``api.txt`` and ``clientgen diff`` read these, never the schemas again.

Forward compatibility is decided here, once: a single-value enum (``const``) in
a model that a response can hold is open (``Literal["a"] | str``) unless it
is the property that tells a tagged union's variants apart.
"""

from __future__ import annotations

import json
import keyword
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from generator import extensions
from generator.markers import PARENTS
from generator.naming.case import snake
from generator.naming.identifiers import identifier
from generator.pointer import iter_refs, ref_name
from generator.schemas import SchemaSet
from generator.sentinel import Sentinel
from generator.typemodel import NONE, Primitive, Type, admits, members, schema_type, union
from generator.typemodel import Literal as LiteralType
from generator.values import Constraints, constraints_of, field_arguments

#: Attributes of pydantic's BaseModel a field must not hide.
_BASE_MODEL_NAMES = frozenset(
    {
        "copy",
        "dict",
        "json",
        "schema",
        "schema_json",
        "validate",
        "construct",
        "fields",
        "parse_obj",
        "parse_raw",
        "parse_file",
        "from_orm",
    }
    | {
        "update_forward_refs",
        "model_config",
        "model_fields",
        "model_computed_fields",
        "model_extra",
        "model_fields_set",
        "model_post_init",
    }
    | {
        "model_construct",
        "model_copy",
        "model_dump",
        "model_dump_json",
        "model_json_schema",
        "model_parametrized_name",
        "model_rebuild",
    }
    | {"model_validate", "model_validate_json", "model_validate_strings"}
    | {"to_dict", "to_json"}  # the package's own BaseModel (templates/package/_runtime/base_model.py)
)
_SYMBOLS = {
    "+": "PLUS", "-": "MINUS", "*": "STAR", "/": "SLASH", "%": "PERCENT", "=": "EQUALS", "<": "LESS", ">": "GREATER",
    "!": "NOT", "&": "AND", "|": "OR", "^": "CARET", "~": "TILDE", "?": "QUESTION", ".": "DOT", ",": "COMMA",
    ":": "COLON", ";": "SEMICOLON", "@": "AT", "#": "HASH", "$": "DOLLAR", "_": "UNDERSCORE", " ": "SPACE",
}  # fmt: skip
MISSING: Any = Sentinel("generator.modeldefs", "MISSING")  # a field without a default


@dataclass(frozen=True)
class Field:
    wire_name: str
    attribute: str  # the pydantic attribute (TypedDicts use the wire name)
    type: Type
    required: bool
    default: Any  # a JSON value, or MISSING
    description: str
    constraints: Constraints  # what the schema asks beyond the type (pydantic's share: ``field_arguments``)
    deprecated: bool


@dataclass(frozen=True)
class ObjectModel:
    name: str
    description: str
    fields: tuple[Field, ...]
    extra: Type | None  # the type of additional properties, when the spec gives one
    parents: tuple[str, ...] = ()  # models it inherits fields from through ``allOf``, nearest first


@dataclass(frozen=True)
class EnumModel:
    name: str
    description: str
    base: Literal["str", "int"]
    members: tuple[tuple[str, str | int], ...]  # (member name, value)


@dataclass(frozen=True)
class TaggedUnion:
    """A union told apart by one property: ``(tag, model)`` per variant."""

    name: str
    description: str
    wire_name: str
    variants: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class AliasModel:
    name: str
    description: str
    type: Type


ModelDef = ObjectModel | EnumModel | TaggedUnion | AliasModel


def build_models(schemas: SchemaSet) -> tuple[ModelDef, ...]:
    """Every model, in name order."""
    unions = tagged_unions(schemas)
    tags = {(model, union.wire_name) for union in unions.values() for _, model in union.variants}
    open_models = response_models(schemas)
    result: list[ModelDef] = []
    for name, schema in schemas.models.items():
        schema = schema if isinstance(schema, dict) else {}
        description = str(schema.get("description") or "").strip()
        enum = _enum(name, schema, description)
        if name in unions:
            result.append(unions[name])
        elif enum is not None:
            result.append(enum)
        elif isinstance(schema.get("properties"), dict) and schema["properties"]:
            result.append(_object(name, schema, description, name in open_models, tags))
        else:
            result.append(AliasModel(name, description, schema_type(schema)))
    return tuple(result)


def _enum(name: str, schema: Mapping[str, Any], description: str) -> EnumModel | None:
    values = schema.get("enum")
    if not isinstance(values, list) or "properties" in schema:
        return None
    values = [value for value in values if value is not None]
    if values and all(isinstance(value, str) for value in values):
        base: Literal["str", "int"] = "str"
    elif values and all(isinstance(value, int) and not isinstance(value, bool) for value in values):
        base = "int"
    else:
        return None
    given = extensions.read(schema, "x-enum-varnames") or extensions.read(schema, "x-enumNames")
    names = list(given) if given is not None and len(given) == len(values) else None
    return EnumModel(name, description, base, tuple(zip(member_names(name, values, names), values, strict=False)))


def member_names(enum: str, values: list[Any], given: list[str] | None = None) -> list[str]:
    """UPPER_SNAKE member names, distinct and valid: ``in-progress`` → IN_PROGRESS, ``3`` in enum Level → LEVEL_3.

    ``given`` are the spec's own names (``x-enum-varnames``, ``x-enumNames``), made safe the same way.
    """
    prefix = identifier(enum, "enum_member")
    result: list[str] = []
    for index, value in enumerate(values):
        if given:
            source: object = given[index]
        elif isinstance(value, int) and not isinstance(value, bool):
            source = f"{prefix}_{'MINUS_' if value < 0 else ''}{abs(value)}"
        elif isinstance(value, str) and value and not any(char.isalnum() for char in value):
            source = "_".join(_SYMBOLS.get(char, "SYMBOL") for char in value)  # "+" → PLUS, "<=" → LESS_EQUALS
        else:
            source = value
        name = identifier(source, "enum_member", result)
        if name.startswith("_") or name == "MRO":
            name = identifier("V" + name, "enum_member", result)
        result.append(name)
    return result


def _object(
    name: str, schema: Mapping[str, Any], description: str, open_consts: bool, tags: set[tuple[str, str]]
) -> ObjectModel:
    required = set(schema.get("required") or [])
    fields: list[Field] = []
    taken: set[str] = set()
    for wire, sub in schema["properties"].items():
        sub = sub if isinstance(sub, dict) else {}
        value = schema_type(sub)
        if open_consts and (name, wire) not in tags:
            value = open_literal(value)
        attribute = _attribute(wire, taken)
        fields.append(
            Field(
                wire_name=wire,
                attribute=attribute,
                type=value,
                required=wire in required,
                # A default the field's type does not take is no default (see typemodel.admits).
                default=sub["default"] if "default" in sub and admits(value, sub["default"]) else MISSING,
                description=str(sub.get("description") or "").strip(),
                constraints=constraints_of(sub),
                deprecated=bool(sub.get("deprecated")),
            )
        )
    extra = schema.get("additionalProperties")
    extra_type = schema_type(extra) if isinstance(extra, dict) and extra else None
    parents = schema.get(PARENTS)
    inherited = tuple(str(parent) for parent in parents) if isinstance(parents, list) else ()
    return ObjectModel(name, description, tuple(fields), extra_type, inherited)


def open_literal(value: Type) -> Type:
    """``Literal["a"]`` → ``Literal["a"] | str``: a value the spec fixes today may grow company tomorrow."""
    result: list[Type] = []
    for member in members(value):
        result.append(member)
        if isinstance(member, LiteralType):
            result.extend(_scalar_type(item) for item in member.values)
    return union(*result)


def _scalar_type(value: Any) -> Type:
    if isinstance(value, bool):
        return Primitive("bool")
    if isinstance(value, int):
        return Primitive("int")
    if isinstance(value, float):
        return Primitive("float")
    return Primitive("str") if isinstance(value, str) else NONE


def _attribute(wire: str, taken: set[str]) -> str:
    """A pydantic attribute for a JSON name: snake_case, never a keyword, private or a BaseModel attribute.

    ``model_dump`` becomes ``model_dump_``; its class opts out of pydantic's protected ``model_`` namespaces."""
    base = snake(wire)
    if base.startswith("n") and wire[:1].isdigit():
        base = "field_" + base[1:]
    if base in _BASE_MODEL_NAMES or keyword.iskeyword(base):
        base += "_"
    name, number = base, 2
    while name in taken:
        name = f"{base}_{number}"
        number += 1
    taken.add(name)
    return name


#: What pydantic's default (Rust) regex engine lacks: backreferences and lookaround.
_NEEDS_PYTHON_RE = re.compile(r"\\[1-9]|\(\?<?[=!]")


def needs_python_regex(model: ObjectModel) -> bool:
    """A field pattern the Rust engine cannot run: the model validates with Python's ``re`` instead."""
    return any(
        name == "pattern" and isinstance(value, str) and bool(_NEEDS_PYTHON_RE.search(value))
        for field in model.fields
        for name, value in field_arguments(field.constraints)
    )


def response_models(schemas: SchemaSet) -> frozenset[str]:
    """Models a response can hold, directly or through other models."""
    pending = [ref_name(ref) for operation in schemas.operations.values() for _, ref in iter_refs(operation.response)]
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        if name in seen or name not in schemas.models:
            continue
        seen.add(name)
        pending.extend(ref_name(ref) for _, ref in iter_refs(schemas.models[name]))
    return frozenset(seen)


def _tag_text(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def tagged_unions(schemas: SchemaSet) -> dict[str, TaggedUnion]:
    """Models that are exactly a discriminated ``oneOf``/``anyOf`` of models."""
    result: dict[str, TaggedUnion] = {}
    for name, schema in schemas.models.items():
        discriminator = schema.get("discriminator") if isinstance(schema, dict) else None
        variants = schema.get("oneOf") or schema.get("anyOf") if isinstance(schema, dict) else None
        if not isinstance(discriminator, dict) or not isinstance(variants, list):
            continue
        wire_name = discriminator.get("propertyName")
        if not isinstance(wire_name, str) or not all(isinstance(v, dict) and "$ref" in v for v in variants):
            continue
        by_model: dict[str, list[str]] = {ref_name(v["$ref"]): [] for v in variants}
        for tag, target in (discriminator.get("mapping") or {}).items():
            model = ref_name(str(target))
            if model in by_model:
                by_model[model].append(str(tag))
        for model, found in by_model.items():
            prop = (schemas.models.get(model) or {}).get("properties", {}).get(wire_name)
            if not found and isinstance(prop, dict) and "const" in prop:
                found.append(_tag_text(prop["const"]))
            elif not found and isinstance(prop, dict) and isinstance(prop.get("enum"), list):
                found.extend(_tag_text(value) for value in prop["enum"] if value is not None)
        if any(not found for found in by_model.values()):
            continue  # a variant we cannot tell apart: leave it a plain union
        pairs = tuple((tag, model) for model, found in by_model.items() for tag in found)
        if len({tag for tag, _ in pairs}) == len(pairs):
            description = str(schema.get("description") or "").strip()
            result[name] = TaggedUnion(name, description, wire_name, pairs)
    return result
