"""The type model: one typed expression tree for every Python type clientgen writes, and its one renderer.

A ``Type`` is a value: frozen dataclasses that compare, hash and nest. Types
are built from normalised schemas (``schema_type``) or composed with the
constructors below (``union``, ``optional``), and become source text only
through ``render``; the imports a rendered type needs come from ``imports``.
Models, TypedDicts, method signatures, docstrings, ``api.txt`` and
``clientgen diff`` all read types from here, so they say the same thing.

Public API: the node classes (``Model``, ``DictModel``, ``Runtime``, ``Literal``, ``ListOf``,
``DictOf``, ``Union``, ``Primitive``, ``Callable``, ``NONE``, ``ANY``,
``Annotated``, ``NotRequired``), ``union``, ``optional``, ``members``,
``walk``, ``substitute``, ``schema_type``, ``render``, ``imports``,
``literal_source`` and the ``Flavour`` of a rendering.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable as PyCallable
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias
from typing import Literal as TypingLiteral

from generator.pointer import ref_name
from generator.text import string_literal

#: ``python``: values as the pydantic variant holds them (``UUID``, ``datetime``);
#: ``json``: as the typed-dict variant holds them, raw JSON (``str``).
Flavour = TypingLiteral["python", "json"]
Scalar: TypeAlias = "str | int | float | bool | None"
PrimitiveKind = TypingLiteral["str", "int", "float", "bool", "bytes", "object"]


@dataclass(frozen=True)
class Model:
    """A class or alias defined in the package's ``models.py`` / ``types.py``."""

    name: str


@dataclass(frozen=True)
class Runtime:
    """A name from the package's ``_runtime`` module, optionally generic: ``EventStream[T]``."""

    name: str
    arguments: tuple[Type, ...] = ()


@dataclass(frozen=True)
class Literal:
    """``Literal[...]`` of JSON scalars (never ``None``: that is ``NONE`` in a union)."""

    values: tuple[Scalar, ...]


@dataclass(frozen=True)
class ListOf:
    """``list[item]``; ``sequence``: ``Sequence[item]``, what an argument takes where its items are widened
    (a ``list[Model]`` the caller holds is no ``list[Model | _types.Model]``: lists are invariant)."""

    item: Type
    sequence: bool = False


@dataclass(frozen=True)
class DictOf:
    """A JSON object of arbitrary keys: ``dict[str, value]``; ``mapping``: ``Mapping[str, value]`` (as ``ListOf``)."""

    value: Type
    mapping: bool = False


@dataclass(frozen=True)
class DictModel:
    """The TypedDict of a model, from the typed-dict family's module, which a pydantic client's argument
    accepts beside the model: ``_types.ChatMessage`` (imported as ``from .. import types as _types``)."""

    name: str
    module: str = "types"


@dataclass(frozen=True)
class Union:
    """Two or more distinct members; build it with ``union`` (flattened, ``None`` last)."""

    members: tuple[Type, ...]


@dataclass(frozen=True)
class Primitive:
    """A JSON scalar; ``format`` is the spec's (``uuid``, ``date-time``...), kept for every output to read."""

    kind: PrimitiveKind
    format: str | None = None


@dataclass(frozen=True)
class Callable:
    """``Callable[[parameters], result]``."""

    parameters: tuple[Type, ...]
    result: Type


@dataclass(frozen=True)
class Annotated:
    """``Annotated[type, metadata...]``; the metadata are Python expressions (``Field(alias="id")``)."""

    type: Type
    metadata: tuple[str, ...]


@dataclass(frozen=True)
class NotRequired:
    """A TypedDict key that may be absent: ``NotRequired[type]``."""

    type: Type


@dataclass(frozen=True)
class _NoneType:
    pass


@dataclass(frozen=True)
class _AnyType:
    pass


NONE = _NoneType()
ANY = _AnyType()

Type: TypeAlias = "Model | DictModel | Runtime | Literal | ListOf | DictOf | Union | Primitive | Callable | Annotated | NotRequired | _NoneType | _AnyType"


