"""Server-sent events, as the WHATWG HTML standard (9.2.6) interprets an event stream:
a line splitter linear in the stream's size (CRLF, LF or CR; a leading BOM dropped),
the event decoder (comments, ``id``, ``retry``; a last event cut off before its blank
line is dropped), and the sync and async event streams, which raise ``EventStreamError``
for ``event: error``, end at ``data: [DONE]`` (OpenAI's end of stream) and refuse a
response that is not an event stream.
"""

from __future__ import annotations

import json as _json
import re
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
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


@dataclass(frozen=True)
class ServerSentEvent:
    event: str = "message"
    data: str = ""
    id: str = ""
    retry: int | None = None


#: The data of the event that ends a stream in OpenAI's and many other APIs: the stream ends there.
DONE = "[DONE]"
_LINE_BREAK = re.compile(rb"\r\n|\r|\n")
_BOM = b"\xef\xbb\xbf"


class LineSplitter:
    """Split a byte stream on CRLF, CR or LF, in time linear in its size; a BOM
    at its start is not part of the first line."""

    def __init__(self) -> None:
        self._pending: list[bytes] = []
        self._after_cr = False
        self._head: bytes | None = (
            b""  # the stream's first bytes, until the BOM is known
        )

    def feed(self, chunk: bytes) -> list[str]:
        if self._head is not None:
            head = self._head + chunk
            if len(head) < len(_BOM) and _BOM.startswith(head):
                self._head = head
                return []
            self._head = None
            chunk = head.removeprefix(_BOM)
        if self._after_cr and chunk.startswith(b"\n"):
            chunk = chunk[1:]  # the LF of a CRLF split across chunks
        self._after_cr = False
        lines: list[str] = []
        start = 0
        for match in _LINE_BREAK.finditer(chunk):
            self._pending.append(chunk[start : match.start()])
            lines.append(b"".join(self._pending).decode("utf-8", "replace"))
            self._pending = []
            start = match.end()
        if chunk.endswith(b"\r"):
            self._after_cr = True
        if start < len(chunk):
            self._pending.append(chunk[start:])
        return lines

    def flush(self) -> list[str]:
        if not self._pending:
            return []
        line = b"".join(self._pending).decode("utf-8", "replace")
        self._pending = []
        return [line]


class _SSEDecoder:
    def __init__(self) -> None:
        self._event = ""
        self._data: list[str] = []
        self._last_id = ""
        self._retry: int | None = None
        self._pending = False

    def decode(self, line: str) -> ServerSentEvent | None:
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None
        field_name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field_name == "event":
            self._event = value
        elif field_name == "data":
            self._data.append(value)
        elif field_name == "id":
            if "\0" not in value:
                self._last_id = value
        elif field_name == "retry":
            if not (value.isascii() and value.isdigit()):
                return None  # only ASCII digits make a reconnection time
            self._retry = int(value)
        else:
            return None
        self._pending = True
        return None

    def _dispatch(self) -> ServerSentEvent | None:
        if not self._pending:
            return None
        sse = ServerSentEvent(
            event=self._event or "message",
            data="\n".join(self._data),
            id=self._last_id,
            retry=self._retry,
        )
        self._event = ""
        self._data = []
        self._retry = None
        self._pending = False
        return sse

    @property
    def last_event_id(self) -> str:
        return self._last_id


class _EventParser:
    """Bytes in, complete events out: the part shared by both event streams.

    At the end of the stream, an event not ended by a blank line is dropped, as
    the standard says: it may have been cut off.
    """

    def __init__(self) -> None:
        self._splitter = LineSplitter()
        self._decoder = _SSEDecoder()
        #: The reconnection time the server asked for (``retry:``), in milliseconds.
        self.retry: int | None = None

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        lines = self._splitter.feed(chunk)
        events = [sse for sse in map(self._decoder.decode, lines) if sse is not None]
        for sse in events:
            if sse.retry is not None:
                self.retry = sse.retry
        return events

    def finish(self) -> list[ServerSentEvent]:
        return []

    @property
    def last_event_id(self) -> str:
        return self._decoder.last_event_id


def _data_of(sse: ServerSentEvent) -> object:
    try:
        return cast(object, _json.loads(sse.data))
    except (ValueError, RecursionError):
        return sse.data


def _decode_event(
    response: httpx.Response, sse: ServerSentEvent, parse: Callable[[object], T]
) -> T:
    data = _data_of(sse)
    if sse.event == "error":
        raise EventStreamError(
            f"The server sent an error event: {bounded(sse.data)}",
            response.request,
            data,
            event=sse,
        )
    try:
        return parse(data)
    except (ValueError, TypeError, RecursionError) as exc:
        raise APIResponseValidationError(response, data, error=exc) from exc


