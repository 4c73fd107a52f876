"""Norms and leading singular triplets for the experiment, through the library's spectral tools.

* :func:`operator_norm` is :func:`linalg_lab.spectral_norm` (Lanczos with a deterministic bracket)
  for matrices with more than 64 columns and rows, LAPACK's SVD below that.
* :func:`warm_norm_estimate` is the per-epoch ``||W_t||_2`` (and ``||E_t||_2``) of training: Lanczos
  bidiagonalisation started from the previous epoch's vector.  Its first start and every bracket come
  from :func:`linalg_lab.spectral_norm`; it exists only because ``spectral_norm`` takes no start
  vector (a cold start costs ~60 Lanczos steps and a Gram certificate every epoch, which would
  double the paper-size run), and it claims no bound: an estimate with a Ritz residual.
* :func:`top_singular_triplets` is block subspace iteration with a Rayleigh–Ritz step (the method
  of ``linalg_lab.svd``'s "subspace-iteration", Halko, Martinsson, Tropp 2011) that accepts a start
  block: training carries the previous epoch's right singular vectors over, so consecutive, slowly
  changing gradients need one or two sweeps (a cold start needs tens).  The warm start is what makes
  the per-epoch diagnostics cheap, which is why this is a function of its own.

References
----------
.. [1] N. Halko, P.-G. Martinsson, J. A. Tropp, "Finding structure with randomness", SIAM Review
   53(2) (2011) 217–288, doi:10.1137/090771806.
"""
from __future__ import annotations

import dataclasses
import math
import time

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..._results import Result, Rigour, Status, field_nojson
from ..._validation import InputValueError, as_matrix, check_int, check_real
from ...spectral import SpectralNormResult, spectral_norm

__all__ = ["TopTriplets", "top_singular_triplets", "NormEstimate", "warm_norm_estimate", "operator_norm",
           "norm_bracket"]


@dataclasses.dataclass(frozen=True)
class TopTriplets(Result):
    """Leading singular triplets of a matrix from a (warm-started) block subspace iteration.

    Attributes
    ----------
    s : (k,) ndarray
        Ritz values, descending: ``s[0]`` meets ``rtol`` (see ``residual``); the others are Ritz
        values of the block, which are lower bounds of ``sigma_i`` (interlacing).
    residual : float
        ``||A^T u_1 - s_1 v_1|| / s_1`` of the leading triplet.
    sweeps : int
        Subspace-iteration sweeps taken (0: the start block was already accurate enough).
    elapsed_s : float
    U : (m, k) ndarray, V : (n, k) ndarray
        Left and right Ritz vectors (not in to_dict()).
    block : (n, p) ndarray
        The whole orthonormal block (``p = k + oversample``): pass it as ``start`` next time.
    """

    s: NDArray[np.float64]
    residual: float
    sweeps: int
    rtol: float
    elapsed_s: float
    rigour: Rigour
    status: Status
    reason: str
    U: NDArray[np.float64] = field_nojson(repr=False, default=None)
    V: NDArray[np.float64] = field_nojson(repr=False, default=None)
    block: NDArray[np.float64] = field_nojson(repr=False, default=None)


def top_singular_triplets(
    A: ArrayLike, k: int, *, start: ArrayLike | None = None, oversample: int = 5, rtol: float = 1e-6,
    max_sweeps: int = 30, seed: int = 0,
) -> TopTriplets:
    """The ``k`` leading singular triplets of ``A`` by block subspace iteration, optionally warm-started.

    Parameters
    ----------
    A : (m, n) array_like
    k : int
        Number of triplets (``1 <= k <= min(m, n)``).
    start : (n, p) array_like, optional
        Start block (orthonormalised here), e.g. the ``block`` of the previous call on a nearby
        matrix.  Default: a Gaussian block of ``p = min(n, k + oversample)`` columns from ``seed``.
    oversample : int
        Extra columns of the default start block (they speed up convergence of the k-th value).
    rtol : float
        Target residual ``||A^T u_1 - s_1 v_1|| / s_1`` of the leading triplet, in (0, 1).
    max_sweeps : int
        Sweep limit; the status is NOT_CONVERGED when it is reached above ``rtol``.
    seed : int

    Returns
    -------
    TopTriplets

    Notes
    -----
    Each sweep costs one product with A and one with A^T on an (n, p) block, two thin QRs and an
    SVD of a p x p matrix.  The leading Ritz value converges like ``(sigma_{p+1}/sigma_1)^2`` per
    sweep; the residual test is checked before each sweep.

    Examples
    --------
    >>> A = np.diag([3.0, 2.0, 1.0, 0.5]) @ np.eye(4)
    >>> t = top_singular_triplets(A, 2, rtol=1e-12, max_sweeps=100)
    >>> t.ok, np.round(t.s, 10).tolist()
    (True, [3.0, 2.0])
    >>> t2 = top_singular_triplets(A, 2, start=t.block, rtol=1e-12)   # warm start: no sweep needed
    >>> t2.sweeps
    0
    """
    func = "top_singular_triplets"
    A = as_matrix(A, "A", func=func, keep_dtype=False)
    m, n = A.shape
    k = check_int(k, "k", func=func, minimum=1, maximum=min(m, n))
    oversample = check_int(oversample, "oversample", func=func, minimum=0)
    rtol = check_real(rtol, "rtol", func=func, lo=0.0, hi=1.0, lo_open=True, hi_open=True)
    max_sweeps = check_int(max_sweeps, "max_sweeps", func=func, minimum=0)
    seed = check_int(seed, "seed", func=func, minimum=0)
    if start is None:
        from .data import rng

        V0 = rng(seed, 5).standard_normal((n, min(n, k + oversample)))
    else:
        V0 = as_matrix(start, "start", func=func, keep_dtype=False)
        if V0.shape[0] != n or not k <= V0.shape[1] <= n:
            raise InputValueError(f"{func}: 'start' must have shape ({n}, p) with {k} <= p <= {n}, got {V0.shape}")
    return top_triplets_body(A, k, np.linalg.qr(V0)[0], rtol, max_sweeps)


