"""The client's contract with the API, decided once for every output (view, api.txt, diff).

Which security scheme the client's ``api_key`` feeds and which argument feeds
each other scheme, what each operation sends, which parameters a
method shows (those that duplicate that scheme do not), what kind of body a
response has. Which HTTP methods are idempotent (they need no idempotency
key to be retried) and where each kind of scheme sends its credential are the
runtime's own tables (``_runtime/rules.py``), loaded from the templates.
"""

from __future__ import annotations

import importlib.util
import keyword
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Literal

from generator.locations import RUNTIME
from generator.naming.case import snake

if TYPE_CHECKING:
    from generator.ir import Api, Operation, Parameter, SecurityScheme


def _runtime_rules() -> ModuleType:
    """The runtime's ``rules.py`` (standard library only), run as a module of its own."""
    path = RUNTIME / "rules.py"
    spec = importlib.util.spec_from_file_location("clientgen_runtime_rules", path)
    if spec is None or spec.loader is None:  # pragma: no cover - the file ships with clientgen
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_RULES = _runtime_rules()
#: The header the runtime sends ``idempotency_key`` in.
IDEMPOTENCY_HEADER: str = _RULES.IDEMPOTENCY_HEADER
#: RFC 9110 §9.2.2: the generated runtime retries these without an idempotency key.
IDEMPOTENT_METHODS: frozenset[str] = frozenset(_RULES.IDEMPOTENT_METHODS)
#: Scheme kind → (where its credential goes: header, query or cookie; under which name, "": the scheme's).
AUTH_PLACEMENT: Mapping[str, tuple[str, str]] = dict(_RULES.AUTH_PLACEMENT)

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


#: The media types of JSON Lines streams (one JSON value a line), as the runtime's ``jsonlines`` lists them.
JSON_LINES_MEDIA = frozenset(
    {
        "application/x-ndjson",
        "application/ndjson",
        "application/jsonl",
        "application/x-jsonlines",
        "application/jsonlines",
        "application/json-seq",
    }
)
StreamFormat = Literal["sse", "ndjson"]


def stream_format(media_type: str | None) -> StreamFormat | None:
    """How a streamed response is read: server-sent events, JSON Lines, or (None) not as a stream."""
    if media_type is None:
        return None
    essence = media_essence(media_type)
    if essence == "text/event-stream":
        return "sse"
    return "ndjson" if essence in JSON_LINES_MEDIA else None


def form_media(media_type: str) -> str | None:
    """The form encoding a body media type names, if any: url-encoded, or multipart (``multipart/form-data``,
    and any other ``multipart/*`` such as ``multipart/mixed``, whose parts are named the same way)."""
    essence = media_essence(media_type)
    return essence if essence in FORM_MEDIA or (essence.startswith("multipart/") and _TOKEN.match(essence)) else None


def is_multipart(media_type: str) -> bool:
    """A ``multipart/*`` body: its properties travel as parts, files as file parts."""
    return (form_media(media_type) or "").startswith("multipart/")


def auth_scheme(api: Api) -> SecurityScheme | None:
    """The scheme the client's ``api_key`` feeds: the first one used, else the first declared."""
    # Asked once per operation while the views are built: the answer for the API last asked about is kept
    # (an Api is frozen; it holds a mapping, so it cannot key a dict).
    last = _AUTH_SCHEME[0]
    if last is not None and last[0] is api:
        return last[1]
    usable = [scheme for scheme in api.security_schemes if scheme.kind != "unsupported"]
    used = {key for operation in api.operations for key in operation.security}
    found = next((scheme for scheme in usable if scheme.key in used), usable[0] if usable else None)
    _AUTH_SCHEME[0] = (api, found)
    return found


_AUTH_SCHEME: list[tuple[Api, SecurityScheme | None] | None] = [None]


#: Arguments every client constructor already has: a credential argument never takes one.
CONSTRUCTOR_ARGUMENTS = frozenset(
    {
        "self",
        "api_key",
        "credentials",
        "base_url",
        "environment",
        "timeout",
        "total_timeout",
        "max_retries",
        "default_headers",
        "default_query",
        "http_client",
    }
)

Requirement = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Credential:
    """A scheme the client can send, and the constructor argument holding its secret."""

    scheme: SecurityScheme
    argument: str  # ``api_key`` for the primary scheme


