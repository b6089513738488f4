"""The call-shape example packages: tests/data/shapes/*.yaml generated in-process, driven through ``Api``.

``chat_sse.yaml`` is OpenAI-like (an object body taken as keyword arguments, JSON
or server-sent events chosen by ``stream``, a cursor-paged list);
``chat_ndjson.yaml`` is Ollama-like (NDJSON unless ``stream`` is false).
"""

from __future__ import annotations

from pathlib import Path

from generator.config import client_config
from generator.pipeline import generate
from generator.write import write_tree
from support.loopback import Kind
from support.paths import TESTS, suite_cache

SHAPES = TESTS / "data" / "shapes"
#: The clients' classes in every example package.
SHAPE_CLASSES: dict[Kind, str] = {
    "sync": "Chat",
    "async": "AsyncChat",
    "typed": "TypedChat",
    "async_typed": "AsyncTypedChat",
}


def generate_shape(spec: str, root: Path, http_module: str = "httpx2") -> str:
    """Generate ``tests/data/shapes/<spec>.yaml`` as package ``<spec>`` under ``root``; its name."""
    config = client_config(
        name=spec,
        spec=SHAPES / f"{spec}.yaml",
        package=spec,
        output=root / spec,
        client_class=SHAPE_CLASSES["sync"],
        async_client_class=SHAPE_CLASSES["async"],
        typed_client_class=SHAPE_CLASSES["typed"],
        async_typed_client_class=SHAPE_CLASSES["async_typed"],
        env_prefix="CHAT",
        http_module=http_module,
    )
    write_tree(config.output, generate(config, cache=suite_cache()).files)
    return spec
