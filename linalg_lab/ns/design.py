"""Design of Newton–Schulz schedules: greedy per-step minimax polynomials (Polar Express / CANS).

:func:`ns_design` returns a :class:`~linalg_lab.ns.schedules.Schedule` whose steps are exact
rationals (the designed coefficients rounded to ``digits`` significant decimal digits);
:func:`design_schedule` returns the same schedule inside an :class:`NSDesign` result that also
records the design: the interval ``[l_k, u_k]`` before every step, the minimax error of every step,
the predicted worst error of the composition and an allowance for the coefficient rounding.

The greedy design
-----------------
Start from the normalised singular-value interval ``[l_0, u_0] = [lo, upper * headroom]``.  Step
``k`` is the odd polynomial ``p_k`` of the given degree minimising ``max |1 - p_k(x)|`` on the
design interval ``[max(l_k, cushion u_k), u_k]`` (Remez exchange, :mod:`linalg_lab.ns.remez`);
then

- **cushion** (Polar Express): when ``cushion * u_k > l_k`` the polynomial was fitted on the
  narrower interval and is rescaled so that ``p_k(l_k) + p_k(u_k) = 2``, i.e. centred on 1 over the
  true interval.  The cushion keeps the first polynomials from having huge slopes at the left end,
  which makes them less sensitive to rounding;
- **safety** (Polar Express): every step except the last is replaced by ``p_k(x / safety)``
  (coefficients ``c_i / safety^(2i+1)``), so inputs up to ``safety * u_k`` are treated as in range;
- the next interval is ``[l_{k+1}, u_{k+1}] = [min p_k, max p_k]`` over ``[l_k, u_k]``
  (``interval_rule="extremes"``, exact), or Polar Express's rule ``l_{k+1} = p_k(l_k)``,
  ``u_{k+1} = 2 - l_{k+1}`` (``interval_rule="symmetric"``; an over-estimate of the true maximum
  when ``safety > 1``, identical otherwise);
- ``objective="robust"`` widens every interval by a relative rounding margin (twice the unit
  roundoff of ``precision``, bf16 by default) before the next step, so the design never relies on
  a singular value landing closer to 1 than the arithmetic can place it, and designs the first step
  for inputs up to ``upper * headroom`` (a norm under-estimated by up to that factor);
- ``objective="cans"`` is the plain design of Grishina, Smirnov & Rakhuba (CANS): no cushion, no
  safety, the next interval ``[1 - E_k, 1 + E_k]``; it is ``"minimax"`` with those settings
  (their shipped 5-step table is this design from ``[1e-3, 1]`` rounded to 4 decimals).

Where the greedy design is optimal, and where it is not
-------------------------------------------------------
The Polar Express paper (Amsel et al., arXiv:2505.16932) proves that for a fixed sequence of odd
degrees the greedy choice (each factor the minimax polynomial on the current image interval,
intervals tracked exactly) gives the composition with the smallest worst-case error
``max_{x in [lo, upper]} |1 - P(x)|`` among *all* compositions of odd polynomials of those
degrees.  So ``objective="minimax"`` with ``cushion=0``, ``safety=1``, ``headroom=1`` is optimal
for that criterion (up to the coefficient rounding, which :meth:`NSDesign.check_certified`
accounts for), and :func:`design_budget` — a dynamic programme over degree sequences, exact
because the greedy next lower end is increasing in the current one — is optimal over every
sequence of cubic/quintic/septic steps within a matrix-product budget.  It is **not** optimal:

- with a cushion or a safety factor (deliberately sub-optimal for the sup-norm on ``[lo, upper]``
  in exchange for robustness to rounding and to inputs above ``upper``);
- for other criteria: the error at a fixed number of steps *for a given spectrum* (Frobenius /
  average error), the error after more steps than designed (the greedy tail repeats the last step,
  whose fixed point need not be the optimum for longer runs), or robustness to inputs above
  ``upper`` (Jordan's quintic and the You schedules trade accuracy for headroom on purpose);
- when ``lo`` is not a true lower bound: singular values below ``lo`` are amplified by the
  steep first polynomials only as fast as ``p_k'(0)`` allows and can be far from 1 at the end;
- in finite precision: the design assumes exact arithmetic (``objective="robust"`` models bf16
  rounding by a margin, a heuristic, not a proof).

References
----------
.. [1] N. Amsel, D. Persson, C. Musco, R. M. Gower, "The Polar Express: optimal matrix sign
   methods and their application to the Muon algorithm", arXiv:2505.16932.
.. [2] E. Grishina, M. Smirnov, M. Rakhuba, "Accelerating Newton-Schulz iteration for
   orthogonalization via Chebyshev-type polynomials", arXiv:2506.10935.
.. [3] Y. Nakatsukasa, R. W. Freund, "Computing fundamental matrix decompositions accurately via
   the matrix sign function in two iterations: the power of Zolotarev's functions", SIAM Review
   58(3), 2016. doi:10.1137/140990334
"""
from __future__ import annotations

