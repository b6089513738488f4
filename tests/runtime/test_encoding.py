"""Request encoding: path segments, query, header and cookie parameters, left-out arguments and extras.

Every test that takes ``api`` runs eight times: {httpx2, httpx} x {sync, async, typed,
async typed}, on the package clientgen generates from ``loopback.yaml`` (see conftest.py).
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import http.cookies
import importlib
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

    class Open(str, enum.Enum):  # how the generated OpenEnum is built: its format() is Open.BLUE
        BLUE = "blue"

    stringify = rt.encoding.stringify
    assert [stringify(True), stringify(False), stringify(Color.RED), stringify(3)] == ["true", "false", "red", "3"]
    assert type(stringify(Open.BLUE)) is str and f"{stringify(Open.BLUE)}" == "blue"
    assert stringify(dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)) == "2024-01-02T03:04:05+00:00"
    query = rt.encoding.query_string(None, {"a": [1, None, "x"], "b": None, "c": rt.NOT_GIVEN, "d": False})
    assert query == "a=1&a=x&d=false"


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


# OpenAPI's style examples (3.0.4 §4.7.12.4; the same table in 3.1.1 and 3.2) for a parameter named
# ``color`` holding "blue", ["blue", "black", "brown"] or {"R": 100, "G": 200, "B": 150}: the bytes each
# client must send, copied from the table (None: the table says n/a).
STRING, ARRAY, OBJECT = "blue", ["blue", "black", "brown"], {"R": 100, "G": 200, "B": 150}
PATH_STYLES = {
    "path_simple": ("blue", "blue,black,brown", "R,100,G,200,B,150"),
    "path_simple_explode": ("blue", "blue,black,brown", "R=100,G=200,B=150"),
    "path_label": (".blue", ".blue,black,brown", ".R,100,G,200,B,150"),
    "path_label_explode": (".blue", ".blue.black.brown", ".R=100.G=200.B=150"),
    "path_matrix": (";color=blue", ";color=blue,black,brown", ";color=R,100,G,200,B,150"),
    "path_matrix_explode": (";color=blue", ";color=blue;color=black;color=brown", ";R=100;G=200;B=150"),
}
QUERY_STYLES = {
    "form": ("color=blue", "color=blue,black,brown", "color=R,100,G,200,B,150"),
    "form_explode": ("color=blue", "color=blue&color=black&color=brown", "R=100&G=200&B=150"),
    "space": (None, "color=blue%20black%20brown", "color=R%20100%20G%20200%20B%20150"),
    "pipe": (None, "color=blue%7Cblack%7Cbrown", "color=R%7C100%7CG%7C200%7CB%7C150"),
    "deep": (None, None, "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150"),
}
# simple is the only header style; cookies are form, their pairs separated by "; " (Appendix D).
HEADER_STYLES = {
    "header": ("blue", "blue,black,brown", "R,100,G,200,B,150"),
    "header_explode": ("blue", "blue,black,brown", "R=100,G=200,B=150"),
}
COOKIE_STYLES = {
    "cookie": ("color=blue", "color=blue,black,brown", "color=R,100,G,200,B,150"),
    "cookie_explode": ("color=blue", "color=blue; color=black; color=brown", "R=100; G=200; B=150"),
}


def _call_each(
    api: Api, server: ScriptedServer, method: Any, expected: tuple[str | None, ...]
) -> list[tuple[str, Any]]:
    """Call ``method`` with each of the table's values it has an entry for; (expected, request) pairs."""
    sent = []
    for value_, wanted in zip((STRING, ARRAY, OBJECT), expected, strict=True):
        if wanted is None:
            continue
        server.reply(204)
        api.run(method(value_) if "path" in method.__name__ else method(color=value_))
        sent.append((wanted, server.requests[-1]))
    return sent


@pytest.mark.parametrize("style", list(PATH_STYLES))
def test_path_parameters_by_the_style_table(api: Api, server: ScriptedServer, style: str) -> None:
    prefix = "/v1/styles/" + style.removeprefix("path_").replace("_", "-") + "/"
    for wanted, request in _call_each(api, server, getattr(api.client().styles, style), PATH_STYLES[style]):
        assert request.raw_path == prefix + wanted


@pytest.mark.parametrize("style", list(QUERY_STYLES))
def test_query_parameters_by_the_style_table(api: Api, server: ScriptedServer, style: str) -> None:
    method = getattr(api.client().styles.query, style)
    for wanted, request in _call_each(api, server, method, QUERY_STYLES[style]):
        assert request.raw_path.partition("?")[2] == wanted


