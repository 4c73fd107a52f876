"""Regression tests from the adversarial soundness review of the certified NS analyses.

Each test pins a counterexample that a previous version got wrong (a certified number that was
false, a reported witness that was not the point proved, or a crash on a valid schedule).
"""
from __future__ import annotations

import math
from fractions import Fraction

import mpmath
import pytest
from flint import arb

from linalg_lab._validation import InputValueError
from proofs_check._arb import working_prec
from proofs_check.newton_schulz import (absorbing_interval, basins, certify_schedule, fixed_points, headroom,
                                        schedule_band, steps_to_tolerance)
from proofs_check.newton_schulz._poly import OddMap, to_fmpq


def test_band_max_error_lower_is_sound_when_the_inner_enclosure_is_lost():
    # hi - lo = 2^-300 is below 128- and 256-bit resolution, so the inner enclosure is lost at once;
    # the chaotic step x^3 - 3x then widens the outer enclosure to ~1e-6 by step 150, and the band
    # is certified at 256 bits with tol=1e-3.  A lower bound on max|1 - P| taken from the *outer*
    # endpoints exceeded the true maximum by 6e-7 (0.998369737... > 0.998369145...).
    lo = Fraction(3, 10)
    hi = lo + Fraction(1, 2 ** 300)
    b = schedule_band("-3,1", lo, hi, steps=150, tol=1e-3)
    assert b.certified
    # reference: at 1024 bits the inner enclosure survives and the bracket is tight
    ref = schedule_band("-3,1", lo, hi, steps=150, prec=1024, tol=1e-30)
    assert ref.max_error_upper - ref.max_error_lower < 1e-12
    assert b.max_error_lower <= ref.max_error_upper
    assert b.max_error_upper >= ref.max_error_lower
    # and a 400-digit evaluation at lo lies inside the bracket (P(lo) is in the exact range)
    with mpmath.workdps(400):
        y = mpmath.mpf(3) / 10
        for _ in range(150):
            y = y ** 3 - 3 * y
        e_lo = float(abs(1 - y))
    assert b.max_error_upper >= e_lo - 1e-15


def test_headroom_reports_undecided_when_the_band_overflows():
    # p(x) = 3x + x^3 overflows float64 within 10 steps on [1e-3, 1]: there is no band to stay in.
    # Previously: OverflowError from Fraction(inf).
    h = headroom("3,1", steps=10)
    assert not h.certified
    assert h.status.name == "UNDECIDED"
    assert "overflows" in h.reason


def test_headroom_witness_is_the_point_proved_to_fail_at_tiny_rtol():
    # rtol below float64 resolution drove the bisection to non-float midpoints; float(w) then
    # rounded to a point that is provably *safe* while the summary called it failing.
    h = headroom("cubic", steps=5, rtol=1e-30)
    assert h.certified
    assert h.witness == h.upper and h.lower < h.upper
    assert h.upper == math.nextafter(h.lower, math.inf)  # as tight as float64 allows
    with mpmath.workdps(60):
        def out(s):
            y = mpmath.mpf(s)
            for _ in range(5):
                y = 1.5 * y - 0.5 * y ** 3  # 1.5 and 0.5 are exact binary numbers
            return y
        yw = out(h.witness)
        assert not (h.target[0] <= yw <= h.target[1])  # the witness does fail
        yl = out(h.lower)
        assert h.target[0] <= yl <= h.target[1]        # the proved-safe end does not


def test_headroom_validates_lo_under_its_own_name():
    with pytest.raises(InputValueError, match=r"The 'lo' parameter of headroom must be <= 1"):
        headroom("cubic", lo=2)


def test_steps_to_tolerance_with_an_identity_step_repeated():
    # cubic once, then p(x) = x forever: the range [p(1e-3), 1] never moves, so 1e-3 is never
    # reached.  Previously: InputValueError from fixed_points (blaming a valid schedule).
    r = steps_to_tolerance("1.5,-0.5;1", 1e-3, 1e-3, max_steps=10)
    assert r.reached is False and r.certified
    assert r.error_lower[1] > 0.99


def test_certify_schedule_with_an_identity_step_repeated():
    c = certify_schedule("1.5,-0.5;1", eps=(1e-1,))
    assert not c.last_step.certified and "p(x) = x" in c.last_step.reason
    assert c.band.certified and c.tolerances[0].reached is False


def test_fixed_points_of_negation_are_not_certified_complete():
    # p(x) = -x: every x != 0 has exact period 2, so an empty period2 list is not the truth
    r = fixed_points((-1,))
    assert not r.certified
    assert r.period2 == () and "every x != 0" in r.reason


def test_basins_tiny_leading_coefficient_does_not_overflow():
    # escape radius sqrt(2.5e400) ~ 1.6e200 is beyond float64 squares: it was computed in floats
    # and raised OverflowError; orbits in (0, 2] grow like 1.5^n and settle on the super-attracting
    # fixed point sqrt(1.5e400) ~ 7.07e199 (so nothing here "diverges").
    m = basins((Fraction(3, 2), Fraction(-1, 10 ** 400)), 0, 2, resolution=4, max_iter=2000)
    assert m.escape_radius is not None and 1.5e200 < m.escape_radius < 1.6e200
    fates = {iv.fate for iv in m.intervals}
    assert "diverges" not in fates
    assert fates <= {"0", "absorbed", "undecided"}
    assert any(iv.fate == "absorbed" for iv in m.intervals)


def test_basins_names_itself_for_a_degenerate_step():
    with pytest.raises(InputValueError, match=r"^basins: the step p\(x\) = x fixes every point"):
        basins("1", 0, 1)


@pytest.mark.parametrize("coeffs", [(1.5, -0.5), ("3.4445", "-4.7750", "2.0315"), (-1.5, 0.5), ("1.8", "-0.8"),
                                    ("1.875", "-1.25", "0.375")])
def test_absorbing_interval_is_invariant_at_its_reported_float_endpoints(coeffs):
    # J must be exactly the interval proved invariant (its endpoints are kept float64 numbers)
    J = absorbing_interval(coeffs)
    assert J.certified
    pm = OddMap(tuple(Fraction(str(c)) if isinstance(c, str) else Fraction(c) for c in coeffs))
    with working_prec(256):
        A, B = arb(to_fmpq(Fraction(J.lower))), arb(to_fmpq(Fraction(J.upper)))
        L, U = pm.range(A, B)
        assert bool(L >= A) and bool(U <= B)
    if J.cycle is not None and J.cycle.period > 1:
        # exact period: the enclosures of the orbit points are pairwise disjoint
        pts = list(zip(J.cycle.points_lower, J.cycle.points_upper))
        for i in range(len(pts)):
            for j in range(i + 1, len(pts)):
                assert pts[i][1] < pts[j][0] or pts[j][1] < pts[i][0]
