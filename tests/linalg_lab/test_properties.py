"""Property tests (hypothesis) with pinned regressions for edge cases."""
import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from linalg_lab import principal_angles, spectral_norm

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False, width=64)
matrices = st.tuples(st.integers(1, 7), st.integers(1, 7)).flatmap(lambda s: arrays(np.float64, s, elements=finite))


@settings(max_examples=60, deadline=None)
@given(matrices)
@example(np.zeros((3, 2)))
@example(np.array([[1e-300, 0.0], [0.0, 1e300]]))
@example(np.array([[5e-324]]))  # a single subnormal
def test_bracket_contains_lapack_norm(A):
    r = spectral_norm(A, seed=0)
    ref = np.linalg.norm(A, 2)
    slack = 8 * max(A.shape) * np.finfo(float).eps * ref
    assert r.lower <= ref + slack
    assert ref - slack <= r.upper
    # subnormal norms: the float grid cannot hold a narrow bracket, and the result says so
    assert r.ok or r.relative_gap <= 1e-6 or (r.upper < np.finfo(float).tiny and "subnormal" in r.reason)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.integers(0, 10**6))
def test_angles_in_range_and_sorted(p, q, s):
    rng = np.random.default_rng(s)
    A, B = rng.standard_normal((6, p)), rng.standard_normal((6, q))
    ang = principal_angles(A, B)
    assert ang.shape == (min(p, q),)
    assert np.all((ang >= 0) & (ang <= np.pi / 2)) and np.all(np.diff(ang) >= 0)
    # a subspace with itself: the sines are the norms of rounding residuals, ~ n u with n = 6
    assert np.all(principal_angles(A, A) <= 64 * 6 * 2.0**-53)
