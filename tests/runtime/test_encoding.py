"""Request encoding: path segments, query, header and cookie parameters, left-out arguments and extras.

Every test that takes ``api`` runs eight times: {httpx2, httpx} x {sync, async, typed,
async typed}, on the package clientgen generates from ``loopback.yaml`` (see conftest.py).
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import http.cookies
import json
import urllib.parse
import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.loopback import THING, Api, value
from support.server import ScriptedServer


def test_path_arguments_are_percent_encoded_as_one_segment(api: Api, server: ScriptedServer) -> None:
    for _ in range(3):
        server.reply(200, json_body=THING)
    client = api.client()
    api.run(client.things.retrieve("a b/c?d#e"))
    api.run(client.things.retrieve("%2E%2E"))
    api.run(client.things.retrieve("..."))
    assert [request.raw_path for request in server.requests] == [
        "/v1/things/a%20b%2Fc%3Fd%23e",
        "/v1/things/%252E%252E",
        "/v1/things/...",
    ]


@pytest.mark.parametrize("segment", ["", ".", ".."])
def test_dot_and_empty_path_arguments_are_refused_before_sending(
    api: Api, server: ScriptedServer, segment: str
) -> None:
    with pytest.raises(ValueError) as info:
        api.run(api.client().things.retrieve(segment))
    assert isinstance(info.value, api.error("RequestArgumentError"))
    assert "'id'" in str(info.value)
    assert server.requests == []


def test_cookie_parameters_cannot_inject_cookies(api: Api, server: ScriptedServer) -> None:
    server.reply(200, json_body={})
    api.run(api.client().params.echo("a", 1, pref="x; admin=1"))
    assert server.requests[0].headers["cookie"] == "pref=x%3B%20admin=1"


def test_left_out_arguments_are_not_sent_and_none_is_null(api: Api, server: ScriptedServer) -> None:
    server.reply(200, json_body={**THING, "displayName": "X"})
    result = api.run(api.client().things.create(name="job", note=None))
    assert value(result, "displayName" if api.is_typed else "display_name") == "X"
    assert server.requests[0].json() == {"name": "job", "note": None}


def test_extras_are_applied(api: Api, server: ScriptedServer) -> None:
    server.reply(200, json_body=THING)
    api.run(
        api.client().things.create(
            name="job",
            tags=["a", "b"],
            extra_headers={"X-Extra": "1", "User-Agent": "custom/9"},
            extra_query={"dry_run": True},
            extra_body={"priority": 5},
        )
    )
    sent = server.requests[0]
    assert (sent.headers["x-extra"], sent.headers["user-agent"]) == ("1", "custom/9")
    assert sent.query == {"dry_run": ["true"]}
    assert sent.json() == {"name": "job", "tags": ["a", "b"], "priority": 5}


def test_query_header_and_cookie_parameters(api: Api, server: ScriptedServer) -> None:
    server.reply(200, json_body=[THING])
    server.reply(200, json_body={})
    client = api.client(default_query={"region": "eu"})
    api.run(client.things.list(status=["queued", "done"], include_done=False))
    api.run(client.params.echo("x y", 7, x_mode="fast", pref="dark", when="2024-01-02"))
    listing, echo = server.requests
    assert listing.query == {"status": ["queued", "done"], "include_done": ["false"], "region": ["eu"]}
    assert echo.raw_path.startswith("/v1/params/x%20y/7?")
    assert (echo.headers["x-mode"], echo.headers["cookie"]) == ("fast", "pref=dark")
    assert echo.query == {"when": ["2024-01-02"], "region": ["eu"]}


# Pure functions of _runtime/encoding.py


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1).filter(lambda text: text not in (".", "..")))
def test_a_path_argument_is_exactly_one_segment_that_decodes_to_itself(rt: Any, text: str) -> None:
    segment = rt.encoding._path_segment("id", text)
    assert "/" not in segment and "?" not in segment and "#" not in segment
    assert urllib.parse.unquote(segment, errors="surrogatepass") == text


def test_path_segments_are_refused_when_they_would_not_name_one_segment(rt: Any) -> None:
    for bad in ("", ".", "..", None, rt.NOT_GIVEN):
        with pytest.raises(rt.RequestArgumentError, match="'id'"):
            rt.encoding._path_segment("id", bad)
    route = rt.Route("get", "/v1/{a}/x/{b}")
    assert rt.encoding.format_path(route, {"a": "1 2", "b": True}) == "/v1/1%202/x/true"


def test_values_on_the_wire(rt: Any) -> None:
    class Color(enum.Enum):
        RED = "red"

    stringify = rt.encoding.stringify
    assert [stringify(True), stringify(False), stringify(Color.RED), stringify(3)] == ["true", "false", "red", "3"]
    assert stringify(dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)) == "2024-01-02T03:04:05+00:00"
    params: list[tuple[str, str]] = []
    rt.encoding.query_items(params, {"a": [1, None, "x"], "b": None, "c": rt.NOT_GIVEN, "d": False})
    assert params == [("a", "1"), ("a", "x"), ("d", "false")]


def test_headers_and_cookies_that_would_inject_are_refused(rt: Any) -> None:
    for name, text in (("X-Ok", "a\r\nX-Evil: 1"), ("Bad Name", "v"), ("X-Ok", "caf\u00e9")):
        with pytest.raises(rt.RequestArgumentError) as info:
            rt.encoding.check_header(name, text, "header parameter")
        assert "Evil" not in str(info.value)
    with pytest.raises(rt.RequestArgumentError):
        rt.encoding.cookie_pair("a=b", "v")
    cookies = http.cookies.SimpleCookie(rt.encoding.cookie_pair("session", "a; admin=1"))
    assert list(cookies) == ["session"]
    assert urllib.parse.unquote(cookies["session"].value) == "a; admin=1"


def test_json_bodies_drop_left_out_values_and_encode_what_json_cannot(rt: Any) -> None:
    value = {
        "a": rt.NOT_GIVEN,
        "b": [1, rt.NOT_GIVEN, None],
        "when": dt.date(2024, 1, 2),
        "id": uuid.UUID(int=1),
        "amount": decimal.Decimal("1.10"),
    }
    text = json.dumps(rt.encoding._to_jsonable(value), default=rt.encoding._json_default)
    assert json.loads(text) == {
        "b": [1, None],
        "when": "2024-01-02",
        "id": "00000000-0000-0000-0000-000000000001",
        "amount": "1.10",
    }
    with pytest.raises(TypeError):
        rt.encoding._json_default(object())
