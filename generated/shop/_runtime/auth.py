"""Authentication: checking credentials, and what each scheme adds to a request
(a header, a query parameter or a cookie).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .config import AuthScheme, ClientConfig, Security
from .errors import ConfigurationError
from .rules import AUTH_PLACEMENT

_CREDENTIAL_IN_HEADER = re.compile(r"[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?")
_COOKIE_OCTETS = re.compile(r"[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]+")


@dataclass(frozen=True)
class AuthParts:
    """What one security alternative adds to a request."""

    headers: Mapping[str, str] = field(default_factory=dict[str, str])
    query: tuple[tuple[str, str], ...] = ()
    cookies: tuple[str, ...] = ()


NO_AUTH = AuthParts()


def auth_schemes(config: ClientConfig) -> tuple[AuthScheme, ...]:
    return config.auth


def default_security(config: ClientConfig) -> Security:
    if config.security is not None:
        return config.security
    schemes = auth_schemes(config)
    return ((schemes[0].scheme,),) if schemes else ()


def check_credential(scheme: AuthScheme, value: str, where: str) -> None:
    if scheme.kind in ("bearer", "header"):
        ok = bool(_CREDENTIAL_IN_HEADER.fullmatch(value))
        what = "an HTTP header (a newline, a control or a non-ASCII character)"
    elif scheme.kind == "cookie":
        ok = bool(_COOKIE_OCTETS.fullmatch(value))
        what = "a cookie (whitespace, a control character, '\"', ',', ';' or '\\\\')"
    elif scheme.kind == "basic":
        ok = not any(ord(c) < 0x20 or ord(c) == 0x7F for c in value)
        what = "HTTP basic auth (a control character)"
    else:
        ok = bool(value) and not any(ord(c) < 0x20 or ord(c) == 0x7F for c in value)
        what = "a query (a newline or a control character)"
    if not ok:
        raise ConfigurationError(
            f"{where} contains a character that cannot be sent in {what}; "
            "the value is not shown."
        )


def auth_parts(scheme: AuthScheme, credential: str) -> AuthParts:
    """What one scheme adds to a request: its credential where ``AUTH_PLACEMENT`` says."""
    location, name = AUTH_PLACEMENT[scheme.kind]
    name = name or scheme.name
    value = credential
    if scheme.kind == "bearer":
        value = f"Bearer {credential}"
    elif scheme.kind == "basic":
        # A bare API key is the user name with an empty password: the convention of APIs that take a key over basic auth.
        user_pass = credential if ":" in credential else f"{credential}:"
        value = "Basic " + base64.b64encode(user_pass.encode("utf-8")).decode("ascii")
    if location == "header":
        return AuthParts(headers={name: value})
    if location == "query":
        return AuthParts(query=((name, value),))
    return AuthParts(cookies=(f"{name}={value}",))


def combine_auth(parts: Sequence[AuthParts]) -> AuthParts:
    headers: dict[str, str] = {}
    query: list[tuple[str, str]] = []
    cookies: list[str] = []
    for part in parts:
        headers.update(part.headers)
        query.extend(part.query)
        cookies.extend(part.cookies)
    return AuthParts(headers=headers, query=tuple(query), cookies=tuple(cookies))
