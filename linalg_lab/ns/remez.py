"""Minimax odd polynomials for Newton–Schulz design: the Remez exchange algorithm at high precision.

Given ``0 < lo <= hi`` and an odd degree ``d = 2m - 1``, :func:`minimax_odd` finds the odd
polynomial ``p(x) = c_0 x + c_1 x^3 + ... + c_{m-1} x^{2m-1}`` that minimises
``max_{x in [lo, hi]} |1 - p(x)|``.  The powers ``x, x^3, ..., x^{2m-1}`` form a Chebyshev (Haar)
system on ``(0, inf)``, so the best approximation is unique and is characterised by equioscillation
of ``1 - p`` at ``m + 1`` points of ``[lo, hi]`` (Chebyshev's alternation theorem); for this problem
the alternation points are ``lo``, the ``m - 1`` positive critical points of ``p`` and ``hi``, with
``p(lo) = 1 - E`` (the polynomial starts below 1 because ``p(0) = 0``).

The exchange solves the ``(m + 1) x (m + 1)`` levelled-error system on the current reference,
moves the interior reference points to the critical points of the new ``p`` (the "simplified
Remez" step of Polar Express), and falls back to a dense-grid multi-point exchange while the
critical points are not yet interlaced.  Everything is done in mpmath at a working precision that
grows with ``m log10(hi / (hi - lo))``: the system's condition number grows like
``((hi - lo) / hi)^{-(m-1)}`` as the interval shrinks, which is where float64 generators lose
digits.  When ``lo == hi`` the (non-unique) problem is replaced by its limit as ``lo -> hi``, the
scaled classical Newton–Schulz polynomial ``p(x) = t sum_k binom(-1/2, k) (t^2 - 1)^k`` with
``t = x / hi`` (Taylor/Padé; ``(15/8, -10/8, 3/8)`` for the quintic).

References
----------
.. [1] E. Ya. Remez, "Sur le calcul effectif des polynômes d'approximation de Tchebichef",
   C. R. Acad. Sci. Paris 199 (1934), 337-340.
.. [2] L. N. Trefethen, Approximation Theory and Approximation Practice, SIAM 2019, ch. 10.
   doi:10.1137/1.9781611975949
.. [3] N. Amsel, D. Persson, C. Musco, R. M. Gower, "The Polar Express: optimal matrix sign
   methods and their application to the Muon algorithm", arXiv:2505.16932.
"""
from __future__ import annotations

import dataclasses
import math
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np

from .._results import Result, Rigour, Status
from .._validation import InputValueError, check_int, check_real

__all__ = ["MinimaxPolynomial", "minimax_odd"]

_FUNC = "minimax_odd"
#: Default decimal working precision of the exchange (before the interval-width increment).
DEFAULT_DPS = 40


@dataclasses.dataclass(frozen=True)
class MinimaxPolynomial(Result):
    """The minimax odd polynomial of a given degree for the constant 1 on ``[lo, hi]``.

    Attributes
    ----------
    coeffs : tuple of str
        ``(c_0, c_1, ...)`` of ``x, x^3, ...`` as decimal strings with ``dps`` significant digits.
    error : float
        The levelled error ``E = max |1 - p|`` on ``[lo, hi]``.
    points : tuple of float
        The alternation points (``lo``, critical points, ``hi``).
    iterations : int
        Exchange iterations used (0 for the confluent limit ``lo == hi``).
    dps : int
        Decimal working precision of the final solve.
    """

    lo: float
    hi: float
    degree: int
    coeffs: tuple[str, ...]
    error: float
    points: tuple[float, ...]
    iterations: int
    dps: int
    rigour: Rigour
    status: Status
    reason: str

    def as_mpf(self) -> list:
        """The coefficients as mpmath numbers (exact parse of the stored strings)."""
        return [mpmath.mpf(c) for c in self.coeffs]


# -- helpers on mp coefficient lists (odd polynomials in powers x, x^3, ...) -------------------------

