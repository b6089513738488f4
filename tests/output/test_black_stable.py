"""Every committed package, generated/ and each golden tree, is exactly what black and isort leave as it is.

Black runs only on what the templates cannot lay out (generator/keptlines.py):
this proves, on the files users get, that nothing the templates wrote is
something black would have written differently.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from goldens import CASES, case_names
from support.paths import GENERATED

from generator.format import format_source

PACKAGES = [GENERATED / "bctrl", GENERATED / "shop"] + [
    CASES / name / "expected" for name in case_names() if (CASES / name / "expected").is_dir()
]


@pytest.mark.slow
@pytest.mark.parametrize("package", PACKAGES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_every_module_is_black_and_isort_stable(package: Path) -> None:
    modules = sorted(path for path in package.rglob("*.py") if "_runtime" not in path.parts)
    assert modules
    for path in modules:
        text = path.read_text(encoding="utf-8")
        assert format_source(text, str(path)) == text, path
