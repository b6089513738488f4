"""Nothing raw escapes: every failure of the server, the network or the body is a typed error with a short message.

Every test that takes ``api`` runs eight times: {httpx2, httpx} x {sync, async, typed,
async typed}, on the package clientgen generates from ``loopback.yaml`` (see conftest.py).
"""

from __future__ import annotations

import gzip
import logging
from typing import Any

import pytest
from support.loopback import Api, value
from support.server import ScriptedServer


def test_a_closed_client_is_a_typed_error(api: Api, server: ScriptedServer) -> None:
    client = api.client()
    api.run(client.close())
    with pytest.raises(api.error("ClientClosedError")):
        api.run(client.things.list())
    assert server.requests == []


def test_deeply_nested_json_is_a_typed_error(api: Api, server: ScriptedServer) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    server.reply(200, body=deep, headers={"Content-Type": "application/json"})
    with pytest.raises(api.error("APIResponseDecodeError")) as info:
        api.run(api.client().things.list())
    assert isinstance(info.value, api.error("APIResponseValidationError"))
    assert isinstance(info.value.__cause__, RecursionError)
    assert len(str(info.value)) < 1000
    server.reply(400, body=deep, headers={"Content-Type": "application/json"})
    with pytest.raises(api.error("BadRequestError")) as bad:
        api.run(api.client().things.list())
    assert len(str(bad.value)) < 1000


def test_invalid_json_is_a_typed_error(api: Api, server: ScriptedServer) -> None:
    server.reply(200, body=b"not json \xff", headers={"Content-Type": "application/json"})
    with pytest.raises(api.error("APIResponseDecodeError")) as info:
        api.run(api.client().things.list())
    assert isinstance(info.value.__cause__, ValueError)


def test_a_broken_gzip_body_is_a_decoding_error(api: Api, server: ScriptedServer) -> None:
    server.reply(
        200,
        body=gzip.compress(b'{"id": "t1"}')[:-8] + b"garbage!",
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
    )
    with pytest.raises(api.error("APIDecodingError")) as info:
        api.run(api.client(max_retries=0).things.list())
    assert isinstance(info.value.__cause__, api.httpx.DecodingError)


def test_a_protocol_violation_is_a_protocol_error(api: Api, server: ScriptedServer) -> None:
    server.reply(raw=b"HTTP/1.1 200 OK\r\nContent-Length: nope\r\nBad Header\r\n\r\n")
    with pytest.raises(api.error("APIProtocolError")) as info:
        api.run(api.client(max_retries=0).things.list())
    assert isinstance(info.value, api.error("APIConnectionError"))
    assert "Connection error" not in str(info.value)


def test_a_huge_error_body_makes_a_short_message(api: Api, server: ScriptedServer) -> None:
    server.reply(500, body="E" * 10_000_000)
    with pytest.raises(api.error("InternalServerError")) as info:
        api.run(api.client(max_retries=0).things.create(name="a"))
    assert len(str(info.value)) < 1000
    assert len(info.value.body) == 10_000_000  # type: ignore[attr-defined]


def test_status_error_classes(api: Api, server: ScriptedServer) -> None:
    client = api.client(max_retries=0)
    expected = {
        400: "BadRequestError",
        401: "AuthenticationError",
        403: "PermissionDeniedError",
        404: "NotFoundError",
        409: "ConflictError",
        422: "UnprocessableEntityError",
        429: "RateLimitError",
        418: "APIStatusError",
        500: "InternalServerError",
        504: "InternalServerError",
    }
    for status, name in expected.items():
        server.reply(status, json_body={"status": status}, headers={"x-request-id": f"req-{status}"})
        with pytest.raises(api.error("APIStatusError")) as info:
            api.run(client.things.create(name="a"))
        error: Any = info.value
        assert (error.status_code, error.body, error.request_id) == (status, {"status": status}, f"req-{status}")
        assert type(error) is api.error(name), status
        assert isinstance(error, api.error("LoopbackError"))


def test_a_500_html_body_is_kept_as_text(api: Api, server: ScriptedServer) -> None:
    server.reply(500, body="<html>Oops</html>", headers={"Content-Type": "text/html"})
    with pytest.raises(api.error("InternalServerError")) as info:
        api.run(api.client(max_retries=0).things.create(name="a"))
    assert info.value.body == "<html>Oops</html>"  # type: ignore[attr-defined]


def test_a_response_that_fails_validation_is_returned_by_default(
    api: Api, server: ScriptedServer, caplog: pytest.LogCaptureFixture
) -> None:
    """Lenient by default: drifted and unknown fields kept as sent, one warning per model and field."""
    drifted = {"id": "t1", "status": 7, "displayName": ["not", "a", "string"], "added": {"x": 1}}
    for _ in range(2):
        server.reply(200, json_body=drifted)
    client = api.client()
    api.rt.lenient._WARNED.clear()  # warned once per process: start this test afresh
    with caplog.at_level(logging.WARNING):
        results = [api.run(client.things.retrieve("t1")) for _ in range(2)]
    for result in results:
        assert (
            value(result, "id"),
            value(result, "status"),
            value(result, "displayName" if api.is_typed else "display_name"),
        ) == (
            "t1",
            7,
            ["not", "a", "string"],
        )
    if api.is_typed:
        assert results[0] == drifted  # never validated, by design
        return
    assert results[0].to_dict() == drifted  # the unknown field too, under the API's names
    warnings = sorted(
        record.getMessage().split(" ", 1)[0]
        for record in caplog.records
        if "does not match the API's schema" in record.getMessage()
    )
    assert warnings == ["Thing.displayName", "Thing.status"]  # two calls, one warning per model and field


