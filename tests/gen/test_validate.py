"""The jsonschema-rs fast path gives openapi-spec-validator's verdicts and messages, on every golden and corpus document."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest
from support.paths import CORPUS, ROOT

from generator.errors import ClientgenError
from generator.load import load_document
from generator.validate import _rust_validator, find_problems

GOLDEN_SPECS = sorted((ROOT / "tests" / "golden").glob("*/spec.*")) + [ROOT / "spec" / "bctrl.yaml"]
# The pure-Python check of the multi-megabyte documents takes minutes in all:
# CLIENTGEN_FULL_CORPUS=1 includes them (openrouter, twilio and the small ones always run).
_ALL = os.environ.get("CLIENTGEN_FULL_CORPUS") == "1"
CORPUS_DOCUMENTS = (
    sorted(path.name for path in CORPUS.glob("*.gz") if _ALL or path.stat().st_size < 150_000)
    if CORPUS.exists()
    else []
)


def verdicts(path: Path) -> tuple[list[str], list[str]]:
    document = load_document(path)
    return [str(problem) for problem in find_problems(document, fast=True)], [
        str(problem) for problem in find_problems(document, fast=False)
    ]


def test_jsonschema_rs_is_there() -> None:
    assert _rust_validator("3.0") is not None and _rust_validator("3.1") is not None


@pytest.mark.parametrize("path", GOLDEN_SPECS, ids=lambda path: path.parent.name)
def test_golden_verdicts_are_the_same(path: Path) -> None:
    fast, slow = verdicts(path)
    assert fast == slow


@pytest.mark.skipif(not CORPUS_DOCUMENTS, reason=f"{CORPUS} is absent on this machine")
@pytest.mark.parametrize("name", CORPUS_DOCUMENTS)
def test_corpus_verdicts_are_the_same(name: str, tmp_path: Path) -> None:
    spec = tmp_path / name.removesuffix(".gz")
    spec.write_bytes(gzip.decompress((CORPUS / name).read_bytes()))
    try:
        fast, slow = verdicts(spec)
    except ClientgenError as error:  # refused before validation (Swagger 2.0): the same for both paths
        pytest.skip(str(error))
    assert fast == slow


def test_a_failing_document_is_reported_with_file_line_and_pointer(tmp_path: Path) -> None:
    spec = tmp_path / "broken.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n  /pets:\n    get:\n      responses:\n        '200':\n          content: {}\n"
    )
    fast, slow = verdicts(spec)
    assert fast == slow
    assert fast[0].startswith(f"{spec}:9 (/paths/~1pets/get/responses/200): ")
