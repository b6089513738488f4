"""Real-world documents from ../shared/corpus: a representative subset.

``nox -s corpus`` runs these tests and then every document (tests/corpus_run.py);
they skip when the corpus is absent.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from support.paths import corpus_file
from support.property_hints import property_hints, resource_properties

from generator.cli import main
from generator.config import client_config
from generator.extract import extract
from generator.load import load_document
from generator.naming.autoname import MAX_LENGTH, is_exact
from generator.naming.model_names import name_models
from generator.naming.operations import name_operations
from generator.naming.rename_map import RenameMap, parse_rename_map
from generator.naming.structure import structural_classes
from generator.naming.suggest import suggest_rename_map
from generator.pipeline import analyse, generate
from generator.schemas import build_schema_set
from generator.validate import validate
from generator.write import write_tree

pytestmark = pytest.mark.corpus

FERN = ("openrouter.json.gz", "murf.json.gz", "smallestai.json.gz")
# Generated, imported, constructed and type-checked here: (corpus file, lenient).
GENERATED = (
    ("petstore-3.0.yaml.gz", False),
    ("petstore-3.1.yaml.gz", False),
    ("murf.json.gz", False),
    ("smallestai.json.gz", True),
    ("webhook-example-3.1.json.gz", False),
)
REFUSED = {
    "invalid-missing-description.yaml.gz": "'description' is a required property",
    "invalid-property-missing-reference.yaml.gz": "<some-broken-uri>",
    "docker-swagger2.yaml.gz": "Swagger 2.0 is not supported; convert it to OpenAPI 3",
}


def unpack(name: str, folder: Path) -> Path:
    """The corpus document ``name`` decompressed into ``folder``, under its own suffix."""
    source = corpus_file(name)
    target = folder / name.removesuffix(".gz")
    target.write_bytes(gzip.decompress(source.read_bytes()))
    return target


def package_of(name: str) -> str:
    stem = name.split(".json")[0].split(".yaml")[0]
    return "".join(char if char.isalnum() else "_" for char in stem.lower())


@dataclass(frozen=True)
class CliResult:
    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str) -> CliResult:
    """``clientgen ARGS`` in this process (a subprocess is not the point of these tests)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return CliResult(code, out.getvalue(), err.getvalue())


@pytest.mark.parametrize("name", FERN)
def test_fern_names_are_short_distinct_and_merged(name: str, tmp_path: Path) -> None:
    document = load_document(unpack(name, tmp_path))
    api = extract(document)
    names = name_models(api.schemas, RenameMap({}))
    schema_set = build_schema_set(api, names, name_operations(api))
    too_long = sorted(model for model in schema_set.models if len(model) > MAX_LENGTH)
    assert not too_long, f"{len(too_long)} names over {MAX_LENGTH} characters: {too_long[:5]}"
    classes = structural_classes(api.schemas)
    # No two distinct schemas share a name.
    for model in set(names.by_key.values()):
        assert len({classes[key] for key in names.keys_of(model)}) == 1, model
    # Identical machine-named schemas with real content are one model.
    by_class: dict[int, set[str]] = {}
    for key, model in names.by_key.items():
        schema = api.schemas[key]
        substantial = isinstance(schema, dict) and bool(schema.get("properties"))
        if substantial and not is_exact(key):
            by_class.setdefault(classes[key], set()).add(model)
    split = {cls: models for cls, models in by_class.items() if len(models) > 1}
    assert not split, f"identical schemas under several names: {list(split.values())[:3]}"


