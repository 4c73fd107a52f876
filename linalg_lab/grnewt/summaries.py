"""Second- and third-order summaries of a loss along a direction, per group of parameters.

With ``φ(η) = L(θ − U I_{P:S} η)`` (``U = Diag(u)``, ``I_{P:S}`` the group-membership matrix), the
summaries are ``ḡ = −∇φ(0) = V^T ∇L(θ)``, ``H̄ = ∇²φ(0) = V^T ∇²L(θ) V`` and
``order3_s = −∂³φ/∂η_s³(0) = D³L(θ)[v_s, v_s, v_s]``, where ``v_s`` (the columns of ``V``) is ``u``
restricted to group ``s`` (Wolinski [1]_, §3).  ``d = |order3|^{1/3}`` is the diagonal of ``D``.

Methods
-------
``"exact"``
    The model's own Hessian-vector product and third directional derivative (S of each).
``"fd"``
    Central differences of the gradient only: ``H̄[:, s] ≈ V^T (∇L(θ + h v_s) − ∇L(θ − h v_s))/(2h)``
    and ``order3_s ≈ (ψ(h) − 2ψ(0) + ψ(−h))/h²`` with ``ψ(t) = v_s^T ∇L(θ + t v_s)``.  Steps balance
    truncation against rounding: for an ``O(h²)`` first-derivative formula the total error
    ``h² |f'''|/6 + ε_f/h`` is smallest at ``h ∝ ε^{1/3}``, for the second difference
    ``h² |f''''|/12 + 4ε_f/h²`` at ``h ∝ ε^{1/4}`` (Nocedal & Wright [2]_, §8.1), with ``h`` scaled so
    the parameter change ``h ||v_s||_∞`` is that fraction of ``max(||θ||_∞, 1)``.  The error
    estimate is Richardson's ``|D(h) − D(2h)|/3`` (the truncation error of ``D(h)``) plus the
    rounding term ``ε_f/h`` (resp. ``4ε_f/h²``) with ``ε_f`` = 64 eps times the magnitude of the
    differenced quantities (a gradient accurate to a few dozen roundings).
``"torch"``
    Autograd: one double-backward per group for ``H̄`` and one triple-backward for ``order3``;
    ``loss`` is a function of the list of parameter tensors, or a zero-argument closure when
    ``params`` is a torch module.

References
----------
.. [1] P. Wolinski, Adapting Newton's method to neural networks through a summary of higher-order
   derivatives, arXiv:2312.03885.
.. [2] J. Nocedal, S. J. Wright, Numerical Optimization, 2nd ed., Springer 2006,
   doi:10.1007/978-0-387-40065-5.
"""
from __future__ import annotations

import dataclasses
import time
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._results import Result, Rigour, Status, field_nojson
from .._validation import InputTypeError, InputValueError, as_vector, check_option
from .partition import Partition

__all__ = ["Summaries", "summaries", "METHODS"]

METHODS = ("exact", "fd", "torch")
_EPS = float(np.finfo(np.float64).eps)
#: Assumed relative accuracy of a computed gradient (a few dozen roundings), for the FD rounding term.
GRADIENT_ROUNDING_EPS = 64


@dataclasses.dataclass(frozen=True)
class Summaries(Result):
    """``(H̄, ḡ, order3)`` with error estimates (finite differences) and the method used.

    Attributes
    ----------
    H : (S, S) ndarray
        Summary Hessian (symmetrised for ``"fd"``).
    g : (S,) ndarray
        Summary gradient.
    order3 : (S,) ndarray
        Diagonal third-order summary; ``d = |order3|^{1/3}``.
    H_error, order3_error : ndarray
        Estimated absolute errors (``"fd"``); NaN where not estimated (``"exact"``/``"torch"``, exact
        up to rounding).
    steps : (S, 2) ndarray or None
        The finite-difference steps ``(h_H, h_3)`` per group.
    """

    H: NDArray[np.float64]
    g: NDArray[np.float64]
    order3: NDArray[np.float64]
    H_error: NDArray[np.float64]
    order3_error: NDArray[np.float64]
    steps: NDArray[np.float64] | None
    method: str
    group_names: tuple[str, ...]
    status: Status
    reason: str
    rigour: Rigour
    elapsed_s: float

    @property
    def d(self) -> NDArray[np.float64]:
        """``|order3|^{1/3}``, the diagonal of ``D``."""
        return np.abs(self.order3) ** (1.0 / 3.0)


def _flat(x: Any, groups: Partition, name: str) -> NDArray:
    if isinstance(x, (list, tuple)):
        if len(x) != len(groups.shapes):
            raise InputValueError(f"summaries: '{name}' must hold {len(groups.shapes)} arrays (one per "
                                  f"parameter of the partition), got {len(x)}")
        for a, shp in zip(x, groups.shapes):
            if tuple(np.shape(a)) != tuple(shp):
                raise InputValueError(f"summaries: '{name}' has an array of shape {np.shape(a)} where "
                                      f"the partition expects {shp}")
        x = np.concatenate([np.asarray(a, dtype=np.float64).ravel() for a in x])
    v = as_vector(x, name, func="summaries", keep_dtype=False)
    if v.shape != (groups.n_params,):
        raise InputValueError(f"summaries: '{name}' must have {groups.n_params} entries (the "
                              f"partition's parameters), got shape {v.shape}")
    return v


