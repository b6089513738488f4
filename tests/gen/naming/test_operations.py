"""Method names: resource words dropped, conventional verbs, nested resources, the ``operations:`` map."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from support.paths import ROOT

from generator.cli import main
from generator.errors import ClientgenError, Location
from generator.extract import extract
from generator.load import parse_document
from generator.naming.operations import OperationsMap, name_operations

SPEC = ROOT / "tests" / "golden" / "method_names" / "spec.yaml"


def names(spec: dict[str, Any] | None = None, overrides: dict[str, str] | None = None) -> dict[str, str]:
    text = yaml.safe_dump(spec) if spec is not None else SPEC.read_text()
    api = extract(parse_document(text, "spec.yaml"))
    located = {key: Location("config.yaml", index + 1) for index, key in enumerate(overrides or {})}
    return {key: name.dotted for key, name in name_operations(api, OperationsMap(overrides or {}, located)).items()}


def test_a_method_drops_the_words_of_its_resource() -> None:
    found = names()
    assert found["POST /pets"] == "pets.create"  # createPet
    assert found["GET /pets"] == "pets.list"  # listPets


def test_path_spelled_operation_ids_get_conventional_verbs() -> None:
    found = names()
    assert found["GET /v1/customers"] == "customers.list"  # GetCustomers
    assert found["GET /v1/customers/{customer}"] == "customers.get"
    assert found["POST /v1/customers/{customer}"] == "customers.update"  # Stripe updates with POST
    assert found["DELETE /v1/customers/{customer}"] == "customers.delete"
    assert found["POST /v1/charges/{charge}/capture"] == "charges.capture"  # an action on an item


def test_a_sub_collection_with_several_endpoints_is_a_nested_resource() -> None:
    found = names()
    assert found["GET /v1/customers/{customer}/cards"] == "customers.cards.list"
    assert found["GET /v1/customers/{customer}/cards/{id}"] == "customers.cards.get"
    assert found["POST /v1/customers/{customer}/cards"] == "customers.cards.create"
    # A namespace's collection: Stripe's /v1/terminal/readers.
    assert found["GET /v1/terminal/readers"] == "terminal.readers.get"
    assert found["DELETE /v1/terminal/readers/{reader}"] == "terminal.readers.delete"
    # A single action under an item stays on its resource.
    assert found["POST /pets/{petId}/adopt"] == "pets.adopt"


def _spec(*paths: tuple[str, str, str | None]) -> dict[str, Any]:
    result: dict[str, Any] = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}
    for method, path, operation_id in paths:
        operation: dict[str, Any] = {"responses": {"200": {"description": "OK"}}}
        if operation_id:
            operation["operationId"] = operation_id
        params = [
            {"name": part.strip("{}"), "in": "path", "required": True, "schema": {"type": "string"}}
            for part in path.split("/")
            if part.startswith("{")
        ]
        if params:
            operation["parameters"] = params
        result["paths"].setdefault(path, {})[method] = operation
    return result


def test_a_read_action_and_a_collection_behind_several_parameters() -> None:
    found = names(
        _spec(
            ("get", "/v1/customers/search", None),
            ("get", "/repos/{owner}/{repo}/branches", "repos/list-branches"),
            ("get", "/repos/{owner}/{repo}/branches/{branch}/protection", "repos/get-branch-protection"),
        )
    )
    assert found["GET /v1/customers/search"] == "customers.search"
    assert found["GET /repos/{owner}/{repo}/branches"] == "repos.branches.list"
    assert found["GET /repos/{owner}/{repo}/branches/{branch}/protection"] == "repos.branches.get_protection"


def test_fastapi_default_operation_ids_lose_their_path_and_method() -> None:
    found = names(
        _spec(
            ("post", "/public/generations", "generate_asset_public_generations_post"),
            ("get", "/items/{item_id}", "read_item_items__item_id__get"),
        )
    )
    assert found["POST /public/generations"] == "public.generate_asset"
    assert found["GET /items/{item_id}"] == "items.read"


def test_names_that_would_collide_after_trimming_keep_their_words() -> None:
    found = names(_spec(("get", "/pets", "listPets"), ("get", "/pets/all", "list")))
    assert sorted(found.values()) == ["pets.list", "pets.list_pets"]


def test_the_operations_map_renames_and_moves_methods() -> None:
    found = names(overrides={"createPet": "pets.add", "GET /v1/customers/{customer}/cards": "cards.all"})
    assert found["POST /pets"] == "pets.add"
    assert found["GET /v1/customers/{customer}/cards"] == "cards.all"


def test_a_stale_operations_entry_is_a_located_error() -> None:
    with pytest.raises(ClientgenError) as error:
        names(overrides={"createPet": "pets.add", "removePet": "pets.remove"})
    assert "stale operations entry 'removePet'" in str(error.value)
    assert str(error.value).startswith("config.yaml:2:")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"createPet": "pets.add", "listPets": "pets.add"}, "pets.add is already the name of 'createPet'"),
        ({"showPetById": "pets.list"}, "pets.list is already the name of GET /pets"),
        ({"createPet": "pets.class"}, "'class' reads as a Python keyword or constant"),
        ({"createPet": "api_key"}, "the client already has 'api_key'"),
        ({"createPet": "pets..add"}, "'' is not a lowercase Python name"),
        ({"createPet": "a.b.c.add"}, "must read 'method', 'resource.method'"),
        ({"createPet": "customers.cards"}, "customers.cards is a nested resource"),
    ],
)
def test_colliding_or_malformed_operations_entries_are_errors(overrides: dict[str, str], message: str) -> None:
    with pytest.raises(ClientgenError, match=message.replace(".", r"\.").replace("(", r"\(")):
        names(overrides=overrides)


def test_renames_suggest_prints_the_method_names(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["renames", "suggest", str(SPEC)]) == 0
    out = capsys.readouterr().out
    assert "#   createPet: pets.create  # POST /pets" in out
    assert "#   GetCustomersCustomerCardsId: customers.cards.get  # GET /v1/customers/{customer}/cards/{id}" in out
    yaml.safe_load(out)  # still a valid rename map


@pytest.mark.slow
def test_configured_operations_reach_the_generated_package(tmp_path: Path) -> None:
    config = tmp_path / "spec" / "clientgen.yaml"
    config.parent.mkdir()
    config.write_text(
        yaml.safe_dump(
            {
                "clients": [
                    {
                        "name": "shop",
                        "spec": str(SPEC),
                        "package": "shop",
                        "output": "out",
                        "operations": {"createPet": "pets.add"},
                    }
                ]
            }
        )
    )
    assert main(["--config", str(config), "generate"]) == 0
    assert "    add() -> None\n        POST /pets\n" in (tmp_path / "out" / "api.txt").read_text()
    config.write_text(
        yaml.safe_dump(
            {
                "clients": [
                    {
                        "name": "shop",
                        "spec": str(SPEC),
                        "package": "shop",
                        "output": "out",
                        "operations": {"nope": "pets.add"},
                    }
                ]
            }
        )
    )
    assert main(["--config", str(config), "generate"]) == 2


def test_the_words_qualifying_a_last_noun_go_with_it_unless_two_methods_would_clash() -> None:
    found = names(
        _spec(
            ("patch", "/repos/{owner}/{repo}/comments/{comment_id}", "repos/update-commit-comment"),
            ("get", "/repos/{owner}/{repo}/comments/{comment_id}", "repos/get-commit-comment"),
            ("delete", "/repos/{owner}/{repo}/comments/{comment_id}", "repos/delete-commit-comment"),
            ("put", "/orgs/{org}/secrets/{secret_name}", "orgs/create-or-update-org-secret"),
            ("get", "/orgs/{org}/secrets/{secret_name}", "orgs/get-org-secret"),
            ("get", "/repos/{owner}/{repo}/runs/{run_id}/jobs", "repos/list-jobs-for-workflow-run"),
            ("post", "/repos/{owner}/{repo}/runs/{run_id}/cancel", "repos/cancel-workflow-run"),
            ("get", "/orgs/{org}/keys/public", "orgs/get-public-key"),
            ("get", "/orgs/{org}/keys/private", "orgs/get-private-key"),
        )
    )
    assert found["PATCH /repos/{owner}/{repo}/comments/{comment_id}"] == "repos.comments.update"
    assert found["GET /repos/{owner}/{repo}/comments/{comment_id}"] == "repos.comments.get"
    assert found["PUT /orgs/{org}/secrets/{secret_name}"] == "orgs.secrets.create_or_update"  # a verb of three words
    assert found["GET /orgs/{org}/secrets/{secret_name}"] == "orgs.secrets.get"
    # Not qualifiers: the words after a preposition say what the method works on.
    assert found["GET /repos/{owner}/{repo}/runs/{run_id}/jobs"] == "repos.runs.list_jobs_for_workflow"
    assert found["POST /repos/{owner}/{repo}/runs/{run_id}/cancel"] == "repos.runs.cancel"
    # Both want `get`: each keeps the word that tells them apart.
    assert found["GET /orgs/{org}/keys/public"] == "orgs.keys.get_public"
    assert found["GET /orgs/{org}/keys/private"] == "orgs.keys.get_private"
