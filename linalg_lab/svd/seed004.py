"""Reproduction of seed 004 (public module: the report section and CLI call it) (SVD by gradient descent with SGD or Adam) over many seeds."""
from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._results import Result, Rigour, Status, field_nojson
from .._validation import InputValueError, check_int, check_option
from ._penalty import PENALTY_CONFIGS, penalty_init, penalty_run
from ._ratios import lapack_ratios

__all__ = ["SEED004_SHAPES", "Seed004Result", "reproduce_seed004", "ACCURACY_LEVELS"]

#: The blog's test matrices (uniform [0, 1) entries).
SEED004_SHAPES: tuple[tuple[int, int], ...] = ((5, 4), (4, 4), (7, 4), (4, 3))

#: Normwise singular-value accuracies whose attainment rates are reported.
ACCURACY_LEVELS: tuple[float, ...] = (1e-2, 1e-4, 1e-8, 1e-12)


@dataclasses.dataclass(frozen=True)
class Seed004Result(Result):
    """Outcome of :func:`reproduce_seed004`.

    Attributes
    ----------
    rows : list[dict]
        One row per (shape, method): seeds, diverged, reach rates per accuracy level, LAPACK-level
        rate, median / 90th-percentile normwise singular-value error, median final loss, stalled
        rate (loss fell by less than 2× over the last half of the run), collapsed rate (a singular
        value stuck at 0 while the true one is above 1e-3 s_1), seconds per run.
    verdict : str
        The blog's claim "Adam does better", judged in numbers.
    curves : dict[str, NDArray]
        ``"{m}x{n} {method}"`` -> (3, T) quantiles (10 %, 50 %, 90 %) of the loss per step.
    errors : dict[str, NDArray]
        ``"{m}x{n} {method}"`` -> per-seed normwise singular-value errors.
    """

    steps: int
    seeds: int
    rows: list[dict[str, Any]]
    verdict: str
    status: Status
    reason: str
    rigour: Rigour
    curves: dict[str, NDArray] = field_nojson(default_factory=dict)
    errors: dict[str, NDArray] = field_nojson(default_factory=dict)

    def summary(self) -> str:
        head = (f"{'shape':<6} {'method':<13} {'diverged':>8} " + " ".join(f"{'<=' + format(a, '.0e'):>8}" for a in ACCURACY_LEVELS)
                + f" {'LAPACK':>7} {'med err':>9} {'p90 err':>9} {'med loss':>9} {'stalled':>7} {'collapsed':>9} {'s/run':>7}")
        lines = [f"seed-004 reproduction: {self.seeds} seeds x {self.steps} steps", head]
        for r in self.rows:
            lines.append(f"{r['shape']:<6} {r['method']:<13} {r['diverged']:>8.0%} "
                         + " ".join(f"{r['reach'][format(a, '.0e')]:>8.0%}" for a in ACCURACY_LEVELS)
                         + f" {r['lapack_level']:>7.0%} {r['median_error']:>9.1e} {r['p90_error']:>9.1e} "
                         f"{r['median_loss']:>9.1e} {r['stalled']:>7.0%} {r['collapsed']:>9.0%} {r['seconds_per_run']:>7.3f}")
        lines.append("verdict: " + self.verdict)
        return "\n".join(lines)


def _quantile_curve(losses: NDArray, points: int = 300) -> NDArray:
    T = losses.shape[1]
    idx = np.unique(np.geomspace(1, T, min(points, T)).astype(int) - 1)
    with np.errstate(invalid="ignore"):
        L = np.where(np.isfinite(losses[:, idx]), losses[:, idx], np.inf)
        q = np.quantile(L, [0.1, 0.5, 0.9], axis=0)
    return np.vstack([idx[None, :].astype(float), q])


