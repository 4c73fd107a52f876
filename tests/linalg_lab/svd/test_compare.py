"""compare_with_lapack: verdicts, cluster grouping, mpmath reference, bad input."""
import numpy as np
import pytest

from linalg_lab import InputTypeError, InputValueError, Status
from linalg_lab.svd import LAPACK_THRESHOLD, compare_with_lapack, make_case, singular_value_clusters, svd_by_optimization


def test_lapack_factors_are_lapack_level(tolerance_report):
    A = np.random.default_rng(0).standard_normal((9, 7))
    cmp = compare_with_lapack(A, np.linalg.svd(A, full_matrices=False))
    assert cmp.ok and cmp.normwise_verdict == "LAPACK-level"
    assert "mpmath" in cmp.sv_normwise and set(cmp.reference_errors) == {"gesdd", "gesvd", "gejsv"}
    for c in cmp.checks:
        tolerance_report.record(c.name, c.error, c.tolerance)


def test_rotation_inside_cluster_is_not_an_error():
    rng = np.random.default_rng(1)
    # singular values 1e-12 apart (well inside cluster_rtol = 1e-8): rotations change A by ~1e-12
    Q1, _ = np.linalg.qr(rng.standard_normal((24, 16)))
    Q2, _ = np.linalg.qr(rng.standard_normal((16, 16)))
    sv = np.linspace(2.0, 0.5, 16)
    sv[3:6] = sv[3] - np.arange(3) * 1e-15
    A = (Q1 * sv) @ Q2.T
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    clusters = singular_value_clusters(s, 1e-8)
    big = next(c for c in clusters if len(c) > 1)
    # rotate the singular vectors of one cluster by the same orthogonal matrix: still an SVD
    Q, _ = np.linalg.qr(rng.standard_normal((len(big), len(big))))
    U2, Vt2 = U.copy(), Vt.copy()
    U2[:, big] = U[:, big] @ Q
    Vt2[big, :] = Q.T @ Vt[big, :]
    cmp = compare_with_lapack(A, (U2, s, Vt2))
    assert cmp.ok, cmp.verdict
    assert any(len(c) == 3 for c in cmp.clusters)
    assert max(cmp.angles_left) < 1e-10
    # without grouping the vectors show O(1) angles, which Wedin's bound (gap 1e-15) still allows
    cmp0 = compare_with_lapack(A, (U2, s, Vt2), cluster_rtol=0.0)
    assert max(cmp0.angles_left) > 1e-3 and cmp0.ok


def test_penalty_result_is_not_lapack_level():
    M = np.random.default_rng(314).random((5, 4))
    res = svd_by_optimization(M, method="penalty-adam", steps=3000)
    cmp = compare_with_lapack(M, res)
    assert cmp.status is Status.INACCURATE and cmp.verdict.startswith("not LAPACK-level")
    assert cmp.sv_normwise["gesdd"] > 1e-6 and "accurate method" in cmp.reason
    assert "singular values vs mpmath" in cmp.summary()


def test_gejsv_relative_accuracy_on_graded(tolerance_report):
    # column-graded B D: gejsv's relative accuracy depends on the condition of B (O(10)), not of A;
    # (make_case("graded") is graded on both sides, where no driver has relative accuracy)
    A = np.random.default_rng(2).standard_normal((14, 10)) * np.logspace(0, -12, 10)
    cmp = compare_with_lapack(A, np.linalg.svd(A, full_matrices=False), mpmath_max_dim=30)
    # gejsv (mode 'C') and mpmath agree to high relative accuracy on every value; gesdd only normwise
    tolerance_report.record("gejsv relative error vs mpmath (graded)", cmp.reference_errors["gejsv"]["relative"],
                            1e4 * np.finfo(float).eps)  # cond. of the column-scaled matrix is O(10)
    tolerance_report.record("gesdd normwise error vs mpmath (graded)", cmp.reference_errors["gesdd"]["normwise"],
                            LAPACK_THRESHOLD * 16 * np.finfo(float).eps)


