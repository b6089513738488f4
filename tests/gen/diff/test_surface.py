"""``clientgen diff`` speaks of the generated client: every public name, one finding per change, where it reaches.

One test per cause the history evaluation found (issue 25): a field inherited
through ``allOf`` by a child class, a shared (de-duplicated) schema renamed,
aliases and ``Literal`` aliases, a field whose type, nullability and
requiredness change at once, and a model no method uses.
"""

from __future__ import annotations

from typing import Any

from diff_cases import Spec, diff_specs, mutated, schema, zoo_mutated

from generator.diff.report import SpecReport, render_markdown, render_text


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _with_beta_dog(spec: Spec, dog_requires_tag: bool) -> None:
    """A grandchild: BetaDog inherits Dog's fields (and Pet's through Dog); getDog returns either."""
    schemas = spec["components"]["schemas"]
    schemas["BetaDog"] = {
        "allOf": [_ref("Dog"), {"type": "object", "properties": {"beta": {"type": "boolean"}}}],
    }
    response = spec["paths"]["/dogs/{dogId}"]["get"]["responses"]["200"]["content"]["application/json"]
    response["schema"] = {"oneOf": [_ref("Dog"), _ref("BetaDog")]}
    schemas["Dog"]["allOf"][1]["required"] = ["breed", "tag"] if dog_requires_tag else ["breed"]


def test_an_inherited_field_change_is_reported_once_and_names_the_child_classes_it_reaches() -> None:
    findings = diff_specs(
        zoo_mutated(lambda spec: _with_beta_dog(spec, True)), zoo_mutated(lambda spec: _with_beta_dog(spec, False))
    )
    assert [(finding.rule, finding.location) for finding in findings] == [
        ("response-property-became-optional", "Dog.tag")
    ]
    # BetaDog is a class of its own whose tag became optional too: the finding says so.
    assert findings[0].reaches == ("dogs.get", "BetaDog")
    assert findings[0].use == "response"


def test_a_parent_field_change_reaches_the_methods_of_its_children() -> None:
    findings = diff_specs(
        zoo_mutated(lambda spec: None), zoo_mutated(lambda spec: schema(spec, "Pet")["properties"].update(tag=_int()))
    )
    assert [(finding.rule, finding.location) for finding in findings] == [("response-property-type-changed", "Pet.tag")]
    assert "dogs.get" in findings[0].reaches and "Dog" in findings[0].reaches


def _int() -> dict[str, Any]:
    return {"type": "integer"}


def _shared_summaries(spec: Spec, owner_key: str = "owner_summary") -> None:
    """Two machine-named identical schemas: the naming merges them into one class, OwnerSummary."""
    schemas = spec["components"]["schemas"]
    content = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}
    schemas[owner_key] = dict(content)
    schemas["pet_owner_summary"] = dict(content)
    schemas["Owner"]["properties"]["summary"] = _ref(owner_key)
    schemas["Pet"]["properties"]["owner"] = _ref("pet_owner_summary")


def test_renaming_one_of_two_merged_schemas_is_one_rename_naming_every_place_it_reaches() -> None:
    findings = diff_specs(mutated(_shared_summaries), mutated(lambda spec: _shared_summaries(spec, "OwnerSummaryV2")))
    assert [(finding.rule, finding.location, finding.message) for finding in findings] == [
        ("model-renamed", "OwnerSummaryV2", "model OwnerSummary renamed to OwnerSummaryV2")
    ]
    # One class serves both owners and pets: the rename reaches the methods of both.
    assert findings[0].reaches == ("owners.put", "pets.create", "pets.get", "pets.list")
    assert findings[0].use == "both"


def _with_aliases(spec: Spec, id_alias: str = "PetId", modes: tuple[str, ...] = ("fast",)) -> None:
    schemas = spec["components"]["schemas"]
    schemas[id_alias] = {"type": "integer"}
    schemas["Pet"]["properties"]["id"] = _ref(id_alias)
    schemas["Mode"] = {"type": "string", "enum": list(modes)}  # one value: Mode = Literal["fast"]
    schemas["NewPet"]["properties"]["mode"] = _ref("Mode")


