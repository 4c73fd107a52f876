"""singular_value_enclosures: containment of 50-digit references, widths, any-quality factors, bad input."""
import math

import mpmath
import numpy as np
import pytest

from linalg_lab import InputTypeError, InputValueError, Status
from linalg_lab.svd import make_case, svd_by_optimization
from proofs_check.svd import singular_value_enclosures

U_ROUND = 2.0 ** -53


def _mp_singular_values(A):
    with mpmath.workdps(50):
        s = mpmath.svd_r(mpmath.matrix(A.tolist()), compute_uv=False)
        return sorted((s[i] for i in range(s.rows)), reverse=True)


def _contains(enc, exact):
    with mpmath.workdps(50):
        return all(mpmath.mpf(float(lo)) <= x <= mpmath.mpf(float(hi))
                   for lo, hi, x in zip(enc.lower, enc.upper, exact))


def _matrix(kind):
    rng = np.random.default_rng(11)
    if kind == "random":
        return rng.standard_normal((9, 6))
    if kind == "graded":
        return make_case("graded", seed=3)[:10, :7]
    if kind == "rank-deficient":
        return rng.standard_normal((8, 3)) @ rng.standard_normal((3, 6))
    if kind == "wide":
        return rng.standard_normal((5, 8))
    raise ValueError(kind)


@pytest.mark.parametrize("route", ["arb", "float"])
@pytest.mark.parametrize("kind", ["random", "graded", "rank-deficient", "wide"])
def test_contains_mpmath_singular_values(kind, route, tolerance_report):
    A = _matrix(kind)
    exact = _mp_singular_values(A)
    enc = singular_value_enclosures(A, route=route)
    assert enc.certified and enc.ok and enc.route == route
    assert _contains(enc, exact)
    m, n = A.shape
    p = min(m, n)
    norm2 = float(exact[0])
    unit = p * U_ROUND * norm2
    if route == "arb":
        # exact products: widths are the computed SVD's own residual, a few n*u*||A||_2
        tol = 4.0 * unit
    else:
        # error-free split products: (e, f, g) equal the Arb route's up to O(u) relative, but no
        # Kato-Temple step, so the widths are Miyajima's 2e + s_1(f + g): with LAPACK factors
        # e <~ 7 u ||A||_2 and f, g <~ 3 u at these sizes (p <= 6), i.e. about 2.5 p u ||A||_2 each,
        # measured 7.7-12.4 p u ||A||_2; the old a-priori route gave up to (m + p) p u ||A||_2
        tol = 16.0 * unit
    tolerance_report.record(f"{kind} {route} max width", enc.max_width, tol, kind="absolute")


def test_kato_temple_sharpens_separated_values():
    A = _matrix("random")
    enc = singular_value_enclosures(A, route="arb")
    assert enc.refined == 6
    # quadratic residual bound: widths far below the Weyl/Miyajima width 2 ||AV - US||
    assert enc.max_width < enc.residual_bound


def test_optimizer_output_is_enclosed_with_wider_intervals():
    M = np.random.default_rng(314).random((5, 4))
    res = svd_by_optimization(M, method="penalty-adam", steps=4000)
    exact = _mp_singular_values(M)
    enc = singular_value_enclosures(M, svd=res)
    assert enc.certified and _contains(enc, exact)
    assert enc.max_width > 1e-6  # the optimiser's residual, not rounding, sets the width


def test_lapack_factors_passed_explicitly_full_matrices():
    A = _matrix("wide")
    U, s, Vt = np.linalg.svd(A, full_matrices=True)
    enc = singular_value_enclosures(A, svd=(U, s, Vt))
    assert enc.certified and _contains(enc, _mp_singular_values(A))


def test_routes_agree_on_a_larger_matrix():
    A = np.random.default_rng(4).standard_normal((120, 80))
    a = singular_value_enclosures(A, route="arb")
    f = singular_value_enclosures(A, route="float")
    assert a.certified and f.certified
    assert np.all(np.maximum(a.lower, f.lower) <= np.minimum(a.upper, f.upper))
    assert a.max_width <= f.max_width


