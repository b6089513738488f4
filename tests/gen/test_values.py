"""Value definitions: each place of a spec typed once in the schema stage, with its constraints as one record."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from diff_cases import analysis_of, base, diff_specs, mutated, op, schema

from generator.config import client_config
from generator.load import load_document
from generator.naming.rename_map import RenameMap
from generator.pipeline import analyse
from generator.typemodel import ListOf, Primitive
from generator.values import Constraints, constraints_of, field_arguments, value_of


def test_constraints_keep_every_bound_as_declared_whatever_pydantic_checks() -> None:
    """A date-time's length and an object's property count are constraints the server checks even where a
    pydantic field cannot (before, they existed only as the ``Field`` arguments of model fields)."""
    when = constraints_of({"type": "string", "format": "date-time", "maxLength": 30, "minLength": 1})
    assert (when.bound("maxLength"), when.bound("minLength"), when.format) == (30, 1, "date-time")
    assert field_arguments(when) == ()  # a datetime has no length
    counted = constraints_of({"type": "object", "minProperties": 1, "maxProperties": 3})
    assert (counted.bound("minProperties"), counted.bound("maxProperties")) == (1, 3)
    assert field_arguments(counted) == ()


def test_field_arguments_are_what_pydantic_can_check() -> None:
    assert field_arguments(constraints_of({"type": "string", "maxLength": 5, "pattern": "^a"})) == (
        ("max_length", 5),
        ("pattern", "^a"),
    )
    assert field_arguments(constraints_of({"type": "string", "pattern": "\\p{L}+"})) == ()  # ECMA only
    assert field_arguments(constraints_of({"type": "number", "maximum": float("inf"), "minimum": 0})) == (("ge", 0),)
    assert field_arguments(constraints_of({"type": ["array", "null"], "maxItems": 2})) == (("max_length", 2),)
    assert field_arguments(constraints_of({"type": "integer", "exclusiveMinimum": True})) == ()  # 3.0's flag
    assert constraints_of({"type": "string"}) == Constraints(kinds=frozenset({"string"}))


def test_a_value_holds_its_type_and_the_places_inside_it() -> None:
    value = value_of({"type": "array", "maxItems": 3, "items": {"type": "string", "maxLength": 8}})
    assert value.type == ListOf(Primitive("str"))
    assert value.items is not None and value.items.constraints.bound("maxLength") == 8
    assert value.constraints.bound("maxItems") == 3
    assert value_of({"enum": [0.5, 1.5, None]}).enum == (0.5, 1.5, None)


def _analysis_with(change: Any) -> Any:
    spec = copy.deepcopy(base())
    change(spec)
    return analysis_of(spec)


def test_parameters_bodies_and_models_have_their_values() -> None:
    def change(spec: dict[str, Any]) -> None:
        op(spec, "/pets", "get")["parameters"][0]["schema"] = {"type": "integer", "maximum": 100}
        schema(spec, "Pet")["minProperties"] = 1

    analysis = _analysis_with(change)
    arguments = analysis.schemas.operations["GET /pets"].arguments
    assert arguments.parameters[("query", "limit")].value.constraints.bound("maximum") == 100
    assert analysis.schemas.values["Pet"].constraints.bound("minProperties") == 1


def test_the_diff_reads_a_parameters_bound_from_its_record() -> None:
    def limit(maximum: int) -> Any:
        def change(spec: dict[str, Any]) -> None:
            op(spec, "/pets", "get")["parameters"][0]["schema"] = {"type": "integer", "maximum": maximum}

        return mutated(change)

    found = {(finding.rule, finding.location) for finding in diff_specs(limit(100), limit(50))}
    assert any(rule.startswith("request-parameter-max-decreased") for rule, _ in found), found


def test_body_arguments_are_records_with_their_constraints() -> None:
    """A flattened body's properties are argument records carrying what the schema asks of each (a bound the
    server checks is no longer lost once the property becomes a keyword argument)."""

    def change(spec: dict[str, Any]) -> None:
        body = op(spec, "/orders", "post")["requestBody"]["content"]["application/json"]["schema"]
        body["properties"]["item"] = {"type": "string", "maxLength": 40, "description": "What to order."}
        body["properties"]["quantity"] = {"type": "integer", "minimum": 1, "default": 1}
        body["properties"]["id"] = {"type": "string", "readOnly": True}
        body["required"] = ["item", "id"]

    body = _analysis_with(change).schemas.operations["POST /orders"].arguments.body
    assert body is not None and body.kind == "fields" and body.model == ""
    fields = {argument.wire_name: argument for argument in body.fields}
    item, quantity, read_only = fields["item"], fields["quantity"], fields["id"]
    assert (item.type, item.required, item.description) == (Primitive("str"), True, "What to order.")
    assert item.value.constraints.bound("maxLength") == 40
    assert (quantity.required, quantity.default, quantity.value.constraints.bound("minimum")) == (False, 1, 1)
    assert (read_only.required, read_only.read_only) == (False, True)  # required binds responses only


def test_a_named_body_models_union_members_carry_their_fields() -> None:
    spec = Path(__file__).resolve().parents[1] / "data" / "shapes" / "read_only_body.yaml"
    config = client_config(name="ro", spec=spec, package="ro", output=Path("ro"))
    body = analyse(config, load_document(spec), RenameMap({})).schemas.operations["POST /rules"].arguments.body
    assert body is not None and (body.kind, body.model) == ("fields", "NewRule")
    assert [argument.wire_name for argument in body.properties] == ["id", "name"]
    carried = {argument.wire_name: argument for argument in body.member_fields}
    assert carried["target"].carriers == (("Redirect", False),) and carried["target"].members == 2
    assert carried["last_updated"].required is False  # read-only in every member
    assert [member.needs for member in body.unions[0]] == [("action",), ("action",)]
