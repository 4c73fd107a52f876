"""EIGOPT, the SoS bound as min_{L in K} lambda_max(Qs + L): the kernel projection, agreement with
the SDP solvers, upper bounds on known families, never above the spectral bound, honest
non-convergence, determinism."""
import math

import numpy as np
import pytest

from linalg_lab import Status
from linalg_lab.norms import SOS_SOLVERS, default_solver, form_basis, make_instance, two_to_q_sos
from linalg_lab.norms import two_to_q_spectral
from linalg_lab.norms._eigopt import kernel_projector
from linalg_lab.tolerance import gamma

U = np.finfo(float).eps / 2


@pytest.mark.parametrize("d,k", [(3, 2), (6, 2), (4, 3)])
def test_kernel_projection_identities(d, k, tolerance_report):
    """P_K(G) has a vanishing form (every monomial's weighted entries sum to 0), P_K is idempotent,
    and G - P_K(G) is the moment matrix of the least-squares pseudo-moments."""
    B = form_basis(d, k)
    P = kernel_projector(B)
    G = np.random.default_rng([d, k]).standard_normal((B.D, B.D))
    G = G + G.T
    z = P.svec(G)
    pk = P.project(z)
    # each coefficient is a sum of at most D^2 terms c_P c_R G_PR (|c_P c_R| <= max c^2), computed
    # twice (projection, then check): gamma(2 D^2 + 4) of the absolute sum bounds the rounding
    bound = gamma(2 * B.D ** 2 + 4) * float(np.max(B.c) ** 2) * float(np.abs(G).sum())
    coef = B.coefficients(P.smat(pk))
    tolerance_report.record(f"kernel projection: form of P_K(G) vanishes (d={d}, k={k})",
                            float(np.max(np.abs(coef))), bound, kind="absolute")
    assert np.max(np.abs(coef)) <= bound
    assert np.max(np.abs(P.project(pk) - pk)) <= bound
    Ym = B.moment_matrix(P.moments(z))
    assert np.max(np.abs(P.smat(z - pk) - Ym)) <= bound


@pytest.mark.parametrize("d,seed", [(4, 0), (5, 1), (6, 2), (7, 3)])
def test_agrees_with_clarabel(d, seed, tolerance_report):
    """Both values are upper bounds on the SoS value s* up to rounding, and each solver's lower
    estimate primal_q lies below s* (Clarabel's up to its feasibility tolerance eps, in scaled units
    upper_q / lam).  Hence |a - b| <= gap_a + gap_b + eps_b upper_q / lam + rounding."""
    X = np.random.default_rng([seed, d]).standard_normal((2 * d * d, d))
    a = two_to_q_sos(X, solver="EIGOPT")
    b = two_to_q_sos(X, solver="CLARABEL")
    assert a.ok and a.solver == "EIGOPT" and a.solver_status == "optimal", a.reason
    assert b.ok
    unit_b = b.upper_q / b.lam
    tol = ((a.upper_q - a.primal_q) + (b.upper_q - b.primal_q) + b.solver_eps * unit_b
           + gamma(16 * a.D) * a.upper_q)
    tolerance_report.record(f"EIGOPT vs Clarabel (gaussian d={d})", abs(a.upper_q - b.upper_q), tol,
                            kind="absolute")
    assert abs(a.upper_q - b.upper_q) <= tol
    assert a.upper_q - a.primal_q <= a.solver_eps * a.upper_q  # converged: its own gap


@pytest.mark.parametrize("family", ["hadamard", "signs", "orthogonal"])
def test_upper_bound_on_known_families(family):
    inst = make_instance(family)
    r = two_to_q_sos(inst.X, solver="EIGOPT")
    assert r.ok and r.solver == "EIGOPT", r.reason
    # the bound is lambda_max of a D x D matrix: rounding gamma(8 D) on the q-th power
    assert r.upper_q >= float(inst.truth_q) * (1 - gamma(8 * r.D))
    assert r.primal_q <= float(inst.truth_q) * (1 + gamma(8 * r.D))  # a lower estimate of the SoS value
    assert r.upper_q - r.primal_q <= r.solver_eps * r.upper_q


@pytest.mark.parametrize("shape", [(20, 4), (50, 5), (6, 6), (72, 6)])
def test_never_above_the_spectral_bound(shape):
    """L = 0 is the first point EIGOPT evaluates and the bound is the smallest lambda_max met."""
    X = np.random.default_rng(list(shape)).standard_normal(shape)
    r = two_to_q_sos(X, solver="EIGOPT")
    s = two_to_q_spectral(X)
    assert r.upper_q <= s.upper ** 4 * (1 + gamma(16 * r.D))


def test_not_converged_is_reported_and_still_a_bound(monkeypatch):
    inst = make_instance("signs", 5)
    monkeypatch.setitem(SOS_SOLVERS, "EIGOPT", ("EIGOPT", lambda eps: {"tol": eps, "maxiter": 3}))
    r = two_to_q_sos(inst.X, solver="EIGOPT")
    assert r.status is Status.NOT_CONVERGED and not r.ok
    assert "not converged: relative gap" in r.reason and "maxiter = 3 ran out" in r.reason
    assert r.solver_iters == 3 and r.solver_status == "not_converged"
    assert r.upper_q >= float(inst.truth_q) * (1 - gamma(8 * r.D))
    assert (r.upper_q - r.primal_q) / r.upper_q > r.solver_eps  # the gap it reports is the real one


def test_deterministic():
    X = np.random.default_rng(7).standard_normal((60, 6))
    a = two_to_q_sos(X, solver="EIGOPT")
    b = two_to_q_sos(X, solver="EIGOPT")
    assert a.upper_q == b.upper_q and a.solver_iters == b.solver_iters
    assert np.array_equal(a.gram, b.gram)


def test_spectral_exact_instance_stops_at_once():
    r = two_to_q_sos(np.eye(5), solver="eigopt")
    assert r.ok and r.solver_iters == 1 and r.flat
    assert math.isclose(r.upper, 1.0, rel_tol=gamma(8 * r.D))


def test_default_solver_by_size():
    assert default_solver(10) == ("CLARABEL", 1e-7)
    assert default_solver(11) == ("EIGOPT", 1e-8)
    assert default_solver(50)[0] == "EIGOPT"
    assert default_solver(12, q=6)[0] == "SCS"
    X = np.random.default_rng(0).standard_normal((242, 11))
    r = two_to_q_sos(X)
    assert r.solver == "EIGOPT" and r.ok and r.flat, r.reason
