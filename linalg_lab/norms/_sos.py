"""Degree-q sum-of-squares (SoS) relaxation of ||X||_{2->q} for even q >= 4 (Clarabel through
cvxpy for small problems; SCS in its standard form; or, without an SDP solver, the eigenvalue
optimisation min_{L in K} lambda_max(Qs + L) of :mod:`._eigopt`).

Units: ``upper`` is the NORM bound (the q-th root); ``upper_q`` is the bound on
max_{|v|=1} sum_i (x_i . v)^q.
"""
from __future__ import annotations

import dataclasses
import math
import time
import warnings
from typing import Any, Callable, NamedTuple

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from .._results import Result, Rigour, Status, field_nojson
from .._validation import InputValueError, check_option, check_real
from ._basis import FormBasis, form_basis
from ._bounds import _prepare, fldexp, fpow, q_norm_value
from ..layers._threads import one_blas_thread
from ._eigopt import eigopt_solve
from ._scs_direct import scs_moment_solve

__all__ = ["TwoToQSoSResult", "two_to_q_sos", "SOS_SOLVERS", "default_solver", "sos_applies"]

#: Solvers the relaxation accepts: name -> (backend name, options builder(eps) -> dict).  CLARABEL
#: runs through cvxpy, SCS in its standard form (:mod:`._scs_direct`), EIGOPT is the eigenvalue
#: optimisation of :mod:`._eigopt` (eps: the relative gap between its upper bound and its lower
#: estimate of the SoS value at which it stops; maxiter: most eigendecompositions).
SOS_SOLVERS: dict[str, tuple[str, Callable[[float], dict[str, Any]]]] = {
    "CLARABEL": ("CLARABEL", lambda eps: {"tol_feas": eps, "tol_gap_abs": eps, "tol_gap_rel": eps,
                                          "max_iter": 200}),
    "SCS": ("SCS", lambda eps: {"eps_abs": eps, "eps_rel": eps, "max_iters": 100000}),
    "EIGOPT": ("EIGOPT", lambda eps: {"tol": eps, "maxiter": 600}),
}

#: Default accuracy of each solver when it is named explicitly (``default_solver`` may choose
#: another by size).
SOLVER_EPS = {"CLARABEL": 1e-7, "SCS": 1e-6, "EIGOPT": 1e-8}

#: Largest number of degree-2k monomials N solved by the interior-point solver by default
#: (q = 4: N = C(d+3, 4) = 715 at d = 10; its Schur complement is N x N and dense).
CLARABEL_MAX_N = 715


def sos_applies(q: float) -> str:
    """'' when the degree-q SoS relaxation exists for this q (even q >= 4), else why not.

    Parameters
    ----------
    q : float
        The exponent of ||X||_{2->q}.

    Returns
    -------
    str
        The empty string when q is an even integer >= 4; otherwise a sentence saying why the
        relaxation does not apply (the text :func:`two_to_q_sos` raises with).

    Examples
    --------
    >>> sos_applies(4) == "", sos_applies(5) == ""
    (True, False)
    """
    if q >= 4 and float(q).is_integer() and int(q) % 2 == 0:
        return ""
    return (f"the degree-q SoS relaxation needs an even integer q >= 4 (the form sum_i (x_i.v)^q is a "
            f"polynomial only for integer q, and a sum of squares only for even q); got q = {q:g}")


