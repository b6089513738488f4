"""The project a client is vendored into: its layout, where a package is importable, its dependencies.

``init`` asks it where to put a client so that the project's own code can import
it: inside the project's package (``src/myapp/_vendor/acme`` in a src layout,
``myapp/_vendor/acme`` in a flat one), else a top-level package beside the
project's code. It also adds the runtime requirements to ``[project]
dependencies`` in ``pyproject.toml`` (an edit of the text, checked by parsing
the result: every other byte and value stays), and tells when a package name
would shadow an installed or well-known distribution.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.errors import ClientgenError, Location

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

VENDOR = "_vendor"
#: Folders at a project's root that hold no package of its own (a flat layout's package is anything else).
_NOT_THE_PROJECTS = frozenset(
    {"tests", "test", "testing", "docs", "doc", "examples", "example", "scripts", "tools", "benchmarks", "bench"}
    | {"generated", "build", "dist", "site", "vendor", "node_modules", "spec", "specs"}
)
#: Import names of API clients people install from the package index: a top-level package with one of
#: these names would shadow the official one (beside whatever the current environment has installed).
WELL_KNOWN = frozenset(
    {
        "anthropic", "asana", "boto3", "botocore", "cloudflare", "cohere", "docker", "dropbox", "github", "gitlab",
        "google", "groq", "hubspot", "intercom", "jira", "kubernetes", "linode_api4", "mailchimp3", "mistralai",
        "notion_client", "ollama", "openai", "openrouter", "paypalrestsdk", "pinecone", "plaid", "replicate",
        "resend", "sendgrid", "sentry_sdk", "shopify", "slack_sdk", "square", "stripe", "supabase", "telegram",
        "twilio", "zendesk",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Layout:
    """Where a project's code lives, as far as importing it goes."""

    kind: str  # "src", "flat" or "none" (no package of its own yet)
    import_root: str  # the folder that is on sys.path for the project's code: "src" or "" (the root)
    host: str | None  # the project's own package, to vendor into, when there is exactly one candidate
    candidates: tuple[str, ...]  # every package found

    @property
    def host_dir(self) -> str | None:
        if self.host is None:
            return None
        return f"{self.import_root}/{self.host}" if self.import_root else self.host

    def describe(self) -> str:
        where = {"src": "src layout", "flat": "flat layout", "none": "no package of its own yet"}[self.kind]
        if self.host is not None:
            return f"{where}, your package {self.host} in {self.host_dir}/"
        if len(self.candidates) > 1:
            return f"{where} with several packages ({', '.join(self.candidates)}): pass --output to vendor into one"
        return where


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def project_name(root: Path) -> str | None:
    """``[project] name`` of the project's pyproject.toml, as an import name."""
    try:
        data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    project = data.get("project")
    name = project.get("name") if isinstance(project, dict) else None
    return _normalised(name) if isinstance(name, str) else None


def _packages(folder: Path, skip: frozenset[str] = frozenset()) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted(
        entry.name
        for entry in folder.iterdir()
        if entry.is_dir() and entry.name.isidentifier() and entry.name not in skip and (entry / "__init__.py").is_file()
    )


def detect_layout(root: Path) -> Layout:
    name = project_name(root)
    if (root / "src").is_dir():
        kind, import_root, found = "src", "src", _packages(root / "src")
    else:
        found = _packages(root, _NOT_THE_PROJECTS)
        kind, import_root = ("flat" if found else "none"), ""
    named = [package for package in found if name is not None and package in (name, name.replace("_", ""))]
    host = named[0] if named else (found[0] if len(found) == 1 else None)
    return Layout(kind, import_root, host, tuple(found))


def propose_output(layout: Layout, package: str) -> str:
    """An output the project's code can import: inside its package, else a top-level package beside it."""
    if layout.host_dir is not None:
        return f"{layout.host_dir}/{VENDOR}/{package}"
    return f"{layout.import_root}/{package}" if layout.import_root else package


def import_path(root: Path, output: str, import_root: str) -> str | None:
    """The dotted name the project's code imports ``output`` by, or None when it is not under ``import_root``.

    Every folder between ``import_root`` and the output must be a package (have an
    ``__init__.py``), except a ``_vendor`` folder that ``init`` is about to create one in.
    """
    base = Path(import_root) if import_root else Path()
    try:
        parts = Path(output).relative_to(base).parts
    except ValueError:
        return None
    if not parts or not all(part.isidentifier() for part in parts):
        return None
    for depth in range(1, len(parts)):
        folder = root / base / Path(*parts[:depth])
        if not (folder / "__init__.py").is_file() and not (parts[depth - 1] == VENDOR and depth == len(parts) - 1):
            return None
    return ".".join(parts)


def is_top_level(root: Path, output: str) -> bool:
    """Whether the package lands where ``import NAME`` finds it: its folder's parent is not itself a package."""
    return not (root / output).parent.joinpath("__init__.py").is_file() and Path(output).parent.name != VENDOR


def shadowed_distribution(package: str) -> str | None:
    """Why a top-level package of this name would shadow another, or None."""
    from importlib.metadata import packages_distributions

    installed = packages_distributions().get(package)
    if installed:
        return f"it is the import name of {', '.join(sorted(set(installed)))}, installed in this environment"
    if package in WELL_KNOWN:
        return "it is the import name of a well-known client on the package index"
    return None


# --- [project] dependencies -----------------------------------------------------------------------


@dataclass(frozen=True)
class DependencyEdit:
    text: str  # the new pyproject.toml
    added: tuple[str, ...]
    present: tuple[str, ...]  # requirements already there (by distribution name), left as they are


