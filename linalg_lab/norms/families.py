"""Instance families for ||X||_{2->4} with known values (tests, report, CLI demos).

Every family returns an :class:`Instance`: the matrix, the true value of the NORM and of its 4th
power (``truth``/``truth4``; exact rationals where the rows are exact in float64), the relative
accuracy to which the truth is known for the float64 matrix (0 when exact), and whether the
degree-4 SoS relaxation is exact on it.

=============  =====================================================  ========================
family         rows                                                   ||X||_{2->4}^4
=============  =====================================================  ========================
orthogonal     a seeded orthogonal d x d matrix (QR of a Gaussian)    1 (up to rounding of Q)
hadamard       Sylvester Hadamard matrix of order d = 2^k             d^2
signs          all 2^d vectors in {-1, 1}^d                           2^d (3 - 2/d)
polygon        m lines (cos k pi/m, sin k pi/m), m >= 3 (4-design)    3m/8 (up to rounding)
d4-roots       the 12 lines e_i +- e_j of the D4 root system          6 (5-design, |x|^2 = 2)
e8-roots       the 120 lines of the E8 root system                    18 (7-design, |x|^2 = 2)
rank-one       a b^T with integer a (n), b (d)                        ||a||_4^4 ||b||_2^4
sparse         1-sparse integer rows c_i e_{j(i)}                     max_j sum_{j(i)=j} c_i^4
gaussian       seeded standard Gaussian n x d (n = 2 d^2)             unknown (certify it)
gap            111 integer rows in R^4 with sum (x_i.v)^4 =           288, while the degree-4
               288 ||v||^4 - 144 CL(v), CL the Choi-Lam form          SoS bound is ~292.92
=============  =====================================================  ========================

For a spherical 4-design {u_1..u_N} on S^(d-1), sum_i (u_i . v)^4 = 3N/(d(d+2)) ||v||^4 for every v
(so every unit vector is a maximiser).  The gap instance rests on the Choi-Lam quartic
CL(w,x,y,z) = w^4 + x^2y^2 + y^2z^2 + z^2x^2 - 4wxyz, non-negative by AM-GM and not a sum of
squares (Choi & Lam 1977): p = 288 ||v||^4 - 144 CL has maximum 288 on the sphere (attained at
e_x, where CL = 0), but 288 ||v||^4 - p = 144 CL is not SoS, so the SoS bound exceeds 288.  The
rows come from the identity 288 N - 144 CL = sum of weighted 4th powers of integer linear forms
(checked exactly by :func:`gap_identity_residual`); integer weights are realised by repeating rows
(each weight written as a sum of integer 4th powers).

References
----------
M. D. Choi, T. Y. Lam, "Extremal positive semidefinite forms", Math. Ann. 231 (1977) 1-18,
doi:10.1007/BF01360024.
P. Delsarte, J. M. Goethals, J. J. Seidel, "Spherical codes and designs", Geom. Dedicata 6 (1977)
363-388, doi:10.1007/BF03187604.
"""
from __future__ import annotations

import dataclasses
import itertools
import math
from fractions import Fraction
from typing import Callable

import numpy as np
from numpy.typing import NDArray

from .._validation import InputValueError, check_int

__all__ = ["Instance", "FAMILIES", "make_instance", "gap_instance", "gap_identity_residual",
           "gaussian_instance"]


@dataclasses.dataclass(frozen=True)
class Instance:
    """A test matrix with its known 2->4 norm (``truth``, NORM) and 4th power (``truth4``)."""

    family: str
    X: NDArray[np.float64]
    truth4: Fraction | float | None
    truth_rtol: float
    sos_exact: bool
    description: str
    maximiser: NDArray[np.float64] | None = None

    @property
    def truth(self) -> float | None:
        """The NORM ||X||_{2->4} (float; ``truth4`` may be an exact Fraction)."""
        return None if self.truth4 is None else float(self.truth4) ** 0.25

    @property
    def d(self) -> int:
        return int(self.X.shape[1])


def _orthogonal(d: int = 6, seed: int = 0) -> Instance:
    Q, R = np.linalg.qr(np.random.default_rng(seed).standard_normal((d, d)))
    Q = Q * np.sign(np.diag(R))
    return Instance("orthogonal", Q, Fraction(1), 8 * d * np.finfo(float).eps, True,
                    f"seeded orthogonal {d}x{d} matrix: ||Qv||_4 <= ||Qv||_2 = 1, equality at rows",
                    Q[0].copy())


