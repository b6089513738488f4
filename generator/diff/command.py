"""Running ``clientgen diff``: load both sides, analyse them alike, compare, report.

Each side is a spec (file or ``REF:path``) and a rename map; both go through
``pipeline.analyse`` under the same client configuration (validation policy,
settings), so the findings and the api.txt diff speak in readable names. Each
side is analysed once, whatever the number of reports written from it; with
two or more cores the old side is analysed in a worker process while this one
analyses the new side, each with its public surface (the methods and the uses
of each model), and this one prepares the rest of its side while the worker
finishes, so that only the comparison itself waits for both. Validation
verdicts come from the cache when it has them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from concurrent.futures import Future
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path

from generator.apilist import API_LIST, build_api_list
from generator.cache import NO_CACHE, Cache
from generator.config import ClientConfig, Project, client_config, project_text
from generator.diff.compare import compare_prepared
from generator.diff.report import RENDERERS, Output, SpecReport, api_diff
from generator.diff.side import Prepared, prepare
from generator.diff.source import (
    Absent,
    GitPath,
    Source,
    at_ref,
    default_branch,
    exists_at,
    load_renames,
    load_spec,
    merge_base,
    read_git,
    repository_root,
)
from generator.errors import ClientgenError, Location
from generator.forked import Forked, can_fork
from generator.load import Document
from generator.pipeline import Analysis, analyse
from generator.view.package import build_view
from generator.workers import die_with_parent, worker_count
from generator.write import write_file_atomically


@dataclass(frozen=True)
class Side:
    spec: Source
    renames: Source | None
    config: ClientConfig | None = None  # the client's configuration on this side (at its ref); None: the report's


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


def _analyse(
    side: Side, config: ClientConfig, cwd: Path | None, cache: Cache = NO_CACHE, checked: bool = True
) -> Prepared:
    """``checked=False``: the old side, read as it is (see ``analyse_both``)."""
    document = load_spec(side.spec, cwd)
    return prepare(analyse(config, document, load_renames(side.renames, cwd), cache, checked=checked))


def _analyse_in_worker(side: Side, config: ClientConfig, cwd: Path | None, cache: Cache = NO_CACHE) -> Prepared:
    """``_analyse`` in a worker process. The document (its text and parsed tree, half of what would be sent
    back) stays there: the comparison and the reports read what the analysis made of it, never the document."""
    analysed = _analyse(side, config, cwd, cache, checked=False)
    document = analysed.analysis.document
    kept = Document(document.path, "", {}, document.duplicates)
    return replace(analysed, analysis=replace(analysed.analysis, document=kept))


def analyse_both(
    old: tuple[Side, ClientConfig], new: tuple[Side, ClientConfig], cwd: Path | None, cache: Cache = NO_CACHE
) -> tuple[Prepared, Prepared]:
    """Both sides, each analysed once: with two or more cores, the old one in a worker while this process does the new.

    The new side is validated under the report's policy; the old side is read
    as it is, not validated: its problems were the base's, reported when it
    was new, and a base that a pull request cannot change must not fail the
    diff of that pull request. It is still read within the parser's limits,
    and its references checked, as every input.

    Whatever goes wrong with the worker itself (it could not start, or its
    result could not come back) only means analysing the old side here; a
    user error in the old side is raised as it would be here.
    """
    if worker_count() < 2:
        return _analyse(*old, cwd, cache, checked=False), _analyse(*new, cwd, cache)
    with ExitStack() as stack:
        pending = _start(stack, old, cwd, cache)
        failure: ClientgenError | None = None
        try:
            after = _analyse(*new, cwd, cache).ready()  # the rest of this side while the worker finishes
        except ClientgenError as error:
            failure = error  # the old side's error, if it has one, comes first (as when analysed in turn)
        try:
            before = pending.result() if pending is not None else _analyse(*old, cwd, cache, checked=False)
        except ClientgenError:
            raise
        except Exception:  # noqa: BLE001 - the worker, not the spec: this process decides (and reports a bug as one)
            before = _analyse(*old, cwd, cache, checked=False)
        if failure is not None:
            raise failure
    return before, after


def _start(
    stack: ExitStack, old: tuple[Side, ClientConfig], cwd: Path | None, cache: Cache
) -> Forked[Prepared] | Future[Prepared] | None:
    """The old side's analysis, started in a worker: a forked child where this process can fork (it starts at
    once, with everything imported), else a one-process pool; None when neither could start."""
    if can_fork():
        try:
            child = Forked(_analyse_in_worker, *old, cwd, cache)
        except OSError:
            return None
        stack.callback(child.stop)
        return child
    from concurrent.futures import ProcessPoolExecutor  # multiprocessing, imported only where a pool is needed

    try:
        pool = stack.enter_context(
            ProcessPoolExecutor(max_workers=1, initializer=die_with_parent, initargs=(os.getpid(),))
        )
        return pool.submit(_analyse_in_worker, *old, cwd, cache)
    except (OSError, ValueError, NotImplementedError, RuntimeError):
        return None


def write_outputs(outputs: Sequence[Output], reports: Sequence[SpecReport], show_api: bool) -> None:
    """Each report in its format, from the one comparison: files written whole (a temporary file renamed) or not at all."""
    for output in outputs:
        text = RENDERERS[output.format](reports, show_api)
        if output.path is None:
            sys.stdout.write(text)
            continue
        target = Path(output.path)
        try:
            write_file_atomically(target, text)
        except OSError as error:
            raise ClientgenError(
                f"cannot write the {output.format} report: {error.strerror or error}", Location(str(target))
            ) from None


def api_text(analysis: Analysis, config: ClientConfig) -> str:
    view = build_view(analysis.api, analysis.schemas, analysis.operation_names, config)
    return build_api_list(view, analysis.models)


def display(source: Source, root: Path | None) -> str:
    """How a report names a side: files relative to the repository when inside it."""
    if isinstance(source, Path) and root is not None and source.resolve().is_relative_to(root.resolve()):
        return source.resolve().relative_to(root.resolve()).as_posix()
    return str(source)


def compare_sides(
    name: str,
    old: Side,
    new: Side,
    config: ClientConfig,
    cwd: Path | None = None,
    cache: Cache = NO_CACHE,
    with_api: bool = True,
) -> SpecReport:
    """Each side analysed under its own configuration (the rename map, ``operations:``, pagination at its ref).

    ``with_api``: also diff the two ``api.txt`` listings (for ``--show-api``; otherwise no report shows it).
    """
    old_config = _policy_of(old.config, config)
    new_config = _policy_of(new.config, config)
    old_side, new_side = analyse_both((old, old_config), (new, new_config), cwd, cache)
    before, after = old_side.analysis, new_side.analysis
    findings = compare_prepared(old_side, new_side, bool(new_config.environments))
    old_name, new_name = display(old.spec, cwd), display(new.spec, cwd)
    text = (
        api_diff(
            api_text(before, old_config),
            api_text(after, new_config),
            f"{old_name} ({API_LIST})",
            f"{new_name} ({API_LIST})",
        )
        if with_api
        else ""
    )
    warnings = tuple(dict.fromkeys(str(problem) for problem in after.problems))  # the old side's are the base's
    return SpecReport(name, old_name, new_name, tuple(findings), text, warnings)


def _policy_of(side: ClientConfig | None, config: ClientConfig) -> ClientConfig:
    """A side's own configuration, validated as the report's is (``--lenient`` applies to both sides)."""
    return config if side is None else replace(side, validation=config.validation)


def project_at(project: Project, ref: str, shown: str) -> Project | None:
    """The configuration as it was at ``ref``; None when it did not exist there."""
    source = at_ref(project.config_path, ref, repository_root(project.root), shown)
    if not exists_at(source, project.root):
        return None
    return project_text(read_git(source, project.root), project.config_path, str(source), project.root)


def client_at(project: Project, config: ClientConfig, ref: str, shown: str) -> ClientConfig:
    """The client's configuration at ``ref``: its own settings then (same name), else today's."""
    before = project_at(project, ref, shown)
    for client in before.clients if before is not None else ():
        if client.name == config.name:
            return client
    return config


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


def configured_sides(
    config: ClientConfig, old: Source, new: Source, cwd: Path, project: Project | None = None
) -> tuple[Side, Side]:
    """Each side with the client's configuration and rename map as they were on that side (at REF for ``REF:path``)."""

    def side(source: Source) -> Side:
        if not isinstance(source, GitPath):
            return Side(source, config.renames)
        try:
            root = repository_root(cwd)
            then = client_at(project, config, source.ref, source.shown or source.ref) if project else config
        except ClientgenError:
            return Side(source, config.renames)
        if then.renames is None:
            return Side(source, None, then)
        try:
            candidate = at_ref(then.renames, source.ref, root, source.shown)
        except ValueError:
            return Side(source, then.renames, then)
        return Side(source, candidate if exists_at(candidate, cwd) else None, then)

    return side(old), side(new)


