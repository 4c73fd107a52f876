"""Building blocks of the spectral-norm certificates (used by :mod:`linalg_lab.spectral` and, through
these public names, by ``proofs_check.spectral_norm_enclosure``).

- :class:`ScaledOperator`: a matrix oriented to have the fewer columns and scaled exactly by a power
  of two (exponent kept as an int, so nothing overflows).
- :func:`gram_matrix`, :func:`gram_cholesky_certificate`, :func:`required_margin`: the deterministic
  upper bound ``||A||_2^2 < tau`` from a Cholesky factorisation of ``tau I - fl(A^T A)`` with a margin
  covering every rounding error (Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed.,
  Thm 10.3 and eq. (3.13); Rump, BIT 46 (2006) 433–452, doi:10.1007/s10543-006-0056-1).
- :func:`kw_lanczos_epsilon`: the Kuczyński–Woźniakowski bound for Lanczos from a random start.
- :func:`scale_down`, :func:`scale_up`: outward rounding of ``x * 2**e``.
"""
from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
import scipy.linalg
from numpy.typing import NDArray

from .tolerance import gamma

__all__ = ["GramCertificate", "ScaledOperator", "kw_lanczos_epsilon", "gram_cholesky_certificate",
           "required_margin", "gram_matrix", "scale_down", "scale_up"]

_U = 2.0**-53  # unit roundoff of float64
_ETA = 2.0**-1074  # smallest positive subnormal


def _gamma(n: float) -> float:
    """γ_n for float64 (:func:`linalg_lab.tolerance.gamma`), or inf where the bound is void."""
    return gamma(n) if n * _U < 0.5 else math.inf


@dataclasses.dataclass(frozen=True)
class GramCertificate:
    """Outcome of :func:`gram_cholesky_certificate` (all quantities refer to the scaled matrix)."""

    proved: bool
    tau: float
    factor_frobenius_sq_raw: float  # fl(sum of squares of the Cholesky factor), not yet inflated
    frobenius_sq_raw: float  # fl(||a||_F^2), not yet inflated
    max_diag: float  # max_i fl(a^T a)_ii (exact float)
    shift: float  # the float s with Cholesky of fl(s I - fl(a^T a)) attempted
    n: int
    m: int
    reason: str


class ScaledOperator:
    """A real linear operator oriented so that it has the fewer columns, scaled by a power of two.

    ``a`` is the oriented matrix (``A`` or ``A^T``, whichever has ``n <= m``) times ``2**-scale_exp``,
    chosen so that the largest entry lies in [1/2, 1): the scaling is exact except for entries pushed
    below the normal range (callers account for those by Weyl's inequality).  ``kind`` is "dense",
    "sparse" or "operator" (operators are not scaled).  ``scale_exp`` is an int, so huge matrices
    (entries up to the largest float) never overflow a float scale factor.  Used by
    ``proofs_check.spectral_norm_enclosure`` (through this public name).
    """

    def __init__(self, kind: str, a: Any) -> None:
        self.kind = kind
        m, n = a.shape
        self.transposed = m < n  # work with the Gram of the smaller side: N = min(m, n)
        self.a = a.T if self.transposed and kind != "operator" else a
        if kind == "operator" and self.transposed:
            from scipy.sparse.linalg import aslinearoperator

            self.a = aslinearoperator(a).T
        self.m, self.n = self.a.shape
        self.scale_exp = 0
        if kind == "dense":
            amax = float(np.max(np.abs(self.a)))
            self.scale_exp = math.frexp(amax)[1] if amax > 0 else 0
            if self.scale_exp:
                self.a = np.ldexp(self.a, -self.scale_exp)  # exact but for subnormal results
        elif kind == "sparse":
            amax = float(np.max(np.abs(self.a.data))) if self.a.nnz else 0.0
            self.scale_exp = math.frexp(amax)[1] if amax > 0 else 0
            if self.scale_exp:
                self.a = self.a.copy()
                self.a.data = np.ldexp(self.a.data, -self.scale_exp)

    @property
    def scale(self) -> float:
        """``2**scale_exp`` as a float (inf when it exceeds the float range; use ``scale_exp``)."""
        with np.errstate(over="ignore"):
            return float(np.ldexp(1.0, self.scale_exp))

    def mv(self, x: NDArray) -> NDArray:
        return np.asarray(self.a @ x, dtype=np.float64).ravel() if self.kind != "operator" else \
            np.asarray(self.a.matvec(x), dtype=np.float64).ravel()

    def rmv(self, y: NDArray) -> NDArray:
        if self.kind == "operator":
            return np.asarray(self.a.rmatvec(y), dtype=np.float64).ravel()
        return np.asarray(self.a.T @ y, dtype=np.float64).ravel()

    def frobenius_sq(self) -> float:
        if self.kind == "dense":
            return float(np.einsum("ij,ij->", self.a, self.a))
        if self.kind == "sparse":
            return float(np.dot(self.a.data, self.a.data))
        return math.nan

    def trivial_upper(self) -> float:
        """min(||A||_F, sqrt(||A||_1 ||A||_inf)), inflated for rounding; inf for operators."""
        if self.kind == "operator":
            return math.inf
        absa = abs(self.a)
        n1 = float(np.max(np.asarray(absa.sum(axis=0)).ravel()))
        ninf = float(np.max(np.asarray(absa.sum(axis=1)).ravel()))
        fro = math.sqrt(self.frobenius_sq())
        k = max(self.m, self.n)
        return min(fro * (1 + _gamma(self.m * self.n + 2)), math.sqrt(n1 * ninf) * (1 + _gamma(k + 2)))


