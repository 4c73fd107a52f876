"""Odd-polynomial Newton–Schulz steps with exact rational coefficients.

A Newton–Schulz (NS) *step* is an odd polynomial ``p(x) = a1 x + a3 x^3 + a5 x^5 + ...``; applied
to a matrix ``X = U diag(s) V^T`` it maps ``X`` to ``U diag(p(s)) V^T`` using only matrix
products.  Coefficients are stored **exactly** as written (:func:`to_fraction`): a decimal literal
such as ``"3.4445"`` becomes ``6889/2000``, and a Python float goes through its shortest ``repr``.
Schedules (lists of steps with a normalisation and a provenance) are in :mod:`.schedules`.

References
----------
.. [1] N. J. Higham, *Functions of Matrices*, SIAM 2008, §8.3. doi:10.1137/1.9780898717778
"""
from __future__ import annotations

import dataclasses
import math
import numbers
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import InputTypeError, InputValueError

__all__ = ["Step", "to_fraction", "dec"]

_FUNC = "ns_schedule"


def to_fraction(value: Any, name: str = "coefficient", *, func: str = _FUNC) -> Fraction:
    """Convert a coefficient to an exact rational, keeping decimal literals exactly as written.

    Strings are parsed as decimal (or ``p/q``) literals; Python floats go through their
    shortest ``repr`` so that ``3.4445`` becomes ``6889/2000``; ints and Fractions are kept.

    Parameters
    ----------
    value : str, int, float, Fraction or rational
        The coefficient.
    name : str
        How the value is named in error messages.
    func : str
        The public function named in error messages.

    Returns
    -------
    Fraction

    Raises
    ------
    InputValueError
        A non-finite float or a string that is not a number.
    InputTypeError
        Any other type (bool included).

    Examples
    --------
    >>> to_fraction("3.4445")
    Fraction(6889, 2000)
    >>> to_fraction(-4.775)
    Fraction(-191, 40)
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise InputTypeError(f"{func}: {name} must be a number, got bool {value!r}")
    if isinstance(value, numbers.Integral):
        return Fraction(int(value))
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if not math.isfinite(v):
            raise InputValueError(f"{func}: {name} must be finite, got {v!r}")
        return Fraction(repr(v))
    if isinstance(value, numbers.Rational):
        return Fraction(value.numerator, value.denominator)
    if isinstance(value, str):
        s = value.strip().replace("\u2212", "-")  # accept a typographic minus sign
        try:
            f = Fraction(s)
        except (ValueError, ZeroDivisionError):
            raise InputValueError(
                f"{func}: {name} {value!r} is not a number; write decimal literals such as "
                "'3.4445' or ratios such as '15/8'"
            ) from None
        return f
    raise InputTypeError(f"{func}: {name} must be a number or a decimal string, got "
                         f"{type(value).__name__} {value!r}")


@dataclasses.dataclass(frozen=True)
class Step:
    """One odd-polynomial Newton–Schulz step ``p(x) = a1 x + a3 x^3 + a5 x^5 + ...``.

    Parameters
    ----------
    coeffs : tuple of Fraction
        The coefficients ``(a1, a3, a5, ...)`` of the odd powers, exact.  Any numbers or decimal
        strings are accepted by the constructor and converted with :func:`to_fraction`.

    Examples
    --------
    >>> s = Step(("1.5", "-0.5"))
    >>> s.degree, s.products
    (3, 2)
    >>> float(s(np.array([1.0]))[0])
    1.0
    >>> s.exact(Fraction(1, 2))
    Fraction(11, 16)
    """

    coeffs: tuple[Fraction, ...]

    def __post_init__(self) -> None:
        raw = self.coeffs
        if isinstance(raw, (str, bytes)) or not isinstance(raw, Iterable):
            raise InputTypeError(f"Step: coeffs must be a sequence of numbers, got {raw!r}")
        cs = tuple(to_fraction(c, f"coefficient {i}", func="Step") for i, c in enumerate(raw))
        if not cs:
            raise InputValueError("Step: coeffs must be non-empty (a1, a3, a5, ...)")
        # trailing zero coefficients do not change the polynomial; drop them (keep at least a1)
        while len(cs) > 1 and cs[-1] == 0:
            cs = cs[:-1]
        object.__setattr__(self, "coeffs", cs)

    # -- structure -------------------------------------------------------------------------
    @property
    def degree(self) -> int:
        """The polynomial degree ``2 len(coeffs) - 1`` (1 for a pure scaling)."""
        return 2 * len(self.coeffs) - 1

    @property
    def products(self) -> int:
        """Matrix products per step: the Gram ``X X^T``, its powers, and one product with ``X``.

        A degree-(2k+1) step costs k + 1 products for k >= 1 (cubic 2, quintic 3), 0 for k = 0.
        """
        k = len(self.coeffs) - 1
        return 0 if k == 0 else k + 1

    def as_floats(self) -> tuple[float, ...]:
        """The coefficients correctly rounded to float64."""
        return tuple(float(c) for c in self.coeffs)

    def derivative_coeffs(self) -> tuple[Fraction, ...]:
        """Coefficients ``(a1, 3 a3, 5 a5, ...)`` of the even polynomial ``p'(x)`` in powers ``x^0, x^2, ...``."""
        return tuple((2 * i + 1) * c for i, c in enumerate(self.coeffs))

    def second_derivative_coeffs(self) -> tuple[Fraction, ...]:
        """Coefficients of the odd polynomial ``p''(x)`` in powers ``x^1, x^3, ...``: ``(6 a3, 20 a5, ...)``."""
        return tuple((2 * i + 1) * (2 * i) * c for i, c in enumerate(self.coeffs))[1:]

    # -- evaluation ------------------------------------------------------------------------
    def __call__(self, x: ArrayLike) -> NDArray[np.float64]:
        """Evaluate ``p`` in float64 (Horner's rule in ``x^2``); arrays are accepted elementwise."""
        x = np.asarray(x, dtype=np.float64)
        x2 = x * x
        acc = np.full_like(x, float(self.coeffs[-1]))
        for c in reversed(self.coeffs[:-1]):
            acc = acc * x2 + float(c)
        return acc * x

    def derivative(self, x: ArrayLike) -> NDArray[np.float64]:
        """Evaluate ``p'(x)`` in float64."""
        x = np.asarray(x, dtype=np.float64)
        x2 = x * x
        d = self.derivative_coeffs()
        acc = np.full_like(x, float(d[-1]))
        for c in reversed(d[:-1]):
            acc = acc * x2 + float(c)
        return acc

    def exact(self, x: Fraction | int) -> Fraction:
        """Evaluate ``p`` exactly at a rational point."""
        x = Fraction(x)
        x2 = x * x
        acc = Fraction(0)
        for c in reversed(self.coeffs):
            acc = acc * x2 + c
        return acc * x

    def critical_points(self) -> tuple[float, ...]:
        """Positive real critical points of ``p`` (roots of ``p'``), ascending, in float64 (numerical)."""
        d = self.derivative_coeffs()
        if len(d) == 1:
            return ()
        # p'(x) = q(y) with y = x^2; roots y > 0
        roots = np.roots([float(c) for c in reversed(d)])
        out = []
        for r in roots:
            if abs(r.imag) <= 1e-12 * max(1.0, abs(r)) and r.real > 0:
                out.append(math.sqrt(r.real))
        return tuple(sorted(out))

    def __str__(self) -> str:
        terms = []
        for i, c in enumerate(self.coeffs):
            txt = dec(c)
            if "/" in txt and c.denominator > 1000:
                txt = f"{float(c)!r}…"  # non-terminating: show the double, marked inexact
            terms.append(f"{txt}·x" + ("" if i == 0 else f"^{2 * i + 1}"))
        return " + ".join(terms).replace("+ -", "- ")

    def to_dict(self) -> dict[str, Any]:
        return {"coeffs": [dec(c) for c in self.coeffs], "degree": self.degree}


def dec(c: Fraction) -> str:
    """A short exact rendering: a terminating decimal when there is one, else ``p/q``."""
    den = c.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1 or max(twos, fives) > 40:
        return str(c)
    k = max(twos, fives)
    scaled = c * 10**k
    s = str(abs(scaled.numerator))
    if k:
        s = s.rjust(k + 1, "0")
        s = (s[:-k] + "." + s[-k:]).rstrip("0").rstrip(".")
    return ("-" if c < 0 else "") + s
