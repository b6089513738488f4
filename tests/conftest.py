"""Shared test setup: import paths and the loopback server fixture."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

_TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(_TESTS))
# The generated packages are imported the way a vendoring project would: from their folder.
sys.path.insert(0, str(_TESTS.parent / "generated"))

from support.server import ScriptedServer, loopback_server


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    yield from loopback_server()
