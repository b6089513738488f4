"""Discriminator mappings (issue 20 point 2): each tag names a schema that exists and, on a union, a member."""

from __future__ import annotations

from typing import Any

import pytest

from generator.discriminators import problems

CAT = {"type": "object", "properties": {"kind": {"type": "string"}}}


def document(pet: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "components": {"schemas": {"Pet": pet, "Cat": CAT, "Dog": CAT, "Bird": CAT, "a/b": CAT}},
        "paths": {"/p": {"get": {"responses": {"200": {"content": {"application/json": {"schema": pet}}}}}}},
    }


UNION = {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}]}


@pytest.mark.parametrize(
    "mapping",
    [
        {"cat": "Cat", "dog": "#/components/schemas/Dog"},
        {},
    ],
)
def test_a_mapping_to_the_unions_members_passes(mapping: dict[str, Any]) -> None:
    assert problems(document({**UNION, "discriminator": {"propertyName": "kind", "mapping": mapping}})) == []


def test_a_mapping_without_a_union_may_name_any_schema() -> None:
    """allOf inheritance: the discriminator sits on the parent, the children name it."""
    pet = {
        **CAT,
        "discriminator": {"propertyName": "kind", "mapping": {"bird": "Bird", "ab": "#/components/schemas/a~1b"}},
    }
    assert problems(document(pet)) == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Dgo", "discriminator mapping 'dog': 'Dgo' names no schema of this document (did you mean 'Dog'?)"),
        (
            "#/components/schemas/Dgo",
            "'#/components/schemas/Dgo' names no schema of this document (did you mean 'Dog'?)",
        ),
        ("#/info", "'#/info' names no schema of this document"),
        ("Bird", "'Bird' is not one of the schemas the union lists (Cat, Dog)"),
        (7, "discriminator mapping 'dog': must name a schema, not the number 7"),
    ],
)
def test_a_bad_mapping_is_located_at_its_entry(value: Any, message: str) -> None:
    pet = {**UNION, "discriminator": {"propertyName": "kind", "mapping": {"cat": "Cat", "dog": value}}}
    found = problems(document(pet))
    # The component and the same schema inline in the operation: each located where it is written.
    assert [pointer for _, pointer in found] == [
        "/paths/~1p/get/responses/200/content/application~1json/schema/discriminator/mapping/dog",
        "/components/schemas/Pet/discriminator/mapping/dog",
    ] or [pointer for _, pointer in found] == [
        "/components/schemas/Pet/discriminator/mapping/dog",
        "/paths/~1p/get/responses/200/content/application~1json/schema/discriminator/mapping/dog",
    ]
    assert all(text == message or text.endswith(message) for text, _ in found), found
