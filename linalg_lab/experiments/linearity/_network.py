"""Width-m networks at initialisation: output, gradient and exact Hessian-vector products.

Two architectures, both in the NTK parameterisation with ``tanh`` activations, hidden weights
``N(0, 1)`` and output weights ``v`` either Rademacher ``±1`` (default) or ``N(0, 1)`` at
initialisation, evaluated at one input ``x`` with ``||x||_2 = 1``:

* ``"two-layer"``: ``f(x) = v^T sigma(W x) / sqrt(m)`` with ``W`` (m x d), ``v`` (m);
* ``"skip"``: a three-layer network with a residual (skip) connection, a small directed acyclic
  graph in the sense of Zhu, Liu and Belkin (NeurIPS 2022):
  ``h1 = sigma(W1 x)``, ``h2 = h1 + sigma(W2 h1 / sqrt(m))``, ``f = v^T h2 / sqrt(m)``, with
  ``W1`` (m x d), ``W2`` (m x m), ``v`` (m).

The Hessian of ``f`` with respect to all parameters is applied exactly (no finite differences) by
Pearlmutter's R-operator: the directional derivative of the back-propagated gradient along the
direction (``R{.}`` below), hand-derived for each architecture.

Why the output-weight law matters for a finite-width fit: the two-layer Hessian is block diagonal
over neurons (:func:`two_layer_hessian_norm`), so ``||H||_2`` is a *maximum* over neurons of terms
proportional to ``|v_i|/sqrt(m)``.  With Gaussian ``v`` that maximum grows like ``sqrt(2 log m)``, so
``||H||_2 = Theta(sqrt(log m / m))``: the exponent -1/2 holds only up to this logarithm, and a fit
over 2^6..2^14 sees about -0.43 (measured).  With ``v = ±1`` the maximum is bounded and the fitted
exponent is -1/2 within its confidence interval.

References
----------
.. [1] B. A. Pearlmutter, "Fast exact multiplication by the Hessian", Neural Computation 6(1)
   (1994) 147–160, doi:10.1162/neco.1994.6.1.147.
.. [2] C. Liu, L. Zhu, M. Belkin, "On the linearity of large non-linear models: when and why the
   tangent kernel is constant", NeurIPS 2020, arXiv:2010.01092.
.. [3] L. Zhu, C. Liu, M. Belkin, "Transition to linearity of general neural networks with directed
   acyclic graph architecture", NeurIPS 2022, arXiv:2205.11786.
"""
from __future__ import annotations

import dataclasses
import math

import numpy as np
from numpy.typing import NDArray

__all__ = ["NETWORKS", "OUTER", "Network", "init_network", "two_layer_hessian_norm"]

NETWORKS = ("two-layer", "skip")
#: Laws of the output weights ``v``.
OUTER = ("rademacher", "gaussian")


def _s(z: NDArray) -> NDArray:
    return np.tanh(z)


def _ds(z: NDArray) -> NDArray:
    return 1.0 - np.tanh(z) ** 2


def _dds(z: NDArray) -> NDArray:
    t = np.tanh(z)
    return -2.0 * t * (1.0 - t * t)


@dataclasses.dataclass(frozen=True)
class Network:
    """Parameters and input of one network at initialisation (see the module docstring).

    ``params`` is a tuple of arrays ``(W, v)`` or ``(W1, W2, v)``; ``size`` is their total count.
    """

    kind: str
    width: int
    x: NDArray[np.float64]
    params: tuple[NDArray[np.float64], ...]

    @property
    def size(self) -> int:
        return int(sum(p.size for p in self.params))

    def _split(self, vec: NDArray) -> list[NDArray]:
        out, i = [], 0
        for p in self.params:
            out.append(vec[i:i + p.size].reshape(p.shape))
            i += p.size
        return out

    def output(self) -> float:
        """``f(x)`` at the current parameters."""
        return float(self._forward()[-1])

    def _forward(self) -> tuple:
        m = self.width
        r = math.sqrt(m)
        if self.kind == "two-layer":
            W, v = self.params
            a1 = W @ self.x
            h1 = _s(a1)
            return a1, h1, float(v @ h1) / r
        W1, W2, v = self.params
        a1 = W1 @ self.x
        h1 = _s(a1)
        a2 = W2 @ h1 / r
        h2 = h1 + _s(a2)
        return a1, h1, a2, h2, float(v @ h2) / r

    def gradient(self) -> NDArray[np.float64]:
        """``grad_theta f(x)`` flattened in the order of ``params``."""
        m = self.width
        r = math.sqrt(m)
        x = self.x
        if self.kind == "two-layer":
            W, v = self.params
            a1, h1, _ = self._forward()
            g_a1 = v / r * _ds(a1)
            return np.concatenate([np.outer(g_a1, x).ravel(), h1 / r])
        W1, W2, v = self.params
        a1, h1, a2, h2, _ = self._forward()
        g_h2 = v / r
        g_a2 = g_h2 * _ds(a2)
        g_h1 = g_h2 + W2.T @ g_a2 / r
        g_a1 = g_h1 * _ds(a1)
        return np.concatenate([np.outer(g_a1, x).ravel(), (np.outer(g_a2, h1) / r).ravel(), h2 / r])

    def hvp(self, vec: NDArray) -> NDArray[np.float64]:
        """Exact Hessian-vector product ``H vec`` (Pearlmutter's R-operator on the gradient)."""
        m = self.width
        r = math.sqrt(m)
        x = self.x
        vec = np.asarray(vec, dtype=np.float64).ravel()
        if self.kind == "two-layer":
            W, v = self.params
            dW, dv = self._split(vec)
            a1 = W @ x
            Ra1 = dW @ x
            # g_W = (v/r * s'(a1)) x^T, g_v = s(a1)/r
            Rg_a1 = (dv * _ds(a1) + v * _dds(a1) * Ra1) / r
            return np.concatenate([np.outer(Rg_a1, x).ravel(), _ds(a1) * Ra1 / r])
        W1, W2, v = self.params
        dW1, dW2, dv = self._split(vec)
        a1, h1, a2, h2, _ = self._forward()
        s1, s2 = _ds(a1), _ds(a2)
        g_h2 = v / r
        g_a2 = g_h2 * s2
        g_h1 = g_h2 + W2.T @ g_a2 / r
        Ra1 = dW1 @ x
        Rh1 = s1 * Ra1
        Ra2 = (dW2 @ h1 + W2 @ Rh1) / r
        Rh2 = Rh1 + s2 * Ra2
        Rg_h2 = dv / r
        Rg_a2 = Rg_h2 * s2 + g_h2 * _dds(a2) * Ra2
        Rg_W2 = (np.outer(Rg_a2, h1) + np.outer(g_a2, Rh1)) / r
        Rg_h1 = Rg_h2 + (dW2.T @ g_a2 + W2.T @ Rg_a2) / r
        Rg_a1 = Rg_h1 * s1 + g_h1 * _dds(a1) * Ra1
        return np.concatenate([np.outer(Rg_a1, x).ravel(), Rg_W2.ravel(), Rh2 / r])

    def hessian_operator(self):
        """The Hessian as a symmetric ``scipy.sparse.linalg.LinearOperator`` (matvec = rmatvec)."""
        from scipy.sparse.linalg import LinearOperator

        N = self.size
        return LinearOperator((N, N), matvec=self.hvp, rmatvec=self.hvp, dtype=np.float64)


