"""``typing.get_type_hints`` over every public class, method and function of a generated package.

Anything that introspects signatures (pydantic ``validate_call``, wrappers, IDE
plugins) calls it; issue 18 asks for zero failures on every corpus package.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import typing
from types import ModuleType


def type_hint_failures(package: ModuleType) -> tuple[int, list[tuple[str, str]]]:
    """How many public callables were checked, and each that failed with its error."""
    checked = 0
    failed: list[tuple[str, str]] = []
    for module in _modules(package):
        for name, value in vars(module).items():
            if name.startswith("_") or getattr(value, "__module__", None) != module.__name__:
                continue
            targets: list[tuple[str, object]] = []
            if inspect.isclass(value):
                targets.append((f"{module.__name__}.{name}", value))
                for attribute, member in vars(value).items():
                    if inspect.isfunction(member) and (not attribute.startswith("_") or attribute == "__init__"):
                        targets.append((f"{module.__name__}.{name}.{attribute}", member))
            elif inspect.isfunction(value):
                targets.append((f"{module.__name__}.{name}", value))
            for qualified, target in targets:
                checked += 1
                try:
                    typing.get_type_hints(target)
                except Exception as exc:
                    failed.append((qualified, f"{type(exc).__name__}: {exc}"[:300]))
    return checked, failed


def _modules(package: ModuleType) -> list[ModuleType]:
    found = [package]
    for info in pkgutil.walk_packages(package.__path__, prefix=package.__name__ + "."):
        if any(part.startswith("_") for part in info.name.split(".")[1:]):  # private modules: the runtime
            continue
        found.append(importlib.import_module(info.name))
    return found
