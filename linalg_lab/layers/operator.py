"""The 2-D multi-channel convolution as a ``scipy.sparse.linalg.LinearOperator``."""
from __future__ import annotations

from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.sparse.linalg import LinearOperator

from .._validation import InputValueError, check_int, check_option
from ._kernel import PADDINGS, as_conv_kernel, check_input_shape, output_shape, padding_widths

__all__ = ["conv_operator", "ConvOperator", "DENSE_MAX_ENTRIES"]

#: Largest number of entries ``.dense()`` builds (8e7 float64 = 640 MB would be too much; 2e7 = 160 MB).
DENSE_MAX_ENTRIES = 20_000_000


class ConvOperator(LinearOperator):
    """A 2-D convolution layer (no bias) acting on flattened ``(c_in, h, w)`` inputs.

    Built by :func:`conv_operator`; ``shape = (c_out*ho*wo, c_in*h*w)``.  ``matvec`` applies the
    layer, ``rmatvec`` its adjoint (the transposed convolution), ``dense()`` the explicit matrix.

    Attributes
    ----------
    kernel : (c_out, c_in, kh, kw) ndarray
        The kernel in torch layout.
    input_shape, output_shape : (int, int)
        Spatial sizes.
    padding : str
        "circular", "zeros" (also for "same") or "valid".
    stride : int
    """

    def __init__(self, kernel: NDArray[np.float64], input_shape: tuple[int, int], padding: str, stride: int):
        self.kernel = kernel
        self.input_shape = input_shape
        self.padding = "zeros" if padding == "same" else padding
        self.stride = stride
        c_out, c_in, kh, kw = kernel.shape
        self.output_shape = output_shape(input_shape, (kh, kw), self.padding, stride)
        self.pads = padding_widths(self.padding, kh, kw)
        ho, wo = self.output_shape
        h, w = input_shape
        super().__init__(np.float64, (c_out * ho * wo, c_in * h * w))

    # -- forward and adjoint on batches (B, c, h, w) ------------------------------------------
    def _pad(self, x: NDArray) -> NDArray:
        t, b, left, r = self.pads
        if not (t or b or left or r):
            return x
        mode = "wrap" if self.padding == "circular" else "constant"
        return np.pad(x, ((0, 0), (0, 0), (t, b), (left, r)), mode=mode)

    def _forward(self, x: NDArray) -> NDArray:
        c_out, c_in, kh, kw = self.kernel.shape
        ho, wo = self.output_shape
        s = self.stride
        xp = self._pad(x)
        y = np.zeros((x.shape[0], c_out, ho, wo))
        for a in range(kh):
            for b in range(kw):
                patch = xp[:, :, a:a + s * (ho - 1) + 1:s, b:b + s * (wo - 1) + 1:s]
                y += np.einsum("oc,bchw->bohw", self.kernel[:, :, a, b], patch, optimize=True)
        return y

    def _backward(self, y: NDArray) -> NDArray:
        c_out, c_in, kh, kw = self.kernel.shape
        ho, wo = self.output_shape
        h, w = self.input_shape
        t, bo, left, r = self.pads
        s = self.stride
        gp = np.zeros((y.shape[0], c_in, h + t + bo, w + left + r))
        for a in range(kh):
            for b in range(kw):
                gp[:, :, a:a + s * (ho - 1) + 1:s, b:b + s * (wo - 1) + 1:s] += np.einsum(
                    "oc,bohw->bchw", self.kernel[:, :, a, b], y, optimize=True)
        if self.padding == "circular":
            x = np.zeros((y.shape[0], c_in, h, w))
            ih = (np.arange(h + t + bo) - t) % h
            iw = (np.arange(w + left + r) - left) % w
            np.add.at(x, (slice(None), slice(None), ih[:, None], iw[None, :]), gp)
            return x
        return gp[:, :, t:t + h, left:left + w]

    def _matmat(self, X: NDArray) -> NDArray:
        c_in = self.kernel.shape[1]
        h, w = self.input_shape
        B = X.shape[1]
        x = np.ascontiguousarray(np.asarray(X, dtype=np.float64).T).reshape(B, c_in, h, w)
        return self._forward(x).reshape(B, -1).T

    def _rmatmat(self, Y: NDArray) -> NDArray:
        c_out = self.kernel.shape[0]
        ho, wo = self.output_shape
        B = Y.shape[1]
        y = np.ascontiguousarray(np.asarray(Y, dtype=np.float64).T).reshape(B, c_out, ho, wo)
        return self._backward(y).reshape(B, -1).T

    def _matvec(self, x: NDArray) -> NDArray:
        return self._matmat(np.asarray(x).reshape(-1, 1)).ravel()

    def _rmatvec(self, y: NDArray) -> NDArray:
        return self._rmatmat(np.asarray(y).reshape(-1, 1)).ravel()

    def dense(self) -> NDArray[np.float64]:
        """The explicit ``(c_out*ho*wo, c_in*h*w)`` matrix (raises for more than
        :data:`DENSE_MAX_ENTRIES` entries)."""
        m, n = self.shape
        if m * n > DENSE_MAX_ENTRIES:
            raise InputValueError(
                f"ConvOperator.dense: the matrix would have {m}x{n} = {m * n} entries, more than "
                f"{DENSE_MAX_ENTRIES}; use the operator (matvec) or a smaller input_shape")
        return self._matmat(np.eye(n))

    def apply(self, x: ArrayLike) -> NDArray[np.float64]:
        """Apply the layer to a ``(c_in, h, w)`` or ``(B, c_in, h, w)`` array, keeping the image shape."""
        x = np.asarray(x, dtype=np.float64)
        batched = x.ndim == 4
        xb = x if batched else x[None]
        y = self._forward(xb)
        return y if batched else y[0]


