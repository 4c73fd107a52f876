"""Exact singular values of a circular convolution, and the operator norm of any conv layer."""
from __future__ import annotations

import dataclasses
import math
import time
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._results import Result, Rigour, Status, field_nojson
from .._validation import check_int, check_option, check_real
from ..tolerance import gamma
from ._kernel import as_conv_kernel, check_input_shape, frequency_matrices
from ._threads import one_blas_thread
from .operator import ConvOperator

__all__ = ["conv_singular_values", "ConvSingularValues", "conv_norm", "ConvNormResult",
           "fft_error_estimate"]

#: Largest ``rows * cols`` for which :func:`conv_norm` passes the dense matrix to ``spectral_norm``
#: (deterministic Cholesky bound); larger operators go matrix-free (probabilistic Lanczos bound).
DENSE_NORM_MAX_ENTRIES = 4_000_000


def fft_error_estimate(sigma_max: float, input_shape: tuple[int, int], channels: int) -> float:
    """Absolute error estimate for singular values computed by the FFT-SVD route.

    ``sigma_max * (gamma_{5 ceil(log2(h w)) + 1} + gamma_{10 c})``: the first term is the normwise
    error of a radix-2 FFT (Higham, *Accuracy and Stability*, Thm 24.2: about ``5 u log2 N``
    relative, with exactly rounded twiddles), the second the backward error of LAPACK's SVD of a
    ``c x c`` block (Weyl's inequality turns both into absolute errors on every singular value).
    An estimate (rigour "numerical"), not a proof: see ``proofs_check.conv_spectral_norm_enclosure``.
    """
    h, w = input_shape
    return sigma_max * (gamma(5 * math.ceil(math.log2(max(h * w, 2))) + 1) + gamma(10 * channels))


@dataclasses.dataclass(frozen=True)
class ConvSingularValues(Result):
    """Every singular value of a circular, stride-1 convolution layer.

    Attributes
    ----------
    singular_values : (h*w*min(c_out, c_in),) ndarray
        Descending; the operator's other singular values (if it is not square) are zero.
    per_frequency : (h, w, min(c_out, c_in)) ndarray
        The singular values of each frequency's matrix ``T[u, v]``, descending within a frequency.
    sigma_max, sigma_min : float
        Largest and smallest of ``singular_values``.
    argmax_frequency : (int, int)
        A frequency ``(u, v)`` attaining ``sigma_max``.
    error_estimate : float
        Estimated absolute error of every value (:func:`fft_error_estimate`).
    """

    sigma_max: float
    sigma_min: float
    argmax_frequency: tuple[int, int]
    count: int
    kernel_shape: tuple[int, int, int, int]
    input_shape: tuple[int, int]
    error_estimate: float
    method: str
    rigour: Rigour
    status: Status
    reason: str
    elapsed_s: float
    singular_values: NDArray[np.float64] = field_nojson(repr=False)
    per_frequency: NDArray[np.float64] = field_nojson(repr=False)


