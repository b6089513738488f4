"""Parse YAML or JSON text into data within fixed limits, noting duplicate keys.

Specs are untrusted, so parsing is bounded in time, memory and stack:

* YAML is built from libyaml's event stream by a loop, never by recursion; an
  alias counts as a copy of what it names, and a document whose aliases
  expand to more than ``MAX_EXPANDED_NODES`` values (and ten times its own
  size) is refused: a 700-byte alias bomb stops after a few thousand events.
  An alias inside the node it names (a recursive anchor) is refused.
* No document nests deeper than ``MAX_DEPTH`` levels, and no schema inside
  it deeper than ``MAX_SCHEMA_DEPTH`` (counted in schemas: ``properties/x``,
  ``items``, ``allOf/0``... each add one). Later stages recurse over schemas;
  these limits keep them far from Python's recursion limit.
* Integers longer than ``MAX_INTEGER_DIGITS`` digits are refused with their
  line (Python refuses to convert them, and no API means them).
* A key given twice in one mapping is recorded (``Duplicate``) with its line
  and pointer; validation reports it as an error, or a warning in lenient mode.

YAML is read as YAML 1.2, the version OpenAPI 3.1 names, with its core schema:
``1e-08``, ``2E+3``, ``.inf`` are numbers, ``0o17`` and ``0x1F`` integers;
only ``true``/``false`` (any of three spellings) are booleans, so YAML 1.1's
``yes``, ``on``, ``y`` stay text, as do ``0777``-style octals (read as decimal),
``1_000``, ``1:20`` and dates. The ``<<`` merge key of YAML 1.1 is still honoured:
many specs use it, and no YAML 1.2 document means anything else by it.

A byte-order mark at the start is ignored, in YAML and JSON alike.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from generator.errors import ClientgenError, Location
from generator.lines import JSON_TOKEN, line_at, line_index
from generator.parsed import MAX_DEPTH, MAX_INTEGER_DIGITS, MAX_SCHEMA_DEPTH, Duplicate, Parsed
from generator.pointer import child_is_name_map, is_extension, pointer_escape
from generator.references import SCHEMA_LISTS, SCHEMA_MAPS, SCHEMA_ONE


def parse_text(text: str, display: str) -> Parsed:
    """YAML or JSON text → data, within the limits above; a ClientgenError names where it failed."""
    text = text.removeprefix("\ufeff")
    if display.endswith(".json") or text.lstrip().startswith(("{", "[")):
        parsed = _parse_json(text, display)
    else:
        from generator.yamltext import parse_yaml  # PyYAML is imported for YAML text only

        parsed = parse_yaml(text, display)
    check_limits(parsed.data, display, text)
    return parsed


# --- JSON -------------------------------------------------------------------------------------------


class _HugeInteger(Exception):
    def __init__(self, digits: str) -> None:
        self.digits = digits


def _int_or_refuse(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise _HugeInteger(digits)
    return int(digits)


def _parse_json(text: str, display: str) -> Parsed:
    seen_duplicate = False

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal seen_duplicate
        result = dict(items)
        if len(result) != len(items):
            seen_duplicate = True
        return result

    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_int=_int_or_refuse)
    except json.JSONDecodeError as exc:
        raise ClientgenError(f"invalid JSON: {exc.msg}", Location(display, exc.lineno)) from None
    except _HugeInteger as exc:
        line = text.count("\n", 0, max(text.find(exc.digits), 0)) + 1
        raise ClientgenError(
            f"integer with {len(exc.digits)} digits: clientgen reads at most {MAX_INTEGER_DIGITS}",
            Location(display, line),
        ) from None
    except RecursionError:
        line = _json_depth_line(text)
        raise ClientgenError(f"nested deeper than {MAX_DEPTH} levels, the limit", Location(display, line)) from None
    duplicates = tuple(_json_duplicates(text)) if seen_duplicate else ()
    return Parsed(data, duplicates)


def _json_depth_line(text: str) -> int:
    depth, line, last = 0, 1, 0
    for match in JSON_TOKEN.finditer(text):
        token = match.group()
        if token in "{[":
            depth += 1
            if depth > MAX_DEPTH:
                return line + text.count("\n", last, match.start())
        elif token in "}]":
            depth -= 1
    return 1


def _json_duplicates(text: str) -> Iterator[Duplicate]:
    """Every key given twice in one JSON object, with its pointer and line (a token scanner, no recursion)."""
    frames: list[tuple[str, bool, set[str], str]] = []  # pointer, is_array, keys seen, pending key
    expecting_key: list[bool] = []
    line, last = 1, 0
    counts: list[int] = []
    for match in JSON_TOKEN.finditer(text):
        line += text.count("\n", last, match.start())
        last = match.start()
        token = match.group()
        if token in "{[":
            if frames:
                pointer, is_array, keys, key = frames[-1]
                child = f"{pointer}/{counts[-1]}" if is_array else f"{pointer}/{pointer_escape(key)}"
            else:
                child = ""
            frames.append((child, token == "[", set(), ""))
            expecting_key.append(token == "{")
            counts.append(0)
        elif token in "}]":
            if frames:
                frames.pop()
                expecting_key.pop()
                counts.pop()
        elif not frames:
            continue
        elif token == ",":
            counts[-1] += 1
            expecting_key[-1] = not frames[-1][1]
        elif token == ":":
            expecting_key[-1] = False
        elif expecting_key[-1]:
            try:
                key = str(json.loads(token))
            except json.JSONDecodeError:
                key = token.strip('"')
            pointer, is_array, keys, _ = frames[-1]
            if key in keys:
                yield Duplicate(key, f"{pointer}/{pointer_escape(key)}", line)
            keys.add(key)
            frames[-1] = (pointer, is_array, keys, key)


# --- limits -----------------------------------------------------------------------------------------

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]|\\U0000[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_MESSAGE = (
    "a lone surrogate (an unpaired \\ud800-\\udfff escape) is not Unicode text: no request or response can carry it "
    "(only descriptions, summaries and titles may hold one; it shows as U+FFFD)"
)
_PROSE = frozenset({"description", "summary", "title"})


def check_limits(data: Any, display: str, text: str) -> None:
    """Refuse data nested deeper than ``MAX_DEPTH`` or with a schema deeper than ``MAX_SCHEMA_DEPTH``.

    One loop over the data (aliases walked as copies, within the alias budget);
    a schema level is a step through a keyword that holds subschemas. Inside a
    specification extension (``x-...``) only the nesting limit applies: what
    an extension holds is opaque (see ``pointer.is_extension``).
    """
    surrogates = bool(_SURROGATE_ESCAPE.search(text))
    # value, depth, schema depth, path, parent key, whether a map of names, whether inside an extension
    stack: list[tuple[Any, int, int, tuple[str, ...], str, bool, bool]] = [(data, 0, 0, (), "", False, False)]
    while stack:
        value, depth, schema_depth, path, via, in_name_map, opaque = stack.pop()
        if depth > MAX_DEPTH:
            raise _limit_error(f"nested deeper than {MAX_DEPTH} levels, the limit", display, text, path)
        if schema_depth > MAX_SCHEMA_DEPTH:
            raise _limit_error(
                f"schema nested deeper than {MAX_SCHEMA_DEPTH} levels, the limit (see the README's 'Limits')",
                display,
                text,
                path,
            )
        if isinstance(value, dict):
            where = f"/{pointer_escape(path[0])}" if len(path) == 1 else ""  # only /components matters
            for key, item in value.items():
                extension = opaque or is_extension(key, in_name_map)
                if (
                    surrogates
                    and not extension
                    and (
                        _SURROGATE.search(key)
                        or (key not in _PROSE and isinstance(item, str) and _SURROGATE.search(item))
                    )
                ):
                    raise _limit_error(_SURROGATE_MESSAGE, display, text, (*path, key))
                if isinstance(item, (dict, list)):
                    step = 1 if not extension and (key in SCHEMA_ONE or via in SCHEMA_MAPS) else 0
                    names = not extension and child_is_name_map(in_name_map, key, where)
                    stack.append((item, depth + 1, schema_depth + step, (*path, key), key, names, extension))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if surrogates and not opaque and isinstance(item, str) and _SURROGATE.search(item):
                    raise _limit_error(_SURROGATE_MESSAGE, display, text, (*path, str(index)))
                if isinstance(item, (dict, list)):
                    step = 1 if not opaque and via in SCHEMA_LISTS else 0
                    stack.append((item, depth + 1, schema_depth + step, (*path, str(index)), "", False, opaque))


def _limit_error(message: str, display: str, text: str, path: tuple[str, ...]) -> ClientgenError:
    pointer = "".join(f"/{pointer_escape(part)}" for part in path)
    return ClientgenError(message, Location(display, line_at(line_index(text, display), pointer), pointer))
