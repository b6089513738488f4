"""Behaviour of the generated clients' shared runtime, against real loopback HTTP servers.

Every test that takes ``api`` runs eight times: {httpx2, httpx} x {sync, async, typed,
async typed},
on the package clientgen generates from ``loopback.yaml`` (see conftest.py).
"""

from __future__ import annotations

import base64
import datetime as dt
import email.utils
import gzip
import importlib
import io
import logging
import os
import pickle
import socket
import subprocess
import sys
import time
from typing import Any

import pytest
from support.loopback import Api
from support.server import ScriptedServer

THING = {"id": "t1", "status": "ready"}


def value(result: Any, name: str) -> Any:
    """A field of a result, whether a model (pydantic clients) or a dict (typed client)."""
    return result[name] if isinstance(result, dict) else getattr(result, name)


def retry_counts(server: ScriptedServer) -> list[str]:
    return [request.headers.get("x-retry-count", "<missing>") for request in server.requests]


# ---------------------------------------------------------------------------
# Retries
# ---------------------------------------------------------------------------


def test_429_retry_after_zero_then_success(api: Api, server: ScriptedServer) -> None:
    server.reply(429, json_body={"error": "slow down"}, headers={"Retry-After": "0"})
    server.reply(200, json_body=THING)
    client = api.client()
    assert value(api.run(client.things.create(name="a")), "id") == "t1"
    assert retry_counts(server) == ["0", "1"]
    first = server.requests[0]
    assert first.headers["authorization"] == "Bearer sk-test-123"
    assert first.headers["user-agent"].startswith("loopback_")
    assert first.headers["content-type"] == "application/json"


def test_fixed_headers_are_set_once_on_the_http_client_and_sent_exactly_once(api: Api, server: ScriptedServer) -> None:
    made = api.client()
    # Set on the HTTP client the package makes, instead of on every request.
    assert made.http_client.headers["user-agent"].startswith("loopback_")
    assert made.http_client.headers["x-retry-count"] == "0"
    given = api.client(http_client=api.http_client())
    server.reply(503)
    server.reply(200, json_body=THING)
    server.reply(200, json_body=THING)
    server.reply(200, json_body=THING)
    api.run(made.things.retrieve("t1"))
    api.run(given.things.retrieve("t1"))
    api.run(made.things.retrieve("t1", extra_headers={"X-Retry-Count": "7"}))
    for request in server.requests:
        names = [name.lower() for name, _ in request.header_items]
        assert all(names.count(name) == 1 for name in ("accept", "user-agent", "x-retry-count")), names
        assert request.headers["user-agent"].startswith("loopback_")
        assert request.headers["accept"] == "application/json"
    assert retry_counts(server) == ["0", "1", "0", "0"]


def test_post_with_idempotency_key_retries_5xx_with_the_same_key(api: Api, server: ScriptedServer) -> None:
    for _ in range(3):
        server.reply(503, body="unavailable")
    client = api.client(max_retries=2)
    with pytest.raises(api.error("InternalServerError")) as info:
        api.run(client.things.create(name="a", idempotency_key="idem-42"))
    assert info.value.status_code == 503  # type: ignore[attr-defined]
    assert [request.headers.get("idempotency-key") for request in server.requests] == ["idem-42"] * 3
    assert retry_counts(server) == ["0", "1", "2"]


def test_post_503_without_key_is_sent_once(api: Api, server: ScriptedServer) -> None:
    server.reply(503, body="unavailable")
    client = api.client()
    with pytest.raises(api.error("InternalServerError")):
        api.run(client.things.create(name="a"))
    assert len(server.requests) == 1
    assert "idempotency-key" not in server.requests[0].headers


def test_get_5xx_is_retried_without_key(api: Api, server: ScriptedServer) -> None:
    server.reply(503)
    server.reply(502)
    server.reply(200, json_body=[THING])
    client = api.client()
    assert [value(thing, "id") for thing in api.run(client.things.list())] == ["t1"]
    assert retry_counts(server) == ["0", "1", "2"]


def test_retries_exhausted_raise_the_last_status(api: Api, server: ScriptedServer) -> None:
    server.reply(503)
    server.reply(429, json_body={"error": "rate"})
    client = api.client(max_retries=1)
    with pytest.raises(api.error("RateLimitError")) as info:
        api.run(client.things.list())
    assert info.value.body == {"error": "rate"}  # type: ignore[attr-defined]
    assert len(server.requests) == 2


def test_max_retries_zero_sends_once(api: Api, server: ScriptedServer) -> None:
    server.reply(429)
    client = api.client(max_retries=0)
    with pytest.raises(api.error("RateLimitError")):
        api.run(client.things.list())
    assert len(server.requests) == 1


