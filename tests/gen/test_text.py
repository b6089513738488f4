"""Spec text made safe where it is written: docstrings keep no control character but tabs and line breaks."""

from __future__ import annotations

from generator.text import CONTROL, prose
from generator.view.docstrings import docstring_text


def test_docstrings_drop_every_control_character_but_tab_and_newline() -> None:
    controls = "".join(chr(code) for code in [*range(0x20), 0x7F])
    text = docstring_text(f"before{controls}after")
    assert not [char for char in text if CONTROL.match(char) and char not in "\t\n"], repr(text)
    assert text.startswith("before") and text.endswith("after")


def test_prose_turns_every_line_break_into_a_newline() -> None:
    assert prose("a\rb\x0bc\x0cd\x1ce\x85f\u2028g") == "a\nb\nc\nd\ne\nf\ng"
    assert prose("unit\x1fseparator\x00") == "unitseparator"
