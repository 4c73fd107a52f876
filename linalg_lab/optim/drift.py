"""Singular-value drift of Pion over many steps, per retraction, against derived bounds.

Exact Pion preserves every singular value; in floating point expm and Cayley factors are
orthogonal only to rounding, and the shipped E2 truncation is not orthogonal at all.  This module
runs T steps per retraction and measures, normwise (FACTS "Verification conventions": compare
singular values against ``sigma_1``, not elementwise),

* the per-step drift ``d_t = max_i |sigma_i(W_t) - sigma_i(W_{t-1})| / sigma_1(W_0)`` and
* the cumulative drift ``c_t = max_i |sigma_i(W_t) - sigma_i(W_0)| / sigma_1(W_0)``,

and holds them to bounds derived below.

A-priori bound for E2 (derivation)
----------------------------------
Let ``X`` be real skew-symmetric (``X^T = -X``), so ``(X^2)^T = X^2`` and ``X`` commutes with its
powers.  Then

``E2(X)^T E2(X) = (I - X + X^2/2)(I + X + X^2/2)
                = I + X + X^2/2 - X - X^2 - X^3/2 + X^2/2 + X^3/2 + X^4/4 = I + X^4/4``.

``X`` is normal with eigenvalues ``± i lambda_j``, so ``X^4`` is symmetric positive semidefinite with
eigenvalues ``lambda_j^4`` and the singular values of ``E2(X)`` are ``sqrt(1 + lambda_j^4/4)``, all in
``[1, sqrt(1 + ||X||_2^4 / 4)]``.  For ``W' = Q_out W Q_in``, ``sigma_i(W') <= ||Q_out||_2 sigma_i(W)
||Q_in||_2`` and ``sigma_i(W') >= sigma_min(Q_out) sigma_i(W) sigma_min(Q_in)`` (Horn & Johnson,
*Topics in Matrix Analysis*, Thm 3.3.16), hence in exact arithmetic

``0 <= (sigma_i(W') - sigma_i(W)) / sigma_i(W) <= rho = sqrt((1 + x_out^4/4)(1 + x_in^4/4)) - 1
                                                  <= (x_out^4 + x_in^4)/8 + x_out^4 x_in^4 / 32``

with ``x = ||X||_2`` of each applied generator (``x = 0`` for a side not applied): E2 can only *grow*
singular values, by a fourth-order amount.  With ``X = -alpha D`` and
``kappa = x / (lr rms)`` (measured per step; ``X`` scales like ``1/||W||``, so kappa depends on the
scale of ``W``: about 1.2 for a standard Gaussian 64 x 128 ``W``, about 11 for entries ``N(0, 1/n)``
at 64 x 128 and about 37 at 256 x 1024, measured) the bound reads
``rho <= (kappa_out^4 + kappa_in^4)/8 (lr rms)^4 + O((lr rms)^8)``, which is the requested multiple
of ``(lr rms)^3``, namely ``C (lr rms)^3`` with ``C = (kappa_out^4 + kappa_in^4) lr rms / 8`` (the
result reports ``C`` per step as ``cubic_coefficient``); the truncation error ``E2 - exp`` is
third order, but the singular values only see its fourth-order symmetric part.  Over T steps the
cumulative bound multiplies: ``prod_t (1 + rho_t) - 1``.

Rounding allowance
------------------
For expm and Cayley ``rho_t = 0`` in exact arithmetic; a computed step changes singular values by
the factors' orthogonality defects (a few ``k u`` for k x k factors), the rounding of the two
products, and the measurement itself (two LAPACK SVDs, each accurate to ``p(n) u sigma_1``
normwise).  We budget ``ROUNDING_UNITS = 100`` units of ``u`` per step (the issue's acceptance
level: drift after T steps at most ``100 u T``); this budget is a stated allowance, not a proof
(:func:`proofs_check.pion_step_certificate` proves a one-step bound).  Every step's bound is
``(sigma_1(W_{t-1}) / sigma_1(W_0)) rho_t + ROUNDING_UNITS u``.
"""
from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Sequence
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._results import Result, Rigour, Status, field_nojson
from .._validation import InputTypeError, InputValueError, as_array, as_matrix, check_int, check_option, check_real
from ..tolerance import unit_roundoff
from .pion import MOMENTA, RETRACTIONS, SIDES, PionState, _check_betas, _pion_step

