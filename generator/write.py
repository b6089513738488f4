"""Stage 11, write: put a generated tree on disk atomically, or compare it with what is there.

The new tree is written beside the target and swapped in with renames, so a
failure at any point leaves the previous output as it was.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator import console
from generator.errors import ClientgenError
from generator.manifest import MANIFEST, recorded_hashes, sha256


def read_tree(root: Path) -> dict[str, bytes]:
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts and not path.name.endswith(".pyc")
    }


def write_tree(root: Path, files: Mapping[str, bytes]) -> None:
    """Replace ``root`` with exactly ``files``, atomically as far as the filesystem allows.

    A failure (read-only target, full disk, a file where a folder should be)
    is a one-line ``ClientgenError``; the previous output stays as it was.
    """
    try:
        for note in recover_interrupted(root):
            console.warn(note)
        _write_tree(root, files)
    except OSError as exc:
        where = exc.filename if isinstance(exc.filename, str) else str(root)
        raise ClientgenError(f"cannot write {where}: {exc.strerror or exc}") from None


def _write_tree(root: Path, files: Mapping[str, bytes]) -> None:
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{root.name}.new-{os.getpid()}-", dir=root.parent))
    backup = root.parent / f".{root.name}.old-{os.getpid()}"
    try:
        os.chmod(staging, 0o777 & ~_umask())  # mkdtemp makes it 0700; the output keeps the user's umask
        for relative, data in sorted(files.items()):
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if root.exists():
            root.rename(backup)
        staging.rename(root)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if backup.exists() and not root.exists():
            backup.rename(root)
        raise
    shutil.rmtree(backup, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(?P<kind>new|old)-(?P<pid>\d+)")


def recover_interrupted(root: Path) -> list[str]:
    """Undo what an interrupted earlier run left beside ``root``; say what was done.

    A run killed between its two renames leaves the previous output as
    ``.<name>.old-<pid>`` and no ``<name>``: it is put back. Staging folders
    (``.<name>.new-<pid>-*``) and backups of a run that finished its renames
    are removed. Folders of a run that is still going (its process is alive)
    are left alone.
    """
    parent = root.parent
    if not parent.is_dir():
        return []
    done: list[str] = []
    leftovers = sorted(
        (entry for entry in parent.iterdir() if (match := _LEFTOVER.match(entry.name)) and match.group("name") == root.name and entry.is_dir()),
        key=lambda entry: entry.stat().st_mtime,
        reverse=True,
    )
    for entry in leftovers:
        match = _LEFTOVER.match(entry.name)
        assert match is not None
        pid = int(match.group("pid"))
        if pid != os.getpid() and _alive(pid):
            continue
        if match.group("kind") == "old" and not root.exists():
            entry.rename(root)
            done.append(f"restored {root} from {entry.name}, left by an interrupted run")
        else:
            shutil.rmtree(entry, ignore_errors=True)
            done.append(f"removed {entry.name}, left by an interrupted run")
    return done


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True)
class TreeDifference:
    stale: tuple[str, ...]  # differs from a fresh generation
    edited: tuple[str, ...]  # differs from the hash its manifest records: edited by hand
    missing: tuple[str, ...]
    unexpected: tuple[str, ...]

    @property
    def clean(self) -> bool:
        return not (self.stale or self.edited or self.missing or self.unexpected)


def compare_tree(on_disk: Mapping[str, bytes], fresh: Mapping[str, bytes]) -> TreeDifference:
    recorded = recorded_hashes(on_disk.get(MANIFEST, b""))
    edited = sorted(
        path for path, data in on_disk.items() if path != MANIFEST and path in recorded and recorded[path] != sha256(data)
    )
    stale = sorted(path for path in fresh if path in on_disk and on_disk[path] != fresh[path] and path not in edited)
    return TreeDifference(
        stale=tuple(stale),
        edited=tuple(edited),
        missing=tuple(sorted(set(fresh) - set(on_disk))),
        unexpected=tuple(sorted(set(on_disk) - set(fresh))),
    )
