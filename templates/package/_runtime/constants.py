"""Sentinels, type aliases and defaults the whole runtime shares: ``NOT_GIVEN``, the
response kinds, the default timeout and retry count, the wrappers' marker headers.
"""

from __future__ import annotations

from typing import ClassVar, Literal, ParamSpec, TypeAlias, TypeVar

import httpx2 as httpx  # clientgen: http-module

T = TypeVar("T")
P = ParamSpec("P")

ResponseKind: TypeAlias = Literal["json", "text", "bytes", "none"]


class NotGiven:
    """Sentinel type for "this argument was left out" (distinct from ``None``)."""

    _instance: ClassVar[NotGiven | None] = None

    def __new__(cls) -> NotGiven:  # noqa: PYI034 - one instance, never a subclass
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __copy__(self) -> NotGiven:
        return self

    def __deepcopy__(self, memo: object) -> NotGiven:
        return self

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()

TimeoutArg: TypeAlias = float | httpx.Timeout | None | NotGiven
#: Re-exported so generated signatures can say ``timeout: Timeout | float | None``.
Timeout = httpx.Timeout

#: Default timeout: 60 s for each attempt, connection establishment within 5 s.
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
#: Pages one walk of a paginated list may fetch (``max_pages=``).
DEFAULT_MAX_PAGES = 10_000
#: Bytes a compressed response body may decode to (``max_decompressed_bytes=``): 100 MiB.
DEFAULT_MAX_DECOMPRESSED_BYTES = 100 * 1024 * 1024
#: Marker header used by the raw-response wrappers; never sent on the wire.
RAW_RESPONSE_HEADER = "X-Clientgen-Raw-Response"
STREAM_RESPONSE_HEADER = "X-Clientgen-Stream-Response"


def is_given(value: object) -> bool:
    return value is not None and not isinstance(value, NotGiven)
