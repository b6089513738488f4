"""Client configuration: base_url, environments, API keys from the environment, the HTTP client given, fixed headers.

Every test that takes ``api`` runs eight times: {httpx2, httpx} x {sync, async, typed,
async typed}, on the package clientgen generates from ``loopback.yaml`` (see conftest.py).
"""

from __future__ import annotations

import pytest
from support.loopback import THING, Api, retry_counts, value
from support.server import ScriptedServer


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


LONE_SURROGATE = "x\ud800y"


@pytest.mark.parametrize("where", ["path", "query", "header", "cookie", "extra_query"])
def test_a_lone_surrogate_is_a_typed_error_before_sending(api: Api, server: ScriptedServer, where: str) -> None:
    client = api.client()
    calls = {
        "path": lambda: client.things.retrieve(LONE_SURROGATE),
        "query": lambda: client.params.echo("a", 1, when=LONE_SURROGATE),
        "header": lambda: client.params.echo("a", 1, x_mode=LONE_SURROGATE),
        "cookie": lambda: client.params.echo("a", 1, pref=LONE_SURROGATE),
        "extra_query": lambda: client.things.list(extra_query={"q": LONE_SURROGATE}),
    }
    with pytest.raises(api.error("RequestArgumentError")) as info:
        api.run(calls[where]())
    assert isinstance(info.value, ValueError) and not isinstance(info.value, UnicodeError)
    assert server.requests == []


def test_a_declared_header_named_like_a_runtime_header_wins(api: Api, server: ScriptedServer) -> None:
    server.reply(200, json_body={})
    server.reply(503)
    server.reply(200, json_body={})
    client = api.client()
    api.run(client.params.echo("a", 1, x_retry_count="caller-7"))
    api.run(client.params.echo("a", 1, x_retry_count="caller-8"))  # retried: the caller's value on every attempt
    assert [request.headers["x-retry-count"] for request in server.requests] == ["caller-7", "caller-8", "caller-8"]


def test_declared_user_agent_accept_and_idempotency_key_are_sent_once_with_the_callers_value(
    api: Api, server: ScriptedServer
) -> None:
    """params.echo declares ``user-agent`` (lower case) and ``Accept``, things.order ``idempotency-key``; the
    client's default_headers name all three in other cases. Each is sent once: extra_headers, else the declared
    parameter, else default_headers, else the runtime's own."""
    for _ in range(3):
        server.reply(200, json_body={})
    server.reply(503)
    server.reply(200, json_body=THING)
    defaults = {"User-Agent": "default/2", "accept": "application/x-default", "IDEMPOTENCY-KEY": "client-wide"}
    client = api.client(default_headers=defaults, max_retries=1)
    api.run(client.params.echo("a", 1, user_agent="mine/1.0", accept="application/x-mine"))
    api.run(client.params.echo("a", 1))
    api.run(client.params.echo("a", 1, user_agent="mine/1.0", extra_headers={"USER-AGENT": "extra/3"}))
    api.run(client.things.order("t1", quantity=1, idempotency_key="order-7"))  # 503, then retried
    sent = []
    for request in server.requests:
        names = [name.lower() for name, _ in request.header_items]
        assert all(names.count(name) <= 1 for name in ("accept", "user-agent", "idempotency-key")), names
        sent.append((request.headers["user-agent"], request.headers["accept"], request.headers.get("idempotency-key")))
    assert sent == [
        ("mine/1.0", "application/x-mine", "client-wide"),
        ("default/2", "application/x-default", "client-wide"),
        ("extra/3", "application/x-default", "client-wide"),
        ("default/2", "application/x-default", "order-7"),
        ("default/2", "application/x-default", "order-7"),
    ]


# Methods of the client itself (an untagged endpoint alone under its path word: client.echo)


def test_a_method_of_the_client_itself_calls_parses_and_has_raw_and_streamed_forms(
    api: Api, server: ScriptedServer
) -> None:
    server.reply(200, json_body=THING)
    server.reply(429, headers={"Retry-After": "0"})
    server.reply(200, json_body=THING, headers={"x-request-id": "req_7"})
    client = api.client()
    assert value(api.run(client.echo(text="hi")), "id") == "t1"
    raw = api.run(client.with_raw_response.echo(text="again"))
    assert (raw.status_code, raw.request_id, value(raw.parse(), "status")) == (200, "req_7", "ready")
    assert [(request.method, request.path, request.json()) for request in server.requests] == [
        ("POST", "/v1/echo", {"text": "hi"}),
        ("POST", "/v1/echo", {"text": "again"}),
        ("POST", "/v1/echo", {"text": "again"}),
    ]
    assert server.requests[0].headers["authorization"] == "Bearer sk-test-123"
    assert callable(client.with_streaming_response.echo)
    # The resources are still there, beside it; a copy of the client has the method too.
    assert hasattr(client, "things") and not hasattr(client, "echo_")
    server.reply(200, json_body=THING)
    assert value(api.run(client.with_options(max_retries=0).echo(text="copy")), "id") == "t1"
