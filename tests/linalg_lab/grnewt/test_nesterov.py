"""nesterov_lrs: every case, invariants (stationarity, M(r) ⪰ 0), brute-force optimality, inputs."""
from __future__ import annotations

import numpy as np
import pytest

from linalg_lab._validation import InputTypeError, InputValueError
from linalg_lab.grnewt import (SolverCase, brute_force_minimum, cubic_model_value, model_value_error,
                               nesterov_lrs)
from linalg_lab.testing import record
from linalg_lab.tolerance import gamma


def verify_global_minimiser(H, g, d, lam, res):
    """Stationarity residual within gamma_{4S} and M(r) ⪰ 0 up to rounding (Nesterov–Polyak)."""
    S = len(g)
    # M(r) eta - g: S-term dot products on both sides, relative to the sizes of the terms
    chk = record(f"stationarity S={S} {res.case.name}", res.residual, 8 * gamma(4 * S), kind="relative")
    assert chk.passed
    M = H + 0.5 * lam * res.r * np.diag(d * d)
    lmin = np.linalg.eigvalsh(M)[0]
    # eigvalsh's backward error is O(S eps ||M||)
    assert lmin >= -gamma(4 * S) * np.linalg.norm(M, 2) * 16
    # r is the root of the computed secular function; ||D eta|| agrees with it to the root's
    # accuracy, which near the hard case (M(r) ill conditioned) is cond-limited: 1e-12 relative
    assert abs(np.linalg.norm(d * res.eta) - res.r) <= 1e-12 * max(res.r, 1e-300)
    bf = brute_force_minimum(H, g, d, lam, candidates=[res.eta], n_random=3)
    tol = model_value_error(H, g, d, lam, res.eta) + model_value_error(H, g, d, lam, bf.eta)
    assert res.model_value <= bf.value + tol


def _rot(S, rng):
    q, r = np.linalg.qr(rng.standard_normal((S, S)))
    return q * np.sign(np.diag(r))


def test_positive_definite(rng):
    S = 6
    G = rng.standard_normal((S, S))
    H, g, d = G @ G.T + np.eye(S), rng.standard_normal(S), np.abs(rng.standard_normal(S)) + 0.1
    res = nesterov_lrs(H, g, d, damping_int=1.0)
    assert res.ok and res.case is SolverCase.POSITIVE_DEFINITE and res.r0 == 0.0
    verify_global_minimiser(H, g, d, 1.0, res)


def test_indefinite_d_positive(rng):
    S = 7
    Q = _rot(S, rng)
    H = (Q * rng.standard_normal(S)) @ Q.T
    H = (H + H.T) / 2
    g, d = rng.standard_normal(S), np.abs(rng.standard_normal(S)) + 0.1
    H[0, 0] -= 3  # make sure it is indefinite
    res = nesterov_lrs(H, g, d, damping_int=2.0)
    assert res.ok and res.case is SolverCase.D_POSITIVE and res.r > res.r0 > 0
    verify_global_minimiser(H, g, d, 2.0, res)


def test_d_singular_bounded(rng):
    S = 5
    Q = _rot(S, rng)
    H = (Q * np.array([-2.0, 1, 2, 3, 4])) @ Q.T
    H = (H + H.T) / 2
    H[0, 0] = abs(H[0, 0]) + 1
    g, d = rng.standard_normal(S), np.abs(rng.standard_normal(S)) + 0.1
    d[0] = 0.0
    res = nesterov_lrs(H, g, d, damping_int=1.0)
    assert res.ok and res.case in (SolverCase.D_SINGULAR, SolverCase.POSITIVE_DEFINITE)
    verify_global_minimiser(H, g, d, 1.0, res)


def test_hard_case_uses_eigenvector():
    # D = I, H = diag(-1, 1), g = (0, 1): g orthogonal to the critical eigenvector e1
    H, g, d, lam = np.diag([-1.0, 1.0]), np.array([0.0, 1.0]), np.ones(2), 1.0
    res = nesterov_lrs(H, g, d, damping_int=lam)
    assert res.ok and res.case is SolverCase.HARD_CASE
    # r0 = 2, x2 = 1/(1 + 1) = 0.5, x1 = sqrt(4 - 0.25)
    np.testing.assert_allclose(abs(res.eta), [np.sqrt(3.75), 0.5], rtol=8 * gamma(4))
    verify_global_minimiser(H, g, d, lam, res)


