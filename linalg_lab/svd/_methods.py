"""SVD by optimisation: a registry of methods behind :func:`svd_by_optimization`.

Methods (see :data:`METHODS`):

``penalty-sgd``, ``penalty-adam``
    Seed 004's formulation (reconstruction MSE plus orthogonality penalties, ``S = diag(s∘s)``),
    exact gradients, SGD with momentum or Adam with weight decay as in the seed (20,000 steps).
``riemannian-tr``
    Maximise the Brockett cost ``tr(Uᵀ A V N)`` over the product of Stiefel manifolds
    ``St(m, k) × St(n, k)`` (``N = diag(k, k−1, …, 1)/k``) with a Riemannian trust-region method
    and truncated conjugate gradients on the exact Riemannian Hessian (QR retraction).  After each
    accepted step a Rayleigh–Ritz rotation (the SVD of the k×k matrix ``UᵀAV``) solves the
    ill-conditioned within-subspace part exactly: the Hessian's eigenvalues there are of order
    ``(σ_i − σ_j)(μ_i − μ_j)``, and without it truncated CG needs hundreds of thousands of steps on
    a 200×100 matrix.  For ``k = min(m, n)`` the CG is preconditioned by scaling the components
    outside span(U), span(V) by ``1/(s_i μ_i)`` (the Hessian's action there at a critical point),
    which brings a random 200×100 matrix to LAPACK accuracy in a handful of steps.  Near the
    optimum the cost's change drops below its rounding error, so steps whose predicted decrease is
    at rounding level are accepted only if they reduce the residual.  Truncated runs
    (``k < min(m, n)``) are unpreconditioned and slow when ``σ_k − σ_{k+1}`` is small.
``jacobi``
    One-sided Jacobi (Hestenes) after a QR step: each plane rotation is the exact minimiser of the
    off-diagonal mass of ``VᵀAᵀAV`` along a geodesic of O(n) (coordinate descent on the
    orthogonal group), n/2 disjoint rotations at a time (round-robin ordering).
``subspace-iteration``
    Two-sided block subspace iteration with a Rayleigh–Ritz step (the SVD of the small projected
    matrix) every iteration.

Every method returns an :class:`SVDOptResult` with ``U``, ``s``, ``Vt``, the history of its
objective, the iteration count, the wall time and a status.
"""
from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._results import Result, Rigour, Status, field_nojson
from .._validation import InputValueError, as_matrix, check_int, check_option, check_real
from ._penalty import penalty_step_size, run_penalty as _run_penalty

__all__ = ["SVDMethod", "SVDOptResult", "METHODS", "svd_by_optimization", "relative_residual", "penalty_step_size"]

_EPS = float(np.finfo(np.float64).eps)
#: Extra entropy for the random starts, so that seed s never reproduces the stream of a user's
#: ``default_rng(s)`` test matrix (a start spanning the exact singular subspace would be a fluke).
_STREAM = 0x5EED_0004


@dataclasses.dataclass(frozen=True)
class SVDMethod:
    """A registered method: its function, default step budget and whether it can reach LAPACK accuracy."""

    name: str
    run: Callable[..., dict[str, Any]]
    default_steps: int
    accurate: bool
    description: str
    history_label: str


