"""Degree-q SoS with certificates for q = 6, 8 (issue 18): known families, tampering, the basis."""
import dataclasses
import math
from fractions import Fraction

import numpy as np
import pytest

from linalg_lab import InputValueError
from linalg_lab.norms import form_basis, make_instance, two_to_q, two_to_q_sos
from linalg_lab.norms.families import double_factorial_ratio, sign_moment
from linalg_lab.tolerance import gamma
from proofs_check import certify_two_to_q, two_to_q_certificate
from proofs_check.norms import certified_lower_q

CASES = [("signs", 5, 6), ("signs", 4, 8), ("hadamard", 4, 6), ("hadamard", 4, 8), ("orthogonal", 4, 6),
         ("orthogonal", 3, 8), ("repeated-identity", 4, 6), ("repeated-identity", 3, 8), ("polygon", 5, 6),
         ("polygon", 5, 8), ("rank-one", 4, 6), ("sparse", 4, 8), ("e8-roots", None, 6)]


@pytest.mark.parametrize("family, size, q", CASES)
def test_known_families_certified_exact(family, size, q, tolerance_report):
    inst = make_instance(family, size, q=q)
    c = certify_two_to_q(two_to_q(inst.X, q))
    assert c.certified and c.outcome == "exact (certified)", c.reason
    slack = inst.truth_rtol  # rows rounded to float64 (orthogonal Q, polygon) know the truth to this
    assert c.lower <= inst.truth * (1 + slack) and inst.truth * (1 - slack) <= c.upper
    if slack == 0:  # exact rationals: the q-th powers too
        assert Fraction(c.lower_q) <= inst.truth_q <= Fraction(c.upper_q)
    tolerance_report.record(f"q={q} {family}: certified relative bracket", c.rel_gap, 1e-6)