def credentials(api: Api) -> tuple[Credential, ...]:
    """Every usable scheme, the primary one first as ``api_key``, the others by their key."""
    primary = auth_scheme(api)
    if primary is None:
        return ()
    result = [Credential(primary, "api_key")]
    taken = set(CONSTRUCTOR_ARGUMENTS)
    for scheme in api.security_schemes:
        if scheme.kind == "unsupported" or scheme.key == primary.key:
            continue
        argument = snake(scheme.key)
        while argument in taken or keyword.iskeyword(argument):
            argument += "_key"
        taken.add(argument)
        result.append(Credential(scheme, argument))
    return tuple(result)


def default_requirement(api: Api) -> Requirement:
    """What an operation without its own ``security`` sends.

    The document's ``security`` when it has one. A document that declares schemes
    but no requirement anywhere still expects them: its primary scheme. Otherwise
    (only some operations declare one) nothing.
    """
    if api.requirement is not None:
        return usable_requirement(api, api.requirement)
    primary = auth_scheme(api)
    if primary is not None and all(operation.requirement is None for operation in api.operations):
        return ((primary.key,),)
    return ()


def usable_requirement(api: Api, requirement: Requirement) -> Requirement:
    """The alternatives the client can send (those naming an unsupported scheme are left out)."""
    usable = {scheme.key for scheme in api.security_schemes if scheme.kind != "unsupported"}
    kept = tuple(alternative for alternative in requirement if all(key in usable for key in alternative))
    return kept if kept or not requirement else ()


def operation_requirement(api: Api, operation: Operation) -> Requirement:
    """What this operation sends: its own requirement, the document's, or the primary scheme."""
    if operation.requirement is None:
        return default_requirement(api)
    return usable_requirement(api, operation.requirement)


def api_key_required(api: Api) -> bool:
    """Whether a client is no use without ``api_key``: some operation cannot be called without it."""
    primary = auth_scheme(api)
    if primary is None:
        return False
    if not api.operations:
        return True
    requirements = [operation_requirement(api, operation) for operation in api.operations]
    return any(
        requirement and all(primary.key in alternative for alternative in requirement) for requirement in requirements
    )


def covered_by_auth(parameter: Parameter, scheme: SecurityScheme | None) -> bool:
    """A parameter that duplicates the security scheme becomes client-level auth."""
    if scheme is None or scheme.kind not in AUTH_PLACEMENT:
        return False
    location, name = AUTH_PLACEMENT[scheme.kind]
    return parameter.location == location and parameter.name.lower() == (name or scheme.name).lower()


def _is_idempotency_key(parameter: Parameter) -> bool:
    return parameter.location == "header" and parameter.name.lower() == IDEMPOTENCY_HEADER.lower()


def declares_idempotency_key(operation: Operation) -> bool:
    """The operation takes an ``Idempotency-Key`` header (any case): the client makes one per call.

    Stainless's clients do the same: a key made once per call and sent on every
    attempt lets the server recognise a retry, so the call is retried safely.
    """
    return any(_is_idempotency_key(parameter) for parameter in operation.parameters)


#: Where the client makes an idempotency key for each call not given one: ``declared``, operations that
#: declare an ``Idempotency-Key`` header; ``unsafe``, every operation whose method is not idempotent too.
IdempotencyKeys = Literal["declared", "unsafe"]


def makes_idempotency_key(operation: Operation, policy: IdempotencyKeys = "declared") -> bool:
    """Whether the client makes an idempotency key for each call of ``operation`` that is not given one."""
    return declares_idempotency_key(operation) or (policy == "unsafe" and not operation.idempotent)


def visible_parameters(operation: Operation, scheme: SecurityScheme | None) -> list[Parameter]:
    """The parameters a method takes as arguments, in the spec's order. A declared ``Idempotency-Key``
    header is the ``idempotency_key`` argument every non-idempotent method has, not one of its own."""
    return [
        parameter
        for parameter in operation.parameters
        if not covered_by_auth(parameter, scheme) and not _is_idempotency_key(parameter)
    ]


def response_kind(media_type: str | None) -> ResponseKind:
    """How a success body is read: parsed JSON (SSE events are JSON too), text, bytes or nothing."""
    if media_type is None:
        return "none"
    if is_json_media(media_type) or stream_format(media_type) is not None:
        return "json"
    if media_essence(media_type).startswith("text/"):
        return "text"
    return "bytes"
