"""Stage 7, view: the typed model of what the templates emit.

Every decision about the generated client code is made here, in Python:
names, annotations, defaults, which arguments go where, which imports each
module needs, docstring text. The templates only lay these values out.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from generator import __version__
from generator.config import ClientConfig
from generator.ir import Api, Operation, Parameter, SecurityScheme
from generator.naming.case import pascal, snake
from generator.naming.model_names import is_object_with_properties
from generator.naming.operations import OperationName
from generator.pointer import ref_name
from generator.schemas import SchemaSet

Variant = Literal["pydantic", "typed"]
_RESERVED_ARGUMENTS = frozenset({"self", "extra_headers", "extra_query", "extra_body", "timeout", "idempotency_key"})
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_JSON_MEDIA = re.compile(r"^application/([a-z0-9.+-]+\+)?json$")
_FORM_MEDIA = ("multipart/form-data", "application/x-www-form-urlencoded")


def literal(value: object) -> str:
    """A Python literal for a JSON scalar, safe for any content."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False) if "\\" not in value else repr(value)
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    return repr(str(value))


def _wrap(paragraph: str) -> str:
    """Re-flow prose to 72 columns; leave lists, tables and code as written."""
    lines = paragraph.splitlines()
    if any(line.startswith((" ", "\t", "-", "*", "|", "#", ">")) or line[:2].rstrip(".").isdigit() for line in lines):
        return paragraph
    return textwrap.fill(" ".join(lines), width=72, break_long_words=False, break_on_hyphens=False)


def _argument_doc(line: str) -> str:
    """One ``name: description`` entry of an Args section, wrapped and indented."""
    return textwrap.fill(" ".join(line.split()), width=72, initial_indent="    ", subsequent_indent="        ", break_long_words=False)


def docstring_text(*parts: str) -> str:
    """Spec text made safe inside a triple-quoted docstring."""
    paragraphs = [p.strip() for part in parts if part for p in re.split(r"\n\s*\n", part.replace("\r\n", "\n")) if p.strip()]
    text = "\n\n".join(_wrap(paragraph) for paragraph in paragraphs)
    text = _CONTROL.sub("", text).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if text.endswith('"'):
        text = text[:-1] + '\\"'
    return "\n".join(line.rstrip() for line in text.splitlines())


@dataclass
class Imports:
    """Names a module needs; collected while annotating, rendered sorted."""

    models: set[str] = field(default_factory=set)
    typing: set[str] = field(default_factory=set)
    runtime: set[str] = field(default_factory=set)


class Annotator:
    """Turns a normalised schema into a Python annotation for one variant."""

    def __init__(self, schemas: SchemaSet, variant: Variant, imports: Imports) -> None:
        self.schemas = schemas
        self.variant = variant
        self.imports = imports

    def __call__(self, schema: Any) -> str:
        if not isinstance(schema, dict) or not schema:
            self.imports.typing.add("Any")
            return "Any"
        if "$ref" in schema:
            name = ref_name(schema["$ref"])
            self.imports.models.add(name)
            return name
        if "const" in schema:
            self.imports.typing.add("Literal")
            return f"Literal[{literal(schema['const'])}]"
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            self.imports.typing.add("Literal")
            values = [value for value in schema["enum"] if value is not None]
            text = f"Literal[{', '.join(literal(value) for value in values)}]"
            return text + (" | None" if None in schema["enum"] else "")
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list):
                return self._union([self(item) for item in schema[key]])
        if isinstance(schema.get("allOf"), list) and len(schema["allOf"]) == 1:
            return self(schema["allOf"][0])
        kinds = schema.get("type")
        if isinstance(kinds, list):
            return self._union([self({**schema, "type": kind}) for kind in kinds])
        return self._single(kinds, schema)

    def _single(self, kind: Any, schema: Mapping[str, Any]) -> str:
        if kind == "null":
            return "None"
        if kind == "string":
            if schema.get("format") == "binary" or schema.get("contentMediaType") == "application/octet-stream":
                self.imports.runtime.add("FileContent")
                return "FileContent"
            return "str"
        if kind == "integer":
            return "int"
        if kind == "number":
            return "float"
        if kind == "boolean":
            return "bool"
        if kind == "array":
            return f"list[{self(schema.get('items', {}))}]"
        if kind == "object" or "properties" in schema or "additionalProperties" in schema:
            extra = schema.get("additionalProperties")
            value = self(extra) if isinstance(extra, dict) and extra else self({})
            return f"dict[str, {value}]"
        self.imports.typing.add("Any")
        return "Any"

    @staticmethod
    def _union(parts: list[str]) -> str:
        unique: list[str] = []
        for part in parts:
            for piece in part.split(" | "):
                if piece not in unique:
                    unique.append(piece)
        if "Any" in unique:
            return "Any"
        if "None" in unique:  # None last reads best
            unique.remove("None")
            unique.append("None")
        return " | ".join(unique)


