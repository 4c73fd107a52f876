"""Pion steps: generators, scaling, sides, momentum geometries, retractions, descent identity."""
import math

import numpy as np
import pytest

from linalg_lab import InputTypeError, InputValueError
from linalg_lab.optim import RETRACTIONS, PionState, e2_step_bound, pion_descent_identity, pion_generators, pion_step
from linalg_lab.tolerance import gamma, record, unit_roundoff

U = unit_roundoff()


@pytest.fixture
def WG(rng):
    return rng.standard_normal((12, 20)), rng.standard_normal((12, 20))


def test_generators_are_skew(WG):
    A_in, A_out = pion_generators(*WG)
    assert A_in.shape == (20, 20) and A_out.shape == (12, 12)
    assert np.array_equal(A_in, -A_in.T) and np.array_equal(A_out, -A_out.T)


@pytest.mark.parametrize("shape", [(12, 20), (20, 12), (7, 7), (1, 5)])
def test_descent_identity_to_1e12(rng, shape):
    """<G, A_out W + W A_in> = 1/2||A_out||^2 + 1/2||A_in||^2 (issue 13: 1e-12 relative)."""
    W, G = rng.standard_normal(shape), rng.standard_normal(shape)
    r = pion_descent_identity(W, G)
    assert r.ok, r.reason
    c = record(f"Pion descent identity {shape}", r.relative_error, 1e-12, kind="relative")
    assert c.passed
    assert r.relative_error <= r.tolerance


def test_first_order_change_matches_identity(WG):
    r = pion_step(*WG, lr=1e-3)
    assert r.first_order_change < 0
    c = record("Pion first-order change vs identity", r.identity_relative_error, 1e-12, kind="relative")
    assert c.passed


@pytest.mark.parametrize("retraction", list(RETRACTIONS))
def test_rms_ratio_first_order(WG, retraction):
    """RMS(dW)/lr = rms to first order: the second-order remainder is O(lr rms) relative."""
    for lr in (1e-3, 1e-5):
        r = pion_step(*WG, lr=lr, retraction=retraction, rms=0.2)
        # ||dW - dW_1||_F <= ||X||^2-order terms: relative deviation <= c * lr * rms with c = O(1)
        # (kappa ~ 1 here); we allow 10 lr rms, plus rounding of the difference W_new - W.
        tol = 10 * lr * 0.2 + 1e3 * U / (lr * 0.2)
        c = record(f"RMS(dW)/(lr rms) - 1, {retraction}, lr={lr:g}", abs(r.rms_ratio / 0.2 - 1), tol)
        assert c.passed


def test_inner_product_close_to_first_order(WG):
    r = pion_step(*WG, lr=1e-4)
    assert r.inner_G_dW == pytest.approx(r.first_order_change, rel=1e-3)


@pytest.mark.parametrize("retraction", ["expm", "cayley"])
def test_orthogonal_retractions_preserve_spectrum(WG, retraction):
    W, G = WG
    r = pion_step(W, G, lr=0.1, retraction=retraction)
    s0, s1 = np.linalg.svd(W, compute_uv=False), np.linalg.svd(r.W, compute_uv=False)
    # factors orthogonal to O(n u); products and two SVDs add O((m + n) u): budget gamma_{4(m+n)}
    tol = gamma(4 * sum(W.shape))
    c = record(f"{retraction} one-step sigma change / sigma_1", np.max(np.abs(s1 - s0)) / s0[0], tol,
               kind="relative")
    assert c.passed
    for d, k in ((r.orth_defect_in, W.shape[1]), (r.orth_defect_out, W.shape[0])):
        assert record(f"{retraction} factor orthogonality defect", d, gamma(10 * k)).passed


