"""Stage 11, write: put a generated tree on disk safely, or compare it with what is there.

clientgen never deletes or overwrites a file it did not generate. A target
directory is accepted only if it does not exist, is empty, or holds a package
clientgen generated (its ``_manifest.json``); roots (``/``, the home directory,
the current directory, the project's root, the directory holding the
configuration) are refused whatever they hold. Only the files the old manifest
lists are replaced or removed; anything else in the directory stays.

The new files are written beside the target first and moved in afterwards, with
the replaced files kept aside until the end, so a failure at any point leaves
the previous output as it was. A write failure (read-only target, full disk, a
file where a folder should be) is a one-line error; the output keeps the
user's umask; what a killed run left beside the target is put right by the
next one (``recover_interrupted``).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator import console
from generator.errors import ClientgenError
from generator.manifest import MANIFEST, recorded_generator, recorded_hashes, sha256


def read_tree(root: Path) -> dict[str, bytes]:
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts and not path.name.endswith(".pyc")
    }


def _contains(outer: Path, inner: Path) -> bool:
    return inner == outer or inner.is_relative_to(outer)


def check_target(root: Path, protected: Iterable[tuple[Path, str]] = (), shown: str | None = None) -> None:
    """Refuse (exit 2, nothing touched) an output directory clientgen must not write into.

    ``protected`` are (path, what it is) pairs, such as the project's root and
    the directory of its configuration: the output may be inside them, never
    one of them or above them.
    """
    shown = shown or str(root)
    target = Path(os.path.abspath(root))
    resolved = target.resolve()
    roots = [
        *((Path(os.path.abspath(path)).resolve(), what) for path, what in protected),
        (Path.cwd().resolve(), "the current directory"),
        (Path.home().resolve(), "your home directory"),
        (Path(resolved.anchor), "the file system's root"),
    ]
    for path, what in roots:
        if _contains(resolved, path):
            which = "is" if path == resolved else "contains"
            raise ClientgenError(
                f"refusing to generate into {shown}: it {which} {what}; choose a directory of its own, such as {_suggest(shown)}"
            )
    if not target.exists():
        return
    if not target.is_dir():
        raise ClientgenError(f"refusing to generate into {shown}: it is a file, not a directory")
    if not any(target.iterdir()):
        return
    manifest = target / MANIFEST
    made_by = recorded_generator(manifest.read_bytes()) if manifest.is_file() else None
    if made_by is None or not made_by.startswith("clientgen "):
        raise ClientgenError(
            f"refusing to generate into {shown}: it is not empty and holds no package clientgen generated (no {MANIFEST}); choose a new or empty directory"
        )


def _suggest(shown: str) -> str:
    path = Path(shown)
    return (path / "client").as_posix() if path.name in ("", ".", "..") else (path / path.name).as_posix()


def write_tree(root: Path, files: Mapping[str, bytes]) -> None:
    """Make ``root`` hold ``files``: replace what clientgen generated before, keep everything else.

    Call ``check_target`` first; this refuses only a new file that would overwrite one
    the old manifest does not list. A failure is a one-line ``ClientgenError``; the
    previous output stays as it was.
    """
    try:
        for note in recover_interrupted(root):
            console.warn(note)
        _write_tree(root, files)
    except OSError as exc:
        where = exc.filename if isinstance(exc.filename, str) else str(root)
        raise ClientgenError(f"cannot write {where}: {exc.strerror or exc}") from None


def _write_tree(root: Path, files: Mapping[str, bytes]) -> None:
    if not root.exists():
        _write_new(root, files)
        return
    generated_before = check_overwrites(root, files)
    removed = sorted(path for path in generated_before - set(files) if (root / path).is_file())
    replaced = sorted(path for path in files if (root / path).exists())
    staging = _beside(root, "new")
    backup = _beside(root, "old")
    moved_in: list[str] = []
    moved_aside: list[str] = []
    try:
        _write_files(staging, files)
        for relative in [*replaced, *removed]:
            (backup / relative).parent.mkdir(parents=True, exist_ok=True)
            os.replace(root / relative, backup / relative)
            moved_aside.append(relative)
        # The manifest goes in last: until it does, the old one still describes the old files.
        for relative in sorted(files, key=lambda path: (path == MANIFEST, path)):
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / relative, root / relative)
            moved_in.append(relative)
    except BaseException:
        for relative in moved_in:
            (root / relative).unlink(missing_ok=True)
        for relative in moved_aside:
            os.replace(backup / relative, root / relative)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(backup, ignore_errors=True)
    _remove_empty_parents(root, removed)


def _generated_before(root: Path) -> set[str]:
    manifest = root / MANIFEST
    return set(recorded_hashes(manifest.read_bytes())) | {MANIFEST} if manifest.is_file() else set()


def check_overwrites(root: Path, files: Mapping[str, bytes]) -> set[str]:
    """Refuse a new file that would land on one clientgen did not generate, or any file written, replaced or
    removed outside ``root``; the files it did generate."""
    generated_before = _generated_before(root)
    for relative in sorted(set(files) | generated_before):
        _check_inside(root, relative)
    for relative in sorted(files):
        path = root / relative
        if (path.exists() or path.is_symlink()) and relative not in generated_before:
            raise ClientgenError(
                f"refusing to overwrite {path}: clientgen did not generate it (it is not in {root / MANIFEST}); move it away first"
            )
    return generated_before


def _check_inside(root: Path, relative: str) -> None:
    """Refuse a path that leads out of ``root``: through ``..`` (a manifest edited by hand), or through a folder
    that is a symbolic link to somewhere else (clientgen would write, replace or remove files there)."""
    parts = Path(relative).parts
    if Path(relative).is_absolute() or ".." in parts:
        raise ClientgenError(f"refusing to write {relative!r}: it is outside {root} ({root / MANIFEST} names it)")
    inside = root.resolve()
    folder = root
    for part in parts[:-1]:
        folder = folder / part
        if folder.is_symlink() and not folder.resolve().is_relative_to(inside):
            raise ClientgenError(
                f"refusing to write {root / relative}: {folder} is a symbolic link to {folder.resolve()}, outside "
                f"{root}; clientgen writes nothing outside the output folder (replace the link with a folder)"
            )


def _write_new(root: Path, files: Mapping[str, bytes]) -> None:
    """A directory that does not exist yet: build it beside, then rename it into place."""
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = _beside(root, "new")
    try:
        _write_files(staging, files)
        staging.rename(root)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _write_files(directory: Path, files: Mapping[str, bytes]) -> None:
    for relative, data in sorted(files.items()):
        target = directory / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _remove_empty_parents(root: Path, removed: Iterable[str]) -> None:
    """Folders that only held removed generated files (and their bytecode) go too."""
    for relative in removed:
        folder = (root / relative).parent
        while folder != root and folder.is_dir():
            cache = folder / "__pycache__"
            entries = [entry for entry in folder.iterdir() if entry != cache]
            if entries:
                break
            shutil.rmtree(cache, ignore_errors=True)
            folder.rmdir()
            folder = folder.parent


def write_file_atomically(path: Path, text: str) -> None:
    """Replace one file (a rename map, a configuration) in a single rename, keeping its permissions."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        # An existing file keeps its permissions; a new one gets the user's umask, as open() would (not mkstemp's 0600).
        os.chmod(temporary, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _beside(root: Path, kind: str) -> Path:
    """A fresh folder next to ``root`` whose name says whose it is (``.<name>.<kind>-<pid>-*``), with the user's umask."""
    folder = Path(tempfile.mkdtemp(prefix=f".{root.name}.{kind}-{os.getpid()}-", dir=root.parent))
    os.chmod(folder, 0o777 & ~_umask())  # mkdtemp makes it 0700; the output keeps the user's umask
    return folder


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(?P<kind>new|old)-(?P<pid>\d+)")


def recover_interrupted(root: Path) -> list[str]:
    """Undo what an interrupted earlier run left beside ``root``; say what was done.

    A run moves the files it replaces into ``.<name>.old-<pid>-*`` and its new
    files in from ``.<name>.new-<pid>-*``, the manifest last. Killed before its
    manifest landed, it is rolled back: the new files it moved in go, the old
    ones come back. Staging folders and backups of a run that finished are
    removed. Folders of a run that is still going (its process is alive) are
    left alone.
    """
    parent = root.parent
    if not parent.is_dir():
        return []
    leftovers: dict[int, dict[str, Path]] = {}
    for entry in sorted(parent.iterdir()):
        match = _LEFTOVER.match(entry.name)
        if match and match.group("name") == root.name and entry.is_dir():
            pid = int(match.group("pid"))
            if pid == os.getpid() or not _alive(pid):
                leftovers.setdefault(pid, {})[match.group("kind")] = entry
    done: list[str] = []
    for pid in sorted(leftovers):
        staging, backup = leftovers[pid].get("new"), leftovers[pid].get("old")
        if backup is not None and not (root / MANIFEST).is_file():
            _roll_back(root, staging, backup)
            shutil.rmtree(backup, ignore_errors=True)
            done.append(f"restored {root} from {backup.name}, left by an interrupted run")
        for folder in (staging, backup):
            if folder is not None and folder.exists():
                shutil.rmtree(folder, ignore_errors=True)
                done.append(f"removed {folder.name}, left by an interrupted run")
    return done


def _roll_back(root: Path, staging: Path | None, backup: Path) -> None:
    """Take out the files an interrupted run moved in, put back the ones it moved aside."""
    if staging is not None and (staging / MANIFEST).is_file():
        still_staged = set(read_tree(staging))
        for relative in set(recorded_hashes((staging / MANIFEST).read_bytes())) - still_staged:
            (root / relative).unlink(missing_ok=True)
    for relative in read_tree(backup):
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        os.replace(backup / relative, root / relative)


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
    missing: tuple[str, ...]  # generated, but absent on disk
    unexpected: tuple[str, ...]  # generated before (in the manifest) but no longer: `generate` removes it

    @property
    def clean(self) -> bool:
        return not (self.stale or self.edited or self.missing or self.unexpected)


def compare_tree(on_disk: Mapping[str, bytes], fresh: Mapping[str, bytes]) -> TreeDifference:
    """How the package on disk differs from a fresh generation; files clientgen never generated are not its business."""
    recorded = recorded_hashes(on_disk.get(MANIFEST, b""))
    edited = sorted(
        path
        for path, data in on_disk.items()
        if path != MANIFEST and path in recorded and recorded[path] != sha256(data)
    )
    stale = sorted(path for path in fresh if path in on_disk and on_disk[path] != fresh[path] and path not in edited)
    return TreeDifference(
        stale=tuple(stale),
        edited=tuple(edited),
        missing=tuple(sorted(set(fresh) - set(on_disk))),
        unexpected=tuple(sorted(path for path in set(recorded) - set(fresh) if path in on_disk)),
    )
