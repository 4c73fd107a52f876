"""Invariants over random shapes (hypothesis): LAPACK's drivers pass their own ratios, and the
accurate methods' factors pass them too."""
import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from linalg_lab.svd import lapack_ratios, svd_by_optimization


@settings(max_examples=25, deadline=None)
@given(m=st.integers(1, 12), n=st.integers(1, 12), seed=st.integers(0, 2**16),
       method=st.sampled_from(["jacobi", "subspace-iteration", "riemannian-tr"]))
@example(m=1, n=1, seed=0, method="jacobi")
@example(m=1, n=7, seed=0, method="riemannian-tr")
@example(m=7, n=1, seed=0, method="subspace-iteration")
def test_accurate_methods_pass_lapack_ratios(m, n, seed, method):
    A = np.random.default_rng(seed).standard_normal((m, n))
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    assert lapack_ratios(A, U, s, Vt).passed
    res = svd_by_optimization(A, method=method, seed=seed % 7)
    r = lapack_ratios(A, res.U, res.s, res.Vt)
    assert r.passed, (r.as_dict(), res.reason)
