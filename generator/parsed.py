"""What a parser gives back (the data, the keys given twice) and the limits every parser of untrusted text keeps to.

``parse`` reads JSON and checks the limits; ``yamltext`` reads YAML (see ``parse`` for why each limit).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

MAX_DEPTH = 200
MAX_SCHEMA_DEPTH = 64
MAX_EXPANDED_NODES = 2_000_000
MAX_INTEGER_DIGITS = 4000


@dataclass(frozen=True)
class Duplicate:
    """A mapping key given twice: the later value is the one kept."""

    key: str
    pointer: str
    line: int | None


@dataclass(frozen=True)
class Parsed:
    data: Any
    duplicates: tuple[Duplicate, ...]


def spec_key(value: object) -> str:
    """A mapping key as text: YAML's ``true:`` reads ``"true"``, ``~:`` reads ``"null"``."""
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, (bool, int, float)):
        return json.dumps(value)
    return str(value)
