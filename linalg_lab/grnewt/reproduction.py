"""Reproduction: NewtonSummary vs tuned SGD with momentum and Adam on a small tanh MLP.

A synthetic regression (no downloads): inputs ``X ~ N(0, I)`` in ``R^p``, targets from a random
teacher ``tanh`` network plus Gaussian noise; the student is a two-layer ``tanh`` MLP in float64
trained full batch.  NewtonSummary runs with the canonical (one group per tensor) and the trivial
(one group) partitions; SGD with momentum 0.9 and Adam run at the best learning rate of a small grid
(best final training loss; diverged runs count as +inf); NewtonSummary's ``damping_int`` is chosen
from a grid the same way.  Reported: loss curves, per-group learning rates over time and the
solver cases met (Wolinski [1]_, §5, for the paper's version of this comparison).

References
----------
.. [1] P. Wolinski, Adapting Newton's method to neural networks through a summary of higher-order
   derivatives, arXiv:2312.03885.
"""
from __future__ import annotations

import dataclasses
import math
import time
from collections import Counter
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from .._results import Result, Rigour, Status, field_nojson
from .._validation import check_int
from .models import MLP
from .optimiser import NewtonSummary
from .partition import canonical, trivial

__all__ = ["TrainingRun", "TrainingComparison", "training_comparison", "synthetic_regression",
           "SGD_LRS", "ADAM_LRS", "DAMPING_INT_GRID"]

SGD_LRS = (0.01, 0.03, 0.1, 0.3, 1.0)
ADAM_LRS = (1e-3, 3e-3, 1e-2, 3e-2, 1e-1)
DAMPING_INT_GRID = (3.0, 10.0, 30.0)


def synthetic_regression(*, n: int = 256, p: int = 4, teacher_hidden: int = 8, noise: float = 0.05,
                         seed: int = 0) -> tuple[NDArray, NDArray]:
    """``(X, Y)``: Gaussian inputs and a random tanh teacher's outputs plus noise.

    ``Y = tanh(X W1^T + 0.1) W2^T + noise * N(0, 1)`` with ``W1`` (teacher_hidden, p) of
    ``N(0, 1/p)`` entries and ``W2`` (1, teacher_hidden) of ``N(0, 4/teacher_hidden)`` entries.
    The arguments are not validated (numpy's errors apply).

    Parameters
    ----------
    n : int, default 256
        Keyword-only: the number of samples.
    p : int, default 4
        Keyword-only: the input dimension.
    teacher_hidden : int, default 8
        Keyword-only: the teacher's hidden width.
    noise : float, default 0.05
        Keyword-only: the standard deviation of the additive Gaussian noise on ``Y``.
    seed : int, default 0
        Keyword-only: seed of the ``numpy.random.default_rng`` generator.

    Returns
    -------
    X : (n, p) ndarray
        Standard Gaussian inputs, float64.
    Y : (n, 1) ndarray
        Targets, float64.

    Examples
    --------
    >>> X, Y = synthetic_regression(n=10)
    >>> X.shape, Y.shape
    ((10, 4), (10, 1))
    """
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    W1 = rng.standard_normal((teacher_hidden, p)) / math.sqrt(p)
    W2 = rng.standard_normal((1, teacher_hidden)) * 2 / math.sqrt(teacher_hidden)
    Y = np.tanh(X @ W1.T + 0.1) @ W2.T + noise * rng.standard_normal((n, 1))
    return X, Y


@dataclasses.dataclass(frozen=True)
class TrainingRun:
    """One optimiser's run: ``losses`` per step (before the step), its tuned setting, and for
    NewtonSummary the applied rates ``lrs`` (steps × S), the groups and the solver cases met."""

    name: str
    setting: str
    losses: NDArray[np.float64]
    lrs: NDArray[np.float64] | None
    group_names: tuple[str, ...]
    cases: dict
    elapsed_s: float

    @property
    def final_loss(self) -> float:
        return float(self.losses[-1])


@dataclasses.dataclass(frozen=True)
class TrainingComparison(Result):
    """The runs of :func:`training_comparison` (``runs`` keyed by optimiser name)."""

    runs: dict = field_nojson()
    final_losses: dict
    settings: dict
    steps: int
    status: Status
    reason: str
    rigour: Rigour
    elapsed_s: float


def _sgd(m: MLP, lr: float, steps: int, momentum: float = 0.9) -> NDArray:
    th, buf, out = m.initial(), None, []
    for _ in range(steps):
        out.append(m.value(th))
        gr = m.gradient(th)
        buf = gr if buf is None else momentum * buf + gr
        th = th - lr * buf
        if not np.isfinite(th).all():
            break
    return _pad(out, steps)


