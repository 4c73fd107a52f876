"""Float route of singular_value_enclosures (issue 17): exact splitting, exact head products,
widths near n*u*||A||_2, and soundness with tampered factors (perturbed U, V, s)."""
import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import scipy.linalg as sla

from proofs_check.svd import singular_value_enclosures
from proofs_check.svd._enclosures import _apriori_route, _prepared_factors, _exact_shift
from proofs_check.svd._ozaki import ozaki_residual_bounds, slice_bits, split

U_ROUND = 2.0 ** -53


def _mp_singular_values(A, dps=50):
    with mpmath.workdps(dps):
        s = mpmath.svd_r(mpmath.matrix(A.tolist()), compute_uv=False)
        return sorted((s[i] for i in range(s.rows)), reverse=True)


def _contains(enc, exact):
    return all(mpmath.mpf(float(lo)) <= x <= mpmath.mpf(float(hi)) for lo, hi, x in zip(enc.lower, enc.upper, exact))


@pytest.mark.parametrize("k", [1, 2, 3, 5, 64, 1000, 1024, 1025, 2048, 2049, 10**6])
def test_slice_bits_make_head_products_fit_in_53_bits(k):
    b = slice_bits(k)
    assert k * 2 ** (2 * b) <= 2**53          # exact accumulation
    assert (k * 2 ** (2 * b + 2) > 2**53) or b >= 26  # and no bit wasted
    if k <= 2048:
        assert b >= 21


def _awkward(rng, m, n):
    X = rng.standard_normal((m, n)) * 10.0 ** rng.integers(-5, 6, size=(m, n))
    X[0, :] *= 2.0**-1060        # a row near the subnormal range
    X[:, 1] *= 5e-324 / np.abs(X[:, 1]).max()  # a column of subnormals
    X[2, 2] = 0.0
    return X


@pytest.mark.parametrize("axis", [0, 1])
def test_split_is_exact_and_on_grid(axis):
    rng = np.random.default_rng(5)
    X = _awkward(rng, 7, 6)
    beta = 11
    X1, X2, a = split(X, beta, axis=axis)
    grid = a[:, None] if axis == 1 else a[None, :]
    for x, x1, x2 in zip(X.ravel(), X1.ravel(), X2.ravel()):
        assert Fraction(x1) + Fraction(x2) == Fraction(x)        # exact, checked in rationals
    ints = np.ldexp(X1, -np.broadcast_to(grid, X.shape))
    assert np.all(ints == np.rint(ints)) and np.all(np.abs(ints) <= 2.0**beta)
    assert np.all(a >= -1074)


def test_head_products_are_exact():
    # the largest inner dimension for beta = 21 and integers as large as allowed: fl(A1 V1) == A1 V1
    rng = np.random.default_rng(1)
    k = 2048
    b = slice_bits(k)
    A = rng.standard_normal((3, k))
    V = rng.standard_normal((k, 4))
    A1, _, a = split(A, b, axis=1)
    V1, _, c = split(V, b, axis=0)
    A1[:, :] = np.ldexp(np.sign(A1) * 2.0**b, a[:, None])  # worst case: every integer at 2^beta
    V1[:, :] = np.ldexp(np.sign(V1) * 2.0**b, c[None, :])
    A1[:, ::2] = np.abs(A1[:, ::2])
    V1[::2, :] = np.abs(V1[::2, :])
    P = A1 @ V1
    ai = [[int(x) for x in row] for row in np.ldexp(A1, -a[:, None])]
    vi = [[int(x) for x in row] for row in np.ldexp(V1, -c[None, :]).T]
    for i in range(3):
        for j in range(4):
            exact = Fraction(sum(x * y for x, y in zip(ai[i], vi[j]))) * Fraction(2) ** int(a[i] + c[j])
            assert Fraction(P[i, j]) == exact