def _hadamard(d: int = 8, seed: int = 0) -> Instance:
    k = int(round(math.log2(d)))
    if 2 ** k != d:
        raise InputValueError(f"hadamard family: 'd' must be a power of 2, got {d}")
    H = np.ones((1, 1))
    for _ in range(k):
        H = np.block([[H, H], [H, -H]])
    v = H[0] / math.sqrt(d)
    return Instance("hadamard", H, Fraction(d * d), 0.0, True,
                    f"Sylvester Hadamard matrix of order {d}: sqrt(d) times an orthogonal matrix", v)


def _signs(d: int = 5, seed: int = 0) -> Instance:
    X = np.array(list(itertools.product([1.0, -1.0], repeat=d)))
    return Instance("signs", X, Fraction(2 ** d) * (3 - Fraction(2, d)), 0.0, True,
                    f"all 2^{d} sign vectors: p(v) = 2^d (3||v||^4 - 2 sum v_i^4), max at v = 1/sqrt(d)",
                    np.ones(d) / math.sqrt(d))


def _polygon(m: int = 5, seed: int = 0) -> Instance:
    if m < 3:  # 1 or 2 lines are no 4-design: the maximum is 1 (at a line), not 3m/8
        raise InputValueError(f"polygon family: 'm' (number of lines) must be >= 3 for the "
                              f"4-design value 3m/8, got {m}")
    th = np.arange(m) * math.pi / m
    X = np.stack([np.cos(th), np.sin(th)], axis=1)
    return Instance("polygon", X, Fraction(3 * m, 8), 8 * m * np.finfo(float).eps, True,
                    f"{m} lines of a regular {2 * m}-gon (a spherical 4-design for m >= 3)",
                    np.array([1.0, 0.0]))


def _d4(d: int = 4, seed: int = 0) -> Instance:
    if d != 4:
        raise InputValueError(f"d4-roots family: the D4 root system lives in d = 4, got d = {d}")
    rows = []
    for i, j in itertools.combinations(range(4), 2):
        for s in (1.0, -1.0):
            r = np.zeros(4)
            r[i], r[j] = 1.0, s
            rows.append(r)
    v = np.array([1.0, 0.0, 0.0, 0.0])
    return Instance("d4-roots", np.array(rows), Fraction(6), 0.0, True,
                    "12 lines of the D4 root system (24-cell, a 5-design): 6 ||v||^4 (Liouville)", v)


def _e8(d: int = 8, seed: int = 0) -> Instance:
    if d != 8:
        raise InputValueError(f"e8-roots family: the E8 root system lives in d = 8, got d = {d}")
    rows = []
    for i, j in itertools.combinations(range(8), 2):
        for s in (1.0, -1.0):
            r = np.zeros(8)
            r[i], r[j] = 1.0, s
            rows.append(r)
    for signs in itertools.product([0.5, -0.5], repeat=7):
        r = np.array((0.5,) + signs)
        if np.sum(r < 0) % 2 == 0:
            rows.append(r)
    X = np.array(rows)
    v = np.zeros(8)
    v[0] = 1.0
    return Instance("e8-roots", X, Fraction(18), 0.0, True,
                    "120 lines of the E8 root system (a 7-design, |x|^2 = 2): 18 ||v||^4", v)


def _rank_one(d: int = 5, seed: int = 0) -> Instance:
    rng = np.random.default_rng(seed)
    n = 2 * d
    a = rng.integers(-5, 6, size=n).astype(float)
    a[0] = 3.0
    b = rng.integers(-4, 5, size=d).astype(float)
    b[0] = 2.0
    t4 = Fraction(int(np.sum(a.astype(np.int64) ** 4))) * Fraction(int(np.sum(b.astype(np.int64) ** 2))) ** 2
    return Instance("rank-one", np.outer(a, b), t4, 0.0, True,
                    f"rank one a b^T ({n}x{d}): ||a||_4 ||b||_2", b / np.linalg.norm(b))


def _sparse(d: int = 6, seed: int = 0) -> Instance:
    rng = np.random.default_rng(seed)
    n = 3 * d
    cols = rng.integers(0, d, size=n)
    cols[:d] = np.arange(d)
    c = rng.integers(1, 6, size=n) * rng.choice([-1, 1], size=n)
    X = np.zeros((n, d))
    X[np.arange(n), cols] = c
    sums = np.zeros(d, dtype=np.int64)
    np.add.at(sums, cols, c.astype(np.int64) ** 4)
    j = int(np.argmax(sums))
    v = np.zeros(d)
    v[j] = 1.0
    return Instance("sparse", X, Fraction(int(sums[j])), 0.0, True,
                    f"1-sparse integer rows ({n}x{d}): max_j sum_(j(i)=j) c_i^4", v)


