"""The pipeline end to end: one client configuration in, the files of its package out.

Pure apart from reading the inputs: nothing is written here (see ``write``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from generator.apilist import API_LIST, build_api_list
from generator.config import ClientConfig
from generator.extract import extract
from generator.format import format_sources
from generator.ir import Api
from generator.load import Document, load_data_file, load_document
from generator.manifest import MANIFEST, build_manifest, sha256
from generator.modeldefs import ModelDef, build_models
from generator.models import generate_models
from generator.naming.model_names import ModelNames, name_models
from generator.naming.operations import OperationName, name_operations
from generator.naming.rename_map import RenameMap, parse_rename_map
from generator.pagination import Paging, paginate
from generator.render import PREFORMATTED, TEMPLATES, render_package, template_files
from generator.schemas import SchemaSet, build_schema_set
from generator.validate import Problem, validate
from generator.view.package import build_view
from generator.view.shapes import PackageView


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


def load_renames(config: ClientConfig) -> RenameMap:
    if config.renames is None:
        return RenameMap({})
    return parse_rename_map(load_data_file(config.renames))


def analyse(config: ClientConfig, document: Document | None = None, renames: RenameMap | None = None) -> Analysis:
    """Load (unless given), validate, extract and name; ``renames`` overrides the configured map."""
    document = document if document is not None else load_document(config.spec)
    problems = validate(document, config.validation, config.ignore_validation)
    renames = renames if renames is not None else load_renames(config)
    api = extract(document)
    operation_names = name_operations(api, config.operations)
    model_names = name_models(api.schemas, renames)
    schemas = build_schema_set(api, model_names, operation_names)
    paging = paginate(api, config.pagination)
    return Analysis(document, renames, tuple(problems), api, model_names, operation_names, schemas, build_models(schemas), paging)


def _templates_digest() -> str:
    digest = hashlib.sha256()
    for path in template_files():
        digest.update(path.relative_to(TEMPLATES).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def generate(config: ClientConfig, document: Document | None = None) -> Generated:
    analysis = analyse(config, document)
    models = generate_models(analysis.models)
    view = build_view(analysis.api, analysis.schemas, analysis.operation_names, config)
    sources = render_package(view, models)
    files = {path: source.encode() for path, source in format_sources(sources, PREFORMATTED).items()}
    files["py.typed"] = b""
    files[API_LIST] = build_api_list(view, analysis.models).encode()
    inputs = {
        "spec": {"file": Path(analysis.document.path).name, "sha256": sha256(analysis.document.text.encode())},
        "renames": (
            {"file": Path(analysis.renames.source.path).name, "sha256": sha256(analysis.renames.source.text.encode())}
            if analysis.renames.source is not None
            else None
        ),
        "config": {"sha256": sha256(json.dumps(config.describe(), sort_keys=True).encode())},
        "templates": {"sha256": _templates_digest()},
    }
    files[MANIFEST] = build_manifest(files, inputs)
    return Generated(files, analysis, view)