import dataclasses
import math
import numbers
import time
from collections.abc import Sequence
from fractions import Fraction
from typing import Any, Literal

import mpmath

from .._results import Certificate, Result, Rigour, Status, Verdict
from .._validation import InputTypeError, InputValueError, check_int, check_option, check_real
from .remez import DEFAULT_DPS, extremes, lipschitz, minimax_body, peval
from .schedules import Schedule, Step

__all__ = [
    "DesignStep", "NSDesign", "DesignCheck", "design_schedule", "ns_design", "apply_safety",
    "OBJECTIVES", "certified_error_bounds",
]

_FUNC = "ns_design"
#: Design objectives accepted by :func:`ns_design`.
OBJECTIVES = ("minimax", "cans", "robust")
_RULES = ("extremes", "symmetric")
_PRECISIONS = ("bfloat16", "float16", "float32")
#: Unit roundoff 2^-p of each emulated format (p = significand bits incl. the hidden one: 8, 11, 24);
#: equal to ``linalg_lab.tolerance.unit_roundoff`` without importing ml_dtypes (2 s) at design time.
_UNIT_ROUNDOFF = {"bfloat16": 2.0 ** -8, "float16": 2.0 ** -11, "float32": 2.0 ** -24}


@dataclasses.dataclass(frozen=True)
class DesignStep:
    """One designed step: the interval it acts on, the polynomial and where it sends the interval.

    ``lower``/``upper`` bound the values entering the step (``[l_k, u_k]``); the minimax problem was
    solved on ``[design_lo, design_hi]``; ``image_lower``/``image_upper`` bound the values leaving
    it (before any robust margin).  ``coeffs`` are the unrounded coefficients (30 digits) after
    cushion rescaling and safety.  ``lipschitz`` is ``max |p'|`` on ``[l_k, u_k]``.
    """

    degree: int
    lower: float
    upper: float
    design_lo: float
    design_hi: float
    minimax_error: float
    image_lower: float
    image_upper: float
    lipschitz: float
    coeffs: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class DesignCheck(Certificate):
    """Certified check that rounding the coefficients kept the design's guarantee.

    ``certified_upper`` is a rigorous upper bound on ``max |1 - P(x)|`` over ``[lo, hi]`` for the
    *rounded* schedule (from a certified band); the claim proved is
    ``certified_upper <= guarantee = design_error + 2 * rounding_allowance`` (plus one float64
    ulp).  ``certified_lower`` is the band's lower bound on the same maximum.
    """

    lo: float
    hi: float
    steps: int
    design_error: float
    rounding_allowance: float
    guarantee: float
    certified_lower: float
    certified_upper: float
    verdict: Verdict
    rigour: Rigour
    status: Status
    reason: str


def certified_error_bounds(band: Any) -> tuple[float, float]:
    """``(lower, upper)`` bounds on ``max |1 - P|`` from a certified band result.

    Accepts the band of ``proofs_check.schedule_band`` whatever its field names (``max_error_*``
    now; ``error_lower``/``error_upper`` or an ``error`` object with ``lower``/``upper`` after the
    vocabulary renovation).  Raises ``AttributeError`` when none is present.
    """
    for lo_name, up_name in (("max_error_lower", "max_error_upper"), ("error_lower", "error_upper")):
        if hasattr(band, up_name):
            return float(getattr(band, lo_name)), float(getattr(band, up_name))
    err = getattr(band, "error", None) or getattr(band, "max_error", None)
    if err is not None and hasattr(err, "upper"):
        return float(err.lower), float(err.upper)
    raise AttributeError(f"{type(band).__name__} has no error bounds (max_error_upper, error_upper or error.upper)")


