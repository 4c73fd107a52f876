"""Spectral norm with a guaranteed bracket: Lanczos, power iteration, certificates.

:func:`spectral_norm` returns ``lower <= ||A||_2 <= upper`` where ``lower`` is attained by a computed
unit vector and ``upper`` holds either

* **deterministically** (dense input, or sparse input with at most 4000 columns after orienting):
  a Cholesky factorisation of ``tau*I - A^T A`` that succeeds with a margin covering every rounding
  error of forming the Gram matrix and of the factorisation proves ``||A||_2^2 < tau`` (the a-priori
  bounds of Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., Thm 10.3 and
  eq. (3.13), as used for verified positive definiteness by Rump, BIT 46 (2006) 433–452,
  doi:10.1007/s10543-006-0056-1); this assumes IEEE-754 round-to-nearest arithmetic and BLAS/LAPACK
  kernels satisfying the standard model, or
* **with a stated failure probability** ``delta`` over the random start vector, from the bound of
  Kuczyński and Woźniakowski for the Lanczos method, SIAM J. Matrix Anal. Appl. 13(4) (1992)
  1094–1122, doi:10.1137/0613066: after ``k`` Lanczos steps on the ``N x N`` matrix ``A^T A`` from a
  uniformly random start, ``P[theta_k < (1 - eps) lambda_max] <= 1.648 sqrt(N) exp(-sqrt(eps)(2k-1))``.

The probabilistic bound is gap-free, so it tightens only like ``1/k^2``: a bracket of relative width
``r`` needs about ``ln(1.648 sqrt(N)/delta) / sqrt(2 r)`` steps (about 9,000 steps for ``r = 1e-6``,
``N = 1e5``, ``delta = 1e-6``).  When that is out of reach the result says so
(``Status.BRACKET_TOO_WIDE``) and reports the bracket it did prove.
"""
from __future__ import annotations

import dataclasses
import math
from typing import Any, Literal

import numpy as np
import scipy.linalg
from numpy.typing import ArrayLike, NDArray

from ._results import Result, Rigour, Status, field_nojson
from ._validation import as_operator, check_int, check_option, check_probability, check_real
from .spectral_cert import (
    GramCertificate,
    ScaledOperator,
    gram_cholesky_certificate,
    gram_matrix,
    kw_lanczos_epsilon,
    required_margin,
    scale_down,
    scale_up,
)
from .tolerance import gamma

__all__ = [
    "spectral_norm",
    "power_iteration",
    "SpectralNormResult",
    "PowerIterationResult",
    "gram_cholesky_certificate",
    "GramCertificate",
    "kw_lanczos_epsilon",
    "required_margin",
    "ScaledOperator",
    "gram_matrix",
    "scale_down",
    "scale_up",
]

#: Largest number of columns (after orienting A so that it has the fewer) for which the
#: deterministic Gram/Cholesky certificate is attempted by default: it costs O(m n^2) flops and n^2
#: memory (128 MB at n = 4000).
DETERMINISTIC_MAX_COLS = 4000

_U = 2.0**-53  # unit roundoff of float64
_ETA = 2.0**-1074  # smallest positive subnormal


def _gamma(n: float) -> float:
    """γ_n for float64 (:func:`linalg_lab.tolerance.gamma`), or inf where the bound is void."""
    return gamma(n) if n * _U < 0.5 else math.inf


