"""ruff keeps generator/, tests/ and the runtime template clean, and generator/ and tests/ formatted.

Settings are in pyproject.toml. The runtime template is formatted by black, like
all generated code (tests/output/test_generated.py checks that).
"""

from __future__ import annotations

import subprocess
import sys

from support.paths import ROOT

FORMATTED = ["generator", "tests"]
CHECKED = [*FORMATTED, "templates/package/_runtime"]


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_ruff_check() -> None:
    result = _ruff("check", "--no-cache", *CHECKED)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr


def test_ruff_format() -> None:
    result = _ruff("format", "--check", "--no-cache", *FORMATTED)
    assert result.returncode == 0, f"run `ruff format {' '.join(FORMATTED)}`:\n" + result.stdout[-4000:] + result.stderr
