"""Fixtures for the runtime tests: the loopback package (support/loopback.py) on loopback servers.

The session generates tests/runtime/loopback.yaml with clientgen, once per HTTP
library; ``api`` drives its sync, async and typed clients against
:mod:`support.server`. ``RUNTIME_TEST_PACKAGES=DIR`` imports ``DIR/loopback_<http>``
instead (packages made by another clientgen, to check that a test fails there).
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from support.loopback import HTTP_MODULES, KINDS, Api, generate_loopback
from support.server import ScriptedServer, loopback_server


class _Packages(dict[str, ModuleType]):
    """The loopback package of each HTTP library, generated (or imported) when a test first asks for it:
    a worker that runs only httpx2's tests (the quick loop) never generates httpx's."""

    def __init__(self, root: Path, given: bool) -> None:
        super().__init__()
        self._root = root
        self._given = given
        sys.path.insert(0, str(root))

    def __missing__(self, http: str) -> ModuleType:
        name = f"loopback_{http}" if self._given else generate_loopback(http, self._root)
        package = self[http] = importlib.import_module(name)
        return package


@pytest.fixture(scope="session")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ModuleType]:
    given = os.environ.get("RUNTIME_TEST_PACKAGES")
    return _Packages(Path(given) if given else tmp_path_factory.mktemp("loopback"), bool(given))


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("LOOPBACK_"):
            monkeypatch.delenv(name)


@pytest.fixture
def second_server() -> Iterator[ScriptedServer]:
    """Another origin (another port) for redirect tests."""
    yield from loopback_server()


def _on(http: str, value: object) -> object:
    """A parameter for one HTTP library: httpx's repeat what httpx2's check, so the quick loop
    (``-m "not slow"``) runs all four clients on httpx2 and leaves httpx to the full suite."""
    return pytest.param(value, marks=pytest.mark.slow) if http != HTTP_MODULES[0] else value


@pytest.fixture(
    params=[_on(http, (http, kind)) for http in HTTP_MODULES for kind in KINDS], ids=lambda p: f"{p[0]}-{p[1]}"
)
def api(
    request: pytest.FixtureRequest,
    packages: dict[str, ModuleType],
    server: ScriptedServer,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Api]:
    http, kind = request.param
    package = packages[http]
    # Backoff is exercised by its own tests; elsewhere it only slows the suite down.
    monkeypatch.setattr(package._runtime.retries, "INITIAL_RETRY_DELAY", 0.001)
    monkeypatch.setattr(package._runtime.retries, "MAX_RETRY_DELAY", 0.01)
    driver = Api(package, http, kind, server)
    try:
        yield driver
    finally:
        driver.close()


@pytest.fixture(params=[_on(http, http) for http in HTTP_MODULES])
def rt(request: pytest.FixtureRequest, packages: dict[str, ModuleType]) -> Any:
    """The runtime package alone, for its pure functions."""
    return packages[request.param]._runtime
