"""Reproduction of seed 004 (public module: the report section and CLI call it) (SVD by gradient descent with SGD or Adam) over many seeds."""
from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._results import Result, Rigour, Status, field_nojson, text_table
from .._validation import InputValueError, check_int, check_option
from ._penalty import PENALTY_CONFIGS, penalty_init, penalty_run
from ._ratios import lapack_ratios

__all__ = ["SEED004_SHAPES", "Seed004Result", "Seed004Batch", "reproduce_seed004", "seed004_batch", "collect_seed004",
           "ACCURACY_LEVELS"]

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

    def table(self) -> tuple[list[str], list[list[str]]]:
        """Header and rows of the per-(shape, method) table (the report and ``summary()`` print it)."""
        header = (["shape", "method", "diverged"] + [f"err <= {a:.0e}" for a in ACCURACY_LEVELS]
                  + ["LAPACK-level", "median err", "p90 err", "median loss", "stalled", "collapsed", "s / run"])
        rows = [[r["shape"], r["method"], f"{r['diverged']:.0%}"]
                + [f"{r['reach'][format(a, '.0e')]:.0%}" for a in ACCURACY_LEVELS]
                + [f"{r['lapack_level']:.0%}", f"{r['median_error']:.2e}", f"{r['p90_error']:.2e}",
                   f"{r['median_loss']:.2e}", f"{r['stalled']:.0%}", f"{r['collapsed']:.0%}",
                   f"{r['seconds_per_run']:.3g}"] for r in self.rows]
        return header, rows

    def summary(self) -> str:
        return "\n".join([f"seed-004 reproduction: {self.seeds} seeds x {self.steps} steps",
                          text_table(*self.table()), "verdict: " + self.verdict])


#: Loss-curve samples kept per seed: geometrically spaced steps (a log-log plot needs no more).
CURVE_POINTS = 300


def _curve_steps(steps: int, points: int = CURVE_POINTS) -> NDArray[np.intp]:
    """The step indices (0-based) at which loss curves are kept: geometric from 1 to ``steps``."""
    return np.unique(np.geomspace(1, steps, min(points, steps)).astype(int) - 1)


@dataclasses.dataclass(frozen=True)
class Seed004Batch(Result):
    """One (shape, method) batch of seeds: what each seed reached, and its loss curve.

    The unit a sweep stores (``linalg-lab sweep seed004``); :func:`collect_seed004` turns batches
    into the :class:`Seed004Result` that :func:`reproduce_seed004` returns.  Non-finite values (a
    diverged run) are stored as JSON ``null`` and read back as ``inf``.

    Attributes
    ----------
    shape : str
        ``"{m}x{n}"``.
    method : str
    steps : int
    seeds : list of int
        The experiment's seeds (matrix ``default_rng([314, s])``, start ``default_rng(s)``).
    error : list of float
        Normwise singular-value error ``max |s - s_LAPACK| / s_1`` per seed (inf if not finite).
    finite, lapack_level, collapsed, stalled : list of bool
        Per seed: the run stayed finite; every LAPACK test ratio below 50; a singular value stuck
        at 0 while the true one is above ``1e-3 s_1``; the loss fell by less than 2x over the
        second half of the run (and the error is above 1e-8).
    final_loss : list of float
    curve_steps : list of int
        0-based steps at which ``curves`` samples the loss (geometric, at most 300).
    curves : list of list of float
        Per seed, the loss at ``curve_steps``.
    median_error, diverged : float
        Summaries of this batch (median error; fraction of seeds that diverged).
    elapsed_s : float
        Wall time of the batch (all seeds run together, vectorised).
    """

    shape: str
    method: str
    steps: int
    seeds: list[int]
    error: list[float]
    finite: list[bool]
    lapack_level: list[bool]
    collapsed: list[bool]
    stalled: list[bool]
    final_loss: list[float]
    curve_steps: list[int]
    curves: list[list[float]]
    median_error: float
    diverged: float
    elapsed_s: float
    status: Status
    reason: str
    rigour: Rigour = Rigour.NUMERICAL

    def summary(self) -> str:
        return (f"seed-004 batch {self.shape} {self.method}: {len(self.seeds)} seed(s) x {self.steps} steps; "
                f"median error {self.median_error:.2e}, diverged {self.diverged:.0%}")

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Seed004Batch":
        """Rebuild a batch from its ``to_dict()`` (as stored by a sweep): ``null`` -> inf."""
        def num(v: Any) -> float:
            return math.inf if v is None else float(v)

        return cls(shape=str(d["shape"]), method=str(d["method"]), steps=int(d["steps"]),
                   seeds=[int(x) for x in d["seeds"]], error=[num(x) for x in d["error"]],
                   finite=[bool(x) for x in d["finite"]], lapack_level=[bool(x) for x in d["lapack_level"]],
                   collapsed=[bool(x) for x in d["collapsed"]], stalled=[bool(x) for x in d["stalled"]],
                   final_loss=[num(x) for x in d["final_loss"]], curve_steps=[int(x) for x in d["curve_steps"]],
                   curves=[[num(x) for x in c] for c in d["curves"]], median_error=num(d["median_error"]),
                   diverged=float(d["diverged"]), elapsed_s=float(d["elapsed_s"]),
                   status=Status(d["status"]), reason=str(d["reason"]))


