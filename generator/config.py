"""The configuration of the clients a project generates, each setting declared once in ``ClientConfig``.

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
        env_prefix: BCTRL
        operations: {createInvocation: invocations.start}   # rename or move methods

Paths are relative to the project root: the directory of ``pyproject.toml`` or
``clientgen.yaml``, or the one that holds ``spec/``.

Each setting is a field of ``ClientConfig`` declared with ``settings.setting``:
its rule, default, meaning, whether it shapes the output and the option that
sets it. Reading a configuration file (unknown and duplicate keys refused,
every value checked and located), ``client_config`` (values from the command
line or code), ``describe()`` and the manifest's record that ``clientgen check
DIR`` reads back (``package_config``), ``init``'s lines, the README's table and
the JSON Schema for editors (``json_schema``) all follow from the declarations:
a new setting needs its declaration and its use.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from generator import __version__
from generator.contract import IdempotencyKeys
from generator.errors import ClientgenError, Location
from generator.files import read_text
from generator.load import Document, load_data_file, parse_data_text
from generator.manifest import MANIFEST, ignore_problem
from generator.naming.case import pascal
from generator.naming.identifiers import python_name_problem
from generator.naming.operations import OperationsMap, target_problem
from generator.pagination import PAGING_SETTINGS, PaginationMap
from generator.rules import AnyOf, Choice, Const, Fields, ListOf, MapOf, Text, did_you_mean
from generator.settings import Setting, Source, declared, parse, recorded, setting

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

DEFAULT_CONFIG = Path("spec") / "clientgen.yaml"
HttpModule = Literal["httpx2", "httpx"]


@dataclass(frozen=True)
class ProjectInfo:
    """The distribution a client is published as: ``project: {name, version}`` in the configuration."""

    name: str
    version: str


def _pep440(version: str) -> str | None:
    from packaging.version import InvalidVersion, Version  # only for a publishable project

    try:
        Version(version)
    except InvalidVersion:
        return f"{version!r} is not a PEP 440 version (such as 1.2.0)"
    return None


def _http_url(url: str) -> str | None:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        host, _ = parts.hostname, parts.port  # both parse (and may refuse) the authority
    except ValueError:
        return f"{url!r} is not an http:// or https:// URL"
    if parts.scheme not in ("http", "https") or not host or any(char in url for char in ' {}<>"\\'):
        return f"{url!r} is not an http:// or https:// URL"
    if parts.fragment or parts.query:
        return f"{url!r}: a base URL has no query or fragment"
    return None


def _class(role: str) -> Text:
    return Text(
        pattern=r"[A-Za-z_][A-Za-z0-9_]*",
        what=f"a Python class name (the {role})",
        extra=lambda name: python_name_problem(name, "class"),
    )


_PATH = Text(what="a path")
_PROJECT = Fields(
    required={
        "name": Text(
            pattern=r"[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]",
            what="a distribution name (letters, digits, '.', '_', '-')",
        ),
        "version": Text(what="a PEP 440 version", extra=_pep440),
    },
    what="mapping with name and version",
)
_OPERATION_KEY = Text(what="an operationId or 'METHOD /path'")


def _pairs_as_mapping(value: Any) -> Any:
    """``[[name, url], ...]`` as a mapping in that order (anything else as it is, for the rule to judge)."""
    if isinstance(value, list) and all(isinstance(pair, list) and len(pair) == 2 for pair in value):
        return {str(name): url for name, url in value}
    return value


def _entries_map(cls: type[OperationsMap] | type[PaginationMap]) -> Any:
    def build(value: Mapping[str, Any], locate: Any) -> Any:
        locations = {key: location for key in value if (location := locate(key)) is not None}
        if cls is PaginationMap:
            return PaginationMap(dict(value), locations, locator=locate)
        return cls(dict(value), locations)

    return build


@dataclass(frozen=True, kw_only=True)
class ClientConfig:
    """Everything that decides one generated package, besides the spec itself: one field per setting."""

    name: str = setting(
        Text(pattern=r"[A-Za-z0-9][A-Za-z0-9_.-]*", what="a client name (letters, digits, '.', '_', '-')"),
        "The client's name in commands (`clientgen generate NAME`).",
        default="",
        derive=lambda values: values["package"],
        default_doc="the package",
    )
    spec: Path = setting(_PATH, "The OpenAPI document.", required=True, shapes_output=False, path=True)
    renames: Path | None = setting(_PATH, "The rename map (schema → class name).", shapes_output=False, path=True)
    package: str = setting(
        Text(
            pattern=r"[a-z_][a-z0-9_]*",
            what="a Python package name",
            extra=lambda name: python_name_problem(name, "package"),
        ),
        "The generated package's import name.",
        required=True,
        flag="--package",
    )
    output: Path = setting(
        _PATH,
        "Where the package is written.",
        default=Path(),
        derive=lambda values: f"generated/{values['package']}",
        default_doc="`generated/PACKAGE`",
        shapes_output=False,
        path=True,
        flag="--output",
    )
    client_class: str = setting(
        _class("sync client"),
        "The sync client class.",
        default="",
        derive=lambda values: pascal(values["package"]),
        default_doc="the package in PascalCase (`acme_pay` → `AcmePay`)",
    )
    async_client_class: str = setting(
        _class("async client"),
        "The async client class.",
        default="",
        derive=lambda values: f"Async{pascal(values['package'])}",
        default_doc="`Async` + the package in PascalCase",
    )
    typed_client_class: str = setting(
        _class("typed-dict client"),
        "The typed-dict client class (TypedDicts, no pydantic).",
        default="",
        derive=lambda values: f"Typed{pascal(values['package'])}",
        default_doc="`Typed` + the package in PascalCase",
    )
    async_typed_client_class: str = setting(
        _class("async typed-dict client"),
        "The async typed-dict client class.",
        default="",
        derive=lambda values: f"AsyncTyped{pascal(values['package'])}",
        default_doc="`AsyncTyped` + the package in PascalCase",
    )
    env_prefix: str = setting(
        Text(pattern=r"[A-Za-z_][A-Za-z0-9_]*", what="an environment variable prefix (letters, digits, _)"),
        "Prefix of the environment variables the client reads (`PREFIX_API_KEY`, `PREFIX_BASE_URL`), upper-cased.",
        default="",
        derive=lambda values: values["package"].upper(),
        default_doc="the package in upper case",
        build=lambda value, locate: value.upper(),
    )
    http_module: HttpModule = setting(
        Choice(("httpx2", "httpx")),
        "The HTTP library the generated code imports.",
        default="httpx2",
        flag="--http",
    )
    validation: Literal["strict", "lenient"] = setting(
        Choice(("strict", "lenient")),
        "`lenient`: validation errors become warnings.",
        default="strict",
        flag="--lenient",
    )
    idempotency_keys: IdempotencyKeys = setting(
        Choice(("declared", "unsafe")),
        "Where the client makes an idempotency key for each call not given one (the same on every retry): "
        "`declared`, operations declaring an `Idempotency-Key` header; `unsafe`, every POST and PATCH too.",
        default="declared",
    )
    ignore_validation: tuple[str, ...] = setting(
        ListOf(Text(what="a JSON pointer prefix or message fragment"), what="list of pointer prefixes or texts"),
        "Validation errors to ignore: at a JSON pointer prefix (`/paths/~1legacy`), or containing a text.",
        default=(),
        build=lambda value, locate: tuple(value),
        dump=list,
        flag="--ignore",
    )
    environments: Mapping[str, str] = setting(
        MapOf(Text(what="an environment name"), Text(what="an http(s) URL", extra=_http_url)),
        'Named base URLs (`environment="local"`); default: the spec\'s servers.',
        factory=dict,
        build=lambda value, locate: {name: url.rstrip("/") for name, url in value.items()},
        # Their order matters (the first is the default), and the manifest's JSON sorts keys: recorded as pairs.
        dump=lambda value: [[name, url] for name, url in value.items()],
        undump=lambda value: _pairs_as_mapping(value),
    )
    operations: OperationsMap = setting(
        MapOf(_OPERATION_KEY, Text(what="'resource.method'", extra=target_problem)),
        'Rename or move methods: operationId or `"METHOD /path"` → `resource.method`.',
        factory=OperationsMap,
        build=_entries_map(OperationsMap),
        dump=lambda value: dict(value.entries),
        typed=OperationsMap,
    )
    project: ProjectInfo | None = setting(
        _PROJECT,
        "Publish the client: writes `pyproject.toml` and `README.md` beside the package.",
        build=lambda value, locate: ProjectInfo(value["name"], value["version"]),
        dump=lambda value: {"name": value.name, "version": value.version},
        typed=ProjectInfo,
    )
    pagination: PaginationMap = setting(
        MapOf(_OPERATION_KEY, AnyOf((Const(False), PAGING_SETTINGS), "false or paging settings")),
        'Paging per operation: operationId or `"METHOD /path"` → settings (`style`, `param`, `items`, `cursor`, '
        "`has_more`, `size_param`), or `false` to turn detection off.",
        factory=PaginationMap,
        build=_entries_map(PaginationMap),
        dump=lambda value: {key: _json(entry) for key, entry in value.entries.items()},
        typed=PaginationMap,
    )
    ignore_files: tuple[str, ...] = setting(
        ListOf(Text(what="a path or glob inside the output", extra=ignore_problem), what="list of paths or globs"),
        "Files inside the output that you own (paths or globs, relative to it; `*` crosses folders), like Fern's "
        "`.fernignore`: written once when missing, then never replaced, removed, merged or checked.",
        default=(),
        build=lambda value, locate: tuple(value),
        dump=list,
    )

    def describe(self) -> dict[str, Any]:
        """The settings that shape the output, for the manifest's record and hash (absent ones left out)."""
        return recorded(SETTINGS, self.__dict__)


