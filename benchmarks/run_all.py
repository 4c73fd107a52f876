"""Run every benchmark (benchmarks/bench_*.py), each in its own process, one after another.

    python benchmarks/run_all.py [--quick] [--only=NAME ...]

Each benchmark compares against its reference implementation in the same run and prints ratios;
JSON results land in benchmarks/results/.  Run it on an otherwise idle machine: the timings are
wall-clock.
"""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    only = [a.split("=", 1)[1] for a in argv if a.startswith("--only=")]
    rest = [a for a in argv if not a.startswith("--only=")]
    here = Path(__file__).resolve().parent
    failed = []
    for path in sorted(here.glob("bench_*.py")):
        name = path.stem[len("bench_"):]
        if only and name not in only:
            continue
        print(f"\n=== {name} ===", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call([sys.executable, str(path), *rest])
        print(f"({name}: {time.perf_counter() - t0:.1f} s, exit {rc})", flush=True)
        if rc:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
