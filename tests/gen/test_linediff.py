"""Line matching for merges and patches: valid on any input, exact for the patches, fast on large generated modules."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.linediff import matching_blocks, opcodes
from generator.merge3 import merge3
from generator.patches import apply, make_patch, reverse

REPEATED = [")\n", "\n", "        extra_headers=extra_headers,\n", "    pass\n"]


@st.composite
def large_texts(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    """A module of 500 to 1,500 lines, half of them repeated, and an edited copy (lines replaced, added, removed)."""
    size = draw(st.integers(500, 1500))
    seed = draw(st.integers(0, 10**6))
    lines = [REPEATED[(seed + index) % 4] if (seed * index) % 2 else f"line {index}\n" for index in range(size)]
    edited = list(lines)
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(edited) - 1))
        kind = draw(st.sampled_from(["replace", "insert", "delete"]))
        if kind == "replace":
            edited[at] = f"changed {at}\n"
        elif kind == "insert":
            edited[at:at] = [draw(st.sampled_from(REPEATED)), f"new {at}\n"]
        else:
            del edited[at : at + draw(st.integers(1, 30))]
    return lines, edited


@settings(max_examples=40, deadline=None)
@given(large_texts())
def test_the_matching_is_valid_and_the_patches_exact_on_large_inputs(texts: tuple[list[str], list[str]]) -> None:
    a, b = texts
    previous_a = previous_b = 0
    for i, j, size in matching_blocks(a, b):
        assert i >= previous_a and j >= previous_b and a[i : i + size] == b[j : j + size]
        previous_a, previous_b = i + size, j + size
    rebuilt: list[str] = []
    for tag, i1, i2, j1, j2 in opcodes(a, b):
        rebuilt.extend(a[i1:i2] if tag == "equal" else b[j1:j2])
    assert rebuilt == b
    old, new = "".join(a), "".join(b)
    patch = make_patch(old, new, "a/f", "b/f")
    assert apply(patch, old) == new and reverse(patch, new) == old
    assert merge3(old, new + "def helper() -> None:\n    pass\n", old).text == new + "def helper() -> None:\n    pass\n"


def test_a_large_repetitive_module_merges() -> None:
    # 96,000 lines, most of them repeated. difflib alone took 4.5 s on a tenth of this size and grows faster than
    # linearly; with unique lines as anchors it takes a fraction of a second (the time is not asserted here).
    block = ["class Model{}(BaseModel):\n", '    """A model."""\n', "\n", "    id: str\n", ")\n", "\n"]
    base = [line.format(index) for index in range(16_000) for line in block]
    ours = [*base, "\n", "def helper() -> int:\n", "    return 1\n"]
    theirs = list(base)
    theirs[50_000] = "    id: int\n"
    merged = merge3("".join(base), "".join(ours), "".join(theirs))
    assert merged.conflicts == 0 and merged.text == "".join([*theirs, *ours[len(base) :]])
