"""conv_spectral_norm_enclosure contains a 50-digit mpmath reference and is 1e-12 tight."""
import math

import mpmath
import numpy as np
import pytest

from linalg_lab import InputValueError
from linalg_lab.layers import conv_singular_values
from linalg_lab.testing import record
from proofs_check.layers import conv_spectral_norm_enclosure


def _reference(K, shape):
    """max over frequencies of sigma_max(T[u, v]), the DFT and SVDs at 50 digits (mpmath)."""
    c_out, c_in, kh, kw = K.shape
    h, w = shape
    best = mpmath.mpf(0)
    with mpmath.workdps(50):
        for u in range(h):
            for v in range(w):
                T = mpmath.matrix(c_out, c_in)
                for a in range(kh):
                    for b in range(kw):
                        ph = mpmath.expjpi(-2 * (mpmath.mpf(u * a) / h + mpmath.mpf(v * b) / w))
                        for i in range(c_out):
                            for j in range(c_in):
                                T[i, j] += mpmath.mpf(float(K[i, j, a, b])) * ph
                best = max(best, max(mpmath.svd_c(T, compute_uv=False)))
        return best


CASES = {
    "2x3 k3 n5": ((2, 3, 3, 3), (5, 5)),
    "3x2 k2 n4x6": ((3, 2, 2, 2), (4, 6)),
    "3x3 k1 n3 (all frequencies tie)": ((3, 3, 1, 1), (3, 3)),
    "1x1 k3 n4": ((1, 1, 3, 3), (4, 4)),
    "2x2 k3 n3 scaled 1e-200": ((2, 2, 3, 3), (3, 3)),
    "2x3 k2 n3 scaled 1e250": ((2, 3, 2, 2), (3, 3)),
}


@pytest.mark.parametrize("name", list(CASES))
def test_contains_50_digit_reference(name, rng):
    kshape, shape = CASES[name]
    K = rng.standard_normal(kshape)
    if "scaled" in name:
        K = K * float(name.rsplit(" ", 1)[1])
    e = conv_spectral_norm_enclosure(K, shape)
    ref = _reference(K, shape)
    assert e.certified and e.ok, e.reason
    assert mpmath.mpf(e.lower) <= ref <= mpmath.mpf(e.upper)
    record(f"conv enclosure relative width ({name})", e.relative_width, 1e-12, kind="relative")
    assert e.relative_width <= 1e-12
    # the FFT-SVD value agrees to its error estimate
    s = conv_singular_values(K, shape)
    assert e.lower - s.error_estimate <= s.sigma_max <= e.upper + s.error_estimate


def test_tf_layout_and_moderate_size(rng):
    K = rng.standard_normal((8, 6, 3, 3))
    a = conv_spectral_norm_enclosure(K, (8, 8))
    b = conv_spectral_norm_enclosure(np.transpose(K, (2, 3, 1, 0)), 8, layout="tf")
    assert a.certified and (a.lower, a.upper) == (b.lower, b.upper)
    assert a.relative_width <= 1e-12 and a.frequencies == (8 * 8 + 4) // 2  # one per conjugate pair
    assert 0 < a.dft_error < 1e-13
    ref = np.linalg.norm(np.linalg.svd(np.fft.fft2(K, s=(8, 8), axes=(2, 3)).transpose(2, 3, 0, 1),
                                       compute_uv=False), axis=-1, ord=np.inf).max()
    assert a.lower * (1 - 1e-14) <= ref <= a.upper * (1 + 1e-14)


def test_zero_kernel_and_errors():
    z = conv_spectral_norm_enclosure(np.zeros((2, 2, 3, 3)), 4)
    assert z.certified and z.lower == z.upper == 0.0
    with pytest.raises(InputValueError, match="larger than the input"):
        conv_spectral_norm_enclosure(np.ones((1, 1, 5, 5)), 4)
    with pytest.raises(InputValueError, match="non-finite"):
        conv_spectral_norm_enclosure(np.full((1, 1, 2, 2), np.inf), 4)
    d = conv_spectral_norm_enclosure(np.ones((1, 1, 2, 2)), 4).to_dict()
    assert d["certified"] is True and d["verdict"] == "proved" and math.isfinite(d["upper"])


def test_ties_one_by_one_kernel(rng):
    """A 1x1 kernel has the same matrix at every frequency: certified once, still tight."""
    K = rng.standard_normal((16, 16, 1, 1))
    e = conv_spectral_norm_enclosure(K, 32)
    assert e.certified and e.ok and e.frequencies == 1 and e.relative_width <= 1e-12
    ref = np.linalg.norm(K[:, :, 0, 0], 2)
    assert e.lower * (1 - 1e-15) <= ref <= e.upper * (1 + 1e-15)


def test_many_near_ties_use_the_wider_float_bound(monkeypatch, rng):
    """Beyond the Arb budget, near-tied frequencies get a wider (still proved) float bound."""
    import proofs_check.layers as pl

    monkeypatch.setattr(pl, "_MAX_ARB_FREQUENCIES", 0)
    monkeypatch.setattr(pl, "_ARB_BUDGET", 0)
    K = np.zeros((3, 3, 2, 2))
    K[:, :, 0, 1] = rng.standard_normal((3, 3))  # one tap: T(u, v) = A exp(-2 pi i v / 4), all tied
    e = pl.conv_spectral_norm_enclosure(K, 4)
    ref = np.linalg.norm(K[:, :, 0, 1], 2)
    assert e.certified and e.arb_frequencies == 1 and e.frequencies > 1
    assert e.lower <= ref * (1 + 1e-15) and ref <= e.upper * (1 + 1e-15)
    assert e.relative_width <= 2.0**-20


def test_undecided_paths_keep_their_reason(monkeypatch):
    import proofs_check.layers as pl

    K = np.zeros((1, 1, 2, 2))
    K[0, 0, 0, 0], K[0, 0, 1, 1] = 1e300, 3e-300  # scaling by 2^-997 would round the small entry
    e = pl.conv_spectral_norm_enclosure(K, 3)
    assert not e.certified and e.status.name == "UNDECIDED" and "power of two" in e.reason

    def boom(*a, **k):
        raise pl._Undecided("Arb could not enclose the eigenvalues at frequency (0, 0)")

    monkeypatch.setattr(pl, "_arb_sigma", boom)
    e = pl.conv_spectral_norm_enclosure(np.ones((2, 2, 2, 2)), 3)
    assert e.verdict.value == "undecided" and "could not enclose" in e.reason and not e.ok
