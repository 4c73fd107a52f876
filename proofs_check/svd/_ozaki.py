"""Residual bounds for the float route from error-free BLAS products (the Ozaki splitting).

The bounds ``e ≥ ‖AV − US‖₂``, ``g ≥ ‖UᵀU − I‖₂``, ``f ≥ ‖VᵀV − I‖₂`` that Miyajima's theorem
needs are computed here with an error of order ``u·|residual|`` plus a term ``2^-β`` times smaller
than the a-priori ``γ_k |X||Y|`` bound, instead of that bound itself.

Splitting
    Each factor ``X`` is split exactly, ``X = X₁ + X₂``: for every row (left factors) or column
    (right factors) with largest entry below ``2^e`` (``e`` from ``frexp``), ``X₁`` rounds ``X`` to
    the grid ``2^a``, ``a = max(e − β, −1074)``; so every entry of ``X₁`` is an integer of magnitude
    at most ``2^β`` times ``2^a``.  ``X₂ = X − X₁`` is exact in binary64: ``X₁`` is a nearest grid
    point, ``|X − X₁| ≤ min(|X|, 2^(a−1))`` and ``ulp(X) ≤ 2^(e−53) ≤ 2^a``, so the difference is a
    multiple of ``ulp(X)`` no larger than ``|X|``.
Exact products
    If ``X₁`` (rows on grids ``2^(a_i)``, integers ``≤ 2^β``) and ``Y₁`` (columns on grids
    ``2^(b_j)``) have ``k · 2^(2β) ≤ 2^53`` and ``a_i + b_j ≥ −1074``, then every product
    ``X₁[i,l] Y₁[l,j]`` and every partial sum of them is a multiple of ``2^(a_i+b_j)`` of magnitude
    at most ``2^(53 + a_i + b_j)``, hence a binary64 number: ``fl(X₁Y₁) = X₁Y₁`` exactly, whatever
    the summation order, blocking, threading, and with or without FMA.  The slice width is therefore
    ``β = ⌊(53 − ⌈log₂ k⌉)/2⌋`` (21 for ``k ≤ 2048``).  Where ``a_i + b_j < −1074`` can happen
    (rows/columns near the underflow threshold) the product falls back to the a-priori bound.
Remainders
    ``AV = A₁V₁ + A₁V₂ + A₂V``: the last two products are ``2^-β`` smaller and their a-priori bound
    ``γ_n (|A₁||V₂| + |A₂||V|) + 2nη`` is ``2^-β`` times the old one.  ``UᵀU = U₁ᵀU₁ + ZᵀU₂ +
    U₂ᵀZ`` with ``Z = U₁ + U₂/2`` (so one product gives both cross terms), likewise ``VᵀV``.
    The few elementwise float additions each add at most ``u/(1−u)`` times their computed result.

Assumptions (stated, not checked): IEEE 754 binary64 arithmetic with round-to-nearest; BLAS
``dgemm`` computes every entry as a sum of the ``k`` rounded products in some order with
binary64 (or wider) operations, possibly fused multiply-adds (the standard model; no Strassen-like
algorithms — true of OpenBLAS, MKL, BLIS, reference BLAS).  FMA does not matter: the exact products
need no rounding at all, and ``γ_k`` bounds hold with or without FMA.  No overflow (the caller
scales ``A`` below 1 and checks finiteness).

References
----------
.. [1] K. Ozaki, T. Ogita, S. Oishi, S. M. Rump, "Error-free transformations of matrix
   multiplication by using fast routines of matrix multiplication and its applications",
   Numer. Algorithms 59 (2012) 95–118, doi:10.1007/s11075-011-9478-1.
.. [2] N. J. Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., SIAM, 2002,
   doi:10.1137/1.9780898718027 (§3.1, §3.5).
"""
from __future__ import annotations

import math

import numpy as np
from flint import arb
from numpy.typing import NDArray

from .._arb import ETA64, U64, gamma_arb

__all__ = ["slice_bits", "split", "ozaki_residual_bounds"]

_UU = U64 / (1 - U64)  # |fl(x op y) − (x op y)| ≤ u/(1−u) |fl(x op y)| for + − × (no underflow in × )


def slice_bits(k: int) -> int:
    """Bits ``β`` per slice so that a length-``k`` dot product of two slices is exact:
    ``k · 2^(2β) ≤ 2^53``."""
    return (53 - max(0, math.ceil(math.log2(max(k, 1))))) // 2