def _adam(m: MLP, lr: float, steps: int, b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8) -> NDArray:
    th, out = m.initial(), []
    mo = np.zeros_like(th)
    v = np.zeros_like(th)
    for k in range(1, steps + 1):
        out.append(m.value(th))
        gr = m.gradient(th)
        mo = b1 * mo + (1 - b1) * gr
        v = b2 * v + (1 - b2) * gr * gr
        th = th - lr * (mo / (1 - b1 ** k)) / (np.sqrt(v / (1 - b2 ** k)) + eps)
    return _pad(out, steps)


def _pad(out: list, steps: int) -> NDArray:
    a = np.array(out + [math.inf] * (steps - len(out)), dtype=np.float64)
    a[~np.isfinite(a)] = math.inf
    return a


def _score(losses: NDArray) -> float:
    return float(losses[-1]) if np.isfinite(losses[-1]) else math.inf


def _newton(m: MLP, part, damping_int: float, steps: int, momentum: float):
    opt = NewtonSummary(m, part, damping_int=damping_int, momentum=momentum)
    th = m.initial()
    for _ in range(steps):
        th = opt.step(th)
        if not np.isfinite(th).all():
            break
    losses = _pad([r.loss for r in opt.history], steps)
    return losses, opt


def training_comparison(*, steps: int = 200, hidden: int = 16, seed: int = 0,
                        sgd_lrs: Sequence[float] = SGD_LRS, adam_lrs: Sequence[float] = ADAM_LRS,
                        damping_ints: Sequence[float] = DAMPING_INT_GRID,
                        momentum: float = 0.0) -> TrainingComparison:
    """Train the student with the four optimisers (see the module docstring).

    Parameters
    ----------
    steps : int
        Full-batch steps per run.
    hidden : int
        Student width.
    seed : int
        Data and initialisation seed.
    sgd_lrs, adam_lrs, damping_ints : sequence of float
        Grids tuned over (best final loss).
    momentum : float
        Direction momentum of NewtonSummary.

    Returns
    -------
    TrainingComparison
        ``status`` OK when every optimiser's best run stayed finite.

    Examples
    --------
    >>> res = training_comparison(steps=5, sgd_lrs=(0.1,), adam_lrs=(0.01,), damping_ints=(10.0,))
    >>> sorted(res.runs)
    ['Adam', 'NewtonSummary (canonical)', 'NewtonSummary (trivial)', 'SGD+momentum']
    """
    check_int(steps, "steps", func="training_comparison", minimum=1)
    t0 = time.perf_counter()
    X, Y = synthetic_regression(seed=seed)
    m = MLP(X, Y, hidden=hidden, activation="tanh", seed=seed + 1)
    runs: dict[str, TrainingRun] = {}
    with np.errstate(over="ignore", invalid="ignore"):  # diverging grid points score +inf
        _tune(m, runs, steps, sgd_lrs, adam_lrs, damping_ints, momentum)
    finals = {k: r.final_loss for k, r in runs.items()}
    bad = [k for k, v in finals.items() if not math.isfinite(v)]
    return TrainingComparison(
        runs=runs, final_losses=finals, settings={k: r.setting for k, r in runs.items()}, steps=steps,
        status=Status.NOT_CONVERGED if bad else Status.OK,
        reason=(f"diverged for every setting tried: {bad}" if bad else
                "all optimisers finite at their tuned settings"),
        rigour=Rigour.NUMERICAL, elapsed_s=time.perf_counter() - t0)


def _tune(m, runs, steps, sgd_lrs, adam_lrs, damping_ints, momentum) -> None:
    for name, grid, fn in (("SGD+momentum", sgd_lrs, _sgd), ("Adam", adam_lrs, _adam)):
        t = time.perf_counter()
        best = min(((fn(m, lr, steps), lr) for lr in grid), key=lambda x: _score(x[0]))
        runs[name] = TrainingRun(name=name, setting=f"lr={best[1]:g}", losses=best[0], lrs=None,
                                 group_names=(), cases={}, elapsed_s=time.perf_counter() - t)
    for label, part in (("canonical", canonical(m.params)), ("trivial", trivial(m.params))):
        t = time.perf_counter()
        best = min(((*_newton(m, part, di, steps, momentum), di) for di in damping_ints),
                   key=lambda x: _score(x[0]))
        losses, opt, di = best
        cases = Counter(r.case for r in opt.history if r.recomputed)
        runs[f"NewtonSummary ({label})"] = TrainingRun(
            name=f"NewtonSummary ({label})", setting=f"damping_int={di:g}", losses=losses,
            lrs=opt.lrs_history(), group_names=part.group_names, cases=dict(cases),
            elapsed_s=time.perf_counter() - t)
