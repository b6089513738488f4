"""The spec's own names: framework noise out of operationIds, tags as paths, Fern's and Speakeasy's extensions.

The operationIds below are real ones, from Mistral's published spec (FastAPI and
module-path ids) and Ollama's (untagged one-word ids).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli import main
from generator.errors import ClientgenError
from generator.extract import extract
from generator.load import parse_document
from generator.naming.operation_ids import id_words
from generator.naming.operations import OperationsMap, name_operations
from generator.validate import find_problems

Endpoint = tuple[str, str, str | None, dict[str, Any]]  # method, path, operationId, more of the operation


def _spec(*endpoints: Endpoint) -> dict[str, Any]:
    result: dict[str, Any] = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}
    for method, path, operation_id, more in endpoints:
        operation: dict[str, Any] = {"responses": {"200": {"description": "OK"}}, **more}
        if operation_id:
            operation["operationId"] = operation_id
        params = [
            {"name": part.strip("{}"), "in": "path", "required": True, "schema": {"type": "string"}}
            for part in path.split("#")[0].split("/")
            if part.startswith("{")
        ]
        if params:
            operation["parameters"] = params
        result["paths"].setdefault(path, {})[method] = operation
    return result


def names(*endpoints: Endpoint) -> dict[str, str]:
    document = parse_document(yaml.safe_dump(_spec(*endpoints), sort_keys=False), "spec.yaml")
    api = extract(document)
    return {key: name.dotted for key, name in name_operations(api, locate=document.locate).items()}


def tagged(tag: str, **more: Any) -> dict[str, Any]:
    return {"tags": [tag], **more}


@pytest.mark.parametrize(
    ("operation_id", "method", "path", "expected"),
    [
        ("list_models_v1_models_get", "GET", "/v1/models", "list_models"),
        ("retrieve_model_v1_models__model_id__get", "GET", "/v1/models/{model_id}", "retrieve_model"),
        # A router mounted under a prefix: ``audio`` is in the path but not in the id's path part.
        ("audio_api_v1_transcriptions_post", "POST", "/v1/audio/transcriptions", "audio"),
        ("audio_api_v1_transcriptions_post_stream", "POST", "/v1/audio/transcriptions#stream", "audio_stream"),
        ("embeddings_v1_embeddings_post", "POST", "/v1/embeddings", "embeddings"),  # one word stays
        ("files_api_routes_upload_file", "POST", "/v1/files", "upload_file"),
        ("agents_api_v1_agents_create", "POST", "/v1/agents", "agents_create"),
        ("libraries_documents_list_v1", "GET", "/v1/libraries/{library_id}/documents", "libraries_documents_list"),
        ("getTop10Items", "GET", "/items/top", "get_top_10_items"),  # a number is not a version
        ("create_api_key", "POST", "/keys", "create_api_key"),  # ``api`` alone is a word
        ("listPets", "GET", "/pets", "list_pets"),
        # GitHub's ``{tag}/{verb}-{noun}``: the path and the method, but no FastAPI suffix.
        ("rate-limit/get", "GET", "/rate_limit", "rate_limit_get"),
        (
            "codes-of-conduct/get-all-codes-of-conduct",
            "GET",
            "/codes_of_conduct",
            "codes_of_conduct_get_all_codes_of_conduct",
        ),
        ("read_item_items__item_id__get", "GET", "/items/{item_id}", "read_item"),
    ],
)
def test_operation_ids_lose_what_their_framework_added(
    operation_id: str, method: str, path: str, expected: str
) -> None:
    assert "_".join(id_words(operation_id, method, path)) == expected


def test_fastapi_and_module_path_ids_read_like_a_hand_written_sdk() -> None:
    found = names(
        ("get", "/v1/models", "list_models_v1_models_get", tagged("models")),
        ("get", "/v1/models/{model_id}", "retrieve_model_v1_models__model_id__get", tagged("models")),
        ("post", "/v1/files", "files_api_routes_upload_file", tagged("files")),
        ("get", "/v1/files/{file_id}/url", "files_api_routes_get_signed_url", tagged("files")),
        ("get", "/v1/libraries", "libraries_list_v1", tagged("beta.libraries")),
        ("post", "/v1/audio/transcriptions", "audio_api_v1_transcriptions_post", tagged("audio.transcriptions")),
        (
            "post",
            "/v1/audio/transcriptions#stream",
            "audio_api_v1_transcriptions_post_stream",
            tagged("audio.transcriptions"),
        ),
    )
    assert found == {
        "GET /v1/models": "models.list",
        "GET /v1/models/{model_id}": "models.retrieve",
        "POST /v1/files": "files.upload",
        "GET /v1/files/{file_id}/url": "files.get_signed_url",
        "GET /v1/libraries": "beta.libraries.list",
        "POST /v1/audio/transcriptions": "audio.transcriptions.create",
        "POST /v1/audio/transcriptions#stream": "audio.transcriptions.stream",
    }


def test_a_method_that_only_repeats_its_resource_takes_the_conventional_verb() -> None:
    found = names(
        ("post", "/v1/embeddings", "embeddings_v1_embeddings_post", tagged("embeddings")),
        ("post", "/v1/ocr", "ocr_v1_ocr_post", tagged("ocr")),
        ("get", "/v1/status", "status", tagged("status")),
    )
    assert found == {
        "POST /v1/embeddings": "embeddings.create",
        "POST /v1/ocr": "ocr.create",
        "GET /v1/status": "status.get",
    }


def test_get_with_the_plural_noun_is_list_when_the_answer_is_a_list() -> None:
    listing = {
        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"type": "array"}}}}}
    }
    found = names(
        ("get", "/v1/batch/jobs", "jobs_api_routes_batch_get_batch_jobs", {**tagged("batch"), **listing}),
        ("get", "/v1/batch/jobs/{job_id}", "jobs_api_routes_batch_get_batch_job", tagged("batch")),
    )
    assert found == {"GET /v1/batch/jobs": "batch.jobs.list", "GET /v1/batch/jobs/{job_id}": "batch.jobs.get"}


def test_in_a_clash_the_conventional_owner_keeps_the_name() -> None:
    found = names(
        ("get", "/events/{event_id}", "get_event", tagged("events")),
        ("post", "/events/search", "get_events", tagged("events")),
    )
    assert found["GET /events/{event_id}"] == "events.get"
    assert found["POST /events/search"] == "events.get_events"


def test_tags_written_as_paths_nest_and_tags_with_spaces_are_one_name() -> None:
    found = names(
        ("get", "/v1/conversations", "agents_api_v1_conversations_list", tagged("beta.conversations")),
        ("get", "/v1/dubbing/jobs", "list", tagged("subpackage_dubbing.subpackage_dubbing/jobs")),
        ("get", "/zones/{zone_id}/ssl/recommendation", "get", tagged("SSL/TLS Mode Recommendation")),
        ("put", "/zones/{zone_id}/schema_validation", "update", tagged("API Shield Schema Validation 2.0")),
    )
    assert found == {
        "GET /v1/conversations": "beta.conversations.list",
        "GET /v1/dubbing/jobs": "dubbing.jobs.list",
        "GET /zones/{zone_id}/ssl/recommendation": "ssl_tls_mode_recommendation.get",
        "PUT /zones/{zone_id}/schema_validation": "api_shield_schema_validation_2_0.update",
    }


def test_fern_and_speakeasy_names_win() -> None:
    found = names(
        ("get", "/users", "listUsers", {"tags": ["people"], "x-fern-sdk-group-name": ["users", "admin"]}),
        ("post", "/users", "createUser", {"x-fern-sdk-group-name": "users", "x-fern-sdk-method-name": "invite"}),
        ("get", "/drinks", "listDrinks", {"x-speakeasy-group": "bar.drinks"}),
        ("get", "/drinks/{id}", "getDrink", {"x-speakeasy-group": "bar.drinks", "x-speakeasy-name-override": "fetch"}),
        # Both: Fern's wins.
        (
            "delete",
            "/drinks/{id}",
            "deleteDrink",
            {"x-fern-sdk-method-name": "remove", "x-speakeasy-name-override": "x"},
        ),
    )
    assert found == {
        "GET /users": "users.admin.list",
        "POST /users": "users.invite",
        "GET /drinks": "bar.drinks.list",
        "GET /drinks/{id}": "bar.drinks.fetch",
        "DELETE /drinks/{id}": "drinks.remove",
    }


@pytest.mark.parametrize(
    ("extensions", "message", "at"),
    [
        ({"x-fern-sdk-group-name": 3}, "must be a name or a list of names, not the number 3", ""),
        ({"x-fern-sdk-group-name": []}, "must list at least 1", ""),
        ({"x-fern-sdk-group-name": ["users", ""]}, "must be a name, not empty", "/1"),
        ({"x-speakeasy-group": "users..admin"}, "'users..admin' has an empty part between its dots", ""),
        ({"x-speakeasy-group": ["users"]}, "must be a name, not a list", ""),
        ({"x-fern-sdk-method-name": "!!!"}, "'!!!' has no letters or digits to make a name of", ""),
        ({"x-speakeasy-name-override": {"a": 1}}, "must be a name, not a mapping", ""),
    ],
)
def test_a_malformed_name_extension_is_a_located_validation_error(
    extensions: dict[str, Any], message: str, at: str
) -> None:
    document = parse_document(
        yaml.safe_dump(_spec(("get", "/users", "listUsers", extensions)), sort_keys=False), "spec.yaml"
    )
    (problem,) = find_problems(document)
    extension = next(iter(extensions))
    assert f"{extension}: {message}" in str(problem)
    assert str(problem).startswith("spec.yaml:") and f"(/paths/~1users/get/{extension}{at})" in str(problem)
    # Naming never sees a value that broke its rule (with --lenient, the extension is ignored).
    assert names(("get", "/users", "listUsers", extensions)) == {"GET /users": "users.list"}


def test_two_operations_the_authors_gave_one_name_is_an_error() -> None:
    with pytest.raises(
        ClientgenError, match=r"x-fern-sdk-method-name names GET /b users\.list, already the name of GET /a"
    ):
        names(
            ("get", "/a", None, {"x-fern-sdk-group-name": "users", "x-fern-sdk-method-name": "list"}),
            ("get", "/b", None, {"x-fern-sdk-group-name": "users", "x-fern-sdk-method-name": "list"}),
        )


def test_a_malformed_extension_stops_generation_with_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        yaml.safe_dump(_spec(("get", "/users", "listUsers", {"x-fern-sdk-group-name": 3})), sort_keys=False)
    )
    assert main(["generate", str(spec), "--package", "people", "--output", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1
    assert error[0].startswith(f"clientgen: error: {spec}:") and "x-fern-sdk-group-name" in error[0]
    assert not (tmp_path / "out").exists()


def test_an_untagged_endpoint_alone_under_the_word_it_is_named_after_is_a_method_of_the_client() -> None:
    found = names(
        ("post", "/api/chat", "chat", {}),
        ("post", "/api/embed", "embed", {}),
        ("post", "/api/copy", "copy", {}),  # the client has a copy(): the method takes the suffix
        ("get", "/api/tags", "list", {}),  # not named after its path word: stays a resource
        ("get", "/api/version", None, {}),  # no operationId: conventional
        ("post", "/v1/ocr", "ocr", tagged("ocr")),  # tagged: the authors asked for a resource
        ("get", "/api/jobs", "jobs", {}),  # not alone under its word
        ("delete", "/api/jobs/{id}", "delete_job", {}),
    )
    assert found == {
        "POST /api/chat": "chat",
        "POST /api/embed": "embed",
        "POST /api/copy": "copy_",
        "GET /api/tags": "tags.list",
        "GET /api/version": "version.get",
        "POST /v1/ocr": "ocr.create",
        "GET /api/jobs": "jobs.get",
        "DELETE /api/jobs/{id}": "jobs.delete",
    }


def test_the_operations_map_can_put_a_method_on_the_client() -> None:
    api = extract(
        parse_document(
            yaml.safe_dump(
                _spec(("get", "/pets", "listPets", tagged("pets")), ("post", "/pets", "createPet", tagged("pets")))
            ),
            "spec.yaml",
        )
    )
    found = name_operations(api, OperationsMap({"listPets": "all_pets"}))
    assert {key: name.dotted for key, name in found.items()} == {"GET /pets": "all_pets", "POST /pets": "pets.create"}
    with pytest.raises(ClientgenError, match="pets is a resource"):
        name_operations(api, OperationsMap({"listPets": "pets"}))


def test_a_resource_noun_a_prefix_repeats_goes_both_times() -> None:
    found = names(
        (
            "post",
            "/v1/fine_tuning/jobs",
            "jobs_api_routes_fine_tuning_create_fine_tuning_job",
            tagged("deprecated.fine-tuning"),
        ),
        ("get", "/accounts", "accounts-list-accounts", tagged("Accounts")),
        ("get", "/users/{username}/packages", "packages/list-packages-for-user", tagged("packages")),
    )
    assert found == {
        "POST /v1/fine_tuning/jobs": "deprecated.fine_tuning.create_job",
        "GET /accounts": "accounts.list",
        "GET /users/{username}/packages": "packages.list_for_user",
    }


def test_an_action_nested_from_the_path_keeps_its_name() -> None:
    found = names(
        ("put", "/gists/{gist_id}/star", "gists/star", tagged("gists")),
        ("delete", "/gists/{gist_id}/star", "gists/unstar", tagged("gists")),
        ("get", "/rate_limit", "rate-limit/get", tagged("rate-limit")),
    )
    assert found == {
        "PUT /gists/{gist_id}/star": "gists.star.star",
        "DELETE /gists/{gist_id}/star": "gists.star.unstar",
        "GET /rate_limit": "rate_limit.get",
    }


def test_endpoints_told_apart_only_by_their_version_keep_it_rather_than_a_number() -> None:
    """Ideogram's ``post_generate_image``, ``..._v3`` and ``..._v4`` (tag ``generate``) were post, post_2, post_3."""
    found = names(
        ("post", "/generate", "post_generate_image", tagged("generate")),
        ("post", "/v1/ideogram-v3/generate", "post_generate_image_v3", tagged("generate")),
        ("post", "/v1/ideogram-v4/generate", "post_generate_image_v4", tagged("generate")),
    )
    assert found == {
        "POST /generate": "generate.post",
        "POST /v1/ideogram-v3/generate": "generate.post_image_v_3",
        "POST /v1/ideogram-v4/generate": "generate.post_image_v_4",
    }
