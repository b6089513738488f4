"""Stage 2, validate: check the document against the OpenAPI schema.

Strict by default: any error stops generation. In lenient mode each error is a
warning with its location and generation goes on; an ignore list silences
errors by JSON pointer prefix or by a fragment of their message. A problem
found in several places that are reported at one place (a schema reached from
many operations) is said once.

openapi-spec-validator is the validator of record. It checks the document
against the OpenAPI meta-schema, then walks it for what a schema cannot say
(unique operation ids, resolvable path parameters and references, defaults
that match their schema). Its errors, in its order, come from faster routes
when jsonschema-rs is installed: the meta-schema check runs in Rust, and only
where that finds the document invalid does the pure-Python check run, going
into just the parts Rust finds invalid (``_guided_meta_validator``);
``fastpath.walk_errors`` makes the walk over plain data, its schema checks in
jsonschema-rs and its errors made by the validator's own code. Whenever the
fast walk cannot be sure, the validator's walk runs in pure Python. Verdicts
are kept in the cache, keyed by the document and the validators' versions (and
the sources of this module and the ones its verdicts depend on).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

from generator import discriminators, extensions, fastpath
from generator.cache import NO_CACHE, Cache
from generator.cache import key as cache_key
from generator.errors import ClientgenError, Location
from generator.load import Document
from generator.pointer import (
    child_is_name_map,
    is_extension,
    pointer_escape,
    pointer_unescape,
    to_pointer,
    without_extensions,
)
from generator.text import one_line

Policy = Literal["strict", "lenient"]


@dataclass(frozen=True)
class Problem:
    """One validation error, located."""

    message: str
    location: Location

    def __str__(self) -> str:
        return one_line(f"{self.location}: {self.message}")


def _verdict_entry(document: Document) -> str:
    return cache_key(validator_id(), document.openapi_version, document.text)


def has_verdict(document: Document, cache: Cache) -> bool:
    """Whether the cache holds the document's verdict (validating it again costs a file read)."""
    return cache.enabled and cache.get("verdicts", _verdict_entry(document)) is not None


def find_problems(document: Document, cache: Cache = NO_CACHE, fast: bool = True) -> list[Problem]:
    """Every validation error of the document, in document order; ``fast=False`` never uses jsonschema-rs."""
    entry = _verdict_entry(document) if cache.enabled else ""
    cached = cache.get("verdicts", entry) if cache.enabled else None
    if cached is not None:
        try:
            return [
                Problem(
                    str(message),
                    Location(
                        document.path, None if line is None else int(line), None if pointer is None else str(pointer)
                    ),
                )
                for message, line, pointer in json.loads(cached)
            ]
        except (ValueError, TypeError):
            pass  # not a verdict we wrote: ignore it
    problems = _find_problems(document, fast)
    cache.put(
        "verdicts",
        entry,
        json.dumps(
            [(problem.message, problem.location.line, problem.location.pointer) for problem in problems]
        ).encode(),
    )
    return problems