@dataclasses.dataclass(frozen=True)
class SpectralNormResult(Result):
    """Bracket ``lower <= ||A||_2 <= upper`` and the estimate between them.

    Attributes
    ----------
    estimate : float
        The best estimate (the largest Ritz value).
    lower : float
        ``||A v||`` for the unit vector ``v`` (attained; computed with a rounding-error allowance).
    upper : float
        An upper bound of kind ``upper_kind``.
    upper_kind : str
        "deterministic" (holds for every run, given IEEE arithmetic), "probabilistic" (fails with
        probability at most ``failure_probability`` over the random start) or "trivial"
        (deterministic but crude: ``min(||A||_F, sqrt(||A||_1 ||A||_inf))``).
    failure_probability : float
        0 for deterministic bounds.
    iterations : int
        Matrix-vector products with A (the same number with A^T).
    relative_gap : float
        ``upper / lower - 1`` (computed in scaled units, so finite even beyond the float range).
    seed : int or None
        The seed of the random start: the one given, or the fresh entropy drawn when none was given
        (so every run is reproducible from its result); None when a Generator was passed.
    scaled_lower, scaled_upper, scale_exponent : float, float, int
        The bracket in units of ``2**scale_exponent`` (exact power-of-two scaling), which stays
        representable when ``||A||_2`` is beyond the float range.
    theorem : str
        The result that justifies ``upper``.
    v, u : ndarray
        Right and left singular vector estimates (not in to_dict()).
    """

    estimate: float
    lower: float
    upper: float
    upper_kind: str
    failure_probability: float
    iterations: int
    relative_gap: float
    rtol: float
    method: str
    theorem: str
    rigour: Rigour
    status: Status
    reason: str
    seed: int | None = None
    scaled_lower: float = math.nan
    scaled_upper: float = math.nan
    scale_exponent: int = 0
    v: NDArray[np.float64] | None = field_nojson(default=None, repr=False)
    u: NDArray[np.float64] | None = field_nojson(default=None, repr=False)

    def summary(self) -> str:
        lines = [
            f"spectral norm ({self.method}): {self.status.value}",
            f"  estimate : {self.estimate:.17g}",
            f"  lower    : {self.lower:.17g}  (attained by a computed unit vector)",
            f"  upper    : {self.upper:.17g}  ({self.upper_kind}"
            + (f", failure probability <= {self.failure_probability:.1e}" if self.failure_probability else "")
            + ")",
            f"  bracket  : relative width {self.relative_gap:.3e} (requested {self.rtol:.1e})",
            f"  iterations: {self.iterations}",
            f"  theorem  : {self.theorem}",
        ]
        if not self.ok:
            lines.append(f"  reason   : {self.reason}")
        return "\n".join(lines)


@dataclasses.dataclass(frozen=True)
class PowerIterationResult(Result):
    """Fixed-count power iteration on ``A^T A`` (the seed notebooks' method), no bound claimed."""

    estimate: float
    iterations: int
    history: NDArray[np.float64]
    status: Status
    reason: str
    rigour: Rigour = Rigour.NUMERICAL
    v: NDArray[np.float64] | None = field_nojson(default=None, repr=False)
    u: NDArray[np.float64] | None = field_nojson(default=None, repr=False)


