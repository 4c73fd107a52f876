"""Load matrices from files: .npy, .npz (with a key), .txt/.csv and Matrix Market .mtx."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ._validation import InputTypeError, InputValueError, as_matrix

__all__ = ["load_matrix", "save_matrix", "SUPPORTED_SUFFIXES"]

SUPPORTED_SUFFIXES = (".npy", ".npz", ".txt", ".csv", ".mtx")


def load_matrix(path: str | Path, *, key: str | None = None, sparse_ok: bool = True) -> Any:
    """Load a real matrix from a file, validated (finite, 2-D, non-empty).

    Parameters
    ----------
    path : str or Path
        ``.npy``; ``.npz`` (a scipy.sparse ``save_npz`` file, or a NumPy archive: ``key`` names the
        array and may be omitted when the archive holds exactly one); ``.txt`` (whitespace
        separated) or ``.csv`` (comma separated), ``#`` comments allowed; ``.mtx`` (Matrix Market,
        read with ``scipy.io.mmread``).  ``path`` may also be written ``FILE.npz:KEY``.
    key : str, optional
        The array inside an ``.npz`` archive.
    sparse_ok : bool
        Return sparse files as ``scipy.sparse.csr_array`` (default); if False, densify them.

    Returns
    -------
    ndarray of shape (m, n), or scipy.sparse.csr_array

    Raises
    ------
    InputValueError
        Missing file, unknown suffix, missing/ambiguous key, malformed content, or content that is
        not a finite non-empty real matrix (the message names the file).
    """
    spec = str(path)
    if key is None and ".npz:" in spec:
        spec, key = spec.split(".npz:", 1)
        spec += ".npz"
    p = Path(spec)
    if not p.exists():
        raise InputValueError(f"load_matrix: file not found: {p}")
    suffix = p.suffix.lower()
    name = p.name
    if p.is_file() and p.stat().st_size == 0:
        raise InputValueError(f"load_matrix: {name} is empty (0 bytes); expected a matrix")
    try:
        if suffix == ".npy":
            obj: Any = np.load(p, allow_pickle=False)
        elif suffix == ".npz":
            obj = _load_npz(p, key)
        elif suffix in (".txt", ".csv"):
            import warnings

            with warnings.catch_warnings():  # numpy warns on empty input; we raise our own error
                warnings.simplefilter("ignore", UserWarning)
                obj = np.loadtxt(p, delimiter="," if suffix == ".csv" else None, ndmin=2, dtype=np.float64)
        elif suffix == ".mtx":
            import scipy.io

            obj = scipy.io.mmread(p)
        else:
            raise InputValueError(
                f"load_matrix: unsupported file type {suffix!r} for {name}; "
                f"expected one of {', '.join(SUPPORTED_SUFFIXES)}"
            )
    except InputValueError:
        raise
    except (ValueError, OSError, KeyError, EOFError) as exc:
        why = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputValueError(f"load_matrix: could not read {name}: {why}") from None
    import scipy.sparse as sp

    if sp.issparse(obj):
        from ._validation import as_operator

        _, m = as_operator(obj, name, func="load_matrix")
        return m if sparse_ok else m.toarray()
    arr = np.asarray(obj)
    if arr.dtype.kind == "f" and arr.dtype.itemsize > 8:
        # One rule for every entry point: values float64 cannot hold are refused, never rounded
        # silently (a certificate about the rounded matrix would be about another matrix).
        lossy = arr.astype(np.float64).astype(arr.dtype) != arr
        if np.any(lossy[np.isfinite(arr)]):
            raise InputValueError(
                f"load_matrix: {name} has dtype {arr.dtype} with {int(np.count_nonzero(lossy))} entries that "
                "float64 cannot represent exactly; round it to float64 yourself")
    try:
        return as_matrix(obj, name, func="load_matrix")
    except InputTypeError as exc:
        raise InputTypeError(str(exc)) from None


def _load_npz(p: Path, key: str | None) -> Any:
    with np.load(p, allow_pickle=False) as z:
        keys = list(z.files)
        if "format" in keys and "shape" in keys and key is None:
            import scipy.sparse as sp

            return sp.load_npz(p)
        if key is None:
            if len(keys) != 1:
                raise InputValueError(
                    f"load_matrix: {p.name} holds {len(keys)} arrays {keys}; choose one with "
                    f"key=... (CLI: {p.name}:KEY)"
                )
            key = keys[0]
        if key not in keys:
            raise InputValueError(f"load_matrix: {p.name} has no array {key!r}; it holds {keys}")
        return z[key]


def save_matrix(path: str | Path, a: Any) -> Path:
    """Save a matrix in the format its suffix names (.npy, .txt, .csv, .mtx, .npz).

    The inverse of :func:`load_matrix`.  Nothing is validated beyond the suffix: the array is
    written as given (NaN, Inf and any shape ``numpy`` can write included).

    Parameters
    ----------
    path : str or Path
        The file to write (overwritten if it exists; its folder must exist).  The suffix, in any
        case, chooses the format: ``.npy`` (``numpy.save``); ``.npz`` (a scipy.sparse matrix or
        array is written with ``scipy.sparse.save_npz`` in CSR form, anything else with
        ``numpy.savez`` under the key ``"A"``); ``.txt`` (space separated) or ``.csv`` (comma
        separated), written with ``numpy.savetxt`` and ``%.17g`` so that float64 round-trips;
        ``.mtx`` (Matrix Market, ``scipy.io.mmwrite``, sparse input kept sparse).
    a : array_like or scipy.sparse matrix/array
        The matrix, read with ``numpy.asarray`` except where a sparse input is kept sparse
        (``.npz``, ``.mtx``).  ``.txt``/``.csv`` need a 1-D or 2-D array; its dtype is kept by
        ``.npy``/``.npz``.

    Returns
    -------
    Path
        ``path`` as a :class:`pathlib.Path`.

    Raises
    ------
    InputValueError
        The suffix is none of ``.npy``, ``.npz``, ``.txt``, ``.csv``, ``.mtx``.

    Examples
    --------
    >>> import tempfile, numpy as np
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = save_matrix(Path(tmp) / "A.csv", np.array([[0.1, 2.0], [3.0, 4.0]]))
    ...     bool(np.array_equal(load_matrix(p), [[0.1, 2.0], [3.0, 4.0]]))
    True
    """
    p = Path(path)
    suffix = p.suffix.lower()
    import scipy.sparse as sp

    if suffix == ".npy":
        np.save(p, np.asarray(a))
    elif suffix == ".npz":
        if sp.issparse(a):
            sp.save_npz(p, sp.csr_matrix(a))
        else:
            np.savez(p, A=np.asarray(a))
    elif suffix in (".txt", ".csv"):
        np.savetxt(p, np.asarray(a), delimiter="," if suffix == ".csv" else " ", fmt="%.17g")
    elif suffix == ".mtx":
        import scipy.io

        scipy.io.mmwrite(p, a if sp.issparse(a) else np.asarray(a))
    else:
        raise InputValueError(f"save_matrix: unsupported file type {suffix!r}")
    return p
