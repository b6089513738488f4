"""mypy --strict on generator/ and on the generated packages; pyright strict on generated code."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support.paths import GENERATED, ROOT


def _run(args: list[str], cwd: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600)


def test_mypy_strict_on_generator() -> None:
    result = _run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "generator"], ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_on_generated() -> None:
    packages = sorted(path.name for path in GENERATED.iterdir() if (path / "__init__.py").exists())
    args = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--python-version", "3.10"]
    for package in packages:
        args += ["-p", package]
    result = _run(args, GENERATED)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pyright_strict_on_generated() -> None:
    pyright = shutil.which("pyright", path=str(Path(sys.executable).parent)) or shutil.which("pyright")
    if pyright is None:
        pytest.skip("pyright is not installed (it comes with the dev extra)")
    config = ROOT / "tests" / "pyrightconfig.json"
    result = _run([pyright, "--pythonpath", sys.executable, "--pythonversion", "3.10", "-p", str(config)], ROOT)
    assert result.returncode == 0, result.stdout[-4000:]
