"""The base class of the package's pydantic models: ``to_dict()`` and ``to_json()``.

The one runtime module that imports pydantic: ``_runtime/__init__`` does not
import it, only the pydantic models do (``from ._runtime.base_model import
BaseModel``), so the typed-dict clients never load pydantic.
"""

from __future__ import annotations

import sys
import typing
from collections.abc import Iterator
from typing import Any, Literal, TypeAlias, TypeGuard

import pydantic

#: Levels of models, each naming the next, that pydantic builds in one go. Building a model builds the
#: models it names that are not built yet, recursively, some fifteen frames a level: a chain of a hundred
#: models would exhaust Python's thousand (``RecursionError``). Every so many levels, the models are built
#: beforehand, deepest first, so that no build goes deeper than this.
BUILD_DEPTH = 20


class BaseModel(pydantic.BaseModel):
    """A pydantic model that turns back into the API's JSON with ``to_dict()`` and ``to_json()``."""

    # Validators and serializers are built on a model's first use, not when its module is imported: importing a
    # package of a thousand models then costs their classes only, and a class may name one defined after it.
    model_config = pydantic.ConfigDict(defer_build=True)

    @classmethod
    def model_rebuild(
        cls,
        *,
        force: bool = False,
        raise_errors: bool = True,
        _parent_namespace_depth: int = 2,
        _types_namespace: Any = None,
    ) -> bool | None:
        """Build the model (pydantic's ``model_rebuild``); a chain of models too deep
        for one build is built in steps (``build_deep_models``), then the model.
        """
        try:
            # One frame more than pydantic expects: the caller's namespace is one further up.
            return super().model_rebuild(
                force=force,
                raise_errors=raise_errors,
                _parent_namespace_depth=_parent_namespace_depth + 1,
                _types_namespace=_types_namespace,
            )
        except RecursionError:
            # Walking the graph first costs seconds on APIs whose models form large cycles, where a
            # one-shot build is quick: pay for the steps only when the stack ran out.
            build_deep_models(cls)
            return super().model_rebuild(
                force=force,
                raise_errors=raise_errors,
                _parent_namespace_depth=_parent_namespace_depth + 1,
                _types_namespace=_types_namespace,
            )

    def to_dict(
        self,
        *,
        mode: Literal["json", "python"] = "python",
        by_alias: bool = True,
        exclude_unset: bool = True,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
    ) -> dict[str, Any]:
        """The model as a dict, under the API's own (JSON) field names.

        Fields that were never set (absent from the response, or not given to
        the constructor) are left out, so the dict says what the API said; fields
        the API sent beyond the spec are kept. ``mode="json"`` gives JSON types
        only (a datetime as its ISO string).

        Args:
            mode: ``"python"`` keeps Python values (``datetime``, enums); ``"json"`` gives JSON ones.
            by_alias: Key fields by their JSON names (``displayName``), not their attributes (``display_name``).
            exclude_unset: Leave out the fields that were never set.
            exclude_defaults: Leave out the fields that hold their default.
            exclude_none: Leave out the fields that are None.
        """
        return self.model_dump(
            mode=mode,
            by_alias=by_alias,
            exclude_unset=exclude_unset,
            exclude_defaults=exclude_defaults,
            exclude_none=exclude_none,
            # A response kept leniently may hold values the spec did not expect: they go out as they came.
            warnings=False,
        )

    def to_json(
        self,
        *,
        indent: int | None = 2,
        by_alias: bool = True,
        exclude_unset: bool = True,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
    ) -> str:
        """The model as JSON text, under the API's own field names; see ``to_dict``.

        Args:
            indent: Spaces per level; None for one line.
            by_alias: Key fields by their JSON names, not their attributes.
            exclude_unset: Leave out the fields that were never set.
            exclude_defaults: Leave out the fields that hold their default.
            exclude_none: Leave out the fields that are None.
        """
        return self.model_dump_json(
            indent=indent,
            by_alias=by_alias,
            exclude_unset=exclude_unset,
            exclude_defaults=exclude_defaults,
            exclude_none=exclude_none,
            # A response kept leniently may hold values the spec did not expect: they go out as they came.
            warnings=False,
        )


def build_deep_models(top: object) -> None:
    """Build, deepest first, the models ``top`` (a model or any type) names that lie
    ``BUILD_DEPTH`` levels of unbuilt models above the deepest ones, and so on up:
    then building ``top`` recurses ``BUILD_DEPTH`` levels at most. A chain of 400
    models builds 20 of them beforehand; a model whose unbuilt models go less deep
    (most of them) builds none. A cycle ends where it closes: pydantic refers to
    its start.
    """
    height: dict[type[pydantic.BaseModel], int] = {}
    ahead: list[type[pydantic.BaseModel]] = []
    seen: set[object] = {top}
    stack: list[tuple[object, Iterator[Model]]] = [(top, _unbuilt_models(top))]
    while stack:
        node, named = stack[-1]
        for model in named:
            if model not in seen:
                seen.add(model)
                stack.append((model, _unbuilt_models(model)))
                break
        else:
            stack.pop()
            if node is top or not _is_model(node):
                continue
            below = [height.get(model, 0) for model in _unbuilt_models(node)]
            level = 1 + max(below, default=0)
            if level >= BUILD_DEPTH:
                ahead.append(node)
                level = 0
            height[node] = level
    # What each names BUILD_DEPTH levels down is built by then: no deeper recursion.
    for model in ahead:
        namespace = vars(sys.modules[model.__module__])
        model.model_rebuild(raise_errors=False, _types_namespace=namespace)


Model: TypeAlias = type[pydantic.BaseModel]


def _is_model(value: object) -> TypeGuard[Model]:
    return isinstance(value, type) and issubclass(value, pydantic.BaseModel)


def _unbuilt_models(node: object) -> Iterator[Model]:
    """The models not built yet that a model's fields (or a type) name, through
    lists, unions, dicts and forward references (resolved in the model's module).
    """
    module: dict[str, Any] = {}
    pending: list[object] = [node]
    if _is_model(node):
        if node.__module__ in sys.modules:
            module = vars(sys.modules[node.__module__])
        pending = [field.annotation for field in node.__pydantic_fields__.values()]
    while pending:
        value = pending.pop()
        if isinstance(value, typing.ForwardRef):
            value = value.__forward_arg__
        if isinstance(value, str):
            try:  # a name of the model's module, as pydantic resolves it
                value = eval(value, dict(module))
            except Exception:  # not defined yet: pydantic says so when it builds
                continue
            pending.append(value)
        elif _is_model(value):
            if not value.__pydantic_complete__:
                yield value
        else:
            pending.extend(typing.get_args(value))
