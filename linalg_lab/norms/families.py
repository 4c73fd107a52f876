"""Instance families for ||X||_{2->q} with known values (tests, report, CLI demos).

Every family returns an :class:`Instance` for an exponent ``q`` (default 4): the matrix, the true
value of the NORM and of its q-th power (``truth``/``truth_q``; exact rationals where the rows are
exact in float64), the relative accuracy to which the truth is known for the float64 matrix (0 when
exact), and whether the degree-q SoS relaxation is known to be exact on it.

=================  ================================================  ===============================
family             rows                                              ||X||_{2->q}^q
=================  ================================================  ===============================
orthogonal         a seeded orthogonal d x d matrix Q                1 (||Qv||_q <= ||Qv||_2 = 1)
hadamard           Sylvester Hadamard matrix of order d = 2^k        d^(q/2) (at v = a row / sqrt d)
signs              all 2^d vectors in {-1, 1}^d                      2^d E[(s.u)^q], u = 1/sqrt(d)
repeated-identity  r = 3 copies of I_d stacked (n = 3d)              3 (r ||v||_q^q <= r ||v||_2^q)
polygon            m lines (cos k pi/m, sin k pi/m), m > q/2         m (q-1)!!/q!! (a q-design)
d4-roots           the 12 lines e_i +- e_j of D4 (q = 4)             6 (5-design, |x|^2 = 2)
e8-roots           the 120 lines of E8 (q = 4, 6)                    18 (q = 4), 15 (q = 6)
rank-one           a b^T with integer a (n), b (d)                   ||a||_q^q ||b||_2^q
sparse             1-sparse integer rows c_i e_{j(i)}                max_j sum_{j(i)=j} |c_i|^q
gaussian           seeded standard Gaussian n x d (n = 2 d^2)        unknown (certify it)
gap                111 integer rows in R^4 (q = 4 only)              288, while the degree-4
                   sum (x_i.v)^4 = 288 ||v||^4 - 144 CL(v)           SoS bound is ~292.92
motzkin-gap        integer rows in R^3 (q = 6 only) with             L = 397440, while the degree-6
                   sum (x_i.v)^6 = L ||v||^6 - (L/2) M(v)            SoS bound exceeds it (by ~0.3% in the 6th power)
=================  ================================================  ===============================

Motzkin gap (q = 6): M(x, y, z) = x^4 y^2 + x^2 y^4 + z^6 - 3 x^2 y^2 z^2 is non-negative (AM-GM)
and not a sum of squares (Motzkin 1967), and vanishes at (1, 1, 1).  The 26 integer directions u_j
and weights W_j below satisfy sum_j W_j (u_j . v)^6 = L ||v||^6 - (L/2) M(v) exactly (an exact
rational vertex of the linear program "write ||v||^6 - M/2 as a non-negative combination of sixth
powers of the directions in {-2..2}^3", found with scipy.optimize.linprog and solved exactly;
checked in integers by :func:`motzkin_identity_residual`); each weight is realised by repeated
rows (a sum of integer sixth powers).  So the norm^6 is exactly L (M >= 0, M(1,1,1) = 0), while
lambda ||v||^6 - p = (lambda - L) ||v||^6 + (L/2) M is not SoS at lambda = L: the degree-6 SoS
bound is strictly above the norm.

Sign vectors: ||Xv||_q^q = sum_s (s.v)^q = 2^d E[(s.v)^q], a Khintchine moment of a Rademacher
sum; for q >= 3 it is largest at the flat vector u = 1/sqrt(d) (Eaton 1970: the moment is a
Schur-concave function of (v_i^2)), where it equals sum_j C(d, j) (2j - d)^q / d^(q/2) exactly.
(The tests cross-check that value against the certified SoS bracket for q = 6, 8.)
Polygon: sum_k cos(theta - k pi/m)^q is constant in theta when q < 2m (every frequency j <= q of
cos^q averages out over the m lines), so it equals m E[cos^q] = m (q-1)!!/q!!.
E8 is a spherical 7-design: sum (x.v)^6 = 120 |x|^6 E_sphere[u_1^6] = 120 * 8 * 15/(8*10*12) = 15.

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
T. S. Motzkin, "The arithmetic-geometric inequality", in Inequalities (O. Shisha, ed.), Academic
Press (1967) 205-224.
M. L. Eaton, "A note on symmetric Bernoulli random variables", Ann. Math. Statist. 41 (1970)
1223-1226, doi:10.1214/aoms/1177696897.
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
           "gaussian_instance", "double_factorial_ratio", "sign_moment", "motzkin_gap_instance",
           "motzkin_identity_residual"]


def double_factorial_ratio(q: int) -> Fraction:
    """(q-1)!!/q!! = E[cos^q] over a uniform angle (q even)."""
    num = math.prod(range(q - 1, 0, -2))
    den = math.prod(range(q, 0, -2))
    return Fraction(num, den)


def sign_moment(d: int, q: int) -> Fraction:
    """sum_s (s . u)^q over all 2^d sign vectors s at u = 1/sqrt(d) (even q), exactly:
    sum_j C(d, j) (2j - d)^q / d^(q/2)."""
    return Fraction(sum(math.comb(d, j) * (2 * j - d) ** q for j in range(d + 1)), d ** (q // 2))


def _need_q(family: str, q: int, allowed: tuple[int, ...] | None = None) -> None:
    if not (isinstance(q, int) and q >= 3 and (allowed is None or q in allowed)):
        what = f"q in {allowed}" if allowed else "an integer q >= 3"
        raise InputValueError(f"{family} family: the known value needs {what}, got q = {q!r}")


@dataclasses.dataclass(frozen=True)
class Instance:
    """A test matrix with its known 2->q norm (``truth``, NORM) and q-th power (``truth_q``)."""

    family: str
    X: NDArray[np.float64]
    truth_q: Fraction | float | None
    truth_rtol: float
    sos_exact: bool
    description: str
    maximiser: NDArray[np.float64] | None = None
    q: int = 4

    @property
    def truth(self) -> float | None:
        """The NORM ||X||_{2->q} (float; ``truth_q`` may be an exact Fraction)."""
        return None if self.truth_q is None else float(self.truth_q) ** (1.0 / self.q)

    @property
    def d(self) -> int:
        return int(self.X.shape[1])


def _orthogonal(d: int = 6, seed: int = 0, q: int = 4) -> Instance:
    _need_q("orthogonal", q)
    Q, R = np.linalg.qr(np.random.default_rng(seed).standard_normal((d, d)))
    Q = Q * np.sign(np.diag(R))
    return Instance("orthogonal", Q, Fraction(1), 8 * d * np.finfo(float).eps, True,
                    f"seeded orthogonal {d}x{d} matrix: ||Qv||_4 <= ||Qv||_2 = 1, equality at rows",
                    Q[0].copy(), q)


def _hadamard(d: int = 8, seed: int = 0, q: int = 4) -> Instance:
    _need_q("hadamard", q)
    k = int(round(math.log2(d)))
    if 2 ** k != d:
        raise InputValueError(f"hadamard family: 'd' must be a power of 2, got {d}")
    H = np.ones((1, 1))
    for _ in range(k):
        H = np.block([[H, H], [H, -H]])
    v = H[0] / math.sqrt(d)
    tq = Fraction(d) ** (q // 2) if q % 2 == 0 else float(d) ** (q / 2)
    return Instance("hadamard", H, tq, 0.0 if q % 2 == 0 else 4 * np.finfo(float).eps, True,
                    f"Sylvester Hadamard matrix of order {d}: sqrt(d) times an orthogonal matrix", v, q)


def _signs(d: int = 5, seed: int = 0, q: int = 4) -> Instance:
    _need_q("signs", q, (4, 6, 8))
    X = np.array(list(itertools.product([1.0, -1.0], repeat=d)))
    return Instance("signs", X, sign_moment(d, q), 0.0, True,
                    f"all 2^{d} sign vectors: p(v) = 2^d E[(s.v)^{q}], max at v = 1/sqrt(d)",
                    np.ones(d) / math.sqrt(d), q)


def _repeated_identity(d: int = 5, seed: int = 0, q: int = 4) -> Instance:
    _need_q("repeated-identity", q)
    X = np.vstack([np.eye(d)] * 3)
    return Instance("repeated-identity", X, Fraction(3), 0.0, True,
                    f"3 stacked copies of I_{d}: ||Xv||_q^q = 3 ||v||_q^q <= 3, equality at e_1",
                    np.eye(d)[0], q)


def _polygon(m: int = 5, seed: int = 0, q: int = 4) -> Instance:
    _need_q("polygon", q, (4, 6, 8))
    if 2 * m <= q:  # too few lines are no q-design: the maximum is 1 (at a line), not m (q-1)!!/q!!
        what = "3m/8" if q == 4 else "m (q-1)!!/q!!"
        raise InputValueError(f"polygon family: 'm' (number of lines) must be >= {q // 2 + 1} for the "
                              f"{q}-design value {what}, got {m}")
    th = np.arange(m) * math.pi / m
    X = np.stack([np.cos(th), np.sin(th)], axis=1)
    return Instance("polygon", X, m * double_factorial_ratio(q), 8 * m * np.finfo(float).eps, True,
                    f"{m} lines of a regular {2 * m}-gon (a spherical {q}-design for m > {q // 2})",
                    np.array([1.0, 0.0]), q)


def _d4(d: int = 4, seed: int = 0, q: int = 4) -> Instance:
    _need_q("d4-roots", q, (4,))
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


def _e8(d: int = 8, seed: int = 0, q: int = 4) -> Instance:
    _need_q("e8-roots", q, (4, 6))
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
    return Instance("e8-roots", X, Fraction(18 if q == 4 else 15), 0.0, True,
                    f"120 lines of the E8 root system (a 7-design, |x|^2 = 2): {18 if q == 4 else 15} ||v||^{q}",
                    v, q)


def _rank_one(d: int = 5, seed: int = 0, q: int = 4) -> Instance:
    _need_q("rank-one", q, (4, 6, 8))
    rng = np.random.default_rng(seed)
    n = 2 * d
    a = rng.integers(-5, 6, size=n).astype(float)
    a[0] = 3.0
    b = rng.integers(-4, 5, size=d).astype(float)
    b[0] = 2.0
    tq = (Fraction(sum(int(t) ** q for t in a.astype(np.int64)))
          * Fraction(sum(int(t) ** 2 for t in b.astype(np.int64))) ** (q // 2))
    return Instance("rank-one", np.outer(a, b), tq, 0.0, True,
                    f"rank one a b^T ({n}x{d}): ||a||_q ||b||_2", b / np.linalg.norm(b), q)


def _sparse(d: int = 6, seed: int = 0, q: int = 4) -> Instance:
    _need_q("sparse", q, (4, 6, 8))
    rng = np.random.default_rng(seed)
    n = 3 * d
    cols = rng.integers(0, d, size=n)
    cols[:d] = np.arange(d)
    c = rng.integers(1, 6, size=n) * rng.choice([-1, 1], size=n)
    X = np.zeros((n, d))
    X[np.arange(n), cols] = c
    sums = [0] * d
    for j, ci in zip(cols.tolist(), c.tolist()):
        sums[j] += abs(int(ci)) ** q
    j = int(np.argmax(sums))
    v = np.zeros(d)
    v[j] = 1.0
    return Instance("sparse", X, Fraction(sums[j]), 0.0, True,
                    f"1-sparse integer rows ({n}x{d}): max_j sum_(j(i)=j) |c_i|^q", v, q)


def gaussian_instance(d: int = 6, seed: int = 0, n: int | None = None, q: int = 4) -> Instance:
    """Seeded standard Gaussian X of shape (n, d), n = 2 d^2 by default (truth unknown)."""
    n = 2 * d * d if n is None else n
    X = np.random.default_rng([seed, d, n]).standard_normal((n, d))
    return Instance("gaussian", X, None, math.nan, False,
                    f"seeded standard Gaussian {n}x{d} (value unknown: certify it)", q=q)


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


def gap_instance(d: int = 4, seed: int = 0, q: int = 4) -> Instance:
    """The Choi-Lam gap instance (111 x 4, integer rows): ||X||_{2->4}^4 = 288 exactly, while the
    degree-4 SoS bound is about 292.923 (see the module docstring).

    Parameters
    ----------
    d : int, default 4
        Must be 4: the instance lives in d = 4 (other values are refused, as for 'd4-roots').
    seed : int, default 0
        Ignored: the instance is deterministic.
    q : int, default 4
        Exponent; only q = 4 has the known value.

    Returns
    -------
    Instance
        Family ``"gap"``, the (111, 4) float64 matrix of integer rows, ``truth_q`` =
        ``Fraction(288)`` (exact; ``truth_rtol`` 0), ``sos_exact`` False, ``maximiser`` e_2 =
        (0, 1, 0, 0), ``q`` = 4.

    Raises
    ------
    InputValueError
        q is not 4, or d is not 4.

    Examples
    --------
    >>> inst = gap_instance()
    >>> inst.X.shape, inst.truth_q, inst.sos_exact
    ((111, 4), Fraction(288, 1), False)
    """
    _need_q("gap", q, (4,))
    if d != 4:
        raise InputValueError(f"gap family: the Choi-Lam instance lives in d = 4, got d = {d}")
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


_MOTZKIN_L = 397440
_MOTZKIN_ROWS: tuple[tuple[tuple[int, int, int], int], ...] = (
    ((0, 1, 0), 64422), ((0, 2, -1), 1296), ((0, 2, 1), 1296), ((1, -2, -2), 34), ((1, -2, 0), 1053),
    ((1, -2, 2), 34), ((1, -1, -2), 614), ((1, -1, -1), 4736), ((1, -1, 1), 4736), ((1, -1, 2), 614),
    ((1, 0, 0), 64422), ((1, 1, -2), 614), ((1, 1, -1), 4736), ((1, 1, 1), 4736), ((1, 1, 2), 614),
    ((1, 2, -2), 34), ((1, 2, 0), 1053), ((1, 2, 2), 34), ((2, -1, -2), 34), ((2, -1, 0), 1053),
    ((2, -1, 2), 34), ((2, 0, -1), 1296), ((2, 0, 1), 1296), ((2, 1, -2), 34), ((2, 1, 0), 1053),
    ((2, 1, 2), 34),
)


def _sextic(u: tuple[int, ...]) -> dict[tuple[int, int, int], int]:
    """Integer coefficients of (u . v)^6 over the monomials x^a y^b z^c (a + b + c = 6)."""
    out: dict[tuple[int, int, int], int] = {}
    for a in range(7):
        for b in range(7 - a):
            c = 6 - a - b
            coef = math.factorial(6) // (math.factorial(a) * math.factorial(b) * math.factorial(c))
            out[(a, b, c)] = coef * u[0] ** a * u[1] ** b * u[2] ** c
    return out


def motzkin_identity_residual() -> int:
    """Exact check of the Motzkin gap identity: the number of non-zero coefficients of
    sum_j W_j (u_j . v)^6 - (L ||v||^6 - (L/2) M(v)) (0 when it holds), in integers."""
    L = _MOTZKIN_L
    lhs: dict[tuple[int, int, int], int] = {}
    for u, w in _MOTZKIN_ROWS:
        for k, v in _sextic(u).items():
            lhs[k] = lhs.get(k, 0) + w * v
    rhs: dict[tuple[int, int, int], int] = {}
    for a in range(0, 7, 2):  # (x^2 + y^2 + z^2)^3 = sum 3!/(i! j! k!) x^2i y^2j z^2k
        for b in range(0, 7 - a, 2):
            c = 6 - a - b
            rhs[(a, b, c)] = L * math.factorial(3) // (math.factorial(a // 2) * math.factorial(b // 2)
                                                      * math.factorial(c // 2))
    half = L // 2
    for k, v in {(4, 2, 0): 1, (2, 4, 0): 1, (0, 0, 6): 1, (2, 2, 2): -3}.items():
        rhs[k] = rhs.get(k, 0) - half * v
    return sum(1 for k in set(lhs) | set(rhs) if lhs.get(k, 0) != rhs.get(k, 0))


def motzkin_gap_instance(d: int = 3, seed: int = 0, q: int = 6) -> Instance:
    """The Motzkin gap instance for q = 6 (integer rows in R^3): ||X||_{2->6}^6 = 397440 exactly,
    while the degree-6 SoS bound is strictly larger (see the module docstring)."""
    _need_q("motzkin-gap", q, (6,))
    if d != 3:
        raise InputValueError(f"motzkin-gap family: the Motzkin form lives in d = 3, got d = {d}")
    rows = []
    for u, m in _MOTZKIN_ROWS:
        r = m
        while r > 0:  # the weight as a sum of integer 6th powers (greedy)
            t = int(round(r ** (1 / 6)))
            while t ** 6 > r:
                t -= 1
            rows.append([t * a for a in u])
            r -= t ** 6
    v = np.ones(3) / math.sqrt(3.0)
    return Instance("motzkin-gap", np.array(rows, dtype=np.float64), Fraction(_MOTZKIN_L), 0.0, False,
                    "Motzkin gap instance: sum (x_i.v)^6 = L||v||^6 - (L/2) M(v), L = 397440; norm^6 = L, "
                    "degree-6 SoS bound above it", v, 6)


#: Registry: family name -> constructor(size, seed) -> Instance (size is d, or m for polygon).
FAMILIES: dict[str, Callable[..., Instance]] = {
    "orthogonal": _orthogonal,
    "hadamard": _hadamard,
    "signs": _signs,
    "repeated-identity": _repeated_identity,
    "polygon": _polygon,
    "d4-roots": _d4,
    "e8-roots": _e8,
    "rank-one": _rank_one,
    "sparse": _sparse,
    "gaussian": gaussian_instance,
    "gap": gap_instance,
    "motzkin-gap": motzkin_gap_instance,
}


def make_instance(family: str, size: int | None = None, seed: int = 0, *, q: int = 4) -> Instance:
    """Build a registered instance (``size`` is d, or the number of lines m for 'polygon') for the
    exponent ``q`` (families whose value is known only for some q refuse the others).

    Parameters
    ----------
    family : str
        A key of :data:`FAMILIES` (the table in the module docstring).
    size : int, optional
        The number of columns d (the number of lines m for 'polygon'), >= 1; None takes the
        family's default.  Families of fixed dimension ('d4-roots', 'e8-roots', 'motzkin-gap')
        refuse any other d; 'gap' ignores it.
    seed : int, default 0
        Seed of the random families ('orthogonal', 'rank-one', 'sparse', 'gaussian'); the
        others ignore it.  Not validated here (passed to ``numpy.random.default_rng``).
    q : int, default 4
        Exponent of ||X||_{2->q}, q >= 3; most families know the value only for some q (e.g.
        4, 6, 8; 'gap' only 4, 'motzkin-gap' only 6).

    Returns
    -------
    Instance
        The float64 matrix ``X`` with its known value ``truth_q`` (the q-th power; an exact
        Fraction where the rows are exact, None for 'gaussian'), ``truth`` (the norm),
        ``truth_rtol``, ``sos_exact`` and a ``maximiser`` where one is known.

    Raises
    ------
    InputTypeError
        ``q`` or ``size`` is not an int (bools included).
    InputValueError
        Unknown ``family``; q < 3 or a q whose value the family does not know; size < 1 or a
        size the family refuses (a 'hadamard' order that is not a power of 2, a 'polygon' with
        2m <= q, a fixed-dimension family at another d).

    Examples
    --------
    >>> inst = make_instance("hadamard", 4)
    >>> inst.X.shape, float(inst.truth_q)
    ((4, 4), 16.0)
    >>> float(make_instance("hadamard", 4, q=6).truth_q)
    64.0
    """
    from .._validation import check_option

    check_option(family, "family", tuple(FAMILIES), func="make_instance")
    q = check_int(q, "q", func="make_instance", minimum=3)
    ctor = FAMILIES[family]
    if size is None:
        return ctor(seed=seed, q=q)
    size = check_int(size, "size", func="make_instance", minimum=1)
    return ctor(size, seed=seed, q=q)
