"""The three-way merge that keeps hand edits: properties over random texts, and the cases users meet."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.linediff import matching_blocks
from generator.merge3 import has_conflict_markers, merge3, split_lines

LINE = st.sampled_from(["a\n", "b\n", "c\n", ")\n", "\n", "    pass\n", "x = 1\n", "def f():\n"])
TEXT = st.lists(LINE, max_size=30).map("".join)


@settings(max_examples=200, deadline=None)
@given(TEXT, TEXT)
def test_one_sided_changes_win(base: str, other: str) -> None:
    assert merge3(base, other, base).text == other
    assert merge3(base, base, other).text == other
    assert merge3(base, other, other).text == other


def _is_subsequence(small: list[str], large: list[str]) -> bool:
    iterator = iter(large)
    return all(any(line == candidate for candidate in iterator) for line in small)


def _lines(text: str) -> list[str]:
    return [line if line.endswith("\n") else line + "\n" for line in split_lines(text)]


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT, TEXT)
@example(base="b\na\n", ours="a\nb\na\na\nb\na\n", theirs="b\n")
def test_nothing_the_user_wrote_is_lost(base: str, ours: str, theirs: str) -> None:
    merged = merge3(base, ours, theirs)
    merged_lines = _lines(merged.text)
    # The lines the user wrote: those of ``ours`` that base does not have at that place. Repeated lines align
    # several ways (base "b a", ours "a b a a b a": base's "a" is the third line or the last), and any of them is
    # a right answer; so "at that place" is read in the alignment the merge itself uses.
    blocks = matching_blocks(_lines(base), _lines(ours))
    kept = {index for _, start, size in blocks for index in range(start, start + size)}
    written = [line for index, line in enumerate(_lines(ours)) if index not in kept]
    assert _is_subsequence(written, merged_lines)
    assert (merged.conflicts > 0) == has_conflict_markers(merged.text)


@settings(max_examples=200, deadline=None)
@given(st.integers(6, 40), st.data())
def test_edits_apart_merge_cleanly(size: int, data: st.DataObject) -> None:
    base = [f"line {index}\n" for index in range(size)]
    cut = data.draw(st.integers(1, size - 3))
    ours, theirs = list(base), list(base)
    ours[data.draw(st.integers(0, cut - 1))] = "mine\n"
    theirs[data.draw(st.integers(cut + 1, size - 1))] = "generated\n"
    ours.insert(data.draw(st.integers(0, cut - 1)), "added by hand\n")
    merged = merge3("".join(base), "".join(ours), "".join(theirs))
    assert merged.conflicts == 0
    expected = list(ours)
    position = next(index for index, (a, b) in enumerate(zip(base, theirs, strict=True)) if a != b)
    expected[position + 1] = "generated\n"  # the hand-added line shifted everything after it by one
    assert merged.text == "".join(expected)


def test_a_helper_appended_survives_a_change_at_the_top() -> None:
    base = '"""Pets."""\n\nVERSION = "1"\n\n\nclass Pets:\n    def list(self) -> None:\n        pass\n'
    ours = base + "\n\ndef helper() -> int:\n    return 1\n"
    theirs = base.replace('VERSION = "1"', 'VERSION = "2"')
    merged = merge3(base, ours, theirs)
    assert merged.conflicts == 0
    assert 'VERSION = "2"' in merged.text and merged.text.endswith("def helper() -> int:\n    return 1\n")


def test_the_same_line_changed_both_ways_is_a_marked_conflict() -> None:
    base = "a\nb\nc\n"
    merged = merge3(base, "a\nmine\nc\n", "a\ntheirs\nc\n")
    assert merged.conflicts == 1
    assert merged.text == "a\n<<<<<<< yours\nmine\n=======\ntheirs\n>>>>>>> generated\nc\n"


def test_a_last_line_without_newline_keeps_the_markers_on_lines_of_their_own() -> None:
    merged = merge3("a\nb", "a\nmine", "a\ntheirs")
    assert merged.text == "a\n<<<<<<< yours\nmine\n=======\ntheirs\n>>>>>>> generated\n"


def test_shared_lines_at_either_end_of_a_conflict_are_kept_once() -> None:
    merged = merge3("x\n", "same\nmine\nend\n", "same\ntheirs\nend\n")
    assert merged.text == "same\n<<<<<<< yours\nmine\n=======\ntheirs\n>>>>>>> generated\nend\n"


def test_markers_are_recognised_only_as_a_whole_block() -> None:
    assert has_conflict_markers("<<<<<<< yours\na\n=======\nb\n>>>>>>> generated\n")
    assert not has_conflict_markers("x = '<<<<<<< yours'\n=======\n")
    assert not has_conflict_markers("=======\n")
