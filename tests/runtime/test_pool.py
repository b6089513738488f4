"""The shared connection pool: with_options copies share it, context managers close only their own, a fork gets a fresh one.

Every test that takes ``api`` runs eight times: {httpx2, httpx} x {sync, async, typed,
async typed}, on the package clientgen generates from ``loopback.yaml`` (see conftest.py).
"""

from __future__ import annotations

import os
import pickle

import pytest
from support.loopback import Api, value
from support.server import ScriptedServer


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
