"""Shared pieces of the certified Newton–Schulz analyses: input coercion and exact real algebraic
numbers (internal; :class:`AlgebraicReal` is public through the package)."""
from __future__ import annotations

import dataclasses
import math
import numbers
from fractions import Fraction
from typing import Any

from flint import arb, fmpq_poly, fmpz_poly

from linalg_lab.internal import InputTypeError, InputValueError, Verdict
from linalg_lab.ns import Schedule, Step, ns_schedule, to_fraction

from .._arb import lower_float, upper_float, working_prec
from ._poly import OddMap, frac_of, real_roots

__all__ = ["AlgebraicReal", "as_step", "as_schedule", "exact_real", "algebraic_roots", "step_label", "verdict_of"]


def verdict_of(proved: bool) -> Verdict:
    """``Verdict.PROVED`` when every claim of a certificate was established, else ``UNDECIDED``."""
    return Verdict.PROVED if proved else Verdict.UNDECIDED


def as_schedule(schedule: Any, *, func: str) -> Schedule:
    """Anything :func:`linalg_lab.ns_schedule` accepts (a Step becomes a one-step schedule)."""
    try:
        return ns_schedule(schedule)
    except (InputValueError, InputTypeError) as exc:
        msg = str(exc)
        raise type(exc)(f"{func}: {msg}") from None


def as_step(step: Any, *, index: int = 0, func: str) -> Step:
    """A :class:`Step`, or step ``index`` of anything :func:`ns_schedule` accepts."""
    if isinstance(step, Step):
        return step
    if isinstance(index, bool) or not isinstance(index, numbers.Integral) or index < 0:
        raise InputValueError(f"The 'index' parameter of {func} must be an int >= 0. Got {index!r} instead.")
    return as_schedule(step, func=func).step(int(index))


def step_label(step: Step) -> str:
    return "p(x) = " + str(step)


