"""LAPACK's own test ratios for an SVD ``A ≈ U diag(s) Vt``.

The ratios are reimplemented from the Reference-LAPACK test suite (TESTING/EIG): ``dbdt01.f``
(reconstruction residual of a full SVD), ``dbdt05.f`` (residual of a partial SVD, as ddrvbd scores
dgesvdx), ``dort01.f`` (orthogonality of U and of the rows of Vt; of the whole square factors when
they are given, as ddrvbd does) and the singular-value checks of the SVD driver test ``ddrvbd.f``
(sorted, non-negative).  ``tests/data/lapack_svd_ratios.npz`` holds the ratios computed by LAPACK's
own compiled routines on 30 matrices, and the tests hold these functions to them.  A correct SVD
driver keeps every ratio below :data:`LAPACK_THRESHOLD` (50, the value in LAPACK's ``svd.in``).
"""
from __future__ import annotations

import dataclasses
import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._results import Result, Rigour, Status
from .._validation import InputValueError, as_matrix, as_vector, check_real
from ..tolerance import eps_of

__all__ = ["LAPACK_THRESHOLD", "LapackRatios", "lapack_ratios", "residual_ratio", "partial_residual_ratio",
           "triplet_residual_ratio", "orthogonality_ratio"]

#: Pass threshold of LAPACK's SVD tests (TESTING/svd.in; raised from 35 to 50 in 2012).
LAPACK_THRESHOLD = 50.0


@dataclasses.dataclass(frozen=True)
class LapackRatios(Result):
    """LAPACK test ratios of an SVD; each must stay below ``threshold``.

    Attributes
    ----------
    residual : float
        LAPACK's residual ratio with its safeguards: for a full SVD (``k = min(m, n)``) dbdt01's
        ``‖A − U S Vt‖₁ / (n ‖A‖₁ eps)``; for a partial SVD (``k < min(m, n)``) dbdt05's
        ``‖Uᵀ A V − S‖₁ / (n ‖A‖_max eps)`` (what ddrvbd uses for dgesvdx).
    residual_kind : str
        "dbdt01" or "dbdt05".
    triplet_residual : float
        Not a LAPACK ratio (an extra): ``max(‖A V − U S‖₁, ‖Aᵀ U − V S‖₁) / (n ‖A‖₁ eps)``, which also
        sees components of ``A V − U S`` outside span(U) that dbdt05 cannot.
    orth_u : float
        dort01 on the columns of U: ``‖I − UᵀU‖₁ / (m eps)``; over all m columns when U is square
        (full factors, ``DORT01('Columns', M, M, U)`` as in ddrvbd), else over the first k.
    orth_vt : float
        dort01 on the rows of Vt: ``‖I − Vt Vtᵀ‖₁ / (n eps)``; over all n rows when Vt is square.
    order : float
        ddrvbd test 4: 0 if ``s`` is sorted descending and non-negative, else ``1/eps``.
    threshold : float
        The pass threshold (50).
    eps : float
        LAPACK's ``DLAMCH('Precision')`` for the dtype (2**-52 for float64).
    dtype : str
        The precision the ratios were scored in.
    passed : bool
        Every ratio is below the threshold.
    """

    residual: float
    orth_u: float
    orth_vt: float
    order: float
    threshold: float
    eps: float
    dtype: str
    passed: bool
    status: Status
    reason: str
    rigour: Rigour
    residual_kind: str = "dbdt01"
    triplet_residual: float = float("nan")

    @property
    def worst(self) -> float:
        """The largest of the four ratios."""
        return max(self.residual, self.orth_u, self.orth_vt, self.order)

    def as_dict(self) -> dict[str, float]:
        """The four ratios by name (residual, orth_u, orth_vt, order)."""
        return {"residual": self.residual, "orth_u": self.orth_u, "orth_vt": self.orth_vt,
                "order": self.order}

    def summary(self) -> str:
        lines = [f"LAPACK test ratios ({self.dtype}, residual {self.residual_kind}, eps = {self.eps:.3g}, threshold {self.threshold:g}): "
                 f"{'pass' if self.passed else 'FAIL'}"]
        for k, v in self.as_dict().items():
            lines.append(f"  {k:<9} {v:12.4g}  {'ok' if v < self.threshold else 'FAIL'}")
        if not self.passed:
            lines.append(f"  reason: {self.reason}")
        return "\n".join(lines)


