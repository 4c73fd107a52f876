"""Numeric analysis: step facts, the band and error against step, steps needed, thresholds."""
import math

import mpmath
import numpy as np
import pytest

from linalg_lab import InputValueError, Rigour
from linalg_lab.ns import (
    PRESETS,
    analyze_ns_output,
    analyze_ns_schedule,
    analyze_ns_step,
    image_interval,
    ns_band_curve,
    ns_steps_needed,
)


def test_cubic_step_facts():
    r = analyze_ns_step("1.5,-0.5")
    assert r.rigour is Rigour.NUMERICAL
    assert (r.p_at_1, r.dp_at_0, r.dp_at_1) == (1.0, 1.5, 0.0)
    assert r.fixed_points == (1.0,) and r.multipliers == (0.0,)
    assert r.critical_points == (1.0,) and r.critical_values == (1.0,)
    assert r.sign_flip_thresholds == (pytest.approx(math.sqrt(3), rel=1e-15),)


def test_muon_step_facts_against_mpmath(tolerance_report):
    """Known answers: p(1) = 0.701; critical points and fixed points checked at 50 digits."""
    r = analyze_ns_step(PRESETS["muon"].steps[0])
    assert r.p_at_1 == pytest.approx(0.701, abs=1e-14) and r.dp_at_0 == 3.4445
    a, b, c = (mpmath.mpf(v) for v in ("3.4445", "-4.7750", "2.0315"))
    with mpmath.workdps(50):
        crit = sorted(float(x) for x in mpmath.polyroots([5 * c, 0, 3 * b, 0, a], maxsteps=200, extraprec=100)
                      if abs(mpmath.im(x)) < 1e-30 and mpmath.re(x) > 0)
        fixed = sorted(float(x) for x in mpmath.polyroots([c, 0, b, 0, a - 1], maxsteps=200, extraprec=100)
                       if abs(mpmath.im(x)) < 1e-30 and mpmath.re(x) > 0)
    tolerance_report.check("muon critical points vs mpmath", np.array(r.critical_points), np.array(crit), rtol=1e-14)
    tolerance_report.check("muon fixed points vs mpmath", np.array(r.fixed_points), np.array(fixed), rtol=1e-14)
    assert r.sign_flip_thresholds == ()  # the Jordan quintic has no positive zero


def test_analyze_step_rejects_schedules():
    with pytest.raises(InputValueError, match="expected one step, got 5"):
        analyze_ns_step("cesista5")


def test_image_interval_known():
    from linalg_lab.ns import Step

    assert image_interval(Step((1.5, -0.5)), 0.0, 1.0) == (0.0, 1.0)
    assert image_interval(Step((1.5, -0.5)), 0.5, 2.0) == (-1.0, 1.0)
    lo, hi = image_interval(PRESETS["muon"].steps[0], 0.0, 1.0)
    assert lo == 0.0 and hi == pytest.approx(1.2023686, rel=1e-7)


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_band_contains_dense_high_precision_sampling(name, tolerance_report):
    """The numeric band contains P_k at 400 points evaluated at 30 digits and is tight against them."""
    sched = PRESETS[name]
    a = analyze_ns_schedule(sched, 1e-3)
    xs = np.concatenate([np.geomspace(1e-3, 1, 200), np.linspace(1e-3, 1, 200)])
    vals = []
    with mpmath.workdps(30):
        for x in xs:
            y = mpmath.mpf(float(x))
            for j in range(a.steps):
                cs = [mpmath.mpf(c.numerator) / c.denominator for c in sched.step(j).coeffs]
                y2 = y * y
                acc = mpmath.mpf(0)
                for cc in reversed(cs):
                    acc = acc * y2 + cc
                y = acc * y
            vals.append(float(y))
    vals = np.array(vals)
    # float64 band vs the 30-digit values: a few roundings per step, amplified by |p'| <= 30
    slack = 1e-12
    assert vals.min() >= a.lower[-1] - slack and vals.max() <= a.upper[-1] + slack
    tolerance_report.record(f"{name}: band vs 30-digit sampling (excess width)",
                            max(vals.min() - a.lower[-1], a.upper[-1] - vals.max()), 0.05, kind="absolute")
    # the sampled cross-check never exceeds the band error
    assert np.all(a.sampled_error <= a.error + 1e-12)


def test_error_profile_cubic_known_answers():
    a = analyze_ns_schedule("cubic", 1e-3, steps=21)
    assert a.error[0] == pytest.approx(0.999)
    assert np.all(np.diff(a.error) <= 0)  # the cubic improves the worst case at every step
    assert a.error[-1] <= 1e-7 < a.error[-2]
    assert a.steps_to_eps == {"0.1": 18, "0.001": 20, "1e-07": 21}
    assert a.products_to_eps == {"0.1": 36, "0.001": 40, "1e-07": 42}
    assert a.monotone and a.folding_steps == ()
    assert a.min_intermediate == pytest.approx(1.5e-3, rel=1e-6) and a.min_intermediate_step == 1
    assert a.sign_flip_at == pytest.approx(math.sqrt(3), abs=1e-4)
    assert a.headroom == pytest.approx(math.sqrt(3), abs=2e-3)


def test_steps_needed_brute_force():
    """ns_steps_needed agrees with direct dense evaluation of P_k on [lo, 1]."""
    for name, lo, eps in [("cubic", 1e-2, 1e-3), ("pade5", 1e-4, 1e-7), ("polar-express-8", 1e-3, 1e-3)]:
        r = ns_steps_needed(name, lo, eps)
        sched = PRESETS[name]
        xs = np.unique(np.concatenate([np.geomspace(lo, 1, 20001), np.linspace(lo, 1, 20001)]))
        assert np.max(np.abs(1 - sched(xs, r.steps))) <= eps
        assert np.max(np.abs(1 - sched(xs, r.steps - 1))) > eps
        assert r.products == sched.products(r.steps)


def test_steps_needed_not_converging():
    r = ns_steps_needed("muon", 1e-3, 1e-3, max_steps=50)
    assert not r.ok and r.steps is None and "does not reach the tolerance" in r.reason
    with pytest.raises(InputValueError, match=r"The 'lo' parameter of ns_steps_needed must lie in \(0.0, 1.0\]"):
        ns_steps_needed("cubic", 0.0, 1e-3)
    with pytest.raises(InputValueError, match="'eps' parameter"):
        ns_steps_needed("cubic", 1e-3, 1.5)


def test_lift_thresholds():
    a = analyze_ns_schedule("polar-express-8", 1e-3)
    sched = PRESETS["polar-express-8"]
    for t, x in ((0.5, a.lift_0_5), (0.9, a.lift_0_9)):
        assert sched(np.array([x]), 8)[0] >= t
        assert sched(np.array([x * (1 - 1e-6)]), 8)[0] < t
    # muon never lifts to 0.9 at sigma = 1 (P_5(1) = 0.70)
    assert math.isnan(analyze_ns_schedule("muon", 1e-3).lift_0_9)


def test_hazards_in_words():
    h = {n: " ".join(analyze_ns_schedule(n, 1e-3).hazards) for n in PRESETS}
    assert "does not converge to 1: P_5(1) = 0.6964" in h["muon"]
    assert "no headroom" in h["cans-5"]  # CANS as shipped diverges for inputs just above 1
    assert "sign flip" in h["cubic"]
    assert "overshoots" in h["polar-express-5"]
    assert h["pade5"].count("hazard") == 0 and "sign flip" not in h["pade5"]


def test_band_curve():
    c = ns_band_curve("pade5", [1e-6, 1e-3, 0.5], steps=25)
    assert np.all(np.diff(c.error) <= 0) and c.error[-1] < 1e-15
    with pytest.raises(InputValueError, match="'lows' must be non-empty values in"):
        ns_band_curve("pade5", [0.0])


def test_output_analysis_fields_and_given_X():
    rng = np.random.default_rng(2)
    A = rng.standard_normal((12, 30))
    r1 = analyze_ns_output(A, schedule="polar-express-8")
    r2 = analyze_ns_output(A, r1.X, schedule="polar-express-8")
    assert r1.polar_error_fro == r2.polar_error_fro and r2.precision == "given"
    assert r1.sv_before.shape == (12,) and np.all(np.diff(r1.sv_before) <= 0)
    d = r1.to_dict()
    assert d["kind"] == "OutputAnalysis" and "X" not in d and d["rigour"] == "numerical"
    with pytest.raises(InputValueError, match=r"'X' must have the shape of 'A' \(12, 30\)"):
        analyze_ns_output(A, np.ones((3, 3)))


def test_schedule_analysis_summary_and_json():
    a = analyze_ns_schedule("cesista5", 1e-2)
    s = a.summary()
    assert "[numerical]" in s and "hazard:" in s
    d = a.to_dict()
    assert d["steps_to_eps"]["0.1"] == a.steps_to_eps["0.1"] and len(d["step_facts"]) == 5