def test_an_alias_renamed_is_a_breaking_rename_of_a_public_name() -> None:
    findings = diff_specs(mutated(_with_aliases), mutated(lambda spec: _with_aliases(spec, "PetIdentifier")))
    assert [(finding.rule, finding.level.label, finding.message) for finding in findings] == [
        ("model-renamed", "breaking", "alias PetId renamed to PetIdentifier")
    ]
    assert findings[0].suggestion == "to keep the old name, add to the rename map: PetIdentifier: PetId"


def test_aliases_and_literal_aliases_added_and_removed_are_reported() -> None:
    def without(spec: Spec) -> None:
        _with_aliases(spec)
        schemas = spec["components"]["schemas"]
        schemas["Pet"]["properties"]["id"] = {"type": "integer"}
        del schemas["PetId"]
        del schemas["NewPet"]["properties"]["mode"]
        del schemas["Mode"]

    findings = diff_specs(mutated(_with_aliases), mutated(without))
    found = {(finding.rule, finding.location, finding.message) for finding in findings}
    assert ("model-removed", "PetId", "alias PetId removed") in found
    assert ("model-removed", "Mode", "alias Mode removed") in found
    added = diff_specs(mutated(without), mutated(_with_aliases))
    assert {(finding.rule, finding.location) for finding in added} >= {
        ("model-added", "PetId"),
        ("model-added", "Mode"),
    }


def test_a_field_whose_type_nullability_and_requiredness_change_at_once_is_one_finding() -> None:
    def change(spec: Spec) -> None:
        pet = schema(spec, "Pet")
        pet["properties"]["name"] = {"type": ["integer", "null"]}
        pet["required"].remove("name")

    findings = diff_specs(mutated(lambda spec: None), mutated(change))
    assert len(findings) == 1
    (finding,) = findings
    assert (finding.rule, finding.location, finding.level.label) == (
        "response-property-type-changed",
        "Pet.name",
        "breaking",
    )
    assert finding.facets == (
        "response-property-type-changed",
        "response-property-became-nullable",
        "response-property-became-optional",
    )
    assert finding.message == "type changed from str to int | None; may now be null; field name became optional"
    assert finding.to_json()["facets"] == list(finding.facets)


def test_an_argument_whose_type_and_requiredness_change_is_one_finding() -> None:
    def change(spec: Spec) -> None:
        spec["paths"]["/pets"]["get"]["parameters"][0].update(required=True, schema={"type": "string"})

    findings = diff_specs(mutated(lambda spec: None), mutated(change))
    assert [(finding.rule, finding.location, finding.facets) for finding in findings] == [
        (
            "request-parameter-type-changed",
            "pets.list(limit)",
            ("request-parameter-type-changed", "request-parameter-became-required"),
        )
    ]


def _orphan(field: dict[str, Any]) -> Any:
    def change(spec: Spec) -> None:
        spec["components"]["schemas"]["Orphan"] = {"type": "object", "properties": {"a": field}}

    return change


def test_a_model_no_method_uses_says_so() -> None:
    findings = diff_specs(mutated(_orphan({"type": "string"})), mutated(_orphan({"type": "integer"})))
    assert [(finding.location, finding.use, finding.reaches) for finding in findings] == [("Orphan.a", "unused", ())]
    report = SpecReport("shop", "main:spec/shop.json", "spec/shop.json", tuple(findings), "")
    assert "used by no method" in render_text([report])
    assert "used by no method" in render_markdown([report])


