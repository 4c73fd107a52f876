"""Benchmark: NS schedule design (issue 15) — design time, best certified error per matrix-product
budget against every preset, and the robust objective's trade-off, in one run.

1. Time of ``ns_design`` for 8 steps (target: < 5 s) against the time of certifying the same
   schedule with ``proofs_check.schedule_band`` (the reference in the same run).
2. For budgets of 12, 15, 18, 21, 24 matrix products and ``lo`` in {1e-2, 1e-3, 1e-4}: the
   certified worst error on ``[lo, 1]`` of the best cubic/quintic/septic mix (``design_budget``)
   against every preset run for as many steps as fit in the budget.
3. Robust objective (headroom 1.2, bf16 margin) against the plain minimax and Polar-Express-style
   designs: certified error on ``[lo, 1]`` and ``[lo, 1.2]``, and the emulated-bf16 error on a test
   matrix whose norm is under-estimated by 15%.

    python benchmarks/bench_ns_design.py [--quick] [--plot PATH]
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from fractions import Fraction
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import table, write_json  # noqa: E402

from linalg_lab.ns import PRESETS, newton_schulz  # noqa: E402
from linalg_lab.ns.design import certified_error_bounds, design_schedule  # noqa: E402
from linalg_lab.ns.design_budget import design_budget, step_cost  # noqa: E402
from proofs_check.newton_schulz import schedule_band  # noqa: E402

BUDGETS = (12, 15, 18, 21, 24)
LOS = (1e-2, 1e-3, 1e-4)


def cert_error(schedule, lo: float, hi: float, steps: int) -> float:
    """Certified upper bound on max |1 - P| over [lo, hi] (inf when the band is not certified)."""
    band = schedule_band(schedule, lo, hi, steps=steps)
    return certified_error_bounds(band)[1] if band.certified else float("inf")


def timings() -> tuple[list[list], list[dict]]:
    cases = {
        "8 quintic, PE cushion": dict(lo=1e-3, steps=8, cushion=0.02407327424182761),
        "8 septic": dict(lo=1e-4, steps=8, degree=7),
        "8 quintic robust bf16": dict(lo=1e-3, steps=8, objective="robust", headroom=1.2),
    }
    rows, data = [], []
    for name, kw in cases.items():
        t0 = time.perf_counter()
        d = design_schedule(**kw)
        t_design = time.perf_counter() - t0
        t0 = time.perf_counter()
        schedule_band(d.schedule, d.lo, d.hi, steps=len(d.degrees))
        t_cert = time.perf_counter() - t0
        rows.append([name, t_design, t_cert, t_design / t_cert, "yes" if t_design < 5 else "NO"])
        data.append({"case": name, "design_s": t_design, "certify_s": t_cert, "target_s": 5.0})
    t0 = time.perf_counter()
    design_budget(lo=1e-4, budget=24)
    t_b = time.perf_counter() - t0
    rows.append(["design_budget lo=1e-4, 24 products", t_b, float("nan"), float("nan"), "-"])
    data.append({"case": "design_budget 24", "design_s": t_b})
    return rows, data


def budget_table(los, budgets) -> tuple[list[list], list[dict]]:
    rows, data = [], []
    for lo in los:
        r = design_budget(lo=lo, budget=max(budgets))
        for B in budgets:
            b, _, seq = min((t for t in r.best_by_products if t[0] <= B), key=lambda t: (t[1], t[0]))
            d = design_schedule(lo=lo, steps=len(seq), degree=seq)
            ours = cert_error(d.schedule, lo, 1, len(seq))
            presets = {}
            for name, sch in PRESETS.items():
                k = B // max(st.products for st in sch.steps)
                presets[name] = cert_error(sch, lo, 1, k)
            best_name = min(presets, key=presets.get)
            rows.append([f"{lo:g}", B, "-".join(map(str, seq)), b, ours, best_name, presets[best_name],
                         presets[best_name] / ours if ours > 0 else float("inf")])
            data.append({"lo": lo, "budget": B, "degrees": list(seq), "products": b, "designed_error": ours,
                         "presets": presets})
    return rows, data


def robust_tradeoff(steps: int = 6) -> tuple[list[list], list[dict]]:
    rng = np.random.default_rng(15)
    n = 128
    sv = np.concatenate([[1.0], np.geomspace(2e-3, 0.03, n - 1)])  # ||A||_F ~ 1.01
    U, _ = np.linalg.qr(rng.standard_normal((n, n)))
    V, _ = np.linalg.qr(rng.standard_normal((n, n)))
    A = (U * sv) @ V.T
    designs = {
        "minimax": design_schedule(lo=1e-3, steps=steps),
        "PE-style (safety 1.01, cushion)": design_schedule(lo=1e-3, steps=steps, safety=1.01,
                                                           cushion=0.02407327424182761),
        "robust (headroom 1.2, bf16)": design_schedule(lo=1e-3, steps=steps, objective="robust", headroom=1.2),
    }
    rows, data = [], []
    for name, d in designs.items():
        e1 = cert_error(d.schedule, 1e-3, 1, steps)
        e12 = cert_error(d.schedule, 1e-3, 1.2, steps)
        bf = {}
        for under, sf in (("exact norm", Fraction(1)), ("norm under-estimated 15%", Fraction(20, 23))):
            sch = dataclasses.replace(d.schedule, safety=sf, eps=0.0)
            with np.errstate(all="ignore"):
                X = newton_schulz(A, sch, precision="bfloat16").X
                X = np.nan_to_num(X, nan=1e6, posinf=1e6, neginf=-1e6)
                s = np.linalg.svd(X, compute_uv=False)
            bf[under] = float(np.max(np.abs(s - 1)))
        rows.append([name, e1, e12, bf["exact norm"], bf["norm under-estimated 15%"]])
        data.append({"design": name, "certified_error_lo_1": e1, "certified_error_lo_1.2": e12, "bf16": bf})
    return rows, data


def plot(data: list[dict], path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len({d["lo"] for d in data}), figsize=(12, 3.6), sharey=True)
    axes = np.atleast_1d(axes)
    for ax, lo in zip(axes, sorted({d["lo"] for d in data}, reverse=True)):
        rows = [d for d in data if d["lo"] == lo]
        B = [d["budget"] for d in rows]
        floor = 1e-17
        ax.semilogy(B, [max(d["designed_error"], floor) for d in rows], "k-o", lw=2, label="designed (best mix)")
        for name in rows[0]["presets"]:
            ax.semilogy(B, [min(max(d["presets"][name], floor), 10) for d in rows], "--.", label=name)
        ax.set_title(f"lo = {lo:g}")
        ax.set_xlabel("matrix products")
    axes[0].set_ylabel("certified max |1 - P| on [lo, 1]")
    axes[-1].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="lo = 1e-3 and budgets 12, 15 only (default: all)")
    ap.add_argument("--plot", default=None, help="write the error-vs-products figure to this path (default: none)")
    args = ap.parse_args(argv)
    out = {}
    rows, out["timings"] = timings()
    print("design time (s) vs certification time of the same schedule (target < 5 s)")
    print(table(["case", "design s", "certify s", "ratio", "< 5 s"], rows))
    los, budgets = ((1e-3,), (12, 15)) if args.quick else (LOS, BUDGETS)
    rows, out["budgets"] = budget_table(los, budgets)
    print("\nbest certified worst error on [lo, 1] per product budget vs the best preset at that budget")
    print(table(["lo", "budget", "degrees", "products", "designed", "best preset", "its error", "ratio"], rows))
    rows, out["robust"] = robust_tradeoff()
    print("\nrobust objective, 6 steps, lo = 1e-3: certified error and emulated bf16 error")
    print(table(["design", "cert [lo,1]", "cert [lo,1.2]", "bf16 exact norm", "bf16 norm -15%"], rows))
    if args.plot:
        plot(out["budgets"], args.plot)
        print(f"figure: {args.plot}")
    print(f"results: {write_json('ns_design', out)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
