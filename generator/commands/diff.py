"""``clientgen diff``: pick the sides and the configuration to compare them under, then report (``generator.diff``)."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from generator import console
from generator.cache import open_cache
from generator.config import ClientConfig, Project, load_project
from generator.errors import ClientgenError
from generator.manifest import MANIFEST

if TYPE_CHECKING:
    from generator.diff.report import SpecReport


def _project_if_any(config_path: Path | None) -> Project | None:
    """The configuration, when there is one (diff of two plain files needs none)."""
    try:
        return load_project(config_path)
    except ClientgenError:
        if config_path is not None:
            raise
        return None


def run(args: argparse.Namespace) -> int:
    from generator.diff import command as diffcommand
    from generator.diff import report as diffreport
    from generator.diff.source import parse_source
    from generator.load import load_data_file

    if len(args.sides) not in (0, 2):
        raise ClientgenError(
            "diff takes two specs (OLD NEW), or none to compare the configured specs with the default branch"
        )
    if args.renames is not None and len(args.renames) > 2:
        raise ClientgenError("--renames takes one map (both sides) or two (OLD_MAP NEW_MAP)")
    outputs = diffreport.parse_outputs(args.format or ["text"])
    cache = open_cache(not args.no_cache)
    ignore = (
        diffreport.parse_ignore(load_data_file(args.ignore), args.ignore.suffix.lower() in (".yaml", ".yml", ".json"))
        if args.ignore
        else ()
    )
    reports = []
    if args.sides:
        config = diffcommand.default_config(args.lenient)
        old_source, new_source = parse_source(args.sides[0]), parse_source(args.sides[1])
        renames = [parse_source(item) for item in args.renames or []]
        configured = None
        project = None
        if args.client:
            project = load_project(args.config)
            configured = project.select([args.client])[0]
        elif not renames:
            # Files of a configured client: use its rename map and settings, as `generate` does.
            project = _project_if_any(args.config)
            configured = diffcommand.client_for(project, old_source, new_source, Path.cwd()) if project else None
        if configured is not None:
            config = configured
        config = diffcommand.with_policy(config, args.lenient)
        if renames:
            old_map, new_map = renames[0], renames[-1]
            old, new = diffcommand.Side(old_source, old_map), diffcommand.Side(new_source, new_map)
        elif configured is not None:
            old, new = diffcommand.configured_sides(configured, old_source, new_source, Path.cwd(), project)
        else:
            old, new = diffcommand.Side(old_source, None), diffcommand.Side(new_source, None)
        reports.append(
            _with_customisations(
                diffcommand.compare_sides(config.name, old, new, config, None, cache, args.show_api), configured
            )
        )
    else:
        if args.renames:
            raise ClientgenError("--renames needs OLD and NEW specs; configured clients use their own rename maps")
        project = load_project(args.config)
        names = [args.client] if args.client else []
        for config, old, new in diffcommand.configured_pairs(project, names, project.root, args.base):
            reports.append(
                _with_customisations(
                    diffcommand.compare_sides(
                        config.name,
                        old,
                        new,
                        diffcommand.with_policy(config, args.lenient),
                        project.root,
                        cache,
                        args.show_api,
                    ),
                    config,
                )
            )
    reports = [replace(report, findings=diffreport.apply_ignore(report.findings, ignore)) for report in reports]
    for report in reports:
        for warning in report.warnings:
            console.warn(warning)
    diffcommand.write_outputs(outputs, reports, args.show_api)
    return diffreport.exit_status(reports, args.fail_on)


def _with_customisations(report: SpecReport, config: ClientConfig | None) -> SpecReport:
    """A configured client's report, warning where a change reaches a name customised by hand in its package."""
    manifest = config.output / MANIFEST if config is not None else None
    if manifest is None or not manifest.is_file():
        return report
    from generator.customisations import diff_notes

    notes = diff_notes(report.name, manifest.read_bytes(), [finding.location for finding in report.findings])
    return replace(report, warnings=(*report.warnings, *notes)) if notes else report