def default_solver(d: int, q: int = 4) -> tuple[str, float]:
    """Solver and accuracy chosen for the size.

    q = 4: Clarabel (interior point, 1e-7) while the number of degree-4 monomials N <= 715
    (d <= 10); EIGOPT (eigenvalue optimisation, stopped at a relative gap of 1e-8 between its
    bound and its lower estimate) beyond.  Measured on Gaussian X (n = 2 d^2, one BLAS thread,
    load 1-4 on 2 cores; benchmarks/bench_norms.py): EIGOPT at 1e-7 took 0.2 s at d = 16, 0.5 s at
    d = 20, 2-5 s at d = 30 (SCS at 1e-6: 8.8 s), 11 s at d = 40 and 38 s at d = 50, and its
    value agreed with SCS/Clarabel within its own gap; 1e-8 instead of 1e-7 costs 2-10% more
    evaluations there, and is still reached on the non-tight gap instance (1e-9 is not: its
    moment-side estimate stalls at 1.8e-9).  q > 4: SCS at 1e-6 (1e-5 beyond
    N = 20475); measured ~30x faster than Clarabel at q = 6, 8 (d = 5, 6) and as accurate.

    Parameters
    ----------
    d : int
        Number of variables (columns of X), d >= 1.
    q : int, default 4
        Even exponent q >= 4 of the relaxation.  Neither argument is validated
        (:func:`two_to_q_sos` checks them before calling this): the rule reads only
        N = C(d+q-1, q) (``math.comb``) and whether q > 4.

    Returns
    -------
    solver : str
        A key of :data:`SOS_SOLVERS`: ``"CLARABEL"``, ``"EIGOPT"`` or ``"SCS"``.
    eps : float
        The accuracy to run it at (dimensionless: the solver's relative feasibility and gap
        tolerances; for EIGOPT the relative gap at which it stops).

    Examples
    --------
    >>> default_solver(8), default_solver(40), default_solver(6, q=6)
    (('CLARABEL', 1e-07), ('EIGOPT', 1e-08), ('SCS', 1e-06))
    """
    N = math.comb(d + q - 1, q)
    if q > 4:
        return "SCS", 1e-6 if N <= 20475 else 1e-5
    if N <= CLARABEL_MAX_N:
        return "CLARABEL", 1e-7
    return "EIGOPT", SOLVER_EPS["EIGOPT"]


@dataclasses.dataclass(frozen=True)
class TwoToQSoSResult(Result):
    """The degree-q SoS bound on ||X||_{2->q} (even q) with its moment and Gram solutions.

    Attributes
    ----------
    upper, upper_q : float
        The SoS upper bound on the NORM and on its q-th power (the dual objective lambda; an upper
        bound up to the solver's accuracy; ``proofs_check.certify_two_to_q`` makes it rigorous).
    primal_q : float
        Moment (primal) objective, a lower estimate of the SoS value (q-th-power units).  EIGOPT:
        the larger of p at its rounded, polished maximiser (<= the norm's q-th power) and the
        objective of its PSD-corrected pseudo-moments; (upper_q - primal_q) / upper_q is the
        relative gap it stopped at.
    q, k : int
        The even exponent and its half (monomials of degree k = q/2).
    flat : bool
        The moment matrix is numerically rank one, which proves (up to solver accuracy) that the
        relaxation is exact and yields ``maximiser``.  EIGOPT: the bound is within solver_eps
        (relative) of p at the rounded maximiser, which proves the same directly.
    rank_ratio : float
        Second over first eigenvalue of the moment matrix.
    maximiser : (d,) array
        Unit vector rounded from the moment matrix (always filled; exact when ``flat``).
    candidates : (k, d) array
        Further roundings (top eigenvectors of the moment matrix), for the power method.
    gram, moment : (D, D) arrays
        Gram matrix S (lambda ||v||^q - p(v) = m(v)^T S m(v)) and moment matrix Y in the
        orthonormal monomial basis, both for the SCALED problem p / ``scale_q``.
    lam : float
        lambda of the scaled problem (``upper_q = lam * scale_q``): lambda_max(Qs + L) for the
        solver's kernel part L projected (in floating point) onto the kernel -- the best bound
        that kernel part gives, second-order accurate in the solver's error when the relaxation is
        tight; ``gram`` = lam I - Qs - L matches it.
    lam_raw : float
        The solver's dual objective itself (scaled units).
    scale_q, pow2 : float, int
        Scaling: the SDP was solved for p'(v) / scale_q, where p' is the form of the exactly
        scaled X' = X 2^-pow2 and scale_q = lambda_max(Q') (its spectral bound), so that no
        overflow or underflow occurs; ``upper_q = lam * scale_q * 2^(q pow2)``.
    hilbert_exact : bool
        q = 4 and d <= 3: every non-negative ternary quartic is SoS (Hilbert 1888), so the
        relaxation equals the true norm.
    solver_iters : int
        The solver's iterations (EIGOPT: eigendecompositions of order D); -1 when not reported.
    """

    upper: float
    upper_q: float
    primal_q: float
    q: int
    d: int
    n: int
    D: int
    solver: str
    solver_eps: float
    solver_status: str
    flat: bool
    rank_ratio: float
    hilbert_exact: bool
    maximiser: NDArray[np.float64]
    setup_s: float
    solve_s: float
    elapsed_s: float
    lam: float
    lam_raw: float
    scale_q: float
    pow2: int
    status: Status
    reason: str
    rigour: Rigour
    candidates: NDArray[np.float64] = field_nojson(default=None)
    gram: NDArray[np.float64] | None = field_nojson(default=None)
    moment: NDArray[np.float64] | None = field_nojson(default=None)
    solver_iters: int = -1

    @property
    def k(self) -> int:
        return self.q // 2

    def summary(self) -> str:
        lines = [f"degree-{self.q} SoS bound: ||X||_(2->{self.q}) <= {self.upper:.12g}  "
                 f"({self.q}th power {self.upper_q:.12g}; {self.rigour.value})",
                 f"  solver {self.solver} (solver_eps {self.solver_eps:g}): {self.solver_status}; "
                 f"setup {self.setup_s:.2f} s, solve {self.solve_s:.2f} s",
                 f"  moment matrix {'flat (rank one): relaxation exact' if self.flat else 'not flat'}"
                 f" (lambda_2/lambda_1 = {self.rank_ratio:.2e})"]
        if self.hilbert_exact:
            lines.append("  q = 4, d <= 3: the degree-4 relaxation is exact (Hilbert 1888)")
        if not self.ok:
            lines.append(f"  {self.status.value}: {self.reason}")
        return "\n".join(lines)