def top_triplets_body(A: NDArray, k: int, V: NDArray, rtol: float, max_sweeps: int) -> TopTriplets:
    """Unchecked :func:`top_singular_triplets` (``V`` an orthonormal (n, p) start block)."""
    t0 = time.perf_counter()
    res = math.inf
    sweeps = 0
    while True:
        Qy, R = np.linalg.qr(A @ V)
        Ur, s, Wt = np.linalg.svd(R)  # Rayleigh–Ritz on span(V): A V = (Qy Ur) diag(s) Wt
        Ub = Qy @ Ur
        V = V @ Wt.T
        u1, s1 = Ub[:, 0], s[0]
        if s1 == 0:
            res = 0.0
            break
        res = float(np.linalg.norm(A.T @ u1 - s1 * V[:, 0]) / s1)
        if res <= rtol or sweeps >= max_sweeps:
            break
        V = np.linalg.qr(A.T @ Ub)[0]  # one subspace-iteration sweep
        sweeps += 1
    ok = res <= rtol
    return TopTriplets(
        s=s[:k], residual=res, sweeps=sweeps, rtol=rtol, elapsed_s=time.perf_counter() - t0,
        rigour=Rigour.NUMERICAL, status=Status.OK if ok else Status.NOT_CONVERGED,
        reason=(f"leading residual {res:.2e} <= rtol {rtol:.1e} after {sweeps} sweeps" if ok else
                f"leading residual {res:.2e} > rtol {rtol:.1e} after {sweeps} sweeps: sigma_1 is close to "
                "sigma_(p+1); raise max_sweeps or oversample"),
        U=Ub[:, :k], V=V[:, :k], block=V)


def norm_bracket(A: NDArray, *, rtol: float = 1e-8, seed: int = 0) -> SpectralNormResult:
    """:func:`linalg_lab.spectral_norm` of a validated float64 matrix with a deterministic bracket."""
    return spectral_norm(A, rtol=rtol, seed=seed, bound="deterministic")


def operator_norm(T: NDArray, *, rtol: float = 1e-8) -> float:
    """``||T||_2`` of a validated float64 matrix: LAPACK below 65 rows or columns, else the estimate of
    :func:`linalg_lab.spectral_norm` (relative accuracy ``rtol``); 0 for a zero matrix.

    Parameters
    ----------
    T : (p, q) ndarray
        A finite float64 matrix, already validated (not checked here).
    rtol : float, default 1e-8
        Keyword-only: the relative accuracy asked of the estimate when ``min(p, q) > 64``
        (unused below, where LAPACK's SVD gives the norm to rounding accuracy).

    Returns
    -------
    float
        ``||T||_2`` in the units of ``T``'s entries (numerical: LAPACK's value, or the Lanczos
        bracket's estimate).

    Examples
    --------
    >>> operator_norm(np.diag([3.0, -4.0]))
    4.0
    """
    if not np.any(T):
        return 0.0
    if min(T.shape) <= 64:
        return float(np.linalg.norm(T, 2))
    return float(norm_bracket(T, rtol=rtol).estimate)


@dataclasses.dataclass(frozen=True)
class NormEstimate(Result):
    """An estimate of ``||A||_2`` (largest Ritz value; a lower bound up to rounding), no upper bound.

    Attributes
    ----------
    estimate : float
    residual : float
        ``||A^T u - estimate v|| / estimate`` of the final Ritz pair.
    iterations : int
    elapsed_s : float
    v : (n,) ndarray
        Right Ritz vector (not in to_dict()): pass it as ``start`` next time.
    """

    estimate: float
    residual: float
    iterations: int
    elapsed_s: float
    rigour: Rigour
    status: Status
    reason: str
    v: NDArray[np.float64] = field_nojson(repr=False, default=None)


