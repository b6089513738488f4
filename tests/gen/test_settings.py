"""The configuration declared once (``ClientConfig``'s fields): round trips, the JSON Schema, the README's table."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from support.declared_docs import SCHEMA_FILE, fragments
from support.paths import ROOT

from generator.cli import main
from generator.config import SETTINGS, load_project, package_config
from generator.config_forms import json_schema
from generator.init import InitPlan, toml_block, yaml_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

#: A value other than the default for every declared setting, all valid together for spec/shop.yaml.
SAMPLES: dict[str, Any] = {
    "name": "shop-sample",
    "spec": "spec/shop.yaml",
    "renames": "spec/shop.renames.yaml",
    "package": "shop_sample",
    "output": "vendor/shop_sample",
    "client_class": "ShopClient",
    "async_client_class": "AsyncShopClient",
    "typed_client_class": "TypedShopClient",
    "async_typed_client_class": "AsyncTypedShopClient",
    "env_prefix": "shopx",
    "http_module": "httpx",
    "validation": "lenient",
    "idempotency_keys": "unsafe",
    "ignore_validation": ["/paths/~1v1~1legacy"],
    "environments": {"production": "https://api.shop.example/", "local": "http://localhost:8787"},
    "operations": {"GetFilesFileContent": "files.download", "GET /v1/products": "catalogue.list"},
    "project": {"name": "shop-sample-client", "version": "1.2.3"},
    "pagination": {
        "GetProducts": {"style": "cursor_id", "param": "starting_after", "items": "data", "has_more": ["has_more"]},
        "GetCustomersCustomerCards": False,
    },
    "ignore_files": ["README.md"],  # the publishable project's README is the user's
}


def test_every_declared_setting_has_a_sample() -> None:
    assert list(SAMPLES) == [setting.name for setting in SETTINGS]


@pytest.fixture(scope="module")
def sample_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sample")
    shutil.copytree(ROOT / "spec", root / "spec", ignore=shutil.ignore_patterns("clientgen.yaml"))
    (root / "spec" / "shop.renames.yaml").write_text("Card: PaymentCard\n")
    (root / "clientgen.yaml").write_text(yaml.safe_dump({"clients": [SAMPLES]}, sort_keys=False))
    assert main(["--config", str(root / "clientgen.yaml"), "-q", "generate", "--no-cache"]) == 0
    return root


@pytest.mark.slow  # sample_project generates a package
def test_every_setting_differs_from_its_default(sample_project: Path) -> None:
    configured = load_project(sample_project / "clientgen.yaml").clients[0]
    minimal = load_project_text(sample_project, {"spec": "spec/shop.yaml", "package": "shop_sample"})
    same = [
        setting.name
        for setting in SETTINGS
        if not setting.required and getattr(configured, setting.name) == getattr(minimal, setting.name)
    ]
    assert same == []


def load_project_text(root: Path, client: dict[str, Any]) -> Any:
    path = root / "minimal.yaml"
    path.write_text(yaml.safe_dump({"clients": [client]}))
    return load_project(path).clients[0]


@pytest.mark.slow  # sample_project generates a package
def test_every_declared_setting_round_trips_through_generate_and_check_dir(
    sample_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configured = load_project(sample_project / "clientgen.yaml").clients[0]
    package = sample_project / "vendor" / "shop_sample"
    recorded = package_config(package)
    for setting in SETTINGS:
        want, got = getattr(configured, setting.name), getattr(recorded, setting.name)
        if setting.path and want is not None:
            want, got = Path(want).resolve(), Path(got).resolve()
        assert got == want, setting.name
    assert recorded.describe() == configured.describe()
    capsys.readouterr()
    assert main(["check", "--no-cache", str(package)]) == 0
    assert "shop-sample: up to date" in capsys.readouterr().out
    assert "paginated: cursor_id starting_after (items: data)" in (package / "shop_sample" / "api.txt").read_text()
    assert 'has_more=("has_more",)' in (package / "shop_sample" / "resources" / "catalogue.py").read_text()


@pytest.mark.slow  # sample_project generates a package
def test_a_changed_setting_makes_check_dir_fail(sample_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The round trip is not vacuous: a package whose recorded settings differ from its files is stale."""
    package = sample_project / "vendor" / "shop_sample"
    copy = sample_project / "vendor" / "copy"
    shutil.copytree(package, copy)
    manifest = copy / "_manifest.json"
    record = json.loads(manifest.read_text())
    record["inputs"]["config"]["settings"]["client_class"] = "OtherShop"
    manifest.write_text(json.dumps(record))
    capsys.readouterr()
    assert main(["check", "--no-cache", str(copy)]) == 1


