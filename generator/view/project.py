"""The project view: what ``pyproject.toml`` and ``README.md`` of a publishable client say.

Built from the package view (the same names, methods and routes the code has)
and the spec; every spec-derived string is made safe here for the format it
lands in: TOML basic strings, Markdown text, Markdown code spans.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from generator.config import ProjectInfo
from generator.ir import Api
from generator.text import CONTROL
from generator.view.shapes import MethodView, PackageView, ResourceView

#: What generated code needs at run time; lower bounds are the versions it is tested with.
RUNTIME_REQUIREMENTS = {"httpx2": "httpx2>=2.16,<3", "httpx": "httpx>=0.28,<1"}
PYDANTIC_REQUIREMENT = "pydantic>=2.14,<3"

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")


def toml_string(text: str) -> str:
    """A TOML basic string; control characters dropped (TOML forbids some raw, JSON escapes the rest)."""
    return json.dumps(CONTROL.sub(" ", text), ensure_ascii=False)


def markdown_text(text: str) -> str:
    """Spec prose as inert Markdown: one line, no markup, no HTML."""
    flat = " ".join(CONTROL.sub(" ", text).split())
    return _MARKDOWN.sub(r"\\\1", flat.replace("&", "&amp;").replace("<", "&lt;"))


def code_span(text: str) -> str:
    """Text inside a Markdown code span: backticks and table pipes cannot end it early."""
    return " ".join(CONTROL.sub(" ", text).split()).replace("`", "'").replace("|", "\\|")


@dataclass(frozen=True)
class MethodLine:
    call: str  # ``client.invocations.wait(id)``, code-span safe
    route: str  # ``POST /v1/invocations/{id}/wait``, code-span safe


@dataclass(frozen=True)
class ProjectView:
    name: str  # distribution name, validated
    version: str  # validated PEP 440
    name_toml: str
    version_toml: str
    description_toml: str
    dependencies_toml: tuple[str, ...]
    packages_toml: tuple[str, ...]
    package_data_toml: str
    title_markdown: str
    api_version_markdown: str
    methods: tuple[MethodLine, ...]
    env_api_key: str
    env_base_url: str


def _method_line(resource: ResourceView, method: MethodView) -> MethodLine:
    routes = {route.constant: route for route in resource.routes}
    route = routes.get(method.route)
    arguments = ", ".join(argument.name for argument in method.positional)
    return MethodLine(
        call=code_span(f"client.{resource.attribute}.{method.name}({arguments})"),
        route=code_span(f"{route.method} {route.path}" if route else ""),
    )


def build_project_view(api: Api, view: PackageView, project: ProjectInfo) -> ProjectView:
    dependencies = [RUNTIME_REQUIREMENTS[view.http_module], PYDANTIC_REQUIREMENT]
    packages = [view.package, *(f"{view.package}.{module.family.resources_package}" for module in view.modules)]
    title = " ".join(api.title.split())
    return ProjectView(
        name=project.name,
        version=project.version,
        name_toml=toml_string(project.name),
        version_toml=toml_string(project.version),
        description_toml=toml_string(f"Python client for {title} (API version {api.version})"),
        dependencies_toml=tuple(toml_string(item) for item in dependencies),
        packages_toml=tuple(toml_string(item) for item in packages),
        package_data_toml=f'{toml_string(view.package)} = ["py.typed", "api.txt"]',
        title_markdown=markdown_text(title),
        api_version_markdown=markdown_text(api.version),
        methods=tuple(_method_line(resource, method) for resource in view.resources for method in resource.methods),
        env_api_key=f"{view.env_prefix}_API_KEY",
        env_base_url=f"{view.env_prefix}_BASE_URL",
    )
