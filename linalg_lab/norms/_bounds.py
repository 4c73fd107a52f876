"""Lower bounds (nonlinear power method) and the spectral relaxation for the 2->q norm.

Units: every ``value``/``upper`` field is the NORM ||X||_{2->q}; fields ending in ``_q``
(``value_q`` ...) are its q-th power, max over unit v of sum_i |x_i . v|^q.
"""
from __future__ import annotations

import dataclasses
import math
import time
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._results import Result, Rigour, Status
from .._validation import InputValueError, as_matrix, check_int, check_real
from ._basis import form_basis

__all__ = [
    "TwoToQLowerResult",
    "TwoToQSpectralResult",
    "two_to_q_lower",
    "two_to_q_spectral",
    "q_norm_value",
    "spectral_applies",
    "polish",
    "fpow",
    "fldexp",
]


def fpow(x: float, p: float) -> float:
    """x ** p as a float64 that saturates to inf (or 0) instead of raising OverflowError.

    Parameters
    ----------
    x : float
        Base (any real; converted to float64).
    p : float
        Exponent.

    Returns
    -------
    float
        ``x ** p`` rounded to float64; inf on overflow, 0.0 on underflow, nan where the power is
        undefined in the reals (a negative ``x`` with a non-integer ``p``).  Floating-point
        warnings are suppressed only for overflow and underflow.

    Examples
    --------
    >>> fpow(1e200, 2), fpow(1e-200, 2), fpow(2.0, 3)
    (inf, 0.0, 8.0)
    """
    with np.errstate(over="ignore", under="ignore"):
        return float(np.power(np.float64(x), p))


def fldexp(x: float, e: int) -> float:
    """x * 2**e as a float64 that saturates to +-inf (or 0) instead of raising OverflowError.

    Parameters
    ----------
    x : float
        Value to scale (converted to float64).
    e : int
        Power-of-two exponent (converted with ``int``).

    Returns
    -------
    float
        ``x * 2**e``, exact unless it overflows (then +-inf with the sign of ``x``) or falls below
        the subnormal range (then 0.0, possibly after subnormal rounding).

    Examples
    --------
    >>> fldexp(1.5, 2), fldexp(-1.0, 2000), fldexp(1.0, -2000)
    (6.0, -inf, 0.0)
    """
    with np.errstate(over="ignore", under="ignore"):
        return float(np.ldexp(np.float64(x), int(e)))


def _check_q(q: Any, func: str, *, lo: float = 2.0, lo_open: bool = False) -> float:
    q = check_real(q, "q", func=func, lo=lo, lo_open=lo_open)
    return float(q)


def _prepare(X: ArrayLike, func: str) -> NDArray[np.float64]:
    X = as_matrix(X, "X", func=func, keep_dtype=False)
    return np.ascontiguousarray(X, dtype=np.float64)


def q_norm_value(X: NDArray[np.float64], V: NDArray[np.float64], q: float) -> NDArray[np.float64]:
    """||X v||_q / ||v||_2 for each column v of V (floating point).

    Parameters
    ----------
    X : (n, d) ndarray of float64
        The matrix (not validated; use :func:`two_to_q_lower` for checked input).
    V : (d, k) or (d,) ndarray of float64
        Vectors v as columns; a 1-D V is one vector.  Need not be normalised.
    q : float
        Exponent q > 0 (q >= 2 for the 2->q norm).

    Returns
    -------
    (k,) ndarray of float64
        ||X v||_q / ||v||_2 for each column (shape (1,) for a 1-D V); 0 for a zero column.  Each
        column of X v is divided by its largest magnitude before the q-th powers are summed, so
        the value neither overflows nor underflows for entries near the float64 range limits.

    Examples
    --------
    >>> import numpy as np
    >>> q_norm_value(np.eye(2), np.array([[3.0, 0.0], [4.0, 0.0]]), 2)
    array([1., 0.])
    """
    V = np.atleast_2d(V.T).T if V.ndim == 1 else V
    XV = X @ V
    nv = np.linalg.norm(V, axis=0)
    nv[nv == 0] = np.inf
    amax = np.max(np.abs(XV), axis=0)
    amax[amax == 0] = 1.0
    return amax * np.sum((np.abs(XV) / amax) ** q, axis=0) ** (1.0 / q) / nv


