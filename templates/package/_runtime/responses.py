"""Decoding a successful response's body with its parser, and ``APIResponse`` (what
the raw-response wrappers return).
"""

from __future__ import annotations

import datetime as _dt
import json as _json
from collections.abc import Callable
from typing import Generic, cast

import httpx2 as httpx  # clientgen: http-module

from .constants import ResponseKind, T
from .errors import (
    MAX_BODY_IN_MESSAGE,
    APIResponseDecodeError,
    APIResponseValidationError,
    bounded,
    request_id_of,
)
from .models import NOT_PARSED, ModelParser
from .redaction import redact_url


def decode_response(
    response: httpx.Response, kind: ResponseKind, parse: Callable[[object], T]
) -> T:
    if kind == "json" and isinstance(parse, ModelParser):
        # Validating the bytes skips building the JSON as Python objects first.
        parsed = parse.from_json(response.content)
        if parsed is not NOT_PARSED:
            return cast(T, parsed)
    data = body_data(response, kind)
    try:
        return parse(data)
    except (ValueError, TypeError, RecursionError) as exc:  # pydantic errors too
        raise APIResponseValidationError(response, data, error=exc) from exc


def body_data(response: httpx.Response, kind: ResponseKind) -> object:
    try:
        if kind == "json":
            content = response.content
            return cast(object, _json.loads(content)) if content else None
        if kind == "text":
            return response.text
        if kind == "bytes":
            return response.content
        return None
    except (ValueError, LookupError, RecursionError) as exc:
        reason = (
            "is nested too deeply"
            if isinstance(exc, RecursionError)
            else "is not valid JSON"
        )
        text = response.content[:MAX_BODY_IN_MESSAGE].decode("utf-8", "replace")
        raise APIResponseDecodeError(
            response,
            None,
            error=exc,
            message=f"Response body {reason}: {bounded(text)}",
        ) from exc


class APIResponse(Generic[T]):
    """A successful HTTP response together with the parser for its body."""

    def __init__(
        self,
        http_response: httpx.Response,
        *,
        parse: Callable[[object], T],
        kind: ResponseKind,
        retries_taken: int,
    ) -> None:
        self.http_response = http_response
        self.retries_taken = retries_taken
        self._parse = parse
        self._kind: ResponseKind = kind
        self._parsed: list[T] = []

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def elapsed(self) -> _dt.timedelta:
        return self.http_response.elapsed

    @property
    def request_id(self) -> str | None:
        return request_id_of(self.http_response.headers)

    def parse(self) -> T:
        if not self._parsed:
            self._parsed.append(
                decode_response(self.http_response, self._kind, self._parse)
            )
        return self._parsed[0]

    def __repr__(self) -> str:
        request = self.http_response.request
        url = redact_url(request.url)
        return f"<APIResponse [{self.status_code}] {request.method} {url}>"
