"""Every command and configuration example of the README, executed as a user would run it.

Each fenced block is preceded by ``<!-- readme-test: CONTEXT [exit=N] -->`` saying
where it runs: ``repo`` (a git checkout of this repository's spec/ and
generated/), ``project`` (an empty project holding ``openapi.yaml``), or a
context for configuration snippets. A console block's commands run in order;
``$ command`` lines are followed by the exact output expected. Client examples
(```python) are run by test_readme.py.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from support.paths import GENERATED, ROOT

from generator.write import read_tree

README = (ROOT / "README.md").read_text()
BIN = Path(sys.executable).parent
BLOCK = re.compile(
    r"<!-- readme-test: (?P<context>[\w-]+)(?: exit=(?P<exit>\d+))? -->\n```(?P<lang>\w+)\n(?P<body>.*?)```", re.DOTALL
)


@dataclass(frozen=True)
class Block:
    context: str
    exit: int
    lang: str
    body: str
    line: int

    def __str__(self) -> str:
        return f"README.md:{self.line} ({self.context})"


BLOCKS = [
    Block(m["context"], int(m["exit"] or 0), m["lang"], m["body"], README.count("\n", 0, m.start()) + 1)
    for m in BLOCK.finditer(README)
]


def test_every_fenced_block_outside_the_client_examples_is_tested() -> None:
    fenced = re.findall(r"^```(\w+)$", README, re.MULTILINE)
    clients = README.split("## Using the clients", 1)[1].split("\n## ", 1)[0].count("```python")
    untested = len(fenced) - clients - len(BLOCKS)
    # The one example that is not run: the layout of a rename map's rules would need a spec of its own.
    assert untested == 0, f"{untested} fenced block(s) in README.md have no <!-- readme-test: ... --> marker"


def _env() -> dict[str, str]:
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "COLUMNS": "200"}


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def repo_sandbox(root: Path) -> Path:
    shutil.copytree(ROOT / "spec", root / "spec")
    shutil.copytree(GENERATED, root / "generated", ignore=shutil.ignore_patterns("__pycache__"))
    broken = (ROOT / "spec" / "bctrl.yaml").read_text().replace("          description: Default Response\n", "", 1)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    _git(root, "checkout", "-q", "-b", "feature")
    (root / "broken.yaml").write_text(broken)
    return root


def project_sandbox(root: Path) -> Path:
    root.mkdir(exist_ok=True)
    shutil.copy(ROOT / "spec" / "bctrl.yaml", root / "openapi.yaml")
    return root


def vendoring_sandbox(root: Path) -> Path:
    """The project the README's vendoring session starts in: a src layout with a pyproject.toml and a spec."""
    (root / "src" / "myapp").mkdir(parents=True)
    (root / "src" / "myapp" / "__init__.py").write_text('"""My app."""\n')
    (root / "pyproject.toml").write_text('[project]\nname = "myapp"\nversion = "1.0"\ndependencies = ["rich>=13"]\n')
    shutil.copy(ROOT / "spec" / "bctrl.yaml", root / "openapi.yaml")
    return root


