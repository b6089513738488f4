"""`clientgen generate` never deletes or overwrites a file it did not generate."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from support.cli import clientgen
from support.paths import ROOT

from generator import __version__
from generator.manifest import MANIFEST, sha256

SPEC = ROOT / "tests" / "golden" / "no_operation_ids" / "spec.yaml"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()
    }


def refused(result: subprocess.CompletedProcess[str], reason: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert reason in lines[0], lines[0]


def test_a_directory_holding_a_user_file_is_refused_and_left_byte_identical(tmp_path: Path) -> None:
    app = tmp_path / "myapp"
    (app / "_vendor").mkdir(parents=True)
    (app / "main.py").write_bytes(b"print('mine')\r\n\x00binary-ish")
    (app / "_vendor" / "lib.py").write_text("x = 1\n")
    before = snapshot(tmp_path)
    result = clientgen("generate", SPEC, "--package", "demo", "--output", app, cwd=tmp_path)
    refused(result, "holds no package clientgen generated")
    assert snapshot(tmp_path) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["myapp"]  # no staging folder left behind


@pytest.mark.parametrize("output", [".", "..", "/"])
def test_roots_are_refused(tmp_path: Path, output: str) -> None:
    work = tmp_path / "work"
    work.mkdir()
    result = clientgen("generate", SPEC, "--package", "demo", "--output", output, cwd=work)
    refused(result, "refusing to generate into")
    assert list(work.iterdir()) == []


def test_the_home_directory_is_refused_even_when_empty(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin"}
    result = clientgen("generate", SPEC, "--package", "demo", "--output", home, cwd=tmp_path, env=env)
    refused(result, "your home directory")
    assert list(home.iterdir()) == []


@pytest.mark.parametrize(("output", "reason"), [(".", "the project's root"), ("spec", "the configuration")])
def test_the_project_root_and_the_configuration_directory_are_refused(tmp_path: Path, output: str, reason: str) -> None:
    (tmp_path / "spec").mkdir()
    (tmp_path / "spec" / "api.yaml").write_bytes(SPEC.read_bytes())
    (tmp_path / "spec" / "clientgen.yaml").write_text(
        f"clients:\n  - package: demo\n    spec: spec/api.yaml\n    output: {output}\n"
    )
    sub = tmp_path / "src"
    sub.mkdir()
    before = snapshot(tmp_path)
    refused(clientgen("generate", cwd=sub), reason)
    assert snapshot(tmp_path) == before


@pytest.mark.slow
def test_regenerating_replaces_only_what_clientgen_generated(tmp_path: Path) -> None:
    out = tmp_path / "out" / "demo"
    assert clientgen("generate", SPEC, "--package", "demo", "--output", out, cwd=tmp_path).returncode == 0
    # A file the user keeps in the package, and one an older clientgen generated that is no longer made.
    (out / "NOTES.md").write_text("mine\n")
    (out / "legacy").mkdir()
    (out / "legacy" / "old.py").write_text("OLD = 1\n")
    manifest = json.loads((out / MANIFEST).read_text())
    manifest["files"]["legacy/old.py"] = sha256(b"OLD = 1\n")
    (out / MANIFEST).write_text(json.dumps(manifest))
    check = clientgen("check", out, cwd=tmp_path)
    assert check.returncode == 1 and "no longer generated: out/demo/legacy/old.py" in check.stdout
    assert "NOTES.md" not in check.stdout

    assert clientgen("generate", SPEC, "--package", "demo", "--output", out, cwd=tmp_path).returncode == 0
    assert (out / "NOTES.md").read_text() == "mine\n"
    assert not (out / "legacy").exists()
    assert clientgen("check", out, cwd=tmp_path).returncode == 0


@pytest.mark.slow
def test_a_new_file_never_lands_on_a_user_file(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    assert clientgen("generate", SPEC, "--package", "demo", "--output", out, cwd=tmp_path).returncode == 0
    # As if an older clientgen had not generated api.txt and the user had written one.
    manifest = json.loads((out / MANIFEST).read_text())
    del manifest["files"]["api.txt"]
    (out / MANIFEST).write_text(json.dumps(manifest))
    (out / "api.txt").write_text("my notes\n")
    before = snapshot(out)
    refused(
        clientgen("generate", SPEC, "--package", "demo", "--output", out, cwd=tmp_path), "clientgen did not generate it"
    )
    assert snapshot(out) == before


@pytest.mark.slow
def test_a_package_from_a_bare_spec_is_checkable_and_names_the_version_that_made_it(tmp_path: Path) -> None:
    (tmp_path / "api").mkdir()
    spec = tmp_path / "api" / "openapi.yaml"
    spec.write_bytes(SPEC.read_bytes())
    out = tmp_path / "vendor" / "demo"
    assert (
        clientgen(
            "generate",
            "api/openapi.yaml",
            "--package",
            "demo",
            "--output",
            "vendor/demo",
            "--http",
            "httpx",
            cwd=tmp_path,
        ).returncode
        == 0
    )
    recorded = json.loads((out / MANIFEST).read_text())["inputs"]
    assert recorded["spec"]["file"] == "../../api/openapi.yaml"
    assert recorded["config"]["settings"]["http_module"] == "httpx"
    assert clientgen("check", "vendor/demo", cwd=tmp_path).returncode == 0

    # As if an older clientgen had made it: every file says so, and the hashes match.
    for path in out.rglob("*.py"):
        path.write_text(path.read_text().replace(f"clientgen {__version__}", "clientgen 0.0.9"))
    manifest = json.loads((out / MANIFEST).read_text())
    manifest["generator"] = "clientgen 0.0.9"
    manifest["files"] = {name: sha256((out / name).read_bytes()) for name in manifest["files"]}
    (out / MANIFEST).write_text(json.dumps(manifest))
    result = clientgen("check", "vendor/demo", cwd=tmp_path)
    assert result.returncode == 1
    assert f"generated by clientgen 0.0.9, this is clientgen {__version__}" in result.stdout
    assert "edited by hand" not in result.stdout
