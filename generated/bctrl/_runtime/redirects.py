"""Origins and redirects: checking ``base_url``, and where a redirect leads and with
which method (the clients follow same-origin redirects only).
"""

from __future__ import annotations

import httpx2 as httpx

from .errors import ConfigurationError

#: Same-origin redirects followed within one attempt.
MAX_REDIRECTS = 10
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


def origin_of(url: httpx.URL) -> tuple[str, str, int | None]:
    default = {"http": 80, "https": 443}.get(url.scheme)
    return (url.scheme, url.host, url.port or default)


def check_base_url(base_url: str, client_name: str) -> httpx.URL:
    try:
        url = httpx.URL(base_url)
    except (httpx.InvalidURL, TypeError, ValueError):
        url = None
    problem = None
    if url is None:
        problem = "is not a valid URL"
    elif url.scheme not in ("http", "https") or not url.host:
        problem = "needs an http:// or https:// scheme and a host"
    elif url.query or "?" in base_url:
        problem = "has a query; pass query parameters with default_query= instead"
    elif url.fragment or "#" in base_url:
        problem = "has a #fragment, which is never sent"
    elif url.userinfo:
        problem = "contains credentials; pass them with api_key= instead"
    elif url.port is not None and not 0 < url.port < 65536:
        problem = "has a port outside 1-65535"
    if problem is not None or url is None:
        shown = base_url.split("@")[-1] if "@" in base_url else base_url
        raise ConfigurationError(f"{client_name}: base_url {shown!r} {problem}.")
    return url


def without_userinfo(url: httpx.URL) -> httpx.URL:
    """``url`` without ``user:password@``: the HTTP library would send it as basic auth."""
    return url.copy_with(userinfo=b"") if url.userinfo else url


def redirect_target(response: httpx.Response) -> httpx.URL | None:
    if response.status_code not in _REDIRECT_STATUSES:
        return None
    location = response.headers.get("location")
    if not location:
        return None
    try:
        return without_userinfo(response.request.url.join(location))
    except (httpx.InvalidURL, ValueError, TypeError):
        return None


def redirect_method(status: int, method: str) -> str:
    if status == 303 and method != "HEAD":
        return "GET"
    if status in (301, 302) and method == "POST":
        return "GET"
    return method