def _json(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _json(item) for key, item in value.items()}
    return list(value) if isinstance(value, tuple) else value


SETTINGS: tuple[Setting, ...] = declared(ClientConfig)
_BY_NAME = {item.name: item for item in SETTINGS}
_CLASS_SETTINGS = ("client_class", "async_client_class", "typed_client_class", "async_typed_client_class")


def _check_together(values: Mapping[str, Any], source: Source) -> None:
    """What no single setting can say: the client classes (and the base error class) are distinct."""
    taken: dict[str, str] = {f"{values['client_class']}Error": "the base error class (client_class + 'Error')"}
    for name in _CLASS_SETTINGS:
        if values[name] in taken:
            item = _BY_NAME[name]
            raise source.error(item, f"{values[name]!r} is already {taken[values[name]]}", f"/{name}")
        taken[values[name]] = source.label(_BY_NAME[name])


def build_client(
    raw: Mapping[str, Any], source: Source, root: Path | None = None, given: Mapping[str, Any] | None = None
) -> ClientConfig:
    """A ``ClientConfig`` from raw values (a configuration entry, a manifest's record, options), every one checked."""
    values = parse(SETTINGS, raw, source, root, given)
    _check_together(values, source)
    return ClientConfig(**values)


def client_config(*, from_flags: bool = False, **values: Any) -> ClientConfig:
    """A ``ClientConfig`` from keyword arguments (raw or typed values), defaults filled and every value checked."""
    return build_client(values, Source(from_flags=from_flags))


