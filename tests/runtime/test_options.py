"""One call's options and timeouts (``_runtime/options.py``): pure functions, no server."""

from __future__ import annotations

import time
from typing import Any


def test_an_attempt_is_bounded_by_the_longest_phase(rt: Any) -> None:
    timeout = rt.options.httpx.Timeout
    assert rt.options.seconds_per_attempt(timeout(60.0, connect=5.0)) == 60.0
    assert rt.options.seconds_per_attempt(timeout(5.0, read=30.0)) == 30.0
    # A phase without a limit leaves the attempt without one: Timeout(None, connect=3) limits only connecting.
    assert rt.options.seconds_per_attempt(timeout(None, connect=3.0)) is None
    assert rt.options.seconds_per_attempt(timeout(10.0, read=None)) is None
    assert rt.options.seconds_per_attempt(timeout(None)) is None
    capped = rt.options._capped_timeout(timeout(60.0, connect=5.0, pool=None), 2.0)
    assert (capped.connect, capped.read, capped.write, capped.pool) == (2.0, 2.0, 2.0, 2.0)
    assert rt.options.coerce_timeout(1.5) == timeout(1.5)


def test_the_wrappers_markers_become_flags_and_are_never_sent(rt: Any) -> None:
    headers = {rt.RAW_RESPONSE_HEADER.upper(): "true", rt.STREAM_RESPONSE_HEADER: "TRUE", "X-Mine": "1"}
    kept, raw, stream = rt.options._split_raw_marker(headers)
    assert (kept, raw, stream) == ({"X-Mine": "1"}, True, True)
    assert rt.options._split_raw_marker({rt.RAW_RESPONSE_HEADER: "false"}) == ({}, False, False)


def _options(rt: Any, method: str, **changes: Any) -> Any:
    fields: dict[str, Any] = {
        "path_params": None,
        "query": None,
        "headers": None,
        "cookies": None,
        "json": rt.NOT_GIVEN,
        "form": None,
        "files": None,
        "content": None,
        "response_kind": "json",
        "idempotency_key": None,
        "extra_headers": None,
        "extra_query": None,
        "extra_body": None,
        "timeout": rt.NOT_GIVEN,
    }
    return rt.options.Options(rt.Route(method, "/x"), **{**fields, **changes})


def test_a_call_is_retry_safe_when_idempotent_or_keyed(rt: Any) -> None:
    timeout = rt.options.httpx.Timeout(1.0)
    assert rt.options.Call(_options(rt, "get"), timeout, 1.0, None).retry_unsafe
    assert not rt.options.Call(_options(rt, "post"), timeout, 1.0, None).retry_unsafe
    assert rt.options.Call(_options(rt, "post", idempotency_key="k"), timeout, 1.0, None).retry_unsafe


def test_the_total_budget_bounds_each_attempt_and_each_wait(rt: Any) -> None:
    call = rt.options.Call(_options(rt, "get"), rt.options.httpx.Timeout(30.0), 30.0, 2.0)
    deadline = call.attempt_deadline()
    assert deadline is not None and deadline - time.monotonic() <= 2.0
    assert call.attempt_timeout(deadline).read <= 2.0
    headers = rt.options.httpx.Headers
    assert call.wait_before_retry(0, headers({"Retry-After": "5"})) is None  # longer than what is left
    assert call.wait_before_retry(0, headers({"Retry-After": "0.5"})) == 0.5
    unbounded = rt.options.Call(_options(rt, "get"), rt.options.httpx.Timeout(30.0), 30.0, None)
    assert unbounded.wait_before_retry(0, headers({"Retry-After": "61"})) is None  # beyond MAX_RETRY_AFTER
    assert unbounded.wait_before_retry(0, headers({"Retry-After": "59"})) == 59.0