def test_e2_factor_identity(rng):
    """E2(X)^T E2(X) = I + X^4/4 for skew X, to rounding."""
    A = rng.standard_normal((9, 9))
    X = 0.3 * (A - A.T)
    Q = RETRACTIONS["e2"].apply(X)
    X2 = X @ X
    lhs, rhs = Q.T @ Q, np.eye(9) + X2 @ X2 / 4
    assert record("E2^T E2 - (I + X^4/4)", np.max(np.abs(lhs - rhs)), gamma(40) * 4).passed
    s = np.linalg.svd(Q, compute_uv=False)
    x = np.linalg.norm(X, 2)
    assert s.min() >= 1 - gamma(20) and s.max() <= math.sqrt(1 + x**4 / 4) * (1 + gamma(20))
    assert e2_step_bound(x, 0.0) == pytest.approx(math.sqrt(1 + x**4 / 4) - 1, rel=1e-14)


def test_e2_grows_singular_values(WG):
    W, G = WG
    r = pion_step(W, G, lr=0.2, retraction="e2")
    s0, s1 = np.linalg.svd(W, compute_uv=False), np.linalg.svd(r.W, compute_uv=False)
    assert np.all(s1 >= s0 * (1 - gamma(100)))
    assert np.max(s1 / s0 - 1) > 1e-8  # measurably not spectrum-preserving at this lr


def test_sides_and_alternation(WG):
    W, G = WG
    r_in = pion_step(W, G, lr=0.01, side="in")
    assert r_in.Q_out is None and r_in.Q_in is not None and r_in.orth_defect_out == 0.0
    r_out = pion_step(W, G, lr=0.01, side="out")
    assert r_out.Q_in is None and r_out.Q_out is not None
    # "in" alone moves only the row space: W Q_in has the same left Gram W W^T
    assert np.allclose(r_in.W @ r_in.W.T, W @ W.T, rtol=0, atol=1e-12 * np.linalg.norm(W) ** 2)
    assert np.allclose(r_out.W.T @ r_out.W, W.T @ W, rtol=0, atol=1e-12 * np.linalg.norm(W) ** 2)
    state, applied = None, []
    for _ in range(4):
        r = pion_step(W, G, lr=0.01, side="alternate", state=state)
        state = r.state
        applied.append(r.side_applied)
    assert applied == ["in", "out", "in", "out"] and state.step == 4
    assert pion_step(W, G, lr=0.01, side="alternate").identity_relative_error < 1e-12


def test_momentum_lie_lie(WG):
    W, G = WG
    r1 = pion_step(W, G, lr=0.01, momentum="lie_lie", betas=(0.9, 0.999))
    A_in, A_out = pion_generators(W, G)
    np.testing.assert_array_equal(r1.state.m_in, (1 - 0.9) * A_in)
    assert math.isnan(r1.identity_rhs)
    # The first step's EMA is a positive multiple of the generators: same direction, same alpha
    # normalisation, so the update equals the plain step's.
    plain = pion_step(W, G, lr=0.01)
    assert np.allclose(r1.W, plain.W, rtol=0, atol=1e-13)
    r2 = pion_step(r1.W, G, lr=0.01, momentum="lie_lie", state=r1.state, adam_scaling=True)
    assert r2.state.v_in is not None and np.all(r2.state.v_in >= 0)
    Qi = r2.Q_in
    assert np.linalg.norm(Qi.T @ Qi - np.eye(Qi.shape[0])) < 1e-13


def test_momentum_transported_ambient(WG):
    W, G = WG
    r = pion_step(W, G, lr=0.01, momentum="transported_ambient_ambient")
    M = (1 - 0.9) * G
    np.testing.assert_allclose(r.state.m_ambient, r.Q_out @ M @ r.Q_in, rtol=0, atol=1e-15)
    np.testing.assert_array_equal(r.state.v_ambient, (1 - 0.999) * (M * M))
    s0, s1 = np.linalg.svd(W, compute_uv=False), np.linalg.svd(r.W, compute_uv=False)
    assert np.max(np.abs(s1 - s0)) <= gamma(100) * s0[0]


def test_zero_gradient_is_no_step(WG):
    W, _ = WG
    r = pion_step(W, np.zeros_like(W), lr=0.1)
    assert r.alpha == 0.0 and np.array_equal(r.W, W) and "zero update" in r.reason


