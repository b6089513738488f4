"""Developer tasks. Needs only Python >= 3.10: ``python3 noxfile.py -s <session>``.

Run directly, this file bootstraps itself: it creates ``.nox/_bootstrap`` with a
pinned nox and re-runs itself under it. With nox installed, ``nox -s <session>``
works the same.

Sessions: generate, check, tests, typecheck, update-goldens, corpus, packaging, conformance, prism, diff-eval,
bench, fuzz, soak, bench-runtime. CI (``.ci/run``) runs tests, corpus, packaging and soak.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
NOX_VERSION = "2026.10.20"


def _bootstrap() -> None:
    """Create a private venv with nox in it and hand over to it."""
    venv = ROOT / ".nox" / "_bootstrap"
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    marker = venv / f".nox-{NOX_VERSION}"
    if not marker.exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", f"nox=={NOX_VERSION}"],
            check=True,
        )
        marker.touch()
    os.execv(str(python), [str(python), "-m", "nox", "-f", str(Path(__file__).resolve()), *sys.argv[1:]])


if __name__ == "__main__":
    _bootstrap()

import nox  # noqa: E402

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["tests"]

PYTHON = None  # the interpreter nox runs under: whatever Python >= 3.10 the machine has


def _install(session: nox.Session, extras: str = "dev") -> None:
    session.install("--quiet", "--disable-pip-version-check", "-e", f".[{extras}]")


@nox.session(python=PYTHON)
def generate(session: nox.Session) -> None:
    """Regenerate every configured client into generated/."""
    _install(session, "runtime")
    session.run("clientgen", "generate", *session.posargs)


@nox.session(python=PYTHON)
def check(session: nox.Session) -> None:
    """Fail if generated/ is stale or edited by hand."""
    _install(session, "runtime")
    session.run("clientgen", "check", *session.posargs)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """The test suite, on every core: goldens, freshness of generated/, clients against loopback servers, type checks.

    Tests marked ``corpus`` and ``packaging`` are left out: their sessions run them.
    """
    _install(session)
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """mypy --strict on generator/ and generated/."""
    _install(session)
    session.run("mypy", "--strict", "generator")
    session.run("mypy", "--strict", "templates/package/_runtime")
    session.run("mypy", "--strict", "generated", env={"MYPYPATH": "generated"})


@nox.session(name="update-goldens", python=PYTHON)
def update_goldens(session: nox.Session) -> None:
    """Rewrite tests/golden/*/expected from the current generator; review the git diff."""
    _install(session, "runtime")
    session.run("python", "tests/update_goldens.py", *session.posargs)


@nox.session(python=PYTHON)
def corpus(session: nox.Session) -> None:
    """The tests marked ``corpus`` (../shared/corpus), then every corpus document generated and tabulated
    (prints the table, writes corpus-report.json; arguments go to tests/corpus_run.py)."""
    _install(session)
    session.run("pytest", "-m", "corpus")
    if not (ROOT.parent / "shared" / "corpus").is_dir() and "--corpus" not in session.posargs:
        session.skip("../shared/corpus is absent on this machine: no documents to generate")
    session.run("python", "tests/corpus_run.py", *session.posargs)


@nox.session(python=PYTHON)
def packaging(session: nox.Session) -> None:
    """The tests marked ``packaging``: wheels built and installed into fresh venvs, the quick start on a clean copy."""
    _install(session)
    session.run("pytest", "-m", "packaging", *session.posargs)


@nox.session(python=PYTHON)
def conformance(session: nox.Session) -> None:
    """Every operation of bctrl, shop and ../shared/corpus on all four clients judged by openapi-core; model fidelity beside datamodel-code-generator."""
    _install(session)
    # The reference the models are measured against (model fidelity); this session only, pinned.
    # email-validator: its models use pydantic's EmailStr for format: email (asana, cloudflare, github, linode).
    session.install(
        "--quiet", "--disable-pip-version-check", "datamodel-code-generator==0.89.0", "email-validator==2.4.0"
    )
    # openapi-core gets a pinned environment of its own (tests/support/oracle.py): it needs openapi-spec-validator < 0.9.
    session.run("python", "tests/conformance_run.py", *session.posargs)


@nox.session(python=PYTHON)
def prism(session: nox.Session) -> None:
    """bctrl, shop and five corpus documents on all four clients against `prism mock` on 127.0.0.1 (a second oracle)."""
    _install(session)
    # @stoplight/prism-cli (pinned in tests/support/prism.py) is installed from npm into .nox/prism on first use.
    session.run("python", "tests/prism_run.py", *session.posargs)


@nox.session(name="diff-eval", python=PYTHON)
def diff_eval(session: nox.Session) -> None:
    """Precision and recall of `clientgen diff` on the real spec histories in tests/diff_history (hand-judged verdicts)."""
    _install(session)
    session.run("python", "tests/diff_history/evaluate.py", *session.posargs)


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Cold (wall and CPU), no-op, one-schema-edit and check times on bctrl, openrouter, stripe and synthetic specs of
    400 and 1,600 operations, beside openapi-python-client; then diff beside a cold generation, and the first check
    after init; in one run."""
    _install(session)
    # python-dateutil: openapi-python-client's packages import it (the import times import them).
    session.install(
        "--quiet", "--disable-pip-version-check", "openapi-python-client==0.29.1", "python-dateutil==2.9.0.post0"
    )
    session.run("python", "tests/bench/speed.py", *session.posargs)
    session.run("python", "tests/bench/diff_speed.py")
    session.run("python", "tests/bench/first_check.py")


@nox.session(python=PYTHON)
def fuzz(session: nox.Session) -> None:
    """Random hostile documents and configurations for SECONDS (default 600): each must generate checked code or one located error."""
    _install(session)
    session.run("python", "tests/fuzz_run.py", *session.posargs, env={"CLIENTGEN_FUZZ_FAILURES": "fuzz-failures"})
    # The validation fast path against the validator of record, on many more generated documents than the suite's.
    session.run(
        "pytest", "-n", "0", "-q", "tests/gen/test_validate.py", "-k", "generated_documents",
        env={"CLIENTGEN_VALIDATE_EXAMPLES": "2000"},
    )  # fmt: skip


@nox.session(python=PYTHON)
def soak(session: nox.Session) -> None:
    """60 s of 200 async calls and 50 threads against a misbehaving server; fails on a hang, a raw exception, a misdelivery or a leaked socket."""
    _install(session)
    session.run("python", "tests/bench/soak.py", *session.posargs)


@nox.session(name="bench-runtime", python=PYTHON)
def bench_runtime(session: nox.Session) -> None:
    """Per-call overhead of the pydantic and typed clients against raw httpx2 on loopback, 2,000 interleaved calls each."""
    _install(session)
    session.run("python", "tests/bench/runtime_overhead.py", *session.posargs)
