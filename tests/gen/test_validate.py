"""The fast paths (jsonschema-rs for the meta-schema, fastpath.py for the walk) give openapi-spec-validator's verdicts
and messages, on every golden and corpus document and on generated ones."""

from __future__ import annotations

import copy
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from support.paths import CORPUS, ROOT

from generator import fastpath
from generator import validate as validate_module
from generator.errors import ClientgenError
from generator.load import Document, load_document, parse_document
from generator.pointer import without_extensions
from generator.validate import _rust_validator, find_problems

GOLDEN_SPECS = sorted((ROOT / "tests" / "golden").glob("*/spec.*")) + [ROOT / "spec" / "bctrl.yaml"]
# The pure-Python check of the multi-megabyte documents takes minutes in all:
# CLIENTGEN_FULL_CORPUS=1 includes them (openrouter, twilio and the small ones always run).
_ALL = os.environ.get("CLIENTGEN_FULL_CORPUS") == "1"
CORPUS_DOCUMENTS = (
    sorted(path.name for path in CORPUS.glob("*.gz") if _ALL or path.stat().st_size < 150_000)
    if CORPUS.exists()
    else []
)


def verdicts(path: Path) -> tuple[list[str], list[str]]:
    document = load_document(path)
    assert_same_errors(document)
    return [str(problem) for problem in find_problems(document, fast=True)], [
        str(problem) for problem in find_problems(document, fast=False)
    ]


def _error_stream(document: Document, fast: bool) -> list[tuple[Any, ...]]:
    """The validator's errors as ``find_problems`` reads them, before they are located and said once."""
    data = dict(without_extensions(document.data))
    try:
        errors = list(validate_module._iter_errors(document.openapi_version, data, fast))
    except Exception as exc:  # noqa: BLE001 - the validator stopping is part of its verdict
        return [("stopped", type(exc).__name__, str(exc))]
    return [
        (
            # openapi-spec-validator wraps jsonschema's errors in its own class, copying every field.
            type(error).__name__.replace("OpenAPIValidationError", "ValidationError"),
            error.message,
            list(error.absolute_path),
            repr(getattr(error, "instance", None)),
            getattr(error, "validator", None),
            [(sub.message, list(sub.absolute_path)) for sub in getattr(error, "context", None) or ()],
        )
        for error in errors
    ]


def assert_same_errors(document: Document) -> None:
    """The fast paths yield openapi-spec-validator's errors, one for one and in its order (the guided meta-schema
    check and fastpath's walk against the pure-Python validator and its walk)."""
    assert _error_stream(document, fast=True) == _error_stream(document, fast=False)


def test_jsonschema_rs_is_there() -> None:
    assert _rust_validator("3.0") is not None and _rust_validator("3.1") is not None


@pytest.mark.parametrize("path", GOLDEN_SPECS, ids=lambda path: path.parent.name)
def test_golden_verdicts_are_the_same(path: Path) -> None:
    fast, slow = verdicts(path)
    assert fast == slow


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS_DOCUMENTS, reason=f"{CORPUS} is absent on this machine")
@pytest.mark.parametrize("name", CORPUS_DOCUMENTS)
def test_corpus_verdicts_are_the_same(name: str, tmp_path: Path) -> None:
    spec = tmp_path / name.removesuffix(".gz")
    spec.write_bytes(gzip.decompress((CORPUS / name).read_bytes()))
    try:
        fast, slow = verdicts(spec)
    except ClientgenError as error:  # refused before validation (Swagger 2.0): the same for both paths
        pytest.skip(str(error))
    assert fast == slow


def test_a_failing_document_is_reported_with_file_line_and_pointer(tmp_path: Path) -> None:
    spec = tmp_path / "broken.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n  /pets:\n    get:\n      responses:\n        '200':\n          content: {}\n"
    )
    fast, slow = verdicts(spec)
    assert fast == slow
    assert fast[0].startswith(f"{spec}:9 (/paths/~1pets/get/responses/200): ")


# -- the walk's fast path (generator/fastpath.py) ------------------------------------------------


