"""Small numpy models with exact derivatives: value, gradient, Hessian-vector product and the
third directional derivative ``D^3 L(θ)[v, v, v]``, plus torch twins for cross-checks.

* :class:`MLP` — ``f(x) = W2 σ(W1 x + b1) + b2``, ``σ`` = tanh or softplus, loss
  ``L = ||f(X) − Y||_F^2 / (2n)``.  The HVP is Pearlmutter's R-operator (forward then backward pass
  of the directional derivative, [1]_); the third directional derivative propagates the Taylor
  coefficients of ``t -> L(θ + t v)`` to order 3 through the network (``θ + tv`` enters each layer
  linearly, so the coefficients of ``σ(Z0 + t Z1)`` are ``σ^{(k)}(Z0) Z1^k / k!``).
* :class:`PolynomialModel` — ``L(θ) = (1/m) Σ_j c_j (a_j^T θ + e_j)^7``, a degree-7 polynomial
  whose derivatives are closed forms (and whose full Hessian and third-derivative tensor are
  available for brute-force checks).

Parameters are a flat float64 vector ``theta``; :attr:`params` gives the named tensors (for a
:class:`~linalg_lab.grnewt.partition.Partition`) and :meth:`unflatten` splits a flat vector.

References
----------
.. [1] B. A. Pearlmutter, Fast exact multiplication by the Hessian, Neural Comput. 6 (1994)
   147–160, doi:10.1162/neco.1994.6.1.147.
.. [2] A. Griewank, A. Walther, Evaluating Derivatives, 2nd ed., SIAM 2008, ch. 13 (Taylor
   propagation), doi:10.1137/1.9780898717761.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._validation import as_matrix, check_int, check_option

__all__ = ["MLP", "PolynomialModel", "ACTIVATIONS"]


def _tanh_derivs(z: NDArray):
    t = np.tanh(z)
    s1 = 1.0 - t * t
    return t, s1, -2.0 * t * s1, s1 * (6.0 * t * t - 2.0)


def _softplus_derivs(z: NDArray):
    s = 0.5 * (1.0 + np.tanh(0.5 * z))  # logistic sigmoid without overflow
    return np.logaddexp(0.0, z), s, s * (1.0 - s), s * (1.0 - s) * (1.0 - 2.0 * s)


#: Activation name -> function returning (σ, σ', σ'', σ''') at z.
ACTIVATIONS = {"tanh": _tanh_derivs, "softplus": _softplus_derivs}


class _FlatModel:
    params: list[tuple[str, NDArray]]

    @property
    def shapes(self) -> list[tuple[int, ...]]:
        return [p.shape for _, p in self.params]

    @property
    def n_params(self) -> int:
        return int(sum(p.size for _, p in self.params))

    def flatten(self, arrays) -> NDArray:
        return np.concatenate([np.asarray(a, dtype=np.float64).ravel() for a in arrays])

    def unflatten(self, theta: NDArray) -> list[NDArray]:
        out, k = [], 0
        for shp in self.shapes:
            n = int(np.prod(shp, dtype=np.int64))
            out.append(theta[k:k + n].reshape(shp))
            k += n
        return out

    def initial(self) -> NDArray:
        """The initial parameters as a flat vector."""
        return self.flatten([p for _, p in self.params])


class MLP(_FlatModel):
    """Two-layer perceptron regression with exact derivatives (see the module docstring).

    Parameters
    ----------
    X : (n, p) array_like
        Inputs.
    Y : (n, q) array_like
        Targets.
    hidden : int
        Width of the hidden layer.
    activation : {"tanh", "softplus"}
    seed : int
        Seed of the default initialisation (uniform ±1/sqrt(fan_in), as torch's Linear).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> m = MLP(rng.standard_normal((8, 3)), rng.standard_normal((8, 2)), hidden=4)
    >>> th, v = m.initial(), rng.standard_normal(m.n_params)
    >>> h = 1e-5
    >>> fd = (m.gradient(th + h * v) - m.gradient(th - h * v)) / (2 * h)
    >>> bool(np.allclose(m.hvp(th, v), fd, rtol=1e-6, atol=1e-8))
    True
    """

    def __init__(self, X: Any, Y: Any, *, hidden: int, activation: str = "tanh", seed: int = 0):
        self.X = as_matrix(X, "X", func="MLP", keep_dtype=False)
        self.Y = as_matrix(Y, "Y", func="MLP", keep_dtype=False)
        check_int(hidden, "hidden", func="MLP", minimum=1)
        self.activation = check_option(activation, "activation", tuple(ACTIVATIONS), func="MLP")
        self._act = ACTIVATIONS[activation]
        n, p = self.X.shape
        q = self.Y.shape[1]
        rng = np.random.default_rng(seed)
        u1, u2 = 1 / math.sqrt(p), 1 / math.sqrt(hidden)
        self.params = [("layer1.weight", rng.uniform(-u1, u1, (hidden, p))),
                       ("layer1.bias", rng.uniform(-u1, u1, hidden)),
                       ("layer2.weight", rng.uniform(-u2, u2, (q, hidden))),
                       ("layer2.bias", rng.uniform(-u2, u2, q))]

    def _forward(self, theta):
        W1, b1, W2, b2 = self.unflatten(theta)
        Z = self.X @ W1.T + b1
        a0, a1, a2, a3 = self._act(Z)
        F = a0 @ W2.T + b2
        return W1, b1, W2, b2, Z, (a0, a1, a2, a3), F

    def predict(self, theta: NDArray, X: NDArray | None = None) -> NDArray:
        """Network output on ``X`` (default: the training inputs)."""
        W1, b1, W2, b2 = self.unflatten(theta)
        X = self.X if X is None else X
        return self._act(X @ W1.T + b1)[0] @ W2.T + b2

    def value(self, theta: NDArray) -> float:
        """The loss ``||f(X) − Y||^2 / (2n)``."""
        R = self._forward(theta)[-1] - self.Y
        return float(0.5 * np.sum(R * R) / self.X.shape[0])

    def gradient(self, theta: NDArray) -> NDArray:
        """∇L (backpropagation)."""
        W1, b1, W2, b2, Z, (a0, s1, _, _), F = self._forward(theta)
        dF = (F - self.Y) / self.X.shape[0]
        dZ = (dF @ W2) * s1
        return self.flatten([dZ.T @ self.X, dZ.sum(0), dF.T @ a0, dF.sum(0)])

    def hvp(self, theta: NDArray, v: NDArray) -> NDArray:
        """``∇²L(θ) v`` by the R-operator (exact up to rounding)."""
        W1, b1, W2, b2, Z, (a0, s1, s2, _), F = self._forward(theta)
        V1, c1, V2, c2 = self.unflatten(v)
        n = self.X.shape[0]
        RZ = self.X @ V1.T + c1
        Ra = s1 * RZ
        RF = Ra @ W2.T + a0 @ V2.T + c2
        dF = (F - self.Y) / n
        RdF = RF / n
        dA = dF @ W2
        RdA = RdF @ W2 + dF @ V2
        RdZ = RdA * s1 + dA * s2 * RZ
        return self.flatten([RdZ.T @ self.X, RdZ.sum(0), RdF.T @ a0 + dF.T @ Ra, RdF.sum(0)])

    def third(self, theta: NDArray, v: NDArray) -> float:
        """``D³L(θ)[v, v, v]`` by Taylor propagation to order 3."""
        W1, b1, W2, b2, Z, (a0, s1, s2, s3), F = self._forward(theta)
        V1, c1, V2, c2 = self.unflatten(v)
        Zd = self.X @ V1.T + c1
        a1, a2, a3 = s1 * Zd, s2 * Zd ** 2 / 2, s3 * Zd ** 3 / 6
        r0 = F - self.Y
        f1 = a1 @ W2.T + a0 @ V2.T + c2
        f2 = a2 @ W2.T + a1 @ V2.T
        f3 = a3 @ W2.T + a2 @ V2.T
        L3 = np.sum(f1 * f2 + r0 * f3) / self.X.shape[0]
        return float(6.0 * L3)

    def torch_loss(self, tensors: list) -> Any:
        """The same loss in torch, as a function of the four parameter tensors (float64)."""
        import torch

        W1, b1, W2, b2 = tensors
        X = torch.as_tensor(self.X)
        Y = torch.as_tensor(self.Y)
        Z = X @ W1.T + b1
        A = torch.tanh(Z) if self.activation == "tanh" else torch.nn.functional.softplus(Z)
        R = A @ W2.T + b2 - Y
        return 0.5 * torch.sum(R * R) / X.shape[0]


class PolynomialModel(_FlatModel):
    """``L(θ) = (1/m) Σ_j c_j (a_j^T θ + e_j)^7`` with random ``a_j``, ``c_j``, ``e_j``.

    The parameters are split into three named tensors (``"a"``, ``"b"``, ``"c"``) of sizes
    ``sizes`` so that partitions have something to group.

    Examples
    --------
    >>> import numpy as np
    >>> m = PolynomialModel(sizes=(2, 3, 1), terms=4, seed=1)
    >>> th, v = m.initial(), np.ones(6)
    >>> T = m.full_third(th)
    >>> bool(np.isclose(np.einsum("ijk,i,j,k", T, v, v, v), m.third(th, v)))
    True
    """

    degree = 7

    def __init__(self, *, sizes: tuple[int, ...] = (3, 4, 2), terms: int = 6, seed: int = 0,
                 scale: float = 0.5):
        rng = np.random.default_rng(seed)
        P = int(sum(sizes))
        self.A = rng.standard_normal((terms, P)) * scale / math.sqrt(P)
        self.c = rng.standard_normal(terms)
        self.e = rng.standard_normal(terms) * 0.5
        theta = rng.standard_normal(P)
        self.params, k = [], 0
        for name, n in zip("abcdefgh", sizes):
            self.params.append((name, theta[k:k + n]))
            k += n

    def _t(self, theta):
        return self.A @ theta + self.e

    def value(self, theta: NDArray) -> float:
        return float(self.c @ self._t(theta) ** 7 / len(self.c))

    def gradient(self, theta: NDArray) -> NDArray:
        return self.A.T @ (7 * self.c * self._t(theta) ** 6) / len(self.c)

    def hvp(self, theta: NDArray, v: NDArray) -> NDArray:
        return self.A.T @ (42 * self.c * self._t(theta) ** 5 * (self.A @ v)) / len(self.c)

    def third(self, theta: NDArray, v: NDArray) -> float:
        return float(np.sum(210 * self.c * self._t(theta) ** 4 * (self.A @ v) ** 3) / len(self.c))

    def full_hessian(self, theta: NDArray) -> NDArray:
        """The P×P Hessian in closed form (brute-force reference)."""
        w = 42 * self.c * self._t(theta) ** 5 / len(self.c)
        return (self.A.T * w) @ self.A

    def full_third(self, theta: NDArray) -> NDArray:
        """The P×P×P third-derivative tensor in closed form (brute-force reference)."""
        w = 210 * self.c * self._t(theta) ** 4 / len(self.c)
        return np.einsum("j,ja,jb,jc->abc", w, self.A, self.A, self.A)

    def torch_loss(self, tensors: list) -> Any:
        """The same loss in torch, as a function of the parameter tensors (float64)."""
        import torch

        theta = torch.cat([t.reshape(-1) for t in tensors])
        t = torch.as_tensor(self.A) @ theta + torch.as_tensor(self.e)
        return torch.sum(torch.as_tensor(self.c) * t ** 7) / len(self.c)
