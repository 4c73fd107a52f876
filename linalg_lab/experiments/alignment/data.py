"""Spiked data ``X = X_B + n^nu z q^T`` with teacher targets, and the initial weights.

Bulk rows ``N(0, Sigma)`` with ``lambda_k(Sigma) = k^(-alpha)``, spike ``zeta z q^T``, ``zeta = n^nu``,
``||q|| = 1`` (Sonthalia, Murray, Montúfar, arXiv:2510.01303, Section 2); targets
``y = mean_l phi(beta_l^T x) + noise * N(0, 1)`` with orthonormal ``beta_l``.
"""
from __future__ import annotations

import dataclasses
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from ..._validation import check_int, check_option, check_real
from .model import ACTIVATIONS, OUTER_SCALES, Activation

__all__ = ["NU_GRID", "SpikedData", "spiked_data", "init_weights", "rng"]

#: The paper's spike exponents: nu in {0, 1/8, ..., 3/4}.
NU_GRID: tuple[float, ...] = tuple(k / 8 for k in range(7))


@dataclasses.dataclass(frozen=True)
class SpikedData:
    """Training and test samples of the spiked model (see the module docstring).

    Attributes
    ----------
    X, X_bulk, X_spike : (n, d) ndarray
        ``X = X_bulk + X_spike`` (``X`` is the float sum), ``X_spike = zeta z q^T``.
    z : (n,) ndarray
    q : (d,) ndarray
        Unit spike direction.
    y : (n,) ndarray
        Targets.
    X_test, X_test_bulk : (n_test, d) ndarray
    y_test : (n_test,) ndarray
    beta : (d, k) ndarray
        Orthonormal teacher directions.
    zeta : float
    bulk_eigenvalues : (d,) ndarray
        ``k^(-alpha)``, the diagonal of Sigma.
    """

    X: NDArray[np.float64]
    X_bulk: NDArray[np.float64]
    X_spike: NDArray[np.float64]
    z: NDArray[np.float64]
    q: NDArray[np.float64]
    y: NDArray[np.float64]
    X_test: NDArray[np.float64]
    X_test_bulk: NDArray[np.float64]
    y_test: NDArray[np.float64]
    beta: NDArray[np.float64]
    zeta: float
    bulk_eigenvalues: NDArray[np.float64]


def rng(seed: int, stream: int) -> np.random.Generator:
    """The generator of one independent stream derived from ``seed`` (streams: 0 q/beta, 1 train,
    2 test, 3 weights, 4 mu samples, 5 SVD start, 6 norm starts)."""
    return np.random.default_rng(np.random.SeedSequence([int(seed), int(stream)]))