def test_strict_response_validation_raises(api: Api, server: ScriptedServer) -> None:
    for _ in range(3):
        server.reply(200, json_body={"id": "t1", "status": 7})
    if api.is_typed:
        assert api.run(api.client().things.retrieve("t1")) == {"id": "t1", "status": 7}  # not validated, by design
        return
    strict = api.client(strict_response_validation=True)
    with pytest.raises(api.error("APIResponseValidationError")) as info:
        api.run(strict.things.retrieve("t1"))
    assert info.value.status_code == 200 and info.value.body == {"id": "t1", "status": 7}  # type: ignore[attr-defined]
    with pytest.raises(api.error("APIResponseValidationError")):
        api.run(api.client().with_options(strict_response_validation=True).things.retrieve("t1"))
    assert value(api.run(strict.with_options(strict_response_validation=False).things.retrieve("t1")), "status") == 7


def test_a_body_that_cannot_take_the_documented_shape_still_raises(api: Api, server: ScriptedServer) -> None:
    server.reply(200, json_body=["a", "list", "where", "a", "Thing", "is", "documented"])
    if api.is_typed:
        return
    with pytest.raises(api.error("APIResponseValidationError")):
        api.run(api.client().things.retrieve("t1"))


_ALIASED_MODELS = """
from __future__ import annotations

from pydantic import BaseModel
from typing_extensions import TypeAliasType


class Rule(BaseModel):
    id: str
    configuration: Configuration


class IpConfiguration(BaseModel):
    target: str
    value: str


class CidrConfiguration(BaseModel):
    target: str
    range: str


Configuration = TypeAliasType("Configuration", "IpConfiguration | CidrConfiguration")
Rule.model_rebuild()
"""


def test_a_drifted_field_typed_by_an_alias_written_as_a_string_is_kept(
    rt: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """Split models write an alias naming another part's classes as a string (cloudflare's
    ``FirewallConfigurations``): the lenient parser looked the string up in its own module and raised
    PydanticUserError out of the client, where a drifted field should be kept with a warning."""
    import sys
    import types

    module = types.ModuleType("lenient_aliased_models")
    sys.modules[module.__name__] = module
    try:
        exec(compile(_ALIASED_MODELS, module.__name__, "exec"), module.__dict__)
        parse = rt.lenient.lenient_parser(rt.models.ModelParser(module.Rule))
        drifted = {"id": "r1", "configuration": [{"target": "ip", "value": "192.0.2.1"}]}
        with caplog.at_level(logging.WARNING):
            rule = parse(drifted)
        assert rule.configuration == drifted["configuration"]  # kept as sent
        assert any("Rule.configuration" in record.getMessage() for record in caplog.records)
        shaped = parse({"id": 1, "configuration": {"target": "ip_range", "range": "192.0.2.0/24"}})
        assert isinstance(shaped.configuration, module.CidrConfiguration)  # the valid field still validated
    finally:
        del sys.modules[module.__name__]


# Pure functions of _runtime/errors.py


def test_each_status_maps_to_its_error_class(rt: Any) -> None:
    httpx = rt.errors.httpx
    request = httpx.Request("GET", "https://api.loopback.test/v1/things")
    expected = {
        400: rt.BadRequestError,
        401: rt.AuthenticationError,
        403: rt.PermissionDeniedError,
        404: rt.NotFoundError,
        409: rt.ConflictError,
        422: rt.UnprocessableEntityError,
        429: rt.RateLimitError,
        500: rt.InternalServerError,
        503: rt.InternalServerError,
        418: rt.APIStatusError,
    }
    for status, cls in expected.items():
        response = httpx.Response(status, json={"error": "e"}, headers={"x-request-id": "r1"}, request=request)
        error = rt.errors.make_status_error(response)
        assert type(error) is cls and isinstance(error, rt.errors.BaseError), status
        assert (error.status_code, error.body, error.request_id) == (status, {"error": "e"}, "r1")
        assert str(error).startswith(f"Error code: {status} - ")


def test_a_long_body_is_cut_in_messages(rt: Any) -> None:
    limit = rt.errors.MAX_BODY_IN_MESSAGE
    assert rt.errors.bounded("x" * limit) == "x" * limit
    assert rt.errors.bounded("x" * (limit + 7)) == "x" * limit + "... (7 more characters)"


def test_failures_of_the_http_library_become_typed_errors(rt: Any) -> None:
    httpx = rt.errors.httpx
    request = httpx.Request("GET", "https://api.loopback.test/", headers={"Authorization": "Bearer sk-secret"})
    cases = [
        (httpx.ReadTimeout("t", request=request), rt.APITimeoutError),
        (TimeoutError(), rt.APITimeoutError),
        (httpx.DecodingError("bad gzip", request=request), rt.APIDecodingError),
        (httpx.RemoteProtocolError("Authorization: Bearer sk-secret", request=request), rt.APIProtocolError),
        (httpx.ConnectError("refused", request=request), rt.APIConnectionError),
        (OSError("reset"), rt.APIConnectionError),
        (RuntimeError("anything else"), rt.APIConnectionError),
    ]
    for exc, cls in cases:
        error = rt.errors.wrap_exception(exc, request)
        assert type(error) is cls and error.request is request, exc
        assert "sk-secret" not in str(error)