def test_a_model_row_names_the_methods_it_reaches() -> None:
    findings = diff_specs(
        mutated(lambda spec: None), mutated(lambda spec: schema(spec, "NewPet")["required"].append("age"))
    )
    assert [(finding.location, finding.use, finding.reaches) for finding in findings] == [
        ("NewPet.age", "request", ("pets.create",))
    ]
    report = SpecReport("shop", "main:spec/shop.json", "spec/shop.json", tuple(findings), "")
    assert "reaches `pets.create` (request)" in render_markdown([report])


def _multipart_upload(spec: Spec, with_caption: bool) -> None:
    """A multipart body model: the method takes its fields as keyword arguments, no argument names the model."""
    upload: dict[str, Any] = {
        "type": "object",
        "required": ["file"],
        "properties": {"file": {"type": "string", "format": "binary"}},
    }
    if with_caption:
        upload["properties"]["caption"] = {"type": "string"}
    spec["components"]["schemas"]["PhotoUpload"] = upload
    spec["paths"]["/pets/{petId}/photos"] = {
        "post": {
            "operationId": "uploadPhoto",
            "tags": ["pets"],
            "parameters": [{"name": "petId", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": _ref("PhotoUpload")}}},
            "responses": {"204": {"description": "stored"}},
        }
    }


def test_a_body_model_taken_as_keyword_arguments_is_used_by_its_method() -> None:
    findings = diff_specs(
        mutated(lambda spec: _multipart_upload(spec, False)), mutated(lambda spec: _multipart_upload(spec, True))
    )
    assert [(finding.location, finding.use, finding.reaches) for finding in findings] == [
        ("PhotoUpload.caption", "request", ("pets.upload_photo",))
    ]


def _tagged_names(spec: Spec, component: bool) -> None:
    """An array alias whose item is inline (hoisted as TagListItem) or the component TagListItem: the same class."""
    item = {"type": "object", "required": ["label"], "properties": {"label": {"type": "string"}}}
    schemas = spec["components"]["schemas"]
    if component:
        schemas["TagListItem"] = item
    schemas["TagList"] = {"type": "array", "items": _ref("TagListItem") if component else item}
    schemas["Pet"]["properties"]["tags"] = _ref("TagList")


def test_an_inline_schema_moved_into_components_under_its_hoisted_name_is_no_change() -> None:
    assert (
        diff_specs(mutated(lambda spec: _tagged_names(spec, False)), mutated(lambda spec: _tagged_names(spec, True)))
        == []
    )


def _created_pet_response(spec: Spec) -> None:
    """createPet returns an inline child of Pet (allOf Pet plus a token): a class hoisted from the response."""
    spec["paths"]["/pets"]["post"]["responses"]["201"]["content"]["application/json"]["schema"] = {
        "allOf": [_ref("Pet"), {"type": "object", "required": ["token"], "properties": {"token": {"type": "string"}}}]
    }


def test_a_parent_field_change_is_not_repeated_where_an_inline_child_is_returned() -> None:
    def change(spec: Spec) -> None:
        _created_pet_response(spec)
        schema(spec, "PetStatus")["enum"].append("adopted")
        schema(spec, "Pet")["properties"]["tag"] = {"type": "integer"}

    findings = diff_specs(mutated(_created_pet_response), mutated(change))
    assert [(finding.rule, finding.location) for finding in findings] == [
        ("response-property-type-changed", "Pet.tag"),
        ("response-property-enum-value-added", "PetStatus"),
    ]
    assert "pets.create" in findings[0].reaches


def _nullable_owner(spec: Spec) -> None:
    """Pet.owner wraps the Owner class the way 3.0 specs make a reference nullable: allOf of one $ref."""
    schema(spec, "Pet")["properties"]["owner"] = {"allOf": [_ref("Owner")], "nullable": True}


def test_a_change_in_a_model_referenced_through_a_one_member_allof_is_reported_once_at_the_model() -> None:
    def change(spec: Spec) -> None:
        _nullable_owner(spec)

    old = mutated(_nullable_owner)
    old["openapi"] = "3.0.3"
    new = mutated(change)
    new["openapi"] = "3.0.3"
    new["components"]["schemas"]["Owner"]["properties"]["name"] = {"type": "string", "nullable": True}
    findings = diff_specs(old, new)
    assert [(finding.rule, finding.location) for finding in findings] == [
        ("response-property-became-nullable", "Owner.name")
    ]
    assert findings[0].reaches == ("owners.put", "pets.create", "pets.get", "pets.list")


def _version_header(version: str) -> Any:
    """One component parameter every method takes: an API version header with one allowed value."""

    def change(spec: Spec) -> None:
        spec["components"]["parameters"] = {
            "Version": {
                "name": "Api-Version",
                "in": "header",
                "required": True,
                "schema": {"type": "string", "enum": [version]},
            }
        }
        for item in spec["paths"].values():
            for operation in item.values():
                if isinstance(operation, dict) and "responses" in operation:
                    operation.setdefault("parameters", []).append({"$ref": "#/components/parameters/Version"})

    return change


def test_a_shared_parameter_changed_is_one_finding_naming_every_method() -> None:
    findings = diff_specs(mutated(_version_header("2025-01-01")), mutated(_version_header("2026-01-01")))
    assert [(finding.rule, finding.location, finding.use) for finding in findings] == [
        ("request-parameter-enum-value-removed", "*(api_version)", "request")  # Literal["2025-01-01"] → ["2026-01-01"]
    ]
    assert findings[0].reaches == (
        "orders.create",
        "owners.put",
        "pets.create",
        "pets.delete",
        "pets.get",
        "pets.list",
        "stores.list",
    )
    assert findings[0].source == "/components/parameters/Version"


def _paged_owners(spec: Spec, with_total: bool) -> None:
    """A cursor-paginated list: the method returns a page of Owner, the page model only parses the body."""
    page: dict[str, Any] = {
        "type": "object",
        "required": ["data"],
        "properties": {"data": {"type": "array", "items": _ref("Owner")}, "next_cursor": {"type": ["string", "null"]}},
    }
    if with_total:
        page["properties"]["total"] = {"type": "integer"}
    spec["components"]["schemas"]["OwnerPage"] = page
    spec["paths"]["/owners"] = {
        "get": {
            "operationId": "listOwners",
            "tags": ["owners"],
            "parameters": [{"name": "cursor", "in": "query", "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": _ref("OwnerPage")}}}},
        }
    }


