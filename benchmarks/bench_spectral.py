"""Benchmark: spectral_norm against scipy.sparse.linalg.svds(k=1) and np.linalg.norm(A, 2), one run.

Targets (issue 2): a 2000x2000 dense matrix to rtol 1e-8 in at most 1.5x the time of svds(k=1); a
sparse 100000x100000 matrix with 1e6 non-zeros to rtol 1e-6 in under 5 s.

    python benchmarks/bench_spectral.py [--quick]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import svds

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import best_time, table, write_json  # noqa: E402

from linalg_lab import spectral_norm  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    rng = np.random.default_rng(0)
    rows, data = [], []
    n = 500 if args.quick else 2000
    A = rng.standard_normal((n, n))
    t_ours, r = best_time(lambda: spectral_norm(A, rtol=1e-8, seed=0))
    t_svds, s = best_time(lambda: svds(A, k=1, return_singular_vectors=False, random_state=0))
    t_lap, ref = best_time(lambda: np.linalg.norm(A, 2), repeat=1)
    rows.append([f"dense {n}x{n}", "spectral_norm rtol 1e-8", t_ours, t_svds, t_ours / t_svds, t_lap,
                 r.upper_kind, f"{r.relative_gap:.1e}", r.lower <= ref <= r.upper])
    data.append({"case": f"dense {n}", "spectral_norm_s": t_ours, "svds_s": t_svds, "lapack_norm_s": t_lap,
                 "ratio_vs_svds": t_ours / t_svds, "target_ratio": 1.5, "bracket": [r.lower, r.upper],
                 "lapack": ref, "svds": float(s[0]), "status": r.status.value})
    N = 10_000 if args.quick else 100_000
    S = sp.random_array((N, N), density=10 / N, rng=rng, format="csr")
    for rtol, bound in ((1e-6, "auto"), (1e-3, "auto")):
        t0 = time.perf_counter()
        r2 = spectral_norm(S, rtol=rtol, seed=0, bound=bound)
        t_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        s2 = svds(S, k=1, return_singular_vectors=False, random_state=0)
        t_sv = time.perf_counter() - t0
        rows.append([f"sparse {N}x{N} nnz={S.nnz}", f"spectral_norm rtol {rtol:g} ({r2.upper_kind})", t_s, t_sv,
                     t_s / t_sv, float("nan"), r2.status.name, f"{r2.relative_gap:.1e}",
                     r2.lower <= float(s2[0]) * (1 + 1e-12) <= r2.upper * (1 + 1e-12)])
        data.append({"case": f"sparse {N}", "rtol": rtol, "spectral_norm_s": t_s, "svds_s": t_sv,
                     "bracket": [r2.lower, r2.upper], "status": r2.status.value, "reason": r2.reason,
                     "iterations": r2.iterations, "target_s": 5.0})
    print(table(["case", "method", "ours (s)", "svds k=1 (s)", "ratio", "LAPACK norm (s)", "bound/status",
                 "bracket width", "contains ref"], rows))
    print(f"results written to {write_json('spectral', data)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
