"""Issue 10.14: regimes are named by the TOTAL output scale gamma * a_scale (NTK 1/sqrt(m), mean field 1/m).

The notebook's "NTK vs mean field" cell uses a ~ N(0, 1/m) with gamma = 1 (NTK) and 1/sqrt(m) (mean
field); before the fix "ntk" here had gamma = 1/sqrt(m) on top of that scale: total 1/m, the
mean-field regime.  The paired run then shows what the notebook reports: mean field fits (loss near
the noise floor, ||W||_2 growing towards sqrt(m)); NTK at the notebook's learning rate does not.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from linalg_lab.experiments import alignment as al


@pytest.mark.parametrize("name", sorted(al.CONFIGS))
def test_scaling_names_the_total_output_scale(name):
    c = al.CONFIGS[name]
    total = {"ntk": 1 / math.sqrt(c.m), "mean-field": 1 / c.m}[c.scaling]
    assert c.output_scale == pytest.approx(total, rel=1e-15)
    assert c.gamma * c.a_scale == pytest.approx(total, rel=1e-15)


def test_notebook_pair_gammas_are_the_notebooks():
    m = al.CONFIGS["ntk"].m
    assert al.CONFIGS["ntk"].a_scale == pytest.approx(1 / math.sqrt(m))
    assert al.CONFIGS["ntk"].gamma == pytest.approx(1.0)
    assert al.CONFIGS["mean-field"].gamma == pytest.approx(1 / math.sqrt(m))
    assert al.CONFIGS["paper"].gamma == pytest.approx(1 / math.sqrt(m))  # a in {±1}: gamma is the total
    assert al.resolve_gamma("ntk", 100, outer_scale="1/sqrt(m)") == pytest.approx(1.0)


def test_network_output_has_the_total_scale():
    # f = gamma a^T sigma(Wx) with |a_j| = a_scale: the output of the "ntk" run is (1/sqrt(m)) sum ±sigma
    c = al.CONFIGS["tiny-ntk"].replace(outer="sign")
    D = al.spiked_data(c.n, c.d, seed=0)
    W, a = al.init_weights(c.m, c.d, outer=c.outer, outer_scale=c.outer_scale, seed=0)
    f = al.network_output(D.X, W, a, gamma=c.gamma, activation=c.activation)
    signs = np.sign(a)
    expect = (al.ACTIVATIONS[c.activation][0](D.X @ W.T) @ signs) / math.sqrt(c.m)
    # same products in another order: a few ulps of the sum of |terms| (<= m / sqrt(m) here)
    assert np.allclose(f, expect, rtol=0, atol=64 * 2.0**-53 * math.sqrt(c.m))
    r = al.train(c.replace(epochs=1))
    assert r.output_scale == pytest.approx(1 / math.sqrt(c.m)) and r.gamma == pytest.approx(1.0)
    assert r.to_dict()["a_scale"] == pytest.approx(1 / math.sqrt(c.m))


def _check_pair(pair):
    from linalg_lab.app.report.sections.alignment import regime_checks
    from linalg_lab.tolerance import recording

    with recording() as rep:
        nums = regime_checks(pair)
    return nums, rep


def test_paired_run_mean_field_fits_ntk_does_not_tiny():
    # tiny sizes, 20 epochs (10 leave the mean-field norm only just half way to sqrt(m))
    ntk = al.CONFIGS["tiny-ntk"].replace(epochs=20)
    mf = al.CONFIGS["tiny-mean-field"].replace(epochs=20)
    pair = al.compare_runs(ntk, mf)
    assert pair.ok
    nums, rep = _check_pair(pair)
    assert all(c.passed for c in rep.checks), [(c.name, c.error, c.tolerance) for c in rep.checks]
    # NTK's train loss goes below the noise floor (it fits the noise) while its test loss rises
    assert pair.first.final["loss"] < 0.5 * pair.first.config.noise**2
    assert pair.first.final["test_loss"] > pair.first.history["test_loss"][0]


@pytest.mark.slow
def test_paired_run_paper_sizes():
    pair = al.compare_runs("ntk", "mean-field")
    assert pair.ok
    nums, rep = _check_pair(pair)
    assert all(c.passed for c in rep.checks), [(c.name, c.error, c.tolerance) for c in rep.checks]
    mf = pair.second
    assert mf.final["weight_norm"] > 0.8 * math.sqrt(mf.config.m)
    assert np.all(np.diff(mf.history["loss"]) < 0)  # mean field: monotone descent
