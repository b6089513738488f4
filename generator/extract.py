"""Stage 3, extract: build the intermediate representation from a loaded document.

Resolves references to parameters, request bodies and responses; keeps schema
references as they are (naming and model generation work on them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from generator import extensions
from generator.contract import is_json_media, media_essence, stream_format
from generator.errors import ClientgenError
from generator.ir import (
    Api,
    AuthKind,
    Body,
    Encoding,
    Operation,
    Parameter,
    ParameterLocation,
    Response,
    SecurityScheme,
    Server,
)
from generator.load import Document
from generator.naming.identifiers import spec_text
from generator.pointer import SCHEMA_PREFIX, is_extension, pointer_escape, resolve_pointer
from generator.references import SchemaRefs

_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")  # an HTTP method is a token (RFC 9110 §9.1)
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")

# Preference when a request body offers several media types.
_BODY_PREFERENCE = ("application/json", "multipart/form-data", "application/x-www-form-urlencoded")


class _Cycle(Exception):
    def __init__(self, message: str, pointer: str) -> None:
        super().__init__(message)
        self.message = message
        self.pointer = pointer


def _deref(data: Mapping[str, Any], node: Any, pointer: str) -> tuple[Any, str]:
    """Follow non-schema references (parameters, bodies, responses, path items) to their target; refuse a loop."""
    chain = ["#" + pointer]
    start = pointer
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and not node["$ref"].startswith(SCHEMA_PREFIX):
        ref = node["$ref"]
        if ref in chain:
            cycle = chain[chain.index(ref) :] + [ref]
            raise _Cycle("reference cycle: " + " → ".join(cycle) + " never reaches an object", start + "/$ref")
        chain.append(ref)
        pointer = ref.lstrip("#")
        node = resolve_pointer(data, ref)
    return node, pointer


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def extract(document: Document) -> Api:
    """The API the document describes; a reference loop is a located error."""
    try:
        return _extract(document)
    except _Cycle as cycle:
        raise ClientgenError(cycle.message, document.locate(cycle.pointer)) from None


def _extract(document: Document) -> Api:
    data = document.data
    info = _mapping(data.get("info"))
    components = _mapping(data.get("components"))
    schemas = _mapping(components.get("schemas"))
    schemes = _security_schemes(components.get("securitySchemes") or {})
    global_security = _security_requirement(data.get("security"))
    operations: list[Operation] = []
    paths = _mapping(data.get("paths"))
    for path, item in paths.items():
        if is_extension(path, in_name_map=False):
            continue  # opaque
        item_pointer = f"/paths/{pointer_escape(path)}"
        item, item_pointer = _deref(data, item, item_pointer)
        if not isinstance(item, dict):
            continue
        shared = item.get("parameters") or []
        for method in HTTP_METHODS:
            raw = item.get(method)
            if not isinstance(raw, dict):
                continue
            operations.append(_operation(data, path, method, raw, shared, f"{item_pointer}/{method}", global_security))
        # OpenAPI 3.2: methods beyond the fixed fields (LINK, PURGE...), keyed by their exact name.
        additional = item.get("additionalOperations")
        for method, raw in additional.items() if isinstance(additional, dict) else ():
            if isinstance(raw, dict) and _TOKEN.match(method) and method.lower() not in HTTP_METHODS:
                pointer = f"{item_pointer}/additionalOperations/{pointer_escape(method)}"
                operations.append(_operation(data, path, method, raw, shared, pointer, global_security))
    servers = tuple(
        Server(str(server.get("url", "")).rstrip("/"), _text(server.get("description")))
        for server in data.get("servers") or []
        if isinstance(server, dict) and server.get("url")
    )
    refs = SchemaRefs(data, dict(schemas), document.references())
    for key in list(schemas):
        refs.schemas[key] = refs.rewrite(schemas[key], SCHEMA_PREFIX + pointer_escape(key))
    operations = [_uniform(operation, refs) for operation in operations]
    return Api(
        title=_text(info.get("title")) or "API",
        version=str(info.get("version", "")),
        description=_text(info.get("description")),
        openapi_version=document.openapi_version,
        servers=servers,
        security_schemes=schemes,
        operations=tuple(operations),
        schemas=refs.schemas,
        requirement=_requirement(data.get("security")),
    )


def _uniform(operation: Operation, refs: SchemaRefs) -> Operation:
    """The operation with every schema reference in its component form (see ``generator.references``)."""
    parameters = tuple(
        replace(parameter, schema=refs.rewrite(parameter.schema, f"#{parameter.pointer}/schema"))
        for parameter in operation.parameters
    )
    body = operation.body
    if body is not None:
        body = replace(body, schema=refs.rewrite(body.schema, f"#{body.pointer}/schema"))
    responses = tuple(
        replace(
            response,
            schema=refs.rewrite(
                response.schema,
                f"#{response.pointer}/content/{pointer_escape(response.media_type)}/schema"
                if response.media_type
                else None,
            ),
        )
        for response in operation.responses
    )
    return replace(operation, parameters=parameters, body=body, responses=responses)


def _security_schemes(raw: Mapping[str, Any]) -> tuple[SecurityScheme, ...]:
    result = []
    for key, scheme in raw.items():
        if not isinstance(scheme, dict):
            continue
        kind: AuthKind = "unsupported"
        name = ""
        scheme_type = scheme.get("type")
        if scheme_type == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
            kind, name = "bearer", "Authorization"
        elif scheme_type == "http" and str(scheme.get("scheme", "")).lower() == "basic":
            kind, name = "basic", "Authorization"
        elif scheme_type == "apiKey" and scheme.get("in") in ("header", "query", "cookie"):
            kind, name = scheme["in"], str(scheme.get("name", ""))
        elif scheme_type in ("oauth2", "openIdConnect"):
            kind, name = "bearer", "Authorization"
        result.append(SecurityScheme(key, kind, name, _text(scheme.get("description"))))
    return tuple(result)


def _requirement(raw: Any) -> tuple[tuple[str, ...], ...] | None:
    """``[{a: [], b: []}, {c: []}]`` → ``(("a", "b"), ("c",))``; None when not a list."""
    if not isinstance(raw, list):
        return None
    return tuple(tuple(str(key) for key in item) for item in raw if isinstance(item, dict))


def _security_requirement(raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list):
        return ()
    keys: list[str] = []
    for requirement in raw:
        if isinstance(requirement, dict):
            keys.extend(key for key in requirement if key not in keys)
    return tuple(keys)


def _operation(
    data: Mapping[str, Any],
    path: str,
    method: str,
    raw: Mapping[str, Any],
    shared: list[Any],
    pointer: str,
    global_security: tuple[str, ...],
) -> Operation:
    parameters: dict[tuple[str, str], Parameter] = {}
    item_pointer = pointer.rsplit("/", 2 if "/additionalOperations/" in pointer else 1)[0]
    for source, base in (
        (shared, item_pointer + "/parameters"),
        (raw.get("parameters") or [], pointer + "/parameters"),
    ):
        for index, node in enumerate(source):
            parameter = _parameter(data, node, f"{base}/{index}")
            if parameter is not None:
                # Operation-level parameters override path-level ones.
                parameters[(parameter.location, parameter.name)] = parameter
    security = _security_requirement(raw["security"]) if "security" in raw else global_security
    requirement = _requirement(raw["security"]) if "security" in raw else None
    return Operation(
        operation_id=spec_text(raw["operationId"])
        if isinstance(raw.get("operationId"), (str, int, float, bool))
        else None,
        method=method.upper(),
        path=path,
        summary=_text(raw.get("summary")),
        description=_text(raw.get("description")),
        tags=tuple(spec_text(tag) for tag in raw.get("tags") or [] if not isinstance(tag, (dict, list))),
        parameters=tuple(parameters.values()),
        body=_body(data, raw.get("requestBody"), pointer + "/requestBody"),
        responses=_responses(data, raw.get("responses") or {}, pointer + "/responses"),
        security=security,
        requirement=requirement,
        deprecated=bool(raw.get("deprecated", False)),
        sunset=extensions.read(raw, "x-sunset"),
        pointer=pointer,
        extensions=extensions.read_all(raw, "operation"),
    )


def _parameter(data: Mapping[str, Any], node: Any, pointer: str) -> Parameter | None:
    node, pointer = _deref(data, node, pointer)
    if not isinstance(node, dict) or node.get("in") not in ("path", "query", "header", "cookie"):
        return None
    location: ParameterLocation = node["in"]
    schema = node.get("schema")
    media_type = None
    if schema is None and isinstance(node.get("content"), dict) and node["content"]:
        media_type, media = next(iter(node["content"].items()))
        schema = media.get("schema") if isinstance(media, dict) else None
    return Parameter(
        name=spec_text(node.get("name", "")),
        location=location,
        required=bool(node.get("required", False)) or location == "path",
        schema=schema if schema is not None else {},
        description=_text(node.get("description")),
        deprecated=bool(node.get("deprecated", False)),
        style=node.get("style") if isinstance(node.get("style"), str) else None,
        explode=node.get("explode") if isinstance(node.get("explode"), bool) else None,
        pointer=pointer,
        allow_reserved=node.get("allowReserved") is True,
        media_type=str(media_type) if media_type is not None else None,
    )


def _pick_media_type(content: Mapping[str, Any]) -> str | None:
    """The media type a client uses: JSON, then forms, then any ``+json``, then the first listed (parameters and case aside)."""
    if not content:
        return None
    for preferred in _BODY_PREFERENCE:
        for media_type in content:
            if media_essence(media_type) == preferred:
                return media_type
    for media_type in content:
        if is_json_media(media_type):
            return media_type
    return next(iter(content))


def _stream_beside(content: Mapping[str, Any], chosen: str | None) -> str | None:
    """A streaming media type a response offers beside the JSON one the client reads by default."""
    if chosen is None or not is_json_media(chosen):
        return None
    return next((media_type for media_type in content if stream_format(media_type) is not None), None)


def _body(data: Mapping[str, Any], node: Any, pointer: str) -> Body | None:
    if node is None:
        return None
    node, pointer = _deref(data, node, pointer)
    content = node.get("content") if isinstance(node, dict) else None
    if not isinstance(content, dict):
        return None
    media_type = _pick_media_type(content)
    if media_type is None:
        return None
    media = content[media_type] if isinstance(content[media_type], dict) else {}
    return Body(
        media_type=media_type,
        schema=media.get("schema", {}),
        required=bool(node.get("required", False)),
        description=_text(node.get("description")),
        pointer=f"{pointer}/content/{pointer_escape(media_type)}",
        encoding=_encoding(media.get("encoding")),
    )


def _encoding(node: Any) -> dict[str, Encoding]:
    """A media type's ``encoding``: how each property of a form or multipart body is written."""
    found: dict[str, Encoding] = {}
    for name, item in _mapping(node).items():
        if not isinstance(item, dict):
            continue
        content_type = item.get("contentType")
        style = item.get("style")
        explode = item.get("explode")
        found[str(name)] = Encoding(
            content_type=content_type if isinstance(content_type, str) and content_type.strip() else None,
            style=style if isinstance(style, str) else None,
            explode=explode if isinstance(explode, bool) else None,
            allow_reserved=item.get("allowReserved") is True,
        )
    return found


def _responses(data: Mapping[str, Any], raw: Mapping[str, Any], pointer: str) -> tuple[Response, ...]:
    responses = []
    for status, node in raw.items():
        if is_extension(status, in_name_map=False):
            continue  # opaque
        node, where = _deref(data, node, f"{pointer}/{pointer_escape(str(status))}")
        if not isinstance(node, dict):
            continue
        content = _mapping(node.get("content"))
        media_type = _pick_media_type(content)
        media = content.get(media_type) if media_type else None
        schema = media.get("schema") if isinstance(media, dict) else None
        headers = tuple(str(name) for name in _mapping(node.get("headers")))
        stream_type = _stream_beside(content, media_type)
        stream = content.get(stream_type) if stream_type else None
        stream_schema = stream.get("schema") if isinstance(stream, dict) else None
        responses.append(
            Response(
                str(status),
                _text(node.get("description")),
                media_type,
                schema,
                where,
                headers,
                stream_type,
                stream_schema if stream_type else None,
            )
        )
    return tuple(responses)