def _requirement_name(requirement: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    return _normalised(match.group(1)) if match else requirement


def _table_span(lines: list[str], header: str) -> tuple[int, int] | None:
    """The lines of a top-level table: its header line and the line before the next header."""
    start = next((index for index, line in enumerate(lines) if line.strip() == header), None)
    if start is None:
        return None
    end = next((index for index in range(start + 1, len(lines)) if re.match(r"^\s*\[", lines[index])), len(lines))
    return start, end


def _array_end(text: str, opening: int) -> int | None:
    """The index of the ``]`` that closes the TOML array opened at ``opening`` (strings and comments skipped)."""
    depth, index = 0, opening
    while index < len(text):
        char = text[index]
        if char == "#":
            index = text.find("\n", index)
            if index < 0:
                return None
            continue
        if char in "\"'":
            triple = text.startswith(char * 3, index)
            quote = char * 3 if triple else char
            index += len(quote)
            while index < len(text) and not text.startswith(quote, index):
                index += 2 if char == '"' and text[index] == "\\" else 1
            index += len(quote)
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None


def _last_value_before(text: str, end: int, opening: int) -> int:
    """Where the last element of an array ends (ignoring comments and blanks), or ``opening`` if it is empty."""
    index = end - 1
    while index > opening:
        line_start = text.rfind("\n", 0, index + 1) + 1
        line = text[line_start : index + 1]
        comment = _comment_start(line)
        if comment is not None:
            index = line_start + comment - 1
            continue
        if text[index].isspace():
            index -= 1
            continue
        return index
    return opening


def _comment_start(line: str) -> int | None:
    quote: str | None = None
    for position, char in enumerate(line):
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "#":
            return position
    return None


def required_already(text: str, requirements: Sequence[str]) -> tuple[str, ...]:
    """The ``requirements`` whose distribution ``[project] dependencies`` names already (none when unreadable)."""
    try:
        project = tomllib.loads(text).get("project")
    except tomllib.TOMLDecodeError:
        return ()
    existing = project.get("dependencies") if isinstance(project, dict) else None
    names = {_requirement_name(str(item)) for item in existing} if isinstance(existing, list) else set()
    return tuple(item for item in requirements if _requirement_name(item) in names)


def add_dependencies(original: str, pyproject: Path, requirements: Sequence[str]) -> DependencyEdit:
    """The text of ``pyproject.toml`` with ``requirements`` added to ``[project] dependencies``; refused when not sure."""
    where = Location(str(pyproject))
    try:
        data = tomllib.loads(original)
    except tomllib.TOMLDecodeError as exc:
        raise ClientgenError(f"cannot add the dependencies: not valid TOML ({exc})", where) from None
    project = data.get("project")
    if not isinstance(project, dict):
        raise ClientgenError("cannot add the dependencies: there is no [project] table; add them by hand", where)
    if "dependencies" in (project.get("dynamic") or []):
        raise ClientgenError(
            "cannot add the dependencies: [project] declares them dynamic; add them where your build reads them",
            where,
        )
    existing = project.get("dependencies", [])
    if not isinstance(existing, list):
        raise ClientgenError("cannot add the dependencies: [project] dependencies is not a list", where)
    names = {_requirement_name(str(item)) for item in existing}
    added = tuple(item for item in requirements if _requirement_name(item) not in names)
    present = tuple(item for item in requirements if _requirement_name(item) in names)
    if not added:
        return DependencyEdit(original, (), present)
    lines = original.splitlines(keepends=True)
    span = _table_span(lines, "[project]")
    if span is None:
        raise ClientgenError(
            "cannot add the dependencies: [project] is not a plain table here; add them by hand", where
        )
    start, end = span
    quoted = [_toml_string(item) for item in added]
    key = next((index for index in range(start + 1, end) if re.match(r"^\s*dependencies\s*=\s*\[", lines[index])), None)
    if key is None:
        header = lines[start] if lines[start].endswith("\n") else lines[start] + "\n"
        body = "".join(f"    {item},\n" for item in quoted)
        text = "".join([*lines[:start], header, f"dependencies = [\n{body}]\n", *lines[start + 1 :]])
    else:
        offset = sum(len(line) for line in lines[:key])
        opening = original.index("[", offset + original[offset:].index("="))
        closing = _array_end(original, opening)
        if closing is None:
            raise ClientgenError(
                "cannot add the dependencies: cannot read [project] dependencies; add them by hand", where
            )
        last = _last_value_before(original, closing, opening)
        comma = "" if last == opening or original[last] == "," else ","
        closing_line = original.rfind("\n", 0, closing) + 1
        last_line = original.rfind("\n", 0, last) + 1
        spaces = re.match(r"[ \t]*", original[last_line:])
        indent = (spaces.group(0) if spaces and last != opening else "") or "    "
        if "\n" not in original[opening:closing]:  # one line: ["a", "b"]
            lead = "" if last == opening else comma + " "
            text = original[: last + 1] + lead + ", ".join(quoted) + original[last + 1 :]
        elif not original[closing_line:closing].strip():  # the ] on a line of its own
            added_lines = "".join(f"{indent}{item},\n" for item in quoted)
            text = (
                original[: last + 1] + comma + original[last + 1 : closing_line] + added_lines + original[closing_line:]
            )
        else:  # the ] right after the last element
            added_lines = "".join(f"\n{indent}{item}," for item in quoted)
            text = original[: last + 1] + comma + added_lines + "\n" + original[last + 1 :]
    try:
        after = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        after = {}
    expected = {**data, "project": {**project, "dependencies": [*existing, *added]}}
    if after != expected:
        raise ClientgenError("cannot add the dependencies to this file safely; add them by hand", where)
    return DependencyEdit(text, added, present)


def _toml_string(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
