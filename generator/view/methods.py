"""Method assembly: one operation becomes one method of a resource, for one family of variants.

Each step is a small function: the arguments of the parameters, the arguments
and call of the body, the response annotation, the docstring.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from generator.contract import (
    IdempotencyKeys,
    StreamFormat,
    form_media,
    is_json_media,
    is_multipart,
    makes_idempotency_key,
    media_essence,
    response_kind,
    stream_format,
    visible_parameters,
)
from generator.ir import Body, Operation, Response, SecurityScheme
from generator.naming.case import snake
from generator.naming.identifiers import METHOD_LOCALS
from generator.naming.model_names import is_object_with_properties
from generator.naming.operations import OperationName
from generator.pagination import Paging
from generator.pointer import ref_name
from generator.schemas import UNION_PARTS, OperationSchemas, SchemaSet
from generator.typemodel import (
    ANY,
    NONE,
    DictModel,
    DictOf,
    ListOf,
    Model,
    Primitive,
    Runtime,
    Type,
    binary_string,
    literal_source,
    optional,
    schema_type,
    substitute,
    union,
    walk,
)
from generator.variants import SYNC, Execution, Family
from generator.view.annotate import Annotator, Imports
from generator.view.docstrings import method_docstring
from generator.view.required import guard, needs_words, read_only, required_sets
from generator.view.shapes import ArgumentView, MethodView, StreamChoice

_CALL_KEYWORDS = (("path", "path_params"), ("query", "query"), ("header", "headers"), ("cookie", "cookies"))


@dataclass
class _Arguments:
    """The arguments of one method as they are collected, and what each location of the call receives."""

    # Names the generated methods use for themselves: a parameter gets a prefixed name instead.
    used: set[str] = field(default_factory=lambda: set(METHOD_LOCALS))
    positional: list[ArgumentView] = field(default_factory=list)
    required: list[ArgumentView] = field(default_factory=list)
    optional: list[ArgumentView] = field(default_factory=list)
    groups: dict[str, list[str]] = field(
        default_factory=lambda: {"path": [], "query": [], "header": [], "cookie": [], "body": [], "files": []}
    )

    def unique(self, name: str, location: str) -> str:
        candidate = name
        if candidate in self.used:
            candidate = f"{location}_{name}"
        number = 2
        while candidate in self.used:
            candidate = f"{location}_{name}_{number}"
            number += 1
        self.used.add(candidate)
        return candidate

    #: Each body property taken as a keyword argument: its argument's name and its schema, by wire name.
    body_properties: dict[str, tuple[str, Any]] = field(default_factory=dict)
    #: Per union of the body whose every member requires some optional arguments (``anyOf: [{required:
    #: [reviewers]}, {required: [team_reviewers]}]``): the sets of argument names, one of which a call must give.
    required_sets: list[tuple[tuple[str, ...], ...]] = field(default_factory=list)

    def add(self, argument: ArgumentView, required: bool) -> None:
        (self.required if required else self.optional).append(argument)


class MethodBuilder:
    """Builds the methods of one resource module for one family, collecting that module's imports."""

    def __init__(
        self,
        schemas: SchemaSet,
        family: Family,
        imports: Imports,
        scheme: SecurityScheme | None,
        shadowed: frozenset[str],
        idempotency_keys: IdempotencyKeys = "declared",
    ) -> None:
        self.idempotency_keys: IdempotencyKeys = idempotency_keys
        self.schemas = schemas
        self.family = family
        self.imports = imports
        self.annotate = Annotator(family.flavour, imports, shadowed)
        self.scheme = scheme

    def build(
        self,
        operation: Operation,
        naming: OperationName,
        route: str,
        parser: str,
        paging: str | None = None,
        page: Paging | None = None,
        chunk_parser: str = "",
    ) -> MethodView:
        arguments = _Arguments()
        self._parameter_arguments(operation, arguments)
        body_call = self._body_arguments(operation, arguments)
        call = [
            f"{keyword}={{{', '.join(arguments.groups[location])}}}"
            for location, keyword in _CALL_KEYWORDS
            if arguments.groups[location]
        ]
        call.extend(body_call)
        success = operation.success
        form = stream_format(success.media_type) if success is not None else None
        streams = form is not None
        kind = response_kind(success.media_type if success else None)
        if kind != "json" and not streams:
            call.append(f'response_kind="{kind}"')
        operation_schemas = self.schemas.operations.get(operation.key)
        returns = _return_type(kind, operation_schemas.response if operation_schemas else None)
        if kind == "json" and not streams and operation.may_succeed_without_body:
            returns = optional(returns)
        call_name = STREAM_CALLS[form] if form is not None else "request"
        paged = ""
        if page is not None and paging is not None and kind == "json" and not streams:
            # Only the items' type is shown: the list model itself is not imported.
            returns = self._item_type(operation_schemas.response if operation_schemas else None, page)
            call_name = "request_page"
            call.append(f"paging={paging}")
            paged = page.describe()
        choice = None
        if success is not None and not streams and not paged and kind == "json":
            choice = self._stream_choice(success, operation_schemas, arguments, chunk_parser)
        makes_key = makes_idempotency_key(operation, self.idempotency_keys)
        takes_key = not operation.idempotent or makes_key
        keyword = arguments.required + arguments.optional
        note = _stream_note(choice, form)
        sets = tuple(arguments.required_sets)
        if sets:
            self.imports.runtime.update(("NOT_GIVEN", "RequestArgumentError"))
        return MethodView(
            name=naming.method,
            docstring=method_docstring(
                operation,
                [*arguments.positional, *keyword],
                takes_key,
                self.family,
                makes_key,
                " ".join(part for part in (note, *map(needs_words, sets)) if part),
            ),
            positional=tuple(arguments.positional),
            keyword=tuple(keyword),
            returns=variant_returns(call_name, returns, SYNC),
            call=call_name,
            event_type=returns,
            route=route,
            parser=parser,
            call_arguments=tuple(call),
            takes_idempotency_key=takes_key,
            streams=streams,
            paging=paged,
            stream_choice=choice,
            required_sets=sets,
            guards=tuple(guard(naming.method, group) for group in sets),
        )

    def separate_stream(self, operation: Operation, method: MethodView, chunk_parser: str) -> MethodView | None:
        """The streaming twin (``create_stream``) of a JSON method whose success also offers a stream but whose
        body has no ``stream`` property to ask for it: the stream is asked for by its media type (``Accept``)."""
        success = operation.success
        form = stream_format(success.stream_media_type) if success is not None else None
        if form is None or method.call != "request" or method.stream_choice is not None:
            return None
        schemas = self.schemas.operations.get(operation.key)
        chunk = schema_type(schemas.stream) if schemas is not None and schemas.stream is not None else ANY
        call = STREAM_CALLS[form]
        makes_key = makes_idempotency_key(operation, self.idempotency_keys)
        note = f"Returns {_STREAM_WORDS[call]}: the stream ``{method.name}`` offers beside its JSON answer."
        return replace(
            method,
            name=f"{method.name}_stream",
            docstring=method_docstring(
                operation,
                [*method.positional, *method.keyword],
                method.takes_idempotency_key,
                self.family,
                makes_key,
                note,
            ),
            returns=variant_returns(call, chunk, SYNC),
            call=call,
            event_type=chunk,
            parser=chunk_parser,
            call_arguments=tuple(item for item in method.call_arguments if not item.startswith("response_kind=")),
            streams=True,
        )

    def _stream_choice(
        self, success: Response, schemas: OperationSchemas | None, arguments: _Arguments, parser: str
    ) -> StreamChoice | None:
        """JSON or a stream, picked by the body's boolean ``stream`` property, where the success offers both."""
        form = stream_format(success.stream_media_type)
        found = arguments.body_properties.get("stream")
        if form is None or found is None or not parser:
            return None
        name, schema = found
        schema = self.schemas.resolve(schema)
        flag = schema_type(schema) if isinstance(schema, dict) else ANY
        if flag not in (Primitive("bool"), optional(Primitive("bool"))) or not isinstance(schema, dict):
            return None
        chunk = schema_type(schemas.stream) if schemas is not None and schemas.stream is not None else ANY
        default = schema.get("default") is True
        required = any(argument.name == name for argument in arguments.required)
        return StreamChoice(name, default, STREAM_CALLS[form], chunk, parser, flag != Primitive("bool"), required)

    def _item_type(self, response: Any, page: Paging) -> Type:
        """The type of one item of a page: the array's ``items`` schema."""
        schema = self.schemas.resolve(response)
        for name in page.items:
            properties = schema.get("properties") if isinstance(schema, dict) else None
            schema = self.schemas.resolve(properties.get(name, {})) if isinstance(properties, dict) else {}
        items = schema.get("items", {}) if isinstance(schema, dict) else {}
        return schema_type(items)

    def _parameter_arguments(self, operation: Operation, arguments: _Arguments) -> None:
        """Path parameters in path order (positional), then the others by whether they are required."""
        parameters = visible_parameters(operation, self.scheme)
        path_order = re.findall(r"{([^}]+)}", operation.path)
        parameters.sort(key=lambda p: (p.location != "path", path_order.index(p.name) if p.name in path_order else 0))
        operation_schemas = self.schemas.operations.get(operation.key)
        for parameter in parameters:
            name = arguments.unique(snake(parameter.name), parameter.location)
            schema = (
                operation_schemas.parameters.get((parameter.location, parameter.name), {}) if operation_schemas else {}
            )
            argument = self._argument(name, schema, parameter.required, parameter.name, parameter.description)
            if parameter.location == "path":
                arguments.positional.append(argument)
            else:
                arguments.add(argument, parameter.required)
            # The runtime writes the value by the parameter's style (the route's ``Param`` records).
            arguments.groups[parameter.location].append(f"{literal_source(parameter.name)}: {name}")

    def _body_arguments(self, operation: Operation, arguments: _Arguments) -> list[str]:
        """Add the body's arguments; return the body part of the runtime call (``json=``, ``form=``, ``files=``, ``content=``)."""
        operation_schemas = self.schemas.operations.get(operation.key)
        body_schema = operation_schemas.body if operation_schemas else None
        if operation.body is None or body_schema is None:
            return []
        body = operation.body
        media = body.media_type
        resolved = self.schemas.resolve(body_schema) if "$ref" in body_schema else None
        if resolved is not None and takes_fields(media, resolved, self.schemas.resolve):
            # An object body is a set of fields: a named body model becomes keyword arguments too
            # (``create(model=..., messages=[...])``, as Stainless SDKs take it). A union, an array or a
            # scalar stays one ``body`` argument.
            body_schema = resolved
        groups = union_groups(body_schema, self.schemas.resolve)
        if isinstance(body_schema.get("properties"), dict) and groups is not None:
            body_value = self._property_arguments(body_schema, media, arguments, groups)
        elif is_json_media(media) or form_media(media):
            name = arguments.unique("body", "body")
            arguments.add(self._argument(name, body_schema, body.required, "", body.description), body.required)
            body_value = name
        else:
            body_value = self._raw_body_argument(body, body_schema, arguments)
        if is_json_media(media):
            return [f"json={body_value}"]
        if form_media(media):
            call = [f"form={body_value}"] if arguments.groups["body"] or body_value != "{}" else []
            if is_multipart(media):
                # Given even when empty: it tells the runtime the fields travel as multipart parts.
                call.append("files={" + ", ".join(arguments.groups["files"]) + "}")
            return call
        return [f"content={body_value}"]

    def _property_arguments(
        self, body_schema: dict[str, Any], media: str, arguments: _Arguments, groups: list[list[Member]]
    ) -> str:
        """One keyword argument per body property, then one per property a member of the body's unions
        carries (optional unless every member of its union requires it, typed as the union of the members'
        types); file fields of a multipart form go to ``files``."""
        required_props = set(body_schema.get("required") or [])
        multipart = is_multipart(media)
        fields: list[tuple[str, Type, bool, str]] = []
        for prop, sub in body_schema["properties"].items():
            description = sub.get("description", "") if isinstance(sub, dict) else ""
            if multipart:
                sub = self._inline_binary(sub)
            required = prop in required_props and not read_only(sub)
            fields.append((prop, schema_type(sub, upload=multipart), required, description or ""))
        for group in groups:
            fields.extend(_member_fields(group, {prop for prop, *_ in fields}, multipart, self._inline_binary))
        names: dict[str, str] = {}
        for prop, value, required, description in fields:
            name = arguments.unique(snake(prop), "body")
            argument = self._typed_argument(name, value, required, prop, description)
            arguments.add(argument, required)
            arguments.body_properties[prop] = (name, body_schema["properties"].get(prop, {}))
            target = "files" if multipart and _is_file(argument.type) else "body"
            arguments.groups[target].append(f"{literal_source(prop)}: {name}")
            if not required:
                names[prop] = name
        taken = {prop for prop, *_ in fields}
        for group in groups:
            sets = required_sets(group, names, taken, body_schema["properties"])
            if sets:
                arguments.required_sets.append(sets)
        return "{" + ", ".join(arguments.groups["body"]) + "}"

    def _argument(
        self, name: str, schema: Any, required: bool, wire: str, description: str, upload: bool = False
    ) -> ArgumentView:
        return self._typed_argument(name, schema_type(schema, upload=upload), required, wire, description)

    def _typed_argument(self, name: str, value: Type, required: bool, wire: str, description: str) -> ArgumentView:
        value = self._accepted(value)
        if required:
            return ArgumentView(name, value, self.annotate(value), None, wire, description)
        self.imports.runtime.add("NOT_GIVEN")
        return ArgumentView(
            name, value, self.annotate(union(value, Runtime("NotGiven"))), "NOT_GIVEN", wire, description
        )

    def _accepted(self, value: Type) -> Type:
        """What an argument takes: in a family whose arguments take plain data too (``argument_dicts``),
        each model also as its TypedDict and each enum also as its values (``ChatRole | Literal["user", ...]``);
        a list or map of them as a ``Sequence`` or ``Mapping``, so a ``list[ChatMessage]`` still fits."""
        module = self.family.argument_dicts
        if module is None:
            return value

        def widen(node: Type) -> Type:
            if isinstance(node, Model):
                return union(node, *self._plain_forms(node.name, module))
            changed = substitute(node, widen)
            if isinstance(changed, ListOf) and isinstance(node, ListOf) and changed.item != node.item:
                return ListOf(changed.item, sequence=True)
            if isinstance(changed, DictOf) and isinstance(node, DictOf) and changed.value != node.value:
                return DictOf(changed.value, mapping=True)
            return changed

        return widen(value)

    def _plain_forms(self, name: str, module: str) -> tuple[Type, ...]:
        """The plain data a model's argument takes beside the model: an enum's values, an object's or a
        union's TypedDict; nothing beside an alias of a scalar (it is that scalar already)."""
        schema = self.schemas.models.get(name)
        if not isinstance(schema, dict):
            return ()
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return (schema_type({"enum": schema["enum"]}),)
        if "const" in schema:
            return ()
        kinds = schema.get("type")
        kinds = set(kinds) if isinstance(kinds, list) else {kinds}
        structured = any(key in schema for key in ("properties", "additionalProperties", "items", *_COMPOSITIONS))
        if not structured and not kinds & {"object", "array"}:
            return ()
        return (DictModel(name, module),)

    def _inline_binary(self, schema: Any) -> Any:
        """A multipart property's schema with each reference to a binary string replaced by that string:
        a file to upload is one whatever its schema is named (``file: {$ref: '#/components/schemas/File'}``)."""
        if not isinstance(schema, dict):
            return schema
        if isinstance(schema.get("$ref"), str):
            target = self.schemas.resolve(schema)
            return target if isinstance(target, dict) and binary_string(target) else schema
        result = dict(schema)
        if isinstance(schema.get("items"), dict):
            result["items"] = self._inline_binary(schema["items"])
        for key in ("oneOf", "anyOf", "allOf"):
            if isinstance(schema.get(key), list):
                result[key] = [self._inline_binary(item) for item in schema[key]]
        return result

    def _raw_body_argument(self, body: Body, body_schema: Any, arguments: _Arguments) -> str:
        """Any media type other than JSON and forms travels as it is: text (``text/*`` with a string
        schema) as ``str``, anything else as a file (``FileContent``: bytes, a file, a path, a tuple)."""
        name = arguments.unique("body", "body")
        schema = self.schemas.resolve(body_schema)
        text = media_essence(body.media_type).startswith("text/") and not binary_string(schema, upload=False)
        value: Type = Primitive("str") if text else Runtime("FileContent")
        if body.required:
            arguments.required.append(ArgumentView(name, value, self.annotate(value), None, "", body.description))
        else:
            arguments.optional.append(
                ArgumentView(name, optional(value), self.annotate(optional(value)), "None", "", body.description)
            )
        return name