def test_zero_gradient_convex_and_nonconvex():
    res = nesterov_lrs(np.eye(3), np.zeros(3), np.ones(3), damping_int=1.0)
    assert res.ok and res.case is SolverCase.ZERO_GRADIENT and not res.eta.any()
    H = np.diag([-2.0, 1.0, 1.0])
    res = nesterov_lrs(H, np.zeros(3), np.ones(3), damping_int=1.0)
    # g = 0 with negative curvature: eta = 0 is a saddle; the minimiser follows e1 with r = 4
    assert res.ok and res.case is SolverCase.HARD_CASE and res.model_value < 0
    assert abs(res.r - 4.0) <= 8 * gamma(3) * 4
    verify_global_minimiser(H, np.zeros(3), np.ones(3), 1.0, res)


def test_unbounded_diagnosed_with_alternative(rng):
    S = 4
    H = np.diag([-1.0, 2.0, 1.0, 3.0]) + 0.1
    g, d = rng.standard_normal(S), np.array([0.0, 1.0, 0.5, 2.0])
    res = nesterov_lrs(H, g, d, damping_int=1.0)
    assert not res.ok and res.case is SolverCase.UNBOUNDED and not res.bounded
    v = res.negative_direction
    assert v is not None and np.all(v[d > 0] == 0) and v @ H @ v < 0
    assert "unbounded" in res.reason and res.alternative
    # the alternative: eta_N in the positive eigenspace of H_NN (empty here), so eta_0 = 0 and
    # eta_P is the global minimiser of the model restricted to the other groups
    assert res.eta[0] == 0.0
    sub = nesterov_lrs(H[1:, 1:], g[1:], d[1:], damping_int=1.0)
    # same computation up to the Schur step's roundings: normwise, 64 gamma_4 of ||eta||
    assert np.max(np.abs(res.eta[1:] - sub.eta)) <= 64 * gamma(4) * np.max(np.abs(sub.eta))
    # the model really is unbounded along v
    assert cubic_model_value(H, g, d, 1.0, 1e6 * v) < -1e10


def test_zero_curvature_null_direction_with_linear_term_is_unbounded():
    H = np.array([[0.0, 1.0], [1.0, 2.0]])
    res = nesterov_lrs(H, np.array([0.0, 1.0]), np.array([0.0, 1.0]), damping_int=1.0)
    assert res.case is SolverCase.UNBOUNDED


def test_tiny_d_is_accurate(rng):
    S = 10
    G = rng.standard_normal((S, S))
    H, g, d = G @ G.T / S, rng.standard_normal(S), np.abs(rng.standard_normal(S))
    d[0] = 2e-5
    res = nesterov_lrs(H, g, d, damping_int=1.0)
    verify_global_minimiser(H, g, d, 1.0, res)


@pytest.mark.parametrize("bad, exc, match", [
    (dict(H=np.ones((2, 3))), InputValueError, "square"),
    (dict(g=np.ones(3)), InputValueError, "shape"),
    (dict(d=np.array([1.0, -1.0])), InputValueError, "nonnegative"),
    (dict(H=np.array([[1.0, 2.0], [0.0, 1.0]])), InputValueError, "symmetric"),
    (dict(H=np.array([[np.nan, 0], [0, 1.0]])), InputValueError, "non-finite"),
    (dict(g=np.array([1j, 1.0])), InputTypeError, "complex"),
    (dict(damping_int=0.0), InputValueError, "damping_int"),
    (dict(H=np.ones(2)), InputValueError, "2-D"),
    (dict(g=np.zeros(0), d=np.zeros(0), H=np.zeros((0, 0))), InputValueError, "non-empty"),
])
def test_bad_input(bad, exc, match):
    kw = dict(H=np.eye(2), g=np.ones(2), d=np.ones(2), damping_int=1.0)
    kw.update(bad)
    with pytest.raises(exc, match=match):
        nesterov_lrs(kw["H"], kw["g"], kw["d"], damping_int=kw["damping_int"])


def test_integer_and_huge_scale_inputs():
    res = nesterov_lrs(np.eye(2, dtype=int), np.array([1, 2]), np.array([1, 1]), damping_int=1)
    assert res.ok
    big = nesterov_lrs(1e150 * np.eye(2), 1e150 * np.ones(2), np.ones(2), damping_int=1.0)
    assert big.ok and np.isfinite(big.eta).all()


def test_to_dict_round_trip():
    d = nesterov_lrs(np.eye(2), np.ones(2), np.ones(2), damping_int=1.0).to_dict()
    assert d["case"] == SolverCase.POSITIVE_DEFINITE.value and d["ok"]
