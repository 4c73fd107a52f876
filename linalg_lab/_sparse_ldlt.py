"""Sparse and band LDL^T / Cholesky factorisations with a rigorous backward-error margin.

The machinery behind :mod:`linalg_lab.spectral_sparse`'s inertia certificate (whose docstring states
the theorem): the backends (CHOLMOD through scikit-sparse, QDLDL, LAPACK's band Cholesky), a
factoriser that reuses one sparsity pattern across shifts, and the margin
``gamma_{r+1} rho(|L| D |L|^T)`` with ``rho`` bounded by Collatz–Wielandt ratios (Higham, *Accuracy
and Stability of Numerical Algorithms*, 2nd ed., SIAM 2002, Thm 10.3).  Rounding assumptions are
those of :mod:`linalg_lab.spectral_sparse`.
"""
from __future__ import annotations

import math
import time
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from .tolerance import gamma

__all__ = ["AUTO_MAX_BANDWIDTH_FRACTION", "rcm_bandwidth_fraction", "SPARSE_BACKENDS", "sparse_backend", "Factorizer", "BandFactorizer", "csc_from_triplets",
           "diag_positions", "ldlt_margin", "gamma_or_inf", "one_blas_thread", "U", "ETA"]

U = 2.0**-53  #: unit roundoff of binary64
ETA = 2.0**-1074  #: smallest positive subnormal

#: Backends in order of preference (the first importable one is used for ``backend="auto"``).
SPARSE_BACKENDS = ("cholmod", "qdldl")

#: ``spectral_norm(bound="auto")`` factorises only patterns whose reverse Cuthill-McKee half-bandwidth
#: is at most this fraction of the size (meshes and bands: 2-D grid 1e6 0.1 %, 3-D grid 1e6 0.8 %,
#: banded 1e5 0.05 %; a random sparse pattern has 50-60 % and fills in: 131 s with CHOLMOD on a
#: random 20000 x 20000 matrix with 10 non-zeros per row, measured, against 0.4 s for the Lanczos bound).
AUTO_MAX_BANDWIDTH_FRACTION = 0.05

def gamma_or_inf(k: float) -> float:
    return gamma(k) if k * U < 0.5 else math.inf


def sparse_backend(name: str = "auto") -> str | None:
    """The sparse factorisation backend that ``name`` resolves to here, or None if none is installed.

    ``"auto"`` resolves to the first importable general sparse backend of :data:`SPARSE_BACKENDS`
    (the certificate may still pick LAPACK's band Cholesky for a banded matrix); ``"band"`` is
    always available (scipy).

    Parameters
    ----------
    name : {"auto", "cholmod", "qdldl", "band"}, default "auto"
        The backend asked for.  Not validated: any other name resolves to None.

    Returns
    -------
    str or None
        ``"cholmod"`` (scikit-sparse importable), ``"qdldl"`` (qdldl importable) or ``"band"``;
        None when the named backend (for ``"auto"``: every one of :data:`SPARSE_BACKENDS`) cannot
        be imported, or the name is unknown.

    Examples
    --------
    >>> sparse_backend("band"), sparse_backend("no-such-backend")
    ('band', None)
    >>> sparse_backend("qdldl") in ("qdldl", None)
    True
    """
    if name == "band":
        return "band"  # LAPACK through scipy: always there
    names = SPARSE_BACKENDS if name == "auto" else (name,)
    for b in names:
        try:
            if b == "cholmod":
                import sksparse.cholmod  # noqa: F401
            elif b == "qdldl":
                import qdldl  # noqa: F401
            else:
                return None
        except ImportError:
            continue
        return b
    return None


