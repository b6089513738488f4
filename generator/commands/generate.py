"""``clientgen generate``: every configured client, or one spec file; all generated in memory before anything is written."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from generator import console, uptodate
from generator.cache import open_cache
from generator.commands.common import customised_note, is_spec_file, moved_output, progress_for, shown_path
from generator.config import ClientConfig, client_config, find_config, load_project, project_root, with_options
from generator.errors import ClientgenError
from generator.manifest import MANIFEST
from generator.uptodate import UpToDate
from generator.write import check_overwrites, check_target, read_package, retire_tree, write_tree

if TYPE_CHECKING:
    from generator.customise import Outcome
    from generator.pipeline import Generated


def _single_spec_config(args: argparse.Namespace) -> ClientConfig:
    spec = Path(args.target[0])
    if not args.package or not args.output:
        raise ClientgenError("generating from a spec file needs --package and --output")
    return client_config(
        from_flags=True,
        spec=spec,
        package=args.package,
        output=args.output,
        renames=args.renames,
        http_module=args.http,
        validation="lenient" if args.lenient else None,
        ignore_validation=args.ignore,
    )


def _protected_without_loading(config_path: Path | None) -> list[tuple[Path, str]]:
    """The nearest project's root and configuration directory, which no output may be or contain."""
    found = config_path or find_config()
    if found is None:
        return []
    return [(project_root(found), "the project's root"), (found.parent, f"the configuration ({found.name})")]


def run(args: argparse.Namespace) -> int:
    if len(args.target) == 1 and is_spec_file(args.target[0]):
        configs = [_single_spec_config(args)]
        protected = _protected_without_loading(args.config)
        root = Path.cwd()
    else:
        project = load_project(args.config)
        configs = project.select(args.target)
        protected = project.protected()
        root = project.root
        if args.lenient or args.http or args.ignore:
            configs = [
                with_options(
                    config,
                    validation="lenient" if args.lenient else config.validation,
                    http_module=args.http or config.http_module,
                    ignore_validation=[*config.ignore_validation, *args.ignore],
                )
                for config in configs
            ]
    # Refuse unsafe targets and generate everything in memory first: one failure writes nothing at all.
    for config in configs:
        check_target(config.output, protected, shown_path(config.output, root))
    cache = open_cache(not args.no_cache)
    project_root_of_run = None if len(args.target) == 1 and is_spec_file(args.target[0]) else root
    moves: dict[str, Path] = {}
    results: list[tuple[ClientConfig, str | None, UpToDate | tuple[Generated, Outcome]]] = []
    for config in configs:
        entry = uptodate.inputs_key(config) if cache.enabled else None
        unchanged = uptodate.check(config, cache, entry)
        if unchanged is not None:
            results.append((config, entry, unchanged))
            continue
        from generator.customisations import merge_edits
        from generator.pipeline import generate

        with progress_for(config, len(configs)) as progress:
            generated = generate(config, cache=cache, progress=progress)
        moved_from = moved_output(config, project_root_of_run)
        # A moved client starts from its old tree, so that its hand edits move with it.
        on_disk = read_package(moved_from) if moved_from is not None else read_package(config.output, generated.files)
        if moved_from is not None:
            moves[config.name] = moved_from
        results.append((config, entry, (generated, merge_edits(config, generated, on_disk))))
    blocked = [
        line
        for config, _, result in results
        if not isinstance(result, UpToDate)
        for line in _blocked(result[1], shown_path(config.output, root))
    ]
    if blocked:
        for line in blocked:
            print(f"clientgen: error: {line}", file=sys.stderr)
        print("clientgen: nothing was written", file=sys.stderr)
        return 1
    for config, _, result in results:
        if not isinstance(result, UpToDate):
            check_overwrites(config.output, {**result[1].files, **result[1].seeds})
    attention = False
    for config, entry, result in results:
        where = shown_path(config.output, root)
        if isinstance(result, UpToDate):
            for warning in result.warnings:
                console.warn(warning)
            console.info(
                f"{config.name}: up to date, {result.files} files in {where}{customised_note(result.customised)}"
            )
            continue
        from generator.customisations import report_written, unmatched_ignores

        generated, outcome = result
        warnings = [str(problem) for problem in generated.analysis.problems]
        for warning in warnings:
            console.warn(warning)
        for pattern in unmatched_ignores(config, generated.files):
            console.warn(f"{config.name}: ignore_files entry {pattern!r} matches no generated file")
        write_tree(config.output, {**outcome.files, **outcome.seeds}, outcome.keep)
        uptodate.remember(cache, entry, outcome.files[MANIFEST], warnings)
        console.info(f"generated {config.name}: {len(outcome.files)} files in {where}")
        if config.name in moves:
            old = moves[config.name]
            removed, left = retire_tree(old, outcome.orphaned)
            kept = f"; {len(left)} file(s) of yours stay there" if left else ""
            console.info(
                f"  moved from {shown_path(old, root)} (`output` changed): removed its {len(removed)} generated files{kept}"
            )
        attention = report_written(outcome, where) or attention
    return 1 if attention else 0


def _blocked(outcome: Outcome, where: str) -> list[str]:
    from generator.customisations import blocked_lines

    return blocked_lines(outcome, where)