def test_x_should_retry_header_overrides(api: Api, server: ScriptedServer) -> None:
    client = api.client()
    server.reply(503, headers={"x-should-retry": "true"})
    server.reply(200, json_body=THING)
    api.run(client.things.create(name="a"))
    assert len(server.requests) == 2
    server.reply(503, headers={"x-should-retry": "false"})
    with pytest.raises(api.error("InternalServerError")):
        api.run(client.things.list())
    assert len(server.requests) == 3


def test_409_is_retried_only_when_idempotent(api: Api, server: ScriptedServer) -> None:
    client = api.client()
    server.reply(409, json_body={"error": "conflict"})
    with pytest.raises(api.error("ConflictError")):
        api.run(client.things.create(name="a"))
    assert len(server.requests) == 1
    server.reply(409)
    server.reply(200, json_body=THING)
    api.run(client.things.replace("t1", body=THING))
    assert len(server.requests) == 3


def test_retry_after_ms_is_honoured(api: Api, server: ScriptedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api.rt.retries, "INITIAL_RETRY_DELAY", 5.0)
    monkeypatch.setattr(api.rt.retries, "MAX_RETRY_DELAY", 5.0)
    server.reply(429, headers={"retry-after-ms": "150", "Retry-After": "30"})
    server.reply(200, json_body=THING)
    client = api.client()
    started = time.monotonic()
    api.run(client.things.create(name="a"))
    assert 0.15 <= time.monotonic() - started < 2.0


def test_retry_delay_computation(rt: Any) -> None:
    headers = rt.retries.httpx.Headers
    future = email.utils.format_datetime(dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=30), usegmt=True)
    assert 28.0 <= rt.retries.retry_delay(0, headers({"Retry-After": future})) <= 30.0
    assert rt.retries.retry_delay(0, headers({"Retry-After": "2.5"})) == 2.5
    assert rt.retries.retry_delay(0, headers({"retry-after-ms": "250", "Retry-After": "9"})) == 0.25
    for attempt in range(6):
        expected = min(rt.retries.INITIAL_RETRY_DELAY * 2**attempt, rt.retries.MAX_RETRY_DELAY)
        assert 0.75 * expected <= rt.retries.retry_delay(attempt, headers({"Retry-After": "soon"})) <= expected


@pytest.mark.parametrize("odd", ["nan", "NaN", "-5", "inf", "-inf", "1e400", "soon", "past-date"])
def test_unusable_retry_after_falls_back_to_backoff(rt: Any, odd: str) -> None:
    if odd == "past-date":
        odd = email.utils.format_datetime(dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=30), usegmt=True)
    for name in ("Retry-After", "retry-after-ms"):
        delay = rt.retries.retry_delay(1, rt.retries.httpx.Headers({name: odd}))
        expected = min(rt.retries.INITIAL_RETRY_DELAY * 2, rt.retries.MAX_RETRY_DELAY)
        assert 0.75 * expected <= delay <= expected, (name, odd, delay)


@pytest.mark.parametrize("odd", ["nan", "-5", "inf", "past-date"])
def test_odd_retry_after_on_the_wire_means_normal_backoff(
    api: Api, server: ScriptedServer, monkeypatch: pytest.MonkeyPatch, odd: str
) -> None:
    if odd == "past-date":
        odd = email.utils.format_datetime(dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=30), usegmt=True)
    monkeypatch.setattr(api.rt.retries, "INITIAL_RETRY_DELAY", 0.2)
    monkeypatch.setattr(api.rt.retries, "MAX_RETRY_DELAY", 1.0)
    server.reply(429, headers={"Retry-After": odd})
    server.reply(429, headers={"retry-after-ms": odd})
    server.reply(200, json_body=[THING])
    client = api.client()
    started = time.monotonic()
    api.run(client.things.list())
    assert time.monotonic() - started >= 0.15 + 0.3  # two backoffs of 0.2 and 0.4, less jitter
    assert len(server.requests) == 3


def test_retry_after_beyond_the_cap_gives_up_at_once(api: Api, server: ScriptedServer) -> None:
    server.reply(429, json_body={"error": "come back in an hour"}, headers={"Retry-After": "3600"})
    client = api.client(max_retries=2, timeout=1.0)
    started = time.monotonic()
    with pytest.raises(api.error("RateLimitError")) as info:
        api.run(client.things.list())
    assert time.monotonic() - started < 1.0
    assert info.value.headers["retry-after"] == "3600"  # type: ignore[attr-defined]
    assert len(server.requests) == 1


def test_retry_after_beyond_the_total_budget_gives_up_at_once(api: Api, server: ScriptedServer) -> None:
    server.reply(503, headers={"Retry-After": "5"})
    client = api.client(total_timeout=2.0)
    started = time.monotonic()
    with pytest.raises(api.error("InternalServerError")):
        api.run(client.things.list())
    assert time.monotonic() - started < 1.0
    assert len(server.requests) == 1


