"""Behaviour of the shared runtime, against a real loopback HTTP server.

Most tests run four times: {httpx2, httpx} x {sync, async} (fixtures ``pkg`` and
``api`` in conftest.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import functools
import json
import socket
import subprocess
import sys
import time
from typing import Any

import pytest

from tests.runtime.conftest import Driver, Pkg, render_runtime, write_package
from tests.support.server import ScriptedServer

POST = ("POST", "/v1/things")
GET = ("GET", "/v1/things")


def route(api: Driver, spec: tuple[str, str]) -> Any:
    return api.rt.Route(*spec)


def req(api: Driver, client: Any, spec: tuple[str, str], **kwargs: Any) -> Any:
    kwargs.setdefault("parse", api.rt.passthrough)
    return api.run(client.request(route(api, spec), **kwargs))


def retry_counts(server: ScriptedServer) -> list[str]:
    return [r.headers.get("x-retry-count", "<missing>") for r in server.requests]


# ---------------------------------------------------------------------------
# Retries
# ---------------------------------------------------------------------------


def test_429_retry_after_zero_then_success(api: Driver, server: ScriptedServer) -> None:
    server.reply(429, json_body={"error": "slow down"}, headers={"Retry-After": "0"})
    server.reply(200, json_body={"ok": True})
    client = api.client()
    assert req(api, client, POST, json={"a": 1}) == {"ok": True}
    assert len(server.requests) == 2
    assert retry_counts(server) == ["0", "1"]
    first = server.requests[0]
    assert first.headers["authorization"] == "Bearer sk-test-123"
    assert first.headers["user-agent"] == "bctrl-python/1.2.3"
    assert first.headers["content-type"] == "application/json"


def test_post_with_idempotency_key_retries_5xx_then_raises(
    api: Driver, server: ScriptedServer
) -> None:
    for _ in range(3):
        server.reply(503, body="unavailable")
    client = api.client(max_retries=2)
    with pytest.raises(api.rt.InternalServerError) as info:
        req(api, client, POST, json={}, idempotency_key="idem-42")
    assert info.value.status_code == 503
    assert len(server.requests) == 3
    assert [r.headers.get("idempotency-key") for r in server.requests] == [
        "idem-42"
    ] * 3
    assert retry_counts(server) == ["0", "1", "2"]


def test_post_503_without_key_is_sent_once(api: Driver, server: ScriptedServer) -> None:
    server.reply(503, body="unavailable")
    server.reply(200, json_body={"never": "reached"})
    client = api.client()
    with pytest.raises(api.rt.InternalServerError):
        req(api, client, POST, json={})
    assert len(server.requests) == 1
    assert "idempotency-key" not in server.requests[0].headers


def test_post_429_without_key_is_retried(api: Driver, server: ScriptedServer) -> None:
    server.reply(429, headers={"Retry-After": "0"})
    server.reply(200, json_body={"ok": 1})
    client = api.client()
    assert req(api, client, POST, json={}) == {"ok": 1}
    assert len(server.requests) == 2


def test_get_503_is_retried_without_key(api: Driver, server: ScriptedServer) -> None:
    server.reply(503)
    server.reply(502)
    server.reply(200, json_body=[1, 2])
    client = api.client()
    assert req(api, client, GET) == [1, 2]
    assert retry_counts(server) == ["0", "1", "2"]


def test_retries_exhausted_raises_last_status(
    api: Driver, server: ScriptedServer
) -> None:
    server.reply(503)
    server.reply(429, json_body={"error": "rate"})
    client = api.client(max_retries=1)
    with pytest.raises(api.rt.RateLimitError) as info:
        req(api, client, GET)
    assert info.value.body == {"error": "rate"}
    assert len(server.requests) == 2


def test_max_retries_zero_sends_once(api: Driver, server: ScriptedServer) -> None:
    server.reply(429)
    client = api.client(max_retries=0)
    with pytest.raises(api.rt.RateLimitError):
        req(api, client, GET)
    assert len(server.requests) == 1


def test_x_should_retry_header_overrides(api: Driver, server: ScriptedServer) -> None:
    client = api.client()
    server.reply(503, headers={"x-should-retry": "true"})
    server.reply(200, json_body={"ok": True})
    assert req(api, client, POST, json={}) == {"ok": True}
    assert len(server.requests) == 2

    server.reply(503, headers={"x-should-retry": "false"})
    with pytest.raises(api.rt.InternalServerError):
        req(api, client, GET)
    assert len(server.requests) == 3


def test_409_retried_only_when_idempotent(api: Driver, server: ScriptedServer) -> None:
    client = api.client()
    server.reply(409, json_body={"error": "conflict"})
    with pytest.raises(api.rt.ConflictError):
        req(api, client, POST, json={})
    assert len(server.requests) == 1
    server.reply(409)
    server.reply(200, json_body={})
    assert req(api, client, ("PUT", "/v1/things/1"), json={}) == {}
    assert len(server.requests) == 3


def test_retry_after_http_date_is_honoured(
    api: Driver, server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # If the date were ignored, the computed backoff (5 s) would apply.
    monkeypatch.setattr(api.rt, "INITIAL_RETRY_DELAY", 5.0)
    monkeypatch.setattr(api.rt, "MAX_RETRY_DELAY", 5.0)
    past = email.utils.format_datetime(
        dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=30), usegmt=True
    )
    server.reply(503, headers={"Retry-After": past})
    server.reply(200, json_body={"ok": True})
    client = api.client()
    started = time.monotonic()
    assert req(api, client, GET) == {"ok": True}
    assert time.monotonic() - started < 2.0
    assert len(server.requests) == 2


def test_retry_after_ms_is_honoured(
    api: Driver, server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api.rt, "INITIAL_RETRY_DELAY", 5.0)
    monkeypatch.setattr(api.rt, "MAX_RETRY_DELAY", 5.0)
    server.reply(429, headers={"retry-after-ms": "150", "Retry-After": "30"})
    server.reply(200, json_body={"ok": True})
    client = api.client()
    started = time.monotonic()
    assert req(api, client, POST, json={}) == {"ok": True}
    elapsed = time.monotonic() - started
    assert 0.15 <= elapsed < 2.0


def test_retry_delay_computation(pkg: Pkg) -> None:
    rt, httpx = pkg.rt, pkg.httpx
    future = email.utils.format_datetime(
        dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=30), usegmt=True
    )
    assert 28.0 <= rt._retry_delay(0, httpx.Headers({"Retry-After": future})) <= 30.0
    assert rt._retry_delay(0, httpx.Headers({"Retry-After": "2.5"})) == 2.5
    assert rt._retry_delay(0, httpx.Headers({"Retry-After": "3600"})) == 60.0
    headers = httpx.Headers({"retry-after-ms": "250", "Retry-After": "9"})
    assert rt._retry_delay(0, headers) == 0.25
    # Exponential backoff with jitter, capped.
    pkg_delay = rt.INITIAL_RETRY_DELAY
    for attempt in range(6):
        expected = min(pkg_delay * 2**attempt, rt.MAX_RETRY_DELAY)
        delay = rt._retry_delay(attempt, httpx.Headers({"Retry-After": "soon"}))
        assert 0.75 * expected <= delay <= expected


def test_default_backoff_constants(pkg: Pkg) -> None:
    import importlib

    # The autouse fixture patches the module; check the rendered defaults.
    source = render_runtime(pkg.http_module)
    assert "INITIAL_RETRY_DELAY = 0.5" in source
    assert "MAX_RETRY_DELAY = 8.0" in source
    assert "MAX_RETRY_AFTER = 60.0" in source
    assert pkg.rt.DEFAULT_MAX_RETRIES == 2
    timeout = pkg.rt.DEFAULT_TIMEOUT
    assert (timeout.connect, timeout.read) == (5.0, 60.0)
    assert importlib.import_module(pkg.http_module).Timeout is type(timeout)


# ---------------------------------------------------------------------------
# Timeouts and connection failures
# ---------------------------------------------------------------------------


def test_stalled_server_times_out(api: Driver, server: ScriptedServer) -> None:
    server.reply(200, json_body={"late": True}, delay=4.0)
    client = api.client(timeout=0.5)
    started = time.monotonic()
    with pytest.raises(api.rt.APITimeoutError) as info:
        req(api, client, POST, json={})
    assert time.monotonic() - started < 0.5 + 1.0
    assert isinstance(info.value, api.rt.APIConnectionError)
    assert isinstance(info.value.request, api.pkg.httpx.Request)
    assert len(server.requests) == 1


def test_read_timeout_retried_for_get(api: Driver, server: ScriptedServer) -> None:
    server.reply(200, json_body={"late": True}, delay=3.0)
    server.reply(200, json_body={"ok": True})
    client = api.client(timeout=0.2)
    assert req(api, client, GET) == {"ok": True}
    assert retry_counts(server) == ["0", "1"]


def test_per_call_timeout_overrides_client(api: Driver, server: ScriptedServer) -> None:
    server.reply(200, json_body={}, delay=3.0)
    client = api.client(timeout=30.0)
    started = time.monotonic()
    with pytest.raises(api.rt.APITimeoutError):
        req(api, client, POST, json={}, timeout=0.2)
    assert time.monotonic() - started < 1.5


def test_per_call_timeout_none_means_no_timeout(
    api: Driver, server: ScriptedServer
) -> None:
    server.reply(200, json_body={"ok": True}, delay=0.25)
    client = api.client(timeout=0.05)
    assert req(api, client, POST, json={}, timeout=None) == {"ok": True}


def _refused_port() -> int:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port: int = sock.getsockname()[1]
    sock.close()
    return port


def test_connection_refused(api: Driver) -> None:
    client = api.client(base_url=f"http://127.0.0.1:{_refused_port()}")
    with pytest.raises(api.rt.APIConnectionError) as info:
        req(api, client, POST, json={})
    assert not isinstance(info.value, api.rt.APITimeoutError)
    assert isinstance(info.value, api.rt.APIError)
    assert isinstance(info.value, Exception) and type(info.value).__module__.endswith(
        "_runtime"
    )


def test_dropped_connection(api: Driver, server: ScriptedServer) -> None:
    client = api.client()
    server.reply(drop=True)
    with pytest.raises(api.rt.APIConnectionError):
        req(api, client, POST, json={})
    assert len(server.requests) == 1
    # An idempotent request is retried after a drop.
    server.reply(drop=True)
    server.reply(200, json_body={"ok": True})
    assert req(api, client, GET) == {"ok": True}
    assert len(server.requests) == 3


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------


def test_404_json_body(api: Driver, server: ScriptedServer) -> None:
    server.reply(
        404,
        json_body={"error": {"code": "not_found"}},
        headers={"x-request-id": "req_1"},
    )
    client = api.client()
    with pytest.raises(api.rt.NotFoundError) as info:
        req(api, client, GET)
    err = info.value
    assert err.status_code == 404
    assert err.body == {"error": {"code": "not_found"}}
    assert err.request_id == "req_1"
    assert err.response.status_code == 404
    assert isinstance(err, api.rt.APIStatusError)
    assert isinstance(err, api.rt.BctrlError)
    assert len(server.requests) == 1


def test_500_html_body(api: Driver, server: ScriptedServer) -> None:
    html = "<html><body>Oops</body></html>"
    server.reply(
        500, body=html, headers={"Content-Type": "text/html", "request-id": "r2"}
    )
    client = api.client()
    with pytest.raises(api.rt.InternalServerError) as info:
        req(api, client, POST, json={})
    assert info.value.body == html
    assert info.value.request_id == "r2"
    assert info.value.headers["content-type"] == "text/html"


STATUS_ERRORS = [
    (400, "BadRequestError"),
    (401, "AuthenticationError"),
    (403, "PermissionDeniedError"),
    (404, "NotFoundError"),
    (409, "ConflictError"),
    (422, "UnprocessableEntityError"),
    (429, "RateLimitError"),
    (418, "APIStatusError"),
    (500, "InternalServerError"),
    (504, "InternalServerError"),
]


def test_status_error_classes(api: Driver, server: ScriptedServer) -> None:
    client = api.client(max_retries=0)
    for status, name in STATUS_ERRORS:
        server.reply(status, json_body={"status": status})
        with pytest.raises(api.rt.APIStatusError) as info:
            req(api, client, POST, json={})
        assert type(info.value) is getattr(api.rt, name), status
        assert info.value.status_code == status
        assert info.value.body == {"status": status}
    assert len(server.requests) == len(STATUS_ERRORS)


def test_response_validation_error(api: Driver, server: ScriptedServer) -> None:
    client = api.client()
    server.reply(200, json_body={"id": "inv_1"})  # "status" missing
    with pytest.raises(api.rt.APIResponseValidationError) as info:
        api.run(client.invocations.retrieve("inv_1"))
    assert info.value.status_code == 200
    assert info.value.body == {"id": "inv_1"}
    assert type(info.value.error).__name__ == "ValidationError"

    server.reply(200, body="not json", headers={"Content-Type": "application/json"})
    with pytest.raises(api.rt.APIResponseValidationError):
        req(api, client, GET)


# ---------------------------------------------------------------------------
# Configuration
# ---------------------------------------------------------------------------


def test_api_key_from_environment(
    api: Driver, server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BCTRL_API_KEY", "sk-from-env")
    client = api.client_class(base_url=server.url)
    try:
        assert client.api_key == "sk-from-env"
        server.reply(200, json_body={"id": "inv_1", "status": "done"})
        result = api.run(client.invocations.retrieve("inv_1"))
        assert result.status == "done"
        assert server.requests[0].headers["authorization"] == "Bearer sk-from-env"
    finally:
        api.run(client.close())


def test_missing_api_key_names_env_var(api: Driver) -> None:
    with pytest.raises(api.rt.BctrlError, match="BCTRL_API_KEY"):
        api.client_class()


def test_repr_hides_key(api: Driver) -> None:
    client = api.client(api_key="sk-super-secret")
    text = repr(client)
    assert "sk-super-secret" not in text
    assert "Bctrl" in text and api.server.url in text


def test_base_url_resolution(api: Driver, monkeypatch: pytest.MonkeyPatch) -> None:
    # One shared pool keeps this test quick (creating a pool loads CA certificates).
    httpx = api.pkg.httpx
    shared = httpx.AsyncClient() if api.is_async else httpx.Client()
    cls = functools.partial(api.client_class, http_client=shared)
    clients: list[Any] = []
    try:
        clients.append(cls(api_key="k"))
        assert clients[-1].base_url == "https://api.bctrl.ai"
        clients.append(cls(api_key="k", environment="local"))
        assert clients[-1].base_url == "http://localhost:8787"
        monkeypatch.setenv("BCTRL_BASE_URL", "http://env.example")
        clients.append(cls(api_key="k"))
        assert clients[-1].base_url == "http://env.example"
        clients.append(cls(api_key="k", environment="production"))
        assert clients[-1].base_url == "https://api.bctrl.ai"
        clients.append(cls(api_key="k", base_url="http://x.example"))
        assert clients[-1].base_url == "http://x.example"
        # Agreeing base_url and environment are fine.
        clients.append(
            cls(api_key="k", base_url="http://localhost:8787/", environment="local")
        )
    finally:
        api.run(shared.aclose() if api.is_async else shared.close())


def test_base_url_environment_conflict(api: Driver) -> None:
    with pytest.raises(api.rt.BctrlError, match="environment"):
        api.client_class(api_key="k", base_url="http://elsewhere", environment="local")


def test_unknown_environment_lists_valid(api: Driver) -> None:
    with pytest.raises(api.rt.BctrlError) as info:
        api.client_class(api_key="k", environment="staging")
    message = str(info.value)
    assert "staging" in message and "production" in message and "local" in message


def test_wrong_http_client_type(api: Driver) -> None:
    httpx = api.pkg.httpx
    wrong = httpx.Client() if api.is_async else httpx.AsyncClient()
    expected = (
        f"{api.pkg.http_module}.AsyncClient"
        if api.is_async
        else f"{api.pkg.http_module}.Client"
    )
    try:
        with pytest.raises(TypeError, match=expected.replace(".", r"\.")):
            api.client_class(api_key="k", http_client=wrong)
    finally:
        if api.is_async:
            wrong.close()
        else:
            asyncio.run(wrong.aclose())


def test_with_options_shares_http_client(api: Driver, server: ScriptedServer) -> None:
    client = api.client(max_retries=2, default_headers={"X-Team": "a"})
    copy = client.with_options(max_retries=0, timeout=5.0)
    assert type(copy) is type(client)
    assert copy.http_client is client.http_client
    assert copy.max_retries == 0 and client.max_retries == 2
    assert copy.timeout.read == 5.0
    assert copy.api_key == client.api_key and copy.base_url == client.base_url
    server.reply(503)
    with pytest.raises(api.rt.InternalServerError):
        req(api, copy, GET)
    assert len(server.requests) == 1
    assert server.requests[0].headers["x-team"] == "a"
    # Closing the copy leaves the shared pool open.
    api.run(copy.close())
    assert not client.is_closed
    server.reply(200, json_body={})
    assert req(api, client, GET) == {}
    local = client.with_options(environment="local")
    assert local.base_url == "http://localhost:8787"


def test_context_manager_closes_owned_client(api: Driver) -> None:
    cls = api.client_class
    if api.is_async:

        async def run() -> Any:
            async with cls(api_key="k") as client:
                assert not client.is_closed
            return client

        client = api.run(run())
    else:
        with cls(api_key="k") as client:
            assert not client.is_closed
    assert client.is_closed


def test_user_http_client_not_closed(api: Driver) -> None:
    httpx = api.pkg.httpx
    own = httpx.AsyncClient() if api.is_async else httpx.Client()
    client = api.client_class(api_key="k", http_client=own)
    assert client.http_client is own
    api.run(client.close())
    assert not own.is_closed
    api.run(own.aclose() if api.is_async else own.close())


# ---------------------------------------------------------------------------
# Request building
# ---------------------------------------------------------------------------


def test_not_given_dropped_none_sent_as_null(
    api: Driver, server: ScriptedServer
) -> None:
    server.reply(200, json_body={"id": "inv_1", "status": "queued", "displayName": "X"})
    client = api.client()
    result = api.run(client.invocations.create(name="job", note=None))
    assert result.display_name == "X"
    sent = server.requests[0]
    assert sent.method == "POST" and sent.path == "/v1/invocations"
    assert sent.json() == {"name": "job", "note": None}


def test_extras_applied(api: Driver, server: ScriptedServer) -> None:
    server.reply(200, json_body={"id": "inv_1", "status": "queued"})
    client = api.client()
    api.run(
        client.invocations.create(
            name="job",
            tags=["a", "b"],
            extra_headers={"X-Extra": "1", "User-Agent": "custom/9"},
            extra_query={"dry_run": True},
            extra_body={"priority": 5},
        )
    )
    sent = server.requests[0]
    assert sent.headers["x-extra"] == "1"
    assert sent.headers["user-agent"] == "custom/9"
    assert sent.query == {"dry_run": ["true"]}
    assert sent.json() == {"name": "job", "tags": ["a", "b"], "priority": 5}


def test_query_serialisation(api: Driver, server: ScriptedServer) -> None:
    server.reply(200, json_body=[{"id": "a", "status": "s"}])
    client = api.client(default_query={"region": "eu"})
    result = api.run(
        client.invocations.list(status=["queued", "done"], include_done=False)
    )
    assert [item.id for item in result] == ["a"]
    sent = server.requests[0]
    assert sent.query == {
        "status": ["queued", "done"],
        "include_done": ["false"],
        "region": ["eu"],
    }
    assert "limit" not in sent.query


def test_path_params_are_encoded(api: Driver, server: ScriptedServer) -> None:
    server.reply(200, json_body={"id": "a b/c", "status": "s"})
    client = api.client()
    api.run(client.invocations.retrieve("a b/c?d"))
    assert server.requests[0].raw_path == "/v1/invocations/a%20b%2Fc%3Fd"
    with pytest.raises(ValueError):
        api.run(client.invocations.retrieve(""))


def test_headers_cookies_and_models(api: Driver, server: ScriptedServer) -> None:
    Invocation = api.pkg.client.Invocation
    server.reply(204)
    client = api.client()
    body = {
        "items": [Invocation(id="1", status="s", displayName="D")],
        "single": Invocation(id="2", status="t"),
        "skip": api.rt.NOT_GIVEN,
    }
    result = req(
        api,
        client,
        POST,
        json=body,
        headers={"X-Mode": "fast", "X-Gone": api.rt.NOT_GIVEN, "X-Flag": True},
        cookies={"session": "abc", "gone": api.rt.NOT_GIVEN},
        query={
            "n": 3,
            "none": None,
            "gone": api.rt.NOT_GIVEN,
            "when": dt.date(2024, 1, 2),
        },
        response_kind="none",
        parse=lambda data: ("parsed", data),
    )
    assert result == ("parsed", None)
    sent = server.requests[0]
    assert sent.json() == {
        "items": [{"id": "1", "status": "s", "displayName": "D"}],
        "single": {"id": "2", "status": "t"},
    }
    assert sent.headers["x-mode"] == "fast"
    assert sent.headers["x-flag"] == "true"
    assert "x-gone" not in sent.headers
    assert sent.headers["cookie"] == "session=abc"
    assert sent.query == {"n": ["3"], "when": ["2024-01-02"]}


def test_form_and_files(api: Driver, server: ScriptedServer) -> None:
    client = api.client()
    server.reply(200, json_body={})
    req(api, client, POST, form={"a": "1", "b": True, "c": api.rt.NOT_GIVEN})
    sent = server.requests[0]
    assert sent.headers["content-type"] == "application/x-www-form-urlencoded"
    assert sent.body == b"a=1&b=true"
    server.reply(200, json_body={})
    req(
        api,
        client,
        POST,
        form={"kind": "doc"},
        files={"file": ("a.txt", b"hello", "text/plain")},
    )
    sent = server.requests[1]
    assert sent.headers["content-type"].startswith("multipart/form-data")
    assert b"hello" in sent.body and b'name="kind"' in sent.body


def test_response_kinds(api: Driver, server: ScriptedServer) -> None:
    client = api.client()
    server.reply(200, body="plain text", headers={"Content-Type": "text/plain"})
    assert req(api, client, GET, response_kind="text") == "plain text"
    server.reply(
        200, body=b"\x00\x01\x02", headers={"Content-Type": "application/octet-stream"}
    )
    assert req(api, client, GET, response_kind="bytes") == b"\x00\x01\x02"
    server.reply(204)
    assert req(api, client, GET) is None


def test_auth_schemes(pkg: Pkg, server: ScriptedServer) -> None:
    rt = pkg.rt
    shared = pkg.httpx.Client()
    seen: list[tuple[dict[str, str], dict[str, list[str]]]] = []
    for scheme in (
        rt.AuthScheme(kind="header", name="X-Api-Key"),
        rt.AuthScheme(kind="query", name="api_key"),
        rt.AuthScheme(kind="basic", name=""),
    ):
        config = rt.ClientConfig(
            client_name="Other",
            env_prefix="OTHER",
            environments={"default": server.url},
            auth=scheme,
            api_key_required=False,
            user_agent="other/0",
            package_version="0",
        )
        cls = type("Other", (rt.SyncAPIClient,), {"_config": config})
        with cls(api_key="user:pw", http_client=shared) as client:
            server.reply(200, json_body={})
            client.request(rt.Route("GET", "/x"), parse=rt.passthrough)
        last = server.requests[-1]
        seen.append((last.headers, last.query))
    assert seen[0][0]["x-api-key"] == "user:pw"
    assert seen[1][1] == {"api_key": ["user:pw"]}
    assert seen[2][0]["authorization"] == "Basic dXNlcjpwdw=="
    # Key not required and absent: no auth header at all.
    with type("Anon", (rt.SyncAPIClient,), {"_config": config})(
        http_client=shared
    ) as anon:
        server.reply(200, json_body={})
        anon.request(rt.Route("GET", "/x"), parse=rt.passthrough)
    assert "authorization" not in server.requests[-1].headers
    assert not shared.is_closed
    shared.close()


# ---------------------------------------------------------------------------
# Raw responses
# ---------------------------------------------------------------------------


def test_raw_response_wrapper(api: Driver, server: ScriptedServer) -> None:
    server.reply(429, headers={"Retry-After": "0"})
    server.reply(
        201,
        json_body={"id": "inv_9", "status": "queued"},
        headers={"x-request-id": "req_9", "X-Custom": "yes"},
    )
    client = api.client()
    raw = api.run(
        client.invocations.with_raw_response.create(
            name="job", extra_headers={"X-Mine": "1"}
        )
    )
    assert isinstance(raw, api.rt.APIResponse)
    assert raw.status_code == 201
    assert raw.headers["x-custom"] == "yes"
    assert raw.request_id == "req_9"
    assert raw.retries_taken == 1
    assert isinstance(raw.elapsed, dt.timedelta)
    assert isinstance(raw.http_response, api.pkg.httpx.Response)
    parsed = raw.parse()
    assert parsed.id == "inv_9" and parsed is raw.parse()
    sent = server.requests[-1]
    assert sent.headers["x-mine"] == "1"
    assert api.rt.RAW_RESPONSE_HEADER.lower() not in sent.headers


def test_raw_response_wrapper_still_raises(api: Driver, server: ScriptedServer) -> None:
    server.reply(404, json_body={"error": "nope"})
    client = api.client()
    with pytest.raises(api.rt.NotFoundError):
        api.run(client.invocations.with_raw_response.retrieve("x"))


# ---------------------------------------------------------------------------
# Server-sent events
# ---------------------------------------------------------------------------


def test_sse_two_events(api: Driver, server: ScriptedServer) -> None:
    server.reply_sse(
        [
            ": keep-alive comment",
            'event: progress\ndata: {"step": 1}',
            'data: {"step": 2,\r\ndata:  "text": "a\u2028b"}',
        ]
    )
    client = api.client()
    stream = api.run(client.invocations.events("inv_1"))
    events = api.collect(stream)
    assert events == [{"step": 1}, {"step": 2, "text": "a\u2028b"}]
    sent = server.requests[0]
    assert sent.path == "/v1/invocations/inv_1/events"
    assert sent.headers["accept"] == "text/event-stream"
    assert stream.response.is_closed


def test_sse_error_status_raises_typed_error(
    api: Driver, server: ScriptedServer
) -> None:
    server.reply(401, json_body={"error": "bad key"})
    client = api.client()
    with pytest.raises(api.rt.AuthenticationError) as info:
        api.run(client.invocations.events("inv_1"))
    assert info.value.body == {"error": "bad key"}


# ---------------------------------------------------------------------------
# Module-level properties
# ---------------------------------------------------------------------------


def test_not_given_sentinel(pkg: Pkg) -> None:
    rt = pkg.rt
    assert not rt.NOT_GIVEN
    assert repr(rt.NOT_GIVEN) == "NOT_GIVEN"
    assert rt.NotGiven() is rt.NOT_GIVEN
    assert rt.Route("get", "/x").idempotent and not rt.Route("POST", "/x").idempotent
    assert (
        rt.Route("DELETE", "/x").idempotent and not rt.Route("PATCH", "/x").idempotent
    )


def test_runtime_does_not_import_pydantic(tmp_path: Any, pkg: Pkg) -> None:
    write_package(tmp_path, "nopyd", pkg.http_module)
    code = (
        "import sys\n"
        "import nopyd._runtime as rt\n"
        "assert rt.passthrough({'a': 1}) == {'a': 1}\n"
        "assert 'pydantic' not in sys.modules, 'pydantic imported at import time'\n"
        "parse = rt.model_parser(int)\n"
        "assert 'pydantic' not in sys.modules, 'model_parser must be lazy'\n"
        "assert parse('5') == 5\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_rendered_runtime_is_plain_python(pkg: Pkg) -> None:
    source = render_runtime(pkg.http_module, base_error="AcmeError")
    assert "{{" not in source and "{%" not in source
    assert f"import {pkg.http_module} as httpx" in source
    assert "class AcmeError(Exception)" in source
    compile(source, "_runtime.py", "exec")
    assert json.dumps(source)  # renders to text
