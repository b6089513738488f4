"""Rewrite every golden file (generated trees, the diff report) from what the generator makes now: ``nox -s update-goldens``.

Also what is written from declarations: the JSON Schema of the configuration and the README's tables.

Review the resulting ``git diff`` before committing: it is the change in output.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from diff_cases import GOLDEN_DIFF, update_golden_diff
from goldens import case_names, update
from support import declared_docs


def main() -> int:
    names = sys.argv[1:] or case_names()
    unchanged = 0
    for name in names:
        if update(name):
            print(f"updated tests/golden/{name}")
        else:
            unchanged += 1
    if not sys.argv[1:]:
        sample = GOLDEN_DIFF / "sample.md"
        before = sample.read_bytes() if sample.exists() else None
        update_golden_diff()
        if sample.read_bytes() != before:
            print(f"updated {sample.relative_to(Path(__file__).resolve().parent.parent)}")
        else:
            unchanged += 1
    for path in declared_docs.update():
        print(f"updated {path}")
    print(f"{unchanged} unchanged")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