def exact_real(x: Any, name: str, *, func: str) -> Fraction:
    """A finite real argument as an exact Fraction (floats exactly, decimal strings as written)."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, bool):
        raise InputTypeError(f"The '{name}' parameter of {func} must be a real number, got bool {x!r}")
    if isinstance(x, numbers.Integral):
        return Fraction(int(x))
    if isinstance(x, numbers.Real):
        v = float(x)
        if not math.isfinite(v):
            raise InputValueError(f"The '{name}' parameter of {func} must be finite. Got {v!r} instead.")
        return Fraction(v)  # the exact binary value of the float
    if isinstance(x, str):
        return to_fraction(x, f"'{name}'", func=func)
    raise InputTypeError(f"The '{name}' parameter of {func} must be a real number, got "
                         f"{type(x).__name__} {x!r}")


def _poly_str(coeffs: list[int]) -> str:
    """Integer coefficients (ascending) as 'x^2 - 3'."""
    terms = []
    for k in range(len(coeffs) - 1, -1, -1):
        c = coeffs[k]
        if c == 0:
            continue
        mag = abs(c)
        mon = "" if k == 0 else ("x" if k == 1 else f"x^{k}")
        body = (str(mag) if (mag != 1 or k == 0) else "") + ("*" if mag != 1 and k else "") + mon
        terms.append(("-" if c < 0 else "+", body))
    if not terms:
        return "0"
    s = ("-" if terms[0][0] == "-" else "") + terms[0][1]
    for sgn, body in terms[1:]:
        s += f" {sgn} {body}"
    return s


@dataclasses.dataclass(frozen=True)
class AlgebraicReal:
    """An exact real algebraic number: a root of an irreducible integer polynomial, isolated.

    Attributes
    ----------
    expr : str
        Exact form: a rational ``"3/2"``, a radical ``"-sqrt(3)/3"`` (degree 2), or
        ``"CRootOf(<minpoly>, k)"`` (sympy's indexing: the k-th real root, ascending).
    minpoly : str
        The minimal polynomial over the integers (primitive, positive leading coefficient).
    index : int
        Position among the real roots of ``minpoly`` (ascending, from 0).
    lower, upper : float
        Outward-rounded float64 bounds of a certified isolating interval (``minpoly`` has exactly
        this one root in ``[lower, upper]`` whenever the interval is narrower than the root gap).
    value : Fraction or None
        The exact value when the number is rational.
    """

    expr: str
    minpoly: str
    index: int
    lower: float
    upper: float
    value: Fraction | None = None
    minpoly_coeffs: tuple[int, ...] = dataclasses.field(default=(), repr=False, compare=False,
                                                        metadata={"json": False})

    def __float__(self) -> float:
        if self.value is not None:
            return float(self.value)
        return 0.5 * (self.lower + self.upper)

    @property
    def is_rational(self) -> bool:
        return self.value is not None

    def minimal_polynomial(self) -> fmpq_poly:
        return fmpq_poly(list(self.minpoly_coeffs))

    def ball(self) -> arb:
        """An Arb ball containing the number, at the current working precision."""
        if self.value is not None:
            from ._poly import to_fmpq

            return arb(to_fmpq(self.value))
        f = self.minimal_polynomial()
        return real_roots(f)[self.index][0]

    def sympy(self):
        """The exact sympy number (Rational, radical or CRootOf)."""
        import sympy

        x = sympy.Symbol("x")
        if self.value is not None:
            return sympy.Rational(self.value.numerator, self.value.denominator)
        poly = sympy.Poly(list(reversed(self.minpoly_coeffs)), x)
        if poly.degree() == 2:
            rs = sorted(sympy.roots(poly, multiple=True), key=lambda r: float(r))
            return rs[self.index]
        return sympy.CRootOf(poly.as_expr(), self.index)

    def __str__(self) -> str:
        if self.value is not None:
            return self.expr
        return f"{self.expr} ≈ {float(self):.15g}"

    def to_dict(self) -> dict[str, Any]:
        return {"expr": self.expr, "minpoly": self.minpoly, "index": self.index,
                "lower": self.lower, "upper": self.upper, "approx": float(self),
                "value": None if self.value is None else str(self.value)}


def _primitive_int(f: fmpq_poly) -> list[int]:
    num = fmpz_poly(f.numer())
    cs = [int(c) for c in num.coeffs()]
    g = 0
    for c in cs:
        g = math.gcd(g, c)
    cs = [c // g for c in cs]
    if cs[-1] < 0:
        cs = [-c for c in cs]
    return cs


def _radical_expr(cs: list[int], index: int) -> str:
    import sympy

    x = sympy.Symbol("x")
    poly = sympy.Poly(list(reversed(cs)), x)
    rs = sorted(sympy.roots(poly, multiple=True), key=lambda r: float(r))
    return sympy.sstr(rs[index])


def algebraic_roots(poly: fmpq_poly) -> list[tuple[AlgebraicReal, int]]:
    """All distinct real roots of an exact nonzero polynomial, ascending, with multiplicities.

    Factorises over Q (FLINT), isolates the real roots of each irreducible factor (Arb), and
    gives each root its exact form.  Uses the current working precision for the intervals.
    """
    if poly.is_zero():
        raise ValueError("the zero polynomial has every real number as a root")
    out: list[tuple[AlgebraicReal, int]] = []
    if poly.degree() < 1:
        return out
    _, factors = poly.factor()
    for f, mult in factors:
        cs = _primitive_int(f)
        roots = real_roots(fmpq_poly(cs))
        for k, (r, _) in enumerate(roots):
            if len(cs) == 2:
                val = Fraction(-cs[0], cs[1])
                a = AlgebraicReal(expr=str(val), minpoly=_poly_str(cs), index=0, lower=float(val) if
                                  Fraction(float(val)) == val else lower_float(r), upper=float(val) if
                                  Fraction(float(val)) == val else upper_float(r), value=val,
                                  minpoly_coeffs=tuple(cs))
            else:
                expr = _radical_expr(cs, k) if len(cs) == 3 else f"CRootOf({_poly_str(cs)}, {k})"
                a = AlgebraicReal(expr=expr, minpoly=_poly_str(cs), index=k, lower=lower_float(r),
                                  upper=upper_float(r), value=None, minpoly_coeffs=tuple(cs))
            out.append((a, int(mult)))
    out.sort(key=lambda t: float(t[0]))
    return out


def divides(f: fmpq_poly, g: fmpq_poly) -> bool:
    """Exact test ``f | g`` over Q."""
    if g.is_zero():
        return True
    return (g % f).is_zero()


def ball_bounds(x: arb) -> tuple[float, float]:
    return lower_float(x), upper_float(x)


def frac_bounds(x: arb) -> tuple[Fraction, Fraction]:
    return frac_of(x.lower()), frac_of(x.upper())


def with_prec(bits: int):
    return working_prec(bits)


def odd_map(step: Step) -> OddMap:
    return OddMap(step.coeffs)
