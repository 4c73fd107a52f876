"""Sparse inertia certificate for ||A||_2 (linalg_lab.spectral_sparse) and its use in spectral_norm."""
import math

import numpy as np
import pytest
import scipy.sparse as sp

from linalg_lab import Status, spectral_norm
from linalg_lab._validation import InputTypeError, InputValueError
from linalg_lab.spectral import DETERMINISTIC_MAX_COLS
from linalg_lab.spectral_sparse import sparse_backend, sparse_norm_certificate
from linalg_lab.tolerance import record

_INSTALL = {
    "cholmod": ("scikit-sparse (CHOLMOD) is not importable: apt install libsuitesparse-dev, then "
                "pip install -e '.[cholmod]'"),
    "qdldl": "qdldl is not importable: pip install qdldl",
}
#: Every backend, the missing ones skipped with the reason and the fix ("band" is LAPACK through scipy).
BACKENDS = [pytest.param(b, marks=pytest.mark.skipif(sparse_backend(b) is None, reason=_INSTALL[b]))
            for b in ("cholmod", "qdldl")] + ["band"]
needs_backend = pytest.mark.skipif(sparse_backend("auto") is None,
                                   reason="no general sparse backend: pip install qdldl (or scikit-sparse)")


def lap2(n: int) -> sp.csr_matrix:
    t = sp.diags([-np.ones(n - 1), 2 * np.ones(n), -np.ones(n - 1)], [-1, 0, 1])
    i = sp.identity(n)
    return (sp.kron(t, i) + sp.kron(i, t)).tocsr()


def lap2_norm(n: int) -> float:
    """Largest eigenvalue of the 5-point Laplacian on an n x n grid: 8 cos^2(pi / (2 (n + 1)))."""
    return 8 * math.cos(math.pi / (2 * (n + 1))) ** 2


def _small_cases(rng):
    s = sp.random_array((60, 60), density=0.08, rng=rng, format="csr")
    return {
        "rect": sp.random_array((300, 200), density=0.03, rng=rng, format="csr"),
        "wide": sp.random_array((50, 400), density=0.05, rng=rng, format="csr"),
        "symmetric indefinite": (s + s.T).tocsr(),
        "banded": sp.diags([rng.standard_normal(300 - abs(k)) for k in range(-5, 6)], list(range(-5, 6))).tocsr(),
        "tiny scale": sp.random_array((80, 70), density=0.1, rng=rng, format="csr") * 1e-300,
        "huge scale": sp.random_array((80, 70), density=0.1, rng=rng, format="csr") * 1e300,
    }


@pytest.mark.parametrize("backend", BACKENDS)
def test_certificate_proves_above_and_refuses_below(rng, backend):
    for name, A in _small_cases(rng).items():
        ref = float(np.linalg.svd(A.toarray(), compute_uv=False)[0])
        up = sparse_norm_certificate(A, ref * (1 + 1e-9), backend=backend)
        assert up.certified, (name, up.reason)
        assert ref * (1 - 1e-15) <= up.upper <= ref * (1 + 1e-9), name
        # margin B/tau: measured against its size estimate r u rho / tau (rho ~ 2-10 tau here)
        record(f"sparse certificate margin ({name}, {backend})", up.margin / ref,
               20 * (up.max_row_count + 2) * 2.0**-53, kind="relative")
        down = sparse_norm_certificate(A, ref * (1 - 1e-9), backend=backend)
        assert not down.certified and down.status is Status.UNDECIDED, name
        assert "failed" in down.reason


@pytest.mark.parametrize("backend", BACKENDS)
def test_laplacian_closed_form(backend):
    n = 40
    A = lap2(n)
    lam = lap2_norm(n)
    c = sparse_norm_certificate(A, lam * (1 + 1e-11), backend=backend)
    assert c.certified and c.form == "symmetric" and c.upper >= lam
    assert not sparse_norm_certificate(A, lam * (1 - 1e-11), backend=backend).certified
    # the augmented form proves the same
    c2 = sparse_norm_certificate(A, lam * (1 + 1e-11), backend=backend, form="augmented")
    assert c2.certified and c2.form == "augmented"


