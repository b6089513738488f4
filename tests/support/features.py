"""The features package: generated from tests/features/paging.yaml, for pagination, logging and streaming tests."""

from __future__ import annotations

import asyncio
import importlib
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

from generator.config import client_config
from generator.pipeline import generate
from generator.write import write_tree
from support.paths import TESTS, suite_cache

SPEC = TESTS / "features" / "paging.yaml"
Kind = Literal["sync", "async", "typed", "async_typed"]
KINDS: tuple[Kind, ...] = ("sync", "async", "typed", "async_typed")
CLASSES = {"sync": "Paging", "async": "AsyncPaging", "typed": "TypedPaging", "async_typed": "AsyncTypedPaging"}
KEY = "sk-paging-secret-123"
#: A list with no pattern clientgen can detect, paged by configuration.
CONFIGURED = {"listConfiguredItems": {"style": "cursor", "param": "resume", "cursor": "resume_at", "items": "things"}}


def generate_features(root: Path, http_module: str = "httpx2") -> ModuleType:
    name = f"paging_{http_module}"
    config = client_config(
        name=name,
        spec=SPEC,
        package=name,
        output=root / name,
        client_class="Paging",
        async_client_class="AsyncPaging",
        typed_client_class="TypedPaging",
        async_typed_client_class="AsyncTypedPaging",
        env_prefix="PAGING",
        http_module=http_module,
        pagination=CONFIGURED,
    )
    write_tree(config.output, generate(config, cache=suite_cache()).files)
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    return importlib.import_module(name)


def is_async(kind: Kind) -> bool:
    return kind in ("async", "async_typed")


def run_with_client(
    package: ModuleType, kind: Kind, base_url: str, scenario: Callable[[Any], Any], **options: Any
) -> Any:
    """Run ``scenario(client)`` (a coroutine function for the async kinds) with a fresh client."""
    cls = getattr(package, CLASSES[kind])
    options = {"api_key": KEY, "base_url": base_url, **options}
    if is_async(kind):

        async def main() -> Any:
            async with cls(**options) as client:
                result = scenario(client)
                return await result if isinstance(result, Awaitable) else result

        return asyncio.run(main())
    with cls(**options) as client:
        return scenario(client)


def item_id(item: Any) -> str:
    return str(item["id"] if isinstance(item, dict) else item.id)
