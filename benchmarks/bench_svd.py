"""Benchmarks for the SVD family, each against LAPACK gesdd in the same run.

1. Certified enclosures of all singular values of an n×n Gaussian matrix (``proofs_check.
   singular_value_enclosures``, float route: error-free Ozaki-split BLAS products, its own gesdd
   call included) against scipy gesdd with vectors, with the BLAS's default threads and with one
   thread (threadpoolctl).  Also: one n×n dgemm (the bounds cost about seven), and the width the
   old a-priori γ_n route gives.  Issue 17 targets at n = 1000 and 2000: at most 3× gesdd, max
   width at most 10·n·u·‖A‖₂.
2. The accurate optimisation methods' time to LAPACK-level accuracy (every LAPACK test ratio
   below 50) against gesdd, as a ratio.
3. Relative-accuracy enclosures (``singular_value_enclosures(A, relative=True)``) of n×n Gaussian
   matrices with columns scaled 1..10^-r (singular values over r orders of magnitude): correct
   digits of the worst singular value (against an mpmath SVD at enough digits, also timed) and
   time, against gesdd.  Target: 10 digits of every value at n = 26, r = 27, in seconds.

Usage: ``python benchmarks/bench_svd.py [--quick]``; writes ``benchmarks/results/svd.json``.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import scipy.linalg as sla


def _best(fn, repeat, cpu=None):
    """Least wall time over ``repeat`` runs; with a list ``cpu``, also append the least CPU time of
    the process (all threads): on a loaded machine it is the steadier measure of the work done."""
    best, best_cpu, out = float("inf"), float("inf"), None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
        if best > 5.0:  # long runs: one timing is enough
            break
    if cpu is not None:
        cpu.append(best_cpu)
    return best, out


def main(argv=None) -> int:
    from linalg_lab.svd import lapack_ratios, svd_by_optimization
    from proofs_check.svd import singular_value_enclosures

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (seconds)")
    ap.add_argument("--only", choices=("all", "enclosures", "methods", "relative"), default="all",
                    help="run one section only (default: all)")
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "svd.json"))
    args = ap.parse_args(argv)
    repeat = 2 if args.quick else 3
    rng = np.random.default_rng(0)
    results: dict = {"enclosures": [], "methods": [], "relative": []}
    ok = True

    want = (lambda name: args.only in ("all", name))
    print("1. certified enclosures of all singular values vs gesdd with vectors (Gaussian n x n)")
    print(f"{'n':>6} {'threads':>7} {'gesdd (s)':>10} {'enclose (s)':>12} {'ratio':>6} {'bounds only (s)':>16} "
          f"{'dgemm (s)':>10} {'cpu ratio':>9} {'certified':>9} {'width/(n u ||A||)':>18} {'a-priori route':>15} {'target':>14}")
    from threadpoolctl import threadpool_limits

    from proofs_check.svd._enclosures import _apriori_route, _exact_shift, _prepared_factors

    for n in ([] if not want("enclosures") else [300] if args.quick else [1000, 2000]):
        A = rng.standard_normal((n, n))
        for threads in ("default", 1):
            with threadpool_limits(limits=None if threads == "default" else 1):
                cpu: list = []
                t_ref, (U, s, Vt) = _best(lambda: sla.svd(A, lapack_driver="gesdd"), repeat, cpu)
                t_enc, enc = _best(lambda: singular_value_enclosures(A, route="float"), repeat, cpu)
                t_b, _ = _best(lambda: singular_value_enclosures(A, svd=(U, s, Vt), route="float"), repeat)
                t_mm, _ = _best(lambda: A @ A, repeat)
                sh = _exact_shift(A)
                A_, U_, s_, V_ = _prepared_factors(A, (U, s, Vt), sh, "bench")
                e_old, f_old, g_old = _apriori_route(A_, U_, s_, V_)
            # the a-priori route's width 2e + s_1 (f + g), in units of n u ||A||_2
            w_old = float((2 * e_old + s_[0] * (f_old + g_old)).upper()) / (n * 2.0**-53 * s_[0])
            ratio = t_enc / t_ref
            target = "<= 3x, <= 10" if n in (1000, 2000) else "-"
            if n in (1000, 2000) and not (enc.certified and enc.width_in_nu <= 10.0):
                ok = False  # the width target must hold; the time ratio is reported (machine load varies)
            print(f"{n:>6} {str(threads):>7} {t_ref:>10.3f} {t_enc:>12.3f} {ratio:>6.2f} {t_b:>16.3f} {t_mm:>10.3f} "
                  f"{cpu[1] / cpu[0]:>9.2f} {str(enc.certified):>9} {enc.width_in_nu:>18.2f} {w_old:>15.0f} {target:>14}")
            results["enclosures"].append(dict(n=n, threads=threads, gesdd_s=t_ref, enclosure_s=t_enc, ratio=ratio,
                                              bounds_only_s=t_b, dgemm_s=t_mm,
                                              gesdd_cpu_s=cpu[0], enclosure_cpu_s=cpu[1], certified=enc.certified,
                                              max_width=enc.max_width, width_in_nu=enc.width_in_nu,
                                              apriori_width_in_nu=w_old))

    print("\n2. accurate optimisation methods: time to LAPACK-level accuracy vs gesdd")
    print(f"{'method':<20} {'shape':>9} {'gesdd (s)':>10} {'method (s)':>11} {'ratio':>8} {'iters':>6} "
          f"{'worst LAPACK ratio':>19} {'LAPACK-level':>12}")
    cases = [("jacobi", (200, 100)), ("subspace-iteration", (200, 100)), ("riemannian-tr", (200, 100))]
    if not args.quick:
        cases += [("jacobi", (400, 200)), ("subspace-iteration", (400, 200)), ("riemannian-tr", (400, 200)),
                  ("subspace-iteration-rank10", (400, 200)), ("riemannian-tr-rank10", (400, 200))]
    for name, (m, n) in (cases if want("methods") else []):
        if name.endswith("-rank10"):  # graded spectrum (1..1e-12): sigma_11/sigma_10 = 0.87
            from linalg_lab.svd._cases import _with_values

            A = _with_values(rng, m, n, np.logspace(0, -12, n))
        else:
            A = rng.standard_normal((m, n))
        method, rank = (name, None) if not name.endswith("-rank10") else (name[: -len("-rank10")], 10)
        t_ref, _ = _best(lambda: sla.svd(A, full_matrices=False, lapack_driver="gesdd"), repeat)
        t_m, res = _best(lambda: svd_by_optimization(A, method=method, rank=rank, seed=1), repeat)
        r = lapack_ratios(A, res.U, res.s, res.Vt)
        print(f"{name:<20} {f'{m}x{n}':>9} {t_ref:>10.4f} {t_m:>11.4f} {t_m / t_ref:>8.1f} {res.iterations:>6} "
              f"{r.worst:>19.3g} {str(r.passed):>12}")
        results["methods"].append(dict(method=name, shape=[m, n], gesdd_s=t_ref, method_s=t_m,
                                       ratio=t_m / t_ref, iterations=res.iterations, worst_ratio=r.worst,
                                       lapack_level=r.passed))
    print("\n3. relative enclosures: columns scaled 1..1e-r (singular values over r orders)")
    print(f"{'n':>4} {'r':>4} {'gesdd (s)':>10} {'relative (s)':>13} {'ratio':>8} {'bits':>5} "
          f"{'min digits':>10} {'max rel width':>14} {'mpmath (s)':>11} {'target':>8}")
    import mpmath

    for n, r in ([] if not want("relative") else [(26, 27)] if args.quick else [(26, 27), (40, 60), (60, 100)]):
        A = np.random.default_rng(n).standard_normal((n, n)) * np.logspace(0, -r, n)
        t_ref, _ = _best(lambda: sla.svd(A, lapack_driver="gesdd"), repeat)
        t_rel, enc = _best(lambda: singular_value_enclosures(A, relative=True), 1 if not args.quick else 2)
        t0 = time.perf_counter()
        with mpmath.workdps(2 * r + 40):
            exact = sorted(mpmath.svd_r(mpmath.matrix(A.tolist()), compute_uv=False), reverse=True)
            t_mp = time.perf_counter() - t0
            digits = min(-float(mpmath.log10(abs((mpmath.mpf(lo) + mpmath.mpf(hi)) / 2 - x) / x + mpmath.mpf(10) ** -30))
                         for lo, hi, x in zip(enc.lower, enc.upper, exact))
            inside = all(mpmath.mpf(lo) <= x <= mpmath.mpf(hi) for lo, hi, x in zip(enc.lower, enc.upper, exact))
        rw = float(np.max(enc.relative_widths))
        target = "10 dig." if (n, r) == (26, 27) else "-"
        if (n, r) == (26, 27) and not (inside and digits >= 10 and enc.ok):
            ok = False
        print(f"{n:>4} {r:>4} {t_ref:>10.4f} {t_rel:>13.3f} {t_rel / t_ref:>8.0f} {enc.relative.prec:>5} "
              f"{digits:>10.1f} {rw:>14.2e} {t_mp:>11.2f} {target:>8}")
        results["relative"].append(dict(n=n, orders=r, gesdd_s=t_ref, relative_s=t_rel, bits=enc.relative.prec,
                                        min_digits=digits, max_relative_width=rw, contains_mpmath=inside,
                                        mpmath_s=t_mp, ok=enc.ok))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"\nresults written to {out}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
