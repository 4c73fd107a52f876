"""Rigorous bounds on ||X||_{2->q} (even q = 2k) from a floating-point degree-q SoS solution.

Units: ``upper``/``lower`` are bounds on the NORM; ``upper_q``/``lower_q`` on its q-th power
max_{|v|=1} sum_i (x_i . v)^q.

Upper bound (Gram side).  In the plain monomial basis m'(v) = (v^P)_{|P| = k},
p(v) = m'^T Q' m' with Q' = U^T U (row i of U holds c_P x_i^P, c_P the multinomial coefficient)
and ||v||^q = m'^T G' m' with G' = diag(c_P) (integers >= 1).  From the solver's Gram matrix S and
lambda we form L~ = lambda G' - Q' - S, which lies near the space K of matrices with
m'^T L m' == 0 (the ordered entries sharing a degree-q monomial sum to zero).  We project L~ onto
K in floating point, round it to a dyadic grid and make the projection exact in int64 arithmetic
(one representative entry per monomial absorbs the integer remainder: the diagonal entry
(P, P) when the monomial is v^(2P), else an off-diagonal one, whose weight 2 divides the sum), so
S* = lambda G' - Q' - L satisfies lambda ||v||^q - p(v) = m'(v)^T S* m'(v) EXACTLY.  Then
S* >= mu G' is proved by a floating Cholesky factor R of S* - t G' and an Arb enclosure of the
residual E = S* - t G' - R R^T (mu = t - ||E||_F, using R R^T >= 0 and G' >= I).  Then
lambda ||v||^q - p(v) >= mu ||v||^q, so on the unit sphere p(v) <= lambda - mu for either sign
of mu.

Lower bound.  ||X v||_q^q / ||v||^q at float vectors v (power method, SoS rounding) evaluated in
Arb.

SoS value lower bound (moment side, optional).  A pseudo-moment vector y with E[||v||^q] = 1
(exact rationals) and PSD moment matrix proves SoS value >= E[p] = <Q', Y'(y)>; the solver's y
is mixed with the uniform-sphere moments to make its moment matrix strictly PD first.
"""
from __future__ import annotations

import dataclasses
import math
import time
from typing import Any

import numpy as np
from flint import arb, arb_mat
from numpy.typing import ArrayLike, NDArray

from linalg_lab.internal import (
    Certificate,
    InputTypeError,
    InputValueError,
    Rigour,
    Status,
    Verdict,
    check_real,
    field_nojson,
)
from linalg_lab.norms import FormBasis, TwoToQResult, TwoToQSoSResult, fldexp, form_basis, polish, two_to_q

from .._arb import working_prec
from ._exact import (  # noqa: F401  (re-exported for the tests of this module)
    _PREC,
    _exact_float_matrix,
    _exact_projection,
    _fro_upper,
    _lo,
    _plain_arb,
    _psd_lower,
    _root_lower,
    _root_upper,
    _sphere_moments,
    _sym_arb_from_upper,
    _up,
    certified_lower4,
    certified_lower_q,
)

__all__ = ["TwoToQCertificate", "two_to_q_certificate", "certify_two_to_q", "certified_lower4",
           "certified_lower_q", "sos_moment_lower4", "sos_moment_lower_q", "OUTCOME_EXACT", "OUTCOME_GAP"]

OUTCOME_EXACT = "exact (certified)"
OUTCOME_GAP = "gap"


