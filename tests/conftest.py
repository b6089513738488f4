"""Shared test setup: import paths, the loopback server fixture, the corpus location."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
GENERATED = ROOT / "generated"
CORPUS = ROOT.parent / "shared" / "corpus"

sys.path.insert(0, str(TESTS))
# The generated packages are imported the way a vendoring project would: from their folder.
sys.path.insert(0, str(GENERATED))

from support.server import ScriptedServer, loopback_server  # noqa: E402


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    yield from loopback_server()


def corpus_file(name: str) -> Path:
    """A corpus document, or a skip when ../shared/corpus is not on this machine."""
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"corpus document {name} not available ({CORPUS} is absent on this machine)")
    return path
