"""Argument definitions: what each operation's method takes, as typed records built once in the schema stage.

A parameter is one argument. A body whose schema is an object with properties
(written in place, or a named model's whose unions have only such objects as
members, ``takes_fields``) is one keyword argument per property, then one per
property the members of its unions carry; a JSON or form body of any other
schema is one ``body`` argument; any other media type travels as it is (text
or a file). Each argument records its type (the type model's: a multipart file
field's is a file to upload), its ``Value`` (constraints included), whether it
is required (a ``readOnly`` property never is), its default and description.
The view builds the signatures from these, ``clientgen diff`` compares them:
neither reads a body's schema.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from generator.contract import form_media, is_json_media, is_multipart, media_essence
from generator.ir import Body, Operation, Parameter
from generator.markers import UNION_PARTS
from generator.naming.model_names import is_object_with_properties
from generator.pointer import ref_name
from generator.sentinel import Sentinel
from generator.typemodel import Primitive, Runtime, Type, binary_string, optional, schema_type, union
from generator.values import Value, value_of

Resolve = Callable[[Any], Any]
MISSING: Any = Sentinel("generator.arguments", "MISSING")  # an argument without a default


@dataclass(frozen=True)
class ArgumentDef:
    """One argument: a parameter, a property of an object body, or a property its union members carry.

    A union member's property (``carriers`` not empty) is typed as the union of the members' types and is
    required only when every member of its union requires it; ``carriers`` says which members carry it and
    whether each requires it, out of ``members`` in its union.
    """

    wire_name: str
    type: Type
    value: Value
    required: bool
    read_only: bool
    default: Any  # a JSON value, or MISSING
    description: str
    carriers: tuple[tuple[str, bool], ...] = ()
    members: int = 0


@dataclass(frozen=True)
class Member:
    """One member of a union part of an object body: its name (a model's, or ``member N``) and the properties it
    requires (read-only ones left out: a request never has to send them)."""

    name: str
    needs: tuple[str, ...]


@dataclass(frozen=True)
class StreamFlag:
    """The body's boolean ``stream`` property, which picks JSON or a stream where the success offers both."""

    default: bool  # the API streams when the argument is left out
    nullable: bool


BodyKind = Literal["fields", "value", "raw"]


@dataclass(frozen=True)
class BodyDef:
    """What a method takes for its request body.

    ``fields``: one keyword argument per property (``properties``, then ``member_fields``); ``model`` names the
    model whose properties they are when the body is a reference. ``value``: one ``body`` argument of ``type``.
    ``raw``: the body travels as it is, ``text`` or a file.
    """

    kind: BodyKind
    media_type: str
    required: bool
    description: str
    value: Value  # the body's schema as a place (what ``clientgen diff`` compares)
    type: Type  # a ``value`` body's argument type
    properties: tuple[ArgumentDef, ...] = ()
    member_fields: tuple[ArgumentDef, ...] = ()
    unions: tuple[tuple[Member, ...], ...] = ()  # the members of each union part, for the sets a call must give
    model: str = ""
    text: bool = False
    stream: StreamFlag | None = None

    @property
    def fields(self) -> tuple[ArgumentDef, ...]:
        return (*self.properties, *self.member_fields)


@dataclass(frozen=True)
class OperationArguments:
    parameters: Mapping[tuple[str, str], ArgumentDef]  # (location, name) → its argument
    body: BodyDef | None


def build_arguments(
    operation: Operation,
    parameters: Mapping[tuple[str, str], Any],
    body: Any,
    resolve: Resolve,
) -> OperationArguments:
    """The arguments of one operation, from its normalised parameter and body schemas."""
    return OperationArguments(
        {
            (parameter.location, parameter.name): _parameter(
                parameter, parameters.get((parameter.location, parameter.name), {})
            )
            for parameter in operation.parameters
        },
        _body(operation.body, body, resolve) if operation.body is not None and body is not None else None,
    )


def _parameter(parameter: Parameter, schema: Any) -> ArgumentDef:
    return ArgumentDef(
        parameter.name,
        schema_type(schema),
        value_of(schema),
        parameter.required,
        read_only(schema),
        _default(schema),
        parameter.description,
    )


def _default(schema: Any) -> Any:
    return schema["default"] if isinstance(schema, dict) and "default" in schema else MISSING


def _body(body: Body, schema: Any, resolve: Resolve) -> BodyDef:
    media = body.media_type
    place = value_of(schema)
    model = ""
    if isinstance(schema, dict) and "$ref" in schema:
        resolved = resolve(schema)
        if takes_fields(media, resolved, resolve):
            # An object body is a set of fields: a named body model becomes keyword arguments too
            # (``create(model=..., messages=[...])``, as Stainless SDKs take it). A union, an array or a
            # scalar stays one ``body`` argument.
            schema, model = resolved, ref_name(schema["$ref"])
    groups = union_groups(schema, resolve)
    if isinstance(schema, dict) and isinstance(schema.get("properties"), dict) and groups is not None:
        multipart = is_multipart(media)
        inline = _binary_inliner(resolve)
        required = set(schema.get("required") or [])
        properties: list[ArgumentDef] = []
        # An inline body's place holds its properties' values already; a named model's are made here.
        known = dict(place.fields.values) if not model else {}
        for prop, sub in schema["properties"].items():
            description = sub.get("description", "") if isinstance(sub, dict) else ""
            sent = inline(sub) if multipart else sub
            properties.append(
                ArgumentDef(
                    prop,
                    schema_type(sent, upload=multipart),
                    known[prop] if prop in known else value_of(sub),
                    prop in required and not read_only(sent),
                    read_only(sent),
                    _default(sub),
                    description or "",
                )
            )
        members: list[ArgumentDef] = []
        for group in groups:
            taken = {argument.wire_name for argument in (*properties, *members)}
            members.extend(_member_fields(group, taken, multipart, inline))
        return BodyDef(
            "fields",
            media,
            body.required,
            body.description,
            place,
            schema_type(schema),
            tuple(properties),
            tuple(members),
            tuple(
                tuple(Member(name, _needs(member, schema["properties"])) for name, member in group) for group in groups
            ),
            model,
            stream=_stream_flag(schema["properties"].get("stream"), resolve),
        )
    if is_json_media(media) or form_media(media):
        return BodyDef("value", media, body.required, body.description, place, schema_type(schema))
    text = media_essence(media).startswith("text/") and not binary_string(resolve(schema), upload=False)
    value: Type = Primitive("str") if text else Runtime("FileContent")
    return BodyDef("raw", media, body.required, body.description, place, value, text=text)


def _needs(member: dict[str, Any], body: Mapping[str, Any]) -> tuple[str, ...]:
    """The properties a member requires, read-only ones (by the member's schema, else the body's) left out."""
    properties = member.get("properties")
    own = properties if isinstance(properties, dict) else {}
    return tuple(
        prop
        for prop in member.get("required") or []
        if isinstance(prop, str) and not read_only(own.get(prop, body.get(prop)))
    )


def _stream_flag(schema: Any, resolve: Resolve) -> StreamFlag | None:
    if schema is None:
        return None
    schema = resolve(schema)
    flag = schema_type(schema) if isinstance(schema, dict) else None
    if flag not in (Primitive("bool"), optional(Primitive("bool"))) or not isinstance(schema, dict):
        return None
    return StreamFlag(schema.get("default") is True, flag != Primitive("bool"))


def _binary_inliner(resolve: Resolve) -> Callable[[Any], Any]:
    def inline(schema: Any) -> Any:
        """A multipart property's schema with each reference to a binary string replaced by that string: a file
        to upload is one whatever its schema is named (``file: {$ref: '#/components/schemas/File'}``)."""
        if not isinstance(schema, dict):
            return schema
        if isinstance(schema.get("$ref"), str):
            target = resolve(schema)
            return target if isinstance(target, dict) and binary_string(target) else schema
        result = dict(schema)
        if isinstance(schema.get("items"), dict):
            result["items"] = inline(schema["items"])
        for key in _COMPOSITIONS:
            if isinstance(schema.get(key), list):
                result[key] = [inline(item) for item in schema[key]]
        return result

    return inline


_COMPOSITIONS = ("oneOf", "anyOf", "allOf")


def takes_fields(media: str, schema: Any, resolve: Resolve | None = None) -> bool:
    """Whether a method takes a named body model's properties as keyword arguments: a form's model with
    properties, or a JSON object with properties whose unions (its own ``oneOf``/``anyOf``, or the union
    parts of its ``allOf``) have only objects with properties as members (``union_groups``)."""
    if form_media(media):
        return is_object_with_properties(schema)
    if not (is_json_media(media) and is_object_with_properties(schema)) or "allOf" in schema:
        return False
    return union_groups(schema, resolve or (lambda node: node)) is not None


def union_groups(schema: Any, resolve: Resolve) -> list[list[tuple[str, dict[str, Any]]]] | None:
    """The union parts of an object body, each as its members (name, object schema); None when a member is no
    object with properties (a string, an array, a map): then no set of keyword arguments types the body soundly
    and the method keeps one ``body`` argument."""
    if not isinstance(schema, dict):
        return None
    lists = [schema[key] for key in ("oneOf", "anyOf") if isinstance(schema.get(key), list)]
    lists += [members for members in schema.get(UNION_PARTS) or [] if isinstance(members, list)]
    groups = []
    for members in lists:
        group = []
        for index, member in enumerate(members):
            target = resolve(member)
            if not (is_object_with_properties(target) or _constraint_only(target)) or any(
                key in target for key in _COMPOSITIONS
            ):
                return None
            reference = member.get("$ref") if isinstance(member, dict) else None
            name = ref_name(reference) if isinstance(reference, str) else f"member {index + 1}"
            group.append((name, target))
        groups.append(group)
    return groups


#: Keywords that make a union member a value of its own kind rather than a constraint on the object's fields.
_VALUE_KEYS = frozenset({"properties", "$ref", "enum", "const", "items", "prefixItems", "additionalProperties", "not"})


def _constraint_only(schema: Any) -> bool:
    """A member that only requires some of the object's fields (``anyOf: [{required: [breakout]}, ...]``):
    it adds no field and keeps the object an object."""
    return (
        isinstance(schema, dict)
        and schema.get("type", "object") == "object"
        and not schema.keys() & _VALUE_KEYS
        and not schema.keys() & set(_COMPOSITIONS)
    )


def _member_fields(
    group: list[tuple[str, dict[str, Any]]], taken: set[str], multipart: bool, inline: Callable[[Any], Any]
) -> list[ArgumentDef]:
    """The fields the members of one union carry beyond the object's own (``taken``). A field several members
    carry takes the union of their types; it is required only when every member requires it."""
    order: list[str] = []
    carriers: dict[str, list[tuple[str, dict[str, Any], Any]]] = {}
    for name, member in group:
        for prop, sub in (member.get("properties") or {}).items():
            if prop in taken:
                continue
            if prop not in carriers:
                order.append(prop)
                carriers[prop] = []
            carriers[prop].append((name, member, inline(sub) if multipart else sub))
    fields = []
    for prop in order:
        found = carriers[prop]
        needs = [(name, prop in (member.get("required") or []) and not read_only(sub)) for name, member, sub in found]
        described = next(
            (sub["description"] for _, _, sub in found if isinstance(sub, dict) and sub.get("description")), ""
        )
        fields.append(
            ArgumentDef(
                prop,
                union(*(schema_type(sub, upload=multipart) for _, _, sub in found)),
                value_of(found[0][2]),
                sum(required for _, required in needs) == len(group),
                all(read_only(sub) for _, _, sub in found),
                MISSING,
                described,
                tuple(needs),
                len(group),
            )
        )
    return fields


def read_only(schema: Any) -> bool:
    """A ``readOnly`` property: the server sets it, and OpenAPI's ``required`` binds it in responses only, so a
    request never has to send it (cloudflare's rulesets require the read-only ``last_updated``)."""
    return isinstance(schema, dict) and schema.get("readOnly") is True