@pytest.mark.parametrize("style", [*HEADER_STYLES, *COOKIE_STYLES])
def test_header_and_cookie_parameters_by_the_style_table(api: Api, server: ScriptedServer, style: str) -> None:
    method = getattr(api.client().styles, style)
    name = "cookie" if style.startswith("cookie") else "color"
    for wanted, request in _call_each(api, server, method, {**HEADER_STYLES, **COOKIE_STYLES}[style]):
        assert request.headers[name] == wanted


def test_query_values_are_encoded_so_delimiters_stay_delimiters(api: Api, server: ScriptedServer) -> None:
    """A comma, a pipe, a space or a bracket inside a value is percent-encoded; the style's own are not."""
    client = api.client()
    for _ in range(4):
        server.reply(204)
    api.run(client.styles.query.form(color=["a,b", "c d"]))
    api.run(client.styles.query.pipe(color=["a|b", "c"]))
    api.run(client.styles.query.deep(color={"a[b]": 1}))
    api.run(client.styles.query.reserved(color="a/b?c:d,e&f=g#h+i j"))
    queries = [request.raw_path.partition("?")[2] for request in server.requests]
    assert queries == [
        "color=a%2Cb,c%20d",
        "color=a%7Cb%7Cc",
        "color%5Ba%5Bb%5D%5D=1",
        # allowReserved: RFC 3986's reserved characters stay, except those that would end the parameter.
        "color=a/b?c:d,e%26f%3Dg%23h%2Bi%20j",
    ]


def test_a_query_parameter_with_json_content_is_json(api: Api, server: ScriptedServer) -> None:
    server.reply(204)
    api.run(api.client().styles.query.json(color=OBJECT))
    query = server.requests[0].raw_path.partition("?")[2]
    assert query == "color=" + urllib.parse.quote('{"R":100,"G":200,"B":150}', safe="")


def test_a_form_body_writes_a_nested_object_as_json(api: Api, server: ScriptedServer) -> None:
    """OpenAPI 3.0.4/3.1.1 "URL Encoded Form with JSON Values": without an Encoding Object, an object
    property is its JSON text and an array repeats its name."""
    server.reply(204)
    address: Any = {"city": "Paris", "lines": ["1 rue"]}
    if not api.is_typed:
        address = importlib.import_module(f"{api.package.__name__}.models").FormsDeepAddress(**address)
    api.run(api.client().uploads.forms_nested(name="Ada L", address=address, tags=["a", "b"]))
    sent = server.requests[0]
    assert sent.headers["content-type"] == "application/x-www-form-urlencoded"
    assert sent.body == (
        b"name=Ada%20L&address=%7B%22city%22%3A%22Paris%22%2C%22lines%22%3A%5B%221%20rue%22%5D%7D&tags=a&tags=b"
    )
    assert urllib.parse.parse_qs(sent.body.decode())["address"] == ['{"city":"Paris","lines":["1 rue"]}']


def test_a_form_body_follows_its_encoding_objects(api: Api, server: ScriptedServer) -> None:
    """``style: deepObject`` in the Encoding Object (as Stripe's form bodies say): bracketed names."""
    server.reply(204)
    address: Any = {"city": "Paris", "lines": ["a", "b"]}
    if not api.is_typed:
        address = importlib.import_module(f"{api.package.__name__}.models").FormsDeepAddress(**address)
    api.run(api.client().uploads.forms_deep(address=address, metadata={"k": "v"}))
    assert server.requests[0].body == (
        b"address%5Bcity%5D=Paris&address%5Blines%5D%5B0%5D=a&address%5Blines%5D%5B1%5D=b&metadata%5Bk%5D=v"
    )


def test_models_are_written_by_their_json_fields_and_root_models_by_their_root(rt: Any) -> None:
    from pydantic import BaseModel, Field, RootModel

    class Filter(BaseModel):
        status: str
        owner_id: int = Field(alias="ownerId")

    class Ids(RootModel[list[int]]):
        pass

    expand = rt.encoding.expand
    assert expand("f", Filter(status="open", ownerId=7), "deepObject", True) == [
        ("f%5Bstatus%5D", "open"),
        ("f%5BownerId%5D", "7"),
    ]
    assert expand("ids", Ids([1, 2]), "form", False) == [("ids", "1,2")]
    # Where no rule says how to write a nested value, it is JSON, never Python's repr.
    assert expand("f", {"where": {"a": [1]}}, "form", True) == [("where", "%7B%22a%22%3A%5B1%5D%7D")]
    assert expand("f", [{"a": 1}], "form", True) == [("f", "%7B%22a%22%3A1%7D")]
