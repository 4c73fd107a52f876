"""The penalty formulation of seed 004: SVD by gradient descent on reconstruction + orthogonality.

Parameters ``U`` (m, k), ``d`` (k,) and ``V`` (n, k) with ``S = diag(d∘d)``; the loss is

    mse(U S Vᵀ, M) + mse(UᵀU, I_k)/100 + mse(V Vᵀ, I_n)/100

(``mse`` is the mean over entries; when ``k < n`` the last term uses ``VᵀV`` and ``I_k`` because
``V Vᵀ`` cannot be the identity).  Gradients are exact and written out by hand; the optimisers
replicate ``torch.optim.SGD`` (momentum, no dampening) and ``torch.optim.Adam`` (L2 weight decay
added to the gradient, bias-corrected moments, eps = 1e-8).  Everything is batched over a leading
axis so that many seeds run in one loop (the seed-004 reproduction).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["PenaltyConfig", "PENALTY_CONFIGS", "penalty_init", "penalty_run", "penalty_loss_and_grads"]


@dataclasses.dataclass(frozen=True)
class PenaltyConfig:
    """Optimiser settings of one penalty method (the seed's values by default)."""

    optimizer: str  # "sgd" or "adam"
    lr: float
    momentum: float = 0.0
    weight_decay: float = 0.0
    betas: tuple[float, float] = (0.9, 0.999)
    eps: float = 1e-8
    steps: int = 20_000
    penalty_weight: float = 0.01


#: The two optimisers of seed 004 (SGD lr 0.9 momentum 0.9; Adam lr 1e-3 weight decay 1e-5).
PENALTY_CONFIGS: dict[str, PenaltyConfig] = {
    "penalty-sgd": PenaltyConfig("sgd", lr=0.9, momentum=0.9),
    "penalty-adam": PenaltyConfig("adam", lr=1e-3, weight_decay=1e-5),
}


def penalty_init(m: int, n: int, k: int, seeds: list[int]) -> tuple[NDArray, NDArray, NDArray]:
    """Uniform [0, 1) starting values as in the seed (one numpy Generator per seed), stacked."""
    Us, ds, Vs = [], [], []
    for sd in seeds:
        rng = np.random.default_rng(sd)
        Us.append(rng.random((m, k)))
        ds.append(rng.random(k))
        Vs.append(rng.random((n, k)))
    return np.stack(Us), np.stack(ds), np.stack(Vs)


def penalty_loss_and_grads(M: NDArray, U: NDArray, d: NDArray, V: NDArray, w: float = 0.01
                           ) -> tuple[NDArray, NDArray, NDArray, NDArray]:
    """Batched loss (B,) and exact gradients for U (B, m, k), d (B, k), V (B, n, k); M is (m, n) or (B, m, n)."""
    B, m, k = U.shape
    n = V.shape[1]
    D = d * d
    Vt = np.swapaxes(V, 1, 2)
    R = np.matmul(U * D[:, None, :], Vt) - M
    c1 = 2.0 / (m * n)
    RV = np.matmul(R, V)                                   # (B, m, k)
    RtU = np.matmul(np.swapaxes(R, 1, 2), U)               # (B, n, k)
    gU = c1 * RV * D[:, None, :]
    gV = c1 * RtU * D[:, None, :]
    gd = c1 * 2.0 * d * np.einsum("bmk,bmk->bk", U, RV)
    E = np.matmul(np.swapaxes(U, 1, 2), U)
    E[:, np.arange(k), np.arange(k)] -= 1.0
    gU += (4.0 * w / (k * k)) * np.matmul(U, E)
    if k == n:
        F = np.matmul(V, Vt)
        F[:, np.arange(n), np.arange(n)] -= 1.0
        gV += (4.0 * w / (n * n)) * np.matmul(F, V)
    else:
        F = np.matmul(Vt, V)
        F[:, np.arange(k), np.arange(k)] -= 1.0
        gV += (4.0 * w / (k * k)) * np.matmul(V, F)
    loss = ((R * R).sum(axis=(1, 2)) / (m * n)
            + w * (E * E).sum(axis=(1, 2)) / E[0].size + w * (F * F).sum(axis=(1, 2)) / F[0].size)
    return loss, gU, gd, gV


def penalty_run(
    M: NDArray, U: NDArray, d: NDArray, V: NDArray, cfg: PenaltyConfig, steps: int, *,
    callback: Callable[[int, float], Any] | None = None, progress: Callable[[int], Any] | None = None,
) -> tuple[NDArray, NDArray, NDArray, NDArray, int]:
    """Run ``steps`` full-batch steps in place on the batch; return (U, d, V, losses (B, steps), done).

    ``losses[:, t]`` is the loss at the parameters before step ``t`` (as the seed records it).
    ``callback(step, loss)`` (batch of one only) stops the run when it returns True.
    """
    params = [U, d, V]
    B = U.shape[0]
    losses = np.empty((B, steps))
    if cfg.optimizer == "sgd":
        bufs = [np.zeros_like(p) for p in params]
    else:
        m1 = [np.zeros_like(p) for p in params]
        m2 = [np.zeros_like(p) for p in params]
        b1, b2 = cfg.betas
    lr, mu, wd, w = cfg.lr, cfg.momentum, cfg.weight_decay, cfg.penalty_weight
    done = steps
    tick = max(1, steps // 100)
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(steps):
            loss, gU, gd, gV = penalty_loss_and_grads(M, params[0], params[1], params[2], w)
            losses[:, t] = loss
            if callback is not None and callback(t, float(loss[0])):
                done = t + 1
                break
            grads = (gU, gd, gV)
            if cfg.optimizer == "sgd":
                for p, g, b in zip(params, grads, bufs):
                    if wd:
                        g = g + wd * p
                    b *= mu
                    b += g
                    p -= lr * b
            else:
                bc1 = 1.0 - b1 ** (t + 1)
                bc2 = 1.0 - b2 ** (t + 1)
                step = lr / bc1
                sq = np.sqrt(bc2)
                for p, g, a, v in zip(params, grads, m1, m2):
                    if wd:
                        g = g + wd * p
                    a *= b1
                    a += (1.0 - b1) * g
                    v *= b2
                    v += (1.0 - b2) * (g * g)
                    p -= step * a / (np.sqrt(v) / sq + cfg.eps)
            if progress is not None and (t + 1) % tick == 0:
                progress(tick)
    return params[0], params[1], params[2], losses[:, :done], done
