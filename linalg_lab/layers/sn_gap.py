"""How far spectral normalisation's sigma is from a convolution layer's operator norm."""
from __future__ import annotations

import dataclasses
import math
import time
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from .._results import Result, Rigour, Status
from .._validation import check_int, check_option
from ..tolerance import gamma
from ._kernel import as_conv_kernel, check_input_shape, output_shape, padding_widths
from .singular_values import conv_norm
from .spectral_normalization import spectral_normalize

__all__ = ["sn_gap", "SNGapResult"]


@dataclasses.dataclass(frozen=True)
class SNGapResult(Result):
    """Reshaped-kernel sigma (what spectral normalisation divides by) against the layer's true norm.

    Attributes
    ----------
    sigma_reshaped : float
        ``sigma_max(W_mat)``, ``W_mat`` the ``(c_out, c_in kh kw)`` reshaped kernel (LAPACK SVD).
    sigma_estimate : float
        Spectral normalisation's power-iteration estimate after ``iterations`` steps from a fresh start.
    sigma_conv, lower, upper : float
        The layer's operator norm and its bracket (:func:`linalg_lab.layers.conv_norm`).
    ratio : float
        ``sigma_conv / sigma_reshaped`` (in ``[1, sqrt(kh kw)]`` by the theorem).
    ratio_estimate : float
        ``sigma_conv / sigma_estimate``: by how much a spectrally normalised layer still exceeds 1.
    k_factor : float
        ``sqrt(kh kw)`` (``k`` for square kernels).
    theorem_lower, theorem_upper : bool or None
        Whether ``sigma_reshaped <= sigma_conv`` and ``sigma_conv <= k_factor sigma_reshaped`` held
        (to rounding); ``None`` where the inequality does not apply (the lower one needs a kernel
        patch lying wholly inside the input).
    """

    sigma_reshaped: float
    sigma_estimate: float
    sigma_conv: float
    lower: float
    upper: float
    ratio: float
    ratio_estimate: float
    k_factor: float
    theorem_lower: bool | None
    theorem_upper: bool
    tolerance: float
    iterations: int
    padding: str
    stride: int
    kernel_shape: tuple[int, int, int, int]
    input_shape: tuple[int, int]
    conv_method: str
    rigour: Rigour
    status: Status
    reason: str
    elapsed_s: float


def _has_interior_patch(n: int, k: int, before: int, stride: int, padding: str, n_out: int) -> bool:
    if padding == "circular":
        return n >= k
    return any(0 <= i * stride - before and i * stride - before + k <= n for i in range(n_out))


