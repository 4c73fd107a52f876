"""Run every benchmark (benchmarks/bench_*.py) in one process, in order: ``python benchmarks/run_all.py [--quick]``.

Each benchmark compares against its reference implementation in the same run and prints ratios;
JSON results land in benchmarks/results/.
"""
from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    only = [a.split("=", 1)[1] for a in argv if a.startswith("--only=")]
    rest = [a for a in argv if not a.startswith("--only=")]
    here = Path(__file__).resolve().parent
    rc = 0
    for path in sorted(here.glob("bench_*.py")):
        name = path.stem[len("bench_"):]
        if only and name not in only:
            continue
        print(f"\n=== {name} ===", flush=True)
        spec = importlib.util.spec_from_file_location(path.stem, path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        t0 = time.perf_counter()
        rc |= int(mod.main(list(rest)) or 0)
        print(f"({name}: {time.perf_counter() - t0:.1f} s)", flush=True)
    return rc


if __name__ == "__main__":
    raise SystemExit(main())
