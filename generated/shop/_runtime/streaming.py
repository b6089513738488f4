"""Responses returned unread (``with_streaming_response``): iterate, save or parse them."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, Generic

import anyio
import httpx2 as httpx

from .constants import ResponseKind, T
from .errors import request_id_of
from .options import Options
from .redaction import redact_url
from .responses import APIResponse, decode_response

_CHUNK = 64 * 1024


class _StreamedBase(Generic[T]):
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

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        return request_id_of(self.http_response.headers)

    def __repr__(self) -> str:
        request = self.http_response.request
        url = redact_url(request.url)
        return f"<{type(self).__name__} [{self.status_code}] {request.method} {url}>"


class StreamedResponse(_StreamedBase[T]):
    """A response whose body has not been read: stream it, save it, or parse it."""

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        return self.http_response.iter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        return self.http_response.iter_text(chunk_size)

    def iter_lines(self) -> Iterator[str]:
        return self.http_response.iter_lines()

    def read(self) -> bytes:
        return self.http_response.read()

    def parse(self) -> T:
        """Read the whole body and parse it as the method would have."""
        self.read()
        return decode_response(self.http_response, self._kind, self._parse)

    def stream_to_file(
        self, path: str | os.PathLike[str], *, chunk_size: int = _CHUNK
    ) -> int:
        """Write the body to ``path`` in chunks, never holding it in memory; the byte count."""
        written = 0
        with open(path, "wb") as file:
            for chunk in self.http_response.iter_bytes(chunk_size):
                file.write(chunk)
                written += len(chunk)
        return written

    def close(self) -> None:
        self.http_response.close()


class AsyncStreamedResponse(_StreamedBase[T]):
    """A response whose body has not been read: stream it, save it, or parse it."""

    def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        return self.http_response.aiter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        return self.http_response.aiter_text(chunk_size)

    def iter_lines(self) -> AsyncIterator[str]:
        return self.http_response.aiter_lines()

    async def read(self) -> bytes:
        return await self.http_response.aread()

    async def parse(self) -> T:
        """Read the whole body and parse it as the method would have."""
        await self.read()
        return decode_response(self.http_response, self._kind, self._parse)

    async def stream_to_file(
        self, path: str | os.PathLike[str], *, chunk_size: int = _CHUNK
    ) -> int:
        """Write the body to ``path`` in chunks, never holding it in memory; the byte count."""
        written = 0
        async with await anyio.open_file(path, "wb") as file:
            async for chunk in self.http_response.aiter_bytes(chunk_size):
                await file.write(chunk)
                written += len(chunk)
        return written

    async def close(self) -> None:
        await self.http_response.aclose()


def _kind_of(opts: Options) -> ResponseKind:
    return "json" if opts.response_kind == "sse" else opts.response_kind


def streamed_response(
    response: httpx.Response,
    opts: Options,
    parse: Callable[[object], Any],
    retries_taken: int,
) -> StreamedResponse[Any]:
    return StreamedResponse(
        response, parse=parse, kind=_kind_of(opts), retries_taken=retries_taken
    )


def async_streamed_response(
    response: httpx.Response,
    opts: Options,
    parse: Callable[[object], Any],
    retries_taken: int,
) -> AsyncStreamedResponse[Any]:
    return AsyncStreamedResponse(
        response, parse=parse, kind=_kind_of(opts), retries_taken=retries_taken
    )


def raw_response(
    response: httpx.Response,
    opts: Options,
    parse: Callable[[object], Any],
    retries_taken: int,
) -> APIResponse[Any]:
    return APIResponse(
        response, parse=parse, kind=_kind_of(opts), retries_taken=retries_taken
    )