def split(X: NDArray, beta: int, axis: int) -> tuple[NDArray, NDArray, NDArray]:
    """Exact split ``X = X1 + X2`` (see the module docstring).

    Parameters
    ----------
    X : (m, n) ndarray
        Finite float64 matrix.
    beta : int
        Integer bits per entry of ``X1``.
    axis : {1, 0}
        1: one grid per row (a left factor), 0: one grid per column (a right factor).

    Returns
    -------
    X1, X2 : (m, n) ndarray
        ``X1 + X2 == X`` exactly; ``X1`` on the grids ``2^a``, integers of magnitude ≤ ``2^beta``.
    a : (m,) or (n,) ndarray of int
        The grid exponents.

    Examples
    --------
    >>> X = np.array([[1/3, 2/3], [1e-300, -5.0]])
    >>> X1, X2, a = split(X, 10, axis=1)
    >>> bool(np.all(X1 + X2 == X)), bool(np.all(np.abs(X1 * np.ldexp(1.0, -a)[:, None]) <= 2**10))
    (True, True)
    """
    mx = np.abs(X).max(axis=axis)
    e = np.frexp(mx)[1]                       # every |x| in the row/column is < 2^e
    a = np.maximum(e - beta, -1074)
    sh = (-a)[:, None] if axis == 1 else (-a)[None, :]
    X1 = np.ldexp(np.rint(np.ldexp(X, sh)), -sh)  # scaling by powers of two here never rounds
    X2 = X - X1                               # exact (module docstring)
    return X1, X2, a


def _n2(M: NDArray) -> arb:
    """Upper bound on ``‖M‖₂ ≤ ‖|M|‖₂``: the smaller of ``√(‖M‖₁‖M‖∞)`` and ``‖M‖_F``, from float
    sums inflated by ``1/(1 − γ_N)`` (raises OverflowError for a non-finite M)."""
    fro = _fro(M)
    if M.size == 0:
        return fro
    a = np.abs(M)
    with np.errstate(over="ignore"):
        c, r = float(a.sum(axis=0).max()), float(a.sum(axis=1).max())
    if not (math.isfinite(c) and math.isfinite(r)):
        return fro
    b = (arb(c) / (1 - gamma_arb(M.shape[0])) * arb(r) / (1 - gamma_arb(M.shape[1]))).sqrt()
    return b if b.upper() < fro.upper() else fro


def _fro(M: NDArray) -> arb:
    """Upper bound on ``‖M‖_F ≥ ‖|M|‖₂`` from one BLAS dot product: the float sum of the N squares
    is within ``γ_N`` of the true sum (standard model), each square adds at most η underflow."""
    v = M.ravel(order="K")  # no copy for C- or Fortran-ordered M
    with np.errstate(over="ignore"):
        sq = float(v @ v)
    N = v.size
    if not math.isfinite(sq):  # squares overflow (entries near 1e154 or more): ‖M‖_F ≤ √N max|M|
        mx = float(np.abs(v).max()) if N else 0.0
        if not math.isfinite(mx):
            raise OverflowError("non-finite intermediate")
        return arb(N).sqrt() * arb(mx)
    return (arb(sq) / (1 - gamma_arb(N + 1)) + N * ETA64).sqrt()


def _ones_norm(m: int, n: int) -> arb:
    """‖ones(m, n)‖₂ = √(mn)."""
    return arb(m * n).sqrt()


def _exact_ok(a: NDArray, b: NDArray) -> bool:
    return a.size == 0 or b.size == 0 or int(a.min()) + int(b.min()) >= -1074


