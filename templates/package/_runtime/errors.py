"""Every error this package raises, and how HTTP statuses and failures of the HTTP
library map to them.
"""

from __future__ import annotations

import json as _json
from typing import cast

import httpx2 as httpx  # clientgen: http-module

#: Characters of a response body shown in an error message.
MAX_BODY_IN_MESSAGE = 500


class PackageError(Exception):
    """Base class of every error raised by this package."""


#: The base error under a name of fixed length (its own name is the package's).
BaseError = PackageError


class ConfigurationError(BaseError, ValueError):
    """The client was constructed with an unusable option (named in the message)."""


class RequestArgumentError(BaseError, ValueError):
    """An argument of a call cannot be sent (checked before anything is sent)."""


class MissingCredentialsError(BaseError):
    """The operation needs credentials this client was not given."""


class ClientClosedError(BaseError):
    """The client (or the http_client it uses) was closed."""


class ForkedClientError(BaseError):
    """A client with your own http_client was used in a child process after fork."""


class UploadReadError(BaseError):
    """A file object being uploaded failed while it was read (its error is the cause),
    or, opened non-blocking, had no data ready. The request was cut off before its
    body ended, so the server never received it whole; it is not retried."""


class StreamClosedError(BaseError):
    """A streamed response's body was read twice, or after the response was closed."""


class APIError(BaseError):
    message: str
    request: httpx.Request
    body: object

    def __init__(
        self, message: str, request: httpx.Request, body: object = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body


class APIStatusError(APIError):
    """The API answered with a non-success status code."""

    status_code: int
    response: httpx.Response
    headers: httpx.Headers
    request_id: str | None

    def __init__(self, message: str, *, response: httpx.Response, body: object) -> None:
        super().__init__(message, response.request, body)
        self.response = response
        self.status_code = response.status_code
        self.headers = response.headers
        self.request_id = request_id_of(response.headers)


def request_id_of(headers: httpx.Headers) -> str | None:
    value: str | None = headers.get("x-request-id") or headers.get("request-id")
    return value


class BadRequestError(APIStatusError):
    pass


class AuthenticationError(APIStatusError):
    pass


class PermissionDeniedError(APIStatusError):
    pass


class NotFoundError(APIStatusError):
    pass


class ConflictError(APIStatusError):
    pass


class UnprocessableEntityError(APIStatusError):
    pass


class RateLimitError(APIStatusError):
    pass


class InternalServerError(APIStatusError):
    pass


class APIConnectionError(APIError):
    """The request could not be completed (network failure, dropped connection)."""

    def __init__(
        self, request: httpx.Request, message: str = "Connection error."
    ) -> None:
        super().__init__(message, request, None)


class APITimeoutError(APIConnectionError):
    def __init__(self, request: httpx.Request, message: str = "") -> None:
        super().__init__(request, message or "Request timed out.")


class APIProtocolError(APIConnectionError):
    """The server broke HTTP (malformed response, illegal header, bad framing)."""


class APIDecodingError(APIError):
    """The response body could not be decoded (a broken gzip, brotli... encoding)."""


class RedirectError(APIError):
    """A redirect the client does not follow: to another origin, or in a loop.

    Credentials only ever go to the origin of ``base_url``, so a redirect to
    another scheme, host or port is not followed; ``location`` says where it
    pointed (query values of credentials redacted).
    """

    location: str
    response: httpx.Response

    def __init__(self, message: str, *, response: httpx.Response, location: str):
        super().__init__(message, response.request, None)
        self.response = response
        self.location = location


class TooManyRedirectsError(RedirectError):
    """More than MAX_REDIRECTS same-origin redirects in one attempt."""


class UploadNotRetryableError(APIError):
    """A retry (or a 307/308 redirect) needed the request body again, but it was
    a file object that cannot be rewound; the cause is the failure itself."""


class APIResponseValidationError(APIError):
    """A successful response whose body does not match the expected schema."""

    status_code: int
    response: httpx.Response
    error: BaseException

    def __init__(
        self,
        response: httpx.Response,
        body: object,
        *,
        error: BaseException,
        message: str | None = None,
    ) -> None:
        detail = bounded(str(error))
        super().__init__(
            message or f"Response body did not match the expected schema: {detail}",
            response.request,
            body,
        )
        self.response = response
        self.status_code = response.status_code
        self.error = error


class APIResponseDecodeError(APIResponseValidationError):
    """A successful response whose body is not valid JSON, or nested too deeply."""


class EventStreamError(APIError):
    """The server sent ``event: error`` on an event stream: ``body`` is the event's
    data (parsed JSON, or text), ``event`` the whole event."""

    event: object

    def __init__(
        self, message: str, request: httpx.Request, body: object, *, event: object
    ) -> None:
        super().__init__(message, request, body)
        self.event = event


class ResponseTooLargeError(APIError):
    """A compressed response body decoded to more than ``max_decompressed_bytes``
    (a client option); ``limit`` is that limit."""

    limit: int

    def __init__(self, request: httpx.Request, limit: int) -> None:
        super().__init__(
            f"The response body decoded to more than {limit} bytes, the limit on "
            "decompressed bodies; pass max_decompressed_bytes= to the client to "
            "change it (None: no limit).",
            request,
        )
        self.limit = limit


class PaginationError(APIError):
    """A paginator stopped before the server said the list ended.

    ``reason`` says why: ``"repeated"`` (a cursor, URL, offset or page number
    seen before), ``"empty"`` (an empty page that says there is more),
    ``"identical"`` (the same items as the previous page), ``"origin"`` (a next
    page on another origin or scheme) or ``"max_pages"`` (the client's
    ``max_pages`` limit). ``pages`` is how many pages were fetched; every item
    of those pages was returned once, and nothing was fetched twice.
    """

    reason: str
    pages: int

    def __init__(
        self, message: str, request: httpx.Request, *, reason: str, pages: int
    ) -> None:
        super().__init__(message, request, None)
        self.reason = reason
        self.pages = pages


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def bounded(text: str, limit: int = MAX_BODY_IN_MESSAGE) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit} more characters)"


def _error_body(response: httpx.Response) -> object:
    try:
        text = response.text
    except (LookupError, ValueError):
        return None
    if not text:
        return None
    try:
        return cast(object, _json.loads(text))
    except (ValueError, RecursionError):
        return text


def make_status_error(response: httpx.Response) -> APIStatusError:
    body = _error_body(response)
    status = response.status_code
    cls = _STATUS_ERRORS.get(status)
    if cls is None:
        cls = InternalServerError if status >= 500 else APIStatusError
    detail = bounded(str(body)) if body is not None else response.reason_phrase
    return cls(f"Error code: {status} - {detail}", response=response, body=body)


def wrap_exception(exc: BaseException, request: httpx.Request) -> APIError:
    """The typed error for a failure of the HTTP library; never echoes headers."""
    if isinstance(exc, (httpx.TimeoutException, TimeoutError)):
        return APITimeoutError(request)
    if isinstance(exc, httpx.DecodingError):
        return APIDecodingError(
            f"Response body could not be decoded: {bounded(str(exc), 200)}",
            request,
        )
    if isinstance(exc, httpx.ProtocolError):
        # Local protocol errors can quote header values: say only which kind.
        return APIProtocolError(request, f"HTTP protocol error ({type(exc).__name__}).")
    if isinstance(exc, (httpx.NetworkError, OSError)):
        return APIConnectionError(
            request, f"Connection error: {bounded(str(exc), 200)}"
        )
    return APIConnectionError(request, f"Connection error ({type(exc).__name__}).")
