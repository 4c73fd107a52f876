"""Training, tracking, sweeps, CLI and report of the low-rank-gradient experiment (arXiv:2510.01303).

Paper sizes (n=750, d=1000, m=1250) appear only where they are cheap (initial weights) or in tests
marked slow.
"""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from linalg_lab import InputValueError, alignment, principal_angles, projection_ratio
from linalg_lab.experiments import CONFIGS, PAIRS, SWEEPS, compare_runs, nu_sweep, run_experiment, train
from linalg_lab.experiments import alignment as al
from linalg_lab.testing import unit_roundoff

U = unit_roundoff(np.float64)


@pytest.fixture(scope="module")
def tiny_run():
    return train("tiny-sigmoid", seed=1)


def test_configs_contract():
    for name in ("ntk", "mean-field"):
        c = CONFIGS[name]
        assert (c.n, c.d, c.m) == (750, 1000, 1250)
        assert c.nu == 0 and c.teacher == "sigmoid" and c.activation == "sigmoid"
        assert c.outer == "gaussian" and c.outer_scale == "1/sqrt(m)"
        assert c.lr == pytest.approx(math.sqrt(1250) / 2) and c.epochs == 50
    # issue 10.14: the regime is the total output scale gamma * a_scale; a ~ N(0, 1/m) here
    assert CONFIGS["ntk"].output_scale == pytest.approx(1 / math.sqrt(1250))
    assert CONFIGS["mean-field"].output_scale == pytest.approx(1 / 1250)
    assert CONFIGS["ntk"].gamma == pytest.approx(1.0)
    assert CONFIGS["mean-field"].gamma == pytest.approx(1 / math.sqrt(1250))
    assert (CONFIGS["paper"].n, CONFIGS["paper"].d, CONFIGS["paper"].m) == (750, 1000, 1250)
    assert CONFIGS["relu"].activation == "relu" and CONFIGS["sigmoid"].activation == "sigmoid"
    for a, b in PAIRS.values():
        assert a in CONFIGS and b in CONFIGS
    for base in SWEEPS.values():
        assert base in CONFIGS
    assert al.NU_GRID == (0, 1 / 8, 2 / 8, 3 / 8, 4 / 8, 5 / 8, 6 / 8)


def test_config_validation_messages():
    with pytest.raises(InputValueError, match="The 'activation' parameter of AlignmentConfig must be one of"):
        CONFIGS["tiny-relu"].replace(activation="gelu")
    with pytest.raises(InputValueError, match="The 'config' parameter of get_config must be one of"):
        train("no-such-config")
    with pytest.raises(InputValueError, match=r"'top_k' must be <= min\(m, d\) = 80"):
        CONFIGS["tiny-relu"].replace(top_k=81)


def test_train_accepts_name_or_object_and_history_shapes(tiny_run):
    r = tiny_run
    assert r.ok, r.reason
    E = CONFIGS["tiny-sigmoid"].epochs
    for key in ("loss", "test_loss", "weight_norm", "alignment_q", "alignment_residue", "energy", "gradient_norm"):
        assert r.history[key].shape == (E,), key
        assert np.all(np.isfinite(r.history[key])), key
    assert r.history["singular_values"].shape == (E, CONFIGS["tiny-sigmoid"].top_k)
    r2 = train(CONFIGS["tiny-sigmoid"], seed=1)
    for key in r.history:  # deterministic: fixed start vectors, no redraws
        assert np.array_equal(r.history[key], r2.history[key], equal_nan=True), key
    d = r.to_dict()
    json.dumps(d)
    assert set(d["history"]) >= {"loss", "test_loss", "weight_norm", "alignment_q", "alignment_residue"}


