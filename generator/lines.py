"""Where things are in a document's text: the 1-based line of every JSON pointer, for errors located in the file.

Best effort and never an error: text that does not parse has no lines. YAML
is composed into nodes (which keep their positions; no value is built), JSON
is scanned token by token.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

import yaml

from generator.pointer import pointer_escape

try:  # libyaml is an order of magnitude faster on multi-megabyte specs
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

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


def line_index(text: str, display: str) -> dict[str, int]:
    """Map JSON pointers to 1-based lines."""
    text = text.removeprefix("\ufeff")
    if display.endswith(".json") or text.lstrip().startswith("{"):
        return _json_line_index(text)
    try:
        root = yaml.compose(text.removeprefix("\ufeff"), Loader=_Loader)
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


@dataclass
class _Frame:
    pointer: str
    is_array: bool
    child: str = ""
    count: int = 0
    expecting_key: bool = True


def _json_line_index(text: str) -> dict[str, int]:
    """A small scanner that records the line of every key and array item."""
    index: dict[str, int] = {"": 1}
    frames: list[_Frame] = []
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
            frames.append(_Frame(pointer, is_array=token == "["))
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
