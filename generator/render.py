"""Stage 8, render: lay the package view out through the Jinja templates in ``templates/``."""

from __future__ import annotations

import io
import tokenize
from pathlib import Path

from generator.errors import ClientgenError
from generator.locations import RUNTIME
from generator.models import ModelSources
from generator.templating import template
from generator.view.project import ProjectView
from generator.view.shapes import PackageView

#: The runtime (``RUNTIME``) is a real package, linted and type-checked where it
#: lives, copied into each package as ``_runtime/`` with the substitutions below.
#: Files whose template is verbatim, already formatted Python (checked by a test).
PREFORMATTED = frozenset(f"_runtime/{path.name}" for path in sorted(RUNTIME.glob("*.py")))
_HTTP_MODULE_LINE = "import httpx2 as httpx  # clientgen: http-module\n"
_BASE_ERROR = "PackageError"
_TEMPLATE_NOTE = "# clientgen:"


def render_runtime(http_module: str, base_error: str) -> dict[str, str]:
    """The runtime's modules for one package (``_runtime/<module>.py``): its HTTP library and its base error's name."""
    return {
        f"_runtime/{path.name}": _render_runtime_module(path, http_module, base_error)
        for path in sorted(RUNTIME.glob("*.py"))
    }


def _render_runtime_module(path: Path, http_module: str, base_error: str) -> str:
    source = path.read_text(encoding="utf-8")
    if source.count(_HTTP_MODULE_LINE) > 1 or ("httpx." in source and _HTTP_MODULE_LINE not in source):
        raise ClientgenError(f"{path}: expected one line {_HTTP_MODULE_LINE.strip()!r}")
    import_line = "import httpx\n" if http_module == "httpx" else f"import {http_module} as httpx\n"
    source = source.replace(_HTTP_MODULE_LINE, import_line)
    source = "".join(line for line in source.splitlines(keepends=True) if not line.startswith(_TEMPLATE_NOTE))
    return _rename(source, _BASE_ERROR, base_error)


def _rename(source: str, old: str, new: str) -> str:
    """Rename one identifier wherever Python sees it as a name, and its ``__all__`` entry (the string ``"old"``).

    Nothing else in strings or comments changes.
    """
    if old == new or old not in source:  # most modules never name it: tokenizing them would only cost time
        return source
    lines = source.splitlines(keepends=True)
    spots = [
        (token.start[0], token.start[1] + (token.type == tokenize.STRING))
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if (token.type == tokenize.NAME and token.string == old)
        or (token.type == tokenize.STRING and token.string == f'"{old}"')
    ]
    for row, column in reversed(spots):
        line = lines[row - 1]
        lines[row - 1] = line[:column] + new + line[column + len(old) :]
    return "".join(lines)


def _render(name: str, **context: object) -> str:
    return template(name).render(**context)


_MODEL_MODULES = {"models.py": "Pydantic models", "types.py": "TypedDicts"}


def render_model_module(view: PackageView, path: str, body: str, description: str | None = None) -> dict[str, str]:
    """A model module: ``models.py``, ``types.py``, a part of one of them (``_models_2.py``) or a group's module of
    the lazy layout (``_models/pet.py``), not yet formatted."""
    description = _MODEL_MODULES[path] if description is None else description
    return {path: _render("package/models.py.jinja", view=view, body=body, description=description)}


def render_models(view: PackageView, models: ModelSources) -> dict[str, str]:
    """The two model modules, and their parts or the lazy layout's modules (not yet formatted)."""
    files = {
        **render_model_module(view, "models.py", models.pydantic),
        **render_model_module(view, "types.py", models.typed_dicts),
    }
    for module in models.parts:
        files.update(render_model_module(view, module.path, module.body, module.description))
    return files


def render_package(view: PackageView, models: ModelSources | None = None) -> dict[str, str]:
    """Relative path → source text (not yet formatted) of every Python file; without ``models``, all but the model modules."""
    files: dict[str, str] = {
        "__init__.py": _render("package/__init__.py.jinja", view=view),
        **render_runtime(view.http_module, view.base_error),
        "_config.py": _render("package/_config.py.jinja", view=view),
    }
    for module in view.modules:
        family = module.family
        files[f"{family.client_module}.py"] = _render("package/client.py.jinja", view=view, module=module)
        files[f"{family.resources_package}/__init__.py"] = _render(
            "package/resources_init.py.jinja", view=view, module=module, description=family.resources_docstring
        )
        for resource in module.resources:
            files[f"{family.resources_package}/{resource.module}.py"] = _render(
                "package/resource.py.jinja", view=view, resource=resource
            )
    if models is not None:
        files.update(render_models(view, models))
    return files


def render_project(view: PackageView, project: ProjectView) -> dict[str, str]:
    """``pyproject.toml`` and ``README.md`` of a publishable client, beside its package."""
    return {
        "pyproject.toml": _render("project/pyproject.toml.jinja", view=view, project=project),
        "README.md": _render("project/README.md.jinja", view=view, project=project),
    }
