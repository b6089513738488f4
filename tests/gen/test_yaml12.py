"""YAML is read as YAML 1.2 (core schema), the version OpenAPI 3.1 names; line numbers stay exact."""

from __future__ import annotations

import gzip
import math
from typing import Any

import pytest
import yaml
from support.paths import ROOT

from generator.errors import ClientgenError
from generator.load import parse_document
from generator.parse import parse_text
from generator.validate import find_problems

MISTRAL = ROOT / "tests" / "data" / "mistral" / "openapi.yaml.gz"

# (YAML scalar, the value YAML 1.2's core schema gives it)
CORE_SCHEMA: list[tuple[str, Any]] = [
    ("1e-08", 1e-08),
    ("2E+3", 2000.0),
    ("-1.5e3", -1500.0),
    (".5", 0.5),
    ("1.", 1.0),
    ("+12", 12),
    ("0o17", 15),
    ("0x1F", 31),
    ("0777", 777),  # YAML 1.1: octal 511
    (".inf", math.inf),
    ("-.Inf", -math.inf),
    ("true", True),
    ("FALSE", False),
    ("~", None),
    ("Null", None),
    # YAML 1.1 only: text in YAML 1.2
    ("yes", "yes"),
    ("No", "No"),
    ("on", "on"),
    ("OFF", "OFF"),
    ("y", "y"),
    ("1_000", "1_000"),
    ("0b101", "0b101"),
    ("1:20", "1:20"),
    ("2024-01-02", "2024-01-02"),
    ("=", "="),
]


@pytest.mark.parametrize(("text", "value"), CORE_SCHEMA)
def test_scalars_follow_the_yaml_12_core_schema(text: str, value: Any) -> None:
    parsed = parse_text(f"key: {text}\n", "x.yaml").data["key"]
    assert parsed == value and type(parsed) is type(value)


def test_the_yaml_12_reading_is_not_pyyaml_s_own() -> None:
    """The oracle for "this changed": PyYAML's safe loader (YAML 1.1) reads several of them otherwise."""
    differs = [text for text, value in CORE_SCHEMA if text != "=" and yaml.safe_load(f"key: {text}\n")["key"] != value]
    assert {"1e-08", "2E+3", "0o17", "0777", "yes", "on", "1_000", "1:20", "2024-01-02"} <= set(differs)


def test_nan_is_a_number() -> None:
    assert math.isnan(parse_text("key: .NaN\n", "x.yaml").data["key"])


def test_a_number_as_a_key_keeps_its_spelling() -> None:
    data = parse_text("200: a\n1e3: b\n0x1F: c\ntrue: d\n", "x.yaml").data
    assert list(data) == ["200", "1e3", "0x1F", "true"]


@pytest.mark.parametrize("text", ["!!int yes", "!!float abc", "!!bool on", "!!null x"])
def test_an_explicit_tag_with_a_value_it_cannot_hold_is_a_located_error(text: str) -> None:
    with pytest.raises(ClientgenError) as error:
        parse_text(f"a: 1\nkey: {text}\n", "x.yaml")
    assert str(error.value).startswith("x.yaml:2: invalid YAML value")


def test_line_numbers_stay_exact() -> None:
    text = (
        "openapi: 3.1.0\n"
        "info: {title: t, version: '1'}\n"
        "paths: {}\n"
        "components:\n"
        "  schemas:\n"
        "    A:\n"
        "      type: number\n"
        "      description: >\n"
        "        folded\n"
        "        text\n"
        "      minimum: 1e-08\n"
        "      maximum: .inf\n"
    )
    document = parse_document(text, "x.yaml")
    assert document.data["components"]["schemas"]["A"]["minimum"] == 1e-08
    assert document.line_of("/components/schemas/A/minimum") == 11
    assert document.line_of("/components/schemas/A/maximum") == 12


@pytest.mark.slow
def test_mistral_s_published_spec_validates_in_strict_mode() -> None:
    """It has ``minimum: 1e-08``: YAML 1.1 read a string there, and the validator stopped at ``line 1 (/)``."""
    document = parse_document(gzip.decompress(MISTRAL.read_bytes()).decode(), "mistral.yaml")
    assert (
        document.data["components"]["schemas"]["ClassifierTrainingParameters"]["properties"]["learning_rate"]["minimum"]
        == 1e-08
    )
    assert [str(problem) for problem in find_problems(document)] == []
