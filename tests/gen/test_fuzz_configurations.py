"""Property-based: any configuration hypothesis draws (hostile names, random pagination settings and
paging extensions) is refused with one located line, or generates a package that compiles, imports and
passes mypy --strict, in which no paginated method sends a parameter its operation lacks.

A few examples here keep the suite fast; ``nox -s fuzz`` runs this property beside the documents' for
minutes (``tests/fuzz_run.py``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from support.fuzzconfigs import check_configuration, configurations
from support.package_check import mypy_cache_dir

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def mypy_cache() -> Path:
    return mypy_cache_dir()  # the run's, shared with every other mypy check


@settings(
    max_examples=int(os.environ.get("CLIENTGEN_FUZZ_CONFIG_EXAMPLES", "10")),
    deadline=None,
    derandomize=True,  # the suite is deterministic; nox -s fuzz explores
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    database=None,
)
@given(drawn=configurations())
def test_any_configuration_generates_checked_code_or_one_located_error(
    drawn: tuple[str, str], mypy_cache: Path
) -> None:
    check_configuration(*drawn, mypy_cache)
