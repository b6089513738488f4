"""Benchmark: `clientgen generate` against `openapi-python-client generate` on the bctrl spec.

Both run as fresh processes (what a user waits for), alternately, several times
in one run on one machine; the script prints each median and their ratio.
The baseline is openapi-python-client, run here and now, never a stored number.

    python3 noxfile.py -s bench            # or: python tests/bench/generate_vs_opc.py [runs]
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "bctrl.yaml"
RENAMES = ROOT / "spec" / "bctrl.renames.yaml"


def _timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    opc = shutil.which("openapi-python-client", path=str(Path(sys.executable).parent)) or shutil.which("openapi-python-client")
    if opc is None:
        print("openapi-python-client is not installed; `pip install openapi-python-client==0.29.1`")
        return 2
    ours: list[float] = []
    theirs: list[float] = []
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        for run in range(runs):
            ours.append(
                _timed(
                    [
                        sys.executable,
                        "-m",
                        "generator",
                        "generate",
                        str(SPEC),
                        "--package",
                        "bctrl",
                        "--output",
                        str(work / f"ours-{run}"),
                        "--renames",
                        str(RENAMES),
                    ],
                    ROOT,
                )
            )
            theirs.append(_timed([opc, "generate", "--path", str(SPEC), "--output-path", str(work / f"opc-{run}"), "--overwrite"], work))
    mine, base = statistics.median(ours), statistics.median(theirs)
    print(f"bctrl spec, {runs} alternating runs each, fresh processes")
    print(f"  clientgen generate:              median {mine:.2f} s  (min {min(ours):.2f}, max {max(ours):.2f})")
    print(f"  openapi-python-client generate:  median {base:.2f} s  (min {min(theirs):.2f}, max {max(theirs):.2f})")
    print(f"  ratio clientgen / openapi-python-client: {mine / base:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
