"""Relatively tight singular-value enclosures: rigorous eigenvalues of the exact Gram matrix in Arb.

Every float64 entry is an exact Arb ball, so the Gram matrix ``G = AᵀA`` (or ``AAᵀ`` when m < n)
is enclosed entrywise with radii of about ``2^-prec ‖G‖``.  Arb's ``acb_mat.eig`` (the
van der Hoeven–Mourrain algorithm; Rump's for clusters with ``multiple=True``) returns balls each
proved to contain an eigenvalue, isolated from the others.  G is symmetric, so its eigenvalues are
real: each lies in the real part of its ball; sorted disjoint balls give the i-th largest
eigenvalue ``σ_i²``, and ``σ_i = √max(λ_i, 0)``.  The absolute error ``2^-prec ‖G‖`` becomes a
relative error ``2^-prec (σ₁/σ_i)²`` in ``σ_i²``, so the precision is doubled (from
``2 log2(σ₁/σ_min) + 64`` bits) until every interval is narrow enough or the time budget is
spent.  The new balls are intersected with the given enclosures (both are proved).
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
    while want and prec <= _MAX_PREC:
        attempts.append(prec)
        lam = _gram_eigenvalues(A, prec)
        if lam is not None:
            with working_prec(prec):
                for i in want:
                    li = lam[i]
                    lo_sq = li.lower()
                    lo = arb(lo_sq).sqrt().lower() if lo_sq > 0 else arb(0)
                    hi = arb(li.upper()).sqrt().upper()
                    lf, uf = max(lower_float(arb(lo)), 0.0), upper_float(arb(hi))
                    if lf > lower[i] or uf < upper[i]:
                        refined.add(i)
                    # both enclosures are proved: intersect
                    lower[i], upper[i] = max(lower[i], lf), min(upper[i], uf)
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