def conv_singular_values(
    kernel: ArrayLike, input_shape: tuple[int, int] | int, *, layout: Literal["torch", "tf"] = "torch",
) -> ConvSingularValues:
    """All singular values of a circular, stride-1 2-D convolution, by per-frequency SVDs of its DFT.

    Parameters
    ----------
    kernel : (c_out, c_in, kh, kw) or (kh, kw, c_in, c_out) array_like
        Real finite kernel in torch or "tf" layout.
    input_shape : (h, w) or int
        Spatial input size.
    layout : {"torch", "tf"}

    Returns
    -------
    ConvSingularValues
        ``h*w*min(c_out, c_in)`` singular values, descending, and their per-frequency arrangement.

    Notes
    -----
    Sedghi, Gupta and Long (2019): the circular layer is unitarily equivalent to the block-diagonal
    matrix of ``T[u, v] = sum_{a,b} K[:, :, a, b] exp(-2 pi i (u a/h + v b/w))``, so its singular
    values are the union of the singular values of the ``h*w`` matrices ``T[u, v]``.  Cost: one FFT
    of the kernel (``c_out c_in h w log(h w)``) and about ``h*w/2`` SVDs of ``c_out x c_in`` complex
    matrices (one per conjugate pair ``T[-u, -v] = conj(T[u, v])``),
    against ``(c h w)^3`` for the dense operator.  Accuracy: absolute error about ``u sigma_max``
    times a small multiple of ``log2(h w) + c`` (``error_estimate``).  Kernels larger than the input
    wrap around (alias).  Other paddings and strides: :func:`conv_norm`.

    References
    ----------
    .. [1] H. Sedghi, V. Gupta, P. M. Long, "The singular values of convolutional layers", ICLR 2019,
       arXiv:1805.10408.

    Examples
    --------
    >>> import numpy as np
    >>> from linalg_lab.layers import conv_operator
    >>> K = np.random.default_rng(0).standard_normal((2, 3, 3, 3))
    >>> r = conv_singular_values(K, (4, 4))
    >>> s = np.linalg.svd(conv_operator(K, (4, 4)).dense(), compute_uv=False)
    >>> r.singular_values.shape, bool(np.allclose(r.singular_values, s[:32]))
    ((32,), True)
    """
    func = "conv_singular_values"
    t0 = time.perf_counter()
    k = as_conv_kernel(kernel, layout=layout, func=func)
    shape = check_input_shape(input_shape, func=func)
    return _conv_singular_values(k, shape, t0)


def _conv_singular_values(k: NDArray[np.float64], shape: tuple[int, int], t0: float) -> ConvSingularValues:
    t = frequency_matrices(k, shape)
    per = _per_frequency_sv(t)
    flat = np.sort(per.ravel())[::-1]
    top = per[..., 0]
    u, v = np.unravel_index(int(np.argmax(top)), top.shape)
    smax = float(flat[0])
    err = fft_error_estimate(smax, shape, max(k.shape[0], k.shape[1]))
    return ConvSingularValues(
        sigma_max=smax, sigma_min=float(flat[-1]), argmax_frequency=(int(u), int(v)), count=int(flat.size),
        kernel_shape=tuple(int(x) for x in k.shape), input_shape=shape, error_estimate=err,
        method="per-frequency SVD of the 2-D DFT (Sedghi-Gupta-Long)", rigour=Rigour.NUMERICAL,
        status=Status.OK, reason="ok", elapsed_s=time.perf_counter() - t0, singular_values=flat,
        per_frequency=per)


def _per_frequency_sv(t: NDArray[np.complex128]) -> NDArray[np.float64]:
    """Singular values of every ``T[u, v]``, computing one SVD per conjugate pair: for a real kernel
    ``T[-u, -v] = conj(T[u, v])`` has the same singular values (halves the cost)."""
    h, w, c_out, c_in = t.shape
    u, v = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
    idx = (u * w + v).ravel()
    partner = (((-u) % h) * w + ((-v) % w)).ravel()
    keep = idx <= partner
    with one_blas_thread():
        vals = np.linalg.svd(t.reshape(h * w, c_out, c_in)[keep], compute_uv=False)
    per = np.empty((h * w, vals.shape[-1]))
    per[idx[keep]] = vals
    per[partner[keep]] = vals
    return per.reshape(h, w, -1)


@dataclasses.dataclass(frozen=True)
class ConvNormResult(Result):
    """Bracket ``lower <= ||layer||_2 <= upper`` for a convolution layer of any padding and stride.

    ``method`` is "fft-svd" (circular, stride 1: exact up to rounding, bracket = estimate -/+ the
    error estimate) or "spectral_norm" (the bracket of :func:`linalg_lab.spectral_norm` on the
    operator; ``upper_kind`` says whether its upper bound is deterministic or probabilistic).
    """

    estimate: float
    lower: float
    upper: float
    upper_kind: str
    method: str
    padding: str
    stride: int
    input_shape: tuple[int, int]
    kernel_shape: tuple[int, int, int, int]
    rigour: Rigour
    status: Status
    reason: str
    elapsed_s: float


