"""Files (issue 20 point 6): what clientgen reads must be a regular file of bounded size, and what it
writes stays inside the output folder, whatever links a package holds or its manifest names.

The reads that used to block or never end run in a subprocess with a timeout, so that a regression
fails the test instead of hanging the suite.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.paths import ROOT

from generator.cli import main
from generator.errors import ClientgenError
from generator.files import read_bytes, read_text

SPEC = ROOT / "spec" / "shop.yaml"
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")


def _clientgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr and "please report" not in result.stderr, lines
    return lines[0]


@needs_fifo
def test_a_spec_that_is_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    """It used to hang: reading a FIFO waits for a writer."""
    os.mkfifo(tmp_path / "spec.yaml")
    line = _one_line(_clientgen("generate", "spec.yaml", "--package", "shop", "--output", "out", cwd=tmp_path))
    assert line == "clientgen: error: spec.yaml: is a FIFO (named pipe), not a regular file: clientgen reads files only"
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
@pytest.mark.parametrize("spec", ["/dev/zero", "zero.yaml"])
def test_a_spec_that_is_a_device_is_refused_not_read_until_memory_runs_out(tmp_path: Path, spec: str) -> None:
    """It used to be read until MemoryError; a link to the device is judged by what it opens."""
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    line = _one_line(_clientgen("generate", spec, "--package", "shop", "--output", "out", cwd=tmp_path))
    assert line == f"clientgen: error: {spec}: is a character device, not a regular file: clientgen reads files only"


@needs_fifo
@pytest.mark.parametrize("which", ["renames", "configuration"])
def test_a_rename_map_or_configuration_that_is_a_fifo_is_refused(tmp_path: Path, which: str) -> None:
    os.mkfifo(tmp_path / "fifo.yaml")
    if which == "renames":
        (tmp_path / "clientgen.yaml").write_text(
            f"clients:\n  - spec: {SPEC}\n    package: shop\n    renames: fifo.yaml\n", encoding="utf-8"
        )
        result = _clientgen("generate", cwd=tmp_path)
    else:
        result = _clientgen("--config", "fifo.yaml", "generate", cwd=tmp_path)
    assert _one_line(result).endswith(
        "fifo.yaml: is a FIFO (named pipe), not a regular file: clientgen reads files only"
    )


def test_a_directory_given_as_the_spec_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "spec").mkdir()
    assert main(["generate", str(tmp_path / "spec"), "--package", "shop", "--output", str(tmp_path / "out")]) == 2
    assert (
        capsys.readouterr().err.strip().endswith("spec: is a directory, not a regular file: clientgen reads files only")
    )


def test_reads_are_bounded(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: 1\n" * 1000)
    with pytest.raises(ClientgenError, match="larger than 0 MB, the most clientgen reads"):
        read_bytes(big, limit=4999)
    assert len(read_bytes(big, limit=5000)) == 5000


def test_text_is_read_as_before(tmp_path: Path) -> None:
    """Universal newlines, as Path.read_text: line numbers and the manifest's spec hash do not move."""
    crlf = tmp_path / "crlf.yaml"
    crlf.write_bytes("a: 1\r\nb: ü\r\n".encode())
    assert read_text(crlf) == crlf.read_text(encoding="utf-8") == "a: 1\nb: ü\n"
    (tmp_path / "latin1.yaml").write_bytes(b"a: \xe9\n")
    with pytest.raises(ClientgenError, match="not UTF-8 text"):
        read_text(tmp_path / "latin1.yaml")


def _tree_digest(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def package(tmp_path: Path) -> Path:
    output = tmp_path / "work" / "shop"
    output.parent.mkdir()
    assert main(["-q", "generate", str(SPEC), "--package", "shop", "--output", str(output), "--no-cache"]) == 0
    return output


def test_a_symlinked_folder_inside_a_package_is_not_written_through(
    package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It used to replace the files in the folder the link points at, outside the package."""
    outside = tmp_path / "outside"
    (package / "resources").rename(outside)
    (package / "resources").symlink_to(outside)
    (outside / "products.py").write_text("# the user's own file, outside the package\n", encoding="utf-8")
    before, package_before = _tree_digest(outside), _tree_digest(package)
    status = main(["generate", str(SPEC), "--package", "shop", "--output", str(package), "--no-cache", "--lenient"])
    err = capsys.readouterr().err
    assert status == 2, err
    assert f"{package / 'resources'} is a symbolic link to {outside}, outside {package}" in err
    assert _tree_digest(outside) == before and _tree_digest(package) == package_before


def test_a_manifest_naming_a_file_outside_the_package_removes_nothing(
    package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A hand-edited manifest listing ``../victim.py``: generate would have moved it aside and deleted it."""
    victim = package.parent / "victim.py"
    victim.write_text("keep me\n", encoding="utf-8")
    manifest = package / "_manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["files"]["../victim.py"] = hashlib.sha256(b"keep me\n").hexdigest()
    manifest.write_text(json.dumps(data), encoding="utf-8")
    status = main(["generate", str(SPEC), "--package", "shop", "--output", str(package), "--no-cache"])
    assert status == 2
    assert "refusing to write '../victim.py': it is outside" in capsys.readouterr().err
    assert victim.read_text(encoding="utf-8") == "keep me\n"


def test_a_link_inside_the_package_to_inside_it_is_fine(package: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Only links that lead out are refused: regenerating over a package whose output folder is a link works."""
    link = package.parent / "link"
    link.symlink_to(package)
    assert main(["-q", "generate", str(SPEC), "--package", "shop", "--output", str(link), "--no-cache"]) == 0, (
        capsys.readouterr().err
    )
