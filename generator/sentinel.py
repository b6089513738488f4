"""A named "no value" marker that stays itself across processes.

``object()`` does not: an analysis pickled to or from a worker process (the
old side of ``clientgen diff``) came back with another object, so
``field.default is MISSING`` turned false and equal model definitions compared
unequal.
"""

from __future__ import annotations

import importlib
from typing import Any


class Sentinel:
    """The module-level constant ``module.name``; pickled as that name, so unpickling finds the same object."""

    __slots__ = ("_module", "_name")

    def __init__(self, module: str, name: str) -> None:
        self._module, self._name = module, name

    def __repr__(self) -> str:
        return self._name

    def __reduce__(self) -> tuple[Any, tuple[str, str]]:
        return _constant, (self._module, self._name)


def _constant(module: str, name: str) -> Any:
    return getattr(importlib.import_module(module), name)
