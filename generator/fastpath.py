"""The validation fast path: openapi-spec-validator's walk over plain data, giving its errors or declining.

openapi-spec-validator (the validator of record, see ``validate.py``) checks a
document against the OpenAPI meta-schema, then walks it: unique tag names
and operation ids, path parameters that match the URL, parameters not
repeated, required properties of an ``allOf`` that some part defines, every
schema it reaches checked against the JSON Schema dialect, every ``default``
against its schema. In pure Python that walk takes seconds on a large
document, most of it in the dialect checks and in resolving paths.

``walk_errors`` makes the same walk over plain dicts, in the same order and
with the same state (schemas visited once, dialect-checked once, operation
ids seen), and yields the same errors: the dialect checks run in jsonschema-rs
against the same meta-schemas (with ``pattern`` regexes checked by the
validator's own function, as the Rust side leaves formats out), and only a
schema they do not pass is checked by the validator's own code, which makes
the error; each ``default`` is checked here when that is plainly right and
otherwise by the validator's own code; the errors the walk makes itself use the
validator's exception classes and messages. Anything it does not model exactly
(a ``$ref`` that is not a local JSON pointer, ``$id``, ``$schema``,
``$dynamicRef``, another dialect, a cycle of bare references, a value of an
unexpected type, a value the validator would stop at, a walk deep enough that
the validator's recursion could give out) makes it decline, and the
validator's own walk runs as before: tests compare the two error by error on
every golden, corpus and hostile document, and on generated and mutated ones.
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
#: (2019-09's ``$recursiveRef`` and ``$recursiveAnchor`` are only data to the 3.1 dialect and to the walk.)
_UNMODELLED_KEYS = frozenset({"$id", "$schema", "$dynamicRef", "$dynamicAnchor", "jsonSchemaDialect"})
_OPERATIONS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# The validator recurses once per level of schema nesting; well below the interpreter's limit, the
# walk stops vouching, so that a document the validator could not finish is never called clean.
_MAX_DEPTH = 40
_MAX_DEFAULT_DEPTH = 20
_OAS31_BASE = "https://spec.openapis.org/oas/3.1/meta/base"


class _Decline(Exception):
    """The walk cannot vouch for the document: the validator of record decides."""


def vouch(family: str, data: dict[str, Any]) -> bool:
    """True only if openapi-spec-validator's walk would report nothing for ``data``; False whenever that is not
    certain."""
    return walk_errors(family, data) == []


def walk_errors(family: str, data: dict[str, Any]) -> list[Any] | None:
    """The errors openapi-spec-validator's walk (``RootValidator``, after the meta-schema check) yields for ``data``,
    in its order, as it yields them; None when the walk here cannot be sure of giving exactly those.

    Errors are made by the validator's own code (a schema's dialect check, a default's value check) or with the
    validator's exception classes and messages; a document without any imports neither validator.
    """
    if family not in ("3.0", "3.1"):
        return None
    try:
        _check_keys(data)
        walk = _Walk(family, data)
        walk.root()
        return walk.errors
    except _Decline:
        return None
    except Exception:  # noqa: BLE001 - anything the walk did not foresee: the validator of record decides
        return None


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


@cache
def _exceptions() -> Any:
    from openapi_spec_validator.validation import exceptions

    return exceptions


def wrapped(error: Any) -> Any:
    """What the validator's ``wraps_errors`` makes of an error it yields."""
    exceptions = _exceptions()
    return (
        error
        if isinstance(error, exceptions.OpenAPIValidationError)
        else exceptions.OpenAPIValidationError.create_from(error)
    )


Where = tuple[str | int, ...]


