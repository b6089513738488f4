"""Attempt deadlines: the response body, and every socket operation of the sync
clients' connection pools, end by the deadline of the attempt on their thread; a
streamed body (``with_streaming_response``) ends by it too, in both clients.
"""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
import httpx2 as httpx  # clientgen: http-module

from .bodies import read_body_within


class _DeadlineStream(httpx.SyncByteStream):
    """A response body read by the attempt's deadline: each socket read is shortened
    to what is left of it (see ``ATTEMPT``), and a chunk after it fails."""

    def __init__(
        self, stream: httpx.SyncByteStream, deadline: float, request: httpx.Request
    ) -> None:
        self._stream = stream
        self._deadline = deadline
        self._request = request

    @property
    def deadline(self) -> float:
        return self._deadline

    def __iter__(self) -> Iterator[bytes]:
        chunks = iter(self._stream)
        while True:
            outer, ATTEMPT.deadline = ATTEMPT.deadline, self._deadline
            try:
                chunk = next(chunks, None)
            finally:
                ATTEMPT.deadline = outer
            if chunk is None:
                return
            if time.monotonic() > self._deadline:
                raise httpx.ReadTimeout("attempt deadline", request=self._request)
            yield chunk

    def close(self) -> None:
        self._stream.close()

    @property
    def elapsed(self) -> object:
        """What the HTTP library measures on its own stream (``response.elapsed``)."""
        return getattr(self._stream, "elapsed", None)


class _AsyncDeadlineStream(httpx.AsyncByteStream):
    """A streamed response body whose every read ends by the attempt's deadline."""

    def __init__(self, stream: httpx.AsyncByteStream, deadline: float) -> None:
        self._stream = stream
        self._deadline = deadline

    @property
    def deadline(self) -> float:
        return self._deadline

    async def __aiter__(self) -> AsyncIterator[bytes]:
        chunks = self._stream.__aiter__()
        while True:
            with anyio.fail_after(max(self._deadline - time.monotonic(), 0.0)):
                try:
                    chunk = await chunks.__anext__()
                except StopAsyncIteration:
                    return
            yield chunk

    async def aclose(self) -> None:
        await self._stream.aclose()

    @property
    def elapsed(self) -> object:
        """What the HTTP library measures on its own stream (``response.elapsed``)."""
        return getattr(self._stream, "elapsed", None)


def read_body(
    response: httpx.Response, deadline: float | None, limit: int | None
) -> None:
    """Read the whole body by ``deadline``, a compressed one within ``limit`` bytes."""
    bound_body(response, deadline)
    try:
        read_body_within(response, limit)
    finally:
        response.close()


def bound_body(response: httpx.Response, deadline: float | None) -> None:
    """Make reading ``response``'s body end by ``deadline``, however slowly it arrives."""
    if deadline is None:
        return
    stream = response.stream
    if isinstance(stream, httpx.SyncByteStream):
        response.stream = _DeadlineStream(stream, deadline, response.request)
    else:
        response.stream = _AsyncDeadlineStream(stream, deadline)


def body_deadline(response: httpx.Response) -> float | None:
    """When reading ``response``'s body must end (``bound_body``), or None if never.

    The network reads check it, but a compressed body can decode to many
    chunks from one read, and whoever reads them can be slow between them
    (a file written through a worker thread): each decoded chunk checks it too.
    """
    stream = response.stream
    if isinstance(stream, (_DeadlineStream, _AsyncDeadlineStream)):
        return stream.deadline
    return None


# The sync HTTP libraries give each socket read its own timeout, so a server
# dripping the status line and headers one byte at a time would never time out.
# Every socket operation of a sync client's connection pool therefore also ends
# by the deadline of the attempt running on its thread (the async clients get
# the same bound from a cancel scope around the whole exchange).
class _AttemptDeadline(threading.local):
    #: When the attempt running on this thread must end (``time.monotonic()``).
    deadline: float | None = None


ATTEMPT = _AttemptDeadline()
#: What a socket operation gets once the deadline has passed: time out at once,
#: through the library's own timeout path (0 would mean non-blocking instead).
_PAST_DEADLINE = 1e-6


def _until_deadline(timeout: float | None) -> float | None:
    """``timeout``, shortened to what is left of this thread's attempt deadline."""
    deadline = ATTEMPT.deadline
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left < _PAST_DEADLINE:
        return _PAST_DEADLINE
    return left if timeout is None or left < timeout else timeout


class _DeadlineNetworkStream:
    """One connection's socket stream, every operation bounded by the attempt deadline."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data: bytes = self._stream.read(max_bytes, _until_deadline(timeout))
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        # Writing nothing cannot wait (the end of a request without a body).
        self._stream.write(buffer, _until_deadline(timeout) if buffer else timeout)

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: object,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> _DeadlineNetworkStream:
        tls = self._stream.start_tls(
            ssl_context, server_hostname, _until_deadline(timeout)
        )
        return _DeadlineNetworkStream(tls)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineNetworkBackend:
    """Opens connections whose socket operations end by the attempt deadline."""

    def __init__(self, backend: Any) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: object = None,
    ) -> _DeadlineNetworkStream:
        stream = self._backend.connect_tcp(
            host, port, _until_deadline(timeout), local_address, socket_options
        )
        return _DeadlineNetworkStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: object = None
    ) -> _DeadlineNetworkStream:
        stream = self._backend.connect_unix_socket(
            path, _until_deadline(timeout), socket_options
        )
        return _DeadlineNetworkStream(stream)

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def bound_by_deadlines(client: httpx.Client) -> None:
    """Route the connections of ``client``'s pools through ``_DeadlineNetworkBackend``.

    The HTTP libraries have no public hook for this; a transport of another
    shape (a custom or mock transport) is left alone, and its calls keep the
    per-read timeout, plus the body deadline of ``read_body``.
    """
    transports: list[object] = [getattr(client, "_transport", None)]
    transports += list(getattr(client, "_mounts", {}).values())
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if backend is not None and not isinstance(backend, _DeadlineNetworkBackend):
            pool._network_backend = _DeadlineNetworkBackend(backend)  # type: ignore[union-attr]
