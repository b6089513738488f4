"""Docstrings: spec prose made safe inside triple quotes, wrapped, with an Args section."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from functools import lru_cache

from generator.ir import Operation
from generator.text import prose
from generator.variants import Family
from generator.view.shapes import ArgumentView

_IDEMPOTENCY_KEY_DOC = "idempotency_key: Sent as Idempotency-Key, the same on every attempt; with it, this non-idempotent call is retried on 409, 5xx and dropped connections."
_MADE_IDEMPOTENCY_KEY_DOC = "idempotency_key: Sent as Idempotency-Key, the same on every attempt; made for each call when not given, so the call is retried on 409, 5xx and dropped connections."


# Wrapping is the costly part of a docstring, and every variant of a client (sync, async, typed) asks for the
# same text: each answer is kept.
@lru_cache(maxsize=1 << 15)
def _wrap(paragraph: str) -> str:
    """Re-flow prose to 72 columns; leave lists, tables and code as written."""
    lines = paragraph.splitlines()
    if any(line.startswith((" ", "\t", "-", "*", "|", "#", ">")) or line[:2].rstrip(".").isdigit() for line in lines):
        return paragraph
    return textwrap.fill(" ".join(lines), width=72, break_long_words=False, break_on_hyphens=False)


@lru_cache(maxsize=1 << 15)
def _argument_doc(line: str) -> str:
    """One ``name: description`` entry of an Args section, wrapped and indented."""
    return textwrap.fill(
        " ".join(line.split()), width=72, initial_indent="    ", subsequent_indent="        ", break_long_words=False
    )


def docstring_text(*parts: str) -> str:
    """Spec text made safe inside a triple-quoted docstring."""
    paragraphs = [p.strip() for part in parts if part for p in re.split(r"\n\s*\n", prose(part)) if p.strip()]
    text = "\n\n".join(_wrap(paragraph) for paragraph in paragraphs)
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    backslashes = len(text[:-1]) - len(text[:-1].rstrip("\\"))
    if text.endswith('"') and backslashes % 2 == 0:  # an unescaped quote would run into the closing quotes
        text = text[:-1] + '\\"'
    return "\n".join(line.rstrip() for line in text.splitlines())


def method_docstring(
    operation: Operation,
    arguments: Sequence[ArgumentView],
    takes_idempotency_key: bool,
    family: Family,
    makes_idempotency_key: bool = False,
    returns: str = "",
) -> str:
    """Summary, description, deprecation, the documented arguments, and the family's note (what it returns)."""
    args_doc = [f"{argument.name}: {argument.description}" for argument in arguments if argument.description]
    if takes_idempotency_key:
        args_doc.append(_MADE_IDEMPOTENCY_KEY_DOC if makes_idempotency_key else _IDEMPOTENCY_KEY_DOC)
    parts = [
        operation.summary or f"{operation.method} {operation.path}",
        operation.description if operation.description != operation.summary else "",
    ]
    if operation.deprecated:
        parts.append("Deprecated" + (f": sunset on {operation.sunset}." if operation.sunset else "."))
    if returns:
        parts.append(returns)
    if args_doc:
        parts.append("Args:\n" + "\n".join(_argument_doc(line) for line in args_doc))
    if family.method_note:
        parts.append(family.method_note)
    return docstring_text(*parts)