def warm_norm_estimate(A: ArrayLike, *, start: ArrayLike | None = None, rtol: float = 1e-8,
                       maxiter: int = 300, seed: int = 0) -> NormEstimate:
    """Estimate ``||A||_2`` by Golub–Kahan–Lanczos with full reorthogonalisation from a given start.

    Parameters
    ----------
    A : (m, n) array_like
    start : (n,) array_like, optional
        Start vector (e.g. the ``v`` of the previous call on a nearby matrix, or the ``v`` of
        :func:`linalg_lab.spectral_norm`); default Gaussian from ``seed``.
    rtol : float
        Stop when the Ritz residual is below ``rtol * estimate`` or the largest Ritz value moved by
        less than ``rtol`` (relative) over the last four steps.
    maxiter : int
    seed : int

    Returns
    -------
    NormEstimate
        NOT_CONVERGED when ``maxiter`` steps did not meet ``rtol``.  For a bracket use
        :func:`linalg_lab.spectral_norm`.

    Examples
    --------
    >>> A = np.diag([3.0, 1.0, 0.5])
    >>> e = warm_norm_estimate(A, rtol=1e-12)
    >>> e.ok, round(e.estimate, 12)
    (True, 3.0)
    """
    func = "warm_norm_estimate"
    A = as_matrix(A, "A", func=func, keep_dtype=False)
    rtol = check_real(rtol, "rtol", func=func, lo=0.0, hi=1.0, lo_open=True, hi_open=True)
    maxiter = check_int(maxiter, "maxiter", func=func, minimum=1)
    if start is None:
        from .data import rng

        v = rng(check_int(seed, "seed", func=func, minimum=0), 6).standard_normal(A.shape[1])
    else:
        from ..._validation import as_vector

        v = as_vector(start, "start", func=func, keep_dtype=False)
        if v.shape != (A.shape[1],) or not np.any(v):
            raise InputValueError(f"{func}: 'start' must be a non-zero vector of length {A.shape[1]}, got {v.shape}")
    return warm_norm_body(A, v, rtol, maxiter)


def warm_norm_body(A: NDArray, v: NDArray, rtol: float, maxiter: int) -> NormEstimate:
    """Unchecked :func:`warm_norm_estimate` (``v`` a non-zero start vector)."""
    t0 = time.perf_counter()
    m, d = A.shape
    kmax = min(maxiter, m, d)
    V = np.zeros((d, kmax + 1))
    U = np.zeros((m, kmax))
    alpha = np.zeros(kmax)
    beta = np.zeros(kmax)
    V[:, 0] = v / np.linalg.norm(v)
    u_prev = np.zeros(m)
    b, sigma, res, vout, k = 0.0, 0.0, math.inf, V[:, 0].copy(), 0
    converged = False
    for k in range(kmax):
        u = A @ V[:, k] - b * u_prev
        u -= U[:, :k] @ (U[:, :k].T @ u)
        a_k = float(np.linalg.norm(u))
        if a_k == 0.0:
            converged = True
            break
        u /= a_k
        U[:, k] = u
        alpha[k] = a_k
        w = A.T @ u - a_k * V[:, k]
        w -= V[:, : k + 1] @ (V[:, : k + 1].T @ w)
        b = float(np.linalg.norm(w))
        beta[k] = b
        u_prev = u
        if b > 0:
            V[:, k + 1] = w / b
        if k % 4 == 3 or b == 0.0 or k == kmax - 1:
            B = np.diag(alpha[: k + 1]) + np.diag(beta[:k], 1)
            P, s, Qt = np.linalg.svd(B)
            prev, sigma = sigma, float(s[0])
            res = b * abs(P[k, 0]) / sigma if sigma > 0 else 0.0  # ||A^T u - sigma v|| / sigma
            vout = V[:, : k + 1] @ Qt[0]
            # Ritz values increase monotonically to sigma_1; stop when the residual is small or the
            # value has settled to rtol (its error is then about res^2 / gap).
            if b == 0.0 or res <= rtol or sigma - prev <= rtol * sigma:
                converged = True
                break
    return NormEstimate(
        estimate=sigma, residual=res, iterations=k + 1, elapsed_s=time.perf_counter() - t0,
        rigour=Rigour.NUMERICAL, status=Status.OK if converged else Status.NOT_CONVERGED,
        reason=(f"Ritz value settled (residual {res:.1e}) after {k + 1} steps" if converged else
                f"no convergence to rtol {rtol:.1e} in {kmax} steps (residual {res:.1e})"),
        v=vout)