@dataclass(frozen=True)
class ArgumentView:
    name: str
    annotation: str
    default: str | None  # None: required
    wire_name: str
    description: str

    @property
    def declaration(self) -> str:
        text = f"{self.name}: {self.annotation}"
        return text if self.default is None else f"{text} = {self.default}"


@dataclass(frozen=True)
class MethodView:
    name: str
    docstring: str
    positional: tuple[ArgumentView, ...]
    keyword: tuple[ArgumentView, ...]
    return_annotation: str  # sync variant
    async_return_annotation: str
    call: str  # the runtime method: ``request`` or ``stream_events``
    route: str  # module constant holding the Route
    parser: str  # module constant holding the parser
    call_arguments: tuple[str, ...]  # ``path_params={...}`` and friends
    takes_idempotency_key: bool
    streams: bool
    event_annotation: str  # what the parser returns: the body, or one event of a stream


@dataclass(frozen=True)
class RouteView:
    constant: str
    method: str
    path: str


@dataclass(frozen=True)
class ParserView:
    constant: str
    expression: str  # pydantic: model_parser(X); typed: passthrough
    annotation: str  # typed: Callable[[object], X]


@dataclass(frozen=True)
class ResourceView:
    attribute: str  # ``invocations``
    class_name: str  # ``Invocations``
    module: str  # ``invocations``
    docstring: str
    methods: tuple[MethodView, ...]
    routes: tuple[RouteView, ...]
    parsers: tuple[ParserView, ...]
    model_imports: tuple[str, ...]
    typing_imports: tuple[str, ...]
    runtime_imports: tuple[str, ...]
    imports_builtins: bool = False  # a method named ``list`` hides the builtin in annotations below it


@dataclass(frozen=True)
class EnvironmentView:
    name: str
    url: str


@dataclass(frozen=True)
class PackageView:
    package: str
    title: str
    docstring: str
    api_version: str
    generator_version: str
    client_class: str
    async_client_class: str
    typed_client_class: str
    base_error: str
    env_prefix: str
    http_module: str
    environments: tuple[EnvironmentView, ...]
    auth_kind: str | None
    auth_name: str

    @property
    def auth_expression(self) -> str:
        """The ``auth=`` value of the package's ClientConfig."""
        if self.auth_kind is None:
            return "None"
        return f"AuthScheme({json.dumps(self.auth_kind)}, {json.dumps(self.auth_name)})"

    @property
    def config_imports(self) -> str:
        return "AuthScheme, ClientConfig" if self.auth_kind is not None else "ClientConfig"
    api_key_required: bool
    user_agent: str
    resources: tuple[ResourceView, ...]  # pydantic variant
    typed_resources: tuple[ResourceView, ...]  # typed-dict variant
    has_models: bool


