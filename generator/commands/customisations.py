"""``clientgen customisations list | show | drop``: the hand edits that ``generate`` keeps, per client or file.

The merge and the lines ``generate`` and ``check`` print are ``generator.customisations``;
this module picks the clients and files a command names, reads the package from disk
and says what happened.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator import console
from generator.commands.common import shown_path
from generator.config import ClientConfig, find_config, load_project, package_config
from generator.customisations import blocked_lines, merge_edits, report_written
from generator.errors import ClientgenError
from generator.manifest import MANIFEST, recorded_customisations, recorded_hashes, recorded_ignored, sha256
from generator.write import read_package

if TYPE_CHECKING:
    from generator.customise import Outcome
    from generator.pipeline import Generated


@dataclass(frozen=True)
class Target:
    config: ClientConfig
    where: str  # the output as the user should read it
    paths: tuple[str, ...]  # files named on the command line, relative to the output (empty: all)


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
    return [Target(config, shown_path(config.output, root), tuple(paths)) for config, paths in chosen.values()]


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


def run(args: argparse.Namespace) -> int:
    handlers = {"list": cmd_list, "show": cmd_show, "drop": cmd_drop}
    return handlers[args.custom_command](args)