def summaries(loss: Any, params: Any, direction: Any, groups: Partition, *,
              method: str = "exact") -> Summaries:
    """Summaries ``(H̄, ḡ, order3)`` of ``loss`` at ``params`` along ``direction`` per group.

    Parameters
    ----------
    loss : model or callable
        numpy methods: an object with ``gradient(theta)`` (``"fd"``) and also ``hvp(theta, v)``,
        ``third(theta, v)`` (``"exact"``), on flat float64 vectors (e.g. :class:`MLP`).
        ``"torch"``: a callable of the list of parameter tensors returning a scalar tensor, or a
        zero-argument closure when ``params`` is a ``torch.nn.Module``.
    params : (P,) array_like, list of arrays, list of tensors or torch module
        The point θ.
    direction : (P,) array_like or list of arrays/tensors
        The direction ``u`` (same structure as the parameters).
    groups : Partition
        The groups (whole tensors).
    method : {"exact", "fd", "torch"}

    Returns
    -------
    Summaries

    Notes
    -----
    Cost: ``"exact"``/``"torch"``: S Hessian-vector products and S third derivatives; ``"fd"``:
    ``8S + 1`` gradients.

    Examples
    --------
    >>> import numpy as np
    >>> from linalg_lab.grnewt import MLP, canonical
    >>> rng = np.random.default_rng(0)
    >>> m = MLP(rng.standard_normal((16, 3)), rng.standard_normal((16, 1)), hidden=5)
    >>> th = m.initial()
    >>> ex = summaries(m, th, m.gradient(th), canonical(m.params), method="exact")
    >>> fd = summaries(m, th, m.gradient(th), canonical(m.params), method="fd")
    >>> ex.H.shape, bool(np.all(np.abs(fd.H - ex.H) <= fd.H_error))
    ((4, 4), True)
    """
    check_option(method, "method", METHODS, func="summaries")
    if not isinstance(groups, Partition):
        raise InputTypeError(f"summaries: 'groups' must be a Partition (from canonical, trivial, "
                             f"by_suffix or blocks), got {type(groups).__name__}")
    t0 = time.perf_counter()
    if method == "torch":
        H, g, o3 = _torch_summaries(loss, params, direction, groups)
        nan = np.full(H.shape, np.nan)
        return Summaries(H=H, g=g, order3=o3, H_error=nan, order3_error=np.full(g.shape, np.nan),
                         steps=None, method=method, group_names=groups.group_names, status=Status.OK,
                         reason="torch autograd (exact up to rounding)", rigour=Rigour.NUMERICAL,
                         elapsed_s=time.perf_counter() - t0)
    needed = ("gradient", "hvp", "third") if method == "exact" else ("gradient",)
    missing = [m for m in needed if not callable(getattr(loss, m, None))]
    if missing:
        raise InputTypeError(f"summaries: method={method!r} needs a model with {', '.join(needed)}; "
                             f"{type(loss).__name__} lacks {', '.join(missing)}")
    theta = _flat(params, groups, "params")
    u = _flat(direction, groups, "direction")
    V = _columns(u, groups)
    grad = np.asarray(loss.gradient(theta), dtype=np.float64)
    g = V.T @ grad
    S = groups.n_groups
    if method == "exact":
        H = np.column_stack([V.T @ np.asarray(loss.hvp(theta, V[:, s])) for s in range(S)])
        o3 = np.array([float(loss.third(theta, V[:, s])) for s in range(S)])
        nan = np.full((S, S), np.nan)
        return Summaries(H=0.5 * (H + H.T), g=g, order3=o3, H_error=nan, order3_error=np.full(S, np.nan),
                         steps=None, method=method, group_names=groups.group_names, status=Status.OK,
                         reason="exact derivatives of the model", rigour=Rigour.NUMERICAL,
                         elapsed_s=time.perf_counter() - t0)
    H, He, o3, o3e, steps = _fd(loss, theta, V, grad)
    bad = ~np.isfinite(H).all() or ~np.isfinite(o3).all()
    return Summaries(H=H, g=g, order3=o3, H_error=He, order3_error=o3e, steps=steps, method=method,
                     group_names=groups.group_names,
                     status=Status.INACCURATE if bad else Status.OK,
                     reason="non-finite finite differences (step too large?)" if bad else
                     "central differences of the gradient with Richardson error estimates",
                     rigour=Rigour.NUMERICAL, elapsed_s=time.perf_counter() - t0)


