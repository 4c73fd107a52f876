"""Exact fixed points, 2-cycles, critical points and sign-flip thresholds of one NS step."""
from __future__ import annotations

import dataclasses
from fractions import Fraction
from typing import Any

from flint import arb, fmpq_poly

from linalg_lab.internal import Certificate, InputValueError, Rigour, Status, Verdict
from linalg_lab.ns import Step

from .._arb import lower_float, upper_float, working_prec
from ._common import AlgebraicReal, algebraic_roots, as_step, divides, verdict_of
from ._poly import DEFAULT_PREC, OddMap, to_fmpq

__all__ = ["FixedPoint", "PeriodicOrbit", "CriticalPoint", "FixedPointsResult", "fixed_points"]

_FUNC = "fixed_points"
_MAX_PREC = 4096


@dataclasses.dataclass(frozen=True)
class FixedPoint:
    """A real fixed point ``x* = p(x*)`` with its multiplier ``m = p'(x*)`` and stability.

    ``multiplier`` is exact (a Fraction) when ``x*`` is rational; ``multiplier_lower/upper``
    always enclose it.  ``stability`` is decided exactly: "super-attracting" (m = 0),
    "attracting" (0 < |m| < 1), "indifferent" (|m| = 1), "repelling" (|m| > 1).
    """

    x: AlgebraicReal
    multiplier: Fraction | None
    multiplier_lower: float
    multiplier_upper: float
    stability: str


@dataclasses.dataclass(frozen=True)
class PeriodicOrbit:
    """A cycle of exact period ``period`` with multiplier ``(p^period)'`` and its stability."""

    points: tuple[AlgebraicReal, ...]
    period: int
    multiplier_lower: float
    multiplier_upper: float
    stability: str


@dataclasses.dataclass(frozen=True)
class CriticalPoint:
    """A real root ``c`` of ``p'`` and an enclosure of its critical value ``p(c)``."""

    x: AlgebraicReal
    value: Fraction | None
    value_lower: float
    value_upper: float


@dataclasses.dataclass(frozen=True)
class FixedPointsResult(Certificate):
    """Certified fixed-point structure of an odd polynomial step ``p``.

    Attributes
    ----------
    coeffs : tuple of Fraction
        The exact coefficients ``(a1, a3, ...)`` of ``p``.
    fixed_points : tuple of FixedPoint
        Every real fixed point, ascending.
    period2 : tuple of PeriodicOrbit
        Every real orbit of exact period 2 (roots of ``p(p(x)) - x`` that are not fixed points).
    critical_points : tuple of CriticalPoint
        Every real critical point, ascending, with critical values.
    positive_zeros : tuple of AlgebraicReal
        Every real ``x > 0`` with ``p(x) = 0``: the sign-flip thresholds (``p < 0`` just beyond
        the first one when it is a simple zero).
    certified : bool
        True: every number is an exact algebraic number or a certified enclosure, and every
        stability label was decided exactly.
    """

    coeffs: tuple[Fraction, ...]
    fixed_points: tuple[FixedPoint, ...]
    period2: tuple[PeriodicOrbit, ...]
    critical_points: tuple[CriticalPoint, ...]
    positive_zeros: tuple[AlgebraicReal, ...]
    verdict: Verdict
    status: Status
    reason: str
    rigour: Rigour = Rigour.CERTIFIED  # every number is an Arb enclosure or exact

    def attracting(self) -> tuple[FixedPoint, ...]:
        """The (super-)attracting fixed points."""
        return tuple(f for f in self.fixed_points if f.stability in ("super-attracting", "attracting"))

    def summary(self) -> str:
        lines = [f"FixedPointsResult: {'certified' if self.certified else 'NOT certified'} ({self.status.value})",
                 f"  p(x) = {Step(self.coeffs)}"]
        lines.append("  fixed points (x*, multiplier p'(x*), stability):")
        for f in self.fixed_points:
            m = str(f.multiplier) if f.multiplier is not None else \
                f"[{f.multiplier_lower:.12g}, {f.multiplier_upper:.12g}]"
            lines.append(f"    {f.x}   m = {m}   {f.stability}")
        lines.append(f"  period-2 orbits: {len(self.period2)}")
        for o in self.period2:
            pts = ", ".join(f"{float(p):.12g}" for p in o.points)
            lines.append(f"    {{{pts}}}   m ∈ [{o.multiplier_lower:.6g}, {o.multiplier_upper:.6g}]   {o.stability}")
        lines.append("  critical points (c, p(c)):")
        for c in self.critical_points:
            v = str(c.value) if c.value is not None else f"[{c.value_lower:.12g}, {c.value_upper:.12g}]"
            lines.append(f"    {c.x}   p(c) = {v}")
        lines.append("  positive zeros (sign-flip thresholds): "
                     + (", ".join(str(z) for z in self.positive_zeros) or "none"))
        if self.reason:
            lines.append(f"  reason: {self.reason}")
        return "\n".join(lines)


