"""Stage 1, load: read an OpenAPI document (YAML or JSON) and check its references.

JSON documents go through a JSON parser (a YAML parser chokes on escaped
surrogate pairs, as in twilio's spec); YAML goes through libyaml when present.
Only references inside the document (``#/...``) are accepted: remote and
external-file references are refused, so generation never touches the network.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import ClientgenError, Location
from generator.files import read_text
from generator.lines import is_json_text, json_lines_of, line_at, line_index
from generator.parse import parse_text
from generator.parsed import Duplicate
from generator.pointer import iter_refs, resolve_pointer
from generator.references import check_schema_references


@dataclass(frozen=True)
class Document:
    """A loaded document: its data, where it came from and how to find lines in it."""

    path: str
    text: str
    data: Mapping[str, Any]
    duplicates: tuple[Duplicate, ...] = ()
    _lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    _references: list[tuple[str, str]] = field(default_factory=list, compare=False, repr=False)

    @property
    def openapi_version(self) -> str:
        return str(self.data.get("openapi", ""))

    def references(self) -> list[tuple[str, str]]:
        """``sorted(iter_refs(data))``: every ``$ref`` as (its pointer, its target), walked once (load checks
        them, extraction rewrites them)."""
        if not self._references:
            self._references.extend(sorted(iter_refs(self.data)))
        return self._references

    def line_of(self, pointer: str) -> int | None:
        """The 1-based line where the value at ``pointer`` starts, best effort."""
        if not self._lines:
            self._lines.update(line_index(self.text, self.path))
        return line_at(self._lines, pointer)

    def locate(self, pointer: str) -> Location:
        return Location(self.path, self.line_of(pointer), pointer)

    def locate_all(self, pointers: Iterable[str]) -> dict[str, Location]:
        """``locate`` for many pointers at once; in a JSON text only their paths are scanned for lines."""
        pointers = set(pointers)
        lines: Mapping[str, int] = self._lines
        if not lines and pointers and is_json_text(self.text, self.path):
            with suppress(ValueError, IndexError, RecursionError):  # not JSON after all (flow-style YAML)
                lines = json_lines_of(self.text, pointers)
        if not lines and pointers:
            self._lines.update(line_index(self.text, self.path))
            lines = self._lines
        return {pointer: Location(self.path, line_at(lines, pointer), pointer) for pointer in pointers}


def load_document(path: str | Path) -> Document:
    """Read and parse ``path``; refuse what cannot be generated from."""
    return parse_document(read_text(path), str(path))


def load_data_file(path: str | Path) -> Document:
    """Read a YAML or JSON file that is not an OpenAPI document (rename maps, config)."""
    return parse_data_text(read_text(path), str(path))


def parse_data_text(text: str, display: str) -> Document:
    """Parse YAML or JSON text that is not an OpenAPI document (a rename map read from git); duplicates noted."""
    parsed = parse_text(text, display)
    return Document(display, text, parsed.data if isinstance(parsed.data, dict) else {}, parsed.duplicates)


def parse_document(text: str, display: str) -> Document:
    parsed = parse_text(text, display)
    data = parsed.data
    if not isinstance(data, dict):
        raise ClientgenError("not an OpenAPI document: the top level is not a mapping", Location(display, 1, ""))
    document = Document(display, text, data, parsed.duplicates)
    if "swagger" in data:
        raise ClientgenError(
            f"Swagger {data['swagger']} is not supported; convert it to OpenAPI 3 first (for example with swagger2openapi or converter.swagger.io)",
            document.locate("/swagger"),
        )
    version = data.get("openapi")
    if not isinstance(version, str) or not re.match(r"^3\.[0-2]\.\d+", version):
        raise ClientgenError(
            f"unsupported or missing 'openapi' version {version!r}; clientgen reads OpenAPI 3.0, 3.1 and 3.2",
            document.locate("/openapi"),
        )
    check_references(document)
    return document


_FILE_REFERENCE = re.compile(r"^[\w./-]+\.(ya?ml|json)(#.*)?$")


def check_references(document: Document) -> None:
    """Every ``$ref`` must point inside the document, at something that exists."""
    references = document.references()
    for where, ref in references:
        if ref.startswith(("http://", "https://", "//")):
            raise ClientgenError(
                f"remote reference {ref!r} refused: clientgen never fetches documents", document.locate(where)
            )
        if not ref.startswith("#") and _FILE_REFERENCE.match(ref):
            raise ClientgenError(
                f"reference {ref!r} points into another file; bundle external files into one document first",
                document.locate(where),
            )
        if not ref.startswith("#"):
            raise ClientgenError(
                f"broken reference {ref!r}: not a JSON pointer into this document ('#/...')", document.locate(where)
            )
        try:
            resolve_pointer(document.data, ref)
        except KeyError:
            raise ClientgenError(f"broken reference {ref!r}: nothing at that pointer", document.locate(where)) from None
    check_schema_references(document.data, document.locate, references)
