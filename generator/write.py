"""Stage 11, write: put a generated tree on disk atomically, or compare it with what is there.

The new tree is written beside the target and swapped in with renames, so a
failure at any point leaves the previous output as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

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
    """Replace ``root`` with exactly ``files``, atomically as far as the filesystem allows."""
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{root.name}.new-", dir=root.parent))
    backup = root.parent / f".{root.name}.old-{os.getpid()}"
    try:
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
    edited = sorted(path for path, data in on_disk.items() if path != MANIFEST and path in recorded and recorded[path] != sha256(data))
    stale = sorted(path for path in fresh if path in on_disk and on_disk[path] != fresh[path] and path not in edited)
    return TreeDifference(
        stale=tuple(stale),
        edited=tuple(edited),
        missing=tuple(sorted(set(fresh) - set(on_disk))),
        unexpected=tuple(sorted(set(on_disk) - set(fresh))),
    )
