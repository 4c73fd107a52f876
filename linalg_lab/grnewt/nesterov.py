"""Per-group learning rates from anisotropic Nesterov cubic regularisation (rigour: NUMERICAL).

Given the summaries ``H`` (S×S, symmetric), ``g`` (S,) and ``d`` (S,, ``d >= 0``) of a loss along a
direction, and the internal damping ``lam > 0``, :func:`nesterov_lrs` returns the global minimiser
``eta*`` of the cubic model

    m(eta) = -g^T eta + 1/2 eta^T H eta + (lam/6) ||D eta||^3,        D = Diag(d),

or, where no minimiser exists, says so and returns a labelled bounded alternative.

How it is solved
----------------
Stationarity reads ``M(r) eta = g`` with ``M(r) = H + (lam/2) r D^2`` and ``r = ||D eta||``; a
stationary point is the global minimiser exactly when ``M(r) ⪰ 0`` (Nesterov & Polyak [1]_, Thm 10;
their proof only uses ``||D y||^2 = y^T D^2 y`` and holds for the seminorm).  The solver

1. splits the groups into ``P = {d_i > 0}`` and ``N = {d_i = 0}``.  On ``N`` the model has no cubic
   term, so it is bounded below only if ``H_NN ⪰ 0`` and every zero-curvature direction of ``H_NN``
   carries no linear term; otherwise the model is **unbounded** (case ``UNBOUNDED``).  Positive
   curvature directions of ``H_NN`` are eliminated exactly (Schur complement), which leaves a
   problem in ``eta_P`` with ``D_P ≻ 0``;
2. rescales ``x = D_P eta_P`` (a standard cubic-regularised quadratic ``-b^T x + x^T A x/2 +
   lam ||x||^3/6``), diagonalises ``A = Q Λ Q^T`` once, and works with the shifted eigenvalues
   ``Λ_i − Λ_min`` so that ``M(r)`` near its singular point is never formed;
3. ``r0 = max(0, −2 Λ_min/lam)`` is the left end of the admissible interval ``{r: M(r) ⪰ 0}``; on
   ``(r0, ∞)`` the secular function ``φ(r) = ||x(r)|| − r`` is strictly decreasing and
   ``φ < 0`` beyond ``r0 + 2 sqrt(2 ||b||/lam)`` (because ``||x(r)|| <= 2||b||/(lam (r − r0))``), so
   the root is bracketed explicitly and found by Brent's method then bisection to adjacent floats;
4. the **hard case** (``b`` orthogonal to the critical eigenvector and ``φ(r0+) <= 0``) is handled
   as trust-region solvers do (Moré & Sorensen [2]_): ``r = r0`` and the critical eigenvector is
   added with the length that makes ``||x|| = r0``; ``g = 0`` with negative curvature is this case.

Cost: one symmetric eigendecomposition of an S×S matrix plus O(S) per secular evaluation.

References
----------
.. [1] Y. Nesterov, B. T. Polyak, Cubic regularization of Newton method and its global performance,
   Math. Program. 108 (2006) 177–205, doi:10.1007/s10107-006-0706-8.
.. [2] J. J. Moré, D. C. Sorensen, Computing a trust region step, SIAM J. Sci. Stat. Comput. 4
   (1983) 553–572, doi:10.1137/0904038.
.. [3] P. Wolinski, Adapting Newton's method to neural networks through a summary of higher-order
   derivatives, arXiv:2312.03885.
"""
from __future__ import annotations

import dataclasses
import enum
import math
import time

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.linalg import eigh as _eigh  # LAPACK evr; numpy's eigh is far slower with threads
from scipy.optimize import brentq

from .._results import Result, Rigour, Status
from .._validation import InputValueError, as_matrix, as_vector, check_real
from .brute_force import model_value_error

__all__ = ["SolverCase", "NesterovLRs", "nesterov_lrs", "cubic_model_value", "validate_summary"]

_EPS = float(np.finfo(np.float64).eps)