@dataclasses.dataclass(frozen=True)
class TwoToQCertificate(Certificate):
    """Certified enclosure of ||X||_{2->q} for even q (NORM units; ``*_q`` fields are q-th powers).

    ``lower`` is always rigorous (Arb evaluation at ``maximiser``); ``upper`` is rigorous when
    ``upper_rigorous`` (every rounding accounted for), else inf.  ``outcome`` is "exact
    (certified)" when the bracket is within ``rtol`` (relative) and "gap" when the SoS value is
    certified (moment side) to exceed the lower bound by more than ``rtol`` -- both with
    ``verdict`` PROVED -- else "bracketed within <rel_gap>" or "not certified" (UNDECIDED).
    ``analysis`` is the numerical :class:`~linalg_lab.norms.TwoToQResult` the certificate was made
    from (None when called with a bare SoS result).
    """

    q: int
    upper: float
    upper_q: float
    lower: float
    lower_q: float
    rel_gap: float
    outcome: str
    verdict: Verdict
    upper_rigorous: bool
    maximiser: NDArray[np.float64]
    sos_lower_q: float | None
    sos_lower: float | None
    lam_q: float
    mu_q: float
    residual_fro: float
    projection_change: float
    hilbert_exact: bool
    rtol: float
    elapsed_s: float
    status: Status
    reason: str
    rigour: Rigour
    method: str = ("exact int64 projection onto the coefficient-matching space + Arb-verified "
                   "Cholesky residual of the shifted Gram matrix (Peyrl-Parrilo; Jansson-Chaykin-Keil)")
    analysis: TwoToQResult | None = None
    upper_arb: str = field_nojson(default="")

    def summary(self) -> str:
        lines = [f"||X||_(2->{self.q}): {self.outcome} (verdict {self.verdict.value})",
                 f"  certified lower {self.lower:.15g}  ({self.q}th power {self.lower_q:.15g})",
                 f"  {'certified' if self.upper_rigorous else 'NOT certified'} upper {self.upper:.15g}  "
                 f"({self.q}th power {self.upper_q:.15g})",
                 f"  relative gap {self.rel_gap:.3e}"]
        if self.sos_lower is not None:
            lines.append(f"  SoS value certified >= {self.sos_lower:.15g} (moment side)")
        if self.hilbert_exact:
            lines.append("  q = 4, d <= 3: the degree-4 relaxation is exact (Hilbert 1888)")
        lines.append(f"  {self.reason}")
        if self.analysis is not None:
            lines.append("numerical bounds it was made from:")
            lines.append("  " + self.analysis.summary().replace("\n", "\n  "))
        return "\n".join(lines)