def test_a_page_model_is_used_by_its_paginated_method() -> None:
    findings = diff_specs(
        mutated(lambda spec: _paged_owners(spec, False)), mutated(lambda spec: _paged_owners(spec, True))
    )
    assert [(finding.rule, finding.location, finding.use, finding.reaches) for finding in findings] == [
        ("response-optional-property-added", "OwnerPage.total", "response", ("owners.list",))
    ]


def _inline_list(tag: str, item: str) -> dict[str, Any]:
    """A list method returning an inline page object: hoisted as ListResponse, or ListResponse2 when taken."""
    return {
        "get": {
            "operationId": f"{tag.title()}_list",
            "tags": [tag],
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "data": {"type": "array", "items": _ref(item)},
                                    "total": {"type": "integer"},
                                },
                            }
                        }
                    },
                }
            },
        }
    }


def test_a_hoisted_class_renamed_because_another_takes_its_name_is_a_breaking_rename() -> None:
    def before(spec: Spec) -> None:
        spec["paths"]["/owners"] = _inline_list("owners", "Owner")

    def after(spec: Spec) -> None:
        before(spec)
        spec["paths"]["/animals"] = _inline_list("animals", "Pet")  # sorts first: takes ListResponse

    findings = diff_specs(mutated(before), mutated(after))
    renames = [finding for finding in findings if finding.rule == "model-renamed"]
    assert [(finding.location, finding.level.label, finding.message, finding.reaches) for finding in renames] == [
        ("ListResponse2", "breaking", "model ListResponse renamed to ListResponse2", ("owners.list",))
    ]


