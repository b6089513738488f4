"""Publishable output (`project: {name, version}`), the package's versions, and clients without pydantic."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from support.cli import clientgen
from support.paths import GENERATED, ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

SPEC = ROOT / "spec" / "bctrl.yaml"


def make_project(root: Path, spec_text: str, project: str = "{name: bctrl-client, version: 1.2.0}") -> Path:
    (root / "bctrl.yaml").write_text(spec_text)
    (root / "clientgen.yaml").write_text(
        f"clients:\n  - package: bctrl\n    spec: bctrl.yaml\n    output: dist/bctrl-client\n    project: {project}\n"
    )
    result = clientgen("generate", cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "dist" / "bctrl-client"


@pytest.mark.packaging
def test_a_project_client_builds_into_a_wheel_with_its_versions(tmp_path: Path) -> None:
    out = make_project(tmp_path, SPEC.read_text())
    assert sorted(path.name for path in out.iterdir()) == ["README.md", "_manifest.json", "bctrl", "pyproject.toml"]
    assert clientgen("check", cwd=tmp_path).returncode == 0
    metadata = tomllib.loads((out / "pyproject.toml").read_text())["project"]
    assert (metadata["name"], metadata["version"]) == ("bctrl-client", "1.2.0")
    readme = (out / "README.md").read_text()
    assert (
        "pip install bctrl-client==1.2.0" in readme
        and "`client.invocations.wait(id)`" in readme
        and "BCTRL_API_KEY" in readme
    )

    versions = subprocess.run(
        [sys.executable, "-c", "import bctrl; print(bctrl.__version__, bctrl.API_VERSION)"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(out)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert versions.stdout.split() == ["1.2.0", "1.0.0"]

    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(out)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("bctrl_client-1.2.0-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {
        "bctrl/__init__.py",
        "bctrl/resources/invocations.py",
        "bctrl/typed_resources/invocations.py",
        "bctrl/py.typed",
        "bctrl/api.txt",
    } <= set(names)
    assert not any(name.startswith("_manifest") for name in names)


@pytest.mark.slow
def test_spec_text_cannot_break_the_project_files(tmp_path: Path) -> None:
    spec = yaml.safe_load(SPEC.read_text())
    spec["info"]["title"] = 'Evil"]\n[tool.x]\nrun = "boom" <script>alert(1)</script> `code` | pipe\x7f'
    spec["info"]["version"] = '2.0"\nname = "hijack'
    out = make_project(tmp_path, yaml.safe_dump(spec))
    pyproject = tomllib.loads((out / "pyproject.toml").read_text())
    assert set(pyproject) == {"build-system", "project", "tool"} and set(pyproject["tool"]) == {"setuptools"}
    assert pyproject["project"]["name"] == "bctrl-client" and "Evil" in pyproject["project"]["description"]
    readme = (out / "README.md").read_text()
    assert "<script" not in readme and "&lt;script" in readme  # no HTML can open
    assert not any(
        line.startswith(("name =", "[tool.x]", "run =")) for line in readme.splitlines()
    )  # spec text stays on its line


@pytest.mark.parametrize(
    "project", ["{name: 'bad name', version: 1.0.0}", "{name: ok, version: not-a-version}", "{name: ok}"]
)
def test_a_bad_project_setting_is_refused(tmp_path: Path, project: str) -> None:
    (tmp_path / "bctrl.yaml").write_bytes(SPEC.read_bytes())
    (tmp_path / "clientgen.yaml").write_text(
        f"clients:\n  - package: bctrl\n    spec: bctrl.yaml\n    project: {project}\n"
    )
    result = clientgen("generate", cwd=tmp_path)
    # Located at the value's own line and pointer (the flow mapping is on line 4).
    assert result.returncode == 2 and "clientgen.yaml:4 (/clients/0/project" in result.stderr, result.stderr
    assert "): project: " in result.stderr and result.stderr.count("\n") == 1


def test_without_a_project_the_version_is_the_apis() -> None:
    init = (GENERATED / "bctrl" / "__init__.py").read_text()
    assert '__version__ = "1.0.0"\nAPI_VERSION = "1.0.0"\n' in init


@pytest.mark.parametrize(
    "statement", ["from bctrl import Bctrl", "from bctrl import AsyncBctrl", "from bctrl.client import Bctrl"]
)
def test_without_pydantic_a_model_client_says_what_to_do(statement: str) -> None:
    # sys.modules[name] = None makes every import of pydantic fail, as on a machine without it.
    probe = f"import sys\nsys.modules['pydantic'] = None\ntry:\n    {statement}\nexcept ImportError as error:\n    print(type(error).__name__, error)\n"
    probe += "from bctrl.typed_client import TypedBctrl\nTypedBctrl(api_key='k')\nprint('typed ok')\n"
    result = subprocess.run([sys.executable, "-c", probe], cwd=GENERATED, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.splitlines()
    assert first.startswith("ImportError ") and not first.startswith("ModuleNotFoundError")
    assert (
        "need pydantic v2 (pip install pydantic)" in first and "bctrl.typed_client.TypedBctrl works without it" in first
    )
    assert second == "typed ok"


def test_the_project_readme_spells_every_method_as_it_is_called(tmp_path: Path) -> None:
    out = make_project(tmp_path, (ROOT / "tests" / "golden" / "spec_names" / "spec.yaml").read_text())
    readme = (out / "README.md").read_text()
    # A method of the client itself, and methods of nested resources, by their whole path.
    assert "`client.chat()`" in readme and "`client.users.admin.all()`" in readme, readme
    assert "`client.models.retrieve(model_id)`" in readme and "`client..chat" not in readme
