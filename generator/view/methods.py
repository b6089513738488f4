"""Method assembly: one operation becomes one method of a resource, for one family of variants.

Each step is a small function: the arguments of the parameters, the arguments
and call of the body, the response annotation, the docstring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from generator.arguments import ArgumentDef, BodyDef
from generator.contract import (
    IdempotencyKeys,
    StreamFormat,
    form_media,
    is_json_media,
    is_multipart,
    makes_idempotency_key,
    response_kind,
    stream_format,
    visible_parameters,
)
from generator.ir import Operation, Response, SecurityScheme
from generator.naming.case import snake
from generator.naming.identifiers import METHOD_LOCALS
from generator.naming.operations import OperationName
from generator.pagination import Paging
from generator.schemas import OperationSchemas, SchemaSet
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
    enum_type,
    literal_source,
    optional,
    substitute,
    union,
    walk,
)
from generator.values import EMPTY, Value
from generator.variants import SYNC, Execution, Family
from generator.view.annotate import Annotator, Imports
from generator.view.docstrings import method_docstring
from generator.view.required import guard, needs_words, required_sets
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

    #: Each body property taken as a keyword argument: its argument's name, by wire name.
    body_properties: dict[str, str] = field(default_factory=dict)
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
        returns = _return_type(kind, operation_schemas.returns if operation_schemas else None)
        if kind == "json" and not streams and operation.may_succeed_without_body:
            returns = optional(returns)
        call_name = STREAM_CALLS[form] if form is not None else "request"
        paged = ""
        if page is not None and paging is not None and kind == "json" and not streams:
            # Only the items' type is shown: the list model itself is not imported.
            returns = self._item_type(operation_schemas.returns if operation_schemas else None, page)
            call_name = "request_page"
            call.append(f"paging={paging}")
            paged = page.describe()
        choice = None
        if success is not None and not streams and not paged and kind == "json" and operation_schemas is not None:
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
        chunk = schemas.chunk if schemas is not None else ANY
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
        self, success: Response, schemas: OperationSchemas, arguments: _Arguments, parser: str
    ) -> StreamChoice | None:
        """JSON or a stream, picked by the body's boolean ``stream`` property, where the success offers both."""
        form = stream_format(success.stream_media_type)
        body = schemas.arguments.body
        flag = body.stream if body is not None else None
        name = arguments.body_properties.get("stream")
        if form is None or flag is None or name is None or not parser:
            return None
        chunk = schemas.chunk
        required = any(argument.name == name for argument in arguments.required)
        return StreamChoice(name, flag.default, STREAM_CALLS[form], chunk, parser, flag.nullable, required)

    def _item_type(self, response: Value | None, page: Paging) -> Type:
        """The type of one item of a page: the items of the array at the page's items path."""
        value = self._seen(response or EMPTY)
        for name in page.items:
            value = self._seen(dict(value.fields.values).get(name, EMPTY))
        return value.items.type if value.items is not None else ANY

    def _seen(self, value: Value) -> Value:
        """A model reference followed to the model's own value."""
        seen: set[str] = set()
        while isinstance(value.type, Model) and value.type.name in self.schemas.values and value.type.name not in seen:
            seen.add(value.type.name)
            value = self.schemas.values[value.type.name]
        return value

    def _parameter_arguments(self, operation: Operation, arguments: _Arguments) -> None:
        """Path parameters in path order (positional), then the others by whether they are required."""
        parameters = visible_parameters(operation, self.scheme)
        path_order = re.findall(r"{([^}]+)}", operation.path)
        parameters.sort(key=lambda p: (p.location != "path", path_order.index(p.name) if p.name in path_order else 0))
        operation_schemas = self.schemas.operations.get(operation.key)
        defined = operation_schemas.arguments.parameters if operation_schemas else {}
        for parameter in parameters:
            name = arguments.unique(snake(parameter.name), parameter.location)
            found = defined.get((parameter.location, parameter.name))
            value = found.type if found is not None else ANY
            argument = self._typed_argument(name, value, parameter.required, parameter.name, parameter.description)
            if parameter.location == "path":
                arguments.positional.append(argument)
            else:
                arguments.add(argument, parameter.required)
            # The runtime writes the value by the parameter's style (the route's ``Param`` records).
            arguments.groups[parameter.location].append(f"{literal_source(parameter.name)}: {name}")

    def _body_arguments(self, operation: Operation, arguments: _Arguments) -> list[str]:
        """Add the body's arguments; return the body part of the runtime call (``json=``, ``form=``, ``files=``, ``content=``)."""
        operation_schemas = self.schemas.operations.get(operation.key)
        body = operation_schemas.arguments.body if operation_schemas else None
        if operation.body is None or body is None:
            return []
        media = body.media_type
        if body.kind == "fields":
            body_value = self._property_arguments(body, arguments)
        elif body.kind == "value":
            name = arguments.unique("body", "body")
            arguments.add(self._typed_argument(name, body.type, body.required, "", body.description), body.required)
            body_value = name
        else:
            body_value = self._raw_body_argument(body, arguments)
        if is_json_media(media):
            return [f"json={body_value}"]
        if form_media(media):
            call = [f"form={body_value}"] if arguments.groups["body"] or body_value != "{}" else []
            if is_multipart(media):
                # Given even when empty: it tells the runtime the fields travel as multipart parts.
                call.append("files={" + ", ".join(arguments.groups["files"]) + "}")
            return call
        return [f"content={body_value}"]

    def _property_arguments(self, body: BodyDef, arguments: _Arguments) -> str:
        """One keyword argument per body property, then one per property a member of the body's unions
        carries (optional unless every member of its union requires it, typed as the union of the members'
        types); file fields of a multipart form go to ``files``."""
        multipart = is_multipart(body.media_type)
        names: dict[str, str] = {}
        for field_def in body.fields:
            name = arguments.unique(snake(field_def.wire_name), "body")
            description = _carried_by(field_def)
            argument = self._typed_argument(name, field_def.type, field_def.required, field_def.wire_name, description)
            arguments.add(argument, field_def.required)
            arguments.body_properties[field_def.wire_name] = name
            target = "files" if multipart and _is_file(argument.type) else "body"
            arguments.groups[target].append(f"{literal_source(field_def.wire_name)}: {name}")
            if not field_def.required:
                names[field_def.wire_name] = name
        taken = {field_def.wire_name for field_def in body.fields}
        for group in body.unions:
            sets = required_sets(group, names, taken)
            if sets:
                arguments.required_sets.append(sets)
        return "{" + ", ".join(arguments.groups["body"]) + "}"

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
        value = self.schemas.values.get(name)
        if value is None:
            return ()
        if value.enum:
            return (enum_type(value.enum),)
        if value.constant:
            return ()
        if not value.structured and not value.constraints.kinds & {"object", "array"}:
            return ()
        return (DictModel(name, module),)

    def _raw_body_argument(self, body: BodyDef, arguments: _Arguments) -> str:
        """Any media type other than JSON and forms travels as it is: text (``text/*`` with a string
        schema) as ``str``, anything else as a file (``FileContent``: bytes, a file, a path, a tuple)."""
        name = arguments.unique("body", "body")
        value = body.type
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


def _carried_by(argument: ArgumentDef) -> str:
    """An argument's description; for a property union members carry, which of them carry and need it."""
    if not argument.carriers:
        return argument.description
    words = ", ".join(f"{name} (required)" if required else name for name, required in argument.carriers)
    note = f"One of: {words}." if not argument.required or len(argument.carriers) < argument.members else ""
    return " ".join(part for part in (argument.description, note) if part)


def _is_file(value: Type) -> bool:
    return any(isinstance(node, Runtime) and node.name == "FileContent" for node in walk(value))


def _return_type(kind: str, value: Value | None) -> Type:
    if kind == "text":
        return Primitive("str")
    if kind == "bytes":
        return _BYTES
    if kind == "none" or value is None:
        return NONE
    return value.type