@pytest.mark.parametrize("path", GOLDEN_SPECS, ids=lambda path: path.parent.name)
def test_a_valid_document_is_vouched_for_without_the_validators_walk(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = load_document(path)
    if find_problems(document, fast=False):
        pytest.skip("a document with validation errors: the validator of record reports them")

    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("the pure-Python walk ran on a valid document")

    monkeypatch.setattr(validate_module, "_validator_class", must_not_run)
    assert find_problems(document, fast=True) == []


_NAMES = st.sampled_from(["a", "b", "c", "d", "a#b", "."])  # jsonschema-path splits keys at "#", drops "."
_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False, width=16), st.sampled_from(["", "x", "1"])
)
_LEAVES = st.one_of(
    st.builds(
        lambda kind: {"type": kind}, st.sampled_from(["string", "integer", "number", "boolean", "object", "strin"])
    ),
    st.builds(
        lambda pattern: {"type": "string", "pattern": pattern}, st.sampled_from(["^a+$", "(", "[a-", r"\d", "(?<n>a)"])
    ),
    st.builds(lambda name: {"$ref": f"#/components/schemas/{name}"}, st.sampled_from(["A", "B"])),
    st.just({"$ref": "#/components/schemas/A/properties/a"}),
    st.builds(lambda values: {"enum": values}, st.lists(_VALUES, min_size=1, max_size=3)),
    st.builds(lambda minimum: {"type": "string", "minLength": minimum}, st.sampled_from([0, 1, 1.0, 1.5, -1])),
    # What the fast path checks a default against itself (see fastpath._plainly_valid).
    st.builds(
        lambda kind, low, high, form: {"type": kind, "minimum": low, "maximum": high, "format": form},
        st.sampled_from(["integer", "number", ["integer", "null"], ["string", "number"]]),
        st.sampled_from([-1, 0, 0.5]),
        st.sampled_from([1, 2.5]),
        st.sampled_from(["int32", "double", "uri"]),
    ),
    st.builds(
        lambda members, longest: {"type": "string", "enum": members, "maxLength": longest},
        st.lists(st.sampled_from(["", "x", "1", 1]), min_size=1, max_size=3),
        st.sampled_from([0, 1]),
    ),
    st.just({"$id": "https://example.com/s"}),
    st.just({"$schema": "http://json-schema.org/draft-07/schema#"}),
    st.just({"x-thing": {"$ref": "https://example.com/not-a-schema"}}),
)


def _schemas() -> st.SearchStrategy[Any]:
    def extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.one_of(
            st.builds(
                lambda properties, required: {"type": "object", "properties": properties, "required": required},
                st.dictionaries(_NAMES, children, max_size=3),
                st.lists(_NAMES, max_size=2, unique=True),
            ),
            st.builds(
                lambda parts, required: {"allOf": parts, "required": required},
                st.lists(children, min_size=1, max_size=3),
                st.lists(_NAMES, max_size=2, unique=True),
            ),
            st.builds(lambda parts: {"anyOf": parts}, st.lists(children, min_size=1, max_size=3)),
            st.builds(lambda parts: {"oneOf": parts}, st.lists(children, min_size=1, max_size=2)),
            st.builds(lambda item: {"type": "array", "items": item}, children),
            st.builds(lambda inner: {"not": inner}, children),
            st.builds(lambda schema, value: {**schema, "default": value}, children, _VALUES),
            st.builds(lambda schema: {**schema, "nullable": True, "default": None}, children),
        )

    return st.recursive(_LEAVES, extend, max_leaves=6)


@st.composite
def _validator_documents(draw: Any) -> str:
    """Documents aimed at everything openapi-spec-validator's walk checks, valid or not."""
    version = draw(st.sampled_from(["3.0.3", "3.1.0"]))
    parameters = st.builds(
        lambda name, place, schema: {"name": name, "in": place, "required": place == "path", "schema": schema},
        st.sampled_from(["id", "other", "a"]),
        st.sampled_from(["path", "query", "header"]),
        _schemas(),
    )
    paths: dict[str, Any] = {}
    for url in draw(st.lists(st.sampled_from(["/a", "/a/{id}", "/b/{other}", "/c/{id}/{x}", "/d/{"]), max_size=3)):
        operation: dict[str, Any] = {
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": draw(_schemas())}}}}
        }
        if draw(st.booleans()):
            operation["operationId"] = draw(st.sampled_from(["one", "two"]))
        if draw(st.booleans()):
            operation["parameters"] = draw(st.lists(parameters, max_size=2))
        item: dict[str, Any] = {draw(st.sampled_from(["get", "post"])): operation}
        if draw(st.booleans()):
            item["parameters"] = draw(st.lists(parameters, max_size=2))
        paths[url] = item
    document: dict[str, Any] = {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": paths,
        "components": {
            "schemas": {"A": draw(_schemas()), "B": {"type": "object", "properties": {"a": {"type": "string"}}}}
        },
    }
    if draw(st.booleans()):
        document["tags"] = [{"name": name} for name in draw(st.lists(st.sampled_from(["t", "u"]), max_size=3))]
    for breakage in draw(st.lists(st.sampled_from(sorted(_BREAKAGES)), max_size=3, unique=True)):
        _BREAKAGES[breakage](document, draw)
    return json.dumps(document)