def _unit_columns(V: NDArray[np.float64]) -> NDArray[np.float64]:
    """Columns scaled to unit 2-norm (zero columns stay zero).  Each column is first divided by
    its largest entry, so that its norm neither overflows (entries ~1e300: ||.|| = inf, the column
    would become 0) nor underflows (entries ~1e-300: ||.|| = 0, the step would be skipped)."""
    V = np.asarray(V, dtype=np.float64)
    amax = np.max(np.abs(V), axis=0) if V.size else np.zeros(V.shape[1:])
    amax = np.where(amax > 0, amax, 1.0)
    W = V / amax
    nw = np.linalg.norm(W, axis=0)
    nw[nw == 0] = 1.0
    return W / nw


def polish(X: NDArray[np.float64], V: NDArray[np.float64], q: float, *, maxiter: int = 1000,
           tol: float = 1e-15) -> tuple[NDArray[np.float64], NDArray[np.float64], int]:
    """Run the nonlinear power method on every column of V (d x k) until the values stall.

    Returns (V normalised, values ||X v||_q, iterations).  Each step is
    v <- X^T(|Xv|^(q-1) sign(Xv)) / ||.||, which never decreases ||Xv||_q for q >= 2 (the
    objective is convex; Boyd 1974).

    Parameters
    ----------
    X : (n, d) ndarray of float64
        The matrix (not validated; :func:`two_to_q_lower` checks its input and calls this).
    V : (d, k) ndarray of float64
        Starting vectors as columns (2-D; need not be normalised; zero columns stay zero).  Not
        modified: the iteration works on a normalised copy.
    q : float
        Exponent, q >= 2 (the monotonicity above needs it).
    maxiter : int, default 1000
        Maximum number of power-method steps (all columns step together).
    tol : float, default 1e-15
        Stop once the largest relative increase of a column's value in one step is at most
        ``tol`` (dimensionless).

    Returns
    -------
    V : (d, k) ndarray of float64
        The final vectors, unit 2-norm columns (zero columns stay zero).  A step that would lower
        a column's value is rejected, so each column keeps its best vector.
    values : (k,) ndarray of float64
        ||X v||_q for each column (as :func:`q_norm_value`).
    iterations : int
        Steps taken (0 when ``maxiter`` is 0).
    """
    V = _unit_columns(V)
    vals = q_norm_value(X, V, q)
    it = 0
    for it in range(1, maxiter + 1):
        XV = X @ V
        scale = np.max(np.abs(XV), axis=0)
        scale[scale == 0] = 1.0
        Z = XV / scale
        W = _unit_columns(X.T @ (np.abs(Z) ** (q - 1) * np.sign(Z)))
        good = np.any(W != 0, axis=0)
        Vn = V.copy()
        Vn[:, good] = W[:, good]
        new = q_norm_value(X, Vn, q)
        better = new >= vals
        V[:, better] = Vn[:, better]
        change = np.max(np.where(better, new - vals, 0.0) / np.maximum(new, np.finfo(float).tiny))
        vals = np.maximum(vals, new)
        if change <= tol:
            break
    return V, vals, it


@dataclasses.dataclass(frozen=True)
class TwoToQLowerResult(Result):
    """Best lower bound on ||X||_{2->q} from the nonlinear power method.

    ``lower`` is the NORM ||X v||_q at the unit ``maximiser`` v (a valid lower bound, numerical
    rigour; ``proofs_check.certify_two_to_q`` encloses it rigorously); ``lower_q`` its q-th power.
    """

    lower: float
    lower_q: float
    q: float
    maximiser: NDArray[np.float64]
    starts: int
    reached: int
    iterations: int
    elapsed_s: float
    status: Status
    reason: str
    rigour: Rigour

    def summary(self) -> str:
        return (f"lower bound ||X||_(2->{self.q:g}) >= {self.lower:.12g} "
                f"({self.reached}/{self.starts} starts reached it; {self.status.value})")


