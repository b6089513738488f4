"""Logging: ``<PREFIX>_LOG=info|debug``, or the standard logger named after the
package; one line per attempt, credentials hidden.
"""

from __future__ import annotations

import logging
import os
import re
import time

import httpx2 as httpx

from .auth import auth_schemes
from .config import ClientConfig
from .redaction import REDACTED, redact_url

#: The package's logger ("bctrl", named after the package two levels above this
#: module): configure it like any other, or set <PREFIX>_LOG.
logger = logging.getLogger(__name__.rsplit(".", 2)[0])
_LOG_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
_SECRET_HEADER_WORDS = re.compile(
    r"auth|cookie|key|token|secret|password|signature|credential|session", re.IGNORECASE
)


class _LogHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The stderr handler <PREFIX>_LOG installs (once)."""


def setup_logging(env_prefix: str) -> None:
    level = _LOG_LEVELS.get(os.environ.get(f"{env_prefix}_LOG", "").strip().lower())
    if level is None:
        return
    if not any(isinstance(handler, _LogHandler) for handler in logger.handlers):
        handler = _LogHandler()
        handler.setFormatter(
            logging.Formatter("[%(asctime)s %(name)s %(levelname)s] %(message)s")
        )
        logger.addHandler(handler)
    logger.setLevel(level)


def _safe_headers(headers: httpx.Headers, config: ClientConfig) -> dict[str, str]:
    """Headers to log: every credential's value hidden."""
    named = {scheme.name.lower() for scheme in auth_schemes(config)}
    return {
        key: (
            REDACTED
            if key.lower() in named or _SECRET_HEADER_WORDS.search(key)
            else value
        )
        for key, value in headers.items()
    }


def log_exchange(
    config: ClientConfig,
    request: httpx.Request,
    outcome: httpx.Response | BaseException,
    started: float,
    retries_taken: int,
) -> None:
    """One line per attempt at INFO (method, URL without secrets, status, time, retry)."""
    if not logger.isEnabledFor(logging.INFO):
        return
    elapsed = time.monotonic() - started
    url = redact_url(request.url)
    if isinstance(outcome, httpx.Response):
        status = f"{outcome.status_code} {outcome.reason_phrase}".strip()
    else:
        status = type(outcome).__name__
    logger.info(
        "HTTP %s %s -> %s (%.3fs, retry %d)",
        request.method,
        url,
        status,
        elapsed,
        retries_taken,
    )
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug("request headers: %s", _safe_headers(request.headers, config))
        if isinstance(outcome, httpx.Response):
            logger.debug("response headers: %s", _safe_headers(outcome.headers, config))
