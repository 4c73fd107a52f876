"""NewtonSummary (numpy and torch): records every step, never zeroes silently, decreases the loss."""
from __future__ import annotations

import numpy as np
import pytest

from linalg_lab._validation import InputTypeError, InputValueError
from linalg_lab.grnewt import (MLP, NewtonSummary, SolverCase, canonical, nesterov_lrs,
                               next_learning_rates, trivial)


@pytest.fixture
def mlp(rng):
    return MLP(rng.standard_normal((40, 3)), rng.standard_normal((40, 1)), hidden=5, seed=1)


def test_steps_recorded_and_loss_decreases(mlp):
    opt = NewtonSummary(mlp, canonical(mlp.params), damping_int=30.0, period_hg=2)
    th = mlp.initial()
    for _ in range(10):
        th = opt.step(th)
    assert len(opt.history) == 10
    assert [r.recomputed for r in opt.history] == [True, False] * 5
    assert all(r.applied for r in opt.history)
    # recomputing every step with a strong internal damping decreases the loss
    opt = NewtonSummary(mlp, canonical(mlp.params), damping_int=100.0)
    th = mlp.initial()
    for _ in range(10):
        th = opt.step(th)
    assert mlp.value(th) < opt.history[0].loss
    # MSE with a linear last layer: the loss is quadratic in layer2 -> d = 0 on those groups
    assert {r.case for r in opt.history if r.recomputed} <= {c.name for c in SolverCase}
    assert opt.lrs_history().shape == (10, 4)


def test_fd_method_matches_exact_trajectory(mlp):
    a = NewtonSummary(mlp, trivial(mlp.params), damping_int=10.0)
    b = NewtonSummary(mlp, trivial(mlp.params), damping_int=10.0, method="fd")
    ta = tb = mlp.initial()
    for _ in range(3):
        ta, tb = a.step(ta), b.step(tb)
    assert np.max(np.abs(ta - tb)) <= 1e-5 * np.max(np.abs(ta))


def test_unbounded_applies_labelled_alternative():
    res = nesterov_lrs(np.diag([-1.0, 2.0]), np.array([1.0, 1.0]), np.array([0.0, 1.0]), damping_int=1.0)
    lrs, applied, zeroed = next_learning_rates(None, res, mom_lrs=0.0, remove_negative=False)
    assert res.case is SolverCase.UNBOUNDED and "bounded alternative" in applied
    assert lrs[1] != 0  # the bounded part still moves


def test_remove_negative_is_recorded():
    res = nesterov_lrs(np.diag([1.0, 1.0]), np.array([1.0, -1.0]), np.ones(2), damping_int=1.0)
    lrs, applied, zeroed = next_learning_rates(None, res, mom_lrs=0.0, remove_negative=True)
    assert zeroed == (1,) and lrs[1] == 0 and "remove_negative" in applied


def test_failed_solver_keeps_previous_rates():
    import dataclasses
    from linalg_lab._results import Status
    res = nesterov_lrs(np.eye(2), np.ones(2), np.ones(2), damping_int=1.0)
    failed = dataclasses.replace(res, status=Status.SOLVER_FAILED, reason="boom")
    lrs, applied, _ = next_learning_rates(np.array([0.3, 0.4]), failed, mom_lrs=0.0, remove_negative=False)
    assert lrs.tolist() == [0.3, 0.4] and "kept the previous" in applied
    lrs, applied, _ = next_learning_rates(None, failed, mom_lrs=0.0, remove_negative=False)
    assert not lrs.any() and "no update applied" in applied


def test_bad_options(mlp):
    with pytest.raises(InputValueError, match="damping_int"):
        NewtonSummary(mlp, canonical(mlp.params), damping_int=-1.0)
    with pytest.raises(InputValueError, match="mom_lrs"):
        NewtonSummary(mlp, canonical(mlp.params), mom_lrs=1.0)
    with pytest.raises(InputValueError, match="method"):
        NewtonSummary(mlp, canonical(mlp.params), method="torch")
    with pytest.raises(InputTypeError, match="Partition"):
        NewtonSummary(mlp, [[0]])


def test_torch_optimiser_matches_numpy(mlp):
    torch = pytest.importorskip("torch")
    from linalg_lab.grnewt.torch_optimiser import TorchNewtonSummary

    th = mlp.initial()
    ts = [torch.tensor(a).requires_grad_(True) for a in mlp.unflatten(th)]
    opt_t = TorchNewtonSummary([{"params": [t]} for t in ts], damping_int=10.0, momentum=0.5)
    opt_n = NewtonSummary(mlp, canonical(mlp.params), damping_int=10.0, momentum=0.5)
    for _ in range(3):
        opt_t.step(lambda: mlp.torch_loss(ts))
        th = opt_n.step(th)
    got = np.concatenate([t.detach().numpy().ravel() for t in ts])
    assert np.max(np.abs(got - th)) <= 1e-10 * np.max(np.abs(th))
    assert [r.case for r in opt_t.history] == [r.case for r in opt_n.history]
