"""The intermediate representation: what an API offers, independent of any output.

Frozen dataclasses only. Schemas stay JSON (``Mapping``) as the document wrote
them, with references to ``#/components/schemas/<key>``; every other kind of
reference (parameters, request bodies, responses) is already resolved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from generator.contract import IDEMPOTENT_METHODS

JSON = Any
ParameterLocation = Literal["path", "query", "header", "cookie"]
AuthKind = Literal["bearer", "header", "query", "cookie", "basic", "unsupported"]


@dataclass(frozen=True)
class Server:
    url: str
    description: str


@dataclass(frozen=True)
class SecurityScheme:
    """How an API key travels: ``kind`` and the header, query or cookie ``name``."""

    key: str
    kind: AuthKind
    name: str
    description: str


@dataclass(frozen=True)
class Parameter:
    name: str
    location: ParameterLocation
    required: bool
    schema: JSON
    description: str
    deprecated: bool
    style: str | None
    explode: bool | None
    pointer: str
    allow_reserved: bool = False
    #: A parameter described by ``content`` (not ``schema``): the media type its value is written in.
    media_type: str | None = None


@dataclass(frozen=True)
class Encoding:
    """The Encoding Object of one property of a form or multipart body."""

    content_type: str | None = None
    style: str | None = None
    explode: bool | None = None
    allow_reserved: bool = False


@dataclass(frozen=True)
class Body:
    media_type: str
    schema: JSON
    required: bool
    description: str
    pointer: str
    #: The media type's ``encoding``, by property name.
    encoding: Mapping[str, Encoding] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Response:
    status: str
    description: str
    media_type: str | None
    schema: JSON | None
    pointer: str
    headers: tuple[str, ...] = ()  # names of the headers it declares (``Link``...)
    #: A stream offered beside the JSON body (``text/event-stream``, ``application/x-ndjson``): its media
    #: type and the schema of one event or line; None when the response offers none, or only a stream.
    stream_media_type: str | None = None
    stream_schema: JSON | None = None

    @property
    def is_success(self) -> bool:
        return self.status.startswith("2") or self.status.upper() == "2XX"


@dataclass(frozen=True)
class Operation:
    operation_id: str | None
    method: str
    path: str
    summary: str
    description: str
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    body: Body | None
    responses: tuple[Response, ...]
    security: tuple[str, ...]  # every scheme key the operation may use, flattened
    deprecated: bool
    sunset: str | None
    pointer: str
    #: The operation's own security requirement as written: alternatives, each the
    #: schemes sent together. None when the operation declares none.
    requirement: tuple[tuple[str, ...], ...] | None = None
    extensions: Mapping[str, JSON] = field(
        default_factory=dict, hash=False, compare=False
    )  # the extensions clientgen reads (``extensions.READ``) that passed their rules; no other ``x-`` key

    @property
    def idempotent(self) -> bool:
        return self.method in IDEMPOTENT_METHODS

    @property
    def key(self) -> str:
        """``METHOD /path``: how people name an endpoint."""
        return f"{self.method} {self.path}"

    @property
    def successes(self) -> tuple[Response, ...]:
        """The responses a call may return: the 2xx ones, or ``default`` when there is no 2xx."""
        found = tuple(response for response in self.responses if response.is_success)
        return found or tuple(response for response in self.responses if response.status == "default")

    @property
    def may_succeed_without_body(self) -> bool:
        """Whether a success response without content is documented (a 204 beside a 200 with a body):
        a call may then return None, and its return type must say so."""
        return any(response.media_type is None for response in self.successes)

    @property
    def success(self) -> Response | None:
        """The response whose media type decides how a call reads its body: the first success with content."""
        successes = self.successes
        with_content = [response for response in successes if response.media_type is not None]
        candidates = with_content or list(successes)
        return candidates[0] if candidates else None


@dataclass(frozen=True)
class Api:
    title: str
    version: str
    description: str
    openapi_version: str
    servers: tuple[Server, ...]
    security_schemes: tuple[SecurityScheme, ...]
    operations: tuple[Operation, ...]
    schemas: Mapping[str, JSON]
    #: The document's security requirement (see ``Operation.requirement``); None when absent.
    requirement: tuple[tuple[str, ...], ...] | None = None
