"""The unproved estimates that place the shifts of :mod:`linalg_lab.spectral_sparse`'s inertia search.

Nothing here is proved: these numbers only decide where the next factorisation is tried (a plain
Lanczos estimate of the extreme eigenvalue before any factorisation, shift-invert Lanczos with a
trial factor after one).  The bounds the search returns rest on the factorisations' certificates
(:mod:`linalg_lab.spectral_sparse`) and on attained lower bounds, which the caller computes with
every rounding covered.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import scipy.linalg
import scipy.sparse as sp
from numpy.typing import NDArray

from ._sparse_ldlt import U as _U

__all__ = ["ESTIMATE_RTOL", "ESTIMATE_MAX_STEPS", "krylov_estimate", "shift_invert_lower"]

#: :func:`krylov_estimate` stops once its extrapolated relative error is below this, or after
#: ``ESTIMATE_MAX_STEPS`` products.  A step costs one product with ``a`` (about a tenth of a solve
#: with a factor of the 2-D Laplacian); shift-invert Lanczos from a shift ``delta`` above ``sigma_1``
#: needs about 50, 36, 19 and 13 solves for ``delta`` = 1e-3, 3e-4, 1e-4 and 3e-5 to reach 5e-9
#: (the 1000 x 1000 grid, simulated in its eigenbasis), so 1e-4 is where one more product stops
#: paying for itself there.
ESTIMATE_RTOL = 1e-4
ESTIMATE_MAX_STEPS = 400


def krylov_estimate(a: sp.spmatrix, v: NDArray, *, symmetric: bool, rtol: float = ESTIMATE_RTOL,
                     max_steps: int = ESTIMATE_MAX_STEPS) -> tuple[float, float, float]:
    """Extreme-eigenvalue estimates by plain Lanczos (three-term recurrence, no reorthogonalisation).

    On ``a`` itself when ``symmetric`` (both ends: returns ``(lambda_max, lambda_min, err)``), else on
    ``a^T a`` (returns ``(sigma_1, -sigma_1, err)`` from the top Ritz value).  Without
    reorthogonalisation a step costs one product and a few vector updates, and the extreme Ritz
    values stay accurate estimates (converged ones reappear as copies, which do not matter here;
    Paige 1980, doi:10.1016/0024-3795(80)90167-6).  ``err``: the estimated relative error of the
    larger end, extrapolated from its growth over the last quarter of the steps (for an extreme
    eigenvalue at the edge of a continuous spectrum the error decays like ``k^-2``, so the growth
    from ``3k/4`` to ``k`` steps is 0.78 times the remaining error; geometric convergence makes the
    growth an overestimate).  A heuristic: nothing is proved from it.
    """
    n = v.size
    matvec = (lambda x: a @ x) if symmetric else (lambda x: a.T @ (a @ x))
    q = v / np.linalg.norm(v)
    q_prev = np.zeros(n)
    al: list[float] = []
    be: list[float] = []
    b = 0.0
    hist: dict[int, tuple[float, float]] = {}
    top = bottom = 0.0
    err = math.inf
    for k in range(1, min(max_steps, n) + 1):
        w = np.asarray(matvec(q), dtype=np.float64).ravel()
        alpha = float(q @ w)
        w -= alpha * q
        w -= b * q_prev
        b = float(np.linalg.norm(w))
        al.append(alpha)
        be.append(b)
        last = k == min(max_steps, n) or b <= 16 * _U * max(abs(alpha), abs(top), 1e-300)
        if k % 5 == 0 or last:
            ev = scipy.linalg.eigvalsh_tridiagonal(np.array(al), np.array(be[:-1]), select="i",
                                                   select_range=(0, k - 1)) if k <= 8 else \
                np.concatenate([scipy.linalg.eigvalsh_tridiagonal(np.array(al), np.array(be[:-1]), select="i",
                                                                  select_range=(i, i)) for i in (0, k - 1)])
            bottom, top = float(ev[0]), float(ev[-1])
            hist[k] = (top, bottom)
            big = max(abs(top), abs(bottom)) if symmetric else abs(top)
            if k >= 40 and k % 20 == 0 and big > 0:
                t0, b0 = hist[3 * k // 4]
                growth = (top - t0) if (not symmetric or abs(top) >= abs(bottom)) else (b0 - bottom)
                err = 1.3 * max(growth, 0.0) / big
                if err <= rtol:
                    break
        if last:
            # a full Krylov space (k = n) or an invariant one: the Ritz values are eigenvalues
            if k == n or b <= 16 * _U * max(abs(alpha), abs(top), 1e-300):
                err = 0.0
            break
        q_prev, q = q, w / b
    if not symmetric:
        s1 = math.sqrt(max(top, 0.0))
        return s1, -s1, (err / 2 if math.isfinite(err) else 0.5)  # relative error of sigma: half that of sigma^2
    return top, bottom, (err if math.isfinite(err) else 0.5)


def shift_invert_lower(prob: Any, side: int, v: NDArray, lower: float, rtol: float, attained_lower: Any,
                        max_solves: int, estimate: float = 0.0,
                        random_start: bool = False) -> tuple[float, NDArray, float, float, bool, int]:
    """Lanczos on ``M^{-1}`` for the factorised ``M = K(tau)`` (or ``side`` of ``tau I -+ a``).

    ``prob`` is a :class:`linalg_lab.spectral_sparse._Problem` holding a successful factorisation of
    ``side`` (its ``solve``, ``shift``, ``form``, ``a``, ``m`` and ``size`` are used).

    The top eigenvalue of ``M^{-1}`` is ``1 / (tau - sigma_1)``: a Ritz value ``theta`` gives the
    estimate ``tau - 1/theta <= sigma_1`` (exact arithmetic) and its Ritz vector a candidate for the
    attained lower bound.  ``estimate``: the best (unproved) estimate of ``sigma_1`` so far, which
    sets the accuracy wanted from the Ritz value; ``random_start``: Lanczos starts from a fixed
    random vector instead of ``v`` (which still competes for the lower bound).  Returns (lower, v,
    estimate, residual bound on the estimate's error, whether Lanczos met its accuracy target, solves).
    """
    from .spectral import _lanczos_sym

    if not prob.ready[side]:
        return lower, v, lower, math.inf, False, 0
    tau = prob.shift[side]
    if random_start:
        x = np.random.default_rng(1).standard_normal(prob.size)
        x /= np.linalg.norm(x)
    elif prob.form == "symmetric":
        x = v / np.linalg.norm(v)
    else:
        av = np.asarray(prob.a @ v).ravel()
        u = av / max(float(np.linalg.norm(av)), 1e-300)
        x = np.concatenate([u, -v / np.linalg.norm(v)]) / math.sqrt(2.0)  # K(tau) [u; -v] = (tau - sigma) [u; -v]
    # accuracy wanted in theta for sigma_1 to about rtol/8: d sigma = d theta / theta^2, with
    # theta ~ 1 / (tau - sigma_1) estimated from the best estimate (a proved lower bound far below
    # sigma_1 would ask for needless accuracy: 28 solves instead of 26 on the 10^6 2-D Laplacian)
    gap0 = max(tau - max(lower, estimate, 1e-300), 1e-300)
    rtol_si = min(0.5, rtol * lower / gap0)
    est = _lanczos_sym(lambda y: prob.solve(side, y), x.size, x, max_solves - 1, rtol_si, stop="gap")
    # one more solve: a Rayleigh quotient, its residual (|theta - mu| <= r for some eigenvalue mu) and
    # one more inverse-iteration step for the vector
    x = est["v"] / np.linalg.norm(est["v"])
    y = prob.solve(side, x)
    theta = float(x @ y)
    r = float(np.linalg.norm(y - theta * x))
    y = y / np.linalg.norm(y)
    solves = est["iterations"] + 1
    sig_est = tau - 1.0 / theta if theta > 0 else lower
    err = r / (theta * theta) if theta > 0 else math.inf
    best_l, best_v = lower, v
    for cand in (x, y):
        c = cand if prob.form == "symmetric" else cand[prob.m:]
        if not np.any(c):
            continue
        lw, _ = attained_lower(c)
        if lw > best_l:
            best_l, best_v = lw, c
    return best_l, best_v, sig_est, err, bool(est["converged"]), solves
