"""Shared test setup: import paths, a private cache directory, the loopback server fixture, and which tests run.

Tests marked ``corpus`` or ``packaging`` are left out unless the ``-m`` expression
names their marker: ``nox -s corpus`` and ``nox -s packaging`` run them (and CI runs
those sessions), so the everyday suite stays within minutes.
"""

from __future__ import annotations

import importlib
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

_TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(_TESTS))
# The generated packages are imported the way a vendoring project would: from their folder.
sys.path.insert(0, str(_TESTS.parent / "generated"))

from support.server import ScriptedServer, loopback_server

# The suite never reads or writes the user's cache: every run (and every CLI
# subprocess it starts, which inherits the environment) gets a fresh one. The
# xdist workers inherit it from the process that started them, so a package one
# worker formatted is not formatted again by the other.
_SHARED = "CLIENTGEN_TEST_CACHE_DIR"
_OWNER = _SHARED not in os.environ
_CACHE = os.environ.setdefault(_SHARED, tempfile.mkdtemp(prefix="clientgen-test-cache-"))
os.environ["CLIENTGEN_CACHE_DIR"] = _CACHE
# mypy's cache of what every check shares (typeshed, pydantic, httpx, httpx2), made once for the run and read by
# every mypy the suite starts, in any worker (support/package_check.py). Without it each of them pays about 4 s of
# CPU before reaching the package it checks.
_MYPY_CACHE = os.environ.setdefault("CLIENTGEN_TEST_MYPY_CACHE_DIR", tempfile.mkdtemp(prefix="clientgen-test-mypy-"))

#: Markers of tests that run in a nox session of their own, not in the suite.
SESSION_MARKERS = ("corpus", "packaging")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    expression = config.getoption("markexpr", "") or ""
    left_out = [marker for marker in SESSION_MARKERS if marker not in expression]
    if not left_out:
        return
    kept: list[pytest.Item] = []
    deselected: list[pytest.Item] = []
    for item in items:
        (deselected if any(item.get_closest_marker(marker) for marker in left_out) else kept).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


#: A module-scoped fixture in a test file: ``@pytest.fixture(scope="module"`` (or ``params=...`` after it).
_MODULE_FIXTURE = re.compile(r"@pytest\.fixture\(\s*scope\s*=\s*[\"']module[\"']")


@cache
def shares_module_fixtures(path: str) -> bool:
    """Whether the test file at ``path`` (relative to the rootdir) defines a module-scoped fixture."""
    try:
        return bool(_MODULE_FIXTURE.search((_TESTS.parent / path).read_text(encoding="utf-8")))
    except OSError:
        return False


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadgroup``, and the tests of a file that defines a module-scoped fixture on one worker.

    Such a fixture is most often a package generated for the file's tests;
    spread over both workers, it would be built twice. (xdist's own way of
    grouping, the ``xdist_group`` mark, renames node ids, which pytest 9 no
    longer lets it do; its groups are still honoured here if it does again.)
    """
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class ModuleFixtureScheduling(LoadGroupScheduling):  # type: ignore[misc]  # xdist ships no types
        def _split_scope(self, nodeid: str) -> str:
            scope = super()._split_scope(nodeid)
            path = nodeid.split("::", 1)[0]
            return path if scope == nodeid and shares_module_fixtures(path) else scope

    return ModuleFixtureScheduling(config, log)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _OWNER and not hasattr(session.config, "workerinput"):
        shutil.rmtree(_CACHE, ignore_errors=True)
        shutil.rmtree(_MYPY_CACHE, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def one_default_ssl_context() -> Iterator[None]:
    """Every HTTP client made in the suite's processes with ``verify=True`` (the default) gets one SSL
    context, made once per worker.

    Building it loads the CA bundle: about 30 ms of CPU per client, and most
    loopback tests make one or two (1,500 runtime tests: a third of their CPU).
    Every server of the suite speaks plain HTTP on loopback, so no context is
    ever handed a certificate; what ``verify`` does is httpx's own business,
    and a client made with another ``verify`` or ``cert`` still builds its own.
    """
    patch = pytest.MonkeyPatch()
    for http in ("httpx2", "httpx"):
        transports = importlib.import_module(f"{http}._transports.default")
        made = transports.create_ssl_context(verify=True)
        original = transports.create_ssl_context

        def create_ssl_context(
            verify: Any = True,
            cert: Any = None,
            trust_env: bool = True,
            *,
            _made: Any = made,
            _original: Any = original,
        ) -> Any:
            if verify is True and cert is None and trust_env:
                return _made
            return _original(verify=verify, cert=cert, trust_env=trust_env)

        patch.setattr(transports, "create_ssl_context", create_ssl_context)
    yield
    patch.undo()


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    yield from loopback_server()