# ---------------------------------------------------------------------------
# Deadlines and connection failures
# ---------------------------------------------------------------------------


def test_a_dripping_body_cannot_outlast_the_timeout(api: Api, server: ScriptedServer) -> None:
    server.reply(200, json_body={"id": "x" * 40, "status": "slow"}, drip=0.1)  # about 6 s in all
    client = api.client(timeout=1.0, max_retries=0)
    started = time.monotonic()
    with pytest.raises(api.error("APITimeoutError")):
        api.run(client.things.list())
    assert time.monotonic() - started < 2.0


def test_slowly_dripping_headers_cannot_outlast_the_timeout(api: Api, server: ScriptedServer) -> None:
    # One byte of the status line and headers every 0.3 s: about 30 s before the body could start.
    server.reply(200, json_body=THING, head_drip=0.3)
    client = api.client(timeout=1.0, max_retries=0)
    started = time.monotonic()
    with pytest.raises(api.error("APITimeoutError")):
        api.run(client.things.retrieve("t1"))
    assert time.monotonic() - started < 1.5


def test_total_timeout_bounds_retries_and_waits(
    api: Api, server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api.rt.retries, "INITIAL_RETRY_DELAY", 0.3)
    monkeypatch.setattr(api.rt.retries, "MAX_RETRY_DELAY", 0.3)
    for _ in range(6):
        server.reply(200, json_body=[THING], delay=0.4)
    client = api.client(timeout=0.25, total_timeout=0.8, max_retries=5)
    started = time.monotonic()
    with pytest.raises(api.error("APITimeoutError")):
        api.run(client.things.list())
    assert time.monotonic() - started < 1.5
    assert len(server.requests) <= 2


def test_total_timeout_is_checked(api: Api) -> None:
    with pytest.raises(api.error("ConfigurationError"), match="total_timeout"):
        api.client(total_timeout=0)


def test_a_stalled_server_times_out(api: Api, server: ScriptedServer) -> None:
    server.reply(200, json_body=THING, delay=4.0)
    client = api.client(timeout=0.5)
    started = time.monotonic()
    with pytest.raises(api.error("APITimeoutError")) as info:
        api.run(client.things.create(name="a"))
    assert time.monotonic() - started < 1.5
    assert isinstance(info.value, api.error("APIConnectionError"))
    assert isinstance(info.value.__cause__, (api.httpx.TimeoutException, TimeoutError))
    assert len(server.requests) == 1


def test_read_timeout_is_retried_for_get(api: Api, server: ScriptedServer) -> None:
    server.reply(200, json_body=[THING], delay=3.0)
    server.reply(200, json_body=[THING])
    client = api.client(timeout=0.3)
    api.run(client.things.list())
    assert retry_counts(server) == ["0", "1"]


def test_per_call_timeout_overrides_the_client(api: Api, server: ScriptedServer) -> None:
    server.reply(200, json_body=THING, delay=3.0)
    client = api.client(timeout=30.0)
    started = time.monotonic()
    with pytest.raises(api.error("APITimeoutError")):
        api.run(client.things.create(name="a", timeout=0.3))
    assert time.monotonic() - started < 1.5


def test_per_call_timeout_none_means_no_timeout(api: Api, server: ScriptedServer) -> None:
    server.reply(200, json_body=THING, delay=0.3)
    client = api.client(timeout=0.05)
    assert value(api.run(client.things.create(name="a", timeout=None)), "id") == "t1"


def _refused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_a_refused_connection_is_a_connection_error(api: Api) -> None:
    client = api.client(base_url=f"http://127.0.0.1:{_refused_port()}", max_retries=0)
    with pytest.raises(api.error("APIConnectionError")) as info:
        api.run(client.things.create(name="a"))
    assert not isinstance(info.value, api.error("APITimeoutError"))
    assert info.value.__cause__ is not None


def test_a_dropped_connection_is_retried_only_when_safe(api: Api, server: ScriptedServer) -> None:
    client = api.client()
    server.reply(drop=True)
    with pytest.raises(api.error("APIConnectionError")):
        api.run(client.things.create(name="a"))
    assert len(server.requests) == 1
    server.reply(drop=True)
    server.reply(200, json_body=[THING])
    api.run(client.things.list())
    assert len(server.requests) == 3


# ---------------------------------------------------------------------------
# Redirects: credentials never leave the origin
# ---------------------------------------------------------------------------


def test_a_cross_origin_redirect_is_refused_and_nothing_reaches_the_other_server(
    api: Api, server: ScriptedServer, second_server: ScriptedServer
) -> None:
    for status in (301, 302, 303, 307, 308):
        server.reply(status, headers={"Location": f"{second_server.url}/v1/collect?x=1"})
        client = api.client(default_headers={"X-Team": "secret-team"})
        with pytest.raises(api.error("RedirectError")) as info:
            api.run(client.things.create(name="a", idempotency_key="idem-1"))
        assert info.value.location == f"{second_server.url}/v1/collect?x=1"  # type: ignore[attr-defined]
        assert second_server.url in str(info.value)
    assert second_server.requests == []
    assert len(server.requests) == 5


