"""Rigorous bounds on ||X||_{2->4} from a floating-point degree-4 SoS solution.

Units: ``upper``/``lower`` are bounds on the NORM; ``upper4``/``lower4`` on its 4th power
max_{|v|=1} sum_i (x_i . v)^4.

Upper bound (Gram side).  In the plain monomial basis m'(v) = (v_a v_b)_{a<=b},
p(v) = m'^T Q' m' with Q' = U^T U (row i of U holds x_a^2 and 2 x_a x_b) and
||v||^4 = m'^T G' m' with G' = diag(1 or 2).  From the solver's Gram matrix S and lambda we form
L~ = lambda G' - Q' - S, which lies near the space K of matrices with m'^T L m' == 0 (the entries
sharing a quartic monomial sum to zero).  We round L~ to a dyadic grid and project it exactly
onto K (subtract each monomial's mean: an orthogonal projection, done in int64 arithmetic), so
S* = lambda G' - Q' - L satisfies lambda ||v||^4 - p(v) = m'(v)^T S* m'(v) EXACTLY.  Then
S* >= mu G' is proved by a floating Cholesky factor R of S* - t G' and an Arb enclosure of the
residual E = S* - t G' - R R^T (mu = t - ||E||_F, using R R^T >= 0 and G' >= I).  Then
lambda ||v||^4 - p(v) >= mu m'^T G' m' = mu ||v||^4, so on the unit sphere p(v) <= lambda - mu
for either sign of mu.  (With S* >= mu I and ||m'(v)||^2 <= ||v||^4 one gets the cruder
lambda + max(0, -mu) of the issue; weighting by G' also credits a positive slack mu > 0.)

Lower bound.  ||X v||_4^4 / ||v||^4 at float vectors v (power method, SoS rounding) evaluated
in Arb.

SoS value lower bound (moment side, optional).  A pseudo-moment vector y with E[||v||^4] = 1
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

from linalg_lab._results import Rigour, Status, field_nojson
from linalg_lab._validation import InputTypeError, InputValueError, as_matrix, check_real
from linalg_lab.norms._basis import QuarticBasis, quartic_basis
from linalg_lab.norms._bounds import fldexp, polish
from linalg_lab.norms._sos import TwoToQSoSResult

from .._arb import lower_float, upper_float, working_prec
from .._certificate import Certificate, Verdict

__all__ = ["TwoToQCertificate", "two_to_q_certificate", "certified_lower4", "sos_moment_lower4",
           "VERDICT_EXACT", "VERDICT_GAP"]

VERDICT_EXACT = "exact (certified)"
VERDICT_GAP = "gap"
_PREC = 160


@dataclasses.dataclass(frozen=True)
class TwoToQCertificate(Certificate):
    """Certified enclosure of ||X||_{2->4} (NORM units; ``*4`` fields are 4th powers).

    ``certified`` is True when ``upper`` is a rigorous upper bound (every rounding accounted
    for); ``lower`` is always rigorous (Arb evaluation at ``maximiser``).  ``verdict`` is
    "exact (certified)" when the bracket is within ``rtol`` (relative), "gap" when the SoS value
    is certified (moment side) to exceed the lower bound by more than ``rtol``, and otherwise
    "bracketed within <rel_gap>".
    """

    upper: float
    upper4: float
    lower: float
    lower4: float
    rel_gap: float
    verdict: str
    proof: Verdict
    certified: bool
    maximiser: NDArray[np.float64]
    sos_lower4: float | None
    sos_lower: float | None
    lam4: float
    mu4: float
    residual_fro: float
    projection_change: float
    hilbert_exact: bool
    rtol: float
    elapsed_s: float
    status: Status
    reason: str
    method: str = ("exact int64 projection onto the coefficient-matching space + Arb-verified "
                   "Cholesky residual of the shifted Gram matrix (Peyrl-Parrilo; Jansson-Chaykin-Keil)")
    rigour: Rigour = Rigour.CERTIFIED
    upper_arb: str = field_nojson(default="")

    def summary(self) -> str:
        lines = [f"||X||_(2->4): {self.verdict}",
                 f"  certified lower {self.lower:.15g}  (4th power {self.lower4:.15g})",
                 f"  {'certified' if self.certified else 'NOT certified'} upper {self.upper:.15g}  "
                 f"(4th power {self.upper4:.15g})",
                 f"  relative gap {self.rel_gap:.3e}"]
        if self.sos_lower is not None:
            lines.append(f"  SoS value certified >= {self.sos_lower:.15g} (moment side)")
        if self.hilbert_exact:
            lines.append("  d <= 3: the degree-4 relaxation is exact (Hilbert 1888)")
        lines.append(f"  {self.reason}")
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


def _root4_upper(x: arb) -> float:
    """Upper bound on max(x, 0)^(1/4) over the ball (inf for a non-finite ball)."""
    if not x.is_finite():
        return math.inf
    return _up(x.upper().nonnegative_part().sqrt().sqrt())


def _root4_lower(x: arb) -> float:
    """Lower bound on max(x, 0)^(1/4) over the ball (0 when the ball reaches 0 or below)."""
    if not x.is_finite() or not (x > 0):
        return 0.0
    return _lo(x.sqrt().sqrt())


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


def _plain_arb(B: QuarticBasis, X: NDArray[np.float64], e: int = 0) -> arb_mat:
    """Exact Arb matrix (D x n) of the plain coefficient vectors u_i (x_a^2, 2 x_a x_b) of the
    exactly scaled matrix X 2^-e (at the working precision, >= 107 bits)."""
    Xs = np.ldexp(X, -e)
    exact_scaling = bool(np.array_equal(np.ldexp(Xs, e), X))
    nz = Xs[Xs != 0]
    if not exact_scaling or (nz.size and (np.min(np.abs(nz)) < 2.0 ** -400
                                          or np.max(np.abs(nz)) > 2.0 ** 400)):
        # The float scaling rounded (entries pushed into the subnormal range) or Dekker's
        # products could underflow/overflow: form them one by one in Arb from the exact X.
        s = arb(2) ** (-e)
        xa = [[arb(float(v)) * s for v in row] for row in X]
        ents = []
        for P in range(B.D):
            f = 1 if B.a[P] == B.b[P] else 2
            ents.extend(xa[i][B.a[P]] * xa[i][B.b[P]] * f for i in range(Xs.shape[0]))
        return arb_mat(B.D, Xs.shape[0], ents)
    p, r = _two_product(Xs[:, B.a], Xs[:, B.b])
    f = np.where(B.a == B.b, 1.0, 2.0)
    p, r = (p * f).T, (r * f).T
    D, n = p.shape
    return arb_mat(D, n, p.ravel().tolist()) + arb_mat(D, n, r.ravel().tolist())


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


def certified_lower4(X: NDArray[np.float64], v: NDArray[np.float64]) -> arb:
    """Arb enclosure of sum_i (x_i . v)^4 / ||v||^4 at the float vector v (exact inputs)."""
    n, d = X.shape
    with working_prec(_PREC):
        Xa = arb_mat(n, d, X.ravel().tolist())
        va = arb_mat(d, 1, [float(t) for t in v])
        z = Xa * va
        s = arb(0)
        for i in range(n):
            zi = z[i, 0]
            s += (zi * zi) ** 2
        nv = (va.transpose() * va)[0, 0]
        return s / (nv * nv)


def _exact_projection(B: QuarticBasis, Lt: NDArray[np.float64]) -> tuple[NDArray[np.int64], int, float]:
    """Round L~ (upper entries) to the grid 2^-k and project exactly onto K.

    Returns (Z, k, change) with L = Z / (12 * 2^k) entrywise on (P1, P2); the ordered entries of
    every quartic monomial sum to exactly zero (checked in integers)."""
    vals = Lt[B.P1, B.P2]
    m = float(np.max(np.abs(vals))) if vals.size else 0.0
    k = 50 - (math.frexp(m)[1] if m > 0 else 0)
    Lh = np.rint(np.ldexp(vals, k)).astype(np.int64)
    w = np.where(B.offdiag, 2, 1).astype(np.int64)
    s = np.zeros(B.N4, dtype=np.int64)
    np.add.at(s, B.alpha, w * Lh)
    Z = 12 * Lh - (12 // B.mult[B.alpha]) * s[B.alpha]
    chk = np.zeros(B.N4, dtype=np.int64)
    np.add.at(chk, B.alpha, w * Z)
    if np.any(chk != 0):  # pragma: no cover - integer identity
        raise AssertionError("exact projection failed")
    change = float(np.max(np.abs(np.ldexp(Z / 12.0, -k) - vals))) if vals.size else 0.0
    return Z, k, change


def _sym_arb_from_upper(B: QuarticBasis, Z: NDArray[np.int64]) -> arb_mat:
    full = np.zeros((B.D, B.D), dtype=object)
    zl = Z.tolist()
    for (i, j, z) in zip(B.P1.tolist(), B.P2.tolist(), zl):
        full[i, j] = z
        full[j, i] = z
    return arb_mat(B.D, B.D, full.ravel().tolist())


def sos_moment_lower4(X: ArrayLike, sos_result: TwoToQSoSResult, *, _cache: dict | None = None) -> arb | None:
    """Certified lower bound on the degree-4 SoS value (4th-power units) from its moment matrix.

    Returns None when no strictly feasible rational pseudo-moment could be verified."""
    func = "sos_moment_lower4"
    X = _exact_float_matrix(X, func)
    _check_result(X, sos_result, func)
    if sos_result.moment is None:
        return None
    n, d = X.shape
    B = quartic_basis(d)
    e = int(sos_result.pow2)
    Y = np.asarray(sos_result.moment, dtype=np.float64)
    if Y.shape != (B.D, B.D) or not np.isfinite(Y).all():
        return None  # nothing usable to verify (a corrupted or foreign moment matrix)
    # pseudo-moments from the diagonal-most representative of each monomial
    y = np.zeros(B.N4)
    cnt = np.zeros(B.N4)
    np.add.at(y, B.alpha, Y[B.P1, B.P2] / (B.c[B.P1] * B.c[B.P2]))
    np.add.at(cnt, B.alpha, 1.0)
    y /= cnt
    ex = B.exponents
    even = np.all(ex % 2 == 0, axis=1)
    # E_sphere[v^alpha]: v_a^4 -> 3/(d(d+2)), v_a^2 v_b^2 -> 1/(d(d+2))
    four = np.any(ex == 4, axis=1)
    ysph = np.where(four, 3.0, np.where(even, 1.0, 0.0)) / (d * (d + 2))
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
    N = sum(int(c) * yi for c, yi in zip(B.norm4.astype(np.int64).tolist(), yint))
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
        return val * arb(2) ** (4 * e)


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
    lam4 = float(sos_result.lam) * float(sos_result.scale4)
    if not (math.isfinite(lam4) and math.isfinite(float(sos_result.scale4))):
        return f"lambda * scale4 = {lam4!r} is not finite"
    # the scaled problem has entries O(n); 2^1000 leaves room for the factors 2 in lam G' - Q' - S
    big = 2.0 ** 1000
    if abs(lam4) > big or not np.all(np.abs(G * float(sos_result.scale4)) <= big):
        return "lambda or the rescaled Gram matrix is beyond 2^1000 (overflow)"
    return ""


def _full_from_alpha(B: QuarticBasis, yint: list[int]) -> list[int]:
    full = np.empty((B.D, B.D), dtype=object)
    for (i, j, al) in zip(B.P1.tolist(), B.P2.tolist(), B.alpha.tolist()):
        full[i, j] = yint[al]
        full[j, i] = yint[al]
    return full.ravel().tolist()


def two_to_q_certificate(X: ArrayLike, sos_result: TwoToQSoSResult, *, lower: Any = None,
                         rtol: float = 1e-6, moment: bool | None = None) -> TwoToQCertificate:
    """Rigorous enclosure of ||X||_{2->4} from a degree-4 SoS solution (and a lower bound).

    Parameters
    ----------
    X : (n, d) array_like
        The matrix the SoS problem was solved for (float64; its entries are taken as exact).
    sos_result : TwoToQSoSResult
        Output of ``linalg_lab.norms.two_to_q_sos(X)``.
    lower : (d,) array_like or result with ``maximiser``, optional
        A further candidate maximiser (e.g. ``two_to_q_lower(X).maximiser``).
    rtol : float, default 1e-6
        Relative width of the certified bracket (norm units) below which the verdict is
        "exact (certified)".
    moment : bool, optional
        Certify a lower bound on the SoS value from the moment matrix (needed for the "gap"
        verdict).  Default: when the numerical bracket exceeds 100 rtol and D <= 400.

    Returns
    -------
    TwoToQCertificate

    Raises
    ------
    InputValueError, InputTypeError
        Bad X, a result of another type, or a result for a matrix of another shape.

    Notes
    -----
    The upper bound is lambda - mu: lambda from the solver, mu a rigorous lower bound on the
    smallest generalised eigenvalue of the exactly projected Gram matrix S* against G' (the Gram
    matrix of ||v||^4), so that lambda ||v||^4 - p(v) >= mu ||v||^4.  Cost: Arb products of a D x (n + D) matrix by its
    transpose (O(D^2 (n + D)) ball operations, a few seconds at d = 40) plus an eigensolve and a
    Cholesky factorisation in floating point.  All Arb work runs at 160 bits, scoped.

    References
    ----------
    H. Peyrl, P. A. Parrilo, "Computing sum of squares decompositions with rational
    coefficients", Theoret. Comput. Sci. 409 (2008) 269-281, doi:10.1016/j.tcs.2008.09.025.
    C. Jansson, D. Chaykin, C. Keil, "Rigorous error bounds for the optimal value in
    semidefinite programming", SIAM J. Numer. Anal. 46 (2007) 180-200, doi:10.1137/050622870.
    S. M. Rump, "Verification of positive definiteness", BIT 46 (2006) 433-452,
    doi:10.1007/s10543-006-0056-1.
    T. J. Dekker, "A floating-point technique for extending the available precision",
    Numer. Math. 18 (1971) 224-242, doi:10.1007/BF01397083 (exact products x_a x_b = p + e).
    D. Hilbert, "Ueber die Darstellung definiter Formen als Summe von Formenquadraten",
    Math. Ann. 32 (1888) 342-350, doi:10.1007/BF01443605.

    Examples
    --------
    >>> import numpy as np
    >>> from linalg_lab.norms import two_to_q_sos
    >>> X = np.eye(3)
    >>> c = two_to_q_certificate(X, two_to_q_sos(X))
    >>> c.certified, c.verdict, c.lower <= 1.0 <= c.upper
    (True, 'exact (certified)', True)
    """
    func = "two_to_q_certificate"
    t0 = time.perf_counter()
    X = _exact_float_matrix(X, func)
    _check_result(X, sos_result, func)
    rtol = check_real(rtol, "rtol", func=func, lo=0.0, hi=1.0, lo_open=True)
    n, d = X.shape
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
        return _trivial_cert(X, t0, rtol, "X is the zero matrix: the norm is 0 exactly")
    if V.size:
        V, vals, _ = polish(X, V, 4.0, maxiter=200)
        v = V[:, int(np.argmax(vals))]
    else:
        v = np.linalg.svd(X, full_matrices=False)[2][0]
    with working_prec(_PREC):
        lo4 = certified_lower4(X, v)
        lower4 = max(_lo(lo4), 0.0)
        lower_n = _root4_lower(lo4)
    if d == 1:
        with working_prec(_PREC):
            up4 = certified_lower4(X, np.ones(1))
            return _finish(up4, lower4, lower_n, v, None, rtol, t0, sos_result, 0.0, 0.0, 0.0,
                           "d = 1: the norm is ||x||_4, enclosed in Arb", certified=True)
    B = quartic_basis(d)
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
            upper=math.inf, upper4=math.inf, lower=lower_n, lower4=lower4, rel_gap=math.inf,
            verdict="not certified", proof=Verdict.UNDECIDED, certified=False, maximiser=v,
            sos_lower4=None, sos_lower=None, lam4=math.nan, mu4=math.nan, residual_fro=math.nan,
            projection_change=math.nan, hilbert_exact=d <= 3, rtol=rtol,
            elapsed_s=time.perf_counter() - t0, status=Status.SOLVER_FAILED,
            reason=f"{unusable}; only the lower bound is certified")
    e = int(sos_result.pow2)
    # The SDP was solved for X 2^-e.  The float Xs below only builds the floating-point guess F;
    # the exact data enter through _plain_arb(B, X, e), which falls back to Arb products when this
    # float scaling is not exact (entries pushed into the subnormal range).
    Xs = np.ldexp(X, -e)
    S = np.asarray(sos_result.gram, dtype=np.float64) * sos_result.scale4
    S = S * B.c[:, None] * B.c[None, :]
    lam = float(sos_result.lam * sos_result.scale4)
    lam = math.nextafter(lam, math.inf)
    U = B.plain_vectors(Xs)
    Qf = U.T @ U
    # G' = diag(1 on squares, 2 on cross terms) EXACTLY: m'(v)^T G' m'(v) = ||v||^4.  (Not B.c ** 2:
    # float sqrt(2) ** 2 = 2.0000000000000004, which would weigh ||v||^4 by up to 1 + 2^-53.)
    g = np.where(B.a == B.b, 1.0, 2.0)
    G = np.diag(g)
    Lt = lam * G - Qf - S
    Z, k, change = _exact_projection(B, Lt)
    Lf = np.zeros((B.D, B.D))
    Lf[B.P1, B.P2] = np.ldexp(Z / 12.0, -k)
    Lf[B.P2, B.P1] = Lf[B.P1, B.P2]
    F = lam * G - Qf - Lf
    with working_prec(_PREC):
        A = _plain_arb(B, X, e)
        Larb = _sym_arb_from_upper(B, Z) * (arb(1) / (arb(12) * arb(2) ** k))
        base = arb_mat(B.D, B.D, (lam * G).ravel().tolist()) - Larb

        def resid(t: float, R: NDArray[np.float64]) -> arb_mat:
            W = arb_mat(B.D, B.D, R.ravel().tolist())
            tG = arb_mat(B.D, B.D, (t * G).ravel().tolist())
            return base - tG - A * A.transpose() - W * W.transpose()

        # S* >= mu G'  ==>  lambda ||v||^4 - p(v) >= mu ||v||^4  ==>  p <= lambda - mu on the sphere
        # (for either sign of mu; the lambda + max(0, -mu) with S* >= mu I is the special
        # case that ignores a positive slack)
        mu, _, efro = _psd_lower(F, resid, weight=g)
        up4 = (arb(lam) - mu) * arb(2) ** (4 * e)
        mu_f = fldexp(_lo(mu), 4 * e)
        sos_lo = None
        want_moment = moment if moment is not None else False
        if moment is None:
            upper_guess = _root4_upper(up4)
            gap_seen = (upper_guess - lower_n) > rtol * upper_guess
            # d <= 3 (Hilbert): the SoS value IS the norm, so its certified moment-side lower
            # bound is a certified lower bound on the norm -- worth it whenever the bracket is open
            want_moment = gap_seen and (d <= 3 or ((upper_guess - lower_n) > 100 * rtol * upper_guess
                                                   and B.D <= 400))
        if want_moment:
            sos_lo = sos_moment_lower4(X, sos_result, _cache={"A": A})
        note = (f"projected Gram matrix S* >= mu G' with mu = {mu_f:.3e} (4th-power units): "
                "upper = lambda - mu")
        if d <= 3:
            note += "; d <= 3: the degree-4 relaxation is exact (Hilbert 1888)"
        return _finish(up4, lower4, lower_n, v, sos_lo, rtol, t0, sos_result, fldexp(lam, 4 * e),
                       mu_f, fldexp(efro, 4 * e), note, certified=True,
                       change=fldexp(change, 4 * e))


def _finish(up4: arb, lower4: float, lower_n: float, v: NDArray[np.float64], sos_lo: arb | None,
            rtol: float, t0: float, sos_result: TwoToQSoSResult, lam4: float, mu4: float,
            efro: float, note: str, *, certified: bool, change: float = 0.0) -> TwoToQCertificate:
    with working_prec(_PREC):
        # an upper bound on the 4th power that is NaN/infinite proves nothing: report inf, uncertified
        if not up4.is_finite():
            certified = False
            note += "; the upper bound is not finite (not certified)"
        upper4 = _up(up4) if up4.is_finite() else math.inf
        upper = _root4_upper(up4)
        s_lo4 = _lo(sos_lo) if sos_lo is not None and sos_lo.is_finite() else None
        s_lo = _root4_lower(sos_lo) if s_lo4 is not None and sos_lo > 0 else None
    if sos_result.d <= 3 and s_lo is not None and s_lo > lower_n:
        # Hilbert 1888: for d <= 3 the degree-4 SoS value equals the norm, so a certified lower
        # bound on the SoS value is a certified lower bound on the norm.
        lower_n, lower4 = s_lo, s_lo4
        note += "; lower bound from the SoS moment side (equal to the norm for d <= 3, Hilbert)"
    rel = math.inf if upper == math.inf else (upper - lower_n) / upper if upper > 0 else 0.0
    if rel <= rtol:
        verdict, proof = VERDICT_EXACT, Verdict.PROVED
        reason = f"certified bracket of relative width {rel:.2e} <= rtol = {rtol:g}; {note}"
    elif s_lo is not None and s_lo > lower_n * (1 + rtol):
        verdict, proof = VERDICT_GAP, Verdict.PROVED
        reason = (f"the SoS value is certified >= {s_lo:.12g} > certified lower bound {lower_n:.12g}: "
                  "the relaxation (or the lower bound) is not tight; the norm lies in [lower, upper]; "
                  + note)
    elif not certified:
        verdict, proof = "not certified", Verdict.UNDECIDED
        reason = f"no certified upper bound; {note}"
    else:
        verdict, proof = f"bracketed within {rel:.2e}", Verdict.UNDECIDED
        reason = (f"certified bracket of relative width {rel:.2e} > rtol = {rtol:g} (solver accuracy or "
                  f"a loose relaxation); tighten eps or run with moment=True; {note}")
    status = Status.OK if certified else Status.NOT_CERTIFIED
    return TwoToQCertificate(
        upper=upper, upper4=upper4, lower=lower_n, lower4=lower4, rel_gap=rel, verdict=verdict,
        proof=proof, certified=certified, maximiser=v / np.linalg.norm(v), sos_lower4=s_lo4,
        sos_lower=s_lo, lam4=lam4, mu4=mu4, residual_fro=efro, projection_change=change,
        hilbert_exact=sos_result.d <= 3, rtol=rtol, elapsed_s=time.perf_counter() - t0,
        status=status, reason=reason, upper_arb=str(up4))


def _trivial_cert(X: NDArray[np.float64], t0: float, rtol: float, reason: str) -> TwoToQCertificate:
    d = X.shape[1]
    v = np.zeros(d)
    v[0] = 1.0
    return TwoToQCertificate(
        upper=0.0, upper4=0.0, lower=0.0, lower4=0.0, rel_gap=0.0, verdict=VERDICT_EXACT,
        proof=Verdict.PROVED, certified=True, maximiser=v, sos_lower4=None, sos_lower=None, lam4=0.0,
        mu4=0.0, residual_fro=0.0, projection_change=0.0, hilbert_exact=d <= 3, rtol=rtol,
        elapsed_s=time.perf_counter() - t0, status=Status.OK, reason=reason)
