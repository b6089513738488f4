"""The type model, and what it promises in generated packages: allOf merged, cycles importing, enums open, formats agreeing."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from goldens import full_case
from support.paths import suite_cache

import generator.models as models_module
from generator.modeldefs import AliasModel, EnumModel, ObjectModel
from generator.models import split
from generator.typemodel import (
    ANY,
    NONE,
    DictOf,
    ListOf,
    Literal,
    Model,
    Primitive,
    Runtime,
    Union,
    imports,
    optional,
    render,
    schema_type,
    union,
)
from generator.write import write_tree


def test_union_flattens_deduplicates_merges_literals_and_puts_none_last() -> None:
    nested = union(NONE, Primitive("str"), union(Primitive("int"), Primitive("str")))
    assert nested == Union((Primitive("str"), Primitive("int"), NONE))
    assert union(Literal(("a",)), Primitive("int"), Literal(("b", "a"))) == Union(
        (Literal(("a", "b")), Primitive("int"))
    )
    assert union(Primitive("str"), ANY) == ANY
    assert union(Model("Pet")) == Model("Pet")
    assert optional(optional(Model("Pet"))) == Union((Model("Pet"), NONE))


def test_literal_true_and_one_stay_apart() -> None:
    assert union(Literal((True,)), Literal((1,))) == Literal((True, 1))


def test_render_is_the_one_way_to_text() -> None:
    value = union(ListOf(union(Primitive("str"), NONE)), ListOf(union(Primitive("int"), NONE)))
    assert render(value) == "list[str | None] | list[int | None]"
    assert render(DictOf(Model("Pet"))) == "dict[str, Pet]"
    assert render(Runtime("EventStream", (Model("Chunk"),))) == "EventStream[Chunk]"


def test_formats_render_by_flavour() -> None:
    identifier = Primitive("str", "uuid")
    assert render(identifier, "python") == "UUID" and render(identifier, "json") == "str"
    assert render(Primitive("str", "date-time")) == "datetime"
    assert render(Primitive("str", "uri")) == "str"
    assert render(Primitive("bytes", "binary"), "json") == "str"
    assert render(schema_type({"type": "string", "format": "binary"}, upload=True)) == "FileContent"


def test_shadowed_names_are_spelled_through_their_module_and_imported() -> None:
    value = union(ListOf(Primitive("str")), Primitive("str", "date"))
    assert render(value, shadowed=frozenset({"list", "date"})) == "builtins.list[str] | _datetime.date"
    names = {(item.origin, item.name, item.qualified) for item in imports(value, shadowed=frozenset({"date"}))}
    assert ("datetime", "date", True) in names and ("builtins", "list", False) in names


def test_schema_types_of_nullable_and_enum_schemas() -> None:
    assert schema_type({"type": ["string", "null"]}) == optional(Primitive("str"))
    assert schema_type({"enum": ["a", "b", None]}) == optional(Literal(("a", "b")))
    assert schema_type({"enum": [1.5, 2]}) == union(Literal((2,)), Primitive("float"))
    assert schema_type({"$ref": "#/components/schemas/Pet"}) == Model("Pet")
    assert schema_type({}) == ANY


_CASES = ("inheritance", "recursion", "enums_and_formats", "tagged_unions")


def test_models_too_many_for_one_module_are_split_with_enums_apart() -> None:
    enums = [EnumModel(f"E{index}", "", "str", (("A", "a"), ("B", "b"))) for index in range(3)]
    classes = [ObjectModel(f"C{index}", "", (), None) for index in range(5)]
    alias = AliasModel("Z", "", Model("C0"))
    ordered = [*enums, *classes, alias]
    assert split(ordered, 1000) == [ordered]
    parts = split(ordered, 13)
    assert [[d.name for d in part] for part in parts] == [["E0", "E1"], ["E2"], ["C0", "C1", "C2"], ["C3", "C4", "Z"]]


@pytest.fixture(scope="module", params=["one module", "split", "lazy"])
def packages(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The golden cases this file looks into, as complete importable packages.

    Each test runs three times: as the cases generate, with their models split
    into several modules (as a schema set too large for one is written), and in
    the lazy layout (as a large schema set is written: a module per group of
    models that refer to each other), which must behave the same.
    """
    root = tmp_path_factory.mktemp("types")
    for case in _CASES:
        with pytest.MonkeyPatch.context() as patch:
            if request.param == "split":
                patch.setattr(models_module, "PART_BUDGET", 20)
            if request.param == "lazy":
                patch.setattr(models_module, "LAZY_FROM", 1)
                patch.setattr(models_module, "PACK", 20)  # a few definitions a module: many modules, some shared
            files = full_case(case, suite_cache())
        assert not isinstance(files, str), files
        assert ("_models_2.py" in files) == (request.param == "split"), sorted(files)
        assert ("_models/__init__.py" in files) == (request.param == "lazy"), sorted(files)
        write_tree(root / case, files)
    sys.path.insert(0, str(root))
    yield root
    sys.path.remove(str(root))
    for name in list(sys.modules):
        if name.split(".")[0] in _CASES:
            del sys.modules[name]