def auth_scheme(api: Api) -> SecurityScheme | None:
    """The scheme the client's ``api_key`` feeds: the first one used, else the first declared."""
    usable = [scheme for scheme in api.security_schemes if scheme.kind != "unsupported"]
    used = {key for operation in api.operations for key in operation.security}
    for scheme in usable:
        if scheme.key in used:
            return scheme
    return usable[0] if usable else None


def _covered_by_auth(parameter: Parameter, scheme: SecurityScheme | None) -> bool:
    """A header parameter that duplicates the security scheme becomes client-level auth."""
    if scheme is None:
        return False
    if scheme.kind in ("bearer", "basic"):
        return parameter.location == "header" and parameter.name.lower() == "authorization"
    return parameter.location == scheme.kind and parameter.name.lower() == scheme.name.lower()


def environments(api: Api, config: ClientConfig) -> tuple[EnvironmentView, ...]:
    if config.environments:
        return tuple(EnvironmentView(name, url.rstrip("/")) for name, url in config.environments.items())
    result: list[EnvironmentView] = []
    for index, server in enumerate(api.servers):
        if server.description and len(server.description) <= 30:
            name = snake(server.description)
        elif "localhost" in server.url or "127.0.0.1" in server.url:
            name = "local"
        else:
            name = "production" if index == 0 else f"server_{index + 1}"
        if any(env.name == name for env in result):
            name = f"{name}_{index + 1}"
        result.append(EnvironmentView(name, server.url))
    return tuple(result)


