"""Certified minimal number of Newton–Schulz steps to bring an interval within a tolerance of 1."""
from __future__ import annotations

import dataclasses
import functools
import math
from fractions import Fraction
from typing import Any

import numpy as np
from flint import arb

from linalg_lab.internal import Certificate, InputValueError, Rigour, Status, Verdict, check_int, check_real
from linalg_lab.ns import Schedule

from .._arb import lower_float, upper_float, working_prec
from ._common import as_schedule, exact_real, verdict_of
from ._poly import DEFAULT_PREC, OddMap
from .band import _K, _err_bounds, _exact_arb, _interval_args, _map, _maps, _stages, p_float

__all__ = ["StepsToTolerance", "steps_to_tolerance"]

_MAX_PREC = 1024


@dataclasses.dataclass(frozen=True)
class StepsToTolerance(Certificate):
    """The certified minimal number of steps ``k`` with ``max over [lo, 1] |1 - P_k| <= eps``.

    Attributes
    ----------
    steps : int or None
        The minimal ``k`` (None when never reached or undecided).
    reached : bool or None
        True: ``steps`` works and every smaller count provably fails.  False: proved never
        reached (``witness`` says why).  None: undecided within ``max_steps``.
    products : int or None
        Matrix products of the first ``steps`` steps.
    error_lower, error_upper : tuple of float
        For ``k = 0, 1, ...`` (as far as examined), a bracket on ``max over [lo, 1] |1 - P_k|``.
    witness : str
        For ``reached=False``: the certified reason (an invariant point or interval every later
        range contains, and its distance from 1).
    """

    schedule: str
    lo: float
    hi: float
    eps: float
    steps: int | None
    reached: bool | None
    products: int | None
    error_lower: tuple[float, ...]
    error_upper: tuple[float, ...]
    witness: str
    verdict: Verdict
    status: Status
    reason: str
    rigour: Rigour = Rigour.CERTIFIED  # every number is an Arb enclosure or exact

    def summary(self) -> str:
        head = f"StepsToTolerance: {'certified' if self.certified else 'NOT certified'} ({self.status.value})"
        lines = [head, f"  schedule {self.schedule!r}, inputs [{self.lo:.6g}, {self.hi:.6g}], eps {self.eps:.3g}"]
        if self.reached:
            lines.append(f"  minimal steps k = {self.steps} ({self.products} matrix products): "
                         f"max|1-P_k| <= {self.error_upper[self.steps]:.6g} <= eps, "
                         + (f"and max|1-P_(k-1)| >= {self.error_lower[self.steps - 1]:.6g} > eps"
                            if self.steps else "already at k = 0"))
        elif self.reached is False:
            lines.append(f"  never reached: {self.witness}")
        else:
            lines.append(f"  undecided after {len(self.error_upper) - 1} steps")
        if self.reason:
            lines.append(f"  reason: {self.reason}")
        return "\n".join(lines)


def _never_witness(sch: Schedule, k: int, maps_k: list[OddMap], hist: list, eps_b: arb, prec: int) -> str | None:
    """A certificate that ``max |1 - P_j| > eps`` for every ``j >= k - B`` (B the period), or None.

    ``hist[j] = (L, U, l, u, Elo, Eup)`` for j = 0..k.  Only called in the periodic regime
    (``k - B >= len(sch.steps)`` for "repeat", a multiple of the block for "cycle").
    """
    B = 1 if sch.beyond == "repeat" else len(sch.steps)
    j0 = k - B
    # (a) nested growth of the exact ranges: R_k ⊇ R_{k-B} implies R_{j+nB} ⊇ R_j for j >= k-B
    L0, U0 = hist[j0][0], hist[j0][1]
    l1, u1 = hist[k][2], hist[k][3]
    if l1 is not None and l1 <= L0 and u1 >= U0:
        lows = [hist[j0 + i][4] for i in range(B)]
        if all(e is not None and e > eps_b for e in lows):
            return (f"the range after {k} steps contains the range after {j0} steps, so later ranges "
                    f"never shrink and max|1-P| stays >= {min(lower_float(e) for e in lows):.6g} > eps")
    l, u = hist[k][2], hist[k][3]
    if l is None:
        return None
    w = _cycle_witness(sch, k, l, u, eps_b)
    if w is not None:
        return w
    fp_w = _fixed_point_witness(sch, k, maps_k, l, u, eps_b) if B == 1 else None
    if fp_w is not None:
        return fp_w
    return _covering_witness(sch, k, l, u, eps_b)