def test_a_manifest_with_a_bad_setting_is_a_located_error(
    sample_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = sample_project / "vendor" / "broken"
    shutil.copytree(sample_project / "vendor" / "shop_sample", copy)
    manifest = copy / "_manifest.json"
    manifest.write_text(manifest.read_text().replace('"http_module": "httpx"', '"http_module": "htpx"'))
    capsys.readouterr()
    assert main(["check", "--no-cache", str(copy)]) == 2
    error = capsys.readouterr().err
    assert re.search(r"_manifest\.json:\d+ \(/inputs/config/settings/http_module\): http_module: must be one of", error)


# --- the JSON Schema -----------------------------------------------------------------------------------------


def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_the_shipped_schema_is_the_declarations() -> None:
    assert json.loads(SCHEMA_FILE.read_text()) == json_schema(), "run python tests/update_goldens.py"


def readme_configurations() -> list[tuple[str, dict[str, Any]]]:
    text = (ROOT / "README.md").read_text()
    found: list[tuple[str, dict[str, Any]]] = []
    for lang, body in re.findall(r"```(yaml|toml)\n(.*?)```", text, re.DOTALL):
        if lang == "toml" and "[tool.clientgen]" in body:
            found.append(("README toml", tomllib.loads(body)["tool"]["clientgen"]))
        elif lang == "yaml" and body.lstrip().startswith(("clients:", "clientgen_version:")):
            found.append(("README yaml", yaml.safe_load(body)))
    return found


def repository_configurations() -> list[tuple[str, dict[str, Any]]]:
    found = [("spec/clientgen.yaml", yaml.safe_load((ROOT / "spec" / "clientgen.yaml").read_text()))]
    # The golden cases' config.yaml files are client entries.
    for path in sorted((ROOT / "tests" / "golden").glob("*/config.yaml")):
        entry = {"spec": "spec.yaml", "package": path.parent.name, **yaml.safe_load(path.read_text())}
        found.append((str(path.relative_to(ROOT)), {"clients": [entry]}))
    plan = InitPlan(ROOT, ROOT / "clientgen.yaml", "acme", "openapi.yaml", "acme.renames.yaml", "generated/acme", True)
    found.append(("init's clientgen.yaml", yaml.safe_load(yaml_text(plan))))
    found.append(("init's [tool.clientgen]", tomllib.loads(toml_block(plan))["tool"]["clientgen"]))
    found.append(("the sample of every setting", {"clients": [SAMPLES]}))
    return found


def test_the_schema_accepts_every_configuration_in_the_repository_and_the_readme() -> None:
    configurations = repository_configurations() + readme_configurations()
    assert len(configurations) >= 10
    check = validator()
    for where, configuration in configurations:
        errors = [error.message for error in check.iter_errors(configuration)]
        assert errors == [], where
        if where.startswith(("spec/", "README", "init")):
            assert load_project_from(configuration) is not None, where


def load_project_from(configuration: dict[str, Any]) -> Any:
    """The loader agrees with the schema on these (paths need not exist to be read)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "clientgen.yaml"
        path.write_text(yaml.safe_dump(configuration))
        return load_project(path)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda client: client.update(paginaton={}), "clients/0"),
        (lambda client: client.update(http_module="htpx"), "clients/0/http_module"),
        (lambda client: client["pagination"]["GetProducts"].update(stlye="cursor"), "clients/0/pagination/GetProducts"),
        (lambda client: client.update(package="my-package"), "clients/0/package"),
    ],
)
def test_the_schema_refuses_a_misspelled_key_or_value(change: Any, path: str) -> None:
    client = json.loads(json.dumps(SAMPLES))
    change(client)
    errors = list(validator().iter_errors({"clients": [client]}))
    paths = []
    while errors:  # with the errors inside anyOf's branches
        error = errors.pop()
        paths.append("/".join(map(str, error.absolute_path)))
        errors.extend(error.context or ())
    assert any(found.startswith(path) for found in paths), paths


def test_the_readme_fragments_are_the_declarations() -> None:
    text = (ROOT / "README.md").read_text()
    for name, content in fragments().items():
        begin = text.index(f"<!-- {name}:")
        begin = text.index("-->\n", begin) + 4
        end = text.index(f"<!-- end of {name} -->")
        assert text[begin:end] == content, f"the README's {name} is stale: run python tests/update_goldens.py"
