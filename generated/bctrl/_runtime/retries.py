"""When to retry and how long to wait: Retry-After and retry-after-ms, exponential
backoff with jitter, and which statuses and failures are retried.
"""

from __future__ import annotations

import datetime as _dt
import email.utils
import math
import random
import re

import httpx2 as httpx

#: First retry waits about INITIAL_RETRY_DELAY seconds, doubling each time.
INITIAL_RETRY_DELAY = 0.5
#: Upper bound of the computed exponential backoff.
MAX_RETRY_DELAY = 8.0
#: A server asking to wait longer than this (Retry-After) is not retried.
MAX_RETRY_AFTER = 60.0


#: A delay as the headers write it: ASCII digits, and a fraction where a server adds one
#: (``float`` alone would also take ``1_0``, ``1e1``, ``inf`` or other scripts' digits).
_DELAY = re.compile(r"[0-9]+(\.[0-9]+)?")


def _parse_delay(raw: str, scale: float, allow_date: bool) -> float | None:
    """Seconds from one retry-after header, or None when it is not usable."""
    if _DELAY.fullmatch(raw):
        seconds = float(raw) * scale
    else:
        if not allow_date:
            return None
        try:
            when = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=_dt.timezone.utc)
        seconds = (when - _dt.datetime.now(_dt.timezone.utc)).total_seconds()
    if not math.isfinite(seconds) or seconds < 0:
        return None  # NaN, infinite, negative or past: use the normal backoff
    return seconds


def _retry_after(headers: httpx.Headers) -> float | None:
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        seconds = _parse_delay(raw_ms.strip(), 0.001, allow_date=False)
        if seconds is not None:
            return seconds
    raw = headers.get("retry-after")
    if raw is None:
        return None
    return _parse_delay(raw.strip(), 1.0, allow_date=True)


def _backoff(retries_taken: int) -> float:
    delay = min(INITIAL_RETRY_DELAY * (2.0**retries_taken), MAX_RETRY_DELAY)
    return max(delay * (1.0 - 0.25 * random.random()), 0.0)


def retry_delay(retries_taken: int, headers: httpx.Headers | None) -> float:
    """Seconds to wait before retry number ``retries_taken + 1``.

    A usable Retry-After wins (even above MAX_RETRY_AFTER: callers give up
    then); anything else gets exponential backoff with jitter.
    """
    if headers is not None:
        retry_after = _retry_after(headers)
        if retry_after is not None:
            return retry_after
    return _backoff(retries_taken)


def should_retry_response(response: httpx.Response, retry_unsafe: bool) -> bool:
    override = response.headers.get("x-should-retry", "").strip().lower()
    if override == "true":
        return True
    if override == "false":
        return False
    status = response.status_code
    if status in (408, 429):
        return True
    return retry_unsafe and (status == 409 or status >= 500)


def should_retry_exception(exc: BaseException, retry_unsafe: bool) -> bool:
    # The request never reached the server: safe to retry any method.
    if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)):
        return True
    if not retry_unsafe:
        return False
    return isinstance(
        exc,
        (
            httpx.TimeoutException,
            TimeoutError,
            httpx.NetworkError,
            httpx.RemoteProtocolError,
        ),
    )
