"""Instances drawn from an OpenAPI document's own schemas, checked by a validator this project did not write.

:class:`Sampler` walks a schema (OpenAPI 3.0 or 3.1 dialect, ``$ref`` anywhere in the
document) and builds one instance: the required fields only (``full=False``) or
every field it can (``full=True``, to a bounded depth), or, with a ``seed``, a
deterministic random mix (which optional fields, which ``oneOf`` branch, which
``enum`` value). Every instance it returns has passed openapi-schema-validator's
validator for the document's version (the 3.0 read or write dialect by
``context``): an instance it cannot make valid raises :class:`Unsatisfiable`
with the validator's message, so a failure downstream is never the sampler's.

The sampler is ours; the verdict on each instance is not.
"""

from __future__ import annotations

import copy
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from openapi_schema_validator import OAS30ReadValidator, OAS30Validator, OAS30WriteValidator, OAS31Validator
from referencing import Registry, Resource

from support.regex_sample import sample_pattern

Context = Literal["request", "response", "any"]  # "any": neither readOnly nor writeOnly is enforced
URN = "urn:clientgen:spec"
#: Deeper than this, optional fields are left out even in the all-fields pass (recursive schemas end).
MAX_DEPTH = 5
#: Attempts with other seeds before an instance is declared out of reach.
RETRIES = 6
#: At most this many branches where two anyOf (or oneOf) lists meet in an allOf (each pair is one branch).
MAX_BRANCH_PAIRS = 64

_FORMATS: dict[str, Any] = {
    "date-time": "2024-01-02T03:04:05Z",
    "date": "2024-01-02",
    "time": "03:04:05Z",
    "duration": "P1D",
    "uuid": "5b0e9c1a-3f7d-4c2e-9a8b-1d2e3f4a5b6c",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "uri": "https://example.com/a",
    "url": "https://example.com/a",
    "iri": "https://example.com/a",
    "uri-reference": "https://example.com/a",
    "iri-reference": "https://example.com/a",
    "uri-template": "https://example.com/{a}",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "aGVsbG8=",
    "binary": "binary-content",
    "password": "secret",
    "json-pointer": "/a/b",
    "relative-json-pointer": "0/a",
    "regex": "^a+$",
}


_SLOT = "x-clientgen-sampler-check"


class Unsatisfiable(Exception):
    """No valid instance was found; the message says why (the validator's words where it spoke)."""


@dataclass(frozen=True)
class Verdict:
    valid: bool
    message: str = ""


