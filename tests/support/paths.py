"""Where things are, for tests: the repository, its generated packages, the shared corpus, the suite's cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cache import Cache, open_cache

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


def suite_cache() -> Cache:
    """The suite's own cache (tests/conftest.py points ``CLIENTGEN_CACHE_DIR`` at it, fresh for each run).

    In-process generations pass it so that a module black formatted once in the
    run (in any worker) is not formatted again; the cache returns the bytes a
    miss computes, and tests/gen/test_cache.py proves cold, warm and uncached
    trees identical.
    """
    return open_cache()
