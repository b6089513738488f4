"""The configuration of the clients a project generates.

It lives where Python users look, found from any subdirectory by searching
upwards: ``[tool.clientgen]`` in ``pyproject.toml`` (``[[tool.clientgen.clients]]``
tables), ``clientgen.yaml``, or ``spec/clientgen.yaml``. Any number of
clients, each generated independently from its own spec; an optional
``clientgen_version`` requirement pins the generator::

    clientgen_version: ">=0.1,<0.2"

    clients:
      - name: bctrl
        spec: spec/bctrl.yaml
        renames: spec/bctrl.renames.yaml
        package: bctrl
        output: generated/bctrl
        client_class: Bctrl
        async_client_class: AsyncBctrl
        typed_client_class: TypedBctrl
        env_prefix: BCTRL
        operations:                      # rename or move methods
          createInvocation: invocations.start
          "GET /v1/customers/{id}/cards": customers.cards.list
        project: {name: bctrl-client, version: 1.0.0}   # optional: publishable

Paths are relative to the project root: the directory of ``pyproject.toml`` or
``clientgen.yaml``, or the one that holds ``spec/``.
"""

from __future__ import annotations

import fnmatch
import itertools
import keyword
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from generator import __version__
from generator.errors import ClientgenError, Location
from generator.load import Document, load_data_file
from generator.manifest import MANIFEST, recorded_inputs
from generator.naming.case import pascal
from generator.naming.identifiers import package_shadow
from generator.naming.operations import OperationsMap
from generator.pagination import PaginationMap
from generator.pointer import pointer_escape

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

DEFAULT_CONFIG = Path("spec") / "clientgen.yaml"
HttpModule = Literal["httpx2", "httpx"]
_PACKAGE = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class ProjectInfo:
    """The distribution a client is published as: ``project: {name, version}`` in the configuration."""

    name: str
    version: str


_DISTRIBUTION = re.compile(r"^([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])$")


def project_info(raw: Any) -> ProjectInfo | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or set(raw) != {"name", "version"}:
        raise ClientgenError("project must be a mapping with exactly 'name' and 'version'")
    from packaging.version import InvalidVersion, Version  # only for a publishable project

    name, version = str(raw["name"]), str(raw["version"])
    if not _DISTRIBUTION.match(name):
        raise ClientgenError(f"project name {name!r} is not a valid distribution name (letters, digits, '.', '_', '-')")
    try:
        Version(version)
    except InvalidVersion:
        raise ClientgenError(f"project version {version!r} is not a PEP 440 version (such as 1.2.0)") from None
    return ProjectInfo(name, version)


@dataclass(frozen=True)
class ClientConfig:
    """Everything that decides one generated package, besides the spec itself."""

    name: str
    spec: Path
    package: str
    output: Path
    renames: Path | None = None
    client_class: str = ""
    async_client_class: str = ""
    typed_client_class: str = ""
    async_typed_client_class: str = ""
    env_prefix: str = ""
    http_module: HttpModule = "httpx2"
    validation: Literal["strict", "lenient"] = "strict"
    ignore_validation: tuple[str, ...] = ()
    environments: Mapping[str, str] = field(default_factory=dict)
    operations: OperationsMap = field(default_factory=OperationsMap)
    project: ProjectInfo | None = None  # publishable: pyproject.toml and README.md beside the package
    pagination: PaginationMap = field(default_factory=PaginationMap)
    ignore_files: tuple[str, ...] = ()  # output paths (globs) the user owns: never replaced, removed or checked

    def describe(self) -> dict[str, Any]:
        """The settings that shape the output, for the manifest's hash (paths relative)."""
        project = {"project": {"name": self.project.name, "version": self.project.version}} if self.project else {}
        # Left out when empty, so that packages generated before the setting existed keep their manifest.
        ignore = {"ignore_files": list(self.ignore_files)} if self.ignore_files else {}
        return (
            project
            | ignore
            | {
                "name": self.name,
                "package": self.package,
                "client_class": self.client_class,
                "async_client_class": self.async_client_class,
                "typed_client_class": self.typed_client_class,
                "async_typed_client_class": self.async_typed_client_class,
                "env_prefix": self.env_prefix,
                "http_module": self.http_module,
                "validation": self.validation,
                "ignore_validation": list(self.ignore_validation),
                "environments": dict(self.environments),
                "operations": dict(self.operations.entries),
                "pagination": dict(self.pagination.entries),
            }
        )


