"""A user script written the Stainless way passes pyright strict against a generated package (issue 19).

tests/data/shapes/stainless_way.py.txt calls the package generated from
tests/data/shapes/chat_sse.yaml as openai-python users call theirs: keyword
bodies, plain-dict messages, ``role="user"`` as a string, a model list they
already hold, iterating a ``stream=True`` call (and Ollama's natural call,
which streams), ``async for`` over pages without ``await``. pyright, which
clientgen did not write, must find no error in it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.shapes import SHAPES, generate_shape

SCRIPT = SHAPES / "stainless_way.py.txt"


def _pyright() -> str:
    found = shutil.which("pyright", path=str(Path(sys.executable).parent)) or shutil.which("pyright")
    if found is None:
        pytest.skip("pyright is not installed (it comes with the dev extra)")
    return found


def _check(root: Path, scripts: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """One pyright run over every script (``name: text``), each its own file: the packages and pydantic are read once."""
    for name, text in scripts.items():
        (root / name).write_text(text, encoding="utf-8")
    (root / "pyrightconfig.json").write_text(
        json.dumps(
            {
                "include": sorted(scripts),
                "typeCheckingMode": "strict",
                "pythonVersion": "3.10",
                "reportMissingModuleSource": False,
            }
        )
    )
    return subprocess.run(
        [_pyright(), "--stats", "--pythonpath", sys.executable, "-p", str(root / "pyrightconfig.json")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _errors(output: str, name: str) -> list[str]:
    """pyright's error lines about the file ``name`` (its explanations' no-break spaces made plain)."""
    lines = output.replace("\xa0", " ").splitlines()
    return [line for line in lines if f"{name}:" in line and " - error:" in line]


@pytest.mark.slow
def test_a_stainless_style_script_passes_pyright_strict(tmp_path: Path) -> None:
    generate_shape("chat_sse", tmp_path)
    generate_shape("chat_ndjson", tmp_path)
    script = SCRIPT.read_text(encoding="utf-8")
    # The check can fail: a wrong enum value and a wrong argument are errors, in a copy checked in the same run.
    wrong = script.replace('{"role": "user", "content": question}', '{"role": "robot", "content": question}')
    wrong = wrong.replace("temperature=0.2", 'temperature="hot"')
    # Ollama's natural call streams: it is no ChatResponse.
    wrong = wrong.replace(
        'client.chat(model="llama3", messages=[], stream=False)', 'client.chat(model="llama3", messages=[])'
    )
    result = _check(tmp_path, {"stainless_way.py": script, "stainless_wrong.py": wrong})
    assert "Total files checked: 2" in result.stdout, result.stdout[-4000:]
    assert _errors(result.stdout, "stainless_way.py") == [], result.stdout[-4000:]
    assert result.returncode != 0
    found = result.stdout.replace("\xa0", " ")  # pyright indents its explanations with no-break spaces
    wrong_errors = "\n".join(_errors(result.stdout, "stainless_wrong.py"))
    assert 'parameter "messages"' in found and 'parameter "temperature"' in found, found[-4000:]
    assert '"JSONLinesStream[ChatResponse]" is not assignable to declared type "ChatResponse"' in found, found[-4000:]
    assert wrong_errors.count(" - error:") >= 3, found[-4000:]


#: Calls of the package of tests/data/shapes/union_bodies.yaml that give one of the sets of fields each body
#: needs (``anyOf: [{required: [reviewers]}, {required: [team_reviewers]}]``, a ``oneOf`` of members that
#: each require a field), on the sync and the async typed client.
ONE_OF_FIELDS = """\
from union_bodies import AsyncTypedChat, Chat


def sync_calls(client: Chat) -> None:
    client.pulls.request_reviewers(1, reviewers=["ann"])
    client.pulls.request_reviewers(1, team_reviewers=["core"])
    client.pulls.request_reviewers(1, reviewers=["ann"], team_reviewers=["core"])
    client.app_configs.create(name="n", breakout=True, managed_app_id=7)
    client.rules.create(action="block", reason="spam")


async def async_calls(client: AsyncTypedChat) -> None:
    await client.pulls.request_reviewers(1, team_reviewers=["core"])
    await client.app_configs.create(name="n", priority=2, account_app_id="a-1")
"""


@pytest.mark.slow
def test_a_body_needing_one_of_its_fields_is_typed_by_overloads(tmp_path: Path) -> None:
    """pyright strict accepts a call that gives one of the sets of fields a body needs and refuses each call
    that gives none (``request_reviewers(1)`` would send ``{}``)."""
    generate_shape("union_bodies", tmp_path)
    wrong = (
        ONE_OF_FIELDS.replace('request_reviewers(1, reviewers=["ann"])\n', "request_reviewers(1)\n", 1)
        .replace('create(name="n", breakout=True, managed_app_id=7)', 'create(name="n", breakout=True)')
        .replace('create(action="block", reason="spam")', 'create(action="block")')
        .replace('request_reviewers(1, team_reviewers=["core"])\n    await', "request_reviewers(1)\n    await")
    )
    result = _check(tmp_path, {"one_of_fields.py": ONE_OF_FIELDS, "one_of_wrong.py": wrong})
    assert "Total files checked: 2" in result.stdout, result.stdout[-4000:]
    assert _errors(result.stdout, "one_of_fields.py") == [], result.stdout[-4000:]
    refused = _errors(result.stdout, "one_of_wrong.py")
    assert len(refused) == 4, result.stdout[-4000:]
    assert all("No overloads for" in line for line in refused), refused
