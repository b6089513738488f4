"""``diff.matching``: which old model is which new one, judged on the model definitions the package is generated from."""

from __future__ import annotations

from typing import Any

import pytest
from diff_cases import Spec, diff_specs, mutated, schema


def _status(values: list[Any], name: str, nullable: bool) -> Spec:
    """The base spec with ``Pet.status`` an enum named ``name`` (3.1: a nullable one has null among its values)."""

    def change(spec: Spec) -> None:
        del spec["components"]["schemas"]["PetStatus"]
        enum: dict[str, Any] = {"type": ["string", "null"], "enum": [*values, None]} if nullable else {"enum": values}
        spec["components"]["schemas"][name] = {"type": "string", **enum}
        schema(spec, "Pet")["properties"]["status"] = {"$ref": f"#/components/schemas/{name}"}

    return mutated(change)


@pytest.mark.parametrize(
    "new_values,renamed",
    [
        (["available", "pending", "sold"], True),  # two of three members kept
        (["available", "pending", "sold", "adopted", "lost"], False),  # two of five: another enum
    ],
)
@pytest.mark.parametrize("nullable", [False, True])
def test_a_renamed_enum_is_matched_by_the_members_of_its_class_nullable_or_not(
    new_values: list[str], renamed: bool, nullable: bool
) -> None:
    """Null is no member of the generated enum class, so it does not make two enums more alike.

    Before, null counted as a value shared by both sides (three of six), so a nullable enum was taken for a
    renamed one where the same change to a non-nullable enum was a removed model and an added one.
    """
    old = _status(["available", "pending"], "PetStatus", nullable)
    new = _status(new_values, "PetState", nullable)
    found = [(finding.rule, finding.location) for finding in diff_specs(old, new)]
    assert (("model-renamed", "PetState") in found) is renamed, found
    assert (("model-removed", "PetStatus") in found) is not renamed, found


def _friend(name: str, fields: dict[str, Any], members: list[dict[str, Any]]) -> Spec:
    """The base spec with ``Pet.friend``: a union of model ``name`` (with ``fields``) and null, in that order."""

    def change(spec: Spec) -> None:
        spec["components"]["schemas"][name] = {"type": "object", "required": ["bark"], "properties": fields}
        schema(spec, "Pet")["properties"]["friend"] = {"anyOf": members}

    return mutated(change)


def test_a_renamed_model_is_found_where_its_union_lists_null_first_on_one_side() -> None:
    """``Hound | None`` whichever way the spec orders the union: the models at the same place are paired.

    Before, union members were paired by their place in the spec's ``anyOf``, so ``[null, Hound]`` against
    ``[Dog2, null]`` paired nothing and the renamed model was a removed one and an added one.
    """
    fields = {"bark": {"type": "string"}, "speed": {"type": "number"}}
    old = _friend("Hound", fields, [{"type": "null"}, {"$ref": "#/components/schemas/Hound"}])
    new = _friend(
        "Dog2", {**fields, "paws": {"type": "integer"}}, [{"$ref": "#/components/schemas/Dog2"}, {"type": "null"}]
    )
    found = [(finding.rule, finding.location) for finding in diff_specs(old, new)]
    assert ("model-renamed", "Dog2") in found, found
    assert ("model-removed", "Hound") not in found, found