@dataclasses.dataclass(frozen=True)
class NSDesign(Result):
    """A designed Newton–Schulz schedule with its design record.

    Attributes
    ----------
    schedule : Schedule
        The schedule with coefficients rounded to ``digits`` significant digits (exact rationals).
    lo, hi : float
        The input interval the design covers (``hi = upper * headroom``).
    lower, upper : float
        Predicted band ``P([lo, hi]) ⊆ [lower, upper]`` of the unrounded design (high-precision
        reference, widened by the robust margin when ``objective="robust"``).
    error : float
        ``max(1 - lower, upper - 1)``: the predicted worst error.
    rounding_allowance : float
        First-order bound on how far rounding the coefficients moves the output on ``[lo, hi]``.
    design_steps : tuple of DesignStep
        The per-step record.
    """

    schedule: Schedule
    objective: str
    degrees: tuple[int, ...]
    lo: float
    hi: float
    safety: float
    cushion: float
    headroom: float
    margin: float
    interval_rule: str
    digits: int
    lower: float
    upper: float
    error: float
    rounding_allowance: float
    products: int
    design_steps: tuple[DesignStep, ...]
    elapsed_s: float
    rigour: Rigour
    status: Status
    reason: str

    def raw_coeffs(self) -> list[tuple[float, ...]]:
        """The unrounded designed coefficients as float64 (for comparison with float generators)."""
        return [tuple(float(mpmath.mpf(c)) for c in s.coeffs) for s in self.design_steps]

    def check_certified(self, band: Any) -> DesignCheck:
        """Compare a certified band of the rounded schedule on ``[lo, hi]`` with the design's guarantee.

        ``band`` is the result of ``proofs_check.schedule_band(self.schedule, self.lo, self.hi,
        steps=len(self.degrees))`` (the family code does not import ``proofs_check``; the caller
        passes the certificate in).  The verdict is PROVED when the band is certified and its upper
        bound on the worst error is within ``error + 2 * rounding_allowance``; REFUTED when it is
        certified and above; UNDECIDED when the band is not certified.
        """
        el, eu = certified_error_bounds(band)
        guarantee = self.error * (1 + 2.0 ** -50) + 2 * self.rounding_allowance
        certified = bool(getattr(band, "certified", False))
        if not certified:
            verdict, status = Verdict.UNDECIDED, Status.UNDECIDED
            reason = f"the band is not certified ({getattr(band, 'reason', '')}); tighten its tol or raise prec"
        elif eu <= guarantee:
            verdict, status, reason = Verdict.PROVED, Status.OK, ""
        else:
            verdict, status = Verdict.REFUTED, Status.REFUTED
            reason = (f"the rounded schedule's certified worst error {eu:.6g} exceeds the design's "
                      f"{self.error:.6g} + 2 x rounding allowance {self.rounding_allowance:.3g}; "
                      "round to more digits")
        return DesignCheck(lo=self.lo, hi=self.hi, steps=len(self.degrees), design_error=self.error,
                           rounding_allowance=self.rounding_allowance, guarantee=guarantee,
                           certified_lower=el, certified_upper=eu, verdict=verdict,
                           rigour=Rigour.CERTIFIED if verdict is Verdict.PROVED else Rigour.REFERENCE,
                           status=status, reason=reason)

    def summary(self) -> str:
        lines = [f"NSDesign ({self.objective}): {self.status.value}",
                 f"  {len(self.degrees)} steps, degrees {list(self.degrees)}, {self.products} matrix products, "
                 f"inputs [{self.lo:.6g}, {self.hi:.6g}]",
                 f"  safety {self.safety:g}, cushion {self.cushion:g}, margin {self.margin:.3g}, "
                 f"intervals: {self.interval_rule}, rounded to {self.digits} digits",
                 f"  predicted band [{self.lower:.17g}, {self.upper:.17g}], worst error {self.error:.6g} "
                 f"(+ rounding allowance {self.rounding_allowance:.2g})",
                 f"  designed in {self.elapsed_s:.3f} s"]
        for k, (st, ds) in enumerate(zip(self.schedule.steps, self.design_steps)):
            lines.append(f"  step {k}: [{ds.lower:.6g}, {ds.upper:.6g}] -> [{ds.image_lower:.6g}, "
                         f"{ds.image_upper:.6g}]  p = ({', '.join(str(float(c)) for c in st.coeffs)})")
        if self.reason:
            lines.append(f"  reason: {self.reason}")
        return "\n".join(lines)


def _round(c: Any, digits: int) -> Fraction:
    return Fraction(mpmath.nstr(c, digits, strip_zeros=True, min_fixed=-5, max_fixed=5))


