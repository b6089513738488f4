"""`clientgen init SPEC`: configure a project, write a suggested rename map, generate, print the next steps."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support.paths import ROOT

from generator import pipeline
from generator.cli import main

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

SPEC = ROOT / "tests" / "golden" / "no_operation_ids" / "spec.yaml"


def clientgen(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow
def test_init_in_an_empty_directory_then_generate_and_check(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_bytes(SPEC.read_bytes())
    result = clientgen("init", "spec.yaml", "--package", "x", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "next steps:" in result.stdout and "clientgen check" in result.stdout
    assert (tmp_path / "clientgen.yaml").is_file() and (tmp_path / "x.renames.yaml").is_file()
    assert (tmp_path / "generated" / "x" / "_manifest.json").is_file()
    assert clientgen("generate", cwd=tmp_path).returncode == 0
    checked = clientgen("check", cwd=tmp_path)
    assert checked.returncode == 0 and "x: up to date" in checked.stdout
    assert "# used by" in (tmp_path / "x.renames.yaml").read_text()


@pytest.mark.slow
def test_init_appends_to_pyproject_and_keeps_every_byte_of_it(tmp_path: Path) -> None:
    original = '# my project\n[project]\nname = "myapp"  # keep this comment\nversion = "1.0"\n\n[tool.ruff]\nline-length = 100\n'
    (tmp_path / "pyproject.toml").write_text(original)
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "pets.yaml").write_bytes(SPEC.read_bytes())
    result = clientgen("init", "api/pets.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "pyproject.toml").read_text()
    assert text.startswith(original)
    (client,) = tomllib.loads(text)["tool"]["clientgen"]["clients"]
    package = client["package"]
    assert client["spec"] == "api/pets.yaml" and client["renames"] == f"api/{package}.renames.yaml"
    assert package.isidentifier()
    assert not (tmp_path / "clientgen.yaml").exists()
    assert clientgen("check", cwd=tmp_path / "api").returncode == 0
    # A second init is refused: the project is configured.
    again = clientgen("init", "api/pets.yaml", cwd=tmp_path)
    assert again.returncode == 2 and "already configured" in again.stderr
    assert (tmp_path / "pyproject.toml").read_text() == text


@pytest.mark.slow
def test_init_with_a_broken_spec_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(
        "openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {}\n"
    )
    result = clientgen("init", "spec.yaml", "--package", "x", cwd=tmp_path)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert sorted(path.name for path in tmp_path.iterdir()) == ["spec.yaml"]


@pytest.mark.parametrize("layout", ["clientgen.yaml", "pyproject.toml"])
def test_the_first_check_after_init_regenerates_nothing(
    layout: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """init records the no-op stamp for the client as its configuration reads back."""
    if layout == "pyproject.toml":
        (tmp_path / "pyproject.toml").write_text('[project]\nname = "app"\nversion = "1"\n')
    (tmp_path / "spec.yaml").write_bytes(SPEC.read_bytes())
    monkeypatch.chdir(tmp_path)
    assert main(["init", "spec.yaml", "--package", "x"]) == 0
    assert (tmp_path / layout).is_file()

    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("the first check after init generated the package again")

    monkeypatch.setattr(pipeline, "generate", must_not_run)
    capsys.readouterr()
    assert main(["check"]) == 0
    assert "x: up to date" in capsys.readouterr().out
    # The stamp is only a shortcut: a hand edit is still found.
    models = tmp_path / "generated" / "x" / "models.py"
    models.write_text(models.read_text() + "# edited\n")
    monkeypatch.undo()
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 1
    assert "edited by hand: generated/x/models.py" in capsys.readouterr().out
