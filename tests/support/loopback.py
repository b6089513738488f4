"""The loopback package: generated from tests/runtime/loopback.yaml, driven by variant.

``tests/runtime/loopback.yaml`` describes every shape of call the runtime makes
(JSON, forms, uploads, SSE, text, bytes, 204, path/header/cookie parameters, every
auth scheme). :func:`generate_loopback` runs the pipeline on it; :class:`Api`
drives one of its three clients the same way for sync, async and typed.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

from generator.config import client_config
from generator.pipeline import generate
from generator.write import write_tree
from support.paths import TESTS, suite_cache
from support.server import ScriptedServer

SPEC = TESTS / "runtime" / "loopback.yaml"
HTTP_MODULES = ("httpx2", "httpx")
Kind = Literal["sync", "async", "typed", "async_typed"]
KINDS: tuple[Kind, ...] = ("sync", "async", "typed", "async_typed")
CLASSES = {"sync": "Loopback", "async": "AsyncLoopback", "typed": "TypedLoopback", "async_typed": "AsyncTypedLoopback"}
#: A thing as the loopback API returns it.
THING = {"id": "t1", "status": "ready"}


def value(result: Any, name: str) -> Any:
    """A field of a result, whether a model (pydantic clients) or a dict (typed client)."""
    return result[name] if isinstance(result, dict) else getattr(result, name)


def retry_counts(server: ScriptedServer) -> list[str]:
    """The X-Retry-Count header of every request the server received."""
    return [request.headers.get("x-retry-count", "<missing>") for request in server.requests]


def generate_loopback(http_module: str, root: Path) -> str:
    """Generate the loopback package for one HTTP library under ``root``; its name."""
    name = f"loopback_{http_module}"
    config = client_config(
        name=name,
        spec=SPEC,
        package=name,
        output=root / name,
        client_class="Loopback",
        async_client_class="AsyncLoopback",
        typed_client_class="TypedLoopback",
        async_typed_client_class="AsyncTypedLoopback",
        env_prefix="LOOPBACK",
        http_module=http_module,
    )
    write_tree(config.output, generate(config, cache=suite_cache()).files)
    return name


class Api:
    """One variant of the generated client, on one HTTP library, against ``server``.

    ``api.run(x)`` returns ``x`` for the sync clients and awaits it on a per-test
    event loop for the async one, so ``api.run(client.things.retrieve("1"))``
    works for all three.
    """

    def __init__(
        self,
        package: ModuleType,
        http_module: str,
        kind: Kind,
        server: ScriptedServer,
        classes: Mapping[Kind, str] = CLASSES,
    ) -> None:
        self.package = package
        self.classes = classes
        self.rt: Any = package._runtime
        self.httpx: Any = importlib.import_module(http_module)
        self.http_module = http_module
        self.kind = kind
        self.server = server
        self.loop = asyncio.new_event_loop() if kind in ("async", "async_typed") else None
        self._clients: list[Any] = []

    @property
    def is_async(self) -> bool:
        return self.kind in ("async", "async_typed")

    @property
    def is_typed(self) -> bool:
        """Results are plain dicts (TypedDicts), not pydantic models."""
        return self.kind in ("typed", "async_typed")

    @property
    def client_class(self) -> Any:
        return getattr(self.package, self.classes[self.kind])

    def error(self, name: str) -> type[Exception]:
        error: type[Exception] = getattr(self.package, name)
        return error

    def client(self, **kwargs: Any) -> Any:
        kwargs.setdefault("base_url", self.server.url)
        kwargs.setdefault("api_key", "sk-test-123")
        client = self.client_class(**kwargs)
        self._clients.append(client)
        return client

    def http_client(self, **kwargs: Any) -> Any:
        return self.httpx.AsyncClient(**kwargs) if self.is_async else self.httpx.Client(**kwargs)

    def run(self, value: Any) -> Any:
        if self.loop is not None and asyncio.iscoroutine(value):
            return self.loop.run_until_complete(value)
        return value

    def collect(self, stream: Any) -> list[Any]:
        if self.loop is None:
            with stream:
                return list(stream)

        async def gather() -> list[Any]:
            async with stream:
                return [item async for item in stream]

        return self.loop.run_until_complete(gather())

    def close(self) -> None:
        for client in self._clients:
            self.run(client.close())
        if self.loop is not None:
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
            self.loop.close()
