"""The validation fast path: vouch that openapi-spec-validator would find nothing in a document, or decline.

openapi-spec-validator (the validator of record, see ``validate.py``) checks a
document against the OpenAPI meta-schema, then walks it: unique tag names
and operation ids, path parameters that match the URL, parameters not
repeated, required properties of an ``allOf`` that some part defines, every
schema it reaches checked against the JSON Schema dialect, every ``default``
against its schema. In pure Python that walk takes seconds on a large
document, most of it in the dialect checks and in resolving paths.

``vouch`` makes the same walk over plain dicts, in the same order, and
answers True only when it can show that each of those checks passes: the
dialect checks run in jsonschema-rs against the same meta-schemas (with
``pattern`` regexes checked by the validator's own function, as the Rust side
leaves formats out), and each ``default`` is checked by the validator's own
code. Anything it does not model exactly (a ``$ref`` that is not a local JSON
pointer, ``$id``, ``$schema``, ``$dynamicRef``, another dialect, a cycle of
bare references, a value of an unexpected type, a walk deep enough that the
validator's recursion could give out, any error at all) makes it answer
False, and the validator of record runs as before: the fast path can only
make a valid document faster, never change a verdict (tests compare the two
on every golden, corpus and hostile document, and on generated ones).
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from functools import cache
from typing import Any
from urllib.parse import unquote

#: What the walk does not model: references that leave the document or change its base, another dialect.
_UNMODELLED_KEYS = frozenset(
    {"$id", "$schema", "$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor", "jsonSchemaDialect"}
)
_OPERATIONS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# The validator recurses once per level of schema nesting; well below the interpreter's limit, the
# walk stops vouching, so that a document the validator could not finish is never called clean.
_MAX_DEPTH = 40
_MAX_DEFAULT_DEPTH = 20
_OAS31_BASE = "https://spec.openapis.org/oas/3.1/meta/base"


class _Decline(Exception):
    """The walk cannot vouch for the document: the validator of record decides."""


def vouch(family: str, data: dict[str, Any]) -> bool:
    """True only if openapi-spec-validator's walk would report nothing for ``data`` (a document that
    already matches the OpenAPI meta-schema); False whenever that is not certain."""
    if family not in ("3.0", "3.1"):
        return False
    try:
        _check_keys(data)
        walk = _Walk(data)
        walk.root()
        return _dialect_valid(family, walk.top_level) and _defaults_valid(family, data, walk.defaults)
    except _Decline:
        return False
    except Exception:  # noqa: BLE001 - anything the walk did not foresee: the validator of record decides
        return False


def _check_keys(data: Any) -> None:
    """Decline a document with a key the walk does not model (anywhere: what the validator reads is decided later)."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if not isinstance(key, str) or key in _UNMODELLED_KEYS:
                    raise _Decline
                if isinstance(value, (dict, list)):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(value for value in node if isinstance(value, (dict, list)))


def _is_ref(node: Any) -> bool:
    # jsonschema-path's rule: any dict whose "$ref" is a string stands for its target, whatever else it holds.
    return isinstance(node, dict) and isinstance(node.get("$ref"), str)