def init_network(kind: str, width: int, *, input_dim: int = 16, seed: int = 0,
                 outer: str = "rademacher") -> Network:
    """A network at initialisation: hidden weights ``N(0, 1)``, output weights ``v`` of law ``outer``
    ("rademacher" ``±1`` or "gaussian" ``N(0, 1)``), a unit input ``x`` (unchecked helper).

    The random stream depends on ``(seed, width, kind)`` so that runs are reproducible and
    independent across widths.

    Parameters
    ----------
    kind : {"two-layer", "skip"}
        The architecture, one of :data:`NETWORKS` (not validated beyond ``NETWORKS.index``, which
        raises ValueError for another name).
    width : int
        The hidden width ``m``.
    input_dim : int, default 16
        Keyword-only: the input dimension ``d``.
    seed : int, default 0
        Keyword-only: the seed, combined with ``width`` and ``kind``.
    outer : {"rademacher", "gaussian"}, default "rademacher"
        Keyword-only: the law of the output weights (:data:`OUTER`); any other value means
        "rademacher" (not validated).

    Returns
    -------
    Network
        ``params`` ``(W, v)`` with ``W`` (m, d) for "two-layer", ``(W1, W2, v)`` with ``W2``
        (m, m) for "skip"; ``x`` (d,) of unit norm.

    Examples
    --------
    >>> net = init_network("two-layer", 64, input_dim=4)
    >>> net.size, net.hvp(np.ones(net.size)).shape
    (320, (320,))
    """
    rng = np.random.default_rng([seed, width, NETWORKS.index(kind)])
    x = rng.standard_normal(input_dim)
    x /= np.linalg.norm(x)
    W1 = rng.standard_normal((width, input_dim))
    W2 = rng.standard_normal((width, width)) if kind == "skip" else None
    v = rng.standard_normal(width) if outer == "gaussian" else rng.choice([-1.0, 1.0], size=width)
    params = (W1, v) if kind == "two-layer" else (W1, W2, v)
    return Network(kind=kind, width=width, x=x, params=params)


def two_layer_hessian_norm(net: Network) -> float:
    """Closed-form ``||H||_2`` of the two-layer network (an independent check of the HVPs).

    The Hessian is block diagonal over neurons: neuron ``i`` couples ``w_i`` and ``v_i`` through
    ``[[a_i x x^T, b_i x], [b_i x^T, 0]]`` with ``a_i = v_i sigma''(z_i)/sqrt(m)``,
    ``b_i = sigma'(z_i)/sqrt(m)``, ``z_i = w_i^T x``; on ``span{x (x) e_i, e_{v_i}}`` this is the
    2 x 2 matrix ``[[a r^2, b r], [b r, 0]]`` (``r = ||x||``) and it vanishes elsewhere, so
    ``||H||_2 = max_i (|a_i| r^2 + sqrt(a_i^2 r^4 + 4 b_i^2 r^2)) / 2``.

    Parameters
    ----------
    net : Network
        A "two-layer" network (:func:`init_network`).

    Returns
    -------
    float
        The spectral norm of the Hessian of the output with respect to all parameters at
        ``net.x`` (closed form, evaluated in float64).

    Raises
    ------
    ValueError
        ``net`` is not a "two-layer" network.

    Examples
    --------
    >>> net = init_network("two-layer", 64, input_dim=4)
    >>> H = np.column_stack([net.hvp(e) for e in np.eye(net.size)])
    >>> bool(abs(np.linalg.norm(H, 2) - two_layer_hessian_norm(net)) < 1e-12)
    True
    """
    if net.kind != "two-layer":
        raise ValueError(f"two_layer_hessian_norm: needs a 'two-layer' network, got {net.kind!r}")
    W, v = net.params
    z = W @ net.x
    rr = float(np.linalg.norm(net.x))
    s = math.sqrt(net.width)
    a = v * _dds(z) / s * rr**2
    b = _ds(z) / s * rr
    return float(np.max((np.abs(a) + np.sqrt(a * a + 4 * b * b)) / 2))
