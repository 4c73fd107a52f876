"""Report section: every registered SVD method against LAPACK, seed 004, certified enclosures."""
from __future__ import annotations

import time
from typing import Any

import numpy as np

from ...._results import Rigour, Status
from ....tolerance import record
from ...registry import ReportContext, ReportSection, SectionOutput, register_section
from .. import md_table

#: Step budgets of the penalty methods here (their 20,000 default steps are kept for seed 004).
_PENALTY_STEPS = {True: 200, False: 2000}


def _methods_table(ctx: ReportContext, results: dict[str, Any]) -> tuple[str, int]:
    import scipy.linalg as sla

    from ....svd import CASES, LAPACK_THRESHOLD, METHODS, check_method, make_case

    rows: list[list[Any]] = []
    diverged = 0
    for case in ctx.track(list(CASES)):
        A = make_case(case, quick=ctx.quick, seed=ctx.seed)
        t0 = time.perf_counter()
        sla.svd(A, lapack_driver="gesdd")
        t_ref = time.perf_counter() - t0
        for name, spec in METHODS.items():
            steps = None if spec.accurate else _PENALTY_STEPS[ctx.quick]
            # mpmath off here (6 cases x every method); relative accuracy is judged against gejsv
            chk = check_method(A, method=name, steps=steps, seed=ctx.seed, mpmath_max_dim=0)
            res, cmp = chk.optimization, chk.comparison
            results[f"{case}/{name}"] = chk
            worst = cmp.ratios.worst
            if spec.accurate:
                # Acceptance: accurate methods meet every LAPACK test ratio (threshold 50 of TESTING/svd.in,
                # i.e. errors within 50 eps-units scaled as LAPACK scales them)
                worst_check = max([worst] + [c.error for c in cmp.checks])
                record(f"svd {case}/{name}: worst LAPACK-scaled ratio", worst_check, LAPACK_THRESHOLD,
                       kind="ratio", detail=cmp.normwise_verdict)
            else:
                # Acceptance: with the default step size the penalty methods must not diverge (issue 11)
                record(f"svd {case}/{name}: diverged", 1.0 if res.status is Status.DIVERGED else 0.0, 0.0,
                       kind="absolute", detail=res.reason)
            diverged += res.status is Status.DIVERGED
            nv = "LAPACK-level" if cmp.normwise_verdict == "LAPACK-level" else (
                "diverged" if res.status is Status.DIVERGED else "no")
            rel = max(cmp.relative_errors) if cmp.relative_errors else float("nan")
            rows.append([case, f"{A.shape[0]}x{A.shape[1]}", name, nv, f"{worst:.3g}",
                         f"{cmp.sv_normwise.get('gesdd', float('inf')):.2e}", f"{rel:.2e}", len(cmp.flags),
                         res.iterations, f"{res.elapsed_s:.3f}", f"{res.elapsed_s / max(t_ref, 1e-6):.3g}"])
    md = ["Every method of `linalg_lab.svd.METHODS` on the fixed family (`make_case`), scored by "
          "`compare_with_lapack` (numerical): LAPACK's test ratios (dbdt01, dort01 on the factors, "
          "ddrvbd tests 4 and 7; threshold 50), the normwise verdict (LAPACK's contract) and, separately, "
          "the largest relative singular-value error against gejsv (mode 'C'). Penalty methods run "
          f"{_PENALTY_STEPS[ctx.quick]} steps here (penalty-sgd with its automatic step size "
          "min(0.9, 1/L)); the accurate methods stop by their own rules. Time ratio: against scipy's gesdd "
          "with vectors on the same matrix.", "",
          md_table(["case", "shape", "method", "normwise", "worst LAPACK ratio", "max |ds|/s1",
                    "max |ds_i|/s_i (gejsv)", "reference flags", "iterations", "time (s)", "time / gesdd"], rows)]
    return "\n".join(md), diverged


def _seed004(ctx: ReportContext, results: dict[str, Any]) -> tuple[str, Any]:
    from ....svd.seed004 import SEED004_SHAPES
    from ...registry import ANALYSES

    seeds, steps = (3, 500) if ctx.quick else (50, 20_000)
    # Batches of seeds are the sweep's points; a batch runs all its seeds vectorised (one batch of 50
    # costs 3.5 s, two of 25 cost 5.8 s, measured), so the full report keeps one batch per (shape,
    # method); the quick one splits the seeds to exercise the pooling.
    block = 2 if ctx.quick else seeds
    grid = [{"shape": f"{m}x{n}", "method": meth, "seed_index": i, "seed_count": min(block, seeds - i),
             "steps": steps}
            for (m, n) in SEED004_SHAPES for meth in ("penalty-sgd", "penalty-adam") for i in range(0, seeds, block)]
    an = ANALYSES["seed004"]
    s4 = an.collect(ctx.sweep("seed004", grid))
    results["seed004"] = s4
    fig = an.figures(s4, ctx.fig_dir)[0]
    md = [f"### Seed 004: SGD vs Adam ({seeds} seeds x {steps} steps, the blog's settings, numerical)", "",
          f"Run as the `seed004` sweep ({len(grid)} batches of up to {block} seeds, stored in `sweeps/seed004/`; "
          "`linalg-lab sweep summary sweeps/seed004` prints this table from the store).", "",
          md_table(*s4.table()), "",
          f"**Verdict.** {s4.verdict}", "",
          "![Loss per step over seeds for each shape: median solid, 10 % and 90 % quantiles dashed]"
          "(figures/svd_seed004_losses.png)", ""]
    return "\n".join(md), fig


