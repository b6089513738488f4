"""Documents clientgen reads or refuses: versions, syntax, references (no corpus needed)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from support.cli import clientgen
from support.paths import ROOT

OPENAPI_32 = """\
openapi: 3.2.0
info:
  title: Search
  version: "1"
paths:
  /search:
    query:
      operationId: search
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                text: {type: string}
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema:
                type: array
                items: {type: string}
"""


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return clientgen(*args, cwd=ROOT)


@pytest.mark.slow
def test_openapi_32_generates(tmp_path: Path) -> None:
    spec = tmp_path / "search.yaml"
    spec.write_text(OPENAPI_32)
    result = run_cli("generate", str(spec), "--package", "search", "--output", str(tmp_path / "search"))
    assert result.returncode == 0, result.stderr
    # Untagged and alone under /search, named search: a method of the client itself (client.search).
    resource = (tmp_path / "search" / "resources" / "_client_methods.py").read_text()
    assert 'Route("QUERY", "/search")' in resource
    assert "def search(" in resource


def _refused(tmp_path: Path, text: str, name: str = "spec.yaml") -> str:
    spec = tmp_path / name
    spec.write_text(text)
    result = run_cli("generate", str(spec), "--package", "p", "--output", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
    line = result.stderr.strip()
    assert "\n" not in line
    return line


def test_yaml_syntax_error_is_one_located_line(tmp_path: Path) -> None:
    line = _refused(tmp_path, "openapi: 3.1.0\ninfo: [unclosed\n")
    assert line.startswith(f"clientgen: error: {tmp_path / 'spec.yaml'}:") and "invalid YAML" in line


def test_json_syntax_error_is_one_located_line(tmp_path: Path) -> None:
    line = _refused(tmp_path, '{"openapi": "3.1.0",\n "info": }\n', "spec.json")
    assert line.startswith(f"clientgen: error: {tmp_path / 'spec.json'}:2") and "invalid JSON" in line


def test_broken_local_reference_names_its_pointer(tmp_path: Path) -> None:
    text = OPENAPI_32.replace("items: {type: string}", "items: {$ref: '#/components/schemas/Missing'}")
    line = _refused(tmp_path, text)
    assert "broken reference '#/components/schemas/Missing'" in line
    assert "(/paths/~1search/query/responses/200/content/application~1json/schema/items/$ref)" in line


def test_unsupported_version_is_refused(tmp_path: Path) -> None:
    line = _refused(tmp_path, OPENAPI_32.replace("openapi: 3.2.0", "openapi: 4.0.0"))
    assert "unsupported or missing 'openapi' version '4.0.0'" in line
