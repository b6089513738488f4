"""CI integration: the reusable action, the example workflow and the pre-commit hooks, validated and run.

The workflow and action are validated against the GitHub schemas that check-jsonschema
ships (actionlint is not installable here from PyPI: its wrapper downloads the binary
at build time). Their shell and Python steps are then executed for real, here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.paths import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "clientgen.yml"
ACTION = ROOT / "action.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
SPEC = ROOT / "tests" / "golden" / "no_operation_ids" / "spec.yaml"
CLIENTGEN = Path(sys.executable).parent / "clientgen"


def load(path: Path) -> Any:
    # PyYAML reads `on:` as True; GitHub reads it as the key "on".
    return yaml.load(path.read_text(), Loader=yaml.BaseLoader)


def step(document: Any, name: str) -> dict[str, Any]:
    steps = document["jobs"]["clientgen"]["steps"] if "jobs" in document else document["runs"]["steps"]
    return next(item for item in steps if item.get("name") == name)


def run_script(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    path = {"PATH": f"{CLIENTGEN.parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        cwd=cwd,
        env={**os.environ, **path, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(("path", "schema"), [(WORKFLOW, "vendor.github-workflows"), (ACTION, "vendor.github-actions")])
def test_valid_against_githubs_schema(path: Path, schema: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_workflow_reports_first_then_checks_and_reruns_on_labels() -> None:
    workflow = load(WORKFLOW)
    assert {"opened", "synchronize", "labeled", "unlabeled"} <= set(workflow["on"]["pull_request"]["types"])
    names = [item.get("name", item.get("uses")) for item in workflow["jobs"]["clientgen"]["steps"]]
    assert (
        names.index("Report the spec changes")
        < names.index("Comment on the pull request (one comment, updated in place)")
        < names.index("Generated code is up to date")
    )
    install = step(workflow, "Install clientgen")
    assert install["uses"] == "./"  # the action, not `pip install -e .`
    comment = step(workflow, "Comment on the pull request (one comment, updated in place)")["run"]
    assert "--edit-last" not in comment and 'startswith(\\"$MARKER\\")' in comment and "github-actions[bot]" in comment
    assert "upload-artifact" in str(workflow)


@pytest.mark.slow
def test_the_action_pins_and_runs_clientgen(tmp_path: Path) -> None:
    action = load(ACTION)
    assert action["runs"]["using"] == "composite"
    install = step(action, "Install clientgen")["run"]
    assert '"clientgen==$VERSION"' in install and '"$ACTION_PATH"' in install
    # Run the action's own "Run clientgen" script on a project that is up to date, then on a stale one.
    (tmp_path / "spec.yaml").write_bytes(SPEC.read_bytes())
    (tmp_path / "clientgen.yaml").write_text("clients:\n  - package: demo\n    spec: spec.yaml\n    output: out/demo\n")
    assert subprocess.run([CLIENTGEN, "generate", "-q"], cwd=tmp_path).returncode == 0
    outputs = tmp_path / "outputs"
    script = step(action, "Run clientgen")["run"]
    ok = run_script(script, tmp_path, {"ARGS": "check", "GITHUB_OUTPUT": str(outputs)})
    assert ok.returncode == 0 and outputs.read_text() == "exit-code=0\n", ok.stderr
    (tmp_path / "out" / "demo" / "models.py").write_text("# edited\n")
    stale = run_script(script, tmp_path, {"ARGS": "check", "GITHUB_OUTPUT": str(outputs)})
    assert stale.returncode == 1 and outputs.read_text().endswith("exit-code=1\n")


def test_the_comment_stays_under_githubs_limit_with_a_summary(tmp_path: Path) -> None:
    script = step(load(WORKFLOW), "Build the comment (under GitHub's 65,536-character limit)")["run"]
    env = {
        "MARKER": "<!-- clientgen-diff -->",
        "LIMIT": "65536",
        "RUN_URL": "https://example.invalid/run/1",
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
    }
    report = (
        "# clientgen diff\n\n```diff\n"
        + "".join(f"+    method_{index}(self, value: int) -> Thing{index}\n" for index in range(5000))
        + "```\n"
    )
    (tmp_path / "clientgen-diff.md").write_text(report)
    result = run_script(script, tmp_path, env)
    assert result.returncode == 0, result.stderr
    body = (tmp_path / "clientgen-comment.md").read_text()
    assert len(body) <= 65536 < len(report)
    assert body.startswith("<!-- clientgen-diff -->\n# clientgen diff")
    assert f"of {len(report):,} characters" in body and "`clientgen-diff` artifact" in body
    assert body.count("```") % 2 == 0  # the cut code block is closed
    small = "# clientgen diff\n\nNo changes.\n"
    (tmp_path / "clientgen-diff.md").write_text(small)
    assert run_script(script, tmp_path, env).returncode == 0
    assert (tmp_path / "clientgen-comment.md").read_text() == "<!-- clientgen-diff -->\n" + small


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_report_step_includes_a_client_the_pull_request_adds(tmp_path: Path) -> None:
    (tmp_path / "spec").mkdir()
    (tmp_path / "spec" / "old.yaml").write_bytes(SPEC.read_bytes())
    (tmp_path / "spec" / "clientgen.yaml").write_text("clients:\n  - package: old\n    spec: spec/old.yaml\n")
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "base")
    _git(tmp_path, "checkout", "-q", "-b", "feature")
    (tmp_path / "spec" / "added.yaml").write_bytes(SPEC.read_bytes())
    (tmp_path / "spec" / "clientgen.yaml").write_text(
        "clients:\n  - package: old\n    spec: spec/old.yaml\n  - package: added\n    spec: spec/added.yaml\n"
    )
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "a new client")
    script = step(load(WORKFLOW), "Report the spec changes")["run"]
    outputs = tmp_path / "outputs"
    result = run_script(script, tmp_path, {"BASE": "main", "GITHUB_OUTPUT": str(outputs)})
    assert result.returncode == 0, result.stderr
    report = (tmp_path / "clientgen-diff.md").read_text()
    assert "added" in report and "(new client)" in report, report
    assert "relevant=true" in outputs.read_text()


@pytest.mark.slow
def test_pre_commit_hooks_run_real_commands(tmp_path: Path) -> None:
    hooks = {hook["id"]: hook for hook in yaml.safe_load(HOOKS.read_text())}
    assert set(hooks) == {"clientgen-check", "clientgen-generate"}
    (tmp_path / "spec.yaml").write_bytes(SPEC.read_bytes())
    (tmp_path / "clientgen.yaml").write_text("clients:\n  - package: demo\n    spec: spec.yaml\n    output: out/demo\n")
    for hook_id in ("clientgen-generate", "clientgen-check"):
        hook = hooks[hook_id]
        assert hook["language"] == "python" and hook["pass_filenames"] is False
        command = hook["entry"].split()
        assert command[0] == "clientgen"
        result = subprocess.run([CLIENTGEN, *command[1:]], cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, (hook_id, result.stdout, result.stderr)
    models = tmp_path / "out" / "demo" / "models.py"
    models.write_text(models.read_text() + "# edit\n")
    entry = hooks["clientgen-check"]["entry"].split()
    assert subprocess.run([CLIENTGEN, *entry[1:]], cwd=tmp_path, capture_output=True).returncode == 1
