"""`clientgen init SPEC`: configure a project, write a suggested rename map, generate, print the next steps."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support.cli import clientgen
from support.paths import ROOT

from generator import pipeline
from generator.cli import main

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

SPEC = ROOT / "tests" / "golden" / "no_operation_ids" / "spec.yaml"


@pytest.mark.slow
def test_init_in_an_empty_directory_then_generate_and_check(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_bytes(SPEC.read_bytes())
    result = clientgen("init", "spec.yaml", "--package", "x", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "next steps:" in result.stdout and "clientgen check" in result.stdout
    assert (tmp_path / "clientgen.yaml").is_file() and (tmp_path / "x.renames.yaml").is_file()
    # No package of the project's own: a top-level package beside the spec, importable from here.
    assert (tmp_path / "x" / "_manifest.json").is_file()
    assert "import it: `from x import X`" in result.stdout
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
    # A second init of the same client is refused: it is configured.
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


SHOP = ROOT / "spec" / "shop.yaml"
PYPROJECT = """[project]
name = "myapp"
version = "0.1.0"
# keep this comment
dependencies = [
    "rich>=13",  # ours
]

[build-system]
requires = ["setuptools>=77"]
build-backend = "setuptools.build_meta"
"""


def src_project(root: Path) -> Path:
    (root / "src" / "myapp").mkdir(parents=True)
    (root / "src" / "myapp" / "__init__.py").write_text('"""My app."""\n')
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "shop.yaml").write_bytes(SHOP.read_bytes())
    return root


def test_init_in_a_src_layout_project_is_importable_from_the_projects_own_code(tmp_path: Path) -> None:
    root = src_project(tmp_path)
    result = clientgen("init", "shop.yaml", cwd=root)
    assert result.returncode == 0, result.stderr
    assert (root / "src" / "myapp" / "_vendor" / "shop" / "_manifest.json").is_file()
    assert (root / "src" / "myapp" / "_vendor" / "__init__.py").is_file()
    assert "layout: src layout, your package myapp in src/myapp/" in result.stdout
    assert "`from myapp._vendor.shop import Shop` (inside myapp: `from ._vendor.shop import Shop`)" in result.stdout
    (client,) = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["clientgen"]["clients"]
    assert client["output"] == "src/myapp/_vendor/shop"
    # The project's own module imports it, as the next steps say; the project is on sys.path as an install puts it.
    (root / "src" / "myapp" / "service.py").write_text(
        "from ._vendor.shop import Shop\n\n\ndef make() -> Shop:\n    return Shop(api_key='k')\n"
    )
    script = "import myapp.service; print(type(myapp.service.make()).__module__)"
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    run = subprocess.run([sys.executable, "-c", script], cwd=tmp_path.parent, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "myapp._vendor.shop.client"
    assert clientgen("check", cwd=root / "src" / "myapp").returncode == 0


def test_init_in_a_flat_layout_vendors_into_the_package_not_into_tests(tmp_path: Path) -> None:
    for folder in ("tests", "app"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "__init__.py").write_text("")
    (tmp_path / "shop.yaml").write_bytes(SHOP.read_bytes())
    result = clientgen("init", "shop.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "app" / "_vendor" / "shop" / "client.py").is_file()
    run = subprocess.run(
        [sys.executable, "-c", "from app._vendor.shop import Shop"], cwd=tmp_path, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("configuration", ["pyproject.toml", "clientgen.yaml", "spec/clientgen.yaml"])
def test_a_second_init_adds_a_client_to_the_configuration(tmp_path: Path, configuration: str) -> None:
    root = src_project(tmp_path)
    if configuration != "pyproject.toml":
        (root / "pyproject.toml").unlink()
    if configuration == "spec/clientgen.yaml":
        (root / "spec").mkdir()
        (root / "spec" / "clientgen.yaml").write_text(
            "# ours\nclients:\n  - name: shop\n    spec: shop.yaml\n    package: shop\n    output: src/myapp/shop\n"
        )
        assert clientgen("generate", cwd=root).returncode == 0
    else:
        assert clientgen("init", "shop.yaml", cwd=root).returncode == 0
    before = (root / configuration).read_text()
    (root / "pets.yaml").write_bytes(SPEC.read_bytes())
    result = clientgen("init", "pets.yaml", "--package", "pets", cwd=root)
    assert result.returncode == 0, result.stderr
    assert f"added client 'pets' in {Path(configuration).name} and generated" in result.stdout
    after = (root / configuration).read_text()
    assert after.startswith(before)  # appended: every byte before it kept
    if configuration == "pyproject.toml":
        clients = tomllib.loads(after)["tool"]["clientgen"]["clients"]
    else:
        clients = yaml.safe_load(after)["clients"]
    assert [client["package"] for client in clients] == ["shop", "pets"]
    assert clients[1]["output"] == "src/myapp/_vendor/pets"
    checked = clientgen("check", cwd=root)
    assert checked.returncode == 0 and "pets: up to date" in checked.stdout, checked.stdout + checked.stderr
    # The same client again is refused, and nothing changes.
    again = clientgen("init", "pets.yaml", "--package", "pets", cwd=root)
    assert again.returncode == 2 and "already configured" in again.stderr
    assert (root / configuration).read_text() == after


def test_the_dependency_hint_and_adding_the_dependencies(tmp_path: Path) -> None:
    root = src_project(tmp_path)
    result = clientgen("init", "shop.yaml", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "runtime dependencies: httpx2>=2.16,<3, pydantic>=2.14,<3: add them to your project" in result.stdout
    assert tomllib.loads((root / "pyproject.toml").read_text())["project"]["dependencies"] == ["rich>=13"]
    (root / "pets.yaml").write_bytes(SPEC.read_bytes())
    result = clientgen("init", "pets.yaml", "--package", "pets", "--add-dependencies", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "httpx2>=2.16,<3 (added to pyproject.toml), pydantic>=2.14,<3 (added to pyproject.toml)" in result.stdout
    text = (root / "pyproject.toml").read_text()
    parsed = tomllib.loads(text)
    assert parsed["project"]["dependencies"] == ["rich>=13", "httpx2>=2.16,<3", "pydantic>=2.14,<3"]
    assert "# keep this comment" in text and '"rich>=13",  # ours' in text
    assert [client["package"] for client in parsed["tool"]["clientgen"]["clients"]] == ["shop", "pets"]
    (root / "more.yaml").write_bytes(SPEC.read_bytes())
    result = clientgen("init", "more.yaml", "--package", "more", "--add-dependencies", cwd=root)
    assert "httpx2>=2.16,<3 (pyproject.toml requires it already)" in result.stdout
    assert (
        tomllib.loads((root / "pyproject.toml").read_text())["project"]["dependencies"]
        == parsed["project"]["dependencies"]
    )
    # Without --add-dependencies, the hint says what the project requires already instead of asking for it again.
    (root / "last.yaml").write_bytes(SPEC.read_bytes())
    result = clientgen("init", "last.yaml", "--package", "last", cwd=root)
    assert result.returncode == 0, result.stderr
    assert (
        "runtime dependencies: httpx2>=2.16,<3 (pyproject.toml requires it already), "
        "pydantic>=2.14,<3 (pyproject.toml requires it already)\n"
    ) in result.stdout


def test_add_dependencies_without_a_project_table_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.ruff]\nline-length = 100\n")
    (tmp_path / "shop.yaml").write_bytes(SHOP.read_bytes())
    result = clientgen("init", "shop.yaml", "--add-dependencies", cwd=tmp_path)
    assert result.returncode == 2 and "no [project] table" in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["pyproject.toml", "shop.yaml"]


def test_a_package_named_after_another_distribution_warns_when_it_would_shadow_it(tmp_path: Path) -> None:
    (tmp_path / "ollama.yaml").write_bytes(SPEC.read_bytes())
    result = clientgen("init", "ollama.yaml", "--package", "ollama", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "a top-level package named 'ollama' shadows another: it is the import name of a well-known client" in (
        result.stderr
    )
    # Installed here (a dependency of the test environment), not on the well-known list.
    result = clientgen("init", "ollama.yaml", "--package", "hypothesis", "--output", "h/hypothesis", cwd=tmp_path)
    assert "'hypothesis' shadows another: it is the import name of hypothesis, installed in this environment" in (
        result.stderr
    )
    # Inside the project's package it shadows nothing.
    root = src_project(tmp_path / "app")
    (root / "ollama.yaml").write_bytes(SPEC.read_bytes())
    result = clientgen("init", "ollama.yaml", "--package", "ollama", cwd=root)
    assert result.returncode == 0 and "shadows" not in result.stderr


def test_an_output_change_moves_the_package_and_removes_only_the_old_generated_files(tmp_path: Path) -> None:
    root = src_project(tmp_path)
    assert clientgen("init", "shop.yaml", cwd=root).returncode == 0
    old = root / "src" / "myapp" / "_vendor" / "shop"
    (old / "client.py").write_text((old / "client.py").read_text() + "# ours\n")
    (old / "notes.md").write_text("our notes\n")
    listed = len(json.loads((old / "_manifest.json").read_text())["files"])
    pyproject = root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace('output = "src/myapp/_vendor/shop"', 'output = "src/myapp/shop"')
    )
    checked = clientgen("check", cwd=root)
    assert checked.returncode == 1
    assert "src/myapp/shop holds no package yet, and src/myapp/_vendor/shop holds the one generated before" in (
        checked.stdout
    )
    result = clientgen("generate", cwd=root)
    assert result.returncode == 0, result.stderr
    assert (
        f"moved from src/myapp/_vendor/shop (`output` changed): removed its {listed} generated files" in result.stdout
    )
    new = root / "src" / "myapp" / "shop"
    assert (new / "client.py").read_text().endswith("# ours\n")  # the hand edit moved with it
    assert sorted(path.name for path in old.rglob("*")) == ["notes.md"]  # the user's file stays
    assert clientgen("check", cwd=root).returncode == 0


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
    models = tmp_path / "x" / "models.py"  # no package of the project's own: x/ at the root
    models.write_text(models.read_text() + "# edited\n")
    monkeypatch.undo()
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 1
    assert "edited by hand: x/models.py" in capsys.readouterr().out


def test_a_client_name_means_the_client_where_a_folder_has_that_name(tmp_path: Path) -> None:
    """A top-level package's folder is named like its client: once `output` moves, `check shop` still means the
    client (and reports the move), not the old folder; `./shop` means the folder."""
    (tmp_path / "shop.yaml").write_bytes(SHOP.read_bytes())
    assert clientgen("init", "shop.yaml", "--package", "shop", cwd=tmp_path).returncode == 0
    configuration = tmp_path / "clientgen.yaml"
    assert 'output: "shop"' in configuration.read_text()
    configuration.write_text(configuration.read_text().replace('output: "shop"', 'output: "vendor/shop"'))
    checked = clientgen("check", "shop", cwd=tmp_path)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "vendor/shop holds no package yet, and shop holds the one generated before" in checked.stdout
    assert clientgen("generate", "shop", cwd=tmp_path).returncode == 0
    (tmp_path / "shop").mkdir(exist_ok=True)
    (tmp_path / "shop" / "notes.md").write_text("ours\n")
    checked = clientgen("check", "shop", cwd=tmp_path)
    assert checked.returncode == 0 and "shop: up to date" in checked.stdout, checked.stdout + checked.stderr
    listed = clientgen("customisations", "list", "shop", cwd=tmp_path)
    assert listed.returncode == 0 and listed.stdout.startswith("shop (vendor/shop): 0 customised"), listed.stderr
    folder = clientgen("check", "./shop", cwd=tmp_path)
    assert folder.returncode == 2 and "has no _manifest.json" in folder.stderr
