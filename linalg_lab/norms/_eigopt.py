"""The degree-q SoS bound as an eigenvalue optimisation over a linear subspace (no SDP solver).

In the orthonormal basis m(v) of the symmetric subspace (:class:`~._basis.FormBasis`),
||v||^q = m(v)^T I m(v) and p(v) / scale_q = m(v)^T Qs m(v).  The form lambda ||v||^q - p / scale_q
is m(v)^T S m(v) with S PSD iff S = lambda I - Qs - L for some L in

    K = {symmetric L : m(v)^T L m(v) == 0 identically},

so the SoS value is min_{L in K} lambda_max(Qs + L): an eigenvalue optimisation over a subspace.
Every L in K gives a valid bound lambda_max(Qs + L) (``proofs_check.certify_two_to_q`` makes it
rigorous through the Gram matrix lambda I - Qs - L), so a run stopped early still gives a bound;
L = 0 gives the spectral bound.

Projection onto K.  Entry (P, R) of a D x D matrix contributes to exactly one degree-q monomial
alpha(P, R), with weight c_P c_R, so the coefficient map A has A A^T diagonal and
P_K(G) = G - A^T (A A^T)^-1 A G costs O(D^2).

Method.  lambda_max is smoothed as f_mu(L) = mu log sum_i exp(lambda_i(Qs + L) / mu) (Nesterov
2007; lambda_max <= f_mu <= lambda_max + mu log D), whose gradient is Y = U diag(softmax(lambda /
mu)) U^T, PSD with trace 1.  L-BFGS (scipy's L-BFGS-B, unbounded) minimises f_mu(P_K(z)) over the
upper triangle z of a symmetric matrix (scaled so that the Euclidean product of z is the Frobenius
product), in stages: mu = 0.003 lambda, then tenfold smaller per stage, each warm-started from the
last (continuation).  Only the eigenpairs with softmax weight above 1e-18 enter the gradient; the
top k of them are computed (LAPACK dsyevr on an index range, about 3x cheaper than the full
decomposition at D = 1275), k grown when the range is too short.

Convergence estimate (both sides are numerical; the upper one is certified afterwards).  Upper:
the smallest lambda_max(Qs + L) met.  Lower, on the SoS value: (a) p(v) at a unit vector v rounded
from the top eigenvector of Qs + L and polished by the power method (p(v) <= norm^q <= SoS value);
(b) the moment side: the part Y_m = Y - P_K(Y) of the gradient in K's complement is a
pseudo-moment matrix; mixed with the uniform-sphere moments just enough to be PSD it is feasible
for the dual problem max <Qs, Y> over PSD moment matrices of trace 1, so its objective is a lower
estimate.  The run stops when (upper - lower) <= tol * upper, or after ``maxiter`` eigenvalue
evaluations (then not converged, with the achieved gap).

References: Yu. Nesterov, "Smoothing technique and its applications in semidefinite optimization",
Math. Program. 110 (2007) 245-259, doi:10.1007/s10107-006-0001-8; M. L. Overton, "Large-scale
optimization of eigenvalues", SIAM J. Optim. 2 (1992) 88-120, doi:10.1137/0802007; D. C. Liu,
J. Nocedal, "On the limited memory BFGS method for large scale optimization", Math. Program. 45
(1989) 503-528, doi:10.1007/BF01589116; C. Helmberg, F. Rendl, "A spectral bundle method for
semidefinite programming", SIAM J. Optim. 10 (2000) 673-696, doi:10.1137/S1052623497328987.
"""
from __future__ import annotations

import dataclasses
import math
import time

import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray
from scipy.optimize import minimize

from ..layers._threads import one_blas_thread
from ._basis import FormBasis
from ._bounds import polish

__all__ = ["EigoptSolution", "eigopt_solve", "kernel_projector"]

_SQRT2 = math.sqrt(2.0)
#: Softmax weights below exp(-_WEIGHT_CUT) are dropped from the gradient.
_WEIGHT_CUT = 41.0
_W_MIN = math.exp(-_WEIGHT_CUT)
#: First smoothing parameter relative to the current bound, and its decrease per stage.
_MU0_REL = 0.003
_MU_DECREASE = 10.0
#: L-BFGS memory (pairs) and iterations per smoothing stage.
_LBFGS_PAIRS = 10
_STAGE_ITERS = 30
#: Power-method steps that polish each rounding.
_POLISH_STEPS = 20


