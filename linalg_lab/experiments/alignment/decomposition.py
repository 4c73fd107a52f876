"""``mu = E sigma'(w^T x)`` and the exact split ``G = S1 + S12 + S2 + E`` of the first-layer gradient.

With ``mu_j`` the mean of ``sigma'(w_j^T x)`` and ``sigma'_perp = sigma' - mu`` (Proposition 2.1 of
Sonthalia, Murray, Montúfar, arXiv:2510.01303, in the (m, d) layout of ``W``):
``S1 = (gamma/n) (a o mu) (X_B^T r)^T`` (the residue spike), ``S12 = (gamma/n) (a o mu) (X_S^T r)^T``,
``S2 = (gamma/n) [(r a^T) o sigma'_perp]^T X_S`` and ``E = (gamma/n) [(r a^T) o sigma'_perp]^T X_B``.
"""
from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..._results import Result, Rigour, Status, field_nojson
from ..._validation import InputValueError, as_matrix, as_vector, check_int, check_option, check_real
from ...tolerance import gamma as gamma_n
from .data import rng
from .model import ACTIVATIONS, Activation, as_1d, check_model_args, forward, gradient
from .spectra import operator_norm

__all__ = ["GradientDecomposition", "expected_activation_derivative", "gradient_decomposition", "mu_exact"]

_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(16)


def _gauss_mean(dsig: Callable[[NDArray], NDArray], s: NDArray) -> NDArray:
    """E[sigma'(s g)], g ~ N(0, 1), for each standard deviation s (vector), by composite
    Gauss–Legendre quadrature on g in [-c, c], c = min(9, 40/s), 64 panels of 16 nodes.

    The integrand is analytic with features of width min(1, 1/s) in g; the truncated tails are
    below phi(9) ~ 1e-18 and sigma'(40) ~ 4e-18, so the result is accurate to about 1e-15.
    """
    s = np.asarray(s, dtype=np.float64)
    c = np.minimum(9.0, 40.0 / np.maximum(s, 1e-300))
    panels = 64
    edges = np.linspace(-1.0, 1.0, panels + 1)
    mid = 0.5 * (edges[1:] + edges[:-1])
    half = 0.5 * (edges[1] - edges[0])
    t = (mid[:, None] + half * _GL_NODES[None, :]).ravel()  # in [-1, 1]
    w = np.tile(_GL_WEIGHTS * half, panels)
    g = c[:, None] * t[None, :]
    vals = dsig(s[:, None] * g) * np.exp(-0.5 * g * g) / math.sqrt(2 * math.pi)
    return (vals @ w) * c


def expected_activation_derivative(
    W: ArrayLike, *, activation: Activation, zeta: float, q: ArrayLike, bulk_eigenvalues: ArrayLike | None = None,
    method: Literal["exact", "sample"] = "exact", n_samples: int = 100_000, seed: int = 0,
) -> NDArray[np.float64]:
    """``mu_j = E sigma'(w_j^T x)`` for ``x = x_B + zeta z q``, ``x_B ~ N(0, diag(bulk_eigenvalues))``.

    Parameters
    ----------
    W : (m, d) array_like
    activation : {"relu", "sigmoid", "tanh"}
    zeta : float
        Spike strength.
    q : (d,) array_like
        Spike direction (unit).
    bulk_eigenvalues : (d,) array_like, optional
        Diagonal of Sigma (default: identity).
    method : {"exact", "sample"}
        "exact": ``w^T x ~ N(0, s^2)`` with ``s^2 = w^T Sigma w + zeta^2 (w^T q)^2``, so ``mu_j`` is a
        one-dimensional Gaussian integral: 1/2 for ReLU (closed form, for ``w_j != 0``), and for
        sigmoid/tanh a composite Gauss–Legendre rule accurate to about 1e-15.  "sample": the mean
        over ``n_samples`` fresh draws (the notebook's method; standard error ~ 0.1/sqrt(n_samples)).
    n_samples, seed : int
        For ``method="sample"``.

    Returns
    -------
    mu : (m,) ndarray

    Examples
    --------
    >>> W = np.eye(3); q = np.array([1.0, 0.0, 0.0])
    >>> expected_activation_derivative(W, activation="relu", zeta=2.0, q=q)
    array([0.5, 0.5, 0.5])
    >>> mu = expected_activation_derivative(W, activation="sigmoid", zeta=0.0, q=q)
    >>> round(float(mu[0]), 10)   # E sigmoid'(g), g ~ N(0, 1)
    0.2066209641
    """
    func = "expected_activation_derivative"
    W = as_matrix(W, "W", func=func, keep_dtype=False)
    q = as_vector(q, "q", func=func, keep_dtype=False)
    d = W.shape[1]
    if q.shape != (d,):
        raise InputValueError(f"{func}: 'q' must have shape ({d},), got {q.shape}")
    check_option(activation, "activation", tuple(ACTIVATIONS), func=func)
    zeta = check_real(zeta, "zeta", func=func, lo=0.0)
    lam = np.ones(d) if bulk_eigenvalues is None else as_vector(bulk_eigenvalues, "bulk_eigenvalues", func=func, keep_dtype=False)
    if lam.shape != (d,) or np.any(lam < 0):
        raise InputValueError(f"{func}: 'bulk_eigenvalues' must be {d} non-negative numbers, got shape {lam.shape}")
    check_option(method, "method", ("exact", "sample"), func=func)
    if method == "sample":
        n_samples = check_int(n_samples, "n_samples", func=func, minimum=1)
        g = rng(check_int(seed, "seed", func=func, minimum=0), 4)
        total = np.zeros(W.shape[0])
        done = 0
        while done < n_samples:  # chunks keep memory at O(chunk * m)
            k = min(4096, n_samples - done)
            x = g.standard_normal((k, d)) * np.sqrt(lam) + np.outer(zeta * g.standard_normal(k), q)
            total += ACTIVATIONS[activation][1](x @ W.T).sum(axis=0)
            done += k
        return total / n_samples
    return mu_exact(W, activation, zeta, q, lam)