class SolverCase(str, enum.Enum):
    """Which case of the cubic-regularised problem the solver met (values read as explanations)."""

    POSITIVE_DEFINITE = "H positive definite"
    D_POSITIVE = "D positive definite, H indefinite: root of the secular equation on (r0, inf)"
    D_SINGULAR = "D singular, H positive definite on the null space of D"
    HARD_CASE = ("hard case: g orthogonal to the critical eigenvector; r = r0 and the eigenvector "
                 "component completes the step")
    ZERO_GRADIENT = "g = 0 and H positive semidefinite: eta = 0 is the global minimiser"
    UNBOUNDED = ("unbounded: D singular and H not positive semidefinite on its null space; "
                 "the cubic model has no minimiser")

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.value


@dataclasses.dataclass(frozen=True)
class NesterovLRs(Result):
    """Result of :func:`nesterov_lrs`.

    Attributes
    ----------
    eta : (S,) ndarray
        The global minimiser of the cubic model; in the ``UNBOUNDED`` case the labelled alternative
        (see ``alternative``).
    r : float
        ``||D eta||`` at the solution (the root of the secular equation).
    case : SolverCase
        Which case the solver met.
    r0 : float
        Left end of the admissible interval ``inf{r >= 0 : M(r) ⪰ 0}`` of the (reduced) problem.
    model_value : float
        ``m(eta)``.
    residual : float
        ``||M(r) eta − g|| / (||H|| ||eta|| + lam/2 r ||D||^2 ||eta|| + ||g||)``.
    bounded : bool
        Whether the cubic model is bounded below (False exactly in the ``UNBOUNDED`` case).
    alternative : str
        Empty, or what ``eta`` is when the model is unbounded.
    negative_direction : (S,) ndarray or None
        A direction ``v`` with ``D v = 0`` along which the model decreases without bound.
    iterations : int
        Secular-function evaluations.
    """

    eta: NDArray[np.float64]
    r: float
    case: SolverCase
    status: Status
    reason: str
    rigour: Rigour
    r0: float
    model_value: float
    residual: float
    bounded: bool
    alternative: str
    negative_direction: NDArray[np.float64] | None
    damping_int: float
    iterations: int
    elapsed_s: float


def cubic_model_value(H: NDArray, g: NDArray, d: NDArray, lam: float, eta: NDArray) -> float:
    """``m(eta) = -g^T eta + eta^T H eta / 2 + lam ||D eta||^3 / 6`` (no validation; float64).

    Parameters
    ----------
    H : (S, S) ndarray
        The summary ``H̄``: symmetric float64 matrix of second derivatives along the direction,
        one row per group.
    g : (S,) ndarray
        The summary ``ḡ``: per-group first derivatives.
    d : (S,) ndarray
        Cubic-term scales ``d = |order3|**(1/3) >= 0`` (``D = diag(d)``).
    lam : float
        The cubic regularisation weight (``damping_int``), ``> 0``.
    eta : (S,) ndarray
        The per-group learning rates at which to evaluate the model.

    Returns
    -------
    float
        ``m(eta)``, the model's predicted change of the loss (in the loss's units), rounded in
        float64 (:func:`model_value_error` bounds the rounding error).

    Examples
    --------
    >>> import numpy as np
    >>> cubic_model_value(np.eye(2), np.ones(2), np.zeros(2), 1.0, np.ones(2))
    -1.0
    """
    r = float(np.linalg.norm(d * eta))
    return float(-g @ eta + 0.5 * eta @ (H @ eta) + lam / 6.0 * r ** 3)


