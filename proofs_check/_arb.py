"""Exact conversions between float64/NumPy and Arb (python-flint), with outward rounding back.

Every float64 is a dyadic rational, so ``arb(float)`` is exact; an Arb ball's endpoints are exact
too.  Converting an endpoint back to float64 must round outward (``float()`` rounds to nearest),
which :func:`upper_float` and :func:`lower_float` do.
"""
from __future__ import annotations

import math
import sys
from fractions import Fraction

import numpy as np
from flint import arb, arb_mat, ctx, fmpq

__all__ = ["arb_matrix", "upper_float", "lower_float", "arb_to_fraction_bounds", "working_prec", "to_arb",
           "U64", "ETA64", "gamma_arb"]

#: Unit roundoff of binary64 and its smallest positive subnormal (the underflow unit), exact balls.
U64 = arb(2) ** -53
ETA64 = arb(2) ** -1074


def gamma_arb(k: int) -> arb:
    """Higham's γ_k = k u / (1 − k u) for binary64, as an Arb ball (rigorous)."""
    ku = arb(k) * U64
    return ku / (1 - ku)


def to_arb(x: float | int | Fraction) -> arb:
    """An exact Arb ball (radius 0) for a float, int or Fraction with a dyadic denominator;
    other rationals get a tight ball at the current precision."""
    if isinstance(x, Fraction):
        return arb(fmpq(x.numerator, x.denominator))
    return arb(x)


def arb_matrix(a: np.ndarray) -> arb_mat:
    """The float64 matrix ``a`` as an exact ``arb_mat`` (every entry a radius-0 ball)."""
    a = np.asarray(a, dtype=np.float64)
    m, n = a.shape
    return arb_mat(m, n, [float(v) for v in a.ravel()])


def upper_float(x: arb) -> float:
    """The smallest float64 that is >= every point of the ball ``x`` (outward rounding up)."""
    u = x.upper()
    f = float(u)
    if math.isnan(f):
        return math.inf
    if f == -math.inf:  # below the float range: the most negative finite float is still above it
        return -sys.float_info.max
    if not math.isinf(f) and arb(f) < u:
        f = math.nextafter(f, math.inf)
    return f


def lower_float(x: arb) -> float:
    """The largest float64 that is <= every point of the ball ``x`` (outward rounding down)."""
    lo = x.lower()
    f = float(lo)
    if math.isnan(f):
        return -math.inf
    if f == math.inf:  # above the float range: the largest finite float is still below it
        return sys.float_info.max
    if not math.isinf(f) and arb(f) > lo:
        f = math.nextafter(f, -math.inf)
    return f


def arb_to_fraction_bounds(x: arb) -> tuple[Fraction, Fraction]:
    """Exact rational lower and upper endpoints of a ball."""
    return _exact(x.lower()), _exact(x.upper())


def _exact(x: arb) -> Fraction:
    if not x.is_finite():
        raise ValueError(f"non-finite ball {x}")
    m, e = x.mid().man_exp()
    m, e = int(m), int(e)
    return Fraction(m) * (Fraction(2) ** e)


class working_prec:
    """Context manager scoping Arb's working precision (bits): ``with working_prec(128): ...``."""

    def __init__(self, bits: int) -> None:
        self.bits = bits

    def __enter__(self) -> "working_prec":
        self._old = ctx.prec
        ctx.prec = self.bits
        return self

    def __exit__(self, *exc: object) -> None:
        ctx.prec = self._old
