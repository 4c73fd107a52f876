"""Certified absorbing intervals ``p(J) ⊆ J`` of an NS step and the attracting cycles inside them."""
from __future__ import annotations

import dataclasses
import math
from fractions import Fraction
from typing import Any

import numpy as np
from flint import arb

from linalg_lab.internal import Certificate, Rigour, Status, Verdict, check_int

from .._arb import lower_float, upper_float, working_prec
from ._common import as_step, exact_real, verdict_of
from ._poly import DEFAULT_PREC, OddMap, to_fmpq

__all__ = ["AttractingCycle", "AbsorbingInterval", "absorbing_interval", "krawczyk_cycle"]

_FUNC = "absorbing_interval"


@dataclasses.dataclass(frozen=True)
class AttractingCycle:
    """A certified attracting cycle: each point enclosed, the multiplier ``(p^period)'`` in (-1, 1).

    Existence and uniqueness of a period-``period`` point in ``[points_lower[0], points_upper[0]]``
    is proved by the Krawczyk test on ``p^period(x) - x``; the other points are its images.
    """

    period: int
    points_lower: tuple[float, ...]
    points_upper: tuple[float, ...]
    multiplier_lower: float
    multiplier_upper: float


@dataclasses.dataclass(frozen=True)
class AbsorbingInterval(Certificate):
    """A certified absorbing (forward-invariant) interval ``J = [lower, upper]`` of a step ``p``.

    Attributes
    ----------
    lower, upper : float
        ``J``; every orbit that enters ``J`` stays in it.
    image_lower, image_upper : float
        An enclosure of ``p(J)``, inside ``J`` (the proof).
    derivative_bound : float
        An upper bound on ``max over J of |p'|``: below 1 means ``p`` contracts ``J``, so every
        orbit in ``J`` converges to the unique fixed point there.
    cycle : AttractingCycle or None
        An attracting cycle inside ``J``, certified (Krawczyk), when the numerical orbit settles
        on one of period at most ``max_period``.
    """

    coeffs: tuple[Fraction, ...]
    lower: float
    upper: float
    image_lower: float
    image_upper: float
    derivative_bound: float
    cycle: AttractingCycle | None
    verdict: Verdict
    status: Status
    reason: str
    rigour: Rigour = Rigour.CERTIFIED  # every number is an Arb enclosure or exact

    def summary(self) -> str:
        lines = [f"AbsorbingInterval: {'certified' if self.certified else 'NOT certified'} ({self.status.value})",
                 f"  J = [{self.lower!r}, {self.upper!r}], p(J) ⊆ [{self.image_lower!r}, {self.image_upper!r}]",
                 f"  max |p'| on J <= {self.derivative_bound:.6g}"
                 + ("  (contraction: every orbit in J converges to its fixed point)" if self.derivative_bound < 1 else "")]
        if self.cycle is not None:
            c = self.cycle
            pts = ", ".join(f"[{a:.15g}, {b:.15g}]" for a, b in zip(c.points_lower, c.points_upper))
            lines.append(f"  attracting cycle of period {c.period}: {pts}; multiplier ∈ "
                         f"[{c.multiplier_lower:.6g}, {c.multiplier_upper:.6g}]")
        else:
            lines.append("  no attracting cycle of small period certified")
        if self.reason:
            lines.append(f"  reason: {self.reason}")
        return "\n".join(lines)


def _pf(pm: OddMap, x: np.ndarray | float):
    x = np.asarray(x, dtype=np.float64)
    x2 = x * x
    acc = np.full_like(x, float(pm.coeffs[-1]))
    for c in reversed(pm.coeffs[:-1]):
        acc = acc * x2 + float(c)
    with np.errstate(all="ignore"):
        return acc * x


def _fdown(x: Fraction) -> Fraction:
    """The largest float64 <= x, as a Fraction."""
    f = float(x)
    if Fraction(f) > x:
        f = math.nextafter(f, -math.inf)
    return Fraction(f)


def _fup(x: Fraction) -> Fraction:
    """The smallest float64 >= x, as a Fraction."""
    f = float(x)
    if Fraction(f) < x:
        f = math.nextafter(f, math.inf)
    return Fraction(f)


