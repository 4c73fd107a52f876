"""Power-method lower bound, spectral relaxation and the quartic basis (2->q norms)."""
import math

import numpy as np
import pytest

from linalg_lab import InputTypeError, InputValueError
from linalg_lab.norms import FAMILIES, make_instance, two_to_q_lower, two_to_q_spectral
from linalg_lab.norms import quartic_basis
from linalg_lab.tolerance import gamma

KNOWN = [f for f in FAMILIES if f not in ("gaussian", "motzkin-gap")]  # q = 4 families


def test_basis_isometry_and_coefficients(tolerance_report):
    rng = np.random.default_rng(1)
    d, n = 5, 9
    B = quartic_basis(d)
    assert (B.D, B.N) == (15, math.comb(d + 3, 4))
    assert int(B.mult.sum()) == B.D ** 2 and set(np.unique(B.mult)) <= {1, 2, 3, 4, 6}
    X = rng.standard_normal((n, d))
    v = rng.standard_normal(d)
    m = B.ortho_vectors(v[None, :])[0]
    tolerance_report.check("basis: ||m(v)||^2 = ||v||^4", m @ m, np.sum(v * v) ** 2, rtol=gamma(4 * d))
    M = B.ortho_vectors(X)
    Q = M.T @ M
    p = np.sum((X @ v) ** 4)
    tolerance_report.check("basis: m^T Q m = p(v)", m @ Q @ m, p, rtol=gamma(8 * (n + B.D)))
    coef = B.coefficients(Q)
    mono = np.prod(v[None, :] ** B.exponents, axis=1)
    tolerance_report.check("basis: coefficients reproduce p", coef @ mono, p, rtol=gamma(8 * (n + B.N)))
    tolerance_report.check("basis: norm4 coefficients", B.normq @ mono, np.sum(v * v) ** 2,
                           rtol=gamma(4 * B.N))


@pytest.mark.parametrize("family", KNOWN)
def test_lower_and_spectral_bracket_truth(family):
    inst = make_instance(family)
    low = two_to_q_lower(inst.X, seed=0)
    spec = two_to_q_spectral(inst.X)
    slack = 1 + max(inst.truth_rtol, 64 * np.finfo(float).eps)
    assert low.ok and low.reached >= 1
    assert low.lower <= inst.truth * slack
    assert spec.upper >= inst.truth / slack
    assert spec.upper <= spec.spectral_norm * slack  # Schur: lambda_max(G o G) <= max G_ii ||G||
    assert spec.spectral_norm * inst.X.shape[0] ** -0.25 <= low.lower * slack  # Hoelder at v_1
    assert np.isclose(np.linalg.norm(low.maximiser), 1.0, rtol=0, atol=1e-14)
    if family in ("hadamard", "signs", "d4-roots", "e8-roots", "sparse", "rank-one", "gap", "polygon",
                  "orthogonal"):
        assert low.lower >= inst.truth * (1 - 1e-10)  # power method finds these maxima


def test_spectral_two_forms_agree(tolerance_report):
    rng = np.random.default_rng(3)
    X = rng.standard_normal((40, 5))  # n > D = 15: D x D form
    Y = X[:12]  # n <= D: Hadamard-square form
    for A in (X, Y):
        G = A @ A.T
        want = np.linalg.eigvalsh(G * G)[-1] ** 0.25
        got = two_to_q_spectral(A).upper
        tolerance_report.check("spectral relaxation = lambda_max(G o G)^(1/4)", got, want,
                               rtol=gamma(4 * A.shape[0] ** 2))


def test_other_q_spectral_refused_and_generic_bounds():
    """The spectral relaxation needs an even q (issue 11: no ||X||_2 labelled 'spectral relaxation')."""
    X = np.random.default_rng(4).standard_normal((30, 4))
    with pytest.raises(InputValueError, match="spectral relaxation .* needs an even integer q >= 4; got q = 3"):
        two_to_q_spectral(X, q=3)
    low = two_to_q_lower(X, q=3, seed=1)
    s2 = np.linalg.norm(X, 2)
    assert s2 * 30 ** (1 / 3 - 0.5) <= low.lower <= s2
    assert math.isclose(low.lower ** 3, np.sum(np.abs(X @ low.maximiser) ** 3), rel_tol=1e-12)


