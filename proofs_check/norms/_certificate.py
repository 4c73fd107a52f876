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
import sys
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
    as_matrix,
    check_real,
    field_nojson,
)
from linalg_lab.norms import FormBasis, TwoToQResult, TwoToQSoSResult, fldexp, form_basis, polish, two_to_q

from .._arb import lower_float, upper_float, working_prec

__all__ = ["TwoToQCertificate", "two_to_q_certificate", "certify_two_to_q", "certified_lower4",
           "certified_lower_q", "sos_moment_lower4", "sos_moment_lower_q", "OUTCOME_EXACT", "OUTCOME_GAP"]

OUTCOME_EXACT = "exact (certified)"
OUTCOME_GAP = "gap"
_PREC = 160


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


def _lo(x: arb) -> float:
    """lower_float, but never +inf: a ball above the float range is bounded below by the largest
    finite float (``lower_float`` would return inf there, which is not a lower bound)."""
    f = lower_float(x)
    return sys.float_info.max if f == math.inf else f


def _up(x: arb) -> float:
    """upper_float, but never -inf (symmetric to :func:`_lo`); NaN balls give +inf."""
    f = upper_float(x)
    return -sys.float_info.max if f == -math.inf else f


def _root_upper(x: arb, q: int) -> float:
    """Upper bound on max(x, 0)^(1/q) over the ball (inf for a non-finite ball)."""
    if not x.is_finite():
        return math.inf
    u = x.upper().nonnegative_part()
    r = u.sqrt().sqrt() if q == 4 else (u ** (arb(1) / q) if u > 0 else arb(0))
    return _up(r)


def _root_lower(x: arb, q: int) -> float:
    """Lower bound on max(x, 0)^(1/q) over the ball (0 when the ball reaches 0 or below)."""
    if not x.is_finite() or not (x > 0):
        return 0.0
    return _lo(x.sqrt().sqrt() if q == 4 else x ** (arb(1) / q))


def _exact_float_matrix(X: ArrayLike, func: str) -> NDArray[np.float64]:
    """Validate X and convert it to float64, refusing a conversion that rounds: the certificate is
    about the exact entries.  (as_matrix already refuses integers beyond 2^53; long doubles with
    more than 53 significant bits are refused here.)"""
    orig = X if isinstance(X, np.ndarray) else None
    Xf = np.ascontiguousarray(as_matrix(X, "X", func=func, keep_dtype=False), dtype=np.float64)
    if orig is not None and orig.dtype.kind == "f" and orig.dtype.itemsize > 8:
        if np.any(Xf.astype(orig.dtype) != orig.reshape(Xf.shape)):
            raise InputValueError(
                f"{func}: 'X' has dtype {orig.dtype} entries that float64 cannot hold exactly; "
                "a certificate would be for a rounded matrix (round X to float64 first)")
    return Xf


