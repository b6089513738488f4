"""The fast paths (jsonschema-rs for the meta-schema, fastpath.py for the walk) give openapi-spec-validator's verdicts
and messages, on every golden and corpus document and on generated ones."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from support.paths import CORPUS, ROOT

from generator import validate as validate_module
from generator.errors import ClientgenError
from generator.load import load_document, parse_document
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
    return [str(problem) for problem in find_problems(document, fast=True)], [
        str(problem) for problem in find_problems(document, fast=False)
    ]


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


_NAMES = st.sampled_from(["a", "b", "c", "d"])
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
    return json.dumps(document)


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
    assert [str(problem) for problem in find_problems(document, fast=True)] == [
        str(problem) for problem in find_problems(document, fast=False)
    ]