def _fixed_point_witness(sch, k, maps_k, l, u, eps_b) -> str | None:
    """(b) a fixed point or 2-cycle of the repeated step inside ``R_k`` stays in every range."""
    p = maps_k[-1]
    try:
        fp = _fixed_points_cached(tuple(p.coeffs))
    except InputValueError:
        return None  # p(x) = x or p(x) = 0: no isolated fixed points to use (the other witnesses apply)
    for f in fp.fixed_points:
        xb = f.x.ball()
        if xb.lower() >= l and xb.upper() <= u:
            d = abs(arb(1) - xb)
            if d > eps_b:
                return (f"the range after {k} steps contains the fixed point x* = {f.x} of the repeated step, "
                        f"so every later range does, and |1 - x*| >= {lower_float(d):.6g} > eps")
    for o in fp.period2:
        balls = [pt.ball() for pt in o.points]
        if any(b.lower() >= l and b.upper() <= u for b in balls):
            ds = [abs(arb(1) - b) for b in balls]
            if all(d > eps_b for d in ds):
                return (f"the range after {k} steps contains a point of the 2-cycle "
                        f"{{{', '.join(f'{float(q):.6g}' for q in o.points)}}}, so every later range contains one "
                        f"of its points, and both are farther than eps from 1")
    return None


def _covering_witness(sch: Schedule, k: int, l: arb, u: arb, eps_b: arb) -> str | None:
    """(c) an interval ``J ⊆ R_k`` with ``F(J) ⊇ J`` for the block ``F`` of the periodic regime.

    Then ``R_{k+jB} ⊇ J`` for every j, so ``R_{k+jB+i} ⊇ P_i(J)``; if every phase image
    ``P_i(J)`` holds a point farther than eps from 1, eps is never reached.
    """
    B = 1 if sch.beyond == "repeat" else len(sch.steps)
    block = [_map(tuple(sch.step(k + i).coeffs)) for i in range(B)]
    a, b = float(l.mid()), float(u.mid())
    with np.errstate(all="ignore"):
        xs = np.linspace(a, b, 33)
        for _ in range(300):
            for m in block:
                xs = p_float(m, xs)
        tail = [xs]
        for _ in range(100):
            for m in block:
                xs = p_float(m, xs)
            tail.append(xs)
    pts = np.concatenate(tail)
    if not np.all(np.isfinite(pts)):
        return None
    core_lo, core_hi = float(np.min(pts)), float(np.max(pts))
    w = core_hi - core_lo
    if not w > 0:
        return None
    one = arb(1)
    for d in (1e-10, 1e-8, 1e-6, 1e-4, 1e-3, 1e-2):
        for r1, r2 in ((1, 1), (1, 3), (3, 1), (1, 10), (10, 1)):
            cl = Fraction(core_lo + r1 * d * w)
            ch = Fraction(core_hi - r2 * d * w)
            if cl >= ch:
                continue
            A, Bv = _exact_arb(cl), _exact_arb(ch)
            if not (A >= l and Bv <= u):
                continue
            inner: tuple[arb, arb] | None = (A, Bv)
            phase_err = []
            for m in block:
                e = max(abs(one - inner[0]).lower(), abs(one - inner[1]).lower(), key=_K)
                phase_err.append(e)
                inner = m.inner_range(*inner)
                if inner is None:
                    break
            if inner is None or not (inner[0] <= A and inner[1] >= Bv):
                continue
            if all(e > eps_b for e in phase_err):
                what = "the repeated step" if B == 1 else f"the {B}-step cycle F"
                return (f"the range after {k} steps contains J = [{float(cl):.9g}, {float(ch):.9g}] with "
                        f"F(J) ⊇ J for {what}, so every later range (at each phase) contains the image of J, "
                        f"and max|1 - x| over it is >= {min(lower_float(e) for e in phase_err):.6g} > eps")
    return None