def numerical_attractor(pm: OddMap, start: float, *, n: int = 3000, tail: int = 1000):
    """Float64 orbit tail of ``start``: (hull lo, hi, period or None, last point) or None."""
    x = float(start)
    orbit = []
    with np.errstate(all="ignore"):
        for i in range(n):
            x = float(_pf(pm, x))
            if not math.isfinite(x) or abs(x) > 1e150:
                return None
            if i >= n - tail:
                orbit.append(x)
    a = np.array(orbit)
    lo, hi = float(a.min()), float(a.max())
    period = None
    scale = max(1.0, abs(hi))
    for m in range(1, 33):
        if np.all(np.abs(a[-200:] - a[-200 - m:-m]) <= 1e-12 * scale):
            period = m
            break
    return lo, hi, period, float(a[-1])


def krawczyk_cycle(pm: OddMap | list[OddMap], x0: float, period: int, *, radius: float | None = None):
    """Certify a period-``period`` point near ``x0`` (Krawczyk on ``F^period(x) - x``).

    ``pm`` is one map ``F = p`` or a list of maps composed in order (``F = p_last ∘ ... ∘ p_0``).
    Returns ``(X, points, multiplier)`` (Arb balls: the enclosure of the periodic point, its
    images under ``F``, and ``(F^period)'`` there) when the Krawczyk operator maps ``X`` into
    its interior, which proves a unique zero in ``X``; else None.  Uses the current precision.
    """
    maps = [pm] if isinstance(pm, OddMap) else list(pm)
    r0 = radius if radius is not None else 1e-9 * max(1.0, abs(x0))

    def F(B):
        y, d = B, arb(1)
        for mp in maps:
            d = d * mp.dP(y)
            y = mp.P(y)
        return y, d

    def G_and_dG(B):
        y, d = B, arb(1)
        for _ in range(period):
            y, dd = F(y)
            d = d * dd
        return y - B, d - 1, d

    for r in (r0, r0 * 1e-3, r0 * 1e3):
        c = arb(x0)
        X = arb(x0, r)
        gc, dgc, _ = G_and_dG(c)
        _, dgX, dX = G_and_dG(X)
        mid = float(dgc.mid())
        if mid == 0 or not math.isfinite(mid):
            continue
        Y = arb(1.0 / mid)
        K = c - Y * gc + (1 - Y * dgX) * (X - c)
        if X.contains_interior(K):
            pts = [K]
            y = K
            for _ in range(period - 1):
                y = F(y)[0]
                pts.append(y)
            _, _, mult = G_and_dG(K)
            return K, pts, mult
    return None


