"""Shared test setup: import paths, a private cache directory, the loopback server fixture, and which tests run.

Tests marked ``corpus`` or ``packaging`` are left out unless the ``-m`` expression
names their marker: ``nox -s corpus`` and ``nox -s packaging`` run them (and CI runs
those sessions), so the everyday suite stays within minutes.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

_TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(_TESTS))
# The generated packages are imported the way a vendoring project would: from their folder.
sys.path.insert(0, str(_TESTS.parent / "generated"))

from support.server import ScriptedServer, loopback_server

# The suite never reads or writes the user's cache: every run (and every CLI
# subprocess it starts, which inherits the environment) gets a fresh one. The
# xdist workers inherit it from the process that started them, so a package one
# worker formatted is not formatted again by the other.
_SHARED = "CLIENTGEN_TEST_CACHE_DIR"
_OWNER = _SHARED not in os.environ
_CACHE = os.environ.setdefault(_SHARED, tempfile.mkdtemp(prefix="clientgen-test-cache-"))
os.environ["CLIENTGEN_CACHE_DIR"] = _CACHE

#: Markers of tests that run in a nox session of their own, not in the suite.
SESSION_MARKERS = ("corpus", "packaging")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    expression = config.getoption("markexpr", "") or ""
    left_out = [marker for marker in SESSION_MARKERS if marker not in expression]
    if not left_out:
        return
    kept, deselected = [], []
    for item in items:
        (deselected if any(item.get_closest_marker(marker) for marker in left_out) else kept).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _OWNER and not hasattr(session.config, "workerinput"):
        shutil.rmtree(_CACHE, ignore_errors=True)


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    yield from loopback_server()