def _degrees(degree: Any, steps: int) -> tuple[int, ...]:
    if isinstance(degree, (str, bytes)):
        raise InputTypeError(f"The 'degree' parameter of {_FUNC} must be an odd int or a sequence of them, got {degree!r}")
    if isinstance(degree, numbers.Integral) and not isinstance(degree, bool):
        degs = (int(degree),) * steps
    elif isinstance(degree, Sequence):
        degs = tuple(check_int(d, "degree", func=_FUNC) for d in degree)
        if len(degs) != steps:
            raise InputValueError(f"{_FUNC}: 'degree' lists {len(degs)} degrees for steps={steps}; give one per step")
    else:
        raise InputTypeError(f"The 'degree' parameter of {_FUNC} must be an odd int or a sequence of them, got {degree!r}")
    for d in degs:
        if d < 3 or d % 2 == 0 or d > 21:
            raise InputValueError(f"The 'degree' parameter of {_FUNC} must be odd and in [3, 21] (3, 5, 7, ...). Got {d} instead.")
    return degs


def _design_body(lo: float, steps: int, degs: tuple[int, ...], safety: float, cushion: float, objective: str,
                 upper: float, digits: int, headroom: float, margin: float, rule: str) -> NSDesign:
    t0 = time.perf_counter()
    with mpmath.workdps(DEFAULT_DPS):
        l, u = mpmath.mpf(lo), mpmath.mpf(upper) * mpmath.mpf(headroom)
        hi = float(u)
        s = mpmath.mpf(safety)
        records, rounded = [], []
        allowance = mpmath.mpf(0)
        ok, why = True, ""
        for k, d in enumerate(degs):
            dlo = max(l, cushion * u)
            c, E, _, _, _, conv = minimax_body(dlo, u, d, dps=DEFAULT_DPS)
            if not conv:
                ok, why = False, f"the Remez exchange of step {k} on [{float(dlo):.6g}, {float(u):.6g}] did not converge"
            if cushion * u > l:
                scale = 2 / (peval(c, l) + peval(c, u))
                c = [ci * scale for ci in c]
            if s != 1 and k < steps - 1:
                c = [ci / s ** (2 * i + 1) for i, ci in enumerate(c)]
            pmin, pmax = extremes(c, l, u)
            if rule == "symmetric":
                nl = peval(c, l)
                nu = 2 - nl
                nl = min(nl, nu)
            else:
                nl, nu = pmin, pmax
            L = lipschitz(c, l, u)
            rc = [_round(ci, digits) for ci in c]
            delta = sum(abs(mpmath.mpf(r.numerator) / r.denominator - ci) * u ** (2 * i + 1)
                        for i, (r, ci) in enumerate(zip(rc, c)))
            allowance = L * allowance + delta
            records.append(DesignStep(
                degree=d, lower=float(l), upper=float(u), design_lo=float(dlo), design_hi=float(u),
                minimax_error=float(E), image_lower=float(nl), image_upper=float(nu), lipschitz=float(L),
                coeffs=tuple(mpmath.nstr(ci, 30) for ci in c)))
            rounded.append(Step(tuple(rc)))
            if not nl > 0:
                ok, why = False, (f"step {k} maps the interval to [{float(nl):.3g}, {float(nu):.3g}], which reaches 0 "
                                  "(a sign flip); lower the safety factor or the cushion")
            l, u = nl * (1 - margin), nu * (1 + margin)
        err = max(1 - l, u - 1)
        lower, upper_b = float(l), float(u)
        error, allow = float(err), float(allowance)
    name = f"designed-{objective}-l{lo:g}-" + ("-".join(str(x) for x in degs) if len(set(degs)) > 1 else f"{steps}x{degs[0]}")
    sched = Schedule(
        name=name, steps=tuple(rounded), beyond="repeat", default_steps=steps,
        provenance=(f"linalg_lab.ns_design(lo={lo!r}, steps={steps}, degree={list(degs)}, safety={safety!r}, "
                    f"cushion={cushion!r}, objective={objective!r}, upper={upper!r}, headroom={headroom!r}, "
                    f"interval_rule={rule!r}): greedy Remez minimax steps rounded to {digits} significant digits"))
    products = sum(st.products for st in rounded)
    return NSDesign(schedule=sched, objective=objective, degrees=degs, lo=float(lo), hi=hi, safety=float(safety),
                    cushion=float(cushion), headroom=float(headroom), margin=float(margin), interval_rule=rule,
                    digits=digits, lower=lower, upper=upper_b, error=error, rounding_allowance=allow,
                    products=products, design_steps=tuple(records), elapsed_s=time.perf_counter() - t0,
                    rigour=Rigour.REFERENCE, status=Status.OK if ok else Status.SOLVER_FAILED, reason=why)