_BYTES = Primitive("bytes")


#: The runtime method that reads each kind of stream.
STREAM_CALLS: dict[StreamFormat, str] = {"sse": "stream_events", "ndjson": "stream_lines"}
_STREAM_WORDS = {
    "stream_events": "an event stream (server-sent events): iterate it for each event",
    "stream_lines": "a JSON Lines stream (NDJSON): iterate it for each line",
}


def variant_returns(call: str, result: Type, execution: Execution) -> Type:
    """What a method returns in one execution: its result, or a page or a stream of it."""
    if call == "request_page":
        return Runtime(execution.page, (result,))
    if call == "stream_events":
        return Runtime(execution.event_stream, (result,))
    if call == "stream_lines":
        return Runtime(execution.line_stream, (result,))
    return result


def _stream_note(choice: StreamChoice | None, form: StreamFormat | None) -> str:
    """What a streaming method's docstring says it returns."""
    if choice is not None:
        words = _STREAM_WORDS[choice.call]
        if choice.default:
            return (
                f"Returns {words}, unless ``{choice.argument}=False`` (the API streams by default): "
                "then the whole response."
            )
        return f"Returns the whole response; with ``{choice.argument}=True``, {words}."
    if form is not None:
        return f"Returns {_STREAM_WORDS[STREAM_CALLS[form]]}."
    return ""


