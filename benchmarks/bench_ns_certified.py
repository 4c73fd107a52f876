"""Benchmark: certified ``schedule_band`` of 5-step Newton–Schulz schedules on [1e-3, 1].

Target (issue 3): a 5-step schedule's rigorous band on [1e-3, 1] in under 2 s on the 2-core machine.

"ours" is :func:`proofs_check.newton_schulz.schedule_band` (exact range per step: endpoints plus
enclosed critical points, Arb balls, 128 bits), timed cold (fresh root isolation of the critical
points) and warm.  References in the same run: a dense 40-digit mpmath sampling of the composed
map (not rigorous: a lower estimate of the range) and the naive Arb interval evaluation of the
composition on the whole interval (rigorous but useless: the dependency effect).  The table
reports the widths of the three and how far the certified band is from the sampled range.

    python benchmarks/bench_ns_certified.py [--quick]
"""
from __future__ import annotations

import argparse
import sys
import time
from fractions import Fraction
from pathlib import Path

import mpmath
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import best_time, table, write_json  # noqa: E402

from linalg_lab.ns.schedules import PRESETS  # noqa: E402
from proofs_check.newton_schulz import band as band_mod  # noqa: E402
from proofs_check.newton_schulz import schedule_band  # noqa: E402

TARGET_S = 2.0


def mp_sampled_range(sch, lo: float, hi: float, k: int, n: int) -> tuple[float, float]:
    steps = [[mpmath.mpf(c.numerator) / c.denominator for c in sch.step(i).coeffs] for i in range(k)]
    xs = np.unique(np.concatenate([np.linspace(lo, hi, n // 2), np.geomspace(lo, hi, n // 2)]))
    vals = []
    with mpmath.workdps(40):
        for x in xs:
            f = Fraction(float(x))
            y = mpmath.mpf(f.numerator) / f.denominator
            for cs in steps:
                y2 = y * y
                acc = cs[-1]
                for c in reversed(cs[:-1]):
                    acc = acc * y2 + c
                y = acc * y
            vals.append(y)
    return float(min(vals)), float(max(vals))


def naive_width_log10(sch, lo: float, hi: float, k: int) -> float:
    from flint import arb, arb_poly, ctx, fmpq

    old = ctx.prec
    ctx.prec = 128
    try:
        X = arb((lo + hi) / 2, (hi - lo) / 2)
        for i in range(k):
            cs = [0] * (2 * len(sch.step(i).coeffs))
            for j, c in enumerate(sch.step(i).coeffs):
                cs[2 * j + 1] = fmpq(c.numerator, c.denominator)
            X = arb_poly(cs)(X)
        w = 2 * arb(X.rad())
        return float((w.log() / arb(10).log()).mid())  # log10 of the width (it overflows float64)
    finally:
        ctx.prec = old


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer reference samples")
    args = ap.parse_args(argv)
    n = 400 if args.quick else 4000
    lo, hi = 1e-3, 1.0
    names = ["muon", "cesista5", "polar-express-5", "cans-5", "polar-express-8", "cubic"]
    rows, out = [], []
    ok = True
    for name in names:
        sch = PRESETS[name]
        k = sch.default_steps
        band_mod._map.cache_clear()
        t0 = time.perf_counter()
        b = schedule_band(sch, lo, hi)
        cold = time.perf_counter() - t0
        warm, _ = best_time(lambda: schedule_band(sch, lo, hi), repeat=5)
        t0 = time.perf_counter()
        smin, smax = mp_sampled_range(sch, lo, hi, k, n)
        t_ref = time.perf_counter() - t0
        nw = naive_width_log10(sch, lo, hi, k)
        gap = max(smin - b.lower, b.upper - smax)
        passed = (cold < TARGET_S) if k == 5 else None
        ok &= passed is not False and b.certified
        rows.append([name, k, cold * 1e3, warm * 1e3, t_ref * 1e3, t_ref / warm, b.upper - b.lower,
                     smax - smin, f"1e{nw:.0f}", gap, "-" if passed is None else ("PASS" if passed else "FAIL")])
        out.append({"schedule": name, "steps": k, "cold_s": cold, "warm_s": warm, "mpmath_sampling_s": t_ref,
                    "mpmath_samples": n, "band": [b.lower, b.upper], "sampled": [smin, smax],
                    "naive_width_log10": nw, "band_minus_sampled": gap, "certified": b.certified,
                    "target_s": TARGET_S if k == 5 else None})
    print(f"schedule_band on [{lo:g}, {hi:g}] (target: 5-step schedules < {TARGET_S:g} s cold); reference: "
          f"{n}-point 40-digit mpmath sampling and naive Arb interval evaluation")
    print(table(["schedule", "steps", "cold ms", "warm ms", "mpmath ms", "mpmath/warm", "band width",
                 "sampled width", "naive width", "band-sampled", "target"], rows))
    p = write_json("ns_certified", out)
    print(f"wrote {p}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
