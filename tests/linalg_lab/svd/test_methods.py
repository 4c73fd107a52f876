"""svd_by_optimization: registry, accuracy of the accurate methods, the penalty methods' gradients."""
import numpy as np
import pytest

from linalg_lab import InputTypeError, InputValueError, Status
from linalg_lab.svd import LAPACK_THRESHOLD, METHODS, lapack_ratios, make_case, svd_by_optimization
from linalg_lab.svd._penalty import penalty_init, penalty_loss_and_grads

ACCURATE = [name for name, m in METHODS.items() if m.accurate]


def test_registry_contents():
    assert {"penalty-sgd", "penalty-adam"} <= set(METHODS)
    assert len(ACCURATE) >= 2
    for name, m in METHODS.items():
        assert m.name == name and m.default_steps >= 1 and m.description


@pytest.mark.parametrize("method", ACCURATE)
def test_accurate_methods_reach_lapack_ratios_on_200x100(method, tolerance_report):
    A = np.random.default_rng(5).standard_normal((200, 100))
    res = svd_by_optimization(A, method=method, seed=1)
    assert res.ok, res.reason
    r = lapack_ratios(A, res.U, res.s, res.Vt)
    for name, v in r.as_dict().items():
        tolerance_report.record(f"{method} 200x100 {name}", v, LAPACK_THRESHOLD)
    s_ref = np.linalg.svd(A, compute_uv=False)
    # normwise singular-value error, ddrvbd test 7 scaling: |ds| <= 50 min(m,n) eps s_1
    tolerance_report.check(f"{method} singular values", res.s, s_ref, rtol=0,
                           atol=LAPACK_THRESHOLD * 100 * np.finfo(float).eps * s_ref[0])


@pytest.mark.parametrize("method", ACCURATE)
@pytest.mark.parametrize("case", ["graded", "clustered", "rank-deficient", "wide"])
def test_accurate_methods_on_family(method, case, tolerance_report):
    A = make_case(case, quick=True)
    res = svd_by_optimization(A, method=method, seed=0)
    r = lapack_ratios(A, res.U, res.s, res.Vt)
    tolerance_report.record(f"{method} {case} worst ratio", r.worst, LAPACK_THRESHOLD)
    assert res.U.shape == (A.shape[0], min(A.shape)) and res.Vt.shape == (min(A.shape), A.shape[1])


@pytest.mark.parametrize("method", ACCURATE)
def test_truncated_rank(method, tolerance_report):
    A = make_case("graded", seed=2)[:40, :30]
    res = svd_by_optimization(A, method=method, rank=4, seed=0, steps=200)
    s_ref = np.linalg.svd(A, compute_uv=False)[:4]
    assert res.s.shape == (4,) and res.U.shape == (40, 4) and res.Vt.shape == (4, 30)
    # graded spectrum: sigma_5/sigma_4 = 0.4, so subspace iteration converges fast; tolerance is the
    # normwise LAPACK level 50 min(m,n) eps s_1
    tolerance_report.check(f"{method} rank-4 values", res.s, s_ref, rtol=0,
                           atol=LAPACK_THRESHOLD * 30 * np.finfo(float).eps * s_ref[0])


def test_jacobi_has_high_relative_accuracy_on_graded(tolerance_report):
    # one-sided Jacobi after QR is accurate to O(eps * kappa(scaled)) relative in every value
    rng = np.random.default_rng(0)
    D = np.logspace(0, -12, 12)
    A = rng.standard_normal((20, 12)) * D  # column scaling: well conditioned after scaling
    res = svd_by_optimization(A, method="jacobi")
    from scipy.linalg import lapack

    sva, *_, work, _iw, info = lapack.dgejsv(A, joba=0, jobu=3, jobv=3)
    ref = np.sort(sva * work[0] / work[1])[::-1]
    tolerance_report.check("jacobi relative singular values (graded columns)", res.s, ref,
                           rtol=1000 * np.finfo(float).eps)


def test_penalty_gradients_match_finite_differences(tolerance_report):
    M = np.random.default_rng(314).random((5, 4))
    for k in (4, 3):
        U, d, V = penalty_init(5, 4, k, [7])
        _, gU, gd, gV = penalty_loss_and_grads(M, U, d, V)
        h = 1e-6
        for P, G, idx in ((U, gU, (0, 2, 1)), (d, gd, (0, 2)), (V, gV, (0, 3, 1))):
            E = np.zeros_like(P)
            E[idx] = h
            args_p = [U, d, V]
            args_m = [U, d, V]
            j = [U is P, d is P, V is P].index(True)
            args_p[j] = P + E
            args_m[j] = P - E
            fd = (penalty_loss_and_grads(M, *args_p)[0] - penalty_loss_and_grads(M, *args_m)[0]) / (2 * h)
            # central difference: error O(h^2 * third derivative) ~ 1e-10 for these O(1) quantities
            tolerance_report.check(f"penalty gradient k={k} {idx}", G[idx], fd[0], rtol=1e-6, atol=1e-9)


