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
import math
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._results import Status

__all__ = ["PenaltyConfig", "PENALTY_CONFIGS", "penalty_init", "penalty_run", "penalty_loss_and_grads",
           "penalty_step_size", "run_penalty"]


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


#: The loss counts as exploding when it exceeds this multiple of the smallest loss seen so far.
_BLOWUP = 1e6
#: Restarts (each with half the step size) after a divergence, for ``lr="auto"``: 0.9 down to 0.9/2^12.
_RESTARTS = 12


def penalty_step_size(M: NDArray, U: NDArray, d: NDArray, V: NDArray, w: float = 0.01) -> float:
    """A step size ``1/L`` for seed 004's penalty loss from a curvature estimate ``L`` at the start.

    The reconstruction term ``‖U diag(d²) Vᵀ − M‖_F²/(mn)`` has Hessian blocks of norm
    ``(2/mn)‖V diag(d²)‖₂²`` (in U) and ``(2/mn)‖U diag(d²)‖₂²`` (in V); at the solution these are
    ``(2/mn)σ₁²``, and the block in ``d`` is about ``(8/mn)σ_i‖u_i‖‖v_i‖``.  The penalties add about
    ``12w/k²·max(‖U‖₂², ‖V‖₂²)``.  ``L`` is the largest of these at the start and at the solution
    (σ₁ = ‖M‖₂); with momentum 0.9 heavy-ball steps are stable for ``lr < 2(1 + 0.9)/L``, so ``1/L``
    leaves a margin of 3.8.  The seed's lr 0.9 was tuned on 5×4 matrices with entries in [0, 1),
    where ``1/L`` is larger than 0.9; on a 40×30 Gaussian matrix ``1/L ≈ 0.05``.

    Parameters
    ----------
    M : (m, n) ndarray
        The matrix being factorised (real, float64; not validated).
    U : (m, k) ndarray
        Starting left factor (one start, not a batch).
    d : (k,) ndarray
        Starting square roots of the singular values (the loss uses ``d²``).
    V : (n, k) ndarray
        Starting right factor.
    w : float, default 0.01
        The orthogonality penalty weight (seed 004's 0.01, :attr:`PenaltyConfig.penalty_weight`).

    Returns
    -------
    float
        The step size ``1/L`` (in the loss's parameter units); 1.0 if ``L = 0``.
    """
    m, n = M.shape
    k = U.shape[1]
    D = d * d
    s1 = float(np.linalg.norm(M, 2))
    nU, nV = float(np.linalg.norm(U, 2)), float(np.linalg.norm(V, 2))
    c = max(float(np.linalg.norm(V * D, 2)) ** 2, float(np.linalg.norm(U * D, 2)) ** 2, s1 * s1,
            4.0 * s1 * max(1.0, nU * nV))
    L = 2.0 / (m * n) * c + 12.0 * w / (k * k) * max(nU, nV) ** 2
    return 1.0 / L if L > 0 else 1.0


def run_penalty(name: str) -> Callable[..., dict[str, Any]]:
    """The METHODS runner of the penalty method ``name`` (divergence guard; ``lr="auto"`` restarts)."""

    def run(A: NDArray, k: int, steps: int, seed: int, callback: Callable | None,
            lr: float | str | None = None) -> dict[str, Any]:
        cfg = PENALTY_CONFIGS[name]
        m, n = A.shape
        U0, d0, V0 = penalty_init(m, n, k, [seed])
        auto = lr == "auto" or (lr is None and cfg.optimizer == "sgd")
        if auto:
            # the seed's 0.9, halved after each divergence (detected within tens of steps, so the
            # restarts cost little); 1/L of penalty_step_size is safe but 5-10x smaller than needed
            lr_ = cfg.lr
            how = "lr {lr:.3g} (auto: the seed's 0.9, halved after each divergence)"
        else:
            lr_ = cfg.lr if lr is None else float(lr)
            how = "lr {lr:.3g}"
        notes: list[str] = []
        hist: list[NDArray] = []
        left = steps
        for attempt in range(_RESTARTS + 1):
            best = [math.inf]
            blew = [False]
            user_stop = [False]

            def guard(t: int, loss: float, best=best, blew=blew, user_stop=user_stop) -> bool:
                if not math.isfinite(loss) or loss > _BLOWUP * best[0]:
                    blew[0] = True
                    return True
                best[0] = min(best[0], loss)
                if callback is not None and callback(t, loss):
                    user_stop[0] = True
                    return True
                return False

            run_cfg = dataclasses.replace(cfg, lr=lr_)
            U, d, V, losses, done = penalty_run(A, U0.copy(), d0.copy(), V0.copy(), run_cfg, left, callback=guard)
            hist.append(losses[0])
            if not blew[0]:
                break
            notes.append(f"lr {lr_:.3g} diverged at step {done} (loss {losses[0][-1]:.3g})")
            if not auto or attempt == _RESTARTS:
                break
            left -= done
            lr_ /= 2.0
            if left < 1:
                break
        history = np.concatenate(hist)
        U, d, V = U[0], d[0], V[0]
        s = d * d
        order = np.argsort(-s, kind="stable")
        finite = bool(np.isfinite(U).all() and np.isfinite(V).all() and np.isfinite(s).all())
        if blew[0] or not finite:
            status = Status.DIVERGED
            reason = (f"the iteration diverged: {'; '.join(notes)}; lower the step size "
                      f"({'a smaller lr, --lr on the command line' if not auto else 'the automatic restarts were exhausted'})")
        elif user_stop[0]:
            status, reason = Status.OK, f"stopped by the callback after {len(history)} steps ({how.format(lr=lr_)})"
        else:
            restarted = (f"; {'; '.join(notes)}; each time restarted from the start with lr/2"
                         if notes else "")
            status, reason = Status.OK, (
                f"ran the fixed budget of {steps} steps ({how.format(lr=lr_)}{restarted}; no stopping rule); final loss "
                f"{history[-1]:.3g}; accuracy is judged by compare_with_lapack")
        return dict(U=U[:, order], s=s[order], Vt=V[:, order].T, history=history, iterations=len(history),
                    inner=len(history), status=status, reason=reason)
    return run
