"""Input validation: one place where arguments are checked, with errors that name the argument.

Every public function validates its inputs at the boundary with these helpers; inside the library
code may assume valid data.  Errors say which function and argument failed, what was expected and
what was received, e.g. ``spectral_norm: 'A' must be a 2-D array (a matrix), got shape (5,); use
A.reshape(1, -1) for a row``.

Decided behaviour for each class of bad input (tested in ``tests/linalg_lab/test_validation.py``):

========================  ==========================================================================
input                     behaviour
========================  ==========================================================================
``None``, strings,        :class:`InputTypeError` ("must be a real numeric array, got dtype object")
object arrays
complex dtype             :class:`InputTypeError` unless the function allows complex input
bool / integer dtype      converted to float64; :class:`InputValueError` if an integer is not
                          exactly representable (``|x| > 2**53``)
float16, longdouble       converted to float64 (float32 and float64 are kept)
list, tuple, nested        read with ``numpy.asarray`` (ragged nesting: :class:`InputValueError`)
sequences, objects with
``__array__``
scipy.sparse matrix or    :func:`as_operator` (spectral_norm, power_iteration) keeps it sparse; every
array                     other function needs the entries and densifies it (``toarray``), refusing
                          with :class:`InputValueError` beyond ``MAX_DENSIFY_ENTRIES`` entries
LinearOperator            :func:`as_operator` only; elsewhere :class:`InputTypeError` naming the
                          functions that take one
torch tensor needing      :class:`InputTypeError` (numpy cannot read it): detach it, or use
grad                      ``newton_schulz``, which dispatches tensors itself
NaN or Inf entries        :class:`InputValueError` quoting the count and the first bad index
empty (a zero dimension)  :class:`InputValueError` unless the function allows empty input
wrong number of dims      :class:`InputValueError` quoting the shape, with a reshape hint for 1-D
huge / tiny scales        accepted; algorithms scale internally so that no overflow or underflow
                          occurs (each analysis documents how)
========================  ==========================================================================
"""
from __future__ import annotations

import math
import numbers
import sys
from collections.abc import Collection, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "InputError",
    "InputValueError",
    "InputTypeError",
    "as_matrix",
    "as_array",
    "as_vector",
    "as_operator",
    "check_option",
    "check_int",
    "check_real",
    "check_probability",
    "MAX_DENSIFY_ENTRIES",
]

#: Largest sparse matrix (in entries, m*n) that a dense-only function densifies for you: 2**25
#: entries are 256 MiB in float64.  Beyond it the caller densifies explicitly (and knowingly).
MAX_DENSIFY_ENTRIES = 2**25


class InputError(Exception):
    """Base class of the errors raised for bad user input (the CLI maps these to exit code 2)."""


class InputValueError(InputError, ValueError):
    """A malformed argument value: wrong shape, non-finite entries, out-of-range option."""


class InputTypeError(InputError, TypeError):
    """An argument of an unsupported type or dtype."""


_KEEP_FLOAT = (np.dtype(np.float32), np.dtype(np.float64))


def _prefix(func: str | None) -> str:
    return f"{func}: " if func else ""