def _find_problems(document: Document, fast: bool) -> list[Problem]:
    problems: list[Problem] = [
        Problem(
            f"duplicate key {duplicate.key!r}: the later value replaces the earlier one",
            Location(document.path, duplicate.line, duplicate.pointer),
        )
        for duplicate in document.duplicates
    ]
    problems += _non_string_names(document)
    errors: list[Any] = []
    found: list[tuple[str, str]] = []  # message, pointer: located together below
    try:
        # One by one: errors found before the validator trips over a value are kept.
        # Extensions are opaque: the validator never sees them (it would resolve a $ref in one).
        errors.extend(_iter_errors(document.openapi_version, dict(without_extensions(document.data)), fast))
    except (TypeError, ValueError, KeyError, AttributeError, AssertionError, RecursionError) as exc:
        # The validator reads some values as text and stops at a boolean or number (YAML's ``on``, a
        # quoted ``minimum: "1e-08"``), or asserts a shape (``paths: [...]``); those were reported above or
        # are found here, each at its own line.
        if not problems and not errors:
            problems += schema_keyword_problems(document)
        if not problems and not errors:
            found.append(
                (f"the OpenAPI validator could not check this document ({' '.join(str(exc).split())[:200]})", "")
            )
    defaults = _Defaults(document.data)
    errors = [_deepest(error) for error in errors]
    anchored = anchor_all(
        document.data,
        [(list(getattr(error, "absolute_path", []) or []), getattr(error, "instance", None)) for error in errors],
    )
    for error, path in zip(errors, anchored, strict=True):
        if not path:
            path = defaults.holding(error)
        message = " ".join(str(getattr(error, "message", error)).split())
        if len(message) > 300:
            message = message[:297] + "..."
        where = describe_place(path)
        found.append((f"{where}: {message}" if where else message, to_pointer(path)))
    holders = extensions.holders_with(document.data, _CHECKED)  # walked once for both checks
    for message, pointer in [
        *extensions.problems(document.data, holders),
        *discriminators.problems(document.data, holders),
    ]:
        where = describe_place([pointer_unescape(part) for part in pointer.split("/")[1:]])
        found.append((f"{where}: {message}" if where else message, pointer))
    locations = document.locate_all(pointer for _, pointer in found)
    problems += [Problem(message, locations[pointer]) for message, pointer in found]
    problems.sort(key=lambda problem: (problem.location.line or 0, problem.location.pointer or ""))
    # A schema reached from many places has its problem found at each: say it once.
    once: dict[tuple[str, str | None], Problem] = {}
    for problem in problems:
        once.setdefault((problem.message, problem.location.pointer), problem)
    return list(once.values())


#: What the checks after the validator's read of an operation or a schema: the extensions clientgen reads, and
#: discriminators (their mappings).
_CHECKED = frozenset({*extensions.READ, "discriminator"})


def schema_keyword_problems(document: Document) -> list[Problem]:
    """Schemas whose keywords have the wrong kind of value (``minimum: "1e-08"``), by the JSON Schema meta-schema.

    OpenAPI 3.1's meta-schema leaves schemas to their dialect, so its validator
    meets such a value only when it compares a default against it, and stops
    there with a TypeError. Each schema is checked here against the JSON Schema
    2020-12 meta-schema instead, every error at its own line. (3.0's meta-schema
    covers schemas itself.)
    """
    if _version_family(document.openapi_version) == "3.0":
        return []
    from jsonschema import Draft202012Validator

    from generator.references import is_schema_position

    meta = Draft202012Validator(Draft202012Validator.META_SCHEMA)
    problems: list[Problem] = []
    stack: list[tuple[Any, list[str], bool]] = [(document.data, [], False)]  # value, path, in a map of names
    while stack:
        node, parts, in_name_map = stack.pop()
        if parts and not in_name_map and isinstance(node, (dict, bool)) and is_schema_position(parts):
            for error in meta.iter_errors(node):
                path = [*parts, *(str(part) for part in error.absolute_path)]
                where = describe_place(path)
                message = " ".join(str(error.message).split())[:300]
                problems.append(Problem(f"{where}: {message}" if where else message, document.locate(to_pointer(path))))
            continue
        if isinstance(node, dict):
            where = to_pointer(parts)
            stack.extend(
                (value, [*parts, str(key)], child_is_name_map(in_name_map, key, where))
                for key, value in node.items()
                if isinstance(value, (dict, list)) and not is_extension(key, in_name_map)
            )
        elif isinstance(node, list):
            stack.extend(
                (value, [*parts, str(index)], False) for index, value in enumerate(node) if isinstance(value, dict)
            )
    return problems


def _version_family(version: str) -> str:
    return "3.0" if version.startswith("3.0") else "3.1" if version.startswith("3.1") else "3.2"


