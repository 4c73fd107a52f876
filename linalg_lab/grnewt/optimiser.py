"""NewtonSummary: per-group learning rates from the anisotropic Nesterov step, for numpy models.

Each step (Wolinski [1]_, Appendix F; options as in the reference implementation):

1. direction ``u`` = momentum buffer ``b ← momentum·b + (1 − dampening)·∇L(θ)`` (``u = ∇L``
   without momentum);
2. every ``period_hg`` steps: summaries ``(H̄, ḡ, order3)`` along ``u``, then
   :func:`~linalg_lab.grnewt.nesterov_lrs` with ``damping_int``; the learning rates are smoothed,
   ``lrs ← mom_lrs·lrs + (1 − mom_lrs)·eta*``; in between, the last ``lrs`` are reused;
3. ``remove_negative`` sets negative learning rates to zero;
4. ``θ ← θ − damping · U I_{P:S} lrs``.

Nothing is zeroed silently: every step appends a :class:`StepRecord` saying whether the summaries
were recomputed, which case the solver was in, what it returned and what was applied (the unbounded
case applies the solver's labelled bounded alternative; a failed solve keeps the previous rates, or
applies no update on the first step; zeroed negative rates are listed).

References
----------
.. [1] P. Wolinski, Adapting Newton's method to neural networks through a summary of higher-order
   derivatives, arXiv:2312.03885.
"""
from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._validation import InputTypeError, check_int, check_option, check_real
from .nesterov import NesterovLRs, SolverCase, _nesterov_lrs
from .partition import Partition
from .summaries import METHODS, summaries

__all__ = ["StepRecord", "NewtonSummary", "next_learning_rates"]


@dataclasses.dataclass(frozen=True)
class StepRecord:
    """What one optimiser step did.

    Attributes
    ----------
    step : int
    loss : float
        Loss before the step.
    recomputed : bool
        Whether the summaries and the solver ran this step.
    case : str
        The solver's case name ("" when reused).
    solver_ok : bool
        The solver's ``ok`` (False in the unbounded case and on failure).
    eta : (S,) ndarray
        The solver's eta (NaN when reused).
    lrs : (S,) ndarray
        The learning rates applied (before ``damping``).
    applied : str
        What was applied, in words.
    zeroed : tuple of int
        Groups whose negative rate ``remove_negative`` set to zero.
    r : float
        ``||D eta||`` from the solver (NaN when reused).
    """

    step: int
    loss: float
    recomputed: bool
    case: str
    solver_ok: bool
    eta: NDArray[np.float64]
    lrs: NDArray[np.float64]
    applied: str
    zeroed: tuple[int, ...]
    r: float


def next_learning_rates(prev: NDArray | None, res: NesterovLRs, *, mom_lrs: float,
                        remove_negative: bool) -> tuple[NDArray, str, tuple[int, ...]]:
    """The rates to apply after a solve: ``(lrs, applied, zeroed)`` (shared by both optimisers).

    Parameters
    ----------
    prev : (S,) ndarray or None
        The learning rates applied at the previous recomputation (None before the first).
    res : NesterovLRs
        The solver's result: its ``eta`` is used when the solve succeeded, or when the model is
        unbounded and the bounded alternative is finite; otherwise ``prev`` is kept (zeros on
        the first step).
    mom_lrs : float
        Keyword-only: the smoothing factor; the new rates are ``mom_lrs * prev + (1 - mom_lrs) *
        eta`` (no smoothing when 0 or on the first step).  Not validated.
    remove_negative : bool
        Keyword-only: set negative rates to 0.

    Returns
    -------
    lrs : (S,) ndarray
        The per-group learning rates to apply (a new array).
    applied : str
        What was done, for the step record.
    zeroed : tuple of int
        The groups whose negative rate ``remove_negative`` set to 0.
    """
    S = res.eta.shape[0]
    if res.ok or res.case is SolverCase.UNBOUNDED and np.isfinite(res.eta).all():
        new = res.eta
        applied = ("solver eta*" if res.ok else
                   f"unbounded model: applied the bounded alternative ({res.alternative})")
    elif prev is not None:
        return prev.copy(), f"solver failed ({res.reason}); kept the previous learning rates", ()
    else:
        return np.zeros(S), f"solver failed on the first step ({res.reason}); no update applied", ()
    lrs = new if prev is None or mom_lrs == 0 else mom_lrs * prev + (1 - mom_lrs) * new
    if mom_lrs and prev is not None:
        applied += f", smoothed with mom_lrs={mom_lrs}"
    zeroed: tuple[int, ...] = ()
    if remove_negative and (lrs < 0).any():
        zeroed = tuple(int(i) for i in np.flatnonzero(lrs < 0))
        lrs = np.where(lrs < 0, 0.0, lrs)
        applied += f"; remove_negative set groups {list(zeroed)} to 0"
    return lrs, applied, zeroed


