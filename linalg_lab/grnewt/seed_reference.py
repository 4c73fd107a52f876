"""The seed's root finder for the anisotropic Nesterov step, written from its description.

This reproduces the *algorithm* described for the reference implementation (P. Wolinski,
arXiv:2312.03885; code p-wol/GroupedNewton, ``nesterov.nesterov_lrs``) so that it can be compared with
:func:`linalg_lab.grnewt.nesterov_lrs` on the same inputs; it is a yardstick, not a solver to use.
Written from the description in ``FACTS.md`` (no code copied):

1. eigenvalue test: if ``λ_min(H) > 0`` then ``x0 = 0``;
2. else, if no ``d_i <= 1e-5``: analytic ``x0 = (2/λ) |min(0, λ_min(D^{-1} H D^{-1}))|``;
3. else ``x0`` is a scalar root of ``x -> λ_min(M(x))``, ``M(x) = H + (λ/2) x D^2``, on a bracket
   ``[0, b]`` with ``b`` doubled until ``λ_min(M(b)) >= 0`` (not found when it never is);
4. ``f(x) = ||D M(x)^{-1} g|| − x``; not found when ``f(x0) <= 0`` (or is not a number);
5. else the root of ``f`` on ``(x0, x1]`` with ``x1`` grown until ``f(x1) < 0``; ``eta = M(r)^{-1} g``.

The optimiser of the reference uses zero learning rates when this returns "not found".
"""
from __future__ import annotations

import dataclasses
import math
import time

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq

from .._results import Result, Rigour, Status
from .nesterov import validate_summary

__all__ = ["SeedNesterovResult", "seed_nesterov_lrs"]

#: Threshold on d below which the reference finds x0 by a scalar root search (from FACTS.md).
SEED_D_THRESHOLD = 1e-5
#: Doublings tried when growing a bracket (our choice; the description gives no number).
SEED_MAX_DOUBLINGS = 100


@dataclasses.dataclass(frozen=True)
class SeedNesterovResult(Result):
    """Result of :func:`seed_nesterov_lrs`: ``found`` and the branch (``path``) it took.

    ``eta`` is the zero vector when not found (what the reference optimiser then applies).
    """

    eta: NDArray[np.float64]
    r: float
    found: bool
    path: str
    x0: float
    status: Status
    reason: str
    rigour: Rigour
    elapsed_s: float


def _f(H: NDArray, g: NDArray, d: NDArray, lam: float, x: float) -> float:
    M = H + 0.5 * lam * x * np.diag(d * d)
    try:
        eta = np.linalg.solve(M, g)
    except np.linalg.LinAlgError:
        return math.nan
    return float(np.linalg.norm(d * eta)) - x


def seed_nesterov_lrs(H: ArrayLike, g: ArrayLike, d: ArrayLike, *,
                      damping_int: float) -> SeedNesterovResult:
    """The reference algorithm (see the module docstring); inputs validated as in nesterov_lrs.

    Parameters
    ----------
    H : (S, S) array_like
    g, d : (S,) array_like
    damping_int : float

    Returns
    -------
    SeedNesterovResult
        ``status`` is ``SOLVER_FAILED`` when not found (``eta`` = 0, as the reference applies).

    Examples
    --------
    >>> import numpy as np
    >>> seed_nesterov_lrs(np.diag([1.0, -1.0]), np.ones(2), np.array([0.0, 1.0]),
    ...                   damping_int=1.0).found
    False
    """
    H, g, d, lam = validate_summary(H, g, d, damping_int, func="seed_nesterov_lrs")
    t0 = time.perf_counter()
    S = g.shape[0]
    D2 = np.diag(d * d)

    def lmin(x: float) -> float:
        return float(np.linalg.eigvalsh(H + 0.5 * lam * x * D2)[0])

    def fail(path: str, x0: float) -> SeedNesterovResult:
        return SeedNesterovResult(eta=np.zeros(S), r=math.nan, found=False, path=path, x0=x0,
                                  status=Status.SOLVER_FAILED,
                                  reason=f"not found ({path}); the reference applies zero learning rates",
                                  rigour=Rigour.NUMERICAL, elapsed_s=time.perf_counter() - t0)

    if float(np.linalg.eigvalsh(H)[0]) > 0:
        x0, path = 0.0, "H positive definite: x0 = 0"
    elif (d > SEED_D_THRESHOLD).all():
        lm = float(np.linalg.eigvalsh(H / np.outer(d, d))[0])
        x0, path = 2.0 / lam * abs(min(0.0, lm)), "analytic x0"
    else:
        b = 1.0
        for _ in range(SEED_MAX_DOUBLINGS):
            if lmin(b) >= 0:
                break
            b *= 2.0
        else:
            return fail("no x makes M(x) positive semidefinite", math.nan)
        x0 = brentq(lmin, 0.0, b) if lmin(0.0) < 0 else 0.0
        path = "x0 = root of lambda_min(M(x))"
    f0 = _f(H, g, d, lam, x0)
    if not f0 > 0:
        return fail(f"f(x0) = {f0:.3g} <= 0 (hard case or g = 0)", x0)
    x1 = x0 + 1.0
    for _ in range(SEED_MAX_DOUBLINGS):
        if _f(H, g, d, lam, x1) < 0:
            break
        x1 = x0 + 2.0 * (x1 - x0)
    else:
        return fail("no upper bracket for f", x0)
    r = brentq(lambda x: _f(H, g, d, lam, x), x0, x1, rtol=4 * np.finfo(float).eps)
    eta = np.linalg.solve(H + 0.5 * lam * r * D2, g)
    return SeedNesterovResult(eta=eta, r=float(r), found=True, path=path, x0=float(x0),
                              status=Status.OK, reason="found", rigour=Rigour.NUMERICAL,
                              elapsed_s=time.perf_counter() - t0)
