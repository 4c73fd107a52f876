"""spectral_norm_enclosure contains a 50-digit mpmath reference and is tight."""
import mpmath
import numpy as np

from linalg_lab.testing import record
from proofs_check import spectral_norm_enclosure


def _ref(A):
    with mpmath.workdps(50):
        return max(mpmath.svd_r(mpmath.matrix(A.tolist()), compute_uv=False))


def test_contains_50_digit_reference(rng):
    u, _ = np.linalg.qr(rng.standard_normal((25, 12)))
    cases = {
        "gaussian": rng.standard_normal((20, 14)),
        "wide": rng.standard_normal((6, 30)),
        "graded": (u * np.logspace(0, -14, 12)) @ np.linalg.qr(rng.standard_normal((12, 12)))[0],
        "huge": rng.standard_normal((10, 8)) * 1e250,
        "tiny": rng.standard_normal((10, 8)) * 1e-250,
        "1xn": rng.standard_normal((1, 9)),
    }
    for name, A in cases.items():
        e = spectral_norm_enclosure(A)
        ref = _ref(A)
        assert e.certified and e.verdict.value == "proved", name
        assert mpmath.mpf(e.lower) <= ref <= mpmath.mpf(e.upper), name
        # width: the certificate's margin (linalg_lab.spectral.required_margin) relative to ||A||^2 is
        # at most 2.2 ((n+1) n + m n + 4) u + 8 ulp, for A oriented as m x n with m >= n; the relative
        # width in ||A|| is half of twice that (the margin is doubled once) plus the lower bound's few u.
        m, n = max(A.shape), min(A.shape)
        u = 2.0**-53
        bound = 4.4 * ((n + 1) * n + m * n + 4) * u + 32 * u
        record(f"enclosure relative width ({name})", e.relative_width, bound)
        assert e.relative_width <= bound


def test_zero_and_errors():
    import pytest

    from linalg_lab import InputTypeError

    assert spectral_norm_enclosure(np.zeros((3, 3))).upper == 0.0
    with pytest.raises(InputTypeError, match="spectral_norm_enclosure: 'A' must be real"):
        spectral_norm_enclosure(np.ones((2, 2)) * 1j)


def test_outward_rounding_beyond_float_range():
    from flint import arb

    from proofs_check._arb import lower_float, upper_float

    big = arb(10) ** 400
    assert lower_float(big) == 1.7976931348623157e308 and upper_float(big) == float("inf")
    assert upper_float(-big) == -1.7976931348623157e308 and lower_float(-big) == float("-inf")
    third = arb(1) / 3
    assert lower_float(third) <= 1 / 3 <= upper_float(third)
    assert upper_float(third) - lower_float(third) <= 4 * 2.0**-54


def test_scaling_that_rounds_subnormal_entries_stays_rigorous():
    # 1e300 forces a scale of 2^997; the 5e-324 and 1e-300 entries then round to zero.
    A = np.array([[1e300, 0.0, 0.0], [0.0, 1e-300, 5e-324], [0.0, 0.0, 3.0]])
    e = spectral_norm_enclosure(A)
    assert e.certified and e.lower <= 1e300 <= e.upper
    B = np.array([[1.0, 0.0], [0.0, 5e-324]])
    e2 = spectral_norm_enclosure(B)
    assert e2.certified and e2.lower <= 1.0 <= e2.upper
