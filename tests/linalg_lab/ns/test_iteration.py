"""The matrix iteration: seed-000 reproduction, polar agreement, batches, zero/rank-deficient,
scale invariance, low-precision emulation, torch, bad input."""
import math

import numpy as np
import pytest
import scipy.linalg

from linalg_lab import InputTypeError, InputValueError
from linalg_lab.ns import PRESETS, analyze_ns_output, newton_schulz, ns_schedule
from linalg_lab.ns import SEED000_TOLERANCE, seed000_reproduction
from linalg_lab.ns.analysis import _band_path
from linalg_lab.tolerance import gamma, unit_roundoff

U64 = unit_roundoff(np.float64)


def _well_conditioned(m, n, lo=0.5, seed=0):
    """m x n (m <= n) with singular values spread in [lo, 1] (condition 1/lo)."""
    rng = np.random.default_rng(seed)
    U, _ = np.linalg.qr(rng.standard_normal((m, m)))
    V, _ = np.linalg.qr(rng.standard_normal((n, m)))
    s = np.linspace(lo, 1.0, m)
    return (U * s) @ V.T, s


def test_seed000_reproduction(tolerance_report):
    """Seed notebook 000: 100x500, X0 = A/(||A||_F + 1e-9), 15 cubic steps reach the 1e-14 level."""
    out = seed000_reproduction(0)
    assert out.reference == "scipy.linalg.polar" and out.rank == 100
    # tolerance 2 gamma_500 (derivation in SEED000_TOLERANCE's comment)
    tolerance_report.record("seed000 ||X-UV^T||_F/||UV^T||_F", out.polar_error_fro, SEED000_TOLERANCE)
    tolerance_report.record("seed000 ||XX^T - I||_2", out.orthogonality_defect, SEED000_TOLERANCE)
    # the singular values all become 1 (the histogram collapses to one bin)
    tolerance_report.record("seed000 max |sv_after - 1|", float(np.max(np.abs(out.sv_after - 1))), SEED000_TOLERANCE)


def _rounding_bound(sched, k, lo, hi, m, n):
    """First-order a-priori bound on the 2-norm rounding error of k steps on singular values in [lo, hi].

    Step j computes a1 X + (a3 G + a5 G^2 + ...) X with ||X||_2 <= h_j; each term a_i X^(2i+1) is a
    chain of i+1 products of inner dimension <= n, so its error is at most gamma_{(i+1) n} |a_i| h^(2i+1)
    in norm, times sqrt(m) to pass from the componentwise (Frobenius) bound to the 2-norm.  Errors
    propagate through the later steps with their Lipschitz constants L_i = max |p_i'| on their input
    band (first order), and the final error is doubled to cover second-order terms.
    """
    los, his, _ = _band_path(sched, lo, hi, k)
    deltas, lips = [], []
    for j in range(k):
        st = sched.step(j)
        h = max(abs(los[j]), abs(his[j]))
        deltas.append(math.sqrt(m) * sum(gamma((i + 1) * (n + m)) * abs(float(c)) * h ** (2 * i + 1)
                                         for i, c in enumerate(st.coeffs)))
        xs = np.linspace(los[j], his[j], 2001)
        lips.append(float(np.max(np.abs(st.derivative(xs)))))
    total = 0.0
    for j in range(k):
        total += deltas[j] * math.prod(lips[j + 1:])
    return 2 * total


@pytest.mark.parametrize("name, steps", [("cubic", 40), ("pade5", 20), ("polar-express-8", 8),
                                         ("muon", 5), ("cesista5", 5), ("polar-express-5", 5), ("cans-5", 5)])
