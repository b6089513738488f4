"""JSON Lines streams (``application/x-ndjson``, ``application/jsonl``): one JSON value a line.

The body is split into lines as it arrives, in time linear in its size (the
event streams' splitter: CRLF, LF or CR; a leading BOM dropped); blank lines are
skipped, each other line is decoded and parsed like a response. A line that is
not JSON, or that the parser refuses, raises ``APIResponseValidationError``; a
line ``{"error": ...}`` alone (how Ollama reports a failure mid-stream) raises
``EventStreamError``; a success that is not a JSON Lines stream is refused
before reading, with its body, as an event stream call refuses one.
"""

from __future__ import annotations

import json as _json
from collections.abc import AsyncIterator, Callable, Iterator
from types import TracebackType
from typing import Generic, cast

import httpx2 as httpx  # clientgen: http-module

from .bodies import (
    READ_FAILURES,
    aiter_body,
    aread_body_within,
    decoded_limit,
    iter_body,
    read_body_within,
    typed_error,
)
from .constants import T
from .errors import (
    MAX_BODY_IN_MESSAGE,
    APIResponseValidationError,
    EventStreamError,
    bounded,
)
from .sse import LineSplitter

#: The media types of a JSON Lines stream (an empty Content-Type is taken as one too).
JSON_LINES_TYPES = (
    "application/x-ndjson",
    "application/ndjson",
    "application/jsonl",
    "application/x-jsonlines",
    "application/jsonlines",
    "application/json-seq",
)


def is_json_lines(response: httpx.Response) -> bool:
    """Whether ``response`` says it is a JSON Lines stream (or says nothing)."""
    media_type = response.headers.get("content-type", "").partition(";")[0]
    return media_type.strip().lower() in ("", *JSON_LINES_TYPES)


def _is_error_line(data: object) -> bool:
    """``{"error": ...}`` alone: a failure reported mid-stream."""
    return isinstance(data, dict) and list(cast("dict[str, object]", data)) == ["error"]


def _decode_line(
    response: httpx.Response, line: str, parse: Callable[[object], T]
) -> T:
    try:
        data = cast(object, _json.loads(line))
    except (ValueError, RecursionError) as exc:
        raise APIResponseValidationError(
            response,
            line[:MAX_BODY_IN_MESSAGE],
            error=exc,
            message=f"A line of the JSON Lines stream is not JSON: {bounded(line)}",
        ) from exc
    if _is_error_line(data):
        raise EventStreamError(
            f"The server sent an error line: {bounded(line)}",
            response.request,
            data,
            event=data,
        )
    try:
        return parse(data)
    except (ValueError, TypeError, RecursionError) as exc:
        raise APIResponseValidationError(response, data, error=exc) from exc


def _not_json_lines(response: httpx.Response) -> APIResponseValidationError:
    content = response.content
    body: object
    try:
        body = cast(object, _json.loads(content)) if content else None
    except (ValueError, RecursionError):
        body = content[:MAX_BODY_IN_MESSAGE].decode("utf-8", "replace")
    media_type = response.headers.get("content-type", "")
    shown = content[:MAX_BODY_IN_MESSAGE].decode("utf-8", "replace")
    return APIResponseValidationError(
        response,
        body,
        error=ValueError(f"expected a JSON Lines stream, got {media_type}"),
        message=(
            f"Expected a JSON Lines stream (application/x-ndjson), got {media_type!r}: "
            f"{bounded(shown)}"
        ),
    )


def refuse_non_json_lines(response: httpx.Response, limit: int | None) -> None:
    """Raise the typed error, carrying the parsed body, unless ``response`` is a JSON Lines stream."""
    if is_json_lines(response):
        return
    try:
        read_body_within(response, limit)
    except READ_FAILURES as exc:
        raise typed_error(exc, response) from exc
    finally:
        response.close()
    raise _not_json_lines(response)


async def arefuse_non_json_lines(response: httpx.Response, limit: int | None) -> None:
    """Raise the typed error, carrying the parsed body, unless ``response`` is a JSON Lines stream."""
    if is_json_lines(response):
        return
    try:
        await aread_body_within(response, limit)
    except READ_FAILURES as exc:
        raise typed_error(exc, response) from exc
    finally:
        await response.aclose()
    raise _not_json_lines(response)


class JSONLinesStream(Generic[T]):
    """Iterator over the parsed values of a JSON Lines response, one a line."""

    def __init__(
        self,
        response: httpx.Response,
        parse: Callable[[object], T],
        max_decompressed_bytes: int | None = None,
    ) -> None:
        self.response = response
        self._parse = parse
        self._limit = decoded_limit(response, max_decompressed_bytes)
        self._iterator = self._iter_values()

    def _iter_values(self) -> Iterator[T]:
        splitter = LineSplitter()
        try:
            for chunk in iter_body(self.response, self._limit):
                for line in splitter.feed(chunk):
                    if line.strip():
                        yield _decode_line(self.response, line, self._parse)
            for line in splitter.flush():
                if line.strip():
                    yield _decode_line(self.response, line, self._parse)
        finally:
            self.close()

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        return next(self._iterator)

    def close(self) -> None:
        self.response.close()

    def __enter__(self) -> JSONLinesStream[T]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncJSONLinesStream(Generic[T]):
    """Async iterator over the parsed values of a JSON Lines response, one a line."""

    def __init__(
        self,
        response: httpx.Response,
        parse: Callable[[object], T],
        max_decompressed_bytes: int | None = None,
    ) -> None:
        self.response = response
        self._parse = parse
        self._limit = decoded_limit(response, max_decompressed_bytes)
        self._iterator = self._iter_values()

    async def _iter_values(self) -> AsyncIterator[T]:
        splitter = LineSplitter()
        try:
            async for chunk in aiter_body(self.response, self._limit):
                for line in splitter.feed(chunk):
                    if line.strip():
                        yield _decode_line(self.response, line, self._parse)
            for line in splitter.flush():
                if line.strip():
                    yield _decode_line(self.response, line, self._parse)
        finally:
            await self.close()

    def __aiter__(self) -> AsyncIterator[T]:
        return self

    async def __anext__(self) -> T:
        return await self._iterator.__anext__()

    async def close(self) -> None:
        await self.response.aclose()

    async def __aenter__(self) -> AsyncJSONLinesStream[T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