def _cycle_witness(sch: Schedule, k: int, l: arb, u: arb, eps_b: arb) -> str | None:
    """An attracting cycle of the periodic regime inside ``R_k``, every phase of it farther than eps from 1.

    With ``F`` the block of ``B`` steps starting at step ``k`` and ``x*`` a certified point of
    period ``m`` of ``F`` in ``R_k``, every later range ``R_{k+jB+i}`` contains ``P_i(F^j(x*))``.
    """
    from .absorbing import krawczyk_cycle

    B = 1 if sch.beyond == "repeat" else len(sch.steps)
    block = [_map(tuple(sch.step(k + i).coeffs)) for i in range(B)]
    x = float((l + u).mid()) / 2
    with np.errstate(all="ignore"):
        xs = np.array([x, float(l.mid()), float(u.mid())])
        for _ in range(400):
            for m in block:
                xs = p_float(m, xs)
        if not np.all(np.isfinite(xs)):
            return None
        x = float(xs[0])
        orbit = [x]
        for _ in range(64):
            for m in block:
                x = float(p_float(m, np.array([x]))[0])
            orbit.append(x)
    per = None
    for mper in range(1, 9):
        if all(abs(orbit[-1 - t] - orbit[-1 - t - mper]) <= 1e-12 * max(1.0, abs(orbit[-1])) for t in range(8)):
            per = mper
            break
    if per is None:
        return None
    got = krawczyk_cycle(block * per, orbit[-1], 1)
    if got is None:
        return None
    X, pts, mult = got
    if not (X.lower() >= l and X.upper() <= u):
        return None
    # values along the cycle at every phase: pts holds X and its images under each step
    y = X
    vals = [X]
    for _ in range(per):
        for m in block:
            y = m.P(y)
            vals.append(y)
    if all(abs(arb(1) - v) > eps_b for v in vals):
        dmin = min(lower_float(abs(arb(1) - v)) for v in vals)
        return (f"the range after {k} steps contains a certified point of period {per} of the "
                f"{'repeated step' if B == 1 else f'{B}-step cycle'} (Krawczyk), so every later range "
                f"contains a point of its orbit, each at distance >= {dmin:.6g} > eps from 1")
    return None


@functools.lru_cache(maxsize=64)
def _fixed_points_cached(coeffs: tuple[Fraction, ...]):
    from linalg_lab.ns import Step

    from .fixed_points import fixed_points

    return fixed_points(Step(coeffs))


