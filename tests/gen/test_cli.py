"""The command line: check, validate and generate, as a user runs them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.paths import ROOT

from generator import __version__, pipeline
from generator.cli import main


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of this repository's spec/ and generated/ to mutate."""
    shutil.copytree(ROOT / "spec", tmp_path / "spec")
    shutil.copytree(ROOT / "generated", tmp_path / "generated", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow
def test_check_passes_on_main(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--config", str(project / "spec" / "clientgen.yaml"), "check"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_one_changed_byte_fails_check_and_names_the_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    models = project / "generated" / "bctrl" / "models.py"
    data = bytearray(models.read_bytes())
    index = data.index(b"class Invocation(")
    data[index + 6] = ord("X")  # one byte: "Invocation" -> "XnvocatIon"-like edit
    models.write_bytes(bytes(data))
    assert main(["--config", str(project / "spec" / "clientgen.yaml"), "check"]) == 1
    out = capsys.readouterr().out
    assert "edited by hand: generated/bctrl/models.py" in out  # relative to the project
    assert str(project) not in out


def test_check_reports_stale_output_when_the_spec_changes(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = project / "spec" / "bctrl.yaml"
    spec.write_text(
        spec.read_text().replace("Wait for a durable invocation to complete", "Wait for an invocation to complete")
    )
    assert main(["--config", str(project / "spec" / "clientgen.yaml"), "check"]) == 1
    out = capsys.readouterr().out
    assert "stale:" in out and "resources/invocations.py" in out
    assert "edited by hand" not in out


def test_generate_writes_nothing_when_a_stage_fails(project: Path) -> None:
    renames = project / "spec" / "bctrl.renames.yaml"
    renames.write_text(renames.read_text() + "NoSuchSchema: Ghost\n")
    before = {path: path.read_bytes() for path in (project / "generated").rglob("*") if path.is_file()}
    result = run_cli("--config", str(project / "spec" / "clientgen.yaml"), "generate")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    line = result.stderr.strip()
    assert "\n" not in line
    assert "bctrl.renames.yaml:" in line and "(/NoSuchSchema)" in line and "stale rename entry" in line
    after = {path: path.read_bytes() for path in (project / "generated").rglob("*") if path.is_file()}
    assert after == before


@pytest.mark.slow
def test_validate_reports_pointer_and_line(tmp_path: Path) -> None:
    spec = tmp_path / "broken.yaml"
    text = (ROOT / "spec" / "bctrl.yaml").read_text().replace("          description: Default Response\n", "")
    spec.write_text(text)
    result = run_cli("validate", str(spec))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{spec}:")
    assert "/paths/~1v1~1invocations~1{id}~1wait/post/responses/200" in first
    assert "'description' is a required property" in first
    line_number = int(first.split(":")[1].split()[0])
    assert text.splitlines()[line_number - 1].strip() == "'200':"


def test_validate_accepts_the_bctrl_spec() -> None:
    result = run_cli("validate", "spec/bctrl.yaml")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("openapi: 3.1.0\ninfo: {title: x, version: '1'\n", "invalid YAML"),
        ('{"openapi": "3.1.0", ', "invalid JSON"),
        ("swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n", "Swagger 2.0 is not supported"),
        (
            "openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'https://example.com/a.yaml'}\n",
            "remote reference",
        ),
        (
            "openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n",
            "broken reference",
        ),
    ],
)
@pytest.mark.slow
def test_unloadable_documents_fail_in_one_line(tmp_path: Path, content: str, expected: str) -> None:
    spec = tmp_path / ("spec.json" if content.startswith("{") else "spec.yaml")
    spec.write_text(content)
    out = tmp_path / "out"
    result = run_cli("generate", str(spec), "--package", "demo", "--output", str(out))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0] and str(spec) in lines[0], result.stderr
    assert not out.exists()


