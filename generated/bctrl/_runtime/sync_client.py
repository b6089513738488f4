"""``SyncAPIClient``, the base of the generated synchronous clients: sending with
retries, deadlines and redirects; plain, paginated and event-stream calls.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar, cast

import httpx2 as httpx

from .base_client import BaseClient
from .config import Route
from .constants import ResponseKind, T
from .deadlines import ATTEMPT, bound_body, bound_by_deadlines, read_body
from .errors import BaseError
from .jsonlines import JSONLinesStream, refuse_non_json_lines
from .log import log_exchange
from .options import Call, CallArgs, Options, PageArgs, replace_options
from .pagination import Paging, SyncPage
from .responses import body_data
from .sse import EventStream, refuse_non_stream
from .streaming import StreamedResponse, streamed_response

if sys.version_info >= (3, 11):
    from typing import Unpack
else:
    from typing_extensions import Unpack

_SyncClientT = TypeVar("_SyncClientT", bound="SyncAPIClient")


class SyncAPIClient(BaseClient[httpx.Client]):
    """Base class of the generated synchronous client."""

    _http_client_class = httpx.Client

    def _new_http_client(self) -> httpx.Client:
        client = httpx.Client(timeout=self.timeout, headers=self._preset_headers())
        bound_by_deadlines(client)
        return client

    def _adopt_http_client(self, client: httpx.Client) -> None:
        bound_by_deadlines(client)

    def _streamed(
        self,
        response: httpx.Response,
        opts: Options,
        parse: Callable[[object], Any],
        retries_taken: int,
    ) -> StreamedResponse[Any]:
        limit = self.max_decompressed_bytes
        return streamed_response(response, opts, parse, retries_taken, limit)

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
        parse: Callable[[object], T],
        response_kind: ResponseKind = "json",
        **args: Unpack[CallArgs],
    ) -> T:
        opts = Options(route, response_kind=response_kind, **args)
        response, retries_taken = self._send(opts, stream=opts.stream)
        return self._finish(response, opts, self._response_parser(parse), retries_taken)

    def request_page(
        self,
        route: Route,
        *,
        parse: Callable[[object], T],
        paging: Paging,
        **args: Unpack[PageArgs],
    ) -> SyncPage[T]:
        """The first page of a paginated list; iterating it fetches the others."""
        parse = self._response_parser(parse)
        opts = Options(route, **args)
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

        return self._first_page(response, opts, retries_taken, page)

    def stream_events(
        self, route: Route, *, parse: Callable[[object], T], **args: Unpack[CallArgs]
    ) -> EventStream[T]:
        parse = self._response_parser(parse)
        opts = Options(route, response_kind="sse", **args)
        response, retries_taken = self._send(opts, stream=True)
        if opts.stream:
            streamed = self._streamed(response, opts, parse, retries_taken)
            return cast("EventStream[T]", streamed)
        refuse_non_stream(response, self.max_decompressed_bytes)
        return EventStream(response, parse, self.max_decompressed_bytes)

    def stream_lines(
        self, route: Route, *, parse: Callable[[object], T], **args: Unpack[CallArgs]
    ) -> JSONLinesStream[T]:
        parse = self._response_parser(parse)
        opts = Options(route, response_kind="ndjson", **args)
        response, retries_taken = self._send(opts, stream=True)
        if opts.stream:
            streamed = self._streamed(response, opts, parse, retries_taken)
            return cast("JSONLinesStream[T]", streamed)
        refuse_non_json_lines(response, self.max_decompressed_bytes)
        return JSONLinesStream(response, parse, self.max_decompressed_bytes)