def two_to_q_lower(X: ArrayLike, q: float = 4, *, starts: int | ArrayLike = 64,
                   seed: int | None = None) -> TwoToQLowerResult:
    """Lower bound on ||X||_{2->q} by the nonlinear power method from many starts.

    Parameters
    ----------
    X : (n, d) array_like
        Real finite matrix; the norm is max over unit v of ||X v||_q.
    q : float, default 4
        Exponent, q >= 2 (q = 2 gives the spectral norm).
    starts : int or (k, d) array_like, default 64
        Number of random Gaussian starts (int), or explicit starting vectors (rows; e.g. the
        roundings of the spectral and SoS solutions).  The normalised rows of X (up to 4d of the
        longest) and the top right singular vector are always added.
    seed : int, optional
        Seed of the random starts.

    Returns
    -------
    TwoToQLowerResult
        ``lower`` (the norm lower bound), ``lower_q`` (its q-th power), ``maximiser`` (unit v),
        ``reached`` (how many starts ended within 1e-9 relative of the best).

    Raises
    ------
    InputValueError
        Non-finite or empty X, q < 2, starts of the wrong shape.

    Notes
    -----
    Each iteration costs O(n d k) for k starts; the iteration is monotone (Boyd 1974) and
    converges to a critical point, so ``lower`` is a genuine lower bound (up to rounding in the
    evaluation of ||X v||_q, relative error about (n + d) u).

    References
    ----------
    D. W. Boyd, "The power method for l^p norms", Linear Algebra Appl. 9 (1974) 95-101,
    doi:10.1016/0024-3795(74)90029-9.
    N. J. Higham, "Estimating the matrix p-norm", Numer. Math. 62 (1992) 539-555,
    doi:10.1007/BF01396242.

    Examples
    --------
    >>> import numpy as np
    >>> r = two_to_q_lower(np.eye(3), seed=0)
    >>> round(r.lower, 12), r.ok
    (1.0, True)
    """
    func = "two_to_q_lower"
    X = _prepare(X, func)
    q = _check_q(q, func)
    d = X.shape[1]
    if isinstance(starts, (int, np.integer)) and not isinstance(starts, bool):
        starts = check_int(starts, "starts", func=func, minimum=0)
    else:
        S = np.asarray(starts, dtype=np.float64)
        if S.ndim == 1:
            S = S.reshape(1, -1)
        if S.ndim != 2 or S.shape[1] != d or not np.isfinite(S).all():
            raise InputValueError(
                f"{func}: 'starts' must be an int or a finite (k, {d}) array of starting vectors, "
                f"got shape {S.shape}")
        starts = S
    return _lower_body(X, q, starts, seed)


def _lower_body(X: NDArray[np.float64], q: float, starts: int | NDArray[np.float64],
                seed: int | None) -> TwoToQLowerResult:
    """Unchecked body of :func:`two_to_q_lower` (validated X, q; starts an int or (k, d) array)."""
    n, d = X.shape
    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    cols = []
    if isinstance(starts, int):
        cols.append(rng.standard_normal((d, starts)))
    else:
        cols.append(np.asarray(starts, dtype=np.float64).T)
    rn = np.max(np.abs(X), axis=1)  # row size for ordering (no overflow for huge entries)
    order = np.argsort(-rn)[: 4 * d]
    order = order[rn[order] > 0]
    cols.append(X[order].T)
    if n and d:
        _, _, vt = np.linalg.svd(X, full_matrices=False)
        cols.append(vt[:1].T)
    V = np.concatenate(cols, axis=1)
    V = V[:, np.any(V != 0, axis=0)]  # (a norm test would drop tiny columns: underflow)
    if V.shape[1] == 0 or not np.any(X):
        v = np.zeros(d)
        v[0] = 1.0
        return TwoToQLowerResult(lower=0.0, lower_q=0.0, q=q, maximiser=v, starts=max(V.shape[1], 1),
                                 reached=max(V.shape[1], 1), iterations=0, rigour=Rigour.NUMERICAL,
                                 elapsed_s=time.perf_counter() - t0, status=Status.OK,
                                 reason="X is the zero matrix: the norm is 0")
    V, vals, it = polish(X, V, q)
    best = int(np.argmax(vals))
    value = float(vals[best])
    reached = int(np.sum(vals >= value * (1 - 1e-9)))
    v = V[:, best]
    v = v * np.sign(v[np.argmax(np.abs(v))])
    return TwoToQLowerResult(
        lower=value, lower_q=fpow(value, q), q=q, maximiser=v, starts=int(V.shape[1]), reached=reached,
        iterations=it, elapsed_s=time.perf_counter() - t0, status=Status.OK, rigour=Rigour.NUMERICAL,
        reason=f"best of {V.shape[1]} power-method runs; {reached} reached it")