def _model_source(package: Path, stem: str) -> str:
    """``models.py`` (or ``types.py``) and its parts, if it is split, or its modules in the lazy layout."""
    parts = [*sorted(package.glob(f"_{stem}_*.py")), *sorted(package.glob(f"_{stem}/*.py"))]
    return "".join(path.read_text() for path in [package / f"{stem}.py", *parts])


def _module(name: str) -> ModuleType:
    return importlib.import_module(name)


@pytest.mark.slow
def test_allof_fields_are_every_output_s_fields(packages: Path) -> None:
    listing = (packages / "inheritance" / "api.txt").read_text()
    assert "model Pet\n    id: str\n    kind?: str\n    level?: Level\n    name: str\n" in listing
    models = _module("inheritance.models")
    pet = models.Pet.model_validate({"id": "x", "name": "n", "level": 3})
    assert pet.id == "x" and pet.level.value == 3
    assert isinstance(pet.level, models.Level)
    assert models.Level(1) is models.Level.LEVEL_1
    types = _module("inheritance.types")
    assert set(types.Dog.__annotations__) == {"id", "kind", "name", "level", "barks"}


def test_a_child_narrowing_an_inherited_field_keeps_the_narrow_type(packages: Path) -> None:
    dog = _module("inheritance.models").Dog.model_validate({"id": "d", "name": "Rex", "kind": "dog"})
    assert dog.kind == "dog"
    assert '    kind: Literal["dog"] | str\n' in (packages / "inheritance" / "api.txt").read_text()


def test_a_union_of_arrays_of_nullable_items_is_an_argument(packages: Path) -> None:
    listing = (packages / "inheritance" / "api.txt").read_text()
    assert (
        "create(*, values: list[str | None] | list[int | None], owner: Base | _types.Base | NotGiven = NOT_GIVEN) -> None"
        in listing
    )
    _module("inheritance.resources.things")


def test_recursive_unions_import_and_parse_a_tree(packages: Path) -> None:
    models = _module("recursion.models")
    for module in ("recursion.types", "recursion.client", "recursion.typed_client"):
        _module(module)
    tree = {
        "type": "binary",
        "op": "+",
        "left": {"type": "literal", "value": 1},
        "right": {"type": "call", "name": "f", "arguments": [{"type": "literal", "value": 2}]},
    }
    result = models.Result.model_validate({"value": {"a": [1, "x", {"b": []}]}, "trace": [tree]})
    node = result.trace[0]
    assert isinstance(node, models.BinaryOp) and node.op is models.BinaryOp2.PLUS
    assert isinstance(node.right, models.Call) and isinstance(node.right.arguments[0], models.LiteralModel)


