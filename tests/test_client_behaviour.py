"""Production behaviour of the generated bctrl clients (sync, async, typed-dict; httpx2 and httpx).

Every test runs against a real HTTP server on loopback, scripted per test.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support.harness import HTTP_MODULES, KINDS, Harness, bctrl_package
from support.samples import INVOCATION_ID, wait_response
from support.server import ScriptedServer


@pytest.fixture(scope="session")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    workdir = tmp_path_factory.mktemp("bctrl-variants")
    return {http: bctrl_package(http, workdir) for http in HTTP_MODULES}


@pytest.fixture(params=[(http, kind) for http in HTTP_MODULES for kind in KINDS], ids=lambda p: f"{p[0]}-{p[1]}")
def harness(request: pytest.FixtureRequest, packages: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Iterator[Harness]:
    http, kind = request.param
    package = packages[http]
    # Backoff is exercised by its own tests; here it only slows the suite down.
    monkeypatch.setattr(package._runtime, "INITIAL_RETRY_DELAY", 0.001)
    monkeypatch.setattr(package._runtime, "MAX_RETRY_DELAY", 0.01)
    yield Harness(package, kind)


def test_429_with_retry_after_zero_is_retried_and_counted(harness: Harness, server: ScriptedServer) -> None:
    server.reply(429, json_body={"error": "slow down"}, headers={"Retry-After": "0"})
    server.reply(200, json_body=wait_response())
    result = harness.call(server.url, INVOCATION_ID)
    assert _status(result) == "succeeded"
    assert [request.headers["x-retry-count"] for request in server.requests] == ["0", "1"]


def test_503_exhausts_retries_with_an_idempotency_key(harness: Harness, server: ScriptedServer) -> None:
    for _ in range(3):
        server.reply(503, body="busy")
    with pytest.raises(harness.error("InternalServerError")) as caught:
        harness.call(server.url, INVOCATION_ID, client={"max_retries": 2}, idempotency_key="key-1")
    assert caught.value.status_code == 503  # type: ignore[attr-defined]
    assert len(server.requests) == 3
    assert {request.headers["idempotency-key"] for request in server.requests} == {"key-1"}


def test_post_503_without_key_is_sent_once(harness: Harness, server: ScriptedServer) -> None:
    server.reply(503, body="busy")
    with pytest.raises(harness.error("InternalServerError")):
        harness.call(server.url, INVOCATION_ID)
    assert len(server.requests) == 1
    assert "idempotency-key" not in server.requests[0].headers


def test_post_503_with_key_is_retried_with_the_same_key(harness: Harness, server: ScriptedServer) -> None:
    server.reply(503, body="busy")
    server.reply(200, json_body=wait_response())
    harness.call(server.url, INVOCATION_ID, idempotency_key="same-key")
    assert [request.headers["idempotency-key"] for request in server.requests] == ["same-key", "same-key"]


def test_post_429_is_retried_without_a_key(harness: Harness, server: ScriptedServer) -> None:
    server.reply(429, body="", headers={"Retry-After": "0"})
    server.reply(200, json_body=wait_response())
    assert _status(harness.call(server.url, INVOCATION_ID)) == "succeeded"
    assert len(server.requests) == 2


def test_a_stalled_server_times_out(harness: Harness, server: ScriptedServer) -> None:
    server.reply(200, json_body=wait_response(), delay=5)
    started = time.monotonic()
    with pytest.raises(harness.error("APITimeoutError")):
        harness.call(server.url, INVOCATION_ID, client={"timeout": 0.5})
    assert time.monotonic() - started < 1.5


def test_a_refused_connection_is_a_connection_error(harness: Harness) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(harness.error("APIConnectionError")):
        harness.call(f"http://127.0.0.1:{port}", INVOCATION_ID, client={"max_retries": 0})


def test_404_json_body_is_kept(harness: Harness, server: ScriptedServer) -> None:
    server.reply(404, json_body={"error": {"code": "NOT_FOUND", "message": "no such invocation"}}, headers={"x-request-id": "req-42"})
    with pytest.raises(harness.error("NotFoundError")) as caught:
        harness.call(server.url, INVOCATION_ID)
    error: Any = caught.value
    assert error.body == {"error": {"code": "NOT_FOUND", "message": "no such invocation"}}
    assert error.request_id == "req-42"


def test_500_html_body_is_kept_as_text(harness: Harness, server: ScriptedServer) -> None:
    server.reply(500, body="<html><body>Bad gateway</body></html>", headers={"Content-Type": "text/html"})
    with pytest.raises(harness.error("InternalServerError")) as caught:
        harness.call(server.url, INVOCATION_ID)
    assert caught.value.body == "<html><body>Bad gateway</body></html>"  # type: ignore[attr-defined]


def test_unknown_enum_values_and_fields_parse(harness: Harness, server: ScriptedServer) -> None:
    payload = wait_response(status="paused")
    payload["invocation"]["priority"] = "high"
    payload["invocation"]["result"]["steps"].append({"ok": "maybe", "call": "x", "index": 2})
    server.reply(200, json_body=payload)
    result = harness.call(server.url, INVOCATION_ID)
    if harness.is_typed:
        assert result == payload  # plain data, by design
        return
    assert result.invocation.status.value == "paused"
    assert result.invocation.status == "paused"
    assert result.invocation.model_extra == {"priority": "high"}
    assert result.invocation.result.steps[2] == {"ok": "maybe", "call": "x", "index": 2}
    assert type(result.invocation.result.steps[0]).__name__ == "StepSuccess"


def test_a_missing_required_field_is_a_validation_error(harness: Harness, server: ScriptedServer) -> None:
    payload = wait_response()
    del payload["invocation"]["status"]
    server.reply(200, json_body=payload)
    if harness.is_typed:
        assert harness.call(server.url, INVOCATION_ID) == payload  # not validated, by design
        return
    with pytest.raises(harness.error("APIResponseValidationError")) as caught:
        harness.call(server.url, INVOCATION_ID)
    assert caught.value.status_code == 200  # type: ignore[attr-defined]


def test_left_out_arguments_are_not_sent(harness: Harness, server: ScriptedServer) -> None:
    server.reply(200, json_body=wait_response())
    server.reply(200, json_body=wait_response())
    harness.call(server.url, INVOCATION_ID)
    harness.call(server.url, INVOCATION_ID, timeout_ms=10, extra_body={"debug": None}, extra_query={"trace": "1"}, extra_headers={"X-Extra": "yes"})
    assert server.requests[0].body in (b"", b"{}")
    second = server.requests[1]
    assert second.json() == {"timeoutMs": 10, "debug": None}
    assert second.query == {"trace": ["1"]}
    assert second.headers["x-extra"] == "yes"


def test_raw_response_gives_status_headers_elapsed_and_parse(harness: Harness, server: ScriptedServer) -> None:
    server.reply(200, json_body=wait_response(), headers={"x-request-id": "req-7"})
    raw = harness.call(server.url, INVOCATION_ID, raw=True)
    assert raw.status_code == 200
    assert raw.headers["x-request-id"] == "req-7"
    assert raw.elapsed.total_seconds() >= 0
    parsed = raw.parse()
    assert (parsed["invocation"]["status"] if harness.is_typed else parsed.invocation.status.value) == "succeeded"


def test_api_key_comes_from_the_environment(harness: Harness, server: ScriptedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BCTRL_API_KEY", "from-env")
    monkeypatch.setenv("BCTRL_BASE_URL", server.url)
    server.reply(200, json_body=wait_response())
    client = harness.client_class()
    assert "from-env" not in repr(client)
    harness.call(server.url, INVOCATION_ID, client={"api_key": None})
    assert server.requests[0].headers["authorization"] == "Bearer from-env"


def test_missing_key_names_the_variable(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BCTRL_API_KEY", raising=False)
    with pytest.raises(harness.error("BctrlError"), match="BCTRL_API_KEY"):
        harness.client_class()


def test_environment_choice_and_conflicts(harness: Harness) -> None:
    client = harness.client_class(api_key="k", environment="local")
    assert str(client.base_url).rstrip("/") == "http://localhost:8787"
    assert str(harness.client_class(api_key="k").base_url).rstrip("/") == "https://api.bctrl.ai"
    with pytest.raises(harness.error("BctrlError"), match="production"):
        harness.client_class(api_key="k", environment="staging")
    with pytest.raises(harness.error("BctrlError")):
        harness.client_class(api_key="k", environment="local", base_url="https://elsewhere.example.com")


def test_wrong_http_client_type_is_a_type_error(harness: Harness) -> None:
    with pytest.raises(TypeError, match="Client"):
        harness.client_class(api_key="k", http_client=object())


def test_with_options_shares_the_connection_pool(harness: Harness) -> None:
    client = harness.client_class(api_key="k", max_retries=2)
    copy = client.with_options(max_retries=5)
    assert copy.max_retries == 5 and client.max_retries == 2
    assert copy.http_client is client.http_client
    assert copy.invocations is not client.invocations


def _status(result: Any) -> str:
    return result["invocation"]["status"] if isinstance(result, dict) else result.invocation.status.value


def test_variants_share_one_runtime_module(packages: dict[str, Any]) -> None:
    package = packages["httpx2"]
    root = Path(package.__file__).parent
    runtime_users = [path.relative_to(root).as_posix() for path in root.rglob("*.py") if "_runtime import" in path.read_text()]
    assert {"client.py", "typed_client.py", "resources/invocations.py", "typed_resources/invocations.py"} <= set(runtime_users)
    assert not any("httpx2.Client(" in path.read_text() for path in root.rglob("*.py") if path.name != "_runtime.py")
