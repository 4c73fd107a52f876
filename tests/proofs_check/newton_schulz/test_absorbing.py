"""absorbing_interval: p(J) ⊆ J checked on a dense mpmath sampling; Krawczyk-certified cycles."""
from __future__ import annotations

import mpmath
import numpy as np
import pytest

from linalg_lab.ns.schedules import PRESETS
from proofs_check.newton_schulz import absorbing_interval


def _mp_p(coeffs):
    cs = [mpmath.mpf(c.numerator) / c.denominator for c in coeffs]
    return lambda x: sum(c * x ** (2 * i + 1) for i, c in enumerate(cs))


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_invariance_on_dense_sampling(name):
    sch = PRESETS[name]
    idx = len(sch.steps) - 1
    J = absorbing_interval(sch, index=idx)
    assert J.certified and J.lower <= J.image_lower <= J.image_upper <= J.upper
    with mpmath.workdps(40):
        p = _mp_p(sch.steps[idx].coeffs)
        for x in np.linspace(J.lower, J.upper, 400):
            y = p(mpmath.mpf(x))
            assert J.lower <= y <= J.upper


def test_cubic_superattracting_one():
    J = absorbing_interval((1.5, -0.5))
    assert J.lower < 1 < J.upper and J.derivative_bound < 1e-6
    assert J.cycle.period == 1 and J.cycle.points_lower[0] <= 1 <= J.cycle.points_upper[0]


def test_muon_attracting_four_cycle():
    """Muon's quintic has no attracting fixed point; its orbits settle on an attracting 4-cycle."""
    J = absorbing_interval("muon")
    c = J.cycle
    assert c is not None and c.period == 4 and -1 < c.multiplier_lower <= c.multiplier_upper < 1
    with mpmath.workdps(40):
        p = _mp_p(PRESETS["muon"].steps[0].coeffs)
        x0 = mpmath.findroot(lambda t: p(p(p(p(t)))) - t, mpmath.mpf((c.points_lower[0] + c.points_upper[0]) / 2))
        assert c.points_lower[0] <= x0 <= c.points_upper[0]
        y = x0
        for i in range(1, 4):
            y = p(y)
            assert c.points_lower[i] <= y <= c.points_upper[i]
    assert J.lower < 0.682 and J.upper > 1.134