def test_far_from_orthogonal_factors_are_not_certified():
    A = np.random.default_rng(0).standard_normal((5, 4))
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    enc = singular_value_enclosures(A, svd=(U, s, 2.0 * Vt))
    assert not enc.certified and enc.status is Status.NOT_CERTIFIED
    assert "re-orthonormalise V" in enc.reason and np.all(np.isinf(enc.upper))


def test_negative_and_unsorted_values_are_handled():
    A = np.random.default_rng(1).standard_normal((6, 4))
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    U2 = U[:, ::-1].copy()
    s2 = s[::-1].copy()
    U2[:, 0] *= -1
    s2[0] *= -1
    enc = singular_value_enclosures(A, svd=(U2, s2, Vt[::-1]))
    assert enc.certified and _contains(enc, _mp_singular_values(A))


def test_summary_and_json():
    import json

    enc = singular_value_enclosures(np.eye(3) * 2.0)
    d = enc.to_dict()
    json.dumps(d)
    assert d["certified"] is True and len(d["lower"]) == 3
    assert "CERTIFIED" in enc.summary() and enc.contains([2.0, 2.0, 2.0])


@pytest.mark.parametrize("bad, exc, msg", [
    (np.array([[1.0, np.nan]]), InputValueError, r"singular_value_enclosures: 'A' has 1 non-finite"),
    (np.zeros((0, 2)), InputValueError, r"singular_value_enclosures: 'A' must be non-empty, got shape \(0, 2\)"),
    (np.ones(3), InputValueError, r"singular_value_enclosures: 'A' must be a 2-D array, got shape \(3,\)"),
    (np.ones((2, 2)) * 1j, InputTypeError, r"singular_value_enclosures: 'A' must be real, got complex"),
])
def test_bad_matrix(bad, exc, msg):
    with pytest.raises(exc, match=msg):
        singular_value_enclosures(bad)


def test_bad_factors_and_route():
    A = np.ones((4, 3))
    with pytest.raises(InputValueError, match=r"'svd' must hold U \(4, 3\), s \(3,\), Vt \(3, 3\)"):
        singular_value_enclosures(A, svd=(np.ones((4, 2)), np.ones(2), np.ones((2, 3))))
    with pytest.raises(InputTypeError, match=r"'svd' must be None, a tuple \(U, s, Vt\)"):
        singular_value_enclosures(A, svd="gesdd")
    with pytest.raises(InputValueError, match=r"The 'route' parameter of singular_value_enclosures must be one of"):
        singular_value_enclosures(A, route="exact")
    with pytest.raises(InputValueError, match=r"singular_value_enclosures: 'U' has 12 non-finite"):
        singular_value_enclosures(A, svd=(np.full((4, 3), np.nan), np.ones(3), np.eye(3)))


@pytest.mark.parametrize("route", ["arb", "float"])
@pytest.mark.parametrize("scale", [2.0 ** -700, 2.0 ** 700])
def test_huge_and_tiny_scales_are_exact_power_of_two_rescalings(route, scale):
    A = np.random.default_rng(2).standard_normal((6, 4))
    ref = singular_value_enclosures(A, route=route)
    enc = singular_value_enclosures(A * scale, route=route)
    assert enc.certified
    exact = [x * scale for x in _mp_singular_values(A)]
    assert _contains(enc, exact)
    assert np.allclose(enc.upper / scale, ref.upper, rtol=1e-12)


# --- review regressions -------------------------------------------------------------------------