@dataclasses.dataclass(frozen=True)
class SVDOptResult(Result):
    """An SVD computed by optimisation.

    Attributes
    ----------
    method : str
        Registry name of the method.
    U : (m, k) ndarray
        Left singular vectors (columns).
    s : (k,) ndarray
        Singular values, sorted descending.
    Vt : (k, n) ndarray
        Right singular vectors (rows).
    history : (iterations,) ndarray
        The objective per iteration (``history_label`` says which).
    history_label : str
        What ``history`` records.
    iterations : int
        Steps (penalty methods) or outer iterations (accurate methods) taken.
    inner_iterations : int
        Inner iterations (truncated-CG steps of the trust-region method; else equal to iterations).
    elapsed_s : float
        Seconds spent in the method.
    relative_residual : float
        ``max(‖A V − U S‖_F, ‖Aᵀ U − V S‖_F) / ‖A‖_F`` at the end.
    seed, rank, shape
        The run's parameters.
    status, reason
        OK when the method met its stopping rule (accurate methods) or ran its budget (penalty
        methods); DIVERGED (non-finite or exploding objective), NOT_CONVERGED or SOLVER_FAILED with
        a diagnosis otherwise.  ``reason`` always says why the run stopped.
    rigour
        NUMERICAL (a floating-point computation; accuracy is judged by ``compare_with_lapack``).
    """

    method: str
    s: NDArray
    iterations: int
    inner_iterations: int
    elapsed_s: float
    relative_residual: float
    history_label: str
    rank: int
    shape: tuple[int, int]
    seed: int | None
    status: Status
    reason: str
    rigour: Rigour
    U: NDArray = field_nojson(default=None)
    Vt: NDArray = field_nojson(default=None)
    history: NDArray = field_nojson(default=None)

    def summary(self) -> str:
        sv = np.array2string(self.s[:6], precision=6, separator=", ")
        more = ", ..." if self.s.size > 6 else ""
        return "\n".join([
            f"svd_by_optimization[{self.method}] on {self.shape[0]}x{self.shape[1]}, rank {self.rank}: {self.status.value}",
            f"  reason: {self.reason}",
            f"  iterations {self.iterations} (inner {self.inner_iterations}), wall time {self.elapsed_s:.3g} s",
            f"  relative residual {self.relative_residual:.3e}",
            f"  final {self.history_label}: {float(self.history[-1]) if self.history is not None and self.history.size else float('nan'):.3e}",
            f"  s = {sv[:-1]}{more}]",
        ])


def relative_residual(A: NDArray, U: NDArray, s: NDArray, Vt: NDArray) -> float:
    """``max(‖A V − U S‖_F, ‖Aᵀ U − V S‖_F) / ‖A‖_F`` for triplets ``(U[:, i], s[i], Vt[i])``.

    Parameters
    ----------
    A : (m, n) ndarray
        The matrix, real floating (not validated).
    U : (m, k) ndarray
        Left singular vectors, as columns.
    s : (k,) ndarray
        Singular values.
    Vt : (k, n) ndarray
        Right singular vectors, as rows.

    Returns
    -------
    float
        The relative residual (dimensionless, not in eps units); 0 if ``A`` is zero, ``inf`` if a
        residual is not finite.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.random.default_rng(0).standard_normal((5, 3))
    >>> U, s, Vt = np.linalg.svd(A, full_matrices=False)
    >>> bool(relative_residual(A, U, s, Vt) < 1e-14)
    True
    """
    na = float(np.linalg.norm(A))
    if na == 0.0:
        return 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        r1 = float(np.linalg.norm(A @ Vt.T - U * s))
        r2 = float(np.linalg.norm(A.T @ U - Vt.T * s))
    r = max(r1, r2)
    return r / na if math.isfinite(r) else math.inf


# --------------------------------------------------------------------------------------------
# penalty methods (seed 004): the runner lives with the formulation in _penalty.py

# --------------------------------------------------------------------------------------------
# helpers for the accurate methods

def _orth(X: NDArray) -> NDArray:
    """Q factor of a thin QR with a non-negative diagonal of R (the qf retraction)."""
    Q, R = np.linalg.qr(X)
    sgn = np.sign(np.diag(R))
    sgn[sgn == 0] = 1.0
    return Q * sgn


def _tol(A: NDArray) -> float:
    return max(A.shape) * _EPS


def _finish_triplets(A: NDArray, U: NDArray, V: NDArray) -> tuple[NDArray, NDArray, NDArray]:
    """Rayleigh quotients s_i = u_iᵀ A v_i, signs flipped into U, sorted descending."""
    s = np.einsum("ij,ij->j", U, A @ V)
    neg = s < 0
    U = U.copy()
    U[:, neg] *= -1.0
    s = np.abs(s)
    order = np.argsort(-s, kind="stable")
    return U[:, order], s[order], V[:, order].T


# --------------------------------------------------------------------------------------------
# block subspace iteration with Rayleigh-Ritz

