"""Stage 2, validate: check the document against the OpenAPI schema.

Strict by default: any error stops generation. In lenient mode each error is a
warning with its location and generation goes on; an ignore list silences
errors by JSON pointer prefix or by a fragment of their message.

openapi-spec-validator is the validator of record. It checks the document
against the OpenAPI meta-schema, then walks it for what a schema cannot say
(unique operation ids, resolvable path parameters and references, defaults
that match their schema). The meta-schema check, most of its time, is done by
jsonschema-rs when it is installed: when that says the document is valid, only
the walk remains; when it says anything else, the whole check runs again in
pure Python for located, readable messages. Verdicts are kept in the cache,
keyed by the document and the validators' versions.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from generator.cache import NO_CACHE, Cache, key
from generator.errors import ClientgenError, Location
from generator.load import Document
from generator.pointer import to_pointer

Policy = Literal["strict", "lenient"]


@dataclass(frozen=True)
class Problem:
    """One validation error, located."""

    message: str
    location: Location

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


def find_problems(document: Document, cache: Cache = NO_CACHE, fast: bool = True) -> list[Problem]:
    """Every validation error of the document, in document order; ``fast=False`` never uses jsonschema-rs."""
    entry = key(validator_id(), document.openapi_version, document.text) if cache.enabled else ""
    cached = cache.get("verdicts", entry) if cache.enabled else None
    found: list[tuple[str, str]] | None = None
    if cached is not None:
        try:
            found = [(str(message), str(pointer)) for message, pointer in json.loads(cached)]
        except (ValueError, TypeError):
            found = None  # not a verdict we wrote: ignore it
    if found is None:
        found = _errors(document, fast)
        cache.put("verdicts", entry, json.dumps(found).encode())
    problems = [Problem(message, document.locate(pointer)) for message, pointer in found]
    problems.sort(key=lambda problem: (problem.location.line or 0, problem.location.pointer or ""))
    return problems


def _errors(document: Document, fast: bool) -> list[tuple[str, str]]:
    """(message, JSON pointer) of every error openapi-spec-validator reports."""
    data = dict(document.data)
    errors: list[tuple[str, str]] = []
    for error in _iter_errors(document.openapi_version, data, fast):
        error = _deepest(error)
        pointer = to_pointer(list(getattr(error, "absolute_path", []) or []))
        message = " ".join(str(getattr(error, "message", error)).split())
        if len(message) > 300:
            message = message[:297] + "..."
        errors.append((message, pointer))
    return errors


def _version_family(version: str) -> str:
    return "3.0" if version.startswith("3.0") else "3.1" if version.startswith("3.1") else "3.2"


def _iter_errors(version: str, data: dict[str, Any], fast: bool) -> Iterator[Any]:
    family = _version_family(version)
    meta_valid = fast and _fast_meta_check(family, data)
    yield from _validator_class(family, skip_meta=meta_valid)(data).iter_errors()


@lru_cache(maxsize=None)
def _meta_schema(family: str) -> Any:
    from openapi_spec_validator import schemas

    return {"3.0": schemas.schema_v30, "3.1": schemas.schema_v31, "3.2": schemas.schema_v32}[family]


@lru_cache(maxsize=None)
def _rust_validator(family: str) -> Any:
    try:
        import jsonschema_rs
    except ImportError:
        return None
    schema = dict(_meta_schema(family))
    # Formats are not checked, as openapi-spec-validator does not check them either.
    return jsonschema_rs.validator_cls_for(schema)(schema, validate_formats=False)


def _fast_meta_check(family: str, data: dict[str, Any]) -> bool:
    """True when jsonschema-rs is installed and says the document matches the meta-schema."""
    validator = _rust_validator(family)
    if validator is None:
        return False
    try:
        return bool(validator.is_valid(data))
    except Exception:  # noqa: BLE001 - data it cannot take (non-string keys...): the slow path decides
        return False


class _NoErrors:
    """A meta-schema check already passed (by jsonschema-rs)."""

    def iter_errors(self, instance: Any) -> Iterator[Any]:
        return iter(())


@lru_cache(maxsize=None)
def _validator_class(family: str, skip_meta: bool) -> type:
    """openapi-spec-validator's class, with the meta-schema check pinned to pure-Python jsonschema (or skipped).

    Pinned because openapi-spec-validator switches to jsonschema-rs by itself
    when it is installed, and its errors carry no sub-errors to find the
    real cause in.
    """
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator, OpenAPIV32SpecValidator
    from openapi_spec_validator.schemas.backend.jsonschema import create_validator

    base = {"3.0": OpenAPIV30SpecValidator, "3.1": OpenAPIV31SpecValidator, "3.2": OpenAPIV32SpecValidator}[family]
    checker = _NoErrors() if skip_meta else create_validator(_meta_schema(family))
    return type(base.__name__, (base,), {"schema_validator": checker})


@lru_cache(maxsize=1)
def validator_id() -> str:
    """What a verdict depends on besides the document: the validators' versions and this module."""
    from importlib.metadata import PackageNotFoundError, version

    versions = []
    for distribution in ("openapi-spec-validator", "openapi-schema-validator", "jsonschema", "jsonschema-path", "jsonschema-rs"):
        try:
            versions.append(f"{distribution} {version(distribution)}")
        except PackageNotFoundError:
            versions.append(f"{distribution} absent")
    return key(*versions, Path(__file__).read_bytes())


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


def validate(document: Document, policy: Policy = "strict", ignore: Sequence[str] = (), cache: Cache = NO_CACHE) -> list[Problem]:
    """Raise on the first error in strict mode; return the warnings in lenient mode."""
    problems = [problem for problem in find_problems(document, cache) if not is_ignored(problem, ignore)]
    if problems and policy == "strict":
        first = problems[0]
        more = f" (and {len(problems) - 1} more; --lenient generates anyway)" if len(problems) > 1 else " (--lenient generates anyway)"
        raise ClientgenError(f"invalid OpenAPI document: {first.message}{more}", first.location)
    return problems
