"""``clientgen renames suggest``: a complete rename map for a spec, or a client's map refreshed in place."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from generator import console
from generator.commands.common import is_spec_file, shown_path
from generator.config import ClientConfig, client_config, load_project
from generator.errors import ClientgenError, Location
from generator.write import write_file_atomically


def _suggest_target(args: argparse.Namespace) -> tuple[ClientConfig, Path | None, str]:
    """The client whose map to suggest (configured, or a spec file with defaults), the map to update and how to name the spec."""
    if args.target is not None and is_spec_file(args.target):
        spec = Path(args.target)
        config = client_config(name="suggest", spec=spec, package="suggest", output=spec.parent, renames=args.renames)
        return config, args.renames, str(spec)
    project = load_project(args.config)
    if args.target is None and len(project.clients) > 1:
        names = ", ".join(client.name for client in project.clients)
        raise ClientgenError(f"name the client whose rename map to suggest (configured: {names})")
    config = project.select([args.target] if args.target else [])[0]
    return config, args.renames or config.renames, shown_path(config.spec, project.root)


def run(args: argparse.Namespace) -> int:
    from generator.load import load_data_file, load_document
    from generator.naming.rename_map import RenameMap, parse_rename_map
    from generator.naming.suggest import suggest_rename_map, update_rename_map
    from generator.pipeline import analyse

    config, map_path, spec_shown = _suggest_target(args)
    if args.lenient:
        config = replace(config, validation="lenient")
    if args.write and map_path is None:
        raise ClientgenError(
            "--write needs a rename map to update: a configured client's `renames:`, or --renames PATH"
        )
    existing = load_data_file(map_path) if map_path is not None and (map_path.exists() or not args.write) else None
    if existing is not None and not existing.data:
        raise ClientgenError(
            "the rename map is empty or not a mapping of schema keys to class names (restore it from git first)",
            Location(existing.path),
        )
    document = load_document(config.spec)
    # Entries whose schema is gone are reported, not applied: they would stop the naming.
    schemas = (
        document.data.get("components", {}).get("schemas", {})
        if isinstance(document.data.get("components"), dict)
        else {}
    )
    kept = (
        {key: name for key, name in parse_rename_map(existing).entries.items() if key in schemas}
        if existing is not None
        else {}
    )
    analysis = analyse(config, document, RenameMap(kept, existing))
    for problem in analysis.problems:
        console.warn(str(problem))
    if existing is None:
        text = suggest_rename_map(analysis.api, analysis.operation_names, analysis.model_names, spec_shown)
        added, stale = sorted(analysis.api.schemas), list[str]()
    else:
        text, added, stale = update_rename_map(
            existing, analysis.api, analysis.operation_names, analysis.model_names, spec_shown
        )
    if not args.write:
        sys.stdout.write(text)
        return 0
    assert map_path is not None
    write_file_atomically(map_path, text)
    verb = "wrote" if existing is None else "updated"
    console.info(f"{verb} {map_path}: {len(added)} new, {len(stale)} stale (commented out), the rest kept as they were")
    return 0
