"""Auto-pagination against a loopback server: every detected style, in all four clients.

Each style serves three pages; iterating the first page yields all five items
and stops after the last page; ``get_next_page()`` sends the style's parameter.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from support.features import KINDS, Kind, generate_features, is_async, item_id, run_with_client
from support.server import ScriptedServer, loopback_server


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return generate_features(tmp_path_factory.mktemp("features"))


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    yield from loopback_server()


def items(*ids: int) -> list[dict[str, Any]]:
    return [{"id": f"it_{i}", "n": i} for i in ids]


PAGES = (items(1, 2), items(3, 4), items(5))


@dataclass(frozen=True)
class Style:
    resource: str
    kwargs: dict[str, Any]
    bodies: tuple[Any, ...]  # one JSON body per page
    sent: tuple[dict[str, list[str]], ...]  # the query each following page must carry
    headers: tuple[dict[str, str], ...] = field(default=({}, {}, {}))


def _styles(base: str) -> dict[str, Style]:
    link = f"{base}/v1/link_items?per_page=2&page="
    return {
        "cursor_id": Style(
            "stripe_items",
            {"limit": 2},
            tuple({"object": "list", "data": page, "has_more": index < 2} for index, page in enumerate(PAGES)),
            ({"limit": ["2"], "starting_after": ["it_2"]}, {"limit": ["2"], "starting_after": ["it_4"]}),
        ),
        "cursor_nested": Style(
            "cursor_items",
            {},
            (
                {"items": PAGES[0], "meta": {"next_cursor": "c2"}},
                {"items": PAGES[1], "meta": {"next_cursor": "c3"}},
                {"items": PAGES[2], "meta": {"next_cursor": None}},
            ),
            ({"cursor": ["c2"]}, {"cursor": ["c3"]}),
        ),
        "page_token": Style(
            "token_items",
            {},
            (
                {"results": PAGES[0], "nextPageToken": "t2"},
                {"results": PAGES[1], "nextPageToken": "t3"},
                {"results": PAGES[2], "nextPageToken": ""},
            ),
            ({"pageToken": ["t2"]}, {"pageToken": ["t3"]}),
        ),
        "offset": Style(
            "offset_items", {"limit": 2}, PAGES, ({"limit": ["2"], "offset": ["2"]}, {"limit": ["2"], "offset": ["4"]})
        ),
        "page": Style(
            "page_items",
            {"per_page": 2},
            tuple({"entries": page, "total": 5} for page in PAGES),
            ({"per_page": ["2"], "page": ["2"]}, {"per_page": ["2"], "page": ["3"]}),
        ),
        "link": Style(
            "link_items",
            {"per_page": 2},
            PAGES,
            ({"per_page": ["2"], "page": ["2"]}, {"per_page": ["2"], "page": ["3"]}),
            (
                {"Link": f'<{link}2>; rel="next", <{link}3>; rel="last"'},
                {"Link": f'<{link}1>; rel="prev", <{link}3>; rel="next"'},
                {"Link": f'<{link}1>; rel="first"'},
            ),
        ),
        "x-fern-pagination": Style(
            "fern_items",
            {},
            (
                {"records": PAGES[0], "paging": {"following": "f2"}},
                {"records": PAGES[1], "paging": {"following": "f3"}},
                {"records": PAGES[2], "other": []},
            ),
            ({"starting_from": ["f2"]}, {"starting_from": ["f3"]}),
        ),
        "x-speakeasy-pagination": Style(
            "speakeasy_items",
            {"count": 2},
            tuple({"rows": page} for page in PAGES),
            ({"count": ["2"], "from": ["2"]}, {"count": ["2"], "from": ["4"]}),
        ),
        "configured": Style(
            "configured_items",
            {},
            ({"things": PAGES[0], "resume_at": "r2"}, {"things": PAGES[1], "resume_at": "r3"}, {"things": PAGES[2]}),
            ({"resume": ["r2"]}, {"resume": ["r3"]}),
        ),
    }


STYLE_NAMES = tuple(_styles("http://x"))


def _serve(server: ScriptedServer, style: Style) -> None:
    for body, headers in zip(style.bodies, style.headers, strict=True):
        server.reply(200, json_body=body, headers=headers)


def _check_requests(server: ScriptedServer, style: Style) -> None:
    assert len(server.requests) == 3, [request.raw_path for request in server.requests]  # stops on the last page
    for request, query in zip(server.requests[1:], style.sent, strict=True):
        assert request.query == query, request.raw_path
        assert request.headers["authorization"] == "Bearer sk-paging-secret-123"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", STYLE_NAMES)
def test_iterating_a_page_yields_every_item_of_every_page(
    package: ModuleType, server: ScriptedServer, name: str, kind: Kind
) -> None:
    style = _styles(server.url)[name]
    _serve(server, style)

    def scenario(client: Any) -> Any:
        method = getattr(client, style.resource).list
        if is_async(kind):

            async def walk() -> list[Any]:
                page = await method(**style.kwargs)
                return [item async for item in page]

            return walk()
        return list(method(**style.kwargs))

    found = run_with_client(package, kind, server.url, scenario)
    assert [item_id(item) for item in found] == ["it_1", "it_2", "it_3", "it_4", "it_5"]
    assert all(isinstance(item, dict) == kind.endswith("typed") for item in found)
    _check_requests(server, style)


@pytest.mark.parametrize("kind", ["async", "async_typed"])
@pytest.mark.parametrize("name", ["cursor_id", "link"])
def test_async_for_walks_every_page_without_await(
    package: ModuleType, server: ScriptedServer, name: str, kind: Kind
) -> None:
    """``async for item in client.x.list()``, as in openai-python: no ``await`` before the call."""
    style = _styles(server.url)[name]
    _serve(server, style)

    def scenario(client: Any) -> Any:
        method = getattr(client, style.resource).list

        async def walk() -> list[Any]:
            listed = method(**style.kwargs)
            assert server.requests == []  # nothing is sent before it is awaited or iterated
            return [item async for item in listed]

        return walk()

    found = run_with_client(package, kind, server.url, scenario)
    assert [item_id(item) for item in found] == ["it_1", "it_2", "it_3", "it_4", "it_5"]
    _check_requests(server, style)


@pytest.mark.parametrize("kind", ["async", "async_typed"])
def test_an_async_paged_call_is_also_awaited_through_its_raw_response(
    package: ModuleType, server: ScriptedServer, kind: Kind
) -> None:
    style = _styles(server.url)["cursor_id"]
    _serve(server, style)

    async def scenario(client: Any) -> Any:
        raw = await getattr(client.with_raw_response, style.resource).list(**style.kwargs)
        page = raw.parse()
        return raw.status_code, [item_id(item) async for item in page]

    status, found = run_with_client(package, kind, server.url, scenario)
    assert (status, found) == (200, ["it_1", "it_2", "it_3", "it_4", "it_5"])


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", STYLE_NAMES)
def test_get_next_page_sends_the_styles_parameter(
    package: ModuleType, server: ScriptedServer, name: str, kind: Kind
) -> None:
    style = _styles(server.url)[name]
    _serve(server, style)

    def scenario(client: Any) -> Any:
        method = getattr(client, style.resource).list
        if is_async(kind):

            async def steps() -> list[tuple[list[str], bool]]:
                page = await method(**style.kwargs)
                seen = [([item_id(item) for item in page.data], page.has_next_page())]
                while page.has_next_page():
                    page = await page.get_next_page()
                    seen.append(([item_id(item) for item in page.data], page.has_next_page()))
                with pytest.raises(package.PagingError):
                    await page.get_next_page()
                return seen

            return steps()
        page = method(**style.kwargs)
        seen = [([item_id(item) for item in page.data], page.has_next_page())]
        while page.has_next_page():
            page = page.get_next_page()
            seen.append(([item_id(item) for item in page.data], page.has_next_page()))
        with pytest.raises(package.PagingError):
            page.get_next_page()
        return seen

    seen = run_with_client(package, kind, server.url, scenario)
    assert seen == [(["it_1", "it_2"], True), (["it_3", "it_4"], True), (["it_5"], False)]
    _check_requests(server, style)


@pytest.mark.parametrize("kind", KINDS)
def test_iter_pages_and_the_lists_own_name(package: ModuleType, server: ScriptedServer, kind: Kind) -> None:
    style = _styles(server.url)["cursor_id"]
    _serve(server, style)

    def scenario(client: Any) -> Any:
        if is_async(kind):

            async def walk() -> list[int]:
                page = await client.stripe_items.list(limit=2)
                assert page.data is page.data and page.object == "list"
                return [len(each.data) async for each in page.iter_pages()]

            return walk()
        page = client.stripe_items.list(limit=2)
        assert page.object == "list"
        return [len(each.data) for each in page.iter_pages()]

    assert run_with_client(package, kind, server.url, scenario) == [2, 2, 1]


@pytest.mark.parametrize("kind", KINDS)
def test_a_list_without_a_pattern_is_unchanged(package: ModuleType, server: ScriptedServer, kind: Kind) -> None:
    server.reply(200, json_body=items(1, 2))

    def scenario(client: Any) -> Any:
        return client.plain_items.list(kind="x")

    found = run_with_client(package, kind, server.url, scenario)
    assert type(found) is list and [item_id(item) for item in found] == ["it_1", "it_2"]
    assert len(server.requests) == 1


def _walk(
    package: ModuleType, kind: Kind, base_url: str, resource: str, kwargs: dict[str, Any], **options: Any
) -> tuple[list[str], Any]:
    """Every item ``for``/``async for`` yields from ``resource.list(**kwargs)``, and the error it ends with."""
    seen: list[str] = []

    def scenario(client: Any) -> Any:
        method = getattr(client, resource).list
        if is_async(kind):

            async def walk() -> Any:
                try:
                    async for item in await method(**kwargs):
                        seen.append(item_id(item))
                except package.PagingError as error:
                    return error
                return None

            return walk()
        try:
            for item in method(**kwargs):
                seen.append(item_id(item))
        except package.PagingError as error:
            return error
        return None

    return seen, run_with_client(package, kind, base_url, scenario, **options)


def _stopped(package: ModuleType, error: Any, reason: str, pages: int) -> None:
    assert isinstance(error, package.PaginationError), repr(error)
    assert isinstance(error, package.APIError) and (error.reason, error.pages) == (reason, pages), str(error)


def _paged(page: list[dict[str, Any]], token: str) -> dict[str, Any]:
    return {"results": page, "nextPageToken": token}


@pytest.mark.parametrize("kind", KINDS)
def test_a_repeated_cursor_stops_the_walk(package: ModuleType, server: ScriptedServer, kind: Kind) -> None:
    server.reply(200, json_body={"items": PAGES[0], "meta": {"next_cursor": "c2"}})
    server.reply(200, json_body={"items": PAGES[1], "meta": {"next_cursor": "c2"}})
    seen, error = _walk(package, kind, server.url, "cursor_items", {})
    assert seen == ["it_1", "it_2", "it_3", "it_4"]
    _stopped(package, error, "repeated", 2)
    assert "page 3 would ask for the same cursor as page 2" in str(error)
    assert len(server.requests) == 2


@pytest.mark.parametrize("kind", KINDS)
def test_a_cycle_of_cursors_stops_the_walk(package: ModuleType, server: ScriptedServer, kind: Kind) -> None:
    server.reply(200, json_body=_paged(PAGES[0], "A"))
    server.reply(200, json_body=_paged(PAGES[1], "B"))
    server.reply(200, json_body=_paged(PAGES[2], "A"))
    seen, error = _walk(package, kind, server.url, "token_items", {})
    assert seen == ["it_1", "it_2", "it_3", "it_4", "it_5"]
    _stopped(package, error, "repeated", 3)
    assert [request.query for request in server.requests] == [{}, {"pageToken": ["A"]}, {"pageToken": ["B"]}]


@pytest.mark.parametrize("kind", KINDS)
def test_a_next_link_to_the_same_url_stops_the_walk(package: ModuleType, server: ScriptedServer, kind: Kind) -> None:
    # The same page, its query in another order and the credential added: still the same URL.
    same = f"{server.url}/v1/link_items?page=1&per_page=2"
    server.reply(200, json_body=PAGES[0], headers={"Link": f'<{same}>; rel="next"'})
    seen, error = _walk(package, kind, server.url, "link_items", {"per_page": 2, "page": 1})
    assert seen == ["it_1", "it_2"]
    _stopped(package, error, "repeated", 1)
    assert len(server.requests) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_has_more_with_the_same_page_again_stops_without_repeating_items(
    package: ModuleType, server: ScriptedServer, kind: Kind
) -> None:
    for _ in range(2):
        server.reply(200, json_body={"object": "list", "data": PAGES[0], "has_more": True})
    seen, error = _walk(package, kind, server.url, "stripe_items", {"limit": 2})
    assert seen == ["it_1", "it_2"]
    _stopped(package, error, "identical", 2)
    assert server.requests[1].query == {"limit": ["2"], "starting_after": ["it_2"]}


@pytest.mark.parametrize("kind", KINDS)
def test_a_server_ignoring_the_offset_stops_without_repeating_items(
    package: ModuleType, server: ScriptedServer, kind: Kind
) -> None:
    for _ in range(2):
        server.reply(200, json_body=PAGES[0])
    seen, error = _walk(package, kind, server.url, "offset_items", {"limit": 2})
    assert seen == ["it_1", "it_2"]
    _stopped(package, error, "identical", 2)
    assert len(server.requests) == 2


@pytest.mark.parametrize("kind", KINDS)
def test_an_empty_page_that_says_there_is_more_stops_the_walk(
    package: ModuleType, server: ScriptedServer, kind: Kind
) -> None:
    server.reply(200, json_body={"object": "list", "data": PAGES[0], "has_more": True})
    server.reply(200, json_body={"object": "list", "data": [], "has_more": True})
    seen, error = _walk(package, kind, server.url, "stripe_items", {"limit": 2})
    assert seen == ["it_1", "it_2"]
    _stopped(package, error, "empty", 2)
    assert len(server.requests) == 2


@pytest.mark.parametrize("kind", KINDS)
def test_max_pages_bounds_a_walk_of_fresh_cursors(package: ModuleType, server: ScriptedServer, kind: Kind) -> None:
    for index in range(3):
        server.reply(200, json_body=_paged(items(index), f"fresh-{index}"))
    seen, error = _walk(package, kind, server.url, "token_items", {}, max_pages=3)
    assert seen == ["it_0", "it_1", "it_2"]
    _stopped(package, error, "max_pages", 3)
    assert "max_pages=3" in str(error) and len(server.requests) == 3


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("target", ["https://elsewhere.example/v1/link_items?page=2", "https://127.0.0.1:{port}/v1/x"])
def test_a_next_page_on_another_origin_is_refused_when_it_is_fetched(
    package: ModuleType, server: ScriptedServer, kind: Kind, target: str
) -> None:
    server.reply(200, json_body=items(1), headers={"Link": f'<{target.format(port=server.port)}>; rel="next"'})
    seen, error = _walk(package, kind, server.url, "link_items", {})
    assert seen == ["it_1"]  # the first page is not lost
    _stopped(package, error, "origin", 1)
    assert "another origin" in str(error) and len(server.requests) == 1


def test_a_next_url_with_credentials_in_it_sends_only_the_clients(package: ModuleType, server: ScriptedServer) -> None:
    host = server.url.removeprefix("http://")
    server.reply(
        200, json_body=items(1), headers={"Link": f'<http://mallory:pw@{host}/v1/link_items?page=2>; rel="next"'}
    )
    server.reply(200, json_body=items(2))
    seen, error = _walk(package, "sync", server.url, "link_items", {})
    assert (seen, error) == (["it_1", "it_2"], None)
    assert server.requests[1].headers["authorization"] == "Bearer sk-paging-secret-123"


def test_fetching_the_same_next_page_twice_is_no_loop(package: ModuleType, server: ScriptedServer) -> None:
    server.reply(200, json_body=_paged(PAGES[0], "A"))
    server.reply(200, json_body=_paged(PAGES[1], "B"))
    server.reply(200, json_body=_paged(PAGES[1], "B"))
    server.reply(200, json_body=_paged(PAGES[2], ""))

    def scenario(client: Any) -> list[str]:
        first = client.token_items.list()
        first.get_next_page()
        again = first.get_next_page()  # asked again by the caller: not the server repeating itself
        return [item_id(item) for item in again.get_next_page().data]

    assert run_with_client(package, "sync", server.url, scenario) == ["it_5"]


def test_max_pages_is_checked_and_with_options_changes_it(package: ModuleType, server: ScriptedServer) -> None:
    with pytest.raises(package.ConfigurationError, match="max_pages must be an integer >= 1"):
        package.Paging(api_key="k", base_url=server.url, max_pages=0)
    with pytest.raises(package.ConfigurationError, match="max_decompressed_bytes"):
        package.AsyncPaging(api_key="k", base_url=server.url, max_decompressed_bytes=-1)
    client = package.Paging(api_key="k", base_url=server.url)
    assert (client.max_pages, client.max_decompressed_bytes) == (10_000, 100 * 1024 * 1024)
    copy = client.with_options(max_pages=None, max_decompressed_bytes=5)
    assert (copy.max_pages, copy.max_decompressed_bytes, client.max_pages) == (None, 5, 10_000)
    assert client.with_options(timeout=3).max_pages == 10_000
    client.close()


def test_api_txt_shows_paginated_methods(package: ModuleType) -> None:
    text = (Path(str(package.__file__)).parent / "api.txt").read_text()
    assert (
        "    list(*, limit: int | NotGiven = NOT_GIVEN, starting_after: str | NotGiven = NOT_GIVEN, ending_before: str | NotGiven = NOT_GIVEN) -> SyncPage[Item]\n        GET /v1/stripe_items\n        paginated: cursor_id starting_after (items: data)\n"
        in text
    )
    assert "    list(*, kind: str | NotGiven = NOT_GIVEN) -> list[Item]\n        GET /v1/plain_items\n\n" in text


def test_diff_reports_a_method_that_becomes_or_stops_being_paginated() -> None:
    from diff_cases import base, diff_specs, mutated, op

    def add_offset(spec: dict[str, Any]) -> None:
        op(spec, "/pets", "get")["parameters"].append({"name": "offset", "in": "query", "schema": {"type": "integer"}})

    became = {finding.rule: finding for finding in diff_specs(base(), mutated(add_offset))}
    assert "paginated: offset offset (items: body)" in became["response-became-paginated"].message
    assert became["response-became-paginated"].route == "GET /pets"
    stopped = {finding.rule for finding in diff_specs(mutated(add_offset), base())}
    assert "response-no-longer-paginated" in stopped


def _detect(parameters: dict[str, Any], body: dict[str, Any], headers: dict[str, Any] | None = None) -> str:
    from generator.extract import extract
    from generator.load import parse_document
    from generator.pagination import paginate

    response: dict[str, Any] = {"description": "OK", "content": {"application/json": {"schema": body}}}
    if headers:
        response["headers"] = headers
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things": {
                "get": {
                    "parameters": [
                        {"name": name, "in": "query", "schema": schema} for name, schema in parameters.items()
                    ],
                    "responses": {"200": response},
                }
            }
        },
    }
    import json

    found = paginate(extract(parse_document(json.dumps(spec), "spec.json")))
    return found["GET /things"].describe() if found else "none"


ARRAY = {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}}}}
STRING, INTEGER = {"type": "string"}, {"type": "integer"}


@pytest.mark.parametrize(
    ("parameters", "body", "expected"),
    [
        (
            {"after": STRING, "limit": INTEGER},
            {"type": "object", "properties": {"data": ARRAY, "has_more": {"type": "boolean"}}},
            "paginated: cursor_id after (items: data)",
        ),
        # Stripe's search and OpenAI's usage: an opaque string page and next_page (nullable).
        (
            {"page": STRING},
            {
                "type": "object",
                "properties": {
                    "data": ARRAY,
                    "has_more": {"type": "boolean"},
                    "next_page": {"anyOf": [STRING, {"type": "null"}]},
                },
            },
            "paginated: cursor page (items: data)",
        ),
        # Asana: a string offset, the next one under next_page.
        (
            {"offset": STRING, "limit": INTEGER},
            {
                "type": "object",
                "properties": {
                    "data": ARRAY,
                    "next_page": {"type": "object", "properties": {"offset": STRING, "uri": STRING}},
                },
            },
            "paginated: cursor offset (items: data)",
        ),
        (
            {"page": INTEGER, "per_page": INTEGER},
            {"type": "object", "properties": {"results": ARRAY, "count": INTEGER}},
            "paginated: page page (items: results)",
        ),
        ({"offset": INTEGER, "limit": INTEGER}, ARRAY, "paginated: offset offset (items: body)"),
        (
            {"page_token": STRING},
            {
                "type": "object",
                "properties": {
                    "items": ARRAY,
                    "pagination": {"type": "object", "properties": {"next_page_token": STRING}},
                },
            },
            "paginated: cursor page_token (items: items)",
        ),
        # Not paginated: no way to ask for another page, or two lists and no hint which one pages.
        ({"limit": INTEGER}, ARRAY, "none"),
        ({"cursor": STRING}, {"type": "object", "properties": {"a": ARRAY, "b": ARRAY, "next_cursor": STRING}}, "none"),
        ({"page": INTEGER}, {"type": "object", "properties": {"id": STRING}}, "none"),
    ],
)
def test_detection(parameters: dict[str, Any], body: dict[str, Any], expected: str) -> None:
    assert _detect(parameters, body) == expected


def test_detection_of_a_declared_link_header() -> None:
    assert _detect({"per_page": INTEGER}, ARRAY, {"Link": {"schema": STRING}}) == "paginated: link (items: body)"


def test_pagination_settings_disable_override_and_must_not_be_stale() -> None:
    from support.features import SPEC

    from generator.errors import ClientgenError, Location
    from generator.extract import extract
    from generator.load import load_document
    from generator.pagination import PaginationMap, paginate

    api = extract(load_document(SPEC))
    assert "GET /v1/offset_items" in paginate(api)
    assert "GET /v1/offset_items" not in paginate(api, PaginationMap({"listOffsetItems": False}))
    changed = paginate(api, PaginationMap({"GET /v1/offset_items": {"style": "page", "param": "offset", "items": ""}}))
    assert changed["GET /v1/offset_items"].describe() == "paginated: page offset (items: body)"
    with pytest.raises(ClientgenError, match="stale pagination entry 'listGone'") as error:
        paginate(api, PaginationMap({"listGone": False}, {"listGone": Location("spec/clientgen.yaml", 12)}))
    assert str(error.value).startswith("spec/clientgen.yaml:12:")
    with pytest.raises(ClientgenError, match="style must be one of"):
        paginate(api, PaginationMap({"listOffsetItems": {"style": "pages", "param": "offset"}}))


def test_the_x_pagination_extension_is_honoured_and_can_turn_detection_off() -> None:
    import json

    from generator.extract import extract
    from generator.load import parse_document
    from generator.pagination import paginate

    def spec(extension: object) -> str:
        operation = {
            "x-pagination": extension,
            "parameters": [
                {"name": "offset", "in": "query", "schema": INTEGER},
                {"name": "limit", "in": "query", "schema": INTEGER},
                {"name": "from", "in": "query", "schema": STRING},
            ],
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "rows": ARRAY,
                                    "next": {"type": "object", "properties": {"from": STRING}},
                                },
                            }
                        }
                    },
                }
            },
        }
        return json.dumps(
            {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/things": {"get": operation}}}
        )

    found = paginate(
        extract(
            parse_document(spec({"style": "cursor", "param": "from", "cursor": "next.from", "items": "rows"}), "s.json")
        )
    )
    assert found["GET /things"].describe() == "paginated: cursor from (items: rows)" and found[
        "GET /things"
    ].cursor == ("next", "from")
    assert paginate(extract(parse_document(spec(False), "s.json"))) == {}


@pytest.mark.parametrize("kind", KINDS)
def test_raw_response_of_a_paginated_method_parses_to_its_first_page(
    package: ModuleType, server: ScriptedServer, kind: Kind
) -> None:
    style = _styles(server.url)["cursor_id"]
    _serve(server, style)

    def scenario(client: Any) -> Any:
        if is_async(kind):

            async def steps() -> list[str]:
                response = await client.with_raw_response.stripe_items.list(limit=2)
                assert response.status_code == 200
                page = response.parse()
                return [item_id(item) async for item in page]

            return steps()
        response = client.with_raw_response.stripe_items.list(limit=2)
        assert response.status_code == 200
        return [item_id(item) for item in response.parse()]

    assert run_with_client(package, kind, server.url, scenario) == ["it_1", "it_2", "it_3", "it_4", "it_5"]


def test_the_next_link_is_read_as_rfc_8288_writes_it(rt: Any) -> None:
    def next_of(*values: str) -> str | None:
        response = rt.pagination.httpx.Response(200, headers=[("Link", value) for value in values])
        result: str | None = rt.pagination._link_next(response)
        return result

    assert next_of('<https://api.test/p?page=2>; rel="next", <https://api.test/p?page=9>; rel="last"') == (
        "https://api.test/p?page=2"
    )
    assert next_of('</p?page=1>; rel="prev"', '</p?page=3>; title="x"; rel="preload NEXT"') == "/p?page=3"
    assert next_of('<https://api.test/p?page=9>; rel="last"') is None
    assert next_of() is None
