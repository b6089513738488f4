"""``clientgen init SPEC``: configure a project for one more client.

Decides the client's settings (package name from the spec's title unless
given, a rename map beside the spec, an output the project's own code can
import: see ``hostproject``) and writes them where Python users look: appended
to ``pyproject.toml`` as ``[tool.clientgen]`` when the project has one, else a
new ``clientgen.yaml``. Run again in a configured project, it appends another
client to that configuration. A configuration file is only ever appended to,
never rewritten, and the result is parsed back (every client before it
unchanged, the new one there) before it replaces the original.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator import __version__
from generator.config import DEFAULT_CONFIG, entry_lines, find_config, load_project
from generator.errors import ClientgenError, Location
from generator.hostproject import VENDOR, Layout, detect_layout, import_path, propose_output
from generator.naming.case import pascal
from generator.naming.identifiers import python_name_problem

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

_NOT_IDENTIFIER = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class InitPlan:
    """What ``init`` will write, with paths relative to the project root."""

    root: Path
    config_file: Path  # pyproject.toml or clientgen.yaml, absolute
    package: str
    spec: str
    renames: str
    output: str
    lenient: bool
    adding: bool = False  # the project is configured already: the client is appended to its configuration
    layout: Layout = Layout("none", "", None, ())
    module: str | None = None  # the dotted name the project's code imports the client by (None: not importable)
    vendor_init: str | None = None  # a ``_vendor/__init__.py`` to create so that the output is importable

    @property
    def requirement(self) -> str:
        major, minor = (int(part) for part in __version__.split(".")[:2])
        return f">={__version__},<{major}.{minor + 1}"


def package_name(title: str, fallback: str) -> str:
    """A Python package name from the API's title (``Acme Payments API`` → ``acme_payments``)."""
    for text in (title, fallback):
        words = [
            word
            for word in _NOT_IDENTIFIER.split(text.lower())
            if word and word not in ("api", "openapi", "spec", "swagger")
        ]
        name = "_".join(words)
        if name and not name[0].isdigit():
            # A title like "JSON" or "None" makes a name that would shadow or read as something else.
            return name if python_name_problem(name, "package") is None else f"{name}_client"
    return "client"


def existing_configuration(root: Path) -> Path | None:
    """A configuration in ``root`` itself (one in a parent directory does not stop a new project here)."""
    found = find_config(root)
    if found is not None and found.parent.resolve() in (root.resolve(), (root / DEFAULT_CONFIG.parent).resolve()):
        return found
    return None


def plan(root: Path, spec: Path, package: str, output: str | None, lenient: bool) -> InitPlan:
    existing = existing_configuration(root)
    if existing is not None:
        project = load_project(existing)
        root = project.root
        clash = next((client for client in project.clients if package in (client.name, client.package)), None)
        if clash is not None:
            raise ClientgenError(
                f"a client named {package!r} is already configured in {existing}: choose another --package, "
                "or run `clientgen generate`"
            )
    layout = detect_layout(root)
    spec_relative = Path(os.path.relpath(spec.resolve(), root.resolve())).as_posix()
    renames = (Path(spec_relative).parent / f"{package}.renames.yaml").as_posix()
    chosen = output or propose_output(layout, package)
    module = import_path(root, chosen, layout.import_root)
    vendor = Path(chosen).parent
    vendor_init = (
        (vendor / "__init__.py").as_posix()
        if vendor.name == VENDOR
        and (root / vendor.parent / "__init__.py").is_file()
        and not (root / vendor / "__init__.py").is_file()
        else None
    )
    pyproject = root / "pyproject.toml"
    return InitPlan(
        root=root,
        config_file=existing or (pyproject if pyproject.is_file() else root / "clientgen.yaml"),
        package=package,
        spec=spec_relative,
        renames=renames,
        output=chosen,
        lenient=lenient,
        adding=existing is not None,
        layout=layout,
        module=module,
        vendor_init=vendor_init,
    )


def _toml_string(value: str) -> str:
    # A JSON string is a valid TOML basic string when non-ASCII text stays literal.
    return json.dumps(value, ensure_ascii=False)


def client_settings(plan: InitPlan) -> dict[str, str]:
    """The settings ``init`` writes for the client (the rest keep their defaults)."""
    values = {
        "name": plan.package,
        "spec": plan.spec,
        "renames": plan.renames,
        "package": plan.package,
        "output": plan.output,
    }
    if plan.lenient:
        values["validation"] = "lenient"
    return values