@dataclasses.dataclass(frozen=True)
class EigoptSolution:
    """Outcome of :func:`eigopt_solve` (scaled units: the problem's spectral bound is 1).

    ``lam`` is lambda_max(Qs + L) for the kernel part ``L`` (in K up to floating-point rounding);
    ``lower`` the best lower estimate of the SoS value (``lower_rounding`` from a rounded and
    polished unit vector ``v``, ``lower_moment`` from the moment side); ``gap`` = (lam - lower) /
    lam; ``converged`` when gap <= tol.  ``y`` are the pseudo-moments (least-squares moment part
    of the last gradient at the best point); ``evaluations`` counts eigendecompositions,
    ``stages`` smoothing stages, ``mu`` the last smoothing parameter."""

    L: NDArray[np.float64]
    lam: float
    lower: float
    lower_rounding: float
    lower_moment: float
    gap: float
    converged: bool
    y: NDArray[np.float64]
    v: NDArray[np.float64]
    evaluations: int
    stages: int
    mu: float
    tol: float
    solve_s: float
    message: str


class _Projector:
    """P_K and its complement on svec vectors (upper triangle row by row, off-diagonals x sqrt 2,
    so that the Euclidean product is the Frobenius product of the symmetric matrices)."""

    def __init__(self, B: FormBasis) -> None:
        self.B = B
        self.cc = B.c[B.P1] * B.c[B.P2]
        self.sw = np.where(B.offdiag, _SQRT2, 1.0)
        self.wcc = np.where(B.offdiag, 2.0, 1.0) * self.cc
        self.nrm = np.bincount(B.alpha, weights=self.wcc * self.cc, minlength=B.N)  # diag(A A^T)

    def svec(self, G: NDArray[np.float64]) -> NDArray[np.float64]:
        return G[self.B.P1, self.B.P2] * self.sw

    def smat(self, z: NDArray[np.float64]) -> NDArray[np.float64]:
        vals = z / self.sw
        G = np.empty((self.B.D, self.B.D))
        G[self.B.P1, self.B.P2] = vals
        G[self.B.P2, self.B.P1] = vals
        return G

    def moments(self, z: NDArray[np.float64]) -> NDArray[np.float64]:
        """(A A^T)^-1 A G for G = smat(z): the least-squares pseudo-moments y of G ~ A^T y."""
        return np.bincount(self.B.alpha, weights=self.wcc * (z / self.sw), minlength=self.B.N) / self.nrm

    def project(self, z: NDArray[np.float64]) -> NDArray[np.float64]:
        """svec(P_K(smat(z)))."""
        return z - self.moments(z)[self.B.alpha] * self.cc * self.sw


def kernel_projector(B: FormBasis) -> _Projector:
    """The O(D^2) projector onto K (matrices whose form m(v)^T L m(v) vanishes) for ``B``."""
    return _Projector(B)


