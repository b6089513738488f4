"""``AsyncAPIClient``, the base of the generated asynchronous clients: sending with
retries, deadlines and redirects; plain, paginated and event-stream calls.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar, cast

import anyio
import httpx2 as httpx

from .base_client import BaseClient
from .bodies import aread_body_within
from .config import Route
from .constants import ResponseKind, T
from .deadlines import bound_body
from .errors import BaseError
from .jsonlines import AsyncJSONLinesStream, arefuse_non_json_lines
from .log import log_exchange
from .options import Call, CallArgs, Options, PageArgs, replace_options
from .pagination import AsyncPage, AsyncPaginator, Paging
from .responses import body_data
from .sse import AsyncEventStream, arefuse_non_stream
from .streaming import AsyncStreamedResponse, async_streamed_response

if sys.version_info >= (3, 11):
    from typing import Unpack
else:
    from typing_extensions import Unpack

_AsyncClientT = TypeVar("_AsyncClientT", bound="AsyncAPIClient")


async def _aread_body(response: httpx.Response, limit: int | None) -> None:
    try:
        await aread_body_within(response, limit)
    finally:
        with anyio.CancelScope(shield=True):
            await response.aclose()


class AsyncAPIClient(BaseClient[httpx.AsyncClient]):
    """Base class of the generated asynchronous client."""

    _http_client_class = httpx.AsyncClient

    def _new_http_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=self.timeout, headers=self._preset_headers())

    def _streamed(
        self,
        response: httpx.Response,
        opts: Options,
        parse: Callable[[object], Any],
        retries_taken: int,
    ) -> AsyncStreamedResponse[Any]:
        limit = self.max_decompressed_bytes
        return async_streamed_response(response, opts, parse, retries_taken, limit)

    async def close(self) -> None:
        if self._owns_pool and self._pool.owned:
            await self._pool.client.aclose()

    async def __aenter__(self: _AsyncClientT) -> _AsyncClientT:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _attempt(
        self,
        client: httpx.AsyncClient,
        call: Call,
        request: httpx.Request,
        stream: bool,
        deadline: float | None,
    ) -> httpx.Response:
        if deadline is None:
            return await self._exchange(client, call, request, stream)
        with anyio.fail_after(max(deadline - time.monotonic(), 0.0)):
            # Bounds the whole exchange, however slowly the bytes arrive.
            response = await self._exchange(client, call, request, stream)
        if stream and call.opts.stream and response.is_success:
            bound_body(response, deadline)  # with_streaming_response: its body too
        return response

    async def _exchange(
        self,
        client: httpx.AsyncClient,
        call: Call,
        request: httpx.Request,
        stream: bool,
    ) -> httpx.Response:
        response = await client.send(request, stream=True, follow_redirects=False)
        redirects = 0
        while True:
            try:
                follow = self._redirect_request(client, call, response, redirects)
            except BaseException:
                with anyio.CancelScope(shield=True):
                    await response.aclose()
                raise
            if follow is None:
                break
            with anyio.CancelScope(shield=True):
                await response.aclose()
            redirects += 1
            response = await client.send(follow, stream=True, follow_redirects=False)
        if not stream or not response.is_success:
            await _aread_body(response, self.max_decompressed_bytes)
        return response

    async def _send(self, opts: Options, *, stream: bool) -> tuple[httpx.Response, int]:
        client = self._pool.get()
        call = self._make_call(opts)
        retries_taken = 0
        while True:
            call.retry_count = retries_taken
            call.deadline = deadline = call.attempt_deadline()
            request = self._build_request(
                client, call, retries_taken, deadline, url=opts.url
            )
            started = time.monotonic()
            failure: httpx.Response | Exception
            try:
                response = await self._attempt(client, call, request, stream, deadline)
            except BaseError as exc:
                log_exchange(self._config, request, exc, started, retries_taken)
                raise
            except Exception as exc:  # noqa: BLE001 - anything it raises becomes typed
                log_exchange(self._config, request, exc, started, retries_taken)
                failure = exc
            else:
                log_exchange(self._config, request, response, started, retries_taken)
                if response.is_success:
                    return response, retries_taken
                failure = response
            delay = self._retry_or_raise(call, retries_taken, failure, request)
            await anyio.sleep(delay)
            retries_taken += 1

    async def request(
        self,
        route: Route,
        *,
        parse: Callable[[object], T],
        response_kind: ResponseKind = "json",
        **args: Unpack[CallArgs],
    ) -> T:
        opts = Options(route, response_kind=response_kind, **args)
        response, retries_taken = await self._send(opts, stream=opts.stream)
        return self._finish(response, opts, self._response_parser(parse), retries_taken)

    async def request_page(
        self,
        route: Route,
        *,
        parse: Callable[[object], T],
        paging: Paging,
        **args: Unpack[PageArgs],
    ) -> AsyncPage[T]:
        """The first page of a paginated list; iterating it fetches the others."""
        parse = self._response_parser(parse)
        opts = Options(route, **args)
        plain = replace_options(opts, raw=False, stream=False)
        origin, most = self._origin, self.max_pages

        async def fetch(at: Options, size: int | None) -> AsyncPage[T]:
            response, _ = await self._send(at, stream=False)
            body = body_data(response, "json")
            return AsyncPage(
                fetch, at, paging, parse, response, body, size, origin, most
            )

        response, retries_taken = await self._send(opts, stream=opts.stream)

        def page(data: object) -> AsyncPage[T]:
            return AsyncPage(
                fetch, plain, paging, parse, response, data, None, origin, most
            )

        return self._first_page(response, opts, retries_taken, page)

    def paginate(
        self,
        route: Route,
        *,
        parse: Callable[[object], T],
        paging: Paging,
        **args: Unpack[PageArgs],
    ) -> AsyncPaginator[T]:
        """A paginated list, not yet requested: ``async for`` walks it, ``await`` gets its first page."""
        return AsyncPaginator(
            lambda: self.request_page(route, parse=parse, paging=paging, **args)
        )

    async def stream_events(
        self, route: Route, *, parse: Callable[[object], T], **args: Unpack[CallArgs]
    ) -> AsyncEventStream[T]:
        parse = self._response_parser(parse)
        opts = Options(route, response_kind="sse", **args)
        response, retries_taken = await self._send(opts, stream=True)
        if opts.stream:
            streamed = self._streamed(response, opts, parse, retries_taken)
            return cast("AsyncEventStream[T]", streamed)
        await arefuse_non_stream(response, self.max_decompressed_bytes)
        return AsyncEventStream(response, parse, self.max_decompressed_bytes)

    async def stream_lines(
        self, route: Route, *, parse: Callable[[object], T], **args: Unpack[CallArgs]
    ) -> AsyncJSONLinesStream[T]:
        parse = self._response_parser(parse)
        opts = Options(route, response_kind="ndjson", **args)
        response, retries_taken = await self._send(opts, stream=True)
        if opts.stream:
            streamed = self._streamed(response, opts, parse, retries_taken)
            return cast("AsyncJSONLinesStream[T]", streamed)
        await arefuse_non_json_lines(response, self.max_decompressed_bytes)
        return AsyncJSONLinesStream(response, parse, self.max_decompressed_bytes)