def kw_lanczos_epsilon(k: int, n: int, delta: float) -> float:
    """Smallest eps with ``1.648 sqrt(n) exp(-sqrt(eps)(2k-1)) <= delta`` (Kuczyński–Woźniakowski).

    With probability at least ``1 - delta`` the largest Ritz value after ``k`` Lanczos steps is
    ``>= (1 - eps) lambda_max``.  Returns 1.0 when no eps < 1 is guaranteed.

    Parameters
    ----------
    k : int
        Number of Lanczos steps (Krylov dimension); k < 1 gives 1.0.
    n : int
        Order of the symmetric positive semidefinite matrix, n >= 1.
    delta : float
        Allowed failure probability, 0 < delta (dimensionless; delta >= 1.648 sqrt(n) gives 0.0).

    Returns
    -------
    float
        The relative accuracy eps in [0, 1] (dimensionless):
        ``min(1, max(log(1.648 sqrt(n) / delta) / (2k - 1), 0)^2)``.

    Notes
    -----
    The arguments are not validated: n = 0 raises ValueError (math domain error) and delta = 0
    ZeroDivisionError from :mod:`math`.  O(1).

    References
    ----------
    J. Kuczyński, H. Woźniakowski, "Estimating the largest eigenvalue by the power and Lanczos
    algorithms with a random start", SIAM J. Matrix Anal. Appl. 13 (1992) 1094-1122,
    doi:10.1137/0613066.

    Examples
    --------
    >>> round(kw_lanczos_epsilon(300, 10**5, 1e-6), 6)
    0.001123
    """
    if k < 1:
        return 1.0
    root = math.log(1.648 * math.sqrt(n) / delta) / (2 * k - 1)
    return min(1.0, max(root, 0.0) ** 2)