def _trivial(X: NDArray[np.float64], q: int, reason: str, t0: float, v: NDArray[np.float64],
             value: float, solver: str) -> TwoToQSoSResult:
    n, d = X.shape
    valq = fpow(value, q)
    return TwoToQSoSResult(
        upper=value, upper_q=valq, primal_q=valq, q=q, d=d, n=n, D=math.comb(d + q // 2 - 1, q // 2),
        solver=solver, solver_eps=0.0, solver_status="not run", flat=True, rank_ratio=0.0,
        hilbert_exact=q == 4 and d <= 3, maximiser=v, setup_s=0.0, solve_s=0.0,
        elapsed_s=time.perf_counter() - t0, lam=1.0, lam_raw=1.0, scale_q=valq, pow2=0,
        status=Status.OK, reason=reason, rigour=Rigour.NUMERICAL, candidates=v[None, :],
        gram=np.zeros((1, 1)) if d == 1 else None, moment=None)


def two_to_q_sos(X: ArrayLike, *, q: int = 4, solver: str | None = None,
                 solver_eps: float | None = None) -> TwoToQSoSResult:
    """Degree-q sum-of-squares upper bound on ||X||_{2->q} for even q >= 4.

    Solves the moment relaxation on the symmetric subspace: maximise E[p] over pseudo-moments
    y (one per degree-q monomial, N = C(d+q-1, q) variables) with E[||v||^q] = 1 and the D x D
    moment matrix Y(y) = E[m(v) m(v)^T] PSD, D = C(d+q/2-1, q/2).  Its dual is the Gram (SoS)
    problem minimise lambda s.t. lambda ||v||^q - p(v) = m(v)^T S m(v), S PSD; S is the solver's
    dual variable of the PSD constraint.

    Parameters
    ----------
    X : (n, d) array_like
        Real finite matrix; p(v) = sum_i (x_i . v)^q.
    q : int, default 4
        Even exponent >= 4.
    solver : {None, 'CLARABEL', 'SCS', 'EIGOPT'}
        None picks by size (:func:`default_solver`): Clarabel (interior point, accurate) while
        N <= 715; for q = 4 EIGOPT above (eigenvalue optimisation over the kernel, no SDP
        solver; see Notes), for q > 4 SCS (first order).
    solver_eps : float, optional
        Solver tolerance (default by size, :func:`default_solver`: 1e-7 Clarabel, 1e-8 EIGOPT,
        1e-6 .. 1e-5 SCS).  For EIGOPT it is the relative gap (upper_q - primal_q) / upper_q at
        which it stops.

    Returns
    -------
    TwoToQSoSResult
        ``upper`` (NORM bound), ``upper_q`` (q-th power), the Gram and moment matrices, flatness and
        the rounded maximiser; ``status`` SOLVER_FAILED with the solver's message when it fails,
        INACCURATE when it reports an inaccurate solution (the bound may then be off by more than
        solver_eps; certify it), NOT_CONVERGED when EIGOPT ran out of evaluations (``reason``
        gives the gap it reached; the bound is still valid: certify it).

    Raises
    ------
    InputValueError
        Non-finite or empty X, q not an even integer >= 4, unknown solver, solver_eps outside
        (0, 0.1].

    Notes
    -----
    The problem is scaled by the spectral bound lambda_max(Q) so that its value lies in
    (0, 1].  EIGOPT (:mod:`linalg_lab.norms._eigopt`) uses that the SoS value is
    min_{L in K} lambda_max(Qs + L) over the matrices L whose form m(v)^T L m(v) vanishes: it
    minimises a smoothed lambda_max by L-BFGS, one partial eigendecomposition of order D per
    evaluation (q = 4, d = 50, D = 1275, default 1e-8: 71-99 evaluations, 27-38 s on one core at
    load 3-4 on 2 cores); any L gives a valid
    bound, the spectral bound at L = 0, so its value never exceeds the spectral bound.  It is
    deterministic for a given BLAS.  Its lower estimate is p at a rounded, polished maximiser and
    the objective of its PSD-corrected pseudo-moments.
    SDP size: one PSD cone of order D and N + 1 affine rows, a one-nonzero-per-row map.
    SCS gets it in its own standard form (no cvxpy canonicalisation; ``_scs_direct``); its cost
    is one D x D eigendecomposition per iteration (O(D^3); 83% of SCS's time at q = 4, d = 30,
    the linear solves 12%).  q = 4, d = 40 (D = 820): see ``benchmarks/bench_norms.py``.
    The reported bound is lambda_max(Qs + L) for the solver's kernel part L projected onto the
    kernel, a valid SoS bound up to floating-point rounding, second-order accurate on tight
    instances.  For q = 4 and d <= 3 the relaxation is exact (Hilbert 1888); for q = 4, d >= 4
    it can exceed the norm (see ``families.gap_instance``).

    References
    ----------
    B. Barak et al., "Hypercontractivity, sum-of-squares proofs, and their applications",
    STOC 2012, arXiv:1205.4484.
    S. B. Hopkins, S. Tiegel, "Algorithms with polynomially-improved approximation factors for
    the 2 -> q norm" (degree-4 SoS gives d^(1/8) for q = 4).
    J. B. Lasserre, "Global optimization with polynomials and the problem of moments",
    SIAM J. Optim. 11 (2001) 796-817, doi:10.1137/S1052623400366802.
    P. A. Parrilo, "Semidefinite programming relaxations for semialgebraic problems",
    Math. Program. 96 (2003) 293-320, doi:10.1007/s10107-003-0387-5.

    Examples
    --------
    >>> import numpy as np
    >>> r = two_to_q_sos(np.diag([2.0, 1.0, 1.0]))   # unique maximiser e_1, norm 2
    >>> r.ok, round(r.upper, 6), r.flat, np.round(np.abs(r.maximiser), 6).tolist()
    (True, 2.0, True, [1.0, 0.0, 0.0])
    """
    func = "two_to_q_sos"
    X = _prepare(X, func)
    q = check_real(q, "q", func=func)
    why = sos_applies(q)
    if why:
        raise InputValueError(f"{func}: {why}")
    if solver is not None:
        solver = check_option(str(solver).upper(), "solver", tuple(SOS_SOLVERS), func=func)
    solver_eps = check_real(solver_eps, "solver_eps", func=func, lo=0.0, hi=0.1, lo_open=True,
                            allow_none=True)
    return _sos_body(X, int(q), solver, solver_eps)


def _sos_body(X: NDArray[np.float64], q: int, solver: str | None,
              solver_eps: float | None) -> TwoToQSoSResult:
    """Unchecked body of :func:`two_to_q_sos` (X validated float64, q even >= 4), on one BLAS
    thread: its LAPACK calls are eigendecompositions of order D, which a multi-threaded OpenBLAS
    makes far slower on a busy machine (measured here at D = 1275, load 3-5 on 2 cores: 1.4-16 s
    per eigh with two threads, 0.27 s with one).  SCS links its own single-threaded BLAS."""
    with one_blas_thread():
        return _sos_compute(X, q, solver, solver_eps)


def _sos_compute(X: NDArray[np.float64], q: int, solver: str | None,
                 solver_eps: float | None) -> TwoToQSoSResult:
    t0 = time.perf_counter()
    n, d = X.shape
    k = q // 2
    dsolver, deps = default_solver(d, q)
    solver = solver or dsolver
    eps = solver_eps
    if eps is None:
        eps = deps if solver == dsolver else SOLVER_EPS[solver]
    if not np.any(X):
        v = np.zeros(d)
        v[0] = 1.0
        return _trivial(X, q, "X is the zero matrix: the norm and every bound are 0; no SDP solved",
                        t0, v, 0.0, solver)
    if d == 1:
        value = float(q_norm_value(X, np.ones((1, 1)), q)[0])
        return _trivial(X, q, f"d = 1: ||X||_(2->{q}) = ||x||_{q} exactly; no SDP solved", t0,
                        np.ones(1), value, solver)

    B = form_basis(d, k)
    D = B.D
    pow2 = math.frexp(float(np.max(np.abs(X))))[1]
    X = np.ldexp(X, -pow2)  # exact power-of-two scaling: entries in [1/2, 1)
    M = B.ortho_vectors(X)
    Q = M.T @ M
    scale = float(np.linalg.eigvalsh(Q)[-1])
    Qs = Q / scale
    g = B.coefficients(Qs)
    status = Status.OK
    reason = ""
    t1 = time.perf_counter()
    sol = _solve(B, g, solver, eps, Qs=Qs, Xs=X, scale=scale)
    sstat, yv, Sdual, primal = sol.status, sol.y, sol.S, sol.primal
    t2 = time.perf_counter()
    solve_s = sol.solve_s if sol.solve_s is not None else t2 - t1
    setup_s = (t2 - t0) - solve_s
    if sstat not in ("optimal", "optimal_inaccurate", "not_converged") or yv is None or Sdual is None:
        other = "SCS" if solver == "CLARABEL" else "CLARABEL"
        v = np.zeros(d)
        v[0] = 1.0
        return TwoToQSoSResult(
            upper=math.nan, upper_q=math.nan, primal_q=math.nan, q=q, d=d, n=n, D=D, solver=solver,
            solver_eps=eps, solver_status=sstat, flat=False, rank_ratio=math.nan,
            hilbert_exact=q == 4 and d <= 3, maximiser=v, setup_s=setup_s, solve_s=solve_s,
            elapsed_s=time.perf_counter() - t0, lam=math.nan, lam_raw=math.nan, scale_q=scale,
            pow2=pow2, status=Status.SOLVER_FAILED, rigour=Rigour.NUMERICAL,
            reason=f"{solver} returned '{sstat}'; try solver='{other}' or a looser solver_eps",
            candidates=np.zeros((0, d)), gram=None, moment=None, solver_iters=sol.iters)
    if sstat == "not_converged":
        status = Status.NOT_CONVERGED
        reason = f"{solver}: {sol.note}"
    elif sstat == "optimal_inaccurate":
        status = Status.INACCURATE
        reason = (f"{solver} reported an inaccurate solution; the bound may be off by more than "
                  f"solver_eps = {eps:g} (certify it, or use solver='SCS' with a smaller solver_eps)")
    S = 0.5 * (Sdual + Sdual.T)
    lam, S = _polish_gram(B, Qs, S, g)
    lam_raw = float(B.normq @ (B.coefficients(Sdual) + g) / (B.normq @ B.normq))
    Ymat = B.moment_matrix(yv)
    flat_tol = 1e-4 if solver == "CLARABEL" else max(1e-3, 100 * eps)
    ratio, cand = _roundings(B, Ymat, X)
    flat = ratio <= flat_tol if sol.flat is None else sol.flat
    if sol.v is not None:
        cand = np.vstack([sol.v[None, :], cand])
    valsq = np.sum((X @ cand.T) ** q, axis=0)
    v = cand[int(np.argmax(valsq))]
    if not reason and solver == "EIGOPT":
        reason = f"{solver}: {sol.note}" + (
            "; the bound equals p at the rounded maximiser within solver_eps: the relaxation is exact "
            "(numerically)" if flat else "; the SoS value is an upper bound that may exceed the norm")
    if not reason:
        reason = ("moment matrix is rank one: the relaxation is exact (numerically) and the "
                  "maximiser was extracted" if flat else
                  "moment matrix is not rank one: the SoS value is an upper bound that may exceed the norm")
    value_q = fldexp(lam * scale, q * pow2)
    value = fldexp(max(lam * scale, 0.0) ** (1.0 / q), pow2)
    return TwoToQSoSResult(
        upper=value, upper_q=value_q, primal_q=fldexp(primal * scale, q * pow2), q=q,
        d=d, n=n, D=D, solver=solver, solver_eps=eps, solver_status=sstat, flat=bool(flat),
        rank_ratio=ratio, hilbert_exact=q == 4 and d <= 3, maximiser=v, setup_s=setup_s,
        solve_s=solve_s, elapsed_s=time.perf_counter() - t0, lam=lam, lam_raw=lam_raw, scale_q=scale,
        pow2=pow2, status=status, reason=reason, rigour=Rigour.NUMERICAL, candidates=cand, gram=S,
        moment=Ymat, solver_iters=sol.iters)


class _Solved(NamedTuple):
    """What a solver returns to :func:`_sos_body` (scaled units)."""

    status: str  # cvxpy's words: optimal / optimal_inaccurate / not_converged / anything else fails
    y: NDArray[np.float64] | None  # pseudo-moments
    S: NDArray[np.float64] | None  # Gram matrix
    primal: float  # lower estimate of the SoS value (moment objective)
    solve_s: float | None  # the solver's own time (None: time the call)
    iters: int = -1  # iterations (EIGOPT: eigendecompositions); -1 when not reported
    note: str = ""  # the solver's own diagnosis
    v: NDArray[np.float64] | None = None  # a rounded, polished maximiser (EIGOPT)
    flat: bool | None = None  # the solver's own exactness test (EIGOPT), else the rank test


def _solve(B: FormBasis, g: NDArray[np.float64], solver: str, eps: float, *, Qs: NDArray[np.float64],
           Xs: NDArray[np.float64], scale: float) -> _Solved:
    """Solve the scaled relaxation.

    EIGOPT minimises lambda_max(Qs + L) over the kernel K (:mod:`._eigopt`); its Gram matrix is
    lam I - Qs - L.  SCS is called directly in its standard form (:mod:`._scs_direct`; cvxpy's
    canonicalisation of the PSD constraint cost seconds and memory for nothing, see
    benchmarks/bench_norms.py); Clarabel (small problems) through cvxpy."""
    if solver == "EIGOPT":
        e = eigopt_solve(B, Qs, Xs, scale, **SOS_SOLVERS["EIGOPT"][1](eps))
        S = e.lam * np.eye(B.D) - Qs - e.L
        flat = e.lam - e.lower_rounding <= eps * e.lam
        return _Solved("optimal" if e.converged else "not_converged", e.y, S, e.lower, e.solve_s,
                       e.evaluations, e.message, e.v, flat)
    if solver == "SCS":
        try:
            r = scs_moment_solve(B, g, SOS_SOLVERS["SCS"][1](eps))
        except Exception as exc:  # SCS raises on bad data/crashes -> SOLVER_FAILED with the reason
            return _Solved(f"error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
                           None, None, math.nan, None)
        st = _SCS_STATUS.get(r["status"], r["status"])
        return _Solved(st, r["y"], r["S"], r["primal"], r["solve_s"], r["iters"])
    import cvxpy as cp

    D = B.D
    offd = B.offdiag
    w = B.c[B.P1] * B.c[B.P2]
    rows = np.concatenate([B.P1 * D + B.P2, (B.P2 * D + B.P1)[offd]])
    cols = np.concatenate([B.alpha, B.alpha[offd]])
    vals = np.concatenate([w, w[offd]])
    Bmap = sp.csr_matrix((vals, (rows, cols)), shape=(D * D, B.N))
    y = cp.Variable(B.N)
    Y = cp.reshape(Bmap @ y, (D, D), order="C")
    psd = Y >> 0
    prob = cp.Problem(cp.Maximize(g @ y), [psd, B.normq @ y == 1])
    cvx_name, opts = SOS_SOLVERS[solver]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            prob.solve(solver=cvx_name, **opts(eps))
        sstat = str(prob.status)
    except Exception as exc:  # cvxpy.error.SolverError and solver crashes -> SOLVER_FAILED with the reason
        return _Solved(f"error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
                       None, None, math.nan, None)
    stats = getattr(prob, "solver_stats", None)
    solve_s = getattr(stats, "solve_time", None) if stats else None
    iters = getattr(stats, "num_iters", None) if stats else None
    if y.value is None or psd.dual_value is None:
        return _Solved(sstat, None, None, math.nan, solve_s)
    return _Solved(sstat, np.asarray(y.value, dtype=np.float64), np.asarray(psd.dual_value, dtype=np.float64),
                   float(prob.value), None if solve_s is None else float(solve_s),
                   -1 if iters is None else int(iters))


#: SCS's status strings in cvxpy's words (the vocabulary of ``solver_status``).
_SCS_STATUS = {"solved": "optimal", "solved_inaccurate": "optimal_inaccurate"}


def _polish_gram(B, Qs, S, g):  # type: ignore[no-untyped-def]
    """(lam, S): the solver's S fixes a kernel part L ~ lam I - Qs - S (m(v)^T L m(v) == 0 up to the
    solver's residual).  Project L orthogonally onto that kernel and take the best bound it gives,
    lambda_max(Qs + L) (the orthonormal basis weighs ||v||^q as the identity).  When the
    relaxation is tight this is second-order accurate in the solver's error."""
    D = B.D
    r = B.coefficients(S) + g  # stationarity g + A*(S) = lambda normq (least squares, sign-free)
    lam_raw = float(B.normq @ r / (B.normq @ B.normq))
    Lt = lam_raw * np.eye(D) - Qs - S
    cc = B.c[B.P1] * B.c[B.P2]
    wts = np.where(B.offdiag, 2.0, 1.0)
    nrm = np.bincount(B.alpha, weights=wts * cc * cc, minlength=B.N)
    corr = (B.coefficients(Lt) / nrm)[B.alpha] * cc
    Lp = np.zeros_like(Lt)
    Lp[B.P1, B.P2] = Lt[B.P1, B.P2] - corr
    Lp[B.P2, B.P1] = Lp[B.P1, B.P2]
    lam = float(np.linalg.eigvalsh(Qs + Lp)[-1])
    return lam, lam * np.eye(D) - Qs - Lp


def _roundings(B, Ymat, X):  # type: ignore[no-untyped-def]
    """(rank ratio lambda_2/lambda_1 of the moment matrix, unit candidate maximisers (k, d))."""
    ev, V = np.linalg.eigh(Ymat)
    top = max(ev[-1], np.finfo(float).tiny)
    ratio = float(max(ev[-2], 0.0) / top) if B.D > 1 else 0.0
    cands = []
    for j in range(1, min(B.D, 4) + 1):
        if ev[-j] > 1e-6 * top:
            u = B.to_vector(V[:, -j])
            nu = np.linalg.norm(u)
            if nu > 0 and np.isfinite(nu):
                cands.append(u / nu)
    if not cands:
        cands.append(np.linalg.svd(X, full_matrices=False)[2][0])
    return ratio, np.array(cands)