def _veltkamp(x: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    c = x * 134217729.0  # 2^27 + 1
    hi = c - (c - x)
    return hi, x - hi


def _two_product(a: NDArray[np.float64], b: NDArray[np.float64]) -> tuple[NDArray, NDArray]:
    """Dekker's exact product a*b = p + e (no overflow/underflow: inputs scaled to O(1))."""
    p = a * b
    ah, al = _veltkamp(a)
    bh, bl = _veltkamp(b)
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    return p, e


def _exact_products(Xs: NDArray[np.float64], idx: NDArray[np.intp]) -> list[NDArray[np.float64]]:
    """Float matrices (n x D) whose sum is EXACTLY prod_j Xs[:, idx[:, j]] (Dekker products,
    2^(k-1) terms, all-zero terms dropped); needs no underflow of the error terms."""
    terms = [Xs[:, idx[:, 0]]]
    for j in range(1, idx.shape[1]):
        nxt = []
        for t in terms:
            p, r = _two_product(t, Xs[:, idx[:, j]])
            nxt += [p, r]
        terms = [t for t in nxt if np.any(t)]
    return terms


def _plain_arb(B: FormBasis, X: NDArray[np.float64], e: int = 0) -> arb_mat:
    """Exact Arb matrix (D x n) of the plain coefficient vectors u_i = (c_P x_i^P)_P of the exactly
    scaled matrix X 2^-e (at the working precision, >= 107 bits; radii where a sum of the exact
    float parts needs more bits)."""
    Xs = np.ldexp(X, -e)
    k = B.k
    exact_scaling = bool(np.array_equal(np.ldexp(Xs, e), X))
    nz = Xs[Xs != 0]
    if not exact_scaling or (nz.size and (np.min(np.abs(nz)) < 2.0 ** (-800 // k)
                                          or np.max(np.abs(nz)) > 2.0 ** 400)):
        # The float scaling rounded (entries pushed into the subnormal range) or Dekker's
        # products could underflow/overflow: form them one by one in Arb from the exact X.
        s = arb(2) ** (-e)
        xa = [[arb(float(v)) * s for v in row] for row in X]
        ents = []
        for P in range(B.D):
            f = int(B.multinom[P])
            for i in range(Xs.shape[0]):
                t = arb(f)
                for j in B.idx[P].tolist():
                    t = t * xa[i][j]
                ents.append(t)
        return arb_mat(B.D, Xs.shape[0], ents)
    terms = _exact_products(Xs, B.idx)
    f = B.multinom.astype(np.float64)
    if np.any(f != 1.0):  # c_P x^P: one more exact product per term (c_P is a small integer)
        more = []
        for t in terms:
            p, r = _two_product(t, np.broadcast_to(f, t.shape))
            more += [p, r]
        terms = [t for t in more if np.any(t)]
    D, n = B.D, Xs.shape[0]
    if not terms:
        return arb_mat(D, n)
    out = arb_mat(D, n, np.ascontiguousarray(terms[0].T).ravel().tolist())
    for t in terms[1:]:
        out += arb_mat(D, n, np.ascontiguousarray(t.T).ravel().tolist())
    return out


def _fro_upper(E: arb_mat) -> arb:
    # nonnegative_part: a trace ball that straddles 0 (all residuals ~ their radii) would give a
    # NaN square root and hence a NaN bound
    return (E * E.transpose()).trace().nonnegative_part().sqrt()


def _psd_lower(F: NDArray[np.float64], exact_minus_rrt: Any,
               weight: NDArray[np.float64] | None = None) -> tuple[arb, float, float]:
    """Rigorous mu with (exact symmetric matrix) >= mu * W, W = diag(weight) (all >= 1; default I).

    F is a float approximation of the exact matrix.  ``exact_minus_rrt(t, R)`` must return an Arb
    enclosure of (exact) - t W - R R^T.  Since R R^T is PSD and W >= I,
    exact >= t W - ||E||_F I >= (t - ||E||_F) W.  Returns (mu as arb, t, ||E||_F upper)."""
    D = F.shape[0]
    g = np.ones(D) if weight is None else np.asarray(weight, dtype=np.float64)
    assert np.all(g >= 1.0)
    h = 1.0 / np.sqrt(g)
    ev = np.linalg.eigvalsh(F * h[:, None] * h[None, :])
    nrm = max(abs(ev[0]), abs(ev[-1]), np.finfo(float).tiny)
    delta = 8.0 * (D + 2) * np.finfo(float).eps * nrm
    for _ in range(12):
        t = float(ev[0] - delta)
        try:
            R = np.linalg.cholesky(F - t * np.diag(g))
            break
        except np.linalg.LinAlgError:
            delta *= 10.0
    else:  # pragma: no cover - eigvalsh and cholesky never disagree by 1e12
        raise RuntimeError("Cholesky of the shifted Gram matrix failed")
    E = exact_minus_rrt(t, R)
    efro = _fro_upper(E)
    return arb(t) - efro, t, upper_float(efro)


def certified_lower_q(X: NDArray[np.float64], v: NDArray[np.float64], q: int = 4) -> arb:
    """Arb enclosure of sum_i (x_i . v)^q / ||v||^q at the float vector v (exact inputs, even q)."""
    n, d = X.shape
    h = q // 2
    with working_prec(_PREC):
        Xa = arb_mat(n, d, X.ravel().tolist())
        va = arb_mat(d, 1, [float(t) for t in v])
        z = Xa * va
        s = arb(0)
        for i in range(n):
            zi = z[i, 0]
            s += (zi * zi) ** h
        nv = (va.transpose() * va)[0, 0]
        return s / nv ** h


def certified_lower4(X: NDArray[np.float64], v: NDArray[np.float64]) -> arb:
    """Arb enclosure of sum_i (x_i . v)^4 / ||v||^4 (``certified_lower_q`` with q = 4)."""
    return certified_lower_q(X, v, 4)


def _exact_projection(B: FormBasis, Lt: NDArray[np.float64]) -> tuple[NDArray[np.int64], int, float]:
    """Project L~ onto K (floating point), round its upper entries to the grid 2^-k and make the
    projection exact in integers.

    Returns (Z, k, change) with L = Z 2^-k entrywise on (P1, P2); the ordered entries of every
    degree-q monomial sum to exactly zero (checked in integers)."""
    vals = Lt[B.P1, B.P2]
    w = np.where(B.offdiag, 2, 1).astype(np.int64)
    # orthogonal projection in floating point: subtract each monomial's mean over ordered entries
    sf = np.bincount(B.alpha, weights=w * vals, minlength=B.N)
    proj = vals - (sf / B.mult)[B.alpha]
    m = float(np.max(np.abs(proj))) if proj.size else 0.0
    k = 50 - (math.frexp(m)[1] if m > 0 else 0)
    Z = np.rint(np.ldexp(proj, k)).astype(np.int64)
    s = np.zeros(B.N, dtype=np.int64)
    np.add.at(s, B.alpha, w * Z)
    # representative per monomial: a diagonal entry (weight 1) if there is one, else any entry
    # (weight 2; then every entry has weight 2 and s is even).  |s| <= mult 2^51 < 2^63.
    T = B.alpha.size
    rep = np.full(B.N, -1, dtype=np.int64)
    order = np.argsort(w, kind="stable")  # weight-1 (diagonal) entries first
    first = np.full(B.N, T, dtype=np.int64)
    np.minimum.at(first, B.alpha[order], np.arange(T))
    rep = order[first]
    wr = w[rep]
    if np.any(s % wr != 0):  # pragma: no cover - integer identity
        raise AssertionError("exact projection: odd remainder on an off-diagonal monomial")
    Z[rep] -= s // wr
    chk = np.zeros(B.N, dtype=np.int64)
    np.add.at(chk, B.alpha, w * Z)
    if np.any(chk != 0):  # pragma: no cover - integer identity
        raise AssertionError("exact projection failed")
    change = float(np.max(np.abs(np.ldexp(Z.astype(np.float64), -k) - vals))) if vals.size else 0.0
    return Z, k, change


def _sym_arb_from_upper(B: FormBasis, Z: NDArray[np.int64]) -> arb_mat:
    full = np.zeros((B.D, B.D), dtype=object)
    zl = Z.tolist()
    for (i, j, z) in zip(B.P1.tolist(), B.P2.tolist(), zl):
        full[i, j] = z
        full[j, i] = z
    return arb_mat(B.D, B.D, full.ravel().tolist())


def _sphere_moments(B: FormBasis) -> NDArray[np.float64]:
    """E[v^alpha] over the uniform unit sphere for the degree-2k monomials: prod (alpha_j - 1)!! /
    (d (d + 2) ... (d + 2k - 2)) when every alpha_j is even, else 0."""
    ex = B.exponents
    even = np.all(ex % 2 == 0, axis=1)
    dfact = np.ones(ex.shape[0])
    for t in range(1, 2 * B.k, 2):  # (a-1)!! = prod of odd t < a
        dfact *= np.prod(np.where(ex > t, float(t), 1.0), axis=1)
    den = float(np.prod([B.d + 2 * i for i in range(B.k)]))
    return np.where(even, dfact / den, 0.0)


def sos_moment_lower_q(X: ArrayLike, sos_result: TwoToQSoSResult, *,
                       _cache: dict | None = None) -> arb | None:
    """Certified lower bound on the degree-q SoS value (q-th-power units) from its moment matrix.

    Returns None when no strictly feasible rational pseudo-moment could be verified."""
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
    """:func:`sos_moment_lower_q` for a degree-4 result (kept name)."""
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
    rtol, moment :
        As in :func:`two_to_q_certificate`.

    Returns
    -------
    TwoToQCertificate
        With ``analysis`` = ``result``.  The lower bound starts from ``result.maximiser``.

    Raises
    ------
    InputTypeError
        ``result`` is not a TwoToQResult.
    InputValueError
        It has no SoS solution (odd or non-integer q, or computed with ``sos=False``).

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
