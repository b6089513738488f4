"""openapi-core, the independent judge of captured requests: its pinned environment and how to ask it.

openapi-core 0.23.1 requires openapi-spec-validator < 0.9 while clientgen pins
0.9.0, so it cannot share clientgen's environment: :func:`oracle_python` makes
(once, then reuses) a virtual environment under ``.nox/`` with the versions in
:data:`REQUIREMENTS`, and :func:`judge` runs ``oracle_worker.py`` there on a
batch of captured requests. ``CLIENTGEN_ORACLE_PYTHON`` names an interpreter
that already has them instead.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from support.paths import ROOT

#: openapi-core and what it reads requests with, pinned: a new release must not move the verdicts silently.
REQUIREMENTS = (
    "openapi-core==0.23.1",
    "openapi-schema-validator==0.8.1",
    "openapi-spec-validator==0.8.5",
    "jsonschema-path==0.4.6",
    "jsonschema==4.26.0",
    "werkzeug==3.1.9",
    "pyyaml==6.0.3",
)
VENV = ROOT / ".nox" / "oracle-openapi-core"
WORKER = Path(__file__).resolve().parent / "oracle_worker.py"


class OracleUnavailable(Exception):
    """The oracle's environment could not be made (no package index reachable, …)."""


def oracle_python() -> Path:
    """The interpreter of the oracle's environment, created on first use."""
    given = os.environ.get("CLIENTGEN_ORACLE_PYTHON")
    if given:
        return Path(given)
    python = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    marker = VENV / ".requirements"
    wanted = "\n".join(REQUIREMENTS)
    if marker.exists() and marker.read_text() == wanted:
        return python
    # pytest-xdist's workers all get here on a fresh clone: one makes the environment while the others wait,
    # else a worker's ``venv --clear`` empties it under another that is already judging.
    VENV.parent.mkdir(parents=True, exist_ok=True)
    with open(VENV.parent / f"{VENV.name}.lock", "w") as lock:
        _lock(lock)
        if marker.exists() and marker.read_text() == wanted:
            return python
        _make(python, marker, wanted)
    return python


def _lock(file: IO[str]) -> None:
    """Hold ``file`` exclusively until it is closed (where the platform offers advisory locks)."""
    try:
        import fcntl
    except ImportError:  # Windows: tests there run in one process
        return
    fcntl.flock(file.fileno(), fcntl.LOCK_EX)


def _make(python: Path, marker: Path, wanted: str) -> None:
    try:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True, capture_output=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *REQUIREMENTS],
            check=True,
            capture_output=True,
            text=True,
            timeout=600,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        raise OracleUnavailable(f"could not install {', '.join(REQUIREMENTS)}: {str(detail).strip()[-500:]}") from exc
    marker.write_text(wanted)


@dataclass(frozen=True)
class Captured:
    """One request as the loopback server received it."""

    method: str
    target: str  # raw path and query
    headers: tuple[tuple[str, str], ...]
    body: bytes


@dataclass(frozen=True)
class Judgement:
    verdict: str  # "valid", "invalid", "oracle-error"
    kind: str
    message: str


class PendingJudgement:
    """A batch handed to the oracle, judged in the background while the caller goes on."""

    def __init__(self, process: subprocess.Popen[str], count: int, output: IO[str], errors: IO[str]) -> None:
        self._process = process
        self._count = count
        self._output = output
        self._errors = errors
        self.payload: list[Any] = []  # what the caller pairs with the verdicts, in order

    def result(self) -> list[Judgement]:
        self._process.wait()
        self._output.seek(0)
        found: dict[int, Judgement] = {}
        for line in self._output:
            item = json.loads(line)
            found[item["id"]] = Judgement(item["verdict"], item["kind"], item["message"])
        self._output.close()
        self._errors.seek(0)
        stderr = self._errors.read()
        self._errors.close()
        missing = Judgement("oracle-error", "crash", (stderr or "no verdict").strip()[-400:])
        return [found.get(index, missing) for index in range(self._count)]


def judge(spec: Path, origin: str, requests: Sequence[Captured]) -> PendingJudgement:
    """Start openapi-core on ``requests`` (to be judged as sent to ``origin``); collect with ``.result()``."""
    python = oracle_python()
    with tempfile.TemporaryFile("w+") as batch:
        batch.write(json.dumps({"spec": str(spec), "origin": origin}) + "\n")
        for index, request in enumerate(requests):
            line = {
                "id": index,
                "method": request.method,
                "target": request.target,
                "headers": [list(pair) for pair in request.headers],
                "body": base64.b64encode(request.body).decode(),
            }
            batch.write(json.dumps(line) + "\n")
        batch.seek(0)
        # Both outlive this call: PendingJudgement.result reads and closes them.
        output = tempfile.TemporaryFile("w+")  # noqa: SIM115
        errors = tempfile.TemporaryFile("w+")  # noqa: SIM115
        process = subprocess.Popen([str(python), str(WORKER)], stdin=batch, stdout=output, stderr=errors, text=True)
    return PendingJudgement(process, len(requests), output, errors)