def validate_summary(H: ArrayLike, g: ArrayLike, d: ArrayLike, damping_int: float, *,
                     func: str) -> tuple[NDArray, NDArray, NDArray, float]:
    """Validate ``(H, g, d, damping_int)`` as :func:`nesterov_lrs` does; returns float64 copies.

    ``H`` must be square and symmetric up to ``sqrt(eps)`` relative (it is then symmetrised), ``g``
    and ``d`` vectors of matching length, ``d >= 0`` and ``damping_int > 0``.

    Parameters
    ----------
    H : (S, S) array_like
        The summary ``H̄``: real, finite, symmetric up to ``sqrt(eps) * max|H|``.
    g : (S,) array_like
        The summary ``ḡ``: real, finite.
    d : (S,) array_like
        Cubic-term scales ``|order3|**(1/3)``: real, finite, ``>= 0``.
    damping_int : float
        The cubic regularisation weight ``lam``, finite and ``> 0``.
    func : str
        Keyword-only, required: the calling function's name (quoted in error messages).

    Returns
    -------
    H : (S, S) ndarray
        ``(H + H^T)/2``, float64 (a new array).
    g, d : (S,) ndarray
        float64 copies.
    lam : float
        ``damping_int`` as a float.

    Raises
    ------
    InputValueError
        NaN/Inf or empty arrays, wrong dimensions, non-square or non-symmetric ``H``, ``g`` or
        ``d`` of the wrong length, a negative ``d_i``, ``damping_int <= 0`` or not finite.
    InputTypeError
        Complex or non-numeric arrays, ``damping_int`` not a real number.
    """
    H = np.array(as_matrix(H, "H", func=func, keep_dtype=False), dtype=np.float64)
    g = np.array(as_vector(g, "g", func=func, keep_dtype=False), dtype=np.float64)
    d = np.array(as_vector(d, "d", func=func, keep_dtype=False), dtype=np.float64)
    lam = check_real(damping_int, "damping_int", func=func, lo=0.0, lo_open=True)
    S = H.shape[0]
    if H.shape != (S, S):
        raise InputValueError(f"{func}: 'H' must be square, got shape {H.shape}")
    if g.shape != (S,) or d.shape != (S,):
        raise InputValueError(f"{func}: 'g' and 'd' must have shape ({S},) to match 'H' {H.shape}, "
                              f"got {g.shape} and {d.shape}")
    if (d < 0).any():
        i = int(np.argmax(d < 0))
        raise InputValueError(f"{func}: 'd' must be nonnegative (d = |order3|**(1/3)), got d[{i}] = "
                              f"{d[i]!r}; pass np.abs(order3) ** (1/3)")
    asym = float(np.max(np.abs(H - H.T))) if S else 0.0
    if asym > math.sqrt(_EPS) * max(float(np.max(np.abs(H))), np.finfo(float).tiny):
        raise InputValueError(f"{func}: 'H' must be symmetric, got max |H - H^T| = {asym:.3g} "
                              f"against max |H| = {float(np.max(np.abs(H))):.3g}; pass (H + H.T)/2")
    return 0.5 * (H + H.T), g, d, lam


def nesterov_lrs(H: ArrayLike, g: ArrayLike, d: ArrayLike, *, damping_int: float) -> NesterovLRs:
    """Global minimiser of the anisotropic cubic model: the per-group learning rates ``eta*``.

    Parameters
    ----------
    H : (S, S) array_like
        Symmetric summary Hessian ``H̄`` (symmetric up to sqrt(eps) relative; symmetrised).
    g : (S,) array_like
        Summary gradient ``ḡ``.
    d : (S,) array_like
        Nonnegative diagonal of ``D`` (``|order3|**(1/3)``); zeros allowed.
    damping_int : float
        Internal damping ``lam > 0``.

    Returns
    -------
    NesterovLRs
        ``eta``, ``r``, ``case`` and diagnostics.  ``status`` is ``OK`` when ``eta`` is the global
        minimiser; ``SOLVER_FAILED`` when the model is unbounded (``eta`` is then the labelled
        alternative: the minimiser over the subspace where ``eta_N`` lies in the positive-curvature
        eigenspace of ``H_NN``, on which the model is bounded below).

    Raises
    ------
    InputValueError, InputTypeError
        Malformed input (see :func:`validate_summary`).

    Notes
    -----
    See the module docstring for the method.  Accuracy: the root ``r`` is found to adjacent floats
    of the computed secular function; ``eta`` has the backward error of one symmetric
    eigendecomposition (``residual`` reports it).

    Examples
    --------
    >>> import numpy as np
    >>> res = nesterov_lrs(np.diag([1.0, -1.0]), np.array([1.0, 0.5]), np.array([1.0, 0.0]),
    ...                    damping_int=1.0)
    >>> res.case.name, res.bounded
    ('UNBOUNDED', False)
    >>> res = nesterov_lrs(np.diag([2.0, -1.0]), np.array([1.0, 1.0]), np.ones(2), damping_int=2.0)
    >>> res.case.name, bool(abs(res.r - np.linalg.norm(res.eta)) < 1e-12)
    ('D_POSITIVE', True)
    """
    H, g, d, lam = validate_summary(H, g, d, damping_int, func="nesterov_lrs")
    return _nesterov_lrs(H, g, d, lam)