def design_schedule(*, lo: float, steps: int, degree: int | Sequence[int] = 5, safety: float = 1.0,
                    cushion: float = 0.0, objective: Literal["minimax", "cans", "robust"] = "minimax",
                    upper: float = 1.0, digits: int = 16, headroom: float = 1.0,
                    precision: Literal["bfloat16", "float16", "float32"] = "bfloat16",
                    interval_rule: Literal["extremes", "symmetric"] = "extremes") -> NSDesign:
    """Design a Newton–Schulz schedule greedily and return it with its design record.

    Parameters
    ----------
    lo : float
        Lower bound on the normalised singular values, ``0 < lo <= upper``.
    steps : int
        Number of steps (>= 1).
    degree : int or sequence of int, optional
        Odd degree of every step (default 5), or one degree per step (a cubic/quintic/septic mix).
    safety : float, optional
        Polar Express safety factor ``>= 1``: steps but the last become ``p(x / safety)`` (default 1).
    cushion : float, optional
        Polar Express cushion in ``[0, 1)``: fit on ``[max(l, cushion u), u]`` and recentre
        (default 0; the paper's value is 0.02407327424182761).
    objective : {"minimax", "cans", "robust"}, optional
        See the module notes.  "cans" requires ``safety == 1`` and ``cushion == 0``.
    upper : float, optional
        Upper bound on the normalised singular values (default 1).
    digits : int, optional
        Significant decimal digits kept in each coefficient (default 16), in [4, 30].
    headroom : float, optional
        ``>= 1``: design for inputs up to ``upper * headroom`` (default 1).
    precision : {"bfloat16", "float16", "float32"}, optional
        For ``objective="robust"``: the arithmetic whose rounding the margin models (default bf16);
        the margin is ``2 u`` (``u`` the unit roundoff), ignored by the other objectives.
    interval_rule : {"extremes", "symmetric"}, optional
        How the next interval is formed (see the module notes; "symmetric" is Polar Express's).

    Returns
    -------
    NSDesign
        The rounded schedule and the design record (rigour: high-precision reference).

    Raises
    ------
    InputValueError, InputTypeError
        Out-of-range or mistyped parameters (each message names the parameter).

    Notes
    -----
    Cost: one Remez exchange per step at 40+ digits (a few ms each): well under a second for 8
    steps.  The predicted error is exact up to the working precision for the *unrounded*
    coefficients; :meth:`NSDesign.check_certified` bounds the rounded schedule rigorously.

    References
    ----------
    .. [1] Amsel, Persson, Musco, Gower, arXiv:2505.16932.
    .. [2] Grishina, Smirnov, Rakhuba, arXiv:2506.10935.

    Examples
    --------
    >>> d = design_schedule(lo=1e-3, steps=5)
    >>> d.ok, d.products, round(d.error, 4)
    (True, 15, 0.1134)
    >>> [round(float(c), 4) for c in d.schedule.steps[0].coeffs]
    [8.4703, -25.1081, 18.6293]
    """
    lo = check_real(lo, "lo", func=_FUNC, lo=0.0, lo_open=True)
    upper = check_real(upper, "upper", func=_FUNC, lo=0.0, lo_open=True)
    if lo > upper:
        raise InputValueError(f"{_FUNC}: 'lo' must be <= 'upper', got lo={lo!r} > upper={upper!r}")
    steps = check_int(steps, "steps", func=_FUNC, minimum=1, maximum=64)
    degs = _degrees(degree, steps)
    safety = check_real(safety, "safety", func=_FUNC, lo=1.0, hi=2.0)
    cushion = check_real(cushion, "cushion", func=_FUNC, lo=0.0, hi=1.0, hi_open=True)
    check_option(objective, "objective", OBJECTIVES, func=_FUNC)
    digits = check_int(digits, "digits", func=_FUNC, minimum=4, maximum=30)
    headroom = check_real(headroom, "headroom", func=_FUNC, lo=1.0, hi=100.0)
    check_option(precision, "precision", _PRECISIONS, func=_FUNC)
    check_option(interval_rule, "interval_rule", _RULES, func=_FUNC)
    if objective == "cans" and (safety != 1.0 or cushion != 0.0 or headroom != 1.0):
        raise InputValueError(f"{_FUNC}: objective='cans' is the plain minimax design; it takes no safety, cushion "
                              f"or headroom (got safety={safety}, cushion={cushion}, headroom={headroom})")
    # the robust margin: two roundings of relative size u (the product and the accumulation into X)
    margin = 2 * _UNIT_ROUNDOFF[precision] if objective == "robust" else 0.0
    return _design_body(lo, steps, degs, safety, cushion, objective, upper, digits, headroom, margin, interval_rule)