def test_scale_invariance_in_G(WG):
    """alpha normalises the base: scaling G by 2^k changes nothing (no additive epsilon)."""
    W, G = WG
    a = pion_step(W, G, lr=0.01).W
    for k in (-600, 600):
        b = pion_step(W, np.ldexp(G, k), lr=0.01).W
        assert np.allclose(a, b, rtol=0, atol=1e-13 * np.abs(W).max())


def test_to_dict_is_json(WG):
    import json

    d = pion_step(*WG, lr=0.01).to_dict()
    json.dumps(d)
    assert "W" not in d and d["retraction"] == "expm" and d["ok"]


@pytest.mark.parametrize("kwargs, exc, match", [
    (dict(W=np.ones((2, 3)), G=np.ones((3, 2)), lr=0.1), InputValueError, "'G' must have the shape"),
    (dict(W=np.ones(3), G=np.ones(3), lr=0.1), InputValueError, "must be a 2-D array"),
    (dict(W=[[np.nan, 1.0]], G=[[1.0, 1.0]], lr=0.1), InputValueError, "non-finite"),
    (dict(W=np.ones((2, 2)) + 0j, G=np.ones((2, 2)), lr=0.1), InputTypeError, "must be real"),
    (dict(W=np.ones((0, 2)), G=np.ones((0, 2)), lr=0.1), InputValueError, "non-empty"),
    (dict(W=np.ones((2, 2)), G=np.ones((2, 2)), lr=0.0), InputValueError, "'lr' parameter"),
    (dict(W=np.ones((2, 2)), G=np.ones((2, 2)), lr=0.1, retraction="exp"), InputValueError, "'retraction'"),
    (dict(W=np.ones((2, 2)), G=np.ones((2, 2)), lr=0.1, side="left"), InputValueError, "'side'"),
    (dict(W=np.ones((2, 2)), G=np.ones((2, 2)), lr=0.1, momentum="adam"), InputValueError, "'momentum'"),
    (dict(W=np.ones((2, 2)), G=np.ones((2, 2)), lr=0.1, betas=(0.9,)), InputValueError, "'betas'"),
    (dict(W=np.ones((2, 2)), G=np.ones((2, 2)), lr=0.1, betas=(1.0, 0.9)), InputValueError, r"betas\[0\]"),
    (dict(W=np.ones((2, 2)), G=np.ones((2, 2)), lr=0.1, state={}), InputValueError, "PionState"),
])
def test_bad_input(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        pion_step(**kwargs)


def test_integer_and_float32_input(rng):
    W = rng.integers(-3, 4, size=(3, 5))
    G = rng.standard_normal((3, 5)).astype(np.float32)
    r = pion_step(W, G, lr=0.01)
    assert r.W.dtype == np.float64 and r.ok


def test_huge_and_tiny_W_scale(rng):
    """No overflow in the generators for any scale; a target beyond the orbit is diagnosed."""
    W, G = rng.standard_normal((4, 6)), rng.standard_normal((4, 6))
    for k in (-20, 500):
        Wk = np.ldexp(W, k)
        r = pion_step(Wk, G, lr=1e-8)
        s0, s1 = np.linalg.svd(Wk, compute_uv=False), np.linalg.svd(r.W, compute_uv=False)
        assert r.ok and np.all(np.isfinite(r.W)) and np.max(np.abs(s1 - s0)) <= gamma(50) * s0[0]
    # the same step relative to W's scale gives the same rotation (X scales like 1/||W||, lr like ||W||)
    a = pion_step(W, G, lr=0.01)
    b = pion_step(np.ldexp(W, 300), G, lr=math.ldexp(0.01, 300))
    assert np.allclose(a.Q_in, b.Q_in, rtol=0, atol=1e-14)
    r = pion_step(np.ldexp(W, -500), G, lr=0.01)
    assert not r.ok and ("RMS target" in r.reason or "non-finite" in r.reason)


def test_state_default_is_fresh():
    assert PionState().step == 0