def test_a_redirect_to_another_scheme_or_port_is_refused(api: Api, server: ScriptedServer) -> None:
    for location in (
        server.url.replace("http://", "https://"),
        f"http://127.0.0.1:{_refused_port()}/v1/things",
        f"http://localhost:{server.port}/v1/things",
    ):
        server.reply(302, headers={"Location": location})
        with pytest.raises(api.error("RedirectError")):
            api.run(api.client().things.list())


def test_even_a_following_http_client_does_not_follow_cross_origin(
    api: Api, server: ScriptedServer, second_server: ScriptedServer
) -> None:
    own = api.http_client(follow_redirects=True)
    server.reply(307, headers={"Location": f"{second_server.url}/steal"})
    client = api.client(http_client=own)
    with pytest.raises(api.error("RedirectError")):
        api.run(client.things.list())
    assert second_server.requests == []
    api.run(own.aclose() if api.is_async else own.close())


def test_same_origin_redirects_are_followed_with_credentials(api: Api, server: ScriptedServer) -> None:
    server.reply(302, headers={"Location": "/v1/moved"})
    server.reply(200, json_body=[THING])
    api.run(api.client().things.list())
    moved = server.requests[1]
    assert moved.path == "/v1/moved" and moved.method == "GET"
    assert moved.headers["authorization"] == "Bearer sk-test-123"


def test_303_becomes_a_get_without_the_body(api: Api, server: ScriptedServer) -> None:
    server.reply(303, headers={"Location": "/v1/result"})
    server.reply(200, json_body=THING)
    api.run(api.client().things.create(name="a"))
    follow = server.requests[1]
    assert (follow.method, follow.path, follow.body) == ("GET", "/v1/result", b"")
    assert "content-type" not in follow.headers


def test_307_repeats_the_method_and_body_on_the_same_origin(api: Api, server: ScriptedServer) -> None:
    server.reply(307, headers={"Location": "/v1/elsewhere"})
    server.reply(200, json_body=THING)
    api.run(api.client().things.create(name="a", idempotency_key="k-1"))
    follow = server.requests[1]
    assert (follow.method, follow.path) == ("POST", "/v1/elsewhere")
    assert follow.json() == {"name": "a"}
    assert follow.headers["idempotency-key"] == "k-1"


def test_a_redirect_loop_is_a_typed_error(api: Api, server: ScriptedServer) -> None:
    for _ in range(api.rt.redirects.MAX_REDIRECTS + 1):
        server.reply(302, headers={"Location": "/v1/things"})
    with pytest.raises(api.error("TooManyRedirectsError")) as info:
        api.run(api.client().things.list())
    assert isinstance(info.value, api.error("RedirectError"))
    assert len(server.requests) == api.rt.redirects.MAX_REDIRECTS + 1


# ---------------------------------------------------------------------------
# Authentication: every scheme of the document
# ---------------------------------------------------------------------------

CREDENTIALS = {"header_key": "hk-1", "query_key": "qk-1", "cookie_key": "ck-1", "basic": "user:pw"}


def test_each_scheme_travels_where_the_document_says(api: Api, server: ScriptedServer) -> None:
    client = api.client(**CREDENTIALS)
    for _ in range(4):
        server.reply(204)
    api.run(client.auth.header())
    api.run(client.auth.query())
    api.run(client.auth.cookie())
    api.run(client.auth.basic())
    header, query, cookie, basic = server.requests
    assert header.headers["x-api-key"] == "hk-1" and "authorization" not in header.headers
    assert query.query == {"api_key": ["qk-1"]} and "authorization" not in query.headers
    assert cookie.headers["cookie"] == "session=ck-1"
    assert basic.headers["authorization"] == "Basic dXNlcjpwdw=="


def test_a_bare_basic_key_is_the_user_with_an_empty_password(api: Api, server: ScriptedServer) -> None:
    server.reply(204)
    api.run(api.client(basic="sk_test_1").auth.basic())
    assert server.requests[0].headers["authorization"] == "Basic " + base64.b64encode(b"sk_test_1:").decode()


def test_security_alternatives_use_the_first_the_client_can_satisfy(api: Api, server: ScriptedServer) -> None:
    for _ in range(3):
        server.reply(204)
    api.run(api.client(query_key="qk-only").auth.either())
    api.run(api.client(header_key="hk-only", query_key="qk").auth.either())
    api.run(api.client(header_key="hk", cookie_key="ck").auth.both())
    only_query, header_first, both = server.requests
    assert only_query.query == {"api_key": ["qk-only"]} and "x-api-key" not in only_query.headers
    assert header_first.headers["x-api-key"] == "hk-only" and header_first.query == {}
    assert both.headers["x-api-key"] == "hk" and both.headers["cookie"] == "session=ck"