def _first_operation(document: dict[str, Any]) -> dict[str, Any] | None:
    for item in document["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and "responses" in operation:
                return operation
    return None


def _break_response_key(document: dict[str, Any], draw: Any) -> None:
    if (operation := _first_operation(document)) is not None:
        operation["responses"][draw(st.sampled_from(["4xx", "20", "default"]))] = {"description": "d"}


def _break_response_description(document: dict[str, Any], draw: Any) -> None:
    if (operation := _first_operation(document)) is not None:
        operation["responses"]["200"].pop("description")


def _break_parameter_place(document: dict[str, Any], draw: Any) -> None:
    if (operation := _first_operation(document)) is not None:
        operation.setdefault("parameters", []).append({"name": "q", "in": draw(st.sampled_from(["nowhere", 1]))})


def _break_info(document: dict[str, Any], draw: Any) -> None:
    document["info"].pop(draw(st.sampled_from(["title", "version"])))


def _break_schema(document: dict[str, Any], draw: Any) -> None:
    document["components"]["schemas"]["C"] = draw(
        st.sampled_from(
            [
                {"type": "object", "exclusiveMinimum": True, "minimum": 1},
                {"type": "strin"},
                {"type": "object", "required": "a"},
                {"properties": {"a": {"type": "string", "example": 1, "default": 1}}, "type": "object"},
                {"allOf": [{"$ref": "#/components/schemas/B"}], "required": ["zz", "yy", "a"]},
                ["not", "a", "schema"],
            ]
        )
    )


def _break_operation_type(document: dict[str, Any], draw: Any) -> None:
    if (operation := _first_operation(document)) is not None:
        operation[draw(st.sampled_from(["summary", "deprecated", "tags"]))] = draw(st.sampled_from([1, "x", None]))


_BREAKAGES = {
    "response key": _break_response_key,
    "response description": _break_response_description,
    "parameter place": _break_parameter_place,
    "info": _break_info,
    "schema": _break_schema,
    "operation type": _break_operation_type,
}


@pytest.mark.slow
@settings(
    # A few dozen in the suite; `nox -s fuzz` sets CLIENTGEN_VALIDATE_EXAMPLES much higher.
    max_examples=int(os.environ.get("CLIENTGEN_VALIDATE_EXAMPLES", "40")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(text=_validator_documents())
def test_the_fast_path_gives_the_validators_verdicts_on_generated_documents(text: str) -> None:
    try:
        document = parse_document(text, "spec.json")
    except ClientgenError:
        assume(False)  # refused before validation, the same for both paths
        return
    assert_same_errors(document)
    assert [str(problem) for problem in find_problems(document, fast=True)] == [
        str(problem) for problem in find_problems(document, fast=False)
    ]


# -- hostile documents and mutated ones ---------------------------------------------------------

HOSTILE = sorted(path for path in (ROOT / "tests" / "documents_with_errors").iterdir() if path.name != "expected.yaml")


@pytest.mark.parametrize("path", HOSTILE, ids=lambda path: path.name)
def test_hostile_verdicts_are_the_same(path: Path) -> None:
    try:
        fast, slow = verdicts(path)
    except ClientgenError:  # refused before validation: the same for both paths
        pytest.skip("refused before validation")
    assert fast == slow


def _mutations(document: Any) -> list[tuple[list[Any], Any]]:
    """Every place of the document, with its container, where a value can be replaced or dropped."""
    places: list[tuple[list[Any], Any]] = []
    stack: list[tuple[Any, list[Any]]] = [(document, [])]
    while stack:
        node, here = stack.pop()
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in children:
            places.append(([*here, key], node))
            stack.append((value, [*here, key]))
    return places


_REPLACEMENTS = st.sampled_from([1, -1, "x", "4xx", True, None, [], {}, [1], {"type": "strin"}, {"description": 1}])


@pytest.mark.slow
@settings(
    max_examples=int(os.environ.get("CLIENTGEN_VALIDATE_EXAMPLES", "25")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_fast_paths_give_the_validators_verdicts_on_mutated_documents(data: st.DataObject) -> None:
    """A golden document with one value replaced or dropped (invalid for the meta-schema, the walk or neither)."""
    path = data.draw(st.sampled_from(GOLDEN_SPECS), label="document")
    document = json.loads(json.dumps(dict(load_document(path).data)))
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        where, holder = data.draw(st.sampled_from(_mutations(document)), label="place")
        if isinstance(holder, dict) and data.draw(st.booleans(), label="drop"):
            holder.pop(where[-1])
        else:
            holder[where[-1]] = copy.deepcopy(data.draw(_REPLACEMENTS, label="value"))  # later mutations may edit it
    try:
        mutated = parse_document(json.dumps(document, indent=1), "spec.json")
    except ClientgenError:
        assume(False)  # refused before validation, the same for both paths
        return
    assert_same_errors(mutated)
    assert [str(problem) for problem in find_problems(mutated, fast=True)] == [
        str(problem) for problem in find_problems(mutated, fast=False)
    ]


def test_a_document_the_validators_walk_asserts_on_is_reported_not_raised() -> None:
    """openapi-spec-validator asserts that path templates are text: a list of paths stopped it with an
    AssertionError (a traceback); its meta-schema error is what the user gets."""
    document = parse_document('{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": [1]}', "spec.json")
    for fast in (True, False):
        assert [str(problem) for problem in find_problems(document, fast=fast)] == [
            "spec.json:1 (/paths): [1] is not of type 'object'"
        ]


# -- each problem said once ----------------------------------------------------------------------

_SAME_PROBLEM_MANY_TIMES = """\
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /records:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                proxied: {type: boolean, example: 'true'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/A'}
components:
  schemas:
    A:
      type: object
      properties:
        proxied: {type: boolean, default: 'true'}
        again: {type: boolean, default: 'true'}
    B:
      type: object
      properties:
        proxied: {type: boolean, default: 'true'}
"""


def test_a_problem_found_in_many_places_is_said_once() -> None:
    """The validator reports each schema's bad default with no place: all are found at the first value like it
    (cloudflare said one problem 40 times)."""
    document = parse_document(_SAME_PROBLEM_MANY_TIMES, "spec.yaml")
    problems = [str(problem) for problem in find_problems(document)]
    assert problems == [
        "spec.yaml:29 (/components/schemas/B/properties/proxied/default): schema B: 'true' is not of type 'boolean'"
    ]


# -- what the fast path reads and checks without importing the validators ------------------------


@pytest.mark.parametrize("family", ["3.0", "3.1", "3.2"])
def test_the_meta_schema_read_from_the_validators_files_is_the_one_it_loads(family: str) -> None:
    assert validate_module.shipped_meta_schema(family) == dict(validate_module._meta_schema(family))


def test_the_dialect_schemas_read_from_files_are_the_ones_openapi_schema_validator_uses() -> None:
    from openapi_schema_validator import OAS30Validator
    from openapi_schema_validator._dialects import OAS31_BASE_DIALECT_ID, OAS31_BASE_DIALECT_METASCHEMA
    from openapi_schema_validator._specifications import REGISTRY

    assert list(fastpath.dialect_schemas("3.0").values()) == [OAS30Validator.META_SCHEMA]
    assert fastpath.dialect_schemas("3.1") == {
        OAS31_BASE_DIALECT_ID: OAS31_BASE_DIALECT_METASCHEMA,
        fastpath._OAS31_BASE: REGISTRY.contents(fastpath._OAS31_BASE),
    }


@pytest.mark.parametrize(
    "pattern", ["^a+$", "(", "[a-", r"\d", "(?<n>a)", "(?P<n>a)", r"\p{L}", "a{2,1}", "", "[[:alpha:]]", "(?i)a", "\\"]
)
def test_the_regex_check_is_openapi_schema_validators(pattern: str) -> None:
    from openapi_schema_validator._regex import is_valid_regex

    assert fastpath.is_valid_regex(pattern) == is_valid_regex(pattern)


_SCALAR_VALUES = st.one_of(
    st.booleans(),
    st.integers(-(1 << 64), 1 << 64),
    st.sampled_from([0, 1, -1, 2**31 - 1, 2**31, -(2**31), -(2**31) - 1, 2**63, -(2**63) - 1, 1.0, 0.5, -0.0]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=4),
    st.none(),
)
_KEYWORDS = st.fixed_dictionaries(
    {},
    optional={
        "type": st.one_of(
            st.sampled_from(["string", "integer", "number", "boolean", "null", "object", "array", "strin"]),
            st.lists(st.sampled_from(["string", "integer", "number", "boolean", "null", "strin"]), max_size=3),
        ),
        "enum": st.lists(_SCALAR_VALUES, max_size=4),
        "minimum": st.one_of(st.integers(-3, 3), st.floats(-3, 3), st.booleans()),
        "maximum": st.one_of(st.integers(-3, 3), st.floats(-3, 3)),
        "exclusiveMinimum": st.booleans(),
        "minLength": st.one_of(st.integers(0, 3), st.just(1.0)),
        "maxLength": st.integers(0, 3),
        "format": st.sampled_from(["int32", "int64", "float", "double", "byte", "uri", "date-time", "unknown"]),
        "nullable": st.booleans(),
        "readOnly": st.booleans(),
        "deprecated": st.booleans(),
        "description": st.just("d"),
        "pattern": st.just("^a"),
        "const": _SCALAR_VALUES,
    },
)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(family=st.sampled_from(["3.0", "3.1"]), schema=_KEYWORDS, default=_SCALAR_VALUES)
def test_a_default_the_fast_path_calls_valid_is_valid_for_openapi_schema_validator(
    family: str, schema: dict[str, Any], default: Any
) -> None:
    """The oracle is openapi-schema-validator's value check, as openapi-spec-validator runs it on a default."""
    from openapi_schema_validator import OAS30Validator, OAS31Validator
    from openapi_schema_validator._format import oas30_format_checker, oas31_format_checker

    schema = {**schema, "default": default}
    if not fastpath._plainly_valid(family, ("components", "schemas", "A"), schema, default):
        return
    validator = OAS30Validator if family == "3.0" else OAS31Validator
    checker = oas30_format_checker if family == "3.0" else oas31_format_checker
    assert list(validator(schema, format_checker=checker).iter_errors(default)) == []


def test_a_plain_default_is_vouched_for_without_the_value_validator() -> None:
    schema = {"type": ["integer", "null"], "minimum": 0, "maximum": 100, "format": "int32", "default": 50}
    assert fastpath._plainly_valid("3.1", ("paths", "/items/{id}", "get", "parameters", 0, "schema"), schema, 50)
    # Keys jsonschema-path would split or drop, and what is not modelled, go to the validator's code.
    assert not fastpath._plainly_valid("3.1", ("components", "schemas", "a#b"), schema, 50)
    assert not fastpath._plainly_valid("3.1", ("components", "schemas", ""), schema, 50)
    assert not fastpath._plainly_valid("3.0", ("components", "schemas", "A"), schema, 50)  # a list of types
    assert not fastpath._plainly_valid("3.1", ("components", "schemas", "A"), {**schema, "format": "uri"}, 50)
    assert not fastpath._plainly_valid("3.1", ("components", "schemas", "A"), schema, 101)


_PLAIN_DEFAULTS = """\
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, pattern: '^[a-z]+$'}}
        - {name: limit, in: query, schema: {type: [integer, 'null'], minimum: 1, maximum: 100, default: 20}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string, maxLength: 20, default: rex}
        kind: {type: string, enum: [cat, dog], default: dog}
        weight: {type: number, format: double, default: 1.5}
        adopted: {type: boolean, default: false}
"""


def test_validating_a_valid_document_imports_neither_validator(tmp_path: Path) -> None:
    """The fast path reads the validators' meta-schemas from their files and checks plain defaults itself:
    importing the validators costs a quarter second."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(_PLAIN_DEFAULTS)
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from generator.load import load_document\n"
        "from generator.validate import find_problems\n"
        f"assert find_problems(load_document(Path({str(spec)!r}))) == []\n"
        "print(sorted({name.split('.')[0] for name in sys.modules} & {'openapi_spec_validator', "
        "'openapi_schema_validator', 'jsonschema', 'jsonschema_path'}))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
