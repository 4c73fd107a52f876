"""A bracket on the Lipschitz constant of a sequential dense/conv network with 1-Lipschitz activations."""
from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._results import Result, Rigour, Status
from .._validation import InputTypeError, InputValueError, as_matrix, check_int, check_option
from .operator import conv_operator
from .singular_values import conv_norm

__all__ = ["lipschitz_bound", "LipschitzResult", "Dense", "Conv"]


@dataclasses.dataclass(frozen=True)
class Dense:
    """A dense layer ``x -> W x`` (bias irrelevant for Lipschitz constants); W is (out, in)."""

    weight: Any


@dataclasses.dataclass(frozen=True)
class Conv:
    """A convolution layer (see :func:`linalg_lab.layers.conv_operator` for the arguments)."""

    kernel: Any
    input_shape: Any
    padding: str = "circular"
    stride: int = 1
    layout: str = "torch"


@dataclasses.dataclass(frozen=True)
class LipschitzResult(Result):
    """``lower <= Lip(network) <= upper`` for the 2-norm.

    Attributes
    ----------
    upper : float
        Product of the layers' norm upper bounds, rounded upward (holds for any 1-Lipschitz
        activations); CERTIFIED in ``upper_rigour`` only when certified layer bounds were passed.
    lower : float
        ``||J(x) v||`` for the best point ``x`` and unit ``v`` found by power iteration on the
        network's Jacobian (an attained value, up to rounding).
    layer_norms : list of float
        The per-layer upper bounds used.
    ratio : float
        ``upper / lower``: how loose the layer-wise product is.
    """

    lower: float
    upper: float
    ratio: float
    layer_norms: list[float]
    layer_kinds: list[str]
    upper_rigour: Rigour
    points: int
    iterations: int
    activation: str
    rigour: Rigour
    status: Status
    reason: str
    elapsed_s: float


def _layer_op(layer: Any, i: int, func: str):
    if isinstance(layer, Dense):
        w = as_matrix(layer.weight, f"layers[{i}].weight", func=func, keep_dtype=False)
        return "dense", w, w.shape
    if isinstance(layer, Conv):
        op = conv_operator(layer.kernel, layer.input_shape, padding=layer.padding, stride=layer.stride,
                           layout=layer.layout)
        return "conv", op, op.shape
    raise InputTypeError(f"{func}: layers[{i}] must be a Dense or Conv layer, got {type(layer).__name__}")


def _round_up_product(xs: Sequence[float]) -> float:
    p = 1.0
    for x in xs:
        p = math.nextafter(p * x, math.inf)
    return p


