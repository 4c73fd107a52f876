"""Low-rank first-layer gradients of two-layer networks: spectrum, exact split and alignment.

A reproduction, with the seed notebook's defects fixed, of the experiments of Sonthalia, Murray and
Montúfar, *Low Rank Gradients and Where to Find Them* (NeurIPS 2025, arXiv:2510.01303).

Model and data
--------------
* Network ``f(x) = gamma * a^T sigma(W x)`` with ``W`` of shape (m, d) (rows on the unit sphere),
  fixed outer weights ``a`` (Rademacher ``±s`` or Gaussian ``N(0, s^2)`` with ``s = 1/sqrt(m)`` or
  ``s = 1``) and ``sigma`` in {relu, sigmoid, tanh}; ``gamma`` is ``1/sqrt(m)`` ("ntk"),
  ``1/m`` ("mean-field") or any positive number.
* Spiked inputs ``X = X_B + X_S`` with bulk rows ``N(0, Sigma)``, ``lambda_k(Sigma) = k^(-alpha)``,
  and spike ``X_S = zeta z q^T``, ``zeta = n^nu``, ``z ~ N(0, I_n)``, ``||q|| = 1``.
* Targets from a single- or multi-index teacher ``y = mean_l phi(beta_l^T x) + noise * N(0, 1)``
  with orthonormal ``beta_l`` and ``phi`` in {sigmoid, relu, tanh}.

Gradient and its split (Proposition 2.1 of the paper, in the (m, d) layout of ``W``)
----------------------------------------------------------------------------------
For ``L = (1/2n) sum_i (f(x_i) - y_i)^2`` and ``r = f - y``,
``G = (gamma/n) D^T X`` with ``D = (r a^T) o sigma'(X W^T)``.  With ``mu_j`` the mean of
``sigma'(w_j^T x)`` and ``sigma'_perp = sigma' - mu``, ``G = S1 + S12 + S2 + E`` exactly, where
``S1 = (gamma/n) (a o mu) (X_B^T r)^T``, ``S12 = (gamma/n) (a o mu) (X_S^T r)^T``,
``S2 = (gamma/n) [(r a^T) o sigma'_perp]^T X_S`` and ``E = (gamma/n) [(r a^T) o sigma'_perp]^T X_B``.
``S1`` is the residue spike (along ``X_B^T r``); ``S12`` and ``S2`` lie along ``q``.

Differences from the seed notebook (each one a defect it had)
--------------------------------------------------------------
1. ``a = randint(0, 2) - 1`` drew ``{-1, 0}``; here ``a`` is ``±1`` (times its scale) or Gaussian.
2. The forward pass applied ``gamma`` twice (``f = gamma^2 a^T sigma``) while the loss derivative
   applied it once; here ``f = gamma a^T sigma`` everywhere (training, test, refit, alignment).
3. The test loss broadcast an (N, 1) prediction against an (N,) target (an N x N mean); here every
   prediction and target is 1-D and the loss is ``(1/2N) sum (f - y)^2`` (the seed's train loss
   had no 1/2; ours is the L whose gradient we take).
4. The final "refit" of ``a`` predicted with the inconsistent ``gamma^2``; here the refit solves the
   minimum-norm least-squares problem for ``gamma sigma(X W^T) a = y`` and predicts with ``gamma``.
5. Power iteration redrew its random start every epoch (and ran 200 fixed steps without a
   convergence test); here ``||W||_2`` comes from :func:`linalg_lab.spectral_norm` (Lanczos with a
   bracket) and the gradient's top singular triplets from a block subspace iteration warm-started
   from the previous epoch's vectors, iterated until the leading residual is below ``svd_rtol``.
6. The residue alignment used the residual at the post-update weights against the singular vector
   of the pre-update gradient, and the test loss was taken after the update while the train loss
   was taken before it; here every quantity of epoch ``t`` is evaluated at the same ``W_t``.
7. The "NTK" run passed ``gamma = 1`` and the "MF" run ``gamma = 1/sqrt(m)`` (which the doubled
   gamma turned into ``1/m``); here ``"ntk"`` uses ``1/sqrt(m)`` and ``"mean-field"`` ``1/m``.
8. Row renormalisation divided by ``||w_j|| + 1e-8``; here rows are divided by their exact norm
   (a zero row is an error, reported through the status).

Kept from the notebook: the step is ``W <- W - (lr/gamma) G`` (``lr_per_gamma=True``), so the
effective step size does not shrink with gamma; rows are renormalised after every step; the
notebook configurations keep its outer-weight scale ``1/sqrt(m)`` on top of gamma (so the output
is ``gamma/sqrt(m)`` times an O(1) sum), while "paper" uses the paper's ``a in {±1}^m``.

Observed (numerical, seed 0, paper sizes): at initialisation the leading direction is
residue-aligned for nu <= 1/4 and spike-aligned for nu >= 1/2 (ReLU, sigmoid, tanh; NTK and
mean field), with sigma_2/sigma_1 up to about 0.5 in between, as the paper describes.  During
training the centred error term E is no longer small against S1 (the trained W depends on the
sample, the population mu does not), and both "ntk" and "mean-field" collapse W towards rank one
(``||W||_2`` near 32 of at most sqrt(m) = 35.4 after 50 epochs).

References
----------
.. [1] R. Sonthalia, M. Murray, G. Montúfar, "Low Rank Gradients and Where to Find Them",
   NeurIPS 2025, arXiv:2510.01303, doi:10.48550/arXiv.2510.01303.
.. [2] N. Halko, P.-G. Martinsson, J. A. Tropp, "Finding structure with randomness", SIAM Review
   53(2) (2011) 217–288, doi:10.1137/090771806 (block subspace iteration, Rayleigh–Ritz).
"""
from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Sequence
from typing import Any, Literal

import numpy as np
import scipy.special
from numpy.typing import ArrayLike, NDArray

from .._results import Result, Status, field_nojson
from .._validation import (
    InputTypeError,
    InputValueError,
    as_matrix,
    as_vector,
    check_int,
    check_option,
    check_real,
)
from ..spectral import spectral_norm
from ..subspace import alignment, principal_angles, projection_ratio

__all__ = [
    "ACTIVATIONS",
    "SCALINGS",
    "CONFIGS",
    "PAIRS",
    "SWEEPS",
    "NU_GRID",
    "AlignmentConfig",
    "SpikedData",
    "GradientDecomposition",
    "TrainResult",
    "ComparisonResult",
    "SweepResult",
    "ExperimentResult",
    "spiked_data",
    "init_weights",
    "resolve_gamma",
    "network_output",
    "half_mse",
    "first_layer_gradient",
    "expected_activation_derivative",
    "gradient_decomposition",
    "get_config",
    "train",
    "compare_runs",
    "nu_sweep",
    "run_experiment",
    "experiment_names",
    "experiment_epochs",
    "HISTORY_KEYS",
]

Activation = Literal["relu", "sigmoid", "tanh"]

#: Activations: name -> (sigma, sigma').  relu'(0) is taken as 0 (the convention of torch).
ACTIVATIONS: dict[str, tuple[Callable[[NDArray], NDArray], Callable[[NDArray], NDArray]]] = {}


def _relu(z: NDArray) -> NDArray:
    return np.maximum(z, 0.0)


def _relu_d(z: NDArray) -> NDArray:
    return (z > 0).astype(z.dtype)


def _sigmoid(z: NDArray) -> NDArray:
    return scipy.special.expit(z)


def _sigmoid_d(z: NDArray) -> NDArray:
    s = scipy.special.expit(z)
    return s * (1.0 - s)


def _tanh(z: NDArray) -> NDArray:
    return np.tanh(z)


def _tanh_d(z: NDArray) -> NDArray:
    t = np.tanh(z)
    return 1.0 - t * t


