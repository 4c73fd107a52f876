"""Report section for the SVD family: methods on a fixed family of matrices, seed 004, enclosures."""
from __future__ import annotations

import time
from typing import Any


def build(ctx: Any) -> Any:
    import numpy as np
    import scipy.linalg as sla

    from ..report import Section, md_table
    from . import CASES, METHODS, compare_with_lapack, make_case, reproduce_seed004, svd_by_optimization
    from ._plots import plot_seed004

    quick = ctx.quick
    # step budgets for the report (the penalty methods' 20,000 steps are kept for seed 004 itself)
    budget = {"penalty-sgd": 200 if quick else 2000, "penalty-adam": 200 if quick else 2000}
    rows: list[list[Any]] = []
    data: dict[str, Any] = {"methods": {}, "seed004": {}, "enclosures": {}}
    problems: list[str] = []
    for case in CASES:
        A = make_case(case, quick=quick, seed=ctx.seed)
        t0 = time.perf_counter()
        sla.svd(A, lapack_driver="gesdd")
        t_ref = time.perf_counter() - t0
        for name, spec in METHODS.items():
            res = svd_by_optimization(A, method=name, steps=budget.get(name), seed=ctx.seed)
            finite = bool(np.isfinite(res.U).all() and np.isfinite(res.Vt).all() and np.isfinite(res.s).all())
            if finite:
                cmp = compare_with_lapack(A, res, mpmath_max_dim=0)
                worst = cmp.ratios.worst
                err = cmp.sv_normwise["gesdd"]
                verdict = "LAPACK-level" if cmp.ok else "no"
            else:
                worst, err, verdict = float("inf"), float("inf"), "diverged"
            if spec.accurate and verdict != "LAPACK-level":
                problems.append(f"{name} not LAPACK-level on {case}")
            rows.append([case, f"{A.shape[0]}x{A.shape[1]}", name, verdict, worst, err, res.relative_residual,
                         res.iterations, res.wall_time, res.wall_time / max(t_ref, 1e-6)])
            data["methods"][f"{case}/{name}"] = {"verdict": verdict, "worst_ratio": worst, "sv_error": err,
                                                 "iterations": res.iterations, "time_s": res.wall_time,
                                                 "gesdd_s": t_ref}
    md = ["Every method from `linalg_lab.svd.METHODS` on the fixed family (`make_case`), scored by "
          "`compare_with_lapack` (numerical; LAPACK's test ratios, threshold 50). Budgets here: penalty "
          f"methods {budget['penalty-sgd']} steps (SGD's lr 0.9 was tuned for the blog's [0, 1) matrices and "
          "diverges on most of these), the accurate methods their own stopping rules; "
          "time ratio is against scipy gesdd with vectors on the same matrix.", "",
          md_table(["case", "shape", "method", "LAPACK-level", "worst ratio", "max abs(ds) / s1", "rel. residual",
                    "iterations", "time (s)", "time / gesdd"], rows)]
    # seed 004
    seeds, steps = (3, 500) if quick else (50, 20_000)
    s4 = reproduce_seed004(seeds=seeds, steps=steps)
    data["seed004"] = s4.to_dict()
    fig = plot_seed004(s4, ctx.figure_path("svd_seed004_losses.png"))
    srows = [[r["shape"], r["method"], f"{r['diverged']:.0%}", f"{r['reach']['1e-04']:.0%}",
              f"{r['reach']['1e-12']:.0%}", f"{r['lapack_level']:.0%}", r["median_error"], r["p90_error"],
              f"{r['stalled']:.0%}", f"{r['collapsed']:.0%}", r["seconds_per_run"]] for r in s4.rows]
    md += ["", f"### Seed 004: SGD vs Adam ({seeds} seeds x {steps} steps, numerical)", "",
           md_table(["shape", "method", "diverged", "err <= 1e-4", "err <= 1e-12", "LAPACK-level",
                     "median err", "p90 err", "stalled", "collapsed", "s / run"], srows),
           f"**Verdict.** {s4.verdict}", "", "![seed 004 loss curves](figures/svd_seed004_losses.png)", ""]
    figures = [fig]
    # certified enclosures
    if ctx.certify:
        from proofs_check.svd import singular_value_enclosures

        erows = []
        for case in ("random", "graded", "rank-deficient", "wide"):
            A = make_case(case, quick=quick, seed=ctx.seed)
            for route in ("arb", "float"):
                enc = singular_value_enclosures(A, route=route)
                if not enc.certified:
                    problems.append(f"enclosure of {case} ({route}) not certified")
                erows.append([case, route, "yes" if enc.certified else "NO", enc.max_width, enc.width_in_nu,
                              enc.refined, enc.elapsed])
                data["enclosures"][f"{case}/{route}"] = enc.to_dict()
        md += ["### Certified singular-value enclosures (proofs_check)", "",
               "Widths in units of n·u·‖A‖₂ (u = 2⁻⁵³); `arb`: Arb products plus Kato–Temple, `float`: BLAS "
               "products with a-priori γ_n bounds.", "",
               md_table(["case", "route", "certified", "max width", "width / (n u normA)", "Kato-Temple",
                         "time (s)"], erows)]
    return Section(title="SVD by optimisation vs LAPACK", markdown="\n".join(md), ok=not problems,
                   figures=tuple(figures), data=data, problems=tuple(problems))