def gram_cholesky_certificate(a: NDArray[np.float64], tau: float, *,
                              gram: NDArray[np.float64] | None = None) -> GramCertificate:
    """Try to prove ``lambda_max(a^T a) < tau`` by a Cholesky factorisation with a rounding margin.

    Parameters
    ----------
    a : (m, n) ndarray or scipy.sparse array, float64
        Entries of magnitude at most 1 are assumed (callers scale by a power of two first).
    tau : float
        The proposed bound on ``lambda_max(a^T a)``.
    gram : (n, n) ndarray, optional
        ``fl(a^T a)`` as computed by :func:`gram_matrix` (upper triangle used), to avoid recomputing it.

    Returns
    -------
    GramCertificate
        ``proved`` is True when ``floating Cholesky of (tau - c) I - fl(a^T a)`` succeeded and the
        margin ``c`` exceeds the a-priori bound on every rounding error:

        * forming the Gram matrix: ``|E1| <= gamma_m |a|^T |a| + m eta`` so
          ``||E1||_2 <= gamma_m ||a||_F^2 + m n eta`` (Higham eq. (3.13); eta the underflow unit);
        * the two diagonal updates: at most ``2 u (tau + max_i G_ii)``;
        * Cholesky: success implies ``M + dM = R^T R`` with ``|dM| <= gamma_{n+1} |R^T||R|``, hence
          ``lambda_min(M) >= -gamma_{n+1} ||R||_F^2`` (Higham Thm 10.3, Demmel 1989; Rump 2006).

        Every float used in the final inequality is inflated to cover its own rounding.
    """
    import scipy.sparse as sp

    m, n = a.shape
    g = gram_matrix(a) if gram is None else gram
    if sp.issparse(a):
        fro_sq = float(np.dot(a.data, a.data))
    else:
        fro_sq = float(np.einsum("ij,ij->", a, a))
    fro_raw = fro_sq
    fro_sq = fro_raw / (1 - _gamma(m * n + 1))  # bound the float sum of squares upward
    diag = np.diag(g).copy()
    max_diag_raw = float(diag.max())
    e_gram = _gamma(m) * fro_sq + m * n * _ETA
    e_diag = 2 * _U * (tau + max_diag_raw) * (1 + 4 * _U)
    # Estimate ||R||_F^2 = trace(R^T R) ~ trace(M) to size the shift; verified after factorising.
    trace_m = n * tau - float(diag.sum())
    # Twice the estimate plus a few ulps of tau: the float shift tau - c_est is itself rounded.
    c_est = 2.0 * (_gamma(n + 1) * max(trace_m, 0.0) + e_gram + e_diag) + 4 * n * _ETA + 8 * math.ulp(tau)
    shift = tau - c_est
    if not shift > 0:
        return GramCertificate(False, tau, math.nan, fro_raw, max_diag_raw, math.nan, n, m,
                               "tau too small for any margin")
    h = -g  # a new array: the caller's Gram matrix is kept
    h[np.diag_indices(n)] += shift
    try:
        r = scipy.linalg.cholesky(h, lower=False, overwrite_a=True, check_finite=False)
    except np.linalg.LinAlgError:
        return GramCertificate(False, tau, math.nan, fro_raw, max_diag_raw, shift, n, m,
                               "Cholesky of (tau - c) I - A^T A failed: tau is not above ||A||^2 + margin")
    r = np.triu(r)
    f_raw = float(np.einsum("ij,ij->", r, r))
    f_sq = f_raw / (1 - _gamma(n * n + 1))
    need = (_gamma(n + 1) * f_sq + e_gram + e_diag) * (1 + 8 * _U) + 4 * n * _ETA
    proved = (tau - shift) * (1 - 2 * _U) > need
    return GramCertificate(proved, tau, f_raw, fro_raw, max_diag_raw, shift, n, m,
                           "ok" if proved else "margin smaller than the rounding-error bound")


def required_margin(a: Any, tau: float, gram: NDArray | None = None) -> float:
    """A-priori estimate of the margin ``c`` the certificate needs at ``tau`` (relative widths below
    ``c / tau`` cannot be certified by :func:`gram_cholesky_certificate`).

    Parameters
    ----------
    a : (m, n) ndarray or scipy.sparse matrix, float64
        The (scaled, oriented) matrix, entries of magnitude at most 1 as for
        :func:`gram_cholesky_certificate`.
    tau : float
        The proposed bound on ``lambda_max(a^T a)`` (squared-norm units of ``a``).
    gram : (n, n) ndarray of float64, optional
        ``fl(a^T a)`` from :func:`gram_matrix`, to avoid recomputing it; computed when None.

    Returns
    -------
    float
        ``2.2 (gamma_{n+1} max(n tau - trace G, 0) + gamma_m ||a||_F^2 + 2 u (tau + max_i G_ii))
        + 8 ulp(tau)`` with G the Gram matrix and u = 2^-53 (same units as ``tau``): the
        certificate's own margin estimate with 10% slack, without the underflow terms.

    Examples
    --------
    >>> import numpy as np
    >>> c = required_margin(np.eye(3) / 2, 1.0)
    >>> 0 < c < 1e-14
    True
    """
    m, n = a.shape
    g = gram_matrix(a) if gram is None else gram
    import scipy.sparse as sp

    fro = float(np.dot(a.data, a.data)) if sp.issparse(a) else float(np.einsum("ij,ij->", a, a))
    trace_m = n * tau - float(np.trace(g))
    return (2.2 * (_gamma(n + 1) * max(trace_m, 0.0) + _gamma(m) * fro + 2 * _U * (tau + float(np.max(np.diag(g)))))
            + 8 * math.ulp(tau))


