"""Conv singular values (Sedghi-Gupta-Long) against the dense LAPACK SVD of the brute-force operator."""
import numpy as np
import pytest

from linalg_lab.layers import clip_conv_norm, conv_norm, conv_operator, conv_singular_values, frequency_matrices
from linalg_lab.testing import record

# (c_out, c_in, k, (h, w)): several k, n, c_in != c_out, a kernel larger than the input (aliasing)
CASES = [(2, 3, 3, (5, 5)), (3, 2, 2, (4, 6)), (4, 4, 1, (3, 3)), (3, 5, 5, (6, 6)), (2, 2, 4, (3, 3)),
         (5, 3, 3, (8, 4)), (1, 1, 7, (9, 9))]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}x{c[1]}k{c[2]}n{c[3]}")
@pytest.mark.parametrize("layout", ["torch", "tf"])
def test_against_dense_lapack_svd(case, layout, rng):
    c_out, c_in, k, shape = case
    K = rng.standard_normal((c_out, c_in, k, k))
    Kl = K if layout == "torch" else np.transpose(K, (2, 3, 1, 0))
    r = conv_singular_values(Kl, shape, layout=layout)
    s = np.linalg.svd(conv_operator(Kl, shape, layout=layout).dense(), compute_uv=False)
    n = r.singular_values.size
    assert n == shape[0] * shape[1] * min(c_in, c_out) == r.count
    assert np.all(np.diff(r.singular_values) <= 0)
    # normwise comparison (FACTS.md: gesdd small values are only normwise accurate); the 1e-13
    err = np.max(np.abs(r.singular_values - s[:n])) / s[0]
    record(f"conv sv vs dense SVD {case} {layout}", err, 1e-13, kind="relative")
    assert err <= 1e-13
    assert np.all(s[n:] <= 1e-13 * s[0])  # the rest are zero
    # the a-priori error estimate covers the observed error
    assert err * s[0] <= r.error_estimate
    u, v = r.argmax_frequency
    assert r.per_frequency[u, v, 0] == r.sigma_max


def test_conjugate_frequencies_have_equal_spectra(rng):
    t = frequency_matrices(rng.standard_normal((3, 2, 3, 3)), (5, 6))
    for u in range(5):
        for v in range(6):
            assert np.array_equal(t[(-u) % 5, (-v) % 6], np.conj(t[u, v])) or np.allclose(
                t[(-u) % 5, (-v) % 6], np.conj(t[u, v]), rtol=0, atol=1e-13)


@pytest.mark.parametrize("padding,stride", [("zeros", 1), ("valid", 1), ("circular", 2), ("zeros", 2), ("valid", 3)])
def test_conv_norm_bracket_contains_dense_norm(padding, stride, rng):
    K = rng.standard_normal((3, 2, 3, 3))
    r = conv_norm(K, (7, 6), padding=padding, stride=stride, rtol=1e-10)
    ref = np.linalg.norm(conv_operator(K, (7, 6), padding=padding, stride=stride).dense(), 2)
    assert r.method == "spectral_norm" and r.ok and r.upper_kind == "deterministic"
    assert r.lower <= ref * (1 + 1e-14) and ref <= r.upper * (1 + 1e-14)
    record(f"conv_norm bracket width ({padding}, stride {stride})", r.upper / r.lower - 1, 1e-10)


def test_conv_norm_circular_is_fft(rng):
    K = rng.standard_normal((3, 4, 3, 3))
    r = conv_norm(K, 5)
    ref = np.linalg.norm(conv_operator(K, 5).dense(), 2)
    assert r.method == "fft-svd" and r.lower <= ref <= r.upper


def test_clip_projection(rng):
    """Sedghi et al.'s clipping: the exact projection has norm min(sigma, clip) and sits at distance
    sigma - clip; the crop is not a projection, and its distance is reported."""
    K = rng.standard_normal((8, 8, 3, 3))
    r = clip_conv_norm(K, 16, clip=1.0)
    assert r.sigma_projected == pytest.approx(1.0, rel=1e-13)
    record("clip projection distance", abs(r.projection_distance - (r.sigma_before - 1.0)) / r.sigma_before,
           1e-13, kind="relative")
    assert abs(r.projection_distance - (r.sigma_before - 1.0)) <= 1e-13 * r.sigma_before
    assert r.sigma_after < r.sigma_before / 5  # FACTS.md: 17.8 -> 1.39 for one pass at k=3, c=8, n=16
    assert r.distance_to_projection > 0
    assert r.imag_residual <= 1e-13 * r.sigma_before
    # the reported norms are what the kernels give
    assert conv_singular_values(r.kernel, 16).sigma_max == pytest.approx(r.sigma_after, rel=1e-13)
    # repeated passes approach the ball (FACTS.md: 1.386 -> 1.184 -> 1.118 -> ...)
    sig = [r.sigma_after]
    k2 = r.kernel
    for _ in range(3):
        r2 = clip_conv_norm(k2, 16, clip=1.0)
        k2 = r2.kernel
        sig.append(r2.sigma_after)
    assert all(b < a for a, b in zip(sig, sig[1:])) and sig[-1] > 1.0
    # a kernel already inside the ball is unchanged
    small = K / (2 * r.sigma_before)
    r3 = clip_conv_norm(np.transpose(small, (2, 3, 1, 0)), 16, clip=1.0, layout="tf")
    assert np.allclose(np.transpose(r3.kernel, (3, 2, 0, 1)), small, rtol=0, atol=1e-15)
    assert r3.distance_to_projection <= 1e-14
