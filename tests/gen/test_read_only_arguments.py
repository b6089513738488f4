"""A body's ``readOnly`` properties are never required arguments: the server sets them, and OpenAPI's ``required``
binds them in responses only (cloudflare's rulesets require the read-only ``last_updated`` of every rule)."""

from __future__ import annotations

from pathlib import Path

from support.paths import ROOT

from generator.config import client_config
from generator.pipeline import generate

SPEC = ROOT / "tests" / "data" / "shapes" / "read_only_body.yaml"


def _signature(tmp_path: Path) -> str:
    config = client_config(name="ro", spec=SPEC, package="ro", output=tmp_path / "ro")
    listing = next(data for path, data in generate(config).files.items() if str(path).endswith("api.txt")).decode()
    return next(line.strip() for line in listing.splitlines() if line.strip().startswith("create("))


def test_read_only_properties_of_the_body_and_of_its_union_members_are_optional(tmp_path: Path) -> None:
    signature = _signature(tmp_path)
    # name is the body's own required field and action one every member requires: both stay required.
    assert "name: str," in signature
    assert 'action: Literal["block", "redirect"],' in signature
    assert "id: str | NotGiven = NOT_GIVEN" in signature
    assert "last_updated: datetime | NotGiven = NOT_GIVEN" in signature
