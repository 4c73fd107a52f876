"""Numeric analysis of Newton–Schulz steps, schedules and outputs (rigour: NUMERICAL).

Every number here is computed in float64 and labelled numerical.  Certified counterparts (exact
fixed points, Arb enclosures of the band, certified step counts) live in
``proofs_check.newton_schulz``.

* :func:`analyze_ns_step` — one odd polynomial: ``p(1)``, ``p'(0)``, ``p'(1)``, critical points
  and values, positive fixed points, positive zeros (sign-flip thresholds).
* :func:`analyze_ns_schedule` — the composed map ``P_k`` on ``[ℓ, 1]``: its range (the *band*)
  and worst-case error ``max |1 - P_k|`` after each step, the steps and matrix products needed to
  reach each tolerance, the smallest σ lifted to ≥ 0.5 and ≥ 0.9, monotonicity, the smallest
  intermediate value, the headroom above σ = 1 and hazards in words.
* :func:`ns_steps_needed` — the numeric minimal number of steps to reach a tolerance.
* :func:`analyze_ns_output` — on a matrix: singular values before and after, ``||X - U V^T||``
  against the LAPACK-based polar factor (``scipy.linalg.polar``), ``||X X^T - I||`` and the error
  the scalar map predicts.

How the band is computed
------------------------
The image of an interval ``I`` under a continuous ``p`` is the interval spanned by ``p`` at the
endpoints of ``I`` and at the critical points of ``p`` inside ``I``.  Composing this step by step
gives the range ``P_k([ℓ, 1])`` exactly up to float64 rounding of a handful of evaluations (no
dependency blow-up, unlike naive interval arithmetic); a dense sampling of ``[ℓ, 1]`` (geometric
and uniform points) is kept as a cross-check (``sampled_error``), which can only be smaller.

References
----------
.. [1] N. Amsel, D. Persson, C. Musco, R. M. Gower, The Polar Express, arXiv:2505.16932.
.. [2] N. J. Higham, Functions of Matrices, SIAM 2008, §8.3.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._results import Result, Rigour, Status, field_nojson
from .._validation import InputValueError, as_matrix, check_int, check_option, check_real
from .iteration import PRECISIONS, NewtonSchulzResult, _newton_schulz
from .polynomials import dec
from .schedules import Schedule, Step, ns_schedule

__all__ = [
    "StepAnalysis",
    "ScheduleAnalysis",
    "StepsNeededResult",
    "OutputAnalysis",
    "analyze_ns_step",
    "analyze_ns_schedule",
    "ns_steps_needed",
    "analyze_ns_output",
    "image_interval",
    "BandCurve",
    "ns_band_curve",
]

DEFAULT_EPS = (1e-1, 1e-3, 1e-7)


# ------------------------------------------------------------------------------------------
# one step
# ------------------------------------------------------------------------------------------

def _even_roots_positive(coeffs_y: Sequence[float]) -> list[float]:
    """Positive x with q(x^2) = 0 for q(y) = c0 + c1 y + c2 y^2 + ... (float64, refined)."""
    c = [float(v) for v in coeffs_y]
    while len(c) > 1 and c[-1] == 0:
        c.pop()
    if len(c) <= 1:
        return []
    roots = np.roots(c[::-1])
    out = []
    for r in roots:
        if abs(r.imag) <= 1e-9 * max(1.0, abs(r)) and r.real > 0:
            y = float(r.real)
            # one Newton polish in y
            q = np.polynomial.Polynomial(c)
            dq = q.deriv()
            for _ in range(3):
                d = dq(y)
                if d != 0:
                    y = y - q(y) / d
            if y > 0:
                out.append(math.sqrt(y))
    return sorted(set(out))


@dataclasses.dataclass(frozen=True)
class StepAnalysis(Result):
    """Numeric facts about one step ``p`` (see :func:`analyze_ns_step`)."""

    coeffs: tuple[str, ...]
    degree: int
    p_at_1: float
    dp_at_0: float
    dp_at_1: float
    critical_points: tuple[float, ...]
    critical_values: tuple[float, ...]
    fixed_points: tuple[float, ...]
    multipliers: tuple[float, ...]
    sign_flip_thresholds: tuple[float, ...]
    rigour: Rigour = Rigour.NUMERICAL
    status: Status = Status.OK
    reason: str = "ok"

    def summary(self) -> str:
        f = ", ".join
        return "\n".join([
            f"step p(x) = {' + '.join(self.coeffs).replace('+ -', '- ')} (degree {self.degree}) [numerical]",
            f"  p(1) = {self.p_at_1:.10g}, p'(0) = {self.dp_at_0:.10g}, p'(1) = {self.dp_at_1:.10g}",
            f"  critical points x > 0: {f(f'{c:.8g}' for c in self.critical_points) or 'none'}"
            + (f" (values {f(f'{v:.8g}' for v in self.critical_values)})" if self.critical_values else ""),
            f"  fixed points x > 0: {f(f'{c:.8g}' for c in self.fixed_points) or 'none'}"
            + (f" (multipliers {f(f'{v:.6g}' for v in self.multipliers)})" if self.multipliers else ""),
            f"  sign flips (p(x) = 0, x > 0): {f(f'{c:.8g}' for c in self.sign_flip_thresholds) or 'none'}",
        ])


def analyze_ns_step(step: Step | Sequence[Any] | str) -> StepAnalysis:
    """Numeric analysis of one odd-polynomial step.

    Parameters
    ----------
    step : Step, coefficient sequence or coefficient string
        ``(a1, a3, a5, ...)``.

    Returns
    -------
    StepAnalysis
        ``p(1)``, ``p'(0) = a1``, ``p'(1)``, positive critical points and values, positive fixed
        points with multipliers ``p'(x*)``, and positive zeros of ``p`` (above the smallest of
        them the step flips the sign of a singular value).

    Examples
    --------
    >>> r = analyze_ns_step((1.5, -0.5))
    >>> r.p_at_1, r.dp_at_0, r.fixed_points, r.multipliers
    (1.0, 1.5, (1.0,), (0.0,))
    >>> round(r.sign_flip_thresholds[0] ** 2, 12)
    3.0
    """
    if not isinstance(step, Step):
        sched = ns_schedule(step)
        if len(sched.steps) != 1:
            raise InputValueError(f"analyze_ns_step: expected one step, got {len(sched.steps)}; "
                                  "use analyze_ns_schedule for a schedule")
        step = sched.steps[0]
    a = step.as_floats()
    crit = step.critical_points()
    fixed_y = list(a)
    fixed_y[0] -= 1.0  # p(x)/x - 1 = (a1 - 1) + a3 y + ...
    fixed = _even_roots_positive(fixed_y)
    zeros = _even_roots_positive(a)
    return StepAnalysis(
        coeffs=tuple(f"{dec(c)}x^{2 * i + 1}" if i else f"{dec(c)}x" for i, c in enumerate(step.coeffs)),
        degree=step.degree,
        p_at_1=float(step(1.0)), dp_at_0=float(a[0]), dp_at_1=float(step.derivative(1.0)),
        critical_points=tuple(crit), critical_values=tuple(float(step(c)) for c in crit),
        fixed_points=tuple(fixed), multipliers=tuple(float(step.derivative(x)) for x in fixed),
        sign_flip_thresholds=tuple(zeros),
    )


# ------------------------------------------------------------------------------------------
# a schedule on [lo, 1]
# ------------------------------------------------------------------------------------------

def image_interval(step: Step, lo: float, hi: float) -> tuple[float, float]:
    """The range ``p([lo, hi])`` from endpoints and interior critical points (float64, numerical).

    Parameters
    ----------
    step : Step
        The odd polynomial ``p`` (:class:`Step`), evaluated in float64.
    lo, hi : float
        The interval's ends, ``lo <= hi`` (not checked); negative values are allowed (``p`` is
        odd, so its critical points ``±c`` are both considered).

    Returns
    -------
    (float, float)
        ``(min, max)`` of ``p`` over ``[lo, hi]``: the minimum and maximum of ``p`` at ``lo``,
        ``hi`` and the critical points strictly inside.  Numerical: each value carries float64
        rounding errors, and no enclosure is claimed (``proofs_check.schedule_band`` gives one).

    Examples
    --------
    >>> image_interval(Step((1.5, -0.5)), 0.0, 2.0)
    (-1.0, 1.0)
    """
    cands = [lo, hi]
    for c in step.critical_points():
        for s in (c, -c):
            if lo < s < hi:
                cands.append(s)
    vals = step(np.array(cands))
    return float(np.min(vals)), float(np.max(vals))


def _band_path(schedule: Schedule, lo: float, hi: float, k: int) -> tuple[np.ndarray, np.ndarray, list[bool]]:
    los, his, folds = [lo], [hi], []
    a, b = lo, hi
    for j in range(k):
        st = schedule.step(j)
        fold = any(a < s < b for c in st.critical_points() for s in (c, -c))
        folds.append(fold)
        a, b = image_interval(st, a, b)
        if not (math.isfinite(a) and math.isfinite(b)):
            a, b = (a if math.isfinite(a) else -math.inf), (b if math.isfinite(b) else math.inf)
        los.append(a)
        his.append(b)
    return np.array(los), np.array(his), folds


def _grid(lo: float, hi: float, n: int) -> np.ndarray:
    g = np.concatenate([np.geomspace(lo, hi, n), np.linspace(lo, hi, n)])
    return np.unique(g)


def _lift_threshold(schedule: Schedule, k: int, target: float, lo: float = 1e-12, n: int = 20001) -> float:
    """Smallest σ in [lo, 1] with P_k(y) >= target for all y in [σ, 1]; nan if P_k(1) < target."""
    x = np.concatenate([np.geomspace(lo, 1.0, n), np.linspace(lo, 1.0, n)])
    x = np.unique(x)
    y = schedule(x, k)
    bad = np.nonzero(~(y >= target))[0]
    if bad.size == 0:
        return lo
    last_bad = bad[-1]
    if last_bad == x.size - 1:
        return float("nan")
    a, b = x[last_bad], x[last_bad + 1]
    for _ in range(60):  # bisection on the last crossing
        mid = 0.5 * (a + b)
        if schedule(np.array([mid]), k)[0] >= target:
            b = mid
        else:
            a = mid
    return float(b)


@dataclasses.dataclass(frozen=True)
class StepsNeededResult(Result):
    """Numeric minimal number of steps for ``max |1 - P_k| <= eps`` on ``[lo, 1]``."""

    schedule: str
    lo: float
    eps: float
    steps: int | None
    products: int | None
    error: float
    max_steps: int
    rigour: Rigour = Rigour.NUMERICAL
    status: Status = Status.OK
    reason: str = "ok"


def ns_steps_needed(schedule: Any, lo: float, eps: float, *, max_steps: int = 200) -> StepsNeededResult:
    """The smallest ``k`` with ``max_{x in [lo, 1]} |1 - P_k(x)| <= eps`` (numerical).

    Parameters
    ----------
    schedule : str, Schedule or coefficients
        Anything :func:`ns_schedule` accepts.
    lo : float
        Lower end ``ℓ`` of the normalised spectrum, ``0 < lo <= 1``.
    eps : float
        Tolerance, ``0 < eps < 1``.
    max_steps : int
        Give up after this many steps (status NOT_CONVERGED, ``steps`` None).

    Examples
    --------
    >>> r = ns_steps_needed("cubic", 1e-3, 1e-7)
    >>> r.steps, r.products
    (21, 42)
    >>> ns_steps_needed("muon", 1e-3, 1e-3).steps is None
    True
    """
    sched = ns_schedule(schedule)
    lo = check_real(lo, "lo", func="ns_steps_needed", lo=0.0, hi=1.0, lo_open=True)
    eps = check_real(eps, "eps", func="ns_steps_needed", lo=0.0, hi=1.0, lo_open=True, hi_open=True)
    max_steps = check_int(max_steps, "max_steps", func="ns_steps_needed", minimum=0)
    a, b = lo, 1.0
    err = max(abs(1 - a), abs(1 - b))
    products = 0
    for k in range(max_steps + 1):
        if err <= eps:
            return StepsNeededResult(sched.name, lo, eps, k, products, err, max_steps)
        if k == max_steps:
            break
        st = sched.step(k)
        a, b = image_interval(st, a, b)
        products += st.products
        err = max(abs(1 - a), abs(1 - b)) if math.isfinite(a) and math.isfinite(b) else math.inf
    return StepsNeededResult(
        sched.name, lo, eps, None, None, err, max_steps, status=Status.NOT_CONVERGED,
        reason=(f"the error on [{lo:g}, 1] is still {err:.3g} after {max_steps} steps; this schedule "
                "does not reach the tolerance (it may not converge to 1; choose another schedule)"),
    )


@dataclasses.dataclass(frozen=True)
class ScheduleAnalysis(Result):
    """Numeric analysis of a schedule on ``[lo, 1]`` (see :func:`analyze_ns_schedule`)."""

    schedule: str
    lo: float
    steps: int
    products: int
    lower: NDArray[np.float64]
    upper: NDArray[np.float64]
    error: NDArray[np.float64]
    sampled_error: NDArray[np.float64]
    steps_to_eps: dict[str, int | None]
    products_to_eps: dict[str, int | None]
    lift_0_5: float
    lift_0_9: float
    monotone: bool
    folding_steps: tuple[int, ...]
    min_intermediate: float
    min_intermediate_step: int
    max_intermediate: float
    sign_flip_at: float
    headroom: float
    step_facts: tuple[StepAnalysis, ...] = ()
    hazards: tuple[str, ...] = ()
    rigour: Rigour = Rigour.NUMERICAL
    status: Status = Status.OK
    reason: str = "ok"

    @property
    def final_error(self) -> float:
        return float(self.error[-1])

    def summary(self) -> str:
        lines = [
            f"schedule {self.schedule!r} on [{self.lo:g}, 1], {self.steps} steps, {self.products} products "
            "[numerical]",
            "   k   band low          band high         max|1-P_k|   sampled",
        ]
        for k in range(len(self.error)):
            lines.append(f"  {k:2d}   {self.lower[k]:<16.10g}  {self.upper[k]:<16.10g}  "
                         f"{self.error[k]:<11.4e}  {self.sampled_error[k]:.4e}")
        lines.append("  steps (products) to reach eps: " + ", ".join(
            f"{e}: {'never' if s is None else f'{s} ({self.products_to_eps[e]})'}" for e, s in self.steps_to_eps.items()))
        lines.append(f"  smallest σ lifted to >= 0.5: {self.lift_0_5:.4g}; to >= 0.9: {self.lift_0_9:.4g}")
        lines.append(f"  monotone on [0, 1]: {self.monotone}"
                     + (f" (steps folding their input range: {list(self.folding_steps)})" if self.folding_steps else ""))
        lines.append(f"  smallest intermediate value: {self.min_intermediate:.6g} (after step "
                     f"{self.min_intermediate_step}); largest: {self.max_intermediate:.6g}")
        lines.append(f"  first sign flip for σ > 0: {self.sign_flip_at:.6g}; headroom above 1: {self.headroom:.6g}")
        for h in self.hazards:
            lines.append(f"  hazard: {h}")
        return "\n".join(lines)


def _hazards(sched: Schedule, k: int, lo: float, blo: np.ndarray, bhi: np.ndarray, err: np.ndarray,
             min_inter: float, jmin: int, max_inter: float, flip: float, headroom: float, headroom_max: float,
             folding: tuple[int, ...]) -> list[str]:
    """The hazards of :func:`analyze_ns_schedule`, in words."""
    hazards: list[str] = []
    pk1 = float(sched(np.array([1.0]), k)[0])
    if abs(1 - pk1) > 1e-2:
        hazards.append(f"does not converge to 1: P_{k}(1) = {pk1:.4g} (singular values are spread around 1, "
                       f"final band [{blo[-1]:.3g}, {bhi[-1]:.3g}])")
    if err[-1] > 0.1:
        hazards.append(f"after {k} steps the worst error on [{lo:g}, 1] is {err[-1]:.3g} (> 0.1)")
    if min_inter < 0:
        hazards.append(f"flips signs inside [{lo:g}, 1]: an intermediate value reaches {min_inter:.3g} "
                       f"(after step {jmin})")
    if max_inter > 1.5:
        hazards.append(f"overshoots: intermediate values up to {max_inter:.3g}")
    if flip < headroom_max:
        hazards.append(f"a singular value above {flip:.4g} (after normalisation) comes out negative "
                       "(sign flip)")
    if headroom < 1.0 + 1e-9:
        hazards.append("no headroom: inputs slightly above 1 (an underestimated norm) leave the band")
    elif headroom < 1.05:
        hazards.append(f"little headroom: inputs above {headroom:.4g} leave the band (a norm "
                       "underestimated by more than that factor breaks the guarantee)")
    if folding:
        hazards.append(f"not monotone on [0, 1]: step(s) {list(folding)} fold their input range "
                       "(the order of singular values is not preserved)")
    if not np.all(np.isfinite(err)):
        hazards.append("diverges (non-finite values) on [lo, 1]")
    return hazards


def analyze_ns_schedule(
    schedule: Any,
    lo: float = 1e-3,
    *,
    steps: int | None = None,
    eps: Sequence[float] = DEFAULT_EPS,
    max_steps: int = 200,
    samples: int = 4097,
    headroom_max: float = 3.0,
) -> ScheduleAnalysis:
    """Numeric worst-case analysis of a schedule on normalised singular values in ``[lo, 1]``.

    Parameters
    ----------
    schedule : str, Schedule or coefficients
        Anything :func:`ns_schedule` accepts.
    lo : float
        ``ℓ``, the smallest normalised singular value considered (``0 < lo <= 1``).
    steps : int, optional
        Steps to analyse (default: the schedule's ``default_steps``).
    eps : sequence of float
        Tolerances for the steps-needed table.
    max_steps : int
        Cap for the steps-needed search.
    samples : int
        Points of each of the geometric and uniform grids of the sampled cross-check.
    headroom_max : float
        Search the headroom and the first sign flip up to this σ.

    Returns
    -------
    ScheduleAnalysis
        ``lower[k], upper[k]``: the range of ``P_k`` on ``[lo, 1]`` for ``k = 0..steps``;
        ``error[k] = max |1 - P_k|`` there; ``steps_to_eps``/``products_to_eps`` keyed by
        ``f"{eps:g}"``; ``lift_0_5``/``lift_0_9``: the smallest σ from which on ``P_steps >= 0.5``
        (``0.9``); ``monotone``: ``P_steps`` increasing on ``[0, 1]``; the smallest and largest
        intermediate values over all steps; ``sign_flip_at``: the smallest σ > 0 with
        ``P_steps(σ) < 0`` (inf when none up to ``headroom_max``); ``headroom``: the largest
        ``h`` such that ``P_steps([1, h])`` stays inside the band of ``[lo, 1]``; ``hazards``.

    Notes
    -----
    NUMERICAL: float64 evaluation; the band is the exact range of the float64-evaluated map up
    to a few roundings per step.  Cost: O(steps · degree) for the band, O(samples · steps) for
    the cross-check.

    Examples
    --------
    >>> r = analyze_ns_schedule("cubic", 1e-3, steps=21)
    >>> bool(r.error[-1] < 1e-7), r.steps_to_eps["1e-07"]
    (True, 21)
    >>> r = analyze_ns_schedule("muon", 1e-3)
    >>> round(float(r.lower[-1]), 3), round(float(r.upper[-1]), 3)
    (0.471, 1.202)
    """
    f = "analyze_ns_schedule"
    sched = ns_schedule(schedule)
    lo = check_real(lo, "lo", func=f, lo=0.0, hi=1.0, lo_open=True)
    k = check_int(sched.default_steps if steps is None else steps, "steps", func=f, minimum=0)
    samples = check_int(samples, "samples", func=f, minimum=2)
    eps_list = [check_real(e, "eps", func=f, lo=0.0, hi=1.0, lo_open=True, hi_open=True) for e in eps]

    blo, bhi, folds = _band_path(sched, lo, 1.0, k)
    err = np.maximum(np.abs(1 - blo), np.abs(1 - bhi))
    x = _grid(lo, 1.0, samples)
    y = x.copy()
    serr = [float(np.max(np.abs(1 - y)))]
    with np.errstate(over="ignore", invalid="ignore"):
        for j in range(k):
            y = sched.step(j)(y)
            serr.append(float(np.max(np.abs(1 - y))))
    steps_to: dict[str, int | None] = {}
    prods_to: dict[str, int | None] = {}
    for e in eps_list:
        r = ns_steps_needed(sched, lo, e, max_steps=max_steps)
        steps_to[f"{e:g}"] = r.steps
        prods_to[f"{e:g}"] = r.products
    lift5 = _lift_threshold(sched, k, 0.5)
    lift9 = _lift_threshold(sched, k, 0.9)
    # monotonicity of P_k on [0, 1]
    b0lo, b0hi, folds01 = _band_path(sched, 0.0, 1.0, k)
    folding = tuple(j for j, fd in enumerate(folds01) if fd)
    monotone = not folding
    inter_lo = blo[1:] if k else blo
    jmin = int(np.argmin(inter_lo)) + (1 if k else 0)
    min_inter = float(blo[jmin])
    max_inter = float(np.max(bhi[1:])) if k else float(bhi[0])
    # sign flips and headroom above 1 (sampled, numerical)
    xs = np.linspace(1.0, headroom_max, 40001)
    with np.errstate(over="ignore", invalid="ignore"):
        ys = sched(xs, k)
        xs0 = np.linspace(0.0, headroom_max, 60001)[1:]
        ys0 = sched(xs0, k)
    neg = np.nonzero(~(ys0 >= 0))[0]
    flip = float(xs0[neg[0]]) if neg.size else math.inf
    band_ok = (ys >= blo[-1] - 1e-12) & (ys <= bhi[-1] + 1e-12)
    out = np.nonzero(~band_ok)[0]
    headroom = float(xs[out[0] - 1]) if out.size and out[0] > 0 else (1.0 if out.size else headroom_max)

    facts = tuple(analyze_ns_step(s) for s in sched.steps)
    hazards = _hazards(sched, k, lo, blo, bhi, err, min_inter, jmin, max_inter, flip, headroom, headroom_max, folding)
    status, reason = Status.OK, "ok"
    if not np.all(np.isfinite(err)):
        status, reason = Status.INACCURATE, "the schedule diverges on [lo, 1]; check its coefficients"
    return ScheduleAnalysis(
        schedule=sched.name, lo=lo, steps=k, products=sched.products(k),
        lower=blo, upper=bhi, error=err, sampled_error=np.array(serr),
        steps_to_eps=steps_to, products_to_eps=prods_to, lift_0_5=lift5, lift_0_9=lift9,
        monotone=monotone, folding_steps=folding, min_intermediate=min_inter,
        min_intermediate_step=jmin, max_intermediate=max_inter, sign_flip_at=flip,
        headroom=headroom, step_facts=facts, hazards=tuple(hazards), status=status, reason=reason,
    )


# ------------------------------------------------------------------------------------------
# on a matrix
# ------------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class OutputAnalysis(Result):
    """How close a Newton–Schulz output is to the polar factor (see :func:`analyze_ns_output`)."""

    shape: tuple[int, int]
    schedule: str
    steps: int
    precision: str
    rank: int
    reference: str
    sv_before: NDArray[np.float64]
    sv_after: NDArray[np.float64]
    polar_error_fro: float
    polar_error_2: float
    orthogonality_defect: float
    predicted_polar_error_fro: float
    precision_difference: float | None = None
    X: Any = field_nojson(default=None)
    polar: Any = field_nojson(default=None)
    rigour: Rigour = Rigour.NUMERICAL
    status: Status = Status.OK
    reason: str = "ok"

    def summary(self) -> str:
        lines = [
            f"Newton–Schulz output analysis ({self.schedule}, {self.steps} steps, {self.precision}) on a "
            f"{self.shape[0]}x{self.shape[1]} matrix of rank {self.rank} [numerical]",
            f"  ||X - UV^T||_F / ||UV^T||_F = {self.polar_error_fro:.3e}   (reference: {self.reference})",
            f"  predicted by the scalar map:   {self.predicted_polar_error_fro:.3e}",
            f"  ||X - UV^T||_2 = {self.polar_error_2:.3e};  ||X X^T - I||_2 (smaller side) = "
            f"{self.orthogonality_defect:.3e}",
            f"  singular values before: [{self.sv_before.min():.4g}, {self.sv_before.max():.4g}]; "
            f"after: [{self.sv_after.min():.6g}, {self.sv_after.max():.6g}]",
        ]
        if self.precision_difference is not None:
            lines.append(f"  ||X_{self.precision.split()[0]} - X_float64||_F / ||X_float64||_F = "
                         f"{self.precision_difference:.3e}")
        return "\n".join(lines)


def analyze_ns_output(
    A: ArrayLike,
    X: ArrayLike | NewtonSchulzResult | None = None,
    *,
    schedule: Any = "cubic",
    steps: int | None = None,
    precision: str | None = None,
) -> OutputAnalysis:
    """Compare a Newton–Schulz output with the polar factor of ``A``.

    Parameters
    ----------
    A : (m, n) array_like
        The input matrix.
    X : (m, n) array_like or NewtonSchulzResult, optional
        The output to grade; computed with :func:`newton_schulz` (``schedule``, ``steps``,
        ``precision``) when omitted.
    schedule, steps, precision
        Used when ``X`` is computed here, and for the predicted error.

    Returns
    -------
    OutputAnalysis
        ``sv_before``/``sv_after`` (descending), ``polar_error_fro`` =
        ``||X - U V^T||_F / ||U V^T||_F`` with ``U V^T`` from ``scipy.linalg.polar`` when ``A`` has
        full rank ``min(m, n)``, else from a truncated SVD (the partial isometry on the numerical
        range, rank cut at ``max(m, n) eps σ_1``); ``polar_error_2``; ``orthogonality_defect`` =
        ``||X X^T - I||_2`` on the smaller side (for full rank inputs); the error predicted by
        applying the scalar map to the normalised singular values; and, for an emulated
        ``precision``, ``precision_difference`` = relative Frobenius distance to the float64 run.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> A = rng.standard_normal((20, 50))
    >>> r = analyze_ns_output(A, schedule="cubic", steps=25)
    >>> bool(r.polar_error_fro < 1e-13), r.rank
    (True, 20)
    """
    func = "analyze_ns_output"
    A = as_matrix(A, "A", func=func, keep_dtype=False)
    sched = ns_schedule(schedule)
    k = check_int(sched.default_steps if steps is None else steps, "steps", func=func, minimum=0)
    if precision is not None:
        check_option(precision, "precision", PRECISIONS, func=func)
    given: tuple[np.ndarray, str, int] | None = None
    if X is not None:
        if isinstance(X, NewtonSchulzResult):
            prec, k = X.precision, X.steps
            X = np.asarray(X)
        else:
            prec = "given"
        Xa = as_matrix(X, "X", func=func, keep_dtype=False)
        if Xa.shape != A.shape:
            raise InputValueError(f"{func}: 'X' must have the shape of 'A' {A.shape}, got {Xa.shape}")
        given = (Xa, prec, k)
    return _analyze_ns_output(A, sched, k, precision, given=given)


def _analyze_ns_output(A: np.ndarray, sched: Schedule, k: int, precision: str | None, *,
                       given: tuple[np.ndarray, str, int] | None = None) -> OutputAnalysis:
    """Unchecked body of :func:`analyze_ns_output` (``A`` a validated float64 matrix)."""
    import scipy.linalg

    diff = None
    if given is None:
        res = _newton_schulz(A, sched, k, precision)
        Xa = np.asarray(res.X, dtype=np.float64)
        prec = res.precision
        if precision is not None:
            ref = np.asarray(_newton_schulz(A, sched, k, None).X, dtype=np.float64)
            diff = float(np.linalg.norm(Xa - ref) / max(np.linalg.norm(ref), np.finfo(float).tiny))
    else:
        Xa, prec, k = given
    m, n = A.shape
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    if not np.all(np.isfinite(Xa)):
        nan = float("nan")
        return OutputAnalysis(
            shape=(m, n), schedule=sched.name, steps=int(k), precision=prec, rank=int(np.sum(s > 0)),
            reference="none", sv_before=s, sv_after=np.full(min(m, n), nan), polar_error_fro=math.inf,
            polar_error_2=math.inf, orthogonality_defect=math.inf, predicted_polar_error_fro=nan,
            precision_difference=diff, X=Xa, status=Status.INACCURATE,
            reason="the output has non-finite entries: the schedule diverged on this input (check its "
                   "headroom above 1, and the normalisation)")
    sx = np.linalg.svd(Xa, compute_uv=False)
    tol = max(m, n) * np.finfo(float).eps * (s[0] if s.size else 0.0)
    r = int(np.sum(s > tol))
    if r == min(m, n):
        P, _ = scipy.linalg.polar(A, side="right")
        reference = "scipy.linalg.polar"
    else:
        P = U[:, :r] @ Vt[:r]
        reference = f"truncated SVD (rank {r} of {min(m, n)})"
    nP = math.sqrt(r) if r else 1.0
    D = Xa - P
    err_f = float(np.linalg.norm(D) / nP)
    err_2 = float(np.linalg.norm(D, 2)) if D.size else 0.0
    small = Xa @ Xa.T if m <= n else Xa.T @ Xa
    ortho = float(np.linalg.norm(small - np.eye(small.shape[0]), 2))
    # prediction from the scalar map on the normalised singular values
    if s.size and s[0] > 0:
        if sched.normalization == "frobenius":
            nrm = float(np.linalg.norm(s))
        else:
            nrm = float(s[0])
        # eps is applied as if ||A|| = 1 (see newton_schulz): X0 = A / (||A|| (safety + eps)), or
        # A / (||A|| safety) for the "clamp" rule
        sig = s[:r] / (nrm * (float(sched.safety) + sched.additive_eps))
        pred = float(np.sqrt(np.sum((1 - sched(sig, k)) ** 2)) / nP)
    else:
        pred = 0.0
    return OutputAnalysis(
        shape=(m, n), schedule=sched.name, steps=int(k), precision=prec, rank=r, reference=reference,
        sv_before=s, sv_after=sx, polar_error_fro=err_f, polar_error_2=err_2,
        orthogonality_defect=ortho, predicted_polar_error_fro=pred, precision_difference=diff,
        X=Xa, polar=P,
    )


@dataclasses.dataclass(frozen=True)
class BandCurve(Result):
    """The band ``P_k([ℓ, 1])`` after a fixed number of steps, as a function of ``ℓ`` (numerical)."""

    schedule: str
    steps: int
    lows: NDArray[np.float64]
    lower: NDArray[np.float64]
    upper: NDArray[np.float64]
    rigour: Rigour = Rigour.NUMERICAL
    status: Status = Status.OK
    reason: str = "ok"

    @property
    def error(self) -> NDArray[np.float64]:
        return np.maximum(np.abs(1 - self.lower), np.abs(1 - self.upper))


def ns_band_curve(schedule: Any, lows: ArrayLike | None = None, *, steps: int | None = None) -> BandCurve:
    """Band ``[min, max] P_k([ℓ, 1])`` for each ``ℓ`` in ``lows`` (default 1e-8 .. 1, 97 points).

    The band is propagated step by step with :func:`image_interval` (float64, numerical).

    Parameters
    ----------
    schedule : str, Schedule, sequence or path
        Anything :func:`ns_schedule` accepts: a preset name, a :class:`Schedule`, a coefficient
        string or list, or a JSON file.
    lows : array_like of float, optional
        The lower ends ``ℓ`` of the input intervals ``[ℓ, 1]`` (normalised singular values),
        each in (0, 1]; any shape, flattened.  Default: 97 points geometrically spaced from 1e-8
        to 1.
    steps : int, optional
        The number of steps ``k >= 0`` of the composed schedule ``P_k``; default the schedule's
        ``default_steps``.

    Returns
    -------
    BandCurve
        ``lows`` (as a float64 array) with ``lower[i] = min P_k([lows[i], 1])`` and ``upper[i] =
        max P_k([lows[i], 1])`` (``±inf`` where the band overflows), the schedule's name and
        ``steps``; ``error`` is ``max |1 - P_k|`` over each band.  Numerical, not certified.

    Raises
    ------
    InputValueError
        ``lows`` is empty or has a value outside (0, 1]; ``steps`` is negative; a bad schedule
        (see :func:`ns_schedule`).
    InputTypeError
        ``steps`` is not an int; a schedule of an unsupported type.

    Examples
    --------
    >>> c = ns_band_curve("cubic", [1e-3, 0.5], steps=20)
    >>> [round(float(v), 6) for v in c.lower]
    [0.999936, 1.0]
    """
    sched = ns_schedule(schedule)
    k = check_int(sched.default_steps if steps is None else steps, "steps", func="ns_band_curve", minimum=0)
    ls = np.geomspace(1e-8, 1.0, 97) if lows is None else np.asarray(lows, dtype=np.float64).ravel()
    if ls.size == 0 or not np.all((ls > 0) & (ls <= 1)):
        raise InputValueError(f"ns_band_curve: 'lows' must be non-empty values in (0, 1], got {ls!r}")
    blo = np.empty(ls.size)
    bhi = np.empty(ls.size)
    for i, lo in enumerate(ls):
        a, b, _ = _band_path(sched, float(lo), 1.0, k)
        blo[i], bhi[i] = a[-1], b[-1]
    return BandCurve(schedule=sched.name, steps=k, lows=ls, lower=blo, upper=bhi)
