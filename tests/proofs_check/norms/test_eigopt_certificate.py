"""Certificates from EIGOPT solutions (the eigenvalue-optimisation SoS solver): end to end through
``certify_two_to_q(two_to_q(X, 4))``, partially converged runs, tampered Gram matrices."""
from fractions import Fraction

import numpy as np
import pytest

from linalg_lab import two_to_q
from linalg_lab.norms import SOS_SOLVERS, make_instance, two_to_q_sos
from proofs_check import certify_two_to_q
from proofs_check.norms import two_to_q_certificate


@pytest.mark.parametrize("family", ["hadamard", "signs", "orthogonal"])
def test_families_certified_end_to_end(family):
    inst = make_instance(family)
    res = two_to_q(inst.X, 4, solver="EIGOPT")
    assert res.sos_result.solver == "EIGOPT"
    c = certify_two_to_q(res)
    assert c.certified and c.upper_rigorous and c.outcome == "exact (certified)", c.reason
    # truth_q is the value for the exact family; the float64 matrix knows it to truth_rtol (0 for
    # exact rows; the rounded orthogonal Q has rows with ||Q v||_4^4 = 1 + 5.1e-16 at ||v|| = 1, so
    # a certified lower bound may exceed 1)
    slack = Fraction(inst.truth_rtol)
    assert Fraction(c.lower_q) <= inst.truth_q * (1 + slack) and inst.truth_q * (1 - slack) <= Fraction(c.upper_q)


def test_default_solver_at_d11_is_certified():
    X = np.random.default_rng([0, 11]).standard_normal((242, 11))
    res = two_to_q(X, 4)
    assert res.sos_result.solver == "EIGOPT"
    c = certify_two_to_q(res)
    assert c.certified and c.lower <= c.upper and c.rel_gap <= 1e-6, c.reason


def test_partially_converged_run_still_certifies_a_bound(monkeypatch):
    inst = make_instance("signs", 5)
    monkeypatch.setitem(SOS_SOLVERS, "EIGOPT", ("EIGOPT", lambda eps: {"tol": eps, "maxiter": 3}))
    s = two_to_q_sos(inst.X, solver="EIGOPT")
    assert not s.ok
    c = two_to_q_certificate(inst.X, s)
    assert c.upper_rigorous and Fraction(c.lower_q) <= inst.truth_q <= Fraction(c.upper_q)


def test_tampered_gram_never_below_truth(tampered_never_below_truth):
    """Scaled, indefinite, NaN, noisy, zero Gram matrices and a lowered lambda from an EIGOPT
    solution: the certified upper bound never falls below the truth (or it is not certified)."""
    inst = make_instance("signs", 5)
    t = inst.truth_q
    s = two_to_q_sos(inst.X, solver="EIGOPT")
    tampered_never_below_truth(inst.X, s, t, seed=5)