@pytest.mark.parametrize("n", [100, 300])
def test_float_route_width_near_n_u_norm(n, tolerance_report):
    A = np.random.default_rng(n).standard_normal((n, n))
    enc = singular_value_enclosures(A, route="float")
    assert enc.certified and enc.route == "float"
    # the computed SVD's own residuals are a fraction of n*u*||A||_2; the bound adds O(u) relative to
    # them and a 2^-21 a-priori remainder; 10 n u ||A||_2 is the issue-17 target
    tol = 10.0 * n * U_ROUND * enc.upper[0]
    tolerance_report.record(f"float route max width, Gaussian {n}x{n} (10 n u ||A||_2)", enc.max_width, tol,
                            kind="absolute")
    # and it is far tighter than the a-priori gamma_n bounds it replaced
    A_, U, s, V = _prepared_factors(A, None, _exact_shift(A), "t")
    e_old = _apriori_route(A_, U, s, V)[0]
    assert enc.residual_bound * 10 < float(e_old.upper()) * 2.0 ** -_exact_shift(A)


def _tamper(U, s, Vt, rng, kind, delta):
    U, s, Vt = U.copy(), s.copy(), Vt.copy()
    if kind in ("U", "all"):
        U += delta * rng.standard_normal(U.shape)
    if kind in ("V", "all"):
        Vt += delta * rng.standard_normal(Vt.shape)
    if kind in ("s", "all"):
        s *= 1 + delta * rng.standard_normal(s.shape)
    if kind == "swap":  # two singular values exchanged, vectors left in place
        s[[0, 3]] = s[[3, 0]]
    if kind == "rotate":  # V rotated in a plane: a consistent-looking but wrong factorisation
        c, si = math.cos(delta), math.sin(delta)
        r0, r1 = Vt[0].copy(), Vt[1].copy()
        Vt[0], Vt[1] = c * r0 - si * r1, si * r0 + c * r1
    return U, s, Vt


@pytest.mark.parametrize("kind", ["U", "V", "s", "all", "swap", "rotate"])
@pytest.mark.parametrize("delta", [1e-15, 1e-10, 1e-5, 3e-2])
def test_tampered_factors_still_enclose_the_truth(kind, delta):
    rng = np.random.default_rng(abs(hash((kind, delta))) % 2**32)
    A = rng.standard_normal((14, 10)) * np.logspace(0, -3, 10)
    truth = _mp_singular_values(A)
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    Ut, st, Vtt = _tamper(U, s, Vt, rng, kind, delta)
    enc = singular_value_enclosures(A, svd=(Ut, st, Vtt), route="float")
    if kind == "rotate" or delta < 1e-2:
        assert enc.certified  # these stay far from ||V^T V - I|| = 1
    if enc.certified:
        assert _contains(enc, truth), (kind, delta)
        # the bound sees the tampering: a perturbation of size delta cannot give widths below ~delta*s_min
        if kind in ("s", "all", "U", "V") and delta >= 1e-10:
            assert enc.max_width >= 0.1 * delta * s[-1]


def test_tampered_factors_of_a_larger_matrix_agree_with_the_arb_route():
    # Arb products are exact: the float route's bounds must dominate the Arb route's (e, f, g)
    rng = np.random.default_rng(2)
    A = rng.standard_normal((60, 40))
    U, s, Vt = sla.svd(A, full_matrices=False)
    for kind, delta in [("U", 1e-9), ("V", 1e-12), ("s", 1e-7), ("all", 1e-4)]:
        Ut, st, Vtt = _tamper(U, s, Vt, rng, kind, delta)
        fl = singular_value_enclosures(A, svd=(Ut, st, Vtt), route="float")
        ar = singular_value_enclosures(A, svd=(Ut, st, Vtt), route="arb")
        assert fl.certified and ar.certified
        assert fl.residual_bound >= ar.residual_bound
        assert fl.orth_u_bound >= ar.orth_u_bound and fl.orth_v_bound >= ar.orth_v_bound
        # and not much looser: O(u) relative plus a 2^-21-scaled remainder
        assert fl.residual_bound <= 1.5 * ar.residual_bound + 40 * U_ROUND * s[0]
        assert np.all(np.maximum(fl.lower, ar.lower) <= np.minimum(fl.upper, ar.upper))


