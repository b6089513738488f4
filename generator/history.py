"""Earlier versions of a generated file, from git: the last place ``customise`` looks for an edit's base.

Asked for a file by its sha256, it reads the file as staged and as committed in
the most recent commits that touched it (``git log``, then one ``git cat-file
--batch`` for all of them) and returns the version with that hash. Outside a git
repository, without git, or when git fails, it finds nothing; it never writes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from generator.customise import History

_LIMIT = 200  # commits looked at per file: the edit's base is almost always in the last few
_TIMEOUT = 60


def _git(directory: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(directory), *args],
            input=stdin,
            capture_output=True,
            timeout=_TIMEOUT,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def _blobs(batch: bytes) -> list[bytes]:
    """The contents in ``git cat-file --batch`` output (missing objects skipped)."""
    found: list[bytes] = []
    at = 0
    while at < len(batch):
        end = batch.find(b"\n", at)
        if end < 0:
            break
        header = batch[at:end].split()
        at = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            found.append(batch[at : at + size])
            at += size + 1
    return found


def git_history(output: Path) -> History | None:
    """A lookup of earlier versions of the files under ``output`` (None without git); git runs on first use."""
    if shutil.which("git") is None:
        return None
    found_root: list[Path | None] = []

    def repository() -> Path | None:
        if not found_root:
            directory = output
            while not directory.is_dir() and directory != directory.parent:
                directory = directory.parent
            top = _git(directory, "rev-parse", "--show-toplevel")
            found_root.append(Path(top.decode("utf-8", "surrogateescape").strip()) if top else None)
        return found_root[0]

    def lookup(path: str, digest: str) -> bytes | None:
        root = repository()
        if root is None:
            return None
        try:
            relative = (output.resolve() / path).relative_to(root.resolve()).as_posix()
        except ValueError:
            return None
        commits = _git(root, "log", f"-n{_LIMIT}", "--format=%H", "--", relative) or b""
        names = [f":0:{relative}", *(f"{commit}:{relative}" for commit in commits.decode().split())]
        batch = _git(root, "cat-file", "--batch", stdin="".join(name + "\n" for name in names).encode())
        for blob in _blobs(batch or b""):
            if hashlib.sha256(blob).hexdigest() == digest:
                return blob
        return None

    return lookup