def _top_eigh(H: NDArray[np.float64], k: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The k largest eigenpairs of symmetric H (ascending), k < D: dsyevr on an index range."""
    D = H.shape[0]
    if 3 * k >= D:
        return np.linalg.eigh(H)
    return sla.eigh(H, subset_by_index=[D - k, D - 1], driver="evr", check_finite=False)


class _Stop(Exception):
    """Raised inside the objective to end the L-BFGS run (converged or out of evaluations)."""


def eigopt_solve(B: FormBasis, Qs: NDArray[np.float64], Xs: NDArray[np.float64], scale: float, *,
                 tol: float, maxiter: int) -> EigoptSolution:
    """Minimise lambda_max(Qs + L) over L in K (see the module docstring).

    Parameters
    ----------
    B : FormBasis
        Monomial bookkeeping for q = 2 B.k.
    Qs : (D, D) array
        Gram matrix of p / scale in the orthonormal basis.
    Xs : (n, d) array
        The (power-of-two scaled) matrix with p(v) = sum_i (x_i . v)^q, for the roundings.
    scale : float
        p / scale is the form of Qs.
    tol : float
        Relative gap (upper - lower) / upper at which to stop.
    maxiter : int
        Most eigenvalue evaluations (each one partial symmetric eigendecomposition of order D).

    Returns
    -------
    EigoptSolution
    """
    t0 = time.perf_counter()
    q = 2 * B.k
    D = B.D
    maxiter = max(1, int(maxiter))
    P = _Projector(B)
    g = B.coefficients(Qs)
    ysph = B.sphere_moments()
    smin_sph = float(np.linalg.eigvalsh(B.moment_matrix(ysph))[0]) if D <= 4000 else 0.0
    st = {"evals": 0, "k": min(D, 8), "lam": math.inf, "z": np.zeros(P.cc.size), "U": None, "w": None,
          "low_r": -math.inf, "v": None, "low_m": -math.inf, "y": None, "stop": ""}

    def rounding(u: NDArray[np.float64]) -> None:
        v = B.to_vector(u)
        if not (np.all(np.isfinite(v)) and np.any(v)):
            return
        V, _, _ = polish(Xs, v[:, None], float(q), maxiter=_POLISH_STEPS)
        val = float(np.sum((Xs @ V[:, 0]) ** q) / scale)
        if val > st["low_r"]:
            st["low_r"], st["v"] = val, V[:, 0].copy()

    def gap() -> float:
        low = max(st["low_r"], st["low_m"])
        return (st["lam"] - low) / st["lam"] if st["lam"] > 0 else 0.0

    def fun(z: NDArray[np.float64], mu: float) -> tuple[float, NDArray[np.float64]]:
        if st["evals"] >= maxiter:
            st["stop"] = "maxiter"
            raise _Stop
        zk = P.project(z)
        H = Qs + P.smat(zk)
        k = st["k"]
        while True:
            ev, U = _top_eigh(H, k)
            if k >= D or ev[0] < ev[-1] - _WEIGHT_CUT * mu:
                break
            k = min(D, 2 * k)
        st["evals"] += 1
        # shrink the range when far more pairs were computed than carried weight
        nkeep = int(np.count_nonzero(ev >= ev[-1] - _WEIGHT_CUT * mu))
        st["k"] = min(D, max(8, 2 * nkeep, k // 2 if nkeep < k // 4 else k))
        lmax = float(ev[-1])
        w = np.exp((ev - lmax) / mu)
        s = float(w.sum())
        w /= s
        keep = w >= _W_MIN
        Uk, wk = U[:, keep], w[keep]
        if lmax < st["lam"]:
            st["lam"], st["z"], st["U"], st["w"] = lmax, zk, Uk, wk
            rounding(U[:, -1])
            if gap() <= tol:
                st["stop"] = "converged"
                raise _Stop
        Y = (Uk * wk) @ Uk.T
        return lmax + mu * math.log(s), P.project(P.svec(Y))

    def moment_side() -> None:
        """Lower estimate from the moment part of the gradient at the best point."""
        Uk, wk = st["U"], st["w"]
        Y = (Uk * wk) @ Uk.T
        y = P.moments(P.svec(Y))
        Ym = B.moment_matrix(y)
        lmin = float(np.linalg.eigvalsh(Ym)[0])
        t = 0.0 if lmin >= 0 else (-lmin / (smin_sph - lmin) if smin_sph > 0 else math.nan)
        st["y"] = y
        if not (0.0 <= t < 1.0):
            return
        tr = (1 - t) * float(B.normq @ y) + t * float(B.normq @ ysph)
        if tr > 0:
            val = ((1 - t) * float(g @ y) + t * float(g @ ysph)) / tr
            st["low_m"] = max(st["low_m"], val)

    z = np.zeros(P.cc.size)
    stages = 0
    mu = math.nan
    with one_blas_thread():
        # continuation from a large mu is essential: starting at mu ~ 0.003 p(v) (the rounding)
        # stalled L-BFGS far from the optimum at d = 40 (600 evaluations, gap 4%)
        mu = _MU0_REL * float(_top_eigh(Qs, 1)[0][-1])
        try:
            fun(z, mu)  # L = 0: the spectral bound and its rounding
        except _Stop:
            pass
        while not st["stop"]:
            stages += 1
            try:
                r = minimize(fun, st["z"], args=(mu,), jac=True, method="L-BFGS-B",
                             options={"maxiter": _STAGE_ITERS, "maxcor": _LBFGS_PAIRS,
                                      "gtol": 0.0, "ftol": 1e-15})
                del r
            except _Stop:
                pass
            moment_side()
            if not st["stop"] and gap() <= tol:
                st["stop"] = "converged"
            if not st["stop"] and mu <= 1e-15 * st["lam"]:
                st["stop"] = "smoothing exhausted"
            mu /= _MU_DECREASE
        if st["y"] is None:
            moment_side()
    low = max(st["low_r"], st["low_m"])
    gp = gap()
    conv = gp <= tol
    if conv:
        msg = (f"converged: relative gap {gp:.2e} <= {tol:g} after {st['evals']} eigenvalue "
               f"evaluations ({stages} smoothing stages)")
    else:
        why = ("the evaluation budget maxiter = " + str(maxiter) + " ran out" if st["stop"] == "maxiter"
               else "the smoothing reached floating-point resolution")
        msg = (f"not converged: relative gap {gp:.2e} > {tol:g} ({why}; {st['evals']} eigenvalue "
               f"evaluations); the bound is valid but loose by up to that gap: certify it, loosen "
               "solver_eps, or raise the budget (option 'maxiter' of SOS_SOLVERS['EIGOPT'])")
    v = st["v"] if st["v"] is not None else np.eye(B.d)[0]
    return EigoptSolution(
        L=P.smat(st["z"]), lam=st["lam"], lower=low, lower_rounding=st["low_r"],
        lower_moment=st["low_m"], gap=gp, converged=conv, y=st["y"], v=v, evaluations=st["evals"],
        stages=stages, mu=mu * _MU_DECREASE, tol=tol, solve_s=time.perf_counter() - t0, message=msg)
