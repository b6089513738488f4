"""Secrets never show: unsendable credentials refused without echoing them, query credentials hidden in logs and reprs.

Every test that takes ``api`` runs eight times: {httpx2, httpx} x {sync, async, typed,
async typed}, on the package clientgen generates from ``loopback.yaml`` (see conftest.py).
"""

from __future__ import annotations

import base64
import logging
import urllib.parse
from typing import Any

import pytest
from support.loopback import Api
from support.server import ScriptedServer


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


BAD_KEYS = ["sk-abc\n", "sk-abc\r\nX-Evil: 1", "sk-\u00e9t\u00e9", "sk abc\x00"]


@pytest.mark.parametrize("key", ["qk-abc\n", "qk-abc\r\nX-Evil: 1", "qk-\x00abc", "qk-abc\x7f"])
def test_a_query_key_with_a_control_character_is_refused_at_construction(
    api: Api, server: ScriptedServer, key: str
) -> None:
    with pytest.raises(api.error("ConfigurationError")) as info:
        api.client(query_key=key)
    assert "qk-" not in str(info.value) and "query_key" in str(info.value)
    assert server.requests == []


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


# Pure functions of _runtime/redaction.py


def test_only_credential_query_values_are_hidden(rt: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    url = rt.redaction.httpx.URL("https://api.test/v1?token=sk-1&page=2&token=sk-2")
    monkeypatch.setattr(rt.redaction, "_SECRET_QUERY_NAMES", set())
    assert rt.redaction.redact_url(url) == str(url)
    monkeypatch.setattr(rt.redaction, "_SECRET_QUERY_NAMES", {"token", "other"})
    shown = rt.redaction.redact_url(url)
    assert "sk-1" not in shown and "sk-2" not in shown and "page=2" in shown
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(shown).query)["token"] == [rt.redaction.REDACTED]


# Whatever the scheme, the request an error carries shows no credential (issue 21)

SCHEMES = [
    ("things", "list", {"api_key": "sk-bearer-secret-1"}, "sk-bearer-secret-1"),
    ("auth", "header", {"header_key": "hk-header-secret-2"}, "hk-header-secret-2"),
    ("auth", "query", {"query_key": "qk-query-secret-3"}, "qk-query-secret-3"),
    ("auth", "cookie", {"cookie_key": "ck-cookie-secret-4"}, "ck-cookie-secret-4"),
    ("auth", "basic", {"basic": "user:pw-basic-secret-5"}, "pw-basic-secret-5"),
]


@pytest.mark.parametrize(
    ("resource", "method", "credentials", "secret"), SCHEMES, ids=["bearer", "header", "query", "cookie", "basic"]
)
def test_the_request_of_an_error_shows_no_credential(
    api: Api, server: ScriptedServer, resource: str, method: str, credentials: dict[str, str], secret: str
) -> None:
    server.reply(401, json_body={"error": "no"})
    client = api.client(**credentials)
    with pytest.raises(api.error("AuthenticationError")) as info:
        api.run(getattr(getattr(client, resource), method)())
    error: Any = info.value
    sent = server.requests[0]
    encoded = base64.b64encode(b"user:pw-basic-secret-5").decode()
    assert secret in sent.raw_path + str(sent.header_items) or encoded in str(sent.header_items)  # it was sent
    shown = [
        repr(error.request),
        repr(error.request.headers),
        repr(error.request.url),
        repr(error.response.request),
        repr(error.response.request.headers),
        repr(error.response),
        repr(error),
        str(error),
    ]
    for text in shown:
        assert secret not in text, text
    assert encoded not in repr(error.request.headers)
    assert "redacted" in repr(error.request.headers) + repr(error.request.url)
