"""Authentication: every scheme of loopback.yaml travels where the document says; alternatives, environment, missing credentials.

Every test that takes ``api`` runs eight times: {httpx2, httpx} x {sync, async, typed,
async typed}, on the package clientgen generates from ``loopback.yaml`` (see conftest.py).
"""

from __future__ import annotations

import base64
from typing import Any

import pytest
from support.loopback import Api
from support.server import ScriptedServer

CREDENTIALS = {"header_key": "hk-1", "query_key": "qk-1", "cookie_key": "ck-1", "basic": "user:pw"}


@pytest.mark.slow
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


# Pure functions of _runtime/auth.py


def test_each_kind_puts_its_credential_where_the_rules_say(rt: Any) -> None:
    def parts(kind: str, credential: str) -> Any:
        return rt.auth.auth_parts(rt.AuthScheme(kind, name="X-Key" if kind == "header" else "k"), credential)

    assert parts("bearer", "t0k").headers == {"Authorization": "Bearer t0k"}
    basic = parts("basic", "user:p:w").headers["Authorization"]
    assert basic.startswith("Basic ") and base64.b64decode(basic[6:]) == b"user:p:w"
    assert base64.b64decode(parts("basic", "sk_1").headers["Authorization"][6:]) == b"sk_1:"
    assert parts("header", "v").headers == {"X-Key": "v"}
    assert parts("query", "v").query == (("k", "v"),) and not parts("query", "v").headers
    assert parts("cookie", "v").cookies == ("k=v",)
    combined = rt.auth.combine_auth([parts("header", "a"), parts("query", "b"), parts("cookie", "c")])
    assert (combined.headers, combined.query, combined.cookies) == ({"X-Key": "a"}, (("k", "b"),), ("k=c",))


def test_credentials_that_cannot_travel_are_refused_without_showing_them(rt: Any) -> None:
    refused = {"bearer": "a\nb", "header": " padded ", "cookie": "a;b", "basic": "user:\x7f", "query": ""}
    for kind, credential in refused.items():
        with pytest.raises(rt.ConfigurationError) as info:
            rt.auth.check_credential(rt.AuthScheme(kind, name="k"), credential, "api_key")
        assert "api_key" in str(info.value) and (not credential or credential not in str(info.value)), kind
    for kind in refused:
        rt.auth.check_credential(rt.AuthScheme(kind, name="k"), "sk-live_1.2", "api_key")