@pytest.mark.parametrize("case", _CASES)
def test_type_hints_resolve_on_every_public_name_of_the_package(packages: Path, case: str) -> None:
    """typing.get_type_hints on every public class, method and model, split or not (issue 18).

    Split, an alias naming another part's definitions is a string in its part:
    evaluated from a typed-dict resource module (``SyncPage[ASTNode]``) or inside
    another part's TypedDict (``ASTNode | None``), it named classes that module
    never imported.
    """
    from support.hints import type_hint_failures

    checked, failed = type_hint_failures(_module(case))
    assert checked > 100
    assert failed == []


def test_enums_are_open_in_responses_and_exact_in_requests(packages: Path) -> None:
    models = _module("enums_and_formats.models")
    job = models.Job.model_validate(
        {
            "id": "6f1c1c5e-8a4b-4d7e-9a57-0e0f3d1b2c3a",
            "status": "paused",
            "level": 30,
            "priority": 2,
            "mode": "best-effort",
            "kind": "job",
            "created_at": "2024-01-02T03:04:05Z",
        }
    )
    assert job.status.value == "paused" and job.level.value == 30 and job.priority is models.Priority.NORMAL
    assert job.mode == "best-effort"
    assert [member.name for member in models.Level] == ["LEVEL_10", "LEVEL_20", "LEVEL_MINUS_1"]
    listing = (packages / "enums_and_formats" / "api.txt").read_text()
    assert 'mode: Literal["fail-fast"] | NotGiven = NOT_GIVEN' in listing
    assert '    mode: Literal["fail-fast"] | str\n' in listing


def test_discriminators_stay_literal(packages: Path) -> None:
    listing = (packages / "recursion" / "api.txt").read_text()
    assert '    type: Literal["binary"]\n' in listing


def test_formats_agree_between_signatures_models_and_listing(packages: Path) -> None:
    listing = (packages / "enums_and_formats" / "api.txt").read_text()
    assert "get(job_id: UUID, *, since: datetime | NotGiven = NOT_GIVEN) -> Job" in listing
    assert "    created_at: datetime\n" in listing and "    id: UUID\n" in listing and "    docs_url?: str\n" in listing
    models = _model_source(packages / "enums_and_formats", "models")
    assert (
        "    id: UUID\n" in models
        and "    created_at: datetime\n" in models
        and "    docs_url: str | None = None\n" in models
    )
    resource = (packages / "enums_and_formats" / "resources" / "jobs.py").read_text()
    assert "job_id: UUID," in resource and "since: datetime | NotGiven = NOT_GIVEN," in resource
    typed = _model_source(packages / "enums_and_formats", "types")
    assert "    id: str\n" in typed  # a TypedDict holds the raw JSON
    job = _module("enums_and_formats.models").Job.model_validate(
        {
            "id": "6f1c1c5e-8a4b-4d7e-9a57-0e0f3d1b2c3a",
            "status": "done",
            "mode": "x",
            "kind": "job",
            "created_at": "2024-01-02T03:04:05Z",
            "date": "2024-02-03",
        }
    )
    assert str(job.tag) == "00000000-0000-0000-0000-000000000000" and job.date.isoformat() == "2024-02-03"