__all__ = ["DriftTrace", "PionDriftResult", "pion_drift", "e2_step_bound", "ROUNDING_UNITS"]

#: Per-step rounding budget, in units of u = 2^-53 (see the module docstring).
ROUNDING_UNITS = 100.0
_U = unit_roundoff(np.float64)
#: Relative inflation of a computed ||X||_2 (LAPACK's largest singular value is accurate to a small
#: multiple of k u relative; 1e-10 covers k up to ~10^5 with a wide margin).
_NORM_INFLATION = 1e-10


def e2_step_bound(x_in: float, x_out: float) -> float:
    """The exact-arithmetic bound ``sqrt((1 + x_out^4/4)(1 + x_in^4/4)) - 1`` on E2's relative growth.

    ``x_in``, ``x_out`` are the 2-norms of the applied skew generators (0 for a side not applied);
    see the module docstring for the derivation.

    Parameters
    ----------
    x_in : float
        ``||X_in||_2``, the spectral norm of the input-side skew generator applied in the step
        (``>= 0``; 0 if that side is not applied).
    x_out : float
        ``||X_out||_2``, likewise for the output side.

    Returns
    -------
    float
        ``rho >= 0``: in exact arithmetic every singular value of the E2-retracted ``W`` satisfies
        ``0 <= (sigma_i(W') - sigma_i(W)) / sigma_i(W) <= rho`` (dimensionless; evaluated without
        cancellation, so accurate to a few rounding errors even for tiny ``x``).

    Examples
    --------
    >>> round(e2_step_bound(0.1, 0.0) / (0.1**4 / 8), 4)
    1.0
    """
    a = x_out**4 / 4.0
    b = x_in**4 / 4.0
    # sqrt((1+a)(1+b)) - 1 written without cancellation: (a + b + ab) / (sqrt((1+a)(1+b)) + 1)
    return (a + b + a * b) / (math.sqrt((1 + a) * (1 + b)) + 1.0)


@dataclasses.dataclass(frozen=True)
class DriftTrace:
    """The drift of one retraction over T steps (arrays of length T, step t at index t-1)."""

    retraction: str
    per_step: NDArray[np.float64]
    cumulative: NDArray[np.float64]
    per_step_bound: NDArray[np.float64]
    cumulative_bound: NDArray[np.float64]
    apriori: NDArray[np.float64]
    x_in: NDArray[np.float64]
    x_out: NDArray[np.float64]
    cubic_coefficient: NDArray[np.float64]
    orth_defect: NDArray[np.float64]
    rms_ratio: NDArray[np.float64]
    final_drift: float
    final_drift_units: float
    worst_margin: float
    violations: int
    sigma_final: NDArray[np.float64] = field_nojson(repr=False)
    W_final: NDArray[np.float64] = field_nojson(repr=False)


@dataclasses.dataclass(frozen=True)
class PionDriftResult(Result):
    """Singular-value drift per retraction (:func:`pion_drift`).

    Attributes
    ----------
    traces : dict of str to DriftTrace
        One trace per retraction.
    steps, shape, lr, rms, side, momentum
        The run's parameters.
    sigma0 : ndarray
        Singular values of ``W0``.
    final : dict of str to float
        Cumulative relative drift after the last step, per retraction.
    final_units : dict of str to float
        The same in units of ``u * steps`` (acceptance for expm/Cayley: <= 100).
    """

    traces: dict[str, DriftTrace]
    steps: int
    shape: tuple[int, int]
    lr: float
    rms: float
    side: str
    momentum: str | None
    sigma0: NDArray[np.float64]
    final: dict[str, float]
    final_units: dict[str, float]
    rounding_units: float
    elapsed_s: float
    rigour: Rigour
    status: Status
    reason: str


def _gen_norm(X: NDArray | None) -> float:
    if X is None:
        return 0.0
    return float(np.linalg.norm(X, 2)) * (1 + _NORM_INFLATION)


