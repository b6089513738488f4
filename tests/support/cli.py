"""clientgen's command line run in this process, answering what ``subprocess.run`` would.

For tests whose point is what a command does (its exit status, its output, the
files it leaves), not the interpreter it runs in: a ``python -m generator`` that
generates pays about 0.6 s of CPU for its imports and templates before it starts,
where a second call in the same process pays nothing. The working directory and,
when given, the whole environment are the call's for its duration, as a child
process would have them. ``tests/gen/test_cli.py``, ``test_input_files.py`` and
the README's commands still start real processes: there the process is the point.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from generator.cli import main


def clientgen(*args: str | Path, cwd: Path, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``clientgen ARGS`` in ``cwd`` (with exactly ``env`` as its environment, if given); never raises for
    what a process would report by its exit status (argparse's usage errors included)."""
    argv = [str(arg) for arg in args]
    out, err = io.StringIO(), io.StringIO()
    directory = os.getcwd()
    environment = dict(os.environ)
    try:
        os.chdir(cwd)
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exit_:  # argparse: --help, usage errors
                if isinstance(exit_.code, str):
                    print(exit_.code, file=sys.stderr)
                code = exit_.code if isinstance(exit_.code, int) else int(exit_.code is not None)
    finally:
        os.chdir(directory)
        if env is not None:
            os.environ.clear()
            os.environ.update(environment)
    return subprocess.CompletedProcess([sys.executable, "-m", "generator", *argv], code, out.getvalue(), err.getvalue())