def test_a_tagged_union_s_fallback_never_wins_over_a_real_member(packages: Path) -> None:
    """Unknown variants are kept as dicts, yet inside a wider union every known member still parses as itself."""
    models = _module("tagged_unions.models")
    drawing = models.Drawing.model_validate(
        {
            "main": {"kind": "circle", "radius": 1},
            "either": {"pet_type": "cat", "meows": True},
            "shape_or_text": "hello",
            "shape_or_label": {"text": "hi"},
            "many": [{"kind": "square", "side": 2}, {"kind": "hexagon", "sides": 6}],
            "by_name": {"a": {"kind": "circle", "radius": 3}},
        }
    )
    assert isinstance(drawing.main, models.Circle)
    assert isinstance(drawing.either, models.Cat)  # not an unknown Shape
    assert isinstance(drawing.shape_or_label, models.Label)  # not an unknown Shape
    assert drawing.shape_or_text == "hello"
    assert isinstance(drawing.many[0], models.Square) and drawing.many[1] == {"kind": "hexagon", "sides": 6}
    assert isinstance(drawing.by_name["a"], models.Circle)
    unknown = models.Drawing.model_validate({"main": {"kind": "star", "points": 5}, "either": {"legs": 8}})
    assert unknown.main == {"kind": "star", "points": 5} and unknown.either == {"legs": 8}
    assert unknown.model_dump(mode="json", exclude_none=True) == {
        "main": {"kind": "star", "points": 5},
        "either": {"legs": 8},
    }
    assert models.Drawing.model_json_schema()["title"] == "Drawing"
    # The same in a recursive union: a Spread argument is a Spread.
    recursion = _module("recursion.models")
    call = recursion.Call.model_validate(
        {"type": "call", "name": "f", "arguments": [{"of": {"type": "literal", "value": 1}}]}
    )
    assert isinstance(call.arguments[0], recursion.Spread)