def absolute_refs(node: Any) -> Any:
    """A copy of ``node`` whose local ``$ref`` values point into :data:`URN`, so any part validates on its own."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#"):
                out[key] = URN + value
            else:
                out[key] = absolute_refs(value)
        return out
    if isinstance(node, list):
        return [absolute_refs(item) for item in node]
    return node


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


class Sampler:
    """Valid instances of the schemas of one document (its refs made absolute by :func:`absolute_refs`)."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.version = "3.1" if str(document.get("openapi", "")).startswith("3.1") else "3.0"
        self.document = absolute_refs(document)
        self.registry: Registry[Any] = Registry().with_resource(URN, Resource.opaque(self.document))
        self._rng = random.Random(0)
        self._full = False
        self._context: Context = "request"

    # -- lookups -------------------------------------------------------------------------------

    def lookup(self, ref: str) -> Any:
        """The schema a reference names (``urn:…#/a/b`` or ``#/a/b``)."""
        pointer = ref.split("#", 1)[1] if "#" in ref else ""
        node: Any = self.document
        for token in filter(None, pointer.split("/")):
            key = _unescape(token)
            if isinstance(node, list):
                node = node[int(key)]
            elif isinstance(node, dict) and key in node:
                node = node[key]
            else:
                raise Unsatisfiable(f"unresolvable $ref {ref}")
        return node

    def at(self, pointer: str) -> Any:
        """The node at a JSON pointer of the (ref-rewritten) document."""
        return self.lookup("#" + pointer)

    def resolve(self, schema: Any) -> Any:
        """``schema`` with its ``$ref`` chain followed (3.1 siblings kept as an ``allOf``)."""
        seen: set[str] = set()
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            ref = schema["$ref"]
            if ref in seen:
                raise Unsatisfiable(f"$ref cycle at {ref}")
            seen.add(ref)
            target = self.lookup(ref)
            if self.version == "3.1" and len(schema) > 1:
                siblings = {key: value for key, value in schema.items() if key != "$ref"}
                return {"allOf": [target, siblings]}
            schema = target
        return schema

    # -- validation ----------------------------------------------------------------------------

    def check(self, schema: Any, instance: Any, context: Context) -> Verdict:
        """openapi-schema-validator's verdict on ``instance`` (3.0: the write dialect for requests, read for responses)."""
        if self.version == "3.1":
            cls: Any = OAS31Validator
        elif context == "any":
            cls = OAS30Validator
        else:
            cls = OAS30WriteValidator if context == "request" else OAS30ReadValidator
        # The schema is validated from inside the document, so that what it resolves relative to
        # its document (a discriminator's implicit #/components/schemas/<value>) resolves.
        self.document[_SLOT] = schema
        validator = cls({"$ref": f"{URN}#/{_SLOT}"}, registry=self.registry, format_checker=cls.FORMAT_CHECKER)
        try:
            error = next(iter(validator.iter_errors(instance)), None)
        except Exception as exc:  # the validator itself failed (a pattern it cannot compile, …)
            return Verdict(False, f"validator failed: {type(exc).__name__}: {exc}")
        if error is None:
            return Verdict(True)
        where = "/".join(str(part) for part in error.absolute_path)
        return Verdict(False, f"{error.message[:300]} (at /{where})")

    # -- sampling ------------------------------------------------------------------------------

    def sample(self, schema: Any, *, full: bool, context: Context, seed: int | None = None) -> Any:
        """One instance of ``schema`` the validator accepts; :class:`Unsatisfiable` when none was found."""
        last = ""
        seeds: Iterator[int | None] = iter([seed, *range(1000, 1000 + RETRIES)])
        for attempt in seeds:
            self._rng = random.Random(attempt if attempt is not None else 0)
            self._full, self._context = full, context
            self._randomised = attempt is not None
            try:
                instance = self._gen(schema, 0, ())
            except Unsatisfiable as exc:
                last = str(exc)
                continue
            except RecursionError:
                last = "schema nesting too deep to sample"
                continue
            verdict = self.check(schema, instance, context)
            if verdict.valid:
                return instance
            last = verdict.message
        raise Unsatisfiable(last or "no instance found")

    def _gen(self, schema: Any, depth: int, refs: tuple[str, ...]) -> Any:
        if schema is True or schema is None or schema == {}:
            return self._anything(depth)
        if schema is False or not isinstance(schema, dict):
            raise Unsatisfiable("schema admits nothing")
        if isinstance(schema.get("$ref"), str):
            ref = schema["$ref"]
            if refs.count(ref) >= 2:
                raise Unsatisfiable(f"recursion through {ref}")
            target = self.lookup(ref)
            if self.version == "3.1" and len(schema) > 1:
                siblings = {key: value for key, value in schema.items() if key != "$ref"}
                target = {"allOf": [target, siblings]}
            return self._gen(target, depth, (*refs, ref))
        if "const" in schema:
            return copy.deepcopy(schema["const"])
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            values = [value for value in schema["enum"] if value is not None] or schema["enum"]
            return copy.deepcopy(self._rng.choice(values) if self._randomised else values[0])
        if isinstance(schema.get("allOf"), list) and schema["allOf"]:
            return self._gen(self._merge(schema, refs), depth, refs)
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list) and schema[key]:
                return self._choose(schema, key, depth, refs)
        kind = self._kind(schema)
        if kind == "null":
            return None
        if kind == "object":
            return self._object(schema, depth, refs)
        if kind == "array":
            return self._array(schema, depth, refs)
        if kind == "string":
            return self._string(schema)
        if kind in ("integer", "number"):
            return self._number(schema, kind)
        if kind == "boolean":
            return True
        return self._anything(depth)

    def _anything(self, depth: int) -> Any:
        return "value"

    def _kind(self, schema: dict[str, Any]) -> str | None:
        kinds = schema.get("type")
        options = kinds if isinstance(kinds, list) else [kinds] if isinstance(kinds, str) else []
        non_null = [kind for kind in options if kind != "null"]
        if non_null:
            return str(self._rng.choice(non_null) if self._randomised and len(non_null) > 1 else non_null[0])
        if options:
            return "null"
        if "properties" in schema or "additionalProperties" in schema or "required" in schema:
            return "object"
        if "items" in schema or "prefixItems" in schema:
            return "array"
        if any(key in schema for key in ("pattern", "minLength", "maxLength", "format")):
            return "string"
        if any(key in schema for key in ("minimum", "maximum", "multipleOf")):
            return "number"
        return None

    def _choose(self, schema: dict[str, Any], key: str, depth: int, refs: tuple[str, ...]) -> Any:
        """The first branch (a shuffled order with a seed) whose instance the whole schema accepts."""
        branches = list(enumerate(schema[key]))
        if self._randomised:
            self._rng.shuffle(branches)
        base = {name: value for name, value in schema.items() if name not in (key, "discriminator")}
        discriminator = schema.get("discriminator") if isinstance(schema.get("discriminator"), dict) else None
        last = ""
        for _, branch in branches:
            merged = self._merge({"allOf": [base, branch]}, refs) if base else branch
            try:
                candidate = self._gen(merged, depth, refs)
            except Unsatisfiable as exc:
                last = str(exc)
                continue
            if discriminator and isinstance(candidate, dict) and not self._fixed(merged, discriminator):
                value = self._tag(discriminator, branch)
                if value is not None:
                    candidate[discriminator.get("propertyName")] = value
            verdict = self.check(schema, candidate, self._context)
            if verdict.valid:
                return candidate
            last = verdict.message
        raise Unsatisfiable(last or f"no {key} branch could be sampled")

    def _fixed(self, branch: Any, discriminator: dict[str, Any]) -> bool:
        """Whether the branch's own schema already pins the discriminator property (an enum or a const)."""
        try:
            merged = self._merge({"allOf": [branch]}, ())
            prop = self._merge(
                {"allOf": [(merged.get("properties") or {}).get(discriminator.get("propertyName"), {})]}, ()
            )
        except Unsatisfiable:
            return False
        return "enum" in prop or "const" in prop

    def _tag(self, discriminator: dict[str, Any], branch: Any) -> str | None:
        ref = branch.get("$ref") if isinstance(branch, dict) else None
        if not isinstance(ref, str):
            return None
        mapping = discriminator.get("mapping") or {}
        for value, target in mapping.items():
            if isinstance(target, str) and (URN + target if target.startswith("#") else target) == ref:
                return str(value)
            if isinstance(target, str) and not target.startswith("#") and ref.endswith("/" + target):
                return str(value)
        return ref.rsplit("/", 1)[-1]

    def _merge(self, schema: dict[str, Any], refs: tuple[str, ...]) -> dict[str, Any]:
        """An ``allOf`` folded into one schema: properties and required united, bounds narrowed."""
        parts: list[dict[str, Any]] = []

        def flatten(node: Any, trail: tuple[str, ...]) -> None:
            if isinstance(node, dict) and isinstance(node.get("$ref"), str):
                ref = node["$ref"]
                if ref in trail:
                    return
                target = self.lookup(ref)
                if self.version == "3.1" and len(node) > 1:
                    flatten({key: value for key, value in node.items() if key != "$ref"}, trail)
                flatten(target, (*trail, ref))
                return
            if not isinstance(node, dict):
                return
            rest = {key: value for key, value in node.items() if key != "allOf"}
            if rest:
                parts.append(rest)
            for item in node.get("allOf") or []:
                flatten(item, trail)

        flatten(schema, refs)
        merged: dict[str, Any] = {}
        for part in parts:
            for key, value in part.items():
                if key == "properties" and isinstance(value, dict):
                    target = merged.setdefault("properties", {})
                    for name, sub in value.items():
                        target[name] = {"allOf": [target[name], sub]} if name in target else sub
                elif key in ("items", "additionalProperties") and isinstance(merged.get(key), dict):
                    # Both apply (an envelope's ``items: {}`` beside a child's ``items: {$ref}``): not the first only.
                    merged[key] = {"allOf": [merged[key], value]} if isinstance(value, dict) else value
                elif key == "required" and isinstance(value, list):
                    merged["required"] = list(dict.fromkeys([*merged.get("required", []), *value]))
                elif key in ("minimum", "minLength", "minItems", "minProperties") and key in merged:
                    merged[key] = max(merged[key], value)
                elif key in ("maximum", "maxLength", "maxItems", "maxProperties") and key in merged:
                    merged[key] = min(merged[key], value)
                elif key == "type" and key in merged and merged[key] != value:
                    left = merged[key] if isinstance(merged[key], list) else [merged[key]]
                    right = value if isinstance(value, list) else [value]
                    both = [kind for kind in left if kind in right or (kind == "integer" and "number" in right)]
                    merged[key] = both if len(both) != 1 else both[0]
                elif key == "nullable" and key in merged:
                    merged[key] = merged[key] and value
                elif key in ("oneOf", "anyOf") and key in merged and isinstance(value, list):
                    # Both must hold: one branch of each, as pairs (an allOf kept here would merge back into
                    # the same schema, endlessly: cloudflare's envelopes that narrow an anyOf `result`).
                    pairs = [{"allOf": [left, right]} for left in merged[key] for right in value]
                    merged[key] = pairs[:MAX_BRANCH_PAIRS]
                elif key == "enum" and key in merged:
                    merged[key] = [item for item in merged[key] if item in value]
                elif key not in merged:
                    merged[key] = value
        if self.version == "3.0" and any(part.get("nullable") is not True for part in parts if "type" in part):
            merged.pop("nullable", None)
        return merged

    def _object(self, schema: dict[str, Any], depth: int, refs: tuple[str, ...]) -> dict[str, Any]:
        found = schema.get("properties")
        properties: dict[str, Any] = found if isinstance(found, dict) else {}
        required = [name for name in schema.get("required") or [] if isinstance(name, str)]
        out: dict[str, Any] = {}
        for name, sub in properties.items():
            if self._hidden(sub):
                continue
            wanted = name in required or (
                depth < MAX_DEPTH and (self._rng.random() < 0.5 if self._randomised else self._full)
            )
            if not wanted:
                continue
            try:
                out[name] = self._gen(sub, depth + 1, refs)
            except Unsatisfiable:
                if name in required:
                    raise
        extra = schema.get("additionalProperties")
        for name in required:
            if name not in out and name not in properties:
                out[name] = self._gen(extra if isinstance(extra, dict) else {}, depth + 1, refs)
        wanted_extra = max(0, int(schema.get("minProperties", 0)) - len(out))
        if extra is not False and not properties and self._full and depth < MAX_DEPTH:
            wanted_extra = max(wanted_extra, 1)
        for index in range(wanted_extra):
            if extra is False:
                break
            out[f"key{index + 1}"] = self._gen(extra if isinstance(extra, dict) else {}, depth + 1, refs)
        return out

    def _hidden(self, schema: Any) -> bool:
        """readOnly properties are not sent; writeOnly ones never come back."""
        try:
            resolved = self.resolve(schema)
        except Unsatisfiable:
            return False
        nodes = [schema, resolved, *(resolved.get("allOf") or [] if isinstance(resolved, dict) else [])]
        if self._context == "any":
            return False
        flag = "readOnly" if self._context == "request" else "writeOnly"
        return any(isinstance(node, dict) and node.get(flag) is True for node in nodes)

    def _array(self, schema: dict[str, Any], depth: int, refs: tuple[str, ...]) -> list[Any]:
        given = schema.get("prefixItems")
        prefix: list[Any] = given if isinstance(given, list) else []
        items = schema.get("items", {})
        if isinstance(items, list):  # draft 4 tuple form
            prefix, items = items, schema.get("additionalItems", {})
        low = int(schema.get("minItems", 0))
        count = max(low, 1 if (self._full or self._randomised) and depth < MAX_DEPTH else 0, len(prefix) if low else 0)
        if "maxItems" in schema:
            count = min(count, int(schema["maxItems"]))
        out: list[Any] = []
        for index in range(count):
            sub = prefix[index] if index < len(prefix) else items
            try:
                value = self._gen(sub, depth + 1, refs)
            except Unsatisfiable:
                if index < low:
                    raise
                break
            if schema.get("uniqueItems") and value in out:
                value = self._vary(value, index)
            out.append(value)
        return out

    @staticmethod
    def _vary(value: Any, index: int) -> Any:
        if isinstance(value, str):
            return f"{value}{index}"
        if isinstance(value, bool):
            return not value
        if isinstance(value, (int, float)):
            return value + index
        return value

    def _string(self, schema: dict[str, Any]) -> str:
        form = schema.get("format")
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            try:
                text = sample_pattern(pattern, prefer_longer=self._full)
            except ValueError as exc:
                raise Unsatisfiable(str(exc)) from exc
        elif isinstance(form, str) and form in _FORMATS:
            text = _FORMATS[form]
        elif schema.get("contentEncoding") == "base64":
            text = "aGVsbG8="
        else:
            text = "string"
        low = int(schema.get("minLength", 0))
        high = schema.get("maxLength")
        if len(text) < low:
            text = text + text[-1:] * (low - len(text)) if text else "a" * low
        if isinstance(high, int) and len(text) > high and not isinstance(pattern, str):
            text = text[:high]
        return text

    def _number(self, schema: dict[str, Any], kind: str) -> int | float:
        low, high = schema.get("minimum"), schema.get("maximum")
        exclusive_low, exclusive_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
        step = 1 if kind == "integer" else 0.5
        if isinstance(exclusive_low, (int, float)) and not isinstance(exclusive_low, bool):
            low, exclusive_low = exclusive_low, True
        if isinstance(exclusive_high, (int, float)) and not isinstance(exclusive_high, bool):
            high, exclusive_high = exclusive_high, True
        if low is not None:
            value: float = low + (step if exclusive_low is True else 0)
        elif high is not None:
            value = min(high - (step if exclusive_high is True else 0), 1)
        else:
            value = 1 if kind == "integer" else 1.5
        multiple = schema.get("multipleOf")
        if isinstance(multiple, (int, float)) and multiple > 0:
            value = math.ceil(value / multiple) * multiple
        if kind == "integer":
            return int(math.ceil(value))
        return value
