"""Exact and interval arithmetic behind the 2->q certificates: Arb enclosures of floats, Dekker
products, the Arb-verified shifted Cholesky (Rump), the exact integer projection onto the
coefficient-matching space, uniform-sphere moments.  Private to ``proofs_check.norms``.

References: T. J. Dekker, Numer. Math. 18 (1971) 224-242, doi:10.1007/BF01397083; S. M. Rump,
"Verification of positive definiteness", BIT 46 (2006) 433-452, doi:10.1007/s10543-006-0056-1;
H. Peyrl, P. A. Parrilo, Theoret. Comput. Sci. 409 (2008) 269-281, doi:10.1016/j.tcs.2008.09.025.
"""
from __future__ import annotations

import math
import sys
from typing import Any

import numpy as np
from flint import arb, arb_mat
from numpy.typing import ArrayLike, NDArray

from linalg_lab.internal import InputValueError, as_matrix
from linalg_lab.norms import FormBasis

from .._arb import lower_float, upper_float, working_prec

_PREC = 160

def _lo(x: arb) -> float:
    """lower_float, but never +inf: a ball above the float range is bounded below by the largest
    finite float (``lower_float`` would return inf there, which is not a lower bound)."""
    f = lower_float(x)
    return sys.float_info.max if f == math.inf else f


def _up(x: arb) -> float:
    """upper_float, but never -inf (symmetric to :func:`_lo`); NaN balls give +inf."""
    f = upper_float(x)
    return -sys.float_info.max if f == -math.inf else f


def _root_upper(x: arb, q: int) -> float:
    """Upper bound on max(x, 0)^(1/q) over the ball (inf for a non-finite ball)."""
    if not x.is_finite():
        return math.inf
    u = x.upper().nonnegative_part()
    r = u.sqrt().sqrt() if q == 4 else (u ** (arb(1) / q) if u > 0 else arb(0))
    return _up(r)


def _root_lower(x: arb, q: int) -> float:
    """Lower bound on max(x, 0)^(1/q) over the ball (0 when the ball reaches 0 or below)."""
    if not x.is_finite() or not (x > 0):
        return 0.0
    return _lo(x.sqrt().sqrt() if q == 4 else x ** (arb(1) / q))


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


def _exact_products(Xs: NDArray[np.float64], idx: NDArray[np.intp]) -> list[NDArray[np.float64]]:
    """Float matrices (n x D) whose sum is EXACTLY prod_j Xs[:, idx[:, j]] (Dekker products,
    2^(k-1) terms, all-zero terms dropped); needs no underflow of the error terms."""
    terms = [Xs[:, idx[:, 0]]]
    for j in range(1, idx.shape[1]):
        nxt = []
        for t in terms:
            p, r = _two_product(t, Xs[:, idx[:, j]])
            nxt += [p, r]
        terms = [t for t in nxt if np.any(t)]
    return terms


