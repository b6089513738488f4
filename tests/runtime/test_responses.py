"""Responses: each response kind decoded, None only where the API documents an empty success, raw responses.

Every test that takes ``api`` runs eight times: {httpx2, httpx} x {sync, async, typed,
async typed}, on the package clientgen generates from ``loopback.yaml`` (see conftest.py).
"""

from __future__ import annotations

import datetime as dt

import pytest
from support.loopback import THING, Api, value
from support.server import ScriptedServer


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