# Long only through its numpydoc docstring (References, Examples): the code is under 80 lines.
def absorbing_interval(step: Any, *, index: int = 0, start: Any = 1.0, max_period: int = 16,
                       prec: int = DEFAULT_PREC) -> AbsorbingInterval:
    """A certified interval ``J`` with ``p(J) ⊆ J`` around the attractor reached from ``start``.

    Parameters
    ----------
    step : Step, schedule or coefficients
        A :class:`linalg_lab.ns.Step`, a coefficient tuple, or anything
        :func:`linalg_lab.ns_schedule` accepts (then step ``index``; for a schedule whose last
        step repeats forever, pass ``index=len(schedule.steps) - 1``).
    index : int, optional
        Which step of a schedule (default 0).
    start : float, optional
        Where the orbit starts (default 1.0, a singular value at the top of the normalised
        range); positive critical values are tried if it escapes or collapses to 0.
    max_period : int, optional
        Longest attracting cycle looked for.
    prec : int, optional
        Arb precision in bits.

    Returns
    -------
    AbsorbingInterval
        ``J``, an enclosure of ``p(J)`` inside it, a bound on ``|p'|`` over ``J``, and an
        attracting cycle when one is certified.

    Notes
    -----
    A float64 orbit locates the attractor; its hull is inflated (epsilon-inflation) until the
    rigorous range ``p(J)`` (endpoints and enclosed critical points in Arb) lies inside ``J``.
    A cycle is certified by the Krawczyk operator ``K(X) = c - Y G(c) + (1 - Y G'(X))(X - c)``
    for ``G = p^m - id``: ``K(X) ⊂ int X`` proves a unique zero in ``X``, and an enclosure of
    ``(p^m)'`` inside (-1, 1) proves it attracting.  The absence of an attracting cycle is not
    proved (Muon's quintic appears chaotic on ``J ≈ [0.682, 1.134]``).

    References
    ----------
    .. [1] R. Krawczyk, "Newton-Algorithmen zur Bestimmung von Nullstellen mit
       Fehlerschranken", Computing 4, 1969. doi:10.1007/BF02234767
    .. [2] S. M. Rump, "Verification methods: rigorous results using floating-point
       arithmetic", Acta Numerica 19, 2010 (epsilon-inflation). doi:10.1017/S096249291000005X

    Examples
    --------
    >>> J = absorbing_interval((1.5, -0.5))
    >>> J.certified, J.lower < 1 < J.upper, J.cycle.period
    (True, True, 1)
    >>> m = absorbing_interval("muon")
    >>> m.certified, round(m.lower, 3), round(m.upper, 3)
    (True, 0.677, 1.139)
    """
    st = as_step(step, index=index, func=_FUNC)
    x_start = float(exact_real(start, "start", func=_FUNC))
    check_int(max_period, "max_period", func=_FUNC, minimum=1)
    pm = OddMap(st.coeffs)
    coeffs = tuple(st.coeffs)
    starts = [x_start]
    with working_prec(prec):
        for c in pm.crit:
            v = float(pm.P(c).mid())
            if v > 0:
                starts.append(v)
        starts += [0.5, 0.9]
        att = None
        first = None
        for s in starts:
            att = numerical_attractor(pm, s)
            if att is not None and first is None:
                first = att
            if att is not None and att[1] > 1e-100:
                break
            att = None
        if att is None:
            att = first  # every orbit collapses to 0: an attracting fixed point at 0
        if att is None:
            return AbsorbingInterval(coeffs=coeffs, lower=math.nan, upper=math.nan, image_lower=math.nan,
                                     image_upper=math.nan, derivative_bound=math.inf, cycle=None, verdict=verdict_of(False),
                                     status=Status.UNDECIDED,
                                     reason="every tried orbit diverges or collapses to 0; pass another 'start'")
        a, b, period, xlast = att
        width = b - a
        J = None
        for rel in (1e-9, 1e-6, 1e-4, 1e-2):
            d = max(rel * max(width, 1e-3), 1e-12)
            lo, hi = _fdown(Fraction(a) - Fraction(d)), _fup(Fraction(b) + Fraction(d))
            for _ in range(40):
                A, B = arb(to_fmpq(lo)), arb(to_fmpq(hi))
                L, U = pm.range(A, B)
                if L >= A and U <= B:
                    J = (lo, hi, L, U)
                    break
                Lf, Uf = lower_float(L), upper_float(U)
                if not (math.isfinite(Lf) and math.isfinite(Uf)) or Uf - Lf > 1e6 * (1 + width):
                    break
                lo = min(lo, Fraction(Lf))
                hi = max(hi, Fraction(Uf))
                span = hi - lo
                # keep J's endpoints float64 numbers, so that the reported J is the one proved
                lo = _fdown(lo - span * Fraction(1, 1 << 20))
                hi = _fup(hi + span * Fraction(1, 1 << 20))
            if J is not None:
                break
        if J is None:
            return AbsorbingInterval(coeffs=coeffs, lower=a, upper=b, image_lower=math.nan, image_upper=math.nan,
                                     derivative_bound=math.inf, cycle=None, verdict=verdict_of(False),
                                     status=Status.UNDECIDED,
                                     reason="epsilon-inflation did not converge to an invariant interval")
        lo, hi, L, U = J
        dl, du = pm.drange(arb(to_fmpq(lo)), arb(to_fmpq(hi)))
        # p'(J) ⊆ [dl, du], so max(|dl|, |du|) bounds |p'| on J
        dbound = max(upper_float(abs(dl)), upper_float(abs(du)))
        cycle = None
        if period is not None and period <= max_period:
            # a point of the cycle: the last orbit point
            got = krawczyk_cycle(pm, xlast, period)
            if got is not None:
                _, pts, mult = got
                # exact period: F^j(x*) lies in pts[j], so pts[j] disjoint from pts[0] for every proper
                # divisor j of the period proves x* is not of smaller period
                minimal = all(not pts[j].overlaps(pts[0]) for j in range(1, period) if period % j == 0)
                if minimal and abs(mult) < 1:
                    cycle = AttractingCycle(period=period, points_lower=tuple(lower_float(p) for p in pts),
                                            points_upper=tuple(upper_float(p) for p in pts),
                                            multiplier_lower=lower_float(mult), multiplier_upper=upper_float(mult))
        note = ""
        if cycle is None:
            note = ("no attracting cycle of period <= %d certified (the orbit looks %s); that is not a proof "
                    "that none exists" % (max_period, "chaotic" if period is None else f"periodic ({period})"))
    return AbsorbingInterval(coeffs=coeffs, lower=float(lo), upper=float(hi), image_lower=lower_float(L),
                             image_upper=upper_float(U), derivative_bound=dbound, cycle=cycle, verdict=verdict_of(True),
                             status=Status.OK, reason=note)
