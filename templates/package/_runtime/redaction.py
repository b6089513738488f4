"""Credentials kept out of everything shown: the query parameters and headers that
carry credentials, a request whose every ``repr`` hides them, and a filter hiding
them in the HTTP library's own log records.
"""

from __future__ import annotations

import logging
import re

import httpx2 as httpx  # clientgen: http-module

#: Names of query parameters that carry credentials, for every client made.
_SECRET_QUERY_NAMES: set[str] = set()
#: Names (lower case) of headers that carry credentials, for every client made.
_SECRET_HEADER_NAMES: set[str] = {"authorization", "proxy-authorization", "cookie"}
#: Words that make any header's value hidden too (``X-Api-Key``, ``X-Session-Token``).
_SECRET_HEADER_WORDS = re.compile(
    r"auth|cookie|key|token|secret|password|signature|credential|session", re.IGNORECASE
)
REDACTED = "[redacted]"


def is_secret_header(name: str) -> bool:
    """Whether a header of this name may carry a credential."""
    return (
        name.lower() in _SECRET_HEADER_NAMES
        or _SECRET_HEADER_WORDS.search(name) is not None
    )


def register_secret_header(name: str) -> None:
    _SECRET_HEADER_NAMES.add(name.lower())


def is_query_secret(name: str) -> bool:
    """Whether a query parameter of this name carries a credential."""
    return name in _SECRET_QUERY_NAMES


def redact_url(url: httpx.URL) -> str:
    """The URL as text, with the values of credential query parameters hidden."""
    if not _SECRET_QUERY_NAMES or not url.query:
        return str(url)
    for name in _SECRET_QUERY_NAMES & set(url.params.keys()):
        url = url.copy_set_param(name, REDACTED)
    return str(url)


class _RedactQueryCredentials(logging.Filter):
    """Hides query credentials in the URLs the HTTP library logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if _SECRET_QUERY_NAMES and isinstance(args, tuple):
            record.args = tuple(
                redact_url(arg) if isinstance(arg, httpx.URL) else arg for arg in args
            )
        return True


_LOG_FILTER = _RedactQueryCredentials()


def register_query_secret(name: str) -> None:
    if name not in _SECRET_QUERY_NAMES:
        _SECRET_QUERY_NAMES.add(name)
        logger = logging.getLogger(httpx.__name__)
        if _LOG_FILTER not in logger.filters:
            logger.addFilter(_LOG_FILTER)


class _RedactedHeaders(httpx.Headers):
    """Headers whose ``repr`` hides every credential."""

    def __repr__(self) -> str:
        shown = [
            (key, REDACTED if is_secret_header(key) else value)
            for key, value in self.multi_items()
        ]
        return f"Headers({shown!r})"


class _RedactedURL(httpx.URL):
    """A URL whose ``repr`` hides credentials in its query (``str`` is the real URL)."""

    def __repr__(self) -> str:
        return f"URL({redact_url(self)!r})"


class _RedactedRequest(httpx.Request):
    """A request whose ``repr`` hides credentials in its URL."""

    def __repr__(self) -> str:
        return f"<Request({self.method!r}, {redact_url(self.url)!r})>"


def hide_credentials(request: httpx.Request) -> httpx.Request:
    """``request`` itself, its ``repr`` and those of its URL and headers made safe to show.

    An error carries its request (``err.request``, ``err.response.request``):
    printing it, or logging it, must not show the key. Only ``repr`` changes;
    what is sent does not.
    """
    request.__class__ = _RedactedRequest
    request.headers.__class__ = _RedactedHeaders
    request.url.__class__ = _RedactedURL
    return request
