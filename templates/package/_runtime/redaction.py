"""Credentials kept out of URLs as shown: the query parameters that carry credentials,
and a filter hiding their values in the HTTP library's own log records.
"""

from __future__ import annotations

import logging

import httpx2 as httpx  # clientgen: http-module

#: Names of query parameters that carry credentials, for every client made.
_SECRET_QUERY_NAMES: set[str] = set()
REDACTED = "[redacted]"


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