def _power_of_two_shift(A: NDArray) -> int:
    amax = float(np.abs(A).max()) if A.size else 0.0
    return -math.frexp(amax)[1] if amax > 0.0 else 0


def _safeguarded(resid: float, anorm: float, n: int, eps: float) -> float:
    """The final scaling shared by dbdt01 and dbdt05 (their code, not their headers' formula)."""
    if not math.isfinite(resid):
        return math.inf
    if anorm <= 0.0:
        return 0.0 if resid == 0.0 else 1.0 / eps
    if anorm >= resid:
        return (resid / anorm) / (n * eps)
    if anorm < 1.0:
        return (min(resid, n * anorm) / anorm) / (n * eps)
    return min(resid / anorm, float(n)) / (n * eps)


def residual_ratio(A: NDArray, U: NDArray, s: NDArray, Vt: NDArray, eps: float) -> float:
    """dbdt01's scaled residual ``‖A − U S Vt‖₁ / (n ‖A‖₁ eps)`` of a full SVD (n = columns of A).

    dbdt01's header states exactly this formula (divided by N) in every version since 2008, and its
    code does the same.  ``U`` (m, p), ``s`` (p,), ``Vt`` (p, n) with ``p = min(m, n)``.

    ``A`` and ``s`` are first scaled by the power of two that brings ``max|a_ij|`` into [1/2, 1):
    the ratio is scale-invariant, and unscaled a matrix near the overflow threshold has
    ``‖A‖₁ = inf`` (which made every residual score 0) while one of subnormal scale loses the
    residual to underflow.

    Parameters
    ----------
    A : (m, n) ndarray
        The matrix, real floating (float64 or float32; not validated).
    U : (m, p) ndarray
        Left singular vectors, as columns.
    s : (p,) ndarray
        Singular values.
    Vt : (p, n) ndarray
        Right singular vectors, as rows.
    eps : float
        The machine epsilon the ratio is measured in (LAPACK's ``DLAMCH('Precision')``:
        ``np.finfo(dtype).eps`` of the least precise argument, 2**-52 for float64).

    Returns
    -------
    float
        The ratio, dimensionless (in units of ``eps``; LAPACK's threshold is
        :data:`LAPACK_THRESHOLD` = 50).  LAPACK's safeguards: ``inf`` if the residual is not
        finite; for ``‖A‖₁ = 0``, 0 if the residual is 0 and ``1/eps`` otherwise; a residual
        beyond ``‖A‖₁`` is capped so that the ratio is at most ``1/eps``.
        0 for an empty ``A``.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.random.default_rng(0).standard_normal((5, 3))
    >>> U, s, Vt = np.linalg.svd(A, full_matrices=False)
    >>> bool(residual_ratio(A, U, s, Vt, np.finfo(np.float64).eps) < 50)
    True
    """
    n = A.shape[1]
    shift = _power_of_two_shift(A)
    if shift:
        with np.errstate(over="ignore"):
            A, s = np.ldexp(A, shift), np.ldexp(s, shift)
    with np.errstate(over="ignore", invalid="ignore"):
        resid = float(np.abs(A - (U * s) @ Vt).sum(axis=0).max()) if A.size else 0.0
    anorm = float(np.abs(A).sum(axis=0).max()) if A.size else 0.0
    return _safeguarded(resid, anorm, n, eps)