def conv_norm(
    kernel: ArrayLike,
    input_shape: tuple[int, int] | int,
    *,
    padding: Literal["circular", "zeros", "same", "valid"] = "circular",
    stride: int = 1,
    layout: Literal["torch", "tf"] = "torch",
    rtol: float = 1e-8,
    seed: int | np.random.Generator | None = 0,
) -> ConvNormResult:
    """Operator norm ``||layer||_2`` of a convolution, with a bracket, for any padding and stride.

    Parameters
    ----------
    kernel : (c_out, c_in, kh, kw) or (kh, kw, c_in, c_out) array_like
    input_shape : (h, w) or int
    padding : {"circular", "zeros", "same", "valid"}
    stride : int
    layout : {"torch", "tf"}
    rtol : float
        Relative bracket width requested from ``spectral_norm`` (non-circular or strided layers).
    seed : int or Generator, optional
        Start vector of ``spectral_norm``.

    Returns
    -------
    ConvNormResult
        Circular and stride 1: the exact FFT-SVD value (``method="fft-svd"``).  Otherwise the
        ``spectral_norm`` bracket on the operator: the dense matrix (deterministic Cholesky bound) when
        it has at most 4e6 entries, else matrix-free Lanczos (probabilistic bound).

    Examples
    --------
    >>> import numpy as np
    >>> K = np.random.default_rng(1).standard_normal((3, 2, 3, 3))
    >>> a = conv_norm(K, 6); b = conv_norm(K, 6, padding="zeros", stride=2)
    >>> a.method, b.method, bool(b.upper <= a.upper * (1 + 1e-8))
    ('fft-svd', 'spectral_norm', True)
    """
    func = "conv_norm"
    t0 = time.perf_counter()
    k = as_conv_kernel(kernel, layout=layout, func=func)
    shape = check_input_shape(input_shape, func=func)
    check_option(padding, "padding", ("circular", "zeros", "same", "valid"), func=func)
    stride = check_int(stride, "stride", func=func, minimum=1)
    rtol = check_real(rtol, "rtol", func=func, lo=0.0, hi=1.0, lo_open=True, hi_open=True)
    pad = "zeros" if padding == "same" else padding
    kshape = tuple(int(x) for x in k.shape)
    if pad == "circular" and stride == 1:
        r = _conv_singular_values(k, shape, t0)
        return ConvNormResult(
            estimate=r.sigma_max, lower=max(r.sigma_max - r.error_estimate, 0.0),
            upper=r.sigma_max + r.error_estimate, upper_kind="estimate", method="fft-svd", padding=pad,
            stride=1, input_shape=shape, kernel_shape=kshape, rigour=Rigour.NUMERICAL, status=Status.OK,
            reason="ok: exact per-frequency SVDs; bracket = estimate -/+ rounding-error estimate",
            elapsed_s=time.perf_counter() - t0)
    from .operator import conv_operator
    from ..spectral import spectral_norm

    op: ConvOperator = conv_operator(k, shape, padding=pad, stride=stride)
    m, n = op.shape
    target = op.dense() if m * n <= DENSE_NORM_MAX_ENTRIES else op
    s = spectral_norm(target, rtol=rtol, seed=seed)
    return ConvNormResult(
        estimate=s.estimate, lower=s.lower, upper=s.upper, upper_kind=s.upper_kind, method="spectral_norm",
        padding=pad, stride=stride, input_shape=shape, kernel_shape=kshape, rigour=s.rigour, status=s.status,
        reason=s.reason, elapsed_s=time.perf_counter() - t0)