def _lanczos_sym(matvec: Any, n: int, v0: NDArray, maxiter: int, rtol: float, *,
                 stop: str = "gap", delta: float = 1e-6) -> dict[str, Any]:
    """Symmetric Lanczos for the top eigenpair of a PSD operator, full (two-pass) reorthogonalisation.

    stop="gap": until the estimated eigenvalue error ``r^2 / gap`` (r the Ritz residual, gap the
    distance to the second Ritz value) is below ``rtol * theta / 8`` -- a heuristic, because the
    deterministic certificate that follows verifies the result (and falls back to LAPACK);
    stop="residual": until ``r <= rtol * theta / 2`` (a rigorous bound on the distance from theta to
    *some* eigenvalue); stop="kw": until the Kuczyński–Woźniakowski bracket is within rtol.
    """
    kmax = min(maxiter, n)
    Q = np.empty((kmax + 1, n))
    al = np.zeros(kmax)
    be = np.zeros(kmax)
    Q[0] = v0
    theta, y, k_done, converged = 0.0, np.array([1.0]), 0, False
    next_check = 1
    for j in range(kmax):
        w = matvec(Q[j])
        al[j] = float(Q[j] @ w)
        w -= al[j] * Q[j]
        if j > 0:
            w -= be[j - 1] * Q[j - 1]
        # Classical Gram-Schmidt against the whole basis; a second pass only when the first removed
        # much of w ("twice is enough", Kahan–Parlett): after the three-term recurrence w is nearly
        # orthogonal already, so one pass usually suffices.
        w_norm0 = float(np.linalg.norm(w))
        w -= Q[: j + 1].T @ (Q[: j + 1] @ w)
        b = float(np.linalg.norm(w))
        if b < 0.7 * w_norm0:
            w -= Q[: j + 1].T @ (Q[: j + 1] @ w)
            b = float(np.linalg.norm(w))
        be[j] = b
        k_done = j + 1
        # (Near-)invariant Krylov space, including a start vector that is an eigenvector: stop
        # rather than divide by a residual that is only rounding noise.
        breakdown = b <= 1e-300 or b <= 16 * _U * max(abs(al[j]), abs(theta))
        if stop == "kw" and not breakdown and j + 1 < kmax:
            eps = kw_lanczos_epsilon(j + 1, n, delta)
            if not (eps < 1 and 1 / math.sqrt(1 - eps) - 1 <= rtol):
                Q[j + 1] = w / b
                continue
        if j + 1 >= next_check or breakdown or stop == "kw" or j + 1 == kmax:
            next_check = j + 1 + (1 if j < 60 else max(1, (j + 1) // 20))
            evals, evecs = scipy.linalg.eigh_tridiagonal(al[: j + 1], be[:j])
            theta, y = float(evals[-1]), evecs[:, -1]
            resid = b * abs(y[-1])
            gap = theta - float(evals[-2]) if j > 0 else theta
            if breakdown:
                converged = True
                break
            if stop == "kw":
                converged = True
                break
            if theta > 0 and j >= 1:
                if stop == "residual" and resid <= rtol * theta / 2:
                    converged = True
                    break
                if stop == "gap" and resid * resid / max(gap, 1e-300) <= rtol * theta / 8 and resid <= 1e-2 * theta:
                    converged = True
                    break
        Q[j + 1] = w / b
    if y.size != k_done:
        evals, evecs = scipy.linalg.eigh_tridiagonal(al[:k_done], be[: k_done - 1])
        theta, y = float(evals[-1]), evecs[:, -1]
    x = Q[:k_done].T @ y
    return {"theta": theta, "v": x, "iterations": k_done, "converged": converged}


def _gram_lanczos(op: ScaledOperator, v0: NDArray, maxiter: int, rtol: float, stop: str, delta: float) -> dict[str, Any]:
    """Lanczos on A^T A through products with A and A^T (one basis, of the smaller dimension)."""
    est = _lanczos_sym(lambda x: op.rmv(op.mv(x)), op.n, v0, maxiter, rtol, stop=stop, delta=delta)
    est["sigma"] = math.sqrt(max(est.pop("theta"), 0.0))
    return est


def _check_common(A: Any, func: str, rtol: float, maxiter: Any, seed: Any) -> tuple[ScaledOperator, float, int | None]:
    kind, a = as_operator(A, "A", func=func)
    rtol = check_real(rtol, "rtol", func=func, lo=0.0, hi=1.0, lo_open=True, hi_open=True)
    maxiter = check_int(maxiter, "maxiter", func=func, minimum=1, allow_none=True)
    if seed is not None and not isinstance(seed, (int, np.integer, np.random.Generator)):
        raise TypeError(f"The 'seed' parameter of {func} must be an int, a numpy Generator or None, "
                        f"got {type(seed).__name__}")
    return ScaledOperator(kind, a), rtol, maxiter


def _rng(seed: Any) -> tuple[np.random.Generator, int | None]:
    """A Generator and the seed that reproduces it: fresh entropy when ``seed`` is None.

    A probabilistic bound is over the random start, so the default must not be a fixed seed (a
    matrix built against a fixed start would defeat the bound); the entropy drawn is returned so the
    result records it.
    """
    if isinstance(seed, np.random.Generator):
        return seed, None
    if seed is None:
        seed = int(np.random.SeedSequence().entropy) % (2**63)
    return np.random.default_rng(int(seed)), int(seed)


def _zero_result(op: ScaledOperator, rtol: float, method: str, A_shape: tuple[int, int]) -> SpectralNormResult:
    return SpectralNormResult(
        estimate=0.0, lower=0.0, upper=0.0, upper_kind="deterministic", failure_probability=0.0,
        iterations=1, relative_gap=0.0, rtol=rtol, method=method,
        theorem="A x = 0 and A^T y = 0 on a Krylov basis; exact zero matrix (checked entrywise)",
        rigour=Rigour.NUMERICAL, status=Status.OK, reason="ok: A is the zero matrix",
        scaled_lower=0.0, scaled_upper=0.0, v=np.zeros(A_shape[1]), u=np.zeros(A_shape[0]),
    )


def _is_zero(op: ScaledOperator) -> bool:
    if op.kind == "dense":
        return not np.any(op.a)
    if op.kind == "sparse":
        return op.a.nnz == 0 or not np.any(op.a.data)
    return False


def _attained_lower(op: ScaledOperator, v: NDArray) -> tuple[float, NDArray]:
    """A float ``<= ||a v|| / ||v||`` (scaled units) for the computed ``v``, and ``fl(a v)``.

    For dense and sparse ``a`` every rounding is covered: ``|fl(a v) - a v| <= gamma_n |a||v| +
    n eta`` componentwise (Higham eq. (3.13)), so ``||a v|| >= ||fl(a v)|| - gamma_n ||fl(|a||v|)||
    / (1 - gamma_n) - sqrt(m) n eta``; the computed norms carry relative errors below
    ``gamma_{m+1}`` and ``||v||`` below ``gamma_{n+1}``.  Operators get no allowance (their products
    are whatever the operator computes).
    """
    av = op.mv(v)
    nav = float(np.linalg.norm(av))
    nv = float(np.linalg.norm(v))
    if op.kind == "operator":
        return nav / nv, av
    m, n = op.m, op.n
    absv = np.abs(v)
    absa = getattr(op, "_absa", None)
    if absa is None:  # |a| cached on the operator: the sparse certificate calls this repeatedly
        absa = abs(op.a)
        op._absa = absa
    z = np.asarray(absa @ absv, dtype=np.float64).ravel()
    nz = float(np.linalg.norm(z))
    g_n, g_m = _gamma(n), _gamma(m + 1)
    prod_err = g_n * nz * (1 + g_m) / (1 - g_n) + math.sqrt(m) * n * _ETA
    num = nav * (1 - g_m) - prod_err * (1 + 4 * _U)
    lower = num / (nv * (1 + _gamma(n + 1))) * (1 - 4 * _U)
    return max(lower, 0.0), av


def spectral_norm(
    A: ArrayLike | Any,
    *,
    method: Literal["lanczos", "power"] = "lanczos",
    rtol: float = 1e-8,
    maxiter: int | None = None,
    seed: int | np.random.Generator | None = None,
    bound: Literal["auto", "deterministic", "probabilistic"] = "auto",
    failure_probability: float = 1e-6,
    sparse_backend: Literal["auto", "cholmod", "qdldl", "band"] = "auto",
    max_factor_nnz: int | None = None,
) -> SpectralNormResult:
    """Spectral norm ``||A||_2`` with a bracket ``lower <= ||A||_2 <= upper`` of relative width rtol.

    Parameters
    ----------
    A : (m, n) array_like, scipy.sparse matrix/array, or LinearOperator
        A real matrix (validated: finite, non-empty, 2-D).
    method : {"lanczos", "power"}
        Lanczos on ``A^T A`` (of the smaller side) with full reorthogonalisation (default; for the
        deterministic bound it runs on the Gram matrix the certificate forms anyway), or the power
        method on ``A^T A``.  Both start from a uniformly random unit vector drawn from ``seed``.
    rtol : float
        Requested relative width ``upper/lower - 1`` of the bracket, in (0, 1).
    maxiter : int, optional
        Maximum number of products with A (default: min(N, 300) for Lanczos with a probabilistic
        bound, min(N, 2000) otherwise; N = min(m, n)).
    seed : int or numpy.random.Generator, optional
        Seed of the random start (the probabilistic bound is over this draw).  Default: fresh
        entropy, recorded in the result's ``seed``; pass it back to reproduce a run.
    bound : {"auto", "deterministic", "probabilistic"}
        Kind of upper bound.  "auto" is deterministic for dense or sparse input with at most
        :data:`DETERMINISTIC_MAX_COLS` columns (after orienting so that N = min(m, n)), and for
        larger sparse input when CHOLMOD (scikit-sparse) is installed and the pattern is mesh- or
        band-like (``spectral_sparse.AUTO_MAX_BANDWIDTH_FRACTION``), or ``sparse_backend`` is given
        (the inertia certificate, see ``sparse_backend``), else probabilistic (Lanczos) or trivial
        (power).  "deterministic" on large sparse input tries the inertia certificate with any
        installed backend.
    failure_probability : float
        ``delta`` of the probabilistic bound, in (0, 1).
    sparse_backend : {"auto", "cholmod", "qdldl", "band"}
        Sparse factorisation for the deterministic bound of scipy.sparse input with more than
        :data:`DETERMINISTIC_MAX_COLS` columns (:mod:`linalg_lab.spectral_sparse`: Sylvester inertia
        of ``[[tau I, A], [A^T, tau I]]``, or of ``tau I -+ A`` for symmetric A, by a sparse Cholesky
        with a rounding margin; shifts placed by shift-invert Lanczos).  ``auto``: LAPACK's band
        Cholesky for banded input, else CHOLMOD (scikit-sparse) if installed, else QDLDL.  Without
        any, or over the fill budget, the probabilistic bound is used and ``reason`` says so.
    max_factor_nnz : int, optional
        Fill budget of that factorisation (non-zeros of the factor; default
        :data:`linalg_lab.spectral_sparse.DEFAULT_MAX_FACTOR_NNZ`).

    Returns
    -------
    SpectralNormResult
        ``status`` is OK when ``upper/lower - 1 <= rtol``; BRACKET_TOO_WIDE when the proved bracket
        is wider (the bracket is still valid); NOT_CONVERGED when the iteration hit ``maxiter``.

    Raises
    ------
    InputValueError, InputTypeError
        For malformed A (NaN/Inf, empty, 1-D, complex, non-numeric) or options.

    Notes
    -----
    Cost: each Lanczos step is one product with A and one with A^T (or one with the Gram matrix)
    plus O(N k) for reorthogonalisation.  The deterministic certificate adds one Gram matrix (m N^2 flops with
    ``dsyrk``) and one Cholesky factorisation (N^3/3 flops).  A is first scaled by a power of two
    (exact), so huge and tiny matrices neither overflow nor lose accuracy to underflow.

    ``lower`` is a float below ``||A v||_2 / ||v||_2`` for the computed vector ``v``: the allowance
    covers the error of computing ``fl(A v)`` (``gamma_n |A||v|``, one extra product with ``|A|``)
    and of the norms, for dense and sparse input.  Both ends are rounded outward when scaled back,
    also on the subnormal grid; beyond the float range ``lower`` is the largest float, ``upper`` is
    inf and ``scaled_lower``/``scaled_upper`` keep the bracket.

    References
    ----------
    .. [1] C. Lanczos, "An iteration method for the solution of the eigenvalue problem of linear
       differential and integral operators", J. Res. Nat. Bur. Standards 45 (1950) 255–282.
    .. [2] J. Kuczyński and H. Woźniakowski, "Estimating the largest eigenvalue by the power and
       Lanczos algorithms with a random start", SIAM J. Matrix Anal. Appl. 13 (1992) 1094–1122,
       doi:10.1137/0613066.
    .. [3] S. M. Rump, "Verification of positive definiteness", BIT 46 (2006) 433–452,
       doi:10.1007/s10543-006-0056-1.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.diag([3.0, 2.0, 1.0])
    >>> r = spectral_norm(A, seed=0)
    >>> r.lower <= 3.0 <= r.upper, r.ok, r.upper_kind
    (True, True, 'deterministic')
    """
    # Long by design (about 180 lines of body): the three upper-bound routes, the fallbacks between them
    # and the status logic read best in one place; each proof step lives in spectral_cert.
    func = "spectral_norm"
    check_option(method, "method", ("lanczos", "power"), func=func)
    check_option(bound, "bound", ("auto", "deterministic", "probabilistic"), func=func)
    delta = check_probability(failure_probability, "failure_probability", func=func)
    check_option(sparse_backend, "sparse_backend", ("auto", "cholmod", "qdldl", "band"), func=func)
    max_factor_nnz = check_int(max_factor_nnz, "max_factor_nnz", func=func, minimum=1, allow_none=True)
    op, rtol, maxiter = _check_common(A, func, rtol, maxiter, seed)
    shape = (op.n, op.m) if op.transposed else (op.m, op.n)
    if _is_zero(op):
        return _zero_result(op, rtol, method, shape)
    N = op.n
    sparse_inertia = (op.kind == "sparse" and N > DETERMINISTIC_MAX_COLS and method == "lanczos"
                      and bound in ("auto", "deterministic"))
    if sparse_inertia and bound == "auto" and sparse_backend == "auto":
        # "auto" takes the factorisation route only with a supernodal backend (CHOLMOD): the
        # simplicial QDLDL took 25 s on a 10^6-unknown grid and 94 s on a random 11000-unknown
        # augmented matrix (measured), so it is used when asked for (bound="deterministic" or
        # sparse_backend="qdldl").
        from .spectral_sparse import AUTO_MAX_BANDWIDTH_FRACTION, is_exactly_symmetric, rcm_bandwidth_fraction
        from .spectral_sparse import sparse_backend as _resolve_backend

        sparse_inertia = (_resolve_backend("auto") == "cholmod" and rcm_bandwidth_fraction(
            op.a, symmetric=is_exactly_symmetric(op.a)) <= AUTO_MAX_BANDWIDTH_FRACTION)
    can_det = op.kind == "dense" or (op.kind == "sparse" and N <= DETERMINISTIC_MAX_COLS)
    if bound == "auto":
        bound_kind = "deterministic" if can_det and N <= DETERMINISTIC_MAX_COLS else (
            "probabilistic" if method == "lanczos" else "trivial")
    elif bound == "deterministic":
        bound_kind = "deterministic" if can_det else "trivial"
    else:
        if method == "power":
            from ._validation import InputValueError

            raise InputValueError(
                "spectral_norm: bound='probabilistic' needs method='lanczos' (the Kuczyński–Woźniakowski "
                "Lanczos bound); the power method supports bound='deterministic' or 'auto'"
            )
        bound_kind = "probabilistic"
    if sparse_inertia:
        bound_kind = "sparse-inertia"
    maxiter_given = maxiter
    if maxiter is None:
        # sparse-inertia: a rough Lanczos estimate suffices; inverse iteration with the factors refines it
        maxiter = min(N, 300) if bound_kind == "probabilistic" else min(N, 8) if sparse_inertia else min(N, 2000)
    rng, seed_used = _rng(seed)
    v0 = rng.standard_normal(N)
    v0 /= np.linalg.norm(v0)

    gram = None
    if bound_kind == "deterministic" and method == "lanczos":
        # The certificate needs fl(A^T A) anyway: run Lanczos on it (one symmetric product per step
        # instead of two with A).
        gram = gram_matrix(op.a)
        symv = scipy.linalg.blas.dsymv
        est = _lanczos_sym(lambda x: symv(1.0, gram, x, lower=0), N, v0, maxiter, rtol, stop="gap")
        est["sigma"] = math.sqrt(max(est.pop("theta"), 0.0))
    elif bound_kind == "probabilistic":
        est = _gram_lanczos(op, v0, maxiter, rtol, "kw", delta)
    elif bound_kind == "sparse-inertia":
        from ._sparse_ldlt import one_blas_thread as _one_thread

        with _one_thread():  # level-2 BLAS: threads cost more than they give on a busy machine
            est = _gram_lanczos(op, v0, maxiter, rtol, "gap", delta)
    elif method == "lanczos":
        est = _gram_lanczos(op, v0, maxiter, rtol, "residual", delta)
    else:
        est = _power(op, v0, maxiter, rtol=rtol)
    sigma, v, iters, converged = est["sigma"], est["v"], est["iterations"], est["converged"]
    # Lower bound attained by v, with every rounding of fl(A v) and the norms covered.
    lower_s, av = _attained_lower(op, v)
    nv = float(np.linalg.norm(v))
    u = av / max(np.linalg.norm(av), np.finfo(float).tiny)
    fail_p = 0.0
    fallback_note = ""
    if bound_kind == "deterministic":
        upper_s, theorem, det_ok = _deterministic_upper(op, lower_s, sigma, rtol, gram)
        if not det_ok:
            # The Krylov estimate missed part of the spectrum (or rounding margin too large):
            # fall back to the LAPACK SVD for the estimate and try once more.
            dense = op.a if op.kind == "dense" else op.a.toarray()
            uu, ss, vt = scipy.linalg.svd(dense, full_matrices=False, lapack_driver="gesdd")
            v = vt[0]
            nv = float(np.linalg.norm(v))
            lower_s, av = _attained_lower(op, v)
            u = av / max(np.linalg.norm(av), np.finfo(float).tiny)
            sigma = float(ss[0])
            upper_s, theorem, det_ok = _deterministic_upper(op, lower_s, sigma, rtol, gram)
            theorem += " (estimate from LAPACK gesdd after the Krylov estimate failed the certificate)"
        if not det_ok:
            upper_s = op.trivial_upper()
            theorem = "trivial bound min(||A||_F, sqrt(||A||_1 ||A||_inf)); the Cholesky certificate failed"
            upper_kind = "trivial"
        else:
            upper_kind = "deterministic"
    elif bound_kind == "sparse-inertia":
        from .spectral_sparse import DEFAULT_MAX_FACTOR_NNZ, THEOREM, certified_sparse_bracket

        br = certified_sparse_bracket(op, lower=lower_s, sigma=sigma, v=v / nv, rtol=rtol,
                                      attained_lower=lambda x: _attained_lower(op, x), backend=sparse_backend,
                                      max_factor_nnz=max_factor_nnz or DEFAULT_MAX_FACTOR_NNZ)
        if br["ok"]:
            upper_s, upper_kind = br["upper"], "deterministic"
            if br["lower"] > lower_s:
                lower_s, v = br["lower"], br["v"]
                nv = float(np.linalg.norm(v))
                av = op.mv(v)
                u = av / max(np.linalg.norm(av), np.finfo(float).tiny)
                sigma = max(sigma, lower_s)
            converged = True
            theorem = (f"{THEOREM}; form {br['form']}, backend {br['backend']}, ordering {br['ordering']}, "
                       f"{br['factorizations']} factorisation(s), {br['solves']} solves, factor non-zeros "
                       f"{br['factor_nnz']}")
        else:
            fallback_note = (f"deterministic sparse certificate not available ({br['reason']}); "
                             "fell back to the probabilistic Kuczyński–Woźniakowski bound")
            mi = maxiter_given if maxiter_given is not None else min(N, 300)
            est = _gram_lanczos(op, v0, mi, rtol, "kw", delta)
            sigma, v, iters, converged = est["sigma"], est["v"], iters + est["iterations"], est["converged"]
            lower_s, av = _attained_lower(op, v)
            nv = float(np.linalg.norm(v))
            u = av / max(np.linalg.norm(av), np.finfo(float).tiny)
            upper_s, upper_kind, theorem, fail_p = _probabilistic_upper(op, sigma, est["iterations"], N, delta)
    elif bound_kind == "probabilistic":
        upper_s, upper_kind, theorem, fail_p = _probabilistic_upper(op, sigma, iters, N, delta)
    else:
        upper_s = op.trivial_upper()
        upper_kind = "trivial"
        theorem = "trivial bound min(||A||_F, sqrt(||A||_1 ||A||_inf))"
    e = op.scale_exp
    # Power-of-two scaling rounds only entries pushed below the normal range, each by at most
    # eta/2: widen the bracket by ||delta||_F <= sqrt(mn) eta/2 (Weyl), in scaled units.
    scaling_err = math.sqrt(op.m * op.n) * _ETA / 2 * (1 + 4 * _U) if e != 0 else 0.0
    lower_sc = max(lower_s - scaling_err, 0.0) * (1 - 2 * _U) if scaling_err else lower_s
    upper_sc = (upper_s + scaling_err) * (1 + 2 * _U) if scaling_err else upper_s
    # Back to A's units, rounded outward (also on the subnormal grid and beyond the float range).
    lower, upper = scale_down(lower_sc, e), scale_up(upper_sc, e)
    with np.errstate(over="ignore", under="ignore"):
        estimate = min(max(float(np.ldexp(sigma, e)), lower), upper)
    beyond = math.isinf(upper) or lower == float(np.finfo(np.float64).max)
    # The width of the float bracket that is returned; beyond the float range, the scaled one.
    if beyond:
        gap = upper_sc / lower_sc - 1 if lower_sc > 0 else math.inf
    else:
        gap = upper / lower - 1 if lower > 0 else math.inf
    subnormal = 0 < upper < float(np.finfo(np.float64).tiny)
    if beyond:
        status = Status.BRACKET_TOO_WIDE
        reason = (f"||A||_2 lies beyond or at the edge of the float64 range: in units of 2^{e} the bracket is "
                  f"[{lower_sc:.17g}, {upper_sc:.17g}] (fields scaled_lower, scaled_upper, scale_exponent); "
                  "in float64, lower is the largest finite float and upper is inf")
    elif subnormal and gap > rtol:
        status = Status.BRACKET_TOO_WIDE
        reason = (f"||A||_2 is subnormal: the float64 grid there cannot hold a bracket of width rtol; in "
                  f"units of 2^{e} it is [{lower_sc:.17g}, {upper_sc:.17g}] (scaled_lower, scaled_upper)")
    elif not converged and gap > rtol:
        status = Status.NOT_CONVERGED
        reason = (f"maximum iterations ({maxiter}) reached with bracket width {gap:.2e} > rtol {rtol:.1e}; "
                  "increase maxiter or loosen rtol")
    elif gap > rtol:
        status = Status.BRACKET_TOO_WIDE
        reason = (f"the {upper_kind} upper bound leaves a bracket of relative width {gap:.2e} > rtol "
                  f"{rtol:.1e}")
        if upper_kind == "probabilistic":
            # smallest k with 1.648 sqrt(N) exp(-sqrt(eps)(2k-1)) <= delta, eps ~ 2 rtol
            need = (math.log(1.648 * math.sqrt(N) / delta) / math.sqrt(2 * rtol) + 1) / 2
            reason += (f"; a gap-free Lanczos bound this tight needs about {need:.0f} steps (maxiter={maxiter}); "
                       "use bound='deterministic' for matrices with up to "
                       f"{DETERMINISTIC_MAX_COLS} columns, or loosen rtol")
    elif not beyond:
        status, reason = Status.OK, "ok"
    if fallback_note:
        reason = f"{reason}; {fallback_note}"
    v_out = v / nv
    u_out = u
    if op.transposed:
        v_out, u_out = u_out, v_out
    return SpectralNormResult(
        estimate=float(estimate), lower=float(lower), upper=float(upper), upper_kind=upper_kind,
        failure_probability=fail_p, iterations=int(iters), relative_gap=float(gap), rtol=rtol,
        method=method, theorem=theorem,
        rigour=Rigour.PROBABILISTIC if upper_kind == "probabilistic" else Rigour.NUMERICAL,
        status=status, reason=reason, seed=seed_used, scaled_lower=float(lower_sc),
        scaled_upper=float(upper_sc), scale_exponent=int(e), v=v_out, u=u_out,
    )


def _probabilistic_upper(op: ScaledOperator, sigma: float, iters: int, N: int,
                         delta: float) -> tuple[float, str, str, float]:
    """Kuczyński–Woźniakowski upper bound (or the trivial one where tighter): upper, kind, theorem, p."""
    eps = kw_lanczos_epsilon(iters, N, delta)
    upper_s = sigma / math.sqrt(1 - eps) if eps < 1 else math.inf
    triv = op.trivial_upper()
    if triv <= upper_s:
        return (triv, "trivial",
                "trivial bound min(||A||_F, sqrt(||A||_1 ||A||_inf)) (tighter than the probabilistic one)", 0.0)
    theorem = (f"Kuczyński–Woźniakowski (1992), Lanczos with a random start: after k={iters} steps "
               f"on the {N}x{N} Gram matrix, lambda_max <= theta_k/(1-eps) with eps={eps:.3e} "
               f"except with probability <= {delta:.1e}")
    return upper_s, "probabilistic", theorem, delta


def _deterministic_upper(op: ScaledOperator, lower: float, sigma: float, rtol: float,
                         gram: NDArray | None) -> tuple[float, str, bool]:
    """Propose upper = lower (1 + rtol/2) and prove it with :func:`gram_cholesky_certificate`."""
    base = max(lower, sigma)
    for frac in (0.5, 0.9):
        up = base * (1 + frac * rtol)
        tau = up * up
        cert = gram_cholesky_certificate(op.a, tau, gram=gram)
        if cert.proved:
            # ||A||^2 < tau; sqrt rounded up by one ulp factor.
            upper = math.sqrt(tau) * (1 + 2 * _U)
            return upper, ("Cholesky of tau I - A^T A with a rounding-error margin (Higham Thm 10.3; "
                           "Rump 2006): ||A||_2^2 < tau"), True
    return math.inf, cert.reason, False


def _power(op: ScaledOperator, v0: NDArray, maxiter: int, *, rtol: float) -> dict[str, Any]:
    """Power method on A^T A until the Rayleigh-quotient residual gives relative accuracy rtol/4."""
    v = v0.copy()
    sigma = 0.0
    converged = False
    it = 0
    for it in range(1, maxiter + 1):
        av = op.mv(v)
        sigma = float(np.linalg.norm(av))
        if sigma == 0.0:
            converged = True
            break
        w = op.rmv(av)
        theta = sigma * sigma
        resid = float(np.linalg.norm(w - theta * v))
        v = w / np.linalg.norm(w)
        if resid / theta <= rtol / 2:
            converged = True
            break
    return {"sigma": sigma, "v": v, "iterations": it, "converged": converged}


def power_iteration(
    A: ArrayLike | Any, *, iterations: int = 20, seed: int | np.random.Generator | None = None
) -> PowerIterationResult:
    """Fixed-count power iteration on ``A^T A`` (as in the seed notebooks), for comparison.

    Parameters
    ----------
    A : (m, n) array_like, sparse matrix or LinearOperator
    iterations : int
        Number of iterations (each one product with A and one with A^T).
    seed : int or Generator, optional

    Returns
    -------
    PowerIterationResult
        ``estimate = ||A v_k||`` after ``iterations`` steps, its per-iteration ``history``; no
        bound is claimed (rigour "numerical"): the estimate is a lower bound only in exact arithmetic.

    Examples
    --------
    >>> import numpy as np
    >>> r = power_iteration(np.diag([2.0, 1.0]), iterations=60, seed=1)
    >>> round(r.estimate, 12)
    2.0
    """
    func = "power_iteration"
    kind, a = as_operator(A, "A", func=func)
    iterations = check_int(iterations, "iterations", func=func, minimum=1)
    op = ScaledOperator(kind, a)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    v = rng.standard_normal(op.n)
    v /= np.linalg.norm(v)
    hist = np.empty(iterations)
    av = op.mv(v)
    for i in range(iterations):
        av = op.mv(v)
        s = float(np.linalg.norm(av))
        with np.errstate(over="ignore"):
            hist[i] = float(np.ldexp(s, op.scale_exp))
        if s == 0.0:
            hist[i:] = 0.0
            break
        w = op.rmv(av)
        v = w / np.linalg.norm(w)
    u = av / max(np.linalg.norm(av), np.finfo(float).tiny)
    if op.transposed:
        v, u = u, v
    return PowerIterationResult(estimate=float(hist[-1]), iterations=iterations, history=hist,
                                status=Status.OK, reason="ok", v=v, u=u)