def peval(c: list, x: Any) -> Any:
    """``p(x)`` by Horner's rule in ``x^2`` (works for mpf and float)."""
    x2 = x * x
    acc = c[-1]
    for ci in reversed(c[:-1]):
        acc = acc * x2 + ci
    return acc * x


def pderiv(c: list, x: Any) -> Any:
    """``p'(x)``."""
    x2 = x * x
    d = [(2 * i + 1) * ci for i, ci in enumerate(c)]
    acc = d[-1]
    for di in reversed(d[:-1]):
        acc = acc * x2 + di
    return acc


def critical_points(c: list, lo: Any, hi: Any) -> list:
    """Critical points of ``p`` strictly inside ``(lo, hi)``, ascending (mp numbers)."""
    m = len(c)
    if m == 1:
        return []
    d = [(2 * i + 1) * ci for i, ci in enumerate(c)]  # p'(x) = q(y), y = x^2
    if m == 2:
        ys = [-d[0] / d[1]] if d[1] != 0 else []
    else:
        try:
            roots = mpmath.polyroots(list(reversed(d)), maxsteps=200, extraprec=4 * mpmath.mp.prec)
        except mpmath.libmp.libhyper.NoConvergence:
            return []  # the caller falls back to the grid exchange
        ys = []
        for r in roots:
            r = mpmath.mpc(r)
            if abs(r.imag) <= mpmath.mpf(10) ** (-mpmath.mp.dps // 2) * max(1, abs(r.real)):
                ys.append(r.real)
    out = sorted(mpmath.sqrt(y) for y in ys if y > 0)
    return [x for x in out if lo < x < hi]


def extremes(c: list, lo: Any, hi: Any) -> tuple[Any, Any]:
    """``(min, max)`` of ``p`` over ``[lo, hi]`` (endpoints and interior critical points)."""
    vals = [peval(c, lo), peval(c, hi)] + [peval(c, x) for x in critical_points(c, lo, hi)]
    return min(vals), max(vals)


def lipschitz(c: list, lo: Any, hi: Any) -> Any:
    """``max |p'|`` over ``[lo, hi]``: ``p'(x) = q(x^2)``, extremes of ``q`` at the ends and its critical points."""
    d = [(2 * i + 1) * ci for i, ci in enumerate(c)]
    ylo, yhi = lo * lo, hi * hi
    ys = [ylo, yhi]
    dq = [i * di for i, di in enumerate(d)][1:]  # q'(y) in powers y^0, y^1, ...
    if len(dq) == 2:
        if dq[1] != 0:
            ys.append(-dq[0] / dq[1])
    elif len(dq) > 2:
        try:
            for r in mpmath.polyroots(list(reversed(dq)), maxsteps=200, extraprec=4 * mpmath.mp.prec):
                r = mpmath.mpc(r)
                if abs(r.imag) <= mpmath.mpf(10) ** (-mpmath.mp.dps // 2) * max(1, abs(r.real)):
                    ys.append(r.real)
        except mpmath.libmp.libhyper.NoConvergence:
            ys += list(mpmath.linspace(ylo, yhi, 257))  # dense fallback (numerical)
    vals = []
    for y in ys:
        if ylo <= y <= yhi:
            acc = d[-1]
            for di in reversed(d[:-1]):
                acc = acc * y + di
            vals.append(abs(acc))
    return max(vals)


def confluent(m: int, hi: Any) -> list:
    """The limit ``lo -> hi`` of the minimax polynomial: ``t sum_{k<m} binom(-1/2, k) (t^2-1)^k``, ``t = x/hi``."""
    # expand sum_k b_k (y - 1)^k in powers of y = t^2
    b = [Fraction(1)]
    for k in range(1, m):
        b.append(b[-1] * Fraction(-(2 * k - 1), 2 * k))  # binom(-1/2, k)
    coef = [Fraction(0)] * m
    for k, bk in enumerate(b):
        for j in range(k + 1):
            coef[j] += bk * math.comb(k, j) * (-1) ** (k - j)
    return [mpmath.mpf(f.numerator) / f.denominator / hi ** (2 * i + 1) for i, f in enumerate(coef)]


def _solve(xs: list, m: int) -> tuple[list, Any]:
    A = mpmath.matrix(m + 1, m + 1)
    b = mpmath.matrix(m + 1, 1)
    for j, x in enumerate(xs):
        x2 = x * x
        p = x
        for i in range(m):
            A[j, i] = p
            p *= x2
        A[j, m] = 1 if j % 2 == 0 else -1
        b[j] = 1
    sol = mpmath.lu_solve(A, b)
    return [sol[i] for i in range(m)], sol[m]


def _grid_reference(c: list, lo: Any, hi: Any, m: int) -> list | None:
    """Multi-point exchange on a dense grid: ``m + 1`` alternating extrema of ``1 - p`` (or None)."""
    flo, fhi = float(lo), float(hi)
    g = np.unique(np.concatenate([np.geomspace(flo, fhi, 4000), np.linspace(flo, fhi, 4000)]))
    cf = [float(ci) for ci in c]
    e = 1.0 - peval(cf, g)
    idx = [0] + [i for i in range(1, len(g) - 1)
                 if (e[i] - e[i - 1]) * (e[i + 1] - e[i]) <= 0 and e[i] != e[i - 1]] + [len(g) - 1]
    ext: list[int] = []
    for i in idx:  # merge runs of the same sign, keeping the larger |e|
        if ext and np.sign(e[i]) == np.sign(e[ext[-1]]):
            if abs(e[i]) > abs(e[ext[-1]]):
                ext[-1] = i
        else:
            ext.append(i)
    if len(ext) < m + 1:
        return None
    best = int(np.argmax(np.abs(e[ext])))
    start = min(max(0, best - m), len(ext) - (m + 1))
    sel = ext[start:start + m + 1]
    pts = [mpmath.mpf(float(g[i])) for i in sel]
    pts[0] = lo if sel[0] == 0 else pts[0]
    pts[-1] = hi if sel[-1] == len(g) - 1 else pts[-1]
    return pts


def _remez(lo: Any, hi: Any, m: int, maxiter: int, dps: int) -> tuple[list, Any, list, int, bool]:
    """Exchange iterations at the current mp precision; returns (coeffs, E, reference, its, converged)."""
    # initial reference: Chebyshev extreme points of [lo, hi]
    xs = [lo + (hi - lo) * (1 - mpmath.cos(mpmath.pi * j / m)) / 2 for j in range(m + 1)]
    xs[0], xs[-1] = lo, hi
    tol = mpmath.mpf(10) ** (-(dps - 8))  # relative to E; the working precision has the extra digits
    c, E = _solve(xs, m)
    for it in range(1, maxiter + 1):
        crit = critical_points(c, lo, hi)
        if len(crit) == m - 1:
            new = [lo] + crit + [hi]
            signs = [1 - peval(c, x) for x in new]
            alternating = all(signs[j] * signs[j + 1] < 0 for j in range(m))
        else:
            alternating = False
        if not alternating:
            new = _grid_reference(c, lo, hi, m)
            if new is None:
                return c, E, xs, it, False
        emax = max(abs(1 - peval(c, x)) for x in new)
        if emax - abs(E) <= tol * abs(E) and alternating:
            return c, E, xs, it, True
        xs = new
        c, E = _solve(xs, m)
    return c, E, xs, maxiter, False


def minimax_body(lo: Any, hi: Any, degree: int, *, dps: int = DEFAULT_DPS, maxiter: int = 60):
    """Unchecked core of :func:`minimax_odd` on mp numbers: ``(coeffs, E, points, iterations, dps, ok)``.

    Runs at ``dps + m * log10(hi / (hi - lo)) + 10`` digits, enough to keep ``dps`` digits in the
    levelled-error system whatever the interval width.  Callers own the mpmath context.
    """
    m = (degree + 1) // 2
    lo, hi = mpmath.mpf(lo), mpmath.mpf(hi)
    if m == 1:  # p = c x: minimax c = 2 / (lo + hi)
        c = 2 / (lo + hi)
        return [c], (hi - lo) / (hi + lo), [lo, hi], 0, mpmath.mp.dps, True
    if lo == hi:
        c = confluent(m, hi)
        return c, mpmath.mpf(0), [lo], 0, mpmath.mp.dps, True
    width = -mpmath.log10((hi - lo) / hi)
    # 1 - p is formed with cancellation (p ~ 1, E ~ width^m): keep m * width extra digits
    extra = int(math.ceil(max(0.0, float(width)) * m)) + 10
    with mpmath.workdps(dps + extra):
        c, E, xs, its, ok = _remez(+lo, +hi, m, maxiter, dps)
        used = mpmath.mp.dps
        c = [+ci for ci in c]
    return c, E, xs, its, used, ok


def minimax_odd(lo: float, hi: float, degree: int, *, dps: int = DEFAULT_DPS) -> MinimaxPolynomial:
    """Minimax odd polynomial of degree ``degree`` approximating 1 on ``[lo, hi]`` (Remez exchange).

    Parameters
    ----------
    lo, hi : float
        The interval, ``0 < lo <= hi``.
    degree : int
        Odd degree >= 1 (3: cubic, 5: quintic, 7: septic, ...).
    dps : int, optional
        Decimal digits kept in the result (default 40); the solve runs at more digits as the
        interval shrinks (see the module notes).

    Returns
    -------
    MinimaxPolynomial
        Coefficients as decimal strings, the levelled error ``E`` and the alternation points;
        ``rigour`` is REFERENCE (high precision, not a proof).

    Raises
    ------
    InputValueError
        ``lo <= 0``, ``lo > hi``, an even or non-positive degree.

    Notes
    -----
    Cost: a few (5-15) exchanges, each an ``(m+1)``-square mp solve and a polynomial root
    isolation; ~1-10 ms per polynomial.

    References
    ----------
    .. [1] Trefethen, Approximation Theory and Approximation Practice, SIAM 2019, ch. 10.
       doi:10.1137/1.9781611975949
    .. [2] Amsel, Persson, Musco, Gower, arXiv:2505.16932 (the quintic case).

    Examples
    --------
    >>> r = minimax_odd(1e-3, 1.0, 5)
    >>> [round(float(c), 4) for c in r.coeffs]
    [8.4703, -25.1081, 18.6293]
    >>> r.ok, len(r.points)
    (True, 4)
    >>> [float(c) for c in minimax_odd(1.0, 1.0, 5).coeffs]
    [1.875, -1.25, 0.375]
    """
    lo = check_real(lo, "lo", func=_FUNC, lo=0.0, lo_open=True)
    hi = check_real(hi, "hi", func=_FUNC, lo=0.0, lo_open=True)
    if lo > hi:
        raise InputValueError(f"{_FUNC}: 'lo' must be <= 'hi', got lo={lo!r} > hi={hi!r}")
    degree = check_int(degree, "degree", func=_FUNC, minimum=1, maximum=41)
    if degree % 2 == 0:
        raise InputValueError(f"The 'degree' parameter of {_FUNC} must be odd (3, 5, 7, ...). Got {degree} instead.")
    dps = check_int(dps, "dps", func=_FUNC, minimum=16, maximum=1000)
    with mpmath.workdps(dps):
        c, E, xs, its, used, ok = minimax_body(lo, hi, degree, dps=dps)
        coeffs = tuple(mpmath.nstr(ci, dps, min_fixed=-1, max_fixed=1) for ci in c)
        return MinimaxPolynomial(
            lo=lo, hi=hi, degree=degree, coeffs=coeffs, error=float(E), points=tuple(float(x) for x in xs),
            iterations=its, dps=used, rigour=Rigour.REFERENCE,
            status=Status.OK if ok else Status.NOT_CONVERGED,
            reason="" if ok else ("the Remez exchange did not level the error within its iteration "
                                  "limit; raise dps or report the interval"),
        )