class NewtonSummary:
    """Per-group Newton learning rates for a numpy model with ``value``/``gradient`` (and, for
    ``method="exact"``, ``hvp``/``third``) on flat parameter vectors.

    Parameters
    ----------
    model : object
        E.g. :class:`~linalg_lab.grnewt.MLP`.
    groups : Partition
    damping : float
        Global factor on the learning rates (``lambda_1``), > 0.
    damping_int : float
        Internal damping of the cubic model, > 0.
    period_hg : int
        Recompute the summaries and rates every ``period_hg`` steps.
    mom_lrs : float
        Moving-average factor of the rates, in [0, 1).
    remove_negative : bool
        Set negative rates to zero (recorded).
    momentum, dampening : float
        Momentum of the direction, in [0, 1).
    method : {"exact", "fd"}
        How the summaries are computed.

    Examples
    --------
    >>> import numpy as np
    >>> from linalg_lab.grnewt import MLP, canonical
    >>> rng = np.random.default_rng(0)
    >>> m = MLP(rng.standard_normal((32, 2)), rng.standard_normal((32, 1)), hidden=4)
    >>> opt = NewtonSummary(m, canonical(m.params), damping_int=10.0)
    >>> th = m.initial()
    >>> for _ in range(5):
    ...     th = opt.step(th)
    >>> bool(m.value(th) < opt.history[0].loss), len(opt.history), opt.history[0].case != ""
    (True, 5, True)
    """

    def __init__(self, model: Any, groups: Partition, *, damping: float = 1.0,
                 damping_int: float = 1.0, period_hg: int = 1, mom_lrs: float = 0.0,
                 remove_negative: bool = False, momentum: float = 0.0, dampening: float = 0.0,
                 method: str = "exact"):
        f = "NewtonSummary"
        if not isinstance(groups, Partition):
            raise InputTypeError(f"{f}: 'groups' must be a Partition, got {type(groups).__name__}")
        self.model = model
        self.groups = groups
        self.damping = check_real(damping, "damping", func=f, lo=0.0, lo_open=True)
        self.damping_int = check_real(damping_int, "damping_int", func=f, lo=0.0, lo_open=True)
        self.period_hg = check_int(period_hg, "period_hg", func=f, minimum=1)
        self.mom_lrs = check_real(mom_lrs, "mom_lrs", func=f, lo=0.0, hi=1.0, hi_open=True)
        self.remove_negative = bool(remove_negative)
        self.momentum = check_real(momentum, "momentum", func=f, lo=0.0, hi=1.0, hi_open=True)
        self.dampening = check_real(dampening, "dampening", func=f, lo=0.0, hi=1.0, hi_open=True)
        self.method = check_option(method, "method", tuple(m for m in METHODS if m != "torch"), func=f)
        self.history: list[StepRecord] = []
        self._buf: NDArray | None = None
        self._lrs: NDArray | None = None
        self._index = groups.flat_indices()

    def step(self, theta: NDArray) -> NDArray:
        """One step from the flat parameters ``theta``; returns the new parameters."""
        theta = np.asarray(theta, dtype=np.float64)
        k = len(self.history)
        grad = self.model.gradient(theta)
        if self._buf is None or self.momentum == 0:
            self._buf = grad.copy()
        else:
            self._buf = self.momentum * self._buf + (1 - self.dampening) * grad
        u = self._buf
        S = self.groups.n_groups
        loss = float(self.model.value(theta))
        if k % self.period_hg == 0 or self._lrs is None:
            sm = summaries(self.model, theta, u, self.groups, method=self.method)
            res = _nesterov_lrs(sm.H, sm.g, sm.d, self.damping_int)
            lrs, applied, zeroed = next_learning_rates(self._lrs, res, mom_lrs=self.mom_lrs,
                                                       remove_negative=self.remove_negative)
            rec = StepRecord(step=k, loss=loss, recomputed=True, case=res.case.name,
                             solver_ok=res.ok, eta=res.eta, lrs=lrs, applied=applied, zeroed=zeroed,
                             r=res.r)
        else:
            lrs = self._lrs
            rec = StepRecord(step=k, loss=loss, recomputed=False, case="", solver_ok=True,
                             eta=np.full(S, np.nan), lrs=lrs, applied="reused the previous rates",
                             zeroed=(), r=float("nan"))
        self._lrs = lrs
        self.history.append(rec)
        step = np.zeros_like(theta)
        for s, ix in enumerate(self._index):
            step[ix] = lrs[s] * u[ix]
        return theta - self.damping * step

    def lrs_history(self) -> NDArray:
        """(steps, S) array of the applied rates."""
        return np.array([r.lrs for r in self.history])
