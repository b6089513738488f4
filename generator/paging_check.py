"""Whether paging settings fit their operation: the paginator sends only the operation's query parameters,
and finds a list, a cursor and a flag where the response schema has them, of the kinds it needs.

Only what a schema declares is judged: an object without declared properties (or admitting others) may
hold any field, and a schema that gives no type may be of any kind. ``Schemas`` is the view of the
document's schemas that detection (``pagination``) and these checks share, so that what detection finds
always passes them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from generator.pointer import SCHEMA_PREFIX
from generator.rules import did_you_mean

if TYPE_CHECKING:
    from generator.ir import Api, Operation
    from generator.pagination import Paging


class Schemas:
    """The document's schemas, as paging reads them: ``$ref`` followed, ``allOf`` merged."""

    def __init__(self, api: Api) -> None:
        self.api = api

    def resolve(self, schema: Any, depth: int = 0) -> dict[str, Any]:
        """A schema with its ``$ref`` followed and an ``allOf``'s properties merged."""
        if not isinstance(schema, dict) or depth > 20:
            return {}
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMA_PREFIX):
            return self.resolve(self.api.schemas.get(ref[len(SCHEMA_PREFIX) :]), depth + 1)
        if isinstance(schema.get("allOf"), list):
            merged: dict[str, Any] = {key: value for key, value in schema.items() if key != "allOf"}
            properties: dict[str, Any] = dict(merged.get("properties") or {})
            for part in schema["allOf"]:
                resolved = self.resolve(part, depth + 1)
                properties.update(resolved.get("properties") or {})
                merged.setdefault("type", resolved.get("type"))
            merged["properties"] = properties
            return merged
        return schema

    def properties(self, schema: Any) -> dict[str, Any]:
        properties = self.resolve(schema).get("properties")
        return properties if isinstance(properties, dict) else {}

    def is_array(self, schema: Any) -> bool:
        resolved = self.resolve(schema)
        kind = resolved.get("type")
        return kind == "array" or (isinstance(kind, list) and "array" in kind)


def body_schema(operation: Operation) -> Any:
    success = operation.success
    return success.schema if success is not None else None


_KINDS = ("array", "object", "string", "integer", "number", "boolean")


def _kinds(schemas: Schemas, schema: Any, depth: int = 0) -> set[str]:
    """The JSON types a schema admits, null aside; empty when it does not say (then nothing can be checked)."""
    resolved = schemas.resolve(schema)
    kind = resolved.get("type")
    found = (
        {kind}
        if isinstance(kind, str)
        else {item for item in kind if isinstance(item, str)}
        if isinstance(kind, list)
        else set()
    )
    if not found and isinstance(resolved.get("properties"), dict) and resolved["properties"]:
        found = {"object"}
    for key in ("anyOf", "oneOf"):
        variants = resolved.get(key)
        if isinstance(variants, list) and depth < 10:
            parts = [_kinds(schemas, variant, depth + 1) for variant in variants]
            if any(not part for part in parts):
                return set()  # one variant may be anything
            found |= set().union(*parts)
    if "integer" in found:
        found.add("number")
    return found & set(_KINDS)


_ARTICLES = {"array": "an array", "object": "an object", "integer": "an integer"}


def _shown_kinds(kinds: set[str]) -> str:
    """``a string or an integer``."""
    shown = sorted(kinds - {"number"} if "integer" in kinds else kinds)
    return " or ".join(_ARTICLES.get(kind, f"a {kind}") for kind in shown)


def _path_problem(
    schemas: Schemas, root: Any, path: tuple[str, ...], wanted: tuple[str, ...], what: str, whose: str
) -> str | None:
    """Why ``path`` does not lead to a value of a ``wanted`` kind inside ``root`` (``whose``: the response...), or None.

    Only what the schema declares is judged: an object without declared properties, or one that admits others,
    may hold the field, and a schema that gives no type may be of any kind.
    """
    schema: Any = root
    for depth, name in enumerate(path):
        resolved = schemas.resolve(schema)
        declared = resolved.get("properties")
        properties: dict[str, Any] = declared if isinstance(declared, dict) else {}
        kinds = _kinds(schemas, resolved)
        so_far = repr(".".join(path[:depth])) if depth else whose
        if kinds and "object" not in kinds:
            return f"{'.'.join(path)!r}: {so_far} is {_shown_kinds(kinds)}, not an object with a field {name!r}"
        if name in properties:
            schema = properties[name]
            continue
        if not properties or resolved.get("additionalProperties") not in (None, False):
            return None  # an open object: it may hold the field
        fields = ", ".join(sorted(str(key) for key in properties))
        hint = did_you_mean(name, [str(key) for key in properties])
        return f"{'.'.join(path)!r}: {so_far} has no field {name!r}{hint} (its fields: {fields})"
    kinds = _kinds(schemas, schema)
    if kinds and not kinds & set(wanted):
        where = repr(".".join(path)) if path else whose
        return f"{where} is {_shown_kinds(kinds)} in the response schema, not {what}"
    return None


def _parameter_problem(name: str, operation: Operation) -> str | None:
    """Why the paginator may not send query parameter ``name`` on ``operation``, or None."""
    query = [parameter.name for parameter in operation.parameters if parameter.location == "query"]
    if name in query:
        return None
    if not name:
        return "names no parameter"
    elsewhere = next((p.location for p in operation.parameters if p.name == name), None)
    if elsewhere is not None:
        return f"{name!r} is a {elsewhere} parameter of {operation.key}; the next page is asked for in the query"
    listed = ", ".join(query) if query else "none"
    return f"{name!r} is not a query parameter of {operation.key}{did_you_mean(name, query)} (its query parameters: {listed})"


def check_against(paging: Paging, operation: Operation, schemas: Schemas) -> tuple[str, str] | None:
    """What in ``paging`` does not fit ``operation`` (a message, and the Paging field it is about), or None.

    The paginator sends only the operation's own query parameters, and reads a list, a cursor and a flag
    from where the response schema has them, of the kinds it needs.
    """
    for name in ("param", "size_param"):
        value = getattr(paging, name)
        if value or (name == "param" and paging.style in ("cursor_id", "offset", "page")):
            problem = _parameter_problem(value, operation)
            if problem is not None:
                return problem, name
    body = body_schema(operation)
    if body is None:
        return f"{operation.key} has no response body to page through", "items"
    whose = "the response body"
    problem = _path_problem(schemas, body, paging.items, ("array",), "a list", whose)
    if problem is not None:
        return (problem if paging.items else f"{problem}; say where the list is with items"), "items"
    if paging.style == "cursor_id":
        array: Any = body
        for name in paging.items:
            array = schemas.properties(array).get(name)
        item = schemas.resolve(array).get("items")
        problem = _path_problem(schemas, item, paging.cursor, ("string", "integer"), "an id", "each item")
        if problem is not None:
            return problem, "cursor"
    elif paging.style == "cursor":
        problem = _path_problem(
            schemas, body, paging.cursor, ("string", "integer"), "a cursor (text or a number)", whose
        )
        if problem is not None:
            return problem, "cursor"
    if paging.has_more:
        problem = _path_problem(schemas, body, paging.has_more, ("boolean",), "a boolean", whose)
        if problem is not None:
            return problem, "has_more"
    return None