class _MethodBuilder:
    def __init__(self, api: Api, schemas: SchemaSet, variant: Variant, imports: Imports, scheme: SecurityScheme | None) -> None:
        self.api = api
        self.schemas = schemas
        self.variant = variant
        self.imports = imports
        self.annotate = Annotator(schemas, variant, imports)
        self.scheme = scheme

    def build(self, operation: Operation, naming: OperationName, route: str, parser: str) -> MethodView:
        used: set[str] = set(_RESERVED_ARGUMENTS)
        positional: list[ArgumentView] = []
        required: list[ArgumentView] = []
        optional: list[ArgumentView] = []
        groups: dict[str, list[str]] = {"path": [], "query": [], "header": [], "cookie": [], "body": [], "files": []}
        parameters = [p for p in operation.parameters if not _covered_by_auth(p, self.scheme)]
        path_order = re.findall(r"{([^}]+)}", operation.path)
        parameters.sort(key=lambda p: (p.location != "path", path_order.index(p.name) if p.name in path_order else 0))
        for parameter in parameters:
            name = self._unique(snake(parameter.name), parameter.location, used)
            operation_schemas = self.schemas.operations.get(operation.key)
            schema = operation_schemas.parameters.get((parameter.location, parameter.name), {}) if operation_schemas else {}
            argument = self._argument(name, schema, parameter.required, parameter.name, parameter.description)
            (positional if parameter.location == "path" else required if parameter.required else optional).append(argument)
            groups[parameter.location].append(f"{literal(parameter.name)}: {_serialised(parameter, name, self.schemas.resolve(schema))}")
        body_call: list[str] = []
        body_schema = self.schemas.operations[operation.key].body if operation.key in self.schemas.operations else None
        if operation.body is not None and body_schema is not None:
            media = operation.body.media_type
            if media in _FORM_MEDIA and "$ref" in body_schema and is_object_with_properties(self.schemas.resolve(body_schema)):
                # A form is a set of fields: a named form model becomes keyword arguments too.
                body_schema = self.schemas.resolve(body_schema)
            if "properties" in body_schema and isinstance(body_schema["properties"], dict):
                required_props = set(body_schema.get("required") or [])
                for prop, sub in body_schema["properties"].items():
                    name = self._unique(snake(prop), "body", used)
                    description = sub.get("description", "") if isinstance(sub, dict) else ""
                    argument = self._argument(name, sub, prop in required_props, prop, description or "")
                    (required if prop in required_props else optional).append(argument)
                    target = "files" if media == "multipart/form-data" and "FileContent" in argument.annotation else "body"
                    groups[target].append(f"{literal(prop)}: {name}")
                body_value = "{" + ", ".join(groups["body"]) + "}"
            elif _JSON_MEDIA.match(media) or media in _FORM_MEDIA:
                name = self._unique("body", "body", used)
                argument = self._argument(name, body_schema, operation.body.required, "", operation.body.description)
                (required if operation.body.required else optional).append(argument)
                body_value = name
            else:
                # Any other media type travels as raw bytes, whatever its schema says.
                name = self._unique("body", "body", used)
                if operation.body.required:
                    required.append(ArgumentView(name, "bytes", None, "", operation.body.description))
                else:
                    optional.append(ArgumentView(name, "bytes | None", "None", "", operation.body.description))
                body_value = name
            if _JSON_MEDIA.match(media):
                body_call.append(f"json={body_value}")
            elif media in _FORM_MEDIA:
                if groups["body"] or body_value != "{}":
                    body_call.append(f"form={body_value}")
                if groups["files"]:
                    body_call.append("files={" + ", ".join(groups["files"]) + "}")
            else:
                body_call.append(f"content={body_value}")
        call: list[str] = []
        for location, keyword in (("path", "path_params"), ("query", "query"), ("header", "headers"), ("cookie", "cookies")):
            if groups[location]:
                call.append(f"{keyword}={{{', '.join(groups[location])}}}")
        call.extend(body_call)
        success = operation.success
        streams = success is not None and success.media_type == "text/event-stream"
        kind = _response_kind(success.media_type if success else None)
        if kind != "json" and not streams:
            call.append(f'response_kind="{kind}"')
        response_schema = self.schemas.operations[operation.key].response if operation.key in self.schemas.operations else None
        returns = self._return_annotation(kind, response_schema)
        sync_returns, async_returns = returns, returns
        if streams:
            self.imports.runtime.update({"EventStream", "AsyncEventStream"} if self.variant == "pydantic" else {"EventStream"})
            sync_returns, async_returns = f"EventStream[{returns}]", f"AsyncEventStream[{returns}]"
        takes_key = not operation.idempotent
        args_doc = [
            f"{argument.name}: {argument.description}"
            for argument in (*positional, *required, *optional)
            if argument.description
        ]
        if takes_key:
            args_doc.append(
                "idempotency_key: Sent as Idempotency-Key, the same on every attempt; "
                "with it, this non-idempotent call is retried on 409, 5xx and dropped connections."
            )
        doc_parts = [operation.summary or f"{operation.method} {operation.path}", operation.description if operation.description != operation.summary else ""]
        if operation.deprecated:
            doc_parts.append("Deprecated" + (f": sunset on {operation.sunset}." if operation.sunset else "."))
        if args_doc:
            doc_parts.append("Args:\n" + "\n".join(_argument_doc(line) for line in args_doc))
        if self.variant == "typed":
            doc_parts.append("Returns the response as plain data typed as a TypedDict; it is not validated, by design.")
        return MethodView(
            name=naming.method,
            docstring=docstring_text(*doc_parts),
            positional=tuple(positional),
            keyword=tuple(required + optional),
            return_annotation=sync_returns,
            async_return_annotation=async_returns,
            call="stream_events" if streams else "request",
            event_annotation=returns,
            route=route,
            parser=parser,
            call_arguments=tuple(call),
            takes_idempotency_key=takes_key,
            streams=streams,
        )

    def _argument(self, name: str, schema: Any, required: bool, wire: str, description: str) -> ArgumentView:
        annotation = self.annotate(schema)
        if required:
            return ArgumentView(name, annotation, None, wire, description)
        self.imports.runtime.update({"NotGiven", "NOT_GIVEN"})
        return ArgumentView(name, f"{annotation} | NotGiven", "NOT_GIVEN", wire, description)

    def _return_annotation(self, kind: str, schema: Any) -> str:
        if kind == "text":
            return "str"
        if kind == "bytes":
            return "bytes"
        if kind == "none" or schema is None:
            return "None"
        return self.annotate(schema)

    @staticmethod
    def _unique(name: str, location: str, used: set[str]) -> str:
        candidate = name
        if candidate in used:
            candidate = f"{location}_{name}"
        number = 2
        while candidate in used:
            candidate = f"{location}_{name}_{number}"
            number += 1
        used.add(candidate)
        return candidate


