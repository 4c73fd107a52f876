"""Run one registered method on a matrix and score it against LAPACK (what ``svd check`` reports)."""
from __future__ import annotations

import dataclasses
from numpy.typing import ArrayLike

from .._results import Result, Rigour, Status
from .._validation import as_matrix
from ._compare import MPMATH_MAX_DIM, LapackComparison, _compare_validated
from ._ratios import LAPACK_THRESHOLD
from ._methods import SVDOptResult, _optimize

__all__ = ["SVDCheckResult", "check_method"]


@dataclasses.dataclass(frozen=True)
class SVDCheckResult(Result):
    """A method's SVD (``optimization``) and its comparison with LAPACK (``comparison``).

    ``status`` is the comparison's: OK when LAPACK-level normwise, INACCURATE when not, DIVERGED or
    SOLVER_FAILED when the method did not finish with finite factors (``reason`` says why it stopped).
    """

    optimization: SVDOptResult
    comparison: LapackComparison
    status: Status
    reason: str
    rigour: Rigour

    def summary(self) -> str:
        return "\n".join([self.optimization.summary(), "", self.comparison.summary()])


def check_method(A: ArrayLike, *, method: str, rank: int | None = None, steps: int | None = None,
                 seed: int | None = None, lr: float | str | None = None,
                 mpmath_max_dim: int | None = None) -> SVDCheckResult:
    """:func:`svd_by_optimization` followed by :func:`compare_with_lapack` on the same matrix.

    Parameters are those of the two functions (``mpmath_max_dim`` None: compare_with_lapack's
    default).  A diverged method gives a result with status DIVERGED (not an exception).

    Parameters
    ----------
    A : (m, n) array_like
        Real matrix (computed in float64).
    method : str
        Keyword-only, required: one of :data:`METHODS` (see :func:`svd_by_optimization`).
    rank : int, optional
        Number of singular triplets (default ``min(m, n)``).
    steps : int, optional
        Iteration budget (default: the method's).
    seed : int, optional
        Seed of the random start (default 0).
    lr : float or "auto", optional
        Step size of the penalty methods only (see :func:`svd_by_optimization`).
    mpmath_max_dim : int, optional
        Also compare with an mpmath reference (50 digits) when ``max(m, n) <= mpmath_max_dim``;
        default :data:`MPMATH_MAX_DIM` (30).

    Returns
    -------
    SVDCheckResult
        ``optimization`` (the :class:`SVDOptResult`), ``comparison`` (the
        :class:`LapackComparison`, LAPACK threshold 50, clusters at ``rtol = 1e-8``), and the
        comparison's ``status`` with a ``reason`` that also quotes the method's when it failed.

    Raises
    ------
    InputValueError
        NaN/Inf, empty or non-2-D ``A``; unknown method; ``rank`` or ``steps`` out of range.
    InputTypeError
        Complex or non-numeric ``A``.

    Examples
    --------
    >>> import numpy as np
    >>> r = check_method(np.random.default_rng(0).standard_normal((6, 4)), method="jacobi")
    >>> r.ok, r.comparison.normwise_verdict
    (True, 'LAPACK-level')
    """
    A_ = as_matrix(A, "A", func="check_method", keep_dtype=False)  # validated once, then the bodies
    opt = _optimize(A_, method=method, rank=rank, steps=steps, seed=seed, callback=None, lr=lr)
    cmp = _compare_validated(A_, opt, threshold=LAPACK_THRESHOLD, cluster_rtol=1e-8,
                             mpmath_max_dim=MPMATH_MAX_DIM if mpmath_max_dim is None else mpmath_max_dim, dps=50)
    # a failed/diverged comparison already quotes the method's reason
    reason = cmp.reason if cmp.ok or opt.ok or cmp.status is opt.status else f"{cmp.reason} (method: {opt.reason})"
    return SVDCheckResult(optimization=opt, comparison=cmp, status=cmp.status, reason=reason,
                          rigour=Rigour.NUMERICAL)
