"""Attempt deadlines of the sync clients: the response body, and every socket
operation of the connection pool, end by the deadline of the attempt on their thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx2 as httpx


class _DeadlineStream(httpx.SyncByteStream):
    """A response body that fails once the attempt's deadline has passed."""

    def __init__(
        self, stream: httpx.SyncByteStream, deadline: float, request: httpx.Request
    ) -> None:
        self._stream = stream
        self._deadline = deadline
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._stream:
            if time.monotonic() > self._deadline:
                raise httpx.ReadTimeout("attempt deadline", request=self._request)
            yield chunk

    def close(self) -> None:
        self._stream.close()

    @property
    def elapsed(self) -> object:
        """What the HTTP library measures on its own stream (``response.elapsed``)."""
        return getattr(self._stream, "elapsed", None)


def read_body(response: httpx.Response, deadline: float | None) -> None:
    if deadline is not None and isinstance(response.stream, httpx.SyncByteStream):
        response.stream = _DeadlineStream(response.stream, deadline, response.request)
    try:
        response.read()
    finally:
        response.close()


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