def _classify(ball_of_m, exact_zero: bool, exact_unit: bool) -> tuple[str, arb] | None:
    """Stability from exact facts plus an enclosure; None when the enclosure is too wide."""
    m = ball_of_m
    if exact_zero:
        return "super-attracting", m
    if exact_unit:
        return "indifferent", m
    if m.contains(0) or m.contains(1) or m.contains(-1):
        return None
    am = abs(m)
    if am < 1:
        return "attracting", m
    if am > 1:
        return "repelling", m
    return None


def _decide(mult_poly: fmpq_poly, minpoly: fmpq_poly, point: AlgebraicReal, prec: int):
    """Decide the stability of ``mult_poly(x)`` at the algebraic ``x`` exactly (see fixed_points)."""
    zero = divides(minpoly, mult_poly)
    unit = divides(minpoly, mult_poly - 1) or divides(minpoly, mult_poly + 1)
    bits = prec
    while bits <= _MAX_PREC:
        with working_prec(bits):
            x = point.ball()
            m = mult_poly(x) if not isinstance(x, arb) else _eval(mult_poly, x)
            got = _classify(m, zero, unit)
            if got is not None:
                return got[0], lower_float(got[1]), upper_float(got[1]), True
        bits *= 2
    with working_prec(prec):
        m = _eval(mult_poly, point.ball())
        return "undecided", lower_float(m), upper_float(m), False


def _eval(poly: fmpq_poly, x: arb) -> arb:
    from flint import arb_poly

    return arb_poly([arb(c) for c in poly.coeffs()])(x)


def _period2_orbits(pm: OddMap, q: fmpq_poly, dq: fmpq_poly, g: fmpq_poly,
                    prec: int) -> tuple[list[PeriodicOrbit], bool, list[str]]:
    """Every real orbit of exact period 2: roots of ``p(p(x)) - x`` whose minimal polynomial does not
    divide ``g = p(x) - x``, paired by their images, with the multiplier's stability decided exactly."""
    orbits: list[PeriodicOrbit] = []
    certified = True
    notes: list[str] = []
    X = fmpq_poly([0, 1])
    g2 = q(q) - X
    if g2.is_zero():
        # only p(x) = -x: every x != 0 lies on the 2-cycle {x, -x}, a continuum that cannot be listed
        return orbits, False, ["p(p(x)) = x identically: every x != 0 has exact period 2 (the orbits {x, -x}), "
                               "so period2 cannot list them; this step is an isometry, not an orthogonalising step"]
    mult2 = dq * dq(q)
    pts = [a for a, _ in algebraic_roots(g2) if not divides(a.minimal_polynomial(), g)]
    used = [False] * len(pts)
    for i, a in enumerate(pts):
        if used[i]:
            continue
        img = pm.P(a.ball())
        partner = [j for j, b in enumerate(pts) if j != i and not used[j] and img.overlaps(b.ball())]
        if len(partner) != 1:
            certified = False
            notes.append(f"could not pair the period-2 point {float(a):.6g}")
            used[i] = True
            continue
        j = partner[0]
        used[i] = used[j] = True
        stab, lo, hi, ok = _decide(mult2, a.minimal_polynomial(), a, prec)
        certified &= ok
        orbits.append(PeriodicOrbit(points=(a, pts[j]), period=2, multiplier_lower=lo,
                                    multiplier_upper=hi, stability=stab))
    return orbits, certified, notes


def _sign(a: AlgebraicReal, prec: int) -> int | None:
    """The exact sign of an algebraic number: from its value when rational, else from its isolating
    ball, refined (doubling the precision up to ``_MAX_PREC``) until it excludes 0.  An irrational
    number is never 0, so the refinement ends unless the precision cap is reached (None)."""
    if a.value is not None:
        return (a.value > 0) - (a.value < 0)
    bits = prec
    while bits <= _MAX_PREC:
        with working_prec(bits):
            b = a.ball()
            if b > 0:
                return 1
            if b < 0:
                return -1
        bits *= 2
    return None


