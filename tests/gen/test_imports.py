"""Each command imports what it uses: a process pays for every import before it does any work (issue 22).

``clientgen diff`` analyses and compares: it needs neither the templates (jinja2), the model writer nor the
formatters; the no-op ``check`` needs none of the pipeline. The validators of record are imported only when a
document is invalid, or when the fast path cannot vouch for it (see tests/gen/test_validate.py).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

_GENERATION_ONLY = ("jinja2", "black", "isort", "generator.models", "generator.render", "generator.format")
_VALIDATORS = ("openapi_spec_validator", "openapi_schema_validator", "jsonschema")


def imported(modules: list[str]) -> set[str]:
    """Every module loaded by importing ``modules`` in a fresh interpreter."""
    script = "import sys\n" + "".join(f"import {module}\n" for module in modules) + "print('\\n'.join(sys.modules))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(result.stdout.split())


@pytest.mark.parametrize(
    ("command", "forbidden"),
    [
        (
            ["generator.commands.diff", "generator.diff.command", "generator.diff.report"],
            _GENERATION_ONLY + _VALIDATORS,
        ),
        (["generator.commands.check"], (*_GENERATION_ONLY, *_VALIDATORS, "generator.pipeline")),
    ],
    ids=["diff", "check"],
)
def test_a_command_imports_only_what_it_uses(command: list[str], forbidden: tuple[str, ...]) -> None:
    loaded = imported(["generator.cli", *command])
    assert command[0] in loaded
    assert sorted(name for name in forbidden if name in loaded) == []