def _gram_minus_identity(X: NDArray, beta: int, parts: tuple | None = None) -> arb:
    """Upper bound on ``‖XᵀX − I‖₂`` (X: (k, n)), with the exact product ``X₁ᵀX₁``;
    ``parts`` is ``split(X, beta, axis=0)`` when already computed."""
    k, n = X.shape
    X1, X2, b = parts if parts is not None else split(X, beta, axis=0)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        # exact: every partial sum is exact, in any order.  numpy's matmul, not scipy's dsyrk:
        # the two wheels bring separate OpenBLAS thread pools, and alternating them cost 40 %
        # of the whole bound at n = 1000 (measured 264 ms -> 155 ms on 2 cores)
        T = X1.T @ X1
        Z = X1 + 0.5 * X2
        M = Z.T @ X2                                       # fl(Z^T X2), (n, n)
        T[np.diag_indices_from(T)] -= 1.0
        S = M + M.T
        G = T + S
    # no explicit finiteness check: every matrix used below passes through _fro, which raises
    err = arb(0)
    if not _exact_ok(b, b):  # underflow possible: a-priori bound for the "exact" product
        err += gamma_arb(k) * _fro(X1) ** 2 + k * ETA64 * _ones_norm(n, n)
    nX2 = _fro(X2)
    nZ = _fro(Z)
    # |Z − (X1 + X2/2)| ≤ uu|Z| + η (the halving may round a subnormal by η/2, the sum once)
    zerr = _UU * nZ + ETA64 * _ones_norm(k, n)
    # ZtrueᵀX2 + X2ᵀZtrue = M + Mᵀ + 2 errors: fl(ZᵀX2) and Z's own rounding
    err += 2 * ((gamma_arb(k) * nZ + zerr) * nX2 + k * ETA64 * _ones_norm(n, n))
    # T = fl(X1ᵀX1 − I), S = fl(M + Mᵀ), G = fl(T + S): one rounding each
    err += _UU * (_fro(T) + _fro(S) + _fro(G))
    return _n2(G) + err


def _residual(A: NDArray, U: NDArray, s: NDArray, V: NDArray, beta: int, vparts: tuple) -> arb:
    """Upper bound on ``‖AV − U diag(s)‖₂`` with the exact product ``A₁V₁``; ``vparts`` is
    ``split(V, beta, axis=0)``."""
    m, n = A.shape
    A1, A2, a = split(A, beta, axis=1)
    V1, V2, b = vparts
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        X = A1 @ V1                     # exact
        C = A1 @ V2
        C += A2 @ V                     # fl(fl(A1 V2) + fl(A2 V))
        P = U * s                       # |P − U s| ≤ uu|P| + η
        D = X - P
        R = D + C
    # no explicit finiteness check: every matrix used below passes through _fro, which raises
    err = arb(0)
    if not _exact_ok(a, b):
        err += gamma_arb(n) * _fro(A1) * _fro(V1) + n * ETA64 * _ones_norm(m, n)
    err += gamma_arb(n) * (_fro(A1) * _fro(V2) + _fro(A2) * _fro(V)) + 2 * n * ETA64 * _ones_norm(m, n)
    err += _UU * (_fro(P) + _fro(D) + _fro(C) + _fro(R)) + ETA64 * _ones_norm(m, n)
    return _n2(R) + err


def ozaki_residual_bounds(A: NDArray, U: NDArray, s: NDArray, V: NDArray) -> tuple[arb, arb, arb]:
    """Rigorous ``(e, f, g)``: upper bounds on ``‖AV − U diag(s)‖₂``, ``‖VᵀV − I‖₂``, ``‖UᵀU − I‖₂``.

    Parameters
    ----------
    A : (m, n) ndarray
        Finite float64, ``m ≥ n``, entries of moderate size (the caller scales ``max|A|`` into
        ``[1/2, 1)`` by a power of two where that is exact).
    U : (m, n) ndarray
    s : (n,) ndarray
    V : (n, n) ndarray

    Returns
    -------
    e, f, g : arb
        Upper bounds (Arb balls whose upper endpoints bound the norms).

    Raises
    ------
    OverflowError
        When an intermediate is not finite.

    Examples
    --------
    >>> A = np.random.default_rng(0).standard_normal((50, 40))
    >>> U, s, Vt = np.linalg.svd(A, full_matrices=False)
    >>> e, f, g = ozaki_residual_bounds(A, U, s, Vt.T)
    >>> nu = 40 * 2.0**-53                      # n u
    >>> bool(e.upper() < 4 * nu * s[0] and f.upper() < 4 * nu and g.upper() < 4 * nu)
    True
    """
    m, n = A.shape
    bn, bm = slice_bits(n), slice_bits(m)
    vparts = split(V, bn, axis=0)  # one split of V serves AV and VᵀV (both have inner dimension n)
    e = _residual(A, U, s, V, bn, vparts)
    f = _gram_minus_identity(V, bn, vparts)
    g = _gram_minus_identity(U, bm)
    return e, f, g
