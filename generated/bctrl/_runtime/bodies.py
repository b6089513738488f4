"""Reading response bodies: the limit on what a compressed body decodes to, text and
lines decoded incrementally, and failures while reading turned into typed errors.
"""

from __future__ import annotations

import codecs
import re
import time
from collections.abc import AsyncIterator, Iterator

import httpx2 as httpx

from .errors import (
    APITimeoutError,
    BaseError,
    ResponseTooLargeError,
    StreamClosedError,
    wrap_exception,
)

#: What reading a body can fail with, besides this package's own errors.
READ_FAILURES = (httpx.HTTPError, httpx.StreamError, OSError)


def decoded_limit(response: httpx.Response, limit: int | None) -> int | None:
    """The limit on ``response``'s decoded body: ``limit`` if it is compressed, else None.

    An uncompressed body is as large as what the server sends, which the
    timeout bounds; a compressed one can decode to a thousand times more.
    """
    if limit is None:
        return None
    encoding = response.headers.get("content-encoding", "").strip().lower()
    return None if encoding in ("", "identity") else limit


def typed_error(exc: BaseException, response: httpx.Response) -> BaseError:
    """This package's error for a failure while reading ``response``'s body."""
    if isinstance(exc, BaseError):
        return exc
    if isinstance(exc, httpx.StreamError):
        return StreamClosedError(
            "The response body was already read, or the response was closed "
            f"(outside its `with` block?): {exc}"
        )
    return wrap_exception(exc, response.request)


def _limited(
    response: httpx.Response, chunks: Iterator[bytes], limit: int | None
) -> Iterator[bytes]:
    if limit is None:
        yield from chunks
        return
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise ResponseTooLargeError(response.request, limit)
        yield chunk


async def _alimited(
    response: httpx.Response, chunks: AsyncIterator[bytes], limit: int | None
) -> AsyncIterator[bytes]:
    size = 0
    async for chunk in chunks:
        size += len(chunk)
        if limit is not None and size > limit:
            raise ResponseTooLargeError(response.request, limit)
        yield chunk


def _past(response: httpx.Response, deadline: float | None) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise APITimeoutError(response.request)


def iter_body(
    response: httpx.Response,
    limit: int | None,
    chunk_size: int | None = None,
    deadline: float | None = None,
) -> Iterator[bytes]:
    """The decoded body in chunks, within ``limit`` and by ``deadline``; every failure typed."""
    try:
        for chunk in _limited(response, response.iter_bytes(chunk_size), limit):
            _past(response, deadline)
            yield chunk
    except READ_FAILURES as exc:
        raise typed_error(exc, response) from exc


async def aiter_body(
    response: httpx.Response,
    limit: int | None,
    chunk_size: int | None = None,
    deadline: float | None = None,
) -> AsyncIterator[bytes]:
    """The decoded body in chunks, within ``limit`` and by ``deadline``; every failure typed."""
    try:
        async for chunk in _alimited(response, response.aiter_bytes(chunk_size), limit):
            _past(response, deadline)
            yield chunk
    except READ_FAILURES as exc:
        raise typed_error(exc, response) from exc


def _keep(response: httpx.Response, content: bytes) -> bytes:
    # What Response.read() keeps, so that .content, .text and .json() work as after it.
    vars(response)["_content"] = content
    return content


def read_body_within(response: httpx.Response, limit: int | None) -> bytes:
    """``response.read()``, failing once a compressed body decodes to more than ``limit``."""
    if limit is None:
        return response.read()
    return _keep(response, b"".join(_limited(response, response.iter_bytes(), limit)))


async def aread_body_within(response: httpx.Response, limit: int | None) -> bytes:
    """``await response.aread()``, failing once a compressed body decodes to more than ``limit``."""
    if limit is None:
        return await response.aread()
    chunks = _alimited(response, response.aiter_bytes(), limit)
    return _keep(response, b"".join([chunk async for chunk in chunks]))


class TextLines:
    """Bytes in, text and lines out: decoded incrementally with the response's
    charset, split on CRLF, LF or CR, in time linear in the body's size."""

    _BREAK = re.compile(r"\r\n|\r|\n")

    def __init__(self, encoding: str | None) -> None:
        try:
            factory = codecs.getincrementaldecoder(encoding or "utf-8")
        except LookupError:
            factory = codecs.getincrementaldecoder("utf-8")
        self._decoder = factory(errors="replace")
        self._pending: list[str] = []
        self._after_cr = False

    def text(self, chunk: bytes, final: bool = False) -> str:
        return self._decoder.decode(chunk, final)

    def lines(self, text: str) -> list[str]:
        if self._after_cr and text.startswith("\n"):
            text = text[1:]  # the LF of a CRLF split across chunks
        self._after_cr = text.endswith("\r")
        found: list[str] = []
        start = 0
        for match in self._BREAK.finditer(text):
            self._pending.append(text[start : match.start()])
            found.append("".join(self._pending))
            self._pending = []
            start = match.end()
        if start < len(text):
            self._pending.append(text[start:])
        return found

    def rest(self) -> list[str]:
        line = "".join(self._pending)
        self._pending = []
        return [line] if line else []


def iter_text(chunks: Iterator[bytes], encoding: str | None) -> Iterator[str]:
    decoder = TextLines(encoding)
    for chunk in chunks:
        text = decoder.text(chunk)
        if text:
            yield text
    last = decoder.text(b"", final=True)
    if last:
        yield last


async def aiter_text(
    chunks: AsyncIterator[bytes], encoding: str | None
) -> AsyncIterator[str]:
    decoder = TextLines(encoding)
    async for chunk in chunks:
        text = decoder.text(chunk)
        if text:
            yield text
    last = decoder.text(b"", final=True)
    if last:
        yield last


def iter_lines(chunks: Iterator[bytes], encoding: str | None) -> Iterator[str]:
    splitter = TextLines(None)
    for text in iter_text(chunks, encoding):
        yield from splitter.lines(text)
    yield from splitter.rest()


async def aiter_lines(
    chunks: AsyncIterator[bytes], encoding: str | None
) -> AsyncIterator[str]:
    splitter = TextLines(None)
    async for text in aiter_text(chunks, encoding):
        for line in splitter.lines(text):
            yield line
    for line in splitter.rest():
        yield line
