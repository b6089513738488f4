"""The decorators behind ``with_raw_response`` and ``with_streaming_response``: they
mark a call with a header that the client removes before sending.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import Any, Generic, cast

from .constants import RAW_RESPONSE_HEADER, STREAM_RESPONSE_HEADER, P, T
from .responses import APIResponse
from .streaming import AsyncStreamedResponse, StreamedResponse


def _with_raw_marker(kwargs: dict[str, Any]) -> None:
    extra = cast("Mapping[str, str] | None", kwargs.get("extra_headers"))
    kwargs["extra_headers"] = {**(extra or {}), RAW_RESPONSE_HEADER: "true"}


def to_raw_response_wrapper(func: Callable[P, T]) -> Callable[P, APIResponse[T]]:
    """Wrap a sync resource method so it returns the `APIResponse` instead."""

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[T]:
        _with_raw_marker(kwargs)
        return cast(APIResponse[T], func(*args, **kwargs))

    return wrapped


def async_to_raw_response_wrapper(
    func: Callable[P, Awaitable[T]],
) -> Callable[P, Awaitable[APIResponse[T]]]:
    """Wrap an async resource method so it returns the `APIResponse` instead."""

    @functools.wraps(func)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[T]:
        _with_raw_marker(kwargs)
        return cast(APIResponse[T], await func(*args, **kwargs))

    return wrapped


class _StreamContext(Generic[T]):
    def __init__(self, start: Callable[[], StreamedResponse[T]]) -> None:
        self._start = start
        self._response: StreamedResponse[T] | None = None

    def __enter__(self) -> StreamedResponse[T]:
        self._response = self._start()
        return self._response

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._response is not None:
            self._response.close()


class _AsyncStreamContext(Generic[T]):
    def __init__(
        self, start: Callable[[], Awaitable[AsyncStreamedResponse[T]]]
    ) -> None:
        self._start = start
        self._response: AsyncStreamedResponse[T] | None = None

    async def __aenter__(self) -> AsyncStreamedResponse[T]:
        self._response = await self._start()
        return self._response

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._response is not None:
            await self._response.close()


def _with_stream_marker(kwargs: dict[str, Any]) -> None:
    extra = cast("Mapping[str, str] | None", kwargs.get("extra_headers"))
    kwargs["extra_headers"] = {**(extra or {}), STREAM_RESPONSE_HEADER: "true"}


def to_streamed_response_wrapper(
    func: Callable[P, T],
) -> Callable[P, _StreamContext[T]]:
    """Wrap a sync resource method: ``with wrapped(...) as response`` gets it unread."""

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> _StreamContext[T]:
        _with_stream_marker(kwargs)
        return _StreamContext(
            lambda: cast("StreamedResponse[T]", func(*args, **kwargs))
        )

    return wrapped


def async_to_streamed_response_wrapper(
    func: Callable[P, Awaitable[T]],
) -> Callable[P, _AsyncStreamContext[T]]:
    """Wrap an async resource method: ``async with wrapped(...) as response`` gets it unread."""

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> _AsyncStreamContext[T]:
        _with_stream_marker(kwargs)

        async def start() -> AsyncStreamedResponse[T]:
            return cast("AsyncStreamedResponse[T]", await func(*args, **kwargs))

        return _AsyncStreamContext(start)

    return wrapped