class _Walk:
    """openapi-spec-validator's RootValidator walk (3.0 and 3.1), over plain data."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.visited: set[int] = set()
        self.operation_ids: set[str] = set()
        #: Schemas checked against the dialect (those the validator checks, and perhaps more), by identity.
        self.top_level: dict[int, Any] = {}
        #: (where the schema is, the schema, its default) for every default the validator checks.
        self.defaults: list[tuple[tuple[str | int, ...], dict[str, Any], Any]] = []

    # -- references -----------------------------------------------------------------------------

    def lookup(self, pointer: str) -> tuple[Any, tuple[str | int, ...]]:
        """A local JSON pointer, read as the ``referencing`` library reads it (percent-decoded, ~1 and ~0)."""
        node: Any = self.data
        where: list[str | int] = []
        if not pointer:
            return node, ()
        for segment in unquote(pointer[1:]).split("/"):
            if _is_ref(node):  # the validator would go through it; a pointer does not
                raise _Decline
            if isinstance(node, dict):
                key = segment.replace("~1", "/").replace("~0", "~")
                if key not in node:
                    raise _Decline
                node = node[key]
                where.append(key)
            elif isinstance(node, list) and segment.isascii() and segment.isdigit() and int(segment) < len(node):
                node = node[int(segment)]
                where.append(int(segment))
            else:
                raise _Decline
        return node, tuple(where)

    def resolve(self, node: Any, where: tuple[str | int, ...]) -> tuple[Any, tuple[str | int, ...]]:
        seen: set[str] = set()
        while _is_ref(node):
            ref = node["$ref"]
            if not (ref == "#" or ref.startswith("#/")):
                raise _Decline  # another document, or an anchor
            if ref in seen:
                raise _Decline  # a cycle of bare references: the validator recurses until it gives out
            seen.add(ref)
            node, where = self.lookup(ref[1:])
        return node, where

    def child(self, node: dict[str, Any], key: str, where: tuple[str | int, ...]) -> tuple[Any, tuple[str | int, ...]]:
        return self.resolve(node[key], (*where, key))

    def mapping(self, node: Any) -> dict[str, Any]:
        if not isinstance(node, dict):
            raise _Decline
        return node

    def items(self, node: Any, where: tuple[str | int, ...]) -> Iterator[tuple[str, Any, tuple[str | int, ...]]]:
        for key, value in self.mapping(node).items():
            resolved, at = self.resolve(value, (*where, key))
            yield key, resolved, at

    def elements(self, node: Any, where: tuple[str | int, ...]) -> Iterator[tuple[Any, tuple[str | int, ...]]]:
        if not isinstance(node, list):
            raise _Decline
        for index, value in enumerate(node):
            yield self.resolve(value, (*where, index))

    # -- the walk ---------------------------------------------------------------------------------

    def root(self) -> None:
        spec = self.mapping(self.data)
        if _is_ref(spec):
            raise _Decline
        if "tags" in spec:
            self.tags(*self.child(spec, "tags", ()))
        if "paths" in spec:
            for url, item, where in self.items(*self.child(spec, "paths", ())):
                self.path(url, self.mapping(item), where)
        if "components" in spec:
            components, where = self.child(spec, "components", ())
            if "schemas" in self.mapping(components):
                for _, schema, at in self.items(*self.child(components, "schemas", where)):
                    self.schema(schema, at, top_level=True, depth=1)

    def tags(self, tags: Any, where: tuple[str | int, ...]) -> None:
        names: set[str] = set()
        for tag, _ in self.elements(tags, where):
            name = self.mapping(tag).get("name")
            if not isinstance(name, str) or name in names:
                raise _Decline
            names.add(name)

    def path(self, url: str, item: dict[str, Any], where: tuple[str | int, ...]) -> None:
        shared: list[Any] = []
        if "parameters" in item:
            shared = self.parameters(*self.child(item, "parameters", where))
        for name in item:
            if name in _OPERATIONS:
                operation, at = self.child(item, name, where)
                self.operation(url, self.mapping(operation), at, shared)

    def parameters(self, parameters: Any, where: tuple[str | int, ...]) -> list[dict[str, Any]]:
        seen: set[tuple[str, str]] = set()
        found = []
        for parameter, at in self.elements(parameters, where):
            parameter = self.mapping(parameter)
            if "schema" in parameter:
                self.schema(*self.child(parameter, "schema", at), top_level=True, depth=1)
            name, place = parameter.get("name"), parameter.get("in")
            if not isinstance(name, str) or not isinstance(place, str) or (name, place) in seen:
                raise _Decline
            seen.add((name, place))
            found.append(parameter)
        return found

    def operation(self, url: str, operation: dict[str, Any], where: tuple[str | int, ...], shared: list[Any]) -> None:
        if "operationId" in operation:
            operation_id, _ = self.child(operation, "operationId", where)
            if operation_id is not None:
                if not isinstance(operation_id, str) or operation_id in self.operation_ids:
                    raise _Decline
                self.operation_ids.add(operation_id)
        if "responses" in operation:
            for _, response, at in self.items(*self.child(operation, "responses", where)):
                if "content" in self.mapping(response):
                    for _, media_type, spot in self.items(*self.child(response, "content", at)):
                        if "schema" in self.mapping(media_type):
                            self.schema(*self.child(media_type, "schema", spot), top_level=True, depth=1)
        own = self.parameters(*self.child(operation, "parameters", where)) if "parameters" in operation else []
        named = {parameter["name"] for parameter in (*own, *shared) if parameter["in"] == "path"}
        try:
            in_url = {field for _, field, _, _ in string.Formatter().parse(url) if field}
        except ValueError:
            raise _Decline from None  # the validator stops on a URL that str.format cannot read
        if named != in_url:
            raise _Decline

    def schema(self, schema: Any, where: tuple[str | int, ...], *, top_level: bool, depth: int) -> None:
        if depth > _MAX_DEPTH:
            raise _Decline
        if isinstance(schema, bool):
            if top_level:
                self.top_level[id(schema)] = schema
            return
        schema = self.mapping(schema)
        if top_level:
            self.top_level[id(schema)] = schema
            if "allOf" in schema:
                # Checked by the validator only where this is the schema's first visit: checked here at every one.
                self.required_are_defined(schema, where)
        if id(schema) in self.visited:
            return
        self.visited.add(id(schema))
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in schema:
                for inner, at in self.elements(*self.child(schema, keyword, where)):
                    self.schema(inner, at, top_level=False, depth=depth + 1)
                    if keyword == "allOf":
                        self.property_names(inner, at, ())  # the validator collects them for every allOf
        for keyword in ("not", "items"):
            if keyword in schema:
                self.schema(*self.child(schema, keyword, where), top_level=False, depth=depth + 1)
        if "properties" in schema:
            for _, inner, at in self.items(*self.child(schema, "properties", where)):
                self.schema(inner, at, top_level=False, depth=depth + 1)
        if "allOf" in schema:
            required = self.child(schema, "required", where)[0] if "required" in schema else []
            if not isinstance(required, list) or not all(isinstance(name, str) for name in required):
                raise _Decline  # the validator makes a set of them
        if "default" in schema:
            default, _ = self.child(schema, "default", where)
            nullable = self.child(schema, "nullable", where)[0] if "nullable" in schema else False
            if default is not None or nullable is not True:
                self.defaults.append((where, schema, default))

    def required_are_defined(self, schema: dict[str, Any], where: tuple[str | int, ...]) -> None:
        """Every required property is defined by the schema or by one of its ``allOf`` parts."""
        required = self.child(schema, "required", where)[0] if "required" in schema else []
        if not isinstance(required, list) or not all(isinstance(name, str) for name in required):
            raise _Decline
        properties = self.child(schema, "properties", where)[0] if "properties" in schema else {}
        defined = set(self.mapping(properties))
        for inner, at in self.elements(*self.child(schema, "allOf", where)):
            defined |= self.property_names(inner, at, ())
        if not set(required) <= defined:
            raise _Decline

    def property_names(self, schema: Any, where: tuple[str | int, ...], stack: tuple[int, ...]) -> set[str]:
        """The validator's ``_collect_properties``: names in ``properties``, through allOf, anyOf, oneOf, items and not."""
        if not isinstance(schema, dict):
            return set()  # the validator finds no keyword in a boolean (and reports anything else elsewhere)
        if id(schema) in stack or len(stack) > _MAX_DEPTH:
            raise _Decline  # the validator's recursion has no end here
        stack = (*stack, id(schema))
        names: set[str] = set()
        if "properties" in schema:
            names.update(self.mapping(self.child(schema, "properties", where)[0]))
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in schema:
                for inner, at in self.elements(*self.child(schema, keyword, where)):
                    names |= self.property_names(inner, at, stack)
        for keyword in ("items", "not"):
            if keyword in schema:
                names |= self.property_names(*self.child(schema, keyword, where), stack)
        return names