def test_history_entries_are_evaluated_at_the_same_weights(tiny_run):
    # Recompute epoch 0 from the public functions (the seed mixed pre- and post-update weights).
    r = tiny_run
    c = r.config
    D = al.spiked_data(c.n, c.d, nu=c.nu, alpha=c.alpha, teacher=c.teacher, n_index=c.n_index,
                       noise=c.noise, n_test=c.n_test, seed=r.seed)
    W0, a = al.init_weights(c.m, c.d, outer=c.outer, outer_scale=c.outer_scale, seed=r.seed)
    g = c.gamma
    assert r.history["loss"][0] == pytest.approx(al.half_mse(D.X, W0, a, D.y, gamma=g, activation=c.activation), rel=1e-14)
    # test loss: 1-D predictions against 1-D targets (the seed's (N,1) vs (N,) gave an N x N mean)
    f_test = al.network_output(D.X_test, W0, a, gamma=g, activation=c.activation)
    assert f_test.shape == D.y_test.shape == (c.n_test,)
    assert r.history["test_loss"][0] == pytest.approx(0.5 * np.mean((f_test - D.y_test) ** 2), rel=1e-14)
    G = al.first_layer_gradient(D.X, W0, a, D.y, gamma=g, activation=c.activation)
    Uf, s, Vt = np.linalg.svd(G)
    res = al.network_output(D.X, W0, a, gamma=g, activation=c.activation) - D.y
    # The tracked triplet has residual <= svd_rtol * s1; the angle to the true v1 is then at most
    # residual / gap (Wedin), and |cos| changes by at most that angle.
    gap = (s[0] - s[1]) / s[0]
    slack = c.svd_rtol / gap + 1e-12
    sv = r.history["singular_values"][0]
    assert sv[0] == pytest.approx(s[0], rel=c.svd_rtol)
    # the others are Ritz values of the warm block: lower bounds (interlacing), here within 5%
    assert np.all(sv <= s[: c.top_k] * (1 + 1e-12)) and np.all(sv >= 0.95 * s[: c.top_k])
    assert abs(r.history["alignment_q"][0] - alignment(Vt[0], D.q)) <= slack
    assert abs(r.history["alignment_residue"][0] - alignment(Vt[0], D.X_bulk.T @ res)) <= slack
    assert r.history["weight_norm"][0] == pytest.approx(np.linalg.norm(W0, 2), rel=1e-8)
    assert r.history["energy"][0] == pytest.approx(projection_ratio(W0, [D.X_bulk.T @ D.y, D.q]), rel=1e-12)
    # the term norms at epoch 0 match the exact decomposition with the exact mu
    mu = al.expected_activation_derivative(W0, activation=c.activation, zeta=D.zeta, q=D.q)
    dec = al.gradient_decomposition(D.X_bulk, D.X_spike, W0, a, D.y, gamma=g, activation=c.activation, mu=mu)
    for k in ("S1", "S12", "S2"):
        assert r.history[f"term_norm_{k}"][0] == pytest.approx(dec.norms[k], rel=1e-9)
    assert r.history["term_norm_E"][0] == pytest.approx(dec.norms["E"], rel=1e-5)


def test_rows_stay_on_the_sphere_and_refit_is_consistent(tiny_run):
    r = tiny_run
    assert np.allclose(np.linalg.norm(r.weights, axis=1), 1.0, rtol=0, atol=8 * U * math.sqrt(r.config.d))
    c = r.config
    D = al.spiked_data(c.n, c.d, nu=c.nu, alpha=c.alpha, teacher=c.teacher, n_index=c.n_index,
                       noise=c.noise, n_test=c.n_test, seed=r.seed)
    H = c.gamma * al.ACTIVATIONS[c.activation][0](D.X @ r.weights.T)
    a_fit = np.linalg.lstsq(H, D.y, rcond=None)[0]
    expect = al.half_mse(D.X_test, r.weights, a_fit, D.y_test, gamma=c.gamma, activation=c.activation)
    assert r.final["refit_test_loss"] == pytest.approx(expect, rel=1e-10)
    # min-norm refit interpolates the training data (n < m): gamma applied consistently
    assert al.half_mse(D.X, r.weights, a_fit, D.y, gamma=c.gamma, activation=c.activation) < 1e-20


def test_outer_weights_are_plus_minus_not_zero():
    for m in (7, 100, 1250):
        _, a = al.init_weights(m, 5, outer="sign", seed=3)
        assert set(np.unique(a * math.sqrt(m)).round(12)) == {-1.0, 1.0}
    _, a = al.init_weights(1250, 5, outer="gaussian", seed=3)
    assert abs(np.var(a) * 1250 - 1) < 0.15  # N(0, 1/m): sample variance within ~4 sd (sd = sqrt(2/m))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_initial_weight_norm_matches_random_matrix_prediction_paper_sizes(seed, tolerance_report):
    # ||W||_2 for m x d with rows uniform on the sphere ~ (sqrt(m) + sqrt(d)) / sqrt(d) = 1 + sqrt(m/d)
    # (Marchenko-Pastur edge); finite-size (Tracy-Widom) fluctuations are O(m^(-2/3)) ~ 1%, so
    # "a few percent" = 3% leaves room for them.
    W, _ = al.init_weights(1250, 1000, seed=seed)
    est = al.warm_norm_estimate(W, rtol=1e-8).estimate
    pred = 1 + math.sqrt(1250 / 1000)
    tolerance_report.record(f"||W_0||_2 vs 1 + sqrt(m/d), seed {seed}", abs(est / pred - 1), 0.03, kind="relative")
    assert abs(est / pred - 1) <= 0.03


