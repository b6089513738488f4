"""Operation names: the resource attribute and method name of every ``METHOD /path``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.ir import Api, Operation
from generator.naming.case import snake
from generator.naming.identifiers import RESOURCE_ATTRIBUTES, base_identifier

_VERSION_SEGMENT = re.compile(r"^(v\d+[a-z0-9]*|api|rest)$", re.IGNORECASE)
_TAG_PREFIXES = ("subpackage_",)


@dataclass(frozen=True)
class OperationName:
    resource: str  # attribute on the client: ``invocations``
    method: str  # method on the resource: ``wait``


def resource_of(operation: Operation) -> str:
    if operation.tags:
        tag = operation.tags[0]
        for prefix in _TAG_PREFIXES:
            tag = tag.replace(prefix, "")
        # Fern nests sub-packages: ``subpackage_dubbing.subpackage_dubbing/jobs`` → dubbing/jobs.
        return base_identifier(tag.rsplit(".", 1)[-1], "attribute")
    for segment in operation.path.strip("/").split("/"):
        if segment and not segment.startswith("{") and not _VERSION_SEGMENT.match(segment):
            return base_identifier(segment, "attribute")
    return "default"


def _method_from_path(operation: Operation, resource: str) -> str:
    segments = [segment for segment in operation.path.strip("/").split("/") if segment and not _VERSION_SEGMENT.match(segment)]
    parts = [operation.method.lower()]
    for segment in segments:
        if segment.startswith("{"):
            parts.append("by_" + snake(segment.strip("{}")))
        elif snake(segment) != resource or len(parts) > 1:
            parts.append(snake(segment))
    return snake("_".join(parts))


_CONVENTIONAL = {"POST": "create", "PUT": "update", "PATCH": "update", "DELETE": "delete"}


def _conventional_method(operation: Operation, resource: str) -> str:
    """What people call an endpoint without an operationId: ``list``, ``get``, ``create``, ``list_items``..."""
    segments = [segment for segment in operation.path.strip("/").split("/") if segment and not _VERSION_SEGMENT.match(segment)]
    statics = [snake(segment) for segment in segments if not segment.startswith("{")]
    if statics and statics[0] == resource:
        statics = statics[1:]
    ends_with_parameter = bool(segments) and segments[-1].startswith("{")
    if operation.method == "GET":
        success = operation.success
        schema = success.schema if success is not None else None
        returns_list = isinstance(schema, dict) and schema.get("type") == "array"
        verb = "list" if returns_list and not ends_with_parameter else "get"
    else:
        verb = _CONVENTIONAL.get(operation.method, operation.method.lower())
    return snake("_".join([verb, *statics]))


def name_operations(api: Api) -> dict[str, OperationName]:
    """``METHOD /path`` → resource attribute and method name, unique per resource.

    Without an operationId an endpoint gets its conventional name (``list``,
    ``get``, ``create``, ``update``, ``delete``, plus the path's own words),
    or, when two endpoints of a resource would share it, a name spelled from
    its method and path (``get_by_order_id``).
    """
    conventional: dict[str, str] = {}
    counts: dict[tuple[str, str], int] = {}
    for operation in api.operations:
        if not operation.operation_id:
            resource = resource_of(operation)
            conventional[operation.key] = _conventional_method(operation, resource)
            counts[(resource, conventional[operation.key])] = counts.get((resource, conventional[operation.key]), 0) + 1
    result: dict[str, OperationName] = {}
    used: dict[str, set[str]] = {}
    reserved = RESOURCE_ATTRIBUTES
    for operation in sorted(api.operations, key=lambda item: (item.path, item.method)):
        resource = resource_of(operation)
        if operation.operation_id:
            method = base_identifier(operation.operation_id, "method")
            prefix = resource.rstrip("_") + "_"
            if method.startswith(prefix) and len(method) > len(prefix) and not method[len(prefix)].isdigit():
                method = base_identifier(method[len(prefix) :], "method")
        elif counts[(resource, conventional[operation.key])] == 1:
            method = conventional[operation.key]
        else:
            method = _method_from_path(operation, resource)
        taken = used.setdefault(resource, set())
        candidate, number = method, 2
        while candidate in taken or candidate in reserved:
            candidate = f"{method}_{number}"
            number += 1
        taken.add(candidate)
        result[operation.key] = OperationName(resource, candidate)
    return result