@pytest.mark.parametrize("order", ["before", "after"])
def test_global_options_go_before_or_after_the_subcommand(
    project: Path, order: str, capsys: pytest.CaptureFixture[str]
) -> None:
    options = ["--config", str(project / "spec" / "clientgen.yaml"), "-q"]
    argv = [*options, "check"] if order == "before" else ["check", *options]
    assert main(argv) == 0
    assert capsys.readouterr().out == ""  # -q: nothing to say when all is well
    assert main(["check", "--config", str(project / "spec" / "clientgen.yaml")]) == 0
    assert "bctrl: up to date" in capsys.readouterr().out


def test_quiet_and_verbose_contradict(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-q", "check", "-v", "--config", str(project / "spec" / "clientgen.yaml")]) == 2
    assert "-q and -v" in capsys.readouterr().err


def test_check_diff_shows_what_would_change(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    models = project / "generated" / "bctrl" / "models.py"
    models.write_text(models.read_text().replace("class Invocation(", "class Invocation2(", 1))
    assert main(["--config", str(project / "spec" / "clientgen.yaml"), "check", "--diff"]) == 1
    out = capsys.readouterr().out
    # The edit is what `generate` keeps (and records), so the diff shows it: from the generated file to yours.
    assert "--- a/generated/bctrl/models.py\n+++ b/generated/bctrl/models.py\n" in out
    assert "-class Invocation(" in out and "+class Invocation2(" in out


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"clientgen {__version__}"


@pytest.mark.parametrize(
    "command", [["generate"], ["check"], ["validate"], ["diff"], ["renames"], ["renames", "suggest"]]
)
def test_each_command_help_shows_an_example_and_the_exit_codes(command: list[str]) -> None:
    result = run_cli(*command, "--help")
    assert result.returncode == 0
    example = result.stdout.split("example:\n", 1)[1]
    assert example.lstrip().startswith("clientgen " + " ".join(command))
    assert "3  internal error" in result.stdout and "1  generated code is stale" in result.stdout


def test_usage_errors_exit_2() -> None:
    result = run_cli("generate", "--no-such-option")
    assert result.returncode == 2 and "unrecognized arguments" in result.stderr


def test_an_internal_error_exits_3_and_asks_for_a_report(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A bug cannot be produced on demand, so one stage is made to fail the way a bug would.
    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(pipeline, "generate", broken)
    config = str(project / "spec" / "clientgen.yaml")
    assert main(["--config", config, "check", "--no-cache"]) == 3
    err = capsys.readouterr().err
    assert "internal error: KeyError" in err and "please report" in err and "-v" in err
    assert "Traceback" not in err
    assert main(["--config", config, "check", "-v", "--no-cache"]) == 3
    assert "Traceback (most recent call last)" in capsys.readouterr().err


@pytest.mark.slow
def test_diff_of_a_configured_spec_uses_its_rename_map_without_client(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "spec", tmp_path / "spec")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=tmp_path, check=True)
    subprocess.run([*git, "add", "-A"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "base"], cwd=tmp_path, check=True)
    spec = tmp_path / "spec" / "bctrl.yaml"
    spec.write_text(spec.read_text().replace("        - inline\n        - durable\n", "        - inline\n", 1))
    result = run_cli("diff", "main:spec/bctrl.yaml", "spec/bctrl.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "ExecutionMode" in result.stdout and "InvocationExecutionMode" not in result.stdout, result.stdout


def test_collector_thresholds_are_raised_during_a_command_and_restored_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """A command runs with fewer full collections (they walk the whole analysis); a caller in the same process,
    as these tests are, gets its own settings back."""
    import gc

    seen: list[tuple[int, int, int]] = []
    real_run = main.__globals__["_run"]

    def spying_run(args: object) -> int:
        seen.append(gc.get_threshold())
        return int(real_run(args))

    monkeypatch.setitem(main.__globals__, "_run", spying_run)
    before = gc.get_threshold()
    assert main(["validate", str(ROOT / "spec" / "shop.yaml")]) == 0
    assert gc.get_threshold() == before
    assert seen and seen[0][0] > before[0]
