"""Structural identity of schemas: which component schemas describe the same data.

Two schemas are identical when they have the same keywords and values, once
documentation (titles, descriptions, examples, vendor extensions) is set aside
and references are compared by what they point at, recursively. The coarsest
such partition is found by refinement, so recursive schemas are handled.
"""

from __future__ import annotations

import json
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
    """Partition schema keys into classes of structurally identical schemas."""
    keys = sorted(schemas)
    classes = dict.fromkeys(keys, 0)
    count = 1
    while True:
        signatures: dict[str, int] = {}
        refined: dict[str, int] = {}
        for key in keys:
            label = canonical(schemas[key], lambda target: f"#{classes.get(target, -1)}")  # noqa: B023 - used at once
            refined[key] = signatures.setdefault(f"{classes[key]}|{label}", len(signatures))
        if len(signatures) == count:
            return refined
        classes, count = refined, len(signatures)
