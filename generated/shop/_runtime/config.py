"""The client's configuration as generated code declares it: auth schemes, security
requirements, ``ClientConfig``, and ``Route`` (which methods are idempotent, and how
its parameters and body go on the wire where that is not their location's default:
``Param`` and ``Part``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

from .rules import IDEMPOTENT_METHODS, AuthKind


@dataclass(frozen=True)
class AuthScheme:
    """One security scheme of the API: how its credential travels.

    Where each kind sends it is ``rules.AUTH_PLACEMENT``: bearer:
    ``Authorization: Bearer <credential>``; basic: the credential is
    ``"user:password"``, or a bare key sent as the user with an empty password
    (``"sk_test:"``, as curl's ``-u key:``); header, query, cookie: ``<name>=<credential>`` there.
    ``scheme`` is the scheme's key in the document (what routes refer to);
    ``argument`` the client argument holding its credential, whose environment
    variable is ``<ENV_PREFIX>_<ARGUMENT>``.
    """

    kind: AuthKind
    name: str = ""
    scheme: str = ""
    argument: str = "api_key"


#: Alternatives, each a set of scheme keys that must all be sent together.
Security: TypeAlias = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class ClientConfig:
    client_name: str
    env_prefix: str
    environments: Mapping[str, str]
    auth: tuple[AuthScheme, ...]
    api_key_required: bool
    user_agent: str
    package_version: str
    #: What an operation without its own ``security`` needs; None: the first scheme.
    security: Security | None = None


_PATH_PARAMETER = re.compile(r"\{([^{}]+)\}")


ParamLocation: TypeAlias = Literal["path", "query", "header", "cookie"]


@dataclass(frozen=True)
class Param:
    """How one parameter goes on the wire, where that is not its location's default.

    The defaults are OpenAPI's: ``form`` with ``explode`` in a query or a cookie,
    ``simple`` without it in a path or a header. ``style`` is OpenAPI's (``form``,
    ``spaceDelimited``, ``pipeDelimited``, ``deepObject``, ``simple``, ``label``,
    ``matrix``); ``explode`` None: the style's default; ``allow_reserved``: a query
    value keeps RFC 3986's reserved characters; ``media_type``: the parameter is
    described by ``content`` and its value is written in that media type (JSON).
    """

    location: ParamLocation
    name: str
    style: str | None = None
    explode: bool | None = None
    allow_reserved: bool = False
    media_type: str | None = None


@dataclass(frozen=True)
class Part:
    """The Encoding Object of one property of a form or multipart body.

    ``content_type``: the part's media type(s) as the document lists them
    (``image/png, image/jpeg``); ``style``, ``explode`` and ``allow_reserved``
    given: the property is written like a query parameter instead.
    """

    name: str
    content_type: str | None = None
    style: str | None = None
    explode: bool | None = None
    allow_reserved: bool = False


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    #: The operation's own security requirement; None: the API's default.
    security: Security | None = None
    #: Parameters not sent the default way of their location.
    params: tuple[Param, ...] = ()
    #: The request body's media type where the call does not imply it (JSON,
    #: url-encoded form, multipart/form-data, octet-stream are implied).
    media_type: str | None = None
    #: The body's Encoding Objects, per property.
    parts: tuple[Part, ...] = ()
    #: The operation declares an Idempotency-Key header: a call not given
    #: ``idempotency_key`` gets one made for it, the same on every attempt.
    makes_idempotency_key: bool = False
    #: Worked out once, when the module defining the route is imported:
    #: the method in capitals, and the path split at its parameters
    #: (literal, name, literal, ..., literal).
    verb: str = field(init=False, repr=False, compare=False)
    pieces: tuple[str, ...] = field(init=False, repr=False, compare=False)
    #: ``params`` by location and name, and ``parts`` by name.
    styles: Mapping[tuple[str, str], Param] = field(
        init=False, repr=False, compare=False
    )
    encodings: Mapping[str, Part] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "verb", self.method.upper())
        object.__setattr__(self, "pieces", tuple(_PATH_PARAMETER.split(self.path)))
        object.__setattr__(
            self, "styles", {(p.location, p.name): p for p in self.params}
        )
        object.__setattr__(self, "encodings", {part.name: part for part in self.parts})

    @property
    def idempotent(self) -> bool:
        return self.verb in IDEMPOTENT_METHODS