def with_options(config: ClientConfig, **values: Any) -> ClientConfig:
    """``config`` with settings given on the command line (``--lenient``, ``--http``...), checked like any."""
    checked = parse(tuple(_BY_NAME[name] for name in values), values, Source(from_flags=True))
    return replace(config, **checked)


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
    table (or one that mentions it but is not valid TOML: ``load_project`` says why),
    ``clientgen.yaml``, ``spec/clientgen.yaml``.
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


_TOOL_TABLE = re.compile(r"^\s*\[\[?\s*tool\s*\.\s*clientgen\b|^\s*tool\s*\.\s*clientgen\b", re.MULTILINE)


def _has_tool_table(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False  # not ours to judge unless it is the configuration
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        # A broken pyproject.toml that names our table is the configuration: its error is reported, not skipped.
        return bool(_TOOL_TABLE.search(text))
    tool = data.get("tool")
    return isinstance(tool, dict) and isinstance(tool.get("clientgen"), dict)


def project_root(config_path: Path) -> Path:
    """Paths in a configuration are relative to the project root: the directory above ``spec/``, or the file's own."""
    resolved = config_path.resolve()
    return resolved.parent.parent if resolved.parent.name == "spec" and resolved.suffix != ".toml" else resolved.parent


#: The settings of the whole configuration, beside each client's.
PROJECT_SETTINGS: tuple[Setting, ...] = (
    Setting(
        "clientgen_version",
        Text(what="a PEP 440 version requirement (>=0.1,<0.2)"),
        "The clientgen versions this project accepts; another one refuses to run, saying which.",
        shapes_output=False,
    ),
    Setting(
        "clients",
        ListOf(Fields(what="client"), min_items=1, what="list of clients"),
        "The clients to generate, each with the settings below.",
        required=True,
        shapes_output=False,
    ),
)


def load_project(config_path: Path | None = None) -> Project:
    """Read the configuration (``--config``, or the nearest one); paths in it are relative to the project root."""
    path = config_path or find_config()
    if path is None:
        raise ClientgenError(
            "no configuration found here or in any parent directory: pyproject.toml [tool.clientgen], clientgen.yaml "
            "or spec/clientgen.yaml (run `clientgen init SPEC`, or pass --config)"
        )
    document = _load_toml(path) if path.suffix.lower() == ".toml" else load_data_file(path)
    return project_from(document, path, project_root(path))


def project_text(text: str, path: Path, display: str, root: Path) -> Project:
    """The configuration as ``text`` says it (read from git: ``diff --base REF``), paths relative to ``root``."""
    document = _toml_document(display, text) if path.suffix.lower() == ".toml" else parse_data_text(text, display)
    return project_from(document, path, root)


def project_from(document: Document, path: Path, root: Path) -> Project:
    """The clients a configuration document declares, every setting checked against its declaration."""
    if not document.data and document.text.strip():
        raise ClientgenError("the configuration must be a mapping (clients: [...])", document.locate(""))
    if document.duplicates:
        duplicate = document.duplicates[0]
        raise ClientgenError(
            f"duplicate key {duplicate.key!r}: say it once (the later value would replace the earlier one)",
            Location(document.path, duplicate.line, duplicate.pointer),
        )
    known = [item.name for item in PROJECT_SETTINGS]
    unknown = [key for key in document.data if key not in known]
    if unknown:
        raise ClientgenError(
            f"unknown setting {unknown[0]!r}{did_you_mean(str(unknown[0]), known)} (known: {', '.join(known)})",
            document.locate(f"/{unknown[0]}"),
        )
    check_required_version(document)
    raw = document.data.get("clients")
    if not isinstance(raw, list) or not raw:
        raise ClientgenError("'clients' must be a non-empty list of clients", document.locate("/clients"))
    clients = tuple(_client(document, root, index, entry) for index, entry in enumerate(raw))
    seen: dict[str, int] = {}
    for index, client in enumerate(clients):
        if client.name in seen:
            raise ClientgenError(
                f"client names must be unique: {client.name!r} is also client {seen[client.name] + 1}",
                document.locate(f"/clients/{index}/name" if "name" in raw[index] else f"/clients/{index}/package"),
            )
        seen[client.name] = index
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
    if not isinstance(required, str):
        raise ClientgenError(f"clientgen_version must be text such as '>=0.1,<0.2', not {required!r}; quote it", where)
    try:
        specifier = SpecifierSet(required)
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
    return _toml_document(str(path), read_text(path))


def _toml_document(display: str, text: str) -> Document:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column \d+\)$", str(exc))
        message = str(exc)[: where.start()].rstrip() if where else str(exc)
        raise ClientgenError(
            f"invalid TOML: {message}", Location(display, int(where.group(1)) if where else None)
        ) from None
    tool = data.get("tool", {}).get("clientgen") if isinstance(data.get("tool"), dict) else None
    if not isinstance(tool, dict):
        raise ClientgenError("no [tool.clientgen] table (with [[tool.clientgen.clients]] entries)", Location(display))
    return Document(display, text, tool, _lines=_toml_lines(text))


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


