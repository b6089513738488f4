"""``typing.get_type_hints`` on every resource property of every client class, in a fresh interpreter.

Run as a script: ``python property_hints.py FOLDER PACKAGE...`` imports each
package's client modules (``client``, ``typed_client``) from FOLDER, records
which resource modules that import loaded (it should load none: resources load
on first use), then resolves the hints of every ``cached_property`` and
``property`` of every class those modules define (the clients and their raw and
streaming wrappers), then of every resource module's classes (a resource
holding nested ones), each module checked as soon as it is imported. Prints one JSON object: ``checked``, ``failed`` (qualified
name and error) and ``loaded`` (resource modules loaded by the import alone).

A fresh interpreter matters: once a resource's module has been imported (by a
test that used it), a property naming its class would resolve whatever the
client module imports.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import json
import subprocess
import sys
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

CLIENT_MODULES = ("client", "typed_client")
RESOURCE_PACKAGES = ("resources", "typed_resources")


def _resource_modules(package: str) -> list[str]:
    prefixes = tuple(f"{package}.{name}." for name in RESOURCE_PACKAGES)
    return sorted(
        name for name in sys.modules if name.startswith(prefixes) and not name.rsplit(".", 1)[1].startswith("_")
    )


def _properties(module: ModuleType) -> Iterator[tuple[str, Callable[..., object]]]:
    """Each ``cached_property`` and ``property`` of the classes ``module`` defines: qualified name, function."""
    for class_name, cls in vars(module).items():
        if not inspect.isclass(cls) or cls.__module__ != module.__name__:
            continue
        for attribute, member in vars(cls).items():
            if isinstance(member, functools.cached_property):
                yield f"{module.__name__}.{class_name}.{attribute}", member.func
            elif isinstance(member, property) and member.fget is not None:
                yield f"{module.__name__}.{class_name}.{attribute}", member.fget


def check(package: str) -> tuple[int, list[tuple[str, str]], list[str]]:
    """Hints checked, failures, and resource modules the client modules' import loaded.

    The client modules first, then each resource module in name order, each checked as soon as it is
    imported: a parent (``customers``) before its nested resource's module (``customers_cards``).
    """
    modules = []
    for name in CLIENT_MODULES:
        try:
            modules.append(importlib.import_module(f"{package}.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{package}.{name}":
                raise
    loaded = _resource_modules(package)
    checked = 0
    failed: list[tuple[str, str]] = []

    def resolve(module: ModuleType) -> None:
        nonlocal checked
        for qualified, function in _properties(module):
            checked += 1
            try:
                typing.get_type_hints(function)
            except Exception as exc:
                failed.append((qualified, f"{type(exc).__name__}: {exc}"[:300]))

    for module in modules:
        resolve(module)
    root = Path(importlib.import_module(package).__path__[0])
    for resources in RESOURCE_PACKAGES:
        for path in sorted((root / resources).glob("*.py")):
            if not path.name.startswith("_"):
                resolve(importlib.import_module(f"{package}.{resources}.{path.stem}"))
    return checked, failed, loaded


def property_hints(folder: Path, packages: list[str]) -> dict[str, Any]:
    """This script on ``packages`` in ``folder``, in a fresh interpreter: its JSON verdict."""
    result = subprocess.run(
        [sys.executable, __file__, str(folder), *packages], cwd=folder, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    verdict: dict[str, Any] = json.loads(result.stdout)
    return verdict


def resource_properties(folder: Path, packages: list[str]) -> int:
    """The resource properties the modules of ``packages`` define, counted in their source."""
    return sum(
        path.read_text(encoding="utf-8").count("    @cached_property\n")
        for package in packages
        for path in (folder / package).glob("**/*.py")
        if "_runtime" not in path.parts
    )


def main(folder: str, packages: list[str]) -> None:
    sys.path.insert(0, folder)
    checked = 0
    failed: list[tuple[str, str]] = []
    loaded: list[str] = []
    for package in packages:
        count, failures, early = check(package)
        checked += count
        failed += failures
        loaded += early
    print(json.dumps({"checked": checked, "failed": failed, "loaded": loaded}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
