"""``SyncAPIClient``, the base of the generated synchronous clients: sending with
retries, deadlines and redirects; plain, paginated and event-stream calls.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TypeVar, cast

import httpx2 as httpx  # clientgen: http-module

from .base_client import BaseClient
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
from .deadlines import ATTEMPT, bound_body, bound_by_deadlines, read_body
from .errors import BaseError
from .jsonlines import JSONLinesStream, refuse_non_json_lines
from .log import log_exchange
from .options import Call, Options, replace_options
from .pagination import Paging, SyncPage
from .pool import Pool, check_http_client
from .responses import body_data
from .sse import EventStream, refuse_non_stream
from .streaming import raw_response, streamed_response

_SyncClientT = TypeVar("_SyncClientT", bound="SyncAPIClient")


class SyncAPIClient(BaseClient):
    """Base class of the generated synchronous client."""

    _pool: Pool[httpx.Client]

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
        http_client: httpx.Client | None = None,
        max_pages: int | None = DEFAULT_MAX_PAGES,
        max_decompressed_bytes: int | None = DEFAULT_MAX_DECOMPRESSED_BYTES,
    ) -> None:
        check_http_client(http_client, httpx.Client)
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
        if http_client is not None:
            bound_by_deadlines(http_client)
        self._pool = Pool(http_client, self._new_http_client, self._preset_headers())

    def _new_http_client(self) -> httpx.Client:
        client = httpx.Client(timeout=self.timeout, headers=self._preset_headers())
        bound_by_deadlines(client)
        return client

    @property
    def http_client(self) -> httpx.Client:
        return self._pool.client

    def with_options(
        self: _SyncClientT,
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
        http_client: httpx.Client | None = None,
        max_pages: int | None | NotGiven = NOT_GIVEN,
        max_decompressed_bytes: int | None | NotGiven = NOT_GIVEN,
    ) -> _SyncClientT:
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

    def close(self) -> None:
        if self._owns_pool and self._pool.owned:
            self._pool.client.close()

    def __enter__(self: _SyncClientT) -> _SyncClientT:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _attempt(
        self,
        client: httpx.Client,
        call: Call,
        request: httpx.Request,
        stream: bool,
        deadline: float | None,
    ) -> httpx.Response:
        outer, ATTEMPT.deadline = ATTEMPT.deadline, deadline
        try:
            response = client.send(request, stream=True, follow_redirects=False)
            redirects = 0
            while True:
                try:
                    follow = self._redirect_request(client, call, response, redirects)
                except BaseException:
                    response.close()
                    raise
                if follow is None:
                    break
                response.close()
                redirects += 1
                response = client.send(follow, stream=True, follow_redirects=False)
            if not stream or not response.is_success:
                read_body(response, deadline, self.max_decompressed_bytes)
            elif (
                call.opts.stream
            ):  # with_streaming_response: the body by the deadline too
                bound_body(response, deadline)
            return response
        finally:
            ATTEMPT.deadline = outer

    def _send(self, opts: Options, *, stream: bool) -> tuple[httpx.Response, int]:
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
                response = self._attempt(client, call, request, stream, deadline)
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
            time.sleep(delay)
            retries_taken += 1

    def request(
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
            response, retries_taken = self._send(opts, stream=True)
            limit = self.max_decompressed_bytes
            return cast(
                T, streamed_response(response, opts, parse, retries_taken, limit)
            )
        response, retries_taken = self._send(opts, stream=False)
        return self._finish(response, opts, parse, retries_taken)

    def request_page(
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
    ) -> SyncPage[T]:
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

        def fetch(at: Options, size: int | None) -> SyncPage[T]:
            response, _ = self._send(at, stream=False)
            body = body_data(response, "json")
            return SyncPage(
                fetch, at, paging, parse, response, body, size, origin, most
            )

        response, retries_taken = self._send(opts, stream=opts.stream)

        def page(data: object) -> SyncPage[T]:
            return SyncPage(
                fetch, plain, paging, parse, response, data, None, origin, most
            )

        if opts.stream:
            limit = self.max_decompressed_bytes
            streamed = streamed_response(response, plain, page, retries_taken, limit)
            return cast("SyncPage[T]", streamed)
        if opts.raw:
            return cast(
                "SyncPage[T]", raw_response(response, plain, page, retries_taken)
            )
        return page(body_data(response, "json"))

    def stream_events(
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
    ) -> EventStream[T]:
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
        response, retries_taken = self._send(opts, stream=True)
        if opts.stream:
            return cast(
                "EventStream[T]",
                streamed_response(
                    response, opts, parse, retries_taken, self.max_decompressed_bytes
                ),
            )
        refuse_non_stream(response, self.max_decompressed_bytes)
        return EventStream(response, parse, self.max_decompressed_bytes)

    def stream_lines(
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
    ) -> JSONLinesStream[T]:
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
        response, retries_taken = self._send(opts, stream=True)
        if opts.stream:
            return cast(
                "JSONLinesStream[T]",
                streamed_response(
                    response, opts, parse, retries_taken, self.max_decompressed_bytes
                ),
            )
        refuse_non_json_lines(response, self.max_decompressed_bytes)
        return JSONLinesStream(response, parse, self.max_decompressed_bytes)