def mu_exact(W: NDArray, activation: str, zeta: float, q: NDArray, lam: NDArray) -> NDArray:
    """Unchecked body of ``expected_activation_derivative(method="exact")`` (validated float64 inputs)."""
    s2 = (W * W) @ lam + (zeta * (W @ q)) ** 2
    s = np.sqrt(s2)
    if activation == "relu":
        return np.where(s > 0, 0.5, 0.0)  # sigma'(0) = 0 convention when w^T x == 0 a.s.
    return _gauss_mean(ACTIVATIONS[activation][1], s)


@dataclasses.dataclass(frozen=True)
class GradientDecomposition(Result):
    """The split ``G = S1 + S12 + S2 + E`` and each term's operator norm.

    Attributes
    ----------
    G, S1, S12, S2, E : (m, d) ndarray
        The gradient and its terms (not in to_dict()).
    mu : (m,) ndarray
        The centring used (not in to_dict()).
    norms : dict
        ``||T||_2`` for T in G, S1, S12, S2, E (Lanczos estimates, relative accuracy 1e-8).
    identity_error : float
        ``||G - (S1 + S12 + S2 + E)||_F / ||G||_F`` as computed.
    identity_bound : float
        A-priori rounding bound on that ratio (worst case, ``4 gamma_{n+5}`` times the product of
        absolute values, see Notes of :func:`gradient_decomposition`).
    mu_source : str
        "given" or "sample mean".
    elapsed_s : float
    rigour : Rigour
        NUMERICAL (floating-point terms; the identity is checked against a rounding bound).
    """

    norms: dict[str, float]
    identity_error: float
    identity_bound: float
    mu_source: str
    elapsed_s: float
    rigour: Rigour
    status: Status
    reason: str
    G: NDArray[np.float64] = field_nojson(repr=False)
    S1: NDArray[np.float64] = field_nojson(repr=False)
    S12: NDArray[np.float64] = field_nojson(repr=False)
    S2: NDArray[np.float64] = field_nojson(repr=False)
    E: NDArray[np.float64] = field_nojson(repr=False)
    mu: NDArray[np.float64] = field_nojson(repr=False)