def test_security_empty_sends_no_credentials(api: Api, server: ScriptedServer) -> None:
    server.reply(200, json_body={})
    server.reply(204)
    client = api.client(**CREDENTIALS)
    api.run(client.public.ping())
    api.run(api.client().auth.optional())
    for request in server.requests:
        assert not {"authorization", "x-api-key", "cookie"} & set(request.headers), request.headers
        assert request.query == {}


def test_a_missing_credential_is_a_clear_error_before_sending(api: Api, server: ScriptedServer) -> None:
    client = api.client()
    with pytest.raises(api.error("MissingCredentialsError"), match="LOOPBACK_COOKIE_KEY"):
        api.run(client.auth.cookie())
    assert server.requests == []


def test_credentials_come_from_the_environment(
    api: Api, server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOOPBACK_API_KEY", "sk-env")
    monkeypatch.setenv("LOOPBACK_COOKIE_KEY", "ck-env")
    server.reply(204)
    server.reply(204)
    client = api.client(api_key=None)
    api.run(client.auth.cookie())
    api.run(client.with_options(max_retries=0).auth.cookie())
    assert [request.headers["cookie"] for request in server.requests] == ["session=ck-env"] * 2
    assert client.api_key == "sk-env"


def test_with_options_keeps_every_credential(api: Api, server: ScriptedServer) -> None:
    server.reply(204)
    copy = api.client(header_key="hk-1").with_options(timeout=5.0)
    api.run(copy.auth.header())
    assert server.requests[0].headers["x-api-key"] == "hk-1"


def test_query_credentials_are_redacted_in_logs_and_reprs(
    api: Api, server: ScriptedServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.reply(204, headers={"x-request-id": "r"})
    client = api.client(query_key="qk-secret-123")
    with caplog.at_level(logging.INFO, logger=api.http_module):
        raw = api.run(client.with_raw_response.auth.query())
    assert server.requests[0].query == {"api_key": ["qk-secret-123"]}
    assert "qk-secret-123" not in repr(raw)
    assert any("api_key=" in record.getMessage() for record in caplog.records)
    assert not any("qk-secret-123" in record.getMessage() for record in caplog.records)


# ---------------------------------------------------------------------------
# Secrets never show
# ---------------------------------------------------------------------------

BAD_KEYS = ["sk-abc\n", "sk-abc\r\nX-Evil: 1", "sk-\u00e9t\u00e9", "sk abc\x00"]


@pytest.mark.parametrize("key", BAD_KEYS, ids=["newline", "crlf", "non-ascii", "nul"])
def test_an_unsendable_key_is_refused_at_construction_without_echoing_it(
    api: Api, server: ScriptedServer, key: str
) -> None:
    with pytest.raises(api.error("ConfigurationError")) as info:
        api.client(api_key=key)
    assert "sk-" not in str(info.value) and "abc" not in str(info.value)
    assert "api_key" in str(info.value)
    assert server.requests == []


def test_an_unsendable_cookie_key_is_refused_too(api: Api) -> None:
    with pytest.raises(api.error("ConfigurationError")) as info:
        api.client(cookie_key="ck; admin=1")
    assert "admin" not in str(info.value)


def test_invalid_header_values_are_refused_without_echoing_them(api: Api, server: ScriptedServer) -> None:
    with pytest.raises(api.error("ConfigurationError")) as info:
        api.client(default_headers={"X-Token": "tok-secret\n"})
    assert "tok-secret" not in str(info.value) and "X-Token" in str(info.value)
    client = api.client()
    with pytest.raises(api.error("RequestArgumentError")) as call_info:
        api.run(client.things.list(extra_headers={"X-Token": "tok-secret\r\nX-Evil: 1"}))
    assert "tok-secret" not in str(call_info.value)
    assert isinstance(call_info.value, ValueError)
    assert server.requests == []


def test_no_key_in_reprs_or_error_messages(api: Api, server: ScriptedServer) -> None:
    client = api.client(api_key="sk-super-secret")
    assert "sk-super-secret" not in repr(client)
    server.reply(401, json_body={"error": "bad key"})
    with pytest.raises(api.error("AuthenticationError")) as info:
        api.run(client.things.list())
    assert "sk-super-secret" not in str(info.value) and "sk-super-secret" not in repr(info.value)


# ---------------------------------------------------------------------------
# Paths
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Fork safety
# ---------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_opens_its_own_connections(api: Api, server: ScriptedServer) -> None:
    client = api.client()
    server.reply(echo=True)
    assert value(api.run(client.things.retrieve("before")), "id") == "before"
    for _ in range(2):
        server.reply(echo=True)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: one call, its result down the pipe, and out
        try:
            result = value(api.run(client.things.retrieve("child")), "id")
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            result = f"{type(exc).__name__}: {exc}"
        os.write(write, pickle.dumps(result))
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    child_result = pickle.loads(os.read(read, 65536))
    os.close(read)
    assert child_result == "child"
    assert value(api.run(client.things.retrieve("parent")), "id") == "parent"
    ports = {request.raw_path.rsplit("/", 1)[-1]: request.client_port for request in server.requests}
    assert ports["child"] != ports["before"]
    assert ports["parent"] == ports["before"]  # the parent keeps its pooled connection


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_your_own_http_client_is_refused_in_a_forked_child(api: Api, server: ScriptedServer) -> None:
    own = api.http_client()
    client = api.client(http_client=own)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            api.run(client.things.retrieve("child"))
            result = "sent"
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            result = type(exc).__name__
        os.write(write, result.encode())
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    assert os.read(read, 1000).decode() == "ForkedClientError"
    os.close(read)
    assert server.requests == []
    api.run(own.aclose() if api.is_async else own.close())


# ---------------------------------------------------------------------------
# Streams and uploads
# ---------------------------------------------------------------------------


def test_sse_events(api: Api, server: ScriptedServer) -> None:
    server.reply_sse(
        [
            ": keep-alive comment",
            'event: progress\ndata: {"step": 1}',
            'data: {"step": 2,\r\ndata:  "text": "a\u2028b"}',
        ]
    )
    stream = api.run(api.client().things.events("t1"))
    assert api.collect(stream) == [{"step": 1}, {"step": 2, "text": "a\u2028b"}]
    assert server.requests[0].headers["accept"] == "text/event-stream"
    assert stream.response.is_closed


def test_sse_error_status_raises_typed_error(api: Api, server: ScriptedServer) -> None:
    server.reply(401, json_body={"error": "bad key"})
    with pytest.raises(api.error("AuthenticationError")) as info:
        api.run(api.client().things.events("t1"))
    assert info.value.body == {"error": "bad key"}  # type: ignore[attr-defined]


class _CountingPattern:
    """Stands in for the line-break pattern and counts the bytes it is asked to scan."""

    def __init__(self, pattern: Any) -> None:
        self.pattern = pattern
        self.scanned = 0

    def search(self, data: bytes, *args: Any) -> Any:
        self.scanned += len(data)
        return self.pattern.search(data, *args)

    def finditer(self, data: bytes, *args: Any) -> Any:
        self.scanned += len(data)
        return self.pattern.finditer(data, *args)


def test_sse_line_splitting_is_linear(rt: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    counting = _CountingPattern(rt.sse._LINE_BREAK)
    monkeypatch.setattr(rt.sse, "_LINE_BREAK", counting)
    line = b"data: " + b"x" * 2_000_000 + b"\r"
    chunks = [line[i : i + 4096] for i in range(0, len(line), 4096)] + [b"\n\n"]
    splitter = rt.sse._LineSplitter()
    lines = [text for chunk in chunks for text in splitter.feed(chunk)]
    assert [len(text) for text in lines] == [len(line) - 1, 0]
    assert counting.scanned <= 2 * len(line)  # the old splitter rescanned its whole buffer per chunk


def test_sse_splitter_handles_every_line_break(rt: Any) -> None:
    splitter = rt.sse._LineSplitter()
    out = splitter.feed(b"a\r") + splitter.feed(b"\nb\rc\n") + splitter.feed(b"\r\r\nd") + splitter.flush()
    assert out == ["a", "b", "c", "", "", "d"]


class _Pipe(io.RawIOBase):
    """A file object that cannot be rewound (like a pipe or a socket)."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, buffer: Any) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_a_non_seekable_upload_is_sent_once_and_never_retried(api: Api, server: ScriptedServer) -> None:
    server.reply(503)
    server.reply(200, json_body={"stored": True})
    with pytest.raises(api.error("UploadNotRetryableError")) as info:
        api.run(api.client().uploads.put(file=("a.txt", _Pipe(b"hello pipe"), "text/plain")))
    assert len(server.requests) == 1 and b"hello pipe" in server.requests[0].body
    assert isinstance(info.value.__cause__, api.error("InternalServerError"))
    assert "rewound" in str(info.value)


def test_a_seekable_upload_is_rewound_for_a_retry(api: Api, server: ScriptedServer) -> None:
    server.reply(503)
    server.reply(200, json_body={"stored": True})
    api.run(api.client().uploads.put(file=("a.txt", io.BytesIO(b"hello file"), "text/plain")))
    assert [b"hello file" in request.body for request in server.requests] == [True, True]


def test_form_and_files(api: Api, server: ScriptedServer) -> None:
    client = api.client()
    server.reply(200, json_body={})
    server.reply(200, json_body={})
    api.run(client.uploads.forms_submit(a="1", b=True))
    api.run(client.uploads.create(file=("a.txt", b"hello", "text/plain"), kind="doc"))
    form, multipart = server.requests
    assert form.headers["content-type"] == "application/x-www-form-urlencoded"
    assert form.body == b"a=1&b=true"
    assert multipart.headers["content-type"].startswith("multipart/form-data")
    assert b"hello" in multipart.body and b'name="kind"' in multipart.body


def test_a_form_body_that_is_a_union_of_models(api: Api, server: ScriptedServer) -> None:
    """A multipart body that is a ``oneOf`` of models: the model (or TypedDict) given becomes the form's parts."""
    client = api.client()
    server.reply(200, json_body={})
    server.reply(200, json_body={})
    if api.is_typed:
        text, file = {"text": "hi", "pinned": True}, {"title": "t", "attachment": b"\x00binary"}
    else:
        models = importlib.import_module(f"{api.package.__name__}.models")
        text, file = models.TextNote(text="hi", pinned=True), models.FileNote(title="t", attachment=b"\x00binary")
    api.run(client.uploads.note(body=text))
    api.run(client.uploads.note(body=file))
    first, second = server.requests
    # No file part: still multipart/form-data, as the operation says, each field a part.
    assert first.headers["content-type"].startswith("multipart/form-data")
    assert b'name="text"\r\n\r\nhi\r\n' in first.body and b'name="pinned"\r\n\r\ntrue\r\n' in first.body
    assert second.headers["content-type"].startswith("multipart/form-data")
    assert (
        b'name="title"' in second.body
        and b"\x00binary" in second.body
        and b'name="attachment"; filename=' in second.body
    )


# ---------------------------------------------------------------------------
# Nothing raw escapes
# ---------------------------------------------------------------------------


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
        assert type(error) is api.error(name), status
        assert (error.status_code, error.body, error.request_id) == (status, {"status": status}, f"req-{status}")
        assert isinstance(error, api.error("LoopbackError"))


def test_a_500_html_body_is_kept_as_text(api: Api, server: ScriptedServer) -> None:
    server.reply(500, body="<html>Oops</html>", headers={"Content-Type": "text/html"})
    with pytest.raises(api.error("InternalServerError")) as info:
        api.run(api.client(max_retries=0).things.create(name="a"))
    assert info.value.body == "<html>Oops</html>"  # type: ignore[attr-defined]


def test_response_validation_error(api: Api, server: ScriptedServer) -> None:
    server.reply(200, json_body={"id": "t1"})  # "status" missing
    result_or_error: Any
    if api.is_typed:
        assert api.run(api.client().things.retrieve("t1")) == {"id": "t1"}  # not validated, by design
        return
    with pytest.raises(api.error("APIResponseValidationError")) as info:
        api.run(api.client().things.retrieve("t1"))
    result_or_error = info.value
    assert result_or_error.status_code == 200 and result_or_error.body == {"id": "t1"}


# ---------------------------------------------------------------------------
# base_url and configuration
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "base_url",
    [
        "api.example.com",
        "ftp://api.example.com",
        "https://api.example.com/v1?version=2",
        "https://api.example.com/#top",
        "https://user:pw@api.example.com",
    ],
)
def test_a_bad_base_url_is_refused_at_construction(api: Api, base_url: str) -> None:
    with pytest.raises(api.error("ConfigurationError"), match="base_url") as info:
        api.client(base_url=base_url)
    assert "pw" not in str(info.value)


def test_a_bad_base_url_from_the_environment_is_refused(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOOPBACK_BASE_URL", "https://api.example.com?x=1")
    with pytest.raises(api.error("ConfigurationError"), match="query"):
        api.client_class(api_key="k")


def test_api_key_from_the_environment(api: Api, server: ScriptedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOOPBACK_API_KEY", "sk-from-env")
    monkeypatch.setenv("LOOPBACK_BASE_URL", server.url)
    server.reply(200, json_body=[THING])
    client = api.client(api_key=None, base_url=None)
    assert client.api_key == "sk-from-env" and "sk-from-env" not in repr(client)
    api.run(client.things.list())
    assert server.requests[0].headers["authorization"] == "Bearer sk-from-env"


def test_a_missing_key_names_the_variable(api: Api) -> None:
    with pytest.raises(api.error("LoopbackError"), match="LOOPBACK_API_KEY"):
        api.client_class()


def test_environment_choice_and_conflicts(api: Api) -> None:
    assert api.client(base_url=None).base_url == "https://api.loopback.test"
    assert api.client(base_url=None, environment="production").base_url == "https://api.loopback.test"
    with pytest.raises(api.error("LoopbackError"), match="production"):
        api.client(base_url=None, environment="staging")
    with pytest.raises(api.error("LoopbackError"), match="environment"):
        api.client(base_url="http://elsewhere.example", environment="production")


def test_a_wrong_http_client_type_is_a_type_error(api: Api) -> None:
    with pytest.raises(TypeError, match="Client"):
        api.client_class(api_key="k", http_client=object())


def test_with_options_shares_the_connection_pool(api: Api, server: ScriptedServer) -> None:
    client = api.client(max_retries=2, default_headers={"X-Team": "a"})
    copy = client.with_options(max_retries=0, timeout=5.0)
    assert type(copy) is type(client) and copy.http_client is client.http_client
    assert (copy.max_retries, client.max_retries, copy.timeout.read) == (0, 2, 5.0)
    server.reply(503)
    with pytest.raises(api.error("InternalServerError")):
        api.run(copy.things.list())
    assert len(server.requests) == 1 and server.requests[0].headers["x-team"] == "a"
    api.run(copy.close())  # a copy leaves the shared pool open
    assert not client.is_closed
    server.reply(200, json_body=[])
    assert api.run(client.things.list()) == []


def test_the_context_manager_closes_its_own_pool_but_not_yours(api: Api) -> None:
    own = api.http_client()
    theirs = api.client(http_client=own)
    mine = api.client()
    api.run(theirs.close())
    api.run(mine.close())
    assert not own.is_closed and mine.is_closed
    api.run(own.aclose() if api.is_async else own.close())


# ---------------------------------------------------------------------------
# Request building and responses
# ---------------------------------------------------------------------------


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


def test_response_kinds(api: Api, server: ScriptedServer) -> None:
    client = api.client()
    server.reply(200, body="plain text", headers={"Content-Type": "text/plain"})
    server.reply(200, body=b"\x00\x01\x02", headers={"Content-Type": "application/octet-stream"})
    server.reply(204)
    assert api.run(client.things.text("t1")) == "plain text"
    assert api.run(client.things.blob("t1")) == b"\x00\x01\x02"
    assert api.run(client.things.delete("t1")) is None


def test_none_only_where_the_api_documents_an_empty_success(api: Api, server: ScriptedServer) -> None:
    client = api.client()
    server.reply(204)  # documented beside the 200: the result is None, typed `Thing | None`
    server.reply(200, json_body=THING)
    assert api.run(client.things.current("t1")) is None
    assert value(api.run(client.things.current("t1")), "id") == "t1"
    # An empty or null body where a Thing is documented never comes back as None.
    server.reply(200, body=b"", headers={"Content-Type": "application/json"})
    server.reply(200, body=b"null", headers={"Content-Type": "application/json"})
    for _ in range(2):
        with pytest.raises(api.error("APIResponseValidationError")):
            api.run(client.things.retrieve("t1"))


def test_raw_responses(api: Api, server: ScriptedServer) -> None:
    server.reply(429, headers={"Retry-After": "0"})
    server.reply(201, json_body=THING, headers={"x-request-id": "req_9"})
    raw = api.run(api.client().with_raw_response.things.create(name="job", extra_headers={"X-Mine": "1"}))
    assert (raw.status_code, raw.request_id, raw.retries_taken) == (201, "req_9", 1)
    assert isinstance(raw.elapsed, dt.timedelta) and isinstance(raw.http_response, api.httpx.Response)
    assert value(raw.parse(), "id") == "t1" and raw.parse() is raw.parse()
    assert server.requests[-1].headers["x-mine"] == "1"
    assert api.rt.RAW_RESPONSE_HEADER.lower() not in server.requests[-1].headers
    server.reply(404, json_body={"error": "nope"})
    with pytest.raises(api.error("NotFoundError")):
        api.run(api.client().with_raw_response.things.retrieve("x"))


# ---------------------------------------------------------------------------
# Module-level properties
# ---------------------------------------------------------------------------


def test_not_given_sentinel_and_routes(rt: Any) -> None:
    assert not rt.NOT_GIVEN and repr(rt.NOT_GIVEN) == "NOT_GIVEN" and rt.NotGiven() is rt.NOT_GIVEN
    assert rt.Route("get", "/x").idempotent and not rt.Route("POST", "/x").idempotent
    assert rt.Route("DELETE", "/x").idempotent and not rt.Route("PATCH", "/x").idempotent


def test_the_typed_client_never_imports_pydantic(packages: dict[str, Any]) -> None:
    package = packages["httpx2"]
    folder = os.path.dirname(os.path.dirname(package.__file__))
    code = (
        "import sys\n"
        f"from {package.__name__}.typed_client import TypedLoopback\n"
        "TypedLoopback(api_key='k')\n"
        f"import {package.__name__}._runtime as rt\n"
        "parse = rt.model_parser(int)\n"
        "assert 'pydantic' not in sys.modules, 'imported too early'\n"
        "assert parse('5') == 5\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=folder, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr
