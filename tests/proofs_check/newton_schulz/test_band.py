"""schedule_band, steps_to_tolerance, headroom: enclosures against 40-digit mpmath references."""
from __future__ import annotations

import json
from fractions import Fraction

import mpmath
import numpy as np
import pytest

from linalg_lab._validation import InputValueError
from linalg_lab.ns.schedules import PRESETS
from proofs_check.newton_schulz import headroom, schedule_band, steps_to_tolerance

DPS = 40


def _mp_P(schedule, k):
    steps = [[mpmath.mpf(c.numerator) / c.denominator for c in schedule.step(i).coeffs] for i in range(k)]

    def P(x):
        y = mpmath.mpf(x)
        for cs in steps:
            y2 = y * y
            acc = cs[-1]
            for c in reversed(cs[:-1]):
                acc = acc * y2 + c
            y = acc * y
        return y

    return P


def _reference_extremes(schedule, lo, hi, k):
    """Dense float64 scan locating the extremes, then 40-digit mpmath on a fine local grid there
    and on a coarse global grid: (min, max, all mpmath samples)."""
    xs = np.unique(np.concatenate([np.linspace(lo, hi, 200001), np.geomspace(lo, hi, 20001)]))
    ys = schedule(xs, k)
    with mpmath.workdps(DPS):
        P = _mp_P(schedule, k)
        pts = list(np.geomspace(lo, hi, 400)) + list(np.linspace(lo, hi, 400))
        for i in (int(np.argmin(ys)), int(np.argmax(ys))):
            a, b = xs[max(i - 2, 0)], xs[min(i + 2, len(xs) - 1)]
            pts += list(np.linspace(a, b, 201))
        vals = [P(Fraction(float(x)).numerator / mpmath.mpf(Fraction(float(x)).denominator)) for x in pts]
        return min(vals), max(vals), vals


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_band_contains_dense_sampling_and_is_tight(name, tolerance_report):
    """Issue #3: for every preset the band contains a dense high-precision sampling of P([1e-3, 1])
    and is within 1e-6 of it."""
    sch = PRESETS[name]
    b = schedule_band(sch, 1e-3, 1)
    assert b.certified and b.steps == sch.default_steps
    mn, mx, vals = _reference_extremes(sch, 1e-3, 1.0, sch.default_steps)
    # containment up to the reference's own rounding (40 digits, a few dozen operations: < 1e-35)
    assert b.lower <= mn + 1e-35 and mx - 1e-35 <= b.upper
    # distance band edge -> sampled extreme (>= 0 up to the reference's 1e-35 rounding; clipped)
    tolerance_report.record(f"band lower {name}", max(float(mn - b.lower), 0.0), 1e-6)
    tolerance_report.record(f"band upper {name}", max(float(b.upper - mx), 0.0), 1e-6)
    assert float(mn - b.lower) <= 1e-6 and float(b.upper - mx) <= 1e-6
    assert b.tightness <= 1e-20  # outer vs inner enclosure: only rounding separates them


def test_band_known_values():
    """Cubic, 2 steps on [1/2, 1]: P is increasing there, so the band is [P(1/2), P(1)] exactly."""
    b = schedule_band("cubic", 0.5, 1.0, steps=2)
    p = lambda x: Fraction(3, 2) * x - Fraction(1, 2) * x ** 3  # noqa: E731
    want = p(p(Fraction(1, 2)))
    assert b.lower <= want <= b.inner_lower and b.upper == 1.0
    assert schedule_band("cubic", 0.25, 0.75, steps=0).lower == 0.25


def test_band_beats_naive_interval_evaluation():
    """The naive Arb evaluation of the composition on the whole interval is useless (dependency
    effect); the exact-range method is tight."""
    from flint import arb, arb_poly, fmpq

    sch = PRESETS["polar-express-5"]
    X = arb(0.5005, 0.4995)  # [1e-3, 1]
    for s in sch.steps:
        cs = [0] * (2 * len(s.coeffs))
        for i, c in enumerate(s.coeffs):
            cs[2 * i + 1] = fmpq(c.numerator, c.denominator)
        X = arb_poly(cs)(X)
    b = schedule_band(sch, 1e-3, 1)
    assert 2 * float(X.rad()) > 1e3 * (b.upper - b.lower)


def test_stage_ranges_and_error_bracket():
    b = schedule_band("muon", 1e-3, 1)
    assert len(b.stage_lower) == 5 and b.stage_lower[0] > 0
    assert b.max_error_lower <= b.max_error_upper <= b.max_error_lower + 1e-12
    assert json.loads(json.dumps(b.to_dict()))["certified"] is True


def test_band_bad_inputs():
    with pytest.raises(InputValueError, match="schedule_band: 'lo' must be <= 'hi'"):
        schedule_band("cubic", 1.0, 0.5)
    with pytest.raises(InputValueError, match="The 'lo' parameter of schedule_band must be finite"):
        schedule_band("cubic", float("nan"), 1.0)
    with pytest.raises(InputValueError, match="The 'steps' parameter of schedule_band must be >= 0"):
        schedule_band("cubic", 0.1, 1.0, steps=-1)


@pytest.mark.parametrize("name,eps", [("cubic", 1e-1), ("cubic", 1e-7), ("pade5", 1e-3), ("polar-express-8", 1e-7),
                                      ("cesista5", 1e-1), ("cans-5", 1e-1)])
def test_steps_to_tolerance_minimal(name, eps):
    """The certified k works and k - 1 does not, checked on a dense 40-digit sampling."""
    sch = PRESETS[name]
    r = steps_to_tolerance(sch, 1e-3, eps)
    assert r.reached is True and r.certified
    k = r.steps
    with mpmath.workdps(DPS):
        xs = [mpmath.mpf(x) for x in np.geomspace(1e-3, 1, 300)] + [mpmath.mpf(x) for x in np.linspace(1e-3, 1, 300)]
        Pk, Pk1 = _mp_P(sch, k), _mp_P(sch, k - 1)
        assert max(abs(1 - Pk(x)) for x in xs) <= eps
        assert max(abs(1 - Pk1(x)) for x in xs) > eps  # a sampled point already fails at k - 1


def test_steps_to_tolerance_cubic_known():
    """The cubic is increasing on [0, 1] with P_k(1) = 1, so the error is 1 - P_k(lo)."""
    r = steps_to_tolerance("cubic", 1e-3, 1e-3)
    with mpmath.workdps(DPS):
        P = _mp_P(PRESETS["cubic"], r.steps)
        P1 = _mp_P(PRESETS["cubic"], r.steps - 1)
        lo = mpmath.mpf(Fraction(1e-3).numerator) / Fraction(1e-3).denominator
        assert 1 - P(lo) <= 1e-3 < 1 - P1(lo)


def test_muon_never_reaches_small_eps():
    """Muon's quintic: the repelling fixed point 0.868 and an attracting 4-cycle in every range."""
    r = steps_to_tolerance("muon", 1e-3, 1e-1)
    assert r.reached is False and r.certified and "0.868" in r.witness
    r2 = steps_to_tolerance("muon", 1e-3, 0.2)
    assert r2.reached is False and r2.certified
    r3 = steps_to_tolerance("muon", 1e-3, 0.35)
    assert r3.reached is True and r3.certified


def test_cycling_schedule_never_reaches():
    """cesista5 cycles through its list; the first step maps 1 to 0.117, so small eps is never held."""
    r = steps_to_tolerance("cesista5", 1e-3, 1e-3)
    assert r.reached is False and r.certified and "5-step cycle" in r.witness


def test_polar_express_5_plateau():
    """PE-5's last step, repeated, has an attracting fixed point at 1.0354, not at 1."""
    r = steps_to_tolerance("polar-express-5", 1e-3, 1e-3)
    assert r.reached is False and r.certified and "period 1" in r.witness and "0.0353" in r.witness


def test_steps_to_tolerance_bad_inputs():
    with pytest.raises(InputValueError, match="The 'eps' parameter of steps_to_tolerance must be > 0"):
        steps_to_tolerance("cubic", 1e-3, 0)
    with pytest.raises(InputValueError, match="The 'lo' parameter of steps_to_tolerance must be > 0"):
        steps_to_tolerance("cubic", 0, 1e-3)


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_headroom_bracket(name):
    """At h.lower the mpmath output lies in the band with positive intermediates; at the witness
    it does not (the failure the certificate names)."""
    sch = PRESETS[name]
    h = headroom(sch)
    assert h.certified and h.lower <= h.witness <= h.upper and h.lower >= 1.0
    assert h.upper - h.lower <= 1e-9 * h.upper
    k = sch.default_steps
    with mpmath.workdps(DPS):
        for s, good in ((h.lower, True), (h.witness, False)):
            x = mpmath.mpf(Fraction(s).numerator) / Fraction(s).denominator
            vals = [_mp_P(sch, j)(x) for j in range(1, k + 1)]
            ok = all(v > 0 for v in vals) and h.target[0] <= vals[-1] <= h.target[1]
            assert ok is good


def test_headroom_cubic_is_just_below_sqrt3():
    """Above sigma = 1 the cubic's output shrinks; just below sqrt(3), p(sigma) ~ 0 drops below the band."""
    h = headroom("cubic", steps=5)
    assert h.failure == "below the band" and 1.7 < h.lower < 3 ** 0.5


def test_headroom_bad_inputs():
    with pytest.raises(InputValueError, match=r"The 'sigma_max' parameter of headroom must lie in \(1.0, inf\]"):
        headroom("cubic", sigma_max=1.0)
    with pytest.raises(InputValueError, match="The 'steps' parameter of headroom must be >= 1"):
        headroom("cubic", steps=0)


def test_band_of_a_point_and_overflow():
    b = schedule_band("cubic", 0.5, 0.5, steps=3)
    assert b.certified and b.lower <= b.upper and b.upper - b.lower < 1e-15
    assert b.max_error_lower <= 1 - b.upper + 1e-15
    wide = schedule_band("cubic", 0, 100, steps=15)
    assert not wide.certified and "overflows" in wide.reason