def sn_gap(
    kernel: ArrayLike,
    input_shape: tuple[int, int] | int,
    *,
    iterations: int = 1,
    padding: Literal["circular", "zeros", "same", "valid"] = "circular",
    stride: int = 1,
    layout: Literal["torch", "tf"] = "torch",
    seed: int | np.random.Generator | None = 0,
) -> SNGapResult:
    """Compare spectral normalisation's sigma with the true operator norm of a convolution layer.

    Parameters
    ----------
    kernel : (c_out, c_in, kh, kw) or (kh, kw, c_in, c_out) array_like
    input_shape : (h, w) or int
    iterations : int
        Power iterations (>= 1) from a fresh random start for ``sigma_estimate`` (no warm-up).
    padding, stride, layout
        As for :func:`linalg_lab.layers.conv_operator`.
    seed : int or Generator, optional

    Returns
    -------
    SNGapResult
        The three sigmas, their ratios, and the theorem checked; status REFUTED if an inequality of
        the theorem fails by more than ``tolerance`` (a bug or a wrong padding convention, never the
        mathematics).

    Notes
    -----
    Theorem (seed 002; Sedghi et al. 2019 for the circular case): ``W_mat`` is, up to column
    permutation, the matrix ``[K_11 ... K_kk]`` of the kernel taps, and the layer is
    ``[K_11 x I, ..., K_kk x I]`` times a stack of ``kh kw`` shift-and-crop operators of norm at most
    1 each, so ``sigma_conv <= sqrt(kh kw) sigma_max(W_mat)`` for every padding and stride.  The
    adjoint applied to a delta at an output pixel whose patch lies inside the input returns the
    patch ``W_mat^T y`` itself, so ``sigma_conv >= sigma_max(W_mat)`` whenever such a pixel exists.
    ``tolerance`` (relative) covers the rounding of both computed sides.

    References
    ----------
    .. [1] H. Sedghi, V. Gupta, P. M. Long, "The singular values of convolutional layers", ICLR 2019,
       arXiv:1805.10408.
    .. [2] T. Miyato et al., "Spectral normalization for generative adversarial networks", ICLR 2018,
       arXiv:1802.05957.

    Examples
    --------
    >>> import numpy as np
    >>> K = np.random.default_rng(0).standard_normal((8, 8, 3, 3))
    >>> r = sn_gap(K, 16)
    >>> r.theorem_lower, r.theorem_upper, bool(1 <= r.ratio <= 3)
    (True, True, True)
    """
    func = "sn_gap"
    t0 = time.perf_counter()
    k = as_conv_kernel(kernel, layout=layout, func=func)
    shape = check_input_shape(input_shape, func=func)
    iterations = check_int(iterations, "iterations", func=func, minimum=1)
    check_option(padding, "padding", ("circular", "zeros", "same", "valid"), func=func)
    stride = check_int(stride, "stride", func=func, minimum=1)
    pad = "zeros" if padding == "same" else padding
    c_out, c_in, kh, kw = k.shape
    wm = k.reshape(c_out, -1)
    s_mat = float(np.linalg.svd(wm, compute_uv=False)[0])
    # A fresh start without PyTorch's 15 registration iterations: exactly `iterations` steps.
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    u0 = rng.standard_normal(c_out)
    v0 = rng.standard_normal(wm.shape[1])
    u0 /= np.linalg.norm(u0)
    v0 /= np.linalg.norm(v0)
    est = spectral_normalize(k, u=u0, v=v0, n_power_iterations=iterations).sigma
    cn = conv_norm(k, shape, padding=pad, stride=stride)
    kf = math.sqrt(kh * kw)
    # Relative tolerance: the conv side's bracket is used directly; the reshaped SVD has backward
    # error about gamma_{10 max(m, n)} sigma (LAPACK), plus one rounding for the product k_factor*s.
    tol = gamma(10 * max(wm.shape) + 2)
    t, _, left, _ = padding_widths(pad, kh, kw)
    ho, wo = output_shape(shape, (kh, kw), pad, stride)
    interior = (_has_interior_patch(shape[0], kh, t, stride, pad, ho)
                and _has_interior_patch(shape[1], kw, left, stride, pad, wo))
    th_lower = bool(s_mat * (1 - tol) <= cn.upper) if interior else None
    th_upper = bool(cn.lower <= kf * s_mat * (1 + tol))
    bad = th_lower is False or not th_upper
    return SNGapResult(
        sigma_reshaped=s_mat, sigma_estimate=est, sigma_conv=cn.estimate, lower=cn.lower, upper=cn.upper,
        ratio=cn.estimate / s_mat if s_mat else math.nan, ratio_estimate=cn.estimate / est if est else math.nan,
        k_factor=kf, theorem_lower=th_lower, theorem_upper=th_upper, tolerance=tol, iterations=iterations,
        padding=pad, stride=stride, kernel_shape=tuple(int(x) for x in k.shape), input_shape=shape,
        conv_method=cn.method, rigour=cn.rigour,
        status=Status.REFUTED if bad else cn.status,
        reason=("refuted: sigma(W_mat) <= sigma(conv) <= k sigma(W_mat) failed beyond rounding; check the "
                "padding convention" if bad else cn.reason),
        elapsed_s=time.perf_counter() - t0)
