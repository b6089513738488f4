"""``clientgen diff`` stays readable at any size: a full component rename of a large real spec fits a pull-request comment."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

import pytest
from support.paths import corpus_file

from generator.config import client_config
from generator.diff.command import api_text
from generator.diff.compare import compare_analyses
from generator.diff.report import MARKDOWN_LIMIT, SpecReport, api_diff, render_markdown, render_text
from generator.load import parse_document
from generator.naming.rename_map import RenameMap
from generator.pipeline import analyse

CORPUS_SPEC = "openrouter.json.gz"  # 1241 component schemas


def _renamed(data: dict[str, Any]) -> dict[str, Any]:
    """Every component schema under a new key (``Renamed<Key>``), every reference following it."""
    keys = list(data["components"]["schemas"])
    text = json.dumps(data)
    text = re.sub(
        r'"#/components/schemas/([^"]+)"', lambda match: f'"#/components/schemas/Renamed{match.group(1)}"', text
    )
    renamed = json.loads(text)
    renamed["components"]["schemas"] = {
        f"Renamed{key}": value for key, value in renamed["components"]["schemas"].items()
    }
    assert len(renamed["components"]["schemas"]) == len(keys)
    result: dict[str, Any] = renamed
    return result


@pytest.mark.corpus
def test_full_component_rename_of_a_large_spec_fits_a_comment() -> None:
    data = json.loads(gzip.decompress(corpus_file(CORPUS_SPEC).read_bytes()))
    config = client_config(name="api", spec=Path("spec.json"), package="api", output=Path("api"), validation="lenient")
    old = analyse(config, parse_document(json.dumps(data), "old.json"), RenameMap({}))
    new = analyse(config, parse_document(json.dumps(_renamed(data)), "new.json"), RenameMap({}))
    findings = tuple(compare_analyses(old, new))
    assert len(findings) > 300, "the rename should touch hundreds of models"
    text = api_diff(api_text(old, config), api_text(new, config), "old (api.txt)", "new (api.txt)")
    assert len(text) > MARKDOWN_LIMIT
    report = SpecReport("api", "old.json", "new.json", findings, text)
    markdown = render_markdown([report])
    assert len(markdown) < MARKDOWN_LIMIT
    assert "Folded to fit a pull-request comment" in markdown
    with_api = render_markdown([report], show_api=True)
    assert len(with_api) < MARKDOWN_LIMIT and "more lines of the api.txt diff folded" in with_api
    assert render_text([report]).count("\n") > len(findings)  # the full report keeps every finding


def test_markdown_that_cannot_fold_enough_is_cut_with_a_note() -> None:
    from generator.diff.finding import Finding
    from generator.diff.rules import Level

    findings = tuple(
        Finding(f"rule-{index}", Level.BREAKING, f"Model{index}.field", "changed") for index in range(3000)
    )
    markdown = render_markdown([SpecReport("api", "old", "new", findings, "")], limit=20_000)
    assert len(markdown) < 20_000 and "more lines left out" in markdown