def partial_residual_ratio(A: NDArray, U: NDArray, s: NDArray, Vt: NDArray, eps: float) -> float:
    """dbdt05's scaled residual of a partial SVD: ``‖Uᵀ A V − S‖₁ / (n ‖A‖_max eps)``.

    ``U`` (m, k), ``s`` (k,), ``Vt`` (k, n); the same safeguards as dbdt01 and the same exact
    power-of-two prescaling as :func:`residual_ratio`.

    Parameters
    ----------
    A : (m, n) ndarray
        The matrix, real floating (float64 or float32; not validated).
    U : (m, k) ndarray
        Left singular vectors, as columns.
    s : (k,) ndarray
        Singular values.
    Vt : (k, n) ndarray
        Right singular vectors, as rows.
    eps : float
        The machine epsilon the ratio is measured in (LAPACK's ``DLAMCH('Precision')``:
        ``np.finfo(dtype).eps`` of the least precise argument, 2**-52 for float64).

    Returns
    -------
    float
        The ratio, dimensionless (in units of ``eps``; LAPACK's threshold is
        :data:`LAPACK_THRESHOLD` = 50).  LAPACK's safeguards: ``inf`` if the residual is not
        finite; for ``‖A‖_max = 0``, 0 if the residual is 0 and ``1/eps`` otherwise; a residual
        beyond ``‖A‖_max`` is capped so that the ratio is at most ``1/eps``.
        0 when ``k = 0``.  Only the part of ``A v_i - s_i u_i`` inside span(U) is seen (see
        :func:`triplet_residual_ratio`).
    """
    n = A.shape[1]
    if s.size == 0:
        return 0.0
    shift = _power_of_two_shift(A)
    if shift:
        with np.errstate(over="ignore"):
            A, s = np.ldexp(A, shift), np.ldexp(s, shift)
    with np.errstate(over="ignore", invalid="ignore"):
        W = -(U.T @ (A @ Vt.T))
        W[np.diag_indices_from(W)] += s
        resid = float(np.abs(W).sum(axis=0).max())
    anorm = float(np.abs(A).max())
    return _safeguarded(resid, anorm, n, eps)


def triplet_residual_ratio(A: NDArray, U: NDArray, s: NDArray, Vt: NDArray, eps: float) -> float:
    """Not a LAPACK ratio: ``max(‖A V − U S‖₁, ‖Aᵀ U − V S‖₁) / (n ‖A‖₁ eps)`` with dbdt01's safeguards.

    Unlike dbdt05 it sees the part of ``A v_i − s_i u_i`` outside span(U); for a full SVD it is
    within a small factor of dbdt01's ratio.

    Parameters
    ----------
    A : (m, n) ndarray
        The matrix, real floating (float64 or float32; not validated).
    U : (m, k) ndarray
        Left singular vectors, as columns.
    s : (k,) ndarray
        Singular values.
    Vt : (k, n) ndarray
        Right singular vectors, as rows.
    eps : float
        The machine epsilon the ratio is measured in (LAPACK's ``DLAMCH('Precision')``:
        ``np.finfo(dtype).eps`` of the least precise argument, 2**-52 for float64).

    Returns
    -------
    float
        The ratio, dimensionless (in units of ``eps``; LAPACK's threshold is
        :data:`LAPACK_THRESHOLD` = 50).  LAPACK's safeguards: ``inf`` if the residual is not
        finite; for ``‖A‖₁ = 0``, 0 if the residual is 0 and ``1/eps`` otherwise; a residual
        beyond ``‖A‖₁`` is capped so that the ratio is at most ``1/eps``.
        0 when ``k = 0``.
    """
    n = A.shape[1]
    if s.size == 0:
        return 0.0
    shift = _power_of_two_shift(A)
    if shift:
        with np.errstate(over="ignore"):
            A, s = np.ldexp(A, shift), np.ldexp(s, shift)
    with np.errstate(over="ignore", invalid="ignore"):
        r1 = float(np.abs(A @ Vt.T - U * s).sum(axis=0).max())
        r2 = float(np.abs(A.T @ U - Vt.T * s).sum(axis=0).max())
    anorm = float(np.abs(A).sum(axis=0).max())
    return _safeguarded(max(r1, r2), anorm, n, eps)


def orthogonality_ratio(Q: NDArray, eps: float, *, columns: bool) -> float:
    """dort01: ``‖I − QᵀQ‖₁ / (m eps)`` (columns) or ``‖I − Q Qᵀ‖₁ / (n eps)`` (rows), Q of shape (m, n).

    Parameters
    ----------
    Q : (m, n) ndarray
        The factor to test, real floating (not validated): ``U`` for columns, ``Vt`` for rows.
    eps : float
        The machine epsilon the ratio is measured in (``np.finfo(dtype).eps``).
    columns : bool
        Keyword-only, required.  True: orthonormality of the n columns (``QᵀQ = I``, scaled by
        ``m``); False: of the m rows (``Q Qᵀ = I``, scaled by ``n``).

    Returns
    -------
    float
        The ratio, dimensionless (in units of ``eps``; LAPACK's threshold is 50); 0 for an empty
        Gram matrix, ``inf`` if it is not finite.

    Examples
    --------
    >>> import numpy as np
    >>> orthogonality_ratio(np.eye(3), 2.0**-52, columns=True)
    0.0
    """
    m, n = Q.shape
    if columns:
        G, scale = Q.T @ Q, m
    else:
        G, scale = Q @ Q.T, n
    if G.size == 0:
        return 0.0
    D = np.eye(G.shape[0], dtype=G.dtype) - G
    val = float(np.abs(D).sum(axis=0).max())
    return val / scale / eps if math.isfinite(val) else math.inf