def gram_matrix(a: Any) -> NDArray[np.float64]:
    """fl(a^T a): upper triangle exact-rounded per entry (dsyrk for dense input); both triangles set.

    Parameters
    ----------
    a : (m, n) ndarray or scipy.sparse matrix
        Real matrix; dense input is passed to BLAS ``dsyrk`` (converted to float64,
        Fortran order), sparse input is multiplied as ``a.T @ a`` and densified.

    Returns
    -------
    (n, n) ndarray of float64
        The symmetric Gram matrix.  Each entry is a floating-point inner product of two columns,
        within ``gamma_m (|a|^T |a|)_ij`` (plus underflow) of the exact value (Higham eq. (3.13));
        the dense lower triangle is copied from the upper one, so the result is exactly symmetric.

    Examples
    --------
    >>> import numpy as np
    >>> gram_matrix(np.array([[1.0, 2.0], [3.0, 4.0]])).tolist()
    [[10.0, 14.0], [14.0, 20.0]]
    """
    import scipy.sparse as sp

    if sp.issparse(a):
        return np.asarray((a.T @ a).toarray(), dtype=np.float64)
    g = scipy.linalg.blas.dsyrk(1.0, np.asfortranarray(a), trans=1, lower=0)
    iu = np.tril_indices(g.shape[0], -1)
    g[iu] = g.T[iu]
    return g


def scale_down(x: float, e: int) -> float:
    """The largest float ``<= x * 2**e`` (exact unless the product is subnormal or overflows).

    ``x * 2**e`` above the float range gives the largest finite float (a valid lower bound).

    Parameters
    ----------
    x : float
        The value to scale (a bound on a norm).  A negative ``x`` is scaled by symmetry
        (``-scale_up(-x, e)``); 0, +-inf and nan are returned unchanged.
    e : int
        Power-of-two exponent (any size: the scaling saturates instead of overflowing).

    Returns
    -------
    float
        For finite ``x > 0``: the largest float ``<= x * 2**e``, in [0, largest finite float]
        (exact unless the product is subnormal or overflows).

    Examples
    --------
    >>> scale_down(0.75, 2), scale_down(1.0, 5000) == 1.7976931348623157e308, scale_down(3.0, -1075)
    (3.0, True, 5e-324)
    >>> scale_down(-3.0, 1), scale_down(-3.0, -1075), scale_down(float("nan"), 3)
    (-6.0, -1e-323, nan)
    """
    if math.isnan(x) or x == 0 or math.isinf(x):
        return float(x)
    if x < 0:  # rounding down a negative product is rounding its magnitude up
        return -scale_up(-x, e)
    with np.errstate(over="ignore", under="ignore"):
        y = float(np.ldexp(x, e))
    if math.isinf(y):
        return float(np.finfo(np.float64).max)
    if y == 0.0 or float(np.ldexp(y, -e)) > x:  # rounded up on the subnormal grid (or to zero)
        y = math.nextafter(y, -math.inf) if y > 0 else 0.0
    return max(y, 0.0)


def scale_up(x: float, e: int) -> float:
    """The smallest float ``>= x * 2**e`` (``inf`` above the float range).

    Parameters
    ----------
    x : float
        The value to scale (a bound on a norm).  A negative ``x`` is scaled by symmetry
        (``-scale_down(-x, e)``); 0, +-inf and nan are returned unchanged.
    e : int
        Power-of-two exponent (any size: the scaling saturates instead of overflowing).

    Returns
    -------
    float
        For finite ``x > 0``: the smallest float ``>= x * 2**e`` (exact unless the product is
        subnormal; inf above the float range).

    Examples
    --------
    >>> scale_up(0.75, 2), scale_up(1.0, 5000), scale_up(3.0, -1075)
    (3.0, inf, 1e-323)
    """
    if math.isnan(x) or x == 0 or math.isinf(x):
        return float(x)
    if x < 0:
        return -scale_down(-x, e)
    with np.errstate(over="ignore", under="ignore"):
        y = float(np.ldexp(x, e))
    if math.isfinite(y) and float(np.ldexp(y, -e)) < x:  # rounded down on the subnormal grid
        y = math.nextafter(y, math.inf)
    return y
