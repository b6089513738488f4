"""One call: the options a generated method passes (``Options``), the timeouts, and
what every attempt of the call shares (``Call``: deadlines, total budget, retry safety).
"""

from __future__ import annotations

import dataclasses
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, Any, Literal, TypedDict, cast

import httpx2 as httpx  # clientgen: http-module

from .config import Route
from .constants import (
    NOT_GIVEN,
    RAW_RESPONSE_HEADER,
    STREAM_RESPONSE_HEADER,
    ResponseKind,
    TimeoutArg,
)
from .files import NotRewindable, file_objects, rewindable
from .retries import MAX_RETRY_AFTER, retry_delay


def coerce_timeout(value: float | httpx.Timeout | None) -> httpx.Timeout:
    if isinstance(value, httpx.Timeout):
        return value
    return httpx.Timeout(value)


def seconds_per_attempt(timeout: httpx.Timeout) -> float | None:
    """The bound on a whole attempt: the longest of the timeout's phases, or None
    when a phase has no limit (``Timeout(None, connect=5)``: no read limit)."""
    parts = [timeout.connect, timeout.read, timeout.write, timeout.pool]
    given = [part for part in parts if part is not None]
    return max(given) if given and len(given) == len(parts) else None


def _capped_timeout(timeout: httpx.Timeout, seconds: float) -> httpx.Timeout:
    """``timeout`` with every phase at most ``seconds``."""

    def cap(value: float | None) -> float:
        return seconds if value is None else min(value, seconds)

    return httpx.Timeout(
        connect=cap(timeout.connect),
        read=cap(timeout.read),
        write=cap(timeout.write),
        pool=cap(timeout.pool),
    )


def new_idempotency_key() -> str:
    """A fresh key for one call: random, so that two calls never share one."""
    return f"clientgen-{uuid.uuid4()}"


class PageArgs(TypedDict, total=False):
    """What a generated method passes to every call of the client besides the route
    and the parser: the request's parts and the per-call overrides."""

    path_params: Mapping[str, object] | None
    query: Mapping[str, object] | None
    headers: Mapping[str, object] | None
    cookies: Mapping[str, object] | None
    extra_headers: Mapping[str, str] | None
    extra_query: Mapping[str, object] | None
    extra_body: Mapping[str, object] | None
    timeout: TimeoutArg


class CallArgs(PageArgs, total=False):
    """``PageArgs`` and a body: what a call that may send one is given."""

    json: object
    form: object
    files: Mapping[str, object] | None
    content: object
    idempotency_key: str | None


@dataclass
class Options:
    route: Route
    path_params: Mapping[str, object] | None = None
    query: Mapping[str, object] | None = None
    headers: Mapping[str, object] | None = None
    cookies: Mapping[str, object] | None = None
    json: object = NOT_GIVEN
    form: object = None  # a mapping or a model; None or NOT_GIVEN: no form
    # Given, even empty: the body is multipart/form-data.
    files: Mapping[str, object] | None = None
    # A raw body: bytes, text or a file (FileContent); None: none.
    content: object = None
    response_kind: ResponseKind | Literal["sse", "ndjson"] = "json"
    idempotency_key: str | None = None
    extra_headers: Mapping[str, str] | None = None
    extra_query: Mapping[str, object] | None = None
    extra_body: Mapping[str, object] | None = None
    timeout: TimeoutArg = NOT_GIVEN
    raw: bool = False
    stream: bool = False  # with_streaming_response: the response is returned unread
    url: httpx.URL | None = None  # a next page's own URL (Link header, next-URL fields)

    def __post_init__(self) -> None:
        if self.idempotency_key is None and self.route.makes_idempotency_key:
            # Made once per call: every retry of it sends the same key.
            self.idempotency_key = new_idempotency_key()
        if self.extra_headers:  # the wrappers' markers become raw and stream
            self.extra_headers, raw, stream = _split_raw_marker(self.extra_headers)
            self.raw = self.raw or raw
            self.stream = self.stream or stream


def _split_raw_marker(
    extra_headers: Mapping[str, str] | None,
) -> tuple[Mapping[str, str] | None, bool, bool]:
    """The headers without the wrappers' markers; whether raw and streamed were asked for."""
    if not extra_headers:
        return extra_headers, False, False
    raw_marker = RAW_RESPONSE_HEADER.lower()
    stream_marker = STREAM_RESPONSE_HEADER.lower()
    raw = stream = False
    kept: dict[str, str] = {}
    for key, value in extra_headers.items():
        if key.lower() == raw_marker:
            raw = value.lower() == "true"
        elif key.lower() == stream_marker:
            stream = value.lower() == "true"
        else:
            kept[key] = value
    return kept, raw, stream


class Call:
    """One call: its options and what every attempt of it shares."""

    def __init__(
        self,
        opts: Options,
        timeout: httpx.Timeout,
        attempt_seconds: float | None,
        total: float | None,
    ):
        self.opts = opts
        self.timeout = timeout
        self.attempt_seconds = attempt_seconds
        self.budget_end = None if total is None else time.monotonic() + total
        self.retry_unsafe = opts.route.idempotent or opts.idempotency_key is not None
        self.files = (
            file_objects(opts.files, opts.content)
            if opts.files or opts.content is not None
            else []
        )
        # Where each file was when the call began: a body sent again starts there again.
        self.starts = [_position(file) for file in self.files]
        self.sent_body = False
        self.retry_count = 0
        self.deadline: float | None = None

    def remaining(self) -> float | None:
        """Seconds left of the total budget (None: no total budget)."""
        if self.budget_end is None:
            return None
        return self.budget_end - time.monotonic()

    def attempt_deadline(self) -> float | None:
        seconds = self.attempt_seconds
        remaining = self.remaining()
        if remaining is not None:
            seconds = remaining if seconds is None else min(seconds, remaining)
        return None if seconds is None else time.monotonic() + max(seconds, 0.0)

    def attempt_timeout(self, deadline: float | None) -> httpx.Timeout:
        if deadline is None or self.budget_end is None:
            return self.timeout
        return _capped_timeout(self.timeout, max(deadline - time.monotonic(), 0.001))

    def prepare_body(self) -> None:
        """Called before the body goes out again: rewind files, or refuse."""
        if self.sent_body:
            for file, start in zip(self.files, self.starts, strict=True):
                if not rewindable(file):
                    raise NotRewindable()
                cast("IO[bytes]", file).seek(start)
        self.sent_body = True

    def wait_before_retry(
        self, retries_taken: int, headers: httpx.Headers | None
    ) -> float | None:
        """Seconds to wait before the next attempt, or None to give up now."""
        delay = retry_delay(retries_taken, headers)
        if delay > MAX_RETRY_AFTER:
            return None
        remaining = self.remaining()
        if remaining is not None and delay >= remaining:
            return None
        return delay


def _position(file: object) -> int:
    tell = getattr(file, "tell", None)
    try:
        position = tell() if callable(tell) else 0
    except (OSError, ValueError):
        return 0
    return position if isinstance(position, int) else 0


def replace_options(opts: Options, **changes: Any) -> Options:
    return dataclasses.replace(opts, **changes)
