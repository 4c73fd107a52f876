"""Adversarial review of two_to_q_certificate: exact weights, exact scaling, corrupted solver
output, huge/tiny scales, brute-force checks for d = 2, 3 (regressions for the review fixes)."""
import dataclasses
import math
import sys
from fractions import Fraction

import numpy as np
import pytest
from flint import arb

from linalg_lab import InputValueError
from linalg_lab.norms import make_instance, two_to_q_sos
from linalg_lab.norms import quartic_basis
from proofs_check.norms import _certificate as C
from proofs_check.norms import certified_lower4, sos_moment_lower4, two_to_q_certificate


def test_gram_weight_of_norm4_is_exactly_1_and_2(monkeypatch):
    """The shift S* >= mu G' needs m'(v)^T G' m'(v) = ||v||^4 EXACTLY; float sqrt(2)**2 is
    2.0000000000000004, which made the proof weigh ||v||^4 by up to 1 + 2^-53 (regression)."""
    seen = []
    orig = C._psd_lower

    def spy(F, resid, weight=None):
        seen.append(None if weight is None else np.array(weight))
        return orig(F, resid, weight)

    monkeypatch.setattr(C, "_psd_lower", spy)
    X = make_instance("signs", 3).X
    two_to_q_certificate(X, two_to_q_sos(X), moment=False)
    g = seen[0]
    assert set(g.tolist()) == {1.0, 2.0}
    B = quartic_basis(3)
    v = [Fraction(1, 3), Fraction(-2, 7), Fraction(5, 11)]
    mp = [v[a] * v[b] for a, b in zip(B.a.tolist(), B.b.tolist())]
    assert sum(Fraction(gi) * m * m for gi, m in zip(g.tolist(), mp)) == sum(t * t for t in v) ** 2
    assert set(B.normq[B.normq != 0].tolist()) == {1.0, 2.0}  # the basis' ||v||^4 coefficients too


def test_exact_data_when_the_power_of_two_scaling_underflows():
    """X 2^-e pushes 2^-500 below the subnormal range: the exact coefficient matrix must still
    hold (2^-500 2^-e)^2, not 0 (the old code certified the matrix with that entry flushed)."""
    X = np.array([[2.0 ** 600, 0.0], [0.0, 2.0 ** -500]])
    e = two_to_q_sos(X).pow2
    assert np.ldexp(X, -e)[1, 1] == 0.0  # float scaling loses the entry
    B = quartic_basis(2)
    with C.working_prec(C._PREC):
        A = C._plain_arb(B, X, e)
        P = int(np.flatnonzero((B.a == 1) & (B.b == 1))[0])
        assert A[P, 1] == arb(2) ** (2 * (-500 - e))
        assert A[0, 0] == arb(2) ** (2 * (600 - e))
    c = two_to_q_certificate(X, two_to_q_sos(X))
    assert c.upper_rigorous and c.lower <= 2.0 ** 600 <= c.upper


@pytest.mark.parametrize("field, value", [("gram", "nan"), ("gram", "inf"), ("lam", math.nan),
                                          ("lam", math.inf), ("gram", "shape"), ("pow2", -600),
                                          ("pow2", 5), ("gram", "huge")])
def test_corrupted_solver_output_is_not_certified(field, value):
    """Non-finite or mis-shaped Gram data used to crash (LinAlgError) or reach an undefined
    float -> int64 cast in the exact projection; now: uncertified, lower bound still rigorous."""
    inst = make_instance("signs", 4)
    s = two_to_q_sos(inst.X)
    if field == "gram":
        bad = {"nan": np.full_like(s.gram, np.nan), "shape": s.gram[:-1, :-1],
               "inf": np.where(np.eye(s.D, dtype=bool), np.inf, s.gram),
               "huge": s.gram * 1e307 / s.scale_q}[value]  # finite, but S * c c overflows
    elif field == "pow2":  # a scaling that is not X's: 2^600 overflowed Dekker's products
        bad = s.pow2 + value
    else:
        bad = value
    c = two_to_q_certificate(inst.X, dataclasses.replace(s, **{field: bad}))
    assert not c.upper_rigorous and c.upper == math.inf and c.outcome == "not certified"
    assert c.lower_q <= float(inst.truth_q)


def test_perturbed_and_foreign_solutions_stay_sound():
    """Any finite Gram data gives a valid (possibly loose) bound: scaled, zero, noisy, another
    matrix's solution, a wrong lambda."""
    inst = make_instance("signs", 4)
    t4 = float(inst.truth_q)
    s = two_to_q_sos(inst.X)
    other = two_to_q_sos(np.random.default_rng(0).standard_normal(inst.X.shape))
    rng = np.random.default_rng(1)
    variants = [dict(gram=s.gram * 1e12), dict(gram=np.zeros_like(s.gram)), dict(lam=-3.0),
                dict(gram=s.gram + 1e-6 * rng.standard_normal(s.gram.shape)),
                dict(gram=other.gram, lam=other.lam, scale_q=other.scale_q),
                dict(lam=s.lam * (1 - 1e-9))]
    for kw in variants:
        c = two_to_q_certificate(inst.X, dataclasses.replace(s, **kw))
        assert c.upper_rigorous and c.lower_q <= t4 <= c.upper_q, kw


def test_nan_upper_ball_is_not_reported_as_zero(monkeypatch):
    """A NaN enclosure used to pass 'up4 > 0' as False and report upper = 0, verdict exact."""
    monkeypatch.setattr(C, "_psd_lower", lambda F, resid, weight=None: (arb("nan"), 0.0, math.inf))
    X = np.eye(3) + 0.25
    c = two_to_q_certificate(X, two_to_q_sos(X), moment=False)
    assert c.upper == math.inf and not c.upper_rigorous and c.outcome != "exact (certified)"


