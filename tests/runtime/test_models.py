"""Model support at run time: the typed client never imports pydantic; open enums and tagged
unions keep what they do not know.

Every test that takes ``api`` runs eight times: {httpx2, httpx} x {sync, async, typed,
async typed}, on the package clientgen generates from ``loopback.yaml`` (see conftest.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest


def test_the_typed_client_never_imports_pydantic(packages: dict[str, Any]) -> None:
    package = packages["httpx2"]
    folder = os.path.dirname(os.path.dirname(package.__file__))
    code = (
        "import sys\n"
        f"from {package.__name__}.typed_client import TypedLoopback\n"
        "TypedLoopback(api_key='k')\n"
        f"import {package.__name__}._runtime as rt\n"
        "parse = rt.model_parser(int)\n"
        "assert 'pydantic' not in sys.modules, 'imported too early'\n"
        "assert parse('5') == 5\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=folder, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


# Open enums and tolerant tagged unions (_runtime/models.py), without pydantic


def test_open_enums_keep_values_they_do_not_know(rt: Any) -> None:
    class Status(rt.OpenEnum):  # type: ignore[misc]
        READY = "ready"

    class Level(rt.OpenIntEnum):  # type: ignore[misc]
        LOW = 1

    assert Status("ready") is Status.READY
    paused = Status("paused")
    assert paused.value == "paused" and paused == "paused" and paused is not Status.READY
    assert Level(-3).value == -3 and Level(-3).name == "UNKNOWN_MINUS_3"
    for bad, enum_class in ((3, Status), ("3", Level), (2.5, Level)):
        with pytest.raises(ValueError):
            enum_class(bad)


def test_an_unknown_discriminator_is_tagged_unknown(rt: Any) -> None:
    tag = rt.variant_tag("kind", "kind_", ["circle", "square"])
    assert tag({"kind": "circle"}) == "circle"
    assert tag({"kind": "hexagon"}) == tag({}) == tag({"kind": 3}) == rt.UNKNOWN_VARIANT

    class Square:
        kind_ = "square"

    assert tag(Square()) == "square"
