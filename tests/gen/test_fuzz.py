"""Property-based: any document hypothesis draws generates a checked package or is refused with one located line.

A few examples here keep the suite fast; ``nox -s fuzz`` runs this property
for minutes (``tests/fuzz_run.py``). Every failure it finds becomes a
document in tests/documents_with_errors/.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from support.fuzzdocs import check_document, documents
from support.package_check import mypy_cache_dir

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def mypy_cache() -> Path:
    return mypy_cache_dir()  # the run's, shared with every other mypy check


@pytest.mark.filterwarnings("ignore:The recursion limit will not be reset")
@settings(
    max_examples=int(os.environ.get("CLIENTGEN_FUZZ_EXAMPLES", "6")),
    deadline=None,
    derandomize=True,  # the suite is deterministic; nox -s fuzz explores
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    database=None,
)
@given(text=documents())
def test_any_document_generates_checked_code_or_one_located_error(text: str, mypy_cache: Path) -> None:
    check_document(text, mypy_cache)