def union(*members: Type) -> Type:
    """The union of ``members``: nested unions flattened, duplicates and ``Any`` absorbed, literals merged, ``None`` last."""
    flat: list[Type] = []
    values: list[Scalar] = []  # of every Literal, merged into the first one's place
    seen: set[tuple[type, Scalar]] = set()
    for member in members:
        for item in member.members if isinstance(member, Union) else (member,):
            if item == ANY:
                return ANY
            if isinstance(item, Literal):
                if not values:
                    flat.append(item)  # a placeholder, replaced below
                for value in item.values:
                    # True == 1 in Python, but not in JSON: a value is the same as another of its type only.
                    key = (type(value), value)
                    if key not in seen or value != value:  # NaN equals nothing, itself included
                        seen.add(key)
                        values.append(value)
            elif item not in flat:
                flat.append(item)
    if values:
        first = next(index for index, item in enumerate(flat) if isinstance(item, Literal))
        flat[first] = Literal(tuple(values))
    if NONE in flat:
        flat.remove(NONE)
        flat.append(NONE)
    if not flat:
        return NONE
    return flat[0] if len(flat) == 1 else Union(tuple(flat))


def optional(member: Type) -> Type:
    """``member | None``."""
    return union(member, NONE)


def members(value: Type) -> tuple[Type, ...]:
    """The members of a union, or the type itself."""
    return value.members if isinstance(value, Union) else (value,)


def admits(value: Type, instance: Any) -> bool:
    """Whether a model field of this type takes the JSON value ``instance`` (a schema's ``default``), as
    pydantic's lax mode reads it; a model or alias is not looked into (assumed to take it).

    A default is an annotation in JSON Schema, not a constraint: ``default: "[]"`` on an array, or
    ``"<6 hours ago>"`` on a date-time (cloudflare), says nothing an instance must be. Given to pydantic
    as the field's default, it would refuse every object that leaves the field out.
    """
    if isinstance(value, (_AnyType, Model, Runtime, Callable)):
        return True
    if isinstance(value, (Annotated, NotRequired)):
        return admits(value.type, instance)
    if isinstance(value, Union):
        return any(admits(member, instance) for member in value.members)
    if isinstance(value, _NoneType):
        return instance is None
    if isinstance(value, Literal):
        return any(item == instance and type(item) is type(instance) for item in value.values)
    if isinstance(value, ListOf):
        return isinstance(instance, list) and all(admits(value.item, item) for item in instance)
    if isinstance(value, DictOf):
        return isinstance(instance, dict) and all(admits(value.value, item) for item in instance.values())
    assert isinstance(value, Primitive)
    return _primitive_admits(value, instance)


def _primitive_admits(value: Primitive, instance: Any) -> bool:
    if isinstance(instance, bool):
        return value.kind in ("bool", "object")
    if value.kind == "int":
        return (isinstance(instance, int) or isinstance(instance, float) and instance.is_integer()) or (
            isinstance(instance, str) and instance.strip().lstrip("+-").isdigit()
        )
    if value.kind == "float":
        if isinstance(instance, (int, float)):
            return True
        try:
            float(instance)
        except (TypeError, ValueError):
            return False
        return True
    if value.kind == "bool":
        return instance in (0, 1) or isinstance(instance, str) and instance.lower() in _BOOLEAN_WORDS
    if value.kind == "str":
        return isinstance(instance, str) and _format_admits(value.format, instance)
    return value.kind == "object" or isinstance(instance, str)  # bytes: text


_BOOLEAN_WORDS = frozenset({"0", "1", "true", "false", "yes", "no", "on", "off", "t", "f", "y", "n"})


def _format_admits(format_: str | None, text: str) -> bool:
    """Text that the pydantic type of a format (``datetime``, ``date``, ``UUID``...) reads (by pattern: the
    same answer on every Python version, so the output is too)."""
    if format_ == "uuid":
        return (
            re.fullmatch(r"(?:urn:uuid:)?\{?[0-9a-fA-F]{8}-?(?:[0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}\}?", text)
            is not None
        )
    pattern = _FORMAT_PATTERNS.get(format_ or "")
    return pattern is None or re.fullmatch(pattern, text) is not None


