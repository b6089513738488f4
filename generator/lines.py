"""Where things are in a document's text: the 1-based line of every JSON pointer, for errors located in the file.

Best effort and never an error: text that does not parse has no lines. YAML
is composed into nodes (which keep their positions; no value is built), JSON
is scanned token by token.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.pointer import pointer_escape

#: A JSON string, or one of the characters that give JSON its structure.
JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]')


def line_at(lines: Mapping[str, int], pointer: str) -> int | None:
    """The line of ``pointer`` in a line index, or of its deepest ancestor there (still a useful hint)."""
    parts = pointer.split("/")
    while parts:
        found = lines.get("/".join(parts))
        if found is not None:
            return found
        parts.pop()
    return None


def is_json_text(text: str, display: str) -> bool:
    """Whether ``line_index`` reads the text as JSON."""
    return display.endswith(".json") or text.removeprefix("\ufeff").lstrip().startswith("{")


def line_index(text: str, display: str) -> dict[str, int]:
    """Map JSON pointers to 1-based lines."""
    text = text.removeprefix("\ufeff")
    if is_json_text(text, display):
        return _json_line_index(text)
    return _yaml_line_index(text)


def _yaml_line_index(text: str) -> dict[str, int]:
    import yaml  # imported for YAML text only: it takes longer to import than a small JSON document to read

    try:
        found = _yaml_event_line_index(text)
    except yaml.YAMLError:
        return {}
    return found if found is not None else _yaml_node_line_index(text)


def _yaml_node_line_index(text: str) -> dict[str, int]:
    """The YAML line index from the composed nodes (aliases, anchors, repeated keys: any document)."""
    import yaml

    try:
        root = yaml.compose(text, Loader=_loader())
    except yaml.YAMLError:
        return {}
    index: dict[str, int] = {}
    stack: list[tuple[str, yaml.Node]] = [("", root)] if root is not None else []
    while stack:
        where, node = stack.pop()
        # A mapping entry is located at its key, which is where a reader looks.
        index.setdefault(where, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                child = f"{where}/{pointer_escape(str(key_node.value))}"
                index[child] = key_node.start_mark.line + 1
                stack.append((child, value_node))
        elif isinstance(node, yaml.SequenceNode):
            for position, item in enumerate(node.value):
                stack.append((f"{where}/{position}", item))
    return index


def _yaml_event_line_index(text: str) -> dict[str, int] | None:
    """``_yaml_node_line_index`` from the parser's events, a quarter of the time: building nodes resolves every
    scalar's tag. None for a document where the two could differ (an anchor or alias, a key that is not a scalar,
    a pointer met twice, several documents)."""
    import yaml

    index: dict[str, int] = {}
    frames: list[Frame] = []  # a mapping's child is its key's pointer until the value has been read
    documents = 0
    for event in yaml.parse(text, Loader=_loader()):
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                return None
            continue
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frames.pop()
            continue
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            return None
        if not isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            continue
        if event.start_mark is None:
            return None
        line = event.start_mark.line + 1
        frame = frames[-1] if frames else None
        if frame is None:
            where = ""
            index.setdefault(where, line)
        elif not frame.is_array and frame.expecting_key:
            if not isinstance(event, yaml.ScalarEvent):
                return None
            frame.child = f"{frame.pointer}/{pointer_escape(event.value)}"
            frame.expecting_key = False
            if frame.child in index:
                return None
            index[frame.child] = line
            continue
        elif not frame.is_array:
            where = frame.child
            frame.expecting_key = True
        else:
            where = f"{frame.pointer}/{frame.count}"
            frame.count += 1
            if where in index:
                return None
            index[where] = line
        if isinstance(event, yaml.MappingStartEvent):
            frames.append(Frame(where, is_array=False))
        elif isinstance(event, yaml.SequenceStartEvent):
            frames.append(Frame(where, is_array=True))
    return index


def _loader() -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is an order of magnitude faster


def _json_line_index(text: str) -> dict[str, int]:
    """A small scanner that records the line of every key and array item."""
    index: dict[str, int] = {"": 1}
    frames: list[Frame] = []
    line, last = 1, 0
    for match in JSON_TOKEN.finditer(text):
        line += text.count("\n", last, match.start())
        last = match.start()
        token = match.group()
        frame = frames[-1] if frames else None
        if frame is not None and frame.is_array and token not in ",]" and frame.child == "":
            frame.child = f"{frame.pointer}/{frame.count}"
            index[frame.child] = line
        if token in "{[":
            pointer = frame.child if frame is not None else ""
            frames.append(Frame(pointer, is_array=token == "["))
        elif token in "}]":
            frames.pop()
        elif frame is None:
            continue
        elif token == ",":
            frame.count += 1
            frame.child = ""
            frame.expecting_key = True
        elif token == ":":
            frame.expecting_key = False
        elif not frame.is_array and frame.expecting_key:
            try:
                key = str(json.loads(token))
            except json.JSONDecodeError:
                key = token.strip('"')
            frame.child = f"{frame.pointer}/{pointer_escape(key)}"
            index[frame.child] = line
    return index


_JSON_SPACE = re.compile(r"[ \t\n\r]*")


def json_lines_of(text: str, pointers: Iterable[str]) -> dict[str, int]:
    """What ``line_index`` records for ``pointers`` and their ancestors in a JSON text, without indexing the rest.

    Only the values on the way to a wanted pointer are scanned here; every other value is stepped over by
    the JSON module's scanner. Raises ValueError on text that is not JSON (``line_index`` then decides).
    """
    wanted: dict[str, Any] = {}
    for pointer in pointers:
        node = wanted
        for part in pointer.split("/")[1:]:
            node = node.setdefault(part, {})
    return _JsonLines(text.removeprefix("\ufeff")).index(wanted)


class _JsonLines:
    """A walk down the wanted paths of a JSON text, recording lines as ``_json_line_index`` does."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.skip = json.JSONDecoder().raw_decode
        self.lines: dict[str, int] = {"": 1}
        self.position, self.line = 0, 1

    def index(self, wanted: dict[str, Any]) -> dict[str, int]:
        start = self.space(0)
        end = self.value(start, "", wanted)
        if self.space(end) != len(self.text):
            raise ValueError("text after the JSON value")
        return self.lines

    def space(self, position: int) -> int:
        found = _JSON_SPACE.match(self.text, position)
        assert found is not None  # the pattern matches the empty text
        return found.end()

    def line_at(self, position: int) -> int:
        self.line += self.text.count("\n", self.position, position)
        self.position = position
        return self.line

    def value(self, position: int, pointer: str, wanted: dict[str, Any]) -> int:
        text = self.text
        opening = text[position : position + 1]
        if not wanted or opening not in ("{", "["):
            return self.skip(text, position)[1]
        position = self.space(position + 1)
        closing = "}" if opening == "{" else "]"
        if text[position : position + 1] == closing:
            return position + 1
        count = 0
        while True:
            if opening == "{":
                key, after = self.skip(text, position) if text[position : position + 1] == '"' else (None, position)
                if not isinstance(key, str):
                    raise ValueError("a key is not a string")
                part = pointer_escape(key)
                colon = self.space(after)
                if text[colon : colon + 1] != ":":
                    raise ValueError("no colon after a key")
                inner = wanted.get(part)
                start = self.space(colon + 1)
                if inner is not None:
                    self.lines[f"{pointer}/{part}"] = self.line_at(position)
                    position = self.value(start, f"{pointer}/{part}", inner)
                else:
                    position = self.skip(text, start)[1]
            else:
                inner = wanted.get(str(count))
                if inner is not None:
                    if text[position : position + 1] in ('"', "{", "["):  # a number or literal is not a token there
                        self.lines[f"{pointer}/{count}"] = self.line_at(position)
                    position = self.value(position, f"{pointer}/{count}", inner)
                else:
                    position = self.skip(text, position)[1]
                count += 1
            position = self.space(position)
            separator = text[position : position + 1]
            if separator == closing:
                return position + 1
            if separator != ",":
                raise ValueError("no comma between values")
            position = self.space(position + 1)


@dataclass
class Frame:
    """An open mapping or sequence while a line index is read (JSON tokens here, YAML events in ``yamltext``)."""

    pointer: str
    is_array: bool
    child: str = ""
    count: int = 0
    expecting_key: bool = True
