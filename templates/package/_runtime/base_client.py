"""What the sync and async clients share: configuration (credentials, base URL,
timeouts), authentication per route, building each request, same-origin redirects
and the retry decision.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Generic, TypeVar, cast

import httpx2 as httpx  # clientgen: http-module

from .auth import (
    NO_AUTH,
    AuthParts,
    auth_parts,
    auth_schemes,
    check_credential,
    combine_auth,
    default_security,
)
from .config import AuthScheme, ClientConfig, Route, Security
from .constants import (
    DEFAULT_MAX_DECOMPRESSED_BYTES,
    DEFAULT_MAX_PAGES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    NOT_GIVEN,
    NotGiven,
    ResponseKind,
    T,
    TimeoutArg,
    is_given,
)
from .encoding import (
    NO_BODY,
    Body,
    check_header,
    cookie_pairs,
    encode_pairs,
    format_path,
    header_value,
    query_string,
    request_body,
)
from .errors import (
    ConfigurationError,
    MissingCredentialsError,
    RedirectError,
    RequestArgumentError,
    TooManyRedirectsError,
    make_status_error,
    wrap_exception,
)
from .files import (
    NotRewindable,
    async_file_chunks,
    file_chunks,
    not_rewindable_error,
    rewindable,
)
from .lenient import lenient_parser
from .log import setup_logging
from .options import Call, Options, coerce_timeout, seconds_per_attempt
from .pool import HttpClientT, Pool, check_http_client
from .redaction import (
    hide_credentials,
    redact_url,
    register_query_secret,
    register_secret_header,
)
from .redirects import (
    MAX_REDIRECTS,
    check_base_url,
    origin_of,
    redirect_method,
    redirect_target,
)
from .responses import APIResponse, body_data, decode_response
from .retries import should_retry_exception, should_retry_response
from .rules import IDEMPOTENCY_HEADER
from .streaming import raw_response

_HTTPX_DEFAULT_TIMEOUT = httpx.Timeout(5.0)
_ACCEPT = {
    "json": "application/json",
    "none": "application/json",
    "text": "*/*",
    "bytes": "*/*",
    "sse": "text/event-stream",
    "ndjson": "application/x-ndjson, application/jsonl",
}


def _put(headers: dict[str, str], name: str, value: str) -> None:
    """Set header ``name``, replacing one of the same name in another case (``user-agent``
    declared by the document, ``User-Agent`` from the client): it is sent once."""
    if name not in headers:
        lowered = name.lower()
        for key in [key for key in headers if key.lower() == lowered]:
            del headers[key]
    headers[name] = value


_ClientT = TypeVar("_ClientT", bound="BaseClient[Any]")
_PageT = TypeVar("_PageT")


class BaseClient(Generic[HttpClientT]):
    """What ``SyncAPIClient`` and ``AsyncAPIClient`` share; ``HttpClientT`` is the
    HTTP client each sends with."""

    _config: ClassVar[ClientConfig]
    #: The class ``http_client`` must be an instance of.
    _http_client_class: ClassVar[type[httpx.Client] | type[httpx.AsyncClient]]

    api_key: str | None
    base_url: str
    timeout: httpx.Timeout
    total_timeout: float | None
    max_retries: int
    #: Pages one walk through a paginated list may fetch (None: no limit).
    max_pages: int | None
    #: Bytes a compressed response body may decode to (None: no limit).
    max_decompressed_bytes: int | None
    #: False (the default): a response that fails validation is still returned, with a warning (``lenient``).
    strict_response_validation: bool
    _credentials: dict[str, str]
    _default_headers: dict[str, str]
    _default_query: dict[str, object]
    _origin: tuple[str, str, int | None]
    _base_path: str  # base_url without its trailing slash
    _timeout_bound: tuple[
        httpx.Timeout, float | None
    ]  # timeout, seconds_per_attempt(timeout)
    _auth_cache: dict[Security, AuthParts]
    #: ``_headers_for`` of each (route security, response kind) met so far.
    _common_headers: dict[tuple[Security | None, str], dict[str, str]]
    _pool: Pool[HttpClientT]
    _owns_pool: bool

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
        http_client: HttpClientT | None = None,
        max_pages: int | None = DEFAULT_MAX_PAGES,
        max_decompressed_bytes: int | None = DEFAULT_MAX_DECOMPRESSED_BYTES,
    ) -> None:
        check_http_client(http_client, self._http_client_class)
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
            self._adopt_http_client(http_client)
        self._pool = Pool(http_client, self._new_http_client, self._preset_headers())

    def _new_http_client(self) -> HttpClientT:
        """The HTTP client this client makes when it was given none."""
        raise NotImplementedError

    def _adopt_http_client(self, client: HttpClientT) -> None:
        """Prepares an HTTP client the user passed in (nothing by default)."""

    @property
    def http_client(self) -> HttpClientT:
        return self._pool.client

    @property
    def is_closed(self) -> bool:
        return self._pool.client.is_closed

    def with_options(
        self: _ClientT,
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
        http_client: HttpClientT | None = None,
        max_pages: int | None | NotGiven = NOT_GIVEN,
        max_decompressed_bytes: int | None | NotGiven = NOT_GIVEN,
    ) -> _ClientT:
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

    def _configure(
        self,
        *,
        api_key: str | None,
        credentials: Mapping[str, str | None] | None,
        base_url: str | None,
        environment: str | None,
        timeout: TimeoutArg,
        total_timeout: float | None,
        max_retries: int,
        strict_response_validation: bool = False,
        default_headers: Mapping[str, str] | None,
        default_query: Mapping[str, object] | None,
        client_timeout: httpx.Timeout | None,
        max_pages: int | None = DEFAULT_MAX_PAGES,
        max_decompressed_bytes: int | None = DEFAULT_MAX_DECOMPRESSED_BYTES,
    ) -> None:
        setup_logging(self._config.env_prefix)
        self._configure_credentials(api_key, credentials)
        self._configure_base_url(base_url, environment)
        self._configure_timeouts(timeout, total_timeout, client_timeout)
        name = self._config.client_name
        if max_retries < 0:
            raise ConfigurationError(
                f"{name}: max_retries must be >= 0, got {max_retries}."
            )
        self.max_retries = max_retries
        self._configure_limits(max_pages, max_decompressed_bytes)
        self.strict_response_validation = strict_response_validation
        self._default_headers = dict(default_headers or {})
        for key, value in self._default_headers.items():
            try:
                check_header(key, value, f"{name}: default_headers")
            except RequestArgumentError as exc:
                raise ConfigurationError(str(exc)) from None
        self._default_query = dict(default_query or {})
        self._auth_cache = {}
        self._common_headers = {}

    def _configure_limits(
        self, max_pages: int | None, max_decompressed_bytes: int | None
    ) -> None:
        name = self._config.client_name
        for option, value, least in (
            ("max_pages", max_pages, 1),
            ("max_decompressed_bytes", max_decompressed_bytes, 0),
        ):
            if value is not None and (type(value) is not int or value < least):
                raise ConfigurationError(
                    f"{name}: {option} must be an integer >= {least} or None, "
                    f"got {value!r}."
                )
        self.max_pages = max_pages
        self.max_decompressed_bytes = max_decompressed_bytes

    def _configure_credentials(
        self, api_key: str | None, credentials: Mapping[str, str | None] | None
    ) -> None:
        config = self._config
        given = {"api_key": api_key, **(credentials or {})}
        found: dict[str, str] = {}
        for scheme in auth_schemes(config):
            argument = scheme.argument
            variable = f"{config.env_prefix}_{argument.upper()}"
            value = given.get(argument) or os.environ.get(variable) or None
            if value is None:
                continue
            where = f"{config.client_name}: {argument} (or {variable})"
            check_credential(scheme, value, where)
            found[argument] = value
            if scheme.kind == "query":
                register_query_secret(scheme.name)
            elif scheme.kind == "header":
                register_secret_header(scheme.name)
        if config.api_key_required and "api_key" not in found:
            raise ConfigurationError(
                f"{config.client_name}: no API key given. Pass api_key=... to the "
                f"client or set the {config.env_prefix}_API_KEY environment variable."
            )
        self._credentials = found
        self.api_key = found.get("api_key")

    def _configure_base_url(
        self, base_url: str | None, environment: str | None
    ) -> None:
        config = self._config
        name = config.client_name
        environments = dict(config.environments)
        if environment is not None and environment not in environments:
            valid = ", ".join(repr(env) for env in environments) or "(none)"
            raise ConfigurationError(
                f"{name}: unknown environment {environment!r}; "
                f"valid environments are: {valid}."
            )
        if base_url is not None and environment is not None:
            expected = environments[environment]
            if base_url.rstrip("/") != expected.rstrip("/"):
                raise ConfigurationError(
                    f"{name}: base_url={base_url!r} disagrees with "
                    f"environment={environment!r} ({expected!r}); pass only one."
                )
        if base_url is None:
            if environment is not None:
                base_url = environments[environment]
            else:
                base_url = os.environ.get(f"{config.env_prefix}_BASE_URL") or None
        if base_url is None:
            if not environments:
                raise ConfigurationError(
                    f"{name}: no base_url given. Pass base_url=... to the client "
                    f"or set the {config.env_prefix}_BASE_URL environment variable."
                )
            base_url = next(iter(environments.values()))
        self._origin = origin_of(check_base_url(base_url, name))
        self.base_url = base_url
        self._base_path = base_url.rstrip("/")

    def _configure_timeouts(
        self,
        timeout: TimeoutArg,
        total_timeout: float | None,
        client_timeout: httpx.Timeout | None,
    ) -> None:
        if isinstance(timeout, NotGiven):
            if client_timeout is not None and client_timeout != _HTTPX_DEFAULT_TIMEOUT:
                self.timeout = client_timeout
            else:
                self.timeout = DEFAULT_TIMEOUT
        else:
            self.timeout = coerce_timeout(timeout)
        self._timeout_bound = (self.timeout, seconds_per_attempt(self.timeout))
        if total_timeout is not None and not total_timeout > 0:
            raise ConfigurationError(
                f"{self._config.client_name}: total_timeout must be > 0 seconds."
            )
        self.total_timeout = total_timeout

    def _option_kwargs(
        self,
        *,
        api_key: str | None,
        base_url: str | None,
        environment: str | None,
        timeout: TimeoutArg,
        total_timeout: float | None | NotGiven,
        max_retries: int | NotGiven,
        strict_response_validation: bool | NotGiven = NOT_GIVEN,
        default_headers: Mapping[str, str] | None,
        default_query: Mapping[str, object] | None,
        max_pages: int | None | NotGiven = NOT_GIVEN,
        max_decompressed_bytes: int | None | NotGiven = NOT_GIVEN,
    ) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "api_key": api_key if api_key is not None else self.api_key,
            "timeout": self.timeout if isinstance(timeout, NotGiven) else timeout,
            "total_timeout": (
                self.total_timeout
                if isinstance(total_timeout, NotGiven)
                else total_timeout
            ),
            "max_retries": (
                self.max_retries if isinstance(max_retries, NotGiven) else max_retries
            ),
            "default_headers": {**self._default_headers, **(default_headers or {})},
            "default_query": {**self._default_query, **(default_query or {})},
            "max_pages": (
                self.max_pages if isinstance(max_pages, NotGiven) else max_pages
            ),
            "max_decompressed_bytes": (
                self.max_decompressed_bytes
                if isinstance(max_decompressed_bytes, NotGiven)
                else max_decompressed_bytes
            ),
        }
        if base_url is None and environment is None:
            kwargs["base_url"] = self.base_url
        if base_url is not None:
            kwargs["base_url"] = base_url
        if environment is not None:
            kwargs["environment"] = environment
        strict = (
            self.strict_response_validation
            if isinstance(strict_response_validation, NotGiven)
            else strict_response_validation
        )
        if (
            strict
        ):  # only the pydantic clients take it; the typed-dict clients never validate
            kwargs["strict_response_validation"] = True
        return kwargs

    def _adopt_credentials(self, original: Mapping[str, str]) -> None:
        """A ``with_options`` copy keeps the credentials its original was given."""
        kept = {key: value for key, value in original.items() if key != "api_key"}
        self._credentials = {**self._credentials, **kept}

    def _response_parser(self, parse: Callable[[object], T]) -> Callable[[object], T]:
        """``parse`` as this client applies it: lenient unless ``strict_response_validation``."""
        return parse if self.strict_response_validation else lenient_parser(parse)

    def _preset_headers(self) -> dict[str, str]:
        """Headers set once on an HTTP client this package makes, instead of on every request."""
        return {
            "Accept": _ACCEPT["json"],
            "User-Agent": self._config.user_agent,
            "X-Retry-Count": "0",
        }

    def __repr__(self) -> str:
        return (
            f"{self._config.client_name}(base_url={self.base_url!r}, "
            f"max_retries={self.max_retries!r}, timeout={self.timeout!r})"
        )

    # -- authentication -----------------------------------------------------

    def _auth(self, route: Route) -> AuthParts:
        security = route.security
        if security is None:
            security = default_security(self._config)
        parts = self._auth_cache.get(security)
        if parts is None:
            parts = self._resolve_auth(security)
            self._auth_cache[security] = parts
        return parts

    def _resolve_auth(self, security: Security) -> AuthParts:
        """The first alternative whose credentials this client has."""
        if not security:
            return NO_AUTH
        schemes = {scheme.scheme: scheme for scheme in auth_schemes(self._config)}
        for alternative in security:
            chosen = [schemes.get(key) for key in alternative]
            if all(
                scheme is not None and scheme.argument in self._credentials
                for scheme in chosen
            ):
                return combine_auth(
                    [
                        auth_parts(scheme, self._credentials[scheme.argument])
                        for scheme in chosen
                        if scheme is not None
                    ]
                )
        raise self._missing_credentials(security, schemes)

    def _missing_credentials(
        self, security: Security, schemes: Mapping[str, AuthScheme]
    ) -> MissingCredentialsError:
        prefix = self._config.env_prefix
        options = [
            " and ".join(
                (
                    f"{schemes[key].argument}= ({prefix}_{schemes[key].argument.upper()})"
                    if key in schemes
                    else f"{key!r} (not supported by this client)"
                )
                for key in alternative
            )
            for alternative in security
        ]
        return MissingCredentialsError(
            f"{self._config.client_name}: this operation needs credentials: "
            + "; or ".join(options)
            + "."
        )

    # -- request building ---------------------------------------------------

    def _make_call(self, opts: Options) -> Call:
        if isinstance(opts.timeout, NotGiven):
            if self._timeout_bound[0] is not self.timeout:  # reassigned since
                self._timeout_bound = (self.timeout, seconds_per_attempt(self.timeout))
            timeout, seconds = self._timeout_bound
        else:
            timeout = coerce_timeout(opts.timeout)
            seconds = seconds_per_attempt(timeout)
        return Call(opts, timeout, seconds, self.total_timeout)

    def _headers(
        self, opts: Options, auth: AuthParts, retry_count: int
    ) -> dict[str, str]:
        route_kind = (opts.route.security, opts.response_kind)
        common = self._common_headers.get(route_kind)
        if common is None:
            common = self._common_headers[route_kind] = self._headers_for(
                opts.response_kind, auth
            )
        headers = dict(common)
        declared_retry_count = False
        if opts.headers:
            for key, value in opts.headers.items():
                if is_given(value):
                    text = header_value(opts.route, key, value)
                    check_header(key, text, "header parameter")
                    _put(headers, key, text)
                    declared_retry_count |= key.lower() == "x-retry-count"
        if auth.cookies or opts.cookies:
            cookies = list(auth.cookies)
            for key, value in (opts.cookies or {}).items():
                if is_given(value):
                    cookies.extend(cookie_pairs(opts.route, key, value))
            if cookies:
                headers["Cookie"] = "; ".join(cookies)
        if opts.idempotency_key is not None:
            check_header(IDEMPOTENCY_HEADER, opts.idempotency_key, "idempotency_key")
            _put(headers, IDEMPOTENCY_HEADER, opts.idempotency_key)
        if opts.extra_headers:
            for key, value in opts.extra_headers.items():
                check_header(key, value, "extra_headers")
                _put(headers, key, value)
        if declared_retry_count:
            pass  # the operation's own X-Retry-Count parameter, given by the caller, wins
        elif (
            retry_count
            or not self._pool.preset
            or self._default_headers
            or opts.headers
            or opts.extra_headers
        ):
            # Otherwise the HTTP client sends "X-Retry-Count: 0" itself, and no header of yours replaces it.
            _put(headers, "X-Retry-Count", str(retry_count))
        return headers

    def _headers_for(self, kind: str, auth: AuthParts) -> dict[str, str]:
        """What every request of one security requirement and response kind sends first."""
        preset = self._pool.preset  # already on the HTTP client: not sent again
        headers: dict[str, str] = {}
        accept = _ACCEPT[kind]
        if preset.get("Accept") != accept:
            headers["Accept"] = accept
        if "User-Agent" not in preset:
            headers["User-Agent"] = self._config.user_agent
        headers.update(auth.headers)
        headers.update(self._default_headers)
        return headers

    def _query(self, opts: Options, auth: AuthParts) -> str:
        """The encoded query string: credentials, the client's defaults, the call's parameters
        (by their styles) and its extras."""
        if not (auth.query or self._default_query or opts.query or opts.extra_query):
            return ""
        pieces = [
            encode_pairs(auth.query),
            query_string(None, self._default_query),
            query_string(opts.route, opts.query),
            query_string(None, opts.extra_query),
        ]
        return "&".join(piece for piece in pieces if piece)

    def _build_request(
        self,
        client: httpx.Client | httpx.AsyncClient,
        call: Call,
        retry_count: int,
        deadline: float | None,
        *,
        url: httpx.URL | None = None,
        method: str | None = None,
    ) -> httpx.Request:
        """The request of one attempt, or of a same-origin redirect (``url``); its
        ``repr`` shows no credential."""
        try:
            request = self._compose_request(
                client, call, retry_count, deadline, url=url, method=method
            )
        except UnicodeEncodeError as exc:
            raise RequestArgumentError(
                f"An argument cannot be sent: it has a character UTF-8 cannot encode "
                f"({exc.reason}; a lone surrogate such as '\\ud800'). Nothing was sent."
            ) from None
        return hide_credentials(request)

    def _compose_request(
        self,
        client: httpx.Client | httpx.AsyncClient,
        call: Call,
        retry_count: int,
        deadline: float | None,
        *,
        url: httpx.URL | None = None,
        method: str | None = None,
    ) -> httpx.Request:
        opts = call.opts
        auth = self._auth(opts.route)
        headers = self._headers(opts, auth, retry_count)
        method = method or opts.route.verb
        keeps_body = method == opts.route.verb
        if keeps_body and call.files:
            call.prepare_body()
        body = request_body(opts) if keeps_body else NO_BODY
        if body.content_type is not None:
            headers["Content-Type"] = body.content_type
        params: tuple[tuple[str, str], ...] | None = None
        if url is None:
            target: str | httpx.URL = self._base_path + format_path(
                opts.route, opts.path_params
            )
            query = self._query(opts, auth)
            if query:
                target = f"{target}?{query}"
        else:
            target = url
            missing = tuple((k, v) for k, v in auth.query if k not in url.params)
            params = missing or None
        return client.build_request(
            method,
            target,
            params=params,
            headers=headers,
            content=self._content(client, body, headers),
            files=body.files,
            timeout=call.attempt_timeout(deadline),
        )

    @staticmethod
    def _content(
        client: httpx.Client | httpx.AsyncClient, body: Body, headers: dict[str, str]
    ) -> Any:
        """The bytes to send, or a file read in chunks as the client (sync or async) reads them."""
        if body.stream is None:
            return body.content
        if body.length is not None:
            headers["Content-Length"] = str(body.length)
        if isinstance(client, httpx.AsyncClient):
            return async_file_chunks(body.stream)
        return file_chunks(body.stream)

    def _redirect_request(
        self,
        client: httpx.Client | httpx.AsyncClient,
        call: Call,
        response: httpx.Response,
        redirects: int,
    ) -> httpx.Request | None:
        """The next request of a same-origin redirect chain, or None if not one."""
        target = redirect_target(response)
        if target is None:
            return None
        shown = redact_url(target)
        if origin_of(target) != self._origin:
            raise RedirectError(
                f"Refused a redirect ({response.status_code}) to another origin: "
                f"{shown}. Credentials are only sent to {self.base_url!r}.",
                response=response,
                location=shown,
            )
        if redirects >= MAX_REDIRECTS:
            raise TooManyRedirectsError(
                f"More than {MAX_REDIRECTS} redirects; the last pointed to {shown}.",
                response=response,
                location=shown,
            )
        method = redirect_method(response.status_code, response.request.method)
        try:
            return self._build_request(
                client, call, call.retry_count, call.deadline, url=target, method=method
            )
        except NotRewindable:
            raise not_rewindable_error(response.request, None) from None

    def _finish(
        self,
        response: httpx.Response,
        opts: Options,
        parse: Callable[[object], T],
        retries_taken: int,
    ) -> T:
        kind: ResponseKind = (
            "json"
            if opts.response_kind == "sse" or opts.response_kind == "ndjson"
            else opts.response_kind
        )
        if opts.stream:
            return cast(T, self._streamed(response, opts, parse, retries_taken))
        if opts.raw:
            return cast(
                T,
                APIResponse(
                    response, parse=parse, kind=kind, retries_taken=retries_taken
                ),
            )
        return decode_response(response, kind, parse)

    def _streamed(
        self,
        response: httpx.Response,
        opts: Options,
        parse: Callable[[object], Any],
        retries_taken: int,
    ) -> object:
        """The unread response ``with_streaming_response`` returns: this family's kind."""
        raise NotImplementedError

    def _first_page(
        self,
        response: httpx.Response,
        opts: Options,
        retries_taken: int,
        page: Callable[[object], _PageT],
    ) -> _PageT:
        """A paginated call's answer as asked for: streamed, raw, or the first page."""
        if opts.stream:
            return cast(_PageT, self._streamed(response, opts, page, retries_taken))
        if opts.raw:
            return cast(_PageT, raw_response(response, opts, page, retries_taken))
        return page(body_data(response, "json"))

    def _retry_or_raise(
        self,
        call: Call,
        retries_taken: int,
        failure: httpx.Response | Exception,
        request: httpx.Request,
    ) -> float:
        """Seconds to wait before retrying ``failure``; raises it when not retried."""
        delay = self._retry_delay(call, retries_taken, failure)
        if delay is None:
            if isinstance(failure, httpx.Response):
                raise make_status_error(failure)
            raise wrap_exception(failure, request) from failure
        if call.files and not all(rewindable(file) for file in call.files):
            cause: BaseException = (
                make_status_error(failure)
                if isinstance(failure, httpx.Response)
                else wrap_exception(failure, request)
            )
            raise not_rewindable_error(request, cause)
        return delay

    def _retry_delay(
        self, call: Call, retries_taken: int, failure: httpx.Response | Exception
    ) -> float | None:
        if retries_taken >= self.max_retries:
            return None
        if isinstance(failure, httpx.Response):
            if not should_retry_response(failure, call.retry_unsafe):
                return None
            return call.wait_before_retry(retries_taken, failure.headers)
        if not should_retry_exception(failure, call.retry_unsafe):
            return None
        return call.wait_before_retry(retries_taken, None)
