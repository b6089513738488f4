"""Levels of ``clientgen diff`` follow the generated code, by construction.

For every schema rule an example changes one field of a request model (``Req``,
sent by ``reqs.send``), of a response model (``Res``, returned by
``res.get``) or one query parameter of ``res.get``. All examples are grouped into one old and one new spec, so two
packages are generated (in-process, imported from a temporary directory).
Each field is then probed with values the spec allows:

- a request field with the values the OLD spec and client let a caller send:
  does the new API (its spec) refuse any of them?
- a response field with the values the NEW spec lets the server send: does the
  OLD client's model refuse any of them?
- and whether a field or argument the old client had is gone from the new one,
  or a new argument is required (code that worked breaks).

"breaking" must mean some probe fails; "info" and "warning" that none does.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Annotated, Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from pydantic import TypeAdapter, ValidationError
from support.paths import suite_cache

from generator.config import client_config
from generator.diff.compare import compare_analyses
from generator.diff.finding import Finding
from generator.diff.rules import RULES, Level
from generator.load import parse_document
from generator.pipeline import analyse, generate
from generator.write import write_tree

ABSENT = object()


@dataclass(frozen=True)
class Example:
    rule: str
    old: dict[str, Any] | None  # the field's schema; None: no such field
    new: dict[str, Any] | None
    old_required: bool = False
    new_required: bool = False

    @property
    def model(self) -> str:
        return "Req" if self.rule.startswith(("request-", "new-")) else "Res"


S = {"type": "string"}
I = {"type": "integer"}
N = {"type": "number"}
EXAMPLES: list[Example] = [
    # properties
    Example("new-required-request-property", None, S, new_required=True),
    Example("new-optional-request-property", None, S),
    Example("request-property-removed", S, None),
    Example("request-property-became-required", S, S, new_required=True),
    Example("request-property-became-optional", S, S, old_required=True),
    Example("response-required-property-added", None, S, new_required=True),
    Example("response-optional-property-added", None, S),
    Example("response-required-property-removed", S, None, old_required=True),
    Example("response-optional-property-removed", S, None),
    Example("response-property-became-optional", S, S, old_required=True),
    Example("response-property-became-required", S, S, new_required=True),
    # types and nullability
    Example("request-property-type-changed", S, I),
    Example("request-property-type-generalized", I, N),
    Example("request-property-type-specialized", N, I),
    Example("request-property-became-nullable", S, {"type": ["string", "null"]}, True, True),
    Example("request-property-became-not-nullable", {"type": ["string", "null"]}, S, True, True),
    Example("response-property-type-changed", S, I),
    Example("response-property-type-generalized", I, N),
    Example("response-property-type-specialized", N, I),
    Example("response-property-became-nullable", S, {"type": ["string", "null"]}, True, True),
    Example("response-property-became-not-nullable", {"type": ["string", "null"]}, S, True, True),
    Example("response-optional-property-became-nullable", S, {"type": ["string", "null"]}),
    Example("request-property-became-not-nullable", {"type": ["string", "null"]}, S),
    Example("request-property-became-nullable", S, {"type": ["string", "null"]}),
    # enums: string enums are open in responses, integer enums and single values closed
    Example(
        "request-property-enum-value-added",
        {"type": "string", "enum": ["a", "b"]},
        {"type": "string", "enum": ["a", "b", "c"]},
    ),
    Example(
        "request-property-enum-value-removed",
        {"type": "string", "enum": ["a", "b", "c"]},
        {"type": "string", "enum": ["a", "b"]},
    ),
    Example("request-property-became-enum", S, {"type": "string", "enum": ["a", "b"]}),
    Example(
        "response-property-enum-value-added",
        {"type": "string", "enum": ["a", "b"]},
        {"type": "string", "enum": ["a", "b", "c"]},
    ),
    # Integer enums are open (OpenIntEnum); an enum mixing kinds is a closed Literal.
    Example("response-property-closed-enum-value-added", {"enum": ["a", 1]}, {"enum": ["a", 1, "b"]}),
    Example(
        "response-property-enum-value-removed",
        {"type": "string", "enum": ["a", "b", "c"]},
        {"type": "string", "enum": ["a", "b"]},
    ),
    Example("response-property-became-enum", S, {"type": "string", "enum": ["a", "b"]}),
    # constraints: requests break when they narrow, responses when they widen
    Example("request-property-max-length-set", S, {"type": "string", "maxLength": 3}),
    Example(
        "request-property-max-length-decreased", {"type": "string", "maxLength": 10}, {"type": "string", "maxLength": 3}
    ),
    Example(
        "request-property-max-length-increased", {"type": "string", "maxLength": 3}, {"type": "string", "maxLength": 10}
    ),
    Example("request-property-max-length-unset", {"type": "string", "maxLength": 3}, S),
    Example("request-property-min-length-set", S, {"type": "string", "minLength": 2}),
    Example(
        "request-property-min-length-decreased", {"type": "string", "minLength": 3}, {"type": "string", "minLength": 1}
    ),
    Example("request-property-max-set", I, {"type": "integer", "maximum": 10}),
    Example("request-property-max-decreased", {"type": "integer", "maximum": 100}, {"type": "integer", "maximum": 10}),
    Example("request-property-min-increased", {"type": "integer", "minimum": 0}, {"type": "integer", "minimum": 5}),
    Example("request-property-min-decreased", {"type": "integer", "minimum": 5}, {"type": "integer", "minimum": 0}),
    Example("request-property-exclusive-max-set", N, {"type": "number", "exclusiveMaximum": 10}),
    Example(
        "request-property-max-items-set", {"type": "array", "items": S}, {"type": "array", "items": S, "maxItems": 2}
    ),
    Example(
        "request-property-min-items-set", {"type": "array", "items": S}, {"type": "array", "items": S, "minItems": 1}
    ),
    Example("request-property-pattern-added", S, {"type": "string", "pattern": "^[a-z]+$"}),
    Example("request-property-pattern-removed", {"type": "string", "pattern": "^[a-z]+$"}, S),
    Example("request-property-format-added", S, {"type": "string", "format": "uuid"}),
    Example("request-property-format-removed", {"type": "string", "format": "uuid"}, S),
    Example("response-property-max-length-set", S, {"type": "string", "maxLength": 3}),
    Example(
        "response-property-max-length-increased",
        {"type": "string", "maxLength": 3},
        {"type": "string", "maxLength": 10},
    ),
    Example("response-property-max-length-unset", {"type": "string", "maxLength": 3}, S),
    Example(
        "response-property-min-length-decreased", {"type": "string", "minLength": 3}, {"type": "string", "minLength": 1}
    ),
    Example("response-property-min-decreased", {"type": "integer", "minimum": 5}, {"type": "integer", "minimum": 0}),
    Example("response-property-min-increased", {"type": "integer", "minimum": 0}, {"type": "integer", "minimum": 5}),
    Example("response-property-max-increased", {"type": "integer", "maximum": 10}, {"type": "integer", "maximum": 100}),
    Example(
        "response-property-max-items-increased",
        {"type": "array", "items": S, "maxItems": 2},
        {"type": "array", "items": S, "maxItems": 5},
    ),
    Example(
        "response-property-min-items-unset", {"type": "array", "items": S, "minItems": 2}, {"type": "array", "items": S}
    ),
    Example("response-property-pattern-added", S, {"type": "string", "pattern": "^[a-z]+$"}),
    Example("response-property-pattern-removed", {"type": "string", "pattern": "^[a-z]+$"}, S),
    Example("response-property-format-added", S, {"type": "string", "format": "uuid"}),
    Example("response-property-format-removed", {"type": "string", "format": "uuid"}, S),
]

# Query parameters of ``res.get``: (rule, old schema or None, new schema or None, old required, new required).
PARAMETERS: list[Example] = [
    Example("new-required-request-parameter", None, S, new_required=True),
    Example("new-optional-request-parameter", None, S),
    Example("request-parameter-removed", S, None),
    Example("request-parameter-became-required", S, S, new_required=True),
    Example("request-parameter-became-optional", S, S, old_required=True),
    Example("request-parameter-type-changed", S, I),
    Example("request-parameter-type-generalized", I, N),
    Example(
        "request-parameter-enum-value-added",
        {"type": "string", "enum": ["a", "b"]},
        {"type": "string", "enum": ["a", "b", "c"]},
    ),
    Example(
        "request-parameter-enum-value-removed",
        {"type": "string", "enum": ["a", "b", "c"]},
        {"type": "string", "enum": ["a", "b"]},
    ),
    Example("request-parameter-became-enum", S, {"type": "string", "enum": ["a", "b"]}),
    Example("request-parameter-max-set", I, {"type": "integer", "maximum": 10}),
    Example("request-parameter-min-increased", {"type": "integer", "minimum": 0}, {"type": "integer", "minimum": 5}),
    Example(
        "request-parameter-max-length-increased",
        {"type": "string", "maxLength": 3},
        {"type": "string", "maxLength": 10},
    ),
    Example("request-parameter-pattern-added", S, {"type": "string", "pattern": "^[a-z]+$"}),
]

CANDIDATES: list[Any] = [
    None, True, False, 0, 1, -1, 2, 3, 4, 5, 9, 10, 11, 100, 101, 0.5, 2.5, 9.5, 10.0,
    "", "a", "b", "c", "d", "ab", "abc", "ABC", "a-1", "abcd", "x" * 10, "x" * 11,
    "5b0e9c1a-3f7d-4c2e-9a8b-1d2e3f4a5b6c", "not a uuid",
    [], ["a"], ["a", "b"], ["a", "b", "c"], ["a", "b", "c", "d", "e"], ["a", "b", "c", "d", "e", "f"],
    {}, {"a": 1},
]  # fmt: skip


def _field(example: Example, index: int) -> str:
    return f"f{index:02d}"


def _spec(side: str) -> dict[str, Any]:
    models: dict[str, dict[str, Any]] = {
        "Req": {"type": "object", "properties": {"anchor": S}, "required": []},
        "Res": {"type": "object", "properties": {"anchor": S}, "required": []},
    }
    for index, example in enumerate(EXAMPLES):
        schema, required = (example.old, example.old_required) if side == "old" else (example.new, example.new_required)
        if schema is not None:
            models[example.model]["properties"][_field(example, index)] = schema
            if required:
                models[example.model]["required"].append(_field(example, index))
    parameters = []
    for index, example in enumerate(PARAMETERS):
        schema, required = (example.old, example.old_required) if side == "old" else (example.new, example.new_required)
        if schema is not None:
            parameters.append(
                {"name": f"param_{chr(97 + index)}", "in": "query", "required": required, "schema": schema}
            )
    return {
        "openapi": "3.1.0",
        "info": {"title": "Levels", "version": "1"},
        "paths": {
            "/reqs": {
                "post": {
                    "operationId": "send",
                    "tags": ["reqs"],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Req"}}},
                    },
                    "responses": {"204": {"description": "done"}},
                }
            },
            "/res": {
                "get": {
                    "operationId": "get",
                    "tags": ["res"],
                    "parameters": parameters,
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Res"}}},
                        }
                    },
                }
            },
        },
        "components": {"schemas": models},
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, ModuleType, list[Finding]]]:
    """The old and the new package (generated in-process), and the diff's findings."""
    import json

    workdir = tmp_path_factory.mktemp("levels")
    modules = []
    analyses = []
    for side in ("old", "new"):
        package = f"levels_{side}"
        config = client_config(name=package, spec=Path(f"{side}.json"), package=package, output=workdir / package)
        document = parse_document(json.dumps(_spec(side)), f"{side}.json")
        write_tree(config.output, generate(config, document, cache=suite_cache()).files)
        analyses.append(analyse(config, document))
    sys.path.insert(0, str(workdir))
    try:
        modules = [importlib.import_module(f"levels_{side}") for side in ("old", "new")]
        for module in modules:
            importlib.import_module(f"{module.__name__}.models")
        yield modules[0], modules[1], compare_analyses(analyses[0], analyses[1])
    finally:
        sys.path.remove(str(workdir))