_COMPOSITIONS = ("oneOf", "anyOf", "allOf")


def takes_fields(media: str, schema: Any, resolve: Callable[[Any], Any] | None = None) -> bool:
    """Whether a method takes a named body model's properties as keyword arguments: a form's model with
    properties, or a JSON object with properties whose unions (its own ``oneOf``/``anyOf``, or the union
    parts of its ``allOf``) have only objects with properties as members (``union_groups``)."""
    if form_media(media):
        return is_object_with_properties(schema)
    if not (is_json_media(media) and is_object_with_properties(schema)) or "allOf" in schema:
        return False
    return union_groups(schema, resolve or (lambda node: node)) is not None


@dataclass(frozen=True)
class Member:
    """One member of a union part of an object body: its name (for the docstring) and its object schema."""

    name: str
    schema: dict[str, Any]


def union_groups(schema: Any, resolve: Callable[[Any], Any]) -> list[list[Member]] | None:
    """The union parts of an object body, each as its members; None when a member is no object with
    properties (a string, an array, a map): then no set of keyword arguments types the body soundly and
    the method keeps one ``body`` argument."""
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
            group.append(Member(name, target))
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
    group: list[Member], taken: set[str], multipart: bool, inline: Callable[[Any], Any]
) -> list[tuple[str, Type, bool, str]]:
    """The fields the members of one union carry beyond the object's own (``taken``): (property, type,
    required, description). A field several members carry takes the union of their types; it is required
    only when every member requires it; its description says which members carry and which need it."""
    order: list[str] = []
    carriers: dict[str, list[tuple[Member, Any]]] = {}
    for member in group:
        for prop, sub in (member.schema.get("properties") or {}).items():
            if prop in taken:
                continue
            if prop not in carriers:
                order.append(prop)
                carriers[prop] = []
            carriers[prop].append((member, inline(sub) if multipart else sub))
    fields = []
    for prop in order:
        found = carriers[prop]
        value = union(*(schema_type(sub, upload=multipart) for _, sub in found))
        needs = [
            member for member, sub in found if prop in (member.schema.get("required") or []) and not read_only(sub)
        ]
        required = len(needs) == len(group)
        described = next(
            (sub["description"] for _, sub in found if isinstance(sub, dict) and sub.get("description")), ""
        )
        words = ", ".join(f"{member.name} (required)" if member in needs else member.name for member, _ in found)
        note = f"One of: {words}." if not required or len(found) < len(group) else ""
        fields.append((prop, value, required, " ".join(part for part in (described, note) if part)))
    return fields


def _is_file(value: Type) -> bool:
    return any(isinstance(node, Runtime) and node.name == "FileContent" for node in walk(value))


def _return_type(kind: str, schema: Any) -> Type:
    if kind == "text":
        return Primitive("str")
    if kind == "bytes":
        return _BYTES
    if kind == "none" or schema is None:
        return NONE
    return schema_type(schema)
