"""What generated models and resources use at run time: ``model_parser`` (pydantic,
imported on first use), ``passthrough``, ``not_none``, open enums and tagged unions
that tolerate new variants. Nothing here imports pydantic at import time.
"""

from __future__ import annotations

import enum
import json as _json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar, cast, overload

# Not the one of .constants: that module imports the HTTP library, which the models never need.
T = TypeVar("T")


@overload
def model_parser(tp: type[T]) -> Callable[[object], T]: ...


@overload
def model_parser(tp: object) -> Callable[[object], Any]: ...


def model_parser(tp: object) -> Callable[[object], Any]:
    """Build a parser validating data against ``tp`` with a pydantic TypeAdapter.

    pydantic is imported, and the adapter built, on the first call only.
    """
    return ModelParser(tp)


class ModelParser:
    """Validates decoded JSON against a type; also straight from the body's bytes."""

    def __init__(self, tp: object) -> None:
        self._tp = tp
        self._adapter: Any = None

    def _get_adapter(self) -> Any:
        if self._adapter is None:
            import importlib

            pydantic = importlib.import_module("pydantic")
            try:
                self._adapter = pydantic.TypeAdapter(self._tp)
            except RecursionError:
                # A chain of models too deep for one build is built in steps, then adapted.
                base_model = importlib.import_module(f"{__package__}.base_model")
                base_model.build_deep_models(self._tp)
                self._adapter = pydantic.TypeAdapter(self._tp)
        return self._adapter

    def __call__(self, data: object) -> Any:
        return self._get_adapter().validate_python(data)

    def from_json(self, content: bytes) -> Any:
        """The validated body, or ``NOT_PARSED`` when it fails (the slow path then says why)."""
        try:
            return self._get_adapter().validate_json(content)
        except (
            ValueError
        ):  # pydantic's ValidationError, invalid or too deeply nested JSON
            return NOT_PARSED


NOT_PARSED = object()


def passthrough(data: object) -> Any:
    """Return the decoded data unchanged (typed-dict variant: no validation)."""
    return data


def not_none(data: object) -> Any:
    """Return the decoded data; refuse an empty or ``null`` body, which the API does not document."""
    if data is None:
        raise ValueError("the body is empty or null, but the API documents one")
    return data


class OpenEnum(str, enum.Enum):
    """A string enum that keeps values it does not know.

    Servers add enum values over time; a client generated before that must
    still parse the response. An unknown value becomes a pseudo-member whose
    ``value`` is the string received (``Status("paused").value == "paused"``),
    equal to that string and not identical to any declared member.
    """

    @classmethod
    def _missing_(cls, value: object) -> OpenEnum | None:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member


class OpenIntEnum(int, enum.Enum):
    """An integer enum that keeps values it does not know, like ``OpenEnum``.

    ``Level(3).value == 3`` even when the spec listed only 1 and 2.
    """

    @classmethod
    def _missing_(cls, value: object) -> OpenIntEnum | None:
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        member = int.__new__(cls, value)
        member._name_ = f"UNKNOWN_{value}".replace("-", "MINUS_")
        member._value_ = value
        return member


#: The tag of a union member that no declared variant matches: kept as raw data.
UNKNOWN_VARIANT = "unknown"


class UnknownVariantDict:
    """Metadata of a tagged union's fallback member (``Annotated[dict[str, Any], UnknownVariantDict()]``).

    The fallback is validated as a TypedDict with no declared keys: still a
    plain dict, but one that sets no fields. pydantic's smart unions prefer the
    member that sets the most fields, so where the tagged union sits in a wider
    union (``Shape | Label``) a ``Label`` is a ``Label``, not an unknown shape;
    a bare ``dict[str, Any]`` would be an exact match and win every time.
    """

    def __get_pydantic_core_schema__(
        self, source: object, handler: Callable[[object], object]
    ) -> dict[str, object]:
        # A core schema is plain data: no pydantic import needed here.
        return {"type": "typed-dict", "fields": {}, "extra_behavior": "allow"}


def variant_tag(
    wire_name: str, attribute: str, known: Sequence[str]
) -> Callable[[object], str]:
    """The discriminator function of a tagged union that tolerates new variants.

    A payload whose discriminator value is not one of ``known`` is tagged
    ``UNKNOWN_VARIANT`` and kept as a plain dict, never typed as a variant it
    is not.
    """
    known_tags = frozenset(known)

    def tag(value: object) -> str:
        if isinstance(value, Mapping):
            raw = cast("Mapping[str, object]", value).get(wire_name)
        else:
            raw = getattr(value, attribute, getattr(value, wire_name, None))
        if isinstance(raw, enum.Enum):
            raw = raw.value
        text = raw if isinstance(raw, str) else _json.dumps(raw)
        return text if text in known_tags else UNKNOWN_VARIANT

    return tag
