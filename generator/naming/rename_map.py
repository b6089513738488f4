"""The user's rename map: schema key → model name, each entry located in its file."""

from __future__ import annotations

import builtins
import keyword
from collections.abc import Mapping
from dataclasses import dataclass

from generator.errors import ClientgenError, Location
from generator.load import Document
from generator.naming.autoname import RESERVED
from generator.naming.case import _IDENTIFIER
from generator.pointer import pointer_escape


@dataclass(frozen=True)
class RenameMap:
    """Schema key → model name, as the user wrote it, with where each entry is."""

    entries: Mapping[str, str]
    source: Document | None = None

    def locate(self, key: str) -> Location | None:
        if self.source is None:
            return None
        return self.source.locate("/" + pointer_escape(key))


def parse_rename_map(document: Document) -> RenameMap:
    if document.duplicates:
        duplicate = document.duplicates[0]
        raise ClientgenError(
            f"duplicate rename entry {duplicate.key!r}: say it once (the later name would replace the earlier one)",
            Location(document.path, duplicate.line, duplicate.pointer),
        )
    entries: dict[str, str] = {}
    for key, value in document.data.items():
        if not isinstance(value, str):
            raise ClientgenError(
                f"rename entry {key!r} must map to a class name, not {value!r}",
                document.locate("/" + pointer_escape(str(key))),
            )
        entries[str(key)] = value
    return RenameMap(entries, document)


def check_class_name(name: str, where: Location | None) -> None:
    if not _IDENTIFIER.match(name) or not name[0].isalpha():
        raise ClientgenError(f"{name!r} is not a valid Python class name", where)
    if keyword.iskeyword(name) or name in RESERVED or name in dir(builtins):
        raise ClientgenError(
            f"{name!r} is a Python keyword, builtin or reserved name; choose another class name", where
        )
