"""The two-layer network ``f(x) = gamma a^T sigma(W x)``: activations, scalings, loss and gradient.

The regime is named by the **total output scale** ``gamma * s`` (``s`` the scale of the outer
weights ``a``): NTK is ``1/sqrt(m)``, mean field ``1/m`` (Sonthalia, Murray, Montúfar,
arXiv:2510.01303, with ``a in {±1}^m``).  How that total is split between ``gamma`` and ``a`` is a
separate choice (:func:`resolve_gamma`).
"""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Literal

import numpy as np
import scipy.special
from numpy.typing import ArrayLike, NDArray

from ..._validation import InputValueError, as_matrix, as_vector, check_option, check_real

__all__ = [
    "ACTIVATIONS",
    "SCALINGS",
    "OUTER_SCALES",
    "output_scale",
    "outer_weight_scale",
    "resolve_gamma",
    "network_output",
    "half_mse",
    "first_layer_gradient",
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

#: Named regimes: name -> the TOTAL output scale ``gamma * s`` as a function of the width m.
SCALINGS: dict[str, Callable[[int], float]] = {
    "ntk": lambda m: 1.0 / math.sqrt(m),
    "mean-field": lambda m: 1.0 / m,
}

#: Scales ``s`` of the outer weights: name -> s as a function of m (the paper: 1; the notebook: 1/sqrt(m)).
OUTER_SCALES: dict[str, Callable[[int], float]] = {
    "1": lambda m: 1.0,
    "1/sqrt(m)": lambda m: 1.0 / math.sqrt(m),
}


def output_scale(scaling: str | float, m: int) -> float:
    """Total output scale ``gamma * s`` of a named regime ("ntk": ``1/sqrt(m)``, "mean-field": ``1/m``) or a number.

    Parameters
    ----------
    scaling : str or float
        A key of :data:`SCALINGS` (``"ntk"``, ``"mean-field"``), or a positive finite number,
        returned as is.
    m : int
        The width (number of hidden units); used only for a named regime.

    Returns
    -------
    float
        The total scale ``gamma * s`` (dimensionless), ``> 0``.

    Raises
    ------
    InputValueError
        Unknown regime name, or a number that is not finite and positive.
    InputTypeError
        ``scaling`` is neither a string nor a real number.

    Examples
    --------
    >>> output_scale("ntk", 100), output_scale("mean-field", 100), output_scale(0.5, 100)
    (0.1, 0.01, 0.5)
    """
    if isinstance(scaling, str):
        check_option(scaling, "scaling", tuple(SCALINGS), func="output_scale")
        return SCALINGS[scaling](int(m))
    return check_real(scaling, "scaling", func="output_scale", lo=0.0, lo_open=True)


def outer_weight_scale(outer_scale: str, m: int) -> float:
    """Scale ``s`` of the outer weights ("1" or "1/sqrt(m)").

    Parameters
    ----------
    outer_scale : str
        A key of :data:`OUTER_SCALES`: ``"1"`` (the paper's ``a in {±1}^m``) or ``"1/sqrt(m)"``
        (the seed notebook's).
    m : int
        The width (number of hidden units).

    Returns
    -------
    float
        ``s``: 1.0 or ``1/sqrt(m)``.

    Raises
    ------
    InputValueError
        Unknown ``outer_scale``.

    Examples
    --------
    >>> outer_weight_scale("1/sqrt(m)", 100)
    0.1
    """
    check_option(outer_scale, "outer_scale", tuple(OUTER_SCALES), func="outer_weight_scale")
    return OUTER_SCALES[outer_scale](int(m))


def resolve_gamma(scaling: str | float, m: int, *, outer_scale: str = "1") -> float:
    """``gamma`` such that ``gamma * s`` is the total output scale of ``scaling``.

    Parameters
    ----------
    scaling : str or float
        "ntk" (total ``1/sqrt(m)``), "mean-field" (total ``1/m``) or a positive number (the total).
    m : int
        Width.
    outer_scale : {"1", "1/sqrt(m)"}
        Scale ``s`` of the outer weights; ``gamma = total / s``.

    Examples
    --------
    >>> resolve_gamma("ntk", 100), resolve_gamma("mean-field", 100), resolve_gamma(0.5, 100)
    (0.1, 0.01, 0.5)
    >>> g = resolve_gamma("ntk", 100, outer_scale="1/sqrt(m)"), resolve_gamma("mean-field", 100, outer_scale="1/sqrt(m)")
    >>> [round(x, 12) for x in g]
    [1.0, 0.1]
    """
    total = output_scale(scaling, m)
    return total / outer_weight_scale(outer_scale, m)


# --------------------------------------------------------------------------------------------
# validation shared by the public functions of the experiment


def check_model_args(X: Any, W: Any, a: Any, y: Any, gamma: Any, activation: Any, func: str):
    """Validate (X, W, a, y, gamma, activation) once; returns float64 arrays and gamma."""
    X = as_matrix(X, "X", func=func, keep_dtype=False)
    W = as_matrix(W, "W", func=func, keep_dtype=False)
    a = as_1d(a, "a", func)
    y = as_1d(y, "y", func) if y is not None else None
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


def as_1d(v: Any, name: str, func: str) -> NDArray[np.float64]:
    """A 1-D float64 vector; (n, 1) and (1, n) arrays are refused (they broadcast to (n, n))."""
    arr = np.asarray(v) if not isinstance(v, (str, bytes)) and v is not None else v
    if isinstance(arr, np.ndarray) and arr.ndim == 2 and 1 in arr.shape:
        raise InputValueError(
            f"{func}: '{name}' must be a 1-D array, got shape {arr.shape}; pass {name}.ravel() "
            "(2-D row and column vectors are refused because (n, 1) - (n,) broadcasts to an (n, n) matrix)"
        )
    return as_vector(v, name, func=func, keep_dtype=False)


# --------------------------------------------------------------------------------------------
# unchecked bodies (internal callers pass validated float64 arrays)


def forward(X: NDArray, W: NDArray, a: NDArray, y: NDArray, gamma: float, activation: str):
    """Unchecked: ``(r, sigma'(Z))`` with ``Z = X W^T`` and ``r = f - y``."""
    s, ds = ACTIVATIONS[activation]
    Z = X @ W.T
    r = gamma * (s(Z) @ a) - y
    return r, ds(Z)


def gradient(X: NDArray, r: NDArray, a: NDArray, Sp: NDArray, gamma: float) -> NDArray:
    """Unchecked: ``G = (gamma/n) [(r a^T) o sigma']^T X``."""
    D = Sp * r[:, None]
    D *= a[None, :]
    return (gamma / X.shape[0]) * (D.T @ X)


def half_mse_body(X: NDArray, W: NDArray, a: NDArray, y: NDArray, gamma: float, activation: str) -> float:
    """Unchecked :func:`half_mse`."""
    r = gamma * (ACTIVATIONS[activation][0](X @ W.T) @ a) - y
    return float(0.5 * np.mean(r * r))


# --------------------------------------------------------------------------------------------
# public functions


def network_output(X: ArrayLike, W: ArrayLike, a: ArrayLike, *, gamma: float, activation: Activation) -> NDArray[np.float64]:
    """``f(x_i) = gamma a^T sigma(W x_i)`` for every row of X; returns shape (n,).

    Parameters
    ----------
    X : (n, d) array_like
        Inputs, one per row (real, finite; computed in float64).
    W : (m, d) array_like
        First-layer weights, one hidden unit per row.
    a : (m,) array_like
        Outer weights (1-D: ``(m, 1)`` and ``(1, m)`` arrays are refused).
    gamma : float
        Keyword-only: the output multiplier, finite and ``> 0``.
    activation : {"relu", "sigmoid", "tanh"}
        Keyword-only: ``sigma``, a key of :data:`ACTIVATIONS`.

    Returns
    -------
    (n,) ndarray
        float64 network outputs.

    Raises
    ------
    InputValueError
        Shapes that do not match, NaN/Inf or empty arrays, ``gamma <= 0`` or not finite, unknown
        activation.
    InputTypeError
        Complex or non-numeric arrays, ``gamma`` not a real number.

    Examples
    --------
    >>> X = np.eye(2); W = np.eye(2); a = np.array([1.0, -1.0])
    >>> network_output(X, W, a, gamma=0.5, activation="relu")
    array([ 0.5, -0.5])
    """
    X, W, a, _, gamma = check_model_args(X, W, a, None, gamma, activation, "network_output")
    return gamma * (ACTIVATIONS[activation][0](X @ W.T) @ a)


def half_mse(X: ArrayLike, W: ArrayLike, a: ArrayLike, y: ArrayLike, *, gamma: float, activation: Activation) -> float:
    """``L = (1/2n) sum_i (f(x_i) - y_i)^2`` (the loss whose gradient :func:`first_layer_gradient` gives).

    Parameters
    ----------
    X : (n, d) array_like
        Inputs, one per row (real, finite; computed in float64).
    W : (m, d) array_like
        First-layer weights, one hidden unit per row.
    a : (m,) array_like
        Outer weights (1-D).
    y : (n,) array_like
        Targets (1-D: ``(n, 1)`` and ``(1, n)`` arrays are refused, as they would broadcast).
    gamma : float
        Keyword-only: the output multiplier, finite and ``> 0``.
    activation : {"relu", "sigmoid", "tanh"}
        Keyword-only: ``sigma``, a key of :data:`ACTIVATIONS`.

    Returns
    -------
    float
        The loss, in the squared units of ``y``.

    Raises
    ------
    InputValueError
        Shapes that do not match, NaN/Inf or empty arrays, ``gamma <= 0`` or not finite, unknown
        activation.
    InputTypeError
        Complex or non-numeric arrays, ``gamma`` not a real number.

    Examples
    --------
    >>> half_mse(np.eye(2), np.eye(2), np.array([1.0, 1.0]), np.array([1.0, 0.0]), gamma=1.0, activation="relu")
    0.25
    """
    X, W, a, y, gamma = check_model_args(X, W, a, y, gamma, activation, "half_mse")
    return half_mse_body(X, W, a, y, gamma, activation)


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
        Output scale factor (> 0), applied once.
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
    X, W, a, y, gamma = check_model_args(X, W, a, y, gamma, activation, "first_layer_gradient")
    r, Sp = forward(X, W, a, y, gamma, activation)
    return gradient(X, r, a, Sp, gamma)