@pytest.fixture(scope="module")
def generated_packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The representative documents, generated into one folder of packages."""
    folder = tmp_path_factory.mktemp("corpus")
    for name, lenient in GENERATED:
        spec = unpack(name, folder)
        package = package_of(name)
        config = client_config(
            name=package,
            spec=spec,
            package=package,
            output=folder / package,
            validation="lenient" if lenient else "strict",
        )
        write_tree(config.output, generate(config).files)
    yield folder


def test_packages_import_and_their_clients_construct(generated_packages: Path) -> None:
    script = "\n".join(
        [
            "import importlib",
            "for package, base in PACKAGES:",
            "    module = importlib.import_module(package)",
            "    for name in (base, 'Async' + base, 'Typed' + base):",
            "        getattr(module, name)(api_key='key', base_url='http://127.0.0.1:9')",
            "print('ok')",
        ]
    )
    packages = [
        (package_of(name), "".join(part.capitalize() for part in package_of(name).split("_"))) for name, _ in GENERATED
    ]
    result = subprocess.run(
        [sys.executable, "-c", f"PACKAGES = {packages!r}\n{script}"],
        cwd=generated_packages,
        env={**os.environ, "PYTHONPATH": str(generated_packages)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and "ok" in result.stdout, result.stderr


def test_every_resource_property_resolves_its_type_hints(generated_packages: Path) -> None:
    """``typing.get_type_hints`` on every resource property of every client class, before any resource is used."""
    packages = [package_of(name) for name, _ in GENERATED]
    verdict = property_hints(generated_packages, packages)
    assert verdict["failed"] == [], verdict["failed"][:10]
    assert verdict["loaded"] == []
    assert verdict["checked"] == resource_properties(generated_packages, packages) > 0


def test_packages_pass_mypy_strict(generated_packages: Path) -> None:
    packages = [arg for name, _ in GENERATED for arg in ("-p", package_of(name))]
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(generated_packages / ".mypy_cache"), *packages],
        cwd=generated_packages,
        env={**os.environ, "MYPYPATH": str(generated_packages)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:]


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_invalid_documents_stop_with_one_located_line(name: str, tmp_path: Path) -> None:
    spec = unpack(name, tmp_path)
    output = tmp_path / "out"
    result = run_cli("generate", str(spec), "--package", "refused", "--output", str(output))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    line = result.stderr.strip()
    assert "\n" not in line
    assert line.startswith(f"clientgen: error: {spec}:"), line
    assert "(/" in line, "the line names a JSON pointer"
    assert REFUSED[name] in line
    assert not output.exists()


def test_lenient_mode_prints_each_problem_with_its_location(tmp_path: Path) -> None:
    spec = unpack("smallestai.json.gz", tmp_path)
    strict = run_cli("generate", str(spec), "--package", "smallestai", "--output", str(tmp_path / "strict"))
    assert strict.returncode == 2 and "--lenient generates anyway" in strict.stderr
    assert not (tmp_path / "strict").exists()
    lenient = run_cli(
        "generate", str(spec), "--package", "smallestai", "--output", str(tmp_path / "lenient"), "--lenient"
    )
    assert lenient.returncode == 0, lenient.stderr
    warnings = [line for line in lenient.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 3
    assert all(line.startswith(f"warning: {spec}:1 (/components/schemas") for line in warnings)


def test_ignore_list_silences_specific_problems(tmp_path: Path) -> None:
    document = load_document(unpack("smallestai.json.gz", tmp_path))
    assert validate(document, "strict", ignore=["does not match '^[a-zA-Z0-9._-]+$'"]) == []
    assert validate(document, "strict", ignore=["/components/schemas"]) == []


def test_suggested_rename_map_reproduces_the_automatic_names(tmp_path: Path) -> None:
    spec = unpack("murf.json.gz", tmp_path)
    config = client_config(name="murf", spec=spec, package="murf", output=tmp_path / "out")
    analysis = analyse(config)
    text = suggest_rename_map(analysis.api, analysis.operation_names, analysis.model_names, spec.name)
    assert "# used by text_to_speech.stream (POST /v1/speech/stream) body" in text
    renames = tmp_path / "renames.yaml"
    renames.write_text(text)
    mapped = name_models(analysis.api.schemas, parse_rename_map(load_document_data(renames)))
    assert dict(mapped.by_key) == dict(analysis.model_names.by_key)
    result = run_cli("renames", "suggest", str(spec))
    assert result.returncode == 0 and result.stdout == text.replace(spec.name, str(spec), 1)


def load_document_data(path: Path) -> Any:
    from generator.load import load_data_file

    return load_data_file(path)


def test_json_in_a_file_named_yaml_is_read_as_json(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        json.dumps(
            {"openapi": "3.1.0", "info": {"title": "T \ud83d\udc4d", "version": "1"}, "paths": {}}, ensure_ascii=True
        )
    )
    assert "\\ud83d" in spec.read_text()
    assert load_document(spec).data["info"]["title"] == "T \U0001f44d"
