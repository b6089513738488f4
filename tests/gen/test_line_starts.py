"""Line starts found by searching from a line break are those the ``^`` patterns find (isortcut.py)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.isortcut import _IMPORT_LINE, class_lines, column_0_lines, import_lines

_TEXT = st.lists(
    st.sampled_from(
        ["class ", "class", "import ", "from ", "from.import", "cimport*", " ", "\t", "\n", "#", "x", "\x0c"]
    ),
    max_size=24,
).map("".join)


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(text=_TEXT)
def test_line_starts_are_those_the_multiline_patterns_find(text: str) -> None:
    assert class_lines(text) == [match.start() for match in re.finditer(r"^class ", text, re.M)]
    assert column_0_lines(text) == [match.start() for match in re.finditer(r"^[^ \t\n#]", text, re.M)]
    assert import_lines(text) == [match.start() for match in _IMPORT_LINE.finditer(text)]
