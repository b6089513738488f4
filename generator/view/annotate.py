"""Annotations: a normalised schema as the Python type one variant's signatures show."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.pointer import ref_name
from generator.schemas import SchemaSet
from generator.view.shapes import Variant


def requirement_literal(requirement: tuple[tuple[str, ...], ...]) -> str:
    """``(("a", "b"), ("c",))`` as Python source, safe for any scheme key."""

    def pack(items: list[str]) -> str:
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"

    return pack([pack([literal(key) for key in alternative]) for alternative in requirement])


def literal(value: object) -> str:
    """A Python literal for a JSON scalar, safe for any content."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False) if "\\" not in value else repr(value)
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    return repr(str(value))


@dataclass
class Imports:
    """Names a module needs; collected while annotating, rendered sorted."""

    models: set[str] = field(default_factory=set)
    typing: set[str] = field(default_factory=set)
    runtime: set[str] = field(default_factory=set)

class Annotator:
    """Turns a normalised schema into a Python annotation for one variant."""

    def __init__(self, schemas: SchemaSet, variant: Variant, imports: Imports) -> None:
        self.schemas = schemas
        self.variant = variant
        self.imports = imports

    def __call__(self, schema: Any) -> str:
        if not isinstance(schema, dict) or not schema:
            self.imports.typing.add("Any")
            return "Any"
        if "$ref" in schema:
            name = ref_name(schema["$ref"])
            self.imports.models.add(name)
            return name
        if "const" in schema:
            self.imports.typing.add("Literal")
            return f"Literal[{literal(schema['const'])}]"
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            self.imports.typing.add("Literal")
            values = [value for value in schema["enum"] if value is not None]
            text = f"Literal[{', '.join(literal(value) for value in values)}]"
            return text + (" | None" if None in schema["enum"] else "")
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list):
                return self._union([self(item) for item in schema[key]])
        if isinstance(schema.get("allOf"), list) and len(schema["allOf"]) == 1:
            return self(schema["allOf"][0])
        kinds = schema.get("type")
        if isinstance(kinds, list):
            return self._union([self({**schema, "type": kind}) for kind in kinds])
        return self._single(kinds, schema)

    def _single(self, kind: Any, schema: Mapping[str, Any]) -> str:
        if kind == "null":
            return "None"
        if kind == "string":
            if schema.get("format") == "binary" or schema.get("contentMediaType") == "application/octet-stream":
                self.imports.runtime.add("FileContent")
                return "FileContent"
            return "str"
        if kind == "integer":
            return "int"
        if kind == "number":
            return "float"
        if kind == "boolean":
            return "bool"
        if kind == "array":
            return f"list[{self(schema.get('items', {}))}]"
        if kind == "object" or "properties" in schema or "additionalProperties" in schema:
            extra = schema.get("additionalProperties")
            value = self(extra) if isinstance(extra, dict) and extra else self({})
            return f"dict[str, {value}]"
        self.imports.typing.add("Any")
        return "Any"

    @staticmethod
    def _union(parts: list[str]) -> str:
        unique: list[str] = []
        for part in parts:
            for piece in part.split(" | "):
                if piece not in unique:
                    unique.append(piece)
        if "Any" in unique:
            return "Any"
        if "None" in unique:  # None last reads best
            unique.remove("None")
            unique.append("None")
        return " | ".join(unique)