def gradient_decomposition(
    X_bulk: ArrayLike, X_spike: ArrayLike, W: ArrayLike, a: ArrayLike, y: ArrayLike, *, gamma: float,
    activation: Activation, mu: ArrayLike | None = None,
) -> GradientDecomposition:
    """Split the first-layer gradient into residue spike, spike terms and error: ``G = S1 + S12 + S2 + E``.

    Parameters
    ----------
    X_bulk, X_spike : (n, d) array_like
        Bulk and spike parts of the inputs; ``X = X_bulk + X_spike``.
    W : (m, d) array_like
    a : (m,) array_like
    y : (n,) array_like
    gamma : float
    activation : {"relu", "sigmoid", "tanh"}
    mu : (m,) array_like, optional
        The centring ``mu_j = E sigma'(w_j^T x)``; pass the population value from
        :func:`expected_activation_derivative`.  Default: the sample mean of ``sigma'(X W^T)`` over
        the given rows (a plug-in estimate).  The identity holds for every mu.

    Returns
    -------
    GradientDecomposition
        ``status`` is OK when the computed identity error is within the rounding bound.

    Raises
    ------
    InputValueError, InputTypeError
        As :func:`first_layer_gradient`; also for ``X_spike`` or ``mu`` of the wrong shape.

    Notes
    -----
    Every term is computed from its own matrix product (none by subtraction), so the identity is
    a real check.  Cost: three (n x m x d) products.  Rounding: each term is a length-n dot
    product of factors formed with at most three roundings, and X = X_B + X_S adds one, so
    ``|G - sum T| <= 4 gamma_{n+5} M`` entrywise with ``M = (gamma/n) (|D| + |D_mu|)^T (|X_B| + |X_S|)``,
    ``D = (r a^T) o sigma'``, ``D_mu = r (a o mu)^T``.  The ratio ``||M||_F / ||G||_F`` grows like
    sqrt(n) for sign-mixed residuals; in practice the error is far below this worst case (roughly
    ``sqrt(n) u`` times the ratio, Higham and Mary 2019).  The norms are Lanczos estimates
    (:func:`linalg_lab.spectral_norm`); S1 and S12 are rank one.

    References
    ----------
    .. [1] Sonthalia, Murray, Montúfar, arXiv:2510.01303, Section 2.
    .. [2] N. J. Higham and T. Mary, "A new approach to probabilistic rounding error analysis",
       SIAM J. Sci. Comput. 41(5) (2019) A2815–A2835, doi:10.1137/18M1226312.

    Examples
    --------
    >>> from linalg_lab.experiments.alignment import init_weights, spiked_data
    >>> D = spiked_data(40, 10, nu=0.5, seed=0); W, a = init_weights(12, 10, seed=0)
    >>> res = gradient_decomposition(D.X_bulk, D.X_spike, W, a, D.y, gamma=1/12, activation="tanh")
    >>> res.ok, res.G.shape, bool(res.identity_error < 1e-13)
    (True, (12, 10), True)
    """
    func = "gradient_decomposition"
    t0 = time.perf_counter()
    XB = as_matrix(X_bulk, "X_bulk", func=func, keep_dtype=False)
    XS = as_matrix(X_spike, "X_spike", func=func, keep_dtype=False)
    if XS.shape != XB.shape:
        raise InputValueError(f"{func}: 'X_spike' must have the shape of X_bulk {XB.shape}, got {XS.shape}")
    X = XB + XS
    X, W, a, y, gamma = check_model_args(X, W, a, y, gamma, activation, func)
    n = X.shape[0]
    r, Sp = forward(X, W, a, y, gamma, activation)
    if mu is None:
        mu_arr = Sp.mean(axis=0)
        source = "sample mean"
    else:
        mu_arr = as_1d(mu, "mu", func)
        if mu_arr.shape != (W.shape[0],):
            raise InputValueError(f"{func}: 'mu' must have shape ({W.shape[0]},), got {mu_arr.shape}")
        source = "given"
    c = gamma / n
    G = gradient(X, r, a, Sp, gamma)
    am = a * mu_arr
    S1 = c * np.outer(am, XB.T @ r)
    S12 = c * np.outer(am, XS.T @ r)
    Dp = (Sp - mu_arr[None, :]) * r[:, None] * a[None, :]
    S2 = c * (Dp.T @ XS)
    E = c * (Dp.T @ XB)
    diff = G - (S1 + S12 + S2 + E)
    gn = float(np.linalg.norm(G))
    err = float(np.linalg.norm(diff) / gn) if gn > 0 else float(np.linalg.norm(diff))
    absR = np.abs(r)
    M = c * ((np.abs(Sp) * absR[:, None] * np.abs(a)[None, :] + np.outer(absR, np.abs(am))).T @ (np.abs(XB) + np.abs(XS)))
    bound = 4 * gamma_n(n + 5) * float(np.linalg.norm(M)) / (gn if gn > 0 else 1.0)
    norms = {name: operator_norm(T) for name, T in (("G", G), ("S1", S1), ("S12", S12), ("S2", S2), ("E", E))}
    ok = err <= bound
    return GradientDecomposition(
        norms=norms, identity_error=err, identity_bound=bound, mu_source=source,
        elapsed_s=time.perf_counter() - t0, rigour=Rigour.NUMERICAL,
        status=Status.OK if ok else Status.INACCURATE,
        reason="identity G = S1 + S12 + S2 + E holds within the rounding bound" if ok else
        f"identity error {err:.3e} exceeds the rounding bound {bound:.3e}; check the inputs for huge magnitudes",
        G=G, S1=S1, S12=S12, S2=S2, E=E, mu=mu_arr,
    )


