"""The Jinja templates: where they live, and the one environment that compiles each of them once per process.

Every module clientgen writes is laid out by a template under ``templates/``:
the package's modules (``package/``), each kind of model (``models/``) and a
publishable project's files (``project/``). ``template`` hands out compiled
templates from a cache, so a stage that renders thousands of small records
(one per model) looks each template up once, not once per record.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

import jinja2


def _templates() -> Path:
    """``generator/templates`` in an installed wheel; the repository's top-level ``templates/`` in a checkout."""
    here = Path(__file__).resolve().parent
    installed = here / "templates"
    return installed if installed.is_dir() else here.parent / "templates"


TEMPLATES = _templates()


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        auto_reload=False,  # templates do not change while clientgen runs
    )


@cache
def template(name: str) -> jinja2.Template:
    """The compiled template ``name`` (a path under ``templates/``)."""
    return environment().get_template(name)


def template_files() -> list[Path]:
    """Every template, for the manifest's hash."""
    return sorted(path for path in TEMPLATES.rglob("*") if path.is_file() and path.suffix in (".jinja", ".py"))
