"""openapi-python-client's baseline 3.0 and 3.1 specs generate (lenient), import under -W error and pass mypy --strict."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.cli import clientgen
from support.package_check import compile_and_import_each, mypy_strict
from support.paths import ROOT

pytestmark = pytest.mark.slow

PEER = ROOT / "tests" / "data" / "peer"
SPECS = {"peer_baseline_30": PEER / "baseline_openapi_3.0.json", "peer_baseline_31": PEER / "baseline_openapi_3.1.yaml"}


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("peer")
    for package, spec in SPECS.items():
        result = clientgen("generate", spec, "--package", package, "--output", root / package, "--lenient", cwd=root)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    return root


@pytest.fixture(scope="module")
def imported(packages: Path) -> dict[str, str | None]:
    return compile_and_import_each(packages, *SPECS)


@pytest.mark.parametrize("package", sorted(SPECS))
def test_imports_with_warnings_as_errors(imported: dict[str, str | None], package: str) -> None:
    assert imported[package] is None, imported[package]


def test_mypy_strict(packages: Path) -> None:
    report = mypy_strict(packages, *SPECS)
    assert report is None, report


def test_the_tag_true_is_a_resource(packages: Path) -> None:
    client = (packages / "peer_baseline_31" / "client.py").read_text(encoding="utf-8")
    assert "    def true(self) -> resources.TrueResource:\n" in client