def _columns(u: NDArray, groups: Partition) -> NDArray:
    V = np.zeros((u.shape[0], groups.n_groups))
    for s, ix in enumerate(groups.flat_indices()):
        V[ix, s] = u[ix]
    return V


def _fd(loss, theta, V, grad):
    S = V.shape[1]
    H = np.zeros((S, S))
    He = np.zeros((S, S))
    o3 = np.zeros(S)
    o3e = np.zeros(S)
    steps = np.zeros((S, 2))
    base = max(float(np.max(np.abs(theta))), 1.0)
    absV = np.abs(V)
    for s in range(S):
        v = V[:, s]
        vmax = float(np.max(np.abs(v)))
        if vmax == 0.0:
            continue
        h1 = _EPS ** (1 / 3) * base / vmax
        h3 = _EPS ** (1 / 4) * base / vmax
        steps[s] = h1, h3

        def G(t):
            return np.asarray(loss.gradient(theta + t * v), dtype=np.float64)

        Gp, Gm, Gp2, Gm2 = G(h1), G(-h1), G(2 * h1), G(-2 * h1)
        D1 = V.T @ (Gp - Gm) / (2 * h1)
        D2 = V.T @ (Gp2 - Gm2) / (4 * h1)
        H[:, s] = D1
        rnd = GRADIENT_ROUNDING_EPS * _EPS * (absV.T @ (np.abs(Gp) + np.abs(Gm))) / (2 * h1)
        He[:, s] = np.abs(D1 - D2) / 3 + rnd
        psi0 = v @ grad
        Q = [v @ G(t) for t in (h3, -h3, 2 * h3, -2 * h3)]
        E1 = (Q[0] - 2 * psi0 + Q[1]) / h3 ** 2
        E2 = (Q[2] - 2 * psi0 + Q[3]) / (4 * h3 ** 2)
        mag = abs(v) @ (np.abs(grad) + np.abs(G(h3)) + np.abs(G(-h3)))
        o3[s] = E1
        o3e[s] = abs(E1 - E2) / 3 + 4 * GRADIENT_ROUNDING_EPS * _EPS * mag / h3 ** 2
    asym = np.abs(H - H.T) / 2
    return 0.5 * (H + H.T), 0.5 * (He + He.T) + asym, o3, o3e, steps


def _torch_summaries(loss, params, direction, groups: Partition):
    import torch

    if isinstance(params, torch.nn.Module):
        ps = list(params.parameters())
        call = loss
    else:
        if not isinstance(params, (list, tuple)):
            raise InputTypeError("summaries: method='torch' needs 'params' as a list of tensors or a "
                                 f"torch.nn.Module, got {type(params).__name__}")
        ps = [torch.as_tensor(p).detach().clone().requires_grad_(True) for p in params]

        def call():
            return loss(ps)
    if len(ps) != len(groups.shapes):
        raise InputValueError(f"summaries: the partition has {len(groups.shapes)} tensors, the torch "
                              f"parameters {len(ps)}")
    us = [torch.as_tensor(np.asarray(u) if not torch.is_tensor(u) else u, dtype=p.dtype).detach()
          for u, p in zip(direction, ps)]
    return torch_summaries_core(call, ps, us, groups.group_of_tensor(), groups.n_groups)[:3]


def torch_summaries_core(call, ps: list, us: list, gid: NDArray, S: int):
    """(H̄, ḡ, order3, loss value) by autograd: ``call()`` returns the loss of the leaf tensors ``ps``; ``us`` is
    the direction per tensor and ``gid`` the group of each tensor (used by the torch optimiser)."""
    import torch

    with torch.enable_grad():
        L = call()
        grads = torch.autograd.grad(L, ps, create_graph=True, allow_unused=True)
        grads = [torch.zeros_like(p) if gr is None else gr for gr, p in zip(grads, ps)]

        def dot(a, s):  # sum over the tensors of group s of <a_i, u_i>
            tot = 0.0
            for i in np.flatnonzero(gid == s):
                if a[i] is not None:
                    tot = tot + torch.sum(a[i] * us[i])
            return tot

        g = np.array([float(dot(grads, s).detach()) if torch.is_tensor(dot(grads, s)) else 0.0 for s in range(S)])
        H = np.zeros((S, S))
        o3 = np.zeros(S)
        for s in range(S):
            gv = dot(grads, s)
            if not torch.is_tensor(gv) or not gv.requires_grad:
                continue
            Hv = torch.autograd.grad(gv, ps, create_graph=True, allow_unused=True)
            H[:, s] = [float(torch.as_tensor(dot(Hv, t)).detach()) for t in range(S)]
            vHv = dot(Hv, s)
            if torch.is_tensor(vHv) and vHv.requires_grad:
                T = torch.autograd.grad(vHv, ps, retain_graph=True, allow_unused=True)
                o3[s] = float(torch.as_tensor(dot(T, s)).detach())
    return 0.5 * (H + H.T), g, o3, float(L.detach())