def fixed_points(step: Any, *, index: int = 0, prec: int = DEFAULT_PREC) -> FixedPointsResult:
    """All real fixed points, 2-cycles, critical points and positive zeros of an NS step, exactly.

    Parameters
    ----------
    step : Step, schedule or coefficients
        A :class:`linalg_lab.ns.Step`, a coefficient tuple ``(a1, a3, a5, ...)``, or
        anything :func:`linalg_lab.ns_schedule` accepts, in which case step ``index`` of that
        schedule is analysed (the first step by default; use ``index`` for a later one).
    index : int, optional
        Which step of a schedule to analyse (applying its beyond-the-list rule).
    prec : int, optional
        Arb working precision in bits for the isolating intervals (default 128); it is raised
        automatically where a stability decision needs more.

    Returns
    -------
    FixedPointsResult
        Exact algebraic fixed points with multipliers and stability, period-2 orbits, critical
        points and values, and positive zeros.

    Raises
    ------
    InputValueError, InputTypeError
        For a step that :func:`ns_schedule` rejects.

    Notes
    -----
    The fixed points are the real roots of ``p(x) - x``, factorised over Q by FLINT; each
    irreducible factor's real roots are isolated by Arb (``arb_fmpz_poly_complex_roots``), so
    every root is known exactly as (minimal polynomial, index) and by a certified interval.
    A multiplier ``m(x*) = p'(x*)`` is zero, or has ``|m| = 1``, exactly when the minimal
    polynomial of ``x*`` divides ``p'``, ``p' - 1`` or ``p' + 1`` (exact polynomial division);
    otherwise the Arb enclosure of ``m`` is refined until it excludes 0 and ±1, which always
    happens.  Period-2 points are the roots of the irreducible factors of ``p(p(x)) - x`` that
    do not divide ``p(x) - x``, with multiplier ``p'(x) p'(p(x))`` decided the same way.  Cost:
    factoring a degree ``d^2`` polynomial, milliseconds for quintic steps.

    References
    ----------
    .. [1] F. Johansson, "Arb: efficient arbitrary-precision midpoint-radius interval
       arithmetic", IEEE Trans. Computers 66(8), 2017. doi:10.1109/TC.2017.2690633
    .. [2] R. L. Devaney, An Introduction to Chaotic Dynamical Systems, 2nd ed., 1989, §1.4–1.5
       (fixed points, multipliers, hyperbolicity).

    Examples
    --------
    >>> r = fixed_points((1.5, -0.5))
    >>> [f.x.value for f in r.fixed_points]
    [Fraction(-1, 1), Fraction(0, 1), Fraction(1, 1)]
    >>> [str(f.multiplier) for f in r.fixed_points], r.fixed_points[1].stability
    (['0', '3/2', '0'], 'repelling')
    >>> [z.expr for z in r.positive_zeros], r.certified
    (['sqrt(3)'], True)
    """
    st = as_step(step, index=index, func=_FUNC)
    pm = OddMap(st.coeffs)
    q, dq = pm.q, pm.dq
    X = fmpq_poly([0, 1])
    if q.is_zero():
        raise InputValueError(f"{_FUNC}: the step p(x) = 0 maps everything to 0; give a nonzero step")
    certified = True
    notes = []
    with working_prec(prec):
        # fixed points
        g = q - X
        fps: list[FixedPoint] = []
        if g.is_zero():
            raise InputValueError(f"{_FUNC}: the step p(x) = x fixes every point; give a nonlinear step")
        for a, _mult in algebraic_roots(g):
            mp = a.minimal_polynomial()
            stab, lo, hi, ok = _decide(dq, mp, a, prec)
            certified &= ok
            mexact = dq(to_fmpq(a.value)) if a.value is not None else None
            fps.append(FixedPoint(x=a, multiplier=None if mexact is None else Fraction(int(mexact.p), int(mexact.q)),
                                  multiplier_lower=lo, multiplier_upper=hi, stability=stab))
        # period-2 orbits
        orbits, ok2, notes2 = _period2_orbits(pm, q, dq, g, prec)
        certified &= ok2
        notes += notes2
        # critical points
        crits: list[CriticalPoint] = []
        if dq.degree() >= 1:
            for a, _ in algebraic_roots(dq):
                if a.value is not None:
                    v = pm.exact(a.value)
                    crits.append(CriticalPoint(x=a, value=v, value_lower=lower_float(arb(to_fmpq(v))),
                                               value_upper=upper_float(arb(to_fmpq(v)))))
                else:
                    vb = pm.P(a.ball())
                    crits.append(CriticalPoint(x=a, value=None, value_lower=lower_float(vb),
                                               value_upper=upper_float(vb)))
        # positive zeros of p, decided exactly (a zero at 1e-400 rounds to 0.0 as a float)
        zeros_l = []
        for a, _ in algebraic_roots(q):
            sign = _sign(a, prec)
            if sign is None:
                certified = False
                notes.append(f"could not decide the sign of the zero {a.expr} of p")
            elif sign > 0:
                zeros_l.append(a)
        zeros = tuple(zeros_l)
    if not certified:
        status, reason = Status.UNDECIDED, "; ".join(notes) or "a stability could not be decided"
    else:
        status, reason = Status.OK, ""
    return FixedPointsResult(coeffs=tuple(st.coeffs), fixed_points=tuple(fps), period2=tuple(orbits),
                             critical_points=tuple(crits), positive_zeros=zeros, verdict=verdict_of(certified),
                             status=status, reason=reason)
