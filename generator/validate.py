"""Stage 2, validate: check the document against the OpenAPI schema.

Strict by default: any error stops generation. In lenient mode each error is a
warning with its location and generation goes on; an ignore list silences
errors by JSON pointer prefix or by a fragment of their message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from openapi_spec_validator import (
    OpenAPIV30SpecValidator,
    OpenAPIV31SpecValidator,
    OpenAPIV32SpecValidator,
)

from generator.errors import ClientgenError, Location
from generator.load import Document
from generator.pointer import pointer_escape, to_pointer
from generator.text import one_line

Policy = Literal["strict", "lenient"]


@dataclass(frozen=True)
class Problem:
    """One validation error, located."""

    message: str
    location: Location

    def __str__(self) -> str:
        return one_line(f"{self.location}: {self.message}")


def find_problems(document: Document) -> list[Problem]:
    """Every validation error of the document, in document order."""
    version = document.openapi_version
    if version.startswith("3.0"):
        validator_class: type = OpenAPIV30SpecValidator
    elif version.startswith("3.1"):
        validator_class = OpenAPIV31SpecValidator
    else:
        validator_class = OpenAPIV32SpecValidator
    problems: list[Problem] = [
        Problem(f"duplicate key {duplicate.key!r}: the later value replaces the earlier one", Location(document.path, duplicate.line, duplicate.pointer))
        for duplicate in document.duplicates
    ]
    problems += _non_string_names(document)
    try:
        errors = list(validator_class(dict(document.data)).iter_errors())
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as exc:
        # The validator reads some values as text and stops at a boolean or number (YAML's ``on``);
        # those were reported above. Anything else it trips on is reported where the document starts.
        if not problems:
            problems.append(Problem(f"the OpenAPI validator could not check this document ({' '.join(str(exc).split())[:200]})", document.locate("")))
        errors = []
    for error in errors:
        error = _deepest(error)
        path = list(getattr(error, "absolute_path", []) or [])
        path = anchor(document.data, path, getattr(error, "instance", None))
        pointer = to_pointer(path)
        message = " ".join(str(getattr(error, "message", error)).split())
        if len(message) > 300:
            message = message[:297] + "..."
        where = describe_place(path)
        problems.append(Problem(f"{where}: {message}" if where else message, document.locate(pointer)))
    problems.sort(key=lambda problem: (problem.location.line or 0, problem.location.pointer or ""))
    return problems


_ROOTS = ("openapi", "info", "servers", "paths", "webhooks", "components", "security", "tags", "externalDocs", "jsonSchemaDialect")
_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace", "query"})


def anchor(data: Any, path: list[Any], instance: Any) -> list[Any]:
    """The error's path from the document root.

    The validator follows ``$ref``s and then reports paths from the referenced
    object (``/properties/kind/oneOf``); the first place in the document with
    that path suffix and the failing value is where the problem is.
    """
    if not path or path[0] in _ROOTS:
        return path
    suffix = [str(part) for part in path]
    stack: list[tuple[Any, list[Any]]] = [(data, [])]
    while stack:
        node, here = stack.pop()
        if len(here) >= len(suffix) and [str(part) for part in here[-len(suffix) :]] == suffix and node == instance:
            return here
        if isinstance(node, dict):
            stack.extend((value, [*here, key]) for key, value in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend((value, [*here, index]) for index, value in reversed(list(enumerate(node))))
    return path


def describe_place(path: list[Any]) -> str:
    """The schema or operation a path is in: ``schema Pet``, ``operation GET /pets``."""
    parts = [str(part) for part in path]
    if len(parts) >= 3 and parts[:2] == ["components", "schemas"]:
        return f"schema {parts[2]}"
    if len(parts) >= 3 and parts[:2] == ["components", "parameters"]:
        return f"parameter {parts[2]}"
    if len(parts) >= 3 and parts[:2] == ["components", "requestBodies"]:
        return f"request body {parts[2]}"
    if len(parts) >= 3 and parts[:2] == ["components", "responses"]:
        return f"response {parts[2]}"
    if len(parts) >= 3 and parts[0] in ("paths", "webhooks"):
        if parts[2] in _METHODS:
            return f"operation {parts[2].upper()} {parts[1]}"
        return f"path {parts[1]}"
    return ""


def _non_string_names(document: Document) -> list[Problem]:
    """Names, ids and tags that YAML read as booleans, numbers or null (``name: on``, ``tags: [yes]``)."""
    problems: list[Problem] = []
    data = document.data

    def check(value: Any, pointer: str, what: str) -> None:
        if value is None or isinstance(value, (bool, int, float)):
            shown = "null" if value is None else f"the boolean {str(value).lower()}" if isinstance(value, bool) else f"the number {value}"
            problems.append(Problem(f"{what} is {shown}, not text; quote it in YAML", document.locate(pointer)))

    paths = data.get("paths")
    for path, item in (paths.items() if isinstance(paths, dict) else ()):
        if not isinstance(item, dict):
            continue
        base = "/paths/" + pointer_escape(path)
        for method, operation in item.items():
            if isinstance(operation, list) and method == "parameters":
                for index, parameter in enumerate(operation):
                    if isinstance(parameter, dict) and "name" in parameter:
                        check(parameter["name"], f"{base}/parameters/{index}/name", "parameter name")
            if not isinstance(operation, dict):
                continue
            if "operationId" in operation:
                check(operation["operationId"], f"{base}/{method}/operationId", "operationId")
            tags = operation.get("tags")
            for index, tag in enumerate(tags if isinstance(tags, list) else []):
                check(tag, f"{base}/{method}/tags/{index}", "tag")
            parameters = operation.get("parameters")
            for index, parameter in enumerate(parameters if isinstance(parameters, list) else []):
                if isinstance(parameter, dict) and "name" in parameter:
                    check(parameter["name"], f"{base}/{method}/parameters/{index}/name", "parameter name")
    components = data.get("components")
    parameters = components.get("parameters") if isinstance(components, dict) else None
    for key, parameter in (parameters.items() if isinstance(parameters, dict) else ()):
        if isinstance(parameter, dict) and "name" in parameter:
            check(parameter["name"], f"/components/parameters/{pointer_escape(key)}/name", "parameter name")
    tags = data.get("tags")
    for index, tag in enumerate(tags if isinstance(tags, list) else []):
        if isinstance(tag, dict) and "name" in tag:
            check(tag["name"], f"/tags/{index}/name", "tag name")
    return problems


def _deepest(error: Any) -> Any:
    """"Not valid under any of the given schemas" hides the real cause: find it."""
    while getattr(error, "context", None):
        candidates = sorted(
            error.context,
            key=lambda sub: (-len(sub.absolute_path), "$ref" in str(sub.message), str(sub.message)),
        )
        if len(candidates[0].absolute_path) <= len(error.absolute_path) and "$ref" in str(candidates[0].message):
            break
        error = candidates[0]
    return error


def is_ignored(problem: Problem, ignore: Sequence[str]) -> bool:
    pointer = problem.location.pointer or ""
    return any(pointer.startswith(rule) if rule.startswith("/") else rule in problem.message for rule in ignore)


def validate(document: Document, policy: Policy = "strict", ignore: Sequence[str] = ()) -> list[Problem]:
    """Raise on the first error in strict mode; return the warnings in lenient mode."""
    problems = [problem for problem in find_problems(document) if not is_ignored(problem, ignore)]
    if problems and policy == "strict":
        first = problems[0]
        more = f" (and {len(problems) - 1} more; --lenient generates anyway)" if len(problems) > 1 else " (--lenient generates anyway)"
        raise ClientgenError(f"invalid OpenAPI document: {first.message}{more}", first.location)
    return problems