# Types accept what the schema accepts (issue 18 point 5): instances that JSON Schema 2020-12 (the jsonschema
# package) accepts must parse in the pydantic models and type-check against the TypedDicts' annotations.
ACCEPTANCE = """\
openapi: 3.1.0
info: {title: Acceptance, version: "1"}
paths: {}
components:
  schemas:
    Gone:
      type: object
      required: [value]
      properties:
        value: {const: null}
    Row:
      type: array
      prefixItems: [{type: string}]
      items: {type: number}
    Pair:
      type: array
      prefixItems: [{type: string}, {type: integer}]
    Base:
      type: object
      required: [id]
      properties:
        id: {type: string}
    Extended:
      $ref: "#/components/schemas/Base"
      required: [extra]
      properties:
        extra: {type: string}
    Texts:
      type: object
      properties:
        encoded: {type: string, contentEncoding: base64}
        document: {type: string, contentMediaType: application/json}
    IpConfiguration:
      properties:
        target: {enum: [ip]}
        value: {type: string}
    CidrConfiguration:
      properties:
        target: {enum: [ip_range]}
        value: {type: string}
    Configurations:
      # cloudflare's firewall_configurations: an array AND one of two schemas that, having no type, take any array.
      type: array
      anyOf: [{$ref: "#/components/schemas/IpConfiguration"}, {$ref: "#/components/schemas/CidrConfiguration"}]
      items:
        anyOf: [{$ref: "#/components/schemas/IpConfiguration"}, {$ref: "#/components/schemas/CidrConfiguration"}]
    MaybeConfigurations:
      type: [array, "null"]
      oneOf: [{$ref: "#/components/schemas/IpConfiguration"}]
      items: {$ref: "#/components/schemas/CidrConfiguration"}
    Metrics:
      # cloudflare's dns-analytics metrics: properties say nothing about an array.
      type: object
      properties:
        values:
          type: array
          items: {}
          properties:
            items: {type: number}
          required: [items]
    Sizes:
      type: array
      anyOf: [{maxItems: 1}, {items: {type: string}}]
      items: {type: [string, integer]}
    State:
      type: [string, "null"]
      enum: [open, closed, null]
    Owner:
      type: [object, "null"]
      properties:
        name: {type: string}
    Ticket:
      # A class (an enum, a model) cannot hold null: a component that admits it makes each reference admit it.
      type: object
      required: [state, owner]
      properties:
        state: {$ref: "#/components/schemas/State"}
        owner: {$ref: "#/components/schemas/Owner"}
    Envelope:
      type: object
      required: [success, result]
      properties:
        success: {type: boolean}
        result:
          anyOf: [{type: object}, {type: array, items: {}}, {type: string}]
    RiskSummary:
      # cloudflare's dlp_user_risk_summary_response: a later part's ``result`` has properties and no type. Both
      # parts apply, and the envelope's types win: an array or a text result is valid, an object must fit.
      allOf:
        - $ref: "#/components/schemas/Envelope"
        - properties:
            result:
              properties:
                users: {type: array, items: {type: string}}
    Person:
      properties:
        name: {type: string}
    PersonSummary:
      # The same through a reference to a schema without a type.
      allOf:
        - $ref: "#/components/schemas/Envelope"
        - properties:
            result: {$ref: "#/components/schemas/Person"}
    Listing:
      # A declared array and a part whose properties say nothing about arrays: the array.
      allOf:
        - type: object
          properties:
            result: {type: array, items: {type: string}}
        - properties:
            result:
              properties:
                users: {type: integer}
    Narrowed:
      # Both parts constrain the same object: each one's properties and required apply.
      allOf:
        - type: object
          properties:
            info: {type: object, required: [page], properties: {page: {type: integer}}}
        - properties:
            info: {type: object, properties: {cursor: {type: string}}}
"""
ACCEPTED = {
    "Gone": [{"value": None}],
    "Row": [["a"], ["a", 1.5, 2]],
    "Pair": [["a", 1], ["a", 1, "more", {"x": 1}]],
    "Extended": [{"id": "1", "extra": "x"}],
    "Texts": [{"encoded": "aGVsbG8=", "document": '{"a": 1}'}],
    "Configurations": [[], [{"target": "ip", "value": "198.51.100.4"}, {"target": "ip_range", "value": "10.0.0.0/16"}]],
    "MaybeConfigurations": [None, [{"target": "ip_range"}]],
    "Metrics": [{"values": []}, {"values": [1.5, "text", None]}],
    "Sizes": [[1], ["a", "b"]],
    "Ticket": [{"state": None, "owner": None}, {"state": "open", "owner": {"name": "Ada"}}],
    "RiskSummary": [
        {"success": True, "result": ["value"]},
        {"success": True, "result": "text"},
        {"success": True, "result": {"users": ["ada"]}},
    ],
    "PersonSummary": [{"success": True, "result": [1]}, {"success": False, "result": {"name": "Ada"}}],
    "Listing": [{"result": ["a"]}, {}],
    "Narrowed": [{"info": {"page": 1, "cursor": "c"}}],
}
REFUSED = {
    "Extended": [{"id": "1"}],  # the sibling's ``required`` applies too
    "Configurations": [{"target": "ip", "value": "198.51.100.4"}],  # an object is no array
    "Metrics": [{"values": {"items": 1}}],
    "Ticket": [{"state": "open"}],  # owner is required, null or not
    "RiskSummary": [{"success": True, "result": {"users": "ada"}}, {"success": True, "result": 1}],
    "PersonSummary": [{"success": True, "result": {"name": 1}}],
    "Listing": [{"result": {"users": 1}}],
    "Narrowed": [{"info": {"cursor": "c"}}, {"info": {"page": 1, "cursor": 2}}],
}
#: Schemas whose types were wrong before the declared ``type`` won (issue 18, cloudflare): hypothesis draws JSON
#: values, the jsonschema validator says which are instances, and the models must parse every one of those.
#: (hypothesis-jsonschema 0.23.1, the last release, fails inside hypothesis 6.170 on object schemas.)
DRAWN = ("Configurations", "MaybeConfigurations", "Metrics", "Sizes", "RiskSummary", "PersonSummary")