def test_rank_deficient_null_space_compared_as_a_whole():
    A = make_case("rank-deficient", quick=True)
    res = svd_by_optimization(A, method="jacobi")
    cmp = compare_with_lapack(A, res, mpmath_max_dim=0)
    assert cmp.ok, cmp.verdict


def test_truncated_result():
    A = np.random.default_rng(0).standard_normal((30, 20))
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    cmp = compare_with_lapack(A, (U[:, :5], s[:5], Vt[:5]))
    assert cmp.ok and cmp.rank == 5 and len(cmp.clusters) == 5


def test_to_dict_is_json():
    import json

    A = np.random.default_rng(0).standard_normal((5, 3))
    d = compare_with_lapack(A, np.linalg.svd(A, full_matrices=False)).to_dict()
    json.dumps(d)
    assert d["normwise_verdict"] == "LAPACK-level" and d["checks"][0]["name"].startswith("LAPACK ratio")


def test_bad_input():
    A = np.ones((4, 3))
    with pytest.raises(InputTypeError, match=r"compare_with_lapack: 'result' must be an SVDOptResult or a tuple"):
        compare_with_lapack(A, 3)
    with pytest.raises(InputValueError, match=r"compare_with_lapack: 'A' has 1 non-finite"):
        compare_with_lapack(np.array([[np.nan, 1.0]]), (np.ones((1, 1)), np.ones(1), np.ones((1, 2))))
    with pytest.raises(InputValueError, match=r"lapack_ratios: 'U' must have shape"):
        compare_with_lapack(A, (np.ones((3, 3)), np.ones(3), np.eye(3)))
    with pytest.raises(InputTypeError, match=r"compare_with_lapack: 'A' must be real"):
        compare_with_lapack(A * 1j, (np.ones((4, 3)), np.ones(3), np.eye(3)))
    with pytest.raises(InputValueError, match=r"The 'dps' parameter of compare_with_lapack must be >= 16"):
        compare_with_lapack(A, np.linalg.svd(A, full_matrices=False), dps=5)


# --- review regressions -------------------------------------------------------------------------

def test_lapack_factors_of_a_subnormal_scale_matrix_are_lapack_level():
    # p ulp s1 underflowed: the Wedin scale became 0 and gesdd's own vectors scored inf
    A = np.random.default_rng(0).standard_normal((15, 10)) * 1e-310
    cmp = compare_with_lapack(A, np.linalg.svd(A, full_matrices=False))
    assert cmp.ok, cmp.verdict
    assert max(cmp.angle_ratios) < LAPACK_THRESHOLD and cmp.sv_ratio < LAPACK_THRESHOLD


def test_zero_matrix_any_orthonormal_factors_are_lapack_level():
    # A = 0: one cluster with gap = inf; its scale was 0, so a rounding-level angle scored inf
    Z = np.zeros((5, 3))
    U, _ = np.linalg.qr(np.random.default_rng(2).standard_normal((5, 3)))
    V, _ = np.linalg.qr(np.random.default_rng(3).standard_normal((3, 3)))
    cmp = compare_with_lapack(Z, (U, np.zeros(3), V.T))
    assert cmp.ok, cmp.verdict


# --- issue 10 points 10 and 11 ----------------------------------------------------------------

def _col_graded_reversed(n=10, seed=1):
    # columns scaled 1e-30 .. 1: gesdd's small singular values are wrong by ~1e7 relative while it
    # still meets LAPACK's normwise contract (the class of Reference-LAPACK issue 316); gejsv in
    # mode 'C' and mpmath agree to ~1e-14
    rng = np.random.default_rng(seed)
    rng.standard_normal((n, n))  # the stream position used when the case was found
    return np.random.default_rng(seed).standard_normal((n, n)) * np.logspace(-30, 0, n)


