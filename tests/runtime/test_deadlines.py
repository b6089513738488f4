"""Deadlines and connection failures: attempt and total timeouts, stalled and dripping servers, dropped connections.

Every test that takes ``api`` runs eight times: {httpx2, httpx} x {sync, async, typed,
async typed}, on the package clientgen generates from ``loopback.yaml`` (see conftest.py).
The tests that wait for a timeout to pass are marked slow: the quick loop (``-m "not slow"``) leaves them out.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from support.loopback import THING, Api, retry_counts, value
from support.server import ScriptedServer, refused_port


@pytest.mark.slow
def test_a_dripping_body_cannot_outlast_the_timeout(api: Api, server: ScriptedServer) -> None:
    server.reply(200, json_body={"id": "x" * 40, "status": "slow"}, drip=0.1)  # about 6 s in all
    client = api.client(timeout=1.0, max_retries=0)
    started = time.monotonic()
    with pytest.raises(api.error("APITimeoutError")):
        api.run(client.things.list())
    assert time.monotonic() - started < 2.0


@pytest.mark.slow
def test_slowly_dripping_headers_cannot_outlast_the_timeout(api: Api, server: ScriptedServer) -> None:
    # One byte of the status line and headers every 0.3 s: about 30 s before the body could start.
    server.reply(200, json_body=THING, head_drip=0.3)
    client = api.client(timeout=1.0, max_retries=0)
    started = time.monotonic()
    with pytest.raises(api.error("APITimeoutError")):
        api.run(client.things.retrieve("t1"))
    assert time.monotonic() - started < 1.5


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
def test_read_timeout_is_retried_for_get(api: Api, server: ScriptedServer) -> None:
    server.reply(200, json_body=[THING], delay=3.0)
    server.reply(200, json_body=[THING])
    client = api.client(timeout=0.3)
    api.run(client.things.list())
    assert retry_counts(server) == ["0", "1"]


@pytest.mark.slow
def test_per_call_timeout_overrides_the_client(api: Api, server: ScriptedServer) -> None:
    server.reply(200, json_body=THING, delay=3.0)
    client = api.client(timeout=30.0)
    started = time.monotonic()
    with pytest.raises(api.error("APITimeoutError")):
        api.run(client.things.create(name="a", timeout=0.3))
    assert time.monotonic() - started < 1.5


@pytest.mark.slow
def test_per_call_timeout_none_means_no_timeout(api: Api, server: ScriptedServer) -> None:
    server.reply(200, json_body=THING, delay=0.3)
    client = api.client(timeout=0.05)
    assert value(api.run(client.things.create(name="a", timeout=None)), "id") == "t1"


def test_a_refused_connection_is_a_connection_error(api: Api) -> None:
    client = api.client(base_url=f"http://127.0.0.1:{refused_port()}", max_retries=0)
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


def test_each_socket_operation_ends_by_the_deadline_of_the_attempt_on_its_thread(rt: Any) -> None:
    deadlines = rt.deadlines
    assert deadlines.ATTEMPT.deadline is None and deadlines._until_deadline(5.0) == 5.0
    try:
        deadlines.ATTEMPT.deadline = time.monotonic() + 1.0
        assert 0.0 < deadlines._until_deadline(5.0) <= 1.0 and 0.0 < deadlines._until_deadline(None) <= 1.0
        assert deadlines._until_deadline(0.5) == 0.5
        deadlines.ATTEMPT.deadline = time.monotonic() - 1.0
        assert deadlines._until_deadline(5.0) == deadlines._PAST_DEADLINE  # time out now, not block forever (0)
    finally:
        deadlines.ATTEMPT.deadline = None


@pytest.mark.slow
def test_a_timeout_without_a_read_limit_does_not_cap_the_attempt(api: Api, server: ScriptedServer) -> None:
    # Timeout(None, connect=0.2) limits connecting only: a reply after 0.6 s is waited for.
    server.reply(200, json_body=THING, delay=0.6)
    client = api.client(timeout=api.httpx.Timeout(None, connect=0.2), max_retries=0)
    assert value(api.run(client.things.create(name="a")), "id") == "t1"
