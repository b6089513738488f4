"""The base class of the package's pydantic models: ``to_dict()`` and ``to_json()``.

The one runtime module that imports pydantic: ``_runtime/__init__`` does not
import it, only the pydantic models do (``from ._runtime.base_model import
BaseModel``), so the typed-dict clients never load pydantic.
"""

from __future__ import annotations

from typing import Any, Literal

import pydantic


class BaseModel(pydantic.BaseModel):
    """A pydantic model that turns back into the API's JSON with ``to_dict()`` and ``to_json()``."""

    # Validators and serializers are built on a model's first use, not when its module is imported: importing a
    # package of a thousand models then costs their classes only, and a class may name one defined after it.
    model_config = pydantic.ConfigDict(defer_build=True)

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