def test_agrees_with_scipy_polar_within_band_plus_rounding(name, steps, tolerance_report):
    m, n = 40, 90
    A, s = _well_conditioned(m, n, lo=0.5)
    sched = PRESETS[name]
    X = newton_schulz(A, sched, steps=steps).X
    P, _ = scipy.linalg.polar(A, side="right")
    err = float(np.linalg.norm(X - P, 2))
    # normalised spectrum: [s_min, s_max] / (||A||_F (safety + eps))
    d = float(np.linalg.norm(s)) * (float(sched.safety) + sched.eps)
    lo, hi = s.min() / d, s.max() / d
    los, his, _ = _band_path(sched, lo, hi, steps)
    band_err = max(abs(1 - los[-1]), abs(1 - his[-1]))
    # the reference: scipy's SVD-based polar factor is accurate to about n u cond
    ref_err = (m + n) * U64 * (s.max() / s.min())
    tol = band_err + _rounding_bound(sched, steps, lo, hi, m, n) + ref_err
    tolerance_report.record(f"||X - UV^T||_2 <= band + rounding ({name}, {steps} steps)", err, tol, kind="absolute")
    if band_err > 1e-3:  # the error is dominated by the band: it is attained, not just bounded
        assert err >= 0.5 * band_err


def test_predicted_error_matches_measured(tolerance_report):
    """The scalar map applied to the normalised singular values predicts ||X - UV^T||_F."""
    A, s = _well_conditioned(30, 70, lo=0.05, seed=3)
    for name in ("muon", "cesista5", "polar-express-5"):
        r = analyze_ns_output(A, schedule=name)
        tolerance_report.record(f"predicted vs measured polar error ({name})",
                                abs(r.polar_error_fro - r.predicted_polar_error_fro),
                                1e-12, kind="absolute")


def test_wide_and_tall_agree_by_transposition():
    A, _ = _well_conditioned(20, 50, seed=4)
    r1 = newton_schulz(A, "muon")
    r2 = newton_schulz(A.T, "muon")
    assert not r1.transposed and r2.transposed
    assert np.array_equal(r1.X, r2.X.T)


def test_batches_match_loop():
    rng = np.random.default_rng(5)
    A = rng.standard_normal((2, 3, 12, 7))
    r = newton_schulz(A, "polar-express-5")
    assert r.X.shape == A.shape and r.input_norm.shape == (2, 3) and r.zero_input.shape == (2, 3)
    for i in range(2):
        for j in range(3):
            assert np.array_equal(r.X[i, j], newton_schulz(A[i, j], "polar-express-5").X)
    # a batch member that is zero stays zero without disturbing the others
    A[1, 2] = 0
    r = newton_schulz(A, "muon")
    assert np.all(r.X[1, 2] == 0) and r.zero_input[1, 2] and not r.zero_input[0, 0]
    assert "zero input" in r.reason


def test_zero_matrix():
    r = newton_schulz(np.zeros((3, 5)), "cubic")
    assert r.ok and np.all(r.X == 0) and r.X.shape == (3, 5)


def test_exact_zero_rows_and_columns_stay_zero():
    rng = np.random.default_rng(6)
    A = rng.standard_normal((6, 9))
    A[2] = 0
    A[:, 4] = 0
    X = newton_schulz(A, "cesista5").X
    assert np.all(X[2] == 0) and np.all(X[:, 4] == 0)


def test_rank_deficient_gives_partial_isometry(tolerance_report):
    rng = np.random.default_rng(7)
    r_true, m, n = 5, 30, 60
    Q1, _ = np.linalg.qr(rng.standard_normal((m, r_true)))
    Q2, _ = np.linalg.qr(rng.standard_normal((n, r_true)))
    A = (Q1 * np.linspace(0.6, 1.0, r_true)) @ Q2.T
    k = 16
    out = analyze_ns_output(A, schedule="cubic", steps=k)
    assert out.rank == r_true and out.reference.startswith("truncated SVD")
    # zero singular values: rounding noise (~gamma_n) amplified by p'(0) = 1.5 per step at most
    noise_bound = 3 * 1.5**k * gamma(m + n)
    tolerance_report.record("rank-deficient: zero singular values stay zero", float(out.sv_after[r_true:].max()),
                            noise_bound, kind="absolute")
    # the nonzero part: ℓ = 0.6/||A||_F ≈ 0.29 converges within 16 cubic steps
    tolerance_report.record("rank-deficient: ||X - U_r V_r^T||_F / sqrt(r)", out.polar_error_fro,
                            noise_bound, kind="absolute")
    X = out.X
    tolerance_report.record("rank-deficient: ||X X^T X - X||_2 (partial isometry)",
                            float(np.linalg.norm(X @ X.T @ X - X, 2)), 3 * noise_bound, kind="absolute")


