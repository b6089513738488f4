"""Server-sent events: a line splitter linear in the stream's size, the event decoder,
and the sync and async event streams.
"""

from __future__ import annotations

import json as _json
import re
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Generic

import httpx2 as httpx

from .constants import T
from .errors import APIResponseValidationError, wrap_exception


@dataclass(frozen=True)
class ServerSentEvent:
    event: str = "message"
    data: str = ""
    id: str = ""
    retry: int | None = None


_LINE_BREAK = re.compile(rb"\r\n|\r|\n")


class _LineSplitter:
    """Split a byte stream on CRLF, CR or LF, in time linear in its size."""

    def __init__(self) -> None:
        self._pending: list[bytes] = []
        self._after_cr = False

    def feed(self, chunk: bytes) -> list[str]:
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
            try:
                self._retry = int(value)
            except ValueError:
                return None
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

    def flush(self) -> ServerSentEvent | None:
        return self._dispatch()


class _EventParser:
    """Bytes in, complete events out: the part shared by both event streams."""

    def __init__(self) -> None:
        self._splitter = _LineSplitter()
        self._decoder = _SSEDecoder()

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        lines = self._splitter.feed(chunk)
        return [sse for sse in map(self._decoder.decode, lines) if sse is not None]

    def finish(self) -> list[ServerSentEvent]:
        events = [
            sse
            for sse in map(self._decoder.decode, self._splitter.flush())
            if sse is not None
        ]
        last = self._decoder.flush()
        return events + ([last] if last is not None else [])


def _decode_event(
    response: httpx.Response, sse: ServerSentEvent, parse: Callable[[object], T]
) -> T:
    data: object
    try:
        data = _json.loads(sse.data)
    except (ValueError, RecursionError):
        data = sse.data
    try:
        return parse(data)
    except (ValueError, TypeError, RecursionError) as exc:
        raise APIResponseValidationError(response, data, error=exc) from exc


class EventStream(Generic[T]):
    """Iterator over the parsed events of a ``text/event-stream`` response."""

    def __init__(self, response: httpx.Response, parse: Callable[[object], T]) -> None:
        self.response = response
        self._parse = parse
        self._iterator = self._iter_events()

    def _iter_sse(self) -> Iterator[ServerSentEvent]:
        parser = _EventParser()
        try:
            for chunk in self.response.iter_bytes():
                yield from parser.feed(chunk)
        except (httpx.HTTPError, httpx.StreamError, OSError) as exc:
            raise wrap_exception(exc, self.response.request) from exc
        yield from parser.finish()

    def _iter_events(self) -> Iterator[T]:
        try:
            for sse in self._iter_sse():
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
    """Async iterator over the parsed events of a ``text/event-stream`` response."""

    def __init__(self, response: httpx.Response, parse: Callable[[object], T]) -> None:
        self.response = response
        self._parse = parse
        self._iterator = self._iter_events()

    async def _iter_sse(self) -> AsyncIterator[ServerSentEvent]:
        parser = _EventParser()
        try:
            async for chunk in self.response.aiter_bytes():
                for sse in parser.feed(chunk):
                    yield sse
        except (httpx.HTTPError, httpx.StreamError, OSError) as exc:
            raise wrap_exception(exc, self.response.request) from exc
        for sse in parser.finish():
            yield sse

    async def _iter_events(self) -> AsyncIterator[T]:
        try:
            async for sse in self._iter_sse():
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