def _check_shape(shape: Any, func: str) -> tuple[int, int]:
    if isinstance(shape, str):
        try:
            m, n = (int(x) for x in shape.lower().split("x"))
        except ValueError:
            raise InputValueError(f"{func}: 'shape' must look like '5x4' or (5, 4), got {shape!r}") from None
    else:
        sh = tuple(int(x) for x in shape)
        if len(sh) != 2:
            raise InputValueError(f"{func}: 'shape' must be (m, n), got {shape!r}")
        m, n = sh
    if min(m, n) < 1:
        raise InputValueError(f"{func}: each shape must be (m, n) with m, n >= 1, got {(m, n)}")
    return m, n


def _seed_list(seeds: int | Sequence[int], func: str) -> list[int]:
    if isinstance(seeds, (int, np.integer)) and not isinstance(seeds, bool):
        return list(range(check_int(seeds, "seeds", func=func, minimum=1)))
    out = [check_int(s, "seeds", func=func, minimum=0) for s in seeds]
    if not out:
        raise InputValueError(f"{func}: 'seeds' must be a positive int or a non-empty sequence")
    return out


def seed004_batch(shape: str | tuple[int, int], method: str, seeds: int | Sequence[int], *,
                  steps: int = 20_000) -> Seed004Batch:
    """Run seed 004's penalty SVD for one shape and one optimiser on a batch of seeds.

    Parameters
    ----------
    shape : str or (m, n)
        ``"5x4"`` or ``(5, 4)``.
    method : {"penalty-sgd", "penalty-adam"}
    seeds : int or sequence of int
        Number of seeds (0, 1, ...) or the seeds themselves (see :func:`reproduce_seed004`).
    steps : int
        Full-batch steps.

    Returns
    -------
    Seed004Batch

    Examples
    --------
    >>> b = seed004_batch("4x3", "penalty-sgd", [0, 1], steps=200)
    >>> b.seeds, len(b.curves), b.curve_steps[-1]
    ([0, 1], 2, 199)
    """
    func = "seed004_batch"
    m, n = _check_shape(shape, func)
    seed_list = _seed_list(seeds, func)
    steps = check_int(steps, "steps", func=func, minimum=2)
    cfg = PENALTY_CONFIGS[check_option(method, "method", tuple(PENALTY_CONFIGS), func=func)]
    k, B = min(m, n), len(seed_list)
    Ms = np.stack([np.random.default_rng([314, sd]).random((m, n)) for sd in seed_list])
    ref = np.linalg.svd(Ms, compute_uv=False)
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
    idx = _curve_steps(steps)
    curves = np.where(np.isfinite(losses[:, idx]), losses[:, idx], np.inf)
    return Seed004Batch(
        shape=f"{m}x{n}", method=method, steps=steps, seeds=seed_list, error=err.tolist(),
        finite=finite.tolist(), lapack_level=lap.tolist(), collapsed=collapsed.tolist(),
        stalled=stalled.tolist(), final_loss=np.where(finite, losses[:, -1], np.inf).tolist(),
        curve_steps=idx.tolist(), curves=curves.tolist(), median_error=float(np.median(err)),
        diverged=float(1 - finite.mean()), elapsed_s=el, status=Status.OK, reason=f"{B} seed(s)")


