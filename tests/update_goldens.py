"""Rewrite every golden file from what the generator makes now: ``nox -s update-goldens``.

Review the resulting ``git diff`` before committing: it is the change in output.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from goldens import case_names, update  # noqa: E402


def main() -> int:
    names = sys.argv[1:] or case_names()
    for name in names:
        update(name)
        print(f"updated tests/golden/{name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
