"""Where the two sides of ``clientgen diff`` come from: files, or ``REF:path`` in git.

``REF:path`` is read with ``git show REF:path`` (path relative to the
repository root, as git wants it). With no arguments, ``diff`` compares each
configured spec at the merge base with the default branch (origin/HEAD, else
main, else master; ``--base`` names another) against the working tree.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from generator.errors import ClientgenError
from generator.load import Document, load_data_file, load_document, parse_data_text, parse_document
from generator.naming.rename_map import RenameMap, parse_rename_map


@dataclass(frozen=True)
class GitPath:
    ref: str  # what git reads: a commit (the merge base) or the ref as given
    path: str
    shown: str = ""  # how reports name the ref: as the user gave it (``main``), not the merge base's hash

    def __str__(self) -> str:
        return f"{self.shown or self.ref}:{self.path}"

    @property
    def object(self) -> str:
        """``REF:path`` as git reads it."""
        return f"{self.ref}:{self.path}"


@dataclass(frozen=True)
class Absent:
    """The old side of a client the base branch does not have yet: an API with nothing in it."""

    def __str__(self) -> str:
        return "(new client)"


_EMPTY_SPEC = '{"openapi": "3.1.0", "info": {"title": "", "version": ""}, "paths": {}}'

Source = Path | GitPath | Absent


def parse_source(text: str) -> Source:
    """A file if one exists at ``text``; else ``REF:path`` when it has a colon."""
    if Path(text).exists() or ":" not in text:
        return Path(text)
    ref, _, path = text.partition(":")
    if not ref or not path:
        raise ClientgenError(f"{text!r} is neither a file nor REF:path")
    return GitPath(ref, path)


def _git(arguments: list[str], cwd: Path | None = None) -> str:
    try:
        result = subprocess.run(["git", *arguments], cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise ClientgenError("git is not installed, so REF:path cannot be read") from None
    if result.returncode != 0:
        message = (result.stderr.strip().splitlines() or ["git failed"])[-1].removeprefix("fatal: ")
        raise ClientgenError(f"git {' '.join(arguments)}: {message}")
    return result.stdout


def read_git(source: GitPath, cwd: Path | None = None) -> str:
    return _git(["show", source.object], cwd)


def load_spec(source: Source, cwd: Path | None = None) -> Document:
    if isinstance(source, Absent):
        return parse_document(_EMPTY_SPEC, str(source))
    if isinstance(source, Path):
        return load_document(source)
    return parse_document(read_git(source, cwd), str(source))


def load_renames(source: Source | None, cwd: Path | None = None) -> RenameMap:
    if source is None or isinstance(source, Absent):
        return RenameMap({})
    if isinstance(source, Path):
        return parse_rename_map(load_data_file(source))
    return parse_rename_map(parse_data_text(read_git(source, cwd), str(source)))


def repository_root(cwd: Path) -> Path:
    return Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())


def default_branch(cwd: Path) -> str:
    """origin/HEAD's branch, else main, else master (local, then origin's)."""
    try:
        found = _git(["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"], cwd).strip()
    except ClientgenError:
        found = ""
    if found:
        return found
    for candidate in ("main", "master", "origin/main", "origin/master"):
        try:
            _git(["rev-parse", "--verify", "--quiet", candidate], cwd)
            return candidate
        except ClientgenError:
            continue
    raise ClientgenError(
        "no default branch found (origin/HEAD, main or master); name both sides: clientgen diff OLD NEW"
    )


def merge_base(cwd: Path, branch: str | None = None) -> str:
    """The commit where HEAD left ``branch`` (default: the default branch)."""
    return _git(["merge-base", "HEAD", branch or default_branch(cwd)], cwd).strip()


def exists_at(source: GitPath, cwd: Path) -> bool:
    try:
        _git(["cat-file", "-e", source.object], cwd)
    except ClientgenError:
        return False
    return True


def at_ref(path: Path, ref: str, root: Path, shown: str = "") -> GitPath:
    """``path`` in the working tree, as it was at ``ref`` (named ``shown`` in reports)."""
    return GitPath(ref, path.resolve().relative_to(root.resolve()).as_posix(), shown)
