"""The Jinja templates: where they live, and the one environment that compiles each of them once.

Every module clientgen writes is laid out by a template under ``templates/``:
the package's modules (``package/``), each kind of model (``models/``) and a
publishable project's files (``project/``). ``template`` hands out compiled
templates from a cache, so a stage that renders thousands of small records
(one per model) looks each template up once, not once per record.

Compiling the templates costs more than a small generation itself, so their
compiled code is kept the way Python keeps its own byte code: in
``generator/__pycache__/templates/``, checked against each template's text,
written atomically, and never an error (a folder that cannot be written, or a
damaged entry, means compiling as if there were none). It is clientgen's own
code, not a result: ``--no-cache`` leaves it alone, as it leaves ``.pyc``
files alone, and the output never depends on it.
"""

from __future__ import annotations

import sys
from functools import cache, lru_cache
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from generator.locations import TEMPLATES

#: Where compiled templates are kept: beside the package's own byte code.
COMPILED = Path(__file__).resolve().parent / "__pycache__" / "templates"


class CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache of compiled templates, made harmless: it never fails a run."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self.folder = folder

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a damaged or foreign entry: compile instead
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        if sys.dont_write_bytecode:  # as Python does for its own byte code
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:  # a read-only installation: compile on every run
            pass


def new_environment(compiled: Path = COMPILED) -> jinja2.Environment:
    """An environment over the templates, keeping compiled templates in ``compiled``."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        auto_reload=False,  # templates do not change while clientgen runs
        bytecode_cache=CompiledTemplates(compiled),
    )


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The run's one environment."""
    return new_environment()


@cache
def template(name: str) -> jinja2.Template:
    """The compiled template ``name`` (a path under ``templates/``)."""
    return environment().get_template(name)


def template_files() -> list[Path]:
    """Every template, for the manifest's hash."""
    return sorted(path for path in TEMPLATES.rglob("*") if path.is_file() and path.suffix in (".jinja", ".py"))