ACTIVATIONS.update(relu=(_relu, _relu_d), sigmoid=(_sigmoid, _sigmoid_d), tanh=(_tanh, _tanh_d))

#: Named scalings: name -> gamma as a function of the width m.
SCALINGS: dict[str, Callable[[int], float]] = {
    "ntk": lambda m: 1.0 / math.sqrt(m),
    "mean-field": lambda m: 1.0 / m,
}

#: The paper's spike exponents: nu in {0, 1/8, ..., 3/4}.
NU_GRID: tuple[float, ...] = tuple(k / 8 for k in range(7))


def resolve_gamma(scaling: str | float, m: int) -> float:
    """``gamma`` for a named scaling ("ntk": ``1/sqrt(m)``, "mean-field": ``1/m``) or a number.

    >>> resolve_gamma("ntk", 100), resolve_gamma("mean-field", 100), resolve_gamma(0.5, 100)
    (0.1, 0.01, 0.5)
    """
    if isinstance(scaling, str):
        check_option(scaling, "scaling", tuple(SCALINGS), func="resolve_gamma")
        return SCALINGS[scaling](int(m))
    return check_real(scaling, "scaling", func="resolve_gamma", lo=0.0, lo_open=True)


# --------------------------------------------------------------------------------------------
# data
# --------------------------------------------------------------------------------------------


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


def _rng(seed: int, stream: int) -> np.random.Generator:
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

    g = _rng(seed, 0)
    q = g.standard_normal(d)
    q /= np.linalg.norm(q)
    beta, _ = np.linalg.qr(g.standard_normal((d, n_index)))
    lam = np.arange(1, d + 1, dtype=np.float64) ** (-alpha)
    scale = np.sqrt(lam)
    zeta = float(n) ** nu
    phi = ACTIVATIONS[teacher][0]

    def draw(k: int, stream: int) -> tuple[NDArray, NDArray, NDArray, NDArray, NDArray]:
        h = _rng(seed, stream)
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
    check_option(outer_scale, "outer_scale", ("1/sqrt(m)", "1"), func=func)
    seed = check_int(seed, "seed", func=func, minimum=0)
    g = _rng(seed, 3)
    W = g.standard_normal((m, d))
    W /= np.linalg.norm(W, axis=1, keepdims=True)
    s = 1.0 / math.sqrt(m) if outer_scale == "1/sqrt(m)" else 1.0
    if outer == "sign":
        a = s * np.where(g.random(m) < 0.5, -1.0, 1.0)
    else:
        a = s * g.standard_normal(m)
    return W, a


# --------------------------------------------------------------------------------------------
# model, loss, gradient
# --------------------------------------------------------------------------------------------


def _check_model_args(X: Any, W: Any, a: Any, y: Any, gamma: Any, activation: Any, func: str):
    X = as_matrix(X, "X", func=func, keep_dtype=False)
    W = as_matrix(W, "W", func=func, keep_dtype=False)
    a = _as_1d(a, "a", func)
    y = _as_1d(y, "y", func) if y is not None else None
    n, d = X.shape
    m = W.shape[0]
    if W.shape[1] != d:
        raise InputValueError(f"{func}: 'W' must have shape (m, {d}) to match X of shape {X.shape}, got {W.shape}")
    if a.shape != (m,):
        raise InputValueError(f"{func}: 'a' must have shape ({m},) to match W of shape {W.shape}, got {a.shape}")
    if y is not None and y.shape != (n,):
        raise InputValueError(f"{func}: 'y' must have shape ({n},) to match X of shape {X.shape}, got {y.shape}")
    gamma = check_real(gamma, "gamma", func=func, lo=0.0, lo_open=True)
    check_option(activation, "activation", tuple(ACTIVATIONS), func=func)
    return X, W, a, y, gamma


def _as_1d(v: Any, name: str, func: str) -> NDArray[np.float64]:
    arr = np.asarray(v) if not isinstance(v, (str, bytes)) and v is not None else v
    if isinstance(arr, np.ndarray) and arr.ndim == 2 and 1 in arr.shape:
        raise InputValueError(
            f"{func}: '{name}' must be a 1-D array, got shape {arr.shape}; pass {name}.ravel() "
            "(2-D row and column vectors are refused because (n, 1) - (n,) broadcasts to an (n, n) matrix)"
        )
    return as_vector(v, name, func=func, keep_dtype=False)


def network_output(X: ArrayLike, W: ArrayLike, a: ArrayLike, *, gamma: float, activation: Activation) -> NDArray[np.float64]:
    """``f(x_i) = gamma a^T sigma(W x_i)`` for every row of X; returns shape (n,).

    >>> X = np.eye(2); W = np.eye(2); a = np.array([1.0, -1.0])
    >>> network_output(X, W, a, gamma=0.5, activation="relu")
    array([ 0.5, -0.5])
    """
    X, W, a, _, gamma = _check_model_args(X, W, a, None, gamma, activation, "network_output")
    return gamma * (ACTIVATIONS[activation][0](X @ W.T) @ a)


def half_mse(X: ArrayLike, W: ArrayLike, a: ArrayLike, y: ArrayLike, *, gamma: float, activation: Activation) -> float:
    """``L = (1/2n) sum_i (f(x_i) - y_i)^2`` (the loss whose gradient :func:`first_layer_gradient` gives).

    >>> half_mse(np.eye(2), np.eye(2), np.array([1.0, 1.0]), np.array([1.0, 0.0]), gamma=1.0, activation="relu")
    0.25
    """
    X, W, a, y, gamma = _check_model_args(X, W, a, y, gamma, activation, "half_mse")
    r = gamma * (ACTIVATIONS[activation][0](X @ W.T) @ a) - y
    return float(0.5 * np.mean(r * r))


def _forward(X: NDArray, W: NDArray, a: NDArray, y: NDArray, gamma: float, activation: str):
    """Internal: (r, sigma'(Z)) with Z = X W^T, r = f - y."""
    s, ds = ACTIVATIONS[activation]
    Z = X @ W.T
    r = gamma * (s(Z) @ a) - y
    return r, ds(Z)


def _gradient(X: NDArray, r: NDArray, a: NDArray, Sp: NDArray, gamma: float) -> NDArray:
    D = Sp * r[:, None]
    D *= a[None, :]
    return (gamma / X.shape[0]) * (D.T @ X)


def first_layer_gradient(
    X: ArrayLike, W: ArrayLike, a: ArrayLike, y: ArrayLike, *, gamma: float, activation: Activation,
) -> NDArray[np.float64]:
    """Gradient with respect to W of ``L = (1/2n) sum_i (gamma a^T sigma(W x_i) - y_i)^2``.

    Parameters
    ----------
    X : (n, d) array_like
        Inputs (rows are samples).
    W : (m, d) array_like
        First-layer weights.
    a : (m,) array_like
        Outer weights.
    y : (n,) array_like
        Targets (1-D; an (n, 1) column is refused, see Raises).
    gamma : float
        Output scale (> 0), applied once.
    activation : {"relu", "sigmoid", "tanh"}

    Returns
    -------
    G : (m, d) ndarray
        ``(gamma/n) [(r a^T) o sigma'(X W^T)]^T X`` with ``r = f - y``.

    Raises
    ------
    InputValueError
        Mismatched shapes (quoted), NaN/Inf, empty input, 2-D ``a`` or ``y``, gamma <= 0.
    InputTypeError
        Complex or non-numeric input.

    Notes
    -----
    Cost: two (n x d x m) matrix products.  Each entry is a length-n dot product, so its rounding
    error is at most ``gamma_n`` times the same product of absolute values.  ReLU's derivative at
    0 is taken as 0.  Integer, bool and float32 inputs are computed in float64.

    References
    ----------
    .. [1] Sonthalia, Murray, Montúfar, arXiv:2510.01303, Proposition 2.1.

    Examples
    --------
    >>> X = np.array([[1.0, 2.0], [0.5, -1.0]]); W = np.array([[0.6, 0.8]]); a = np.array([1.0])
    >>> G = first_layer_gradient(X, W, a, np.zeros(2), gamma=1.0, activation="relu")
    >>> G.shape, bool(np.allclose(G, 0.5 * 2.2 * X[0]))
    ((1, 2), True)
    """
    X, W, a, y, gamma = _check_model_args(X, W, a, y, gamma, activation, "first_layer_gradient")
    r, Sp = _forward(X, W, a, y, gamma, activation)
    return _gradient(X, r, a, Sp, gamma)


