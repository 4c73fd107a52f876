"""ConvNorm (Liu et al., NeurIPS 2021): per-channel Fourier-domain normalisation of a convolution."""
from __future__ import annotations

import dataclasses
import math
import time
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.sparse.linalg import LinearOperator

from .._results import Result, Rigour, Status, field_nojson
from .._validation import InputValueError, check_real
from ..tolerance import gamma
from ._kernel import as_conv_kernel, check_input_shape, frequency_matrices
from ._threads import one_blas_thread
from .operator import DENSE_MAX_ENTRIES, ConvOperator
from .singular_values import fft_error_estimate

__all__ = ["convnorm", "ConvNormalized", "ConvNormOperator"]


class ConvNormOperator(LinearOperator):
    """The ConvNorm layer on flattened ``(c_in, h, w)`` inputs: circular convolution, then each output
    channel filtered by ``V_j(omega)`` in the Fourier domain; ``dense()`` for small sizes."""

    def __init__(self, conv: ConvOperator, filt: NDArray[np.float64]):
        self.conv = conv
        self.filter = filt  # (c_out, h, w), real, even in omega
        super().__init__(np.float64, conv.shape)

    def _filt(self, y: NDArray) -> NDArray:
        return np.fft.ifft2(np.fft.fft2(y, axes=(-2, -1)) * self.filter, axes=(-2, -1)).real

    def _matmat(self, X: NDArray) -> NDArray:
        c_out = self.conv.kernel.shape[0]
        h, w = self.conv.input_shape
        y = self.conv.matmat(X).T.reshape(-1, c_out, h, w)
        return self._filt(y).reshape(X.shape[1], -1).T

    def _rmatmat(self, Y: NDArray) -> NDArray:
        c_out = self.conv.kernel.shape[0]
        h, w = self.conv.input_shape
        y = self._filt(np.asarray(Y, dtype=np.float64).T.reshape(-1, c_out, h, w))
        return self.conv.rmatmat(y.reshape(Y.shape[1], -1).T)

    def _matvec(self, x: NDArray) -> NDArray:
        return self._matmat(np.asarray(x).reshape(-1, 1)).ravel()

    def _rmatvec(self, y: NDArray) -> NDArray:
        return self._rmatmat(np.asarray(y).reshape(-1, 1)).ravel()

    def dense(self) -> NDArray[np.float64]:
        """The explicit matrix (same size limit as :meth:`ConvOperator.dense`)."""
        m, n = self.shape
        if m * n > DENSE_MAX_ENTRIES:
            raise InputValueError(f"ConvNormOperator.dense: {m}x{n} entries exceed {DENSE_MAX_ENTRIES}; "
                                  "use the operator (matvec) or a smaller input_shape")
        return self._matmat(np.eye(self.shape[1]))


@dataclasses.dataclass(frozen=True)
class ConvNormalized(Result):
    """ConvNorm applied to a circular, stride-1 layer, with its verification.

    Attributes
    ----------
    norm_before, norm_after : float
        Operator norms of the layer before and after ConvNorm (per-frequency SVDs).
    lower, upper : float
        Bracket of ``norm_after`` (estimate -/+ rounding-error estimate).
    bound_lower, bound_upper : float
        The theorem's bounds on ``norm_after``: the largest row norm (1 when ``eps = 0``) and
        ``sqrt(c_out)``.
    row_error : float
        ``max |(row norm)^2 - r/(r + eps)|`` over every output channel and frequency (rows are unit
        when ``eps = 0``), against ``row_tolerance``.
    """

    norm_before: float
    norm_after: float
    lower: float
    upper: float
    bound_lower: float
    bound_upper: float
    row_error: float
    row_tolerance: float
    within_bounds: bool
    eps: float
    kernel_shape: tuple[int, int, int, int]
    input_shape: tuple[int, int]
    rigour: Rigour
    status: Status
    reason: str
    elapsed_s: float
    operator: ConvNormOperator | None = field_nojson(default=None, repr=False)
    per_frequency: NDArray[np.float64] | None = field_nojson(default=None, repr=False)