@needs_backend
def test_tampered_and_indefinite_never_certify(rng):
    A = sp.random_array((120, 90), density=0.05, rng=rng, format="csr")
    ref = float(np.linalg.svd(A.toarray(), compute_uv=False)[0])
    # a single entry raised so that ||A|| grows past tau: the certificate at the old norm must fail
    B = A.tolil()
    B[3, 4] = 10 * ref
    B = B.tocsr()
    assert not sparse_norm_certificate(B, ref * (1 + 1e-6)).certified
    # symmetric with a large negative eigenvalue: tau I + A is indefinite though tau > lambda_max
    S = (sp.diags(np.linspace(-5.0, 1.0, 200))).tocsr()
    c = sparse_norm_certificate(S, 2.0)
    assert not c.certified and c.form == "symmetric"
    assert sparse_norm_certificate(S, 5.0 * (1 + 1e-9)).certified


@pytest.mark.parametrize("backend", BACKENDS)
def test_spectral_norm_large_sparse_is_deterministic(rng, backend):
    n = 72  # 5184 unknowns > DETERMINISTIC_MAX_COLS
    assert n * n > DETERMINISTIC_MAX_COLS
    A = lap2(n)
    lam = lap2_norm(n)
    r = spectral_norm(A, rtol=1e-8, seed=1, sparse_backend=backend)
    assert r.ok, r.reason
    assert r.upper_kind == "deterministic" and r.failure_probability == 0.0
    assert r.lower <= lam <= r.upper
    assert r.relative_gap <= 1e-8
    assert "Sylvester" in r.theorem
    record(f"sparse spectral_norm Laplacian estimate ({backend})", abs(r.estimate - lam) / lam, 1e-8, kind="relative")
    # block diagonal with random sparse blocks: ||R|| is the largest block norm (dense SVDs of blocks)
    blocks = [sp.random_array((60, 45), density=0.1, rng=rng, format="csr") for _ in range(100)]
    R = sp.block_diag(blocks, format="csr")
    ref = max(float(np.linalg.svd(b.toarray(), compute_uv=False)[0]) for b in blocks)
    r2 = spectral_norm(R, rtol=1e-8, seed=2, sparse_backend=backend)
    assert r2.ok and r2.upper_kind == "deterministic", r2.reason
    assert r2.lower <= ref * (1 + 1e-13) and ref * (1 - 1e-13) <= r2.upper


@needs_backend
def test_fill_budget_falls_back_to_probabilistic(rng):
    A = lap2(70)
    r = spectral_norm(A, rtol=1e-3, seed=3, max_factor_nnz=100, bound="deterministic")
    assert r.upper_kind in ("probabilistic", "trivial")
    assert "fell back to the probabilistic" in r.reason and "fill budget" in r.reason
    lam = lap2_norm(70)
    assert r.lower <= lam <= r.upper * (1 + 1e-12)


def test_missing_backend_says_so(monkeypatch):
    import linalg_lab.spectral_sparse as ss

    monkeypatch.setattr(ss, "sparse_backend", lambda name="auto": None)
    A = lap2(70)
    r = spectral_norm(A, rtol=1e-3, seed=4, bound="deterministic")
    assert "no sparse factorisation backend" in r.reason and "probabilistic" in r.reason
    c = ss.sparse_norm_certificate(A, 9.0)
    assert not c.certified and c.status is Status.SOLVER_FAILED and "pip install" in c.reason


def test_bad_input():
    with pytest.raises(InputTypeError, match="scipy.sparse"):
        sparse_norm_certificate(np.eye(3), 2.0)
    with pytest.raises(InputValueError, match="tau"):
        sparse_norm_certificate(sp.eye(3, format="csr"), -1.0)
    with pytest.raises(InputValueError, match="backend"):
        sparse_norm_certificate(sp.eye(3, format="csr"), 2.0, backend="superlu")
    bad = sp.eye(3, format="csr")
    bad.data[0] = np.nan
    with pytest.raises(InputValueError):
        sparse_norm_certificate(bad, 2.0)
    with pytest.raises(InputValueError, match="sparse_backend"):
        spectral_norm(sp.eye(3, format="csr"), sparse_backend="pardiso")