def test_spectral_q6_is_hadamard_cube(tolerance_report):
    """q = 6: lambda_max((X X^T)^(o 3))^(1/6), computed on either side (n <= D or n > D)."""
    rng = np.random.default_rng(8)
    for n in (6, 40):  # D = C(6, 3) = 20 for d = 4
        A = rng.standard_normal((n, 4))
        G = A @ A.T
        want = min(np.linalg.eigvalsh(G ** 3)[-1] ** (1 / 6), np.linalg.norm(A, 2))
        tolerance_report.check(f"spectral q=6 (n={n})", two_to_q_spectral(A, q=6).upper, want,
                               rtol=gamma(6 * n * 20))  # eigenvalues of a sum of n*D products


def test_lower_with_explicit_starts_and_q2_is_spectral_norm(tolerance_report):
    X = np.random.default_rng(5).standard_normal((10, 4))
    r = two_to_q_lower(X, q=2, starts=np.ones((1, 4)), seed=0)
    tolerance_report.check("q = 2 power method = spectral norm", r.lower, np.linalg.norm(X, 2),
                           rtol=1e-10)  # iterative method, stops at relative change 1e-15


def test_zero_matrix_and_d1():
    r = two_to_q_lower(np.zeros((3, 2)))
    s = two_to_q_spectral(np.zeros((3, 2)))
    assert r.lower == 0.0 and "zero matrix" in r.reason
    assert s.upper == 0.0 and "zero matrix" in s.reason
    x = np.array([[1.0], [-2.0], [3.0]])
    assert math.isclose(two_to_q_lower(x).lower, (1 + 16 + 81) ** 0.25, rel_tol=1e-15)


def test_bad_inputs():
    with pytest.raises(InputValueError, match="two_to_q_lower: 'X' has 1 non-finite entries"):
        two_to_q_lower([[1.0, np.nan]])
    with pytest.raises(InputValueError, match=r"'q' parameter of two_to_q_spectral must lie in \[2.0"):
        two_to_q_spectral(np.eye(2), q=1.5)
    with pytest.raises(InputValueError, match="'starts' must be an int or a finite"):
        two_to_q_lower(np.eye(3), starts=np.ones((2, 4)))
    with pytest.raises(InputValueError, match="must be a 2-D array"):
        two_to_q_lower(np.ones(3))
    with pytest.raises(InputTypeError, match="must be real, got complex"):
        two_to_q_spectral(np.eye(2) * 1j)
    with pytest.raises(InputValueError, match="must be non-empty"):
        two_to_q_lower(np.zeros((0, 3)))


def test_integer_and_float32_inputs_are_converted():
    H = np.array([[1, 1], [1, -1]])
    r = two_to_q_lower(H, seed=0)
    s = two_to_q_spectral(H.astype(np.float32))
    assert math.isclose(r.lower, 2 ** 0.5, rel_tol=1e-14)  # Hadamard of order 2: sqrt(2)
    assert s.upper >= r.lower * (1 - 1e-14)


FACTOR_CASES = [("hadamard", 4, 4), ("signs", 5, 4), ("repeated-identity", 4, 6), ("signs", 5, 6),
                ("e8-roots", None, 6), ("hadamard", 4, 8), ("signs", 4, 8)]


@pytest.mark.parametrize("family,size,q", FACTOR_CASES)
def test_spectral_bound_within_its_derived_factor(family, size, q, tolerance_report):
    """two_to_q_spectral's Notes derive upper <= d^(1/2 - 1/q) ||X||_{2->q} for every even q; the
    ratio to the known value must lie in [1, d^(1/2 - 1/q)] (rounding: a few eps of the eigensolver)."""
    inst = make_instance(family, size, q=q)
    d = inst.X.shape[1]
    ratio = two_to_q_spectral(inst.X, q).upper / inst.truth
    eps = np.finfo(float).eps
    slack = inst.truth_rtol + 64 * eps * d  # eigenvalue rounding, q-th root shrinks it; truth's own accuracy
    tolerance_report.record(f"spectral/truth <= d^(1/2-1/q) ({family}, q={q})",
                            max(0.0, ratio - d ** (0.5 - 1 / q)), slack, kind="absolute")
    tolerance_report.record(f"spectral/truth >= 1 ({family}, q={q})", max(0.0, 1 - ratio), slack,
                            kind="absolute")
    assert 1 - slack <= ratio <= d ** (0.5 - 1 / q) + slack
