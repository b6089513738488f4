"""Drive the three generated client variants through one interface in tests.

``Harness.call`` constructs a client, calls ``invocations.wait`` and closes it,
inside one event loop for the async client, so tests read the same for all.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

from generator.config import client_config
from generator.pipeline import generate
from generator.write import write_tree

from support.paths import GENERATED, ROOT

Kind = Literal["sync", "async", "typed", "async_typed"]
KINDS: tuple[Kind, ...] = ("sync", "async", "typed", "async_typed")
HTTP_MODULES = ("httpx2", "httpx")


def bctrl_package(http_module: str, workdir: Path) -> ModuleType:
    """generated/bctrl for httpx2 (the committed one); a fresh httpx build otherwise."""
    if http_module == "httpx2":
        if str(GENERATED) not in sys.path:
            sys.path.insert(0, str(GENERATED))
        return importlib.import_module("bctrl")
    name = f"bctrl_{http_module}"
    config = client_config(
        name=name,
        spec=ROOT / "spec" / "bctrl.yaml",
        renames=ROOT / "spec" / "bctrl.renames.yaml",
        package=name,
        output=workdir / name,
        client_class="Bctrl",
        async_client_class="AsyncBctrl",
        typed_client_class="TypedBctrl",
        async_typed_client_class="AsyncTypedBctrl",
        env_prefix="BCTRL",
        http_module=http_module,
        environments={"production": "https://api.bctrl.ai", "local": "http://localhost:8787"},
    )
    write_tree(config.output, generate(config).files)
    sys.path.insert(0, str(workdir))
    return importlib.import_module(name)


@dataclass
class Harness:
    package: ModuleType
    kind: Kind

    @property
    def client_class(self) -> Any:
        name = {"sync": "Bctrl", "async": "AsyncBctrl", "typed": "TypedBctrl", "async_typed": "AsyncTypedBctrl"}[self.kind]
        return getattr(self.package, name)

    @property
    def is_async(self) -> bool:
        return self.kind in ("async", "async_typed")

    @property
    def is_typed(self) -> bool:
        """Results are plain dicts (TypedDicts), not pydantic models."""
        return self.kind in ("typed", "async_typed")

    def error(self, name: str) -> type[Exception]:
        error: type[Exception] = getattr(self.package, name)
        return error

    def call(self, base_url: str, *args: Any, client: dict[str, Any] | None = None, raw: bool = False, **kwargs: Any) -> Any:
        options = {"api_key": "test-key", "base_url": base_url, **(client or {})}
        if self.is_async:

            async def run() -> Any:
                async with self.client_class(**options) as instance:
                    target = instance.with_raw_response if raw else instance
                    return await target.invocations.wait(*args, **kwargs)

            return asyncio.run(run())
        with self.client_class(**options) as instance:
            target = instance.with_raw_response if raw else instance
            return target.invocations.wait(*args, **kwargs)