def _bracket(A, backend, rtol=1e-8, seed=0, steps=5):
    """certified_sparse_bracket from a crude start (a few power steps), as spectral_norm calls it."""
    from linalg_lab.spectral import ScaledOperator, _attained_lower
    from linalg_lab.spectral_sparse import certified_sparse_bracket

    op = ScaledOperator("sparse", A)
    v = np.random.default_rng(seed).standard_normal(op.n)
    for _ in range(steps):
        v = op.rmv(op.mv(v))
        v /= np.linalg.norm(v)
    lower, av = _attained_lower(op, v)
    br = certified_sparse_bracket(op, lower=lower, sigma=float(np.linalg.norm(av)), v=v, rtol=rtol,
                                  attained_lower=lambda x: _attained_lower(op, x), backend=backend)
    return op, br


@pytest.mark.parametrize("g", [64, 90, 127])
@pytest.mark.parametrize("backend", BACKENDS)
def test_laplacian_bracket_contains_closed_form(g, backend):
    """The g x g grid's 5-point Laplacian has ||A||_2 = 8 cos^2(pi / (2 (g + 1))): the bracket holds it."""
    lam = lap2_norm(g)
    r = spectral_norm(lap2(g), rtol=1e-8, seed=g, bound="deterministic", sparse_backend=backend)
    assert r.ok and r.upper_kind == "deterministic", r.reason
    assert r.lower <= lam <= r.upper
    assert r.relative_gap <= 1e-8
    assert f"backend {backend}" in r.theorem


@pytest.mark.parametrize("backend", BACKENDS)
def test_few_factorisations(backend):
    """Shift-invert Lanczos places tau: a handful of factorisations, not a bisection's dozens."""
    g = 72
    op, br = _bracket(lap2(g), backend)
    lam = math.ldexp(lap2_norm(g), -op.scale_exp)
    assert br["ok"] and br["form"] == "symmetric", br["reason"]
    assert br["lower"] <= lam <= br["upper"] and br["upper"] / br["lower"] - 1 <= 1e-8
    # 2 measured, the fewest possible: a trial tau just above the plain-Lanczos estimate (its solves
    # pin sigma_1 down to rtol) and the final tight tau; tau I + A is settled by Gershgorin
    assert br["factorizations"] <= 2, br
    rng = np.random.default_rng(5)
    B = sp.diags([rng.standard_normal(800 - abs(k)) for k in range(-8, 9)], list(range(-8, 9))).tocsr()
    ref = float(np.linalg.svd(B.toarray(), compute_uv=False)[0])
    op, br = _bracket(B, backend)
    ref_s = math.ldexp(ref, -op.scale_exp)
    assert br["ok"] and br["form"] == "augmented", br["reason"]
    assert br["lower"] <= ref_s * (1 + 1e-13) and ref_s * (1 - 1e-13) <= br["upper"]
    assert br["factorizations"] <= 2, br


def test_banded_input_takes_the_band_backend():
    rng = np.random.default_rng(7)
    B = sp.diags([rng.standard_normal(1000 - abs(k)) for k in range(-6, 7)], list(range(-6, 7))).tocsr()
    _, br = _bracket(B, "auto")
    assert br["ok"] and br["backend"] == "band" and br["ordering"] == "natural (interleaved band)"
    ref = float(np.linalg.svd(B.toarray(), compute_uv=False)[0])
    c = sparse_norm_certificate(B, ref * (1 + 1e-9))
    assert c.certified and c.backend == "band" and c.max_row_count == c.factor_nnz // (2 * 1000)
    # a 2-D grid is not banded enough (envelope ~ n sqrt(n)): a general sparse backend
    if sparse_backend("auto") is not None:
        _, br = _bracket(lap2(70), "auto")
        assert br["backend"] == sparse_backend("auto") and br["ordering"] == "amd"