def _plain_arb(B: FormBasis, X: NDArray[np.float64], e: int = 0) -> arb_mat:
    """Exact Arb matrix (D x n) of the plain coefficient vectors u_i = (c_P x_i^P)_P of the exactly
    scaled matrix X 2^-e (at the working precision, >= 107 bits; radii where a sum of the exact
    float parts needs more bits)."""
    Xs = np.ldexp(X, -e)
    k = B.k
    exact_scaling = bool(np.array_equal(np.ldexp(Xs, e), X))
    nz = Xs[Xs != 0]
    if not exact_scaling or (nz.size and (np.min(np.abs(nz)) < 2.0 ** (-800 // k)
                                          or np.max(np.abs(nz)) > 2.0 ** 400)):
        # The float scaling rounded (entries pushed into the subnormal range) or Dekker's
        # products could underflow/overflow: form them one by one in Arb from the exact X.
        s = arb(2) ** (-e)
        xa = [[arb(float(v)) * s for v in row] for row in X]
        ents = []
        for P in range(B.D):
            f = int(B.multinom[P])
            for i in range(Xs.shape[0]):
                t = arb(f)
                for j in B.idx[P].tolist():
                    t = t * xa[i][j]
                ents.append(t)
        return arb_mat(B.D, Xs.shape[0], ents)
    terms = _exact_products(Xs, B.idx)
    f = B.multinom.astype(np.float64)
    if np.any(f != 1.0):  # c_P x^P: one more exact product per term (c_P is a small integer)
        more = []
        for t in terms:
            p, r = _two_product(t, np.broadcast_to(f, t.shape))
            more += [p, r]
        terms = [t for t in more if np.any(t)]
    D, n = B.D, Xs.shape[0]
    if not terms:
        return arb_mat(D, n)
    out = arb_mat(D, n, np.ascontiguousarray(terms[0].T).ravel().tolist())
    for t in terms[1:]:
        out += arb_mat(D, n, np.ascontiguousarray(t.T).ravel().tolist())
    return out


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


def certified_lower_q(X: NDArray[np.float64], v: NDArray[np.float64], q: int = 4) -> arb:
    """Arb enclosure of sum_i (x_i . v)^q / ||v||^q at the float vector v (exact inputs, even q).

    Parameters
    ----------
    X : (n, d) ndarray of float64
        The matrix; its entries are taken as exact.  Not validated (the public entry points
        check X first).
    v : (d,) array_like of float
        The point, any non-zero length (it is not normalised first: ||v|| is enclosed too).
    q : int, default 4
        Even exponent q >= 2.  Not checked: the code raises (x_i . v)^2 to the power q // 2, so
        an odd q is read as q - 1.

    Returns
    -------
    arb
        A ball containing ||X v||_q^q / ||v||_2^q (q-th-power units), computed in Arb at 160
        bits (scoped); its lower end is a certified lower bound on ||X||_{2->q}^q.  A zero v
        gives a NaN ball.

    Examples
    --------
    >>> import numpy as np
    >>> val = certified_lower_q(np.diag([2.0, 1.0]), np.array([1.0, 0.0]), 4)
    >>> bool(val.contains(16)), bool(val > 15.99)
    (True, True)
    """
    n, d = X.shape
    h = q // 2
    with working_prec(_PREC):
        Xa = arb_mat(n, d, X.ravel().tolist())
        va = arb_mat(d, 1, [float(t) for t in v])
        z = Xa * va
        s = arb(0)
        for i in range(n):
            zi = z[i, 0]
            s += (zi * zi) ** h
        nv = (va.transpose() * va)[0, 0]
        return s / nv ** h


def certified_lower4(X: NDArray[np.float64], v: NDArray[np.float64]) -> arb:
    """Arb enclosure of sum_i (x_i . v)^4 / ||v||^4 (``certified_lower_q`` with q = 4).

    Parameters
    ----------
    X : (n, d) ndarray of float64
        The matrix; its entries are taken as exact (not validated).
    v : (d,) array_like of float
        The non-zero point (not normalised first).

    Returns
    -------
    arb
        A ball containing ||X v||_4^4 / ||v||_2^4 (4th-power units); its lower end is a certified
        lower bound on ||X||_{2->4}^4.
    """
    return certified_lower_q(X, v, 4)


def _exact_projection(B: FormBasis, Lt: NDArray[np.float64]) -> tuple[NDArray[np.int64], int, float]:
    """Project L~ onto K (floating point), round its upper entries to the grid 2^-k and make the
    projection exact in integers.

    Returns (Z, k, change) with L = Z 2^-k entrywise on (P1, P2); the ordered entries of every
    degree-q monomial sum to exactly zero (checked in integers)."""
    vals = Lt[B.P1, B.P2]
    w = np.where(B.offdiag, 2, 1).astype(np.int64)
    # orthogonal projection in floating point: subtract each monomial's mean over ordered entries
    sf = np.bincount(B.alpha, weights=w * vals, minlength=B.N)
    proj = vals - (sf / B.mult)[B.alpha]
    m = float(np.max(np.abs(proj))) if proj.size else 0.0
    k = 50 - (math.frexp(m)[1] if m > 0 else 0)
    Z = np.rint(np.ldexp(proj, k)).astype(np.int64)
    s = np.zeros(B.N, dtype=np.int64)
    np.add.at(s, B.alpha, w * Z)
    # representative per monomial: a diagonal entry (weight 1) if there is one, else any entry
    # (weight 2; then every entry has weight 2 and s is even).  |s| <= mult 2^51 < 2^63.
    T = B.alpha.size
    rep = np.full(B.N, -1, dtype=np.int64)
    order = np.argsort(w, kind="stable")  # weight-1 (diagonal) entries first
    first = np.full(B.N, T, dtype=np.int64)
    np.minimum.at(first, B.alpha[order], np.arange(T))
    rep = order[first]
    wr = w[rep]
    if np.any(s % wr != 0):  # pragma: no cover - integer identity
        raise AssertionError("exact projection: odd remainder on an off-diagonal monomial")
    Z[rep] -= s // wr
    chk = np.zeros(B.N, dtype=np.int64)
    np.add.at(chk, B.alpha, w * Z)
    if np.any(chk != 0):  # pragma: no cover - integer identity
        raise AssertionError("exact projection failed")
    change = float(np.max(np.abs(np.ldexp(Z.astype(np.float64), -k) - vals))) if vals.size else 0.0
    return Z, k, change


def _sym_arb_from_upper(B: FormBasis, Z: NDArray[np.int64]) -> arb_mat:
    full = np.zeros((B.D, B.D), dtype=object)
    zl = Z.tolist()
    for (i, j, z) in zip(B.P1.tolist(), B.P2.tolist(), zl):
        full[i, j] = z
        full[j, i] = z
    return arb_mat(B.D, B.D, full.ravel().tolist())


def _sphere_moments(B: FormBasis) -> NDArray[np.float64]:
    """E[v^alpha] over the uniform unit sphere for the degree-2k monomials (floating point;
    ``FormBasis.sphere_moments``).  Only a starting guess: the moment certificate verifies the
    pseudo-moments it builds from them in Arb."""
    return B.sphere_moments()