def _wide_range_matrix(seed: int) -> np.ndarray:
    """26x26 Gaussian with columns scaled 1..1e-27: singular values over 27 orders of magnitude."""
    return np.random.default_rng([seed, 26]).standard_normal((26, 26)) * np.logspace(0, -27, 26)


def _enclosures(ctx: ReportContext, results: dict[str, Any]) -> str:
    from proofs_check.svd import singular_value_enclosures

    from ....svd import make_case

    erows = []
    for case in ctx.track(["random", "graded", "rank-deficient", "wide"]):
        A = make_case(case, quick=ctx.quick, seed=ctx.seed)
        for route in ("arb", "float"):
            enc = singular_value_enclosures(A, route=route)
            results[f"enclosure {case}/{route}"] = enc
            # Acceptance: the enclosure is proved (every rounding accounted for)
            record(f"svd enclosure {case}/{route}: certified", 0.0 if enc.certified else 1.0, 0.0,
                   kind="absolute", detail=enc.reason)
            erows.append([case, route, "yes" if enc.certified else "NO", f"{enc.max_width:.3g}",
                          f"{enc.width_in_nu:.3g}", enc.refined, f"{enc.elapsed_s:.3f}"])
    ctx.case("relative enclosures, 26x26, 27 orders")
    A = _wide_range_matrix(ctx.seed)
    plain = singular_value_enclosures(A)
    rel = singular_value_enclosures(A, relative=True)
    results["relative enclosure 26x26"] = rel
    rw = float(np.max(rel.relative_widths))
    # Acceptance: every singular value to relative width 1e-10 (10 digits), as requested
    record("svd relative enclosure 26x26 (27 orders): max relative width", rw, 1e-10, kind="relative",
           detail=rel.reason)
    s = rel.s
    md = ["### Certified singular-value enclosures (proofs_check)", "",
          "Widths in units of n·u·‖A‖₂ (u = 2⁻⁵³); `arb`: Arb products plus Kato–Temple, `float`: error-free "
          "split (Ozaki) BLAS products, no Kato–Temple step.", "",
          md_table(["case", "route", "certified", "max width", "width / (n u normA)", "Kato-Temple",
                    "time (s)"], erows), "",
          f"Relative enclosures (`relative=True`) on a 26×26 Gaussian matrix with columns scaled 1..1e-27 "
          f"(σ from {s[0]:.2g} to {s[-1]:.2g}): the normwise enclosure's largest relative width is "
          f"{float(np.max(plain.relative_widths)):.2g}; after re-certifying the Gram eigenvalues in Arb at "
          f"{rel.relative.prec} bits it is {rw:.2g} ({rel.relative.elapsed_s:.2f} s).", ""]
    return "\n".join(md)


def build(ctx: ReportContext) -> SectionOutput:
    results: dict[str, Any] = {}
    md_methods, diverged = _methods_table(ctx, results)
    md_seed, fig = _seed004(ctx, results)
    md = [md_methods, "", md_seed]
    if ctx.certify:
        md.append(_enclosures(ctx, results))
    return SectionOutput(
        markdown="\n".join(md),
        conclusion=("The Riemannian trust-region, Jacobi and subspace-iteration methods reach LAPACK's own test "
                    "ratios on every case while the seed's penalty formulation does not ("
                    + ("its automatic step size avoids divergence, but the step budgets here leave it far from "
                       "LAPACK accuracy" if not diverged else f"it still diverged on {diverged} runs")
                    + (")" if not ctx.certify else "), and relative certified enclosures give every singular "
                       "value to 10 digits even when they span 27 orders of magnitude") + "."),
        rigour=Rigour.CERTIFIED if ctx.certify else Rigour.NUMERICAL, results=results, figures=[fig])


register_section(ReportSection(name="svd", title="SVD by optimisation vs LAPACK", order=40, build=build,
                               summary="optimisation SVDs in LAPACK's terms; seed 004; certified enclosures"))