_TIME = r"\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?"
_FORMAT_PATTERNS: Mapping[str, str] = {
    "date-time": rf"\d{{4}}-\d{{2}}-\d{{2}}(?:[Tt ]{_TIME})?",
    "date": r"\d{4}-\d{2}-\d{2}",
    "time": _TIME,
}


def walk(value: Type) -> Iterator[Type]:
    """Every node of a type, outermost first."""
    yield value
    children: tuple[Type, ...] = ()
    if isinstance(value, Union):
        children = value.members
    elif isinstance(value, ListOf):
        children = (value.item,)
    elif isinstance(value, DictOf):
        children = (value.value,)
    elif isinstance(value, Runtime):
        children = value.arguments
    elif isinstance(value, Callable):
        children = (*value.parameters, value.result)
    elif isinstance(value, (Annotated, NotRequired)):
        children = (value.type,)
    for child in children:
        yield from walk(child)


def substitute(value: Type, replace: PyCallable[[Type], Type]) -> Type:
    """``value`` with each direct child replaced by ``replace(child)`` (which recurses as it sees fit)."""
    if isinstance(value, Union):
        return union(*(replace(member) for member in value.members))
    if isinstance(value, ListOf):
        return ListOf(replace(value.item), value.sequence)
    if isinstance(value, DictOf):
        return DictOf(replace(value.value), value.mapping)
    if isinstance(value, Runtime):
        return Runtime(value.name, tuple(replace(argument) for argument in value.arguments))
    if isinstance(value, Callable):
        return Callable(tuple(replace(parameter) for parameter in value.parameters), replace(value.result))
    if isinstance(value, Annotated):
        return Annotated(replace(value.type), value.metadata)
    if isinstance(value, NotRequired):
        return NotRequired(replace(value.type))
    return value


# --- from schemas ---------------------------------------------------------------------------------

#: String formats with a Python type of their own in the pydantic variant: module, name.
_FORMATS: Mapping[str, tuple[str, str]] = {
    "uuid": ("uuid", "UUID"),
    "date-time": ("datetime", "datetime"),
    "date": ("datetime", "date"),
    "time": ("datetime", "time"),
}
_SCALAR_KINDS: Mapping[str, PrimitiveKind] = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}


def schema_type(schema: Any, *, upload: bool = False) -> Type:
    """The type of a normalised schema; ``upload``: a binary string is a file to send (``FileContent``)."""
    if not isinstance(schema, dict) or not schema:
        return ANY
    if isinstance(schema.get("$ref"), str):
        return Model(ref_name(schema["$ref"]))
    if "const" in schema:
        return _literal_of([schema["const"]])
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return _literal_of(schema["enum"])
    for key in ("oneOf", "anyOf"):
        if isinstance(schema.get(key), list) and schema[key]:
            return union(*(schema_type(item, upload=upload) for item in schema[key]))
    if isinstance(schema.get("allOf"), list) and len(schema["allOf"]) == 1:
        return schema_type(schema["allOf"][0], upload=upload)
    kinds = schema.get("type")
    if isinstance(kinds, list):
        return union(*(_single(kind, schema, upload) for kind in kinds)) if kinds else ANY
    return _single(kinds, schema, upload)


def literal_value(value: Any) -> bool:
    """Whether ``typing.Literal`` can hold ``value``: text, booleans and integers a type checker reads (64-bit)."""
    if isinstance(value, (bool, str)):
        return True
    return isinstance(value, int) and -(2**63) <= value < 2**63


def enum_type(values: Iterable[Any]) -> Type:
    """The type of an enum's values: the ``Literal`` of those it can hold, with the types of the rest."""
    return _literal_of(list(values))


