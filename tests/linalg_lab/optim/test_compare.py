"""Training comparison: Pion (each retraction) vs Muon-style NS vs SGD on least squares."""
import numpy as np
import pytest

from linalg_lab import InputValueError
from linalg_lab.optim import OPTIMIZERS, compare_training
from linalg_lab.tolerance import record, unit_roundoff


def test_compare_small():
    r = compare_training(shape=(8, 16), samples=64, steps=60)
    assert r.ok and set(r.curves) == set(OPTIMIZERS)
    for name, c in r.curves.items():
        assert c.loss.shape == (61,) and np.all(np.isfinite(c.loss)) and c.loss[0] == r.initial_loss
        assert np.all(c.condition_number >= 1)
    # Pion (expm/cayley) keeps the spectrum: spectral norm and condition number constant to rounding
    for name in ("pion-expm", "pion-cayley"):
        c = r.curves[name]
        drift = np.max(np.abs(c.spectral_norm - c.spectral_norm[0])) / c.spectral_norm[0]
        assert record(f"{name} spectral-norm drift over 60 steps", drift, 100 * unit_roundoff() * 60).passed
    # SGD with step 1/L is monotone on a quadratic and approaches the least-squares optimum
    sgd = r.curves["sgd"].loss
    assert np.all(np.diff(sgd) <= 1e-12 * sgd[0])
    assert sgd[-1] >= r.optimal_loss * (1 - 1e-12)
    assert r.ranking[0] in r.curves


def test_compare_bad_input():
    with pytest.raises(InputValueError, match="'optimizers'"):
        compare_training(optimizers=("adam",))
    with pytest.raises(InputValueError, match="'samples'"):
        compare_training(shape=(4, 8), samples=4)
    with pytest.raises(InputValueError, match="'shape'"):
        compare_training(shape=(4,))
