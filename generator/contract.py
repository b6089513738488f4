"""The client's contract with the API, decided once for every output (view, api.txt, diff).

Which security scheme the client's ``api_key`` feeds, which parameters a
method shows (those that duplicate that scheme do not), what kind of body a
response has, and which HTTP methods are idempotent (they need no
idempotency key to be retried).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from generator.ir import Api, Operation, Parameter, SecurityScheme

#: RFC 9110 §9.2.2. The generated runtime retries these without an idempotency key.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})

ResponseKind = Literal["json", "text", "bytes", "none"]

_JSON_MEDIA = re.compile(r"^application/([a-z0-9.+-]+\+)?json$")
FORM_MEDIA = ("multipart/form-data", "application/x-www-form-urlencoded")


def is_json_media(media_type: str) -> bool:
    return bool(_JSON_MEDIA.match(media_type))


def auth_scheme(api: Api) -> SecurityScheme | None:
    """The scheme the client's ``api_key`` feeds: the first one used, else the first declared."""
    usable = [scheme for scheme in api.security_schemes if scheme.kind != "unsupported"]
    used = {key for operation in api.operations for key in operation.security}
    for scheme in usable:
        if scheme.key in used:
            return scheme
    return usable[0] if usable else None


def covered_by_auth(parameter: Parameter, scheme: SecurityScheme | None) -> bool:
    """A parameter that duplicates the security scheme becomes client-level auth."""
    if scheme is None:
        return False
    if scheme.kind in ("bearer", "basic"):
        return parameter.location == "header" and parameter.name.lower() == "authorization"
    return parameter.location == scheme.kind and parameter.name.lower() == scheme.name.lower()


def visible_parameters(operation: Operation, scheme: SecurityScheme | None) -> list[Parameter]:
    """The parameters a method takes as arguments, in the spec's order."""
    return [parameter for parameter in operation.parameters if not covered_by_auth(parameter, scheme)]


def response_kind(media_type: str | None) -> ResponseKind:
    """How a success body is read: parsed JSON (SSE events are JSON too), text, bytes or nothing."""
    if media_type is None:
        return "none"
    if is_json_media(media_type) or media_type == "text/event-stream":
        return "json"
    if media_type.startswith("text/"):
        return "text"
    return "bytes"