def ns_design(*, lo: float, steps: int, degree: int | Sequence[int] = 5, safety: float = 1.0,
              cushion: float = 0.0, objective: Literal["minimax", "cans", "robust"] = "minimax",
              upper: float = 1.0, digits: int = 16, headroom: float = 1.0,
              precision: Literal["bfloat16", "float16", "float32"] = "bfloat16",
              interval_rule: Literal["extremes", "symmetric"] = "extremes") -> Schedule:
    """Design a Newton–Schulz schedule: greedy minimax (Remez) steps, rounded to exact rationals.

    The parameters are those of :func:`design_schedule`, which returns the design record too; this
    returns only the :class:`Schedule` (coefficients rounded to ``digits`` significant digits and
    kept as exact rationals, so certified analyses speak about exactly these numbers).

    Parameters
    ----------
    lo, upper : float
        The interval ``[lo, upper]`` of normalised singular values the schedule must map near 1.
    steps : int
        Number of steps.
    degree : int or sequence of int
        Odd degree of every step (3, 5, 7, ...), or one per step.
    safety, cushion : float
        Polar Express's conventions (see :func:`design_schedule`).
    objective : {"minimax", "cans", "robust"}
        Greedy minimax, CANS's plain greedy design, or the headroom/bf16-robust variant.
    digits, headroom, precision, interval_rule
        See :func:`design_schedule`.

    Returns
    -------
    Schedule

    Raises
    ------
    AnalysisFailed
        When the design failed (a Remez exchange did not converge, or an interval reached 0).

    References
    ----------
    .. [1] Amsel, Persson, Musco, Gower, "The Polar Express", arXiv:2505.16932.
    .. [2] Grishina, Smirnov, Rakhuba, "CANS", arXiv:2506.10935.

    Examples
    --------
    >>> s = ns_design(lo=1e-3, steps=8, cushion=0.02407327424182761)
    >>> len(s.steps), s.products()
    (8, 24)
    >>> round(float(s.steps[0].coeffs[0]), 6)
    8.287212
    """
    d = design_schedule(lo=lo, steps=steps, degree=degree, safety=safety, cushion=cushion, objective=objective,
                        upper=upper, digits=digits, headroom=headroom, precision=precision,
                        interval_rule=interval_rule)
    d.raise_if_failed()
    return d.schedule


def apply_safety(schedule: Schedule, safety: float | str, *, last: bool = False) -> Schedule:
    """Polar Express's post-hoc safety: ``p_k(x / safety)`` for every listed step (but the last).

    The 8-step Polar Express table (NoahAmsel/PolarExpress ``basic.py``) is published *before* this
    scaling and scaled at import with ``safety = 1.01``; ``apply_safety(ns_design(...), "1.01")``
    reproduces that convention exactly in rationals.

    Parameters
    ----------
    schedule : Schedule
        The schedule to scale.
    safety : float or str
        The factor (> 0), converted exactly to a rational ("1.01" is 101/100).
    last : bool
        Scale the last step too (Polar Express does not).

    Returns
    -------
    Schedule

    Examples
    --------
    >>> s = apply_safety(Schedule(name="x", steps=(Step(("2", "-1")), Step(("1.5", "-0.5")))), "2")
    >>> s.steps[0].coeffs, s.steps[1].coeffs
    ((Fraction(1, 1), Fraction(-1, 8)), (Fraction(3, 2), Fraction(-1, 2)))
    """
    from .schedules import to_fraction

    sf = to_fraction(safety, "safety", func="apply_safety")
    if sf <= 0:
        raise InputValueError(f"apply_safety: 'safety' must be > 0, got {sf}")
    n = len(schedule.steps)
    out = []
    for k, st in enumerate(schedule.steps):
        if k < n - 1 or last:
            out.append(Step(tuple(c / sf ** (2 * i + 1) for i, c in enumerate(st.coeffs))))
        else:
            out.append(st)
    return dataclasses.replace(schedule, steps=tuple(out), name=f"{schedule.name}-safety{float(sf):g}",
                               provenance=f"{schedule.provenance}; steps scaled p(x/{sf}) (all but the last)"
                               if not last else f"{schedule.provenance}; steps scaled p(x/{sf})")
