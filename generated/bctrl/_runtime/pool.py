"""The HTTP client a client and its ``with_options`` copies share, renewed in a child
process after ``os.fork``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from typing import Generic, TypeVar

import httpx2 as httpx

from .errors import ClientClosedError, ForkedClientError

#: Bumped in a child process after fork: pooled connections belong to the parent.
_FORK_GENERATION = [0]


def _after_fork_in_child() -> None:
    _FORK_GENERATION[0] += 1


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)

#: The HTTP client a client family sends with: ``httpx.Client`` or ``httpx.AsyncClient``.
HttpClientT = TypeVar("HttpClientT", httpx.Client, httpx.AsyncClient)


class Pool(Generic[HttpClientT]):
    """The HTTP client a client and its ``with_options`` copies share.

    After a fork, a pool this package made is replaced by a fresh one (its
    connections are the parent's); a pool you passed in cannot be, so using
    it is an error rather than reading another process's responses.
    """

    def __init__(
        self,
        given: HttpClientT | None,
        factory: Callable[[], HttpClientT],
        preset: Mapping[str, str],
    ) -> None:
        self.owned = given is None
        #: Headers the HTTP client sends on every request by itself: those this
        #: package set on a client it made (none on yours).
        self.preset: Mapping[str, str] = preset if given is None else {}
        self._factory: Callable[[], HttpClientT] = factory
        self.client: HttpClientT = factory() if given is None else given
        self._generation = _FORK_GENERATION[0]
        self._lock = threading.Lock()

    def get(self) -> HttpClientT:
        if self._generation != _FORK_GENERATION[0]:
            self._renew()
        client = self.client
        if client.is_closed:
            raise ClientClosedError("This client has been closed; create a new one.")
        return client

    def _renew(self) -> None:
        with self._lock:
            if self._generation == _FORK_GENERATION[0]:
                return
            if not self.owned:
                raise ForkedClientError(
                    "This client's http_client was created before os.fork(); its "
                    "connections belong to the parent. Create the client (and its "
                    "http_client) in the child process."
                )
            self.client = self._factory()  # the parent's pool is left untouched
            self._generation = _FORK_GENERATION[0]


def check_http_client(given: object, expected: type[object]) -> None:
    if given is not None and not isinstance(given, expected):
        raise TypeError(
            f"Invalid http_client argument: expected an instance of "
            f"`{httpx.__name__}.{expected.__name__}`, got {type(given).__module__}."
            f"{type(given).__qualname__}"
        )