def as_array(
    a: ArrayLike,
    name: str = "A",
    *,
    func: str | None = None,
    min_ndim: int = 0,
    max_ndim: int | None = None,
    allow_complex: bool = False,
    allow_empty: bool = False,
    finite: bool = True,
    keep_dtype: bool = True,
) -> NDArray[np.floating]:
    """Validate and convert an array argument (the general form of :func:`as_matrix`).

    Parameters
    ----------
    a : array_like
        The argument.  Torch tensors are not accepted here (callers dispatch them first).
    name : str
        The argument's name, quoted in error messages.
    func : str, optional
        The calling function's name, prefixed to error messages.
    min_ndim, max_ndim : int
        Allowed number of dimensions.
    allow_complex, allow_empty, finite : bool
        Whether complex dtypes, zero-size arrays and non-finite entries are accepted.
    keep_dtype : bool
        Keep float32 input as float32 (default); otherwise every input becomes float64.

    Returns
    -------
    ndarray
        float64 or float32 (complex128/complex64 where allowed), never a copy when not needed.
    """
    p = _prefix(func)
    if a is None:
        raise InputTypeError(f"{p}'{name}' must be a real numeric array, got None")
    if isinstance(a, (str, bytes)):
        raise InputTypeError(f"{p}'{name}' must be a real numeric array, got a string {a[:40]!r}")
    a = _dense_from_foreign(a, name, p)
    try:
        arr = np.asarray(a)
    except (ValueError, TypeError) as exc:  # ragged nested lists
        raise InputValueError(f"{p}'{name}' could not be read as an array: {exc}") from None
    kind = arr.dtype.kind
    if kind == "c":
        if not allow_complex:
            raise InputTypeError(
                f"{p}'{name}' must be real, got complex dtype {arr.dtype}; "
                "pass the real part explicitly (A.real) if the imaginary part is zero"
            )
        arr = arr.astype(np.complex128 if arr.dtype != np.complex64 or not keep_dtype else np.complex64)
    elif kind in "biu":
        if arr.size and kind in "iu":
            big = max(abs(int(arr.max())), abs(int(arr.min()))) if arr.dtype.itemsize > 4 else 0
            if big > 2**53:
                raise InputValueError(
                    f"{p}'{name}' has integer entries up to {big}, which float64 cannot represent "
                    "exactly (limit 2**53); convert to float yourself if rounding is acceptable"
                )
        arr = arr.astype(np.float64)
    elif kind == "f":
        if not (keep_dtype and arr.dtype in _KEEP_FLOAT):
            arr = arr.astype(np.float64)
    else:
        raise InputTypeError(
            f"{p}'{name}' must be a real numeric array, got dtype {arr.dtype}"
            + (" (a ragged or mixed-type sequence?)" if kind == "O" else "")
        )
    if arr.ndim < min_ndim or (max_ndim is not None and arr.ndim > max_ndim):
        want = (
            f"a {min_ndim}-D array" if max_ndim == min_ndim else
            f"an array with at least {min_ndim} dimensions" if max_ndim is None else
            f"an array with {min_ndim} to {max_ndim} dimensions"
        )
        hint = ""
        if arr.ndim == 1 and min_ndim == 2:
            hint = f"; use {name}.reshape(1, -1) for a row or {name}.reshape(-1, 1) for a column"
        raise InputValueError(f"{p}'{name}' must be {want}, got shape {arr.shape}{hint}")
    if arr.size == 0 and not allow_empty:
        raise InputValueError(f"{p}'{name}' must be non-empty, got shape {arr.shape}")
    if finite and arr.size and not np.isfinite(arr).all():
        bad = ~np.isfinite(arr)
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        raise InputValueError(
            f"{p}'{name}' has {int(bad.sum())} non-finite entries (NaN or Inf); "
            f"the first is {arr[first]!r} at index {first}"
        )
    return arr


def _dense_from_foreign(a: Any, name: str, p: str) -> Any:
    """Turn array-likes that ``numpy.asarray`` misreads into something it reads (see the table).

    numpy wraps a scipy.sparse matrix or a LinearOperator in a 0-d object array, and raises a
    RuntimeError for a torch tensor that requires grad; everything else passes through unchanged.
    """
    # Only modules already imported can have made ``a``: look them up instead of importing them.
    sparse = sys.modules.get("scipy.sparse")
    if sparse is not None and sparse.issparse(a):
        size = math.prod(a.shape)
        if size > MAX_DENSIFY_ENTRIES:
            raise InputValueError(
                f"{p}'{name}' is a sparse matrix of shape {a.shape}: this function needs its "
                f"entries as a dense array, and {size} entries exceed the automatic limit "
                f"MAX_DENSIFY_ENTRIES = {MAX_DENSIFY_ENTRIES}; pass {name}.toarray() yourself, "
                "or use spectral_norm / power_iteration, which work on sparse input"
            )
        return a.toarray()
    splinalg = sys.modules.get("scipy.sparse.linalg")
    if splinalg is not None and isinstance(a, splinalg.LinearOperator):
        raise InputTypeError(
            f"{p}'{name}' is a LinearOperator of shape {a.shape}: this function needs the "
            "entries; pass a dense array (op @ np.eye(n)), or use spectral_norm / "
            "power_iteration, which take a LinearOperator"
        )
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(a, torch.Tensor) and a.requires_grad:
        raise InputTypeError(
            f"{p}'{name}' is a torch tensor that requires grad, which this function cannot read "
            f"without dropping the graph; pass {name}.detach() (newton_schulz takes tensors itself)"
        )
    return a


def as_matrix(a: ArrayLike, name: str = "A", *, func: str | None = None, **kw: Any) -> NDArray:
    """Validate a 2-D real matrix argument; see :func:`as_array` for the options.

    Examples
    --------
    >>> as_matrix([[1, 2], [3, 4]]).dtype
    dtype('float64')
    >>> as_matrix([1.0, 2.0], func="spectral_norm")
    Traceback (most recent call last):
    ...
    linalg_lab._validation.InputValueError: spectral_norm: 'A' must be a 2-D array, got shape (2,); use A.reshape(1, -1) for a row or A.reshape(-1, 1) for a column
    """
    return as_array(a, name, func=func, min_ndim=2, max_ndim=2, **kw)