_DELIMITERS = {"form": ",", "spaceDelimited": " ", "pipeDelimited": "|"}


def _serialised(parameter: Parameter, name: str, schema: Any) -> str:
    """The value a query array goes out as: repeated keys (exploded, the default) or one delimited string."""
    is_array = isinstance(schema, dict) and (schema.get("type") == "array" or (isinstance(schema.get("type"), list) and "array" in schema["type"]))
    style = parameter.style or "form"
    if parameter.location != "query" or not is_array or style not in _DELIMITERS:
        return name
    explode = parameter.explode if parameter.explode is not None else style == "form"
    if explode:
        return name
    joined = f"{literal(_DELIMITERS[style])}.join(str(item) for item in {name})"
    if parameter.required:
        return joined
    return f"{name} if isinstance({name}, NotGiven) or {name} is None else {joined}"


def _response_kind(media_type: str | None) -> str:
    if media_type is None:
        return "none"
    if _JSON_MEDIA.match(media_type) or media_type == "text/event-stream":
        return "json"
    if media_type.startswith("text/"):
        return "text"
    return "bytes"


_RUNTIME_BASICS: Mapping[Variant, frozenset[str]] = {
    "pydantic": frozenset(
        {"NOT_GIVEN", "AsyncAPIClient", "NotGiven", "Route", "SyncAPIClient", "Timeout", "async_to_raw_response_wrapper", "to_raw_response_wrapper"}
    ),
    "typed": frozenset({"NOT_GIVEN", "NotGiven", "Route", "SyncAPIClient", "Timeout", "to_raw_response_wrapper"}),
}


def _resources(
    api: Api,
    schemas: SchemaSet,
    operation_names: Mapping[str, OperationName],
    model_names: Mapping[str, str],
    variant: Variant,
    client_names: frozenset[str],
) -> tuple[ResourceView, ...]:
    scheme = auth_scheme(api)
    grouped: dict[str, list[Operation]] = {}
    for operation in api.operations:
        grouped.setdefault(operation_names[operation.key].resource, []).append(operation)
    resources: list[ResourceView] = []
    for attribute in sorted(grouped):
        imports = Imports(runtime=set(_RUNTIME_BASICS[variant]))
        builder = _MethodBuilder(api, schemas, variant, imports, scheme)
        methods: list[MethodView] = []
        routes: list[RouteView] = []
        parsers: list[ParserView] = []
        operations = sorted(grouped[attribute], key=lambda op: operation_names[op.key].method)
        for operation in operations:
            naming = operation_names[operation.key]
            constant = naming.method.upper()
            route = RouteView(f"_{constant}_ROUTE", operation.method, operation.path)
            method = builder.build(operation, naming, route.constant, f"_{constant}_RESPONSE")
            parsers.append(_parser(method, variant, imports))
            routes.append(route)
            methods.append(method)
        shadowed = sorted({method.name for method in methods} & _BUILTIN_TYPES)
        if shadowed:
            methods, parsers = _qualify_builtins(methods, parsers, shadowed)
        tag_docs = [op.tags[0] for op in operations if op.tags]
        resources.append(
            ResourceView(
                attribute=attribute,
                class_name=resource_class_name(attribute, frozenset(schemas.models) | client_names),
                module=attribute,
                docstring=docstring_text(f"Operations on {attribute.replace('_', ' ')}" + (f" (tag {tag_docs[0]!r})." if tag_docs else ".")),
                methods=tuple(methods),
                routes=tuple(routes),
                parsers=tuple(parsers),
                model_imports=tuple(sorted(imports.models)),
                typing_imports=tuple(sorted(imports.typing)),
                runtime_imports=tuple(sorted(imports.runtime)),
                imports_builtins=bool(shadowed),
            )
        )
    return tuple(resources)