def _literal_of(values: list[Any]) -> Type:
    if any(isinstance(value, (dict, list)) for value in values):
        return ANY  # an enum of objects or arrays: no Literal can say it
    parts: list[Type] = [Literal((value,)) for value in values if literal_value(value)]
    if any(isinstance(value, int) and not isinstance(value, bool) and not literal_value(value) for value in values):
        parts.append(Primitive("int"))  # beyond 64 bits: type checkers cannot read it in a Literal
    if any(isinstance(value, float) for value in values):
        parts.append(Primitive("float"))  # Literal takes no floats
    if None in values:
        parts.append(NONE)
    return union(*parts)


def binary_string(schema: Any, upload: bool = True) -> bool:
    """A string of raw bytes: ``format: binary`` (3.0) or ``contentMediaType: application/octet-stream``;
    where a file is uploaded (a multipart part, a raw body), any ``contentMediaType`` without a
    ``contentEncoding`` (3.1: the bytes themselves, not base64 text of them). Nullable too."""
    if not isinstance(schema, Mapping):
        return False
    kinds = schema.get("type")
    if isinstance(kinds, list):
        kinds = [kind for kind in kinds if kind != "null"]
        kinds = kinds[0] if len(kinds) == 1 else None
    if kinds not in ("string", None):
        return False
    if schema.get("format") == "binary":
        return True
    media = schema.get("contentMediaType")
    if not isinstance(media, str) or schema.get("contentEncoding"):
        return False
    return upload or media == "application/octet-stream"


def _item_type(schema: Mapping[str, Any], upload: bool) -> Type:
    """What an array's items may be: with ``prefixItems`` (3.1), each leading item's type or the rest's
    (``items``; any value when ``items`` is absent, none when it is ``false``)."""
    items = schema.get("items", {})
    prefix = schema.get("prefixItems")
    if not isinstance(prefix, list) or not prefix:
        return schema_type(items, upload=upload)
    leading = [schema_type(item, upload=upload) for item in prefix]
    if items is False:
        return union(*leading)
    return union(*leading, schema_type(items if isinstance(items, dict) else {}, upload=upload))


def _single(kind: Any, schema: Mapping[str, Any], upload: bool) -> Type:
    if kind == "null":
        return NONE
    if kind == "string":
        if binary_string(schema, upload):
            return Runtime("FileContent") if upload else Primitive("bytes", "binary")
        form = schema.get("format")
        return Primitive("str", form if isinstance(form, str) else None)
    if kind in _SCALAR_KINDS:
        form = schema.get("format")
        return Primitive(_SCALAR_KINDS[kind], form if isinstance(form, str) else None)
    if kind == "array":
        return ListOf(_item_type(schema, upload))
    if kind == "object" or "properties" in schema or "additionalProperties" in schema:
        extra = schema.get("additionalProperties")
        return DictOf(schema_type(extra) if isinstance(extra, dict) and extra else ANY)
    if kind is None and (isinstance(schema.get("items"), dict) or isinstance(schema.get("prefixItems"), list)):
        return ListOf(_item_type(schema, upload))
    return ANY


# --- to source ------------------------------------------------------------------------------------

Origin = TypingLiteral["typing", "collections.abc", "builtins", "models", "types", "runtime", "uuid", "datetime"]


@dataclass(frozen=True)
class Import:
    """A name a rendered type needs, and where from; ``qualified``: spelled ``module.name`` (``import module``)."""

    origin: Origin
    name: str
    qualified: bool = False


def _python_name(value: Primitive, flavour: Flavour) -> tuple[Origin, str]:
    if value.kind == "bytes":
        # A binary string inside JSON is text on the wire; a raw body is bytes either way.
        return ("builtins", "str") if flavour == "json" and value.format == "binary" else ("builtins", "bytes")
    if value.kind == "str" and flavour == "python" and value.format is not None and value.format in _FORMATS:
        module, name = _FORMATS[value.format]
        return ("uuid" if module == "uuid" else "datetime"), name
    return "builtins", value.kind


def _name(origin: Origin, name: str, shadowed: frozenset[str], found: set[Import] | None) -> str:
    qualified = name in shadowed and origin in ("builtins", "uuid", "datetime")
    if found is not None:
        found.add(Import(origin, name, qualified))
    if not qualified:
        return name
    return f"{'builtins' if origin == 'builtins' else '_' + origin}.{name}"


