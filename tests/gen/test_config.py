"""Where the configuration lives and what it may say: pyproject.toml, clientgen.yaml, spec/clientgen.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.cli import clientgen
from support.paths import ROOT

from generator import __version__

SPEC = ROOT / "tests" / "golden" / "no_operation_ids" / "spec.yaml"

PYPROJECT = """\
[project]
name = "myapp"
version = "1.0.0"

[tool.clientgen]
clientgen_version = "{requirement}"

[[tool.clientgen.clients]]
name = "demo"
spec = "openapi/demo.yaml"
package = "demo"
output = "src/myapp/_vendor/demo"
http_module = "httpx"
{extra}
[tool.clientgen.clients.environments]
production = "https://api.example.com"
"""


def make_project(root: Path, requirement: str = ">=0.1", extra: str = "") -> Path:
    (root / "openapi").mkdir(parents=True)
    (root / "openapi" / "demo.yaml").write_bytes(SPEC.read_bytes())
    (root / "src" / "myapp" / "deep" / "er").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT.format(requirement=requirement, extra=extra))
    return root / "src" / "myapp" / "deep" / "er"


@pytest.mark.slow
def test_a_pyproject_only_project_generates_checks_and_catches_a_hand_edit(tmp_path: Path) -> None:
    subdir = make_project(tmp_path)
    generated = clientgen("generate", cwd=subdir)
    assert generated.returncode == 0, generated.stderr
    assert "generated demo: 43 files in src/myapp/_vendor/demo" in generated.stdout
    package = tmp_path / "src" / "myapp" / "_vendor" / "demo"
    assert "api.example.com" in (package / "_config.py").read_text()
    assert "import httpx\n" in (package / "_runtime" / "base_client.py").read_text()

    checked = clientgen("check", cwd=subdir)
    assert checked.returncode == 0 and "demo: up to date" in checked.stdout

    models = package / "models.py"
    models.write_text(models.read_text() + "# my fix\n")
    checked = clientgen("check", cwd=tmp_path)
    assert checked.returncode == 1
    assert "edited by hand: src/myapp/_vendor/demo/models.py" in checked.stdout


@pytest.mark.slow
def test_the_nearest_configuration_wins_and_pyproject_without_the_table_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "other"\nversion = "0"\n')
    (tmp_path / "api.yaml").write_bytes(SPEC.read_bytes())
    (tmp_path / "clientgen.yaml").write_text(
        "clients:\n  - package: fromyaml\n    spec: api.yaml\n    output: out/fromyaml\n"
    )
    (tmp_path / "sub").mkdir()
    result = clientgen("generate", cwd=tmp_path / "sub")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "fromyaml" / "_manifest.json").is_file()


@pytest.mark.slow
def test_global_options_after_the_subcommand_pick_the_configuration(tmp_path: Path) -> None:
    make_project(tmp_path)
    result = clientgen("generate", "--config", tmp_path / "pyproject.toml", "-q", cwd=ROOT)
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr
    assert clientgen("check", "demo", "--config", tmp_path / "pyproject.toml", cwd=ROOT).returncode == 0


@pytest.mark.parametrize(
    ("requirement", "message"),
    [
        (">=99", f"this project requires clientgen >=99, but this is clientgen {__version__}"),
        ("not a version", "clientgen_version 'not a version' is not a version requirement"),
    ],
)
def test_the_clientgen_version_requirement_is_checked(tmp_path: Path, requirement: str, message: str) -> None:
    subdir = make_project(tmp_path, requirement)
    result = clientgen("generate", cwd=subdir)
    assert result.returncode == 2
    line = result.stderr.strip()
    assert "\n" not in line and message in line and "pyproject.toml:6 (/clientgen_version)" in line, line
    assert "pip install 'clientgen" not in line  # no project of that name on the index is clientgen


def test_a_toml_mistake_is_named_with_its_line(tmp_path: Path) -> None:
    subdir = make_project(tmp_path, extra='bogus = "x"\n')
    result = clientgen("generate", cwd=subdir)
    assert result.returncode == 2
    assert "pyproject.toml:14 (/clients/0/bogus): unknown setting 'bogus'" in result.stderr

    (tmp_path / "pyproject.toml").write_text("[tool.clientgen\n")
    result = clientgen("check", "--config", tmp_path / "pyproject.toml", cwd=subdir)
    assert result.returncode == 2 and "invalid TOML" in result.stderr and "pyproject.toml:1" in result.stderr


def test_no_configuration_says_where_it_looked(tmp_path: Path) -> None:
    result = clientgen("check", cwd=tmp_path)
    assert result.returncode == 2
    assert "pyproject.toml [tool.clientgen], clientgen.yaml or spec/clientgen.yaml" in result.stderr
