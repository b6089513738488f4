"""Responses returned unread (``with_streaming_response``): iterate, save or parse them.

Reading one fails only with this package's errors, ends by the call's timeout, and
a compressed body decodes to at most the client's ``max_decompressed_bytes``.
``stream_to_file`` writes beside its target and renames on success.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from collections.abc import AsyncIterator, Callable, Generator, Iterator
from typing import Any, Generic

import anyio
import httpx2 as httpx

from .bodies import (
    READ_FAILURES,
    aiter_body,
    aiter_lines,
    aiter_text,
    aread_body_within,
    decoded_limit,
    iter_body,
    iter_lines,
    iter_text,
    read_body_within,
    typed_error,
)
from .constants import ResponseKind, T
from .deadlines import body_deadline
from .errors import APITimeoutError, request_id_of
from .options import Options
from .redaction import redact_url
from .responses import APIResponse, decode_response

_CHUNK = 64 * 1024


def _partial_beside(path: str | os.PathLike[str]) -> tuple[str, str]:
    """Where ``path`` is written, and a new name beside it for the body until it is complete."""
    target = os.path.realpath(path)  # a symlink's target is replaced, not the link
    folder, name = os.path.split(target)
    return target, os.path.join(folder, f".{name}.{secrets.token_hex(6)}.part")


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.remove(path)


class _StreamedBase(Generic[T]):
    def __init__(
        self,
        http_response: httpx.Response,
        *,
        parse: Callable[[object], T],
        kind: ResponseKind,
        retries_taken: int,
        max_decompressed_bytes: int | None = None,
    ) -> None:
        self.http_response = http_response
        self.retries_taken = retries_taken
        self._parse = parse
        self._kind: ResponseKind = kind
        self._limit = decoded_limit(http_response, max_decompressed_bytes)
        self._deadline = body_deadline(http_response)

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
        return iter_body(self.http_response, self._limit, chunk_size, self._deadline)

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        return iter_text(self.iter_bytes(chunk_size), self.http_response.encoding)

    def iter_lines(self) -> Iterator[str]:
        """The body's lines, split on CRLF, LF or CR."""
        return iter_lines(self.iter_bytes(), self.http_response.encoding)

    def read(self) -> bytes:
        try:
            return read_body_within(self.http_response, self._limit)
        except READ_FAILURES as exc:
            raise typed_error(exc, self.http_response) from exc

    def parse(self) -> T:
        """Read the whole body and parse it as the method would have."""
        self.read()
        return decode_response(self.http_response, self._kind, self._parse)

    def stream_to_file(
        self, path: str | os.PathLike[str], *, chunk_size: int = _CHUNK
    ) -> int:
        """Write the body to ``path`` in chunks, never holding it in memory; the byte count.

        The body goes to a new file beside ``path``, renamed to ``path`` once it
        is complete: if the download fails, ``path`` is as it was.
        """
        target, partial = _partial_beside(path)
        written = 0
        try:
            with open(partial, "xb") as file:
                for chunk in self.iter_bytes(chunk_size):
                    file.write(chunk)
                    written += len(chunk)
            os.replace(partial, target)
        except BaseException:
            _remove(partial)
            raise
        return written

    def close(self) -> None:
        self.http_response.close()


class AsyncStreamedResponse(_StreamedBase[T]):
    """A response whose body has not been read: stream it, save it, or parse it."""

    def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        return aiter_body(self.http_response, self._limit, chunk_size, self._deadline)

    def iter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        return aiter_text(self.iter_bytes(chunk_size), self.http_response.encoding)

    def iter_lines(self) -> AsyncIterator[str]:
        """The body's lines, split on CRLF, LF or CR."""
        return aiter_lines(self.iter_bytes(), self.http_response.encoding)

    async def read(self) -> bytes:
        try:
            return await aread_body_within(self.http_response, self._limit)
        except READ_FAILURES as exc:
            raise typed_error(exc, self.http_response) from exc

    async def parse(self) -> T:
        """Read the whole body and parse it as the method would have."""
        await self.read()
        return decode_response(self.http_response, self._kind, self._parse)

    async def stream_to_file(
        self, path: str | os.PathLike[str], *, chunk_size: int = _CHUNK
    ) -> int:
        """Write the body to ``path`` in chunks, never holding it in memory; the byte count.

        The body goes to a new file beside ``path``, renamed to ``path`` once it
        is complete: if the download fails, ``path`` is as it was.
        """
        target, partial = _partial_beside(path)
        written = 0
        try:
            # Each write waits for a worker thread: under load, far longer than
            # the chunk took to arrive. The deadline bounds the waits too.
            with self._by_deadline():
                async with await anyio.open_file(partial, "xb") as file:
                    async for chunk in self.iter_bytes(chunk_size):
                        await file.write(chunk)
                        written += len(chunk)
            os.replace(partial, target)
        except BaseException:
            _remove(partial)
            raise
        return written

    async def close(self) -> None:
        await self.http_response.aclose()

    @contextlib.contextmanager
    def _by_deadline(self) -> Generator[None, None, None]:
        if self._deadline is None:
            yield
            return
        try:
            with anyio.fail_after(max(self._deadline - time.monotonic(), 0.0)):
                yield
        except TimeoutError as exc:
            raise APITimeoutError(self.http_response.request) from exc


def _kind_of(opts: Options) -> ResponseKind:
    if opts.response_kind == "sse" or opts.response_kind == "ndjson":
        return "json"
    return opts.response_kind


def streamed_response(
    response: httpx.Response,
    opts: Options,
    parse: Callable[[object], Any],
    retries_taken: int,
    max_decompressed_bytes: int | None = None,
) -> StreamedResponse[Any]:
    return StreamedResponse(
        response,
        parse=parse,
        kind=_kind_of(opts),
        retries_taken=retries_taken,
        max_decompressed_bytes=max_decompressed_bytes,
    )


def async_streamed_response(
    response: httpx.Response,
    opts: Options,
    parse: Callable[[object], Any],
    retries_taken: int,
    max_decompressed_bytes: int | None = None,
) -> AsyncStreamedResponse[Any]:
    return AsyncStreamedResponse(
        response,
        parse=parse,
        kind=_kind_of(opts),
        retries_taken=retries_taken,
        max_decompressed_bytes=max_decompressed_bytes,
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