def test_frobenius_bound_of_balls_around_zero_is_finite():
    from flint import arb_mat

    E = arb_mat(2, 2, [arb(0, 1e-50), arb(0, 1e-50), arb(0, 1e-50), arb(0, 1e-50)])
    f = C._fro_upper(E)
    assert f.is_finite() and f.upper() >= 0 and f.upper() < 1e-20


@pytest.mark.parametrize("scale", [1e100, 1e-100, 2.0 ** 900])
def test_huge_and_tiny_scales(scale):
    """4th powers beyond the float range: lower4 must be a float LOWER bound (the max float, not
    inf -- lower_float returns inf there), upper4 inf; the norms themselves stay finite."""
    X = make_instance("hadamard", 4).X * scale  # norm = 2 scale exactly
    c = two_to_q_certificate(X, two_to_q_sos(X))
    assert c.upper_rigorous and c.outcome == "exact (certified)"
    assert c.lower <= 2 * scale <= c.upper
    t4 = Fraction(2 * scale) ** 4
    assert Fraction(c.lower_q) <= t4 and (c.upper_q == math.inf or t4 <= Fraction(c.upper_q))
    assert c.lower_q < math.inf
    if scale > 1:
        assert c.lower_q == sys.float_info.max


def test_long_double_input_that_would_round_is_refused():
    X = np.eye(2, dtype=np.longdouble)
    X[0, 1] = np.longdouble(1) + np.longdouble(2) ** -60
    if X[0, 1] == 1:  # platform long double == double: nothing to refuse
        pytest.skip("long double is binary64 here")
    s = two_to_q_sos(X.astype(np.float64))
    with pytest.raises(InputValueError, match="float64 cannot hold exactly"):
        two_to_q_certificate(X, s)


def test_moment_side_rejects_corrupted_moment():
    inst = make_instance("gap")
    s = two_to_q_sos(inst.X)
    assert sos_moment_lower4(inst.X, dataclasses.replace(s, moment=np.full_like(s.moment, np.nan))) is None
    # a nonsense moment matrix is mixed towards the sphere moments: still a valid lower bound on
    # the SoS value (here E_sphere[p] = 252 <= 288 <= SoS value)
    r = sos_moment_lower4(inst.X, dataclasses.replace(s, moment=-np.eye(s.D)))
    assert r is None or r.upper() <= 288
    with pytest.raises(InputValueError, match="computed for shape"):
        sos_moment_lower4(inst.X[:, :3], s)


def _brute_d2(X, N=400001):
    th = np.linspace(0.0, np.pi, N)
    return float(np.max(np.sum((X @ np.stack([np.cos(th), np.sin(th)])) ** 4, axis=0)))


@pytest.mark.parametrize("seed", range(4))
def test_d2_bracket_against_dense_sampling(seed, tolerance_report):
    """d = 2 (Hilbert: the relaxation is exact): the certified bracket contains the sampled maximum
    (a lower bound on the truth) and is within its sampling error of it (step pi/4e5: relative
    error <= (n |x|^4) (pi/4e5)^2 / p_max, well below 1e-8 here)."""
    rng = np.random.default_rng(seed)
    X = rng.integers(-4, 5, size=(int(rng.integers(1, 6)), 2)).astype(float)
    if not X.any():
        X[0, 0] = 1.0
    c = two_to_q_certificate(X, two_to_q_sos(X))
    b4 = _brute_d2(X)
    assert c.upper_rigorous and c.upper_q >= b4
    assert c.outcome == "exact (certified)"
    tolerance_report.record(f"d=2 seed {seed}: certified lower vs sampled max", (b4 - c.lower_q) / b4, 1e-8)
    assert c.lower_q >= b4 * (1 - 1e-8)


def test_d3_bracket_against_sampling():
    """d = 3, n = 1 row x: the norm is |x|_2 exactly; a random 4 x 3 instance: sampled max below the
    certified upper bound and the certified lower bound at most the grid error below it."""
    x = np.array([[3.0, -4.0, 12.0]])  # |x| = 13
    c = two_to_q_certificate(x, two_to_q_sos(x))
    assert c.lower <= 13.0 <= c.upper and c.outcome == "exact (certified)"
    X = np.random.default_rng(5).standard_normal((4, 3))
    u = np.linspace(-1, 1, 801)
    ph = np.linspace(0, 2 * np.pi, 1601)
    U, P = np.meshgrid(u, ph)
    r = np.sqrt(1 - U ** 2)
    V = np.stack([r * np.cos(P), r * np.sin(P), U]).reshape(3, -1)
    b4 = float(np.max(np.sum((X @ V) ** 4, axis=0)))
    c = two_to_q_certificate(X, two_to_q_sos(X))
    assert c.upper_rigorous and b4 <= c.upper_q and c.lower_q >= b4 * (1 - 1e-4)
    assert float(certified_lower4(X, c.maximiser).lower()) >= b4 * (1 - 1e-4)


@pytest.mark.parametrize("factor", [1.05, 10.0])
def test_positive_mu_is_credited_and_sound(factor):
    """lambda too large: S* >= mu G' with mu > 0 and the bound lambda - mu is still valid (and
    tighter than lambda); the negative-mu side is test_sound_even_for_a_bad_solution."""
    inst = make_instance("signs", 4)
    s = two_to_q_sos(inst.X)
    c = two_to_q_certificate(inst.X, dataclasses.replace(s, lam=s.lam * factor))
    assert c.upper_rigorous and c.mu_q > 0
    assert float(inst.truth_q) <= c.upper_q < c.lam_q