def _iter_errors(version: str, data: dict[str, Any], fast: bool) -> Iterator[Any]:
    """openapi-spec-validator's errors, in its order: the meta-schema's, then its walk's."""
    family = _version_family(version)
    if not fast:
        yield from _validator_class(family, skip_meta=False)(data).iter_errors()
        return
    meta_valid = _fast_meta_check(family, data)
    walk = fastpath.walk_errors(family, data) if meta_valid is not None else None
    if walk is None:  # the fast walk cannot be sure: the validator of record walks (its meta-schema check guided)
        yield from _validator_class(family, skip_meta=bool(meta_valid), guided=meta_valid is not None)(
            data
        ).iter_errors()
        return
    if not meta_valid:
        # As jsonschema makes them: the validator's wrapping copies every field read here (and importing
        # openapi-spec-validator for it costs a quarter second).
        yield from _guided_meta_validator(family).iter_errors(data)
    yield from walk


@cache
def _meta_schema(family: str) -> Any:
    from openapi_spec_validator import schemas

    return {"3.0": schemas.schema_v30, "3.1": schemas.schema_v31, "3.2": schemas.schema_v32}[family]


def shipped_meta_schema(family: str) -> Any:
    """``_meta_schema`` as read from openapi-spec-validator's files, without importing it (a quarter of a second)."""
    return fastpath.shipped_json("openapi_spec_validator", "resources", "schemas", f"v{family}", "schema.json")


@cache
def _rust_validator(family: str) -> Any:
    try:
        import jsonschema_rs
    except ImportError:
        return None
    try:
        schema = shipped_meta_schema(family)
    except (OSError, ValueError):
        schema = dict(_meta_schema(family))  # packaged some other way: as the library loads it
    # Formats are not checked, as openapi-spec-validator does not check them either.
    return jsonschema_rs.validator_cls_for(schema)(schema, validate_formats=False)


def _fast_meta_check(family: str, data: dict[str, Any]) -> bool | None:
    """Whether the document matches the meta-schema, by jsonschema-rs; None when it is not installed or cannot
    take the document."""
    validator = _rust_validator(family)
    if validator is None:
        return None
    try:
        return bool(validator.is_valid(data))
    except Exception:  # noqa: BLE001 - data it cannot take (non-string keys...): the slow path decides
        return None


@cache
def _shipped_or_loaded_meta_schema(family: str) -> Any:
    try:
        return shipped_meta_schema(family)
    except (OSError, ValueError):
        return _meta_schema(family)  # packaged some other way: as the library loads it


_DYNAMIC_ANCHOR = re.compile(r"#[A-Za-z_][-A-Za-z0-9._]*")


@cache
def _reference_check(family: str, keyword: str, ref: str) -> Any:
    """jsonschema-rs's check of a value against what a reference of the meta-schema stands for (one of its
    definitions, ``#/definitions/Operation``, or a dynamic anchor, ``#meta``), or None for any other reference."""
    meta = _shipped_or_loaded_meta_schema(family)
    holder = "definitions" if family == "3.0" else "$defs"
    if keyword == "$ref":
        name = ref.removeprefix(f"#/{holder}/")
        if name == ref or "/" in name or "~" in name or "%" in name:
            return None
        if not isinstance(meta.get(holder), Mapping) or name not in meta[holder]:
            return None
    elif not (keyword == "$dynamicRef" and _DYNAMIC_ANCHOR.fullmatch(ref)):
        return None
    if _rust_validator(family) is None:
        return None
    import jsonschema_rs

    # The meta-schema's own resource (its identifier, dialect and definitions), asked for what the reference
    # stands for: a dynamic reference finds the same anchor (the resource's own) from here as from its root.
    schema = {key: meta[key] for key in ("id", "$id", "$schema", holder) if key in meta}
    schema["allOf"] = [{keyword: ref}]
    try:
        return jsonschema_rs.validator_cls_for(schema)(schema, validate_formats=False).is_valid
    except Exception:  # noqa: BLE001 - a reference jsonschema-rs cannot compile: the Python check decides
        return None


