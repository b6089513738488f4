"""Hand edits as the command line shows them: ``clientgen customisations list | show | drop``, and the
lines ``generate`` and ``check`` print about them.

The merge itself is ``customise``; this module picks the clients and files a
command names, reads the package from disk, and says what happened.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator import console
from generator.apilist import API_LIST
from generator.config import ClientConfig, find_config, load_project, package_config
from generator.customise import CUSTOMISED_HEADING, Outcome, customise, is_ignored
from generator.errors import ClientgenError
from generator.manifest import MANIFEST, recorded_customisations, recorded_hashes, recorded_ignored, sha256
from generator.write import read_package

if TYPE_CHECKING:
    from generator.pipeline import Generated


def merge_edits(
    config: ClientConfig, generated: Generated, on_disk: Mapping[str, bytes], drop: frozenset[str] = frozenset()
) -> Outcome:
    """The package to write for ``config``: the fresh generation with the hand edits on disk merged in."""
    from generator.history import git_history

    return customise(
        generated.files,
        generated.inputs,
        on_disk,
        ignore_files=config.ignore_files,
        drop=drop,
        history=git_history(config.output),
    )


def unmatched_ignores(config: ClientConfig, generated: Mapping[str, bytes]) -> list[str]:
    """``ignore_files`` entries that match no generated file (a typo, or a file the spec no longer makes)."""
    return [pattern for pattern in config.ignore_files if not any(is_ignored(path, [pattern]) for path in generated)]


def blocked_lines(outcome: Outcome, where: str) -> list[str]:
    return [f"{where}/{item.path}: {item.reason}" for item in outcome.blocked]


def report_written(outcome: Outcome, where: str) -> bool:
    """Say what happened to the hand edits in a package just written; True when the user must act (exit 1)."""
    for item in outcome.customised:
        if item.conflicts:
            continue
        recorded = f", recorded in {where}/{item.patch}" if item.new else ""
        console.info(f"  kept your edit of {where}/{item.path} (+{item.added} -{item.removed} lines){recorded}")
    for path in outcome.dropped:
        console.info(f"  dropped your edit of {where}/{path}: it is the generated file again")
    for item in outcome.conflicts:
        print(
            f"  conflict: {where}/{item.path}: your edit and the new output change the same lines; both are in the "
            f"file between <<<<<<< yours and >>>>>>> generated ({item.conflicts} place(s)): resolve them, then run "
            "`clientgen generate` again"
        )
    for path in outcome.orphaned:
        print(
            f"  kept {where}/{path}: it is no longer generated but holds your edits, so it is your own file now "
            "(delete it if you no longer need it)"
        )
    return outcome.needs_attention


@dataclass(frozen=True)
class Finding:
    label: str  # edited by hand, stale, missing, no longer generated, cannot be merged
    path: str  # relative to the output
    note: str = ""  # what ``generate`` will do about it

    def line(self, where: str) -> str:
        return f"{self.label}: {where}/{self.path}" + (f" ({self.note})" if self.note else "")


def check_findings(on_disk: Mapping[str, bytes], outcome: Outcome) -> list[Finding]:
    """Each way the package on disk differs from what ``generate`` would leave."""
    if outcome.blocked:
        return [Finding("cannot be merged", item.path, item.reason) for item in outcome.blocked]
    recorded = recorded_hashes(on_disk.get(MANIFEST, b""))
    owned = set(outcome.ignored) | (set(outcome.keep) - set(outcome.orphaned))
    merging = {item.path: item for item in outcome.customised}
    findings: list[Finding] = []
    edited = sorted(
        path
        for path, data in on_disk.items()
        if path != MANIFEST and path not in owned and path in recorded and recorded[path] != sha256(data)
    )
    for path in edited:
        note = "not recorded: `clientgen generate` keeps it as a customisation" if path in merging else ""
        if path in merging and merging[path].conflicts:
            note = "not recorded, and it conflicts with the new output: `clientgen generate` marks the conflict"
        findings.append(Finding("edited by hand", path, note))
    explained = {merging[path].patch for path in edited if path in merging}
    for path in sorted(outcome.files):
        if path in edited or path in explained or path not in on_disk or on_disk[path] == outcome.files[path]:
            continue
        if path.rpartition("/")[2] == API_LIST and _listing(on_disk[path]) == _listing(outcome.files[path]):
            continue  # only its list of customisations changes: the edits above say why
        note = ""
        if path in merging:
            note = (
                "customised, and your edit conflicts with the new output: `clientgen generate` marks the conflict"
                if merging[path].conflicts
                else "customised: `clientgen generate` merges your edit into the new output"
            )
        findings.append(Finding("stale", path, note))
    findings.extend(Finding("missing", path) for path in sorted(set(outcome.files) - set(on_disk) - explained))
    # A patch changes with its file (its context lines are the generated ones): the file's line says why.
    named = {item.path for item in findings}
    findings = [item for item in findings if not any(item.path == merging[path].patch for path in named & set(merging))]
    if len(findings) > 1 or any(item.label == "edited by hand" for item in findings):
        # The manifest changes with anything else: listing it too says nothing more.
        findings = [item for item in findings if item.path != MANIFEST]
    gone = set(recorded) - set(outcome.files) - owned - {MANIFEST}
    orphaned = set(outcome.orphaned)
    findings.extend(
        Finding(
            "no longer generated",
            path,
            "holds your edits: `clientgen generate` leaves it to you" if path in orphaned else "",
        )
        for path in sorted(gone & set(on_disk))
    )
    return findings


def _listing(api_txt: bytes) -> bytes:
    """``api.txt`` without its list of customisations."""
    return api_txt.split(b"\n" + CUSTOMISED_HEADING, 1)[0]


# --- the `customisations` command ---------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    config: ClientConfig
    where: str  # the output as the user should read it
    paths: tuple[str, ...]  # files named on the command line, relative to the output (empty: all)


def _shown(path: Path, root: Path) -> str:
    absolute, base = path.resolve(), root.resolve()
    return absolute.relative_to(base).as_posix() if absolute.is_relative_to(base) else str(path)


def targets(names: Sequence[str], config_path: Path | None) -> list[Target]:
    """The clients (and files) that command-line names mean: client names, output directories, files in them."""
    configured: list[ClientConfig] = []
    root = Path.cwd()
    if config_path is not None or find_config() is not None:
        project = load_project(config_path)
        configured, root = list(project.clients), project.root
    by_name = {config.name: config for config in configured}
    chosen: dict[str, tuple[ClientConfig, list[str]]] = {}

    def add(config: ClientConfig, path: str | None) -> None:
        entry = chosen.setdefault(str(config.output.resolve()), (config, []))
        if path is not None:
            entry[1].append(path)

    for name in names:
        if name in by_name:  # the client, even where a folder of that name exists (`./NAME` means the folder)
            add(by_name[name], None)
            continue
        path = Path(name).resolve()
        owner = next(
            (
                config
                for config in configured
                if path == config.output.resolve() or path.is_relative_to(config.output.resolve())
            ),
            None,
        )
        if owner is None:
            directory = next(
                (folder for folder in (path, *path.parents) if (folder / MANIFEST).is_file()),
                None,
            )
            if directory is None:
                known = ", ".join(sorted(by_name)) or "none configured"
                raise ClientgenError(
                    f"{name} is neither a configured client ({known}) nor inside a package clientgen generated"
                )
            owner = package_config(directory)
        relative = path.relative_to(owner.output.resolve()).as_posix()
        add(owner, None if relative == "." else relative)
    if not names:
        if not configured:
            raise ClientgenError(
                "no configuration found here or in any parent directory: name a generated package's directory"
            )
        for config in configured:
            add(config, None)
    return [Target(config, _shown(config.output, root), tuple(paths)) for config, paths in chosen.values()]


def cmd_list(args: argparse.Namespace) -> int:
    for target in targets(args.names, args.config):
        manifest = _manifest(target.config.output)
        records = recorded_customisations(manifest)
        ignored = recorded_ignored(manifest)
        pending = _edited_since(target.config.output, manifest)
        chosen = set(target.paths)
        shown = [path for path in sorted(records) if not chosen or path in chosen]
        print(
            f"{target.config.name} ({target.where}): {len(records)} customised file(s), {len(ignored)} ignored, "
            f"{len(pending)} edited since the last `clientgen generate`"
        )
        for path in shown:
            record = records[path]
            counts = record.get("lines")
            lines: dict[str, object] = counts if isinstance(counts, dict) else {}
            state = (
                "unresolved conflict"
                if record.get("conflict")
                else f"+{lines.get('added', '?')} -{lines.get('removed', '?')} lines"
            )
            print(f"  customised: {target.where}/{path} ({state}; patch {target.where}/{record['patch']})")
            names = record.get("names")
            if isinstance(names, dict):
                for kind in ("added", "changed", "removed"):
                    for name in names.get(kind) or ():
                        print(f"    {kind} {name}")
        for path in ignored:
            if not chosen or path in chosen:
                print(f"  ignored (yours): {target.where}/{path}")
        for path in pending:
            if not chosen or path in chosen:
                print(f"  edited, not recorded yet: {target.where}/{path} (`clientgen generate` records it)")
    return 0


def _fresh_outcome(target: Target, drop: frozenset[str] = frozenset()) -> tuple[Generated, Outcome, dict[str, bytes]]:
    from generator.cache import open_cache
    from generator.pipeline import generate

    generated = generate(target.config, cache=open_cache(True))
    on_disk = read_package(target.config.output, generated.files)
    return generated, merge_edits(target.config, generated, on_disk, drop), on_disk


def _edited_since(output: Path, manifest: bytes) -> list[str]:
    """Files that differ from what the last ``generate`` wrote (new edits, or recorded ones edited again)."""
    return sorted(
        path
        for path, digest in recorded_hashes(manifest).items()
        if path != MANIFEST and (output / path).is_file() and sha256((output / path).read_bytes()) != digest
    )


def _manifest(output: Path) -> bytes:
    return (output / MANIFEST).read_bytes() if (output / MANIFEST).is_file() else b""


def cmd_show(args: argparse.Namespace) -> int:
    for target in targets(args.names, args.config):
        output = target.config.output
        manifest = _manifest(output)
        records = recorded_customisations(manifest)
        chosen = set(target.paths)
        wanted = [path for path in sorted(records) if not chosen or path in chosen]
        if chosen <= set(records) and not _edited_since(output, manifest):
            for path in wanted:  # as recorded: nothing to generate
                sys.stdout.write((output / str(records[path]["patch"])).read_text(encoding="utf-8", errors="replace"))
            continue
        _, outcome, _ = _fresh_outcome(target)
        for line in blocked_lines(outcome, target.where):
            print(f"clientgen: error: {line}", file=sys.stderr)
        if outcome.blocked:
            return 1
        for item in outcome.customised:
            if chosen and item.path not in chosen:
                continue
            if item.new:
                sys.stdout.write(f"# {target.where}/{item.path}: not recorded yet (`clientgen generate` records it)\n")
            sys.stdout.write(item.diff)
    return 0


def cmd_drop(args: argparse.Namespace) -> int:
    from generator.write import check_overwrites, write_tree

    if not args.names:
        raise ClientgenError("name the customised files to drop (paths, or a client name for all of its files)")
    status = 0
    for target in targets(args.names, args.config):
        output = target.config.output
        manifest = _manifest(output)
        candidates = set(recorded_customisations(manifest)) | set(_edited_since(output, manifest))
        wanted = set(target.paths) or candidates
        unknown = sorted(wanted - candidates)
        if unknown:
            raise ClientgenError(f"{target.where}/{unknown[0]} has no customisation to drop")
        if not wanted:
            console.info(f"{target.config.name}: no customisation to drop")
            continue
        generated, outcome, _ = _fresh_outcome(target, frozenset(wanted))
        lines = blocked_lines(outcome, target.where)
        if lines:
            for line in lines:
                print(f"clientgen: error: {line}", file=sys.stderr)
            return 1
        files = {**outcome.files, **outcome.seeds}
        check_overwrites(output, files)
        write_tree(output, files, outcome.keep)
        if report_written(outcome, target.where):
            status = 1
    return status


# --- what `diff` says about customised names --------------------------------------------------------


def _reached(path: str, names: Sequence[str], location: str) -> list[str]:
    """The customised names of ``path`` that a diff finding at ``location`` (``products.list``, ``Product.id``) reaches."""
    parts = location.split("(", 1)[0].split(".")
    folder, _, file = path.rpartition("/")
    module = file.removesuffix(".py")
    if not parts or not parts[0] or file == module:
        return []
    if parts[0][:1].isupper():  # a model, or one of its fields
        if not module.lstrip("_").startswith(("models", "types")):
            return []
        return [name for name in names if name == parts[0] or name.startswith(parts[0] + ".")]
    if folder.rpartition("/")[2] not in ("resources", "typed_resources"):
        return []
    if module == "_".join(parts):  # the whole resource
        return list(names)
    if module == "_".join(parts[:-1]):  # one of its methods
        return [name for name in names if name.rpartition(".")[2] == parts[-1]]
    return []


def diff_notes(client: str, manifest: bytes, locations: Sequence[str]) -> list[str]:
    """One warning per customised file that a spec change reaches, naming the customised names it touches."""
    notes = []
    for path, record in sorted(recorded_customisations(manifest).items()):
        recorded = record.get("names")
        names = (
            [str(name) for kind in ("added", "changed", "removed") for name in recorded.get(kind) or ()]
            if isinstance(recorded, dict)
            else []
        )
        reached = sorted({name for location in locations for name in _reached(path, names, location)})
        where = sorted({location for location in locations if _reached(path, names, location)})
        if reached:
            notes.append(
                f"{client}: {path} is customised by hand ({', '.join(reached)}), and the changes to "
                f"{', '.join(where)} reach it: check that your edit still fits after `clientgen generate`"
            )
    return notes