def test_penalty_sgd_seed_matrix_converges_and_sorts():
    M = np.random.default_rng(314).random((5, 4))
    res = svd_by_optimization(M, method="penalty-sgd", seed=0)
    assert res.status is Status.OK and res.history.shape == (20_000,)
    assert np.all(np.diff(res.s) <= 0)
    assert res.relative_residual < 1e-10


def test_penalty_adam_stalls_far_from_lapack_level():
    M = np.random.default_rng(314).random((5, 4))
    res = svd_by_optimization(M, method="penalty-adam", seed=0, steps=5000)
    r = lapack_ratios(M, res.U, res.s, res.Vt)
    assert res.ok and not r.passed and res.relative_residual > 1e-6


def test_divergence_is_reported():
    A = 30 * np.random.default_rng(0).standard_normal((10, 8))
    res = svd_by_optimization(A, method="penalty-sgd", steps=300, lr=0.9)
    assert res.status is Status.DIVERGED and "lr 0.9 diverged at step" in res.reason
    assert "lower the step size" in res.reason and not res.ok


def test_default_step_size_recovers_from_divergence():
    # issue 11 point 5: the seed's fixed lr 0.9 diverges on every report case; "auto" halves it
    A = 30 * np.random.default_rng(0).standard_normal((10, 8))
    res = svd_by_optimization(A, method="penalty-sgd", steps=300)
    assert res.status is Status.OK and np.isfinite(res.s).all()
    assert "lr 0.9 diverged at step" in res.reason and "restarted from the start with lr/2" in res.reason
    assert res.history.size == 300  # the diverged attempts count against the budget


def test_lr_is_refused_for_accurate_methods():
    with pytest.raises(InputValueError, match=r"'lr' applies to the penalty methods only"):
        svd_by_optimization(np.eye(3), method="jacobi", lr=0.1)
    with pytest.raises(InputValueError, match=r"The 'lr' parameter of svd_by_optimization must lie in \(0.0, inf\]"):
        svd_by_optimization(np.eye(3), method="penalty-sgd", lr=-1.0)


def test_callback_stops_and_sees_every_step():
    seen = []
    M = np.random.default_rng(0).random((4, 3))
    res = svd_by_optimization(M, method="penalty-adam", callback=lambda t, loss: seen.append(loss) or t >= 9)
    assert res.iterations == 10 and len(seen) == 10 and "callback" in res.reason
    res = svd_by_optimization(M, method="jacobi", callback=lambda t, v: True)
    assert res.iterations == 1


def test_result_to_dict_is_json():
    import json

    res = svd_by_optimization(np.eye(3) + 0.1, method="subspace-iteration")
    d = res.to_dict()
    json.dumps(d)
    assert d["method"] == "subspace-iteration" and "U" not in d and "summary" not in d
    assert "relative residual" in res.summary()


@pytest.mark.parametrize("kw, exc, msg", [
    (dict(method="newton"), InputValueError,
     r"The 'method' parameter of svd_by_optimization must be one of \{'penalty-sgd', .*\}. Got 'newton' instead."),
    (dict(method="jacobi", rank=0), InputValueError, r"The 'rank' parameter of svd_by_optimization must be >= 1"),
    (dict(method="jacobi", rank=4), InputValueError, r"The 'rank' parameter of svd_by_optimization must be <= 3"),
    (dict(method="jacobi", steps=0), InputValueError, r"The 'steps' parameter of svd_by_optimization must be >= 1"),
    (dict(method="jacobi", seed=1.5), InputTypeError, r"The 'seed' parameter of svd_by_optimization must be an int"),
    (dict(method="jacobi", callback=3), InputTypeError, r"'callback' parameter of svd_by_optimization must be callable"),
])
def test_bad_options(kw, exc, msg):
    with pytest.raises(exc, match=msg):
        svd_by_optimization(np.ones((4, 3)), **kw)


@pytest.mark.parametrize("bad, exc, msg", [
    (np.array([[np.inf, 1.0], [0.0, 1.0]]), InputValueError, r"svd_by_optimization: 'A' has 1 non-finite entries"),
    (np.zeros((3, 0)), InputValueError, r"svd_by_optimization: 'A' must be non-empty, got shape \(3, 0\)"),
    (np.ones(4), InputValueError, r"svd_by_optimization: 'A' must be a 2-D array, got shape \(4,\); use A.reshape"),
    (np.ones((2, 2), dtype=complex), InputTypeError, r"svd_by_optimization: 'A' must be real, got complex dtype"),
])
def test_bad_matrix(bad, exc, msg):
    with pytest.raises(exc, match=msg):
        svd_by_optimization(bad, method="jacobi")


@pytest.mark.parametrize("scale", [1e-200, 1e200])
@pytest.mark.parametrize("method", ACCURATE)
def test_huge_and_tiny_scales(method, scale):
    # the accurate methods scale by a power of two internally (documented in _validation: huge/tiny
    # scales are accepted)
    A = scale * np.random.default_rng(0).standard_normal((9, 6))
    res = svd_by_optimization(A, method=method)
    assert res.ok and lapack_ratios(A, res.U, res.s, res.Vt).passed
