"""tests/configurations_with_errors/: hostile and broken configurations, each refused with one located line.

Run in-process (``cli.main``): a configuration is read before any spec, so each case costs milliseconds.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.paths import ROOT

from generator.cli import main
from generator.naming.identifiers import RUNTIME_NAMES
from generator.variants import VARIANTS, families, variants_of
from generator.view.clients import client_module

CASES_DIR = ROOT / "tests" / "configurations_with_errors"
CASES: dict[str, dict[str, Any]] = yaml.safe_load((CASES_DIR / "expected.yaml").read_text(encoding="utf-8"))
SPEC = ROOT / "spec" / "shop.yaml"


def test_every_configuration_has_an_expectation() -> None:
    files = {path.name for path in CASES_DIR.iterdir() if path.name != "expected.yaml"}
    assert files == set(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_refused_with_one_located_line(case: str, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["--config", str(CASES_DIR / case), "generate", "--no-cache"])
    err = capsys.readouterr().err
    assert status == CASES[case]["exit"], err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"clientgen: error: {CASES_DIR / case}:"), lines[0]
    assert CASES[case]["message"] in lines[0]
    assert "please report" not in err and "internal error" not in err
    assert not (CASES_DIR / "generated").exists()


def test_a_malformed_pyproject_is_reported_not_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """It used to read "no configuration found": the broken pyproject.toml was skipped while searching."""
    shutil.copy(CASES_DIR / "pyproject_malformed.toml", tmp_path / "pyproject.toml")
    (tmp_path / "sub").mkdir()
    previous = Path.cwd()
    try:
        import os

        os.chdir(tmp_path / "sub")
        status = main(["check"])
    finally:
        os.chdir(previous)
    err = capsys.readouterr().err
    assert status == 2
    assert err.strip().endswith("pyproject.toml:9: invalid TOML: Illegal character '\\n'"), err


def test_a_pyproject_without_our_table_is_still_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pyproject.toml").write_text('[project\nname = "not ours"\n')
    previous = Path.cwd()
    try:
        import os

        os.chdir(tmp_path)
        assert main(["check"]) == 2
    finally:
        os.chdir(previous)
    assert "no configuration found" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--package", "none"], "--package: 'none' reads like Python's None; choose another name"),
        (["--package", "false"], "--package: 'false' reads like Python's False; choose another name"),
        (["--package", "True"], "--package: 'True' is not a Python package name"),
        (["--package", "str"], "--package: 'str' would shadow the builtin 'str'; choose another name"),
        (
            ["--package", "shop", "--ignore", "a\nb"],
            "--ignore: must be a JSON pointer prefix or message fragment on one",
        ),
    ],
)
def test_options_are_checked_like_settings(
    options: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["generate", "--no-cache", str(SPEC), "--output", str(tmp_path / "out"), *options])
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1, err
    assert err.startswith(f"clientgen: error: {message}"), err
    assert not (tmp_path / "out").exists()


def test_the_runtime_names_a_client_class_may_not_take_are_those_its_modules_import() -> None:
    """``RUNTIME_NAMES`` is written out (reading templates on every run would cost a no-op run); it must not drift."""
    imported: set[str] = set()
    text = (ROOT / "templates" / "package" / "__init__.py.jinja").read_text()
    for block in re.findall(r"from \._runtime import \((.*?)\)", text, re.DOTALL):
        imported |= {name.strip() for name in block.split(",") if name.strip() and "{" not in name}
    # The client modules' runtime imports are data (variants as records): what each family's module view lists.
    names = {variant.class_setting: "Client" for variant in VARIANTS}
    for family in families(VARIANTS):
        imported |= set(client_module(variants_of(family, VARIANTS), (), names, "pkg", "httpx2").runtime_imports)
    assert imported == RUNTIME_NAMES
