"""``clientgen diff`` rules: one mutation of a small base spec per case, its rule id and level."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from diff_cases import GOLDEN_DIFF, Spec, base, diff_specs, mutated, op, sample_markdown, schema, zoo, zoo_mutated

from generator.diff.rules import RULES, Level

PETS = "/pets"
PET = "/pets/{petId}"


def _remove(path: str, method: str | None = None) -> Callable[[Spec], None]:
    def change(spec: Spec) -> None:
        if method is None:
            del spec["paths"][path]
        else:
            del spec["paths"][path][method]

    return change


def _set(getter: Callable[[Spec], dict[str, Any]], **values: Any) -> Callable[[Spec], None]:
    def change(spec: Spec) -> None:
        getter(spec).update(values)

    return change


def _pet(spec: Spec) -> dict[str, Any]:
    return schema(spec, "Pet")


def _pet_props(spec: Spec) -> dict[str, Any]:
    result: dict[str, Any] = schema(spec, "Pet")["properties"]
    return result


def _new_pet_props(spec: Spec) -> dict[str, Any]:
    result: dict[str, Any] = schema(spec, "NewPet")["properties"]
    return result


def _list_params(spec: Spec) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = op(spec, PETS, "get")["parameters"]
    return result


def _add_param(parameter: dict[str, Any]) -> Callable[[Spec], None]:
    return lambda spec: _list_params(spec).append(parameter)


def _add_operation(spec: Spec) -> None:
    spec["paths"]["/pets/{petId}/photos"] = {
        "get": {
            "operationId": "listPhotos",
            "tags": ["pets"],
            "parameters": [{"name": "petId", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {"application/json": {"schema": {"type": "array", "items": {"type": "string"}}}},
                }
            },
        }
    }


def _move_pet_routes(spec: Spec) -> None:
    spec["paths"]["/animals/{petId}"] = spec["paths"].pop(PET)


def _header_auth(spec: Spec) -> None:
    spec["components"]["securitySchemes"]["bearer"] = {"type": "apiKey", "in": "header", "name": "X-API-Key"}


def _rename_key_absorbed(spec: Spec) -> None:
    text = json.dumps(spec).replace(
        '"#/components/schemas/Pet"', '"#/components/schemas/V1PetsGetResponsesContentApplicationJsonSchemaPet"'
    )
    data = json.loads(text)
    data["components"]["schemas"]["V1PetsGetResponsesContentApplicationJsonSchemaPet"] = data["components"][
        "schemas"
    ].pop("Pet")
    spec.clear()
    spec.update(data)


def _rename_key(spec: Spec) -> None:
    text = json.dumps(spec).replace('"#/components/schemas/Pet"', '"#/components/schemas/PetRecord"')
    data = json.loads(text)
    data["components"]["schemas"]["PetRecord"] = data["components"]["schemas"].pop("Pet")
    spec.clear()
    spec.update(data)


def _del_prop(getter: Callable[[Spec], dict[str, Any]], name: str) -> Callable[[Spec], None]:
    return lambda spec: getter(spec).pop(name)


def _unrequire(model: str, name: str) -> Callable[[Spec], None]:
    return lambda spec: schema(spec, model)["required"].remove(name)


def _require(model: str, name: str) -> Callable[[Spec], None]:
    return lambda spec: schema(spec, model)["required"].append(name)


# (case id, mutation, [(rule id, level)] expected, in order of the report)
CASES: list[tuple[str, Callable[[Spec], None], list[tuple[str, str]]]] = [
    # operations
    ("operation-removed", _remove(PET, "delete"), [("api-removed-without-deprecation", "breaking")]),
    ("deprecated-operation-removed", _remove("/stores"), [("api-path-removed-with-deprecation", "warning")]),
    ("operation-deprecated", _set(lambda s: op(s, PET, "get"), deprecated=True), [("endpoint-deprecated", "info")]),
    (
        "operation-deprecated-with-sunset",
        _set(lambda s: op(s, PET, "get"), deprecated=True, **{"x-sunset": "2027-01-01"}),
        [("endpoint-deprecated-with-sunset", "info")],
    ),
    (
        "operation-reactivated",
        _set(lambda s: op(s, "/stores", "get"), deprecated=False),
        [("endpoint-reactivated", "info")],
    ),
    ("operation-added", _add_operation, [("endpoint-added", "info")]),
    ("method-renamed", _set(lambda s: op(s, PET, "get"), operationId="fetchPet"), [("method-renamed", "breaking")]),
    ("route-changed", _move_pet_routes, [("endpoint-route-changed", "info"), ("endpoint-route-changed", "info")]),
    # parameters
    (
        "required-query-parameter-added",
        _add_param({"name": "owner", "in": "query", "required": True, "schema": {"type": "string"}}),
        [("new-required-request-parameter", "breaking")],
    ),
    (
        "optional-query-parameter-added",
        _add_param({"name": "sort", "in": "query", "schema": {"type": "string"}}),
        [("new-optional-request-parameter", "info")],
    ),
    (
        "optional-header-parameter-added",
        _add_param({"name": "X-Trace", "in": "header", "schema": {"type": "string"}}),
        [("new-optional-request-parameter", "info")],
    ),
    ("query-parameter-removed", lambda s: _list_params(s).pop(0), [("request-parameter-removed", "breaking")]),
    (
        "deprecated-parameter-removed",
        lambda s: _list_params(s).pop(1),
        [("request-parameter-removed-with-deprecation", "warning")],
    ),
    (
        "parameter-became-required",
        lambda s: _list_params(s)[0].update(required=True),
        [("request-parameter-became-required", "breaking")],
    ),
    (
        "parameter-type-changed",
        lambda s: _list_params(s)[0].update(schema={"type": "string"}),
        [("request-parameter-type-changed", "breaking")],
    ),
    (
        "parameter-type-widened",
        lambda s: _list_params(s)[0].update(schema={"type": "number"}),
        [("request-parameter-type-generalized", "info")],
    ),
    (
        "path-parameter-type-changed",
        lambda s: s["paths"][PET]["parameters"][0].update(schema={"type": "string"}),
        [("request-parameter-type-changed", "breaking"), ("request-parameter-type-changed", "breaking")],
    ),
    (
        "parameter-enum-value-removed",
        lambda s: _list_params(s)[1].update(schema={"type": "string", "enum": ["a", "b"]}),
        [("request-parameter-became-enum", "breaking")],
    ),
    # request bodies
    (
        "required-request-field-added",
        lambda s: (_new_pet_props(s).update(owner={"type": "string"}), schema(s, "NewPet")["required"].append("owner")),
        [("new-required-request-property", "breaking")],
    ),
    (
        "optional-request-field-added",
        lambda s: _new_pet_props(s).update(owner={"type": "string"}),
        [("new-optional-request-property", "info")],
    ),
    ("request-field-removed", _del_prop(_new_pet_props, "age"), [("request-property-removed", "breaking")]),
    ("request-field-became-required", _require("NewPet", "age"), [("request-property-became-required", "breaking")]),
    ("request-field-became-optional", _unrequire("NewPet", "name"), [("request-property-became-optional", "info")]),
    (
        "request-type-narrowed",
        lambda s: _new_pet_props(s).update(weight={"type": "integer"}),
        [("request-property-type-specialized", "breaking")],
    ),
    (
        "request-type-widened",
        lambda s: _new_pet_props(s).update(age={"type": "number"}),
        [("request-property-type-generalized", "info")],
    ),
    (
        "request-enum-value-removed",
        lambda s: _new_pet_props(s)["kind"]["enum"].remove("cat"),
        [("request-property-enum-value-removed", "breaking")],
    ),
    (
        "request-enum-value-added",
        lambda s: _new_pet_props(s)["kind"]["enum"].append("fish"),
        [("request-property-enum-value-added", "info")],
    ),
    (
        "request-body-became-optional",
        _set(lambda s: op(s, PETS, "post")["requestBody"], required=False),
        [("request-body-became-optional", "info")],
    ),
    (
        "request-body-added",
        _set(
            lambda s: op(s, PET, "delete"),
            requestBody={"content": {"application/json": {"schema": {"type": "string"}}}},
        ),
        [("request-body-added-optional", "info")],
    ),
    (
        "flattened-body-required-field-added",
        lambda s: op(s, "/orders", "post")["requestBody"]["content"]["application/json"]["schema"].update(
            properties={"item": {"type": "string"}, "quantity": {"type": "integer"}, "note": {"type": "string"}},
            required=["item", "note"],
        ),
        [("new-required-request-property", "breaking")],
    ),
    # responses
    (
        "response-enum-value-added",
        lambda s: schema(s, "PetStatus")["enum"].append("adopted"),
        [("response-property-enum-value-added", "warning")],
    ),
    (
        "response-enum-value-removed",
        lambda s: schema(s, "PetStatus")["enum"].remove("sold"),
        [("response-property-enum-value-removed", "info")],
    ),
    (
        "response-field-added",
        lambda s: _pet_props(s).update(color={"type": "string"}),
        [("response-optional-property-added", "info")],
    ),
    (
        "response-optional-field-removed",
        _del_prop(_pet_props, "tag"),
        [("response-optional-property-removed", "breaking")],
    ),
    (
        "response-required-field-removed",
        lambda s: (_pet_props(s).pop("name"), schema(s, "Pet")["required"].remove("name")),
        [("response-required-property-removed", "breaking")],
    ),
    ("response-field-became-optional", _unrequire("Pet", "name"), [("response-property-became-optional", "breaking")]),
    (
        "response-field-made-nullable",
        lambda s: _pet_props(s).update(name={"type": ["string", "null"]}),
        [("response-property-became-nullable", "breaking")],
    ),
    (
        "response-optional-field-made-nullable",
        lambda s: _pet_props(s).update(tag={"type": ["string", "null"]}),
        [("response-optional-property-became-nullable", "info")],
    ),
    (
        "response-type-widened",
        lambda s: _pet_props(s).update(id={"type": "number"}),
        [("response-property-type-generalized", "breaking")],
    ),
    (
        "response-type-narrowed",
        lambda s: _pet_props(s).update(weight={"type": "integer"}),
        [("response-property-type-specialized", "info")],
    ),
    (
        "success-status-changed",
        lambda s: op(s, PETS, "post")["responses"].update({"200": op(s, PETS, "post")["responses"].pop("201")}),
        [("response-success-status-changed", "warning")],
    ),
    (
        "response-kind-changed",
        lambda s: op(s, PET, "get")["responses"].update(
            {"200": {"description": "ok", "content": {"text/plain": {"schema": {"type": "string"}}}}}
        ),
        [("response-body-kind-changed", "breaking")],
    ),
    # a model used in both directions takes the worse level
    (
        "both-ways-field-made-nullable",
        lambda s: schema(s, "Owner")["properties"].update(name={"type": ["string", "null"]}),
        [("response-property-became-nullable", "breaking")],
    ),
    (
        "both-ways-required-field-added",
        lambda s: (schema(s, "Owner")["properties"].update(phone={"type": "string"}), _require("Owner", "phone")(s)),
        [("new-required-request-property", "breaking")],
    ),
    (
        "both-ways-optional-field-added",
        lambda s: schema(s, "Owner")["properties"].update(phone={"type": "string"}),
        [("new-optional-request-property", "info")],
    ),
    # models
    ("schema-key-renamed", _rename_key, [("model-renamed", "breaking")]),
    # auth, servers
    ("auth-changed", _header_auth, [("auth-changed", "breaking")]),
    (
        "servers-changed",
        lambda s: s.update(servers=[{"url": "https://api2.shop.example"}]),
        [("servers-changed", "warning")],
    ),
    (
        "server-added",
        lambda s: s["servers"].append({"url": "https://sandbox.shop.example"}),
        [("servers-list-changed", "info")],
    ),
    (
        "security-scheme-added",
        lambda s: s["components"]["securitySchemes"].update(key={"type": "apiKey", "in": "query", "name": "key"}),
        [("api-security-component-added", "info")],
    ),
]


@pytest.mark.parametrize("mutation,expected", [(case[1], case[2]) for case in CASES], ids=[case[0] for case in CASES])
def test_one_change_one_rule(mutation: Callable[[Spec], None], expected: list[tuple[str, str]]) -> None:
    findings = diff_specs(base(), mutated(mutation))
    assert [(finding.rule, finding.level.label) for finding in findings] == expected, "\n".join(map(str, findings))
    for finding in findings:
        assert RULES[finding.rule].level == finding.level


def test_a_value_added_to_a_single_value_enum_in_a_response_is_breaking() -> None:
    def with_species(*values: str) -> Spec:
        return mutated(lambda spec: _pet_props(spec).update(species={"type": "string", "enum": list(values)}))

    # One constant is a Literal, which refuses any other value: widening it breaks parsing.
    findings = diff_specs(with_species("dog"), with_species("dog", "cat"))
    assert ("response-property-closed-enum-value-added", "breaking") in [
        (finding.rule, finding.level.label) for finding in findings
    ]


def test_identical_specs_report_nothing() -> None:
    assert diff_specs(base(), base()) == []


def test_rename_only_in_the_rename_map_is_one_finding_with_a_suggestion() -> None:
    findings = diff_specs(base(), base(), None, {"Pet": "Animal"})
    assert [(finding.rule, finding.location) for finding in findings] == [("model-renamed", "Animal")]
    assert findings[0].suggestion.endswith("Pet: Pet")
    assert "Pet renamed to Animal" in findings[0].message


def test_machine_name_change_absorbed_by_the_rename_map_is_no_change() -> None:
    new = mutated(_rename_key_absorbed)
    assert diff_specs(base(), new, None, {"V1PetsGetResponsesContentApplicationJsonSchemaPet": "Pet"}) == []


def test_machine_name_change_absorbed_by_automatic_naming_is_no_change() -> None:
    # automatic naming keeps the meaningful tail of Fern-style keys
    new = mutated(_rename_key_absorbed)
    assert diff_specs(base(), new) == []


def test_schema_key_rename_suggests_the_rename_map_entry_that_keeps_the_old_name() -> None:
    findings = diff_specs(base(), mutated(_rename_key))
    assert findings[0].suggestion.endswith("PetRecord: Pet")


def test_renamed_and_changed_model_is_a_rename_plus_the_change() -> None:
    def change(spec: Spec) -> None:
        _rename_key(spec)
        schema(spec, "PetRecord")["properties"]["name"] = {"type": ["string", "null"]}

    findings = diff_specs(base(), mutated(change))
    assert {(finding.rule, finding.location) for finding in findings} == {
        ("model-renamed", "PetRecord"),
        ("response-property-became-nullable", "PetRecord.name"),
    }


def test_method_rename_names_both_methods() -> None:
    findings = diff_specs(base(), mutated(_set(lambda s: op(s, PET, "get"), operationId="fetchPet")))
    assert findings[0].location == "pets.fetch"
    assert "pets.get" in findings[0].message
    assert findings[0].route == "GET /pets/{petId}"


def test_locations_use_readable_names() -> None:
    findings = diff_specs(
        base(),
        mutated(
            lambda s: _list_params(s).append(
                {"name": "sortOrder", "in": "query", "required": True, "schema": {"type": "string"}}
            )
        ),
    )
    assert findings[0].location == "pets.list(sort_order)"


def test_levels_are_ordered_worst_first() -> None:
    findings = diff_specs(base(), mutated(lambda s: (_remove(PET, "delete")(s), _add_operation(s))))
    assert [finding.level for finding in findings] == sorted((finding.level for finding in findings), reverse=True)
    assert findings[0].level == Level.BREAKING


def test_markdown_report_matches_its_golden_file() -> None:
    want = (GOLDEN_DIFF / "sample.md").read_text()
    got = sample_markdown()
    if want != got:
        import difflib

        diff = "".join(
            difflib.unified_diff(want.splitlines(True), got.splitlines(True), "tests/golden_diff/sample.md", "rendered")
        )
        pytest.fail(
            "the Markdown report differs from its golden file (regenerate with tests/update_goldens.py):\n" + diff
        )


def test_rules_marked_as_oasdiff_use_oasdiff_ids_and_the_others_do_not() -> None:
    from support.paths import ROOT

    table = ROOT.parent / "shared" / "reference" / "oasdiff-rules.tsv"
    if not table.exists():
        pytest.skip(f"{table} is absent on this machine")
    oasdiff = {line.split("\t")[0] for line in table.read_text().splitlines()[1:] if line.strip()}
    marked = {rule.id for rule in RULES.values() if rule.oasdiff}
    assert sorted(marked - oasdiff) == []
    assert sorted({rule.id for rule in RULES.values() if not rule.oasdiff} & oasdiff) == []


# --- the one type model: allOf, constraints, integer enums, aliases, enum changes, renames --------


def _zoo(spec: Spec, name: str) -> dict[str, Any]:
    return schema(spec, name)


def _own(spec: Spec, name: str) -> dict[str, Any]:
    """The inline part of an allOf model."""
    result: dict[str, Any] = schema(spec, name)["allOf"][1]
    return result


def _status_items(spec: Spec) -> dict[str, Any]:
    result: dict[str, Any] = _list_params(spec)[2]["schema"]["items"]
    return result


def _to_alias(spec: Spec) -> None:
    spec["components"]["schemas"]["Companion"] = _pet_props(spec)["companion"]
    _pet_props(spec)["companion"] = {"$ref": "#/components/schemas/Companion"}


def _swap_hound_for(name: str, content: dict[str, Any]) -> Callable[[Spec], None]:
    def change(spec: Spec) -> None:
        del spec["components"]["schemas"]["Hound"]
        spec["components"]["schemas"][name] = content
        _pet_props(spec)["companion"]["oneOf"][1] = {"$ref": f"#/components/schemas/{name}"}

    return change


# (case id, mutation of the zoo spec, [(rule id, level, location)] expected, in order of the report)
TYPE_MODEL_CASES: list[tuple[str, Callable[[Spec], None], list[tuple[str, str, str]]]] = [
    # allOf: the child's own fields, and the parent's fields reported once, at the parent
    (
        "allof-child-required-field-removed",
        lambda s: (_own(s, "Dog")["properties"].pop("breed"), _own(s, "Dog").pop("required")),
        [("response-required-property-removed", "breaking", "Dog.breed")],
    ),
    (
        "allof-child-field-type-changed",
        lambda s: _own(s, "Dog")["properties"].update(breed={"type": "integer"}),
        [("response-property-type-changed", "breaking", "Dog.breed")],
    ),
    (
        "allof-child-request-field-became-required",
        lambda s: _own(s, "NewDog").update(required=["breed"]),
        [("request-property-became-required", "breaking", "NewDog.breed")],
    ),
    (
        "allof-parent-field-removed",
        _del_prop(_pet_props, "tag"),
        [("response-optional-property-removed", "breaking", "Pet.tag")],
    ),
    (
        "allof-parent-request-field-became-required",
        _require("NewPet", "age"),
        [("request-property-became-required", "breaking", "NewPet.age")],
    ),
    (
        "allof-child-makes-inherited-field-required",
        lambda s: _own(s, "NewDog").update(required=["age"]),
        [("request-property-became-required", "breaking", "NewDog.age")],
    ),
    # constraints: a request breaks when it narrows, a response when it widens
    (
        "request-max-length-set",
        lambda s: _new_pet_props(s)["name"].update(maxLength=20),
        [("request-property-max-length-set", "breaking", "NewPet.name")],
    ),
    (
        "request-max-length-lowered",
        lambda s: _new_pet_props(s)["name"].update(maxLength=20),
        [("request-property-max-length-set", "breaking", "NewPet.name")],
    ),
    (
        "request-minimum-raised",
        lambda s: _new_pet_props(s)["age"].update(minimum=1),
        [("request-property-min-set", "breaking", "NewPet.age")],
    ),
    (
        "request-pattern-added",
        lambda s: _new_pet_props(s)["name"].update(pattern="^[a-z]+$"),
        [("request-property-pattern-added", "breaking", "NewPet.name")],
    ),
    (
        "request-format-added",
        lambda s: _new_pet_props(s)["name"].update(format="uuid"),
        [("request-property-format-added", "breaking", "NewPet.name")],
    ),
    ("request-unvalidated-format-added", lambda s: _new_pet_props(s)["name"].update(format="password"), []),
    (
        "parameter-maximum-set",
        lambda s: _list_params(s)[0]["schema"].update(maximum=100),
        [("request-parameter-max-set", "breaking", "pets.list(limit)")],
    ),
    (
        "response-max-length-set",
        lambda s: _pet_props(s)["name"].update(maxLength=20),
        [("response-property-max-length-set", "info", "Pet.name")],
    ),
    (
        "response-pattern-added",
        lambda s: _pet_props(s)["name"].update(pattern="^[a-z]+$"),
        [("response-property-pattern-added", "info", "Pet.name")],
    ),
    # integer enums are closed (IntEnum): a new value in a response breaks parsing; in a request it is info
    # Integer enums are open (OpenIntEnum): a new value parses, so it is a warning like a string enum's.
    (
        "response-integer-enum-value-added",
        lambda s: _pet_props(s)["level"]["enum"].append(3),
        # Pet.level and NewPet.size shared one enum class (identical inline enums): they part, and NewPet's is new.
        [("response-property-enum-value-added", "warning", "Pet.level"), ("model-added", "info", "NewDogSize")],
    ),
    (
        "request-integer-enum-value-added",
        lambda s: _new_pet_props(s)["size"]["enum"].append(3),
        [("model-added", "info", "NewDogSize"), ("request-property-enum-value-added", "info", "NewPet.size")],
    ),
    (
        "request-integer-enum-value-removed",
        lambda s: _new_pet_props(s)["size"]["enum"].remove(2),
        [("request-property-enum-value-removed", "breaking", "NewPet.size")],
    ),
    # types as the type model gives them (what api.txt and the models say): a binary string is bytes, no longer str
    (
        "response-field-became-binary",
        lambda s: _pet_props(s)["name"].update(format="binary"),
        [("response-property-type-changed", "breaking", "Pet.name")],
    ),
    # aliases: an inline union moved into a named alias changes no field's type, but the alias is a new public name
    ("union-moved-into-alias", _to_alias, [("model-added", "info", "Companion")]),
    # one finding per change per place, at the place the user sees
    (
        "query-enum-values-added-and-removed",
        lambda s: _status_items(s).update(enum=["available", "sold", "adopted", "lost"]),
        [("request-parameter-enum-value-removed", "breaking", "pets.list(status)")],
    ),
    (
        "hoisted-response-enum-values-added",
        lambda s: _new_pet_props(s)["kind"]["enum"].extend(["fish", "frog"]),
        [("request-property-enum-value-added", "info", "NewPet.kind")],
    ),
    # rename matching needs structural similarity, not only the same position
    (
        "unrelated-model-at-same-position",
        _swap_hound_for(
            "Invoice",
            {
                "type": "object",
                "required": ["total"],
                "properties": {"total": {"type": "number"}, "currency": {"type": "string"}},
            },
        ),
        [
            ("response-property-type-changed", "breaking", "Pet.companion"),
            ("model-removed", "warning", "Hound"),
            ("model-added", "info", "Invoice"),
        ],
    ),
    (
        "similar-model-at-same-position",
        _swap_hound_for(
            "Dog2",
            {
                "type": "object",
                "required": ["bark"],
                "properties": {"bark": {"type": "string"}, "speed": {"type": "number"}, "paws": {"type": "integer"}},
            },
        ),
        [("model-renamed", "breaking", "Dog2"), ("response-optional-property-added", "info", "Dog2.paws")],
    ),
]


@pytest.mark.parametrize(
    "mutation,expected", [(case[1], case[2]) for case in TYPE_MODEL_CASES], ids=[case[0] for case in TYPE_MODEL_CASES]
)
def test_type_model_change_has_one_finding_with_rule_level_and_location(
    mutation: Callable[[Spec], None], expected: list[tuple[str, str, str]]
) -> None:
    findings = diff_specs(zoo(), zoo_mutated(mutation))
    assert [(finding.rule, finding.level.label, finding.location) for finding in findings] == expected, "\n".join(
        map(str, findings)
    )


def test_identical_zoo_specs_report_nothing() -> None:
    assert diff_specs(zoo(), zoo()) == []


def test_an_enum_change_lists_the_values_added_and_removed() -> None:
    findings = diff_specs(
        zoo(), zoo_mutated(lambda s: _status_items(s).update(enum=["available", "sold", "adopted", "lost"]))
    )
    assert [(finding.added, finding.removed) for finding in findings] == [(('"adopted"', '"lost"'), ('"pending"',))]


def _sort_parameter(sort: dict[str, Any]) -> Callable[[Spec], None]:
    return lambda spec: op(spec, "/pets", "get")["parameters"].append({"name": "sort", "in": "query", "schema": sort})


def test_enums_and_constants_compare_as_the_literal_the_generated_code_has() -> None:
    """An enum and a union of constants are one ``Literal``; a constant changed is a value changed, not a type."""
    enum = mutated(_sort_parameter({"type": "string", "enum": ["name", "age"]}))
    constants = mutated(_sort_parameter({"anyOf": [{"const": "name"}, {"const": "age"}]}))
    assert diff_specs(enum, constants) == []
    assert diff_specs(constants, enum) == []
    findings = diff_specs(constants, mutated(_sort_parameter({"anyOf": [{"const": "name"}, {"const": "size"}]})))
    assert [(finding.rule, finding.level.label, finding.added, finding.removed) for finding in findings] == [
        ("request-parameter-enum-value-removed", "breaking", ('"size"',), ('"age"',))
    ]
    one = mutated(_sort_parameter({"const": "name"}))
    assert diff_specs(one, mutated(_sort_parameter({"type": "string", "enum": ["name"]}))) == []
    findings = diff_specs(one, mutated(_sort_parameter({"const": "age"})))
    assert [(finding.rule, finding.message) for finding in findings] == [
        ("request-parameter-enum-value-removed", 'added "age"; removed "name"')
    ]


def test_an_enum_no_literal_can_hold_still_reports_its_values() -> None:
    """The code types an enum of fractions as ``float``; the server still refuses a value the spec no longer lists."""
    before = mutated(_sort_parameter({"type": "number", "enum": [1.5, 2.5, 3.5]}))
    findings = diff_specs(before, mutated(_sort_parameter({"type": "number", "enum": [1.5, 2.5]})))
    assert [(finding.rule, finding.removed) for finding in findings] == [
        ("request-parameter-enum-value-removed", ("3.5",))
    ]


def test_a_type_change_is_described_as_the_generated_code_types_it() -> None:
    findings = diff_specs(zoo(), zoo_mutated(lambda s: _pet_props(s)["name"].update(format="binary")))
    assert [finding.message for finding in findings] == ["type changed from str to bytes"]
    findings = diff_specs(
        zoo(), zoo_mutated(lambda s: _pet_props(s).update(nickname={"type": ["string", "null"], "format": "date-time"}))
    )
    assert [finding.message for finding in findings] == ["new optional field nickname: datetime | None"]
