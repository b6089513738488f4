"""The rules the runtime and clientgen share, one table each: which HTTP methods are
idempotent, the header an idempotency key travels in, and where each kind of auth
scheme sends its credential.

Only the standard library: clientgen loads this file from its templates to make the
same decisions while it generates (generator/contract.py), so the two cannot disagree.
"""

from __future__ import annotations

from typing import Literal, TypeAlias

#: Retried on 409, 5xx and dropped connections without an idempotency key
#: (RFC 9110 §9.2.2).
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
#: Where ``idempotency_key`` is sent; an operation declaring this header (any case)
#: gets a key made for each call (``Route.makes_idempotency_key``).
IDEMPOTENCY_HEADER = "Idempotency-Key"

AuthKind: TypeAlias = Literal["bearer", "basic", "header", "query", "cookie"]
AuthLocation: TypeAlias = Literal["header", "query", "cookie"]

#: Where each kind of scheme sends its credential, and under which name ("": the
#: scheme's own). bearer sends ``Bearer <credential>``; basic ``Basic <base64>`` of
#: ``user:password`` (a bare key is the user, with an empty password); the others
#: the credential as it is.
AUTH_PLACEMENT: dict[AuthKind, tuple[AuthLocation, str]] = {
    "bearer": ("header", "Authorization"),
    "basic": ("header", "Authorization"),
    "header": ("header", ""),
    "query": ("query", ""),
    "cookie": ("cookie", ""),
}