def _client(document: Document, root: Path, index: int, entry: Any) -> ClientConfig:
    where = f"/clients/{index}"
    if not isinstance(entry, dict):
        raise ClientgenError("each client must be a mapping of settings", document.locate(where))
    return build_client(entry, Source(document, where), root)


def package_config(directory: Path) -> ClientConfig:
    """The configuration a generated package records in its manifest: how ``clientgen check DIR`` regenerates it.

    The manifest's settings are read back through the same declarations as a configuration file's.
    """
    manifest = directory / MANIFEST
    if not manifest.is_file():
        raise ClientgenError(f"{directory} is not a package clientgen generated (it has no {MANIFEST})")
    try:
        document = parse_data_text(manifest.read_text(encoding="utf-8"), str(manifest))
    except (ClientgenError, UnicodeDecodeError):
        document = Document(str(manifest), "", {})
    inputs = document.data.get("inputs")
    inputs = inputs if isinstance(inputs, dict) else {}
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

    given = {
        "spec": beside(spec["file"]),
        "output": directory,
        "renames": beside(renames["file"])
        if isinstance(renames, dict) and isinstance(renames.get("file"), str)
        else None,
    }
    return build_client(settings, Source(document, "/inputs/config/settings", recorded=True), given=given)


def entry_lines(values: Mapping[str, str], syntax: Literal["toml", "yaml"]) -> list[str]:
    """A client's settings as lines of a configuration file, in declaration order, each value checked first.

    ``values`` are raw text (what a user would write); a JSON string is a valid TOML basic string and YAML
    double-quoted scalar when non-ASCII text stays literal.
    """
    parse(tuple(item for item in SETTINGS if item.name in values), values, Source())
    separator = " = " if syntax == "toml" else ": "
    return [
        f"{item.name}{separator}{json.dumps(values[item.name], ensure_ascii=False)}"
        for item in SETTINGS
        if item.name in values
    ]
