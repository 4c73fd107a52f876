"""Sweep runner: a 200-point seed-004 sweep on 1 and 2 local processes and a 2-worker Dask LocalCluster.

Reports wall time, speed-up over one local process, and the per-task overhead of each executor:
``(wall * workers - sum of the tasks' own times) / points`` (startup included).  The reference is
the batched in-process ``reproduce_seed004`` over the same seeds (vectorised numpy), run in the same
process: it shows what a sweep of independent tasks costs against one hand-batched loop.

    python benchmarks/bench_sweep.py [--points 200] [--steps 2000]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import table, write_json  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--points", type=int, default=200, help="grid points (seed indices x 2 optimisers)")
    ap.add_argument("--steps", type=int, default=2000, help="steps per seed-004 run")
    args = ap.parse_args()
    from linalg_lab.app.registry import ANALYSES, discover
    from linalg_lab.sweep import Store, run
    from linalg_lab.svd.seed004 import reproduce_seed004

    discover()
    an = ANALYSES["seed004"]
    seeds = list(range(args.points // 2))
    grid = {"seed_index": seeds, "method": ["penalty-sgd", "penalty-adam"], "steps": [args.steps]}
    t0 = time.perf_counter()
    reproduce_seed004(seeds=seeds, steps=args.steps, shapes=[(5, 4)])
    t_batched = time.perf_counter() - t0
    rows, results = [], {}
    base = None
    for label, executor, workers in [("local, 1 process", "local", 1), ("local, 2 processes", "local", 2),
                                     ("dask LocalCluster, 2 workers", "dask-local", 2)]:
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            res = run(an, grid, store=tmp, executor=executor, workers=workers)
            wall = time.perf_counter() - t0
            task_time = sum(r.elapsed_s for r in Store(tmp).rows())
        assert res.ok and res.ran == args.points, res.reason
        base = base or wall
        overhead = (wall * workers - task_time) / args.points
        rows.append([label, wall, base / wall, task_time / args.points * 1e3, overhead * 1e3])
        results[label] = {"wall_s": wall, "speedup": base / wall, "task_ms": task_time / args.points * 1e3,
                          "overhead_ms_per_task": overhead * 1e3}
    print(f"seed-004 sweep: {args.points} points ({len(seeds)} seeds x 2 optimisers, shape 5x4, "
          f"{args.steps} steps each)")
    print(table(["executor", "wall (s)", "speed-up", "task (ms)", "overhead/task (ms)"], rows))
    print(f"reference: batched in-process reproduce_seed004 over the same seeds: {t_batched:.2f} s")
    results["batched_reference_s"] = t_batched
    # The same runs as a few batched points (seed_count > 1: each point runs its seeds vectorised),
    # the way the report and docs/grids/seed004.toml split seed 004.
    block = max(1, len(seeds) // 4)
    bgrid = {"seed_index": list(range(0, len(seeds), block)), "seed_count": [block],
             "method": ["penalty-sgd", "penalty-adam"], "steps": [args.steps]}
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        res = run(an, bgrid, store=tmp, executor="local", workers=2)
        wall_b = time.perf_counter() - t0
    assert res.ok, res.reason
    print(f"the same runs as {res.ran} batched points of {block} seeds on 2 local processes: {wall_b:.2f} s "
          f"({base / wall_b:.1f}x faster than 200 single-seed points on 1 process)")
    results["batched_points_2_processes_s"] = wall_b
    write_json("sweep", results)


if __name__ == "__main__":
    main()
