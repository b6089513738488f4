"""tests/documents_with_errors/: hostile and broken documents, each with the outcome it must have.

A document either generates a package that compiles, imports with warnings
as errors and passes ``mypy --strict`` (exit 0), or is refused with exactly
one located line (exit 2); never a traceback, never anything half-written.
"""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.cli import clientgen
from support.package_check import compile_and_import_each, mypy_strict
from support.paths import ROOT

from generator.cli import main

CASES_DIR = ROOT / "tests" / "documents_with_errors"
CASES: dict[str, dict[str, Any]] = yaml.safe_load((CASES_DIR / "expected.yaml").read_text(encoding="utf-8"))


def package_name(case: str) -> str:
    return "pkg_" + re.sub(r"\W+", "_", case).strip("_").lower()


@dataclass(frozen=True)
class Outcome:
    returncode: int
    stdout: str
    stderr: str


def run_case(case: str, output_root: Path) -> Outcome:
    """``clientgen generate`` on the case's document, in this process (the command line's
    exit status and output are the point, not the interpreter; test_cli.py runs it as a subprocess)."""
    spec = CASES[case]
    args = ["generate", str(CASES_DIR / spec.get("file", case))]
    args += ["--package", package_name(case), "--output", str(output_root / package_name(case))]
    if spec.get("lenient"):
        args.append("--lenient")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return Outcome(code, out.getvalue(), err.getvalue())


def test_every_document_has_an_expectation() -> None:
    files = {path.name for path in CASES_DIR.iterdir() if path.name != "expected.yaml"}
    covered = {spec.get("file", case) for case, spec in CASES.items()}
    assert files == covered


@pytest.mark.parametrize("case", sorted(name for name, spec in CASES.items() if spec["exit"] != 0))
def test_refused_with_one_located_line(case: str, tmp_path: Path) -> None:
    result = run_case(case, tmp_path)
    assert result.returncode == CASES[case]["exit"], result.stderr
    assert "Traceback" not in result.stderr
    assert "please report" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"clientgen: error: {CASES_DIR / CASES[case].get('file', case)}:"), lines[0]
    assert CASES[case]["message"] in lines[0]
    assert not (tmp_path / package_name(case)).exists()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("documents")
    for case, spec in CASES.items():
        if spec["exit"] == 0:
            result = run_case(case, root)
            assert result.returncode == 0, f"{case}: {result.stderr}"
            assert "Traceback" not in result.stderr
    return root


@pytest.fixture(scope="module")
def imported(generated: Path) -> dict[str, str | None]:
    """Each generated package imported with warnings as errors (all in one interpreter): its failure or None."""
    return compile_and_import_each(
        generated, *(package_name(case) for case, spec in CASES.items() if spec["exit"] == 0)
    )


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(name for name, spec in CASES.items() if spec["exit"] == 0))
def test_generates_an_importable_package(case: str, imported: dict[str, str | None]) -> None:
    assert imported[package_name(case)] is None, imported[package_name(case)]


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(name for name, spec in CASES.items() if spec["exit"] == 0))
def test_no_document_text_adds_a_line_to_the_api_listing(case: str, generated: Path) -> None:
    """hostile_text.json puts a forged resource, method and route in every string it can."""
    for line in (generated / package_name(case) / "api.txt").read_text(encoding="utf-8").split("\n"):
        assert not line.lstrip().startswith(("resource forged", "fake()", "GET /forged")), line
        assert line.isprintable(), repr(line)


@pytest.mark.slow
def test_generated_packages_pass_mypy_strict(generated: Path) -> None:
    packages = [package_name(case) for case, spec in CASES.items() if spec["exit"] == 0]
    report = mypy_strict(generated, *packages)
    assert report is None, report


@pytest.mark.parametrize("package", ["json", "typing", "httpx2", "httpx", "pydantic", "typing_extensions"])
def test_package_names_that_shadow_an_import_are_refused(package: str, tmp_path: Path) -> None:
    result = clientgen(
        "generate", CASES_DIR / "bom.json", "--package", package, "--output", tmp_path / package, cwd=ROOT
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "would shadow" in result.stderr
    assert not (tmp_path / package).exists()


def test_a_tag_named_like_a_client_attribute_leaves_the_client_working(tmp_path: Path) -> None:
    """keyword_tags.yaml has tags request, close, api_key, base_url, timeout, max_retries, with_options..."""
    result = run_case("keyword_tags.yaml", tmp_path)
    assert result.returncode == 0, result.stderr
    package = package_name("keyword_tags.yaml")
    script = (
        f"import sys; sys.path.insert(0, {str(tmp_path)!r})\n"
        f"from {package}.client import {package.title().replace('_', '')} as Client\n"
        "from httpx2 import Timeout\n"
        "client = Client(api_key='k', base_url='http://127.0.0.1:9', timeout=3.0, max_retries=1)\n"
        "assert callable(client.request) and callable(client.close) and callable(client.with_options)\n"
        "assert not callable(client.api_key) and client.base_url.startswith('http://127.0.0.1:9')\n"
        "assert isinstance(client.timeout, Timeout) and client.max_retries == 1\n"
        "assert client.request_.__class__.__name__ == 'Request' and client.true.__class__.__name__ == 'TrueResource'\n"
        "client.close()\n"
    )
    check = subprocess.run([sys.executable, "-W", "error", "-c", script], capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stderr
