"""Retries: which responses and failures are retried, Retry-After, backoff and the retry budget.

Every test that takes ``api`` runs eight times: {httpx2, httpx} x {sync, async, typed,
async typed}, on the package clientgen generates from ``loopback.yaml`` (see conftest.py).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import time
from typing import Any

import pytest
from support.loopback import THING, Api, retry_counts, value
from support.server import ScriptedServer


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


def test_post_with_idempotency_key_retries_5xx_with_the_same_key(api: Api, server: ScriptedServer) -> None:
    for _ in range(3):
        server.reply(503, body="unavailable")
    client = api.client(max_retries=2)
    with pytest.raises(api.error("InternalServerError")) as info:
        api.run(client.things.create(name="a", idempotency_key="idem-42"))
    assert info.value.status_code == 503  # type: ignore[attr-defined]
    assert [request.headers.get("idempotency-key") for request in server.requests] == ["idem-42"] * 3
    assert retry_counts(server) == ["0", "1", "2"]


def test_a_declared_idempotency_key_is_made_per_call_and_kept_across_retries(api: Api, server: ScriptedServer) -> None:
    """POST /v1/things/{id}/orders declares ``idempotency-key``: the client makes one for each call."""
    for _ in range(2):
        server.reply(503, body="unavailable")
    server.reply(json_body=THING)
    server.reply(json_body=THING)
    client = api.client(max_retries=2)
    api.run(client.things.order("t1", quantity=2))
    api.run(client.things.order("t1", quantity=3))
    keys = [request.headers.get("idempotency-key") for request in server.requests]
    assert keys[0] and keys[:3] == [keys[0]] * 3  # one key, sent on every attempt of the first call
    assert keys[3] and keys[3] != keys[0]  # the next call has its own
    assert retry_counts(server) == ["0", "1", "2", "0"]
    assert [request.json() for request in server.requests] == [{"quantity": 2}] * 3 + [{"quantity": 3}]


def test_a_given_idempotency_key_is_sent_as_given(api: Api, server: ScriptedServer) -> None:
    server.reply(json_body=THING)
    api.run(api.client().things.order("t1", quantity=1, idempotency_key="order-7"))
    assert server.requests[0].headers["idempotency-key"] == "order-7"


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
    api.run(client.things.replace("t1", body_id="t1", status="ready"))
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


@pytest.mark.slow  # waits out two backoffs, 32 times
@pytest.mark.parametrize("odd", ["nan", "-5", "inf", "past-date"])
def test_odd_retry_after_on_the_wire_means_normal_backoff(
    api: Api, server: ScriptedServer, monkeypatch: pytest.MonkeyPatch, odd: str
) -> None:
    if odd == "past-date":
        odd = email.utils.format_datetime(dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=30), usegmt=True)
    # Backoffs short enough for 32 cases, long enough that no retry without one reaches the bound on loopback.
    monkeypatch.setattr(api.rt.retries, "INITIAL_RETRY_DELAY", 0.1)
    monkeypatch.setattr(api.rt.retries, "MAX_RETRY_DELAY", 1.0)
    server.reply(429, headers={"Retry-After": odd})
    server.reply(429, headers={"retry-after-ms": odd})
    server.reply(200, json_body=[THING])
    client = api.client()
    started = time.monotonic()
    api.run(client.things.list())
    assert time.monotonic() - started >= 0.075 + 0.15  # two backoffs of 0.1 and 0.2, less jitter
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


# Pure functions of _runtime/retries.py


def test_which_statuses_are_retried(rt: Any) -> None:
    def retried(status: int, unsafe: bool, override: str | None = None) -> bool:
        headers = {"x-should-retry": override} if override is not None else {}
        response = rt.retries.httpx.Response(status, headers=headers)
        return bool(rt.retries.should_retry_response(response, unsafe))

    for status in (408, 429):  # the server asks for a retry, whatever the method
        assert retried(status, False) and retried(status, True)
    for status in (409, 500, 502, 503, 504):  # only where sending again is safe
        assert retried(status, True) and not retried(status, False)
    for status in (400, 401, 404, 422):
        assert not retried(status, True)
    assert retried(400, False, " TRUE ") and not retried(503, True, "false")


def test_which_failures_are_retried(rt: Any) -> None:
    httpx = rt.retries.httpx
    request = httpx.Request("GET", "https://api.loopback.test/")
    never_sent = [httpx.ConnectError("refused", request=request), httpx.ConnectTimeout("t", request=request)]
    maybe_sent = [httpx.ReadTimeout("t", request=request), httpx.RemoteProtocolError("x", request=request)]
    for exc in never_sent:
        assert rt.retries.should_retry_exception(exc, False), exc
    for exc in maybe_sent:
        assert rt.retries.should_retry_exception(exc, True) and not rt.retries.should_retry_exception(exc, False), exc
    assert not rt.retries.should_retry_exception(ValueError("a bug"), True)


def test_backoff_doubles_up_to_its_cap_with_at_most_a_quarter_of_jitter(rt: Any) -> None:
    for attempt in range(8):
        ceiling = min(rt.retries.INITIAL_RETRY_DELAY * 2**attempt, rt.retries.MAX_RETRY_DELAY)
        delays = [rt.retries._backoff(attempt) for _ in range(50)]
        assert all(0.75 * ceiling <= delay <= ceiling for delay in delays), (attempt, delays)


def test_retry_after_as_an_http_date(rt: Any) -> None:
    when = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=20)
    for text in (email.utils.format_datetime(when, usegmt=True), when.strftime("%a, %d %b %Y %H:%M:%S")):
        delay = rt.retries._parse_delay(text, 1.0, allow_date=True)
        assert delay is not None and 17.0 <= delay <= 20.0, text  # a date without a zone is UTC
    assert rt.retries._parse_delay(email.utils.format_datetime(when, usegmt=True), 0.001, allow_date=False) is None


@pytest.mark.parametrize("odd", ["1_0", "1e1", "+10", "\u0661\u0660"])  # 10 as float() would also read it
def test_a_retry_after_that_is_not_plain_digits_is_no_delay(api: Api, server: ScriptedServer, odd: str) -> None:
    # Read as 10 s, the wait would not fit in total_timeout and the call would give up at once.
    server.reply(429, headers={"Retry-After": odd})
    server.reply(200, json_body=[THING])
    assert len(api.run(api.client(total_timeout=5.0).things.list())) == 1
    assert len(server.requests) == 2
    assert api.rt.retries._parse_delay(odd, 1.0, True) is None
