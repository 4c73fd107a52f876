"""A small training comparison: Pion (each retraction) vs Muon-style Newton–Schulz vs SGD.

The problem is linear least squares ``L(W) = ||X W^T - Y||_F^2 / (2N)`` with ``W`` of shape
(m, n) = (outputs, inputs), data ``X`` (N x n) Gaussian and targets ``Y = X W*^T + noise`` from a
teacher ``W*`` whose singular values differ from those of the initial ``W0``.  The gradient is
``G = (W X^T X - Y^T X) / N``.

Optimisers (:data:`OPTIMIZERS`, a registry):

* ``pion-<retraction>``: :func:`linalg_lab.optim.pion_step` with learning rate ``lr`` and ``rms``;
* ``muon``: ``W <- W - lr rms sqrt(mn) O / ||O||_F`` with ``O = newton_schulz(G, "muon")`` (Jordan's
  quintic, 5 steps), so its update RMS equals Pion's first-order ``lr rms`` (the RMS matching of
  Moonlight);
* ``sgd``: ``W <- W - G / L`` with ``L = lambda_max(X^T X / N)``, the largest step for which gradient
  descent on this quadratic is monotone (the Lipschitz constant of the gradient).

Pion keeps every singular value of ``W0`` (to rounding for expm/Cayley), so it can only reach the
best loss over ``{U W0 V : U, V orthogonal}``; which optimiser does better on a given problem is a
measured statement of this run, recorded in the result, not a general claim.
"""
from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._results import Result, Rigour, Status, field_nojson
from .._validation import InputValueError, check_int, check_option, check_real
from .pion import RETRACTIONS, PionState, _pion_step

__all__ = ["OPTIMIZERS", "TrainingCurve", "TrainingComparison", "compare_training"]


@dataclasses.dataclass(frozen=True)
class TrainingCurve:
    """One optimiser's run: arrays of length ``steps + 1`` (index 0 is the initial point)."""

    optimizer: str
    loss: NDArray[np.float64]
    spectral_norm: NDArray[np.float64]
    condition_number: NDArray[np.float64]
    final_loss: float
    elapsed_s: float
    W_final: NDArray[np.float64] = field_nojson(repr=False)


@dataclasses.dataclass(frozen=True)
class TrainingComparison(Result):
    """Curves per optimiser on one least-squares problem (:func:`compare_training`).

    ``optimal_loss`` is the least-squares minimum (``lstsq``); ``ranking`` lists the optimisers by
    final loss (best first); ``sigma_drift`` is ``max_i |sigma_i(W_T) - sigma_i(W_0)| / sigma_1(W_0)``.
    """

    curves: dict[str, TrainingCurve]
    steps: int
    shape: tuple[int, int]
    samples: int
    lr: float
    rms: float
    sgd_lr: float
    optimal_loss: float
    initial_loss: float
    ranking: list[str]
    sigma_drift: dict[str, float]
    elapsed_s: float
    rigour: Rigour
    status: Status
    reason: str


def _pion(retraction: str) -> Callable[..., Any]:
    def make(lr: float, rms: float, sgd_lr: float) -> Callable[[NDArray, NDArray, Any], tuple[NDArray, Any]]:
        def step(W: NDArray, G: NDArray, state: Any) -> tuple[NDArray, Any]:
            r = _pion_step(W, G, lr=lr, retraction=retraction, rms=rms, side="both", state=state or PionState(),
                           momentum=None, b1=0.9, b2=0.999, adam=False, diagnostics=False)
            return r.W, r.state
        return step
    return make


def _muon(lr: float, rms: float, sgd_lr: float) -> Callable[[NDArray, NDArray, Any], tuple[NDArray, Any]]:
    from ..ns import newton_schulz

    def step(W: NDArray, G: NDArray, state: Any) -> tuple[NDArray, Any]:
        O = np.asarray(newton_schulz(G, "muon").X)
        no = float(np.linalg.norm(O))
        if no == 0:
            return W, state
        return W - lr * rms * math.sqrt(W.size) / no * O, state
    return step


def _sgd(lr: float, rms: float, sgd_lr: float) -> Callable[[NDArray, NDArray, Any], tuple[NDArray, Any]]:
    def step(W: NDArray, G: NDArray, state: Any) -> tuple[NDArray, Any]:
        return W - sgd_lr * G, state
    return step


#: Optimisers by name: ``make(lr, rms, sgd_lr) -> step(W, G, state) -> (W, state)``.
OPTIMIZERS: dict[str, Callable[..., Any]] = {
    **{f"pion-{name}": _pion(name) for name in RETRACTIONS},
    "muon": _muon,
    "sgd": _sgd,
}


