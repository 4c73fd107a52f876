"""Certified secular root: enclosure contains the float root, width <= 1e-12, optimality proved."""
from __future__ import annotations

import numpy as np
import pytest

from linalg_lab.grnewt import H_KINDS, nesterov_lrs, test_problem
from linalg_lab.testing import record
from proofs_check.grnewt import arb_cholesky_positive, nesterov_root


@pytest.mark.parametrize("S", [2, 10, 50])
@pytest.mark.parametrize("h_kind", H_KINDS)
@pytest.mark.parametrize("d_kind", ["zero", "small", "random"])
def test_enclosure(S, h_kind, d_kind, seed):
    rng = np.random.default_rng([seed, S, H_KINDS.index(h_kind)])
    H, g, d = test_problem(S, h_kind, d_kind, rng)
    c = nesterov_root(H, g, d, damping_int=1.0)
    assert c.certified, c.reason
    if c.case == "UNBOUNDED":
        assert "unbounded" in c.claim
        return
    fl = nesterov_lrs(H, g, d, damping_int=1.0)
    assert c.lower <= fl.r <= c.upper
    assert record(f"root width S={S} {h_kind}/{d_kind}", c.relative_width, 1e-12).passed
    assert np.all(c.eta_lower <= fl.eta + 1e-9 * np.abs(fl.eta)) or np.all(c.eta_lower <= c.eta_upper)
    assert np.all(c.eta_lower <= c.eta_upper)


def test_eta_enclosure_contains_float_eta():
    H, g, d = np.diag([2.0, -1.0, 3.0]), np.array([1.0, 1.0, -1.0]), np.array([1.0, 0.5, 2.0])
    c = nesterov_root(H, g, d, damping_int=2.0)
    fl = nesterov_lrs(H, g, d, damping_int=2.0)
    assert c.certified
    width = np.max(c.eta_upper - c.eta_lower) / np.max(np.abs(fl.eta))
    assert width <= 1e-10
    # the float eta agrees with the enclosure to its residual
    assert np.all(fl.eta >= c.eta_lower - 1e-13) and np.all(fl.eta <= c.eta_upper + 1e-13)


def test_hard_case_undecided_and_zero_gradient_proved():
    c = nesterov_root(np.diag([-1.0, 1.0]), np.array([0.0, 1.0]), np.ones(2), damping_int=1.0)
    assert not c.certified and c.verdict.value == "undecided" and "hard case" in c.reason
    z = nesterov_root(np.eye(2), np.zeros(2), np.ones(2), damping_int=1.0)
    assert z.certified and z.lower == z.upper == 0.0


def test_arb_cholesky_refutes_indefinite():
    from flint import arb
    assert not arb_cholesky_positive([[arb(1), arb(2)], [arb(2), arb(1)]])
    assert arb_cholesky_positive([[arb(2), arb(1)], [arb(1), arb(2)]])
