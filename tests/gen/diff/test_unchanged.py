"""Models the comparison skips because they read the same on both sides: the findings are those of comparing
every model, and a change anywhere a model reaches still reaches it."""

from __future__ import annotations

import pickle
from typing import Any

import pytest
from diff_cases import Spec, analysis_of, schema, zoo
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.diff import compare
from generator.diff.compare import compare_analyses
from generator.diff.matching import match_models, shape_of
from generator.diff.unchanged import named_models, unchanged_models
from generator.modeldefs import MISSING


def _with_nesting(spec: Spec) -> Spec:
    """The zoo, plus an inline object (hoisted as its own class) inside Owner and a cycle Owner → Pet → Owner."""
    owner = schema(spec, "Owner")["properties"]
    owner["address"] = {
        "type": "object",
        "properties": {"city": {"type": "string"}, "zip": {"type": "string"}},
    }
    owner["pets"] = {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}
    schema(spec, "Pet")["properties"]["owner"] = {"$ref": "#/components/schemas/Owner"}
    return spec


def _unchanged(old: Spec, new: Spec) -> frozenset[str]:
    before, after = analysis_of(old, name="old.json"), analysis_of(new, name="new.json")
    old_shape, new_shape = shape_of(before), shape_of(after)
    return unchanged_models(
        before.schemas.models,
        after.schemas.models,
        old_shape.definitions,
        new_shape.definitions,
        old_shape.components,
        new_shape.components,
        match_models(before, after),
    )


def _findings_both_ways(old: Spec, new: Spec, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Any], list[Any]]:
    before, after = analysis_of(old, name="old.json"), analysis_of(new, name="new.json")
    skipping = compare_analyses(before, after)
    with monkeypatch.context() as patch:
        patch.setattr(compare, "unchanged_models", lambda *_: frozenset())
        everything = compare_analyses(before, after)
    return skipping, everything


def test_a_change_inside_a_hoisted_model_reaches_the_models_that_hold_it(monkeypatch: pytest.MonkeyPatch) -> None:
    old = _with_nesting(zoo())
    new = _with_nesting(zoo())
    schema(new, "Owner")["properties"]["address"]["properties"]["city"] = {"type": "integer"}
    skipped = _unchanged(old, new)
    # Owner's own schema names its hoisted address by reference and did not change: the address did.
    assert "Owner" not in skipped and "Pet" not in skipped  # Pet names Owner
    assert {"Cat", "Hound", "PetStatus", "NewPet"} <= skipped
    skipping, everything = _findings_both_ways(old, new, monkeypatch)
    assert skipping == everything
    assert any(finding.location.startswith("Owner.address") for finding in skipping)


def test_the_same_document_skips_every_model_and_finds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = _with_nesting(zoo())
    before = analysis_of(spec, name="old.json")
    assert _unchanged(spec, spec) == frozenset(before.schemas.models)
    assert _findings_both_ways(spec, spec, monkeypatch) == ([], [])


def test_named_models_reads_references_parents_owners_and_mappings() -> None:
    found = named_models(
        {
            "properties": {"a": {"$ref": "#/components/schemas/A"}, "b": {"items": [{"$ref": "#/x/B"}]}},
            "x-clientgen-parents": ["P"],
            "x-clientgen-owners": {"field": "O"},
            "discriminator": {"mapping": {"c": "#/components/schemas/C"}},
        }
    )
    assert sorted(found) == ["A", "B", "C", "O", "P"]


def test_missing_stays_itself_across_processes() -> None:
    """Definitions sent back from the diff's worker compare equal to this process's."""
    assert pickle.loads(pickle.dumps(MISSING)) is MISSING
    before = analysis_of(zoo(), name="old.json")
    assert pickle.loads(pickle.dumps(before.models)) == before.models


_MODELS = ["Pet", "NewPet", "Owner", "Cat", "Hound", "Dog", "NewDog"]
_TYPES = [{"type": "string"}, {"type": "integer"}, {"type": ["string", "null"]}, {"type": "boolean"}]


@st.composite
def _mutation(draw: st.DrawFn) -> tuple[str, str, int, int]:
    return (
        draw(st.sampled_from(_MODELS + ["Owner.address"])),
        draw(st.sampled_from(["add", "drop", "retype", "require", "describe", "enum"])),
        draw(st.integers(0, 10)),
        draw(st.integers(0, len(_TYPES) - 1)),
    )


def _apply(spec: Spec, mutation: tuple[str, str, int, int]) -> None:
    where, how, index, kind = mutation
    if where == "Owner.address":
        target = schema(spec, "Owner")["properties"]["address"]
    else:
        target = schema(spec, where)
        if "allOf" in target:
            target = target["allOf"][1]
    properties: dict[str, Any] = target.setdefault("properties", {})
    names = sorted(properties)
    name = names[index % len(names)] if names else "extra"
    if how == "add":
        properties[f"added{index}"] = dict(_TYPES[kind])
    elif how == "drop" and names:
        del properties[name]
        target["required"] = [item for item in target.get("required", []) if item != name]
        if not target["required"]:
            del target["required"]
    elif how == "retype":
        properties[name] = dict(_TYPES[kind])
    elif how == "require":
        target["required"] = sorted({*target.get("required", []), name} & set(properties)) or [name]
        properties.setdefault(name, {"type": "string"})
    elif how == "describe":
        properties.setdefault(name, {"type": "string"})["description"] = f"changed {index}"
    else:
        properties[name] = {"type": "string", "enum": [f"v{value}" for value in range(kind + 1)]}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutations=st.lists(_mutation(), min_size=1, max_size=3))
@example(mutations=[("Owner.address", "retype", 0, 1)])
@example(mutations=[("Pet", "drop", 1, 0), ("Cat", "enum", 0, 2)])
def test_skipping_unchanged_models_finds_what_comparing_every_model_finds(
    mutations: list[tuple[str, str, int, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    old = _with_nesting(zoo())
    new = _with_nesting(zoo())
    for mutation in mutations:
        _apply(new, mutation)
    skipping, everything = _findings_both_ways(old, new, monkeypatch)
    assert skipping == everything
