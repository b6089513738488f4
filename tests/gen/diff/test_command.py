"""``clientgen diff`` as a user runs it: sources (files, REF:path, the default branch), formats, exit status, ignore lists, api.txt."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from diff_cases import Spec, analysis_of, base, mutated, op, schema
from support.paths import ROOT, corpus_file

from generator.apilist import build_api_list
from generator.cli import main
from generator.config import client_config
from generator.errors import ClientgenError
from generator.view.package import build_view


def _breaking(spec: Spec) -> None:
    del spec["paths"]["/pets/{petId}"]["delete"]


def _write(path: Path, spec: Spec) -> Path:
    path.write_text(json.dumps(spec, indent=1))
    return path


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    return _write(tmp_path / "old.json", base()), _write(tmp_path / "new.json", mutated(_breaking))


def _git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return result.stdout


def test_identical_specs_report_nothing_and_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = _write(tmp_path / "spec.json", base())
    assert main(["diff", str(spec), str(spec), "--fail-on", "warning", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["specs"][0]["findings"] == []


def test_fail_on_sets_the_exit_status(pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    old, new = pair
    assert main(["diff", str(old), str(new)]) == 0
    assert main(["diff", str(old), str(new), "--fail-on", "breaking"]) == 1
    assert "api-removed-without-deprecation" in capsys.readouterr().out
    info_only = _write(new.parent / "info.json", mutated(lambda s: s["info"].update(version="1.1.0")))
    assert main(["diff", str(old), str(info_only), "--fail-on", "warning"]) == 0


def test_ignore_file_by_rule_and_location_glob(
    pair: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = pair
    yaml_ignore = tmp_path / "ignore.yaml"
    yaml_ignore.write_text("ignore:\n  - rule: api-removed-*\n    location: pets.*\n")
    assert main(["diff", str(old), str(new), "--fail-on", "breaking", "--ignore", str(yaml_ignore)]) == 0
    text_ignore = tmp_path / "ignore.txt"
    text_ignore.write_text("# by route works too\napi-removed-without-deprecation DELETE /pets/*\n")
    assert main(["diff", str(old), str(new), "--fail-on", "breaking", "--ignore", str(text_ignore)]) == 0
    text_ignore.write_text("api-removed-without-deprecation owners.*\n")
    assert main(["diff", str(old), str(new), "--fail-on", "breaking", "--ignore", str(text_ignore)]) == 1
    capsys.readouterr()


def test_markdown_puts_counts_first_and_info_in_details(
    pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = pair
    newer = _write(new.parent / "newer.json", mutated(lambda s: (_breaking(s), s["info"].update(version="2"))))
    main(["diff", str(old), str(newer), "--format", "markdown"])
    out = capsys.readouterr().out
    assert out.index("**1 breaking**") < out.index("#### Breaking changes") < out.index("<details>")
    assert "`api-version-changed`" in out.split("<details>")[1]


def test_show_api_prints_the_api_txt_diff(pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    old, new = pair
    main(["diff", str(old), str(new), "--show-api"])
    out = capsys.readouterr().out
    assert "-    delete(pet_id: int) -> None" in out
    assert "-        DELETE /pets/{petId}" in out


def test_rename_maps_for_each_side(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = _write(tmp_path / "spec.json", base())
    old_map, new_map = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old_map.write_text("{}\n")
    new_map.write_text("Pet: Animal\n")
    assert (
        main(
            [
                "diff",
                str(spec),
                str(spec),
                "--renames",
                str(old_map),
                str(new_map),
                "--format",
                "json",
                "--fail-on",
                "breaking",
            ]
        )
        == 1
    )
    findings = json.loads(capsys.readouterr().out)["specs"][0]["findings"]
    assert [(item["rule"], item["location"]) for item in findings] == [("model-renamed", "Animal")]
    assert main(["diff", str(spec), str(spec), "--renames", str(new_map)]) == 0


def test_ref_path_reads_from_git(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    _write(repo / "api.json", base())
    _git(repo, "add", "api.json")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base")
    _write(repo / "api.json", mutated(_breaking))
    monkeypatch.chdir(repo)
    assert main(["diff", "HEAD:api.json", "api.json", "--fail-on", "breaking"]) == 1
    out = capsys.readouterr().out
    assert "HEAD:api.json → api.json" in out and "pets.delete" in out


def test_no_arguments_compares_configured_specs_with_the_default_branch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    (repo / "spec").mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    (repo / "spec" / "clientgen.yaml").write_text(
        "clients:\n  - name: shop\n    spec: spec/shop.json\n    package: shop\n"
    )
    _write(repo / "spec" / "shop.json", base())
    _git(repo, "add", ".")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base")
    _git(repo, "checkout", "-q", "-b", "feature")
    _write(repo / "spec" / "shop.json", mutated(lambda s: schema(s, "PetStatus")["enum"].append("adopted")))
    status = main(
        ["--config", str(repo / "spec" / "clientgen.yaml"), "diff", "--format", "markdown", "--fail-on", "warning"]
    )
    out = capsys.readouterr().out
    assert status == 1
    assert "response-property-enum-value-added" in out and "shop" in out
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qam", "adopted")
    assert (
        main(["--config", str(repo / "spec" / "clientgen.yaml"), "diff", "--base", "feature", "--fail-on", "warning"])
        == 0
    )
    assert "0 breaking" in capsys.readouterr().out


@pytest.mark.slow
def test_user_errors_are_one_line_and_exit_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(mutated(lambda s: op(s, "/pets", "get")["responses"]["200"].pop("description"))))
    good = _write(tmp_path / "good.json", base())
    for args in ([str(good), str(tmp_path / "missing.json")], [str(good), str(broken)], [str(good)]):
        result = subprocess.run(
            [sys.executable, "-m", "generator", "diff", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_lenient_compares_despite_validation_errors(tmp_path: Path) -> None:
    broken = _write(
        tmp_path / "broken.json", mutated(lambda s: op(s, "/pets", "get")["responses"]["200"].pop("description"))
    )
    good = _write(tmp_path / "good.json", base())
    assert main(["diff", str(good), str(broken), "--lenient"]) == 0


@pytest.mark.parametrize("lenient", [False, True], ids=["strict", "lenient"])
def test_the_old_side_is_read_as_it_is_and_the_new_side_validated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lenient: bool
) -> None:
    """A base whose document is invalid (a pull request cannot change it) is compared, and its problems, the
    base's own, are not reported; the new side's are an error, or warnings with ``--lenient``."""
    broken = _write(
        tmp_path / "broken.json", mutated(lambda s: op(s, "/pets", "get")["responses"]["200"].pop("description"))
    )
    fixed = _write(tmp_path / "fixed.json", mutated(lambda s: schema(s, "Pet")["properties"].pop("tag")))
    options = ["--lenient"] * lenient
    assert main(["diff", str(broken), str(fixed), *options, "--format", "json"]) == 0
    captured = capsys.readouterr()
    findings = json.loads(captured.out)["specs"][0]["findings"]
    assert [finding["location"] for finding in findings] == ["Pet.tag"]
    assert "broken.json" not in captured.err and "description" not in captured.err
    status = main(["diff", str(fixed), str(broken), *options, "--format", "json"])
    captured = capsys.readouterr()
    assert "broken.json" in captured.err and "description" in captured.err
    assert status == (0 if lenient else 2)


def test_api_listing_is_sorted_and_readable() -> None:
    analysis = analysis_of(base())
    config = client_config(name="shop", spec=Path("spec.json"), package="shop", output=Path("shop"))
    text = build_api_list(build_view(analysis.api, analysis.schemas, analysis.operation_names, config), analysis.models)
    # The body model's properties are the method's keyword arguments; its enum also takes plain strings.
    create = (
        "    create(*, name: str, age: int | NotGiven = NOT_GIVEN, "
        'kind: NewPetKind | Literal["dog", "cat", "bird"] | NotGiven = NOT_GIVEN, '
        "weight: float | NotGiven = NOT_GIVEN) -> Pet\n"
    )
    assert f"resource pets\n{create}        POST /pets\n" in text
    assert "model Pet\n    id: int\n    name: str\n    status: PetStatus\n    tag?: str\n" in text
    assert 'enum PetStatus(str): "available", "pending", "sold"' in text
    resources = [line for line in text.splitlines() if line.startswith("resource ")]
    assert resources == sorted(resources)


def _decompressed(name: str, tmp_path: Path) -> Path:
    source = corpus_file(name)
    target = tmp_path / name.removesuffix(".gz")
    with gzip.open(source, "rb") as compressed, target.open("wb") as out:
        shutil.copyfileobj(compressed, out)
    return target


def test_unrelated_corpus_documents_compare_without_a_crash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    petstore = _decompressed("petstore-3.0.yaml.gz", tmp_path)
    murf = _decompressed("murf.json.gz", tmp_path)
    assert main(["diff", str(petstore), str(murf), "--lenient", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)["specs"][0]
    assert report["counts"]["breaking"] > 0 and report["counts"]["info"] > 0


def test_corpus_document_against_itself_reports_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    petstore = _decompressed("petstore-3.0.yaml.gz", tmp_path)
    assert main(["diff", str(petstore), str(petstore), "--lenient", "--fail-on", "warning"]) == 0
    assert "0 breaking, 0 warnings, 0 info" in capsys.readouterr().out


def test_old_new_inside_a_configured_project_use_its_rename_map(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    (repo / "spec").mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    (repo / "spec" / "clientgen.yaml").write_text(
        "clients:\n  - name: shop\n    spec: spec/shop.json\n    package: shop\n    renames: spec/renames.yaml\n"
    )
    (repo / "spec" / "renames.yaml").write_text("Pet: Animal\n")
    _write(repo / "spec" / "shop.json", base())
    _git(repo, "add", ".")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base")
    _write(repo / "spec" / "shop.json", mutated(lambda s: schema(s, "Pet")["properties"].pop("tag")))
    monkeypatch.chdir(repo)
    # The README's example: REF:path against the working tree, with no --client and no --renames.
    assert main(["diff", "main:spec/shop.json", "spec/shop.json", "--format", "json"]) == 0
    findings = json.loads(capsys.readouterr().out)["specs"][0]["findings"]
    assert [(finding["rule"], finding["location"]) for finding in findings] == [
        ("response-optional-property-removed", "Animal.tag")
    ]


def test_lenient_shows_validation_warnings_and_errors_name_the_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = base()
    schema(spec, "Pet")["properties"]["kind"] = {"oneOf": []}
    path = _write(tmp_path / "spec.json", spec)
    assert main(["diff", str(path), str(path)]) == 2
    assert "schema Pet: [] should be non-empty" in capsys.readouterr().err
    assert main(["diff", "--lenient", str(path), str(path)]) == 0
    captured = capsys.readouterr()
    assert (
        "warning:" in captured.err
        and "/components/schemas/Pet/properties/kind/oneOf" in captured.err
        and "schema Pet" in captured.err
    )
    assert "0 breaking" in captured.out


def _commit(repo: Path, message: str) -> None:
    _git(repo, "add", ".")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", message)


def test_a_method_renamed_through_the_configuration_is_a_breaking_rename_against_base(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The old side is read whole at the base: spec, configuration and rename map; the report names the ref as given."""
    repo = tmp_path / "repo"
    (repo / "spec").mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    config = repo / "spec" / "clientgen.yaml"
    config.write_text("clients:\n  - name: shop\n    spec: spec/shop.json\n    package: shop\n")
    _write(repo / "spec" / "shop.json", base())
    _commit(repo, "base")
    _git(repo, "checkout", "-q", "-b", "feature")
    config.write_text(
        "clients:\n  - name: shop\n    spec: spec/shop.json\n    package: shop\n"
        "    operations:\n      listPets: pets.list_all\n"
    )
    _commit(repo, "rename a method")
    status = main(["--config", str(config), "diff", "--base", "main", "--format", "json", "--fail-on", "breaking"])
    report = json.loads(capsys.readouterr().out)["specs"][0]
    assert status == 1
    assert [(item["rule"], item["location"], item["message"]) for item in report["findings"]] == [
        ("method-renamed", "pets.list_all", "method pets.list renamed to pets.list_all")
    ]
    assert report["old"] == "main:spec/shop.json"
    # --show-api shows it too: each side's api.txt comes from its own configuration.
    main(["--config", str(config), "diff", "--base", "main", "--show-api"])
    out = capsys.readouterr().out
    assert "main:spec/shop.json → spec/shop.json: 1 breaking" in out
    assert "-    list(" in out and "+    list_all(" in out


