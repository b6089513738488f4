"""Specification extensions: opaque, except the ones clientgen reads (``extensions.READ``), each checked by its rule."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from support.paths import ROOT, corpus_file

from generator import extensions
from generator.cli import main
from generator.load import parse_document
from generator.pointer import NAME_MAPS, _rebuilt_without_extensions, iter_refs, without_extensions
from generator.validate import find_problems

FERN = ROOT / "tests" / "data" / "fern_examples" / "openapi.yaml"


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    status = main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.slow  # generates a package
@pytest.mark.slow  # generates a package
def test_a_fern_export_whose_examples_point_at_other_files_generates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, "generate", "--no-cache", FERN, "--package", "plants", "--output", tmp_path / "p")
    assert (status, err) == (0, "")
    api = (tmp_path / "p" / "api.txt").read_text()
    assert "    get(plant_id: str) -> Plant" in api
    # A property called x-rate-limit is a name, not an extension: its $ref is followed.
    assert "    x-rate-limit?: Limit" in api


def test_a_fern_export_whose_examples_point_at_other_files_diffs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = tmp_path / "new.yaml"
    new.write_text(FERN.read_text().replace("required: [id]", "required: [id, x-rate-limit]"))
    status, out, err = run(capsys, "diff", "--format", "json", FERN, new)
    assert (status, err) == (0, "")
    (report,) = json.loads(out)["specs"]
    assert [finding["rule"] for finding in report["findings"]] == ["response-property-became-required"]


def test_no_reference_inside_an_extension_is_seen() -> None:
    document = parse_document(FERN.read_text(), str(FERN))
    refs = dict(iter_refs(document.data))
    assert refs == {
        "/paths/~1plants~1{plantId}/get/responses/200/content/application~1json/schema/$ref": "#/components/schemas/Plant",
        "/components/schemas/Plant/properties/x-rate-limit/$ref": "#/components/schemas/Limit",
    }
    assert find_problems(document) == []


def test_the_validator_reads_the_document_without_its_extensions() -> None:
    data: dict[str, Any] = {
        "x-top": {"$ref": "elsewhere.yaml"},
        "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}, "x-r": {"$ref": "r.yaml"}}}}},
        "components": {
            "schemas": {"x-named": {"properties": {"x-prop": {"type": "string"}}, "x-ext": 1}},
            "responses": {"x-response": {"description": "a response called x-response"}},
        },
    }
    assert without_extensions(data) == {
        "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}},
        "components": {
            "schemas": {"x-named": {"properties": {"x-prop": {"type": "string"}}}},
            "responses": {"x-response": {"description": "a response called x-response"}},
        },
    }
    untouched = {"paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}}
    assert without_extensions(untouched) is untouched


def test_a_broken_reference_in_a_property_named_like_an_extension_is_still_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        FERN.read_text().replace('{$ref: "#/components/schemas/Limit"}', '{$ref: "#/components/schemas/Gone"}')
    )
    status, _, err = run(capsys, "validate", "--no-cache", spec)
    assert status == 2
    assert "spec.yaml:34 (/components/schemas/Plant/properties/x-rate-limit/$ref): broken reference" in err


def test_text_inside_an_unread_extension_is_not_checked() -> None:
    """A lone surrogate is refused where a name or value could carry it, not inside an opaque extension."""
    data = parse_document(FERN.read_text(), str(FERN)).data
    data["components"]["schemas"]["Plant"]["x-fern-type-name"] = "\ud800"
    document = parse_document(json.dumps(data), "spec.json")
    assert document.data["components"]["schemas"]["Plant"]["x-fern-type-name"] == "\ud800"


# One malformed value per extension clientgen reads: (extension, value, where it goes, message, pointer below it)
MALFORMED: dict[str, tuple[Any, str, str]] = {
    "x-pagination": ({"stlye": "cursor"}, "unknown key 'stlye' (did you mean 'style'?)", "/stlye"),
    "x-fern-pagination": ({"cursor": "$request.cursor", "results": "$response.data"}, "cursor needs next_cursor", ""),
    "x-speakeasy-pagination": (
        {"type": "cursor", "inputs": [{"name": "cursor", "in": "parameters", "type": "cursr"}]},
        "must be one of 'offset', 'limit', 'page', 'cursor', not 'cursr' (did you mean 'cursor'?)",
        "/inputs/0/type",
    ),
    "x-sunset": (20250101, "must be a date, not the number 20250101; quote it", ""),
    "x-enum-varnames": (["ONE"], "gives 1 names, but the enum has 2 values", ""),
    "x-enumNames": ("ONE,TWO", "must be a list of names, not 'ONE,TWO'", ""),
    "x-fern-sdk-group-name": (["users", 7], "must be a name, not the number 7; quote it", "/1"),
    "x-fern-sdk-method-name": ("!!!", "'!!!' has no letters or digits to make a name of", ""),
    "x-speakeasy-group": ("users..admin", "'users..admin' has an empty part between its dots", ""),
    "x-speakeasy-name-override": ({"a": 1}, "must be a name, not a mapping", ""),
}


def test_every_extension_clientgen_reads_has_a_malformed_case() -> None:
    assert set(MALFORMED) == set(extensions.READ)


def _document_with(name: str, value: Any) -> tuple[dict[str, Any], str]:
    schema: dict[str, Any] = {"type": "string", "enum": ["one", "two"]}
    operation: dict[str, Any] = {
        "operationId": "listThings",
        "parameters": [{"name": "cursor", "in": "query", "schema": {"type": "string"}}],
        "responses": {
            "200": {
                "description": "A page",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {"data": {"type": "array", "items": schema}, "next": {"type": "string"}},
                        }
                    }
                },
            }
        },
    }
    if "operation" in extensions.READ[name].on:
        operation[name] = value
        pointer = f"/paths/~1things/get/{name}"
    else:
        schema[name] = value
        pointer = "/paths/~1things/get/responses/200/content/application~1json/schema/properties/data/items/" + name
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Things", "version": "1"},
        "paths": {"/things": {"get": operation}},
    }
    return document, pointer


@pytest.mark.slow  # generates a package per extension
@pytest.mark.slow  # generates a package per extension
@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_a_malformed_extension_is_a_located_error_and_lenient_leaves_it_out(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    value, message, below = MALFORMED[name]
    document, pointer = _document_with(name, value)
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(document, indent=1))
    output = tmp_path / "things"
    status, _, err = run(capsys, "generate", "--no-cache", spec, "--package", "things", "--output", output)
    assert status == 2 and err.count("\n") == 1, err
    assert "spec.json:" in err and f"({pointer}{below}): invalid OpenAPI document: " in err, err
    assert f"{name}: {message}" in err, err
    assert not output.exists()

    status, _, err = run(capsys, "generate", "--no-cache", "--lenient", spec, "--package", "things", "--output", output)
    assert status == 0, err
    assert err.startswith("warning: ") and f"{name}: {message}" in err
    assert "internal error" not in err and (output / "api.txt").is_file()


_SHARED: dict[str, Any] = {"x-shared": 1, "value": {"x-inner": 2}}
_NAMES: dict[str, Any] = {"x-only": {"a": 1}}
_KEYS = st.sampled_from(["x-a", "x-", "components", "responses", "paths", "get", "a", "200", *sorted(NAME_MAPS)])
_TREES = st.recursive(
    st.one_of(st.none(), st.integers(), st.text(max_size=3), st.just(_SHARED)),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.one_of(_KEYS, st.integers(0, 2)), children, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(tree=st.dictionaries(_KEYS, _TREES, max_size=4))  # a document is an object
@example(tree={"components": {"responses": {"x-name": {"a": 1}}}})  # a response named x-name: no extension
@example(tree={"paths": {"/a": {"get": {"responses": {"x-ext": {"a": 1}}}}}})  # an operation's: one
@example(tree={"components": {"schemas": {"x-name": {"properties": {"x-p": {"x-ext": 1}}}}}})
@example(tree={"a": [_SHARED], "schemas": {"s": _SHARED}})
@example(tree={"a": _NAMES, "schemas": _NAMES})  # one mapping (a YAML alias) as an object and as a map of names
@example(tree={"schemas": _NAMES, "a": _NAMES})
def test_a_document_without_extensions_is_given_back_as_it_is(tree: Any) -> None:
    """The quick look for an extension agrees with the walk that removes them: same value, and the document
    itself exactly when that walk found nothing to remove."""
    rebuilt = _rebuilt_without_extensions(tree)
    result = without_extensions(tree)
    assert result == rebuilt
    assert (result is tree) == (rebuilt is tree)


_PLACES = st.sampled_from(
    ["components", "schemas", "responses", "paths", "/a~b", "get", "post", "properties", "items", "allOf", "0",
     "schema", "content", "application/json", "x-pagination", "x-other", "discriminator", "type", "mapping"]
)  # fmt: skip
_DOCUMENTS = st.recursive(
    st.one_of(st.none(), st.integers(), st.sampled_from(["object", "x"])),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.one_of(_PLACES, st.integers(0, 1)), children, max_size=4)
    ),
    max_leaves=40,
)


@settings(max_examples=400, deadline=None)
@given(
    document=st.dictionaries(_PLACES, _DOCUMENTS, max_size=4),
    keys=st.frozensets(st.sampled_from(["discriminator", "x-pagination", "type", "mapping"]), min_size=1),
)
@example(
    document={"components": {"schemas": {"A": {"type": "object", "properties": {"b": {"discriminator": {}}}}}}},
    keys=frozenset({"discriminator", "type"}),
)
@example(
    document={"paths": {"/a~b": {"get": {"x-pagination": False, "responses": {}}}}}, keys=frozenset({"x-pagination"})
)
@example(  # a response named x-other is a name: its schema is walked
    document={"components": {"responses": {"x-other": {"content": {"application/json": {"schema": {"type": "x"}}}}}}},
    keys=frozenset({"type"}),
)
@example(  # not under /components: an extension, not walked
    document={"paths": {"components": {"responses": {"x-other": {"schema": {"type": "x"}}}}}}, keys=frozenset({"type"})
)
def test_holders_with_keys_are_the_holders_that_have_them(document: dict[str, Any], keys: frozenset[str]) -> None:
    expected = [holder for holder in extensions.holders(document) if not keys.isdisjoint(holder[2])]
    assert extensions.holders_with(document, keys) == expected


@pytest.mark.parametrize("name", ["openrouter.json.gz", "github.json.gz", "twilio_api_v2010.json.gz"])
def test_holders_with_keys_on_real_documents(name: str) -> None:
    path = corpus_file(name)
    text = gzip.decompress(path.read_bytes()).decode()
    data = parse_document(text, name.removesuffix(".gz")).data
    for keys in (frozenset({"discriminator", *extensions.READ}), frozenset({"type"}), frozenset({"$ref"})):
        expected = [holder for holder in extensions.holders(data) if not keys.isdisjoint(holder[2])]
        assert extensions.holders_with(data, keys) == expected