def run_console(block: Block, cwd: Path) -> None:
    commands: list[tuple[str, list[str] | None]] = []
    for line in block.body.splitlines():
        if line.startswith("$ "):
            commands.append((line[2:], []))
        elif commands and commands[-1][1] is not None and line:
            commands[-1][1].append(line)  # type: ignore[union-attr]
        elif line.strip():
            commands.append((line.split("  #", 1)[0].strip(), None))
    assert commands, f"{block}: no command"
    for command, expected in commands:
        result = subprocess.run(
            ["bash", "-c", command], cwd=cwd, env=_env(), capture_output=True, text=True, timeout=300
        )
        assert result.returncode == block.exit, (
            f"{block}: `{command}` exited {result.returncode}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        )
        assert "Traceback" not in result.stderr, f"{block}: `{command}`\n{result.stderr}"
        if expected is not None:
            assert (result.stdout + result.stderr).splitlines() == expected, (
                f"{block}: `{command}` printed\n{result.stdout}{result.stderr}"
            )


def blocks(context: str) -> list[Block]:
    return [block for block in BLOCKS if block.context == context]


@pytest.mark.slow
@pytest.mark.parametrize("block", blocks("repo"), ids=str)
def test_repository_commands(block: Block, tmp_path: Path) -> None:
    run_console(block, repo_sandbox(tmp_path))


@pytest.mark.slow
@pytest.mark.parametrize("block", blocks("project"), ids=str)
def test_project_commands(block: Block, tmp_path: Path) -> None:
    run_console(block, project_sandbox(tmp_path))


@pytest.mark.slow
def test_the_vendoring_and_customisation_session(tmp_path: Path) -> None:
    """The session blocks run in order in one project; a ``session-edit`` block is appended to the file it names."""
    root = vendoring_sandbox(tmp_path)
    edits = []
    for block in BLOCKS:
        if block.context == "session":
            run_console(block, root)
        elif block.context == "session-edit":
            first, _, body = block.body.partition("\n")
            target = root / first.removeprefix("# appended to ").strip()
            target.write_text(target.read_text() + body)
            edits.append((target, body))
    assert edits, "README.md has no session-edit block"
    for target, body in edits:  # the edit survived the spec change
        text = target.read_text()
        assert text.endswith(body) and "Wait for one durable invocation" in text
    assert '"httpx2>=2.16,<3"' in (root / "pyproject.toml").read_text()


@pytest.mark.slow
def test_the_ignore_files_example(tmp_path: Path) -> None:
    (block,) = blocks("ignore")
    root = project_sandbox(tmp_path)
    (root / "clientgen.yaml").write_text(block.body)
    ours = root / "acme" / "resources" / "invocations.py"
    for step in ("generate", "check"):
        result = subprocess.run([BIN / "clientgen", step], cwd=root, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
    ours.write_text("# we wrote this module ourselves\n")
    spec = root / "openapi.yaml"
    spec.write_text(spec.read_text().replace("summary: Wait for a durable invocation", "summary: Wait for one", 1))
    for step in ("generate", "check"):
        result = subprocess.run([BIN / "clientgen", step], cwd=root, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
    assert ours.read_text() == "# we wrote this module ourselves\n"
    assert "Wait for one" in (root / "acme" / "typed_resources" / "invocations.py").read_text()


def test_the_yaml_configuration_is_this_repositorys_own(tmp_path: Path) -> None:
    (block,) = blocks("config")
    root = repo_sandbox(tmp_path)
    (root / "spec" / "clientgen.yaml").write_text(block.body)
    result = subprocess.run(
        [BIN / "clientgen", "check"], cwd=root / "generated", capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr  # generated/ is exactly what this configuration makes


@pytest.mark.slow
def test_the_pyproject_configuration(tmp_path: Path) -> None:
    (block,) = blocks("pyproject")
    root = project_sandbox(tmp_path)
    (root / "pyproject.toml").write_text('[project]\nname = "myapp"\nversion = "1.0"\n\n' + block.body)
    suggest = subprocess.run(
        [BIN / "clientgen", "renames", "suggest", "openapi.yaml"], cwd=root, capture_output=True, text=True, timeout=300
    )
    (root / "acme.renames.yaml").write_text(
        suggest.stdout
    )  # what the README's `renames suggest ... > acme.renames.yaml` does
    (root / "src" / "myapp").mkdir(parents=True)
    for command in ("generate", "check"):
        result = subprocess.run(
            [BIN / "clientgen", command], cwd=root / "src" / "myapp", capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "src" / "myapp" / "_vendor" / "acme" / "_manifest.json").is_file()


@pytest.mark.slow
def test_the_rename_map_excerpt(tmp_path: Path) -> None:
    (block,) = blocks("renames")
    root = repo_sandbox(tmp_path)
    (root / "spec" / "bctrl.renames.yaml").write_text(block.body)
    result = subprocess.run(
        [BIN / "clientgen", "generate", "bctrl"], cwd=root, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    models = (root / "generated" / "bctrl" / "models.py").read_text()
    assert "class WaitResponse(" in models and "class StepErrorCode(" in models


@pytest.mark.slow
def test_the_publishing_example(tmp_path: Path) -> None:
    (block,) = blocks("publish")
    root = project_sandbox(tmp_path)
    (root / "clientgen.yaml").write_text(block.body)
    for command in ("generate", "check"):
        result = subprocess.run([BIN / "clientgen", command], cwd=root, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
    assert {path.name for path in (root / "dist" / "acme-client").iterdir()} == {
        "pyproject.toml",
        "README.md",
        "_manifest.json",
        "acme",
    }


def test_the_action_example_is_a_valid_step(tmp_path: Path) -> None:
    (block,) = blocks("action")
    steps = yaml.safe_load(block.body)
    inputs = yaml.safe_load((ROOT / "action.yml").read_text())["inputs"]
    assert set(steps[0]["with"]) <= set(inputs)
    workflow = tmp_path / "workflow.yml"
    workflow.write_text(
        yaml.safe_dump({"name": "x", "on": "push", "jobs": {"j": {"runs-on": "ubuntu-latest", "steps": steps}}})
    )
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(workflow)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout


def test_the_pre_commit_example_names_real_hooks() -> None:
    (block,) = blocks("pre-commit")
    offered = {hook["id"] for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    used = {hook["id"] for repo in yaml.safe_load(block.body)["repos"] for hook in repo["hooks"]}
    assert used <= offered


def test_the_quick_start_test_command_is_what_ci_runs() -> None:
    (block,) = blocks("quickstart")
    commands = [line.split("  #", 1)[0].strip() for line in block.body.splitlines() if line.strip()]
    assert commands == ["python3 noxfile.py -s generate", "python3 noxfile.py -s tests"]
    assert "\npython3 noxfile.py -s tests\n" in (ROOT / ".ci" / "run").read_text()


@pytest.mark.packaging
def test_the_quick_start_generate_command_on_a_clean_copy(tmp_path: Path) -> None:
    """`python3 noxfile.py -s generate` in a copy of the tracked files: bootstraps nox, installs, regenerates generated/ unchanged."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    copy = tmp_path / "clone"
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(
        ["python3", "noxfile.py", "-s", "generate"], cwd=copy, env=env, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    def visible(root: Path) -> dict[str, bytes]:
        return {path: data for path, data in read_tree(root).items() if not path.startswith(".")}

    assert visible(copy / "generated") == visible(GENERATED)