def _run_subspace(A: NDArray, k: int, steps: int, seed: int, callback: Callable | None) -> dict[str, Any]:
    m, n = A.shape
    p = min(m, n)
    ell = k if k == p else min(p, k + max(5, k // 4))
    rng = np.random.default_rng([seed, _STREAM])
    V = _orth(rng.standard_normal((n, ell)))
    nA = float(np.linalg.norm(A))
    tol = _tol(A)
    hist: list[float] = []
    status, reason = Status.NOT_CONVERGED, ""
    AV = A @ V
    it = 0
    for it in range(1, steps + 1):
        U = _orth(AV)
        Y = A.T @ U
        V, Rv = np.linalg.qr(Y)
        # Rayleigh-Ritz: U^T A V = Y^T V = Rv^T
        P, sig, Qt = np.linalg.svd(Rv.T)
        U = U @ P
        V = V @ Qt.T
        AV = A @ V
        Uk, Vk, sk = U[:, :k], V[:, :k], sig[:k]
        r1 = np.linalg.norm(AV[:, :k] - Uk * sk)
        r2 = np.linalg.norm(A.T @ Uk - Vk * sk)
        rel = max(r1, r2) / nA if nA else 0.0
        hist.append(rel)
        if callback is not None and callback(it - 1, rel):
            status, reason = Status.OK, f"stopped by the callback after {it} iterations"
            break
        if rel <= tol:
            status, reason = Status.OK, f"relative residual {rel:.2e} <= max(m, n) eps = {tol:.2e} after {it} iterations"
            break
        if len(hist) > 6 and hist[-1] > 0.5 * min(hist[-6:-1]) and rel < 10.0 * tol:
            status, reason = Status.OK, (f"relative residual stagnated at {rel:.2e} (rounding level; target "
                                         f"{tol:.2e}) after {it} iterations")
            break
    else:
        reason = (f"relative residual {hist[-1]:.2e} > {tol:.2e} after {steps} iterations; increase steps "
                  "(convergence rate is sigma_{k+1}/sigma_k per iteration)")
    U, s, Vt = _finish_triplets(A, U[:, :k], V[:, :k])
    return dict(U=U, s=s, Vt=Vt, history=np.asarray(hist), iterations=it, inner=it, status=status,
                reason=reason)


# --------------------------------------------------------------------------------------------
# Riemannian trust region for the Brockett cost on St(m,k) x St(n,k)

def _run_riemannian(A0: NDArray, k: int, steps: int, seed: int, callback: Callable | None,
                    ritz: bool = True) -> dict[str, Any]:
    m, n = A0.shape
    scale = float(np.linalg.norm(A0))
    A = A0 / scale if scale > 0 else A0
    At = A.T
    mu = np.arange(k, 0, -1, dtype=np.float64) / k
    rng = np.random.default_rng([seed, _STREAM])
    U = _orth(rng.standard_normal((m, k)))
    V = _orth(rng.standard_normal((n, k)))
    tol = _tol(A0)

    def sym(X: NDArray) -> NDArray:
        return 0.5 * (X + X.T)

    def state(U: NDArray, V: NDArray) -> dict[str, NDArray]:
        AV = A @ V
        AtU = At @ U
        gU = -AV * mu
        gV = -AtU * mu
        f = float(np.einsum("ij,ij->", U, gU))
        SU = sym(U.T @ gU)
        SV = sym(V.T @ gV)
        return dict(U=U, V=V, AV=AV, AtU=AtU, f=f, SU=SU, SV=SV,
                    grad=(gU - U @ SU, gV - V @ SV))

    def proj(X: NDArray, Z: NDArray) -> NDArray:
        return Z - X @ sym(X.T @ Z)

    def hess(st: dict[str, NDArray], xi: tuple[NDArray, NDArray]) -> tuple[NDArray, NDArray]:
        a, b = xi
        hu = -(A @ b) * mu - a @ st["SU"]
        hv = -(At @ a) * mu - b @ st["SV"]
        return proj(st["U"], hu), proj(st["V"], hv)

    def inner(x: tuple[NDArray, NDArray], y: tuple[NDArray, NDArray]) -> float:
        return float(np.vdot(x[0], y[0]) + np.vdot(x[1], y[1]))

    def residual(st: dict[str, NDArray]) -> float:
        s = np.einsum("ij,ij->j", st["U"], st["AV"])
        r1 = np.linalg.norm(st["AV"] - st["U"] * s)
        r2 = np.linalg.norm(st["AtU"] - st["V"] * s)
        return float(max(r1, r2))  # A is scaled to unit Frobenius norm

    dim = m * k - k * (k + 1) // 2 + n * k - k * (k + 1) // 2
    max_inner = max(10, min(dim, 500))
    delta_bar = math.pi * math.sqrt(2 * k)
    delta = delta_bar / 8.0
    st = state(U, V)
    hist: list[float] = []
    total_inner = 0
    status, reason = Status.NOT_CONVERGED, ""
    it = 0
    best = math.inf
    since_best = 0
    for it in range(1, steps + 1):
        rel = residual(st)
        hist.append(rel)
        if rel < 0.5 * best:
            best, since_best = rel, 0
        else:
            since_best += 1
        if callback is not None and callback(it - 1, rel):
            status, reason = Status.OK, f"stopped by the callback after {it} iterations"
            break
        if rel <= tol:
            status, reason = Status.OK, (f"relative residual {rel:.2e} <= max(m, n) eps = {tol:.2e} after {it} "
                                         f"outer / {total_inner} inner iterations")
            break
        if since_best >= 4 and rel < 10.0 * tol:
            status, reason = Status.OK, (f"relative residual stagnated at {rel:.2e} (rounding level; target "
                                         f"{tol:.2e}) after {it} outer iterations")
            break
        g = st["grad"]
        gnorm = math.sqrt(inner(g, g))
        # preconditioner: the Hessian acts on the components of U and V outside span(U), span(V)
        # roughly as right-multiplication by diag(s_i mu_i) (exactly so at a critical point when
        # k = min(m, n)), so those columns are scaled by 1/(s_i mu_i); the rest by 1/(s_1 mu_1)
        sm = np.abs(np.einsum("ij,ij->j", st["U"], st["AV"])) * mu
        top = float(sm.max()) if sm.size else 1.0
        top = top if top > 0 else 1.0
        # for k < min(m, n) the complement blocks couple to the remaining singular values and the
        # diagonal model does not hold; plain (scaled identity) CG is used there
        cK = 1.0 / np.maximum(sm, 1e-10 * top) if k == min(m, n) else np.full(k, 1.0 / top)

        def prec(x: tuple[NDArray, NDArray], st=st, cK=cK, top=top) -> tuple[NDArray, NDArray]:
            a, b = x
            ina = st["U"] @ (st["U"].T @ a)
            inb = st["V"] @ (st["V"].T @ b)
            return ina / top + (a - ina) * cK, inb / top + (b - inb) * cK

        # truncated CG (Steihaug-Toint) on the trust-region subproblem, preconditioned
        eta = (np.zeros_like(U), np.zeros_like(V))
        Heta = (np.zeros_like(U), np.zeros_like(V))
        r = g
        z = prec(r)
        rr = inner(z, r)
        d = (-z[0], -z[1])
        e_Pe, e_Pd, d_Pd = 0.0, 0.0, rr
        hit_boundary = False
        for _j in range(max_inner):
            total_inner += 1
            Hd = hess(st, d)
            dHd = inner(d, Hd)
            alpha = rr / dHd if dHd != 0 else math.inf
            e_Pe_new = e_Pe + 2.0 * alpha * e_Pd + alpha * alpha * d_Pd
            if dHd <= 0 or e_Pe_new >= delta * delta:
                tau = (-e_Pd + math.sqrt(max(e_Pd * e_Pd + d_Pd * (delta * delta - e_Pe), 0.0))) / d_Pd
                eta = (eta[0] + tau * d[0], eta[1] + tau * d[1])
                Heta = (Heta[0] + tau * Hd[0], Heta[1] + tau * Hd[1])
                hit_boundary = True
                break
            eta = (eta[0] + alpha * d[0], eta[1] + alpha * d[1])
            Heta = (Heta[0] + alpha * Hd[0], Heta[1] + alpha * Hd[1])
            e_Pe = e_Pe_new
            r = (r[0] + alpha * Hd[0], r[1] + alpha * Hd[1])
            if math.sqrt(inner(r, r)) <= gnorm * min(gnorm, 0.1):
                break
            z = prec(r)
            rr_new = inner(z, r)
            beta = rr_new / rr
            rr = rr_new
            e_Pd = beta * (e_Pd + alpha * d_Pd)
            d_Pd = rr + beta * beta * d_Pd
            d = (-z[0] + beta * d[0], -z[1] + beta * d[1])
        model_dec = -inner(g, eta) - 0.5 * inner(eta, Heta)
        new = state(_orth(U + eta[0]), _orth(V + eta[1]))
        reg = max(1.0, abs(st["f"])) * _EPS * 1e3
        if model_dec <= 100.0 * reg:
            # the predicted decrease is at the rounding level of f: judge the step by the residual
            # (the gradient's size) instead, which remains computable to working accuracy
            accept = residual(new) < rel
            if not accept:
                delta /= 4.0
        else:
            rho = (st["f"] - new["f"] + reg) / (model_dec + reg)
            if rho < 0.25:
                delta /= 4.0
            elif rho > 0.75 and hit_boundary:
                delta = min(2.0 * delta, delta_bar)
            accept = rho > 0.1
        if accept:
            st = new
            if ritz:  # Rayleigh-Ritz: rotate within the current subspaces by the SVD of U^T A V
                Pm, _, Qmt = np.linalg.svd(st["U"].T @ st["AV"])
                st = state(st["U"] @ Pm, st["V"] @ Qmt.T)
            U, V = st["U"], st["V"]
    else:
        reason = (f"relative residual {hist[-1]:.2e} > {tol:.2e} after {steps} outer iterations; increase steps")
    U, s, Vt = _finish_triplets(A0, st["U"], st["V"])
    return dict(U=U, s=s, Vt=Vt, history=np.asarray(hist), iterations=it, inner=total_inner,
                status=status, reason=reason)


# --------------------------------------------------------------------------------------------
# one-sided Jacobi: coordinate descent on the orthogonal group

def _round_robin(n: int) -> tuple[NDArray, NDArray]:
    """Pairings of the round-robin tournament on n (even) players: (n-1, n/2) index arrays."""
    players = list(range(n))
    P, Q = [], []
    for _ in range(n - 1):
        half = n // 2
        P.append(players[:half])
        Q.append(players[half:][::-1])
        players = [players[0]] + [players[-1]] + players[1:-1]
    return np.asarray(P), np.asarray(Q)


def _run_jacobi(A0: NDArray, k: int, steps: int, seed: int, callback: Callable | None) -> dict[str, Any]:
    transposed = A0.shape[0] < A0.shape[1]
    A = A0.T if transposed else A0
    m, n = A.shape
    rng = np.random.default_rng([seed, _STREAM])
    # QR preconditioning (Drmac-Veselic): rotate the n x n triangular factor instead of A
    if m > n:
        Q, G = np.linalg.qr(A)
    else:
        Q, G = None, A.copy()
    G = np.array(G, dtype=np.float64, order="F")
    nn = n + (n % 2)
    if nn != n:
        G = np.hstack([G, np.zeros((G.shape[0], 1))])
    V = np.eye(nn)
    perm = rng.permutation(nn)  # the seed only permutes the pairing order
    P, Qi = _round_robin(nn)
    P, Qi = perm[P], perm[Qi]
    tol = math.sqrt(G.shape[0]) * _EPS
    hist: list[float] = []
    status, reason = Status.NOT_CONVERGED, ""
    sweep = 0
    for sweep in range(1, steps + 1):
        worst = 0.0
        for p, q in zip(P, Qi):
            Gp, Gq = G[:, p], G[:, q]
            a = np.einsum("ij,ij->j", Gp, Gp)
            b = np.einsum("ij,ij->j", Gq, Gq)
            c = np.einsum("ij,ij->j", Gp, Gq)
            den = np.sqrt(a) * np.sqrt(b)
            with np.errstate(divide="ignore", invalid="ignore"):
                off = np.where(den > 0, np.abs(c) / np.where(den > 0, den, 1.0), 0.0)
            rot = off > tol
            if not rot.any():
                continue
            worst = max(worst, float(off.max()))
            p, q, a, b, c = p[rot], q[rot], a[rot], b[rot], c[rot]
            zeta = (b - a) / (2.0 * c)
            t = np.sign(zeta) / (np.abs(zeta) + np.sqrt(1.0 + zeta * zeta))
            t = np.where(zeta == 0, 1.0, t)
            cs = 1.0 / np.sqrt(1.0 + t * t)
            sn = cs * t
            Gp, Gq = G[:, p], G[:, q]
            G[:, p] = Gp * cs - Gq * sn
            G[:, q] = Gp * sn + Gq * cs
            Vp, Vq = V[:, p], V[:, q]
            V[:, p] = Vp * cs - Vq * sn
            V[:, q] = Vp * sn + Vq * cs
        hist.append(worst)
        if callback is not None and callback(sweep - 1, worst):
            status, reason = Status.OK, f"stopped by the callback after {sweep} sweeps"
            break
        if worst <= tol:
            status, reason = Status.OK, (f"all column pairs orthogonal to sqrt(m) eps = {tol:.2e} after {sweep} "
                                         "sweeps")
            break
    else:
        reason = f"largest column cosine {hist[-1]:.2e} > {tol:.2e} after {steps} sweeps; increase steps"
    G, V = G[:, :n], V[:n, :n]
    sig = np.linalg.norm(G, axis=0)
    order = np.argsort(-sig, kind="stable")
    sig, G, V = sig[order], G[:, order], V[:, order]
    pos = sig > 0
    Uc = np.zeros_like(G)
    Uc[:, pos] = G[:, pos] / sig[pos]
    if not pos.all():  # complete an orthonormal basis for the zero singular values
        Qc, _ = np.linalg.qr(np.hstack([Uc[:, pos], rng.standard_normal((G.shape[0], int((~pos).sum())))]))
        Uc[:, ~pos] = Qc[:, int(pos.sum()):]
    U = Q @ Uc if Q is not None else Uc
    U, s, V = U[:, :k], sig[:k], V[:, :k]
    if transposed:
        U, V = V, U
    return dict(U=U, s=s, Vt=V.T, history=np.asarray(hist), iterations=sweep, inner=sweep * (nn - 1),
                status=status, reason=reason)


#: Registered methods: name -> :class:`SVDMethod`.
METHODS: dict[str, SVDMethod] = {
    "penalty-sgd": SVDMethod("penalty-sgd", _run_penalty("penalty-sgd"), 20_000, False,
                             "seed 004: MSE + orthogonality penalties, SGD momentum 0.9, lr 0.9 halved and "
                             "restarted after each divergence (the seed's fixed 0.9 diverges on larger "
                             "matrices)", "loss"),
    "penalty-adam": SVDMethod("penalty-adam", _run_penalty("penalty-adam"), 20_000, False,
                              "seed 004: MSE + orthogonality penalties, Adam lr 1e-3 weight decay 1e-5", "loss"),
    "riemannian-tr": SVDMethod("riemannian-tr", _run_riemannian, 100, True,
                               "Brockett cost on St(m,k) x St(n,k), Riemannian trust region + truncated CG "
                               "with a Rayleigh-Ritz rotation after each accepted step",
                               "relative residual"),
    "jacobi": SVDMethod("jacobi", _run_jacobi, 30, True,
                        "one-sided Jacobi: plane rotations minimising the off-diagonal mass (coordinate "
                        "descent on O(n)) after a QR step", "largest column cosine"),
    "subspace-iteration": SVDMethod("subspace-iteration", _run_subspace, 500, True,
                                    "two-sided block subspace iteration with Rayleigh-Ritz", "relative residual"),
}


def svd_by_optimization(
    A: ArrayLike, *, method: str, rank: int | None = None, steps: int | None = None,
    seed: int | None = None, callback: Callable[[int, float], Any] | None = None,
    lr: float | str | None = None,
) -> SVDOptResult:
    """Compute a (truncated) SVD of ``A`` by an optimisation method from :data:`METHODS`.

    Parameters
    ----------
    A : (m, n) array_like
        Real matrix (computed in float64).
    method : str
        One of :data:`METHODS`: ``"penalty-sgd"``, ``"penalty-adam"`` (seed 004),
        ``"riemannian-tr"``, ``"jacobi"``, ``"subspace-iteration"`` (reach LAPACK-level accuracy).
    rank : int, optional
        Number of singular triplets ``k`` (default ``min(m, n)``).
    steps : int, optional
        Iteration budget (default: the method's, 20,000 for the penalty methods).
    seed : int, optional
        Seed of the random start (default 0).
    callback : callable, optional
        ``callback(iteration, value)`` after each iteration with the recorded objective (the loss
        for penalty methods, the relative residual otherwise); returning True stops the run.
    lr : float or "auto", optional
        Step size of the penalty methods only (refused for the others).  Default: ``"auto"`` for
        ``penalty-sgd`` (the seed's 0.9, halved and restarted from the start after each divergence,
        up to 12 times: divergence shows within tens of steps, so this costs little; the curvature
        bound :func:`penalty_step_size` is safe but 5-10× too small) and the seed's 1e-3 for
        ``penalty-adam``.  A given float is used as is, without restarts.

    Returns
    -------
    SVDOptResult
        ``U`` (m, k), ``s`` (k,) sorted descending, ``Vt`` (k, n), ``history``, ``iterations``,
        ``elapsed_s``, ``relative_residual``, ``status`` (rigour NUMERICAL).

    Raises
    ------
    InputValueError
        NaN/Inf, empty or non-2-D ``A``; unknown method; rank outside [1, min(m, n)]; steps < 1.
    InputTypeError
        Complex ``A`` (real SVD only).

    Notes
    -----
    Cost per iteration: penalty methods O(mnk) (tiny matrices, Python-loop bound: about 30 µs a
    step at 5×4); ``subspace-iteration`` O(mnk) plus a k×k SVD; ``riemannian-tr`` O(mnk) per
    inner CG step (a handful on a random 200×100 matrix, about 2,000 on a graded one); ``jacobi`` O(mn²) per sweep
    (about 10 sweeps); rank < min(m, n) for ``jacobi`` truncates the full decomposition.  The accurate methods stop when the relative residual reaches
    ``max(m, n)·eps`` or stagnates at rounding level; the penalty methods run their fixed budget.
    For ``rank = min(m, n)`` subspace iteration converges in one step (the subspace is the whole
    range) and its Rayleigh–Ritz step is then a dense SVD of the projected matrix.  The accurate
    methods run on ``A`` scaled by a power of two (exact, except that scaling down may round entries
    on the subnormal grid: by at most 2⁻¹⁰⁷⁵, far below ``eps·max|a_ij|``), so huge and tiny scales are safe; the
    penalty methods run on ``A`` as given, like the seed (their learning rates are scale-dependent).

    References
    ----------
    .. [1] P.-A. Absil, R. Mahony, R. Sepulchre, Optimization Algorithms on Matrix Manifolds,
       Princeton University Press, 2008, doi:10.1515/9781400830244.
    .. [2] P.-A. Absil, C. G. Baker, K. A. Gallivan, "Trust-region methods on Riemannian
       manifolds", Found. Comput. Math. 7 (2007) 303–330, doi:10.1007/s10208-005-0179-9.
    .. [3] H. Sato, T. Iwai, "A Riemannian optimization approach to the matrix singular value
       decomposition", SIAM J. Optim. 23 (2013) 188–212, doi:10.1137/120872887.
    .. [4] Y. Saad, Numerical Methods for Large Eigenvalue Problems, 2nd ed., SIAM, 2011,
       doi:10.1137/1.9781611970739 (subspace iteration, Rayleigh–Ritz).
    .. [5] M. R. Hestenes, "Inversion of matrices by biorthogonalization and related results",
       J. SIAM 6 (1958) 51–90, doi:10.1137/0106005; Z. Drmač, K. Veselić, "New fast and accurate
       Jacobi SVD algorithm I", SIAM J. Matrix Anal. Appl. 29 (2008) 1322–1342,
       doi:10.1137/050639193 (one-sided Jacobi with QR preconditioning).

    Examples
    --------
    >>> import numpy as np
    >>> A = np.random.default_rng(1).standard_normal((8, 5))
    >>> res = svd_by_optimization(A, method="riemannian-tr", seed=0)
    >>> res.ok, res.U.shape, res.Vt.shape
    (True, (8, 5), (5, 5))
    >>> bool(np.allclose(res.s, np.linalg.svd(A, compute_uv=False), rtol=1e-12))
    True
    """
    A_ = as_matrix(A, "A", func="svd_by_optimization", keep_dtype=False)
    return _optimize(A_, method=method, rank=rank, steps=steps, seed=seed, callback=callback, lr=lr)


def _optimize(A_: NDArray, *, method: str, rank: int | None, steps: int | None, seed: int | None,
              callback: Callable[[int, float], Any] | None, lr: float | str | None) -> SVDOptResult:
    """The body of :func:`svd_by_optimization` for an already validated float64 matrix ``A_``."""
    func = "svd_by_optimization"
    check_option(method, "method", tuple(METHODS), func=func)
    m, n = A_.shape
    k = check_int(rank, "rank", func=func, minimum=1, maximum=min(m, n), allow_none=True)
    k = min(m, n) if k is None else k
    spec = METHODS[method]
    steps_ = check_int(steps, "steps", func=func, minimum=1, allow_none=True)
    steps_ = spec.default_steps if steps_ is None else steps_
    seed_ = check_int(seed, "seed", func=func, minimum=0, allow_none=True)
    seed_ = 0 if seed_ is None else seed_
    if callback is not None and not callable(callback):
        from .._validation import InputTypeError

        raise InputTypeError(f"The 'callback' parameter of {func} must be callable, got {type(callback).__name__}")
    extra: dict[str, Any] = {}
    if lr is not None:
        if spec.accurate:
            raise InputValueError(f"{func}: 'lr' applies to the penalty methods only, not to {method!r}")
        if lr != "auto":
            extra["lr"] = check_real(lr, "lr", func=func, lo=0.0, lo_open=True)
        else:
            extra["lr"] = "auto"
    t0 = time.perf_counter()
    # the accurate methods work on A scaled by a power of two (exact up to subnormal rounding of entries
    # below 2^-1022 max|a_ij|, a relative perturbation < 2^-1074) so that huge or tiny entries
    # neither overflow nor underflow; the penalty methods keep the seed's unscaled dynamics
    amax = float(np.abs(A_).max())
    shift = -math.frexp(amax)[1] if (spec.accurate and amax > 0) else 0
    out = spec.run(np.ldexp(A_, shift) if shift else A_, k, steps_, seed_, callback, **extra)
    wall = time.perf_counter() - t0
    U, s, Vt = out["U"], out["s"], out["Vt"]
    if shift:
        s = np.ldexp(s, -shift)
    rel = (relative_residual(np.ldexp(A_, shift), U, out["s"], Vt)  # scale-invariant: use the scaled A
           if np.isfinite(U).all() and np.isfinite(Vt).all() else math.inf)
    return SVDOptResult(method=method, s=s, iterations=int(out["iterations"]),
                        inner_iterations=int(out["inner"]), elapsed_s=wall, relative_residual=rel, rigour=Rigour.NUMERICAL,
                        history_label=spec.history_label, rank=k, shape=(m, n), seed=seed_,
                        status=out["status"], reason=out["reason"], U=U, Vt=Vt,
                        history=np.asarray(out["history"], dtype=np.float64))