def test_warm_started_top_svd_matches_full_svd():
    rng = np.random.default_rng(0)
    A = rng.standard_normal((300, 200)) @ np.diag(np.linspace(1, 0.01, 200) ** 2) @ np.linalg.qr(rng.standard_normal((200, 200)))[0]
    tr = al.top_singular_triplets(A, 5, rtol=1e-10, max_sweeps=500)
    s_ref = np.linalg.svd(A, compute_uv=False)
    assert tr.ok and tr.residual <= 1e-10
    assert np.allclose(tr.s, s_ref[:5], rtol=1e-9, atol=0)
    # warm start: a slightly perturbed matrix needs far fewer sweeps than the cold start
    tr2 = al.top_singular_triplets(A + 1e-6 * rng.standard_normal(A.shape), 5, start=tr.block, rtol=1e-10,
                                   max_sweeps=500)
    assert tr2.sweeps < tr.sweeps / 3 and tr2.residual <= 1e-10
    # the sweep limit is reported, not hidden
    bad = al.top_singular_triplets(A, 5, rtol=1e-12, max_sweeps=1)
    assert not bad.ok and "max_sweeps" in bad.reason


def test_lanczos_norm_is_warm_started_and_accurate():
    rng = np.random.default_rng(1)
    A = rng.standard_normal((250, 200))
    ref = np.linalg.norm(A, 2)
    cold = al.warm_norm_estimate(A, rtol=1e-10)
    assert cold.ok and cold.estimate == pytest.approx(ref, rel=1e-9)
    warm = al.warm_norm_estimate(A, start=cold.v, rtol=1e-10)
    assert warm.estimate == pytest.approx(ref, rel=1e-9)
    assert warm.iterations < cold.iterations  # the start vector is carried over, not redrawn


def test_divergence_is_reported_not_hidden():
    # gamma = 1e300 overflows the loss at the first epoch: the run stops and says so
    with np.errstate(over="ignore", invalid="ignore"):
        r = train(CONFIGS["tiny-relu"].replace(scaling=1e300, epochs=3))
    assert not r.ok
    assert "diverged at epoch 0" in r.reason and "lower lr" in r.reason
    assert r.history["loss"].shape == (3,) and np.isnan(r.history["loss"][1])
    # huge but finite steps are absorbed by the row renormalisation
    r = train(CONFIGS["tiny-relu"].replace(lr=1e12, epochs=3))
    assert np.all(np.isfinite(r.history["loss"]))


def test_compare_runs_angles():
    c = compare_runs(CONFIGS["tiny-relu"].replace(epochs=4), CONFIGS["tiny-sigmoid"].replace(epochs=4), angle_every=2)
    assert c.ok
    assert c.angle_epochs.tolist() == [0, 2, 4]
    # same initial weights: the angles of identical subspaces are zero up to rounding, about
    # kappa(W) u radians (kappa(W_0) ~ 20 here), so 1e-10 degrees is generous.
    assert c.max_angle_deg[0] <= 1e-10
    assert c.mean_angle_deg[-1] > 1.0
    assert np.all(c.max_angle_deg >= c.mean_angle_deg)
    json.dumps(c.to_dict())


@pytest.mark.parametrize("act", ["relu", "sigmoid", "tanh"])
def test_paper_claim_small_spike_residue_strong_spike_q(act):
    # arXiv:2510.01303, Fig. 1: "For nu < 0.25, a single residue-aligned spike is seen ...; for
    # nu in [0.25, 0.5) the gradient is approximately rank two"; for strong spikes the spike
    # direction q dominates.  Reduced sizes n=150, d=200, m=250 (the thresholds are asymptotic in
    # n; at these sizes nu = 5/8 is still transitional for some activations, so 3/4 is tested).
    sw = nu_sweep("small-paper", nus=(0.0, 0.125, 0.75), activations=(act,), seeds=2)
    small = sw.alignment_residue[:2]
    assert small.min() >= 0.9, small
    assert sw.alignment_q[:2].max() <= 0.35
    assert sw.alignment_q[2].min() >= 0.9, sw.alignment_q[2]
    assert sw.alignment_residue[2].max() <= 0.4
    # the residue spike S1 dominates the spike terms for small nu and the reverse for nu = 3/4
    assert np.all(sw.norm_S1[:2] > sw.norm_spike[:2])
    assert np.all(sw.norm_spike[2] > sw.norm_S1[2])


