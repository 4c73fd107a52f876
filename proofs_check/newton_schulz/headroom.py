"""Certified headroom: how far above σ = 1 a schedule's inputs may go before it misbehaves."""
from __future__ import annotations

import dataclasses
import math
from fractions import Fraction
from typing import Any

import numpy as np
from flint import arb

from linalg_lab.internal import Certificate, InputValueError, Rigour, Status, Verdict, check_int, check_real

from .._arb import working_prec
from ._common import as_schedule, exact_real, verdict_of
from ._poly import DEFAULT_PREC, OddMap
from .band import ScheduleBand, _exact_arb, _maps, p_float, schedule_band

__all__ = ["Headroom", "headroom"]


@dataclasses.dataclass(frozen=True)
class Headroom(Certificate):
    """Certified bracket on how far above σ = 1 inputs may go before the schedule misbehaves.

    ``h*`` is the supremum of ``h >= 1`` such that for every ``σ ∈ [1, h]`` all intermediate
    values ``P_j(σ)`` (``j = 1..steps``) are positive (no sign flip) and the output ``P(σ)``
    lies in the schedule's band ``[band.lower - slack, band.upper + slack]`` on ``[lo, 1]``
    (so it neither leaves the band nor diverges).

    Attributes
    ----------
    band : ScheduleBand
        The certified band of ``[lo, 1]`` the outputs must stay in (widened by ``slack``).
    lower, upper : float
        ``lower <= h* <= upper``: ``[1, lower]`` is proved safe and ``upper`` (the witness)
        provably fails; both are exactly the float64 numbers checked.
    failure : str
        What happens at the failing witness ("sign flip at step j", "above the band",
        "below the band").
    witness : float
        The failing input.
    """

    schedule: str
    steps: int
    lo: float
    band: ScheduleBand
    slack: float
    lower: float
    upper: float
    witness: float
    failure: str
    verdict: Verdict
    status: Status
    reason: str
    rigour: Rigour = Rigour.CERTIFIED  # every number is an Arb enclosure or exact

    @property
    def target(self) -> tuple[float, float]:
        """The interval the outputs must stay in: ``(band.lower - slack, band.upper + slack)`` in float64."""
        return self.band.lower - self.slack, self.band.upper + self.slack

    def summary(self) -> str:
        lines = [f"Headroom: {'certified' if self.certified else 'NOT certified'} ({self.status.value})",
                 f"  schedule {self.schedule!r}, {self.steps} steps; band on [{self.lo:.3g}, 1]: "
                 f"[{self.band.lower:.9g}, {self.band.upper:.9g}] ± {self.slack:.1g}",
                 f"  inputs up to σ = {self.lower:.12g} are safe; σ = {self.witness:.12g} fails ({self.failure});"
                 f" headroom h* ∈ [{self.lower:.12g}, {self.upper:.12g}]"]
        if self.reason:
            lines.append(f"  reason: {self.reason}")
        return "\n".join(lines)


def _good_interval(maps: list[OddMap], a: Fraction, b: Fraction, blo: arb, bhi: arb) -> bool:
    A, B = _exact_arb(a), _exact_arb(b)
    L, U = A.lower(), B.upper()
    for m in maps:
        L, U = m.range(L, U)
        if not (L > 0):
            return False
    return bool(L >= blo and U <= bhi)


def _bad_point(maps: list[OddMap], x: Fraction, blo: arb, bhi: arb) -> str | None:
    v = _exact_arb(x)
    for j, m in enumerate(maps):
        v = m.P(v)
        if v < 0:
            return f"sign flip at step {j + 1}"
        if not v.is_finite():
            return None  # an unbounded enclosure proves nothing about the point
    if v > bhi:
        return "above the band" + (" (diverging)" if v > 1e6 else "")
    if v < blo:
        return "below the band"
    return None


def _bisect(maps: list[OddMap], g: Fraction, w: Fraction, why: str, blo: arb, bhi: arb, blo_f: float,
            bhi_f: float, rtol: float) -> tuple[Fraction, Fraction, str, bool]:
    """Shrink ``[g, w]`` (``[1, g]`` proved safe, ``w`` proved failing) to relative width ``rtol``.

    Returns the new ``g, w``, the failure at ``w`` and whether ``g, w`` became adjacent floats.
    """
    one = Fraction(1)
    # certified bisection between a proved-good prefix [1, g] and a failing point w; g and w stay
    # float64 numbers, so that the reported bracket and witness are exactly the points proved
    it = 0
    adjacent = False
    while (w - g) > Fraction(rtol) * w and it < 200:
        it += 1
        mid = Fraction(float((g + w) / 2))
        if not g < mid < w:
            adjacent = True  # g and w are neighbouring float64 numbers: as tight as it gets
            break
        if _good_interval(maps, one, mid, blo, bhi):
            g = mid
            continue
        why_mid = _bad_point(maps, mid, blo, bhi)
        if why_mid is not None:
            w, why = mid, why_mid
            continue
        # mid itself is fine but [1, mid] is not provably so: look for a failing point inside
        xs = np.linspace(float(g), float(mid), 4097)
        ys = xs.copy()
        badm = np.zeros(xs.shape, dtype=bool)
        with np.errstate(all="ignore"):
            for m in maps:
                ys = p_float(m, ys)
                badm |= ~(ys > 0)
            badm |= ~((ys >= blo_f) & (ys <= bhi_f))
        found = False
        for i in np.flatnonzero(badm)[:20]:
            cand = Fraction(float(xs[i]))
            r = _bad_point(maps, cand, blo, bhi)
            if r is not None and cand > g:
                w, why, found = cand, r, True
                break
        if not found:
            break
    return g, w, why, adjacent


