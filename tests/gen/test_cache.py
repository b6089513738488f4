"""The cache: it never changes the output, a damaged entry is ignored, a no-op run stays light."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
from pathlib import Path

import pytest
from support.paths import ROOT

from generator import format as formatting
from generator import uptodate, validate
from generator.cache import Cache, key
from generator.cli import main
from generator.write import read_tree

SPEC = ROOT / "spec" / "bctrl.yaml"
RENAMES = ROOT / "spec" / "bctrl.renames.yaml"


def generate_into(output: Path, *options: str) -> dict[str, bytes]:
    argv = ["generate", str(SPEC), "--package", "bctrl", "--output", str(output), "--renames", str(RENAMES), *options]
    assert main(argv) == 0
    return read_tree(output)


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(folder))
    return folder


def entries(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


@pytest.mark.slow
def test_cold_warm_and_no_cache_trees_are_byte_identical(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    without = generate_into(tmp_path / "without", "--no-cache")
    assert not cache_dir.exists(), "--no-cache wrote to the cache"
    cold = generate_into(tmp_path / "cold")
    namespaces = {path.relative_to(cache_dir).parts[1] for path in entries(cache_dir)}
    assert {"verdicts", "format-file", "format-blocks", "trees"} <= namespaces

    # Warm: every expensive stage must come from the cache (each would raise if it ran).
    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("ran despite a warm cache")

    monkeypatch.setattr(validate, "_find_problems", must_not_run)
    monkeypatch.setattr(formatting, "black_block", must_not_run)
    monkeypatch.setattr(formatting, "sort_imports", must_not_run)
    warm = generate_into(tmp_path / "warm")
    assert without == cold == warm
    assert len(cold) > 10


@pytest.mark.slow
def test_a_corrupted_or_foreign_entry_is_detected_and_ignored(tmp_path: Path, cache_dir: Path) -> None:
    reference = generate_into(tmp_path / "reference", "--no-cache")
    generate_into(tmp_path / "first")
    stored = entries(cache_dir)
    assert stored
    payloads = {}
    for number, path in enumerate(stored):
        data = path.read_bytes()
        payloads[path] = data
        if number % 3 == 0:  # a flipped byte in the payload
            corrupt = bytearray(data)
            corrupt[-2] ^= 0x20
            path.write_bytes(bytes(corrupt))
        elif number % 3 == 1:  # truncated, as by a crash without atomic writes
            path.write_bytes(data[: len(data) // 2])
        else:  # another entry's bytes, moved to this name
            path.write_bytes(payloads[stored[0]] if path != stored[0] else b"not an entry at all")
    again = generate_into(tmp_path / "again")
    assert again == reference
    # The damaged entries were replaced by good ones, and a good cache gives the same tree.
    assert generate_into(tmp_path / "warm") == reference


def test_a_damaged_entry_reads_as_a_miss(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    entry = key("some", "input")
    cache.put("format-file", entry, b"payload\nwith lines")
    assert cache.get("format-file", entry) == b"payload\nwith lines"
    path = next(path for path in tmp_path.rglob("*") if path.is_file())
    good = path.read_bytes()
    path.write_bytes(good.replace(b"payload", b"paYload"))
    assert cache.get("format-file", entry) is None
    path.write_bytes(good)
    assert cache.get("models", entry) is None  # the same bytes under another namespace are foreign
    other = key("other")
    (path.parent.parent / other[:1]).mkdir(exist_ok=True)
    (path.parent.parent / other[:1] / other).write_bytes(good)
    assert cache.get("format-file", other) is None  # an entry copied to another key is foreign
    assert Cache(None).get("format-file", entry) is None


def _writer(root: str, number: int) -> None:
    cache = Cache(Path(root))
    for round_ in range(200):
        cache.put("stress", key("shared"), f"writer {number} round {round_} ".encode() * 200)


@pytest.mark.slow
def test_concurrent_writers_never_leave_a_partial_entry(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_writer, args=(str(tmp_path), number)) for number in range(3)]
    for writer in writers:
        writer.start()
    cache = Cache(tmp_path)
    seen = 0
    while any(writer.is_alive() for writer in writers):
        payload = cache.get("stress", key("shared"))
        if payload is not None:
            seen += 1
            text = payload.decode()
            assert text == text[: len(text) // 200] * 200, "a torn entry was returned"
    for writer in writers:
        writer.join()
        assert writer.exitcode == 0
    assert cache.get("stress", key("shared")) is not None
    assert not [path for path in tmp_path.rglob(".*") if path.is_file()], "temporary files left behind"


#: What a no-op run must not import: the pipeline's libraries and stages, and what only other commands need.
HEAVY = (
    "black",
    "isort",
    "openapi_spec_validator",
    "jsonschema",
    "jinja2",
    "generator.pipeline",
    "generator.models",
    "generator.ir",
    "generator.init",
    "packaging",
    "anyascii",
    "difflib",
    "email",
)


@pytest.mark.slow
def test_a_no_op_run_imports_neither_black_nor_the_pipeline_nor_the_validator(tmp_path: Path, cache_dir: Path) -> None:
    generate_into(tmp_path / "out")
    probe = (
        "import sys\n"
        "from generator.cli import main\n"
        f"status = main(['generate', {str(SPEC)!r}, '--package', 'bctrl', '--output', {str(tmp_path / 'out')!r}, '--renames', {str(RENAMES)!r}])\n"
        f"heavy = sorted(name for name in {HEAVY!r} if name in sys.modules)\n"
        "print(status, heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "0 []", result.stdout


def test_installed_versions_agree_with_importlib_metadata() -> None:
    from importlib.metadata import version

    found = uptodate.installed_versions((*uptodate.SHAPING, "surely-not-installed-dist"))
    assert found == {name: version(name) for name in uptodate.SHAPING}


@pytest.mark.slow
def test_a_no_op_check_still_finds_hand_edits_and_missing_files(
    tmp_path: Path, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    (project / "spec").mkdir(parents=True)
    for name in sorted(path.name for path in (ROOT / "spec").iterdir() if path.is_file()):
        (project / "spec" / name).write_bytes((ROOT / "spec" / name).read_bytes())
    config = str(project / "spec" / "clientgen.yaml")
    assert main(["--config", config, "generate"]) == 0
    assert main(["--config", config, "check"]) == 0
    assert "up to date" in capsys.readouterr().out
    # A file of the user's beside the package is not clientgen's business; a generated file gone is.
    (project / "generated" / "bctrl" / "notes.md").write_text("mine\n")
    assert main(["--config", config, "check"]) == 0
    capsys.readouterr()
    api = project / "generated" / "bctrl" / "api.txt"
    listing = api.read_bytes()
    api.unlink()
    assert main(["--config", config, "check"]) == 1
    assert "missing" in capsys.readouterr().out
    api.write_bytes(listing)
    client = project / "generated" / "bctrl" / "client.py"
    client.write_bytes(client.read_bytes() + b"# mine\n")
    assert main(["--config", config, "check"]) == 1
    assert "edited by hand" in capsys.readouterr().out
    # generate repairs it, and the next run is a no-op again.
    assert main(["--config", config, "generate"]) == 0
    capsys.readouterr()
    assert main(["--config", config, "generate"]) == 0
    assert "up to date" in capsys.readouterr().out


@pytest.mark.slow
def test_lenient_warnings_are_printed_again_by_a_no_op_run(
    tmp_path: Path, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "broken.yaml"
    document = json.loads(json.dumps(__import__("yaml").safe_load(SPEC.read_text())))
    first_path = next(iter(document["paths"].values()))
    first_operation = next(iter(first_path.values()))
    first_operation["responses"]["200"].pop("description", None)
    spec.write_text(json.dumps(document))
    argv = ["generate", str(spec), "--package", "bctrl", "--output", str(tmp_path / "out"), "--lenient"]
    assert main(argv) == 0
    first = capsys.readouterr().err
    assert "warning:" in first
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "up to date" in captured.out and captured.err == first