def _null_space_split(H: NDArray, g: NDArray, P: NDArray, N: NDArray):
    """Eigen-split H_NN into kept (positive curvature) directions and unbounded directions."""
    S = H.shape[0]
    tol = S * _EPS * max(float(np.linalg.norm(H, 2)) if S else 0.0, np.finfo(float).tiny)
    mu, V = _eigh(H[np.ix_(N, N)])
    pos = mu > tol
    neg = mu < -tol
    zero = ~pos & ~neg
    bad_dir = None
    unbounded = bool(neg.any())
    degenerate = False
    if unbounded:
        bad_dir = V[:, int(np.argmin(mu))]
    if zero.any():
        Vz = V[:, zero]
        coupling = Vz.T @ np.column_stack([H[np.ix_(N, P)], g[N]])
        # the linear term along a zero-curvature direction must vanish to rounding level
        tol_lin = S * _EPS * (float(np.linalg.norm(H, 2)) + float(np.linalg.norm(g)))
        if float(np.abs(coupling).max()) > tol_lin:
            if not unbounded:
                bad_dir = Vz[:, int(np.argmax(np.abs(coupling).max(axis=1)))]
            unbounded = True
        else:
            degenerate = True
    return mu[pos], V[:, pos], unbounded, degenerate, bad_dir


def _secular_solve(A: NDArray, b: NDArray, lam: float):
    """Solve the standard problem min -b^T x + x^T A x / 2 + lam ||x||^3 / 6 (global minimiser).

    Returns (x, r, r0, hard, evaluations).
    """
    n = b.shape[0]
    Lam, Q = _eigh(A)
    beta = Q.T @ b
    lmin = float(Lam[0])
    shift = min(lmin, 0.0)
    r0 = -2.0 * shift / lam
    den0 = Lam - shift  # >= 0 up to rounding; exactly 0 at the minimal index when lmin < 0
    den0[0] = max(den0[0], 0.0)
    tolA = n * _EPS * max(float(np.max(np.abs(Lam))), np.finfo(float).tiny)
    crit = den0 <= tolA
    nb = float(np.linalg.norm(b))
    evals = 0
    beta_c = float(np.linalg.norm(beta[crit])) if crit.any() else 0.0
    if crit.any() and beta_c <= n * _EPS * nb:
        nc = ~crit
        xnc = beta[nc] / den0[nc]
        phi_nc = float(np.linalg.norm(xnc)) - r0
        if phi_nc <= 0.0:
            x_e = np.zeros(n)
            x_e[nc] = xnc
            tau = math.sqrt(max(r0 * r0 - float(xnc @ xnc), 0.0))
            qc = Q[:, int(np.flatnonzero(crit)[0])]
            if qc[int(np.argmax(np.abs(qc)))] < 0:
                qc = -qc
            x = Q @ x_e + tau * qc
            if float(b @ qc) < 0:  # the sign that lowers -b^T x (a tie when b ⟂ qc exactly)
                x = Q @ x_e - tau * qc
            return x, r0, r0, True, evals
    if nb == 0.0:  # r0 == 0 here (r0 > 0 with b = 0 is the hard case above)
        return np.zeros(n), 0.0, 0.0, False, evals

    def phi(s: float) -> float:
        nonlocal evals
        evals += 1
        den = den0 + 0.5 * lam * s
        with np.errstate(divide="ignore", invalid="ignore"):
            y = np.where(den > 0, beta / np.where(den > 0, den, 1.0), np.where(beta == 0, 0.0, np.inf))
        return float(np.linalg.norm(y)) - (r0 + s)

    s_hi = 2.0 * math.sqrt(2.0 * nb / lam)
    while phi(s_hi) >= 0.0:  # cannot happen in exact arithmetic (see module docstring)
        s_hi *= 2.0
    s_lo = 0.0
    if not phi(0.0) > 0.0:
        s_lo = s_hi
        while s_lo > 0.0 and not phi(s_lo) > 0.0:
            s_lo *= 0.5
    if s_lo == s_hi or phi(s_lo) <= 0.0:  # phi(0+) <= 0 numerically: the root is at r0
        s = s_lo
    else:
        s = brentq(phi, s_lo, s_hi, xtol=np.finfo(float).tiny, rtol=4 * _EPS, maxiter=500)
        lo, hi = s_lo, s_hi
        delta = 16 * _EPS * s + np.finfo(float).tiny
        if s - delta > lo and phi(s - delta) > 0.0:
            lo = s - delta
        if s + delta < hi and phi(s + delta) <= 0.0:
            hi = s + delta
        for _ in range(2200):  # bisection to adjacent floats
            mid = 0.5 * (lo + hi)
            if mid <= lo or mid >= hi:
                break
            if phi(mid) > 0.0:
                lo = mid
            else:
                hi = mid
        s = lo if abs(phi(lo)) <= abs(phi(hi)) else hi
    den = den0 + 0.5 * lam * s
    x = Q @ (beta / den) if s > 0.0 or (den > 0).all() else np.zeros(n)
    return x, r0 + s, r0, False, evals