def test_scale_invariance_huge_tiny(tolerance_report):
    A, s = _well_conditioned(25, 60, lo=0.3, seed=8)
    ref = newton_schulz(A, "cubic", steps=30).X
    # powers of two: exactly the same output
    for e in (-1000, -60, 7, 900):
        assert np.array_equal(newton_schulz(np.ldexp(A, e), "cubic", steps=30).X, ref)
    # 1e300 and 1e-300 round every entry once (relative u): the polar factor moves by at most
    # about ||dA||_2 / s_min <= sqrt(m n) u ||A||_max / s_min, plus the two runs' rounding (2 gamma_n)
    for c in (1e300, 1e-300):
        r = newton_schulz(A * c, "cubic", steps=30)
        assert r.ok and np.all(np.isfinite(r.X))
        err = float(np.max(np.abs(r.X - ref)))
        tol = math.sqrt(25 * 60) * U64 * float(np.abs(A).max()) / s.min() + 2 * gamma(60 + 25)
        tolerance_report.record(f"scale {c:g} vs scale 1", err, tol, kind="absolute")
        assert r.input_norm == pytest.approx(c * np.linalg.norm(A), rel=1e-15)
    # eps acts as if ||A|| = 1, so it never dominates a tiny input: the non-converging muon
    # schedule (whose output depends on the normalised spectrum) gives the same output too
    m1, m2 = newton_schulz(A * 1e-300, "muon"), newton_schulz(A, "muon")
    assert m1.eps_relative == m2.eps_relative == 1e-7
    tolerance_report.record("muon: scale 1e-300 vs scale 1", float(np.max(np.abs(m1.X - m2.X))),
                            math.sqrt(25 * 60) * U64 * float(np.abs(A).max()) / s.min() * 3.5**5
                            + 2 * gamma(60 + 25) * 3.5**5, kind="absolute")


@pytest.mark.parametrize("precision, udt", [("bfloat16", 2.0**-8), ("float16", 2.0**-11), ("float32", 2.0**-24)])
def test_low_precision_emulation(precision, udt, tolerance_report):
    """Emulated runs differ from float64 at their own unit roundoff, and report the difference."""
    rng = np.random.default_rng(9)
    A = rng.standard_normal((48, 96)) / math.sqrt(96)
    sched = PRESETS["muon"]
    out = analyze_ns_output(A, schedule=sched, precision=precision)
    assert out.precision == f"{precision} (emulated)"
    diff = out.precision_difference
    # lower bound: the cast of the input alone perturbs entries by up to u; a non-emulation (float64
    # values) would give ~1e-16.  Upper bound (first order, per step): 4 roundings (G, G^2, B, X)
    # of terms of size sum |a_i| = 10.25, propagated with |p'| <= 3.5 for the 4 later steps.
    lo_bound = udt / 16
    hi_bound = 4 * 10.25 * udt * sum(3.5**j for j in range(5))
    tolerance_report.record(f"{precision} vs float64 relative difference (upper)", diff, hi_bound)
    assert diff >= lo_bound, f"{precision}: difference {diff:.3g} is below the {precision} level {lo_bound:.3g}"
    X = newton_schulz(A, sched, precision=precision).X
    if precision != "float32":
        import ml_dtypes

        low = ml_dtypes.bfloat16 if precision == "bfloat16" else np.float16
        assert np.array_equal(X.astype(low).astype(np.float64), X)  # values of the low dtype
    else:
        assert X.dtype == np.float32


