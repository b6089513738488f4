"""The pipeline end to end: one client configuration in, the files of its package out.

Pure apart from reading the inputs and the cache: nothing is written here (see
``write``). With more than one core, the stages overlap: while the pydantic
models are generated in this process, a worker generates the TypedDicts and
others format the modules that do not depend on models; the models' modules
are formatted last, block by block (see ``format``).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from generator.cache import NO_CACHE, Cache
from generator.collector import fewer_collections
from generator.config import ClientConfig
from generator.errors import ClientgenError, Location
from generator.extract import extract
from generator.ir import Api
from generator.load import Document, load_data_file, load_document
from generator.modeldefs import ModelDef, build_models
from generator.naming.model_names import ModelNames, name_models
from generator.naming.operations import OperationName, name_operations
from generator.naming.rename_map import RenameMap, parse_rename_map
from generator.pagination import Paging, paginate, pagination_problems
from generator.progress import Progress
from generator.schemas import SchemaSet, build_schema_set
from generator.validate import Problem, has_verdict, is_ignored, validate
from generator.workers import die_with_parent, worker_count

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from generator.view.shapes import PackageView

T = TypeVar("T")

#: From this many characters of document on, a worker validates while this process analyses: below it (or
#: with the verdict cached) validation costs less than handing the document to a process.
_PARALLEL_VALIDATION = 1_000_000


@dataclass(frozen=True)
class Analysis:
    """Everything known about one spec under one configuration, before any code exists."""

    document: Document
    renames: RenameMap
    problems: tuple[Problem, ...]  # validation warnings (lenient mode)
    api: Api
    model_names: ModelNames
    operation_names: dict[str, OperationName]
    schemas: SchemaSet
    models: tuple[ModelDef, ...]  # every model as typed records, for models, types, api.txt and diff
    paging: dict[str, Paging] = field(default_factory=dict)  # METHOD /path → how it pages


@dataclass(frozen=True)
class Generated:
    files: dict[str, bytes]  # path relative to the package → bytes
    analysis: Analysis
    view: PackageView
    inputs: dict[str, Any] = field(default_factory=dict)  # what the manifest records it was made from


def load_renames(config: ClientConfig) -> RenameMap:
    if config.renames is None:
        return RenameMap({})
    document = load_data_file(config.renames)
    if not document.data:
        # Typically `renames suggest > map` truncated it before it was read: never silently "no map".
        raise ClientgenError(
            "the rename map the configuration names is empty or not a mapping of schema keys to class names; "
            "restore it (git checkout), or refresh it in place with `clientgen renames suggest CLIENT --write`",
            Location(document.path),
        )
    return parse_rename_map(document)


def analyse(
    config: ClientConfig,
    document: Document | None = None,
    renames: RenameMap | None = None,
    cache: Cache = NO_CACHE,
    pool: _LazyPool | None = None,
    checked: bool = True,
) -> Analysis:
    """Load (unless given), validate, extract and name; ``renames`` overrides the configured map.

    With a ``pool``, a worker validates while this process extracts and names (see ``_analyse_before_models``).
    ``checked=False`` reads the document as it is, neither validated nor its paging extensions checked, and finds
    no problems: for the old side of ``clientgen diff``, whose problems were the base's own.
    """
    analysis = _analyse_before_models(config, document, renames, cache, pool, checked)
    return replace(analysis, models=build_models(analysis.schemas))


def _analyse_before_models(
    config: ClientConfig,
    document: Document | None,
    renames: RenameMap | None,
    cache: Cache,
    pool: _LazyPool | None,
    checked: bool = True,
) -> Analysis:
    """The analysis, its ``models`` left empty: generation builds them once the view has gone to the formatters.

    With a ``pool``, a worker validates while this process extracts and names (a large document's
    validation is a third of the work before the first module can be formatted): the result is the same,
    and a validation error still wins over any error of the stages after it.
    """
    document = document if document is not None else load_document(config.spec)
    checking = (
        pool.submit(validate, document, config.validation, config.ignore_validation, cache)
        if checked
        and pool is not None
        and len(document.text) >= _PARALLEL_VALIDATION
        and not has_verdict(document, cache)
        else None
    )
    try:
        problems = (
            validate(document, config.validation, config.ignore_validation, cache)
            if checked and checking is None
            else []
        )
        renames = renames if renames is not None else load_renames(config)
        api = extract(document)
        operation_names = name_operations(api, config.operations, document.locate)
        model_names = name_models(api.schemas, renames)
        schemas = build_schema_set(api, model_names, operation_names)
        paging = paginate(api, config.pagination)
        more = paging_problems(document, api, config) if checked else []
    except Exception:
        if checking is not None:
            checking.result()  # an invalid document explains what failed after validation: say that first
        raise
    if checking is not None:
        problems = checking.result()
    problems += more
    return Analysis(
        document,
        renames,
        tuple(problems),
        api,
        model_names,
        operation_names,
        schemas,
        (),
        paging,
    )


def paging_problems(document: Document, api: Api, config: ClientConfig) -> list[Problem]:
    """Paging extensions that do not fit their operations: errors in strict mode, warnings with ``--lenient``."""
    found = [
        problem
        for item in pagination_problems(api, config.pagination)
        if not is_ignored(problem := Problem(item.message, document.locate(item.pointer)), config.ignore_validation)
    ]
    if found and config.validation == "strict":
        raise ClientgenError(f"{found[0].message} (--lenient generates without paging there)", found[0].location)
    return found


def _templates_digest() -> str:
    from generator.locations import TEMPLATES
    from generator.templating import template_files

    digest = hashlib.sha256()
    for path in template_files():
        digest.update(path.relative_to(TEMPLATES).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _relative(path: Path, package: Path) -> str:
    return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(package))).as_posix()


class _LazyPool:
    """A process pool started on first use: a run that hits the cache never starts one."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, fn: Callable[..., T], /, *args: Any) -> Future[T]:
        if self._pool is None:
            from concurrent.futures import ProcessPoolExecutor  # imported by the runs that need a pool only

            self._pool = ProcessPoolExecutor(
                max_workers=self.workers, initializer=die_with_parent, initargs=(os.getpid(),)
            )
        return self._pool.submit(fn, *args)

    def shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)