def lipschitz_bound(
    layers: Sequence[Dense | Conv],
    *,
    activation: Literal["relu", "identity"] = "relu",
    layer_upper_bounds: Sequence[float] | None = None,
    points: int = 4,
    iterations: int = 50,
    seed: int | np.random.Generator | None = 0,
) -> LipschitzResult:
    """Bracket the Lipschitz constant (2-norm) of ``layers[-1] o act o ... o act o layers[0]``.

    Parameters
    ----------
    layers : sequence of Dense or Conv
        Applied in order; each layer's input size must equal the previous layer's output size.
    activation : {"relu", "identity"}
        The activation between layers (both 1-Lipschitz; none after the last layer).
    layer_upper_bounds : sequence of float, optional
        Upper bounds on each layer's norm to use instead of computing them (for example certified
        bounds from ``proofs_check``); the product is then as rigorous as they are.
    points : int
        Random input points at which the Jacobian is power-iterated (the best is kept).
    iterations : int
        Power iterations on ``J(x)^T J(x)`` per point.
    seed : int or Generator, optional

    Returns
    -------
    LipschitzResult
        ``lower <= Lip <= upper``.

    Notes
    -----
    Upper: ``Lip(f o g) <= Lip(f) Lip(g)`` and a 1-Lipschitz activation does not increase it, so
    the product of layer norms bounds the network (dense layers: the deterministic bound of
    :func:`linalg_lab.spectral_norm`; conv layers: :func:`linalg_lab.layers.conv_norm`).  Lower: at a
    point ``x`` where no ReLU pre-activation is 0 the network is differentiable with Jacobian
    ``J(x) = L_m D_{m-1} ... D_1 L_1`` (``D`` the 0/1 activation masks), and ``Lip >= ||J(x)||_2 >=
    ||J(x) v||`` for any unit ``v``.  Cost: ``points * iterations`` forward-backward passes.

    References
    ----------
    .. [1] A. Virmaux, K. Scaman, "Lipschitz regularity of deep neural networks: analysis and
       efficient estimation", NeurIPS 2018, arXiv:1805.10965.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> net = [Conv(rng.standard_normal((4, 2, 3, 3)), (6, 6)), Dense(rng.standard_normal((5, 144)))]
    >>> r = lipschitz_bound(net)
    >>> bool(0 < r.lower <= r.upper), r.layer_kinds
    (True, ['conv', 'dense'])
    """
    func = "lipschitz_bound"
    t0 = time.perf_counter()
    if isinstance(layers, (Dense, Conv)) or not isinstance(layers, Sequence) or len(layers) == 0:
        raise InputValueError(f"{func}: 'layers' must be a non-empty sequence of Dense/Conv layers, got {layers!r:.80}")
    check_option(activation, "activation", ("relu", "identity"), func=func)
    points = check_int(points, "points", func=func, minimum=1)
    iterations = check_int(iterations, "iterations", func=func, minimum=1)
    ops = [_layer_op(layer, i, func) for i, layer in enumerate(layers)]
    for i in range(1, len(ops)):
        if ops[i][2][1] != ops[i - 1][2][0]:
            raise InputValueError(
                f"{func}: layers[{i}] takes inputs of size {ops[i][2][1]} but layers[{i - 1}] outputs size "
                f"{ops[i - 1][2][0]}")
    if layer_upper_bounds is not None:
        norms = [float(x) for x in layer_upper_bounds]
        if len(norms) != len(ops) or not all(math.isfinite(x) and x >= 0 for x in norms):
            raise InputValueError(f"{func}: 'layer_upper_bounds' must hold {len(ops)} finite non-negative numbers")
        up_rigour = Rigour.CERTIFIED
    else:
        norms = []
        for layer, (kind, op, _) in zip(layers, ops):
            if kind == "dense":
                from ..spectral import spectral_norm

                norms.append(spectral_norm(op, rtol=1e-10, seed=0).upper)
            else:
                norms.append(conv_norm(layer.kernel, layer.input_shape, padding=layer.padding,
                                       stride=layer.stride, layout=layer.layout).upper)
        up_rigour = Rigour.NUMERICAL
    upper = _round_up_product(norms)
    lower = _jacobian_power(ops, activation, points, iterations, seed)
    return LipschitzResult(
        lower=lower, upper=upper, ratio=upper / lower if lower > 0 else math.inf, layer_norms=norms,
        layer_kinds=[k for k, _, _ in ops], upper_rigour=up_rigour, points=points, iterations=iterations,
        activation=activation, rigour=Rigour.NUMERICAL, status=Status.OK,
        reason="ok: lower attained by power iteration on the Jacobian; upper = product of layer norms",
        elapsed_s=time.perf_counter() - t0)


def _apply(op: Any, x: NDArray, adjoint: bool = False) -> NDArray:
    if isinstance(op, np.ndarray):
        return op.T @ x if adjoint else op @ x
    return op.rmatvec(x) if adjoint else op.matvec(x)


def _jacobian_power(ops: list, activation: str, points: int, iterations: int, seed: Any) -> float:
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    best = 0.0
    n_in = ops[0][2][1]
    for _ in range(points):
        x = rng.standard_normal(n_in)
        masks = []
        z = x
        for j, (_, op, _) in enumerate(ops):
            z = _apply(op, z)
            if j < len(ops) - 1:
                m = (z > 0).astype(float) if activation == "relu" else np.ones_like(z)
                masks.append(m)
                z = z * m
        v = rng.standard_normal(n_in)
        v /= np.linalg.norm(v)
        for _ in range(iterations):
            y = v
            for j, (_, op, _) in enumerate(ops):
                y = _apply(op, y)
                if j < len(ops) - 1:
                    y = y * masks[j]
            best = max(best, float(np.linalg.norm(y)))
            g = y
            for j in range(len(ops) - 1, -1, -1):
                if j < len(ops) - 1:
                    g = g * masks[j]
                g = _apply(ops[j][1], g, adjoint=True)
            nrm = float(np.linalg.norm(g))
            if nrm == 0.0:
                break
            v = g / nrm
    return best