# --------------------------------------------------------------------------------------------
# mu = E sigma'(w^T x) and the decomposition
# --------------------------------------------------------------------------------------------

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
        g = _rng(check_int(seed, "seed", func=func, minimum=0), 4)
        total = np.zeros(W.shape[0])
        done = 0
        while done < n_samples:  # chunks keep memory at O(chunk * m)
            k = min(4096, n_samples - done)
            x = g.standard_normal((k, d)) * np.sqrt(lam) + np.outer(zeta * g.standard_normal(k), q)
            total += ACTIVATIONS[activation][1](x @ W.T).sum(axis=0)
            done += k
        return total / n_samples
    return _mu_exact(W, activation, zeta, q, lam)


def _mu_exact(W: NDArray, activation: str, zeta: float, q: NDArray, lam: NDArray) -> NDArray:
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
    """

    norms: dict[str, float]
    identity_error: float
    identity_bound: float
    mu_source: str
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
    >>> D = spiked_data(40, 10, nu=0.5, seed=0); W, a = init_weights(12, 10, seed=0)
    >>> res = gradient_decomposition(D.X_bulk, D.X_spike, W, a, D.y, gamma=1/12, activation="tanh")
    >>> res.ok, res.G.shape, bool(res.identity_error < 1e-13)
    (True, (12, 10), True)
    """
    func = "gradient_decomposition"
    XB = as_matrix(X_bulk, "X_bulk", func=func, keep_dtype=False)
    XS = as_matrix(X_spike, "X_spike", func=func, keep_dtype=False)
    if XS.shape != XB.shape:
        raise InputValueError(f"{func}: 'X_spike' must have the shape of X_bulk {XB.shape}, got {XS.shape}")
    X = XB + XS
    X, W, a, y, gamma = _check_model_args(X, W, a, y, gamma, activation, func)
    n = X.shape[0]
    r, Sp = _forward(X, W, a, y, gamma, activation)
    if mu is None:
        mu_arr = Sp.mean(axis=0)
        source = "sample mean"
    else:
        mu_arr = _as_1d(mu, "mu", func)
        if mu_arr.shape != (W.shape[0],):
            raise InputValueError(f"{func}: 'mu' must have shape ({W.shape[0]},), got {mu_arr.shape}")
        source = "given"
    c = gamma / n
    G = _gradient(X, r, a, Sp, gamma)
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
    g_n5 = (n + 5) * 2.0**-53 / (1 - (n + 5) * 2.0**-53)
    bound = 4 * g_n5 * float(np.linalg.norm(M)) / (gn if gn > 0 else 1.0)
    norms = {name: _opnorm(T) for name, T in (("G", G), ("S1", S1), ("S12", S12), ("S2", S2), ("E", E))}
    ok = err <= bound
    return GradientDecomposition(
        norms=norms, identity_error=err, identity_bound=bound, mu_source=source,
        status=Status.OK if ok else Status.INACCURATE,
        reason="identity G = S1 + S12 + S2 + E holds within the rounding bound" if ok else
        f"identity error {err:.3e} exceeds the rounding bound {bound:.3e}; check the inputs for huge magnitudes",
        G=G, S1=S1, S12=S12, S2=S2, E=E, mu=mu_arr,
    )


def _opnorm(T: NDArray) -> float:
    if not np.any(T):
        return 0.0
    if min(T.shape) <= 64:
        return float(np.linalg.norm(T, 2))
    return float(spectral_norm(T, rtol=1e-8, seed=0).estimate)


# --------------------------------------------------------------------------------------------
# configurations
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class AlignmentConfig:
    """One training experiment (sizes, data model, network, optimiser, diagnostics).

    Attributes
    ----------
    name, description : str
    n, d, m, n_test : int
        Samples, input dimension, width, test samples.
    nu, alpha : float
        Spike exponent (``zeta = n^nu``) and bulk decay.
    teacher : str
        Teacher link; ``n_index`` directions; ``noise`` label-noise standard deviation.
    activation : str
        Student activation.
    scaling : str or float
        "ntk" (gamma = 1/sqrt(m)), "mean-field" (1/m) or a number.
    outer, outer_scale : str
        Outer weights, see :func:`init_weights`.
    lr : float
        Learning rate; the step is ``(lr/gamma) G`` when ``lr_per_gamma`` (the notebook's), else ``lr G``.
    epochs : int
        Full-batch gradient steps.
    top_k : int
        Number of the gradient's singular values tracked per epoch.
    svd_rtol : float
        Target relative residual ``||G^T u_1 - s_1 v_1|| / s_1`` of the leading triplet.
    track_terms : bool
        Track the operator norms of S1, S12, S2 and E per epoch (mu exact).
    refit : bool
        After training, refit ``a`` by minimum-norm least squares and report its test loss.
    """

    name: str = "custom"
    description: str = ""
    n: int = 750
    d: int = 1000
    m: int = 1250
    n_test: int = 750
    nu: float = 0.0
    alpha: float = 0.0
    teacher: str = "sigmoid"
    n_index: int = 1
    noise: float = 1.0
    activation: str = "sigmoid"
    scaling: str | float = "ntk"
    outer: str = "gaussian"
    outer_scale: str = "1/sqrt(m)"
    lr: float = 17.67766952966369
    lr_per_gamma: bool = True
    epochs: int = 50
    top_k: int = 5
    svd_rtol: float = 1e-4
    track_terms: bool = True
    refit: bool = True

    def __post_init__(self) -> None:
        func = "AlignmentConfig"
        for f in ("n", "d", "m", "n_test", "epochs", "top_k"):
            check_int(getattr(self, f), f, func=func, minimum=1)
        check_int(self.n_index, "n_index", func=func, minimum=1, maximum=self.d)
        check_real(self.nu, "nu", func=func, lo=0.0)
        check_real(self.alpha, "alpha", func=func, lo=0.0)
        check_real(self.noise, "noise", func=func, lo=0.0)
        check_real(self.lr, "lr", func=func, lo=0.0)
        check_real(self.svd_rtol, "svd_rtol", func=func, lo=0.0, hi=1.0, lo_open=True, hi_open=True)
        check_option(self.teacher, "teacher", tuple(ACTIVATIONS), func=func)
        check_option(self.activation, "activation", tuple(ACTIVATIONS), func=func)
        check_option(self.outer, "outer", ("sign", "gaussian"), func=func)
        check_option(self.outer_scale, "outer_scale", ("1/sqrt(m)", "1"), func=func)
        if isinstance(self.scaling, str):
            check_option(self.scaling, "scaling", tuple(SCALINGS), func=func)
        else:
            check_real(self.scaling, "scaling", func=func, lo=0.0, lo_open=True)
        if self.top_k > min(self.m, self.d):
            raise InputValueError(f"{func}: 'top_k' must be <= min(m, d) = {min(self.m, self.d)}, got {self.top_k}")

    @property
    def gamma(self) -> float:
        """The output scale gamma."""
        return resolve_gamma(self.scaling, self.m)

    def replace(self, **changes: Any) -> "AlignmentConfig":
        """A copy with some fields changed (validated)."""
        return dataclasses.replace(self, **changes)


