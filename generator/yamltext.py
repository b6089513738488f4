"""YAML text → data, read as YAML 1.2 within the parser's limits (see ``parse``).

Imported only when a YAML text is read: PyYAML takes longer to import than a small JSON document takes to read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from generator.errors import ClientgenError, Location
from generator.parsed import MAX_DEPTH, MAX_EXPANDED_NODES, MAX_INTEGER_DIGITS, Duplicate, Parsed, spec_key
from generator.pointer import pointer_escape

try:  # libyaml is an order of magnitude faster on multi-megabyte specs
    LOADER: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    LOADER = yaml.SafeLoader


class SpecLoader(LOADER):  # type: ignore[valid-type,misc]
    """Safe YAML loader with YAML 1.2's core schema (dates, ``yes`` and ``on`` stay strings: OpenAPI is JSON data)."""


_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_MERGE = "tag:yaml.org,2002:merge"
#: YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1023-core-schema), in the order it is tried; plus ``<<``.
_CORE_SCHEMA: tuple[tuple[str, re.Pattern[str], str], ...] = (
    (_NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), "~nN"),
    (_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF"),
    (_INT, re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), "-+0123456789"),
    (
        _FLOAT,
        re.compile(
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
        "-+.0123456789",
    ),
    (_MERGE, re.compile(r"^<<$"), "<"),
)
SpecLoader.yaml_implicit_resolvers = {}
for _tag, _pattern, _firsts in _CORE_SCHEMA:
    for _first in _firsts:
        SpecLoader.yaml_implicit_resolvers.setdefault(_first, []).append((_tag, _pattern))
SpecLoader.yaml_implicit_resolvers.setdefault("", []).append((_NULL, _CORE_SCHEMA[0][1]))


def core_value(tag: str, text: str) -> Any:
    """A YAML 1.2 core-schema scalar's value; ValueError when ``text`` is not one (``!!int yes``)."""
    if tag == _NULL:
        if not _CORE_SCHEMA[0][1].match(text):
            raise ValueError(f"{text!r} is not null")
        return None
    if tag == _BOOL:
        if not _CORE_SCHEMA[1][1].match(text):
            raise ValueError(f"{text!r} is not true or false")
        return text.lower() == "true"
    if tag == _INT:
        if text.startswith(("0o", "0x")):
            return int(text[2:], 8 if text[1] == "o" else 16)
        if not _CORE_SCHEMA[2][1].match(text):
            raise ValueError(f"{text!r} is not an integer")
        return int(text)
    lowered = text.lower()
    if lowered in (".inf", "+.inf", "-.inf"):
        return float("-inf") if lowered.startswith("-") else float("inf")
    if lowered == ".nan":
        return float("nan")
    if not _CORE_SCHEMA[3][1].match(text):
        raise ValueError(f"{text!r} is not a number")
    return float(text)


def parse_yaml(text: str, display: str) -> Parsed:
    """YAML text → data, built from libyaml's event stream (see ``parse``)."""
    return _Builder(text, display).build()


@dataclass
class _Open:
    """A mapping or sequence being built, with what its next value is for."""

    value: dict[str, Any] | list[Any]
    anchor: str | None
    line: int
    size: int = 1
    key: Any = None  # mapping: the key waiting for its value (None: expecting a key)
    has_key: bool = False
    key_line: int | None = None
    merges: list[Any] | None = None


