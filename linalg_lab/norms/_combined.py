"""``two_to_q``: every registered bound on ||X||_{2->q} (the :data:`~.bounds.BOUNDS` registry).

Units: NORM values everywhere.  Numerical only: the rigorous bracket and verdict come from
``proofs_check.certify_two_to_q(result)`` (the layer rule: linalg_lab never imports proofs_check).
"""
from __future__ import annotations

import dataclasses
import math
import time
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._results import Result, Rigour, Status, field_nojson
from .._validation import InputValueError, check_option, check_real
from ._bounds import _prepare
from ._sos import SOS_SOLVERS, sos_applies
from .bounds import BOUNDS, BoundEstimate, BoundInput, bounds_for

__all__ = ["TwoToQResult", "two_to_q"]


@dataclasses.dataclass(frozen=True)
class TwoToQResult(Result):
    """Every computed bound on ||X||_{2->q} (NORM units), numerical.

    ``bounds`` maps each registered bound that ran (see ``linalg_lab.norms.BOUNDS``) to its
    :class:`~linalg_lab.norms.bounds.BoundEstimate`; ``lower``/``upper`` are the best of each side
    (``lower_by``/``upper_by`` name them) and ``rel_gap`` = (upper - lower) / upper.
    ``maximiser`` is the unit vector attaining ``lower``.  ``sos_result`` (not in JSON) is the SoS
    solution that ``proofs_check.certify_two_to_q`` turns into a rigorous bracket; ``X`` (not in
    JSON) the float64 matrix every bound is about.
    """

    q: float
    d: int
    n: int
    lower: float
    upper: float
    lower_by: str
    upper_by: str
    rel_gap: float
    bounds: dict[str, BoundEstimate]
    maximiser: NDArray[np.float64]
    hilbert_exact: bool
    elapsed_s: float
    status: Status
    reason: str
    rigour: Rigour
    X: NDArray[np.float64] = field_nojson(default=None)
    sos_result: Any = field_nojson(default=None)

    def summary(self) -> str:
        lines = [f"||X||_(2->{self.q:g}) for X of shape ({self.n}, {self.d}): "
                 f"[{self.lower:.12g}, {self.upper:.12g}] (relative gap {self.rel_gap:.3e}, numerical)"]
        for b in self.bounds.values():
            mark = ">=" if b.side == "lower" else "<="
            val = "failed" if math.isnan(b.value) else f"{mark} {b.value:.12g}"
            lines.append(f"  {b.name:<14} {val:<22} {b.label}; factor {b.factor} ({b.elapsed_s:.2f} s)")
        if self.hilbert_exact:
            lines.append("  q = 4, d <= 3: the degree-4 relaxation is exact (Hilbert 1888)")
        lines.append(f"  {self.reason}")
        return "\n".join(lines)


