"""The moment relaxation of the degree-q SoS bound posed directly in SCS's standard form.

cvxpy's canonicalisation of ``reshape(Bmap @ y) >> 0`` builds and reduces a D^2 x N map and
symmetrises it (a few seconds at D = 820 and large peak memory); the problem is simple enough to
write down in SCS's form at once: variables x = y (one pseudo-moment per degree-q monomial),

    minimise  -g . y   s.t.   normq . y = 1               (zero cone, one row)
                              svec(Y(y)) in S^D_+          (PSD cone, T = D(D+1)/2 rows)

where svec lists the lower triangle column by column (the upper triangle row by row: the order
of ``FormBasis.P1, P2``) with the off-diagonal entries scaled by sqrt(2).  Each PSD row has one
non-zero (the entry (P, R) of the moment matrix is c_P c_R y_alpha(P, R)), so A^T A is diagonal
plus a rank-one term and SCS's linear solves are negligible: its cost is one D x D
eigendecomposition per iteration (the projection onto the PSD cone).

SCS's dual variable of the PSD cone, unpacked with smat (off-diagonals divided by sqrt(2)), is the
Gram matrix S with lambda ||v||^q - p(v) = m(v)^T S m(v) (dual stationarity A^T z + c = 0), and
the dual variable of the zero cone is lambda.

References: B. O'Donoghue, E. Chu, N. Parikh, S. Boyd, "Conic optimization via operator splitting
and homogeneous self-dual embedding", J. Optim. Theory Appl. 169 (2016) 1042-1068,
doi:10.1007/s10957-016-0892-3 (SCS; its cone ordering and svec convention).
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from ._basis import FormBasis

__all__ = ["scs_moment_solve", "smat"]

_SQRT2 = math.sqrt(2.0)


def _svec_map(B: FormBasis) -> sp.csc_matrix:
    """(1 + T) x N matrix A of SCS's form (row 0: the zero cone; rows 1..T: -svec(Y(y)))."""
    T = B.P1.size
    w = B.c[B.P1] * B.c[B.P2] * np.where(B.offdiag, _SQRT2, 1.0)
    nzn = np.flatnonzero(B.normq)
    rows = np.concatenate([np.zeros(nzn.size, dtype=np.int64), 1 + np.arange(T, dtype=np.int64)])
    cols = np.concatenate([nzn, B.alpha]).astype(np.int64)
    vals = np.concatenate([B.normq[nzn], -w])
    return sp.csc_matrix((vals, (rows, cols)), shape=(1 + T, B.N))


def smat(B: FormBasis, z: NDArray[np.float64]) -> NDArray[np.float64]:
    """Symmetric D x D matrix from its SCS svec (upper triangle row by row, off-diagonals x sqrt 2)."""
    vals = np.where(B.offdiag, z / _SQRT2, z)
    S = np.empty((B.D, B.D))
    S[B.P1, B.P2] = vals
    S[B.P2, B.P1] = vals
    return S


def scs_moment_solve(B: FormBasis, g: NDArray[np.float64], settings: dict[str, Any], *,
                     warm: dict[str, NDArray[np.float64]] | None = None) -> dict[str, Any]:
    """Solve the scaled moment relaxation max g.y s.t. normq.y = 1, Y(y) PSD with SCS directly.

    Parameters
    ----------
    B : FormBasis
        Monomial bookkeeping (D, N, P1, P2, alpha, c, normq).
    g : (N,) array
        Coefficients of the scaled form p / scale_q in the degree-q monomial basis.
    settings : dict
        SCS settings (e.g. eps_abs, eps_rel, max_iters); ``verbose`` is turned off.
    warm : dict, optional
        Initial x (N,), y (1 + T,), s (1 + T,) for SCS's warm start.

    Returns
    -------
    dict
        ``status`` (SCS's status string, e.g. 'solved', 'solved_inaccurate'), ``y`` (N,)
        pseudo-moments, ``S`` (D, D) Gram matrix (dual of the PSD cone), ``lam`` (dual of the
        zero cone), ``primal`` (g . y), ``solve_s``/``setup_s`` (SCS's own timings, seconds),
        ``iters`` and the raw ``x``, ``z``, ``s`` vectors (for warm starts).
    """
    import scs

    A = _svec_map(B)
    T = B.P1.size
    b = np.zeros(1 + T)
    b[0] = 1.0
    data = {"A": A, "b": b, "c": -np.asarray(g, dtype=np.float64)}
    cone = {"z": 1, "s": [B.D]}
    solver = scs.SCS(data, cone, **{**settings, "verbose": False})
    if warm is not None:
        sol = solver.solve(warm_start=True, x=warm["x"], y=warm["y"], s=warm["s"])
    else:
        sol = solver.solve()
    info = sol["info"]
    z = np.asarray(sol["y"], dtype=np.float64)
    x = np.asarray(sol["x"], dtype=np.float64)
    return {"status": str(info["status"]), "y": x, "S": smat(B, z[1:]), "lam": float(z[0]),
            "primal": float(np.dot(g, x)), "solve_s": float(info["solve_time"]) / 1e3,
            "setup_s": float(info["setup_time"]) / 1e3, "iters": int(info["iter"]),
            "x": x, "z": z, "s": np.asarray(sol["s"], dtype=np.float64)}