def _polish(H: NDArray, g: NDArray, d: NDArray, lam: float, r: float):
    """Re-solve the secular equation in the original coordinates near ``r`` (Cholesky of M(r)).

    The eigendecomposition of the scaled ``A = D^-1 S D^-1`` has absolute errors of order
    ``eps ||A||``, which is large when some ``d_i`` is small; ``M(r) = H + (lam/2) r D^2`` itself
    is as well scaled as ``H``.  When ``M`` is safely positive definite near ``r`` (Cholesky
    succeeds with a pivot ratio above ``sqrt(eps)``), the root of ``φ(r) = ||D M(r)^-1 g|| − r`` is
    re-bracketed within a relative distance 1e-6 of ``r`` and found to adjacent floats, and ``eta``
    is recomputed by the Cholesky solve.  Returns None (keep the eigen solution) otherwise.
    """
    from scipy.linalg import cho_factor, cho_solve, LinAlgError

    D2 = d * d
    evals = 0

    def solve(x: float):
        nonlocal evals
        evals += 1
        M = H + 0.5 * lam * x * np.diag(D2)
        try:
            c = cho_factor(M, lower=True, check_finite=False)
        except LinAlgError:
            return None
        piv = np.abs(np.diag(c[0]))
        if not np.isfinite(piv).all() or piv.min() <= math.sqrt(_EPS) * piv.max():
            return None
        return cho_solve(c, g, check_finite=False)

    def phi(x: float) -> float:
        e = solve(x)
        return math.nan if e is None else float(np.linalg.norm(d * e)) - x

    delta = 4 * _EPS * r
    lo = hi = r
    f0 = phi(r)
    if math.isnan(f0):
        return None
    if f0 == 0.0:
        return r, solve(r), evals
    while delta <= 1e-6 * r:
        x = r - delta if f0 < 0 else r + delta
        fx = phi(x)
        if math.isnan(fx):
            return None
        if (fx > 0) != (f0 > 0) or fx == 0.0:
            lo, hi = (x, r) if f0 < 0 else (r, x)
            break
        delta *= 4
    else:
        return None
    for _ in range(200):  # bisection to adjacent floats (phi(lo) > 0 >= phi(hi))
        mid = 0.5 * (lo + hi)
        if mid <= lo or mid >= hi:
            break
        fm = phi(mid)
        if math.isnan(fm):
            return None
        if fm > 0:
            lo = mid
        else:
            hi = mid
    fl, fh = phi(lo), phi(hi)
    x = lo if abs(fl) <= abs(fh) else hi
    e = solve(x)
    return (x, e, evals) if e is not None else None


