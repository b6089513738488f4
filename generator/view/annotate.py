"""Annotations: a normalised schema as the Python type one variant's signatures show."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.pointer import ref_name
from generator.text import string_literal
from generator.schemas import SchemaSet, literal_value
from generator.view.shapes import Variant


def requirement_literal(requirement: tuple[tuple[str, ...], ...]) -> str:
    """``(("a", "b"), ("c",))`` as Python source, safe for any scheme key."""

    def pack(items: list[str]) -> str:
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"

    return pack([pack([literal(key) for key in alternative]) for alternative in requirement])


def literal(value: object) -> str:
    """A Python literal for a JSON scalar, safe for any content."""
    if isinstance(value, str):
        return string_literal(value)
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    return repr(str(value))


@dataclass
class Imports:
    """Names a module needs; collected while annotating, rendered sorted."""

    models: set[str] = field(default_factory=set)
    typing: set[str] = field(default_factory=set)
    runtime: set[str] = field(default_factory=set)

def _members(annotation: str) -> list[str]:
    """The members of a union annotation, split at top-level ``|`` only (never inside a Literal's strings)."""
    members: list[str] = []
    depth, quote, escaped, start = 0, "", False, 0
    for index, char in enumerate(annotation):
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == "|" and depth == 0:
            members.append(annotation[start:index].strip())
            start = index + 1
    members.append(annotation[start:].strip())
    return members


class Annotator:
    """Turns a normalised schema into a Python annotation for one variant."""

    def __init__(self, schemas: SchemaSet, variant: Variant, imports: Imports, uploads: bool = True) -> None:
        self.schemas = schemas
        self.variant = variant
        self.imports = imports
        self.uploads = uploads  # binary strings are files to send; in a JSON response they are text

    def __call__(self, schema: Any) -> str:
        if not isinstance(schema, dict) or not schema:
            self.imports.typing.add("Any")
            return "Any"
        if "$ref" in schema:
            name = ref_name(schema["$ref"])
            self.imports.models.add(name)
            return name
        if "const" in schema:
            return self._values([schema["const"]])
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return self._values(schema["enum"])
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list):
                return self._union([self(item) for item in schema[key]])
        if isinstance(schema.get("allOf"), list) and len(schema["allOf"]) == 1:
            return self(schema["allOf"][0])
        kinds = schema.get("type")
        if isinstance(kinds, list):
            return self._union([self({**schema, "type": kind}) for kind in kinds])
        return self._single(kinds, schema)

    def _values(self, values: list[Any]) -> str:
        """``Literal[...]`` of the values a Literal can hold (text, integers, booleans), the plain type of the others."""
        literals = [value for value in values if literal_value(value)]
        parts = [f"Literal[{', '.join(literal(value) for value in literals)}]"] if literals else []
        if literals:
            self.imports.typing.add("Literal")
        if any(isinstance(value, int) and not isinstance(value, bool) and not literal_value(value) for value in values):
            parts.append("int")
        if any(isinstance(value, float) for value in values):
            parts.append("float")
        if any(isinstance(value, (dict, list)) for value in values):
            self.imports.typing.add("Any")
            return "Any"
        if any(value is None for value in values):
            parts.append("None")
        return self._union(parts) if parts else "None"

    def _single(self, kind: Any, schema: Mapping[str, Any]) -> str:
        if kind == "null":
            return "None"
        if kind == "string":
            if self.uploads and (schema.get("format") == "binary" or schema.get("contentMediaType") == "application/octet-stream"):
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
            for piece in _members(part):
                if piece not in unique:
                    unique.append(piece)
        if "Any" in unique:
            return "Any"
        if "None" in unique:  # None last reads best
            unique.remove("None")
            unique.append("None")
        return " | ".join(unique)