def conv_operator(
    kernel: ArrayLike,
    input_shape: tuple[int, int] | int,
    *,
    padding: Literal["circular", "zeros", "same", "valid"] = "circular",
    stride: int = 1,
    layout: Literal["torch", "tf"] = "torch",
) -> ConvOperator:
    """A 2-D multi-channel convolution layer as a ``LinearOperator`` (with ``.dense()``).

    Parameters
    ----------
    kernel : (c_out, c_in, kh, kw) array_like (torch layout) or (kh, kw, c_in, c_out) ("tf" layout)
        Real finite kernel.
    input_shape : (h, w) or int
        Spatial size of the input (an int means square).
    padding : {"circular", "zeros", "same", "valid"}
        "circular" wraps around; "zeros" (alias "same") pads with zeros, ``(k-1)//2`` before and the
        rest after, as torch's ``padding="same"``; "valid" does not pad (needs ``h >= kh``, ``w >= kw``).
    stride : int
        Stride >= 1 in both directions.
    layout : {"torch", "tf"}

    Returns
    -------
    ConvOperator
        Maps a flattened ``(c_in, h, w)`` input to a flattened ``(c_out, ho, wo)`` output:
        ``y[o, i, j] = sum_{c,a,b} kernel[o, c, a, b] x_pad[c, i*stride + a, j*stride + b]``
        (cross-correlation, as ``torch.nn.functional.conv2d``).

    Raises
    ------
    InputValueError, InputTypeError
        For a malformed kernel (not 4-D, NaN/Inf, empty, complex), input shape, padding or stride, or
        a "valid" convolution with a kernel larger than the input.

    Notes
    -----
    Cost per product: ``c_out * c_in * kh * kw * ho * wo`` multiply-adds (one small matrix product
    per kernel tap); the adjoint costs the same.  Each output entry is a sum of ``c_in*kh*kw``
    products, so its rounding error is at most ``gamma_{c_in kh kw}`` times the sum of the absolute
    products (Higham, *Accuracy and Stability of Numerical Algorithms*, eq. (3.13)).

    Examples
    --------
    >>> import numpy as np
    >>> K = np.random.default_rng(0).standard_normal((2, 3, 3, 3))
    >>> op = conv_operator(K, (5, 5), padding="zeros", stride=2)
    >>> op.shape, op.output_shape
    ((18, 75), (3, 3))
    >>> A = op.dense(); x = np.ones(75)
    >>> bool(np.allclose(A @ x, op.matvec(x)) and np.allclose(A.T @ A[:, 0], op.rmatvec(A[:, 0])))
    True
    """
    func = "conv_operator"
    k = as_conv_kernel(kernel, layout=layout, func=func)
    shape = check_input_shape(input_shape, func=func)
    check_option(padding, "padding", ("circular", "zeros", "same", "valid"), func=func)
    stride = check_int(stride, "stride", func=func, minimum=1)
    if padding == "valid" and (k.shape[2] > shape[0] or k.shape[3] > shape[1]):
        raise InputValueError(
            f"{func}: a 'valid' convolution needs the input at least as large as the kernel; got input "
            f"{shape} and kernel {k.shape[2:]}; use padding='zeros' or a larger input_shape")
    return ConvOperator(k, shape, padding, stride)