def render(
    value: Type, flavour: Flavour = "python", shadowed: frozenset[str] = frozenset(), found: set[Import] | None = None
) -> str:
    """The source text of a type: the one place a type becomes text.

    ``shadowed`` names a scope hides (a method ``list``, a field ``date``) are
    spelled through their module (``builtins.list``, ``_datetime.date``);
    ``found``, when given, collects the imports the text needs.
    """
    if isinstance(value, Model):
        if found is not None:
            found.add(Import("models", value.name))
        return value.name
    if isinstance(value, DictModel):
        if found is not None:
            found.add(Import("types", value.module))
        return f"_{value.module}.{value.name}"
    if isinstance(value, Runtime):
        if found is not None:
            found.add(Import("runtime", value.name))
        if not value.arguments:
            return value.name
        return f"{value.name}[{', '.join(render(argument, flavour, shadowed, found) for argument in value.arguments)}]"
    if isinstance(value, Literal):
        if found is not None:
            found.add(Import("typing", "Literal"))
        return f"Literal[{', '.join(literal_source(item) for item in value.values)}]"
    if isinstance(value, ListOf):
        if value.sequence:
            if found is not None:
                found.add(Import("collections.abc", "Sequence"))
            return f"Sequence[{render(value.item, flavour, shadowed, found)}]"
        return f"{_name('builtins', 'list', shadowed, found)}[{render(value.item, flavour, shadowed, found)}]"
    if isinstance(value, DictOf):
        key = _name("builtins", "str", shadowed, found)
        if value.mapping:
            if found is not None:
                found.add(Import("collections.abc", "Mapping"))
            return f"Mapping[{key}, {render(value.value, flavour, shadowed, found)}]"
        return f"{_name('builtins', 'dict', shadowed, found)}[{key}, {render(value.value, flavour, shadowed, found)}]"
    if isinstance(value, Union):
        parts: list[str] = []
        for member in value.members:
            text = render(member, flavour, shadowed, found)
            if text not in parts:  # distinct formats may render alike (uuid and email in the json flavour)
                parts.append(text)
        return " | ".join(parts)  # the one place a union becomes text
    if isinstance(value, Primitive):
        origin, name = _python_name(value, flavour)
        return _name(origin, name, shadowed, found)
    if isinstance(value, Callable):
        if found is not None:
            found.add(Import("collections.abc", "Callable"))
        parameters = ", ".join(render(parameter, flavour, shadowed, found) for parameter in value.parameters)
        return f"Callable[[{parameters}], {render(value.result, flavour, shadowed, found)}]"
    if isinstance(value, Annotated):
        if found is not None:
            found.add(Import("typing", "Annotated"))
        return f"Annotated[{render(value.type, flavour, shadowed, found)}, {', '.join(value.metadata)}]"
    if isinstance(value, NotRequired):
        if found is not None:
            found.add(Import("typing", "NotRequired"))
        return f"NotRequired[{render(value.type, flavour, shadowed, found)}]"
    if value == NONE:
        return "None"
    if found is not None:
        found.add(Import("typing", "Any"))
    return "Any"


def imports(value: Type, flavour: Flavour = "python", shadowed: frozenset[str] = frozenset()) -> frozenset[Import]:
    """The imports ``render(value, flavour, shadowed)`` needs (builtins unqualified need none, but are listed)."""
    found: set[Import] = set()
    render(value, flavour, shadowed, found)
    return frozenset(found)


def literal_source(value: object) -> str:
    """A Python literal for a JSON value, safe for any content."""
    if isinstance(value, str):
        return string_literal(value)
    if isinstance(value, float) and not math.isfinite(value):
        return f"float({str(value)!r})"  # YAML's .inf and .nan have no literal
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(literal_source(item) for item in value) + "]"
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{literal_source(str(key))}: {literal_source(item)}" for key, item in value.items()) + "}"
        )
    return repr(str(value))