def _field_info(model: Any, wire: str) -> Any:
    # The models build on first use (defer_build): a field naming a class defined after its model holds that
    # class once the model is built, as it is for any parse.
    model.model_rebuild()
    for name, info in model.model_fields.items():
        if (info.alias or name) == wire:
            return info
    return None


def _accepts(model: Any, wire: str, value: Any) -> bool:
    """Would the model take ``value`` (or the field's absence) for ``wire``?"""
    info = _field_info(model, wire)
    if info is None:
        return True  # an unknown field: the models keep extra fields
    if value is ABSENT:
        return not info.is_required()
    try:
        # The field's constraints without its alias: an alias outside a model field only draws a warning.
        constrained = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        TypeAdapter(constrained).validate_python(value)
    except ValidationError:
        return False
    return True


def _spec_accepts(schema: dict[str, Any] | None, required: bool, value: Any) -> bool:
    """Does the API (its spec) take ``value`` for a field? Unknown fields are ignored."""
    if value is ABSENT:
        return not required
    return schema is None or Draft202012Validator(schema, format_checker=FormatChecker()).is_valid(value)


def _allowed(schema: dict[str, Any] | None, required: bool) -> list[Any]:
    """The probe values a spec allows for a field: candidates and the spec's own values that validate."""
    if schema is None:
        return [ABSENT]
    extra = list(schema.get("enum", [])) + [
        value
        for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
        if isinstance(schema.get(key), (int, float))
        for value in (schema[key] - 1, schema[key], schema[key] + 1)
    ]
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    values = [value for value in [*CANDIDATES, *extra] if validator.is_valid(value)]
    return values if required else [*values, ABSENT]


