"""Which keywords of a schema still say something once its ``type`` is declared (JSON Schema's semantics).

A keyword constrains only instances of its own kind: ``properties`` and
``required`` say nothing about an array, ``items`` nothing about an object. So
``{type: array, properties: {...}}`` is an array, not a model; and in
``{type: array, anyOf: [A, B]}`` an instance must be an array *and* match a
member, where a member without a ``type`` (an object schema written as bare
``properties``) accepts every array. :func:`applicable` drops what the declared
type makes moot: the other kinds' keywords, the union members that accept no
instance of the declared type, and the whole union when one of its members
accepts every such instance. Pure; references are followed through ``resolve``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal

from generator.pointer import ref_name

Verdict = Literal["all", "some", "none"]

#: The keywords that constrain instances of one kind only (JSON Schema 2020-12 and OpenAPI 3.0).
KIND_KEYWORDS: Mapping[str, frozenset[str]] = {
    "object": frozenset(
        {
            "properties",
            "required",
            "additionalProperties",
            "patternProperties",
            "minProperties",
            "maxProperties",
            "propertyNames",
            "dependentRequired",
            "dependentSchemas",
            "unevaluatedProperties",
        }
    ),
    "array": frozenset(
        {
            "items",
            "prefixItems",
            "additionalItems",
            "minItems",
            "maxItems",
            "uniqueItems",
            "contains",
            "minContains",
            "maxContains",
            "unevaluatedItems",
        }
    ),
    "string": frozenset({"minLength", "maxLength", "pattern", "format", "contentMediaType", "contentEncoding"}),
    "number": frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "format"}),
}
#: Keywords that may refuse an instance of any kind.
_ANY_KIND = frozenset({"enum", "const", "not", "if", "then", "else"})
_UNIONS = ("anyOf", "oneOf")

Resolve = Callable[[str], Any]


def declared_kinds(schema: Mapping[str, Any]) -> frozenset[str] | None:
    """The kinds ``type`` allows (``integer`` is also a ``number``); None when it says nothing."""
    kinds = schema.get("type")
    if isinstance(kinds, str):
        kinds = [kinds]
    if not isinstance(kinds, list) or not kinds or not all(isinstance(kind, str) for kind in kinds):
        return None
    found = set(kinds)
    if schema.get("nullable") is True:
        found.add("null")  # OpenAPI 3.0
    return frozenset(found)


def possible_kinds(schema: Any, resolve: Resolve, seen: frozenset[str] = frozenset()) -> frozenset[str] | None:
    """The kinds a schema's instances can be, from its declared ``type``, a reference's, a union's members'
    (all of them) or an ``allOf``'s parts' (those that say); None when that is not known."""
    if not isinstance(schema, Mapping):
        return None
    reference = schema.get("$ref")
    if isinstance(reference, str):
        key = ref_name(reference)
        return None if key in seen else possible_kinds(resolve(reference), resolve, seen | {key})
    found = declared_kinds(schema)
    parts = schema.get("allOf")
    if isinstance(parts, list):
        for part in parts:
            kinds = possible_kinds(part, resolve, seen)
            if kinds is not None:
                found = kinds if found is None else meet(found, kinds)
    for key in _UNIONS:
        members = schema.get(key)
        if isinstance(members, list) and members:
            each = [possible_kinds(member, resolve, seen) for member in members]
            if any(kinds is None for kinds in each):
                continue
            joined = frozenset().union(*(kinds for kinds in each if kinds is not None))
            found = joined if found is None else meet(found, joined)
    return found


def meet(one: frozenset[str], other: frozenset[str]) -> frozenset[str]:
    """The kinds both allow (an integer is a number)."""
    both = set(one & other)
    if "number" in one and "integer" in other or "integer" in one and "number" in other:
        both.add("integer")
    return frozenset(both)


def _keywords(kind: str) -> frozenset[str]:
    return KIND_KEYWORDS.get("number" if kind == "integer" else kind, frozenset())


def accepts(schema: Any, kind: str, resolve: Resolve, seen: frozenset[str] = frozenset()) -> Verdict:
    """Whether ``schema`` accepts every instance of ``kind``, some of them or none."""
    if schema is True or schema == {}:
        return "all"
    if not isinstance(schema, Mapping):
        return "none" if schema is False else "all"
    verdicts: list[Verdict] = []
    reference = schema.get("$ref")
    if isinstance(reference, str):
        key = ref_name(reference)
        target = resolve(reference)
        if key in seen or not isinstance(target, Mapping):
            return "some"  # a cycle or a reference into nowhere: assume it constrains
        verdicts.append(accepts(target, kind, resolve, seen | {key}))
    kinds = declared_kinds(schema)
    if kinds is not None:
        if kind in kinds or (kind == "integer" and "number" in kinds):
            pass
        elif kind == "number" and "integer" in kinds:
            verdicts.append("some")
        else:
            return "none"
    if any(not _vacuous(key, schema[key]) for key in (_ANY_KIND | _keywords(kind)) & schema.keys()):
        verdicts.append("some")
    parts = schema.get("allOf")
    if isinstance(parts, list):
        verdicts.extend(accepts(part, kind, resolve, seen) for part in parts)
    for key in _UNIONS:
        members = schema.get(key)
        if isinstance(members, list) and members:
            verdicts.append(_any(accepts(member, kind, resolve, seen) for member in members))
    if "none" in verdicts:
        return "none"
    return "some" if "some" in verdicts else "all"


#: Keywords whose value may accept everything: ``items: {}``, ``additionalProperties: true``, ``required: []``.
_SCHEMA_VALUED = frozenset(
    {"items", "additionalItems", "additionalProperties", "unevaluatedItems", "unevaluatedProperties", "propertyNames"}
)


def _vacuous(key: str, value: Any) -> bool:
    """Whether a keyword's value refuses nothing (``items: {}`` says nothing about an array)."""
    if key in _SCHEMA_VALUED:
        return value is True or value == {}
    return key in ("properties", "patternProperties", "required", "dependentRequired") and not value


def _any(verdicts: Any) -> Verdict:
    found = set(verdicts)
    return "all" if "all" in found else "some" if "some" in found else "none"


def applicable(schema: dict[str, Any], resolve: Resolve) -> dict[str, Any]:
    """``schema`` without the keywords its declared ``type`` makes moot (unchanged when it declares none)."""
    kinds = declared_kinds(schema)
    if kinds is None:
        return schema
    result = dict(schema)
    kept_keywords = frozenset().union(*(_keywords(kind) for kind in kinds))
    for keywords in KIND_KEYWORDS.values():
        for keyword in (keywords - kept_keywords) & result.keys():
            del result[keyword]
    for key in _UNIONS:
        members = result.get(key)
        if not isinstance(members, list) or not members:
            continue
        verdicts = [{kind: accepts(member, kind, resolve) for kind in kinds} for member in members]
        if all(any(verdict[kind] == "all" for verdict in verdicts) for kind in kinds):
            # Every instance of the declared type matches a member: the union says nothing more.
            del result[key]
            result.pop("discriminator", None)
    return result