@pytest.mark.parametrize("route", ["arb", "float"])
@pytest.mark.parametrize("diag", [(1.0, 5e-324), (1e300, 1e-300), (3.0, 1e-310, 2.0 ** -1074)])
def test_power_of_two_scaling_never_rounds_small_entries(route, diag):
    # the rescaling by 2^-k used to round entries on the subnormal grid (diag(1, 2^-1074) / 2 has a
    # zero second singular value); the Arb route then certified [0, 0] for sigma_2 = 5e-324
    A = np.diag(diag)
    enc = singular_value_enclosures(A, route=route)
    assert enc.certified
    exact = sorted(diag, reverse=True)  # a diagonal matrix: its singular values exactly
    assert np.all(enc.lower <= exact) and np.all(np.asarray(exact) <= enc.upper)


def test_mixed_magnitudes_column_is_enclosed():
    # 2 x 1: sigma = sqrt(a^2 + b^2) with b far below a's ulp and scaled towards the subnormal range
    A = np.array([[1.3e198], [7.0e-300]])
    with mpmath.workdps(1100):
        exact = mpmath.sqrt(mpmath.mpf(A[0, 0]) ** 2 + mpmath.mpf(A[1, 0]) ** 2)
        for route in ("arb", "float"):
            enc = singular_value_enclosures(A, route=route)
            assert enc.certified and mpmath.mpf(enc.lower[0]) <= exact <= mpmath.mpf(enc.upper[0])


@pytest.mark.skipif(np.finfo(np.longdouble).eps >= np.finfo(np.float64).eps,
                    reason="longdouble is float64 on this platform: nothing is rounded")
def test_longdouble_input_that_float64_would_round_is_refused():
    A = np.eye(2, dtype=np.longdouble)
    A[1, 1] += np.finfo(np.longdouble).eps  # 1 + 2^-63: certifying the rounded matrix would be wrong
    with pytest.raises(InputValueError, match=r"'A' of dtype float128 has entries that float64 cannot represent"):
        singular_value_enclosures(A)
    assert singular_value_enclosures(np.eye(2, dtype=np.longdouble) * 3).contains([3.0, 3.0])


@pytest.mark.parametrize("route", ["arb", "float"])
def test_singular_values_beyond_float64_range(route):
    # sigma_1 = 1.5e308 * sqrt(2) (1 + O(1e-616)) exceeds the largest float64: its lower bound must be
    # capped there (Arb's lower endpoint rounded to +inf gave the certified interval [inf, inf])
    A = np.array([[1.5e308, 1.5e308], [0.0, 1.0]])
    V = np.array([[1.0, 1.0], [1.0, -1.0]]) / math.sqrt(2.0)
    fmax = np.finfo(np.float64).max
    enc = singular_value_enclosures(A, svd=(np.eye(2), np.array([fmax, math.sqrt(0.5)]), V.T), route=route)
    assert enc.certified and enc.lower[0] <= fmax and enc.upper[0] == np.inf
    assert "exceed the largest float64" in enc.reason
    # LAPACK's own s overflows here: the SVD is taken of the (exactly) rescaled matrix instead
    B = np.clip(np.random.default_rng(0).standard_normal((6, 4)), -1.0, 1.0) * 1.7e308
    with mpmath.workdps(60):
        exact = [x for x in mpmath.svd_r(mpmath.matrix(B.tolist()), compute_uv=False)]
        exact = sorted(exact, reverse=True)
    enc = singular_value_enclosures(B, route=route)
    assert enc.certified and _contains(enc, exact)


# --- issue 10: relative-accuracy enclosures ----------------------------------------------------

def _wide_range(n=26, seed=0):
    return np.random.default_rng(seed).standard_normal((n, n)) * np.logspace(0, -27, n)


def test_relative_enclosures_give_10_digits_over_27_orders(tolerance_report):
    import mpmath

    A = _wide_range()
    plain = singular_value_enclosures(A)
    assert np.max(plain.relative_widths) > 1.0  # normwise: useless for the small values
    enc = singular_value_enclosures(A, relative=True)
    assert enc.certified and enc.ok and enc.relative.not_tightened == []
    tolerance_report.record("relative enclosure 26x26 (27 orders): max relative width",
                            float(np.max(enc.relative_widths)), 1e-10, kind="relative")
    with mpmath.workdps(120):
        exact = sorted(mpmath.svd_r(mpmath.matrix(A.tolist()), compute_uv=False), reverse=True)
        for i, x in enumerate(exact):
            assert mpmath.mpf(enc.lower[i]) <= x <= mpmath.mpf(enc.upper[i]), i
    assert exact[0] / exact[-1] > 1e26