@pytest.mark.parametrize("d, q", [(3, 6), (5, 6), (3, 8), (4, 8)])
def test_sign_vectors_khintchine_moment(d, q):
    """sum_s (s.v)^q at v = 1/sqrt(d) equals the closed form; Arb enclosure contains it."""
    X = make_instance("signs", d, q=q).X
    u = np.ones(d) / math.sqrt(d)
    brute = Fraction(sum(int(np.sum(s)) ** q for s in X.astype(int)), d ** (q // 2))  # s.u = sum(s)/sqrt(d)
    assert brute == sign_moment(d, q)
    enc = certified_lower_q(X, u * math.sqrt(d), q)  # scale-free: v need not be a unit vector
    assert enc.lower() <= float(sign_moment(d, q)) <= enc.upper()


def test_polygon_and_e8_closed_forms():
    assert double_factorial_ratio(4) == Fraction(3, 8) and double_factorial_ratio(6) == Fraction(5, 16)
    inst = make_instance("polygon", 5, q=6)
    th = np.linspace(0, np.pi, 2001)
    vals = np.sum((inst.X @ np.stack([np.cos(th), np.sin(th)])) ** 6, axis=0)
    assert np.allclose(vals, float(inst.truth_q), rtol=gamma(64))  # a 6-design: constant on the circle
    assert make_instance("e8-roots", q=6).truth_q == 15
    with pytest.raises(InputValueError, match="must be >= 4 for the 6-design value"):
        make_instance("polygon", 3, q=6)
    with pytest.raises(InputValueError, match=r"gap family: the known value needs q in \(4,\)"):
        make_instance("gap", q=6)


@pytest.mark.parametrize("d, k", [(4, 3), (3, 4)])
def test_form_basis_identities(d, k, tolerance_report):
    B = form_basis(d, k)
    assert B.D == math.comb(d + k - 1, k) and B.N == math.comb(d + 2 * k - 1, 2 * k)
    assert int(B.mult.sum()) == B.D ** 2 and int(B.multinom.sum()) == d ** k
    rng = np.random.default_rng(2)
    X, v = rng.standard_normal((7, d)), rng.standard_normal(d)
    m = B.ortho_vectors(v[None, :])[0]
    tolerance_report.check(f"basis k={k}: ||m(v)||^2 = ||v||^2k", m @ m, np.sum(v * v) ** k, rtol=gamma(4 * B.D))
    M = B.ortho_vectors(X)
    p = np.sum((X @ v) ** (2 * k))
    tolerance_report.check(f"basis k={k}: m^T Q m = p(v)", m @ (M.T @ M) @ m, p, rtol=gamma(8 * (7 + B.D) * k))
    mono = np.prod(v[None, :] ** B.exponents, axis=1)
    tolerance_report.check(f"basis k={k}: coefficients reproduce p", B.coefficients(M.T @ M) @ mono, p,
                           rtol=gamma(8 * (7 + B.N) * k))
    tolerance_report.check(f"basis k={k}: normq", B.normq @ mono, np.sum(v * v) ** k, rtol=gamma(4 * B.N))


@pytest.mark.parametrize("q", [6, 8])
def test_tampered_gram_never_below_truth(q, tampered_never_below_truth):
    """Scaled, indefinite, NaN, noisy, zero Gram matrices and a lowered lambda: the certified upper
    bound never falls below the truth (or the result is not certified)."""
    inst = make_instance("signs", 4, q=q)
    t = inst.truth_q
    s = two_to_q_sos(inst.X, q=q)
    tampered_never_below_truth(inst.X, s, t, seed=3)
    assert not two_to_q_certificate(inst.X, dataclasses.replace(s, gram=np.full_like(s.gram, np.nan))).upper_rigorous


def test_q6_scales_and_odd_q_refused():
    X = make_instance("hadamard", 4, q=6).X * 2.0 ** -200
    c = two_to_q_certificate(X, q=6)
    assert c.certified and c.lower <= 2.0 ** -199 <= c.upper  # norm sqrt(4) 2^-200
    with pytest.raises(InputValueError, match="needs an even integer q >= 4"):
        two_to_q_sos(X, q=5)
    with pytest.raises(InputValueError, match="needs an even integer q >= 4"):
        two_to_q_certificate(X, q=7)


@pytest.mark.parametrize("family, size, q", [("signs", 4, 4), ("signs", 4, 6), ("sparse", 4, 6), ("e8-roots", None, 4),
                                             ("rank-one", 4, 8), ("polygon", 5, 6), ("d4-roots", None, 4)])
def test_every_registered_bound_is_on_its_side_of_the_truth(family, size, q):
    """Each BOUNDS entry on known families: upper bounds >= truth >= lower bounds (numerical, so
    up to rounding: 64 u relative plus the family's own truth_rtol), and the two-norm >= interpolation."""
    inst = make_instance(family, size, q=q)
    r = two_to_q(inst.X, q)
    slack = 64 * np.finfo(float).eps + inst.truth_rtol + 1e-7  # + the SDP solver's accuracy (sos)
    for name, est in r.bounds.items():
        if est.side == "upper":
            assert est.value >= inst.truth * (1 - slack), name
        else:
            assert est.value <= inst.truth * (1 + slack), name
    assert r.bounds["interpolation"].value <= r.bounds["two-norm"].value * (1 + 1e-15)


def test_interpolation_formula_and_odd_q():
    X = np.random.default_rng(6).standard_normal((9, 3))
    r = two_to_q(X, 3)
    R, S = np.max(np.linalg.norm(X, axis=1)), np.linalg.norm(X, 2)
    assert math.isclose(r.bounds["interpolation"].value, R ** (1 / 3) * S ** (2 / 3), rel_tol=1e-13)
    assert r.lower <= r.upper and set(r.bounds) == {"two-norm", "interpolation", "power"}


def test_q6_moment_side_lower_bound():
    """The moment-side certificate (a PSD rational pseudo-moment) at q = 6: a certified lower bound on
    the SoS value, which for this tight family is the norm itself, so it lies within the bracket."""
    from proofs_check.norms import sos_moment_lower_q

    inst = make_instance("signs", 4, q=6)
    s = two_to_q_sos(inst.X, q=6)
    lo = sos_moment_lower_q(inst.X, s)
    c = two_to_q_certificate(inst.X, s)
    assert lo is not None and float(lo.lower()) <= c.upper_q  # a lower bound on the SoS value <= its upper bound
    assert float(lo.lower()) >= float(inst.truth_q) * (1 - 1e-5)  # the mixing towards the sphere costs ~1e-7


def test_motzkin_gap_q6_is_certified_not_tight():
    """A q = 6 instance where the degree-6 SoS bound is provably not tight (the Motzkin form): the
    identity holds in integers, the certified lower bound is the exact norm^6 = 397440, and the SoS
    value is certified above it from the moment side -- outcome 'gap'."""
    from linalg_lab.norms.families import motzkin_gap_instance, motzkin_identity_residual

    assert motzkin_identity_residual() == 0
    inst = motzkin_gap_instance()
    c = certify_two_to_q(two_to_q(inst.X, 6))
    assert c.outcome == "gap" and c.certified
    assert Fraction(c.lower_q) <= inst.truth_q <= Fraction(c.upper_q)
    assert c.lower_q >= float(inst.truth_q) * (1 - 1e-14)  # the power method finds (1,1,1)/sqrt(3)
    assert c.sos_lower_q > float(inst.truth_q) * 1.002  # the SoS value is certified 0.2% above the norm^6
    with pytest.raises(InputValueError, match=r"motzkin-gap family: the known value needs q in \(6,\)"):
        make_instance("motzkin-gap")
