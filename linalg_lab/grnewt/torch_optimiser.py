"""NewtonSummary as a ``torch.optim.Optimizer`` (one learning rate per parameter group).

Same algorithm and records as :class:`linalg_lab.grnewt.NewtonSummary` (see
:mod:`linalg_lab.grnewt.optimiser`): ``step(closure)`` needs a closure returning the loss of the
current parameters (a fresh graph each call); the direction is the momentum buffer of the gradient
of that loss; the summaries come from autograd (double and triple backward).  torch is imported
when this module is imported, so import it only where torch is installed.
"""
from __future__ import annotations

import numpy as np
import torch

from .._validation import check_int, check_real
from .nesterov import _nesterov_lrs
from .optimiser import StepRecord, next_learning_rates
from .summaries import torch_summaries_core

__all__ = ["TorchNewtonSummary"]


class TorchNewtonSummary(torch.optim.Optimizer):
    """``torch.optim.Optimizer`` subclass; each param group is one group of the partition.

    Parameters
    ----------
    params : iterable of tensors or of dicts
        As for any torch optimiser (use ``linalg_lab.grnewt.canonical(model)`` for the names and
        ``[{"params": [p]} for p in model.parameters()]`` for a per-tensor partition).
    damping, damping_int, period_hg, mom_lrs, remove_negative, momentum, dampening
        As in :class:`~linalg_lab.grnewt.NewtonSummary`.

    Examples
    --------
    >>> import torch
    >>> torch.manual_seed(0)  # doctest: +ELLIPSIS
    <torch._C.Generator object at ...>
    >>> net = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1)).double()
    >>> X, Y = torch.randn(16, 2, dtype=torch.float64), torch.randn(16, 1, dtype=torch.float64)
    >>> opt = TorchNewtonSummary([{"params": [p]} for p in net.parameters()], damping_int=10.0)
    >>> closure = lambda: torch.mean((net(X) - Y) ** 2) / 2
    >>> l0 = float(closure().detach())
    >>> for _ in range(3):
    ...     _ = opt.step(closure)
    >>> bool(float(closure().detach()) < l0), len(opt.history)
    (True, 3)
    """

    def __init__(self, params, *, damping: float = 1.0, damping_int: float = 1.0,
                 period_hg: int = 1, mom_lrs: float = 0.0, remove_negative: bool = False,
                 momentum: float = 0.0, dampening: float = 0.0):
        f = "TorchNewtonSummary"
        defaults = dict(
            damping=check_real(damping, "damping", func=f, lo=0.0, lo_open=True),
            damping_int=check_real(damping_int, "damping_int", func=f, lo=0.0, lo_open=True),
            period_hg=check_int(period_hg, "period_hg", func=f, minimum=1),
            mom_lrs=check_real(mom_lrs, "mom_lrs", func=f, lo=0.0, hi=1.0, hi_open=True),
            remove_negative=bool(remove_negative),
            momentum=check_real(momentum, "momentum", func=f, lo=0.0, hi=1.0, hi_open=True),
            dampening=check_real(dampening, "dampening", func=f, lo=0.0, hi=1.0, hi_open=True))
        super().__init__(params, defaults)
        self.history: list[StepRecord] = []
        self._lrs: np.ndarray | None = None

    def step(self, closure):  # type: ignore[override]
        """One step; ``closure()`` must return the loss (with a graph) of the current parameters."""
        if closure is None:
            raise ValueError("TorchNewtonSummary.step needs a closure returning the loss")
        opts = self.defaults
        ps, gid = [], []
        for s, grp in enumerate(self.param_groups):
            for p in grp["params"]:
                ps.append(p)
                gid.append(s)
        gid_a = np.array(gid)
        S = len(self.param_groups)
        with torch.enable_grad():
            loss = closure()
            grads = torch.autograd.grad(loss, ps, allow_unused=True)
        us = []
        for p, gr in zip(ps, grads):
            gr = torch.zeros_like(p) if gr is None else gr.detach()
            st = self.state[p]
            if "buf" not in st or opts["momentum"] == 0:
                st["buf"] = gr.clone()
            else:
                st["buf"].mul_(opts["momentum"]).add_(gr, alpha=1 - opts["dampening"])
            us.append(st["buf"])
        k = len(self.history)
        if k % opts["period_hg"] == 0 or self._lrs is None:
            H, g, o3, _ = torch_summaries_core(closure, ps, us, gid_a, S)
            res = _nesterov_lrs(H, g, np.abs(o3) ** (1 / 3), opts["damping_int"])
            lrs, applied, zeroed = next_learning_rates(self._lrs, res, mom_lrs=opts["mom_lrs"],
                                                       remove_negative=opts["remove_negative"])
            rec = StepRecord(step=k, loss=float(loss.detach()), recomputed=True, case=res.case.name,
                             solver_ok=res.ok, eta=res.eta, lrs=lrs, applied=applied, zeroed=zeroed,
                             r=res.r)
        else:
            lrs = self._lrs
            rec = StepRecord(step=k, loss=float(loss.detach()), recomputed=False, case="",
                             solver_ok=True, eta=np.full(S, np.nan), lrs=lrs,
                             applied="reused the previous rates", zeroed=(), r=float("nan"))
        self._lrs = lrs
        self.history.append(rec)
        with torch.no_grad():
            for p, u, s in zip(ps, us, gid):
                p.add_(u, alpha=-opts["damping"] * float(lrs[s]))
        return loss