def two_to_q(X: ArrayLike, q: float = 4, *, bounds: Any = None, sos: bool | None = None,
             solver: str | None = None, solver_eps: float | None = None,
             seed: int | None = 0) -> TwoToQResult:
    """Every registered lower and upper bound on ||X||_{2->q} (numerical).

    Parameters
    ----------
    X : (n, d) array_like
        Real finite matrix.
    q : float, default 4
        q > 2.  The spectral and SoS relaxations exist for even integer q >= 4; every q gets the
        power method, the interpolation bound and ||X||_2.
    bounds : sequence of str, optional
        Names from ``linalg_lab.norms.BOUNDS`` to compute (default: every one that applies to q).
        A named bound that does not apply to q is refused.
    sos : bool, optional
        None (default): solve the SoS relaxation when it applies (even q).  True: require it
        (refused for odd or non-integer q).  False: skip it (the cheap bounds only).
    solver, solver_eps : optional
        SoS solver (CLARABEL, SCS or EIGOPT) and its tolerance (see :func:`two_to_q_sos`; default by size).
    seed : int, optional
        Seed of the random power-method starts.

    Returns
    -------
    TwoToQResult
        ``status`` is the SoS solver's (SOLVER_FAILED / INACCURATE) when it ran and failed, else OK.
        Certify it with ``proofs_check.certify_two_to_q(result)`` (even q).

    Raises
    ------
    InputValueError
        Non-finite or empty X; q <= 2 (for q = 2 the norm is the spectral norm); an unknown bound;
        a bound or ``sos=True`` that does not apply to q.

    Notes
    -----
    Cost: that of the SoS solve when it runs (see :func:`two_to_q_sos`), else an SVD and an
    eigenproblem of order min(n, C(d+q/2-1, q/2)).  The power method starts from the roundings
    of the relaxations and 64 random vectors.

    References
    ----------
    S. B. Hopkins, S. Tiegel, "Algorithms with polynomially-improved approximation factors for
    the 2 -> q norm"; B. Barak et al., STOC 2012, arXiv:1205.4484.

    Examples
    --------
    >>> import numpy as np
    >>> r = two_to_q(np.eye(3))
    >>> sorted(r.bounds), round(r.lower, 6), round(r.upper, 6)
    (['interpolation', 'power', 'sos', 'sos-rounding', 'spectral', 'two-norm'], 1.0, 1.0)
    """
    func = "two_to_q"
    X = _prepare(X, func)
    q = check_real(q, "q", func=func)
    if q <= 2:
        raise InputValueError(
            f"{func}: 'q' must be > 2 (the hypercontractive range), got {q!r}; for q = 2 the norm "
            "is the spectral norm (use linalg_lab.spectral_norm), and for q < 2 these bounds do not apply")
    if bounds is not None:
        bounds = [check_option(b, "bounds", tuple(BOUNDS), func=func) for b in
                  ([bounds] if isinstance(bounds, str) else list(bounds))]
        for b in bounds:
            why = BOUNDS[b].applies(q)
            if why:
                raise InputValueError(f"{func}: bound '{b}' does not apply: {why}")
    if sos:
        why = sos_applies(q)
        if why:
            raise InputValueError(f"{func}: sos=True does not apply: {why}")
        if bounds is not None and "sos" not in bounds:
            bounds.append("sos")
    if solver is not None:
        solver = check_option(str(solver).upper(), "solver", tuple(SOS_SOLVERS), func=func)
    solver_eps = check_real(solver_eps, "solver_eps", func=func, lo=0.0, hi=0.1, lo_open=True,
                            allow_none=True)
    return _two_to_q_body(X, q, bounds, sos, solver, solver_eps, seed)


def _two_to_q_body(X: NDArray[np.float64], q: float, names: Any, sos: bool | None, solver: str | None,
                   solver_eps: float | None, seed: int | None) -> TwoToQResult:
    """Unchecked body of :func:`two_to_q`: run the applicable registered bounds in order."""
    t0 = time.perf_counter()
    n, d = X.shape
    found: dict[str, BoundEstimate] = {}
    for b in bounds_for(q, names=names, sos=sos):
        inp = BoundInput(X=X, q=q, seed=seed, solver=solver, solver_eps=solver_eps, found=dict(found))
        found[b.name] = b.compute(inp)
    lows = {k: e for k, e in found.items() if e.side == "lower" and math.isfinite(e.value)}
    ups = {k: e for k, e in found.items() if e.side == "upper" and math.isfinite(e.value)}
    lower_by = max(lows, key=lambda k: lows[k].value) if lows else ""
    upper_by = min(ups, key=lambda k: ups[k].value) if ups else ""
    lower = lows[lower_by].value if lows else 0.0
    upper = ups[upper_by].value if ups else math.inf
    rel = (upper - lower) / upper if upper > 0 and math.isfinite(upper) else (0.0 if upper == 0 else math.inf)
    v = lows[lower_by].maximiser if lows and lows[lower_by].maximiser is not None else np.eye(d)[0]
    sos_est = found.get("sos")
    status, reason = Status.OK, f"best lower bound: {lower_by or 'none'}; best upper bound: {upper_by or 'none'}"
    if sos_est is not None and sos_est.status is not Status.OK:
        status, reason = sos_est.status, f"{sos_est.reason}; {reason}"
    elif sos_est is None and sos_applies(q) and names is None:
        reason += (f"; no SoS relaxation for q = {q:g} (odd or non-integer q: the form is not a "
                   "polynomial sum of squares), so no certificate either")
    return TwoToQResult(
        q=q, d=d, n=n, lower=lower, upper=upper, lower_by=lower_by, upper_by=upper_by, rel_gap=max(rel, 0.0),
        bounds=found, maximiser=np.asarray(v, dtype=np.float64), hilbert_exact=q == 4 and d <= 3,
        elapsed_s=time.perf_counter() - t0, status=status, reason=reason, rigour=Rigour.NUMERICAL, X=X,
        sos_result=None if sos_est is None else sos_est.detail)