def test_run_experiment_multiple_seeds():
    res = run_experiment("tiny-ntk", seeds=2)
    assert res.ok and res.experiment_kind == "train" and len(res.runs) == 2
    assert res.runs[0].history["loss"][0] != res.runs[1].history["loss"][0]
    assert set(res.aggregate) >= {"alignment_q", "alignment_residue"}
    json.dumps(res.to_dict())


def test_principal_angles_definition_matches_foundation():
    c = compare_runs(CONFIGS["tiny-ntk"].replace(epochs=2), CONFIGS["tiny-mean-field"].replace(epochs=2), angle_every=2)
    ra = train(CONFIGS["tiny-ntk"].replace(epochs=2))
    rb = train(CONFIGS["tiny-mean-field"].replace(epochs=2))
    th = np.degrees(principal_angles(ra.weights, rb.weights))
    assert c.mean_angle_deg[-1] == pytest.approx(th.mean(), rel=1e-12)


@pytest.mark.slow
def test_paper_claim_paper_sizes():
    sw = nu_sweep("paper", nus=(0.0, 0.125, 0.75), activations=("relu", "sigmoid"), scalings=("ntk",), seeds=1)
    assert sw.alignment_residue[:2].min() >= 0.95
    assert sw.alignment_q[2].min() >= 0.95


@pytest.mark.slow
def test_paper_size_training_run():
    r = train("ntk")
    assert r.ok, r.reason
    assert r.history["weight_norm"][0] == pytest.approx(1 + math.sqrt(1.25), rel=0.03)
    assert r.history["loss"][-1] < r.history["loss"][0]


def _torch():
    try:
        import torch
    except ImportError:
        return None
    return torch


@pytest.mark.skipif(_torch() is None, reason="optional torch backend: torch not installed")
def test_torch_backend_cpu_matches_numpy():
    cfg = CONFIGS["tiny-sigmoid"].replace(epochs=4)
    a = train(cfg, backend="numpy")
    b = train(cfg, backend="torch", device="cpu")
    for key in ("loss", "alignment_q", "alignment_residue", "weight_norm"):
        # same float64 arithmetic up to summation order: a few ulps per product, amplified over
        # 4 steps by lr/gamma; 1e-9 absolute on quantities of order 1 leaves wide room
        assert np.allclose(a.history[key], b.history[key], rtol=1e-9, atol=1e-9), key


@pytest.mark.gpu
@pytest.mark.skipif(_torch() is None or not _torch().cuda.is_available(), reason="needs torch with a CUDA device")
def test_torch_backend_gpu_matches_numpy():
    cfg = CONFIGS["small-relu"].replace(epochs=5)
    a = train(cfg, backend="numpy")
    b = train(cfg, backend="torch", device="cuda")
    assert b.ok
    for key in ("alignment_q", "alignment_residue"):
        assert np.allclose(a.history[key], b.history[key], rtol=0, atol=1e-6), key


def test_torch_backend_refuses_cleanly_without_torch(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def fake(name, *args, **kw):
        if name == "torch":
            raise ImportError("no torch")
        return real_import(name, *args, **kw)

    monkeypatch.setattr(builtins, "__import__", fake)
    with pytest.raises(InputValueError, match="backend='torch' needs PyTorch"):
        train(CONFIGS["tiny-relu"].replace(epochs=1), backend="torch")


def test_weight_norm_brackets_contain_the_norm(tiny_run):
    from linalg_lab.tolerance import gamma as gamma_n

    r = tiny_run
    c = r.config
    W0, _ = al.init_weights(c.m, c.d, outer=c.outer, outer_scale=c.outer_scale, seed=r.seed)
    for key, W in (("initial", W0), ("final", r.weights)):
        ref = np.linalg.norm(W, 2)
        # LAPACK's sigma_1 is itself within about gamma_d ||W||_2 of the true value (backward stable SVD)
        slack = gamma_n(c.d) * ref
        b = r.weight_norm_brackets[key]
        assert b["lower"] - slack <= ref <= b["upper"] + slack, (key, b, ref)
        assert b["upper"] / b["lower"] - 1 <= 1e-8
    assert r.history["weight_norm"][0] == pytest.approx(np.linalg.norm(W0, 2), rel=1e-8)
    json.dumps(r.to_dict())
