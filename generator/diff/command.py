"""Running ``clientgen diff``: load both sides, analyse them alike, compare, report.

Each side is a spec (file or ``REF:path``) and a rename map; both go through
``pipeline.analyse`` under the same client configuration (validation policy,
settings), so the findings and the api.txt diff speak in readable names.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from generator.apilist import API_LIST, build_api_list
from generator.config import ClientConfig, Project, client_config
from generator.diff.compare import compare_analyses
from generator.diff.report import SpecReport, api_diff
from generator.diff.source import (
    Absent,
    GitPath,
    Source,
    at_ref,
    exists_at,
    load_renames,
    load_spec,
    merge_base,
    repository_root,
)
from generator.errors import ClientgenError
from generator.pipeline import Analysis, analyse
from generator.view.package import build_view


@dataclass(frozen=True)
class Side:
    spec: Source
    renames: Source | None


def default_config(lenient: bool) -> ClientConfig:
    """Settings for a spec with no configured client."""
    return client_config(
        name="api",
        spec=Path("spec.yaml"),
        package="api",
        output=Path("api"),
        validation="lenient" if lenient else "strict",
    )


def with_policy(config: ClientConfig, lenient: bool) -> ClientConfig:
    return replace(config, validation="lenient") if lenient else config


def _analyse(side: Side, config: ClientConfig, cwd: Path | None) -> Analysis:
    document = load_spec(side.spec, cwd)
    return analyse(config, document, load_renames(side.renames, cwd))


def api_text(analysis: Analysis, config: ClientConfig) -> str:
    view = build_view(analysis.api, analysis.schemas, analysis.operation_names, config)
    return build_api_list(view, analysis.models)


def display(source: Source, root: Path | None) -> str:
    """How a report names a side: files relative to the repository when inside it."""
    if isinstance(source, Path) and root is not None and source.resolve().is_relative_to(root.resolve()):
        return source.resolve().relative_to(root.resolve()).as_posix()
    return str(source)


def compare_sides(name: str, old: Side, new: Side, config: ClientConfig, cwd: Path | None = None) -> SpecReport:
    before = _analyse(old, config, cwd)
    after = _analyse(new, config, cwd)
    findings = compare_analyses(before, after, servers_configured=bool(config.environments))
    old_name, new_name = display(old.spec, cwd), display(new.spec, cwd)
    text = api_diff(
        api_text(before, config), api_text(after, config), f"{old_name} ({API_LIST})", f"{new_name} ({API_LIST})"
    )
    warnings = tuple(dict.fromkeys(str(problem) for analysis in (before, after) for problem in analysis.problems))
    return SpecReport(name, old_name, new_name, tuple(findings), text, warnings)


def _absolute(source: Source, cwd: Path) -> Path | None:
    """Where a side lives in the working tree: the file, or REF:path's path under the repository root."""
    if isinstance(source, Path):
        return source.resolve()
    if isinstance(source, Absent):
        return None
    try:
        return (repository_root(cwd) / source.path).resolve()
    except ClientgenError:
        return None


def client_for(project: Project, old: Source, new: Source, cwd: Path) -> ClientConfig | None:
    """The configured client whose spec NEW (else OLD) is, so ``diff OLD NEW`` uses its rename map and settings."""
    for source in (new, old):
        place = _absolute(source, cwd)
        for config in project.clients:
            if place is not None and config.spec.resolve() == place:
                return config
    return None


def configured_sides(config: ClientConfig, old: Source, new: Source, cwd: Path) -> tuple[Side, Side]:
    """Each side with the client's rename map as it was on that side (``REF:`` map for a ``REF:path`` spec)."""

    def renames_for(source: Source) -> Source | None:
        if config.renames is None:
            return None
        if isinstance(source, GitPath):
            try:
                candidate = at_ref(config.renames, source.ref, repository_root(cwd))
            except (ClientgenError, ValueError):
                return config.renames
            return candidate if exists_at(candidate, cwd) else None
        return config.renames

    return Side(old, renames_for(old)), Side(new, renames_for(new))


def configured_pairs(
    project: Project, names: list[str], cwd: Path, branch: str | None = None
) -> list[tuple[ClientConfig, Side, Side]]:
    """Each configured spec at the merge base with ``branch`` (default branch), and in the working tree."""
    root = repository_root(cwd)
    base = merge_base(cwd, branch)[:12]
    pairs = []
    for config in project.select(names):
        old_spec = at_ref(config.spec, base, root)
        if not exists_at(old_spec, root):
            # A new client: everything it has is new, and the report says so.
            pairs.append((config, Side(Absent(), None), Side(config.spec, config.renames)))
            continue
        old_renames: GitPath | None = None
        if config.renames is not None:
            candidate = at_ref(config.renames, base, root)
            old_renames = candidate if exists_at(candidate, root) else None
        pairs.append((config, Side(old_spec, old_renames), Side(config.spec, config.renames)))
    return pairs