def spiked_data(
    n: int, d: int, *, nu: float = 0.0, alpha: float = 0.0, teacher: Activation = "sigmoid",
    n_index: int = 1, noise: float = 1.0, n_test: int | None = None, seed: int = 0,
) -> SpikedData:
    """Draw a spiked data set ``X = X_B + n^nu z q^T`` with teacher targets.

    Parameters
    ----------
    n, d : int
        Number of training samples and the input dimension.
    nu : float
        Spike exponent, ``zeta = n^nu`` (``nu >= 0``).
    alpha : float
        Bulk decay, ``lambda_k(Sigma) = k^(-alpha)`` (``alpha >= 0``; 0 is isotropic).
    teacher : {"sigmoid", "relu", "tanh"}
        Teacher link ``phi``.
    n_index : int
        Number of orthonormal teacher directions (1: single index; the targets are the mean of
        ``phi(beta_l^T x)`` over ``l``).
    noise : float
        Standard deviation of the additive Gaussian label noise (the notebook used 1).
    n_test : int, optional
        Test samples drawn from the same model (default ``n``).
    seed : int
        Seed; q, beta, the training and test sets use independent streams derived from it, so the
        data depend only on (seed, n, d, nu, alpha, teacher, n_index, noise, n_test).

    Returns
    -------
    SpikedData

    Examples
    --------
    >>> D = spiked_data(50, 20, nu=0.25, seed=1)
    >>> D.X.shape, D.y.shape, round(D.zeta, 4), bool(np.allclose(D.X, D.X_bulk + D.X_spike))
    ((50, 20), (50,), 2.6591, True)
    """
    func = "spiked_data"
    n = check_int(n, "n", func=func, minimum=1)
    d = check_int(d, "d", func=func, minimum=1)
    nu = check_real(nu, "nu", func=func, lo=0.0)
    alpha = check_real(alpha, "alpha", func=func, lo=0.0)
    check_option(teacher, "teacher", tuple(ACTIVATIONS), func=func)
    n_index = check_int(n_index, "n_index", func=func, minimum=1, maximum=d)
    noise = check_real(noise, "noise", func=func, lo=0.0)
    n_test = check_int(n if n_test is None else n_test, "n_test", func=func, minimum=1)
    seed = check_int(seed, "seed", func=func, minimum=0)

    g = rng(seed, 0)
    q = g.standard_normal(d)
    q /= np.linalg.norm(q)
    beta, _ = np.linalg.qr(g.standard_normal((d, n_index)))
    lam = np.arange(1, d + 1, dtype=np.float64) ** (-alpha)
    scale = np.sqrt(lam)
    zeta = float(n) ** nu
    phi = ACTIVATIONS[teacher][0]

    def draw(k: int, stream: int) -> tuple[NDArray, NDArray, NDArray, NDArray, NDArray]:
        h = rng(seed, stream)
        xb = h.standard_normal((k, d)) * scale
        zz = h.standard_normal(k)
        xs = np.outer(zeta * zz, q)
        x = xb + xs
        yy = phi(x @ beta).mean(axis=1) + noise * h.standard_normal(k)
        return x, xb, xs, zz, yy

    X, XB, XS, z, y = draw(n, 1)
    Xt, XBt, _, _, yt = draw(n_test, 2)
    return SpikedData(X=X, X_bulk=XB, X_spike=XS, z=z, q=q, y=y, X_test=Xt, X_test_bulk=XBt, y_test=yt,
                      beta=beta, zeta=zeta, bulk_eigenvalues=lam)


def init_weights(
    m: int, d: int, *, outer: Literal["sign", "gaussian"] = "sign",
    outer_scale: Literal["1/sqrt(m)", "1"] = "1/sqrt(m)", seed: int = 0,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Initial weights: rows of ``W`` uniform on the unit sphere, outer weights ``a``.

    Parameters
    ----------
    m, d : int
        Width and input dimension.
    outer : {"sign", "gaussian"}
        ``a_j = ±s`` with equal probability (never 0: the notebook's ``randint(0, 2) - 1`` gave
        {-1, 0}) or ``a_j ~ N(0, s^2)``.
    outer_scale : {"1/sqrt(m)", "1"}
        ``s``; the paper uses ``a in {±1}^m`` (``"1"``), the notebook ``1/sqrt(m)``.
    seed : int

    Returns
    -------
    W : (m, d) ndarray
    a : (m,) ndarray

    Examples
    --------
    >>> W, a = init_weights(5, 3, seed=0)
    >>> W.shape, bool(np.allclose(np.linalg.norm(W, axis=1), 1)), (np.abs(a) * np.sqrt(5)).round(12).tolist()
    ((5, 3), True, [1.0, 1.0, 1.0, 1.0, 1.0])
    """
    func = "init_weights"
    m = check_int(m, "m", func=func, minimum=1)
    d = check_int(d, "d", func=func, minimum=1)
    check_option(outer, "outer", ("sign", "gaussian"), func=func)
    check_option(outer_scale, "outer_scale", tuple(OUTER_SCALES), func=func)
    seed = check_int(seed, "seed", func=func, minimum=0)
    g = rng(seed, 3)
    W = g.standard_normal((m, d))
    W /= np.linalg.norm(W, axis=1, keepdims=True)
    s = OUTER_SCALES[outer_scale](m)
    if outer == "sign":
        a = s * np.where(g.random(m) < 0.5, -1.0, 1.0)
    else:
        a = s * g.standard_normal(m)
    return W, a

