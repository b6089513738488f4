"""The three generated bctrl clients make real requests to a loopback server."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap

from support.paths import GENERATED
from support.samples import INVOCATION_ID, wait_response
from support.server import ScriptedServer


def _check_request(server: ScriptedServer) -> None:
    (request,) = server.requests
    assert request.method == "POST"
    assert request.path == f"/v1/invocations/{INVOCATION_ID}/wait"
    assert request.headers["authorization"] == "Bearer test-key"
    assert request.json() == {"timeoutMs": 5000}


def test_sync_client_returns_models(server: ScriptedServer) -> None:
    from bctrl import Bctrl
    from bctrl.models import InvocationStatus, StepFailure, StepSuccess, WaitResponse

    server.reply(200, json_body=wait_response())
    with Bctrl(api_key="test-key", base_url=server.url) as client:
        result = client.invocations.wait(INVOCATION_ID, timeout_ms=5000)
    assert isinstance(result, WaitResponse)
    assert result.timed_out_waiting is False
    assert result.invocation.status is InvocationStatus.SUCCEEDED
    assert result.invocation.result is not None
    first, second = result.invocation.result.steps
    assert isinstance(first, StepSuccess) and isinstance(second, StepFailure)
    assert second.error.message == "selector not found in 5s"
    # Wire names come back on serialisation.
    assert result.model_dump(by_alias=True, mode="json")["timedOutWaiting"] is False
    _check_request(server)


def test_async_client_returns_models(server: ScriptedServer) -> None:
    from bctrl import AsyncBctrl
    from bctrl.models import WaitResponse

    server.reply(200, json_body=wait_response("running"))

    async def call() -> WaitResponse:
        async with AsyncBctrl(api_key="test-key", base_url=server.url) as client:
            return await client.invocations.wait(INVOCATION_ID, timeout_ms=5000)

    result = asyncio.run(call())
    assert result.invocation.status.value == "running"
    _check_request(server)


def test_typed_dict_client_never_imports_pydantic(server: ScriptedServer) -> None:
    server.reply(200, json_body=wait_response())
    script = textwrap.dedent(
        f"""
        import json, sys
        from bctrl.typed_client import TypedBctrl
        client = TypedBctrl(api_key="test-key", base_url={server.url!r})
        result = client.invocations.wait({INVOCATION_ID!r}, timeout_ms=5000)
        assert type(result) is dict, type(result)
        print(json.dumps({{"pydantic": "pydantic" in sys.modules, "result": result}}))
        """
    )
    output = subprocess.run([sys.executable, "-c", script], cwd=GENERATED, capture_output=True, text=True, timeout=60)
    assert output.returncode == 0, output.stderr
    report = json.loads(output.stdout)
    assert report["pydantic"] is False
    assert report["result"] == wait_response()
    _check_request(server)


def test_unknown_enum_values_variants_and_fields_parse(server: ScriptedServer) -> None:
    from bctrl import Bctrl

    payload = wait_response(status="paused")
    payload["invocation"]["priority"] = "high"
    payload["invocation"]["result"]["steps"].append({"ok": "maybe", "call": "x", "index": 2})
    server.reply(200, json_body=payload)
    with Bctrl(api_key="test-key", base_url=server.url) as client:
        result = client.invocations.wait(INVOCATION_ID)
    assert result.invocation.status.value == "paused" and result.invocation.status == "paused"
    assert result.invocation.model_extra == {"priority": "high"}
    assert result.invocation.result is not None
    assert result.invocation.result.steps[2] == {"ok": "maybe", "call": "x", "index": 2}
    assert type(result.invocation.result.steps[0]).__name__ == "StepSuccess"


def test_variants_share_one_runtime_module() -> None:
    root = GENERATED / "bctrl"
    runtime_users = {
        path.relative_to(root).as_posix() for path in root.rglob("*.py") if "_runtime import" in path.read_text()
    }
    assert {
        "client.py",
        "typed_client.py",
        "resources/invocations.py",
        "typed_resources/invocations.py",
    } <= runtime_users
    assert not any("httpx2.Client(" in path.read_text() for path in root.rglob("*.py") if "_runtime" not in path.parts)


def test_async_typed_dict_client_awaits_and_never_imports_pydantic(server: ScriptedServer) -> None:
    server.reply(200, json_body=wait_response())
    script = textwrap.dedent(
        f"""
        import asyncio, json, sys
        from bctrl import AsyncTypedBctrl

        async def main():
            async with AsyncTypedBctrl(api_key="test-key", base_url={server.url!r}) as client:
                return await client.invocations.wait({INVOCATION_ID!r}, timeout_ms=5000)

        result = asyncio.run(main())
        assert type(result) is dict, type(result)
        print(json.dumps({{"pydantic": "pydantic" in sys.modules, "result": result}}))
        """
    )
    output = subprocess.run([sys.executable, "-c", script], cwd=GENERATED, capture_output=True, text=True, timeout=60)
    assert output.returncode == 0, output.stderr
    report = json.loads(output.stdout)
    assert report["pydantic"] is False
    assert report["result"] == wait_response()
    _check_request(server)


def test_environment_is_typed_as_a_literal_of_the_configured_names() -> None:
    for module in ("client.py", "typed_client.py"):
        text = (GENERATED / "bctrl" / module).read_text()
        assert text.count('environment: Literal["production", "local"] | None = None') == 2, module