def _breaks(example: Example, index: int, old: ModuleType, new: ModuleType) -> list[str]:
    """The probes that fail: why an old call or parse fails against the new API."""
    wire = _field(example, index)
    old_model, new_model = getattr(old.models, example.model), getattr(new.models, example.model)
    failures = []
    if _field_info(old_model, wire) is not None and _field_info(new_model, wire) is None:
        failures.append(f"{example.model}.{wire} is gone from the new client")
    if example.model == "Req":  # what the old client let a caller send, against the new API's contract (its spec)
        sent = [value for value in _allowed(example.old, example.old_required) if _accepts(old_model, wire, value)]
        failures += [
            f"new API refuses {value!r}"
            for value in sent
            if not _spec_accepts(example.new, example.new_required, value)
        ]
    else:  # what the new API may send, parsed by the old client
        failures += [
            f"old client refuses {value!r}"
            for value in _allowed(example.new, example.new_required)
            if not _accepts(old_model, wire, value)
        ]
    return failures


@pytest.mark.slow
def test_every_example_gives_its_rule_at_its_field(generated: tuple[ModuleType, ModuleType, list[Finding]]) -> None:
    findings = generated[2]
    got = sorted((finding.location, finding.rule) for finding in findings)
    want = sorted((f"{example.model}.{_field(example, index)}", example.rule) for index, example in enumerate(EXAMPLES))
    want += [(f"res.get(param_{chr(97 + index)})", example.rule) for index, example in enumerate(PARAMETERS)]
    assert got == sorted(want)