def test_bf16_difference_between_float16_and_float32_levels():
    A = np.random.default_rng(10).standard_normal((32, 64))
    d = {p: analyze_ns_output(A, schedule="polar-express-5", precision=p).precision_difference
         for p in ("bfloat16", "float16", "float32")}
    assert d["float32"] < d["float16"] < d["bfloat16"]


def test_float32_input_stays_float32():
    A = np.random.default_rng(11).standard_normal((8, 10)).astype(np.float32)
    r = newton_schulz(A, "cubic", steps=25)
    assert r.X.dtype == np.float32 and r.precision == "float32"
    assert float(np.linalg.norm(r.X @ r.X.T - np.eye(8), 2)) <= 50 * unit_roundoff(np.float32) * 10


def test_integer_input_and_steps_zero():
    A = np.arange(12).reshape(3, 4)
    r = newton_schulz(A, "cubic", steps=0)
    assert r.products == 0 and r.X.dtype == np.float64
    np.testing.assert_allclose(r.X, A / (np.linalg.norm(A) * (1 + 1e-7)), rtol=4 * U64)


def test_spectral_normalisation():
    sched = ns_schedule("cubic", normalization="spectral")
    A, s = _well_conditioned(10, 20, lo=0.5, seed=12)
    r = newton_schulz(7.0 * A, sched, steps=12)
    assert r.input_norm == pytest.approx(7.0, rel=1e-6)
    P, _ = scipy.linalg.polar(A, side="right")
    assert float(np.linalg.norm(r.X - P, 2)) < 1e-12  # spectrum in [0.5, 1]: 12 steps converge


@pytest.mark.parametrize("kw, exc, match", [
    (dict(A=np.ones(3)), InputValueError, r"'A' must be an array with at least 2 dimensions, got shape \(3,\)"),
    (dict(A=np.ones((0, 3))), InputValueError, "must be non-empty"),
    (dict(A=np.array([[1.0, np.nan]])), InputValueError, "1 non-finite entries"),
    (dict(A=np.ones((2, 2)) * 1j), InputTypeError, "must be real, got complex"),
    (dict(A=np.ones((2, 2)), precision="bf16"), InputValueError,
     r"The 'precision' parameter of newton_schulz must be one of \{'bfloat16', 'float16', 'float32'\}"),
    (dict(A=np.ones((2, 2)), steps=-1), InputValueError, r"The 'steps' parameter of newton_schulz must be >= 0"),
    (dict(A=np.ones((2, 2)), steps=2.0), InputTypeError, "must be an int"),
    (dict(A=np.ones((2, 2)), schedule="jordan"), InputValueError, "unknown schedule 'jordan'; presets are"),
    (dict(A="abc"), InputTypeError, "got a string"),
])
def test_bad_input(kw, exc, match):
    with pytest.raises(exc, match=match):
        newton_schulz(**kw)


def test_result_object():
    r = newton_schulz(np.eye(3, 5), "muon")
    assert np.asarray(r).shape == (3, 5)
    d = r.to_dict()
    assert d["kind"] == "NewtonSchulzResult" and "X" not in d and d["products"] == 15 and d["ok"]
    assert "muon" in r.summary() and "15 matrix products" in r.summary()
    assert r.flops == pytest.approx(5 * (3 * 9 * 5 + 27 + 2 * 15))


def test_torch_path_matches_numpy(tolerance_report):
    torch = pytest.importorskip("torch")
    A, _ = _well_conditioned(16, 40, seed=13)
    ref = newton_schulz(A, "muon").X
    r = newton_schulz(torch.from_numpy(A), "muon")
    assert isinstance(r.X, torch.Tensor) and r.X.dtype == torch.float64 and "torch" in r.precision
    tolerance_report.check("torch float64 vs numpy", r.X.numpy(), ref, rtol=0, atol=100 * gamma(56))
    rb = newton_schulz(torch.from_numpy(A), "muon", precision="bfloat16")
    assert rb.X.dtype == torch.bfloat16
    diff = float(np.linalg.norm(rb.X.float().numpy() - ref) / np.linalg.norm(ref))
    assert 2.0**-8 / 16 <= diff <= 4 * 10.25 * 2.0**-8 * sum(3.5**j for j in range(5))
    # tall batch in torch
    B = torch.randn(3, 30, 10, dtype=torch.float64)
    rt = newton_schulz(B, "cubic", steps=30)
    assert rt.transposed and rt.X.shape == (3, 30, 10)
    eye = torch.eye(10, dtype=torch.float64)
    assert float((rt.X.mT @ rt.X - eye).abs().max()) < 1e-12