def test_rows_near_underflow_fall_back_soundly():
    # rows at 2^-1060 next to rows at 1 (the power-of-two shift cannot lift them: the largest entry
    # is already near 1): the head grids' exponents sum below -1074, so the
    # "exact" products take the a-priori bound; enclosures must still contain the truth
    from proofs_check.svd._ozaki import _exact_ok

    rng = np.random.default_rng(3)
    A = rng.standard_normal((9, 6))
    A[:3] *= 2.0**-1060
    A[3, 0] = 2.0**-1074
    A_, U, s, V = _prepared_factors(A, None, _exact_shift(A), "t")
    assert not _exact_ok(split(A_, slice_bits(6), axis=1)[2], split(V, slice_bits(6), axis=0)[2])
    truth = _mp_singular_values(A, dps=400)
    enc = singular_value_enclosures(A, route="float")
    assert enc.certified and _contains(enc, truth)


def test_bounds_are_tiny_for_exactly_orthogonal_factors():
    # a permutation SVD: every residual is exactly zero; f, g carry only underflow terms and e the
    # rounding allowance of U*s, u/(1-u) ||U s||_F = u sqrt(14) (plus O(u) of zero terms)
    A = np.diag([3.0, 2.0, 1.0])[[2, 0, 1]]
    U = np.eye(3)[[2, 0, 1]]
    e, f, g = ozaki_residual_bounds(A, U, np.array([3.0, 2.0, 1.0]), np.eye(3))
    assert float(e.upper()) <= 1.01 * U_ROUND * math.sqrt(14)
    # (a zero matrix's Frobenius bound is sqrt(N eta) ~ 1e-161: squares may underflow by eta each)
    assert float(f.upper()) < 1e-150 and float(g.upper()) < 1e-150


@pytest.mark.parametrize("kind,delta", [("none", 0.0), ("U", 1e-9), ("V", 1e-13), ("s", 1e-6), ("all", 1e-3)])
def test_bounds_dominate_the_exact_residual_norms(kind, delta):
    # (e, f, g) against the exact residuals, formed in Arb at 128 bits from the float entries (their
    # radii are below 2^-100 relative) and measured with numpy's 2-norm (relative error ~1e-15)
    from flint import arb_mat

    from proofs_check._arb import arb_matrix, working_prec

    rng = np.random.default_rng(7)
    A = rng.standard_normal((70, 50)) * np.logspace(0, -2, 50)
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    U, s, Vt = _tamper(U, s, Vt, rng, kind, delta)
    e, f, g = ozaki_residual_bounds(A, U, s, Vt.T)

    def mid(M):
        return np.array([[float(M[i, j].mid()) for j in range(M.ncols())] for i in range(M.nrows())])

    with working_prec(128):
        Aa, Ua, Va = arb_matrix(A), arb_matrix(U), arb_matrix(Vt.T)
        S = arb_matrix(np.diag(s))
        I = arb_matrix(np.eye(50))
        R = mid(Aa * Va - Ua * S)
        G = mid(Ua.transpose() * Ua - I)
        F = mid(Va.transpose() * Va - I)
    for name, bound, M in (("e", e, R), ("g", g, G), ("f", f, F)):
        true = np.linalg.norm(M, 2)
        assert float(bound.upper()) >= true * (1 - 1e-12), (name, float(bound.upper()), true)
        # and the bound is tight: the Frobenius/1-inf bound of the exact residual plus O(u) of it
        assert float(bound.upper()) <= 2 * math.sqrt(50) * true + 50 * U_ROUND * (s[0] if name == "e" else 1.0)
