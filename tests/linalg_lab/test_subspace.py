"""principal_angles / projection_ratio / alignment."""
import numpy as np
import scipy.linalg

from linalg_lab import alignment, principal_angles, projection_ratio
from linalg_lab.testing import assert_close, unit_roundoff


def test_agrees_with_scipy_subspace_angles(rng):
    for p, q in [(3, 5), (5, 5), (1, 4), (7, 2)]:
        A = rng.standard_normal((30, p))
        B = rng.standard_normal((30, q))
        ours = principal_angles(A, B)
        ref = np.sort(scipy.linalg.subspace_angles(A, B))
        # both are backward stable: angle errors of order k u with k = p + q columns
        assert_close(ours, ref, rtol=0, atol=50 * (p + q) * unit_roundoff(), name=f"angles vs scipy ({p},{q})")


def test_tiny_angles_relatively_accurate(rng):
    q, _ = np.linalg.qr(rng.standard_normal((50, 6)))
    for t in (1e-6, 1e-8, 1e-10):
        B = q[:, :3] * np.cos(t) + q[:, 3:] * np.sin(t)
        ang = principal_angles(q[:, :3], B)
        # rounding B perturbs the subspace by ~ sqrt(n) u absolute, hence u sqrt(n)/t relative
        rtol = 20 * np.sqrt(50) * unit_roundoff() / t
        assert_close(ang, np.full(3, t), rtol=rtol, name=f"principal angle t={t:g}")
        assert np.all(np.diff(ang) >= 0)


def test_rank_deficient_and_orthogonal():
    A = np.array([[1.0, 2.0], [0.0, 0.0], [0.0, 0.0]])  # rank 1
    B = np.array([[0.0], [1.0], [0.0]])
    r = principal_angles(A, B, full_result=True)
    assert r.rank_a == 1 and r.rank_b == 1
    assert_close(r.angles, [np.pi / 2], name="orthogonal lines")


def test_projection_ratio_and_alignment(rng):
    W = rng.standard_normal((8, 5))
    full = projection_ratio(W, np.eye(5))
    assert_close(full, 1.0, name="projection onto the whole space")
    v = rng.standard_normal(5)
    expected = np.linalg.norm(W @ v) / np.linalg.norm(v) / np.linalg.norm(W)
    assert_close(projection_ratio(W, [v, 2 * v]), expected, rtol=64 * np.finfo(float).eps, name="rank-deficient span")
    assert projection_ratio(W, np.zeros((5, 2))) == 0.0
    assert_close(alignment(v, -3 * v), 1.0, name="alignment of parallel vectors")
    e = np.eye(5)
    assert alignment(e[0], e[1]) == 0.0