class _Builder:
    def __init__(self, text: str, display: str) -> None:
        self.text = text
        self.display = display
        self.loader = SpecLoader("")
        self.anchors: dict[str, tuple[Any, int]] = {}  # anchor → (value, expanded size)
        self.open_anchors: set[str] = set()
        self.stack: list[_Open] = []
        self.events = 0
        self.expanded = 0
        self.duplicates: list[Duplicate] = []
        self.last: Any = None

    def error(self, message: str, line: int | None) -> ClientgenError:
        return ClientgenError(message, Location(self.display, line))

    def build(self) -> Parsed:
        root: list[Any] = []
        documents = 0
        try:
            for event in yaml.parse(self.text, Loader=SpecLoader):
                self.events += 1
                line = event.start_mark.line + 1 if event.start_mark is not None else None
                if isinstance(event, yaml.DocumentStartEvent):
                    documents += 1
                    if documents > 1:
                        raise self.error("several YAML documents in one file; an OpenAPI document is one", line)
                elif isinstance(event, yaml.ScalarEvent):
                    self.add(
                        self.scalar(event, line),
                        1,
                        event.anchor,
                        line,
                        is_plain_merge=event.value == "<<" and event.implicit[0],
                        text=event.value,
                    )
                elif isinstance(event, yaml.AliasEvent):
                    self.alias(event, line)
                elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                    if len(self.stack) >= MAX_DEPTH:
                        raise self.error(f"nested deeper than {MAX_DEPTH} levels, the limit", line)
                    value: dict[str, Any] | list[Any] = {} if isinstance(event, yaml.MappingStartEvent) else []
                    if event.anchor is not None:
                        self.open_anchors.add(event.anchor)
                    self.stack.append(_Open(value, event.anchor, line or 0))
                elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                    node = self.stack.pop()
                    if node.merges:
                        assert isinstance(node.value, dict)
                        node.value = self.merged(node.value, node.merges, node.line)
                    if node.anchor is not None:
                        self.open_anchors.discard(node.anchor)
                    self.add(node.value, node.size, node.anchor, line)
                if not self.stack and isinstance(
                    event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.MappingEndEvent, yaml.SequenceEndEvent)
                ):
                    root.append(self.last)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            problem = exc.problem or "syntax error"
            raise self.error(f"invalid YAML: {problem}", mark.line + 1 if mark is not None else None) from None
        except yaml.YAMLError as exc:
            raise self.error(f"invalid YAML: {' '.join(str(exc).split())[:200]}", None) from None
        return Parsed(root[0] if root else None, tuple(self.duplicates))

    def scalar(self, event: yaml.ScalarEvent, line: int | None) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _INT and len(event.value.lstrip("+-")) > MAX_INTEGER_DIGITS:
            raise self.error(
                f"integer with {len(event.value)} digits: clientgen reads at most {MAX_INTEGER_DIGITS}", line
            )
        if tag == _MERGE:
            return "<<"
        if tag == "tag:yaml.org,2002:str":
            return event.value
        if tag in (_NULL, _BOOL, _INT, _FLOAT):
            try:
                return core_value(tag, event.value)
            except ValueError as exc:
                raise self.error(f"invalid YAML value {event.value[:40]!r}: {str(exc)[:120]}", line) from None
        if tag == "tag:yaml.org,2002:timestamp":
            return event.value
        raise self.error(f"invalid YAML: unsupported tag {tag!r}", line)

    def alias(self, event: yaml.AliasEvent, line: int | None) -> None:
        anchor = event.anchor
        if anchor in self.open_anchors:
            raise self.error(f"recursive YAML anchor &{anchor}: an alias inside the node it names", line)
        if anchor not in self.anchors:
            raise self.error(f"invalid YAML: undefined alias *{anchor}", line)
        value, size = self.anchors[anchor]
        self.add(value, size, None, line)

    def add(
        self,
        value: Any,
        size: int,
        anchor: str | None,
        line: int | None,
        is_plain_merge: bool = False,
        text: str | None = None,
    ) -> None:
        self.expanded += size
        if self.expanded > MAX_EXPANDED_NODES and self.expanded > 10 * self.events:
            raise self.error(
                f"YAML aliases expand to more than {MAX_EXPANDED_NODES:,} values (an alias bomb?); clientgen refuses it",
                line,
            )
        if anchor is not None:
            self.anchors[anchor] = (value, size)
        self.last = value
        if not self.stack:
            return
        parent = self.stack[-1]
        parent.size += size
        if isinstance(parent.value, list):
            parent.value.append(value)
            return
        if not parent.has_key:
            if isinstance(value, (dict, list)) and not is_plain_merge:
                raise self.error("invalid YAML: a mapping or sequence used as a mapping key", line)
            # A number as a key keeps its spelling (``1e3:`` names "1e3", not "1000.0"); JSON keys are text.
            number = isinstance(value, (int, float)) and not isinstance(value, bool) and text is not None
            parent.key = _MERGE if is_plain_merge else text if number else spec_key(value)
            parent.has_key = True
            parent.key_line = line
            return
        key, parent.has_key = parent.key, False
        if key == _MERGE:
            parent.merges = (parent.merges or []) + (value if isinstance(value, list) else [value])
            return
        if key in parent.value:
            self.duplicates.append(Duplicate(key, self.pointer(key), parent.key_line))
        parent.value[key] = value

    def merged(self, mapping: dict[str, Any], merges: list[Any], line: int) -> dict[str, Any]:
        """``<<: *base``: the merged mappings' keys first, the mapping's own keys win."""
        result: dict[str, Any] = {}
        for source in reversed(merges):
            if not isinstance(source, dict):
                raise self.error("invalid YAML: '<<' merges mappings only", line)
            result.update(source)
        result.update(mapping)
        return result

    def pointer(self, key: str) -> str:
        parts: list[str] = []
        for outer in self.stack[:-1]:
            if isinstance(outer.value, list):
                parts.append(str(len(outer.value)))
            else:
                parts.append(pointer_escape(str(outer.key)))
        return "".join(f"/{part}" for part in parts) + "/" + pointer_escape(key)
