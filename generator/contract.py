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

FORM_MEDIA = ("multipart/form-data", "application/x-www-form-urlencoded")
_TOKEN = re.compile(r"^[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+$")


def media_essence(media_type: str) -> str:
    """``Application/JSON; charset=utf-8`` → ``application/json``: the type and subtype, lowercased (RFC 9110 §8.3.1)."""
    return media_type.split(";", 1)[0].strip().lower()


def is_json_media(media_type: str) -> bool:
    """JSON by its media type: ``application/json``, any ``*/json`` or ``+json`` subtype, whatever the parameters or case."""
    essence = media_essence(media_type)
    if not _TOKEN.match(essence):
        return False
    subtype = essence.split("/", 1)[1]
    return subtype == "json" or subtype.endswith("+json")


def is_event_stream(media_type: str | None) -> bool:
    return media_type is not None and media_essence(media_type) == "text/event-stream"


def form_media(media_type: str) -> str | None:
    """The form encoding a body media type names, if any."""
    essence = media_essence(media_type)
    return essence if essence in FORM_MEDIA else None


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
    if is_json_media(media_type) or is_event_stream(media_type):
        return "json"
    if media_essence(media_type).startswith("text/"):
        return "text"
    return "bytes"
