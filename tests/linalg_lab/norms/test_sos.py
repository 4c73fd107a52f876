"""Degree-4 SoS relaxation: values on known families, flatness, solver failures, bad input."""
import math

import numpy as np
import pytest

from linalg_lab import InputValueError, Status
from linalg_lab.norms import SOS_SOLVERS, gap_instance, make_instance, two_to_q_sos
from linalg_lab.norms import quartic_basis
from linalg_lab.norms.families import gap_identity_residual
from linalg_lab.testing import assert_close


@pytest.mark.parametrize("family", ["orthogonal", "hadamard", "signs", "polygon", "d4-roots",
                                    "rank-one", "sparse"])
def test_sos_is_exact_on_families(family, tolerance_report):
    inst = make_instance(family)
    r = two_to_q_sos(inst.X)
    assert r.ok, r.reason
    # interior-point accuracy ~1e-7 on the scaled 4th power -> ~3e-8 on the norm
    tolerance_report.check(f"SoS value = truth ({family})", r.upper, inst.truth, rtol=1e-7)
    assert r.hilbert_exact == (inst.d <= 3)


def test_sos_dual_identity_holds(tolerance_report):
    """lambda ||v||^4 - p(v) = m(v)^T S m(v) (up to solver accuracy) and S is nearly PSD."""
    X = make_instance("gaussian", 5).X
    r = two_to_q_sos(X)
    B = quartic_basis(5)
    M = B.ortho_vectors(np.ldexp(X, -r.pow2) / r.scale_q ** 0.25)
    res = B.coefficients(r.gram) + B.coefficients(M.T @ M) - r.lam * B.normq
    tolerance_report.record("SoS Gram identity residual (scaled)", float(np.abs(res).max()), 1e-6)
    assert np.abs(res).max() <= 1e-6
    assert np.linalg.eigvalsh(r.gram)[0] >= -1e-6
    assert r.flat and abs(r.upper_q - r.primal_q) <= 1e-6 * r.upper_q


def test_gap_instance_sos_exceeds_truth():
    assert gap_identity_residual() == 0
    inst = gap_instance()
    r = two_to_q_sos(inst.X)
    assert r.ok and not r.flat
    assert r.upper_q > 292.9 > float(inst.truth_q) == 288.0


def test_scs_path_small():
    X = make_instance("gaussian", 4).X
    a = two_to_q_sos(X, solver="scs", solver_eps=1e-8)
    b = two_to_q_sos(X, solver="CLARABEL")
    assert a.solver == "SCS" and b.solver == "CLARABEL"
    assert math.isclose(a.upper, b.upper, rel_tol=1e-6)


def test_solver_failure_is_reported(monkeypatch):
    monkeypatch.setitem(SOS_SOLVERS, "SCS", ("SCS", lambda eps: {"no_such_option": 1}))
    r = two_to_q_sos(np.eye(3) + 0.1, solver="SCS")
    assert r.status is Status.SOLVER_FAILED and not r.ok
    assert "try solver='CLARABEL'" in r.reason and math.isnan(r.upper)


def test_ill_posed_inputs():
    z = two_to_q_sos(np.zeros((4, 3)))
    assert z.ok and z.upper == 0.0 and "zero matrix" in z.reason
    one = two_to_q_sos(np.array([[2.0], [1.0]]))
    assert one.ok and "d = 1" in one.reason
    assert math.isclose(one.upper_q, 17.0, rel_tol=16 * np.finfo(float).eps)  # 4th power of a 4th root
    with pytest.raises(InputValueError, match="non-finite"):
        two_to_q_sos(np.array([[1.0, np.inf]]))
    with pytest.raises(InputValueError, match="The 'solver' parameter of two_to_q_sos must be one of"):
        two_to_q_sos(np.eye(2), solver="mosek")
    with pytest.raises(InputValueError, match="'solver_eps' parameter of two_to_q_sos"):
        two_to_q_sos(np.eye(2), solver_eps=2.0)


@pytest.mark.parametrize("d,k", [(1, 2), (2, 2), (3, 2), (7, 2), (12, 2), (5, 3), (6, 4), (4, 5)])
def test_basis_monomial_merge_matches_rowwise_unique(d, k):
    # the keyed merge of form_basis must number the degree-2k monomials exactly as a row-wise
    # unique of the exponent vectors (lexicographic), which the certificate's tests were built on
    from linalg_lab.norms._basis import form_basis as fb

    B = fb.__wrapped__(d, k)
    uk, alpha = np.unique(B.pexp[B.P1] + B.pexp[B.P2], axis=0, return_inverse=True)
    assert np.array_equal(uk, B.exponents)
    assert np.array_equal(np.ravel(alpha), B.alpha)
    assert int(B.mult.sum()) == B.D ** 2


def test_direct_scs_matches_clarabel():
    # the SCS path poses the moment problem in SCS's own standard form (no cvxpy); its polished
    # bound must agree with the interior-point solution through cvxpy to the solvers' accuracy
    X = np.random.default_rng(5).standard_normal((30, 5))
    a = two_to_q_sos(X, solver="SCS", solver_eps=1e-7)
    b = two_to_q_sos(X, solver="CLARABEL")
    assert a.ok and b.ok and a.solver_status == "optimal"
    # both are second-order accurate bounds of the same SDP value; 1e-6 covers solver_eps 1e-7
    assert_close(a.upper_q, b.upper_q, rtol=1e-6, atol=0.0, name="direct SCS vs Clarabel SoS bound")
    Sg = a.gram
    assert np.linalg.eigvalsh(0.5 * (Sg + Sg.T))[0] > -1e-6 * np.abs(Sg).max()
