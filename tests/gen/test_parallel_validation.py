"""A worker validates a large document while the main process analyses it: same warnings, and a
validation error still wins over a failure of the stages after validation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import pipeline
from generator.config import client_config
from generator.errors import ClientgenError
from generator.pipeline import _LazyPool, analyse

# Two problems the validator reports (a parameter without `in`, an unknown type) in an otherwise usable document.
_SPEC = """\
openapi: 3.0.3
info: {title: Things, version: "1"}
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: filter, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
components:
  schemas:
    Thing:
      type: object
      properties:
        name: {type: text}
"""


@pytest.fixture
def pool(monkeypatch: pytest.MonkeyPatch) -> Iterator[_LazyPool]:
    monkeypatch.setattr(pipeline, "_PARALLEL_VALIDATION", 0)  # every document is "large"
    pool = _LazyPool(2)
    yield pool
    pool.shutdown()


def test_a_worker_finds_the_same_warnings(tmp_path: Path, pool: _LazyPool) -> None:
    spec = tmp_path / "things.yaml"
    spec.write_text(_SPEC, encoding="utf-8")
    config = client_config(spec=spec, package="things", validation="lenient")
    alone = analyse(config)
    assert len(alone.problems) >= 2
    assert analyse(config, pool=pool).problems == alone.problems


def test_a_validation_error_wins_over_a_later_failure(
    tmp_path: Path, pool: _LazyPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = tmp_path / "things.yaml"
    spec.write_text(_SPEC, encoding="utf-8")
    config = client_config(spec=spec, package="things")
    with pytest.raises(ClientgenError) as alone:
        analyse(config)
    assert "invalid OpenAPI document" in str(alone.value)

    def later_failure(*args: object, **kwargs: object) -> object:
        raise ClientgenError("a stage after validation failed")

    # Runs in this process only: the worker validates with the real stages.
    monkeypatch.setattr(pipeline, "name_models", later_failure)
    with pytest.raises(ClientgenError) as raised:
        analyse(config, pool=pool)
    assert str(raised.value) == str(alone.value)
