"""Paging settings checked against their operation, whatever their source (issue 20 point 3).

The configuration's ``pagination:`` entries and the ``x-pagination``, ``x-fern-pagination`` and
``x-speakeasy-pagination`` extensions each name a query parameter, a list, a cursor and a flag: the
parameter must be one of the operation's query parameters (the paginator sends nothing else), the paths
must lead to values of the right kinds in the response schema. In-process: each case costs milliseconds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from support.features import SPEC as FEATURES
from support.paths import ROOT

from generator.config import client_config
from generator.errors import ClientgenError
from generator.extract import extract
from generator.load import load_document, parse_document
from generator.pagination import PaginationMap, detect, paginate, pagination_problems
from generator.paging_check import Schemas, check_against
from generator.pipeline import analyse

STRING, INTEGER = {"type": "string"}, {"type": "integer"}
BODY = {
    "type": "object",
    "properties": {
        "data": {"type": "array", "items": {"type": "object", "properties": {"id": STRING}}},
        "has_more": {"type": "boolean"},
        "meta": {"type": "object", "properties": {"next_cursor": {"type": ["string", "null"]}}},
        "total": INTEGER,
    },
}


def document(extensions: dict[str, Any] | None = None, body: Any = BODY) -> str:
    operation: dict[str, Any] = {
        "operationId": "listThings",
        "parameters": [
            {"name": "cursor", "in": "query", "schema": STRING},
            {"name": "offset", "in": "query", "schema": INTEGER},
            {"name": "limit", "in": "query", "schema": INTEGER},
            {"name": "X-Page", "in": "header", "schema": STRING},
        ],
        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": body}}}},
        **(extensions or {}),
    }
    return json.dumps(
        {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/things": {"get": operation}}},
        indent=1,
    )


def problems_of(extension: str, block: Any) -> list[tuple[str, str]]:
    api = extract(parse_document(document({extension: block}), "spec.json"))
    return [(problem.message, problem.pointer) for problem in pagination_problems(api)]


BAD_EXTENSIONS = [
    (
        "x-pagination",
        {"style": "offset", "param": "ofset"},
        "x-pagination: 'ofset' is not a query parameter of GET /things (did you mean 'offset'?)",
        "/param",
    ),
    (
        "x-pagination",
        {"style": "cursor", "param": "X-Page", "cursor": "meta.next_cursor"},
        "'X-Page' is a header parameter of GET /things; the next page is asked for in the query",
        "/param",
    ),
    ("x-pagination", {"style": "offset", "param": "offset", "items": "total"}, "'total' is an integer", "/items"),
    (
        "x-pagination",
        {"style": "offset", "param": "offset", "size_param": "size"},
        "'size' is not a query",
        "/size_param",
    ),
    (
        "x-pagination",
        {"style": "cursor", "param": "cursor", "cursor": "meta.next"},
        "'meta.next': 'meta' has no field 'next' (its fields: next_cursor)",
        "/cursor",
    ),
    ("x-pagination", {"style": "cursor", "param": "cursor", "cursor": "data"}, "'data' is an array", "/cursor"),
    (
        "x-pagination",
        {"style": "cursor_id", "param": "cursor", "cursor": "uid"},
        "each item has no field 'uid'",
        "/cursor",
    ),
    ("x-pagination", {"style": "offset", "param": "offset", "has_more": "total"}, "not a boolean", "/has_more"),
    (
        "x-fern-pagination",
        {"cursor": "$request.page_token", "next_cursor": "$response.meta.next_cursor", "results": "$response.data"},
        "x-fern-pagination: 'page_token' is not a query parameter",
        "/cursor",
    ),
    ("x-fern-pagination", {"offset": "$request.offset", "results": "$response.items"}, "no field 'items'", "/results"),
    ("x-fern-pagination", {"offset": "$request.offset", "step": "$request.size"}, "'size' is not a query", "/step"),
    (
        "x-fern-pagination",
        {"offset": "$request..", "results": "$response.data"},
        "names no request parameter",
        "/offset",
    ),
    (
        "x-speakeasy-pagination",
        {
            "type": "cursor",
            "inputs": [{"name": "after", "in": "parameters", "type": "cursor"}],
            "outputs": {"nextCursor": "$.meta.next_cursor", "results": "$.data"},
        },
        "x-speakeasy-pagination: 'after' is not a query parameter",
        "/inputs/0/name",
    ),
    (
        "x-speakeasy-pagination",
        {
            "type": "cursor",
            "inputs": [{"name": "cursor", "in": "requestBody", "type": "cursor"}],
            "outputs": {"nextCursor": "$.meta.next_cursor"},
        },
        "is in the request body; clientgen pages through query parameters",
        "/inputs/0/in",
    ),
    (
        "x-speakeasy-pagination",
        {
            "type": "offsetLimit",
            "inputs": [{"name": "offset", "in": "parameters", "type": "offset"}],
            "outputs": {"results": "$.meta"},
        },
        "'meta' is an object in the response schema, not a list",
        "/outputs/results",
    ),
    (
        "x-speakeasy-pagination",
        {"type": "url", "outputs": {"nextUrl": "$.has_more", "results": "$.data"}},
        "'has_more' is a boolean in the response schema, not a cursor",
        "/outputs/nextUrl",
    ),
]


@pytest.mark.parametrize(("extension", "block", "message", "below"), BAD_EXTENSIONS)
def test_an_extension_that_does_not_fit_its_operation_is_located(
    extension: str, block: dict[str, Any], message: str, below: str
) -> None:
    found = problems_of(extension, block)
    assert len(found) == 1, found
    assert message in found[0][0]
    assert found[0][1] == f"/paths/~1things/get/{extension}{below}"
    # Ignored, not guessed at: the method returns the body as it is.
    assert paginate(extract(parse_document(document({extension: block}), "spec.json"))) == {}


@pytest.mark.parametrize(
    ("extension", "block", "expected"),
    [
        ("x-pagination", {"style": "offset", "param": "offset", "size_param": "limit"}, "paginated: offset offset"),
        ("x-pagination", {"style": "cursor_id", "param": "cursor", "has_more": "has_more"}, "cursor_id cursor"),
        (
            "x-fern-pagination",
            {"cursor": "$request.cursor", "next_cursor": "$response.meta.next_cursor", "results": "$response.data"},
            "paginated: cursor cursor (items: data)",
        ),
        (
            "x-speakeasy-pagination",
            {"type": "url", "outputs": {"nextUrl": "$.meta.next_cursor", "results": "$.data[*]"}},
            "paginated: cursor (items: data)",
        ),
    ],
)
def test_an_extension_that_fits_is_honoured(extension: str, block: dict[str, Any], expected: str) -> None:
    api = extract(parse_document(document({extension: block}), "spec.json"))
    assert pagination_problems(api) == []
    assert expected in paginate(api)["GET /things"].describe()


def test_an_open_schema_is_not_judged() -> None:
    """A body with no declared properties may hold any field: only what the schema says is checked."""
    block = {"style": "cursor", "param": "cursor", "cursor": "next", "items": "entries", "has_more": "more"}
    api = extract(parse_document(document({"x-pagination": block}, body={"type": "object"}), "spec.json"))
    assert pagination_problems(api) == []
    assert paginate(api)["GET /things"].items == ("entries",)


def test_the_configuration_wins_and_its_errors_are_located_at_the_setting() -> None:
    api = extract(parse_document(document({"x-pagination": {"style": "offset", "param": "nope"}}), "spec.json"))
    configured = PaginationMap({"listThings": {"style": "offset", "param": "offset"}})
    assert pagination_problems(api, configured) == []  # the broken extension is not used
    assert paginate(api, configured)["GET /things"].param == "offset"
    config = client_config(
        spec=ROOT / "spec" / "shop.yaml", package="shop", pagination={"GetProducts": {"style": "page", "param": "page"}}
    )
    with pytest.raises(ClientgenError, match=r"pagination: 'page' is not a query parameter of GET /v1/products"):
        analyse(config)


def test_strict_refuses_lenient_warns_and_the_ignore_list_applies(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(document({"x-fern-pagination": {"offset": "$request.start", "results": "$response.data"}}))
    with pytest.raises(ClientgenError) as error:
        analyse(client_config(spec=spec, package="things"))
    assert str(error.value).startswith(f"{spec}:")
    assert "(/paths/~1things/get/x-fern-pagination/offset): x-fern-pagination: 'start' is not a query" in str(
        error.value
    )
    lenient = analyse(client_config(spec=spec, package="things", validation="lenient"))
    assert [str(problem.location.pointer) for problem in lenient.problems] == [
        "/paths/~1things/get/x-fern-pagination/offset"
    ]
    assert lenient.paging == {}
    ignored = analyse(client_config(spec=spec, package="things", ignore_validation=["/paths/~1things/get/x-fern"]))
    assert ignored.problems == () and ignored.paging == {}


@pytest.mark.parametrize("spec", [ROOT / "spec" / "bctrl.yaml", ROOT / "spec" / "shop.yaml", FEATURES])
def test_detected_and_declared_paging_of_the_repositorys_specs_fits(spec: Path) -> None:
    """Detection reads the same schemas the checks read: what it finds always passes them."""
    api = extract(load_document(spec))
    schemas = Schemas(api)
    assert pagination_problems(api) == []
    for operation in api.operations:
        found = detect(operation, schemas)
        if found is not None:
            assert check_against(found, operation, schemas) is None, operation.key
