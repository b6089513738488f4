"""Golden files: each case regenerates byte for byte (or stops with its expected error)."""

from __future__ import annotations

import pytest
from goldens import case_names, describe_mismatch, expected, run_case
from support.paths import suite_cache


@pytest.mark.parametrize("name", case_names())
def test_golden_case(name: str) -> None:
    want = expected(name)
    got = run_case(name, suite_cache())
    assert want == got, (
        f"golden case {name!r} differs (regenerate with `nox -s update-goldens`):\n" + describe_mismatch(want, got)
    )