def configured_pairs(
    project: Project, names: list[str], cwd: Path, branch: str | None = None
) -> list[tuple[ClientConfig, Side, Side]]:
    """Each configured client at the merge base with ``branch`` (default branch), and in the working tree.

    The old side is read whole at the merge base: the spec, the configuration
    (``operations:``, pagination, settings) and the rename map, so that a
    method renamed through the configuration is a rename. Reports name the
    ref as given (``main``), not the merge base's hash.
    """
    root = repository_root(cwd)
    shown = branch or default_branch(cwd)
    base = merge_base(cwd, shown)[:12]
    before = project_at(project, base, shown)
    then = {client.name: client for client in before.clients} if before is not None else {}
    pairs = []
    for config in project.select(names):
        old_config = then.get(config.name, config)
        old_spec = at_ref(old_config.spec, base, root, shown)
        if not exists_at(old_spec, root):
            # A new client: everything it has is new, and the report says so.
            pairs.append((config, Side(Absent(), None), Side(config.spec, config.renames)))
            continue
        old_renames: GitPath | None = None
        if old_config.renames is not None:
            candidate = at_ref(old_config.renames, base, root, shown)
            old_renames = candidate if exists_at(candidate, root) else None
        pairs.append((config, Side(old_spec, old_renames, old_config), Side(config.spec, config.renames)))
    return pairs