@dataclasses.dataclass(frozen=True)
class TwoToQSpectralResult(Result):
    """Spectral relaxation of ||X||_{2->q} for even q = 2k (NORM units; ``upper_q`` = q-th power).

    ``upper`` is lambda_max(Q_k)^(1/q), Q_k = sum_i m(x_i) m(x_i)^T on the symmetric subspace of
    degree-k monomials (equal to lambda_max of the k-th Hadamard power of X X^T), capped by
    ||X||_2.  ``rounded`` is ||X v||_q at the unit ``maximiser`` v rounded from the top
    eigenvector (a lower bound).  ``spectral_norm`` is ||X||_2.
    """

    upper: float
    upper_q: float
    rounded: float
    maximiser: NDArray[np.float64]
    spectral_norm: float
    q: float
    elapsed_s: float
    status: Status
    reason: str
    rigour: Rigour

    def summary(self) -> str:
        return "\n".join([
            f"spectral relaxation (q = {self.q:g}): ||X||_(2->{self.q:g}) <= {self.upper:.12g}",
            f"  rounded feasible point gives >= {self.rounded:.12g}",
        ])


def spectral_applies(q: float) -> str:
    """'' when the spectral relaxation exists for q (even integer q >= 4), else why not.

    Parameters
    ----------
    q : float
        The exponent of ||X||_{2->q}.

    Returns
    -------
    str
        The empty string when q is an even integer >= 4; otherwise a sentence saying why the
        relaxation does not apply and which bounds to use instead (the text
        :func:`two_to_q_spectral` raises with).

    Examples
    --------
    >>> spectral_applies(6) == ""
    True
    >>> spectral_applies(3)[:26]
    'the spectral relaxation la'
    """
    if q >= 4 and float(q).is_integer() and int(q) % 2 == 0:
        return ""
    return (f"the spectral relaxation lambda_max((X X^T)^(o q/2))^(1/q) needs an even integer q >= 4; "
            f"got q = {q:g} (use the 'interpolation' or 'two-norm' bounds)")


