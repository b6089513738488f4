"""Stage 11, customise: keep the hand edits in a package while the generated code under them changes.

A fresh generation (``theirs``) meets the package on disk (``ours``). For each
file that someone edited, a three-way merge (``merge3``) puts the edit on top of
the new output; its base is the pristine output the edit was made on. That base
is recovered from what is committed beside the package, so a fresh clone in CI
needs no cache: every customised file has a patch, ``_customisations/<path>.patch``,
from the generated file to the customised one, and the manifest records the
sha256 of the generated file. The base is, in order, the file on disk with its
patch reversed; the new output itself (the spec did not change); the one mix of
the edited file and the new output, stretch by stretch where they differ, that
has the recorded hash (the edits and the spec's changes touched different lines:
this recovers an edit never recorded, or edited again since, without git); an
earlier version of the file from git (``history``). Every candidate must have
the recorded hash, so a wrong base is never used.

A merge that conflicts keeps both versions between git-style markers and is
recorded as a conflict: the next run refuses to go on until the markers are
gone, then records the resolved file. A customised file that is no longer
generated is left in place as the user's own. Paths matched by ``ignore_files``
belong to the user: written once if absent, never replaced, removed or checked.

Pure: the package on disk comes in as bytes, the git lookup as a function.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.apilist import API_LIST
from generator.linediff import opcodes
from generator.manifest import (
    CUSTOMISATIONS,
    MANIFEST,
    build_manifest,
    recorded_customisations,
    recorded_hashes,
    sha256,
)
from generator.merge3 import has_conflict_markers, merge3, split_lines
from generator.patches import PatchError, changed_lines, make_patch, reverse, reverse_where_it_fits
from generator.publicnames import NameChanges, compare
from generator.text import listing

CUSTOMISED_HEADING = b"customised by hand ("  # starts the list of customisations at the end of api.txt

#: (path in the output, sha256) → that version of the file, if some record of it (git) has it.
History = Callable[[str, str], bytes | None]


@dataclass(frozen=True)
class Customised:
    """A generated file with a hand edit on top, as this run leaves it."""

    path: str
    patch: str  # where its patch is, relative to the output
    added: int  # lines the edit adds to the generated file
    removed: int
    names: NameChanges | None  # public names it adds, changes, removes (Python files that parse)
    conflicts: int  # conflict blocks left in the file by this run (0: merged)
    new: bool  # an edit this run records for the first time (or changed since it was recorded)
    diff: str  # the patch: from the generated file to the customised one


@dataclass(frozen=True)
class Blocked:
    """A file this run cannot merge: nothing of its package is written."""

    path: str
    reason: str


@dataclass(frozen=True)
class Outcome:
    files: dict[str, bytes]  # the package as its manifest lists it: generated, merged, patches, the manifest
    seeds: dict[str, bytes]  # ignored files that do not exist yet: written once, the user's from then on
    keep: frozenset[str]  # paths no write may replace or remove (ignored, or customised and no longer generated)
    customised: tuple[Customised, ...]
    orphaned: tuple[str, ...]  # customised files no longer generated, left in place as the user's
    ignored: tuple[str, ...]  # generated paths the ignore list gives to the user
    blocked: tuple[Blocked, ...]
    dropped: tuple[str, ...]  # customisations dropped on request

    @property
    def conflicts(self) -> tuple[Customised, ...]:
        return tuple(item for item in self.customised if item.conflicts)

    @property
    def needs_attention(self) -> bool:
        return bool(self.conflicts or self.orphaned or self.blocked)


def patch_path(path: str) -> str:
    return f"{CUSTOMISATIONS}/{path}.patch"


def is_ignored(path: str, patterns: Iterable[str]) -> bool:
    """Whether an output path matches an ``ignore_files`` pattern (shell globs; ``*`` crosses folders)."""
    return any(fnmatch.fnmatchcase(path, pattern) or path.startswith(pattern.rstrip("/") + "/") for pattern in patterns)


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _api_list(paths: Iterable[str]) -> str | None:
    candidates = sorted((path for path in paths if path == API_LIST or path.endswith("/" + API_LIST)), key=len)
    return candidates[0] if candidates else None


@dataclass(frozen=True)
class _Previous:
    """The package on disk and what its manifest says."""

    tree: Mapping[str, bytes]
    hashes: Mapping[str, str]
    records: Mapping[str, Mapping[str, Any]]

    @classmethod
    def read(cls, tree: Mapping[str, bytes]) -> _Previous:
        manifest = tree.get(MANIFEST, b"")
        return cls(tree, recorded_hashes(manifest), recorded_customisations(manifest))


def recover_base(
    path: str, ours: bytes, theirs: bytes | None, previous: _Previous, history: History | None
) -> bytes | None:
    """The generated file that the edit in ``ours`` was made on, or None when nothing committed can make it."""
    record = previous.records.get(path)
    wanted = str(record["base"]) if record else previous.hashes.get(path)
    if wanted is None:
        return None
    patch = previous.tree.get(str(record["patch"])) if record else None

    def reversed_from(edited: bytes) -> bytes | None:
        if patch is None:
            return None
        try:
            candidate = reverse(_text(patch), _text(edited))
        except PatchError:
            return None
        return _bytes(candidate) if candidate is not None and sha256(_bytes(candidate)) == wanted else None

    def reversed_where_it_fits(edited: bytes) -> bytes | None:
        """``edited`` with each recorded hunk that still fits taken out (edits made since then stay in)."""
        if patch is None:
            return None
        try:
            return _bytes(reverse_where_it_fits(_text(patch), _text(edited)))
        except PatchError:
            return None

    found = reversed_from(ours)
    if found is not None:
        return found
    if theirs is not None and sha256(theirs) == wanted:
        return theirs
    if theirs is not None:
        # Where the edits and the spec's changes touch different lines, the base is the new output's
        # version of some stretches and the edited file's version of the others: the hash tells which.
        for edited in dict.fromkeys(candidate for candidate in (reversed_where_it_fits(ours), ours) if candidate):
            found = _combined(edited, theirs, wanted)
            if found is not None:
                return found
    if history is None:
        return None
    found = history(path, wanted)
    if found is not None and sha256(found) == wanted:
        return found
    as_recorded = previous.hashes.get(path)
    if record is not None and as_recorded is not None:
        # The customised file as clientgen last wrote it (committed), with its patch reversed.
        written = history(path, as_recorded)
        if written is not None and sha256(written) == as_recorded:
            return reversed_from(written)
    return None


_MOST_STRETCHES = 12  # 4,096 candidates at most


def _combined(edited: bytes, theirs: bytes, wanted: str) -> bytes | None:
    """The text with hash ``wanted`` made of ``edited`` and ``theirs``, taking each stretch where they differ
    from one or the other; None when no choice has that hash (the edit and the spec changed the same lines)."""
    a, b = split_lines(_text(edited)), split_lines(_text(theirs))
    codes = opcodes(a, b)
    stretches = sum(1 for code in codes if code[0] != "equal")
    if not stretches or stretches > _MOST_STRETCHES:
        return None
    for choice in range(1 << stretches):
        parts: list[str] = []
        stretch = 0
        for tag, i1, i2, j1, j2 in codes:
            if tag == "equal":
                parts.extend(a[i1:i2])
                continue
            parts.extend(b[j1:j2] if choice >> stretch & 1 else a[i1:i2])
            stretch += 1
        candidate = _bytes("".join(parts))
        if sha256(candidate) == wanted:
            return candidate
    return None


def _blocked_message(record: Mapping[str, Any] | None) -> str:
    if record is not None:
        return (
            f"edited since its customisation was recorded, and neither its patch ({record['patch']}) nor git has "
            "the generated version the edits apply to: regenerate once with the spec and settings it was last "
            "generated from, to record the edit, or discard it with `clientgen customisations drop`"
        )
    return (
        "edited by hand, and the generated version the edit was made on can no longer be made (the spec, the "
        "settings or clientgen changed too, and git has no commit of it): regenerate once with the spec and "
        "settings it was generated from, to record the edit, or discard it with `clientgen customisations drop`"
    )


def _merge_file(
    path: str, theirs: bytes, previous: _Previous, history: History | None
) -> tuple[bytes, Customised | None, Blocked | None]:
    ours = previous.tree.get(path)
    written = previous.hashes.get(path)
    record = previous.records.get(path)
    if ours is None or written is None or ours == theirs:
        # Missing: generate it again. Not clientgen's before: `write` refuses. Equal: nothing to keep.
        return theirs, None, None
    edited = sha256(ours) != written
    if record is None and not edited:
        return theirs, None, None
    if record is not None and record.get("conflict") and has_conflict_markers(_text(ours)):
        return (
            theirs,
            None,
            Blocked(path, "still has conflict markers: resolve them (keep what you want), then run again"),
        )
    base = recover_base(path, ours, theirs, previous, history)
    if base is None:
        return theirs, None, Blocked(path, _blocked_message(record))
    if ours == base:
        return theirs, None, None  # the edit was undone
    merged = merge3(_text(base), _text(ours), _text(theirs))
    final = _bytes(merged.text)
    if final == theirs:
        return theirs, None, None  # the generator now writes what the edit wrote
    patch = make_patch(_text(theirs), merged.text, f"a/{path}", f"b/{path}")
    added, removed = changed_lines(patch)
    names = compare(_text(theirs), merged.text) if path.endswith(".py") and not merged.conflicts else None
    item = Customised(path, patch_path(path), added, removed, names, merged.conflicts, record is None or edited, patch)
    return final, item, None


def api_section(customised: Iterable[Customised]) -> str:
    """What ``api.txt`` says about the customisations: the files, and the public names each one touches."""
    items = sorted(customised, key=lambda item: item.path)
    if not items:
        return ""
    heading = CUSTOMISED_HEADING.decode()
    lines = ["", f"{heading}kept by `clientgen generate`; `clientgen customisations show` prints each patch)"]
    for item in items:
        state = f"{item.conflicts} unresolved conflict(s)" if item.conflicts else f"+{item.added} -{item.removed} lines"
        lines.append(f"    {listing(item.path)}: {state}")
        if item.names is None:
            continue
        # A new name with its signature; a changed one by name (its generated signature is listed above).
        signatures = dict(item.names.signatures)
        lines.extend(f"        added {listing(signatures[name])}" for name in item.names.added)
        lines.extend(f"        changed {listing(name)}" for name in item.names.changed)
        lines.extend(f"        removed {listing(name)}" for name in item.names.removed)
    return "\n".join(lines) + "\n"


def _record(item: Customised, base: bytes) -> dict[str, Any]:
    record: dict[str, Any] = {
        "base": sha256(base),
        "patch": item.patch,
        "lines": {"added": item.added, "removed": item.removed},
        "names": (
            {"added": list(item.names.added), "changed": list(item.names.changed), "removed": list(item.names.removed)}
            if item.names is not None
            else None
        ),
    }
    if item.conflicts:
        record["conflict"] = True
    return record


def customise(
    generated: Mapping[str, bytes],
    inputs: Mapping[str, Any],
    on_disk: Mapping[str, bytes],
    *,
    ignore_files: tuple[str, ...] = (),
    drop: frozenset[str] = frozenset(),
    history: History | None = None,
) -> Outcome:
    """The package to write: ``generated`` (a pipeline's files) with the hand edits of ``on_disk`` merged in."""
    previous = _Previous.read(on_disk)
    fresh = {path: data for path, data in generated.items() if path != MANIFEST}
    ignored = sorted(path for path in fresh if is_ignored(path, ignore_files))
    seeds = {path: fresh[path] for path in ignored if path not in on_disk}
    keep = {path for path in ignored if path in on_disk}
    api = _api_list(fresh)
    files: dict[str, bytes] = {}
    customised: list[Customised] = []
    bases: dict[str, bytes] = {}
    blocked: list[Blocked] = []
    dropped = sorted(path for path in drop if path in previous.records or path in previous.hashes)
    for path in sorted(fresh):
        if path in keep or path in seeds or path == api:
            continue
        if path in drop:
            files[path] = fresh[path]
            continue
        files[path], item, problem = _merge_file(path, fresh[path], previous, history)
        if item is not None:
            customised.append(item)
            bases[path] = fresh[path]
        if problem is not None:
            blocked.append(problem)
    if api is not None and api not in keep and api not in seeds:
        listed = fresh[api] + _bytes(api_section(customised))
        if api in drop:
            files[api] = listed
        else:
            files[api], item, problem = _merge_file(api, listed, previous, history)
            if item is not None:
                customised.append(item)
                bases[api] = listed
            if problem is not None:
                blocked.append(problem)
    orphaned = sorted(
        path
        for path, digest in previous.hashes.items()
        if path != MANIFEST
        and path not in fresh
        and not path.startswith(CUSTOMISATIONS + "/")
        and path in on_disk
        and path not in drop
        and (path in previous.records or sha256(on_disk[path]) != digest)
    )
    keep.update(orphaned)
    customised.sort(key=lambda item: item.path)
    for item in customised:
        files[item.patch] = _bytes(item.diff)
    records = {item.path: _record(item, bases[item.path]) for item in customised}
    files[MANIFEST] = build_manifest(files, inputs, records, ignored)
    return Outcome(
        files=files,
        seeds=seeds,
        keep=frozenset(keep),
        customised=tuple(customised),
        orphaned=tuple(orphaned),
        ignored=tuple(ignored),
        blocked=tuple(blocked),
        dropped=tuple(dropped),
    )
