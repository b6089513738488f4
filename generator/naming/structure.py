"""Structural identity of schemas: which component schemas describe the same data.

Two schemas are identical when they have the same keywords and values, once
documentation (titles, descriptions, examples, vendor extensions) is set aside
and references are compared by what they point at, recursively. The coarsest
such partition is found by refinement, so recursive schemas are handled.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from generator.pointer import SCHEMA_PREFIX

_DOCUMENTATION = frozenset({"title", "description", "example", "examples", "externalDocs", "$comment", "deprecated"})


def canonical(schema: Any, ref_label: Callable[[str], str]) -> str:
    """A canonical JSON text of ``schema``; references become ``ref_label(key)``."""
    return json.dumps(_strip(schema, ref_label), sort_keys=True, separators=(",", ":"), default=str)


def _strip(node: Any, ref_label: Callable[[str], str], in_properties: bool = False) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMA_PREFIX) and not in_properties:
            return {"$ref": ref_label(ref[len(SCHEMA_PREFIX) :])}
        result = {}
        for key, value in node.items():
            if not in_properties and (key in _DOCUMENTATION or key.startswith("x-")):
                continue
            # Under "properties" the keys are property names, not keywords.
            result[key] = _strip(
                value,
                ref_label,
                in_properties=key in ("properties", "patternProperties", "$defs") and not in_properties,
            )
        return result
    if isinstance(node, list):
        return [_strip(item, ref_label) for item in node]
    return node


def structural_classes(schemas: Mapping[str, Any]) -> dict[str, int]:
    """Partition schema keys into classes of structurally identical schemas.

    Classes are numbered by their first key in sorted order. Schemas that reach
    no cycle of references are classed bottom-up in one pass (equal texts once
    their references' classes are in); the rest, by refinement among themselves
    (they can equal no schema of the first kind: they unfold without end). One
    canonical text per schema is made, with a marker at each reference.
    """
    keys = sorted(schemas)
    marked = {key: _with_markers(schemas[key]) for key in keys}
    if any(value is None for value in marked.values()):
        return _refine(keys, schemas, {}, {})  # a NUL in a schema's text: every label made the slow way
    texts = {key: value for key, value in marked.items() if value is not None}
    settled = _settle_acyclic(keys, texts)
    rest = [key for key in keys if key not in settled]
    fixed = {key: f"a{number}" for key, number in settled.items()}
    refined = _refine(rest, schemas, texts, fixed) if rest else {}
    first: dict[tuple[str, int], int] = {}
    return {
        key: first.setdefault(("a", settled[key]) if key in settled else ("r", refined[key]), len(first))
        for key in keys
    }


def _settle_acyclic(keys: list[str], texts: Mapping[str, tuple[list[str], list[str]]]) -> dict[str, int]:
    """The classes of the schemas that reach no cycle of references, each once its references are classed."""
    waiting = {key: {target for target in texts[key][1] if target in texts} for key in keys}
    users: dict[str, list[str]] = {}
    for key, targets in waiting.items():
        for target in targets:
            users.setdefault(target, []).append(key)
    ready = [key for key in keys if not waiting[key]]
    labels: dict[str, int] = {}
    settled: dict[str, int] = {}
    names: dict[str, int | str] = {}  # a settled key's class, as its references show it
    while ready:
        key = ready.pop()
        settled[key] = labels.setdefault(_label(texts[key], names), len(labels))
        names[key] = f"a{settled[key]}"
        for user in users.get(key, ()):
            waiting[user].discard(key)
            if not waiting[user]:
                ready.append(user)
    return settled


def _refine(
    keys: list[str],
    schemas: Mapping[str, Any],
    texts: Mapping[str, tuple[list[str], list[str]]],
    fixed: Mapping[str, str],
) -> dict[str, int]:
    """Classes of ``keys`` by refinement, starting from one class; references to ``fixed`` keys are constants."""
    classes: dict[str, int | str] = dict.fromkeys(keys, 0)
    count = 1
    while True:
        signatures: dict[str, int] = {}
        refined: dict[str, int] = {}
        current = {**fixed, **classes}
        for key in keys:
            text = texts.get(key)
            label = _label(text, current) if text is not None else _slow_label(schemas[key], current)
            refined[key] = signatures.setdefault(f"{classes[key]}|{label}", len(signatures))
        if len(signatures) == count:
            return refined
        classes, count = dict(refined), len(signatures)


#: What a reference becomes in a schema's text before its class is known: NUL, its index, NUL (JSON escapes NUL).
_MARKER = re.compile(r"\\u0000(\d+)\\u0000")


def _with_markers(schema: Any) -> tuple[list[str], list[str]] | None:
    """The schema's canonical text cut at each reference, and the references' targets; None if NULs are in it."""
    targets: list[str] = []

    def mark(target: str) -> str:
        targets.append(target)
        return f"\0{len(targets) - 1}\0"

    text = canonical(schema, mark)
    pieces = _MARKER.split(text)
    order = pieces[1::2]  # the markers in the text's order (its keys are sorted)
    if sorted(order, key=int) != [str(index) for index in range(len(targets))]:
        return None  # the schema's own text holds a NUL: label it the slow way
    return pieces[0::2], [targets[int(index)] for index in order]


def _label(marked: tuple[list[str], list[str]], classes: Mapping[str, int | str]) -> str:
    texts, targets = marked
    parts = [texts[0]]
    for target, text in zip(targets, texts[1:], strict=True):
        parts.append(f"#{classes.get(target, -1)}")
        parts.append(text)
    return "".join(parts)


def _slow_label(schema: Any, classes: Mapping[str, int | str]) -> str:
    return canonical(schema, lambda target: f"#{classes.get(target, -1)}")