def _sizes(n: int, d: int, m: int) -> dict[str, int]:
    return {"n": n, "d": d, "m": m, "n_test": n}


_PAPER = _sizes(750, 1000, 1250)
_SMALL = _sizes(150, 200, 250)
_TINY = _sizes(60, 80, 100)


def _notebook_pair(sizes: dict[str, int], prefix: str, epochs: int) -> dict[str, AlignmentConfig]:
    m = sizes["m"]
    common = dict(sizes, nu=0.0, alpha=0.0, teacher="sigmoid", activation="sigmoid", outer="gaussian",
                  outer_scale="1/sqrt(m)", lr=math.sqrt(m) / 2, epochs=epochs, noise=1.0)
    return {
        f"{prefix}ntk": AlignmentConfig(name=f"{prefix}ntk", scaling="ntk", description=(
            "notebook 'NTK vs mean field': NTK scaling gamma = 1/sqrt(m), sigmoid teacher and activation, "
            "nu = 0, a ~ N(0, 1/m), lr = sqrt(m)/2"), **common),
        f"{prefix}mean-field": AlignmentConfig(name=f"{prefix}mean-field", scaling="mean-field", description=(
            "notebook 'NTK vs mean field': mean-field scaling gamma = 1/m, sigmoid teacher and activation, "
            "nu = 0, a ~ N(0, 1/m), lr = sqrt(m)/2"), **common),
    }


def _relu_sigmoid_pair(sizes: dict[str, int], prefix: str, epochs: int) -> dict[str, AlignmentConfig]:
    m = sizes["m"]
    common = dict(sizes, nu=1 / 8, alpha=0.0, teacher="sigmoid", scaling="ntk", outer="sign",
                  outer_scale="1/sqrt(m)", lr=2 * math.sqrt(m), epochs=epochs, noise=1.0)
    return {
        f"{prefix}relu": AlignmentConfig(name=f"{prefix}relu", activation="relu", description=(
            "notebook 'ReLU vs sigmoid' (first cell): nu = 1/8, sigmoid teacher, ReLU student, NTK gamma, "
            "a = ±1/sqrt(m), lr = 2 sqrt(m)"), **common),
        f"{prefix}sigmoid": AlignmentConfig(name=f"{prefix}sigmoid", activation="sigmoid", description=(
            "notebook 'ReLU vs sigmoid' (first cell): nu = 1/8, sigmoid teacher and student, NTK gamma, "
            "a = ±1/sqrt(m), lr = 2 sqrt(m)"), **common),
    }


def _paper(sizes: dict[str, int], name: str, epochs: int) -> AlignmentConfig:
    return AlignmentConfig(
        name=name, description=(
            "paper Fig. 1 setting: alpha = 0, NTK gamma = 1/sqrt(m), a in {±1}^m, nu = 1/8, "
            "ReLU student, triple-index ReLU teacher with noise 0.1 (our choice of teacher: Appendix C "
            "of the paper was not reproduced), lr = 0.01 with the notebook's lr/gamma step"),
        nu=1 / 8, alpha=0.0, teacher="relu", n_index=3, noise=0.1, activation="relu", scaling="ntk",
        outer="sign", outer_scale="1", lr=0.01, epochs=epochs, **sizes)


#: Named configurations (paper sizes n=750, d=1000, m=1250 unless prefixed "small-"/"tiny-").
CONFIGS: dict[str, AlignmentConfig] = {}
CONFIGS.update(_notebook_pair(_PAPER, "", 50))
CONFIGS.update(_relu_sigmoid_pair(_PAPER, "", 100))
CONFIGS["paper"] = _paper(_PAPER, "paper", 100)
CONFIGS.update(_notebook_pair(_SMALL, "small-", 30))
CONFIGS.update(_relu_sigmoid_pair(_SMALL, "small-", 40))
CONFIGS["small-paper"] = _paper(_SMALL, "small-paper", 40)
CONFIGS.update(_notebook_pair(_TINY, "tiny-", 10))
CONFIGS.update(_relu_sigmoid_pair(_TINY, "tiny-", 10))
CONFIGS["tiny-paper"] = _paper(_TINY, "tiny-paper", 10)

#: Named pairs of configurations trained side by side (same data and initial weights).
PAIRS: dict[str, tuple[str, str]] = {
    "ntk-vs-mean-field": ("ntk", "mean-field"),
    "relu-vs-sigmoid": ("relu", "sigmoid"),
    "small-ntk-vs-mean-field": ("small-ntk", "small-mean-field"),
    "small-relu-vs-sigmoid": ("small-relu", "small-sigmoid"),
    "tiny-ntk-vs-mean-field": ("tiny-ntk", "tiny-mean-field"),
    "tiny-relu-vs-sigmoid": ("tiny-relu", "tiny-sigmoid"),
}

#: Named nu-sweeps at initialisation: name -> base configuration (its sizes, teacher, outer weights).
SWEEPS: dict[str, str] = {"nu-sweep": "paper", "small-nu-sweep": "small-paper", "tiny-nu-sweep": "tiny-paper"}


def get_config(config: str | AlignmentConfig) -> AlignmentConfig:
    """Look up a named configuration (or pass a config object through)."""
    if isinstance(config, AlignmentConfig):
        return config
    if not isinstance(config, str):
        raise InputTypeError(f"get_config: 'config' must be a name or an AlignmentConfig, got {type(config).__name__}")
    check_option(config, "config", tuple(CONFIGS), func="get_config")
    return CONFIGS[config]


# --------------------------------------------------------------------------------------------
# top singular triplets, warm-started
# --------------------------------------------------------------------------------------------


class _TopSVD:
    """Top-k singular triplets by block subspace iteration with Rayleigh–Ritz, warm-started.

    The start block is drawn once (fixed seed) and afterwards carried over from the previous
    call, so consecutive, slowly changing matrices need one or two sweeps.
    """

    def __init__(self, k: int, d: int, *, oversample: int = 5, seed: int = 0, rtol: float = 1e-6,
                 max_sweeps: int = 30) -> None:
        self.k = k
        self.p = min(d, k + oversample)
        self.V = np.linalg.qr(_rng(seed, 5).standard_normal((d, self.p)))[0]
        self.rtol = rtol
        self.max_sweeps = max_sweeps

    def __call__(self, G: NDArray) -> tuple[NDArray, NDArray, NDArray, float, int]:
        V = self.V
        res = math.inf
        sweeps = 0
        while True:
            Qy, R = np.linalg.qr(G @ V)
            Ur, s, Wt = np.linalg.svd(R)  # Rayleigh–Ritz on span(V): G V = (Qy Ur) diag(s) Wt
            Ub = Qy @ Ur
            V = V @ Wt.T
            u1, s1 = Ub[:, 0], s[0]
            if s1 == 0:
                res = 0.0
                break
            res = float(np.linalg.norm(G.T @ u1 - s1 * V[:, 0]) / s1)
            if res <= self.rtol or sweeps >= self.max_sweeps:
                break
            V = np.linalg.qr(G.T @ Ub)[0]  # one subspace-iteration sweep
            sweeps += 1
        self.V = V
        return s[: self.k], Ub[:, : self.k], V[:, : self.k], res, sweeps


# --------------------------------------------------------------------------------------------
# training
# --------------------------------------------------------------------------------------------

HISTORY_KEYS: tuple[str, ...] = (
    "loss", "test_loss", "weight_norm", "alignment_q", "alignment_residue", "energy", "gradient_norm",
    "singular_values", "svd_residual", "svd_sweeps", "term_norm_S1", "term_norm_S12", "term_norm_S2", "term_norm_E",
)