def compare_training(
    *,
    shape: tuple[int, int] = (16, 32),
    samples: int = 256,
    steps: int = 200,
    lr: float = 0.05,
    rms: float = 0.2,
    optimizers: tuple[str, ...] | None = None,
    noise: float = 0.1,
    seed: int = 0,
) -> TrainingComparison:
    """Train the same least-squares problem with each optimiser for a fixed number of steps.

    Parameters
    ----------
    shape : (int, int)
        ``(m, n)`` of ``W`` (outputs, inputs).
    samples : int
        Number of data rows N (>= n, so the minimiser is unique).
    steps : int
        Fixed budget of steps for every optimiser.
    lr, rms : float
        Pion's learning rate and RMS target; Muon uses the same update RMS ``lr * rms``.
    optimizers : tuple of str, optional
        Names from :data:`OPTIMIZERS` (default: all).
    noise : float
        Standard deviation of the target noise.
    seed : int
        Seed of the data, the teacher and ``W0``.

    Returns
    -------
    TrainingComparison
        Loss, spectral norm and condition number of ``W`` after every step, per optimiser.

    Notes
    -----
    Cost per step: the gradient ``O(m n N)`` (here precomputed Gram matrices make it ``O(m n^2)``),
    one SVD of ``W`` for the spectral diagnostics, and the optimiser's update.  The teacher has
    singular values ``linspace(3, 0.3, min(m, n))`` and ``W0`` is Gaussian with entries of variance
    ``1/n``, so the teacher's spectrum is not reachable by an orthogonal equivalence of ``W0``.

    Examples
    --------
    >>> r = compare_training(shape=(4, 8), samples=32, steps=20, optimizers=("pion-expm", "sgd"))
    >>> r.ok, sorted(r.curves), r.curves["sgd"].loss.shape
    (True, ['pion-expm', 'sgd'], (21,))
    """
    func = "compare_training"
    if not (isinstance(shape, (tuple, list)) and len(shape) == 2):
        raise InputValueError(f"The 'shape' parameter of {func} must be a pair (m, n). Got {shape!r} instead.")
    m = check_int(shape[0], "shape[0]", func=func, minimum=1)
    n = check_int(shape[1], "shape[1]", func=func, minimum=1)
    N = check_int(samples, "samples", func=func, minimum=n)
    steps = check_int(steps, "steps", func=func, minimum=1)
    lr = check_real(lr, "lr", func=func, lo=0.0, lo_open=True)
    rms = check_real(rms, "rms", func=func, lo=0.0, lo_open=True)
    noise = check_real(noise, "noise", func=func, lo=0.0)
    names = tuple(OPTIMIZERS) if optimizers is None else tuple(optimizers)
    for name in names:
        check_option(name, "optimizers", tuple(OPTIMIZERS), func=func)
    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, n))
    k = min(m, n)
    U, _ = np.linalg.qr(rng.standard_normal((m, k)))
    V, _ = np.linalg.qr(rng.standard_normal((n, k)))
    W_star = (U * np.linspace(3.0, 0.3, k)) @ V.T
    Y = X @ W_star.T + noise * rng.standard_normal((N, m))
    W0 = rng.standard_normal((m, n)) / math.sqrt(n)
    XtX, YtX, YtY = X.T @ X / N, Y.T @ X / N, float(np.sum(Y * Y)) / N

    def loss(W: NDArray) -> float:
        # ||X W^T - Y||^2 / (2N) expanded with the Gram matrices (clamped at 0 against cancellation)
        return max(0.5 * (float(np.sum((W @ XtX) * W)) - 2 * float(np.sum(W * YtX)) + YtY), 0.0)

    W_opt = np.linalg.lstsq(X, Y, rcond=None)[0].T
    opt = float(0.5 * np.sum((X @ W_opt.T - Y) ** 2) / N)
    sgd_lr = 1.0 / float(np.linalg.eigvalsh(XtX)[-1])
    curves: dict[str, TrainingCurve] = {}
    s0 = np.linalg.svd(W0, compute_uv=False)
    drift: dict[str, float] = {}
    for name in names:
        t1 = time.perf_counter()
        step = OPTIMIZERS[name](lr, rms, sgd_lr)
        W, state = W0, None
        Ls, S, C = np.empty(steps + 1), np.empty(steps + 1), np.empty(steps + 1)
        for t in range(steps + 1):
            s = np.linalg.svd(W, compute_uv=False)
            Ls[t], S[t] = loss(W), s[0]
            C[t] = s[0] / s[-1] if s[-1] > 0 else math.inf
            if t < steps:
                W, state = step(W, W @ XtX - YtX, state)
        drift[name] = float(np.max(np.abs(s - s0)) / s0[0])
        curves[name] = TrainingCurve(optimizer=name, loss=Ls, spectral_norm=S, condition_number=C,
                                     final_loss=float(Ls[-1]), elapsed_s=time.perf_counter() - t1, W_final=W)
    ranking = sorted(names, key=lambda k_: curves[k_].final_loss)
    bad = [k_ for k_ in names if not np.all(np.isfinite(curves[k_].loss))]
    status = Status.SOLVER_FAILED if bad else Status.OK
    reason = "ok" if not bad else f"non-finite loss for {bad}; reduce lr"
    return TrainingComparison(
        curves=curves, steps=steps, shape=(m, n), samples=N, lr=lr, rms=rms, sgd_lr=sgd_lr, optimal_loss=opt,
        initial_loss=float(curves[names[0]].loss[0]), ranking=ranking, sigma_drift=drift,
        elapsed_s=time.perf_counter() - t0, rigour=Rigour.NUMERICAL, status=status, reason=reason,
    )