def test_trial_factorisations_prove_nothing():
    """Factorisations made only to solve with (bound=False) leave every proved bound at inf."""
    from linalg_lab.spectral_sparse import _Problem

    A = lap2(20).tocsc() / 8
    prob = _Problem(A, form="symmetric", backend="band", ordering="auto")
    ok, up, _ = prob.certify(2.0, bound=False)
    assert ok and math.isinf(up) and prob.ready == [True, True] and prob.proved == [math.inf, math.inf]
    ok, up, _ = prob.certify(2.0)
    assert ok and 2.0 <= up <= 2.0 * (1 + 1e-12)


@pytest.mark.parametrize("n", [1, 7, 60])
def test_gershgorin_bounds_minus_lambda_min(rng, n):
    from linalg_lab.spectral_sparse import _gershgorin_neg_lambda_min

    S = sp.random_array((n, n), density=0.3, rng=rng, format="csr")
    S = (S + S.T + sp.diags(rng.standard_normal(n))).tocsr()
    lam_min = float(np.linalg.eigvalsh(S.toarray())[0])
    assert _gershgorin_neg_lambda_min(S) >= -lam_min
    # the Laplacian's rows sum to at least 0: -lambda_min <= (rounding only), below any lower bound
    assert 0.0 <= _gershgorin_neg_lambda_min(lap2(30)) <= 1e-13


@pytest.mark.parametrize("backend", BACKENDS)
def test_minus_lambda_min_binds(backend):
    """||A|| = -lambda_min(A) (for -L): the shift-invert solves use tau I + A (regression: 42
    factorisations and a bracket of width 5e-2 when the trial shifts factorised the other side); and
    L - 3.9 I, whose extremes 4.10 and -3.90 are close enough that Gershgorin settles neither side."""
    g = 72
    lam = lap2_norm(g)
    for A in (-lap2(g), (lap2(g) - 3.9 * sp.identity(g * g)).tocsr()):
        op, br = _bracket(A, backend)
        exact = math.ldexp(lam if A.diagonal()[0] < 0 else lam - 3.9, -op.scale_exp)
        assert br["ok"] and br["form"] == "symmetric", br["reason"]
        assert br["lower"] <= exact <= br["upper"] and br["upper"] / br["lower"] - 1 <= 1e-8
        assert br["factorizations"] <= 4, br


def test_rcm_bandwidth_tells_meshes_from_random_patterns():
    """The auto rule's fill proxy: a grid and a band are far below the threshold, a random pattern far above."""
    from linalg_lab.spectral_sparse import AUTO_MAX_BANDWIDTH_FRACTION, rcm_bandwidth_fraction

    g = 60
    t = sp.diags([-np.ones(g - 1), 2 * np.ones(g), -np.ones(g - 1)], [-1, 0, 1])
    grid = (sp.kron(t, sp.identity(g)) + sp.kron(sp.identity(g), t)).tocsr()
    assert rcm_bandwidth_fraction(grid, symmetric=True) <= 2 * g / g**2 < AUTO_MAX_BANDWIDTH_FRACTION
    rnd = sp.random_array((3000, 3000), density=10 / 3000, rng=np.random.default_rng(0), format="csr")
    assert rcm_bandwidth_fraction(rnd, symmetric=False) > 4 * AUTO_MAX_BANDWIDTH_FRACTION


def test_auto_bound_does_not_factorise_a_random_pattern():
    """With CHOLMOD installed, bound='auto' factorises mesh-like input but not a random pattern (it
    fills in: 131 s at 20000^2, measured); the random one gets the Lanczos bound instead."""
    pytest.importorskip("sksparse.cholmod", reason="scikit-sparse (CHOLMOD) is not importable: apt install "
                        "libsuitesparse-dev, then pip install -e '.[cholmod]'")
    rnd = sp.random_array((5000, 5000), density=10 / 5000, rng=np.random.default_rng(1), format="csr")
    assert spectral_norm(rnd, seed=0, rtol=1e-3).upper_kind == "probabilistic"
    g = 80
    t = sp.diags([-np.ones(g - 1), 2 * np.ones(g), -np.ones(g - 1)], [-1, 0, 1])
    grid = (sp.kron(t, sp.identity(g)) + sp.kron(sp.identity(g), t)).tocsr()
    assert spectral_norm(grid, seed=0, rtol=1e-8).upper_kind == "deterministic"


