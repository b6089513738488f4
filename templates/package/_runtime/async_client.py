"""``AsyncAPIClient``, the base of the generated asynchronous clients: sending with
retries, deadlines and redirects; plain, paginated and event-stream calls.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TypeVar, cast

import anyio
import httpx2 as httpx  # clientgen: http-module

from .base_client import BaseClient
from .bodies import aread_body_within
from .config import Route
from .constants import (
    DEFAULT_MAX_DECOMPRESSED_BYTES,
    DEFAULT_MAX_PAGES,
    DEFAULT_MAX_RETRIES,
    NOT_GIVEN,
    NotGiven,
    ResponseKind,
    T,
    TimeoutArg,
)
from .deadlines import bound_body
from .errors import BaseError
from .jsonlines import AsyncJSONLinesStream, arefuse_non_json_lines
from .log import log_exchange
from .options import Call, Options, replace_options
from .pagination import AsyncPage, AsyncPaginator, Paging
from .pool import Pool, check_http_client
from .responses import body_data
from .sse import AsyncEventStream, arefuse_non_stream
from .streaming import async_streamed_response, raw_response

_AsyncClientT = TypeVar("_AsyncClientT", bound="AsyncAPIClient")


async def _aread_body(response: httpx.Response, limit: int | None) -> None:
    try:
        await aread_body_within(response, limit)
    finally:
        with anyio.CancelScope(shield=True):
            await response.aclose()


class AsyncAPIClient(BaseClient):
    """Base class of the generated asynchronous client."""

    _pool: Pool[httpx.AsyncClient]

    def __init__(
        self,
        *,
        api_key: str | None = None,
        credentials: Mapping[str, str | None] | None = None,
        base_url: str | None = None,
        environment: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        total_timeout: float | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        strict_response_validation: bool = False,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx.AsyncClient | None = None,
        max_pages: int | None = DEFAULT_MAX_PAGES,
        max_decompressed_bytes: int | None = DEFAULT_MAX_DECOMPRESSED_BYTES,
    ) -> None:
        check_http_client(http_client, httpx.AsyncClient)
        self._configure(
            api_key=api_key,
            credentials=credentials,
            base_url=base_url,
            environment=environment,
            timeout=timeout,
            total_timeout=total_timeout,
            max_retries=max_retries,
            strict_response_validation=strict_response_validation,
            default_headers=default_headers,
            default_query=default_query,
            client_timeout=http_client.timeout if http_client is not None else None,
            max_pages=max_pages,
            max_decompressed_bytes=max_decompressed_bytes,
        )
        self._owns_pool = True
        self._pool = Pool(
            http_client,
            lambda: httpx.AsyncClient(
                timeout=self.timeout, headers=self._preset_headers()
            ),
            self._preset_headers(),
        )

    @property
    def http_client(self) -> httpx.AsyncClient:
        return self._pool.client

    def with_options(
        self: _AsyncClientT,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        environment: str | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        total_timeout: float | None | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        strict_response_validation: bool | NotGiven = NOT_GIVEN,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx.AsyncClient | None = None,
        max_pages: int | None | NotGiven = NOT_GIVEN,
        max_decompressed_bytes: int | None | NotGiven = NOT_GIVEN,
    ) -> _AsyncClientT:
        """Return a configured copy; it shares this client's connection pool."""
        kwargs = self._option_kwargs(
            api_key=api_key,
            base_url=base_url,
            environment=environment,
            timeout=timeout,
            total_timeout=total_timeout,
            max_retries=max_retries,
            strict_response_validation=strict_response_validation,
            default_headers=default_headers,
            default_query=default_query,
            max_pages=max_pages,
            max_decompressed_bytes=max_decompressed_bytes,
        )
        copy = type(self)(http_client=http_client or self._pool.client, **kwargs)
        copy._adopt_credentials(self._credentials)
        if http_client is None:
            copy._pool, copy._owns_pool = self._pool, False
        return copy

    @property
    def is_closed(self) -> bool:
        return self._pool.client.is_closed

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
        path_params: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        cookies: Mapping[str, object] | None = None,
        json: object = NOT_GIVEN,
        form: object = None,
        files: Mapping[str, object] | None = None,
        content: object = None,
        parse: Callable[[object], T],
        response_kind: ResponseKind = "json",
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> T:
        parse = self._response_parser(parse)
        opts = Options(
            route,
            path_params=path_params,
            query=query,
            headers=headers,
            cookies=cookies,
            json=json,
            form=form,
            files=files,
            content=content,
            response_kind=response_kind,
            idempotency_key=idempotency_key,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
            timeout=timeout,
        )
        if opts.stream:
            response, retries_taken = await self._send(opts, stream=True)
            return cast(
                T,
                async_streamed_response(
                    response, opts, parse, retries_taken, self.max_decompressed_bytes
                ),
            )
        response, retries_taken = await self._send(opts, stream=False)
        return self._finish(response, opts, parse, retries_taken)

    async def request_page(
        self,
        route: Route,
        *,
        path_params: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        cookies: Mapping[str, object] | None = None,
        parse: Callable[[object], T],
        paging: Paging,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> AsyncPage[T]:
        """The first page of a paginated list; iterating it fetches the others."""
        parse = self._response_parser(parse)
        opts = Options(
            route,
            path_params=path_params,
            query=query,
            headers=headers,
            cookies=cookies,
            json=NOT_GIVEN,
            form=None,
            files=None,
            content=None,
            response_kind="json",
            idempotency_key=None,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
            timeout=timeout,
        )
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

        if opts.stream:
            return cast(
                "AsyncPage[T]",
                async_streamed_response(
                    response, plain, page, retries_taken, self.max_decompressed_bytes
                ),
            )
        if opts.raw:
            return cast(
                "AsyncPage[T]", raw_response(response, plain, page, retries_taken)
            )
        return page(body_data(response, "json"))

    def paginate(
        self,
        route: Route,
        *,
        path_params: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        cookies: Mapping[str, object] | None = None,
        parse: Callable[[object], T],
        paging: Paging,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> AsyncPaginator[T]:
        """A paginated list, not yet requested: ``async for`` walks it, ``await`` gets its first page."""
        return AsyncPaginator(
            lambda: self.request_page(
                route,
                path_params=path_params,
                query=query,
                headers=headers,
                cookies=cookies,
                parse=parse,
                paging=paging,
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
            )
        )

    async def stream_events(
        self,
        route: Route,
        *,
        path_params: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        cookies: Mapping[str, object] | None = None,
        json: object = NOT_GIVEN,
        form: object = None,
        files: Mapping[str, object] | None = None,
        content: object = None,
        parse: Callable[[object], T],
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> AsyncEventStream[T]:
        parse = self._response_parser(parse)
        opts = Options(
            route,
            path_params=path_params,
            query=query,
            headers=headers,
            cookies=cookies,
            json=json,
            form=form,
            files=files,
            content=content,
            response_kind="sse",
            idempotency_key=idempotency_key,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
            timeout=timeout,
        )
        response, retries_taken = await self._send(opts, stream=True)
        if opts.stream:
            return cast(
                "AsyncEventStream[T]",
                async_streamed_response(
                    response, opts, parse, retries_taken, self.max_decompressed_bytes
                ),
            )
        await arefuse_non_stream(response, self.max_decompressed_bytes)
        return AsyncEventStream(response, parse, self.max_decompressed_bytes)

    async def stream_lines(
        self,
        route: Route,
        *,
        path_params: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        cookies: Mapping[str, object] | None = None,
        json: object = NOT_GIVEN,
        form: object = None,
        files: Mapping[str, object] | None = None,
        content: object = None,
        parse: Callable[[object], T],
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
    ) -> AsyncJSONLinesStream[T]:
        parse = self._response_parser(parse)
        opts = Options(
            route,
            path_params=path_params,
            query=query,
            headers=headers,
            cookies=cookies,
            json=json,
            form=form,
            files=files,
            content=content,
            response_kind="ndjson",
            idempotency_key=idempotency_key,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
            timeout=timeout,
        )
        response, retries_taken = await self._send(opts, stream=True)
        if opts.stream:
            return cast(
                "AsyncJSONLinesStream[T]",
                async_streamed_response(
                    response, opts, parse, retries_taken, self.max_decompressed_bytes
                ),
            )
        await arefuse_non_json_lines(response, self.max_decompressed_bytes)
        return AsyncJSONLinesStream(response, parse, self.max_decompressed_bytes)
