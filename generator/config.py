"""The configuration of the clients a repository generates (``spec/clientgen.yaml``).

Any number of clients, each generated independently from its own spec::

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

Paths are relative to the directory that holds ``spec/``.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from generator.errors import ClientgenError, Location
from generator.load import Document, load_data_file
from generator.naming.case import pascal
from generator.naming.identifiers import package_shadow
from generator.naming.operations import OperationsMap
from generator.pagination import PaginationMap
from generator.pointer import pointer_escape

DEFAULT_CONFIG = Path("spec") / "clientgen.yaml"
HttpModule = Literal["httpx2", "httpx"]
_PACKAGE = re.compile(r"^[a-z_][a-z0-9_]*$")


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
    pagination: PaginationMap = field(default_factory=PaginationMap)

    def describe(self) -> dict[str, Any]:
        """The settings that shape the output, for the manifest's hash (paths relative)."""
        return {
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
    pagination: PaginationMap | Mapping[str, Any] | None = None,
    where: str = "",
) -> ClientConfig:
    """Fill in defaults from the package name and check every value."""
    if not _PACKAGE.match(package) or keyword.iskeyword(package):
        raise ClientgenError(f"package {package!r} is not a valid Python package name (lowercase, digits, underscores)", None)
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
        pagination=pagination if isinstance(pagination, PaginationMap) else pagination_map(pagination or {}, where),
    )


def pagination_map(entries: Mapping[str, Any], where: str, document: Document | None = None) -> PaginationMap:
    """The ``pagination:`` setting: per operation, clientgen's paging settings or ``false``."""
    if not isinstance(entries, Mapping):
        raise ClientgenError(f"{where}pagination must map operationIds or 'METHOD /path' to settings", document.locate(where) if document else None)
    locations = {str(key): document.locate(f"{where}/pagination/{pointer_escape(str(key))}") for key in entries} if document else {}
    return PaginationMap({str(key): value for key, value in entries.items()}, locations)


def operations_map(entries: Mapping[str, str], where: str, document: Document | None = None) -> OperationsMap:
    """The ``operations:`` setting, each entry located in its file when there is one."""
    if not isinstance(entries, Mapping):
        raise ClientgenError(f"{where}operations must map operationIds or 'METHOD /path' to 'resource.method'", document.locate(where) if document else None)
    result: dict[str, str] = {}
    locations: dict[str, Location] = {}
    for key, value in entries.items():
        pointer = f"{where}/operations/{pointer_escape(str(key))}"
        if not isinstance(value, str):
            raise ClientgenError(f"operations entry {key!r} must map to 'resource.method', not {value!r}", document.locate(pointer) if document else None)
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
            raise ClientgenError(f"no client named {', '.join(map(repr, missing))} in {self.config_path} (known: {', '.join(sorted(known))})")
        return [known[name] for name in names]


def load_project(config_path: Path | None = None) -> Project:
    """Read the configuration; paths in it are relative to the project root."""
    path = config_path or _find_config()
    document = load_data_file(path)
    root = path.resolve().parent.parent if path.parent.name == "spec" else path.resolve().parent
    raw = document.data.get("clients")
    if not isinstance(raw, list) or not raw:
        raise ClientgenError("'clients' must be a non-empty list", document.locate("/clients"))
    clients = tuple(_client(document, root, index, entry) for index, entry in enumerate(raw))
    names = [client.name for client in clients]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ClientgenError(f"client names must be unique: {', '.join(duplicates)}", document.locate("/clients"))
    return Project(root, path, clients)


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
        "pagination",
    }
)


def _client(document: Document, root: Path, index: int, entry: Any) -> ClientConfig:
    where = f"/clients/{index}"
    if not isinstance(entry, dict):
        raise ClientgenError("each client must be a mapping", document.locate(where))
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise ClientgenError(f"unknown setting {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})", document.locate(f"{where}/{unknown[0]}"))
    for required in ("spec", "package"):
        if not isinstance(entry.get(required), str):
            raise ClientgenError(f"missing setting {required!r}", document.locate(where))
    package = entry["package"]
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
            pagination=pagination_map(entry.get("pagination") or {}, where, document),
        )
    except ClientgenError as error:
        raise ClientgenError(error.message, document.locate(where)) from None


def _find_config() -> Path:
    here = Path.cwd()
    for directory in (here, *here.parents):
        candidate = directory / DEFAULT_CONFIG
        if candidate.is_file():
            return candidate
    raise ClientgenError(f"no {DEFAULT_CONFIG} found here or in any parent directory (or pass --config)")
