"""Brute-force global minimisation of the cubic model, the yardstick for the solver comparison.

Independent of the secular equation: the model is minimised by a local second-order method
(scipy's ``trust-exact``) from many starting points, in the coordinates ``y_i = d_i eta_i``
(``d_i > 0``) and ``y_i = eta_i`` (``d_i = 0``) where the cubic term is isotropic; the best value
found is the reference.  Boundedness is decided directly: the model is bounded below iff the groups
with ``d_i = 0`` carry a positive definite block of ``H`` (for the generic matrices of the test
set, where ``H_NN`` is never singular).
"""
from __future__ import annotations

import dataclasses

import numpy as np
from numpy.typing import NDArray
from scipy.linalg import eigh as _eigh  # LAPACK evr; numpy's eigh is far slower with threads
from scipy.optimize import minimize

from ..tolerance import gamma

__all__ = ["BruteForceMinimum", "brute_force_minimum", "model_bounded_below", "model_value_error"]


@dataclasses.dataclass(frozen=True)
class BruteForceMinimum:
    """Best point found by multistart local minimisation (``value`` = model value there)."""

    eta: NDArray[np.float64]
    value: float
    starts: int


def model_bounded_below(H: NDArray, d: NDArray) -> bool:
    """True iff ``m`` is bounded below: no ``d_i = 0``, or ``H_NN`` positive definite.

    Parameters
    ----------
    H : (S, S) ndarray
        The symmetric summary ``H̄`` (float64, not validated).
    d : (S,) ndarray
        Cubic-term scales ``>= 0``; ``N`` is the set of groups with ``d_i = 0`` exactly.

    Returns
    -------
    bool
        Whether the cubic model is bounded below, decided from the sign of the smallest
        eigenvalue of ``H_NN`` computed in float64 (numerical; a singular ``H_NN`` counts as
        unbounded).

    Examples
    --------
    >>> import numpy as np
    >>> model_bounded_below(np.diag([1.0, -1.0]), np.array([0.0, 1.0]))
    True
    """
    N = d == 0
    if not N.any():
        return True
    return bool(np.linalg.eigvalsh(H[np.ix_(N, N)])[0] > 0)


def model_value_error(H: NDArray, g: NDArray, d: NDArray, lam: float, eta: NDArray) -> float:
    """A bound on the float64 rounding error of ``cubic_model_value`` at ``eta``.

    Each of the three terms is a sum of at most ``S^2 + 2`` products, so the error is at most
    ``γ_{S^2+S+8}`` times the sum of the absolute terms (Higham, Accuracy and Stability, §3.1).

    Parameters
    ----------
    H : (S, S) ndarray
        The summary ``H̄``: symmetric float64 matrix of second derivatives along the direction,
        one row per group.
    g : (S,) ndarray
        The summary ``ḡ``: per-group first derivatives.
    d : (S,) ndarray
        Cubic-term scales ``d = |order3|**(1/3) >= 0`` (``D = diag(d)``).
    lam : float
        The cubic regularisation weight (``damping_int``), ``> 0``.
    eta : (S,) ndarray
        The point at which :func:`cubic_model_value` was evaluated.

    Returns
    -------
    float
        An a-priori bound on ``|computed m(eta) - exact m(eta)|``, in the loss's units (itself
        evaluated in float64, so a bound up to a relative ``O(u)`` of its own).
    """
    S = g.shape[0]
    a = np.abs(eta)
    absterms = float(np.abs(g) @ a + 0.5 * a @ (np.abs(H) @ a) + lam / 6 * np.linalg.norm(d * eta) ** 3)
    return gamma(S * S + S + 8) * absterms


def brute_force_minimum(H: NDArray, g: NDArray, d: NDArray, lam: float, *,
                        candidates: list[NDArray] = (), n_random: int = 4,
                        rng: np.random.Generator | None = None) -> BruteForceMinimum:
    """Multistart ``trust-exact`` minimisation of the cubic model (see the module docstring).

    Starts: 0, each of ``candidates`` (e.g. the solvers' answers, so a non-minimiser is caught by
    local descent), ± each eigenvector of the scaled ``H`` scaled to the model's natural radius, and
    ``n_random`` Gaussian points.

    Parameters
    ----------
    H : (S, S) ndarray
        The summary ``H̄``: symmetric float64 matrix of second derivatives along the direction,
        one row per group.
    g : (S,) ndarray
        The summary ``ḡ``: per-group first derivatives.
    d : (S,) ndarray
        Cubic-term scales ``d = |order3|**(1/3) >= 0`` (``D = diag(d)``).
    lam : float
        The cubic regularisation weight (``damping_int``), ``> 0``.
    candidates : sequence of (S,) ndarray, default ()
        Keyword-only: extra starting points (non-finite ones are skipped).
    n_random : int, default 4
        Keyword-only: the number of random Gaussian starts.
    rng : numpy.random.Generator, optional
        Keyword-only: the source of the random starts (default ``default_rng(0)``).

    Returns
    -------
    BruteForceMinimum
        ``eta`` (S,) the best point found, ``value`` the model value there, ``starts`` the number
        of starts.  Numerical and heuristic: a global minimum is not guaranteed, and the value is
        meaningless when the model is unbounded below (:func:`model_bounded_below`).
    """
    rng = np.random.default_rng(0) if rng is None else rng
    S = g.shape[0]
    w = np.where(d > 0, d, 1.0)  # y = w * eta
    P = d > 0
    Hy = H / np.outer(w, w)
    gy = g / w

    def f(y):
        ry = np.linalg.norm(y[P])
        return -gy @ y + 0.5 * y @ (Hy @ y) + lam / 6 * ry ** 3

    def jac(y):
        ry = np.linalg.norm(y[P])
        out = -gy + Hy @ y
        out[P] += 0.5 * lam * ry * y[P]
        return out

    def hess(y):
        ry = np.linalg.norm(y[P])
        out = Hy.copy()
        yp = y[P]
        blk = 0.5 * lam * (ry * np.eye(int(P.sum())) + (np.outer(yp, yp) / ry if ry > 0 else 0.0))
        out[np.ix_(P, P)] += blk
        return out

    lam_y, V = _eigh(Hy)
    radius = max(2 * abs(lam_y[0]) / lam, np.sqrt(2 * np.linalg.norm(gy) / lam), 1.0)
    starts = [np.zeros(S)] + [w * np.asarray(c, float) for c in candidates if np.isfinite(c).all()]
    starts += [s * radius * V[:, 0] for s in (1.0, -1.0)]
    starts += [radius * rng.standard_normal(S) / np.sqrt(S) for _ in range(n_random)]
    best_y, best = None, np.inf
    for y0 in starts:
        res = minimize(f, y0, jac=jac, hess=hess, method="trust-exact",
                       options={"gtol": 1e-14 * (1 + np.linalg.norm(gy)), "maxiter": 100})
        val = min(f(res.x), f(y0))
        y = res.x if f(res.x) <= f(y0) else y0
        if val < best:
            best, best_y = float(val), y
    return BruteForceMinimum(eta=best_y / w, value=best, starts=len(starts))
