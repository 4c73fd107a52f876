"""Exact odd polynomials and their rigorous interval ranges (internal).

An odd Newton–Schulz step ``p(x) = a1 x + a3 x^3 + ...`` is held three ways:

- ``coeffs``: the exact rational coefficients (``fractions.Fraction``), as written by the user;
- ``q``: a FLINT ``fmpq_poly`` (exact rational arithmetic: composition, derivative, factorisation);
- per Arb precision, an ``arb_poly`` whose coefficients are balls containing the rationals, and
  the real critical points of ``p`` as Arb balls (certified isolation by FLINT/Arb).

The key primitive is :meth:`OddMap.range`: a rigorous enclosure of the exact range ``p([lo, hi])``
of a continuous map on an interval, computed from the values at the two endpoints and at every
critical point inside (a polynomial attains its extrema on a compact interval there).  Because
the image of an interval is an interval, ranges of compositions are computed step by step with
no dependency effect: only outward rounding (``~2^-prec`` relative, amplified by the Lipschitz
constants of later steps) separates the enclosure from the exact range.

Real roots come from ``fmpq_poly.complex_roots`` (Arb's ``arb_fmpz_poly_complex_roots`` on each
squarefree factor), which certifies isolation and returns real roots with an imaginary part
that is exactly zero; multiplicities are exact.
"""
from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from flint import arb, arb_poly, ctx, fmpq, fmpq_poly

from linalg_lab.ns import Step

__all__ = ["OddMap", "to_fmpq", "real_roots", "ball_of", "frac_of", "DEFAULT_PREC"]

DEFAULT_PREC = 128


def to_fmpq(c: Fraction | int) -> fmpq:
    c = Fraction(c)
    return fmpq(c.numerator, c.denominator)


def frac_of(x: arb) -> Fraction:
    """The exact value of a radius-0 ball (an arf) as a Fraction."""
    m, e = x.mid().man_exp()
    return Fraction(int(m)) * (Fraction(2) ** int(e))


def ball_of(lo: Fraction, hi: Fraction) -> arb:
    """An Arb ball containing the rational interval [lo, hi] (at the current precision)."""
    a = arb(to_fmpq(lo))
    b = arb(to_fmpq(hi))
    return a.union(b)


def real_roots(poly: fmpq_poly) -> list[tuple[arb, int]]:
    """Certified enclosures of the real roots of an exact polynomial, ascending, with multiplicity.

    Raises ``ValueError`` for the zero polynomial.
    """
    if poly.is_zero():
        raise ValueError("the zero polynomial has every real number as a root")
    if poly.degree() < 1:
        return []
    out = []
    for c, m in poly.complex_roots():
        if c.imag.is_zero():
            out.append((c.real, int(m)))
    out.sort(key=lambda t: float(t[0].mid()))
    return out


def dense(coeffs: Sequence[Fraction]) -> list[Fraction]:
    """Odd coefficients (a1, a3, ...) to dense coefficients (c0, c1, c2, ...)."""
    out = [Fraction(0)] * (2 * len(coeffs))
    for i, c in enumerate(coeffs):
        out[2 * i + 1] = Fraction(c)
    return out


class OddMap:
    """An exact odd polynomial map with cached rigorous evaluators (internal)."""

    def __init__(self, coeffs: Sequence[Fraction]):
        cs = tuple(Fraction(c) for c in coeffs)
        while len(cs) > 1 and cs[-1] == 0:
            cs = cs[:-1]
        self.coeffs = cs
        self.q = fmpq_poly([to_fmpq(c) for c in dense(cs)])
        self.dq = self.q.derivative()
        self._cache: dict[int, Any] = {}

    @property
    def degree(self) -> int:
        return 2 * len(self.coeffs) - 1

    def exact(self, x: Fraction) -> Fraction:
        """``p(x)`` in exact rational arithmetic (the schedule's own evaluator)."""
        return Step(self.coeffs).exact(x)

    def _at(self) -> tuple[arb_poly, arb_poly, list[arb]]:
        prec = ctx.prec
        got = self._cache.get(prec)
        if got is None:
            P = arb_poly([arb(c) for c in self.q.coeffs()])
            dP = arb_poly([arb(c) for c in self.dq.coeffs()])
            crit = [r for r, _ in real_roots(self.dq)] if self.dq.degree() >= 1 else []
            got = (P, dP, crit)
            self._cache[prec] = got
        return got

    @property
    def P(self) -> arb_poly:
        return self._at()[0]

    @property
    def dP(self) -> arb_poly:
        return self._at()[1]

    @property
    def crit(self) -> list[arb]:
        return self._at()[2]

    def range(self, lo: arb, hi: arb) -> tuple[arb, arb]:
        """Exact points ``(L, U)`` with ``p([lo, hi]) ⊆ [L, U]``; ``lo <= hi`` exact (radius-0) balls."""
        P, _, crit = self._at()
        a = P(lo)
        b = P(hi)
        L = a.lower()
        U = a.upper()
        bl = b.lower()
        bu = b.upper()
        if bl < L:
            L = bl
        if bu > U:
            U = bu
        for c in crit:
            if c.upper() >= lo and c.lower() <= hi:
                v = P(c)
                vl = v.lower()
                vu = v.upper()
                if vl < L:
                    L = vl
                if vu > U:
                    U = vu
        return L, U

    def inner_range(self, lo: arb, hi: arb) -> tuple[arb, arb] | None:
        """Exact points ``(L, U)`` with ``[L, U] ⊆ p([lo, hi])`` (an inner enclosure), or None.

        The range contains ``p(lo)``, ``p(hi)`` and ``p(c)`` for critical points ``c`` certainly
        inside, hence the hull of their inner bounds (the upper end of the lowest ball's ...).
        """
        P, _, crit = self._at()
        vals = [P(lo), P(hi)]
        for c in crit:
            if c.lower() >= lo and c.upper() <= hi:
                vals.append(P(c))
        # the exact range contains [min exact value, max exact value]; every exact value lies in
        # its ball, so min exact <= min of uppers and max exact >= max of lowers
        L = min((v.upper() for v in vals), key=_key)
        U = max((v.lower() for v in vals), key=_key)
        if L > U:
            return None
        return L, U

    def drange(self, lo: arb, hi: arb) -> tuple[arb, arb]:
        """Exact points enclosing ``p'([lo, hi])`` (endpoints plus roots of p'' inside)."""
        key = ("d2", ctx.prec)
        d2 = self._cache.get(key)
        if d2 is None:
            d2q = self.dq.derivative()
            d2 = [r for r, _ in real_roots(d2q)] if d2q.degree() >= 1 else []
            self._cache[key] = d2
        dP = self.dP
        vals = [dP(lo), dP(hi)] + [dP(c) for c in d2 if c.upper() >= lo and c.lower() <= hi]
        return min((v.lower() for v in vals), key=_key), max((v.upper() for v in vals), key=_key)


def _key(v: arb) -> float:
    # exact ball -> sortable; ties/precision beyond float are resolved by exact comparison below
    return _Exact(v)


class _Exact:
    """Total order on exact (radius-0) balls for min/max."""

    __slots__ = ("v",)

    def __init__(self, v: arb):
        self.v = v

    def __lt__(self, other: "_Exact") -> bool:
        return bool(self.v < other.v)

    def __gt__(self, other: "_Exact") -> bool:
        return bool(self.v > other.v)
