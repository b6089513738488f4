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

import importlib.util
import json
import math
import re
import string
from collections.abc import Iterator
from functools import cache
from pathlib import Path
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


def shipped_json(package: str, *parts: str) -> Any:
    """A JSON file shipped inside ``package``, read without importing the package.

    Importing openapi-spec-validator or openapi-schema-validator costs a
    quarter of a second (pydantic-settings, requests, jsonschema), while the
    fast path only needs the meta-schemas they ship; tests check that what is
    read here equals what the libraries load.
    """
    spec = importlib.util.find_spec(package)
    for location in spec.submodule_search_locations or () if spec is not None else ():
        path = Path(location, *parts)
        if path.is_file():
            return json.loads(path.read_text(encoding="utf-8"))
    raise FileNotFoundError(f"{'/'.join(parts)} in {package}")


def _shipped_schema(package: str, folder: str, identifier: str) -> Any:
    """The JSON file under ``folder`` of ``package`` whose ``$id`` (or draft 4's ``id``) is ``identifier``."""
    spec = importlib.util.find_spec(package)
    for location in spec.submodule_search_locations or () if spec is not None else ():
        for path in sorted(Path(location, folder).rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                contents = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(contents, dict) and identifier in (contents.get("$id"), contents.get("id")):
                    return contents
    raise FileNotFoundError(f"{identifier} in {package}")


_OAS31_DIALECT = "https://spec.openapis.org/oas/3.1/dialect/base"
_DRAFT4 = "http://json-schema.org/draft-04/schema#"


@cache
def dialect_schemas(family: str) -> dict[str, Any]:
    """The meta-schemas openapi-schema-validator checks a schema against (draft 4 for 3.0; OpenAPI's base
    dialect and vocabulary for 3.1), by identifier, as that library ships them."""
    if family == "3.0":
        return {_DRAFT4: _shipped_schema("jsonschema_specifications", "schemas", _DRAFT4)}
    return {
        identifier: _shipped_schema("openapi_schema_validator", "schemas", identifier)
        for identifier in (_OAS31_DIALECT, _OAS31_BASE)
    }


@cache
def _dialect_validator(family: str) -> Any:
    """jsonschema-rs compiled against the meta-schema openapi-schema-validator checks schemas with, formats left out."""
    import jsonschema_rs

    schemas = dialect_schemas(family)
    if family == "3.0":
        return jsonschema_rs.Draft4Validator(schemas[_DRAFT4], validate_formats=False)
    registry = jsonschema_rs.Registry([(_OAS31_BASE, schemas[_OAS31_BASE]), (_OAS31_DIALECT, schemas[_OAS31_DIALECT])])
    return jsonschema_rs.Draft202012Validator(schemas[_OAS31_DIALECT], registry=registry, validate_formats=False)


def is_valid_regex(pattern: str) -> bool:
    """openapi-schema-validator's regex check (``_regex.is_valid_regex``): ECMA-262 through ``regress`` when it is
    installed, else Python's ``re`` (a test compares the two)."""
    try:
        from regress import Regex, RegressError
    except ImportError:
        try:
            re.compile(pattern)
        except re.error:
            return False
        return True
    try:
        Regex(pattern)
    except RegressError:
        return False
    return True


def _dialect_valid(family: str, schemas: dict[int, Any]) -> bool:
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
    # Most defaults are a scalar under a few scalar keywords: checked here, the validator's code (and its
    # quarter-second import) is only needed for the others.
    defaults = [item for item in defaults if not _plainly_valid(family, *item)]
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


#: Keywords that never reject a value in openapi-schema-validator's value check (OAS 3.0 and 3.1): annotations,
#: and ``nullable``, which only admits null (a null default is never checked here).
_INERT = frozenset(
    {"default", "description", "title", "example", "examples", "deprecated", "readOnly", "writeOnly", "nullable"}
)
_SCALARS = (str, int, float, bool)
_TYPES: dict[str, tuple[type, ...]] = {"string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,)}


def _plainly_valid(family: str, where: tuple[str | int, ...], schema: dict[str, Any], default: Any) -> bool:
    """True only when the validator's value check surely finds nothing: a scalar default under a schema whose every
    keyword is one modelled here exactly (type, enum, minimum, maximum, minLength, maxLength, the numeric formats).

    Stricter than the validator wherever that is simpler (an ``integer`` must be an int, an enum member must
    have the default's own type): anything else goes to the validator's code, which decides.
    """
    kind = type(default)
    if kind not in _SCALARS or (kind is float and not math.isfinite(default)):
        return False
    # The validator finds the schema through jsonschema-path, which splits keys at "#" and drops "" and ".".
    if not all(isinstance(part, int) or (part not in ("", ".") and "#" not in part) for part in where):
        return False
    for keyword, value in schema.items():
        if keyword in _INERT:
            continue
        if keyword == "type":
            # 3.1 also takes a list of types ("null" never matches here: the default is a scalar, not null).
            names = value if family == "3.1" and isinstance(value, list) else [value]
            if not all(isinstance(name, str) and (name == "null" or name in _TYPES) for name in names):
                return False
            if not any(kind in _TYPES.get(name, ()) for name in names):
                return False
        elif keyword == "enum":
            if not isinstance(value, list) or not any(type(member) is kind and member == default for member in value):
                return False
        elif keyword in ("minimum", "maximum"):
            if type(value) not in (int, float) or kind not in (int, float):
                return False
            if (default < value) if keyword == "minimum" else (default > value):
                return False
        elif keyword in ("minLength", "maxLength"):
            if type(value) is not int or kind is not str:
                return False
            if (len(default) < value) if keyword == "minLength" else (len(default) > value):
                return False
        elif keyword == "format":
            # Both families' format checkers: int32 and int64 bound ints; float and double take any JSON scalar.
            if value in ("int32", "int64"):
                bits = 31 if value == "int32" else 63
                if kind is int and not -(1 << bits) <= default < 1 << bits:
                    return False
            elif value not in ("float", "double"):
                return False
        else:
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
