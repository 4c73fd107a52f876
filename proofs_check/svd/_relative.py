"""Relatively tight singular-value enclosures from the exact float entries, in Arb.

Two proofs, tried in this order at doubling precision until every interval is narrow enough:

**Jacobi-preconditioned (Ostrowski).**  With ``m ≥ n`` (else ``Aᵀ``), a one-sided Jacobi SVD in
floating point (``linalg_lab.svd``'s ``jacobi`` method, relatively accurate on graded matrices)
gives a square ``V``.  In Arb, ``H = (AV)ᵀ(AV) = Vᵀ G V`` with ``G = AᵀA``; write ``H = D C D`` with
``D = diag(√h_ii)`` and ``η ≥ ‖C − I‖₂``, ``ν ≥ ‖VᵀV − I‖₂``.  Ostrowski's theorem
(``λ_i(S M Sᵀ) = θ_i λ_i(M)``, ``θ_i ∈ [λ_min(SSᵀ), λ_max(SSᵀ)]``) applied twice gives

    σ_i² ∈ [ (1 − η) d_(i)² / (1 + ν),  (1 + η) d_(i)² / (1 − ν) ]

with ``d_(i)²`` the i-th largest ``h_ii`` (its ball's i-th largest lower / upper endpoint): a
*relative* width ``≈ 2(η + ν)``, of order ``n·u`` for matrices that Jacobi treats accurately,
however wide the range of the singular values.  It needs ``η, ν < 1`` (no exactly zero singular
values).

**Gram eigenvalues.**  Every float64 entry is an exact Arb ball, so the Gram matrix ``G = AᵀA`` (or ``AAᵀ`` when m < n)
is enclosed entrywise with radii of about ``2^-prec ‖G‖``.  Arb's ``acb_mat.eig`` (the
van der Hoeven–Mourrain algorithm; Rump's for clusters with ``multiple=True``) returns balls each
proved to contain an eigenvalue, isolated from the others.  G is symmetric, so its eigenvalues are
real: each lies in the real part of its ball; sorted disjoint balls give the i-th largest
eigenvalue ``σ_i²``, and ``σ_i = √max(λ_i, 0)``.  The absolute error ``2^-prec ‖G‖`` becomes a
relative error ``2^-prec (σ₁/σ_i)²`` in ``σ_i²``, so the precision is doubled (from
``2 log2(σ₁/σ_min) + 64`` bits) until every interval is narrow enough or the time budget is
spent.  (Arb's approximate QR eigensolver fails to isolate the eigenvalues of very graded Gram
matrices, e.g. 60×60 over 100 orders; the Jacobi route handles those.)

The new intervals are intersected with the given enclosures (all are proved).
"""
from __future__ import annotations

import dataclasses
import math
import time

import numpy as np
from flint import acb_mat, arb, arb_mat
from numpy.typing import NDArray

from linalg_lab.internal import Result, Rigour, Status

from .._arb import lower_float, upper_float, working_prec

__all__ = ["RELATIVE_RTOL", "RELATIVE_TIME_BUDGET_S", "RelativeRefinement", "refine_relative"]

#: Default requested relative width of each singular value's interval.
RELATIVE_RTOL = 1e-10
#: Default seconds allowed for the refinement.
RELATIVE_TIME_BUDGET_S = 30.0
#: Precision cap (bits): beyond it an eigenvalue cluster is not going to separate.
_MAX_PREC = 1 << 16


@dataclasses.dataclass(frozen=True)
class RelativeRefinement(Result):
    """What the relative refinement did.

    ``rtol``: requested relative width; ``prec``: the last Arb precision tried (bits);
    ``attempts``: precisions tried; ``refined``: indices (0-based) whose intervals the Gram
    enclosure narrowed; ``not_tightened``: indices still wider than ``rtol`` relative (zero or
    clustered singular values, or the budget ran out); ``max_relative_width``: over all indices;
    ``elapsed_s``.  Status OK when ``not_tightened`` is empty, else BRACKET_TOO_WIDE.
    """

    rtol: float
    prec: int
    attempts: list[int]
    refined: list[int]
    not_tightened: list[int]
    max_relative_width: float
    elapsed_s: float
    status: Status
    reason: str
    rigour: Rigour

    def summary(self) -> str:
        return (f"relative refinement: {len(self.refined)} re-certified at up to {self.prec} bits, max relative "
                f"width {self.max_relative_width:.2e} (requested {self.rtol:.1e}), not tightened: "
                f"{self.not_tightened or 'none'}; {self.elapsed_s:.3g} s")


def _rel_widths(lower: NDArray, upper: NDArray) -> NDArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(lower > 0, (upper - lower) / np.where(lower > 0, lower, 1.0), np.inf)