def client_config(
    *,
    name: str,
    spec: Path,
    package: str,
    output: Path,
    renames: Path | None = None,
    client_class: str | None = None,
    async_client_class: str | None = None,
    typed_client_class: str | None = None,
    async_typed_client_class: str | None = None,
    env_prefix: str | None = None,
    http_module: str = "httpx2",
    validation: str = "strict",
    ignore_validation: tuple[str, ...] = (),
    environments: Mapping[str, str] | None = None,
    operations: OperationsMap | Mapping[str, str] | None = None,
    project: Mapping[str, Any] | None = None,
    pagination: PaginationMap | Mapping[str, Any] | None = None,
    ignore_files: tuple[str, ...] = (),
    where: str = "",
) -> ClientConfig:
    """Fill in defaults from the package name and check every value."""
    if not _PACKAGE.match(package) or keyword.iskeyword(package):
        raise ClientgenError(
            f"package {package!r} is not a valid Python package name (lowercase, digits, underscores)", None
        )
    shadow = package_shadow(package)
    if shadow is not None:
        raise ClientgenError(shadow, None)
    base = pascal(package)
    if http_module not in ("httpx2", "httpx"):
        raise ClientgenError(f"{where}http_module must be 'httpx2' or 'httpx', not {http_module!r}")
    if validation not in ("strict", "lenient"):
        raise ClientgenError(f"{where}validation must be 'strict' or 'lenient', not {validation!r}")
    return ClientConfig(
        name=name,
        spec=spec,
        package=package,
        output=output,
        renames=renames,
        client_class=client_class or base,
        async_client_class=async_client_class or f"Async{base}",
        typed_client_class=typed_client_class or f"Typed{base}",
        async_typed_client_class=async_typed_client_class or f"AsyncTyped{base}",
        env_prefix=(env_prefix or package).upper(),
        http_module=http_module,  # type: ignore[arg-type]
        validation=validation,  # type: ignore[arg-type]
        ignore_validation=tuple(ignore_validation),
        environments=dict(environments or {}),
        operations=operations if isinstance(operations, OperationsMap) else operations_map(operations or {}, where),
        project=project_info(project),
        pagination=pagination if isinstance(pagination, PaginationMap) else pagination_map(pagination or {}, where),
        ignore_files=ignore_patterns(ignore_files, where),
    )


def ignore_patterns(patterns: Any, where: str = "") -> tuple[str, ...]:
    """``ignore_files``: globs of output paths the user owns; never the manifest or the recorded patches."""
    if not isinstance(patterns, (list, tuple)) or not all(isinstance(item, str) and item for item in patterns):
        raise ClientgenError(f"{where}ignore_files must be a list of paths or globs, relative to the output")
    for pattern in patterns:
        parts = pattern.replace("\\", "/").split("/")
        if pattern.startswith("/") or ".." in parts:
            raise ClientgenError(f"ignore_files entry {pattern!r} must be a path inside the output, relative to it")
        if fnmatch.fnmatchcase(MANIFEST, pattern) or parts[0] == "_customisations":
            raise ClientgenError(
                f"ignore_files entry {pattern!r} would take {MANIFEST} or _customisations/ from clientgen: "
                "they record what it generated"
            )
    return tuple(patterns)


