"""Benchmark: degree-4 SoS bound on ||X||_{2->4} for Gaussian X (n = 2 d^2).

Compares, in one run, ``linalg_lab.norms.two_to_q_sos`` (moment form on the symmetric subspace:
one PSD cone of order D = d(d+1)/2, N4 = C(d+3,4) variables, SCS at moderate accuracy for large d)
with a straightforward cvxpy Gram-form model (a PSD variable S of order D plus one equality per
quartic monomial, SCS) -- the anchor of issue #4 -- and times the rigorous post-processing
``proofs_check.two_to_q_certificate``.  Every case runs in a fresh subprocess so that its peak
resident memory (ru_maxrss, including the solvers' C allocations) is its own.

Targets (issue #4): SoS d = 20 < 10 s, d = 30 < 30 s, d = 40 < 120 s with peak memory < 4 GB; the
certificate in at most the solver's time.

Usage: python benchmarks/bench_norms.py [--quick] [--sizes 20 30 40] [--reference-max-d 30]
Writes benchmarks/results/norms.json.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import platform
import resource
import sys
import time
from pathlib import Path

import numpy as np

TARGETS_S = {20: 10.0, 30: 30.0, 40: 120.0}
MEMORY_TARGET_MB = 4096.0
REFERENCE_EPS = 1e-5  # the anchor's "moderate accuracy" SCS run


def _instance(d: int, seed: int) -> np.ndarray:
    return np.random.default_rng([seed, d]).standard_normal((2 * d * d, d))


def _ours(d: int, seed: int, q: mp.Queue) -> None:
    import cvxpy  # noqa: F401  (import cost outside the timing, as for the reference)

    from linalg_lab.norms import two_to_q_sos
    from proofs_check.norms import two_to_q_certificate

    X = _instance(d, seed)
    t0 = time.perf_counter()
    s = two_to_q_sos(X)
    t_sos = time.perf_counter() - t0
    t1 = time.perf_counter()
    c = two_to_q_certificate(X, s, moment=False)
    t_cert = time.perf_counter() - t1
    q.put({"d": d, "n": X.shape[0], "D": s.D, "solver": s.solver, "eps": s.eps,
           "solver_status": s.solver_status, "setup_s": s.setup_s, "solve_s": s.solve_s,
           "sos_s": t_sos, "cert_s": t_cert, "sos_value": s.value, "cert_lower": c.lower,
           "cert_upper": c.upper, "verdict": c.verdict, "rel_gap": c.rel_gap,
           "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0})


def _reference(d: int, seed: int, q: mp.Queue) -> None:
    """Straightforward Gram form: S PSD variable, coefficient matching as equalities, SCS."""
    import cvxpy as cp
    import scipy.sparse as sp

    from linalg_lab.norms._basis import quartic_basis

    X = _instance(d, seed)
    t0 = time.perf_counter()
    B = quartic_basis(d)
    M = B.ortho_vectors(X)
    Q = M.T @ M
    scale = float(np.linalg.eigvalsh(Q)[-1])
    g = B.coefficients(Q / scale)
    D = B.D
    w = B.c[B.P1] * B.c[B.P2]
    offd = B.offdiag
    rows = np.concatenate([B.alpha, B.alpha[offd]])
    cols = np.concatenate([B.P1 * D + B.P2, (B.P2 * D + B.P1)[offd]])
    vals = np.concatenate([w, w[offd]])
    A = sp.csr_matrix((vals, (rows, cols)), shape=(B.N4, D * D))
    S = cp.Variable((D, D), PSD=True)
    lam = cp.Variable()
    prob = cp.Problem(cp.Minimize(lam), [A @ cp.vec(S, order="C") == lam * B.norm4 - g])
    prob.solve(solver="SCS", eps_abs=REFERENCE_EPS, eps_rel=REFERENCE_EPS)
    t = time.perf_counter() - t0
    q.put({"d": d, "ref_s": t, "ref_status": str(prob.status),
           "ref_value": float(lam.value * scale) ** 0.25 if lam.value is not None else float("nan"),
           "ref_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0})


def _run(target, d: int, seed: int, timeout: float) -> dict:
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=target, args=(d, seed, q))
    p.start()
    p.join(timeout)
    if p.is_alive():
        p.terminate()
        p.join()
        return {"d": d, "error": f"timed out after {timeout:.0f} s"}
    try:
        return q.get(timeout=5)
    except Exception:
        return {"d": d, "error": f"exit code {p.exitcode}"}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (8, 12) only")
    ap.add_argument("--sizes", type=int, nargs="*", default=None)
    ap.add_argument("--reference-max-d", type=int, default=30,
                    help="run the reference Gram-form model up to this d (40 takes minutes)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=600.0)
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "norms.json"))
    args = ap.parse_args(argv)
    sizes = args.sizes or ([8, 12] if args.quick else [20, 30, 40])
    rows = []
    for d in sizes:
        r = _run(_ours, d, args.seed, args.timeout)
        if d <= args.reference_max_d:
            r.update({k: v for k, v in _run(_reference, d, args.seed, args.timeout).items() if k != "d"})
        rows.append(r)
        print(f"  d = {d}: done", file=sys.stderr)
    hdr = (f"{'d':>3} {'n':>5} {'D':>4} {'solver':>8} {'eps':>6} {'setup s':>8} {'solve s':>8} {'SoS s':>7} "
           f"{'target':>6} {'peak MB':>8} {'cert s':>7} {'cert/SoS':>8} {'ref s':>7} {'ref/ours':>8} "
           f"{'verdict':>20}")
    print(hdr)
    ok = True
    for r in rows:
        if "error" in r and "sos_s" not in r:
            print(f"{r['d']:>3} error: {r['error']}")
            ok = False
            continue
        ref = r.get("ref_s")
        tgt = TARGETS_S.get(r["d"])
        met = (tgt is None or r["sos_s"] < tgt) and r["peak_mb"] < MEMORY_TARGET_MB
        ok &= met
        print(f"{r['d']:>3} {r['n']:>5} {r['D']:>4} {r['solver']:>8} {r['eps']:>6.0e} {r['setup_s']:>8.2f} {r['solve_s']:>8.2f} "
              f"{r['sos_s']:>7.2f} {('' if tgt is None else format(tgt, '.0f')):>6} {r['peak_mb']:>8.0f} "
              f"{r['cert_s']:>7.2f} {r['cert_s'] / r['sos_s']:>8.2f} "
              f"{('-' if ref is None else format(ref, '.2f')):>7} "
              f"{('-' if ref is None else format(ref / r['sos_s'], '.2f')):>8} {r['verdict'][:20]:>20}")
        if ref is not None and np.isfinite(r.get("ref_value", np.nan)):
            print(f"      values: ours {r['sos_value']:.10g}, reference (SCS eps {REFERENCE_EPS:g}) "
                  f"{r['ref_value']:.10g}, "
                  f"certified [{r['cert_lower']:.10g}, {r['cert_upper']:.10g}]")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"benchmark": "norms", "machine": platform.platform(),
                               "python": sys.version.split()[0], "targets_s": TARGETS_S,
                               "memory_target_mb": MEMORY_TARGET_MB, "rows": rows}, indent=2))
    print(f"wrote {out}; targets {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