@pytest.fixture(scope="module")
def acceptance(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    from generator.config import client_config
    from generator.pipeline import generate

    root = tmp_path_factory.mktemp("acceptance")
    spec = root / "acceptance.yaml"
    spec.write_text(ACCEPTANCE)
    config = client_config(name="acceptance_pkg", spec=spec, package="acceptance_pkg", output=root / "acceptance_pkg")
    write_tree(config.output, generate(config).files)
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("acceptance_pkg.models")
    finally:
        sys.path.remove(str(root))


@pytest.mark.parametrize("name", list(ACCEPTED))
def test_models_accept_what_the_schema_accepts(acceptance: ModuleType, name: str) -> None:
    import jsonschema
    import yaml
    from pydantic import TypeAdapter

    document = yaml.safe_load(ACCEPTANCE)
    schema = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    validator = jsonschema.Draft202012Validator(schema)
    adapter = TypeAdapter(getattr(acceptance, name))
    for instance in ACCEPTED[name]:
        assert validator.is_valid(instance), instance  # the oracle agrees the instance is valid
        adapter.validate_python(instance)
    for instance in REFUSED.get(name, []):
        assert not validator.is_valid(instance)
        with pytest.raises(ValueError):
            adapter.validate_python(instance)


@pytest.mark.slow  # hypothesis draws values for every case
@pytest.mark.parametrize("name", DRAWN)
def test_models_accept_every_drawn_value_the_validator_accepts(acceptance: ModuleType, name: str) -> None:
    import jsonschema
    import yaml
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from pydantic import TypeAdapter

    document = yaml.safe_load(ACCEPTANCE)
    schema = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    validator = jsonschema.Draft202012Validator(schema)
    adapter = TypeAdapter(getattr(acceptance, name))
    words = st.sampled_from(
        ["ip", "ip_range", "target", "value", "values", "items", "198.51.100.4", "", "users", "name"]
    )
    scalars = st.none() | st.booleans() | st.integers(-5, 5) | st.floats(allow_nan=False, width=32) | words
    values = st.recursive(
        scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(words, inner, max_size=3), max_leaves=8
    )
    # Where an untyped schema with properties is an array's item, only objects are drawn: clientgen reads such a
    # schema as an object, as every OpenAPI generator does (JSON Schema alone would take any non-object there).
    objects = st.dictionaries(words, scalars, max_size=3)
    draws = values | st.lists(objects, max_size=4) | st.lists(scalars, max_size=4)
    draws |= st.fixed_dictionaries({"values": st.lists(values, max_size=4)})
    if name.endswith("Summary"):  # an envelope: its result drawn from every kind
        draws = st.fixed_dictionaries({"success": st.booleans(), "result": values | objects})
    accepted: list[object] = []

    # derandomize: the same draws every run (the count below was 8 of 10 on some seeds for Sizes).
    @settings(max_examples=300, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(draws)
    def parses(instance: object) -> None:
        if name.endswith("Configurations") and isinstance(instance, list) and not all(map(_is_dict, instance)):
            return
        if validator.is_valid(instance):  # the oracle decides what an instance is
            accepted.append(instance)
            adapter.validate_python(instance)

    parses()
    assert len(accepted) >= 10  # the draw reached the schema, not only its refusals


def _is_dict(value: object) -> bool:
    return isinstance(value, dict)


def test_a_declared_type_drops_the_keywords_and_unions_it_makes_moot() -> None:
    from generator.applicable import applicable

    components = {"Loose": {"properties": {"a": {"type": "string"}}}, "Typed": {"type": "object"}}

    def resolve(ref: str) -> object:
        return components.get(ref.rsplit("/", 1)[-1])

    loose, typed = {"$ref": "#/Loose"}, {"$ref": "#/Typed"}
    # Members without a type take every array: the union adds nothing to ``type: array``.
    assert applicable({"type": "array", "anyOf": [loose, typed], "items": {}}, resolve) == {
        "type": "array",
        "items": {},
    }
    # A member that constrains arrays keeps the union.
    kept = {"type": "array", "anyOf": [{"minItems": 2}, typed]}
    assert applicable(kept, resolve) == kept
    # For objects the same members constrain (``properties``), or answer for all of them (``type: object``).
    assert applicable({"type": "object", "oneOf": [loose, {"required": ["a"]}]}, resolve)["oneOf"]
    assert "oneOf" not in applicable({"type": "object", "oneOf": [loose, typed]}, resolve)
    # Null takes the union's untyped members too; another kind's keywords go.
    assert applicable({"type": ["array", "null"], "anyOf": [loose], "properties": {}, "minLength": 1}, resolve) == {
        "type": ["array", "null"]
    }
    assert applicable({"type": "integer", "format": "int64", "minimum": 1, "pattern": "x"}, resolve) == {
        "type": "integer",
        "format": "int64",
        "minimum": 1,
    }
    assert applicable({"properties": {"a": {}}, "anyOf": [loose]}, resolve) == {
        "properties": {"a": {}},
        "anyOf": [loose],
    }  # no declared type: nothing is moot


def test_schema_types_of_const_null_prefix_items_and_content_keywords() -> None:
    assert schema_type({"const": None}) == NONE
    assert schema_type({"type": "array", "prefixItems": [{"type": "string"}], "items": {"type": "number"}}) == ListOf(
        union(Primitive("str"), Primitive("float"))
    )
    assert schema_type({"type": "array", "prefixItems": [{"type": "string"}], "items": False}) == ListOf(
        Primitive("str")
    )
    assert schema_type({"type": "array", "prefixItems": [{"type": "string"}]}) == ListOf(ANY)
    assert schema_type({"type": "string", "contentEncoding": "base64"}) == Primitive("str")
    assert schema_type({"type": "string", "contentMediaType": "image/png"}) == Primitive("str")
    assert schema_type({"type": "string", "contentMediaType": "image/png"}, upload=True) == Runtime("FileContent")


LENIENT_DEFAULTS = """\
openapi: 3.1.0
info: {title: Defaults, version: "1"}
paths: {}
components:
  schemas:
    Query:
      type: object
      properties:
        dimensions: {type: array, items: {type: string}, default: "[]"}
        since: {type: string, format: date-time, default: "<6 hours ago>"}
        codes: {type: [array, "null"], items: {type: string}, default: "200"}
        limit: {type: integer, default: 10000}
"""


def test_a_default_the_field_cannot_take_is_no_default(tmp_path: Path) -> None:
    """cloudflare's prose defaults (``default: "[]"`` on an array, ``"<6 hours ago>"`` on a date-time), generated
    leniently: given to pydantic as the default, every object leaving the field out was refused (fidelity:
    21 cloudflare schemas); a default is an annotation, and an instance without the field is valid."""
    import jsonschema
    import yaml
    from pydantic import TypeAdapter

    from generator.config import client_config
    from generator.pipeline import generate

    spec = tmp_path / "defaults.yaml"
    spec.write_text(LENIENT_DEFAULTS)
    config = client_config(
        name="defaults_pkg", spec=spec, package="defaults_pkg", output=tmp_path / "defaults_pkg", validation="lenient"
    )
    write_tree(config.output, generate(config).files)
    sys.path.insert(0, str(tmp_path))
    try:
        query = importlib.import_module("defaults_pkg.models").Query
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name.split(".")[0] == "defaults_pkg"]:
            del sys.modules[name]
    document = yaml.safe_load(LENIENT_DEFAULTS)
    validator = jsonschema.Draft202012Validator({"$ref": "#/components/schemas/Query", **document})
    for instance in ({}, {"dimensions": ["a"], "since": "2024-01-02T03:04:05Z", "codes": None}):
        assert validator.is_valid(instance)
        TypeAdapter(query).validate_python(instance)
    assert query().limit == 10000  # a default the field takes stays


_LAZY_USE = """
import copy, pickle, sys, typing

import recursion.models as models

def loaded():
    return sorted(name.rsplit(".", 1)[1] for name in sys.modules if name.startswith("recursion._models."))

assert loaded() == [], loaded()

def reach(module):  # a module and those it imports, by the tables of models.py
    found, pending = set(), [module]
    while pending:
        module = pending.pop()
        if module not in found:
            found.add(module)
            pending.extend(models._NEEDS.get(module, ()))
    return found

value_map = models.ValueMap  # an alias naming no model, named by none: its module alone
assert loaded() == ["value_map"], loaded()
literal = models.LiteralModel  # then the modules it needs, and no other
assert set(loaded()) == {"value_map"} | reach(models._HOMES["LiteralModel"]), loaded()
assert models.BinaryOp2 is sys.modules["recursion._models." + models._HOMES["BinaryOp2"]].BinaryOp2
assert typing.get_type_hints(models.Result)["trace"] is not None
assert set(loaded()) >= reach("result"), loaded()
everything = sorted(set(models._HOMES.values()))
tree = {"type": "call", "name": "f", "arguments": [{"type": "literal", "value": 2}, {"of": {"type": "literal", "value": 1}}]}
result = models.Result.model_validate({"value": {"a": [1]}, "trace": [tree]})
assert isinstance(result.trace[0], models.Call) and isinstance(result.trace[0].arguments[1], models.Spread)
assert pickle.loads(pickle.dumps(result)) == result == copy.deepcopy(result)
assert models.Result is sys.modules["recursion._models.result"].Result
try:
    models.NoSuchModel
except AttributeError as error:
    assert "NoSuchModel" in str(error)
else:
    raise AssertionError("a name the models do not define")
assert set(models.__all__) <= set(dir(models))
namespace = {}
exec("from recursion.models import *", namespace)
assert {name for name in namespace if not name.startswith("__")} == set(models.__all__), sorted(namespace)
assert loaded() == everything
print("ok")
"""


def test_lazy_models_load_what_they_name_on_first_use_and_stay_ordinary_classes(tmp_path: Path) -> None:
    """In the lazy layout, ``models.py`` loads nothing; a name loads its group and the groups it refers to, and the
    classes pickle, copy, validate and resolve their hints as ever (in a fresh interpreter: nothing loaded before)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(models_module, "LAZY_FROM", 1)
        patch.setattr(models_module, "PACK", 0)  # a module per group
        files = full_case("recursion", suite_cache())
    assert not isinstance(files, str), files
    write_tree(tmp_path / "recursion", files)
    result = subprocess.run(
        [sys.executable, "-c", _LAZY_USE], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0 and result.stdout == "ok\n", result.stderr[-3000:]


def test_a_long_chain_of_lazy_models_loads_without_nesting_its_imports(tmp_path: Path) -> None:
    """Each model of a chain names the next: loaded through ``models.py``, the modules are imported deepest first,
    so no import runs inside another (each nesting costs Python seven frames; a chain of 150 models exhausted the
    default thousand). Here 40 models under a limit of 150 frames, which 40 nested imports would pass."""
    import json

    from generator.config import client_config
    from generator.pipeline import generate

    length = 40
    schemas = {
        f"Node{index}": {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                **({"next": {"$ref": f"#/components/schemas/Node{index + 1}"}} if index + 1 < length else {}),
            },
        }
        for index in range(length)
    }
    response = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Node0"}}}}
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Chain", "version": "1"},
        "paths": {
            "/node": {"get": {"operationId": "get_node", "responses": {"200": {"description": "ok", **response}}}}
        },
        "components": {"schemas": schemas},
    }
    spec = tmp_path / "chain.json"
    spec.write_text(json.dumps(document))
    config = client_config(name="chain", spec=spec, package="chain", output=tmp_path / "chain")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(models_module, "LAZY_FROM", 1)
        patch.setattr(models_module, "PACK", 0)  # a module per model: the longest chain of imports
        write_tree(config.output, generate(config).files)
    script = (
        "import sys\n"
        "sys.setrecursionlimit(150)\n"
        "import chain.models as models\n"
        "node = models.Node0\n"
        "loaded = {name for name in sys.modules if name.startswith('chain._models.')}\n"
        f"assert len(loaded) == len(set(models._HOMES.values())) >= {length - 1}, loaded\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout == "ok\n", result.stderr[-3000:]
