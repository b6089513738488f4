"""The spec's own faults: examples that violate the schema they illustrate, with the validator's message.

Examples are where a document most often contradicts itself, and a client
generator that trusted them would be wrong with it. Checked: ``example`` and
``examples`` of media types and parameters (against their schema, in the request
or response dialect by where they appear) and of every schema reachable from
``components/schemas`` (``example``; OAS 3.1's ``examples`` list).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from support.sampler import Context, Sampler

#: How deep into a component schema's subschemas examples are looked for.
MAX_DEPTH = 6
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMA_MAPS = ("properties", "patternProperties")
_SUBSCHEMAS = ("items", "additionalProperties", "not")


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def example_faults(document: Any, sampler: Sampler | None = None) -> tuple[int, list[tuple[str, str]]]:
    """How many examples were checked, and each that its schema refuses: (JSON pointer, validator message)."""
    sampler = sampler or Sampler(document)
    checked = 0
    faults: list[tuple[str, str]] = []
    for pointer, schema, value, context in _examples(sampler.document):
        checked += 1
        verdict = sampler.check(schema, value, context)
        if not verdict.valid:
            faults.append((pointer, verdict.message))
    return checked, faults


def _examples(document: Any) -> Iterator[tuple[str, Any, Any, Context]]:
    for key, schema in ((document.get("components") or {}).get("schemas") or {}).items():
        yield from _schema_examples(schema, f"/components/schemas/{_escape(key)}", 0)
    for path, item in (document.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        base = f"/paths/{_escape(path)}"
        for index, parameter in enumerate(item.get("parameters") or []):
            yield from _media_examples(parameter, f"{base}/parameters/{index}", "request")
        for method, operation in item.items():
            if not isinstance(operation, dict) or method == "parameters":
                continue
            where = f"{base}/{method}"
            for index, parameter in enumerate(operation.get("parameters") or []):
                yield from _media_examples(parameter, f"{where}/parameters/{index}", "request")
            body = operation.get("requestBody")
            if isinstance(body, dict):
                for media_type, media in (body.get("content") or {}).items():
                    yield from _media_examples(media, f"{where}/requestBody/content/{_escape(media_type)}", "request")
            for status, response in (operation.get("responses") or {}).items():
                if not isinstance(response, dict):
                    continue
                for media_type, media in (response.get("content") or {}).items():
                    pointer = f"{where}/responses/{_escape(str(status))}/content/{_escape(media_type)}"
                    yield from _media_examples(media, pointer, "response")


def _media_examples(media: Any, pointer: str, context: Context) -> Iterator[tuple[str, Any, Any, Context]]:
    """A media type's or parameter's ``example`` and ``examples`` (their ``value``) against its schema."""
    if not isinstance(media, dict) or not isinstance(media.get("schema"), dict):
        return
    schema = media["schema"]
    if "example" in media:
        yield f"{pointer}/example", schema, media["example"], context
    for name, example in (media.get("examples") or {}).items():
        if isinstance(example, dict) and "value" in example and "$ref" not in example:
            yield f"{pointer}/examples/{_escape(name)}/value", schema, example["value"], context


def _schema_examples(schema: Any, pointer: str, depth: int) -> Iterator[tuple[str, Any, Any, Context]]:
    if not isinstance(schema, dict) or depth > MAX_DEPTH:
        return
    if "example" in schema and "$ref" not in schema:
        yield f"{pointer}/example", schema, schema["example"], "any"
    if isinstance(schema.get("examples"), list) and "$ref" not in schema:
        for index, value in enumerate(schema["examples"]):
            yield f"{pointer}/examples/{index}", schema, value, "any"
    for key in _SUBSCHEMA_LISTS:
        for index, sub in enumerate(schema.get(key) or [] if isinstance(schema.get(key), list) else []):
            yield from _schema_examples(sub, f"{pointer}/{key}/{index}", depth + 1)
    for key in _SUBSCHEMA_MAPS:
        found = schema.get(key)
        if isinstance(found, dict):
            for name, sub in found.items():
                yield from _schema_examples(sub, f"{pointer}/{key}/{_escape(name)}", depth + 1)
    for key in _SUBSCHEMAS:
        yield from _schema_examples(schema.get(key), f"{pointer}/{key}", depth + 1)
