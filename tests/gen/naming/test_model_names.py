"""Automatic model names: machine-made keys shortened, identical schemas merged, collisions stable."""

from __future__ import annotations

from typing import Any

import pytest

from generator.naming.autoname import MAX_LENGTH, candidates
from generator.naming.model_names import ModelNames, name_models
from generator.naming.rename_map import RenameMap


def names_of(schemas: dict[str, Any]) -> dict[str, str]:
    return dict(name_models(schemas, RenameMap({})).by_key)


@pytest.mark.parametrize(
    ("key", "name"),
    [
        (
            "AnalyticsQueryPostRequestBodyContentApplicationJsonSchemaClassifierFiltersFiltersItemsValueOneOf2Items",
            "AnalyticsClassifierFiltersItemValueItem",
        ),
        ("WavesV1VoiceCloningPostRequestBodyContentMultipartFormDataSchemaModel", "WavesVoiceCloningModel"),
        ("V1PetsGetResponsesContentApplicationJsonSchemaDataItems", "PetsDataItem"),
        ("WavesV1SttPostParametersLanguage", "WavesSttLanguage"),
        ("Voice Cloning_createVoiceClone_Response_200", "CreateVoiceCloneResponse"),
        ("text_to_speech_stream_Response_200", "TextToSpeechStreamResponse"),
        ("api.v2010.account.call", "Call"),
        ("api.v2010.account.sip.sip_domain.sip_auth.sip_auth_calls", "SipAuthCalls"),
        ("account_enum_status", "AccountStatus"),
        ("access_schemas-access_seat", "AccessSeat"),
        ("ChatCompletionRequestToolChoiceOneOf1Function", "ChatCompletionRequestToolChoiceFunction"),
        ("payment_intent", "PaymentIntent"),
        ("Route", "RouteModel"),
    ],
)
def test_machine_made_keys_get_their_meaningful_part(key: str, name: str) -> None:
    assert candidates(key)[0] == name


def test_every_candidate_is_a_short_valid_class_name() -> None:
    keys = [
        "tls-certificates-and-hostnames_hostname-authenticated-origin-pull_components-schemas-certificate_response_collection",
        "The response returned when listing all of the invoices of one customer account",
        "OpenAiResponseInputMessageItemContentItemsDiscriminatorMappingInputAudioInputAudioFormat",
        "2fa-settings",
        "",
    ]
    for key in keys:
        for name in candidates(key):
            assert name.isidentifier() and name[0].isupper(), (key, name)
            assert len(name) <= MAX_LENGTH, (key, name)


def test_identical_schemas_under_machine_names_are_one_model() -> None:
    tag = {"type": "object", "properties": {"label": {"type": "string"}}}
    names = names_of(
        {
            "PetTag": tag,
            "V1PetsGetResponsesContentApplicationJsonSchemaDataItemsTag": dict(tag),
            "V1OwnersGetResponsesContentApplicationJsonSchemaPetTag": dict(tag),
        }
    )
    assert set(names.values()) == {"PetTag"}


def test_distinct_schemas_never_share_a_name() -> None:
    names = names_of(
        {
            "V1PetsGetResponsesContentApplicationJsonSchemaData": {
                "type": "object",
                "properties": {"a": {"type": "string"}},
            },
            "V1PetsPostResponsesContentApplicationJsonSchemaData": {
                "type": "object",
                "properties": {"b": {"type": "string"}},
            },
        }
    )
    assert len(set(names.values())) == 2
    assert all(len(name) <= MAX_LENGTH for name in names.values())


def _colliding_spec() -> dict[str, Any]:
    return {
        "V1PetsGetResponsesContentApplicationJsonSchemaData": {
            "type": "object",
            "properties": {"a": {"type": "string"}},
        },
        "V1PetsPostResponsesContentApplicationJsonSchemaData": {
            "type": "object",
            "properties": {"b": {"type": "string"}},
        },
        "Owner": {"type": "object", "properties": {"name": {"type": "string"}}},
    }


def test_collisions_are_stable_under_unrelated_changes() -> None:
    before = names_of(_colliding_spec())
    changed = _colliding_spec()
    # Unrelated changes: a new schema, a changed schema, a removed one elsewhere.
    changed["Invoice"] = {"type": "object", "properties": {"total": {"type": "integer"}}}
    changed["Owner"] = {"type": "object", "properties": {"name": {"type": "string"}, "age": {"type": "integer"}}}
    changed["V1InvoicesGetResponsesContentApplicationJsonSchemaData"] = {
        "type": "object",
        "properties": {"c": {"type": "number"}},
    }
    after = names_of(changed)
    for key in (
        "V1PetsGetResponsesContentApplicationJsonSchemaData",
        "V1PetsPostResponsesContentApplicationJsonSchemaData",
    ):
        assert after[key] == before[key]
    # A new schema that wants the same name but has a longer key does not take it either.
    changed["V1PetsPatchResponsesContentApplicationJsonSchemaData"] = {
        "type": "object",
        "properties": {"d": {"type": "string"}},
    }
    again = names_of(changed)
    for key in (
        "V1PetsGetResponsesContentApplicationJsonSchemaData",
        "V1PetsPostResponsesContentApplicationJsonSchemaData",
    ):
        assert again[key] == before[key]
    assert len(set(again.values())) == len(again)


def test_names_do_not_depend_on_key_order() -> None:
    spec = _colliding_spec()
    reversed_spec = dict(reversed(list(spec.items())))
    assert names_of(spec) == names_of(reversed_spec)


def test_rename_map_entries_anchor_identical_machine_names() -> None:
    tag = {"type": "object", "properties": {"label": {"type": "string"}}}
    schemas = {
        "V1PetsGetResponsesContentApplicationJsonSchemaTag": tag,
        "V1OwnersGetResponsesContentApplicationJsonSchemaTag": dict(tag),
    }
    named = name_models(schemas, RenameMap({"V1PetsGetResponsesContentApplicationJsonSchemaTag": "Tag"}))
    assert isinstance(named, ModelNames)
    assert set(named.by_key.values()) == {"Tag"}


def test_fern_names_drop_the_path_when_the_rest_names_what_the_path_is_about() -> None:
    from support.paths import ROOT

    from generator.extract import extract
    from generator.load import load_document
    from generator.naming.model_names import name_models
    from generator.naming.rename_map import RenameMap

    api = extract(load_document(ROOT / "spec" / "bctrl.yaml"))
    names = set(name_models(api.schemas, RenameMap({})).by_key.values())
    assert {"Invocation", "InvocationError", "InvocationStatus", "InvocationResult"} <= names
    assert not any(name.startswith("InvocationsIdWait") for name in names)