class Factorizer:
    """Factorise symmetric matrices sharing one sparsity pattern; report factor data for the bound."""

    def __init__(self, backend: str, pattern: sp.csc_matrix, ordering: str = "amd") -> None:
        self.backend = backend
        self.n = pattern.shape[0]
        self._f: Any = None
        self._pattern = pattern
        self._ordering = ordering
        self.nnz_factor = 0
        self.max_row = 0
        #: wall seconds of the last call's parts: "numeric" (the factorisation), "copy" (the factor
        #: copied out for the margin) and "margin" (the rho bound); absent parts were not run
        self.timings: dict[str, float] = {}

    def factor(self, M: sp.csc_matrix, bound: bool = True) -> tuple[bool, str, float]:
        """Factorise M; return (success with positive pivots, reason, rho bound; nan unless ``bound``)."""
        self.timings = {}
        t0 = time.perf_counter()
        if self.backend == "cholmod":
            from sksparse.cholmod import CholmodError, CholmodNotPositiveDefiniteError, analyze

            try:
                if self._f is None:
                    self._f = analyze(self._pattern, mode="supernodal", ordering_method=self._ordering)
                # the supernodal factorisation is BLAS-3 on large fronts: all BLAS threads (the
                # callers' level-2 work runs on one), measured 2.4 s with two threads against 3.5 s
                # with one for the 2-D Laplacian with 10^6 unknowns (5.8e7 factor non-zeros)
                with all_blas_threads():
                    self._f.cholesky_inplace(M)
            except CholmodNotPositiveDefiniteError as e:
                return False, f"CHOLMOD: not positive definite ({e})", math.nan
            except CholmodError as e:  # out of memory / too large: a failing status, not a proof
                return False, f"CHOLMOD failed: {e}", math.nan
            self.timings["numeric"] = time.perf_counter() - t0
            if not bound:
                return True, "ok (no margin computed)", math.nan
            t0 = time.perf_counter()
            L = self._f.L()  # supernodal -> simplicial copy: 1.5-3 s for 5.8e7 non-zeros (measured)
            L = L if L.format == "csc" else L.tocsc()
            self.timings["copy"] = time.perf_counter() - t0
            d = None
            unit = False
            if not np.all(_lower_factor_diagonal(L) > 0):
                return False, "Cholesky factor has a non-positive diagonal entry", math.nan
        else:
            import qdldl

            try:
                if self._f is None:
                    self._f = qdldl.Solver(M)
                else:
                    self._f.update(M)
            except ValueError as e:  # QDLDL reports a zero pivot this way
                return False, f"QDLDL failed: {e}", math.nan
            self.timings["numeric"] = time.perf_counter() - t0
            t0 = time.perf_counter()
            L, d, _ = self._f.factors()  # strictly lower L (unit diagonal implied), D; copies both out
            self.timings["copy"] = time.perf_counter() - t0
            if not (np.all(np.isfinite(d)) and np.all(d > 0)):
                return False, f"LDL^T has {int(np.sum(~(d > 0)))} non-positive pivot(s)", math.nan
            if not bound:
                return True, "ok (no margin computed)", math.nan
            L = L if L.format == "csc" else L.tocsc()
            unit = True
        if not np.all(np.isfinite(L.data)):
            return False, "factor has non-finite entries", math.nan
        self.nnz_factor = int(L.nnz) + (self.n if unit else 0)
        t0 = time.perf_counter()
        rho = _rho_abs_ldlt_sparse(L, d, unit, self)
        self.timings["margin"] = time.perf_counter() - t0
        return True, "ok", rho

    def solve(self, b: NDArray) -> NDArray:
        if self.backend == "cholmod":
            return np.asarray(self._f.solve_A(b)).ravel()
        return np.asarray(self._f.solve(b)).ravel()


class BandFactorizer:
    """LAPACK band Cholesky (``dpbtrf`` through :func:`scipy.linalg.cholesky_banded`) on one pattern.

    Built from the lower-triangle entries ``(i - j, j, value)`` (``i >= j``) of the ordered matrix; the
    factor of a matrix of half-bandwidth ``kd`` stays inside the band, so its storage ``n (kd + 1)``
    is known before factorising; each inner product has at most ``kd + 1`` terms.
    """

    backend = "band"

    def __init__(self, dist: NDArray, cols: NDArray, vals: NDArray, n: int, kd: int) -> None:
        self.n = n
        self.kd = kd
        self.template = np.zeros((kd + 1, n))  # LAPACK lower band storage: ab[i - j, j] = M[i, j]
        self.template[dist, cols] = vals
        self.nnz_factor = n * (kd + 1)
        self.max_row = kd + 1
        self._c: NDArray | None = None
        self.timings: dict[str, float] = {}  # as Factorizer.timings (the band factor needs no copy)

    def factor(self, ab: NDArray, bound: bool = True) -> tuple[bool, str, float]:
        import scipy.linalg

        self.timings = {}
        t0 = time.perf_counter()
        try:
            # one BLAS thread: the blocks of a narrow band are small, and on a busy machine waking
            # OpenBLAS threads cost 10 s where the factorisation takes 0.13 s (measured, n = 2e5, kd = 101)
            with one_blas_thread():
                c = scipy.linalg.cholesky_banded(ab, lower=True, overwrite_ab=True, check_finite=False)
        except np.linalg.LinAlgError as e:
            return False, f"LAPACK dpbtrf: not positive definite ({e})", math.nan
        if not np.all(np.isfinite(c)):
            return False, "factor has non-finite entries", math.nan
        if not np.all(c[0] > 0):
            return False, "Cholesky factor has a non-positive diagonal entry", math.nan
        self._c = c
        self.timings["numeric"] = time.perf_counter() - t0
        if not bound:
            return True, "ok", math.nan
        t0 = time.perf_counter()
        rho = _rho_abs_band(np.abs(c))
        self.timings["margin"] = time.perf_counter() - t0
        return True, "ok", rho

    def solve(self, b: NDArray) -> NDArray:
        import scipy.linalg

        with one_blas_thread():
            return scipy.linalg.cho_solve_banded((self._c, True), b, check_finite=False)


