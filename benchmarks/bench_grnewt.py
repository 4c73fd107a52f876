"""Benchmark: the grnewt solver against the seed's algorithm on the reference test matrix, and the
certified root's cost, in one run.

Prints the found/correct table (correct = checked against brute-force global minimisation of the
cubic model; see ``linalg_lab.grnewt.comparison``), per-solve times of both solvers with their
ratio, and the time of ``proofs_check.grnewt.nesterov_root`` per size.

    python benchmarks/bench_grnewt.py [--quick] [--trials N]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import best_time, table, write_json  # noqa: E402

from linalg_lab.grnewt import compare_solvers, nesterov_lrs, seed_nesterov_lrs, test_problem  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="20 trials, sizes up to 20")
    ap.add_argument("--trials", type=int, default=None, help="trials per cell (default 200; quick 20)")
    args = ap.parse_args(argv)
    trials = args.trials or (20 if args.quick else 200)
    sizes = (2, 5, 10, 20) if args.quick else (2, 5, 10, 20, 50)
    t0 = time.perf_counter()
    res = compare_solvers(sizes=sizes, trials=trials)
    rows, data = [], []
    for c in res.cells:
        rows.append([c.S, c.h_kind, c.d_kind, c.bounded, f"{c.ours_correct}/{c.trials}",
                     f"{c.seed_found}/{c.trials}", f"{c.seed_correct}/{c.trials}",
                     1e3 * c.ours_s / c.trials, 1e3 * c.seed_s / c.trials, c.ours_s / max(c.seed_s, 1e-12)])
        data.append({k: getattr(c, k) for k in ("S", "h_kind", "d_kind", "trials", "bounded", "ours_correct",
                                                  "seed_found", "seed_correct", "ours_s", "seed_s", "cases")})
    print(f"solver comparison, damping_int = {res.damping_int}, {trials} trials per cell "
          f"({time.perf_counter() - t0:.0f} s with brute force): {res.reason}")
    print(table(["S", "H", "d", "bounded", "ours correct", "seed found", "seed correct", "ours ms",
                 "seed ms", "ratio"], rows))
    from proofs_check.grnewt import nesterov_root

    crow, cdata = [], []
    rng = np.random.default_rng(5)
    for S in sizes:
        H, g, d = test_problem(S, "random", "random", rng)
        t_c, cert = best_time(lambda: nesterov_root(H, g, d, damping_int=1.0), repeat=1)
        t_f, _ = best_time(lambda: nesterov_lrs(H, g, d, damping_int=1.0))
        t_s, _ = best_time(lambda: seed_nesterov_lrs(H, g, d, damping_int=1.0))
        crow.append([S, cert.verdict.value, f"{cert.relative_width:.1e}", cert.prec_bits, t_c, t_f, t_c / t_f])
        cdata.append({"S": S, "verdict": cert.verdict.value, "relative_width": cert.relative_width,
                      "certified_s": t_c, "float_s": t_f, "seed_s": t_s})
    print("\ncertified root (random H, random d)")
    print(table(["S", "verdict", "rel. width", "bits", "certified s", "float s", "ratio"], crow))
    write_json("grnewt", {"comparison": data, "certified": cdata, "trials": trials})
    return 0 if res.ok else 1


if __name__ == "__main__":
    sys.exit(main())
