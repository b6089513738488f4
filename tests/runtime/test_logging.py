"""``<PREFIX>_LOG=info|debug``: one line per request on stderr, headers at debug, never a credential.

Each auth scheme gets its own small package (the key travels in a header, the
query, a cookie or basic auth); the client runs in a subprocess whose stderr
is checked.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from support.paths import suite_cache
from support.server import ScriptedServer, loopback_server

from generator.config import client_config
from generator.pipeline import generate
from generator.write import write_tree

SECRET = "sk-live-TOPSECRET-42"
SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer"},
    "basic": {"type": "http", "scheme": "basic"},
    "header": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
    "query": {"type": "apiKey", "in": "query", "name": "api_key"},
    "cookie": {"type": "apiKey", "in": "cookie", "name": "session_id"},
}


def _spec(scheme: dict[str, str]) -> dict[str, object]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Logged", "version": "1"},
        "security": [{"main": []}],
        "components": {"securitySchemes": {"main": scheme}},
        "paths": {
            "/v1/things/{thing_id}": {
                "get": {
                    "operationId": "getThing",
                    "tags": ["things"],
                    "parameters": [
                        {"name": "thing_id", "in": "path", "required": True, "schema": {"type": "string"}},
                        {"name": "expand", "in": "query", "schema": {"type": "string"}},
                    ],
                    "responses": {
                        "200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}
                    },
                }
            }
        },
    }


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("logging")
    for name, scheme in SCHEMES.items():
        spec = root / f"{name}.yaml"
        spec.write_text(yaml.safe_dump(_spec(scheme)))
        config = client_config(
            name=name,
            spec=spec,
            package=f"logged_{name}",
            output=root / f"logged_{name}",
            client_class="Logged",
            env_prefix="LOGGED",
        )
        write_tree(config.output, generate(config, cache=suite_cache()).files)
    return root


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    yield from loopback_server()


def _run(packages: Path, scheme: str, url: str, level: str) -> subprocess.CompletedProcess[str]:
    key = f"user:{SECRET}" if scheme == "basic" else SECRET
    script = textwrap.dedent(
        f"""
        from logged_{scheme} import Logged
        with Logged(api_key={key!r}, base_url={url!r}, max_retries=2) as client:
            client.things.get("th_1", expand="owner")
        """
    )
    env = {**os.environ, "LOGGED_LOG": level, "PYTHONPATH": str(packages)}
    return subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.slow
@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_debug_logs_each_request_and_never_the_key(packages: Path, server: ScriptedServer, scheme: str) -> None:
    server.reply(503, json_body={"error": "busy"}, headers={"Retry-After": "0"})
    server.reply(200, json_body={"id": "th_1"}, headers={"x-request-id": "req-1"})
    result = _run(packages, scheme, server.url, "debug")
    assert result.returncode == 0, result.stderr
    log = result.stderr
    assert f"GET {server.url}/v1/things/th_1?" in log and "expand=owner" in log
    assert "-> 503 Service Unavailable" in log and "retry 0" in log
    assert "-> 200 OK" in log and "retry 1" in log
    assert "request headers:" in log and "response headers:" in log and "req-1" in log
    token = base64.b64encode(f"user:{SECRET}".encode()).decode()
    assert SECRET not in log and token not in log and "TOPSECRET" not in log
    assert server.requests[-1].headers  # the key did go to the server
    sent = str(server.requests[-1].header_items) + server.requests[-1].raw_path
    assert SECRET in sent or token in sent


def test_info_logs_one_line_per_request_without_headers(packages: Path, server: ScriptedServer) -> None:
    server.reply(200, json_body={"id": "th_1"})
    result = _run(packages, "header", server.url, "info")
    lines = [line for line in result.stderr.splitlines() if "HTTP GET" in line]
    assert len(lines) == 1 and "-> 200 OK" in lines[0] and "s, retry 0)" in lines[0]
    assert "headers" not in result.stderr


def test_nothing_is_logged_without_the_variable(packages: Path, server: ScriptedServer) -> None:
    server.reply(200, json_body={"id": "th_1"})
    result = _run(packages, "bearer", server.url, "")
    assert result.returncode == 0 and result.stderr == ""
