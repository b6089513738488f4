"""Hand edits survive regeneration: merged three-way, recorded, checked, listed, shown, dropped, or owned.

Each test works on a copy of one small project (``spec/shop.yaml`` generated into
``generated/shop``), run through the command line in-process. Merges are compared
with ``git merge-file`` (git's own three-way merge) where git is installed.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.paths import ROOT

from generator.cli import main

HAS_GIT = shutil.which("git") is not None
needs_git = pytest.mark.skipif(not HAS_GIT, reason="git is not installed")

CONFIG = "clients:\n  - name: shop\n    spec: openapi.yaml\n    package: shop\n    output: generated/shop\n"
HELPER = '''

def first_product_name(client: Products) -> str:
    """The first product's name: our helper."""
    return next(iter(client.list(limit=1))).name
'''


def run(*args: str, cwd: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(list(args))
    finally:
        os.chdir(previous)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture(scope="session")
def generated_shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shop-template")
    shutil.copy(ROOT / "spec" / "shop.yaml", root / "openapi.yaml")
    (root / "clientgen.yaml").write_text(CONFIG)
    status, _, err = run("generate", cwd=root)
    assert status == 0, err
    return root


@pytest.fixture
def shop(generated_shop: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(generated_shop, root)
    return root


def _git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def products(root: Path) -> Path:
    return root / "generated" / "shop" / "resources" / "products.py"


def edit_spec(root: Path, old: str, new: str) -> None:
    spec = root / "openapi.yaml"
    text = spec.read_text()
    assert old in text
    spec.write_text(text.replace(old, new, 1))


def edit_products(root: Path) -> str:
    """A helper appended, and a docstring changed in the middle of the module; returns the edited text."""
    path = products(root)
    text = path.read_text().replace('"""Retrieve a product"""', '"""Retrieve a product (cached on our side)"""', 1)
    path.write_text(text + HELPER)
    return path.read_text()


def manifest(root: Path) -> dict[str, object]:
    loaded: dict[str, object] = json.loads((root / "generated" / "shop" / "_manifest.json").read_text())
    return loaded


@contextlib.contextmanager
def fresh_cache(tmp_path: Path) -> Iterator[None]:
    """No cache from earlier runs: as in a fresh CI job."""
    before = os.environ["CLIENTGEN_CACHE_DIR"]
    os.environ["CLIENTGEN_CACHE_DIR"] = str(tmp_path / "empty-cache")
    try:
        yield
    finally:
        os.environ["CLIENTGEN_CACHE_DIR"] = before


def test_an_edit_survives_an_unchanged_regeneration_and_a_spec_change_in_the_same_module(shop: Path) -> None:
    pristine = products(shop).read_text()
    edited = edit_products(shop)
    status, out, _ = run("check", cwd=shop)
    assert status == 1
    assert "edited by hand: generated/shop/resources/products.py (not recorded" in out

    status, out, _ = run("generate", cwd=shop)
    assert status == 0, out
    assert "kept your edit of generated/shop/resources/products.py (+6 -1 lines), recorded in" in out
    assert products(shop).read_text() == edited
    patch = shop / "generated" / "shop" / "_customisations" / "resources" / "products.py.patch"
    assert patch.read_text().startswith("--- a/resources/products.py\n+++ b/resources/products.py\n")
    status, out, _ = run("check", cwd=shop)
    assert status == 0 and "shop: up to date" in out and "customised: resources/products.py" in out

    # The spec changes the same module (another method's docstring): the edit is merged into the new output.
    edit_spec(shop, "summary: List products", "summary: List every product")
    status, out, _ = run("check", cwd=shop)
    assert status == 1 and "stale: generated/shop/resources/products.py (customised:" in out
    assert "_customisations" not in out and "_manifest.json" not in out  # the file's line says why they change
    status, out, _ = run("generate", cwd=shop)
    assert status == 0, out
    merged = products(shop).read_text()
    assert "List every product" in merged and "List products" not in merged
    assert "(cached on our side)" in merged and merged.endswith(HELPER)
    compile(merged, "products.py", "exec")
    assert run("check", cwd=shop)[0] == 0
    # Regenerating again, without the cache, changes no byte: the merge and its record are deterministic.
    before = {path: path.read_bytes() for path in (shop / "generated").rglob("*") if path.is_file()}
    assert run("generate", "--no-cache", cwd=shop)[0] == 0
    assert {path: path.read_bytes() for path in (shop / "generated").rglob("*") if path.is_file()} == before
    if HAS_GIT:  # git's own three-way merge of the same three texts agrees
        new_pristine = pristine.replace("List products", "List every product")
        assert _git_merge(shop, pristine, edited, new_pristine) == (merged, 0)


def _git_merge(where: Path, base: str, ours: str, theirs: str) -> tuple[str, int]:
    folder = where / ".merge"
    folder.mkdir(exist_ok=True)
    for name, text in (("base", base), ("ours", ours), ("theirs", theirs)):
        (folder / name).write_text(text)
    result = subprocess.run(
        ["git", "merge-file", "-p", "ours", "base", "theirs"], cwd=folder, capture_output=True, text=True
    )
    shutil.rmtree(folder)
    return result.stdout, result.returncode


def test_api_txt_and_the_manifest_name_what_a_customisation_adds_and_changes(shop: Path) -> None:
    edit_products(shop)
    path = products(shop)
    path.write_text(path.read_text().replace("    def get(\n", "    def get(  # ours\n", 1))
    assert run("generate", cwd=shop)[0] == 0
    api = (shop / "generated" / "shop" / "api.txt").read_text()
    section = api.split("\ncustomised by hand", 1)[1]
    assert "    resources/products.py: +7 -2 lines\n" in section
    assert "        added first_product_name(client: Products) -> str\n" in section
    assert "        changed AsyncProducts.get" not in section  # only the sync class's docstring changed
    assert "        changed Products.get\n" in section
    record = manifest(shop)["customisations"]["resources/products.py"]  # type: ignore[index]
    assert record["names"] == {"added": ["first_product_name"], "changed": ["Products.get"], "removed": []}
    assert record["patch"] == "_customisations/resources/products.py.patch"
    assert record["lines"] == {"added": 7, "removed": 2}


def test_a_conflicting_edit_stops_with_exit_1_keeps_your_text_and_a_run_after_resolving_continues(shop: Path) -> None:
    path = products(shop)
    path.write_text(path.read_text().replace('"""List products', '"""List products, ours', 1))
    assert run("generate", cwd=shop)[0] == 0  # recorded
    edit_spec(shop, "summary: List products", "summary: List all products")
    status, out, _ = run("generate", cwd=shop)
    assert status == 1
    assert "conflict: generated/shop/resources/products.py:" in out
    text = path.read_text()
    assert (
        '<<<<<<< yours\n        """List products, ours\n=======\n        """List all products\n>>>>>>> generated\n'
        in text
    )
    assert manifest(shop)["customisations"]["resources/products.py"]["conflict"] is True  # type: ignore[index]
    # Unresolved: check fails, and generate refuses to go on without writing anything.
    status, out, _ = run("check", cwd=shop)
    assert status == 1 and "still has conflict markers" in out
    before = path.read_bytes()
    status, _, err = run("generate", cwd=shop)
    assert status == 1 and "still has conflict markers" in err and "nothing was written" in err
    assert path.read_bytes() == before
    # Resolved by hand: the next run records the resolution.
    resolved = text.replace(
        '<<<<<<< yours\n        """List products, ours\n=======\n        """List all products\n>>>>>>> generated\n',
        '        """List all products, ours\n',
    )
    path.write_text(resolved)
    status, out, _ = run("generate", cwd=shop)
    assert status == 0, out
    assert path.read_text() == resolved
    assert "conflict" not in manifest(shop)["customisations"]["resources/products.py"]  # type: ignore[index]
    assert run("check", cwd=shop)[0] == 0


@needs_git
def test_a_fresh_clone_with_no_cache_keeps_the_edit_through_a_spec_change(shop: Path, tmp_path: Path) -> None:
    edit_products(shop)
    assert run("generate", cwd=shop)[0] == 0
    _git(shop, "init", "-q", "-b", "main")
    _git(shop, "add", "-A")
    _git(shop, "commit", "-q", "-m", "customised client")
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "-q", str(shop), str(clone))
    with fresh_cache(tmp_path):
        assert run("check", "--no-cache", cwd=clone)[0] == 0
        edit_spec(clone, "summary: List products", "summary: List every product")
        status, out, _ = run("generate", "--no-cache", cwd=clone)
        assert status == 0, out
        merged = products(clone).read_text()
        assert "List every product" in merged and "(cached on our side)" in merged and merged.endswith(HELPER)
        assert run("check", "--no-cache", cwd=clone)[0] == 0


@needs_git
def test_an_edit_committed_without_recording_is_merged_with_its_base_from_git(shop: Path, tmp_path: Path) -> None:
    _git(shop, "init", "-q", "-b", "main")
    _git(shop, "add", "-A")
    _git(shop, "commit", "-q", "-m", "generated")
    edited = edit_products(shop)
    _git(shop, "commit", "-q", "-am", "a helper, not recorded")
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "-q", str(shop), str(clone))
    edit_spec(clone, "summary: List products", "summary: List every product")
    with fresh_cache(tmp_path):
        status, out, _ = run("generate", "--no-cache", cwd=clone)
    assert status == 0, out
    assert products(clone).read_text() == edited.replace("List products", "List every product")


def test_an_edit_never_recorded_is_merged_through_a_spec_change_without_git(shop: Path) -> None:
    edited = edit_products(shop)  # not recorded, no git, no cache
    edit_spec(shop, "summary: List products", "summary: List every product")
    status, out, _ = run("generate", "--no-cache", cwd=shop)
    assert status == 0, out
    assert products(shop).read_text() == edited.replace("List products", "List every product")
    # Edited again after it was recorded (inside the recorded helper), and the spec changes get's summary, which
    # the recorded edit changed too: the base is still found, and the one overlap is a conflict.
    again = products(shop).read_text().replace("return next(iter(", "return next(iter(  # ours\n        ")
    products(shop).write_text(again)
    edit_spec(shop, "summary: Retrieve a product", "summary: Retrieve a product by id")
    status, out, _ = run("generate", "--no-cache", cwd=shop)
    assert status == 1 and "conflict: generated/shop/resources/products.py:" in out, out
    merged = products(shop).read_text()
    assert "return next(iter(  # ours" in merged and merged.count('"""Retrieve a product by id"""') == 2
    assert (
        '<<<<<<< yours\n        """Retrieve a product (cached on our side)"""\n=======\n'
        '        """Retrieve a product by id"""\n>>>>>>> generated\n'
    ) in merged


def test_an_edit_whose_base_is_gone_writes_nothing_and_says_how_to_go_on(shop: Path) -> None:
    edit_products(shop)  # not recorded, no git, and the spec changes the very line the edit changed
    edit_spec(shop, "summary: Retrieve a product", "summary: Retrieve one product")
    before = {path: path.read_bytes() for path in (shop / "generated").rglob("*") if path.is_file()}
    status, _, err = run("generate", cwd=shop)
    assert status == 1
    assert "generated/shop/resources/products.py: edited by hand, and the generated version" in err
    assert "customisations drop" in err
    assert {path: path.read_bytes() for path in (shop / "generated").rglob("*") if path.is_file()} == before
    # Dropping the edit is the way out when the user does not want it.
    status, out, _ = run("customisations", "drop", "generated/shop/resources/products.py", cwd=shop)
    assert status == 0, out
    assert "Retrieve one product" in products(shop).read_text() and HELPER not in products(shop).read_text()


def test_an_ignored_file_is_never_touched(shop: Path) -> None:
    (shop / "clientgen.yaml").write_text(CONFIG + "    ignore_files: [resources/files.py]\n")
    files = shop / "generated" / "shop" / "resources" / "files.py"
    files.write_text("# ours entirely\n")
    os.utime(files, (1_000_000_000, 1_000_000_000))
    edit_spec(shop, "summary: Download a file", "summary: Download one file")  # changes resources/files.py
    status, out, err = run("generate", cwd=shop)
    assert status == 0, out + err
    assert files.read_text() == "# ours entirely\n" and files.stat().st_mtime == 1_000_000_000
    assert "Download one file" in (shop / "generated" / "shop" / "typed_resources" / "files.py").read_text()
    recorded = manifest(shop)
    assert recorded["ignored"] == ["resources/files.py"]
    assert "resources/files.py" not in recorded["files"]  # type: ignore[operator]
    assert run("check", cwd=shop)[0] == 0
    files.write_text("# changed again\n")
    assert run("check", cwd=shop)[0] == 0
    assert run("generate", cwd=shop)[0] == 0 and files.read_text() == "# changed again\n"
    status, out, _ = run("customisations", "list", cwd=shop)
    assert status == 0 and "ignored (yours): generated/shop/resources/files.py" in out


def test_an_ignored_file_that_does_not_exist_is_written_once(shop: Path) -> None:
    (shop / "clientgen.yaml").write_text(CONFIG + "    ignore_files: ['typed_resources/*']\n")
    folder = shop / "generated" / "shop" / "typed_resources"
    (folder / "files.py").unlink()
    assert run("generate", cwd=shop)[0] == 0
    assert "class Files" in (folder / "files.py").read_text()
    (folder / "files.py").write_text("# ours\n")
    edit_spec(shop, "summary: Download a file", "summary: Download one file")
    assert run("generate", cwd=shop)[0] == 0
    assert (folder / "files.py").read_text() == "# ours\n"


@pytest.mark.parametrize(
    ("pattern", "message"),
    [("_manifest.json", "would take _manifest.json"), ("../x", "inside the output"), ("/abs", "inside the output")],
)
def test_the_ignore_list_refuses_what_clientgen_needs(shop: Path, pattern: str, message: str) -> None:
    (shop / "clientgen.yaml").write_text(CONFIG + f"    ignore_files: [{json.dumps(pattern)}]\n")
    status, _, err = run("generate", cwd=shop)
    assert status == 2 and message in err and "clientgen.yaml:" in err


def test_list_show_and_drop(shop: Path) -> None:
    edit_products(shop)
    status, out, _ = run("customisations", "list", cwd=shop)
    assert status == 0 and "edited, not recorded yet: generated/shop/resources/products.py" in out
    status, out, _ = run("customisations", "show", cwd=shop)
    assert status == 0 and "not recorded yet" in out and "+def first_product_name" in out
    assert run("generate", cwd=shop)[0] == 0
    status, out, _ = run("customisations", "list", "shop", cwd=shop)
    assert "customised: generated/shop/resources/products.py (+6 -1 lines;" in out
    assert "    added first_product_name" in out and "    changed Products.get" in out
    status, out, _ = run("customisations", "show", "generated/shop/resources/products.py", cwd=shop)
    patch = (shop / "generated" / "shop" / "_customisations" / "resources" / "products.py.patch").read_text()
    assert status == 0 and out == patch
    status, _, err = run("customisations", "drop", "generated/shop/models.py", cwd=shop)
    assert status == 2 and "has no customisation to drop" in err
    status, out, _ = run("customisations", "drop", "generated/shop/resources/products.py", cwd=shop)
    assert status == 0 and "dropped your edit of generated/shop/resources/products.py" in out
    assert "first_product_name" not in products(shop).read_text()
    assert "customisations" not in manifest(shop)
    assert not (shop / "generated" / "shop" / "_customisations").exists()
    assert "customised by hand" not in (shop / "generated" / "shop" / "api.txt").read_text()
    assert run("check", cwd=shop)[0] == 0


def test_a_customised_file_that_is_no_longer_generated_is_left_to_you(shop: Path) -> None:
    path = shop / "generated" / "shop" / "resources" / "files.py"
    path.write_text(path.read_text() + "\n# ours\n")
    assert run("generate", cwd=shop)[0] == 0
    spec = shop / "openapi.yaml"
    text = spec.read_text()
    start = text.index("  /v1/files/{file}/content:")
    end = text.index("\n  /", start + 1) if "\n  /" in text[start + 1 :] else text.index("\ncomponents:")
    spec.write_text(text[:start] + text[end + 1 :])
    (shop / "clientgen.yaml").write_text(CONFIG)
    status, out, _ = run("generate", cwd=shop)
    assert status == 1 and "kept generated/shop/resources/files.py: it is no longer generated" in out
    assert path.read_text().endswith("\n# ours\n")
    assert "resources/files.py" not in manifest(shop)["files"]  # type: ignore[operator]
    assert run("generate", cwd=shop)[0] == 0 and path.exists()


def test_diff_warns_when_a_spec_change_reaches_a_customised_name(shop: Path) -> None:
    path = products(shop)
    path.write_text(path.read_text().replace('"""List products', '"""List products, ours', 1))
    assert run("generate", cwd=shop)[0] == 0
    shutil.copy(shop / "openapi.yaml", shop / "old.yaml")
    edit_spec(
        shop,
        "        - {name: starting_after,",
        "        - {name: sort, in: query, schema: {type: string}}\n        - {name: starting_after,",
    )
    status, out, err = run("diff", "old.yaml", "openapi.yaml", "--client", "shop", cwd=shop)
    assert status == 0, err
    assert "products.list" in out
    assert (
        "warning: shop: resources/products.py is customised by hand (Products.list), and the changes to "
        "products.list(sort) reach it" in err
    )
    edit_spec(shop, "summary: Download a file", "summary: Download one file")  # reaches no customised name
    shutil.copy(shop / "openapi.yaml", shop / "old.yaml")
    status, _, err = run("diff", "old.yaml", "openapi.yaml", "--client", "shop", cwd=shop)
    assert status == 0 and "customised by hand" not in err


def test_a_manifest_never_leads_outside_the_package(shop: Path) -> None:
    outside = shop / "outside.txt"
    outside.write_text("not clientgen's\n")
    path = shop / "generated" / "shop" / "_manifest.json"
    document = json.loads(path.read_text())
    document["files"]["../../outside.txt"] = "0" * 64  # as if edited: generate would merge or remove it
    path.write_text(json.dumps(document))
    before = path.read_bytes()
    # Neither merged nor removed: the customisation layer skips it, and writing refuses the whole manifest (write.py).
    status, out, err = run("generate", cwd=shop)
    assert status == 2 and "refusing to write '../../outside.txt': it is outside" in err, out + err
    assert outside.read_text() == "not clientgen's\n"
    assert path.read_bytes() == before


def test_the_commands_work_on_a_package_generated_from_a_bare_spec(tmp_path: Path) -> None:
    shutil.copy(ROOT / "spec" / "shop.yaml", tmp_path / "shop.yaml")
    status, _, err = run("generate", "shop.yaml", "--package", "shop", "--output", "vendor/shop", cwd=tmp_path)
    assert status == 0, err
    path = tmp_path / "vendor" / "shop" / "client.py"
    path.write_text(path.read_text() + "# ours\n")
    assert run("check", "vendor/shop", cwd=tmp_path)[0] == 1
    status, out, err = run("generate", "shop.yaml", "--package", "shop", "--output", "vendor/shop", cwd=tmp_path)
    assert status == 0 and "kept your edit of vendor/shop/client.py" in out, out + err
    assert run("check", "vendor/shop", cwd=tmp_path)[0] == 0
    status, out, _ = run("customisations", "list", "vendor/shop", cwd=tmp_path)
    assert status == 0 and "customised: vendor/shop/client.py (+1 -0 lines;" in out
    status, out, _ = run("customisations", "show", "vendor/shop/client.py", cwd=tmp_path)
    assert status == 0 and out.endswith("+# ours\n")


def test_check_names_the_customised_file_not_the_patch_that_changes_with_it(shop: Path) -> None:
    path = products(shop)
    path.write_text(path.read_text().replace("limit: How many products", "limit: How many products (we use 10)", 1))
    assert run("generate", cwd=shop)[0] == 0
    edit_spec(shop, "summary: List products", "summary: List every product")  # two lines above the edit
    status, out, _ = run("check", cwd=shop)
    assert status == 1 and "stale: generated/shop/resources/products.py (customised:" in out
    assert "_customisations" not in out
    status, out, _ = run("generate", cwd=shop)
    assert status == 0, out
    text = path.read_text()
    assert '"""List every product\n\n        Args:\n            limit: How many products (we use 10)' in text


def test_a_customised_model_in_the_lazy_layout_is_reached_like_one_in_models_py() -> None:
    from generator.customisations import _reached

    for path in ("models.py", "_models_2.py", "_models/pet.py", "_types/pet.py", "pkg/_models/pet.py"):
        assert _reached(path, ["Pet.name", "Owner"], "Pet.name") == ["Pet.name"], path
    assert _reached("resources/pet.py", ["Pet.name"], "Pet.name") == []