def verify_singular_value_map(A, sched, k, tolerance_report, label):
    """Invariant: the singular values of the output are P_k applied to the normalised ones."""
    s = np.linalg.svd(A, compute_uv=False)
    d = float(np.linalg.norm(s)) * (float(sched.safety) + sched.eps)
    want = np.sort(np.abs(sched(s / d, k)))[::-1]
    got = np.linalg.svd(newton_schulz(A, sched, steps=k).X, compute_uv=False)
    lo, hi = s.min() / d, s.max() / d
    tol = _rounding_bound(sched, k, lo, hi, *A.shape) + 8 * A.shape[1] * U64
    tolerance_report.record(f"singular values follow P_k ({label})", float(np.max(np.abs(got - want))), tol,
                            kind="absolute")


@pytest.mark.parametrize("seed", range(4))
def test_random_odd_schedules_follow_scalar_map(seed, tolerance_report):
    """Random odd polynomials of degree 3..9 (kept in a bounded regime) act on singular values."""
    rng = np.random.default_rng(100 + seed)
    steps = []
    for _ in range(3):
        deg = int(rng.integers(1, 5))  # deg + 1 coefficients: degree 3, 5, 7 or 9
        c = rng.uniform(-0.5, 0.5, deg + 1)
        c[0] = 1.0 + abs(c[0])
        steps.append([f"{v:.4f}" for v in c])
    sched = ns_schedule(steps)
    A, _ = _well_conditioned(12, 30, lo=0.2, seed=seed)
    verify_singular_value_map(A, sched, 3, tolerance_report, f"seed {seed}")


@pytest.mark.gpu
def test_torch_cuda_bf16():
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("needs a CUDA device")
    A = torch.randn(256, 512, device="cuda")
    r = newton_schulz(A, "muon", precision="bfloat16")
    assert r.X.device.type == "cuda" and r.X.dtype == torch.bfloat16
    ref = newton_schulz(A.double().cpu().numpy(), "muon").X
    diff = float(np.linalg.norm(r.X.float().cpu().numpy() - ref) / np.linalg.norm(ref))
    assert 2.0**-8 / 16 <= diff <= 4 * 10.25 * 2.0**-8 * sum(3.5**j for j in range(5))


def test_torch_zero_and_float32():
    torch = pytest.importorskip("torch")
    r = newton_schulz(torch.zeros(2, 4, 6), "muon")
    assert torch.all(r.X == 0) and bool(np.all(r.zero_input))
    A = torch.randn(8, 5)  # float32 stays float32
    r = newton_schulz(A, "cubic", steps=25)
    assert r.X.dtype == torch.float32 and r.transposed
    assert float((r.X.mT @ r.X - torch.eye(5)).abs().max()) < 50 * unit_roundoff(np.float32) * 5


def test_diverging_schedule_is_reported(capsys):
    """A schedule that blows up (p(x) = 3x + x^3 repeated) gives a non-ok result, not silent garbage."""
    A = np.random.default_rng(14).standard_normal((5, 8))
    with np.errstate(over="ignore", invalid="ignore"):
        r = newton_schulz(A, "3,1", steps=400)
        out = analyze_ns_output(A, schedule="3,1", steps=400)
    assert not r.ok and "diverges" in r.reason
    assert not out.ok and "diverged" in out.reason and out.polar_error_fro == math.inf