def _with_mood(spec: Spec, second_model: bool) -> None:
    """Pet.mood is an inline enum (class PetMood); an identical inline enum in NewPet shares the class, NewPetMood."""
    mood = {"type": "string", "enum": ["calm", "playful"]}
    schema(spec, "Pet")["properties"]["mood"] = dict(mood)
    if second_model:
        schema(spec, "NewPet")["properties"]["mood"] = dict(mood)


def test_a_shared_hoisted_enum_renamed_by_de_duplication_is_reported() -> None:
    findings = diff_specs(mutated(lambda spec: _with_mood(spec, False)), mutated(lambda spec: _with_mood(spec, True)))
    assert [(finding.rule, finding.location, finding.message) for finding in findings] == [
        ("model-renamed", "NewPetMood", "enum PetMood renamed to NewPetMood"),
        (
            "new-optional-request-property",
            "NewPet.mood",
            "new optional field mood: NewPetMood; the keyword argument pets.create(mood)",
        ),
    ]


def _draft_species(returned: bool) -> Any:
    """NewPet.species is a constant; a method returning NewPet opens it (Literal["dog"] | str) in the models."""

    def change(spec: Spec) -> None:
        schema(spec, "NewPet")["properties"]["species"] = {"type": "string", "const": "dog"}
        if returned:
            spec["paths"]["/drafts/{draftId}"] = {
                "get": {
                    "operationId": "getDraft",
                    "tags": ["drafts"],
                    "parameters": [{"name": "draftId", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": _ref("NewPet")}}}
                    },
                }
            }

    return change


def test_a_literal_that_opens_or_closes_with_a_response_use_is_reported() -> None:
    opened = diff_specs(mutated(_draft_species(False)), mutated(_draft_species(True)))
    assert [(finding.rule, finding.location, finding.level.label, finding.message) for finding in opened] == [
        (
            "literal-opened",
            "NewPet.species",
            "info",
            'type Literal["dog"] → Literal["dog"] | str: its model is now returned by a method',
        ),
        ("endpoint-added", "drafts.get", "info", "new method drafts.get"),
    ]
    closed = diff_specs(mutated(_draft_species(True)), mutated(_draft_species(False)))
    assert [(finding.rule, finding.location, finding.level.label) for finding in closed] == [
        ("literal-closed", "NewPet.species", "breaking"),
        ("api-path-removed-without-deprecation", "drafts.get", "breaking"),
    ]


def _with_chat(spec: Spec, seed_type: str) -> None:
    """An untagged endpoint alone under /chat, named chat: a method of the client itself (``client.chat``)."""
    spec["components"]["schemas"]["Reply"] = {"type": "object", "properties": {"seed": {"type": seed_type}}}
    spec["paths"]["/chat"] = {
        "post": {
            "operationId": "chat",
            "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": _ref("Reply")}}}},
        }
    }


def test_a_method_of_the_client_itself_is_named_as_it_is_called() -> None:
    findings = diff_specs(
        mutated(lambda spec: _with_chat(spec, "integer")), mutated(lambda spec: _with_chat(spec, "string"))
    )
    assert [(finding.location, finding.reaches) for finding in findings] == [("Reply.seed", ("chat",))], findings


def test_a_body_model_field_change_names_the_keyword_argument_it_is() -> None:
    """A body model's properties are its method's keyword arguments: the one finding at the model names the
    argument (issue 19, point 8); a model that is no keyword body (a response model) names none."""
    findings = diff_specs(
        mutated(lambda spec: None),
        mutated(
            lambda spec: (
                schema(spec, "NewPet")["required"].append("age"),
                schema(spec, "Pet")["required"].append("tag"),
            )
        ),
    )
    found = {finding.location: finding.message for finding in findings}
    assert found["NewPet.age"] == "field age became required; the keyword argument pets.create(age)"
    assert "keyword" not in found["Pet.tag"]
