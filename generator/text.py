"""Spec text made safe for the place it is written: a Python string literal, a docstring, one line of a listing.

Spec strings are untrusted. Python, black and ``str.splitlines`` treat more
than ``\\n`` as a line break (``\\r``, ``\\v``, ``\\f``, ``\\x1c``-``\\x1e``,
``\\x85``, U+2028, U+2029); a NUL or a lone surrogate cannot be written to a
UTF-8 file at all. Each function here escapes or replaces exactly what its
place cannot hold, so no document can break or add a line anywhere.
"""

from __future__ import annotations

import re

#: Characters ``str.splitlines`` breaks on, besides ``\n``.
LINE_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
#: Every C0 control character and DEL: what one line of plain text (a comment, TOML, Markdown) cannot hold.
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: What a one-line setting cannot hold: control characters, Unicode line and paragraph separators, lone surrogates.
NOT_ONE_LINE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_UNPRINTABLE_IN_PROSE = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f]")


def _escape_char(char: str) -> str:
    code = ord(char)
    if char == "\n":
        return "\\n"
    if char == "\r":
        return "\\r"
    if char == "\t":
        return "\\t"
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def string_literal(value: str) -> str:
    """A double-quoted Python string literal equal to ``value``; anything not printable is escaped."""
    parts = ['"']
    for char in value:
        if char == "\\":
            parts.append("\\\\")
        elif char == '"':
            parts.append('\\"')
        elif char.isprintable() or char == " ":
            parts.append(char)
        else:
            parts.append(_escape_char(char))
    parts.append('"')
    return "".join(parts)


def one_line(value: str, backslashes: bool = False) -> str:
    """``value`` on one line: line breaks, tabs and anything unprintable shown as escapes (and, with
    ``backslashes``, backslashes doubled, so that the listing reads unambiguously)."""
    if value.isprintable() and not (backslashes and "\\" in value):
        return value
    return "".join(
        "\\\\" if char == "\\" and backslashes else char if char.isprintable() else _escape_char(char) for char in value
    )


def listing(value: str) -> str:
    """Spec text on one line of ``api.txt``."""
    return one_line(value, backslashes=True)


def prose(value: str) -> str:
    """Spec prose for a docstring or comment: every kind of line break becomes ``\\n``, lone surrogates
    become U+FFFD, other control characters go."""
    if value.isascii() and value.isprintable():
        return value
    value = value.replace("\r\n", "\n")
    for char in LINE_BREAKS:
        value = value.replace(char, "\n")
    value = _SURROGATE.sub("\ufffd", value)
    return _UNPRINTABLE_IN_PROSE.sub("", value)


_UNSAFE_IN_SOURCE = re.compile("[\x00\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\ud800-\udfff]")


def escape_in_literals(source: str) -> str:
    """Generated source (models from datamodel-code-generator) with the characters black and the file
    cannot hold written as escapes. They can only come from spec text, which sits in string literals
    and docstrings, where an escape means the same character."""
    if source.isascii() and "\x00" not in source and "\x0b" not in source and "\x0c" not in source:
        return source
    return _UNSAFE_IN_SOURCE.sub(lambda match: _escape_char(match.group()), source)