def _nesterov_lrs(H: NDArray, g: NDArray, d: NDArray, lam: float) -> NesterovLRs:
    """Unchecked body of :func:`nesterov_lrs` (inputs already validated and symmetrised)."""
    t0 = time.perf_counter()
    S = g.shape[0]
    c = float(d.max()) if S else 0.0
    P = d > 0
    N = ~P
    unbounded = degenerate = False
    bad_dir = None
    if N.any():
        K, W, unbounded, degenerate, bad_local = _null_space_split(H, g, P, N)
        if bad_local is not None:
            bad_dir = np.zeros(S)
            bad_dir[N] = bad_local
        C = H[np.ix_(P, N)] @ W
        gw = W.T @ g[N]
        Sc = H[np.ix_(P, P)] - (C / K) @ C.T
        gt = g[P] - C @ (gw / K)
    else:
        K = W = C = gw = None
        Sc, gt = H, g
    evals = 0
    hard = False
    eta = np.zeros(S)
    if P.any():
        dh = d[P] / c  # scaled so that max dh = 1: lam' = lam c^3, r = c r'
        lam_s = lam * c ** 3
        A = Sc / np.outer(dh, dh)
        A = 0.5 * (A + A.T)
        b = gt / dh
        x, rs, r0s, hard, evals = _secular_solve(A, b, lam_s)
        eta_P = x / dh
        r, r0 = c * rs, c * r0s
        eta[P] = eta_P
    else:
        eta_P = np.zeros(0)
        r = r0 = 0.0
    if N.any():
        eta[N] = W @ ((gw - C.T @ eta_P) / K)
    if P.any() and not hard and r > 0.0:
        polished = _polish(H, g, d, lam, r)
        if polished is not None:
            evals += polished[2]
            # Both candidates are stationary to rounding.  Keep the Cholesky one (its root is the
            # more accurate when some d_i is small) unless its model value is worse than the eigen
            # one's by more than the rounding bound of the two evaluations (near the hard case,
            # where M(r) is nearly singular and the eigen form is the accurate one).
            m_pol = cubic_model_value(H, g, d, lam, polished[1])
            m_eig = cubic_model_value(H, g, d, lam, eta)
            slack = model_value_error(H, g, d, lam, eta) + model_value_error(H, g, d, lam, polished[1])
            if m_pol <= m_eig + slack:
                r, eta = polished[0], polished[1]
    mval = cubic_model_value(H, g, d, lam, eta)
    M = H + 0.5 * lam * r * np.diag(d * d)
    denom = (np.linalg.norm(H, 2) + 0.5 * lam * r * c * c) * np.linalg.norm(eta) + np.linalg.norm(g)
    residual = float(np.linalg.norm(M @ eta - g) / denom) if denom > 0 else 0.0
    alternative = ""
    extra = ""
    if unbounded:
        case = SolverCase.UNBOUNDED
        status = Status.SOLVER_FAILED
        alternative = ("minimiser of the model restricted to eta_N in the positive-curvature "
                       "eigenspace of H_NN (N = groups with d = 0), where the model is bounded below")
        reason = (f"the cubic model is unbounded below along negative_direction (d = 0 on groups "
                  f"{np.flatnonzero(N).tolist()} and H is not positive semidefinite there); eta is the "
                  f"{alternative}; use a larger partition or a positive d on those groups")
    else:
        if hard:
            case = SolverCase.HARD_CASE
            if not g.any():
                extra = "; g = 0 with negative curvature: eta follows the critical eigenvector"
        elif not g.any():
            case = SolverCase.ZERO_GRADIENT
        elif float(np.linalg.eigvalsh(H)[0]) > 0.0:
            case = SolverCase.POSITIVE_DEFINITE
        elif N.any():
            case = SolverCase.D_SINGULAR
        else:
            case = SolverCase.D_POSITIVE
        status = Status.OK
        reason = case.value + extra
        if degenerate:
            reason += ("; H_NN has zero-curvature directions without a linear term: the minimiser is "
                       "not unique and eta has no component along them")
    if not (np.isfinite(eta).all() and math.isfinite(r)):
        status = Status.SOLVER_FAILED
        reason = (f"non-finite eta or r (d spans too many orders of magnitude: min positive d / max d "
                  f"= {float(d[P].min()) / c if P.any() else 0.0:.3g}); rescale the groups")
    return NesterovLRs(eta=eta, r=float(r), case=case, status=status, reason=reason,
                       rigour=Rigour.NUMERICAL, r0=float(r0), model_value=mval, residual=residual,
                       bounded=not unbounded, alternative=alternative, negative_direction=bad_dir,
                       damping_int=lam, iterations=evals, elapsed_s=time.perf_counter() - t0)