def test_relative_refinement_reports_what_it_could_not_tighten():
    # duplicated columns: exactly rank 3 of 6 (a float product B C is not: its "zero" singular values
    # are ~1e-16 and get tightened); exact zeros have no relative width; the intervals stay proved
    B = np.random.default_rng(1).standard_normal((8, 3))
    A = np.hstack([B, B])
    enc = singular_value_enclosures(A, relative=True, time_budget_s=2.0)
    assert enc.certified and enc.status is Status.BRACKET_TOO_WIDE and not enc.ok
    assert set(enc.relative.not_tightened) >= {3, 4, 5} and "may be zero" in enc.reason
    assert np.all(enc.relative_widths[:3] <= 1e-10)


def test_relative_options_validated():
    with pytest.raises(InputValueError, match=r"The 'rtol' parameter of singular_value_enclosures"):
        singular_value_enclosures(np.eye(2), relative=True, rtol=0.0)
    with pytest.raises(InputTypeError, match=r"The 'relative' parameter of singular_value_enclosures must be a bool"):
        singular_value_enclosures(np.eye(2), relative="yes")


def _graded_cases():
    rng = np.random.default_rng(1)
    return {
        "row-graded 30x20 over 60 orders": np.logspace(0, -60, 30)[:, None] * rng.standard_normal((30, 20)),
        "wide 8x20, columns over 40 orders": rng.standard_normal((8, 20)) * np.logspace(0, -40, 20),
        "two-sided 12x12": np.logspace(0, -15, 12)[:, None] * rng.standard_normal((12, 12)) * np.logspace(-15, 0, 12),
    }


@pytest.mark.parametrize("name", list(_graded_cases()))
def test_relative_enclosures_on_graded_shapes(name, tolerance_report):
    A = _graded_cases()[name]
    enc = singular_value_enclosures(A, relative=True)
    assert enc.certified and enc.ok
    tolerance_report.record(f"relative enclosure {name}: max relative width", float(np.max(enc.relative_widths)),
                            1e-10, kind="relative")
    with mpmath.workdps(200):
        exact = sorted(mpmath.svd_r(mpmath.matrix(A.tolist()), compute_uv=False), reverse=True)
        for i, x in enumerate(exact):
            assert mpmath.mpf(enc.lower[i]) <= x <= mpmath.mpf(enc.upper[i]), i


@pytest.mark.slow
def test_relative_enclosures_60x60_over_100_orders():
    # Arb's Gram eigensolver cannot isolate these eigenvalues; the Jacobi/Ostrowski route does
    A = np.random.default_rng(60).standard_normal((60, 60)) * np.logspace(0, -100, 60)
    enc = singular_value_enclosures(A, relative=True)
    assert enc.ok and np.max(enc.relative_widths) <= 1e-10
    with mpmath.workdps(300):
        exact = sorted(mpmath.svd_r(mpmath.matrix(A.tolist()), compute_uv=False), reverse=True)
        assert all(mpmath.mpf(lo) <= x <= mpmath.mpf(hi) for lo, hi, x in zip(enc.lower, enc.upper, exact))


def test_json_of_an_infinite_upper_bound_is_strict_json():
    import json

    fmax = np.finfo(np.float64).max
    enc = singular_value_enclosures(np.full((3, 3), fmax))
    d = enc.to_dict()
    json.dumps(d, allow_nan=False)  # the CLI's --json; inf made it raise before
    assert d["upper"][0] is None and d["nonfinite"]["upper.0"] == "inf"