@pytest.mark.parametrize("g", [60, 150, 300])
def test_krylov_estimate_error_is_within_the_first_shift(g):
    """The plain-Lanczos estimate lies inside the spectrum and its true error is below the 2 x err step
    that places the first trial shift (else that factorisation fails and costs a retry)."""
    from linalg_lab._sparse_estimates import ESTIMATE_RTOL, krylov_estimate

    lam_max, lam_min = lap2_norm(g), 8 * math.sin(math.pi / (2 * (g + 1))) ** 2
    top, bottom, err = krylov_estimate(lap2(g).tocsc(), np.random.default_rng(0).standard_normal(g * g),
                                        symmetric=True)
    slack = 64 * 2.0**-53 * lam_max  # Ritz values of the computed T: within a few rounding errors of the spectrum
    assert lam_min - slack <= bottom <= top <= lam_max + slack
    actual = max(1 - top / lam_max, 0.0)
    record(f"krylov estimate g={g}: true error vs the 2 x err shift", actual, 2 * err, kind="relative")
    assert actual <= 2 * err <= 2 * ESTIMATE_RTOL


def test_krylov_estimate_gram_and_exhausted_space(rng):
    from linalg_lab._sparse_estimates import krylov_estimate

    B = sp.random_array((300, 200), density=0.03, rng=rng, format="csc")
    s1 = float(np.linalg.svd(B.toarray(), compute_uv=False)[0])
    top, bottom, err = krylov_estimate(B, rng.standard_normal(200), symmetric=False)
    assert bottom == -top and top <= s1 * (1 + 1e-13) and 1 - top / s1 <= max(2 * err, 1e-13)
    # k = n steps span the whole space: the Ritz values are the eigenvalues, err 0
    D = sp.diags([1.0, 2.0, 3.0, -5.0, 4.0]).tocsc()
    top, bottom, err = krylov_estimate(D, np.ones(5), symmetric=True)
    assert err == 0.0 and abs(top - 4) <= 1e-14 and abs(bottom + 5) <= 1e-14


def test_factor_helpers_agree_with_scipy(rng):
    """The fast diagonal read and the chunked row count give what L.diagonal() and bincount give."""
    from linalg_lab._sparse_ldlt import _lower_factor_diagonal, _row_counts_max

    L = sp.tril(sp.random_array((400, 400), density=0.05, rng=rng, format="csc"), k=-1) + sp.identity(400) * 3
    L = sp.csc_matrix(L)
    L.sort_indices()
    np.testing.assert_array_equal(_lower_factor_diagonal(L), L.diagonal())
    L2 = L.copy()
    L2.data[L2.indptr[:-1]] = 0.0
    L2.eliminate_zeros()  # no stored diagonal: falls back to L.diagonal()
    np.testing.assert_array_equal(_lower_factor_diagonal(L2), np.zeros(400))
    idx = rng.integers(0, 1000, size=(1 << 21) + 12345).astype(np.int32)  # more than one chunk
    assert _row_counts_max(idx, 1000) == int(np.bincount(idx, minlength=1000).max())
    assert _row_counts_max(np.zeros(0, dtype=np.int32), 5) == 0


def test_all_blas_threads_undoes_one_thread():
    import os  # threadpoolctl is a core dependency: no skip

    from threadpoolctl import threadpool_info

    from linalg_lab._sparse_ldlt import all_blas_threads, one_blas_thread

    with one_blas_thread():
        assert all(i["num_threads"] == 1 for i in threadpool_info() if i["user_api"] == "blas")
        with all_blas_threads():
            counts = [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]
            cores = os.cpu_count() or 1
            assert counts and all(1 <= c <= cores for c in counts)
            assert cores == 1 or max(counts) > 1
