"""Shared test setup: import paths, a private cache directory and the loopback server fixture."""

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

from support.server import ScriptedServer, loopback_server  # noqa: E402

# The suite never reads or writes the user's cache: every run (and every CLI
# subprocess it starts, which inherits the environment) gets a fresh one.
_CACHE = tempfile.mkdtemp(prefix="clientgen-test-cache-")
os.environ["CLIENTGEN_CACHE_DIR"] = _CACHE


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(_CACHE, ignore_errors=True)


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    yield from loopback_server()