def collect_seed004(batches: Sequence[Seed004Batch]) -> Seed004Result:
    """Pool batches (any split of seeds, in any order) into the per-(shape, method) table and verdict.

    Batches of the same (shape, method) are merged in seed order; rows keep the order in which
    (shape, method) pairs first appear.  A seed present in two batches is refused.
    """
    func = "collect_seed004"
    if not batches:
        raise InputValueError(f"{func}: no batches to collect")
    steps = {b.steps for b in batches}
    if len(steps) != 1:
        raise InputValueError(f"{func}: batches ran different step counts {sorted(steps)}")
    T = steps.pop()
    groups: dict[tuple[str, str], list[Seed004Batch]] = {}
    for b in batches:
        groups.setdefault((b.shape, b.method), []).append(b)
    rows: list[dict[str, Any]] = []
    curves: dict[str, NDArray] = {}
    errors: dict[str, NDArray] = {}
    n_seeds = set()
    for (shape, meth), bs in groups.items():
        seeds = [sd for b in bs for sd in b.seeds]
        if len(set(seeds)) != len(seeds):
            raise InputValueError(f"{func}: {shape} {meth}: a seed appears in two batches")
        order = np.argsort(seeds, kind="stable")

        def cat(field: str, dtype: Any = float) -> NDArray:
            return np.concatenate([np.asarray(getattr(b, field), dtype=dtype) for b in bs])[order]

        err, finite, lap = cat("error"), cat("finite", bool), cat("lapack_level", bool)
        collapsed, stalled, final = cat("collapsed", bool), cat("stalled", bool), cat("final_loss")
        C = np.concatenate([np.asarray(b.curves, dtype=float).reshape(len(b.seeds), -1) for b in bs])[order]
        B = len(seeds)
        n_seeds.add(B)
        key = f"{shape} {meth}"
        with np.errstate(invalid="ignore"):
            q = np.quantile(C, [0.1, 0.5, 0.9], axis=0)
        curves[key] = np.vstack([np.asarray(bs[0].curve_steps, dtype=float)[None, :], q])
        errors[key] = err
        fin = err[finite]
        rows.append({
            "shape": shape, "method": meth, "seeds": B,
            "diverged": float(1 - finite.mean()),
            "reach": {format(a, ".0e"): float((err <= a).mean()) for a in ACCURACY_LEVELS},
            "lapack_level": float(lap.mean()),
            "median_error": float(np.median(err)),
            "p90_error": float(np.sort(err)[min(B - 1, int(math.ceil(0.9 * B)) - 1)]),
            "best_error": float(err.min()),
            "median_loss": float(np.median(final)),
            "stalled": float(stalled.mean()),
            "collapsed": float(collapsed.mean()),
            "seconds_per_run": sum(b.elapsed_s for b in bs) / B,
            "median_error_converged": float(np.median(fin)) if fin.size else math.inf,
        })
    return Seed004Result(steps=T, seeds=max(n_seeds), rows=rows, verdict=_verdict(rows, T), status=Status.OK,
                         rigour=Rigour.NUMERICAL, reason=f"{len(rows)} (shape, method) batches of "
                         + "/".join(str(x) for x in sorted(n_seeds)) + " seeds", curves=curves, errors=errors)


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
    All seeds of a (shape, method) pair run as one batch (:func:`seed004_batch`, vectorised numpy),
    so 100 seeds of 20,000 steps cost about as much as two single runs; :func:`collect_seed004`
    pools the batches (the report and ``linalg-lab sweep seed004`` store batches and pool them the
    same way).  Accuracy is the normwise singular-value error ``max |s − s_LAPACK| / s_1``;
    "LAPACK-level" means every LAPACK test ratio is below 50.  The blog's torch initialisation
    (``torch.manual_seed(314)``) is replaced by numpy generators.

    Examples
    --------
    >>> res = reproduce_seed004(seeds=2, steps=200, shapes=[(4, 3)])
    >>> [r["method"] for r in res.rows]
    ['penalty-sgd', 'penalty-adam']
    """
    func = "reproduce_seed004"
    seed_list = _seed_list(seeds, func)
    steps = check_int(steps, "steps", func=func, minimum=2)
    for meth in methods:
        check_option(meth, "methods", tuple(PENALTY_CONFIGS), func=func)
    shapes = [_check_shape(sh, func) for sh in shapes]
    batches = []
    for sh in shapes:
        for meth in methods:
            batches.append(seed004_batch(sh, meth, seed_list, steps=steps))
            if progress is not None:
                progress(1, f"{sh[0]}x{sh[1]} {meth}")
    return collect_seed004(batches)


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