def is_event_stream(response: httpx.Response) -> bool:
    """Whether ``response`` says it is an event stream (or says nothing)."""
    media_type = response.headers.get("content-type", "").partition(";")[0]
    return media_type.strip().lower() in ("", "text/event-stream")


def _not_an_event_stream(response: httpx.Response) -> APIResponseValidationError:
    """The error for a successful answer that is not an event stream (its body read)."""
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
        error=ValueError(f"expected text/event-stream, got {media_type}"),
        message=(
            f"Expected an event stream (text/event-stream), got {media_type!r}: "
            f"{bounded(shown)}"
        ),
    )


def refuse_non_stream(response: httpx.Response, limit: int | None) -> None:
    """Raise the typed error, carrying the parsed body, unless ``response`` is an event stream."""
    if is_event_stream(response):
        return
    try:
        read_body_within(response, limit)
    except READ_FAILURES as exc:
        raise typed_error(exc, response) from exc
    finally:
        response.close()
    raise _not_an_event_stream(response)


async def arefuse_non_stream(response: httpx.Response, limit: int | None) -> None:
    """Raise the typed error, carrying the parsed body, unless ``response`` is an event stream."""
    if is_event_stream(response):
        return
    try:
        await aread_body_within(response, limit)
    except READ_FAILURES as exc:
        raise typed_error(exc, response) from exc
    finally:
        await response.aclose()
    raise _not_an_event_stream(response)


class EventStream(Generic[T]):
    """Iterator over the parsed events of a ``text/event-stream`` response.

    ``event: error`` raises ``EventStreamError``; ``last_event_id`` and ``retry``
    are what the server last said (to resume from, and when).
    """

    def __init__(
        self,
        response: httpx.Response,
        parse: Callable[[object], T],
        max_decompressed_bytes: int | None = None,
    ) -> None:
        self.response = response
        self._parse = parse
        self._limit = decoded_limit(response, max_decompressed_bytes)
        self._parser = _EventParser()
        self._iterator = self._iter_events()

    @property
    def last_event_id(self) -> str:
        return self._parser.last_event_id

    @property
    def retry(self) -> int | None:
        """The reconnection time the server asked for (``retry:``), in milliseconds."""
        return self._parser.retry

    def _iter_sse(self) -> Iterator[ServerSentEvent]:
        for chunk in iter_body(self.response, self._limit):
            yield from self._parser.feed(chunk)
        yield from self._parser.finish()

    def _iter_events(self) -> Iterator[T]:
        try:
            for sse in self._iter_sse():
                if sse.data == DONE:
                    break
                if sse.data:
                    yield _decode_event(self.response, sse, self._parse)
        finally:
            self.close()

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        return next(self._iterator)

    def close(self) -> None:
        self.response.close()

    def __enter__(self) -> EventStream[T]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncEventStream(Generic[T]):
    """Async iterator over the parsed events of a ``text/event-stream`` response.

    ``event: error`` raises ``EventStreamError``; ``last_event_id`` and ``retry``
    are what the server last said (to resume from, and when).
    """

    def __init__(
        self,
        response: httpx.Response,
        parse: Callable[[object], T],
        max_decompressed_bytes: int | None = None,
    ) -> None:
        self.response = response
        self._parse = parse
        self._limit = decoded_limit(response, max_decompressed_bytes)
        self._parser = _EventParser()
        self._iterator = self._iter_events()

    @property
    def last_event_id(self) -> str:
        return self._parser.last_event_id

    @property
    def retry(self) -> int | None:
        """The reconnection time the server asked for (``retry:``), in milliseconds."""
        return self._parser.retry

    async def _iter_sse(self) -> AsyncIterator[ServerSentEvent]:
        async for chunk in aiter_body(self.response, self._limit):
            for sse in self._parser.feed(chunk):
                yield sse
        for sse in self._parser.finish():
            yield sse

    async def _iter_events(self) -> AsyncIterator[T]:
        try:
            async for sse in self._iter_sse():
                if sse.data == DONE:
                    break
                if sse.data:
                    yield _decode_event(self.response, sse, self._parse)
        finally:
            await self.close()

    def __aiter__(self) -> AsyncIterator[T]:
        return self

    async def __anext__(self) -> T:
        return await self._iterator.__anext__()

    async def close(self) -> None:
        await self.response.aclose()

    async def __aenter__(self) -> AsyncEventStream[T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