def as_vector(a: ArrayLike, name: str = "v", *, func: str | None = None, **kw: Any) -> NDArray:
    """Validate a 1-D real vector argument; see :func:`as_array` for the options."""
    return as_array(a, name, func=func, min_ndim=1, max_ndim=1, **kw)


def as_operator(a: Any, name: str = "A", *, func: str | None = None):
    """Validate a matrix-like argument: dense array, scipy.sparse matrix/array or LinearOperator.

    Returns ``(kind, obj)`` with kind in {"dense", "sparse", "operator"}; dense input is validated
    by :func:`as_matrix`, sparse input is converted to CSR float and checked for non-finite stored
    values, and a LinearOperator is checked for a 2-D shape and a real dtype.
    """
    import scipy.sparse as sp
    from scipy.sparse.linalg import LinearOperator

    p = _prefix(func)
    if sp.issparse(a):
        if a.ndim != 2:
            raise InputValueError(f"{p}'{name}' must be 2-D, got shape {a.shape}")
        if a.dtype.kind == "c":
            raise InputTypeError(f"{p}'{name}' must be real, got complex dtype {a.dtype}")
        if a.dtype.kind not in "biuf":
            raise InputTypeError(f"{p}'{name}' must be numeric, got dtype {a.dtype}")
        m = sp.csr_array(a, dtype=np.float64)
        if 0 in m.shape:
            raise InputValueError(f"{p}'{name}' must be non-empty, got shape {m.shape}")
        if m.nnz and not np.isfinite(m.data).all():
            raise InputValueError(
                f"{p}'{name}' has {int((~np.isfinite(m.data)).sum())} non-finite stored entries"
            )
        return "sparse", m
    if isinstance(a, LinearOperator):
        if len(a.shape) != 2 or 0 in a.shape:
            raise InputValueError(f"{p}'{name}' must be a non-empty 2-D operator, got shape {a.shape}")
        if a.dtype is not None and np.dtype(a.dtype).kind == "c":
            raise InputTypeError(f"{p}'{name}' must be real, got complex dtype {a.dtype}")
        return "operator", a
    return "dense", as_matrix(a, name, func=func)


def check_option(value: Any, name: str, allowed: Collection[Any], *, func: str) -> Any:
    """Check that ``value`` is one of ``allowed``.

    >>> check_option("pwr", "method", ("lanczos", "power"), func="spectral_norm")
    Traceback (most recent call last):
    ...
    linalg_lab._validation.InputValueError: The 'method' parameter of spectral_norm must be one of {'lanczos', 'power'}. Got 'pwr' instead.
    """
    if value not in allowed:
        opts = ", ".join(repr(x) for x in allowed)
        raise InputValueError(
            f"The '{name}' parameter of {func} must be one of {{{opts}}}. Got {value!r} instead."
        )
    return value


def check_int(
    value: Any, name: str, *, func: str, minimum: int | None = None, maximum: int | None = None,
    allow_none: bool = False,
) -> int | None:
    """Check an integer parameter (bools are rejected) and its range."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InputTypeError(
            f"The '{name}' parameter of {func} must be an int, got {type(value).__name__} {value!r}"
        )
    value = int(value)
    if minimum is not None and value < minimum:
        raise InputValueError(f"The '{name}' parameter of {func} must be >= {minimum}. Got {value} instead.")
    if maximum is not None and value > maximum:
        raise InputValueError(f"The '{name}' parameter of {func} must be <= {maximum}. Got {value} instead.")
    return value


def check_real(
    value: Any, name: str, *, func: str, lo: float | None = None, hi: float | None = None,
    lo_open: bool = False, hi_open: bool = False, allow_none: bool = False,
) -> float | None:
    """Check a finite real scalar parameter and its range (closed by default, open on request)."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InputTypeError(
            f"The '{name}' parameter of {func} must be a real number, got {type(value).__name__} {value!r}"
        )
    x = float(value)
    if not math.isfinite(x):
        raise InputValueError(f"The '{name}' parameter of {func} must be finite. Got {x} instead.")
    bad_lo = lo is not None and (x <= lo if lo_open else x < lo)
    bad_hi = hi is not None and (x >= hi if hi_open else x > hi)
    if bad_lo or bad_hi:
        left = "(" if lo_open else "["
        right = ")" if hi_open else "]"
        rng = f"{left}{'-inf' if lo is None else lo}, {'inf' if hi is None else hi}{right}"
        raise InputValueError(f"The '{name}' parameter of {func} must lie in {rng}. Got {x!r} instead.")
    return x


def check_probability(value: Any, name: str, *, func: str) -> float:
    """Check a probability in the open interval (0, 1)."""
    return check_real(value, name, func=func, lo=0.0, hi=1.0, lo_open=True, hi_open=True)


def shape_str(shape: Sequence[int]) -> str:
    return "(" + ", ".join(str(s) for s in shape) + ")"
