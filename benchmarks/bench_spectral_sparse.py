"""Benchmark: deterministic sparse spectral norm (Sylvester inertia certificate) vs svds(k=1), one run.

Targets (issue 17, part 2): a 2-D Laplacian-like sparse matrix with 10^6 unknowns and a random banded
one (10^5, bandwidth 50): a deterministic bracket of relative width <= 1e-8 in <= 10 s.  The
Laplacian's norm is known in closed form, 8 cos^2(pi / (2 (n + 1))), and is checked against the
bracket; svds(k=1, tol=1e-8) (ARPACK, no bound) is timed in the same run and the ratio printed.

    python benchmarks/bench_spectral_sparse.py [--quick] [--backend auto|cholmod|qdldl]
"""
from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import svds

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import table, write_json  # noqa: E402

from linalg_lab import spectral_norm  # noqa: E402
from linalg_lab.spectral_sparse import sparse_backend  # noqa: E402


def lap2(n: int) -> sp.csr_matrix:
    t = sp.diags([-np.ones(n - 1), 2 * np.ones(n), -np.ones(n - 1)], [-1, 0, 1])
    i = sp.identity(n)
    return (sp.kron(t, i) + sp.kron(i, t)).tocsr()


def banded(n: int, bw: int, rng: np.random.Generator) -> sp.csr_matrix:
    return sp.diags([rng.standard_normal(n - abs(k)) for k in range(-bw, bw + 1)], list(range(-bw, bw + 1))).tocsr()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="small sizes (default: the issue's sizes)")
    ap.add_argument("--backend", default="auto", help="sparse backend: auto, cholmod or qdldl (default auto)")
    ap.add_argument("--no-svds", action="store_true", help="skip the svds reference (default: run it)")
    args = ap.parse_args(argv)
    be = sparse_backend(args.backend)
    print(f"sparse backend: {be}")
    rng = np.random.default_rng(0)
    g = 300 if args.quick else 1000
    nb, bw = (10_000, 20) if args.quick else (100_000, 50)
    cases = {
        f"random banded {nb}, bandwidth {bw}": (banded(nb, bw, rng), None),
        f"2-D Laplacian {g}x{g} ({g * g} unknowns)": (lap2(g), 8 * math.cos(math.pi / (2 * (g + 1))) ** 2),
    }
    rows, data = [], []
    for name, (A, exact) in cases.items():
        t0 = time.perf_counter()
        r = spectral_norm(A, rtol=1e-8, seed=0, bound="deterministic", sparse_backend=args.backend)
        t_ours = time.perf_counter() - t0
        print(f"{name}: ours {r.status.name} in {t_ours:.2f} s, width {r.relative_gap:.2e}", flush=True)
        t_svds, s1 = math.nan, math.nan
        if not args.no_svds:
            # same accuracy target as the bracket (ARPACK's relative tolerance 1e-8)
            t0 = time.perf_counter()
            s1 = float(svds(A, k=1, tol=1e-8, return_singular_vectors=False, random_state=0)[0])
            t_svds = time.perf_counter() - t0
        ref = exact if exact is not None else s1
        contains = (r.lower <= ref <= r.upper) if exact is not None else \
            (r.lower <= ref * (1 + 1e-12) and ref * (1 - 1e-12) <= r.upper)
        rows.append([name, t_ours, t_svds, t_ours / t_svds, r.upper_kind, f"{r.relative_gap:.2e}",
                     r.status.name, contains])
        data.append({"case": name, "spectral_norm_s": t_ours, "svds_s": t_svds, "ratio_vs_svds": t_ours / t_svds,
                     "bracket": [r.lower, r.upper], "reference": ref, "relative_gap": r.relative_gap,
                     "upper_kind": r.upper_kind, "status": r.status.value, "reason": r.reason,
                     "theorem": r.theorem, "target_s": 10.0, "target_rtol": 1e-8, "backend": be})
        print(f"{name}: {r.status.name} in {t_ours:.2f} s; {r.theorem}; {r.reason}", flush=True)
    print(table(["case", "ours (s)", "svds k=1 (s)", "ratio", "bound", "bracket width", "status",
                 "contains ref"], rows))
    print(f"results written to {write_json('spectral_sparse', data)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
