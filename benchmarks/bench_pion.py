"""Benchmark: one Pion step per retraction against one Muon step (5 Newton–Schulz iterations), one run.

Issue 13: at 1024x4096, time ``linalg_lab.optim.pion_step`` with each retraction (expm, Cayley,
E2; diagnostics off) and ``linalg_lab.newton_schulz(G, "muon")`` (Jordan's quintic, 5 steps) plus
the update, on the same matrices, and print the ratios Pion / Muon.  Pion's cost is dominated by
the n x n generator of the larger side (here 4096 x 4096): a retraction there costs O(n^3), while
Muon's iterations cost O(m^2 n) on the smaller side.

    python benchmarks/bench_pion.py [--quick] [--shape 1024x4096]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import best_time, table, write_json  # noqa: E402

from linalg_lab.ns import newton_schulz  # noqa: E402
from linalg_lab.optim import RETRACTIONS, pion_step  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="256x1024 instead of 1024x4096")
    ap.add_argument("--shape", default=None, help="MxN (default 1024x4096, or 256x1024 with --quick)")
    ap.add_argument("--repeat", type=int, default=2, help="timing repeats (minimum taken; default 2)")
    args = ap.parse_args(argv)
    shape = args.shape or ("256x1024" if args.quick else "1024x4096")
    m, n = (int(t) for t in shape.lower().split("x"))
    rng = np.random.default_rng(0)
    W = rng.standard_normal((m, n)) / np.sqrt(n)
    G = rng.standard_normal((m, n))
    lr, rms = 0.02, 0.2

    def muon():
        O = np.asarray(newton_schulz(G, "muon", steps=5).X)
        return W - lr * rms * np.sqrt(m * n) / np.linalg.norm(O) * O

    t_muon, _ = best_time(muon, repeat=args.repeat)
    rows, data = [["muon (5 NS steps)", t_muon, 1.0, "", ""]], []
    data.append({"method": "muon", "shape": [m, n], "seconds": t_muon})
    s0 = np.linalg.svd(W, compute_uv=False)
    for name in RETRACTIONS:
        t, r = best_time(lambda: pion_step(W, G, lr=lr, rms=rms, retraction=name, diagnostics=False),
                         repeat=args.repeat)
        s1 = np.linalg.svd(r.W, compute_uv=False)
        drift = float(np.max(np.abs(s1 - s0)) / s0[0])
        rows.append([f"pion {name}", t, t / t_muon, f"{drift:.2e}", f"{r.rms_ratio:.4f}"])
        data.append({"method": f"pion-{name}", "shape": [m, n], "seconds": t, "ratio_vs_muon": t / t_muon,
                     "sigma_drift_one_step": drift, "rms_ratio": r.rms_ratio})
    print(f"one optimiser step on a {m}x{n} matrix (float64, numpy/scipy on CPU)")
    print(table(["method", "time (s)", "ratio vs muon", "sigma drift (1 step)", "RMS(dW)/lr"], rows))
    print(f"results written to {write_json('pion', data)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