def _intersect(lo_sq: list[arb], hi_sq: list[arb], want: list[int], lower: NDArray, upper: NDArray,
               refined: set[int], prec: int) -> None:
    """Intersect ``[lower_i, upper_i]`` with ``[√lo_sq_i, √hi_sq_i]`` (outward-rounded) for i in want."""
    with working_prec(prec):
        for i in want:
            a, b = lo_sq[i], hi_sq[i]
            lo = a.sqrt().lower() if a.lower() > 0 else arb(0)
            hi = b.sqrt().upper() if b.upper() > 0 else arb(0)
            lf, uf = max(lower_float(arb(lo)), 0.0), upper_float(arb(hi))
            if lf > lower[i] or uf < upper[i]:
                refined.add(i)
            # both enclosures are proved: intersect
            lower[i], upper[i] = max(lower[i], lf), min(upper[i], uf)


def _gram_eigenvalues(A: NDArray, prec: int) -> list[arb] | None:
    """Proved enclosures of the eigenvalues of the exact Gram matrix, sorted descending; None when
    Arb cannot isolate them (or order them) at this precision."""
    m, n = A.shape
    with working_prec(prec):
        Aa = arb_mat(m, n, [float(v) for v in A.ravel()])
        G = Aa.transpose() * Aa if m >= n else Aa * Aa.transpose()
        try:
            E = acb_mat(G).eig()
        except ValueError:  # "failed to isolate eigenvalues": try clusters with multiplicity
            try:
                E = acb_mat(G).eig(multiple=True)
            except ValueError:  # not even clusters separate at this precision: a failing attempt
                return None
        lam = sorted((e.real for e in E), key=lambda x: float(x.mid()), reverse=True)
        for a, b in zip(lam, lam[1:]):
            same = a.mid() == b.mid() and a.rad() == b.rad()
            if not same and not a.lower() > b.upper():
                return None  # overlapping balls: the index of each eigenvalue is not proved
        return lam


def _ostrowski_bounds(A: NDArray, V: NDArray, prec: int) -> tuple[list[arb], list[arb]] | None:
    """Proved ``[lower_i, upper_i]`` for ``σ_i²`` (descending) from the Jacobi ``V`` (module docstring);
    None when ``η`` or ``ν`` is not below 1 at this precision."""
    m, n = A.shape
    with working_prec(prec):
        Aa = arb_mat(m, n, [float(v) for v in A.ravel()])
        Va = arb_mat(n, n, [float(v) for v in V.ravel()])
        W = Aa * Va
        H = W.transpose() * W
        M = Va.transpose() * Va
        diag = [H[i, i] for i in range(n)]
        if not all(d.lower() > 0 for d in diag):
            return None
        root = [d.sqrt() for d in diag]
        eta2 = arb(0)
        nu2 = arb(0)
        for i in range(n):
            for j in range(n):
                if i != j:
                    c = H[i, j] / (root[i] * root[j])
                    eta2 += c * c
                    nu2 += M[i, j] * M[i, j]
                else:
                    nu2 += (M[i, i] - 1) * (M[i, i] - 1)
        eta, nu = eta2.sqrt(), nu2.sqrt()  # Frobenius norms bound the 2-norms
        if not (eta.upper() < 1 and nu.upper() < 1):
            return None
        eta_u, nu_u = arb(eta.upper()), arb(nu.upper())
        lows = sorted((arb(d.lower()) for d in diag), key=lambda x: x, reverse=True)
        highs = sorted((arb(d.upper()) for d in diag), key=lambda x: x, reverse=True)
        lo = [(1 - eta_u) * x / (1 + nu_u) for x in lows]
        hi = [(1 + eta_u) * x / (1 - nu_u) for x in highs]
        return lo, hi


def _jacobi_v(A: NDArray) -> NDArray | None:
    """The right singular vectors of a one-sided Jacobi SVD of ``A`` (m >= n) in floating point."""
    from linalg_lab.svd import svd_by_optimization

    res = svd_by_optimization(A, method="jacobi")
    if not (res.ok and np.isfinite(res.Vt).all()):
        return None  # not converged: the Gram route is tried instead
    return np.ascontiguousarray(res.Vt.T)


