"""Structural classes: the one-pass classing of acyclic schemas gives the partition plain refinement gives."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.naming.structure import canonical, structural_classes

PREFIX = "#/components/schemas/"


def refinement(schemas: Mapping[str, Any]) -> dict[str, int]:
    """The partition by plain refinement over every schema (how it was computed before): the reference."""
    keys = sorted(schemas)
    classes = dict.fromkeys(keys, 0)
    count = 1
    while True:
        signatures: dict[str, int] = {}
        refined: dict[str, int] = {}
        for key in keys:
            label = canonical(schemas[key], lambda target: f"#{classes.get(target, -1)}")  # noqa: B023
            refined[key] = signatures.setdefault(f"{classes[key]}|{label}", len(signatures))
        if len(signatures) == count:
            return refined
        classes, count = refined, len(signatures)


NAMES = [f"S{index}" for index in range(8)]
leaf = st.sampled_from([{"type": "string"}, {"type": "integer"}, {"type": "string", "description": "a\0b"}])
reference = st.sampled_from([*NAMES, "Missing"]).map(lambda name: {"$ref": PREFIX + name})
schema = st.recursive(
    leaf | reference,
    lambda inner: (
        st.builds(
            lambda props: {"type": "object", "properties": props},
            st.dictionaries(st.sampled_from("abc"), inner, max_size=3),
        )
        | st.builds(lambda items: {"type": "array", "items": items}, inner)
        | st.builds(lambda members: {"anyOf": members}, st.lists(inner, min_size=1, max_size=3))
    ),
    max_leaves=6,
)


@pytest.mark.slow  # hypothesis
@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(NAMES), schema, min_size=1))
def test_the_partition_is_the_refinement_s(schemas: dict[str, Any]) -> None:
    assert structural_classes(schemas) == refinement(schemas), json.dumps(schemas)


def test_a_long_chain_and_a_cycle() -> None:
    chain = {
        f"R{index}": {"type": "object", "properties": {"parent": {"$ref": f"{PREFIX}R{index - 1}"}}}
        for index in range(1, 300)
    }
    chain["R0"] = {"type": "object"}
    loop = {
        "A": {"items": {"$ref": PREFIX + "B"}},
        "B": {"items": {"$ref": PREFIX + "A"}},
        "C": {"items": {"$ref": PREFIX + "C"}},
    }
    schemas = {**chain, **loop}
    classes = structural_classes(schemas)
    assert classes == refinement(schemas)
    assert len({classes[key] for key in chain}) == 300  # every depth differs
    assert classes["A"] == classes["B"] == classes["C"]  # the same endless list of lists