def _trace(W0: NDArray, grad: Callable[[NDArray, int], NDArray], steps: int, retraction: str, *,
           lr: float, rms: float, side: str, momentum: str | None, b1: float, b2: float,
           sigma0: NDArray) -> DriftTrace:
    s1 = float(sigma0[0])
    W, state = W0, PionState()
    prev = sigma0
    arrays = {k: np.empty(steps) for k in ("per_step", "cumulative", "bound", "apriori", "x_in", "x_out",
                                           "cubic", "orth", "rms")}
    for t in range(steps):
        G = grad(W, t)
        r = _pion_step(W, G, lr=lr, retraction=retraction, rms=rms, side=side, state=state,
                       momentum=momentum, b1=b1, b2=b2, adam=False, diagnostics=True)
        W, state = r.W, r.state
        sig = np.linalg.svd(W, compute_uv=False)
        x_in, x_out = _gen_norm(r.X_in), _gen_norm(r.X_out)
        rho = 0.0 if RETRACTIONS[retraction].orthogonal else e2_step_bound(x_in, x_out)
        scale = float(prev[0]) / s1
        arrays["per_step"][t] = float(np.max(np.abs(sig - prev))) / s1
        arrays["cumulative"][t] = float(np.max(np.abs(sig - sigma0))) / s1
        arrays["apriori"][t] = rho
        arrays["bound"][t] = scale * rho + ROUNDING_UNITS * _U
        arrays["x_in"][t], arrays["x_out"][t] = x_in, x_out
        arrays["cubic"][t] = rho / (lr * rms) ** 3
        arrays["orth"][t] = max(r.orth_defect_in, r.orth_defect_out)
        arrays["rms"][t] = r.rms_ratio
        prev = sig
    cum_bound = np.cumprod(1.0 + arrays["apriori"]) - 1.0 + ROUNDING_UNITS * _U * np.arange(1, steps + 1)
    per, cum = arrays["per_step"], arrays["cumulative"]
    with np.errstate(divide="ignore"):
        margins = np.concatenate([arrays["bound"] / np.maximum(per, 1e-300), cum_bound / np.maximum(cum, 1e-300)])
    violations = int(np.sum(per > arrays["bound"]) + np.sum(cum > cum_bound))
    return DriftTrace(
        retraction=retraction, per_step=per, cumulative=cum, per_step_bound=arrays["bound"],
        cumulative_bound=cum_bound, apriori=arrays["apriori"], x_in=arrays["x_in"], x_out=arrays["x_out"],
        cubic_coefficient=arrays["cubic"], orth_defect=arrays["orth"], rms_ratio=arrays["rms"],
        final_drift=float(cum[-1]), final_drift_units=float(cum[-1] / (_U * steps)),
        worst_margin=float(np.min(margins)), violations=violations, sigma_final=prev, W_final=W,
    )


def _grad_source(grads: Any, shape: tuple[int, int], steps: int | None, func: str
                 ) -> tuple[Callable[[NDArray, int], NDArray], int]:
    if callable(grads):
        if steps is None:
            raise InputValueError(f"{func}: 'steps' is required when 'grads' is a callable grads(W, t)")

        def call(W: NDArray, t: int) -> NDArray:
            G = as_matrix(grads(W, t), "grads(W, t)", func=func, keep_dtype=False)
            if G.shape != shape:
                raise InputValueError(f"{func}: grads(W, {t}) returned shape {G.shape}, expected {shape}")
            return G

        return call, steps
    if grads is None or isinstance(grads, (str, bytes)):
        raise InputTypeError(f"{func}: 'grads' must be a (T, m, n) array or a callable grads(W, t), "
                             f"got {type(grads).__name__}")
    arr = as_array(grads, "grads", func=func, min_ndim=3, max_ndim=3, keep_dtype=False)
    if arr.shape[1:] != shape:
        raise InputValueError(f"{func}: 'grads' must have shape (T, {shape[0]}, {shape[1]}), got {arr.shape}")
    T = arr.shape[0] if steps is None else steps
    if T > arr.shape[0]:
        raise InputValueError(f"{func}: steps={T} exceeds the {arr.shape[0]} gradients given")
    return (lambda W, t: arr[t]), T