def convnorm(
    kernel: ArrayLike, input_shape: tuple[int, int] | int, *, eps: float = 0.0,
    layout: Literal["torch", "tf"] = "torch",
) -> ConvNormalized:
    """ConvNorm of a circular, stride-1 convolution: each output channel made a co-isometry.

    Parameters
    ----------
    kernel : (c_out, c_in, kh, kw) or (kh, kw, c_in, c_out) array_like
    input_shape : (h, w) or int
    eps : float
        Added to ``r_j(omega)`` before the inverse square root (>= 0; Liu et al. use a small positive
        value for stability; 0 makes every row exactly unit).
    layout : {"torch", "tf"}

    Returns
    -------
    ConvNormalized
        The normalised operator (``operator``), the norms before and after, and the checks: unit rows
        per frequency (``row_error``) and ``bound_lower <= norm_after <= sqrt(c_out)``.  Status
        SOLVER_FAILED when some output channel has zero response at a frequency and ``eps = 0``;
        INACCURATE when a check fails beyond its tolerance.

    Notes
    -----
    With ``T(omega)`` the per-frequency ``c_out x c_in`` matrices (Sedghi et al.), ConvNorm filters
    output channel ``j`` by ``V_j(omega) = (r_j(omega) + eps)^{-1/2}``,
    ``r_j = sum_i |T_ji(omega)|^2``, so the normalised matrices ``N(omega) = diag(V) T(omega)`` have
    unit rows: ``N N^H`` has unit diagonal, hence ``1 <= ||N(omega)||_2^2 <= trace = c_out`` and the
    layer's norm lies in ``[1, sqrt(c_out)]``.  This is the circular form of the paper's layer (which
    pads fully, filters at the padded size, crops and strides).  Cost: one FFT of the kernel and
    ``h w`` SVDs.

    References
    ----------
    .. [1] S. Liu, X. Li, Y. Zhai, C. You, Z. Zhu, C. Fernandez-Granda, Q. Qu, "Convolutional
       normalization: improving deep convolutional network robustness and training", NeurIPS 2021,
       arXiv:2103.00673.

    Examples
    --------
    >>> import numpy as np
    >>> K = np.random.default_rng(0).standard_normal((4, 3, 3, 3))
    >>> r = convnorm(K, 8)
    >>> r.ok, bool(1 - 1e-12 <= r.norm_after <= 2 + 1e-12), r.norm_after < r.norm_before
    (True, True, True)
    """
    func = "convnorm"
    t0 = time.perf_counter()
    k = as_conv_kernel(kernel, layout=layout, func=func)
    shape = check_input_shape(input_shape, func=func)
    eps = check_real(eps, "eps", func=func, lo=0.0)
    c_out, c_in = k.shape[:2]
    t = frequency_matrices(k, shape)
    r = np.sum(t.real ** 2 + t.imag ** 2, axis=-1)  # (h, w, c_out)
    with one_blas_thread():
        before = np.linalg.svd(t, compute_uv=False)
    norm_before = float(before[..., 0].max())
    common = dict(kernel_shape=tuple(int(x) for x in k.shape), input_shape=shape, eps=eps, rigour=Rigour.NUMERICAL)
    if eps == 0.0 and not np.all(r > 0):
        u, v, j = (int(x) for x in np.argwhere(~(r > 0))[0])
        return ConvNormalized(
            norm_before=norm_before, norm_after=math.nan, lower=math.nan, upper=math.nan, bound_lower=1.0,
            bound_upper=math.sqrt(c_out), row_error=math.nan, row_tolerance=math.nan, within_bounds=False,
            status=Status.SOLVER_FAILED, elapsed_s=time.perf_counter() - t0,
            reason=f"output channel {j} has zero response at frequency {(u, v)}: ConvNorm divides by 0; pass eps > 0",
            **common)
    vfac = 1.0 / np.sqrt(r + eps)
    n = t * vfac[..., None]
    rows = np.sum(n.real ** 2 + n.imag ** 2, axis=-1)
    target = r / (r + eps)
    row_error = float(np.max(np.abs(rows - target)))
    # Each squared row norm is a sum of 2 c_in products of entries scaled by a rounded inverse square
    # root: relative error at most gamma_{2 c_in + 4}.
    row_tol = gamma(2 * c_in + 4)
    with one_blas_thread():
        after = np.linalg.svd(n, compute_uv=False)
    norm_after = float(after[..., 0].max())
    err = fft_error_estimate(norm_after, shape, max(c_out, c_in))
    b_lower = float(np.sqrt(target.max()))
    b_upper = math.sqrt(c_out)
    within = bool(b_lower * (1 - row_tol) - err <= norm_after <= b_upper * (1 + row_tol) + err)
    ok = within and row_error <= row_tol
    filt = np.transpose(vfac, (2, 0, 1)).copy()
    op = ConvNormOperator(ConvOperator(k, shape, "circular", 1), filt)
    return ConvNormalized(
        norm_before=norm_before, norm_after=norm_after, lower=max(norm_after - err, 0.0), upper=norm_after + err,
        bound_lower=b_lower, bound_upper=b_upper, row_error=row_error, row_tolerance=row_tol, within_bounds=within,
        status=Status.OK if ok else Status.INACCURATE, elapsed_s=time.perf_counter() - t0,
        reason="ok" if ok else "a ConvNorm check failed beyond its tolerance (rows not unit or norm outside bounds)",
        operator=op, per_frequency=after, **common)