def generate(
    config: ClientConfig, document: Document | None = None, cache: Cache = NO_CACHE, progress: Progress | None = None
) -> Generated:
    """The package ``config`` describes, formatted, in memory."""
    with fewer_collections():
        return _generate(config, document, cache, progress)


def _generate(config: ClientConfig, document: Document | None, cache: Cache, progress: Progress | None) -> Generated:
    # What only generation needs (jinja2, the model writer, the formatters) is imported here: `diff` and
    # `renames` analyse without it.
    from generator.apilist import API_LIST, build_api_list
    from generator.format import Formatter
    from generator.manifest import MANIFEST, build_manifest, sha256
    from generator.models import generate_models
    from generator.render import PREFORMATTED, render_models, render_package, render_project
    from generator.view.package import build_view
    from generator.view.project import build_project_view

    progress = progress or Progress.silent()
    workers = worker_count()
    pool = _LazyPool(workers) if workers > 1 else None
    try:
        with progress.stage("validate and name"):
            analysis = _analyse_before_models(config, document, None, cache, pool)
        view = build_view(analysis.api, analysis.schemas, analysis.operation_names, config, paging=analysis.paging)
        others = render_package(view)
        formatter = Formatter(cache, pool, scope=os.path.abspath(config.output))
        # The modules that do not depend on models go to the formatters while the models are made and written.
        formatter.submit(others, PREFORMATTED)
        analysis = replace(analysis, models=build_models(analysis.schemas))
        with progress.stage(f"models ({len(analysis.models)})"):
            models = generate_models(analysis.models)
        with progress.stage("format", total=len(others) + 2 + len(models.parts)):
            progress.advance(formatter.finished)
            formatter.on_file = progress.advance
            formatter.submit(render_models(view, models))
            formatted = formatter.results()
    finally:
        if pool is not None:
            pool.shutdown()
    files = {path: source.encode() for path, source in formatted.items()}
    files["py.typed"] = b""
    files[API_LIST] = build_api_list(view, analysis.models).encode()
    if config.project is not None:
        # Publishable: the output directory is the distribution, the package one folder down.
        files = {f"{config.package}/{path}": data for path, data in files.items()}
        project = build_project_view(analysis.api, view, config.project)
        files.update({path: text.encode() for path, text in render_project(view, project).items()})
    # Paths relative to the package, and every setting: enough for `clientgen check DIR` to
    # regenerate a package made from a bare spec, without any configuration file.
    inputs = {
        "spec": {"file": _relative(config.spec, config.output), "sha256": sha256(analysis.document.text.encode())},
        "renames": (
            {"file": _relative(config.renames, config.output), "sha256": sha256(analysis.renames.source.text.encode())}
            if analysis.renames.source is not None and config.renames is not None
            else None
        ),
        "config": {
            "sha256": sha256(json.dumps(config.describe(), sort_keys=True).encode()),
            "settings": config.describe(),
        },
        "templates": {"sha256": _templates_digest()},
    }
    files[MANIFEST] = build_manifest(files, inputs)
    return Generated(files, analysis, view, inputs)
