"""The best degree mix for a matrix-product budget: a dynamic programme over greedy minimax steps.

A degree-``(2m-1)`` step costs ``m`` matrix products (cubic 2, quintic 3, septic 4).  For the plain
greedy design (no cushion, no safety) every interval after the first is ``[l, 2 - l]``, so the
state is the lower end ``l`` alone, and the next lower end ``g_d(l) = 1 - E_d(l, 2 - l)`` is
increasing in ``l`` (a wider interval cannot be approximated better).  Hence the largest lower end
reachable with ``b`` products satisfies ``best(b) = max_d g_d(best(b - cost_d))``, and the
worst-case error ``1 - best(b)`` is the optimum over **every** sequence of the allowed degrees with
at most ``b`` products: by the Polar Express theorem the greedy composition is optimal for each
fixed sequence, and the programme compares all sequences at once.

References
----------
.. [1] N. Amsel, D. Persson, C. Musco, R. M. Gower, arXiv:2505.16932 (greedy optimality).
"""
from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence

import mpmath

from .._results import Result, Rigour, Status
from .._validation import InputValueError, check_int, check_real
from .design import NSDesign, design_schedule
from .remez import DEFAULT_DPS, extremes, minimax_body

__all__ = ["BudgetDesign", "design_budget", "step_cost"]

_FUNC = "design_budget"


def step_cost(degree: int) -> int:
    """Matrix products of one odd step of this degree: ``(degree + 1) / 2`` (Gram, powers, final product)."""
    return (degree + 1) // 2


@dataclasses.dataclass(frozen=True)
class BudgetDesign(Result):
    """Best greedy design within a matrix-product budget.

    Attributes
    ----------
    budget : int
        The product budget.
    degrees : tuple of int
        The optimal degree sequence (its cost is ``products <= budget``).
    design : NSDesign
        :func:`design_schedule` of that sequence (rounded schedule and design record).
    error : float
        Predicted worst error ``max |1 - P|`` on ``[lo, upper]`` of the unrounded design.
    best_by_products : tuple of (int, float, tuple)
        For every product count ``b <= budget`` reachable: ``(b, predicted error, degree sequence)``.
    """

    lo: float
    upper: float
    budget: int
    allowed: tuple[int, ...]
    degrees: tuple[int, ...]
    products: int
    error: float
    design: NSDesign
    best_by_products: tuple[tuple[int, float, tuple[int, ...]], ...]
    elapsed_s: float
    rigour: Rigour
    status: Status
    reason: str


def design_budget(*, lo: float, budget: int, degrees: Sequence[int] = (3, 5, 7), upper: float = 1.0,
                  digits: int = 16) -> BudgetDesign:
    """Smallest designable worst-case error with at most ``budget`` matrix products.

    Parameters
    ----------
    lo : float
        Lower bound on the normalised singular values, ``0 < lo <= upper``.
    budget : int
        Matrix products allowed (>= the cheapest step's cost).
    degrees : sequence of int, optional
        Allowed odd step degrees (default cubic, quintic, septic).
    upper : float, optional
        Upper bound on the singular values (default 1).
    digits : int, optional
        Significant digits of the returned schedule's coefficients.

    Returns
    -------
    BudgetDesign
        The optimal degree sequence, its design and the best error for every smaller budget.

    Notes
    -----
    ``budget * len(degrees)`` Remez exchanges at 40+ digits (~1 s for budget 24, three degrees).

    Examples
    --------
    >>> r = design_budget(lo=1e-3, budget=15, degrees=(3, 5))
    >>> r.ok, r.degrees, r.error <= design_schedule(lo=1e-3, steps=5).error
    (True, (5, 5, 5, 5, 5), True)
    """
    lo = check_real(lo, "lo", func=_FUNC, lo=0.0, lo_open=True)
    upper = check_real(upper, "upper", func=_FUNC, lo=0.0, lo_open=True)
    if lo >= upper:
        raise InputValueError(f"{_FUNC}: 'lo' must be < 'upper', got lo={lo!r} >= upper={upper!r}")
    degs = tuple(sorted({check_int(d, "degrees", func=_FUNC, minimum=3, maximum=21) for d in degrees}))
    if not degs or any(d % 2 == 0 for d in degs):
        raise InputValueError(f"The 'degrees' parameter of {_FUNC} must list odd degrees >= 3. Got {list(degrees)!r} instead.")
    cheapest = min(step_cost(d) for d in degs)
    budget = check_int(budget, "budget", func=_FUNC, minimum=cheapest, maximum=200)
    t0 = time.perf_counter()
    ok, why = True, ""
    with mpmath.workdps(DEFAULT_DPS):
        # best[b] = (lower end, sequence) reachable with exactly b products; state at b = 0 is [lo, upper]
        best: dict[int, tuple] = {0: (mpmath.mpf(lo), ())}
        for b in range(1, budget + 1):
            cand = None
            for d in degs:
                prev = best.get(b - step_cost(d))
                if prev is None:
                    continue
                l, seq = prev
                u = mpmath.mpf(upper) if not seq else 2 - l
                c, E, _, _, _, conv = minimax_body(l, u, d, dps=DEFAULT_DPS)
                if not conv:
                    ok, why = False, f"a Remez exchange on [{float(l):.6g}, {float(u):.6g}] (degree {d}) did not converge"
                nl = extremes(c, l, u)[0]
                if cand is None or nl > cand[0]:
                    cand = (nl, seq + (d,))
            if cand is not None:
                best[b] = cand
        table = []
        for b in sorted(best):
            if b == 0:
                continue
            l, seq = best[b]
            table.append((b, float(1 - l), seq))
    # the best within the budget (more products never hurt in exact arithmetic, but take the min anyway)
    b_star, err_star, seq_star = min(table, key=lambda t: (t[1], t[0]))
    des = design_schedule(lo=lo, steps=len(seq_star), degree=seq_star, upper=upper, digits=digits)
    if not des.ok:
        ok, why = False, des.reason
    return BudgetDesign(lo=lo, upper=upper, budget=budget, allowed=degs, degrees=seq_star, products=b_star,
                        error=des.error, design=des, best_by_products=tuple(table),
                        elapsed_s=time.perf_counter() - t0, rigour=Rigour.REFERENCE,
                        status=Status.OK if ok else Status.SOLVER_FAILED, reason=why)
