"""ConvNorm (Liu et al. 2021): unit rows per frequency, 1 <= ||layer|| <= sqrt(c_out)."""
import numpy as np
import pytest

from linalg_lab import InputValueError
from linalg_lab.layers import conv_operator, convnorm, frequency_matrices
from linalg_lab.testing import record


@pytest.mark.parametrize("c_out,c_in,k,n", [(4, 3, 3, 8), (2, 5, 2, 6), (6, 6, 1, 4), (1, 3, 3, 5)])
def test_unit_rows_and_bounds(c_out, c_in, k, n, rng):
    K = rng.standard_normal((c_out, c_in, k, k))
    r = convnorm(K, n)
    assert r.ok and r.within_bounds
    record(f"convnorm unit rows {c_out}x{c_in}k{k}", r.row_error, r.row_tolerance, kind="absolute")
    assert r.row_error <= r.row_tolerance
    assert 1 - 1e-13 <= r.norm_after <= np.sqrt(c_out) * (1 + 1e-13)
    assert r.norm_before == pytest.approx(np.linalg.norm(conv_operator(K, n).dense(), 2), rel=1e-13)
    # the returned operator is the normalised layer: its dense norm and row structure agree
    A = r.operator.dense()
    assert np.linalg.norm(A, 2) == pytest.approx(r.norm_after, rel=1e-12)
    Y = rng.standard_normal((A.shape[0], 2))
    assert np.allclose(r.operator.rmatmat(Y), A.T @ Y, rtol=0, atol=1e-12 * np.abs(A).sum(0).max())
    if c_out == 1:  # a single output channel becomes a co-isometry: norm exactly 1
        assert r.norm_after == pytest.approx(1.0, rel=1e-13)


def test_one_by_one_kernel_is_row_normalisation(rng):
    """FACTS.md: 1x1 kernels reduce to row normalisation of the channel matrix."""
    K = rng.standard_normal((3, 5, 1, 1))
    W = K[:, :, 0, 0]
    r = convnorm(K, 4)
    Wn = W / np.linalg.norm(W, axis=1, keepdims=True)
    assert r.norm_after == pytest.approx(np.linalg.norm(Wn, 2), rel=1e-13)


def test_eps_shortens_rows(rng):
    K = rng.standard_normal((3, 2, 3, 3))
    r = convnorm(K, 6, eps=1.0)
    t = frequency_matrices(K, (6, 6))
    rr = np.sum(np.abs(t) ** 2, axis=-1)
    assert r.ok and r.bound_lower == pytest.approx(np.sqrt((rr / (rr + 1)).max()))
    assert r.norm_after <= convnorm(K, 6).norm_after


def test_zero_response_needs_eps():
    K = np.zeros((2, 1, 2, 2))
    K[0, 0] = [[1, 1], [1, 1]]  # channel 0 vanishes at the Nyquist frequency; channel 1 everywhere
    r = convnorm(K, 4)
    assert r.status.name == "SOLVER_FAILED" and "pass eps > 0" in r.reason
    assert convnorm(K, 4, eps=1e-6).ok
    with pytest.raises(InputValueError, match="'eps' parameter of convnorm must lie in"):
        convnorm(K, 4, eps=-1.0)
