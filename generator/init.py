"""``clientgen init SPEC``: configure a project for one client.

Decides the client's settings (package name from the spec's title unless
given, a rename map beside the spec, output under ``generated/``) and writes
them where Python users look: appended to ``pyproject.toml`` as
``[tool.clientgen]`` when the project has one, else a new ``clientgen.yaml``.
The user's ``pyproject.toml`` is only ever appended to, never rewritten, and the
result is parsed back before it replaces the original.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from generator import __version__
from generator.config import DEFAULT_CONFIG, entry_lines, find_config
from generator.errors import ClientgenError, Location
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
        raise ClientgenError(
            f"this project is already configured in {existing}: add a client there, or run `clientgen generate`"
        )
    spec_relative = Path(os.path.relpath(spec.resolve(), root.resolve())).as_posix()
    renames = (Path(spec_relative).parent / f"{package}.renames.yaml").as_posix()
    pyproject = root / "pyproject.toml"
    return InitPlan(
        root=root,
        config_file=pyproject if pyproject.is_file() else root / "clientgen.yaml",
        package=package,
        spec=spec_relative,
        renames=renames,
        output=output or f"generated/{package}",
        lenient=lenient,
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


def toml_block(plan: InitPlan) -> str:
    lines = [
        "",
        "[tool.clientgen]",
        "# The generator's output changes between releases: upgrade deliberately, then `clientgen generate`.",
        f"clientgen_version = {_toml_string(plan.requirement)}",
        "",
        "[[tool.clientgen.clients]]",
        *entry_lines(client_settings(plan), "toml"),
    ]
    return "\n".join(lines) + "\n"


def yaml_text(plan: InitPlan) -> str:
    lines = [
        "# clientgen's configuration: `clientgen generate` regenerates every client, `clientgen check` fails",
        "# when generated code is stale or was edited by hand. Paths are relative to this file.",
        "# The generator's output changes between releases: upgrade deliberately, then `clientgen generate`.",
        f"clientgen_version: {json.dumps(plan.requirement)}",
        "clients:",
    ]
    entry = entry_lines(client_settings(plan), "yaml")
    lines += [("  - " if index == 0 else "    ") + line for index, line in enumerate(entry)]
    return "\n".join(lines) + "\n"


def configuration_text(plan: InitPlan) -> str:
    """The configuration file's new content: the user's pyproject.toml with our table appended, or a new clientgen.yaml."""
    if plan.config_file.name != "pyproject.toml":
        return yaml_text(plan)
    original = plan.config_file.read_text(encoding="utf-8")
    try:
        tomllib.loads(original)
    except tomllib.TOMLDecodeError as exc:
        raise ClientgenError(
            f"cannot add [tool.clientgen]: the file is not valid TOML ({exc})", Location(str(plan.config_file))
        ) from None
    text = original + ("" if original.endswith("\n") or not original else "\n") + toml_block(plan)
    try:
        tool = tomllib.loads(text).get("tool", {})
    except tomllib.TOMLDecodeError as exc:
        raise ClientgenError(
            f"cannot add [tool.clientgen] to this file ({exc}); add it by hand", Location(str(plan.config_file))
        ) from None
    if not isinstance(tool, dict) or tool.get("clientgen", {}).get("clients", [{}])[0].get("package") != plan.package:
        raise ClientgenError(
            "cannot add [tool.clientgen] to this file; add it by hand", Location(str(plan.config_file))
        )
    return text


def next_steps(plan: InitPlan, generated_files: int) -> str:
    where = plan.config_file.name
    return (
        f"configured client {plan.package!r} in {where} and generated {generated_files} files in {plan.output}\n"
        "next steps:\n"
        f"  1. read {plan.renames}: rename any model (comments say where each schema is used), then `clientgen generate`\n"
        f"  2. import it: `from {plan.package} import {pascal(plan.package)}` (see {plan.output}/api.txt for the whole API)\n"
        "  3. commit the configuration, the rename map and the generated package\n"
        "  4. in CI or pre-commit, `clientgen check` fails when generated code is stale or was edited by hand\n"
    )