def reproduce_seed004(*, seeds: int | Sequence[int] = 100, steps: int = 20_000,
                      shapes: Sequence[tuple[int, int]] = SEED004_SHAPES,
                      methods: Sequence[str] = ("penalty-sgd", "penalty-adam"),
                      progress: Callable[[int, str], Any] | None = None) -> Seed004Result:
    """Run seed 004's experiment for both optimisers over many seeds and judge "Adam does better".

    Parameters
    ----------
    seeds : int or sequence of int
        Number of seeds (0, 1, …) or the seeds themselves.  Seed ``i`` draws the matrix from
        ``default_rng([314, i])`` (uniform [0, 1)) and the start from ``default_rng(i)``.
    steps : int
        Full-batch steps (the blog: 20,000).
    shapes : sequence of (m, n)
        Matrix shapes (the blog: 5×4, 4×4, 7×4, 4×3).
    methods : sequence of str
        Penalty methods to run (``"penalty-sgd"``, ``"penalty-adam"``).
    progress : callable, optional
        ``progress(n, note)`` after each (shape, method) batch.

    Returns
    -------
    Seed004Result

    Notes
    -----
    All seeds of a (shape, method) pair run as one batch (vectorised numpy), so 100 seeds of
    20,000 steps cost about as much as two single runs.  Accuracy is the normwise singular-value
    error ``max |s − s_LAPACK| / s_1``; "LAPACK-level" means every LAPACK test ratio is below 50.
    The blog's torch initialisation (``torch.manual_seed(314)``) is replaced by numpy generators.

    Examples
    --------
    >>> res = reproduce_seed004(seeds=2, steps=200, shapes=[(4, 3)])
    >>> [r["method"] for r in res.rows]
    ['penalty-sgd', 'penalty-adam']
    """
    func = "reproduce_seed004"
    if isinstance(seeds, (int, np.integer)) and not isinstance(seeds, bool):
        seed_list = list(range(check_int(seeds, "seeds", func=func, minimum=1)))
    else:
        seed_list = [check_int(s, "seeds", func=func, minimum=0) for s in seeds]
        if not seed_list:
            raise InputValueError(f"{func}: 'seeds' must be a positive int or a non-empty sequence")
    steps = check_int(steps, "steps", func=func, minimum=2)
    for meth in methods:
        check_option(meth, "methods", tuple(PENALTY_CONFIGS), func=func)
    shapes = [tuple(int(x) for x in sh) for sh in shapes]
    for sh in shapes:
        if len(sh) != 2 or min(sh) < 1:
            raise InputValueError(f"{func}: each shape must be (m, n) with m, n >= 1, got {sh}")
    rows: list[dict[str, Any]] = []
    curves: dict[str, NDArray] = {}
    errors: dict[str, NDArray] = {}
    B = len(seed_list)
    for (m, n) in shapes:
        k = min(m, n)
        Ms = np.stack([np.random.default_rng([314, sd]).random((m, n)) for sd in seed_list])
        ref = np.linalg.svd(Ms, compute_uv=False)
        for meth in methods:
            cfg = PENALTY_CONFIGS[meth]
            U, d, V = penalty_init(m, n, k, seed_list)
            t0 = time.perf_counter()
            U, d, V, losses, _ = penalty_run(Ms, U, d, V, cfg, steps)
            el = time.perf_counter() - t0
            s = d * d
            order = np.argsort(-s, axis=1)
            s = np.take_along_axis(s, order, axis=1)
            U = np.take_along_axis(U, order[:, None, :], axis=2)
            V = np.take_along_axis(V, order[:, None, :], axis=2)
            finite = np.isfinite(losses).all(axis=1) & np.isfinite(s).all(axis=1)
            with np.errstate(invalid="ignore", over="ignore"):
                err = np.where(finite, np.abs(s - ref).max(axis=1) / ref[:, 0], np.inf)
            lap = np.zeros(B, dtype=bool)
            for b in range(B):
                if finite[b] and np.isfinite(U[b]).all() and np.isfinite(V[b]).all():
                    lap[b] = lapack_ratios(Ms[b], U[b], s[b], V[b].T).passed
            # a collapsed value: d_i = 0 is stationary for the s = d*d parametrisation (the gradient
            # in d_i is proportional to d_i), so a run that drives some d_i to 0 stays there
            with np.errstate(invalid="ignore"):
                collapsed = finite & np.any((s < 1e-6 * ref[:, :1]) & (ref > 1e-3 * ref[:, :1]), axis=1)
            half = losses[:, steps // 2]
            with np.errstate(invalid="ignore", divide="ignore"):
                stalled = finite & (losses[:, -1] > 0.5 * half) & (err > 1e-8)
            key = f"{m}x{n} {meth}"
            curves[key] = _quantile_curve(losses)
            errors[key] = err
            fin = err[finite]
            rows.append({
                "shape": f"{m}x{n}", "method": meth, "seeds": B,
                "diverged": float(1 - finite.mean()),
                "reach": {format(a, ".0e"): float((err <= a).mean()) for a in ACCURACY_LEVELS},
                "lapack_level": float(lap.mean()),
                "median_error": float(np.median(err)),
                "p90_error": float(np.sort(err)[min(B - 1, int(math.ceil(0.9 * B)) - 1)]),
                "best_error": float(err.min()),
                "median_loss": float(np.median(np.where(finite, losses[:, -1], np.inf))),
                "stalled": float(stalled.mean()),
                "collapsed": float(collapsed.mean()),
                "seconds_per_run": el / B,
                "median_error_converged": float(np.median(fin)) if fin.size else math.inf,
            })
            if progress is not None:
                progress(1, key)
    verdict = _verdict(rows, steps)
    return Seed004Result(steps=steps, seeds=B, rows=rows, verdict=verdict, status=Status.OK, rigour=Rigour.NUMERICAL,
                         reason=f"{len(rows)} (shape, method) batches of {B} seeds", curves=curves,
                         errors=errors)


def _verdict(rows: list[dict[str, Any]], steps: int) -> str:
    by: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by.setdefault(r["method"], []).append(r)

    def pooled(meth: str, key: str, sub: str | None = None) -> float:
        rs = by.get(meth, [])
        if not rs:
            return math.nan
        return float(np.mean([r[key][sub] if sub else r[key] for r in rs]))

    if not {"penalty-sgd", "penalty-adam"} <= set(by):
        return "needs both penalty-sgd and penalty-adam to judge the blog's claim"
    parts = []
    for meth in ("penalty-sgd", "penalty-adam"):
        med = float(np.median([r["median_error"] for r in by[meth]]))
        parts.append(
            f"{meth}: diverged {pooled(meth, 'diverged'):.0%}, error <= 1e-4 in {pooled(meth, 'reach', '1e-04'):.0%}, "
            f"<= 1e-12 in {pooled(meth, 'reach', '1e-12'):.0%}, LAPACK-level in {pooled(meth, 'lapack_level'):.0%}, "
            f"median error {med:.1e}, stalled {pooled(meth, 'stalled'):.0%}, a singular value collapsed "
            f"to 0 in {pooled(meth, 'collapsed'):.0%}")
    sgd_hi, adam_hi = pooled("penalty-sgd", "reach", "1e-04"), pooled("penalty-adam", "reach", "1e-04")
    sgd_div = pooled("penalty-sgd", "diverged")
    if adam_hi > sgd_hi:
        claim = (f"the claim holds at 1e-4 accuracy (Adam {adam_hi:.0%} vs SGD {sgd_hi:.0%}), "
                 f"largely because SGD diverges in {sgd_div:.0%} of runs")
    else:
        claim = (f"the claim does not hold: SGD reaches 1e-4 accuracy in {sgd_hi:.0%} of runs, Adam in "
                 f"{adam_hi:.0%}")
    adam_best = min(r["best_error"] for r in by["penalty-adam"])
    claim += (f"; SGD's failures are divergence ({sgd_div:.0%}), a smallest singular value stuck at exactly 0 "
              f"({pooled('penalty-sgd', 'collapsed'):.0%}: d_i = 0 is stationary since the gradient in d_i is "
              "proportional to d_i) and slow rotation between close singular values"
              f"; after {steps} steps Adam's best singular-value error is {adam_best:.1e} "
              "(it plateaus there: Adam's sign-like steps have size ~lr = 1e-3 and the weight decay shifts the "
              "minimiser), "
              "while SGD runs that avoid these traps converge linearly to rounding level")
    return claim + ". " + "; ".join(parts) + "."