@dataclasses.dataclass(frozen=True)
class TrainResult(Result):
    """Per-epoch history of one training run.

    Attributes
    ----------
    config : AlignmentConfig
    seed : int
    gamma : float
    history : dict of ndarray
        Entry ``t`` of every array is evaluated at the weights ``W_t`` at which the ``t``-th
        gradient is taken (``t = 0`` is the initialisation).  Keys: "loss", "test_loss" (half
        MSE), "weight_norm" (``||W_t||_2``), "alignment_q" and "alignment_residue" (``|cos|``
        between the gradient's leading right singular vector and q, resp. ``X_B^T r_t``),
        "energy" (``||W_t Q||_F / ||W_t||_F``, Q an orthonormal basis of span{X_B^T y, q}),
        "gradient_norm" (``||G_t||_2``), "singular_values" (epochs x top_k: the first to
        ``svd_rtol``, the others Ritz values of the tracked block, which are lower bounds),
        "svd_residual" (``||G^T u_1 - s_1 v_1|| / s_1``), "svd_sweeps",
        "term_norm_S1", "term_norm_S12", "term_norm_S2", "term_norm_E" (NaN if not tracked).
    final : dict
        loss, test_loss, weight_norm, energy at the final weights ``W_epochs``; "refit_test_loss"
        after refitting ``a`` (NaN if not requested).
    weight_norm_prediction : float
        ``1 + sqrt(m/d)``, the random-matrix prediction of ``||W_0||_2`` for ``m, d`` large.
    elapsed_s : float
    weights : (m, d) ndarray
        Final weights (not in to_dict()); ``leading_vectors`` (epochs, d) and ``snapshots``
        (epoch -> W) likewise.
    """

    config: AlignmentConfig
    seed: int
    gamma: float
    history: dict[str, NDArray[np.float64]]
    final: dict[str, float]
    weight_norm_prediction: float
    elapsed_s: float
    status: Status
    reason: str
    weights: NDArray[np.float64] = field_nojson(repr=False, default=None)
    leading_vectors: NDArray[np.float64] = field_nojson(repr=False, default=None)
    snapshots: dict[int, NDArray[np.float64]] = field_nojson(repr=False, default_factory=dict)

    def summary(self) -> str:
        c = self.config
        h = self.history
        lines = [f"alignment training '{c.name}' (seed {self.seed}): {self.status.value}",
                 f"  n={c.n} d={c.d} m={c.m} nu={c.nu:g} alpha={c.alpha:g} activation={c.activation} "
                 f"scaling={c.scaling} gamma={self.gamma:.4g} lr={c.lr:.4g} epochs={c.epochs}",
                 f"  ||W_0||_2 = {h['weight_norm'][0]:.4f} (random-matrix prediction 1 + sqrt(m/d) = "
                 f"{self.weight_norm_prediction:.4f})",
                 "  epoch      loss  test_loss   ||W||_2   ||G||_2  align_q  align_res  energy"]
        T = len(h["loss"])
        idx = sorted(set([0, 1, 2, T // 4, T // 2, 3 * T // 4, T - 1]) & set(range(T)))
        for t in idx:
            lines.append(f"  {t:5d} {h['loss'][t]:9.4g} {h['test_loss'][t]:10.4g} {h['weight_norm'][t]:9.4g} "
                         f"{h['gradient_norm'][t]:9.3g} {h['alignment_q'][t]:8.3f} {h['alignment_residue'][t]:10.3f} "
                         f"{h['energy'][t]:7.3f}")
        f = self.final
        lines.append(f"  final: loss {f['loss']:.4g}, test loss {f['test_loss']:.4g}, ||W||_2 {f['weight_norm']:.4g}, "
                     f"refit test loss {f['refit_test_loss']:.4g}; {self.elapsed_s:.1f} s")
        if not self.ok:
            lines.append(f"  reason: {self.reason}")
        return "\n".join(lines)


def _row_normalise(W: NDArray) -> bool:
    norms = np.linalg.norm(W, axis=1, keepdims=True)
    if not np.all(norms > 0) or not np.all(np.isfinite(norms)):
        return False
    W /= norms
    return True


def _half_mse_fast(X: NDArray, W: NDArray, a: NDArray, y: NDArray, gamma: float, activation: str) -> float:
    r = gamma * (ACTIVATIONS[activation][0](X @ W.T) @ a) - y
    return float(0.5 * np.mean(r * r))


class _LanczosNorm:
    """``||A||_2`` by Golub–Kahan–Lanczos with full reorthogonalisation, warm-started from the
    previous call's top right singular vector; stops when the Ritz residual is below rtol, or the
    largest Ritz value moved by less than rtol (relative) over the last four steps."""

    def __init__(self, d: int, *, seed: int = 0, rtol: float = 1e-8, maxiter: int = 300) -> None:
        self.v = _rng(seed, 6).standard_normal(d)
        self.rtol = rtol
        self.maxiter = maxiter

    def __call__(self, A: NDArray) -> float:
        m, d = A.shape
        kmax = min(self.maxiter, m, d)
        V = np.zeros((d, kmax + 1))
        U = np.zeros((m, kmax))
        alpha = np.zeros(kmax)
        beta = np.zeros(kmax)
        v = self.v / np.linalg.norm(self.v)
        V[:, 0] = v
        u_prev = np.zeros(m)
        b = 0.0
        sigma = 0.0
        for k in range(kmax):
            u = A @ V[:, k] - b * u_prev
            u -= U[:, :k] @ (U[:, :k].T @ u)
            a_k = float(np.linalg.norm(u))
            if a_k == 0.0:
                break
            u /= a_k
            U[:, k] = u
            alpha[k] = a_k
            w = A.T @ u - a_k * V[:, k]
            w -= V[:, : k + 1] @ (V[:, : k + 1].T @ w)
            b = float(np.linalg.norm(w))
            beta[k] = b
            u_prev = u
            if b > 0:
                V[:, k + 1] = w / b
            if k % 4 == 3 or b == 0.0 or k == kmax - 1:
                B = np.diag(alpha[: k + 1]) + np.diag(beta[:k], 1)
                P, s, Qt = np.linalg.svd(B)
                prev, sigma = sigma, float(s[0])
                res = b * abs(P[k, 0])  # ||A^T u_ritz - sigma v_ritz||
                self.v = V[:, : k + 1] @ Qt[0]
                # Ritz values increase monotonically to sigma_1; stop when the residual is small
                # or the value has settled to rtol (its error is then about res^2 / gap).
                if b == 0.0 or res <= self.rtol * sigma or sigma - prev <= self.rtol * sigma:
                    break
        return sigma


def train(
    config: str | AlignmentConfig, *, seed: int = 0, progress: Callable[..., Any] | None = None,
    snapshot_every: int | None = None, backend: Literal["numpy", "torch"] = "numpy", device: str | None = None,
) -> TrainResult:
    """Full-batch gradient descent with row renormalisation, tracking the gradient's structure.

    Parameters
    ----------
    config : str or AlignmentConfig
        A name from :data:`CONFIGS` or a configuration object.
    seed : int
        Data and initial weights are drawn from this seed (two configs with the same data fields
        and seed see the same data and initial weights).
    progress : callable, optional
        Called as ``progress(1)`` after every epoch.
    snapshot_every : int, optional
        Keep a copy of ``W_t`` every that many epochs (and the final weights) in ``snapshots``.
    backend : {"numpy", "torch"}
        "torch" runs the forward pass, gradient and update in torch (float64) on ``device``
        (default: CUDA when available); diagnostics are computed identically in numpy.
    device : str, optional
        Torch device.

    Returns
    -------
    TrainResult
        ``status`` is INACCURATE when the loss became non-finite (lower ``lr``) or a row of W
        vanished, or when the leading singular triplet missed ``svd_rtol``.

    Notes
    -----
    Per epoch: three (n x d x m) products (forward on train and test data, gradient), a few
    block products with G for the warm-started top-k triplets (cost O(m d k) each), Lanczos for
    ``||W||_2`` (O(m d) per step) and O(m) quadrature nodes per neuron for mu.  No full SVD is
    taken.

    Examples
    --------
    >>> res = train(CONFIGS["tiny-relu"].replace(epochs=3))
    >>> res.ok, res.history["loss"].shape, res.history["singular_values"].shape
    (True, (3,), (3, 5))
    """
    func = "train"
    cfg = get_config(config)
    seed = check_int(seed, "seed", func=func, minimum=0)
    snapshot_every = check_int(snapshot_every, "snapshot_every", func=func, minimum=1, allow_none=True)
    check_option(backend, "backend", ("numpy", "torch"), func=func)
    t0 = time.perf_counter()
    data = spiked_data(cfg.n, cfg.d, nu=cfg.nu, alpha=cfg.alpha, teacher=cfg.teacher, n_index=cfg.n_index,
                       noise=cfg.noise, n_test=cfg.n_test, seed=seed)
    W, a = init_weights(cfg.m, cfg.d, outer=cfg.outer, outer_scale=cfg.outer_scale, seed=seed)
    gamma = cfg.gamma
    step = cfg.lr / gamma if cfg.lr_per_gamma else cfg.lr
    E_ = cfg.epochs
    hist = {k: np.full(E_, np.nan) for k in HISTORY_KEYS if k != "singular_values"}
    hist["singular_values"] = np.full((E_, cfg.top_k), np.nan)
    lead = np.full((E_, cfg.d), np.nan)
    snaps: dict[int, NDArray] = {}
    tracker = _TopSVD(cfg.top_k, cfg.d, seed=seed, rtol=cfg.svd_rtol)
    wnorm = _LanczosNorm(cfg.d, seed=seed, rtol=1e-8)
    e_norm = _LanczosNorm(cfg.d, seed=seed + 1, rtol=1e-6) if cfg.track_terms else None
    X, XB, y, q = data.X, data.X_bulk, data.y, data.q
    basis_vectors = np.column_stack([XB.T @ y, q])
    s_fn, ds_fn = ACTIVATIONS[cfg.activation]
    n = cfg.n
    c = gamma / n
    status, reason = Status.OK, "training finished; every leading singular triplet met svd_rtol"
    worst_res = 0.0
    backend_impl = _TorchBackend(X, y, a, gamma, cfg.activation, device) if backend == "torch" else None
    for t in range(E_):
        if snapshot_every is not None and t % snapshot_every == 0:
            snaps[t] = W.copy()
        if backend_impl is not None:
            r, Sp, G = backend_impl.forward_gradient(W)
        else:
            Z = X @ W.T
            r = gamma * (s_fn(Z) @ a) - y
            Sp = ds_fn(Z)
            G = _gradient(X, r, a, Sp, gamma)
        loss = float(0.5 * np.mean(r * r))
        hist["loss"][t] = loss
        if not np.isfinite(loss) or not np.all(np.isfinite(G)):
            status, reason = Status.INACCURATE, f"training diverged at epoch {t} (non-finite loss or gradient); lower lr"
            break
        hist["test_loss"][t] = _half_mse_fast(data.X_test, W, a, data.y_test, gamma, cfg.activation)
        hist["weight_norm"][t] = wnorm(W)
        hist["energy"][t] = projection_ratio(W, basis_vectors)
        s, U, V, res, sweeps = tracker(G)
        hist["svd_sweeps"][t] = sweeps
        worst_res = max(worst_res, res)
        hist["singular_values"][t] = s
        hist["gradient_norm"][t] = s[0]
        hist["svd_residual"][t] = res
        v1 = V[:, 0]
        lead[t] = v1
        resid_vec = XB.T @ r
        hist["alignment_q"][t] = alignment(v1, q)
        hist["alignment_residue"][t] = alignment(v1, resid_vec) if np.any(resid_vec) else np.nan
        if e_norm is not None:
            mu = _mu_exact(W, cfg.activation, data.zeta, q, data.bulk_eigenvalues)
            am = a * mu
            n_am = float(np.linalg.norm(am))
            hist["term_norm_S1"][t] = c * n_am * float(np.linalg.norm(resid_vec))
            spike_r = data.zeta * float(data.z @ r)  # X_S^T r = zeta (z^T r) q, ||q|| = 1
            hist["term_norm_S12"][t] = c * n_am * abs(spike_r)
            s2vec = a * ((Sp - mu[None, :]).T @ (r * data.z)) * data.zeta
            hist["term_norm_S2"][t] = c * float(np.linalg.norm(s2vec))
            Emat = G - c * np.outer(am, resid_vec + spike_r * q) - c * np.outer(s2vec, q)
            hist["term_norm_E"][t] = e_norm(Emat)
        # gradient step with row renormalisation
        W = W - step * G
        if not _row_normalise(W):
            status, reason = Status.INACCURATE, f"a row of W became zero or non-finite at epoch {t}; lower lr"
            break
        if progress is not None:
            progress(1)
    if status is Status.OK and worst_res > cfg.svd_rtol:
        status = Status.INACCURATE
        reason = (f"the leading singular triplet reached a residual of {worst_res:.2e} > svd_rtol = "
                  f"{cfg.svd_rtol:.1e}; the gap below sigma_1 is small, raise svd_rtol or top_k")
    final: dict[str, float] = {"loss": math.nan, "test_loss": math.nan, "weight_norm": math.nan, "energy": math.nan,
             "refit_test_loss": math.nan}
    if np.all(np.isfinite(W)):
        final["loss"] = _half_mse_fast(X, W, a, y, gamma, cfg.activation)
        final["test_loss"] = _half_mse_fast(data.X_test, W, a, data.y_test, gamma, cfg.activation)
        final["weight_norm"] = wnorm(W)
        final["energy"] = projection_ratio(W, basis_vectors)
        if cfg.refit:
            H = gamma * s_fn(X @ W.T)
            a_fit = np.linalg.lstsq(H, y, rcond=None)[0]
            final["refit_test_loss"] = _half_mse_fast(data.X_test, W, a_fit, data.y_test, gamma, cfg.activation)
    if snapshot_every is not None:
        snaps[E_] = W.copy()
    return TrainResult(
        config=cfg, seed=seed, gamma=gamma, history=hist, final=final,
        weight_norm_prediction=1.0 + math.sqrt(cfg.m / cfg.d), elapsed_s=time.perf_counter() - t0,
        status=status, reason=reason, weights=W, leading_vectors=lead, snapshots=snaps,
    )


class _TorchBackend:
    """Forward pass and gradient in torch (float64); returns numpy arrays for the diagnostics."""

    def __init__(self, X: NDArray, y: NDArray, a: NDArray, gamma: float, activation: str, device: str | None):
        try:
            import torch
        except ImportError:  # pragma: no cover - depends on the environment
            raise InputValueError("train: backend='torch' needs PyTorch; pip install torch") from None
        self.torch = torch
        dev = device or ("cuda" if torch.cuda.is_available() else "cpu")
        self.dev = torch.device(dev)
        self.X = torch.as_tensor(X, dtype=torch.float64, device=self.dev)
        self.y = torch.as_tensor(y, dtype=torch.float64, device=self.dev)
        self.a = torch.as_tensor(a, dtype=torch.float64, device=self.dev)
        self.gamma = gamma
        self.activation = activation

    def forward_gradient(self, W: NDArray) -> tuple[NDArray, NDArray, NDArray]:
        torch = self.torch
        Wt = torch.as_tensor(W, dtype=torch.float64, device=self.dev)
        Z = self.X @ Wt.T
        if self.activation == "relu":
            H, Sp = torch.relu(Z), (Z > 0).to(Z.dtype)
        elif self.activation == "sigmoid":
            H = torch.sigmoid(Z)
            Sp = H * (1 - H)
        else:
            H = torch.tanh(Z)
            Sp = 1 - H * H
        r = self.gamma * (H @ self.a) - self.y
        G = (self.gamma / self.X.shape[0]) * ((Sp * r[:, None] * self.a[None, :]).T @ self.X)
        return r.cpu().numpy(), Sp.cpu().numpy(), G.cpu().numpy()


# --------------------------------------------------------------------------------------------
# two runs side by side
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ComparisonResult(Result):
    """Two runs from the same data and initial weights, and the principal angles between them.

    Attributes
    ----------
    first, second : TrainResult
    angle_epochs : (k,) ndarray
        Epochs at which the angles were measured.
    mean_angle_deg, max_angle_deg : (k,) ndarray
        Mean and largest principal angle (degrees) between the column spaces of the two runs'
        weight matrices (the notebook's measure; both are (m, d), so these are d-dimensional
        subspaces of R^m).
    """

    first: TrainResult
    second: TrainResult
    angle_epochs: NDArray[np.int64]
    mean_angle_deg: NDArray[np.float64]
    max_angle_deg: NDArray[np.float64]
    status: Status
    reason: str

    def summary(self) -> str:
        lines = [self.first.summary(), "", self.second.summary(), "",
                 f"principal angles between '{self.first.config.name}' and '{self.second.config.name}' weights "
                 "(column spaces), degrees:", "  epoch   mean    max"]
        for e, mn, mx in zip(self.angle_epochs, self.mean_angle_deg, self.max_angle_deg):
            lines.append(f"  {int(e):5d} {mn:6.2f} {mx:6.2f}")
        return "\n".join(lines)


def compare_runs(
    config_a: str | AlignmentConfig, config_b: str | AlignmentConfig, *, seed: int = 0,
    angle_every: int | None = None, progress: Callable[..., Any] | None = None,
) -> ComparisonResult:
    """Train two configurations from the same seed and compare their weights by principal angles.

    Parameters
    ----------
    config_a, config_b : str or AlignmentConfig
    seed : int
    angle_every : int, optional
        Measure the angles every that many epochs (default: about 10 points per run).  Each
        measurement costs two QR factorisations of an (m, d) matrix and an SVD of a d x d one.
    progress : callable, optional

    Returns
    -------
    ComparisonResult

    Examples
    --------
    >>> c = compare_runs(CONFIGS["tiny-ntk"].replace(epochs=2), CONFIGS["tiny-mean-field"].replace(epochs=2))
    >>> c.ok, c.angle_epochs.tolist(), bool(c.max_angle_deg[0] < 1e-10)
    (True, [0, 1, 2], True)
    """
    ca, cb = get_config(config_a), get_config(config_b)
    if ca.epochs != cb.epochs or (ca.m, ca.d) != (cb.m, cb.d):
        raise InputValueError(
            f"compare_runs: the two configurations must have the same epochs and (m, d); got "
            f"{ca.epochs}, ({ca.m}, {ca.d}) and {cb.epochs}, ({cb.m}, {cb.d})")
    every = angle_every or max(1, ca.epochs // 10)
    every = check_int(every, "angle_every", func="compare_runs", minimum=1)
    ra = train(ca, seed=seed, progress=progress, snapshot_every=every)
    rb = train(cb, seed=seed, progress=progress, snapshot_every=every)
    epochs = sorted(set(ra.snapshots) & set(rb.snapshots))
    mean_deg, max_deg = [], []
    for e in epochs:
        th = np.degrees(principal_angles(ra.snapshots[e], rb.snapshots[e]))
        mean_deg.append(float(th.mean()) if th.size else math.nan)
        max_deg.append(float(th.max()) if th.size else math.nan)
    ok = ra.ok and rb.ok
    return ComparisonResult(
        first=dataclasses.replace(ra, snapshots={}), second=dataclasses.replace(rb, snapshots={}),
        angle_epochs=np.array(epochs, dtype=np.int64), mean_angle_deg=np.array(mean_deg),
        max_angle_deg=np.array(max_deg), status=Status.OK if ok else Status.INACCURATE,
        reason="both runs finished" if ok else "; ".join(r.reason for r in (ra, rb) if not r.ok),
    )


# --------------------------------------------------------------------------------------------
# nu-sweep at initialisation
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class SweepResult(Result):
    """Alignment of the leading gradient direction at initialisation over nu, activation, scaling, seed.

    Arrays have shape (len(nus), len(activations), len(scalings), seeds).

    Attributes
    ----------
    nus : tuple of float
    activations, scalings : tuple of str
    seeds : int
    base : str
        Name of the base configuration (sizes, teacher, outer weights).
    alignment_q, alignment_residue : ndarray
        ``|cos|`` of the leading right singular vector of G with q, resp. ``X_B^T r``.
    sv_ratio : ndarray
        ``sigma_2 / sigma_1`` of G (small: rank one; near 1: two comparable directions).
    norm_S1, norm_spike, norm_E, norm_G : ndarray
        ``||S1||_2``, ``||S12 + S2||_2`` (both along q: rank one), ``||E||_2`` and ``||G||_2``.
    """

    nus: tuple[float, ...]
    activations: tuple[str, ...]
    scalings: tuple[str, ...]
    seeds: int
    base: str
    alignment_q: NDArray[np.float64]
    alignment_residue: NDArray[np.float64]
    sv_ratio: NDArray[np.float64]
    norm_S1: NDArray[np.float64]
    norm_spike: NDArray[np.float64]
    norm_E: NDArray[np.float64]
    norm_G: NDArray[np.float64]
    status: Status
    reason: str

    def summary(self) -> str:
        lines = [f"nu-sweep at initialisation (base '{self.base}', {self.seeds} seeds; mean over seeds)",
                 "  activation scaling     nu   align_q  align_res  s2/s1  ||S1||/||G||  ||S12+S2||/||G||"]
        for ia, act in enumerate(self.activations):
            for isc, sc in enumerate(self.scalings):
                for inu, nu in enumerate(self.nus):
                    sl = (inu, ia, isc)
                    g = self.norm_G[sl]
                    lines.append(
                        f"  {act:<10} {sc:<10} {nu:5.3f} {self.alignment_q[sl].mean():8.3f} "
                        f"{self.alignment_residue[sl].mean():10.3f} {self.sv_ratio[sl].mean():6.3f} "
                        f"{(self.norm_S1[sl] / g).mean():13.3f} {(self.norm_spike[sl] / g).mean():17.3f}")
        return "\n".join(lines)


def nu_sweep(
    base: str | AlignmentConfig = "paper", *, nus: Sequence[float] = NU_GRID,
    activations: Sequence[str] = ("relu", "sigmoid", "tanh"), scalings: Sequence[str] = ("ntk", "mean-field"),
    seeds: int = 3, progress: Callable[..., Any] | None = None,
) -> SweepResult:
    """Gradient structure at initialisation over spike strength, activation, scaling and seeds.

    For every combination the data are drawn with ``nu`` and the base configuration's other data
    fields (sizes, alpha, teacher, noise), the weights as in the base configuration, and the
    gradient at initialisation is analysed: its leading right singular vector's alignment with q
    and with ``X_B^T r``, ``sigma_2/sigma_1``, and the norms of S1, S12 + S2 (mu exact) and E.

    Parameters
    ----------
    base : str or AlignmentConfig
        Base configuration (default "paper": n=750, d=1000, m=1250, a in {±1}).
    nus : sequence of float
        Spike exponents (default 0, 1/8, ..., 3/4).
    activations, scalings : sequences of str
    seeds : int
        Seeds 0, ..., seeds-1.
    progress : callable, optional
        Called once per (nu, seed) data draw.

    Returns
    -------
    SweepResult

    Examples
    --------
    >>> sw = nu_sweep("tiny-paper", nus=(0.0, 0.75), activations=("relu",), scalings=("ntk",), seeds=1)
    >>> sw.alignment_q.shape, bool(sw.alignment_q[1].mean() > sw.alignment_q[0].mean())
    ((2, 1, 1, 1), True)
    """
    func = "nu_sweep"
    cfg = get_config(base)
    seeds = check_int(seeds, "seeds", func=func, minimum=1)
    nus = tuple(check_real(v, "nus", func=func, lo=0.0) for v in nus)
    acts = tuple(check_option(v, "activations", tuple(ACTIVATIONS), func=func) for v in activations)
    scs = tuple(check_option(v, "scalings", tuple(SCALINGS), func=func) for v in scalings)
    if not nus or not acts or not scs:
        raise InputValueError(f"{func}: 'nus', 'activations' and 'scalings' must be non-empty")
    shape = (len(nus), len(acts), len(scs), seeds)
    out = {k: np.full(shape, np.nan) for k in ("aq", "ar", "ratio", "s1", "sp", "e", "g")}
    for inu, nu in enumerate(nus):
        for sd in range(seeds):
            D = spiked_data(cfg.n, cfg.d, nu=nu, alpha=cfg.alpha, teacher=cfg.teacher, n_index=cfg.n_index,
                            noise=cfg.noise, n_test=1, seed=sd)
            W, a = init_weights(cfg.m, cfg.d, outer=cfg.outer, outer_scale=cfg.outer_scale, seed=sd)
            Z = D.X @ W.T
            for ia, act in enumerate(acts):
                s_fn, ds_fn = ACTIVATIONS[act]
                H, Sp = s_fn(Z), ds_fn(Z)
                mu = _mu_exact(W, act, D.zeta, D.q, D.bulk_eigenvalues)
                for isc, sc in enumerate(scs):
                    gamma = resolve_gamma(sc, cfg.m)
                    r = gamma * (H @ a) - D.y
                    G = _gradient(D.X, r, a, Sp, gamma)
                    s, U, V, _, _ = _TopSVD(2, cfg.d, seed=sd, rtol=1e-8, max_sweeps=200)(G)
                    v1 = V[:, 0]
                    rv = D.X_bulk.T @ r
                    c = gamma / cfg.n
                    am = a * mu
                    spike_r = D.zeta * float(D.z @ r)
                    s2vec = a * ((Sp - mu[None, :]).T @ (r * D.z)) * D.zeta
                    spike_left = c * (am * spike_r + s2vec)  # S12 + S2 = spike_left q^T
                    Emat = G - c * np.outer(am, rv) - np.outer(spike_left, D.q)
                    sl = (inu, ia, isc, sd)
                    out["aq"][sl] = alignment(v1, D.q)
                    out["ar"][sl] = alignment(v1, rv)
                    out["ratio"][sl] = s[1] / s[0] if len(s) > 1 and s[0] > 0 else math.nan
                    out["s1"][sl] = c * float(np.linalg.norm(am) * np.linalg.norm(rv))
                    out["sp"][sl] = float(np.linalg.norm(spike_left))
                    out["e"][sl] = _LanczosNorm(cfg.d, seed=sd, rtol=1e-8)(Emat)
                    out["g"][sl] = s[0]
            if progress is not None:
                progress(1)
    return SweepResult(
        nus=nus, activations=acts, scalings=scs, seeds=seeds, base=cfg.name,
        alignment_q=out["aq"], alignment_residue=out["ar"], sv_ratio=out["ratio"], norm_S1=out["s1"],
        norm_spike=out["sp"], norm_E=out["e"], norm_G=out["g"], status=Status.OK, reason="sweep finished",
    )


# --------------------------------------------------------------------------------------------
# one entry point for the CLI and the report
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ExperimentResult(Result):
    """A named experiment over one or more seeds: single runs, pairs or a nu-sweep.

    Attributes
    ----------
    name : str
    kind : str
        "train", "pair" or "sweep".
    runs : tuple
        One TrainResult or ComparisonResult per seed ("train"/"pair"), or one SweepResult.
    aggregate : dict
        Mean and spread over seeds of the final alignments and losses (train/pair).
    """

    name: str
    kind: str
    runs: tuple[Any, ...]
    aggregate: dict[str, Any]
    status: Status
    reason: str

    def summary(self) -> str:
        parts = [f"experiment alignment '{self.name}' ({self.kind}, {len(self.runs)} run(s)): {self.status.value}"]
        parts += [r.summary() for r in self.runs[:1]]
        if len(self.runs) > 1 or self.kind != "sweep":
            parts.append("aggregate over seeds (final epoch): " + ", ".join(
                f"{k} = {v['mean']:.4g} ± {v['std']:.2g}" for k, v in self.aggregate.items()))
        if not self.ok:
            parts.append(f"reason: {self.reason}")
        return "\n".join(parts)


#: Every experiment name the CLI accepts.
def experiment_names() -> tuple[str, ...]:
    """Names accepted by :func:`run_experiment`: configurations, pairs and sweeps."""
    return tuple(CONFIGS) + tuple(PAIRS) + tuple(SWEEPS)


def _agg(runs: list[TrainResult], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("alignment_q", "alignment_residue", "energy", "loss", "test_loss"):
        vals = np.array([r.history[key][-1] for r in runs])
        out[prefix + key] = {"mean": float(np.nanmean(vals)), "std": float(np.nanstd(vals))}
    return out


def run_experiment(name: str, *, seeds: int = 1, progress: Callable[..., Any] | None = None) -> ExperimentResult:
    """Run a named experiment (a configuration, a pair or a sweep) over ``seeds`` seeds.

    >>> run_experiment("tiny-relu").runs[0].history["loss"].shape
    (10,)
    """
    func = "run_experiment"
    check_option(name, "config", experiment_names(), func=func)
    seeds = check_int(seeds, "seeds", func=func, minimum=1)
    if name in SWEEPS:
        sw = nu_sweep(SWEEPS[name], seeds=seeds, progress=progress)
        return ExperimentResult(name=name, kind="sweep", runs=(sw,), aggregate={}, status=sw.status, reason=sw.reason)
    if name in PAIRS:
        a, b = PAIRS[name]
        pairs = [compare_runs(a, b, seed=s, progress=progress) for s in range(seeds)]
        agg = _agg([p.first for p in pairs], a + ".")
        agg.update(_agg([p.second for p in pairs], b + "."))
        agg["mean_angle_deg"] = {"mean": float(np.mean([p.mean_angle_deg[-1] for p in pairs])),
                                 "std": float(np.std([p.mean_angle_deg[-1] for p in pairs]))}
        ok = all(p.ok for p in pairs)
        return ExperimentResult(name=name, kind="pair", runs=tuple(pairs), aggregate=agg,
                                status=Status.OK if ok else Status.INACCURATE,
                                reason="all runs finished" if ok else "; ".join(p.reason for p in pairs if not p.ok))
    runs = [train(name, seed=s, progress=progress) for s in range(seeds)]
    ok = all(r.ok for r in runs)
    return ExperimentResult(name=name, kind="train", runs=tuple(runs), aggregate=_agg(runs),
                            status=Status.OK if ok else Status.INACCURATE,
                            reason="all runs finished" if ok else "; ".join(r.reason for r in runs if not r.ok))


def experiment_epochs(name: str, seeds: int = 1) -> int:
    """Number of progress steps :func:`run_experiment` reports for ``name`` (for a progress bar)."""
    if name in SWEEPS:
        return len(NU_GRID) * seeds
    if name in PAIRS:
        a, b = PAIRS[name]
        return (CONFIGS[a].epochs + CONFIGS[b].epochs) * seeds
    return CONFIGS[name].epochs * seeds