# -- the dialect checks, in Rust ----------------------------------------------------------------


@cache
def _dialect_validator(family: str) -> Any:
    """jsonschema-rs compiled against the meta-schema openapi-schema-validator checks schemas with, formats left out."""
    import jsonschema_rs
    from openapi_schema_validator import OAS30Validator
    from openapi_schema_validator._dialects import OAS31_BASE_DIALECT_ID, OAS31_BASE_DIALECT_METASCHEMA
    from openapi_schema_validator._specifications import REGISTRY

    if family == "3.0":
        return jsonschema_rs.Draft4Validator(dict(OAS30Validator.META_SCHEMA), validate_formats=False)
    registry = jsonschema_rs.Registry(
        [(_OAS31_BASE, dict(REGISTRY.contents(_OAS31_BASE))), (OAS31_BASE_DIALECT_ID, OAS31_BASE_DIALECT_METASCHEMA)]
    )
    return jsonschema_rs.Draft202012Validator(
        dict(OAS31_BASE_DIALECT_METASCHEMA), registry=registry, validate_formats=False
    )


def _dialect_valid(family: str, schemas: dict[int, Any]) -> bool:
    from openapi_schema_validator._regex import is_valid_regex

    validator = _dialect_validator(family)
    for schema in schemas.values():
        try:
            if not validator.is_valid(schema):
                return False
        except Exception:  # noqa: BLE001 - a value jsonschema-rs cannot take: the validator of record decides
            return False
        if not all(is_valid_regex(pattern) for pattern in _patterns(schema)):
            return False
    return True


def _patterns(schema: Any) -> Iterator[str]:
    """Every text the dialect checks as a regex (``pattern``, ``patternProperties`` keys), and perhaps more."""
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "pattern" and isinstance(value, str):
                    yield value
                if key == "patternProperties" and isinstance(value, dict):
                    yield from (name for name in value if isinstance(name, str))
                if isinstance(value, (dict, list)):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(value for value in node if isinstance(value, (dict, list)))


# -- defaults, by the validator's own code ------------------------------------------------------


def _defaults_valid(family: str, data: dict[str, Any], defaults: list[tuple[tuple[str | int, ...], Any, Any]]) -> bool:
    if not defaults:
        return True
    from jsonschema_path import SchemaPath
    from jsonschema_path.handlers import default_handlers
    from openapi_spec_validator.validation import keywords

    checker = (keywords.OpenAPIV30ValueValidator if family == "3.0" else keywords.OpenAPIV31ValueValidator)(
        None  # type: ignore[arg-type]  # a value validator never looks at its registry
    )
    root = SchemaPath.from_dict(data, base_uri="", handlers=default_handlers)
    for where, schema, default in defaults:
        if _depth(default) > _MAX_DEFAULT_DEPTH:
            return False
        path = root
        for part in where:
            path = path / part
        try:
            if path.read_value() is not schema or next(iter(checker(path, default)), None) is not None:
                return False
        except Exception:  # noqa: BLE001 - the validator of record decides, and reports it
            return False
    return True


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 0)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(node, dict):
            stack.extend((child, level + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, level + 1) for child in node)
        if deepest > _MAX_DEFAULT_DEPTH:
            break
    return deepest
