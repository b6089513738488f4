"""clientgen as other repositories get it: a built wheel, installed (not editable) into a fresh venv.

Slow (builds a wheel and installs its dependencies), so marked ``slow``; it
still runs in the suite. ``pytest -m "not slow"`` skips it while iterating.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.paths import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

SOURCES = ("pyproject.toml", "README.md", "LICENSE", "generator", "templates")


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(arg) for arg in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def _clean_env() -> dict[str, str]:
    """The environment without anything that would put this checkout on the import path."""
    return {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}


@pytest.mark.packaging
def test_built_wheel_installed_in_a_fresh_venv_generates_anywhere(tmp_path: Path) -> None:
    # Build from a copy of exactly what a release ships, so nothing else in the checkout can help.
    source = tmp_path / "source"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, source / name)
    dist = tmp_path / "dist"
    _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--quiet",
        "--disable-pip-version-check",
        "--no-deps",
        "--wheel-dir",
        dist,
        source,
        cwd=tmp_path,
    )
    (wheel,) = dist.glob("clientgen-*.whl")

    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    _run(
        python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel, cwd=tmp_path, env=_clean_env()
    )
    shutil.rmtree(source)  # the installed clientgen must not need its source tree

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(ROOT / "spec" / "bctrl.yaml", elsewhere / "openapi.yaml")
    env = _clean_env()
    located = _run(python, "-c", "import generator, jinja2; print(generator.__file__)", cwd=elsewhere, env=env).stdout
    assert Path(located.strip()).is_relative_to(venv)
    # The configuration's JSON Schema ships beside the package, for editors.
    schema = Path(located.strip()).parent / "clientgen.schema.json"
    assert schema.is_file() and schema.read_bytes() == (ROOT / "generator" / "clientgen.schema.json").read_bytes()
    version = _run(venv / "bin" / "clientgen", "--version", cwd=elsewhere, env=env).stdout
    assert version.strip().startswith("clientgen ")

    _run(
        venv / "bin" / "clientgen",
        "generate",
        "openapi.yaml",
        "--package",
        "x",
        "--output",
        "out/x",
        cwd=elsewhere,
        env=env,
    )
    assert (elsewhere / "out" / "x" / "_manifest.json").is_file()
    checked = _run(venv / "bin" / "clientgen", "check", "out/x", cwd=elsewhere, env=env)
    assert "up to date" in checked.stdout

    # The package imports and its clients construct (with this interpreter: it has httpx2 and pydantic).
    probe = "import x\nfrom x import X, AsyncX\nfrom x.typed_client import TypedX\nX(api_key='k'); TypedX(api_key='k'); print('ok')"
    imported = _run(sys.executable, "-c", probe, cwd=elsewhere, env={**env, "PYTHONPATH": str(elsewhere / "out")})
    assert imported.stdout.strip() == "ok"


def test_every_generator_package_ships_in_the_wheel() -> None:
    """pyproject.toml lists the packages explicitly (templates/ is mapped in): a new subpackage must be listed."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = set(config["tool"]["setuptools"]["packages"])
    present = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "generator").rglob("__init__.py")
        if "__pycache__" not in path.parts
    }
    assert present <= listed, f"add to [tool.setuptools] packages: {sorted(present - listed)}"
    assert config["tool"]["setuptools"]["package-dir"]["generator.templates"] == "templates"
