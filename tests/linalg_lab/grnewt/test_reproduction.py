"""The training comparison (short run by default; the full run is slow)."""
from __future__ import annotations

import math

import pytest

from linalg_lab.grnewt import training_comparison


def test_short_comparison_runs_and_newton_beats_first_step():
    res = training_comparison(steps=15, sgd_lrs=(0.1, 0.3), adam_lrs=(0.01, 0.03), damping_ints=(10.0,))
    assert res.ok, res.reason
    for name, run in res.runs.items():
        assert run.losses.shape == (15,) and math.isfinite(run.final_loss)
    ns = res.runs["NewtonSummary (canonical)"]
    assert ns.lrs.shape == (15, 4) and ns.final_loss < ns.losses[0]
    assert sum(ns.cases.values()) == 15


@pytest.mark.slow
def test_full_comparison_under_two_minutes():
    res = training_comparison()
    assert res.ok and res.elapsed_s < 120