def pagination_map(entries: Mapping[str, Any], where: str, document: Document | None = None) -> PaginationMap:
    """The ``pagination:`` setting: per operation, clientgen's paging settings or ``false``."""
    if not isinstance(entries, Mapping):
        raise ClientgenError(
            f"{where}pagination must map operationIds or 'METHOD /path' to settings",
            document.locate(where) if document else None,
        )
    locations = (
        {str(key): document.locate(f"{where}/pagination/{pointer_escape(str(key))}") for key in entries}
        if document
        else {}
    )
    return PaginationMap({str(key): value for key, value in entries.items()}, locations)


def operations_map(entries: Mapping[str, str], where: str, document: Document | None = None) -> OperationsMap:
    """The ``operations:`` setting, each entry located in its file when there is one."""
    if not isinstance(entries, Mapping):
        raise ClientgenError(
            f"{where}operations must map operationIds or 'METHOD /path' to 'resource.method'",
            document.locate(where) if document else None,
        )
    result: dict[str, str] = {}
    locations: dict[str, Location] = {}
    for key, value in entries.items():
        pointer = f"{where}/operations/{pointer_escape(str(key))}"
        if not isinstance(value, str):
            raise ClientgenError(
                f"operations entry {key!r} must map to 'resource.method', not {value!r}",
                document.locate(pointer) if document else None,
            )
        result[str(key)] = value
        if document is not None:
            locations[str(key)] = document.locate(pointer)
    return OperationsMap(result, locations)


@dataclass(frozen=True)
class Project:
    root: Path
    config_path: Path
    clients: tuple[ClientConfig, ...]

    def select(self, names: list[str]) -> list[ClientConfig]:
        if not names:
            return list(self.clients)
        known = {client.name: client for client in self.clients}
        missing = [name for name in names if name not in known]
        if missing:
            raise ClientgenError(
                f"no client named {', '.join(map(repr, missing))} in {self.config_path} (known: {', '.join(sorted(known))})"
            )
        return [known[name] for name in names]

    def protected(self) -> list[tuple[Path, str]]:
        """Directories no output may be, or contain."""
        return [
            (self.root, "the project's root"),
            (self.config_path.parent, f"the configuration ({self.config_path.name})"),
        ]


def find_config(start: Path | None = None) -> Path | None:
    """The configuration nearest ``start`` (default: the current directory), searching upwards.

    In each directory, in this order: ``pyproject.toml`` with a ``[tool.clientgen]``
    table, ``clientgen.yaml``, ``spec/clientgen.yaml``.
    """
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
        for candidate in (directory / "clientgen.yaml", directory / DEFAULT_CONFIG):
            if candidate.is_file():
                return candidate
    return None


def _has_tool_table(pyproject: Path) -> bool:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False  # not ours to judge unless it is the configuration
    tool = data.get("tool")
    return isinstance(tool, dict) and isinstance(tool.get("clientgen"), dict)


def project_root(config_path: Path) -> Path:
    """Paths in a configuration are relative to the project root: the directory above ``spec/``, or the file's own."""
    resolved = config_path.resolve()
    return resolved.parent.parent if resolved.parent.name == "spec" and resolved.suffix != ".toml" else resolved.parent


def load_project(config_path: Path | None = None) -> Project:
    """Read the configuration (``--config``, or the nearest one); paths in it are relative to the project root."""
    path = config_path or find_config()
    if path is None:
        raise ClientgenError(
            "no configuration found here or in any parent directory: pyproject.toml [tool.clientgen], clientgen.yaml "
            "or spec/clientgen.yaml (run `clientgen init SPEC`, or pass --config)"
        )
    document = _load_toml(path) if path.suffix.lower() == ".toml" else load_data_file(path)
    root = project_root(path)
    check_required_version(document)
    unknown = sorted(set(document.data) - {"clients", "clientgen_version"})
    if unknown:
        raise ClientgenError(
            f"unknown setting {unknown[0]!r} (known: clientgen_version, clients)", document.locate(f"/{unknown[0]}")
        )
    raw = document.data.get("clients")
    if not isinstance(raw, list) or not raw:
        raise ClientgenError("'clients' must be a non-empty list", document.locate("/clients"))
    clients = tuple(_client(document, root, index, entry) for index, entry in enumerate(raw))
    names = [client.name for client in clients]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ClientgenError(f"client names must be unique: {', '.join(duplicates)}", document.locate("/clients"))
    for first, second in itertools.combinations(clients, 2):
        a, b = first.output.resolve(), second.output.resolve()
        if a == b or a.is_relative_to(b) or b.is_relative_to(a):
            raise ClientgenError(
                f"clients {first.name!r} and {second.name!r} would write into the same directory ({first.output}, {second.output})",
                document.locate("/clients"),
            )
    return Project(root, path, clients)