_BUILTIN_TYPES = frozenset({"bool", "bytes", "dict", "float", "int", "list", "object", "set", "str", "tuple", "type"})


def _qualify_builtins(methods: list[MethodView], parsers: list[ParserView], shadowed: list[str]) -> tuple[list[MethodView], list[ParserView]]:
    """Spell ``list[...]`` as ``builtins.list[...]`` in a class that has a method named ``list``."""
    pattern = re.compile(r"(?<![\w.\"'])(" + "|".join(shadowed) + r")(?![\w\"'])")

    def fix(text: str) -> str:
        return pattern.sub(r"builtins.\1", text)

    def fix_arguments(arguments: tuple[ArgumentView, ...]) -> tuple[ArgumentView, ...]:
        return tuple(replace(argument, annotation=fix(argument.annotation)) for argument in arguments)

    fixed = [
        replace(
            method,
            positional=fix_arguments(method.positional),
            keyword=fix_arguments(method.keyword),
            return_annotation=fix(method.return_annotation),
            async_return_annotation=fix(method.async_return_annotation),
        )
        for method in methods
    ]
    return fixed, [replace(parser, annotation=fix(parser.annotation)) for parser in parsers]


def resource_class_name(attribute: str, taken: frozenset[str]) -> str:
    """``pets`` → ``Pets``, or ``PetsResource`` when a model or client class (imported beside it) has that name."""
    name = pascal(attribute)
    names = {name, f"Async{name}", f"{name}WithRawResponse", f"Async{name}WithRawResponse"}
    clashes = names & taken
    return f"{name}Resource" if clashes else name


def _parser(method: MethodView, variant: Variant, imports: Imports) -> ParserView:
    annotation = method.event_annotation
    if variant == "pydantic" and annotation not in ("None", "str", "bytes", "Any"):
        imports.runtime.add("model_parser")
        return ParserView(method.parser, f"model_parser({annotation})", f"Callable[[object], {annotation}]")
    imports.runtime.add("passthrough")
    return ParserView(method.parser, "passthrough", f"Callable[[object], {annotation}]")


def build_view(
    api: Api,
    schemas: SchemaSet,
    operation_names: Mapping[str, OperationName],
    model_names: Mapping[str, str],
    config: ClientConfig,
) -> PackageView:
    scheme = auth_scheme(api)
    title = docstring_text(" ".join(api.title.split()))  # only ever shown inside docstrings
    client_names = frozenset({config.client_class, config.async_client_class, config.typed_client_class})
    return PackageView(
        package=config.package,
        title=title,
        docstring=docstring_text(f"Python client for {api.title} {api.version}.".replace(" .", "."), api.description),
        api_version=api.version,
        generator_version=__version__,
        client_class=config.client_class,
        async_client_class=config.async_client_class,
        typed_client_class=config.typed_client_class,
        base_error=f"{config.client_class}Error",
        env_prefix=config.env_prefix,
        http_module=config.http_module,
        environments=environments(api, config),
        auth_kind=scheme.kind if scheme else None,
        auth_name=scheme.name if scheme else "",
        api_key_required=scheme is not None and (any(op.security for op in api.operations) or scheme is not None),
        user_agent=f"{config.package}-python/{api.version} clientgen/{__version__}",
        resources=_resources(api, schemas, operation_names, model_names, "pydantic", client_names),
        typed_resources=_resources(api, schemas, operation_names, model_names, "typed", client_names),
        has_models=bool(schemas.models),
    )
