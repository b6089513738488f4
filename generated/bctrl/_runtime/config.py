"""The client's configuration as generated code declares it: auth schemes, security
requirements, ``ClientConfig``, and ``Route`` (which methods are idempotent).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeAlias

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
Security: TypeAlias = "tuple[tuple[str, ...], ...]"


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


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    #: The operation's own security requirement; None: the API's default.
    security: Security | None = None
    #: The operation declares an Idempotency-Key header: a call not given
    #: ``idempotency_key`` gets one made for it, the same on every attempt.
    makes_idempotency_key: bool = False
    #: Worked out once, when the module defining the route is imported:
    #: the method in capitals, and the path split at its parameters
    #: (literal, name, literal, ..., literal).
    verb: str = field(init=False, repr=False, compare=False)
    pieces: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "verb", self.method.upper())
        object.__setattr__(self, "pieces", tuple(_PATH_PARAMETER.split(self.path)))

    @property
    def idempotent(self) -> bool:
        return self.verb in IDEMPOTENT_METHODS