def test_a_ref_path_side_of_a_configured_client_reads_the_configuration_at_that_ref(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    (repo / "spec").mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    config = repo / "spec" / "clientgen.yaml"
    config.write_text(
        "clients:\n  - name: shop\n    spec: spec/shop.json\n    package: shop\n"
        "    operations:\n      getPet: pets.fetch\n"
    )
    _write(repo / "spec" / "shop.json", base())
    _commit(repo, "base")
    config.write_text("clients:\n  - name: shop\n    spec: spec/shop.json\n    package: shop\n")
    monkeypatch.chdir(repo)
    assert main(["diff", "main:spec/shop.json", "spec/shop.json", "--fail-on", "breaking"]) == 1
    out = capsys.readouterr().out
    assert "method-renamed: pets.get: method pets.fetch renamed to pets.get" in out


_FERN_EXPORT = """\
openapi: 3.1.0
info: {title: Plant Store, version: 1.0.0}
paths:
  /plants/{plantId}:
    get:
      operationId: plants_get
      tags: [Plants]
      parameters:
        - {name: plantId, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: A plant
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Plant"}
      x-fern-examples:
        - $ref: ./examples/get-plant.yaml
      x-fern-sdk-group-name: plants
components:
  schemas:
    Plant:
      type: object
      required: [id]
      properties:
        id: {type: string}
      x-fern-examples: [{$ref: "https://example.com/plant.json"}]
"""


def test_a_fern_export_with_external_example_refs_diffs_as_published(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for side, spec in (
        ("old", _FERN_EXPORT),
        (
            "new",
            _FERN_EXPORT.replace("required: [id]", "required: [id, name]").replace(
                "id: {type: string}\n      x-fern", "id: {type: string}\n        name: {type: string}\n      x-fern"
            ),
        ),
    ):
        (tmp_path / side / "examples").mkdir(parents=True)
        (tmp_path / side / "examples" / "get-plant.yaml").write_text("path-parameters: {plantId: p1}\n")
        (tmp_path / side / "openapi.yaml").write_text(spec)
    assert main(["diff", str(tmp_path / "old" / "openapi.yaml"), str(tmp_path / "new" / "openapi.yaml")]) == 0
    out = capsys.readouterr().out
    assert "response-required-property-added: Plant.name: new required field name: str" in out


def test_several_formats_come_from_one_comparison(
    pair: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--format markdown=FILE --format json=FILE --format text``: each side analysed once, every report the same
    as its own run's, files with the user's umask."""
    from generator.diff import command

    old, new = pair
    separate = {}
    for name in ("markdown", "json", "text"):
        assert main(["diff", str(old), str(new), "--format", name]) == 0
        separate[name] = capsys.readouterr().out
    analysed: list[str] = []
    real = command._analyse

    def counting(side: command.Side, *rest: object, **options: object) -> object:
        analysed.append(str(side.spec))
        return real(side, *rest, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(command, "_analyse", counting)
    monkeypatch.setattr(command, "worker_count", lambda: 1)  # in this process, where the calls can be counted
    md, js = tmp_path / "report.md", tmp_path / "report.json"
    args = ["diff", str(old), str(new), "--format", f"markdown={md}", "--format", f"json={js}", "--format", "text"]
    assert main(args) == 0
    assert sorted(analysed) == sorted([str(old), str(new)])
    assert capsys.readouterr().out == separate["text"]
    assert md.read_text() == separate["markdown"] and js.read_text() == separate["json"]
    assert md.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    import os

    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@pytest.mark.parametrize(
    ("formats", "message"),
    [
        (["yaml"], "the formats are text, markdown, json"),
        (["text", "json"], "only one report can go to standard output"),
        (["json=a", "text=a"], "two reports name the same file"),
        (["json="], "name the file after '='"),
    ],
)
def test_bad_format_lists_are_one_line_errors(
    pair: tuple[Path, Path], formats: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = pair
    arguments = [item for value in formats for item in ("--format", value)]
    assert main(["diff", str(old), str(new), *arguments]) == 2
    assert message in capsys.readouterr().err


def test_a_report_file_that_cannot_be_written_is_a_located_error(
    pair: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = pair
    target = tmp_path / "missing" / "report.md"
    assert main(["diff", str(old), str(new), "--format", f"markdown={target}"]) == 2
    err = capsys.readouterr().err
    assert str(target) in err and "cannot write the markdown report" in err and "Traceback" not in err


@pytest.mark.parametrize("forks", [True, False], ids=["forked", "pool"])
def test_both_sides_in_parallel_find_what_one_process_finds(
    pair: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, forks: bool
) -> None:
    """The old side in a worker process (a forked child, or a pool's worker where this process cannot fork): the
    same findings; its user error comes first, as when analysed in turn."""
    from generator.diff import command

    old, new = pair
    config = command.default_config(lenient=False)
    sides = (command.Side(old, None), config), (command.Side(new, None), config)
    monkeypatch.setattr(command, "worker_count", lambda: 2)
    monkeypatch.setattr(command, "can_fork", lambda: forks)
    before, after = command.analyse_both(*sides, None)
    monkeypatch.setattr(command, "worker_count", lambda: 1)
    alone = command.analyse_both(*sides, None)
    from generator.diff.compare import compare_analyses

    assert (
        compare_analyses(before.analysis, after.analysis)
        == compare_analyses(alone[0].analysis, alone[1].analysis)
        != []
    )
    assert before.surface == alone[0].surface and after.surface == alone[1].surface
    broken = new.parent / "broken.json"
    broken.write_text("{")
    monkeypatch.setattr(command, "worker_count", lambda: 2)
    with pytest.raises(ClientgenError, match="broken.json"):
        command.analyse_both(
            (command.Side(broken, None), config), (command.Side(old.parent / "gone.json", None), config), None
        )


def test_a_worker_that_cannot_run_only_means_analysing_here(
    pair: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    from generator.diff import command

    class Broken:
        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def __enter__(self) -> Broken:
            return self

        def __exit__(self, *args: object) -> None:
            pass

        def submit(self, *args: object) -> Future[object]:
            died: Future[object] = Future()
            died.set_exception(BrokenProcessPool("the worker died"))  # what a killed worker's result raises
            return died

    import concurrent.futures

    old, new = pair
    config = command.default_config(lenient=False)
    monkeypatch.setattr(command, "worker_count", lambda: 2)
    monkeypatch.setattr(command, "can_fork", lambda: False)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Broken)
    before, after = command.analyse_both((command.Side(old, None), config), (command.Side(new, None), config), None)
    assert before.analysis.document.path != after.analysis.document.path


def _dies(*args: object) -> object:
    os._exit(3)


def _unpicklable(*args: object) -> object:
    return lambda: None


@pytest.mark.parametrize("worker", [_dies, _unpicklable], ids=["dies", "unpicklable"])
def test_a_forked_child_that_sends_nothing_only_means_analysing_here(
    pair: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, worker: object
) -> None:
    from generator.diff import command

    old, new = pair
    config = command.default_config(lenient=False)
    monkeypatch.setattr(command, "worker_count", lambda: 2)
    monkeypatch.setattr(command, "can_fork", lambda: True)
    monkeypatch.setattr(command, "_analyse_in_worker", worker)
    before, after = command.analyse_both((command.Side(old, None), config), (command.Side(new, None), config), None)
    assert before.analysis.document.path == str(old) and after.analysis.document.path == str(new)


def test_the_command_line_diff_forks_and_reports_what_one_process_reports(
    pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``clientgen diff`` as a program runs one thread, so its old side is analysed in a forked child."""
    from generator.diff import command

    old, new = pair
    monkeypatch.setattr(command, "worker_count", lambda: 1)
    status = main(["diff", str(old), str(new), "--format", "json"])
    alone = capsys.readouterr().out
    forked = subprocess.run(
        [sys.executable, "-c", _FORKS_CHECK, str(old), str(new)], capture_output=True, text=True, check=False
    )
    assert (forked.returncode, forked.stderr) == (status, "")
    assert forked.stdout == alone and json.loads(alone)["specs"][0]["findings"]


#: Runs the command line in a fresh process and checks that the old side went through ``Forked``.
_FORKS_CHECK = """
import sys
from generator import forked
from generator.cli import main
from generator.diff import command

started = []
real = forked.Forked.__init__
def counting(self, *args):
    started.append(args[0].__name__)
    real(self, *args)
forked.Forked.__init__ = counting
command.worker_count = lambda: 2
status = main(["diff", sys.argv[1], sys.argv[2], "--format", "json"])
assert started == ["_analyse_in_worker"], started
sys.exit(status)
"""
