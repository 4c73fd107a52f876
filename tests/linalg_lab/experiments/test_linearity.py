"""Transition to linearity (Liu, Zhu, Belkin 2020; Zhu, Liu, Belkin 2022): exact HVPs and the width sweep."""
import numpy as np
import pytest

from linalg_lab import InputValueError, spectral_norm
from linalg_lab.experiments.linearity import (
    NETWORKS, fit_slope, init_network, linearity_sweep, two_layer_hessian_norm)
from linalg_lab.tolerance import assert_close, gamma, record


@pytest.mark.parametrize("kind", NETWORKS)
def test_hvp_matches_gradient_differences(kind, rng):
    """H v against central differences of the exact gradient: error O(h^2) + O(u/h), h = u^(1/3)."""
    net = init_network(kind, 12, input_dim=3, seed=1)
    v = rng.standard_normal(net.size)
    h = 2.0**-18  # ~ u^(1/3): balances the O(h^2) truncation against the O(u/h) cancellation

    def grad_at(shift):
        shifted = [p + shift * d for p, d in zip(net.params, net._split(v))]
        return type(net)(kind=net.kind, width=net.width, x=net.x, params=tuple(shifted)).gradient()

    fd = (grad_at(h) - grad_at(-h)) / (2 * h)
    Hv = net.hvp(v)
    # truncation h^2/6 |f'''| with |f'''| = O(||v||^3) and cancellation u ||grad||/h: 1e-8 relative is generous
    assert_close(Hv, fd, rtol=1e-8, atol=1e-8 * np.linalg.norm(Hv), name=f"{kind} HVP vs finite differences")


@pytest.mark.parametrize("kind", NETWORKS)
def test_hessian_operator_is_symmetric(kind, rng):
    net = init_network(kind, 16, input_dim=4, seed=2)
    a, b = rng.standard_normal(net.size), rng.standard_normal(net.size)
    lhs, rhs = a @ net.hvp(b), net.hvp(a) @ b
    scale = np.linalg.norm(a) * np.linalg.norm(b) * two_layer_hessian_norm(init_network("two-layer", 16, input_dim=4))
    assert record(f"{kind} <a, Hb> - <Ha, b>", abs(lhs - rhs), gamma(4 * net.size) * max(scale, 1.0)).passed


def test_bracket_contains_closed_form(rng):
    """The spectral_norm bracket of the HVP operator contains the closed-form ||H||_2."""
    for m in (64, 1024):
        net = init_network("two-layer", m, input_dim=8, seed=3)
        exact = two_layer_hessian_norm(net)
        r = spectral_norm(net.hessian_operator(), rtol=1e-2, seed=0)
        assert r.ok and r.lower <= exact * (1 + 1e-12) and exact <= r.upper * (1 + 1e-12)
        assert record(f"two-layer m={m}: ||H|| estimate vs closed form", abs(r.estimate - exact) / exact,
                      1e-2, kind="relative").passed


def test_gradient_matches_output_differences(rng):
    net = init_network("skip", 10, input_dim=3, seed=4)
    v = rng.standard_normal(net.size)
    h = 2.0**-18
    fp = type(net)(kind="skip", width=10, x=net.x, params=tuple(p + h * d for p, d in zip(net.params, net._split(v))))
    fm = type(net)(kind="skip", width=10, x=net.x, params=tuple(p - h * d for p, d in zip(net.params, net._split(v))))
    fd = (fp.output() - fm.output()) / (2 * h)
    assert_close(net.gradient() @ v, fd, rtol=1e-8, name="skip gradient vs finite differences")


def test_small_sweep_two_layer():
    r = linearity_sweep("two-layer", widths=(64, 128, 256, 512, 1024), seeds=(0, 1), input_dim=8)
    assert r.ok, r.reason
    assert r.hessian_lower.shape == (5, 2) and np.all(r.hessian_lower <= r.hessian_estimate)
    assert np.all(r.hessian_estimate <= r.hessian_upper) and set(r.upper_kind.split("/")) == {"deterministic", "probabilistic"}
    assert r.max_relative_gap <= 1e-2
    assert r.fit.lower <= r.fit.slope <= r.fit.upper
    assert record("two-layer small sweep: |slope + 1/2|", abs(r.fit.slope + 0.5), 0.05).passed
    assert r.contains_expected == r.fit.contains(-0.5)
    assert set(r.to_dict()) >= {"fit", "hessian_lower", "hessian_upper", "ratio"}


def test_gaussian_outer_weights_bias_the_exponent():
    """With N(0,1) output weights ||H|| carries sqrt(log m): the fitted exponent lies above -1/2."""
    kw = dict(widths=(64, 256, 1024, 4096), seeds=(0, 1), input_dim=4)
    g = linearity_sweep("two-layer", outer="gaussian", **kw)
    r = linearity_sweep("two-layer", outer="rademacher", **kw)
    assert g.fit_hessian.slope > r.fit_hessian.slope + 0.03


@pytest.mark.slow
def test_full_sweep_two_layer_slope_contains_half():
    """Issue 13 done-when: widths 2^6..2^14, the ratio's 95% CI contains -1/2, every norm a bracket."""
    r = linearity_sweep("two-layer")
    assert r.ok, r.reason
    assert r.contains_expected, (r.fit.lower, r.fit.upper)
    assert np.all(r.hessian_lower <= r.hessian_upper)


def test_fit_slope_interval():
    rng = np.random.default_rng(0)
    w = np.repeat(2.0 ** np.arange(6, 12), 4)
    y = 2 * w**-0.5 * np.exp(0.05 * rng.standard_normal(w.size))
    f = fit_slope(w, y)
    assert f.contains(-0.5) and f.points == w.size and f.lower < f.slope < f.upper
    with pytest.raises(InputValueError, match="at least 3 points"):
        fit_slope([1.0, 2.0], [1.0, 2.0])


def test_bad_input():
    with pytest.raises(InputValueError, match="'network'"):
        linearity_sweep("cnn")
    with pytest.raises(InputValueError, match="'outer'"):
        linearity_sweep(outer="uniform")
    with pytest.raises(InputValueError, match="2 distinct widths"):
        linearity_sweep(widths=(64, 64), seeds=(0, 1))
    with pytest.raises(InputValueError, match="'rtol'"):
        linearity_sweep(widths=(64, 128), seeds=(0, 1), rtol=0.0)