def two_to_q_spectral(X: ArrayLike, q: float = 4) -> TwoToQSpectralResult:
    """Spectral relaxation of ||X||_{2->q} for even q = 2k >= 4.

    Parameters
    ----------
    X : (n, d) array_like
        Real finite matrix.
    q : int, default 4
        Even exponent q >= 4.

    Returns
    -------
    TwoToQSpectralResult

    Raises
    ------
    InputValueError
        Non-finite or empty X, q not an even integer >= 4.

    Notes
    -----
    ||Xv||_q^q = sum_i (m(x_i) . m(v))^2 = m(v)^T Q_k m(v) with ||m(v)|| = ||v||^k, so
    ||X||_{2->q}^q <= lambda_max(Q_k), Q_k = M^T M (M the n x D matrix of m(x_i),
    D = C(d+k-1, k)); the eigenproblem is solved on the smaller of M^T M (D x D) and
    M M^T = (X X^T)^(o k) (n x n, Hadamard power), O(min(n, D)^3).  By Schur's product theorem
    lambda_max(G^(o k)) <= (max_i G_ii)^(k-1) lambda_max(G) the result never exceeds ||X||_2.
    For q = 4 it approximates the norm within a factor d^(1/4) (Barak et al. 2012; Hopkins and
    Tiegel call it the spectral baseline).  The top eigenvector is rounded to a unit v.

    Approximation factor for every even q = 2k: ``upper <= d^(1/2 - 1/q) ||X||_{2->q}``.  Let Y be
    the n x d^k matrix with rows ``x_i^(x)k``, so ``lambda_max(G^(o k)) = ||Y||_2^2 = max ||Y w||_2^2``
    over unit ``w`` in ``(R^d)^(x)k``.  For a rank-one ``w = a_1 (x) ... (x) a_k``,
    ``(Y w)_i = prod_l (x_i . a_l)`` and Hoelder's inequality with k exponents 2k gives
    ``||Y w||_2 <= prod_l ||X a_l||_{2k} <= ||X||_{2->q}^k prod_l ||a_l||``; by the triangle
    inequality ``||Y w||_2 <= ||X||_{2->q}^k ||w||_*`` (the tensor nuclear norm).  Flattening w to a
    d x d^(k-1) matrix and recursing gives ``||w||_* <= d^((k-1)/2) ||w||_F``.  Hence
    ``lambda_max <= d^(k-1) ||X||_{2->q}^(2k)`` and ``upper = lambda_max^(1/(2k)) <= d^(1/2 - 1/q)
    ||X||_{2->q}`` (q = 4: d^(1/4)).  The degree-q SoS bound is never above this one:
    ``lambda_max ||v||^(2k) - ||X v||_q^q = m(v)^T (lambda_max I - Q_k) m(v)`` is a sum of squares.

    References
    ----------
    B. Barak, F. Brandao, A. Harrow, J. Kelner, D. Steurer, Y. Zhou, "Hypercontractivity,
    sum-of-squares proofs, and their applications", STOC 2012, arXiv:1205.4484.

    Examples
    --------
    >>> import numpy as np
    >>> r = two_to_q_spectral(np.eye(4))
    >>> round(r.upper, 12), round(r.rounded, 12)
    (1.0, 1.0)
    """
    func = "two_to_q_spectral"
    X = _prepare(X, func)
    q = _check_q(q, func)
    why = spectral_applies(q)
    if why:
        raise InputValueError(f"{func}: {why}")
    return _spectral_body(X, int(q))


def _spectral_body(X: NDArray[np.float64], q: int) -> TwoToQSpectralResult:
    """Unchecked body of :func:`two_to_q_spectral` (X validated, q even >= 4)."""
    n, d = X.shape
    t0 = time.perf_counter()
    s2 = float(np.linalg.norm(X, 2)) if X.size else 0.0
    if s2 == 0.0:
        v = np.zeros(d)
        v[0] = 1.0
        return TwoToQSpectralResult(upper=0.0, upper_q=0.0, rounded=0.0, maximiser=v, spectral_norm=0.0,
                                    q=q, elapsed_s=time.perf_counter() - t0, status=Status.OK,
                                    reason="X is the zero matrix: every bound is 0", rigour=Rigour.NUMERICAL)
    k = q // 2
    B = form_basis(d, k)
    e2 = math.frexp(float(np.max(np.abs(X))))[1]
    Xs = np.ldexp(X, -e2)  # exact power-of-two scaling against over/underflow
    M = B.ortho_vectors(Xs)  # n x D
    if n <= B.D:
        G = Xs @ Xs.T
        ev, Z = np.linalg.eigh(G ** k)
        lam = float(ev[-1])
        w = M.T @ Z[:, -1]
    else:
        ev, W = np.linalg.eigh(M.T @ M)
        lam = float(ev[-1])
        w = W[:, -1]
    v = B.to_vector(w)
    if not np.any(v) or not np.all(np.isfinite(v)):
        v = np.linalg.svd(X, full_matrices=False)[2][0]
    v = v / np.linalg.norm(v)
    rounded = float(q_norm_value(X, v[:, None], q)[0])
    upper = min(fldexp(max(lam, 0.0) ** (1.0 / q), e2), s2)
    return TwoToQSpectralResult(
        upper=upper, upper_q=fpow(upper, q), rounded=rounded, maximiser=v, spectral_norm=s2, q=q,
        elapsed_s=time.perf_counter() - t0, status=Status.OK, rigour=Rigour.NUMERICAL,
        reason=f"lambda_max of the Hadamard power (X X^T)^(o {k}) on the symmetric subspace")
