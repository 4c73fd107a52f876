"""principal_angles on the input classes of scipy's own subspace_angles tests (issue 10 point 13).

Complex subspaces, zero-column subspaces and batched stacks were refused before; scipy's
``subspace_angles`` (descending) is the reference, compared after sorting.
"""
import numpy as np
import pytest
from scipy.linalg import subspace_angles

from linalg_lab import principal_angles
from linalg_lab.testing import assert_close

# Angles from two different algorithms agree to a few n*u in absolute terms (each is accurate to ~u
# in its sine or cosine); n <= 12 here, so 64 n u bounds both.
ATOL = 64 * 12 * np.finfo(float).eps


def test_complex_matches_scipy(rng):
    A = rng.standard_normal((8, 3)) + 1j * rng.standard_normal((8, 3))
    B = rng.standard_normal((8, 2)) + 1j * rng.standard_normal((8, 2))
    assert_close(principal_angles(A, B), np.sort(subspace_angles(A, B)), atol=ATOL, rtol=0,
                 name="complex principal angles vs scipy")
    # a complex subspace and itself rotated by a unitary within it: all angles zero
    Q, _ = np.linalg.qr(A)
    U, _ = np.linalg.qr(rng.standard_normal((3, 3)) + 1j * rng.standard_normal((3, 3)))
    assert np.all(principal_angles(Q, Q @ U) <= ATOL)


def test_complex_is_not_real_part(rng):
    """i*x spans the same complex line as x: angle 0 (a real-part implementation says otherwise)."""
    x = rng.standard_normal((5, 1)) + 1j * rng.standard_normal((5, 1))
    assert principal_angles(x, 1j * x)[0] <= ATOL


@pytest.mark.parametrize("shapes", [((6, 0), (6, 3)), ((6, 2), (6, 0)), ((4, 0), (4, 0))])
def test_zero_column_subspace_gives_no_angles(shapes, rng):
    A, B = rng.standard_normal(shapes[0]), rng.standard_normal(shapes[1])
    got = principal_angles(A, B)
    assert got.shape == (0,) and subspace_angles(A, B).shape == (0,)
    r = principal_angles(A, B, full_result=True)
    assert r.ok and min(r.rank_a, r.rank_b) == 0


def test_batched_matches_per_matrix(rng):
    A = rng.standard_normal((2, 3, 10, 4))
    B = rng.standard_normal((3, 10, 2))  # broadcasts over the first batch dimension
    got = principal_angles(A, B)
    assert got.shape == (2, 3, 2)
    for i in range(2):
        for j in range(3):
            assert_close(got[i, j], np.sort(subspace_angles(A[i, j], B[j])), atol=ATOL, rtol=0,
                         name="batched principal angles vs scipy")


def test_batched_ragged_ranks_refused(rng):
    A = rng.standard_normal((2, 6, 3))
    A[1, :, 2] = A[1, :, 0]  # rank 2 in the second element
    from linalg_lab import InputValueError

    with pytest.raises(InputValueError, match="different ranks"):
        principal_angles(A, rng.standard_normal((2, 6, 3)))