def test_normwise_and_relative_verdicts_are_separate(tolerance_report):
    A = _col_graded_reversed()
    cmp = compare_with_lapack(A, np.linalg.svd(A, full_matrices=False))
    # LAPACK's contract holds ...
    assert cmp.ok and cmp.normwise_verdict == "LAPACK-level"
    # ... but the small singular values are not relatively accurate, and the verdict says so (before:
    # verdict "LAPACK-level", 7/7 checks, while its own gejsv column showed 1e7)
    assert cmp.relative_verdict.startswith("not relatively accurate") and cmp.relative_reference == "mpmath"
    assert max(cmp.relative_errors) > 1e3 and cmp.verdict != "LAPACK-level"
    assert any(f.startswith("references disagree relatively: gesdd vs mpmath") for f in cmp.flags)
    assert not any("beyond the normwise bound" in f for f in cmp.flags)
    tolerance_report.record("gejsv relative error vs mpmath (column-graded 1e-30..1)",
                            cmp.reference_errors["gejsv"]["relative"], 1e4 * np.finfo(float).eps)


def test_references_disagreeing_beyond_the_normwise_bound_are_flagged(monkeypatch):
    from linalg_lab.svd import _compare

    real = _compare.lapack_references

    def broken(A):
        out = real(A)
        out["gesvd"] = out["gesvd"] * (1 + 1e-8)  # a reference wrong by far more than 50 p ulp s1
        return out

    monkeypatch.setattr(_compare, "lapack_references", broken)
    A = np.random.default_rng(0).standard_normal((8, 6))
    cmp = compare_with_lapack(A, np.linalg.svd(A, full_matrices=False))
    assert any(f.startswith("references disagree beyond the normwise bound: gesvd vs mpmath") for f in cmp.flags)


def test_mpmath_reference_default_size_raised():
    from linalg_lab.svd import MPMATH_MAX_DIM

    assert MPMATH_MAX_DIM >= 30  # was 12
    A = np.random.default_rng(0).standard_normal((24, 16))
    cmp = compare_with_lapack(A, np.linalg.svd(A, full_matrices=False))
    assert "mpmath" in cmp.sv_normwise and cmp.relative_reference == "mpmath"


def test_test7_loop_matches_ddrvbd():
    # ddrvbd: DO I = 1, MNMIN-1: DIF = max(DIF, |SSAV(I) - S(I)| / max(MNMIN ulp S(1), unfl)), S the tested
    A = np.random.default_rng(0).standard_normal((9, 6))
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    s2 = s.copy()
    s2[-1] += 1e-6 * s[0]  # the last value is outside ddrvbd's loop
    assert compare_with_lapack(A, (U, s2, Vt), mpmath_max_dim=0).sv_ratio == 0.0
    s3 = s.copy()
    s3[0] *= 2.0  # the tested s(1) scales the ratio
    ulp = np.finfo(float).eps
    expected = np.max(np.abs(s[:5] - s3[:5])) / (6 * ulp * s3[0])
    assert compare_with_lapack(A, (U, s3, Vt), mpmath_max_dim=0).sv_ratio == pytest.approx(expected, rel=1e-12)


def test_diverged_result_is_scored_not_refused():
    # issue 11 point 5: the non-finite factors of a diverged method were an input error (exit 2)
    A = np.random.default_rng(0).standard_normal((40, 30))
    res = svd_by_optimization(A, method="penalty-sgd", lr=0.9, steps=100)
    cmp = compare_with_lapack(A, res)
    assert cmp.status is Status.DIVERGED and not cmp.ok and cmp.ratios.worst == np.inf
    assert "diverged at step" in cmp.reason
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    U[0, 0] = np.nan
    nan_cmp = compare_with_lapack(A, (U, s, Vt))
    assert nan_cmp.status is Status.DIVERGED and "1 non-finite entries" in nan_cmp.reason