def headroom(schedule: Any, *, lo: Any = 1e-3, steps: int | None = None, slack: float = 1e-9,
             sigma_max: float = 100.0, rtol: float = 1e-10, prec: int = DEFAULT_PREC) -> Headroom:
    """Certified bracket on how far above σ = 1 a schedule's inputs may go.

    Parameters
    ----------
    schedule : str, Schedule, Step or coefficients
        Anything :func:`linalg_lab.ns_schedule` accepts.
    lo : float, optional
        The band is that of :func:`schedule_band` on ``[lo, 1]`` (default 1e-3).
    steps : int, optional
        Number of steps (default ``schedule.default_steps``).
    slack : float, optional
        The band is widened by ``slack`` on both sides (default 1e-9), so that rounding-level
        excursions do not count.
    sigma_max : float, optional
        Search limit; an upper bracket of ``inf`` means no failure up to ``sigma_max``.
    rtol : float, optional
        Target relative width of the bracket.
    prec : int, optional
        Arb precision in bits.

    Returns
    -------
    Headroom
        ``lower <= h* <= upper`` with the failure mode at the witness.

    Notes
    -----
    ``[1, lower]`` is proved safe by one exact-range enclosure of every step on the whole
    interval (see :func:`schedule_band`); the failing witness is proved by evaluating the
    schedule on a ball around the point.  A float64 scan locates the first failure and a
    certified bisection tightens the bracket to ``rtol``.

    Examples
    --------
    >>> h = headroom("cubic", steps=5)
    >>> h.certified, h.failure, 1.7 < h.lower < 3 ** 0.5
    (True, 'below the band', True)
    """
    func = "headroom"
    sch = as_schedule(schedule, func=func)
    k = sch.default_steps if steps is None else check_int(steps, "steps", func=func, minimum=1)
    check_real(slack, "slack", func=func, lo=0.0)
    check_real(sigma_max, "sigma_max", func=func, lo=1.0, lo_open=True)
    check_real(rtol, "rtol", func=func, lo=0.0, lo_open=True)
    check_int(prec, "prec", func=func, minimum=16)
    flo = exact_real(lo, "lo", func=func)
    if flo > 1:
        raise InputValueError(f"The 'lo' parameter of {func} must be <= 1 (the band is that of [lo, 1]). "
                              f"Got {float(flo)!r} instead.")
    band = schedule_band(sch, flo, 1, steps=k, prec=prec)
    blo_f, bhi_f = band.lower - slack, band.upper + slack
    if not (math.isfinite(blo_f) and math.isfinite(bhi_f)):
        return Headroom(schedule=sch.name, steps=k, lo=band.lo, band=band, slack=float(slack),
                        lower=1.0, upper=math.inf, witness=math.nan, failure="undecided", verdict=verdict_of(False),
                        status=Status.UNDECIDED,
                        reason=(f"the band on [{band.lo:.3g}, 1] after {k} steps overflows float64 "
                                f"([{band.lower!r}, {band.upper!r}]): the schedule diverges below σ = 1, so "
                                "there is no band to stay in; use fewer steps or a larger lo"))
    maps = _maps(sch, k)
    with working_prec(prec):
        blo = _exact_arb(Fraction(blo_f)).lower()
        bhi = _exact_arb(Fraction(bhi_f)).upper()
        base = dict(schedule=sch.name, steps=k, lo=band.lo, band=band, slack=float(slack))
        one = Fraction(1)
        if not _good_interval(maps, one, one, blo, bhi):
            why = _bad_point(maps, one, blo, bhi)
            return Headroom(lower=1.0, upper=1.0, witness=1.0, failure=why or "undecided at σ = 1",
                            verdict=verdict_of(why is not None), status=Status.OK if why else Status.UNDECIDED,
                            reason="" if why else "σ = 1 is within rounding of the band edge", **base)
        # float scan for the first failure
        sig = np.geomspace(1.0, sigma_max, 20001)
        y = sig.copy()
        bad = np.zeros(sig.shape, dtype=bool)
        with np.errstate(all="ignore"):
            for m in maps:
                y = p_float(m, y)
                bad |= ~(y > 0)
            bad |= ~((y >= blo_f) & (y <= bhi_f))
        idx = np.flatnonzero(bad)
        g = one
        w = None
        why = None
        for i in idx[:50]:
            cand = Fraction(float(sig[i]))
            why = _bad_point(maps, cand, blo, bhi)
            if why is not None:
                w = cand
                break
        if w is None:
            ok = _good_interval(maps, one, Fraction(sigma_max), blo, bhi)
            return Headroom(lower=sigma_max if ok else 1.0, upper=math.inf, witness=math.nan,
                            failure="none found", verdict=verdict_of(False), status=Status.UNDECIDED,
                            reason=f"no failing input found up to sigma_max={sigma_max:g}; raise sigma_max", **base)
        g, w, why, adjacent = _bisect(maps, g, w, why, blo, bhi, blo_f, bhi_f, rtol)
    rel = float((w - g) / w)
    certified = True  # [1, g] proved safe and w proved failing, whatever the width
    status = Status.OK if (rel <= rtol * 1.0001 or adjacent) else Status.BRACKET_TOO_WIDE
    reason = "" if rel <= rtol * 1.0001 else (
        f"the bracket is two neighbouring float64 numbers (relative width {rel:.2g}); rtol={rtol:g} is below "
        "float64 resolution" if adjacent else
        f"bracket relative width {rel:.2g} > rtol: the safe region has a gap the float scan could not "
        "resolve; raise prec or loosen rtol")
    assert Fraction(float(g)) == g and Fraction(float(w)) == w
    return Headroom(lower=float(g), upper=float(w), witness=float(w),
                    failure=why or "", verdict=verdict_of(certified), status=status, reason=reason, **base)