def pion_drift(
    W0: ArrayLike,
    grads: ArrayLike | Callable[[NDArray, int], ArrayLike],
    *,
    lr: float,
    steps: int | None = None,
    rms: float = 0.2,
    retractions: Sequence[str] = ("expm", "cayley", "e2"),
    side: Literal["both", "in", "out", "alternate"] = "both",
    momentum: Literal["lie_lie", "transported_ambient_ambient"] | None = None,
    betas: tuple[float, float] = (0.9, 0.999),
) -> PionDriftResult:
    """Run Pion for T steps per retraction and measure the singular-value drift against its bounds.

    Parameters
    ----------
    W0 : (m, n) array_like
        Initial weights (finite, real, not zero).
    grads : (T, m, n) array_like or callable
        The gradients, either fixed (the same sequence for every retraction) or a callable
        ``grads(W, t) -> (m, n)`` evaluated at each retraction's own iterate (``t`` from 0).
    lr : float
        Learning rate (> 0).
    steps : int, optional
        Number of steps (default: ``T`` of the array; required for a callable).
    rms, side, momentum, betas
        As in :func:`linalg_lab.optim.pion_step`.
    retractions : sequence of str
        Names from :data:`linalg_lab.optim.RETRACTIONS`.

    Returns
    -------
    PionDriftResult
        ``status`` OK when every step of every retraction stays under its per-step and cumulative
        bound (module docstring); INACCURATE otherwise, naming the first violation.

    Raises
    ------
    InputValueError, InputTypeError
        Malformed ``W0``/``grads`` or options.

    Notes
    -----
    Cost per step: one Pion step, one SVD of ``W`` (``O(m n min(m, n))``) and SVDs of the
    generators for ``||X||_2`` (``O(m^3 + n^3)``).  The derivation of the bounds is in the module
    docstring of :mod:`linalg_lab.optim.drift`.

    References
    ----------
    .. [1] K. Shi et al., "Pion: A Spectrum-Preserving Optimizer via Orthogonal Equivalence
       Transformation" (2026).
    .. [2] R. A. Horn and C. R. Johnson, *Topics in Matrix Analysis*, Cambridge University Press
       (1991), doi:10.1017/CBO9780511840371, Thm 3.3.16.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> W0, grads = rng.standard_normal((6, 10)), rng.standard_normal((20, 6, 10))
    >>> r = pion_drift(W0, grads, lr=0.05)
    >>> r.ok, r.final_units["expm"] < 100, r.traces["e2"].violations
    (True, True, 0)
    """
    func = "pion_drift"
    t0 = time.perf_counter()
    W0 = as_matrix(W0, "W0", func=func, keep_dtype=False)
    lr = check_real(lr, "lr", func=func, lo=0.0, lo_open=True)
    rms = check_real(rms, "rms", func=func, lo=0.0, lo_open=True)
    check_int(steps, "steps", func=func, minimum=1, allow_none=True)
    check_option(side, "side", SIDES, func=func)
    check_option(momentum, "momentum", MOMENTA, func=func)
    b1, b2 = _check_betas(betas, func)
    if isinstance(retractions, str) or not len(retractions):
        raise InputValueError(f"{func}: 'retractions' must be a non-empty sequence of names from "
                              f"{sorted(RETRACTIONS)}, got {retractions!r}")
    for name in retractions:
        check_option(name, "retractions", tuple(RETRACTIONS), func=func)
    grad, T = _grad_source(grads, W0.shape, steps, func)
    sigma0 = np.linalg.svd(W0, compute_uv=False)
    if sigma0[0] == 0:
        raise InputValueError(f"{func}: 'W0' is the zero matrix; relative drift is undefined")
    traces = {name: _trace(W0, grad, T, name, lr=lr, rms=rms, side=side, momentum=momentum, b1=b1, b2=b2,
                           sigma0=sigma0) for name in retractions}
    bad = [(n, tr) for n, tr in traces.items() if tr.violations]
    if bad:
        n, tr = bad[0]
        t_first = int(np.argmax((tr.per_step > tr.per_step_bound) | (tr.cumulative > tr.cumulative_bound))) + 1
        status, reason = Status.INACCURATE, (
            f"{n}: {tr.violations} bound violations, first at step {t_first} (per-step drift "
            f"{tr.per_step[t_first - 1]:.3e} vs bound {tr.per_step_bound[t_first - 1]:.3e}); rounding above "
            f"{ROUNDING_UNITS:g} u per step points to ill-conditioned factors (reduce lr) or a faulty retraction")
    else:
        status, reason = Status.OK, "ok"
    return PionDriftResult(
        traces=traces, steps=T, shape=tuple(W0.shape), lr=lr, rms=rms, side=side, momentum=momentum,
        sigma0=sigma0, final={n: tr.final_drift for n, tr in traces.items()},
        final_units={n: tr.final_drift_units for n, tr in traces.items()}, rounding_units=ROUNDING_UNITS,
        elapsed_s=time.perf_counter() - t0, rigour=Rigour.NUMERICAL, status=status, reason=reason,
    )