def all_blas_threads() -> Any:
    """Every BLAS thread again inside :func:`one_blas_thread` (``linalg_lab.layers._threads``)."""
    from .layers._threads import all_blas_threads

    return all_blas_threads()


def _lower_factor_diagonal(L: sp.csc_matrix) -> NDArray:
    """The diagonal of a lower-triangular CSC factor; CHOLMOD stores it first in each column.

    Read from those positions after checking that they hold the diagonal (an index compare, no
    search: ``L.diagonal()`` costs 0.13 s on 5.8e7 non-zeros); else by ``L.diagonal()``.
    """
    n = L.shape[0]
    first = L.indptr[:-1]
    if n and np.all(np.diff(L.indptr) > 0) and np.array_equal(L.indices[first], np.arange(n)):
        return L.data[first]
    return L.diagonal()


def _row_counts_max(indices: NDArray, n: int) -> int:
    """The largest number of stored entries in a row of a CSC matrix with these row ``indices``.

    In chunks: ``np.bincount`` on all indices at once first copies them to 64-bit integers, a fresh
    allocation that costs 1.5 s on 5.8e7 indices here (page faults), against 0.2 s in chunks.
    """
    counts = np.zeros(n, dtype=np.int64)
    step = 1 << 21
    for s in range(0, indices.size, step):
        counts += np.bincount(indices[s: s + step], minlength=n)
    return int(counts.max(initial=0))


def one_blas_thread() -> Any:
    """BLAS limited to one thread (``linalg_lab.layers._threads``; a no-op without threadpoolctl)."""
    from .layers._threads import one_blas_thread

    return one_blas_thread()


def _rho_abs_ldlt_sparse(L: sp.csc_matrix, d: NDArray | None, unit: bool, fz: Factorizer) -> float:
    """:func:`_collatz_wielandt` for a sparse factor (``unit``: strictly lower part, unit diagonal implied)."""
    # |L| in CSC without conversions: |L| x is a CSC product, |L|^T x the CSR product of the transpose
    # view; L is the backend's copy, so |L| overwrites it (a fresh 5.8e7-entry array costs 1.5 s here)
    np.abs(L.data, out=L.data)
    absL = sp.csc_matrix((L.data, L.indices, L.indptr), shape=L.shape, copy=False)
    absLt = absL.T  # CSR view, no copy
    extra = 1 if unit else 0
    c = int(np.diff(absL.indptr).max(initial=0)) + extra
    r = _row_counts_max(absL.indices, L.shape[0]) + extra
    fz.max_row = r
    amax = max(float(np.max(absL.data, initial=0.0)), 1.0 if unit else 0.0)
    if unit:
        return _collatz_wielandt(lambda x: absLt @ x + x, lambda y: absL @ y + y, d, L.shape[0], r, c, amax)
    return _collatz_wielandt(lambda x: absLt @ x, lambda y: absL @ y, d, L.shape[0], r, c, amax)


def _rho_abs_band(C: NDArray) -> float:
    """:func:`_collatz_wielandt` for ``|L|`` in LAPACK lower band storage (``C[k, j] = |L[j + k, j]|``)."""
    kd1, n = C.shape

    def lt_mul(x: NDArray) -> NDArray:  # (|L|^T x)_j = sum_k C[k, j] x[j + k]
        y = np.zeros(n)
        for k in range(kd1):
            y[: n - k] += C[k, : n - k] * x[k:]
        return y

    def l_mul(y: NDArray) -> NDArray:  # (|L| y)_i = sum_k C[k, i - k] y[i - k]
        z = np.zeros(n)
        for k in range(kd1):
            z[k:] += C[k, : n - k] * y[: n - k]
        return z

    return _collatz_wielandt(lt_mul, l_mul, None, n, kd1, kd1, float(np.max(C)))


