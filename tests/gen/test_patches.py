"""Customisation patches: made, applied and reversed exactly, readable by git."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.patches import PatchError, apply, changed_lines, make_patch, reverse, reverse_where_it_fits

LINE = st.sampled_from(["a\n", "b\n", "c\n", ")\n", "\n", "    pass\n", "x\r\n", "tab\there\n", "\x0cform\n"])
TEXT = st.tuples(st.lists(LINE, max_size=40), st.sampled_from(["", "end", "\n"])).map(lambda t: "".join(t[0]) + t[1])


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT, st.integers(0, 4))
def test_a_patch_applies_and_reverses_exactly(old: str, new: str, context: int) -> None:
    patch = make_patch(old, new, "a/f", "b/f", context)
    assert (patch == "") == (old == new)
    assert apply(patch, old) == new
    assert reverse(patch, new) == old


def test_reverse_finds_hunks_moved_by_later_edits_elsewhere() -> None:
    base = "".join(f"line {index}\n" for index in range(40))
    edited = base.replace("line 30\n", "line 30 changed\n")
    patch = make_patch(base, edited, "a/f", "b/f")
    later = "new first line\n" * 5 + edited  # edited again, far from the hunk
    assert reverse(patch, later) == "new first line\n" * 5 + base


def test_reverse_refuses_a_patch_that_does_not_fit() -> None:
    patch = make_patch("a\nb\nc\n", "a\nB\nc\n", "a/f", "b/f")
    assert reverse(patch, "something else\n") is None


def test_counts_and_errors() -> None:
    patch = make_patch("a\nb\n", "a\nB\nC\n", "a/f", "b/f")
    assert changed_lines(patch) == (2, 1)
    with pytest.raises(PatchError):
        reverse("--- a\n+++ b\nnot a hunk\n", "x\n")
    with pytest.raises(PatchError):
        reverse("--- a\n+++ b\n@@ -1,3 +1,3 @@\n a\n", "a\n")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_apply_reads_the_patches(tmp_path: Path) -> None:
    old = "first\nsecond\nthird\nfourth\nlast"
    new = "first\nsecond, changed\nthird\nfourth\nlast line\n"
    (tmp_path / "f.py").write_text(old)
    (tmp_path / "f.patch").write_text(make_patch(old, new, "a/f.py", "b/f.py"))
    result = subprocess.run(["git", "apply", "f.patch"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "f.py").read_text() == new


def test_reverse_where_it_fits_takes_out_the_hunks_that_still_fit() -> None:
    base = "".join(f"line {index}\n" for index in range(30))
    edited = base.replace("line 3\n", "line 3, ours\n").replace("line 25\n", "line 25, ours\n")
    patch = make_patch(base, edited, "a/f", "b/f")
    edited_again = edited.replace("line 25, ours\n", "line 25, ours again\n")
    assert reverse(patch, edited_again) is None
    assert reverse_where_it_fits(patch, edited_again) == base.replace("line 25\n", "line 25, ours again\n")