def _low_precision(x: ArrayLike) -> tuple[ArrayLike, np.dtype | None]:
    """``(x, dtype)`` for arrays stored below single precision (float16, ml_dtypes' bfloat16 and
    float8 types), with ``x`` widened exactly to float32 so that validation accepts it; else ``(x, None)``."""
    dt = getattr(x, "dtype", None)
    if dt is None:
        return x, None
    try:
        dt = np.dtype(dt)
    except TypeError:  # e.g. a torch dtype: leave it to the validation
        return x, None
    if dt == np.float16 or (dt.kind == "V" and dt.itemsize <= 2 and eps_of(dt) > eps_of(np.float32)):
        return np.asarray(x).astype(np.float32), dt
    return x, None


def lapack_ratios(A: ArrayLike, U: ArrayLike, s: ArrayLike, Vt: ArrayLike, *,
                  threshold: float = LAPACK_THRESHOLD) -> LapackRatios:
    """LAPACK's test ratios for an SVD ``A ≈ U diag(s) Vt``, and whether each is below the threshold.

    Parameters
    ----------
    A : (m, n) array_like
        The matrix (float32 or float64; integers and other reals are converted to float64).
    U : (m, k) or (m, m) array_like
        Left singular vectors; the residual uses the first ``k = len(s)`` columns, the
        orthogonality test all m columns when U is square (full factors, as ddrvbd checks them).
    s : (k,) array_like
        Singular values, ``k <= min(m, n)``; LAPACK requires them sorted descending, non-negative.
    Vt : (k, n) or (n, n) array_like
        Right singular vectors as rows; the residual uses the first ``k`` rows, the
        orthogonality test all n rows when Vt is square.
    threshold : float
        Pass threshold, default :data:`LAPACK_THRESHOLD` = 50.

    Returns
    -------
    LapackRatios
        ``residual`` (``residual_kind`` dbdt01 or dbdt05), ``orth_u``, ``orth_vt``, ``order``,
        ``passed``, the extra ``triplet_residual``; status OK when all pass, INACCURATE otherwise
        (the reason names the failing ratios); rigour NUMERICAL.

    Raises
    ------
    InputValueError
        Non-finite entries, empty or non-2-D matrices, or inconsistent shapes (quoted).
    InputTypeError
        Complex input (real SVDs only).

    Notes
    -----
    The ratios are scored in the precision of the least precise argument: ``eps`` is LAPACK's
    ``DLAMCH('Precision')`` (``np.finfo(dtype).eps``: 2**-52 for float64, 2**-23 for float32,
    2**-10 for float16, 2**-7 for ml_dtypes' bfloat16); precisions above float64 (longdouble) are
    rounded to and scored as float64.
    Everything is computed in float64 (float32 factors are scored against float32's eps), which
    costs three matrix products, O(mnk).

    * residual, full SVD (dbdt01): ``‖A − U S Vt‖₁ / (n ‖A‖₁ eps)``; if the residual exceeds ‖A‖₁
      it is capped as in LAPACK (``min(resid/‖A‖₁, n) / (n eps)``), and ``‖A‖₁ = 0`` gives 0 or
      ``1/eps``.  Partial SVD (dbdt05): ``‖Uᵀ A V − S‖₁ / (n ‖A‖_max eps)``, same safeguards.
    * orth_u (dort01 'Columns'): ``‖I − UᵀU‖₁ / (m eps)`` (all m columns of a square U);
      orth_vt (dort01 'Rows'): ``‖I − Vt Vtᵀ‖₁ / (n eps)`` (all n rows of a square Vt).
    * order (ddrvbd test 4): ``1/eps`` if ``s`` is not sorted descending or has a negative entry.

    References
    ----------
    .. [1] E. Anderson et al., LAPACK Users' Guide, 3rd ed., SIAM, 1999, doi:10.1137/1.9780898719604
       (test suite: Reference-LAPACK TESTING/EIG/dbdt01.f, dort01.f, ddrvbd.f; threshold in
       TESTING/svd.in).

    Examples
    --------
    >>> import numpy as np
    >>> A = np.random.default_rng(0).standard_normal((6, 4))
    >>> U, s, Vt = np.linalg.svd(A, full_matrices=False)
    >>> lapack_ratios(A, U, s, Vt).passed
    True
    >>> lapack_ratios(A, U + 1e-10, s, Vt).passed
    False
    """
    func = "lapack_ratios"
    (A, dA), (U, dU), (s, ds), (Vt, dVt) = (_low_precision(x) for x in (A, U, s, Vt))
    A_ = as_matrix(A, "A", func=func)
    U_ = as_matrix(U, "U", func=func)
    s_ = as_vector(s, "s", func=func)
    Vt_ = as_matrix(Vt, "Vt", func=func)
    threshold = check_real(threshold, "threshold", func=func, lo=0.0, lo_open=True)
    m, n = A_.shape
    k = s_.shape[0]
    if k > min(m, n):
        raise InputValueError(f"{func}: 's' has {k} entries, more than min(m, n) = {min(m, n)} for A of shape {A_.shape}")
    if U_.shape[0] != m or U_.shape[1] < k:
        raise InputValueError(f"{func}: 'U' must have shape ({m}, {k}) or ({m}, {m}) for A of shape {A_.shape} "
                              f"and {k} singular values, got shape {U_.shape}")
    if Vt_.shape[1] != n or Vt_.shape[0] < k:
        raise InputValueError(f"{func}: 'Vt' must have shape ({k}, {n}) or ({n}, {n}) for A of shape {A_.shape} "
                              f"and {k} singular values, got shape {Vt_.shape}")
    # the least precise argument sets eps: float16/bfloat16 (given), float32 (kept by as_matrix), else float64
    dtypes = [d if d is not None else x.dtype for d, x in zip((dA, dU, ds, dVt), (A_, U_, s_, Vt_))]
    low = max(dtypes, key=eps_of)
    eps = eps_of(low)
    A64, s64 = A_.astype(np.float64), s_.astype(np.float64)
    U64, Vt64 = U_[:, :k].astype(np.float64), Vt_[:k, :].astype(np.float64)
    if k == min(m, n):
        res, kind = residual_ratio(A64, U64, s64, Vt64, eps), "dbdt01"
    else:
        res, kind = partial_residual_ratio(A64, U64, s64, Vt64, eps), "dbdt05"
    trip = triplet_residual_ratio(A64, U64, s64, Vt64, eps)
    # ddrvbd: DORT01('Columns', M, M, U) and DORT01('Rows', N, N, VT) on full factors
    Uo = U_.astype(np.float64) if U_.shape[1] == m else U64
    Vo = Vt_.astype(np.float64) if Vt_.shape[0] == n else Vt64
    ou = orthogonality_ratio(Uo, eps, columns=True)
    ov = orthogonality_ratio(Vo, eps, columns=False)
    unsorted = bool(np.any(s64[:-1] < s64[1:])) if k > 1 else False
    negative = bool(np.any(s64 < 0))
    order = 1.0 / eps if (unsorted or negative) else 0.0
    ratios = {"residual": res, "orth_u": ou, "orth_vt": ov, "order": order}
    bad = [f"{name} = {v:.3g}" for name, v in ratios.items() if not v < threshold]
    passed = not bad
    if passed:
        reason = f"all four LAPACK test ratios below {threshold:g} (worst {max(ratios.values()):.3g})"
    else:
        hints = []
        if not res < threshold:
            hints.append("the factors do not reproduce A to working accuracy")
        if not (ou < threshold and ov < threshold):
            hints.append("U or Vt is not orthonormal to working accuracy (re-orthonormalise, e.g. by QR)")
        if order:
            hints.append("sort s descending and flip signs of negative values into U")
        reason = f"ratios above {threshold:g}: {', '.join(bad)}; " + "; ".join(hints)
    return LapackRatios(residual=res, orth_u=ou, orth_vt=ov, order=order, threshold=float(threshold),
                        eps=eps, dtype=np.dtype(low).name, passed=passed,
                        status=Status.OK if passed else Status.INACCURATE, reason=reason,
                        rigour=Rigour.NUMERICAL, residual_kind=kind, triplet_residual=trip)
