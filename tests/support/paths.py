"""Where things are, for tests: the repository, its generated packages, the shared corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent.parent
ROOT = TESTS.parent
GENERATED = ROOT / "generated"
CORPUS = ROOT.parent / "shared" / "corpus"


def corpus_file(name: str) -> Path:
    """A corpus document, or a skip when ../shared/corpus is not on this machine."""
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"corpus document {name} not available ({CORPUS} is absent on this machine)")
    return path