@cache
def _guided_meta_validator(family: str) -> Any:
    """The pure-Python meta-schema check, which follows a reference only where jsonschema-rs finds the value
    does not match what it stands for: the same errors (a valid part yields none), made by the same code, in a
    fraction of the time."""
    from jsonschema import validators

    meta = _shipped_or_loaded_meta_schema(family)
    base = validators.validator_for(meta)

    def guided(keyword: str) -> Any:
        follow = base.VALIDATORS[keyword]

        def reference(validator: Any, ref: str, instance: Any, schema: Any) -> Iterator[Any]:
            check = _reference_check(family, keyword, ref) if isinstance(ref, str) else None
            try:
                if check is not None and check(instance):
                    return
            except Exception:  # noqa: BLE001 - a value jsonschema-rs cannot take: the Python check decides
                pass
            yield from follow(validator, ref, instance, schema)

        return reference

    keywords = [keyword for keyword in ("$ref", "$dynamicRef") if keyword in base.VALIDATORS]
    return validators.extend(base, {keyword: guided(keyword) for keyword in keywords})(meta)


class _NoErrors:
    """A meta-schema check already passed (by jsonschema-rs)."""

    def iter_errors(self, instance: Any) -> Iterator[Any]:
        return iter(())


@cache
def _validator_class(family: str, skip_meta: bool, guided: bool = False) -> type:
    """openapi-spec-validator's class, with the meta-schema check pinned to pure-Python jsonschema (guided by
    jsonschema-rs when ``guided``), or skipped.

    Pinned because openapi-spec-validator switches to jsonschema-rs by itself
    when it is installed, and its errors carry no sub-errors to find the
    real cause in.
    """
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator, OpenAPIV32SpecValidator
    from openapi_spec_validator.schemas.backend.jsonschema import create_validator

    base = {"3.0": OpenAPIV30SpecValidator, "3.1": OpenAPIV31SpecValidator, "3.2": OpenAPIV32SpecValidator}[family]
    checker = (
        _NoErrors()
        if skip_meta
        else _guided_meta_validator(family)
        if guided
        else create_validator(_meta_schema(family))
    )
    return type(base.__name__, (base,), {"schema_validator": checker})


@lru_cache(maxsize=1)
def validator_id() -> str:
    """What a verdict depends on besides the document: the validators' versions and this module."""
    from generator.uptodate import installed_versions  # read from dist-info names: importlib.metadata is slower

    distributions = (
        "openapi-spec-validator",
        "openapi-schema-validator",
        "jsonschema",
        "jsonschema-path",
        "jsonschema-rs",
        "jsonschema-specifications",
        "regress",
    )
    found = installed_versions(distributions)
    versions = [f"{distribution} {found.get(distribution, 'absent')}" for distribution in distributions]
    # parse.py decides what the text means (YAML 1.2's numbers), the extensions' rules are checked here too,
    # fastpath.py walks the document instead of the validator, and lines.py finds the problems' lines.
    here = Path(__file__).parent
    names = (
        "validate.py",
        "fastpath.py",
        "lines.py",
        "parse.py",
        "extensions.py",
        "rules.py",
        "pagination.py",
        "discriminators.py",
    )
    return cache_key(*versions, *((here / name).read_bytes() for name in names))


_ROOTS = (
    "openapi",
    "info",
    "servers",
    "paths",
    "webhooks",
    "components",
    "security",
    "tags",
    "externalDocs",
    "jsonSchemaDialect",
)
_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace", "query"})


class _Defaults:
    """A ``default`` or ``example`` its own schema rejects is reported with no path: the first schema, in one fixed
    order of the document, that holds that value and the failing keyword is where it is.

    The document is walked once, as far as the errors need, for all of them.
    """

    def __init__(self, data: Any) -> None:
        self._stack: list[tuple[Any, list[Any]]] = [(data, [])]
        self._holders: list[tuple[dict[str, Any], list[Any]]] = []  # dicts with a default or example, in order

    def holding(self, error: Any) -> list[Any]:
        instance, keyword = getattr(error, "instance", None), getattr(error, "validator", None)
        if isinstance(instance, (dict, list)) or not isinstance(keyword, str):
            return []
        for node, here in self._in_order():
            for field in ("default", "example"):
                if (
                    field in node
                    and node[field] == instance
                    and type(node[field]) is type(instance)
                    and keyword in node
                ):
                    return [*here, field]
        return []

    def _in_order(self) -> Iterator[tuple[dict[str, Any], list[Any]]]:
        index = 0
        while True:
            if index < len(self._holders):
                yield self._holders[index]
                index += 1
                continue
            if not self._stack:
                return
            node, here = self._stack.pop()
            if isinstance(node, dict):
                if "default" in node or "example" in node:
                    self._holders.append((node, here))
                self._stack.extend(
                    (value, [*here, key]) for key, value in node.items() if isinstance(value, (dict, list))
                )
            elif isinstance(node, list):
                self._stack.extend(
                    (value, [*here, position]) for position, value in enumerate(node) if isinstance(value, (dict, list))
                )


