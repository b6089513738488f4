"""`clientgen renames suggest CLIENT --write`: refresh a curated map in place, never lose a name."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from support.cli import clientgen
from support.paths import ROOT

SPEC = ROOT / "spec" / "bctrl.yaml"
CURATED = "V1InvocationsIdWaitPostResponsesContentApplicationJsonSchemaInvocationError"


def make_project(root: Path, map_text: str) -> Path:
    (root / "spec").mkdir()
    (root / "spec" / "api.yaml").write_bytes(SPEC.read_bytes())
    (root / "spec" / "api.renames.yaml").write_text(map_text)
    (root / "clientgen.yaml").write_text(
        "clients:\n  - name: api\n    package: api\n    spec: spec/api.yaml\n    renames: spec/api.renames.yaml\n    output: out/api\n"
    )
    return root / "spec" / "api.renames.yaml"


@pytest.mark.slow
def test_write_keeps_curated_entries_and_comments_and_the_next_generate_uses_them(tmp_path: Path) -> None:
    original = f"# Our names: reviewed by the API team.\n{CURATED}: RunFailure   # what the dashboard calls it\n\n# gone from the spec since v2\nOldThing: Legacy\n"
    renames = make_project(tmp_path, original)
    result = clientgen("renames", "suggest", "api", "--write", cwd=tmp_path / "spec")
    assert result.returncode == 0, result.stderr
    assert "stale (commented out)" in result.stdout
    text = renames.read_text()
    # Every original line is still there, in order; the stale one commented out with a reason.
    assert text.startswith(
        "# Our names: reviewed by the API team.\n"
        f"{CURATED}: RunFailure   # what the dashboard calls it\n"
        "\n"
        "# gone from the spec since v2\n"
        "# stale: spec/api.yaml has no schema 'OldThing' any more; kept for reference, delete it when done\n"
        "# OldThing: Legacy\n"
    ), text
    data = yaml.safe_load(text)
    assert data[CURATED] == "RunFailure" and "OldThing" not in data
    assert len(data) > 10  # every other schema was added...
    assert "# used by" in text.split("OldThing: Legacy", 1)[1]  # ...each with where it is used
    assert not list(renames.parent.glob(".api.renames.yaml.*"))  # no temporary file left

    generated = clientgen("generate", cwd=tmp_path)
    assert generated.returncode == 0, generated.stderr
    assert "class RunFailure(" in (tmp_path / "out" / "api" / "models.py").read_text()

    # A second run finds nothing new and changes nothing.
    again = clientgen("renames", "suggest", "--write", cwd=tmp_path)
    assert again.returncode == 0 and "0 new, 0 stale" in again.stdout
    assert renames.read_text() == text


@pytest.mark.slow
def test_an_empty_configured_map_is_an_error_everywhere(tmp_path: Path) -> None:
    renames = make_project(tmp_path, "")  # what `renames suggest > map` leaves behind
    for command in (["generate"], ["renames", "suggest", "api", "--write"], ["check"]):
        result = clientgen(*command, cwd=tmp_path)
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert "api.renames.yaml" in result.stderr and "empty" in result.stderr
    assert renames.read_text() == ""
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_a_flow_style_map_is_refused_untouched(tmp_path: Path) -> None:
    flow = "# ours\n{" + CURATED + ": RunFailure}\n"
    renames = make_project(tmp_path, flow)
    result = clientgen("renames", "suggest", "api", "--write", cwd=tmp_path)
    assert result.returncode == 2 and "block-style" in result.stderr
    assert renames.read_text() == flow


@pytest.mark.slow
def test_without_write_the_updated_map_is_printed_and_the_file_left_alone(tmp_path: Path) -> None:
    original = f"{CURATED}: RunFailure\n"
    renames = make_project(tmp_path, original)
    result = clientgen("renames", "suggest", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith(original) and len(yaml.safe_load(result.stdout)) > 10
    assert renames.read_text() == original