def check_required_version(document: Document) -> None:
    """A ``clientgen_version`` requirement (a PEP 440 specifier such as ``>=0.1,<0.2``) must admit this clientgen."""
    required = document.data.get("clientgen_version")
    if required is None:
        return
    from packaging.specifiers import InvalidSpecifier, SpecifierSet  # only for a configured requirement

    where = document.locate("/clientgen_version")
    try:
        specifier = SpecifierSet(str(required))
    except InvalidSpecifier:
        raise ClientgenError(
            f"clientgen_version {required!r} is not a version requirement (for example '>=0.1,<0.2')", where
        ) from None
    if not specifier.contains(__version__, prereleases=True):
        raise ClientgenError(
            f"this project requires clientgen {specifier}, but this is clientgen {__version__}: install a matching "
            "clientgen from an explicit source (a clone, a git commit or a wheel; see its README) or change "
            "clientgen_version",
            where,
        )


def _load_toml(path: Path) -> Document:
    """``[tool.clientgen]`` of a pyproject.toml, as a Document whose pointers start at that table."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ClientgenError("no such file", Location(str(path))) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ClientgenError(f"cannot read: {exc}", Location(str(path))) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column \d+\)$", str(exc))
        message = str(exc)[: where.start()].rstrip() if where else str(exc)
        raise ClientgenError(
            f"invalid TOML: {message}", Location(str(path), int(where.group(1)) if where else None)
        ) from None
    tool = data.get("tool", {}).get("clientgen") if isinstance(data.get("tool"), dict) else None
    if not isinstance(tool, dict):
        raise ClientgenError("no [tool.clientgen] table (with [[tool.clientgen.clients]] entries)", Location(str(path)))
    return Document(str(path), text, tool, _lines=_toml_lines(text))


_TABLE = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")


def _toml_lines(text: str) -> dict[str, int]:
    """Lines of [tool.clientgen]'s keys and of each [[tool.clientgen.clients]] entry, for error messages."""
    index: dict[str, int] = {}
    table: str | None = None
    clients = -1
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TABLE.match(line)
        if header:
            name = header.group(1).replace(" ", "")
            if name == "tool.clientgen":
                table = ""
                index.setdefault("", number)
            elif name == "tool.clientgen.clients" and line.lstrip().startswith("[["):
                clients += 1
                table = f"/clients/{clients}"
                index.setdefault("/clients", number)
                index[table] = number
            elif name.startswith("tool.clientgen.clients.") and clients >= 0:
                table = f"/clients/{clients}/{name.rsplit('.', 1)[1]}"
                index[table] = number
            else:
                table = None
            continue
        key = _KEY.match(line)
        if key and table is not None:
            index.setdefault(f"{table}/{key.group(1)}", number)
    return index or {"": 1}


_KEYS = frozenset(
    {
        "name",
        "spec",
        "renames",
        "package",
        "output",
        "client_class",
        "async_client_class",
        "typed_client_class",
        "async_typed_client_class",
        "env_prefix",
        "http_module",
        "validation",
        "ignore_validation",
        "environments",
        "operations",
        "project",
        "pagination",
        "ignore_files",
    }
)