def _parameters(package: ModuleType) -> dict[str, inspect.Parameter]:
    """The arguments of the generated ``res.get``, as a caller sees them."""
    resource = importlib.import_module(f"{package.__name__}.resources.res")
    return dict(inspect.signature(resource.ResResource.get).parameters)


@pytest.mark.parametrize("index", range(len(PARAMETERS)), ids=[example.rule for example in PARAMETERS])
def test_breaking_parameter_change_means_an_old_call_fails(
    index: int, generated: tuple[ModuleType, ModuleType, list[Finding]]
) -> None:
    example = PARAMETERS[index]
    old, new, _ = generated
    name = f"param_{chr(97 + index)}"
    old_arguments, new_arguments = _parameters(old), _parameters(new)
    failures = []
    if name in old_arguments and name not in new_arguments:
        failures.append(f"res.get({name}=...) is a TypeError now")
    if name in new_arguments and name not in old_arguments and new_arguments[name].default is inspect.Parameter.empty:
        failures.append(f"res.get() without {name} is a TypeError now")
    sent = _allowed(example.old, example.old_required)
    failures += [
        f"new API refuses {name}={value!r}"
        for value in sent
        if value is not None and not _spec_accepts(example.new, example.new_required, value)
    ]
    if RULES[example.rule].level == Level.BREAKING:
        assert failures, f"{example.rule} is breaking, but every probe passes"
    else:
        assert not failures, f"{example.rule} is {RULES[example.rule].level.label}, but: {failures}"


