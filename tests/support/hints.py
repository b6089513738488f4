"""``typing.get_type_hints`` over every public class, method and function of a generated package.

Anything that introspects signatures (pydantic ``validate_call``, wrappers, IDE
plugins) calls it; issue 18 asks for zero failures on every corpus package.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
import typing
from collections.abc import Iterator
from types import ModuleType


def type_hint_failures(package: ModuleType) -> tuple[int, list[tuple[str, str]]]:
    """How many public callables were checked, and each that failed with its error.

    A public module's own definitions, and what it re-exports from the package's
    private modules (the models and TypedDicts of a split module, the runtime's
    public names), each once; a class's methods, properties and cached properties (a client's resources).
    A module's names are those ``dir`` gives: the lazy layout's ``models.py`` holds
    its names only once they are asked for.
    """
    checked = 0
    failed: list[tuple[str, str]] = []
    seen: set[int] = set()
    for module in _modules(package):
        for name in dir(module):
            value = getattr(module, name)
            home = getattr(value, "__module__", None)
            if name.startswith("_") or not isinstance(home, str) or id(value) in seen:
                continue
            if home != module.__name__ and not _private_module_of(package, home):
                continue
            seen.add(id(value))
            targets: list[tuple[str, object]] = []
            if inspect.isclass(value):
                targets.append((f"{home}.{name}", value))
                for attribute, member in vars(value).items():
                    if attribute.startswith("_") and attribute != "__init__":
                        continue
                    if isinstance(member, functools.cached_property):  # a client's resource
                        member = member.func
                    elif isinstance(member, property) and member.fget is not None:
                        member = member.fget
                    if inspect.isfunction(member):
                        targets.append((f"{home}.{name}.{attribute}", member))
            elif inspect.isfunction(value):
                targets.append((f"{home}.{name}", value))
            for qualified, target in targets:
                checked += 1
                try:
                    typing.get_type_hints(target)
                except Exception as exc:
                    failed.append((qualified, f"{type(exc).__name__}: {exc}"[:300]))
    return checked, failed


def _private_module_of(package: ModuleType, name: str) -> bool:
    parts = name.split(".")
    return parts[0] == package.__name__ and any(part.startswith("_") for part in parts[1:])


def _modules(package: ModuleType) -> Iterator[ModuleType]:
    """The package and its public modules, each imported as it comes: in name order, a client module is checked
    before the resource modules its properties name are imported (unless something used them already)."""
    yield package
    for info in pkgutil.walk_packages(package.__path__, prefix=package.__name__ + "."):
        if any(part.startswith("_") for part in info.name.split(".")[1:]):  # private modules: the runtime
            continue
        yield importlib.import_module(info.name)
