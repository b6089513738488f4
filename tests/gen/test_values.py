"""Value definitions: each place of a spec typed once in the schema stage, with its constraints as one record."""

from __future__ import annotations

import copy
from typing import Any

from diff_cases import analysis_of, base, diff_specs, mutated, op, schema

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