def sos_moment_lower_q(X: ArrayLike, sos_result: TwoToQSoSResult, *,
                       _cache: dict | None = None) -> arb | None:
    """Certified lower bound on the degree-q SoS value (q-th-power units) from its moment matrix.

    Returns None when no strictly feasible rational pseudo-moment could be verified.

    Parameters
    ----------
    X : (n, d) array_like
        The matrix the SoS problem was solved for (converted to float64 without rounding; its
        entries are taken as exact).
    sos_result : TwoToQSoSResult
        ``linalg_lab.norms.two_to_q_sos(X, q)`` for this X (even q >= 4); its ``moment`` matrix
        supplies the pseudo-moments.
    _cache : dict, optional
        Internal: ``{"A": arb_mat}`` with the exact plain coefficient matrix of X that
        :func:`two_to_q_certificate` has already built, to avoid rebuilding it.  Not for callers.

    Returns
    -------
    arb or None
        A ball whose lower end bounds the degree-q SoS value from below (q-th-power units, like
        ``sos_result.upper_q``; for q = 4, d <= 3 the SoS value is the norm's 4th power).  None
        when the result has no moment matrix, it has the wrong shape or non-finite entries, or
        the mixed pseudo-moments could not be proved positive semidefinite.

    Raises
    ------
    InputTypeError
        ``sos_result`` is not a TwoToQSoSResult, or X has an unsupported dtype.
    InputValueError
        X is empty, not 2-D, has NaN/Inf entries or entries float64 cannot hold exactly, or
        ``sos_result`` was computed for another shape.

    Notes
    -----
    The solver's pseudo-moments are mixed with the uniform-sphere moments until their moment
    matrix is strictly positive definite, rounded to rationals with E[||v||^q] = 1 exactly,
    and their positive semidefiniteness is proved by a shifted Cholesky with an Arb residual
    (Rump 2006); the value <Q', Y'> is then enclosed in Arb at 160 bits (scoped).  Cost: O(D^3)
    floating point plus Arb products of order D x n (D = C(d+q/2-1, q/2)).

    Examples
    --------
    >>> import numpy as np
    >>> from linalg_lab.norms import two_to_q_sos
    >>> X = np.diag([2.0, 1.0, 1.0])
    >>> lo = sos_moment_lower_q(X, two_to_q_sos(X))
    >>> bool(15.99 < lo < 16.0)
    True
    """
    func = "sos_moment_lower_q"
    X = _exact_float_matrix(X, func)
    _check_result(X, sos_result, func)
    if sos_result.moment is None:
        return None
    n, d = X.shape
    q = int(sos_result.q)
    B = form_basis(d, q // 2)
    e = int(sos_result.pow2)
    Y = np.asarray(sos_result.moment, dtype=np.float64)
    if Y.shape != (B.D, B.D) or not np.isfinite(Y).all():
        return None  # nothing usable to verify (a corrupted or foreign moment matrix)
    # pseudo-moments from the diagonal-most representative of each monomial
    y = np.zeros(B.N)
    cnt = np.zeros(B.N)
    np.add.at(y, B.alpha, Y[B.P1, B.P2] / (B.c[B.P1] * B.c[B.P2]))
    np.add.at(cnt, B.alpha, 1.0)
    y /= cnt
    ysph = _sphere_moments(B)
    Ym = B.moment_matrix(y, plain=True)
    Ysph = B.moment_matrix(ysph, plain=True)
    lmin = float(np.linalg.eigvalsh(Ym)[0])
    lsph = float(np.linalg.eigvalsh(Ysph)[0])
    target = 1e-7 * lsph
    t = 0.0 if lmin > 2 * target else min(1.0, (target - lmin) / (lsph - lmin) * 2.0)
    yt = (1 - t) * y + t * ysph
    # exact normalisation: y <- y / (norm4 . y), rationals with a common dyadic grid
    k = 60
    yint = [int(round(math.ldexp(float(v), k))) for v in yt]
    N = sum(int(c) * yi for c, yi in zip(B.normq.astype(np.int64).tolist(), yint))
    if N <= 0:
        return None
    with working_prec(_PREC):
        scale = arb(1) / arb(N)  # y = yint / N (exact up to this one division, enclosed)
        Yint = arb_mat(B.D, B.D, _full_from_alpha(B, yint))
        Yarb = Yint * scale
        F = np.asarray(B.moment_matrix(np.array(yint, dtype=float) / float(N), plain=True))

        def resid(tt: float, R: NDArray[np.float64]) -> arb_mat:
            Ra = arb_mat(B.D, B.D, R.ravel().tolist())
            return Yarb - arb_mat(B.D, B.D, (tt * np.eye(B.D)).ravel().tolist()) - Ra * Ra.transpose()

        mu, _, _ = _psd_lower(F, resid)
        if not (mu >= 0):
            return None
        A = _cache["A"] if _cache and "A" in _cache else _plain_arb(B, X, e)
        Qp = A * A.transpose()
        val = (Qp * Yarb).trace()
        return val * arb(2) ** (q * e)


def sos_moment_lower4(X: ArrayLike, sos_result: TwoToQSoSResult) -> arb | None:
    """:func:`sos_moment_lower_q` for a degree-4 result (kept name).

    Parameters
    ----------
    X : (n, d) array_like
        The matrix the SoS problem was solved for (entries taken as exact float64).
    sos_result : TwoToQSoSResult
        ``linalg_lab.norms.two_to_q_sos(X)`` for this X.  The q of the result is used as it is
        (this name does not check that q = 4).

    Returns
    -------
    arb or None
        As :func:`sos_moment_lower_q`: a certified lower bound on the SoS value (4th-power units
        for q = 4), or None when none could be verified.

    Raises
    ------
    InputTypeError, InputValueError
        As :func:`sos_moment_lower_q`.
    """
    return sos_moment_lower_q(X, sos_result)


def _check_result(X: NDArray[np.float64], sos_result: Any, func: str) -> None:
    if not isinstance(sos_result, TwoToQSoSResult):
        raise InputTypeError(f"{func}: 'sos_result' must be a TwoToQSoSResult from two_to_q_sos, "
                             f"got {type(sos_result).__name__}")
    n, d = X.shape
    if sos_result.d != d or sos_result.n != n:
        raise InputValueError(f"{func}: 'sos_result' was computed for shape ({sos_result.n}, "
                              f"{sos_result.d}), but X has shape {X.shape}")


def _unusable_gram(sos_result: TwoToQSoSResult, D: int) -> str:
    """Why the floating-point Gram data cannot be used ('' when it can).  Non-finite data would
    otherwise reach the int64 rounding of the projection (undefined casts) or crash eigvalsh."""
    G = np.asarray(sos_result.gram, dtype=np.float64)
    if G.shape != (D, D):
        return f"the Gram matrix has shape {G.shape}, expected ({D}, {D})"
    if not np.isfinite(G).all():
        return "the Gram matrix has non-finite entries"
    lamq = float(sos_result.lam) * float(sos_result.scale_q)
    if not (math.isfinite(lamq) and math.isfinite(float(sos_result.scale_q))):
        return f"lambda * scale_q = {lamq!r} is not finite"
    # the scaled problem has entries O(n); 2^1000 leaves room for the factors c_P in lam G' - Q' - S
    big = 2.0 ** 1000
    if abs(lamq) > big or not np.all(np.abs(G * float(sos_result.scale_q)) <= big):
        return "lambda or the rescaled Gram matrix is beyond 2^1000 (overflow)"
    return ""


def _full_from_alpha(B: FormBasis, yint: list[int]) -> list[int]:
    full = np.empty((B.D, B.D), dtype=object)
    for (i, j, al) in zip(B.P1.tolist(), B.P2.tolist(), B.alpha.tolist()):
        full[i, j] = yint[al]
        full[j, i] = yint[al]
    return full.ravel().tolist()


def two_to_q_certificate(X: ArrayLike, sos_result: TwoToQSoSResult | None = None, *, q: int | None = None,
                         lower: Any = None, rtol: float = 1e-6, moment: bool | None = None,
                         solver: str | None = None, solver_eps: float | None = None,
                         seed: int | None = 0) -> TwoToQCertificate:
    """Rigorous enclosure of ||X||_{2->q} (even q >= 4) from a degree-q SoS solution.

    Parameters
    ----------
    X : (n, d) array_like
        The matrix (float64; its entries are taken as exact).
    sos_result : TwoToQSoSResult, optional
        Output of ``linalg_lab.norms.two_to_q_sos(X, q=q)``.  When omitted, the certificate runs
        the same pipeline as ``linalg-lab norm --certify`` and ``proofs-check norm``:
        ``certify_two_to_q(two_to_q(X, q, sos=True, solver=solver, solver_eps=solver_eps,
        seed=seed), rtol=rtol, moment=moment)``.
    q : int, optional
        Even exponent; default 4 without ``sos_result``, else the result's q (a different q is
        refused).
    lower : (d,) array_like or result with ``maximiser``, optional
        A further candidate maximiser (e.g. ``two_to_q_lower(X).maximiser``).
    rtol : float, default 1e-6
        Relative width of the certified bracket (norm units) below which the outcome is
        "exact (certified)".
    moment : bool, optional
        Certify a lower bound on the SoS value from the moment matrix (needed for the "gap"
        outcome).  Default: when the numerical bracket exceeds 100 rtol and D <= 400.
    solver, solver_eps, seed : optional
        Passed to ``two_to_q`` when ``sos_result`` is omitted (refused otherwise).

    Returns
    -------
    TwoToQCertificate

    Raises
    ------
    InputValueError, InputTypeError
        Bad X, a result of another type, or a result for a matrix of another shape; solver
        options given together with ``sos_result``.

    Notes
    -----
    The upper bound is lambda - mu: lambda from the solver, mu a rigorous lower bound on the
    smallest generalised eigenvalue of the exactly projected Gram matrix S* against G' (the Gram
    matrix of ||v||^q), so that lambda ||v||^q - p(v) >= mu ||v||^q.  Cost: Arb products of a
    D x n matrix by its transpose plus an eigensolve and a Cholesky factorisation in floating
    point (D = C(d+q/2-1, q/2)).  All Arb work runs at 160 bits, scoped.

    References
    ----------
    H. Peyrl, P. A. Parrilo, "Computing sum of squares decompositions with rational
    coefficients", Theoret. Comput. Sci. 409 (2008) 269-281, doi:10.1016/j.tcs.2008.09.025.
    C. Jansson, D. Chaykin, C. Keil, "Rigorous error bounds for the optimal value in
    semidefinite programming", SIAM J. Numer. Anal. 46 (2007) 180-200, doi:10.1137/050622870.
    S. M. Rump, "Verification of positive definiteness", BIT 46 (2006) 433-452,
    doi:10.1007/s10543-006-0056-1.
    T. J. Dekker, "A floating-point technique for extending the available precision",
    Numer. Math. 18 (1971) 224-242, doi:10.1007/BF01397083 (exact products).
    D. Hilbert, "Ueber die Darstellung definiter Formen als Summe von Formenquadraten",
    Math. Ann. 32 (1888) 342-350, doi:10.1007/BF01443605.

    Examples
    --------
    >>> import numpy as np
    >>> c = two_to_q_certificate(np.eye(3))
    >>> c.certified, c.outcome, c.lower <= 1.0 <= c.upper
    (True, 'exact (certified)', True)
    """
    func = "two_to_q_certificate"
    X = _exact_float_matrix(X, func)
    rtol = check_real(rtol, "rtol", func=func, lo=0.0, hi=1.0, lo_open=True)
    if sos_result is None:
        q = 4 if q is None else q
        if lower is not None:
            raise InputValueError(f"{func}: 'lower' applies only with an explicit 'sos_result' "
                                  "(without one, the power method of two_to_q supplies it)")
        return _certify_result(two_to_q(X, q, sos=True, solver=solver, solver_eps=solver_eps, seed=seed),
                               rtol, moment)
    if solver is not None or solver_eps is not None:
        raise InputValueError(f"{func}: 'solver'/'solver_eps' apply only without 'sos_result' "
                              "(the SoS problem was already solved)")
    _check_result(X, sos_result, func)
    if q is not None and q != sos_result.q:
        raise InputValueError(f"{func}: q = {q!r} but sos_result was solved for q = {sos_result.q}")
    return _certify(X, sos_result, lower, rtol, moment, time.perf_counter())


def certify_two_to_q(result: TwoToQResult, *, rtol: float = 1e-6,
                     moment: bool | None = None) -> TwoToQCertificate:
    """Certify a numerical ``linalg_lab.two_to_q`` result (even q, with its SoS bound).

    Parameters
    ----------
    result : TwoToQResult
        ``two_to_q(X, q)`` with the SoS bound computed (the default for even q).
    rtol : float, default 1e-6
        Relative width of the certified bracket (norm units) below which the outcome is
        "exact (certified)"; 0 < rtol <= 1.
    moment : bool, optional
        Certify a lower bound on the SoS value from the moment matrix (needed for the "gap"
        outcome).  Default (None): when the bracket is wider than ``rtol`` and either q = 4,
        d <= 3 (where the SoS value is the norm) or the bracket exceeds 100 rtol and D <= 400.

    Returns
    -------
    TwoToQCertificate
        With ``analysis`` = ``result``.  The lower bound starts from ``result.maximiser``.

    Raises
    ------
    InputTypeError
        ``result`` is not a TwoToQResult, or ``rtol`` is not a real number.
    InputValueError
        It has no SoS solution (odd or non-integer q, or computed with ``sos=False``), or
        ``rtol`` is not finite or outside (0, 1].

    Examples
    --------
    >>> import numpy as np
    >>> from linalg_lab import two_to_q
    >>> c = certify_two_to_q(two_to_q(np.diag([2.0, 1.0])))
    >>> c.outcome, c.lower <= 2.0 <= c.upper
    ('exact (certified)', True)
    """
    func = "certify_two_to_q"
    if not isinstance(result, TwoToQResult):
        raise InputTypeError(f"{func}: 'result' must be a TwoToQResult from linalg_lab.two_to_q, "
                             f"got {type(result).__name__}")
    rtol = check_real(rtol, "rtol", func=func, lo=0.0, hi=1.0, lo_open=True)
    return _certify_result(result, rtol, moment)


def _certify_result(result: TwoToQResult, rtol: float, moment: bool | None) -> TwoToQCertificate:
    if result.sos_result is None:
        raise InputValueError(
            f"certify_two_to_q: the result has no SoS solution to certify (q = {result.q:g}"
            f"{'' if float(result.q).is_integer() and int(result.q) % 2 == 0 else ': odd or non-integer q has none'}"
            "; compute it with two_to_q(X, q, sos=True) for even q >= 4)")
    cert = _certify(result.X, result.sos_result, result.maximiser, rtol, moment, time.perf_counter())
    return dataclasses.replace(cert, analysis=result)


def _certify(X: NDArray[np.float64], sos_result: TwoToQSoSResult, lower: Any, rtol: float,
             moment: bool | None, t0: float) -> TwoToQCertificate:
    """The certificate proper (validated X, a TwoToQSoSResult of X's shape)."""
    func = "two_to_q_certificate"
    n, d = X.shape
    q = int(sos_result.q)
    # candidate maximisers, polished, then enclosed in Arb
    cands = [np.asarray(sos_result.maximiser, dtype=np.float64)]
    if sos_result.candidates is not None and len(sos_result.candidates):
        cands.extend(np.asarray(sos_result.candidates, dtype=np.float64))
    if lower is not None:
        lv = getattr(lower, "maximiser", lower)
        lv = np.asarray(lv, dtype=np.float64).ravel()
        if lv.shape != (d,) or not np.isfinite(lv).all():
            raise InputValueError(f"{func}: 'lower' must be a finite vector of length {d}, got shape {lv.shape}")
        cands.append(lv)
    V = np.array([c for c in cands if c.shape == (d,) and np.isfinite(c).all() and np.any(c)]).T
    if not np.any(X):
        return _trivial_cert(X, q, t0, rtol, "X is the zero matrix: the norm is 0 exactly")
    if V.size:
        V, vals, _ = polish(X, V, float(q), maxiter=200)
        v = V[:, int(np.argmax(vals))]
    else:
        v = np.linalg.svd(X, full_matrices=False)[2][0]
    with working_prec(_PREC):
        lo_q = certified_lower_q(X, v, q)
        lower_q = max(_lo(lo_q), 0.0)
        lower_n = _root_lower(lo_q, q)
    if d == 1:
        with working_prec(_PREC):
            up_q = certified_lower_q(X, np.ones(1), q)
            return _finish(q, up_q, lower_q, lower_n, v, None, rtol, t0, sos_result, 0.0, 0.0, 0.0,
                           f"d = 1: the norm is ||x||_{q}, enclosed in Arb", rigorous=True)
    B = form_basis(d, q // 2)
    if sos_result.status is Status.SOLVER_FAILED or sos_result.gram is None:
        unusable = f"no Gram matrix to certify: {sos_result.reason}"
    else:
        unusable = _unusable_gram(sos_result, B.D)
        own = math.frexp(float(np.max(np.abs(X))))[1]
        if not unusable and int(sos_result.pow2) != own:
            # two_to_q_sos scales by 2^frexp(max|X|); another exponent means a result for another
            # matrix, and a far-off one would overflow the float guess (Dekker products, eigvalsh)
            unusable = (f"sos_result.pow2 = {sos_result.pow2} but X needs the scaling 2^-{own}: "
                        "the SoS result was not computed for this X")
    if unusable:
        return TwoToQCertificate(
            q=q, upper=math.inf, upper_q=math.inf, lower=lower_n, lower_q=lower_q, rel_gap=math.inf,
            outcome="not certified", verdict=Verdict.UNDECIDED, upper_rigorous=False, maximiser=v,
            sos_lower_q=None, sos_lower=None, lam_q=math.nan, mu_q=math.nan, residual_fro=math.nan,
            projection_change=math.nan, hilbert_exact=q == 4 and d <= 3, rtol=rtol,
            elapsed_s=time.perf_counter() - t0, status=Status.NOT_CERTIFIED, rigour=Rigour.CERTIFIED,
            reason=f"{unusable}; only the lower bound is certified")
    e = int(sos_result.pow2)
    # The SDP was solved for X 2^-e.  The float Xs below only builds the floating-point guess F;
    # the exact data enter through _plain_arb(B, X, e), which falls back to Arb products when this
    # float scaling is not exact (entries pushed into the subnormal range).
    Xs = np.ldexp(X, -e)
    S = np.asarray(sos_result.gram, dtype=np.float64) * sos_result.scale_q
    S = S * B.c[:, None] * B.c[None, :]
    lam = float(sos_result.lam * sos_result.scale_q)
    lam = math.nextafter(lam, math.inf)
    U = B.plain_vectors(Xs)
    Qf = U.T @ U
    # G' = diag(c_P) EXACTLY (small integers): m'(v)^T G' m'(v) = ||v||^q.  (Not B.c ** 2: float
    # sqrt(2) ** 2 = 2.0000000000000004, which would weigh ||v||^q by up to 1 + 2^-53.)
    g = B.multinom.astype(np.float64)
    G = np.diag(g)
    Lt = lam * G - Qf - S
    Z, k, change = _exact_projection(B, Lt)
    Lf = np.zeros((B.D, B.D))
    Lf[B.P1, B.P2] = np.ldexp(Z.astype(np.float64), -k)
    Lf[B.P2, B.P1] = Lf[B.P1, B.P2]
    F = lam * G - Qf - Lf
    with working_prec(_PREC):
        A = _plain_arb(B, X, e)
        Larb = _sym_arb_from_upper(B, Z) * arb(2) ** (-k)
        base = arb_mat(B.D, B.D, (lam * G).ravel().tolist()) - Larb
        AAt = A * A.transpose()

        def resid(t: float, R: NDArray[np.float64]) -> arb_mat:
            W = arb_mat(B.D, B.D, R.ravel().tolist())
            tG = arb_mat(B.D, B.D, (t * G).ravel().tolist())
            return base - tG - AAt - W * W.transpose()

        # S* >= mu G'  ==>  lambda ||v||^q - p(v) >= mu ||v||^q  ==>  p <= lambda - mu on the sphere
        mu, _, efro = _psd_lower(F, resid, weight=g)
        up_q = (arb(lam) - mu) * arb(2) ** (q * e)
        mu_f = fldexp(_lo(mu), q * e)
        sos_lo = None
        want_moment = bool(moment)
        if moment is None:
            upper_guess = _root_upper(up_q, q)
            gap_seen = (upper_guess - lower_n) > rtol * upper_guess
            # q = 4, d <= 3 (Hilbert): the SoS value IS the norm, so its certified moment-side lower
            # bound is a certified lower bound on the norm -- worth it whenever the bracket is open
            want_moment = gap_seen and ((q == 4 and d <= 3) or
                                        ((upper_guess - lower_n) > 100 * rtol * upper_guess and B.D <= 400))
        if want_moment:
            sos_lo = sos_moment_lower_q(X, sos_result, _cache={"A": A})
        note = (f"projected Gram matrix S* >= mu G' with mu = {mu_f:.3e} ({q}th-power units): "
                "upper = lambda - mu")
        if q == 4 and d <= 3:
            note += "; q = 4, d <= 3: the degree-4 relaxation is exact (Hilbert 1888)"
        return _finish(q, up_q, lower_q, lower_n, v, sos_lo, rtol, t0, sos_result, fldexp(lam, q * e),
                       mu_f, fldexp(efro, q * e), note, rigorous=True, change=fldexp(change, q * e))


def _finish(q: int, up_q: arb, lower_q: float, lower_n: float, v: NDArray[np.float64], sos_lo: arb | None,
            rtol: float, t0: float, sos_result: TwoToQSoSResult, lam_q: float, mu_q: float,
            efro: float, note: str, *, rigorous: bool, change: float = 0.0) -> TwoToQCertificate:
    with working_prec(_PREC):
        # an upper bound that is NaN/infinite proves nothing: report inf, not rigorous
        if not up_q.is_finite():
            rigorous = False
            note += "; the upper bound is not finite (not certified)"
        upper_q = _up(up_q) if up_q.is_finite() else math.inf
        upper = _root_upper(up_q, q)
        s_lo_q = _lo(sos_lo) if sos_lo is not None and sos_lo.is_finite() else None
        s_lo = _root_lower(sos_lo, q) if s_lo_q is not None and sos_lo > 0 else None
    hilbert = q == 4 and sos_result.d <= 3
    if hilbert and s_lo is not None and s_lo > lower_n:
        # Hilbert 1888: for q = 4, d <= 3 the degree-4 SoS value equals the norm, so a certified
        # lower bound on the SoS value is a certified lower bound on the norm.
        lower_n, lower_q = s_lo, s_lo_q
        note += "; lower bound from the SoS moment side (equal to the norm for d <= 3, Hilbert)"
    rel = math.inf if upper == math.inf else (upper - lower_n) / upper if upper > 0 else 0.0
    if not rigorous:
        outcome, verdict = "not certified", Verdict.UNDECIDED
        reason = f"no certified upper bound; {note}"
    elif rel <= rtol:
        outcome, verdict = OUTCOME_EXACT, Verdict.PROVED
        reason = f"certified bracket of relative width {rel:.2e} <= rtol = {rtol:g}; {note}"
    elif s_lo is not None and s_lo > lower_n * (1 + rtol):
        outcome, verdict = OUTCOME_GAP, Verdict.PROVED
        reason = (f"the SoS value is certified >= {s_lo:.12g} > certified lower bound {lower_n:.12g}: "
                  "the relaxation (or the lower bound) is not tight; the norm lies in [lower, upper]; "
                  + note)
    else:
        outcome, verdict = f"bracketed within {rel:.2e}", Verdict.UNDECIDED
        reason = (f"certified bracket of relative width {rel:.2e} > rtol = {rtol:g} (solver accuracy or "
                  f"a loose relaxation); tighten solver_eps or run with moment=True; {note}")
    status = Status.OK if rigorous else Status.NOT_CERTIFIED
    return TwoToQCertificate(
        q=q, upper=upper, upper_q=upper_q, lower=lower_n, lower_q=lower_q, rel_gap=rel, outcome=outcome,
        verdict=verdict, upper_rigorous=rigorous, maximiser=v / np.linalg.norm(v), sos_lower_q=s_lo_q,
        sos_lower=s_lo, lam_q=lam_q, mu_q=mu_q, residual_fro=efro, projection_change=change,
        hilbert_exact=hilbert, rtol=rtol, elapsed_s=time.perf_counter() - t0,
        status=status, reason=reason, rigour=Rigour.CERTIFIED, upper_arb=str(up_q))


def _trivial_cert(X: NDArray[np.float64], q: int, t0: float, rtol: float, reason: str) -> TwoToQCertificate:
    d = X.shape[1]
    v = np.zeros(d)
    v[0] = 1.0
    return TwoToQCertificate(
        q=q, upper=0.0, upper_q=0.0, lower=0.0, lower_q=0.0, rel_gap=0.0, outcome=OUTCOME_EXACT,
        verdict=Verdict.PROVED, upper_rigorous=True, maximiser=v, sos_lower_q=None, sos_lower=None,
        lam_q=0.0, mu_q=0.0, residual_fro=0.0, projection_change=0.0, hilbert_exact=q == 4 and d <= 3,
        rtol=rtol, elapsed_s=time.perf_counter() - t0, status=Status.OK, reason=reason,
        rigour=Rigour.CERTIFIED)