# Long only through its numpydoc docstring (References, Examples): the code is under 80 lines.
def steps_to_tolerance(schedule: Any, lo: Any, eps: Any, *, hi: Any = 1.0, max_steps: int = 100,
                       prec: int = DEFAULT_PREC) -> StepsToTolerance:
    """The certified minimal number of steps to bring every ``σ ∈ [lo, hi]`` within ``eps`` of 1.

    Parameters
    ----------
    schedule : str, Schedule, Step or coefficients
        Anything :func:`linalg_lab.ns_schedule` accepts; steps beyond its list follow its
        ``beyond`` rule.
    lo : float
        Smallest normalised singular value, ``0 < lo <= hi``.
    eps : float
        Target ``max over [lo, hi] of |1 - P_k(σ)| <= eps``, ``eps > 0``.
    hi : float, optional
        Largest normalised singular value (default 1).
    max_steps : int, optional
        Give up (status undecided) after this many steps.
    prec : int, optional
        Arb precision in bits.

    Returns
    -------
    StepsToTolerance
        ``reached=True`` with the minimal ``steps`` (certified that it works and that every
        smaller count fails), ``reached=False`` with a witness when provably never reached, or
        ``reached=None`` (undecided).

    Raises
    ------
    InputValueError, InputTypeError
        For an unknown schedule or arguments out of range.

    Notes
    -----
    The exact ranges ``R_k = P_k([lo, hi])`` are enclosed from outside and inside (see
    :func:`schedule_band`), which brackets ``E_k = max |1 - P_k|``.  Never reaching ``eps`` is
    certified by an invariant structure every later range must contain (``R_{k+1} = p(R_k)``
    exactly for a repeated step ``p``): a fixed point or 2-cycle of ``p`` in ``R_k`` farther
    than ``eps`` from 1, an interval ``J ⊆ R_k`` with ``p(J) ⊇ J``, or ``R_k ⊇ R_{k-B}`` for a
    schedule cycling through ``B`` steps.  Muon's quintic, whose fixed point 0.868 is repelling
    and whose orbits wander in ``J ≈ [0.68, 1.13]``, never reaches ``eps < 0.318``.

    Examples
    --------
    >>> r = steps_to_tolerance("cubic", 1e-3, 1e-3)
    >>> r.reached, r.steps, r.certified
    (True, 20, True)
    >>> steps_to_tolerance("muon", 1e-3, 1e-2).reached
    False
    """
    func = "steps_to_tolerance"
    sch = as_schedule(schedule, func=func)
    flo, fhi = _interval_args(lo, hi, func)
    if flo <= 0:
        raise InputValueError(f"The 'lo' parameter of {func} must be > 0. Got {float(flo)!r} instead.")
    feps = exact_real(eps, "eps", func=func)
    if feps <= 0:
        raise InputValueError(f"The 'eps' parameter of {func} must be > 0. Got {float(feps)!r} instead.")
    max_steps = check_int(max_steps, "max_steps", func=func, minimum=0)
    n_list = len(sch.steps)
    B = 1 if sch.beyond == "repeat" else n_list
    with working_prec(prec):
        eps_b = _exact_arb(feps)
        a, b = _exact_arb(flo), _exact_arb(fhi)
        L, U = a.lower(), b.upper()
        inner = (a.upper(), b.lower()) if flo < fhi else None
        hist = []
        maps: list[OddMap] = []

        def push(L, U, inner):
            l, u = inner if inner is not None else (None, None)
            eu, el = _err_bounds(L, U, l, u, point=flo == fhi)
            hist.append((L, U, l, u, el, eu))

        push(L, U, inner)
        result_k = None
        witness = None
        undecided_at = None
        for k in range(0, max_steps + 1):
            if k > 0:
                m = _map(tuple(sch.step(k - 1).coeffs))
                maps.append(m)
                L, U = m.range(L, U)
                if flo == fhi:
                    inner = None
                elif inner is not None:
                    inner = m.inner_range(*inner)
                push(L, U, inner)
                if not (L.is_finite() and U.is_finite()):
                    break
            el, eu = hist[k][4], hist[k][5]
            if eu <= eps_b:
                result_k = k
                break
            if el is None or not (el > eps_b):
                undecided_at = k if undecided_at is None else undecided_at
            if k - B >= n_list and k >= 2 * B:
                witness = _never_witness(sch, k, maps, hist, eps_b, prec)
                if witness is not None:
                    break
        elo = tuple(lower_float(h[4]) if h[4] is not None else 0.0 for h in hist)
        eup = tuple(upper_float(h[5]) for h in hist)
    common = dict(schedule=sch.name, lo=float(flo), hi=float(fhi), eps=float(feps),
                  error_lower=elo, error_upper=eup)
    if result_k is not None:
        fails = all(hist[j][4] is not None and hist[j][4] > eps_b for j in range(result_k))
        if fails:
            return StepsToTolerance(steps=result_k, reached=True, products=sch.products(result_k),
                                    witness="", verdict=verdict_of(True), status=Status.OK, reason="", **common)
        return StepsToTolerance(steps=result_k, reached=None, products=sch.products(result_k), witness="",
                                verdict=verdict_of(False), status=Status.UNDECIDED,
                                reason=(f"{result_k} steps provably suffice but failure of step count "
                                        f"{undecided_at} could not be proved (max|1-P| within rounding of eps); "
                                        "raise prec"), **common)
    if witness is not None:
        if undecided_at is not None:
            return StepsToTolerance(steps=None, reached=None, products=None, witness=witness, verdict=verdict_of(False),
                                    status=Status.UNDECIDED,
                                    reason=f"step count {undecided_at} is within rounding of eps; raise prec",
                                    **common)
        return StepsToTolerance(steps=None, reached=False, products=None, witness=witness, verdict=verdict_of(True),
                                status=Status.OK, reason="", **common)
    last = len(hist) - 1
    return StepsToTolerance(steps=None, reached=None, products=None, witness="", verdict=verdict_of(False),
                            status=Status.UNDECIDED,
                            reason=(f"eps not reached within {last} steps (best max|1-P| <= {min(eup):.3g}) and no "
                                    "certificate that it never is; raise max_steps or loosen eps"), **common)