@pytest.mark.parametrize("index", range(len(EXAMPLES)), ids=[example.rule for example in EXAMPLES])
def test_breaking_means_an_old_call_or_parse_fails(
    index: int, generated: tuple[ModuleType, ModuleType, list[Finding]]
) -> None:
    example = EXAMPLES[index]
    old, new, _ = generated
    failures = _breaks(example, index, old, new)
    if RULES[example.rule].level == Level.BREAKING:
        assert failures, f"{example.rule} is breaking, but every probe passes"
    else:
        assert not failures, f"{example.rule} is {RULES[example.rule].level.label}, but: {failures}"


def test_every_schema_rule_kind_has_an_example_in_each_direction() -> None:
    covered = {example.rule for example in EXAMPLES}
    kinds = {
        "type-changed",
        "type-generalized",
        "type-specialized",
        "became-nullable",
        "became-not-nullable",
        "enum-value-added",
        "enum-value-removed",
        "became-enum",
        "pattern-added",
        "pattern-removed",
        "format-added",
        "format-removed",
    }
    for direction in ("request", "response"):
        missing = sorted(kind for kind in kinds if f"{direction}-property-{kind}" not in covered)
        assert missing == [], f"{direction}: no example for {missing}"


def _animals(with_bird: bool) -> dict[str, Any]:
    """``Zoo.star`` is a tagged union (``Animal``, by ``kind``); ``Zoo.guest`` a plain inline union."""

    def animal(kind: str, field: str) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["kind", field],
            "properties": {"kind": {"const": kind}, field: {"type": "string"}},
        }

    names = ["Cat", "Dog", *(["Bird"] if with_bird else [])]
    refs = [{"$ref": f"#/components/schemas/{name}"} for name in names]
    schemas = {
        "Cat": animal("cat", "meow"),
        "Dog": animal("dog", "bark"),
        "Animal": {"oneOf": refs, "discriminator": {"propertyName": "kind"}},
        "Zoo": {
            "type": "object",
            "properties": {"star": {"$ref": "#/components/schemas/Animal"}, "guest": {"oneOf": refs}},
        },
    }
    if with_bird:
        schemas["Bird"] = animal("bird", "wings")
    return {
        "openapi": "3.1.0",
        "info": {"title": "Zoo", "version": "1"},
        "paths": {
            "/zoo": {
                "get": {
                    "operationId": "get",
                    "tags": ["zoo"],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Zoo"}}},
                        }
                    },
                }
            }
        },
        "components": {"schemas": schemas},
    }


def test_a_new_variant_breaks_a_plain_response_union_but_not_a_tagged_one(tmp_path: Path) -> None:
    import json

    analyses = []
    for side, with_bird in (("old", False), ("new", True)):
        package = f"zoo_{side}"
        config = client_config(name=package, spec=Path(f"{side}.json"), package=package, output=tmp_path / package)
        document = parse_document(json.dumps(_animals(with_bird)), f"{side}.json")
        write_tree(config.output, generate(config, document, cache=suite_cache()).files)
        analyses.append(analyse(config, document))
    sys.path.insert(0, str(tmp_path))
    try:
        old_models = importlib.import_module("zoo_old.models")
    finally:
        sys.path.remove(str(tmp_path))
    findings = {finding.location: finding for finding in compare_analyses(analyses[0], analyses[1])}
    bird = {"kind": "bird", "wings": "two"}
    # The tagged union keeps an unknown variant (a dict): the old client parses it.
    assert (
        findings["Animal"].rule == "response-property-union-variant-added"
        and findings["Animal"].level != Level.BREAKING
    )
    assert _accepts(old_models.Zoo, "star", bird)
    # A plain union has no fallback: the old client refuses the new variant.
    assert findings["Zoo.guest"].level == Level.BREAKING
    assert not _accepts(old_models.Zoo, "guest", bird)
