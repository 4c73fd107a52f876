"""Adversarial matrix families for the certified entry points (issue 10's standing suite).

Every family is a function ``(rng, m, n) -> ndarray`` of exact float64 matrices designed against a
known weakness: huge dynamic range, clusters, rank deficiency, subnormals, entries near overflow,
single rows/columns, entries that power-of-two scaling rounds, companion and Kahan matrices.
References are computed in mpmath at enough digits for the matrix's dynamic range
(:func:`reference_dps`), from the exact float entries.
"""
from __future__ import annotations

import math

import numpy as np
from mpmath import matrix, mp, mpf, svd_r

TINY = float(np.finfo(float).tiny)
MAX = float(np.finfo(float).max)


def _orth(rng, n):
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def gaussian(rng, m, n):
    return rng.standard_normal((m, n))


def graded(rng, m, n):
    """Rows and columns graded over 1e-150 .. 1e150 (a two-sided diagonal scaling of a Gaussian)."""
    r = np.logspace(-150, 150, m)
    c = np.logspace(150, -150, n)
    return rng.standard_normal((m, n)) * r[:, None] * c[None, :]


def clustered(rng, m, n):
    """Singular values in a tight cluster at 1 (relative spread 1e-12) plus one far smaller."""
    k = min(m, n)
    s = 1 + 1e-12 * rng.standard_normal(k)
    s[-1] = 1e-3
    return (_orth(rng, m)[:, :k] * s) @ _orth(rng, n)[:, :k].T


def rank_deficient(rng, m, n):
    k = max(1, min(m, n) // 2)
    return rng.standard_normal((m, k)) @ rng.standard_normal((k, n))


def subnormal(rng, m, n):
    """Entries on the subnormal grid (integers times 2^-1074)."""
    return rng.integers(-8, 9, size=(m, n)).astype(float) * 5e-324


def near_overflow(rng, m, n):
    """Entries within a factor 4 of the largest float (norms may exceed the float range)."""
    return rng.uniform(-1, 1, size=(m, n)) * (MAX / 4)


def pow2_rounding(rng, m, n):
    """Entries spanning 2^-1070 .. 2^1020: scaling by the largest power of two rounds the small ones."""
    a = rng.standard_normal((m, n)) * 2.0**-1070
    a[0, 0] = 2.0**1020
    return a


def companion(rng, m, n):
    """A companion matrix of a random polynomial (extreme non-normality), padded to (m, n)."""
    k = min(m, n)
    c = np.zeros((k, k))
    c[1:, :-1] = np.eye(k - 1)
    c[:, -1] = rng.standard_normal(k) * 10.0 ** rng.integers(-3, 4, size=k)
    out = np.zeros((m, n))
    out[:k, :k] = c
    return out


def kahan(rng, m, n, theta=1.2):
    """Kahan's upper-triangular matrix (graded, ill-conditioned; QR without pivoting misjudges it)."""
    k = min(m, n)
    s, c = math.sin(theta), math.cos(theta)
    K = np.triu(-c * np.ones((k, k)), 1) + np.eye(k)
    K = np.diag(s ** np.arange(k)) @ K
    out = np.zeros((m, n))
    out[:k, :k] = K
    return out


FAMILIES = {f.__name__: f for f in (gaussian, graded, clustered, rank_deficient, subnormal, near_overflow,
                                    pow2_rounding, companion, kahan)}
SHAPES = [(1, 7), (7, 1), (5, 5), (9, 4), (4, 9)]


def reference_dps(A) -> int:
    """Digits for an mpmath reference: the dynamic range of the nonzero entries plus 40."""
    nz = np.abs(A[A != 0])
    if nz.size == 0:
        return 40
    return int(60 + math.log10(nz.max()) - math.log10(nz.min()))


def singular_values_mp(A) -> list:
    """All singular values of the exact float matrix ``A``, descending, at :func:`reference_dps`."""
    with mp.workdps(reference_dps(A)):
        M = matrix([[mpf(float(x)) for x in row] for row in A])
        s = svd_r(M, compute_uv=False)
        return sorted((s[i] for i in range(min(A.shape))), reverse=True)


def cases(n_seeds: int, seed0: int = 0):
    """(case id, matrix) for every family x shape x seed."""
    for name, f in FAMILIES.items():
        for (m, n) in SHAPES:
            for s in range(seed0, seed0 + n_seeds):
                rng = np.random.default_rng([s, m, n, len(name)])
                yield f"{name}-{m}x{n}-s{s}", f(rng, m, n)
