"""Convolution kernels: validation, layouts and the per-frequency matrices of the circular layer.

Conventions (used by every module of :mod:`linalg_lab.layers`):

* Kernels are stored internally in torch layout ``(c_out, c_in, kh, kw)``; the "tf" layout is
  ``(kh, kw, c_in, c_out)``.
* Inputs are ``(c_in, h, w)`` arrays flattened in C order (torch's NCHW without the batch axis).
* The layer is a cross-correlation, as in ``torch.nn.functional.conv2d``:
  ``y[o, i, j] = sum_{c,a,b} K[o, c, a, b] x_pad[c, i*s + a, j*s + b]``, where ``x_pad`` pads
  ``(kh-1)//2`` rows before and the rest after (likewise for columns) for the paddings "circular"
  and "zeros"/"same", and nothing for "valid".

For the circular layer with stride 1 the operator is block-diagonalised by the 2-D DFT (Sedghi,
Gupta, Long, ICLR 2019, arXiv:1805.10408): up to a unitary change of basis on each side it equals
the block-diagonal matrix of the ``c_out x c_in`` matrices
``T[u, v] = sum_{a,b} K[:, :, a, b] exp(-2 pi i (u a / h + v b / w))`` (the kernel wrapped modulo
the input size when it is larger).  Cross-correlation gives the complex conjugate of these matrices
times a unit phase, which has the same singular values and the same row norms.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._validation import InputValueError, as_array, check_option

__all__ = ["as_conv_kernel", "check_input_shape", "frequency_matrices", "LAYOUTS", "PADDINGS",
           "padding_widths", "output_shape"]

#: Kernel layouts understood by every function of the family.
LAYOUTS = ("torch", "tf")
#: Paddings of :func:`linalg_lab.layers.conv_operator` ("same" is an alias of "zeros").
PADDINGS = ("circular", "zeros", "same", "valid")


def as_conv_kernel(kernel: Any, *, layout: str = "torch", func: str, name: str = "kernel") -> NDArray[np.float64]:
    """Validate a 4-D convolution kernel and return it in torch layout ``(c_out, c_in, kh, kw)``, float64.

    Parameters
    ----------
    kernel : (c_out, c_in, kh, kw) or (kh, kw, c_in, c_out) array_like
        Real, finite, non-empty kernel in the given layout.
    layout : {"torch", "tf"}, default "torch"
        Keyword-only: the layout of ``kernel``, one of :data:`LAYOUTS`.
    func : str
        Keyword-only, required: the calling function's name (quoted in error messages).
    name : str, default "kernel"
        Keyword-only: the argument's name in error messages.

    Returns
    -------
    (c_out, c_in, kh, kw) ndarray
        The kernel in torch layout, float64, C-contiguous.

    Raises
    ------
    InputValueError
        Unknown layout; ``kernel`` not 4-D, empty, or with NaN/Inf entries.
    InputTypeError
        Complex or non-numeric ``kernel``.

    Examples
    --------
    >>> import numpy as np
    >>> as_conv_kernel(np.zeros((3, 3, 2, 5)), layout="tf", func="doc").shape
    (5, 2, 3, 3)
    """
    check_option(layout, "layout", LAYOUTS, func=func)
    k = as_array(kernel, name, func=func, min_ndim=4, max_ndim=4, keep_dtype=False)
    if layout == "tf":
        k = np.transpose(k, (3, 2, 0, 1))
    return np.ascontiguousarray(k, dtype=np.float64)


def check_input_shape(input_shape: Any, *, func: str) -> tuple[int, int]:
    """Validate a spatial input size ``(h, w)`` (an int means a square input).

    Parameters
    ----------
    input_shape : int or pair of int
        The spatial size ``(h, w)`` of one input channel, each ``>= 1`` (Python or numpy ints;
        bools refused); an int ``n`` means ``(n, n)``.
    func : str
        Keyword-only, required: the calling function's name (quoted in error messages).

    Returns
    -------
    (int, int)
        ``(h, w)`` as Python ints.

    Raises
    ------
    InputValueError
        Anything but an int or a pair of positive ints (the message quotes the value).

    Examples
    --------
    >>> check_input_shape(8, func="doc"), check_input_shape((4, 6), func="doc")
    ((8, 8), (4, 6))
    """
    if isinstance(input_shape, (int, np.integer)) and not isinstance(input_shape, bool):
        input_shape = (int(input_shape), int(input_shape))
    try:
        shp = tuple(input_shape)
    except TypeError:
        raise InputValueError(
            f"{func}: 'input_shape' must be a pair (h, w) of positive ints, got {input_shape!r}") from None
    if len(shp) != 2 or not all(isinstance(s, (int, np.integer)) and not isinstance(s, bool) and s >= 1 for s in shp):
        raise InputValueError(
            f"{func}: 'input_shape' must be a pair (h, w) of positive ints, got {input_shape!r}")
    return int(shp[0]), int(shp[1])


def padding_widths(padding: str, kh: int, kw: int) -> tuple[int, int, int, int]:
    """``(top, bottom, left, right)`` padding for a padding mode (torch's "same" split)."""
    if padding == "valid":
        return 0, 0, 0, 0
    t, left = (kh - 1) // 2, (kw - 1) // 2
    return t, kh - 1 - t, left, kw - 1 - left


def output_shape(input_shape: tuple[int, int], kernel_hw: tuple[int, int], padding: str,
                 stride: int) -> tuple[int, int]:
    """Spatial output size ``(ho, wo)``."""
    h, w = input_shape
    kh, kw = kernel_hw
    t, b, left, r = padding_widths(padding, kh, kw)
    return (h + t + b - kh) // stride + 1, (w + left + r - kw) // stride + 1


def frequency_matrices(kernel: NDArray[np.float64], input_shape: tuple[int, int]) -> NDArray[np.complex128]:
    """The ``(h, w, c_out, c_in)`` stack of per-frequency matrices ``T[u, v]`` of the circular layer.

    ``kernel`` is in torch layout; taps beyond the input size wrap around (they alias).

    Parameters
    ----------
    kernel : (c_out, c_in, kh, kw) ndarray
        A validated float64 kernel in torch layout (see :func:`as_conv_kernel`; not checked here).
    input_shape : (int, int)
        The spatial input size ``(h, w)`` (see :func:`check_input_shape`; not checked here).

    Returns
    -------
    (h, w, c_out, c_in) ndarray
        complex128: ``T[u, v] = sum_{a,b} K[:, :, a, b] exp(-2 pi i (u a / h + v b / w))``.  The
        singular values of the circular stride-1 layer are those of all ``T[u, v]`` together.

    Examples
    --------
    >>> import numpy as np
    >>> T = frequency_matrices(np.ones((1, 1, 3, 3)), (4, 4))
    >>> T.shape, complex(T[0, 0, 0, 0])
    ((4, 4, 1, 1), (9+0j))
    """
    c_out, c_in, kh, kw = kernel.shape
    h, w = input_shape
    if kh <= h and kw <= w:
        p = kernel
    else:
        p = np.zeros((c_out, c_in, min(kh, h), min(kw, w)))
        for a in range(kh):
            for b in range(kw):
                p[:, :, a % h, b % w] += kernel[:, :, a, b]
    t = np.fft.fft2(p, s=(h, w), axes=(2, 3))
    return np.ascontiguousarray(np.transpose(t, (2, 3, 0, 1)))