def anchor(data: Any, path: list[Any], instance: Any) -> list[Any]:
    """The error's path from the document root.

    The validator follows ``$ref``s and then reports paths from the referenced
    object (``/properties/kind/oneOf``); the first place in the document with
    that path suffix and the failing value is where the problem is.
    """
    return anchor_all(data, [(path, instance)])[0]


def anchor_all(data: Any, errors: Sequence[tuple[list[Any], Any]]) -> list[list[Any]]:
    """``anchor`` for many errors (path, failing value) in one walk of the document."""
    found: list[list[Any] | None] = [path if not path or path[0] in _ROOTS else None for path, _ in errors]
    suffixes = [[str(part) for part in path] for path, _ in errors]
    waiting: dict[str, list[int]] = {}  # by the last part of their path
    for number, place in enumerate(found):
        if place is None:
            waiting.setdefault(suffixes[number][-1], []).append(number)
    left = sum(len(numbers) for numbers in waiting.values())
    stack: list[tuple[Any, list[Any]]] = [(data, [])]
    while stack and left:
        node, here = stack.pop()
        for number in list(waiting.get(str(here[-1]), ()) if here else ()):
            suffix = suffixes[number]
            if (
                len(here) >= len(suffix)
                and [str(part) for part in here[-len(suffix) :]] == suffix
                and node == errors[number][1]
            ):
                found[number] = here
                waiting[suffix[-1]].remove(number)
                left -= 1
        if isinstance(node, dict):
            stack.extend((value, [*here, key]) for key, value in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend((value, [*here, index]) for index, value in reversed(list(enumerate(node))))
    return [path if place is None else place for place, (path, _) in zip(found, errors, strict=True)]


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
            shown = (
                "null"
                if value is None
                else f"the boolean {str(value).lower()}"
                if isinstance(value, bool)
                else f"the number {value}"
            )
            problems.append(Problem(f"{what} is {shown}, not text; quote it in YAML", document.locate(pointer)))

    paths = data.get("paths")
    for path, item in paths.items() if isinstance(paths, dict) else ():
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
    for key, parameter in parameters.items() if isinstance(parameters, dict) else ():
        if isinstance(parameter, dict) and "name" in parameter:
            check(parameter["name"], f"/components/parameters/{pointer_escape(key)}/name", "parameter name")
    tags = data.get("tags")
    for index, tag in enumerate(tags if isinstance(tags, list) else []):
        if isinstance(tag, dict) and "name" in tag:
            check(tag["name"], f"/tags/{index}/name", "tag name")
    return problems


def _deepest(error: Any) -> Any:
    """ "Not valid under any of the given schemas" hides the real cause: find it."""
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


def validate(
    document: Document, policy: Policy = "strict", ignore: Sequence[str] = (), cache: Cache = NO_CACHE
) -> list[Problem]:
    """Raise on the first error in strict mode; return the warnings in lenient mode."""
    problems = [problem for problem in find_problems(document, cache) if not is_ignored(problem, ignore)]
    if problems and policy == "strict":
        first = problems[0]
        more = (
            f" (and {len(problems) - 1} more; --lenient generates anyway)"
            if len(problems) > 1
            else " (--lenient generates anyway)"
        )
        raise ClientgenError(f"invalid OpenAPI document: {first.message}{more}", first.location)
    return problems
