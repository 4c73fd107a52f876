"""Singular-value drift of Pion per retraction against the derived bounds (issue 13)."""
import numpy as np
import pytest

from linalg_lab import InputTypeError, InputValueError
from linalg_lab.optim import ROUNDING_UNITS, pion_drift
from linalg_lab.tolerance import record, unit_roundoff

U = unit_roundoff()


def _check(r, label):
    T = r.steps
    for name in ("expm", "cayley"):
        tr = r.traces[name]
        c = record(f"{label}: {name} drift after {T} steps / (u steps)", tr.final_drift / (U * T), 100.0)
        assert c.passed
    e2 = r.traces["e2"]
    worst = float(np.max(e2.per_step / e2.per_step_bound))
    assert record(f"{label}: E2 per-step drift / derived bound (worst step)", worst, 1.0).passed
    worst_c = float(np.max(e2.cumulative / e2.cumulative_bound))
    assert record(f"{label}: E2 cumulative drift / derived bound (worst step)", worst_c, 1.0).passed
    assert e2.violations == 0
    # the bound is not vacuous: the measured E2 drift reaches a sizeable fraction of it
    assert worst > 0.05
    # E2 drift dwarfs rounding
    assert e2.final_drift > 1e3 * r.traces["expm"].final_drift


def test_drift_small(rng):
    W0 = rng.standard_normal((16, 32))
    r = pion_drift(W0, lambda W, t: rng.standard_normal(W.shape), steps=100, lr=0.05)
    assert r.ok, r.reason
    _check(r, "16x32")
    tr = r.traces["e2"]
    assert np.all(tr.cubic_coefficient >= 0) and tr.x_in.max() > 0
    np.testing.assert_allclose(tr.rms_ratio, 0.2, rtol=0.05)


def test_drift_fixed_gradient_array(rng):
    W0 = rng.standard_normal((6, 9))
    grads = rng.standard_normal((30, 6, 9))
    r = pion_drift(W0, grads, lr=0.1, side="alternate")
    assert r.ok and r.steps == 30
    r2 = pion_drift(W0, grads, lr=0.1, steps=10, retractions=("e2",))
    assert list(r2.traces) == ["e2"] and r2.traces["e2"].per_step.shape == (10,)


def test_e2_drift_scales_with_fourth_power_of_lr(rng):
    """The derived bound is fourth order in lr rms; the measured per-step drift follows it."""
    W0 = rng.standard_normal((10, 14))
    grads = rng.standard_normal((5, 10, 14))
    d = [pion_drift(W0, grads, lr=lr, retractions=("e2",)).traces["e2"].per_step[0] for lr in (0.4, 0.2)]
    slope = np.log2(d[0] / d[1])
    assert 3.5 < slope < 4.5


@pytest.mark.slow
def test_drift_500_steps_64x128():
    """Issue 13 done-when: expm/Cayley <= 100 u steps after 500 steps at 64x128; E2 under the bound."""
    rng = np.random.default_rng(13)
    W0 = rng.standard_normal((64, 128))
    r = pion_drift(W0, lambda W, t: rng.standard_normal(W.shape), steps=500, lr=0.05)
    assert r.ok, r.reason
    _check(r, "64x128")


def test_bad_input(rng):
    W0 = rng.standard_normal((3, 4))
    with pytest.raises(InputValueError, match="'steps' is required"):
        pion_drift(W0, lambda W, t: W, lr=0.1)
    with pytest.raises(InputValueError, match=r"shape \(T, 3, 4\)"):
        pion_drift(W0, np.ones((2, 4, 3)), lr=0.1)
    with pytest.raises(InputValueError, match="exceeds"):
        pion_drift(W0, np.ones((2, 3, 4)), lr=0.1, steps=3)
    with pytest.raises(InputTypeError, match="'grads' must be"):
        pion_drift(W0, None, lr=0.1)
    with pytest.raises(InputValueError, match="zero matrix"):
        pion_drift(np.zeros((3, 4)), np.ones((2, 3, 4)), lr=0.1)
    with pytest.raises(InputValueError, match="'retractions'"):
        pion_drift(W0, np.ones((2, 3, 4)), lr=0.1, retractions=("exp",))
    with pytest.raises(InputValueError, match="returned shape"):
        pion_drift(W0, lambda W, t: np.ones((2, 2)), lr=0.1, steps=1)


def test_rounding_units_constant():
    assert ROUNDING_UNITS == 100.0
