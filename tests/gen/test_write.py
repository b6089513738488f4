"""Writing the output: failures are one line (exit 2), the umask is kept, interrupted runs are recovered,
formatter workers die with their parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.paths import ROOT

SPEC = ROOT / "tests" / "documents_with_errors" / "responses_and_media_types.yaml"


def _generate(output: Path, *, umask: int | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    preexec = (lambda: os.umask(umask)) if umask is not None else None  # noqa: PLW0108
    return subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(SPEC), "--package", "media", "--output", str(output)],
        env=env, capture_output=True, text=True, timeout=120, preexec_fn=preexec, cwd=ROOT,
    )  # fmt: skip


def _one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "please report" not in lines[0]
    return lines[0]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_parent_is_one_line(tmp_path: Path) -> None:
    parent = tmp_path / "ro"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        line = _one_error_line(_generate(parent / "media"))
    finally:
        parent.chmod(0o755)
    assert "cannot write" in line and "Permission denied" in line


@pytest.mark.slow
def test_parent_that_is_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    line = _one_error_line(_generate(tmp_path / "file" / "media"))
    assert "file" in line


@pytest.mark.slow
def test_output_keeps_the_umask(tmp_path: Path) -> None:
    result = _generate(tmp_path / "media", umask=0o022)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "media").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "media" / "client.py").stat().st_mode & 0o777 == 0o644


@pytest.mark.slow
def test_interrupted_write_is_recovered_and_leftovers_removed(tmp_path: Path) -> None:
    from generator.write import read_tree, recover_interrupted

    root = tmp_path / "media"
    assert _generate(root).returncode == 0
    before = read_tree(root)
    # A run killed while moving its files in: every file it replaces was moved aside first, then
    # client.py came in from staging; its manifest (moved in last) never landed.
    backup = tmp_path / ".media.old-999999999-abc"
    staging = tmp_path / ".media.new-999999999-def"
    for name, data in before.items():
        for folder in (backup, staging):
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
        os.replace(root / name, backup / name)
        (staging / name).write_bytes(data)
    (staging / "client.py").write_text("new\n")
    os.replace(staging / "client.py", root / "client.py")
    notes = recover_interrupted(root)
    assert read_tree(root) == before
    assert not backup.exists() and not staging.exists()
    assert len(notes) == 2, notes
    # The next generation is accepted (the package is clientgen's again) and leaves nothing beside it.
    result = _generate(root)
    assert result.returncode == 0, result.stderr
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["media"]


def test_leftovers_of_a_live_run_are_left_alone(tmp_path: Path) -> None:
    from generator.write import recover_interrupted

    live = tmp_path / f".media.new-{os.getppid()}-abc"
    live.mkdir()
    assert recover_interrupted(tmp_path / "media") == []
    assert live.exists()


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_formatter_workers_die_with_their_parent(tmp_path: Path) -> None:
    script = (
        "import sys, time\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from generator.pipeline import _LazyPool\n"
        "pool = _LazyPool(2)\n"
        "futures = [pool.submit(time.sleep, 60) for _ in range(2)]\n"
        "print('go', flush=True)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None and parent.stdout.readline().strip() == "go"
    workers: set[int] = set()
    deadline = time.monotonic() + 30
    while not workers and time.monotonic() < deadline:
        time.sleep(0.1)
        workers = _children(parent.pid)
    assert workers, "no worker started"
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_exists(pid) for pid in workers):
        time.sleep(0.1)
    assert not [pid for pid in workers if _exists(pid)]


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _exists(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
