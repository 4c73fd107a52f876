"""SN gap: sigma(W_mat) <= sigma(conv) <= k sigma(W_mat), ratio 1 at k = 1 (seed 002, Sedghi et al.)."""
import numpy as np
import pytest

from linalg_lab.layers import conv_operator, sn_gap
from linalg_lab.testing import record


@pytest.mark.parametrize("k", [1, 2, 3, 5])
@pytest.mark.parametrize("channels", [(4, 4), (3, 6), (8, 2)])
def test_theorem_on_every_case(k, channels, rng):
    c_out, c_in = channels
    K = rng.standard_normal((c_out, c_in, k, k))
    r = sn_gap(K, 8, iterations=1)
    assert r.ok and r.theorem_lower is True and r.theorem_upper is True
    assert 1 - r.tolerance <= r.ratio <= k * (1 + r.tolerance)
    assert r.sigma_estimate <= r.sigma_reshaped * (1 + r.tolerance)  # a power-iteration estimate is low
    if k == 1:  # the layer is W_mat applied at every pixel: ratio exactly 1 up to rounding
        record(f"sn_gap ratio at k=1 {channels}", abs(r.ratio - 1), r.tolerance, kind="relative")
        assert abs(r.ratio - 1) <= r.tolerance


def test_ratios_for_random_kernels_match_facts(rng):
    """FACTS.md (recomputed): ratios 1.37-1.74 at k = 3 and 1.70-2.03 at k = 5 for random kernels."""
    for k, (lo, hi) in [(3, (1.2, 1.9)), (5, (1.5, 2.3))]:
        ratios = [sn_gap(rng.standard_normal((16, 16, k, k)), 16).ratio for _ in range(3)]
        assert all(lo <= x <= hi for x in ratios), ratios


def test_more_iterations_close_the_estimate(rng):
    K = rng.standard_normal((8, 8, 3, 3))
    est = [sn_gap(K, 8, iterations=t, seed=1).sigma_estimate for t in (1, 5, 50)]
    s = sn_gap(K, 8).sigma_reshaped
    assert est[0] <= est[1] * (1 + 1e-12) <= est[2] * (1 + 1e-12) and est[2] == pytest.approx(s, rel=1e-6)


@pytest.mark.parametrize("padding,stride", [("zeros", 1), ("valid", 1), ("circular", 2), ("zeros", 2)])
def test_other_paddings_keep_the_upper_bound(padding, stride, rng):
    K = rng.standard_normal((3, 2, 3, 3))
    r = sn_gap(K, 7, padding=padding, stride=stride)
    assert r.theorem_upper is True and r.conv_method == "spectral_norm" and r.ok
    ref = np.linalg.norm(conv_operator(K, 7, padding=padding, stride=stride).dense(), 2)
    assert r.lower <= ref * (1 + 1e-14) <= r.upper * (1 + 1e-13)
    assert r.theorem_lower in (True, None)


def test_tf_layout_same_answer(rng):
    K = rng.standard_normal((3, 2, 3, 3))
    a, b = sn_gap(K, 6), sn_gap(np.transpose(K, (2, 3, 1, 0)), 6, layout="tf")
    assert a.sigma_conv == b.sigma_conv and a.sigma_reshaped == b.sigma_reshaped