def gaussian_instance(d: int = 6, seed: int = 0, n: int | None = None) -> Instance:
    """Seeded standard Gaussian X of shape (n, d), n = 2 d^2 by default (truth unknown)."""
    n = 2 * d * d if n is None else n
    X = np.random.default_rng([seed, d, n]).standard_normal((n, d))
    return Instance("gaussian", X, None, math.nan, False,
                    f"seeded standard Gaussian {n}x{d} (value unknown: certify it)")


def _gap_rows() -> list[tuple[tuple[int, ...], int]]:
    dirs: list[tuple[tuple[int, ...], int]] = []
    for e in itertools.product([1, -1], repeat=3):
        if e[0] * e[1] * e[2] == 1:
            dirs.append(((1,) + e, 6))
    for i, j in [(1, 2), (2, 3), (1, 3)]:
        for s in (1, -1):
            u = [0, 0, 0, 0]
            u[i], u[j] = 1, s
            dirs.append((tuple(u), 24))
    for i in (1, 2, 3):
        for s in (1, -1):
            u = [2, 0, 0, 0]
            u[i] = 3 * s
            dirs.append((tuple(u), 1))
    dirs.append(((1, 0, 0, 0), 24))
    for i in (1, 2, 3):
        u = [0, 0, 0, 0]
        u[i] = 1
        dirs.append((tuple(u), 6))
    return dirs


def gap_identity_residual() -> int:
    """Exact check of the gap identity: returns the number of non-zero coefficients of
    sum_j m_j (u_j . v)^4 - (288 ||v||^4 - 144 CL(v)) (0 when the identity holds), computed in
    integers over all 35 quartic monomials in (w, x, y, z)."""
    from collections import Counter

    def fourth_power(u: tuple[int, ...]) -> Counter:
        out: Counter = Counter()
        for idx in itertools.product(range(4), repeat=4):
            out[tuple(sorted(idx))] += u[idx[0]] * u[idx[1]] * u[idx[2]] * u[idx[3]]
        return out

    lhs: Counter = Counter()
    for u, m in _gap_rows():
        for k, val in fourth_power(u).items():
            lhs[k] += m * val
    rhs: Counter = Counter()
    for i in range(4):  # 288 (sum v_i^2)^2
        rhs[(i, i, i, i)] += 288
        for j in range(i + 1, 4):
            rhs[(i, i, j, j)] += 576
    rhs[(0, 0, 0, 0)] -= 144  # -144 CL: w^4 + x^2y^2 + y^2z^2 + z^2x^2 - 4wxyz
    for i, j in [(1, 2), (2, 3), (1, 3)]:
        rhs[(i, i, j, j)] -= 144
    rhs[(0, 1, 2, 3)] += 576
    keys = set(lhs) | set(rhs)
    return sum(1 for k in keys if lhs[k] != rhs[k])


def gap_instance(d: int = 4, seed: int = 0) -> Instance:
    """The Choi-Lam gap instance (111 x 4, integer rows): ||X||_{2->4}^4 = 288 exactly, while the
    degree-4 SoS bound is about 292.923 (see the module docstring)."""
    rows = []
    for u, m in _gap_rows():
        r = m
        while r > 0:  # write the weight as a sum of integer 4th powers (greedy)
            t = int(round(r ** 0.25))
            while t ** 4 > r:
                t -= 1
            rows.append([t * a for a in u])
            r -= t ** 4
    v = np.array([0.0, 1.0, 0.0, 0.0])
    return Instance("gap", np.array(rows, dtype=np.float64), Fraction(288), 0.0, False,
                    "Choi-Lam gap instance: sum (x_i.v)^4 = 288||v||^4 - 144 CL(v); norm^4 = 288, "
                    "degree-4 SoS bound ~ 292.92", v)


#: Registry: family name -> constructor(size, seed) -> Instance (size is d, or m for polygon).
FAMILIES: dict[str, Callable[..., Instance]] = {
    "orthogonal": _orthogonal,
    "hadamard": _hadamard,
    "signs": _signs,
    "polygon": _polygon,
    "d4-roots": _d4,
    "e8-roots": _e8,
    "rank-one": _rank_one,
    "sparse": _sparse,
    "gaussian": gaussian_instance,
    "gap": gap_instance,
}


def make_instance(family: str, size: int | None = None, seed: int = 0) -> Instance:
    """Build a registered instance (``size`` is d, or the number of lines m for 'polygon').

    >>> inst = make_instance("hadamard", 4)
    >>> inst.X.shape, float(inst.truth4)
    ((4, 4), 16.0)
    """
    from .._validation import check_option

    check_option(family, "family", tuple(FAMILIES), func="make_instance")
    ctor = FAMILIES[family]
    if size is None:
        return ctor(seed=seed)
    size = check_int(size, "size", func="make_instance", minimum=1)
    return ctor(size, seed=seed)
