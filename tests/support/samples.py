"""Realistic bctrl payloads for client tests."""

from __future__ import annotations

from typing import Any

INVOCATION_ID = "5b0e9c1a-3f7d-4c2e-9a8b-1d2e3f4a5b6c"
RUNTIME_ID = "0f1e2d3c-4b5a-4968-8776-655443322110"


def wait_response(status: str = "succeeded") -> dict[str, Any]:
    return {
        "timedOutWaiting": False,
        "invocation": {
            "id": INVOCATION_ID,
            "runId": "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d",
            "runtimeId": RUNTIME_ID,
            "spaceId": "11111111-2222-4333-8444-555555555555",
            "artifactCount": 1,
            "createdAt": "2026-11-28T10:00:00Z",
            "entryCall": "page.goto",
            "executionMode": "durable",
            "runtimeKind": "browser",
            "sequenceNo": 3,
            "status": status,
            "stepCount": 2,
            "durationMs": 1234,
            "error": None,
            "result": {
                "mode": "fail-fast",
                "ok": False,
                "runtimeId": RUNTIME_ID,
                "steps": [
                    {
                        "call": "page.goto",
                        "index": 0,
                        "ok": True,
                        "result": {"url": "https://example.com"},
                        "resolved": {
                            "call": "page.goto",
                            "contextId": None,
                            "handleId": None,
                            "method": "goto",
                            "pageId": "p1",
                            "ref": None,
                            "runtimeId": RUNTIME_ID,
                            "target": "page",
                        },
                    },
                    {
                        "call": "page.click",
                        "index": 1,
                        "ok": False,
                        "error": {
                            "code": "TIMEOUT",
                            "message": "selector not found in 5s",
                        },
                    },
                ],
            },
        },
    }