class _Walk:
    """openapi-spec-validator's RootValidator walk (3.0 and 3.1) over plain data, step for step: the same schemas
    visited in the same order with the same state (visited and dialect-checked schemas, operation ids), the same
    errors in the same order."""

    def __init__(self, family: str, data: dict[str, Any]) -> None:
        self.family = family
        self.data = data
        self.visited: set[int] = set()
        self.meta_checked: set[int] = set()
        self.operation_ids: list[str | None] = []
        self.errors: list[Any] = []
        self._root_path: Any = None
        self._checker: Any = None

    def error(self, kind: str, message: str) -> None:
        self.errors.append(getattr(_exceptions(), kind)(message))

    # -- references -----------------------------------------------------------------------------

    def lookup(self, pointer: str) -> tuple[Any, Where]:
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

    def resolve(self, node: Any, where: Where) -> tuple[Any, Where]:
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

    def child(self, node: dict[str, Any], key: str, where: Where) -> tuple[Any, Where]:
        return self.resolve(node[key], (*where, key))

    def mapping(self, node: Any) -> dict[str, Any]:
        if not isinstance(node, dict):
            raise _Decline
        return node

    def items(self, node: Any, where: Where) -> Iterator[tuple[str, Any, Where]]:
        for key, value in self.mapping(node).items():
            resolved, at = self.resolve(value, (*where, key))
            yield key, resolved, at

    def elements(self, node: Any, where: Where) -> Iterator[tuple[Any, Where]]:
        if not isinstance(node, list):
            raise _Decline
        for index, value in enumerate(node):
            yield self.resolve(value, (*where, index))

    def text(self, node: dict[str, Any], key: str, where: Where) -> str:
        """A value the validator reads as text (``read_str``, or a key of its own): anything else stops it."""
        value = node.get(key)
        if not isinstance(value, str):
            raise _Decline
        return value

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
                    self.schema(schema, at)

    def tags(self, tags: Any, where: Where) -> None:
        seen: set[str] = set()
        for tag, at in self.elements(tags, where):
            name = self.text(self.mapping(tag), "name", at)
            if name in seen:
                self.error("OpenAPIValidationError", f"Duplicate tag name '{name}'")
            seen.add(name)

    def path(self, url: str, item: dict[str, Any], where: Where) -> None:
        shared: list[dict[str, Any]] | None = None
        if "parameters" in item:
            shared = self.parameters(*self.child(item, "parameters", where))
        for name in item:
            if name in _OPERATIONS:
                operation, at = self.child(item, name, where)
                self.operation(url, name, self.mapping(operation), at, shared)

    def parameters(self, parameters: Any, where: Where) -> list[dict[str, Any]]:
        """The validator's ParametersValidator; returns the parameters (resolved) with their name and place."""
        seen: set[tuple[str, str]] = set()
        found = []
        for parameter, at in self.elements(parameters, where):
            parameter = self.mapping(parameter)
            if "schema" in parameter:
                self.schema(*self.child(parameter, "schema", at))
            name, place = self.text(parameter, "name", at), self.text(parameter, "in", at)
            if (name, place) in seen:
                self.error("ParameterDuplicateError", f"Duplicate parameter '{name}'")
            seen.add((name, place))
            found.append({"name": name, "in": place})
        return found

    def operation(
        self, url: str, name: str, operation: dict[str, Any], where: Where, shared: list[dict[str, Any]] | None
    ) -> None:
        if "operationId" in operation:
            operation_id, _ = self.child(operation, "operationId", where)
            if operation_id is not None and not isinstance(operation_id, str):
                raise _Decline
            if operation_id is not None and operation_id in self.operation_ids:
                self.error(
                    "DuplicateOperationIDError", f"Operation ID '{operation_id}' for '{name}' in '{url}' is not unique"
                )
            self.operation_ids.append(operation_id)
        if "responses" in operation:
            for _, response, at in self.items(*self.child(operation, "responses", where)):
                if "content" in self.mapping(response):
                    for _, media_type, spot in self.items(*self.child(response, "content", at)):
                        if "schema" in self.mapping(media_type):
                            self.schema(*self.child(media_type, "schema", spot))
        names: list[str] = []
        if "parameters" in operation:
            own = self.parameters(*self.child(operation, "parameters", where))
            names += [parameter["name"] for parameter in own if parameter["in"] == "path"]
        if shared is not None:
            names += [parameter["name"] for parameter in shared if parameter["in"] == "path"]
        try:
            in_url = {field for _, field, _, _ in string.Formatter().parse(url) if field}
        except ValueError:
            raise _Decline from None  # the validator stops on a URL that str.format cannot read
        all_params = set(names)
        for parameter in [
            *(p for p in sorted(in_url) if p not in all_params),
            *(p for p in sorted(all_params) if p not in in_url),
        ]:
            self.error(
                "UnresolvableParameterError",
                f"Path parameter '{parameter}' for '{name}' operation in '{url}' was not resolved",
            )

    def schema(
        self, schema: Any, where: Where, *, require_properties: bool = True, meta_checked: bool = False, depth: int = 1
    ) -> None:
        """The validator's SchemaValidator.__call__."""
        if depth > _MAX_DEPTH:
            raise _Decline
        if not isinstance(schema, (dict, bool)):
            self.error("OpenAPIValidationError", f"{schema!r} is not of type 'object', 'boolean'")
            return
        if not meta_checked and id(schema) not in self.meta_checked:
            self.meta_checked.add(id(schema))
            if self.dialect_error(schema):
                return
        if id(schema) in self.visited:
            return
        self.visited.add(id(schema))
        if isinstance(schema, bool):
            return
        inner = {"require_properties": False, "meta_checked": True, "depth": depth + 1}
        nested_properties: list[str] = []
        if "allOf" in schema:
            for part, at in self.elements(*self.child(schema, "allOf", where)):
                self.schema(part, at, **inner)  # type: ignore[arg-type]
                nested_properties += list(self.property_names(part, at, ()))
        for keyword in ("anyOf", "oneOf"):
            if keyword in schema:
                for part, at in self.elements(*self.child(schema, keyword, where)):
                    self.schema(part, at, **inner)  # type: ignore[arg-type]
        for keyword in ("not", "items"):
            if keyword in schema:
                self.schema(*self.child(schema, keyword, where), **inner)  # type: ignore[arg-type]
        properties: Any = []
        if "properties" in schema:
            properties = self.mapping(self.child(schema, "properties", where)[0])
            for _, part, at in self.items(properties, (*where, "properties")):
                self.schema(part, at, **inner)  # type: ignore[arg-type]
        if "allOf" in schema:
            required = self.child(schema, "required", where)[0] if "required" in schema else []
            if not isinstance(required, list) or not all(isinstance(name, str) for name in required):
                raise _Decline  # the validator makes a set of them
            # The validator's expression, to the order of the names it prints.
            extra = list(set(required or []) - set(list(properties) or []) - set(nested_properties))
            if extra and require_properties:
                self.error("ExtraParametersError", f"Required list has not defined properties: {extra}")
        if "default" in schema:
            default, _ = self.child(schema, "default", where)
            nullable = self.child(schema, "nullable", where)[0] if "nullable" in schema else False
            if default is not None or nullable is not True:
                self.default_errors(where, schema, default)

    def property_names(self, schema: Any, where: Where, stack: tuple[int, ...]) -> set[str]:
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
                    names.update(self.property_names(inner, at, stack))
        for keyword in ("items", "not"):
            if keyword in schema:
                names.update(self.property_names(*self.child(schema, keyword, where), stack))
        return names

    # -- what the validator's own code decides ------------------------------------------------------

    def root_path(self) -> Any:
        if self._root_path is None:
            from jsonschema_path import SchemaPath
            from jsonschema_path.handlers import default_handlers

            self._root_path = SchemaPath.from_dict(self.data, base_uri="", handlers=default_handlers)
        return self._root_path

    def dialect_error(self, schema: dict[str, Any] | bool) -> bool:
        """The schema's check against its dialect; an error, if any, recorded. True when there was one."""
        if _dialect_valid(self.family, schema):
            return False
        if self._checker is None:
            from openapi_spec_validator.validation import keywords

            kind = keywords.OpenAPIV30SchemaValidator if self.family == "3.0" else keywords.OpenAPIV31SchemaValidator
            self._checker = kind(None)  # type: ignore[arg-type]  # the dialect check never looks at its registry
        error = self._checker._validate_schema_meta(self.root_path(), schema)
        if error is None:
            return False
        self.errors.append(wrapped(error))
        return True

    def default_errors(self, where: Where, schema: dict[str, Any], default: Any) -> None:
        if _plainly_valid(self.family, where, schema, default):
            return
        if _depth(default) > _MAX_DEFAULT_DEPTH:
            raise _Decline
        from openapi_spec_validator.validation import keywords

        checker = (keywords.OpenAPIV30ValueValidator if self.family == "3.0" else keywords.OpenAPIV31ValueValidator)(
            None  # type: ignore[arg-type]  # a value validator never looks at its registry
        )
        path = self.root_path()
        for part in where:
            path = path / part
        if path.read_value() is not schema:
            raise _Decline  # jsonschema-path would find another schema (or none) there
        self.errors.extend(wrapped(error) for error in checker(path, default))


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


def _dialect_valid(family: str, schema: Any) -> bool:
    """True when the schema surely passes openapi-schema-validator's check against its dialect."""
    try:
        if not _dialect_validator(family).is_valid(schema):
            return False
    except Exception:  # noqa: BLE001 - a value jsonschema-rs cannot take: the validator's own check decides
        return False
    return all(is_valid_regex(pattern) for pattern in _patterns(schema))


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
