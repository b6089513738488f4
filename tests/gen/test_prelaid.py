"""The statements the views lay out themselves are laid out as black lays them out (``generator/prelaid.py``).

The oracle is black: each form's one-line text, formatted by ``black.format_str`` in a class body at the depth
the generator writes it at, must come out as the lines ``prelaid`` gives (or ``prelaid`` leaves it on one line
for black). Names of every length from 1 to 130, and lengths that put the one-line text, its first line or
its last around 88 columns.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.format import black_block
from generator.prelaid import LINE_LENGTH, definition, returned_call

_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789"


@st.composite
def _name(draw: st.DrawFn, width: int = 0) -> str:
    """An identifier of any length from 1 to 130; with ``width``, often of a length that brings a line of
    ``width`` columns (before the name) to 86..90 columns."""
    near = width and draw(st.booleans())
    length = max(1, draw(st.integers(86, 90)) - width) if near else draw(st.integers(1, 130))
    rest = draw(st.text(_LETTERS, min_size=length - 1, max_size=length - 1))
    return draw(st.sampled_from("abcXYZ_")) + rest


def _in_class(lines: tuple[str, ...], depth: int) -> str:
    """A module holding ``lines`` (indented ``depth`` steps) in a class, a method or both."""
    opening = ["class C:\n", "    def f(self):\n", "        if x:\n"][:depth]
    body = "".join(line + "\n" for line in lines)
    closing = " " * 4 * (depth + 1) + "pass\n" if lines[-1].endswith(":") else ""
    return "".join(opening) + body + closing


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_definition_is_laid_out_as_black_lays_it_out(data: st.DataObject) -> None:
    depth = data.draw(st.sampled_from([1, 2]), label="depth")  # 1: a class's member, as the generator writes
    indent = " " * 4 * depth
    name = data.draw(_name(len(indent) + len("def (self) -> resources.:") + 20), label="name")
    returns = "resources." + data.draw(_name(len(indent) + len(") -> resources.:")), label="returns")
    one_line = _in_class((f"{indent}def {name}(self) -> {returns}:",), depth)
    assert black_block(one_line) == _in_class(definition(indent, name, "self", returns), depth)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_returned_call_is_laid_out_as_black_lays_it_out(data: st.DataObject) -> None:
    depth = data.draw(st.sampled_from([2, 3]), label="depth")  # 2: a method's body, as the generator writes
    indent = " " * 4 * depth
    callee = "resources." + data.draw(_name(len(indent) + len("    resources.(")), label="callee")
    receiver = data.draw(st.sampled_from(["self", "self._client", "self._client.", "self._resource."]))
    argument = receiver
    if receiver.endswith("."):
        argument += data.draw(_name(len(indent) + 4 + len(receiver)), label="attribute")
    one_line = _in_class((f"{indent}return {callee}({argument})",), depth)
    laid = returned_call(indent, callee, argument)
    if len(laid) > 1 or len(laid[0]) <= LINE_LENGTH:  # else left on one line for black to lay out
        assert black_block(one_line) == _in_class(laid, depth)