def _bf16_reference_step0_and_1(A):
    """A torch.optim.Muon-style bf16 run written out by hand with ml_dtypes: the norm is returned
    in bf16, ``b G + c G G`` and ``a X + B X`` are each one fused addmm (one rounding)."""
    import ml_dtypes

    low = ml_dtypes.bfloat16

    def rnd(x):
        return np.asarray(x, dtype=np.float32).astype(low).astype(np.float32)

    a, b, c = PRESETS["muon"].steps[0].as_floats()
    X = rnd(A)
    nb = rnd(np.sqrt(np.sum(X * X, dtype=np.float32)))
    d = rnd(rnd(nb * np.float32(1.0)) + rnd(nb * np.float32(1e-7)))
    X0 = rnd(X / d)
    G = rnd(X0 @ X0.T)
    B = rnd(np.float32(b) * G + np.float32(c) * (G @ G))
    X1 = rnd(np.float32(a) * X0 + B @ X0)
    return X0, X1


def test_bf16_emulation_rounds_where_torch_rounds():
    """Regression: the emulated bf16 run rounded neither the norm (torch returns X.norm() of a
    bf16 tensor in bf16) nor skipped the separate rounding of G G that a fused addmm does not do;
    it now matches a hand-written torch.addmm-style bf16 run bit for bit on the first step."""
    rng = np.random.default_rng(21)
    A = rng.standard_normal((24, 40)).astype(np.float32)
    A = A / np.abs(A).max() * np.float32(0.75)  # max |entry| in [1/2, 1): the pre-scaling is exact
    X0, X1 = _bf16_reference_step0_and_1(A)
    r0 = newton_schulz(A, "muon", steps=0, precision="bfloat16")
    r1 = newton_schulz(A, "muon", steps=1, precision="bfloat16")
    assert np.array_equal(np.asarray(r0.X), X0)
    assert np.array_equal(np.asarray(r1.X), X1)


def test_torch_bf16_path_matches_emulation_and_addmm():
    """The torch path uses the same rounding points as the emulation (baddbmm, bf16 norm)."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(22)
    A = rng.standard_normal((2, 24, 40)).astype(np.float32)
    A = A / np.abs(A).max(axis=(1, 2), keepdims=True) * np.float32(0.75)
    for sched in ("muon", "cubic", "polar-express-5", "1.5,0.1,-0.3,0.05"):
        em = newton_schulz(A, sched, steps=2, precision="bfloat16").X
        tt = newton_schulz(torch.from_numpy(A), sched, steps=2, precision="bfloat16").X
        assert tt.dtype == torch.bfloat16
        # identical up to the order of float32 accumulation (a rare one-ulp tie)
        mism = float(np.mean(tt.float().numpy() != em))
        assert mism <= 1e-3, (sched, mism)
    # the hand-written torch.optim.Muon step
    a, b, c = PRESETS["muon"].steps[0].as_floats()
    X = torch.from_numpy(A[0]).bfloat16()
    X = X / (X.norm() + 1e-7)
    G = X @ X.T
    X = torch.addmm(X, torch.addmm(G, G, G, beta=b, alpha=c), X, beta=a)
    assert torch.equal(newton_schulz(torch.from_numpy(A[0]), "muon", steps=1, precision="bfloat16").X, X)


def test_asarray_of_torch_float64_result_keeps_float64():
    """Regression: np.asarray(result) of a float64 torch run went through float32 (errors ~1e-8)."""
    torch = pytest.importorskip("torch")
    A = np.random.default_rng(23).standard_normal((9, 6))
    r = newton_schulz(torch.from_numpy(A), "polar-express-5")
    arr = np.asarray(r)
    assert arr.dtype == np.float64 and np.array_equal(arr, r.X.numpy())
    rb = newton_schulz(torch.from_numpy(A), "polar-express-5", precision="bfloat16")
    assert np.array_equal(np.asarray(rb), rb.X.float().numpy())  # bf16 widened exactly