def _client(document: Document, root: Path, index: int, entry: Any) -> ClientConfig:
    where = f"/clients/{index}"
    if not isinstance(entry, dict):
        raise ClientgenError("each client must be a mapping", document.locate(where))
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise ClientgenError(
            f"unknown setting {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})",
            document.locate(f"{where}/{unknown[0]}"),
        )
    for required in ("spec", "package"):
        if not isinstance(entry.get(required), str):
            raise ClientgenError(f"missing setting {required!r}", document.locate(where))
    package = entry["package"]
    for setting, kind in (("environments", dict), ("ignore_validation", list), ("ignore_files", list)):
        if entry.get(setting) is not None and not isinstance(entry[setting], kind):
            raise ClientgenError(
                f"{setting!r} must be a {'mapping' if kind is dict else 'list'}", document.locate(f"{where}/{setting}")
            )
    try:
        return client_config(
            name=str(entry.get("name", package)),
            spec=root / entry["spec"],
            package=package,
            output=root / str(entry.get("output", f"generated/{package}")),
            renames=root / entry["renames"] if entry.get("renames") else None,
            client_class=entry.get("client_class"),
            async_client_class=entry.get("async_client_class"),
            typed_client_class=entry.get("typed_client_class"),
            async_typed_client_class=entry.get("async_typed_client_class"),
            env_prefix=entry.get("env_prefix"),
            http_module=str(entry.get("http_module", "httpx2")),
            validation=str(entry.get("validation", "strict")),
            ignore_validation=tuple(str(item) for item in entry.get("ignore_validation") or ()),
            environments={str(k): str(v) for k, v in (entry.get("environments") or {}).items()},
            operations=operations_map(entry.get("operations") or {}, where, document),
            project=entry.get("project"),
            pagination=pagination_map(entry.get("pagination") or {}, where, document),
            ignore_files=tuple(entry.get("ignore_files") or ()),
        )
    except ClientgenError as error:
        raise ClientgenError(error.message, document.locate(where)) from None


def package_config(directory: Path) -> ClientConfig:
    """The configuration a generated package records in its manifest: how ``clientgen check DIR`` regenerates it."""
    manifest = directory / MANIFEST
    if not manifest.is_file():
        raise ClientgenError(f"{directory} is not a package clientgen generated (it has no {MANIFEST})")
    inputs = recorded_inputs(manifest.read_bytes())
    config = inputs.get("config")
    settings = config.get("settings") if isinstance(config, dict) else None
    spec = inputs.get("spec")
    renames = inputs.get("renames")
    if not isinstance(settings, dict) or not isinstance(spec, dict) or not isinstance(spec.get("file"), str):
        raise ClientgenError(
            "this manifest does not record what the package was generated from (an older clientgen made it): "
            "regenerate it once with `clientgen generate SPEC --package NAME --output DIR`",
            Location(str(manifest)),
        )

    def beside(relative: str) -> Path:
        return Path(os.path.normpath(directory / relative))

    try:
        return client_config(
            name=str(settings["name"]),
            spec=beside(spec["file"]),
            package=str(settings["package"]),
            output=directory,
            renames=beside(renames["file"])
            if isinstance(renames, dict) and isinstance(renames.get("file"), str)
            else None,
            client_class=settings.get("client_class"),
            async_client_class=settings.get("async_client_class"),
            typed_client_class=settings.get("typed_client_class"),
            async_typed_client_class=settings.get("async_typed_client_class"),
            env_prefix=settings.get("env_prefix"),
            http_module=str(settings.get("http_module", "httpx2")),
            validation=str(settings.get("validation", "strict")),
            ignore_validation=tuple(str(item) for item in settings.get("ignore_validation") or ()),
            environments={str(k): str(v) for k, v in (settings.get("environments") or {}).items()},
            operations=settings.get("operations") or {},
            project=settings.get("project"),
            ignore_files=tuple(settings.get("ignore_files") or ()),
        )
    except (KeyError, TypeError, AttributeError, ClientgenError) as error:
        raise ClientgenError(f"unreadable settings in the manifest: {error}", Location(str(manifest))) from None