def _collatz_wielandt(lt_mul: Any, l_mul: Any, d: NDArray | None, n: int, r: int, c: int,
                      abs_max: float, steps: int = 1) -> float:
    """Upper bound on ``rho(|L| D |L|^T)`` (D = I when d is None) from products with ``|L|^T`` and ``|L|``.

    Collatz–Wielandt: ``rho(B) <= max_i (B x)_i / x_i`` for non-negative B and positive x (``x = 1``
    first: the largest row sum; each further step sharpens x).  Each computed product of
    non-negative terms (at most ``c`` per entry of ``|L|^T x``, ``r`` per entry of ``|L| y``; any
    summation order) has relative error at most ``gamma_k``, so the true ratios are at most the
    computed ones times ``1/((1-gamma_c)(1-gamma_r)(1-u)^3)``.  ``abs_max``: the largest ``|l_ij|``.
    """
    x = np.ones(n)
    best = math.inf
    for _ in range(steps):
        y = lt_mul(x)
        if d is not None:
            y = y * d
        z = l_mul(y)
        ratio = float(np.max(z / x))
        best = min(best, ratio)
        zmax = float(np.max(z))
        # keep x positive and bounded below (any positive x gives a valid bound)
        x = np.maximum(z / zmax, 2.0**-500)
    infl = 1.0 / ((1 - gamma_or_inf(c)) * (1 - gamma_or_inf(r)) * (1 - U) ** 3)
    # gradual underflow: at most (c + r + 2) eta absolute per entry, amplified by 1/min(x) <= 2^500
    # and by the row sums of |L| (at most r max|l_ij|, times max d); negligible but kept.
    dmax = float(np.max(d)) if d is not None else 1.0
    under = (c + r + 2) * ETA * 2.0**500 * (r * abs_max * max(dmax, 1.0) + 1.0) * 2
    return best * infl * (1 + 4 * U) + under


def ldlt_margin(rho: float, max_row: int, n: int, diag_err: float) -> float:
    """B = gamma_{r+1} rho + diagonal-formation error + underflow allowance, rounded upwards."""
    under = 4.0 * n * (max_row + 2) * ETA
    return (gamma_or_inf(max_row + 1) * rho + diag_err + under) * (1 + 8 * U)


def csc_from_triplets(rows: NDArray, cols: NDArray, vals: NDArray, n: int) -> sp.csc_matrix:
    """CSC from duplicate-free triplets (explicit zeros kept), indices sorted."""
    out = sp.csc_matrix((vals, (rows, cols)), shape=(n, n))
    out.sort_indices()
    return out


def diag_positions(M: sp.csc_matrix) -> NDArray[np.intp]:
    """Indices into ``M.data`` of the diagonal entries (all must be stored)."""
    n = M.shape[0]
    cols = np.repeat(np.arange(n), np.diff(M.indptr))
    pos = np.flatnonzero(M.indices == cols)
    if pos.size != n:
        raise ValueError("pattern lacks stored diagonal entries")
    return pos


def rcm_bandwidth_fraction(a: sp.spmatrix, *, symmetric: bool) -> float:
    """Half-bandwidth of the factorised matrix's pattern after reverse Cuthill-McKee, over its size.

    A cheap (one graph traversal) proxy for fill, measured before factorising: patterns with small
    separators (meshes, bands) have a small RCM bandwidth, expander-like ones (random sparsity) a
    bandwidth of order the size, and a fill of order the size squared whatever the ordering.

    Parameters
    ----------
    a : scipy.sparse matrix, shape (m, n)
    symmetric : bool
        The pattern of ``a`` itself (``tau I -+ a``) when True, else that of ``[[0, a], [a^T, 0]]``.

    Returns
    -------
    float
        In [0, 1).

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> rcm_bandwidth_fraction(sp.eye_array(100, k=1) + sp.eye_array(100, k=-1), symmetric=True)
    0.01
    """
    from scipy.sparse.csgraph import reverse_cuthill_mckee

    K = sp.csr_matrix(a) if symmetric else sp.csr_matrix(sp.bmat([[None, a], [a.T, None]]))
    K = (K + K.T).tocsr() if symmetric else K
    if K.shape[0] == 0 or K.nnz == 0:
        return 0.0
    perm = reverse_cuthill_mckee(K, symmetric_mode=True)
    inv = np.empty_like(perm)
    inv[perm] = np.arange(perm.size, dtype=perm.dtype)
    C = K.tocoo()
    return float(np.max(np.abs(inv[C.row].astype(np.int64) - inv[C.col]))) / K.shape[0]
