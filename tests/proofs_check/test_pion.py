"""Certified one-step bound on a Pion step's singular-value change (Arb)."""
import numpy as np
import pytest

from linalg_lab.optim import RETRACTIONS, e2_step_bound, pion_step
from linalg_lab.tolerance import record
from proofs_check.pion import pion_step_certificate


@pytest.mark.parametrize("retraction", list(RETRACTIONS))
def test_certificate_contains_measured_change(rng, retraction):
    W, G = rng.standard_normal((16, 24)), rng.standard_normal((16, 24))
    c = pion_step_certificate(W, G, lr=0.05, retraction=retraction)
    assert c.certified and c.ok, c.reason
    assert c.contains_measured
    assert record(f"{retraction}: measured sigma change / certified bound", c.measured_change, c.upper).passed
    assert c.sigma1_lower <= c.sigma1_upper
    if RETRACTIONS[retraction].orthogonal:
        # orthogonal to rounding: the proved bound is a few hundred u relative at most
        assert c.relative_upper < 1e-13
    else:
        # E2: the proved factor defects cover the exact-arithmetic defect ||X||^4/4 of each factor
        r = pion_step(W, G, lr=0.05, retraction="e2")
        x_in, x_out = np.linalg.norm(r.X_in, 2), np.linalg.norm(r.X_out, 2)
        assert c.delta_in >= x_in**4 / 4 * (1 - 1e-6) and c.delta_out >= x_out**4 / 4 * (1 - 1e-6)
        assert c.relative_upper >= e2_step_bound(x_in, x_out) * 0.5


def test_certificate_64x128_expm():
    rng = np.random.default_rng(13)
    W, G = rng.standard_normal((64, 128)), rng.standard_normal((64, 128))
    c = pion_step_certificate(W, G, lr=0.05, retraction="expm", side="in")
    assert c.certified and c.contains_measured and c.delta_out == 0.0
    d = c.to_dict()
    assert d["certified"] is True and d["verdict"] == "proved"


def test_certificate_undecided_for_huge_steps(rng):
    """A factor far from orthogonal (E2 at a huge rotation) cannot be certified by this bound."""
    W, G = rng.standard_normal((4, 6)), rng.standard_normal((4, 6))
    c = pion_step_certificate(W, G, lr=20.0, retraction="e2")
    assert not c.certified and c.verdict.value == "undecided" and "defect" in c.reason