def _toml_client(plan: InitPlan) -> list[str]:
    return ["[[tool.clientgen.clients]]", *entry_lines(client_settings(plan), "toml")]


def toml_block(plan: InitPlan) -> str:
    head = (
        []
        if plan.adding
        else [
            "",
            "[tool.clientgen]",
            "# The generator's output changes between releases: upgrade deliberately, then `clientgen generate`.",
            f"clientgen_version = {_toml_string(plan.requirement)}",
        ]
    )
    return "\n".join([*head, "", *_toml_client(plan)]) + "\n"


def _yaml_client(plan: InitPlan) -> list[str]:
    entry = entry_lines(client_settings(plan), "yaml")
    return [("  - " if index == 0 else "    ") + line for index, line in enumerate(entry)]


def yaml_text(plan: InitPlan) -> str:
    lines = [
        "# clientgen's configuration: `clientgen generate` regenerates every client, `clientgen check` fails",
        "# when generated code is stale or has an unrecorded hand edit. Paths are relative to this file.",
        "# The generator's output changes between releases: upgrade deliberately, then `clientgen generate`.",
        f"clientgen_version: {json.dumps(plan.requirement)}",
        "clients:",
        *_yaml_client(plan),
    ]
    return "\n".join(lines) + "\n"


def _clients(text: str, toml: bool) -> list[object] | None:
    """The clients a configuration text lists, or None when it does not parse."""
    try:
        if toml:
            tool = tomllib.loads(text).get("tool", {})
            table = tool.get("clientgen", {}) if isinstance(tool, dict) else {}
        else:
            table = yaml.safe_load(text)
    except (tomllib.TOMLDecodeError, yaml.YAMLError):
        return None
    clients = table.get("clients") if isinstance(table, dict) else None
    return clients if isinstance(clients, list) else None


def configuration_text(plan: InitPlan) -> str:
    """The configuration file's new content: the user's file with the new client appended, or a new clientgen.yaml."""
    toml = plan.config_file.name == "pyproject.toml"
    if not toml and not plan.adding:
        return yaml_text(plan)
    original = plan.config_file.read_text(encoding="utf-8")
    before = _clients(original, toml) if plan.adding else []
    if toml and not plan.adding:
        try:
            tomllib.loads(original)
        except tomllib.TOMLDecodeError as exc:
            raise ClientgenError(
                f"cannot add [tool.clientgen]: the file is not valid TOML ({exc})", Location(str(plan.config_file))
            ) from None
    separator = "" if original.endswith("\n") or not original else "\n"
    addition = toml_block(plan) if toml else "\n".join(_yaml_client(plan)) + "\n"
    text = original + separator + addition
    if before is None or _clients(text, toml) != [*before, client_settings(plan)]:
        what = "[[tool.clientgen.clients]]" if toml else "the client"
        raise ClientgenError(
            f"cannot add {what} to this file safely (clients must be the last entry of a YAML file); "
            f"add it by hand:\n{addition}",
            Location(str(plan.config_file)),
        )
    return text


def next_steps(plan: InitPlan, generated_files: int, dependencies: str) -> str:
    where = plan.config_file.name
    verb = "added client" if plan.adding else "configured client"
    if plan.module is not None:
        relative = ""
        if plan.layout.host is not None and plan.module.startswith(plan.layout.host + "."):
            inside = plan.module[len(plan.layout.host) :]
            relative = f" (inside {plan.layout.host}: `from {inside} import {pascal(plan.package)}`)"
        importing = f"`from {plan.module} import {pascal(plan.package)}`{relative}"
    else:
        importing = (
            f"`from {plan.package} import {pascal(plan.package)}` once {Path(plan.output).parent.as_posix() or '.'} "
            "is on sys.path (it is outside your code's import root: consider --output inside your package)"
        )
    return (
        f"{verb} {plan.package!r} in {where} and generated {generated_files} files in {plan.output}\n"
        f"  layout: {plan.layout.describe()}\n"
        f"  runtime dependencies: {dependencies}\n"
        "next steps:\n"
        f"  1. read {plan.renames}: rename any model (comments say where each schema is used), then `clientgen generate`\n"
        f"  2. import it: {importing}; {plan.output}/api.txt lists the whole API\n"
        "  3. commit the configuration, the rename map and the generated package\n"
        "  4. edit the generated code if you need to: `clientgen generate` keeps your edits (see `clientgen customisations`),\n"
        "     and in CI or pre-commit `clientgen check` fails when generated code is stale or has an unrecorded edit\n"
    )
