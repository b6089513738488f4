"""The README's client examples run, as written, against a fake bctrl on loopback."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
from support.fake_bctrl import fake_bctrl
from support.paths import GENERATED, ROOT


def _client_examples() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Using the clients", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.DOTALL)


EXAMPLES = _client_examples()


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    yield from fake_bctrl()


def test_readme_has_client_examples() -> None:
    assert len(EXAMPLES) >= 6


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_readme_example_runs(index: int, base_url: str) -> None:
    env = {
        **os.environ,
        "BCTRL_API_KEY": "readme-key",
        "BCTRL_BASE_URL": base_url,
        "SHOP_API_KEY": "readme-key",
        "SHOP_BASE_URL": base_url,
        "PYTHONPATH": str(GENERATED),
    }
    result = subprocess.run(
        [sys.executable, "-c", EXAMPLES[index]], cwd=GENERATED, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, f"README example {index + 1} failed:\n{EXAMPLES[index]}\n{result.stderr}"
    assert "Traceback" not in result.stderr