def refine_relative(A: NDArray, lower: NDArray, upper: NDArray, *, rtol: float = RELATIVE_RTOL,
                    time_budget_s: float = RELATIVE_TIME_BUDGET_S, s_hint: NDArray | None = None
                    ) -> tuple[NDArray, NDArray, RelativeRefinement]:
    """Narrow proved intervals ``[lower_i, upper_i]`` of the singular values of the float64 ``A``
    (sorted descending) until each has relative width ``≤ rtol`` or ``time_budget_s`` is spent.

    Parameters
    ----------
    A : (m, n) ndarray
        The float64 matrix (already validated; its entries are taken exactly).
    lower, upper : (min(m, n),) ndarray
        Proved enclosures (e.g. from :func:`singular_value_enclosures`).
    rtol : float
        Requested ``(upper − lower)/lower``.
    time_budget_s : float
        Wall-clock seconds for the refinement (at least one attempt is made).
    s_hint : (min(m, n),) ndarray, optional
        Floating-point singular values, used only to choose the starting precision.

    Returns
    -------
    (lower, upper, RelativeRefinement)
        The intersected intervals (outward-rounded floats) and what was done.

    References
    ----------
    .. [1] J. van der Hoeven, B. Mourrain, "Efficient certification of numeric solutions to
       eigenproblems", MACIS 2017, doi:10.1007/978-3-319-72453-9_6 (Arb's ``acb_mat_eig_simple``).
    .. [2] S. M. Rump, "Computational error bounds for multiple or nearly multiple eigenvalues",
       Linear Algebra Appl. 324 (2001) 209–226, doi:10.1016/S0024-3795(00)00279-2.
    .. [3] F. Johansson, "Arb: efficient arbitrary-precision midpoint-radius interval arithmetic",
       IEEE Trans. Comput. 66 (2017) 1281–1292, doi:10.1109/TC.2017.2690633.
    """
    t0 = time.perf_counter()
    lower, upper = lower.copy(), upper.copy()
    p = lower.size
    rw = _rel_widths(lower, upper)
    want = [i for i in range(p) if not rw[i] <= rtol]
    refined: set[int] = set()
    attempts: list[int] = []
    # the spread of the spectrum from the positive lower bounds and the floating-point values
    # (normwise accurate only, so possibly orders too large; the doubling below makes up for it)
    pos = np.concatenate([lower[lower > 0], s_hint[s_hint > 0]]) if s_hint is not None else lower[lower > 0]
    spread = math.log2(float(upper[0]) / float(pos.min())) if pos.size and upper[0] > 0 else 0.0
    # the relative error of sigma_i^2 is about 2^-prec (s1/s_i)^2; 64 bits more give ~1e-19 at the smallest
    prec = int(2 * max(spread, 0.0) + 64 + math.log2(1.0 / rtol))
    prec = max(128, min(prec, _MAX_PREC))
    B = A if A.shape[0] >= A.shape[1] else A.T  # same singular values
    V = _jacobi_v(B) if want else None
    while want and prec <= _MAX_PREC:
        attempts.append(prec)
        bounds = _ostrowski_bounds(B, V, prec) if V is not None else None
        if bounds is not None:
            _intersect(bounds[0], bounds[1], want, lower, upper, refined, prec)
            rw = _rel_widths(lower, upper)
            want = [i for i in range(p) if not rw[i] <= rtol]
        if want and time.perf_counter() - t0 <= time_budget_s / 3:
            lam = _gram_eigenvalues(A, prec)
            if lam is not None:
                _intersect([arb(x.lower()) for x in lam], [arb(x.upper()) for x in lam], want, lower, upper,
                           refined, prec)
        rw = _rel_widths(lower, upper)
        want = [i for i in range(p) if not rw[i] <= rtol]
        if not want or time.perf_counter() - t0 > time_budget_s / 3:  # the next attempt costs ~2-4x more
            break
        prec *= 2
    finite = rw[np.isfinite(rw)]
    maxrw = float(rw.max()) if rw.size else 0.0
    el = time.perf_counter() - t0
    if want:
        zero = [i for i in want if lower[i] == 0.0]
        reason = (f"{len(want)} singular value(s) still wider than {rtol:.1e} relative after Arb at "
                  f"{attempts[-1] if attempts else 0} bits in {el:.3g} s (indices {want[:10]}"
                  f"{'...' if len(want) > 10 else ''}; {len(zero)} of them may be zero: a zero singular "
                  "value has no relative width); raise time_budget_s")
        status = Status.BRACKET_TOO_WIDE
    else:
        reason = (f"every interval within {rtol:.1e} relative (max {float(finite.max()) if finite.size else 0.0:.2e}) "
                  f"after Arb Gram eigenvalues at {attempts[-1] if attempts else 0} bits in {el:.3g} s")
        status = Status.OK
    return lower, upper, RelativeRefinement(
        rtol=float(rtol), prec=attempts[-1] if attempts else 0, attempts=attempts, refined=sorted(refined),
        not_tightened=want, max_relative_width=maxrw, elapsed_s=el, status=status, reason=reason,
        rigour=Rigour.CERTIFIED)
